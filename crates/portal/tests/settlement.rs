//! The settlement pages on SQLite and PostgreSQL: a district-nursing provider reads its own
//! statement line by line with the passage of each step, its mirror information as a chart with
//! the other providers unnamed, and downloads it as xlsx and JSON; another provider gets none of
//! it; the purchaser sees every provider's statement.

mod common;

use axum::http::{StatusCode, header};
use common::{Portal, portals};
use rust_decimal::Decimal;
use zorginkoop_app::settlement::{self, NewRun, NewStatement};

const WIJK: &str = "planner@dewijk.example";
const NIEUW: &str = "planner@wijkzorgnieuw.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
const QUOTE: &str = "Per zorgaanbieder stellen wij een basisbudget vast";

fn statement(agb: &str, production: &str, hours: &str) -> NewStatement {
    NewStatement {
        provider_agb: agb.into(),
        category: "reguliere zorgaanbieder".into(),
        total: Some(production.parse::<Decimal>().unwrap()),
        json: serde_json::json!({
            "schema": "zorginkoop.settlement.district-nursing/1",
            "provider_agb": agb,
            "lines": [
                {"step": "production", "label": "Productie 2021", "amount": {"kind": "euro", "value": production},
                 "calculation": "som van de goedgekeurde declaraties 2021",
                 "source": {"document": "004_ff397b22ce59c05b.txt",
                            "section": "4. Hoe bepalen wij onze tarieven en hoeveel zorg wij inkopen?", "quote": QUOTE}},
                {"step": "hours_year", "label": "Uren per cliënt per maand", "amount": {"kind": "hours", "value": hours},
                 "calculation": "gemiddelde over de cliënten", "choice": "Uren uit bedragen: bedrag / tarief per 5 minuten.",
                 "source": {"document": "004_ff397b22ce59c05b.txt", "section": "Bijlage 6. Doelmatigheidsverbetering", "quote": "Doelmatigheidsverbetering"}}
            ],
            "missing": [],
            "total": production,
        }),
    }
}

/// A run with Thuiszorg De Wijk and two providers without an account; De Wijk's statement id
/// and another provider's.
fn record(p: &Portal) -> (i64, i64) {
    p.blocking(|s| {
        let rec = settlement::record_run(
            &s.db,
            &NewRun {
                domain: settlement::DOMAIN_NURSING.into(),
                year: 2021,
                policy_id: "district-nursing-2021".into(),
                policy_version: "1".into(),
                policy_sha256: "ab".into(),
                inputs_sha256: settlement::inputs_sha256(&[("test", b"2021")]),
                inputs_note: "results.parquet".into(),
                statements: vec![
                    statement("75001234", "116569.12", "7.25"),
                    statement("75111111", "350000.00", "9"),
                    statement("75222222", "72100.00", "5.5"),
                ],
            },
            "beheer",
            s.now(),
        )
        .unwrap();
        let rows = s
            .db
            .read(|tx| {
                tx.query(
                    "SELECT id, provider_agb FROM settlement_statements WHERE run_id = ? ORDER BY provider_agb",
                    zorginkoop_store::args![rec.run_id],
                )
            })
            .unwrap();
        (rows[0].int("id").unwrap(), rows[1].int("id").unwrap())
    })
}

#[tokio::test]
async fn a_provider_reads_its_statement_with_passages_and_mirror() {
    for p in portals() {
        let (own, other) = record(&p);
        let mut c = p.login(WIJK).await;
        let list = c.get("/afrekeningen").await;
        assert_eq!(list.status, StatusCode::OK, "{}", p.backend());
        assert!(list.body.contains(&format!("/afrekeningen/{own}")));
        assert!(list.body.contains("€ 116.569,12"));
        assert!(!list.body.contains("75111111"));

        let page = c.get(&format!("/afrekeningen/{own}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let b = &page.body;
        assert!(b.contains("Productie 2021"));
        assert!(b.contains("€ 116.569,12"));
        assert!(b.contains("7,25 uur"));
        assert!(b.contains("Gekozen lezing"));
        // every step links to its passage
        assert!(b.contains(QUOTE));
        assert!(b.contains("/bron/004_ff397b22ce59c05b.txt?citaat=Per%20zorgaanbieder"));
        // the mirror: a chart with De Wijk marked, the others without name or code
        assert!(b.contains("<svg"));
        assert!(b.contains("aanbieder 1") && b.contains("aanbieder 2"));
        assert!(b.contains("plaats 2 van 3"), "De Wijk is in the middle");
        assert!(!b.contains("75111111") && !b.contains("75222222"));

        // the passage the link names is there
        let passage = c
            .get("/bron/004_ff397b22ce59c05b.txt?citaat=Per%20zorgaanbieder%20stellen%20wij%20een%20basisbudget%20vast")
            .await;
        assert_eq!(passage.status, StatusCode::OK);
        assert!(passage.body.contains("<mark"));

        let xlsx = c.get(&format!("/afrekeningen/{own}/xlsx")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert_eq!(
            xlsx.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            xlsx.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("afrekening-wijkverpleging-2021-75001234.xlsx")
        );
        assert_eq!(&xlsx.bytes[..2], b"PK");

        let json = c.get(&format!("/afrekeningen/{own}/json")).await.json();
        assert_eq!(json["provider_agb"], "75001234");
        assert_eq!(json["lines"][0]["amount"]["value"], "116569.12");

        // the same through the API
        let api = c.get("/api/v1/settlements").await.json();
        let api = api.as_array().unwrap();
        assert_eq!(api.len(), 1);
        assert_eq!(api[0]["provider_agb"], "75001234");
        assert_eq!(api[0]["total"], "116569.12");
        assert_eq!(api[0]["domain"], "wijkverpleging");
        let one = c.get(&format!("/api/v1/settlements/{own}")).await.json();
        assert_eq!(one["statement"]["lines"][1]["amount"]["value"], "7.25");
        let hours = one["mirror"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["step"] == "hours_year")
            .unwrap();
        assert_eq!(hours["median"], "7.25");
        assert_eq!(hours["points"][0]["label"], "aanbieder 1");
        assert_eq!(hours["points"][0]["value"], "5.5");

        // another provider's statement is a statement that does not exist
        for path in [
            format!("/api/v1/settlements/{other}"),
            format!("/afrekeningen/{other}"),
            format!("/afrekeningen/{other}/xlsx"),
            format!("/afrekeningen/{other}/json"),
        ] {
            let r = c.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!r.body.contains("75111111"));
        }
    }
}

#[tokio::test]
async fn a_provider_without_a_statement_sees_none_and_the_purchaser_sees_all() {
    for p in portals() {
        let (own, other) = record(&p);
        let mut nieuw = p.login(NIEUW).await;
        let list = nieuw.get("/afrekeningen").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("nog geen afrekeningen"));
        assert!(!list.body.contains("75001234"));
        assert_eq!(
            nieuw.get(&format!("/afrekeningen/{own}")).await.status,
            StatusCode::NOT_FOUND
        );

        let mut purchaser = p.login(PURCHASER).await;
        let list = purchaser.get("/afrekeningen").await;
        assert_eq!(list.status, StatusCode::OK);
        for s in [
            "75001234",
            "75111111",
            "75222222",
            "Thuiszorg De Wijk",
            "(actueel)",
        ] {
            assert!(list.body.contains(s), "{s}");
        }
        let page = purchaser.get(&format!("/afrekeningen/{other}")).await;
        assert_eq!(page.status, StatusCode::OK);
        // the purchaser's mirror names every provider
        assert!(page.body.contains("75001234 Thuiszorg De Wijk"));
        assert!(!page.body.contains("aanbieder 1"));
    }
}

#[tokio::test]
async fn the_settlement_pages_need_a_login() {
    let p = Portal::on(zorginkoop_store::testing::sqlite());
    let (own, _) = record(&p);
    let mut anon = p.anonymous();
    for path in [
        "/afrekeningen".to_string(),
        format!("/afrekeningen/{own}"),
        format!("/afrekeningen/{own}/xlsx"),
    ] {
        let r = anon.get(&path).await;
        assert!(
            r.status == StatusCode::SEE_OTHER || r.status == StatusCode::UNAUTHORIZED,
            "{path}: {}",
            r.status
        );
        assert!(!r.body.contains("116.569"));
    }
}

fn lab_statement(agb: &str, orders: &str, analyses: &str, total: &str) -> NewStatement {
    let src = serde_json::json!({"document": "003_1002b85ce44c7f66.txt",
        "section": "3.1 Eerstelijns diagnostische centra",
        "quote": "Het gemiddeld aantal orders per patiënt is in de contractperiode 2020 – 2021 niet meer dan 2,5% toegenomen ten opzichte van 2018"});
    NewStatement {
        provider_agb: agb.into(),
        category: "laboratorium, voorkeursovereenkomst".into(),
        total: Some(total.parse::<Decimal>().unwrap()),
        json: serde_json::json!({
            "schema": "zorginkoop.settlement.diagnostics/1",
            "provider_agb": agb,
            "category": "lab-preferred",
            "lines": [
                {"step": "production", "label": "Productie 2020", "amount": {"kind": "euro", "value": total},
                 "calculation": "-", "source": src},
                {"step": "orders_per_patient", "label": "Gemiddeld aantal orders per patiënt 2020",
                 "amount": {"kind": "mean", "value": orders}, "calculation": "-", "source": src,
                 "choice": "één order = de goedgekeurde declaratieregels van één patiënt op één datum"},
                {"step": "analyses_per_order", "label": "Gemiddeld aantal analyses per order 2020",
                 "amount": {"kind": "mean", "value": analyses}, "calculation": "-", "source": src}
            ],
            "missing": [],
            "total": total,
        }),
    }
}

/// A diagnostics run (domain eerstelijnsdiagnostiek): the purchaser reads a laboratory's
/// statement, its means with 4 decimals, and the mirror of orders per patient and analyses per
/// order (chosen by the run's domain), also through the API.
#[tokio::test]
async fn the_purchaser_reads_a_laboratorys_statement_with_the_labs_mirror() {
    let p = Portal::on(zorginkoop_store::testing::sqlite());
    record(&p);
    let id = p.blocking(|s| {
        let rec = settlement::record_run(
            &s.db,
            &NewRun {
                domain: settlement::DOMAIN_LABS.into(),
                year: 2020,
                policy_id: "diagnostics-2020".into(),
                policy_version: "2020".into(),
                policy_sha256: "ab".into(),
                inputs_sha256: settlement::inputs_sha256(&[("test", b"labs 2020")]),
                inputs_note: "results.parquet".into(),
                statements: vec![
                    lab_statement("50000001", "1.0240", "2.0000", "91600.00"),
                    lab_statement("50000002", "1.0260", "2.0520", "80000.00"),
                ],
            },
            "beheer",
            s.now(),
        )
        .unwrap();
        s.db.read(|tx| {
            tx.query_one(
                "SELECT id FROM settlement_statements WHERE run_id = ? AND provider_agb = '50000001'",
                zorginkoop_store::args![rec.run_id],
            )
        })
        .unwrap()
        .unwrap()
        .int("id")
        .unwrap()
    });
    let mut purchaser = p.login(PURCHASER).await;
    let list = purchaser.get("/afrekeningen").await;
    assert!(list.body.contains("Eerstelijnsdiagnostiek en trombosezorg"));
    let page = purchaser.get(&format!("/afrekeningen/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Gemiddeld aantal orders per patiënt 2020")
    );
    assert!(page.body.contains("1,0240"), "a mean with 4 decimals");
    assert!(page.body.contains("<svg"));
    let one = purchaser
        .get(&format!("/api/v1/settlements/{id}"))
        .await
        .json();
    let steps: Vec<&str> = one["mirror"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["orders_per_patient", "analyses_per_order", "production"]
    );
    let xlsx = purchaser.get(&format!("/afrekeningen/{id}/xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("afrekening-eerstelijnsdiagnostiek-2020-50000001.xlsx")
    );
}
