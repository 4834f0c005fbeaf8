use leptos::prelude::*;

use crate::components::context;
use web_sys::AbortController;

use super::{Client, Details, I18n, SharedImage};
use crate::getty::url::is_http_url;
use crate::getty::{Image, Neighbours};
use crate::http::sleep;

/// How many neighbours a strip shows.
const STRIP_SIZE: u32 = 12;

/// How long the details must stay on one image before its neighbours are asked for, in
/// milliseconds: paging through the grid with the arrow keys asks only for the image the
/// editor stops at.
const SETTLE_MS: f64 = 250.0;

/// A strip of an image's neighbours in the details panel, "More like this" (Getty's similar
/// images) or "Same series" (creative images of the same shoot), each opening its own details;
/// nothing until Getty answered, and nothing if it has none or could not say.
#[component]
pub fn Strip(
    /// Which neighbours.
    kind: Neighbours,
    /// Whose.
    image: SharedImage,
) -> impl IntoView {
    let (client, i18n) = (context::<Client>(), context::<I18n>());
    let details = context::<Details>();
    // Cancelled when the panel moves on or closes: the answer would show nowhere.
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    let controller = StoredValue::new_local(controller);
    on_cleanup(move || {
        if let Some(Some(controller)) = controller.try_update_value(Option::take) {
            controller.abort();
        }
    });
    // An action of the strip's own: it goes with the strip, and its answer with it.
    let found = RwSignal::new(Vec::<Image>::new());
    let ask = Action::new_local(move |id: &String| {
        let (client, id, signal) = (client.get_value(), id.clone(), signal.clone());
        async move {
            sleep(SETTLE_MS).await;
            if signal.as_ref().is_some_and(web_sys::AbortSignal::aborted) {
                return;
            }
            // Quietly on failure: the strip is a suggestion; the image's own details stand.
            if let Ok(page) = client
                .neighbours(&id, kind, STRIP_SIZE, signal.as_ref())
                .await
            {
                found.try_set(page.images.items);
            }
        }
    });
    ask.dispatch_local(image.id.clone());
    let heading = i18n.text(match kind {
        Neighbours::Similar => |s| &s.more_like_this,
        Neighbours::SameSeries => |s| &s.same_series,
    });
    move || {
        let images = found.get();
        if images.is_empty() {
            return None;
        }
        let items = images
            .into_iter()
            .map(|image| view! { <StripItem image=image.into() details /> })
            .collect_view();
        Some(view! {
            <section class="gp-strip" aria-label=heading.clone()>
                <h3 class="gp-strip-title">{heading.clone()}</h3>
                <ul class="gp-strip-list">{items}</ul>
            </section>
        })
    }
}

/// One neighbour: its thumbnail, a button that opens its details.
#[component]
fn StripItem(
    /// The neighbour.
    image: SharedImage,
    /// The panel it opens in.
    details: Details,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let thumb = image
        .display_uri("thumb")
        .filter(|uri| is_http_url(uri))
        .map(|uri| view! { <img src=uri.to_owned() alt="" loading="lazy" /> });
    view! {
        <li>
            <button
                class="gp-strip-item"
                type="button"
                aria-label=title
                on:click=move |_| details.open(image.clone(), None)
            >
                {thumb}
            </button>
        </li>
    }
}
