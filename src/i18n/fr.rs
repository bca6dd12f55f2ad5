//! French phrases: the parts of `Words` with numbers and names in them. Plurals by the
//! French rule (0 and 1 are singular); a space before `:` and `;` as French typography
//! wants (no-break, U+00A0).

use parley_domain::assist::AssistAction;
use parley_domain::call::{CallState, CallTab};
use parley_domain::filter::StatusFilter;
use parley_domain::inbox::{InboxCount, InboxId};
use parley_domain::keys::Action;
use parley_domain::rules::{Action as RuleAction, Condition, RuleError, Trigger};
use parley_domain::template::{Category, TemplateError};
use parley_domain::wire::ActivityKind;
use parley_domain::{ChannelKind, Direction, Status, Timestamp};

use crate::format::clock_duration;

use super::one_fr as one;
use super::words::ItemParts;

/// "ouverte" / "ouvertes": `word` and its plural with an `s`.
fn s(n: u64, word: &str) -> String {
    if one(n) { format!("{n} {word}") } else { format!("{n} {word}s") }
}

pub(super) fn inbox_link(name: &str, open: u64, new: u64) -> String {
    let mut out = format!("{name}, {}", s(open, "ouverte"));
    if new > 0 {
        out.push_str(&format!(", {}", s(new, "nouvelle")));
    }
    out
}

pub(super) fn inbox_name(c: &InboxCount) -> String {
    match c.id {
        InboxId::All => "Toutes".into(),
        InboxId::Mine => "À moi".into(),
        InboxId::Unassigned => "Non attribué".into(),
        InboxId::Blocked => "Contacts bloqués".into(),
        _ => c.name.clone(),
    }
}

pub(super) fn status_filter(f: StatusFilter) -> &'static str {
    match f {
        StatusFilter::Open => "Ouvertes",
        StatusFilter::All => "Toutes",
        StatusFilter::Only(s) => status_name(s),
    }
}

pub(super) fn status_name(s: Status) -> &'static str {
    match s {
        Status::New => "Nouvelle",
        Status::Pending => "En attente",
        Status::Snoozed => "Reportée",
        Status::Closed => "Fermée",
    }
}

pub(super) fn channel(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Email => "E-mail",
        ChannelKind::Webchat => "Chat web",
        other => other.label(),
    }
}

pub(super) fn conversation_item(p: &ItemParts) -> String {
    let mut name = format!("{}, {}", p.contact, p.channel);
    if p.online {
        name.push_str(", en ligne");
    }
    if p.closed {
        name.push_str(", fermée");
    }
    if let Some(a) = p.assignee {
        name.push_str(&format!(", attribuée à {a}"));
    }
    if p.unread > 0 {
        name.push_str(&format!(", {}", s(p.unread, "non lu")));
    }
    if !p.preview.is_empty() {
        name.push_str("\u{a0}: ");
        name.push_str(p.preview);
    }
    name
}

pub(super) fn own_preview(text: &str) -> String {
    format!("Vous\u{a0}: {text}")
}

pub(super) fn assigned_to(who: &str) -> String {
    format!("Attribué à {who}")
}

pub(super) fn conversation_with(who: &str) -> String {
    format!("Conversation avec {who}")
}

pub(super) fn snoozed_until(when: &str) -> String {
    format!("Reportée jusqu'au {when}")
}

pub(super) fn typing(who: &str) -> String {
    format!("{who} écrit…")
}

pub(super) fn viewing(who: &str) -> String {
    format!("{who} consulte la conversation")
}

pub(super) fn chars_left(n: i64) -> String {
    let n = n as u64;
    if one(n) { format!("{n} caractère restant") } else { format!("{n} caractères restants") }
}

pub(super) fn chars_over(n: i64, max: usize) -> String {
    let n = n as u64;
    let what = if one(n) { "caractère" } else { "caractères" };
    format!("{n} {what} au-delà de la limite de {max}\u{a0}: raccourcissez le message pour l'envoyer")
}

pub(super) fn minutes_ago(n: i64) -> String {
    format!("{n} min")
}

pub(super) fn transcript_sent_to(to: &str) -> String {
    format!("Transcription envoyée à {to}")
}

pub(super) fn assist_action(action: AssistAction) -> &'static str {
    match action {
        AssistAction::Improve => "Améliorer",
        AssistAction::Shorten => "Raccourcir",
        AssistAction::FixGrammar => "Corriger l'orthographe et la grammaire",
        AssistAction::Translate => "Traduire dans la langue du contact",
        AssistAction::Friendlier => "Rendre plus chaleureux",
        AssistAction::Formal => "Rendre plus formel",
        AssistAction::Summarize => "Résumer la conversation",
    }
}

// The server's words stay English: in French the app says only its own.
pub(super) fn refused_because(_message: &str) -> String {
    "La demande a été refusée.".into()
}

pub(super) fn conflict_because(_message: &str) -> String {
    "Ce n'est pas possible pour le moment.".into()
}

pub(super) fn refused_status(status: u16) -> String {
    format!("La demande a été refusée (HTTP {status}).")
}

pub(super) fn file_too_large(what: &str, size: &str, limit_mb: u64) -> String {
    format!("{what} ({size}) est trop volumineux pour être envoyé\u{a0}: {limit_mb} Mo au plus par fichier.")
}

pub(super) fn too_many_because(_message: &str) -> String {
    "Trop de tentatives. Patientez une minute, puis réessayez.".into()
}

// Which field and why are the server's words: English, but the agent needs them.
pub(super) fn field_refused(message: &str) -> String {
    format!("Valeur refusée ({message}).")
}

pub(super) fn window_closed(hours: i64, channel: &str, others: bool) -> String {
    let other = if others { " ou répondre par un autre canal" } else { "" };
    format!(
        "La fenêtre de service client {channel} de {hours} heures est fermée\u{a0}: une réponse libre sera de nouveau \
         possible quand le contact écrira. Vous pouvez toujours ajouter une note interne{other}."
    )
}

pub(super) fn labelled(label: &str, value: &str) -> String {
    format!("{label}\u{a0}: {value}")
}

pub(super) fn activity(kind: &ActivityKind, who: &str, time: &dyn Fn(Timestamp) -> String) -> String {
    match kind {
        ActivityKind::Opened => "Conversation ouverte".to_owned(),
        ActivityKind::Closed { .. } => format!("{who} a fermé la conversation"),
        ActivityKind::Reopened => format!("{who} a rouvert la conversation"),
        ActivityKind::Assigned { assignee_name, .. } => format!("{who} a attribué la conversation à {assignee_name}"),
        ActivityKind::AssignedTeam { team_name, .. } => {
            format!("{who} a attribué la conversation à l'équipe {team_name}")
        }
        ActivityKind::Unassigned => format!("{who} a retiré l'attribution de la conversation"),
        ActivityKind::Pending => format!("{who} a mis la conversation en attente"),
        ActivityKind::Snoozed { until, .. } => format!("{who} a reporté la conversation jusqu'au {}", time(*until)),
        ActivityKind::Woken { .. } => format!("{who} a réveillé la conversation"),
        ActivityKind::BulkResolved { older_than_days, .. } => {
            let days = if one(u64::from(*older_than_days)) { "jour" } else { "jours" };
            format!(
                "{who} a fermé la conversation par une résolution en bloc (sans activité depuis plus de {older_than_days} {days})"
            )
        }
        ActivityKind::Call { state, direction, duration_ms, .. } => {
            let call = if *direction == Direction::Incoming { "Appel entrant" } else { "Appel sortant" };
            match state {
                CallState::Ongoing if *direction == Direction::Incoming => format!("{call} pris par {who}"),
                CallState::Ongoing => format!("{call} passé par {who}"),
                CallState::Ended => format!("{call} terminé ({})", clock_duration(duration_ms.unwrap_or(0))),
                CallState::Declined => format!("{call} refusé par {who}"),
                CallState::Missed => format!("Appel manqué de {who}"),
                CallState::Ringing => format!("{call} en cours de sonnerie"),
            }
        }
        ActivityKind::TranscriptSent { to } => format!("{who} a envoyé la transcription à {to}"),
        ActivityKind::AiAssist { action } => {
            format!("{who} a utilisé l'assistant IA\u{a0}: {}", assist_action(*action))
        }
        ActivityKind::RuleApplied { action, .. } => {
            format!("{who} (règle)\u{a0}: {}", action_text(action, action.target().unwrap_or_default()))
        }
    }
}

pub(super) fn sla_left(time: &str) -> String {
    format!("SLA\u{a0}: {time} restantes")
}

pub(super) fn sla_due_in(time: &str) -> String {
    format!("SLA\u{a0}: échéance dans {time}")
}

pub(super) fn sla_overdue(time: &str) -> String {
    format!("SLA\u{a0}: en retard de {time}")
}

pub(super) fn added_note(who: &str, text: &str) -> String {
    format!("{who} a ajouté une note\u{a0}: {text}")
}

pub(super) fn merge_into_this(other: &str) -> String {
    format!("Fusionner {other} dans ce contact")
}

pub(super) fn merge_question(other: &str, this: &str) -> String {
    format!(
        "Fusionner {other} dans {this}\u{a0}? Ses conversations passent à {this} et {other} est supprimé. Cette action \
         est irréversible."
    )
}

pub(super) fn attribute_twice(key: &str) -> String {
    format!("Attributs\u{a0}: l'attribut «\u{a0}{key}\u{a0}» est donné deux fois")
}

pub(super) fn remove_attribute(key: &str) -> String {
    format!("Retirer l'attribut {key}")
}

pub(super) fn assignee_of(who: &str) -> String {
    format!("Personne attribuée à {who}\u{a0}:")
}

pub(super) fn action_name(a: Action) -> &'static str {
    match a {
        Action::Reply => "Répondre",
        Action::Note => "Écrire une note interne",
        Action::Assign => "Attribuer",
        Action::Close => "Fermer la conversation",
        Action::Pending => "Mettre en attente",
        Action::Snooze => "Reporter",
    }
}

pub(super) fn not_possible_action(action: &str, status: &str) -> String {
    format!("{action}\u{a0}: impossible, la conversation est {}.", status.to_lowercase())
}

pub(super) fn picker_loading(name: &str) -> String {
    format!("Chargement\u{a0}: {}…", name.to_lowercase())
}

pub(super) fn picker_none(name: &str) -> String {
    format!("Aucun résultat\u{a0}: {}.", name.to_lowercase())
}

pub(super) fn picker_count(n: u64, name: &str) -> String {
    format!("{}\u{a0}: {n}", name)
}

pub(super) fn conversations_closed(n: u64) -> String {
    if one(n) { format!("{n} conversation fermée") } else { format!("{n} conversations fermées") }
}

pub(super) fn conversation_count(n: u64) -> String {
    if one(n) { format!("{n} conversation") } else { format!("{n} conversations") }
}

pub(super) fn call_state(s: CallState) -> &'static str {
    match s {
        CallState::Ringing => "Sonne",
        CallState::Ongoing => "En cours",
        CallState::Ended => "Terminé",
        CallState::Missed => "Manqué",
        CallState::Declined => "Refusé",
    }
}

pub(super) fn call_tab(t: CallTab) -> &'static str {
    match t {
        CallTab::All => "Tous",
        CallTab::Mine => "À moi",
        CallTab::Unassigned => "Non attribué",
    }
}

pub(super) fn accept_call_from(who: &str) -> String {
    format!("Accepter l'appel de {who}")
}

pub(super) fn decline_call_from(who: &str) -> String {
    format!("Refuser l'appel de {who}")
}

pub(super) fn by_owner(who: &str) -> String {
    format!("par {who}")
}

pub(super) fn last_updated(minutes: i64) -> String {
    match minutes {
        0 => "Dernière mise à jour à l'instant".to_owned(),
        m if m < 60 => format!("Dernière mise à jour il y a {m} min"),
        m if m < 60 * 24 => format!("Dernière mise à jour il y a {} h", m / 60),
        m => format!("Dernière mise à jour il y a {} j", m / (60 * 24)),
    }
}

pub(super) fn delete_custom_question(name: &str) -> String {
    format!(
        "Supprimer «\u{a0}{name}\u{a0}»\u{a0}? Elle disparaît pour tous ceux avec qui elle est partagée\u{a0}; les \
         conversations restent."
    )
}

pub(super) fn custom_inbox_named(name: &str) -> String {
    format!("Boîte de réception personnalisée {name}")
}

pub(super) fn created_by_you(sharing: &str) -> String {
    format!("Créée par vous · {sharing}")
}

pub(super) fn created_by(who: &str) -> String {
    format!("Créée par {who}")
}

pub(super) fn shared_with_people(n: u64) -> String {
    if one(n) { format!("partagée avec {n} personne") } else { format!("partagée avec {n} personnes") }
}

pub(super) fn recording_capped(limit: &str) -> String {
    format!("Enregistrement arrêté à la limite de {limit}.")
}

pub(super) fn remove_named(name: &str) -> String {
    format!("Retirer {name}")
}

pub(super) fn edit_named(name: &str) -> String {
    format!("Modifier {name}")
}

pub(super) fn delete_named(name: &str) -> String {
    format!("Supprimer {name}")
}

pub(super) fn new_message_from(who: &str) -> String {
    format!("Nouveau message de {who}")
}

pub(super) fn assigned_you(who: &str, contact: Option<&str>) -> String {
    match contact {
        Some(name) => format!("{who} vous a attribué la conversation avec {name}"),
        None => format!("{who} vous a attribué une conversation"),
    }
}

pub(super) fn open_count(n: u64) -> String {
    if one(n) { format!("{n} ouverte") } else { format!("{n} ouvertes") }
}

pub(super) fn reason_too_long(max: usize) -> String {
    format!("Un motif de clôture a au plus {max} caractères.")
}

pub(super) fn reason_taken(name: &str) -> String {
    format!("La liste contient déjà «\u{a0}{name}\u{a0}».")
}

pub(super) fn rename_reason(name: &str) -> String {
    format!("Nouveau nom pour {name}")
}

pub(super) fn via_channel(channel: &str) -> String {
    format!("via {channel}")
}

pub(super) fn sending_from(identity: &str) -> String {
    format!("Envoi depuis {identity}")
}

pub(super) fn template_category_name(c: Category) -> &'static str {
    match c {
        Category::Marketing => "Marketing",
        Category::Utility => "Service",
        Category::Authentication => "Authentification",
    }
}

pub(super) fn template_problem(e: &TemplateError) -> String {
    match e {
        TemplateError::EmptyName => "Donnez un nom au modèle.".into(),
        TemplateError::NameTooLong { max } => format!("Le nom d'un modèle a au plus {max} caractères."),
        TemplateError::BadLanguage { language } => {
            format!("«\u{a0}{language}\u{a0}» n'est pas un code de langue comme en, fr ou pt_BR.")
        }
        TemplateError::EmptyBody => "Écrivez le texte du modèle.".into(),
        TemplateError::BodyTooLong { chars, max } => {
            format!("Le texte a {chars} caractères\u{a0}; un modèle en a au plus {max}.")
        }
        TemplateError::BadPlaceholder { at } => {
            format!("La variable au caractère {at} n'est pas {{{{1}}}}, {{{{2}}}}… (numérotées à partir de 1).")
        }
        TemplateError::MissingPlaceholder { number } => {
            format!("La variable {{{{{number}}}}} manque\u{a0}: numérotez-les à partir de 1 sans trou.")
        }
    }
}

pub(super) fn placeholder_value(n: u32) -> String {
    format!("Valeur de {{{{{n}}}}}")
}

pub(super) fn team_named(name: &str) -> String {
    format!("Équipe\u{a0}: {name}")
}

pub(super) fn report_zone(offset: &str) -> String {
    format!(
        "Les jours vont de minuit à minuit dans votre fuseau horaire (UTC{offset}). Une médiane est la durée du milieu (la plus courte des deux du milieu)."
    )
}

pub(super) fn rule_saved(name: &str, enabled: bool) -> String {
    format!("Règle «\u{a0}{name}\u{a0}» enregistrée, {}.", if enabled { "activée" } else { "désactivée" })
}

pub(super) fn rule_switch(name: &str) -> String {
    format!("Exécuter «\u{a0}{name}\u{a0}»")
}

pub(super) fn move_up_named(name: &str) -> String {
    format!("Monter «\u{a0}{name}\u{a0}»")
}

pub(super) fn move_down_named(name: &str) -> String {
    format!("Descendre «\u{a0}{name}\u{a0}»")
}

pub(super) fn trigger_text(t: &Trigger) -> String {
    match t {
        Trigger::NoReply(n) => format!("Quand le contact attend une réponse depuis {n}\u{a0}min"),
        other => format!("Quand {}", rule_part(other.kind()).to_lowercase()),
    }
}

pub(super) fn condition_text(c: &Condition) -> String {
    match c {
        Condition::Channel(kind) => format!("le canal est {}", kind.label()),
        Condition::HasTag(tag) => format!("le contact a l'étiquette {tag}"),
        Condition::LacksTag(tag) => format!("le contact n'a pas l'étiquette {tag}"),
        Condition::Status(s) => format!("le statut est {}", status_name(*s).to_lowercase()),
        Condition::InsideHours => "pendant les heures d'ouverture".into(),
        Condition::OutsideHours => "en dehors des heures d'ouverture".into(),
    }
}

pub(super) fn action_text(a: &RuleAction, target: &str) -> String {
    match a {
        RuleAction::AssignUser(_) => format!("attribuer à {target}"),
        RuleAction::AssignTeam(_) => format!("attribuer à l'équipe {target}"),
        RuleAction::RoundRobin(_) => format!("attribuer à tour de rôle aux membres disponibles de {target}"),
        RuleAction::AddTag(tag) => format!("ajouter l'étiquette {tag}"),
        RuleAction::RemoveTag(tag) => format!("retirer l'étiquette {tag}"),
        RuleAction::AutoReply(text) => format!("répondre «\u{a0}{text}\u{a0}»"),
        RuleAction::SendTemplate(_) => format!("envoyer le modèle {target}"),
        RuleAction::Close => "fermer".into(),
        RuleAction::Snooze(n) => format!("reporter de {n}\u{a0}min"),
        RuleAction::AutoAssign => "attribuer à tour de rôle aux agents disponibles".into(),
        RuleAction::Unassign => "retirer l'attribution".into(),
    }
}

pub(super) fn rule_part(name: &str) -> &'static str {
    match name {
        "conversation_opened" => "Une conversation s'ouvre",
        "message_received" => "Un message arrive",
        "conversation_closed" => "Une conversation se ferme",
        "no_reply" => "Pas de réponse depuis quelques minutes",
        "channel" => "Le canal est",
        "has_tag" => "Le contact a l'étiquette",
        "lacks_tag" => "Le contact n'a pas l'étiquette",
        "status" => "Le statut est",
        "inside_hours" => "Pendant les heures d'ouverture",
        "outside_hours" => "En dehors des heures d'ouverture",
        "assign_user" => "Attribuer à un utilisateur",
        "assign_team" => "Attribuer à une équipe",
        "round_robin" => "Tour de rôle dans une équipe",
        "add_tag" => "Ajouter l'étiquette",
        "remove_tag" => "Retirer l'étiquette",
        "auto_reply" => "Envoyer une réponse automatique",
        "send_template" => "Envoyer un modèle",
        "close" => "Fermer",
        "snooze" => "Reporter (minutes)",
        "auto_assign" => "Attribuer aux agents disponibles",
        "unassign" => "Retirer l'attribution",
        _ => "",
    }
}

pub(super) fn rule_problem(e: &RuleError) -> String {
    use parley_domain::rules::{MAX_MINUTES, MAX_NAME_CHARS, MAX_PARTS};
    match e {
        RuleError::EmptyName => "Donnez un nom à la règle.".into(),
        RuleError::NameTooLong => format!("Le nom d'une règle a au plus {MAX_NAME_CHARS} caractères."),
        RuleError::NoActions => "Ajoutez au moins une action.".into(),
        RuleError::TooMany { .. } => format!("Au plus {MAX_PARTS} conditions et {MAX_PARTS} actions."),
        RuleError::BadMinutes { .. } => format!("Les minutes vont de 1 à {MAX_MINUTES}."),
        RuleError::BadTag { tag, .. } => {
            format!("«\u{a0}{tag}\u{a0}» n'est pas une étiquette (lettres, chiffres, - et _).")
        }
        RuleError::BadReply => "Écrivez la réponse automatique.".into(),
        RuleError::ContradictoryHours => {
            "Une règle ne peut pas demander à la fois pendant et en dehors des heures d'ouverture.".into()
        }
        RuleError::Builtin => "Une règle intégrée peut seulement être activée ou désactivée.".into(),
        RuleError::BadTimeZone => "Donnez un fuseau horaire comme Europe/Paris.".into(),
        RuleError::BadDay { day } => format!("{}\u{a0}: l'ouverture doit précéder la fermeture.", weekday(*day)),
    }
}

pub(super) fn weekday(day: usize) -> &'static str {
    ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"].get(day).copied().unwrap_or("")
}

pub(super) fn day_opens(day: usize) -> String {
    format!("{}, ouverture", weekday(day))
}

pub(super) fn day_closes(day: usize) -> String {
    format!("{}, fermeture", weekday(day))
}
