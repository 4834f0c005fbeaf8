use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use super::{ClientHandle, ResultGrid, SearchBar, Status};
use crate::getty::SearchQuery;
use crate::http::GettyClient;
use crate::state::SearchState;

/// How long typing must pause before the phrase is searched.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The whole picker: search box, status line and result grid.
#[component]
pub fn Picker(
    /// The client this picker talks to its token backend and Getty with.
    client: GettyClient,
) -> impl IntoView {
    let client: ClientHandle = StoredValue::new_local(client);
    provide_context(client);
    let state = RwSignal::new(SearchState::Idle);
    let searches = Searches::new(client, state);
    on_cleanup(move || searches.cancel());

    let on_input = Callback::new(move |phrase: String| searches.debounce(phrase));
    let on_submit = Callback::new(move |phrase: String| searches.now(phrase, false));
    let on_retry = Callback::new(move |phrase: String| searches.now(phrase, true));

    view! {
        <div class="getty-picker">
            <SearchBar on_input on_submit />
            <Status state on_retry />
            <ResultGrid state />
        </div>
    }
}

/// Starts searches: debounced while typing, at once on Enter, each superseding the last.
#[derive(Clone, Copy)]
struct Searches {
    client: ClientHandle,
    state: RwSignal<SearchState>,
    /// Numbers searches so that an answer to an older one never replaces a newer one.
    latest: StoredValue<u64>,
    /// Cancels the in-flight request of the current search.
    in_flight: StoredValue<Option<AbortController>, LocalStorage>,
    /// The pending debounced search, if typing has not paused yet.
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Searches {
    fn new(client: ClientHandle, state: RwSignal<SearchState>) -> Self {
        Self {
            client,
            state,
            latest: StoredValue::new(0),
            in_flight: StoredValue::new_local(None),
            timer: StoredValue::new(None),
        }
    }

    /// Searches `phrase` once typing pauses for [`DEBOUNCE`].
    fn debounce(self, phrase: String) {
        self.clear_timer();
        let handle = set_timeout_with_handle(move || self.now(phrase, false), DEBOUNCE).ok();
        self.timer.try_set_value(handle);
    }

    /// Searches `phrase` now, unless it is already the current search and `again` is false.
    fn now(self, phrase: String, again: bool) {
        self.clear_timer();
        let Some(query) = SearchQuery::first_page(&phrase) else {
            return;
        };
        let current = self.state.with_untracked(|state| match state {
            SearchState::Loading { phrase } | SearchState::Loaded { phrase, .. } => {
                Some(phrase.clone())
            }
            _ => None,
        });
        // Enter after the debounced search already ran must not cost a second search.
        if !again && current.as_deref() == Some(query.phrase.as_str()) {
            return;
        }
        let (Some(this), Some(client)) = (
            self.latest.try_update_value(|n| {
                *n += 1;
                *n
            }),
            self.client.try_get_value(),
        ) else {
            return;
        };
        self.abort_in_flight();
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        self.in_flight.try_set_value(controller);
        self.state.set(SearchState::Loading {
            phrase: query.phrase.clone(),
        });
        spawn_local(async move {
            let outcome = client.search(&query, signal.as_ref()).await;
            if self.latest.try_get_value() != Some(this) {
                return;
            }
            // try_set: the picker may have been unmounted while the request was in flight.
            self.state.try_set(match outcome {
                Ok(page) => SearchState::loaded(query.phrase, page),
                Err(error) => SearchState::Failed {
                    phrase: query.phrase,
                    message: error.to_string(),
                },
            });
        });
    }

    /// Stops everything pending, for unmounting.
    fn cancel(self) {
        self.clear_timer();
        self.abort_in_flight();
    }

    fn clear_timer(self) {
        if let Some(Some(handle)) = self.timer.try_update_value(Option::take) {
            handle.clear();
        }
    }

    fn abort_in_flight(self) {
        if let Some(Some(controller)) = self.in_flight.try_update_value(Option::take) {
            controller.abort();
        }
    }
}
