// The search box before the wasm is ready, appended to the entry module by
// scripts/write-entry.sh (which drops these comment lines and defines STYLES, the minified
// style/picker.css, and LOCALE_TEXTS, the box's two texts from each file of locales/, before
// it).
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

// The box's two texts: English built in, every other language from its locale file. The wasm
// sets those of its own texts (host overrides included) when it takes over.
const SHELL_TEXTS = { en: ["Search Getty Images", "Search"], ...LOCALE_TEXTS };

// The language of SHELL_TEXTS for a language tag, as the wasm chooses it (src/i18n/locale.rs,
// `Locale::for_tag`): the tag itself, else its language with the region folded (Portuguese to
// pt-BR or pt-PT, Traditional Chinese to zh-HK, any English to en); none if not spoken.
function shellLocale(tag) {
  const find = (wanted) =>
    Object.keys(SHELL_TEXTS).find((known) => known.toLowerCase() === wanted.toLowerCase());
  const clean = tag.trim().replace(/_/g, "-");
  const exact = find(clean);
  if (exact) return exact;
  const [language, ...rest] = clean.toLowerCase().split("-");
  const has = (subtag) => rest.includes(subtag);
  if (language === "pt") return find(rest.length === 0 || has("br") ? "pt-BR" : "pt-PT");
  if (language === "zh") {
    const traditional = !has("hans") && ["hant", "hk", "tw", "mo"].some(has);
    return traditional ? find("zh-HK") : undefined;
  }
  return find(language);
}

// The texts for an element: `strings` overrides, else those of its `locale` attribute's
// language, else of the browser's first preferred language the picker speaks, else English.
function shellTexts(element, prefix) {
  const requested = element.getAttribute(`${prefix}locale`);
  const locale =
    requested !== null
      ? shellLocale(requested)
      : (navigator.languages ?? []).map(shellLocale).find(Boolean);
  const [label, button] = SHELL_TEXTS[locale ?? "en"];
  let strings = {};
  try {
    strings = JSON.parse(element.getAttribute(`${prefix}strings`) ?? "{}") ?? {};
  } catch {
    // A bad override is reported by the wasm; the box keeps the built-in texts meanwhile.
  }
  const text = (value, fallback) => (typeof value === "string" ? value : fallback);
  return [text(strings.search_label, label), text(strings.search_button, button)];
}

// Token requests made before the wasm was ready, by token URL and ticket. The editor typing into
// the early box means a search is coming: its token is asked for at once, while the wasm loads,
// and the picker's token cache (src/auth.rs) reads this answer instead of asking again. The
// request is the wasm's own: a POST with the page's cookies and the CMS's ticket, if any.
const earlyTokens = new Map();
const tokenKey = (url, ticket) => `${url}\n${ticket ?? ""}`;

function askEarlyToken(element, prefix) {
  const url = element.getAttribute(`${prefix}token-url`)?.trim();
  if (!url) return;
  const ticket = element.getAttribute(`${prefix}ticket`)?.trim() || null;
  const key = tokenKey(url, ticket);
  if (earlyTokens.has(key)) return;
  const headers = ticket ? { Authorization: `GettyPicker-Ticket ${ticket}` } : {};
  const answer = fetch(url, { method: "POST", credentials: "include", headers });
  // Kept for the wasm, which reads a failure as its own; never an unhandled rejection meanwhile.
  answer.catch(() => {});
  earlyTokens.set(key, { answer, at: Date.now() });
}

// The request for `url` and `ticket`, once, if it is recent (typing that led to no search
// leaves one behind, whose token may have expired by the time a search needs one); handed to
// the wasm's start.
function takeEarlyToken(url, ticket) {
  const key = tokenKey(url, ticket);
  const early = earlyTokens.get(key);
  earlyTokens.delete(key);
  return early && Date.now() - early.at < 60000 ? early.answer : undefined;
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
    if (!mount.hasAttribute("data-gp-shell")) return;
    mount.setAttribute("data-gp-shell", "submit");
    askEarlyToken(element, prefix);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && mount.hasAttribute("data-gp-shell")) {
      // Keeps Enter from submitting a host page's form around the picker, as the wasm does.
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    if (mount.hasAttribute("data-gp-shell")) askEarlyToken(element, prefix);
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
