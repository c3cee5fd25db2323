//! A `claims check` killed with SIGKILL at a random point, then run again, gives exactly the
//! result of one clean run: the same outputs byte for byte (but for `.zorginkoop-run`, which
//! names the run) and a claims history with the same keys (issue 15, points 1 and 8).
//! Also: two `claims check` processes at once on one history grant each line once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn zk() -> Command {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut c = Command::new(env!("CARGO_BIN_EXE_zorginkoop"));
    c.env("ZORGINKOOP_POLICIES", root.join("policies"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn generate(dir: &Path, lines: u32, seed: u32) -> Vec<PathBuf> {
    let ok = zk()
        .args(["claims", "generate", "--lines", &lines.to_string()])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(ok.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("claims"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn check(files: &[PathBuf], context: &Path, out: &Path, history: &Path) -> Command {
    let mut c = zk();
    c.args([
        "claims",
        "check",
        "--quiet",
        "--date",
        "2023-01-15",
        "--context",
    ])
    .arg(context)
    .arg("--out")
    .arg(out)
    .arg("--history")
    .arg(history)
    .args(files);
    c
}

/// Every file under `dir` (relative name → bytes), but the run marker.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.file_name().unwrap() != ".zorginkoop-run" {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                m.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    m
}

/// The key sections of a history file (`ZKHIST2`: after the header with the run's id and
/// folders, four counts and the keys; the last 8 bytes are a checksum).
fn history_keys(path: &Path) -> Vec<u8> {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[..8], b"ZKHIST2\n");
    let mut at = 16;
    for _ in 0..3 {
        let n = u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
        at += 4 + n;
    }
    b[at..b.len() - 8].to_vec()
}

/// What is left next to the output folder besides the history, its lock and the output lock.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("zk-staging") || n.contains("zk-old") || n.ends_with(".tmp"))
        .collect()
}

/// A small deterministic generator for the kill delays (xorshift).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[cfg(unix)]
#[test]
fn a_check_killed_at_a_random_point_and_run_again_gives_the_result_of_one_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(&dir.path().join("data"), 3000, 7);
    let context = dir.path().join("data/context");
    // one clean run on a fresh history
    let clean = dir.path().join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    let t = Instant::now();
    let st = check(&files, &context, &clean.join("out"), &clean.join("h.bin"))
        .status()
        .unwrap();
    let clean_time = t.elapsed();
    assert!(st.success());
    let expected = tree(&clean.join("out"));
    let expected_keys = history_keys(&clean.join("h.bin"));
    assert!(expected.contains_key("results.csv") && expected.len() > 70);

    let mut rng = Rng(0x5eed_2026);
    let span = (clean_time.as_micros() as u64 * 12 / 10).max(1);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut killed = 0;
    for i in 0..16 {
        if Instant::now() > deadline {
            break;
        }
        let k = dir.path().join(format!("k{i}"));
        std::fs::create_dir_all(&k).unwrap();
        let (out, h) = (k.join("out"), k.join("h.bin"));
        // sometimes the history already has the run's outputs from before: killed twice
        for _ in 0..1 + (i % 3 == 2) as usize {
            let mut child = check(&files, &context, &out, &h).spawn().unwrap();
            std::thread::sleep(Duration::from_micros(rng.below(span)));
            child.kill().unwrap(); // SIGKILL
            let st = child.wait().unwrap();
            killed += (!st.success()) as u32;
        }
        // the rerun
        let st = check(&files, &context, &out, &h).status().unwrap();
        assert!(st.success(), "iteration {i}: rerun failed");
        let got = tree(&out);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "iteration {i}"
        );
        for (name, bytes) in &expected {
            assert!(got[name] == *bytes, "iteration {i}: {name} differs");
        }
        assert_eq!(history_keys(&h), expected_keys, "iteration {i}: history");
        assert_eq!(leftovers(&k), Vec::<String>::new(), "iteration {i}");
    }
    assert!(
        killed >= 4,
        "only {killed} runs were killed before they ended"
    );
}

/// Two processes at once on one history, each with a batch that shares lines with the other
/// (the same generated files split into overlapping halves): each line granted once in all,
/// as when the two ran one after the other, in either order: each waits for the other, and
/// with a revenue ceiling whose contract's lines lie in both batches (the generated
/// thrombosis service's, since laboratories and thrombosis services also have 2018 files)
/// which batch comes first decides which lines fit under it.
#[test]
fn two_checks_at_once_on_one_history_grant_each_line_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(&dir.path().join("data"), 3000, 11);
    let context = dir.path().join("data/context");
    let n = files.len();
    let (a, b) = (&files[..n * 2 / 3], &files[n / 3..]);
    let granted = |out: &Path| -> usize {
        std::fs::read_to_string(out.join("results.csv"))
            .unwrap()
            .lines()
            .filter(|l| l.contains(",granted,") || l.contains(",reduced,"))
            .count()
    };
    // the reference: the two batches one after the other, in both orders
    let seq = dir.path().join("seq");
    let seq_ba = dir.path().join("seq-ba");
    for (dir, order) in [
        (&seq, [(a, "a"), (b, "b")]),
        (&seq_ba, [(b, "b"), (a, "a")]),
    ] {
        std::fs::create_dir_all(dir).unwrap();
        for (part, name) in order {
            assert!(
                check(part, &context, &dir.join(name), &dir.join("h.bin"))
                    .status()
                    .unwrap()
                    .success()
            );
        }
    }
    let sequential = granted(&seq.join("a")) + granted(&seq.join("b"));
    let sequential_ba = granted(&seq_ba.join("a")) + granted(&seq_ba.join("b"));
    // the same two at once, each waiting for the other
    let par = dir.path().join("par");
    std::fs::create_dir_all(&par).unwrap();
    let mut ca = check(a, &context, &par.join("a"), &par.join("h.bin"));
    let mut cb = check(b, &context, &par.join("b"), &par.join("h.bin"));
    let (mut ca, mut cb) = (
        ca.arg("--wait").spawn().unwrap(),
        cb.arg("--wait").spawn().unwrap(),
    );
    assert!(ca.wait().unwrap().success() && cb.wait().unwrap().success());
    let parallel = granted(&par.join("a")) + granted(&par.join("b"));
    assert!(
        parallel == sequential || parallel == sequential_ba,
        "{parallel} granted at once, {sequential} one after the other (a, b), {sequential_ba} (b, a)"
    );
    assert_eq!(
        history_keys(&par.join("h.bin")).len(),
        history_keys(&seq.join("h.bin")).len()
    );
    // the overlap is real: the second batch alone grants more than in the sequence
    let alone = dir.path().join("alone");
    assert!(
        check(b, &context, &alone.join("b"), &alone.join("h.bin"))
            .status()
            .unwrap()
            .success()
    );
    assert!(granted(&alone.join("b")) > granted(&seq.join("b")));
    // without --wait, a check on a busy history is refused with a message
    let lock = std::fs::File::create(par.join("h.bin.lock")).unwrap();
    lock.lock().unwrap();
    let o = check(a, &context, &par.join("c"), &par.join("h.bin"))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("in gebruik door een andere run"), "{err}");
    assert!(!par.join("c").exists());
}
