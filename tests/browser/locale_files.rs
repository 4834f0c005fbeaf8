//! The locale files (`locales/<tag>.json`) against the built-in English texts, natively: every
//! text there, in every plural form the language needs and no other, with the same
//! placeholders, and translated. A locale that lacks a text fails here, before any browser.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use getty_picker::getty::Day;
use getty_picker::i18n::COUNTED;
use getty_picker::i18n::{placeholders, Category, Formats, Locale, Overrides, Rule, Strings};

/// Entries that may read as in English, per locale: names, codes and words the language shares.
const SAME_AS_ENGLISH: [(&str, &[&str]); 8] = [
    (
        "*",
        &["service_getty", "error_status", "size_value", "chip"],
    ),
    ("de", &["illustration", "copyright"]),
    (
        "fr",
        &[
            "orientations",
            "graphical_styles",
            "illustration",
            "collection",
            "restrictions",
            "copyright",
            "date",
        ],
    ),
    ("es", &["horizontal", "vertical", "copyright"]),
    ("it", &["family_creative", "copyright"]),
    ("nl", &["product_label", "filters_label", "copyright"]),
    ("sv", &["illustration"]),
    ("pt", &["horizontal", "vertical"]),
];

/// Numbers and days are the browser's business; these tests only read texts.
struct NoFormats;

impl Formats for NoFormats {
    fn number(&self, n: u64) -> String {
        n.to_string()
    }
    fn day(&self, day: Day) -> String {
        format!("{}-{}", day.month, day.day)
    }
    fn date(&self, day: Day) -> String {
        format!("{}-{}-{}", day.year, day.month, day.day)
    }
}

fn english() -> BTreeMap<&'static str, String> {
    Strings::english(Locale::ENGLISH, Rc::new(NoFormats))
        .entries()
        .into_iter()
        .map(|(name, text)| (name, text.to_owned()))
        .collect()
}

/// `<text>_<category>` → (`<text>`, its smallest count, the category).
fn plural_form(name: &str) -> Option<(&'static str, u64, Category)> {
    COUNTED.into_iter().find_map(|(base, from)| {
        Category::ALL.into_iter().find_map(|category| {
            let suffix = category.suffix()?;
            (name.strip_prefix(base)? == suffix).then_some((base, from, category))
        })
    })
}

/// Every locale file: its tag and its entries, in the file's order.
fn locale_files() -> Vec<(String, Vec<(String, String)>)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .expect("locales/ is readable")
        .map(|entry| entry.expect("a locales/ entry").path())
        .map(|path| {
            let tag = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("a file named by its tag")
                .to_owned();
            assert_eq!(
                path.extension().and_then(|ext| ext.to_str()),
                Some("json"),
                "{}: only locale files in locales/",
                path.display()
            );
            let text = std::fs::read_to_string(&path).expect("a readable locale file");
            let Overrides(entries) = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{tag}.json is an object of strings: {error}"));
            (tag, entries)
        })
        .collect();
    files.sort();
    files
}

/// What is wrong with the locale file of `tag`, given its `entries`, against `english`.
fn problems(
    tag: &str,
    entries: &[(String, String)],
    english: &BTreeMap<&'static str, String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if Locale::find(tag).is_none() {
        problems.push(format!("{tag} is no locale of the picker"));
    }
    let rule = Rule::for_tag(tag);
    let mut texts = BTreeMap::new();
    for (name, text) in entries {
        if texts.insert(name.as_str(), text.as_str()).is_some() {
            problems.push(format!("{tag}: {name} twice"));
        }
        if !english.contains_key(name.as_str()) {
            problems.push(format!("{tag}: {name} is no text of the picker"));
        }
    }
    for name in Strings::NAMES {
        let given = texts.get(name).filter(|text| !text.trim().is_empty());
        match plural_form(name) {
            Some((base, from, category)) => {
                let needed = rule.categories_from(from).contains(&category);
                match (needed, given.is_some()) {
                    (true, false) => problems.push(format!(
                        "{tag}: lacks {name} ({base} counting {category:?} numbers from {from})"
                    )),
                    (false, true) => problems.push(format!(
                        "{tag}: has {name}, a form its language never uses from {from} on"
                    )),
                    _ => {}
                }
            }
            None if given.is_none() => problems.push(format!("{tag}: lacks {name}")),
            None => {}
        }
    }
    let language = tag.split('-').next().unwrap_or_default();
    for (name, text) in &texts {
        let base = plural_form(name).map_or(*name, |(base, _, _)| base);
        let Some(reference) = english.get(base) else {
            continue;
        };
        let mut wanted = placeholders(reference);
        let mut found = placeholders(text);
        wanted.sort_unstable();
        found.sort_unstable();
        if wanted != found {
            problems.push(format!(
                "{tag}: {name} has the placeholders {found:?}, English {wanted:?}"
            ));
        }
        if text.matches('{').count() != text.matches('}').count() {
            problems.push(format!("{tag}: {name} has unbalanced braces"));
        }
        if text.contains("...") {
            problems.push(format!("{tag}: {name} writes ... rather than …"));
        }
        let may_match = SAME_AS_ENGLISH
            .iter()
            .filter(|(which, _)| *which == "*" || *which == tag || *which == language)
            .any(|(_, names)| names.contains(name));
        if text == reference && !may_match {
            problems.push(format!("{tag}: {name} is not translated ({text:?})"));
        }
    }
    problems
}

#[test]
fn every_locale_has_every_text_and_the_plural_forms_its_language_needs() {
    let english = english();
    let files = locale_files();
    let tags: Vec<&str> = files.iter().map(|(tag, _)| tag.as_str()).collect();
    assert_eq!(
        tags,
        [
            "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt-BR", "pt-PT", "ru", "sv", "tr",
            "zh-HK"
        ]
    );
    let problems: Vec<String> = files
        .iter()
        .flat_map(|(tag, entries)| problems(tag, entries, &english))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn english_needs_no_plural_forms_and_lacks_no_text() {
    for (name, text) in english() {
        match plural_form(name) {
            // "1 could not be shown", "1 of 50 left": English reads the same for every count
            // (0 and 1 results have texts of their own).
            Some(_) => assert_eq!(text, "", "{name}"),
            None => assert!(!text.trim().is_empty(), "{name} is empty"),
        }
    }
    for (base, _) in COUNTED {
        assert!(Strings::NAMES.contains(&base), "{base}");
        for suffix in ["_one", "_few", "_many"] {
            let form = format!("{base}{suffix}");
            assert!(Strings::NAMES.contains(&form.as_str()), "{form}");
        }
    }
}

#[test]
fn a_lacking_text_a_missing_form_or_a_stray_placeholder_fails() {
    // The check above, on broken copies of a real file: it must be able to fail.
    let english = english();
    let (_, entries) = locale_files()
        .into_iter()
        .find(|(tag, _)| tag == "ru")
        .expect("ru.json");
    assert_eq!(problems("ru", &entries, &english), Vec::<String>::new());
    let broken: Vec<(String, String)> = entries
        .iter()
        .filter(|(name, _)| name != "results_few" && name != "retry")
        .map(|(name, text)| match name.as_str() {
            "load_more" => (name.clone(), text.replace("{count}", "{amount}")),
            "cancel" => (name.clone(), "Cancel".to_owned()),
            _ => (name.clone(), text.clone()),
        })
        .chain([("results_two".to_owned(), "{count}".to_owned())])
        .collect();
    assert_eq!(
        problems("ru", &broken, &english),
        [
            "ru: results_two is no text of the picker",
            "ru: lacks results_few (results counting Few numbers from 2)",
            "ru: lacks retry",
            "ru: cancel is not translated (\"Cancel\")",
            "ru: load_more has the placeholders [\"amount\"], English [\"count\"]",
        ]
    );
    // Japanese has no plural forms: a `_one` form is a mistake.
    let (_, mut japanese) = locale_files()
        .into_iter()
        .find(|(tag, _)| tag == "ja")
        .expect("ja.json");
    japanese.push(("not_shown_one".to_owned(), "{count} 件".to_owned()));
    assert_eq!(
        problems("ja", &japanese, &english),
        ["ja: has not_shown_one, a form its language never uses from 1 on"]
    );
}

/// What one locale file may cost its user, gzip -9: a regression guard (each is 1.6 to 2.2 KB).
const FILE_BUDGET: usize = 3_000;

#[test]
fn each_locale_file_costs_its_user_under_3_kb_gzipped() {
    use std::io::Write;
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for (tag, _) in locale_files() {
        let bytes = std::fs::read(folder.join(format!("{tag}.json"))).expect("a locale file");
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes).expect("gzip into memory");
        let size = gzip.finish().expect("gzip into memory").len();
        println!("{tag:6} {:6} B raw {size:6} B gzip -9", bytes.len());
        assert!(
            size <= FILE_BUDGET,
            "{tag}.json: {size} B gzipped, over {FILE_BUDGET} B"
        );
    }
}
