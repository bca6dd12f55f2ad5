//! Team reports: the statements of storage/reports.rs, unchanged (both dialects agree).

use super::conn::{PgConn, params};
use crate::error::ApiResult;
use crate::storage::reports::{GroupRow, ReportQuery, ReportStore, days_sql, groups_sql, report_store};

report_store!(PgConn, super::conn::Result<Vec<_>>);
