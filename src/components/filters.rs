use std::time::Duration;

use leptos::html::{Select, Ul};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use super::{use_ctx, I18n};
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
    let i18n = use_ctx().i18n;
    let change = move |edit: &dyn Fn(&mut Filters)| {
        filters.update(|filters| edit(filters));
        on_change();
    };
    // The selects that apply depend on the family only: rebuilt when it changes, not on every
    // filter change (which would take focus from the select just used).
    let family = Memo::new(move |_| filters.with(|f| f.family));
    let family_label = i18n.text(|s| &s.family_label);
    let filters_label = i18n.text(|s| &s.filters_label);

    let family_options = AssetFamily::ALL
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

    let selects: Vec<_> = FilterKind::ALL
        .into_iter()
        .map(|kind| {
            move || {
                let family = family.get();
                // What Getty will apply: a value kept from another family shows as "any".
                let shown = move |value: Option<&'static str>| {
                    move || filters.with(|f| f.active_value(kind) == value)
                };
                let options = kind
                    .values(family)
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
                                change(&|f| f.set(kind, Some(&value)));
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
        })
        .collect();

    let checkboxes: Vec<_> = Toggle::ALL
        .into_iter()
        .map(|toggle| {
            move || {
                toggle.applies_to(family.get()).then(|| {
                    view! {
                        <Checkbox
                            class=match toggle {
                                Toggle::ExcludeNudity => "gp-filter-nudity",
                                Toggle::SafeSearch => "gp-filter-safe",
                            }
                            label=toggle_label(i18n, toggle)
                            checked=move || filters.with(|f| f.is_on(toggle))
                            set=move |on| change(&|f| f.turn(toggle, on))
                        />
                    }
                })
            }
        })
        .collect();

    let chip_list = NodeRef::<Ul>::new();
    let family_select = NodeRef::<Select>::new();
    let chips = move || {
        let chips = filters.with(|f| {
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
        });
        chips
            .into_iter()
            .enumerate()
            .map(|(place, (chip, label))| {
                let name = fill(&i18n.text(|s| &s.remove_filter), &[("filter", &label)]);
                let remove = move |_| {
                    change(&|f| chip.remove(f));
                    // The chips are rebuilt on the microtask queue; then keep the keyboard where
                    // it was, on the chip now in this place.
                    set_timeout(
                        move || focus_chip(chip_list, place, family_select),
                        Duration::ZERO,
                    );
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
        <div class="gp-filters" role="group" aria-label=filters_label.clone()>
            <label class="gp-filter">
                <span class="gp-filter-label">{family_label}</span>
                <select
                    class="gp-filter-select gp-filter-family"
                    node_ref=family_select
                    on:change=move |event| {
                        let family = AssetFamily::parse(&event_target_value(&event))
                            .unwrap_or_default();
                        change(&|f| f.family = family);
                    }
                >
                    {family_options}
                </select>
            </label>
            {selects}
            {checkboxes}
        </div>
        <ul class="gp-chips" aria-label=filters_label node_ref=chip_list>
            {chips}
        </ul>
    }
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
        .and_then(|list| list.query_selector_all(".gp-chip-remove").ok());
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
