//! AI assist (`--ai-url`, `--ai-model`, key in `PARLEY_AI_KEY`): the server's side of an
//! OpenAI-compatible chat-completions call. The prompts are the domain's
//! (`parley_domain::assist::prompt`); here is only the HTTP, its deadline and reading the
//! answer. The key stays on the server: never logged, never in an answer.

use std::time::Duration;

use parley_domain::assist::ChatMessage;
use serde::Deserialize;
use serde_json::json;

/// How long the AI endpoint has to answer (connecting included) before the agent is told
/// it timed out (issue 15: 15 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The environment variable holding the API key.
pub const KEY_VAR: &str = "PARLEY_AI_KEY";

/// Why an AI call gave no text; each a sentence for the agent.
#[derive(Debug)]
pub enum Failure {
    /// Refused, failed or answered something that is not a chat completion (502).
    Upstream(String),
    /// No answer within the deadline (504).
    Timeout(String),
}

/// The configured endpoint.
#[derive(Clone)]
pub struct Ai {
    client: reqwest::Client,
    url: String,
    model: String,
    key: Option<String>,
    timeout: Duration,
}

impl std::fmt::Debug for Ai {
    // Never the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ai({} model {})", self.url, self.model)
    }
}

impl Ai {
    /// `url` is the API's base URL (`https://api.openai.com/v1`): requests go to
    /// `{url}/chat/completions`; a URL already ending in `/chat/completions` is used as is.
    pub fn new(url: &str, model: &str, key: Option<String>, timeout: Duration) -> Result<Ai, String> {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("--ai-url {url:?}: not an http:// or https:// URL"));
        }
        if model.trim().is_empty() {
            return Err("--ai-model: a model name is needed with --ai-url".into());
        }
        let url = if url.ends_with("/chat/completions") { url.to_owned() } else { format!("{url}/chat/completions") };
        let client = reqwest::Client::builder().timeout(timeout).build().map_err(|e| format!("--ai-url: {e}"))?;
        Ok(Ai { client, url, model: model.trim().to_owned(), key: key.filter(|k| !k.is_empty()), timeout })
    }

    /// The deadline of one call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The endpoint requests go to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// One chat completion: the first choice's text, trimmed.
    pub async fn complete(&self, messages: Vec<ChatMessage>) -> Result<String, Failure> {
        let mut request = self.client.post(&self.url).json(&json!({"model": self.model, "messages": messages}));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key);
        }
        let timed_out =
            || Failure::Timeout(format!("the AI service did not answer within {} s", self.timeout.as_secs_f64()));
        // Both the request and reading its body fall under the one deadline.
        let call = async {
            let response = request
                .send()
                .await
                .map_err(|e| if e.is_timeout() { timed_out() } else { Failure::Upstream(unreachable(e)) })?;
            let status = response.status();
            let body = response
                .text()
                .await
                .map_err(|e| if e.is_timeout() { timed_out() } else { Failure::Upstream(unreachable(e)) })?;
            if !status.is_success() {
                return Err(Failure::Upstream(format!(
                    "the AI service answered {status}{}",
                    upstream_message(&body).map(|m| format!(": {m}")).unwrap_or_default()
                )));
            }
            answer_text(&body).ok_or_else(|| Failure::Upstream("the AI service's answer held no text".into()))
        };
        match tokio::time::timeout(self.timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(timed_out()),
        }
    }
}

/// A transport error, without the URL (the agent has no use for it).
fn unreachable(e: reqwest::Error) -> String {
    format!("the AI service could not be reached: {}", e.without_url())
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Reply,
}

#[derive(Deserialize)]
struct Reply {
    content: Option<String>,
}

/// The first choice's `message.content`, trimmed; `None` for anything else or blank.
fn answer_text(body: &str) -> Option<String> {
    let completion: Completion = serde_json::from_str(body).ok()?;
    let text = completion.choices.into_iter().next()?.message.content?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// An OpenAI-style error body's `error.message`, shortened.
fn upstream_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let message = v["error"]["message"].as_str()?;
    Some(message.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_15_seconds_by_default() {
        assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(15));
    }

    #[test]
    fn a_base_url_gets_the_chat_completions_path_and_a_full_one_is_kept() {
        let url = |u: &str| Ai::new(u, "m", None, DEFAULT_TIMEOUT).map(|ai| ai.url().to_owned());
        assert_eq!(url("https://api.example/v1/").unwrap(), "https://api.example/v1/chat/completions");
        assert_eq!(url("http://127.0.0.1:9/v1/chat/completions").unwrap(), "http://127.0.0.1:9/v1/chat/completions");
        assert!(url("ftp://x").unwrap_err().contains("not an http"));
        assert!(Ai::new("http://x", " ", None, DEFAULT_TIMEOUT).unwrap_err().contains("--ai-model"));
    }

    #[test]
    fn the_key_is_not_in_the_debug_form() {
        let ai = Ai::new("http://x", "m", Some("sk-secret".into()), DEFAULT_TIMEOUT).unwrap();
        assert!(!format!("{ai:?}").contains("sk-secret"));
    }

    #[test]
    fn answers_are_read_from_the_first_choice() {
        let ok = r#"{"choices":[{"index":0,"message":{"role":"assistant","content":"  Hello!\n"}}]}"#;
        assert_eq!(answer_text(ok).as_deref(), Some("Hello!"));
        for bad in ["", "nonsense", r#"{"choices":[]}"#, r#"{"choices":[{"message":{"content":"  "}}]}"#] {
            assert_eq!(answer_text(bad), None, "{bad}");
        }
        assert_eq!(upstream_message(r#"{"error":{"message":"bad key"}}"#).as_deref(), Some("bad key"));
    }
}
