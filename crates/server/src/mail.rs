//! Outgoing mail (`--smtp URL`): conversation transcripts, built by the domain
//! (`parley_domain::transcript`) and handed to an SMTP server with lettre.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use parley_domain::transcript::Transcript;

/// How long the SMTP server has to take a mail (connecting included) before the
/// sender is told it is unreachable.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The sender used without `--smtp-from`.
pub const DEFAULT_FROM: &str = "Parley <parley@localhost>";

/// The SMTP server and who mails come from.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // Never the URL: it may hold the SMTP password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain, or STARTTLS with
    /// `?tls=required`), `smtps://user:pass@host:465`; `from` a mailbox such as
    /// `Acme Support <support@acme.example>`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("--smtp-from {from:?}: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// The name transcripts go out under: the sender's display name, else "Parley".
    pub fn workspace_name(&self) -> &str {
        self.from.name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or("Parley")
    }

    /// Sends `t` to `to`; the error is a sentence for the agent (the SMTP server's answer,
    /// or that it could not be reached).
    pub async fn send(&self, to: Address, t: Transcript) -> Result<(), String> {
        let mail = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(t.subject)
            .multipart(MultiPart::alternative_plain_html(t.text, t.html))
            .map_err(|e| format!("the transcript could not be written as a mail: {e}"))?;
        match tokio::time::timeout(SMTP_TIMEOUT, self.transport.send(mail)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() || e.is_transient() => {
                Err(format!("the mail server refused the transcript: {e}"))
            }
            Ok(Err(e)) => Err(format!("the mail server could not be reached: {e}")),
            Err(_) => Err(format!("the mail server did not answer within {} s", SMTP_TIMEOUT.as_secs())),
        }
    }
}

/// A recipient typed by an agent (or the contact's email), checked as lettre will send it.
pub fn recipient(address: &str) -> Result<Address, String> {
    let address = address.trim();
    if address.is_empty() {
        return Err("no address to send the transcript to: the contact has no email; type one".into());
    }
    address.parse::<Address>().map_err(|_| format!("{address:?} is not an email address"))
}
