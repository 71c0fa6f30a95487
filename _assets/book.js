// The "Live code" button (Thebe): it loads Thebe's script from a CDN and then asks
// Binder for a kernel. Where either cannot be reached it would say "Loading thebe
// from CDN..." for ever; after 20 s without a word from Thebe, say what happened
// and where to go instead.
(function () {
  var WAIT_MS = 20000;   // a test may shorten it: window.ICARIA_THEBE_WAIT_MS
  var scriptFailed = false;
  // Thebe's script failing to download is known at once: say so without waiting.
  document.addEventListener('error', function (event) {
    var target = event.target;
    if (target && target.tagName === 'SCRIPT' && /thebe/.test(target.src || '')) scriptFailed = true;
  }, true);
  function watch() {
    var started = Date.now();
    var timer = setInterval(function () {
      // sphinx-book-theme adds this button under the title when Live Code is chosen
      var button = document.querySelector('.thebe-launch-button');
      var status = button && button.querySelector('.status');
      var heard = status ? status.textContent.trim() : '';
      if (heard && heard !== 'failed') { clearInterval(timer); return; }
      if (heard !== 'failed' && !scriptFailed && Date.now() - started < (window.ICARIA_THEBE_WAIT_MS || WAIT_MS)) return;
      clearInterval(timer);
      var what = typeof window.thebelab === 'undefined'
        ? "Live code could not start: Thebe's script could not be downloaded (offline, or blocked by the network)."
        : heard === 'failed' ? 'Live code could not start: the Binder server reported a failure.'
          : 'Live code could not start: the Binder server did not answer.';
      if (button) {
        button.textContent = 'Live code unavailable';
        button.setAttribute('title', what);
      }
      var note = document.createElement('p');
      note.className = 'thebe-unavailable admonition warning';
      note.setAttribute('role', 'alert');
      note.textContent = what + ' Use the Binder or Colab launch button, or download the notebook.';
      var article = document.querySelector('article') || document.body;
      article.insertBefore(note, article.firstChild);
    }, 500);
  }
  var watching = false;
  document.addEventListener('click', function (event) {
    var launch = event.target.closest && event.target.closest('.btn-launch-thebe, .thebe-launch-button');
    if (launch && !watching) {
      watching = true;
      watch();
    }
  }, true);
})();
