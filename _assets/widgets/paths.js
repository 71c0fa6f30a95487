// Tell RequireJS that the widget modules (all bundled in embed-amd.js) live in
// the book's _static/widgets folder, so the icon fonts they ask for load from
// there on every page instead of a path relative to the page.
(function () {
  var folder = (document.documentElement.dataset.content_root || "") + "_static/widgets";
  require.config({
    paths: { "@jupyter-widgets": folder, "@jupyter-widgets/html-manager/dist": folder },
  });
})();
