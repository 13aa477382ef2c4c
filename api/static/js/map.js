/* Draw a map from the JSON embedded in the page (vis-network served by the app; no CDN, no eval).
   Labels, titles and the side panel are plain text (textContent), never HTML.
   Behaviour: a click selects a node and opens the side panel (links, metrics, « Ouvrir la fiche »); a click on
   the background closes it; isolated nodes are hidden unless « afficher les nœuds isolés » is ticked; on a
   crowded map only the selected node, its neighbours, the centre and the top brokers are named (the rest on
   hover or when zoomed in); the selection and the isolated switch are kept in the URL (sel=, isoles=1). */
(function () {
  "use strict";
  var holder = document.getElementById("map");
  var source = document.getElementById("map-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var LABEL_ALL_BELOW = 40;
  var ZOOM_LABELS = 1.6;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var kindLabels = {};
  (data.legend.links || []).forEach(function (l) { kindLabels[l.id] = l.label; });
  var url = new URL(window.location.href);
  var isolatedBox = document.getElementById("f-isoles");
  var showIsolated = url.searchParams.get("isoles") === "1";
  var selected = null;
  var hovered = null;
  var crowded = data.nodes.filter(function (n) { return !n.isolated; }).length > LABEL_ALL_BELOW;

  var neighbours = {};
  data.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push({ id: e.to, edge: e, out: true });
    (neighbours[e.to] = neighbours[e.to] || []).push({ id: e.from, edge: e, out: false });
  });

  // Which names are written: on a small map all; on a crowded one, by priority (hovered, selected, centre,
  // neighbours of the selection, centre's neighbours, top brokers, then everything when zoomed in), skipping
  // any name whose box (on screen) would overlap one already placed.
  var shownLabels = crowded ? {} : null;
  function rankOf(n) { return n.rank || 1e9; }
  function computeLabels() {
    if (!crowded) { shownLabels = null; return; }
    if (!network) { return; }
    var visible = data.nodes.filter(function (n) { return !n.isolated || showIsolated; });
    var near = {};
    if (selected) { (neighbours[selected] || []).forEach(function (x) { near[x.id] = true; }); }
    var zoomed = network.getScale() >= ZOOM_LABELS;
    function priority(n) {
      if (n.id === hovered) { return 0; }
      if (n.id === selected) { return 1; }
      if (n.id === data.center) { return 2; }
      if (near[n.id]) { return 3; }
      if (data.center && n.level === 1) { return 4; }
      if (n.top) { return 5; }
      return zoomed ? 6 : 99;
    }
    var candidates = visible.filter(function (n) { return priority(n) < 99; });
    candidates.sort(function (a, b) { return priority(a) - priority(b) || rankOf(a) - rankOf(b); });
    var positions = network.getPositions(candidates.map(function (n) { return n.id; }));
    var boxes = [];
    shownLabels = {};
    candidates.forEach(function (n) {
      var p = positions[n.id];
      if (!p) { return; }
      var d = network.canvasToDOM(p);
      var w = 7 * n.label.length, h = 18;
      var y = d.y + (n.size || 10) * network.getScale() + 4;
      var box = { l: d.x - w / 2, r: d.x + w / 2, t: y, b: y + h };
      var free = priority(n) <= 1 || boxes.every(function (o) { return box.r < o.l || box.l > o.r || box.b < o.t || box.t > o.b; });
      if (free) { boxes.push(box); shownLabels[n.id] = true; }
    });
  }
  function named(n) { return shownLabels === null || !!shownLabels[n.id]; }
  function record(n) {
    var r = {};
    Object.keys(n).forEach(function (k) { r[k] = n[k]; });
    r.hidden = !!n.isolated && !showIsolated;
    r.label = named(n) ? n.label : "";
    if (n.context) { r.color = { background: n.color, border: n.color, highlight: n.color }; r.opacity = 0.4; }
    return r;
  }
  var network = null;
  var nodes = new vis.DataSet(data.nodes.map(record));
  var edges = new vis.DataSet(data.edges);
  network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options || {});
  window.passeMurailleMap = { network: network, nodes: nodes, edges: edges, data: data };

  // Names keep a readable size on screen whatever the zoom (13 px), as on Kumu.
  function fontSize() {
    var s = network ? network.getScale() : 1;
    return Math.max(14, Math.min(240, 13 / Math.max(s, 0.02)));
  }
  function relabel() {
    computeLabels();
    var size = fontSize();
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, label: named(n) ? n.label : "", hidden: !!n.isolated && !showIsolated,
               font: { size: size } };
    }));
  }

  function setUrl() {
    var u = new URL(window.location.href);
    if (selected) { u.searchParams.set("sel", selected); } else { u.searchParams.delete("sel"); }
    if (showIsolated) { u.searchParams.set("isoles", "1"); } else { u.searchParams.delete("isoles"); }
    window.history.replaceState(null, "", u.pathname + (u.search ? u.search : "") + u.hash);
  }

  var panel = document.getElementById("map-panel");
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function number(value, digits) {
    if (value === null || value === undefined) { return "—"; }
    var v = Number(value);
    if (v !== 0 && Math.abs(v) < Math.pow(10, -digits)) {
      digits = Math.min(12, 1 - Math.floor(Math.log10(Math.abs(v))));
    }
    var text = v.toFixed(digits);
    return text.replace(".", ",");
  }
  function plural(n, one, many) { return n + " " + (n <= 1 ? one : many); }

  function openPanel(id, focus) {
    var n = byId[id];
    if (!n || !panel || data.aggregated) { return; }
    selected = id;
    text("panel-title", n.label);
    text("panel-where", [n.sector_label || "secteur non précisé", n.territory_label].filter(Boolean).join(" · "));
    var dl = document.getElementById("panel-metrics");
    dl.textContent = "";
    [["Liens dans la carte", String(n.degree)],
     ["Intermédiarité", number(n.betweenness, 3)],
     ["Contrainte (Burt)", number(n.constraint, 3)],
     ["Taille effective", number(n.effective_size, 1)],
     ["Rôle de courtage", n.role || "aucun"],
     ["Rang parmi les passe-murailles", n.rank ? String(n.rank) : "—"],
     ["Point d'articulation", n.articulation ? "oui" : "non"]].forEach(function (row) {
      var dt = document.createElement("dt"); dt.textContent = row[0];
      var dd = document.createElement("dd"); dd.textContent = row[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    var reasons = document.getElementById("panel-reasons");
    reasons.textContent = "";
    (n.reasons || []).forEach(function (r) { var li = document.createElement("li"); li.textContent = r; reasons.appendChild(li); });
    var open = document.getElementById("panel-open");
    if (n.url && n.url.charAt(0) === "/") { open.href = n.url; open.hidden = false; } else { open.hidden = true; }
    var egoLink = document.getElementById("panel-ego");
    if (n.kind !== "post" && n.id !== data.center) {
      egoLink.href = "/cartes/acteurs/" + encodeURIComponent(n.id) + "?profondeur=1"; egoLink.hidden = false;
    } else { egoLink.hidden = true; }
    var list = document.getElementById("panel-neighbours");
    list.textContent = "";
    var links = (neighbours[id] || []).slice().sort(function (a, b) {
      return byId[a.id].label.localeCompare(byId[b.id].label, "fr");
    });
    text("panel-links-title", plural(links.length, "lien", "liens"));
    links.forEach(function (x) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button"; b.className = "link"; b.textContent = byId[x.id].label;
      b.addEventListener("click", function () { choose(x.id, true); });
      var kinds = (x.edge.kinds || [x.edge.type]).map(function (k) { return kindLabels[k] || k; }).join(", ");
      if (x.edge.arrows) { kinds += x.out ? " (vers)" : " (depuis)"; }
      var small = document.createElement("span");
      small.className = "hint"; small.textContent = " — " + kinds;
      li.appendChild(b); li.appendChild(small); list.appendChild(li);
    });
    panel.hidden = false;
    if (focus) { panel.focus(); }
    relabel();
    setUrl();
  }
  function closePanel() {
    selected = null;
    if (panel) { panel.hidden = true; }
    network.unselectAll();
    relabel();
    setUrl();
  }
  function choose(id, focus) {
    var n = byId[id];
    if (!n) { return; }
    if (n.isolated && !showIsolated) { setIsolated(true); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    if (data.aggregated) {
      if (n.url && n.url.charAt(0) === "/") { window.location.href = n.url; }
      return;
    }
    openPanel(id, focus);
  }

  network.once("afterDrawing", function () {
    network.fit();
    lastScale = network.getScale();
    relabel();
    holder.setAttribute("data-drawn", String(nodes.get({ filter: function (n) { return !n.hidden; } }).length));
    var sel = url.searchParams.get("sel");
    if (sel && byId[sel]) { choose(sel, false); }
  });
  network.on("animationFinished", function () { lastScale = network.getScale(); relabel(); });
  network.on("dragEnd", function () { relabel(); });
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) { choose(params.nodes[0], false); } else if (!params.edges.length) {
      closePanel();
    }
  });
  network.on("hoverNode", function (p) {
    holder.classList.add("pointer");
    hovered = p.node;
    if (crowded && byId[p.node]) { relabel(); }
  });
  network.on("blurNode", function (p) {
    holder.classList.remove("pointer");
    hovered = null;
    if (crowded && byId[p.node]) { relabel(); }
  });
  var lastScale = 0;
  network.on("zoom", function () {
    var s = network.getScale();
    if (Math.abs(s - lastScale) / Math.max(s, 0.01) > 0.15) { lastScale = s; relabel(); }
  });

  function setIsolated(on) {
    showIsolated = on;
    if (isolatedBox) { isolatedBox.checked = on; }
    document.querySelectorAll("#node-list li[data-isolated]").forEach(function (li) { li.hidden = !on; });
    var note = document.getElementById("isolated-note");
    var count = document.getElementById("map-counts").getAttribute("data-isolated");
    if (note) {
      note.textContent = on ? "Nœuds isolés affichés : " + count + "."
        : "Isolés masqués : " + count + " (sans aucun lien dans cette vue).";
    }
    relabel();
    setUrl();
  }
  if (isolatedBox) {
    isolatedBox.addEventListener("change", function () { setIsolated(isolatedBox.checked); network.fit(); });
  }
  var close = document.getElementById("panel-close");
  if (close) { close.addEventListener("click", closePanel); }
  if (panel) {
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { closePanel(); holder.focus(); } });
  }

  document.querySelectorAll("[data-color]").forEach(function (el) {
    var colour = el.getAttribute("data-color");
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) {
      if (el.classList.contains("line")) { el.style.borderTopColor = colour; } else { el.style.backgroundColor = colour; }
    }
  });
  document.querySelectorAll("#node-list button[data-node]").forEach(function (b) {
    b.addEventListener("click", function () {
      choose(b.getAttribute("data-node"), true);
      holder.scrollIntoView({ block: "nearest" });
    });
  });

  // On a phone the filters fold away (unless some are set) so that the map comes first.
  var box = document.getElementById("map-filter-box");
  if (box && !box.hasAttribute("data-active") && window.matchMedia("(max-width: 48rem)").matches) { box.open = false; }

  var search = document.getElementById("map-search");
  var status = document.getElementById("map-status");
  function find() {
    var q = (search.value || "").trim().toLowerCase();
    if (!q) { return; }
    var hit = data.nodes.find(function (n) { return n.label.toLowerCase() === q; }) ||
              data.nodes.find(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; });
    if (!hit) { status.textContent = "Aucun nœud ne correspond."; return; }
    choose(hit.id, false);
    status.textContent = "Trouvé : " + hit.label + ".";
  }
  var go = document.getElementById("map-search-go");
  if (go) { go.addEventListener("click", find); }
  if (search) {
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); find(); } });
  }
  var fit = document.getElementById("map-fit");
  if (fit) { fit.addEventListener("click", function () { closePanel(); network.fit(); }); }
})();
