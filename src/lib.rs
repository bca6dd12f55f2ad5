//! Parley, the agent-facing team inbox: a Leptos client-side app.
//!
//! Layers point one way: `components` (presentational) ← `views` (routes, wiring) ←
//! `store` (the only writer of shared state) ← `api` (the only code that knows HTTP and
//! the socket) ← `parley_domain` (model, wire types and rules).

pub mod api;
pub mod components;
mod embed;
pub mod format;
pub mod i18n;
pub mod router;
pub mod store;
mod theme;
pub mod views;

use leptos::prelude::*;

use crate::i18n::Localized;
use crate::router::{Page, provide_router, use_route};
use crate::store::provide_store;
use crate::views::{CustomInboxPage, HomePage, InboxPage, NotFoundPage, SignInPage};

/// The whole app: the store, then the routes. Every screen is reachable by URL, so a
/// reload or the back button lands where the user was.
#[component]
pub fn App() -> impl IntoView {
    let portal = embed::portal_origins();
    provide_store(portal.is_some());
    provide_router();
    if let Some(allowed) = portal {
        embed::start(allowed);
    }
    let route = use_route();
    // A page stays mounted while only its parameters change.
    let page = Memo::new(move |_| route.with(router::Route::page));
    let pages = move || match page.get() {
        Page::Home => view! { <HomePage /> }.into_any(),
        Page::SignIn => view! { <SignInPage /> }.into_any(),
        Page::Snippets => lazy_page(lazy::snippets),
        Page::ClosingReasons => lazy_page(lazy::closing_reasons),
        Page::Templates => lazy_page(lazy::templates),
        Page::Reports => lazy_page(lazy::reports),
        Page::Rules => lazy_page(lazy::rules),
        Page::Inbox => view! { <InboxPage /> }.into_any(),
        Page::Custom => view! { <CustomInboxPage /> }.into_any(),
        Page::Contacts => lazy_page(lazy::contacts),
        Page::NotFound => view! { <NotFoundPage /> }.into_any(),
    };
    view! { <Localized>{pages}</Localized> }
}

/// A page whose code is fetched the first time it is shown (a chunk of the wasm, see
/// crates/xtask/src/split.rs): the contacts, settings and reports pages stay out of an
/// agent's first load.
fn lazy_page<F: std::future::Future<Output = AnyView> + Send + 'static>(load: fn() -> F) -> AnyView {
    lazy_view(load, || {
        view! {
            <main class="splash">
                <p role="status">{i18n::t().loading_parley}</p>
            </main>
        }
        .into_any()
    })
}

/// What `load` returns, with `waiting` in its place until its chunk has arrived.
pub(crate) fn lazy_view<F: std::future::Future<Output = AnyView> + Send + 'static>(
    load: impl FnOnce() -> F + Send + 'static,
    waiting: fn() -> AnyView,
) -> AnyView {
    // Not a `<Suspense>`: it would also wait for every resource the view reads, and show
    // its fallback again (unmounting the view, its focus and its status line) whenever
    // one reloads.
    let loading = RwSignal::new(true);
    let loaded = Suspend::new(async move {
        let loaded = load().await;
        loading.set(false);
        loaded
    });
    view! {
        {move || loading.get().then(waiting)}
        {loaded}
    }
    .into_any()
}

/// The lazy views: each `#[lazy]` function is a split point, so its view and whatever
/// only it uses move into its own chunk.
pub(crate) mod lazy {
    use leptos::prelude::*;

    use crate::components::{
        CommandPalette, CommandPaletteProps, CustomInboxForm, CustomInboxFormProps, ShortcutHelp, ShortcutHelpProps,
    };
    use crate::views::{
        ClosingReasonsPage, ContactsPage, ConversationPage, ReportsPage, RulesPage, SnippetsPage, TemplatesPage,
    };

    /// The open conversation: its timeline, composer and pickers, AI assist, the voice
    /// recorder and the contact sidebar. The inbox's list shows without them.
    #[lazy]
    pub fn conversation() -> AnyView {
        view! { <ConversationPage /> }.into_any()
    }
    /// Fetches the open conversation's chunk before the first click on a conversation.
    pub fn preload_conversation() {
        leptos::task::spawn_local(__preload_conversation());
    }

    #[lazy]
    pub fn contacts() -> AnyView {
        view! { <ContactsPage /> }.into_any()
    }
    /// The custom-inbox dialog's form, opened by New or Edit in the side panel.
    #[lazy]
    pub fn custom_inbox_form(props: CustomInboxFormProps) -> AnyView {
        CustomInboxForm(props).into_any()
    }
    /// The keyboard dialogs (`?` and Ctrl+K), fetched while the inbox is idle: a key
    /// typed while one loaded would reach the shortcuts under it.
    #[lazy]
    pub fn command_palette(props: CommandPaletteProps) -> AnyView {
        CommandPalette(props).into_any()
    }
    #[lazy]
    pub fn shortcut_help(props: ShortcutHelpProps) -> AnyView {
        ShortcutHelp(props).into_any()
    }
    pub fn preload_key_dialogs() {
        leptos::task::spawn_local(async {
            __preload_command_palette().await;
            __preload_shortcut_help().await;
        });
    }
    /// A custom inbox's list column (`/custom/:id`), beside the side panel.
    #[lazy]
    pub fn custom_inbox_column(
        id: Memo<parley_domain::CustomInboxId>,
        editing: RwSignal<Option<crate::views::CustomEditing>>,
    ) -> AnyView {
        view! { <crate::views::CustomInboxColumn id editing /> }.into_any()
    }
    /// The list column's Calls tab.
    #[lazy]
    pub fn inbox_calls(props: crate::views::InboxCallsProps) -> AnyView {
        crate::views::InboxCalls(props).into_any()
    }
    /// The calls section of the side panel, for users who handle calls: fetched as the
    /// panel shows, so the inbox does not wait for it.
    #[lazy]
    pub fn calls_panel() -> AnyView {
        crate::views::CallsPanelInner().into_any()
    }
    #[lazy]
    pub fn snippets() -> AnyView {
        view! { <SnippetsPage /> }.into_any()
    }
    #[lazy]
    pub fn closing_reasons() -> AnyView {
        view! { <ClosingReasonsPage /> }.into_any()
    }
    #[lazy]
    pub fn templates() -> AnyView {
        view! { <TemplatesPage /> }.into_any()
    }
    #[lazy]
    pub fn reports() -> AnyView {
        view! { <ReportsPage /> }.into_any()
    }
    #[lazy]
    pub fn rules() -> AnyView {
        view! { <RulesPage /> }.into_any()
    }
}

/// Mounts the app once config.json is read.
pub fn start() {
    theme::apply(&api::config().theme);
    if let Some(tag) = &api::config().locale {
        i18n::offer(i18n::Locale::from_tag(tag));
    }
    leptos::mount::mount_to_body(App);
    // index.html's shell (brand and "Loading…", painted before the wasm had arrived) gives
    // way to the app, in the same task as the mount: no frame shows both or neither.
    if let Some(shell) = document().get_element_by_id("boot") {
        shell.remove();
    }
}

/// A config.json that cannot be used: the shell says so, instead of a blank page.
pub fn cannot_start(problem: &str) {
    let french = window().navigator().language().is_some_and(|l| l.starts_with("fr"));
    let (title, advice) = if french {
        (
            "Parley ne peut pas démarrer.",
            "La personne qui héberge Parley peut corriger config.json, à côté d'index.html.",
        )
    } else {
        ("Parley cannot start.", "Whoever hosts Parley can fix config.json, next to index.html.")
    };
    let Some(status) = document().query_selector("#boot [role=status]").ok().flatten() else { return };
    let _ = status.set_attribute("role", "alert");
    status.set_text_content(Some(&format!("{title} {problem} {advice}")));
}
