//! The use cases the JSON API adds, on SQLite and PostgreSQL: a user lists and revokes its own
//! API tokens (not another user's), and sees the contracts of its own organisation only.

use chrono::{DateTime, NaiveDate, Utc};
use zorginkoop_app::accounts::{self, Actor, Client};
use zorginkoop_app::{AppError, contracts, portal_demo};
use zorginkoop_store::{ContractRow, Store, testing};

fn now() -> DateTime<Utc> {
    "2021-11-01T09:00:00Z".parse().unwrap()
}

fn login(db: &zorginkoop_store::Db, email: &str) -> Actor {
    accounts::login(
        db,
        email,
        portal_demo::DEMO_PASSWORD,
        &Client {
            ip: "192.0.2.10",
            user_agent: "test",
        },
        now(),
    )
    .unwrap()
    .actor
}

#[test]
fn a_user_revokes_its_own_token_and_not_anothers() {
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, now()).unwrap();
        let mila = login(db, "medewerker@delinde.example");
        let pim = login(db, "medewerker@hetplein.example");
        let token = accounts::create_api_token(db, &mila, "boekhouding", now()).unwrap();
        let listed = accounts::api_tokens(db, &mila).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].label, "boekhouding");
        assert!(listed[0].revoked_at.is_none());
        assert!(
            accounts::api_tokens(db, &pim).unwrap().is_empty(),
            "another user's tokens are not listed"
        );

        let id = listed[0].id;
        assert!(matches!(
            accounts::revoke_api_token(db, &pim, id, now()),
            Err(AppError::NotFound(_))
        ));
        assert!(
            accounts::api_actor(db, &token, None).unwrap().is_some(),
            "still valid after another user's attempt"
        );
        accounts::revoke_api_token(db, &mila, id, now()).unwrap();
        assert!(accounts::api_actor(db, &token, None).unwrap().is_none());
        assert!(
            accounts::api_tokens(db, &mila).unwrap()[0]
                .revoked_at
                .is_some()
        );
        assert!(matches!(
            accounts::revoke_api_token(db, &mila, id, now()),
            Err(AppError::Conflict(_))
        ));
    }
}

fn contract(agb: &str, module: &str) -> ContractRow {
    ContractRow {
        id: None,
        provider_agb: agb.into(),
        module: module.into(),
        prestatie_codes: Vec::new(),
        start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
        end: None,
        tariff_cents: 1250,
        ceiling_cents: None,
        contract_type: "regular".into(),
    }
}

#[test]
fn a_provider_sees_its_own_contracts_and_the_insurer_all() {
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, now()).unwrap();
        Store { db: db.clone() }
            .insert_contracts(&[
                contract("01012345", "basiszorg"),
                contract("01056789", "poh-ggz"),
                contract("01012345", "praktijkmanagement"),
            ])
            .unwrap();
        let modules = |a: &Actor| -> Vec<String> {
            contracts::visible(db, a)
                .unwrap()
                .into_iter()
                .map(|c| format!("{} {}", c.provider_agb, c.module))
                .collect()
        };
        assert_eq!(
            modules(&login(db, "huisarts@delinde.example")),
            ["01012345 basiszorg", "01012345 praktijkmanagement"]
        );
        assert_eq!(
            modules(&login(db, "medewerker@hetplein.example")),
            ["01056789 poh-ggz"]
        );
        assert_eq!(
            modules(&login(db, "auditor@zorgverzekeraar.example")).len(),
            3
        );
    }
}
