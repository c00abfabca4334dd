/* Poll a background job's progress and reload the page when it is finished. */
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root || root.dataset.finished === "1") { return; }
  var url = root.dataset.statusUrl;
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        document.getElementById("job-progress").value = s.percent;
        document.getElementById("job-percent").textContent = s.percent;
        document.getElementById("job-message").textContent = s.message;
        document.getElementById("job-status").textContent = s.status_display;
        if (s.finished) { window.location.reload(); } else { window.setTimeout(tick, 1000); }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 800);
})();
