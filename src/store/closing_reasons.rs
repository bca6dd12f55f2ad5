//! The workspace's closing reasons: loaded when the close dialog or bulk resolve opens
//! (so a change made on the settings page, here or elsewhere, shows there without a
//! reload) and kept by owners, managers and holders of the permission on
//! `/settings/closing-reasons`.

use leptos::prelude::*;
use parley_domain::wire::ClosingReason;
use parley_domain::{ClosingReasonId, User};

use super::composer::{Loaded, load_list, put_saved};
use super::session::{Failure, Session, Write};

/// The closing-reasons handle (`Copy`; see [`super::use_closing_reasons`]).
#[derive(Clone, Copy)]
pub struct ClosingReasons {
    session: Session,
    list: RwSignal<Loaded<Vec<ClosingReason>>>,
    /// Adds a reason (`None`) or renames one.
    pub save: Write<(Option<ClosingReasonId>, String), ClosingReason>,
    pub delete: Write<ClosingReasonId, ClosingReasonId>,
}

impl ClosingReasons {
    pub(super) fn new(session: Session) -> Self {
        let list = RwSignal::new(None::<Result<Vec<ClosingReason>, String>>);
        let reasons = Self {
            session,
            list,
            save: session.write(Failure::Kept, move |api, (id, name): (Option<ClosingReasonId>, String)| async move {
                let saved = api.save_closing_reason(id.as_ref(), name).await?;
                if !put_saved(list, &saved, |r| &r.id) {
                    load(session, list);
                }
                Ok(saved)
            }),
            delete: session.write(Failure::Kept, move |api, id: ClosingReasonId| async move {
                api.delete_closing_reason(&id).await?;
                list.update(|l| {
                    if let Some(Ok(l)) = l {
                        l.retain(|r| r.id != id);
                    }
                });
                Ok(id)
            }),
        };
        session.on_end(move || list.set(None));
        reasons
    }

    /// The reasons, once loaded.
    pub fn list(&self) -> Signal<Loaded<Vec<ClosingReason>>> {
        self.list.into()
    }

    /// `GET /closing-reasons` again (a failure keeps what was shown).
    pub fn load(self) {
        load(self.session, self.list);
    }

    /// Whether the user keeps the list (the server checks it too).
    pub fn can_manage(&self) -> Signal<bool> {
        self.session.allows(User::may_manage_closing_reasons)
    }
}

fn load(session: Session, list: RwSignal<Loaded<Vec<ClosingReason>>>) {
    load_list(session, list, |api| async move { api.closing_reasons().await });
}
