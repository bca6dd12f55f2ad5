use proptest::prelude::*;

use super::*;

fn rule(id: &str, position: u32, trigger: Trigger, conditions: Vec<Condition>, actions: Vec<Action>) -> Rule {
    Rule {
        id: RuleId::new(id),
        name: format!("rule {id}"),
        enabled: true,
        position,
        trigger,
        conditions,
        actions,
        builtin: false,
    }
}

fn facts() -> Facts {
    Facts { channel: ChannelKind::Whatsapp, status: Status::New, tags: vec!["vip".into()], inside_hours: false }
}

fn fired(firings: &[Firing]) -> Vec<(&str, u8)> {
    firings.iter().map(|f| (f.rule.as_str(), f.depth)).collect()
}

fn input(trigger: Trigger, conditions: Vec<Condition>, actions: Vec<Action>) -> RuleInput {
    RuleInput { name: " Night shift ".into(), enabled: true, trigger, conditions, actions }
}

#[test]
fn each_condition_holds_or_not() {
    use Condition::*;
    let f = facts();
    let cases = [
        (Channel(ChannelKind::Whatsapp), true),
        (Channel(ChannelKind::Email), false),
        (HasTag("vip".into()), true),
        (HasTag("new".into()), false),
        (LacksTag("vip".into()), false),
        (LacksTag("new".into()), true),
        (Status(crate::Status::New), true),
        (Status(crate::Status::Pending), false),
        (InsideHours, false),
        (OutsideHours, true),
    ];
    for (condition, holds) in cases {
        assert_eq!(condition.holds(&f), holds, "{condition:?}");
    }
}

#[test]
fn each_trigger_matches_its_event() {
    use Event as E;
    use Trigger as T;
    let cases = [
        (T::ConversationOpened, E::Opened, true),
        (T::ConversationOpened, E::MessageReceived, false),
        (T::MessageReceived, E::MessageReceived, true),
        (T::ConversationClosed, E::Closed, true),
        (T::ConversationClosed, E::Opened, false),
        (T::NoReply(30), E::NoReply { minutes: 29 }, false),
        (T::NoReply(30), E::NoReply { minutes: 30 }, true),
        (T::NoReply(30), E::NoReply { minutes: 90 }, true),
        (T::NoReply(30), E::Closed, false),
    ];
    for (trigger, event, matches) in cases {
        assert_eq!(trigger.matches(event), matches, "{trigger:?} {event:?}");
    }
}

#[test]
fn rules_fire_in_position_order_each_seeing_the_previous_ones_changes() {
    let rules = vec![
        // Listed out of order: position decides.
        rule("tagged", 2, Trigger::ConversationOpened, vec![Condition::HasTag("night".into())], vec![Action::Close]),
        rule(
            "tagger",
            1,
            Trigger::ConversationOpened,
            vec![Condition::OutsideHours],
            vec![Action::AddTag("night".into())],
        ),
        rule("other-trigger", 3, Trigger::MessageReceived, vec![], vec![Action::Close]),
        Rule { enabled: false, ..rule("off", 0, Trigger::ConversationOpened, vec![], vec![Action::Close]) },
    ];
    let firings = plan(&rules, Event::Opened, &facts(), &[]);
    assert_eq!(fired(&firings), [("tagger", 0), ("tagged", 0)]);
    assert_eq!(firings[1].actions, [Action::Close]);
    assert_eq!(firings[0].name, "rule tagger");
}

#[test]
fn a_close_runs_the_close_rules_but_never_the_rule_that_closed() {
    let rules = vec![
        // Closing on open and on close: it fires once, for the open.
        rule("closer", 1, Trigger::ConversationOpened, vec![], vec![Action::Close]),
        rule("loop", 2, Trigger::ConversationClosed, vec![], vec![Action::RemoveTag("vip".into())]),
        rule("only-open", 3, Trigger::ConversationClosed, vec![Condition::Status(Status::New)], vec![Action::Close]),
    ];
    let firings = plan(&rules, Event::Opened, &facts(), &[]);
    assert_eq!(fired(&firings), [("closer", 0), ("loop", 1)]);
    // A self-triggering rule: closed by its own close, it still fires once.
    let selfish = vec![rule("self", 1, Trigger::ConversationClosed, vec![], vec![Action::Close])];
    let open = Facts { status: Status::Pending, ..facts() };
    assert_eq!(fired(&plan(&selfish, Event::Closed, &open, &[])), [("self", 0)]);
}

#[test]
fn rules_already_fired_for_the_conversation_do_not_fire_again() {
    let rules = vec![
        rule("nudge", 1, Trigger::NoReply(30), vec![], vec![Action::AddTag("late".into())]),
        rule("later", 2, Trigger::NoReply(60), vec![], vec![Action::Close]),
    ];
    let f = facts();
    assert_eq!(fired(&plan(&rules, Event::NoReply { minutes: 45 }, &f, &[])), [("nudge", 0)]);
    assert_eq!(fired(&plan(&rules, Event::NoReply { minutes: 61 }, &f, &[RuleId::new("nudge")])), [("later", 0)]);
}

#[test]
fn validate_trims_normalises_and_names_the_field() {
    let ok = validate(&input(
        Trigger::NoReply(15),
        vec![Condition::HasTag(" VIP ".into())],
        vec![Action::AddTag("Night".into()), Action::AutoReply("  Back at 9  ".into())],
    ))
    .unwrap();
    assert_eq!(ok.name, "Night shift");
    assert_eq!(ok.conditions, [Condition::HasTag("vip".into())]);
    assert_eq!(ok.actions, [Action::AddTag("night".into()), Action::AutoReply("Back at 9".into())]);

    let close = || vec![Action::Close];
    let cases: Vec<(RuleInput, &str)> = vec![
        (RuleInput { name: "  ".into(), ..input(Trigger::MessageReceived, vec![], close()) }, "name"),
        (RuleInput { name: "x".repeat(81), ..input(Trigger::MessageReceived, vec![], close()) }, "name"),
        (input(Trigger::NoReply(0), vec![], close()), "trigger"),
        (input(Trigger::NoReply(MAX_MINUTES + 1), vec![], close()), "trigger"),
        (input(Trigger::MessageReceived, vec![], vec![]), "actions"),
        (input(Trigger::MessageReceived, vec![], vec![Action::Close; 11]), "actions"),
        (input(Trigger::MessageReceived, vec![Condition::InsideHours; 11], close()), "conditions"),
        (input(Trigger::MessageReceived, vec![Condition::LacksTag("a b".into())], close()), "conditions"),
        (input(Trigger::MessageReceived, vec![Condition::InsideHours, Condition::OutsideHours], close()), "conditions"),
        (input(Trigger::MessageReceived, vec![], vec![Action::RemoveTag("".into())]), "actions"),
        (input(Trigger::MessageReceived, vec![], vec![Action::AutoReply(" ".into())]), "actions"),
        (input(Trigger::MessageReceived, vec![], vec![Action::Snooze(0)]), "actions"),
    ];
    for (rule, field) in cases {
        let err = validate(&rule).unwrap_err();
        assert_eq!(err.field(), field, "{rule:?}");
        assert!(err.to_string().starts_with(&format!("{field}: ")), "{err}");
    }
}

#[test]
fn a_builtin_changes_only_its_switch() {
    let [auto, _] = builtins();
    let same = RuleInput {
        name: auto.name.clone(),
        enabled: true,
        trigger: auto.trigger,
        conditions: vec![],
        actions: auto.actions.clone(),
    };
    assert_eq!(builtin_change(&auto, &same), Ok(true));
    let renamed = RuleInput { name: "Mine".into(), ..same.clone() };
    assert_eq!(builtin_change(&auto, &renamed), Err(RuleError::Builtin));
    let acting = RuleInput { actions: vec![Action::Close], ..same };
    assert_eq!(builtin_change(&auto, &acting).unwrap_err().field(), "builtin");
}

#[test]
fn round_robin_takes_the_next_after_the_last_wrapping_around() {
    let ids: Vec<UserId> = ["u-c", "u-a", "u-b"].map(UserId::new).to_vec();
    let cases =
        [(None, Some("u-a")), (Some("u-a"), Some("u-b")), (Some("u-b"), Some("u-c")), (Some("u-c"), Some("u-a"))];
    for (last, next) in cases {
        assert_eq!(round_robin(&ids, last).map(UserId::as_str), next, "after {last:?}");
    }
    // The last one picked went away: the next in order.
    assert_eq!(round_robin(&ids[..2], Some("u-b")).map(UserId::as_str), Some("u-c"));
    assert_eq!(round_robin(&[], Some("u-b")), None);
}

fn hours(days: Vec<Vec<(&str, &str)>>) -> BusinessHours {
    BusinessHours {
        time_zone: "Europe/Paris".into(),
        days: days
            .into_iter()
            .map(|d| d.into_iter().map(|(o, c)| Interval { open: o.into(), close: c.into() }).collect())
            .collect(),
    }
}

#[test]
fn business_hours_include_the_start_and_exclude_the_end() {
    let mut days = vec![vec![("09:00", "12:00"), ("13:30", "18:00")]; 5];
    days.extend([vec![("10:00", "24:00")], vec![]]);
    let h = hours(days);
    assert_eq!(h.validate(), Ok(()));
    let cases = [
        (0, 8 * 60 + 59, false),
        (0, 9 * 60, true),
        (0, 12 * 60, false),
        (4, 13 * 60 + 30, true),
        (4, 18 * 60, false),
        (5, 23 * 60 + 59, true),
        (6, 12 * 60, false),
    ];
    for (day, minute, inside) in cases {
        assert_eq!(h.inside(day, minute), inside, "day {day} minute {minute}");
    }
    assert!(!BusinessHours::default().inside(0, 600));
}

#[test]
fn business_hours_refusals_name_the_field() {
    let week = |d: Vec<(&str, &str)>| {
        let mut days = vec![vec![]; 7];
        days[2] = d;
        hours(days)
    };
    let cases = [
        (BusinessHours { time_zone: "".into(), ..week(vec![]) }, RuleError::BadTimeZone),
        (BusinessHours { time_zone: "Paris; drop".into(), ..week(vec![]) }, RuleError::BadTimeZone),
        (BusinessHours { days: vec![vec![]; 6], ..week(vec![]) }, RuleError::BadDay { day: 6 }),
        (week(vec![("9:00", "12:00")]), RuleError::BadDay { day: 2 }),
        (week(vec![("12:00", "09:00")]), RuleError::BadDay { day: 2 }),
        (week(vec![("09:00", "24:01")]), RuleError::BadDay { day: 2 }),
        (week(vec![("09:00", "12:00"), ("11:00", "13:00")]), RuleError::BadDay { day: 2 }),
        (week(vec![("00:00", "01:00"); 5]), RuleError::BadDay { day: 2 }),
    ];
    for (h, err) in cases {
        assert_eq!(h.validate(), Err(err.clone()), "{h:?}");
    }
}

#[test]
fn rules_travel_as_documented() {
    let r = rule(
        "r-1",
        1,
        Trigger::NoReply(30),
        vec![Condition::Channel(ChannelKind::Whatsapp), Condition::OutsideHours],
        vec![Action::AssignTeam(TeamId::new("t-sales")), Action::Close],
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["trigger"], serde_json::json!({"no_reply": 30}));
    assert_eq!(json["conditions"], serde_json::json!([{"channel": "whatsapp"}, "outside_hours"]));
    assert_eq!(json["actions"], serde_json::json!([{"assign_team": "t-sales"}, "close"]));
    assert_eq!(serde_json::from_value::<Rule>(json).unwrap(), r);
}

fn arb_rule(id: usize) -> impl Strategy<Value = Rule> {
    let trigger = prop_oneof![
        Just(Trigger::ConversationOpened),
        Just(Trigger::MessageReceived),
        Just(Trigger::ConversationClosed)
    ];
    let tag = prop_oneof![Just("a".to_owned()), Just("b".to_owned())];
    let condition = prop_oneof![
        tag.clone().prop_map(Condition::HasTag),
        tag.clone().prop_map(Condition::LacksTag),
        Just(Condition::Status(Status::Closed)),
        Just(Condition::Status(Status::New)),
    ];
    let action = prop_oneof![
        tag.clone().prop_map(Action::AddTag),
        tag.prop_map(Action::RemoveTag),
        Just(Action::Close),
        Just(Action::Snooze(5)),
    ];
    (trigger, prop::collection::vec(condition, 0..3), prop::collection::vec(action, 1..4), any::<bool>(), 0..20u32)
        .prop_map(move |(t, c, a, enabled, position)| Rule { enabled, ..rule(&format!("r{id}"), position, t, c, a) })
}

proptest! {
    /// However rules trigger each other, evaluation ends, no rule fires twice for one
    /// triggering change, disabled rules never fire, and the chain stays bounded.
    #[test]
    fn rules_that_trigger_each_other_never_loop(
        rules in (0..8usize).prop_flat_map(|n| (0..n).map(arb_rule).collect::<Vec<_>>()),
        opened in any::<bool>(),
    ) {
        let event = if opened { Event::Opened } else { Event::Closed };
        let start = Facts { status: if opened { Status::New } else { Status::Closed }, ..facts() };
        let firings = plan(&rules, event, &start, &[]);
        let mut ids: Vec<&RuleId> = firings.iter().map(|f| &f.rule).collect();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), firings.len());
        for f in &firings {
            let r = rules.iter().find(|r| r.id == f.rule).unwrap();
            prop_assert!(r.enabled);
            prop_assert!(f.depth < MAX_CHAIN);
        }
        // Depths never go down: follow-up events come after what caused them.
        prop_assert!(firings.windows(2).all(|w| w[0].depth <= w[1].depth));
    }
}

#[test]
fn kinds_are_the_wire_names() {
    let key = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Object(o) => o.keys().next().unwrap().clone(),
        other => panic!("{other}"),
    };
    let triggers =
        [Trigger::ConversationOpened, Trigger::MessageReceived, Trigger::ConversationClosed, Trigger::NoReply(5)];
    for t in triggers {
        assert_eq!(key(serde_json::to_value(t).unwrap()), t.kind());
    }
    let conditions = [
        Condition::Channel(ChannelKind::Sms),
        Condition::HasTag("a".into()),
        Condition::LacksTag("a".into()),
        Condition::Status(Status::New),
        Condition::InsideHours,
        Condition::OutsideHours,
    ];
    for c in conditions {
        assert_eq!(key(serde_json::to_value(&c).unwrap()), c.kind());
    }
    let actions = [
        Action::AssignUser(UserId::new("u")),
        Action::AssignTeam(TeamId::new("t")),
        Action::RoundRobin(TeamId::new("t")),
        Action::AddTag("a".into()),
        Action::RemoveTag("a".into()),
        Action::AutoReply("hi".into()),
        Action::SendTemplate(TemplateId::new("tp")),
        Action::Close,
        Action::Snooze(5),
        Action::AutoAssign,
        Action::Unassign,
    ];
    for a in actions {
        assert_eq!(key(serde_json::to_value(&a).unwrap()), a.kind());
    }
    assert_eq!(Action::RoundRobin(TeamId::new("t")).target(), Some("t"));
    assert_eq!(Action::Close.target(), None);
}
