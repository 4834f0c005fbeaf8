// How an integrator's TypeScript uses the package; tests/browser/package.rs runs `tsc --noEmit --strict`
// on it against the package packed from the release folder. The @ts-expect-error lines must
// fail to type-check: they prove the declarations constrain, not merely exist.

import GettyPickerDefault, {
  GettyPicker,
  GettyPickerElement,
  type GettyPickerDownloadDetail,
  type GettyPickerHandle,
  type GettyPickerOptions,
} from "getty-picker";

const options: GettyPickerOptions = {
  tokenUrl: "/getty/token",
  apiKey: "key",
  openTab: false,
  pageSize: 20,
  assetFamily: "creative",
  strings: { download: "Lizenzieren" },
  libraryUrl: "/getty-picker/library/",
  openImage: "83454804",
};
const target = document.querySelector<HTMLDivElement>("#image-field");
if (target) {
  const handle: GettyPickerHandle = GettyPicker.mount(target, options);
  handle.destroy();
  GettyPickerDefault.mount(target).destroy();
  // @ts-expect-error: the handle has no such method
  handle.remove();
}
// @ts-expect-error: not a value Getty knows
const wrong: GettyPickerOptions = { assetFamily: "photos" };
// @ts-expect-error: the script API is frozen
GettyPicker.mount = () => ({ destroy() {} });
window.GettyPicker?.mount(document.body, { tokenUrl: "/t", apiKey: "k" });

// The custom element, created from script.
const element: GettyPickerElement = document.createElement("getty-picker");
element.setAttribute("token-url", "/getty/token");
element.setAttribute("api-key", "key");
element.setAttribute("open-image", "83454804");
document.body.append(element);
const found: GettyPickerElement | null = document.querySelector("getty-picker");
const attributes: readonly string[] = GettyPickerElement.observedAttributes;

// The events, typed on the element, on any element and on the document.
element.addEventListener("getty-picker:download", (event) => {
  const detail: GettyPickerDownloadDetail = event.detail;
  const uri: string = detail.uri;
  const productType: string = event.detail.product_type;
  const credit: string = event.detail.credit_line;
  const restrictions: string[] = event.detail.usage_restrictions;
  // @ts-expect-error: may be null
  const artist: string = event.detail.artist;
  // @ts-expect-error: the download event has no thumbnail
  event.detail.thumb_uri;
  void [uri, productType, credit, restrictions, artist];
});
document.addEventListener("getty-picker:select", (event) => {
  const thumb: string | null = event.detail.thumb_uri;
  // @ts-expect-error: may be null
  const notNull: string = event.detail.comp_uri;
  void [thumb, notNull, event.detail.id, event.detail.title, event.detail.preview_uri];
});
document.addEventListener("getty-picker:use", (event) => {
  const held: unknown = event.detail.library["image"];
  const credit: string = event.detail.credit_line;
  // @ts-expect-error: the host's entry is not a string
  const text: string = event.detail.library;
  void [held, credit, text, event.detail.id, event.detail.thumb_uri];
});
element.setAttribute("library-url", "/getty-picker/library/");
document.body.addEventListener("getty-picker:error", (event) => {
  const kind: "search" | "download" | "image" = event.detail.kind;
  const status: number | null = event.detail.status;
  // @ts-expect-error: may be null
  const always: number = event.detail.status;
  void [kind, status, always, event.detail.message];
});
document.addEventListener("getty-picker:ready", () => window.GettyPicker);

void [wrong, found, attributes];
