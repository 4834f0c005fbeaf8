// The "Getty Images" tab of Wagtail's image chooser. Loaded on every admin page (a plain script:
// no inline code, no eval, so it runs under `script-src 'self'`); it waits for a chooser modal
// that carries the tab (getty_picker/chooser/tab.html, rendered by the server after Wagtail's own
// modal), moves the tab into the modal's tab list, and mounts the picker the first time the tab is
// shown. A download has the site import the licensed file in the background: the tab polls the
// import and, once the file is in the library, follows the tab's `data-chooser-modal-choice` link
// to Wagtail's "chosen" step, as a click on a library image does. "Use it" on an image the library
// holds chooses it at once; a comp never goes into an image field.
(() => {
  "use strict";

  const WRAPPER = "[data-getty-chooser]";
  const PANEL = "[data-getty-chooser-panel]";
  const PICKER = "[data-getty-picker-element]";
  const POLL_FIRST = 500;
  const POLL_MAX = 3000;

  function q(panel, name) {
    return panel.querySelector(`[data-getty-chooser-${name}]`);
  }

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  /** Shows or hides `element`; brought into view when it appears (the editor may have pressed
   * Download on a card far below it). */
  function reveal(element, shown) {
    const appearing = shown && element.hidden;
    element.hidden = !shown;
    if (appearing) element.scrollIntoView({ block: "nearest" });
  }

  function showProgress(panel, message) {
    const progress = q(panel, "progress");
    progress.textContent = message || "";
    reveal(progress, Boolean(message));
  }

  function showMessage(panel, message, retry = null) {
    q(panel, "message-text").textContent = message || "";
    const button = q(panel, "retry");
    button.hidden = !retry;
    panel.gettyRetry = retry;
    reveal(q(panel, "message"), Boolean(message));
  }

  /** Django's CSRF token, from the cookie (the modal has no form of ours). */
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function request(url, body) {
    const options = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken();
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let json = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    return { status: response.status, json };
  }

  /** Hands image `id` to Wagtail's chooser: its "chosen" step, through the tab's choice link. */
  function choose(panel, id) {
    const link = q(panel, "choice");
    const pattern = panel.dataset.chosenUrl;
    const placeholder = `/${panel.dataset.idPlaceholder}/`;
    link.href = pattern.replace(placeholder, `/${encodeURIComponent(String(id))}/`);
    link.click();
  }

  /** Follows an import until it ends: chooses its image, or says why not with "Import again". */
  async function follow(panel, answer) {
    let wait = POLL_FIRST;
    let current = answer;
    panel.gettyImport = current.id;
    for (;;) {
      if (panel.gettyImport !== current.id || !panel.isConnected) return;
      if (current.state === "imported" && current.image) {
        showProgress(panel, panel.dataset.textImported);
        choose(panel, current.image);
        return;
      }
      if (current.state === "failed" || (current.state === "imported" && !current.image)) {
        showProgress(panel, null);
        const reason = text(current.error);
        const retryUrl = current.can_retry ? current.retry_url : null;
        showMessage(
          panel,
          [panel.dataset.textFailed, reason].filter(Boolean).join(": "),
          retryUrl ? () => retry(panel, retryUrl) : null,
        );
        return;
      }
      showProgress(panel, current.state === "queued" ? panel.dataset.textQueued : panel.dataset.textRunning);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 1.5, POLL_MAX);
      try {
        const { status, json } = await request(current.status_url);
        if (json && json.state) {
          current = { ...current, ...json };
          showMessage(panel, null);
        } else if (status === 401) {
          showMessage(panel, panel.dataset.textLoggedOut);
          showProgress(panel, null);
          return;
        } else {
          showMessage(panel, `${panel.dataset.textUnreachable} (HTTP ${status})`);
        }
      } catch {
        showMessage(panel, panel.dataset.textUnreachable);
      }
    }
  }

  async function retry(panel, url) {
    showMessage(panel, null);
    showProgress(panel, panel.dataset.textQueued);
    try {
      const { status, json } = await request(url, {});
      if (json && json.status_url && status === 202) {
        follow(panel, json);
        return;
      }
      showProgress(panel, null);
      showMessage(panel, `${panel.dataset.textFailed}: ${text(json && json.error) || `HTTP ${status}`}`);
    } catch (error) {
      showProgress(panel, null);
      showMessage(panel, `${panel.dataset.textNotStarted} (${String(error)})`, () => retry(panel, url));
    }
  }

  /** Has the site import a download in the background, then follows it. */
  async function startImport(panel, detail) {
    showMessage(panel, null);
    showProgress(panel, panel.dataset.textQueued);
    try {
      const { status, json } = await request(panel.dataset.importUrl, detail);
      if (status === 202 && json && json.status_url) {
        follow(panel, json);
        return;
      }
      const reason = (json && (json.message || json.error)) || `HTTP ${status}`;
      showProgress(panel, null);
      showMessage(panel, `${panel.dataset.textNotStarted} (${reason})`, () => startImport(panel, detail));
    } catch (error) {
      showProgress(panel, null);
      showMessage(panel, `${panel.dataset.textNotStarted} (${String(error)})`, () => startImport(panel, detail));
    }
  }

  function panelOf(event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(PICKER)) return null;
    return target.closest(PANEL);
  }

  document.addEventListener("getty-picker:download", (event) => {
    const panel = panelOf(event);
    if (!panel) return;
    // The whole detail goes to the server, which fetches nothing but `uri`, and only from
    // Getty's delivery hosts.
    startImport(panel, event.detail || {});
  });

  // "Use it" on an image the library holds: Wagtail's own image, chosen at once, nothing spent.
  document.addEventListener("getty-picker:use", (event) => {
    const panel = panelOf(event);
    if (!panel) return;
    const held = event.detail && event.detail.library;
    if (held && (typeof held.image === "number" || typeof held.image === "string")) {
      showMessage(panel, null);
      choose(panel, held.image);
    }
  });

  // "Use this image" keeps a comp: not for image fields, which are published as they are.
  document.addEventListener("getty-picker:select", (event) => {
    const panel = panelOf(event);
    if (!panel) return;
    const mayLicense = panel.dataset.mayLicense === "true";
    showMessage(panel, mayLicense ? panel.dataset.textComp : panel.dataset.textCompSearchOnly);
  });

  document.addEventListener("getty-picker:error", (event) => {
    const panel = panelOf(event);
    if (!panel) return;
    const status = event.detail && event.detail.status;
    if (status === 403) showMessage(panel, panel.dataset.textRefused);
    else if (status === 401) showMessage(panel, panel.dataset.textLoggedOut);
  });

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-getty-chooser-retry]") : null;
    const panel = button && button.closest(PANEL);
    if (panel && typeof panel.gettyRetry === "function") panel.gettyRetry();
  });

  // The widget's module, loaded once, when a tab is first shown.
  let widget = null;
  function loadWidget(url) {
    if (window.GettyPicker) return Promise.resolve(window.GettyPicker);
    if (!widget) {
      widget = new Promise((resolve, reject) => {
        document.addEventListener("getty-picker:ready", () => resolve(window.GettyPicker), { once: true });
        const script = document.createElement("script");
        script.type = "module";
        script.src = url;
        script.onerror = () => reject(new Error(`${url} could not be loaded`));
        document.head.append(script);
      });
    }
    return widget;
  }

  function mount(panel) {
    if (panel.dataset.gettyChooserMounted) return;
    panel.dataset.gettyChooserMounted = "true";
    const picker = panel.querySelector(PICKER);
    loadWidget(panel.dataset.widgetEntry)
      .then((api) => {
        if (!picker.shadowRoot) api.mount(picker, {});
      })
      .catch((error) => showMessage(panel, String(error && error.message ? error.message : error)));
  }

  /** Puts a rendered tab into its modal's tabs: the link into the tab list (or a tab list of its
   * own when the modal has none, for editors who may not upload) and the panel beside Wagtail's. */
  function place(wrapper) {
    const modal = wrapper.parentElement;
    const tabs = modal && modal.querySelector(".w-tabs");
    const content = tabs && tabs.querySelector(".tab-content");
    const panel = wrapper.querySelector(PANEL);
    if (!tabs || !content || !panel) return;
    const link = wrapper.querySelector("#tab-label-getty");
    const list = tabs.querySelector('[role="tablist"]');
    if (list) {
      list.append(link);
    } else {
      const ownList = wrapper.querySelector("[data-getty-chooser-tablist]");
      ownList.querySelector('[role="tablist"]').append(link);
      const empty = tabs.querySelector(".w-tabs__wrapper");
      if (empty) empty.replaceWith(ownList);
      else tabs.prepend(ownList);
      tabs.setAttribute("data-w-tabs-use-location-value", "false");
      tabs.setAttribute("data-controller", "w-tabs");
    }
    content.append(panel);
    wrapper.remove();
    // Mounted when first shown: the tabs controller un-hides the panel.
    new MutationObserver((_records, observer) => {
      if (!panel.hidden) {
        observer.disconnect();
        mount(panel);
      }
    }).observe(panel, { attributes: true, attributeFilter: ["hidden"] });
  }

  function setUp(root) {
    const wrappers = root.matches && root.matches(WRAPPER) ? [root] : [];
    if (root.querySelectorAll) wrappers.push(...root.querySelectorAll(WRAPPER));
    wrappers.forEach(place);
  }

  function start() {
    setUp(document);
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof Element) setUp(node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
