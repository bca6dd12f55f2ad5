//! Every word of the UI, English then French. One macro makes the `Words` struct and
//! both tables from the same lines, so an entry without its French (or English) does not
//! compile. French follows the vocabulary of the source articles (boîte de réception,
//! attribuer, en attente, réponses enregistrées, Détails du contact…).

use parley_domain::assist::AssistAction;
use parley_domain::call::{CallState, CallTab};
use parley_domain::filter::StatusFilter;
use parley_domain::inbox::InboxCount;
use parley_domain::keys::Action;
use parley_domain::rules::{Action as RuleAction, Condition, RuleError, Trigger};
use parley_domain::template::{Category, TemplateError};
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

        // Times and sizes
        just_now: "now", "maintenant";
        unit_b: "B", "o";
        unit_kb: "KB", "Ko";
        unit_mb: "MB", "Mo";
        decimal_point: ".", ",";

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
        relay_failed: "The mail server refused the message or could not be reached. Please try again later.",
            "Le serveur de messagerie a refusé le message ou est injoignable. Réessayez plus tard.";
        not_configured: "This server is not set up for that.", "Ce serveur n'est pas configuré pour cela.";
        ai_failed: "The AI service failed or gave no usable answer. Please try again.",
            "Le service d'IA a échoué ou n'a pas donné de réponse utilisable. Veuillez réessayer.";
        ai_timed_out: "The AI service did not answer within 15 seconds. Please try again.",
            "Le service d'IA n'a pas répondu dans les 15 secondes. Veuillez réessayer.";
        ai_off: "AI assist is not set up on this server.", "L'assistant IA n'est pas configuré sur ce serveur.";

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
        send_transcript: "Send transcript", "Envoyer la transcription";
        ai_assist: "AI assist", "Assistant IA";
        ai_suggestion: "AI suggestion", "Suggestion de l'IA";
        ai_summary_hint: "Accept adds it as an internal note.", "Accepter l'ajoute en note interne.";
        ai_working: "Asking the AI…", "Demande à l'IA…";
        discard: "Discard", "Ignorer";
        transcript_address: "Email address", "Adresse e-mail";
        transcript_hint: "The messages of this conversation, without internal notes.",
            "Les messages de cette conversation, sans les notes internes.";
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
        search_users: "Search users and teams", "Rechercher un utilisateur ou une équipe";
        users: "Users and teams", "Utilisateurs et équipes";
        call_activities: "Call activities", "Activités d'appel";
        contact_blocked: "Blocked", "Bloqué";
        block_contact: "Block contact", "Bloquer le contact";
        unblock_contact: "Unblock contact", "Débloquer le contact";
        assignee_prefix: "Assignee: ", "Attribué à\u{a0}: ";
        no_user_matches: "No user or team matches.", "Aucun utilisateur ni aucune équipe ne correspond.";

        // Composer tools, palette, shortcuts, bulk resolve
        attach_file: "Attach file", "Joindre un fichier";
        attachments_to_send: "Attachments to send", "Pièces jointes à envoyer";
        attachments: "Attachments", "Pièces jointes";
        record_voice_note: "Record voice note", "Enregistrer un message vocal";
        recording_time: "Recording time", "Durée de l'enregistrement";
        stop_recording: "Stop recording", "Arrêter l'enregistrement";
        recorded_voice_note: "Recorded voice note", "Message vocal enregistré";
        delete_recording: "Delete recording", "Supprimer l'enregistrement";
        send_voice_note: "Send voice note", "Envoyer le message vocal";
        no_voice_notes: "This channel has no voice notes: it goes as an audio file.", "Ce canal n'a pas de messages vocaux\u{a0}: il part comme fichier audio.";
        reply_via: "Reply via", "Répondre par";
        single_keys: "Single keys work anywhere except while typing in a text field or with a dialog open.", "Les touches seules fonctionnent partout, sauf pendant la saisie dans un champ de texte ou quand une boîte de dialogue est ouverte.";
        key: "Key", "Touche";
        action: "Action", "Action";
        bulk_resolve: "Bulk resolve", "Résolution en bloc";
        older_than_days: "Older than (days)", "Plus ancienne que (jours)";
        whole_days: "Enter a whole number of days, at least 1.", "Saisissez un nombre entier de jours, au moins 1.";
        resolve: "Resolve", "Résoudre";
        search_palette: "Search commands, inboxes and conversations", "Rechercher des commandes, boîtes de réception et conversations";
        results: "Results", "Résultats";

        // Calls, custom inboxes, saved replies
        active_call: "Active call", "Appel en cours";
        call_duration: "Call duration", "Durée de l'appel";
        recording: "Recording", "Enregistrement";
        record: "Record", "Enregistrer";
        end_call: "End call", "Raccrocher";
        loading_calls: "Loading calls…", "Chargement des appels…";
        no_calls: "No calls yet.", "Aucun appel pour l'instant.";
        incoming_calls: "Incoming calls", "Appels entrants";
        ringing_calls: "Ringing calls", "Appels qui sonnent";
        accept: "Accept", "Accepter";
        decline: "Decline", "Refuser";
        custom_inboxes: "Custom inboxes", "Boîtes de réception personnalisées";
        show_custom_inboxes: "Show custom inboxes", "Afficher les boîtes de réception personnalisées";
        new_custom_inbox: "New custom inbox", "Nouvelle boîte de réception personnalisée";
        no_custom_match: "No conversation matches this custom inbox.", "Aucune conversation ne correspond à cette boîte de réception personnalisée.";
        refresh: "Refresh", "Actualiser";
        show_more: "Show more", "Afficher plus";
        filters: "Filters", "Filtres";
        channel_label: "Channel", "Canal";
        team: "Team", "Équipe";
        tag: "Tag", "Tag";
        active_within: "Last activity within (days)", "Dernière activité depuis moins de (jours)";
        idle_for: "No activity for (days)", "Sans activité depuis (jours)";
        contact_field: "Contact field", "Champ du contact";
        contains: "Contains", "Contient";
        sharing: "Sharing", "Partage";
        share_with: "Share with", "Partager avec";
        category: "Category", "Catégorie";
        title: "Title", "Titre";
        text: "Text", "Texte";
        variables_hint: "Variables such as {{contact.first_name}} are filled when the reply is sent.", "Les variables comme {{contact.first_name}} sont remplies à l'envoi de la réponse.";
        // Composer tools, palette, shortcuts
        uploading: " · uploading…", " · envoi en cours…";
        voice_note: "Voice note", "Message vocal";
        audio: "Audio", "Audio";
        no_microphone: "No microphone is available in this browser.", "Aucun micro n'est disponible dans ce navigateur.";
        microphone_refused: "The microphone could not be used: allow access to it in the browser and try again.", "Le micro n'a pas pu être utilisé\u{a0}: autorisez-y l'accès dans le navigateur et réessayez.";
        recording_not_saved: "The recording could not be saved. Please record again.", "L'enregistrement n'a pas pu être sauvegardé. Veuillez enregistrer à nouveau.";
        cannot_record: "The browser cannot record audio.", "Le navigateur ne peut pas enregistrer de son.";
        emoji: "Emoji", "Emoji";
        variables: "Variables", "Variables";
        keyboard_shortcuts: "Keyboard shortcuts", "Raccourcis clavier";
        command_palette: "Command palette", "Palette de commandes";
        actions: "Actions", "Actions";
        bulk_before: "Closes every open conversation of", "Ferme chaque conversation ouverte de";
        bulk_after: "whose latest activity is older than the number of days below.", "dont la dernière activité est plus ancienne que le nombre de jours ci-dessous.";

        // Calls, custom inboxes, saved replies
        incoming_call: "Incoming call", "Appel entrant";
        outgoing_call: "Outgoing call", "Appel sortant";
        no_incoming_calls: "No incoming calls.", "Aucun appel entrant.";
        no_calls_mine: "No calls for your contacts.", "Aucun appel pour vos contacts.";
        no_calls_unassigned: "No calls from unassigned contacts.", "Aucun appel de contacts non attribués.";
        assigned_to_you: "Assigned to you", "Attribué à vous";
        call_log: "Call log", "Journal d'appels";
        custom_all: "All", "Toutes";
        by_me: "By me", "Par moi";
        by_others: "By others", "Par d'autres";
        delete_custom_inbox: "Delete custom inbox", "Supprimer la boîte de réception personnalisée";
        updating: "Updating…", "Mise à jour…";
        more_match: " shown, the newest first; more match", " affichées, les plus récentes d'abord\u{a0}; d'autres correspondent";
        whole_days_activity: "Last activity must be a whole number of days.", "La dernière activité doit être un nombre entier de jours.";
        any_channel: "Any channel", "Tous les canaux";
        any_assignee: "Anyone", "N'importe qui";
        any_team: "Any team", "Toutes les équipes";
        private: "Private", "Privée";
        everyone: "Everyone", "Tout le monde";
        chosen_users: "Chosen users", "Utilisateurs choisis";
        loading_custom_inboxes: "Loading custom inboxes…", "Chargement des boîtes de réception personnalisées…";
        no_custom_inbox: "No custom inbox yet.", "Aucune boîte de réception personnalisée pour l'instant.";
        edit_custom_inbox: "Edit custom inbox", "Modifier la boîte de réception personnalisée";
        private_lower: "private", "privée";
        shared_with_everyone: "shared with everyone", "partagée avec tout le monde";
        loading_saved_replies: "Loading saved replies…", "Chargement des réponses enregistrées…";
        no_saved_replies: "No saved replies yet.", "Aucune réponse enregistrée pour l'instant.";
        no_saved_replies_match: "No saved replies match.", "Aucune réponse enregistrée ne correspond.";
        back_to_inbox: "Back to the inbox", "Retour à la boîte de réception";
        new_saved_reply: "New saved reply", "Nouvelle réponse enregistrée";
        edit_saved_reply: "Edit saved reply", "Modifier la réponse enregistrée";
        snippets_read_only: "Only owners and managers can change saved replies. Insert them in a reply with /.", "Seuls les propriétaires et les responsables peuvent modifier les réponses enregistrées. Insérez-les dans une réponse avec /.";
        search_saved_replies: "Search saved replies", "Rechercher une réponse enregistrée";
        closing_reasons: "Closing reasons", "Motifs de clôture";
        closing_reasons_hint: "The close dialog and bulk resolve offer these reasons, in this order.", "La fenêtre de clôture et la résolution groupée proposent ces motifs, dans cet ordre.";
        closing_reasons_read_only: "Only owners and managers can change the closing reasons.", "Seuls les propriétaires et les responsables peuvent modifier les motifs de clôture.";
        new_closing_reason: "New closing reason", "Nouveau motif de clôture";
        add_reason: "Add reason", "Ajouter le motif";
        loading_closing_reasons: "Loading closing reasons…", "Chargement des motifs de clôture…";
        no_closing_reasons: "No closing reasons yet: conversations close without one.", "Aucun motif de clôture pour l'instant\u{a0}: les conversations se ferment sans motif.";
        reason_empty: "Give the reason a name.", "Donnez un nom au motif.";

        // Workflow rules and business hours (/settings/rules)
        rules: "Workflow rules", "Règles d'automatisation";
        rules_hint: "When its trigger happens, each switched-on rule runs in this order if all its conditions hold. Built-in rules can only be switched on or off.", "Quand son déclencheur se produit, chaque règle activée s'exécute dans cet ordre si toutes ses conditions sont remplies. Les règles intégrées peuvent seulement être activées ou désactivées.";
        loading_rules: "Loading rules…", "Chargement des règles…";
        no_rules: "No rules yet.", "Aucune règle pour l'instant.";
        builtin_rule: "Built-in", "Intégrée";
        new_rule: "New rule", "Nouvelle règle";
        edit_rule: "Edit rule", "Modifier la règle";
        rule_name: "Name", "Nom";
        rule_trigger: "Trigger", "Déclencheur";
        rule_minutes: "Minutes", "Minutes";
        rule_conditions: "Conditions", "Conditions";
        rule_actions: "Actions", "Actions";
        no_conditions: "No condition: always.", "Aucune condition\u{a0}: toujours.";
        no_actions: "No action yet.", "Aucune action pour l'instant.";
        condition_kind: "Condition", "Condition";
        action_kind: "Action", "Action";
        rule_value: "Value", "Valeur";
        add_condition: "Add condition", "Ajouter la condition";
        add_action: "Add action", "Ajouter l'action";
        save_rule: "Save rule", "Enregistrer la règle";
        rule_deleted: "Rule deleted.", "Règle supprimée.";
        rules_reordered: "Order saved.", "Ordre enregistré.";
        business_hours: "Business hours", "Heures d'ouverture";
        business_hours_hint: "Rules can check whether a moment is inside or outside these hours. A day without hours is closed.", "Les règles peuvent vérifier si un moment est pendant ou en dehors de ces heures. Un jour sans heures est fermé.";
        time_zone: "Time zone (such as Europe/Paris)", "Fuseau horaire (par exemple Europe/Paris)";
        save_business_hours: "Save business hours", "Enregistrer les heures d'ouverture";
        business_hours_saved: "Business hours saved.", "Heures d'ouverture enregistrées.";
        // Message templates: the settings page, the composer outside the window
        templates: "Message templates", "Modèles de message";
        templates_hint: "Once a channel's customer-service window has closed, the composer offers only the approved templates.", "Une fois la fenêtre de service client d'un canal fermée, le champ de réponse ne propose que les modèles approuvés.";
        templates_read_only: "Only owners and managers can change the message templates.", "Seuls les propriétaires et les responsables peuvent modifier les modèles de message.";
        new_template: "New template", "Nouveau modèle";
        add_template: "Add template", "Ajouter le modèle";
        template_name: "Template name", "Nom du modèle";
        template_language: "Language code (en, fr, pt_BR…)", "Code de langue (en, fr, pt_BR…)";
        template_category: "Category", "Catégorie";
        template_body: "Body, with placeholders {{1}}, {{2}}…", "Texte, avec les variables {{1}}, {{2}}…";
        template_approved: "Approved", "Approuvé";
        template_not_approved: "Not approved", "Non approuvé";
        loading_templates: "Loading templates…", "Chargement des modèles…";
        no_templates: "No message templates yet.", "Aucun modèle de message pour l'instant.";
        template: "Template", "Modèle";
        choose_template: "Choose a template", "Choisissez un modèle";
        no_approved_templates: "No approved template: ask a manager to add one.", "Aucun modèle approuvé\u{a0}: demandez à un responsable d'en ajouter un.";
        template_preview: "Preview", "Aperçu";
        send_template: "Send template", "Envoyer le modèle";
        template_message: "Template", "Modèle";
        human_agent_tag: "Human agent tag: reply within 7 days on Messenger", "Étiquette agent humain\u{a0}: répondre sous 7 jours sur Messenger";
        // Reports (owners and managers)
        reports: "Reports", "Rapports";
        report_period: "Period", "Période";
        report_from: "From", "Du";
        report_to: "To", "Au";
        last_7_days: "Last 7 days", "7 derniers jours";
        last_30_days: "Last 30 days", "30 derniers jours";
        export_csv: "Export CSV", "Exporter en CSV";
        loading_report: "Loading the report…", "Chargement du rapport…";
        report_totals: "Totals", "Totaux";
        opened_heading: "Opened", "Ouvertes";
        closed_heading: "Closed", "Fermées";
        median_first_response: "Median first response", "Première réponse (médiane)";
        median_resolution: "Median resolution", "Résolution (médiane)";
        sla_breaches: "SLA breaches", "Dépassements de SLA";
        open_now: "Open now", "Ouvertes maintenant";
        per_day: "Opened and closed per day", "Ouvertes et fermées par jour";
        day_heading: "Day", "Jour";
        breakdown: "Breakdown", "Répartition";
        by_agent: "By agent", "Par agent";
        by_team: "By team", "Par équipe";
        by_channel: "By channel", "Par canal";
        agent_heading: "Agent", "Agent";
        team_heading: "Team", "Équipe";
        channel_heading: "Channel", "Canal";
        no_agent: "Unassigned", "Non attribuées";
        no_team: "No team", "Sans équipe";
        open_per_inbox: "Open now per inbox", "Ouvertes maintenant par boîte de réception";
        inbox_heading: "Inbox", "Boîte de réception";
        no_figure: "none", "aucune";
        window_closed_refused: "The customer-service window has closed: free text cannot be sent until the contact writes again. Send an approved template instead.", "La fenêtre de service client est fermée\u{a0}: aucun texte libre ne peut partir avant que le contact réécrive. Envoyez plutôt un modèle approuvé.";
        new_conversation: "New conversation", "Nouvelle conversation";
        start_conversation: "Start conversation", "Démarrer la conversation";
        conversation_channel: "Channel", "Canal";
        no_connected_channels: "This contact has no connected channel to write on.", "Ce contact n'a aucun canal connecté sur lequel écrire.";

        // The contacts page
        contacts: "Contacts", "Contacts";
        search_contacts: "Search contacts", "Rechercher des contacts";
        searching_contacts: "Searching contacts…", "Recherche de contacts…";
        no_contact_matches: "No contact matches.", "Aucun contact ne correspond.";
        load_more_contacts: "Load more contacts", "Charger plus de contacts";
        choose_a_contact: "Choose a contact to see their details and conversations.", "Choisissez un contact pour voir ses détails et ses conversations.";
        closing_reason: "Closing reason", "Motif de clôture";

        // The store's messages
        sent_attachment: "Sent an attachment", "A envoyé une pièce jointe";
        open_conversation_first: "Open a conversation first.", "Ouvrez d'abord une conversation.";
        copied: "Copied", "Copié";
        copy_refused: "The browser did not let Parley copy the text.", "Le navigateur n'a pas laissé Parley copier le texte.";
        notifications_blocked: "The browser blocks notifications from Parley: allow them in the site settings, then turn them on again.", "Le navigateur bloque les notifications de Parley\u{a0}: autorisez-les dans les paramètres du site, puis réactivez-les.";
        the_voice_note: "The voice note", "Le message vocal";
        searching_conversations: "Searching conversations…", "Recherche de conversations…";
        no_conversation_matches: "No conversation matches.", "Aucune conversation ne correspond.";
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
        /// A team as an assignee: "Team: Sales".
        team_named: fn(&str) -> String = en::team_named, fr::team_named;
        /// What each shortcut of `keys::HELP` does, in its order.
        help: [&'static str; 11] = [
            "Next conversation",
            "Previous conversation",
            "Reply",
            "Write an internal note",
            "Assign",
            "Close conversation",
            "Mark pending",
            "Snooze",
            "Search inboxes",
            "Show keyboard shortcuts",
            "Open the command palette",
        ], [
            "Conversation suivante",
            "Conversation précédente",
            "Répondre",
            "Écrire une note interne",
            "Attribuer",
            "Fermer la conversation",
            "Mettre en attente",
            "Reporter",
            "Rechercher une boîte de réception",
            "Afficher les raccourcis clavier",
            "Ouvrir la palette de commandes",
        ];
        action_name: fn(Action) -> &'static str = en::action_name, fr::action_name;
        not_possible_action: fn(&str, &str) -> String = en::not_possible_action, fr::not_possible_action;
        picker_loading: fn(&str) -> String = en::picker_loading, fr::picker_loading;
        picker_none: fn(&str) -> String = en::picker_none, fr::picker_none;
        picker_count: fn(u64, &str) -> String = en::picker_count, fr::picker_count;
        conversations_closed: fn(u64) -> String = en::conversations_closed, fr::conversations_closed;
        conversation_count: fn(u64) -> String = en::conversation_count, fr::conversation_count;
        call_state: fn(CallState) -> &'static str = en::call_state, fr::call_state;
        call_tab: fn(CallTab) -> &'static str = en::call_tab, fr::call_tab;
        accept_call_from: fn(&str) -> String = en::accept_call_from, fr::accept_call_from;
        decline_call_from: fn(&str) -> String = en::decline_call_from, fr::decline_call_from;
        by_owner: fn(&str) -> String = en::by_owner, fr::by_owner;
        last_updated: fn(i64) -> String = en::last_updated, fr::last_updated;
        delete_custom_question: fn(&str) -> String = en::delete_custom_question, fr::delete_custom_question;
        custom_inbox_named: fn(&str) -> String = en::custom_inbox_named, fr::custom_inbox_named;
        created_by_you: fn(&str) -> String = en::created_by_you, fr::created_by_you;
        created_by: fn(&str) -> String = en::created_by, fr::created_by;
        shared_with_people: fn(u64) -> String = en::shared_with_people, fr::shared_with_people;
        recording_capped: fn(&str) -> String = en::recording_capped, fr::recording_capped;
        remove_named: fn(&str) -> String = en::remove_named, fr::remove_named;
        edit_named: fn(&str) -> String = en::edit_named, fr::edit_named;
        delete_named: fn(&str) -> String = en::delete_named, fr::delete_named;
        /// A closing reason's name is too long: the limit in characters.
        reason_too_long: fn(usize) -> String = en::reason_too_long, fr::reason_too_long;
        /// The list has this reason already (its spelling).
        reason_taken: fn(&str) -> String = en::reason_taken, fr::reason_taken;
        /// The rename field of a closing reason.
        rename_reason: fn(&str) -> String = en::rename_reason, fr::rename_reason;
        /// A template's category, in this language.
        template_category_name: fn(Category) -> &'static str = en::template_category_name, fr::template_category_name;
        /// Why a template is refused (the domain's check, in this language).
        template_problem: fn(&TemplateError) -> String = en::template_problem, fr::template_problem;
        /// A saved rule, announced: its name and whether it is on.
        rule_saved: fn(&str, bool) -> String = en::rule_saved, fr::rule_saved;
        /// A rule's on/off switch.
        rule_switch: fn(&str) -> String = en::rule_switch, fr::rule_switch;
        move_up_named: fn(&str) -> String = en::move_up_named, fr::move_up_named;
        move_down_named: fn(&str) -> String = en::move_down_named, fr::move_down_named;
        trigger_text: fn(&Trigger) -> String = en::trigger_text, fr::trigger_text;
        condition_text: fn(&Condition) -> String = en::condition_text, fr::condition_text;
        /// An action, with the name of the user, team or template it names (else its id).
        action_text: fn(&RuleAction, &str) -> String = en::action_text, fr::action_text;
        /// A kind of trigger, condition or action by its wire name, for the pickers.
        rule_part: fn(&str) -> &'static str = en::rule_part, fr::rule_part;
        rule_problem: fn(&RuleError) -> String = en::rule_problem, fr::rule_problem;
        /// Monday is 0.
        weekday: fn(usize) -> &'static str = en::weekday, fr::weekday;
        day_opens: fn(usize) -> String = en::day_opens, fr::day_opens;
        day_closes: fn(usize) -> String = en::day_closes, fr::day_closes;
        /// The field of a template's placeholder `{{n}}`.
        placeholder_value: fn(u32) -> String = en::placeholder_value, fr::placeholder_value;
        /// A message's channel: "via WhatsApp".
        via_channel: fn(&str) -> String = en::via_channel, fr::via_channel;
        /// The reply's channel identity: "Sending from Email (support@…)".
        sending_from: fn(&str) -> String = en::sending_from, fr::sending_from;
        transcript_sent_to: fn(&str) -> String = en::transcript_sent_to, fr::transcript_sent_to;
        /// An AI assist action in the composer's menu and the audit trail.
        assist_action: fn(AssistAction) -> &'static str = en::assist_action, fr::assist_action;
        new_message_from: fn(&str) -> String = en::new_message_from, fr::new_message_from;
        /// A notification: who assigned the agent which conversation (the contact, if known).
        assigned_you: fn(&str, Option<&str>) -> String = en::assigned_you, fr::assigned_you;
        /// A palette inbox's hint: "3 open".
        open_count: fn(u64) -> String = en::open_count, fr::open_count;
        minutes_ago: fn(i64) -> String = en::minutes_ago, fr::minutes_ago;
        /// A refusal with the server's own (English) words, in English only.
        refused_because: fn(&str) -> String = en::refused_because, fr::refused_because;
        conflict_because: fn(&str) -> String = en::conflict_because, fr::conflict_because;
        too_many_because: fn(&str) -> String = en::too_many_because, fr::too_many_because;
        /// A form's refused field, with the server's (English) words for which and why.
        field_refused: fn(&str) -> String = en::field_refused, fr::field_refused;
        refused_status: fn(u16) -> String = en::refused_status, fr::refused_status;
        file_too_large: fn(&str, &str, u64) -> String = en::file_too_large, fr::file_too_large;
        /// Under the reports' period: the time zone days are counted in ("+02:00").
        report_zone: fn(&str) -> String = en::report_zone, fr::report_zone;
    }
}
