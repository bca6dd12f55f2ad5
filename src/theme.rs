//! config.json's theme on the document: the colour scheme and the accent; and the logo,
//! which the sign-in form and the account bar show beside Parley's name.

use crate::api::{Theme, ThemeMode};

/// config.json's logo, as written (relative to the document's base, as `<img src>` resolves it).
pub fn logo() -> Option<String> {
    crate::api::config().theme.logo.filter(|l| !l.trim().is_empty())
}

/// Sets `data-theme` on `<html>` (tokens.css picks the colours from it) and the accent.
pub fn apply(theme: &Theme) {
    let Some(root) = leptos::prelude::document().document_element() else { return };
    let _ = match theme.mode {
        ThemeMode::Light => root.set_attribute("data-theme", "light"),
        ThemeMode::Dark => root.set_attribute("data-theme", "dark"),
        ThemeMode::Auto => root.remove_attribute("data-theme"),
    };
    if let Some(accent) = &theme.accent {
        use wasm_bindgen::JsCast;
        // Through the CSSOM, which the Content-Security-Policy allows (a style attribute
        // written as markup it would not); `Config::parse` only lets a colour through.
        if let Some(root) = root.dyn_ref::<web_sys::HtmlElement>() {
            let style = root.style();
            // Not the new-message dot: it stays blue, as agents know it.
            let _ = style.set_property("--color-accent", accent);
            let _ = style.set_property("--color-accent-text", text_on(accent));
        }
    }
}

/// The text colour that reads best on `background` (`#rgb` or `#rrggbb`, alpha ignored):
/// white or the dark scheme's near-black, whichever contrasts more (WCAG 2.2).
fn text_on(background: &str) -> &'static str {
    const DARK: &str = "#0b1220";
    let (Some(bg), Some(dark)) = (luminance(background), luminance(DARK)) else { return "#ffffff" };
    let contrast = |a: f64, b: f64| (a.max(b) + 0.05) / (a.min(b) + 0.05);
    if contrast(1.0, bg) >= contrast(bg, dark) { "#ffffff" } else { DARK }
}

/// WCAG relative luminance of a hex colour.
fn luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#')?;
    let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
    let rgb: Vec<f64> = match digits.len() {
        3 | 4 => digits[..3].iter().map(|d| f64::from(d * 17) / 255.0).collect(),
        6 | 8 => digits[..6].chunks(2).map(|p| f64::from(p[0] * 16 + p[1]) / 255.0).collect(),
        _ => return None,
    };
    let linear = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    Some(0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accent_text_is_the_more_readable_of_white_and_near_black() {
        #[rustfmt::skip]
        let rows = [("#2563eb", "#ffffff"), ("#0a6cff", "#ffffff"), ("#1d4ed8", "#ffffff"), ("#000", "#ffffff"),
            ("#ffd000", "#0b1220"), ("#4f8cff", "#0b1220"), ("#fff", "#0b1220"), ("#9dbcff80", "#0b1220"), ("nope", "#ffffff")];
        for (accent, text) in rows {
            assert_eq!(text_on(accent), text, "{accent}");
        }
    }
}
