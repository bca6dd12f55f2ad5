//! Presentational components: they render what their props say and report what the
//! user does through callbacks. None of them imports `api` or `store`.

mod account_bar;
mod avatar;
mod close_dialog;
mod composer;
mod connection_status;
mod contact_sidebar;
mod conversation_header;
mod conversation_list;
mod conversation_list_item;
mod conversation_view;
mod error_banner;
mod modal;
mod presence_status;
mod side_panel;
mod side_panel_item;
mod sign_in_form;
mod sla_icon;
mod snooze_dialog;
mod timeline;
mod timeline_activity;
mod timeline_message;
mod timeline_note;

pub use account_bar::AccountBar;
pub use avatar::Avatar;
pub use close_dialog::CloseDialog;
pub use composer::Composer;
pub use connection_status::{Connection, ConnectionStatus};
pub use contact_sidebar::ContactSidebar;
pub use conversation_header::ConversationHeader;
pub use conversation_list::ConversationList;
pub use conversation_list_item::ConversationListItem;
pub use conversation_view::ConversationView;
pub use error_banner::ErrorBanner;
pub use modal::Modal;
pub use presence_status::PresenceStatus;
pub use side_panel::SidePanel;
pub use side_panel_item::SidePanelItem;
pub use sign_in_form::SignInForm;
pub use sla_icon::SlaIcon;
pub use snooze_dialog::SnoozeDialog;
pub use timeline::Timeline;
pub use timeline_activity::TimelineActivity;
pub use timeline_message::TimelineMessage;
pub use timeline_note::TimelineNote;
