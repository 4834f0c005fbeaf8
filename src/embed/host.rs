//! The page around a picker, as its components see it: where host events go and whether
//! downloads open tabs. Made by the mount and handed to the components.

use js_sys::{Array, Object, Reflect, JSON};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::getty::url::is_http_url;
use crate::getty::{ApiError, DownloadForm, Image, Offer};

/// Sent after a download gave a delivery URI.
pub const DOWNLOAD_EVENT: &str = "getty-picker:download";
/// Sent when the editor chose a card ("Use this image").
pub const SELECT_EVENT: &str = "getty-picker:select";
/// Sent when the editor chose an image the host's library already holds ("Use it").
pub const USE_EVENT: &str = "getty-picker:use";
/// Sent when a search, a download or the image opened at mount failed.
pub const ERROR_EVENT: &str = "getty-picker:error";

/// What failed, in a [`ERROR_EVENT`]'s `detail.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A search (first page or a further one).
    Search,
    /// A download POST.
    Download,
    /// The image opened at mount (`data-open-image`).
    Image,
}

impl ErrorKind {
    /// The name hosts see.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Search => "search",
            Self::Download => "download",
            Self::Image => "image",
        }
    }
}

/// The host page of one picker; cheap to copy into event handlers.
#[derive(Debug, Clone, Copy)]
pub struct Host(StoredValue<HostPage, LocalStorage>);

/// The mount element and the host's tab preference.
#[derive(Debug)]
struct HostPage {
    element: HtmlElement,
    open_tab: bool,
}

impl Host {
    /// The host of a picker mounted on `element`; `open_tab` is the `data-open-tab` option.
    pub fn new(element: HtmlElement, open_tab: bool) -> Self {
        Self(StoredValue::new_local(HostPage { element, open_tab }))
    }

    /// Whether downloads open their delivery URI in a new tab.
    pub fn opens_tabs(&self) -> bool {
        self.0.try_with_value(|page| page.open_tab).unwrap_or(true)
    }

    /// Tells the host that `image` was downloaded with `offer`, delivered at `uri`.
    pub fn downloaded(&self, image: &Image, offer: &Offer, form: &DownloadForm, uri: &str) {
        let mut fields = vec![
            ("id", text(&image.id)),
            ("title", text(image.title_or_untitled())),
            ("product_type", text(&offer.download.product_type)),
            ("product_id", optional(offer.product_id())),
            ("product", text(&offer.label())),
            // What the editor told Getty with the download: the host keeps it with the licence.
            ("project_code", optional(form.project_code.as_deref())),
            ("download_notes", optional(form.download_notes.as_deref())),
            ("uri", text(uri)),
        ];
        fields.extend(licence(image));
        self.dispatch(DOWNLOAD_EVENT, &fields);
    }

    /// Tells the host that the editor chose `image`.
    pub fn selected(&self, image: &Image) {
        self.dispatch(SELECT_EVENT, &chosen(image));
    }

    /// Tells the host that the editor chose `image`, which its library holds as `entry` (the
    /// JSON text of the host's own object for it): the select fields plus `library`.
    pub fn used(&self, image: &Image, entry: &str) {
        let mut fields = chosen(image);
        let library = JSON::parse(entry)
            .ok()
            .filter(JsValue::is_object)
            .unwrap_or_else(|| Object::new().into());
        fields.push(("library", library));
        self.dispatch(USE_EVENT, &fields);
    }

    /// Tells the host that a search or download failed with `error`.
    pub fn failed(&self, kind: ErrorKind, error: &ApiError) {
        self.dispatch(
            ERROR_EVENT,
            &[
                ("message", text(&error.to_string())),
                (
                    "status",
                    error.status().map_or(JsValue::NULL, JsValue::from),
                ),
                ("kind", text(kind.as_str())),
            ],
        );
    }

    /// Dispatches `name` on the mount element, bubbling out of the shadow root into the page,
    /// with a plain object of `fields` as its detail (absent values are null, not undefined).
    fn dispatch(&self, name: &str, fields: &[(&str, JsValue)]) {
        let Some(element) = self.0.try_with_value(|page| page.element.clone()) else {
            return;
        };
        // Built by hand rather than with serde: a few fields do not justify a serializer's bytes.
        let detail = Object::new();
        for (key, value) in fields {
            if Reflect::set(&detail, &JsValue::from_str(key), value).is_err() {
                return;
            }
        }
        if let Ok(event) = custom_event(name, &detail) {
            // Listeners' exceptions go to the console, not here; it fails only for an event that is
            // already being dispatched, which this fresh one is not.
            let _ = element.dispatch_event(&event);
        }
    }
}

/// What the host hears of a chosen image: its id, title, display sizes and licence fields.
fn chosen(image: &Image) -> Vec<(&'static str, JsValue)> {
    // Only http(s) links: the host may put them straight into an `src`.
    let size = |name| {
        image
            .display_uri(name)
            .filter(|uri| is_http_url(uri))
            .map_or(JsValue::NULL, text)
    };
    let mut fields = vec![
        ("id", text(&image.id)),
        ("title", text(image.title_or_untitled())),
        ("thumb_uri", size("thumb")),
        ("comp_uri", size("comp")),
        ("preview_uri", size("preview")),
    ];
    fields.extend(licence(image));
    fields
}

fn custom_event(name: &str, detail: &JsValue) -> Result<CustomEvent, JsValue> {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    // composed: lets the event leave the shadow root if the host element is itself inside one.
    init.set_composed(true);
    init.set_detail(detail);
    CustomEvent::new_with_event_init_dict(name, &init)
}

fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

fn optional(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, text)
}

/// What a CMS must print and keep with the image: who to credit and how it may be used.
fn licence(image: &Image) -> [(&'static str, JsValue); 8] {
    let restrictions: Array = image
        .allowed_use
        .usage_restrictions
        .iter()
        .map(|restriction| text(restriction))
        .collect();
    [
        ("artist", optional(image.artist.as_deref())),
        (
            "collection_name",
            optional(image.collection_name.as_deref()),
        ),
        ("copyright", optional(image.copyright.as_deref())),
        ("credit_line", text(&image.credit_line())),
        ("caption", optional(image.caption.as_deref())),
        ("asset_family", optional(image.asset_family.as_deref())),
        (
            "allowed_use",
            optional(image.allowed_use.how_can_i_use_it.as_deref()),
        ),
        ("usage_restrictions", restrictions.into()),
    ]
}
