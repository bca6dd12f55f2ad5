//! The workspace model shared by app and server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{AttachmentId, ChannelId, ContactId, ConversationId, MessageId, TeamId, UserId};

/// Milliseconds since the Unix epoch. The domain never reads a clock: callers pass `now`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn millis(self) -> i64 {
        self.0
    }

    pub const fn plus_hours(self, hours: i64) -> Timestamp {
        Timestamp(self.0 + hours * 3_600_000)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    Manager,
    Agent,
}

crate::names::wire_names!(Role { Owner = "owner", Manager = "manager", Agent = "agent" });

impl Role {
    /// Owners and managers watch every queue; only agents are restricted.
    pub const fn is_supervisor(self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }
}

/// An agent's contact-visibility restriction (ignored for owners and managers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Restriction {
    #[default]
    None,
    Team,
    SelfOnly,
}

crate::names::wire_names!(Restriction { None = "none", Team = "team", SelfOnly = "self" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    ViewBlocked,
    BulkResolve,
    Calls,
    /// Keep the list of closing reasons (owners and managers always may).
    ClosingReasons,
    /// Keep the message templates (owners and managers always may).
    Templates,
}

crate::names::wire_names!(Permission {
    ViewBlocked = "view_blocked",
    BulkResolve = "bulk_resolve",
    Calls = "calls",
    ClosingReasons = "closing_reasons",
    Templates = "templates",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Availability {
    #[default]
    Available,
    Away,
}

crate::names::wire_names!(Availability { Available = "available", Away = "away" });

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(default)]
    pub restriction: Restriction,
    #[serde(default)]
    pub teams: Vec<TeamId>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    #[serde(default)]
    pub availability: Availability,
}

impl User {
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// Whether the user keeps the workspace's closing reasons (settings page and API).
    pub fn may_manage_closing_reasons(&self) -> bool {
        self.role.is_supervisor() || self.has(Permission::ClosingReasons)
    }

    /// Whether the user keeps the message templates (settings page and API); every agent
    /// reads them.
    pub fn may_manage_templates(&self) -> bool {
        self.role.is_supervisor() || self.has(Permission::Templates)
    }

    /// The restriction that actually applies: supervisors are never restricted.
    pub fn effective_restriction(&self) -> Restriction {
        if self.role.is_supervisor() { Restriction::None } else { self.restriction }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    Whatsapp,
    Messenger,
    Instagram,
    Email,
    Webchat,
    Sms,
    Telegram,
    Viber,
}

crate::names::wire_names!(ChannelKind {
    Whatsapp = "whatsapp",
    Messenger = "messenger",
    Instagram = "instagram",
    Email = "email",
    Webchat = "webchat",
    Sms = "sms",
    Telegram = "telegram",
    Viber = "viber",
});

impl ChannelKind {
    pub const ALL: [ChannelKind; 8] = [
        ChannelKind::Whatsapp,
        ChannelKind::Messenger,
        ChannelKind::Instagram,
        ChannelKind::Email,
        ChannelKind::Webchat,
        ChannelKind::Sms,
        ChannelKind::Telegram,
        ChannelKind::Viber,
    ];

    /// Human label, as agents read it next to a message.
    pub const fn label(self) -> &'static str {
        match self {
            ChannelKind::Whatsapp => "WhatsApp",
            ChannelKind::Messenger => "Messenger",
            ChannelKind::Instagram => "Instagram",
            ChannelKind::Email => "Email",
            ChannelKind::Webchat => "Web chat",
            ChannelKind::Sms => "SMS",
            ChannelKind::Telegram => "Telegram",
            ChannelKind::Viber => "Viber",
        }
    }

    pub const fn supports_voice_notes(self) -> bool {
        matches!(self, ChannelKind::Whatsapp | ChannelKind::Messenger | ChannelKind::Telegram | ChannelKind::Viber)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    pub kind: ChannelKind,
    pub name: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    /// Assignment belongs to the contact, not the conversation: it outlives a close.
    #[serde(default)]
    pub assignee: Option<UserId>,
    /// The team the contact is assigned to when no user is (never both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_team: Option<TeamId>,
    #[serde(default)]
    pub blocked: bool,
    #[serde(default)]
    pub channels: Vec<ChannelId>,
    /// A web-chat visitor currently on the page (shown as an online dot).
    #[serde(default)]
    pub online: bool,
    /// Normalised tags (`contact_fields::normalize_tags`), in the order given.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Custom attributes, name → value (`contact_fields::normalize_attributes`).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl Contact {
    /// Who the contact is assigned to: its user, else its team, else nobody.
    pub fn assigned(&self) -> Option<Assignee> {
        Assignee::of(self.assignee.as_ref(), self.assigned_team.as_ref())
    }
}

/// Who a contact is assigned to (issue 14, item 4): a user or a team; `None` beside it
/// is nobody (Unassigned). Visibility and the inboxes are decided from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Assignee {
    User(UserId),
    Team(TeamId),
}

impl Assignee {
    /// From the two columns a contact keeps (a user wins, though both are never set).
    pub fn of(user: Option<&UserId>, team: Option<&TeamId>) -> Option<Assignee> {
        match (user, team) {
            (Some(u), _) => Some(Assignee::User(u.clone())),
            (None, Some(t)) => Some(Assignee::Team(t.clone())),
            (None, None) => None,
        }
    }

    pub fn user(&self) -> Option<&UserId> {
        match self {
            Assignee::User(u) => Some(u),
            Assignee::Team(_) => None,
        }
    }

    pub fn team(&self) -> Option<&TeamId> {
        match self {
            Assignee::Team(t) => Some(t),
            Assignee::User(_) => None,
        }
    }
}

/// Queue state of a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Needs the team.
    New,
    /// Waiting on the contact; a contact reply returns it to `New`.
    Pending,
    /// Hidden until a time, then back to `New`.
    Snoozed,
    /// Resolved.
    Closed,
}

crate::names::wire_names!(Status { New = "new", Pending = "pending", Snoozed = "snoozed", Closed = "closed" });

impl Status {
    pub const ALL: [Status; 4] = [Status::New, Status::Pending, Status::Snoozed, Status::Closed];

    pub const fn is_open(self) -> bool {
        !matches!(self, Status::Closed)
    }

    pub const fn as_str(self) -> &'static str {
        self.wire_name()
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::from_wire_name(s)
    }

    /// The status after the contact writes in: pending and snoozed conversations need
    /// the team again.
    pub const fn after_incoming(self) -> Status {
        match self {
            Status::Pending | Status::Snoozed | Status::New => Status::New,
            Status::Closed => Status::Closed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Incoming,
    Outgoing,
}

crate::names::wire_names!(Direction { Incoming = "incoming", Outgoing = "outgoing" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SenderKind {
    Contact,
    User,
    Bot,
    System,
}

crate::names::wire_names!(SenderKind { Contact = "contact", User = "user", Bot = "bot", System = "system" });

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub kind: SenderKind,
    /// The contact or user id; none for bots and the system.
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeliveryState {
    Sending,
    Sent,
    Delivered,
    Read,
    Failed,
}

crate::names::wire_names!(DeliveryState { Sending = "sending", Sent = "sent", Delivered = "delivered", Read = "read", Failed = "failed" });

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub conversation: ConversationId,
    pub channel: ChannelId,
    pub direction: Direction,
    pub sender: Sender,
    pub text: String,
    pub at: Timestamp,
    pub delivery: DeliveryState,
    /// Client-generated id that makes sending idempotent.
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The template an outgoing message was sent from (its `text` is the filled body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<crate::ids::TemplateId>,
}

/// A file sent with a message. Its bytes are at `GET /api/v1/attachments/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub kind: AttachmentKind,
    /// For voice notes and audio: the length, when the sender knew it.
    #[serde(default)]
    pub duration_ms: Option<u64>,
}

/// Largest attachment a backend accepts (the reference server answers `413` above it);
/// the composer refuses bigger files before uploading them.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// What an attachment is served and turned into a blob as: its own type (without
/// parameters) when browsers show it inertly — raster images, audio, video, PDF — and
/// `application/octet-stream` for anything else, so an uploaded page or SVG never runs
/// script in the app's origin.
pub fn safe_content_type(declared: &str) -> String {
    const RASTER: [&str; 6] = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp"];
    let essence = declared.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    let media = |prefix: &str| essence.strip_prefix(prefix).is_some_and(token);
    if RASTER.contains(&essence.as_str()) || essence == "application/pdf" || media("audio/") || media("video/") {
        essence
    } else {
        OCTET_STREAM.to_owned()
    }
}

/// The type of bytes a browser must only download.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// Longest voice note: the composer's recorder stops itself here.
pub const MAX_VOICE_NOTE_MS: u64 = 5 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttachmentKind {
    File,
    /// A recording sent as a voice note (the channel plays it inline).
    Voice,
    /// A recording sent as an audio file, on channels without voice notes.
    Audio,
}

crate::names::wire_names!(AttachmentKind { File = "file", Voice = "voice", Audio = "audio" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inert_types_are_shown_as_themselves() {
        let cases = [
            ("image/png", "image/png"),
            ("IMAGE/JPEG", "image/jpeg"),
            ("audio/webm;codecs=opus", "audio/webm"),
            ("audio/ogg; codecs=\"opus\"", "audio/ogg"),
            ("video/mp4", "video/mp4"),
            ("application/pdf", "application/pdf"),
            ("image/svg+xml", OCTET_STREAM),
            ("text/html", OCTET_STREAM),
            ("text/html; charset=utf-8", OCTET_STREAM),
            ("application/xhtml+xml", OCTET_STREAM),
            ("text/xml", OCTET_STREAM),
            ("application/javascript", OCTET_STREAM),
            ("audio/", OCTET_STREAM),
            ("video/mp4\r\nSet-Cookie: x", OCTET_STREAM),
            ("", OCTET_STREAM),
        ];
        for (declared, served) in cases {
            assert_eq!(safe_content_type(declared), served, "{declared:?}");
        }
    }
}
