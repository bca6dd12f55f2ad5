//! Where the backend lives, and the rest of the runtime `config.json` (issue 12): one
//! `dist/` serves every environment, and `config.json` next to index.html says which.
//!
//! It is read once, before the app mounts ([`load`]); every field is optional.

use std::cell::RefCell;

use serde::Deserialize;

/// `config.json`, as written by whoever hosts the app.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The REST API's base, absolute or relative to the document.
    pub api_base: Option<String>,
    /// "fr", "en-GB"…; `None`: the browser's language.
    pub locale: Option<String>,
    pub theme: Theme,
    /// `None`: the app never talks to a parent frame.
    pub embed: Option<Embed>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// A CSS colour for buttons, links and the selection.
    pub accent: Option<String>,
    /// An image URL, relative to the document, shown instead of Parley's mark.
    pub logo: Option<String>,
    pub mode: ThemeMode,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThemeMode {
    Light,
    Dark,
    /// Follows the system's `prefers-color-scheme`.
    #[default]
    Auto,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Embed {
    /// The portals that may embed the app: exact origins, never `*`.
    pub allowed_origins: Vec<String>,
}

impl Config {
    /// Reads `config.json`'s text; the error is a sentence for the person who wrote it.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = serde_json::from_str(text).map_err(|e| format!("config.json is not valid: {e}."))?;
        if let Some(embed) = &config.embed {
            for origin in &embed.allowed_origins {
                if !is_origin(origin) {
                    return Err(format!(
                        "config.json is not valid: embed.allowed_origins holds {origin:?}, which is not an origin \
                         like \"https://portal.example.com\" (a scheme and a host, no path, never \"*\")."
                    ));
                }
            }
        }
        if !config.theme.is_valid() {
            let accent = config.theme.accent.unwrap_or_default();
            return Err(format!(
                "config.json is not valid: theme.accent is {accent:?}, which is not a colour like \"#0a6cff\"."
            ));
        }
        Ok(config)
    }
}

impl Theme {
    /// The accent, if any, is a colour: it is written into a CSS custom property.
    pub fn is_valid(&self) -> bool {
        self.accent.as_deref().is_none_or(is_colour)
    }
}

/// `https://portal.example.com` or `http://127.0.0.1:8080`: what `MessageEvent.origin`
/// holds, so that the two compare as strings.
fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else { return false };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', '*', '@', ' '])
        && rest == rest.to_ascii_lowercase()
}

/// `#rgb`, `#rrggbb` (with or without alpha): the colour is written into a CSS custom
/// property, so anything else could inject other declarations.
fn is_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

thread_local! {
    static CONFIG: RefCell<Resolved> = RefCell::new(Resolved::default());
}

/// The config with its URLs resolved against the document.
#[derive(Clone, Debug, Default)]
struct Resolved {
    config: Config,
    api_base: Option<String>,
}

/// The config the app started with (the defaults before [`load`]).
pub fn config() -> Config {
    CONFIG.with(|c| c.borrow().config.clone())
}

/// Fetches `config.json` next to index.html. Missing (404, or a host's fallback answering
/// index.html for it) gives the defaults; anything unreadable is an error to show.
pub async fn load() -> Result<(), String> {
    use gloo_net::http::Request;
    let response = match Request::get("config.json").build().map_err(|e| e.to_string())?.send().await {
        Ok(r) => r,
        // No network to fetch a static file from: the API will not answer either, and
        // the app says so in its own words.
        Err(_) => return Ok(()),
    };
    let text = response.text().await.unwrap_or_default();
    let html = response.headers().get("content-type").is_some_and(|t| t.starts_with("text/html"));
    if !response.ok() || html || text.trim_start().starts_with('<') {
        return Ok(());
    }
    let config = Config::parse(&text)?;
    let api_base = match &config.api_base {
        Some(base) => Some(resolve(base).ok_or_else(|| {
            format!("config.json is not valid: api_base is {base:?}, which is not an http or https URL.")
        })?),
        None => None,
    };
    CONFIG.with(|c| *c.borrow_mut() = Resolved { config, api_base });
    Ok(())
}

/// `url` made absolute against the document's base, without a trailing slash.
fn resolve(url: &str) -> Option<String> {
    let base = leptos::prelude::document().base_uri().ok().flatten()?;
    let url = web_sys::Url::new_with_base(url, &base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href().trim_end_matches('/').to_owned())
}

/// Base URL of the REST API: config.json's `api_base`, else `/api/v1` on the page's origin.
pub(crate) fn api_base() -> String {
    CONFIG.with(|c| c.borrow().api_base.clone()).unwrap_or_else(|| "/api/v1".to_owned())
}

/// URL of a static file shipped in dist/ (copied from public/), like `emoji.json`:
/// relative, so that it resolves under the document's base.
pub(crate) fn asset_url(path: &str) -> String {
    path.trim_start_matches('/').to_owned()
}

/// Absolute URL of the WebSocket, from the API's: `https://api.example.com/api/v1` →
/// `wss://api.example.com/api/v1/ws`.
///
/// `new WebSocket()` only takes relative URLs in recent browsers, so the default
/// (`/api/v1`) is made absolute from the page's location.
pub(crate) fn socket_url() -> String {
    let base = api_base();
    let absolute = if base.starts_with('/') {
        let location = web_sys::window().map(|w| w.location());
        let origin = location.and_then(|l| l.origin().ok()).unwrap_or_default();
        format!("{origin}{base}")
    } else {
        base
    };
    let ws = match absolute.split_once("://") {
        Some(("https", rest)) => format!("wss://{rest}"),
        Some((_, rest)) => format!("ws://{rest}"),
        None => absolute,
    };
    format!("{ws}/ws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_optional() {
        assert_eq!(Config::parse("{}"), Ok(Config::default()));
        let full = r##"{"api_base": "https://api.example.com/api/v1", "locale": "fr",
            "theme": {"accent": "#0a6cff", "logo": "logo.svg", "mode": "dark"},
            "embed": {"allowed_origins": ["https://portal.example.com", "http://127.0.0.1:9000"]}}"##;
        let config = Config::parse(full).unwrap();
        assert_eq!(config.api_base.as_deref(), Some("https://api.example.com/api/v1"));
        assert_eq!((config.locale.as_deref(), config.theme.mode), (Some("fr"), ThemeMode::Dark));
        assert_eq!(config.embed.unwrap().allowed_origins.len(), 2);
    }

    #[test]
    fn malformed_configs_say_what_is_wrong() {
        #[rustfmt::skip]
        let rows = [
            ("{", "config.json is not valid: EOF while parsing"),
            (r#"{"api_base": 3}"#, "invalid type: integer `3`, expected a string"),
            (r#"{"theme": {"mode": "dusk"}}"#, "unknown variant `dusk`"),
            (r#"{"apibase": "/x"}"#, "unknown field `apibase`"),
            (r#"{"embed": {"allowed_origins": ["*"]}}"#, r#"holds "*", which is not an origin"#),
            (r#"{"embed": {"allowed_origins": ["https://portal.example.com/app"]}}"#, "which is not an origin"),
            (r#"{"embed": {}}"#, "missing field `allowed_origins`"),
            (r#"{"theme": {"accent": "red; background: url(x)"}}"#, "theme.accent is"),
        ];
        for (text, expected) in rows {
            let error = Config::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn origins_and_colours() {
        for (s, ok) in [
            ("https://portal.example.com", true),
            ("http://127.0.0.1:9000", true),
            ("https://Portal.example.com", false),
            ("portal.example.com", false),
            ("ftp://x", false),
            ("https://", false),
        ] {
            assert_eq!(is_origin(s), ok, "{s}");
        }
        for (s, ok) in [("#0a6cff", true), ("#fff", true), ("#0a6cff80", true), ("blue", false), ("#12", false)] {
            assert_eq!(is_colour(s), ok, "{s}");
        }
    }

    #[test]
    fn the_socket_follows_the_api() {
        CONFIG.with(|c| c.borrow_mut().api_base = Some("https://api.example.com/api/v1".into()));
        assert_eq!(socket_url(), "wss://api.example.com/api/v1/ws");
        CONFIG.with(|c| c.borrow_mut().api_base = Some("http://127.0.0.1:8080/x/api/v1".into()));
        assert_eq!(socket_url(), "ws://127.0.0.1:8080/x/api/v1/ws");
        CONFIG.with(|c| c.borrow_mut().api_base = None);
    }
}
