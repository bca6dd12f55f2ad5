//! The conversation header's assignee selector: a button naming the assignee that opens
//! a searchable list of colleagues and teams (WAI-ARIA combobox with a listbox popup). Arrow keys
//! move, Enter assigns, Escape closes; the focus goes back to the button.

use leptos::html::{Button, Div, Input};
use leptos::prelude::*;
use parley_domain::text::name_matches;
use parley_domain::wire::Member;
use parley_domain::{Assignee, Team};
use wasm_bindgen::JsCast;

const LISTBOX_ID: &str = "assignee-options";

fn option_id(i: usize) -> String {
    format!("assignee-option-{i}")
}

#[component]
pub fn AssigneePicker(
    #[prop(into)] assignee: Signal<Option<Assignee>>,
    /// Colleagues the contact can be assigned to.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// Teams it can be assigned to instead.
    #[prop(into)]
    teams: Signal<Vec<Team>>,
    /// `None` unassigns.
    on_assign: Callback<Option<Assignee>>,
    /// Whose assignee this is, when several pickers share a page (list items): the
    /// button is then named "Assignee of <who>: <name>".
    #[prop(optional, into)]
    who: Option<String>,
    /// Whether the button is a Tab stop (list items: only the focused row's is).
    #[prop(optional, into)]
    tabbable: MaybeProp<bool>,
    /// Opens the popup each time it takes a new number (the `a` shortcut).
    #[prop(optional, into)]
    open: Signal<Option<u64>>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let open_request = open;
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let button: NodeRef<Button> = NodeRef::new();
    let input: NodeRef<Input> = NodeRef::new();
    let popup: NodeRef<Div> = NodeRef::new();

    let current = move || {
        assignee.with(|a| match a {
            Some(a) => assignee_name(a, &members.read(), &teams.read()),
            None => t.unassigned.to_owned(),
        })
    };
    // "Unassigned" first, then colleagues by name, then teams ("Team: Sales"); the search
    // filters them all (a team by its name).
    let options = Memo::new(move |_| {
        let q = query.get();
        let mut all = vec![(None, t.unassigned.to_owned())];
        members.with(|m| {
            let mut people: Vec<_> = m.iter().map(|m| (Some(Assignee::User(m.id.clone())), m.name.clone())).collect();
            people.sort_by(|a, b| a.1.cmp(&b.1));
            all.extend(people);
        });
        all.retain(|(_, name)| name_matches(&q, name));
        teams.with(|ts| {
            let mut found: Vec<_> = ts.iter().filter(|team| name_matches(&q, &team.name)).collect();
            found.sort_by(|a, b| a.name.cmp(&b.name));
            all.extend(
                found.into_iter().map(|team| (Some(Assignee::Team(team.id.clone())), (t.team_named)(&team.name))),
            );
        });
        all
    });

    let show = move || {
        query.set(String::new());
        let here = assignee.get_untracked();
        active.set(options.with_untracked(|o| o.iter().position(|(id, _)| *id == here).unwrap_or(0)));
        open.set(true);
        request_animation_frame(move || {
            if let Some(el) = input.get_untracked() {
                let _ = el.focus();
            }
        });
    };
    let asked = StoredValue::new(open_request.get_untracked());
    Effect::new(move |_| {
        let n = open_request.get();
        if n.is_some() && n != asked.get_value() {
            asked.set_value(n);
            show();
        }
    });
    let hide = move |refocus: bool| {
        // Focus leaves the popup also while the header is being removed: `try_` then.
        open.try_set(false);
        if refocus {
            request_animation_frame(move || {
                if let Some(el) = button.try_get_untracked().flatten() {
                    let _ = el.focus();
                }
            });
        }
    };
    let choose = move |i: usize| {
        let Some((id, _)) = options.with_untracked(|o| o.get(i).cloned()) else { return };
        hide(true);
        if id != assignee.get_untracked() {
            on_assign.run(id);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => active.update(|a| *a = (*a + 1) % count),
            "ArrowUp" if count > 0 => active.update(|a| *a = (*a + count - 1) % count),
            "Home" if ev.ctrl_key() => active.set(0),
            "End" if ev.ctrl_key() => active.set(count.saturating_sub(1)),
            "Enter" => choose(active.get_untracked()),
            "Escape" => hide(true),
            "Tab" => {
                hide(false);
                return;
            }
            _ => return,
        }
        ev.prevent_default();
    };
    // Leaving the popup (a click elsewhere, Shift+Tab) closes it.
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(popup.try_get_untracked().flatten())
            .is_some_and(|(target, popup)| popup.contains(Some(&target)));
        if !inside {
            hide(false);
        }
    };
    // The active option stays in view while arrows move through a long list.
    Effect::new(move |_| {
        let i = active.get();
        if open.get() {
            request_animation_frame(move || {
                let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&option_id(i)));
                if let Some(el) = el {
                    el.scroll_into_view_with_bool(false);
                }
            });
        }
    });

    view! {
        // Named keys used here stay here: a list item's picker must not move the list's
        // focus. Characters go on to the page's shortcuts (`p` with the button focused).
        <div
            class="assignee-picker"
            on:keydown=|ev: leptos::ev::KeyboardEvent| {
                if ev.key().chars().nth(1).is_some() {
                    ev.stop_propagation();
                }
            }
        >
            <button
                type="button"
                class="button button--small assignee-picker__button"
                aria-haspopup="listbox"
                tabindex=move || (tabbable.get() == Some(false)).then_some("-1")
                aria-expanded=move || if open.get() { "true" } else { "false" }
                node_ref=button
                on:click=move |_| if open.get_untracked() { hide(true) } else { show() }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "ArrowDown" && !open.get_untracked() {
                        ev.prevent_default();
                        show();
                    }
                }
            >
                // The chip of a list item shows only the name; its accessible name says
                // whose it is, with the visible name at its end (WCAG 2.5.3).
                {match who {
                    Some(who) => view! { <span class="visually-hidden">{(t.assignee_of)(&who)}</span> }.into_any(),
                    None => t.assignee_prefix.into_any(),
                }}
                {current}
            </button>
            <Show when=move || open.get()>
                <div class="assignee-picker__popup" node_ref=popup on:focusout=on_focusout>
                    <input
                        type="text"
                        class="assignee-picker__search"
                        role="combobox"
                        aria-label=t.search_users
                        aria-autocomplete="list"
                        aria-expanded="true"
                        aria-controls=LISTBOX_ID
                        aria-activedescendant=move || {
                            let i = active.get();
                            options.with(|o| (i < o.len()).then(|| option_id(i)))
                        }
                        autocomplete="off"
                        placeholder=t.search_users
                        node_ref=input
                        bind:value=query
                        on:input=move |_| active.set(0)
                        on:keydown=on_keydown
                    />
                    <ul class="assignee-picker__options" role="listbox" id=LISTBOX_ID aria-label=t.users>
                        {move || {
                            options
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, (id, name))| {
                                    let current = assignee.with_untracked(|a| *a == id);
                                    view! {
                                        <li
                                            role="option"
                                            id=option_id(i)
                                            class="assignee-picker__option"
                                            class:assignee-picker__option--active=move || active.get() == i
                                            class:assignee-picker__option--current=current
                                            aria-selected=move || if active.get() == i { "true" } else { "false" }
                                            // Keeps the focus in the search box while clicking.
                                            on:mousedown=|ev| ev.prevent_default()
                                            on:click=move |_| choose(i)
                                        >
                                            {name}
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <p class="assignee-picker__empty" role="status">
                        {move || options.with(Vec::is_empty).then_some(t.no_user_matches)}
                    </p>
                </div>
            </Show>
        </div>
    }
}

/// How an assignee is named: a colleague's name, or "Team: <name>".
pub fn assignee_name(a: &Assignee, members: &[Member], teams: &[Team]) -> String {
    let t = crate::i18n::t();
    match a {
        Assignee::User(id) => members.iter().find(|m| &m.id == id).map_or_else(|| id.to_string(), |m| m.name.clone()),
        Assignee::Team(id) => {
            (t.team_named)(teams.iter().find(|team| &team.id == id).map_or(id.as_str(), |team| &team.name))
        }
    }
}
