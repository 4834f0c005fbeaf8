//! What the chosen product wants sent with a download: a project code, a note.

use leptos::either::Either;
use leptos::prelude::*;

use crate::components::context;

use super::Control;
use crate::components::I18n;

/// The fields the chosen product requires, asked before anything is spent.
#[component]
pub fn RequirementFields(
    /// The control it belongs to.
    control: Control,
    /// The project code entered or chosen.
    project_code: RwSignal<String>,
    /// The note entered.
    notes: RwSignal<String>,
) -> impl IntoView {
    // A memo, so the fields are rebuilt only when what is required changes (not when a
    // download counts the product down, which would drop a half-typed note's focus).
    let required = Memo::new(move |_| {
        control
            .chosen()
            .map(|offer| offer.requirements())
            .unwrap_or_default()
    });
    move || {
        let requirements = required.get();
        let code = requirements.is_project_code_required.then(|| {
            view! { <ProjectCodeField codes=requirements.project_codes project_code /> }
        });
        let note = requirements
            .is_note_required
            .then(|| view! { <NoteField notes /> });
        (code, note)
    }
}

/// The project code: typed, or chosen from the product's list when it has one.
#[component]
pub fn ProjectCodeField(
    /// The product's project codes; empty when any code may be typed.
    codes: Vec<String>,
    /// The code entered or chosen.
    project_code: RwSignal<String>,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let field = if codes.is_empty() {
        Either::Left(view! {
            <input
                class="gp-project-code"
                type="text"
                prop:value=move || project_code.get()
                on:input=move |event| project_code.set(event_target_value(&event))
            />
        })
    } else {
        let current = project_code.get_untracked();
        let options = codes
            .into_iter()
            .map(|code| {
                let (selected, value) = (code == current, code.clone());
                view! { <option value=value selected=selected>{code}</option> }
            })
            .collect_view();
        Either::Right(view! {
            <select
                class="gp-project-code"
                on:change=move |event| project_code.set(event_target_value(&event))
            >
                <option value="">{i18n.text(|s| &s.choose_code)}</option>
                {options}
            </select>
        })
    };
    view! {
        <label class="gp-requirement">
            <span>{i18n.text(|s| &s.project_code)}</span>
            {field}
        </label>
    }
}

/// The note the product requires.
#[component]
pub fn NoteField(
    /// The note entered.
    notes: RwSignal<String>,
) -> impl IntoView {
    let i18n = context::<I18n>();
    view! {
        <label class="gp-requirement">
            <span>{i18n.text(|s| &s.notes)}</span>
            <input
                class="gp-notes"
                type="text"
                prop:value=move || notes.get()
                on:input=move |event| notes.set(event_target_value(&event))
            />
        </label>
    }
}
