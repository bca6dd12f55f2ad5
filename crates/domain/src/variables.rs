//! Composer variables: `{{contact.first_name}}` and friends, inserted with `$` and
//! filled when the message is sent, so a saved reply reads personal.

use serde::{Deserialize, Serialize};

/// A variable the composer offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    /// What goes in the text, without braces: `contact.first_name`.
    pub key: &'static str,
    pub label: &'static str,
}

pub const VARIABLES: &[Variable] = &[
    Variable { key: "contact.name", label: "Contact name" },
    Variable { key: "contact.first_name", label: "Contact first name" },
    Variable { key: "contact.email", label: "Contact email" },
    Variable { key: "contact.phone", label: "Contact phone" },
    Variable { key: "agent.name", label: "Agent name" },
    Variable { key: "agent.first_name", label: "Agent first name" },
];

/// The values at send time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values<'a> {
    pub contact_name: &'a str,
    pub contact_email: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub agent_name: &'a str,
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

impl Values<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "contact.name" => self.contact_name,
            "contact.first_name" => first_name(self.contact_name),
            "contact.email" => self.contact_email.unwrap_or(""),
            "contact.phone" => self.contact_phone.unwrap_or(""),
            "agent.name" => self.agent_name,
            "agent.first_name" => first_name(self.agent_name),
            _ => return None,
        })
    }
}

/// Replaces every known `{{key}}` (spaces inside the braces allowed); anything else,
/// including unknown keys and unbalanced braces, stays as typed.
pub fn fill(text: &str, values: &Values<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => match values.get(after[..end].trim()) {
                Some(v) => {
                    out.push_str(v);
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str("{{");
                    rest = after;
                }
            },
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills() {
        let v = Values {
            contact_name: "Alice Martin",
            contact_email: Some("alice@example.com"),
            contact_phone: None,
            agent_name: "Aaron Diallo",
        };
        let rows = [
            ("Hi {{contact.first_name}}!", "Hi Alice!"),
            ("{{ contact.name }} / {{agent.first_name}}", "Alice Martin / Aaron"),
            ("mail: {{contact.email}}, phone: {{contact.phone}}.", "mail: alice@example.com, phone: ."),
            ("{{unknown}} stays", "{{unknown}} stays"),
            ("{{contact.name", "{{contact.name"),
            ("{{{{agent.name}}", "{{Aaron Diallo"),
            ("no variables", "no variables"),
            ("", ""),
            ("é {{agent.name}} ü", "é Aaron Diallo ü"),
        ];
        for (input, expected) in rows {
            assert_eq!(fill(input, &v), expected, "{input:?}");
        }
    }

    #[test]
    fn every_offered_variable_fills() {
        let v = Values { contact_name: "A B", contact_email: Some("e"), contact_phone: Some("p"), agent_name: "C D" };
        for var in VARIABLES {
            let token = format!("{{{{{}}}}}", var.key);
            assert!(!fill(&token, &v).contains("{{"), "{}", var.key);
        }
    }
}
