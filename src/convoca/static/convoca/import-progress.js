// The import's progress page: ask the JSON status every second and move the bar; when the
// check or the import ends (the state changes), reload to show the next page. Without
// JavaScript the page refreshes itself every five seconds instead (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.querySelector(".import-progress");
  if (!box) return;
  var bar = document.getElementById("import-bar");
  var text = document.getElementById("import-text");
  var stalled = document.getElementById("import-stalled");
  var state = box.getAttribute("data-state");

  function poll() {
    fetch(box.getAttribute("data-status"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        if (status.state !== state) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(status.total, 1);
        bar.value = status.done;
        bar.textContent = status.percent + " %";
        text.textContent = status.text;
        document.title = status.percent + " % · " + document.title.replace(/^\d+ % · /, "");
        stalled.hidden = !status.stalled;
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
