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
];

/// A database problem.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("contract {id}: {message}")]
    Row { id: i64, message: String },
}

/// One row of the `contracts` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    pub id: Option<i64>,
    pub provider_agb: u32,
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
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        Self::migrate(conn)
    }

    /// An in-memory database (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::migrate(Connection::open_in_memory()?)
    }

    fn migrate(mut conn: Connection) -> Result<Store, StoreError> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, (_, sql)) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Store { conn })
    }

    /// Inserts contracts in one transaction; returns their ids.
    pub fn insert_contracts(&mut self, rows: &[ContractRow]) -> Result<Vec<i64>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(rows.len());
        {
            let mut st = tx.prepare(
                "INSERT INTO contracts (provider_agb, module, prestatie_codes, start_date, end_date, tariff_cents, ceiling_cents, contract_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in rows {
                st.execute(params![
                    r.provider_agb,
                    r.module,
                    r.prestatie_codes.join(";"),
                    r.start.to_string(),
                    r.end.map(|d| d.to_string()),
                    r.tariff_cents,
                    r.ceiling_cents,
                    r.contract_type,
                ])?;
                ids.push(tx.last_insert_rowid());
            }
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
                r.get::<_, u32>(1)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_inserts_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.db");
        let row = ContractRow {
            id: None,
            provider_agb: 50_000_001,
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
            provider_agb: 1_000_001,
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
}
