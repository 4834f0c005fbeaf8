//! The picker's components, one per file. They stay thin: logic lives in `state`, `getty`, `http`.

mod card;
mod picker;
mod result_grid;
mod search_bar;
mod status;

pub use card::Card;
pub use picker::Picker;
pub use result_grid::ResultGrid;
pub use search_bar::SearchBar;
pub use status::Status;

use leptos::prelude::*;

use crate::http::GettyClient;

/// The picker's Getty client, shared with every component through context.
pub type ClientHandle = StoredValue<GettyClient, LocalStorage>;
