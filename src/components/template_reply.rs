//! The reply once the service window has closed: only an approved template may go out.
//! The agent picks one (name, language, category), fills one labelled field per
//! placeholder, sees the message as it will read, and sends it (the server fills it again
//! with the same domain rule, `template::fill`). The page builds it afresh once a template
//! has gone out.

use leptos::prelude::*;
use parley_domain::TemplateId;
use parley_domain::template::{fill, placeholders};
use parley_domain::wire::MessageTemplate;

#[component]
pub fn TemplateReply(
    /// Every template once loaded (`Err`: why not); the approved ones are offered.
    #[prop(into)]
    templates: Signal<Option<Result<Vec<MessageTemplate>, String>>>,
    /// Sends the template with its values, value 1 first.
    on_send: Callback<(TemplateId, Vec<String>)>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let approved = Memo::new(move |_| {
        templates.with(|l| match l {
            Some(Ok(all)) => Some(Ok(all.iter().filter(|t| t.approved).cloned().collect::<Vec<_>>())),
            Some(Err(why)) => Some(Err(why.clone())),
            None => None,
        })
    });
    let chosen = RwSignal::new(None::<TemplateId>);
    let values = RwSignal::new(Vec::<String>::new());
    let template = Memo::new(move |_| {
        let id = chosen.get()?;
        approved.with(|a| a.as_ref()?.as_ref().ok()?.iter().find(|t| t.id == id).cloned())
    });
    // A new template: as many empty values as it has placeholders.
    Effect::new(move |_| {
        let count = template.with(|t| t.as_ref().map_or(0, |t| placeholders(&t.body).unwrap_or(0)));
        values.set(vec![String::new(); count as usize]);
    });
    // What the contact will read: the values so far in place of their placeholders.
    let preview = move || {
        let template = template.get()?;
        let given = values.get();
        let shown = given
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .fold(template.body.clone(), |body, (i, v)| body.replace(&format!("{{{{{}}}}}", i + 1), v));
        Some(shown)
    };
    let ready = move || {
        template.with(|t| t.as_ref().is_some_and(|t| values.with(|v| fill(&t.body, v).is_ok()))) && !pending.get()
    };
    // Rebuilt for another template, not at each key press (the field keeps the focus).
    let count = Memo::new(move |_| values.with(Vec::len));
    let fields = move || {
        (0..count.get())
            .map(|i| {
                view! {
                    <label class="field">
                        <span class="field__label">{(t.placeholder_value)(i as u32 + 1)}</span>
                        <input
                            type="text"
                            prop:value=move || values.with(|v| v.get(i).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let typed = event_target_value(&ev);
                                values.update(|v| {
                                    if let Some(slot) = v.get_mut(i) {
                                        *slot = typed;
                                    }
                                });
                            }
                        />
                    </label>
                }
            })
            .collect_view()
    };
    let choices = move || match approved.get() {
        None => view! { <p role="status">{t.loading_templates}</p> }.into_any(),
        Some(Err(why)) => view! { <p role="alert" class="error-text">{why}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p role="status">{t.no_approved_templates}</p> }.into_any(),
        Some(Ok(list)) => {
            let options = list
                .into_iter()
                .map(|tp| {
                    let label = format!("{} · {} · {}", tp.name, tp.language, (t.template_category_name)(tp.category));
                    let selected = chosen.with_untracked(|c| c.as_ref() == Some(&tp.id));
                    view! { <option value=tp.id.to_string() selected=selected>{label}</option> }
                })
                .collect_view();
            view! {
                <label class="field">
                    <span class="field__label">{t.template}</span>
                    <select on:change=move |ev| {
                        let id = event_target_value(&ev);
                        chosen.set((!id.is_empty()).then(|| TemplateId::new(id)));
                    }>
                        <option value="">{t.choose_template}</option>
                        {options}
                    </select>
                </label>
            }
            .into_any()
        }
    };
    view! {
        <form
            class="template-reply"
            aria-label=t.send_template
            on:submit=move |ev| {
                ev.prevent_default();
                if ready() && let Some(id) = chosen.get_untracked() {
                    on_send.run((id, values.get_untracked()));
                }
            }
        >
            {choices}
            {fields}
            {move || {
                preview()
                    .map(|text| {
                        view! {
                            <div class="template-reply__preview">
                                <span class="field__label" id="template-preview-label">{t.template_preview}</span>
                                <p aria-labelledby="template-preview-label" role="note">{text}</p>
                            </div>
                        }
                    })
            }}
            {move || {
                template
                    .with(Option::is_some)
                    .then(|| {
                        view! {
                            <button type="submit" class="button button--primary" disabled=move || !ready()>
                                {t.send_template}
                            </button>
                        }
                    })
            }}
        </form>
    }
}
