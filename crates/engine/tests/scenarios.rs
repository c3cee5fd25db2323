//! Runs every scenario of `policies/scenarios/<policy id>.toml` against its policy, **one test
//! per case**, named `<policy id> :: <case name>` (calculator cases `<policy id> :: calc ::
//! <name>`), so that one case runs by name:
//!
//! ```sh
//! cargo test -p zorginkoop-engine --test scenarios -- "gp-2022-2023 :: Normpraktijk"
//! ```
//!
//! The expectations in those files were worked out by hand from the policy text.

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use zorginkoop_engine::scenario::{self, ScenarioFile};
use zorginkoop_policy::{Policy, PolicySet};

fn policies_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies")).to_path_buf()
}

fn load() -> Result<PolicySet, String> {
    PolicySet::load_dir(&policies_dir()).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// One trial that fails with the runner's report of what differed.
fn trial(name: String, policy: Policy, file: ScenarioFile) -> Trial {
    Trial::test(name, move || {
        let failures = scenario::run(&policy, &file);
        if failures.is_empty() {
            Ok(())
        } else {
            Err(Failed::from(failures.join("\n")))
        }
    })
}

fn trials() -> Vec<Trial> {
    let set = match load() {
        Ok(set) => set,
        Err(e) => {
            return vec![Trial::test("policies load", move || {
                Err(Failed::from(format!("policies do not load:\n{e}")))
            })];
        }
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(policies_dir().join("scenarios"))
        .expect("policies/scenarios exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut trials = Vec::new();
    for path in paths {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let shown = path.display().to_string();
        let Some(policy) = set.get(&id).cloned() else {
            trials.push(Trial::test(format!("{id} :: policy exists"), move || {
                Err(Failed::from(format!("{shown}: no policy with id `{id}`")))
            }));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let file: ScenarioFile = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                trials.push(Trial::test(format!("{id} :: file parses"), move || {
                    Err(Failed::from(format!("{shown}: {e}")))
                }));
                continue;
            }
        };
        for case in &file.cases {
            let one = ScenarioFile {
                cases: vec![case.clone()],
                calcs: vec![],
            };
            trials.push(trial(format!("{id} :: {}", case.name), policy.clone(), one));
        }
        for calc in &file.calcs {
            let one = ScenarioFile {
                cases: vec![],
                calcs: vec![calc.clone()],
            };
            trials.push(trial(
                format!("{id} :: calc :: {}", calc.name),
                policy.clone(),
                one,
            ));
        }
    }
    trials.push(Trial::test(
        "every calculator a policy names exists with those fields",
        || {
            let set = load().map_err(Failed::from)?;
            let errors: Vec<String> = set
                .policies
                .iter()
                .flat_map(zorginkoop_engine::calc::check_references)
                .map(|e| e.to_string())
                .collect();
            if errors.is_empty() {
                Ok(())
            } else {
                Err(Failed::from(errors.join("\n")))
            }
        },
    ));
    trials
}

fn main() {
    let args = Arguments::from_args();
    let trials = trials();
    // a scenario folder that yields no cases is a broken test setup, not a pass
    assert!(trials.len() > 10, "no scenarios found");
    libtest_mimic::run(&args, trials).exit();
}
