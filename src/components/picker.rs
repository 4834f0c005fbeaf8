use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, HtmlElement};

use super::search_bar::take_over;
use super::{
    Ctx, FilterBar, GridFocus, I18n, Intent, Preview, PreviewRequest, ResultGrid, SearchBar, Status,
};
use crate::account::Account;
use crate::embed::{ErrorKind, Host, Shell};
use crate::getty::{Filters, SearchQuery};
use crate::http::GettyClient;
use crate::i18n::files::Entries;
use crate::i18n::intl::Intl;
use crate::i18n::{Language, Locale, Overrides, Strings};
use crate::library::Library;
use crate::state::{More, Results, SearchState};
use crate::transport::parse_json;

/// How long typing must pause before the phrase is searched.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The whole picker: search box, filters, status line, result grid and preview, rendered into
/// `stage` (its `.getty-picker` element) in its language (its locale file is loaded before the
/// picker is built: `embed::mount`).
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
    /// The entries of the picker's locale file; none for English, or if the file failed.
    entries: Option<Entries>,
) -> impl IntoView {
    let strings = texts(
        client.config().language,
        entries,
        client.config().strings.as_deref(),
    );
    let config = client.config().clone();
    let client = StoredValue::new_local(client);
    // The stage is the entry module's or the mount's element, not this view's: its language and
    // the crash notice (in that language, for `embed::show_crash`) are set on it here, once.
    let _ = stage.set_attribute("lang", strings.locale().tag());
    let _ = stage.set_attribute("data-crash-notice", &strings.crashed);
    let i18n = I18n::new(strings);

    let state = RwSignal::new(SearchState::Idle);
    let phrase = RwSignal::new(String::new());
    let filters = RwSignal::new(config.filters.clone());
    let focus = GridFocus::new(state);
    let preview = PreviewRequest::new(stage.clone());
    let library = Library::new(config.library_url.clone());
    let role_only = RwSignal::new(false);
    provide_context(Ctx {
        client,
        i18n,
        focus,
        preview,
        host,
        account: Account::default(),
        library,
        history: Action::new_local(|intent: &Intent| intent.clone().run()),
        role_only,
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
        library,
        role_only,
        page_size: config.page_size,
        pending: StoredValue::new_local(Pending::default()),
    };
    on_cleanup(move || searches.cancel());

    let on_input = move || searches.debounce();
    let on_submit = move || searches.now(false);
    let search_bar = match shell {
        Some(shell) => {
            let (bar, submitted) = shell.take();
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
        <RoleNote role_only />
        <ResultGrid state on_more=move || searches.more() />
        <Preview />
    }
}

/// One line saying who licenses, for an editor whose role is to choose images only.
#[component]
fn RoleNote(
    /// Whether the token service said so.
    role_only: RwSignal<bool>,
) -> impl IntoView {
    let i18n = super::use_ctx().i18n;
    view! {
        <Show when=move || role_only.get()>
            <p class="gp-role-note">{i18n.text(|s| &s.role_note)}</p>
        </Show>
    }
}

/// The texts of `language`: English with its locale file's `entries` over it (English throughout,
/// numbers and dates too, if the file failed), then the host's overrides, which are reported if
/// bad, not fatal.
fn texts(language: Language, entries: Option<Entries>, overrides: Option<&str>) -> Strings {
    let locale = match (language.locale.file(), &entries) {
        (Some(_), None) => Locale::ENGLISH,
        _ => language.locale,
    };
    let mut strings = Strings::english(locale, Rc::new(Intl::new(locale.tag())));
    if let Some(entries) = entries {
        // A file of another version than the wasm: what the picker knows of it still counts.
        let unknown = strings.apply(entries.iter().cloned());
        if !unknown.is_empty() {
            let message = format!(
                "getty-picker: the {} texts have entries the picker does not know: {}",
                locale.tag(),
                unknown.join(", ")
            );
            web_sys::console::warn_1(&message.into());
        }
    }
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
    /// Asked which images of each page the host already holds.
    library: Library,
    /// Set from each search's token: whether the editor may only choose images.
    role_only: RwSignal<bool>,
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
        self.library.new_search();
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
            // Before the cards are made: they read it once.
            let role_only = client.role_only();
            if self.role_only.try_get_untracked() == Some(!role_only) {
                self.role_only.set(role_only);
            }
            let loaded = outcome.is_ok();
            let outcome = outcome.map_err(|error| self.i18n.with(|strings| strings.error(&error)));
            let shown = self
                .state
                .try_with_untracked(|state| state.images().len())
                .unwrap_or_default();
            // try_update: the picker may have been unmounted while the request was in flight.
            self.state.try_update(|state| apply(state, query, outcome));
            if loaded {
                // The host's library is asked about the cards this page added, once.
                let added = self
                    .state
                    .try_with_untracked(|state| {
                        let images = state.images();
                        images[shown.min(images.len())..]
                            .iter()
                            .map(|image| image.id.clone())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                if !added.is_empty() {
                    self.library.ask(added);
                }
            }
        });
    }

    /// Stops everything pending, for unmounting.
    fn cancel(self) {
        self.clear_timer();
        self.library.cancel();
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
