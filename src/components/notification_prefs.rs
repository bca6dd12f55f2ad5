//! "Notifications": the agent's choice of desktop notifications and sound, behind a
//! disclosure button so that the account bar stays small.

use leptos::prelude::*;

#[component]
pub fn NotificationPrefs(
    #[prop(into)] desktop: Signal<bool>,
    #[prop(into)] sound: Signal<bool>,
    on_desktop: Callback<bool>,
    on_sound: Callback<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(false);
    view! {
        <div class="notification-prefs">
            <button
                type="button"
                class="button button--quiet button--small"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="notification-prefs"
                on:click=move |_| open.update(|o| *o = !*o)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                {t.notifications}
            </button>
            <Show when=move || open.get()>
                <div
                    class="notification-prefs__panel"
                    id="notification-prefs"
                    role="group"
                    aria-labelledby="notification-prefs-title"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            open.set(false);
                        }
                    }
                >
                    <p class="notification-prefs__title" id="notification-prefs-title">
                        {t.notifications_title}
                    </p>
                    <label>
                        <input
                            type="checkbox"
                            prop:checked=desktop
                            on:change=move |ev| on_desktop.run(event_target_checked(&ev))
                        />
                        {t.desktop_notifications}
                    </label>
                    <label>
                        <input
                            type="checkbox"
                            prop:checked=sound
                            on:change=move |ev| on_sound.run(event_target_checked(&ev))
                        />
                        {t.sound}
                    </label>
                </div>
            </Show>
        </div>
    }
}
