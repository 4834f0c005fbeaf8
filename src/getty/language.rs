//! The `Accept-Language` header Getty localises titles and captions by.

/// The values Getty's search endpoints list for `Accept-Language` (OpenAPI file, every search
/// endpoint). Some carry notes there ("iStock only", "creative assets only"): they are still
/// values the endpoints accept, and assets they do not cover come back untranslated.
pub const GETTY_LANGUAGES: [&str; 24] = [
    "cs", "de", "en-GB", "en-US", "es", "fi", "fr", "hu", "id", "it", "ja", "ko", "nl", "pl",
    "pt-BR", "pt-PT", "ro", "ru", "sv", "th", "tr", "uk", "vi", "zh-HK",
];

/// The `Accept-Language` value for the picker's `locale` (a BCP 47 tag such as `de-AT`): the
/// value Getty lists that matches it exactly (ignoring case and `_` for `-`), else the one that
/// is its primary language subtag, else none (a value Getty does not list is not sent).
pub fn accept_language(locale: &str) -> Option<&'static str> {
    let tag = locale.trim().replace('_', "-");
    let listed = |wanted: &str| {
        GETTY_LANGUAGES
            .into_iter()
            .find(|language| language.eq_ignore_ascii_case(wanted))
    };
    listed(&tag).or_else(|| listed(tag.split('-').next().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_else_primary_language_else_none() {
        // Exact, in Getty's spelling whatever the case.
        assert_eq!(accept_language("de"), Some("de"));
        assert_eq!(accept_language("pt-BR"), Some("pt-BR"));
        assert_eq!(accept_language("en-gb"), Some("en-GB"));
        assert_eq!(accept_language(" zh_hk "), Some("zh-HK"));
        // The primary language subtag.
        assert_eq!(accept_language("de-AT"), Some("de"));
        assert_eq!(accept_language("fr-CA"), Some("fr"));
        assert_eq!(accept_language("sv-Latn-SE"), Some("sv"));
        // Neither: no header, rather than one Getty does not list.
        assert_eq!(accept_language("en"), None);
        assert_eq!(accept_language("en-AU"), None);
        assert_eq!(accept_language("pt"), None);
        assert_eq!(accept_language("zh-CN"), None);
        assert_eq!(accept_language("xx"), None);
        assert_eq!(accept_language(""), None);
    }

    #[test]
    fn every_listed_value_is_sent_as_it_is() {
        for language in GETTY_LANGUAGES {
            assert_eq!(accept_language(language), Some(language));
        }
    }
}
