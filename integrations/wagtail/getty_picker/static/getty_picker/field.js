// getty-picker's Wagtail field. Before mounting any picker it asks the site's forward-auth view
// what the editor may do: with neither Getty permission the field says so instead of a picker.
// It keeps each [data-getty-picker-field]'s hidden input in step with its picker's events: a
// comp on "Use this image"; on a download it has the server import the licensed file and keeps
// the server's answer (a reference to the licence record, never the delivery URI); "Use it" on a
// held image (the library check) takes the library's entry. The preview shows the choice with
// "Change", "Remove", for a comp "License it" (the picker opens that very image's details, with
// its products and Download: no new search) or "Use it" when the site already holds it, and for
// a licence whose file is not imported yet "Import again". What the preview says about a stored
// value comes from the server, which renders the hidden input afresh from its records each time.
// A plain script (no inline code, no eval), so it runs under `script-src 'self'`.
(() => {
  "use strict";

  const FIELD = "[data-getty-picker-field]";
  const PICKER = "[data-getty-picker-element]";
  const SCOPE_HEADER = "X-Getty-Picker-Scope";

  /** The field's parts. */
  function parts(field) {
    const q = (name) => field.querySelector(`[data-getty-picker-${name}]`);
    return {
      input: q("value"),
      preview: q("preview"),
      thumb: q("thumb"),
      title: q("title"),
      meta: q("meta"),
      credit: q("credit"),
      restrictions: q("restrictions"),
      state: q("state"),
      importAgain: q("import"),
      useHeld: q("use"),
      license: q("license"),
      progress: q("progress"),
      message: q("message"),
      messageText: q("message-text"),
      retry: q("retry"),
      panel: q("panel"),
      denied: q("denied"),
      picker: field.querySelector(PICKER),
    };
  }

  /** Only http(s) URLs (absolute, or paths on this site) reach an `src`. */
  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      const url = new URL(value, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  function optional(value) {
    return text(value) || null;
  }

  /** The usage restrictions: the strings of a list, blank ones left out. */
  function texts(value) {
    return Array.isArray(value) ? value.filter((item) => text(item).trim() !== "") : [];
  }

  /** What a site must print and keep with the image; both events carry it. */
  function licence(detail) {
    return {
      credit_line: optional(detail.credit_line),
      copyright: optional(detail.copyright),
      artist: optional(detail.artist),
      asset_family: optional(detail.asset_family),
      usage_restrictions: texts(detail.usage_restrictions),
    };
  }

  function read(field) {
    const raw = parts(field).input.value;
    if (!raw) return null;
    try {
      const value = JSON.parse(raw);
      return value && typeof value === "object" ? value : null;
    } catch {
      return null;
    }
  }

  function write(field, value) {
    const { input } = parts(field);
    input.value = value ? JSON.stringify(value) : "";
    // Tells Wagtail's unsaved-changes check (and anyone else listening) that the form changed.
    input.dispatchEvent(new Event("change", { bubbles: true }));
    render(field);
  }

  /** Shows the stored value (text only: titles are never HTML) or, without one, the picker. */
  function render(field) {
    const p = parts(field);
    const value = read(field);
    p.preview.hidden = !value;
    p.panel.hidden = Boolean(value) && !field.classList.contains("is-changing");
    if (!value) return;
    const licensed = value.state === "licensed";
    p.title.textContent = text(value.title) || text(value.id);
    // A licensed image shows the site's own rendition; a comp, Getty's watermarked thumbnail.
    const thumb = httpUrl(licensed ? value.thumb_url : value.thumb_uri);
    p.thumb.hidden = !thumb;
    if (thumb) p.thumb.src = thumb;
    else p.thumb.removeAttribute("src");
    const credit = text(value.credit_line);
    p.credit.hidden = !credit;
    p.credit.textContent = credit ? `${field.dataset.textCredit}: ${credit}` : "";
    // Shown before publishing: "Editorial use only" must not surprise anyone afterwards.
    const restrictions = texts(value.usage_restrictions).join(" · ");
    p.restrictions.hidden = !restrictions;
    p.restrictions.textContent = restrictions ? `${field.dataset.textRestrictions}: ${restrictions}` : "";
    const pending = licensed && value.imported === false;
    if (licensed && value.licensed_at) {
      const when = new Date(value.licensed_at);
      const at = Number.isNaN(when.getTime()) ? text(value.licensed_at) : when.toLocaleString();
      const product = text(value.product) || text(value.product_type);
      p.meta.textContent = [field.dataset.textLicensed, at, product, text(value.id)]
        .filter(Boolean)
        .join(" · ");
    } else {
      p.meta.textContent = text(value.id);
    }
    // A comp the site holds a licence of is taken with "Use it" (free), else licensed in place.
    const held = !licensed && heldEntry(value);
    let state = "";
    if (!licensed) {
      state = [field.dataset.textSelected, held ? field.dataset.textHeld : ""].filter(Boolean).join(" ");
    } else {
      state = text(value.notice);
    }
    p.state.hidden = !state;
    p.state.textContent = state;
    p.state.classList.toggle("is-warning", Boolean(state));
    p.importAgain.hidden = !(pending && text(value.import_url));
    const mayPick = field.dataset.gettyPickerStarted === "allowed";
    p.useHeld.hidden = !(mayPick && held);
    p.license.hidden = !(mayPick && !licensed && !held && field.dataset.gettyPickerScope !== "search");
  }

  /** The site's licence of a comp's image, as the server found it in the library, if any. */
  function heldEntry(value) {
    const held = value && value.held;
    return held && typeof held === "object" && text(held.ref) ? held : null;
  }

  /** The field's value for a library entry ("Use it"): the site's licence, nothing spent. */
  function fromLibrary(id, held, about) {
    return {
      state: "licensed",
      id: text(id),
      licence: held.licence,
      ref: held.ref,
      title: text(held.title) || text(about.title),
      licensed_at: optional(held.licensed_at),
      product: optional(held.product),
      imported: true,
      image: held.image,
      thumb_url: optional(held.thumb_url),
      ...licence(about),
      credit_line: optional(held.credit_line) || optional(about.credit_line),
    };
  }

  function showMessage(field, message, retry = false) {
    const p = parts(field);
    p.messageText.textContent = message || "";
    p.message.hidden = !message;
    p.retry.hidden = !retry;
  }

  function showProgress(field, message) {
    const { progress } = parts(field);
    progress.textContent = message || "";
    progress.hidden = !message;
  }

  function fieldOf(event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(PICKER)) return null;
    return target.closest(FIELD);
  }

  /** Django's CSRF token: the page form's, else the cookie's. */
  function csrfToken(field) {
    const form = field.closest("form");
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  /** POSTs `body` (JSON) to the site; resolves to `{status, json}` (json null if none). */
  async function post(field, url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(field),
      },
      body: body === undefined ? "{}" : JSON.stringify(body),
    });
    let json = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    return { status: response.status, json };
  }

  // Downloads the server has not recorded yet (the POST itself failed), per field: kept in
  // memory only, so "Import again" can send them once more. Never written into the form.
  const unrecorded = new WeakMap();

  /** Has the server keep the licence and import the file; keeps the server's answer. */
  async function importDownload(field, url, body) {
    field.classList.add("is-importing");
    showMessage(field, null);
    showProgress(field, field.dataset.textImporting);
    try {
      const { status, json } = await post(field, url, body);
      if (json && json.value && typeof json.value === "object") {
        unrecorded.delete(field);
        field.classList.remove("is-changing");
        write(field, json.value);
        if (!json.imported)
          showMessage(field, `${field.dataset.textImportFailed}: ${text(json.error)}`);
        return;
      }
      const reason = (json && (json.message || json.error)) || `HTTP ${status}`;
      if (json && json.refused && !json.retry) {
        // Nothing was recorded, and sending the same download again would not change that.
        unrecorded.delete(field);
        showMessage(field, reason);
        return;
      }
      if (body !== undefined) unrecorded.set(field, body);
      showMessage(field, `${field.dataset.textNotRecorded} (${reason})`, body !== undefined);
    } catch (error) {
      if (body !== undefined) unrecorded.set(field, body);
      showMessage(field, `${field.dataset.textNotRecorded} (${String(error)})`, body !== undefined);
    } finally {
      field.classList.remove("is-importing");
      showProgress(field, null);
    }
  }

  document.addEventListener("getty-picker:select", (event) => {
    const field = fieldOf(event);
    if (!field) return;
    const d = event.detail || {};
    field.classList.remove("is-changing");
    showMessage(field, null);
    write(field, {
      state: "selected",
      id: text(d.id),
      title: text(d.title),
      thumb_uri: httpUrl(d.thumb_uri),
      ...licence(d),
    });
  });

  document.addEventListener("getty-picker:download", (event) => {
    const field = fieldOf(event);
    if (!field) return;
    const d = event.detail || {};
    // Everything the event says goes to the server, which fetches nothing but `uri`.
    const body = {
      id: text(d.id),
      title: text(d.title),
      uri: text(d.uri),
      product_type: optional(d.product_type),
      product_id: d.product_id === undefined ? null : d.product_id,
      product: optional(d.product),
      caption: optional(d.caption),
      collection_name: optional(d.collection_name),
      allowed_use: optional(d.allowed_use),
      project_code: optional(d.project_code),
      download_notes: optional(d.download_notes),
      ...licence(d),
    };
    importDownload(field, field.dataset.importUrl, body);
  });

  // "Use it" on a card the library check marked: the site's licence, nothing spent.
  document.addEventListener("getty-picker:use", (event) => {
    const field = fieldOf(event);
    if (!field) return;
    const d = event.detail || {};
    const held = d.library && typeof d.library === "object" ? d.library : null;
    if (!held || !text(held.ref)) return;
    field.classList.remove("is-changing");
    showMessage(field, null);
    write(field, fromLibrary(d.id, held, d));
  });

  // The picker shows the token service's refusal itself; this says what to do about it.
  document.addEventListener("getty-picker:error", (event) => {
    const field = fieldOf(event);
    if (!field) return;
    const status = event.detail && event.detail.status;
    if (status === 403) showMessage(field, field.dataset.textRefused);
    else if (status === 401) showMessage(field, field.dataset.textLoggedOut);
  });

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    const field = button ? button.closest(FIELD) : null;
    if (!field) return;
    if (button.matches("[data-getty-picker-change]")) {
      field.classList.toggle("is-changing");
      render(field);
    } else if (button.matches("[data-getty-picker-remove]")) {
      field.classList.remove("is-changing");
      write(field, null);
    } else if (button.matches("[data-getty-picker-import]")) {
      const value = read(field);
      const url = value && httpUrl(value.import_url);
      if (url) importDownload(field, url);
    } else if (button.matches("[data-getty-picker-use]")) {
      const value = read(field);
      const held = heldEntry(value);
      if (!held) return;
      field.classList.remove("is-changing");
      showMessage(field, null);
      write(field, fromLibrary(value.id, held, value));
    } else if (button.matches("[data-getty-picker-license]")) {
      const value = read(field);
      if (value && value.state === "selected" && text(value.id)) licenseInPlace(field, value.id);
    } else if (button.matches("[data-getty-picker-retry]")) {
      const body = unrecorded.get(field);
      if (body) importDownload(field, field.dataset.importUrl, body);
    }
  });

  // What the editor may do, asked once per page (the token service asks the same view).
  let access = null;
  function askAccess(field) {
    if (!access) {
      access = fetch(field.dataset.authUrl, { credentials: "same-origin", cache: "no-store" })
        .then((response) => ({ status: response.status, scope: response.headers.get(SCOPE_HEADER) }))
        .catch(() => ({ status: 0, scope: null }));
    }
    return access;
  }

  /** Mounts the field's picker once the editor may search; else says why, with no picker. */
  function startPicker(field) {
    const p = parts(field);
    if (!p.picker || field.dataset.gettyPickerStarted) return;
    field.dataset.gettyPickerStarted = "asking";
    askAccess(field).then(({ status, scope }) => {
      if (status >= 200 && status < 300) {
        field.dataset.gettyPickerStarted = "allowed";
        // Search-only editors choose comps; only those who may license are offered to.
        field.dataset.gettyPickerScope = scope === "search" ? "search" : "license";
        mount(field);
        render(field);
        return;
      }
      field.dataset.gettyPickerStarted = "refused";
      p.picker.hidden = true;
      p.denied.textContent = status === 401 ? field.dataset.textLoggedOut : field.dataset.textRefused;
      p.denied.hidden = false;
    });
  }

  function mount(field, options = {}) {
    const { picker } = parts(field);
    if (!picker || !window.GettyPicker) return;
    // A picker already there stays, unless it is asked to open an image (which replaces it).
    if (picker.shadowRoot && !options.openImage) return;
    try {
      window.GettyPicker.mount(picker, options);
    } catch (error) {
      showMessage(field, String(error && error.message ? error.message : error));
    }
  }

  /** "License it": the picker opens the comp's own details (products, project code, Download),
   * as if the editor had opened its card; closing them leaves the ordinary picker. */
  function licenseInPlace(field, id) {
    const { picker } = parts(field);
    if (!picker) return;
    field.classList.add("is-changing");
    showMessage(field, null);
    render(field);
    // Read from the element when the widget's module has not loaded yet (mounted on its "ready").
    picker.dataset.openImage = id;
    if (window.GettyPicker) {
      mount(field, { openImage: id });
      delete picker.dataset.openImage;
    }
  }

  /** Prepares fields: the Wagtail editor adds StreamField blocks after the page loaded. */
  function setUp(root) {
    const fields = root.matches && root.matches(FIELD) ? [root] : [];
    if (root.querySelectorAll) fields.push(...root.querySelectorAll(FIELD));
    for (const field of fields) {
      render(field);
      if (field.dataset.gettyPickerStarted !== "allowed") startPicker(field);
      else if (parts(field).picker && parts(field).picker.dataset.openImage) {
        const { picker } = parts(field);
        mount(field, { openImage: picker.dataset.openImage });
        delete picker.dataset.openImage;
      } else mount(field);
    }
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

  // The widget's module may load after this script: mount the allowed pickers then.
  document.addEventListener("getty-picker:ready", () => setUp(document));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
