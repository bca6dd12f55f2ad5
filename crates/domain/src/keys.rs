//! Keyboard-first triage: which key press is which shortcut, when a key press is typing
//! (and so never a shortcut), which conversation actions a status allows, and how the
//! command palette matches and orders what it finds.

use crate::model::Status;
use crate::text::fold;

/// What a shortcut (or a palette entry) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shortcut {
    /// `j`: the next conversation of the list.
    Next,
    /// `k`: the previous conversation of the list.
    Previous,
    /// An action on the open conversation.
    Act(Action),
    /// `/`: the inbox search.
    SearchInboxes,
    /// `?`: the list of shortcuts.
    Help,
    /// Ctrl+K / ⌘K: the command palette.
    Palette,
}

/// What can be done to the open conversation from the keyboard or the palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Focus the reply box (in reply mode).
    Reply,
    /// Switch the composer to an internal note and focus it.
    Note,
    /// Open the assignee picker.
    Assign,
    /// Open the close dialog.
    Close,
    /// Mark pending at once.
    Pending,
    /// Open the snooze dialog.
    Snooze,
}

impl Action {
    pub const ALL: [Action; 6] =
        [Action::Reply, Action::Note, Action::Assign, Action::Pending, Action::Snooze, Action::Close];

    /// The words the palette shows (also the header button's name, where there is one).
    pub const fn label(self) -> &'static str {
        match self {
            Action::Reply => "Reply",
            Action::Note => "Write an internal note",
            Action::Assign => "Assign",
            Action::Close => "Close conversation",
            Action::Pending => "Mark pending",
            Action::Snooze => "Snooze",
        }
    }

    /// Its single-key shortcut.
    pub const fn key(self) -> &'static str {
        match self {
            Action::Reply => "r",
            Action::Note => "n",
            Action::Assign => "a",
            Action::Close => "c",
            Action::Pending => "p",
            Action::Snooze => "s",
        }
    }

    /// Whether a conversation in `status` allows it (as the header and the composer
    /// offer it): notes and assignment always; pending from new or snoozed; replies,
    /// snooze and close while open.
    pub const fn allowed(self, status: Status) -> bool {
        match self {
            Action::Note | Action::Assign => true,
            Action::Pending => matches!(status, Status::New | Status::Snoozed),
            Action::Reply | Action::Close | Action::Snooze => status.is_open(),
        }
    }
}

/// A key press as the browser reports it, and whether its target takes text.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    pub ctrl: bool,
    /// ⌘ on a Mac.
    pub meta: bool,
    pub alt: bool,
    /// An input method is composing (the key belongs to it).
    pub composing: bool,
    /// The focus is where text is typed ([`is_typing_target`]).
    pub typing: bool,
}

/// The shortcut a key press stands for, if any. Single keys never count while typing or
/// with Ctrl, ⌘ or Alt held (Shift is part of `?`); the palette's Ctrl+K / ⌘K counts
/// everywhere, the composer included, as it types nothing.
pub fn shortcut(press: &KeyPress<'_>) -> Option<Shortcut> {
    if press.composing {
        return None;
    }
    if (press.ctrl || press.meta) && !press.alt && press.key.eq_ignore_ascii_case("k") {
        return Some(Shortcut::Palette);
    }
    if press.typing || press.ctrl || press.meta || press.alt {
        return None;
    }
    Some(match press.key {
        "j" => Shortcut::Next,
        "k" => Shortcut::Previous,
        "/" => Shortcut::SearchInboxes,
        "?" => Shortcut::Help,
        key => Shortcut::Act(Action::ALL.into_iter().find(|a| a.key() == key)?),
    })
}

/// Whether the focused element takes typed text: a text-like `<input>`, a `<textarea>`,
/// a `<select>` (its letters pick options) or anything editable. `tag` is the element's
/// tag name in any case, `input_type` its `type` attribute ("" when absent).
pub fn is_typing_target(tag: &str, input_type: &str, editable: bool) -> bool {
    if editable {
        return true;
    }
    match tag.to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => !matches!(
            input_type.to_ascii_lowercase().as_str(),
            "button" | "checkbox" | "radio" | "submit" | "reset" | "image" | "file" | "range" | "color" | "hidden"
        ),
        _ => false,
    }
}

/// Every shortcut as the help dialog lists it: the keys, then what they do.
pub const HELP: [(&str, &str); 11] = [
    ("j", "Next conversation"),
    ("k", "Previous conversation"),
    ("r", "Reply"),
    ("n", "Write an internal note"),
    ("a", "Assign"),
    ("c", "Close conversation"),
    ("p", "Mark pending"),
    ("s", "Snooze"),
    ("/", "Search inboxes"),
    ("?", "Show keyboard shortcuts"),
    ("Ctrl+K / ⌘K", "Open the command palette"),
];

/// The index a step from `current` lands on in a list of `len` items: `j` / Alt+↓ go
/// forward, `k` / Alt+↑ back, from nothing open to the first (forward) or last (back)
/// item; past either end, nowhere.
pub fn step(len: usize, current: Option<usize>, forward: bool) -> Option<usize> {
    match current {
        Some(i) if forward => (i + 1 < len).then_some(i + 1),
        Some(i) => i.checked_sub(1),
        None if forward => (len > 0).then_some(0),
        None => len.checked_sub(1),
    }
}

/// How well a name matches what was typed, best first: the whole name, its start, the
/// start of one of its words, anywhere inside, every typed word somewhere. Case and
/// Latin accents do not count. `None`: no match. An empty query matches everything as
/// [`Match::Anywhere`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Exact,
    Prefix,
    WordPrefix,
    Anywhere,
    Words,
}

pub fn matches(query: &str, name: &str) -> Option<Match> {
    let query = fold(query.trim());
    let name = fold(name);
    if query.is_empty() {
        return Some(Match::Anywhere);
    }
    if name == query {
        Some(Match::Exact)
    } else if name.starts_with(&query) {
        Some(Match::Prefix)
    } else if name.match_indices(&query).any(|(i, _)| !name[..i].ends_with(char::is_alphanumeric)) {
        Some(Match::WordPrefix)
    } else if name.contains(&query) {
        Some(Match::Anywhere)
    } else if query.split_whitespace().all(|w| name.contains(w)) {
        Some(Match::Words)
    } else {
        None
    }
}

/// The `items` matching `query`, best match first, then by name (case- and accent-blind),
/// then in their given order; at most `limit`.
pub fn rank<T>(query: &str, items: Vec<T>, name: impl Fn(&T) -> &str, limit: usize) -> Vec<T> {
    let mut found: Vec<(Match, String, usize, T)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| Some((matches(query, name(&item))?, fold(name(&item)), i, item)))
        .collect();
    found.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    found.into_iter().take(limit).map(|(.., item)| item).collect()
}

/// The longest query `GET /conversations/search` takes, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;
/// Conversations a search answers by default, and at most.
pub const SEARCH_LIMIT: usize = 10;
pub const MAX_SEARCH_LIMIT: usize = 50;

/// The trimmed search text, or why it cannot be searched for (the server answers 400).
pub fn search_query(q: &str) -> Result<&str, String> {
    let q = q.trim();
    if q.is_empty() {
        return Err("q: type at least one character to search for".into());
    }
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(format!("q: at most {MAX_SEARCH_CHARS} characters"));
    }
    if let Some(c) = crate::text::refused_in_line(q) {
        return Err(format!("q: the character U+{:04X} is not allowed", u32::from(c)));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &str) -> KeyPress<'_> {
        KeyPress { key, ..KeyPress::default() }
    }

    #[test]
    fn keys_map_to_shortcuts() {
        use Action::*;
        #[rustfmt::skip]
        let rows: &[(&str, Option<Shortcut>)] = &[
            ("j", Some(Shortcut::Next)), ("k", Some(Shortcut::Previous)),
            ("r", Some(Shortcut::Act(Reply))), ("n", Some(Shortcut::Act(Note))),
            ("a", Some(Shortcut::Act(Assign))), ("c", Some(Shortcut::Act(Close))),
            ("p", Some(Shortcut::Act(Pending))), ("s", Some(Shortcut::Act(Snooze))),
            ("/", Some(Shortcut::SearchInboxes)), ("?", Some(Shortcut::Help)),
            ("J", None), ("x", None), ("Enter", None), ("Escape", None), ("ArrowDown", None), (" ", None),
        ];
        for (key, expected) in rows {
            assert_eq!(shortcut(&press(key)), *expected, "{key:?}");
        }
    }

    #[test]
    fn single_keys_never_fire_while_typing_or_with_a_modifier() {
        for key in ["j", "k", "r", "n", "a", "c", "p", "s", "/", "?"] {
            let typing = KeyPress { typing: true, ..press(key) };
            let ctrl = KeyPress { ctrl: true, ..press(key) };
            let meta = KeyPress { meta: true, ..press(key) };
            let alt = KeyPress { alt: true, ..press(key) };
            let composing = KeyPress { composing: true, ..press(key) };
            for p in [typing, ctrl, meta, alt, composing] {
                assert_eq!(
                    shortcut(&p),
                    if key == "k" && (p.ctrl || p.meta) { Some(Shortcut::Palette) } else { None },
                    "{p:?}"
                );
            }
        }
    }

    #[test]
    fn the_palette_opens_with_ctrl_or_cmd_k_even_while_typing() {
        #[rustfmt::skip]
        let rows: &[(KeyPress<'_>, Option<Shortcut>)] = &[
            (KeyPress { key: "k", ctrl: true, ..Default::default() }, Some(Shortcut::Palette)),
            (KeyPress { key: "K", ctrl: true, ..Default::default() }, Some(Shortcut::Palette)),
            (KeyPress { key: "k", meta: true, typing: true, ..Default::default() }, Some(Shortcut::Palette)),
            (KeyPress { key: "k", ctrl: true, alt: true, ..Default::default() }, None),
            (KeyPress { key: "k", ctrl: true, composing: true, ..Default::default() }, None),
            (KeyPress { key: "j", ctrl: true, ..Default::default() }, None),
        ];
        for (p, expected) in rows {
            assert_eq!(shortcut(p), *expected, "{p:?}");
        }
    }

    #[test]
    fn typing_targets() {
        #[rustfmt::skip]
        let rows: &[(&str, &str, bool, bool)] = &[
            ("TEXTAREA", "", false, true), ("INPUT", "", false, true), ("INPUT", "text", false, true),
            ("INPUT", "search", false, true), ("input", "email", false, true), ("INPUT", "datetime-local", false, true),
            ("SELECT", "", false, true), ("DIV", "", true, true),
            ("INPUT", "checkbox", false, false), ("INPUT", "radio", false, false), ("INPUT", "BUTTON", false, false),
            ("BUTTON", "", false, false), ("A", "", false, false), ("BODY", "", false, false), ("LI", "", false, false),
        ];
        for (tag, kind, editable, expected) in rows {
            assert_eq!(is_typing_target(tag, kind, *editable), *expected, "{tag} {kind} {editable}");
        }
    }

    #[test]
    fn actions_follow_the_status() {
        use Action::{Assign, Close, Note, Reply, Snooze};
        #[rustfmt::skip]
        let rows: &[(Action, [bool; 4])] = &[
            //            New    Pending Snoozed Closed
            (Reply,   [true, true, true, false]),
            (Note,    [true, true, true, true]),
            (Assign,  [true, true, true, true]),
            (Action::Pending, [true, false, true, false]),
            (Snooze,  [true, true, true, false]),
            (Close,   [true, true, true, false]),
        ];
        for (action, allowed) in rows {
            for (status, expected) in Status::ALL.into_iter().zip(allowed) {
                assert_eq!(action.allowed(status), *expected, "{action:?} when {status:?}");
            }
        }
        // Every action's key is its shortcut, and the help lists it under its label.
        for a in Action::ALL {
            assert_eq!(shortcut(&press(a.key())), Some(Shortcut::Act(a)));
            assert!(HELP.contains(&(a.key(), a.label())), "{a:?} in HELP");
        }
    }

    #[test]
    fn steps_through_a_list() {
        #[rustfmt::skip]
        let rows: &[(usize, Option<usize>, bool, Option<usize>)] = &[
            (3, None, true, Some(0)), (3, None, false, Some(2)), (0, None, true, None), (0, None, false, None),
            (3, Some(0), true, Some(1)), (3, Some(1), false, Some(0)), (3, Some(2), true, None), (3, Some(0), false, None),
        ];
        for (len, current, forward, expected) in rows {
            assert_eq!(step(*len, *current, *forward), *expected, "{len} {current:?} {forward}");
        }
    }

    #[test]
    fn matching_and_its_order() {
        use Match::*;
        #[rustfmt::skip]
        let rows: &[(&str, &str, Option<Match>)] = &[
            ("sales", "Sales", Some(Exact)), ("SAL", "Sales", Some(Prefix)), ("  sal ", "Sales", Some(Prefix)),
            ("chlo", "Chloé Farouk", Some(Prefix)), ("chloe", "Chloé Farouk", Some(Prefix)),
            ("far", "Chloé Farouk", Some(WordPrefix)), ("rouk", "Chloé Farouk", Some(Anywhere)),
            ("farouk chloe", "Chloé Farouk", Some(Words)), ("zed", "Chloé Farouk", None),
            ("", "Anything", Some(Anywhere)), ("team-x", "x", None),
        ];
        for (q, name, expected) in rows {
            assert_eq!(matches(q, name), *expected, "{q:?} in {name:?}");
        }
        let names = vec!["Bruno Ali", "Alice Martin", "Ali", "Malik", "Zoe Alibert"];
        assert_eq!(rank("ali", names.clone(), |n| n, 10), ["Ali", "Alice Martin", "Bruno Ali", "Zoe Alibert", "Malik"]);
        assert_eq!(rank("ali", names.clone(), |n| n, 2), ["Ali", "Alice Martin"]);
        assert_eq!(rank("", names, |n| n, 10), ["Ali", "Alice Martin", "Bruno Ali", "Malik", "Zoe Alibert"]);
    }

    #[test]
    fn search_queries() {
        assert_eq!(search_query("  alice "), Ok("alice"));
        assert!(search_query("   ").unwrap_err().starts_with("q:"));
        assert!(search_query(&"x".repeat(MAX_SEARCH_CHARS + 1)).unwrap_err().contains("at most 100"));
        assert_eq!(search_query(&"é".repeat(MAX_SEARCH_CHARS)).map(str::len), Ok(2 * MAX_SEARCH_CHARS));
        assert!(search_query("a\u{1b}b").unwrap_err().starts_with("q:"));
    }
}
