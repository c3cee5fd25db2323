//! # zorginkoop-store
//!
//! The database of zorginkoop: SQLite embedded (the default, a file created on first use) or
//! PostgreSQL (production), with the same schema and the same SQL ([`db`]). The schema lives in
//! `migrations/*.sql` (SQLite) and `migrations/postgres/*.sql`, embedded in the binary and applied
//! in order when a database is opened ([`migrate`]). It holds the `contracts` that the claims
//! checker exports, the `decisions` audit trail, and the portal's tables (organisations, users,
//! sessions, applications, proposals, the append-only `audit_log`); the portal's use cases that
//! read and write them live in `zorginkoop-app`.

mod db;
mod decisions;
mod demo;
pub mod migrate;
pub mod testing;

pub use db::{Backend, Db, Row, Tx, Value};
pub use decisions::DecisionRow;
pub use demo::demo_contracts;
pub use migrate::{MIGRATIONS, POSTGRES_MIGRATIONS};

use chrono::NaiveDate;
use std::path::Path;

/// How long a connection waits for another one's lock before it gives up (another process
/// migrating, seeding or writing).
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A database problem.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A PostgreSQL error, with the server's own message.
    #[error("database: {0}")]
    Postgres(String),
    #[error("kan geen verbinding maken met {url}: {message}")]
    Connect { url: String, message: String },
    #[error("kolom {column}: {problem}")]
    Column { column: String, problem: String },
    #[error("contract {id}: {message}")]
    Row { id: i64, message: String },
    #[error(
        "de database heeft schemaversie {found}, deze zorginkoop kent er {known}: gebruik een nieuwere zorginkoop (de database is niet gewijzigd)"
    )]
    NewerSchema { found: i64, known: i64 },
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        use std::error::Error;
        StoreError::Postgres(match e.as_db_error() {
            Some(db) => match db.detail() {
                Some(d) => format!("{} ({d})", db.message()),
                None => db.message().to_string(),
            },
            None => match e.source() {
                Some(s) => format!("{e}: {s}"),
                None => e.to_string(),
            },
        })
    }
}

/// One row of the `contracts` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    pub id: Option<i64>,
    /// The provider's AGB code: 8 digits, leading zeros kept.
    pub provider_agb: String,
    pub module: String,
    /// Prestatie codes agreed explicitly (empty = all codes of the module).
    pub prestatie_codes: Vec<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub tariff_cents: i64,
    pub ceiling_cents: Option<i64>,
    pub contract_type: String,
}

/// An open database with the schema up to date.
#[derive(Clone)]
pub struct Store {
    pub db: Db,
}

impl Store {
    /// Opens (or creates) a SQLite database file and applies pending migrations.
    ///
    /// Safe when several processes open (or create) the same database at once: the file is put
    /// in WAL mode with a busy timeout, and the migrations run in one `BEGIN IMMEDIATE`
    /// transaction, so one process migrates while the others wait and then find the schema up to
    /// date. A database of a newer schema than this binary knows is refused, untouched.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            db: Db::open_sqlite(path)?,
        })
    }

    /// Opens a database by URL (`postgres://...`, a SQLite path, or `:memory:`).
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Ok(Store { db: Db::open(url)? })
    }

    /// An in-memory SQLite database (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::connect(":memory:")
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::schema_version(&self.db)
    }

    /// Inserts those of `rows` that are not stored yet (same provider, module, prestatie codes,
    /// start and contract type), in one write transaction so that two processes seeding at once
    /// add each row once. Returns the ids added and how many were present already.
    pub fn insert_contracts_if_absent(
        &mut self,
        rows: &[ContractRow],
    ) -> Result<(Vec<i64>, usize), StoreError> {
        self.db.write(|tx| {
            let mut ids = Vec::new();
            let mut present = 0;
            for r in rows {
                let found = tx.query_one(
                    "SELECT count(*) AS n FROM contracts WHERE provider_agb = ? AND module = ?
                       AND prestatie_codes = ? AND start_date = ? AND contract_type = ?",
                    args![
                        &r.provider_agb,
                        &r.module,
                        r.prestatie_codes.join(";"),
                        r.start.to_string(),
                        &r.contract_type
                    ],
                )?;
                if found.map(|f| f.int("n")).transpose()?.unwrap_or(0) > 0 {
                    present += 1;
                    continue;
                }
                ids.push(insert_contract(tx, r)?);
            }
            Ok((ids, present))
        })
    }

    /// Inserts contracts in one transaction; returns their ids.
    pub fn insert_contracts(&mut self, rows: &[ContractRow]) -> Result<Vec<i64>, StoreError> {
        self.db
            .write(|tx| rows.iter().map(|r| insert_contract(tx, r)).collect())
    }

    /// All contracts, by id.
    pub fn contracts(&self) -> Result<Vec<ContractRow>, StoreError> {
        self.db.read(|tx| {
            tx.query(
                "SELECT id, provider_agb, module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type
                 FROM contracts ORDER BY id",
                &[],
            )?
            .iter()
            .map(contract_from_row)
            .collect()
        })
    }
}

/// Reads a `contracts` row (all columns selected by name).
pub fn contract_from_row(row: &Row) -> Result<ContractRow, StoreError> {
    let id = row.int("id")?;
    let date = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Row {
            id,
            message: format!("{s:?} is geen datum"),
        })
    };
    Ok(ContractRow {
        id: Some(id),
        provider_agb: row.text("provider_agb")?,
        module: row.text("module")?,
        prestatie_codes: row
            .text("prestatie_codes")?
            .split(';')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        start: date(&row.text("start_date")?)?,
        end: row.opt_text("end_date")?.map(|e| date(&e)).transpose()?,
        tariff_cents: row.int("tariff_cents")?,
        ceiling_cents: row.opt_int("ceiling_cents")?,
        contract_type: row.text("contract_type")?,
    })
}

/// Inserts one contract inside a transaction; returns its id.
pub fn insert_contract(tx: &mut Tx<'_>, r: &ContractRow) -> Result<i64, StoreError> {
    tx.insert(
        "INSERT INTO contracts (provider_agb, module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        args![
            &r.provider_agb,
            &r.module,
            r.prestatie_codes.join(";"),
            r.start.to_string(),
            r.end.map(|d| d.to_string()),
            r.tariff_cents,
            r.ceiling_cents,
            &r.contract_type,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn migrates_inserts_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.db");
        let row = ContractRow {
            id: None,
            provider_agb: "50000001".into(),
            module: "lab-regular".into(),
            prestatie_codes: vec!["30001".into(), "30002".into()],
            start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            end: None,
            tariff_cents: 1250,
            ceiling_cents: Some(5_000_000),
            contract_type: "regular".into(),
        };
        let ids = Store::open(&path)
            .unwrap()
            .insert_contracts(std::slice::from_ref(&row))
            .unwrap();
        // reopening does not re-run the migration
        let store = Store::open(&path).unwrap();
        let back = store.contracts().unwrap();
        assert_eq!(
            back,
            vec![ContractRow {
                id: Some(ids[0]),
                ..row
            }]
        );
        assert_eq!(
            store.schema_version().unwrap(),
            MIGRATIONS.len() as i64,
            "every migration applied once"
        );
    }

    #[test]
    fn schema_rejects_an_end_before_the_start() {
        let mut s = Store::in_memory().unwrap();
        let bad = ContractRow {
            id: None,
            provider_agb: "01000001".into(),
            module: "m".into(),
            prestatie_codes: vec![],
            start: NaiveDate::from_ymd_opt(2022, 2, 1).unwrap(),
            end: Some(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()),
            tariff_cents: 1,
            ceiling_cents: None,
            contract_type: "regular".into(),
        };
        assert!(s.insert_contracts(&[bad]).is_err());
    }

    fn agb_row(agb: &str) -> ContractRow {
        ContractRow {
            id: None,
            provider_agb: agb.into(),
            module: "basiszorg".into(),
            prestatie_codes: vec![],
            start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
            end: None,
            tariff_cents: 100,
            ceiling_cents: None,
            contract_type: "regular".into(),
        }
    }

    #[test]
    fn an_agb_code_keeps_its_leading_zero_and_must_have_8_digits() {
        let mut s = Store::in_memory().unwrap();
        s.insert_contracts(&[agb_row("01012345")]).unwrap();
        assert_eq!(s.contracts().unwrap()[0].provider_agb, "01012345");
        assert!(s.insert_contracts(&[agb_row("1012345")]).is_err());
        assert!(s.insert_contracts(&[agb_row("0101234A")]).is_err());
    }

    #[test]
    fn an_old_database_with_numeric_agb_codes_is_migrated_to_8_digit_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0].1).unwrap();
            conn.execute_batch(MIGRATIONS[1].1).unwrap();
            conn.pragma_update(None, "user_version", 2).unwrap();
            conn.execute(
                "INSERT INTO contracts (provider_agb, module, start_date, tariff_cents) VALUES (1012345, 'basiszorg', '2022-01-01', 5)",
                [],
            )
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.contracts().unwrap()[0].provider_agb, "01012345");
    }

    #[test]
    fn many_processes_creating_one_new_database_at_once_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let mode =
            s.db.read(|tx| tx.query_one("PRAGMA journal_mode", &[]))
                .unwrap()
                .unwrap()
                .text("journal_mode")
                .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_database_of_a_newer_schema_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.db");
        drop(Store::open(&path).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(&path).err().expect("refused");
        assert!(
            matches!(err, StoreError::NewerSchema { found: 99, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("nieuwere zorginkoop"), "{err}");
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99, "untouched");
    }

    #[test]
    fn seeding_from_several_processes_at_once_adds_each_contract_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.db");
        let rows = vec![agb_row("01012345"), agb_row("01099999")];
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier, rows) = (path.clone(), barrier.clone(), rows.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut s = Store::open(&path).unwrap();
                    s.insert_contracts_if_absent(&rows).unwrap()
                })
            })
            .collect();
        let added: usize = handles.into_iter().map(|h| h.join().unwrap().0.len()).sum();
        assert_eq!(added, 2);
        assert_eq!(Store::open(&path).unwrap().contracts().unwrap().len(), 2);
    }
}
