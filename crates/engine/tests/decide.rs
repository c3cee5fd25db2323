//! The engine's decision mechanics on a miniature policy: requirements, derived facts,
//! exclusions that override, missing facts, individual review, start dates and the receipt.

use chrono::NaiveDate;
use std::path::Path;
use zorginkoop_engine::{Case, Outcome, StepOutcome, decide};
use zorginkoop_policy::Policy;

fn policy() -> Policy {
    Policy::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini.toml"
    )))
    .unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(json: &str) -> Case {
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_module_that_requires_the_base_contract_is_granted_with_it_in_one_request() {
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"request_date":"2022-03-01",
        "facts":{"gp_registered":true,"registered_patients":4700,"requested_hours":24,"in_pilot":false}}"#,
    );
    let dec = decide(&policy(), &c, d("2022-03-01")).unwrap();
    let poh = dec.module("poh").unwrap();
    assert_eq!(poh.outcome, Outcome::Eligible, "{:#?}", poh.steps);
    // 1 April minus 4 weeks is 4 March: a request on 1 March makes 1 April.
    assert_eq!(poh.earliest_start, Some(d("2022-04-01")));
    let calc = poh
        .steps
        .iter()
        .find(|s| s.rule().to_string() == "poh/calculation/norm_hours")
        .unwrap();
    assert_eq!(calc.note.as_deref(), Some("norm_hours = 24"));
    assert_eq!(dec.receipt.policy_id, "mini-2022");
    assert_eq!(dec.receipt.policy_sha256.len(), 64);
}

#[test]
fn without_the_base_contract_the_module_is_not_available() {
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},
        "facts":{"gp_registered":false,"registered_patients":2350,"requested_hours":12,"in_pilot":false}}"#,
    );
    let dec = decide(&policy(), &c, d("2022-03-01")).unwrap();
    let poh = dec.module("poh").unwrap();
    assert_eq!(poh.outcome, Outcome::NotEligible);
    assert_eq!(poh.failed_rules(), vec!["basis"]);
    assert_eq!(poh.earliest_start, None);
}

#[test]
fn an_exclusion_overrides_conditions_that_hold() {
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"contracted":["basis"],
        "facts":{"registered_patients":2350,"requested_hours":12,"in_pilot":true}}"#,
    );
    let poh = decide(&policy(), &c, d("2022-03-01"))
        .unwrap()
        .module("poh")
        .unwrap()
        .clone();
    assert_eq!(poh.outcome, Outcome::NotEligible);
    assert_eq!(poh.failed_rules(), vec!["pilot"]);
}

#[test]
fn a_missing_fact_is_asked_for_not_guessed() {
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"contracted":["basis"],
        "facts":{"requested_hours":12,"in_pilot":false}}"#,
    );
    let poh = decide(&policy(), &c, d("2022-03-01"))
        .unwrap()
        .module("poh")
        .unwrap()
        .clone();
    assert_eq!(poh.outcome, Outcome::NeedsInformation);
    assert_eq!(
        poh.missing_facts,
        vec!["norm_hours".to_string(), "registered_patients".to_string()]
    );
}

#[test]
fn a_request_above_the_norm_goes_to_individual_review() {
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"contracted":["basis"],
        "facts":{"registered_patients":2350,"requested_hours":14,"in_pilot":false}}"#,
    );
    let poh = decide(&policy(), &c, d("2022-03-01"))
        .unwrap()
        .module("poh")
        .unwrap()
        .clone();
    assert_eq!(poh.outcome, Outcome::NeedsReview);
    let step = poh
        .steps
        .iter()
        .find(|s| s.rule().to_string() == "poh/condition/within-norm")
        .unwrap();
    assert_eq!(step.outcome, StepOutcome::Review);
    assert_eq!(step.source().quote, "more is assessed individually");
}

#[test]
fn a_catalogue_item_that_is_not_contractable_is_never_eligible() {
    let c = case(r#"{"provider":{"name":"RO","kind":"regio-organisatie"},"modules":["resv"]}"#);
    let resv = decide(&policy(), &c, d("2022-03-01"))
        .unwrap()
        .module("resv")
        .unwrap()
        .clone();
    assert_eq!(resv.outcome, Outcome::NotEligible);
    assert_eq!(resv.failed_rules(), vec!["contractable"]);
}

#[test]
fn the_wrong_kind_of_provider_cannot_contract_a_module() {
    let c = case(
        r#"{"provider":{"name":"Lab","kind":"laboratory"},"modules":["basis"],"facts":{"gp_registered":true}}"#,
    );
    let basis = decide(&policy(), &c, d("2022-03-01"))
        .unwrap()
        .module("basis")
        .unwrap()
        .clone();
    assert_eq!(basis.outcome, Outcome::NotEligible);
    assert_eq!(basis.failed_rules(), vec!["level"]);
}

#[test]
fn unknown_modules_are_an_error() {
    let c = case(r#"{"provider":{"name":"P","kind":"practice"},"modules":["nope"]}"#);
    let err = decide(&policy(), &c, d("2022-03-01")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "beleid `mini-2022` heeft geen module `nope`"
    );
}

#[test]
fn a_fact_is_only_asked_for_when_it_would_decide() {
    // `any`: one branch holds, so the other branch's missing fact is not needed
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini.toml"))
        .unwrap()
        .replace(
            "check = { fact = \"in_pilot\", op = \"is\", value = true }",
            "check = { all = [ { fact = \"in_pilot\", op = \"is\", value = true }, { fact = \"pilot_year\", op = \">=\", value = 2022 } ] }",
        );
    let p = Policy::from_bytes(Path::new("mini.toml"), text.as_bytes()).unwrap();
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"contracted":["basis"],
        "facts":{"registered_patients":2350,"requested_hours":12,"in_pilot":false}}"#,
    );
    let poh = decide(&p, &c, d("2022-03-01"))
        .unwrap()
        .module("poh")
        .unwrap()
        .clone();
    assert_eq!(poh.outcome, Outcome::Eligible, "{:#?}", poh.steps);
    assert!(poh.missing_facts.is_empty());
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"contracted":["basis"],
        "facts":{"registered_patients":2350,"requested_hours":12,"in_pilot":true}}"#,
    );
    let poh = decide(&p, &c, d("2022-03-01"))
        .unwrap()
        .module("poh")
        .unwrap()
        .clone();
    assert_eq!(poh.outcome, Outcome::NeedsInformation);
    assert_eq!(poh.missing_facts, vec!["pilot_year".to_string()]);
}

#[test]
fn a_request_before_the_period_uses_the_figures_of_the_period() {
    // The parameters of the miniature policy start on 2022-01-01; a request in November 2021
    // is about the 2022 contract, so its norm hours are computed with the 2022 figures.
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"contracted":["basis"],
        "facts":{"registered_patients":2350,"requested_hours":12,"in_pilot":false}}"#,
    );
    let poh = decide(&policy(), &c, d("2021-11-01"))
        .unwrap()
        .module("poh")
        .unwrap()
        .clone();
    assert_eq!(poh.outcome, Outcome::Eligible, "{:#?}", poh.steps);
    assert_eq!(poh.earliest_start, Some(d("2022-01-01")));
}

#[test]
fn the_decision_json_is_versioned_and_reads_back_unchanged() {
    let c = case(
        r#"{"provider":{"name":"P","kind":"practice"},"request_date":"2022-03-01",
            "facts":{"gp_registered":true,"registered_patients":4700,"requested_hours":24,"in_pilot":false}}"#,
    );
    let dec = decide(&policy(), &c, d("2022-03-01")).unwrap();
    let json = serde_json::to_value(&dec).unwrap();
    let text = json.to_string();
    // numbers, derived facts and parameters with their dates travel in the JSON
    assert!(text.contains(r#""from":"derived""#), "{text}");
    assert!(
        text.contains(r#""name":"registered_patients","value":"4700""#),
        "{text}"
    );
    assert_eq!(json["schema"], "zorginkoop.decision/2");
    let step = &json["modules"][0]["steps"][0];
    assert!(step["rule"]["module"].is_string(), "{step}");
    assert!(step["source"]["quote"].is_string(), "{step}");
    let back: zorginkoop_engine::Decision = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
}

#[test]
fn a_table_row_a_calculator_matched_is_in_the_trace() {
    // district nursing with table 1 (provider category) derived for the existing-provider module
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/district-nursing-2021.toml"
    ));
    let shipped = Policy::load(path).unwrap();
    let mut file = shipped.file.clone();
    let m = file
        .modules
        .iter_mut()
        .find(|m| m.id == "wijkverpleging")
        .unwrap();
    m.derive.push(zorginkoop_policy::Derivation {
        fact: "provider_category".into(),
        calculator: "provider-category".into(),
        inputs: [
            (
                "had_contract_2020".to_string(),
                "had_contract_2020".to_string(),
            ),
            (
                "revenue".to_string(),
                "zvw_district_nursing_revenue_2019".to_string(),
            ),
        ]
        .into(),
        output: "category".into(),
    });
    let p = Policy::from_file(file, path, shipped.sha256.clone()).unwrap();
    let c = case(
        r#"{"provider":{"name":"W","kind":"district-nursing"},"request_date":"2020-10-01",
            "modules":["wijkverpleging"],
            "facts":{"had_contract_2020":true,"zvw_district_nursing_revenue_2019":99999.99}}"#,
    );
    let dec = decide(&p, &c, d("2020-10-01")).unwrap();
    let m = dec.module("wijkverpleging").unwrap();
    let calc = m
        .steps
        .iter()
        .find(|s| s.rule().to_string() == "wijkverpleging/calculation/provider_category")
        .unwrap();
    assert_eq!(calc.note.as_deref(), Some("provider_category = \"small\""));
    let row = calc
        .inputs
        .iter()
        .find_map(|i| match i {
            zorginkoop_engine::Input::TableRow { table, row, cells } => {
                Some((table.to_string(), *row, cells.clone()))
            }
            _ => None,
        })
        .expect("table row in the trace");
    // table 1, second row: had a 2020 contract, revenue below 100,000
    assert_eq!((row.0.as_str(), row.1), ("provider-category", 1));
    assert_eq!(row.2["revenue_band"], "below-100000");
    assert_eq!(row.2["category"], "small");
}

fn gp_2020() -> Policy {
    Policy::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/gp-2020-2021.toml"
    )))
    .unwrap()
}

const LATE_GP: &str = r#"{"provider":{"name":"P","kind":"practice"},"modules":["basiszorg"],
    "facts":{"gp_big_registered":true,"contracts_full_scope":true,"in_zk_core_region":true}}"#;

#[test]
fn a_request_after_the_portal_closed_goes_to_review_on_the_late_schedule() {
    let p = gp_2020();
    let dec = decide(&p, &case(LATE_GP), d("2020-03-10")).unwrap();
    let m = dec.module("basiszorg").unwrap();
    assert_eq!(m.outcome, Outcome::NeedsReview, "{:#?}", m.steps);
    // the late route: first of any month, no lead time
    assert_eq!(m.earliest_start, Some(d("2020-04-01")));
    assert_eq!(m.request_deadline, Some(d("2020-04-01")));
    assert_eq!(m.window_opens, Some(d("2019-09-26")));
    assert_eq!(m.window_closes, Some(d("2019-11-12")));
    let w = m
        .steps
        .iter()
        .find(|s| s.rule().to_string() == "basiszorg/calendar/window")
        .unwrap();
    assert_eq!(w.outcome, StepOutcome::Review);
    assert!(
        w.note
            .as_deref()
            .unwrap()
            .starts_with("Een aanvraag na 12 november 2019")
    );
    assert_eq!(
        w.about.source.section,
        "3. Wie kunnen een overeenkomst krijgen?"
    );
}

#[test]
fn a_late_route_that_refuses_makes_a_late_request_not_eligible() {
    let mut p = gp_2020();
    let i = p.compiled.module_index("basiszorg").unwrap();
    let app = p.file.modules[i].application.as_mut().unwrap();
    app.late.as_mut().unwrap().on_fail = zorginkoop_policy::OnFail::NotEligible;
    let dec = decide(&p, &case(LATE_GP), d("2020-03-10")).unwrap();
    let m = dec.module("basiszorg").unwrap();
    assert_eq!(m.outcome, Outcome::NotEligible);
    assert_eq!(m.failed_rules(), vec!["window"]);
    assert_eq!(m.earliest_start, None);
    // within the window the ordinary schedule applies: 1 January 2020
    let dec = decide(&p, &case(LATE_GP), d("2019-11-12")).unwrap();
    let m = dec.module("basiszorg").unwrap();
    assert_eq!(m.outcome, Outcome::Eligible, "{:#?}", m.steps);
    assert_eq!(m.earliest_start, Some(d("2020-01-01")));
}

const POH_24: &str = r#"{"provider":{"name":"P","kind":"practice"},"request_date":"2022-03-01",
    "facts":{"gp_registered":true,"registered_patients":4700,"requested_hours":24,"in_pilot":false}"#;

#[test]
fn an_example_parameter_overridden_per_request_changes_the_norm_and_is_on_the_receipt() {
    // 12 hours per norm practice: 4700 patients are two norm practices, 24 hours fit.
    // With 10 hours per norm practice the norm is 20 hours and 24 requested hours do not fit:
    // more than the norm goes to individual review.
    let c = case(&format!(
        r#"{POH_24},"parameters":{{"poh-ggz.hours-per-norm-practice":"10"}}}}"#
    ));
    let dec = decide(&policy(), &c, d("2022-03-01")).unwrap();
    let poh = dec.module("poh").unwrap();
    assert_eq!(poh.outcome, Outcome::NeedsReview, "{:#?}", poh.steps);
    let within = poh
        .steps
        .iter()
        .find(|s| s.rule().to_string() == "poh/condition/within-norm")
        .unwrap();
    assert_eq!(within.outcome, StepOutcome::Review);
    let calc = poh
        .steps
        .iter()
        .find(|s| s.rule().to_string() == "poh/calculation/norm_hours")
        .unwrap();
    assert_eq!(calc.note.as_deref(), Some("norm_hours = 20"));
    let o = &dec.receipt.overrides;
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].id, "poh-ggz.hours-per-norm-practice");
    assert_eq!(o[0].value.to_string(), "10");
    assert_eq!(
        o[0].policy_value.map(|v| v.to_string()).as_deref(),
        Some("12")
    );
    let json = serde_json::to_value(&dec).unwrap();
    assert_eq!(
        json["receipt"]["overrides"][0]["policy_value"],
        serde_json::json!("12")
    );
    let text = zorginkoop_engine::explain::render_decision(&dec, true);
    assert!(
        text.contains("poh-ggz.hours-per-norm-practice = 10 (beleid: 12)"),
        "{text}"
    );
    // without the override: eligible, and no overrides on the receipt
    let dec = decide(&policy(), &case(&format!("{POH_24}}}")), d("2022-03-01")).unwrap();
    assert_eq!(dec.module("poh").unwrap().outcome, Outcome::Eligible);
    assert!(dec.receipt.overrides.is_empty());
    assert!(
        serde_json::to_value(&dec).unwrap()["receipt"]
            .get("overrides")
            .is_none()
    );
}

#[test]
fn a_published_parameter_cannot_be_overridden_and_a_value_must_fit_the_unit() {
    let c = case(&format!(
        r#"{POH_24},"parameters":{{"norm-practice.patients":"2000"}}}}"#
    ));
    let e = decide(&policy(), &c, d("2022-03-01"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`norm-practice.patients`"), "{e}");
    assert!(e.contains("kan niet per aanvraag worden aangepast"), "{e}");
    let c = case(&format!(
        r#"{POH_24},"parameters":{{"poh-ggz.hours-per-norm-practice":"-3"}}}}"#
    ));
    let e = decide(&policy(), &c, d("2022-03-01"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("poh-ggz.hours-per-norm-practice"), "{e}");
    let c = case(&format!(
        r#"{POH_24},"parameters":{{"poh-ggz.hours-per-norm-practice":"veel"}}}}"#
    ));
    let e = decide(&policy(), &c, d("2022-03-01"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("geen decimaal getal"), "{e}");
    let c = case(&format!(
        r#"{POH_24},"parameters":{{"bestaat-niet":"1"}}}}"#
    ));
    let e = decide(&policy(), &c, d("2022-03-01"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("bestaat niet"), "{e}");
}
