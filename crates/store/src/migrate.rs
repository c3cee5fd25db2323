//! The embedded migrations and how they are applied, on SQLite and on PostgreSQL.
//!
//! Both backends have the same number of migrations with the same names; version N means the
//! first N have run. SQLite keeps the version in `user_version` and migrates under its write
//! lock (`BEGIN IMMEDIATE`); PostgreSQL keeps it in `zorginkoop_schema` and migrates under a
//! transaction-scoped advisory lock. Either way two processes that open a new database at once
//! both succeed, one migrating while the other waits, and a database of a newer schema than this
//! binary knows is refused untouched.

use crate::StoreError;
use crate::db::Db;

/// The SQLite migrations, in order.
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
    ("0004_portal", include_str!("../migrations/0004_portal.sql")),
    (
        "0005_attachments",
        include_str!("../migrations/0005_attachments.sql"),
    ),
    (
        "0006_settlement",
        include_str!("../migrations/0006_settlement.sql"),
    ),
    (
        "0007_regioplan",
        include_str!("../migrations/0007_regioplan.sql"),
    ),
    ("0008_labs", include_str!("../migrations/0008_labs.sql")),
    (
        "0009_nursing",
        include_str!("../migrations/0009_nursing.sql"),
    ),
];

/// The PostgreSQL migrations, in order: the same versions as [`MIGRATIONS`].
pub const POSTGRES_MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_contracts",
        include_str!("../migrations/postgres/0001_contracts.sql"),
    ),
    (
        "0002_decisions",
        include_str!("../migrations/postgres/0002_decisions.sql"),
    ),
    (
        "0003_contracts_agb_text",
        include_str!("../migrations/postgres/0003_contracts_agb_text.sql"),
    ),
    (
        "0004_portal",
        include_str!("../migrations/postgres/0004_portal.sql"),
    ),
    (
        "0005_attachments",
        include_str!("../migrations/postgres/0005_attachments.sql"),
    ),
    (
        "0006_settlement",
        include_str!("../migrations/postgres/0006_settlement.sql"),
    ),
    (
        "0007_regioplan",
        include_str!("../migrations/postgres/0007_regioplan.sql"),
    ),
    (
        "0008_labs",
        include_str!("../migrations/postgres/0008_labs.sql"),
    ),
    (
        "0009_nursing",
        include_str!("../migrations/postgres/0009_nursing.sql"),
    ),
];

/// An arbitrary constant that names zorginkoop's migration lock among PostgreSQL advisory locks.
const POSTGRES_LOCK: i64 = 0x7a6b_6d69_6772;

pub(crate) fn sqlite(mut conn: rusqlite::Connection) -> Result<rusqlite::Connection, StoreError> {
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
    Ok(conn)
}

pub(crate) fn postgres(db: &Db) -> Result<(), StoreError> {
    let known = POSTGRES_MIGRATIONS.len() as i64;
    db.write(|tx| {
        tx.execute(
            "SELECT pg_advisory_xact_lock(?)",
            crate::args![POSTGRES_LOCK],
        )?;
        tx.batch("CREATE TABLE IF NOT EXISTS zorginkoop_schema (version BIGINT NOT NULL)")?;
        let version = match tx.query_one("SELECT version FROM zorginkoop_schema", &[])? {
            Some(row) => row.int("version")?,
            None => {
                tx.execute("INSERT INTO zorginkoop_schema (version) VALUES (0)", &[])?;
                0
            }
        };
        if version > known {
            return Err(StoreError::NewerSchema {
                found: version,
                known,
            });
        }
        for (_, sql) in POSTGRES_MIGRATIONS.iter().skip(version as usize) {
            tx.batch(sql)?;
        }
        tx.execute(
            "UPDATE zorginkoop_schema SET version = ?",
            crate::args![known],
        )?;
        Ok(())
    })
}

/// The schema version a database is at.
pub fn schema_version(db: &Db) -> Result<i64, StoreError> {
    db.read(|tx| match tx.backend() {
        crate::Backend::Sqlite => tx
            .query_one("PRAGMA user_version", &[])?
            .map(|r| r.int("user_version"))
            .transpose()
            .map(|v| v.unwrap_or(0)),
        crate::Backend::Postgres => tx
            .query_one("SELECT version FROM zorginkoop_schema", &[])?
            .map(|r| r.int("version"))
            .transpose()
            .map(|v| v.unwrap_or(0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |m: &[(&str, &str)]| m.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>();
        assert_eq!(names(MIGRATIONS), names(POSTGRES_MIGRATIONS));
    }
}
