//! Email transcripts (issue 15, item 2) against a real SMTP server: aiosmtpd in a Python
//! process of the test's own (common/smtpd.py; `cargo xtask` installs aiosmtpd in a
//! virtualenv under the target directory), whose received mails the test reads back.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{TestServer, start, start_with_tuning};
use parley_server::mail::Mailer;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

/// An aiosmtpd process on a free loopback port, stopped on drop.
struct Smtpd {
    child: Child,
    port: u16,
    out: tempfile::TempDir,
}

impl Smtpd {
    fn start(refuse: bool) -> Smtpd {
        // The virtualenv `cargo xtask` makes (setup::smtpd), else a Python that has it.
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("aiosmtpd-venv/bin/python");
        let python = if venv.exists() { venv } else { PathBuf::from("python3") };
        let out = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/smtpd.py");
        let mut cmd = Command::new(&python);
        cmd.arg(script).arg(out.path()).stdout(Stdio::piped());
        if refuse {
            cmd.arg("--refuse");
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{}: {e}", python.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("the SMTP server did not start (is aiosmtpd installed? `cargo xtask setup` installs it)")
        });
        Smtpd { child, port, out }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The mails received so far, in order.
    fn mails(&self) -> Vec<Value> {
        let mut mails = Vec::new();
        for n in 1.. {
            match std::fs::read_to_string(self.out.path().join(format!("{n}.json"))) {
                Ok(text) => mails.push(serde_json::from_str(&text).unwrap()),
                Err(_) => return mails,
            }
        }
        mails
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test fixture with an email for Aaron's contact, on a server mailing through `url`.
async fn start_mailing(url: &str) -> TestServer {
    let url = url.to_owned();
    start_with_tuning(
        |f| f["contacts"][0]["email"] = json!("alice@customer.test"),
        move |c| c.mailer = Some(Mailer::new(&url, "Acme Support <support@acme.test>").unwrap()),
        |_| {},
    )
    .await
}

async fn transcript_lines(s: &TestServer, token: &str, conversation: &str) -> Vec<Value> {
    let (status, detail) = s.get(token, &format!("/conversations/{conversation}")).await;
    assert_eq!(status, 200, "{detail}");
    detail["activities"].as_array().unwrap().iter().filter(|a| a["kind"] == "transcript_sent").cloned().collect()
}

fn text_of(mail: &Value, part: &str) -> String {
    mail[part].as_str().unwrap().replace("\r\n", "\n")
}

#[tokio::test]
async fn the_thread_is_mailed_in_order_without_notes_with_attachment_links() {
    let smtpd = Smtpd::start(false);
    let s = start_mailing(&smtpd.url()).await;
    let aaron = s.sign_in("aaron").await;
    let (status, me) = s.get(&aaron, "/me").await;
    assert_eq!((status, &me["transcripts"]), (200, &json!(true)), "{me}");

    let (status, _) =
        s.post(&aaron, "/conversations/c-aaron/notes", json!({"text": "internal: refund approved"})).await;
    assert_eq!(status, 201);
    let form = Form::new()
        .part("file", Part::bytes(b"%PDF".to_vec()).file_name("invoice.pdf").mime_str("application/pdf").unwrap());
    let res = s
        .http
        .post(format!("{}/conversations/c-aaron/attachments", s.base))
        .bearer_auth(&aaron)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let attachment = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let reply = json!({"client_id": "r1", "text": "Your refund is on its way", "attachments": [attachment]});
    let (status, _) = s.post(&aaron, "/conversations/c-aaron/messages", reply).await;
    assert_eq!(status, 201);
    s.inbound("k-aaron", "Thanks a lot").await;

    let (status, sent) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({})).await;
    assert_eq!((status, &sent), (200, &json!({"to": "alice@customer.test"})));

    let mails = smtpd.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail["to"], json!(["alice@customer.test"]));
    assert_eq!(mail["from"], "support@acme.test");
    assert_eq!(mail["subject"], "Transcript: conversation with Contact k-aaron (Acme Support)");
    let text = text_of(mail, "text");
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in\n{text}"));
    assert!(at("hello from k-aaron") < at("Your refund is on its way"), "{text}");
    assert!(at("Your refund is on its way") < at("Thanks a lot"), "{text}");
    // Authors and channels are named; notes stay internal.
    assert!(at("Contact k-aaron — ") < at("AARON — "), "{text}");
    assert!(text.contains(", via WhatsApp\n"), "{text}");
    assert!(!text.contains("refund approved") && !mail["html"].as_str().unwrap().contains("refund approved"));
    // The attachment as an absolute link to this API, which serves it.
    let link = format!("{}/attachments/{attachment}", s.base);
    assert!(text.contains(&format!("Attachment: invoice.pdf <{link}>")), "{text}");
    assert!(text_of(mail, "html").contains(&format!("<a href=\"{link}\">invoice.pdf</a>")));
    let res = s.http.get(&link).bearer_auth(&aaron).send().await.unwrap();
    assert_eq!(res.status(), 200);

    // The audit trail says who sent it to whom.
    let lines = transcript_lines(&s, &aaron, "c-aaron").await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!((&lines[0]["to"], &lines[0]["actor"]["name"]), (&json!("alice@customer.test"), &json!("AARON")));

    // Another address the agent typed.
    let (status, sent) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({"to": " boss@else.test "})).await;
    assert_eq!((status, &sent), (200, &json!({"to": "boss@else.test"})));
    let mails = smtpd.mails();
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1]["to"], json!(["boss@else.test"]));
    assert_eq!(transcript_lines(&s, &aaron, "c-aaron").await.len(), 2);
}

#[tokio::test]
async fn refused_requests_send_nothing_and_record_nothing() {
    let smtpd = Smtpd::start(false);
    let s = start_mailing(&smtpd.url()).await;
    let (aaron, sam) = (s.sign_in("aaron").await, s.sign_in("sam").await);
    // Sam sees only his own contacts: Aaron's conversation does not exist for him.
    let (status, body) = s.post(&sam, "/conversations/c-aaron/transcript", json!({"to": "sam@test"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{body}");
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({"to": "not an address"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("is not an email address"), "{body}");
    // The unassigned contact has no email and none is given.
    let (status, body) = s.post(&aaron, "/conversations/c-none/transcript", json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("the contact has no email"), "{body}");
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({"cc": "x@test"})).await;
    assert_eq!(status, 400, "{body}");
    assert!(smtpd.mails().is_empty());
    assert!(transcript_lines(&s, &aaron, "c-aaron").await.is_empty());
    assert!(transcript_lines(&s, &aaron, "c-none").await.is_empty());
}

#[tokio::test]
async fn without_smtp_the_feature_is_off_and_says_so() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let (_, me) = s.get(&aaron, "/me").await;
    assert_eq!(me["transcripts"], json!(false), "{me}");
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({"to": "a@test"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("unavailable")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("--smtp"), "{body}");
}

#[tokio::test]
async fn an_smtp_server_down_or_refusing_is_a_readable_502_and_nothing_is_recorded() {
    // A port nobody listens on any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let s = start_mailing(&format!("smtp://127.0.0.1:{closed}")).await;
    let aaron = s.sign_in("aaron").await;
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (502, Some("bad_gateway")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("the mail server could not be reached"), "{body}");
    assert!(transcript_lines(&s, &aaron, "c-aaron").await.is_empty());

    let refusing = Smtpd::start(true);
    let s = start_mailing(&refusing.url()).await;
    let aaron = s.sign_in("aaron").await;
    let (status, body) = s.post(&aaron, "/conversations/c-aaron/transcript", json!({})).await;
    assert_eq!(status, 502, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("the mail server refused the transcript") && message.contains("550"), "{body}");
    assert!(transcript_lines(&s, &aaron, "c-aaron").await.is_empty());
}
