//! Team reports (issue 15, item 4): what each figure means. The server aggregates in SQL
//! by these definitions (storage/reports.rs); this module owns the period, the days, the
//! median, the SLA breach and the CSV, so both sides and the tests agree on them.
//!
//! Definitions (all times are server timestamps, UTC milliseconds):
//! - **Period**: `from` and `to` are calendar dates, both included, in the time zone `tz`,
//!   a fixed UTC offset (`Z`, `+02:00`, `-05:30`): the app sends the browser's current
//!   offset. A fixed offset keeps day boundaries computable in SQL on both backends; a
//!   period across a DST change is counted in the offset given. At most [`MAX_DAYS`] days.
//! - **Opened on a day**: a conversation whose `opened_at` falls in that local day.
//! - **Closed on a day**: a conversation closed now whose *last* close (closed or bulk
//!   resolved in its audit trail) falls in that day. A reopened conversation counts once,
//!   when it is finally closed, and not at all while it is open again.
//! - **First-response time**: from the conversation's first incoming message to the first
//!   message an agent sent after it. From the first incoming message, not the opening, so
//!   conversations an agent started (no incoming message) do not count as instant replies;
//!   counted in the period of that reply.
//! - **Resolution time**: from `opened_at` to the last close (as "closed"), counted in the
//!   period of that close; time spent reopened is included.
//! - **SLA breach**: a conversation whose first reply came later than the workspace's
//!   first-response target after its first incoming message, or has not come and the target
//!   has passed ([`crate::sla`], the red clock); counted in the period in which the target
//!   passed (first incoming message + target), once that moment is past.
//! - **Median**: the lower median (the ⌈n/2⌉-th smallest, [`median_rank`]): always a real
//!   sample, equal to PostgreSQL's `percentile_disc(0.5)`.
//! - **Breakdowns**: by the contact's assignee now (agent; none = "Unassigned"), its team
//!   now (the contact's team, else its agent's first team in side-panel order; else none)
//!   and the conversation's channel.
//! - **Open now**: conversations not closed (new, pending, snoozed) at the time of the report.

use serde::{Deserialize, Serialize};

use crate::sla::SlaTargets;

pub const DAY_MS: i64 = 86_400_000;
/// The longest period a report covers, in days.
pub const MAX_DAYS: i64 = 366;
/// The largest UTC offset accepted, in minutes (±14:00, as in the IANA database).
pub const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// A calendar date as days since 1970-01-01.
pub type Day = i64;

/// `YYYY-MM-DD` (proleptic Gregorian), or `None`.
pub fn parse_date(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        s.get(r.clone()).filter(|t| t.bytes().all(|c| c.is_ascii_digit()))?.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// The date of `day` as `YYYY-MM-DD`.
pub fn format_date(day: Day) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: Day) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// A fixed UTC offset in minutes from `Z`, `UTC`, `+HH:MM` or `-HH:MM` (at most ±14:00).
pub fn parse_offset(s: &str) -> Option<i32> {
    if s == "Z" || s == "UTC" {
        return Some(0);
    }
    let b = s.as_bytes();
    if b.len() != 6 || b[3] != b':' || !b[1..3].iter().chain(&b[4..6]).all(u8::is_ascii_digit) {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m): (i32, i32) = (s[1..3].parse().ok()?, s[4..6].parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= MAX_OFFSET_MINUTES).then_some(sign * minutes)
}

/// An offset as `+HH:MM` (`Z` is written `+00:00`).
pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let a = minutes.abs();
    format!("{sign}{:02}:{:02}", a / 60, a % 60)
}

/// A report's period: local days `from..=to` at a fixed UTC offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Day,
    pub to: Day,
    pub offset_minutes: i32,
}

/// Why a period was refused, naming the query parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodError {
    pub param: &'static str,
    pub message: String,
}

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.param, self.message)
    }
}

impl Period {
    /// Checks the query's `from`, `to` and `tz` (missing `tz` is UTC).
    pub fn parse(from: Option<&str>, to: Option<&str>, tz: Option<&str>) -> Result<Period, PeriodError> {
        let err = |param, message: &str| PeriodError { param, message: message.into() };
        let date = |param, v: Option<&str>| {
            let v = v.ok_or_else(|| err(param, "required, as YYYY-MM-DD"))?;
            parse_date(v).ok_or_else(|| err(param, "not a date as YYYY-MM-DD"))
        };
        let (from, to) = (date("from", from)?, date("to", to)?);
        let offset_minutes = match tz {
            None => 0,
            Some(t) => {
                parse_offset(t).ok_or_else(|| err("tz", "not a UTC offset as Z, +HH:MM or -HH:MM (at most 14:00)"))?
            }
        };
        if to < from {
            return Err(err("to", "before from"));
        }
        if to - from + 1 > MAX_DAYS {
            return Err(err("to", &format!("the period covers more than {MAX_DAYS} days")));
        }
        Ok(Period { from, to, offset_minutes })
    }

    fn offset_ms(&self) -> i64 {
        i64::from(self.offset_minutes) * 60_000
    }

    /// The first instant of the period (UTC ms, included).
    pub fn start_ms(&self) -> i64 {
        self.from * DAY_MS - self.offset_ms()
    }

    /// The instant after the period (UTC ms, excluded): midnight after `to`, local.
    pub fn end_ms(&self) -> i64 {
        (self.to + 1) * DAY_MS - self.offset_ms()
    }

    pub fn days(&self) -> i64 {
        self.to - self.from + 1
    }

    /// The local day an instant falls on. SQL writes the same as
    /// `(at + offset_ms) div DAY_MS` with floor division.
    pub fn day_of(&self, at_ms: i64) -> Day {
        (at_ms + self.offset_ms()).div_euclid(DAY_MS)
    }

    pub fn contains(&self, at_ms: i64) -> bool {
        (self.start_ms()..self.end_ms()).contains(&at_ms)
    }
}

/// The 1-based rank of the lower median among `n` sorted samples: ⌈n/2⌉.
pub const fn median_rank(n: usize) -> usize {
    n.div_ceil(2)
}

/// The lower median of `samples` (any order); `None` when there is none.
pub fn median(samples: &[i64]) -> Option<i64> {
    let mut v = samples.to_vec();
    v.sort_unstable();
    v.get(median_rank(v.len()).checked_sub(1)?).copied()
}

/// How long a first reply may take before it breaches the SLA (ms); a wait longer than
/// this is a breach, as [`crate::sla::sla_state`] turns red past its due time.
pub fn first_response_target_ms(targets: SlaTargets) -> i64 {
    targets.first_response_minutes * 60_000
}

/// Whether waiting `waited_ms` for the first reply breached the target.
pub fn breached(targets: SlaTargets, waited_ms: i64) -> bool {
    waited_ms > first_response_target_ms(targets)
}

/// The figures of one scope (the whole team, or an agent, team or channel).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub opened: u32,
    pub closed: u32,
    /// Lower median first-response time in ms; null without a first reply in the period.
    pub median_first_response_ms: Option<i64>,
    /// Lower median resolution time in ms; null without a close in the period.
    pub median_resolution_ms: Option<i64>,
    pub sla_breaches: u32,
    /// Conversations not closed now.
    pub open_now: u32,
}

/// One local day of the period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`, local to the report's offset.
    pub date: String,
    pub opened: u32,
    pub closed: u32,
}

/// One row of a breakdown: an agent, a team or a channel.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownRow {
    /// The user, team or channel id; null for no agent / no team.
    pub id: Option<String>,
    pub name: String,
    pub figures: Figures,
}

/// Conversations open now in a side-panel inbox (standard and team inboxes).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxOpen {
    pub inbox: String,
    pub name: String,
    pub open: u32,
}

/// `GET /reports`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    /// The UTC offset days are counted in, as `+HH:MM`.
    pub tz: String,
    pub totals: Figures,
    /// Every day of the period, in order (zeros included).
    pub days: Vec<DayCount>,
    pub agents: Vec<BreakdownRow>,
    pub teams: Vec<BreakdownRow>,
    pub channels: Vec<BreakdownRow>,
    pub inboxes: Vec<InboxOpen>,
}

/// The CSV's columns (one table; `scope` says which part of the report a row is).
pub const CSV_HEADER: [&str; 9] = [
    "scope",
    "id",
    "name",
    "opened",
    "closed",
    "median_first_response_seconds",
    "median_resolution_seconds",
    "sla_breaches",
    "open_now",
];

/// Characters a spreadsheet reads as the start of a formula at the start of a cell.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF, quotes
/// doubled. A field that a spreadsheet would run as a formula (a contact or agent named
/// "=HYPERLINK(…)") starts with an apostrophe, which makes it text (OWASP's CSV injection
/// advice); the figures are never negative, so only names and ids can.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(FORMULA_START) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\r', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

fn csv_line(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// The report as RFC 4180 CSV (CRLF line ends, a header row): the totals (`total`), each
/// day (`day`, id = the date), each agent, team and channel, and each inbox's open count
/// (`inbox`). Times in whole seconds (rounded down); empty where there is no figure.
pub fn to_csv(r: &Report) -> String {
    let mut out = String::new();
    csv_line(&mut out, &CSV_HEADER.map(String::from));
    let secs = |ms: Option<i64>| ms.map(|v| v.div_euclid(1000).to_string()).unwrap_or_default();
    let figures = |scope: &str, id: &str, name: &str, f: &Figures| {
        [
            scope.into(),
            id.into(),
            name.into(),
            f.opened.to_string(),
            f.closed.to_string(),
            secs(f.median_first_response_ms),
            secs(f.median_resolution_ms),
            f.sla_breaches.to_string(),
            f.open_now.to_string(),
        ]
    };
    csv_line(&mut out, &figures("total", "", &format!("{} to {} ({})", r.from, r.to, r.tz), &r.totals));
    for d in &r.days {
        let f = [
            "day".into(),
            d.date.clone(),
            d.date.clone(),
            d.opened.to_string(),
            d.closed.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        csv_line(&mut out, &f);
    }
    for (scope, rows) in [("agent", &r.agents), ("team", &r.teams), ("channel", &r.channels)] {
        for row in rows {
            csv_line(&mut out, &figures(scope, row.id.as_deref().unwrap_or(""), &row.name, &row.figures));
        }
    }
    for i in &r.inboxes {
        let mut f: [String; 9] = Default::default();
        (f[0], f[1], f[2], f[8]) = ("inbox".into(), i.inbox.clone(), i.name.clone(), i.open.to_string());
        csv_line(&mut out, &f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates() {
        for (s, want) in [
            ("1970-01-01", Some(0)),
            ("1970-01-02", Some(1)),
            ("1969-12-31", Some(-1)),
            ("2000-03-01", Some(11_017)),
            ("2024-02-29", Some(19_782)),
            ("2023-02-29", None),
            ("2100-02-29", None),
            ("2000-02-29", Some(11_016)),
            ("2026-12-31", Some(20_818)),
            ("2026-13-01", None),
            ("2026-00-10", None),
            ("2026-04-31", None),
            ("2026-4-01", None),
            ("2026/04/01", None),
            ("+026-04-01", None),
            ("", None),
        ] {
            assert_eq!(parse_date(s), want, "{s}");
            if let Some(d) = want {
                assert_eq!(format_date(d), s);
            }
        }
    }

    #[test]
    fn offsets() {
        for (s, want) in [
            ("Z", Some(0)),
            ("UTC", Some(0)),
            ("+00:00", Some(0)),
            ("+02:00", Some(120)),
            ("-05:30", Some(-330)),
            ("+14:00", Some(840)),
            ("-14:00", Some(-840)),
            ("+14:01", None),
            ("+01:60", None),
            ("+0200", None),
            ("02:00", None),
            ("Europe/Paris", None),
            ("+2:00", None),
        ] {
            assert_eq!(parse_offset(s), want, "{s}");
            if let Some(m) = want.filter(|_| s.len() == 6) {
                assert_eq!(format_offset(m), s);
            }
        }
    }

    #[test]
    fn periods() {
        let p = |f, t, z| Period::parse(f, t, z).map_err(|e| e.param);
        assert_eq!(p(Some("2026-03-01"), Some("2026-03-01"), None).unwrap().days(), 1);
        assert_eq!(p(None, Some("2026-03-01"), None), Err("from"));
        assert_eq!(p(Some("2026-03-01"), None, None), Err("to"));
        assert_eq!(p(Some("x"), Some("2026-03-01"), None), Err("from"));
        assert_eq!(p(Some("2026-03-02"), Some("2026-03-01"), None), Err("to"));
        assert_eq!(p(Some("2026-03-01"), Some("2026-03-01"), Some("Mars")), Err("tz"));
        // 366 days is the most: 2024 (leap) whole, not 2024-01-01..2025-01-01.
        assert!(p(Some("2024-01-01"), Some("2024-12-31"), None).is_ok());
        assert_eq!(p(Some("2024-01-01"), Some("2025-01-01"), None), Err("to"));
    }

    #[test]
    fn day_boundaries_follow_the_offset() {
        let day = parse_date("2026-03-10").unwrap();
        let paris = Period { from: day, to: day, offset_minutes: 120 };
        let utc_midnight = day * DAY_MS;
        // Local midnight at +02:00 is 22:00 UTC the day before.
        assert_eq!(paris.start_ms(), utc_midnight - 2 * 3_600_000);
        assert_eq!(paris.end_ms(), utc_midnight + 22 * 3_600_000);
        for (at, want_day, inside) in [
            (paris.start_ms() - 1, day - 1, false),
            (paris.start_ms(), day, true),
            (utc_midnight + 21 * 3_600_000, day, true),
            (paris.end_ms() - 1, day, true),
            (paris.end_ms(), day + 1, false),
        ] {
            assert_eq!((paris.day_of(at), paris.contains(at)), (want_day, inside), "{at}");
        }
        let west = Period { from: day, to: day, offset_minutes: -330 };
        assert_eq!(west.day_of(utc_midnight + 5 * 3_600_000), day - 1);
        assert_eq!(west.day_of(utc_midnight + 6 * 3_600_000), day);
    }

    #[test]
    fn medians() {
        for (v, want) in [
            (vec![], None),
            (vec![5], Some(5)),
            (vec![9, 1], Some(1)),
            (vec![3, 1, 2], Some(2)),
            (vec![4, 1, 3, 2], Some(2)),
            (vec![7, 7, 1, 7], Some(7)),
        ] {
            assert_eq!(median(&v), want, "{v:?}");
        }
        assert_eq!([0, 1, 2, 3, 4].map(median_rank), [0, 1, 1, 2, 2]);
    }

    #[test]
    fn breaches() {
        let t = SlaTargets { first_response_minutes: 15, next_response_minutes: 60 };
        assert!(!breached(t, 15 * 60_000));
        assert!(breached(t, 15 * 60_000 + 1));
        assert!(!breached(t, 0));
    }

    #[test]
    fn csv_fields() {
        for (s, want) in [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
            ("é ü", "é ü"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+33 6", "'+33 6"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_field(s), want, "{s}");
        }
    }

    fn figures(n: u32) -> Figures {
        Figures {
            opened: n,
            closed: n + 1,
            median_first_response_ms: Some(61_999),
            median_resolution_ms: None,
            sla_breaches: 2,
            open_now: 3,
        }
    }

    #[test]
    fn csv_layout() {
        let r = Report {
            from: "2026-03-10".into(),
            to: "2026-03-11".into(),
            tz: "+02:00".into(),
            totals: figures(4),
            days: vec![
                DayCount { date: "2026-03-10".into(), opened: 3, closed: 1 },
                DayCount { date: "2026-03-11".into(), opened: 1, closed: 4 },
            ],
            agents: vec![BreakdownRow { id: None, name: "Unassigned".into(), figures: figures(1) }],
            teams: vec![],
            channels: vec![BreakdownRow { id: Some("wa".into()), name: "Chat, \"EU\"".into(), figures: figures(0) }],
            inboxes: vec![InboxOpen { inbox: "all".into(), name: "All".into(), open: 3 }],
        };
        assert_eq!(
            to_csv(&r),
            "scope,id,name,opened,closed,median_first_response_seconds,median_resolution_seconds,sla_breaches,open_now\r\n\
             total,,2026-03-10 to 2026-03-11 (+02:00),4,5,61,,2,3\r\n\
             day,2026-03-10,2026-03-10,3,1,,,,\r\n\
             day,2026-03-11,2026-03-11,1,4,,,,\r\n\
             agent,,Unassigned,1,2,61,,2,3\r\n\
             channel,wa,\"Chat, \"\"EU\"\"\",0,1,61,,2,3\r\n\
             inbox,all,All,,,,,,3\r\n"
        );
    }

    /// An RFC 4180 reader written here, independent of `csv_field`.
    fn parse_csv(s: &str) -> Vec<Vec<String>> {
        let (mut rows, mut row, mut field) = (vec![], vec![], String::new());
        let mut chars = s.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        assert!(field.is_empty() && row.is_empty(), "the last line ends with CRLF");
        rows
    }

    proptest! {
        #[test]
        fn median_is_the_lower_middle_of_the_sorted(v in proptest::collection::vec(-1_000i64..1_000, 0..40)) {
            let mut sorted = v.clone();
            sorted.sort();
            let m = median(&v);
            prop_assert_eq!(m, if v.is_empty() { None } else { Some(sorted[(v.len() - 1) / 2]) });
            if let Some(m) = m {
                // At least half the samples are ≤ m, and more than half are ≥ m.
                prop_assert!(v.iter().filter(|&&x| x <= m).count() * 2 >= v.len());
                prop_assert!(v.iter().filter(|&&x| x >= m).count() * 2 > v.len());
            }
        }

        #[test]
        fn csv_names_round_trip(names in proptest::collection::vec("[a-zA-Z ,\"\r\n;é=+@-]{0,12}", 0..6)) {
            let rows: Vec<BreakdownRow> = names.iter().enumerate()
                .map(|(i, n)| BreakdownRow { id: Some(format!("u{i}")), name: n.clone(), figures: figures(i as u32) })
                .collect();
            let r = Report { from: "a".into(), to: "b".into(), tz: "Z".into(), totals: Figures::default(),
                days: vec![], agents: rows, teams: vec![], channels: vec![], inboxes: vec![] };
            let parsed = parse_csv(&to_csv(&r));
            prop_assert_eq!(parsed.len(), 2 + names.len());
            prop_assert!(parsed.iter().all(|row| row.len() == CSV_HEADER.len()));
            for (i, n) in names.iter().enumerate() {
                let shown = if n.starts_with(FORMULA_START) { format!("'{n}") } else { n.clone() };
                prop_assert_eq!(&parsed[2 + i][2], &shown);
                prop_assert_eq!(&parsed[2 + i][3], &i.to_string());
            }
        }

        #[test]
        fn dates_round_trip(day in -700_000i64..2_000_000) {
            let s = format_date(day);
            if s.len() == 10 {
                prop_assert_eq!(parse_date(&s), Some(day));
            }
        }
    }
}
