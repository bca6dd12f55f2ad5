//! State: the only writer of shared state. Views read signals from the [`Store`] handle
//! and call its commands; socket frames and command results are applied here.

mod apply;
mod attention;
mod calls;
mod commands;
mod composer;
mod contacts;
mod custom_inboxes;
mod live;
mod media;
mod outbox;
mod palette;
mod presence;
mod state;
mod storage;
mod words;

/// The live connection's state, as views read it from [`Store::connection`].
pub use crate::api::ConnectionState;
pub use attention::NotifyPrefs;
pub use composer::Loaded;
pub use custom_inboxes::CustomList;
pub use palette::{Found, KeyDialog, Palette, provide_palette, use_palette};
pub use state::{OpenConversation, Selection, SessionState, Store, Upload, provide_store, use_store};
pub use words::describe;
