//! A custom inbox's list column: its name, when the list was computed ("Last updated
//! 2 min ago", ticking with the clock), Refresh, Edit and Delete for its creator, and
//! the conversations. Custom inboxes are not live, so nothing here moves by itself.

use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::wire::ConversationSummary;
use wasm_bindgen::JsCast;

use super::{ConversationListItem, Modal};

#[component]
pub fn CustomInboxView(
    #[prop(into)] name: Signal<String>,
    /// "Created by …" or "Created by you", and the filter in words.
    #[prop(into)]
    subtitle: Signal<String>,
    /// `None` until the first load.
    #[prop(into)]
    items: Signal<Option<Vec<ConversationSummary>>>,
    /// More conversations matched than are shown.
    #[prop(into)]
    more: Signal<bool>,
    /// When the list was computed (server ms), and the current time.
    #[prop(into)]
    loaded_at: Signal<Option<i64>>,
    #[prop(into)] now: Signal<i64>,
    #[prop(into)] loading: Signal<bool>,
    /// Only the creator sees Edit and Delete.
    #[prop(into)]
    editable: Signal<bool>,
    /// Names of assignees, by conversation (for the item badges).
    assignee_name: Callback<ConversationSummary, Option<String>>,
    href: Callback<ConversationId, String>,
    #[prop(into)] selected: Signal<Option<ConversationId>>,
    on_refresh: Callback<()>,
    on_edit: Callback<()>,
    on_delete: Callback<()>,
    /// "Show more": the next page.
    on_more: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let updated = move || {
        loaded_at.get().map(|at| {
            // The clock ticks every 30 s; a load just done may be "ahead" of its last tick.
            let minutes = (now.get() - at).max(0) / 60_000;
            (t.last_updated)(minutes)
        })
    };
    let count = move || items.with(|i| i.as_ref().map_or(0, Vec::len));
    // After "Show more", the first added conversation takes the focus (the button may
    // be gone, and a keyboard user continues where the list grew).
    let focus_from = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let shown = count();
        let Some(from) = focus_from.get_untracked() else { return };
        if shown > from {
            focus_from.set(None);
            request_animation_frame(move || {
                let selector = format!(".custom-inbox__items > li:nth-child({}) a", from + 1);
                if let Ok(Some(link)) = document().query_selector(&selector) {
                    let _ = link.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            });
        }
    });
    // Deleting asks first: the inbox disappears for everyone it is shared with.
    let confirming = RwSignal::new(false);
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let close_confirmation = move || {
        confirming.set(false);
        // Once the modal dialog is gone (while it is open the page is inert); the view
        // may be gone by then too.
        request_animation_frame(move || {
            if let Some(button) = delete_button.try_get_untracked().flatten() {
                let _ = button.focus();
            }
        });
    };
    let confirmation = move || {
        confirming.get().then(|| {
            view! {
                <Modal title=t.delete_custom_inbox on_close=Callback::new(move |()| close_confirmation())>
                    <p>
                        {move || (t.delete_custom_question)(&name.get())}
                    </p>
                    <div class="modal__actions">
                        <button type="button" class="button" on:click=move |_| close_confirmation()>
                            {t.cancel}
                        </button>
                        <button
                            type="button"
                            class="button button--primary"
                            on:click=move |_| {
                                confirming.set(false);
                                on_delete.run(());
                            }
                        >
                            {t.delete}
                        </button>
                    </div>
                </Modal>
            }
        })
    };
    let list = move || {
        let Some(all) = items.get() else {
            return view! { <p role="status">{t.loading}</p> }.into_any();
        };
        if all.is_empty() {
            return view! { <p class="conversation-list__empty">{t.no_custom_match}</p> }.into_any();
        }
        let size = all.len();
        let rows = all
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let id = c.id.clone();
                let assignee = assignee_name.run(c.clone());
                let link = href.run(id.clone());
                view! {
                    <ConversationListItem
                        conversation=Signal::stored(Some(c))
                        href=Signal::stored(link)
                        selected=Signal::derive(move || selected.with(|s| s.as_ref() == Some(&id)))
                        assignee=Signal::stored(assignee)
                        sla=Signal::stored(None)
                        now
                        position=Signal::stored(i + 1)
                        set_size=Signal::stored(size)
                        focusable=Signal::stored(true)
                    />
                }
            })
            .collect_view();
        view! { <ul class="custom-inbox__items" aria-label=move || name.get()>{rows}</ul> }.into_any()
    };
    view! {
        <section class="conversation-list custom-inbox" aria-label=move || (t.custom_inbox_named)(&name.get())>
            <header class="custom-inbox__header">
                <h1 class="conversation-list__title">{name}</h1>
                <p class="custom-inbox__subtitle">{subtitle}</p>
                <div class="custom-inbox__bar">
                    <p class="custom-inbox__updated" role="status" aria-live="polite">
                        {move || if loading.get() { Some(t.updating.to_owned()) } else { updated() }}
                    </p>
                    <button type="button" class="button button--small" disabled=loading on:click=move |_| on_refresh.run(())>
                        {t.refresh}
                    </button>
                    {move || {
                        editable
                            .get()
                            .then(|| {
                                view! {
                                    <button type="button" class="button button--small" on:click=move |_| on_edit.run(())>
                                        {t.edit}
                                    </button>
                                    <button
                                        type="button"
                                        class="button button--small"
                                        node_ref=delete_button
                                        on:click=move |_| confirming.set(true)
                                    >
                                        {t.delete}
                                    </button>
                                }
                            })
                    }}
                </div>
                <p class="custom-inbox__count">
                    {move || (t.conversation_count)(count() as u64)}
                    {move || more.get().then_some(t.more_match)}
                </p>
            </header>
            <div class="custom-inbox__scroll">
                {list}
                {move || {
                    more.get()
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button custom-inbox__more"
                                    disabled=loading
                                    on:click=move |_| {
                                        focus_from.set(Some(count()));
                                        on_more.run(());
                                    }
                                >
                                    {t.show_more}
                                </button>
                            }
                        })
                }}
            </div>
            {confirmation}
        </section>
    }
}
