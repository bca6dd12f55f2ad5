//! The preferences slice: what the agent chose in this browser (the audit trail in
//! timelines, desktop notifications, the sound), the alerts those choices allow, and
//! copying text to the clipboard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::ConversationId;
use parley_domain::wire::Event;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationPermission};

use super::attention::{Alerts, alerts, show_notification, tab_has_focus};
use super::session::Session;
use super::storage::{load_notify_prefs, load_show_activities, save_notify_prefs, save_show_activities};

/// What the agent wants to be told about new things, per browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotifyPrefs {
    /// Desktop notifications (off until the agent turns them on: the browser asks then).
    pub desktop: bool,
    /// A short tone (on by default: it needs no permission).
    pub sound: bool,
}

impl Default for NotifyPrefs {
    fn default() -> Self {
        NotifyPrefs { desktop: false, sound: true }
    }
}

/// The preferences handle (`Copy`; see [`super::use_preferences`]).
#[derive(Clone, Copy)]
pub struct Preferences {
    session: Session,
    /// Whether the timeline shows the audit trail (persisted).
    show_activities: RwSignal<bool>,
    /// Desktop notifications and sound (persisted per browser).
    notify: RwSignal<NotifyPrefs>,
    /// The audio context of the notification sound, made on first use.
    alerts: StoredValue<Alerts, LocalStorage>,
}

impl Preferences {
    pub(super) fn new(session: Session) -> Self {
        Self {
            session,
            show_activities: RwSignal::new(load_show_activities()),
            notify: RwSignal::new(load_notify_prefs()),
            alerts: StoredValue::new_local(Alerts::default()),
        }
    }

    pub fn show_activities(&self) -> Signal<bool> {
        self.show_activities.into()
    }

    /// Shows or hides the audit trail in every timeline, and remembers the choice.
    pub fn set_show_activities(self, show: bool) {
        save_show_activities(show);
        self.show_activities.set(show);
    }

    pub fn notify_prefs(&self) -> Signal<NotifyPrefs> {
        self.notify.into()
    }

    /// Turns desktop notifications on or off. Turning them on asks the browser's
    /// permission (only then, never on load); a refusal leaves them off and says why.
    pub fn set_desktop_notifications(self, on: bool) {
        if !on || Notification::permission() == NotificationPermission::Granted {
            self.save(|p| p.desktop = on);
            return;
        }
        if Notification::permission() == NotificationPermission::Denied {
            self.blocked_notifications();
            return;
        }
        spawn_local(async move {
            if let Ok(asked) = Notification::request_permission() {
                let _ = JsFuture::from(asked).await;
            }
            if Notification::permission() == NotificationPermission::Granted {
                self.save(|p| p.desktop = true);
            } else {
                self.blocked_notifications();
            }
        });
    }

    pub fn set_sound(self, on: bool) {
        self.save(|p| p.sound = on);
        if on {
            // Played once, as the agent's own gesture, so the browser lets it sound later.
            self.alerts.update_value(|a| {
                let _ = a.chime();
            });
        }
    }

    /// The agent's language (account menu): the app re-renders in it, and it is kept.
    pub fn set_locale(self, locale: crate::i18n::Locale) {
        crate::i18n::choose(locale);
    }

    /// Copies `text` to the clipboard and says "Copied".
    pub fn copy_text(self, text: String) {
        let Some(window) = web_sys::window() else { return };
        let promise = window.navigator().clipboard().write_text(&text);
        let session = self.session;
        spawn_local(async move {
            match JsFuture::from(promise).await {
                Ok(_) => session.announce(crate::i18n::t().copied.to_owned()),
                Err(_) => session.report(crate::i18n::t().copy_refused.to_owned()),
            }
        });
    }

    /// Tells the agent about what in `events` concerns them, as their preferences say;
    /// nothing about `looking_at` while this tab has the focus. A notification's click
    /// runs `open`.
    pub(super) fn alert(self, events: &[Event], looking_at: Option<ConversationId>, open: Callback<ConversationId>) {
        let Some(me) = self.session.user_id() else { return };
        let looking_at = looking_at.filter(|_| tab_has_focus());
        let found = alerts(events, &me, looking_at.as_ref());
        if found.is_empty() {
            return;
        }
        let prefs = self.notify.get_untracked();
        if prefs.sound {
            self.alerts.update_value(|a| {
                let _ = a.chime();
            });
        }
        if prefs.desktop && Notification::permission() == NotificationPermission::Granted {
            for alert in &found {
                let _ = show_notification(alert, open);
            }
        }
    }

    fn save(self, change: impl FnOnce(&mut NotifyPrefs)) {
        self.notify.update(change);
        save_notify_prefs(self.notify.get_untracked());
    }

    fn blocked_notifications(self) {
        self.save(|p| p.desktop = false);
        self.session.report(crate::i18n::t().notifications_blocked.to_owned());
    }
}
