//! Uploads that no message took.

pub use crate::storage::forget_orphan_uploads;
