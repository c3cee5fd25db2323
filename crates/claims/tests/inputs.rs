//! Every input line exactly once and identifiable, whatever the file is called; bounded input.
//! The kind of a file comes from its content; `results.csv` names each input as given, keeps
//! leading zeros, numbers CSV rows from 1 after the header; money sums cannot overflow; a
//! one-line file of 200 MB is read with flat memory.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::Command;
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::context::Context;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::run::{RunOptions, Summary, run};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn checker() -> Checker {
    let set = zorginkoop_policy::PolicySet::load_dir(&fixtures().join("policies")).unwrap();
    let rules = RuleSet::from_policies(&set).unwrap();
    Checker::new(
        rules,
        Context::load_dir(&fixtures().join("context")).unwrap(),
    )
}

/// Runs the checker over `inputs`; returns the summary and the rows of `results.csv`.
fn check(inputs: &[PathBuf], out: &Path) -> (Summary, Vec<csv::StringRecord>) {
    let opts = RunOptions {
        inputs: inputs.to_vec(),
        out_dir: out.to_path_buf(),
        history: None,
        wait: false,
        date: NaiveDate::from_ymd_opt(2023, 1, 15).unwrap(),
        progress: false,
        parquet: false,
    };
    let s = run(&checker(), &opts).unwrap();
    let rows = csv::Reader::from_path(out.join("results.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    (s, rows)
}

/// A valid HA304 file of three lines, written by the independent Python writer.
fn vektis_bytes(dir: &Path) -> Vec<u8> {
    let out = dir.join("writer-out");
    let status = Command::new("python3")
        .arg(fixtures().join("writer/vektis_writer.py"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts"))
        .arg("valid")
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("python3 is needed for this test (Vektis writer): {e}"));
    assert!(status.success());
    std::fs::read(out).unwrap()
}

const HEADER: &str = "provider_agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference\n";

fn col(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).unwrap()
}

#[test]
fn the_content_decides_the_format_and_every_file_has_rows() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let vektis = vektis_bytes(p);
    let csv_body =
        format!("{HEADER}01000013,012345672,3311,13001,2022-03-01,2022-03-01,1,1000,1000,R1\n");
    let inputs = vec![
        p.join("vektis.csv"),    // a Vektis file named .csv
        p.join("batch.ha304"),   // a CSV named .ha304
        p.join("batch.parquet"), // a CSV named .parquet
        p.join("nocrlf.ha304"),  // a Vektis file without any CR LF
        p.join("garbage.ha304"), // neither: one line of text
    ];
    std::fs::write(&inputs[0], &vektis).unwrap();
    std::fs::write(&inputs[1], &csv_body).unwrap();
    std::fs::write(&inputs[2], &csv_body).unwrap();
    let flat: Vec<u8> = vektis
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    std::fs::write(&inputs[3], flat).unwrap();
    std::fs::write(&inputs[4], b"hello").unwrap();
    let (s, rows) = check(&inputs, &p.join("out"));
    let kinds: Vec<&str> = s.files.iter().map(|f| f.standard.as_str()).collect();
    assert_eq!(kinds, ["HA304", "CSV", "CSV", "HA304", "CSV"]);
    assert_eq!(s.files[0].status, "accepted");
    assert_eq!(s.files[3].status, "rejected");
    // rows per input: 3 Vektis lines, 1 CSV row twice, 3 lines of the file without CR LF, and
    // one row for the text file rejected as a whole
    let per_file: Vec<usize> = inputs
        .iter()
        .map(|i| {
            rows.iter()
                .filter(|r| col(r, 0) == i.to_str().unwrap())
                .count()
        })
        .collect();
    assert_eq!(per_file, [3, 1, 1, 3, 1]);
    for r in rows.iter().filter(|r| col(r, 0).ends_with("nocrlf.ha304")) {
        assert_eq!(col(r, 10), "0001", "{r:?}");
    }
    let garbage: Vec<_> = rows
        .iter()
        .filter(|r| col(r, 0).ends_with("garbage.ha304"))
        .collect();
    assert_eq!((col(garbage[0], 1), col(garbage[0], 10)), ("0", "0001"));
    // leading zeros kept, the first CSV row is row 1
    let csv_row = rows
        .iter()
        .find(|r| col(r, 0).ends_with("batch.ha304"))
        .unwrap();
    assert_eq!(
        (col(csv_row, 1), col(csv_row, 3), col(csv_row, 4)),
        ("1", "01000013", "012345672")
    );
    let json = std::fs::read_to_string(p.join("out/summary.json")).unwrap();
    assert!(json.contains("\"01000013\""), "{json}");
}

#[test]
fn two_inputs_of_the_same_name_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let body =
        format!("{HEADER}01000013,012345672,3311,13001,2022-03-01,2022-03-01,1,1000,1000,R1\n");
    for d in ["a", "b"] {
        std::fs::create_dir(p.join(d)).unwrap();
        std::fs::write(p.join(d).join("batch.csv"), &body).unwrap();
    }
    let a = p.join("a/batch.csv");
    let inputs = vec![a.clone(), p.join("b/batch.csv"), a.clone()];
    let (_, rows) = check(&inputs, &p.join("out"));
    let files: Vec<&str> = rows.iter().map(|r| col(r, 0)).collect();
    assert_eq!(files.len(), 3);
    assert_ne!(files[0], files[1]);
    assert_eq!(files[0], a.to_str().unwrap());
}

#[test]
fn amounts_beyond_eleven_digits_are_row_faults_and_totals_do_not_wrap() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.csv");
    let row = "01000013,012345672,3311,13001,2022-03-01,2022-03-01,1,1000,9223372036854775807,R";
    std::fs::write(&f, format!("{HEADER}{row}1\n{row}2\n")).unwrap();
    let (s, rows) = check(&[f], &dir.path().join("out"));
    assert_eq!(rows.len(), 2);
    for r in &rows {
        assert_eq!((col(r, 9), col(r, 10)), ("rejected", "0611"), "{r:?}");
    }
    assert_eq!(s.total.claimed_cents, 2 * i128::from(i64::MAX));
    assert!(s.total.claimed_cents > 0);
}

#[test]
fn semicolon_csv_is_read_and_a_directory_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("excel.csv");
    let body = format!(
        "{}01000013;012345672;3311;13001;2022-03-01;2022-03-01;1;1000;1000;R1\n",
        HEADER.replace(',', ";")
    );
    std::fs::write(&f, body).unwrap();
    let sub = dir.path().join("map");
    std::fs::create_dir(&sub).unwrap();
    let (s, rows) = check(&[f, sub], &dir.path().join("out"));
    assert_eq!(s.files[0].status, "accepted", "{:?}", s.files[0]);
    assert_eq!(rows.len(), 1);
    assert_eq!(col(&rows[0], 3), "01000013");
    assert_ne!(col(&rows[0], 10), "0001");
    assert_eq!(s.files[1].status, "rejected");
    assert!(
        s.files[1].error.as_deref().unwrap().starts_with(
            "kan niet lezen: is een map, geen bestand: geef de bestanden erin op (bijv. map/*)"
        ),
        "{:?}",
        s.files[1]
    );
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Run in a child process by `a_200_mb_one_line_file_keeps_memory_flat`.
#[test]
#[ignore = "helper, run in a child process by a_200_mb_one_line_file_keeps_memory_flat"]
fn child_check_one_file() {
    let input = PathBuf::from(std::env::var("ZK_CHILD_INPUT").expect("ZK_CHILD_INPUT"));
    let out = input.with_extension("out");
    let (s, rows) = check(&[input], &out);
    assert_eq!(s.files[0].status, "rejected");
    let err = s.files[0].error.clone().unwrap();
    assert!(err.len() < 200, "{err}");
    assert_eq!(rows.len(), 1);
    println!("VMHWM_KIB={}", peak_kib());
}

#[test]
fn a_200_mb_one_line_file_keeps_memory_flat() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("one-line.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..200 {
        f.write_all(&chunk).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_check_one_file",
            "--ignored",
            "--nocapture",
        ])
        .env("ZK_CHILD_INPUT", &input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kib: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("VMHWM_KIB="))
        .expect("child reports its peak memory")
        .trim()
        .parse()
        .unwrap();
    // the file is 204,800 KiB; reading it whole would need at least that
    assert!(kib < 60 * 1024, "peak RSS {kib} KiB for a 200 MB file");
}
