//! `claims generate` dates each line within the contract period of the policy its prestatie code
//! belongs to, so a run over generated files meets every policy's own claim rules (not only the
//! built-in generic ones).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::context::Context;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::run::{ResultBatch, ResultSink, RunError, RunOptions, run_with_sinks};

/// Keeps, per line, the policies applied (receipt) and the reasons found.
#[derive(Default)]
struct Reasons(Vec<(String, Vec<String>)>);

impl ResultSink for Reasons {
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError> {
        for r in batch.results() {
            let reasons = r.reason_codes.iter().map(|s| s.to_string()).collect();
            self.0.push((r.policy_receipt.to_string(), reasons));
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), RunError> {
        Ok(())
    }
}

#[test]
fn every_policys_own_rules_fire_on_generated_files() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let set = zorginkoop_policy::PolicySet::load_dir(&policies).unwrap();
    let rules = RuleSet::from_policies(&set).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gen_dir = dir.path().join("gen");
    zorginkoop_claims::generate::generate(&rules, 20_000, 3, &gen_dir).unwrap();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(gen_dir.join("claims"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    let policy_ids: Vec<String> = rules.policies.iter().map(|p| p.id.clone()).collect();
    let own: Vec<(String, BTreeSet<String>)> = policy_ids
        .iter()
        .map(|id| {
            let codes = rules
                .rules
                .iter()
                .filter(|r| &r.policy == id)
                .map(|r| r.reason_code.clone())
                .collect();
            (id.clone(), codes)
        })
        .collect();
    let checker = Checker::new(rules, Context::load_dir(&gen_dir.join("context")).unwrap());
    let opts = RunOptions {
        inputs,
        out_dir: dir.path().join("out"),
        history: None,
        wait: false,
        date: chrono::NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(),
        progress: false,
        parquet: false,
    };
    let mut sink = Reasons::default();
    run_with_sinks(&checker, &opts, &mut [&mut sink]).unwrap();
    assert!(sink.0.len() >= 20_000);
    assert!(own.len() >= 5, "{policy_ids:?}");
    for (id, codes) in &own {
        assert!(!codes.is_empty(), "{id} has no claim rules");
        let prefix = format!("{id}@");
        let governed: Vec<&(String, Vec<String>)> = sink
            .0
            .iter()
            .filter(|(receipt, _)| receipt.split(';').any(|e| e.starts_with(&prefix)))
            .collect();
        assert!(!governed.is_empty(), "no generated line falls under {id}");
        let fired: BTreeSet<&String> = governed
            .iter()
            .flat_map(|(_, reasons)| reasons.iter())
            .filter(|r| codes.contains(*r))
            .collect();
        assert!(
            !fired.is_empty(),
            "{id}: none of its rules' reasons ({codes:?}) on its {} lines",
            governed.len()
        );
    }
}
