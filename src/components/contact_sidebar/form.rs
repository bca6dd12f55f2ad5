//! The contact edit form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use parley_domain::Contact;
use parley_domain::contact_fields::{COUNTRIES, LANGUAGES};
use parley_domain::wire::ContactPatch;

use super::{SaveContact, focus_id};

/// The edit form: every field at once, saved together (the server saves all or nothing).
#[component]
pub(super) fn ContactForm(contact: Signal<Contact>, on_save: SaveContact, done: Callback<()>) -> impl IntoView {
    let t = crate::i18n::t();
    let initial = contact.get_untracked();
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    let name = RwSignal::new(initial.name.clone());
    let phone = text(&initial.phone);
    let email = text(&initial.email);
    let country = text(&initial.country);
    let language = text(&initial.language);
    let tags = RwSignal::new(initial.tags.join(", "));
    // One (name, value) pair of signals per row: typing changes a row, not the list.
    let attributes = RwSignal::new(
        initial
            .attributes
            .iter()
            .map(|(k, v)| (RwSignal::new(k.clone()), RwSignal::new(v.clone())))
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let saving = on_save.pending;
    on_save.on_result(move |outcome| match outcome {
        Ok(()) => done.run(()),
        Err(message) => error.set(Some(message)),
    });
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The server checks names and values; two rows with one name would collapse into
        // one here, so that is refused before sending (blank rows are left out).
        let mut sent = BTreeMap::new();
        for (key, value) in attributes.get_untracked() {
            let (key, value) = (key.get_untracked().trim().to_owned(), value.get_untracked());
            if (key.is_empty() && value.trim().is_empty()) || sent.insert(key.clone(), value).is_none() {
                continue;
            }
            error.set(Some((t.attribute_twice)(&key)));
            return;
        }
        let patch = ContactPatch {
            name: Some(name.get_untracked()),
            phone: Some(phone.get_untracked()),
            email: Some(email.get_untracked()),
            country: Some(country.get_untracked()),
            language: Some(language.get_untracked()),
            tags: Some(tags.get_untracked().split(',').map(str::to_owned).collect()),
            attributes: Some(sent),
        };
        error.set(None);
        on_save.run.run(patch);
    };
    let field = move |id: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class="contact-sidebar__label" for=id>{label}</label>
            <input
                id=id
                class="contact-sidebar__input"
                type=kind
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    // A code field with the ISO codes as suggestions (free text: the domain checks it).
    let suggested = move |id: &'static str,
                          label: &'static str,
                          value: RwSignal<String>,
                          list: &'static str,
                          codes: &'static [&'static str]| {
        view! {
            <label class="contact-sidebar__label" for=id>{label}</label>
            <input
                id=id
                class="contact-sidebar__input"
                list=list
                autocomplete="off"
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <datalist id=list>{codes.iter().map(|c| view! { <option value=*c></option> }).collect_view()}</datalist>
        }
    };
    view! {
        <form class="contact-sidebar__form" aria-label=t.edit_contact on:submit=submit>
            <label class="contact-sidebar__label" for="contact-name">{t.name}</label>
            <input
                id="contact-name"
                class="contact-sidebar__input"
                node_ref=first
                prop:value=name
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            {field("contact-phone", t.phone, phone, "tel")}
            {field("contact-email", t.email, email, "email")}
            {suggested("contact-country", t.country, country, "contact-countries", COUNTRIES)}
            {suggested("contact-language", t.language, language, "contact-languages", LANGUAGES)}
            {field("contact-tags", t.tags, tags, "text")}
            <fieldset class="contact-sidebar__fieldset">
                <legend class="contact-sidebar__label">{t.custom_attributes}</legend>
                {move || {
                    attributes
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, (key, value))| {
                            let remove = move |_| {
                                attributes.update(|a| {
                                    a.remove(i);
                                });
                                request_animation_frame(|| focus_id("contact-attribute-add"));
                            };
                            view! {
                                <div class="contact-sidebar__attribute">
                                    <input
                                        id=format!("contact-attribute-{i}")
                                        class="contact-sidebar__input"
                                        aria-label=t.attribute_name
                                        prop:value=key
                                        on:input=move |ev| key.set(event_target_value(&ev))
                                    />
                                    <input
                                        class="contact-sidebar__input"
                                        aria-label=t.attribute_value
                                        prop:value=value
                                        on:input=move |ev| value.set(event_target_value(&ev))
                                    />
                                    <button
                                        type="button"
                                        class="button"
                                        aria-label=move || (t.remove_attribute)(&key.get())
                                        on:click=remove
                                    >
                                        {t.remove}
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()
                }}
                <button
                    type="button"
                    class="button"
                    id="contact-attribute-add"
                    on:click=move |_| {
                        let n = attributes.with_untracked(Vec::len);
                        attributes.update(|a| a.push((RwSignal::new(String::new()), RwSignal::new(String::new()))));
                        request_animation_frame(move || focus_id(&format!("contact-attribute-{n}")));
                    }
                >
                    {t.add_attribute}
                </button>
            </fieldset>
            {move || error.get().map(|e| view! { <p class="contact-sidebar__error" role="alert">{e}</p> })}
            <div class="contact-sidebar__actions">
                <button type="submit" class="button button--primary" disabled=saving>
                    {t.save}
                </button>
                <button type="button" class="button" on:click=move |_| done.run(())>
                    {t.cancel}
                </button>
            </div>
        </form>
    }
}
