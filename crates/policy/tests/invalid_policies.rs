//! Every file in `tests/invalid/` is a policy with one mistake. Each must be refused on load
//! with an error that names the file, the item and the problem, as its header says:
//!
//! ```toml
//! # error-item: module `extra`, application
//! # error-problem: opens after closes
//! ```

use std::path::{Path, PathBuf};
use zorginkoop_policy::Policy;

fn header(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("# {key}:")))
        .unwrap_or_else(|| panic!("missing `# {key}:` line"))
        .trim()
        .to_string()
}

fn files() -> Vec<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/invalid"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/invalid exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_invalid_policy_is_refused_naming_file_item_and_problem() {
    let files = files();
    assert!(files.len() >= 10, "the folder holds the invalid policies");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let (item, problem) = (header(&text, "error-item"), header(&text, "error-problem"));
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match Policy::load(path) {
            Ok(_) => failures.push(format!("{name}: loaded, but should be refused: {problem}")),
            Err(e) => {
                let msg = e.to_string();
                let ok = msg.contains(&name) && msg.contains(&item) && msg.contains(&problem);
                if !ok {
                    failures.push(format!(
                        "{name}: expected item `{item}` and problem `{problem}`, got:\n  {msg}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
