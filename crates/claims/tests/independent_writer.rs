//! Claim files written by an independent writer (`tests/fixtures/writer/vektis_writer.py`, which
//! reads the layout tables itself and shares no code with the parser): a fault in one line
//! rejects that line with its own return code and leaves the rest of the file alone; only a real
//! mismatch between the 99 trailer and the records rejects the file.

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
