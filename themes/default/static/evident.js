// evident: small progressive enhancements. Every page works without this script.
(function () {
  "use strict";

  // 1. The wording choice. Without this script it is CSS alone: each audience has its own
  //    fragment (#for-KEY) selected with :target. This keeps the choice while the reader
  //    follows links within the page (which change the fragment), marks the chosen link for
  //    screen readers, remembers the choice across pages, and switches without a jump.
  var key = "evident-audience";
  var links = document.querySelectorAll("a.audience-link[data-audience]");
  var root = document.documentElement;
  function choose(audience, remember) {
    root.setAttribute("data-audience", audience);
    Array.prototype.forEach.call(links, function (link) {
      if (link.getAttribute("data-audience") === audience) { link.setAttribute("aria-current", "true"); }
      else { link.removeAttribute("aria-current"); }
    });
    if (remember) {
      try { window.localStorage.setItem(key, audience); } catch (e) { /* storage blocked */ }
    }
  }
  function known(audience) {
    return Array.prototype.some.call(links, function (link) { return link.getAttribute("data-audience") === audience; });
  }
  function fromFragment() {
    var match = /^#for-(.+)$/.exec(window.location.hash);
    return match && known(match[1]) ? match[1] : null;
  }
  if (links.length) {
    var saved = null;
    try { saved = window.localStorage.getItem(key); } catch (e) { /* storage blocked */ }
    var shared = fromFragment();
    if (shared) { choose(shared, true); }
    else if (saved && known(saved)) { choose(saved, false); }
    window.addEventListener("hashchange", function () {
      var next = fromFragment();
      if (next) { choose(next, true); }
    });
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var audience = link.getAttribute("data-audience");
        if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#for-" + audience); }
        choose(audience, true);
      });
    });
  }

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
