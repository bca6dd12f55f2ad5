//! The contact's fields, read-only until "Edit contact" turns them into a form.

use leptos::prelude::*;
use parley_domain::Contact;
use parley_domain::wire::Member;

use super::form::ContactForm;
use super::{SaveContact, focus_id};

/// The contact's fields, read-only until "Edit contact" turns them into a form.
#[component]
pub(super) fn ContactFields(
    contact: Signal<Contact>,
    members: Signal<Vec<Member>>,
    on_save: Option<SaveContact>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let editing = RwSignal::new(false);
    let optional =
        move |f: fn(&Contact) -> Option<String>| move || contact.with(|c| f(c).unwrap_or_else(|| "—".into()));
    let assignee_name = move || {
        contact.with(|c| match &c.assignee {
            None => t.unassigned.to_owned(),
            Some(id) => members
                .with(|m| m.iter().find(|m| &m.id == id).map(|m| m.name.clone()))
                .unwrap_or_else(|| id.to_string()),
        })
    };
    let read_only = move || {
        view! {
            <dl class="contact-sidebar__details">
                <dt>{t.phone}</dt>
                <dd>{optional(|c| c.phone.clone())}</dd>
                <dt>{t.email}</dt>
                <dd>{optional(|c| c.email.clone())}</dd>
                <dt>{t.country}</dt>
                <dd>{optional(|c| c.country.clone())}</dd>
                <dt>{t.language}</dt>
                <dd>{optional(|c| c.language.clone())}</dd>
                <dt>{t.tags}</dt>
                <dd>
                    {move || {
                        contact
                            .with(|c| {
                                if c.tags.is_empty() {
                                    return "—".into_any();
                                }
                                view! {
                                    <ul class="contact-sidebar__tags" aria-label=t.tags>
                                        {c.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            })
                    }}
                </dd>
                <dt class="contact-sidebar__wide">{t.custom_attributes}</dt>
                <dd class="contact-sidebar__wide">
                    {move || {
                        contact
                            .with(|c| {
                                if c.attributes.is_empty() {
                                    return "—".into_any();
                                }
                                view! {
                                    <table class="contact-sidebar__attributes" aria-label=t.custom_attributes>
                                        <tbody>
                                            {c
                                                .attributes
                                                .iter()
                                                .map(|(k, v)| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{k.clone()}</th>
                                                            <td>{v.clone()}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            })
                    }}
                </dd>
                <dt>{t.assignee}</dt>
                <dd>{assignee_name}</dd>
            </dl>
            {on_save
                .map(|_| {
                    view! {
                        <button
                            type="button"
                            class="button contact-sidebar__edit"
                            id="contact-edit"
                            on:click=move |_| editing.set(true)
                        >
                            {t.edit_contact}
                        </button>
                    }
                })}
        }
    };
    move || match on_save.filter(|_| editing.get()) {
        Some(on_save) => {
            let done = Callback::new(move |()| {
                editing.set(false);
                request_animation_frame(|| focus_id("contact-edit"));
            });
            view! { <ContactForm contact on_save done /> }.into_any()
        }
        None => read_only().into_any(),
    }
}
