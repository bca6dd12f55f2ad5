//! "New conversation": a button in the sidebar's header and its dialog, which picks one
//! of the contact's connected channels. The dialog is the shared `Modal` (labelled by
//! its title, focus inside, Escape closes); closing it gives the focus back to the button.

use leptos::html::Button;
use leptos::prelude::*;
use parley_domain::{Channel, ChannelId, Contact};

use crate::components::{Modal, Submit};

#[component]
pub(super) fn NewConversation(
    contact: Signal<Contact>,
    channels: Signal<Vec<Channel>>,
    /// Starts (or opens) the conversation on the chosen channel.
    start: Submit<ChannelId>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(false);
    let opener: NodeRef<Button> = NodeRef::new();
    let error = RwSignal::new(None::<String>);
    // The focus goes back to the button once the dialog has left the page (the modal
    // makes everything else inert until then).
    let close = move || {
        open.set(false);
        request_animation_frame(move || {
            if let Some(button) = opener.try_get_untracked().flatten().filter(|b| b.is_connected()) {
                let _ = button.focus();
            }
        });
    };
    start.on_result(move |outcome| match outcome {
        Ok(()) => open.set(false),
        Err(words) => error.set(Some(words)),
    });
    // The contact's connected channels, in the workspace's order.
    let choices = Memo::new(move |_| {
        contact.with(|c| channels.with(|all| all.iter().filter(|ch| c.channels.contains(&ch.id)).cloned().collect()))
    });
    let dialog = move || {
        open.get().then(|| {
            let choices: Vec<Channel> = choices.get_untracked();
            let chosen = RwSignal::new(choices.first().map(|c| c.id.clone()));
            let options = choices
                .into_iter()
                .enumerate()
                .map(|(i, ch)| {
                    let id = ch.id.clone();
                    view! {
                        <label class="field field--inline">
                            <input
                                type="radio"
                                name="new-conversation-channel"
                                checked=i == 0
                                on:change=move |_| chosen.set(Some(id.clone()))
                            />
                            {format!("{} ({})", (t.channel)(ch.kind), ch.name)}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <Modal title=t.new_conversation on_close=Callback::new(move |()| close())>
                    <form
                        class="modal__form"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            error.set(None);
                            if let Some(channel) = chosen.get_untracked() {
                                start.run.run(channel);
                            }
                        }
                    >
                        {move || {
                            chosen
                                .with(Option::is_none)
                                .then(|| view! { <p role="status">{t.no_connected_channels}</p> })
                        }}
                        <fieldset class="field">
                            <legend class="field__label">{t.conversation_channel}</legend>
                            {options}
                        </fieldset>
                        {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                        <div class="modal__actions">
                            <button type="button" class="button" on:click=move |_| close()>
                                {t.cancel}
                            </button>
                            <button
                                type="submit"
                                class="button button--primary"
                                disabled=move || start.pending.get() || chosen.with(Option::is_none)
                            >
                                {t.start_conversation}
                            </button>
                        </div>
                    </form>
                </Modal>
            }
        })
    };
    view! {
        <button
            type="button"
            class="button"
            node_ref=opener
            aria-haspopup="dialog"
            on:click=move |_| {
                error.set(None);
                open.set(true);
            }
        >
            {t.new_conversation}
        </button>
        {dialog}
    }
}
