/* Search-as-you-type for the home page: suggestions from the glossary autocomplete API, keyboard-friendly.
   Every text is inserted with textContent (never innerHTML). Without JavaScript the form still works. */
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-autocomplete]");
  if (!form) { return; }
  var url = form.getAttribute("data-autocomplete");
  var input = form.querySelector("input[type=search]");
  var list = document.getElementById("suggestions");
  var status = document.getElementById("suggestions-status");
  if (!url || !input || !list) { return; }
  var timer = null, active = -1, items = [], last = "", controller = null;

  function close() {
    list.hidden = true; list.textContent = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function target(item) {
    if (item.kind === "actor" && item.id) { return "/acteurs/" + encodeURIComponent(item.id); }
    if (item.kind === "sense" && item.id) { return "/termes/" + encodeURIComponent(item.id); }
    return "/chercher?q=" + encodeURIComponent(item.acronym || item.label || item.text);
  }
  function idOf(item) {
    if (item.id) { return item.id; }
    if (item.iri) { var parts = String(item.iri).split("/"); return parts[parts.length - 1]; }
    return "";
  }
  function show(results) {
    list.textContent = ""; items = [];
    results.forEach(function (raw, n) {
      var item = { text: raw.text || raw.label || raw.acronym || "", kind: raw.kind, acronym: raw.acronym,
                   label: raw.label, id: idOf(raw) };
      var li = document.createElement("li");
      li.id = "suggestion-" + n; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = target(item); a.textContent = item.text; a.tabIndex = -1;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = { sense: "terme", service_type: "type de service", sector: "secteur", actor: "acteur" }[item.kind] || "";
      a.appendChild(kind); li.appendChild(a); list.appendChild(li); items.push(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    if (status) { status.textContent = items.length ? items.length + " suggestions" : "Aucune suggestion"; }
  }
  function move(delta) {
    if (!items.length) { return; }
    if (active >= 0) { items[active].setAttribute("aria-selected", "false"); items[active].classList.remove("active"); }
    active = (active + delta + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true"); items[active].classList.add("active");
    input.setAttribute("aria-activedescendant", items[active].id);
  }
  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (q.length < 1) { close(); return; }
    if (controller) { controller.abort(); }
    controller = new AbortController();
    var sep = url.indexOf("?") >= 0 ? "&" : "?";
    fetch(url + sep + "q=" + encodeURIComponent(q) + "&limit=8", { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) {
        var results = Array.isArray(data) ? data : (data.completions || data.results || data.items || []);
        show(results.slice(0, 8));
      })
      .catch(function () { /* aborted or offline: keep the plain form */ });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].querySelector("a").href; }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) { close(); } });
})();
