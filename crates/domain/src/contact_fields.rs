//! Contact fields as agents edit them: phone in E.164, email syntax, country (ISO 3166-1
//! alpha-2) and language (ISO 639-1) — checked the same way in the app and the server,
//! with a sentence the agent can act on; tags and custom attributes, normalised the same
//! way. Also which contacts look like duplicates, and how a merge combines tags and
//! attributes.

use std::collections::BTreeMap;

use crate::ids::{ChannelId, ContactId};
use crate::model::{ChannelKind, Contact};

/// Most tags a contact keeps (an edit may not exceed it; a merge keeps every tag).
pub const MAX_TAGS: usize = 20;
/// Most custom attributes a contact keeps (as for tags, a merge may exceed it).
pub const MAX_ATTRIBUTES: usize = 30;
/// Longest attribute value, in characters.
pub const MAX_ATTRIBUTE_VALUE: usize = 500;

/// ISO 3166-1 alpha-2 country codes (generated from the ISO list, sorted).
pub const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
    "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
    "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE",
    "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA",
    "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
    "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS",
    "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
    "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
    "ZM", "ZW",
];

/// ISO 639-1 language codes (generated from the ISO list, sorted).
pub const LANGUAGES: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi", "bm", "bn", "bo",
    "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo",
    "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi",
    "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka",
    "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng",
    "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn",
    "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "sh", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st",
    "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk",
    "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Why a field was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    Phone,
    Email,
    Country,
    Language,
    Name,
    /// The tag as typed (trimmed).
    Tag(String),
    TooManyTags,
    /// The attribute name as typed (trimmed).
    AttributeName(String),
    AttributeValue(String),
    DuplicateAttribute(String),
    TooManyAttributes,
    /// A sender's handle (Messenger, Instagram, Telegram, web chat).
    Handle,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldError::Phone => f.write_str("the phone number must be in international format, like +33612345678"),
            FieldError::Email => f.write_str("the email address is not valid"),
            FieldError::Country => f.write_str("the country must be an ISO 3166 code, like FR"),
            FieldError::Language => f.write_str("the language must be an ISO 639-1 code, like fr"),
            FieldError::Name => f.write_str("the name must be 1 to 200 characters"),
            FieldError::Tag(tag) => {
                write!(f, "the tag \"{tag}\" must be 1 to 32 letters, digits, hyphens or underscores")
            }
            FieldError::TooManyTags => write!(f, "a contact can have at most {MAX_TAGS} tags"),
            FieldError::AttributeName(key) => write!(
                f,
                "the attribute name \"{key}\" must be 1 to 40 lowercase letters, digits or underscores, starting with a letter"
            ),
            FieldError::AttributeValue(key) => {
                write!(f, "the value of \"{key}\" must be at most {MAX_ATTRIBUTE_VALUE} characters")
            }
            FieldError::DuplicateAttribute(key) => write!(f, "the attribute \"{key}\" is given twice"),
            FieldError::TooManyAttributes => write!(f, "a contact can have at most {MAX_ATTRIBUTES} attributes"),
            FieldError::Handle => write!(f, "the handle must be 1 to {MAX_HANDLE} characters without spaces"),
        }
    }
}

impl std::error::Error for FieldError {}

/// A phone number in E.164 (`+` then 8 to 15 digits, no leading zero), from what an agent
/// typed: spaces, dots, dashes and parentheses are dropped.
pub fn normalize_phone(raw: &str) -> Result<String, FieldError> {
    let kept: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    let digits = kept.strip_prefix('+').ok_or(FieldError::Phone)?;
    let ok = (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    if ok { Ok(kept) } else { Err(FieldError::Phone) }
}

/// A plausible address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn normalize_email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim();
    let (local, domain) = email.split_once('@').ok_or(FieldError::Email)?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
    if ok { Ok(email.to_owned()) } else { Err(FieldError::Email) }
}

pub fn normalize_country(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_ascii_uppercase();
    if COUNTRIES.binary_search(&code.as_str()).is_ok() { Ok(code) } else { Err(FieldError::Country) }
}

pub fn normalize_language(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_ascii_lowercase();
    if LANGUAGES.binary_search(&code.as_str()).is_ok() { Ok(code) } else { Err(FieldError::Language) }
}

pub fn normalize_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if (1..=200).contains(&name.chars().count()) { Ok(name.to_owned()) } else { Err(FieldError::Name) }
}

/// One tag: trimmed and lower-cased, 1 to 32 letters, digits, `-` or `_`.
pub fn normalize_tag(raw: &str) -> Result<String, FieldError> {
    let tag = raw.trim().to_lowercase();
    let ok =
        (1..=32).contains(&tag.chars().count()) && tag.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(tag) } else { Err(FieldError::Tag(raw.trim().to_owned())) }
}

/// A contact's tags as an agent gave them: each normalised, blanks skipped, repeats
/// (after normalising) kept once in their first place, at most [`MAX_TAGS`].
pub fn normalize_tags<S: AsRef<str>>(raw: &[S]) -> Result<Vec<String>, FieldError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.iter().map(AsRef::as_ref).filter(|t| !t.trim().is_empty()) {
        let tag = normalize_tag(tag)?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS { Err(FieldError::TooManyTags) } else { Ok(tags) }
}

/// Custom attributes from `(name, value)` pairs, both trimmed: names are 1 to 40
/// lowercase ASCII letters, digits or `_` starting with a letter (upper case is lowered),
/// values at most [`MAX_ATTRIBUTE_VALUE`] characters. A pair with an empty value is
/// dropped (that is how an attribute is removed); a name given twice is refused, as are
/// more than [`MAX_ATTRIBUTES`].
pub fn normalize_attributes<'a>(
    raw: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<BTreeMap<String, String>, FieldError> {
    let mut attributes = BTreeMap::new();
    for (key, value) in raw {
        let (key, value) = (key.trim(), value.trim());
        if value.is_empty() {
            continue;
        }
        let name = key.to_ascii_lowercase();
        let ok = (1..=40).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(FieldError::AttributeName(key.to_owned()));
        }
        if value.chars().count() > MAX_ATTRIBUTE_VALUE {
            return Err(FieldError::AttributeValue(name));
        }
        if attributes.insert(name.clone(), value.to_owned()).is_some() {
            return Err(FieldError::DuplicateAttribute(name));
        }
    }
    if attributes.len() > MAX_ATTRIBUTES { Err(FieldError::TooManyAttributes) } else { Ok(attributes) }
}

/// A merge's tags: the primary's, then the secondary's it lacks. Nothing is dropped, even
/// past [`MAX_TAGS`].
pub fn merge_tags(primary: &[String], secondary: &[String]) -> Vec<String> {
    let mut tags = primary.to_vec();
    tags.extend(secondary.iter().filter(|t| !primary.contains(t)).cloned());
    tags
}

/// A merge's attributes: both contacts', the primary's value winning where both have one.
pub fn merge_attributes(
    primary: &BTreeMap<String, String>,
    secondary: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut attributes = secondary.clone();
    attributes.extend(primary.iter().map(|(k, v)| (k.clone(), v.clone())));
    attributes
}

/// Longest sender handle, in characters.
pub const MAX_HANDLE: usize = 100;

/// Where an unknown sender writes from, as its channel kind names it: a phone number
/// (WhatsApp, SMS, Viber; Telegram when it parses as one), an email address, or a handle
/// (Messenger, Instagram, Telegram, web chat), kept as the custom attribute named after
/// the channel kind (`instagram` = `@ana`) since a contact has no handle field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SenderAddress {
    Phone(String),
    Email(String),
    Handle { attribute: &'static str, handle: String },
}

/// The normalised address an inbound message from `raw` on a `kind` channel comes from.
pub fn sender_address(kind: ChannelKind, raw: &str) -> Result<SenderAddress, FieldError> {
    use ChannelKind::*;
    let handle = |raw: &str| {
        let handle = raw.trim();
        let ok = (1..=MAX_HANDLE).contains(&handle.chars().count())
            && !handle.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(SenderAddress::Handle { attribute: kind.wire_name(), handle: handle.to_owned() })
        } else {
            Err(FieldError::Handle)
        }
    };
    match kind {
        Whatsapp | Sms | Viber => normalize_phone(raw).map(SenderAddress::Phone),
        Email => normalize_email(raw).map(|e| SenderAddress::Email(e.to_lowercase())),
        Telegram => normalize_phone(raw).map(SenderAddress::Phone).or_else(|_| handle(raw)),
        Messenger | Instagram | Webchat => handle(raw),
    }
}

impl SenderAddress {
    /// Whether `contact` has this address (phones compared in E.164, emails ignoring case,
    /// handles exactly).
    pub fn belongs_to(&self, contact: &Contact) -> bool {
        match self {
            SenderAddress::Phone(p) => {
                contact.phone.as_deref().and_then(|c| normalize_phone(c).ok()).as_ref() == Some(p)
            }
            SenderAddress::Email(e) => contact.email.as_deref().is_some_and(|c| c.trim().eq_ignore_ascii_case(e)),
            SenderAddress::Handle { attribute, handle } => contact.attributes.get(*attribute) == Some(handle),
        }
    }

    /// The contact an unknown sender becomes: unassigned, on `channel`, named `name` (else
    /// the address), with the address in the field that fits it.
    pub fn newcomer(&self, id: ContactId, channel: ChannelId, name: Option<&str>) -> Result<Contact, FieldError> {
        let shown = match self {
            SenderAddress::Phone(a) | SenderAddress::Email(a) | SenderAddress::Handle { handle: a, .. } => a,
        };
        let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => normalize_name(n)?,
            None => shown.clone(),
        };
        let mut contact = Contact {
            id,
            name,
            phone: None,
            email: None,
            country: None,
            language: None,
            assignee: None,
            assigned_team: None,
            blocked: false,
            channels: vec![channel],
            online: false,
            tags: Vec::new(),
            attributes: BTreeMap::new(),
        };
        match self {
            SenderAddress::Phone(p) => contact.phone = Some(p.clone()),
            SenderAddress::Email(e) => contact.email = Some(e.clone()),
            SenderAddress::Handle { attribute, handle } => {
                contact.attributes.insert((*attribute).to_owned(), handle.clone());
            }
        }
        Ok(contact)
    }
}

/// Whether two contacts look like the same person: they share a phone number (compared in
/// E.164) or an email address (case-insensitive).
pub fn looks_like_duplicate(a: &Contact, b: &Contact) -> bool {
    if a.id == b.id {
        return false;
    }
    let phone = |c: &Contact| c.phone.as_deref().and_then(|p| normalize_phone(p).ok());
    let email = |c: &Contact| c.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
    matches!((phone(a), phone(b)), (Some(x), Some(y)) if x == y)
        || matches!((email(a), email(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let rows: &[(&str, Option<&str>)] = &[
            ("+33 6 12 34 56 78", Some("+33612345678")),
            ("+1 (415) 555-0100", Some("+14155550100")),
            ("+44.20.7946.0000", Some("+442079460000")),
            ("0612345678", None),
            ("+0612345678", None),
            ("+33 6 12", None),
            ("+1234567890123456", None),
            ("+33 6 12 34 56 7a", None),
            ("", None),
        ];
        for (raw, want) in rows {
            assert_eq!(normalize_phone(raw).ok().as_deref(), *want, "{raw:?}");
        }
    }

    #[test]
    fn emails() {
        let rows: &[(&str, bool)] = &[
            ("alice@example.com", true),
            ("  a.b+tag@mail.example.co.uk ", true),
            ("alice@example", false),
            ("@example.com", false),
            ("alice@@example.com", false),
            ("al ice@example.com", false),
            ("alice@-example.com", false),
            ("alice@example..com", false),
            ("", false),
        ];
        for (raw, ok) in rows {
            assert_eq!(normalize_email(raw).is_ok(), *ok, "{raw:?}");
        }
    }

    #[test]
    fn codes() {
        assert_eq!(normalize_country(" fr ").as_deref(), Ok("FR"));
        assert_eq!(normalize_country("XX"), Err(FieldError::Country));
        assert_eq!(normalize_country("FRA"), Err(FieldError::Country));
        assert_eq!(normalize_language("FR").as_deref(), Ok("fr"));
        assert_eq!(normalize_language("xx"), Err(FieldError::Language));
        assert!(COUNTRIES.windows(2).all(|w| w[0] < w[1]), "sorted for binary search");
        assert!(LANGUAGES.windows(2).all(|w| w[0] < w[1]), "sorted for binary search");
        assert_eq!((COUNTRIES.len(), LANGUAGES.len()), (249, 184));
    }

    #[test]
    fn tags() {
        let (x32, x33) = ("x".repeat(32), "x".repeat(33));
        let rows: Vec<(Vec<&str>, Result<Vec<&str>, FieldError>)> = vec![
            (vec![" VIP ", "billing"], Ok(vec!["vip", "billing"])),
            (vec!["vip", "Vip", "VIP"], Ok(vec!["vip"])),
            (vec!["vip", " ", ""], Ok(vec!["vip"])),
            (vec![], Ok(vec![])),
            (vec!["a-b_c", "2024", "Café"], Ok(vec!["a-b_c", "2024", "café"])),
            (vec![&x32], Ok(vec![&x32])),
            (vec![&x33], Err(FieldError::Tag(x33.clone()))),
            (vec![" v i p "], Err(FieldError::Tag("v i p".into()))),
            (vec!["vip!"], Err(FieldError::Tag("vip!".into()))),
            (vec!["a,b"], Err(FieldError::Tag("a,b".into()))),
        ];
        for (raw, want) in rows {
            let want = want.map(|w| w.into_iter().map(str::to_owned).collect::<Vec<_>>());
            assert_eq!(normalize_tags(&raw), want, "{raw:?}");
        }
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert_eq!(normalize_tags(&many[..20]).map(|t| t.len()), Ok(20));
        assert_eq!(normalize_tags(&many), Err(FieldError::TooManyTags));
        // Repeats do not count against the limit.
        let repeated: Vec<&str> = many[..20].iter().map(String::as_str).chain(["T0"]).collect();
        assert_eq!(normalize_tags(&repeated).map(|t| t.len()), Ok(20));
    }

    #[test]
    fn attributes() {
        let long = "v".repeat(MAX_ATTRIBUTE_VALUE + 1);
        let (k40, k41) = ("k".repeat(40), "k".repeat(41));
        let rows: Vec<(Vec<(&str, &str)>, Result<Vec<(&str, &str)>, FieldError>)> = vec![
            (vec![(" plan ", " pro ")], Ok(vec![("plan", "pro")])),
            (vec![("Plan", "pro"), ("signup_source2", "ad")], Ok(vec![("plan", "pro"), ("signup_source2", "ad")])),
            (vec![("plan", "  "), ("", "")], Ok(vec![])),
            (vec![("plan", "pro"), ("PLAN", "free")], Err(FieldError::DuplicateAttribute("plan".into()))),
            (vec![("", "pro")], Err(FieldError::AttributeName("".into()))),
            (vec![("2fa", "on")], Err(FieldError::AttributeName("2fa".into()))),
            (vec![("signup source", "ad")], Err(FieldError::AttributeName("signup source".into()))),
            (vec![("plan-type", "pro")], Err(FieldError::AttributeName("plan-type".into()))),
            (vec![("é", "x")], Err(FieldError::AttributeName("é".into()))),
            (vec![(&k40, "x")], Ok(vec![(&k40, "x")])),
            (vec![(&k41, "x")], Err(FieldError::AttributeName(k41.clone()))),
            (vec![("note", &long)], Err(FieldError::AttributeValue("note".into()))),
            (vec![("note", &long[1..])], Ok(vec![("note", &long[1..])])),
        ];
        for (raw, want) in rows {
            let want = want.map(|w| w.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect());
            assert_eq!(normalize_attributes(raw.iter().copied()), want, "{raw:?}");
        }
        let keys: Vec<String> = (0..31).map(|i| format!("k{i}")).collect();
        let pairs = |n: usize| keys[..n].iter().map(|k| (k.as_str(), "v")).collect::<Vec<_>>();
        assert_eq!(normalize_attributes(pairs(30)).map(|a| a.len()), Ok(30));
        assert_eq!(normalize_attributes(pairs(31)), Err(FieldError::TooManyAttributes));
    }

    #[test]
    fn messages() {
        let rows = [
            (
                FieldError::Tag("v i p".into()),
                r#"the tag "v i p" must be 1 to 32 letters, digits, hyphens or underscores"#,
            ),
            (FieldError::TooManyTags, "a contact can have at most 20 tags"),
            (FieldError::AttributeValue("note".into()), r#"the value of "note" must be at most 500 characters"#),
            (FieldError::DuplicateAttribute("plan".into()), r#"the attribute "plan" is given twice"#),
            (FieldError::TooManyAttributes, "a contact can have at most 30 attributes"),
            (FieldError::Phone, "the phone number must be in international format, like +33612345678"),
        ];
        for (e, want) in rows {
            assert_eq!(e.to_string(), want);
        }
    }

    #[test]
    fn merging() {
        let v = |t: &[&str]| t.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        let rows: &[(&[&str], &[&str], &[&str])] = &[
            (&["vip"], &["billing", "vip"], &["vip", "billing"]),
            (&[], &["billing"], &["billing"]),
            (&["vip"], &[], &["vip"]),
        ];
        for (primary, secondary, want) in rows {
            assert_eq!(merge_tags(&v(primary), &v(secondary)), v(want));
        }
        let m = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<BTreeMap<_, _>>()
        };
        let rows: &[(&[(&str, &str)], &[(&str, &str)], &[(&str, &str)])] = &[
            (&[("plan", "pro")], &[("plan", "free"), ("seats", "3")], &[("plan", "pro"), ("seats", "3")]),
            (&[], &[("seats", "3")], &[("seats", "3")]),
            (&[("plan", "pro")], &[], &[("plan", "pro")]),
        ];
        for (primary, secondary, want) in rows {
            assert_eq!(merge_attributes(&m(primary), &m(secondary)), m(want));
        }
    }

    #[test]
    fn duplicates() {
        let c = |id: &str, phone: Option<&str>, email: Option<&str>| Contact {
            phone: phone.map(Into::into),
            email: email.map(Into::into),
            ..crate::testing::contact(id)
        };
        let a = c("a", Some("+33 6 12 34 56 78"), Some("Alice@Example.com"));
        assert!(looks_like_duplicate(&a, &c("b", Some("+33612345678"), None)));
        assert!(looks_like_duplicate(&a, &c("b", None, Some("alice@example.com"))));
        assert!(!looks_like_duplicate(&a, &c("b", Some("+33612345679"), Some("bob@example.com"))));
        assert!(!looks_like_duplicate(&a, &c("b", None, None)));
        assert!(!looks_like_duplicate(&a, &a.clone()));
    }

    #[test]
    fn sender_addresses() {
        use ChannelKind::*;
        let phone = |p: &str| Ok(SenderAddress::Phone(p.into()));
        let handle = |attribute: &'static str, h: &str| Ok(SenderAddress::Handle { attribute, handle: h.into() });
        let too_long = "a".repeat(MAX_HANDLE + 1);
        let rows: &[(ChannelKind, &str, Result<SenderAddress, FieldError>)] = &[
            (Whatsapp, "+33 6 51 29 60 93", phone("+33651296093")),
            (Sms, "+44 20 7946 0000", phone("+442079460000")),
            (Viber, "0612345678", Err(FieldError::Phone)),
            (Whatsapp, "@ana", Err(FieldError::Phone)),
            (Email, " Ana@Example.COM ", Ok(SenderAddress::Email("ana@example.com".into()))),
            (Email, "ana", Err(FieldError::Email)),
            (Telegram, "+33 6 12 34 56 78", phone("+33612345678")),
            (Telegram, " @ana_k ", handle("telegram", "@ana_k")),
            (Instagram, "@ana.shop", handle("instagram", "@ana.shop")),
            (Messenger, "ana k", Err(FieldError::Handle)),
            (Webchat, "", Err(FieldError::Handle)),
            (Instagram, too_long.as_str(), Err(FieldError::Handle)),
        ];
        for (kind, raw, want) in rows {
            assert_eq!(&sender_address(*kind, raw), want, "{kind:?} {raw:?}");
        }
    }

    #[test]
    fn a_sender_belongs_to_the_contact_with_its_address() {
        let mut known = crate::testing::contact("k");
        known.phone = Some("+33 6 51 29 60 93".into());
        known.email = Some("Ana@Example.com".into());
        known.attributes.insert("instagram".into(), "@ana".into());
        let rows: &[(ChannelKind, &str, bool)] = &[
            (ChannelKind::Whatsapp, "+33651296093", true),
            (ChannelKind::Sms, "+33 6 51 29 60 94", false),
            (ChannelKind::Email, "ana@example.com", true),
            (ChannelKind::Email, "bob@example.com", false),
            (ChannelKind::Instagram, "@ana", true),
            (ChannelKind::Messenger, "@ana", false),
            (ChannelKind::Instagram, "@Ana", false),
        ];
        for (kind, raw, want) in rows {
            assert_eq!(sender_address(*kind, raw).unwrap().belongs_to(&known), *want, "{kind:?} {raw:?}");
        }
        assert!(!SenderAddress::Phone("+33651296093".into()).belongs_to(&crate::testing::contact("k")));
    }

    #[test]
    fn a_newcomer_has_its_address_and_is_offered_for_a_merge() {
        let id = || ContactId("k-new".into());
        let ch = || ChannelId("ch-x".into());
        let phone = SenderAddress::Phone("+33651296093".into());
        let c = phone.newcomer(id(), ch(), None).unwrap();
        assert_eq!(
            (c.name.as_str(), c.phone.as_deref(), c.assignee.clone(), c.channels.clone()),
            ("+33651296093", Some("+33651296093"), None, vec![ch()])
        );
        let c = SenderAddress::Email("ana@example.com".into()).newcomer(id(), ch(), Some(" Ana K ")).unwrap();
        assert_eq!((c.name.as_str(), c.email.as_deref(), c.phone.as_deref()), ("Ana K", Some("ana@example.com"), None));
        let c = SenderAddress::Handle { attribute: "instagram", handle: "@ana".into() }
            .newcomer(id(), ch(), Some("  "))
            .unwrap();
        assert_eq!((c.name.as_str(), c.attributes.get("instagram").map(String::as_str)), ("@ana", Some("@ana")));
        assert_eq!(phone.newcomer(id(), ch(), Some("x".repeat(201).as_str())), Err(FieldError::Name));
        // The existing contact with the same phone, typed with spaces, is a merge suggestion.
        let mut known = crate::testing::contact("k-1");
        known.phone = Some("+33 6 51 29 60 93".into());
        assert!(looks_like_duplicate(&phone.newcomer(id(), ch(), None).unwrap(), &known));
    }
}
