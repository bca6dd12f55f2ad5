//! Starting a conversation (issue 14, item 2) on the real server: message templates kept
//! by owners and managers and validated; outside a channel's service window only an
//! approved template goes out (filled on the server), free text is refused as
//! `window_closed`; Messenger's `human_agent` tag gives 7 days and is refused elsewhere;
//! New conversation opens (or finds) the contact's conversation and assigns an unassigned
//! contact to the agent.

mod common;

use common::{TestServer, start, start_with};
use serde_json::{Value, json};

const HOUR: i64 = 3_600_000;

fn template(name: &str, language: &str, body: &str) -> Value {
    json!({"name": name, "language": language, "category": "utility", "body": body, "approved": true})
}

/// The fixture with two templates (one not approved) and a Messenger channel: contact
/// `k-fb` wrote on it 10 minutes before seeding.
fn with_templates(f: &mut Value) {
    f["templates"] = json!([
        {"id": "tp-shipped", "name": "Order shipped", "language": "en", "category": "utility",
         "body": "Hello {{1}}, your order {{2}} has shipped."},
        {"id": "tp-sale", "name": "Sale", "language": "en", "category": "marketing",
         "body": "Hi {{1}}, the sale starts today.", "approved": false},
    ]);
    f["channels"].as_array_mut().unwrap().push(json!({"id": "fb", "kind": "messenger", "name": "Messenger"}));
    f["contacts"].as_array_mut().unwrap().push(json!({"id": "k-fb", "name": "Contact k-fb", "assignee": "aaron",
        "channels": ["fb", "wa"]}));
    f["conversations"].as_array_mut().unwrap().push(json!({"id": "c-fb", "contact": "k-fb", "channel": "fb",
        "status": "new", "messages": [{"direction": "incoming", "text": "hi on messenger", "at": "-10m"}]}));
}

async fn send(s: &TestServer, token: &str, conversation: &str, body: Value) -> (u16, Value) {
    s.post(token, &format!("/conversations/{conversation}/messages"), body).await
}

fn problem(answer: &Value) -> (&str, &str) {
    (answer["error"]["code"].as_str().unwrap_or_default(), answer["error"]["message"].as_str().unwrap_or_default())
}

#[tokio::test]
async fn templates_are_validated_with_the_field_and_problem_named() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let long = format!("{{{{1}}}}{}", "x".repeat(1019)); // 1,024 characters
    #[rustfmt::skip]
    let refused = [
        (template("Gap", "en", "Hello {{1}}, order {{3}}"), "placeholder {{2}} is missing"),
        (template("Zero", "en", "Hello {{0}}"), "the placeholder at character 6"),
        (template("Named", "en", "Hello {{name}}"), "the placeholder at character 6"),
        (template("Long", "en", &format!("{long}y")), "body: 1025 characters, at most 1024"),
        (template("Lang", "English", "Hi"), "language: \"English\" is not a language code"),
        (template("  ", "en", "Hi"), "name: a template needs a name"),
        (template("Empty", "en", "  "), "body: a template needs a body"),
    ];
    for (input, expected) in refused {
        let (status, answer) = s.post(&max, "/templates", input.clone()).await;
        assert_eq!(status, 400, "{input} → {answer}");
        let (code, message) = problem(&answer);
        assert_eq!(code, "bad_request");
        assert!(message.contains(expected), "{input}: {message:?} should say {expected:?}");
    }
    // Nothing was stored by the refusals; exactly 1,024 characters fit.
    assert_eq!(s.get(&max, "/templates").await.1, json!([]));
    let (status, created) = s.post(&max, "/templates", template(" Long ", "pt_BR", &long)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!((created["name"].as_str(), created["language"].as_str()), (Some("Long"), Some("pt_BR")));
    // An update is checked the same way.
    let id = created["id"].as_str().unwrap();
    let (status, answer) = s.put(&max, &format!("/templates/{id}"), template("Long", "en", "{{2}}")).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(s.get(&max, "/templates").await.1[0]["body"], long);
}

#[tokio::test]
async fn owners_and_managers_keep_the_templates_and_every_agent_lists_them() {
    let s = start_with(|f| {
        with_templates(f);
        f["users"][2]["permissions"] = json!(["templates"]); // lea
    })
    .await;
    let (max, aaron, lea) = (s.sign_in("max").await, s.sign_in("aaron").await, s.sign_in("lea").await);
    let (status, list) = s.get(&aaron, "/templates").await;
    assert_eq!(status, 200);
    let names: Vec<_> = list.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Order shipped", "Sale"]);
    assert_eq!((list[0]["approved"].as_bool(), list[1]["approved"].as_bool()), (Some(true), Some(false)));

    let input = template("Follow-up", "fr", "Bonjour {{1}}");
    let (status, answer) = s.post(&aaron, "/templates", input.clone()).await;
    assert_eq!((status, problem(&answer).0), (403, "forbidden"));
    assert_eq!(s.put(&aaron, "/templates/tp-shipped", input.clone()).await.0, 403);
    assert_eq!(s.delete(&aaron, "/templates/tp-shipped").await.0, 403);
    // The manager, and an agent holding the permission.
    let (status, created) = s.post(&max, "/templates", input.clone()).await;
    assert_eq!(status, 201, "{created}");
    let (status, updated) = s.put(&lea, "/templates/tp-sale", template("Sale", "en", "Hi {{1}}!")).await;
    assert_eq!((status, updated["approved"].as_bool(), updated["body"].as_str()), (200, Some(true), Some("Hi {{1}}!")));
    assert_eq!(s.put(&max, "/templates/nope", input).await.0, 404);
    assert_eq!(s.delete(&lea, &format!("/templates/{}", created["id"].as_str().unwrap())).await.0, 204);
    assert_eq!(s.delete(&lea, "/templates/nope").await.0, 404);
    let s = s.restart(0).await;
    let aaron = s.sign_in("aaron").await;
    let (_, list) = s.get(&aaron, "/templates").await;
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    assert_eq!(list[1]["body"], "Hi {{1}}!");
}

#[tokio::test]
async fn outside_the_window_only_an_approved_template_goes_out_filled() {
    let s = start_with(with_templates).await;
    let aaron = s.sign_in("aaron").await;
    s.set_clock(25 * HOUR).await;
    // Free text: refused with its own code, which the app words.
    let (status, answer) = send(&s, &aaron, "c-aaron", json!({"client_id": "t1", "text": "hello?"})).await;
    assert_eq!(status, 409, "{answer}");
    let (code, message) = problem(&answer);
    assert_eq!(code, "window_closed");
    assert!(message.contains("24-hour WhatsApp customer-service window has closed"), "{message}");

    let shipped = |client_id: &str, values: Value| json!({"client_id": client_id, "text": "", "template_id": "tp-shipped", "values": values});
    #[rustfmt::skip]
    let refused = [
        (shipped("t2", json!(["Ada"])), "the template takes 2, 1 given"),
        (shipped("t3", json!(["Ada", " "])), "value 2 is empty"),
        (json!({"client_id": "t5", "text": "", "template_id": "tp-sale", "values": ["Ada"]}), "no approved template"),
        (json!({"client_id": "t6", "text": "", "template_id": "tp-nope"}), "no approved template"),
        (json!({"client_id": "t7", "text": "extra", "template_id": "tp-shipped", "values": ["Ada", "42"]}), "sent alone"),
        (json!({"client_id": "t8", "text": "hi", "values": ["Ada"]}), "values go with a template_id"),
    ];
    for (body, expected) in refused {
        let (status, answer) = send(&s, &aaron, "c-aaron", body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert!(problem(&answer).1.contains(expected), "{body}: {answer}");
    }
    let (status, sent) = send(&s, &aaron, "c-aaron", shipped("t9", json!(["Ada", "#42"]))).await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["text"], "Hello Ada, your order #42 has shipped.");
    assert_eq!(sent["template"], "tp-shipped");
    // Stored as sent: the thread shows the filled body, marked as a template message.
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    let last = detail["messages"]["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["text"].as_str(), last["template"].as_str()),
        (Some("Hello Ada, your order #42 has shipped."), Some("tp-shipped"))
    );
    // Free text still waits for the contact; once they write, it goes out (no template mark).
    s.inbound("k-aaron", "thanks!").await;
    let (status, sent) = send(&s, &aaron, "c-aaron", json!({"client_id": "t10", "text": "you are welcome"})).await;
    assert_eq!(status, 201, "{sent}");
    assert!(sent.get("template").is_none(), "{sent}");
}

#[tokio::test]
async fn the_human_agent_tag_gives_messenger_seven_days_and_is_refused_elsewhere() {
    let s = start_with(with_templates).await;
    let aaron = s.sign_in("aaron").await;
    s.set_clock(25 * HOUR).await;
    let (status, answer) = send(&s, &aaron, "c-fb", json!({"client_id": "m1", "text": "late reply"})).await;
    assert_eq!((status, problem(&answer).0), (409, "window_closed"), "{answer}");
    let tagged = |client_id: &str, channel: &str| json!({"client_id": client_id, "text": "a person here", "channel": channel, "tag": "human_agent"});
    let (status, sent) = send(&s, &aaron, "c-fb", tagged("m2", "fb")).await;
    assert_eq!((status, sent["text"].as_str()), (201, Some("a person here")), "{sent}");
    // On WhatsApp (another of the contact's channels, and another conversation) the tag is refused.
    let (status, answer) = send(&s, &aaron, "c-fb", tagged("m3", "wa")).await;
    assert_eq!(status, 400, "{answer}");
    assert!(problem(&answer).1.contains("human_agent tag is Messenger's"), "{answer}");
    let (status, answer) = send(&s, &aaron, "c-aaron", tagged("m4", "wa")).await;
    assert_eq!(status, 400, "{answer}");
    // Seven days after the contact wrote, the tag no longer helps.
    s.set_clock(7 * 24 * HOUR).await;
    let (status, answer) = send(&s, &aaron, "c-fb", tagged("m5", "fb")).await;
    assert_eq!((status, problem(&answer).0), (409, "window_closed"), "{answer}");
    assert!(problem(&answer).1.contains("168-hour Messenger"), "{answer}");
}

#[tokio::test]
async fn new_conversation_assigns_an_unassigned_contact_and_finds_an_open_one() {
    let s = start().await;
    let (aaron, max, sam) = (s.sign_in("aaron").await, s.sign_in("max").await, s.sign_in("sam").await);
    // k-fresh: unassigned, no conversation yet.
    let (status, answer) = s.post(&aaron, "/contacts/k-fresh/conversations", json!({"channel": "nope"})).await;
    assert_eq!(status, 400, "{answer}");
    let (status, started) = s.post(&aaron, "/contacts/k-fresh/conversations", json!({"channel": "wa"})).await;
    assert_eq!(status, 201, "{started}");
    assert_eq!((started["status"].as_str(), started["channel"]["id"].as_str()), (Some("pending"), Some("wa")));
    assert_eq!(started["assignee"], "aaron", "{started}");
    let id = started["id"].as_str().unwrap().to_owned();
    let (_, contact) = s.get(&aaron, "/contacts/k-fresh").await;
    assert_eq!(contact["assignee"], "aaron");
    // Audited like any assignment, after the opening.
    let (_, detail) = s.get(&aaron, &format!("/conversations/{id}")).await;
    let kinds: Vec<_> = detail["activities"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["opened", "assigned"]);
    assert_eq!(detail["activities"][1]["actor"]["id"], "aaron");
    // Asked again (any channel of theirs): the same open conversation, nothing changed.
    let (status, again) = s.post(&aaron, "/contacts/k-fresh/conversations", json!({"channel": "mail"})).await;
    assert_eq!((status, again["id"].as_str()), (200, Some(id.as_str())));
    // An assigned contact keeps their assignee; a contact the caller may not see is not found.
    let (status, open) = s.post(&max, "/contacts/k-lea/conversations", json!({"channel": "wa"})).await;
    assert_eq!((status, open["id"].as_str(), open["assignee"].as_str()), (200, Some("c-lea"), Some("lea")));
    let (status, _) = s.post(&sam, "/contacts/k-lea/conversations", json!({"channel": "wa"})).await;
    assert_eq!(status, 404);
    // A closed conversation's contact gets a new one.
    let (status, fresh) = s.post(&aaron, "/contacts/k-closed/conversations", json!({"channel": "wa"})).await;
    assert_eq!(status, 201, "{fresh}");
    assert_ne!(fresh["id"], "c-closed");
    // The started conversation takes a template straight away (the contact never wrote).
    let (status, answer) = send(&s, &aaron, &id, json!({"client_id": "n1", "text": "hello"})).await;
    assert_eq!((status, problem(&answer).0), (409, "window_closed"), "{answer}");
}
