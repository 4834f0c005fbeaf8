//! Every text the picker shows: English built in, every other language a locale file of the
//! release folder (`locales/<tag>.json`, loaded when a picker needs it: [`files`]); hosts may
//! override any entry. Plural forms follow CLDR ([`plural`]), numbers and dates the browser's
//! `Intl` ([`intl`]), and which language a picker speaks is [`locale`]'s choice.

pub mod files;
pub mod intl;
pub mod locale;
pub mod plural;

use std::fmt;
use std::rc::Rc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

pub use locale::{Language, Locale};
pub use plural::{Category, Rule};

use crate::getty::{ApiError, Day, Product, Service};

/// One text: built in (borrowed, so the tables cost no code to build) or from a locale file or
/// a host's override.
pub type Text = std::borrow::Cow<'static, str>;

/// How one locale writes numbers and days: the browser's `Intl` in the widget ([`intl::Intl`]).
pub trait Formats {
    /// `n` with the locale's digit grouping, e.g. `1,234`, `1.234` or `1 234`.
    fn number(&self, n: u64) -> String;
    /// A day as the locale writes its day and month, e.g. `1 Dec`, `Dec 1` or `12月1日`.
    fn day(&self, day: Day) -> String;
    /// A day with its year, e.g. `3 Nov 2026`, `Nov 3, 2026` or `2026年11月3日`.
    fn date(&self, day: Day) -> String;
}

/// The counted texts, each with the smallest number it counts: their plural forms are entries
/// of their own, `<name>_one`, `<name>_few`, `<name>_many`, beside the base entry (`other`, and
/// every category without a form of its own). A locale gives the forms its plural rule reaches
/// from that number on (`tests/browser/locale_files.rs` checks it).
pub const COUNTED: [(&str, u64); 6] = [
    // 0 and 1 have texts of their own (`no_results`, `one_result`).
    ("results", 2),
    ("not_shown", 1),
    ("load_more", 1),
    ("allowance_limit", 1),
    ("allowance_left", 1),
    // Said only of two downloads or more.
    ("licensed_times", 2),
];

macro_rules! strings {
    ($($key:ident),* $(,)?) => {
        /// Every text the picker shows, in one locale, with how that locale counts and writes
        /// numbers. Keys double as override names and as the keys of the locale files.
        #[derive(Clone)]
        pub struct Strings {
            $(
                #[allow(missing_docs)]
                pub $key: Text,
            )*
            locale: Locale,
            format: Rc<dyn Formats>,
        }

        impl Strings {
            /// The name of every entry, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($key),)*];

            /// Replaces the entry named `key`; `false` if there is no such entry. (Found by
            /// its place in [`Self::NAMES`]: a `match` on the names compiles to one string
            /// comparison per entry, several kilobytes of the bundle.)
            pub fn set(&mut self, key: &str, value: String) -> bool {
                let Some(index) = Self::NAMES.iter().position(|name| *name == key) else {
                    return false;
                };
                let slots = [$(&mut self.$key,)*];
                if let Some(slot) = slots.into_iter().nth(index) {
                    *slot = Text::Owned(value);
                }
                true
            }

            /// Every entry with its name, in declaration order.
            pub fn entries(&self) -> Vec<(&'static str, &str)> {
                vec![$((stringify!($key), &*self.$key),)*]
            }
        }
    };
}

strings! {
    search_label, search_button, idle, searching, no_results, one_result,
    results, results_one, results_few, results_many,
    not_shown, not_shown_one, not_shown_few, not_shown_many,
    search_failed, retry, results_label, untitled, no_preview, no_download,
    use_image, download, downloading, downloaded, tab_opened, tab_blocked, open_image, download_again,
    confirm_again, confirm_spend, cancel,
    product_label, load_more, load_more_one, load_more_few, load_more_many,
    loading_more, more_failed, filters_label, family_label, family_all,
    family_creative, family_editorial, sort_order, orientations, number_of_people,
    graphical_styles, any, best_match, most_popular, newest, oldest, random, horizontal, vertical,
    square, panoramic_horizontal, panoramic_vertical, none, one, two, group, photography,
    illustration, vector, fine_art, exclude_nudity, safe_search, remove_filter,
    preview_close, artist, collection, max_size, size_value, error_status,
    error_network, error_malformed, error_unsafe, service_getty, service_token,
    error_search_only,
    allowance_limit, allowance_limit_one, allowance_limit_few, allowance_limit_many,
    allowance_left, allowance_left_one, allowance_left_few, allowance_left_many,
    allowance_resets,
    none_left, none_left_until, no_offer, project_code, choose_code, notes, need_code, need_note,
    usage, release, restrictions, credit, copyright,
    // The host's library, Getty's download history and the search-only role.
    in_library, use_held, confirm_cost, licensed_before,
    licensed_times, licensed_times_one, licensed_times_few, licensed_times_many,
    checking, role_note,
    // The notice that replaces a picker after a crash; an active filter's chip.
    crashed, chip,
    // Delivery tab: what a tab opened blank inside the click (WebKit) shows until Getty answers.
    tab_waiting_title, tab_waiting,
    // The image opened at mount (`data-open-image`).
    opening_image, image_failed,
    // The grid's marks and the details panel.
    licensed_mark, previous_image, next_image, more_like_this, same_series, date,
}

impl fmt::Debug for Strings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Strings")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Strings {
    /// The built-in English texts, counted by `locale`'s plural rule and formatted by `format`
    /// (a locale file's entries then replace them: [`Strings::apply`]).
    pub fn english(locale: Locale, format: Rc<dyn Formats>) -> Self {
        english(locale, format)
    }

    /// The locale these texts are in.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Applies host overrides (or a locale file's entries), returning the names that matched no
    /// entry.
    pub fn apply(&mut self, overrides: impl IntoIterator<Item = (String, String)>) -> Vec<String> {
        overrides
            .into_iter()
            .filter_map(|(key, value)| (!self.set(&key, value)).then_some(key))
            .collect()
    }

    /// The label of a filter value such as `best_match` or `panoramic_vertical`.
    pub fn value_label(&self, value: &str) -> String {
        let label = match value {
            "best_match" => &self.best_match,
            "most_popular" => &self.most_popular,
            "newest" => &self.newest,
            "oldest" => &self.oldest,
            "random" => &self.random,
            "horizontal" => &self.horizontal,
            "vertical" => &self.vertical,
            "square" => &self.square,
            "panoramic_horizontal" => &self.panoramic_horizontal,
            "panoramic_vertical" => &self.panoramic_vertical,
            "none" => &self.none,
            "one" => &self.one,
            "two" => &self.two,
            "group" => &self.group,
            "photography" => &self.photography,
            "illustration" => &self.illustration,
            "vector" => &self.vector,
            "fine_art" => &self.fine_art,
            other => return other.replace('_', " "),
        };
        label.to_string()
    }

    /// `n` as this locale writes numbers, e.g. `3,662` or `3.662`.
    pub fn count(&self, n: u64) -> String {
        self.format.number(n)
    }

    /// `day` as this locale writes a day and month, e.g. `1 Dec` or `1. Dez.`.
    pub fn day(&self, day: Day) -> String {
        self.format.day(day)
    }

    /// The form of a counted text for `n`, given its entries (base, `_one`, `_few`, `_many`): the
    /// form of `n`'s plural category, else the base entry.
    fn plural<'a>(&self, n: u64, [other, one, few, many]: [&'a Text; 4]) -> &'a str {
        let form = match self.locale.plural().category(n) {
            Category::One => one,
            Category::Few => few,
            Category::Many => many,
            Category::Other => other,
        };
        if form.is_empty() {
            other
        } else {
            form
        }
    }

    /// What the status line says of `total` results for `phrase`.
    pub fn results_line(&self, total: u64, phrase: &str) -> String {
        match total {
            0 => fill(&self.no_results, &[("phrase", phrase)]),
            1 => fill(&self.one_result, &[("phrase", phrase)]),
            n => {
                let forms = [
                    &self.results,
                    &self.results_one,
                    &self.results_few,
                    &self.results_many,
                ];
                fill(
                    self.plural(n, forms),
                    &[("count", &self.count(n)), ("phrase", phrase)],
                )
            }
        }
    }

    /// What the status line adds about `n` results that could not be shown.
    pub fn not_shown_line(&self, n: u64) -> String {
        let forms = [
            &self.not_shown,
            &self.not_shown_one,
            &self.not_shown_few,
            &self.not_shown_many,
        ];
        fill(self.plural(n, forms), &[("count", &self.count(n))])
    }

    /// The "load more" button's label, with how many results remain if Getty said.
    pub fn load_more_label(&self, remaining: Option<u64>) -> String {
        let forms = [
            &self.load_more,
            &self.load_more_one,
            &self.load_more_few,
            &self.load_more_many,
        ];
        match remaining {
            Some(n) => fill(self.plural(n, forms), &[("count", &self.count(n))]),
            None => fill(&self.load_more, &[("count", "?")]),
        }
    }

    /// An error as the editor reads it.
    pub fn error(&self, error: &ApiError) -> String {
        let service = |service: Service| match service {
            Service::TokenService => self.service_token.to_string(),
            // Only Getty's and the token service's errors are shown to the editor; the others
            // go to the console in English.
            Service::Getty | Service::HostLibrary | Service::LocaleFile => {
                self.service_getty.to_string()
            }
        };
        match error {
            ApiError::Status {
                status, message, ..
            } => fill(
                &self.error_status,
                &[("message", message), ("status", &status.to_string())],
            ),
            ApiError::Network { service: from, .. } => {
                fill(&self.error_network, &[("service", &service(*from))])
            }
            ApiError::Malformed { service: from, .. } => {
                fill(&self.error_malformed, &[("service", &service(*from))])
            }
            ApiError::UnsafeUrl(_) => self.error_unsafe.to_string(),
            ApiError::SearchOnly => self.error_search_only.to_string(),
        }
    }

    /// A day with its year as this locale writes it, e.g. `3 Nov 2026` or `3. Nov. 2026`.
    pub fn date(&self, day: Day) -> String {
        self.format.date(day)
    }

    /// What the picker says about an image the company licensed before.
    pub fn licensed_before(&self, before: &crate::getty::LicensedBefore) -> String {
        let text = fill(
            &self.licensed_before,
            &[
                ("date", &self.date(before.date)),
                ("product", &before.product),
            ],
        );
        if before.times > 1 {
            let n = before.times as u64;
            let forms = [
                &self.licensed_times,
                &self.licensed_times_one,
                &self.licensed_times_few,
                &self.licensed_times_many,
            ];
            let times = fill(self.plural(n, forms), &[("count", &self.count(n))]);
            format!("{text} {times}")
        } else {
            text
        }
    }

    /// What is left of `product`'s allowance ("12 of 50 left, resets 1 Dec"); none when it
    /// has no limit.
    pub fn allowance(&self, product: &Product) -> Option<String> {
        let remaining = product.downloads_remaining?;
        let left = self.count(remaining);
        let allowance = match product.download_limit {
            Some(limit) => {
                let forms = [
                    &self.allowance_limit,
                    &self.allowance_limit_one,
                    &self.allowance_limit_few,
                    &self.allowance_limit_many,
                ];
                fill(
                    self.plural(remaining, forms),
                    &[("left", &left), ("limit", &self.count(limit))],
                )
            }
            None => {
                let forms = [
                    &self.allowance_left,
                    &self.allowance_left_one,
                    &self.allowance_left_few,
                    &self.allowance_left_many,
                ];
                fill(self.plural(remaining, forms), &[("left", &left)])
            }
        };
        Some(match product.resets_on() {
            Some(day) => fill(
                &self.allowance_resets,
                &[("allowance", &allowance), ("date", &self.day(day))],
            ),
            None => allowance,
        })
    }

    /// Why an offer whose product has no downloads left is not offered.
    pub fn none_left(&self, label: &str, product: &Product) -> String {
        match product.resets_on() {
            Some(day) => fill(
                &self.none_left_until,
                &[("product", label), ("date", &self.day(day))],
            ),
            None => fill(&self.none_left, &[("product", label)]),
        }
    }
}

/// Replaces each `{name}` in `template` with its value, in one pass: a value that contains
/// `{other}` (an API message, a search phrase) stays as it is. Unknown names stay too.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        text.push_str(before);
        let value = after.split_once('}').and_then(|(name, after)| {
            let (_, value) = values.iter().find(|(known, _)| *known == name)?;
            Some((value, after))
        });
        match value {
            Some((value, after)) => {
                text.push_str(value);
                // "until 1 déc." + "." reads "1 déc..": an abbreviation's full stop ends the
                // sentence too.
                rest = match after.strip_prefix('.') {
                    Some(after) if value.ends_with('.') => after,
                    _ => after,
                };
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

/// The names of the `{placeholders}` in `template`, in order, e.g. `["count", "phrase"]`.
pub fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|after| after.split_once('}').map(|(name, _)| name))
        .collect()
}

/// A host's overrides of UI texts, read from a JSON object of strings
/// (`{"download": "Herunterladen"}`), in the object's order; also what a locale file holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overrides(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(OverridesVisitor)
    }
}

struct OverridesVisitor;

impl<'de> Visitor<'de> for OverridesVisitor {
    type Value = Overrides;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of strings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Overrides, A::Error> {
        let mut entries = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            // Not `String` directly: the error should name the entry, not serde's type words.
            let value: Value = map.next_value()?;
            match value {
                Value(Some(text)) => entries.push((name, text)),
                Value(None) => {
                    return Err(de::Error::custom(format!("entry {name} is not a string")))
                }
            }
        }
        Ok(Overrides(entries))
    }
}

/// A string, or `None` for any other JSON value.
struct Value(Option<String>);

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        // Blank text is a valid override (e.g. an empty note), so not `lenient::text`.
        crate::getty::lenient::any_string(de).map(Value)
    }
}

macro_rules! table {
    ($locale:expr, $format:expr, $($key:ident: $text:expr,)*) => {
        Strings { $($key: Text::Borrowed($text),)* locale: $locale, format: $format }
    };
}

/// The built-in texts. A plural form left empty reads as its base entry: English needs none, as
/// its counted texts read the same for every count they are used for.
fn english(locale: Locale, format: Rc<dyn Formats>) -> Strings {
    table! {
        locale, format,
        search_label: "Search Getty Images",
        search_button: "Search",
        idle: "Type a phrase and press Enter to search Getty Images.",
        searching: "Searching for “{phrase}”…",
        no_results: "No results for “{phrase}”.",
        one_result: "1 result for “{phrase}”.",
        results: "{count} results for “{phrase}”.",
        results_one: "",
        results_few: "",
        results_many: "",
        not_shown: "{count} could not be shown.",
        not_shown_one: "",
        not_shown_few: "",
        not_shown_many: "",
        search_failed: "Search failed: {message}",
        retry: "Try again",
        results_label: "Search results",
        untitled: "Untitled image",
        no_preview: "No preview",
        no_download: "No download on offer",
        use_image: "Use this image",
        download: "Download",
        downloading: "Downloading…",
        downloaded: "Downloaded",
        tab_opened: "Handed to your browser in a new tab, to show or save.",
        tab_blocked: "The browser blocked the new tab.",
        open_image: "Open the image",
        download_again: "Download again…",
        confirm_again: "This uses one more download of your Getty Images allowance.",
        confirm_spend: "Use one more download",
        cancel: "Cancel",
        product_label: "Product",
        load_more: "Load more ({count} remaining)",
        load_more_one: "",
        load_more_few: "",
        load_more_many: "",
        loading_more: "Loading more…",
        more_failed: "Could not load more: {message}",
        filters_label: "Filters",
        family_label: "Collection",
        family_all: "Creative and editorial",
        family_creative: "Creative",
        family_editorial: "Editorial",
        sort_order: "Sort",
        orientations: "Orientation",
        number_of_people: "People",
        graphical_styles: "Style",
        any: "Any",
        best_match: "Best match",
        most_popular: "Most popular",
        newest: "Newest",
        oldest: "Oldest",
        random: "Random",
        horizontal: "Horizontal",
        vertical: "Vertical",
        square: "Square",
        panoramic_horizontal: "Panoramic horizontal",
        panoramic_vertical: "Panoramic vertical",
        none: "No people",
        one: "One person",
        two: "Two people",
        group: "Group",
        photography: "Photography",
        illustration: "Illustration",
        vector: "Vector",
        fine_art: "Fine art",
        exclude_nudity: "Exclude nudity",
        safe_search: "Safe search",
        remove_filter: "Remove filter {filter}",
        preview_close: "Close",
        artist: "Artist",
        collection: "Collection",
        max_size: "Largest size",
        size_value: "{width} × {height} px",
        error_status: "{message} (HTTP {status})",
        error_network: "could not reach {service}",
        error_malformed: "{service} sent an answer the picker cannot read",
        error_unsafe: "refused to use an unsafe link",
        service_getty: "Getty Images",
        service_token: "the token service",
        error_search_only: "Downloads are not set up: the token service has no Getty user. Whoever runs it must set GETTY_USERNAME and GETTY_PASSWORD.",
        allowance_limit: "{left} of {limit} left",
        allowance_limit_one: "",
        allowance_limit_few: "",
        allowance_limit_many: "",
        allowance_left: "{left} left",
        allowance_left_one: "",
        allowance_left_few: "",
        allowance_left_many: "",
        allowance_resets: "{allowance}, resets {date}",
        none_left: "{product}: no downloads left.",
        none_left_until: "{product}: no downloads left until {date}.",
        no_offer: "None of your products has downloads left for this image.",
        project_code: "Project code",
        choose_code: "Choose…",
        notes: "Note for Getty Images",
        need_code: "Choose a project code first.",
        need_note: "Write a note first.",
        usage: "Use",
        release: "Release",
        restrictions: "Restrictions",
        credit: "Credit",
        copyright: "Copyright",
        in_library: "In your library",
        use_held: "Use it",
        confirm_cost: "This uses one more download of {product}.",
        licensed_before: "Your company licensed this image on {date} under {product}. Download again?",
        licensed_times: "({count} downloads in all)",
        licensed_times_one: "",
        licensed_times_few: "",
        licensed_times_many: "",
        checking: "Checking…",
        role_note: "You can choose images; an editor who may license Getty images licenses them.",
        crashed: "The image picker stopped working. Reload the page to use it again.",
        chip: "{filter}: {value}",
        tab_waiting_title: "Downloading from Getty Images…",
        tab_waiting: "Getty Images is delivering the file; your browser saves it. This tab closes by itself.",
        opening_image: "Opening image {id}…",
        image_failed: "Image {id} could not be opened: {message}",
        licensed_mark: "Licensed before",
        previous_image: "Previous image",
        next_image: "Next image",
        more_like_this: "More like this",
        same_series: "Same series",
        date: "Date",
    }
}

/// Texts for native tests: English, or a locale file of `locales/` applied over it, with plain
/// stand-ins for `Intl` (grouping with `,`; `1 Dec`). The browser tests check the real `Intl`.
#[cfg(test)]
pub(crate) fn test_strings(tag: &str) -> Strings {
    struct Plain;
    impl Formats for Plain {
        fn number(&self, n: u64) -> String {
            crate::format::count(n)
        }
        fn day(&self, day: Day) -> String {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!("{} {}", day.day, MONTHS[day.month as usize - 1])
        }
        fn date(&self, day: Day) -> String {
            format!("{} {}", self.day(day), day.year)
        }
    }
    let locale = Locale::find(tag).expect("a shipped locale");
    let mut strings = Strings::english(locale, Rc::new(Plain));
    if locale.file().is_some() {
        let path = format!("{}/locales/{tag}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("a locale file");
        let Overrides(entries) = serde_json::from_str(&text).expect("an object of strings");
        assert_eq!(strings.apply(entries), Vec::<String>::new(), "{path}");
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(remaining: Option<u64>, limit: Option<u64>, reset: Option<&str>) -> Product {
        let mut product: Product =
            serde_json::from_str(r#"{"id":1,"type":"x"}"#).expect("a product");
        product.downloads_remaining = remaining;
        product.download_limit = limit;
        product.download_limit_reset_utc_date = reset.map(str::to_owned);
        product
    }

    #[test]
    fn overrides_must_be_an_object_of_strings() {
        let parse = |text: &str| serde_json::from_str::<Overrides>(text).map_err(|e| e.to_string());
        assert_eq!(
            parse(r#"{"download":"Holen","retry":"Nochmal","tab_opened":""}"#),
            Ok(Overrides(vec![
                ("download".into(), "Holen".into()),
                ("retry".into(), "Nochmal".into()),
                ("tab_opened".into(), "".into()),
            ]))
        );
        let list = parse(r#"["download"]"#).expect_err("a list is refused");
        assert!(list.contains("expected an object of strings"), "{list}");
        let number = parse(r#"{"download":7}"#).expect_err("a number is refused");
        assert!(
            number.starts_with("entry download is not a string"),
            "{number}"
        );
    }

    #[test]
    fn overrides_apply_and_unknown_names_are_reported() {
        let mut strings = test_strings("en");
        let unknown = strings.apply([
            ("download".to_owned(), "Use".to_owned()),
            ("nope".to_owned(), "x".to_owned()),
        ]);
        assert_eq!(strings.download, "Use");
        assert_eq!(unknown, ["nope"]);
        assert_eq!(Strings::NAMES.len(), strings.entries().len());
        assert_eq!(Strings::NAMES.last(), Some(&"date"));
    }

    #[test]
    fn templates_counts_and_errors() {
        let de = test_strings("de");
        assert_eq!(
            fill(&de.results, &[("count", "1.234"), ("phrase", "Katzen")]),
            "1.234 Treffer für „Katzen“."
        );
        let en = test_strings("en");
        let status = ApiError::Status {
            status: 403,
            code: None,
            message: "Nope".into(),
        };
        assert_eq!(en.error(&status), "Nope (HTTP 403)");
        let network = ApiError::Network {
            service: Service::TokenService,
            detail: "x".into(),
        };
        assert_eq!(en.error(&network), "could not reach the token service");
        assert_eq!(de.error(&network), "Token-Dienst nicht erreichbar");
        assert_eq!(en.value_label("panoramic_vertical"), "Panoramic vertical");
        assert_eq!(en.value_label("brand_new"), "brand new");
        assert_eq!(placeholders("{a} of {b} {"), ["a", "b"]);
    }

    #[test]
    fn errors_name_their_service_in_the_editors_language() {
        let (en, de) = (test_strings("en"), test_strings("de"));
        let malformed = |service| ApiError::Malformed {
            service,
            detail: "not JSON".into(),
        };
        assert_eq!(
            en.error(&malformed(Service::Getty)),
            "Getty Images sent an answer the picker cannot read"
        );
        assert_eq!(
            de.error(&malformed(Service::TokenService)),
            "Token-Dienst hat eine unlesbare Antwort geschickt"
        );
        let network = ApiError::Network {
            service: Service::Getty,
            detail: "x".into(),
        };
        assert_eq!(de.error(&network), "Getty Images nicht erreichbar");
    }

    #[test]
    fn counted_texts_take_the_form_of_their_plural_category() {
        let en = test_strings("en");
        assert_eq!(en.results_line(0, "cats"), "No results for “cats”.");
        assert_eq!(en.results_line(1, "cats"), "1 result for “cats”.");
        assert_eq!(en.results_line(3662, "cats"), "3,662 results for “cats”.");
        assert_eq!(en.not_shown_line(1), "1 could not be shown.");
        assert_eq!(en.load_more_label(None), "Load more (? remaining)");
        let de = test_strings("de");
        assert_eq!(de.not_shown_line(1), "1 konnte nicht angezeigt werden.");
        assert_eq!(de.not_shown_line(2), "2 konnten nicht angezeigt werden.");
        let ru = test_strings("ru");
        let line = |n| ru.results_line(n, "кошки");
        assert_eq!(line(21), "По запросу «кошки» найден 21 результат.");
        assert_eq!(line(22), "По запросу «кошки» найдено 22 результата.");
        assert_eq!(line(25), "По запросу «кошки» найдено 25 результатов.");
        assert_eq!(line(111), "По запросу «кошки» найдено 111 результатов.");
        let pl = test_strings("pl");
        assert_eq!(pl.load_more_label(Some(1)), "Wczytaj więcej (pozostał 1)");
        assert_eq!(pl.load_more_label(Some(3)), "Wczytaj więcej (pozostały 3)");
        assert_eq!(
            pl.load_more_label(Some(12)),
            "Wczytaj więcej (pozostało 12)"
        );
        assert_eq!(
            pl.load_more_label(Some(22)),
            "Wczytaj więcej (pozostały 22)"
        );
        let fr = test_strings("fr");
        assert_eq!(
            fr.results_line(2_000_000, "chats"),
            "2,000,000 de résultats pour «\u{a0}chats\u{a0}»."
        );
        assert_eq!(fr.load_more_label(Some(1)), "Afficher plus (1 restant)");
        // A host's empty form reads as the base entry.
        let mut de = test_strings("de");
        de.apply([("not_shown_one".to_owned(), String::new())]);
        assert_eq!(de.not_shown_line(1), "1 konnten nicht angezeigt werden.");
    }

    #[test]
    fn allowances_and_dates() {
        let en = test_strings("en");
        let monthly = product(Some(12), Some(50), Some("2026-12-01T00:00:00Z"));
        assert_eq!(
            en.allowance(&monthly).as_deref(),
            Some("12 of 50 left, resets 1 Dec")
        );
        assert_eq!(
            en.allowance(&product(Some(1200), None, None)).as_deref(),
            Some("1,200 left")
        );
        assert_eq!(
            en.allowance(&product(None, Some(50), None)),
            None,
            "no limit"
        );
        let spent = product(Some(0), Some(10), Some("2027-01-31"));
        assert_eq!(
            en.none_left("Pack", &spent),
            "Pack: no downloads left until 31 Jan."
        );
        assert_eq!(
            en.none_left("Pack", &product(Some(0), None, None)),
            "Pack: no downloads left."
        );
        let de = test_strings("de");
        assert_eq!(
            de.allowance(&monthly).as_deref(),
            Some("noch 12 von 50, ab 1 Dec wieder voll")
        );
        let fr = test_strings("fr");
        let last = product(Some(1), Some(50), None);
        assert_eq!(fr.allowance(&last).as_deref(), Some("1 restant sur 50"));
        assert_eq!(
            fr.allowance(&monthly).as_deref(),
            Some("12 restants sur 50, réinitialisé le 1 Dec")
        );
    }

    #[test]
    fn licensed_before_says_when_and_under_which_product() {
        let before = crate::getty::LicensedBefore {
            date: Day {
                year: 2026,
                month: 11,
                day: 3,
            },
            product: "Editorial Subscription · Newsroom 2026".into(),
            times: 1,
        };
        // The plain stand-in for `Intl` writes "3 Nov 2026" in every language.
        assert_eq!(
            test_strings("en").licensed_before(&before),
            "Your company licensed this image on 3 Nov 2026 under Editorial Subscription · \
             Newsroom 2026. Download again?"
        );
        let twice = crate::getty::LicensedBefore { times: 2, ..before };
        assert_eq!(
            test_strings("de").licensed_before(&twice),
            "Ihr Unternehmen hat dieses Bild am 3 Nov 2026 mit Editorial Subscription · \
             Newsroom 2026 lizenziert. Nochmals herunterladen? (insgesamt 2 Downloads)"
        );
    }

    #[test]
    fn fill_substitutes_once_and_keeps_what_it_does_not_know() {
        assert_eq!(
            fill("{a} and {b}", &[("a", "{b}"), ("b", "B")]),
            "{b} and B"
        );
        assert_eq!(fill("{x} {", &[("a", "A")]), "{x} {");
        assert_eq!(fill("no names", &[("a", "A")]), "no names");
        assert_eq!(fill("{a}{a}", &[("a", "é")]), "éé");
        assert_eq!(fill("until {date}.", &[("date", "1 déc.")]), "until 1 déc.");
        assert_eq!(fill("until {date}.", &[("date", "1 mai")]), "until 1 mai.");
    }
}
