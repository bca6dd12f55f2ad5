//! Parley's core: the model, the wire types and every inbox rule as pure functions.
//!
//! Both the browser app and `parley-server` use these functions, so the two can never
//! disagree about who sees what or which inbox a new message lights. Nothing here does
//! IO, reads a clock (callers pass `now`) or draws randomness, so every rule is tested
//! natively and exhaustively.

pub mod assist;
pub mod call;
pub mod composer;
pub mod contact_fields;
pub mod contact_search;
pub mod custom_inbox;
pub mod filter;
pub mod ids;
pub mod inbox;
pub mod integration;
pub mod keys;
pub mod lifecycle;
pub mod list;
pub mod model;
mod names;
pub use names::WireName;
pub mod outbox;
pub mod reply;
pub mod reports;
pub mod rules;
pub mod sla;
pub mod template;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod transcript;
pub mod variables;
pub mod visibility;
pub mod window;
pub mod wire;

pub use ids::{
    ActivityId, AttachmentId, CallId, ChannelId, ClosingReasonId, ContactId, ConversationId, CustomInboxId,
    IntegrationId, MessageId, NoteId, RuleId, SnippetId, TeamId, TemplateId, UserId,
};
pub use inbox::{InboxId, InboxKind};
pub use model::*;
pub use visibility::Directory;
