//! AI assist (issue 15, item 1) against a stub chat-completions server the test starts on
//! a loopback port (axum, real HTTP): it records each request (the bearer key, the model,
//! the messages) and answers as the test tells it — a text, a 500, garbage, or late.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use common::{TestServer, start, start_with_tuning};
use parley_server::ai::Ai;
use serde_json::{Value, json};

const KEY: &str = "sk-test-secret-key";

#[derive(Clone)]
enum Mode {
    Answer(&'static str),
    Fail,
    Garbage,
    Late,
}

#[derive(Clone)]
struct Stub {
    mode: Arc<Mutex<Mode>>,
    /// (Authorization header, request body) of each request, in order.
    seen: Arc<Mutex<Vec<(String, Value)>>>,
    url: String,
}

impl Stub {
    async fn start(mode: Mode) -> Stub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let stub = Stub { mode: Arc::new(Mutex::new(mode)), seen: Arc::default(), url };
        let app =
            axum::Router::new().route("/v1/chat/completions", axum::routing::post(answer)).with_state(stub.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        stub
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    fn seen(&self) -> Vec<(String, Value)> {
        self.seen.lock().unwrap().clone()
    }
}

async fn answer(State(stub): State<Stub>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    stub.seen.lock().unwrap().push((auth, body));
    let mode = stub.mode.lock().unwrap().clone();
    match mode {
        Mode::Answer(text) => Json(json!({"id": "x", "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}))
        .into_response(),
        Mode::Fail => {
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": {"message": "model overloaded"}}))).into_response()
        }
        Mode::Garbage => "<html>not json</html>".into_response(),
        Mode::Late => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Json(json!({"choices": [{"message": {"content": "too late"}}]})).into_response()
        }
    }
}

/// Aaron's contact speaks French; the server asks `stub` with a 300 ms deadline.
async fn start_assisted(stub: &Stub) -> TestServer {
    let url = stub.url.clone();
    start_with_tuning(
        |f| f["contacts"][0]["language"] = json!("French"),
        move |c| c.ai = Some(Ai::new(&url, "stub-model-1", Some(KEY.into()), Duration::from_millis(300)).unwrap()),
        |_| {},
    )
    .await
}

async fn ai_lines(s: &TestServer, token: &str, conversation: &str) -> Vec<Value> {
    let (status, detail) = s.get(token, &format!("/conversations/{conversation}")).await;
    assert_eq!(status, 200, "{detail}");
    detail["activities"].as_array().unwrap().iter().filter(|a| a["kind"] == "ai_assist").cloned().collect()
}

#[tokio::test]
async fn a_rewrite_goes_to_the_model_with_the_key_and_the_answer_comes_back() {
    let stub = Stub::start(Mode::Answer("  Bonjour, votre remboursement est parti.\n")).await;
    let s = start_assisted(&stub).await;
    let aaron = s.sign_in("aaron").await;
    let (_, me) = s.get(&aaron, "/me").await;
    assert_eq!(me["ai_assist"], json!(true), "{me}");
    assert!(!me.to_string().contains(KEY));

    let req = json!({"action": "translate", "draft": "Hello, your refund has left."});
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/assist", req).await;
    assert_eq!((status, &body), (200, &json!({"text": "Bonjour, votre remboursement est parti."})));
    assert!(!body.to_string().contains(KEY));

    let seen = stub.seen();
    assert_eq!(seen.len(), 1);
    let (auth, request) = &seen[0];
    assert_eq!(auth, &format!("Bearer {KEY}"));
    assert_eq!(request["model"], "stub-model-1");
    let messages = request["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{request}");
    assert_eq!((&messages[0]["role"], &messages[1]["role"]), (&json!("system"), &json!("user")));
    assert!(messages[0]["content"].as_str().unwrap().contains("contact's language: French"), "{request}");
    assert_eq!(messages[1]["content"], "Hello, your refund has left.");

    // Recorded: who, when, which action.
    let lines = ai_lines(&s, &aaron, "c-aaron").await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!((&lines[0]["assist"], &lines[0]["actor"]["name"]), (&json!("translate"), &json!("AARON")));
    assert!(lines[0]["at"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn a_summary_sends_the_thread_with_its_notes_and_not_the_draft() {
    let stub = Stub::start(Mode::Answer("Customer asks about a refund; approved.")).await;
    let s = start_assisted(&stub).await;
    let aaron = s.sign_in("aaron").await;
    let (status, _) = s.post(&aaron, "/conversations/c-aaron/notes", json!({"text": "refund approved by Max"})).await;
    assert_eq!(status, 201);
    let (status, _) =
        s.post(&aaron, "/conversations/c-aaron/messages", json!({"client_id": "r1", "text": "It is on its way"})).await;
    assert_eq!(status, 201);

    let (status, body) = s.post(&aaron, "/conversations/c-aaron/assist", json!({"action": "summarize"})).await;
    assert_eq!((status, &body["text"]), (200, &json!("Customer asks about a refund; approved.")), "{body}");
    let (_, request) = &stub.seen()[0];
    let thread = request["messages"][1]["content"].as_str().unwrap();
    let at = |needle: &str| thread.find(needle).unwrap_or_else(|| panic!("{needle:?} not in\n{thread}"));
    assert!(at("Contact k-aaron: hello from k-aaron") < at("Note by AARON: refund approved by Max"), "{thread}");
    assert!(at("Note by AARON: refund approved by Max") < at("AARON: It is on its way"), "{thread}");
    assert_eq!(ai_lines(&s, &aaron, "c-aaron").await[0]["assist"], "summarize");
}

#[tokio::test]
async fn refused_requests_reach_no_model_and_record_nothing() {
    let stub = Stub::start(Mode::Answer("never")).await;
    let s = start_assisted(&stub).await;
    let (aaron, sam) = (s.sign_in("aaron").await, s.sign_in("sam").await);
    // Sam sees only his own contacts: Aaron's conversation does not exist for him.
    let (status, body) =
        s.post(&sam, "/conversations/c-aaron/assist", json!({"action": "improve", "draft": "x"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{body}");
    let (status, body) =
        s.post(&aaron, "/conversations/c-aaron/assist", json!({"action": "improve", "draft": " "})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("draft:"), "{body}");
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/assist", json!({"action": "poem", "draft": "x"})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("action: unknown action \"poem\""), "{body}");
    assert!(stub.seen().is_empty());
    assert!(ai_lines(&s, &aaron, "c-aaron").await.is_empty());
}

#[tokio::test]
async fn without_an_ai_url_the_feature_is_off_and_says_so() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let (_, me) = s.get(&aaron, "/me").await;
    assert_eq!(me["ai_assist"], json!(false), "{me}");
    let (status, body) =
        s.post(&aaron, "/conversations/c-aaron/assist", json!({"action": "improve", "draft": "x"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("unavailable")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("--ai-url"), "{body}");
}

#[tokio::test]
async fn a_failing_or_slow_model_is_a_readable_502_or_504_and_nothing_is_recorded() {
    let stub = Stub::start(Mode::Fail).await;
    let s = start_assisted(&stub).await;
    let aaron = s.sign_in("aaron").await;
    let ask = json!({"action": "shorten", "draft": "A long text"});

    let (status, body) = s.post(&aaron, "/conversations/c-aaron/assist", ask.clone()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (502, Some("bad_gateway")), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("the AI service answered 500") && message.contains("model overloaded"), "{body}");

    stub.set(Mode::Garbage);
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/assist", ask.clone()).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["message"], "the AI service's answer held no text");

    stub.set(Mode::Late);
    let started = std::time::Instant::now();
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/assist", ask.clone()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (504, Some("gateway_timeout")), "{body}");
    assert_eq!(body["error"]["message"], "the AI service did not answer within 0.3 s");
    assert!(started.elapsed() < Duration::from_secs(4), "the deadline was not kept");

    // Nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let s2 = start_with_tuning(
        |_| {},
        move |c| {
            let url = format!("http://127.0.0.1:{closed}/v1");
            c.ai = Some(Ai::new(&url, "m", Some(KEY.into()), Duration::from_secs(2)).unwrap())
        },
        |_| {},
    )
    .await;
    let aaron2 = s2.sign_in("aaron").await;
    let (status, body) = s2.post(&aaron2, "/conversations/c-aaron/assist", ask).await;
    assert_eq!(status, 502, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("the AI service could not be reached"), "{body}");
    assert!(!message.contains(KEY) && !message.contains(&closed.to_string()), "{body}");

    assert_eq!(stub.seen().len(), 3);
    assert!(ai_lines(&s, &aaron, "c-aaron").await.is_empty());
}
