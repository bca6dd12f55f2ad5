//! The REST and WebSocket contract (docs/api.md describes it for integrators).
//!
//! Types here are what travels; they are serde-only so the app and the server share
//! one definition and a field rename breaks the build on both sides at once.

use serde::{Deserialize, Serialize};

use crate::call::{Call, CallState};
use crate::ids::{
    ActivityId, AttachmentId, CallId, ChannelId, ContactId, ConversationId, MessageId, NoteId, SnippetId, TeamId,
    TemplateId, UserId,
};
use crate::inbox::{Facts, InboxCount};
use crate::model::{Assignee, Channel, ChannelKind, Contact, Direction, Message, Role, Status, Team, Timestamp, User};
use crate::sla::SlaTargets;

/// `POST /api/v1/session`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// `POST /api/v1/session/sso`: a portal's backend signs one of its users in. `signature`
/// is the lowercase hex HMAC-SHA256 of `email + "\n" + expires` under the server's
/// shared secret (docs/api.md, "Single sign-on").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSignIn {
    pub email: String,
    pub expires: Timestamp,
    pub signature: String,
}

/// Answer to a successful sign-in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub me: Me,
}

/// `GET /api/v1/me`: the signed-in user and the workspace directory the rules need.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: User,
    pub workspace: Workspace,
    /// Whether the server can email transcripts (it was given `--smtp`): the app offers
    /// "Send transcript" only then.
    #[serde(default)]
    pub transcripts: bool,
    /// Whether the server has an AI endpoint (`--ai-url`, `--ai-model`): the composer
    /// offers "AI assist" only then.
    #[serde(default)]
    pub ai_assist: bool,
}

/// `POST /api/v1/conversations/{id}/assist`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistRequest {
    #[serde(deserialize_with = "assist_action")]
    pub action: crate::assist::AssistAction,
    /// The composer's text; required (not blank) for every action but `summarize`.
    #[serde(default)]
    pub draft: String,
}

/// An [`AssistRequest`]'s action, refused with an error that names the field.
fn assist_action<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::assist::AssistAction, D::Error> {
    use crate::assist::AssistAction;
    let name = String::deserialize(d)?;
    AssistAction::from_wire_name(&name).ok_or_else(|| {
        let known: Vec<&str> = AssistAction::ALL.iter().map(|a| a.wire_name()).collect();
        serde::de::Error::custom(format!("action: unknown action {name:?} (one of {})", known.join(", ")))
    })
}

/// The answer to [`AssistRequest`]: the model's suggestion, shown to the agent as a
/// preview (a rewritten draft, or for `summarize` the text of an internal note).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistAnswer {
    pub text: String,
}

/// `POST /api/v1/conversations/{id}/transcript`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendTranscript {
    /// The recipient; by default the contact's email.
    #[serde(default)]
    pub to: Option<String>,
}

/// The answer to [`SendTranscript`]: the SMTP server took the mail for `to`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptSent {
    pub to: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// In side-panel order.
    pub teams: Vec<Team>,
    pub members: Vec<Member>,
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub sla: SlaTargets,
}

/// A colleague as other users see them (no email, no permissions).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub teams: Vec<TeamId>,
}

impl Workspace {
    pub fn directory(&self) -> crate::Directory {
        crate::Directory::new(self.teams.clone(), self.members.iter().map(|m| (&m.id, m.teams.as_slice())))
    }

    pub fn member(&self, id: &UserId) -> Option<&Member> {
        self.members.iter().find(|m| &m.id == id)
    }
}

/// `GET /api/v1/inboxes`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inboxes {
    pub inboxes: Vec<InboxCount>,
    /// The workspace sequence number these counts reflect.
    pub seq: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRef {
    pub id: ContactId,
    pub name: String,
    pub blocked: bool,
    /// A web-chat visitor currently on the page.
    #[serde(default)]
    pub online: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRef {
    pub id: ChannelId,
    pub kind: ChannelKind,
    pub name: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub direction: Direction,
    pub text: String,
    pub at: Timestamp,
}

/// A conversation as a list item.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub contact: ContactRef,
    pub channel: ChannelRef,
    pub status: Status,
    /// The contact's assignee.
    pub assignee: Option<UserId>,
    /// The contact's team when no user is assigned (issue 14, item 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_team: Option<TeamId>,
    pub last_message: Option<Preview>,
    pub last_activity_at: Timestamp,
    /// Incoming messages nobody has read yet ("read" is shared by the team).
    pub unread: u32,
    /// Sequence number of the last change; older copies are ignored.
    pub version: u64,
    /// When a snoozed conversation comes back.
    #[serde(default)]
    pub snoozed_until: Option<Timestamp>,
    /// What the SLA clock needs.
    #[serde(default)]
    pub sla: SlaFacts,
}

/// Since when the team owes the contact a reply, and whether it replied before (first
/// response vs next response target).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaFacts {
    pub awaiting_since: Option<Timestamp>,
    pub replied_before: bool,
    /// When the contact last wrote: opens the channel's customer-service window.
    #[serde(default)]
    pub last_incoming_at: Option<Timestamp>,
}

impl ConversationSummary {
    /// Who the contact is assigned to: a user, a team or nobody.
    pub fn assigned(&self) -> Option<Assignee> {
        Assignee::of(self.assignee.as_ref(), self.assigned_team.as_ref())
    }

    /// The facts the inbox rules need; `unseen` is per user and comes from elsewhere.
    pub fn facts(&self, unseen: bool) -> Facts {
        Facts { assignee: self.assigned(), blocked: self.contact.blocked, open: self.status.is_open(), unseen }
    }
}

/// One page of a cursor-paginated collection.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `?cursor=` to get the next page; absent on the last page.
    pub next: Option<String>,
}

/// `GET /api/v1/contacts/{id}/conversations`: one of a contact's conversations, past or
/// current (status, channel and last message are the summary's).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactConversation {
    pub conversation: ConversationSummary,
    /// While it is closed: the reason given when it was closed (by hand, by bulk resolve
    /// or by a merge), if any.
    #[serde(default)]
    pub closing_reason: Option<String>,
}

/// `GET /api/v1/conversations/{id}`: the conversation, its contact and the newest
/// messages (oldest first); older pages come from `/messages?before=`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDetail {
    pub conversation: ConversationSummary,
    pub contact: Contact,
    pub messages: Page<Message>,
    /// Every internal note of the conversation, oldest first.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Every activity (the audit trail), oldest first.
    #[serde(default)]
    pub activities: Vec<Activity>,
}

/// An internal note: seen by the team only; its author edits or deletes it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    pub conversation: ConversationId,
    pub author: UserId,
    pub author_name: String,
    pub text: String,
    pub at: Timestamp,
    #[serde(default)]
    pub edited_at: Option<Timestamp>,
}

/// `POST /conversations/{id}/notes`, `PATCH /notes/{id}`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteText {
    pub text: String,
}

/// Who did something: a user, or the system (scheduler, channel, automation).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: Option<UserId>,
    pub name: String,
}

/// One line of the audit trail. On the wire it is one flat object (`kind` plus the
/// fields of that kind) through [`ActivityWire`]: `#[serde(flatten)]` over a tagged enum
/// made the app's decoder about 12 KB of wasm for this one type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ActivityWire", into = "ActivityWire")]
pub struct Activity {
    pub id: ActivityId,
    pub conversation: ConversationId,
    pub actor: Actor,
    pub at: Timestamp,
    pub kind: ActivityKind,
}

/// One line of a conversation's audit trail: `kind` and the fields of that kind (the flat
/// wire form of [`Activity`], and its schema).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
struct ActivityWire {
    id: ActivityId,
    conversation: ConversationId,
    actor: Actor,
    at: Timestamp,
    kind: ActivityType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assignee: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assignee_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    older_than_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    call: Option<CallId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    call_state: Option<CallState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_ms: Option<i64>,
    /// A transcript's recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    /// What AI assist was asked to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assist: Option<crate::assist::AssistAction>,
    /// The workflow rule that acted, and what it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule: Option<crate::RuleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<crate::rules::Action>,
}

/// One audit-trail line: `kind` plus that kind's fields.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Activity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <ActivityWire as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Activity {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        <ActivityWire as utoipa::ToSchema>::schemas(schemas)
    }
}

#[derive(Clone, Copy)]
enum ActivityType {
    Opened,
    Closed,
    Reopened,
    Assigned,
    AssignedTeam,
    Unassigned,
    Pending,
    Snoozed,
    Woken,
    BulkResolved,
    Call,
    TranscriptSent,
    AiAssist,
    RuleApplied,
}

crate::names::wire_names!(ActivityType { Opened = "opened", Closed = "closed", Reopened = "reopened", Assigned = "assigned", AssignedTeam = "assigned_team", Unassigned = "unassigned", Pending = "pending", Snoozed = "snoozed", Woken = "woken", BulkResolved = "bulk_resolved", Call = "call", TranscriptSent = "transcript_sent", AiAssist = "ai_assist", RuleApplied = "rule_applied" });

impl From<Activity> for ActivityWire {
    fn from(a: Activity) -> Self {
        let mut w = ActivityWire {
            id: a.id,
            conversation: a.conversation,
            actor: a.actor,
            at: a.at,
            kind: ActivityType::Opened,
            note: None,
            reason: None,
            assignee: None,
            assignee_name: None,
            team: None,
            team_name: None,
            until: None,
            older_than_days: None,
            call: None,
            call_state: None,
            direction: None,
            duration_ms: None,
            to: None,
            assist: None,
            rule: None,
            action: None,
        };
        w.kind = match a.kind {
            ActivityKind::Opened => ActivityType::Opened,
            ActivityKind::Closed { note, reason } => {
                (w.note, w.reason) = (note, reason);
                ActivityType::Closed
            }
            ActivityKind::Reopened => ActivityType::Reopened,
            ActivityKind::Assigned { assignee, assignee_name } => {
                (w.assignee, w.assignee_name) = (Some(assignee), Some(assignee_name));
                ActivityType::Assigned
            }
            ActivityKind::AssignedTeam { team, team_name } => {
                (w.team, w.team_name) = (Some(team), Some(team_name));
                ActivityType::AssignedTeam
            }
            ActivityKind::Unassigned => ActivityType::Unassigned,
            ActivityKind::Pending => ActivityType::Pending,
            ActivityKind::Snoozed { until, note } => {
                (w.until, w.note) = (Some(until), note);
                ActivityType::Snoozed
            }
            ActivityKind::Woken { note } => {
                w.note = note;
                ActivityType::Woken
            }
            ActivityKind::BulkResolved { reason, older_than_days } => {
                (w.reason, w.older_than_days) = (reason, Some(older_than_days));
                ActivityType::BulkResolved
            }
            ActivityKind::Call { call, state, direction, duration_ms } => {
                (w.call, w.call_state, w.direction, w.duration_ms) =
                    (Some(call), Some(state), Some(direction), duration_ms);
                ActivityType::Call
            }
            ActivityKind::TranscriptSent { to } => {
                w.to = Some(to);
                ActivityType::TranscriptSent
            }
            ActivityKind::AiAssist { action } => {
                w.assist = Some(action);
                ActivityType::AiAssist
            }
            ActivityKind::RuleApplied { rule, action } => {
                (w.rule, w.action) = (Some(rule), Some(action));
                ActivityType::RuleApplied
            }
        };
        w
    }
}

impl TryFrom<ActivityWire> for Activity {
    type Error = &'static str;

    fn try_from(w: ActivityWire) -> Result<Self, Self::Error> {
        let kind = match w.kind {
            ActivityType::Opened => ActivityKind::Opened,
            ActivityType::Closed => ActivityKind::Closed { note: w.note, reason: w.reason },
            ActivityType::Reopened => ActivityKind::Reopened,
            ActivityType::Assigned => ActivityKind::Assigned {
                assignee: w.assignee.ok_or("an assigned activity needs an assignee")?,
                assignee_name: w.assignee_name.unwrap_or_default(),
            },
            ActivityType::AssignedTeam => ActivityKind::AssignedTeam {
                team: w.team.ok_or("a team assignment needs its team")?,
                team_name: w.team_name.unwrap_or_default(),
            },
            ActivityType::Unassigned => ActivityKind::Unassigned,
            ActivityType::Pending => ActivityKind::Pending,
            ActivityType::Snoozed => {
                ActivityKind::Snoozed { until: w.until.ok_or("a snoozed activity needs until")?, note: w.note }
            }
            ActivityType::Woken => ActivityKind::Woken { note: w.note },
            ActivityType::BulkResolved => {
                ActivityKind::BulkResolved { reason: w.reason, older_than_days: w.older_than_days.unwrap_or_default() }
            }
            ActivityType::Call => ActivityKind::Call {
                call: w.call.ok_or("a call activity needs its call")?,
                state: w.call_state.ok_or("a call activity needs the call's state")?,
                direction: w.direction.unwrap_or(Direction::Incoming),
                duration_ms: w.duration_ms,
            },
            ActivityType::TranscriptSent => {
                ActivityKind::TranscriptSent { to: w.to.ok_or("a transcript activity needs its recipient")? }
            }
            ActivityType::AiAssist => {
                ActivityKind::AiAssist { action: w.assist.ok_or("an AI assist activity needs its action")? }
            }
            ActivityType::RuleApplied => ActivityKind::RuleApplied {
                rule: w.rule.ok_or("a rule's activity needs its rule")?,
                action: w.action.ok_or("a rule's activity needs its action")?,
            },
        };
        Ok(Activity { id: w.id, conversation: w.conversation, actor: w.actor, at: w.at, kind })
    }
}

/// What happened. Its own serde form (internally tagged) is how the server stores it;
/// the app only ever decodes [`Activity`]'s flat form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActivityKind {
    Opened,
    Closed {
        note: Option<String>,
        reason: Option<String>,
    },
    Reopened,
    Assigned {
        assignee: UserId,
        assignee_name: String,
    },
    /// Assigned to a team (no user).
    AssignedTeam {
        team: TeamId,
        team_name: String,
    },
    Unassigned,
    Pending,
    Snoozed {
        until: Timestamp,
        note: Option<String>,
    },
    /// The snooze ended; `note` is the reminder left when snoozing.
    Woken {
        note: Option<String>,
    },
    /// Closed by a bulk resolve of conversations quiet for `older_than_days`.
    BulkResolved {
        reason: Option<String>,
        older_than_days: u32,
    },
    /// A call with the contact rang, was answered, declined, missed or ended.
    Call {
        call: CallId,
        state: CallState,
        direction: Direction,
        /// Talking time, once it ended.
        duration_ms: Option<i64>,
    },
    /// The thread was emailed (`POST /conversations/{id}/transcript`) to `to`.
    TranscriptSent {
        to: String,
    },
    /// An agent asked AI assist (`POST /conversations/{id}/assist`) for `action` and got
    /// an answer: who, when and what, for the team lead (not the text). On the wire the
    /// action is `assist` (`action` is a rule's).
    AiAssist {
        action: crate::assist::AssistAction,
    },
    /// A workflow rule (the actor, by name) carried out one of its actions.
    RuleApplied {
        rule: crate::RuleId,
        action: crate::rules::Action,
    },
}

/// A closing reason of the workspace's list (`GET /closing-reasons`), in the order the
/// close dialog offers them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingReason {
    pub id: crate::ClosingReasonId,
    pub name: String,
}

/// `POST /closing-reasons`, `PUT /closing-reasons/{id}`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingReasonInput {
    /// 1 to 80 characters, unique ignoring case.
    pub name: String,
}

/// `PUT /closing-reasons/order`: every reason's id, in the new order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingReasonOrder {
    pub ids: Vec<crate::ClosingReasonId>,
}

/// A saved reply, inserted with `/` in the composer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub id: SnippetId,
    pub category: String,
    pub title: String,
    /// May contain variables (`{{contact.first_name}}`), filled when sent.
    pub text: String,
}

/// `POST /snippets`, `PUT /snippets/{id}`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetInput {
    pub category: String,
    pub title: String,
    pub text: String,
}

/// `POST /inboxes/{inbox}/bulk-resolve`: close every conversation of the inbox matching
/// `status` whose latest message is older than `older_than_days`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResolve {
    #[serde(default)]
    pub status: Option<String>,
    pub older_than_days: u32,
    #[serde(default)]
    pub reason: Option<String>,
    /// The list's assignee filter as on `GET .../conversations`: a user id or `none`.
    #[serde(default)]
    pub assignee: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResolved {
    pub closed: u32,
}

/// `GET /inboxes/{inbox}/assignees`: how many conversations of the list each assignee
/// has (`assignee: null` is Unassigned), for the assignee filter.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssigneeCount {
    pub assignee: Option<UserId>,
    pub count: u32,
}

/// `PATCH /contacts/{id}`: only the fields present change; an empty string clears an
/// optional field; `tags` and `attributes` replace the whole set. Every field is validated
/// (`contact_fields`) before anything is saved.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// An empty value removes that attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<std::collections::BTreeMap<String, String>>,
}

/// `POST /contacts/{id}/merge`: merge `secondary` into the contact of the path.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub secondary: ContactId,
}

/// `GET /contacts/{id}/activities`: the sidebar's Activities tab — the contact's internal
/// notes and audit-trail lines across all its conversations, each newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactActivities {
    pub notes: Vec<Note>,
    pub activities: Vec<Activity>,
}

/// `PUT /contacts/{id}/blocked`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetBlocked {
    pub blocked: bool,
}

/// `PUT /me/availability`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAvailability {
    pub availability: crate::model::Availability,
}

/// `POST /test/clock` (only with `--test-clock`): moves the server's clock.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestClock {
    pub offset_ms: i64,
}

/// What another agent is doing in a conversation (collision avoidance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PresenceActivity {
    Viewing,
    Typing,
    Left,
}

crate::names::wire_names!(PresenceActivity { Viewing = "viewing", Typing = "typing", Left = "left" });

/// `POST /api/v1/conversations/{id}/messages`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMessage {
    /// Generated by the client; sending the same id twice creates one message.
    pub client_id: String,
    /// May be empty when attachments are sent.
    pub text: String,
    /// One of the contact's channels; absent: the conversation's channel.
    #[serde(default)]
    pub channel: Option<ChannelId>,
    /// Ids from `POST /conversations/{id}/attachments`, sent with this message.
    #[serde(default)]
    pub attachments: Vec<AttachmentId>,
    /// An approved template to send instead of `text` (which must then be empty): the
    /// server fills its body with `values` (value 1 fills `{{1}}`…). Allowed outside the
    /// service window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A message tag; `human_agent` extends Messenger's window to 7 days (refused on
    /// other channels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<MessageTag>,
}

/// A tag on a sent message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageTag {
    /// A person answers (Messenger's HUMAN_AGENT tag): 7 days to reply instead of 24 h.
    HumanAgent,
}

crate::names::wire_names!(MessageTag { HumanAgent = "human_agent" });

/// A message template: what may still be sent once a channel's service window has closed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTemplate {
    pub id: TemplateId,
    pub name: String,
    /// A language code: `en`, `fr`, `pt_BR`…
    pub language: String,
    pub category: crate::template::Category,
    /// With numbered placeholders `{{1}}`, `{{2}}`…
    pub body: String,
    /// Only approved templates are offered in the composer and may be sent.
    pub approved: bool,
}

/// `POST /templates`, `PUT /templates/{id}`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateInput {
    pub name: String,
    pub language: String,
    pub category: crate::template::Category,
    pub body: String,
    pub approved: bool,
}

/// `POST /contacts/{id}/conversations`: start (or open) a conversation with the contact
/// on one of their channels.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartConversation {
    pub channel: ChannelId,
}

/// `PUT /api/v1/contacts/{id}/assignee`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assign {
    /// A user; absent or null (and no `team`): nobody.
    #[serde(default)]
    pub assignee: Option<UserId>,
    /// A team instead of a user (not both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
}

/// `POST /api/v1/simulator/call`: the contact calls in on `channel` (`ring`), or hangs
/// up their live call (`hangup`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedCall {
    pub contact: ContactId,
    #[serde(default)]
    pub channel: Option<ChannelId>,
    pub action: SimulatedCallAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimulatedCallAction {
    Ring,
    Hangup,
}

crate::names::wire_names!(SimulatedCallAction { Ring = "ring", Hangup = "hangup" });

/// `POST /api/v1/contacts/{id}/calls`: call the contact on `channel` (default: the first
/// of their channels that carries calls).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceCall {
    #[serde(default)]
    pub channel: Option<ChannelId>,
}

/// `POST /api/v1/simulator/delivery`: the channel reports a sent message delivered, read
/// or failed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedDelivery {
    pub message: MessageId,
    pub delivery: crate::model::DeliveryState,
}

/// `POST /api/v1/simulator/presence`: a web-chat visitor arrives on or leaves the page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedPresence {
    pub contact: ContactId,
    pub online: bool,
}

/// `POST /api/v1/simulator/inbound`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedInbound {
    /// A known contact writing in on `channel`; or leave both out and give `from`.
    #[serde(default)]
    pub contact: Option<ContactId>,
    #[serde(default)]
    pub channel: Option<ChannelId>,
    /// An address on a channel: its contact, or a new unassigned one if none has it.
    #[serde(default)]
    pub from: Option<SimulatedSender>,
    pub text: String,
}

/// Who writes in to the simulator by address (`SimulatedInbound::from`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedSender {
    pub channel: ChannelId,
    /// A phone number (WhatsApp, SMS, Viber, Telegram), an email address (email) or a
    /// handle (Messenger, Instagram, Telegram, web chat).
    pub address: String,
    /// The new contact's name if one is created; the address otherwise.
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /api/v1/simulator/bulk-inbound`: `count` new contacts each write in once (load
/// tests and the 20 000-conversation browser test).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedBulkInbound {
    pub count: u32,
    /// Defaults to the first channel of the workspace.
    #[serde(default)]
    pub channel: Option<ChannelId>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedBulkInboundCreated {
    pub created: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedInboundCreated {
    pub message: String,
    pub conversation: ConversationId,
}

/// What kind of error an answer is (the `code` of its body), one per status the API
/// answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    MethodNotAllowed,
    UnsupportedMediaType,
    RequestTimeout,
    TooManyRequests,
    Internal,
    /// A 409: the channel's customer-service window has closed, so free text is refused
    /// (an approved template may still go out).
    WindowClosed,
    /// A server another one relies on (the SMTP server, the AI endpoint) refused, failed
    /// or answered nonsense (502).
    BadGateway,
    /// A feature the server was not configured for (transcripts without `--smtp`, AI
    /// assist without `--ai-url`; 503).
    Unavailable,
    /// A server another one relies on (the AI endpoint) did not answer in time (504).
    GatewayTimeout,
}

crate::names::wire_names!(ErrorCode {
    BadRequest = "bad_request",
    Unauthorized = "unauthorized",
    Forbidden = "forbidden",
    NotFound = "not_found",
    Conflict = "conflict",
    PayloadTooLarge = "payload_too_large",
    MethodNotAllowed = "method_not_allowed",
    UnsupportedMediaType = "unsupported_media_type",
    RequestTimeout = "request_timeout",
    TooManyRequests = "too_many_requests",
    Internal = "internal",
    WindowClosed = "window_closed",
    BadGateway = "bad_gateway",
    Unavailable = "unavailable",
    GatewayTimeout = "gateway_timeout",
});

/// Every error answer: `{"error": {"code": "...", "message": "..."}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable and machine-readable.
    pub code: ErrorCode,
    /// For humans; may change.
    pub message: String,
}

// ---- WebSocket ------------------------------------------------------------------------

/// Frames the client sends on `/api/v1/ws`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Must be the first frame. `since`: the last sequence number the client applied;
    /// absent for a fresh start.
    Hello { token: String, since: Option<u64> },
    /// "I am viewing / typing in / have left this conversation." Ephemeral: relayed to
    /// the others who may see it, never stored. Repeat `viewing` every 10 s and `typing`
    /// every 3 s while it lasts; receivers forget it after 25 s and 6 s.
    Presence { conversation: ConversationId, activity: PresenceActivity },
}

/// Frames the server sends, externally tagged (`{"batch": {...}}`): the app decodes every
/// frame, and unlike internally tagged enums this form needs no buffering decoder, which
/// keeps the wasm smaller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerFrame {
    /// Authenticated; `seq` is the workspace's current sequence number.
    Welcome { seq: u64 },
    /// Events in sequence order (only those the user may see), then the user's side-panel
    /// counts as they stand after them, when they may have changed.
    Batch { events: Vec<Event>, inboxes: Option<Vec<InboxCount>> },
    /// The resume point is too old (or from another database): reload everything, then
    /// continue from `seq`.
    Resync { seq: u64 },
    /// Fatal: the server closes the socket after it.
    Error { error: ErrorDetail },
    /// The server's clock, right after `welcome` and whenever a test clock moves it.
    Clock { now: Timestamp },
    /// Another user's presence in a conversation this user may see.
    Presence { conversation: ConversationId, user: UserId, name: String, activity: PresenceActivity },
}

/// `{"seq": 7, "kind": {"message_created": {...}}}`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "most events are the large kinds (a message, a conversation): boxing them would add an allocation each and save no memory"
)]
pub enum EventKind {
    /// A message was added (either direction); `conversation` is its state afterwards.
    MessageCreated {
        conversation: ConversationSummary,
        message: Message,
    },
    /// A sent message's delivery state moved on (delivered, read, failed), as the
    /// channel reported it.
    MessageUpdated {
        message: Message,
    },
    /// Status, assignee, unread or contact changed.
    ConversationUpdated {
        conversation: ConversationSummary,
    },
    /// A contact's details or assignee changed.
    ContactUpdated {
        contact: Contact,
    },
    NoteCreated {
        note: Note,
    },
    NoteUpdated {
        note: Note,
    },
    NoteDeleted {
        conversation: ConversationId,
        note: NoteId,
    },
    /// A line was added to a conversation's audit trail.
    ActivityCreated {
        activity: Activity,
    },
    /// A call rang, changed state or started/stopped recording. Only users with the
    /// `calls` permission receive it.
    CallUpdated {
        call: Call,
    },
}

impl EventKind {
    /// The conversation the event is about, if any.
    pub fn conversation(&self) -> Option<&ConversationSummary> {
        match self {
            EventKind::MessageCreated { conversation, .. } | EventKind::ConversationUpdated { conversation } => {
                Some(conversation)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_round_trip_through_their_flat_form() {
        let kinds = [
            ActivityKind::Opened,
            ActivityKind::Closed { note: Some("n".into()), reason: None },
            ActivityKind::Reopened,
            ActivityKind::Assigned { assignee: "u".into(), assignee_name: "U".into() },
            ActivityKind::AssignedTeam { team: "t".into(), team_name: "T".into() },
            ActivityKind::Unassigned,
            ActivityKind::Pending,
            ActivityKind::Snoozed { until: Timestamp(5), note: None },
            ActivityKind::Woken { note: Some("r".into()) },
            ActivityKind::BulkResolved { reason: Some("stale".into()), older_than_days: 3 },
        ];
        for kind in kinds {
            let a = Activity {
                id: "a-1".into(),
                conversation: "c".into(),
                actor: Actor { id: None, name: "Parley".into() },
                at: Timestamp(1),
                kind,
            };
            let json = serde_json::to_value(&a).unwrap();
            assert!(json["kind"].is_string(), "flat: {json}");
            assert_eq!(serde_json::from_value::<Activity>(json).unwrap(), a);
        }
        let broken = r#"{"id":"a","conversation":"c","actor":{"id":null,"name":"x"},"at":1,"kind":"assigned"}"#;
        assert!(serde_json::from_str::<Activity>(broken).is_err());
    }

    #[test]
    fn frames_are_externally_tagged() {
        let frame = ServerFrame::Welcome { seq: 3 };
        assert_eq!(serde_json::to_string(&frame).unwrap(), r#"{"welcome":{"seq":3}}"#);
        let hello: ClientFrame = serde_json::from_str(r#"{"type":"hello","token":"t","since":null}"#).unwrap();
        assert_eq!(hello, ClientFrame::Hello { token: "t".into(), since: None });
    }
}
