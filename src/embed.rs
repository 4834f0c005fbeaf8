//! Everything that touches the host page: mounting into a shadow root, the script API, host
//! events and opening tabs. Components reach the page only through [`Host`] and [`tabs`].

mod host;
mod js_api;
mod options;
mod registry;
mod shadow;
pub mod tabs;

pub use host::{ErrorKind, Host, DOWNLOAD_EVENT, ERROR_EVENT, SELECT_EVENT, USE_EVENT};
pub use js_api::mount_from_script;
pub use registry::{mount, mount_all, show_crash, MountError, PickerHandle};
pub use shadow::{use_sheet, Shell};
pub use tabs::DeliveryTab;
