use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ClientHandle, ResultGrid, SearchBar, Status};
use crate::getty::SearchQuery;
use crate::http::GettyClient;
use crate::state::SearchState;

/// The whole picker: search box, status line and result grid.
#[component]
pub fn Picker(
    /// The client this picker talks to its token backend and Getty with.
    client: GettyClient,
) -> impl IntoView {
    let client: ClientHandle = StoredValue::new_local(client);
    provide_context(client);
    let state = RwSignal::new(SearchState::Idle);
    // Numbers searches so that an answer to an older one never replaces a newer one.
    let latest = StoredValue::new(0_u64);

    let search = Callback::new(move |phrase: String| {
        let Some(query) = SearchQuery::first_page(&phrase) else {
            return;
        };
        let Some(this) = latest.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        let Some(client) = client.try_get_value() else {
            return;
        };
        state.set(SearchState::Loading {
            phrase: query.phrase.clone(),
        });
        spawn_local(async move {
            let outcome = client.search(&query).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            // try_set: the picker may have been unmounted while the request was in flight.
            state.try_set(match outcome {
                Ok(page) => SearchState::loaded(query.phrase, page),
                Err(error) => SearchState::Failed {
                    phrase: query.phrase,
                    message: error.to_string(),
                },
            });
        });
    });

    view! {
        <div class="getty-picker">
            <SearchBar on_search=search />
            <Status state on_retry=search />
            <ResultGrid state />
        </div>
    }
}
