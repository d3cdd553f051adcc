(function () {
  "use strict";
  // Data from Python. Every string in it is shown with textContent, as a
  // canvas label or as a vis string tooltip (innerText): never parsed as HTML.
  var meta = {{ meta|tojson }};
  var nodes = new vis.DataSet({{ nodes|tojson }});
  var edges = new vis.DataSet({{ edges|tojson }});
  var options = {{ options|tojson }};

  function $(id) { return document.getElementById(id); }
  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeUrl(url) { return /^https?:\/\//i.test(url || "") ? url : null; }
  function span(dates) {
    if (!dates.length) return "undated";
    var first = dates[0], last = dates[dates.length - 1];
    return first === last ? first : first + " – " + last;
  }
  var quadNames = {};
  meta.quads.forEach(function (q) { quadNames[q.code] = q.name; });

  var kg = window.kgraph = { meta: meta, nodes: nodes, edges: edges, network: null, ready: false, readyAt: null };
  var network = kg.network = new vis.Network($("network"), { nodes: nodes, edges: edges }, options);

  function status() {
    var shown = edges.get({ filter: function (e) { return !e.hidden; } }).length;
    $("status").textContent = shown + " of " + edges.length + " relations, " + nodes.length + " actors";
  }

  // Physics only lays the graph out: stop it once stable so the page stays responsive.
  function ready() {
    if (kg.ready) return;
    network.setOptions({ physics: { enabled: false } });
    kg.ready = true;
    kg.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
    status();
  }
  network.on("stabilizationProgress", function (p) {
    $("status").textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  if (nodes.length === 0) ready();

  // Filters: quad class and relation type (legend), state, date range.
  function checked(name) {
    var out = {};
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) out[box.value] = true;
    });
    return out;
  }
  function inRange(dates, from, to) {
    if (!dates.length) return true;
    for (var i = 0; i < dates.length; i++) {
      if ((!from || dates[i] >= from) && (!to || dates[i] <= to)) return true;
    }
    return false;
  }
  function applyFilters() {
    var quads = checked("quad"), relations = checked("relation");
    var state = $("state").value, from = $("date-from").value, to = $("date-to").value;
    var edgeChanges = [], nodeChanges = [], touched = {}, shown = 0;
    edges.forEach(function (e) {
      var k = e.kg;
      var show = Boolean(quads[k.quad] && relations[k.relation] &&
        (!state || k.states.indexOf(state) !== -1) && inRange(k.dates, from, to));
      if (show) { touched[e.from] = true; touched[e.to] = true; shown++; }
      if (Boolean(e.hidden) === show) edgeChanges.push({ id: e.id, hidden: !show });
    });
    var narrowed = shown < edges.length;
    nodes.forEach(function (n) {
      var show = !narrowed || Boolean(touched[n.id]);
      if (Boolean(n.hidden) === show) nodeChanges.push({ id: n.id, hidden: !show });
    });
    edges.update(edgeChanges);
    nodes.update(nodeChanges);
    status();
  }
  document.querySelectorAll('input[name="quad"]').forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="relation"][data-quad="' + box.value + '"]').forEach(function (rel) {
        rel.disabled = !box.checked;
      });
    });
  });
  ["filters", "state", "date-from", "date-to"].forEach(function (id) {
    $(id).addEventListener("change", applyFilters);
  });
  $("reset").addEventListener("click", function () {
    document.querySelectorAll("#filters input").forEach(function (box) { box.checked = true; box.disabled = false; });
    $("state").value = "";
    $("date-from").value = meta.dates[0];
    $("date-to").value = meta.dates[1];
    applyFilters();
  });

  // Details: the evidence of a relation, the relations of an actor.
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) return;
    var k = e.kg, box = $("details");
    box.replaceChildren();
    box.append(el("h3", nodes.get(e.from).label + " " + e.label + " " + nodes.get(e.to).label));
    box.append(el("p", k.relation + " · " + quadNames[k.quad]));
    box.append(el("p", k.count + " events in " + k.articles + " articles · " + span(k.dates) +
      " · confidence " + k.confidence));
    var list = el("ol");
    k.evidence.forEach(function (ev) {
      var item = el("li"), cite = el("cite"), url = safeUrl(ev.url);
      item.append(el("q", ev.sentence));
      if (url) {
        var link = el("a", ev.title || ev.doc);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        cite.append(link);
      } else {
        cite.append(document.createTextNode(ev.title || ev.doc));
      }
      if (ev.date) cite.append(document.createTextNode(" · " + ev.date));
      item.append(cite);
      list.append(item);
    });
    box.append(list);
    if (k.count > k.evidence.length) {
      box.append(el("p", (k.count - k.evidence.length) + " more events: see events.jsonl"));
    }
  }
  function showNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    var box = $("details"), list = el("ul");
    box.replaceChildren();
    box.append(el("h3", n.label));
    box.append(el("p", n.kg.type + (n.kg.state && n.kg.state !== n.id ? " · " + n.kg.state : "") +
      " · " + n.kg.events + " events"));
    var related = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    related.sort(function (a, b) { return b.kg.articles - a.kg.articles; });
    related.slice(0, 20).forEach(function (e) {
      var item = el("li", nodes.get(e.from).label + " " + e.label + " " + nodes.get(e.to).label +
        " (" + e.kg.articles + ")");
      item.addEventListener("click", function () { showEdge(e.id); });
      list.append(item);
    });
    box.append(list);
    if (related.length > 20) box.append(el("p", (related.length - 20) + " more relations"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });
  kg.showEdge = showEdge;
  kg.showNode = showNode;

  // Search: exact label first, then the first label containing the text.
  var index = nodes.get().map(function (n) { return [String(n.label).toLowerCase(), n.id]; });
  $("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = $("search").value.trim(), q = query.toLowerCase(), found = null;
    $("search-msg").textContent = "";
    if (!q) return;
    index.forEach(function (pair) { if (found === null && pair[0] === q) found = pair[1]; });
    index.forEach(function (pair) { if (found === null && pair[0].indexOf(q) !== -1) found = pair[1]; });
    if (found === null) { $("search-msg").textContent = "no actor matches “" + query + "”"; return; }
    if (nodes.get(found).hidden) { $("search-msg").textContent = "hidden by the filters"; }
    network.selectNodes([found]);
    network.focus(found, { scale: 1.2, animation: { duration: 400 } });
    showNode(found);
  });
})();
