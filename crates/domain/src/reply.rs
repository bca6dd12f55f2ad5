//! Which channel a reply goes out on. A web-chat visitor who has left the page will not
//! see a chat reply, so the composer pre-selects email for them (and web chat again when
//! they are back online); otherwise the reply follows the conversation's channel.

use crate::model::{Channel, ChannelKind};

/// The channel the composer pre-selects among the contact's connected `channels`.
pub fn default_reply_channel<'a>(conversation: &'a Channel, channels: &'a [Channel], online: bool) -> &'a Channel {
    let find = |kind| channels.iter().find(|c| c.kind == kind);
    match (conversation.kind, online) {
        (ChannelKind::Webchat, false) => find(ChannelKind::Email).unwrap_or(conversation),
        (ChannelKind::Email, true) => find(ChannelKind::Webchat).unwrap_or(conversation),
        _ => conversation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(id: &str, kind: ChannelKind) -> Channel {
        Channel { id: id.into(), kind, name: id.into() }
    }

    #[test]
    fn picks() {
        use ChannelKind::*;
        let web = ch("web", Webchat);
        let mail = ch("mail", Email);
        let wa = ch("wa", Whatsapp);
        let both = [web.clone(), mail.clone()];
        let rows: &[(&Channel, &[Channel], bool, &str)] = &[
            (&web, &both, true, "web"),
            (&web, &both, false, "mail"),
            (&mail, &both, true, "web"),
            (&mail, &both, false, "mail"),
            (&web, std::slice::from_ref(&web), false, "web"),
            (&mail, std::slice::from_ref(&mail), true, "mail"),
            (&wa, &both, false, "wa"),
            (&wa, &both, true, "wa"),
        ];
        for (conversation, channels, online, expected) in rows {
            let got = default_reply_channel(conversation, channels, *online);
            assert_eq!(got.id.as_str(), *expected, "{:?} online={online}", conversation.kind);
        }
    }
}
