//! Getty's OpenAPI file (`tests/it/data/getty-openapi.yml`, Getty's own, vendored so that CI's
//! clean clone has it) and a validator for the part of OpenAPI 3.0's schema language it uses:
//! `$ref`, `type`, `nullable`, `properties`, `additionalProperties`, `required`, `items`,
//! `enum`, `minLength` and the formats `int32`, `float` and `date-time`. Any other keyword
//! makes the validator fail loudly rather than pass what it does not understand.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Map, Value};

/// Keywords that carry no constraint.
const ANNOTATIONS: &[&str] = &["description", "deprecated"];

/// Getty's OpenAPI document, parsed.
pub struct Spec {
    doc: Value,
}

impl Spec {
    /// Reads and parses the vendored file; panics naming the file if it is missing or broken.
    pub fn load() -> Self {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/data/getty-openapi.yml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "{} is missing ({error}): it is Getty's OpenAPI file, a copy of \
                 shared/reference/getty-openapi.yml",
                path.display()
            )
        });
        // Getty's file holds two stray control characters inside descriptions, which YAML
        // forbids; they carry no meaning.
        let text: String = text
            .chars()
            .map(|c| {
                if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let doc: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", path.display()));
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "{} is not an OpenAPI 3 document",
            path.display()
        );
        Self { doc }
    }

    /// The schema of `method` `path`'s 200 JSON answer (e.g. `get`, `/v3/products`); none if
    /// the file gives that answer no schema.
    pub fn response_schema(&self, method: &str, path: &str) -> Option<&Value> {
        let operation = self.doc["paths"].get(path)?.get(method)?;
        operation["responses"]["200"]["content"]["application/json"]
            .get("schema")
            .filter(|schema| !schema.is_null())
    }

    /// The errors of `value` against `schema`, each with its JSON path; empty when valid.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, value, "$", &mut errors);
        errors
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
                    panic!("only local references are supported, not {reference}")
                });
                let target = self
                    .doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{reference} does not resolve"));
                self.resolve(target)
            }
            None => schema,
        }
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        // In OpenAPI 3.0, a `$ref`'s siblings are ignored.
        let schema = self.resolve(schema);
        let Some(rules) = schema.as_object() else {
            panic!("the schema at {at} is not an object: {schema}");
        };
        for keyword in rules.keys() {
            let known = [
                "type",
                "nullable",
                "properties",
                "additionalProperties",
                "required",
                "items",
                "enum",
                "minLength",
                "format",
            ];
            assert!(
                known.contains(&keyword.as_str()) || ANNOTATIONS.contains(&keyword.as_str()),
                "the validator does not know the keyword {keyword:?} (schema at {at})"
            );
        }
        if value.is_null() {
            if rules.get("nullable") != Some(&Value::Bool(true)) && rules.contains_key("type") {
                errors.push(format!("{at}: null, but the schema is not nullable"));
            }
            if rules.contains_key("enum") && rules.get("nullable") != Some(&Value::Bool(true)) {
                errors.push(format!("{at}: null is not one of the enum's values"));
            }
            return;
        }
        if let Some(kind) = rules.get("type").and_then(Value::as_str) {
            let fits = match kind {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "boolean" => value.is_boolean(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                other => panic!("unknown type {other:?} at {at}"),
            };
            if !fits {
                errors.push(format!("{at}: {value} is not of type {kind}"));
                return;
            }
        }
        if let Some(values) = rules.get("enum").and_then(Value::as_array) {
            if !values.contains(value) {
                errors.push(format!("{at}: {value} is not one of {values:?}"));
            }
        }
        if let (Some(min), Some(text)) = (
            rules.get("minLength").and_then(Value::as_u64),
            value.as_str(),
        ) {
            if (text.chars().count() as u64) < min {
                errors.push(format!("{at}: {value} is shorter than {min}"));
            }
        }
        match rules.get("format").and_then(Value::as_str) {
            Some("int32") => {
                if value.as_i64().is_none_or(|n| i32::try_from(n).is_err()) {
                    errors.push(format!("{at}: {value} is not an int32"));
                }
            }
            Some("date-time") => {
                if !value.as_str().is_some_and(is_date_time) {
                    errors.push(format!("{at}: {value} is not an RFC 3339 date-time"));
                }
            }
            Some("float") | None => {}
            Some(other) => panic!("unknown format {other:?} at {at}"),
        }
        if let Some(object) = value.as_object() {
            self.check_object(rules, object, at, errors);
        }
        if let (Some(items), Some(array)) = (rules.get("items"), value.as_array()) {
            for (index, item) in array.iter().enumerate() {
                self.check(items, item, &format!("{at}[{index}]"), errors);
            }
        }
    }

    fn check_object(
        &self,
        rules: &Map<String, Value>,
        object: &Map<String, Value>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let properties = rules.get("properties").and_then(Value::as_object);
        for name in rules
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                errors.push(format!("{at}: the required property {name:?} is missing"));
            }
        }
        for (name, value) in object {
            let path = format!("{at}.{name}");
            match properties.and_then(|properties| properties.get(name)) {
                Some(schema) => self.check(schema, value, &path, errors),
                None => match rules.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{path}: no such property in the schema"))
                    }
                    Some(Value::Bool(true)) | None => {}
                    Some(schema) => self.check(schema, value, &path, errors),
                },
            }
        }
    }
}

/// Whether `text` is an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
pub fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    if !(digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(bytes.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16)
        && bytes.get(16) == Some(&b':')
        && digits(17..19))
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}
