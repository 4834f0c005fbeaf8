//! `deserialize_with` helpers that accept the shapes Getty's answers really come in.
//!
//! Getty documents strings where it sometimes sends numbers (`expires_in`, ids), and any field
//! may be missing or `null`. One unreadable entry must not cost the editor a whole page, so every
//! field read through these helpers takes whatever value comes and never fails the answer.
//!
//! Each helper reads one [`Scalar`] with `deserialize_any` and maps it; values of another shape
//! are skipped with `IgnoredAny`, not buffered (serde's untagged enums would copy every entry
//! into an intermediate tree first). serde-wasm-bindgen skips an ignored value without looking
//! inside it, so hostile nesting costs no recursion.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Ids and counts beyond this are not exact as JavaScript numbers.
const MAX_EXACT: f64 = 9.0e15;

/// One JSON value as the lenient readers see it: text, a number, or something else.
enum Scalar {
    Text(String),
    Number(f64),
    Flag(bool),
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Flag(v))
    }

    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Scalar, D::Error> {
        de.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// Text worth showing: a string that is not blank; any other value counts as missing.
pub fn text<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match Scalar::deserialize(de)? {
        Scalar::Text(text) if !text.trim().is_empty() => Some(text),
        _ => None,
    })
}

/// Any string, blank or not; any other value is `None`.
pub fn any_string<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match Scalar::deserialize(de)? {
        Scalar::Text(text) => Some(text),
        _ => None,
    })
}

/// An identifier: a string, or a whole number written as one (Getty sends ids both ways).
pub fn id<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match Scalar::deserialize(de)? {
        Scalar::Text(text) if !text.trim().is_empty() => Some(text),
        // Formatting floats would add a float printer to the bundle; whole numbers need none.
        Scalar::Number(n) if n.fract() == 0.0 && n.abs() < MAX_EXACT => {
            Some((n as i64).to_string())
        }
        _ => None,
    })
}

/// [`id`] for a field an entry cannot do without: empty when missing, so that [`Usable`] can
/// drop the entry.
pub fn required_id<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    id(de).map(Option::unwrap_or_default)
}

/// [`text`] for a field an entry cannot do without: empty when missing, so that [`Usable`] can
/// drop the entry.
pub fn required_text<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    text(de).map(Option::unwrap_or_default)
}

/// A count given as a number or a numeric string; anything else, or a negative, is `None`.
/// Numbers too large for `u64` saturate.
pub fn count<'de, D: Deserializer<'de>>(de: D) -> Result<Option<u64>, D::Error> {
    Ok(match Scalar::deserialize(de)? {
        Scalar::Text(text) => text.trim().parse().ok(),
        Scalar::Number(n) if n >= 0.0 && n.is_finite() => Some(n as u64),
        _ => None,
    })
}

/// A whole number that fits in `u32`, e.g. a pixel size.
pub fn small_number<'de, D: Deserializer<'de>>(de: D) -> Result<Option<u32>, D::Error> {
    Ok(match Scalar::deserialize(de)? {
        Scalar::Number(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
            Some(n as u32)
        }
        _ => None,
    })
}

/// A yes/no flag: `true`, or the text `"true"`; anything else (missing, `null`, `1`) is no.
pub fn flag<'de, D: Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    Ok(match Scalar::deserialize(de)? {
        Scalar::Flag(flag) => flag,
        Scalar::Text(text) => text.trim().eq_ignore_ascii_case("true"),
        _ => false,
    })
}

/// A list of texts (e.g. usage restrictions); blank and non-text entries are dropped, and
/// anything but a list reads as empty.
pub fn texts<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
    de.deserialize_any(TextsVisitor)
}

struct TextsVisitor;

impl<'de> Visitor<'de> for TextsVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut texts = Vec::new();
        while let Some(scalar) = seq.next_element::<Scalar>()? {
            match scalar {
                Scalar::Text(text) if !text.trim().is_empty() => texts.push(text),
                _ => {}
            }
        }
        Ok(texts)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Vec<String>, D::Error> {
        de.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<String>, A::Error> {
        ScalarVisitor.visit_map(map).map(|_| Vec::new())
    }

    fn visit_unit<E>(self) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E>(self) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_str<E>(self, _: &str) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
}

/// An object read as `T` (whose fields are all lenient); any other value reads as `T::default()`.
pub fn object<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Entry::<T>::deserialize(de).map(|Entry(object)| object.unwrap_or_default())
}

/// A value whose fields are all read leniently, so reading it cannot fail; it says itself
/// whether it is usable (e.g. an image needs an id).
pub trait Usable {
    /// Whether the entry has what the picker needs.
    fn usable(&self) -> bool;
}

/// A list whose unusable entries are counted and dropped instead of failing the whole answer.
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

impl<'de, T: Deserialize<'de> + Usable> Deserialize<'de> for Skipping<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(ListVisitor(PhantomData))
    }
}

/// `null` and values that are not lists read as an empty list: Getty omits or nulls any field.
struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Usable> Visitor<'de> for ListVisitor<T> {
    type Value = Skipping<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skipping<T>, A::Error> {
        let mut list = Skipping::default();
        while let Some(Entry(entry)) = seq.next_element::<Entry<T>>()? {
            match entry {
                Some(item) if item.usable() => list.items.push(item),
                _ => list.skipped += 1,
            }
        }
        Ok(list)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Skipping<T>, D::Error> {
        de.deserialize_any(self)
    }

    fn visit_unit<E>(self) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_none<E>(self) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_str<E>(self, _: &str) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skipping<T>, E> {
        Ok(Skipping::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skipping<T>, A::Error> {
        ScalarVisitor.visit_map(map).map(|_| Skipping::default())
    }
}

/// One entry of a list: an object read as `T`, or `None` for anything else (`17`, `null`,
/// `"junk"`), which is skipped without failing the list.
struct Entry<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entry<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(EntryVisitor(PhantomData))
    }
}

struct EntryVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EntryVisitor<T> {
    type Value = Entry<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|item| Entry(Some(item)))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Entry<T>, D::Error> {
        de.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Entry<T>, A::Error> {
        ScalarVisitor.visit_seq(seq).map(|_| Entry(None))
    }

    fn visit_unit<E>(self) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }

    fn visit_none<E>(self) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }

    fn visit_str<E>(self, _: &str) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Entry<T>, E> {
        Ok(Entry(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Fields {
        #[serde(default, deserialize_with = "text")]
        text: Option<String>,
        #[serde(default, deserialize_with = "id")]
        id: Option<String>,
        #[serde(default, deserialize_with = "count")]
        count: Option<u64>,
        #[serde(default, deserialize_with = "small_number")]
        small: Option<u32>,
        #[serde(default, deserialize_with = "flag")]
        flag: bool,
        #[serde(default, deserialize_with = "texts")]
        texts: Vec<String>,
    }

    impl Usable for Fields {
        fn usable(&self) -> bool {
            self.id.is_some()
        }
    }

    fn read(json: &str) -> Fields {
        serde_json::from_str(json).expect("lenient fields never fail")
    }

    #[test]
    fn text_skips_blanks_and_other_types() {
        assert_eq!(read(r#"{"text":"Cat"}"#).text.as_deref(), Some("Cat"));
        assert_eq!(read(r#"{"text":"  "}"#).text, None);
        assert_eq!(read(r#"{"text":7}"#).text, None);
        assert_eq!(read(r#"{"text":null}"#).text, None);
        assert_eq!(read(r#"{"text":{"a":[1,{"b":2}]}}"#).text, None);
        assert_eq!(read("{}").text, None);
    }

    #[test]
    fn ids_from_strings_and_whole_numbers() {
        assert_eq!(read(r#"{"id":"083"}"#).id.as_deref(), Some("083"));
        assert_eq!(read(r#"{"id":42}"#).id.as_deref(), Some("42"));
        assert_eq!(read(r#"{"id":-7}"#).id.as_deref(), Some("-7"));
        assert_eq!(read(r#"{"id":42.0}"#).id.as_deref(), Some("42"));
        assert_eq!(read(r#"{"id":1.5}"#).id, None);
        assert_eq!(read(r#"{"id":1e300}"#).id, None);
        assert_eq!(read(r#"{"id":true}"#).id, None);
        assert_eq!(read(r#"{"id":""}"#).id, None);
    }

    #[test]
    fn counts_from_numbers_and_numeric_strings() {
        assert_eq!(read(r#"{"count":12}"#).count, Some(12));
        assert_eq!(read(r#"{"count":" 12 "}"#).count, Some(12));
        assert_eq!(read(r#"{"count":"soon"}"#).count, None);
        assert_eq!(read(r#"{"count":-3}"#).count, None);
        assert_eq!(read(r#"{"count":1e30}"#).count, Some(u64::MAX));
        assert_eq!(
            read(r#"{"count":18446744073709551615}"#).count,
            Some(u64::MAX)
        );
        assert_eq!(read(r#"{"count":{}}"#).count, None);
    }

    #[test]
    fn small_numbers_are_whole_and_in_range() {
        assert_eq!(read(r#"{"small":4500}"#).small, Some(4500));
        assert_eq!(read(r#"{"small":-1}"#).small, None);
        assert_eq!(read(r#"{"small":1.5}"#).small, None);
        assert_eq!(read(r#"{"small":1e12}"#).small, None);
        assert_eq!(read(r#"{"small":"4500"}"#).small, None);
    }

    #[test]
    fn flags_are_true_only_when_said() {
        assert!(read(r#"{"flag":true}"#).flag);
        assert!(read(r#"{"flag":"True"}"#).flag);
        for no in ["false", "null", "1", r#""yes""#, "[true]", "{}"] {
            assert!(!read(&format!(r#"{{"flag":{no}}}"#)).flag, "{no}");
        }
        assert!(!read("{}").flag);
    }

    #[test]
    fn texts_keep_the_strings_of_a_list() {
        assert_eq!(
            read(r#"{"texts":["Editorial use only", " ", 7, null, ["x"], "No use in ads"]}"#).texts,
            ["Editorial use only", "No use in ads"]
        );
        for not_a_list in ["null", r#""x""#, "7", r#"{"a":["b"]}"#, "true"] {
            assert!(read(&format!(r#"{{"texts":{not_a_list}}}"#))
                .texts
                .is_empty());
        }
    }

    #[test]
    fn lists_count_what_they_skip() {
        let list: Skipping<Fields> =
            serde_json::from_str(r#"[{"id":"a"}, 1, {"id":"b"}, null, {"text":"no id"}, [1]]"#)
                .expect("a list");
        let ids: Vec<_> = list.items.iter().filter_map(|f| f.id.as_deref()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(list.skipped, 4);
        for not_a_list in ["null", r#"{"a":1}"#, "7", r#""x""#] {
            let list: Skipping<Fields> = serde_json::from_str(not_a_list).expect("read");
            assert_eq!(list, Skipping::default(), "{not_a_list}");
        }
    }
}
