//! Every claim rule on hand-worked cases, with the fixture policy and context in
//! `tests/fixtures/` (expected outcomes worked out by hand from the fixture files).

mod common;

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_claims::checker::{Checker, Outcome, State};
use zorginkoop_claims::context::Context;
use zorginkoop_claims::ident::Code;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::vektis::{ClaimWriter, Decision, Insured, Line};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn checker() -> Checker {
    let set = zorginkoop_policy::PolicySet::load_dir(&fixtures().join("policies"))
        .expect("fixture policy loads");
    let rules = RuleSet::from_policies(&set).unwrap();
    let ctx = Context::load_dir(&fixtures().join("context")).unwrap();
    Checker::new(rules, ctx)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const A: u32 = 111_222_333; // 3311, born 1950, Marken (1156), DM2 from 2022-06-01
const B: u32 = 123_456_782; // 3313, born 2010, postcode 1234
const C: u32 = 100_000_010; // UZOVI 7095: not one of the labels

fn line(bsn: u32, code: &str, date: &str, tariff: i64, count: u16, reference: &str) -> Line {
    Line {
        id: 1,
        bsn,
        uzovi: 3311,
        insured_number: vec![],
        start: d(date),
        end: d(date),
        code_list: 3,
        code: Code::parse(code).unwrap(),
        count,
        performer: 0,
        tariff,
        amount: tariff * count as i64,
        reference: reference.as_bytes().to_vec(),
        previous_reference: vec![],
    }
}

/// Evaluates lines in order, like a run does; returns (decision, granted, reason codes).
fn check(c: &Checker, lines: &[(u32, Line)]) -> Vec<(Decision, i64, Vec<String>)> {
    let mut st = State::default();
    lines
        .iter()
        .map(|(provider, l)| {
            let mut o: Outcome = c.eval(*provider, l);
            c.eval_stateful(&mut st, *provider, l, &mut o);
            let names = o
                .reasons()
                .iter()
                .map(|r| c.reasons[r.reason as usize].code.clone())
                .collect();
            (o.decision, o.granted, names)
        })
        .collect()
}

fn one(c: &Checker, provider: u32, l: Line) -> (Decision, i64, Vec<String>) {
    check(c, &[(provider, l)]).remove(0)
}

const GP: u32 = 1_000_001;
const RO: u32 = 53_000_001;
const WV: u32 = 75_000_001;
const LAB: u32 = 50_000_001;

#[test]
fn generic_rules_are_built_in_with_a_citation() {
    let c = checker();
    let ids: Vec<&str> = c.rules.rules.iter().map(|r| r.id.as_str()).collect();
    for generic in ["insured-on-date", "max-tariff", "duplicate"] {
        assert!(ids.contains(&generic), "{ids:?}");
    }
    // the fixture's requires-contract replaces the built-in one for the lines of its policy
    // (the built-in stays for lines no policy governs)
    let d22 = d("2022-05-01");
    let in_policy = c.scopes.rules_for(&Code::parse("13002").unwrap(), d22);
    let ids_of = |v: &[u16]| -> Vec<String> {
        v.iter()
            .map(|&i| {
                format!(
                    "{}/{}",
                    c.rules.rules[i as usize].policy, c.rules.rules[i as usize].id
                )
            })
            .collect()
    };
    assert_eq!(
        ids_of(&in_policy.contract),
        ["test-claims/contract", "built-in/requires-contract"]
    );
    let outside = c
        .scopes
        .rules_for(&Code::parse("13002").unwrap(), d("2024-05-01"));
    assert_eq!(ids_of(&outside.contract), ["built-in/requires-contract"]);
    assert!(outside.line.is_empty());
    let dup = c.rules.rules.iter().find(|r| r.id == "duplicate").unwrap();
    assert_eq!(dup.source.document, "000_5d0b5048e118886b.txt");
    assert_eq!(dup.return_code, 587);
}

#[test]
fn smr_once_per_year_duplicate_and_care_chain() {
    let c = checker();
    let r = check(
        &c,
        &[
            (GP, line(A, "13001", "2022-02-01", 2500, 1, "R1")),
            (GP, line(A, "13001", "2022-02-01", 2500, 1, "R1")), // same line again
            (GP, line(A, "13001", "2022-03-01", 2500, 1, "R2")), // second in 2022
            (GP, line(A, "13001", "2022-07-01", 2500, 1, "R3")), // in DM2 since 1 June
        ],
    );
    assert_eq!(r[0], (Decision::Granted, 2500, vec![]));
    assert_eq!(
        r[1],
        (Decision::Rejected, 0, vec!["ZK-DUPLICATE".to_string()])
    );
    assert_eq!(
        r[2],
        (Decision::Rejected, 0, vec!["ZK-T-SMR-ONCE".to_string()])
    );
    assert_eq!(
        r[3],
        (Decision::Rejected, 0, vec!["ZK-T-SMR-CHAIN".to_string()])
    );
}

#[test]
fn duplicates_are_remembered_across_runs_in_the_state_file() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.bin");
    let l = line(A, "13001", "2022-02-01", 2500, 1, "R1");
    let mut st = State::load(&path).unwrap();
    let mut o = c.eval(GP, &l);
    c.eval_stateful(&mut st, GP, &l, &mut o);
    assert_eq!(o.decision, Decision::Granted);
    st.save(&path).unwrap();
    let mut st = State::load(&path).unwrap();
    let mut o = c.eval(GP, &l);
    c.eval_stateful(&mut st, GP, &l, &mut o);
    assert_eq!(o.decision, Decision::Rejected);
    assert_eq!(o.return_codes()[0].code, 587);
}

#[test]
fn postcode_only_marken_and_broek_in_waterland() {
    let c = checker();
    assert_eq!(
        one(&c, GP, line(A, "13002", "2022-02-01", 1000, 1, "P1")).0,
        Decision::Granted
    );
    let (dec, g, why) = one(&c, GP, line(B, "13002", "2022-02-01", 1000, 1, "P2"));
    assert_eq!(
        (dec, g, why),
        (Decision::Rejected, 0, vec!["ZK-T-BBG".to_string()])
    );
}

#[test]
fn contract_period_no_contract_rate_and_tariff() {
    let c = checker();
    // contract for 13005 ended 2022-03-31
    assert_eq!(
        one(&c, GP, line(A, "13005", "2022-05-01", 1000, 1, "C1")),
        (
            Decision::Rejected,
            0,
            vec!["ZK-OUTSIDE-CONTRACT".to_string()]
        )
    );
    // no contract at all for 13006
    assert_eq!(
        one(&c, GP, line(A, "13006", "2022-05-01", 1000, 1, "C2")),
        (Decision::Rejected, 0, vec!["ZK-NO-CONTRACT".to_string()])
    );
    // 13004 needs no contract: 75 % of 1001 = 750.75, rounded down to 750
    assert_eq!(
        one(&c, GP, line(A, "13004", "2022-05-01", 1001, 1, "C3")),
        (
            Decision::Reduced,
            750,
            vec!["ZK-NO-CONTRACT-RATE".to_string()]
        )
    );
    // tariff 1200 above the contracted 1000: granted at 1000, return code 0611
    let l = line(A, "13002", "2022-05-01", 1200, 1, "C4");
    let mut o = c.eval(GP, &l);
    c.eval_stateful(&mut State::default(), GP, &l, &mut o);
    assert_eq!((o.decision, o.granted), (Decision::Reduced, 1000));
    assert_eq!(o.return_codes()[0].code, 611);
}

#[test]
fn valrisico_once_per_quarter_by_the_regio_organisatie() {
    let c = checker();
    let r = check(
        &c,
        &[
            (RO, line(A, "13003", "2022-01-10", 3000, 1, "V1")),
            (RO, line(A, "13003", "2022-02-10", 3000, 1, "V2")), // same quarter
            (RO, line(A, "13003", "2022-04-10", 3000, 1, "V3")), // next quarter
            (GP, line(B, "13003", "2022-04-10", 3000, 1, "V4")), // a practice (AGB 01...)
        ],
    );
    assert_eq!(r[0].0, Decision::Granted);
    assert_eq!(
        r[1],
        (Decision::Rejected, 0, vec!["ZK-T-VAL-ONCE".to_string()])
    );
    assert_eq!(r[2].0, Decision::Granted);
    assert_eq!(
        r[3],
        (Decision::Rejected, 0, vec!["ZK-T-VAL-CLAIMANT".to_string()])
    );
}

#[test]
fn district_nursing_age_and_agreement() {
    let c = checker();
    // B is 12 on the service date
    assert_eq!(
        one(&c, WV, line(B, "1035", "2022-03-01", 7500, 1, "W1")).2,
        vec!["ZK-T-WV-AGE".to_string()]
    );
    assert_eq!(
        one(&c, WV, line(A, "1035", "2022-03-01", 7500, 2, "W2")),
        (Decision::Granted, 15000, vec![])
    );
    // the module-wide contract does not list 1062; 1038 is agreed explicitly
    assert_eq!(
        one(&c, WV, line(A, "1062", "2022-03-01", 7500, 1, "W3")).2,
        vec!["ZK-T-WV-AGREED".to_string()]
    );
    assert_eq!(
        one(&c, WV, line(A, "1038", "2022-03-01", 7500, 1, "W4")).0,
        Decision::Granted
    );
}

#[test]
fn not_insured_with_the_labels() {
    let c = checker();
    let (dec, _, why) = one(&c, GP, line(C, "13001", "2022-02-01", 2500, 1, "N1"));
    assert_eq!(dec, Decision::Rejected);
    assert_eq!(why, vec!["ZK-NOT-INSURED".to_string()]);
    // not in the register at all
    assert_eq!(
        one(
            &c,
            GP,
            line(123_456_794, "13001", "2022-02-01", 2500, 1, "N2")
        )
        .0,
        Decision::Rejected
    );
}

fn write_file(path: &Path, provider: u32, groups: &[(u32, Vec<Line>)]) {
    let h = common::ha304_header_2022(provider);
    let mut w = ClaimWriter::new(std::fs::File::create(path).unwrap(), &h).unwrap();
    let mut id = 0;
    for (bsn, lines) in groups {
        id += 1;
        w.insured(&Insured {
            id,
            bsn: *bsn,
            uzovi: 3311,
            insured_number: vec![],
            birth_date: d("1950-05-05"),
            gender: 1,
            name: b"M\xfcller".to_vec(),
            initials: b"J".to_vec(),
            postcode: b"1156AB".to_vec(),
        })
        .unwrap();
        for l in lines {
            id += 1;
            w.line(&Line { id, ..l.clone() }).unwrap();
        }
    }
    w.finish().unwrap();
}

#[test]
fn a_run_applies_the_revenue_ceiling_in_date_order_and_writes_everything() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let f1 = dir.path().join("lab.ha304");
    // dates out of order in the file: 03-01, 01-01, 02-01; ceiling 2500, 1000 each
    write_file(
        &f1,
        LAB,
        &[(
            A,
            vec![
                line(A, "30001", "2022-03-01", 1000, 1, "L1"),
                line(A, "30001", "2022-01-01", 1000, 1, "L2"),
                line(A, "30001", "2022-02-01", 1000, 1, "L3"),
            ],
        )],
    );
    let bad = dir.path().join("bad.ha304");
    let mut bytes = std::fs::read(&f1).unwrap();
    bytes.truncate(bytes.len() - 100); // truncated: no complete 99 record
    std::fs::write(&bad, bytes).unwrap();
    let out = dir.path().join("out");
    let opts = zorginkoop_claims::run::RunOptions {
        inputs: vec![f1, bad],
        out_dir: out.clone(),
        history: None,
        wait: false,
        date: d("2023-01-15"),
        progress: false,
        parquet: true,
    };
    let s = zorginkoop_claims::run::run(&c, &opts).unwrap();
    // 3 lines in each file, each exactly once in the results
    assert_eq!(s.total.lines, 6);
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(results.lines().count(), 7);
    // the line of 2022-03-01 (line 3 of the file) is beyond the ceiling
    let l3 = results
        .lines()
        .find(|r| r.contains("lab.ha304,3,"))
        .unwrap();
    assert!(l3.contains(",1000,0,rejected,0613,ZK-T-CEILING"), "{l3}");
    assert_eq!(s.files[1].status, "rejected");
    assert!(
        s.files[1].error.as_deref().unwrap().contains("regel 6"),
        "{:?}",
        s.files[1].error
    );
    // the return message parses, totals included, and echoes the name bytes unchanged
    let ret = std::fs::read(out.join("returns/lab.ha304.HA305")).unwrap();
    let parsed = zorginkoop_claims::vektis::parse_return_file(&ret).unwrap();
    assert_eq!((parsed.total_claimed, parsed.total_granted), (3000, 2000));
    assert_eq!(parsed.lines[0].granted, 0);
    assert_eq!(parsed.lines[0].codes, vec![613]);
    assert!(ret.windows(6).any(|w| w == b"M\xfcller"));
    let ret_bad = std::fs::read(out.join("returns/bad.ha304.HA305")).unwrap();
    let parsed = zorginkoop_claims::vektis::parse_return_file(&ret_bad).unwrap();
    assert_eq!(parsed.header_codes, vec![1]);
    assert!(parsed.lines.iter().all(|l| l.granted == 0));
}

/// Many files go through the pipeline in input order (results and report follow the input
/// order, not the order in which the threads finish), and an output that cannot be written
/// stops the run with an error naming it, without hanging the other stages.
#[test]
fn a_run_over_many_files_keeps_input_order_and_stops_cleanly_on_an_output_error() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for i in 0..40 {
        let f = dir.path().join(format!("f{i:02}.ha304"));
        let lines = (0..=(i % 5))
            .map(|k| line(A, "13001", "2022-02-01", 2500, 1, &format!("R{i}-{k}")))
            .collect();
        write_file(&f, GP, &[(A, lines)]);
        inputs.push(f);
    }
    let out = dir.path().join("out");
    let opts = zorginkoop_claims::run::RunOptions {
        inputs: inputs.clone(),
        out_dir: out.clone(),
        history: None,
        wait: false,
        date: d("2023-01-15"),
        progress: false,
        parquet: true,
    };
    let s = zorginkoop_claims::run::run(&c, &opts).unwrap();
    let files: Vec<&str> = s.files.iter().map(|f| f.file.as_str()).collect();
    let expected: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(files, expected);
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let order: Vec<&str> = results
        .lines()
        .skip(1)
        .map(|r| r.split(',').next().unwrap())
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "rows in input order");
    assert_eq!(order.len() as u64, s.total.lines);
    assert_eq!(
        s.total.lines,
        (0..40).map(|i| (i % 5) as u64 + 1).sum::<u64>()
    );

    // an output error stops the run with an error naming it, without hanging the stages,
    // and leaves nothing behind (the run writes into a staging folder)
    struct FailAt(u32);
    impl zorginkoop_claims::run::ResultSink for FailAt {
        fn write(
            &mut self,
            b: &zorginkoop_claims::run::ResultBatch<'_>,
        ) -> Result<(), zorginkoop_claims::run::RunError> {
            match &b.part {
                zorginkoop_claims::run::Part::File(f) if f.index == self.0 => {
                    Err(zorginkoop_claims::run::RunError::Io {
                        path: "returns/f30.ha304.HA305".into(),
                        source: std::io::Error::other("is a directory"),
                    })
                }
                _ => Ok(()),
            }
        }
        fn finish(&mut self) -> Result<(), zorginkoop_claims::run::RunError> {
            Ok(())
        }
    }
    let out2 = dir.path().join("out2");
    let e = zorginkoop_claims::run::run_with_sinks(
        &c,
        &zorginkoop_claims::run::RunOptions {
            out_dir: out2.clone(),
            ..opts
        },
        &mut [&mut FailAt(30)],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("f30.ha304.HA305"), "{e}");
    assert!(!out2.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !left.iter().any(|n| n.contains("zk-staging")),
        "no staging folder left: {left:?}"
    );
}

/// A CSV batch whose header is not the documented one is rejected as a whole: the file report
/// says so (with the header it found), and every row is in the results, rejected with 0001.
#[test]
fn a_csv_batch_with_a_wrong_header_is_rejected_as_a_whole() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("batch.csv");
    std::fs::write(
        &f,
        "agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference\n\
         1000001,111222333,3311,13001,2022-02-01,2022-02-01,1,2500,2500,R1\n\
         1000001,111222333,3311,13001,2022-03-01,2022-03-01,1,2500,2500,R2\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let s = zorginkoop_claims::run::run(
        &c,
        &zorginkoop_claims::run::RunOptions {
            inputs: vec![f],
            out_dir: out.clone(),
            history: None,
            wait: false,
            date: d("2023-01-15"),
            progress: false,
            parquet: true,
        },
    )
    .unwrap();
    let report = &s.files[0];
    assert_eq!(report.status, "rejected");
    let e = report.error.as_deref().unwrap();
    assert!(e.starts_with("regel 1: kopregel is \"agb,bsn,"), "{e}");
    assert!(report.record_faults.is_empty());
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let rows: Vec<&str> = results.lines().skip(1).collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.contains(",rejected,0001,ZK-FILE-REJECTED")),
        "{rows:?}"
    );
}
