// getty-picker's Wagtail field and block: a compact chooser, as Wagtail's own. Empty, it offers
// "Choose a Getty image"; chosen, it shows the image (thumbnail, title, licence or comp, credit,
// usage restrictions) with "Change" and "Remove", for a comp "License it" (the picker opens that
// very image's details: no new search) or "Use it" when the site already holds it, and for a
// licence whose file is not imported yet "Import again". "Choose" and "Change" open the picker
// in Wagtail's modal, the same panel as the image chooser's Getty tab (getty_picker/chooser.js,
// `window.GettyPickerChooser`). There "Use this image" keeps a comp, "Use it" the site's licence
// of a held image, and "Download" hands the download to the field, which has a worker import
// the licensed file (the site answers at once) and follows the import here: progress, then the
// server's value (a reference to the licence record, never the delivery link) or why not, with
// "Import again". Before offering any of it the field asks the site's forward-auth view what the
// editor may do. What the preview says about a stored value comes from the server, which renders
// the hidden input afresh from its records each time. It uses getty_picker/admin.js, which every
// admin page loads before its form media. A plain script (no inline code, no eval), so it runs
// under `script-src 'self'`.
(() => {
  "use strict";

  // getty_picker/admin.js, loaded on every admin page before the form media that bring this.
  const { whenAdded, httpUrl } = window.GettyPickerAdmin;

  const FIELD = "[data-getty-picker-field]";
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
      choose: q("choose"),
      change: q("change"),
      importAgain: q("import"),
      useHeld: q("use"),
      license: q("license"),
      progress: q("progress"),
      message: q("message"),
      messageText: q("message-text"),
      retry: q("retry"),
      denied: q("denied"),
    };
  }

  function chooser() {
    return window.GettyPickerChooser || null;
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

  /** What a site must print and keep with the image; the picker's events carry it. */
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

  function mayPick(field) {
    return field.dataset.gettyPickerStarted === "allowed";
  }

  /** Shows the stored value (text only: titles are never HTML) or, without one, "Choose". */
  function render(field) {
    const p = parts(field);
    const value = read(field);
    p.preview.hidden = !value;
    p.choose.hidden = Boolean(value) || !mayPick(field);
    p.change.hidden = !mayPick(field);
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
    const state = licensed
      ? text(value.notice)
      : [field.dataset.textSelected, held ? field.dataset.textHeld : ""].filter(Boolean).join(" ");
    p.state.hidden = !state;
    p.state.textContent = state;
    p.state.classList.toggle("is-warning", Boolean(state));
    const licensor = mayPick(field) && field.dataset.gettyPickerScope !== "search";
    p.importAgain.hidden = !(licensor && pending && httpUrl(value.import_url));
    p.useHeld.hidden = !(mayPick(field) && held);
    p.license.hidden = !(licensor && !licensed && !held);
    // An import of the record under way (started before a reload, say): followed here.
    if (pending && httpUrl(value.importing) && chooser() && !following.has(field)) {
      followImport(field, { id: null, state: "queued", status_url: value.importing });
    }
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

  /** A comp: what the picker's "Use this image" said about it. */
  function fromSelection(detail) {
    return {
      state: "selected",
      id: text(detail.id),
      title: text(detail.title),
      thumb_uri: httpUrl(detail.thumb_uri),
      ...licence(detail),
    };
  }

  function showMessage(field, message, retry = null) {
    const p = parts(field);
    p.messageText.textContent = message || "";
    p.message.hidden = !message;
    p.retry.hidden = !retry;
    retries.set(field, retry);
  }

  function showProgress(field, message) {
    const { progress } = parts(field);
    progress.textContent = message || "";
    progress.hidden = !message;
    field.classList.toggle("is-importing", Boolean(message));
  }

  // Per field: what "Import again" beside a message does, and the import being followed.
  const retries = new WeakMap();
  const following = new WeakMap();

  /** Has a worker import a download (`body`: the picker's detail; only its id and link are
   * read) or, without a body, the licence record at `url` ("Import again"); then follows it. */
  async function importFile(field, url, body) {
    const api = chooser();
    if (!api) {
      showMessage(field, field.dataset.textNoModal);
      return;
    }
    showMessage(field, null);
    showProgress(field, field.dataset.textImporting);
    let answer;
    try {
      const download = body === undefined ? undefined : { id: text(body.id), uri: text(body.uri) };
      answer = await api.startImport(url, download, field);
    } catch (error) {
      showProgress(field, null);
      if (error.answer && error.answer.value) {
        // Nothing to import after all (the file is in the library, or no link is kept).
        write(field, error.answer.value);
        showMessage(field, error.message);
        return;
      }
      // Not started: a download is only in this page's memory until the site has it.
      const again = body === undefined ? () => importFile(field, url) : () => importFile(field, url, body);
      const note = body === undefined ? field.dataset.textImportFailed : field.dataset.textNotRecorded;
      showMessage(field, `${note} (${error.message})`, again);
      return;
    }
    followImport(field, answer);
  }

  /** Follows an import to its end: the server's value in the field, or why not. */
  function followImport(field, answer) {
    const token = {};
    following.set(field, token);
    chooser().follow(answer, {
      current: () => field.isConnected && following.get(field) === token,
      progress: () => {
        showMessage(field, null);
        showProgress(field, field.dataset.textImporting);
      },
      unreachable: (why) => showMessage(field, `${field.dataset.textUnreachable} (${why})`),
      done: (done) => {
        following.delete(field);
        showProgress(field, null);
        if (done.lost) {
          showMessage(field, field.dataset.textLoggedOut);
          return;
        }
        if (done.value && typeof done.value === "object") write(field, done.value);
        if (done.state === "imported") {
          showMessage(field, null);
          return;
        }
        const reason = [field.dataset.textImportFailed, text(done.error)].filter(Boolean).join(": ");
        // With the record kept, the preview offers "Import again" itself (its import link).
        const retry = !done.value && done.can_retry && httpUrl(done.retry_url);
        showMessage(field, reason, retry ? () => importFile(field, retry) : null);
      },
    });
  }

  /** Opens the picker in Wagtail's modal; `openImage`: that image's details at once. */
  function openChooser(field, trigger, openImage = null) {
    const api = chooser();
    if (!api || !window.ModalWorkflow) {
      showMessage(field, field.dataset.textNoModal);
      return;
    }
    showMessage(field, null);
    api.open({
      url: field.dataset.modalUrl,
      openImage,
      trigger,
      host: {
        comp: (detail) => write(field, fromSelection(detail)),
        held: (detail) => {
          const held = detail.library;
          if (held && text(held.ref)) write(field, fromLibrary(detail.id, held, detail));
        },
        download: (detail) => importFile(field, field.dataset.importUrl, detail),
      },
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    const field = button ? button.closest(FIELD) : null;
    if (!field) return;
    if (button.matches("[data-getty-picker-choose], [data-getty-picker-change]")) {
      openChooser(field, button);
    } else if (button.matches("[data-getty-picker-remove]")) {
      following.delete(field);
      showProgress(field, null);
      showMessage(field, null);
      write(field, null);
    } else if (button.matches("[data-getty-picker-import]")) {
      const value = read(field);
      const url = value && httpUrl(value.import_url);
      if (url) importFile(field, url);
    } else if (button.matches("[data-getty-picker-use]")) {
      const value = read(field);
      const held = heldEntry(value);
      if (!held) return;
      showMessage(field, null);
      write(field, fromLibrary(value.id, held, value));
    } else if (button.matches("[data-getty-picker-license]")) {
      const value = read(field);
      if (value && value.state === "selected" && text(value.id)) openChooser(field, button, value.id);
    } else if (button.matches("[data-getty-picker-retry]")) {
      const retry = retries.get(field);
      if (typeof retry === "function") retry();
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

  /** Offers the chooser once the editor may search; else says why. */
  function start(field) {
    if (field.dataset.gettyPickerStarted) return;
    field.dataset.gettyPickerStarted = "asking";
    askAccess(field).then(({ status, scope }) => {
      const p = parts(field);
      if (status >= 200 && status < 300) {
        field.dataset.gettyPickerStarted = "allowed";
        // Search-only editors choose comps; only those who may license are offered to.
        field.dataset.gettyPickerScope = scope === "search" ? "search" : "license";
        render(field);
        return;
      }
      field.dataset.gettyPickerStarted = "refused";
      p.denied.textContent = status === 401 ? field.dataset.textLoggedOut : field.dataset.textRefused;
      p.denied.hidden = false;
      render(field);
    });
  }

  // Fields in the page and in StreamField blocks the Wagtail editor adds later.
  whenAdded(FIELD, (field) => {
    render(field);
    start(field);
  });
})();
