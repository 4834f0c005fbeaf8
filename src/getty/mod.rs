//! The Getty Images API as the picker uses it: serde types of its answers, URLs and error bodies.
//!
//! Pure Rust with no DOM, so `cargo test` covers all of it natively (decoding with serde_json
//! what the browser decodes with serde-wasm-bindgen). Protocol knowledge (field names, quirks,
//! query parameters) lives here and nowhere else.

pub mod errors;
pub mod history;
pub mod language;
pub mod lenient;
pub mod products;
pub mod query;
pub mod types;
pub mod url;

pub use errors::{ApiError, ErrorBody, Service};
pub use history::{licensed_before, HistoryAnswer, LicensedBefore};
pub use lenient::Skipping;
pub use products::{
    choose, offers, Day, DownloadForm, Missing, Offer, Product, ProductsAnswer, Requirements,
};
pub use query::{
    download_url, image_url, AssetFamily, FilterKind, Filters, Neighbours, SearchQuery,
};
pub use types::{
    AllowedUse, DisplaySize, DownloadAnswer, Image, ImagesAnswer, LargestDownload, MaxDimensions,
    SearchPage, TokenAnswer,
};
