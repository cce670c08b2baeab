// The entity graph: a small force layout drawn in SVG, with zoom, pan, node dragging and links.
// No library: the data is small (at most a few hundred nodes) and the page must work offline.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = { PER: "#f0b429", ORG: "#3b82c4", LOC: "#4caf50" };
  var svg = document.getElementById("graph");
  var viewport = document.getElementById("viewport");
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var view = { x: 0, y: 0, k: 1 };
  var byId = {};

  var most = Math.max.apply(null, data.nodes.map(function (n) { return n.mention_count; }).concat([1]));
  var nodes = data.nodes.map(function (n, i) {
    var angle = (2 * Math.PI * i) / Math.max(1, data.nodes.length);
    var node = { id: n.id, name: n.name, type: n.type, count: n.mention_count,
      x: Math.cos(angle) * 200, y: Math.sin(angle) * 200, vx: 0, vy: 0 };
    node.r = 5 + 13 * Math.sqrt(n.mention_count / most);
    byId[n.id] = node;
    return node;
  });
  // A pair who met is drawn once, as a meeting, and meetings last so no co-mention line covers them.
  var met = {};
  data.edges.forEach(function (e) { if (e.kind === "meeting") { met[e.source + "-" + e.target] = true; } });
  var edges = data.edges.filter(function (e) {
    return byId[e.source] && byId[e.target] && (e.kind === "meeting" || !met[e.source + "-" + e.target]);
  }).map(function (e) {
    return { a: byId[e.source], b: byId[e.target], kind: e.kind, weight: e.weight, label: e.label };
  }).sort(function (x, y) { return (x.kind === "meeting") - (y.kind === "meeting"); });

  function layout(steps) {
    for (var step = 0; step < steps; step++) {
      var heat = 1 - step / steps;
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var p = nodes[i], q = nodes[j];
          var dx = p.x - q.x, dy = p.y - q.y, d2 = dx * dx + dy * dy + 0.01;
          var f = 700 / d2;
          p.vx += dx * f; p.vy += dy * f; q.vx -= dx * f; q.vy -= dy * f;
        }
      }
      edges.forEach(function (e) {
        var dx = e.b.x - e.a.x, dy = e.b.y - e.a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        var want = e.kind === "meeting" ? 70 : 90, f = (d - want) * (e.kind === "meeting" ? 0.05 : 0.01);
        e.a.vx += (dx / d) * f; e.a.vy += (dy / d) * f; e.b.vx -= (dx / d) * f; e.b.vy -= (dy / d) * f;
      });
      nodes.forEach(function (n) {
        if (n.fixed) { n.vx = n.vy = 0; return; }
        n.vx -= n.x * 0.04; n.vy -= n.y * 0.04;
        var v = Math.sqrt(n.vx * n.vx + n.vy * n.vy), cap = 30 * heat + 1;
        if (v > cap) { n.vx *= cap / v; n.vy *= cap / v; }
        n.x += n.vx; n.y += n.vy; n.vx *= 0.5; n.vy *= 0.5;
      });
    }
  }

  function make(tag, attrs, parent) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { el.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(el); }
    return el;
  }

  function draw() {
    var edgeLayer = make("g", { "class": "edges" }, viewport);
    var nodeLayer = make("g", { "class": "nodes" }, viewport);
    edges.forEach(function (e) {
      e.el = make("line", { "class": "edge " + e.kind, "vector-effect": "non-scaling-stroke",
        "data-source": e.a.id, "data-target": e.b.id,
        "stroke-width": e.kind === "meeting" ? 2 + Math.min(4, e.weight) : 1 + Math.min(3, Math.log(e.weight + 1)) }, edgeLayer);
      var title = make("title", {}, e.el);
      title.textContent = e.a.name + " — " + e.b.name + (e.label ? ": " + e.label : " (" + e.weight + ")");
    });
    nodes.forEach(function (n) {
      n.el = make("a", { "class": "node", href: "/entity/" + n.id, "data-id": n.id }, nodeLayer);
      make("circle", { r: n.r, fill: COLOURS[n.type] || "#999", stroke: "#fff", "stroke-width": 1.5 }, n.el);
      var label = make("text", { x: n.r + 3, y: 4 }, n.el);
      label.textContent = n.name;
      var title = make("title", {}, n.el);
      title.textContent = n.name + " · упоминаний: " + n.count;
      n.el.addEventListener("pointerenter", function () { focus(n); });
      n.el.addEventListener("pointerleave", function () { focus(null); });
    });
    position();
  }

  function position() {
    edges.forEach(function (e) {
      e.el.setAttribute("x1", e.a.x); e.el.setAttribute("y1", e.a.y);
      e.el.setAttribute("x2", e.b.x); e.el.setAttribute("y2", e.b.y);
    });
    // Labels, dots and lines keep their size on screen when zoomed out, so a large graph stays legible.
    var keep = 1 / Math.min(view.k, 1);
    nodes.forEach(function (n) {
      n.el.setAttribute("transform", "translate(" + n.x + "," + n.y + ") scale(" + keep + ")");
    });
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }

  function focus(node) {
    var near = {};
    if (node) {
      near[node.id] = true;
      edges.forEach(function (e) {
        if (e.a === node) { near[e.b.id] = true; }
        if (e.b === node) { near[e.a.id] = true; }
      });
    }
    nodes.forEach(function (n) { n.el.classList.toggle("dim", !!node && !near[n.id]); });
    edges.forEach(function (e) { e.el.classList.toggle("dim", !!node && e.a !== node && e.b !== node); });
  }

  function fit() {
    var box = svg.getBoundingClientRect();
    if (!nodes.length || !box.width) { return; }
    var xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs) - 40, maxX = Math.max.apply(null, xs) + 160;
    var minY = Math.min.apply(null, ys) - 40, maxY = Math.max.apply(null, ys) + 40;
    view.k = Math.min(2, box.width / (maxX - minX), box.height / (maxY - minY));
    view.x = (box.width - (maxX + minX) * view.k) / 2;
    view.y = (box.height - (maxY + minY) * view.k) / 2;
    position();
  }

  function zoomAt(factor, cx, cy) {
    var k = Math.max(0.1, Math.min(8, view.k * factor));
    view.x = cx - ((cx - view.x) * k) / view.k;
    view.y = cy - ((cy - view.y) * k) / view.k;
    view.k = k;
    position();
  }

  function centre() {
    var box = svg.getBoundingClientRect();
    return [box.width / 2, box.height / 2];
  }

  // Pointer handling: a drag on a node moves it, a drag elsewhere pans, a short press on a node follows its link.
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    var target = event.target.closest(".node");
    drag = { node: target ? byId[target.getAttribute("data-id")] : null, x: event.clientX, y: event.clientY, moved: 0 };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    drag.moved += Math.abs(dx) + Math.abs(dy);
    drag.x = event.clientX; drag.y = event.clientY;
    if (drag.node) { drag.node.x += dx / view.k; drag.node.y += dy / view.k; drag.node.fixed = true; }
    else { view.x += dx; view.y += dy; }
    position();
  });
  svg.addEventListener("pointerup", function (event) {
    var finished = drag;
    drag = null;
    if (finished && finished.node && finished.moved < 5) {
      window.location.href = "/entity/" + finished.node.id;
    }
    event.preventDefault();
  });
  svg.addEventListener("click", function (event) { event.preventDefault(); });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var box = svg.getBoundingClientRect();
    zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });
  document.getElementById("zoom-in").addEventListener("click", function () { var c = centre(); zoomAt(1.3, c[0], c[1]); });
  document.getElementById("zoom-out").addEventListener("click", function () { var c = centre(); zoomAt(1 / 1.3, c[0], c[1]); });
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.getElementById("show-co").addEventListener("change", function (event) {
    edges.forEach(function (e) { if (e.kind === "co-mention") { e.el.style.display = event.target.checked ? "" : "none"; } });
  });
  svg.addEventListener("keydown", function (event) {
    var node = event.target.closest && event.target.closest(".node");
    if (node && event.key === "Enter") { window.location.href = node.getAttribute("href"); }
  });

  layout(300);
  draw();
  fit();
  window.addEventListener("resize", fit);
})();
