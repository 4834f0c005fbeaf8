//! Mounting and destroying pickers, one per element: the page-wide registry of what is mounted.

use std::any::Any;
use std::cell::{Cell, RefCell};

use leptos::mount::mount_to;
use leptos::prelude::*;
use thiserror::Error;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

use super::host::Host;
use super::shadow::{self, Stage};
use crate::components::Picker;
use crate::config::{Config, ConfigError};
use crate::http::GettyClient;
use crate::i18n::files::{self, Entries};
use crate::i18n::Language;

/// Why a picker could not be mounted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MountError {
    /// The configuration was refused.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `GettyPicker.mount` was given something that is not an HTML element.
    #[error("the picker needs an HTML element to mount on")]
    NotAnElement,
    /// The element already has a shadow root that this picker did not attach.
    #[error("the element already has a shadow root of another component")]
    ForeignShadowRoot,
    /// The element belongs to another document (e.g. an iframe's) than the widget's page.
    #[error("the element must be in the page that loaded the picker, not in a frame")]
    OtherDocument,
    /// The browser refused a shadow root on this element (e.g. an `<img>` or `<input>`).
    #[error("the picker cannot attach to this kind of element; use a <div>")]
    NoShadowRoot,
}

/// A picker on the page; `destroy()` takes it away again. Dropping the handle does not unmount:
/// pickers live until destroyed, like the ones mounted from markup.
#[wasm_bindgen]
pub struct PickerHandle {
    id: u64,
}

#[wasm_bindgen]
impl PickerHandle {
    /// Unmounts the picker: removes its nodes and listeners, stops its timers and requests.
    /// Does nothing if it was already destroyed or replaced by another mount on its element.
    pub fn destroy(&self) {
        unmount(|mounted| mounted.id == self.id);
    }
}

/// One mounted picker. Dropping `view` (Leptos' unmount handle) takes its nodes out;
/// cleaning up `owner`, the parent of the mount's own owner, then runs every `on_cleanup`
/// (timers, aborts) and disposes of its signals at once, even while a request still in flight
/// holds on to the mount's owner. `view` is none while the picker waits for its locale file.
struct Mounted {
    id: u64,
    element: HtmlElement,
    root: ShadowRoot,
    owner: Owner,
    view: Option<Box<dyn Any>>,
}

thread_local! {
    static MOUNTED: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// Mounts a picker configured by `config` into `element`'s shadow root. A picker already on the
/// element is replaced, never duplicated, so mounting again is how a host changes options.
pub fn mount(element: HtmlElement, mut config: Config) -> Result<PickerHandle, MountError> {
    unmount(|mounted| mounted.element == element);
    let root = shadow::root_for(&element)?;
    let stage = shadow::prepare(&root)?;
    config.language = Language::choose(config.locale.as_deref(), &browser_languages());
    let id = NEXT_ID.with(|next| next.replace(next.get() + 1));
    MOUNTED.with_borrow_mut(|mounted| {
        mounted.push(Mounted {
            id,
            element,
            root,
            owner: Owner::new(),
            view: None,
        })
    });
    render_in_its_language(id, stage, config);
    Ok(PickerHandle { id })
}

/// Renders the picker `id` once its language's texts are at hand: at once for English or a
/// locale file this page has loaded already, else when its file arrives or fails. Meanwhile the
/// entry module's search box takes typing, or, without one, the element shows its own content
/// (a `<slot>`); never English that would switch a moment later.
fn render_in_its_language(id: u64, stage: Stage, config: Config) {
    let locale = config.language.locale;
    let at_hand = match locale.file() {
        None => Some(None),
        Some(_) => files::settled(locale),
    };
    match at_hand {
        Some(entries) => render(id, stage, config, entries),
        None => {
            if stage.shell.is_none() {
                shadow::show_own_content(&stage.container);
            }
            // Not Leptos' spawner: it is set up by the first `mount_to`, which may not have run.
            js_sys::futures::spawn_local(async move {
                let entries = files::load(locale).await;
                render(id, stage, config, entries);
            });
        }
    }
}

/// Renders the picker `id` into its stage with its locale file's `entries`, unless it was
/// destroyed or replaced meanwhile.
fn render(id: u64, Stage { container, shell }: Stage, config: Config, entries: Option<Entries>) {
    let Some((owner, element)) = MOUNTED.with_borrow(|mounted| {
        let mounted = mounted.iter().find(|mounted| mounted.id == id)?;
        Some((mounted.owner.clone(), mounted.element.clone()))
    }) else {
        return;
    };
    if shell.is_none() {
        // The `<slot>` that showed the element's own content while the texts were on their way.
        container.set_text_content(None);
    }
    let open_tab = config.open_tab;
    let client = GettyClient::new(config);
    // Everything the picker makes, its host handle included, belongs to its owner.
    let view: Box<dyn Any> = owner.with(|| {
        let host = Host::new(element, open_tab);
        let stage = container.clone();
        Box::new(mount_to(
            container,
            move || view! { <Picker client host stage shell entries /> },
        ))
    });
    MOUNTED.with_borrow_mut(|mounted| {
        if let Some(mounted) = mounted.iter_mut().find(|mounted| mounted.id == id) {
            mounted.view = Some(view);
        }
    });
}

/// Mounts a picker on every `[data-getty-picker]` element, configured by its data attributes,
/// once the document is parsed; an element with a bad configuration shows what is wrong.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if document.ready_state() == "loading" {
        // Imported early (e.g. from <head> without defer): the elements are not there yet.
        let later = Closure::once_into_js(mount_all);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = document.add_event_listener_with_callback_and_add_event_listener_options(
            "DOMContentLoaded",
            later.unchecked_ref(),
            &options,
        );
        return;
    }
    let Ok(elements) = document.query_selector_all("[data-getty-picker]") else {
        return;
    };
    for index in 0..elements.length() {
        let Some(element) = elements
            .item(index)
            .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        else {
            continue;
        };
        let mounted = Config::from_attributes(|name| element.get_attribute(name))
            .map_err(MountError::from)
            .and_then(|config| mount(element.clone(), config));
        if let Err(error) = mounted {
            // Tell the page's author where the problem is rather than leaving an empty box.
            let message = format!("getty-picker: {error}");
            web_sys::console::error_1(&JsValue::from_str(&message));
            if let Ok(root) = shadow::root_for(&element) {
                shadow::show_notice(&root, &message);
            }
        }
    }
}

/// The browser's preferred languages (`navigator.languages`), most preferred first.
fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|window| window.navigator().languages())
        .map(|languages| languages.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default()
}

/// Replaces every picker with a notice, for after a panic stopped the wasm instance.
pub fn show_crash() {
    // try_: this runs from the panic hook, possibly while the registry is borrowed.
    let roots = MOUNTED
        .try_with(|mounted| {
            mounted
                .try_borrow()
                .map(|mounted| mounted.iter().map(|m| m.root.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    for root in roots {
        // In the picker's language: its texts put the notice on its root element. Read from the
        // DOM, as nothing of the crashed instance's state can be trusted here.
        let notice = root
            .query_selector(".getty-picker")
            .ok()
            .flatten()
            .and_then(|picker| picker.get_attribute("data-crash-notice"));
        shadow::show_notice(
            &root,
            notice
                .as_deref()
                .unwrap_or("The image picker stopped working. Reload the page to use it again."),
        );
    }
}

/// Unmounts every picker matching `which` and gives its shadow root back to the element.
fn unmount(which: impl Fn(&Mounted) -> bool) {
    let removed = MOUNTED.with_borrow_mut(|mounted| {
        let (removed, kept) = std::mem::take(mounted).into_iter().partition(|m| which(m));
        *mounted = kept;
        removed
    });
    // Dropped outside the borrow: cleanups run here and must be free to mount or destroy.
    for Mounted {
        root, owner, view, ..
    } in removed
    {
        drop(view);
        owner.cleanup();
        shadow::release(&root);
    }
}
