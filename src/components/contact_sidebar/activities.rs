//! The Activities tab.

use leptos::prelude::*;
use parley_domain::wire::{Activity, ContactActivities, Note};

use crate::components::TimelineActivity;
use crate::format::{iso, message_time};

/// The Activities tab: notes and events of all the contact's conversations, newest first.
#[component]
pub fn ContactActivityList(
    #[prop(into)] activities: Signal<Option<ContactActivities>>,
    #[prop(into)] now: Signal<i64>,
) -> impl IntoView {
    let t = crate::i18n::t();
    enum Entry {
        Note(Note),
        Event(Activity),
    }
    move || {
        let Some(found) = activities.get() else {
            return view! { <p class="contact-sidebar__muted" role="status">{t.loading_activities}</p> }.into_any();
        };
        let mut entries: Vec<(i64, Entry)> = found
            .notes
            .into_iter()
            .map(|n| (n.at.millis(), Entry::Note(n)))
            .chain(found.activities.into_iter().map(|a| (a.at.millis(), Entry::Event(a))))
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.0));
        if entries.is_empty() {
            return view! { <p class="contact-sidebar__muted">{t.no_activities}</p> }.into_any();
        }
        view! {
            <ul class="contact-sidebar__activities" aria-label=t.activities>
                {entries
                    .into_iter()
                    .map(|(at, entry)| match entry {
                        Entry::Note(note) => {
                            let at = parley_domain::Timestamp(at);
                            view! {
                                <li class="activity activity--note">
                                    <span class="activity__text">
                                        {(t.added_note)(&note.author_name, &note.text)}
                                    </span>
                                    <time class="activity__time" datetime=iso(at)>
                                        {move || message_time(at, now.get())}
                                    </time>
                                </li>
                            }
                                .into_any()
                        }
                        Entry::Event(activity) => view! { <TimelineActivity activity now /> }.into_any(),
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
