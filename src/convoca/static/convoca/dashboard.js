/* The coordinators' dashboard: SVG charts and a world map drawn from the page's data, a sortable
   country table, and figures refreshed every 20 seconds from the staff-only JSON endpoint. Every
   figure is also in the HTML (tables), so the page is complete without JavaScript. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var REFRESH = 20000;
  var lang = document.documentElement.lang || "en";
  var numberFormat = new Intl.NumberFormat(lang);
  function fmt(n) { return numberFormat.format(n); }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function html(name, attrs, text) {
    var node = document.createElement(name);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* --- export progress ------------------------------------------------------------------- */
  var progress = document.getElementById("export-progress");
  if (progress) {
    var poll = function () {
      fetch(progress.dataset.progress, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (job) {
          document.getElementById("export-bar").value = job.percent;
          document.getElementById("export-bar").textContent = job.percent + " %";
          progress.querySelector("[data-field=state_label]").textContent = job.state_label;
          progress.querySelector("[data-field=done]").textContent = fmt(job.done);
          progress.querySelector("[data-field=total]").textContent = fmt(job.total);
          if (job.download) document.getElementById("export-download").hidden = false;
          if (job.state === "pending" || job.state === "running") setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  /* --- the campaign dashboard ------------------------------------------------------------ */
  var root = document.getElementById("dashboard");
  if (!root) return;
  var t = root.dataset;
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var sort = { key: t.sort || "total", dir: t.dir || "desc" };
  var world = null;

  /* Bar charts: people and organizations stacked, labelled axes, a tooltip per bar. */
  function niceStep(max) {
    var raw = Math.max(1, max) / 4;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * power >= raw) return Math.max(1, steps[i] * power);
    return 10 * power;
  }

  function label(row, unit) {
    return unit === "hour" ? row.t.slice(5, 10) + " " + row.t.slice(11, 16) : row.t.slice(0, 10);
  }

  function drawChart(container, rows, unit) {
    container.textContent = "";
    var legend = html("p", { class: "chart-legend", "aria-hidden": "true" });
    [["people", t.tPeople], ["organizations", t.tOrganizations]].forEach(function (item) {
      var key = html("span", { class: "key " + item[0] });
      legend.appendChild(key);
      legend.appendChild(document.createTextNode(item[1] + " "));
    });
    container.appendChild(legend);
    if (!rows.length) { container.appendChild(html("p", { class: "help" }, t.tNodata)); return; }
    // Drawn at the container's own width, so the labels keep their size on a phone.
    var W = Math.max(280, Math.round(container.clientWidth || 640)), H = 260, left = 48, right = 10, top = 12, bottom = 58;
    var max = 0;
    rows.forEach(function (r) { max = Math.max(max, r.people + r.organizations); });
    var step = niceStep(max), top_value = Math.max(step, Math.ceil(max / step) * step);
    var plotW = W - left - right, plotH = H - top - bottom;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, class: "chart-svg", "aria-hidden": "true", focusable: "false" });
    for (var v = 0; v <= top_value; v += step) {
      var y = top + plotH - (v / top_value) * plotH;
      svg.appendChild(el("line", { x1: left, x2: W - right, y1: y, y2: y, class: v ? "grid" : "axis" }));
      svg.appendChild(el("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, fmt(v)));
    }
    var band = plotW / rows.length, bar = Math.max(1, band * 0.78);
    var every = Math.max(1, Math.ceil(rows.length / Math.max(1, Math.floor(plotW / 56))));
    if (unit === "hour") every = every <= 6 ? 6 : every <= 12 ? 12 : 24;
    var lastDay = null;
    rows.forEach(function (r, i) {
      var x = left + i * band + (band - bar) / 2;
      var hp = (r.people / top_value) * plotH, ho = (r.organizations / top_value) * plotH;
      var g = el("g");
      g.appendChild(el("title", {}, label(r, unit) + " — " + t.tPeople + ": " + fmt(r.people) + ", " + t.tOrganizations + ": " + fmt(r.organizations)));
      if (hp) g.appendChild(el("rect", { x: x, y: top + plotH - hp, width: bar, height: hp, class: "people" }));
      if (ho) g.appendChild(el("rect", { x: x, y: top + plotH - hp - ho, width: bar, height: ho, class: "organizations" }));
      svg.appendChild(g);
      if (i % every === 0) {
        var text = unit === "hour" ? r.t.slice(11, 16) : r.t.slice(5, 10);
        var cx = left + i * band + band / 2;
        svg.appendChild(el("line", { x1: cx, x2: cx, y1: top + plotH, y2: top + plotH + 4, class: "axis" }));
        svg.appendChild(el("text", { x: cx, y: top + plotH + 17, "text-anchor": "middle", class: "tick" }, text));
        if (unit === "hour" && r.t.slice(5, 10) !== lastDay) {  // the date under a day's first label
          lastDay = r.t.slice(5, 10);
          svg.appendChild(el("text", { x: cx, y: top + plotH + 31, "text-anchor": "middle", class: "tick" }, r.t.slice(5, 10)));
        }
      }
    });
    svg.appendChild(el("text", { x: left + plotW / 2, y: H - 6, "text-anchor": "middle", class: "axis-title" },
      unit === "hour" ? t.tHour : t.tDay));
    svg.appendChild(el("text", { x: 14, y: top + plotH / 2, "text-anchor": "middle", class: "axis-title",
      transform: "rotate(-90 14 " + (top + plotH / 2) + ")" }, t.tEndorsements));
    container.appendChild(svg);
  }

  function drawCharts() {
    document.querySelectorAll("[data-chart]").forEach(function (container) {
      drawChart(container, data[container.dataset.chart], container.dataset.unit);
    });
  }

  /* The world map: an equirectangular SVG choropleth of the bundled Natural Earth outline. */
  var COLOURS = ["#d3ebe4", "#98cfbf", "#58a893", "#237a66", "#0b4a3f"];
  var MAP_W = 960, NORTH = 84, SOUTH = -58, SCALE = MAP_W / 360, MAP_H = (NORTH - SOUTH) * SCALE;

  function project(point) {
    return [(point[0] + 180) * SCALE, (NORTH - point[1]) * SCALE];
  }

  function ringPath(ring) {
    var d = "", previous = null;
    ring.forEach(function (point) {
      var p = project(point);
      var jump = previous && Math.abs(p[0] - previous[0]) > MAP_W / 2;  // across the antimeridian
      d += (previous && !jump ? "L" : "M") + p[0].toFixed(1) + "," + p[1].toFixed(1);
      previous = p;
    });
    return d + "Z";
  }

  function featurePath(geometry) {
    if (!geometry) return "";
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.map(function (polygon) { return polygon.map(ringPath).join(""); }).join("");
  }

  function classes(max) {
    // Upper bounds of five classes on a square-root scale (big countries do not flatten the rest).
    var bounds = [];
    for (var k = 1; k <= 5; k++) bounds.push(Math.max(k, Math.round(max * Math.pow(k / 5, 2))));
    return bounds.filter(function (b, i) { return i === 0 || b > bounds[i - 1]; });
  }

  function classOf(value, bounds) {
    for (var i = 0; i < bounds.length; i++) if (value <= bounds[i]) return i;
    return bounds.length - 1;
  }

  function drawMap() {
    var container = document.getElementById("worldmap");
    if (!world || !container || typeof topojson === "undefined") return;
    var byNumeric = {};
    var max = 0;
    data.countries.forEach(function (row) { byNumeric[row.numeric] = row; max = Math.max(max, row.total); });
    var bounds = classes(max);
    var svg = el("svg", { viewBox: "0 0 " + MAP_W + " " + MAP_H.toFixed(0), class: "map-svg", role: "img", "aria-label": t.tMap });
    var land = topojson.feature(world, world.objects.countries).features;
    land.forEach(function (feature) {
      var row = byNumeric[feature.id];
      var d = featurePath(feature.geometry);
      if (!d) return;
      var path = el("path", { d: d, fill: row && row.total ? COLOURS[classOf(row.total, bounds)] : "#ecebe6", class: "country" });
      var name = row ? row.name : (feature.properties && feature.properties.name) || "";
      path.appendChild(el("title", {}, name + ": " + fmt(row ? row.total : 0)));
      svg.appendChild(path);
    });
    container.textContent = "";
    container.appendChild(svg);
    container.hidden = false;
    var legend = document.getElementById("map-legend");
    legend.textContent = "";
    legend.appendChild(html("span", {}, t.tEndorsements + ":"));
    var none = html("span", { class: "item" });
    none.appendChild(html("span", { class: "swatch swatch-none" }));
    none.appendChild(document.createTextNode(t.tNone));
    legend.appendChild(none);
    var low = 1;
    bounds.forEach(function (bound, i) {
      var item = html("span", { class: "item" });
      var swatch = html("span", { class: "swatch swatch-" + i });
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(low === bound ? fmt(bound) : fmt(low) + "–" + fmt(bound)));
      legend.appendChild(item);
      low = bound + 1;
    });
    legend.hidden = false;
  }

  /* The country table: sorted by clicking a column heading (aria-sort says how). */
  var table = document.getElementById("country-table");
  var collator = new Intl.Collator(lang);

  function sortCountries() {
    var key = sort.key, sign = sort.dir === "asc" ? 1 : -1;
    data.countries.sort(function (a, b) {
      if (key === "country") return sign * collator.compare(a.name, b.name);
      return sign * (a[key] - b[key]) || collator.compare(a.name, b.name);
    });
  }

  function renderCountries() {
    sortCountries();
    var body = table.querySelector("tbody");
    if (!data.countries.length) return;
    body.textContent = "";
    data.countries.forEach(function (row) {
      var tr = html("tr");
      tr.appendChild(html("th", { scope: "row" }, row.name));
      ["people", "organizations", "total", "actions"].forEach(function (key) {
        tr.appendChild(html("td", { class: "num" }, fmt(row[key])));
      });
      body.appendChild(tr);
    });
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.dataset.sort === sort.key) th.setAttribute("aria-sort", sort.dir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }

  table.querySelectorAll("th[data-sort] a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var key = link.parentNode.dataset.sort;
      if (key === sort.key) sort.dir = sort.dir === "asc" ? "desc" : "asc";
      else { sort.key = key; sort.dir = key === "country" ? "asc" : "desc"; }
      renderCountries();
      link.focus();
    });
  });

  /* The other figures: tiles, backlog, partners, the data tables and recent activity. */
  function renderFigures() {
    var backlog = data.backlog;
    var values = {
      "backlog.sum": backlog.organizations + backlog.actions + backlog.held_waves + backlog.alerts,
    };
    ["people", "organizations", "total", "public"].forEach(function (k) { values["totals." + k] = data.totals[k]; });
    ["organizations", "actions", "held_waves", "alerts"].forEach(function (k) { values["backlog." + k] = backlog[k]; });
    document.querySelectorAll("[data-figure]").forEach(function (node) {
      var value = values[node.dataset.figure];
      if (value !== undefined) node.textContent = fmt(value);
    });
    data.partners.forEach(function (row) {
      var tr = document.querySelector('[data-table=partners] tr[data-code="' + CSS.escape(row.code) + '"]');
      if (!tr) return;
      tr.querySelector("[data-col=all]").textContent = fmt(row.all);
      tr.querySelector("[data-col=counted]").textContent = fmt(row.counted);
    });
    ["hours", "days"].forEach(function (key) {
      var body = document.querySelector("[data-table=" + key + "]");
      if (!body || !data[key].length) return;
      body.textContent = "";
      data[key].forEach(function (row) {
        var tr = html("tr");
        tr.appendChild(html("th", { scope: "row" }, label(row, key === "hours" ? "hour" : "day")));
        tr.appendChild(html("td", { class: "num" }, fmt(row.people)));
        tr.appendChild(html("td", { class: "num" }, fmt(row.organizations)));
        body.appendChild(tr);
      });
    });
    var list = document.querySelector("[data-list=recent]");
    if (list && data.recent.length) {
      list.textContent = "";
      data.recent.forEach(function (item) {
        var li = html("li");
        li.appendChild(html("time", { datetime: item.at }, item.at.slice(5, 10) + " " + item.at.slice(11, 16)));
        var parts = [];
        if (item.type === "endorsement") {
          parts.push(item.kind === "person" ? t.tPerson : t.tOrganization);
          li.appendChild(document.createTextNode(" · " + parts[0]));
          if (item.name) { li.appendChild(document.createTextNode(" ")); li.appendChild(html("bdi", {}, item.name)); }
          li.appendChild(document.createTextNode(" · " + item.country_name + " · "));
          li.appendChild(html("bdi", {}, item.statement));
          if (item.source) { li.appendChild(document.createTextNode(" · " + t.tVia + " ")); li.appendChild(html("code", {}, item.source)); }
          if (item.review === "pending") li.appendChild(document.createTextNode(" · " + t.tPending));
          else if (!item.counted) li.appendChild(document.createTextNode(" · " + t.tNotcounted));
        } else {
          li.appendChild(document.createTextNode(" · " + t.tAction + " "));
          li.appendChild(html("bdi", { lang: item.language }, item.title));
          li.appendChild(document.createTextNode(" · "));
          if (item.city) { li.appendChild(html("bdi", {}, item.city)); li.appendChild(document.createTextNode(", ")); }
          li.appendChild(document.createTextNode(item.country_name + " · " + item.state_label));
        }
        list.appendChild(li);
      });
    }
    var updated = document.getElementById("updated-at");
    updated.setAttribute("datetime", data.generated_at);
    updated.textContent = data.generated_at.slice(11, 16);
  }

  /* Refresh: quietly, unless the count changed (one polite announcement) or the refresh fails. */
  var live = document.getElementById("live");
  var failed = false;
  function load() {
    return fetch(t.figures, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("application/json") !== 0) throw new Error(r.status);
        return r.json();
      })
      .then(function (fresh) {
        var before = data.totals.total;
        data = fresh;
        renderFigures(); renderCountries(); drawCharts(); drawMap();
        if (fresh.totals.total !== before) live.textContent = t.tChanged + " " + fmt(fresh.totals.total);
        else if (failed) live.textContent = "";
        failed = false;
        root.dataset.refreshed = fresh.generated_at;
      })
      .catch(function () {
        if (!failed) live.textContent = t.tOffline;
        failed = true;
      });
  }
  function refresh() {
    if (document.hidden) { setTimeout(refresh, REFRESH); return; }
    load().then(function () { setTimeout(refresh, REFRESH); });
  }

  drawCharts();
  renderCountries();
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(drawCharts, 200);
  });
  fetch(t.outline).then(function (r) { return r.json(); }).then(function (topology) {
    world = topology;
    drawMap();
  }).catch(function () { /* the table stays the map's fallback */ });
  setTimeout(refresh, REFRESH);
  window.convocaDashboardRefresh = load;  // one refresh now (tests, or a console)
})();
