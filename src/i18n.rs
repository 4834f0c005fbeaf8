//! Every text the picker shows, in one table per locale; hosts may override any entry.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::getty::{ApiError, Product};

/// One text: built in (borrowed, so the tables cost no code to build) or a host's override.
pub type Text = std::borrow::Cow<'static, str>;

macro_rules! strings {
    ($($key:ident),* $(,)?) => {
        /// Every text the picker shows, in one locale. Keys double as override names.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Strings {
            $(
                #[allow(missing_docs)]
                pub $key: Text,
            )*
        }

        impl Strings {
            /// Replaces the entry named `key`; `false` if there is no such entry.
            pub fn set(&mut self, key: &str, value: String) -> bool {
                match key {
                    $(stringify!($key) => self.$key = Text::Owned(value),)*
                    _ => return false,
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
    thousands_separator, search_label, search_button, idle, searching, no_results, one_result,
    results, not_shown, search_failed, retry, results_label, untitled, no_preview, no_download,
    use_image, download, downloading, downloaded, tab_opened, tab_blocked, open_image, download_again,
    confirm_again, confirm_spend, cancel,
    product_label, load_more, loading_more, more_failed, filters_label, family_label, family_all,
    family_creative, family_editorial, sort_order, orientations, number_of_people,
    graphical_styles, any, best_match, most_popular, newest, oldest, random, horizontal, vertical,
    square, panoramic_horizontal, panoramic_vertical, none, one, two, group, photography,
    illustration, vector, fine_art, exclude_nudity, safe_search, remove_filter, preview_label,
    preview_close, caption, artist, collection, max_size, size_value, error_status,
    error_network, error_malformed, error_unsafe, service_getty, service_token,
    error_search_only, months, date, allowance_limit, allowance_left, allowance_resets,
    none_left, none_left_until, no_offer, project_code, choose_code, notes, need_code, need_note,
    usage, release, restrictions, credit, copyright,
    // Delivery tab: what a tab opened blank inside the click (WebKit) shows until Getty answers.
    tab_waiting_title, tab_waiting,
}

/// Locales with a complete table.
pub const LOCALES: [&str; 2] = ["en", "de"];

impl Strings {
    /// The table for `locale` (a BCP 47 tag such as `de-AT`); English when there is none.
    pub fn for_locale(locale: Option<&str>) -> Self {
        let language = locale
            .and_then(|tag| tag.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        match language.as_deref() {
            Some("de") => german(),
            _ => english(),
        }
    }

    /// Applies host overrides, returning the names that matched no entry.
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

    /// `n` with this locale's thousands separator.
    pub fn count(&self, n: u64) -> String {
        crate::format::count(n).replace(',', &self.thousands_separator)
    }

    /// An error as the editor reads it.
    pub fn error(&self, error: &ApiError) -> String {
        let service = |name: &str| {
            if name == crate::http::TOKEN_SERVICE {
                self.service_token.to_string()
            } else {
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
            ApiError::Network { service: name, .. } => {
                fill(&self.error_network, &[("service", &service(name))])
            }
            ApiError::Malformed { service: name, .. } => {
                fill(&self.error_malformed, &[("service", &service(name))])
            }
            ApiError::UnsafeUrl(_) => self.error_unsafe.to_string(),
            ApiError::SearchOnly => self.error_search_only.to_string(),
        }
    }

    /// A day of a month (1-based) as this locale writes it, e.g. "1 Dec".
    pub fn date(&self, day: u32, month: usize) -> String {
        let name = self
            .months
            .split_whitespace()
            .nth(month.saturating_sub(1))
            .map_or_else(|| month.to_string(), str::to_owned);
        fill(&self.date, &[("day", &day.to_string()), ("month", &name)])
    }

    /// What is left of `product`'s allowance ("12 of 50 left, resets 1 Dec"); none when it
    /// has no limit.
    pub fn allowance(&self, product: &Product) -> Option<String> {
        let left = self.count(product.downloads_remaining?);
        let allowance = match product.download_limit {
            Some(limit) => fill(
                &self.allowance_limit,
                &[("left", &left), ("limit", &self.count(limit))],
            ),
            None => fill(&self.allowance_left, &[("left", &left)]),
        };
        Some(match product.resets_on() {
            Some((day, month)) => fill(
                &self.allowance_resets,
                &[("allowance", &allowance), ("date", &self.date(day, month))],
            ),
            None => allowance,
        })
    }

    /// Why an offer whose product has no downloads left is not offered.
    pub fn none_left(&self, label: &str, product: &Product) -> String {
        match product.resets_on() {
            Some((day, month)) => fill(
                &self.none_left_until,
                &[("product", label), ("date", &self.date(day, month))],
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
                rest = after;
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

/// A host's overrides of UI texts, read from a JSON object of strings
/// (`{"download": "Herunterladen"}`), in the object's order.
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
    ($($key:ident: $text:expr,)*) => {
        Strings { $($key: Text::Borrowed($text),)* }
    };
}

fn english() -> Strings {
    table! {
        thousands_separator: ",",
        search_label: "Search Getty Images",
        search_button: "Search",
        idle: "Type a phrase and press Enter to search Getty Images.",
        searching: "Searching for “{phrase}”…",
        no_results: "No results for “{phrase}”.",
        one_result: "1 result for “{phrase}”.",
        results: "{count} results for “{phrase}”.",
        not_shown: "{count} could not be shown.",
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
        preview_label: "Image details",
        preview_close: "Close",
        caption: "Caption",
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
        months: "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        date: "{day} {month}",
        allowance_limit: "{left} of {limit} left",
        allowance_left: "{left} left",
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
        tab_waiting_title: "Downloading from Getty Images…",
        tab_waiting: "Getty Images is delivering the file; your browser saves it. This tab closes by itself.",
    }
}

fn german() -> Strings {
    table! {
        thousands_separator: ".",
        search_label: "Getty Images durchsuchen",
        search_button: "Suchen",
        idle: "Suchbegriff eingeben und mit Enter bei Getty Images suchen.",
        searching: "Suche nach „{phrase}“ …",
        no_results: "Keine Treffer für „{phrase}“.",
        one_result: "1 Treffer für „{phrase}“.",
        results: "{count} Treffer für „{phrase}“.",
        not_shown: "{count} konnten nicht angezeigt werden.",
        search_failed: "Suche fehlgeschlagen: {message}",
        retry: "Erneut versuchen",
        results_label: "Suchergebnisse",
        untitled: "Bild ohne Titel",
        no_preview: "Keine Vorschau",
        no_download: "Kein Download verfügbar",
        use_image: "Dieses Bild verwenden",
        download: "Herunterladen",
        downloading: "Wird geladen …",
        downloaded: "Heruntergeladen",
        tab_opened: "In einem neuen Tab an den Browser übergeben, zum Anzeigen oder Speichern.",
        tab_blocked: "Der Browser hat den neuen Tab blockiert.",
        open_image: "Bild öffnen",
        download_again: "Nochmals herunterladen…",
        confirm_again: "Das verbraucht einen weiteren Download Ihres Getty-Images-Kontingents.",
        confirm_spend: "Einen weiteren Download verwenden",
        cancel: "Abbrechen",
        product_label: "Produkt",
        load_more: "Mehr laden (noch {count})",
        loading_more: "Weitere werden geladen …",
        more_failed: "Weitere konnten nicht geladen werden: {message}",
        filters_label: "Filter",
        family_label: "Sammlung",
        family_all: "Kreativ und redaktionell",
        family_creative: "Kreativ",
        family_editorial: "Redaktionell",
        sort_order: "Sortierung",
        orientations: "Ausrichtung",
        number_of_people: "Personen",
        graphical_styles: "Stil",
        any: "Alle",
        best_match: "Beste Übereinstimmung",
        most_popular: "Beliebteste",
        newest: "Neueste",
        oldest: "Älteste",
        random: "Zufällig",
        horizontal: "Querformat",
        vertical: "Hochformat",
        square: "Quadratisch",
        panoramic_horizontal: "Panorama quer",
        panoramic_vertical: "Panorama hoch",
        none: "Keine Personen",
        one: "Eine Person",
        two: "Zwei Personen",
        group: "Gruppe",
        photography: "Fotografie",
        illustration: "Illustration",
        vector: "Vektorgrafik",
        fine_art: "Bildende Kunst",
        exclude_nudity: "Nacktheit ausschließen",
        safe_search: "Sichere Suche",
        remove_filter: "Filter {filter} entfernen",
        preview_label: "Bilddetails",
        preview_close: "Schließen",
        caption: "Bildunterschrift",
        artist: "Fotograf",
        collection: "Kollektion",
        max_size: "Größte Auflösung",
        size_value: "{width} × {height} px",
        error_status: "{message} (HTTP {status})",
        error_network: "{service} nicht erreichbar",
        error_malformed: "{service} hat eine unlesbare Antwort geschickt",
        error_unsafe: "unsicherer Link abgelehnt",
        error_search_only: "Downloads sind nicht eingerichtet: Der Token-Dienst hat keinen Getty-Benutzer. Wer ihn betreibt, muss GETTY_USERNAME und GETTY_PASSWORD setzen.",
        months: "Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez.",
        date: "{day}. {month}",
        allowance_limit: "noch {left} von {limit}",
        allowance_left: "noch {left}",
        allowance_resets: "{allowance}, ab {date} wieder voll",
        none_left: "{product}: keine Downloads mehr.",
        none_left_until: "{product}: keine Downloads mehr bis {date}.",
        no_offer: "Keines Ihrer Produkte hat für dieses Bild noch Downloads.",
        project_code: "Projektcode",
        choose_code: "Auswählen …",
        notes: "Notiz für Getty Images",
        need_code: "Bitte zuerst einen Projektcode wählen.",
        need_note: "Bitte zuerst eine Notiz schreiben.",
        usage: "Nutzung",
        release: "Freigabe",
        restrictions: "Einschränkungen",
        credit: "Bildnachweis",
        copyright: "Copyright",
        service_getty: "Getty Images",
        service_token: "Token-Dienst",
        tab_waiting_title: "Download von Getty Images …",
        tab_waiting: "Getty Images liefert die Datei; Ihr Browser speichert sie. Dieser Tab schließt sich von selbst.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_and_fallback() {
        assert_eq!(Strings::for_locale(None).download, "Download");
        assert_eq!(Strings::for_locale(Some("de-AT")).download, "Herunterladen");
        assert_eq!(Strings::for_locale(Some("xx")).download, "Download");
    }

    #[test]
    fn german_is_complete() {
        // Entries that are the same words in both languages.
        let same = [
            "illustration",
            "size_value",
            "error_status",
            "service_getty",
            "copyright",
        ];
        for ((key, en), (_, de)) in english().entries().into_iter().zip(german().entries()) {
            assert!(!de.trim().is_empty(), "{key} is empty");
            assert!(en != de || same.contains(&key), "{key} is not translated");
        }
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
        let mut strings = Strings::for_locale(Some("en"));
        let unknown = strings.apply([
            ("download".to_owned(), "Use".to_owned()),
            ("nope".to_owned(), "x".to_owned()),
        ]);
        assert_eq!(strings.download, "Use");
        assert_eq!(unknown, ["nope"]);
    }

    #[test]
    fn templates_counts_and_errors() {
        let de = Strings::for_locale(Some("de"));
        assert_eq!(de.count(3_662), "3.662");
        assert_eq!(
            fill(
                &de.results,
                &[("count", &de.count(1234)), ("phrase", "Katzen")]
            ),
            "1.234 Treffer für „Katzen“."
        );
        let en = Strings::for_locale(None);
        let status = ApiError::Status {
            status: 403,
            code: None,
            message: "Nope".into(),
        };
        assert_eq!(en.error(&status), "Nope (HTTP 403)");
        let network = ApiError::Network {
            service: crate::http::TOKEN_SERVICE,
            detail: "x".into(),
        };
        assert_eq!(en.error(&network), "could not reach the token service");
        assert_eq!(de.error(&network), "Token-Dienst nicht erreichbar");
        assert_eq!(en.value_label("panoramic_vertical"), "Panoramic vertical");
        assert_eq!(en.value_label("brand_new"), "brand new");
    }

    #[test]
    fn allowances_and_dates() {
        let en = Strings::for_locale(None);
        let product = |remaining, limit, reset: Option<&str>| {
            let mut product: Product =
                serde_json::from_str(r#"{"id":1,"type":"x"}"#).expect("a product");
            product.downloads_remaining = remaining;
            product.download_limit = limit;
            product.download_limit_reset_utc_date = reset.map(str::to_owned);
            product
        };
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
        let de = Strings::for_locale(Some("de"));
        assert_eq!(
            de.allowance(&monthly).as_deref(),
            Some("noch 12 von 50, ab 1. Dez. wieder voll")
        );
        assert_eq!(de.date(3, 6), "3. Juni");
        assert_eq!(en.date(3, 13), "3 13", "an odd month stays a number");
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
    }
}
