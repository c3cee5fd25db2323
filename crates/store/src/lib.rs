//! # zorginkoop-store
//!
//! The portal's SQLite database. The schema lives in `migrations/*.sql`, embedded in the binary
//! and applied in order by [`Store::open`] (the applied version is kept in SQLite's
//! `user_version`). It holds the `contracts` table that the claims checker exports and the
//! `decisions` audit trail; the portal will add its own tables as further migrations.

mod decisions;
mod demo;

pub use decisions::DecisionRow;
pub use demo::demo_contracts;

use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::path::Path;

/// The embedded migrations, in order.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_contracts",
        include_str!("../migrations/0001_contracts.sql"),
    ),
    (
        "0002_decisions",
        include_str!("../migrations/0002_decisions.sql"),
    ),
    (
        "0003_contracts_agb_text",
        include_str!("../migrations/0003_contracts_agb_text.sql"),
    ),
];

/// How long a connection waits for another one's lock before it gives up (another process
/// migrating, seeding or writing).
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A database problem.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("contract {id}: {message}")]
    Row { id: i64, message: String },
    #[error(
        "de database heeft schemaversie {found}, deze zorginkoop kent er {known}: gebruik een nieuwere zorginkoop (de database is niet gewijzigd)"
    )]
    NewerSchema { found: i64, known: i64 },
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
pub struct Store {
    pub conn: Connection,
}

impl Store {
    /// Opens (or creates) the database and applies pending migrations.
    ///
    /// Safe when several processes open (or create) the same database at once: the file is put
    /// in WAL mode with a busy timeout, and the migrations run in one `BEGIN IMMEDIATE`
    /// transaction, so one process migrates while the others wait and then find the schema up to
    /// date. A database of a newer schema than this binary knows is refused, untouched.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // SQLite reports "database is locked" without waiting in a few moments of a new file's
        // life (switching to WAL while another connection does the same): try again, within the
        // same bound as the busy timeout.
        let start = std::time::Instant::now();
        loop {
            match Self::open_once(path) {
                Err(StoreError::Sql(e))
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                        && start.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers do not block the writer; the mode is kept in the file
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        Self::migrate(conn)
    }

    /// An in-memory database (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::migrate(Connection::open_in_memory()?)
    }

    fn migrate(mut conn: Connection) -> Result<Store, StoreError> {
        let known = MIGRATIONS.len() as i64;
        // the write lock first, then the version: two processes never both see "version 0"
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > known {
            return Err(StoreError::NewerSchema {
                found: version,
                known,
            });
        }
        for (_, sql) in MIGRATIONS.iter().skip(version as usize) {
            tx.execute_batch(sql)?;
        }
        if version < known {
            tx.pragma_update(None, "user_version", known)?;
        }
        tx.commit()?;
        Ok(Store { conn })
    }

    /// Inserts those of `rows` that are not stored yet (same provider, module, prestatie codes,
    /// start and contract type), in one write transaction so that two processes seeding at once
    /// add each row once. Returns the ids added and how many were present already.
    pub fn insert_contracts_if_absent(
        &mut self,
        rows: &[ContractRow],
    ) -> Result<(Vec<i64>, usize), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut ids = Vec::new();
        let mut present = 0;
        for r in rows {
            let found: i64 = tx.query_row(
                "SELECT count(*) FROM contracts WHERE provider_agb = ?1 AND module = ?2
                   AND prestatie_codes = ?3 AND start_date = ?4 AND contract_type = ?5",
                params![
                    r.provider_agb,
                    r.module,
                    r.prestatie_codes.join(";"),
                    r.start.to_string(),
                    r.contract_type
                ],
                |row| row.get(0),
            )?;
            if found > 0 {
                present += 1;
                continue;
            }
            ids.push(insert_contract(&tx, r)?);
        }
        tx.commit()?;
        Ok((ids, present))
    }

    /// Inserts contracts in one transaction; returns their ids.
    pub fn insert_contracts(&mut self, rows: &[ContractRow]) -> Result<Vec<i64>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(rows.len());
        for r in rows {
            ids.push(insert_contract(&tx, r)?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// All contracts, by id.
    pub fn contracts(&self) -> Result<Vec<ContractRow>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, provider_agb, module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type
             FROM contracts ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, Option<i64>>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let date = |id: i64, s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Row {
                id,
                message: format!("{s:?} is not a date"),
            })
        };
        let mut out = Vec::new();
        for row in rows {
            let (id, agb, module, codes, start, end, tariff, ceiling, ty) = row?;
            out.push(ContractRow {
                id: Some(id),
                provider_agb: agb,
                module,
                prestatie_codes: codes
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                start: date(id, &start)?,
                end: end.as_deref().map(|e| date(id, e)).transpose()?,
                tariff_cents: tariff,
                ceiling_cents: ceiling,
                contract_type: ty,
            });
        }
        Ok(out)
    }
}

fn insert_contract(tx: &rusqlite::Transaction, r: &ContractRow) -> Result<i64, StoreError> {
    tx.prepare(
        "INSERT INTO contracts (provider_agb, module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        r.provider_agb,
        r.module,
        r.prestatie_codes.join(";"),
        r.start.to_string(),
        r.end.map(|d| d.to_string()),
        r.tariff_cents,
        r.ceiling_cents,
        r.contract_type,
    ])?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let v: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64, "every migration applied once");
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
        let v: i64 = s
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
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
