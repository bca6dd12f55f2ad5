//! The inboxes slice: the side panel's open counts and blue dots, and acknowledging an
//! inbox the user looks at.

use leptos::prelude::*;
use parley_domain::inbox::{self, InboxCount, InboxId};
use parley_domain::wire::Inboxes as InboxCounts;

use super::session::{Failure, Session, Write};

/// The inboxes handle (`Copy`; see [`super::use_inboxes`]).
#[derive(Clone, Copy)]
pub struct Inboxes {
    session: Session,
    counts: RwSignal<Vec<InboxCount>>,
    acknowledge: Write<InboxId, InboxCounts>,
}

impl Inboxes {
    pub(super) fn new(session: Session) -> Self {
        let counts = RwSignal::new(Vec::new());
        session.on_end(move || counts.set(Vec::new()));
        let apply = move |answer: &InboxCounts| {
            if session.seq().is_none_or(|applied| answer.seq >= applied) {
                counts.set(answer.inboxes.clone());
            }
        };
        let acknowledge = session.write(Failure::Banner, move |api, inbox: InboxId| async move {
            let answer = api.ack(&inbox).await?;
            apply(&answer);
            Ok(answer)
        });
        Self { session, counts, acknowledge }
    }

    /// Side-panel counts, in side-panel order.
    pub fn counts(&self) -> Signal<Vec<InboxCount>> {
        self.counts.into()
    }

    /// The inbox `/` leads to: the first of the user's side panel.
    pub fn home(&self) -> Signal<Option<InboxId>> {
        let (me, directory) = (self.session.me(), self.session.directory());
        Signal::derive(move || {
            me.with(|me| {
                let me = me.as_ref()?;
                directory.with(|d| inbox::side_panel(d.as_ref()?, &me.user).into_iter().next())
            })
        })
    }

    /// The blue-dot count of Mine: my conversations with new messages (the tab title).
    pub fn my_new(&self) -> Signal<u32> {
        let counts = self.counts;
        Signal::derive(move || counts.with(|all| all.iter().find(|c| c.id == InboxId::Mine).map_or(0, |c| c.new)))
    }

    /// Counts a socket batch brought (always current: they follow the batch's events).
    pub(super) fn set(&self, counts: Vec<InboxCount>) {
        self.counts.set(counts);
    }

    /// `GET /inboxes` (kept unless a later batch brought newer counts meanwhile);
    /// answers the sequence number the counts stand at.
    pub(super) async fn load(self) -> Option<u64> {
        let api = self.session.api()?;
        match api.inboxes().await {
            Ok(answer) => {
                if self.session.seq().is_none_or(|applied| answer.seq >= applied) {
                    self.counts.set(answer.inboxes);
                }
                Some(answer.seq)
            }
            Err(e) => {
                self.session.fail(e);
                None
            }
        }
    }

    /// `POST /inboxes/{inbox}/ack`: the user is looking at the inbox.
    pub(super) fn ack(self, inbox: InboxId) {
        self.acknowledge.dispatch(inbox);
    }
}
