/* Draw a map from the JSON embedded in the page (vis-network served by the app; no CDN, no eval).
   Labels and titles are plain strings: vis-network 9 shows string titles as text, never as HTML. */
(function () {
  "use strict";
  var holder = document.getElementById("map");
  var source = document.getElementById("map-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var options = data.options || {};
  var network = new vis.Network(holder, { nodes: nodes, edges: edges }, options);
  window.passeMurailleMap = { network: network, nodes: nodes, edges: edges };
  network.once("afterDrawing", function () {
    network.fit();
    holder.setAttribute("data-drawn", String(nodes.length));
  });
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      if (node && node.url && node.url.charAt(0) === "/") { window.location.href = node.url; }
    }
  });
  network.on("hoverNode", function () { holder.classList.add("pointer"); });
  network.on("blurNode", function () { holder.classList.remove("pointer"); });

  document.querySelectorAll("[data-color]").forEach(function (el) {
    var colour = el.getAttribute("data-color");
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) {
      if (el.classList.contains("line")) { el.style.borderTopColor = colour; } else { el.style.backgroundColor = colour; }
    }
  });

  var list = document.getElementById("map-nodes");
  var search = document.getElementById("map-search");
  var status = document.getElementById("map-status");
  if (list) {
    data.nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.label; list.appendChild(o); });
  }
  function find() {
    var q = (search.value || "").trim().toLowerCase();
    if (!q) { return; }
    var hit = data.nodes.find(function (n) { return n.label.toLowerCase() === q; }) ||
              data.nodes.find(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; });
    if (!hit) { status.textContent = "Aucun nœud ne correspond."; return; }
    if (search.getAttribute("data-found") === String(hit.id) && hit.url && hit.url.charAt(0) === "/") {
      window.location.href = hit.url;
      return;
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: 1.4, animation: { duration: 300 } });
    status.textContent = "Trouvé : " + hit.label + ". Entrée sur « Trouver » à nouveau pour ouvrir sa fiche.";
    search.setAttribute("data-found", hit.id);
  }
  var go = document.getElementById("map-search-go");
  if (go) { go.addEventListener("click", find); }
  if (search) {
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); find(); } });
  }
  var fit = document.getElementById("map-fit");
  if (fit) { fit.addEventListener("click", function () { network.unselectAll(); network.fit(); }); }
})();
