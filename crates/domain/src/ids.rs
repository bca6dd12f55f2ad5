//! String identifiers, one newtype per entity so that a contact id can never be passed
//! where a user id is expected. Fixture ids are kept verbatim as public ids.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    )*};
}

id_type!(
    /// A workspace member: owner, manager or agent.
    UserId,
    /// A named group of users; owns a team inbox.
    TeamId,
    /// A customer.
    ContactId,
    /// A connected messaging channel (a WhatsApp number, a web chat, a mailbox…).
    ChannelId,
    /// One episode of exchange with a contact.
    ConversationId,
    /// One message of a conversation.
    MessageId,
    /// An internal note.
    NoteId,
    /// One call, ringing or logged.
    CallId,
    /// A file sent with a message.
    AttachmentId,
    /// One line of a conversation's audit trail.
    ActivityId,
    /// A saved reply.
    SnippetId,
    /// One of the workspace's closing reasons.
    ClosingReasonId,
    /// A message template (sent once a channel's service window has closed).
    TemplateId,
    /// A saved filter shown as an inbox.
    CustomInboxId,
    /// An external system whose fields show in the contact sidebar.
    IntegrationId,
    /// A workflow rule (issue 15).
    RuleId,
);
