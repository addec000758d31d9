// Filters and sorts the flipped-cases table of an ftgate HTML report. It
// reads only numbers from the rows (data-w: workflow index, data-c: class
// indexes, data-k: change index, data-sN: rank in column N's order) and
// the values of the page's own select elements; it writes no markup.
(function () {
  "use strict";
  var table = document.getElementById("case-table");
  if (!table) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var workflow = document.getElementById("filter-workflow");
  var cls = document.getElementById("filter-class");
  var change = document.getElementById("filter-change");
  var count = document.getElementById("case-count");

  function hasClass(row, c) {
    return (" " + row.getAttribute("data-c") + " ").indexOf(" " + c + " ") >= 0;
  }

  function filter() {
    var w = workflow.value, c = cls.value, k = change.value, shown = 0;
    rows.forEach(function (row) {
      var show = (w === "" || row.getAttribute("data-w") === w) &&
        (c === "" || hasClass(row, c)) &&
        (k === "" || row.getAttribute("data-k") === k);
      row.hidden = !show;
      if (show) {
        shown++;
      }
    });
    count.textContent = shown + " of " + rows.length + " cases shown";
  }

  [workflow, cls, change].forEach(function (s) {
    s.addEventListener("change", filter);
  });

  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector("button");
    if (!button) {
      return;
    }
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      Array.prototype.forEach.call(heads, function (h) {
        h.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", dir);
      var key = "data-s" + col, sign = dir === "ascending" ? 1 : -1;
      rows.sort(function (a, b) {
        return sign * (Number(a.getAttribute(key)) - Number(b.getAttribute(key)));
      });
      rows.forEach(function (row) {
        body.appendChild(row);
      });
    });
  });

  document.getElementById("case-controls").hidden = false;
  filter();
})();
