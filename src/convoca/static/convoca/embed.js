/* Convoca embeds, on a partner's page: sizes every <iframe data-convoca-embed> to the height its
   page reports. Include once with <script src="https://convoca.example/static/convoca/embed.js"
   async></script>; it needs no inline script and sets no cookie. A message is believed only from
   the frame it names itself as and from that frame's own origin. */
(function () {
  "use strict";
  if (window.convocaEmbeds) return;  // the snippet may be pasted more than once on a page
  window.convocaEmbeds = true;
  var originOf = function (frame) {
    try { return new URL(frame.src, document.baseURI).origin; } catch (e) { return null; }
  };
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.convoca !== "embed-height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-convoca-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (originOf(frame) !== event.origin) return;
      var height = Math.max(50, Math.min(5000, Math.round(data.height)));
      frame.height = String(height);
      frame.style.height = height + "px";
      frame.dataset.convocaSized = String(height);
      return;
    }
  });
})();
