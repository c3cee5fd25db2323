//! Runs every scenario file in `policies/scenarios/` against its policy. The expectations in
//! those files were worked out by hand from the policy text.

use std::path::Path;
use zorginkoop_engine::scenario::{self, ScenarioFile};
use zorginkoop_policy::PolicySet;

#[test]
fn every_scenario_gives_the_outcome_the_policy_text_implies() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies"));
    let set = PolicySet::load_dir(root).unwrap_or_else(|errors| {
        panic!(
            "policies do not load:\n{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut entries: Vec<_> = std::fs::read_dir(root.join("scenarios"))
        .expect("policies/scenarios exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    entries.sort();
    for path in entries {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let Some(policy) = set.get(&id) else {
            failures.push(format!("{}: no policy with id `{id}`", path.display()));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let file: ScenarioFile = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        cases += file.cases.len() + file.calcs.len();
        for f in scenario::run(policy, &file) {
            failures.push(format!("{}: {f}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenario failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases > 0, "no scenarios found");
}

#[test]
fn every_calculator_a_policy_names_exists_with_those_fields() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies"));
    let set = PolicySet::load_dir(root).expect("policies load");
    let errors: Vec<String> = set
        .policies
        .iter()
        .flat_map(zorginkoop_engine::calc::check_references)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
