/* The action form, enhanced: the city field suggests places from Convoca's own place search
   (no third party), and a pin on the map sets the exact coordinates. Without JavaScript the
   form still works: the server places the action at its city. */
(function () {
  "use strict";
  var city = document.getElementById("id_city");
  var country = document.getElementById("id_country");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var list = document.getElementById("city-options");
  var box = document.getElementById("pin-map");
  if (!city || !lat || !lon || !list) return;
  var found = {};
  var marker = null;
  var map = null;

  function setPoint(latitude, longitude, zoom) {
    lat.value = latitude.toFixed(5);
    lon.value = longitude.toFixed(5);
    if (!map) return;
    if (!marker) {
      marker = L.marker([latitude, longitude], { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", function () {
        var p = marker.getLatLng();
        lat.value = p.lat.toFixed(5);
        lon.value = p.lng.toFixed(5);
      });
    } else {
      marker.setLatLng([latitude, longitude]);
    }
    map.setView([latitude, longitude], zoom || Math.max(map.getZoom(), 12));
  }

  if (box && window.L) {
    box.hidden = false;
    map = L.map(box, { scrollWheelZoom: false }).setView([20, 0], 2);
    fetch(box.dataset.outline).then(function (r) { return r.json(); }).then(function (world) {
      L.geoJSON(topojson.feature(world, world.objects.countries), {
        style: { color: "#8a8f98", weight: 0.6, fillColor: "#e9e6df", fillOpacity: 1 }, interactive: false
      }).addTo(map).bringToBack();
    }).catch(function () {});
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19,
                                     referrerPolicy: "strict-origin" }).addTo(map);
    map.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng); });
    if (lat.value && lon.value) setPoint(parseFloat(lat.value), parseFloat(lon.value), 12);
  }

  var timer = null;
  city.addEventListener("input", function () {
    clearTimeout(timer);
    var typed = city.value.trim();
    if (found[typed]) {
      setPoint(found[typed].latitude, found[typed].longitude, 12);
      if (country && !country.value) country.value = found[typed].country;
      return;
    }
    if (typed.length < 2) return;
    timer = setTimeout(function () {
      var url = "/api/v1/places?q=" + encodeURIComponent(typed) + (country && country.value ? "&country=" + country.value : "");
      fetch(url).then(function (r) { return r.ok ? r.json() : { items: [] }; }).then(function (data) {
        list.textContent = "";
        data.items.forEach(function (place) {
          found[place.name] = place;
          var option = document.createElement("option");
          option.value = place.name;
          list.appendChild(option);
        });
      });
    }, 250);
  });
})();

/* On an action's page: the start in the visitor's own time zone, where it differs. */
(function () {
  "use strict";
  var line = document.querySelector("dd.your-time");
  if (!line || !window.Intl) return;
  var mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!mine || mine === line.dataset.zone) return;
  var text = new Intl.DateTimeFormat(document.documentElement.lang, {
    dateStyle: "medium", timeStyle: "short" }).format(new Date(line.dataset.start));
  line.querySelector("time").textContent = text + " (" + mine + ")";
  document.querySelectorAll(".your-time").forEach(function (element) { element.hidden = false; });
})();
