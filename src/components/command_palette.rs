//! The command palette (Ctrl+K / ⌘K): a modal dialog holding a combobox and its
//! listbox, per the WAI-ARIA APG combobox pattern. The focus stays in the text box;
//! ↑/↓ move the active option (`aria-activedescendant`, `aria-selected`), Enter runs
//! it, Escape closes the dialog. The owner finds the entries; this only shows them.

use leptos::html::Input;
use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::inbox::InboxId;
use parley_domain::keys::Action;

use super::Modal;

const LISTBOX_ID: &str = "palette-options";

fn option_id(i: usize) -> String {
    format!("palette-option-{i}")
}

/// What an entry does when chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaletteChoice {
    Action(Action),
    Inbox(InboxId),
    Conversation(ConversationId),
}

impl PaletteChoice {
    /// The group an entry is listed under.
    fn group(&self) -> &'static str {
        match self {
            PaletteChoice::Action(_) => crate::i18n::t().actions,
            PaletteChoice::Inbox(_) => crate::i18n::t().inboxes,
            PaletteChoice::Conversation(_) => crate::i18n::t().conversations,
        }
    }
}

/// One option: what it does, its name, and a hint shown beside it (not part of the name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaletteEntry {
    pub choice: PaletteChoice,
    pub label: String,
    pub hint: Option<String>,
}

#[component]
pub fn CommandPalette(
    /// What is typed.
    query: RwSignal<String>,
    /// The options, grouped by kind in the order given.
    #[prop(into)]
    entries: Signal<Vec<PaletteEntry>>,
    /// A short status under the list ("Searching conversations…", "No match").
    #[prop(into)]
    status: Signal<Option<String>>,
    on_choose: Callback<PaletteChoice>,
    /// Escape (the owner removes the dialog and returns the focus).
    on_close: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let active = RwSignal::new(0usize);
    let input: NodeRef<Input> = NodeRef::new();
    // New entries (a new query) start from the first.
    Effect::new(move |_| {
        entries.track();
        active.set(0);
    });
    let count = move || entries.with(Vec::len);
    let choose = move |i: usize| {
        if let Some(entry) = entries.with_untracked(|e| e.get(i).cloned()) {
            on_choose.run(entry.choice);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = count();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => active.update(|a| *a = (*a + 1) % n),
            "ArrowUp" if n > 0 => active.update(|a| *a = (*a + n - 1) % n),
            "Enter" => choose(active.get_untracked()),
            _ => return,
        }
        ev.prevent_default();
    };
    // The active option stays in view.
    Effect::new(move |_| {
        let i = active.get();
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&option_id(i)) {
                el.scroll_into_view_with_bool(false);
            }
        });
    });
    // Entries split into their groups, each option keeping its index in the whole list.
    let groups = move || {
        entries.with(|all| {
            let mut groups: Vec<(&'static str, Vec<(usize, PaletteEntry)>)> = Vec::new();
            for (i, e) in all.iter().enumerate() {
                match groups.last_mut() {
                    Some((g, items)) if *g == e.choice.group() => items.push((i, e.clone())),
                    _ => groups.push((e.choice.group(), vec![(i, e.clone())])),
                }
            }
            groups
        })
    };
    let expanded = move || if count() > 0 { "true" } else { "false" };
    let descendant = move || (active.get() < count()).then(|| option_id(active.get()));
    view! {
        <Modal title=t.command_palette on_close>
            <input
                type="text"
                class="palette__input"
                role="combobox"
                aria-label=t.search_palette
                placeholder=t.search_palette
                aria-autocomplete="list"
                aria-expanded=expanded
                aria-controls=LISTBOX_ID
                aria-activedescendant=descendant
                autocomplete="off"
                spellcheck="false"
                node_ref=input
                bind:value=query
                on:keydown=on_keydown
            />
            <div class="palette__options" role="listbox" id=LISTBOX_ID aria-label=t.results>
                {move || {
                    groups()
                        .into_iter()
                        .map(|(group, items)| {
                            view! {
                                <div class="palette__group" role="group" aria-label=group>
                                    <div class="palette__group-title" aria-hidden="true">
                                        {group}
                                    </div>
                                    {items
                                        .into_iter()
                                        .map(|(i, entry)| {
                                            view! {
                                                <div
                                                    role="option"
                                                    id=option_id(i)
                                                    class="palette__option"
                                                    class:palette__option--active=move || active.get() == i
                                                    aria-selected=move || {
                                                        if active.get() == i { "true" } else { "false" }
                                                    }
                                                    on:mousedown=|ev| ev.prevent_default()
                                                    on:click=move |_| choose(i)
                                                >
                                                    <span class="palette__label">{entry.label}</span>
                                                    {entry
                                                        .hint
                                                        .map(|h| {
                                                            view! {
                                                                <span class="palette__hint" aria-hidden="true">
                                                                    {h}
                                                                </span>
                                                            }
                                                        })}
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <p class="palette__status" role="status">
                {status}
            </p>
        </Modal>
    }
}
