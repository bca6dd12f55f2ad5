//! `/settings/snippets`: the saved replies by category, searchable. Owners and managers
//! create, edit and delete them; agents read them (the server enforces it too).

use leptos::prelude::*;
use parley_domain::composer;
use parley_domain::wire::{Snippet, SnippetInput};

use super::RequireSession;
use crate::components::SnippetForm;
use crate::store::{describe, on_answer, use_composer, use_inboxes};

#[component]
pub fn SnippetsPage() -> impl IntoView {
    view! {
        <RequireSession>
            <SnippetSettings />
        </RequireSession>
    }
}

/// What the form is doing: nothing, a new reply, or editing one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Editing {
    New,
    Existing(Snippet),
}

#[component]
fn SnippetSettings() -> impl IntoView {
    let composer = use_composer();
    let inboxes = use_inboxes();
    composer.load_snippets();
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{} · Parley", crate::i18n::t().saved_replies));
    }
    let snippets = composer.snippets();
    let can_edit = composer.can_manage_snippets();
    let home = inboxes.home();
    let back = move || home.get().map(|i| format!("inbox/{i}")).unwrap_or_else(|| "./".into());
    let query = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<Editing>);
    let form_error = RwSignal::new(None::<String>);
    let (save, delete) = (composer.save_snippet, composer.delete_snippet);
    let saving = save.pending();
    let error = RwSignal::new(None::<String>);
    on_answer(save, move |answer| match answer {
        Ok(_) => editing.set(None),
        Err(e) => form_error.set(Some(describe(&e))),
    });
    on_answer(delete, move |answer| {
        if let Err(e) = answer {
            error.set(Some(describe(&e)));
        }
    });

    let open_form = move |what: Editing| {
        form_error.set(None);
        editing.set(Some(what));
    };
    let on_save = Callback::new(move |input: SnippetInput| {
        let id = match editing.get_untracked() {
            Some(Editing::Existing(s)) => Some(s.id),
            _ => None,
        };
        save.dispatch((id, input));
    });
    let on_cancel = Callback::new(move |()| editing.set(None));
    let delete = move |s: Snippet| {
        error.set(None);
        delete.dispatch(s.id);
    };

    let list = move || {
        let all = match snippets.get() {
            None => return view! { <p role="status">{crate::i18n::t().loading_saved_replies}</p> }.into_any(),
            Some(Err(why)) => return view! { <p role="alert" class="error-text">{why}</p> }.into_any(),
            Some(Ok(all)) => all,
        };
        let editable = can_edit.get();
        let found = query.with(|q| composer::snippet_matches(&all, q));
        if found.is_empty() {
            let t = crate::i18n::t();
            let words = if all.is_empty() { t.no_saved_replies } else { t.no_saved_replies_match };
            return view! { <p role="status">{words}</p> }.into_any();
        }
        composer::by_category(&all, &found)
            .into_iter()
            .map(|(category, items)| {
                let items = items
                    .into_iter()
                    .map(|i| {
                        let s = all[i].clone();
                        let buttons = editable.then(|| {
                            let (edit_s, delete_s) = (s.clone(), s.clone());
                            view! {
                                <button
                                    type="button"
                                    class="button button--small"
                                    aria-label=(crate::i18n::t().edit_named)(&s.title)
                                    on:click=move |_| open_form(Editing::Existing(edit_s.clone()))
                                >
                                    {crate::i18n::t().edit}
                                </button>
                                <button
                                    type="button"
                                    class="button button--small"
                                    aria-label=(crate::i18n::t().delete_named)(&s.title)
                                    on:click=move |_| delete(delete_s.clone())
                                >
                                    {crate::i18n::t().delete}
                                </button>
                            }
                        });
                        view! {
                            <li class="snippet">
                                <div class="snippet__body">
                                    <h3>{s.title.clone()}</h3>
                                    <p class="snippet__text">{s.text.clone()}</p>
                                </div>
                                {buttons}
                            </li>
                        }
                    })
                    .collect_view();
                let name = category.clone();
                view! {
                    <section class="snippet-category" aria-label=name>
                        <h2>{category}</h2>
                        <ul>{items}</ul>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <main class="settings">
            <div class="settings__top">
                <a href=back>{crate::i18n::t().back_to_inbox}</a>
                <h1>{crate::i18n::t().saved_replies}</h1>
                {move || {
                    can_edit
                        .get()
                        .then(|| {
                            view! {
                                <button type="button" class="button button--primary" on:click=move |_| open_form(Editing::New)>
                                    {crate::i18n::t().new_saved_reply}
                                </button>
                            }
                        })
                }}
            </div>
            {move || {
                (!can_edit.get())
                    .then(|| {
                        view! { <p>{crate::i18n::t().snippets_read_only}</p> }
                    })
            }}
            {move || {
                editing
                    .get()
                    .map(|what| {
                        let (heading, initial) = match what {
                            Editing::New => {
                                (crate::i18n::t().new_saved_reply, SnippetInput { category: String::new(), title: String::new(), text: String::new() })
                            }
                            Editing::Existing(s) => {
                                (crate::i18n::t().edit_saved_reply, SnippetInput { category: s.category, title: s.title, text: s.text })
                            }
                        };
                        view! { <SnippetForm heading initial on_save on_cancel error=form_error saving /> }
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <input
                type="search"
                class="settings__search"
                aria-label=crate::i18n::t().search_saved_replies
                placeholder=crate::i18n::t().search_saved_replies
                bind:value=query
            />
            {list}
        </main>
    }
}
