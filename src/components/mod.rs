//! Presentational components: they render what their props say and report what the
//! user does through callbacks. None of them imports `api` or `store`.

mod account_bar;
mod avatar;
mod composer;
mod connection_status;
mod contact_sidebar;
mod conversation_header;
mod conversation_list;
mod conversation_list_item;
mod conversation_view;
mod error_banner;
mod side_panel;
mod side_panel_item;
mod sign_in_form;
mod timeline;
mod timeline_message;

pub use account_bar::AccountBar;
pub use avatar::Avatar;
pub use composer::Composer;
pub use connection_status::{Connection, ConnectionStatus};
pub use contact_sidebar::ContactSidebar;
pub use conversation_header::ConversationHeader;
pub use conversation_list::ConversationList;
pub use conversation_list_item::ConversationListItem;
pub use conversation_view::ConversationView;
pub use error_banner::ErrorBanner;
pub use side_panel::SidePanel;
pub use side_panel_item::SidePanelItem;
pub use sign_in_form::SignInForm;
pub use timeline::Timeline;
pub use timeline_message::TimelineMessage;
