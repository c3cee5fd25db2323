//! Facts are checked, not guessed: a case or calculator input that does not fit the policy's
//! declarations is refused, naming the field, the value and what was expected.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_app::decisions::{self, DecideRequest};
use zorginkoop_app::{AppError, calculators, policies};
use zorginkoop_engine::Case;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dir() -> PathBuf {
    repo().join("policies")
}

fn example(name: &str) -> serde_json::Value {
    decisions::read_document(&repo().join("examples").join(name)).unwrap()
}

/// Decides `case` under its own policy; the error message when refused.
fn decide(case: serde_json::Value) -> Result<(), String> {
    let case: Case = decisions::parse_case("aanvraag.json", case).unwrap();
    let req = DecideRequest {
        name: "aanvraag.json",
        case: &case,
        policy: None,
        date: None,
        today: NaiveDate::from_ymd_opt(2022, 2, 1).unwrap(),
    };
    match decisions::decide_in(&dir(), &req) {
        Ok(_) => Ok(()),
        Err(e @ AppError::CaseRefused { .. }) => Err(e.to_string()),
        Err(e) => panic!("expected a refusal, got {e}"),
    }
}

fn linde_with(fact: &str, value: serde_json::Value) -> serde_json::Value {
    let mut case = example("practice-de-linde.json");
    case["facts"][fact] = value;
    case
}

#[test]
fn ja_for_a_yes_no_fact_is_refused_naming_the_field_and_ja_of_nee() {
    let msg = decide(linde_with("gp_big_registered", "ja".into())).unwrap_err();
    assert!(msg.contains("feit `gp_big_registered`"), "{msg}");
    assert!(msg.contains("waarde \"ja\""), "{msg}");
    assert!(msg.contains("ja of nee (true/false)"), "{msg}");
    assert!(msg.contains("bedoelt u true?"), "{msg}");
}

#[test]
fn minus_five_registered_patients_is_refused() {
    let msg = decide(linde_with("registered_patients", (-5).into())).unwrap_err();
    assert!(
        msg.contains(
            "feit `registered_patients`: waarde -5 geweigerd; verwacht een aantal (patiënten): \
             een geheel getal van 0 of meer"
        ),
        "{msg}"
    );
}

#[test]
fn twenty_four_for_a_ratio_is_refused_with_the_hint_0_24() {
    let mut case = example("ro-utrecht.json");
    case["facts"]["gp_share"] = 24.into();
    let msg = decide(case).unwrap_err();
    assert!(msg.contains("feit `gp_share`: waarde 24"), "{msg}");
    assert!(msg.contains("een verhouding van 0 tot en met 1"), "{msg}");
    assert!(msg.contains("bedoelt u 0.24?"), "{msg}");
}

#[test]
fn an_unknown_fact_name_gets_did_you_mean() {
    let mut case = example("practice-de-linde.json");
    let facts = case["facts"].as_object_mut().unwrap();
    let v = facts.remove("registered_patients").unwrap();
    facts.insert("registerd_patients".into(), v);
    let msg = decide(case).unwrap_err();
    assert!(msg.contains("feit `registerd_patients`"), "{msg}");
    assert!(msg.contains("bedoelt u registered_patients?"), "{msg}");
}

#[test]
fn unknown_contracted_and_requested_modules_are_refused_with_did_you_mean() {
    let mut case = example("practice-de-linde.json");
    case["contracted"] = serde_json::json!(["basizorg"]);
    case["modules"] = serde_json::json!(["poh-gz"]);
    let msg = decide(case).unwrap_err();
    assert!(msg.contains("2 fouten"), "{msg}");
    assert!(
        msg.contains("contracted: waarde \"basizorg\"") && msg.contains("bedoelt u basiszorg?"),
        "{msg}"
    );
    assert!(
        msg.contains("modules: waarde \"poh-gz\"") && msg.contains("bedoelt u poh-ggz?"),
        "{msg}"
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let mut case = linde_with("registered_patients", (-5).into());
    case["facts"]["gp_big_registered"] = "ja".into();
    case["facts"]["oaw_weeks_per_year"] = 45.5.into();
    let msg = decide(case).unwrap_err();
    assert!(msg.contains("3 fouten"), "{msg}");
}

#[test]
fn a_derived_fact_is_not_given_but_computed() {
    let msg = decide(linde_with("poh_ggz_norm_hours", 99.into())).unwrap_err();
    assert!(
        msg.contains("wordt berekend met rekentool poh-ggz-hours uit registered_patients"),
        "{msg}"
    );
}

#[test]
fn every_example_case_passes_the_check() {
    let mut n = 0;
    for entry in std::fs::read_dir(repo().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            decide(example(&name)).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(n >= 9, "the examples are found");
}

fn calc(name: &str, input: serde_json::Value) -> Result<serde_json::Value, String> {
    let req = calculators::CalcRequest {
        name,
        input,
        policy: None,
        date: None,
        parameters: Default::default(),
    };
    calculators::run_in(&dir(), req)
        .map(|r| r.output)
        .map_err(|e| e.to_string())
}

#[test]
fn af_tariff_with_a_huge_hourly_cost_is_an_error_naming_the_input() {
    let err = calc(
        "af-tariff",
        serde_json::from_str(
            r#"{"poh_hourly_cost": 79228162514264337593543950335, "gp_hourly_cost": 90}"#,
        )
        .unwrap(),
    )
    .unwrap_err();
    assert!(
        err.contains("rekentool af-tariff: invoer `poh_hourly_cost` is te groot"),
        "{err}"
    );
    // a number beyond 28 digits does not even fit the input
    let err = calc(
        "af-tariff",
        serde_json::json!({"poh_hourly_cost": 1e40, "gp_hourly_cost": 90}),
    )
    .unwrap_err();
    assert!(
        err.contains("invoer `poh_hourly_cost`: waarde 1e+40 geweigerd")
            && err.contains("een getal van hooguit 28 cijfers"),
        "{err}"
    );
}

#[test]
fn poh_s_supplement_with_huge_hours_is_an_error_naming_the_input() {
    let err = calc(
        "poh-s-supplement",
        serde_json::json!({"registered_patients": 2350, "total_hours_per_week": "79228162514264337593543950335"}),
    )
    .unwrap_err();
    assert!(
        err.contains("invoer `total_hours_per_week` is te groot"),
        "{err}"
    );
}

#[test]
fn a_negative_count_or_misspelt_field_in_a_calculator_input_is_refused() {
    let err = calc(
        "poh-ggz-hours",
        serde_json::json!({"registered_patients": -5}),
    )
    .unwrap_err();
    assert!(
        err.contains(
            "invoer `registered_patients`: waarde -5 geweigerd; verwacht een geheel getal van 0"
        ),
        "{err}"
    );
    let err = calc(
        "poh-ggz-hours",
        serde_json::json!({"registered_patient": 2350}),
    )
    .unwrap_err();
    assert!(err.contains("bedoelt u registered_patients?"), "{err}");
    // a good input still computes
    let out = calc(
        "poh-ggz-hours",
        serde_json::json!({"registered_patients": 2350}),
    )
    .unwrap();
    assert_eq!(out["max_hours_per_week"], serde_json::json!("12"));
}

#[test]
fn an_empty_policies_folder_is_an_error() {
    let empty = std::env::temp_dir().join(format!("zorginkoop-app-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let err = policies::load(&empty).unwrap_err().to_string();
    std::fs::remove_dir_all(&empty).unwrap();
    assert!(err.contains("geen beleidsbestanden"), "{err}");
}

#[test]
fn a_case_decided_under_another_policy_leaves_out_facts_that_policy_does_not_know() {
    let mut case = example("practice-de-linde.json");
    let run = |case: &serde_json::Value| {
        let case: Case = decisions::parse_case("de-linde", case.clone()).unwrap();
        let req = DecideRequest {
            name: "de-linde",
            case: &case,
            policy: Some("gp-2020-2021"),
            date: Some(NaiveDate::from_ymd_opt(2019, 10, 1).unwrap()),
            today: NaiveDate::from_ymd_opt(2022, 2, 1).unwrap(),
        };
        decisions::decide_in(&dir(), &req).map_err(|e| e.to_string())
    };
    // poh_ggz_* and the others are unknown to gp-2020-2021: not counted, not refused
    run(&case).unwrap();
    // a fact it does know is still checked
    case["facts"]["gp_big_registered"] = "ja".into();
    let msg = run(&case).unwrap_err();
    assert!(msg.contains("feit `gp_big_registered`"), "{msg}");
    assert!(!msg.contains("poh_ggz"), "{msg}");
}
