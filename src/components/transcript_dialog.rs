//! "Send transcript": the thread emailed to the contact or to an address the agent types.
//! The dialog keeps a refusal next to the address; a sent transcript is announced by the
//! store in the status region and the dialog closes.

use leptos::html::Button;
use leptos::prelude::*;

use super::{Modal, Submit};

#[component]
pub fn SendTranscript(
    /// The contact's email: the address the dialog starts with.
    #[prop(into)]
    email: Signal<Option<String>>,
    /// Sends to the address typed.
    send: Submit<String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(false);
    let opener: NodeRef<Button> = NodeRef::new();
    let done = Callback::new(move |()| {
        open.set(false);
        // Back to the button once the dialog has left the page.
        request_animation_frame(move || {
            if let Some(el) = opener.get_untracked() {
                let _ = el.focus();
            }
        });
    });
    view! {
        <button
            type="button"
            class="button button--small"
            aria-haspopup="dialog"
            node_ref=opener
            on:click=move |_| open.set(true)
        >
            {t.send_transcript}
        </button>
        <Show when=move || open.get()>
            <TranscriptDialog email=email.get_untracked().unwrap_or_default() send done />
        </Show>
    }
}

#[component]
fn TranscriptDialog(email: String, send: Submit<String>, done: Callback<()>) -> impl IntoView {
    let t = crate::i18n::t();
    let to = RwSignal::new(email);
    let error = RwSignal::new(None::<String>);
    send.on_result(move |outcome| match outcome {
        Ok(()) => done.run(()),
        Err(words) => error.set(Some(words)),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        send.run.run(to.get_untracked().trim().to_owned());
    };
    view! {
        <Modal title=t.send_transcript on_close=done>
            <form class="modal__form" on:submit=submit>
                <label class="field">
                    <span class="field__label">{t.transcript_address}</span>
                    <input
                        type="email"
                        required
                        autocomplete="email"
                        aria-describedby="transcript-hint"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        bind:value=to
                    />
                </label>
                <p class="field__hint" id="transcript-hint">{t.transcript_hint}</p>
                {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                <div class="modal__actions">
                    <button type="button" class="button" on:click=move |_| done.run(())>
                        {t.cancel}
                    </button>
                    <button type="submit" class="button button--primary" disabled=move || send.pending.get()>
                        {t.send}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
