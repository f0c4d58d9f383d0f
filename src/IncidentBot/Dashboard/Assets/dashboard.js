// IncidentBot dashboard: loads the parts of a page that take longer (summary, related incidents) and keeps an open
// incident's page up to date by polling its live fragment. No framework; the pages work without it.
(function () {
  "use strict";

  async function fill(element) {
    try {
      const response = await fetch(element.dataset.fragment, { headers: { "X-Requested-With": "fetch" } });
      element.innerHTML = response.ok ? await response.text() : "<p class=\"muted\">Could not be loaded.</p>";
    } catch {
      element.innerHTML = "<p class=\"muted\">Could not be loaded.</p>";
    }
  }

  function keepLive(element) {
    const every = Number(element.dataset.every || "5000");
    let version = element.dataset.version;
    setInterval(async function () {
      if (document.hidden) return;
      try {
        const response = await fetch(element.dataset.live, { headers: { "X-Requested-With": "fetch" } });
        if (!response.ok) return;
        const seen = response.headers.get("X-Incident-Version") + "/" + response.headers.get("X-Timeline-Entries");
        if (seen !== version) {
          version = seen;
          element.innerHTML = await response.text();
        }
      } catch {
        // The next poll tries again.
      }
    }, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-fragment]").forEach(fill);
    document.querySelectorAll("[data-live]").forEach(keepLive);
  });
})();
