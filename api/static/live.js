// Live parts of a dashboard page: on a "changed" server-sent event, fetch the page
// again and swap the #live region in place (no reload, scroll and focus kept).
(function () {
  "use strict";
  const region = document.getElementById("live");
  if (!region || !window.EventSource) return;
  let busy = false;
  let again = false;

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.href, { headers: { "Accept": "text/html" } });
      if (response.redirected || !response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("live");
      if (fresh) {
        region.replaceChildren(...fresh.childNodes);
        region.dataset.refreshed = String(Date.now());
        document.dispatchEvent(new CustomEvent("live:refreshed"));
      }
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  const events = new EventSource(region.dataset.live);
  events.addEventListener("changed", refresh);
  window.addEventListener("beforeunload", () => events.close());
})();
