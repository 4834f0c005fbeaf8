//! Numbers and dates as the browser's `Intl` writes them in a locale: `1,234`, `1.234`,
//! `1 234`; `1 Dec`, `Dec 1`, `1. Dez.`, `12月1日`. The engine's CLDR data knows them better than
//! any table the bundle could carry.

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::JsValue;

use super::Formats;
use crate::getty::Day;

/// One locale's `Intl` formatters, made once per picker.
pub struct Intl {
    number: Function,
    day: Function,
    date: Function,
}

impl Intl {
    /// The formatters of the locale `tag` (one of the picker's, so a tag `Intl` accepts).
    pub fn new(tag: &str) -> Self {
        let locales = Array::of1(&JsValue::from_str(tag));
        let number = js_sys::Intl::NumberFormat::new(&locales, &Object::new()).format();
        // Day and abbreviated month, of the UTC date Getty names (a reset on "1 Dec" UTC stays
        // on the 1st wherever the editor is).
        let day = date_format(&locales, &[("day", "numeric"), ("month", "short")]);
        let date = date_format(
            &locales,
            &[("day", "numeric"), ("month", "short"), ("year", "numeric")],
        );
        Self { number, day, date }
    }
}

/// A `DateTimeFormat`'s `format` with `fields`, of UTC dates.
fn date_format(locales: &Array, fields: &[(&str, &str)]) -> Function {
    let options = Object::new();
    for (key, value) in fields.iter().chain(&[("timeZone", "UTC")]) {
        // Setting a string on a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    js_sys::Intl::DateTimeFormat::new(locales, &options).format()
}

/// `format` applied to the UTC midnight of `day`; ISO 8601 if the engine refuses.
fn format_day(format: &Function, day: Day) -> String {
    let ms = Date::utc(f64::from(day.year), f64::from(day.month) - 1.0)
        + f64::from(day.day - 1) * 86_400_000.0;
    format
        .call1(&JsValue::NULL, &Date::new(&JsValue::from_f64(ms)))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| format!("{}-{:02}-{:02}", day.year, day.month, day.day))
}

impl Formats for Intl {
    fn number(&self, n: u64) -> String {
        // As a BigInt (what wasm-bindgen makes of a u64): exact beyond 2^53 too, which a hostile
        // answer's count may be.
        self.number
            .call1(&JsValue::NULL, &JsValue::from(n))
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| crate::format::count(n))
    }

    fn day(&self, day: Day) -> String {
        format_day(&self.day, day)
    }

    fn date(&self, day: Day) -> String {
        format_day(&self.date, day)
    }
}
