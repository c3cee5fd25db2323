//! The binary as `cargo install` leaves it: copied into an empty folder (no `policies/`, no
//! `examples/`, no `$ZORGINKOOP_POLICIES`) and started there, it works on the policies and
//! examples built into it, with the same receipts as from the repository folder.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).to_path_buf()
}

/// Runs `exe args` in `cwd`; the output, asserting success.
fn run(exe: &Path, cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(exe)
        .args(args)
        .current_dir(cwd)
        .env_remove("ZORGINKOOP_POLICIES")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{args:?} in {}: {}{}",
        cwd.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The binary, copied into a new empty folder.
fn installed() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("zorginkoop");
    std::fs::copy(env!("CARGO_BIN_EXE_zorginkoop"), &exe).unwrap();
    (dir, exe)
}

fn example_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "the examples are there");
    names
}

#[test]
fn policy_commands_work_in_an_empty_folder() {
    let (dir, exe) = installed();
    let out = run(&exe, dir.path(), &["policy", "validate"]);
    assert!(out.contains("5 beleidsbestanden (ingebouwd),"), "{out}");
    assert!(
        out.contains("bronteksten: 5 documenten, elk citaat gevonden"),
        "{out}"
    );

    let there = run(&exe, &repo(), &["policy", "validate"]);
    assert!(there.contains("5 beleidsbestanden in policies,"), "{there}");

    let out = run(&exe, dir.path(), &["policy", "list"]);
    assert!(out.contains("gp-2022-2023"), "{out}");
    // the same ids, versions and SHA-256 as the repository's files
    let here = run(&exe, dir.path(), &["policy", "list", "--json"]);
    let there = run(&exe, &repo(), &["policy", "list", "--json"]);
    assert_eq!(here, there);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&here).unwrap()[0]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );

    let out = run(&exe, dir.path(), &["policy", "show", "oi-2026-2027"]);
    assert!(out.contains("oi-2026-2027"), "{out}");
    // nothing was written next to the binary
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn decide_gives_the_same_receipts_as_from_the_repository() {
    let (dir, exe) = installed();
    for name in example_names() {
        std::fs::copy(repo().join("examples").join(&name), dir.path().join(&name)).unwrap();
        let here = run(&exe, dir.path(), &["decide", "--case", &name, "--json"]);
        let case = format!("examples/{name}");
        let there = run(&exe, &repo(), &["decide", "--case", &case, "--json"]);
        let (here, there): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&here).unwrap(),
            serde_json::from_str(&there).unwrap(),
        );
        assert_eq!(here["receipt"]["policy_sha256"].as_str().unwrap().len(), 64);
        assert_eq!(here["receipt"], there["receipt"], "{name}");
        assert_eq!(here, there, "{name}: the whole decision");
    }
    // `calc` reads the embedded policy's parameters too
    std::fs::write(
        dir.path().join("in.json"),
        r#"{"registered_patients": 2350}"#,
    )
    .unwrap();
    let args = ["calc", "poh-ggz-hours", "--input", "in.json", "--json"];
    let here = run(&exe, dir.path(), &args);
    let there = run(
        &exe,
        &repo(),
        &[
            &args[..3],
            &[dir.path().join("in.json").to_str().unwrap(), "--json"],
        ]
        .concat(),
    );
    assert_eq!(here, there);
    assert!(here.contains("policy_sha256"), "{here}");
}

#[test]
fn the_demo_runs_on_the_embedded_examples() {
    let (dir, exe) = installed();
    let out = run(&exe, dir.path(), &["demo", "--no-serve", "--db", "x.db"]);
    assert!(dir.path().join("x.db").is_file());
    assert!(out.contains("Beleidsdocumenten (ingebouwd):"), "{out}");
    assert!(out.contains("Voorbeeldaanvragen (ingebouwd):"), "{out}");
    let names = example_names();
    for name in &names {
        assert!(out.contains(&format!("── (ingebouwd) {name} ──")), "{out}");
    }
    assert!(
        out.contains(&format!("{} aanvragen beslist", names.len())),
        "{out}"
    );
    assert!(!out.contains("overgeslagen"), "{out}");

    // the same policies (version and hash) behind every decision as in the repository folder
    let db = dir.path().join("repo.db");
    let there = run(
        &exe,
        &repo(),
        &["demo", "--no-serve", "--db", db.to_str().unwrap()],
    );
    let receipts = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.starts_with("Beleid ") && l.contains("sha256"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(receipts(&out).len(), names.len());
    assert_eq!(receipts(&out), receipts(&there));
}
