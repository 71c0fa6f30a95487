// The "Live code" button (Thebe): it loads Thebe's script from a CDN and then asks
// Binder for a kernel. Where either cannot be reached it would say "Loading thebe
// from CDN..." for ever; after 20 s without a word from Thebe, say what happened
// and where to go instead.
(function () {
  var WAIT_MS = 20000;
  function watch(button) {
    var started = Date.now();
    var timer = setInterval(function () {
      var status = button.querySelector('.status');
      var heard = status ? status.textContent.trim() : '';
      if (heard && heard !== 'failed') { clearInterval(timer); return; }
      if (heard !== 'failed' && Date.now() - started < WAIT_MS) return;
      clearInterval(timer);
      var what = typeof window.thebelab === 'undefined'
        ? "Live code could not start: Thebe's script could not be downloaded (offline, or blocked by the network)."
        : heard === 'failed' ? 'Live code could not start: the Binder server reported a failure.'
          : 'Live code could not start: the Binder server did not answer.';
      button.textContent = 'Live code unavailable';
      button.setAttribute('title', what);
      var note = document.createElement('p');
      note.className = 'thebe-unavailable admonition warning';
      note.setAttribute('role', 'alert');
      note.textContent = what + ' Use the Binder or Colab launch button, or download the notebook.';
      var article = document.querySelector('article') || document.body;
      article.insertBefore(note, article.firstChild);
    }, 500);
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('.thebe-launch-button');
    if (button && !button.dataset.watched) {
      button.dataset.watched = 'yes';
      watch(button);
    }
  }, true);
})();
