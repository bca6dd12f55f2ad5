//! Workflow rules on PostgreSQL: the SQLite implementation's SQL, written once
//! (`storage::rules::rule_store`).

use super::conn::{OptionalExtension, PgConn as Connection, params};
use crate::error::ApiResult;
use parley_domain::rules::{BusinessHours, Rule, RuleInput};
use parley_domain::{ConversationId, RuleId};

crate::storage::rules::rule_store!(Connection, super::conn::Result<_>);
