//! The policies, texts and example cases built into the binary: exactly the repository's files,
//! loading to the same hashes and receipts as the folder, named `(ingebouwd) <file>`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use zorginkoop_app::decisions::{self, DecideRequest};
use zorginkoop_app::{demo, policies};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files of `dir` ending in `.ext`, by name, with their bytes.
fn folder(dir: &Path, ext: &str) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn the_embedded_files_are_exactly_the_repository_files() {
    let policies: BTreeMap<String, Vec<u8>> = policies::embedded_files()
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    assert_eq!(policies, folder(&repo().join("policies"), "toml"));
    assert_eq!(policies.len(), 5);

    let texts: BTreeMap<String, Vec<u8>> = policies::embedded_texts()
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    assert_eq!(texts, folder(&repo().join("policies/texts"), "txt"));
    assert_eq!(texts.len(), 5, "INDEX.md is not a source text");

    let examples: BTreeMap<String, Vec<u8>> = demo::embedded_examples()
        .iter()
        .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
        .collect();
    assert_eq!(examples, folder(&repo().join("examples"), "json"));
    assert!(examples.len() >= 5);
}

#[test]
fn embedded_policies_hash_and_decide_as_the_files_do() {
    let from_disk = policies::load(&repo().join("policies")).unwrap();
    let embedded = policies::load_embedded().unwrap();
    let hashes = |set: &zorginkoop_app::policy::PolicySet| -> Vec<(String, String)> {
        set.policies
            .iter()
            .map(|p| (p.id().to_string(), p.sha256.clone()))
            .collect()
    };
    assert_eq!(hashes(&embedded), hashes(&from_disk));
    // the hash is that of the file's bytes (a fixed value: a change of a policy file changes it)
    assert_eq!(
        embedded.get("oi-2026-2027").unwrap().sha256,
        "2b612f8f0cf289bc4ebebc4322a4d83989947b9b1461ee07d6d209d4a0ab3faa"
    );

    let v = policies::validate(&embedded);
    assert!(v.is_valid(), "{:?}", v.problems);
    assert_eq!(
        (v.policies, v.documents),
        (5, 5),
        "quotes checked in every text"
    );

    let mut n = 0;
    for (name, case) in demo::read_examples(&demo::Examples::Embedded).unwrap() {
        let req = DecideRequest {
            name: &name.display().to_string(),
            case: &case,
            policy: None,
            date: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let a = decisions::decide_from(&policies::Source::Embedded, &req).unwrap();
        let b = decisions::decide_in(&repo().join("policies"), &req).unwrap();
        assert_eq!(a.receipt, b.receipt, "{}", name.display());
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
        n += 1;
    }
    assert_eq!(n, demo::embedded_examples().len());
}

#[test]
fn messages_name_an_embedded_file_as_built_in() {
    let set = policies::Source::Embedded.load().unwrap();
    let gp = set.get("gp-2022-2023").unwrap();
    assert_eq!(gp.path, Path::new("(ingebouwd) gp-2022-2023.toml"));
    // without its source texts, every quote of the policy is reported against its file
    let problems = gp.validate_quotes(&BTreeMap::new());
    assert!(!problems.is_empty());
    let msg = problems[0].to_string();
    assert!(
        msg.starts_with("(ingebouwd) gp-2022-2023.toml: beleid: brondocument `001_"),
        "{msg}"
    );
    assert_eq!(policies::Source::Embedded.to_string(), "(ingebouwd)");

    let examples = demo::read_examples(&demo::Examples::Embedded).unwrap();
    assert_eq!(
        examples[0].0,
        Path::new("(ingebouwd) lab-both-contracts.json")
    );
}

#[test]
fn an_explicit_folder_wins_and_is_read_from_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let source = policies::source(Some(tmp.path()));
    assert_eq!(source, policies::Source::Dir(tmp.path().to_path_buf()));
    // an empty folder is refused, not silently replaced by the embedded set
    let err = source.load().unwrap_err().to_string();
    assert!(err.contains("geen beleidsbestanden"), "{err}");
}

#[test]
fn the_demo_runs_on_the_embedded_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let set = policies::load_embedded().unwrap();
    let report = demo::run(
        &set,
        &demo::DemoRequest {
            db: tmp.path().join("demo.db"),
            examples: demo::Examples::Embedded,
            date: None,
            decided_at: "2026-11-27T12:00:00Z".into(),
        },
    )
    .unwrap();
    assert!(report.skipped.is_empty());
    let files: Vec<String> = report
        .decisions
        .iter()
        .map(|d| d.file.display().to_string())
        .collect();
    let expected: Vec<String> = demo::embedded_examples()
        .iter()
        .map(|(n, _)| format!("(ingebouwd) {n}"))
        .collect();
    assert_eq!(files, expected);
}
