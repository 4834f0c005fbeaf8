//! Deserializers that accept the shapes Getty's answers really come in.
//!
//! Getty documents strings where it sometimes sends numbers (`expires_in`, ids), and any
//! field may be missing or `null`. One unreadable entry must not cost the editor a whole page.

use serde::de::{Deserializer, IgnoredAny};
use serde::Deserialize;

/// A string that Getty may send as a JSON number.
#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    String(String),
    Unsigned(u64),
    Float(f64),
}

impl StringOrNumber {
    /// The value as text; `None` for a fractional number, which no id or count is.
    fn into_string(self) -> Option<String> {
        match self {
            Self::String(s) => Some(s),
            Self::Unsigned(n) => Some(n.to_string()),
            // Formatting floats would also add a float printer to the bundle.
            Self::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some((f as i64).to_string()),
            Self::Float(_) => None,
        }
    }
}

/// Reads a string or a whole number as a string.
pub fn string_or_number<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    StringOrNumber::deserialize(de)?
        .into_string()
        .ok_or_else(|| serde::de::Error::custom("a fractional number where text was expected"))
}

/// Reads a count given as a number or a numeric string; `null` or anything else is `None`.
pub fn optional_count<'de, D: Deserializer<'de>>(de: D) -> Result<Option<u64>, D::Error> {
    let value = Option::<StringOrNumber>::deserialize(de).unwrap_or(None);
    Ok(value.and_then(|v| match v {
        StringOrNumber::String(s) => s.trim().parse().ok(),
        StringOrNumber::Unsigned(n) => Some(n),
        StringOrNumber::Float(f) if f >= 0.0 && f.is_finite() => Some(f as u64),
        StringOrNumber::Float(_) => None,
    }))
}

/// One entry of a list: either readable as `T` or skipped.
#[derive(Deserialize)]
#[serde(untagged)]
enum Entry<T> {
    Readable(T),
    Unreadable(IgnoredAny),
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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Skipping<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        // `null` and non-list values count as an empty list: Getty omits or nulls any field.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum ListOrOther<T> {
            List(Vec<Entry<T>>),
            Other(IgnoredAny),
        }
        let entries = match Option::<ListOrOther<T>>::deserialize(de)? {
            Some(ListOrOther::List(entries)) => entries,
            Some(ListOrOther::Other(_)) | None => Vec::new(),
        };
        let mut list = Skipping::default();
        for entry in entries {
            match entry {
                Entry::Readable(item) => list.items.push(item),
                Entry::Unreadable(_) => list.skipped += 1,
            }
        }
        Ok(list)
    }
}

/// Reads an optional string; a value of another type counts as missing rather than an error.
pub fn optional_text<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrOther {
        Text(String),
        Other(IgnoredAny),
    }
    Ok(match Option::<TextOrOther>::deserialize(de)? {
        Some(TextOrOther::Text(text)) if !text.trim().is_empty() => Some(text),
        _ => None,
    })
}

/// Reads an optional value of type `T`; a value of another shape counts as missing.
pub fn optional<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    de: D,
) -> Result<Option<T>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ValueOrOther<T> {
        Value(T),
        Other(IgnoredAny),
    }
    Ok(match Option::<ValueOrOther<T>>::deserialize(de)? {
        Some(ValueOrOther::Value(value)) => Some(value),
        _ => None,
    })
}
