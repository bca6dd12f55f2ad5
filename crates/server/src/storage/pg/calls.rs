//! Calls, ringing or logged.

use super::conn::{PgConn as Connection, params, parse_enum};
use crate::error::ApiResult;
use parley_domain::{ChannelId, ChannelKind, ContactId, Timestamp, UserId};

use crate::storage::*;

/// Calls matching `condition` (SQL over `calls`/`contacts`, with `params`), newest first.
fn calls_where(
    conn: &Connection,
    condition: &str,
    params: &[&dyn super::conn::ToValue],
    limit: u32,
) -> ApiResult<Vec<parley_domain::call::Call>> {
    use parley_domain::CallId;
    use parley_domain::call::Call;
    let mask = conn.settings()?.mask_numbers;
    let sql = format!(
        "SELECT {CALL_COLUMNS} FROM calls JOIN contacts ON contacts.id = calls.contact_id \
         JOIN channels ON channels.id = calls.channel_id WHERE {condition} ORDER BY calls.seq DESC LIMIT {limit}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, |r| {
        let kind: ChannelKind = parse_enum(&r.get::<_, String>(5)?)?;
        // The caller's number matters on WhatsApp, where it is their identity.
        let phone = r
            .get::<_, Option<String>>(9)?
            .filter(|_| kind == ChannelKind::Whatsapp)
            .map(|p| if mask { parley_domain::call::mask_phone(&p) } else { p });
        Ok(Call {
            id: CallId(r.get(0)?),
            contact: ContactId(r.get(1)?),
            contact_name: r.get(2)?,
            assignee: r.get::<_, Option<String>>(3)?.map(UserId),
            assigned_team: r.get::<_, Option<String>>(14)?.map(parley_domain::TeamId),
            channel: ChannelId(r.get(4)?),
            channel_kind: kind,
            direction: parse_enum(&r.get::<_, String>(6)?)?,
            state: parse_enum(&r.get::<_, String>(7)?)?,
            agent: r.get::<_, Option<String>>(8)?.map(UserId),
            phone,
            started_at: Timestamp(r.get(10)?),
            answered_at: r.get::<_, Option<i64>>(11)?.map(Timestamp),
            ended_at: r.get::<_, Option<i64>>(12)?.map(Timestamp),
            recording: r.get::<_, i64>(13)? != 0,
        })
    })?;
    Ok(rows.collect::<super::conn::Result<_>>()?)
}

impl CallStore for Connection {
    fn call(&self, id: &str) -> ApiResult<Option<parley_domain::call::Call>> {
        Ok(calls_where(self, "calls.id = ?1", &[&id], 1)?.pop())
    }
    fn insert_call(&self, call: &parley_domain::call::Call) -> ApiResult<()> {
        self.execute(
            "INSERT INTO calls (id, contact_id, channel_id, direction, state, agent, started_at, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                call.id.as_str(),
                call.contact.as_str(),
                call.channel.as_str(),
                enum_str(&call.direction),
                enum_str(&call.state),
                call.agent.as_ref().map(UserId::as_str),
                call.started_at.0,
                call.answered_at.map(|t| t.0),
            ],
        )?;
        Ok(())
    }
    fn next_call_id(&self) -> ApiResult<parley_domain::CallId> {
        let n: i64 = self.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM calls", params![], |r| r.get(0))?;
        Ok(parley_domain::CallId(format!("call-{n}")))
    }
    fn update_call(&self, next: &parley_domain::call::Call) -> ApiResult<()> {
        self.execute(
            "UPDATE calls SET state = ?2, agent = ?3, answered_at = ?4, ended_at = ?5, recording = ?6 WHERE id = ?1",
            params![
                next.id.as_str(),
                enum_str(&next.state),
                next.agent.as_ref().map(UserId::as_str),
                next.answered_at.map(|t| t.0),
                next.ended_at.map(|t| t.0),
                next.recording as i64,
            ],
        )?;
        Ok(())
    }
    fn calls(&self, which: Calls<'_>, limit: u32) -> ApiResult<Vec<parley_domain::call::Call>> {
        const LIVE: &str = "calls.state IN ('ringing', 'ongoing')";
        match which {
            Calls::All => calls_where(self, "TRUE", &[], limit),
            Calls::Live => calls_where(self, LIVE, &[], limit),
            Calls::OfContact(c) => calls_where(self, "calls.contact_id = ?1", &[&c.as_str()], limit),
            Calls::Held(scope) => {
                let (clause, params) = super::conversations::scope_sql(scope, "contacts");
                let params: Vec<&dyn super::conn::ToValue> =
                    params.iter().map(|p| p as &dyn super::conn::ToValue).collect();
                calls_where(self, &clause, &params, limit)
            }
            Calls::LiveOfContact(c) => {
                calls_where(self, &format!("calls.contact_id = ?1 AND {LIVE}"), &[&c.as_str()], limit)
            }
        }
    }
}
