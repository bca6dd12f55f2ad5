//! Route components: each reads the URL and the store, and wires store signals and
//! commands to presentational components.

mod calls;
mod clock;
mod contact_panel;
mod conversation_page;
mod custom_inboxes;
mod home_page;
mod inbox_page;
mod no_conversation_page;
mod not_found_page;
mod require_session;
mod shortcuts;
mod sign_in_page;
mod snippets_page;
mod workspace_panel;

pub use calls::{CallsPanel, ContactCalls, InboxCalls};
pub use clock::{provide_clock, use_clock};
pub use conversation_page::ConversationPage;
pub use custom_inboxes::CustomInboxPage;
pub use home_page::HomePage;
pub use inbox_page::InboxPage;
pub use no_conversation_page::NoConversationPage;
pub use not_found_page::NotFoundPage;
pub use require_session::RequireSession;
pub use shortcuts::Shortcuts;
pub use sign_in_page::SignInPage;
pub use snippets_page::SnippetsPage;
pub use workspace_panel::WorkspacePanel;
