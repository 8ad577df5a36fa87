// evident: the search page. The form is a plain GET form (`?q=…&grade=…`), so the query
// lives in the address and every search is a page load; this script reads it, asks the
// pagefind index that `evident build` wrote under pagefind/, and lists the results.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var filters = {};
  var MAX = 20;

  input.value = query;
  Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
    var wanted = params.get(select.name) || "";
    // Only a value the form offers: the address is the reader's to edit.
    var offered = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
    select.value = offered ? wanted : "";
    if (select.value) { filters[select.name] = select.value; }
    // No search on change: a page load the reader did not ask for is a change of context
    // (WCAG 3.2.2); the Search button applies the filters.
  });

  // Browsers refuse to load the index (an ES module and WebAssembly) from file:// pages.
  if (window.location.protocol === "file:") {
    document.getElementById("search-file-note").hidden = false;
    return;
  }
  if (!query && Object.keys(filters).length === 0) { return; }

  // pagefind/ sits at the site root, beside static/ where this script is.
  var script = document.currentScript;
  var root = script ? script.src.replace(/static\/search\.js(\?.*)?$/, "") : "../";
  status.textContent = "Searching…";

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (value) { el.textContent = value; }
    return el;
  }

  // pagefind's excerpt is HTML with <mark> around the matched words. Parsed in an inert
  // <template> and rebuilt from its text and <mark>s only, nothing else of it reaches the page.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var p = text("p", "search-result-excerpt");
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        p.appendChild(text("mark", "", node.textContent));
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  // Result titles in the searcher's wording: the audience picked in the filter, else the one
  // chosen on a topic page (remembered by evident.js), else the first, which pages open with.
  var audiences = Array.prototype.map.call(document.querySelectorAll("#search-audiences li"), function (li) {
    return { key: li.getAttribute("data-key"), label: li.getAttribute("data-label") };
  });
  function audienceKey() {
    var picked = audiences.filter(function (a) { return a.label === filters.audience; })[0];
    if (picked) { return picked.key; }
    var saved = null;
    try { saved = window.localStorage.getItem("evident-audience"); } catch (e) { /* storage blocked */ }
    if (saved && audiences.some(function (a) { return a.key === saved; })) { return saved; }
    return audiences.length ? audiences[0].key : null;
  }
  function title(d) {
    var key = audienceKey();
    var meta = d.meta || {};
    return (key && meta["title_" + key]) || meta.title || d.url;
  }

  function facts(found) {
    var parts = [];
    ["type", "grade", "status"].forEach(function (name) {
      var values = found && found[name];
      if (values && values.length) {
        parts.push(name === "grade" ? "Certainty: " + values.join(", ") : values.join(", "));
      }
    });
    return parts.join(" · ");
  }

  function describe(total, shown) {
    var what = query ? " for “" + query + "”" : "";
    var narrowed = Object.keys(filters).length ? " (filtered)" : "";
    if (total === 0) { return "No results" + what + narrowed + "."; }
    var count = total === 1 ? "1 result" : total + " results";
    var more = total > shown ? ", the first " + shown + " shown" : "";
    return count + what + narrowed + more + ".";
  }

  // A large site's index comes in shards: pagefind/shards.json names those beside the first,
  // and pagefind searches them all together.
  function mergeShards(pagefind) {
    return fetch(root + "pagefind/shards.json")
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (shards) {
        return Promise.all(shards.map(function (shard) {
          return pagefind.mergeIndex(root + "pagefind/" + shard);
        }));
      });
  }

  import(root + "pagefind/pagefind.js")
    .then(function (pagefind) {
      return mergeShards(pagefind).then(function () {
        return pagefind.search(query || null, { filters: filters });
      });
    })
    .then(function (search) {
      var first = search.results.slice(0, MAX);
      return Promise.all(first.map(function (r) { return r.data(); })).then(function (data) {
        list.textContent = "";
        data.forEach(function (d) {
          var item = text("li", "search-result");
          var heading = text("h3");
          var link = text("a", "", title(d));
          link.href = d.url;
          heading.appendChild(link);
          item.appendChild(heading);
          var about = facts(d.filters);
          if (about) { item.appendChild(text("p", "search-result-facts", about)); }
          if (d.excerpt) { item.appendChild(excerpt(d.excerpt)); }
          list.appendChild(item);
        });
        status.textContent = describe(search.results.length, first.length);
      });
    })
    .catch(function () {
      status.textContent = "Search could not load its index. Try again, or browse the topics from the home page.";
    });
})();
