/* Inside an embed (convoca.embeds): tell the framing page how tall this page is, so its
   embed.js can size the iframe, and keep a count widget's figures fresh. The message holds
   nothing but a height, so it may go to any parent ("*"); the parent checks our origin. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  var post = function () {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ convoca: "embed-height", height: height }, "*");
  };
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
  post();
})();

/* The count widget fetches its own page again (public, cached for seconds) every half minute
   and swaps in the new figures: numbers and plurals stay as the server formats them. */
(function () {
  "use strict";
  var box = document.querySelector("[data-refresh]");
  if (!box || !window.fetch || !window.DOMParser) return;
  var refresh = function () {
    fetch(box.dataset.refresh, { credentials: "omit" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".count-box");
      var shown = box.querySelector(".count-box");
      if (fresh && shown) shown.replaceWith(fresh);
    }).catch(function () {});
  };
  setInterval(refresh, 30000);
})();
