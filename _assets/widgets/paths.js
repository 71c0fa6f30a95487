// Two adjustments so that saved widgets render cleanly on every page, online or offline.
(function () {
  // 1. Tell RequireJS that the widget modules (all bundled in embed-amd.js) live in
  //    the book's _static/widgets folder, so the icon fonts they ask for load from
  //    there instead of a path relative to the page.
  var folder = (document.documentElement.dataset.content_root || "") + "_static/widgets";
  require.config({
    paths: { "@jupyter-widgets": folder, "@jupyter-widgets/html-manager/dist": folder },
  });

  // 2. The widget manager typesets labels with the MathJax 2 call MathJax.Hub.Queue;
  //    the book loads MathJax 3, which has no Hub. Give every MathJax object a small
  //    Hub that forwards to MathJax 3's typesetPromise (or does nothing before it loads).
  function addHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (job) {
          var element = job && job[2];
          if (element && window.MathJax && window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise([element]).catch(function () {});
          }
        },
      };
    }
    return mathjax;
  }
  var current = addHub(window.MathJax || {});
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = addHub(value); },
  });
})();
