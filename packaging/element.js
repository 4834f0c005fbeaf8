// The <getty-picker> custom element, appended to the entry module by scripts/write-entry.sh
// (which drops these comment lines; `shell`, `ready` and `mount`, the wasm's once `ready`
// resolves, are in scope there). Every option is an attribute named like the data attribute
// without `data-`; the events are the widget's own, dispatched on this element. Until the wasm
// is ready, a connected element shows the search box (packaging/shell.js), which the picker
// takes over.
const OPTIONS = ["token-url", "api-key", "api-base", "open-tab", "page-size", "asset-family",
  "sort-order", "orientation", "number-of-people", "graphical-style", "exclude-nudity",
  "safe-search", "locale", "strings", "library-url", "open-image"];

export class GettyPickerElement extends HTMLElement {
  static observedAttributes = OPTIONS;
  #handle = null;
  #notice = null;
  #stale = true;
  #queued = false;

  connectedCallback() {
    this.#queue();
  }

  disconnectedCallback() {
    this.#queue();
  }

  attributeChangedCallback() {
    this.#stale = true;
    this.#queue();
  }

  // One update per task: a framework that sets attributes one by one, or a move (removal and
  // insertion in one go), costs one mount or none, never a picker per step.
  #queue() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#update();
    });
  }

  #update() {
    if (!mount) {
      if (this.isConnected) shell(this, "");
      ready.then(() => this.#queue());
      return;
    }
    if (!this.isConnected) {
      // Out of the document: stop its requests, timers and events, as destroy() does.
      this.#handle?.destroy();
      this.#handle = null;
      return;
    }
    if (this.#handle && !this.#stale) return;
    this.#stale = false;
    this.#notice?.remove();
    this.#notice = null;
    const options = {};
    for (const name of OPTIONS) {
      const value = this.getAttribute(name);
      if (value !== null) options[name.replace(/-(.)/g, (_, c) => c.toUpperCase())] = value;
    }
    try {
      // Mounting again replaces the picker on this element with one of the new options.
      this.#handle = mount(this, options);
    } catch (error) {
      // Not the old options' picker under new attributes: say what is wrong, in the element's
      // own content (the shadow root gives it back once the picker is gone).
      this.#handle?.destroy();
      this.#handle = null;
      const message = `getty-picker: ${error?.message ?? error}`.replace(/`data-([a-z-]+)`/g, "`$1`");
      console.error(message);
      this.#notice = document.createElement("p");
      this.#notice.setAttribute("role", "alert");
      this.#notice.textContent = message;
      this.append(this.#notice);
    }
  }
}

// A second copy of the module (another path or version) must not throw on the same name.
if (!customElements.get("getty-picker")) customElements.define("getty-picker", GettyPickerElement);
