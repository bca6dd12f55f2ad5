//! Contacts.

use crate::error::ApiResult;
use parley_domain::{Assignee, Contact, ContactId, ConversationId, TeamId, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use parley_domain::ChannelId;
use parley_domain::contact_search;
use parley_domain::inbox::Assignees;

use super::*;

/// The columns `contact_from_row` reads.
pub(crate) const CONTACT_COLUMNS: &str =
    "id, name, phone, email, country, language, assignee, blocked, channels, online, tags, attributes, assigned_team";

pub(crate) fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
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

/// The validated, normalised fields of a contact edit (`None`: unchanged; `Some(None)`:
/// cleared).
#[derive(Debug, Default)]
pub struct ContactEdit {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub language: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub attributes: Option<std::collections::BTreeMap<String, String>>,
}

/// What a search by contact name needs of a contact: its name and what decides who sees it.
#[derive(Debug)]
pub struct ContactName {
    pub id: ContactId,
    pub name: String,
    pub assignee: Option<Assignee>,
    pub blocked: bool,
}

/// One page of the contacts page's search: the contacts `visible` (assignees; blocked ones
/// only `with_blocked`) with a term starting with `key` (`None`: all), after the cursor,
/// by sort key then id.
#[derive(Debug)]
pub struct ContactSearch {
    pub visible: Assignees,
    pub with_blocked: bool,
    pub key: Option<String>,
    /// The sort key and id of the previous page's last contact.
    pub after: Option<(String, ContactId)>,
    pub limit: usize,
}

impl ContactSearch {
    /// From this many terms in the key's range, a search walks the contacts in order and
    /// looks up each one's terms; below it, it reads the range's terms and sorts them.
    /// Reading costs about a microsecond a term (at 100,000 contacts "mar", 12,600 terms:
    /// 11 ms; "c", every email's start, 106,000: 170 ms); walking, about ten per contact
    /// until a page is found (1 ms for "c"), but a key that starts names ("mar") finds
    /// its matches bunched in the order (3,600 contacts walked for a page: 46 ms). The
    /// walk is kept for keys too broad to read.
    pub const BROAD_TERMS: i64 = 40_000;

    /// Whether the key's range holds [`Self::BROAD_TERMS`] terms or more (counted by an
    /// index range read of at most that many entries): then the search is broad (see
    /// [`Self::sql`]). `None` without a key.
    pub(crate) fn count_sql<V: From<String> + From<i64>>(&self) -> Option<(String, Vec<V>)> {
        let (range, mut params) = self.key_range::<V>("term")?;
        params.push(V::from(Self::BROAD_TERMS));
        Some((format!("SELECT COUNT(*) FROM (SELECT 1 FROM contact_terms WHERE {range} LIMIT ?) AS r"), params))
    }

    /// The condition that `column` is in the key's range of terms, and its parameters.
    /// A key of U+10FFFF alone has no end ([`key_end`](parley_domain::contact_search::key_end)).
    fn key_range<V: From<String>>(&self, column: &str) -> Option<(String, Vec<V>)> {
        let key = self.key.as_ref()?;
        Some(match parley_domain::contact_search::key_end(key) {
            Some(end) => (format!("{column} >= ? AND {column} < ?"), vec![V::from(key.clone()), V::from(end)]),
            None => (format!("{column} >= ?"), vec![V::from(key.clone())]),
        })
    }

    /// The `SELECT` (every contact column, then the sort key) and its parameters;
    /// `json_strings` as [`assignees_sql`] takes it. Three shapes, each of bounded cost:
    /// - no key: the contacts in order (`contacts_sort`, or `contacts_assignee_sort` for one
    ///   user's), up to the page;
    /// - a key of few terms: the terms' range, which carries each contact's sort key and
    ///   visibility (kept by a trigger), so the page is sorted from the index alone and
    ///   only its contacts are read;
    /// - a `broad` key: the visible contacts in order, each checked for a term in the
    ///   range (`contact_terms_contact`), until the page is full. The visible rows and the
    ///   terms' check are subqueries that `fence` ends (PostgreSQL's `OFFSET 0`, which keeps
    ///   the planner from merging them into the outer query): the contacts are filtered by
    ///   visibility before their terms are looked up, one by one, and no more than the page
    ///   needs (merged, the check becomes a join that reads the whole range first).
    ///
    /// Visibility by several assignees is written `+k.…` on SQLite, as lists do
    /// (`ListFilter::sql`): on the assignee index, SQLite would read each assignee's
    /// contacts and sort them all.
    pub(crate) fn sql<V: From<String> + From<i64>>(&self, broad: bool, dialect: &SearchDialect) -> (String, Vec<V>) {
        let columns = CONTACT_COLUMNS.split(", ").map(|c| format!("k.{c}")).collect::<Vec<_>>().join(", ");
        let limit = V::from(self.limit as i64 + 1);
        match self.key_range::<V>("t.term") {
            Some((range, range_params)) if !broad => {
                let (clause, mut params) = self.filter("t", "contact_id", dialect);
                params.splice(0..0, range_params);
                params.push(limit);
                let sql = format!(
                    "SELECT {columns}, k.sort_name FROM (SELECT DISTINCT t.sort_name, t.contact_id FROM contact_terms t
                     WHERE {range} AND {clause} ORDER BY t.sort_name, t.contact_id LIMIT ?) m
                     JOIN contacts k ON k.id = m.contact_id ORDER BY m.sort_name, m.contact_id"
                );
                (sql, params)
            }
            Some((range, range_params)) => {
                let (clause, mut params) = self.filter("k", "id", dialect);
                params.extend(range_params);
                params.push(limit);
                let sql = format!(
                    "SELECT {columns}, k.sort_name FROM (SELECT {columns}, k.sort_name FROM contacts k WHERE {clause}
                     ORDER BY k.sort_name, k.id {}) k
                     WHERE EXISTS (SELECT 1 FROM contact_terms t WHERE t.contact_id = k.id AND {range} {})
                     ORDER BY k.sort_name, k.id LIMIT ?",
                    dialect.fence, dialect.fence
                );
                (sql, params)
            }
            None => {
                let (clause, mut params) = self.filter("k", "id", dialect);
                params.push(limit);
                (
                    format!(
                        "SELECT {columns}, k.sort_name FROM contacts k WHERE {clause} ORDER BY k.sort_name, k.id LIMIT ?"
                    ),
                    params,
                )
            }
        }
    }

    /// Blocked, visibility and keyset conditions on `table` (`contacts k`, or
    /// `contact_terms t` whose copies of the columns have the same names; `id` names the
    /// contact's id there). One visible user is an equality, which walks
    /// `contacts_assignee_sort` in order.
    fn filter<V: From<String>>(&self, table: &str, id: &str, dialect: &SearchDialect) -> (String, Vec<V>) {
        let mut clauses = Vec::new();
        let mut params: Vec<V> = Vec::new();
        if !self.with_blocked {
            clauses.push(format!("{table}.blocked = 0"));
        }
        let only_user = match &self.visible {
            Assignees::Only(set) => match set.as_slice() {
                [Some(Assignee::User(u))] => Some(u),
                _ => None,
            },
            Assignees::Any => None,
        };
        if let Some(user) = only_user {
            clauses.push(format!("{table}.assignee = ?"));
            params.push(V::from(user.as_str().to_owned()));
        } else if let Some((clause, more)) =
            assignees_sql(&self.visible, &format!("{}{table}", dialect.unindexed), dialect.json_strings)
        {
            clauses.push(clause);
            params.extend(more);
        }
        if let Some((sort_name, contact)) = &self.after {
            clauses.push(format!("({table}.sort_name, {table}.{id}) > (?, ?)"));
            params.push(V::from(sort_name.clone()));
            params.push(V::from(contact.as_str().to_owned()));
        }
        (if clauses.is_empty() { "TRUE".to_owned() } else { clauses.join(" AND ") }, params)
    }
}

/// What [`ContactSearch::sql`] writes differently for each database.
pub(crate) struct SearchDialect {
    /// As [`assignees_sql`] takes it.
    pub json_strings: &'static str,
    /// Ends a subquery the planner must run as written.
    pub fence: &'static str,
    /// Before a column, keeps the planner off its indexes.
    pub unindexed: &'static str,
}

pub(crate) const SQLITE: SearchDialect = SearchDialect { json_strings: JSON_STRINGS, fence: "", unindexed: "+" };

/// Recomputes a contact's search terms and sort key from its stored fields: after every
/// write to its name, phone, email or tags (a search reads only the terms).
pub fn index_contact(tx: &dyn Store, id: &ContactId) -> ApiResult<()> {
    match tx.contact(id)? {
        Some(c) => write_terms(tx, &c),
        None => Ok(()),
    }
}

/// Writes `c`'s search terms and sort key as its fields stand.
fn write_terms(tx: &dyn Store, c: &Contact) -> ApiResult<()> {
    let terms = contact_search::terms(&c.name, c.phone.as_deref(), c.email.as_deref(), &c.tags);
    tx.set_search_terms(&c.id, &contact_search::sort_key(&c.name), &terms)
}

/// The meta key the migration that added the search sets to `stale`: contacts from before
/// it (or seeded with the schema) have no terms until [`index_stale_contacts`].
const TERMS_KEY: &str = "contact_terms";

/// At start, after migrating and seeding: indexes every contact if the terms are stale.
/// Answers whether it did.
pub fn index_stale_contacts(tx: &dyn Store) -> ApiResult<bool> {
    if tx.meta(TERMS_KEY)?.as_deref() != Some("stale") {
        return Ok(false);
    }
    for c in tx.contacts()? {
        write_terms(tx, &c)?;
    }
    tx.set_meta(TERMS_KEY, "done")?;
    Ok(true)
}

/// The terms of a visitor `insert_visitors` creates (a name and nothing else).
pub(crate) fn visitor_terms(name: &str) -> (String, Vec<String>) {
    (contact_search::sort_key(name), contact_search::terms::<&str>(name, None, None, &[]))
}

/// The contacts part of [`Store`](super::Store).
pub trait ContactStore {
    /// Replaces a contact's search terms and sort key (see [`index_contact`]).
    fn set_search_terms(&self, contact: &ContactId, sort_name: &str, terms: &[String]) -> ApiResult<()>;
    /// [`ContactSearch`]'s page, with one more row when more follow; each contact with its
    /// sort key.
    fn search_contacts(&self, search: &ContactSearch) -> ApiResult<Vec<(String, Contact)>>;
    /// Every contact's name, assignee and blocked flag (one light scan: no channels, tags
    /// or attributes), for searching by name.
    fn contact_names(&self) -> ApiResult<Vec<ContactName>>;
    /// The contacts of `ids` (in no particular order), in one query.
    fn contacts_by_ids(&self, ids: &[ContactId]) -> ApiResult<Vec<Contact>>;
    fn contacts(&self) -> ApiResult<Vec<Contact>>;
    fn contact(&self, id: &ContactId) -> ApiResult<Option<Contact>>;
    /// The contact's values in the reference server's local CRM, by field key.
    fn crm_values(&self, contact: &ContactId) -> ApiResult<std::collections::HashMap<String, String>>;
    /// Sets (or, with `None`, clears) one CRM value of a contact.
    fn set_crm_value(&self, contact: &ContactId, key: &str, value: Option<&str>) -> ApiResult<()>;
    /// The ids of every conversation of a contact, least recently active first.
    fn conversations_of(&self, contact: &ContactId) -> ApiResult<Vec<ConversationId>>;
    /// The contact's conversation in progress (at most one is not closed).
    fn open_conversation_of(&self, contact: &ContactId) -> ApiResult<Option<ConversationId>>;
    /// The contact's most recently active conversation.
    fn latest_conversation_of(&self, contact: &ContactId) -> ApiResult<Option<ConversationId>>;
    /// Assigns the contact to a user, a team or nobody (both columns: never both set).
    fn set_contact_assignee(&self, contact: &ContactId, assignee: Option<&Assignee>) -> ApiResult<()>;
    /// Unassigned, unblocked contacts with a new conversation, the longest waiting first:
    /// what automatic assignment hands out.
    fn waiting_for_assignment(&self) -> ApiResult<Vec<ContactId>>;
    fn set_online(&self, contact: &ContactId, online: bool) -> ApiResult<()>;
    fn set_blocked(&self, contact: &ContactId, blocked: bool) -> ApiResult<()>;
    fn edit_contact(&self, contact: &ContactId, edit: ContactEdit) -> ApiResult<()>;
    /// Folds `secondary` into `primary` (whose fields win; `channels`, `tags` and
    /// `attributes` are the merged values), moves its conversations, calls and CRM values,
    /// and removes it.
    fn merge_contacts(
        &self,
        primary: &ContactId,
        secondary: &Contact,
        channels: &[ChannelId],
        tags: &[String],
        attributes: &std::collections::BTreeMap<String, String>,
    ) -> ApiResult<()>;
    /// `count` new contacts ("Visitor 1" newest … "Visitor N", a second apart), each with one
    /// new conversation holding one incoming message on `channel`, marked unseen by `seq`.
    fn insert_visitors(&self, count: u32, channel: &ChannelId, seq: u64, now: i64) -> ApiResult<()>;
    /// The contacts connected to `channel` (a scan: unknown senders are looked up here).
    fn contacts_on_channel(&self, channel: &ChannelId) -> ApiResult<Vec<Contact>>;
    /// Inserts a new contact as given (an unknown sender's).
    fn insert_contact(&self, contact: &Contact) -> ApiResult<()>;
}

impl ContactStore for Connection {
    fn set_search_terms(&self, contact: &ContactId, sort_name: &str, terms: &[String]) -> ApiResult<()> {
        // Cached: indexing every contact at start runs these 100,000 times.
        // The sort key first: the terms copy it from the contact.
        self.prepare_cached("DELETE FROM contact_terms WHERE contact_id = ?1")?.execute([contact.as_str()])?;
        self.prepare_cached("UPDATE contacts SET sort_name = ?2 WHERE id = ?1")?
            .execute(params![contact.as_str(), sort_name])?;
        insert_terms(self, contact.as_str(), terms)?;
        Ok(())
    }
    fn search_contacts(&self, search: &ContactSearch) -> ApiResult<Vec<(String, Contact)>> {
        let broad = match search.count_sql::<rusqlite::types::Value>() {
            Some((sql, params)) => {
                let mut count = self.prepare_cached(&sql)?;
                count.query_row(rusqlite::params_from_iter(params), |r| r.get::<_, i64>(0))?
                    >= ContactSearch::BROAD_TERMS
            }
            None => false,
        };
        let (sql, params) = search.sql::<rusqlite::types::Value>(broad, &SQLITE);
        let mut stmt = self.prepare_cached(&sql)?;
        let rows =
            stmt.query_map(rusqlite::params_from_iter(params), |r| Ok((r.get("sort_name")?, contact_from_row(r)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn contact_names(&self) -> ApiResult<Vec<ContactName>> {
        let mut stmt = self.prepare_cached("SELECT id, name, assignee, blocked, assigned_team FROM contacts")?;
        let rows = stmt.query_map([], |r| {
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
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn contacts_by_ids(&self, ids: &[ContactId]) -> ApiResult<Vec<Contact>> {
        let json = serde_json::to_string(ids).expect("ids serialise");
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN (SELECT value FROM json_each(?1))"
        ))?;
        Ok(stmt.query_map([json], contact_from_row)?.collect::<rusqlite::Result<_>>()?)
    }
    fn contacts(&self) -> ApiResult<Vec<Contact>> {
        let mut stmt = self.prepare(&format!("SELECT {CONTACT_COLUMNS} FROM contacts ORDER BY name, id"))?;
        let rows = stmt.query_map([], contact_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        let rows = stmt.query_map([], |r| Ok(ContactId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
            "INSERT OR IGNORE INTO crm_values (contact_id, key, value) SELECT ?1, key, value FROM crm_values WHERE contact_id = ?2",
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
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE EXISTS (SELECT 1 FROM json_each(channels) WHERE value = ?1)"
        ))?;
        Ok(stmt.query_map([channel.as_str()], contact_from_row)?.collect::<rusqlite::Result<_>>()?)
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
fn insert_terms(conn: &Connection, contact: &str, terms: &[String]) -> rusqlite::Result<usize> {
    let json = serde_json::to_string(terms).expect("strings serialise");
    conn.prepare_cached(
        "INSERT INTO contact_terms (term, contact_id, sort_name, assignee, assigned_team, blocked)
         SELECT j.value, k.id, k.sort_name, k.assignee, k.assigned_team, k.blocked FROM json_each(?1) j JOIN contacts k ON k.id = ?2
         WHERE TRUE ON CONFLICT DO NOTHING",
    )?
    .execute(params![json, contact])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::conversations::tests::plan;

    /// Every shape of search reads a bounded part of an index, whichever contacts the
    /// agent sees: a narrow key reads its range of terms and then contacts by key; a
    /// broad key or none walks the contacts in order (one user's through their own index),
    /// never sorting them, and looks up the terms of each by key.
    #[test]
    fn searches_read_ranges_and_never_sort_the_contacts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        drop(super::super::db::Db::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let user = |id: &str| Some(Assignee::User(UserId(id.into())));
        let scopes = [
            (Assignees::Any, "contacts_sort"),
            (Assignees::Only(vec![user("u-1")]), "contacts_assignee_sort (assignee=?"),
            (Assignees::Only(vec![None, user("u-1"), user("u-2")]), "contacts_sort"),
            (Assignees::Only(vec![user("u-1"), Some(Assignee::Team(TeamId("t-1".into())))]), "contacts_sort"),
        ];
        for (visible, walk) in scopes {
            for key in [None, Some("mar".to_owned())] {
                for broad in [false, true] {
                    let search = ContactSearch {
                        visible: visible.clone(),
                        with_blocked: false,
                        key: key.clone(),
                        after: Some(("lea".into(), ContactId("k-1".into()))),
                        limit: 50,
                    };
                    let (sql, params) = search.sql(broad, &SQLITE);
                    let got = plan(&conn, &sql, params);
                    let at = format!("{visible:?}, {key:?}, broad {broad}:\n{got}");
                    if key.is_some() && !broad {
                        assert!(got.contains("SEARCH t USING PRIMARY KEY (term>? AND term<?)"), "{at}");
                        assert!(
                            got.contains("SEARCH k USING INDEX sqlite_autoindex_contacts_1 (id=?)")
                                || got.contains("SEARCH k USING PRIMARY KEY (id=?)"),
                            "{at}"
                        );
                    } else {
                        assert!(got.contains(&format!("USING INDEX {walk}")), "{at}");
                        assert!(!got.contains("TEMP B-TREE"), "{at}");
                    }
                    if key.is_some() && broad {
                        assert!(got.contains("SEARCH t USING INDEX contact_terms_contact (contact_id=? AND term>? AND term<?)")
                            || got.contains("SEARCH t USING COVERING INDEX contact_terms_contact (contact_id=? AND term>? AND term<?)"), "{at}");
                    }
                }
            }
        }
    }
}
