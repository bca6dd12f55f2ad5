//! The reports endpoints (docs/api.md "Reports"), beside the rest of the REST client.

use gloo_net::http::Request;
use parley_domain::reports::Report;

use super::error::ApiError;
use super::http::{AuthorizedApi, url};

/// A report's period: `from` and `to` as `YYYY-MM-DD`, `tz` as `+HH:MM`.
pub type ReportPeriod = (String, String, String);

fn query((from, to, tz): &ReportPeriod) -> [(&'static str, String); 3] {
    [("from", from.clone()), ("to", to.clone()), ("tz", tz.clone())]
}

impl AuthorizedApi {
    /// `GET /reports`
    pub async fn report(&self, period: &ReportPeriod) -> Result<Report, ApiError> {
        self.call(Request::get(&url("/reports")).query(query(period))).await
    }

    /// `GET /reports.csv`: as a blob, since it needs the token.
    pub async fn report_csv(&self, period: &ReportPeriod) -> Result<web_sys::Blob, ApiError> {
        self.blob(Request::get(&url("/reports.csv")).query(query(period))).await
    }
}
