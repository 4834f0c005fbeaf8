use leptos::prelude::*;

use super::Card;
use crate::getty::Image;
use crate::state::SearchState;

/// The grid of result cards, keyed by image id so cards keep their state across updates.
#[component]
pub fn ResultGrid(
    /// The search whose images to show.
    state: RwSignal<SearchState>,
) -> impl IntoView {
    let images = move || state.with(|state| state.images().to_vec());
    view! {
        <ul class="gp-grid" aria-label="Search results">
            <For
                each=images
                key=|image: &Image| image.id.clone()
                children=|image: Image| view! { <Card image /> }
            />
        </ul>
    }
}
