// The search box before the wasm is ready, appended to the entry module by
// scripts/write-entry.sh (which drops these comment lines and defines STYLES, the minified
// style/picker.css, before it).
//
// The wasm is the larger part of the download and is compiled before it runs; the box is drawn
// at once instead, in the picker's own shadow root, styled by the picker's stylesheet, so the
// editor can type while the rest loads. The wasm takes the box over as it is (src/embed/shadow.rs,
// src/components/search_bar.rs): the same nodes, so the text, the caret and focus stay, and
// Enter or a click on the button before then is remembered (the `data-gp-shell` attribute of
// `.gp-mount` says "submit") and becomes the picker's first search.

// One stylesheet for every picker on the page, shadow roots of the shell and of the wasm alike.
const sheet = new CSSStyleSheet();
sheet.replaceSync(STYLES);

// The box's two texts in the built-in locales; the wasm sets those of its own texts (host
// overrides included) when it takes over.
const SHELL_TEXTS = {
  en: ["Search Getty Images", "Search"],
  de: ["Getty Images durchsuchen", "Suchen"],
};

// The texts for an element: `strings` overrides, else its locale's, else English.
function shellTexts(element, prefix) {
  const locale = (element.getAttribute(`${prefix}locale`) ?? "").split(/[-_]/)[0].toLowerCase();
  const [label, button] = SHELL_TEXTS[locale] ?? SHELL_TEXTS.en;
  let strings = {};
  try {
    strings = JSON.parse(element.getAttribute(`${prefix}strings`) ?? "{}") ?? {};
  } catch {
    // A bad override is reported by the wasm; the box keeps the built-in texts meanwhile.
  }
  const text = (value, fallback) => (typeof value === "string" ? value : fallback);
  return [text(strings.search_label, label), text(strings.search_button, button)];
}

// Draws the search box in a new shadow root of `element` (attributes read with `prefix`:
// "data-" for [data-getty-picker], "" for <getty-picker>). Nothing if it has a shadow root
// already (a picker, a shell, someone else's component) or cannot have one.
function shell(element, prefix) {
  if (element.shadowRoot) return;
  let root;
  try {
    root = element.attachShadow({ mode: "open" });
  } catch {
    return;
  }
  root.adoptedStyleSheets = [sheet];
  const make = (tag, className, parent) => {
    const node = document.createElement(tag);
    node.className = className;
    parent.append(node);
    return node;
  };
  const mount = make("div", "gp-mount", root);
  mount.setAttribute("data-gp-shell", "");
  const picker = make("div", "getty-picker", mount);
  const locale = element.getAttribute(`${prefix}locale`);
  if (locale) picker.lang = locale;
  const bar = make("div", "gp-search", picker);
  bar.setAttribute("role", "search");
  const input = make("input", "gp-search-input", bar);
  const button = make("button", "gp-search-button", bar);
  const [label, action] = shellTexts(element, prefix);
  input.type = "search";
  input.autocomplete = "off";
  input.placeholder = label;
  input.setAttribute("aria-label", label);
  button.type = "button";
  button.textContent = action;
  // Until the wasm removes the attribute: remember that a search was asked for.
  const submit = () => {
    if (mount.hasAttribute("data-gp-shell")) mount.setAttribute("data-gp-shell", "submit");
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && mount.hasAttribute("data-gp-shell")) {
      // Keeps Enter from submitting a host page's form around the picker, as the wasm does.
      event.preventDefault();
      submit();
    }
  });
  button.addEventListener("click", submit);
}

// Every [data-getty-picker] element of the page, once it is parsed.
function shellAll() {
  for (const element of document.querySelectorAll("[data-getty-picker]")) shell(element, "data-");
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", shellAll, { once: true });
} else {
  shellAll();
}
