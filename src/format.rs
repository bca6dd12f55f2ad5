//! Times and names as agents read them. Local time comes from `js_sys::Date`, which
//! costs nothing in the wasm (chrono would add ~15 KB); month and weekday names from
//! `Intl` in the app's locale (`toLocaleString`).

use js_sys::Date;
use parley_domain::Timestamp;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Milliseconds since the epoch, now.
pub fn now_millis() -> i64 {
    #[cfg(target_arch = "wasm32")]
    return Date::now() as i64;
    // The store's native tests run outside a browser.
    #[cfg(not(target_arch = "wasm32"))]
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// 53 random bits (as many as a double holds exactly).
pub fn random_53() -> u64 {
    #[cfg(target_arch = "wasm32")]
    return (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    // Native tests need ids that differ, not randomness.
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        NEXT.fetch_add(1, Ordering::Relaxed)
    }
}

/// A list item's time: "now", "5 min", "14:05" today, "Mon" this week, "12 Mar" before.
pub fn short_time(at: Timestamp, now: i64) -> String {
    let age = now - at.millis();
    if age < MINUTE {
        return crate::i18n::t().just_now.into();
    }
    if age < HOUR {
        return (crate::i18n::t().minutes_ago)(age / MINUTE);
    }
    let date = local(at);
    let today = Date::new(&(now as f64).into());
    if same_day(&date, &today) {
        clock(&date)
    } else if age < 6 * DAY {
        intl(&date, r#"{"weekday":"short"}"#)
    } else if date.get_full_year() == today.get_full_year() {
        day_month(&date)
    } else {
        intl(&date, r#"{"day":"numeric","month":"short","year":"numeric"}"#)
    }
}

/// A message's time: "14:05" today, "12 Mar 14:05" otherwise.
pub fn message_time(at: Timestamp, now: i64) -> String {
    let date = local(at);
    if same_day(&date, &Date::new(&(now as f64).into())) {
        clock(&date)
    } else {
        format!("{} {}", day_month(&date), clock(&date))
    }
}

/// The machine-readable form for `<time datetime=…>`.
pub fn iso(at: Timestamp) -> String {
    String::from(local(at).to_iso_string())
}

/// The value of an `<input type="datetime-local">` showing `at` in local time:
/// "2026-03-12T14:05".
pub fn datetime_local(at: Timestamp) -> String {
    let d = local(at);
    format!("{:04}-{:02}-{:02}T{}", d.get_full_year(), d.get_month() + 1, d.get_date(), clock(&d))
}

/// Reads a `datetime-local` value (local time, as the input gives it).
pub fn parse_datetime_local(value: &str) -> Option<Timestamp> {
    // Without an offset, `Date` reads an ISO date-time as local time (ECMA-262).
    let millis = Date::new(&value.into()).get_time();
    (!millis.is_nan() && !value.is_empty()).then_some(Timestamp(millis as i64))
}

/// A duration in whole minutes as agents read it: "12 min", "1 h 05 min", "2 h".
pub fn minutes(total: i64) -> String {
    match (total / 60, total % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// A call's length as its timer shows it: "0:42", "12:05", "1:02:03".
pub fn clock_duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// A file size as agents read it: "820 B", "12 KB", "1.5 MB" ("1,5 Mo" in French; powers
/// of 1024, as the 10 MB attachment limit is counted).
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    let t = crate::i18n::t();
    if bytes < KB {
        format!("{bytes} {}", t.unit_b)
    } else if bytes < MB {
        format!("{} {}", bytes.div_ceil(KB), t.unit_kb)
    } else {
        // One decimal, rounded up so that a file just over the limit never reads "10.0 MB".
        let tenths = (bytes * 10).div_ceil(MB);
        format!("{}{}{} {}", tenths / 10, t.decimal_point, tenths % 10, t.unit_mb)
    }
}

/// Up to two initials for an avatar: "Alice Martin" → "AM", "bob" → "B".
pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|word| word.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

fn local(at: Timestamp) -> Date {
    Date::new(&(at.millis() as f64).into())
}

fn same_day(a: &Date, b: &Date) -> bool {
    a.get_full_year() == b.get_full_year() && a.get_month() == b.get_month() && a.get_date() == b.get_date()
}

fn clock(date: &Date) -> String {
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// "12 Mar", "12 mars".
fn day_month(date: &Date) -> String {
    intl(date, r#"{"day":"numeric","month":"short"}"#)
}

/// `date` as `Intl` writes it in the app's locale, `options` being a JSON object of
/// `Intl.DateTimeFormat` options (one parse: smaller than setting fields one by one).
fn intl(date: &Date, options: &str) -> String {
    let options = js_sys::JSON::parse(options).unwrap_or_default();
    date.to_locale_string(crate::i18n::locale_now().intl(), &options).into()
}

#[cfg(test)]
mod tests {
    use super::{clock_duration, file_size, initials, minutes};

    #[test]
    fn call_timers_read_as_minutes_and_seconds() {
        for (ms, expected) in
            [(0, "0:00"), (999, "0:00"), (42_000, "0:42"), (725_000, "12:05"), (3_723_000, "1:02:03"), (-5, "0:00")]
        {
            assert_eq!(clock_duration(ms), expected, "{ms}");
        }
    }

    #[test]
    fn sizes_round_up() {
        let mb = 1024 * 1024;
        for (bytes, expected) in [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1 KB"),
            (1025, "2 KB"),
            (mb, "1.0 MB"),
            (mb + mb / 2, "1.5 MB"),
            (10 * mb, "10.0 MB"),
            (10 * mb + 1, "10.1 MB"),
        ] {
            assert_eq!(file_size(bytes), expected, "{bytes}");
        }
    }

    #[test]
    fn durations_in_minutes_and_seconds() {
        for (ms, expected) in [(0, "0:00"), (999, "0:00"), (7_000, "0:07"), (299_999, "4:59"), (300_000, "5:00")] {
            assert_eq!(clock_duration(ms), expected, "{ms}");
        }
    }

    #[test]
    fn minutes_read_as_hours_past_the_hour() {
        for (total, expected) in [(0, "0 min"), (12, "12 min"), (60, "1 h"), (65, "1 h 05 min"), (150, "2 h 30 min")] {
            assert_eq!(minutes(total), expected, "{total}");
        }
    }

    #[test]
    fn initials_take_the_first_two_words() {
        for (name, expected) in
            [("Alice Martin", "AM"), ("bob", "B"), ("Jean Luc Picard", "JL"), ("", ""), ("  émile  zola ", "ÉZ")]
        {
            assert_eq!(initials(name), expected, "{name:?}");
        }
    }
}
