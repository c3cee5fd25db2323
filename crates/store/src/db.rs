//! One database API over two backends: SQLite (embedded, the default) and PostgreSQL
//! (production). Callers write SQL once, with `?` placeholders and the common subset of the two
//! dialects (TEXT, BIGINT-sized integers stored as INTEGER, no booleans, dates as ISO text); the
//! PostgreSQL side rewrites `?` to `$1, $2, ...`. Values cross the boundary as [`Value`]s and rows
//! come back as [`Row`]s read by column name, so no caller names a backend's types.
//!
//! [`Db`] is a small pool that is cheap to clone and safe to share between threads. Every piece
//! of work runs in one transaction ([`Db::write`] or [`Db::read`]): it commits when the closure
//! returns `Ok` and rolls back otherwise, so a state change and its audit row are one unit.
//! On SQLite a write transaction takes the write lock at once (`BEGIN IMMEDIATE`), so two writers
//! never both read a state and then both change it.

use crate::StoreError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A value sent to or read from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Int(v as i64)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

/// Builds a `&[Value]` parameter list: `args![id, "text", Some(3)]`.
#[macro_export]
macro_rules! args {
    ($($v:expr),* $(,)?) => { &[$($crate::Value::from($v)),*][..] };
}

/// One result row, read by column name.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    fn value(&self, column: &str) -> Result<&Value, StoreError> {
        self.columns
            .iter()
            .position(|c| c == column)
            .map(|i| &self.values[i])
            .ok_or_else(|| StoreError::Column {
                column: column.to_string(),
                problem: "staat niet in het resultaat".into(),
            })
    }

    /// An integer column that is never NULL.
    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?.ok_or_else(|| StoreError::Column {
            column: column.to_string(),
            problem: "is leeg".into(),
        })
    }

    pub fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::Int(i) => Ok(Some(*i)),
            Value::Text(t) => Err(StoreError::Column {
                column: column.to_string(),
                problem: format!("{t:?} is geen getal"),
            }),
        }
    }

    /// A text column that is never NULL.
    pub fn text(&self, column: &str) -> Result<String, StoreError> {
        self.opt_text(column)?.ok_or_else(|| StoreError::Column {
            column: column.to_string(),
            problem: "is leeg".into(),
        })
    }

    pub fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t.clone())),
            Value::Int(i) => Ok(Some(i.to_string())),
        }
    }
}

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// How many idle connections a pool keeps.
const IDLE_CONNECTIONS: usize = 16;

enum Pool {
    Sqlite {
        /// None: an in-memory database, one connection shared by everyone.
        path: Option<PathBuf>,
        idle: Mutex<Vec<rusqlite::Connection>>,
    },
    Postgres {
        config: Box<postgres::Config>,
        idle: Mutex<Vec<postgres::Client>>,
    },
}

impl Drop for Pool {
    fn drop(&mut self) {
        // The synchronous PostgreSQL client blocks on its own runtime when it closes, which is
        // not allowed on a thread that drives an async runtime (a server shutting down, an async
        // test ending): close the idle connections on a thread of their own.
        if let Pool::Postgres { idle, .. } = self {
            let clients = std::mem::take(idle.get_mut().unwrap_or_else(|p| p.into_inner()));
            if !clients.is_empty() {
                let _ = std::thread::spawn(move || drop(clients)).join();
            }
        }
    }
}

/// A pool of connections to one database. Clone it freely.
#[derive(Clone)]
pub struct Db {
    pool: Arc<Pool>,
    /// Serialises users of an in-memory SQLite database (one connection).
    memory_lock: Arc<Mutex<()>>,
}

/// A connection inside a transaction: the only way to run SQL.
pub enum Tx<'a> {
    Sqlite(rusqlite::Transaction<'a>),
    Postgres(postgres::Transaction<'a>),
}

impl Db {
    /// Opens a database by URL: `postgres://...` or `postgresql://...` for PostgreSQL; a path
    /// (optionally prefixed `sqlite:`) for a SQLite file, created on first use; `:memory:` for an
    /// in-memory SQLite database (tests). Applies pending migrations.
    pub fn open(url: &str) -> Result<Db, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let config: postgres::Config = url.parse().map_err(|e| StoreError::Connect {
                url: redact(url),
                message: format!("{e}"),
            })?;
            let db = Db {
                pool: Arc::new(Pool::Postgres {
                    config: Box::new(config),
                    idle: Mutex::new(Vec::new()),
                }),
                memory_lock: Arc::new(Mutex::new(())),
            };
            crate::migrate::postgres(&db)?;
            return Ok(db);
        }
        let path = url.strip_prefix("sqlite:").unwrap_or(url);
        if path == ":memory:" {
            let conn = rusqlite::Connection::open_in_memory()?;
            conn.pragma_update(None, "foreign_keys", true)?;
            tune_sqlite_connection(&conn)?;
            let conn = crate::migrate::sqlite(conn)?;
            return Ok(Db {
                pool: Arc::new(Pool::Sqlite {
                    path: None,
                    idle: Mutex::new(vec![conn]),
                }),
                memory_lock: Arc::new(Mutex::new(())),
            });
        }
        Self::open_sqlite(Path::new(path))
    }

    /// Opens (or creates) a SQLite file and applies pending migrations.
    pub fn open_sqlite(path: &Path) -> Result<Db, StoreError> {
        let conn = crate::migrate::sqlite(open_sqlite_connection(path)?)?;
        Ok(Db {
            pool: Arc::new(Pool::Sqlite {
                path: Some(path.to_path_buf()),
                idle: Mutex::new(vec![conn]),
            }),
            memory_lock: Arc::new(Mutex::new(())),
        })
    }

    pub fn backend(&self) -> Backend {
        match &*self.pool {
            Pool::Sqlite { .. } => Backend::Sqlite,
            Pool::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Runs `f` in a write transaction: committed when it returns `Ok`, rolled back otherwise.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.run(true, f)
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.run(false, f)
    }

    fn run<T, E: From<StoreError>>(
        &self,
        write: bool,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match &*self.pool {
            Pool::Sqlite { path, idle } => {
                let _memory = match path {
                    None => Some(self.memory_lock.lock().unwrap_or_else(|p| p.into_inner())),
                    Some(_) => None,
                };
                let taken = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let mut conn = match taken {
                    Some(c) => c,
                    None => match path {
                        Some(p) => open_sqlite_connection(p)?,
                        None => unreachable!("the in-memory connection is always returned"),
                    },
                };
                let result = (|| {
                    let behaviour = if write {
                        rusqlite::TransactionBehavior::Immediate
                    } else {
                        rusqlite::TransactionBehavior::Deferred
                    };
                    let tx = conn
                        .transaction_with_behavior(behaviour)
                        .map_err(StoreError::from)?;
                    let mut tx = Tx::Sqlite(tx);
                    let out = f(&mut tx)?;
                    let Tx::Sqlite(tx) = tx else { unreachable!() };
                    tx.commit().map_err(StoreError::from)?;
                    Ok(out)
                })();
                let mut idle = idle.lock().unwrap_or_else(|p| p.into_inner());
                if idle.len() < IDLE_CONNECTIONS {
                    idle.push(conn);
                }
                result
            }
            Pool::Postgres { config, idle } => {
                let taken = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let mut client = match taken {
                    Some(c) if !c.is_closed() => c,
                    _ => connect_postgres(config)?,
                };
                let result = (|| {
                    let mut builder = client.build_transaction();
                    if !write {
                        builder = builder.read_only(true);
                    }
                    let tx = builder.start().map_err(StoreError::from)?;
                    let mut tx = Tx::Postgres(tx);
                    let out = f(&mut tx)?;
                    let Tx::Postgres(tx) = tx else { unreachable!() };
                    tx.commit().map_err(StoreError::from)?;
                    Ok(out)
                })();
                if !client.is_closed() {
                    let mut idle = idle.lock().unwrap_or_else(|p| p.into_inner());
                    if idle.len() < IDLE_CONNECTIONS {
                        idle.push(client);
                    }
                }
                result
            }
        }
    }
}

impl Tx<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self {
            Tx::Sqlite(tx) => {
                let mut st = tx.prepare_cached(sql)?;
                Ok(st.execute(rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Tx::Postgres(tx) => {
                let sql = numbered_placeholders(sql);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                    .iter()
                    .map(|v| v as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                Ok(tx.execute(sql.as_str(), &refs)?)
            }
        }
    }

    /// Inserts one row into a table whose key is `id`; returns the new id.
    pub fn insert(&mut self, sql: &str, params: &[Value]) -> Result<i64, StoreError> {
        match self {
            Tx::Sqlite(tx) => {
                tx.prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(params.iter()))?;
                Ok(tx.last_insert_rowid())
            }
            Tx::Postgres(_) => {
                let rows = self.query(&format!("{sql} RETURNING id"), params)?;
                rows.first()
                    .ok_or_else(|| StoreError::Column {
                        column: "id".into(),
                        problem: "geen rij toegevoegd".into(),
                    })?
                    .int("id")
            }
        }
    }

    /// Runs a query; returns every row.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match self {
            Tx::Sqlite(tx) => {
                let mut st = tx.prepare_cached(sql)?;
                let columns: Arc<[String]> = st.column_names().map(|c| c.to_string()).collect();
                let n = columns.len();
                let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut values = Vec::with_capacity(n);
                    for i in 0..n {
                        values.push(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => Value::Null,
                            rusqlite::types::ValueRef::Integer(v) => Value::Int(v),
                            rusqlite::types::ValueRef::Text(t) => {
                                Value::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            other => {
                                return Err(StoreError::Column {
                                    column: columns[i].clone(),
                                    problem: format!("onverwacht type {:?}", other.data_type()),
                                });
                            }
                        });
                    }
                    out.push(Row {
                        columns: columns.clone(),
                        values,
                    });
                }
                Ok(out)
            }
            Tx::Postgres(tx) => {
                let sql = numbered_placeholders(sql);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                    .iter()
                    .map(|v| v as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                let rows = tx.query(sql.as_str(), &refs)?;
                let Some(first) = rows.first() else {
                    return Ok(Vec::new());
                };
                let columns: Arc<[String]> = first
                    .columns()
                    .iter()
                    .map(|c| c.name().to_string())
                    .collect();
                rows.iter()
                    .map(|r| {
                        let values = (0..columns.len())
                            .map(|i| pg_value(r, i))
                            .collect::<Result<_, _>>()?;
                        Ok(Row {
                            columns: columns.clone(),
                            values,
                        })
                    })
                    .collect()
            }
        }
    }

    /// The first row of a query, if any.
    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs several statements without parameters (migrations).
    pub fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.execute_batch(sql)?),
            Tx::Postgres(tx) => Ok(tx.batch_execute(sql)?),
        }
    }
}

fn pg_value(row: &postgres::Row, i: usize) -> Result<Value, StoreError> {
    use postgres::types::Type;
    let column = &row.columns()[i];
    let ty = column.type_();
    Ok(if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)?
            .map(Value::Int)
            .unwrap_or(Value::Null)
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into()))
            .unwrap_or(Value::Null)
    } else if *ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into()))
            .unwrap_or(Value::Null)
    } else if *ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)?
            .map(|v| Value::Int(v.into()))
            .unwrap_or(Value::Null)
    } else if *ty == Type::TEXT || *ty == Type::VARCHAR || *ty == Type::NAME || *ty == Type::BPCHAR
    {
        row.try_get::<_, Option<String>>(i)?
            .map(Value::Text)
            .unwrap_or(Value::Null)
    } else {
        return Err(StoreError::Column {
            column: column.name().to_string(),
            problem: format!("onverwacht type {ty}"),
        });
    })
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) if *ty == Type::INT8 => i.to_sql(ty, out),
            Value::Int(i) if *ty == Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
            Value::Int(i) if *ty == Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
            Value::Int(i) if *ty == Type::BOOL => (*i != 0).to_sql(ty, out),
            Value::Int(i) => i.to_string().to_sql(&Type::TEXT, out),
            Value::Text(t) => t.as_str().to_sql(&Type::TEXT, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// `?` placeholders (outside quoted text) become `$1, $2, ...`.
fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn open_sqlite_connection(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    // SQLite reports "database is locked" without waiting in a few moments of a new file's
    // life (switching to WAL while another connection does the same): try again, within the
    // same bound as the busy timeout.
    let start = std::time::Instant::now();
    loop {
        let attempt = (|| {
            let conn = rusqlite::Connection::open(path)?;
            conn.busy_timeout(crate::BUSY_TIMEOUT)?;
            // WAL: readers do not block the writer; the mode is kept in the file
            let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            conn.pragma_update(None, "foreign_keys", true)?;
            tune_sqlite_connection(&conn)?;
            Ok::<_, rusqlite::Error>(conn)
        })();
        match attempt {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && start.elapsed() < crate::BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return Ok(other?),
        }
    }
}

/// How many prepared statements a SQLite connection keeps for reuse (rusqlite's default is 16;
/// the portal's pages use more distinct statements than that).
const STATEMENT_CACHE: usize = 64;

/// Keeps prepared statements prepared: the query planner stability guarantee (QPSG) stops SQLite
/// (built with STAT4) from preparing a cached statement anew whenever a value bound to a
/// parameter compared with an indexed column changes, which it otherwise does on every call
/// (a session lookup parsed its SQL on every request). Our plans do not depend on the values.
fn tune_sqlite_connection(conn: &rusqlite::Connection) -> Result<(), rusqlite::Error> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

pub(crate) fn connect_postgres(config: &postgres::Config) -> Result<postgres::Client, StoreError> {
    config
        .connect(postgres::NoTls)
        .map_err(|e| StoreError::Connect {
            url: format!(
                "postgres://{}@{:?}/{}",
                config.get_user().unwrap_or(""),
                config.get_hosts().first(),
                config.get_dbname().unwrap_or("")
            ),
            message: e.to_string(),
        })
}

/// A URL with its password left out, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quoted_text() {
        assert_eq!(
            numbered_placeholders("SELECT '?' , x FROM t WHERE a = ? AND b = ?"),
            "SELECT '?' , x FROM t WHERE a = $1 AND b = $2"
        );
    }

    #[test]
    fn a_password_is_left_out_of_messages() {
        assert_eq!(
            redact("postgres://zk:geheim@db.example/zk"),
            "postgres://zk:***@db.example/zk"
        );
        assert_eq!(redact("postgres://zk@db/zk"), "postgres://zk@db/zk");
    }
}
