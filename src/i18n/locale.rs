//! The languages the picker speaks, and which one a picker uses: the host's `data-locale`,
//! else the first of the browser's preferred languages it speaks, else English.

use super::plural::Rule;
use crate::getty::language::accept_language;

// `FILES`: every locale file, `(tag, content-hashed file name)`, from `locales/` (build.rs).
include!(concat!(env!("OUT_DIR"), "/locale_files.rs"));

/// The English locales: built into the wasm (their texts are the same; their numbers and dates
/// differ, through the browser's `Intl`).
const BUILT_IN: [&str; 3] = ["en", "en-GB", "en-US"];

/// A language the picker speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    tag: &'static str,
    file: Option<&'static str>,
}

impl Locale {
    /// English, the built-in default.
    pub const ENGLISH: Self = Self {
        tag: "en",
        file: None,
    };

    /// Every locale: the built-in English ones, then one per file.
    pub fn all() -> impl Iterator<Item = Self> {
        let built_in = BUILT_IN.into_iter().map(|tag| Self { tag, file: None });
        let files = FILES.into_iter().map(|(tag, file)| Self {
            tag,
            file: Some(file),
        });
        built_in.chain(files)
    }

    /// The locale whose tag is `tag` (ignoring case), if the picker speaks it.
    pub fn find(tag: &str) -> Option<Self> {
        Self::all().find(|locale| locale.tag.eq_ignore_ascii_case(tag))
    }

    /// Its BCP 47 tag, e.g. `pt-BR`: the `lang` of the picker and the locale of `Intl`.
    pub fn tag(&self) -> &'static str {
        self.tag
    }

    /// The name of its file in the release folder's `locales/`, e.g. `fr-0123456789abcdef.json`;
    /// none for the built-in English.
    pub fn file(&self) -> Option<&'static str> {
        self.file
    }

    /// Its plural rule.
    pub fn plural(&self) -> Rule {
        Rule::for_tag(self.tag)
    }

    /// The locale the picker uses for a language tag: the locale of that tag, else of its
    /// language with the region folded as CLDR does (`de-AT` → `de`, `pt` and `pt-BR` → `pt-BR`,
    /// other Portuguese → `pt-PT`, `en-US` → `en-US`, other English with a region → `en-GB`,
    /// Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-MO`, `zh-HK`) → `zh-HK`); none when the
    /// picker does not speak the language (Simplified Chinese included).
    pub fn for_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim().replace('_', "-");
        if let Some(exact) = Self::find(&tag) {
            return Some(exact);
        }
        let lower = tag.to_ascii_lowercase();
        let mut subtags = lower.split('-');
        let language = subtags.next()?;
        let rest: Vec<&str> = subtags.collect();
        let has = |subtag: &str| rest.contains(&subtag);
        let wanted = match language {
            "en" if rest.is_empty() => "en",
            "en" if has("us") => "en-US",
            "en" => "en-GB",
            "pt" if rest.is_empty() || has("br") => "pt-BR",
            "pt" => "pt-PT",
            "zh" if has("hans") => return None,
            "zh" if has("hant") || has("hk") || has("tw") || has("mo") => "zh-HK",
            "zh" => return None,
            other => other,
        };
        Self::find(wanted)
    }
}

/// The language one picker uses: its texts, plural rules and formats, and the
/// `Accept-Language` Getty localises titles and captions by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// The locale of the picker's texts.
    pub locale: Locale,
    /// The `Accept-Language` value for Getty, if Getty lists one for the choice.
    pub accept_language: Option<&'static str>,
}

impl Default for Language {
    fn default() -> Self {
        Self {
            locale: Locale::ENGLISH,
            accept_language: None,
        }
    }
}

impl Language {
    /// The language for the host's `requested` tag (`data-locale`), else for the first of the
    /// browser's preferred languages (`navigator.languages`) the picker speaks, else English.
    ///
    /// Getty is asked for the same language: the value it lists for the chosen locale
    /// (`pt` → `pt-BR`), else, for a host's tag the picker has no texts for but Getty lists
    /// (`cs`), that one, so captions still come in the host's language.
    pub fn choose(requested: Option<&str>, browser: &[String]) -> Self {
        let chosen = match requested {
            Some(tag) => Locale::for_tag(tag).ok_or(tag),
            None => browser
                .iter()
                .find_map(|tag| Locale::for_tag(tag))
                .ok_or(""),
        };
        match chosen {
            Ok(locale) => Self {
                locale,
                accept_language: accept_language(locale.tag),
            },
            Err(tag) => Self {
                locale: Locale::ENGLISH,
                accept_language: accept_language(tag),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(tag: &str) -> Option<&'static str> {
        Locale::for_tag(tag).map(|locale| locale.tag())
    }

    #[test]
    fn every_shipped_language_has_its_locale() {
        let tags: Vec<&str> = Locale::all().map(|locale| locale.tag()).collect();
        for tag in [
            "en", "en-GB", "en-US", "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt-BR",
            "pt-PT", "ru", "sv", "tr", "zh-HK",
        ] {
            assert!(tags.contains(&tag), "{tag} in {tags:?}");
        }
        assert_eq!(tags.len(), 17, "{tags:?}");
        for locale in Locale::all() {
            let built_in = BUILT_IN.contains(&locale.tag());
            assert_eq!(locale.file().is_none(), built_in, "{locale:?}");
            if let Some(file) = locale.file() {
                let hash = file
                    .strip_prefix(locale.tag())
                    .and_then(|rest| rest.strip_prefix('-'))
                    .and_then(|rest| rest.strip_suffix(".json"))
                    .unwrap_or_default();
                assert!(
                    hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{file} is content-hashed"
                );
            }
        }
    }

    #[test]
    fn a_tag_finds_its_locale_or_its_languages() {
        assert_eq!(ui("de"), Some("de"));
        assert_eq!(ui("DE-at"), Some("de"));
        assert_eq!(ui("de_CH"), Some("de"));
        assert_eq!(ui("fr-CA"), Some("fr"));
        assert_eq!(ui("es-419"), Some("es"));
        assert_eq!(ui("sv-Latn-FI"), Some("sv"));
        assert_eq!(ui("en"), Some("en"));
        assert_eq!(ui("en-us"), Some("en-US"));
        assert_eq!(ui("en-GB"), Some("en-GB"));
        assert_eq!(ui("en-AU"), Some("en-GB"));
        assert_eq!(ui("en-Latn-US"), Some("en-US"));
        assert_eq!(ui("pt"), Some("pt-BR"));
        assert_eq!(ui("pt-br"), Some("pt-BR"));
        assert_eq!(ui("pt-PT"), Some("pt-PT"));
        assert_eq!(ui("pt-AO"), Some("pt-PT"));
        assert_eq!(ui("zh-HK"), Some("zh-HK"));
        assert_eq!(ui("zh-TW"), Some("zh-HK"));
        assert_eq!(ui("zh-Hant"), Some("zh-HK"));
        assert_eq!(ui("zh-Hant-TW"), Some("zh-HK"));
        assert_eq!(ui("zh-MO"), Some("zh-HK"));
        assert_eq!(ui("zh"), None, "Simplified Chinese is not spoken");
        assert_eq!(ui("zh-CN"), None);
        assert_eq!(ui("zh-Hans-HK"), None);
        assert_eq!(ui("cs"), None);
        assert_eq!(ui(""), None);
        assert_eq!(ui("-"), None);
    }

    #[test]
    fn the_host_decides_else_the_browser_else_english() {
        let browser = |tags: &[&str]| tags.iter().map(|tag| (*tag).to_owned()).collect::<Vec<_>>();
        let chosen = |requested, tags: &[&str]| {
            let language = Language::choose(requested, &browser(tags));
            (language.locale.tag(), language.accept_language)
        };
        // The host's tag wins over the browser's.
        assert_eq!(chosen(Some("de-AT"), &["fr-FR"]), ("de", Some("de")));
        assert_eq!(chosen(Some("pt"), &[]), ("pt-BR", Some("pt-BR")));
        assert_eq!(chosen(Some("zh-TW"), &[]), ("zh-HK", Some("zh-HK")));
        assert_eq!(chosen(Some("en"), &["de"]), ("en", None));
        assert_eq!(chosen(Some("en-AU"), &[]), ("en-GB", Some("en-GB")));
        // A language Getty lists but the picker has no texts for: English texts, its captions.
        assert_eq!(chosen(Some("cs"), &["de"]), ("en", Some("cs")));
        assert_eq!(chosen(Some("xx"), &["de"]), ("en", None));
        // Without a host's tag: the first of the browser's the picker speaks.
        assert_eq!(chosen(None, &["cs-CZ", "fr-CH", "de"]), ("fr", Some("fr")));
        assert_eq!(chosen(None, &["zh-CN", "ja"]), ("ja", Some("ja")));
        assert_eq!(chosen(None, &["en-US", "de"]), ("en-US", Some("en-US")));
        assert_eq!(chosen(None, &["cs"]), ("en", None));
        assert_eq!(chosen(None, &[]), ("en", None));
        assert_eq!(Language::default(), Language::choose(None, &[]));
    }
}
