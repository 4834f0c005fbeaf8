// The fake CMS's script: listens to the pickers' events and edits the article.
// Events bubble from each picker's element, so one listener on the document hears every picker.

const editor = document.getElementById("editor");
const log = document.getElementById("event-log");

/** Adds a line to the event log. */
function note(text, className = "") {
  const item = document.createElement("li");
  item.textContent = text;
  item.className = className;
  log.prepend(item);
}

/** The figure inserted for Getty image `id`, if any. */
function figureFor(id) {
  return [...editor.querySelectorAll("figure")].find((figure) => figure.dataset.gettyId === id);
}

/** Inserts a figure for the image into the article (or returns the one already there). */
function insertImage({ id, title, src }) {
  let figure = figureFor(id);
  if (figure) return figure;
  figure = document.createElement("figure");
  figure.dataset.gettyId = id;
  const image = document.createElement("img");
  image.alt = title;
  if (src) image.src = src;
  const caption = document.createElement("figcaption");
  caption.textContent = `${title} (Getty Images ${id})`;
  figure.append(image, caption);
  editor.append(figure);
  return figure;
}

document.addEventListener("getty-picker:select", (event) => {
  const { id, title, comp_uri, preview_uri, thumb_uri } = event.detail;
  insertImage({ id, title, src: comp_uri ?? preview_uri ?? thumb_uri });
  note(`${event.target.id}: selected ${id}`);
});

document.addEventListener("getty-picker:download", (event) => {
  const { id, title, product_type, uri } = event.detail;
  const figure = insertImage({ id, title, src: null });
  // A CMS would store the licensed file; here the caption links to it.
  let link = figure.querySelector("a.licensed");
  if (!link) {
    link = document.createElement("a");
    link.className = "licensed";
    link.textContent = " · licensed file";
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    figure.querySelector("figcaption").append(link);
  }
  link.href = uri;
  note(`${event.target.id}: downloaded ${id} (${product_type})`);
});

document.addEventListener("getty-picker:error", (event) => {
  const { kind, status, message } = event.detail;
  note(`${event.target.id}: ${kind} failed${status ? ` (${status})` : ""}: ${message}`, "error");
});

// Saving is the CMS's business; the example only shows that the pickers never trigger it.
document.getElementById("article-form").addEventListener("submit", (event) => {
  event.preventDefault();
  note("article saved");
});
