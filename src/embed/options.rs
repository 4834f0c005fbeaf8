//! Options given to `GettyPicker.mount(element, options)` in script, read under the names of the
//! data attributes so that every option works the same in both ways of mounting.

use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use web_sys::Element;

/// The script option for a data attribute: `data-token-url` → `tokenUrl`.
pub fn option_name(attribute: &str) -> String {
    let bare = attribute.strip_prefix("data-").unwrap_or(attribute);
    let mut name = String::with_capacity(bare.len());
    let mut upper = false;
    for c in bare.chars() {
        match c {
            '-' => upper = true,
            c if upper => {
                name.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => name.push(c),
        }
    }
    name
}

/// The value of `attribute` for a picker mounted from script: the option of that name in
/// `options` if set, else the element's own data attribute (so markup can carry defaults).
pub fn read(options: &JsValue, element: &Element, attribute: &str) -> Option<String> {
    option_value(options, &option_name(attribute)).or_else(|| element.get_attribute(attribute))
}

/// `options[name]` as the text a data attribute would hold; absent, null and undefined are unset.
fn option_value(options: &JsValue, name: &str) -> Option<String> {
    if !options.is_object() {
        return None;
    }
    let value = Reflect::get(options, &JsValue::from_str(name)).ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    if let Some(flag) = value.as_bool() {
        return Some(flag.to_string());
    }
    // Numbers and objects (e.g. `strings`) read as their JSON text, like an attribute holds them.
    JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
}

#[cfg(test)]
mod tests {
    use super::option_name;

    #[test]
    fn attributes_map_to_camel_case_options() {
        assert_eq!(option_name("data-token-url"), "tokenUrl");
        assert_eq!(option_name("data-api-key"), "apiKey");
        assert_eq!(option_name("data-open-tab"), "openTab");
        assert_eq!(option_name("data-locale"), "locale");
        assert_eq!(option_name("data-exclude-nudity"), "excludeNudity");
    }
}
