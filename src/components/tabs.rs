//! ARIA tabs, one pattern for the side panel's incoming calls, the list's Chats / Calls
//! and the contact sidebar: a named tablist whose selected tab is the only Tab stop, and
//! arrow keys, Home and End move the selection (the WAI-ARIA tabs pattern with automatic
//! activation).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The tablist. Tab `i` has the id `{id}-{i}` and controls the element `{id}-panel`,
/// which the caller renders with [`panel_id`] and [`tab_id`].
#[component]
pub fn Tabs(
    /// The tablist's accessible name.
    label: &'static str,
    /// The tabs' names in order; indices name them.
    #[prop(into)]
    tabs: Signal<Vec<String>>,
    /// A count after each name (part of its accessible name). Counts change without
    /// rebuilding the buttons, so the focused tab keeps focus while calls come and go.
    #[prop(optional, into)]
    counts: Option<Signal<Vec<usize>>>,
    /// The selected tab's index.
    #[prop(into)]
    selected: Signal<usize>,
    on_select: Callback<usize>,
    /// Prefix of the tab ids, unique in the page.
    id: &'static str,
    /// The tablist's layout class in its place.
    class: &'static str,
) -> impl IntoView {
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let len = tabs.with_untracked(Vec::len);
        let Some(next) = next_tab(&ev.key(), selected.get_untracked(), len) else { return };
        ev.prevent_default();
        on_select.run(next);
        if let Some(el) = document().get_element_by_id(&tab_id(id, next)) {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    view! {
        <div class=format!("tabs {class}") role="tablist" aria-label=label on:keydown=on_keydown>
            {move || {
                tabs.get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| {
                        let is_selected = move || selected.get() == i;
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tabs__tab"
                                id=tab_id(id, i)
                                aria-controls=panel_id(id)
                                aria-selected=move || if is_selected() { "true" } else { "false" }
                                tabindex=move || if is_selected() { "0" } else { "-1" }
                                on:click=move |_| on_select.run(i)
                            >
                                {name}
                                {counts
                                    .map(|counts| {
                                        let n = move || counts.with(|c| c.get(i).copied().unwrap_or(0));
                                        view! { " " <span class="tabs__count">{n}</span> }
                                    })}
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// The id of tab `i` of the tabs `id` (the panel's `aria-labelledby`).
pub fn tab_id(id: &str, i: usize) -> String {
    format!("{id}-{i}")
}

/// The id the panel of the tabs `id` must have (their `aria-controls`).
pub fn panel_id(id: &str) -> String {
    format!("{id}-panel")
}

/// Where a key moves the selection among `len` tabs (`None`: not a tab key).
pub fn next_tab(key: &str, current: usize, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let current = current.min(len - 1);
    Some(match key {
        "ArrowRight" | "ArrowDown" => (current + 1) % len,
        "ArrowLeft" | "ArrowUp" => (current + len - 1) % len,
        "Home" => 0,
        "End" => len - 1,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::next_tab;

    #[test]
    fn keys_move_around_the_tabs_and_wrap() {
        let cases = [
            ("ArrowRight", 0, 3, Some(1)),
            ("ArrowRight", 2, 3, Some(0)),
            ("ArrowDown", 1, 3, Some(2)),
            ("ArrowLeft", 0, 3, Some(2)),
            ("ArrowUp", 2, 3, Some(1)),
            ("Home", 2, 3, Some(0)),
            ("End", 0, 3, Some(2)),
            ("Enter", 1, 3, None),
            ("ArrowRight", 0, 0, None),
            ("ArrowRight", 7, 3, Some(0)),
        ];
        for (key, current, len, want) in cases {
            assert_eq!(next_tab(key, current, len), want, "{key} from {current} of {len}");
        }
    }
}
