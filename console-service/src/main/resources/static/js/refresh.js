// Refreshes the page's live parts (#live, #table) in place every data-refresh seconds, keeping the filters, the
// scroll position and the focus; a screen reader hears the counts change (aria-live on #live).
(function () {
  var main = document.getElementById('main');
  var seconds = main ? parseInt(main.getAttribute('data-refresh'), 10) : 0;
  var live = document.getElementById('live');
  if (live) { live.setAttribute('aria-live', 'polite'); }
  if (!seconds || seconds < 5) { return; }
  function refresh() {
    if (document.hidden) { return; }
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error('status ' + response.status); }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        ['live', 'table'].forEach(function (id) {
          var now = document.getElementById(id), fresh = next.getElementById(id);
          if (now && fresh && now.innerHTML !== fresh.innerHTML) { now.innerHTML = fresh.innerHTML; }
        });
        document.body.setAttribute('data-refreshed', new Date().toISOString());
      })
      .catch(function () { /* the next round tries again */ });
  }
  setInterval(refresh, seconds * 1000);
})();
