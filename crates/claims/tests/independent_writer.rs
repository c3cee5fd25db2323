//! Claim files written by an independent writer (`tests/fixtures/writer/vektis_writer.py`, which
//! reads the layout tables itself and shares no code with the parser): a fault in one line
//! rejects that line with its own return code and leaves the rest of the file alone; only a real
//! mismatch between the 99 trailer and the records rejects the file. A fault in a 02 insured
//! record (a required field empty or not a code) rejects the lines under it, not the file.

use std::path::{Path, PathBuf};
use std::process::Command;
use zorginkoop_claims::vektis::{ClaimFile, Detail, FileError, parse_claim_file};

/// Runs the Python writer for `case` and returns the file's bytes. Fails (never skips) when
/// python3 is missing.
fn write_case(case: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join(format!("{case}.ha304"));
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("python3")
        .arg(crate_dir.join("tests/fixtures/writer/vektis_writer.py"))
        .arg(crate_dir.join("layouts"))
        .arg(case)
        .arg(&out)
        .status()
        .unwrap_or_else(|e| {
            panic!("python3 is needed for this test (the independent Vektis writer): {e}")
        });
    assert!(status.success(), "vektis_writer.py {case} failed: {status}");
    std::fs::read(&out).unwrap()
}

/// (file line, Ok or return code) of every 04 record.
fn line_outcomes(f: &ClaimFile) -> Vec<(usize, Result<i64, u16>)> {
    f.details
        .iter()
        .filter_map(|d| match &d.detail {
            Detail::Line(r) => Some((
                d.line,
                r.as_ref()
                    .as_ref()
                    .map(|l| l.amount)
                    .map_err(|e| e.return_code),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn valid_file_reads_every_line() {
    let f = parse_claim_file(&write_case("valid")).expect("valid file");
    assert_eq!(
        line_outcomes(&f),
        vec![(3, Ok(1000)), (4, Ok(2000)), (5, Ok(3000))]
    );
    assert_eq!(f.total, 6000);
}

#[test]
fn one_byte_short_line_is_rejected_alone() {
    let f = parse_claim_file(&write_case("short-line")).expect("file must not be rejected");
    assert_eq!(
        line_outcomes(&f),
        vec![(3, Ok(1000)), (4, Err(804)), (5, Ok(3000))]
    );
}

#[test]
fn bad_debit_credit_line_is_rejected_alone() {
    let f = parse_claim_file(&write_case("bad-dc")).expect("file must not be rejected");
    assert_eq!(
        line_outcomes(&f),
        vec![(3, Ok(1000)), (4, Ok(2000)), (5, Err(631))]
    );
}

fn file_error(case: &str) -> FileError {
    match parse_claim_file(&write_case(case)) {
        Ok(_) => panic!("{case}: file should be rejected"),
        Err(e) => e,
    }
}

#[test]
fn real_trailer_mismatch_rejects_the_file() {
    let e = file_error("bad-total");
    assert_eq!((e.line, e.field.as_str()), (6, "9907"), "{e:?}");
    assert!(
        e.message.contains("7000") && e.message.contains("6000"),
        "{e:?}"
    );
    let e = file_error("bad-count");
    assert_eq!((e.line, e.field.as_str()), (6, "9904"), "{e:?}");
}

#[test]
fn an_empty_required_field_rejects_the_file_or_the_line() {
    // VALUTACODE (0119) in the header: the whole file
    let e = file_error("no-currency");
    assert_eq!((e.line, e.field.as_str()), (1, "0119"), "{e:?}");
    // DOORSTUREN TOEGESTAAN (0407) 0 while the UZOVI is filled: that line, Vektis code 8179
    let f = parse_claim_file(&write_case("no-forward")).expect("file must not be rejected");
    assert_eq!(
        line_outcomes(&f),
        vec![(3, Err(8179)), (4, Ok(2000)), (5, Ok(3000))]
    );
}

/// Runs the independent checker of required fields over `file`: the `line element` of each
/// required field left empty.
fn empty_required_fields(file: &Path) -> String {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(crate_dir.join("tests/fixtures/writer/vektis_writer.py"))
        .arg(crate_dir.join("layouts"))
        .arg("check")
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed for this test: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn generated_files_fill_every_required_field() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let set = zorginkoop_policy::PolicySet::load_dir(&policies).unwrap();
    let rules = zorginkoop_claims::rules::RuleSet::from_policies(&set).unwrap();
    let dir = tempfile::tempdir().unwrap();
    zorginkoop_claims::generate::generate(&rules, 2_000, 9, dir.path()).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(dir.path().join("claims")).unwrap() {
        let path = e.unwrap().path();
        let ext = path.extension().unwrap().to_string_lossy().into_owned();
        if seen.insert(ext.clone()) {
            assert_eq!(empty_required_fields(&path), "", "{}", path.display());
        }
    }
    assert!(seen.contains("aw319") && seen.contains("ha304"), "{seen:?}");
    // and the checker of required fields finds what it should
    let bad = dir.path().join("bad.ha304");
    std::fs::write(&bad, write_case("no-currency")).unwrap();
    assert_eq!(empty_required_fields(&bad), "1 0119\n");
}

/// (file line, return code, element) of every 02 record that has a fault.
fn insured_faults(f: &ClaimFile) -> Vec<(usize, u16, String)> {
    f.details
        .iter()
        .filter_map(|d| match &d.detail {
            Detail::Insured(Err(e)) => Some((d.line, e.return_code, e.element.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn an_insured_without_initials_or_deceased_code_loses_only_its_own_lines() {
    // VOORLETTERS (0215) empty: COD954 0310; INDICATIE CLIENT OVERLEDEN (0223) 0 or 9: 8030
    for (case, code, element) in [
        ("no-initials", 310, "0215"),
        ("deceased-0", 8030, "0223"),
        ("deceased-9", 8030, "0223"),
    ] {
        let f = parse_claim_file(&write_case(case))
            .unwrap_or_else(|e| panic!("{case}: file must not be rejected: {e}"));
        assert_eq!(
            insured_faults(&f),
            vec![(2, code, element.to_string())],
            "{case}"
        );
        // the first insured's three lines carry the code, the second insured's line goes on
        assert_eq!(
            line_outcomes(&f),
            vec![
                (3, Err(code)),
                (4, Err(code)),
                (5, Err(code)),
                (7, Ok(4000))
            ],
            "{case}"
        );
        // the trailer counts every line, the rejected ones included
        assert_eq!(f.total, 10_000, "{case}");
    }
    // the fault names line, element and code, in Dutch
    let f = parse_claim_file(&write_case("deceased-9")).unwrap();
    let Detail::Insured(Err(e)) = &f.details[0].detail else {
        panic!("02 record accepted")
    };
    assert_eq!(
        e.to_string(),
        "regel 2, veld 0223: INDICATIE CLIENT OVERLEDEN is `9`, geen geldige code \
         (verplicht veld: 1 of 2) (retourcode 8030)"
    );
    // 1 is a code of COD841 as well as 2
    let f = parse_claim_file(&write_case("deceased-1")).expect("valid file");
    assert_eq!(insured_faults(&f), vec![]);
    assert_eq!(
        line_outcomes(&f),
        vec![(3, Ok(1000)), (4, Ok(2000)), (5, Ok(3000)), (7, Ok(4000))]
    );
}

/// A whole run over the independent writer's files: the lines of the insured with a fault are
/// rejected with its code in `results.csv` and the return message, the other insured's line is
/// granted, and the return message's totals count both.
#[test]
fn a_run_rejects_the_lines_of_an_invalid_insured_and_keeps_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = dir.path().join("context");
    std::fs::create_dir(&ctx).unwrap();
    // the writer's provider 01000013 has a contract for 13001 (module smr) in 2022; both BSNs
    // are insured with label 3311
    std::fs::write(
        ctx.join("contracts.csv"),
        "provider_agb,module,prestatie_codes,start,end,tariff_cents,ceiling_cents,contract_type\n\
         1000013,smr,13001,2022-01-01,2022-12-31,5000,,regular\n",
    )
    .unwrap();
    std::fs::write(
        ctx.join("insured.csv"),
        "bsn,uzovi,birth_date,postcode,from,to\n\
         111222333,3311,1970-01-01,1234AB,2000-01-01,\n\
         123456782,3311,1970-01-01,1234AB,2000-01-01,\n",
    )
    .unwrap();
    std::fs::write(ctx.join("chains.csv"), "bsn,chain,from,to\n").unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let set = zorginkoop_policy::PolicySet::load_dir(&fixtures.join("policies")).unwrap();
    let rules = zorginkoop_claims::rules::RuleSet::from_policies(&set).unwrap();
    let checker = zorginkoop_claims::checker::Checker::new(
        rules,
        zorginkoop_claims::context::Context::load_dir(&ctx).unwrap(),
    );
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // one run per file: the second insured's line would be a duplicate in a shared run
    for (case, code, ha305_code) in [("no-initials", "0310", 310), ("deceased-9", "8030", 30)] {
        let input = dir.path().join(format!("{case}.ha304"));
        std::fs::write(&input, write_case(case)).unwrap();
        let out = dir.path().join(format!("out-{case}"));
        let s = zorginkoop_claims::run::run(
            &checker,
            &zorginkoop_claims::run::RunOptions {
                inputs: vec![input],
                out_dir: out.clone(),
                history: None,
                wait: false,
                date: d("2023-01-15"),
                progress: false,
                parquet: false,
            },
        )
        .unwrap();
        assert_eq!(
            (s.total.lines, s.files[0].status.as_str()),
            (4, "accepted"),
            "{case}"
        );
        let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
        // (line, granted, decision, return codes) of each row
        let rows: Vec<(String, String, String, String)> = results
            .lines()
            .skip(1)
            .map(|r| {
                let c: Vec<&str> = r.split(',').collect();
                let f = |i: usize| c[i].to_string();
                (f(1), f(8), f(9), f(10))
            })
            .collect();
        let rej = |line: &str| {
            (
                line.to_string(),
                "0".to_string(),
                "rejected".to_string(),
                code.to_string(),
            )
        };
        assert_eq!(
            rows,
            vec![
                rej("3"),
                rej("4"),
                rej("5"),
                ("7".into(), "4000".into(), "granted".into(), "".into())
            ],
            "{case}"
        );
        let ret = std::fs::read(out.join(format!("returns/{case}.ha304.HA305"))).unwrap();
        let parsed = zorginkoop_claims::vektis::parse_return_file(&ret).unwrap();
        assert_eq!(parsed.header_codes, Vec::<u16>::new(), "{case}");
        assert_eq!(
            (parsed.total_claimed, parsed.total_granted),
            (10_000, 4000),
            "{case}"
        );
        let codes: Vec<(i64, Vec<u16>)> = parsed
            .lines
            .iter()
            .map(|l| (l.granted, l.codes.clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (0, vec![ha305_code]),
                (0, vec![ha305_code]),
                (0, vec![ha305_code]),
                (4000, vec![])
            ],
            "{case}"
        );
    }
}
