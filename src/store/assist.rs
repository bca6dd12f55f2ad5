//! (Composer) AI assist: asks the server for a suggestion — the draft rewritten, or the
//! conversation summarized — and keeps it, for the conversation it was asked in, until the
//! agent accepts or discards it. A failure is kept as words for the composer's live region.

use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::assist::AssistAction;

use super::composer::Composer;
use super::session::{Failure, Session, Write};
use super::words::assist_failed;

/// A suggestion, or why there is none, for one conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Assisted {
    Suggested(AssistAction, String),
    Failed(String),
}

pub(super) type AssistState = RwSignal<Option<(ConversationId, Assisted)>>;

/// The write behind [`Composer::ask_ai`]: its answer (or failure) lands in `state`.
pub(super) fn assist_write(session: Session, state: AssistState) -> Write<(ConversationId, AssistAction, String), ()> {
    session.write(Failure::Kept, move |api, (id, action, draft): (ConversationId, AssistAction, String)| async move {
        match api.assist(&id, action, draft).await {
            Ok(answer) => {
                state.set(Some((id, Assisted::Suggested(action, answer.text))));
                Ok(())
            }
            Err(e) => {
                state.set(Some((id, Assisted::Failed(assist_failed(&e)))));
                Err(e)
            }
        }
    })
}

impl Composer {
    /// Asks for `action` on `draft` in the open conversation; what was suggested before goes.
    pub fn ask_ai(self, action: AssistAction, draft: String) {
        let Some(id) = self.thread.open_id() else { return };
        self.assisted.set(None);
        self.assist.dispatch((id, action, draft));
    }

    /// Waiting for the AI service.
    pub fn ai_pending(self) -> Signal<bool> {
        self.assist.pending().into()
    }

    /// The open conversation's suggestion: the action and the text.
    pub fn ai_suggestion(self) -> Signal<Option<(AssistAction, String)>> {
        self.assisted_here(|a| match a {
            Assisted::Suggested(action, text) => Some((*action, text.clone())),
            Assisted::Failed(_) => None,
        })
    }

    /// Why the open conversation's last request gave nothing, in words.
    pub fn ai_error(self) -> Signal<Option<String>> {
        self.assisted_here(|a| match a {
            Assisted::Failed(words) => Some(words.clone()),
            Assisted::Suggested(..) => None,
        })
    }

    fn assisted_here<T: Send + Sync + 'static>(self, pick: fn(&Assisted) -> Option<T>) -> Signal<Option<T>> {
        let (state, open) = (self.assisted, self.thread.open());
        Signal::derive(move || {
            let here = |id: &ConversationId| open.with(|o| o.as_ref().is_some_and(|o| &o.summary.id == id));
            state.with(|s| s.as_ref().filter(|(id, _)| here(id)).and_then(|(_, a)| pick(a)))
        })
    }

    /// Forgets the suggestion (Accept and Discard both end it).
    pub fn dismiss_ai(self) {
        self.assisted.set(None);
    }
}
