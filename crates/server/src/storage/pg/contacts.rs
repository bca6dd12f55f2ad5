//! Contacts.

use super::conn::{OptionalExtension, PgConn as Connection, Row, params, parse_json};
use crate::error::ApiResult;
use parley_domain::{Assignee, Contact, ContactId, ConversationId, TeamId, UserId};

use parley_domain::ChannelId;

use crate::storage::*;

fn contact_from_row(r: &Row<'_>) -> super::conn::Result<Contact> {
    Ok(Contact {
        id: ContactId(r.get("id")?),
        name: r.get("name")?,
        phone: r.get("phone")?,
        email: r.get("email")?,
        country: r.get("country")?,
        language: r.get("language")?,
        assignee: r.get::<_, Option<String>>("assignee")?.map(UserId),
        assigned_team: r.get::<_, Option<String>>("assigned_team")?.map(TeamId),
        blocked: r.get("blocked")?,
        channels: parse_json(&r.get::<_, String>("channels")?)?,
        online: r.get("online")?,
        tags: parse_json(&r.get::<_, String>("tags")?)?,
        attributes: parse_json(&r.get::<_, String>("attributes")?)?,
    })
}

const POSTGRES: SearchDialect =
    SearchDialect { json_strings: super::conversations::JSON_STRINGS, fence: "OFFSET 0", unindexed: "" };

impl ContactStore for Connection {
    fn set_search_terms(&self, contact: &ContactId, sort_name: &str, terms: &[String]) -> ApiResult<()> {
        // The sort key first: the terms copy it from the contact.
        self.execute("DELETE FROM contact_terms WHERE contact_id = ?1", [contact.as_str()])?;
        self.execute("UPDATE contacts SET sort_name = ?2 WHERE id = ?1", params![contact.as_str(), sort_name])?;
        insert_terms(self, contact.as_str(), terms)?;
        Ok(())
    }
    fn search_contacts(&self, search: &ContactSearch) -> ApiResult<Vec<(String, Contact)>> {
        let broad = match search.count_sql::<super::conn::Value>() {
            Some((sql, params)) => {
                self.prepare_cached(&sql)?.query_row(params, |r| r.get::<_, i64>(0))? >= ContactSearch::BROAD_TERMS
            }
            None => false,
        };
        let (sql, params) = search.sql::<super::conn::Value>(broad, &POSTGRES);
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, |r| Ok((r.get("sort_name")?, contact_from_row(r)?)))?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn contact_names(&self) -> ApiResult<Vec<ContactName>> {
        let mut stmt = self.prepare_cached("SELECT id, name, assignee, blocked, assigned_team FROM contacts")?;
        let rows = stmt.query_map(params![], |r| {
            Ok(ContactName {
                id: ContactId(r.get(0)?),
                name: r.get(1)?,
                assignee: Assignee::of(
                    r.get::<_, Option<String>>(2)?.map(UserId).as_ref(),
                    r.get::<_, Option<String>>(4)?.map(TeamId).as_ref(),
                ),
                blocked: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn contacts_by_ids(&self, ids: &[ContactId]) -> ApiResult<Vec<Contact>> {
        let json = serde_json::to_string(ids).expect("ids serialise");
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN (SELECT value FROM json_array_elements_text(?1::json))"
        ))?;
        Ok(stmt.query_map([json], contact_from_row)?.collect::<super::conn::Result<_>>()?)
    }
    fn contacts(&self) -> ApiResult<Vec<Contact>> {
        let mut stmt = self.prepare(&format!("SELECT {CONTACT_COLUMNS} FROM contacts ORDER BY name, id"))?;
        let rows = stmt.query_map(params![], contact_from_row)?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn contact(&self, id: &ContactId) -> ApiResult<Option<Contact>> {
        Ok(self
            .query_row(
                &format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1"),
                [id.as_str()],
                contact_from_row,
            )
            .optional()?)
    }
    fn crm_values(&self, contact: &ContactId) -> ApiResult<std::collections::HashMap<String, String>> {
        let mut stmt = self.prepare_cached("SELECT key, value FROM crm_values WHERE contact_id = ?1")?;
        let rows = stmt.query_map([contact.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn set_crm_value(&self, contact: &ContactId, key: &str, value: Option<&str>) -> ApiResult<()> {
        match value {
            Some(v) => self.execute(
                "INSERT INTO crm_values (contact_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT(contact_id, key) DO UPDATE SET value = excluded.value",
                params![contact.as_str(), key, v],
            )?,
            None => self
                .execute("DELETE FROM crm_values WHERE contact_id = ?1 AND key = ?2", params![contact.as_str(), key])?,
        };
        Ok(())
    }
    fn conversations_of(&self, contact: &ContactId) -> ApiResult<Vec<ConversationId>> {
        let mut stmt =
            self.prepare_cached("SELECT id FROM conversations WHERE contact_id = ?1 ORDER BY last_activity_at")?;
        let rows = stmt.query_map([contact.as_str()], |r| Ok(ConversationId(r.get(0)?)))?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn open_conversation_of(&self, contact: &ContactId) -> ApiResult<Option<ConversationId>> {
        Ok(self
            .query_row(
                "SELECT id FROM conversations WHERE contact_id = ?1 AND status != 'closed'",
                [contact.as_str()],
                |r| Ok(ConversationId(r.get(0)?)),
            )
            .optional()?)
    }
    fn latest_conversation_of(&self, contact: &ContactId) -> ApiResult<Option<ConversationId>> {
        Ok(self
            .query_row(
                "SELECT id FROM conversations WHERE contact_id = ?1 ORDER BY last_activity_at DESC LIMIT 1",
                [contact.as_str()],
                |r| Ok(ConversationId(r.get(0)?)),
            )
            .optional()?)
    }
    fn set_contact_assignee(&self, contact: &ContactId, assignee: Option<&Assignee>) -> ApiResult<()> {
        self.execute(
            "UPDATE contacts SET assignee = ?2, assigned_team = ?3 WHERE id = ?1",
            params![
                contact.as_str(),
                assignee.and_then(Assignee::user).map(UserId::as_str),
                assignee.and_then(Assignee::team).map(TeamId::as_str)
            ],
        )?;
        Ok(())
    }
    fn waiting_for_assignment(&self) -> ApiResult<Vec<ContactId>> {
        let mut stmt = self.prepare_cached(
            "SELECT k.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
             WHERE c.status = 'new' AND k.assignee IS NULL AND k.assigned_team IS NULL AND k.blocked = 0 ORDER BY c.opened_at, c.id",
        )?;
        let rows = stmt.query_map(params![], |r| Ok(ContactId(r.get(0)?)))?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn set_online(&self, contact: &ContactId, online: bool) -> ApiResult<()> {
        self.execute("UPDATE contacts SET online = ?2 WHERE id = ?1", params![contact.as_str(), online])?;
        Ok(())
    }
    fn set_blocked(&self, contact: &ContactId, blocked: bool) -> ApiResult<()> {
        self.execute("UPDATE contacts SET blocked = ?2 WHERE id = ?1", params![contact.as_str(), blocked])?;
        Ok(())
    }
    fn edit_contact(&self, contact: &ContactId, edit: ContactEdit) -> ApiResult<()> {
        if let Some(name) = edit.name {
            self.execute("UPDATE contacts SET name = ?2 WHERE id = ?1", params![contact.as_str(), name])?;
        }
        // Column names are fixed here, never from the request.
        let tags = edit.tags.map(|t| Some(serde_json::to_string(&t).expect("serialisable")));
        let attributes = edit.attributes.map(|a| Some(serde_json::to_string(&a).expect("serialisable")));
        for (column, value) in [
            ("phone", edit.phone),
            ("email", edit.email),
            ("country", edit.country),
            ("language", edit.language),
            ("tags", tags),
            ("attributes", attributes),
        ] {
            if let Some(value) = value {
                self.execute(
                    &format!("UPDATE contacts SET {column} = ?2 WHERE id = ?1"),
                    params![contact.as_str(), value],
                )?;
            }
        }
        Ok(())
    }
    fn merge_contacts(
        &self,
        primary: &ContactId,
        secondary: &Contact,
        channels: &[ChannelId],
        tags: &[String],
        attributes: &std::collections::BTreeMap<String, String>,
    ) -> ApiResult<()> {
        self.execute(
            "UPDATE contacts SET phone = COALESCE(phone, ?2), email = COALESCE(email, ?3), country = COALESCE(country, ?4),
             language = COALESCE(language, ?5), channels = ?7, tags = ?8, attributes = ?9,
             assignee = CASE WHEN assignee IS NULL AND assigned_team IS NULL THEN ?6 ELSE assignee END,
             assigned_team = CASE WHEN assignee IS NULL AND assigned_team IS NULL THEN ?10 ELSE assigned_team END
             WHERE id = ?1",
            params![
                primary.as_str(),
                secondary.phone,
                secondary.email,
                secondary.country,
                secondary.language,
                secondary.assignee.as_ref().map(UserId::as_str),
                serde_json::to_string(channels).expect("serialisable"),
                serde_json::to_string(tags).expect("serialisable"),
                serde_json::to_string(attributes).expect("serialisable"),
                secondary.assigned_team.as_ref().map(TeamId::as_str),
            ],
        )?;
        self.execute(
            "UPDATE conversations SET contact_id = ?1 WHERE contact_id = ?2",
            params![primary.as_str(), secondary.id.as_str()],
        )?;
        // The secondary's calls and CRM values move too (deleting it would cascade them
        // away); the primary's value wins where both have one.
        self.execute(
            "UPDATE calls SET contact_id = ?1 WHERE contact_id = ?2",
            params![primary.as_str(), secondary.id.as_str()],
        )?;
        self.execute(
            "INSERT INTO crm_values (contact_id, key, value) SELECT ?1, key, value FROM crm_values WHERE contact_id = ?2
             ON CONFLICT DO NOTHING",
            params![primary.as_str(), secondary.id.as_str()],
        )?;
        self.execute("DELETE FROM contacts WHERE id = ?1", [secondary.id.as_str()])?;
        Ok(())
    }
    fn insert_visitors(&self, count: u32, channel: &ChannelId, seq: u64, now: i64) -> ApiResult<()> {
        let channels = serde_json::to_string(&[channel]).expect("serialisable");
        let mut contact =
            self.prepare_cached("INSERT INTO contacts (id, name, channels, sort_name) VALUES (?1, ?2, ?3, ?4)")?;
        let mut conversation = self.prepare_cached(
            "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at, last_activity_at, last_incoming_seq, unread, version, awaiting_since)
             VALUES (?1, ?2, ?3, 'new', ?4, ?4, ?5, 1, ?5, ?4)",
        )?;
        let mut message = self.prepare_cached(
            "INSERT INTO messages (id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery)
             VALUES (?1, ?2, ?3, 'incoming', 'contact', ?4, ?5, ?6, ?7, 'delivered')",
        )?;
        for n in 1..=count {
            let (contact_id, conversation_id) = (format!("k-bulk-{seq}-{n}"), format!("cv-bulk-{seq}-{n}"));
            let name = format!("Visitor {n}");
            let at = now - i64::from(n) * 1000;
            let (sort_name, terms) = visitor_terms(&name);
            contact.execute(params![contact_id, name, channels, sort_name])?;
            insert_terms(self, &contact_id, &terms)?;
            conversation.execute(params![conversation_id, contact_id, channel.as_str(), at, seq as i64])?;
            let text = format!("Hello, this is visitor {n}");
            message.execute(params![
                format!("m-bulk-{seq}-{n}"),
                conversation_id,
                channel.as_str(),
                contact_id,
                name,
                text,
                at
            ])?;
        }
        Ok(())
    }
    fn contacts_on_channel(&self, channel: &ChannelId) -> ApiResult<Vec<Contact>> {
        let mut stmt =
            self.prepare_cached(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE EXISTS (SELECT 1 FROM json_array_elements_text(channels::json) AS c(v) WHERE c.v = ?1)"))?;
        Ok(stmt.query_map([channel.as_str()], contact_from_row)?.collect::<super::conn::Result<_>>()?)
    }
    fn insert_contact(&self, c: &Contact) -> ApiResult<()> {
        self.execute(
            "INSERT INTO contacts (id, name, phone, email, assignee, channels, tags, attributes, assigned_team)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.id.as_str(),
                c.name,
                c.phone,
                c.email,
                c.assignee.as_ref().map(|a| a.as_str()),
                serde_json::to_string(&c.channels).expect("serialisable"),
                serde_json::to_string(&c.tags).expect("serialisable"),
                serde_json::to_string(&c.attributes).expect("serialisable"),
                c.assigned_team.as_ref().map(TeamId::as_str)
            ],
        )?;
        Ok(())
    }
}

/// Adds a contact's search terms (one statement for all of them).
fn insert_terms(conn: &Connection, contact: &str, terms: &[String]) -> super::conn::Result<usize> {
    let json = serde_json::to_string(terms).expect("strings serialise");
    conn.execute(
        "INSERT INTO contact_terms (term, contact_id, sort_name, assignee, assigned_team, blocked)
         SELECT j.value, k.id, k.sort_name, k.assignee, k.assigned_team, k.blocked
         FROM json_array_elements_text(?1::json) j JOIN contacts k ON k.id = ?2::text
         ON CONFLICT DO NOTHING",
        params![json, contact],
    )
}
