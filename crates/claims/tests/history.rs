//! A run is all or nothing, and runs on one claims history are serialised (issue 15, point 1):
//! a failed run leaves the outputs and history of the run before it; the history is where the
//! caller says; a repeated run gives the same result; two runs at once grant a line once.
//! (The SIGKILL test is `crates/cli/tests/kill.rs`.)

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::context::Context;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::run::{ResultBatch, ResultSink, RunError, RunOptions, run, run_with_sinks};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn checker() -> Checker {
    let set = zorginkoop_policy::PolicySet::load_dir(&fixtures().join("policies")).unwrap();
    let rules = RuleSet::from_policies(&set).unwrap();
    let ctx = Context::load_dir(&fixtures().join("context")).unwrap();
    Checker::new(rules, ctx)
}

const HEADER: &str = "provider_agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference\n";

/// A CSV batch of BBG-A lines (13002, contracted at 1000 for provider 1000001) of insured
/// 111222333 (Marken, where BBG-A is paid), one per reference; no once-per-period rule.
fn batch(path: &Path, refs: &[u32]) {
    let mut s = HEADER.to_string();
    for r in refs {
        s.push_str(&format!(
            "1000001,111222333,3311,13002,2022-01-{:02},2022-01-{:02},1,1000,1000,R{r}\n",
            r, r
        ));
    }
    std::fs::write(path, s).unwrap();
}

fn opts(inputs: Vec<PathBuf>, out: &Path, history: Option<&Path>) -> RunOptions {
    RunOptions {
        inputs,
        out_dir: out.to_path_buf(),
        history: history.map(Path::to_path_buf),
        wait: false,
        date: NaiveDate::from_ymd_opt(2023, 1, 15).unwrap(),
        progress: false,
        parquet: false,
    }
}

/// `results.csv` as (reference line, decision, reasons), from the row's `line` and codes.
fn decisions(out: &Path) -> Vec<(String, String, String)> {
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    csv.lines()
        .skip(1)
        .map(|r| {
            let f: Vec<&str> = r.split(',').collect();
            (
                format!("{}:{}", f[0], f[1]),
                f[9].to_string(),
                f[11].to_string(),
            )
        })
        .collect()
}

fn granted_lines(out: &Path) -> usize {
    decisions(out)
        .iter()
        .filter(|(_, d, _)| d == "granted")
        .count()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_history_is_where_the_caller_says_and_a_later_run_finds_duplicates_in_it() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let (q1, q2) = (dir.path().join("q1.csv"), dir.path().join("q2.csv"));
    batch(&q1, &[1, 2, 3]);
    batch(&q2, &[3, 4]); // R3 again
    let h = dir.path().join("h/claims-history.bin");
    std::fs::create_dir_all(h.parent().unwrap()).unwrap();
    let s1 = run(
        &c,
        &opts(vec![q1.clone()], &dir.path().join("o1"), Some(&h)),
    )
    .unwrap();
    assert_eq!(granted_lines(&dir.path().join("o1")), 3);
    let r1 = s1.history.unwrap();
    assert_eq!((r1.keys_before, r1.keys_added, r1.repeat), (0, 3, false));
    // the history and its lock, nothing else; nothing next to the inputs
    assert_eq!(
        names(h.parent().unwrap()),
        ["claims-history.bin", "claims-history.bin.lock"]
    );
    let s2 = run(
        &c,
        &opts(vec![q2.clone()], &dir.path().join("o2"), Some(&h)),
    )
    .unwrap();
    assert_eq!(
        decisions(&dir.path().join("o2")),
        [
            // the file as given, and its rows counted from 1 after the header
            (
                format!("{}:1", q2.display()),
                "rejected".into(),
                "ZK-DUPLICATE".into()
            ),
            (format!("{}:2", q2.display()), "granted".into(), "".into()),
        ]
    );
    assert_eq!(s2.history.unwrap().keys_before, 3);
    // without a history the same file is judged on its own
    run(&c, &opts(vec![q2], &dir.path().join("o3"), None)).unwrap();
    assert_eq!(granted_lines(&dir.path().join("o3")), 2);
}

#[test]
fn the_same_run_repeated_gives_the_same_result() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let (q1, q2) = (dir.path().join("q1.csv"), dir.path().join("q2.csv"));
    batch(&q1, &[1, 2]);
    batch(&q2, &[2, 3]);
    let h = dir.path().join("history.bin");
    let out = dir.path().join("out");
    run(
        &c,
        &opts(vec![q1.clone()], &dir.path().join("o1"), Some(&h)),
    )
    .unwrap();
    run(&c, &opts(vec![q2.clone()], &out, Some(&h))).unwrap();
    let first = std::fs::read(out.join("results.csv")).unwrap();
    let history = std::fs::read(&h).unwrap();
    let again = run(&c, &opts(vec![q2.clone()], &out, Some(&h))).unwrap();
    assert!(again.history.unwrap().repeat);
    assert_eq!(std::fs::read(out.join("results.csv")).unwrap(), first);
    assert_eq!(decisions(&out)[0].2, "ZK-DUPLICATE"); // R2 of q1, not of itself
    assert_eq!(decisions(&out)[1].1, "granted");
    // the history has the same counts and keys (base R1 R2, last R3; only the run id, the
    // staging folder and so the checksum differ)
    let h2 = std::fs::read(&h).unwrap();
    assert_eq!(h2.len(), history.len());
    let keys = |b: &[u8]| b[b.len() - 8 - 7 * 8..b.len() - 8].to_vec();
    assert_eq!(keys(&h2), keys(&history));
    assert_ne!(h2, history);
    // q1 again is another run: both its lines are duplicates now
    run(&c, &opts(vec![q1], &dir.path().join("o4"), Some(&h))).unwrap();
    assert_eq!(granted_lines(&dir.path().join("o4")), 0);
}

/// A sink that fails on its second batch.
struct FailSecond(usize);
impl ResultSink for FailSecond {
    fn write(&mut self, _: &ResultBatch<'_>) -> Result<(), RunError> {
        self.0 += 1;
        if self.0 == 2 {
            return Err(RunError::Io {
                path: "sink".into(),
                source: std::io::Error::other("disk full"),
            });
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), RunError> {
        Ok(())
    }
}

#[test]
fn a_failed_run_leaves_the_outputs_and_history_of_the_run_before() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let (q1, q2, q3) = (
        dir.path().join("q1.csv"),
        dir.path().join("q2.csv"),
        dir.path().join("q3.csv"),
    );
    batch(&q1, &[1, 2]);
    batch(&q2, &[3]);
    batch(&q3, &[4]);
    let h = dir.path().join("history.bin");
    let out = dir.path().join("out");
    run(&c, &opts(vec![q1.clone()], &out, Some(&h))).unwrap();
    let results = std::fs::read(out.join("results.csv")).unwrap();
    let history = std::fs::read(&h).unwrap();
    let before = names(dir.path());
    let e = run_with_sinks(
        &c,
        &opts(vec![q2.clone(), q3.clone()], &out, Some(&h)),
        &mut [&mut FailSecond(0)],
    )
    .unwrap_err();
    assert!(e.to_string().contains("disk full"), "{e}");
    assert_eq!(std::fs::read(out.join("results.csv")).unwrap(), results);
    assert_eq!(std::fs::read(&h).unwrap(), history);
    assert_eq!(names(dir.path()), before, "no staging folder left");
    // the lines of the failed run were not remembered
    run(&c, &opts(vec![q2, q3], &out, Some(&h))).unwrap();
    assert_eq!(granted_lines(&out), 2);
}

#[test]
fn a_folder_that_is_not_an_output_folder_is_not_replaced() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let q1 = dir.path().join("q1.csv");
    batch(&q1, &[1]);
    let out = dir.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mijn aantekeningen").unwrap();
    let e = run(&c, &opts(vec![q1.clone()], &out, None))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("notes.txt") && e.contains("lege of nieuwe map"),
        "{e}"
    );
    assert_eq!(names(&out), ["notes.txt"]);
    let e = run(&c, &opts(vec![q1.clone()], Path::new("."), None))
        .unwrap_err()
        .to_string();
    assert!(e.contains("uitvoermap met een naam"), "{e}");
    // a history inside the output folder would be replaced with it
    let e = run(&c, &opts(vec![q1.clone()], &out, Some(&out.join("h.bin"))))
        .unwrap_err()
        .to_string();
    assert!(e.contains("zet de geschiedenis ernaast"), "{e}");
    assert_eq!(names(&out), ["notes.txt"]);
}

#[test]
fn a_second_run_on_a_busy_history_refuses_or_waits() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let q1 = dir.path().join("q1.csv");
    batch(&q1, &[1]);
    let h = dir.path().join("history.bin");
    // another run holds the history
    let lock = std::fs::File::create(dir.path().join("history.bin.lock")).unwrap();
    lock.lock().unwrap();
    let e = run(
        &c,
        &opts(vec![q1.clone()], &dir.path().join("o1"), Some(&h)),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("in gebruik door een andere run") && e.contains("--wait"),
        "{e}"
    );
    assert!(!dir.path().join("o1").exists() && !h.exists());
    // with wait, it runs once the other one is done
    let t = std::time::Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(300));
            lock.unlock().unwrap();
        });
        let mut o = opts(vec![q1.clone()], &dir.path().join("o1"), Some(&h));
        o.wait = true;
        run(&c, &o).unwrap();
    });
    assert!(t.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(granted_lines(&dir.path().join("o1")), 1);
}

/// The case: Q1 and Q2 checked at the same time on one history, then both resubmitted
/// at the same time: every line is granted once in all, as in a sequential run.
#[test]
fn two_runs_at_once_on_one_history_grant_each_line_once() {
    let c = checker();
    let dir = tempfile::tempdir().unwrap();
    let (q1, q2) = (dir.path().join("q1.csv"), dir.path().join("q2.csv"));
    batch(&q1, &(1..=20).collect::<Vec<_>>());
    batch(&q2, &(11..=28).collect::<Vec<_>>()); // 11..=20 in both
    let h = dir.path().join("history.bin");
    let both = |tag: &str| {
        std::thread::scope(|s| {
            let a = s.spawn(|| {
                let mut o = opts(
                    vec![q1.clone()],
                    &dir.path().join(format!("{tag}1")),
                    Some(&h),
                );
                o.wait = true;
                run(&c, &o).unwrap()
            });
            let b = s.spawn(|| {
                let mut o = opts(
                    vec![q2.clone()],
                    &dir.path().join(format!("{tag}2")),
                    Some(&h),
                );
                o.wait = true;
                run(&c, &o).unwrap()
            });
            (a.join().unwrap(), b.join().unwrap())
        })
    };
    both("first");
    let granted =
        granted_lines(&dir.path().join("first1")) + granted_lines(&dir.path().join("first2"));
    assert_eq!(granted, 28, "each of the 28 distinct lines granted once");
    both("again");
    let granted =
        granted_lines(&dir.path().join("again1")) + granted_lines(&dir.path().join("again2"));
    assert_eq!(granted, 0, "resubmitted lines are all duplicates");
}

mod sequences {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Any sequence of batches (references 1-12, repeats within and across batches) run
        /// one after the other on one history grants each reference exactly once in all; a
        /// batch run again right after itself (same file, same output folder) is a repeat and
        /// gives the same `results.csv`.
        #[test]
        fn a_sequence_of_runs_grants_each_line_once(
            batches in proptest::collection::vec(
                (proptest::collection::vec(1u32..=12, 1..8), any::<bool>()),
                1..5,
            )
        ) {
            let c = checker();
            let dir = tempfile::tempdir().unwrap();
            let h = dir.path().join("history.bin");
            let mut granted = 0;
            let mut distinct = std::collections::BTreeSet::new();
            for (i, (refs, again)) in batches.iter().enumerate() {
                let f = dir.path().join(format!("b{i}.csv"));
                batch(&f, refs);
                let out = dir.path().join(format!("o{i}"));
                run(&c, &opts(vec![f.clone()], &out, Some(&h))).unwrap();
                let first = std::fs::read(out.join("results.csv")).unwrap();
                if *again {
                    let s = run(&c, &opts(vec![f], &out, Some(&h))).unwrap();
                    prop_assert!(s.history.unwrap().repeat);
                    prop_assert_eq!(std::fs::read(out.join("results.csv")).unwrap(), first);
                }
                granted += granted_lines(&out);
                distinct.extend(refs.iter().copied());
            }
            prop_assert_eq!(granted, distinct.len());
        }
    }
}
