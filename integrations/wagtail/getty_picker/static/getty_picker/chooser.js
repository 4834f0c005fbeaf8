// The Getty picker in Wagtail's chooser modal: the "Getty Images" tab of Wagtail's own image
// chooser, and the modal the Getty field and block open (getty_picker/field.js). Both render the
// same panel (getty_picker/chooser/panel.html); this script mounts the picker in it the first
// time it is shown and reports what the editor chose to whoever opened the modal. Imports run in
// the background: a download is handed to the site (POST, answered at once), and `follow` polls
// the import until it ends. Loaded on every admin page, after getty_picker/admin.js (a plain
// script: no inline code, no eval, so it runs under `script-src 'self'`);
// `window.GettyPickerChooser` is what field.js uses.
//
// In the image chooser a licensed file goes into the library and the chosen Wagtail image goes
// back through the tab's `data-chooser-modal-choice` link to Wagtail's "chosen" step, as a click
// on a library image does; "Use it" chooses a library image at once; a comp is refused (image
// fields are published as they are). In the field's modal a comp, a library image or a download
// is handed to the field, which imports the download itself (progress in the field).
(() => {
  "use strict";

  if (window.GettyPickerChooser) return;

  // getty_picker/admin.js, loaded right before this script on every admin page.
  const { whenAdded, httpUrl } = window.GettyPickerAdmin;

  const WRAPPER = "[data-getty-chooser]";
  const PANEL = "[data-getty-chooser-panel]";
  const PICKER = "[data-getty-picker-element]";
  const POLL_FIRST = 500;
  const POLL_MAX = 3000;

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  /** Django's CSRF token: the page form's, else the cookie's. */
  function csrfToken(near) {
    const form = near && near.closest && near.closest("form");
    const input = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  /** GETs `url`, or POSTs `body` (JSON) to it; resolves to `{status, json}` (json null if none). */
  async function request(url, body, near) {
    const options = { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken(near);
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

  /** Starts an import on the site (a download's detail to the start URL, or nothing to a
   * retry or "Import again" URL); resolves to the import's first answer, or throws an `Error`
   * saying why none was started. */
  async function startImport(url, body, near) {
    const { status, json } = await request(url, body === undefined ? {} : body, near);
    if (status === 202 && json && httpUrl(json.status_url)) return json;
    const error = new Error((json && (json.message || json.error)) || `HTTP ${status}`);
    error.answer = json;
    throw error;
  }

  /** Follows an import from `answer` (its start's, a poll's) until it ends. While it waits for a
   * worker or runs, `on.progress(state)`; when the site cannot be reached, `on.unreachable(why)`
   * (and it keeps asking); at the end, `on.done(answer)` (state "imported" or "failed"). Stops
   * quietly once `on.current()` is false (the editor moved on). */
  async function follow(answer, on) {
    let current = answer;
    let wait = POLL_FIRST;
    for (;;) {
      if (on.current && !on.current()) return;
      if (current.state === "imported" || current.state === "failed") {
        on.done(current);
        return;
      }
      on.progress(current.state);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 1.5, POLL_MAX);
      if (on.current && !on.current()) return;
      try {
        const { status, json } = await request(httpUrl(current.status_url));
        if (json && json.state) {
          current = { ...current, ...json };
        } else if (status === 401 || status === 403) {
          on.done({ ...current, state: "failed", can_retry: false, error: null, lost: status });
          return;
        } else {
          on.unreachable(`HTTP ${status}`);
        }
      } catch (error) {
        on.unreachable(String(error));
      }
    }
  }

  /** Shows or hides `element`, a part of the panel's status, which stays in view at the top of
   * the modal (chooser.css): scrolling to it would take the editor away from the card they
   * acted on, far down the results. */
  function reveal(element, shown) {
    element.hidden = !shown;
  }

  function part(panel, name) {
    return panel.querySelector(`[data-getty-chooser-${name}]`);
  }

  function showProgress(panel, message) {
    const progress = part(panel, "progress");
    progress.textContent = message || "";
    reveal(progress, Boolean(message));
  }

  function showMessage(panel, message, retry = null) {
    part(panel, "message-text").textContent = message || "";
    part(panel, "retry").hidden = !retry;
    retries.set(panel, retry);
    reveal(part(panel, "message"), Boolean(message));
  }

  // What each panel does with a choice (set by whoever shows it), and its "Import again".
  const hosts = new WeakMap();
  const retries = new WeakMap();
  const handles = new WeakMap();

  /** The words the panel says while an import is in `state`. */
  function progressText(panel, state) {
    return state === "running" ? panel.dataset.textRunning : panel.dataset.textQueued;
  }

  /** A download in the image chooser's tab: imported in the background, then chosen. */
  async function importInPanel(panel, url, body) {
    showMessage(panel, null);
    showProgress(panel, panel.dataset.textQueued);
    let answer;
    try {
      answer = await startImport(url, body, panel);
    } catch (error) {
      showProgress(panel, null);
      showMessage(panel, `${panel.dataset.textNotStarted} (${error.message})`, () =>
        importInPanel(panel, url, body),
      );
      return;
    }
    const id = answer.id;
    panel.dataset.gettyImport = String(id);
    follow(answer, {
      current: () => panel.isConnected && panel.dataset.gettyImport === String(id),
      progress: (state) => {
        showMessage(panel, null);
        showProgress(panel, progressText(panel, state));
      },
      unreachable: (why) => showMessage(panel, `${panel.dataset.textUnreachable} (${why})`),
      done: (done) => {
        showProgress(panel, null);
        if (done.state === "imported" && done.image) {
          showProgress(panel, panel.dataset.textImported);
          hosts.get(panel).image(done.image);
          return;
        }
        const retry = done.can_retry && httpUrl(done.retry_url);
        showMessage(
          panel,
          [panel.dataset.textFailed, text(done.error)].filter(Boolean).join(": "),
          retry ? () => importInPanel(panel, retry) : null,
        );
      },
    });
  }

  function panelOf(event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(PICKER)) return null;
    const panel = target.closest(PANEL);
    return panel && hosts.has(panel) ? panel : null;
  }

  document.addEventListener("getty-picker:download", (event) => {
    const panel = panelOf(event);
    if (!panel) return;
    const host = hosts.get(panel);
    // The detail goes to the site, which reads its id and delivery link only and has Getty
    // confirm the licence.
    if (host.download) host.download(event.detail || {});
    else importInPanel(panel, panel.dataset.importUrl, event.detail || {});
  });

  // "Use it" on an image the library holds: nothing spent.
  document.addEventListener("getty-picker:use", (event) => {
    const panel = panelOf(event);
    const held = panel && event.detail && event.detail.library;
    if (!held || typeof held !== "object") return;
    showMessage(panel, null);
    hosts.get(panel).held(event.detail);
  });

  // "Use this image": a comp.
  document.addEventListener("getty-picker:select", (event) => {
    const panel = panelOf(event);
    if (!panel) return;
    const host = hosts.get(panel);
    if (host.comp) {
      host.comp(event.detail || {});
      return;
    }
    // Not for image fields, which are published as they are.
    const mayLicense = panel.dataset.mayLicense === "true";
    showMessage(panel, mayLicense ? panel.dataset.textComp : panel.dataset.textCompSearchOnly);
  });

  // The picker shows the token service's refusal itself; this says what to do about it.
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
    const retry = panel && retries.get(panel);
    if (typeof retry === "function") retry();
  });

  // The widget's module, loaded once, when a picker is first shown.
  let widget = null;
  function loadWidget(url) {
    if (window.GettyPicker) return Promise.resolve(window.GettyPicker);
    if (!widget) {
      widget = new Promise((resolve, reject) => {
        document.addEventListener("getty-picker:ready", () => resolve(window.GettyPicker), { once: true });
        const script = document.createElement("script");
        script.type = "module";
        script.src = url;
        script.onerror = () => {
          widget = null;
          reject(new Error(`${url} could not be loaded`));
        };
        document.head.append(script);
      });
    }
    return widget;
  }

  /** Mounts the panel's picker (once); with the panel's `data-open-image`, that image's details
   * open at once (a comp's "License it"). Resolves once the picker is mounted. */
  function mount(panel) {
    if (panel.dataset.gettyChooserMounted) return Promise.resolve();
    panel.dataset.gettyChooserMounted = "true";
    const picker = panel.querySelector(PICKER);
    const options = {};
    if (text(panel.dataset.openImage)) options.openImage = panel.dataset.openImage;
    return loadWidget(panel.dataset.widgetEntry)
      .then((api) => {
        if (panel.isConnected) handles.set(panel, api.mount(picker, options));
      })
      .catch((error) => showMessage(panel, String(error && error.message ? error.message : error)));
  }

  /** Puts the caret in the panel's search box, where the editor who opened the chooser types. */
  function focusSearch(panel) {
    const root = panel.querySelector(PICKER).shadowRoot;
    const box = root && root.querySelector(".gp-search-input");
    if (box && panel.isConnected) box.focus();
  }

  /** Removes the panel's picker (its listeners and requests end with it). */
  function unmount(panel) {
    const handle = handles.get(panel);
    handles.delete(panel);
    if (handle && typeof handle.destroy === "function") handle.destroy();
  }

  // The image chooser's tab.

  /** Hands image `id` to Wagtail's chooser: its "chosen" step, through the tab's choice link. */
  function chooseImage(panel, id) {
    const link = part(panel, "choice");
    const pattern = panel.dataset.chosenUrl;
    const placeholder = `/${panel.dataset.idPlaceholder}/`;
    link.href = pattern.replace(placeholder, `/${encodeURIComponent(String(id))}/`);
    link.click();
  }

  /** Puts a rendered tab into its modal's tabs: the link into the tab list (or a tab list of its
   * own when the modal has none, for editors who may not upload) and the section beside
   * Wagtail's; the picker is mounted when the tab is first shown. */
  function place(wrapper) {
    const modal = wrapper.parentElement;
    const tabs = modal && modal.querySelector(".w-tabs");
    const content = tabs && tabs.querySelector(".tab-content");
    const section = wrapper.querySelector("#tab-getty");
    const panel = section && section.querySelector(PANEL);
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
    content.append(section);
    wrapper.remove();
    hosts.set(panel, {
      image: (id) => chooseImage(panel, id),
      held: (detail) => {
        const image = detail.library.image;
        if (typeof image === "number" || typeof image === "string") chooseImage(panel, image);
      },
    });
    // The tabs controller un-hides the section when the tab is chosen.
    new MutationObserver((_records, observer) => {
      if (!section.hidden) {
        observer.disconnect();
        mount(panel);
      }
    }).observe(section, { attributes: true, attributeFilter: ["hidden"] });
  }

  // Wagtail's image chooser modal comes with the tab after the page loaded.
  whenAdded(WRAPPER, place);

  // The Getty field's and block's modal.

  /** Opens the Getty chooser modal (Wagtail's modal workflow) at `url`; `host` says what to do
   * with a choice: `comp(detail)`, `held(detail)`, `download(detail)` (each closes the modal
   * first). `openImage` opens that image's details at once. */
  function open({ url, openImage, trigger, host }) {
    const address = new URL(url, window.location.href);
    if (openImage) address.searchParams.set("open", openImage);
    return window.ModalWorkflow({
      url: address.href,
      triggerElement: trigger,
      onload: {
        choose(modal) {
          const panel = modal.body[0] && modal.body[0].querySelector(PANEL);
          if (!panel) return;
          const closing = (handler) => (detail) => {
            modal.close();
            handler(detail);
          };
          hosts.set(panel, {
            comp: closing(host.comp),
            held: closing(host.held),
            download: closing(host.download),
          });
          if (modal.container) modal.container.on("hidden.bs.modal", () => unmount(panel));
          const mounted = mount(panel);
          // The editor can type at once: the search box takes the focus once the picker is
          // mounted and Wagtail's modal has faded in, not before, as the modal then focuses
          // itself and would take the keys (Enter included) from a box focused earlier. An
          // image's details, opened at once, take the focus themselves.
          if (modal.container && !openImage) {
            const fades = window.jQuery && window.jQuery.support.transition;
            if (fades) modal.container.one("shown.bs.modal", () => mounted.then(() => focusSearch(panel)));
            else mounted.then(() => focusSearch(panel));
          }
        },
      },
    });
  }

  window.GettyPickerChooser = { open, follow, startImport, request };
})();
