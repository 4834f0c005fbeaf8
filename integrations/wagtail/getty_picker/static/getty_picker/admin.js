// What getty-picker's admin scripts share: getty_picker/chooser.js (the chooser modal) and
// getty_picker/field.js (the Getty field and block) both set up elements the server rendered and
// those Wagtail adds later, and both let only http(s) URLs reach an `src` or a request. Loaded
// on every admin page right before chooser.js (`insert_global_admin_js`), so before the form
// media that bring field.js. A plain script (no inline code, no eval), so it runs under
// `script-src 'self'`; a second copy on a page leaves the first in place.
(() => {
  "use strict";

  if (window.GettyPickerAdmin) return;

  /** Calls `setUp(element)` for each element matching `selector`: those in the page once it is
   * parsed, then those added later (Wagtail's editor adds StreamField blocks and modals after
   * the page loaded), each time one is added. */
  function whenAdded(selector, setUp) {
    function within(root) {
      const found = root.matches && root.matches(selector) ? [root] : [];
      if (root.querySelectorAll) found.push(...root.querySelectorAll(selector));
      for (const element of found) setUp(element);
    }

    function start() {
      within(document);
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            if (node instanceof Element) within(node);
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start, { once: true });
    } else {
      start();
    }
  }

  /** `value` as an absolute http(s) URL (an absolute one, or a path on this site), else null:
   * only such URLs reach an `src` or a request. */
  function httpUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      const url = new URL(value, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  window.GettyPickerAdmin = Object.freeze({ whenAdded, httpUrl });
})();
