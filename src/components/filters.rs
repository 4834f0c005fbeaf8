use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use super::{Ctx, I18n};
use crate::dom::El;
use crate::getty::{AssetFamily, FilterKind, Filters};
use crate::i18n::fill;

/// Compact filter controls plus the active filters as removable chips. Every change to
/// `filters` made here is followed by `on_change` (which starts a new search from page 1).
pub fn filter_bar(
    ctx: Ctx,
    filters: RwSignal<Filters>,
    on_change: impl Fn() + Copy + 'static,
) -> [El; 2] {
    let i18n = ctx.i18n;
    let change = move |edit: &dyn Fn(&mut Filters)| {
        filters.update(|filters| edit(filters));
        on_change();
    };
    // The selects that apply depend on the family only: rebuilt when it changes, not on every
    // filter change (which would take focus from the select just used).
    let family = Memo::new(move |_| filters.with(|f| f.family));

    let family_options = AssetFamily::ALL.into_iter().map(|family| {
        let label = match family {
            AssetFamily::All => i18n.text(|s| &s.family_all),
            AssetFamily::Creative => i18n.text(|s| &s.family_creative),
            AssetFamily::Editorial => i18n.text(|s| &s.family_editorial),
        };
        option(family.as_str(), &label)
    });
    let family_select = El::new("select")
        .class("gp-filter-select gp-filter-family")
        .children(family_options)
        .bind_prop("value", move || family.get().as_str().into())
        .on("change", move |event| {
            let family = AssetFamily::parse(&event_target_value(&event)).unwrap_or_default();
            change(&|f| f.family = family);
        });

    // Where focus goes when the last chip is removed.
    let first_control = family_select.element().clone();
    let mut bar = El::new("div")
        .class("gp-filters")
        .attr("role", "group")
        .attr("aria-label", &i18n.text(|s| &s.filters_label))
        .child(labelled(&i18n.text(|s| &s.family_label), family_select));
    for kind in FilterKind::ALL {
        bar = bar.bind_child(move || {
            let family = family.get();
            kind.applies_to(family).then(|| {
                let options = kind
                    .values(family)
                    .iter()
                    .map(|value| option(value, &i18n.with_value(|s| s.value_label(value))));
                let select = El::new("select")
                    .class(&format!("gp-filter-select gp-filter-{}", kind.param()))
                    .child(option("", &i18n.text(|s| &s.any)))
                    .children(options)
                    // What Getty will apply: a value kept from another family shows as "any".
                    .bind_prop("value", move || {
                        filters
                            .with(|f| f.active_value(kind).unwrap_or_default())
                            .into()
                    })
                    .on("change", move |event| {
                        let value = event_target_value(&event);
                        change(&|f| f.set(kind, Some(&value)));
                    });
                labelled(&filter_label(&i18n, kind), select)
            })
        });
    }
    let bar = bar
        .child(checkbox(
            "gp-filter-nudity",
            &i18n.text(|s| &s.exclude_nudity),
            move || filters.with(|f| f.exclude_nudity),
            move |on| change(&|f| f.exclude_nudity = on),
        ))
        .child(checkbox(
            "gp-filter-safe",
            &i18n.text(|s| &s.safe_search),
            move || filters.with(|f| f.safe_search),
            move |on| change(&|f| f.safe_search = on),
        ));

    let list = El::new("ul")
        .class("gp-chips")
        .attr("aria-label", &i18n.text(|s| &s.filters_label));
    let chip_list = list.element().clone();
    let chips = move || {
        let chips = filters.with(|f| {
            let mut chips: Vec<(Chip, String)> = f
                .active()
                .map(|(kind, value)| {
                    let label = format!(
                        "{}: {}",
                        filter_label(&i18n, kind),
                        i18n.with_value(|s| s.value_label(value))
                    );
                    (Chip::Choice(kind), label)
                })
                .collect();
            if f.exclude_nudity {
                chips.push((Chip::ExcludeNudity, i18n.text(|s| &s.exclude_nudity)));
            }
            if f.safe_search {
                chips.push((Chip::SafeSearch, i18n.text(|s| &s.safe_search)));
            }
            chips
        });
        chips
            .into_iter()
            .enumerate()
            .map(|(place, (chip, label))| {
                let name = fill(&i18n.text(|s| &s.remove_filter), &[("filter", &label)]);
                let (chip_list, first_control) = (chip_list.clone(), first_control.clone());
                El::new("li")
                    .class("gp-chip")
                    .child(El::new("span").text(&label))
                    .child(
                        El::new("button")
                            .class("gp-chip-remove")
                            .attr("type", "button")
                            .attr("aria-label", &name)
                            .text("×")
                            .on("click", move |_| {
                                change(&|f| chip.remove(f));
                                // The chips are rebuilt on the microtask queue; then keep the
                                // keyboard where it was, on the chip now in this place.
                                let (list, fallback) = (chip_list.clone(), first_control.clone());
                                set_timeout(
                                    move || focus_chip(&list, place, &fallback),
                                    Duration::ZERO,
                                );
                            }),
                    )
            })
            .collect()
    };
    [bar, list.bind_children(chips)]
}

/// Focuses the remove button of the chip at `place` in `list` (or the last one), or `fallback`
/// when no chip is left.
fn focus_chip(list: &Element, place: usize, fallback: &Element) {
    let buttons = list.query_selector_all(".gp-chip-remove").ok();
    let count = buttons.as_ref().map_or(0, |buttons| buttons.length());
    let target = match &buttons {
        Some(buttons) if count > 0 => {
            buttons.item(u32::try_from(place).unwrap_or(u32::MAX).min(count - 1))
        }
        _ => Some(fallback.clone().into()),
    };
    if let Some(target) = target.and_then(|node| node.dyn_into::<HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

/// `<option value=…>label</option>`.
fn option(value: &str, label: &str) -> El {
    El::new("option").attr("value", value).text(label)
}

/// A filter control with its visible label.
fn labelled(label: &str, control: El) -> El {
    El::new("label")
        .class("gp-filter")
        .child(El::new("span").class("gp-filter-label").text(label))
        .child(control)
}

/// A checkbox filter showing `checked()` and reporting the editor's changes to `set`.
fn checkbox(
    class: &str,
    label: &str,
    checked: impl Fn() -> bool + 'static,
    set: impl Fn(bool) + 'static,
) -> El {
    let input = El::new("input")
        .attr("type", "checkbox")
        .class(class)
        .bind_prop("checked", move || checked().into())
        .on("change", move |event| set(event_target_checked(&event)));
    El::new("label")
        .class("gp-filter gp-check")
        .child(input)
        .child(El::new("span").text(label))
}

/// An active filter shown as a removable chip.
#[derive(Debug, Clone, Copy)]
enum Chip {
    Choice(FilterKind),
    ExcludeNudity,
    SafeSearch,
}

impl Chip {
    fn remove(self, filters: &mut Filters) {
        match self {
            Self::Choice(kind) => filters.set(kind, None),
            Self::ExcludeNudity => filters.exclude_nudity = false,
            Self::SafeSearch => filters.safe_search = false,
        }
    }
}

fn filter_label(i18n: &I18n, kind: FilterKind) -> String {
    i18n.with_value(|s| match kind {
        FilterKind::SortOrder => s.sort_order.to_string(),
        FilterKind::Orientation => s.orientations.to_string(),
        FilterKind::NumberOfPeople => s.number_of_people.to_string(),
        FilterKind::GraphicalStyle => s.graphical_styles.to_string(),
    })
}
