//! One integration's tab: its typed fields as a form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use parley_domain::IntegrationId;
use parley_domain::integration::{FieldType, Integration, IntegrationField, IntegrationUpdate};

use super::SaveIntegration;

pub(super) fn values_of(integration: &Integration) -> BTreeMap<String, String> {
    integration.fields.iter().map(|f| (f.key.clone(), f.value.clone().unwrap_or_default())).collect()
}

/// One integration's typed fields as a form, saved together. `form` is the integration
/// without values; `values` are the stored ones, which replace the inputs when they change.
#[component]
pub(super) fn IntegrationForm(
    form: Integration,
    #[prop(into)] values: Signal<BTreeMap<String, String>>,
    on_save: SaveIntegration,
) -> impl IntoView {
    let t = crate::i18n::t();
    let integration = form;
    let stored = values;
    let values = RwSignal::new(stored.get_untracked());
    Effect::new(move |_| values.set(stored.get()));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let saving = on_save.pending;
    on_save.on_result(move |outcome| {
        saved.set(outcome.is_ok());
        error.set(outcome.err());
    });
    let id = integration.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let update = IntegrationUpdate {
            values: values.with_untracked(|v| {
                v.iter().map(|(k, v)| (k.clone(), (!v.trim().is_empty()).then(|| v.clone()))).collect()
            }),
        };
        saved.set(false);
        on_save.run.run((id.clone(), update));
    };
    let name = integration.name.clone();
    let fields = integration
        .fields
        .into_iter()
        .map(|field| integration_field(integration.id.clone(), field, values))
        .collect_view();
    view! {
        <form class="contact-sidebar__form" aria-label=name on:submit=submit>
            {fields}
            {move || error.get().map(|e| view! { <p class="contact-sidebar__error" role="alert">{e}</p> })}
            <p class="contact-sidebar__muted" role="status">
                {move || saved.get().then_some(t.saved)}
            </p>
            <div class="contact-sidebar__actions">
                <button type="submit" class="button button--primary" disabled=saving>
                    {t.save}
                </button>
            </div>
        </form>
    }
}

fn integration_field(
    integration: IntegrationId,
    field: IntegrationField,
    values: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let id = format!("integration-{integration}-{}", field.key);
    let key = field.key.clone();
    let value = {
        let key = key.clone();
        move || values.with(|v| v.get(&key).cloned().unwrap_or_default())
    };
    let set = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        values.update(|values| {
            values.insert(key.clone(), v);
        });
    };
    let input = match field.kind {
        FieldType::Select { options } => view! {
            <select id=id.clone() class="contact-sidebar__input" on:change=set>
                <option value="" prop:selected={
                    let value = value.clone();
                    move || value().is_empty()
                }>"—"</option>
                {options
                    .into_iter()
                    .map(|o| {
                        let current = {
                            let o = o.clone();
                            let value = value.clone();
                            move || value() == o
                        };
                        view! { <option value=o.clone() prop:selected=current>{o.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            // Numbers stay text so that the server's sentence, not the browser, explains a typo.
            let (kind, mode) = match kind {
                FieldType::Date => ("date", "text"),
                FieldType::Number => ("text", "decimal"),
                _ => ("text", "text"),
            };
            view! {
                <input id=id.clone() class="contact-sidebar__input" type=kind inputmode=mode prop:value=value on:input=set />
            }
            .into_any()
        }
    };
    view! {
        <label class="contact-sidebar__label" for=id>{field.label}</label>
        {input}
    }
}
