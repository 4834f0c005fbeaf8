use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, HtmlElement};

use super::search_bar::take_over;
use super::{
    Ctx, FilterBar, GridFocus, I18n, Preview, PreviewRequest, ResultGrid, SearchBar, Status,
};
use crate::account::Account;
use crate::embed::{ErrorKind, Host, Shell};
use crate::getty::{Filters, SearchQuery};
use crate::http::{parse_json, GettyClient};
use crate::i18n::{Overrides, Strings};
use crate::state::{More, Results, SearchState};

/// How long typing must pause before the phrase is searched.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The whole picker: search box, filters, status line, result grid and preview, rendered into
/// `stage` (its `.getty-picker` element).
#[component]
pub fn Picker(
    /// Talks to the token backend and Getty; its configuration sets the picker up.
    client: GettyClient,
    /// The page around the picker, told what happens.
    host: Host,
    /// The element the picker renders into.
    stage: HtmlElement,
    /// The search box the entry module drew before the wasm was ready, if any: taken over
    /// rather than drawn again.
    shell: Option<Shell>,
) -> impl IntoView {
    let config = client.config().clone();
    let client = StoredValue::new_local(client);
    let i18n = I18n::new(strings_for(&config.locale, config.strings.as_deref()));

    let state = RwSignal::new(SearchState::Idle);
    let phrase = RwSignal::new(String::new());
    let filters = RwSignal::new(config.filters.clone());
    let focus = GridFocus::new(state);
    let preview = PreviewRequest::new(stage);
    provide_context(Ctx {
        client,
        i18n,
        focus,
        preview,
        host,
        account: Account::default(),
    });

    let searches = Searches {
        client,
        state,
        phrase,
        filters,
        focus,
        preview,
        i18n,
        host,
        page_size: config.page_size,
        pending: StoredValue::new_local(Pending::default()),
    };
    on_cleanup(move || searches.cancel());

    let on_input = move || searches.debounce();
    let on_submit = move || searches.now(false);
    let search_bar = match shell {
        Some(Shell { bar, submitted }) => {
            take_over(&bar, i18n, phrase, on_input, on_submit);
            // What the editor did before the wasm was ready, as if done now: Enter searches at
            // once, typing alone once typing pauses.
            if submitted {
                on_submit();
            } else if !phrase.with_untracked(String::is_empty) {
                on_input();
            }
            None
        }
        None => Some(view! { <SearchBar phrase on_input on_submit /> }),
    };
    view! {
        {search_bar}
        <FilterBar filters on_change=move || searches.now(false) />
        <Status state on_retry=move || searches.now(true) />
        <ResultGrid state on_more=move || searches.more() />
        <Preview />
    }
}

/// The locale's texts with the host's overrides; bad overrides are reported, not fatal.
fn strings_for(locale: &Option<String>, overrides: Option<&str>) -> Strings {
    let mut strings = Strings::for_locale(locale.as_deref());
    if let Some(json) = overrides {
        let problem = match parse_json::<Overrides>(json) {
            Ok(Overrides(overrides)) => {
                let unknown = strings.apply(overrides);
                (!unknown.is_empty()).then(|| format!("unknown entries: {}", unknown.join(", ")))
            }
            Err(error) => Some(error),
        };
        if let Some(problem) = problem {
            web_sys::console::warn_1(&format!("getty-picker: data-strings: {problem}").into());
        }
    }
    strings
}

/// Starts searches: debounced while typing, at once on Enter or a filter change, each
/// superseding the last; and loads further pages of the current one.
#[derive(Clone, Copy)]
struct Searches {
    client: StoredValue<GettyClient, LocalStorage>,
    state: RwSignal<SearchState>,
    phrase: RwSignal<String>,
    filters: RwSignal<Filters>,
    focus: GridFocus,
    /// Closed when a new search replaces the card it shows.
    preview: PreviewRequest,
    /// The texts, for error messages.
    i18n: I18n,
    /// The host page, told about failed searches.
    host: Host,
    page_size: u32,
    pending: StoredValue<Pending, LocalStorage>,
}

/// What is under way for a picker's searches.
#[derive(Default)]
struct Pending {
    /// Numbers searches so that an answer to an older one never replaces a newer one.
    latest: u64,
    /// The first page of the current search, to skip an identical one.
    current: Option<SearchQuery>,
    /// Cancels the in-flight request of the current search.
    in_flight: Option<AbortController>,
    /// The pending debounced search, if typing has not paused yet.
    timer: Option<TimeoutHandle>,
}

impl Searches {
    /// Searches once typing pauses for [`DEBOUNCE`].
    fn debounce(self) {
        self.clear_timer();
        let handle = set_timeout_with_handle(move || self.now(false), DEBOUNCE).ok();
        self.pending
            .try_update_value(|pending| pending.timer = handle);
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
        let Some(shown) = self.pending.try_update_value(|pending| {
            let shown = pending.current.as_ref() == Some(&query);
            pending.current = Some(query.clone());
            shown
        }) else {
            return;
        };
        if shown && !again && !failed {
            return;
        }
        self.focus.reset();
        // The preview shares the download state of a card about to go.
        self.preview.dismiss();
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
        let Some(client) = self.client.try_get_value() else {
            return;
        };
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let Some(this) = self.pending.try_update_value(|pending| {
            if let Some(previous) = std::mem::replace(&mut pending.in_flight, controller) {
                previous.abort();
            }
            pending.latest += 1;
            pending.latest
        }) else {
            return;
        };
        spawn_local(async move {
            let outcome = client.search(&query, signal.as_ref()).await;
            if self.pending.try_with_value(|pending| pending.latest) != Some(this) {
                return;
            }
            if let Err(error) = &outcome {
                self.host.failed(ErrorKind::Search, error);
            }
            let outcome = outcome.map_err(|error| self.i18n.with(|strings| strings.error(&error)));
            // try_update: the picker may have been unmounted while the request was in flight.
            self.state.try_update(|state| apply(state, query, outcome));
        });
    }

    /// Stops everything pending, for unmounting.
    fn cancel(self) {
        self.clear_timer();
        if let Some(Some(controller)) = self
            .pending
            .try_update_value(|pending| pending.in_flight.take())
        {
            controller.abort();
        }
    }

    fn clear_timer(self) {
        if let Some(Some(handle)) = self
            .pending
            .try_update_value(|pending| pending.timer.take())
        {
            handle.clear();
        }
    }
}
