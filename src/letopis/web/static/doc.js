// The article page: a name opens its entity; the layer switches hide or show each kind of highlight;
// following a link in the fact panel flashes the span it points to.
(function () {
  "use strict";
  var article = document.getElementById("article");
  if (!article) { return; }
  article.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-href]");
    if (mark && !window.getSelection().toString()) { window.location.href = mark.getAttribute("data-href"); }
  });
  var layers = document.getElementById("layers");
  layers.hidden = false;
  layers.addEventListener("change", function (event) {
    var box = event.target;
    article.classList.toggle("hide-" + box.getAttribute("data-layer"), !box.checked);
  });
  function flash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var pieces = id ? article.querySelectorAll('[id="' + id + '"], [data-continues="' + id + '"]') : [];
    article.querySelectorAll(".flash").forEach(function (el) { el.classList.remove("flash"); });
    pieces.forEach(function (el) { el.classList.add("flash"); });
  }
  window.addEventListener("hashchange", flash);
  flash();
})();
