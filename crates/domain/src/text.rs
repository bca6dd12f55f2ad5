//! Message text as the agent sees it: which parts are links, how a quoted reply reads,
//! and how a name matches a search. Contacts write anything, so the app renders their
//! text as text and turns only `http(s)://` and `mailto:` addresses into links
//! (never `javascript:` or `data:`).

/// A run of message text: plain, or an address safe to use as an `href` as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Link(String),
}

const SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Splits `text` into plain runs and links. A link starts with a scheme of [`SCHEMES`]
/// (any case) not glued to a preceding letter or digit, runs to the next space, quote or
/// angle bracket, and leaves out trailing punctuation ("see https://a.test/x." links
/// `https://a.test/x`) and a closing bracket it did not open.
pub fn linkify(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = link_at(text, i) {
            if plain_from < i {
                out.push(Segment::Text(text[plain_from..i].to_owned()));
            }
            out.push(Segment::Link(text[i..end].to_owned()));
            plain_from = end;
            i = end;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_from < text.len() {
        out.push(Segment::Text(text[plain_from..].to_owned()));
    }
    out
}

/// The end of the link starting at byte `i`, if one does.
fn link_at(text: &str, i: usize) -> Option<usize> {
    if text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let rest = &text[i..];
    let scheme = SCHEMES.iter().find(|s| rest.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)))?;
    let raw = rest.find(|c: char| c.is_whitespace() || c.is_control() || "<>\"`".contains(c)).unwrap_or(rest.len());
    let mut candidate = &rest[..raw];
    while let Some(last) = candidate.chars().next_back() {
        let unmatched = |open: char, close: char| {
            last == close && candidate.matches(close).count() > candidate.matches(open).count()
        };
        if ".,;:!?'*".contains(last) || unmatched('(', ')') || unmatched('[', ']') || unmatched('{', '}') {
            candidate = &candidate[..candidate.len() - last.len_utf8()];
        } else {
            break;
        }
    }
    let after = &candidate[scheme.len().min(candidate.len())..];
    let valid = if *scheme == "mailto:" {
        after.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains(char::is_alphanumeric))
    } else {
        after.split(['/', '?', '#']).next().is_some_and(|host| host.contains(char::is_alphanumeric))
    };
    valid.then_some(i + candidate.len())
}

/// `text` as a quotation to reply under: every line prefixed with "> ", then an empty
/// line where the reply starts.
pub fn quote(text: &str) -> String {
    let mut out = String::new();
    for line in text.trim_end().lines() {
        out.push_str(if line.is_empty() { ">" } else { "> " });
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Whether `name` matches what the user typed: every word of `query` appears in it,
/// ignoring case and common accents ("lea" finds "Léa Moreau").
pub fn name_matches(query: &str, name: &str) -> bool {
    let name = fold(name);
    fold(query).split_whitespace().all(|word| name.contains(word))
}

/// Lower case without the accents of Latin letters, for searching.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// A character no text sent to the API may carry as it is: C0 controls other than tab,
/// line feed and carriage return (NUL, ESC…), DEL and C1 controls, and the bidirectional
/// embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), with which
/// a name or a message displays as something other than what it is ("Trojan Source").
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Free text (messages, notes, reasons, field values) loses its unsafe characters;
/// line breaks and tabs stay.
pub fn strip_unsafe(s: &str) -> Option<String> {
    s.contains(is_unsafe_char).then(|| s.chars().filter(|c| !is_unsafe_char(*c)).collect())
}

/// A one-line value (a name, a title, an email, a tag…) is refused for its first unsafe
/// character or line break.
pub fn refused_in_line(s: &str) -> Option<char> {
    s.chars().find(|c| is_unsafe_char(*c) || matches!(c, '\t' | '\n' | '\r'))
}

/// The longest message or note text, in characters: the server refuses more, and the
/// composer says so before sending.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// How close to the limit the composer starts showing what is left.
pub const SHOW_LEFT_FROM: usize = 500;

/// What stops a text from going out as a message or a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but spaces (a message with files may have no text).
    Empty,
    /// Over [`MAX_TEXT_CHARS`] by this many characters.
    TooLong(usize),
}

/// The text as it is stored (trailing spaces and line breaks dropped), or what is wrong
/// with it. `empty_ok` when files go with it.
pub fn check_text(text: &str, empty_ok: bool) -> Result<&str, TextProblem> {
    let text = text.trim_end();
    if text.trim_start().is_empty() && !empty_ok {
        return Err(TextProblem::Empty);
    }
    match text.chars().count() {
        n if n > MAX_TEXT_CHARS => Err(TextProblem::TooLong(n - MAX_TEXT_CHARS)),
        _ => Ok(text),
    }
}

/// Characters the composer may still take, once close to the limit (negative when
/// over); `None` while far from it.
pub fn chars_left(text: &str) -> Option<i64> {
    let used = text.trim_end().chars().count();
    (used + SHOW_LEFT_FROM > MAX_TEXT_CHARS).then(|| MAX_TEXT_CHARS as i64 - used as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[text]` for plain runs and `<href>` for links, to read a split in one line.
    fn check(input: &str, expected: &str) {
        let shown: String = linkify(input)
            .into_iter()
            .map(|s| match s {
                Segment::Text(t) => format!("[{t}]"),
                Segment::Link(l) => format!("<{l}>"),
            })
            .collect();
        assert_eq!(shown, expected, "linkify({input:?})");
    }

    #[test]
    fn links_are_found_and_trimmed() {
        let table = [
            ("", ""),
            ("no links here", "[no links here]"),
            ("https://parley.test", "<https://parley.test>"),
            ("see https://parley.test/a?b=1#c now", "[see ]<https://parley.test/a?b=1#c>[ now]"),
            ("HTTP://PARLEY.TEST/X", "<HTTP://PARLEY.TEST/X>"),
            ("end of sentence https://a.test/x.", "[end of sentence ]<https://a.test/x>[.]"),
            ("really? https://a.test/?!", "[really? ]<https://a.test/>[?!]"),
            ("list: https://a.test, https://b.test;", "[list: ]<https://a.test>[, ]<https://b.test>[;]"),
            ("(see https://a.test/x)", "[(see ]<https://a.test/x>[)]"),
            ("https://en.wikipedia.org/wiki/Rust_(language)", "<https://en.wikipedia.org/wiki/Rust_(language)>"),
            ("[https://a.test]", "[[]<https://a.test>[]]"),
            ("'https://a.test'", "[']<https://a.test>[']"),
            ("<https://a.test>", "[<]<https://a.test>[>]"),
            ("\"https://a.test\"", "[\"]<https://a.test>[\"]"),
            ("write to mailto:ana@example.com.", "[write to ]<mailto:ana@example.com>[.]"),
            ("two\nhttps://a.test\nlines", "[two\n]<https://a.test>[\nlines]"),
            ("café https://a.test/é ok", "[café ]<https://a.test/é>[ ok]"),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn only_safe_schemes_become_links() {
        let table = [
            ("javascript:alert(1)", "[javascript:alert(1)]"),
            ("JavaScript://%0aalert(1)", "[JavaScript://%0aalert(1)]"),
            ("data:text/html,<script>", "[data:text/html,<script>]"),
            ("xhttps://a.test", "[xhttps://a.test]"),
            ("https://", "[https://]"),
            ("https://.", "[https://.]"),
            ("https:// a.test", "[https:// a.test]"),
            ("mailto:", "[mailto:]"),
            ("mailto:@x", "[mailto:@x]"),
            ("ftp://a.test", "[ftp://a.test]"),
            ("<img src=x onerror=window.__pwned=1>", "[<img src=x onerror=window.__pwned=1>]"),
            ("<a href=\"https://evil.test\">x</a>", "[<a href=\"]<https://evil.test>[\">x</a>]"),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn plain_text_survives_intact() {
        // Whatever the split, joining the pieces gives the text back.
        for input in ["a https://b.test/c). d", "é(https://x.test)é", "mailto:a@b.c,https://d.test"] {
            let joined: String = linkify(input)
                .into_iter()
                .map(|s| match s {
                    Segment::Text(t) | Segment::Link(t) => t,
                })
                .collect();
            assert_eq!(joined, input);
        }
    }

    #[test]
    fn quotes_prefix_every_line() {
        let table = [
            ("hello", "> hello\n\n"),
            ("two\nlines\n", "> two\n> lines\n\n"),
            ("para\n\nnext", "> para\n>\n> next\n\n"),
        ];
        for (input, expected) in table {
            assert_eq!(quote(input), expected, "quote({input:?})");
        }
    }

    #[test]
    fn names_match_ignoring_case_and_accents() {
        let table = [
            ("", "Léa Moreau", true),
            ("lea", "Léa Moreau", true),
            ("LÉA", "Lea Moreau", true),
            ("mor lé", "Léa Moreau", true),
            ("nina", "Léa Moreau", false),
            ("aaron d", "Aaron Diallo", true),
        ];
        for (query, name, expected) in table {
            assert_eq!(name_matches(query, name), expected, "name_matches({query:?}, {name:?})");
        }
    }

    #[test]
    fn unsafe_characters_are_stripped_from_free_text_and_refused_in_one_line_values() {
        let cases: [(&str, Option<&str>, Option<char>); 7] = [
            ("Bonjour Léa", None, None),
            ("line one\nline two\tend\r", None, Some('\n')),
            ("nul\u{0}byte", Some("nulbyte"), Some('\u{0}')),
            ("\u{1b}[31mred", Some("[31mred"), Some('\u{1b}')),
            ("invoice\u{202e}fdp.exe", Some("invoicefdp.exe"), Some('\u{202e}')),
            ("isolate \u{2066}x\u{2069}", Some("isolate x"), Some('\u{2066}')),
            // Right-to-left text and its marks are language, not tricks.
            ("مرحبا \u{200f}שלום", None, None),
        ];
        for (input, stripped, refused) in cases {
            assert_eq!(strip_unsafe(input).as_deref(), stripped, "strip {input:?}");
            assert_eq!(refused_in_line(input), refused, "refuse {input:?}");
        }
        assert!(is_unsafe_char('\u{85}') && is_unsafe_char('\u{7f}') && !is_unsafe_char(' '));
    }

    #[test]
    fn text_is_checked_against_the_limit() {
        let at_limit = "a".repeat(MAX_TEXT_CHARS);
        let over = "é".repeat(MAX_TEXT_CHARS + 3);
        #[rustfmt::skip]
        let rows: [(&str, bool, Result<&str, TextProblem>); 6] = [
            ("hello \n", false, Ok("hello")),
            ("  \n ", false, Err(TextProblem::Empty)),
            ("  \n ", true, Ok("")),
            (&at_limit, false, Ok(&at_limit)),
            (&over, false, Err(TextProblem::TooLong(3))),
            (&over, true, Err(TextProblem::TooLong(3))),
        ];
        for (text, empty_ok, expected) in rows {
            assert_eq!(check_text(text, empty_ok), expected, "{:?}…", &text[..text.len().min(8)]);
        }
        assert_eq!(chars_left("hi"), None);
        assert_eq!(chars_left(&"a".repeat(MAX_TEXT_CHARS - SHOW_LEFT_FROM)), None);
        assert_eq!(chars_left(&"a".repeat(MAX_TEXT_CHARS - 10)), Some(10));
        assert_eq!(chars_left(&format!("{}   ", "a".repeat(MAX_TEXT_CHARS + 2))), Some(-2));
    }
}
