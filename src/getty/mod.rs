//! The Getty Images API as the picker uses it: types, URLs and error bodies.
//!
//! Pure Rust with no DOM, so `cargo test` covers all of it natively. Protocol knowledge
//! (field names, quirks, query parameters) lives here and nowhere else.

pub mod errors;
pub mod json;
pub mod query;
pub mod types;
pub mod url;

pub use errors::{ApiError, ErrorBody};
pub use json::{Json, Skipping};
pub use query::{download_url, AssetFamily, FilterKind, Filters, SearchQuery};
pub use types::{
    Dimensions, DisplaySize, DownloadAnswer, FromJson, Image, LargestDownload, SearchPage,
    TokenAnswer,
};
