//! Recorded settlement statements on SQLite and PostgreSQL: a run is recorded whole and once,
//! a provider sees only its own statements, the mirror information names no other provider to a
//! provider, the database refuses changes to a recorded statement, and the xlsx holds every
//! line's figure and passage.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::io::Read;
use std::str::FromStr;
use zorginkoop_app::accounts::{self, Actor, Client};
use zorginkoop_app::settlement::{self, NURSING_MIRROR, NewRun, NewStatement};
use zorginkoop_app::{AppError, audit, portal_demo};
use zorginkoop_store::{args, testing};

fn now() -> DateTime<Utc> {
    "2022-06-01T09:00:00Z".parse().unwrap()
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

/// A statement in the shape `zorginkoop settle` writes, with the figures given.
fn statement(agb: &str, production: &str, hours: &str, total: &str) -> NewStatement {
    let json = serde_json::json!({
        "schema": "zorginkoop.settlement.district-nursing/1",
        "policy": {"id": "district-nursing-2021", "version": "1", "sha256": "ab"},
        "provider_agb": agb,
        "category": "regular",
        "lines": [
            {"step": "production", "label": "Productie 2021", "amount": {"kind": "euro", "value": production},
             "calculation": "som van de goedgekeurde declaraties",
             "source": {"document": "004_ff397b22ce59c05b.txt", "section": "4. Hoe bepalen wij onze tarieven en hoeveel zorg wij inkopen?",
                        "quote": "Per zorgaanbieder stellen wij een basisbudget vast"}},
            {"step": "hours_year", "label": "Uren per cliënt per maand", "amount": {"kind": "hours", "value": hours},
             "calculation": "gemiddelde", "choice": "uren uit bedragen",
             "source": {"document": "004_ff397b22ce59c05b.txt", "section": "Bijlage 6. Doelmatigheidsverbetering", "quote": "uren"}},
            {"step": "total", "label": "Afgerekend bedrag 2021", "amount": {"kind": "euro", "value": total},
             "calculation": "-", "source": {"document": "004_ff397b22ce59c05b.txt", "section": "4", "quote": "balans"}}
        ],
        "missing": [],
        "total": total,
    });
    NewStatement {
        provider_agb: agb.into(),
        category: "reguliere zorgaanbieder".into(),
        total: Some(Decimal::from_str(total).unwrap()),
        json,
    }
}

fn run(inputs: &str) -> NewRun {
    NewRun {
        domain: settlement::DOMAIN_NURSING.into(),
        year: 2021,
        policy_id: "district-nursing-2021".into(),
        policy_version: "1".into(),
        policy_sha256: "ab".into(),
        inputs_sha256: settlement::inputs_sha256(&[("results", inputs.as_bytes())]),
        inputs_note: "results.parquet".into(),
        statements: vec![
            // Thuiszorg De Wijk (a demo organisation) and two providers without an account
            statement("75001234", "116569.12", "7.2500", "116569.12"),
            statement("75111111", "350000.00", "9.0000", "350000.00"),
            statement("75222222", "72100.00", "5.5000", "72100.00"),
        ],
    }
}

#[test]
fn a_run_is_recorded_whole_and_the_same_inputs_record_nothing_twice() {
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, now()).unwrap();
        let first = settlement::record_run(db, &run("claims of 2021"), "beheer", now()).unwrap();
        assert!(first.new);
        assert_eq!(first.statements, 3);
        let again = settlement::record_run(db, &run("claims of 2021"), "beheer", now()).unwrap();
        assert_eq!(
            again,
            settlement::Recorded {
                run_id: first.run_id,
                new: false,
                statements: 3
            },
            "the same inputs give the run recorded before"
        );
        let count = |sql: &str| {
            db.read(|tx| tx.query_one(sql, &[]))
                .unwrap()
                .unwrap()
                .int("n")
                .unwrap()
        };
        assert_eq!(count("SELECT count(*) AS n FROM settlement_runs"), 1);
        assert_eq!(count("SELECT count(*) AS n FROM settlement_statements"), 3);
        // the audit log has the run, once, with its total and the policy it rests on
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let entries: Vec<_> = audit::list(db, &purchaser, 50)
            .unwrap()
            .into_iter()
            .filter(|e| e.object_type == "settlement_run")
            .collect();
        assert_eq!(entries.len(), 1);
        assert!(
            entries[0].after.as_deref().unwrap().contains("538669.12"),
            "{:?}",
            entries[0].after
        );
        assert!(
            entries[0]
                .receipt
                .as_deref()
                .unwrap()
                .contains("district-nursing-2021")
        );

        // other claims are a new run, which becomes the current one
        let second = settlement::record_run(db, &run("claims corrected"), "beheer", now()).unwrap();
        assert!(second.new);
        let runs = settlement::runs(db, &purchaser).unwrap();
        assert_eq!(runs.len(), 2);
        assert!(runs[0].current && runs[0].id == second.run_id);
        assert!(!runs[1].current);
        // the purchaser's list: the current run's statements only
        let listed = settlement::statements(db, &purchaser, None).unwrap();
        assert_eq!(listed.len(), 3);
        assert!(listed.iter().all(|s| s.run.id == second.run_id));
    }
}

#[test]
fn a_run_with_a_bad_agb_code_records_nothing() {
    for t in testing::databases() {
        let db = &t.db;
        let mut bad = run("x");
        bad.statements
            .push(statement("7500123", "1.00", "1", "1.00"));
        let e = settlement::record_run(db, &bad, "beheer", now()).unwrap_err();
        assert!(e.to_string().contains("7500123"), "{e}");
        let n = db
            .read(|tx| tx.query_one("SELECT count(*) AS n FROM settlement_runs", &[]))
            .unwrap()
            .unwrap()
            .int("n")
            .unwrap();
        assert_eq!(n, 0);
    }
}

#[test]
fn a_provider_sees_its_own_statement_and_no_other() {
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, now()).unwrap();
        let rec = settlement::record_run(db, &run("2021"), "beheer", now()).unwrap();
        let wijk = login(db, "planner@dewijk.example");
        let nieuw = login(db, "planner@wijkzorgnieuw.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");

        let own = settlement::statements(db, &wijk, None).unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].provider_agb, "75001234");
        assert_eq!(own[0].provider_name.as_deref(), Some("Thuiszorg De Wijk"));
        assert_eq!(own[0].total.as_deref(), Some("116569.12"));
        assert!(settlement::statements(db, &nieuw, None).unwrap().is_empty());
        assert!(settlement::runs(db, &nieuw).unwrap().is_empty());

        let all = settlement::statements(db, &purchaser, Some(rec.run_id)).unwrap();
        let agbs: Vec<&str> = all.iter().map(|s| s.provider_agb.as_str()).collect();
        assert_eq!(agbs, ["75001234", "75111111", "75222222"]);

        // another provider's statement answers like a missing one
        let other = all
            .iter()
            .find(|s| s.provider_agb == "75111111")
            .unwrap()
            .id;
        assert!(matches!(
            settlement::statement(db, &wijk, other),
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            settlement::mirror(db, &wijk, other, NURSING_MIRROR),
            Err(AppError::NotFound(_))
        ));
        let detail = settlement::statement(db, &wijk, own[0].id).unwrap();
        assert_eq!(
            detail.statement["lines"][0]["source"]["quote"],
            "Per zorgaanbieder stellen wij een basisbudget vast"
        );
    }
}

#[test]
fn the_mirror_shows_the_peers_without_name_or_code_to_a_provider() {
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, now()).unwrap();
        settlement::record_run(db, &run("2021"), "beheer", now()).unwrap();
        let wijk = login(db, "planner@dewijk.example");
        let id = settlement::statements(db, &wijk, None).unwrap()[0].id;
        let mirror = settlement::mirror(db, &wijk, id, NURSING_MIRROR).unwrap();
        let hours = mirror.iter().find(|m| m.step == "hours_year").unwrap();
        // 5,5 < 7,25 < 9: De Wijk is in the middle, which is the median of three
        let labels: Vec<&str> = hours.points.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            ["aanbieder 1", "75001234 Thuiszorg De Wijk", "aanbieder 2"]
        );
        assert_eq!(hours.median, Decimal::new(725, 2));
        assert!(hours.points[1].own);
        let production = mirror.iter().find(|m| m.step == "production").unwrap();
        assert_eq!(production.points.len(), 3);
        // the median of 72.100, 116.569,12 and 350.000
        assert_eq!(production.median, Decimal::new(11656912, 2));
        let text = format!("{mirror:?}");
        assert!(!text.contains("75111111") && !text.contains("75222222"));
        // a figure no provider has is not shown
        assert!(mirror.iter().all(|m| m.step != "client_postcode_ratio"));

        // the purchaser sees every provider by code
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let mirror = settlement::mirror(db, &purchaser, id, NURSING_MIRROR).unwrap();
        let hours = mirror.iter().find(|m| m.step == "hours_year").unwrap();
        assert_eq!(hours.points[0].label, "75222222");
    }
}

#[test]
fn the_database_refuses_changing_or_removing_a_recorded_statement() {
    for t in testing::databases() {
        let db = &t.db;
        settlement::record_run(db, &run("2021"), "beheer", now()).unwrap();
        for sql in [
            "UPDATE settlement_statements SET total = '1.00'",
            "DELETE FROM settlement_statements",
            "UPDATE settlement_runs SET recorded_by = 'iemand anders'",
            "DELETE FROM settlement_runs",
        ] {
            let r = db.write(|tx| tx.execute(sql, &[]));
            let e = r.expect_err(sql);
            assert!(
                e.to_string().contains("afrekening"),
                "{sql}: {e} (the refusal says why)"
            );
        }
        let total = db
            .read(|tx| {
                tx.query_one(
                    "SELECT total FROM settlement_statements WHERE provider_agb = ?",
                    args!["75001234"],
                )
            })
            .unwrap()
            .unwrap()
            .text("total")
            .unwrap();
        assert_eq!(total, "116569.12");
    }
}

/// The text of a part of an xlsx (a zip of XML files).
fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_xlsx_holds_each_lines_figure_and_passage() {
    let t = testing::sqlite();
    let db = &t.db;
    portal_demo::seed(db, now()).unwrap();
    settlement::record_run(db, &run("2021"), "beheer", now()).unwrap();
    let wijk = login(db, "planner@dewijk.example");
    let id = settlement::statements(db, &wijk, None).unwrap()[0].id;
    let detail = settlement::statement(db, &wijk, id).unwrap();
    let mirror = settlement::mirror(db, &wijk, id, NURSING_MIRROR).unwrap();
    let bytes = settlement::xlsx::statement_xlsx(&detail, &mirror).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip container");
    let workbook = xlsx_part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"Afrekening\""));
    assert!(workbook.contains("name=\"Spiegelinformatie\""));
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    for s in [
        "Per zorgaanbieder stellen wij een basisbudget vast",
        "Bijlage 6. Doelmatigheidsverbetering",
        "uren uit bedragen",
        "Thuiszorg De Wijk",
        "116569.12",
        "aanbieder 1",
    ] {
        assert!(strings.contains(s), "{s} is in the workbook");
    }
    assert!(!strings.contains("75111111"), "no other provider's code");
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    // the production and the total as number cells
    assert!(
        sheet.matches("<v>116569.12</v>").count() >= 2,
        "the figures are numbers: {sheet}"
    );
    assert!(sheet.contains("<v>7.25</v>"));
}

/// A diagnostics statement in the shape `zorginkoop settle labs` writes.
fn lab_statement(agb: &str, orders: &str, analyses: &str, total: &str) -> NewStatement {
    let src = serde_json::json!({"document": "003_1002b85ce44c7f66.txt",
        "section": "5.1 Eerstelijns diagnostische centra", "quote": "omzetplafond"});
    let json = serde_json::json!({
        "schema": "zorginkoop.settlement.diagnostics/1",
        "policy": {"id": "diagnostics-2020", "version": "2020", "sha256": "ab"},
        "provider_agb": agb,
        "category": "lab-preferred",
        "lines": [
            {"step": "production", "label": "Productie 2020", "amount": {"kind": "euro", "value": total},
             "calculation": "-", "source": src},
            {"step": "orders_per_patient", "label": "Gemiddeld aantal orders per patiënt 2020",
             "amount": {"kind": "mean", "value": orders}, "calculation": "-", "source": src},
            {"step": "analyses_per_order", "label": "Gemiddeld aantal analyses per order 2020",
             "amount": {"kind": "mean", "value": analyses}, "calculation": "-", "source": src},
            {"step": "total", "label": "Afgerekend bedrag 2020", "amount": {"kind": "euro", "value": total},
             "calculation": "-", "source": src}
        ],
        "missing": [],
        "total": total,
    });
    NewStatement {
        provider_agb: agb.into(),
        category: "laboratorium, voorkeursovereenkomst".into(),
        total: Some(Decimal::from_str(total).unwrap()),
        json,
    }
}

/// The mirror information of a diagnostics run compares orders per patient and analyses per
/// order (LABS_MIRROR), chosen by the run's domain; a district nursing run keeps its own.
#[test]
fn the_mirror_of_a_labs_run_compares_orders_per_patient_and_analyses_per_order() {
    assert_eq!(
        settlement::mirror_metrics(settlement::DOMAIN_LABS),
        settlement::LABS_MIRROR
    );
    assert_eq!(
        settlement::mirror_metrics(settlement::DOMAIN_NURSING),
        NURSING_MIRROR
    );
    let t = testing::sqlite();
    let db = &t.db;
    portal_demo::seed(db, now()).unwrap();
    settlement::record_run(db, &run("2021"), "beheer", now()).unwrap();
    let labs = NewRun {
        domain: settlement::DOMAIN_LABS.into(),
        year: 2020,
        policy_id: "diagnostics-2020".into(),
        policy_version: "2020".into(),
        policy_sha256: "ab".into(),
        inputs_sha256: settlement::inputs_sha256(&[("results", b"labs")]),
        inputs_note: "results.parquet".into(),
        statements: vec![
            lab_statement("50000001", "1.0240", "2.0000", "91600.00"),
            lab_statement("50000002", "1.0260", "2.0520", "80000.00"),
        ],
    };
    settlement::record_run(db, &labs, "beheer", now()).unwrap();
    let purchaser = login(db, "inkoper@zorgverzekeraar.example");
    let all = settlement::statements(db, &purchaser, None).unwrap();
    let lab = all.iter().find(|s| s.provider_agb == "50000001").unwrap();
    assert_eq!(lab.run.domain, "eerstelijnsdiagnostiek");
    let mirror = settlement::mirror_of_domain(db, &purchaser, lab.id).unwrap();
    let steps: Vec<&str> = mirror.iter().map(|m| m.step.as_str()).collect();
    assert_eq!(
        steps,
        ["orders_per_patient", "analyses_per_order", "production"]
    );
    assert_eq!(mirror[0].points.len(), 2);
    assert_eq!(mirror[0].median, Decimal::from_str("1.025").unwrap());
    let nursing = all.iter().find(|s| s.provider_agb == "75001234").unwrap();
    let mirror = settlement::mirror_of_domain(db, &purchaser, nursing.id).unwrap();
    assert!(mirror.iter().any(|m| m.step == "hours_year"));
    assert!(mirror.iter().all(|m| m.step != "orders_per_patient"));
}
