// The benchmark's floor (examples/bench_widget.rs): a minimal hand-written picker in plain
// JavaScript doing the widget's job the shortest way. A search box in a shadow root styled by
// the widget's own stylesheet; on Enter a token from the backend, the widget's search URL (same
// endpoint, parameters and fields, __FIELDS__ filled in by the bench) and one card per image:
// thumbnail, title, id. No filters, download controls, preview or error handling: what is left
// when a picker does nothing but search, so the widget's figures over it are its own cost.
const host = document.querySelector("[data-getty-picker]");
const { tokenUrl, apiKey, apiBase, pageSize = "30" } = host.dataset;
const root = host.attachShadow({ mode: "open" });
const sheet = new CSSStyleSheet();
sheet.replaceSync(__STYLES__);
root.adoptedStyleSheets = [sheet];
root.innerHTML = `<div class="getty-picker">
  <div class="gp-search" role="search">
    <input class="gp-search-input" type="search" aria-label="Search Getty Images"
           placeholder="Search Getty Images" autocomplete="off">
    <button class="gp-search-button" type="button">Search</button>
  </div>
  <p class="gp-status" role="status" aria-live="polite"></p>
  <ul class="gp-grid"></ul>
</div>`;
const input = root.querySelector(".gp-search-input");
const status = root.querySelector(".gp-status");
const grid = root.querySelector(".gp-grid");

let token = null;
const getToken = async () => {
  if (!token) {
    const answer = await fetch(tokenUrl, { method: "POST", credentials: "include" });
    token = (await answer.json()).access_token;
  }
  return token;
};

const card = (image) => {
  const li = document.createElement("li");
  li.className = "gp-card";
  const thumb = image.display_sizes?.find((size) => size.name === "thumb");
  if (thumb) {
    const img = document.createElement("img");
    img.className = "gp-thumb-image";
    img.loading = "lazy";
    img.alt = image.title ?? "";
    img.src = thumb.uri;
    li.append(img);
  }
  const title = document.createElement("h2");
  title.className = "gp-title";
  title.textContent = image.title ?? "Untitled";
  const id = document.createElement("p");
  id.className = "gp-id";
  id.textContent = image.id;
  li.append(title, id);
  return li;
};

const search = async () => {
  const phrase = input.value.trim();
  if (!phrase) return;
  status.textContent = "Searching…";
  const params = new URLSearchParams({ phrase, page: "1", page_size: pageSize, fields: "__FIELDS__" });
  const answer = await fetch(`${apiBase}/v3/search/images?${params}`, {
    headers: { "Api-Key": apiKey, Authorization: `Bearer ${await getToken()}` },
  });
  const { images = [], result_count: count } = await answer.json();
  grid.replaceChildren(...images.map(card));
  status.textContent = `${count} results for “${phrase}”`;
};

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    search();
  }
});
root.querySelector(".gp-search-button").addEventListener("click", search);
