(function () {
  "use strict";
  // Data from Python. Every string in it is shown with textContent, drawn on
  // the canvas or given to vis as a string tooltip (innerText): never parsed as HTML.
  var meta = {{ meta|tojson }};
  var nodeData = {{ nodes|tojson }};
  var dyadData = {{ edges|tojson }};
  var options = {{ options|tojson }};

  function $(id) { return document.getElementById(id); }
  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeUrl(url) { return /^https?:\/\//i.test(url || "") ? url : null; }
  var quadNames = {}, quadColours = {};
  meta.quads.forEach(function (q) { quadNames[q.code] = q.name; quadColours[q.code] = q.colour; });
  var relations = meta.relations, sectors = meta.sectors, dates = meta.dates;
  var relIndex = {};
  relations.forEach(function (r, i) { relIndex[r.name] = i; });

  var layout = meta.layout;
  nodeData.forEach(function (n) {
    n.x = n.kg[layout][0];
    n.y = n.kg[layout][1];
    n.color = { background: meta.typeColours[n.kg.type] || meta.typeColours.other, border: "#ffffff" };
    n.opacity = 1;
  });
  var nodes = new vis.DataSet(nodeData);
  var sizeOf = {}, info = {};
  nodeData.forEach(function (n) { sizeOf[n.id] = n.size; info[n.id] = n.kg; });

  // Edges: one per dyad (from Python), or one per relation (split here).
  function dyadEdges() {
    return dyadData.map(function (d) {
      return { id: d.id, from: d.from, to: d.to, title: d.title, kg: d.kg };
    });
  }
  function relationEdges() {
    var out = [];
    dyadData.forEach(function (d) {
      var groups = {}, order = [];
      d.kg.ev.forEach(function (ev) {
        var name = relations[ev[1]].name;
        if (!groups[name]) { groups[name] = []; order.push(name); }
        groups[name].push(ev);
      });
      order.sort(function (a, b) { return groups[b].length - groups[a].length || relIndex[a] - relIndex[b]; });
      order.forEach(function (name, i) {
        var ev = {};
        ev[name] = d.kg.evidence[name];
        out.push({
          id: d.from + "|" + name + "|" + d.to, from: d.from, to: d.to,
          label: relations[relIndex[name]].label,
          title: d.title.split("\n")[0] + "\n" + relations[relIndex[name]].label + " · " +
            groups[name].length + " events\nClick for sources.",
          smooth: { enabled: true, type: "curvedCW", roundness: 0.12 + 0.14 * i },
          font: { size: 10, align: "middle", strokeWidth: 3, strokeColor: "#ffffff", color: "#343a40" },
          kg: { ev: groups[name], evidence: ev, relation: name, articles: null }
        });
      });
    });
    return out;
  }
  function prepare(list) {
    list.forEach(function (e) {
      if (e.from === e.to) {
        // A loop big enough to be seen outside its node, above and to the right.
        e.selfReference = { size: Math.round(sizeOf[e.from] * 0.8 + 10), angle: Math.PI / 4, renderBehindTheNode: false };
      }
    });
    return list;
  }
  var edges = new vis.DataSet(prepare(dyadEdges()));

  var kg = window.kgraph = {
    meta: meta, nodes: nodes, edges: edges, network: null, ready: false, readyAt: null,
    layout: layout, mode: "dyad", focused: null
  };
  var network = kg.network = new vis.Network($("network"), { nodes: nodes, edges: edges }, options);

  // Filters: relation (legend), state, period, who acted, domestic.
  function checked(name) {
    var out = {};
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) out[box.value] = true;
    });
    return out;
  }
  function domestic(e) {
    if (e.from === e.to) return true;
    var a = info[e.from].state, b = info[e.to].state;
    return Boolean(a) && a === b;
  }
  function colour(mean) {
    // Goldstein intensity: -10 (conflict, red) .. 0 (grey) .. +10 (cooperation, blue).
    var t = Math.max(-1, Math.min(1, mean / 6));
    var grey = [173, 181, 189], end = t < 0 ? [201, 42, 42] : [25, 113, 194], a = Math.abs(t);
    var rgb = grey.map(function (g, i) { return Math.round(g + (end[i] - g) * a); });
    return "rgb(" + rgb.join(",") + ")";
  }
  function currentFilter() {
    return {
      quads: checked("quad"), relations: checked("relation"), state: $("state").value,
      from: $("date-from").value, to: $("date-to").value,
      stateOnly: $("state-only").checked, hideDomestic: $("hide-domestic").checked
    };
  }
  function keepEvent(ev, f) {
    var r = relations[ev[1]];
    if (!f.quads[r.quad] || !f.relations[r.name]) return false;
    if (ev[0] >= 0) {
      var d = dates[ev[0]];
      if ((f.from && d < f.from) || (f.to && d > f.to)) return false;
    }
    return !f.stateOnly || (sectors[ev[2]].state && sectors[ev[3]].state);
  }
  function status(shownEdges, shownNodes) {
    $("status").textContent = shownEdges + " of " + edges.length + (kg.mode === "dyad" ? " dyads, " : " relations, ") +
      shownNodes + " actors";
  }
  // What each edge was last drawn with, so a filter updates only the edges it changes.
  var applied = {};
  function applyFilters() {
    var f = currentFilter(), looks = [], touched = {}, shown = 0, most = 1;
    edges.forEach(function (e) {
      var n = 0, sum = 0, nonState = 0;
      var inState = !f.state || info[e.from].state === f.state || info[e.to].state === f.state;
      if (inState && !(f.hideDomestic && domestic(e))) {
        e.kg.ev.forEach(function (ev) {
          if (!keepEvent(ev, f)) return;
          n++;
          sum += relations[ev[1]].intensity;
          if (!(sectors[ev[2]].state && sectors[ev[3]].state)) nonState++;
        });
      }
      if (n > 0) { touched[e.from] = true; touched[e.to] = true; shown++; }
      most = Math.max(most, n);
      looks.push({ id: e.id, n: n, mean: n ? sum / n : 0, dashed: n > 0 && nonState * 2 > n,
        faded: kg.focused !== null && e.from !== kg.focused && e.to !== kg.focused });
    });
    var changes = [];
    looks.forEach(function (l) {
      // Rare dyads recede, frequent ones stand out; a focus fades all but its own.
      var c = l.n ? colour(l.mean) : "#adb5bd";
      var alpha = Math.round((l.faded ? 0.06 : 0.3 + 0.7 * Math.sqrt(l.n / most)) * 100) / 100;
      var key = [l.n, c, alpha, l.dashed].join("|");
      if (applied[l.id] === key) return;
      applied[l.id] = key;
      changes.push({
        id: l.id, hidden: l.n === 0, value: l.n, dashes: l.dashed ? [7, 5] : false,
        color: { color: c, highlight: c, hover: c, opacity: alpha }
      });
    });
    if (changes.length) edges.update(changes);
    var narrowed = shown < edges.length, nodeChanges = [], shownNodes = 0;
    nodes.forEach(function (n) {
      var show = !narrowed || Boolean(touched[n.id]);
      if (show) shownNodes++;
      if (Boolean(n.hidden) === show) nodeChanges.push({ id: n.id, hidden: !show });
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (kg.focused !== null) fade(kg.focused);
    status(shown, shownNodes);
  }
  kg.applyFilters = applyFilters;

  document.querySelectorAll('input[name="quad"]').forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="relation"][data-quad="' + box.value + '"]').forEach(function (rel) {
        rel.disabled = !box.checked;
      });
    });
  });
  ["filters", "state", "date-from", "date-to", "state-only", "hide-domestic"].forEach(function (id) {
    $(id).addEventListener("change", applyFilters);
  });
  $("reset").addEventListener("click", function () {
    document.querySelectorAll("#filters input").forEach(function (box) { box.checked = true; box.disabled = false; });
    $("state").value = "";
    $("state-only").checked = false;
    $("hide-domestic").checked = false;
    $("period-size").value = "";
    stopPlay();
    unfocus();
    setPeriod(null, null);
  });

  // Layouts: both computed in Python; switching only moves the nodes.
  function setLayout(name) {
    if (name !== "geo" && name !== "force") throw new Error("layout must be 'geo' or 'force', not " + name);
    kg.layout = layout = name;
    $("layout").value = name;
    nodes.update(nodes.map(function (n) { return { id: n.id, x: n.kg[name][0], y: n.kg[name][1] }; }));
    network.fit({ animation: false });
  }
  $("layout").addEventListener("change", function () { setLayout($("layout").value); });
  kg.setLayout = setLayout;

  function setEdgeMode(mode) {
    if (mode !== "dyad" && mode !== "relation") throw new Error("edge mode must be 'dyad' or 'relation', not " + mode);
    kg.mode = mode;
    $("edge-mode").value = mode;
    edges.clear();
    applied = {};
    edges.add(prepare(mode === "dyad" ? dyadEdges() : relationEdges()));
    applyFilters();
  }
  $("edge-mode").addEventListener("change", function () { setEdgeMode($("edge-mode").value); });
  kg.setEdgeMode = setEdgeMode;

  // Time: a period is [from, to] in ISO dates; week and month steps.
  function iso(d) { return d.toISOString().slice(0, 10); }
  function parse(s) { return new Date(s + "T00:00:00Z"); }
  function periodStart(s, size) {
    var d = parse(s);
    if (size === "month") d.setUTCDate(1);
    else d.setUTCDate(d.getUTCDate() - (d.getUTCDay() + 6) % 7); // Monday
    return d;
  }
  function periodEnd(start, size) {
    var d = new Date(start.getTime());
    if (size === "month") { d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); } else d.setUTCDate(d.getUTCDate() + 6);
    return d;
  }
  function setPeriod(from, to) {
    $("date-from").value = from || "";
    $("date-to").value = to || "";
    if (from === null && to === null) { $("date-from").value = meta.span[0]; $("date-to").value = meta.span[1]; }
    applyFilters();
  }
  kg.setPeriod = setPeriod;
  function step(direction) {
    var size = $("period-size").value || "month";
    $("period-size").value = size;
    var current = $("date-from").value || meta.span[0];
    if (!current) return false;
    var start = periodStart(current, size);
    if (direction && $("date-to").value === iso(periodEnd(start, size))) {
      if (size === "month") start.setUTCMonth(start.getUTCMonth() + direction);
      else start.setUTCDate(start.getUTCDate() + 7 * direction);
    }
    var end = periodEnd(start, size);
    if (direction > 0 && iso(start) > meta.span[1]) return false;
    if (direction < 0 && iso(end) < meta.span[0]) return false;
    setPeriod(iso(start), iso(end));
    return true;
  }
  var timer = null;
  function stopPlay() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    $("period-play").textContent = "▶ play";
  }
  $("period-size").addEventListener("change", function () {
    if ($("period-size").value) step(0); else setPeriod(null, null);
  });
  $("period-prev").addEventListener("click", function () { stopPlay(); step(-1); });
  $("period-next").addEventListener("click", function () { stopPlay(); step(1); });
  $("period-play").addEventListener("click", function () {
    if (timer !== null) { stopPlay(); return; }
    if (!$("period-size").value) { $("period-size").value = "month"; setPeriod(meta.span[0], meta.span[0]); step(0); }
    $("period-play").textContent = "❚❚ pause";
    timer = setInterval(function () { if (!step(1)) stopPlay(); }, 1200);
  });

  // Focus: an actor's one-hop neighbourhood; the rest fades. Escape returns.
  function fade(id) {
    var near = {};
    near[id] = true;
    edges.forEach(function (e) {
      if (!e.hidden && (e.from === id || e.to === id)) { near[e.from] = true; near[e.to] = true; }
    });
    nodes.update(nodes.map(function (n) { return { id: n.id, opacity: near[n.id] ? 1 : 0.15 }; }));
  }
  function focus(id) {
    if (!nodes.get(id)) throw new Error("no actor " + id);
    kg.focused = id;
    applyFilters();
  }
  function unfocus() {
    if (kg.focused === null) return;
    kg.focused = null;
    nodes.update(nodes.map(function (n) { return { id: n.id, opacity: 1 }; }));
    applyFilters();
  }
  kg.focus = focus;
  kg.unfocus = unfocus;
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { unfocus(); network.unselectAll(); } });

  // Labels: drawn here at a fixed screen size, most active actors first,
  // each where it overlaps no label or node already placed; the rest on zoom or hover.
  var hovered = null, TOP = 15;
  network.on("hoverNode", function (p) { hovered = p.node; network.redraw(); });
  network.on("blurNode", function () { hovered = null; network.redraw(); });
  var ranked = nodeData.slice().sort(function (a, b) { return a.kg.rank - b.kg.rank; }).map(function (n) { return n.id; });
  kg.labelled = [];
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale(), body = network.body.nodes, placed = [], drawn = [];
    var box = $("network").getBoundingClientRect();
    var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: box.width, y: box.height });
    var obstacles = [];
    ranked.forEach(function (id) {
      var b = body[id];
      if (!b || b.options.hidden) return;
      var r = b.options.size + 2 / scale;
      obstacles.push({ id: id, x0: b.x - r, y0: b.y - r, x1: b.x + r, y1: b.y + r });
    });
    function clear(rect, own, top) {
      for (var i = 0; i < placed.length; i++) {
        var p = placed[i];
        if (rect.x0 < p.x1 && rect.x1 > p.x0 && rect.y0 < p.y1 && rect.y1 > p.y0) return false;
      }
      // The most active actors are labelled even over other nodes' dots.
      for (var j = 0; !top && j < obstacles.length; j++) {
        var o = obstacles[j];
        if (o.id !== own && rect.x0 < o.x1 && rect.x1 > o.x0 && rect.y0 < o.y1 && rect.y1 > o.y0) return false;
      }
      return rect.x0 >= tl.x && rect.x1 <= br.x && rect.y0 >= tl.y && rect.y1 <= br.y;
    }
    function place(id, force) {
      var b = body[id], n = { kg: info[id] };
      if (!b || b.options.hidden) return;
      var px = n.kg.rank < TOP ? 13 : 12, fs = px / scale, pad = 2 / scale;
      ctx.font = (n.kg.rank < TOP ? "600 " : "") + fs + "px system-ui, sans-serif";
      var w = ctx.measureText(n.kg.name).width, h = fs * 1.15, r = b.options.size + pad;
      var d = r * 0.7, top = n.kg.rank < TOP;
      var spots = [[b.x + r, b.y - h / 2], [b.x - r - w, b.y - h / 2], [b.x - w / 2, b.y - r - h], [b.x - w / 2, b.y + r],
        [b.x + d, b.y - d - h], [b.x + d, b.y + d], [b.x - d - w, b.y - d - h], [b.x - d - w, b.y + d]];
      if (top) {
        // The busiest actors may also be labelled a little further out, with a line to their dot.
        var far = r + 26 / scale, f = far * 0.7;
        spots.push([b.x + far, b.y - h / 2], [b.x - far - w, b.y - h / 2], [b.x - w / 2, b.y - far - h],
          [b.x - w / 2, b.y + far], [b.x + f, b.y - f - h], [b.x + f, b.y + f], [b.x - f - w, b.y - f - h], [b.x - f - w, b.y + f]);
      }
      for (var i = 0; i < spots.length; i++) {
        var rect = { x0: spots[i][0] - pad, y0: spots[i][1] - pad, x1: spots[i][0] + w + pad, y1: spots[i][1] + h + pad };
        if (force || clear(rect, id, top)) {
          placed.push(rect);
          drawn.push(id);
          ctx.globalAlpha = b.options.opacity === undefined ? 1 : Math.max(b.options.opacity, 0.35);
          if (i >= 8) {
            // From the dot's edge to the nearest point of the label.
            var cx = Math.max(rect.x0, Math.min(b.x, rect.x1)), cy = Math.max(rect.y0, Math.min(b.y, rect.y1));
            var len = Math.hypot(cx - b.x, cy - b.y) || 1;
            ctx.beginPath();
            ctx.moveTo(b.x + (cx - b.x) * r / len, b.y + (cy - b.y) * r / len);
            ctx.lineTo(cx, cy);
            ctx.lineWidth = 1 / scale;
            ctx.strokeStyle = "#495057";
            ctx.stroke();
          }
          ctx.textBaseline = "top";
          ctx.lineJoin = "round";
          ctx.lineWidth = 3 / scale;
          ctx.strokeStyle = "#ffffff";
          ctx.strokeText(n.kg.name, spots[i][0], spots[i][1]);
          ctx.fillStyle = "#212529";
          ctx.fillText(n.kg.name, spots[i][0], spots[i][1]);
          ctx.globalAlpha = 1;
          return;
        }
      }
    }
    if (hovered !== null) place(hovered, true);
    if (kg.focused !== null && kg.focused !== hovered) place(kg.focused, true);
    ranked.forEach(function (id) {
      if (id === hovered || id === kg.focused) return;
      if (kg.focused !== null && body[id] && body[id].options.opacity < 1) return;
      place(id, false);
    });
    kg.labelled = drawn;
    kg.labelBoxes = placed;
  });

  // Details: a dyad's relations with their evidence, and its series over time.
  function names(e) {
    var a = info[e.from].name, b = info[e.to].name;
    return e.from === e.to ? a + " (domestic)" : a + " → " + b;
  }
  function cite(ev) {
    var c = el("cite"), url = safeUrl(ev.url);
    if (url) {
      var link = el("a", ev.title || ev.doc);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      c.append(link);
    } else {
      c.append(document.createTextNode(ev.title || ev.doc));
    }
    if (ev.date) c.append(document.createTextNode(" · " + ev.date));
    return c;
  }
  function who(list, side) {
    var counts = {};
    list.forEach(function (ev) { var s = sectors[ev[side]].name; counts[s] = (counts[s] || 0) + 1; });
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })
      .map(function (s) { return s + " " + counts[s]; }).join(", ");
  }
  function series(list) {
    // Cooperation up (blue), conflict down (red), one bar per month (per week under four months).
    var dated = list.filter(function (ev) { return ev[0] >= 0; });
    if (!dated.length) return null;
    var first = dates[dated[0][0]], last = first;
    dated.forEach(function (ev) { var d = dates[ev[0]]; if (d < first) first = d; if (d > last) last = d; });
    var size = (parse(last) - parse(first)) / 864e5 < 120 ? "week" : "month";
    var keys = [], index = {}, start = periodStart(first, size);
    while (iso(start) <= last) {
      index[iso(start)] = keys.length;
      keys.push({ coop: 0, conf: 0 });
      if (size === "month") start.setUTCMonth(start.getUTCMonth() + 1); else start.setUTCDate(start.getUTCDate() + 7);
    }
    dated.forEach(function (ev) {
      var k = keys[index[iso(periodStart(dates[ev[0]], size))]];
      if (relations[ev[1]].quad.charAt(1) === "C") k.coop++; else k.conf++;
    });
    var most = 1;
    keys.forEach(function (k) { most = Math.max(most, k.coop, k.conf); });
    var ns = "http://www.w3.org/2000/svg", width = 230, half = 34, bw = Math.min(24, width / keys.length);
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", 2 * half + 1);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "cooperation and conflict per " + size);
    function bar(i, value, up, fill) {
      if (!value) return;
      var r = document.createElementNS(ns, "rect"), h = Math.max(1, half * value / most);
      r.setAttribute("x", (i * bw + 0.5).toFixed(1));
      r.setAttribute("width", Math.max(1, bw - 1).toFixed(1));
      r.setAttribute("y", (up ? half - h : half + 1).toFixed(1));
      r.setAttribute("height", h.toFixed(1));
      r.setAttribute("fill", fill);
      svg.append(r);
    }
    keys.forEach(function (k, i) { bar(i, k.coop, true, "#1971c2"); bar(i, k.conf, false, "#c92a2a"); });
    var axis = document.createElementNS(ns, "rect");
    axis.setAttribute("x", 0); axis.setAttribute("y", half); axis.setAttribute("width", width); axis.setAttribute("height", 1);
    axis.setAttribute("fill", "#868e96");
    svg.append(axis);
    var wrap = el("div");
    wrap.append(el("p", "Per " + size + ": cooperation (up, blue) and conflict (down, red); most " + most + "."));
    wrap.append(svg);
    var ticks = el("div");
    ticks.className = "axis";
    ticks.append(el("span", first.slice(0, size === "month" ? 7 : 10)), el("span", last.slice(0, size === "month" ? 7 : 10)));
    wrap.append(ticks);
    return wrap;
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) return;
    var box = $("details"), f = currentFilter(), list = e.kg.ev.filter(function (ev) { return keepEvent(ev, f); });
    if (!list.length) list = e.kg.ev;
    box.replaceChildren();
    box.append(el("h3", names(e)));
    box.append(el("p", list.length + " events" + (list.length < e.kg.ev.length ? " in the filters (" + e.kg.ev.length + " in all)" : "") +
      (e.kg.articles ? " · " + e.kg.articles + " articles" : "")));
    box.append(el("p", "By: " + who(list, 2)));
    box.append(el("p", "On: " + who(list, 3)));
    var chart = series(e.kg.ev);
    if (chart) box.append(chart);
    var counts = {};
    list.forEach(function (ev) { var n = relations[ev[1]].name; counts[n] = (counts[n] || 0) + 1; });
    var rels = el("ul");
    rels.className = "rels";
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || relIndex[a] - relIndex[b]; }).forEach(function (name) {
      var r = relations[relIndex[name]], item = el("li"), head = el("strong", r.label), swatch = el("span");
      swatch.className = "line";
      swatch.style.background = quadColours[r.quad];
      item.append(swatch, head, el("span", " " + name + " · " + quadNames[r.quad] + " · " + counts[name] + " events"));
      var sources = el("ol"), stored = e.kg.evidence[name] || [];
      var within = stored.filter(function (ev) { return !ev.date || ((!f.from || ev.date >= f.from) && (!f.to || ev.date <= f.to)); });
      if (!within.length && stored.length) item.append(el("p", "No stored sentence from these dates; from others:"));
      (within.length ? within : stored).forEach(function (ev) {
        var li = el("li");
        li.append(el("q", ev.sentence), cite(ev));
        sources.append(li);
      });
      item.append(sources);
      rels.append(item);
    });
    box.append(rels);
    box.append(el("p", "All events: see events.jsonl."));
  }
  function showNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    var box = $("details"), list = el("ul");
    box.replaceChildren();
    box.append(el("h3", n.kg.name));
    box.append(el("p", n.kg.type + (n.kg.state && n.kg.state !== n.id ? " · " + n.kg.state : "") +
      " · " + n.kg.events + " events"));
    if (n.kg.who) box.append(el("p", "Acting: " + n.kg.who));
    var related = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    related.sort(function (a, b) { return b.kg.ev.length - a.kg.ev.length || (a.id < b.id ? -1 : 1); });
    related.slice(0, 25).forEach(function (e) {
      var item = el("li", names(e) + (e.kg.relation ? " · " + relations[relIndex[e.kg.relation]].label : "") +
        " (" + e.kg.ev.length + ")");
      item.className = "link";
      item.addEventListener("click", function () { showEdge(e.id); });
      list.append(item);
    });
    box.append(list);
    if (related.length > 25) box.append(el("p", (related.length - 25) + " more"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); focus(p.nodes[0]); }
    else if (p.edges.length) showEdge(p.edges[0]);
    else unfocus();
  });
  kg.showEdge = showEdge;
  kg.showNode = showNode;

  // Search: exact name first, then the first name containing the text.
  var index = nodeData.map(function (n) { return [String(n.kg.name).toLowerCase(), n.id]; });
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
    network.focus(found, { scale: Math.max(network.getScale(), 1), animation: { duration: 400 } });
    showNode(found);
  });

  applyFilters();
  network.fit({ animation: false });
  network.once("afterDrawing", function () {
    kg.ready = true;
    kg.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });
  network.redraw();
})();
