// Loaded as a classic script at the end of the hostile page's body, so it runs after parsing and
// before the widget's module: the computed styles of the host's own elements without the widget.
"use strict";
spy.before = {};
for (const id of ["host-button", "host-input"]) {
  const style = getComputedStyle(document.getElementById(id));
  const values = {};
  for (const property of style) values[property] = style.getPropertyValue(property);
  spy.before[id] = values;
}
