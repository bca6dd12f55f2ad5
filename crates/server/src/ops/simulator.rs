//! The channel simulator's bulk inbound: many new contacts writing in at once.

use crate::error::{ApiError, ApiResult};
use crate::storage::Store;
use parley_domain::ChannelId;

/// The simulator's bulk import: `count` new contacts ("Visitor 1" newest … "Visitor N",
/// a second apart) each with one new conversation holding one incoming message, on
/// `channel` (default: the workspace's first). Rows only, with no event per conversation
/// (20 000 events would flood every socket and the log): connected apps see them after
/// a reload. Returns how many were created and the seq that marks them unseen.
pub fn bulk_inbound(tx: &dyn Store, count: u32, channel: Option<&ChannelId>, now: i64) -> ApiResult<(u32, u64)> {
    if !(1..=50_000).contains(&count) {
        return Err(ApiError::BadRequest("count must be between 1 and 50000".into()));
    }
    let channels = tx.channels()?;
    let channel = match channel {
        Some(c) => channels.into_iter().find(|ch| &ch.id == c).ok_or_else(|| ApiError::not_found("channel", c))?,
        None => {
            channels.into_iter().next().ok_or_else(|| ApiError::BadRequest("the workspace has no channel".into()))?
        }
    };
    let seq = tx.next_seq()?;
    tx.insert_visitors(count, &channel.id, seq, now)?;
    tracing::info!(count, "simulator: bulk inbound");
    Ok((count, seq))
}

/// A message from an address on a channel, as a webhook delivers it: it goes to the
/// contact connected to that channel with that address (`contact_fields::SenderAddress`),
/// or to a new unassigned contact made from the address, with its conversation, in the
/// same transaction. Writes are serialised, so two messages from one unknown address
/// create one contact.
pub fn incoming_from(
    tx: &dyn Store,
    from: &parley_domain::wire::SimulatedSender,
    text: &str,
    now: i64,
) -> ApiResult<(parley_domain::Message, u64)> {
    use parley_domain::contact_fields::sender_address;
    super::validate_text(text, false)?;
    let kind = match tx.channels()?.into_iter().find(|c| c.id == from.channel) {
        Some(channel) => channel.kind,
        None => return Err(ApiError::not_found("channel", &from.channel)),
    };
    let address =
        sender_address(kind, &from.address).map_err(|e| ApiError::BadRequest(format!("from.address: {e}")))?;
    let known = tx.contacts_on_channel(&from.channel)?.into_iter().find(|c| address.belongs_to(c));
    let contact = match known {
        Some(contact) => contact.id,
        None => {
            // The seq the message is about to take: unique, as each seq is used once.
            let id = parley_domain::ContactId(format!("k-{}", tx.current_seq()? + 1));
            let contact = address
                .newcomer(id, from.channel.clone(), from.name.as_deref())
                .map_err(|e| ApiError::BadRequest(format!("from.name: {e}")))?;
            tx.insert_contact(&contact)?;
            // Findable on the contacts page from this commit on.
            crate::storage::index_contact(tx, &contact.id)?;
            tracing::info!(contact = %contact.id, channel = %from.channel, "simulator: a new sender");
            contact.id
        }
    };
    super::record_incoming(tx, &contact, &from.channel, text, now)
}
