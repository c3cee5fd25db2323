//! The order of `[[modules]]` in a policy file changes no outcome: modules that others depend
//! on (`requires`, `contracted` checks) are decided on demand, never "whatever was decided
//! earlier in this run".

use chrono::NaiveDate;
use std::path::Path;
use zorginkoop_engine::scenario::ScenarioFile;
use zorginkoop_engine::{Case, Decision, Input, Outcome, decide};
use zorginkoop_policy::{Policy, PolicySet};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn reversed(p: &Policy) -> Policy {
    let mut file = p.file.clone();
    file.modules.reverse();
    Policy::from_file(file, &p.path, p.sha256.clone()).expect("reversed policy loads")
}

/// Everything but the order of the modules in the answer.
fn by_module(d: &Decision) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = d
        .modules
        .iter()
        .map(|m| (m.module.to_string(), serde_json::to_string(m).unwrap()))
        .collect();
    v.sort();
    v
}

fn same_both_ways(p: &Policy, r: &Policy, case: &Case, date: NaiveDate, what: &str) -> usize {
    let mut all = case.clone();
    all.modules.clear();
    let mut n = 0;
    for c in [case, &all] {
        let a = decide(p, c, date).unwrap_or_else(|e| panic!("{what}: {e}"));
        let b = decide(r, c, date).unwrap_or_else(|e| panic!("{what} (reversed): {e}"));
        assert_eq!(
            by_module(&a),
            by_module(&b),
            "{what}: order of modules matters"
        );
        n += a.modules.len();
    }
    n
}

#[test]
fn reversing_the_modules_of_every_policy_changes_no_decision() {
    let set = PolicySet::load_dir(&root().join("policies")).expect("policies load");
    let mut decided = 0;
    for p in &set.policies {
        let r = reversed(p);
        assert_eq!(
            r.file.modules.first().map(|m| &m.id),
            p.file.modules.last().map(|m| &m.id)
        );
        let path = root().join(format!("policies/scenarios/{}.toml", p.id()));
        if let Ok(text) = std::fs::read_to_string(&path) {
            let file: ScenarioFile = toml::from_str(&text).unwrap();
            for sc in &file.cases {
                let what = format!("{}: {:?}", p.id(), sc.name);
                decided += same_both_ways(p, &r, &sc.case(p.id()), sc.date, &what);
            }
        }
        let mut examples: Vec<_> = std::fs::read_dir(root().join("examples"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|x| x.extension().is_some_and(|e| e == "json"))
            .collect();
        examples.sort();
        for ex in examples {
            let case: Case = serde_json::from_str(&std::fs::read_to_string(&ex).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", ex.display()));
            if case.policy.as_deref() != Some(p.id()) {
                continue;
            }
            let date = case.request_date.expect("examples name their request date");
            decided += same_both_ways(p, &r, &case, date, &ex.display().to_string());
        }
    }
    assert!(decided > 100, "only {decided} module decisions compared");
}

const TWO: &str = r#"
[policy]
id = "order-2022"
title = "Order"
version = "1"
domain = "huisartsenzorg"
insurer = "Zilveren Kruis"
document = "doc.txt"
period_start = "2022-01-01"
period_end = "2022-12-31"
source = { document = "doc.txt", section = "S", quote = "a long enough quote" }

[[modules]]
id = "fee"
name = "Fee"
kind = "module"
contracting_levels = ["practice"]
source = { document = "doc.txt", section = "S", quote = "a long enough quote" }

[[modules.conditions]]
id = "with-base"
text = "Only with the base contract"
check = { contracted = "base" }
source = { document = "doc.txt", section = "S", quote = "a long enough quote" }

[[modules]]
id = "base"
name = "Base"
kind = "base-contract"
contracting_levels = ["practice"]
source = { document = "doc.txt", section = "S", quote = "a long enough quote" }

[[modules.conditions]]
id = "registered"
text = "Registered"
source = { document = "doc.txt", section = "S", quote = "a long enough quote" }

[[facts]]
id = "registered"
label = "Geregistreerd"
type = "yes-no"
"#;

#[test]
fn a_contracted_check_decides_a_module_that_comes_later_in_the_file() {
    let p = Policy::from_bytes(Path::new("order.toml"), TWO.as_bytes()).unwrap();
    let date = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
    let case = |registered: bool, modules: &[&str]| -> Case {
        serde_json::from_value(serde_json::json!({
            "provider": {"name": "P", "kind": "practice"},
            "facts": {"registered": registered},
            "modules": modules,
        }))
        .unwrap()
    };
    // `fee` is decided first and reads `base`, which comes after it in the file
    let d = decide(&p, &case(true, &["fee"]), date).unwrap();
    let fee = d.module("fee").unwrap();
    assert_eq!(fee.outcome, Outcome::Eligible, "{:#?}", fee.steps);
    assert!(fee.steps.iter().any(|s| s.inputs.iter().any(|i| matches!(
        i,
        Input::Contracted { module, how: zorginkoop_engine::ContractedHow::EligibleInRequest }
            if &**module == "base"
    ))));
    let d = decide(&p, &case(false, &["fee", "base"]), date).unwrap();
    assert_eq!(d.module("fee").unwrap().outcome, Outcome::NotEligible);
    assert_eq!(d.module("base").unwrap().outcome, Outcome::NotEligible);
    assert_eq!(d.module("fee").unwrap().failed_rules(), ["with-base"]);
}
