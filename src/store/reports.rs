//! Reports: the figures of the period the reports page asks for (`GET /reports`), and
//! its CSV (`GET /reports.csv`, fetched with the token and handed over as an object URL).

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::reports::Report;

use super::composer::Loaded;
use super::session::{Failure, Session, Write};
use super::words::describe;
use crate::api::{ApiError, ReportPeriod};

/// The reports handle (`Copy`; see [`super::use_reports`]).
#[derive(Clone, Copy)]
pub struct Reports {
    session: Session,
    /// The period last asked for: an older period's late answer is dropped.
    asked: RwSignal<Option<ReportPeriod>>,
    report: RwSignal<Loaded<Report>>,
    /// The period's CSV as an object URL (the view downloads it, then revokes it).
    pub export: Write<ReportPeriod, String>,
}

impl Reports {
    pub(super) fn new(session: Session) -> Self {
        let (asked, report) = (RwSignal::new(None), RwSignal::new(None));
        session.on_end(move || {
            asked.set(None);
            report.set(None);
        });
        Reports {
            session,
            asked,
            report,
            export: session.write(Failure::Kept, move |api, period: ReportPeriod| async move {
                let blob = api.report_csv(&period).await?;
                web_sys::Url::create_object_url_with_blob(&blob)
                    .map_err(|_| ApiError::Network("the browser refused the download".into()))
            }),
        }
    }

    /// The report, `None` while loading.
    pub fn report(&self) -> Signal<Loaded<Report>> {
        self.report.into()
    }

    /// Asks for `period`'s report (what was shown goes: it was another period's).
    pub fn load(self, period: ReportPeriod) {
        let Some(api) = self.session.api() else { return };
        let (session, asked, report) = (self.session, self.asked, self.report);
        asked.set(Some(period.clone()));
        report.set(None);
        spawn_local(async move {
            let answer = api.report(&period).await;
            if asked.with_untracked(|a| a.as_ref() != Some(&period)) {
                return;
            }
            match answer {
                Ok(r) => report.set(Some(Ok(r))),
                Err(ApiError::Unauthorized) => session.fail(ApiError::Unauthorized),
                Err(e) => report.set(Some(Err(describe(&e)))),
            }
        });
    }
}
