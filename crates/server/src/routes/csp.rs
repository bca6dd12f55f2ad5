//! The app's Content-Security-Policy, and the inline scripts of its index.html that it
//! allows by hash.

use base64::Engine;
use sha2::{Digest, Sha256};

/// What the app's policy allows besides its own origin (`--connect-src`,
/// `--frame-ancestors`).
#[derive(Clone, Debug, Default)]
pub struct CspSources {
    /// Origins other than the server's own the app may connect to.
    pub connect_src: Vec<String>,
    /// Who may frame the app; empty means `'self'`.
    pub frame_ancestors: Vec<String>,
}

/// The app's Content-Security-Policy: its own scripts and wasm, plus the inline scripts
/// whose `'sha256-…'` sources are `inline_scripts`, connections to itself and
/// `connect_src`, framed only by `frame_ancestors`.
pub fn app_csp(sources: &CspSources, inline_scripts: &[String]) -> String {
    let join = |extra: &[String]| extra.iter().map(|o| format!(" {o}")).collect::<String>();
    let ancestors =
        if sources.frame_ancestors.is_empty() { " 'self'".to_owned() } else { join(&sources.frame_ancestors) };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'{}; \
         frame-ancestors{ancestors}; base-uri 'self'; form-action 'self'; object-src 'none'",
        join(inline_scripts),
        join(&sources.connect_src)
    )
}

/// The CSP sources (`'sha256-…'`) of the inline scripts of an HTML document: the
/// base64 SHA-256 of each `<script>` element's text without a `src`, as a browser hashes
/// it (the characters between the tags, line breaks normalised to LF, UTF-8).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let html = html.replace("\r\n", "\n").replace('\r', "\n");
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find('<') {
        let start = at + found;
        let rest = &lower[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(lower.len(), |end| start + end + 3);
            continue;
        }
        let Some(tag) = script_tag(rest) else {
            at = start + 1;
            continue;
        };
        let text_start = start + tag.len;
        let text_end = end_of_script(&lower, text_start);
        if !tag.has_src {
            let digest = Sha256::digest(&html.as_bytes()[text_start..text_end]);
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        at = text_end;
    }
    hashes.dedup();
    hashes
}

struct ScriptTag {
    /// Bytes from `<` to the `>` included.
    len: usize,
    has_src: bool,
}

/// A `<script …>` start tag at the start of `s` (lowercase), read like the HTML
/// tokenizer does: attribute values quoted or not, `>` inside quotes included.
fn script_tag(s: &str) -> Option<ScriptTag> {
    let b = s.as_bytes();
    if !s.starts_with("<script") || !matches!(b.get(7), Some(b' ' | b'\t' | b'\n' | b'\x0c' | b'/' | b'>')) {
        return None;
    }
    let mut i = 7;
    let mut has_src = false;
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0c');
    loop {
        while i < b.len() && (space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return None,
            Some(b'>') => return Some(ScriptTag { len: i + 1, has_src }),
            Some(_) => {}
        }
        let name = i;
        while i < b.len() && !space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        has_src |= &s[name..i] == "src";
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        match b.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                i += 1;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            _ => {
                while i < b.len() && !space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// Where a script's text that starts at `from` ends: at the next `</script` followed by
/// a space, `/` or `>`, or at the end of the document.
fn end_of_script(lower: &str, from: usize) -> usize {
    let mut at = from;
    while let Some(found) = lower[at..].find("</script") {
        let end = at + found;
        if matches!(lower.as_bytes().get(end + 8), Some(b' ' | b'\t' | b'\n' | b'\x0c' | b'/' | b'>')) {
            return end;
        }
        at = end + 1;
    }
    lower.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha256_source(text: &str) -> String {
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
    }

    #[test]
    fn the_hash_of_an_empty_script_is_the_one_browsers_report() {
        // Chromium's console names this source for a refused empty inline script.
        assert_eq!(
            inline_script_hashes("<script></script>"),
            ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"]
        );
    }

    #[test]
    fn only_inline_scripts_are_hashed_exactly_as_written() {
        let base = "\n  document.write('<base href=\"' + location.pathname + '\">');\n";
        let html = format!(
            "<!doctype html><html><head><!-- <script>commented()</script> -->\
             <SCRIPT type=\"text/javascript\" data-x='a>b'>{base}</SCRIPT >\
             <script src=\"/boot.js\"></script><script defer src=/x.js>ignored()</script>\
             <scripts>not a script</scripts><script>a('</scriptx>')</script/></head>\
             <body><script>é = 1</script></body></html>"
        );
        assert_eq!(
            inline_script_hashes(&html),
            [sha256_source(base), sha256_source("a('</scriptx>')"), sha256_source("é = 1")]
        );
        assert_eq!(inline_script_hashes("<script>\r\nx()\r</script>"), [sha256_source("\nx()\n")]);
        assert!(inline_script_hashes("<html><head><script src=a.js></script></head></html>").is_empty());
        assert!(inline_script_hashes("<script").is_empty());
    }

    #[test]
    fn the_policy_lists_the_hashes_with_the_apps_own_scripts() {
        let sources = CspSources { connect_src: vec!["https://api.test".into()], frame_ancestors: vec![] };
        let csp = app_csp(&sources, &["'sha256-AAAA'".to_owned()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-AAAA';"), "{csp}");
        assert!(csp.contains("connect-src 'self' https://api.test;"), "{csp}");
        assert!(csp.contains("frame-ancestors 'self';"), "{csp}");
        assert!(app_csp(&sources, &[]).contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
