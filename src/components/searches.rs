//! The picker's searches: debounced while typing, at once on Enter or a filter change, and the
//! further pages of the one shown. Requests run through one Leptos [`Action`]; a new request
//! supersedes the one in flight (its fetch is aborted and its dispatch too), and an answer is
//! applied only if the search state still waits for exactly that request (latest wins).

use std::time::Duration;

use leptos::prelude::*;
use leptos::reactive::actions::ActionAbortHandle;
use web_sys::{AbortController, AbortSignal};

use super::{Client, GridFocus, I18n, PreviewRequest, RoleOnly, SearchBox};
use crate::embed::{ErrorKind, Host};
use crate::getty::{ApiError, Filters, SearchPage, SearchQuery};
use crate::library::Library;
use crate::state::{More, Results, SearchState};

/// How long typing must pause before the phrase is searched.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// One request for a page of results.
pub struct Request {
    query: SearchQuery,
    /// Cancels the fetch when a newer request supersedes this one.
    signal: Option<AbortSignal>,
}

/// Getty's answer to one [`Request`].
pub struct Answer {
    query: SearchQuery,
    outcome: Result<SearchPage, ApiError>,
    /// What the token that searched said of the editor's role.
    role_only: bool,
}

/// The request in flight, to supersede.
struct InFlight {
    controller: Option<AbortController>,
    dispatch: ActionAbortHandle,
}

impl InFlight {
    fn abort(self) {
        self.dispatch.abort();
        if let Some(controller) = self.controller {
            controller.abort();
        }
    }
}

/// Starts searches and loads further pages into `state`; cheap to copy into handlers.
#[derive(Clone, Copy)]
pub struct Searches {
    run: Action<Request, Answer>,
    state: RwSignal<SearchState>,
    phrase: RwSignal<String>,
    filters: RwSignal<Filters>,
    page_size: u32,
    /// The first page of the current search, so that Enter after the debounced search already
    /// ran costs no second search.
    current: StoredValue<Option<SearchQuery>, LocalStorage>,
    in_flight: StoredValue<Option<InFlight>, LocalStorage>,
    /// The pending debounced search, if typing has not paused yet.
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    focus: GridFocus,
    /// Closed when a new search replaces the card it shows.
    preview: PreviewRequest,
    /// Where focus goes when the preview is closed that way.
    search_box: SearchBox,
    /// Asked which images of each page the host already holds.
    library: Library,
}

impl Searches {
    /// Searches for the picker being built (its contexts provided), of `phrase` with `filters`,
    /// `page_size` images a page, shown in `state`. Everything pending stops with the picker.
    pub fn new(
        state: RwSignal<SearchState>,
        phrase: RwSignal<String>,
        filters: RwSignal<Filters>,
        page_size: u32,
    ) -> Self {
        let client = expect_context::<Client>();
        let run = Action::new_local(move |request: &Request| {
            let client = client.get_value();
            let Request { query, signal } = request;
            let (query, signal) = (query.clone(), signal.clone());
            async move {
                let outcome = client.search(&query, signal.as_ref()).await;
                let role_only = client.role_only();
                Answer {
                    query,
                    outcome,
                    role_only,
                }
            }
        });
        let searches = Self {
            run,
            state,
            phrase,
            filters,
            page_size,
            current: StoredValue::new_local(None),
            in_flight: StoredValue::new_local(None),
            timer: StoredValue::new_local(None),
            focus: expect_context(),
            preview: expect_context(),
            search_box: expect_context(),
            library: expect_context(),
        };
        searches.apply_answers();
        on_cleanup(move || searches.cancel());
        searches
    }

    /// Searches once typing pauses for [`DEBOUNCE`].
    pub fn debounce(self) {
        self.clear_timer();
        let handle = set_timeout_with_handle(move || self.now(false), DEBOUNCE).ok();
        self.timer.set_value(handle);
    }

    /// Searches the phrase and filters now, from page 1, unless that exact search is already
    /// shown or under way and `again` is false.
    pub fn now(self, again: bool) {
        self.clear_timer();
        let (phrase, filters) = (self.phrase.get_untracked(), self.filters.get_untracked());
        let Some(query) = SearchQuery::first_page(&phrase, filters, self.page_size) else {
            return;
        };
        let failed = self
            .state
            .with_untracked(|state| matches!(state, SearchState::Failed { .. }));
        let shown = self
            .current
            .with_value(|current| current.as_ref() == Some(&query));
        if shown && !again && !failed {
            return;
        }
        self.current.set_value(Some(query.clone()));
        self.focus.reset();
        // The preview shares the download state of a card about to go.
        self.preview.dismiss(self.search_box);
        self.library.new_search();
        self.state.set(SearchState::Loading {
            phrase: query.phrase.clone(),
        });
        self.dispatch(query);
    }

    /// Loads the next page of the current search, keeping what is shown if it fails.
    pub fn more(self) {
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
        self.dispatch(query);
    }

    /// Runs `query`, superseding whatever this picker had in flight.
    fn dispatch(self, query: SearchQuery) {
        if let Some(previous) = self.in_flight.write_value().take() {
            previous.abort();
        }
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let dispatch = self.run.dispatch_local(Request { query, signal });
        self.in_flight.set_value(Some(InFlight {
            controller,
            dispatch,
        }));
    }

    /// Applies each answer the action settles with, if the state still waits for it.
    fn apply_answers(self) {
        let (version, value) = (self.run.version(), self.run.value());
        let (i18n, host, role_only) = (
            expect_context::<I18n>(),
            expect_context::<Host>(),
            expect_context::<RoleOnly>().0,
        );
        Effect::new(move |_| {
            version.track();
            let Some(Answer {
                query,
                outcome,
                role_only: only,
            }) = value.write_untracked().take()
            else {
                return;
            };
            let first = query.page == 1;
            let awaited = self.state.with_untracked(|state| match state {
                SearchState::Loading { .. } if first => self
                    .current
                    .with_value(|current| current.as_ref() == Some(&query)),
                SearchState::Loaded(results) if !first => {
                    results.more == More::Loading && results.next_query() == query
                }
                _ => false,
            });
            if !awaited {
                return;
            }
            if let Err(error) = &outcome {
                host.failed(ErrorKind::Search, error);
            }
            // Before the cards are made: they read it once.
            if role_only.get_untracked() != only {
                role_only.set(only);
            }
            let outcome = outcome.map_err(|error| i18n.with(|strings| strings.error(&error)));
            self.show(query, outcome);
        });
    }

    /// Puts an awaited answer into the state, and asks the host's library about the cards it
    /// added, once.
    fn show(self, query: SearchQuery, outcome: Result<SearchPage, String>) {
        let loaded = outcome.is_ok();
        let shown = self.state.with_untracked(|state| state.images().len());
        self.state.update(|state| match (state, outcome) {
            (SearchState::Loaded(results), Ok(page)) => results.append(query, page),
            (SearchState::Loaded(results), Err(message)) => results.more = More::Failed(message),
            (state, Ok(page)) => *state = SearchState::Loaded(Results::new(query, page)),
            (state, Err(message)) => {
                *state = SearchState::Failed {
                    phrase: query.phrase,
                    message,
                }
            }
        });
        if !loaded {
            return;
        }
        let added = self.state.with_untracked(|state| {
            let images = state.images();
            images[shown.min(images.len())..]
                .iter()
                .map(|image| image.id.clone())
                .collect::<Vec<_>>()
        });
        if !added.is_empty() {
            self.library.ask(added);
        }
    }

    /// Stops everything pending, for unmounting.
    fn cancel(self) {
        self.clear_timer();
        self.library.cancel();
        if let Some(in_flight) = self.in_flight.write_value().take() {
            in_flight.abort();
        }
    }

    fn clear_timer(self) {
        if let Some(handle) = self.timer.write_value().take() {
            handle.clear();
        }
    }
}
