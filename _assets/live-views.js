// Live figures on the website, with no kernel: the form under a figure (drawn by
// icaria.live.site_form) swaps the figure's image for the view the book's build
// drew for the chosen settings (icaria.site_views: _static/views/<Chart>/<key>.png,
// with each view's alt text and caption in views.json): picture, alt text and caption
// change together. The default settings show the chapter's own figure, caption and alt text.
(function () {
  'use strict';
  var base = document.currentScript.src.replace(/[^/]*$/, '') + 'views/';

  function labelOf(control) {
    if (control.tagName === 'SELECT') return control.options[control.selectedIndex].text;
    return JSON.parse(control.dataset.labels)[Number(control.value)];
  }

  function setUp(box) {
    var figure = document.getElementById(box.dataset.figure || '');
    var img = figure && figure.querySelector('img');
    if (!img) return;
    var chart = box.dataset.chart;
    var star = box.dataset.mode === 'star';
    var controls = Array.prototype.slice.call(box.querySelectorAll('select, input[type="range"]'));
    var status = box.querySelector('.live-views-status');
    var link = img.closest('a');
    var caption = figure.querySelector('figcaption .caption-text') || figure.querySelector('figcaption');
    var chapter = {src: img.getAttribute('src'), alt: img.getAttribute('alt'),
                   style: img.getAttribute('style'), href: link && link.getAttribute('href'),
                   caption: caption && caption.innerHTML};
    var defaultKey = controls.map(function (c) { return c.dataset.default; }).join('-');
    var manifest = null;
    var wanted = defaultKey;

    function views() {
      if (!manifest) {
        manifest = fetch(base + chart + '/views.json').then(function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        });
      }
      return manifest;
    }

    function settings() {
      return controls.map(function (c) {
        return box.querySelector('label[for="' + c.id + '"]').textContent + ': ' + labelOf(c);
      }).join('; ');
    }

    function showChapterFigure() {
      img.setAttribute('src', chapter.src);
      img.setAttribute('alt', chapter.alt);
      if (chapter.style !== null) img.setAttribute('style', chapter.style);
      if (link) link.setAttribute('href', chapter.href);
      if (caption) caption.innerHTML = chapter.caption;
    }

    function show(key) {
      wanted = key;
      if (key === defaultKey) {
        showChapterFigure();
        status.textContent = 'Showing the default settings (' + settings() + ').';
        return;
      }
      var src = base + chart + '/' + key + '.png';
      var picture = new Image();
      Promise.all([views(), new Promise(function (resolve, reject) {
        picture.onload = resolve;
        picture.onerror = function () { reject(new Error('no picture')); };
        picture.src = src;
      })]).then(function (found) {
        if (wanted !== key) return;
        img.setAttribute('src', src);
        img.setAttribute('alt', found[0].views[key].alt);
        if (caption) caption.textContent = found[0].views[key].caption;
        img.setAttribute('style', 'width: ' + picture.naturalWidth / 2 + 'px; height: auto;');
        if (link) link.setAttribute('href', src);
        status.textContent = 'Showing ' + settings() + '.';
      }).catch(function () {
        if (wanted === key) status.textContent = 'This view could not be loaded; the figure shows the last one.';
      });
    }

    function moved(event) {
      var control = event.target;
      if (star) {
        controls.forEach(function (c) { if (c !== control) c.value = c.dataset.default; });
      }
      controls.forEach(function (c) {
        if (c.tagName !== 'SELECT') {
          c.setAttribute('aria-valuetext', labelOf(c));
          c.nextElementSibling.textContent = labelOf(c);
        }
      });
      show(controls.map(function (c) { return c.value; }).join('-'));
    }

    box.addEventListener('input', moved);
    box.addEventListener('focusin', views, {once: true});
    box.querySelector('form').addEventListener('submit', function (event) { event.preventDefault(); });
    window.addEventListener('beforeprint', showChapterFigure);
    window.addEventListener('afterprint', function () { show(wanted); });
    box.querySelector('.live-views-panel').hidden = false;
    box.classList.add('live-views-ready');
  }

  function start() {
    document.querySelectorAll('.live-views[data-figure]').forEach(setUp);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
