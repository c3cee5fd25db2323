//! District nursing (document 004) through the use cases, on SQLite and PostgreSQL: an existing
//! provider answers bijlage 1 with an exclusion criterion applying and an appeal to "tenzij
//! Zilveren Kruis dat disproportioneel acht", the purchaser grants it on review, the proposal has
//! the category and basisbudget (from the settlement statement when the insurer has one, else
//! from the entered revenue, marked), the signer signs; a new provider below the revenue
//! threshold is refused at once with the cited reason; the budget cap; the windows; the
//! processing term of 5 working days across Ascension Day; another provider sees nothing.
//! Figures worked out by hand from the document.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use zorginkoop_app::accounts::{self, Actor, Client};
use zorginkoop_app::nursing::{
    self, Answers, Ask, Basis, Procedure, Review, Severity, State, spec,
};
use zorginkoop_app::settlement::{self, NewRun, NewStatement};
use zorginkoop_app::{AppError, audit, policies, portal_demo};
use zorginkoop_store::{Db, testing};

const PLANNER: &str = "planner@dewijk.example";
const DIRECTOR: &str = "directeur@dewijk.example";
const NEW_PLANNER: &str = "planner@wijkzorgnieuw.example";
const NEW_DIRECTOR: &str = "directeur@wijkzorgnieuw.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn login(db: &Db, email: &str) -> Actor {
    accounts::login(
        db,
        email,
        portal_demo::DEMO_PASSWORD,
        &Client {
            ip: "192.0.2.40",
            user_agent: "test",
        },
        at(day("2020-05-18")),
    )
    .unwrap()
    .actor
}

/// Every question of a procedure answered as the conditions want, numbers meeting the
/// parameters.
fn all_good(procedure: Procedure) -> Answers {
    let set = policies::load_default().unwrap();
    let mut a = Answers::default();
    for q in nursing::questions(&set, procedure).unwrap() {
        match q.ask {
            Ask::Number(n) => {
                a.numbers.insert(q.key, n.limit);
            }
            Ask::Exclusion { .. } => {
                a.answers.insert(q.key, "nee".into());
            }
            _ => {
                a.answers.insert(q.key, "ja".into());
            }
        }
    }
    a
}

fn existing_with_escape() -> Answers {
    let mut a = all_good(Procedure::Existing);
    a.numbers.insert("q.q14".into(), d("2500000"));
    a.numbers.insert("q.q20".into(), d("30"));
    // x2 (staat van faillissement, ...) applies; the provider appeals to the escape
    a.answers.insert("q.x2".into(), "ja".into());
    a.escapes.insert(
        "q.x2".into(),
        "Surseance op 1 juni 2020 opgeheven; akkoord met alle schuldeisers.".into(),
    );
    a.figures.reference_revenue = Some(d("1180000"));
    a
}

#[test]
fn the_processing_term_is_five_working_days_and_skips_ascension_day() {
    let set = policies::load_default().unwrap();
    // Monday 18 May 2020: 19, 20, (21 Hemelvaartsdag), 22, 25, 26
    assert_eq!(
        nursing::due_date(&set, day("2020-05-18")).unwrap(),
        (5, day("2020-05-26"))
    );
    // Thursday 1 October 2020: 2, 5, 6, 7, 8
    assert_eq!(
        nursing::due_date(&set, day("2020-10-01")).unwrap(),
        (5, day("2020-10-08"))
    );
}

#[test]
fn bijlage_1_has_its_21_questions_and_8_exclusion_criteria_numbers_as_numbers() {
    let set = policies::load_default().unwrap();
    let qs = nursing::questions(&set, Procedure::Existing).unwrap();
    let questionnaire: Vec<_> = qs.iter().filter(|q| q.key.starts_with("q.")).collect();
    // 21 questions plus 21a and 21b, and x1..x8
    assert_eq!(questionnaire.len(), 23 + 8);
    assert_eq!(
        qs.iter()
            .filter(|q| matches!(q.ask, Ask::Exclusion { .. }))
            .count(),
        8
    );
    let numbers: Vec<_> = qs
        .iter()
        .filter_map(|q| match &q.ask {
            Ask::Number(n) => Some((q.key.as_str(), n.limit, n.at_least)),
            _ => None,
        })
        .collect();
    assert_eq!(
        numbers,
        vec![("q.q14", d("2500000"), true), ("q.q20", d("30"), false)]
    );
    let forms = nursing::special_forms(&set).unwrap();
    let ids: Vec<_> = forms.iter().map(|f| f.module.as_str()).collect();
    assert!(ids.contains(&"specialised-nursing"), "{ids:?}");
    assert!(ids.contains(&"palliative-terminal-care"), "{ids:?}");
    assert!(ids.contains(&"dementia-case-management"), "{ids:?}");
}

#[test]
fn an_existing_provider_with_the_escape_goes_to_review_is_granted_and_signs() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, Utc::now()).unwrap();
        let planner = login(db, PLANNER);
        let director = login(db, DIRECTOR);
        let purchaser = login(db, PURCHASER);
        let other = login(db, NEW_PLANNER);
        let today = day("2020-10-01");
        let app = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::Existing,
            existing_with_escape(),
            today,
            at(today),
        )
        .unwrap();
        assert_eq!(app.state, State::Submitted, "{}", t.backend().name());
        assert_eq!(app.due_on, day("2020-10-08"));
        assert_eq!(app.working_days_left(today), Some(5));
        assert_eq!(app.working_days_left(day("2020-10-08")), Some(0));
        assert!(app.overdue(day("2020-10-09")));
        let escapes = app.escapes();
        assert_eq!(escapes.len(), 1);
        assert_eq!(escapes[0].key, "q.x2");
        assert_eq!(escapes[0].severity, Severity::Review);
        // the other nursing provider sees and changes nothing
        assert!(matches!(
            nursing::get(db, &other, app.id),
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            nursing::list_for(db, &other, planner.organisation_id),
            Err(AppError::NotFound(_))
        ));
        assert!(nursing::sign(db, &login(db, NEW_DIRECTOR), app.id, today, at(today)).is_err());
        // a second application for the same procedure waits for the first
        assert!(matches!(
            nursing::submit(
                db,
                &set,
                &planner,
                Procedure::Existing,
                existing_with_escape(),
                today,
                at(today)
            ),
            Err(AppError::Conflict(_))
        ));
        // the queue has it
        let queue = nursing::queue(db, &purchaser, Some(State::Submitted)).unwrap();
        assert_eq!(queue.iter().map(|a| a.id).collect::<Vec<_>>(), vec![app.id]);
        assert!(nursing::queue(db, &planner, None).is_err());
        // granting without granting the escape is refused, naming the criterion
        let e = nursing::review(
            db,
            &set,
            &purchaser,
            app.id,
            Review::Grant {
                escapes_granted: vec![],
            },
            today,
            at(today),
        )
        .unwrap_err();
        assert!(e.to_string().contains("x2"), "{e}");
        // the provider cannot decide its own application
        assert!(matches!(
            nursing::review(
                db,
                &set,
                &planner,
                app.id,
                Review::Grant {
                    escapes_granted: vec!["q.x2".into()]
                },
                today,
                at(today)
            ),
            Err(AppError::Forbidden(_))
        ));
        let granted = nursing::review(
            db,
            &set,
            &purchaser,
            app.id,
            Review::Grant {
                escapes_granted: vec!["q.x2".into()],
            },
            day("2020-10-05"),
            at(day("2020-10-05")),
        )
        .unwrap();
        assert_eq!(granted.state, State::Proposed);
        assert_eq!(granted.escapes_granted, vec!["q.x2".to_string()]);
        let b = granted.budget.clone().unwrap();
        // € 1,180,000 ≥ € 100,000 with a 2020 contract: a regular provider (tabel 1)
        assert_eq!(b.category.as_deref(), Some("regular"));
        assert_eq!(b.category_label.as_deref(), Some("reguliere zorgaanbieder"));
        // no statement: the entered revenue × (1 + OVA 3 %, example) = 1,180,000 + 35,400
        assert_eq!(b.budget, d("1215400.00"));
        let revenue = b
            .lines
            .iter()
            .find(|l| l.step == "reference_revenue")
            .unwrap();
        assert_eq!(revenue.basis, Basis::Entered);
        // table 2 for regular providers: the five groups, group 1 at 75 % with at most 50 %
        assert_eq!(b.table2.len(), 5);
        assert!(b.table2.iter().any(|t| t.group == "doelmatigheidsgroep 1"
            && t.paid == "75% van het tarief"
            && t.max_volume == "50% volume van het basisbudget"));
        // decided once
        assert!(matches!(
            nursing::review(
                db,
                &set,
                &purchaser,
                app.id,
                Review::Refuse { reason: "x".into() },
                today,
                at(today)
            ),
            Err(AppError::Conflict(_))
        ));
        // the planner is no signer; the director signs
        assert!(matches!(
            nursing::sign(db, &planner, app.id, today, at(today)),
            Err(AppError::Forbidden(_))
        ));
        let signed = nursing::sign(
            db,
            &director,
            app.id,
            day("2020-10-06"),
            at(day("2020-10-06")),
        )
        .unwrap();
        assert_eq!(signed.state, State::Signed);
        assert_eq!(signed.signed_on, Some(day("2020-10-06")));
        assert!(nursing::sign(db, &director, app.id, today, at(today)).is_err());
        // every step in the audit log
        let log = audit::list(db, &purchaser, 50).unwrap();
        for action in [
            "aanvraag wijkverpleging ingediend",
            "aanvraag wijkverpleging toegekend met voorstel",
            "overeenkomst wijkverpleging getekend",
        ] {
            assert!(log.iter().any(|r| r.action == action), "{action}");
        }
    }
}

fn record_statement(db: &Db, agb: &str, revenue: &str, basisbudget: &str) -> i64 {
    let line = |step: &str, value: &str| {
        serde_json::json!({"step": step, "label": step, "amount": {"kind": "euro", "value": value},
            "calculation": "test", "source": {"document": spec::DOCUMENT,
            "section": spec::BASISBUDGET.section, "quote": spec::BASISBUDGET.quote}})
    };
    let rec = settlement::record_run(
        db,
        &NewRun {
            domain: settlement::DOMAIN_NURSING.into(),
            year: 2021,
            policy_id: spec::POLICY.into(),
            policy_version: "2.0".into(),
            policy_sha256: "ab".into(),
            inputs_sha256: settlement::inputs_sha256(&[("test", agb.as_bytes())]),
            inputs_note: "test".into(),
            statements: vec![NewStatement {
                provider_agb: agb.into(),
                category: "reguliere zorgaanbieder".into(),
                total: None,
                json: serde_json::json!({
                    "schema": "zorginkoop.settlement.district-nursing/1",
                    "provider_agb": agb,
                    "lines": [line("reference_revenue", revenue), line("basisbudget", basisbudget)],
                    "missing": [],
                }),
            }],
        },
        "test",
        at(day("2022-07-01")),
    )
    .unwrap();
    rec.run_id
}

#[test]
fn the_basisbudget_comes_from_the_claims_when_the_insurer_has_them() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, Utc::now()).unwrap();
        record_statement(db, "75001234", "64000.00", "65920.00");
        let planner = login(db, PLANNER);
        let purchaser = login(db, PURCHASER);
        let mut a = existing_with_escape();
        a.answers.insert("q.x2".into(), "nee".into());
        a.escapes.clear();
        a.figures.reference_revenue = None; // not needed: the insurer has the claims
        let today = day("2020-10-01");
        let app =
            nursing::submit(db, &set, &planner, Procedure::Existing, a, today, at(today)).unwrap();
        assert!(app.findings.is_empty(), "{:?}", app.findings);
        let granted = nursing::review(
            db,
            &set,
            &purchaser,
            app.id,
            Review::Grant {
                escapes_granted: vec![],
            },
            today,
            at(today),
        )
        .unwrap();
        let b = granted.budget.unwrap();
        // € 64,000 < € 100,000: a small provider; the basisbudget is the statement's
        assert_eq!(
            b.category.as_deref(),
            Some("small"),
            "{}",
            t.backend().name()
        );
        assert_eq!(b.budget, d("65920.00"));
        assert!(b.statement_id.is_some());
        assert!(
            b.lines
                .iter()
                .filter(|l| l.step != "category")
                .all(|l| l.basis == Basis::Claims)
        );
        // table 2 for a small provider: 80 %, at most 50 % of the basisbudget
        assert_eq!(b.table2.len(), 1);
        assert_eq!(b.table2[0].paid, "80% van het tarief");
    }
}

fn new_provider(revenue_2019: &str, clients: u64, areas: u64, budget: &str) -> Answers {
    let mut a = all_good(Procedure::New);
    // bijlage 3 vraag 8 is asked reversed: ‘nee’ = no IGJ measure
    a.answers.insert("q.q8".into(), "nee".into());
    a.figures.revenue_2019 = Some(d(revenue_2019));
    a.figures.clients = Some(clients);
    a.figures.postcode_areas = Some(areas);
    a.figures.requested_budget = Some(d(budget));
    a
}

#[test]
fn a_new_provider_below_the_revenue_threshold_is_refused_with_the_cited_reason() {
    let set = policies::load_default().unwrap();
    let policy = policies::find(&set, spec::POLICY).unwrap();
    let threshold_quote = &policy
        .parameter("new-provider.min-revenue-2019")
        .unwrap()
        .source
        .quote;
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, Utc::now()).unwrap();
        let planner = login(db, NEW_PLANNER);
        let today = day("2020-05-18");
        let app = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::New,
            new_provider("99999.99", 40, 10, "200000"),
            today,
            at(today),
        )
        .unwrap();
        assert_eq!(app.state, State::Refused, "{}", t.backend().name());
        assert_eq!(app.decided_on, Some(today));
        let reason = app.reason.clone().unwrap();
        assert!(
            reason.contains("€ 99.999,99") && reason.contains("€ 100.000,00"),
            "{reason}"
        );
        let f = app
            .findings
            .iter()
            .find(|f| f.severity == Severity::Refuse)
            .unwrap();
        assert_eq!(&f.source.quote, threshold_quote);
        assert_eq!(app.working_days_left(today), None, "decided: no term left");
        // refused: a new application may follow; exactly at the threshold it is not refused
        let ok = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::New,
            new_provider("100000", 40, 10, "300000"),
            today,
            at(today),
        )
        .unwrap();
        assert_eq!(ok.state, State::Submitted, "{:?}", ok.findings);
        assert_eq!(ok.due_on, day("2020-05-26"));
        assert_eq!(
            ok.holidays_in_term(),
            vec![(day("2020-05-21"), "Hemelvaartsdag")]
        );
        // ratio 40 / 10 = 4 meets the minimum of 2: a note, cited
        let ratio = ok
            .findings
            .iter()
            .find(|f| f.key == "figures.ratio")
            .unwrap();
        assert_eq!(ratio.severity, Severity::Note);
        assert!(ratio.text.contains("4,00"), "{}", ratio.text);
        // granted: the budget asked (€ 300,000) capped at € 250,000; category new, table 2 as small
        let purchaser = login(db, PURCHASER);
        let granted = nursing::review(
            db,
            &set,
            &purchaser,
            ok.id,
            Review::Grant {
                escapes_granted: vec![],
            },
            day("2020-05-22"),
            at(day("2020-05-22")),
        )
        .unwrap();
        let b = granted.budget.unwrap();
        assert_eq!(b.category.as_deref(), Some("new"));
        assert_eq!(b.budget, d("250000"));
        assert_eq!(b.table2.len(), 1);
        assert_eq!(b.table2[0].paid, "80% van het tarief");
    }
}

#[test]
fn a_new_provider_below_the_ratio_is_refused_and_the_windows_are_enforced() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, Utc::now()).unwrap();
        let planner = login(db, NEW_PLANNER);
        let today = day("2020-05-18");
        // 15 clients in 10 areas: 1.5 < 2
        let app = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::New,
            new_provider("150000", 15, 10, "100000"),
            today,
            at(today),
        )
        .unwrap();
        assert_eq!(app.state, State::Refused, "{}", t.backend().name());
        assert!(app.reason.unwrap().contains("1,50"));
        // 1 June 2020: the registration window ("tot 1 juni") has closed
        let e = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::New,
            new_provider("150000", 40, 10, "100000"),
            day("2020-06-01"),
            at(day("2020-06-01")),
        )
        .unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e}");
        assert!(e.to_string().contains("gesloten"), "{e}");
        // the existing providers' portal opens on 23 September 2020
        let e = nursing::submit(
            db,
            &set,
            &login(db, PLANNER),
            Procedure::Existing,
            existing_with_escape(),
            day("2020-09-22"),
            at(day("2020-09-22")),
        )
        .unwrap_err();
        assert!(e.to_string().contains("gesloten"), "{e}");
        // an unanswered question names itself
        let mut a = new_provider("150000", 40, 10, "100000");
        a.answers.remove("q.q6");
        let e =
            nursing::submit(db, &set, &planner, Procedure::New, a, today, at(today)).unwrap_err();
        assert!(e.to_string().starts_with("vraag 6"), "{e}");
    }
}

#[test]
fn neighbourhood_work_and_the_availability_function_are_applications_with_their_budgets() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, Utc::now()).unwrap();
        let planner = login(db, PLANNER);
        let purchaser = login(db, PURCHASER);
        let today = day("2020-10-01");
        let mut a = all_good(Procedure::Neighbourhood);
        a.figures.municipality = Some("Utrecht".into());
        a.figures.inhabitants_65_plus = Some(12_000);
        let app = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::Neighbourhood,
            a,
            today,
            at(today),
        )
        .unwrap();
        let g = nursing::review(
            db,
            &set,
            &purchaser,
            app.id,
            Review::Grant {
                escapes_granted: vec![],
            },
            today,
            at(today),
        )
        .unwrap();
        // 12,000 × € 3.50 (example amount) = € 42,000.00
        assert_eq!(
            g.budget.unwrap().budget,
            d("42000.00"),
            "{}",
            t.backend().name()
        );
        let mut a = all_good(Procedure::Availability);
        a.figures.requested_budget = Some(d("85000"));
        let app = nursing::submit(
            db,
            &set,
            &planner,
            Procedure::Availability,
            a,
            today,
            at(today),
        )
        .unwrap();
        let g = nursing::review(
            db,
            &set,
            &purchaser,
            app.id,
            Review::Grant {
                escapes_granted: vec![],
            },
            today,
            at(today),
        )
        .unwrap();
        let b = g.budget.unwrap();
        assert_eq!(b.budget, d("85000"));
        assert_eq!(b.lines[0].basis, Basis::Entered);
        assert!(b.category.is_none());
        // one open application per procedure
        let mut a = all_good(Procedure::Neighbourhood);
        a.answers
            .insert("c.visible-local-network".into(), "ja".into());
        a.figures.municipality = Some("Zeist".into());
        a.figures.inhabitants_65_plus = Some(1);
        assert!(matches!(
            nursing::submit(
                db,
                &set,
                &planner,
                Procedure::Neighbourhood,
                a,
                today,
                at(today)
            ),
            Err(AppError::Conflict(_))
        ));
    }
}

#[test]
fn every_quote_of_the_process_is_in_the_document() {
    let set = policies::load_default().unwrap();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = norm(set.texts.get(spec::DOCUMENT).expect("document 004"));
    for p in spec::passages() {
        assert!(
            text.contains(&norm(p.quote)),
            "{:?} is not in the document",
            p.quote
        );
    }
}
