//! Contact fields as agents edit them: phone in E.164, email syntax, country (ISO 3166-1
//! alpha-2) and language (ISO 639-1) — checked the same way in the app and the server,
//! with a sentence the agent can act on. Also which contacts look like duplicates.

use crate::model::Contact;

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
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FieldError::Phone => "the phone number must be in international format, like +33612345678",
            FieldError::Email => "the email address is not valid",
            FieldError::Country => "the country must be an ISO 3166 code, like FR",
            FieldError::Language => "the language must be an ISO 639-1 code, like fr",
            FieldError::Name => "the name must be 1 to 200 characters",
        })
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
}
