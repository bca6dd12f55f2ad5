use parley_domain::inbox::{InboxCount, InboxId, InboxKind};

use super::*;

#[test]
fn tags_pick_french_for_any_french() {
    for (tag, expected) in [
        ("fr", Locale::Fr),
        ("fr-CA", Locale::Fr),
        ("FR-fr", Locale::Fr),
        ("fr_BE", Locale::Fr),
        ("en-US", Locale::En),
        ("de", Locale::En),
        ("fry", Locale::En),
        ("", Locale::En),
    ] {
        assert_eq!(Locale::from_tag(tag), expected, "{tag:?}");
    }
}

#[test]
fn plurals_follow_each_language() {
    for (n, en, fr) in [(0, false, true), (1, true, true), (2, false, false), (21, false, false)] {
        assert_eq!((one_en(n), one_fr(n)), (en, fr), "{n}");
    }
}

#[test]
fn inbox_links_in_both_languages() {
    let (en, fr) = (Locale::En.words(), Locale::Fr.words());
    #[rustfmt::skip]
    let rows = [
        ((6, 1), "All, 6 open, 1 new", "Toutes, 6 ouvertes, 1 nouvelle"),
        ((1, 0), "All, 1 open", "Toutes, 1 ouverte"),
        ((0, 0), "All, 0 open", "Toutes, 0 ouverte"),
        ((2, 3), "All, 2 open, 3 new", "Toutes, 2 ouvertes, 3 nouvelles"),
    ];
    for ((open, new), english, french) in rows {
        assert_eq!((en.inbox_link)("All", open, new), english);
        assert_eq!((fr.inbox_link)("Toutes", open, new), french);
    }
}

#[test]
fn standard_inboxes_take_the_app_s_names() {
    let count = |id, kind, name: &str| InboxCount { id, kind, name: name.into(), open: 0, new: 0 };
    let fr = Locale::Fr.words();
    for (c, expected) in [
        (count(InboxId::All, InboxKind::Standard, "All"), "Toutes"),
        (count(InboxId::Mine, InboxKind::Standard, "Mine"), "À moi"),
        (count(InboxId::Unassigned, InboxKind::Standard, "Unassigned"), "Non attribué"),
        (count(InboxId::Team("t-1".into()), InboxKind::Team, "Support"), "Support"),
    ] {
        assert_eq!((fr.inbox_name)(&c), expected);
        assert_eq!((Locale::En.words().inbox_name)(&c), c.name);
    }
}

#[test]
fn character_counts_are_plural_by_language() {
    let (en, fr) = (Locale::En.words(), Locale::Fr.words());
    for (n, english, french) in [
        (0, "0 characters left", "0 caractère restant"),
        (1, "1 character left", "1 caractère restant"),
        (5, "5 characters left", "5 caractères restants"),
    ] {
        assert_eq!((en.chars_left)(n), english);
        assert_eq!((fr.chars_left)(n), french);
    }
}

#[test]
fn no_french_word_is_left_english_by_mistake() {
    // Same words in both languages are listed here, so a copied English value shows up.
    #[rustfmt::skip]
    const SAME: &[&str] = &[
        "Message", "Messages", "Conversations", "Notifications", "Note", "Tags", "Tag", "Contact", "Action", "Actions",
        "Audio", "Emoji", "Variables", "Contacts", "Agent", "Condition", "Conditions", "Minutes",
    ];
    let (en, fr) = (Locale::En.words(), Locale::Fr.words());
    for (e, f) in en.texts().into_iter().zip(fr.texts()) {
        assert!(e != f || SAME.contains(&e), "{e:?} has no French");
    }
}

#[test]
fn counts_of_conversations_by_language() {
    let (en, fr) = (Locale::En.words(), Locale::Fr.words());
    for (n, english, french) in [
        (0, "0 conversations closed", "0 conversation fermée"),
        (1, "1 conversation closed", "1 conversation fermée"),
        (12, "12 conversations closed", "12 conversations fermées"),
    ] {
        assert_eq!((en.conversations_closed)(n), english);
        assert_eq!((fr.conversations_closed)(n), french);
    }
    assert_eq!((fr.shared_with_people)(1), "partagée avec 1 personne");
    assert_eq!((en.shared_with_people)(2), "shared with 2 people");
    assert_eq!((fr.open_count)(0), "0 ouverte");
}

#[test]
fn list_rows_and_the_audit_trail_read_in_french() {
    use parley_domain::wire::ActivityKind;

    let fr = Locale::Fr.words();
    let row = ItemParts {
        contact: "Alice Martin",
        channel: (fr.channel)(parley_domain::ChannelKind::Email),
        online: true,
        closed: false,
        assignee: Some("Léa Moreau"),
        unread: 2,
        preview: &(fr.own_preview)("D'accord"),
    };
    assert_eq!(
        (fr.conversation_item)(&row),
        "Alice Martin, E-mail, en ligne, attribuée à Léa Moreau, 2 non lus\u{a0}: Vous\u{a0}: D'accord"
    );
    let time = |_| "12 mars 14:05".to_owned();
    #[rustfmt::skip]
    let rows = [
        (ActivityKind::Pending, "Aaron Diallo a mis la conversation en attente"),
        (ActivityKind::Snoozed { until: parley_domain::Timestamp(0), note: None },
            "Aaron Diallo a reporté la conversation jusqu'au 12 mars 14:05"),
        (ActivityKind::BulkResolved { reason: None, older_than_days: 1 },
            "Aaron Diallo a fermé la conversation par une résolution en bloc (sans activité depuis plus de 1 jour)"),
        (ActivityKind::TranscriptSent { to: "alice@example.com".into() },
            "Aaron Diallo a envoyé la transcription à alice@example.com"),
        (ActivityKind::AiAssist { action: parley_domain::assist::AssistAction::FixGrammar },
            "Aaron Diallo a utilisé l'assistant IA\u{a0}: Corriger l'orthographe et la grammaire"),
    ];
    for (kind, expected) in rows {
        assert_eq!((fr.activity)(&kind, "Aaron Diallo", &time), expected);
    }
    assert_eq!((fr.labelled)(fr.reason, fr.spam), "Motif\u{a0}: Indésirable");
}
