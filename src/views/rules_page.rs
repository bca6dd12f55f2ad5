//! `/settings/rules`: the workflow rules (issue 15, item 3) and the business hours they
//! may check. Owners and managers switch rules on and off, move them up and down (the
//! order they run in), create, edit and delete them; the form checks a rule with the
//! domain's `rules::validate` before sending (the refusal in the agent's language), the
//! server checks it again. Outcomes are announced by the store in the status region.

use leptos::prelude::*;
use parley_domain::rules::{Action, BusinessHours, Condition, Interval, Rule, RuleInput, Trigger, validate};
use parley_domain::{ChannelKind, RuleId, Status, TeamId, TemplateId, UserId};

use super::{RequireSession, SettingsTop, loaded_list};
use crate::store::{describe, form_error, on_answer, use_outreach, use_rules, use_session};

#[component]
pub fn RulesPage() -> impl IntoView {
    view! {
        <RequireSession>
            <RuleSettings />
        </RequireSession>
    }
}

const TRIGGERS: [&str; 4] = ["conversation_opened", "message_received", "conversation_closed", "no_reply"];
const CONDITIONS: [&str; 6] = ["channel", "has_tag", "lacks_tag", "status", "inside_hours", "outside_hours"];
const ACTIONS: [&str; 10] = [
    "assign_team",
    "assign_user",
    "round_robin",
    "add_tag",
    "remove_tag",
    "auto_reply",
    "send_template",
    "close",
    "snooze",
    "unassign",
];
const STATUSES: [Status; 4] = Status::ALL;

/// The trigger the form's picker and minutes say.
fn trigger_of(kind: &str, minutes: &str) -> Trigger {
    match kind {
        "message_received" => Trigger::MessageReceived,
        "conversation_closed" => Trigger::ConversationClosed,
        "no_reply" => Trigger::NoReply(minutes.trim().parse().unwrap_or(0)),
        _ => Trigger::ConversationOpened,
    }
}

/// The condition the form's picker and value say; `None` while a value is missing.
fn condition_of(kind: &str, value: &str) -> Option<Condition> {
    let value = value.trim();
    Some(match kind {
        "channel" => Condition::Channel(ChannelKind::from_wire_name(value)?),
        "has_tag" if !value.is_empty() => Condition::HasTag(value.to_owned()),
        "lacks_tag" if !value.is_empty() => Condition::LacksTag(value.to_owned()),
        "status" => Condition::Status(Status::from_wire_name(value)?),
        "inside_hours" => Condition::InsideHours,
        "outside_hours" => Condition::OutsideHours,
        _ => return None,
    })
}

/// The action the form's picker and value say; `None` while a value is missing.
fn action_of(kind: &str, value: &str) -> Option<Action> {
    let value = value.trim();
    let given = (!value.is_empty()).then(|| value.to_owned());
    Some(match kind {
        "assign_user" => Action::AssignUser(UserId(given?)),
        "assign_team" => Action::AssignTeam(TeamId(given?)),
        "round_robin" => Action::RoundRobin(TeamId(given?)),
        "add_tag" => Action::AddTag(given?),
        "remove_tag" => Action::RemoveTag(given?),
        "auto_reply" => Action::AutoReply(given?),
        "send_template" => Action::SendTemplate(TemplateId(given?)),
        "close" => Action::Close,
        "snooze" => Action::Snooze(value.parse().ok()?),
        "unassign" => Action::Unassign,
        _ => return None,
    })
}

fn input_of(rule: &Rule, enabled: bool) -> RuleInput {
    RuleInput {
        name: rule.name.clone(),
        enabled,
        trigger: rule.trigger,
        conditions: rule.conditions.clone(),
        actions: rule.actions.clone(),
    }
}

/// Focuses the element with this id once the list shows it again.
fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(el) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

#[component]
fn RuleSettings() -> impl IntoView {
    let t = crate::i18n::t();
    let rules = use_rules();
    rules.load();
    let outreach = use_outreach();
    outreach.load();
    let templates = outreach.templates();
    let session = use_session();
    let me = session.me();
    // The store announces each saved change here (the inbox page has its own region).
    let notice = session.notice();
    let list = rules.list();
    let (save, delete, reorder) = (rules.save, rules.delete, rules.reorder);
    let error = RwSignal::new(None::<String>);

    // The form: closed, a new rule (None inside), or the rule being edited.
    let editing = RwSignal::new(None::<Option<RuleId>>);
    let enabled = RwSignal::new(true);
    let name = RwSignal::new(String::new());
    let trigger_kind = RwSignal::new(String::from(TRIGGERS[0]));
    let minutes = RwSignal::new(String::from("30"));
    let conditions = RwSignal::new(Vec::<Condition>::new());
    let actions = RwSignal::new(Vec::<Action>::new());
    let condition_kind = RwSignal::new(String::from(CONDITIONS[0]));
    let condition_value = RwSignal::new(String::new());
    let action_kind = RwSignal::new(String::from(ACTIONS[0]));
    let action_value = RwSignal::new(String::new());
    // After a switch or a move (the list is drawn again), the element with this id takes
    // the focus back: the same control of the same rule.
    let moved = RwSignal::new(None::<String>);
    let refocus = move || {
        if let Some(id) = moved.get_untracked() {
            request_animation_frame(move || focus_by_id(&id));
        }
    };

    let open_form = move |rule: Option<&Rule>| {
        error.set(None);
        moved.set(None);
        editing.set(Some(rule.map(|r| r.id.clone())));
        enabled.set(rule.is_none_or(|r| r.enabled));
        name.set(rule.map(|r| r.name.clone()).unwrap_or_default());
        let trigger = rule.map_or(Trigger::ConversationOpened, |r| r.trigger);
        trigger_kind.set(trigger.kind().to_owned());
        if let Trigger::NoReply(n) = trigger {
            minutes.set(n.to_string());
        }
        conditions.set(rule.map(|r| r.conditions.clone()).unwrap_or_default());
        actions.set(rule.map(|r| r.actions.clone()).unwrap_or_default());
    };
    on_answer(save, move |answer| match answer {
        Ok(_) => {
            error.set(None);
            if editing.get_untracked().is_some() {
                editing.set(None);
            }
            refocus();
        }
        Err(e) => error.set(Some(form_error(&e))),
    });
    on_answer(delete, move |answer| {
        if let Err(e) = answer {
            error.set(Some(describe(&e)));
        }
    });
    on_answer(reorder, move |answer| match answer {
        Ok(_) => refocus(),
        Err(e) => error.set(Some(describe(&e))),
    });

    // Names for ids: members, teams, templates.
    let target_name = move |action: &Action| -> String {
        let id = action.target().unwrap_or_default().to_owned();
        let from_me = me.with_untracked(|m| {
            m.as_ref().and_then(|m| {
                let w = &m.workspace;
                w.members
                    .iter()
                    .find(|u| u.id.as_str() == id)
                    .map(|u| u.name.clone())
                    .or_else(|| w.teams.iter().find(|tm| tm.id.as_str() == id).map(|tm| tm.name.clone()))
            })
        });
        let from_templates = || {
            templates.with_untracked(|l| {
                l.as_ref()
                    .and_then(|l| l.as_ref().ok())
                    .and_then(|l| l.iter().find(|tp| tp.id.as_str() == id))
                    .map(|tp| tp.name.clone())
            })
        };
        from_me.or_else(from_templates).unwrap_or(id)
    };
    let describe_rule = move |rule: &Rule| {
        let mut parts = vec![(t.trigger_text)(&rule.trigger)];
        parts.extend(rule.conditions.iter().map(|c| (t.condition_text)(c)));
        let done: Vec<String> = rule.actions.iter().map(|a| (t.action_text)(a, &target_name(a))).collect();
        format!("{}: {}.", parts.join(", "), done.join(", "))
    };

    let row = move |(index, rule, count): (usize, Rule, usize)| {
        let ids: Vec<RuleId> = list.with_untracked(|l| {
            l.as_ref()
                .and_then(|l| l.as_ref().ok())
                .map(|l| l.iter().map(|r| r.id.clone()).collect())
                .unwrap_or_default()
        });
        let swap = move |with: usize, button: String| {
            let mut order = ids.clone();
            order.swap(index, with);
            error.set(None);
            moved.set(Some(button));
            reorder.dispatch(order);
        };
        let swap_down = swap.clone();
        let (up_id, down_id) = (format!("rule-up-{}", rule.id), format!("rule-down-{}", rule.id));
        let switch_id = format!("rule-switch-{}", rule.id);
        let switch_focus = switch_id.clone();
        let (up_focus, down_focus) = (up_id.clone(), down_id.clone());
        // At the top (or bottom) the other button takes the focus.
        let (up_target, down_target) = (
            if index == 1 { down_id.clone() } else { up_id.clone() },
            if index + 2 == count { up_id.clone() } else { down_id.clone() },
        );
        let toggled = rule.clone();
        let edited = rule.clone();
        let removed = rule.id.clone();
        let summary = describe_rule(&rule);
        view! {
            <li class="reason-row rule-row">
                <div class="rule-row__text">
                    <span class="reason-row__name">{rule.name.clone()}</span>
                    {rule.builtin.then(|| view! { " " <span class="rule-row__badge">{t.builtin_rule}</span> })}
                    <p class="template-row__details">{summary}</p>
                </div>
                <label class="field field--inline">
                    <input
                        type="checkbox"
                        role="switch"
                        id=switch_focus
                        aria-label=(t.rule_switch)(&rule.name)
                        prop:checked=rule.enabled
                        on:change=move |ev| {
                            error.set(None);
                            let on = event_target_checked(&ev);
                            moved.set(Some(switch_id.clone()));
                            save.dispatch((Some(toggled.id.clone()), input_of(&toggled, on)));
                        }
                    />
                </label>
                <button
                    type="button"
                    class="button button--small"
                    id=up_focus
                    aria-label=(t.move_up_named)(&rule.name)
                    disabled=index == 0
                    on:click=move |_| swap(index - 1, up_target.clone())
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="button button--small"
                    id=down_focus
                    aria-label=(t.move_down_named)(&rule.name)
                    disabled=index + 1 == count
                    on:click=move |_| swap_down(index + 1, down_target.clone())
                >
                    "↓"
                </button>
                {(!rule.builtin)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--small"
                                aria-label=(t.edit_named)(&rule.name)
                                on:click=move |_| open_form(Some(&edited))
                            >
                                {t.edit}
                            </button>
                            <button
                                type="button"
                                class="button button--small"
                                aria-label=(t.delete_named)(&rule.name)
                                on:click=move |_| {
                                    error.set(None);
                                    delete.dispatch(removed.clone());
                                }
                            >
                                {t.delete}
                            </button>
                        }
                    })}
            </li>
        }
    };
    let shown = loaded_list(list, t.loading_rules, t.no_rules, move |all| {
        let count = all.len();
        view! {
            <ul class="reason-list" aria-label=t.rules>
                {all.into_iter().enumerate().map(|(i, r)| row((i, r, count))).collect_view()}
            </ul>
        }
    });

    // The value control of a condition or action picker: a list to choose from, or text.
    let value_control = move |kind: RwSignal<String>, value: RwSignal<String>| {
        move || {
            let choices: Option<Vec<(String, String)>> = me.with(|m| {
                let w = m.as_ref().map(|m| &m.workspace);
                match kind.get().as_str() {
                    "channel" => {
                        let mut kinds: Vec<ChannelKind> =
                            w.map(|w| w.channels.iter().map(|c| c.kind).collect()).unwrap_or_default();
                        kinds.dedup();
                        Some(kinds.into_iter().map(|k| (k.wire_name().to_owned(), k.label().to_owned())).collect())
                    }
                    "status" => Some(
                        STATUSES.iter().map(|s| (s.wire_name().to_owned(), (t.status_name)(*s).to_owned())).collect(),
                    ),
                    "assign_user" => Some(
                        w.map(|w| w.members.iter().map(|u| (u.id.0.clone(), u.name.clone())).collect())
                            .unwrap_or_default(),
                    ),
                    "assign_team" | "round_robin" => Some(
                        w.map(|w| w.teams.iter().map(|tm| (tm.id.0.clone(), tm.name.clone())).collect())
                            .unwrap_or_default(),
                    ),
                    "send_template" => Some(templates.with(|l| {
                        l.as_ref()
                            .and_then(|l| l.as_ref().ok())
                            .map(|l| {
                                l.iter().filter(|tp| tp.approved).map(|tp| (tp.id.0.clone(), tp.name.clone())).collect()
                            })
                            .unwrap_or_default()
                    })),
                    _ => None,
                }
            });
            let needs_value = !matches!(kind.get().as_str(), "inside_hours" | "outside_hours" | "close" | "unassign");
            match choices {
                Some(choices) => {
                    // The first choice is the value until another is picked.
                    if !choices.iter().any(|(v, _)| *v == value.get_untracked()) {
                        value.set(choices.first().map(|c| c.0.clone()).unwrap_or_default());
                    }
                    let options = choices
                        .into_iter()
                        .map(|(v, label)| {
                            let selected = v == value.get_untracked();
                            view! { <option value=v selected=selected>{label}</option> }
                        })
                        .collect_view();
                    view! {
                        <label class="field">
                            <span class="field__label">{t.rule_value}</span>
                            <select on:change=move |ev| value.set(event_target_value(&ev))>{options}</select>
                        </label>
                    }
                    .into_any()
                }
                None if needs_value => {
                    let number = kind.get() == "snooze";
                    view! {
                        <label class="field">
                            <span class="field__label">{t.rule_value}</span>
                            <input type=if number { "number" } else { "text" } bind:value=value />
                        </label>
                    }
                    .into_any()
                }
                None => ().into_any(),
            }
        }
    };
    let picker = move |label: &'static str, kinds: &'static [&'static str], kind: RwSignal<String>| {
        let options = kinds
            .iter()
            .map(|k| view! { <option value=*k selected=move || kind.get() == *k>{(t.rule_part)(k)}</option> })
            .collect_view();
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <select on:change=move |ev| kind.set(event_target_value(&ev))>{options}</select>
            </label>
        }
    };
    // A condition or action in the form, with its Remove button.
    let part_list = move |texts: Vec<String>, empty: &'static str, remove: Callback<usize>| {
        if texts.is_empty() {
            return view! { <p>{empty}</p> }.into_any();
        }
        view! {
            <ul class="rule-form__parts">
                {texts
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        view! {
                            <li>
                                {text.clone()}
                                " "
                                <button type="button" class="button button--small" aria-label=(t.remove_named)(&text) on:click=move |_| remove.run(i)>
                                    {t.remove}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let submit = move || {
        let input = RuleInput {
            name: name.get_untracked(),
            enabled: enabled.get_untracked(),
            trigger: trigger_of(&trigger_kind.get_untracked(), &minutes.get_untracked()),
            conditions: conditions.get_untracked(),
            actions: actions.get_untracked(),
        };
        match validate(&input) {
            Ok(_) => {
                error.set(None);
                save.dispatch((editing.get_untracked().flatten(), input));
            }
            Err(e) => error.set(Some((t.rule_problem)(&e))),
        }
    };
    let form = move || {
        editing.get().map(|id| {
            let title = if id.is_some() { t.edit_rule } else { t.new_rule };
            view! {
                <form
                    class="template-add rule-form"
                    aria-label=title
                    on:submit=move |ev| {
                        ev.prevent_default();
                        submit();
                    }
                >
                    <h2>{title}</h2>
                    <label class="field">
                        <span class="field__label">{t.rule_name}</span>
                        <input type="text" bind:value=name />
                    </label>
                    {picker(t.rule_trigger, &TRIGGERS, trigger_kind)}
                    {move || {
                        (trigger_kind.get() == "no_reply")
                            .then(|| {
                                view! {
                                    <label class="field">
                                        <span class="field__label">{t.rule_minutes}</span>
                                        <input type="number" min="1" bind:value=minutes />
                                    </label>
                                }
                            })
                    }}
                    <fieldset>
                        <legend>{t.rule_conditions}</legend>
                        {move || part_list(
                            conditions.get().iter().map(|c| (t.condition_text)(c)).collect(),
                            t.no_conditions,
                            Callback::new(move |i| conditions.update(|c| { c.remove(i); })),
                        )}
                        {picker(t.condition_kind, &CONDITIONS, condition_kind)}
                        {value_control(condition_kind, condition_value)}
                        <button
                            type="button"
                            class="button button--small"
                            on:click=move |_| {
                                if let Some(c) = condition_of(&condition_kind.get_untracked(), &condition_value.get_untracked()) {
                                    conditions.update(|all| all.push(c));
                                }
                            }
                        >
                            {t.add_condition}
                        </button>
                    </fieldset>
                    <fieldset>
                        <legend>{t.rule_actions}</legend>
                        {move || part_list(
                            actions.get().iter().map(|a| (t.action_text)(a, &target_name(a))).collect(),
                            t.no_actions,
                            Callback::new(move |i| actions.update(|a| { a.remove(i); })),
                        )}
                        {picker(t.action_kind, &ACTIONS, action_kind)}
                        {value_control(action_kind, action_value)}
                        <button
                            type="button"
                            class="button button--small"
                            on:click=move |_| {
                                if let Some(a) = action_of(&action_kind.get_untracked(), &action_value.get_untracked()) {
                                    actions.update(|all| all.push(a));
                                    if !matches!(action_kind.get_untracked().as_str(), "assign_user" | "assign_team" | "round_robin" | "send_template") {
                                        action_value.set(String::new());
                                    }
                                }
                            }
                        >
                            {t.add_action}
                        </button>
                    </fieldset>
                    <div class="rule-form__buttons">
                        <button type="submit" class="button button--primary" disabled=save.pending()>
                            {t.save_rule}
                        </button>
                        <button type="button" class="button" on:click=move |_| editing.set(None)>
                            {t.cancel}
                        </button>
                    </div>
                </form>
            }
        })
    };

    view! {
        <main class="settings">
            <SettingsTop title=t.rules />
            <p class="notice" class:notice--shown=move || notice.with(Option::is_some) role="status">
                {notice}
            </p>
            <p>{t.rules_hint}</p>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {shown}
            {move || {
                editing
                    .get()
                    .is_none()
                    .then(|| {
                        view! {
                            <button type="button" class="button button--primary" on:click=move |_| open_form(None)>
                                {t.new_rule}
                            </button>
                        }
                    })
            }}
            {form}
            <BusinessHoursForm />
        </main>
    }
}

/// The weekly schedule: the time zone and, per day, one opening interval (a day's further
/// intervals, set through the API, are kept as they are).
#[component]
fn BusinessHoursForm() -> impl IntoView {
    let t = crate::i18n::t();
    let rules = use_rules();
    let hours = rules.hours();
    let set_hours = rules.set_hours;
    let time_zone = RwSignal::new(String::new());
    let days: Vec<(RwSignal<String>, RwSignal<String>)> =
        (0..7).map(|_| (RwSignal::new(String::new()), RwSignal::new(String::new()))).collect();
    let error = RwSignal::new(None::<String>);
    let shown_days = days.clone();
    Effect::new(move |_| {
        if let Some(Ok(h)) = hours.get() {
            time_zone.set(h.time_zone.clone());
            for (i, (open, close)) in shown_days.iter().enumerate() {
                let first = h.days.get(i).and_then(|d| d.first());
                open.set(first.map(|iv| iv.open.clone()).unwrap_or_default());
                close.set(first.map(|iv| iv.close.clone()).unwrap_or_default());
            }
        }
    });
    on_answer(set_hours, move |answer| match answer {
        Ok(_) => error.set(None),
        Err(e) => error.set(Some(form_error(&e))),
    });
    let sent_days = days.clone();
    let submit = move || {
        let kept = hours.with_untracked(|h| h.as_ref().and_then(|h| h.as_ref().ok()).map(|h| h.days.clone()));
        let days = sent_days
            .iter()
            .enumerate()
            .map(|(i, (open, close))| {
                let (open, close) = (open.get_untracked(), close.get_untracked());
                let mut day: Vec<Interval> = kept
                    .as_ref()
                    .and_then(|k| k.get(i))
                    .map(|d| d.iter().skip(1).cloned().collect())
                    .unwrap_or_default();
                if !open.is_empty() || !close.is_empty() {
                    day.insert(0, Interval { open, close });
                }
                day
            })
            .collect();
        let input = BusinessHours { time_zone: time_zone.get_untracked().trim().to_owned(), days };
        match input.validate() {
            Ok(()) => {
                error.set(None);
                set_hours.dispatch(input);
            }
            Err(e) => error.set(Some((t.rule_problem)(&e))),
        }
    };
    let rows = days
        .into_iter()
        .enumerate()
        .map(|(i, (open, close))| {
            view! {
                <div class="hours-day">
                    <label class="field">
                        <span class="field__label">{(t.day_opens)(i)}</span>
                        <input type="time" bind:value=open />
                    </label>
                    <label class="field">
                        <span class="field__label">{(t.day_closes)(i)}</span>
                        <input type="time" bind:value=close />
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <form
            class="template-add hours-form"
            aria-label=t.business_hours
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <h2>{t.business_hours}</h2>
            <p>{t.business_hours_hint}</p>
            <label class="field">
                <span class="field__label">{t.time_zone}</span>
                <input type="text" bind:value=time_zone />
            </label>
            {rows}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <button type="submit" class="button button--primary" disabled=set_hours.pending()>
                {t.save_business_hours}
            </button>
        </form>
    }
}
