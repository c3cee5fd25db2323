//! Labs and thrombosis (document 003) through the use cases, on SQLite and PostgreSQL: the
//! comparison of the regular and the preferred contract on a lab's figures (entered, or from its
//! settlement statement), the choice and the common apply-review-propose-sign path with the
//! chosen contract's ceiling, the thrombosis contract with its ceiling, the request to expand or
//! move production; another laboratory sees and changes nothing. Figures worked by hand from
//! the document and the policy's parameters (2.5 %, one and two years, the example tiers 25 %,
//! 50 %, 75 % above 0 %, 10 %, 20 % of the ceiling).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use zorginkoop_app::accounts::{self, Actor, Client, NewOrganisation, NewUser, Role};
use zorginkoop_app::applications::Review;
use zorginkoop_app::labs::{
    self, ChangeRequest, Counts, FigureSource, Inputs, Kind, Means, ProductLine,
};
use zorginkoop_app::proposals::{self, Signature};
use zorginkoop_app::settlement::{self, NewRun, NewStatement};
use zorginkoop_app::{AppError, policies, portal_demo};
use zorginkoop_store::testing;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn login(db: &zorginkoop_store::Db, email: &str) -> Actor {
    accounts::login(
        db,
        email,
        portal_demo::DEMO_PASSWORD,
        &Client {
            ip: "192.0.2.30",
            user_agent: "test",
        },
        at(day("2019-10-01")),
    )
    .unwrap()
    .actor
}

fn product(name: &str, volume: u64, price: &str) -> ProductLine {
    ProductLine {
        product: name.into(),
        volume,
        price: d(price),
    }
}

fn counts(patients: u64, orders: u64, analyses: u64) -> Counts {
    Counts {
        patients,
        orders,
        analyses,
    }
}

/// Huisartsenlaboratorium Midden as entered: blood tests 300,000 × € 3.00 = € 900,000 and other
/// diagnostics 50,000 × € 6.00 = € 300,000: ceiling € 1,200,000; production € 1,296,000;
/// 2018: 10,000 patients, 14,000 orders, 42,000 analyses; the year: 10,400, 14,820, 45,000.
fn midden() -> Inputs {
    Inputs {
        source: FigureSource::Entered,
        products: vec![
            product("Bloedonderzoek", 300_000, "3.00"),
            product("Overige diagnostiek", 50_000, "6.00"),
        ],
        ceiling: None,
        production: d("1296000"),
        counts_2018: Some(counts(10_000, 14_000, 42_000)),
        counts: Some(counts(10_400, 14_820, 45_000)),
        means: None,
    }
}

fn policy() -> zorginkoop_app::policy::Policy {
    let set = policies::load_default().unwrap();
    policies::find(&set, labs::POLICY).unwrap().clone()
}

fn value<'a>(figures: &'a [labs::Figure], step: &str) -> &'a labs::Amount {
    &figures
        .iter()
        .find(|f| f.step == step)
        .unwrap_or_else(|| panic!("no figure {step}"))
        .amount
}

#[test]
fn the_comparison_pays_the_excess_within_the_first_tier_under_the_preferred_contract() {
    let c = labs::compare(&policy(), &midden()).unwrap();
    assert_eq!(c.ceiling, d("1200000"));
    assert_eq!(c.excess, d("96000"));
    // 14,820 / 10,400 = 1.425 orders per patient against 14,000 / 10,000 = 1.4: +1.79 %;
    // 45,000 / 14,820 = 3.0364 analyses per order against 3.0: +1.21 %; both at most 2.5 %
    let g = c.growth.as_ref().unwrap();
    assert_eq!(g.orders_per_patient_growth, d("0.0179"));
    assert_eq!(g.analyses_per_order_growth, d("0.0121"));
    assert!(g.eligible);
    // regular: the ceiling, nothing of the excess; one year
    assert_eq!(c.regular.paid, d("1200000"));
    assert_eq!(
        value(&c.regular.figures, "years"),
        &labs::Amount::Years(d("1"))
    );
    assert_eq!(
        value(&c.regular.figures, "excess_paid"),
        &labs::Amount::Euro(Decimal::ZERO)
    );
    // preferred: € 96,000 is 8 % of the ceiling, all in tier 1 (0-10 %, 25 % discount):
    // 96,000 × 75 % = 72,000; total 1,272,000; two years
    assert_eq!(
        value(&c.preferred.figures, "years"),
        &labs::Amount::Years(d("2"))
    );
    assert_eq!(
        value(&c.preferred.figures, "tier-1"),
        &labs::Amount::Euro(d("72000"))
    );
    assert_eq!(c.preferred.paid, d("1272000"));
    assert!(c.example_tiers);
    // every figure cites its passage in document 003
    for f in c
        .shared
        .iter()
        .chain(&c.regular.figures)
        .chain(&c.preferred.figures)
    {
        assert_eq!(f.source.document, "003_1002b85ce44c7f66.txt", "{}", f.step);
        assert!(!f.source.quote.is_empty());
    }
    // the preferred contract's conditions come from the policy (reference prices among them)
    assert!(
        c.preferred
            .conditions
            .iter()
            .any(|(t, _)| t.contains("referentieprijzen"))
    );
}

#[test]
fn an_excess_over_three_tiers_is_paid_per_tier() {
    // ceiling 100,000 × € 1.00 = € 100,000, production € 125,000, no growth: the excess of
    // € 25,000 is 10,000 at 75 % (7,500) + 10,000 at 50 % (5,000) + 5,000 at 25 % (1,250)
    let i = Inputs {
        products: vec![product("Bloedonderzoek", 100_000, "1")],
        production: d("125000"),
        counts_2018: Some(counts(1_000, 2_000, 6_000)),
        counts: Some(counts(1_000, 2_000, 6_000)),
        ..midden()
    };
    let c = labs::compare(&policy(), &i).unwrap();
    let p = &c.preferred.figures;
    assert_eq!(value(p, "tier-1"), &labs::Amount::Euro(d("7500")));
    assert_eq!(value(p, "tier-2"), &labs::Amount::Euro(d("5000")));
    assert_eq!(value(p, "tier-3"), &labs::Amount::Euro(d("1250")));
    assert_eq!(value(p, "excess_paid"), &labs::Amount::Euro(d("13750")));
    assert_eq!(c.preferred.paid, d("113750"));
    assert_eq!(c.regular.paid, d("100000"));
}

#[test]
fn growth_above_two_and_a_half_percent_leaves_the_excess_unpaid_and_exactly_is_paid() {
    // orders per patient 2.0 -> 2.06 (+3 %): the excess is not paid
    let above = Inputs {
        counts_2018: Some(counts(10_000, 20_000, 100_000)),
        counts: Some(counts(10_000, 20_600, 103_000)),
        ..midden()
    };
    let c = labs::compare(&policy(), &above).unwrap();
    assert_eq!(
        c.growth.as_ref().unwrap().orders_per_patient_growth,
        d("0.03")
    );
    assert!(!c.growth.as_ref().unwrap().eligible);
    assert_eq!(c.preferred.paid, d("1200000"));
    // 2.05 per patient and 5.125 per order: exactly +2.5 % each, "niet meer dan": paid
    let exactly = Inputs {
        counts_2018: Some(counts(10_000, 20_000, 100_000)),
        counts: Some(counts(20_000, 41_000, 210_125)),
        ..midden()
    };
    let c = labs::compare(&policy(), &exactly).unwrap();
    assert!(c.growth.as_ref().unwrap().eligible);
    assert_eq!(c.preferred.paid, d("1272000"));
    // without counts the growth cannot be measured: not paid
    let unknown = Inputs {
        counts_2018: None,
        counts: None,
        ..midden()
    };
    let c = labs::compare(&policy(), &unknown).unwrap();
    assert!(c.growth.is_none());
    assert_eq!(c.preferred.paid, d("1200000"));
}

#[test]
fn bad_figures_are_refused_naming_the_field() {
    let p = policy();
    let no_products = Inputs {
        products: vec![],
        ..midden()
    };
    assert!(
        matches!(labs::compare(&p, &no_products), Err(AppError::Invalid { field, .. }) if field == "producten")
    );
    let fraction = Inputs {
        products: vec![product("Bloedonderzoek", 1, "1.005")],
        ..midden()
    };
    assert!(
        matches!(labs::compare(&p, &fraction), Err(AppError::Invalid { field, .. }) if field.contains("prijs"))
    );
    let huge = Inputs {
        products: vec![product(
            "Bloedonderzoek",
            u64::MAX,
            "79228162514264337593543950",
        )],
        ..midden()
    };
    assert!(matches!(
        labs::compare(&p, &huge),
        Err(AppError::Invalid { .. })
    ));
}

#[test]
fn the_thrombosis_ceiling_is_volume_times_price_per_product() {
    // 9,000 × € 44.44 = € 399,960 and 100 × € 0.40 = € 40: ceiling € 400,000; one year
    let t = labs::thrombosis_ceiling(
        &policy(),
        &[
            product("Trombosezorg", 9_000, "44.44"),
            product("Zelfmeten", 100, "0.40"),
        ],
    )
    .unwrap();
    assert_eq!(t.ceiling, d("400000"));
    assert_eq!(value(&t.figures, "years"), &labs::Amount::Years(d("1")));
    assert_eq!(
        value(&t.figures, "product-1"),
        &labs::Amount::Euro(d("399960"))
    );
    let ceiling = t.figures.iter().find(|f| f.step == "ceiling").unwrap();
    assert!(
        ceiling
            .source
            .quote
            .contains("volume- en prijsafspraken per product")
    );
}

fn preferred_answers() -> BTreeMap<String, Option<Value>> {
    [
        ("meets_contract_conditions", json!(true)),
        // an existing lab (the fidelity round: a new lab is assessed first)
        ("is_new_provider", json!(false)),
        ("cckl_certified", json!(true)),
        ("iso_certified", json!(false)),
        ("mirror_reports_per_year", json!(2)),
        ("accepts_reference_prices", json!(true)),
        ("accepts_market_prices", json!(true)),
        ("consents_to_price_publication", json!(true)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Some(v)))
    .collect()
}

fn other_lab(db: &zorginkoop_store::Db) -> Actor {
    db.write(|tx| {
        let now = at(day("2019-10-01"));
        let org = accounts::create_organisation(
            tx,
            &NewOrganisation {
                name: "Laboratorium West",
                agb: Some("50007777"),
                kvk: None,
                kind: "laboratory",
                region: None,
            },
            now,
        )?;
        accounts::create_user(
            tx,
            &NewUser {
                organisation_id: org,
                email: "analist@labwest.example",
                name: "Willem West",
                role: Role::ProviderSigner,
                password: portal_demo::DEMO_PASSWORD,
            },
            now,
        )?;
        Ok::<_, AppError>(())
    })
    .unwrap();
    login(db, "analist@labwest.example")
}

#[test]
fn choose_grant_propose_sign_on_every_backend() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, at(day("2019-10-01"))).unwrap();
        let lab = login(db, "analist@labmidden.example");
        let signer = login(db, "directeur@labmidden.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let west = other_lab(db);
        let today = day("2019-10-01");
        let now = at(today);

        // no statement recorded: no figures from claims
        assert_eq!(labs::statement_inputs(db, &lab).unwrap(), None);
        // the thrombosis service cannot choose a lab contract
        let thrombosis = login(db, "medewerker@trombose.example");
        assert!(matches!(
            labs::choose(
                db,
                &set,
                &thrombosis,
                labs::PREFERRED,
                &midden(),
                &preferred_answers(),
                today,
                now
            ),
            Err(AppError::Forbidden(_))
        ));

        let id = labs::choose(
            db,
            &set,
            &lab,
            labs::PREFERRED,
            &midden(),
            &preferred_answers(),
            today,
            now,
        )
        .unwrap();
        let r = labs::get(db, &lab, id).unwrap();
        assert_eq!(r.kind, Kind::Choice);
        assert_eq!(r.module, labs::PREFERRED);
        assert_eq!(r.ceiling, Some(d("1200000")));
        assert_eq!(r.status(), "submitted");
        assert!(r.application.decision.is_some(), "the engine decided it");
        // a second choice while the first is open is refused
        assert!(matches!(
            labs::choose(
                db,
                &set,
                &lab,
                labs::REGULAR,
                &midden(),
                &preferred_answers(),
                today,
                now
            ),
            Err(AppError::Conflict(_))
        ));

        // another laboratory sees nothing and changes nothing
        assert!(matches!(
            labs::get(db, &west, id),
            Err(AppError::NotFound(_))
        ));
        assert!(labs::list(db, &west).unwrap().is_empty());
        assert!(matches!(
            labs::review(db, &west, id, &Review::Grant, now),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            labs::propose(db, &set, &west, id, now),
            Err(AppError::Forbidden(_))
        ));
        // nor does the lab grant itself
        assert!(matches!(
            labs::review(db, &lab, id, &Review::Grant, now),
            Err(AppError::Forbidden(_))
        ));

        // the purchaser sees it, grants, proposes with the chosen contract's figures
        let queue = labs::list(db, &purchaser).unwrap();
        assert_eq!(queue.len(), 1);
        assert!(matches!(
            labs::propose(db, &set, &purchaser, id, now),
            Err(AppError::Conflict(_))
        ));
        labs::review(db, &purchaser, id, &Review::Grant, now).unwrap();
        let pid = labs::propose(db, &set, &purchaser, id, now).unwrap();
        let p = proposals::get(db, &lab, pid).unwrap();
        assert_eq!(p.ceiling_cents, Some(120_000_000));
        assert_eq!(p.start, day("2020-01-01"));
        assert_eq!(p.end, Some(day("2021-12-31")), "two years");
        assert!(p.terms.iter().any(|t| t.parameter
            == "lab.preferred.max-orders-per-patient-growth"
            && t.proposed_value == "0.025"));
        assert!(
            p.text.contains("Omzetplafond: € 1.200.000,00"),
            "{}",
            p.text
        );
        assert_eq!(labs::get(db, &lab, id).unwrap().status(), "proposed");
        assert!(matches!(
            labs::propose(db, &set, &purchaser, id, now),
            Err(AppError::Conflict(_))
        ));

        // the analyst cannot sign; the signer does
        let shown = accounts::sha256_hex(&p.text);
        let sig = Signature {
            ip: "192.0.2.30",
            user_agent: "test",
            text_sha256: &shown,
        };
        assert!(proposals::answer(db, &lab, pid, true, None, &sig, now).is_err());
        proposals::answer(db, &signer, pid, true, None, &sig, now).unwrap();
        assert_eq!(labs::get(db, &lab, id).unwrap().status(), "signed");
        assert!(labs::list(db, &west).unwrap().is_empty());
    }
}

#[test]
fn thrombosis_and_production_change_requests_on_every_backend() {
    let set = policies::load_default().unwrap();
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, at(day("2019-10-01"))).unwrap();
        let service = login(db, "medewerker@trombose.example");
        let lab = login(db, "analist@labmidden.example");
        let purchaser = login(db, "inkoper@zorgverzekeraar.example");
        let today = day("2019-10-01");
        let now = at(today);
        let answers: BTreeMap<String, Option<Value>> = [
            ("meets_contract_conditions".to_string(), Some(json!(true))),
            ("is_new_provider".to_string(), Some(json!(false))),
        ]
        .into();
        let products = [
            product("Trombosezorg", 9_000, "44.44"),
            product("Zelfmeten", 100, "0.40"),
        ];
        // a laboratory does not apply for the thrombosis contract
        assert!(matches!(
            labs::request_thrombosis(db, &set, &lab, &products, &answers, today, now),
            Err(AppError::Forbidden(_))
        ));
        let id =
            labs::request_thrombosis(db, &set, &service, &products, &answers, today, now).unwrap();
        let r = labs::get(db, &service, id).unwrap();
        assert_eq!((r.kind, r.ceiling), (Kind::Thrombosis, Some(d("400000"))));
        assert!(matches!(
            labs::get(db, &lab, id),
            Err(AppError::NotFound(_))
        ));
        labs::review(db, &purchaser, id, &Review::Grant, now).unwrap();
        let pid = labs::propose(db, &set, &purchaser, id, now).unwrap();
        let p = proposals::get(db, &service, pid).unwrap();
        assert_eq!(p.ceiling_cents, Some(40_000_000));
        assert_eq!(p.end, Some(day("2020-12-31")), "one year");

        // a production change: its own request, no term; a wrong month start is refused
        let mut change = ChangeRequest {
            change: "uitbreiden".into(),
            location: "Prikpost Zeist".into(),
            from: day("2020-03-15"),
            motivation: "Nieuwe prikpost in Zeist.".into(),
        };
        assert!(matches!(
            labs::request_change(db, &set, &lab, &change, today, now),
            Err(AppError::Invalid { field, .. }) if field == "ingangsdatum"
        ));
        change.from = day("2020-03-01");
        assert!(matches!(
            labs::request_change(db, &set, &service, &change, today, now),
            Err(AppError::Forbidden(_))
        ));
        let cid = labs::request_change(db, &set, &lab, &change, today, now).unwrap();
        let c = labs::get(db, &purchaser, cid).unwrap();
        assert_eq!(c.kind, Kind::ProductionChange);
        assert_eq!(c.module, labs::PRODUCTION_CHANGE);
        assert_eq!(c.change.as_ref().unwrap().location, "Prikpost Zeist");
        assert_eq!(c.status(), "submitted");
        let kinds: Vec<Kind> = labs::list(db, &purchaser)
            .unwrap()
            .iter()
            .map(|r| r.kind)
            .collect();
        assert_eq!(kinds, vec![Kind::ProductionChange, Kind::Thrombosis]);
        labs::review(
            db,
            &purchaser,
            cid,
            &Review::Refuse("Geen ruimte in de regio.".into()),
            now,
        )
        .unwrap();
        assert_eq!(labs::get(db, &lab, cid).unwrap().status(), "refused");
    }
}

/// The statement of Huisartsenlaboratorium Midden as the settlement records it (its lines'
/// steps and amounts): ceiling 1,200,000, production 1,296,000, means 1.4000 -> 1.4250 and
/// 3.0000 -> 3.0364.
fn statement_run() -> NewRun {
    let line = |step: &str, unit: &str, v: &str| json!({"step": step, "amount": {"unit": unit, "value": v}});
    NewRun {
        domain: settlement::DOMAIN_LABS.into(),
        year: 2020,
        policy_id: labs::POLICY.into(),
        policy_version: "2020".into(),
        policy_sha256: "0".repeat(64),
        inputs_sha256: "1".repeat(64),
        inputs_note: "test".into(),
        statements: vec![NewStatement {
            provider_agb: "50001234".into(),
            category: "laboratorium, voorkeursovereenkomst".into(),
            total: Some(d("1272000")),
            json: json!({"lines": [
                line("production", "euro", "1296000.00"),
                line("ceiling", "euro", "1200000.00"),
                line("orders_per_patient_2018", "mean", "1.4000"),
                line("orders_per_patient", "mean", "1.4250"),
                line("analyses_per_order_2018", "mean", "3.0000"),
                line("analyses_per_order", "mean", "3.0364"),
            ]}),
        }],
    }
}

#[test]
fn the_figures_come_from_the_statement_when_the_insurer_has_one() {
    for t in testing::databases() {
        let db = &t.db;
        portal_demo::seed(db, at(day("2019-10-01"))).unwrap();
        settlement::record_run(db, &statement_run(), "test", at(day("2021-03-01"))).unwrap();
        let lab = login(db, "analist@labmidden.example");
        let i = labs::statement_inputs(db, &lab).unwrap().expect("figures");
        assert!(matches!(
            i.source,
            FigureSource::Statement { year: 2020, .. }
        ));
        assert_eq!(i.ceiling, Some(d("1200000.00")));
        assert_eq!(i.production, d("1296000.00"));
        assert_eq!(
            i.means,
            Some(Means {
                orders_per_patient_2018: d("1.4000"),
                orders_per_patient: d("1.4250"),
                analyses_per_order_2018: d("3.0000"),
                analyses_per_order: d("3.0364"),
            })
        );
        let c = labs::compare(&policy(), &i).unwrap();
        assert_eq!(c.preferred.paid, d("1272000"));
        assert_eq!(c.regular.paid, d("1200000"));
        assert!(c.shared[0].calculation.contains("uit de declaraties"));
        // another laboratory has no statement: no figures
        let west = other_lab(db);
        assert_eq!(labs::statement_inputs(db, &west).unwrap(), None);
    }
}
