//! English and French: which language the app speaks, and its words in each.
//!
//! The words are one typed table (`words.rs`): every entry has an English and a French
//! value side by side, so a missing translation does not compile. Phrases with numbers
//! or names are a `fn` per language (`en.rs`, `fr.rs`).
//!
//! The current locale is one signal. Views read the table untracked (`t()`) as they
//! build: the app re-renders from the top when the locale changes (`Localized`), which
//! keeps every string a plain `&'static str` in the wasm instead of a reactive closure
//! per string. The store's state survives the re-render.
//!
//! Which locale: the agent's own choice (account menu, kept in localStorage) wins; else
//! one offered by the embedding portal or config.json (`offer`); else the browser's.

mod en;
mod fr;
mod words;

use std::cell::Cell;

use leptos::prelude::*;

pub use words::{ItemParts, Words};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// A BCP 47 tag as browsers and config.json give it: `fr`, `fr-CA`… are French,
    /// anything else English.
    pub fn from_tag(tag: &str) -> Locale {
        let tag = tag.trim().as_bytes();
        if tag.len() >= 2 && tag[..2].eq_ignore_ascii_case(b"fr") && tag.get(2).is_none_or(|c| matches!(c, b'-' | b'_'))
        {
            Locale::Fr
        } else {
            Locale::En
        }
    }

    /// For `<html lang>` and storage.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// For `Intl`: en-GB writes "12 Mar" and "14:05", as the app always has.
    pub const fn intl(self) -> &'static str {
        match self {
            Locale::En => "en-GB",
            Locale::Fr => "fr-FR",
        }
    }

    /// Its name in itself, as a language menu lists it.
    pub const fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Locale::En => &words::EN,
            Locale::Fr => &words::FR,
        }
    }
}

const STORAGE_KEY: &str = "parley.locale";

struct State {
    current: ArcRwSignal<Locale>,
    offered: Cell<Option<Locale>>,
}

thread_local! {
    static STATE: State = {
        let locale = stored().or_else(browser).unwrap_or_default();
        set_html_lang(locale);
        State { current: ArcRwSignal::new(locale), offered: Cell::new(None) }
    };
}

/// The current locale, tracked: a closure reading it re-runs on a switch.
pub fn locale() -> Locale {
    STATE.with(|s| s.current.get())
}

/// The current locale, untracked.
pub fn locale_now() -> Locale {
    STATE.with(|s| s.current.get_untracked())
}

/// The words of the current locale, untracked: for views as they build (the app
/// re-renders on a switch) and for the store's messages.
pub fn t() -> &'static Words {
    locale_now().words()
}

/// A locale offered by the embedding portal or config.json: used unless the agent chose.
pub fn offer(locale: Locale) {
    STATE.with(|s| s.offered.set(Some(locale)));
    if stored().is_none() {
        set(locale);
    }
}

/// The agent's own choice (account menu): used from now on, and remembered.
pub fn choose(locale: Locale) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, locale.tag());
    }
    set(locale);
}

fn set(locale: Locale) {
    STATE.with(|s| {
        if s.current.get_untracked() != locale {
            set_html_lang(locale);
            s.current.set(locale);
        }
    });
}

/// Its children, built again whenever the locale changes.
#[component]
pub fn Localized(children: ChildrenFn) -> impl IntoView {
    move || {
        locale();
        children()
    }
}

fn storage() -> Option<web_sys::Storage> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored() -> Option<Locale> {
    storage()?.get_item(STORAGE_KEY).ok().flatten().map(|tag| Locale::from_tag(&tag))
}

/// The browser's first language (`navigator.languages`, as the agent ordered them).
fn browser() -> Option<Locale> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    let navigator = web_sys::window()?.navigator();
    let first = navigator.languages().get(0).as_string().or_else(|| navigator.language())?;
    Some(Locale::from_tag(&first))
}

fn set_html_lang(locale: Locale) {
    if cfg!(not(target_arch = "wasm32")) {
        return;
    }
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", locale.tag());
    }
}

/// English's plural: only 1 is singular.
pub(crate) fn one_en(n: u64) -> bool {
    n == 1
}

/// French's plural: 0 and 1 are singular.
pub(crate) fn one_fr(n: u64) -> bool {
    n <= 1
}

#[cfg(test)]
mod tests;
