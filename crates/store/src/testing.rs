//! Databases for tests: the same test runs on SQLite and on PostgreSQL.
//!
//! [`databases`] gives a fresh SQLite file and, when PostgreSQL is reachable, a fresh schema in
//! it (dropped again when the [`TestDb`] is dropped). PostgreSQL is found at
//! `ZORGINKOOP_TEST_POSTGRES` (default `postgres://root@127.0.0.1:5432/test`, what this project's
//! machines and CI have). When it cannot be reached the PostgreSQL case is left out with a note on
//! stderr, except under CI (`CI` set) or with `ZORGINKOOP_REQUIRE_POSTGRES=1`, where that fails
//! the test: in CI nothing is skipped.

use crate::{Backend, Db};
use std::sync::atomic::{AtomicU64, Ordering};

/// The PostgreSQL server tests use.
pub fn postgres_url() -> String {
    std::env::var("ZORGINKOOP_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/test".to_string())
}

fn postgres_required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
        || std::env::var("ZORGINKOOP_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// A database for one test; a PostgreSQL schema is dropped on drop.
pub struct TestDb {
    pub db: Db,
    /// Where it lives: the SQLite file or the PostgreSQL URL with its schema.
    pub url: String,
    _dir: Option<tempfile_dir::TempDir>,
    _schema: Option<PostgresSchema>,
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, migrated SQLite database in a temporary folder.
pub fn sqlite() -> TestDb {
    let dir = tempfile_dir::TempDir::new();
    let path = dir.path().join("test.db");
    TestDb {
        db: Db::open_sqlite(&path).expect("SQLite test database"),
        url: path.display().to_string(),
        _dir: Some(dir),
        _schema: None,
    }
}

/// A fresh, empty schema in the test PostgreSQL server (dropped on drop), or None (with a note)
/// when it cannot be reached and PostgreSQL is not required.
pub fn postgres_schema() -> Option<PostgresSchema> {
    let base = postgres_url();
    let mut admin = match postgres::Client::connect(&base, postgres::NoTls) {
        Ok(c) => c,
        Err(e) if !postgres_required() => {
            eprintln!(
                "note: PostgreSQL at {base} is not reachable ({e}); this test runs on SQLite only \
                 (set CI=1 or ZORGINKOOP_REQUIRE_POSTGRES=1 to make this an error)"
            );
            return None;
        }
        Err(e) => panic!("PostgreSQL at {base} is required (CI) but not reachable: {e}"),
    };
    let schema = format!(
        "zk_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("create test schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some(PostgresSchema { url, schema })
}

/// An empty PostgreSQL schema for one test, dropped on drop.
pub struct PostgresSchema {
    /// A URL whose connections use only this schema.
    pub url: String,
    schema: String,
}

impl Drop for PostgresSchema {
    fn drop(&mut self) {
        // on a thread of its own: the synchronous client cannot run inside an async test
        let schema = self.schema.clone();
        let _ = std::thread::spawn(move || {
            if let Ok(mut c) = postgres::Client::connect(&postgres_url(), postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        })
        .join();
    }
}

/// A fresh, migrated schema in the test PostgreSQL server, or None (see [`postgres_schema`]).
pub fn postgres() -> Option<TestDb> {
    let schema = postgres_schema()?;
    Some(TestDb {
        db: Db::open(&schema.url).expect("PostgreSQL test database"),
        url: schema.url.clone(),
        _dir: None,
        _schema: Some(schema),
    })
}

/// SQLite, and PostgreSQL when reachable (always under CI). Safe to call inside an async test
/// (the PostgreSQL set-up runs on a thread of its own).
pub fn databases() -> Vec<TestDb> {
    let mut out = vec![sqlite()];
    out.extend(
        std::thread::spawn(postgres)
            .join()
            .expect("PostgreSQL test set-up"),
    );
    out
}

/// A temporary folder without a dependency on the tempfile crate.
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> TempDir {
            let n = super::COUNTER.fetch_add(1, super::Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let p = std::env::temp_dir().join(format!(
                "zorginkoop-test-{}-{n}-{nanos}",
                std::process::id()
            ));
            std::fs::create_dir_all(&p).expect("temporary folder");
            TempDir(p)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
