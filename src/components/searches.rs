//! The picker's searches: debounced while typing, at once on Enter or a filter change, and the
//! further pages of the one shown. Requests run through one Leptos [`Action`]; a new request
//! supersedes the one in flight (its fetch is aborted and its dispatch too), and an answer is
//! applied, by the request itself once Getty answered, only if the search state still waits for
//! exactly that request (latest wins).

use std::time::Duration;

use leptos::prelude::*;

use crate::components::context;
use leptos::reactive::actions::ActionAbortHandle;
use web_sys::{AbortController, AbortSignal};

use super::{Client, I18n, RoleOnly, SearchId};
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

/// Where answers go: the search state, and what is told of them. Cheap to copy into each
/// request.
#[derive(Clone, Copy)]
struct Receiver {
    state: RwSignal<SearchState>,
    /// The first page of the current search (see [`Searches`]).
    current: StoredValue<Option<SearchQuery>, LocalStorage>,
    i18n: I18n,
    host: Host,
    role_only: RwSignal<bool>,
    library: Library,
}

impl Receiver {
    /// Applies Getty's answer to `query` if the state still waits for it (`role_only`: what the
    /// token that searched said of the editor's role).
    fn receive(self, query: SearchQuery, outcome: Result<SearchPage, ApiError>, role_only: bool) {
        let first = query.page == 1;
        // try_: the picker may be gone (its requests are aborted then, but a last answer may
        // already be on its way).
        let awaited = self.state.try_with_untracked(|state| match state {
            SearchState::Loading { .. } if first => self
                .current
                .with_value(|current| current.as_ref() == Some(&query)),
            SearchState::Loaded(results) if !first => {
                results.more == More::Loading && results.next_query() == query
            }
            _ => false,
        });
        if awaited != Some(true) {
            return;
        }
        if let Err(error) = &outcome {
            self.host.failed(ErrorKind::Search, error);
        }
        // Before the cards are made: they read it once.
        if self.role_only.get_untracked() != role_only {
            self.role_only.set(role_only);
        }
        let outcome = outcome.map_err(|error| self.i18n.with(|strings| strings.error(&error)));
        self.show(query, outcome);
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
    run: Action<Request, ()>,
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
    /// Which search is shown: each search from page 1 is a new one, which what belongs to a
    /// search (focus, the details panel, the library's answers, the marks) reacts to.
    search: SearchId,
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
        let client = context::<Client>();
        let current = StoredValue::new_local(None);
        let library = context::<Library>();
        let receiver = Receiver {
            state,
            current,
            i18n: context(),
            host: context(),
            role_only: context::<RoleOnly>().0,
            library,
        };
        let run = Action::new_local(move |request: &Request| {
            let client = client.get_value();
            let Request { query, signal } = request;
            let (query, signal) = (query.clone(), signal.clone());
            async move {
                let outcome = client.search(&query, signal.as_ref()).await;
                receiver.receive(query, outcome, client.role_only());
            }
        });
        let searches = Self {
            run,
            state,
            phrase,
            filters,
            page_size,
            current,
            in_flight: StoredValue::new_local(None),
            timer: StoredValue::new_local(None),
            search: context(),
            library,
        };
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
        self.state.set(SearchState::Loading {
            phrase: query.phrase.clone(),
        });
        self.search.next();
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
