// getty-picker's Wagtail field: keeps each [data-getty-picker-field]'s hidden input in step with
// its picker's events and shows the choice as a preview with "change" and "remove".
// A plain script (no inline code, no eval), so it runs under `script-src 'self'`.
(() => {
  "use strict";

  const FIELD = "[data-getty-picker-field]";
  const PICKER = "[data-getty-picker]";

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
      link: q("link"),
      message: q("message"),
      panel: q("panel"),
      picker: field.querySelector(PICKER),
    };
  }

  /** Only http(s) URLs reach an `src` or `href`. */
  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  /** A text field of an event's detail, `null` when absent or empty. */
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
    p.title.textContent = text(value.title) || text(value.id);
    const thumb = httpUrl(value.thumb_uri);
    p.thumb.hidden = !thumb;
    if (thumb) p.thumb.src = thumb;
    else p.thumb.removeAttribute("src");
    const uri = httpUrl(value.uri);
    p.link.hidden = !uri;
    if (uri) p.link.href = uri;
    else p.link.removeAttribute("href");
    const credit = text(value.credit_line);
    p.credit.hidden = !credit;
    p.credit.textContent = credit ? `${field.dataset.textCredit}: ${credit}` : "";
    // Shown before publishing: "Editorial use only" must not surprise anyone afterwards.
    const restrictions = texts(value.usage_restrictions).join(" · ");
    p.restrictions.hidden = !restrictions;
    p.restrictions.textContent = restrictions ? `${field.dataset.textRestrictions}: ${restrictions}` : "";
    if (value.state === "licensed") {
      const when = new Date(value.licensed_at);
      const at = Number.isNaN(when.getTime()) ? text(value.licensed_at) : when.toLocaleString();
      const product = text(value.product) || text(value.product_type);
      p.meta.textContent = [field.dataset.textLicensed, at, product, text(value.id)]
        .filter(Boolean)
        .join(" · ");
    } else {
      p.meta.textContent = `${field.dataset.textSelected} · ${text(value.id)}`;
    }
  }

  /** The thumbnail the picker shows for `id`, if its card is still on screen. */
  function cardThumb(picker, id) {
    const root = picker.shadowRoot;
    if (!root || typeof id !== "string") return null;
    const card = root.querySelector(`.gp-card[data-id="${CSS.escape(id)}"] .gp-thumb-image`);
    return card ? httpUrl(card.getAttribute("src")) : null;
  }

  function showMessage(field, message) {
    const { message: box } = parts(field);
    box.textContent = message || "";
    box.hidden = !message;
  }

  function fieldOf(event) {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(PICKER)) return null;
    return target.closest(FIELD);
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
      product_type: null,
      product: null,
      uri: null,
      licensed_at: null,
      thumb_uri: httpUrl(d.thumb_uri),
      ...licence(d),
    });
  });

  document.addEventListener("getty-picker:download", (event) => {
    const field = fieldOf(event);
    if (!field) return;
    const d = event.detail || {};
    const before = read(field);
    const thumb =
      cardThumb(event.target, d.id) ||
      (before && before.id === d.id ? httpUrl(before.thumb_uri) : null);
    field.classList.remove("is-changing");
    showMessage(field, null);
    write(field, {
      state: "licensed",
      id: text(d.id),
      title: text(d.title),
      product_type: optional(d.product_type),
      product: optional(d.product),
      uri: httpUrl(d.uri),
      licensed_at: new Date().toISOString(),
      thumb_uri: thumb,
      ...licence(d),
    });
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
    }
  });

  /** Prepares fields (and, once the widget is loaded, mounts pickers the page added later). */
  function setUp(root) {
    const fields = root.matches && root.matches(FIELD) ? [root] : [];
    if (root.querySelectorAll) fields.push(...root.querySelectorAll(FIELD));
    for (const field of fields) {
      render(field);
      const { picker } = parts(field);
      // Pickers present at start-up are mounted by the widget itself; StreamField blocks
      // arrive later, so they are mounted here (the element's data-* attributes configure it).
      if (picker && !picker.shadowRoot && window.GettyPicker) {
        try {
          window.GettyPicker.mount(picker, {});
        } catch (error) {
          showMessage(field, String(error && error.message ? error.message : error));
        }
      }
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

  document.addEventListener("getty-picker:ready", () => setUp(document));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
