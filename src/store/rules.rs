//! Workflow rules and the business-hours schedule (issue 15, item 3), kept by owners and
//! managers on `/settings/rules`: loaded when the page shows; each change is announced in
//! the status region (a refusal stays with the form, `Failure::Kept`).

use leptos::prelude::*;
use parley_domain::RuleId;
use parley_domain::rules::{BusinessHours, Rule, RuleInput};

use super::composer::{Loaded, load_list, put_saved};
use super::session::{Failure, Session, Write};

/// The rules handle (`Copy`; see [`super::use_rules`]).
#[derive(Clone, Copy)]
pub struct Rules {
    session: Session,
    list: RwSignal<Loaded<Vec<Rule>>>,
    hours: RwSignal<Loaded<BusinessHours>>,
    /// Adds a rule (`None`) or changes one (its switch too).
    pub save: Write<(Option<RuleId>, RuleInput), Rule>,
    pub delete: Write<RuleId, RuleId>,
    /// Puts the rules in this order.
    pub reorder: Write<Vec<RuleId>, Vec<Rule>>,
    pub set_hours: Write<BusinessHours, BusinessHours>,
}

impl Rules {
    pub(super) fn new(session: Session) -> Self {
        let list = RwSignal::new(None::<Result<Vec<Rule>, String>>);
        let hours = RwSignal::new(None::<Result<BusinessHours, String>>);
        let t = crate::i18n::t;
        let rules = Self {
            session,
            list,
            hours,
            save: session.write(Failure::Kept, move |api, (id, input): (Option<RuleId>, RuleInput)| async move {
                let saved = api.save_rule(id.as_ref(), &input).await?;
                // In place (a new one runs last): the page puts the focus back right after.
                if !put_saved(list, &saved, |r| &r.id) {
                    load(session, list);
                }
                session.announce((t().rule_saved)(&saved.name, saved.enabled));
                Ok(saved)
            }),
            delete: session.write(Failure::Kept, move |api, id: RuleId| async move {
                api.delete_rule(&id).await?;
                list.update(|l| {
                    if let Some(Ok(l)) = l {
                        l.retain(|r| r.id != id);
                    }
                });
                session.announce(t().rule_deleted.to_owned());
                Ok(id)
            }),
            reorder: session.write(Failure::Kept, move |api, ids: Vec<RuleId>| async move {
                let ordered = api.reorder_rules(ids).await?;
                list.set(Some(Ok(ordered.clone())));
                session.announce(t().rules_reordered.to_owned());
                Ok(ordered)
            }),
            set_hours: session.write(Failure::Kept, move |api, input: BusinessHours| async move {
                let saved = api.set_business_hours(&input).await?;
                hours.set(Some(Ok(saved.clone())));
                session.announce(t().business_hours_saved.to_owned());
                Ok(saved)
            }),
        };
        session.on_end(move || {
            list.set(None);
            hours.set(None);
        });
        rules
    }

    /// The rules in the order they run, once loaded.
    pub fn list(&self) -> Signal<Loaded<Vec<Rule>>> {
        self.list.into()
    }

    /// The schedule, once loaded.
    pub fn hours(&self) -> Signal<Loaded<BusinessHours>> {
        self.hours.into()
    }

    /// `GET /rules` and `GET /business-hours` again.
    pub fn load(self) {
        load(self.session, self.list);
        let (session, hours) = (self.session, self.hours);
        let Some(api) = session.api() else { return };
        leptos::task::spawn_local(async move {
            match api.business_hours().await {
                Ok(h) => hours.set(Some(Ok(h))),
                Err(e) => hours.set(Some(Err(super::describe(&e)))),
            }
        });
    }
}

fn load(session: Session, list: RwSignal<Loaded<Vec<Rule>>>) {
    load_list(session, list, |api| async move { api.rules().await });
}
