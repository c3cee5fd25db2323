//! The use cases as a front end calls them, on the shipped policies and examples.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_app::decisions::{self, DecideRequest};
use zorginkoop_app::{AppError, calculators, contracts, demo, policies, timelines};
use zorginkoop_engine::Outcome;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dir() -> PathBuf {
    repo().join("policies")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn the_shipped_policies_load_and_validate() {
    let set = policies::load(&dir()).unwrap();
    let v = policies::validate(&set);
    assert!(v.is_valid(), "{:?}", v.problems);
    assert_eq!(v.policies, 5);
    assert_eq!(v.documents, 5, "every source document is found");
    let ids: Vec<String> = policies::list(&set).into_iter().map(|p| p.id).collect();
    assert!(ids.contains(&"gp-2022-2023".to_string()), "{ids:?}");
}

#[test]
fn an_unknown_policy_names_the_known_ones() {
    let err = policies::open(&dir(), "gp-2099").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, AppError::UnknownPolicy { .. }));
    assert!(
        msg.contains("gp-2099") && msg.contains("gp-2022-2023"),
        "{msg}"
    );
}

#[test]
fn a_case_is_decided_under_the_policy_the_front_end_names_else_its_own() {
    let case = decisions::read_case(&repo().join("examples/practice-de-linde.json")).unwrap();
    let own = case.policy.clone().expect("the example names its policy");
    let req = DecideRequest {
        name: "de-linde",
        case: &case,
        policy: None,
        date: None,
        today: d(2030, 1, 1),
    };
    assert_eq!(req.policy_id().unwrap(), own);
    // the request date of the case is the reference date, not "today"
    assert_eq!(Some(req.reference_date()), case.request_date);
    let decision = decisions::decide_in(&dir(), &req).unwrap();
    assert_eq!(decision.receipt.policy_id, own);

    let other = DecideRequest {
        policy: Some("gp-2020-2021"),
        date: Some(d(2019, 10, 1)),
        ..req.clone()
    };
    let decision = decisions::decide_in(&dir(), &other).unwrap();
    assert_eq!(decision.receipt.policy_id, "gp-2020-2021");
    assert_eq!(decision.receipt.reference_date, d(2019, 10, 1));
}

#[test]
fn a_case_without_a_policy_is_refused_with_a_hint() {
    let mut case = decisions::read_case(&repo().join("examples/practice-de-linde.json")).unwrap();
    case.policy = None;
    let req = DecideRequest {
        name: "aanvraag.json",
        case: &case,
        policy: None,
        date: None,
        today: d(2021, 11, 1),
    };
    let err = decisions::decide_in(&dir(), &req).unwrap_err();
    assert!(err.to_string().contains("--policy"), "{err}");
}

#[test]
fn a_recorded_decision_keeps_receipt_and_trace_per_module() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("z.db");
    let mut store = zorginkoop_store::Store::open(&db).unwrap();
    let case = decisions::read_case(&repo().join("examples/practice-de-linde.json")).unwrap();
    let req = DecideRequest {
        name: "de-linde",
        case: &case,
        policy: None,
        date: None,
        today: d(2021, 11, 1),
    };
    let decision = decisions::decide_in(&dir(), &req).unwrap();
    let n = decisions::record(&mut store, &db, &decision, "2021-11-01T10:00:00Z").unwrap();
    assert_eq!(n, decision.modules.len());
    let rows = decisions::audit_rows(&decision, "t").unwrap();
    assert!(
        rows.iter()
            .all(|r| r.policy_sha256 == decision.receipt.policy_sha256)
    );
    assert!(rows.iter().all(|r| r.trace_json.starts_with('[')));
    let total: i64 = store
        .decision_counts()
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(total as usize, decision.modules.len());
}

#[test]
fn a_calculator_answers_with_the_receipt_of_its_policy() {
    let r = calculators::run_in(
        &dir(),
        calculators::CalcRequest {
            name: "poh-ggz-hours",
            input: serde_json::json!({"registered_patients": 4700}),
            policy: None,
            date: None,
            parameters: Default::default(),
        },
    )
    .unwrap();
    // "12 uur per 2.350 ingeschreven patiënten": twice the norm practice gets 24 hours
    let hours: rust_decimal::Decimal = r.output["max_hours_per_week"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(hours, rust_decimal::Decimal::from(24));
    assert_eq!(r.receipt.policy_id, "gp-2022-2023");
    assert_eq!(r.receipt.reference_date, d(2022, 1, 1));
    let err = calculators::run_in(
        &dir(),
        calculators::CalcRequest {
            name: "no-such",
            input: serde_json::json!({}),
            policy: None,
            date: None,
            parameters: Default::default(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("no-such"), "{err}");
}

#[test]
fn the_timeline_says_what_is_due_next_and_in_how_many_days() {
    let set = policies::load(&dir()).unwrap();
    let p = policies::find(&set, "gp-2022-2023").unwrap();
    let t = timelines::timeline(p, d(2021, 10, 1));
    let due = t.next_due.expect("something is due in October 2021");
    assert!(due.date >= d(2021, 10, 1));
    assert_eq!(due.days_left, (due.date - d(2021, 10, 1)).num_days());
}

#[test]
fn seeding_the_demo_contracts_twice_adds_them_once_and_they_export() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("portal.db");
    let first = contracts::seed_demo_db(&db).unwrap();
    assert!(!first.added.is_empty());
    assert_eq!(first.present, 0);
    let second = contracts::seed_demo_db(&db).unwrap();
    assert!(second.added.is_empty(), "nothing added again: {second:?}");
    assert_eq!(second.present, first.added.len());
    let out = tmp.path().join("contracts.csv");
    let n = contracts::export(db.to_str().unwrap(), &out).unwrap();
    assert_eq!(n, first.added.len());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text.lines().count(),
        n + 1,
        "a header and one line per contract"
    );
}

#[test]
fn exporting_from_a_missing_database_does_not_create_one() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("none.db");
    let err = contracts::export(db.to_str().unwrap(), &tmp.path().join("c.csv")).unwrap_err();
    assert!(matches!(err, AppError::NoDatabase(_)));
    assert!(!db.exists());
}

#[test]
fn the_demo_decides_every_example_and_keeps_the_decisions() {
    let tmp = tempfile::tempdir().unwrap();
    let set = policies::load(&dir()).unwrap();
    let req = demo::DemoRequest {
        db: tmp.path().join("demo.db"),
        examples: repo().join("examples").into(),
        date: None,
        decided_at: "2026-11-27T12:00:00Z".into(),
    };
    let report = demo::run(&set, &req).unwrap();
    let examples = std::fs::read_dir(repo().join("examples")).unwrap().count();
    assert_eq!(report.decisions.len() + report.skipped.len(), examples);
    assert!(report.skipped.is_empty());
    let modules: usize = report
        .decisions
        .iter()
        .map(|e| e.decision.modules.len())
        .sum();
    let kept: i64 = report.decision_counts.iter().map(|(_, n)| n).sum();
    assert_eq!(kept as usize, modules);
    assert!(
        report
            .decisions
            .iter()
            .flat_map(|e| &e.decision.modules)
            .any(|m| m.outcome == Outcome::Eligible)
    );
    assert_eq!(report.timelines.len(), set.policies.len());
    // a second demo on the same database adds no contracts again
    let again = demo::run(&set, &req).unwrap();
    assert!(again.seeded.added.is_empty());
    assert_eq!(again.contracts, report.contracts);
}

#[test]
fn a_policy_diff_reads_in_dutch_with_the_field_that_changed() {
    let set = policies::load(&dir()).unwrap();
    let old = policies::find(&set, "gp-2020-2021").unwrap();
    let new = policies::find(&set, "gp-2022-2023").unwrap();
    let lines = policies::readable(&policies::diff(old, new));
    assert!(!lines.is_empty());
    // the POH-GGZ module got an application schedule: expanded to the field, in Dutch
    let poh = lines
        .iter()
        .find(|l| l.item == "module poh-ggz" && l.field.as_deref() == Some("aanvraag"))
        .expect("poh-ggz application changed");
    assert_eq!(poh.old.as_deref(), Some("(geen)"));
    assert!(
        poh.new.as_deref().unwrap().contains("elk kwartaal"),
        "{poh:?}"
    );
    assert!(lines.iter().all(|l| !l.item.contains("claim rule")));
    assert!(
        lines
            .iter()
            .filter_map(|l| l.new.as_deref())
            .all(|v| !v.starts_with('{') && !v.starts_with('[')),
        "no raw JSON"
    );
}

#[test]
fn a_calculation_reads_an_overridden_example_parameter_and_the_receipt_names_it() {
    let run = |parameters: &[(&str, &str)]| {
        calculators::run_in(
            &dir(),
            calculators::CalcRequest {
                name: "poh-s-supplement",
                input: serde_json::json!({"registered_patients": 2000, "total_hours_per_week": 10}),
                policy: None,
                date: None,
                parameters: parameters
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
                    .collect(),
            },
        )
    };
    // the rekentool's example hourly cost is 50 euro; a practice paying 60 euro asks with 60:
    // 10 hours a week at 60 euro for 40 weeks is 24000 euro a year
    let r = run(&[("poh-s.hourly-cost", "60"), ("poh-s.weeks-per-year", "40")]).unwrap();
    assert_eq!(r.output["total_cost_per_year"], serde_json::json!("24000"));
    let ids: Vec<&str> = r.receipt.overrides.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["poh-s.hourly-cost", "poh-s.weeks-per-year"]);
    assert_eq!(
        r.receipt.overrides[0].policy_value,
        Some(rust_decimal::Decimal::new(5000, 2))
    );
    let plain = run(&[]).unwrap();
    assert!(plain.receipt.overrides.is_empty());
    assert_ne!(
        plain.output["total_cost_per_year"],
        r.output["total_cost_per_year"]
    );
    // a published figure (the norm practice) is refused, naming the parameter
    let err = run(&[("norm-practice.patients", "2000")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("`norm-practice.patients`"), "{err}");
    assert!(
        err.contains("kan niet per aanvraag worden aangepast"),
        "{err}"
    );
}

#[test]
fn contracts_export_from_postgresql_as_from_sqlite() {
    let Some(pg) = zorginkoop_store::testing::postgres() else {
        return;
    };
    let mut store = zorginkoop_store::Store { db: pg.db.clone() };
    let seeded = contracts::seed_demo(&mut store, std::path::Path::new("postgres")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("contracts.csv");
    let n = contracts::export(&pg.url, &out).unwrap();
    assert_eq!(n, seeded.added.len());
    let sqlite_db = tmp.path().join("portal.db");
    contracts::seed_demo_db(&sqlite_db).unwrap();
    let out2 = tmp.path().join("contracts-sqlite.csv");
    contracts::export(sqlite_db.to_str().unwrap(), &out2).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(&out2).unwrap(),
        "the same contracts.csv from either database"
    );
}
