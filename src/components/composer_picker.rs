//! The composer's pickers: `:` emoji, `/` saved replies, `$` variables. The textarea
//! keeps the focus (the listbox is its `aria-activedescendant` popup), so typing goes on
//! filtering while arrow keys move, Enter or Tab chooses and Escape closes. Which picker
//! the text opens and what matches are pure rules in `parley_domain::composer`.

use std::sync::Arc;

use leptos::prelude::*;
use parley_domain::composer::{self, EmojiData, PickerKind, Trigger};
use parley_domain::wire::Snippet;

/// What the pickers show, supplied by the page (components never fetch): each is `None`
/// until it has loaded, then the data or the words of the failure.
#[derive(Clone, Copy)]
pub struct PickerSources {
    pub emoji: Signal<Option<Result<Arc<EmojiData>, String>>>,
    pub snippets: Signal<Option<Result<Vec<Snippet>, String>>>,
    /// A picker opened: load its data (the emoji table is fetched on the first `:`).
    pub load: Callback<PickerKind>,
}

/// One option of a picker.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Choice {
    /// The option's accessible name (an emoji's CLDR name, a reply's title…).
    label: String,
    /// Shown before the label: the emoji itself.
    glyph: Option<String>,
    /// Shown after it: the shortcode, the variable's token, the reply's text.
    detail: String,
    /// A saved reply's category (consecutive options share it).
    group: Option<String>,
    /// What choosing it puts in the text.
    insert: String,
}

/// Consecutive options sharing a group (a category), with their positions in the list.
type Run = (Option<String>, Vec<(usize, Choice)>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Listing {
    Loading,
    Failed(String),
    Choices(Vec<Choice>),
}

/// Enough to find an emoji by typing (the table has ~1,900), and few enough to show
/// without scrolling: a scrolling popup would need a keyboard stop of its own.
const EMOJI_LIMIT: usize = 8;
const LISTBOX_ID: &str = "composer-picker";

fn option_id(i: usize) -> String {
    format!("{LISTBOX_ID}-{i}")
}

/// The open picker, shared by the textarea (keys, ARIA attributes) and the popup.
#[derive(Clone, Copy)]
pub struct Picker {
    trigger: Memo<Option<Trigger>>,
    /// The picker shown, if any (an Escape hides it until the trigger changes).
    kind: Memo<Option<PickerKind>>,
    listing: Memo<Listing>,
    active: RwSignal<usize>,
    /// The trigger start the agent closed with Escape.
    dismissed: RwSignal<Option<usize>>,
    on_choose: Callback<String>,
}

impl Picker {
    /// `trigger` follows the text before the caret; `on_choose` receives what to put in
    /// place of the trigger and its query.
    pub fn new(trigger: Memo<Option<Trigger>>, sources: PickerSources, on_choose: Callback<String>) -> Self {
        let dismissed = RwSignal::new(None::<usize>);
        let kind = Memo::new(move |_| {
            trigger.with(|t| t.as_ref().filter(|t| dismissed.get() != Some(t.start)).map(|t| t.kind))
        });
        // Read inside the listing memo only, so a plain closure (one memo type fewer in the wasm).
        let query = move || trigger.with(|t| t.as_ref().map(|t| t.query.clone()).unwrap_or_default());
        let listing = Memo::new(move |_| match kind.get() {
            None => Listing::Choices(Vec::new()),
            Some(PickerKind::Emoji) => sources.emoji.with(|e| match e {
                None => Listing::Loading,
                Some(Err(why)) => Listing::Failed(why.clone()),
                Some(Ok(data)) => {
                    let found = composer::emoji_matches(data, &query(), EMOJI_LIMIT);
                    Listing::Choices(found.into_iter().map(|i| emoji_choice(data, i)).collect())
                }
            }),
            Some(PickerKind::Snippet) => sources.snippets.with(|s| match s {
                None => Listing::Loading,
                Some(Err(why)) => Listing::Failed(why.clone()),
                Some(Ok(all)) => {
                    let found = composer::snippet_matches(all, &query());
                    Listing::Choices(found.into_iter().map(|i| snippet_choice(&all[i])).collect())
                }
            }),
            Some(PickerKind::Variable) => Listing::Choices(
                composer::variable_matches(&query())
                    .into_iter()
                    .map(|v| {
                        let token = composer::variable_token(v);
                        Choice {
                            label: v.label.to_owned(),
                            glyph: None,
                            detail: token.clone(),
                            group: None,
                            insert: token,
                        }
                    })
                    .collect(),
            ),
        });
        let active = RwSignal::new(0usize);
        // A new list starts at its best match.
        Effect::new(move |_| {
            listing.track();
            active.set(0);
        });
        // Leaving the trigger forgets an Escape, so the next `:` opens again.
        Effect::new(move |_| {
            if trigger.with(Option::is_none) {
                dismissed.set(None);
            }
        });
        // Opening a picker asks for its data.
        Effect::new(move |_| {
            if let Some(kind) = kind.get() {
                sources.load.run(kind);
            }
        });
        // The active option stays in sight while the arrows move through a long list.
        Effect::new(move |_| {
            let i = active.get();
            if kind.with(Option::is_some)
                && let Some(el) = document().get_element_by_id(&option_id(i))
            {
                el.scroll_into_view_with_bool(false);
            }
        });
        Picker { trigger, kind, listing, active, dismissed, on_choose }
    }

    /// Whether a picker is showing (for the textarea's `aria-controls`).
    pub fn is_open(&self) -> bool {
        self.kind.with(Option::is_some)
    }

    /// The active option's id (for the textarea's `aria-activedescendant`).
    pub fn active_descendant(&self) -> Option<String> {
        let len = self.listing.with(|l| if let Listing::Choices(c) = l { c.len() } else { 0 });
        (self.is_open() && len > 0).then(|| option_id(self.active.get().min(len - 1)))
    }

    pub fn listbox_id(&self) -> &'static str {
        LISTBOX_ID
    }

    /// Handles a key pressed in the textarea; returns whether it was the picker's (then
    /// the default action, such as sending on Enter, is prevented).
    pub fn on_keydown(&self, ev: &leptos::ev::KeyboardEvent) -> bool {
        if !self.kind.with_untracked(Option::is_some) || ev.is_composing() {
            return false;
        }
        let len = self.listing.with_untracked(|l| if let Listing::Choices(c) = l { c.len() } else { 0 });
        match ev.key().as_str() {
            "ArrowDown" if len > 0 => self.active.update(|a| *a = (*a + 1) % len),
            "ArrowUp" if len > 0 => self.active.update(|a| *a = (*a + len - 1) % len),
            "Enter" | "Tab" if len > 0 && !ev.shift_key() => self.choose(self.active.get_untracked().min(len - 1)),
            "Escape" => self.dismiss(),
            _ => return false,
        }
        ev.prevent_default();
        ev.stop_propagation();
        true
    }

    /// Hides the picker until the trigger changes (Escape, or the textarea lost focus).
    pub fn dismiss(&self) {
        // A blur also comes when the composer is being removed: its signals may be gone.
        if let Some(start) = self.trigger.try_with_untracked(|t| t.as_ref().map(|t| t.start)).flatten() {
            self.dismissed.try_set(Some(start));
        }
    }

    fn choose(&self, i: usize) {
        let insert = self.listing.with_untracked(|l| match l {
            Listing::Choices(c) => c.get(i).map(|c| c.insert.clone()),
            _ => None,
        });
        if let Some(insert) = insert {
            self.on_choose.run(insert);
        }
    }
}

fn emoji_choice(data: &EmojiData, i: usize) -> Choice {
    let e = &data.emojis[i];
    Choice {
        label: e.name().to_owned(),
        glyph: Some(e.emoji().to_owned()),
        detail: e.shortcodes().first().map(|c| format!(":{c}:")).unwrap_or_default(),
        group: None,
        insert: e.emoji().to_owned(),
    }
}

fn snippet_choice(s: &Snippet) -> Choice {
    Choice {
        label: s.title.clone(),
        glyph: None,
        detail: s.text.clone(),
        group: Some(s.category.clone()),
        insert: s.text.clone(),
    }
}

/// The picker's CSS name (English, stable).
fn title(kind: PickerKind) -> &'static str {
    match kind {
        PickerKind::Emoji => "Emoji",
        PickerKind::Snippet => "Saved replies",
        PickerKind::Variable => "Variables",
    }
}

/// The popup above the textarea: a listbox (grouped by category for saved replies), or
/// what is happening while it cannot be one.
#[component]
pub fn ComposerPicker(picker: Picker) -> impl IntoView {
    let t = crate::i18n::t();
    let Picker { kind, listing, active, .. } = picker;
    move || {
        let kind = kind.get()?;
        let class = format!("picker picker--{}", title(kind).to_lowercase().replace(' ', "-"));
        let name = match kind {
            PickerKind::Emoji => t.emoji,
            PickerKind::Snippet => t.saved_replies,
            PickerKind::Variable => t.variables,
        };
        let body = match listing.get() {
            Listing::Loading => {
                view! { <p class="picker__message" role="status">{(t.picker_loading)(name)}</p> }.into_any()
            }
            Listing::Failed(why) => view! { <p class="picker__message" role="alert">{why}</p> }.into_any(),
            Listing::Choices(choices) if choices.is_empty() => {
                view! { <p class="picker__message" role="status">{(t.picker_none)(name)}</p> }.into_any()
            }
            Listing::Choices(choices) => {
                let count = choices.len();
                let mut groups: Vec<Run> = Vec::new();
                for (i, c) in choices.into_iter().enumerate() {
                    match groups.last_mut() {
                        Some((g, list)) if *g == c.group => list.push((i, c)),
                        _ => groups.push((c.group.clone(), vec![(i, c)])),
                    }
                }
                let groups = groups
                    .into_iter()
                    .enumerate()
                    .map(|(n, (group, options))| {
                        let options = options.into_iter().map(|(i, c)| option(picker, active, i, c)).collect_view();
                        match group {
                            Some(g) => {
                                let heading = format!("{LISTBOX_ID}-group-{n}");
                                let labelledby = heading.clone();
                                view! {
                                    <div role="group" class="picker__group" aria-labelledby=labelledby>
                                        <div id=heading class="picker__heading" role="presentation">{g}</div>
                                        {options}
                                    </div>
                                }
                                .into_any()
                            }
                            None => options.into_any(),
                        }
                    })
                    .collect_view();
                view! {
                    <div id=LISTBOX_ID role="listbox" aria-label=name class="picker__list">{groups}</div>
                    <p class="visually-hidden" role="status">{(t.picker_count)(count as u64, name)}</p>
                }
                .into_any()
            }
        };
        Some(view! { <div class=class>{body}</div> })
    }
}

fn option(picker: Picker, active: RwSignal<usize>, i: usize, c: Choice) -> impl IntoView {
    let selected = move || active.get() == i;
    view! {
        <div
            role="option"
            id=option_id(i)
            class="picker__option"
            class:picker__option--active=selected
            aria-selected=move || if selected() { "true" } else { "false" }
            // Keep the focus (and the caret) in the textarea.
            on:mousedown=|ev| ev.prevent_default()
            on:mousemove=move |_| {
                if active.get_untracked() != i {
                    active.set(i);
                }
            }
            on:click=move |_| picker.choose(i)
        >
            {c.glyph.map(|g| view! { <span class="picker__glyph" aria-hidden="true">{g}</span> })}
            // The option's name: its label, as shown.
            <span class="picker__label">{c.label}</span>
            <span class="picker__detail" aria-hidden="true">{c.detail}</span>
        </div>
    }
}
