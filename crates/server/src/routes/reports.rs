//! Team reports (issue 15, item 4) for owners and managers: the figures of a period,
//! aggregated in SQL (storage/reports.rs) by the definitions of domain `reports`, as JSON
//! or as the domain's CSV.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use parley_domain::reports::{self, BreakdownRow, DayCount, Figures, InboxOpen, Period, Report};
use parley_domain::wire::ErrorBody;
use serde::Deserialize;

use super::Query;
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::reports::{GroupRow, ReportQuery};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The first day, `YYYY-MM-DD`, included.
    from: Option<String>,
    /// The last day, `YYYY-MM-DD`, included; at most 366 days after `from`'s.
    to: Option<String>,
    /// The UTC offset days are counted in: `Z`, `+HH:MM` or `-HH:MM` (default `Z`).
    tz: Option<String>,
}

fn figures(g: &GroupRow) -> Figures {
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Figures {
        opened: n(g.opened),
        closed: n(g.closed),
        median_first_response_ms: g.median_first_response,
        median_resolution_ms: g.median_resolution,
        sla_breaches: n(g.breaches),
        open_now: n(g.open_now),
    }
}

/// Builds the report: the SQL's aggregates, named, every day of the period (zeros
/// included), every agent, team and channel (zeros included) and "none" rows when some
/// conversation has no agent or no team, and the side-panel inboxes' open counts.
async fn build(state: &AppState, auth: Auth, p: ReportParams) -> ApiResult<Report> {
    if !auth.user.role.is_supervisor() {
        return Err(ApiError::Forbidden("only owners and managers see reports".into()));
    }
    let period = Period::parse(p.from.as_deref(), p.to.as_deref(), p.tz.as_deref())
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let now = state.now();
    let (groups, days, users, teams, channels) = state
        .db
        .read(move |conn| {
            let q = ReportQuery {
                start: period.start_ms(),
                end: period.end_ms(),
                offset_ms: i64::from(period.offset_minutes) * 60_000,
                target_ms: reports::first_response_target_ms(conn.sla_targets()?),
                now,
            };
            Ok((conn.report_groups(&q)?, conn.report_days(&q)?, conn.users()?, conn.teams()?, conn.channels()?))
        })
        .await?;
    let (inbox_counts, _) = state.hub.counts(auth.user).await?;
    let find = |kind: &str, key: &str| groups.iter().find(|g| g.kind == kind && g.key == key);
    let row = |kind: &str, id: Option<String>, name: String| {
        let figures = find(kind, id.as_deref().unwrap_or("")).map(figures).unwrap_or_default();
        BreakdownRow { id, name, figures }
    };
    let with_none = |kind: &str, mut rows: Vec<BreakdownRow>, none: &str| {
        if find(kind, "").is_some() {
            rows.push(row(kind, None, none.into()));
        }
        rows
    };
    let agents = users.into_iter().map(|u| row("agent", Some(u.id.0), u.name)).collect();
    let team_rows = teams.into_iter().map(|t| row("team", Some(t.id.as_str().to_owned()), t.name)).collect();
    Ok(Report {
        from: reports::format_date(period.from),
        to: reports::format_date(period.to),
        tz: reports::format_offset(period.offset_minutes),
        totals: find("total", "").map(figures).unwrap_or_default(),
        days: (period.from..=period.to)
            .map(|d| {
                let (_, opened, closed) = days.iter().find(|x| x.0 == d).copied().unwrap_or((d, 0, 0));
                DayCount { date: reports::format_date(d), opened: opened as u32, closed: closed as u32 }
            })
            .collect(),
        agents: with_none("agent", agents, "Unassigned"),
        teams: with_none("team", team_rows, "No team"),
        channels: channels.into_iter().map(|c| row("channel", Some(c.id.as_str().to_owned()), c.name)).collect(),
        inboxes: inbox_counts
            .into_iter()
            .map(|i| InboxOpen { inbox: i.id.to_string(), name: i.name, open: i.open })
            .collect(),
    })
}

#[utoipa::path(get, path = "/reports", operation_id = "report", tag = "reports", params(ReportParams),
    description = "Conversations opened and closed per day, median first-response and resolution times, SLA breaches and open conversations, in total and per agent, team and channel (definitions: docs/api.md, \"Reports\").",
    responses(
        (status = 200, description = "The period's figures", body = Report),
        (status = 400, description = "A missing or bad `from`, `to` or `tz` (named in the message), or a period over 366 days", body = ErrorBody),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ReportParams>,
) -> ApiResult<Json<Report>> {
    Ok(Json(build(&state, auth, p).await?))
}

#[utoipa::path(get, path = "/reports.csv", operation_id = "report_csv", tag = "reports", params(ReportParams),
    description = "The same report as RFC 4180 CSV (header row, CRLF), as an attachment.",
    responses(
        (status = 200, description = "The report as CSV", content_type = "text/csv", body = String),
        (status = 400, description = "A missing or bad `from`, `to` or `tz`", body = ErrorBody),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn csv(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ReportParams>,
) -> ApiResult<impl IntoResponse> {
    let report = build(&state, auth, p).await?;
    let disposition = format!("attachment; filename=\"parley-report-{}-{}.csv\"", report.from, report.to);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        reports::to_csv(&report),
    ))
}
