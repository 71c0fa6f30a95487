// Accessible names for the slider handles of the saved widgets. ipywidgets draws
// each slider with noUiSlider, whose handle (role="slider") has no label of its own;
// the widget's description sits beside it. Name each handle after that description.
(function () {
  function nameHandles(root) {
    root.querySelectorAll('.noUi-handle[role="slider"]:not([aria-label])').forEach(function (handle) {
      var widget = handle.closest('.widget-slider, .widget-hslider, .jupyter-widgets');
      var label = widget && widget.querySelector('.widget-label');
      var text = label && label.textContent.trim();
      handle.setAttribute('aria-label', text || 'slider');
    });
  }
  function start() {
    nameHandles(document);
    new MutationObserver(function () { nameHandles(document); })
      .observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
