//! `/reports` (owners and managers): the figures of a period in the browser's time zone,
//! each chart an SVG drawn here (no chart library) with the data table beside it — the
//! table is the accessible form of the chart, which is an image with a title — a
//! breakdown switch (agent, team, channel) and the CSV export.

use leptos::prelude::*;
use parley_domain::reports::{self, BreakdownRow, Figures, Period, Report};

use super::{RequireSession, SettingsTop};
use crate::format::{minutes, now_millis};
use crate::store::{describe, on_answer, use_reports};

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <RequireSession>
            <ReportScreen />
        </RequireSession>
    }
}

/// The browser's UTC offset now, in minutes east.
fn local_offset() -> i32 {
    #[cfg(target_arch = "wasm32")]
    return -(js_sys::Date::new_0().get_timezone_offset() as i32);
    #[cfg(not(target_arch = "wasm32"))]
    0
}

/// A median as agents read it ("1 h 05 min"), or the word for none.
fn duration(ms: Option<i64>) -> String {
    match ms {
        Some(ms) => minutes(ms / 60_000),
        None => crate::i18n::t().no_figure.to_owned(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Breakdown {
    Agent,
    Team,
    Channel,
}

#[component]
fn ReportScreen() -> impl IntoView {
    let t = crate::i18n::t();
    let reports = use_reports();
    let offset = local_offset();
    let today = Period { from: 0, to: 0, offset_minutes: offset }.day_of(now_millis());
    let from = RwSignal::new(reports::format_date(today - 6));
    let to = RwSignal::new(reports::format_date(today));
    let period = move || (from.get_untracked(), to.get_untracked(), reports::format_offset(offset));
    let load = move || reports.load(period());
    load();
    let preset = move |days: i64| {
        from.set(reports::format_date(today - days + 1));
        to.set(reports::format_date(today));
        load();
    };
    let breakdown = RwSignal::new(Breakdown::Agent);
    let error = RwSignal::new(None::<String>);
    on_answer(reports.export, move |answer| match answer {
        Ok(url) => {
            error.set(None);
            let (f, to) = (from.get_untracked(), to.get_untracked());
            download(&url, &format!("parley-report-{f}-{to}.csv"));
        }
        Err(e) => error.set(Some(describe(&e))),
    });
    let date_field = move |label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <input
                    type="date"
                    prop:value=move || value.get()
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        load();
                    }
                />
            </label>
        }
    };
    let choice = move |label: &'static str, which: Breakdown| {
        view! {
            <label class="field field--inline">
                <input
                    type="radio"
                    name="breakdown"
                    prop:checked=move || breakdown.get() == which
                    on:change=move |_| breakdown.set(which)
                />
                {label}
            </label>
        }
    };
    let shown = move || match reports.report().get() {
        None => view! { <p role="status">{t.loading_report}</p> }.into_any(),
        Some(Err(why)) => view! { <p role="alert" class="error-text">{why}</p> }.into_any(),
        Some(Ok(r)) => view! { <ReportView report=r breakdown=breakdown.into() /> }.into_any(),
    };
    view! {
        <main class="settings reports">
            <SettingsTop title=t.reports />
            <form class="reports__period" aria-label=t.report_period on:submit=|ev| ev.prevent_default()>
                {date_field(t.report_from, from)}
                {date_field(t.report_to, to)}
                <button type="button" class="button" on:click=move |_| preset(7)>{t.last_7_days}</button>
                <button type="button" class="button" on:click=move |_| preset(30)>{t.last_30_days}</button>
                <button
                    type="button"
                    class="button button--primary"
                    disabled=reports.export.pending()
                    on:click=move |_| {
                        reports.export.dispatch(period());
                    }
                >
                    {t.export_csv}
                </button>
            </form>
            <p>{(t.report_zone)(&reports::format_offset(offset))}</p>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <fieldset class="reports__breakdown">
                <legend>{t.breakdown}</legend>
                {choice(t.by_agent, Breakdown::Agent)}
                {choice(t.by_team, Breakdown::Team)}
                {choice(t.by_channel, Breakdown::Channel)}
            </fieldset>
            {shown}
        </main>
    }
}

/// Saves an object URL's bytes under `filename` through a link clicked once.
fn download(url: &str, filename: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(a) = document.create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(url);
        a.set_download(filename);
        a.click();
    }
    let url = url.to_owned();
    // Revoked once the browser has started the download.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
}

/// The largest of `values` (each row's opened and closed), at least 1: bars are drawn as
/// a share of it. Coordinates stay integers: `f64`'s `Display` would pull the float
/// formatter into the wasm.
fn scale(values: impl Iterator<Item = u32>) -> u64 {
    u64::from(values.max().unwrap_or(0).max(1))
}

/// `v`'s bar length on a `full`-unit axis whose end is `top`.
fn bar(v: u32, full: u64, top: u64) -> u64 {
    u64::from(v) * full / top
}

#[component]
fn ReportView(report: Report, breakdown: Signal<Breakdown>) -> impl IntoView {
    let t = crate::i18n::t();
    let Report { totals, days, agents, teams, channels, inboxes, .. } = report;
    let cells = |f: &Figures| {
        view! {
            <td>{f.opened}</td>
            <td>{f.closed}</td>
            <td>{duration(f.median_first_response_ms)}</td>
            <td>{duration(f.median_resolution_ms)}</td>
            <td>{f.sla_breaches}</td>
            <td>{f.open_now}</td>
        }
    };
    let figure_heads = move || {
        view! {
            <th scope="col">{t.opened_heading}</th>
            <th scope="col">{t.closed_heading}</th>
            <th scope="col">{t.median_first_response}</th>
            <th scope="col">{t.median_resolution}</th>
            <th scope="col">{t.sla_breaches}</th>
            <th scope="col">{t.open_now}</th>
        }
    };

    // Opened and closed per day: a pair of vertical bars a day.
    let top = scale(days.iter().flat_map(|d| [d.opened, d.closed]));
    let slot = 24;
    let width = slot * days.len();
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = i * slot;
            let (o, c) = (bar(d.opened, 96, top), bar(d.closed, 96, top));
            view! {
                <rect class="chart__opened" x=x + 3 y=100 - o width="8" height=o />
                <rect class="chart__closed" x=x + 12 y=100 - c width="8" height=c />
            }
        })
        .collect_view();
    let day_rows = days
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <th scope="row">{d.date.clone()}</th>
                    <td>{d.opened}</td>
                    <td>{d.closed}</td>
                </tr>
            }
        })
        .collect_view();

    let inbox_rows = inboxes
        .into_iter()
        .map(|i| {
            let name = match i.inbox.as_str() {
                "all" => t.inbox_all.to_owned(),
                "mine" => t.inbox_mine.to_owned(),
                "unassigned" => t.inbox_unassigned.to_owned(),
                "blocked" => t.blocked.to_owned(),
                _ => i.name,
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{i.open}</td>
                </tr>
            }
        })
        .collect_view();

    let by = move || {
        let (rows, caption, head, none) = match breakdown.get() {
            Breakdown::Agent => (agents.clone(), t.by_agent, t.agent_heading, t.no_agent),
            Breakdown::Team => (teams.clone(), t.by_team, t.team_heading, t.no_team),
            Breakdown::Channel => (channels.clone(), t.by_channel, t.channel_heading, t.no_agent),
        };
        let name = move |r: &BreakdownRow| if r.id.is_some() { r.name.clone() } else { none.to_owned() };
        let top = scale(rows.iter().flat_map(|r| [r.figures.opened, r.figures.closed]));
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let y = i * 24;
                let w = |v: u32| bar(v, 250, top);
                view! {
                    <text x="0" y=y + 15 class="chart__label">{name(r)}</text>
                    <rect class="chart__opened" x="140" y=y + 2 width=w(r.figures.opened) height="9" />
                    <rect class="chart__closed" x="140" y=y + 12 width=w(r.figures.closed) height="9" />
                }
            })
            .collect_view();
        let table_rows = rows
            .iter()
            .map(|r| {
                view! {
                    <tr>
                        <th scope="row">{name(r)}</th>
                        {cells(&r.figures)}
                    </tr>
                }
            })
            .collect_view();
        let height = (24 * rows.len()).max(24);
        view! {
            <section class="reports__part" aria-labelledby="report-by">
                <h2 id="report-by">{caption}</h2>
                <svg
                    class="chart"
                    role="img"
                    aria-labelledby="report-by-title"
                    viewBox=format!("0 0 400 {height}")
                    width="400"
                    height=height
                >
                    <title id="report-by-title">{caption}</title>
                    {bars}
                </svg>
                <table class="reports__table">
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{head}</th>
                            {figure_heads()}
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </section>
        }
    };

    view! {
        <table class="reports__table">
            <caption>{t.report_totals}</caption>
            <thead>
                <tr>{figure_heads()}</tr>
            </thead>
            <tbody>
                <tr>{cells(&totals)}</tr>
            </tbody>
        </table>
        <p class="chart__legend" aria-hidden="true">
            <span class="chart__key chart__opened"></span>
            {t.opened_heading}
            " "
            <span class="chart__key chart__closed"></span>
            {t.closed_heading}
        </p>
        <section class="reports__part" aria-labelledby="report-days">
            <h2 id="report-days">{t.per_day}</h2>
            <svg
                class="chart"
                role="img"
                aria-labelledby="report-days-title"
                viewBox=format!("0 0 {width} 100")
                width=width
                height="100"
            >
                <title id="report-days-title">{t.per_day}</title>
                {bars}
            </svg>
            <table class="reports__table">
                <caption>{t.per_day}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.day_heading}</th>
                        <th scope="col">{t.opened_heading}</th>
                        <th scope="col">{t.closed_heading}</th>
                    </tr>
                </thead>
                <tbody>{day_rows}</tbody>
            </table>
        </section>
        {by}
        <table class="reports__table">
            <caption>{t.open_per_inbox}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.inbox_heading}</th>
                    <th scope="col">{t.open_now}</th>
                </tr>
            </thead>
            <tbody>{inbox_rows}</tbody>
        </table>
    }
}
