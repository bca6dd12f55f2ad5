//! Workflow rules (issue 15, item 3) on the real server: who keeps them, what is refused,
//! each trigger, condition and action, business hours in a time zone, one transaction,
//! no loops, the audit trail, the no-reply trigger on the test clock, the built-in rules.

mod common;

use common::{TestServer, start, start_with};
use serde_json::{Value, json};

const MINUTE: i64 = 60_000;
/// Monday 5 January 2026, 08:30 UTC: 09:30 in Paris.
const MONDAY_0830_UTC: i64 = 1_767_601_800_000;

/// Sets the server clock to `at` (ms since the epoch), give or take the request's time.
async fn clock_at(s: &TestServer, at: i64) {
    let now = s.set_clock(0).await;
    s.set_clock(at - now).await;
}

async fn create(s: &TestServer, token: &str, rule: Value) -> Value {
    let (status, body) = s.post(token, "/rules", rule).await;
    assert_eq!(status, 201, "{body}");
    body
}

fn rule(name: &str, trigger: Value, conditions: Value, actions: Value) -> Value {
    json!({"name": name, "enabled": true, "trigger": trigger, "conditions": conditions, "actions": actions})
}

async fn detail(s: &TestServer, token: &str, conversation: &str) -> Value {
    let (status, body) = s.get(token, &format!("/conversations/{conversation}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The rule_applied lines of a conversation's trail: (actor, action).
fn applied(detail: &Value) -> Vec<(String, Value)> {
    detail["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "rule_applied")
        .map(|a| (a["actor"]["name"].as_str().unwrap().to_owned(), a["action"].clone()))
        .collect()
}

/// The fixture's templates: `tp-hi`, approved, with this body.
fn template_hi(body: &str) -> Value {
    json!([{"id": "tp-hi", "name": "hi", "language": "en", "category": "utility", "body": body}])
}

/// A listed rule as a body for `PUT /rules/{id}`, switched on or off.
fn switched(listed: &Value, enabled: bool) -> Value {
    let mut body = listed.clone();
    for k in ["id", "position", "builtin"] {
        body.as_object_mut().unwrap().remove(k);
    }
    body["enabled"] = json!(enabled);
    body
}

fn conversation_of(created: &Value) -> String {
    created["conversation"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn owners_and_managers_keep_the_rules_and_refusals_name_the_field() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let max = s.sign_in("max").await;
    let night = rule("Night", json!("conversation_opened"), json!([]), json!([{"add_tag": "night"}]));
    assert_eq!(s.get(&aaron, "/rules").await.0, 403);
    assert_eq!(s.post(&aaron, "/rules", night.clone()).await.0, 403);
    assert_eq!(s.get(&aaron, "/business-hours").await.0, 403);

    // The two built-in rules come first, off in this fixture.
    let (_, list) = s.get(&max, "/rules").await;
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["auto_assign", "unassign_on_close"]);
    assert_eq!(list[0]["builtin"], true);
    assert_eq!(list[0]["enabled"], false);

    let created = create(&s, &max, night.clone()).await;
    assert_eq!((created["position"].as_u64(), created["builtin"].as_bool()), (Some(3), Some(false)));
    let id = created["id"].as_str().unwrap().to_owned();

    let refusals = [
        (json!({"name": " "}), "name: "),
        (json!({"trigger": {"no_reply": 0}}), "trigger: "),
        (json!({"conditions": [{"has_tag": "two words"}]}), "conditions: "),
        (json!({"conditions": ["inside_hours", "outside_hours"]}), "conditions: "),
        (json!({"actions": []}), "actions: "),
        (json!({"actions": [{"assign_team": "nope"}]}), "actions: "),
        (json!({"actions": [{"assign_user": "nobody"}]}), "actions: "),
        (json!({"actions": [{"send_template": "nope"}]}), "actions: "),
        (json!({"actions": [{"snooze": 0}]}), "actions: "),
    ];
    for (change, start) in refusals {
        let mut body = night.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = s.post(&max, "/rules", body.clone()).await;
        assert_eq!(status, 400, "{body}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(start), "{message} for {body}");
    }
    // An unknown kind of action is refused by serde, still as JSON.
    let (status, err) =
        s.post(&max, "/rules", json!({"name": "x", "enabled": true, "trigger": "x", "actions": []})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_request")));

    // Edit, switch off, reorder, delete.
    let mut edited = night.clone();
    edited["name"] = json!("Night shift");
    edited["enabled"] = json!(false);
    let (status, after) = s.put(&max, &format!("/rules/{id}"), edited).await;
    assert_eq!((status, after["name"].as_str(), after["enabled"].as_bool()), (200, Some("Night shift"), Some(false)));
    let order = json!({"ids": [id, "unassign_on_close", "auto_assign"]});
    let (status, list) = s.put(&max, "/rules/order", order).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["id"], json!(id));
    assert_eq!(list[0]["position"], 1);
    assert_eq!(s.put(&max, "/rules/order", json!({"ids": [id, id]})).await.0, 400);
    assert_eq!(s.put(&aaron, "/rules/order", json!({"ids": []})).await.0, 403);

    // A built-in rule changes only its switch and is never deleted.
    let builtin = list.as_array().unwrap().iter().find(|r| r["id"] == "auto_assign").unwrap().clone();
    let mut on = switched(&builtin, true);
    let (status, switched) = s.put(&max, "/rules/auto_assign", on.clone()).await;
    assert_eq!((status, switched["enabled"].as_bool()), (200, Some(true)), "{switched}");
    on["name"] = json!("Mine now");
    let (status, err) = s.put(&max, "/rules/auto_assign", on).await;
    assert_eq!(status, 400);
    assert!(err["error"]["message"].as_str().unwrap().starts_with("builtin: "));
    assert_eq!(s.delete(&max, "/rules/auto_assign").await.0, 409);
    assert_eq!(s.delete(&max, &format!("/rules/{id}")).await.0, 204);
    assert_eq!(s.delete(&max, &format!("/rules/{id}")).await.0, 404);
}

#[tokio::test]
async fn business_hours_are_checked_and_read_in_their_time_zone() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let (_, none) = s.get(&max, "/business-hours").await;
    assert_eq!(none["days"].as_array().unwrap().len(), 7);
    let week = |tz: &str| {
        let day = json!([{"open": "09:00", "close": "17:00"}]);
        json!({"time_zone": tz, "days": [day, day, day, day, day, [], []]})
    };
    let (status, err) = s.put(&max, "/business-hours", week("Mars/Olympus")).await;
    assert_eq!(status, 400);
    assert!(err["error"]["message"].as_str().unwrap().starts_with("time_zone: "));
    let mut bad = week("UTC");
    bad["days"][1] = json!([{"open": "17:00", "close": "09:00"}]);
    let (status, err) = s.put(&max, "/business-hours", bad).await;
    assert_eq!(status, 400);
    assert!(err["error"]["message"].as_str().unwrap().starts_with("days: "));

    // "Outside business hours, on WhatsApp: to Sales, tagged night".
    let night = rule(
        "After hours",
        json!("conversation_opened"),
        json!([{"channel": "whatsapp"}, "outside_hours"]),
        json!([{"assign_team": "sales"}, {"add_tag": "night"}]),
    );
    create(&s, &max, night).await;
    clock_at(&s, MONDAY_0830_UTC).await;
    // 09:30 in Paris: inside, nothing happens.
    assert_eq!(s.put(&max, "/business-hours", week("Europe/Paris")).await.0, 200);
    let day = conversation_of(&s.inbound("k-fresh", "hello").await);
    let d = detail(&s, &max, &day).await;
    assert_eq!((d["contact"]["assigned_team"].as_str(), d["contact"]["tags"].clone()), (None, json!([])));
    // 08:30 in UTC: outside.
    let (_, saved) = s.put(&max, "/business-hours", week("UTC")).await;
    assert_eq!(saved["time_zone"], "UTC");
    let night = conversation_of(&s.inbound("k-fresh2", "hello").await);
    let d = detail(&s, &max, &night).await;
    assert_eq!(d["contact"]["assigned_team"], "sales");
    assert_eq!(d["contact"]["tags"], json!(["night"]));
    assert_eq!(d["conversation"]["assigned_team"], "sales");
    // Each action in the trail, by the rule's name.
    assert_eq!(
        applied(&d),
        [
            ("After hours".to_owned(), json!({"assign_team": "sales"})),
            ("After hours".to_owned(), json!({"add_tag": "night"})),
        ]
    );
    let team_line = d["activities"].as_array().unwrap().iter().find(|a| a["kind"] == "assigned_team").unwrap();
    assert_eq!(team_line["actor"]["name"], "After hours");
}

#[tokio::test]
async fn message_received_rules_look_at_tags_and_status() {
    let s = start_with(|f| {
        f["contacts"][0]["tags"] = json!(["vip"]);
        f["templates"] = template_hi("We got your message.");
    })
    .await;
    let max = s.sign_in("max").await;
    create(
        &s,
        &max,
        rule(
            "VIP",
            json!("message_received"),
            json!([{"has_tag": "vip"}, {"status": "new"}]),
            json!([
                {"auto_reply": "A specialist is on it."},
                {"assign_user": "lea"}
            ]),
        ),
    )
    .await;
    create(
        &s,
        &max,
        rule(
            "Regular",
            json!("message_received"),
            json!([{"lacks_tag": "vip"}]),
            json!([
                {"send_template": "tp-hi"},
                {"add_tag": "regular"}
            ]),
        ),
    )
    .await;
    create(&s, &max, rule("Pending only", json!("message_received"), json!([{"status": "snoozed"}]), json!(["close"])))
        .await;
    // k-aaron is a VIP with a new conversation.
    s.inbound("k-aaron", "again").await;
    let d = detail(&s, &max, "c-aaron").await;
    assert_eq!(d["contact"]["assignee"], "lea");
    assert_eq!(d["contact"]["tags"], json!(["vip"]));
    let last = d["messages"]["items"].as_array().unwrap().iter().find(|m| m["direction"] == "outgoing").unwrap();
    assert_eq!((last["text"].as_str(), last["sender"]["kind"].as_str()), (Some("A specialist is on it."), Some("bot")));
    assert_eq!(d["conversation"]["status"], "new");
    // k-nina is not.
    s.inbound("k-nina", "hi").await;
    let d = detail(&s, &max, "c-nina").await;
    assert_eq!(d["contact"]["tags"], json!(["regular"]));
    assert_eq!(d["contact"]["assignee"], "nina");
    let sent = d["messages"]["items"].as_array().unwrap().iter().find(|m| m["direction"] == "outgoing").unwrap();
    assert_eq!((sent["text"].as_str(), sent["template"].as_str()), (Some("We got your message."), Some("tp-hi")));
    assert_eq!(applied(&d).len(), 2);
}

#[tokio::test]
async fn a_close_runs_the_close_rules_once_and_rules_never_loop() {
    let s = start_with(|f| f["contacts"][7]["tags"] = json!(["spam"])).await;
    let max = s.sign_in("max").await;
    // Spam closes at once; every close tags "bye" and closes again (which must not loop).
    create(&s, &max, rule("Spam", json!("conversation_opened"), json!([{"has_tag": "spam"}]), json!(["close"]))).await;
    create(&s, &max, rule("Bye", json!("conversation_closed"), json!([]), json!([{"add_tag": "bye"}, "close"]))).await;
    let spam = conversation_of(&s.inbound("k-fresh", "buy now").await);
    let d = detail(&s, &max, &spam).await;
    assert_eq!(d["conversation"]["status"], "closed");
    assert_eq!(d["contact"]["tags"], json!(["spam", "bye"]));
    assert_eq!(
        applied(&d),
        [
            ("Spam".to_owned(), json!("close")),
            ("Bye".to_owned(), json!({"add_tag": "bye"})),
            ("Bye".to_owned(), json!("close")),
        ]
    );
    let closes = d["activities"].as_array().unwrap().iter().filter(|a| a["kind"] == "closed").count();
    assert_eq!(closes, 1);
    // An agent's close runs the close rules too.
    let aaron = s.sign_in("aaron").await;
    let (status, _) = s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "close"})).await;
    assert_eq!(status, 200);
    let d = detail(&s, &max, "c-aaron").await;
    assert_eq!(d["contact"]["tags"], json!(["bye"]));
    assert_eq!(applied(&d).len(), 2);
}

#[tokio::test]
async fn round_robin_goes_to_the_available_members_in_turn_and_snooze_waits() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let lea = s.sign_in("lea").await;
    s.put(&lea, "/me/availability", json!({"availability": "away"})).await;
    create(
        &s,
        &max,
        rule("Sales turn", json!("conversation_opened"), json!([]), json!([{"round_robin": "sales"}, {"snooze": 60}])),
    )
    .await;
    // Sales = aaron, lea (away), tess.
    let mut picked = Vec::new();
    for contact in ["k-fresh", "k-fresh2", "k-none"] {
        if contact == "k-none" {
            // k-none already has an open conversation: close it so the next message opens one.
            s.post(&max, "/conversations/c-none/lifecycle", json!({"action": "close"})).await;
        }
        let c = conversation_of(&s.inbound(contact, "hi").await);
        let d = detail(&s, &max, &c).await;
        picked.push(d["contact"]["assignee"].as_str().unwrap().to_owned());
        assert_eq!(d["conversation"]["status"], "snoozed");
        let until = d["conversation"]["snoozed_until"].as_i64().unwrap();
        let opened = d["activities"][0]["at"].as_i64().unwrap();
        assert_eq!(until - opened, 60 * MINUTE);
    }
    assert_eq!(picked, ["aaron", "tess", "aaron"]);
}

#[tokio::test]
async fn a_failing_action_leaves_nothing_of_the_change() {
    let s = start_with(|f| {
        f["templates"] = template_hi("Hi.");
    })
    .await;
    let max = s.sign_in("max").await;
    create(
        &s,
        &max,
        rule(
            "Greet",
            json!("conversation_opened"),
            json!([]),
            json!([
                {"add_tag": "greeted"},
                {"send_template": "tp-hi"}
            ]),
        ),
    )
    .await;
    // The template goes after the rule was saved: its action fails when it runs.
    assert_eq!(s.delete(&max, "/templates/tp-hi").await.0, 204);
    let (status, body) =
        s.post("", "/simulator/inbound", json!({"contact": "k-fresh", "channel": "wa", "text": "hi"})).await;
    assert_eq!(status, 400, "{body}");
    let (_, contact) = s.get(&max, "/contacts/k-fresh").await;
    assert_eq!(contact["tags"], json!([]));
    let (_, convs) = s.get(&max, "/contacts/k-fresh/conversations").await;
    assert_eq!(convs, json!([]));
}

#[tokio::test]
async fn no_reply_rules_fire_once_after_their_wait() {
    let s = start().await;
    let max = s.sign_in("max").await;
    create(&s, &max, rule("Late", json!({"no_reply": 30}), json!([]), json!([{"add_tag": "late"}]))).await;
    // c-none's contact wrote 10 minutes ago; c-lea is pending (answered).
    s.set_clock(15 * MINUTE).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(detail(&s, &max, "c-none").await["contact"]["tags"], json!([]));
    s.set_clock(25 * MINUTE).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let d = detail(&s, &max, "c-none").await;
    assert_eq!(d["contact"]["tags"], json!(["late"]));
    assert_eq!(detail(&s, &max, "c-lea").await["contact"]["tags"], json!([]));
    // Once: removing the tag by hand, it does not come back.
    s.patch(&max, "/contacts/k-none", json!({"tags": []})).await;
    s.set_clock(90 * MINUTE).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let d = detail(&s, &max, "c-none").await;
    assert_eq!(d["contact"]["tags"], json!([]));
    assert_eq!(applied(&d).len(), 1);
}

#[tokio::test]
async fn the_former_settings_are_the_built_in_rules() {
    let s = start_with(|f| f["settings"] = json!({"auto_assign": true, "unassign_on_close": false})).await;
    let max = s.sign_in("max").await;
    let (_, list) = s.get(&max, "/rules").await;
    let enabled: Vec<(String, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r["enabled"].as_bool().unwrap()))
        .collect();
    assert_eq!(enabled, [("auto_assign".to_owned(), true), ("unassign_on_close".to_owned(), false)]);
    // Switched off on the settings page: new conversations wait unassigned.
    assert_eq!(s.put(&max, "/rules/auto_assign", switched(&list[0], false)).await.0, 200);
    let c = conversation_of(&s.inbound("k-fresh", "hi").await);
    assert_eq!(detail(&s, &max, &c).await["contact"]["assignee"], Value::Null);
}

#[tokio::test]
async fn what_rules_change_reaches_the_sockets_that_may_see_it() {
    let s = start().await;
    let max = s.sign_in("max").await;
    create(&s, &max, rule("To Sales", json!("conversation_opened"), json!([]), json!([{"assign_team": "sales"}])))
        .await;
    // tess sees her teams' contacts (Sales); sam only his own.
    let (tess, sam) = (s.sign_in("tess").await, s.sign_in("sam").await);
    let (mut tess_ws, mut sam_ws) = (s.socket(&tess, None).await, s.socket(&sam, None).await);
    tess_ws.drain().await;
    sam_ws.drain().await;
    let c = conversation_of(&s.inbound("k-fresh", "hello").await);
    let (seen, _) = tess_ws.drain().await;
    assert!(seen.iter().any(|(_, id)| *id == c), "{seen:?}");
    let (unseen, _) = sam_ws.drain().await;
    assert!(!unseen.iter().any(|(_, id)| *id == c), "{unseen:?}");
    assert_eq!(s.get(&sam, &format!("/conversations/{c}")).await.0, 404);
    assert_eq!(s.get(&tess, &format!("/conversations/{c}")).await.0, 200);
}
