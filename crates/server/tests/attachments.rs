//! Attachments and voice notes: upload, send with a message, download; the size limit,
//! voice note vs audio by channel, and who may fetch or reuse an upload.

mod common;

use common::{TestServer, start};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

async fn upload(s: &TestServer, token: &str, conversation: &str, form: Form) -> (u16, Value) {
    let res = s
        .http
        .post(format!("{}/conversations/{conversation}/attachments", s.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

fn file(name: &str, bytes: Vec<u8>, mime: &str) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap())
}

#[tokio::test]
async fn a_file_is_uploaded_sent_with_a_message_and_downloaded() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let bytes = b"%PDF-1.4 invoice".to_vec();
    let (status, att) = upload(&s, &aaron, "c-aaron", file("invoice.pdf", bytes.clone(), "application/pdf")).await;
    assert_eq!(status, 201, "{att}");
    assert_eq!(
        (att["filename"].as_str(), att["kind"].as_str(), att["size"].as_u64()),
        (Some("invoice.pdf"), Some("file"), Some(16))
    );
    let body = json!({"client_id": "a1", "text": "", "attachments": [att["id"]]});
    let (status, message) = s.post(&aaron, "/conversations/c-aaron/messages", body).await;
    assert_eq!(status, 201, "{message}");
    assert_eq!(message["attachments"][0]["id"], att["id"]);
    // Listed with the conversation, downloadable by a manager, not by a self agent.
    let max = s.sign_in("max").await;
    let (_, detail) = s.get(&max, "/conversations/c-aaron").await;
    assert_eq!(
        detail["messages"]["items"].as_array().unwrap().last().unwrap()["attachments"][0]["filename"],
        "invoice.pdf"
    );
    let url = format!("{}/attachments/{}", s.base, att["id"].as_str().unwrap());
    let res = s.http.get(&url).bearer_auth(&max).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("invoice.pdf"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), bytes);
    let sam = s.sign_in("sam").await;
    assert_eq!(s.http.get(&url).bearer_auth(&sam).send().await.unwrap().status(), 404);
    assert_eq!(s.http.get(&url).send().await.unwrap().status(), 401);
    // An upload is sent once.
    let again = json!({"client_id": "a2", "text": "again", "attachments": [att["id"]]});
    assert_eq!(s.post(&aaron, "/conversations/c-aaron/messages", again).await.0, 409);
}

#[tokio::test]
async fn recordings_are_voice_notes_where_the_channel_has_them_else_audio_files() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let voice = |d: &str| {
        file("note.webm", vec![1, 2, 3], "audio/webm").text("voice", "true").text("duration_ms", d.to_owned())
    };
    let (status, att) = upload(&s, &aaron, "c-aaron", voice("4200")).await;
    assert_eq!((status, att["kind"].as_str(), att["duration_ms"].as_u64()), (201, Some("voice"), Some(4200)));
    // Move Aaron's conversation onto the email channel: a new conversation there.
    s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "close"})).await;
    let created =
        s.post("", "/simulator/inbound", json!({"contact": "k-aaron", "channel": "mail", "text": "by mail"})).await.1;
    let (status, att) = upload(&s, &aaron, created["conversation"].as_str().unwrap(), voice("1000")).await;
    assert_eq!((status, att["kind"].as_str()), (201, Some("audio")));
    // Issue 10, item 8: a duration that does not fit is refused, not stored as a negative
    // number that later breaks the download.
    let (status, body) =
        upload(&s, &aaron, created["conversation"].as_str().unwrap(), voice(&u64::MAX.to_string())).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("duration_ms"), "{body}");
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_nothing() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let big = file("big.bin", vec![0; 10 * 1024 * 1024 + 1], "application/octet-stream");
    let (status, body) = upload(&s, &aaron, "c-aaron", big).await;
    assert_eq!((status, body["error"]["code"].as_str()), (413, Some("payload_too_large")), "{body}");
    let (status, body) = upload(&s, &aaron, "c-aaron", Form::new().text("voice", "true")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")));
    let (status, _) = upload(&s, &aaron, "c-aaron", file("empty.txt", vec![], "text/plain")).await;
    assert_eq!(status, 400);
    let sam = s.sign_in("sam").await;
    let (status, _) = upload(&s, &sam, "c-aaron", file("x.txt", vec![1], "text/plain")).await;
    assert_eq!(status, 404);
    // Someone else's upload cannot be sent by another user.
    let (_, att) = upload(&s, &aaron, "c-aaron", file("x.txt", vec![1], "text/plain")).await;
    let max = s.sign_in("max").await;
    let body = json!({"client_id": "m1", "text": "", "attachments": [att["id"]]});
    assert_eq!(s.post(&max, "/conversations/c-aaron/messages", body).await.0, 400);
    let files = std::fs::read_dir(s.dir.path().join("parley.sqlite3.attachments")).unwrap().count();
    assert_eq!(files, 1, "only the one accepted upload is stored");
}
