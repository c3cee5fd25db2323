//! Snapshots of `zorginkoop decide --explain` and `--json` for every case file in `examples/`:
//! a change in a decision, its explanation or its JSON shape shows up as a reviewed diff
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and read the diff in git).
//!
//! Redacted: the policy file's SHA-256 (it changes with every edit of a policy file, which the
//! snapshot itself already shows) and the engine version.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).to_path_buf()
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zorginkoop"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "the examples are there");
    names
}

/// Replaces every policy hash (64 hex digits, or the 12 shown before `…`) and the engine
/// version by a fixed marker.
fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let run = chars[i..].iter().take_while(|c| hex(**c)).count();
        let full = run == 64;
        let shown = run == 12 && chars.get(i + 12) == Some(&'…');
        if boundary && (full || shown) {
            out.push_str("[sha256]");
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out.replace(
        &format!("engine {}", env!("CARGO_PKG_VERSION")),
        "engine [versie]",
    )
    .replace(
        &format!("\"engine_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"engine_version\": \"[versie]\"",
    )
}

#[test]
fn decide_explain_for_every_example() {
    for name in examples() {
        let path = format!("examples/{name}");
        let text = redact(&run(&["decide", "--case", &path, "--explain"]));
        insta::assert_snapshot!(format!("explain-{}", name.trim_end_matches(".json")), text);
    }
}

#[test]
fn decide_json_for_every_example() {
    for name in examples() {
        let path = format!("examples/{name}");
        let text = redact(&run(&["decide", "--case", &path, "--json"]));
        insta::assert_snapshot!(format!("json-{}", name.trim_end_matches(".json")), text);
    }
}

#[test]
fn the_redaction_hides_hashes_and_nothing_else() {
    let sha = "3f5a9c0e1b2d4f6a8c0e1b2d4f6a8c0e1b2d4f6a8c0e1b2d4f6a8c0e1b2d4f6a";
    assert_eq!(
        redact(&format!("sha256 {}… 2022-01-01 13100", &sha[..12])),
        "sha256 [sha256]… 2022-01-01 13100"
    );
    assert_eq!(redact(&format!("\"{sha}\"")), "\"[sha256]\"");
    // plain numbers (AGB codes, amounts) and document names are not hashes
    assert_eq!(redact("01012345678901234"), "01012345678901234");
    assert_eq!(
        redact("001_336eaf566bd5c9f1.txt"),
        "001_336eaf566bd5c9f1.txt"
    );
}
