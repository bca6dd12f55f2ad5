//! The right-most column: who the contact is, and who they are assigned to; edits the
//! contact in place, suggests duplicates to merge, and holds tabs for the contact's
//! activities, calls and integrations (a CRM).

use std::collections::BTreeMap;

use leptos::prelude::*;
use parley_domain::contact_fields::{COUNTRIES, LANGUAGES};
use parley_domain::integration::{FieldType, Integration, IntegrationField, IntegrationUpdate};
use parley_domain::wire::{Activity, ContactActivities, ContactPatch, Member, Note};
use parley_domain::{Channel, Contact, ContactId, UserId};
use wasm_bindgen::JsCast;

use super::{Avatar, Tabs, TimelineActivity, panel_id, tab_id};

/// The id of the sidebar's tabs.
const TABS: &str = "contact-tab";
use crate::format::{iso, message_time};

/// A form's save: what to send, and where the outcome goes (`None` is success, else
/// the sentence to show next to the form).
pub type SaveContact = Callback<(ContactPatch, Callback<Option<String>>)>;
/// Saves an integration's values: `(integration id, values, outcome)`.
pub type SaveIntegration = Callback<(String, IntegrationUpdate, Callback<Option<String>>)>;

/// `<aside aria-label="Contact details">` with a definition list, and an assignee picker.
#[component]
pub fn ContactSidebar(
    #[prop(into)] contact: Signal<Contact>,
    /// Colleagues the contact can be assigned to.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// `None` unassigns.
    on_assign: Callback<Option<UserId>>,
    /// The workspace's channels, to name the contact's connected ones.
    #[prop(into, default = Signal::stored(Vec::new()))]
    channels: Signal<Vec<Channel>>,
    /// Saves the edited contact (adds "Edit contact").
    #[prop(default = None)]
    on_save: Option<SaveContact>,
    /// Other contacts sharing a phone or email.
    #[prop(into, default = Signal::stored(Vec::new()))]
    duplicates: Signal<Vec<Contact>>,
    /// Merges the given contact into this one (adds "Possible duplicates").
    #[prop(default = None)]
    on_merge: Option<Callback<ContactId>>,
    /// The contact's notes and events across conversations (adds the "Activities" tab).
    #[prop(default = None)]
    activities: Option<ViewFn>,
    /// The contact's calls, for users who handle calls (adds the "Call activities" tab).
    #[prop(default = None)]
    call_activities: Option<ViewFn>,
    /// One tab each.
    #[prop(into, default = Signal::stored(Vec::new()))]
    integrations: Signal<Vec<Integration>>,
    #[prop(default = None)] on_save_integration: Option<SaveIntegration>,
    /// Calls the contact out (users who handle calls).
    #[prop(default = None)]
    on_call: Option<Callback<()>>,
    /// Blocks (`true`) or unblocks the contact (users with the permission).
    #[prop(default = None)]
    on_block: Option<Callback<bool>>,
) -> impl IntoView {
    let tab = RwSignal::new(SidebarTab::Details);
    let name = Signal::derive(move || contact.with(|c| c.name.clone()));
    let has_activities = activities.is_some();
    let has_calls = call_activities.is_some();
    // The tabs in order, with their labels.
    let tabs = Memo::new(move |_| {
        let mut tabs = vec![(SidebarTab::Details, "Contact details".to_owned())];
        if has_activities {
            tabs.push((SidebarTab::Activities, "Activities".to_owned()));
        }
        if has_calls {
            tabs.push((SidebarTab::Calls, "Call activities".to_owned()));
        }
        integrations.with(|list| {
            tabs.extend(
                list.iter().enumerate().map(|(i, integration)| (SidebarTab::Integration(i), integration.name.clone())),
            )
        });
        tabs
    });
    // An integration tab that went away (another contact) falls back to the details.
    Effect::new(move |_| {
        let current = tab.get();
        if !tabs.with(|t| t.iter().any(|(which, _)| *which == current)) {
            tab.set(SidebarTab::Details);
        }
    });
    let position = move || tabs.with(|t| t.iter().position(|(which, _)| *which == tab.get()).unwrap_or(0));
    let tab_list = move || {
        (tabs.with(Vec::len) > 1).then(|| {
            view! {
                <Tabs
                    label="Contact"
                    id=TABS
                    class="contact-sidebar__tabs"
                    tabs=Signal::derive(move || tabs.with(|t| t.iter().map(|(_, name)| name.clone()).collect()))
                    selected=Signal::derive(position)
                    on_select=Callback::new(move |i: usize| {
                        if let Some((which, _)) = tabs.with_untracked(|t| t.get(i).cloned()) {
                            tab.set(which);
                        }
                    })
                />
            }
        })
    };
    let details = move || {
        view! {
            <ContactFields contact members on_save />
            <ConnectedChannels contact channels />
            <AssignPicker contact members on_assign />
            {on_merge.map(|on_merge| view! { <PossibleDuplicates contact duplicates on_merge /> })}
        }
    };
    // The integrations' fields without their values: a save changes only the values, and
    // must not rebuild the form (it would lose its "Saved").
    let schema = Memo::new(move |_| {
        integrations.with(|list| {
            list.iter()
                .map(|i| Integration {
                    fields: i.fields.iter().map(|f| IntegrationField { value: None, ..f.clone() }).collect(),
                    ..i.clone()
                })
                .collect::<Vec<_>>()
        })
    });
    let panel = move || match tab.get() {
        SidebarTab::Activities if has_activities => activities.as_ref().map(ViewFn::run).into_any(),
        SidebarTab::Calls if has_calls => call_activities.as_ref().map(ViewFn::run).into_any(),
        SidebarTab::Integration(i) => match (schema.with(|s| s.get(i).cloned()), on_save_integration) {
            (Some(form), Some(on_save)) => {
                let values = Signal::derive(move || integrations.with(|l| l.get(i).map(values_of).unwrap_or_default()));
                view! { <IntegrationForm form values on_save /> }.into_any()
            }
            _ => details().into_any(),
        },
        _ => details().into_any(),
    };
    let labelled_by = move || (tabs.with(Vec::len) > 1).then(|| tab_id(TABS, position()));
    view! {
        <aside class="contact-sidebar" aria-label="Contact details">
            <header class="contact-sidebar__header">
                <Avatar name class="avatar--large" />
                <h2 class="contact-sidebar__name">{name}</h2>
                {move || contact.with(|c| c.blocked).then(|| view! { <p class="contact-sidebar__blocked">"Blocked"</p> })}
                {on_block
                    .map(|block| {
                        let blocked = move || contact.with(|c| c.blocked);
                        view! {
                            <button type="button" class="button" on:click=move |_| block.run(!blocked())>
                                {move || if blocked() { "Unblock contact" } else { "Block contact" }}
                            </button>
                        }
                    })}
                {on_call
                    .map(|call| {
                        view! {
                            <button type="button" class="button" on:click=move |_| call.run(())>
                                "Call contact"
                            </button>
                        }
                    })}
            </header>
            {tab_list}
            <div
                class="contact-sidebar__panel"
                id=panel_id(TABS)
                role=move || (tabs.with(Vec::len) > 1).then_some("tabpanel")
                aria-labelledby=labelled_by
            >
                {panel}
            </div>
        </aside>
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SidebarTab {
    Details,
    Activities,
    Calls,
    /// By position in the contact's integrations.
    Integration(usize),
}

fn focus_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// The contact's fields, read-only until "Edit contact" turns them into a form.
#[component]
fn ContactFields(
    contact: Signal<Contact>,
    members: Signal<Vec<Member>>,
    on_save: Option<SaveContact>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let optional =
        move |f: fn(&Contact) -> Option<String>| move || contact.with(|c| f(c).unwrap_or_else(|| "—".into()));
    let assignee_name = move || {
        contact.with(|c| match &c.assignee {
            None => "Unassigned".to_owned(),
            Some(id) => members
                .with(|m| m.iter().find(|m| &m.id == id).map(|m| m.name.clone()))
                .unwrap_or_else(|| id.to_string()),
        })
    };
    let read_only = move || {
        view! {
            <dl class="contact-sidebar__details">
                <dt>"Phone"</dt>
                <dd>{optional(|c| c.phone.clone())}</dd>
                <dt>"Email"</dt>
                <dd>{optional(|c| c.email.clone())}</dd>
                <dt>"Country"</dt>
                <dd>{optional(|c| c.country.clone())}</dd>
                <dt>"Language"</dt>
                <dd>{optional(|c| c.language.clone())}</dd>
                <dt>"Tags"</dt>
                <dd>
                    {move || {
                        contact
                            .with(|c| {
                                if c.tags.is_empty() {
                                    return "—".into_any();
                                }
                                view! {
                                    <ul class="contact-sidebar__tags" aria-label="Tags">
                                        {c.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            })
                    }}
                </dd>
                <dt class="contact-sidebar__wide">"Custom attributes"</dt>
                <dd class="contact-sidebar__wide">
                    {move || {
                        contact
                            .with(|c| {
                                if c.attributes.is_empty() {
                                    return "—".into_any();
                                }
                                view! {
                                    <table class="contact-sidebar__attributes" aria-label="Custom attributes">
                                        <tbody>
                                            {c
                                                .attributes
                                                .iter()
                                                .map(|(k, v)| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{k.clone()}</th>
                                                            <td>{v.clone()}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            })
                    }}
                </dd>
                <dt>"Assignee"</dt>
                <dd>{assignee_name}</dd>
            </dl>
            {on_save
                .map(|_| {
                    view! {
                        <button
                            type="button"
                            class="button contact-sidebar__edit"
                            id="contact-edit"
                            on:click=move |_| editing.set(true)
                        >
                            "Edit contact"
                        </button>
                    }
                })}
        }
    };
    move || match on_save.filter(|_| editing.get()) {
        Some(on_save) => {
            let done = Callback::new(move |()| {
                editing.set(false);
                request_animation_frame(|| focus_id("contact-edit"));
            });
            view! { <ContactForm contact on_save done /> }.into_any()
        }
        None => read_only().into_any(),
    }
}

/// The edit form: every field at once, saved together (the server saves all or nothing).
#[component]
fn ContactForm(contact: Signal<Contact>, on_save: SaveContact, done: Callback<()>) -> impl IntoView {
    let initial = contact.get_untracked();
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    let name = RwSignal::new(initial.name.clone());
    let phone = text(&initial.phone);
    let email = text(&initial.email);
    let country = text(&initial.country);
    let language = text(&initial.language);
    let tags = RwSignal::new(initial.tags.join(", "));
    // One (name, value) pair of signals per row: typing changes a row, not the list.
    let attributes = RwSignal::new(
        initial
            .attributes
            .iter()
            .map(|(k, v)| (RwSignal::new(k.clone()), RwSignal::new(v.clone())))
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The server checks names and values; two rows with one name would collapse into
        // one here, so that is refused before sending (blank rows are left out).
        let mut sent = BTreeMap::new();
        for (key, value) in attributes.get_untracked() {
            let (key, value) = (key.get_untracked().trim().to_owned(), value.get_untracked());
            if (key.is_empty() && value.trim().is_empty()) || sent.insert(key.clone(), value).is_none() {
                continue;
            }
            error.set(Some(format!("Attributes: the attribute \"{key}\" is given twice")));
            return;
        }
        let patch = ContactPatch {
            name: Some(name.get_untracked()),
            phone: Some(phone.get_untracked()),
            email: Some(email.get_untracked()),
            country: Some(country.get_untracked()),
            language: Some(language.get_untracked()),
            tags: Some(tags.get_untracked().split(',').map(str::to_owned).collect()),
            attributes: Some(sent),
        };
        saving.set(true);
        on_save.run((
            patch,
            Callback::new(move |outcome: Option<String>| {
                let _ = saving.try_set(false);
                match outcome {
                    None => {
                        let _ = done.try_run(());
                    }
                    Some(message) => {
                        let _ = error.try_set(Some(message));
                    }
                }
            }),
        ));
    };
    let field = move |id: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class="contact-sidebar__label" for=id>{label}</label>
            <input
                id=id
                class="contact-sidebar__input"
                type=kind
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    // A code field with the ISO codes as suggestions (free text: the domain checks it).
    let suggested = move |id: &'static str,
                          label: &'static str,
                          value: RwSignal<String>,
                          list: &'static str,
                          codes: &'static [&'static str]| {
        view! {
            <label class="contact-sidebar__label" for=id>{label}</label>
            <input
                id=id
                class="contact-sidebar__input"
                list=list
                autocomplete="off"
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <datalist id=list>{codes.iter().map(|c| view! { <option value=*c></option> }).collect_view()}</datalist>
        }
    };
    view! {
        <form class="contact-sidebar__form" aria-label="Edit contact" on:submit=submit>
            <label class="contact-sidebar__label" for="contact-name">"Name"</label>
            <input
                id="contact-name"
                class="contact-sidebar__input"
                node_ref=first
                prop:value=name
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            {field("contact-phone", "Phone", phone, "tel")}
            {field("contact-email", "Email", email, "email")}
            {suggested("contact-country", "Country", country, "contact-countries", COUNTRIES)}
            {suggested("contact-language", "Language", language, "contact-languages", LANGUAGES)}
            {field("contact-tags", "Tags", tags, "text")}
            <fieldset class="contact-sidebar__fieldset">
                <legend class="contact-sidebar__label">"Custom attributes"</legend>
                {move || {
                    attributes
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, (key, value))| {
                            let remove = move |_| {
                                attributes.update(|a| {
                                    a.remove(i);
                                });
                                request_animation_frame(|| focus_id("contact-attribute-add"));
                            };
                            view! {
                                <div class="contact-sidebar__attribute">
                                    <input
                                        id=format!("contact-attribute-{i}")
                                        class="contact-sidebar__input"
                                        aria-label="Attribute name"
                                        prop:value=key
                                        on:input=move |ev| key.set(event_target_value(&ev))
                                    />
                                    <input
                                        class="contact-sidebar__input"
                                        aria-label="Attribute value"
                                        prop:value=value
                                        on:input=move |ev| value.set(event_target_value(&ev))
                                    />
                                    <button
                                        type="button"
                                        class="button"
                                        aria-label=move || format!("Remove attribute {}", key.get())
                                        on:click=remove
                                    >
                                        "Remove"
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()
                }}
                <button
                    type="button"
                    class="button"
                    id="contact-attribute-add"
                    on:click=move |_| {
                        let n = attributes.with_untracked(Vec::len);
                        attributes.update(|a| a.push((RwSignal::new(String::new()), RwSignal::new(String::new()))));
                        request_animation_frame(move || focus_id(&format!("contact-attribute-{n}")));
                    }
                >
                    "Add attribute"
                </button>
            </fieldset>
            {move || error.get().map(|e| view! { <p class="contact-sidebar__error" role="alert">{e}</p> })}
            <div class="contact-sidebar__actions">
                <button type="submit" class="button button--primary" disabled=saving>
                    "Save"
                </button>
                <button type="button" class="button" on:click=move |_| done.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// The channels the contact has written on, by name.
#[component]
fn ConnectedChannels(contact: Signal<Contact>, channels: Signal<Vec<Channel>>) -> impl IntoView {
    let names = move || {
        contact.with(|c| {
            channels.with(|all| {
                c.channels
                    .iter()
                    .map(|id| {
                        all.iter().find(|ch| &ch.id == id).map(|ch| ch.name.clone()).unwrap_or_else(|| id.to_string())
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="contact-sidebar__section" aria-labelledby="contact-channels">
            <h3 id="contact-channels" class="contact-sidebar__heading">"Connected channels"</h3>
            {move || {
                let names = names();
                if names.is_empty() {
                    view! { <p class="contact-sidebar__muted">"None"</p> }.into_any()
                } else {
                    view! {
                        <ul class="contact-sidebar__channels" aria-label="Connected channels">
                            {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn AssignPicker(
    contact: Signal<Contact>,
    members: Signal<Vec<Member>>,
    on_assign: Callback<Option<UserId>>,
) -> impl IntoView {
    let assignee_value = move || contact.with(|c| c.assignee.as_ref().map(|a| a.to_string()).unwrap_or_default());
    view! {
        <label class="contact-sidebar__label" for="contact-assignee">"Assign to"</label>
        <select
            id="contact-assignee"
            class="contact-sidebar__assign"
            on:change=move |ev| {
                let value = event_target_value(&ev);
                on_assign.run((!value.is_empty()).then(|| UserId::new(value)));
            }
        >
            <option value="" prop:selected=move || assignee_value().is_empty()>
                "Unassigned"
            </option>
            {move || {
                members
                    .get()
                    .into_iter()
                    .map(|m| {
                        let id = m.id.to_string();
                        let current = {
                            let id = id.clone();
                            move || assignee_value() == id
                        };
                        view! {
                            <option value=id prop:selected=current>
                                {m.name}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}

/// Merge suggestions, each merged only after a confirmation.
#[component]
fn PossibleDuplicates(
    contact: Signal<Contact>,
    duplicates: Signal<Vec<Contact>>,
    on_merge: Callback<ContactId>,
) -> impl IntoView {
    // The suggestion waiting for confirmation.
    let confirming = RwSignal::new(None::<Contact>);
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let item = move |other: Contact| {
        let detail = [other.phone.clone(), other.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
        let label = format!("Merge {} into this contact", other.name);
        view! {
            <li class="contact-sidebar__duplicate">
                <span class="contact-sidebar__duplicate-name">{other.name.clone()}</span>
                <span class="contact-sidebar__muted">{detail}</span>
                <button type="button" class="button" on:click=move |_| confirming.set(Some(other.clone()))>
                    {label}
                </button>
            </li>
        }
    };
    let confirmation = move || {
        confirming.get().map(|other| {
            let question = contact.with(|c| {
                format!(
                    "Merge {} into {}? Their conversations move to {} and {} is removed. This cannot be undone.",
                    other.name, c.name, c.name, other.name
                )
            });
            let id = other.id.clone();
            view! {
                <div class="contact-sidebar__confirm" role="group" aria-label="Confirm merge">
                    <p>{question}</p>
                    <button
                        type="button"
                        class="button button--primary"
                        node_ref=confirm_button
                        on:click=move |_| {
                            on_merge.run(id.clone());
                            confirming.set(None);
                        }
                    >
                        "Confirm merge"
                    </button>
                    <button type="button" class="button" on:click=move |_| confirming.set(None)>
                        "Cancel"
                    </button>
                </div>
            }
        })
    };
    move || {
        let list = duplicates.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="contact-sidebar__section" aria-labelledby="contact-duplicates">
                    <h3 id="contact-duplicates" class="contact-sidebar__heading">"Possible duplicates"</h3>
                    <ul class="contact-sidebar__duplicates" aria-label="Possible duplicates">
                        {list.into_iter().map(item).collect_view()}
                    </ul>
                    {confirmation}
                </section>
            }
        })
    }
}

/// The Activities tab: notes and events of all the contact's conversations, newest first.
#[component]
pub fn ContactActivityList(
    #[prop(into)] activities: Signal<Option<ContactActivities>>,
    #[prop(into)] now: Signal<i64>,
) -> impl IntoView {
    enum Entry {
        Note(Note),
        Event(Activity),
    }
    move || {
        let Some(found) = activities.get() else {
            return view! { <p class="contact-sidebar__muted" role="status">"Loading activities…"</p> }.into_any();
        };
        let mut entries: Vec<(i64, Entry)> = found
            .notes
            .into_iter()
            .map(|n| (n.at.millis(), Entry::Note(n)))
            .chain(found.activities.into_iter().map(|a| (a.at.millis(), Entry::Event(a))))
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.0));
        if entries.is_empty() {
            return view! { <p class="contact-sidebar__muted">"No activities yet."</p> }.into_any();
        }
        view! {
            <ul class="contact-sidebar__activities" aria-label="Activities">
                {entries
                    .into_iter()
                    .map(|(at, entry)| match entry {
                        Entry::Note(note) => {
                            let at = parley_domain::Timestamp(at);
                            view! {
                                <li class="activity activity--note">
                                    <span class="activity__text">
                                        {format!("{} added a note: {}", note.author_name, note.text)}
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

fn values_of(integration: &Integration) -> BTreeMap<String, String> {
    integration.fields.iter().map(|f| (f.key.clone(), f.value.clone().unwrap_or_default())).collect()
}

/// One integration's typed fields as a form, saved together. `form` is the integration
/// without values; `values` are the stored ones, which replace the inputs when they change.
#[component]
fn IntegrationForm(
    form: Integration,
    #[prop(into)] values: Signal<BTreeMap<String, String>>,
    on_save: SaveIntegration,
) -> impl IntoView {
    let integration = form;
    let stored = values;
    let values = RwSignal::new(stored.get_untracked());
    Effect::new(move |_| values.set(stored.get()));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let id = integration.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let update = IntegrationUpdate {
            values: values.with_untracked(|v| {
                v.iter().map(|(k, v)| (k.clone(), (!v.trim().is_empty()).then(|| v.clone()))).collect()
            }),
        };
        saving.set(true);
        saved.set(false);
        on_save.run((
            id.clone(),
            update,
            Callback::new(move |outcome: Option<String>| {
                let _ = saving.try_set(false);
                let _ = saved.try_set(outcome.is_none());
                let _ = error.try_set(outcome);
            }),
        ));
    };
    let name = integration.name.clone();
    let fields = integration
        .fields
        .into_iter()
        .map(|field| integration_field(integration.id.clone(), field, values))
        .collect_view();
    view! {
        <form class="contact-sidebar__form" aria-label=name on:submit=submit>
            {fields}
            {move || error.get().map(|e| view! { <p class="contact-sidebar__error" role="alert">{e}</p> })}
            <p class="contact-sidebar__muted" role="status">
                {move || saved.get().then_some("Saved")}
            </p>
            <div class="contact-sidebar__actions">
                <button type="submit" class="button button--primary" disabled=saving>
                    "Save"
                </button>
            </div>
        </form>
    }
}

fn integration_field(
    integration: String,
    field: IntegrationField,
    values: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let id = format!("integration-{integration}-{}", field.key);
    let key = field.key.clone();
    let value = {
        let key = key.clone();
        move || values.with(|v| v.get(&key).cloned().unwrap_or_default())
    };
    let set = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        values.update(|values| {
            values.insert(key.clone(), v);
        });
    };
    let input = match field.kind {
        FieldType::Select { options } => view! {
            <select id=id.clone() class="contact-sidebar__input" on:change=set>
                <option value="" prop:selected={
                    let value = value.clone();
                    move || value().is_empty()
                }>"—"</option>
                {options
                    .into_iter()
                    .map(|o| {
                        let current = {
                            let o = o.clone();
                            let value = value.clone();
                            move || value() == o
                        };
                        view! { <option value=o.clone() prop:selected=current>{o.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            // Numbers stay text so that the server's sentence, not the browser, explains a typo.
            let (kind, mode) = match kind {
                FieldType::Date => ("date", "text"),
                FieldType::Number => ("text", "decimal"),
                _ => ("text", "text"),
            };
            view! {
                <input id=id.clone() class="contact-sidebar__input" type=kind inputmode=mode prop:value=value on:input=set />
            }
            .into_any()
        }
    };
    view! {
        <label class="contact-sidebar__label" for=id>{field.label}</label>
        {input}
    }
}
