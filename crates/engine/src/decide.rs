//! `decide`: per module, may this provider contract it, from when, and why (not).
//!
//! The order of evaluation per module, each step recorded in the trace with its source:
//! 1. contractable at all (catalogue items such as RESV are not);
//! 2. contracting level (who may contract it);
//! 3. required modules (e.g. fee modules only with a basiszorg contract);
//! 4. derived facts (calculators, e.g. the POH-GGZ norm hours);
//! 5. exclusion criteria: explicit exceptions that override everything else;
//! 6. questionnaire questions (knock-out, exclusion, information);
//! 7. conditions;
//! 8. the calendar: application window and the earliest start date.
//!
//! The outcome: not eligible if any step failed; otherwise needs information if any fact was
//! missing; otherwise needs individual review if a step asks for it; otherwise eligible.

use crate::calc::{self, CalcContext};
use crate::calendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use zorginkoop_policy::{
    Check, FactValue, Module, OnFail, Op, Operand, Policy, ProviderKind, QuestionKind, Source,
};

/// A provider's request: who it is, what it knows about itself, what it already has.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The policy this case is meant for (optional; the CLI's `--policy` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    pub provider: ProviderInfo,
    /// The day the request is made; defaults to the reference date.
    #[serde(default)]
    pub request_date: Option<NaiveDate>,
    /// Facts and questionnaire answers, by name.
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// Modules the provider already has a contract for.
    #[serde(default)]
    pub contracted: Vec<String>,
    /// Modules to decide on; empty means every module of the policy.
    #[serde(default)]
    pub modules: Vec<String>,
}

/// Who asks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderInfo {
    pub name: String,
    #[serde(default)]
    pub agb: Option<String>,
    pub kind: ProviderKind,
}

/// The answer for one module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Eligible,
    NotEligible,
    NeedsInformation,
    NeedsReview,
}

impl Outcome {
    /// Dutch label for people.
    pub fn dutch(self) -> &'static str {
        match self {
            Outcome::Eligible => "komt in aanmerking",
            Outcome::NotEligible => "komt niet in aanmerking",
            Outcome::NeedsInformation => "informatie nodig",
            Outcome::NeedsReview => "individuele beoordeling",
        }
    }
}

/// What kind of step a trace entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    Contractable,
    ContractingLevel,
    Requires,
    Calculation,
    Exclusion,
    Question,
    Condition,
    Calendar,
}

/// The result of one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    /// The rule holds.
    Passed,
    /// The rule does not hold: not eligible.
    Failed,
    /// A fact is missing.
    Unknown,
    /// The purchaser assesses individually.
    Review,
    /// Recorded for information only.
    Info,
}

/// One step of the trace: the rule, its inputs, its outcome and its source passage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TraceStep {
    /// `<module>/<kind>/<id>`.
    pub rule: String,
    pub kind: StepKind,
    /// The rule as the document states it.
    pub text: String,
    /// The machine check, rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// Facts read (null = missing) and values used.
    #[serde(default)]
    pub inputs: BTreeMap<String, Option<FactValue>>,
    pub outcome: StepOutcome,
    /// Explanation, interpretation or computed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Source,
}

/// The decision for one module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModuleDecision {
    pub module: String,
    pub name: String,
    pub outcome: Outcome,
    /// The earliest start date for a request made on the request date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_start: Option<NaiveDate>,
    /// Facts that must be supplied before a decision can be made.
    #[serde(default)]
    pub missing_facts: Vec<String>,
    pub steps: Vec<TraceStep>,
}

impl ModuleDecision {
    /// Ids of the rules that failed or went to review (the "why not").
    pub fn failed_rules(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| matches!(s.outcome, StepOutcome::Failed | StepOutcome::Review))
            .map(|s| s.rule.rsplit('/').next().unwrap_or(&s.rule))
            .collect()
    }
}

/// Provenance of a result: which policy (exactly) and which engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    pub engine_version: String,
    pub reference_date: NaiveDate,
}

impl Receipt {
    pub fn new(policy: &Policy, date: NaiveDate) -> Receipt {
        Receipt {
            policy_id: policy.id().to_string(),
            policy_version: policy.file.policy.version.clone(),
            policy_sha256: policy.sha256.clone(),
            engine_version: crate::ENGINE_VERSION.to_string(),
            reference_date: date,
        }
    }
}

/// The decision for a case: one entry per module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decision {
    pub receipt: Receipt,
    pub provider: ProviderInfo,
    pub request_date: NaiveDate,
    pub modules: Vec<ModuleDecision>,
}

impl Decision {
    pub fn module(&self, id: &str) -> Option<&ModuleDecision> {
        self.modules.iter().find(|m| m.module == id)
    }
}

/// Why a case cannot be decided at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecideError {
    #[error("policy `{policy}` has no module `{module}`")]
    UnknownModule { policy: String, module: String },
    #[error("fact `{fact}`: {problem}")]
    BadFact { fact: String, problem: String },
    #[error("module `{module}`: requirements form a cycle")]
    Cycle { module: String },
}

/// Decides every requested module of `case` under `policy` on the reference `date`.
pub fn decide(policy: &Policy, case: &Case, date: NaiveDate) -> Result<Decision, DecideError> {
    let mut facts = BTreeMap::new();
    for (name, value) in &case.facts {
        if let Some(v) = FactValue::from_json(value).map_err(|problem| DecideError::BadFact {
            fact: name.clone(),
            problem,
        })? {
            facts.insert(name.clone(), v);
        }
    }
    let wanted: Vec<String> = if case.modules.is_empty() {
        policy.file.modules.iter().map(|m| m.id.clone()).collect()
    } else {
        case.modules.clone()
    };
    for id in &wanted {
        if policy.module(id).is_none() {
            return Err(DecideError::UnknownModule {
                policy: policy.id().to_string(),
                module: id.clone(),
            });
        }
    }
    let mut run = Run {
        policy,
        case,
        date,
        request_date: case.request_date.unwrap_or(date),
        facts,
        done: BTreeMap::new(),
        busy: BTreeSet::new(),
    };
    let mut modules = Vec::new();
    for id in &wanted {
        modules.push(run.module(id)?);
    }
    Ok(Decision {
        receipt: Receipt::new(policy, date),
        provider: case.provider.clone(),
        request_date: run.request_date,
        modules,
    })
}

struct Run<'a> {
    policy: &'a Policy,
    case: &'a Case,
    date: NaiveDate,
    request_date: NaiveDate,
    facts: BTreeMap<String, FactValue>,
    done: BTreeMap<String, ModuleDecision>,
    busy: BTreeSet<String>,
}

/// Three-valued truth: a missing fact gives `None`.
type Truth = Option<bool>;

impl Run<'_> {
    /// The date on which parameters are read: the reference date, but not before the contract
    /// period starts (a request made in the autumn of 2021 is about the 2022 figures).
    fn param_date(&self) -> NaiveDate {
        self.date.max(self.policy.file.policy.period_start)
    }

    fn module(&mut self, id: &str) -> Result<ModuleDecision, DecideError> {
        if let Some(d) = self.done.get(id) {
            return Ok(d.clone());
        }
        if !self.busy.insert(id.to_string()) {
            return Err(DecideError::Cycle {
                module: id.to_string(),
            });
        }
        let m = self
            .policy
            .module(id)
            .ok_or_else(|| DecideError::UnknownModule {
                policy: self.policy.id().to_string(),
                module: id.to_string(),
            })?;
        let decision = self.evaluate(m)?;
        self.busy.remove(id);
        self.done.insert(id.to_string(), decision.clone());
        Ok(decision)
    }

    fn step(
        &self,
        m: &Module,
        kind: StepKind,
        id: &str,
        text: &str,
        outcome: StepOutcome,
        source: &Source,
    ) -> TraceStep {
        let kind_name = match kind {
            StepKind::Contractable => "contractable",
            StepKind::ContractingLevel => "contracting-level",
            StepKind::Requires => "requires",
            StepKind::Calculation => "calculation",
            StepKind::Exclusion => "exclusion",
            StepKind::Question => "question",
            StepKind::Condition => "condition",
            StepKind::Calendar => "calendar",
        };
        TraceStep {
            rule: format!("{}/{kind_name}/{id}", m.id),
            kind,
            text: text.to_string(),
            check: None,
            inputs: BTreeMap::new(),
            outcome,
            note: None,
            source: source.clone(),
        }
    }

    fn evaluate(&mut self, m: &Module) -> Result<ModuleDecision, DecideError> {
        let mut steps = Vec::new();
        let mut missing = BTreeSet::new();

        // 1. contractable
        if !m.contractable {
            let mut s = self.step(
                m,
                StepKind::Contractable,
                "contractable",
                &format!("{} is (nog) niet te contracteren", m.name),
                StepOutcome::Failed,
                &m.source,
            );
            s.note = m.not_contractable_reason.clone();
            steps.push(s);
        }

        // 2. contracting level
        let kind = self.case.provider.kind;
        let allowed = m.contracting_levels.contains(&kind);
        let levels: Vec<&str> = m.contracting_levels.iter().map(|k| k.dutch()).collect();
        let mut s = self.step(
            m,
            StepKind::ContractingLevel,
            "level",
            &format!("Te contracteren door: {}", levels.join(", ")),
            if allowed {
                StepOutcome::Passed
            } else {
                StepOutcome::Failed
            },
            &m.source,
        );
        s.inputs.insert(
            "provider.kind".into(),
            Some(FactValue::Text(kind.as_str().into())),
        );
        steps.push(s);

        // 3. required modules
        for r in &m.requires {
            let (outcome, note) = if self.case.contracted.contains(r) {
                (StepOutcome::Passed, "heeft al een overeenkomst".to_string())
            } else {
                let d = self.module(r)?;
                match d.outcome {
                    Outcome::Eligible => (
                        StepOutcome::Passed,
                        "komt in dezelfde aanvraag in aanmerking".to_string(),
                    ),
                    Outcome::NotEligible => (
                        StepOutcome::Failed,
                        format!("geen overeenkomst en {} komt niet in aanmerking", d.name),
                    ),
                    Outcome::NeedsInformation | Outcome::NeedsReview => (
                        StepOutcome::Unknown,
                        format!("{}: {}", d.name, d.outcome.dutch()),
                    ),
                }
            };
            let name = self.policy.module(r).map_or(r.as_str(), |x| &x.name);
            let mut s = self.step(
                m,
                StepKind::Requires,
                r,
                &format!("Alleen met een overeenkomst {name}"),
                outcome,
                &m.source,
            );
            s.note = Some(note);
            steps.push(s);
        }

        // 4. derived facts
        for der in &m.derive {
            let source = m.tariff.as_ref().map_or(&m.source, |t| &t.source);
            let mut input = serde_json::Map::new();
            let mut s = self.step(
                m,
                StepKind::Calculation,
                &der.fact,
                &format!("{} berekend met {}", der.fact, der.calculator),
                StepOutcome::Info,
                source,
            );
            let mut complete = true;
            for (field, fact) in &der.inputs {
                let v = self.facts.get(fact).cloned();
                if let Some(v) = &v {
                    input.insert(field.clone(), fact_to_json(v));
                } else {
                    complete = false;
                    missing.insert(fact.clone());
                }
                s.inputs.insert(fact.clone(), v);
            }
            if complete {
                let ctx = CalcContext {
                    policy: self.policy,
                    date: self.param_date(),
                };
                match calc::run(&der.calculator, &ctx, serde_json::Value::Object(input)) {
                    Ok(out) => match out.get(&der.output).map(FactValue::from_json) {
                        Some(Ok(Some(v))) => {
                            // calculators write decimals as strings to keep them exact
                            let v = match v {
                                FactValue::Text(t) => {
                                    t.parse().map_or(FactValue::Text(t), FactValue::Number)
                                }
                                other => other,
                            };
                            s.note = Some(format!("{} = {v}", der.fact));
                            self.facts.insert(der.fact.clone(), v);
                        }
                        _ => {
                            s.outcome = StepOutcome::Unknown;
                            s.note = Some(format!("calculator gaf geen `{}`", der.output));
                        }
                    },
                    Err(e) => {
                        s.outcome = StepOutcome::Unknown;
                        s.note = Some(e.to_string());
                    }
                }
            } else {
                s.outcome = StepOutcome::Unknown;
            }
            steps.push(s);
        }

        // 5. exclusions: explicit exceptions that override
        for x in &m.exclusions {
            let (truth, inputs, check) = self.rule_truth(&x.id, x.check.as_ref(), m, &mut missing);
            let outcome = match truth {
                Some(true) if x.escape.is_some() => StepOutcome::Review,
                Some(true) => StepOutcome::Failed,
                Some(false) => StepOutcome::Passed,
                None => StepOutcome::Unknown,
            };
            let mut s = self.step(m, StepKind::Exclusion, &x.id, &x.text, outcome, &x.source);
            s.inputs = inputs;
            s.check = check;
            s.note = match (truth, &x.escape) {
                (Some(true), Some(e)) => Some(format!("uitsluitingsgrond van toepassing; {e}")),
                (Some(true), None) => Some("uitsluitingsgrond van toepassing".into()),
                _ => x.interpretation.clone(),
            };
            steps.push(s);
        }

        // 6. questionnaires
        for qid in &m.questionnaires {
            let Some(q) = self.policy.questionnaire(qid) else {
                continue;
            };
            for question in &q.questions {
                let fact = format!("{}.{}", q.id, question.id);
                let answer = self.facts.get(&fact).cloned();
                let yes = answer.as_ref().and_then(FactValue::as_bool);
                let outcome = match (question.kind, yes) {
                    (QuestionKind::Information, _) => StepOutcome::Info,
                    (_, None) => {
                        missing.insert(fact.clone());
                        StepOutcome::Unknown
                    }
                    (QuestionKind::KnockOut, Some(true)) => StepOutcome::Passed,
                    (QuestionKind::KnockOut, Some(false)) => StepOutcome::Failed,
                    (QuestionKind::Exclusion, Some(false)) => StepOutcome::Passed,
                    (QuestionKind::Exclusion, Some(true)) if question.escape.is_some() => {
                        StepOutcome::Review
                    }
                    (QuestionKind::Exclusion, Some(true)) => StepOutcome::Failed,
                };
                let mut s = self.step(
                    m,
                    StepKind::Question,
                    &fact,
                    &question.text,
                    outcome,
                    &question.source,
                );
                s.check = Some(match question.kind {
                    QuestionKind::KnockOut => format!("{fact} is ja"),
                    QuestionKind::Exclusion => format!("{fact} is nee"),
                    QuestionKind::Information => format!("{fact} (informatie)"),
                });
                if outcome == StepOutcome::Review {
                    s.note = question.escape.clone();
                }
                s.inputs.insert(fact, answer);
                steps.push(s);
            }
        }

        // 7. conditions
        for c in &m.conditions {
            let (truth, inputs, check) = self.rule_truth(&c.id, c.check.as_ref(), m, &mut missing);
            let outcome = match truth {
                Some(true) => StepOutcome::Passed,
                Some(false) if c.on_fail == OnFail::Review => StepOutcome::Review,
                Some(false) => StepOutcome::Failed,
                None => StepOutcome::Unknown,
            };
            let mut s = self.step(m, StepKind::Condition, &c.id, &c.text, outcome, &c.source);
            s.inputs = inputs;
            s.check = check;
            s.note = c.interpretation.clone();
            steps.push(s);
        }

        // 8. calendar
        let mut earliest = None;
        if let Some(app) = &m.application {
            let meta = &self.policy.file.policy;
            let req = self.request_date;
            let mut window_ok = true;
            if let Some(opens) = app.opens
                && req < opens
            {
                window_ok = false;
                let mut s = self.step(
                    m,
                    StepKind::Calendar,
                    "window",
                    &format!("Aanvragen kan vanaf {opens}"),
                    StepOutcome::Failed,
                    &app.source,
                );
                s.note = Some(format!("aanvraagdatum {req} ligt voor de opening"));
                steps.push(s);
            }
            if let Some(closes) = app.closes
                && req > closes
            {
                window_ok = false;
                let mut s = self.step(
                    m,
                    StepKind::Calendar,
                    "window",
                    &format!("Aanvragen kan tot en met {closes}"),
                    StepOutcome::Failed,
                    &app.source,
                );
                s.note = Some(format!("aanvraagdatum {req} ligt na de sluiting"));
                steps.push(s);
            }
            if window_ok {
                earliest = calendar::earliest_start(app, req, meta.period_start, meta.period_end);
                let text = format!(
                    "Startdata: {}; aanvraag uiterlijk {} weken voor de startdatum",
                    schedule_dutch(&app.start_dates),
                    app.lead_time_weeks
                );
                let mut s = self.step(
                    m,
                    StepKind::Calendar,
                    "start-date",
                    &text,
                    if earliest.is_some() {
                        StepOutcome::Passed
                    } else {
                        StepOutcome::Failed
                    },
                    &app.source,
                );
                s.inputs.insert(
                    "request_date".into(),
                    Some(FactValue::Text(req.to_string())),
                );
                s.note = Some(match earliest {
                    Some(d) => format!(
                        "vroegste startdatum {d} (aanvraag uiterlijk {})",
                        calendar::request_deadline(d, app.lead_time_weeks)
                    ),
                    None => format!(
                        "geen startdatum meer binnen de contractperiode tot {}",
                        meta.period_end
                    ),
                });
                steps.push(s);
            }
        }

        let any = |o: StepOutcome| steps.iter().any(|s| s.outcome == o);
        let outcome = if any(StepOutcome::Failed) {
            Outcome::NotEligible
        } else if any(StepOutcome::Unknown) {
            Outcome::NeedsInformation
        } else if any(StepOutcome::Review) {
            Outcome::NeedsReview
        } else {
            Outcome::Eligible
        };
        Ok(ModuleDecision {
            module: m.id.clone(),
            name: m.name.clone(),
            outcome,
            earliest_start: if outcome == Outcome::NotEligible {
                None
            } else {
                earliest
            },
            missing_facts: missing.into_iter().collect(),
            steps,
        })
    }

    /// Truth of a condition or exclusion; a rule without a check is the fact named by its id.
    fn rule_truth(
        &self,
        id: &str,
        spec: Option<&zorginkoop_policy::CheckSpec>,
        m: &Module,
        missing: &mut BTreeSet<String>,
    ) -> (Truth, BTreeMap<String, Option<FactValue>>, Option<String>) {
        let mut inputs = BTreeMap::new();
        let check = match spec {
            None => Check::Compare {
                fact: id.to_string(),
                op: Op::Is,
                rhs: Operand::Value(FactValue::Bool(true)),
            },
            Some(spec) => match Check::from_spec(spec) {
                Ok(c) => c,
                // validated on load; an invalid check cannot be decided
                Err(e) => {
                    inputs.insert(format!("fout in {}", m.id), Some(FactValue::Text(e)));
                    return (None, inputs, None);
                }
            },
        };
        let truth = self.eval(&check, &mut inputs, missing);
        (truth, inputs, Some(check.to_string()))
    }

    fn eval(
        &self,
        check: &Check,
        inputs: &mut BTreeMap<String, Option<FactValue>>,
        missing: &mut BTreeSet<String>,
    ) -> Truth {
        match check {
            Check::All(list) | Check::Any(list) => {
                // Facts missing inside a combination only matter when they decide it: an `all`
                // with a false part is false, an `any` with a true part is true.
                let mut local = BTreeSet::new();
                let results: Vec<Truth> = list
                    .iter()
                    .map(|c| self.eval(c, inputs, &mut local))
                    .collect();
                let decisive = matches!(check, Check::Any(_));
                let truth = if results.contains(&Some(decisive)) {
                    Some(decisive)
                } else if results.contains(&None) {
                    None
                } else {
                    Some(!decisive)
                };
                if truth.is_none() {
                    missing.extend(local);
                }
                truth
            }
            Check::Not(inner) => self.eval(inner, inputs, missing).map(|b| !b),
            Check::Contracted(module) => {
                let yes = self.case.contracted.contains(module)
                    || self
                        .done
                        .get(module)
                        .is_some_and(|d| d.outcome == Outcome::Eligible);
                inputs.insert(format!("contracted:{module}"), Some(FactValue::Bool(yes)));
                Some(yes)
            }
            Check::Compare { fact, op, rhs } => {
                let left = self.facts.get(fact).cloned();
                inputs.insert(fact.clone(), left.clone());
                let Some(left) = left else {
                    missing.insert(fact.clone());
                    return None;
                };
                let right = match rhs {
                    Operand::Value(v) => v.clone(),
                    Operand::Param(p) => match self.policy.param_on(p, self.param_date()) {
                        Some((v, _)) => {
                            inputs.insert(format!("parameter {p}"), Some(FactValue::Number(v)));
                            FactValue::Number(v)
                        }
                        None => {
                            inputs.insert(format!("parameter {p}"), None);
                            return None;
                        }
                    },
                    Operand::Fact(f) => {
                        let v = self.facts.get(f).cloned();
                        inputs.insert(f.clone(), v.clone());
                        match v {
                            Some(v) => v,
                            None => {
                                missing.insert(f.clone());
                                return None;
                            }
                        }
                    }
                };
                compare(&left, *op, &right)
            }
        }
    }
}

/// Compares two values; a type mismatch is "unknown" (the fact needs a correct value).
fn compare(left: &FactValue, op: Op, right: &FactValue) -> Truth {
    let num = |a: &FactValue, b: &FactValue| Some((a.as_decimal()?, b.as_decimal()?));
    let same = |a: &FactValue, b: &FactValue| -> bool {
        match (a.as_decimal(), b.as_decimal()) {
            (Some(x), Some(y))
                if matches!(a, FactValue::Number(_)) || matches!(b, FactValue::Number(_)) =>
            {
                x == y
            }
            _ => match (a, b) {
                (FactValue::Text(x), FactValue::Text(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
                _ => a == b,
            },
        }
    };
    match op {
        Op::Is => Some(left.as_bool()? == right.as_bool()?),
        Op::Ge => num(left, right).map(|(a, b)| a >= b),
        Op::Gt => num(left, right).map(|(a, b)| a > b),
        Op::Le => num(left, right).map(|(a, b)| a <= b),
        Op::Lt => num(left, right).map(|(a, b)| a < b),
        Op::Eq => Some(same(left, right)),
        Op::Ne => Some(!same(left, right)),
        Op::In | Op::NotIn => {
            let FactValue::List(items) = right else {
                return None;
            };
            let found = items.iter().any(|i| same(left, i));
            Some(if op == Op::In { found } else { !found })
        }
        Op::Contains => {
            let FactValue::List(items) = left else {
                return None;
            };
            Some(items.iter().any(|i| same(i, right)))
        }
    }
}

fn fact_to_json(v: &FactValue) -> serde_json::Value {
    match v {
        FactValue::Bool(b) => serde_json::Value::Bool(*b),
        // exact: serde_json keeps the digits (arbitrary_precision)
        FactValue::Number(d) => serde_json::from_str(&d.normalize().to_string())
            .unwrap_or_else(|_| serde_json::Value::String(d.to_string())),
        FactValue::Text(s) => serde_json::Value::String(s.clone()),
        FactValue::List(items) => {
            serde_json::Value::Array(items.iter().map(fact_to_json).collect())
        }
    }
}

fn schedule_dutch(s: &zorginkoop_policy::StartDates) -> &'static str {
    use zorginkoop_policy::StartDates::*;
    match s {
        Quarterly => "1 januari, 1 april, 1 juli, 1 oktober",
        HalfYearly => "1 januari, 1 juli",
        Yearly => "1 januari",
        PeriodStart => "begin van de contractperiode",
        Monthly => "de eerste van elke maand",
    }
}
