use leptos::prelude::*;

use super::I18n;
use crate::getty::{AssetFamily, FilterKind, Filters};
use crate::i18n::fill;

/// Compact filter controls plus the active filters as removable chips.
#[component]
pub fn FilterBar(
    /// The filters; every change starts a new search from page 1.
    filters: RwSignal<Filters>,
    /// Called after each change.
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let change = move |edit: Box<dyn FnOnce(&mut Filters)>| {
        filters.update(|filters| edit(filters));
        on_change.run(());
    };

    let family_options = AssetFamily::ALL
        .into_iter()
        .map(|family| {
            let label = match family {
                AssetFamily::All => i18n.text(|s| &s.family_all),
                AssetFamily::Creative => i18n.text(|s| &s.family_creative),
                AssetFamily::Editorial => i18n.text(|s| &s.family_editorial),
            };
            view! {
                <option
                    value=family.as_str()
                    selected=move || filters.with(|f| f.family == family)
                >
                    {label}
                </option>
            }
        })
        .collect_view();

    let selects = FilterKind::ALL
        .into_iter()
        .map(|kind| {
            move || {
                let family = filters.with(|f| f.family);
                kind.applies_to(family).then(|| {
                    let options = kind
                        .values(family)
                        .iter()
                        .map(|value| {
                            view! {
                                <option
                                    value=*value
                                    selected=move || filters.with(|f| f.get(kind) == Some(*value))
                                >
                                    {i18n.with_value(|s| s.value_label(value))}
                                </option>
                            }
                        })
                        .collect_view();
                    view! {
                        <label class="gp-filter">
                            <span class="gp-filter-label">{filter_label(&i18n, kind)}</span>
                            <select
                                class=format!("gp-filter-select gp-filter-{}", kind.param())
                                on:change=move |event| {
                                    let value = event_target_value(&event);
                                    change(Box::new(move |f| f.set(kind, Some(&value))));
                                }
                            >
                                <option value="" selected=move || filters.with(|f| f.get(kind).is_none())>
                                    {i18n.text(|s| &s.any)}
                                </option>
                                {options}
                            </select>
                        </label>
                    }
                })
            }
        })
        .collect_view();

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
            .map(|(chip, label)| {
                let name = fill(&i18n.text(|s| &s.remove_filter), &[("filter", &label)]);
                view! {
                    <li class="gp-chip">
                        <span>{label}</span>
                        <button
                            class="gp-chip-remove"
                            type="button"
                            aria-label=name
                            on:click=move |_| change(Box::new(move |f| chip.remove(f)))
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="gp-filters" role="group" aria-label=i18n.text(|s| &s.filters_label)>
            <label class="gp-filter">
                <span class="gp-filter-label">{i18n.text(|s| &s.family_label)}</span>
                <select
                    class="gp-filter-select gp-filter-family"
                    on:change=move |event| {
                        let family = AssetFamily::parse(&event_target_value(&event)).unwrap_or_default();
                        change(Box::new(move |f| f.family = family));
                    }
                >
                    {family_options}
                </select>
            </label>
            {selects}
            <label class="gp-filter gp-check">
                <input
                    type="checkbox"
                    class="gp-filter-nudity"
                    prop:checked=move || filters.with(|f| f.exclude_nudity)
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        change(Box::new(move |f| f.exclude_nudity = on));
                    }
                />
                <span>{i18n.text(|s| &s.exclude_nudity)}</span>
            </label>
            <label class="gp-filter gp-check">
                <input
                    type="checkbox"
                    class="gp-filter-safe"
                    prop:checked=move || filters.with(|f| f.safe_search)
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        change(Box::new(move |f| f.safe_search = on));
                    }
                />
                <span>{i18n.text(|s| &s.safe_search)}</span>
            </label>
        </div>
        <ul class="gp-chips" aria-label=i18n.text(|s| &s.filters_label)>
            {chips}
        </ul>
    }
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
