//! The same behaviour on SQLite and on PostgreSQL: contracts, decisions, leading zeros, the
//! append-only audit log, all-or-nothing transactions and concurrent migrations.

use chrono::NaiveDate;
use zorginkoop_store::{Backend, ContractRow, Db, Store, StoreError, args, testing};

fn contract(agb: &str) -> ContractRow {
    ContractRow {
        id: None,
        provider_agb: agb.into(),
        module: "basiszorg".into(),
        prestatie_codes: vec!["13001".into(), "13002".into()],
        start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
        end: Some(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
        tariff_cents: 1234,
        ceiling_cents: None,
        contract_type: "regular".into(),
    }
}

fn org(db: &Db) -> i64 {
    db.write(|tx| {
        tx.insert(
            "INSERT INTO organisations (name, agb, kvk, kind, created_at) VALUES (?, ?, ?, ?, ?)",
            args![
                "De Linde",
                "01012345",
                "01234567",
                "practice",
                "2026-01-01T00:00:00Z"
            ],
        )
    })
    .unwrap()
}

#[test]
fn contracts_round_trip_with_leading_zeros_on_every_backend() {
    for t in testing::databases() {
        let mut store = Store { db: t.db.clone() };
        let ids = store.insert_contracts(&[contract("01012345")]).unwrap();
        let back = store.contracts().unwrap();
        assert_eq!(back.len(), 1, "{:?}", t.backend());
        assert_eq!(back[0].id, Some(ids[0]));
        assert_eq!(back[0].provider_agb, "01012345", "{:?}", t.backend());
        assert_eq!(back[0].prestatie_codes, vec!["13001", "13002"]);
        assert!(
            store.insert_contracts(&[contract("1012345")]).is_err(),
            "{:?}: a 7-digit AGB is refused",
            t.backend()
        );
        assert_eq!(
            store.schema_version().unwrap(),
            zorginkoop_store::MIGRATIONS.len() as i64
        );
    }
}

#[test]
fn a_failed_transaction_leaves_nothing_on_every_backend() {
    for t in testing::databases() {
        let mut store = Store { db: t.db.clone() };
        let err = store
            .insert_contracts(&[contract("01012345"), contract("bad")])
            .unwrap_err();
        assert!(!err.to_string().is_empty());
        assert!(store.contracts().unwrap().is_empty(), "{:?}", t.backend());
    }
}

#[test]
fn the_audit_log_refuses_updates_and_deletes_on_every_backend() {
    for t in testing::databases() {
        let org = org(&t.db);
        t.db.write(|tx| {
            tx.insert(
                "INSERT INTO audit_log (at, organisation_id, action, object_type, object_id) VALUES (?, ?, ?, ?, ?)",
                args!["2026-01-01T00:00:00Z", org, "submit", "application", 1],
            )
        })
        .unwrap();
        let update: Result<u64, StoreError> =
            t.db.write(|tx| tx.execute("UPDATE audit_log SET action = 'x'", &[]));
        let err = update.expect_err("update refused").to_string();
        assert!(
            err.contains("alleen aan te vullen"),
            "{:?}: {err}",
            t.backend()
        );
        let delete: Result<u64, StoreError> =
            t.db.write(|tx| tx.execute("DELETE FROM audit_log", &[]));
        assert!(delete.is_err(), "{:?}: delete refused", t.backend());
        let n =
            t.db.read(|tx| {
                tx.query_one(
                    "SELECT count(*) AS n FROM audit_log WHERE action = 'submit'",
                    &[],
                )
            })
            .unwrap()
            .unwrap()
            .int("n")
            .unwrap();
        assert_eq!(n, 1, "{:?}", t.backend());
    }
}

#[test]
fn null_text_and_integers_come_back_as_they_went_in_on_every_backend() {
    for t in testing::databases() {
        let org = org(&t.db);
        let row =
            t.db.read(|tx| {
                tx.query_one(
                    "SELECT id, name, agb, region FROM organisations WHERE id = ?",
                    args![org],
                )
            })
            .unwrap()
            .unwrap();
        assert_eq!(row.int("id").unwrap(), org);
        assert_eq!(row.text("agb").unwrap(), "01012345");
        assert_eq!(row.opt_text("region").unwrap(), None);
        assert!(row.text("region").is_err(), "NULL is not text");
        assert!(row.int("nope").is_err(), "an unknown column is an error");
    }
}

#[test]
fn many_connections_opening_one_new_postgres_database_at_once_all_succeed() {
    let Some(schema) = testing::postgres_schema() else {
        return;
    };
    let url = schema.url.clone();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Db::open(&url).map(|_| ()).map_err(|e| e.to_string()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let db = Db::open(&url).unwrap();
    assert_eq!(db.backend(), Backend::Postgres);
    assert_eq!(
        zorginkoop_store::migrate::schema_version(&db).unwrap(),
        zorginkoop_store::POSTGRES_MIGRATIONS.len() as i64
    );
}
