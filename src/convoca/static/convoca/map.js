/* The map of a campaign's actions: Leaflet with marker clusters, fed by the campaign's GeoJSON.
   A low-resolution world outline (Natural Earth, bundled) is drawn under the tiles, so the map
   stays readable when tiles cannot load. No text of its own: titles come from the data and
   times are formatted by the browser in the visitor's language. */
(function () {
  "use strict";
  var element = document.getElementById("action-map");
  if (!element || !window.L) return;
  var data = element.dataset;
  var map = L.map(element, { worldCopyJump: true, scrollWheelZoom: false }).setView([20, 0], 2);
  window.convocaMap = map;

  fetch(data.outline).then(function (r) { return r.json(); }).then(function (world) {
    var land = topojson.feature(world, world.objects.countries);
    L.geoJSON(land, { style: { color: "#8a8f98", weight: 0.6, fillColor: "#e9e6df", fillOpacity: 1 },
                      interactive: false }).addTo(map).bringToBack();
  }).catch(function () {});

  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18, referrerPolicy: "strict-origin" }).addTo(map);

  var when = function (iso, zone) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang, {
        dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(new Date(iso)) + " (" + zone + ")";
    } catch (e) { return iso; }
  };
  fetch(data.geojson).then(function (r) { return r.json(); }).then(function (collection) {
    var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
    var layer = L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) { return L.marker(latlng, { title: feature.properties.title }); },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = data.actionBase + p.id + "/";
        link.textContent = p.title;
        link.dir = "auto";
        if (data.linkTarget) { link.target = data.linkTarget; link.rel = "noopener"; }  // in an embed
        var line = document.createElement("p");
        line.textContent = when(p.starts_at, p.timezone) + (p.city ? " · " + p.city : "");
        box.appendChild(link);
        box.appendChild(line);
        marker.bindPopup(box);
      }
    });
    clusters.addLayer(layer);
    map.addLayer(clusters);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 10, padding: [24, 24] });
    element.dataset.loaded = String(collection.features.length);
  });
})();

/* "Use my location": the browser's position goes into the list's query, nowhere else. */
(function () {
  "use strict";
  var button = document.getElementById("locate");
  var near = document.getElementById("near");
  if (!button || !near || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      near.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
      document.getElementById("near_city").value = "";
      near.form.submit();
    });
  });
})();

/* An action's own page: one pin (rounded for approximate locations, as the data already is). */
(function () {
  "use strict";
  var element = document.getElementById("action-point");
  if (!element || !window.L) return;
  var data = element.dataset;
  var point = [parseFloat(data.latitude), parseFloat(data.longitude)];
  var map = L.map(element, { scrollWheelZoom: false }).setView(point, data.approximate === "true" ? 13 : 15);
  fetch(data.outline).then(function (r) { return r.json(); }).then(function (world) {
    L.geoJSON(topojson.feature(world, world.objects.countries), {
      style: { color: "#8a8f98", weight: 0.6, fillColor: "#e9e6df", fillOpacity: 1 }, interactive: false
    }).addTo(map).bringToBack();
  }).catch(function () {});
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18, referrerPolicy: "strict-origin" }).addTo(map);
  if (data.approximate === "true") {
    L.circle(point, { radius: 700, color: "#0b5c4f" }).addTo(map);
  } else {
    L.marker(point).addTo(map);
  }
})();
