//! One internal note in the timeline: highlighted so that nobody mistakes it for a
//! message the contact saw. Its author edits it in place or deletes it.

use leptos::html::{Button, Textarea};
use leptos::prelude::*;
use parley_domain::NoteId;
use parley_domain::wire::Note;

use crate::format::{iso, message_time};

#[component]
pub fn TimelineNote(
    note: Note,
    /// The user wrote it: only then Edit and Delete.
    mine: bool,
    #[prop(into)] now: Signal<i64>,
    on_edit: Callback<(NoteId, String)>,
    on_delete: Callback<NoteId>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let input: NodeRef<Textarea> = NodeRef::new();
    let edit_button: NodeRef<Button> = NodeRef::new();
    let at = note.at;
    let text = note.text.clone();
    // Editing starts in the text box; cancelling returns to the Edit button.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let stop = move || {
        editing.set(false);
        request_animation_frame(move || {
            if let Some(el) = edit_button.try_get_untracked().flatten() {
                let _ = el.focus();
            }
        });
    };
    let id = note.id.clone();
    let save = move || {
        editing.set(false);
        on_edit.run((id.clone(), draft.get_untracked()));
    };
    let body = move || {
        if editing.get() {
            let save = save.clone();
            view! {
                <form
                    class="note__edit"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }
                >
                    <textarea
                        aria-label=t.edit_note
                        rows="3"
                        node_ref=input
                        bind:value=draft
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                stop();
                            }
                        }
                    ></textarea>
                    <div class="note__actions">
                        <button type="button" class="button button--small" on:click=move |_| stop()>
                            {t.cancel}
                        </button>
                        <button type="submit" class="button button--small button--primary">
                            {t.save}
                        </button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            view! { <p class="note__text">{text.clone()}</p> }.into_any()
        }
    };
    let id = note.id.clone();
    let original = note.text.clone();
    view! {
        <li class="note">
            <div class="note__card">
                <div class="note__meta">
                    <span class="note__label">{t.internal_note}</span>
                    <span class="note__author">{note.author_name}</span>
                    <time datetime=iso(at)>{move || message_time(at, now.get())}</time>
                    {note.edited_at.map(|_| view! { <span>{t.edited}</span> })}
                </div>
                {body}
                {(mine)
                    .then(|| {
                        view! {
                            <div class="note__actions" hidden=move || editing.get()>
                                <button
                                    type="button"
                                    class="button button--small button--quiet"
                                    node_ref=edit_button
                                    on:click=move |_| {
                                        draft.set(original.clone());
                                        editing.set(true);
                                    }
                                >
                                    {t.edit_note}
                                </button>
                                <button
                                    type="button"
                                    class="button button--small button--quiet"
                                    on:click=move |_| on_delete.run(id.clone())
                                >
                                    {t.delete_note}
                                </button>
                            </div>
                        }
                    })}
            </div>
        </li>
    }
}
