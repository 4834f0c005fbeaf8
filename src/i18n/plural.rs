//! CLDR plural categories of whole numbers, for the languages the picker ships.
//!
//! A table rather than the browser's `Intl.PluralRules`: the picker only counts whole numbers,
//! for which the rules of these languages are a few lines each; a table answers the same in
//! every engine whatever its ICU version, and lets the locale files be checked natively for
//! exactly the forms each language needs (`tests/browser/locale_files.rs`). Rules from CLDR 46
//! (`plurals.xml`), restricted to integers (`v = 0`, `e = 0`).

/// A CLDR plural category (`zero` and `two` do not occur in the shipped languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// `one`: e.g. 1 in English, 0 and 1 in French, 1, 21, 31 … in Russian.
    One,
    /// `few`: e.g. 2–4, 22–24 … in Polish and Russian.
    Few,
    /// `many`: e.g. 5–20 in Polish and Russian, exact millions in French or Spanish.
    Many,
    /// `other`: everything else.
    Other,
}

impl Category {
    /// Every category, in the order of the entries' suffixes (`_one`, `_few`, `_many`, base).
    pub const ALL: [Self; 4] = [Self::One, Self::Few, Self::Many, Self::Other];

    /// The suffix of a plural form's entry name (`results_few`); none for `other`, whose form
    /// is the base entry itself.
    pub fn suffix(self) -> Option<&'static str> {
        match self {
            Self::One => Some("_one"),
            Self::Few => Some("_few"),
            Self::Many => Some("_many"),
            Self::Other => None,
        }
    }
}

/// The plural rule of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// No plural forms: Japanese, Korean, Chinese.
    None,
    /// `one`: 1. English, German, Dutch, Swedish, Turkish; also any language the picker does
    /// not ship (a host's own texts then use the base form and `_one`).
    One,
    /// `one`: 1; `many`: exact millions (1 000 000 de…). Spanish, Italian, European Portuguese.
    OneMillions,
    /// `one`: 0 and 1; `many`: exact millions. French, Brazilian Portuguese.
    ZeroOneMillions,
    /// Polish: `one` 1; `few` 2–4, 22–24 … but not 12–14; `many` the rest.
    Polish,
    /// Russian: `one` 1, 21, 31 … but not 11; `few` 2–4, 22–24 … but not 12–14; `many` the rest.
    Russian,
}

impl Rule {
    /// The rule for a language tag such as `pt-BR` or `de`.
    pub fn for_tag(tag: &str) -> Self {
        let mut subtags = tag.split(['-', '_']);
        let language = subtags.next().unwrap_or_default().to_ascii_lowercase();
        match language.as_str() {
            "ja" | "ko" | "zh" => Self::None,
            "es" | "it" => Self::OneMillions,
            "fr" => Self::ZeroOneMillions,
            // CLDR's `pt` is Brazil's; the other regions follow `pt-PT`.
            "pt" => match subtags.next() {
                Some(region) if !region.eq_ignore_ascii_case("BR") => Self::OneMillions,
                _ => Self::ZeroOneMillions,
            },
            "pl" => Self::Polish,
            "ru" => Self::Russian,
            _ => Self::One,
        }
    }

    /// The category of the whole number `n`.
    pub fn category(self, n: u64) -> Category {
        let millions = n != 0 && n.is_multiple_of(1_000_000);
        let (last, last_two) = (n % 10, n % 100);
        let few = (2..=4).contains(&last) && !(12..=14).contains(&last_two);
        match self {
            Self::None => Category::Other,
            Self::One => match n {
                1 => Category::One,
                _ => Category::Other,
            },
            Self::OneMillions => match n {
                1 => Category::One,
                _ if millions => Category::Many,
                _ => Category::Other,
            },
            Self::ZeroOneMillions => match n {
                0 | 1 => Category::One,
                _ if millions => Category::Many,
                _ => Category::Other,
            },
            Self::Polish => match n {
                1 => Category::One,
                _ if few => Category::Few,
                _ => Category::Many,
            },
            Self::Russian => match n {
                _ if last == 1 && last_two != 11 => Category::One,
                _ if few => Category::Few,
                _ => Category::Many,
            },
        }
    }

    /// The categories of the numbers from `from` on (up to a few millions, which covers every
    /// pattern of these rules): the forms a text counting from `from` needs.
    pub fn categories_from(self, from: u64) -> Vec<Category> {
        let mut found: Vec<Category> = (from..from + 200)
            .chain((1..=3).map(|m| m * 1_000_000))
            .filter(|n| *n >= from)
            .map(|n| self.category(n))
            .collect();
        found.sort();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::Category::{Few, Many, One, Other};
    use super::*;

    fn categories(rule: Rule, numbers: &[u64]) -> Vec<Category> {
        numbers.iter().map(|n| rule.category(*n)).collect()
    }

    /// Samples from CLDR's `plurals.xml` (integer samples of each category).
    #[test]
    fn the_rules_give_cldr_categories() {
        let english = Rule::for_tag("en-GB");
        assert_eq!(
            categories(english, &[0, 1, 2, 1_000_000]),
            [Other, One, Other, Other]
        );
        let french = Rule::for_tag("fr");
        assert_eq!(
            categories(french, &[0, 1, 2, 999_999, 1_000_000, 2_000_000]),
            [One, One, Other, Other, Many, Many]
        );
        assert_eq!(Rule::for_tag("pt-BR"), french);
        assert_eq!(Rule::for_tag("pt"), french);
        let spanish = Rule::for_tag("es");
        assert_eq!(
            categories(spanish, &[0, 1, 2, 1_000_000]),
            [Other, One, Other, Many]
        );
        assert_eq!(Rule::for_tag("pt-PT"), spanish);
        assert_eq!(Rule::for_tag("it"), spanish);
        let polish = Rule::for_tag("pl");
        assert_eq!(
            categories(
                polish,
                &[0, 1, 2, 4, 5, 12, 14, 21, 22, 24, 25, 102, 112, 1_000_000]
            ),
            [Many, One, Few, Few, Many, Many, Many, Many, Few, Few, Many, Few, Many, Many]
        );
        let russian = Rule::for_tag("ru");
        assert_eq!(
            categories(
                russian,
                &[0, 1, 2, 5, 11, 12, 21, 22, 25, 101, 111, 112, 121]
            ),
            [Many, One, Few, Many, Many, Many, One, Few, Many, One, Many, Many, One]
        );
        for tag in ["ja", "ko", "zh-HK"] {
            assert_eq!(
                categories(Rule::for_tag(tag), &[0, 1, 2]),
                [Other; 3],
                "{tag}"
            );
        }
        assert_eq!(Rule::for_tag("cs"), Rule::One, "an unshipped language");
    }

    #[test]
    fn the_categories_a_text_needs_depend_on_where_it_starts_counting() {
        assert_eq!(Rule::for_tag("en").categories_from(1), [One, Other]);
        assert_eq!(Rule::for_tag("en").categories_from(2), [Other]);
        assert_eq!(Rule::for_tag("fr").categories_from(2), [Many, Other]);
        assert_eq!(Rule::for_tag("pl").categories_from(2), [Few, Many]);
        assert_eq!(Rule::for_tag("ru").categories_from(2), [One, Few, Many]);
        assert_eq!(Rule::for_tag("ja").categories_from(0), [Other]);
    }
}
