//! Who may see what, checked on every read and write: the domain's visibility rule applied
//! to stored rows. Anything invisible answers "not found", exactly as if it did not
//! exist, so ids cannot be probed. Routes, ops and the socket all check through here.

use parley_domain::visibility::can_see_contact;
use parley_domain::wire::ConversationSummary;
use parley_domain::{Contact, ContactId, ConversationId, User};

use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

/// A conversation the user may see.
pub fn visible_conversation(conn: &dyn Store, user: &User, id: &ConversationId) -> ApiResult<ConversationSummary> {
    let dir = conn.directory()?;
    match conn.summary(id)? {
        Some(c) if can_see_contact(&dir, user, c.assigned().as_ref(), c.contact.blocked) => Ok(c),
        _ => Err(ApiError::not_found("conversation", id)),
    }
}

/// A contact the user may see (same rule as its conversations).
pub fn visible_contact(conn: &dyn Store, user: &User, id: &ContactId) -> ApiResult<Contact> {
    let dir = conn.directory()?;
    match conn.contact(id)? {
        Some(c) if can_see_contact(&dir, user, c.assigned().as_ref(), c.blocked) => Ok(c),
        _ => Err(ApiError::not_found("contact", id)),
    }
}

/// Whether an audit-trail line may be shown to `user`: call lines only to those who
/// handle calls, like the calls themselves.
pub fn may_see_activity(user: &User, kind: &parley_domain::wire::ActivityKind) -> bool {
    !matches!(kind, parley_domain::wire::ActivityKind::Call { .. }) || user.has(parley_domain::Permission::Calls)
}
