//! The composer's pickers as pure rules: which picker the text before the caret opens
//! (`:` emoji, `/` saved replies, `$` variables) and with what query, what a query
//! matches, and how a choice replaces what was typed. The app only wires these to the
//! textarea, so the rules are tested here, natively, without a browser.

use serde::{Deserialize, Serialize};

use crate::variables::{VARIABLES, Variable};
use crate::wire::Snippet;

/// Which picker a trigger character opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PickerKind {
    /// `:` — emoji, searched by name and shortcode.
    Emoji,
    /// `/` — saved replies.
    Snippet,
    /// `$` — variables filled at send time.
    Variable,
}

impl PickerKind {
    pub const fn from_char(c: char) -> Option<Self> {
        match c {
            ':' => Some(PickerKind::Emoji),
            '/' => Some(PickerKind::Snippet),
            '$' => Some(PickerKind::Variable),
            _ => None,
        }
    }

    pub const fn trigger_char(self) -> char {
        match self {
            PickerKind::Emoji => ':',
            PickerKind::Snippet => '/',
            PickerKind::Variable => '$',
        }
    }
}

/// An open picker: what the agent typed from the trigger character to the caret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub kind: PickerKind,
    /// Byte offset of the trigger character in the text.
    pub start: usize,
    /// Byte offset of the caret (the end of the query).
    pub end: usize,
    /// What follows the trigger character, up to the caret.
    pub query: String,
}

/// The longest query a picker follows: past it the agent is writing, not searching.
const MAX_QUERY: usize = 32;

/// Characters a query may hold: enough for `:+1`, `:thumbs_up`, `$contact.first_name`,
/// `/follow-up`; anything else (`:)`, `10:30`, `https://`) is ordinary writing.
fn query_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.')
}

/// The picker the text before `caret` (a byte offset) opens, if any: a trigger
/// character at the start of the text or after whitespace, followed by query
/// characters only, up to the caret.
pub fn trigger(text: &str, caret: usize) -> Option<Trigger> {
    let before = text.get(..caret)?;
    let word_start =
        before.rfind(char::is_whitespace).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    let mut chars = word.chars();
    let kind = PickerKind::from_char(chars.next()?)?;
    let query = chars.as_str();
    if query.chars().count() > MAX_QUERY || !query.chars().all(query_char) {
        return None;
    }
    Some(Trigger { kind, start: word_start, end: caret, query: query.to_owned() })
}

/// Replaces the trigger and its query with `insertion`; returns the new text and the
/// caret (byte offset) just after what was inserted.
pub fn replace(text: &str, trigger: &Trigger, insertion: &str) -> (String, usize) {
    let (start, end) = (trigger.start.min(text.len()), trigger.end.min(text.len()));
    let mut out = String::with_capacity(text.len() + insertion.len());
    out.push_str(&text[..start]);
    out.push_str(insertion);
    let caret = out.len();
    out.push_str(&text[end..]);
    (out, caret)
}

/// A browser's caret counts UTF-16 code units; Rust strings count bytes. The byte
/// offset of UTF-16 position `units` (clamped to the text, never inside a character).
pub fn byte_offset(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 position of byte offset `byte` (for setting the caret in a browser).
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    text.get(..byte.min(text.len())).map_or(0, |s| s.encode_utf16().count() as u32)
}

/// The emoji table the picker searches: generated from the maintained `emojis` crate
/// (`cargo xtask emoji` writes `public/emoji.json`) and fetched when the picker first
/// opens, so it costs nothing in the wasm or the first load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiData {
    /// Group names (CLDR), in picker order; entries refer to them by index.
    pub groups: Vec<String>,
    pub emojis: Vec<EmojiEntry>,
}

/// One emoji, serialized as a compact array `[emoji, name, [shortcodes], group]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiEntry(
    /// The emoji itself.
    pub String,
    /// Its CLDR name ("grinning face"): the option's accessible name.
    pub String,
    /// GitHub/Slack shortcodes without colons (`grinning`).
    pub Vec<String>,
    /// Index into [`EmojiData::groups`].
    pub u8,
);

impl EmojiEntry {
    pub fn emoji(&self) -> &str {
        &self.0
    }

    pub fn name(&self) -> &str {
        &self.1
    }

    pub fn shortcodes(&self) -> &[String] {
        &self.2
    }

    pub fn group(&self) -> u8 {
        self.3
    }
}

/// Emoji matching `query`, best first, at most `limit` (indices into `data.emojis`).
/// A shortcode equal to the query ranks first, then shortcodes starting with it, then
/// names with a word starting with it, then any shortcode or name containing it; ties
/// keep the table's order (smileys first). An empty query lists the table's start.
pub fn emoji_matches(data: &EmojiData, query: &str, limit: usize) -> Vec<usize> {
    let q = query.to_lowercase();
    let rank = |e: &EmojiEntry| -> Option<u8> {
        if q.is_empty() {
            return Some(0);
        }
        let codes = e.shortcodes();
        let name = e.name().to_lowercase();
        if codes.contains(&q) {
            Some(0)
        } else if codes.iter().any(|c| c.starts_with(&q)) {
            Some(1)
        } else if name.split([' ', '-', ':']).any(|w| w.starts_with(&q)) {
            Some(2)
        } else if codes.iter().any(|c| c.contains(&q)) || name.contains(&q) || name.replace(' ', "_").contains(&q) {
            Some(3)
        } else {
            None
        }
    };
    // Buckets rather than a sort: the same order, and less code in the wasm.
    let mut ranked: [Vec<usize>; 4] = Default::default();
    for (i, e) in data.emojis.iter().enumerate() {
        if let Some(r) = rank(e) {
            ranked[r as usize].push(i);
        }
    }
    ranked.into_iter().flatten().take(limit).collect()
}

/// Saved replies matching `query` (every whitespace-separated word found, ignoring case,
/// in the category, title or text), as indices into `snippets`. A category's replies are
/// brought together where the category first appears, each keeping the given order (the
/// server lists them by category and title; one added since joins its category).
pub fn snippet_matches(snippets: &[Snippet], query: &str) -> Vec<usize> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let found: Vec<usize> = (0..snippets.len())
        .filter(|&i| {
            let s = &snippets[i];
            let hay = format!("{}\n{}\n{}", s.category, s.title, s.text).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    let mut grouped = Vec::with_capacity(found.len());
    for &i in &found {
        if !grouped.contains(&i) {
            let category = snippets[i].category.to_lowercase();
            grouped.extend(found.iter().filter(|&&j| snippets[j].category.to_lowercase() == category));
        }
    }
    grouped
}

/// Consecutive runs of `matches` (from [`snippet_matches`]) that share a category:
/// `(category, indices)` in order, for a grouped list.
pub fn by_category(snippets: &[Snippet], matches: &[usize]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for &i in matches {
        let category = &snippets[i].category;
        match groups.last_mut() {
            Some((c, list)) if c.to_lowercase() == category.to_lowercase() => list.push(i),
            _ => groups.push((category.clone(), vec![i])),
        }
    }
    groups
}

/// Variables matching `query` in their key or label, ignoring case, in offer order.
pub fn variable_matches(query: &str) -> Vec<&'static Variable> {
    let q = query.to_lowercase();
    VARIABLES
        .iter()
        .filter(|v| {
            let label = v.label.to_lowercase();
            v.key.contains(&q) || label.contains(&q) || label.replace(' ', "_").contains(&q)
        })
        .collect()
}

/// What a chosen variable puts in the text: `{{contact.first_name}}`.
pub fn variable_token(variable: &Variable) -> String {
    format!("{{{{{}}}}}", variable.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `|` marks the caret in the table rows.
    fn check_trigger(marked: &str) -> Option<(PickerKind, String, usize)> {
        let caret = marked.find('|').expect("row has a caret");
        let text = marked.replacen('|', "", 1);
        trigger(&text, caret).map(|t| (t.kind, t.query, t.start))
    }

    #[test]
    fn which_picker_opens() {
        use PickerKind::*;
        let rows: &[(&str, Option<(PickerKind, &str, usize)>)] = &[
            (":|", Some((Emoji, "", 0))),
            (":smi|", Some((Emoji, "smi", 0))),
            ("Hello :smi|", Some((Emoji, "smi", 6))),
            ("Hello\n:+1|", Some((Emoji, "+1", 6))),
            ("Hello :thumbs_up|", Some((Emoji, "thumbs_up", 6))),
            ("Hello :smi| there", Some((Emoji, "smi", 6))),
            ("/|", Some((Snippet, "", 0))),
            ("Sure. /deliv|", Some((Snippet, "deliv", 6))),
            ("$|", Some((Variable, "", 0))),
            ("Hi $contact.fi|", Some((Variable, "contact.fi", 3))),
            ("é :caf|", Some((Emoji, "caf", 3))),
            ("😀 :x|", Some((Emoji, "x", 5))),
            // Not after whitespace: ordinary writing.
            ("Note:|", None),
            ("at 10:30|", None),
            ("https://|", None),
            ("and/or|", None),
            ("US$|", None),
            // The caret left the word, or the word is not a query.
            (":smile |", None),
            (":)|", None),
            (":smile:|", None),
            ("//|", None),
            ("$$|", None),
            ("|:smile", None),
            ("", None),
            ("plain text|", None),
        ];
        for (marked, expected) in rows {
            let marked = if marked.is_empty() { "|" } else { marked };
            let expected = expected.map(|(k, q, s)| (k, q.to_owned(), s));
            assert_eq!(check_trigger(marked), expected, "{marked:?}");
        }
    }

    #[test]
    fn long_queries_are_writing() {
        let long = format!(":{}", "a".repeat(MAX_QUERY + 1));
        assert_eq!(trigger(&long, long.len()), None);
        let max = format!(":{}", "a".repeat(MAX_QUERY));
        assert!(trigger(&max, max.len()).is_some());
    }

    #[test]
    fn caret_off_a_char_boundary_opens_nothing() {
        assert_eq!(trigger(":é", 2), None);
        assert_eq!(trigger(":a", 9), None);
    }

    #[test]
    fn replaces_the_trigger_and_query() {
        let rows = [
            ("Hello :smi|", "😄", "Hello 😄|"),
            ("Hello :smi| there", "😄", "Hello 😄| there"),
            ("/deliv|", "Your parcel is late.", "Your parcel is late.|"),
            ("Hi $fir|!", "{{contact.first_name}}", "Hi {{contact.first_name}}|!"),
        ];
        for (marked, insertion, expected) in rows {
            let caret = marked.find('|').unwrap();
            let text = marked.replacen('|', "", 1);
            let t = trigger(&text, caret).expect(marked);
            let (out, at) = replace(&text, &t, insertion);
            let mut shown = out.clone();
            shown.insert(at, '|');
            assert_eq!(shown, expected, "{marked:?}");
        }
    }

    #[test]
    fn utf16_positions() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        let text = "aé😀b";
        let rows = [(0, 0), (1, 1), (2, 3), (4, 7), (5, 8), (99, 8)];
        for (units, bytes) in rows {
            assert_eq!(byte_offset(text, units), bytes, "units {units}");
            if units <= 5 {
                assert_eq!(utf16_offset(text, bytes), units, "bytes {bytes}");
            }
        }
        // Inside the surrogate pair: the next character boundary, never a split.
        assert_eq!(byte_offset(text, 3), 7);
        assert_eq!(utf16_offset("", 4), 0);
    }

    fn emoji_table() -> EmojiData {
        let e = |emoji: &str, name: &str, codes: &[&str], group| {
            EmojiEntry(emoji.into(), name.into(), codes.iter().map(|c| (*c).into()).collect(), group)
        };
        EmojiData {
            groups: vec!["Smileys & Emotion".into(), "People & Body".into()],
            emojis: vec![
                e("😀", "grinning face", &["grinning"], 0),
                e("😄", "grinning face with smiling eyes", &["smile"], 0),
                e("🙂", "slightly smiling face", &["slightly_smiling_face"], 0),
                e("😼", "cat with wry smile", &["smirk_cat"], 0),
                e("👍", "thumbs up", &["+1", "thumbsup"], 1),
                e("👋", "waving hand", &["wave"], 1),
            ],
        }
    }

    #[test]
    fn emoji_ranking() {
        let data = emoji_table();
        let names = |q: &str, limit| -> Vec<&str> {
            emoji_matches(&data, q, limit).into_iter().map(|i| data.emojis[i].emoji()).collect()
        };
        let rows: &[(&str, usize, &[&str])] = &[
            // Exact shortcode, then shortcode prefix, then a name word, then containing.
            ("smile", 10, &["😄", "😼"]),
            ("smi", 10, &["😄", "😼", "🙂"]),
            ("SMI", 10, &["😄", "😼", "🙂"]),
            ("+1", 10, &["👍"]),
            ("thumbs", 10, &["👍"]),
            ("up", 10, &["👍"]),
            ("hand", 10, &["👋"]),
            ("wry_smile", 10, &["😼"]),
            ("grin", 10, &["😀", "😄"]),
            ("zzz", 10, &[]),
            ("", 3, &["😀", "😄", "🙂"]),
            ("smi", 1, &["😄"]),
        ];
        for (q, limit, expected) in rows {
            assert_eq!(names(q, *limit), *expected, "{q:?}");
        }
    }

    fn snippets() -> Vec<Snippet> {
        let s = |id: &str, category: &str, title: &str, text: &str| Snippet {
            id: id.into(),
            category: category.into(),
            title: title.into(),
            text: text.into(),
        };
        vec![
            s("1", "Shipping", "Tracking link", "Follow your parcel here."),
            s("2", "Greetings", "Hello", "Hi {{contact.first_name}}!"),
            s("3", "Billing", "Refund issued", "Your refund is on its way."),
            s("4", "Shipping", "Delivery delay", "Your parcel is late."),
            s("5", "greetings", "Bye", "Have a nice day."),
        ]
    }

    #[test]
    fn snippet_search() {
        let all = snippets();
        let ids = |q: &str| -> Vec<&str> { snippet_matches(&all, q).into_iter().map(|i| all[i].id.as_str()).collect() };
        let rows: &[(&str, &[&str])] = &[
            // Grouped by category (ignoring case) where it first appears, else in order.
            ("", &["1", "4", "2", "5", "3"]),
            ("parcel", &["1", "4"]),
            ("PARCEL late", &["4"]),
            ("ship", &["1", "4"]),
            ("hello", &["2"]),
            ("refund", &["3"]),
            ("first_name", &["2"]),
            ("nothing", &[]),
        ];
        for (q, expected) in rows {
            assert_eq!(ids(q), *expected, "{q:?}");
        }
    }

    #[test]
    fn snippet_groups() {
        let all = snippets();
        let groups = by_category(&all, &snippet_matches(&all, ""));
        let shape: Vec<(&str, usize)> = groups.iter().map(|(c, l)| (c.as_str(), l.len())).collect();
        assert_eq!(shape, [("Shipping", 2), ("Greetings", 2), ("Billing", 1)]);
        assert!(by_category(&all, &[]).is_empty());
    }

    #[test]
    fn variable_search() {
        let keys = |q: &str| -> Vec<&str> { variable_matches(q).into_iter().map(|v| v.key).collect() };
        assert_eq!(keys("").len(), VARIABLES.len());
        assert_eq!(keys("first"), ["contact.first_name", "agent.first_name"]);
        assert_eq!(keys("agent."), ["agent.name", "agent.first_name"]);
        assert_eq!(keys("Contact_first"), ["contact.first_name"]);
        assert_eq!(keys("mail"), ["contact.email"]);
        assert!(keys("nope").is_empty());
    }

    #[test]
    fn variable_tokens_fill_at_send_time() {
        use crate::variables::{Values, fill};
        let v = Values { contact_name: "Alice Martin", agent_name: "Aaron Diallo", ..Values::default() };
        let first = VARIABLES.iter().find(|v| v.key == "contact.first_name").unwrap();
        assert_eq!(variable_token(first), "{{contact.first_name}}");
        assert_eq!(fill(&format!("Hi {}", variable_token(first)), &v), "Hi Alice");
    }
}
