// Type declarations of getty-picker's entry module `getty-picker.js`, copied into the release
// folder by scripts/write-entry.sh. Checked by `tsc --strict` in tests/package.rs against
// tests/types/usage.ts; the event details are built in src/embed/host.rs.

/** A boolean option: in markup only the text `"false"` turns a default-on option off. */
export type GettyPickerFlag = boolean | "true" | "false";

/**
 * Options of `GettyPicker.mount`: the `data-*` attributes in camelCase (`data-token-url` →
 * `tokenUrl`). An option left out is read from the element's own `data-*` attribute, so
 * `tokenUrl` and `apiKey` are required here or there.
 */
export interface GettyPickerOptions {
  /** The backend's `POST /token` endpoint, absolute or a path on the page's origin. */
  tokenUrl?: string;
  /** The Getty API key, sent as `Api-Key` (public by Getty's design). */
  apiKey?: string;
  /** Getty's API root (default `https://api.gettyimages.com`); bearer tokens go only here. */
  apiBase?: string;
  /** `false`: a download opens no tab (the card's link and the download event still happen). */
  openTab?: GettyPickerFlag;
  /** Images per page, 1 to 100 (default 30). */
  pageSize?: number | `${number}`;
  /** Which of Getty's searches: all images (default), creative or editorial. */
  assetFamily?: "all" | "creative" | "editorial";
  /** Initial sort order (`oldest` for editorial only). */
  sortOrder?: "best_match" | "most_popular" | "newest" | "oldest" | "random";
  /** Initial orientation filter. */
  orientation?:
    | "horizontal"
    | "vertical"
    | "square"
    | "panoramic_horizontal"
    | "panoramic_vertical";
  /** Initial number-of-people filter. */
  numberOfPeople?: "none" | "one" | "two" | "group";
  /** Initial graphical-style filter (`fine_art`: not for editorial searches). */
  graphicalStyle?: "photography" | "illustration" | "vector" | "fine_art";
  /** Start with Getty's nudity filter on (not for editorial searches). */
  excludeNudity?: GettyPickerFlag;
  /** Start with safe search on (creative searches only). */
  safeSearch?: GettyPickerFlag;
  /**
   * UI language and Getty's `Accept-Language`, e.g. `fr`, `de-AT` or `pt-BR`; default: the first
   * of the browser's preferred languages the picker speaks, else English.
   */
  locale?: string;
  /**
   * UI texts to override by name (the fields of `Strings` in the widget's `src/i18n.rs`), e.g.
   * `{ download: "Lizenzieren" }`, or that object's JSON text.
   */
  strings?: { readonly [name: string]: string } | string;
  /**
   * The host's library, absolute (http or https) or a path on the page's origin: asked once per
   * page of results, `GET <libraryUrl>?ids=<id>,<id>,…` with the page's cookies, which of the
   * images it already holds; it answers `{"held": {"<id>": {…}}}`. Their cards say "In your
   * library" and offer "Use it" (`getty-picker:use`), which spends nothing.
   */
  libraryUrl?: string;
  /**
   * A Getty image id whose details open as the picker mounts, with the licensing controls
   * (products, project code, Download), as if the editor had opened its card; Getty is asked
   * for the image with `GET /v3/images/{id}`. Closing them leaves the empty picker.
   */
  openImage?: string;
}

/** A mounted picker. */
export interface GettyPickerHandle {
  /**
   * Removes the picker: its nodes, listeners, timers, in-flight requests and events. Does
   * nothing if it was already destroyed or replaced by another mount on its element.
   */
  destroy(): void;
}

/** The script API, also set as `window.GettyPicker`. */
export interface GettyPickerApi {
  /**
   * Mounts a picker in `element`'s shadow root, replacing one already there; throws an `Error`
   * naming the option that is wrong.
   */
  mount(element: HTMLElement, options?: GettyPickerOptions): GettyPickerHandle;
}

/** The script API. */
export declare const GettyPicker: Readonly<GettyPickerApi>;
export default GettyPicker;

/** What a CMS must print and keep with an image, in `select` and `download` details. */
export interface GettyPickerLicence {
  /** The photographer or artist, if Getty names one. */
  artist: string | null;
  /** The collection the image belongs to. */
  collection_name: string | null;
  /** The copyright notice. */
  copyright: string | null;
  /** The caption. */
  caption: string | null;
  /** `creative` or `editorial`. */
  asset_family: string | null;
  /** How the licence lets the image be used, e.g. "Editorial use only". */
  allowed_use: string | null;
  /** Getty's usage restrictions, e.g. "Editorial use only"; empty when there are none. */
  usage_restrictions: string[];
  /** Ready to print: "Artist / Getty Images", the collection when there is no artist. */
  credit_line: string;
}

/** `detail` of `getty-picker:select`: the editor pressed "Use this image" on a card. */
export interface GettyPickerSelectDetail extends GettyPickerLicence {
  /** Getty's image id. */
  id: string;
  /** The image's title. */
  title: string;
  /** Rendition URLs, http(s) only; `null` when Getty gave none. */
  thumb_uri: string | null;
  /** Rendition URLs, http(s) only; `null` when Getty gave none. */
  comp_uri: string | null;
  /** Rendition URLs, http(s) only; `null` when Getty gave none. */
  preview_uri: string | null;
}

/**
 * `detail` of `getty-picker:use`: the editor pressed "Use it" on an image the host's library
 * holds; nothing was spent.
 */
export interface GettyPickerUseDetail extends GettyPickerSelectDetail {
  /** The host's own entry for this image, as its library answered it. */
  library: { readonly [key: string]: unknown };
}

/** `detail` of `getty-picker:download`: a download succeeded. */
export interface GettyPickerDownloadDetail extends GettyPickerLicence {
  /** Getty's image id. */
  id: string;
  /** The image's title. */
  title: string;
  /** The product type the download was licensed under, e.g. `easyaccess`. */
  product_type: string;
  /** The product the download was charged to, when Getty named it. */
  product_id: string | null;
  /** The product's name and agreement, as the editor saw it. */
  product: string;
  /** The project code the editor sent Getty with the download, if any. */
  project_code: string | null;
  /** The note the editor sent Getty with the download, if any. */
  download_notes: string | null;
  /** The delivery URI (valid about a day). */
  uri: string;
}

/**
 * `detail` of `getty-picker:error`: a search, a further page, a download or the image opened
 * at mount (`openImage`) failed.
 */
export interface GettyPickerErrorDetail {
  /** A message fit to show to the editor. */
  message: string;
  /** The HTTP status, or `null` when there was no answer. */
  status: number | null;
  /** What failed. */
  kind: "search" | "download" | "image";
}

/** The events a picker dispatches on its element; they bubble and are composed. */
export interface GettyPickerEventMap {
  "getty-picker:select": CustomEvent<GettyPickerSelectDetail>;
  "getty-picker:use": CustomEvent<GettyPickerUseDetail>;
  "getty-picker:download": CustomEvent<GettyPickerDownloadDetail>;
  "getty-picker:error": CustomEvent<GettyPickerErrorDetail>;
}

/** The attributes of `<getty-picker>`: the options' `data-*` names without `data-`. */
export type GettyPickerAttribute =
  | "token-url"
  | "api-key"
  | "api-base"
  | "open-tab"
  | "page-size"
  | "asset-family"
  | "sort-order"
  | "orientation"
  | "number-of-people"
  | "graphical-style"
  | "exclude-nudity"
  | "safe-search"
  | "locale"
  | "strings"
  | "library-url"
  | "open-image";

/**
 * `<getty-picker token-url="…" api-key="…">`: mounts a picker when it enters the document,
 * mounts it again when an attribute changes and destroys it when it leaves the document.
 */
export declare class GettyPickerElement extends HTMLElement {
  /** The attributes the element reacts to. */
  static readonly observedAttributes: readonly GettyPickerAttribute[];
}

declare global {
  interface HTMLElementTagNameMap {
    "getty-picker": GettyPickerElement;
  }
  // Bubbling and composed: the events reach every ancestor, the document and the window.
  interface GlobalEventHandlersEventMap extends GettyPickerEventMap {}
  interface DocumentEventMap {
    /** Dispatched on `document` once the widget is loaded and `window.GettyPicker` is set. */
    "getty-picker:ready": Event;
  }
  interface Window {
    /** The script API, for scripts that are not modules (after `getty-picker:ready`). */
    GettyPicker?: Readonly<GettyPickerApi>;
  }
}
