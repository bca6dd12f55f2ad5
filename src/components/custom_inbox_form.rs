//! The dialog that creates or edits a custom inbox: its name, its filter and who it is
//! shared with. The server checks the input; its refusal shows here.

use leptos::html::Input;
use leptos::prelude::*;
use parley_domain::custom_inbox::{AssigneeFilter, ContactField, CustomInboxInput, FieldFilter, SavedFilter, Sharing};
use parley_domain::filter::StatusFilter;
use parley_domain::wire::Member;
use parley_domain::{Channel, Status, Team, UserId};

use super::Modal;

#[component]
pub fn CustomInboxForm(
    /// "New custom inbox" or "Edit custom inbox": the dialog's accessible name.
    heading: &'static str,
    initial: CustomInboxInput,
    channels: Vec<Channel>,
    teams: Vec<Team>,
    /// Everyone in the workspace (assignee choices; sharing lists all but `me`).
    members: Vec<Member>,
    me: Option<UserId>,
    on_save: Callback<CustomInboxInput>,
    on_cancel: Callback<()>,
    /// Why the last save was refused.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(into)] saving: Signal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let f = initial.filter;
    let name = RwSignal::new(initial.name);
    let channel = RwSignal::new(f.channel.map(|c| c.to_string()).unwrap_or_default());
    let status = RwSignal::new(f.status.unwrap_or_else(|| "open".into()));
    let assignee = RwSignal::new(match f.assignee {
        None => String::new(),
        Some(AssigneeFilter::Unassigned) => "unassigned".into(),
        Some(AssigneeFilter::User(u)) => u.to_string(),
    });
    let team = RwSignal::new(f.team.map(|t| t.to_string()).unwrap_or_default());
    let days = RwSignal::new(f.active_within_days.map(|d| d.to_string()).unwrap_or_default());
    let idle_days = RwSignal::new(f.inactive_for_days.map(|d| d.to_string()).unwrap_or_default());
    let (field0, contains0) = f.contact_field.map_or((ContactField::Name, String::new()), |c| (c.field, c.contains));
    let field = RwSignal::new(field_value(field0).to_owned());
    let contains = RwSignal::new(contains0);
    let tag = RwSignal::new(f.tag.unwrap_or_default());
    let (sharing0, chosen0) = match initial.sharing {
        Sharing::Private => ("private", Vec::new()),
        Sharing::Everyone => ("everyone", Vec::new()),
        Sharing::Users(u) => ("users", u),
    };
    let sharing = RwSignal::new(sharing0.to_owned());
    let chosen = RwSignal::new(chosen0);
    let local_error = RwSignal::new(None::<String>);

    let first: NodeRef<Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = first.get() {
            let _ = el.focus();
        }
    });

    let submit = move || {
        // Empty: no bound; otherwise a whole number of days, at least 1.
        let parse_days = |raw: String| match raw.trim() {
            "" => Ok(None),
            d => d.parse::<u32>().ok().filter(|d| *d > 0).map(Some).ok_or(()),
        };
        let (Ok(active_within_days), Ok(inactive_for_days)) =
            (parse_days(days.get_untracked()), parse_days(idle_days.get_untracked()))
        else {
            local_error.set(Some(crate::i18n::t().whole_days_activity.into()));
            return;
        };
        local_error.set(None);
        let non_empty = |s: String| (!s.is_empty()).then_some(s);
        let contains = contains.get_untracked().trim().to_owned();
        let filter = SavedFilter {
            channel: non_empty(channel.get_untracked()).map(|c| c.as_str().into()),
            status: Some(status.get_untracked()),
            assignee: match assignee.get_untracked().as_str() {
                "" => None,
                "unassigned" => Some(AssigneeFilter::Unassigned),
                id => Some(AssigneeFilter::User(UserId::from(id))),
            },
            team: non_empty(team.get_untracked()).map(|t| t.as_str().into()),
            active_within_days,
            inactive_for_days,
            contact_field: (!contains.is_empty())
                .then(|| FieldFilter { field: parse_field(&field.get_untracked()), contains }),
            tag: non_empty(tag.get_untracked().trim().to_owned()),
        };
        let sharing = match sharing.get_untracked().as_str() {
            "everyone" => Sharing::Everyone,
            "users" => Sharing::Users(chosen.get_untracked()),
            _ => Sharing::Private,
        };
        on_save.run(CustomInboxInput { name: name.get_untracked().trim().to_owned(), filter, sharing });
    };

    let channel_options = channels.into_iter().map(|c| opt(channel, c.id.to_string(), c.name)).collect_view();
    let team_options = teams.into_iter().map(|t| opt(team, t.id.to_string(), t.name)).collect_view();
    let assignee_options = members.iter().map(|m| opt(assignee, m.id.to_string(), m.name.clone())).collect_view();
    let share_radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="custom-form__choice">
                <input
                    type="radio"
                    name="custom-sharing"
                    value=value
                    prop:checked=move || sharing.get() == value
                    on:change=move |_| sharing.set(value.to_owned())
                />
                {label}
            </label>
        }
    };
    let people = members
        .into_iter()
        .filter(|m| Some(&m.id) != me.as_ref())
        .map(|m| {
            let id = m.id.clone();
            let checked = {
                let id = id.clone();
                move || chosen.with(|c| c.contains(&id))
            };
            view! {
                <label class="custom-form__choice">
                    <input
                        type="checkbox"
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let id = id.clone();
                            chosen.update(|c| {
                                c.retain(|x| *x != id);
                                if on {
                                    c.push(id);
                                }
                            });
                        }
                    />
                    {m.name}
                </label>
            }
        })
        .collect_view();

    view! {
        <Modal title=heading on_close=on_cancel>
            <form
                class="custom-form"
                aria-label=heading
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <label>
                    {t.name}
                    <input type="text" required node_ref=first bind:value=name />
                </label>
                <fieldset>
                    <legend>{t.filters}</legend>
                    <label>
                        {t.channel_label}
                        <select on:change=move |ev| channel.set(event_target_value(&ev))>
                            {opt(channel, "", t.any_channel)}
                            {channel_options}
                        </select>
                    </label>
                    <label>
                        {t.status}
                        <select on:change=move |ev| status.set(event_target_value(&ev))>
                            {opt(status, "open", (t.status_filter)(StatusFilter::Open))}
                            {opt(status, "new", (t.status_name)(Status::New))}
                            {opt(status, "pending", (t.status_name)(Status::Pending))}
                            {opt(status, "snoozed", (t.status_name)(Status::Snoozed))}
                            {opt(status, "closed", (t.status_name)(Status::Closed))}
                            {opt(status, "all", (t.status_filter)(StatusFilter::All))}
                        </select>
                    </label>
                    <label>
                        {t.assignee}
                        <select on:change=move |ev| assignee.set(event_target_value(&ev))>
                            {opt(assignee, "", t.any_assignee)}
                            {opt(assignee, "unassigned", t.unassigned)}
                            {assignee_options}
                        </select>
                    </label>
                    <label>
                        {t.team}
                        <select on:change=move |ev| team.set(event_target_value(&ev))>
                            {opt(team, "", t.any_team)}
                            {team_options}
                        </select>
                    </label>
                    <label>
                        {t.tag}
                        <input type="text" bind:value=tag />
                    </label>
                    <label>
                        {t.active_within}
                        <input type="number" min="1" inputmode="numeric" bind:value=days />
                    </label>
                    <label>
                        {t.idle_for}
                        <input type="number" min="1" inputmode="numeric" bind:value=idle_days />
                    </label>
                    <div class="custom-form__field">
                        <label>
                            {t.contact_field}
                            <select on:change=move |ev| field.set(event_target_value(&ev))>
                                {opt(field, "name", t.name)}
                                {opt(field, "phone", t.phone)}
                                {opt(field, "email", t.email)}
                                {opt(field, "country", t.country)}
                                {opt(field, "language", t.language)}
                            </select>
                        </label>
                        <label>
                            {t.contains}
                            <input type="text" bind:value=contains />
                        </label>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{t.sharing}</legend>
                    {share_radio("private", t.private)}
                    {share_radio("everyone", t.everyone)}
                    {share_radio("users", t.chosen_users)}
                    <div class="custom-form__people" role="group" aria-label=t.share_with hidden=move || sharing.get() != "users">
                        {people}
                    </div>
                </fieldset>
                {move || {
                    local_error.get().or_else(|| error.get()).map(|e| view! { <p class="error-text" role="alert">{e}</p> })
                }}
                <div class="snippet-form__buttons">
                    <button type="submit" class="button button--primary" disabled=saving>{t.save}</button>
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>{t.cancel}</button>
                </div>
            </form>
        </Modal>
    }
}

/// An option selected while `current` holds its value (set per option, so that the
/// initial choice holds however the options are inserted).
fn opt(current: RwSignal<String>, value: impl Into<String>, label: impl Into<String>) -> impl IntoView {
    let value: String = value.into();
    let v = value.clone();
    view! { <option value=value prop:selected=move || current.with(|c| *c == v)>{label.into()}</option> }
}

fn field_value(f: ContactField) -> &'static str {
    match f {
        ContactField::Name => "name",
        ContactField::Phone => "phone",
        ContactField::Email => "email",
        ContactField::Country => "country",
        ContactField::Language => "language",
    }
}

fn parse_field(s: &str) -> ContactField {
    match s {
        "phone" => ContactField::Phone,
        "email" => ContactField::Email,
        "country" => ContactField::Country,
        "language" => ContactField::Language,
        _ => ContactField::Name,
    }
}
