//! The script API, `GettyPicker.mount(element, options)`, for hosts that build their UI in script.

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use super::options;
use super::registry::{mount, MountError, PickerHandle};
use crate::config::Config;

/// Mounts a picker on `element` from script. `options` holds the data attributes' settings under
/// camelCase names (`tokenUrl`, `apiKey`, `apiBase`, `openTab`, ...); any it leaves out are read
/// from the element's own data attributes. Throws an `Error` naming the problem if refused.
#[wasm_bindgen(js_name = mount)]
pub fn mount_from_script(element: JsValue, options: JsValue) -> Result<PickerHandle, JsError> {
    let element = element
        .dyn_into::<HtmlElement>()
        .map_err(|_| MountError::NotAnElement)?;
    let config = Config::from_attributes(|name| options::read(&options, &element, name))
        .map_err(MountError::from)?;
    Ok(mount(element, config)?)
}
