//! Message templates: what a business may still send once a channel's customer-service
//! window has closed (WhatsApp's approved templates). A template has a name, a language,
//! a category and a body with numbered placeholders `{{1}}`, `{{2}}`…; the agent fills
//! each one, sees the result, and sends it.
//!
//! The rules are WhatsApp's, the strictest of the channels: placeholders are numbered
//! from 1 with no gap (a number may repeat), the body holds at most 1,024 characters, and
//! a filled-in value is one line.

use serde::{Deserialize, Serialize};

use crate::names::wire_names;

/// Longest body, in characters (Unicode scalar values), placeholders included.
pub const MAX_BODY_CHARS: usize = 1024;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// What the template is for; channels bill and review each kind differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Marketing,
    Utility,
    Authentication,
}

wire_names!(Category { Marketing = "marketing", Utility = "utility", Authentication = "authentication" });

/// Why a template is refused. Each names what to fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TemplateError {
    EmptyName,
    NameTooLong {
        max: usize,
    },
    /// A language is a code such as `en`, `fr` or `pt_BR`.
    BadLanguage {
        language: String,
    },
    EmptyBody,
    BodyTooLong {
        chars: usize,
        max: usize,
    },
    /// `{{` not followed by a number from 1 and `}}`, e.g. `{{name}}`, `{{0}}` or an
    /// unclosed `{{1`; `at` is the character position of the `{{`.
    BadPlaceholder {
        at: usize,
    },
    /// Placeholders run 1…highest, and this number between them is missing.
    MissingPlaceholder {
        number: u32,
    },
}

/// Why the values do not fill a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FillError {
    /// The template has `expected` placeholders and `given` values came.
    WrongCount { expected: u32, given: usize },
    /// Value `number` (from 1) is empty or blank.
    Empty { number: u32 },
    /// Value `number` holds a line break or a tab, which channels refuse in a value.
    NotOneLine { number: u32 },
}

/// The server's English refusal (a `400`'s message); the app words these itself.
impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::EmptyName => write!(f, "name: a template needs a name"),
            TemplateError::NameTooLong { max } => write!(f, "name: at most {max} characters"),
            TemplateError::BadLanguage { language } => {
                write!(f, "language: {language:?} is not a language code such as en, fr or pt_BR")
            }
            TemplateError::EmptyBody => write!(f, "body: a template needs a body"),
            TemplateError::BodyTooLong { chars, max } => write!(f, "body: {chars} characters, at most {max}"),
            TemplateError::BadPlaceholder { at } => {
                write!(f, "body: the placeholder at character {at} is not {{{{1}}}}, {{{{2}}}}… (numbered from 1)")
            }
            TemplateError::MissingPlaceholder { number } => {
                write!(f, "body: placeholder {{{{{number}}}}} is missing (numbered from 1 with no gaps)")
            }
        }
    }
}

impl std::fmt::Display for FillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FillError::WrongCount { expected, given } => {
                write!(f, "values: the template takes {expected}, {given} given")
            }
            FillError::Empty { number } => write!(f, "values: value {number} is empty"),
            FillError::NotOneLine { number } => write!(f, "values: value {number} must be one line"),
        }
    }
}

/// Where the placeholders of `body` are: (byte range of `{{n}}`, n), in order.
fn scan(body: &str) -> Result<Vec<(std::ops::Range<usize>, u32)>, TemplateError> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(offset) = body[rest..].find("{{") {
        let start = rest + offset;
        let bad = || TemplateError::BadPlaceholder { at: body[..start].chars().count() };
        let inner = &body[start + 2..];
        let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || inner.as_bytes()[0] == b'0' || !inner[digits..].starts_with("}}") {
            return Err(bad());
        }
        let number: u32 = inner[..digits].parse().map_err(|_| bad())?;
        let end = start + 2 + digits + 2;
        found.push((start..end, number));
        rest = end;
    }
    Ok(found)
}

/// How many values `body` takes (its highest placeholder), or why it is refused.
pub fn placeholders(body: &str) -> Result<u32, TemplateError> {
    let found = scan(body)?;
    let highest = found.iter().map(|&(_, n)| n).max().unwrap_or(0);
    let mut seen = vec![false; highest as usize];
    for (_, n) in &found {
        seen[*n as usize - 1] = true;
    }
    match seen.iter().position(|s| !s) {
        Some(gap) => Err(TemplateError::MissingPlaceholder { number: gap as u32 + 1 }),
        None => Ok(highest),
    }
}

/// `en`, `fr`, `pt_BR`, `zh_Hant`: a two- or three-letter lowercase language, then
/// optionally `_` or `-` and a region or script of 2–4 letters or digits.
fn is_language(code: &str) -> bool {
    let (lang, region) = match code.split_once(['_', '-']) {
        Some((l, r)) => (l, Some(r)),
        None => (code, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Checks a template as the settings page saves it; on success, how many values its body
/// takes. The name and body are judged trimmed.
pub fn validate(name: &str, language: &str, body: &str) -> Result<u32, TemplateError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(TemplateError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(TemplateError::NameTooLong { max: MAX_NAME_CHARS });
    }
    if !is_language(language) {
        return Err(TemplateError::BadLanguage { language: language.to_owned() });
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(TemplateError::EmptyBody);
    }
    let chars = body.chars().count();
    if chars > MAX_BODY_CHARS {
        return Err(TemplateError::BodyTooLong { chars, max: MAX_BODY_CHARS });
    }
    placeholders(body)
}

/// The message a valid `body` becomes with `values` (value 1 fills `{{1}}`…): what the
/// agent previews and what the server sends. Values are used as they are; each must be
/// one non-blank line.
pub fn fill(body: &str, values: &[String]) -> Result<String, FillError> {
    let expected = placeholders(body).unwrap_or(0);
    if values.len() != expected as usize {
        return Err(FillError::WrongCount { expected, given: values.len() });
    }
    for (i, v) in values.iter().enumerate() {
        let number = i as u32 + 1;
        if v.trim().is_empty() {
            return Err(FillError::Empty { number });
        }
        if v.contains(['\n', '\r', '\t']) {
            return Err(FillError::NotOneLine { number });
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for (range, n) in scan(body).unwrap_or_default() {
        out.push_str(&body[from..range.start]);
        out.push_str(&values[n as usize - 1]);
        from = range.end;
    }
    out.push_str(&body[from..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn placeholders_are_numbered_from_one_without_gaps() {
        use TemplateError::*;
        let cases: &[(&str, Result<u32, TemplateError>)] = &[
            ("Your order has shipped.", Ok(0)),
            ("Hello {{1}}, your order {{2}} has shipped.", Ok(2)),
            ("{{2}} then {{1}}", Ok(2)),
            ("{{1}} and {{1}} again", Ok(1)),
            ("{{10}}{{9}}{{8}}{{7}}{{6}}{{5}}{{4}}{{3}}{{2}}{{1}}", Ok(10)),
            ("Hello {{2}}", Err(MissingPlaceholder { number: 1 })),
            ("{{1}} {{3}}", Err(MissingPlaceholder { number: 2 })),
            ("Hello {{name}}", Err(BadPlaceholder { at: 6 })),
            ("{{0}}", Err(BadPlaceholder { at: 0 })),
            ("{{01}}", Err(BadPlaceholder { at: 0 })),
            ("{{ 1 }}", Err(BadPlaceholder { at: 0 })),
            ("Hé {{1", Err(BadPlaceholder { at: 3 })),
            ("{{1}", Err(BadPlaceholder { at: 0 })),
            ("{{99999999999}}", Err(BadPlaceholder { at: 0 })),
            // A single brace is text.
            ("{1} and }}", Ok(0)),
        ];
        for (body, want) in cases {
            assert_eq!(&placeholders(body), want, "{body:?}");
        }
    }

    #[test]
    fn validation_names_what_to_fix() {
        use TemplateError::*;
        let long_body = format!("{{{{1}}}}{}", "x".repeat(MAX_BODY_CHARS - "{{1}}".len()));
        let too_long_body = format!("{long_body}x");
        let cases: &[(&str, &str, &str, Result<u32, TemplateError>)] = &[
            ("order_shipped", "en", "Hi {{1}}", Ok(1)),
            ("Livraison", "fr", "Bonjour {{1}}, votre commande {{2}} est partie.", Ok(2)),
            ("x", "pt_BR", "Olá", Ok(0)),
            ("x", "zh-Hant", "你好", Ok(0)),
            ("x", "en", &long_body, Ok(1)),
            ("  ", "en", "Hi", Err(EmptyName)),
            (&"n".repeat(MAX_NAME_CHARS + 1), "en", "Hi", Err(NameTooLong { max: MAX_NAME_CHARS })),
            ("x", "", "Hi", Err(BadLanguage { language: String::new() })),
            ("x", "EN", "Hi", Err(BadLanguage { language: "EN".into() })),
            ("x", "english", "Hi", Err(BadLanguage { language: "english".into() })),
            ("x", "en_", "Hi", Err(BadLanguage { language: "en_".into() })),
            ("x", "en", " \n ", Err(EmptyBody)),
            ("x", "en", &too_long_body, Err(BodyTooLong { chars: MAX_BODY_CHARS + 1, max: MAX_BODY_CHARS })),
            ("x", "en", "Hi {{2}}", Err(MissingPlaceholder { number: 1 })),
        ];
        for (name, language, body, want) in cases {
            assert_eq!(&validate(name, language, body), want, "{name:?} {language:?} {body:?}");
        }
        // Characters, not bytes: 1,024 accented letters fit.
        assert_eq!(validate("x", "fr", &"é".repeat(MAX_BODY_CHARS)), Ok(0));
    }

    #[test]
    fn filling_checks_every_value() {
        use FillError::*;
        let body = "Hello {{1}}, order {{2}} ships {{3}}. Thanks, {{1}}!";
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            fill(body, &v(&["Alice", "#42", "today"])),
            Ok("Hello Alice, order #42 ships today. Thanks, Alice!".into())
        );
        // A value that looks like a placeholder is text: filling happens once.
        assert_eq!(fill("{{1}} {{2}}", &v(&["{{2}}", "b"])), Ok("{{2}} b".into()));
        assert_eq!(fill("No values", &[]), Ok("No values".into()));
        let cases: &[(&[&str], FillError)] = &[
            (&["Alice", "#42"], WrongCount { expected: 3, given: 2 }),
            (&["Alice", "#42", "today", "extra"], WrongCount { expected: 3, given: 4 }),
            (&["Alice", " ", "today"], Empty { number: 2 }),
            (&["Alice", "#42", "to\nday"], NotOneLine { number: 3 }),
            (&["A\tlice", "#42", "today"], NotOneLine { number: 1 }),
        ];
        for (values, want) in cases {
            assert_eq!(fill(body, &v(values)), Err(want.clone()), "{values:?}");
        }
    }

    #[test]
    fn refusals_name_the_field_and_the_problem() {
        #[rustfmt::skip]
        let rows: &[(String, &str)] = &[
            (TemplateError::MissingPlaceholder { number: 2 }.to_string(),
                "body: placeholder {{2}} is missing (numbered from 1 with no gaps)"),
            (TemplateError::BadPlaceholder { at: 6 }.to_string(),
                "body: the placeholder at character 6 is not {{1}}, {{2}}… (numbered from 1)"),
            (TemplateError::BodyTooLong { chars: 1025, max: 1024 }.to_string(), "body: 1025 characters, at most 1024"),
            (TemplateError::BadLanguage { language: "EN".into() }.to_string(),
                "language: \"EN\" is not a language code such as en, fr or pt_BR"),
            (FillError::WrongCount { expected: 2, given: 1 }.to_string(), "values: the template takes 2, 1 given"),
        ];
        for (got, want) in rows {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn categories_and_errors_have_wire_names() {
        assert_eq!(serde_json::to_string(&Category::Utility).unwrap(), "\"utility\"");
        assert_eq!(Category::from_wire_name("marketing"), Some(Category::Marketing));
        assert_eq!(
            serde_json::to_value(TemplateError::MissingPlaceholder { number: 2 }).unwrap(),
            serde_json::json!({"problem": "missing_placeholder", "number": 2})
        );
    }

    proptest! {
        /// Any text with placeholders 1…n (each at least once, in any order) validates
        /// with n values; filled with one-line values, none of its placeholders is left
        /// and every value appears.
        #[test]
        fn a_valid_body_fills_completely(
            pieces in prop::collection::vec("[a-zA-Z ,.!éü]{0,12}", 1..8),
            order in (0..6u32).prop_flat_map(|n| {
                // 1…n once each, some repeated, shuffled.
                prop::collection::vec(1..=n.max(1), 0..3)
                    .prop_map(move |extra| (1..=n).chain(extra.into_iter().filter(|_| n > 0)).collect::<Vec<_>>())
                    .prop_shuffle()
            }),
        ) {
            let mut body = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                body.push_str(piece);
                if let Some(n) = order.get(i) {
                    body.push_str(&format!("{{{{{n}}}}}"));
                }
            }
            for n in order.iter().skip(pieces.len()) {
                body.push_str(&format!("{{{{{n}}}}}"));
            }
            let n = order.iter().copied().max().unwrap_or(0);
            prop_assert_eq!(placeholders(&body), Ok(n));
            let values: Vec<String> = (1..=n).map(|i| format!("<v{i}>")).collect();
            let filled = fill(&body, &values).unwrap();
            prop_assert!(!filled.contains("{{"), "{}", filled);
            for v in &values {
                prop_assert!(filled.contains(v.as_str()));
            }
        }
    }
}
