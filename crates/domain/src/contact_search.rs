//! The contacts page's search (`GET /contacts?q=`): which search terms a contact has, what
//! a query looks for, and the order of the results.
//!
//! A contact is found when one of its terms starts with the query's key, so the server
//! answers from an index over the terms (a range `key <= term < key + U+10FFFF`) instead
//! of reading every contact. The terms are:
//! - the folded name (lower case, no accents) from each word on: "Léa Moreau" has
//!   "lea moreau" and "moreau", so "mor" and "lea m" both find her;
//! - the folded email address;
//! - the phone's digits from each position with at least [`MIN_PHONE_DIGITS`] left, so
//!   any run of digits finds the number, with or without its country code;
//! - each tag.

use crate::text::fold;

/// The shortest tail of a phone number's digits kept as a term (a query of fewer digits
/// still finds numbers whose digits start with it).
pub const MIN_PHONE_DIGITS: usize = 4;

/// The fewest digits after leading zeros for those zeros to be a national prefix
/// ("07700 900123"), not part of the number ("0123", its last digits).
pub const NATIONAL_DIGITS: usize = 6;

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Contacts a page holds by default, and at most.
pub const PAGE_LIMIT: usize = 50;
pub const MAX_PAGE_LIMIT: usize = 200;

/// The order of the results: by this key (the folded name), then by id.
pub fn sort_key(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every search term of a contact, each once.
pub fn terms<S: AsRef<str>>(name: &str, phone: Option<&str>, email: Option<&str>, tags: &[S]) -> Vec<String> {
    let mut out = Vec::new();
    let name = sort_key(name);
    out.extend(name.match_indices(' ').map(|(i, _)| name[i + 1..].to_owned()));
    out.push(name);
    if let Some(email) = email {
        out.push(fold(email.trim()));
    }
    if let Some(phone) = phone {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let last = digits.len().saturating_sub(MIN_PHONE_DIGITS);
        out.extend((0..=last).filter(|_| !digits.is_empty()).map(|i| digits[i..].to_owned()));
    }
    out.extend(tags.iter().map(|t| fold(t.as_ref())));
    out.retain(|t| !t.is_empty());
    out.sort();
    out.dedup();
    out
}

/// What a query looks for: the prefix its terms must start with (`None`: every contact).
///
/// Text is folded like the names and its spaces collapsed. A query of digits and phone
/// punctuation (`+`, spaces, `.`, `-`, parentheses) is a phone number: its digits, without
/// the leading zeros of a national prefix when [`NATIONAL_DIGITS`] or more follow
/// ("07700 900123" finds +44 7700 900123; "0123" stays the number's last digits).
pub fn query_key(q: &str) -> Result<Option<String>, String> {
    let q = q.trim();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("q: at most {MAX_QUERY_CHARS} characters"));
    }
    if let Some(c) = crate::text::refused_in_line(q) {
        return Err(format!("q: the character U+{:04X} is not allowed", u32::from(c)));
    }
    if q.is_empty() {
        return Ok(None);
    }
    let phone_like = q.chars().any(|c| c.is_ascii_digit())
        && q.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')'));
    if phone_like {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let national = digits.trim_start_matches('0');
        return Ok(Some(if national.len() >= NATIONAL_DIGITS { national.to_owned() } else { digits }));
    }
    Ok(Some(sort_key(q)))
}

/// The end of the range of terms starting with `key` (exclusive): the key with its last
/// character replaced by the next one ("mar" → "mas"), which sorts after every string
/// starting with the key, in UTF-8 bytes as in code points. (A range to "mar" + U+10FFFF
/// holds the same terms, but PostgreSQL then estimates it at a handful of rows and plans
/// for that.) Trailing U+10FFFF have no next character and are dropped first. A key of
/// nothing else has no end (`None`): every string from it on starts with it.
pub fn key_end(key: &str) -> Option<String> {
    let mut end: Vec<char> = key.chars().collect();
    while let Some(last) = end.pop() {
        let next = match u32::from(last) + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(next) = next {
            end.push(next);
            return Some(end.into_iter().collect());
        }
    }
    None
}

/// Whether a contact with these fields is found by `key` (what the index answers, for
/// tests and for checking a result).
pub fn finds<S: AsRef<str>>(key: &str, name: &str, phone: Option<&str>, email: Option<&str>, tags: &[S]) -> bool {
    terms(name, phone, email, tags).iter().any(|t| t.starts_with(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn terms_of_a_contact() {
        #[rustfmt::skip]
        let rows: &[(&str, Option<&str>, Option<&str>, &[&str], &[&str])] = &[
            ("Léa Moreau", None, None, NONE, &["lea moreau", "moreau"]),
            ("  Ana   María  López ", None, None, NONE, &["ana maria lopez", "lopez", "maria lopez"]),
            ("Bob", Some("+44 7700 900123"), Some("Bob@Example.COM"), &["vip", "Late-Payer"],
             &["00123", "00900123", "0123", "0900123", "447700900123", "47700900123", "700900123",
               "7700900123", "900123", "bob", "bob@example.com", "late-payer", "vip"]),
            ("X", Some("+331234"), None, NONE, &["1234", "31234", "331234", "x"]),
            ("X", Some("+123"), None, NONE, &["123", "x"]),
        ];
        for &(name, phone, email, tags, expected) in rows {
            let got = terms(name, phone, email, tags);
            let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            assert_eq!(got, expected, "{name} {phone:?}");
        }
    }

    #[test]
    fn query_keys() {
        #[rustfmt::skip]
        let rows: &[(&str, Option<&str>)] = &[
            ("", None), ("   ", None),
            ("Léa", Some("lea")), ("  LEA   mo ", Some("lea mo")),
            ("+44 7700 900123", Some("447700900123")), ("07700-900 123", Some("7700900123")),
            ("(0)20 7946", Some("207946")), ("000", Some("000")), ("0123", Some("0123")),
            ("012345", Some("012345")), ("0123456", Some("123456")),
            ("bob@Example.com", Some("bob@example.com")), ("r2d2", Some("r2d2")), ("+", Some("+")),
        ];
        for &(q, expected) in rows {
            assert_eq!(query_key(q).unwrap().as_deref(), expected, "{q:?}");
        }
        assert!(query_key(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(query_key("a\u{202e}b").is_err());
    }

    #[test]
    fn what_a_query_finds() {
        let tags = ["vip"];
        let (name, phone, email) = ("Léa Moreau", Some("+447700900123"), Some("lea@example.com"));
        #[rustfmt::skip]
        let rows: &[(&str, bool)] = &[
            ("lea", true), ("LÉA", true), ("mor", true), ("moreau", true), ("lea mor", true),
            ("eau", false), ("mor lea", false),
            ("+44 7700", true), ("07700 900 123", true), ("900123", true), ("0123", true), ("4477", true),
            ("lea@", true), ("example.com", false), ("vi", true), ("vip", true), ("vipp", false),
        ];
        for &(q, expected) in rows {
            let key = query_key(q).unwrap().unwrap();
            assert_eq!(finds(&key, name, phone, email, &tags), expected, "{q:?} ({key:?})");
        }
    }

    #[test]
    fn the_range_holds_exactly_the_terms_starting_with_the_key() {
        #[rustfmt::skip]
        let rows: &[(&str, Option<&str>, &[(&str, bool)])] = &[
            ("lea", Some("leb"), &[("lea", true), ("lea moreau", true), ("leaz", true), ("lea\u{10FFFF}", true),
                                   ("le", false), ("leb", false), ("leb a", false)]),
            ("a\u{D7FF}", Some("a\u{E000}"), &[("a\u{D7FF}x", true), ("a\u{E000}", false)]),
            ("é", Some("ê"), &[("école", true), ("e", false), ("é", true), ("éa", true), ("ê", false)]),
            ("z\u{10FFFF}", Some("{"), &[("z\u{10FFFF}\u{10FFFF}", true), ("z\u{10FFFF}a", true), ("{", false)]),
            ("\u{10FFFF}", None, &[("\u{10FFFF}", true), ("\u{10FFFF}a", true), ("\u{10FFFF}\u{10FFFF}", true),
                                   ("\u{10FFFE}\u{10FFFF}", false)]),
            ("\u{10FFFF}\u{10FFFF}", None, &[("\u{10FFFF}", false), ("\u{10FFFF}\u{10FFFF}a", true)]),
        ];
        for &(key, end, terms) in rows {
            assert_eq!(key_end(key).as_deref(), end, "{key:?}");
            for &(term, inside) in terms {
                assert_eq!(term.starts_with(key), inside, "{term:?} starts with {key:?}");
                assert_eq!(in_range(term, key, end), inside, "{term:?} in {key:?}..{end:?}");
                // The same in bytes, as the databases compare (SQLite's BINARY, PostgreSQL's "C").
                let bytes_end = end.map(str::as_bytes);
                let in_bytes = term.as_bytes() >= key.as_bytes() && bytes_end.is_none_or(|e| term.as_bytes() < e);
                assert_eq!(in_bytes, inside, "{term:?}");
            }
        }
    }

    fn in_range(term: &str, key: &str, end: Option<&str>) -> bool {
        term >= key && end.is_none_or(|e| term < e)
    }

    proptest::proptest! {
        /// Whatever the key and the term, the term is in the key's range exactly when it
        /// starts with the key.
        #[test]
        fn the_range_is_the_prefix(key in "[a-c\u{E9}\u{D7FF}\u{E000}\u{10FFFF}]{1,4}", term in "[a-c\u{E9}\u{D7FF}\u{E000}\u{10FFFF}]{0,6}") {
            let end = key_end(&key);
            proptest::prop_assert_eq!(in_range(&term, &key, end.as_deref()), term.starts_with(&key));
        }
    }

    #[test]
    fn sort_keys_fold_case_accents_and_spaces() {
        assert_eq!(sort_key("  Émile   Zola "), "emile zola");
        let mut names = ["bob", "Émile", "Ana", "ana"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["Ana", "ana", "bob", "Émile"]);
    }
}
