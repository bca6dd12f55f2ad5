//! Transport: the only code that knows URLs, headers, status codes and the socket.
//!
//! Everything above this module speaks in domain and wire types and `ApiError`; swapping
//! gloo-net or the socket implementation touches nothing else.

mod calls;
mod config;
mod custom_inboxes;
pub mod embed;
mod error;
mod http;
mod reports;
mod rules;
mod socket;

pub use config::load as load_config;
pub use config::{Config, Embed, Theme, ThemeMode, config};
pub use error::ApiError;
pub use http::{AuthorizedApi, ListQuery, emoji_table, sign_in};
pub use reports::ReportPeriod;
pub use socket::{ConnectionState, Socket, SocketEvent};
