use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use super::{
    filter_bar, preview, result_grid, search_bar, status, ClientHandle, GridFocus, I18n,
    PreviewRequest,
};
use crate::dom::El;
use crate::embed::{ErrorKind, Host};
use crate::getty::{Filters, SearchQuery};
use crate::http::GettyClient;
use crate::i18n::{self, Strings};
use crate::state::{More, Results, SearchState};

/// How long typing must pause before the phrase is searched.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The whole picker: search box, filters, status line, result grid and preview, talking to its
/// token backend and Getty through `client`.
pub fn picker(client: GettyClient) -> El {
    let config = client.config().clone();
    let client: ClientHandle = StoredValue::new_local(client);
    provide_context(client);
    let i18n = I18n::new(strings_for(&config.locale, config.strings.as_deref()));
    provide_context(i18n);

    let state = RwSignal::new(SearchState::Idle);
    let phrase = RwSignal::new(String::new());
    let filters = RwSignal::new(config.filters.clone());
    let first_id =
        Signal::derive(move || state.with(|state| state.images().first().map(|i| i.id.clone())));
    let focus = GridFocus::new(first_id);
    provide_context(focus);
    let previews = PreviewRequest::new();
    provide_context(previews);

    let searches = Searches {
        client,
        state,
        phrase,
        filters,
        focus,
        host: Host::current(),
        page_size: config.page_size,
        latest: StoredValue::new(0),
        current: StoredValue::new(None),
        in_flight: StoredValue::new_local(None),
        timer: StoredValue::new(None),
    };
    on_cleanup(move || searches.cancel());

    let on_input = Callback::new(move |()| searches.debounce());
    let on_submit = Callback::new(move |()| searches.now(false));
    let on_retry = Callback::new(move |()| searches.now(true));
    let on_filter = Callback::new(move |()| searches.now(false));
    let on_more = Callback::new(move |()| searches.more());

    let mut root = El::new("div").class("getty-picker");
    if let Some(locale) = &config.locale {
        root = root.attr("lang", locale);
    }
    let root = root
        .child(search_bar(phrase, on_input, on_submit))
        .children(filter_bar(filters, on_filter))
        .child(status(state, on_retry));
    let root = preview(result_grid(root, state, on_more));
    previews.set_root(root.element());
    root
}

/// The locale's texts with the host's overrides; bad overrides are reported, not fatal.
fn strings_for(locale: &Option<String>, overrides: Option<&str>) -> Strings {
    let mut strings = Strings::for_locale(locale.as_deref());
    if let Some(json) = overrides {
        let problem = match i18n::overrides_from_json(crate::http::parse_json(json).as_ref()) {
            Ok(overrides) => {
                let unknown = strings.apply(overrides);
                (!unknown.is_empty())
                    .then(|| format!("unknown data-strings entries: {}", unknown.join(", ")))
            }
            Err(error) => Some(error),
        };
        if let Some(problem) = problem {
            web_sys::console::warn_1(&format!("getty-picker: {problem}").into());
        }
    }
    strings
}

/// Starts searches: debounced while typing, at once on Enter or a filter change, each
/// superseding the last; and loads further pages of the current one.
#[derive(Clone, Copy)]
struct Searches {
    client: ClientHandle,
    state: RwSignal<SearchState>,
    phrase: RwSignal<String>,
    filters: RwSignal<Filters>,
    focus: GridFocus,
    /// The host page, told about failed searches.
    host: Host,
    page_size: u32,
    /// Numbers searches so that an answer to an older one never replaces a newer one.
    latest: StoredValue<u64>,
    /// The first page of the current search, to skip an identical one.
    current: StoredValue<Option<SearchQuery>>,
    /// Cancels the in-flight request of the current search.
    in_flight: StoredValue<Option<AbortController>, LocalStorage>,
    /// The pending debounced search, if typing has not paused yet.
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Searches {
    /// Searches once typing pauses for [`DEBOUNCE`].
    fn debounce(self) {
        self.clear_timer();
        let handle = set_timeout_with_handle(move || self.now(false), DEBOUNCE).ok();
        self.timer.try_set_value(handle);
    }

    /// Searches the phrase and filters now, from page 1, unless that exact search is already
    /// shown or under way and `again` is false.
    fn now(self, again: bool) {
        self.clear_timer();
        let (Some(phrase), Some(filters)) = (
            self.phrase.try_get_untracked(),
            self.filters.try_get_untracked(),
        ) else {
            return;
        };
        let Some(query) = SearchQuery::first_page(&phrase, filters, self.page_size) else {
            return;
        };
        let failed = self
            .state
            .with_untracked(|state| matches!(state, SearchState::Failed { .. }));
        // Enter after the debounced search already ran must not cost a second search.
        if !again
            && !failed
            && self
                .current
                .with_value(|current| current.as_ref() == Some(&query))
        {
            return;
        }
        self.current.set_value(Some(query.clone()));
        self.focus.reset();
        self.state.set(SearchState::Loading {
            phrase: query.phrase.clone(),
        });
        self.fetch(query, |state, query, outcome| {
            *state = match outcome {
                Ok(page) => SearchState::Loaded(Results::new(query, page)),
                Err(message) => SearchState::Failed {
                    phrase: query.phrase,
                    message,
                },
            }
        });
    }

    /// Loads the next page of the current search, keeping what is shown if it fails.
    fn more(self) {
        let next = self.state.with_untracked(|state| match state {
            SearchState::Loaded(results) if results.more != More::Loading => {
                results.has_more().then(|| results.next_query())
            }
            _ => None,
        });
        let Some(query) = next else {
            return;
        };
        self.state.update(|state| {
            if let SearchState::Loaded(results) = state {
                results.more = More::Loading;
            }
        });
        self.fetch(query, |state, query, outcome| {
            if let SearchState::Loaded(results) = state {
                match outcome {
                    Ok(page) => results.append(query, page),
                    Err(message) => results.more = More::Failed(message),
                }
            }
        });
    }

    /// Fetches `query`, aborting whatever this picker had in flight, and applies the outcome
    /// with `apply` unless a newer search started meanwhile.
    fn fetch(
        self,
        query: SearchQuery,
        apply: fn(&mut SearchState, SearchQuery, Result<crate::getty::SearchPage, String>),
    ) {
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
        let i18n = use_context::<I18n>();
        spawn_local(async move {
            let outcome = client.search(&query, signal.as_ref()).await;
            if self.latest.try_get_value() != Some(this) {
                return;
            }
            if let Err(error) = &outcome {
                self.host.failed(ErrorKind::Search, error);
            }
            let outcome = outcome.map_err(|error| {
                i18n.and_then(|i18n| i18n.try_with_value(|strings| strings.error(&error)))
                    .unwrap_or_else(|| error.to_string())
            });
            // try_update: the picker may have been unmounted while the request was in flight.
            self.state.try_update(|state| apply(state, query, outcome));
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
