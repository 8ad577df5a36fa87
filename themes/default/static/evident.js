// evident: small progressive enhancements. Every page works without this script.
(function () {
  "use strict";

  // 1. Remember the reader's choice of wording across pages. The choice itself is pure CSS
  //    (radio buttons and :has()); this only restores and stores it.
  var key = "evident-audience";
  var radios = document.querySelectorAll('input[name="audience"]');
  var saved = null;
  try { saved = window.localStorage.getItem(key); } catch (e) { /* storage blocked */ }
  Array.prototype.forEach.call(radios, function (radio) {
    if (saved && radio.value === saved) { radio.checked = true; }
    radio.addEventListener("change", function () {
      if (!radio.checked) { return; }
      try { window.localStorage.setItem(key, radio.value); } catch (e) { /* storage blocked */ }
    });
  });

  // 2. Dashboard: sort a table by a column, filter its rows by text and by status.
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var headers = table.tHead ? table.tHead.rows[0].cells : [];

    function cellValue(row, index) {
      var cell = row.cells[index];
      if (!cell) { return ""; }
      return cell.getAttribute("data-sort") || cell.textContent.trim().toLowerCase();
    }

    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny : x.localeCompare(y);
          // Empty cells last in either direction.
          if (x === "" && y !== "") { return 1; }
          if (y === "" && x !== "") { return -1; }
          return ascending ? c : -c;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });

    var tools = document.querySelector('.table-tools[data-for="' + table.id + '"]');
    if (!tools) { return; }
    var search = document.createElement("input");
    search.type = "search";
    search.id = table.id + "-filter";
    var searchLabel = document.createElement("label");
    searchLabel.htmlFor = search.id;
    searchLabel.textContent = "Filter statements";
    var select = document.createElement("select");
    select.id = table.id + "-status";
    var selectLabel = document.createElement("label");
    selectLabel.htmlFor = select.id;
    selectLabel.textContent = "Status";
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "All statuses";
    select.appendChild(all);
    var seen = {};
    rows.forEach(function (row) {
      var status = row.getAttribute("data-status");
      if (status && !seen[status]) {
        seen[status] = true;
        var option = document.createElement("option");
        option.value = status;
        var badge = row.querySelector(".badge.status");
        option.textContent = badge ? badge.textContent.replace("Review status:", "").replace(/^\W+/, "").trim() : status;
        select.appendChild(option);
      }
    });
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    [[searchLabel, search], [selectLabel, select]].forEach(function (pair) {
      var field = document.createElement("div");
      field.appendChild(pair[0]);
      field.appendChild(pair[1]);
      tools.appendChild(field);
    });
    tools.appendChild(count);

    function apply() {
      var text = search.value.trim().toLowerCase();
      var status = select.value;
      var shown = 0;
      rows.forEach(function (row) {
        var match = (!text || row.textContent.toLowerCase().indexOf(text) !== -1) &&
          (!status || row.getAttribute("data-status") === status);
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " statements shown";
    }
    search.addEventListener("input", apply);
    select.addEventListener("change", apply);
    tools.hidden = false;
    apply();
  });
})();
