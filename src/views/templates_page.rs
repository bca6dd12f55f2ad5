//! `/settings/templates`: the message templates the composer offers once a channel's
//! service window has closed. Owners, managers and holders of the permission add,
//! approve and delete them (checked with the domain's `template::validate` before
//! sending, so the refusal is in the agent's language, and by the server); others read them.

use leptos::prelude::*;
use parley_domain::template::{Category, validate};
use parley_domain::wire::{MessageTemplate, TemplateInput};

use super::{RequireSession, SettingsTop, loaded_list};
use crate::store::{describe, form_error, on_answer, use_outreach};

#[component]
pub fn TemplatesPage() -> impl IntoView {
    view! {
        <RequireSession>
            <TemplateSettings />
        </RequireSession>
    }
}

const CATEGORIES: [Category; 3] = [Category::Utility, Category::Marketing, Category::Authentication];

#[component]
fn TemplateSettings() -> impl IntoView {
    let t = crate::i18n::t();
    let outreach = use_outreach();
    outreach.load();
    let list = outreach.templates();
    let can_edit = outreach.can_manage();
    let (save, delete) = (outreach.save, outreach.delete);
    let name = RwSignal::new(String::new());
    let language = RwSignal::new(String::from("en"));
    let category = RwSignal::new(Category::Utility);
    let body = RwSignal::new(String::new());
    let approved = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    on_answer(save, move |answer| match answer {
        Ok(_) => {
            error.set(None);
            name.set(String::new());
            body.set(String::new());
        }
        Err(e) => error.set(Some(form_error(&e))),
    });
    on_answer(delete, move |answer| {
        if let Err(e) = answer {
            error.set(Some(describe(&e)));
        }
    });
    let add = move || {
        let input = TemplateInput {
            name: name.get_untracked(),
            language: language.get_untracked().trim().to_owned(),
            category: category.get_untracked(),
            body: body.get_untracked(),
            approved: approved.get_untracked(),
        };
        match validate(&input.name, &input.language, &input.body) {
            Ok(_) => {
                error.set(None);
                save.dispatch((None, input));
            }
            Err(e) => error.set(Some((t.template_problem)(&e))),
        }
    };

    let row = move |tp: MessageTemplate| {
        let status = if tp.approved { t.template_approved } else { t.template_not_approved };
        let details = format!("{} · {} · {status}", tp.language, (t.template_category_name)(tp.category));
        let remove = can_edit.get_untracked().then(|| {
            let id = tp.id.clone();
            view! {
                <button
                    type="button"
                    class="button button--small"
                    aria-label=(t.delete_named)(&tp.name)
                    on:click=move |_| {
                        error.set(None);
                        delete.dispatch(id.clone());
                    }
                >
                    {t.delete}
                </button>
            }
        });
        view! {
            <li class="reason-row template-row">
                <div>
                    <span class="reason-row__name">{tp.name.clone()}</span>
                    " "
                    <span class="template-row__details">{details}</span>
                    <p class="template-row__body">{tp.body.clone()}</p>
                </div>
                {remove}
            </li>
        }
    };
    let shown = loaded_list(list, t.loading_templates, t.no_templates, move |all| {
        view! { <ul class="reason-list" aria-label=t.templates>{all.into_iter().map(row).collect_view()}</ul> }
    });

    let form = move || {
        can_edit.get().then(|| {
            let categories = CATEGORIES
                .into_iter()
                .map(|c| view! { <option value=c.wire_name()>{(t.template_category_name)(c)}</option> })
                .collect_view();
            view! {
                <form
                    class="template-add"
                    aria-label=t.new_template
                    on:submit=move |ev| {
                        ev.prevent_default();
                        add();
                    }
                >
                    <label class="field">
                        <span class="field__label">{t.template_name}</span>
                        <input type="text" bind:value=name />
                    </label>
                    <label class="field">
                        <span class="field__label">{t.template_language}</span>
                        <input type="text" bind:value=language />
                    </label>
                    <label class="field">
                        <span class="field__label">{t.template_category}</span>
                        <select on:change=move |ev| {
                            if let Some(c) = Category::from_wire_name(&event_target_value(&ev)) {
                                category.set(c);
                            }
                        }>{categories}</select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t.template_body}</span>
                        <textarea rows="3" bind:value=body></textarea>
                    </label>
                    <label class="field field--inline">
                        <input type="checkbox" bind:checked=approved />
                        {t.template_approved}
                    </label>
                    <button type="submit" class="button button--primary" disabled=save.pending()>
                        {t.add_template}
                    </button>
                </form>
            }
        })
    };

    view! {
        <main class="settings">
            <SettingsTop title=t.templates />
            <p>{move || if can_edit.get() { t.templates_hint } else { t.templates_read_only }}</p>
            {form}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {shown}
        </main>
    }
}
