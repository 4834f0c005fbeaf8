// Loaded as a classic script before the widget's module on every test page: records what the
// widget does to the page, for tests/browser/embedding.rs to read through `window.spy`.
"use strict";
window.spy = {
  violations: [],
  // Listeners on window/document, "type on target", added after this script ran.
  globalListeners: [],
  submits: 0,
  events: [],
  // Pending timers, id -> delay: set and neither fired nor cleared yet.
  timers: new Map(),
};
document.addEventListener("securitypolicyviolation", (e) =>
  spy.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
);
// Counts submits of any host form, and keeps the page where it is so the count survives.
document.addEventListener("submit", (e) => {
  spy.submits += 1;
  e.preventDefault();
});
for (const type of [
  "getty-picker:download",
  "getty-picker:select",
  "getty-picker:use",
  "getty-picker:error",
]) {
  document.addEventListener(type, (e) =>
    spy.events.push({ type: e.type, target: e.target.id, detail: e.detail }),
  );
}
const globalName = (target) =>
  target === window ? "window" : target === document ? "document" : null;
const add = EventTarget.prototype.addEventListener;
const remove = EventTarget.prototype.removeEventListener;
EventTarget.prototype.addEventListener = function (type, listener, options) {
  const name = globalName(this);
  if (name) spy.globalListeners.push(`${type} on ${name}`);
  return add.call(this, type, listener, options);
};
EventTarget.prototype.removeEventListener = function (type, listener, options) {
  const name = globalName(this);
  const index = name ? spy.globalListeners.indexOf(`${type} on ${name}`) : -1;
  if (index >= 0) spy.globalListeners.splice(index, 1);
  return remove.call(this, type, listener, options);
};
const setTimeout_ = window.setTimeout;
const clearTimeout_ = window.clearTimeout;
window.setTimeout = function (callback, delay, ...args) {
  const id = setTimeout_.call(
    window,
    (...a) => {
      spy.timers.delete(id);
      if (typeof callback === "function") callback(...a);
    },
    delay,
    ...args,
  );
  spy.timers.set(id, delay);
  return id;
};
window.clearTimeout = function (id) {
  spy.timers.delete(id);
  return clearTimeout_.call(window, id);
};
// WebKitWebDriver runs each script it is asked to under a page timer of its own (its script
// timeout, WebDriver's default 30 s): pending while the script runs, and not the widget's. A
// script that asserts on timers takes those pending at its start with that delay, and leaves
// them out.
spy.driverTimers = () =>
  [...spy.timers].filter(([, delay]) => delay === 30000).map(([id]) => id);
// Delays of the timers pending now, but for `driver`'s.
spy.timersBesides = (driver) =>
  [...spy.timers].filter(([id]) => !driver.includes(id)).map(([, delay]) => delay);
