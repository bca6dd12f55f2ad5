//! One inbox link of the side panel: name, open count, and the blue dot.

use leptos::prelude::*;
use parley_domain::inbox::{InboxCount, InboxId};

use crate::i18n::Words;

/// Whether the blue dot shows: something new, and not the inbox the user is looking at
/// (arrivals there are acknowledged at once).
fn shows_dot(count: &InboxCount, selected: bool) -> bool {
    count.new > 0 && !selected
}

/// The accessible name: "Mine, 3 open", plus ", 1 new" while the dot shows.
fn accessible_name(t: &Words, count: &InboxCount, selected: bool) -> String {
    let new = if shows_dot(count, selected) { count.new } else { 0 };
    (t.inbox_link)(&(t.inbox_name)(count), count.open.into(), new.into())
}

/// The link stays the same element while its numbers change, so keyboard focus on it
/// survives live updates.
#[component]
pub fn SidePanelItem(
    id: InboxId,
    /// `None` for the instant between the inbox leaving the panel and the item going.
    #[prop(into)]
    count: Signal<Option<InboxCount>>,
    #[prop(into)] selected: Signal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let dot = move || count.with(|c| c.as_ref().filter(|c| shows_dot(c, selected.get())).map(|c| c.new));
    // The name is one visually hidden phrase, "Mine, 3 open, 1 new"; the visible name,
    // count and dot say the same and are hidden from assistive technology (WCAG 2.5.3:
    // the visible words are in the name, in order).
    view! {
        <li class="side-panel__item">
            <a
                class="inbox-link"
                class:inbox-link--selected=selected
                href=format!("inbox/{id}")
                aria-current=move || selected.get().then_some("page")
            >
                <span class="visually-hidden">
                    {move || count.with(|c| c.as_ref().map(|c| accessible_name(t, c, selected.get())).unwrap_or_default())}
                </span>
                <span class="inbox-link__name" aria-hidden="true">
                    {move || count.with(|c| c.as_ref().map(t.inbox_name).unwrap_or_default())}
                </span>
                <span class="inbox-link__open" aria-hidden="true">
                    {move || count.with(|c| c.as_ref().map_or(0, |c| c.open))}
                </span>
                {move || dot().map(|n| view! { <span class="new-dot" aria-hidden="true">{n}</span> })}
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use parley_domain::inbox::InboxKind;

    use super::*;

    #[test]
    fn names_mention_new_only_while_the_dot_shows() {
        let count =
            |new| InboxCount { id: InboxId::Mine, kind: InboxKind::Standard, name: "Mine".into(), open: 3, new };
        for (new, selected, expected) in
            [(1, false, "Mine, 3 open, 1 new"), (1, true, "Mine, 3 open"), (0, false, "Mine, 3 open")]
        {
            assert_eq!(accessible_name(crate::i18n::Locale::En.words(), &count(new), selected), expected);
        }
    }
}
