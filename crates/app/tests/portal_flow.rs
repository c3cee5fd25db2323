//! The portal's path from catalogue to signed contract, through the use cases, on SQLite and on
//! PostgreSQL: a GP practice applies for the base contract, the purchaser grants it and
//! proposes, a non-signer cannot sign, the signer signs, and the contract is there for the
//! claims checker; then the next module sees the base contract as contracted.

use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;
use zorginkoop_app::accounts::{self, Actor, Client, Role};
use zorginkoop_app::applications::{self, Review, State};
use zorginkoop_app::proposals::{self, NewProposal, Signature};
use zorginkoop_app::{AppError, audit, policies, portal_demo};
use zorginkoop_engine::Outcome;
use zorginkoop_store::{Store, testing};

fn now() -> DateTime<Utc> {
    "2021-11-01T09:00:00Z".parse().unwrap()
}

fn today() -> NaiveDate {
    portal_demo::demo_today()
}

fn login(db: &zorginkoop_store::Db, email: &str) -> Actor {
    accounts::login(
        db,
        email,
        portal_demo::DEMO_PASSWORD,
        &Client {
            ip: "192.0.2.10",
            user_agent: "test-browser",
        },
        now(),
    )
    .unwrap()
    .actor
}

fn answers(pairs: &[(&str, serde_json::Value)]) -> BTreeMap<String, Option<serde_json::Value>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Some(v.clone())))
        .collect()
}

#[test]
fn from_catalogue_to_signed_contract_on_every_backend() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        assert!(portal_demo::seed(db, now()).unwrap());
        assert!(
            !portal_demo::seed(db, now()).unwrap(),
            "seeding twice adds nothing"
        );
        let employee = login(db, "medewerker@delinde.example");
        let signer = login(db, "huisarts@delinde.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let other = login(db, "medewerker@hetplein.example");

        // the catalogue of a GP practice holds the base contract
        let policy = policies::find(&set, "gp-2022-2023").unwrap();
        let org = accounts::organisation(db, &employee, employee.organisation_id).unwrap();
        let catalogue = applications::catalogue(policy, &org);
        assert!(catalogue.iter().any(|m| m.id == "basiszorg"));

        // a draft: the decision says which answers are missing
        let id =
            applications::start(db, &set, &employee, "gp-2022-2023", "basiszorg", now()).unwrap();
        let app = applications::get(db, &employee, id).unwrap();
        assert_eq!(app.state, State::Draft);
        let live = applications::decide_module(db, policy, &org, "basiszorg", &app.facts, today())
            .unwrap();
        assert_eq!(live.outcome, Outcome::NeedsInformation);
        assert!(live.missing_facts.iter().any(|f| f == "gp_big_registered"));
        assert!(
            applications::submit(db, &set, &employee, id, today(), now()).is_err(),
            "a draft with missing answers cannot be submitted"
        );

        // another organisation sees nothing of it
        assert!(matches!(
            applications::get(db, &other, id),
            Err(AppError::NotFound(_))
        ));

        // answers survive (stored), and a wrong type is refused
        assert!(
            applications::save_facts(
                db,
                &set,
                &employee,
                id,
                &answers(&[("gp_big_registered", serde_json::json!("ja"))]),
                now()
            )
            .is_err()
        );
        applications::save_facts(
            db,
            &set,
            &employee,
            id,
            &answers(&[
                ("gp_big_registered", serde_json::json!(true)),
                ("contracts_full_scope", serde_json::json!(true)),
            ]),
            now(),
        )
        .unwrap();
        let app = applications::submit(db, &set, &employee, id, today(), now()).unwrap();
        assert_eq!(app.state, State::Submitted);
        assert_eq!(app.request_date, Some(today()));
        assert!(
            app.decision.is_some(),
            "the decision is kept with its receipt"
        );

        // the purchaser's queue holds it; the provider cannot review its own application
        assert!(
            applications::queue(db, &purchaser)
                .unwrap()
                .iter()
                .any(|a| a.id == id)
        );
        assert!(matches!(
            applications::review(db, &employee, id, &Review::Grant, now()),
            Err(AppError::Forbidden(_))
        ));
        applications::review(db, &purchaser, id, &Review::Start, now()).unwrap();
        let granted = applications::review(db, &purchaser, id, &Review::Grant, now()).unwrap();
        assert_eq!(granted.state, State::Granted);

        // a proposal; only the signer can answer it
        let pid = proposals::propose(
            db,
            &set,
            &purchaser,
            &NewProposal {
                application_id: Some(id),
                organisation_id: 0,
                policy_id: String::new(),
                module: String::new(),
                terms: proposals::tariff_terms(policy, "basiszorg", today()),
                start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
                end: Some(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
                ceiling_cents: None,
            },
            now(),
        )
        .unwrap();
        let p = proposals::get(db, &employee, pid).unwrap();
        assert_eq!(p.state, proposals::State::Proposed);
        let sig = Signature {
            ip: "192.0.2.10",
            user_agent: "test-browser",
            text_sha256: &p.text_sha256,
        };
        assert!(matches!(
            proposals::answer(db, &employee, pid, true, None, &sig, now()),
            Err(AppError::Forbidden(_))
        ));
        let wrong = Signature {
            text_sha256: &"0".repeat(64),
            ..sig.clone()
        };
        assert!(
            proposals::answer(db, &signer, pid, true, None, &wrong, now()).is_err(),
            "a signature over another text is refused"
        );
        let signed = proposals::answer(db, &signer, pid, true, None, &sig, now()).unwrap();
        assert_eq!(signed.state, proposals::State::Accepted);
        assert_eq!(signed.answered_ip.as_deref(), Some("192.0.2.10"));
        let receipt = proposals::receipt_text(&signed).unwrap();
        assert!(receipt.contains(&signed.text_sha256));
        assert!(receipt.contains("Dr. Hanna de Linde"));
        assert!(receipt.contains("Op: 01-11-2021 09:00:00 UTC"), "{receipt}");
        assert!(
            !signed.text.contains("(basiszorg) (basiszorg)"),
            "{}",
            signed.text
        );
        assert!(
            signed.text.contains("geen tariefparameters"),
            "{}",
            signed.text
        );
        assert!(
            proposals::answer(db, &signer, pid, true, None, &sig, now()).is_err(),
            "nothing is signed twice"
        );

        // the contract is in the one table the claims checker exports
        let contracts = Store { db: db.clone() }.contracts().unwrap();
        let c = contracts
            .iter()
            .find(|c| Some(c.id.unwrap()) == signed.contract_id)
            .expect("the signed contract is a contract");
        assert_eq!(c.provider_agb, "01012345");
        assert_eq!(c.module, "basiszorg");

        // and the next module sees the base contract as contracted
        let contracted = db
            .read(|tx| applications::contracted_modules(tx, &org, today()))
            .unwrap();
        assert_eq!(contracted, vec!["basiszorg".to_string()]);
        let pm = applications::start(
            db,
            &set,
            &employee,
            "gp-2022-2023",
            "praktijkmanagement",
            now(),
        )
        .unwrap();
        applications::save_facts(
            db,
            &set,
            &employee,
            pm,
            &answers(&[
                ("registered_patients", serde_json::json!(2350)),
                ("pm_works_for_collaboration", serde_json::json!(true)),
                ("pm_takes_over_management_tasks", serde_json::json!(true)),
                ("pm_promotes_cooperation", serde_json::json!(true)),
                ("pm_hbo_education_completed", serde_json::json!(true)),
                ("pm_education_started", serde_json::json!(false)),
                (
                    "pm_hours_are_doctors_assistant_hours",
                    serde_json::json!(false),
                ),
            ]),
            now(),
        )
        .unwrap();
        let pm = applications::submit(db, &set, &employee, pm, today(), now()).unwrap();
        let decided = pm
            .decision
            .as_ref()
            .unwrap()
            .module("praktijkmanagement")
            .unwrap();
        assert_eq!(decided.outcome, Outcome::Eligible, "{:?}", t.backend());
        assert_eq!(
            pm.earliest_start,
            Some(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()),
            "submitted on 1 November 2021 (more than 4 weeks before), it can start on 1 January 2022"
        );

        // every step is in the audit log, which the provider sees only for itself
        let log = audit::list(db, &purchaser, 100).unwrap();
        for action in [
            "aanvraag gestart",
            "aanvraag ingediend",
            "aanvraag toegekend",
            "contract voorgesteld",
            "voorstel ondertekend",
        ] {
            assert!(
                log.iter().any(|e| e.action == action),
                "{:?}: {action} in the audit log",
                t.backend()
            );
        }
        let own = audit::list(db, &other, 100).unwrap();
        assert!(
            own.iter()
                .all(|e| e.organisation_id == Some(other.organisation_id))
        );
        assert_eq!(signer.role, Role::ProviderSigner);
    }
}

#[test]
fn attachments_are_bounded_typed_by_content_and_private_on_every_backend() {
    use zorginkoop_app::attachments;
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, now()).unwrap();
        let employee = login(db, "medewerker@delinde.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let other = login(db, "medewerker@hetplein.example");
        let id =
            applications::start(db, &set, &employee, "gp-2022-2023", "basiszorg", now()).unwrap();
        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        let aid = attachments::add(
            db,
            &employee,
            id,
            "C:\\stukken\\accreditatie.pdf",
            pdf,
            now(),
        )
        .unwrap();
        let (a, bytes) = attachments::get(db, &purchaser, aid).unwrap();
        assert_eq!(a.file_name, "accreditatie.pdf");
        assert_eq!(a.content_type, "application/pdf");
        assert_eq!(bytes, pdf.to_vec(), "{:?}", t.backend());
        assert!(matches!(
            attachments::get(db, &other, aid),
            Err(AppError::NotFound(_))
        ));
        assert!(attachments::add(db, &other, id, "x.pdf", pdf, now()).is_err());
        let exe = attachments::add(db, &employee, id, "rapport.pdf", b"MZ\x90\x00\x03", now())
            .unwrap_err();
        assert!(exe.to_string().contains("alleen PDF"), "{exe}");
        let big = vec![b'a'; attachments::MAX_BYTES + 1];
        assert!(attachments::add(db, &employee, id, "groot.txt", &big, now()).is_err());
        assert_eq!(attachments::list(db, &employee, id).unwrap().len(), 1);
    }
}

#[test]
fn an_administrative_contract_only_for_a_module_the_providers_kind_may_contract() {
    let set = policies::load_default().unwrap();
    let t = testing::sqlite();
    let db = &t.db;
    portal_demo::seed(db, now()).unwrap();
    let purchaser = login(db, "inkoper@zorgverzekeraar.example");
    let lab = login(db, "analist@labmidden.example");
    let p = NewProposal {
        application_id: None,
        organisation_id: lab.organisation_id,
        policy_id: "gp-2022-2023".into(),
        module: "basiszorg".into(),
        terms: Vec::new(),
        start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
        end: None,
        ceiling_cents: None,
    };
    let err = proposals::record_administrative(db, &set, &purchaser, &p, now()).unwrap_err();
    assert!(matches!(err, AppError::Invalid { .. }), "{err}");
    assert!(Store { db: db.clone() }.contracts().unwrap().is_empty());
}
