//! The claim rules of the real policies (`policies/*.toml`) on hand-worked lines: which policy's
//! rules a line meets, and the rules that were encoded but not enforced (issues 12 and 15).
//! Context: `tests/fixtures/policy-context/` (people, chains and contracts described below).

mod common;

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_claims::checker::{Checker, State};
use zorginkoop_claims::context::Context;
use zorginkoop_claims::ident::Code;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::vektis::{ClaimWriter, Decision, Insured, Line};
use zorginkoop_policy::PolicySet;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn checker() -> Checker {
    let set = PolicySet::load_dir(&repo().join("policies")).expect("policies load");
    let rules = RuleSet::from_policies(&set).unwrap();
    let ctx = Context::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-context"),
    )
    .unwrap();
    Checker::new(rules, ctx)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 3311; Amsterdam (1011) until 2022-06-30, Marken (1156) from 2022-07-01.
const MOVER: u32 = 200_000_007;
/// UZOVI 7095: not insured with one of the insurer's labels.
const UNINSURED: u32 = 200_000_019;
/// 3311, in the CVRM chain from 2025-01-01.
const IN_CVRM: u32 = 200_000_020;
/// 3311, in no chain.
const PLAIN: u32 = 200_000_032;
/// 3313, in the DM2 chain (written `DM2` in chains.csv) from 2025-01-01.
const IN_DM2: u32 = 200_000_044;

/// GP practice: basiszorg 2020-2023, POH-GGZ (13001) 2020-2021, FGV, SMR and bijzondere
/// gebieden A 2022-2023 (module-wide; FGV until 2025), 13199 (teledermatologie) 2025-2027, the
/// regular consult 13002 under basiszorg 2022-2023. Laboratory 50000001: blood tests (30001) in 2020.
const GP: u32 = 1_000_001;
/// Regio-organisatie: AF and the chain item GP consultation, 2026-2027.
const RO: u32 = 53_000_001;
/// District nursing: integral care (1032-1037), 2021.
const WV: u32 = 75_000_001;

fn line(bsn: u32, code: &str, date: &str, reference: &str) -> Line {
    Line {
        id: 1,
        bsn,
        uzovi: 3311,
        insured_number: vec![],
        start: d(date),
        end: d(date),
        code_list: 3,
        code: Code::parse(code).unwrap(),
        count: 1,
        performer: 0,
        tariff: 5000,
        amount: 5000,
        reference: reference.as_bytes().to_vec(),
        previous_reference: vec![],
    }
}

/// Evaluates lines in order, like a run does; returns (decision, reason codes).
fn check(c: &Checker, lines: &[(u32, Line)]) -> Vec<(Decision, Vec<String>)> {
    let mut st = State::default();
    lines
        .iter()
        .map(|(provider, l)| {
            let mut o = c.eval(*provider, l);
            c.eval_stateful(&mut st, *provider, l, &mut o);
            let names = o
                .reasons()
                .iter()
                .map(|r| c.reasons[r.reason as usize].code.clone())
                .collect();
            (o.decision, names)
        })
        .collect()
}

fn one(c: &Checker, provider: u32, l: Line) -> (Decision, Vec<String>) {
    check(c, &[(provider, l)]).remove(0)
}

fn rejected(reason: &str) -> (Decision, Vec<String>) {
    (Decision::Rejected, vec![reason.to_string()])
}

fn granted() -> (Decision, Vec<String>) {
    (Decision::Granted, vec![])
}

#[test]
fn an_uninsured_gp_line_of_2022_is_not_insured_once_not_by_2021_or_district_nursing_rules() {
    let c = checker();
    assert_eq!(
        one(&c, GP, line(UNINSURED, "13100", "2022-03-01", "N1")),
        rejected("ZK-NOT-INSURED")
    );
    // a GP line of 2021 meets the 2020-2021 policy's own rule, once
    assert_eq!(
        one(&c, GP, line(UNINSURED, "13001", "2021-03-01", "N2")),
        rejected("ZK-NOT-INSURED")
    );
    // a district-nursing line of 2021 meets the district-nursing rule only
    assert_eq!(
        one(&c, WV, line(UNINSURED, "1032", "2021-03-01", "N3")),
        rejected("ZK-WV-NOT-INSURED")
    );
}

#[test]
fn a_line_is_checked_against_the_policy_of_its_domain_and_service_date() {
    let c = checker();
    let policy = |code: &str, date: &str| {
        c.scopes
            .policy_of(&Code::parse(code).unwrap(), d(date))
            .map(|i| c.rules.policies[i].id.clone())
    };
    assert_eq!(
        policy("13100", "2022-03-01").as_deref(),
        Some("gp-2022-2023")
    );
    // a code of the 2020-2021 GP policy dated 2022 is GP care of 2022
    assert_eq!(
        policy("13001", "2022-03-01").as_deref(),
        Some("gp-2022-2023")
    );
    assert_eq!(
        policy("13001", "2021-12-31").as_deref(),
        Some("gp-2020-2021")
    );
    assert_eq!(
        policy("1032", "2021-06-01").as_deref(),
        Some("district-nursing-2021")
    );
    assert_eq!(
        policy("20014", "2026-06-01").as_deref(),
        Some("oi-2026-2027")
    );
    // no district-nursing policy for 2022; no policy names 99999
    assert_eq!(policy("1032", "2022-06-01"), None);
    assert_eq!(policy("99999", "2022-06-01"), None);
}

#[test]
fn run_summary_counts_each_uninsured_line_once_per_reason() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("gp.ha304");
    let lines: Vec<Line> = (0..3)
        .map(|i| line(UNINSURED, "13100", "2022-03-01", &format!("U{i}")))
        .collect();
    write_ha304(&f, GP, UNINSURED, &lines);
    let out = dir.path().join("out");
    let opts = zorginkoop_claims::run::RunOptions {
        inputs: vec![f],
        out_dir: out.clone(),
        history: None,
        wait: false,
        date: d("2023-01-15"),
        progress: false,
        parquet: false,
    };
    zorginkoop_claims::run::run(&c, &opts).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let by_reason = json["summary"]["by_reason"].as_object().unwrap();
    let tally: Vec<(&str, u64)> = by_reason
        .iter()
        .map(|(k, v)| (k.as_str(), v["lines"].as_u64().unwrap()))
        .collect();
    assert_eq!(tally, [("ZK-NOT-INSURED", 3)]);
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    for row in results.lines().skip(1) {
        assert!(row.ends_with(",rejected,0320,ZK-NOT-INSURED"), "{row}");
    }
}

fn write_ha304(path: &Path, provider: u32, bsn: u32, lines: &[Line]) {
    let h = common::ha304_header_2022(provider);
    let mut w = ClaimWriter::new(std::fs::File::create(path).unwrap(), &h).unwrap();
    w.insured(&Insured {
        id: 1,
        bsn,
        uzovi: 3311,
        insured_number: vec![],
        birth_date: d("1960-01-01"),
        gender: 1,
        name: b"Jansen".to_vec(),
        initials: b"J".to_vec(),
        postcode: b"1234AB".to_vec(),
    })
    .unwrap();
    for (i, l) in lines.iter().enumerate() {
        w.line(&Line {
            id: i as u64 + 2,
            ..l.clone()
        })
        .unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn fgv_is_claimed_in_the_second_quarter_under_the_gp_agreement_without_a_separate_agreement() {
    let c = checker();
    // Q2 2022: the claim over measured year 2021, module-wide contract only
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2022-05-10", "F1")),
        granted()
    );
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2022-04-01", "F2")),
        granted()
    );
    // outside the second quarter
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2022-03-31", "F3")),
        rejected("ZK-FGV-CLAIM-WINDOW")
    );
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2022-07-01", "F4")),
        rejected("ZK-FGV-CLAIM-WINDOW")
    );
    // the claim over 2023, after the contract period, is still this policy's
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2024-05-10", "F5")),
        granted()
    );
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2024-08-01", "F6")),
        rejected("ZK-FGV-CLAIM-WINDOW")
    );
    // but not the one over 2024: no policy of 2024
    assert_eq!(
        one(&c, GP, line(PLAIN, "13105", "2025-08-01", "F7")),
        granted()
    );
}

#[test]
fn an_smr_programme_claimed_twice_is_a_duplicate_like_any_other_line() {
    let c = checker();
    let r = check(
        &c,
        &[
            (GP, line(PLAIN, "13111", "2022-03-01", "S1")),
            (GP, line(PLAIN, "13111", "2022-03-01", "S1")),
            (GP, line(PLAIN, "13100", "2022-03-01", "B1")),
            (GP, line(PLAIN, "13100", "2022-03-01", "B1")),
        ],
    );
    assert_eq!(r[0], granted());
    assert_eq!(r[1], rejected("ZK-DUPLICATE"));
    assert_eq!(r[2], granted());
    assert_eq!(r[3], rejected("ZK-DUPLICATE"));
}

/// "Ook kunt u tijdens de Stoppen met Roken begeleiding geen consulten voor Stoppen met Roken
/// declareren": a programme line (13111) of 10 March 2022 runs in March, April and May 2022
/// (3 months, a setting). A regular consult (13002) of the same practice for the same insured on
/// 31 May 2022 is refused; on 1 June 2022 it is paid again; one of another practice, or for
/// another insured, in April is paid. A consult before the programme (1 March) is paid.
#[test]
fn a_regular_consult_during_the_smr_programme_is_refused_until_the_programme_ends() {
    let c = checker();
    let other_gp = 1_000_002;
    let r = check(
        &c,
        &[
            (GP, line(PLAIN, "13002", "2022-03-01", "C0")),
            (GP, line(PLAIN, "13111", "2022-03-10", "S1")),
            (GP, line(PLAIN, "13002", "2022-05-31", "C1")),
            (GP, line(PLAIN, "13002", "2022-06-01", "C2")),
            (other_gp, line(PLAIN, "13002", "2022-04-15", "C3")),
            (GP, line(IN_CVRM, "13002", "2022-04-15", "C4")),
        ],
    );
    let during = "ZK-SMR-CONSULT-DURING-PROGRAMME".to_string();
    assert!(!r[0].1.contains(&during), "{r:?}");
    assert!(!r[1].1.contains(&during), "{r:?}");
    assert_eq!(r[2].0, Decision::Rejected, "{r:?}");
    assert!(r[2].1.contains(&during), "{r:?}");
    for i in [3, 4, 5] {
        assert!(!r[i].1.contains(&during), "line {i}: {r:?}");
    }
}

/// Copies `policies/` (with its texts) into a temporary directory, edits one file, loads it.
fn load_edited(file: &str, from: &str, to: &str) -> Result<RuleSet, String> {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("policies");
    std::fs::create_dir(dir.path().join("texts")).unwrap();
    for e in std::fs::read_dir(src.join("texts")).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join("texts").join(e.file_name())).unwrap();
    }
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "toml") {
            let mut t = std::fs::read_to_string(e.path()).unwrap();
            if e.file_name() == file {
                assert!(t.contains(from), "{from} not in {file}");
                t = t.replacen(from, to, 1);
            }
            std::fs::write(dir.path().join(e.file_name()), t).unwrap();
        }
    }
    // a mistake is refused when the policy loads, or at the latest when the rules resolve
    let set = PolicySet::load_dir(dir.path()).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    RuleSet::from_policies(&set).map_err(|e| e.to_string())
}

#[test]
fn an_unknown_params_key_is_a_load_error_naming_policy_rule_and_key() {
    // the labels list written under `uzovi` (the key the code never read)
    let e = load_edited(
        "district-nursing-2021.toml",
        "params = { labels = [",
        "params = { uzovi = [",
    )
    .unwrap_err();
    assert!(e.contains("district-nursing-2021"), "{e}");
    assert!(e.contains("zk-labels-insured"), "{e}");
    assert!(e.contains("`uzovi`"), "{e}");
    // a duplicate rule with a `scope` the checker cannot honour
    let e = load_edited(
        "diagnostics-2020.toml",
        "params = { key = [\"provider\", \"insured\", \"prestatie_code\", \"treatment_date\", \"reference\"] }",
        "params = { scope = \"lab-orders\" }",
    )
    .unwrap_err();
    assert!(e.contains("no-duplicate-line"), "{e}");
    assert!(e.contains("`scope`"), "{e}");
    // the real files load
    assert!(load_edited("gp-2022-2023.toml", "", "").is_ok());
}

#[test]
fn the_labels_of_the_district_nursing_rule_are_read_from_the_policy() {
    // a list without 7095 refuses the insured; with 7095 added, the same line is granted
    let c = checker();
    assert_eq!(
        one(&c, WV, line(UNINSURED, "1033", "2021-03-01", "L1")),
        rejected("ZK-WV-NOT-INSURED")
    );
    let rules = load_edited(
        "district-nursing-2021.toml",
        "params = { labels = [\"3311\",",
        "params = { labels = [\"7095\", \"3311\",",
    )
    .unwrap();
    let ctx = Context::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-context"),
    )
    .unwrap();
    let c = Checker::new(rules, ctx);
    assert_eq!(
        one(&c, WV, line(UNINSURED, "1033", "2021-03-01", "L1")),
        granted()
    );
}

#[test]
fn af_is_claimable_only_for_a_patient_in_the_cvrm_or_dm2_chain() {
    let c = checker();
    assert_eq!(
        one(&c, RO, line(IN_CVRM, "20014", "2026-03-01", "A1")),
        granted()
    );
    assert_eq!(
        one(&c, RO, line(IN_DM2, "20014", "2026-03-01", "A2")),
        granted()
    );
    assert_eq!(
        one(&c, RO, line(PLAIN, "20014", "2026-03-01", "A3")),
        rejected("ZK-OI-AF-NOT-IN-CHAIN")
    );
}

#[test]
fn a_gp_consultation_of_a_chain_patient_is_part_of_the_chain_whatever_the_case_of_the_chain_name() {
    // the O&I policy writes `dm2`, chains.csv writes `DM2`
    let c = checker();
    assert_eq!(
        one(&c, RO, line(IN_DM2, "20101", "2026-03-01", "C1")),
        rejected("ZK-OI-CHAIN-GP-CONSULT")
    );
    assert_eq!(
        one(&c, RO, line(PLAIN, "20101", "2026-03-01", "C2")),
        granted()
    );
}

#[test]
fn teledermatologie_lapses_from_2026() {
    let c = checker();
    assert_eq!(
        one(&c, GP, line(PLAIN, "13199", "2025-12-31", "T1")),
        granted()
    );
    assert_eq!(
        one(&c, GP, line(PLAIN, "13199", "2026-01-01", "T2")),
        rejected("ZK-OI-TELEDERMATOLOGIE-LAPSED")
    );
}

#[test]
fn bijzondere_gebieden_a_reads_the_address_on_the_service_date() {
    let c = checker();
    // lived in Amsterdam until 30 June 2022, in Marken since 1 July
    assert_eq!(
        one(&c, GP, line(MOVER, "13112", "2022-03-01", "P1")),
        rejected("ZK-BBG-A-POSTCODE")
    );
    assert_eq!(
        one(&c, GP, line(MOVER, "13112", "2022-08-01", "P2")),
        granted()
    );
}

#[test]
fn bijzondere_gebieden_need_the_gp_agreement_as_well() {
    // the bijzondere-gebieden contract alone is not enough: a basiszorg contract is required
    let c = checker();
    let other_gp = 1_000_002;
    let rules = c.rules.clone();
    let mut ctx = Context::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-context"),
    )
    .unwrap();
    let mut contracts = ctx.contracts.clone();
    let mut bbg = contracts
        .iter()
        .find(|k| k.module == "bijzondere-gebieden-a")
        .unwrap()
        .clone();
    bbg.provider = other_gp;
    contracts.push(bbg);
    ctx = Context::new(contracts, ctx.enrolments.clone(), ctx.insured.clone());
    let c = Checker::new(rules, ctx);
    assert_eq!(
        one(&c, other_gp, line(MOVER, "13112", "2022-08-01", "P3")),
        rejected("ZK-GP-NO-CONTRACT")
    );
    assert_eq!(
        one(&c, GP, line(MOVER, "13112", "2022-08-01", "P4")),
        granted()
    );
    // without any contract: no contract and no GP agreement, one reason
    assert_eq!(
        one(&c, 1_000_003, line(MOVER, "13112", "2022-08-01", "P5")),
        rejected("ZK-GP-NO-CONTRACT")
    );
}

/// Document 004, bijlage 6: "Wij vragen u ervoor te zorgen dat alle declaraties wijkverpleging
/// over 2021 uiterlijk 31 maart 2022 bij Zilveren Kruis zijn ingediend." A file dated (invoice
/// date) 31 March 2022 is in time, one dated 1 April 2022 is late: its 2021 lines are rejected.
/// Without a submission date (CSV, Parquet) the rule does not judge.
#[test]
fn district_nursing_of_2021_submitted_after_31_march_2022_is_not_paid() {
    let c = checker();
    let reasons = |submitted: Option<&str>| {
        let o = c.eval_submitted(
            WV,
            &line(PLAIN, "1033", "2021-11-15", "S1"),
            submitted.map(d),
        );
        let names: Vec<String> = o
            .reasons()
            .iter()
            .map(|r| c.reasons[r.reason as usize].code.clone())
            .collect();
        (o.decision, names)
    };
    let late = "ZK-WV-SUBMITTED-LATE".to_string();
    let (_, on_time) = reasons(Some("2022-03-31"));
    assert!(!on_time.contains(&late), "{on_time:?}");
    let (decision, after) = reasons(Some("2022-04-01"));
    assert_eq!(decision, Decision::Rejected);
    assert!(after.contains(&late), "{after:?}");
    let (_, undated) = reasons(None);
    assert!(!undated.contains(&late), "{undated:?}");
}

/// Document 003: the diagnostics policy has its own rules for "insured on the date of service"
/// and "no duplicate line" (resting on its control chapter), with the built-in reason codes.
#[test]
fn a_laboratory_line_of_2020_meets_the_diagnostics_policys_own_insured_and_duplicate_rules() {
    let c = checker();
    let own = |kind: &str| {
        c.rules.rules.iter().any(|r| {
            r.policy == "diagnostics-2020" && zorginkoop_claims::rules::kind_name(&r.kind) == kind
        })
    };
    assert!(own("insured-on-date"));
    assert!(own("duplicate"));
    let policy = c
        .scopes
        .policy_of(&Code::parse("30001").unwrap(), d("2020-05-01"))
        .map(|i| c.rules.policies[i].id.clone());
    assert_eq!(policy.as_deref(), Some("diagnostics-2020"));
    let lab = 50_000_001;
    let got = check(
        &c,
        &[
            (lab, line(UNINSURED, "30001", "2020-05-01", "D1")),
            (lab, line(PLAIN, "30001", "2020-05-01", "D2")),
            (lab, line(PLAIN, "30001", "2020-05-01", "D2")),
        ],
    );
    assert!(got[0].1.contains(&"ZK-NOT-INSURED".to_string()), "{got:?}");
    assert!(!got[1].1.contains(&"ZK-DUPLICATE".to_string()), "{got:?}");
    assert!(got[2].1.contains(&"ZK-DUPLICATE".to_string()), "{got:?}");
}
