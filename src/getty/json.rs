//! JSON values and the lenient readers that turn Getty's answers into the picker's types.
//!
//! The browser's own `JSON.parse` does the parsing (so the bundle ships neither a JSON parser
//! nor serde's deserializers); `src/http.rs` converts its result into a [`Json`] once, and
//! everything here is pure Rust that `cargo test` covers natively.
//!
//! Getty documents strings where it sometimes sends numbers (`expires_in`, ids), and any
//! field may be missing or `null`. One unreadable entry must not cost the editor a whole page.

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    /// `null`, and what a missing field reads as.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Every JSON number, as JavaScript reads it.
    Number(f64),
    /// A string.
    String(String),
    /// A list.
    Array(Vec<Json>),
    /// An object's members in order.
    Object(Vec<(String, Json)>),
}

/// What a missing member reads as.
static NULL: Json = Json::Null;

/// Ids and counts beyond this are not exact as JavaScript numbers.
const MAX_EXACT: f64 = 9.0e15;

impl Json {
    /// The member `key` of an object; `Null` if missing or if this is not an object.
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Self::Object(members) => members
                .iter()
                .find(|(name, _)| name == key)
                .map_or(&NULL, |(_, value)| value),
            _ => &NULL,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// Text worth showing: a string that is not blank; any other value counts as missing.
    pub fn text(&self) -> Option<String> {
        self.as_str()
            .filter(|text| !text.trim().is_empty())
            .map(str::to_owned)
    }

    /// An identifier: a string, or a whole number written as one (Getty sends ids both ways).
    pub fn id(&self) -> Option<String> {
        match self {
            Self::String(text) => Some(text.clone()),
            // Formatting floats would add a float printer to the bundle; whole numbers need none.
            Self::Number(n) if n.fract() == 0.0 && n.abs() < MAX_EXACT => {
                Some((*n as i64).to_string())
            }
            _ => None,
        }
    }

    /// A count given as a number or a numeric string; anything else, or a negative, is `None`.
    /// Numbers too large for `u64` saturate.
    pub fn count(&self) -> Option<u64> {
        match self {
            Self::String(text) => text.trim().parse().ok(),
            Self::Number(n) if *n >= 0.0 && n.is_finite() => Some(*n as u64),
            _ => None,
        }
    }

    /// A whole number that fits in `u32`, e.g. a pixel size.
    pub fn small_number(&self) -> Option<u32> {
        match self {
            Self::Number(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n) => {
                Some(*n as u32)
            }
            _ => None,
        }
    }

    /// The entries of a list that `read` accepts, counting the others; `null` or a value that
    /// is not a list reads as an empty list, since Getty omits or nulls any field.
    pub fn list<T>(&self, read: impl Fn(&Json) -> Option<T>) -> Skipping<T> {
        let mut list = Skipping::default();
        if let Self::Array(entries) = self {
            for entry in entries {
                match read(entry) {
                    Some(item) => list.items.push(item),
                    None => list.skipped += 1,
                }
            }
        }
        list
    }
}

/// A list whose unreadable entries are counted and dropped instead of failing the whole answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipping<T> {
    /// The entries that could be read, in order.
    pub items: Vec<T>,
    /// How many entries could not be read.
    pub skipped: usize,
}

impl<T> Default for Skipping<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            skipped: 0,
        }
    }
}

/// Parses JSON text the way the browser would, for native tests of the readers.
#[cfg(test)]
pub fn parse(text: &str) -> Json {
    fn convert(value: serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Json::String(s),
            Value::Array(items) => Json::Array(items.into_iter().map(convert).collect()),
            Value::Object(members) => Json::Object(
                members
                    .into_iter()
                    .map(|(name, value)| (name, convert(value)))
                    .collect(),
            ),
        }
    }
    convert(serde_json::from_str(text).expect("test JSON parses"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_members_and_non_objects_read_as_null() {
        let value = parse(r#"{"a":1,"b":null}"#);
        assert_eq!(value.get("a"), &Json::Number(1.0));
        assert_eq!(value.get("b"), &Json::Null);
        assert_eq!(value.get("c"), &Json::Null);
        assert_eq!(parse("[1]").get("a"), &Json::Null);
    }

    #[test]
    fn text_skips_blanks_and_other_types() {
        assert_eq!(parse(r#""Cat""#).text().as_deref(), Some("Cat"));
        assert_eq!(parse(r#""  ""#).text(), None);
        assert_eq!(parse("7").text(), None);
        assert_eq!(parse("null").text(), None);
    }

    #[test]
    fn ids_from_strings_and_whole_numbers() {
        assert_eq!(parse(r#""083""#).id().as_deref(), Some("083"));
        assert_eq!(parse("42").id().as_deref(), Some("42"));
        assert_eq!(parse("-7").id().as_deref(), Some("-7"));
        assert_eq!(parse("1.5").id(), None);
        assert_eq!(parse("1e300").id(), None);
        assert_eq!(parse("true").id(), None);
    }

    #[test]
    fn counts_from_numbers_and_numeric_strings() {
        assert_eq!(parse("12").count(), Some(12));
        assert_eq!(parse(r#"" 12 ""#).count(), Some(12));
        assert_eq!(parse(r#""soon""#).count(), None);
        assert_eq!(parse("-3").count(), None);
        assert_eq!(parse("1e30").count(), Some(u64::MAX));
        assert_eq!(parse("{}").count(), None);
    }

    #[test]
    fn small_numbers_are_whole_and_in_range() {
        assert_eq!(parse("4500").small_number(), Some(4500));
        assert_eq!(parse("-1").small_number(), None);
        assert_eq!(parse("1.5").small_number(), None);
        assert_eq!(parse("1e12").small_number(), None);
        assert_eq!(parse(r#""4500""#).small_number(), None);
    }

    #[test]
    fn lists_count_what_they_skip() {
        let list = parse(r#"["a", 1, "b", null]"#).list(|entry| entry.text());
        assert_eq!(list.items, ["a", "b"]);
        assert_eq!(list.skipped, 2);
        assert_eq!(parse("null").list(Json::text), Skipping::default());
        assert_eq!(parse(r#"{"a":1}"#).list(Json::text), Skipping::default());
    }
}
