// On a report's page while it is being made: ask every few seconds whether its status has
// changed, and reload the page once it has, so the download (or the reason it failed) appears
// without the person having to refresh. Without JavaScript the page has a "Check again" link.
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var status = box.getAttribute("data-status");
  var tries = 0;
  function poll() {
    tries += 1;
    if (tries > 200) return; // about ten minutes: the page says to come back later
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.status && data.status !== status) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 3000);
        }
      })
      .catch(function () { window.setTimeout(poll, 6000); });
  }
  window.setTimeout(poll, 2000);
})();
