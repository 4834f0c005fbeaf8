use std::rc::Rc;

use leptos::prelude::*;

use crate::components::context;
use web_sys::HtmlElement;

use super::details::open_at_mount;
use super::search_bar::take_over;
use super::searches::Searches;
use super::{
    Client, Details, DetailsPanel, Downloads, FilterBar, GridFocus, I18n, ResultGrid, Results,
    RoleOnly, SearchBar, SearchBox, SearchId, Status,
};
use crate::account::Account;
use crate::config::Config;
use crate::embed::{Host, Shell};
use crate::http::GettyClient;
use crate::i18n::files::Entries;
use crate::i18n::intl::Intl;
use crate::i18n::{Language, Locale, Overrides, Strings};
use crate::library::Library;
use crate::marks::Marks;
use crate::state::SearchState;
use crate::transport::parse_json;

/// The whole picker: search box, filters, status line, result grid and details panel, rendered
/// into `stage` (its `.getty-picker` element) in its language (its locale file is loaded before
/// the picker is built: `embed::mount`).
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
    // The stage is the entry module's or the mount's element, not this view's: its language and
    // the crash notice (in that language, for `embed::show_crash`) are set on it here, once.
    let _ = stage.set_attribute("lang", strings.locale().tag());
    let _ = stage.set_attribute("data-crash-notice", &strings.crashed);

    let state = RwSignal::new(SearchState::Idle);
    let phrase = RwSignal::new(String::new());
    let filters = RwSignal::new(config.filters.clone());
    let details = provide_contexts(client, strings, host, &config, state);
    details.watch_width(&stage);
    let searches = Searches::new(state, phrase, filters, config.page_size);
    let search_bar = search_bar(shell, phrase, searches);
    if let Some(id) = config.open_image.clone() {
        open_at_mount(id);
    }
    view! {
        {search_bar}
        <FilterBar filters on_change=move || searches.now(false) />
        <Status state on_retry=move || searches.now(true) />
        <RoleNote />
        <div class="gp-body" class:gp-body-beside=move || details.beside()>
            <div class="gp-results">
                <ResultGrid state on_more=move || searches.more() />
            </div>
            <DetailsPanel />
        </div>
    }
}

/// Provides each of the picker's contexts on its own, for the components that read it, and
/// returns the details panel's.
fn provide_contexts(
    client: GettyClient,
    strings: Strings,
    host: Host,
    config: &Config,
    state: RwSignal<SearchState>,
) -> Details {
    let search_box = SearchBox::default();
    let i18n = I18n::new(strings);
    let search = SearchId::new();
    let results = Results(state);
    provide_context::<Client>(StoredValue::new_local(client));
    provide_context(i18n);
    provide_context(search);
    provide_context(results);
    let focus = GridFocus::new(state, search);
    provide_context(focus);
    provide_context(search_box);
    provide_context(host);
    provide_context(Account::default());
    let marks = Marks::new(search);
    provide_context(marks);
    provide_context(Library::new(config.library_url.clone(), search, marks));
    provide_context(Downloads::new(marks));
    provide_context(RoleOnly(RwSignal::new(false)));
    let details = Details::new(search, results, focus, search_box);
    provide_context(details);
    details
}

/// The search box: the entry module's, taken over, or drawn ([`SearchBar`]).
fn search_bar(
    shell: Option<Shell>,
    phrase: RwSignal<String>,
    searches: Searches,
) -> Option<impl IntoView> {
    let on_input = move || searches.debounce();
    let on_submit = move || searches.now(false);
    let SearchBox(input) = context();
    let Some(shell) = shell else {
        return Some(view! { <SearchBar phrase on_input on_submit input /> });
    };
    let (bar, submitted) = shell.take();
    take_over(&bar, input, phrase, on_input, on_submit);
    // What the editor did before the wasm was ready, as if done now: Enter searches at once,
    // typing alone once typing pauses.
    if submitted {
        on_submit();
    } else if !phrase.with_untracked(String::is_empty) {
        on_input();
    }
    None
}

/// One line saying who licenses, for an editor whose role is to choose images only.
#[component]
fn RoleNote() -> impl IntoView {
    let (i18n, RoleOnly(role_only)) = (context::<I18n>(), context::<RoleOnly>());
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
            Err(error) => Some(error.to_string()),
        };
        if let Some(problem) = problem {
            web_sys::console::warn_1(&format!("getty-picker: data-strings: {problem}").into());
        }
    }
    strings
}
