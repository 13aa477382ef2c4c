// Sortable tables: a click (or Enter/Space) on a column header sorts the rows, numbers as numbers; the
// header says its order with aria-sort. No library, works offline.
(function () {
  "use strict";
  function value(cell) {
    var text = cell.textContent.trim();
    var number = Number(text.replace(",", "."));
    return text !== "" && !isNaN(number) ? number : text.toLocaleLowerCase("fr");
  }
  function sortBy(table, index, button) {
    var header = button.closest("th");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[index]), y = value(b.cells[index]);
      if (typeof x === "number" && typeof y === "number") { return ascending ? x - y : y - x; }
      return ascending ? String(x).localeCompare(String(y), "fr") : String(y).localeCompare(String(x), "fr");
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th button.sort").forEach(function (button, index) {
      button.addEventListener("click", function () { sortBy(table, index, button); });
    });
  });
})();
