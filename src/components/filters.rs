use std::time::Duration;

use leptos::html::{Select, Ul};
use leptos::prelude::*;

use crate::components::context;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use super::I18n;
use crate::getty::query::Toggle;
use crate::getty::{AssetFamily, FilterKind, Filters};
use crate::i18n::fill;

/// Compact filter controls plus the active filters as removable chips. Only what the chosen
/// family's endpoint takes is offered and shown active; the rest of the editor's choices wait,
/// hidden, until a family that takes them is chosen again.
#[component]
pub fn FilterBar(
    /// The filters.
    filters: RwSignal<Filters>,
    /// Called after every change made here (it starts a new search from page 1).
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = context::<I18n>();
    // The controls that apply depend on the family only: rebuilt when it changes, not on every
    // filter change (which would take focus from the select just used).
    let family = Memo::new(move |_| filters.with(|f| f.family));
    let label = i18n.text(|s| &s.filters_label);
    let family_select = NodeRef::<Select>::new();
    let choices = FilterKind::ALL
        .into_iter()
        .map(|kind| view! { <ChoiceFilter kind family filters on_change /> })
        .collect_view();
    let toggles = Toggle::ALL
        .into_iter()
        .map(|toggle| view! { <ToggleFilter toggle family filters on_change /> })
        .collect_view();
    view! {
        <div class="gp-filters" role="group" aria-label=label.clone()>
            <FamilyFilter family filters on_change select=family_select />
            {choices}
            {toggles}
        </div>
        <Chips filters on_change label fallback=family_select />
    }
}

/// Applies `edit` to `filters`, then tells `on_change`.
fn edit(filters: RwSignal<Filters>, on_change: impl Fn(), edit: impl FnOnce(&mut Filters)) {
    filters.update(edit);
    on_change();
}

/// The asset family: all, creative or editorial.
#[component]
fn FamilyFilter(
    /// The chosen family.
    family: Memo<AssetFamily>,
    /// The filters.
    filters: RwSignal<Filters>,
    /// Called after a change.
    on_change: impl Fn() + Copy + Send + Sync + 'static,
    /// The select's element (focus goes there when the last chip is removed).
    select: NodeRef<Select>,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let options = AssetFamily::ALL
        .into_iter()
        .map(|choice| {
            let label = match choice {
                AssetFamily::All => i18n.text(|s| &s.family_all),
                AssetFamily::Creative => i18n.text(|s| &s.family_creative),
                AssetFamily::Editorial => i18n.text(|s| &s.family_editorial),
            };
            view! {
                <option value=choice.as_str() prop:selected=move || family.get() == choice>
                    {label}
                </option>
            }
        })
        .collect_view();
    view! {
        <label class="gp-filter">
            <span class="gp-filter-label">{i18n.text(|s| &s.family_label)}</span>
            <select
                class="gp-filter-select gp-filter-family"
                node_ref=select
                on:change=move |event| {
                    let family = AssetFamily::parse(&event_target_value(&event)).unwrap_or_default();
                    edit(filters, on_change, |f| f.family = family);
                }
            >
                {options}
            </select>
        </label>
    }
}

/// One filter of a kind with a choice of values (sort order, orientation, …): a select of the
/// values the family's endpoint takes, or "any".
#[component]
fn ChoiceFilter(
    /// Which filter.
    kind: FilterKind,
    /// The chosen family: which values apply.
    family: Memo<AssetFamily>,
    /// The filters.
    filters: RwSignal<Filters>,
    /// Called after a change.
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = context::<I18n>();
    // What Getty will apply: a value kept from another family shows as "any".
    let shown =
        move |value: Option<&'static str>| move || filters.with(|f| f.active_value(kind) == value);
    move || {
        let options = kind
            .values(family.get())
            .iter()
            .map(|value| {
                view! {
                    <option value=*value prop:selected=shown(Some(value))>
                        {i18n.with(|s| s.value_label(value))}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label class="gp-filter">
                <span class="gp-filter-label">{filter_label(i18n, kind)}</span>
                <select
                    class=format!("gp-filter-select gp-filter-{}", kind.param())
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        edit(filters, on_change, |f| f.set(kind, Some(&value)));
                    }
                >
                    <option value="" prop:selected=shown(None)>
                        {i18n.text(|s| &s.any)}
                    </option>
                    {options}
                </select>
            </label>
        }
    }
}

/// One on/off filter, shown only for the families whose endpoint takes it.
#[component]
fn ToggleFilter(
    /// Which filter.
    toggle: Toggle,
    /// The chosen family: whether the filter applies.
    family: Memo<AssetFamily>,
    /// The filters.
    filters: RwSignal<Filters>,
    /// Called after a change.
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let label = toggle_label(context::<I18n>(), toggle);
    let class = match toggle {
        Toggle::ExcludeNudity => "gp-filter-nudity",
        Toggle::SafeSearch => "gp-filter-safe",
    };
    move || {
        toggle.applies_to(family.get()).then(|| {
            view! {
                <Checkbox
                    class
                    label=label.clone()
                    checked=move || filters.with(|f| f.is_on(toggle))
                    set=move |on| edit(filters, on_change, |f| f.turn(toggle, on))
                />
            }
        })
    }
}

/// The active filters as chips, each with a button that removes it.
#[component]
fn Chips(
    /// The filters.
    filters: RwSignal<Filters>,
    /// Called after a chip is removed.
    on_change: impl Fn() + Copy + Send + Sync + 'static,
    /// The list's accessible name.
    label: String,
    /// Where focus goes when the last chip is removed.
    fallback: NodeRef<Select>,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let list = NodeRef::<Ul>::new();
    let chips = move || {
        active_chips(i18n, filters)
            .into_iter()
            .enumerate()
            .map(|(place, (chip, label))| {
                let name = fill(&i18n.text(|s| &s.remove_filter), &[("filter", &label)]);
                let remove = move |_| {
                    edit(filters, on_change, |f| chip.remove(f));
                    // The chips are rebuilt on the microtask queue; then keep the keyboard where
                    // it was, on the chip now in this place.
                    set_timeout(move || focus_chip(list, place, fallback), Duration::ZERO);
                };
                view! {
                    <li class="gp-chip">
                        <span>{label}</span>
                        <button
                            class="gp-chip-remove"
                            type="button"
                            aria-label=name
                            on:click=remove
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul class="gp-chips" aria-label=label node_ref=list>
            {chips}
        </ul>
    }
}

/// The active filters, each with its chip's label.
fn active_chips(i18n: I18n, filters: RwSignal<Filters>) -> Vec<(Chip, String)> {
    filters.with(|f| {
        let mut chips: Vec<(Chip, String)> = f
            .active()
            .map(|(kind, value)| {
                let label = i18n.with(|s| {
                    fill(
                        &s.chip,
                        &[
                            ("filter", &filter_label(i18n, kind)),
                            ("value", &s.value_label(value)),
                        ],
                    )
                });
                (Chip::Choice(kind), label)
            })
            .collect();
        chips.extend(
            f.active_toggles()
                .map(|toggle| (Chip::Toggle(toggle), toggle_label(i18n, toggle))),
        );
        chips
    })
}

/// A checkbox filter with its visible label.
#[component]
fn Checkbox(
    /// The input's class, e.g. `gp-filter-safe`.
    class: &'static str,
    /// The visible label.
    label: String,
    /// Whether the filter is on.
    checked: impl Fn() -> bool + Send + 'static,
    /// Called with the editor's change.
    set: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <label class="gp-filter gp-check">
            <input
                type="checkbox"
                class=class
                prop:checked=checked
                on:change=move |event| set(event_target_checked(&event))
            />
            <span>{label}</span>
        </label>
    }
}

/// Focuses the remove button of the chip at `place` in `list` (or the last one), or
/// `fallback` when no chip is left.
fn focus_chip(list: NodeRef<Ul>, place: usize, fallback: NodeRef<Select>) {
    let buttons = list
        .get_untracked()
        .and_then(|list| list.query_selector_all(":scope > li > button").ok());
    let count = buttons.as_ref().map_or(0, |buttons| buttons.length());
    let target = match &buttons {
        Some(buttons) if count > 0 => buttons
            .item(u32::try_from(place).unwrap_or(u32::MAX).min(count - 1))
            .and_then(|node| node.dyn_into::<HtmlElement>().ok()),
        _ => fallback.get_untracked().map(Into::into),
    };
    if let Some(target) = target {
        let _ = target.focus();
    }
}

/// An active filter shown as a removable chip.
#[derive(Debug, Clone, Copy)]
enum Chip {
    Choice(FilterKind),
    Toggle(Toggle),
}

impl Chip {
    fn remove(self, filters: &mut Filters) {
        match self {
            Self::Choice(kind) => filters.set(kind, None),
            Self::Toggle(toggle) => filters.turn(toggle, false),
        }
    }
}

fn toggle_label(i18n: I18n, toggle: Toggle) -> String {
    i18n.with(|s| match toggle {
        Toggle::ExcludeNudity => s.exclude_nudity.to_string(),
        Toggle::SafeSearch => s.safe_search.to_string(),
    })
}

fn filter_label(i18n: I18n, kind: FilterKind) -> String {
    i18n.with(|s| match kind {
        FilterKind::SortOrder => s.sort_order.to_string(),
        FilterKind::Orientation => s.orientations.to_string(),
        FilterKind::NumberOfPeople => s.number_of_people.to_string(),
        FilterKind::GraphicalStyle => s.graphical_styles.to_string(),
    })
}
