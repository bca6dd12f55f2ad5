//! Every word of the UI, English then French. One macro makes the `Words` struct and
//! both tables from the same lines, so an entry without its French (or English) does not
//! compile. French follows the vocabulary of the source articles (boîte de réception,
//! attribuer, en attente, réponses enregistrées, Détails du contact…).

use parley_domain::filter::StatusFilter;
use parley_domain::inbox::InboxCount;
use parley_domain::wire::ActivityKind;
use parley_domain::{ChannelKind, Status, Timestamp};

use super::{en, fr};

/// What a list row's accessible name says, in order.
pub struct ItemParts<'a> {
    pub contact: &'a str,
    pub channel: &'a str,
    pub online: bool,
    pub closed: bool,
    pub assignee: Option<&'a str>,
    pub unread: u64,
    /// The last message as the row shows it (with "You: " for ours), maybe empty.
    pub preview: &'a str,
}

macro_rules! words {
    (
        texts { $( $(#[$tdoc:meta])* $text:ident: $en:literal, $fr:literal; )* }
        phrases { $( $(#[$pdoc:meta])* $phrase:ident: $ty:ty = $pen:expr, $pfr:expr; )* }
    ) => {
        /// The words of one language.
        pub struct Words {
            $( $(#[$tdoc])* pub $text: &'static str, )*
            $( $(#[$pdoc])* pub $phrase: $ty, )*
        }
        impl Words {
            /// Every plain text, in table order (tests compare the languages).
            #[cfg(test)]
            pub fn texts(&self) -> Vec<&'static str> {
                vec![$( self.$text, )*]
            }
        }
        pub static EN: Words = Words { $( $text: $en, )* $( $phrase: $pen, )* };
        pub static FR: Words = Words { $( $text: $fr, )* $( $phrase: $pfr, )* };
    };
}

words! {
    texts {
        // Everywhere
        loading: "Loading…", "Chargement…";
        cancel: "Cancel", "Annuler";
        save: "Save", "Enregistrer";
        saving: "Saving…", "Enregistrement…";
        saved: "Saved", "Enregistré";
        delete: "Delete", "Supprimer";
        edit: "Edit", "Modifier";
        close: "Close", "Fermer";
        dismiss: "Dismiss", "Fermer";
        online: "Online", "En ligne";
        you: "You", "Vous";
        nobody: "Nobody", "Personne";
        unassigned: "Unassigned", "Non attribué";

        // Sign-in
        sign_in_title: "Sign in to Parley", "Se connecter à Parley";
        email: "Email", "E-mail";
        password: "Password", "Mot de passe";
        sign_in: "Sign in", "Se connecter";

        // Account bar
        availability: "Availability", "Disponibilité";
        available: "Available", "Disponible";
        away: "Away", "Absent";
        language: "Language", "Langue";
        saved_replies: "Saved replies", "Réponses enregistrées";
        sign_out: "Sign out", "Se déconnecter";
        connecting: "Connecting…", "Connexion…";
        live: "Live", "En direct";
        reconnecting: "Reconnecting…", "Reconnexion…";
        notifications: "Notifications", "Notifications";
        notifications_title: "Tell me about new messages in my conversations and assignments to me",
            "Me prévenir des nouveaux messages dans mes conversations et des attributions";
        desktop_notifications: "Desktop notifications", "Notifications du bureau";
        sound: "Sound", "Son";

        // Side panel
        inboxes: "Inboxes", "Boîtes de réception";
        search_inboxes: "Search inboxes", "Rechercher une boîte de réception";
        standard_inboxes: "Standard inboxes", "Boîtes de réception standard";
        team_inboxes: "Team inboxes", "Boîtes de réception d'équipe";
        blocked: "Blocked", "Bloqués";
        no_inbox_matches: "No inbox matches.", "Aucune boîte de réception ne correspond.";
        inbox_all: "All", "Toutes";
        inbox_mine: "Mine", "À moi";
        inbox_unassigned: "Unassigned", "Non attribué";

        // The list
        conversations: "Conversations", "Conversations";
        status: "Status", "Statut";
        assignee: "Assignee", "Attribué à";
        sort: "Sort", "Trier";
        newest_first: "Newest first", "Plus récentes d'abord";
        oldest_first: "Oldest first", "Plus anciennes d'abord";
        loading_conversations: "Loading conversations…", "Chargement des conversations…";
        no_conversations: "No conversations", "Aucune conversation";
        load_more: "Load more", "Charger plus";
        closed_mark: "Closed", "Fermée";
        select_conversation: "Select a conversation", "Sélectionnez une conversation";

        // A conversation
        back_to_list: "Back to the list", "Retour à la liste";
        mark_pending: "Mark pending", "Mettre en attente";
        snooze: "Snooze", "Reporter";
        close_conversation: "Close conversation", "Fermer la conversation";
        reopen: "Reopen", "Rouvrir";
        audit_trail: "Audit trail", "Historique des actions";
        conversation_closed: "This conversation is closed.", "Cette conversation est fermée.";
        presence: "Presence", "Présence";

        // Composer
        message: "Message", "Message";
        send: "Send", "Envoyer";
        internal_note: "Internal note", "Note interne";
        note_placeholder: "Write an internal note: only your team sees it (Enter to add)",
            "Écrivez une note interne : seule votre équipe la voit (Entrée pour l'ajouter)";
        reply_placeholder: "Write a reply… (Enter to send, Shift+Enter for a new line)",
            "Écrivez une réponse… (Entrée pour envoyer, Maj+Entrée pour aller à la ligne)";

        show: "Show", "Afficher";
        chats: "Chats", "Discussions";
        calls: "Calls", "Appels";
        anyone: "All", "Tous";
        conversation_failed: "This conversation could not be loaded.", "Cette conversation n'a pas pu être chargée.";
        loading_conversation: "Loading conversation…", "Chargement de la conversation…";
        page_not_found: "Page not found", "Page introuvable";
        go_to_inboxes: "Go to your inboxes", "Aller à vos boîtes de réception";
        loading_parley: "Loading Parley…", "Chargement de Parley…";
        try_again: "Try again", "Réessayer";

        // Contact sidebar
        contact_details: "Contact details", "Détails du contact";

        // Times
        just_now: "now", "maintenant";

        // Errors
        session_ended: "Your session has ended. Please sign in again.",
            "Votre session a pris fin. Veuillez vous reconnecter.";
        wrong_credentials: "Wrong email or password.", "E-mail ou mot de passe incorrect.";
        forbidden: "You are not allowed to do that.", "Vous n'avez pas le droit de faire cela.";
        not_found: "This no longer exists, or you cannot see it.",
            "Cet élément n'existe plus, ou vous ne pouvez pas le voir.";
        too_large: "That is too large to send.", "C'est trop volumineux pour être envoyé.";
        too_many: "Too many attempts. Wait a minute, then try again.",
            "Trop de tentatives. Patientez une minute, puis réessayez.";
        server_failed: "The server failed; nothing was changed. Please try again.",
            "Le serveur a échoué ; rien n'a été modifié. Veuillez réessayer.";
        unreachable: "Cannot reach the server. Check your connection and try again.",
            "Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.";
        not_understood: "The server sent an answer this app does not understand.",
            "Le serveur a envoyé une réponse que l'application ne comprend pas.";
        conflict: "That is not possible now.", "Ce n'est pas possible pour le moment.";
        refused: "The request was refused.", "La demande a été refusée.";
        timed_out: "The request took too long. Please try again.",
            "La demande a pris trop de temps. Veuillez réessayer.";

        // Timeline and dialogs
        closing_note: "Closing note", "Note de clôture";
        reason: "Reason", "Motif";
        none: "None", "Aucun";
        snooze_until: "Snooze until", "Reporter jusqu'au";
        reminder_note: "Reminder note", "Note de rappel";
        waiting_to_send: "Waiting to send", "En attente d'envoi";
        retry: "Retry", "Réessayer";
        reply_with_quote: "Reply with quote", "Répondre en citant";
        copy_text: "Copy text", "Copier le texte";
        edit_note: "Edit note", "Modifier la note";
        edited: "(edited)", "(modifiée)";
        delete_note: "Delete note", "Supprimer la note";
        new_messages: "New messages", "Nouveaux messages";
        load_older: "Load older messages", "Charger les messages précédents";
        messages: "Messages", "Messages";
        snooze_conversation: "Snooze conversation", "Reporter la conversation";
        sending: "Sending…", "Envoi…";
        sent: "Sent", "Envoyé";
        delivered: "Delivered", "Distribué";
        read: "Read", "Lu";
        failed_to_send: "Failed to send", "Échec de l'envoi";
        resolved: "Resolved", "Résolu";
        spam: "Spam", "Indésirable";
        duplicate: "Duplicate", "Doublon";
        no_response: "No response", "Sans réponse";
        note: "Note", "Note";
        reminder: "Reminder", "Rappel";

        // Contact sidebar
        loading_activities: "Loading activities…", "Chargement des activités…";
        no_activities: "No activities yet.", "Aucune activité pour l'instant.";
        activities: "Activities", "Activités";
        assign_to: "Assign to", "Attribuer à";
        connected_channels: "Connected channels", "Canaux connectés";
        confirm_merge: "Confirm merge", "Confirmer la fusion";
        possible_duplicates: "Possible duplicates", "Doublons possibles";
        phone: "Phone", "Téléphone";
        country: "Country", "Pays";
        tags: "Tags", "Tags";
        custom_attributes: "Custom attributes", "Attributs personnalisés";
        edit_contact: "Edit contact", "Modifier le contact";
        name: "Name", "Nom";
        attribute_name: "Attribute name", "Nom de l'attribut";
        attribute_value: "Attribute value", "Valeur de l'attribut";
        remove: "Remove", "Retirer";
        add_attribute: "Add attribute", "Ajouter un attribut";
        contact: "Contact", "Contact";
        call_contact: "Call contact", "Appeler le contact";
        search_users: "Search users", "Rechercher un utilisateur";
        users: "Users", "Utilisateurs";
        call_activities: "Call activities", "Activités d'appel";
        contact_blocked: "Blocked", "Bloqué";
        block_contact: "Block contact", "Bloquer le contact";
        unblock_contact: "Unblock contact", "Débloquer le contact";
        assignee_prefix: "Assignee: ", "Attribué à\u{a0}: ";
        no_user_matches: "No user matches.", "Aucun utilisateur ne correspond.";
    }
    phrases {
        /// An inbox link's accessible name: "Mine, 3 open, 1 new" (`new` 0: no "new").
        inbox_link: fn(&str, u64, u64) -> String = en::inbox_link, fr::inbox_link;
        /// A standard inbox's name in this language; team and custom inboxes keep theirs.
        inbox_name: fn(&InboxCount) -> String = en::inbox_name, fr::inbox_name;
        status_filter: fn(StatusFilter) -> &'static str = en::status_filter, fr::status_filter;
        status_name: fn(Status) -> &'static str = en::status_name, fr::status_name;
        channel: fn(ChannelKind) -> &'static str = en::channel, fr::channel;
        /// A list row's accessible name, from its parts.
        conversation_item: fn(&ItemParts) -> String = en::conversation_item, fr::conversation_item;
        /// "You: …" before our own last reply.
        own_preview: fn(&str) -> String = en::own_preview, fr::own_preview;
        assigned_to: fn(&str) -> String = en::assigned_to, fr::assigned_to;
        conversation_with: fn(&str) -> String = en::conversation_with, fr::conversation_with;
        snoozed_until: fn(&str) -> String = en::snoozed_until, fr::snoozed_until;
        typing: fn(&str) -> String = en::typing, fr::typing;
        viewing: fn(&str) -> String = en::viewing, fr::viewing;
        chars_left: fn(i64) -> String = en::chars_left, fr::chars_left;
        chars_over: fn(i64, usize) -> String = en::chars_over, fr::chars_over;
        /// The customer-service window has closed (hours, channel, other channels to reply on).
        window_closed: fn(i64, &str, bool) -> String = en::window_closed, fr::window_closed;
        /// "Label: value" ("Libellé : valeur" in French).
        labelled: fn(&str, &str) -> String = en::labelled, fr::labelled;
        /// An audit-trail line's first sentence (who did what), `time` writing a date.
        activity: fn(&ActivityKind, &str, &dyn Fn(Timestamp) -> String) -> String = en::activity, fr::activity;
        sla_left: fn(&str) -> String = en::sla_left, fr::sla_left;
        sla_due_in: fn(&str) -> String = en::sla_due_in, fr::sla_due_in;
        sla_overdue: fn(&str) -> String = en::sla_overdue, fr::sla_overdue;
        added_note: fn(&str, &str) -> String = en::added_note, fr::added_note;
        merge_into_this: fn(&str) -> String = en::merge_into_this, fr::merge_into_this;
        /// Merging `other` into `this`: the confirmation's question.
        merge_question: fn(&str, &str) -> String = en::merge_question, fr::merge_question;
        attribute_twice: fn(&str) -> String = en::attribute_twice, fr::attribute_twice;
        remove_attribute: fn(&str) -> String = en::remove_attribute, fr::remove_attribute;
        assignee_of: fn(&str) -> String = en::assignee_of, fr::assignee_of;
        minutes_ago: fn(i64) -> String = en::minutes_ago, fr::minutes_ago;
        /// A refusal with the server's own (English) words, in English only.
        refused_because: fn(&str) -> String = en::refused_because, fr::refused_because;
        conflict_because: fn(&str) -> String = en::conflict_because, fr::conflict_because;
        too_many_because: fn(&str) -> String = en::too_many_because, fr::too_many_because;
        /// A form's refused field, with the server's (English) words for which and why.
        field_refused: fn(&str) -> String = en::field_refused, fr::field_refused;
        refused_status: fn(u16) -> String = en::refused_status, fr::refused_status;
        file_too_large: fn(&str, &str, u64) -> String = en::file_too_large, fr::file_too_large;
    }
}
