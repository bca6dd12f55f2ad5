//! A PostgreSQL connection shaped like the part of rusqlite the storage layer uses
//! (`query_row`, `query_map`, `execute`, `params!`, `optional()`, `Row::get`), so each
//! PostgreSQL store reads like its SQLite twin: the same SQL where the dialects agree,
//! `?N` placeholders included (rewritten to `$N` once per statement, then cached).
//!
//! Values cross as [`Value`] (null, integer, text) and are converted to whatever type
//! PostgreSQL inferred for the parameter or column: the schema keeps SQLite's shapes
//! (`BIGINT` flags, JSON as `TEXT`), so a `bool` reads from and writes to a `BIGINT`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

type BoxError = Box<dyn StdError + Sync + Send>;

/// What a PostgreSQL store call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Db(#[from] postgres::Error),
    #[error("query returned no rows")]
    NoRows,
    #[error("column {0}: {1}")]
    Conversion(String, String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `query_row(...).optional()`: no row is `None`, as with rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A parameter or a column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(&Type::FLOAT8, out),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => s.parse::<i32>()?.to_sql(ty, out),
                // JSON's binary form is its text; JSONB's is a version byte then the text.
                Type::JSONB => {
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                Type::JSON => {
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                _ => s.as_str().to_sql(&Type::TEXT, out),
            },
        }
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            _ => Value::Text(<&str>::from_sql(&Type::TEXT, raw)?.to_owned()),
        })
    }
    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Value::Null)
    }
    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::INT4, Type::INT2, Type::BOOL, Type::FLOAT8, Type::FLOAT4].contains(ty)
            || <&str as FromSql>::accepts(ty)
            || *ty == Type::JSON
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Int(i64::from(b))
    }
}

/// A Rust value as a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_values!(i64, i32, u32, u16, u8, usize, u64);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// A statement's parameters: `params![…]`, an array of one type, or a `Vec<Value>`.
pub trait Params {
    fn values(self) -> Vec<Value>;
}
impl Params for &[&dyn ToValue] {
    fn values(self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}
impl<T: ToValue, const N: usize> Params for [T; N] {
    fn values(self) -> Vec<Value> {
        self.iter().map(ToValue::to_value).collect()
    }
}
impl Params for Vec<Value> {
    fn values(self) -> Vec<Value> {
        self
    }
}

/// `params![a, b]`, as rusqlite's.
macro_rules! params {
    () => { &[] as &[&dyn $crate::storage::pg::conn::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::storage::pg::conn::ToValue),+] as &[&dyn $crate::storage::pg::conn::ToValue] };
}
pub(crate) use params;

/// A column value converted to a Rust type.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> std::result::Result<Self, String>;
}

macro_rules! int_from_values {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> std::result::Result<Self, String> {
                match v {
                    Value::Int(i) => <$t>::try_from(i).map_err(|e| e.to_string()),
                    other => Err(format!("{other:?} is not an integer")),
                }
            }
        }
    )*};
}
int_from_values!(i64, i32, u32, u64, usize);

impl FromValue for bool {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i != 0),
            other => Err(format!("{other:?} is not a flag")),
        }
    }
}
impl FromValue for f64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("{other:?} is not a number")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("{other:?} is not text")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One result row.
pub struct Row<'a>(&'a postgres::Row);

impl Row<'_> {
    /// Column `idx` (position or name) as `T`, as rusqlite's `Row::get`.
    pub fn get<I, T>(&self, idx: I) -> Result<T>
    where
        I: postgres::row::RowIndex + std::fmt::Display + Copy,
        T: FromValue,
    {
        let v: Value = self.0.try_get(idx).map_err(|e| Error::Conversion(idx.to_string(), e.to_string()))?;
        T::from_value(v).map_err(|e| Error::Conversion(idx.to_string(), e))
    }
}

/// `?N` → `$N`, and a bare `?` → the next number (as SQLite numbers them).
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let (mut highest, mut in_string) = (0usize, false);
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c != '?' || in_string {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let n = if digits.is_empty() { highest + 1 } else { digits.parse().expect("digits") };
        highest = highest.max(n);
        out.push('$');
        out.push_str(&n.to_string());
    }
    out
}

/// One connection and its prepared statements. Calls take `&self` like rusqlite's; the
/// client is borrowed for one statement at a time (rows are read whole before any closure
/// runs, so a closure may query again).
///
/// The sync client runs its own small tokio runtime and blocks on it, which panics on a
/// thread that drives async tasks: use it on the blocking pool (`Db`) or a thread of its
/// own, never directly in async code. Dropping it is handled here.
pub struct PgConn {
    /// `None` only while being dropped.
    client: RefCell<Option<Client>>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The last seq the open transaction took, for its notification ([`super::notify`]).
    last_seq: std::cell::Cell<Option<u64>>,
}

impl Drop for PgConn {
    fn drop(&mut self) {
        // Closing blocks on the client's runtime: do it where no runtime runs (the last
        // reference may go in async code, e.g. a server task aborted by a test).
        if let Some(client) = self.client.get_mut().take() {
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(client));
        }
    }
}

impl PgConn {
    /// Connects (on a thread of its own, so any caller may: see [`PgConn`]).
    pub fn connect(url: &str) -> Result<PgConn> {
        let url = url.to_owned();
        let client =
            std::thread::spawn(move || Client::connect(&url, NoTls)).join().expect("connecting never panics")?;
        Ok(PgConn { client: RefCell::new(Some(client)), statements: RefCell::default(), last_seq: Default::default() })
    }

    fn client(&self) -> std::cell::RefMut<'_, Client> {
        std::cell::RefMut::map(self.client.borrow_mut(), |c| c.as_mut().expect("open until dropped"))
    }

    /// Notes that the open transaction took `seq`.
    pub fn took_seq(&self, seq: u64) {
        self.last_seq.set(Some(seq));
    }

    /// The last seq the transaction took, forgotten as it is read.
    pub fn take_seq(&self) -> Option<u64> {
        self.last_seq.take()
    }

    pub fn is_closed(&self) -> bool {
        self.client().is_closed()
    }

    /// Runs statements without parameters (migrations, `BEGIN`, `COMMIT`).
    pub fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client().batch_execute(sql)?)
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.client().prepare(&placeholders(sql))?;
        self.statements.borrow_mut().insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }

    fn rows(&self, sql: &str, params: impl Params) -> Result<Vec<postgres::Row>> {
        let stmt = self.statement(sql)?;
        let values = params.values();
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        Ok(self.client().query(&stmt, &refs)?)
    }

    /// Every statement is cached: `prepare` and `prepare_cached` are the same.
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(Stmt { conn: self, sql: sql.to_owned() })
    }
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        self.prepare(sql)
    }

    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let stmt = self.statement(sql)?;
        let values = params.values();
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        Ok(self.client().execute(&stmt, &refs)? as usize)
    }

    pub fn query_row<T, F>(&self, sql: &str, params: impl Params, f: F) -> Result<T>
    where
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let rows = self.rows(sql, params)?;
        f(&Row(rows.first().ok_or(Error::NoRows)?))
    }

    /// Every row through `f` (already read: iterate and collect as with rusqlite).
    pub fn query_map<T, F>(&self, sql: &str, params: impl Params, mut f: F) -> Result<std::vec::IntoIter<Result<T>>>
    where
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        let rows = self.rows(sql, params)?;
        Ok(rows.iter().map(|r| f(&Row(r))).collect::<Vec<_>>().into_iter())
    }
}

/// A statement to run (prepared on first use, cached by its SQL on the connection).
pub struct Stmt<'c> {
    conn: &'c PgConn,
    sql: String,
}

impl Stmt<'_> {
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }
    pub fn query_row<T, F>(&mut self, params: impl Params, f: F) -> Result<T>
    where
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.conn.query_row(&self.sql, params, f)
    }
    pub fn query_map<T, F>(&mut self, params: impl Params, f: F) -> Result<std::vec::IntoIter<Result<T>>>
    where
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        self.conn.query_map(&self.sql, params, f)
    }
}

/// A stored unit enum; an unknown name is a conversion error, never a panic.
pub fn parse_enum<T: parley_domain::WireName>(s: &str) -> Result<T> {
    T::from_wire_name(s).ok_or_else(|| Error::Conversion(std::any::type_name::<T>().into(), format!("unknown {s:?}")))
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::Conversion("json".into(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(placeholders("a = ?1 AND b = ?2 OR c = ?1"), "a = $1 AND b = $2 OR c = $1");
        assert_eq!(placeholders("a = ? AND b IN (?) LIMIT ?"), "a = $1 AND b IN ($2) LIMIT $3");
        assert_eq!(placeholders("x LIKE ? ESCAPE '?'"), "x LIKE $1 ESCAPE '?'");
    }
}
