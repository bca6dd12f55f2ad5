//! The contract for integration tabs in the contact sidebar (a CRM such as HubSpot or
//! Salesforce): a backend lists integrations for a contact, each a set of typed fields
//! that the app renders and edits. The rules for a field's value live here so the app
//! can check before sending and any backend adapter checks the same way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::IntegrationId;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldType {
    Text,
    /// A decimal number.
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Select {
        options: Vec<String>,
    },
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationField {
    pub key: String,
    pub label: String,
    #[serde(rename = "field_type")]
    pub kind: FieldType,
    pub value: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integration {
    pub id: IntegrationId,
    pub name: String,
    pub fields: Vec<IntegrationField>,
}

/// `PUT /contacts/{id}/integrations/{integration}`: new values by key; `null` clears.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationUpdate {
    pub values: BTreeMap<String, Option<String>>,
}

/// Longest text value accepted.
pub const MAX_TEXT: usize = 1_000;

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let num = |p: &str, len| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    if !(num(y, 4) && num(m, 2) && num(d, 2)) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The stored form of a value for a field of `kind`, or the sentence saying why not.
pub fn check_value(kind: &FieldType, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    match kind {
        FieldType::Text if v.chars().count() <= MAX_TEXT => Ok(v.to_owned()),
        FieldType::Text => Err(format!("must be at most {MAX_TEXT} characters")),
        FieldType::Number => match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(v.to_owned()),
            _ => Err("must be a number, like 1200.50".into()),
        },
        FieldType::Date if is_date(v) => Ok(v.to_owned()),
        FieldType::Date => Err("must be a date, like 2026-12-31".into()),
        FieldType::Select { options } if options.iter().any(|o| o == v) => Ok(v.to_owned()),
        FieldType::Select { options } => Err(format!("must be one of {}", options.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let select = FieldType::Select { options: vec!["Lead".into(), "Customer".into()] };
        let rows: &[(&FieldType, &str, bool)] = &[
            (&FieldType::Text, "ACME", true),
            (&FieldType::Text, &"x".repeat(MAX_TEXT + 1), false),
            (&FieldType::Number, "1200.50", true),
            (&FieldType::Number, "-3", true),
            (&FieldType::Number, "12k", false),
            (&FieldType::Number, "NaN", false),
            (&FieldType::Date, "2026-12-31", true),
            (&FieldType::Date, "2024-02-29", true),
            (&FieldType::Date, "2025-02-29", false),
            (&FieldType::Date, "2026-13-01", false),
            (&FieldType::Date, "31/12/2026", false),
            (&select, "Customer", true),
            (&select, "customer", false),
        ];
        for (kind, raw, ok) in rows {
            assert_eq!(check_value(kind, raw).is_ok(), *ok, "{kind:?} {raw:?}");
        }
    }
}
