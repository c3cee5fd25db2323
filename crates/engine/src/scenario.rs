//! Scenario files: cases worked out by hand from the policy text, next to the policy
//! (`policies/scenarios/<policy id>.toml`), with the outcome the text implies. The runner
//! compares the engine's answer with the expectation and reports every difference.

use crate::calc::{self, CalcContext};
use crate::{Case, Outcome, ProviderInfo, decide};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;
use zorginkoop_policy::Policy;

/// A scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default, rename = "case")]
    pub cases: Vec<ScenarioCase>,
    #[serde(default, rename = "calc")]
    pub calcs: Vec<CalcScenario>,
}

/// A decision scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCase {
    pub name: String,
    #[serde(default)]
    pub quote: Option<String>,
    pub date: NaiveDate,
    #[serde(default)]
    pub request_date: Option<NaiveDate>,
    pub provider: ProviderInfo,
    #[serde(default)]
    pub contracted: Vec<String>,
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub modules: Vec<String>,
    /// Parameter overrides (example values only), as in a case.
    #[serde(default)]
    pub parameters: BTreeMap<String, serde_json::Value>,
    /// The engine change this case waits for (e.g. decide reading a new policy field). Such a
    /// case is expected to differ from its expectation today; once it matches, the runner
    /// reports it so that `awaits` is removed and the case guards the behaviour from then on.
    #[serde(default)]
    pub awaits: Option<String>,
    pub expect: BTreeMap<String, Expectation>,
}

impl ScenarioCase {
    /// The case to decide: the scenario's modules, or else the modules it has expectations for.
    pub fn case(&self, policy_id: &str) -> Case {
        Case {
            policy: Some(policy_id.to_string()),
            provider: self.provider.clone(),
            request_date: self.request_date,
            facts: self.facts.clone(),
            contracted: self.contracted.clone(),
            modules: if self.modules.is_empty() {
                self.expect.keys().cloned().collect()
            } else {
                self.modules.clone()
            },
            parameters: self.parameters.clone(),
        }
    }
}

/// What the text implies for one module.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub outcome: Outcome,
    #[serde(default)]
    pub earliest_start: Option<NaiveDate>,
    /// Rule ids that must have failed or gone to review.
    #[serde(default)]
    pub failed: Vec<String>,
    /// Facts that must have been asked for.
    #[serde(default)]
    pub missing: Vec<String>,
}

/// A calculator scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalcScenario {
    pub name: String,
    pub calculator: String,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    pub input: serde_json::Value,
    #[serde(default)]
    pub expect: BTreeMap<String, serde_json::Value>,
    /// Output fields that must be null or absent (TOML has no null).
    #[serde(default)]
    pub absent: Vec<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// Runs every scenario of a file against a policy; returns one line per failed expectation.
pub fn run(policy: &Policy, file: &ScenarioFile) -> Vec<String> {
    let mut failures = Vec::new();
    for sc in &file.cases {
        let before = failures.len();
        run_case(policy, sc, &mut failures);
        if let Some(what) = &sc.awaits {
            if failures.len() == before {
                failures.push(format!(
                    "case {:?} now gives the expected outcome: remove `awaits = {what:?}`",
                    sc.name
                ));
            } else {
                failures.truncate(before);
            }
        }
    }
    for sc in &file.calcs {
        let ctx = CalcContext::new(policy, sc.date.unwrap_or(policy.file.policy.period_start));
        match (calc::run(&sc.calculator, &ctx, sc.input.clone()), &sc.error) {
            (Err(e), Some(want)) if e.to_string().contains(want.as_str()) => {}
            (Err(e), _) => failures.push(format!("calc {:?}: error {e}", sc.name)),
            (Ok(out), Some(want)) => failures.push(format!(
                "calc {:?}: expected error containing {want:?}, got {out}",
                sc.name
            )),
            (Ok(out), None) => {
                for field in &sc.absent {
                    if out.get(field).is_some_and(|v| !v.is_null()) {
                        failures.push(format!(
                            "calc {:?}: expected `{field}` to be absent, got {}",
                            sc.name, out[field]
                        ));
                    }
                }
                for (field, want) in &sc.expect {
                    let got = out.get(field);
                    if !json_equal(got, want) {
                        failures.push(format!(
                            "calc {:?}: field `{field}`: expected {want}, got {}",
                            sc.name,
                            got.map_or("nothing".to_string(), |g| g.to_string())
                        ));
                    }
                }
            }
        }
    }
    failures
}

/// Equality with numbers compared as exact decimals (`"24"` equals `24.00`).
fn json_equal(got: Option<&serde_json::Value>, want: &serde_json::Value) -> bool {
    let Some(got) = got else { return false };
    let dec = |v: &serde_json::Value| match v {
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        serde_json::Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    };
    match (got, want) {
        (serde_json::Value::Array(a), serde_json::Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_equal(Some(x), y))
        }
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            b.iter().all(|(k, y)| json_equal(a.get(k), y))
        }
        _ => match (dec(got), dec(want)) {
            (Some(x), Some(y)) => x == y,
            _ => got == want,
        },
    }
}

/// Checks one decision scenario; pushes one line per failed expectation.
fn run_case(policy: &Policy, sc: &ScenarioCase, failures: &mut Vec<String>) {
    let case = sc.case(policy.id());
    if let Err(problems) = crate::facts::check_facts(policy, &case) {
        for p in problems {
            failures.push(format!("case {:?}: refused: {p}", sc.name));
        }
        return;
    }
    let decision = match decide(policy, &case, sc.date) {
        Ok(d) => d,
        Err(e) => {
            failures.push(format!("case {:?}: {e}", sc.name));
            return;
        }
    };
    for (module, exp) in &sc.expect {
        let Some(got) = decision.module(module) else {
            failures.push(format!("case {:?}: module `{module}` not decided", sc.name));
            continue;
        };
        let why = || {
            got.steps
                .iter()
                .map(|s| {
                    format!(
                        "    {:?} {} {}",
                        s.outcome,
                        s.rule(),
                        s.note.clone().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        if got.outcome != exp.outcome {
            failures.push(format!(
                "case {:?}, module `{module}`: expected {:?}, got {:?}\n{}",
                sc.name,
                exp.outcome,
                got.outcome,
                why()
            ));
        }
        if exp.earliest_start.is_some() && got.earliest_start != exp.earliest_start {
            failures.push(format!(
                "case {:?}, module `{module}`: expected earliest start {:?}, got {:?}",
                sc.name, exp.earliest_start, got.earliest_start
            ));
        }
        let failed = got.failed_rules();
        for f in &exp.failed {
            if !failed.iter().any(|x| x == f) {
                failures.push(format!(
                    "case {:?}, module `{module}`: expected rule `{f}` to fail; failed: {failed:?}",
                    sc.name
                ));
            }
        }
        for f in &exp.missing {
            if !got.missing_facts.contains(f) {
                failures.push(format!(
                    "case {:?}, module `{module}`: expected missing fact `{f}`; missing: {:?}",
                    sc.name, got.missing_facts
                ));
            }
        }
    }
}
