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
//!
//! Checks come compiled with the policy (`policy.compiled`); `decide` never parses them. A
//! module that another one depends on (`requires`, `contracted` checks) is decided on demand
//! and memoised, so the order of modules in a policy file does not change any outcome.

use crate::calc::{self, CalcContext, TableLog};
use crate::calendar;
use crate::overrides::{self, OverrideError, Overrides};
use crate::receipt::Receipt;
use crate::trace::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};
use zorginkoop_policy::{
    Check, CompiledModule, CompiledRule, FactValue, Module, OnFail, Op, Operand, Policy,
    QuestionKind, Source,
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
    /// Parameter overrides (`id` to a decimal as text or number): only parameters with an
    /// example value (`example = true`); the receipt records them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, serde_json::Value>,
}

/// Why a case cannot be decided at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecideError {
    #[error("beleid `{policy}` heeft geen module `{module}`")]
    UnknownModule { policy: String, module: String },
    #[error("feit `{fact}`: {problem}")]
    BadFact { fact: String, problem: String },
    #[error("module `{module}`: de vereiste modules vormen een kringloop")]
    Cycle { module: String },
    #[error(transparent)]
    Parameter(#[from] OverrideError),
}

/// Decides every requested module of `case` under `policy` on the reference `date`.
pub fn decide(policy: &Policy, case: &Case, date: NaiveDate) -> Result<Decision, DecideError> {
    let mut facts: Vec<Option<Known>> = Vec::new();
    facts.resize_with(policy.compiled.fact_slot_count(), || None);
    for (name, value) in &case.facts {
        // every fact is checked; only those a module reads are kept
        let v = FactValue::from_json(value).map_err(|problem| DecideError::BadFact {
            fact: name.clone(),
            problem,
        })?;
        if let (Some(v), Some(slot)) = (v, policy.compiled.fact_slot(name)) {
            facts[slot] = Some(Known {
                value: TracedValue::new(v),
                calculator: None,
            });
        }
    }
    let n = policy.file.modules.len();
    let wanted: Vec<usize> = if case.modules.is_empty() {
        (0..n).collect()
    } else {
        case.modules
            .iter()
            .map(|id| {
                policy
                    .compiled
                    .module_index(id)
                    .ok_or_else(|| DecideError::UnknownModule {
                        policy: policy.id().to_string(),
                        module: id.clone(),
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let request_date = case.request_date.unwrap_or(date);
    let param_date = date.max(policy.file.policy.period_start);
    let overrides = overrides::check(policy, &case.parameters, param_date)?;
    let mut run = Run {
        policy,
        case,
        overrides: &overrides,
        param_date,
        request_date,
        facts,
        outcomes: vec![None; n],
        decisions: vec![None; n],
        busy: vec![false; n],
    };
    for &i in &wanted {
        run.module(i)?;
    }
    let mut modules: Vec<ModuleDecision> = Vec::with_capacity(wanted.len());
    let mut placed: Vec<Option<usize>> = vec![None; n];
    for &i in &wanted {
        let d = match run.decisions[i].take() {
            Some(d) => d,
            // asked for twice
            None => modules[placed[i].expect("decided above")].clone(),
        };
        placed[i] = Some(modules.len());
        modules.push(d);
    }
    Ok(Decision {
        schema: DECISION_SCHEMA.to_string(),
        receipt: Receipt::new(policy, date)
            .with_parameter_date(run.param_date)
            .with_overrides(&overrides),
        provider: case.provider.clone(),
        request_date,
        modules,
    })
}

/// A known fact: given in the case, or computed by a calculator.
struct Known {
    value: TracedValue,
    /// The calculator that derived it.
    calculator: Option<Arc<str>>,
}

struct Run<'a> {
    policy: &'a Policy,
    case: &'a Case,
    /// Parameter values the case replaces.
    overrides: &'a Overrides,
    /// The date on which parameters are read: the reference date, but not before the contract
    /// period starts (a request made in the autumn of 2021 is about the 2022 figures).
    param_date: NaiveDate,
    request_date: NaiveDate,
    /// Facts by slot (`policy.compiled.fact_slot`).
    facts: Vec<Option<Known>>,
    /// Per module (file order): the outcome once decided.
    outcomes: Vec<Option<Outcome>>,
    decisions: Vec<Option<ModuleDecision>>,
    busy: Vec<bool>,
}

/// Three-valued truth: a missing fact gives `None`.
type Truth = Option<bool>;

fn name(s: &'static str) -> Arc<str> {
    Arc::from(s)
}

static ID_WINDOW: LazyLock<Arc<str>> = LazyLock::new(|| name("window"));
static ID_START: LazyLock<Arc<str>> = LazyLock::new(|| name("start-date"));
static NOTE_EXISTING: LazyLock<Arc<str>> = LazyLock::new(|| name("heeft al een overeenkomst"));
static NOTE_SAME_REQUEST: LazyLock<Arc<str>> =
    LazyLock::new(|| name("komt in dezelfde aanvraag in aanmerking"));
static NOTE_EXCLUDED: LazyLock<Arc<str>> =
    LazyLock::new(|| name("uitsluitingsgrond van toepassing"));

fn step(about: &Arc<StepRule>, outcome: StepOutcome) -> TraceStep {
    TraceStep {
        about: about.clone(),
        inputs: Inputs::new(),
        outcome,
        note: None,
    }
}

/// A step whose text depends on the request (calendar steps).
fn dynamic_step(
    cm: &CompiledModule,
    id: &Arc<str>,
    text: String,
    outcome: StepOutcome,
    source: &Arc<Source>,
) -> TraceStep {
    let about = StepRule::new(&cm.id, StepKind::Calendar, id, text.into(), None, source);
    step(&about, outcome)
}

impl<'a> Run<'a> {
    /// Decides module `i` (once) and returns its outcome.
    fn module(&mut self, i: usize) -> Result<Outcome, DecideError> {
        if let Some(o) = self.outcomes[i] {
            return Ok(o);
        }
        let policy = self.policy;
        let m = &policy.file.modules[i];
        if self.busy[i] {
            return Err(DecideError::Cycle {
                module: m.id.clone(),
            });
        }
        self.busy[i] = true;
        let decision = self.evaluate(m, &policy.compiled.modules[i])?;
        self.busy[i] = false;
        self.outcomes[i] = Some(decision.outcome);
        self.decisions[i] = Some(decision);
        Ok(self.outcomes[i].expect("just set"))
    }

    /// Whether module `id` is contracted or granted in this request, deciding it if needed.
    fn contracted(&mut self, id: &str) -> Result<ContractedHow, DecideError> {
        if self.case.contracted.iter().any(|c| c == id) {
            return Ok(ContractedHow::Existing);
        }
        let i =
            self.policy
                .compiled
                .module_index(id)
                .ok_or_else(|| DecideError::UnknownModule {
                    policy: self.policy.id().to_string(),
                    module: id.to_string(),
                })?;
        Ok(ContractedHow::from_outcome(self.module(i)?))
    }

    /// A fact as a trace input: derived by a calculator or given in the case.
    fn fact_input(&self, name: &Arc<str>, slot: Option<usize>) -> (Input, Option<&FactValue>) {
        let Some(known) = slot.and_then(|i| self.facts[i].as_ref()) else {
            return (
                Input::Fact {
                    name: name.clone(),
                    value: None,
                },
                None,
            );
        };
        let value = Some(known.value.clone());
        let input = match &known.calculator {
            Some(calculator) => Input::Derived {
                fact: name.clone(),
                calculator: calculator.clone(),
                value,
            },
            None => Input::Fact {
                name: name.clone(),
                value,
            },
        };
        (input, Some(&*known.value))
    }

    fn evaluate(
        &mut self,
        m: &'a Module,
        cm: &'a CompiledModule,
    ) -> Result<ModuleDecision, DecideError> {
        let mut steps = Vec::with_capacity(
            3 + m.requires.len()
                + m.derive.len()
                + cm.exclusions.len()
                + cm.questions.len()
                + cm.conditions.len(),
        );
        // names of missing facts, borrowed from the policy; sorted and deduplicated at the end
        let mut missing: Vec<&'a str> = Vec::new();

        // 1. contractable
        if !m.contractable {
            let mut s = step(
                cm.not_contractable
                    .as_ref()
                    .expect("compiled for modules not contractable"),
                StepOutcome::Failed,
            );
            s.note = cm.not_contractable_reason.clone();
            steps.push(s);
        }

        // 2. contracting level
        let kind = self.case.provider.kind;
        let allowed = m.contracting_levels.contains(&kind);
        let mut s = step(
            &cm.level,
            if allowed {
                StepOutcome::Passed
            } else {
                StepOutcome::Failed
            },
        );
        s.inputs.push(Input::ProviderKind { value: kind });
        steps.push(s);

        // 3. required modules
        for r in &cm.requires {
            let how = self.contracted(&r.module)?;
            let (outcome, note): (StepOutcome, Arc<str>) = match how {
                ContractedHow::Existing => (StepOutcome::Passed, NOTE_EXISTING.clone()),
                ContractedHow::EligibleInRequest => {
                    (StepOutcome::Passed, NOTE_SAME_REQUEST.clone())
                }
                ContractedHow::NotEligible => (
                    StepOutcome::Failed,
                    format!("geen overeenkomst en {} komt niet in aanmerking", r.name).into(),
                ),
                ContractedHow::NeedsInformation => (
                    StepOutcome::Unknown,
                    format!("{}: {}", r.name, Outcome::NeedsInformation.dutch()).into(),
                ),
                ContractedHow::NeedsReview => (
                    StepOutcome::Unknown,
                    format!("{}: {}", r.name, Outcome::NeedsReview.dutch()).into(),
                ),
            };
            let mut s = step(&r.step, outcome);
            s.inputs.push(Input::Contracted {
                module: r.module.clone(),
                how,
            });
            s.note = Some(note);
            steps.push(s);
        }

        // 4. derived facts
        for (der, cd) in m.derive.iter().zip(&cm.derive) {
            let mut s = step(&cd.step, StepOutcome::Info);
            let mut input = serde_json::Map::new();
            let mut complete = true;
            for ((field, f), &slot) in cd.inputs.iter().zip(&cd.input_slots) {
                let (inp, v) = self.fact_input(f, Some(slot));
                if let Some(v) = v {
                    input.insert(field.clone(), fact_to_json(v));
                } else {
                    complete = false;
                    missing.push(f);
                }
                s.inputs.push(inp);
            }
            if complete {
                let log = TableLog::default();
                let ctx = CalcContext {
                    policy: self.policy,
                    date: self.param_date,
                    log: Some(&log),
                    overrides: Some(self.overrides),
                };
                let result = calc::run(&der.calculator, &ctx, serde_json::Value::Object(input));
                s.inputs.extend(log.into_inner());
                match result {
                    Ok(out) => match out.get(&der.output).map(FactValue::from_json) {
                        Some(Ok(Some(v))) => {
                            // calculators write decimals as strings to keep them exact
                            let v = match v {
                                FactValue::Text(t) => {
                                    t.parse().map_or(FactValue::Text(t), FactValue::Number)
                                }
                                other => other,
                            };
                            s.note = Some(format!("{} = {v}", der.fact).into());
                            self.facts[cd.slot] = Some(Known {
                                value: TracedValue::new(v),
                                calculator: Some(cd.calculator.clone()),
                            });
                        }
                        _ => {
                            s.outcome = StepOutcome::Unknown;
                            s.note = Some(format!("calculator gaf geen `{}`", der.output).into());
                        }
                    },
                    Err(e) => {
                        s.outcome = StepOutcome::Unknown;
                        s.note = Some(e.to_string().into());
                    }
                }
            } else {
                s.outcome = StepOutcome::Unknown;
            }
            steps.push(s);
        }

        // 5. exclusions: explicit exceptions that override
        for (x, rule) in m.exclusions.iter().zip(&cm.exclusions) {
            let (truth, inputs) = self.rule_truth(rule, &mut missing)?;
            let outcome = match truth {
                Some(true) if x.escape.is_some() => StepOutcome::Review,
                Some(true) => StepOutcome::Failed,
                Some(false) => StepOutcome::Passed,
                None => StepOutcome::Unknown,
            };
            let note = match (truth, &rule.escape) {
                (Some(true), Some(e)) => {
                    Some(format!("uitsluitingsgrond van toepassing; {e}").into())
                }
                (Some(true), None) => Some(NOTE_EXCLUDED.clone()),
                _ => rule.interpretation.clone(),
            };
            steps.push(TraceStep {
                about: rule.step.clone(),
                inputs,
                outcome,
                note,
            });
        }

        // 6. questionnaires
        for q in &cm.questions {
            let (input, answer) = self.fact_input(&q.fact, Some(q.slot));
            let yes = answer.and_then(FactValue::as_bool);
            let outcome = match (q.kind, yes) {
                (QuestionKind::Information, _) => StepOutcome::Info,
                (_, None) => {
                    missing.push(&q.fact);
                    StepOutcome::Unknown
                }
                (QuestionKind::KnockOut, Some(true)) => StepOutcome::Passed,
                (QuestionKind::KnockOut, Some(false)) => StepOutcome::Failed,
                (QuestionKind::Exclusion, Some(false)) => StepOutcome::Passed,
                (QuestionKind::Exclusion, Some(true)) if q.escape.is_some() => StepOutcome::Review,
                (QuestionKind::Exclusion, Some(true)) => StepOutcome::Failed,
            };
            // built in place: a step is large, and moving it costs as much as filling it
            steps.push(TraceStep {
                about: q.step.clone(),
                inputs: Inputs::from_buf([input]),
                outcome,
                note: if outcome == StepOutcome::Review {
                    q.escape.clone()
                } else {
                    None
                },
            });
        }

        // 7. conditions
        for (c, rule) in m.conditions.iter().zip(&cm.conditions) {
            let (truth, inputs) = self.rule_truth(rule, &mut missing)?;
            let outcome = match truth {
                Some(true) => StepOutcome::Passed,
                Some(false) if c.on_fail == OnFail::Review => StepOutcome::Review,
                Some(false) => StepOutcome::Failed,
                None => StepOutcome::Unknown,
            };
            steps.push(TraceStep {
                about: rule.step.clone(),
                inputs,
                outcome,
                note: rule.interpretation.clone(),
            });
        }

        // 8. calendar
        let mut earliest = None;
        let mut lead_weeks = 0;
        let (mut window_opens, mut window_closes) = (None, None);
        if let (Some(app), Some(app_source)) = (&m.application, &cm.application_source) {
            let meta = &self.policy.file.policy;
            let req = self.request_date;
            window_opens = app.opens;
            window_closes = app.closes;
            // the late route, when the request came after `closes` and the policy has one
            let mut late_route = None;
            let mut window_ok = true;
            match calendar::window(app, req) {
                calendar::Window::Open => {}
                calendar::Window::BeforeOpening(opens) => {
                    window_ok = false;
                    let mut s = dynamic_step(
                        cm,
                        &ID_WINDOW,
                        format!("Aanvragen kan vanaf {opens}"),
                        StepOutcome::Failed,
                        app_source,
                    );
                    s.inputs.push(Input::RequestDate { date: req });
                    s.note = Some(format!("aanvraagdatum {req} ligt voor de opening").into());
                    steps.push(s);
                }
                calendar::Window::Closed(closes) => {
                    window_ok = false;
                    // a late route that refuses is a written-down choice: cite it
                    let (source, note) = match &app.late {
                        Some(late) => (
                            Arc::new(late.source.clone()),
                            match late.toelichting.as_ref().or(late.interpretation.as_ref()) {
                                Some(t) => format!("aanvraagdatum {req} ligt na de sluiting; {t}"),
                                None => format!("aanvraagdatum {req} ligt na de sluiting"),
                            },
                        ),
                        None => (
                            app_source.clone(),
                            format!("aanvraagdatum {req} ligt na de sluiting"),
                        ),
                    };
                    let mut s = dynamic_step(
                        cm,
                        &ID_WINDOW,
                        format!("Aanvragen kan tot en met {closes}"),
                        StepOutcome::Failed,
                        &source,
                    );
                    s.inputs.push(Input::RequestDate { date: req });
                    s.note = Some(note.into());
                    steps.push(s);
                }
                calendar::Window::LateReview(closes, late) => {
                    let source = Arc::new(late.source.clone());
                    late_route = Some((late, source.clone()));
                    let mut s = dynamic_step(
                        cm,
                        &ID_WINDOW,
                        format!(
                            "Aanvragen kan tot en met {closes}; een latere aanvraag beoordeelt de zorginkoper individueel"
                        ),
                        StepOutcome::Review,
                        &source,
                    );
                    s.inputs.push(Input::RequestDate { date: req });
                    s.note = Some(
                        match late.toelichting.as_ref().or(late.interpretation.as_ref()) {
                            Some(t) => t.clone(),
                            None => format!(
                                "aanvraagdatum {req} ligt na de sluiting; de zorginkoper beoordeelt de aanvraag individueel"
                            ),
                        }
                        .into(),
                    );
                    steps.push(s);
                }
            }
            if window_ok {
                let (schedule, lead, source) = match &late_route {
                    Some((late, source)) => {
                        earliest = calendar::earliest_late_start(
                            app,
                            late,
                            req,
                            meta.period_start,
                            meta.period_end,
                        );
                        (
                            late.start_dates.as_ref().unwrap_or(&app.start_dates),
                            late.lead_time_weeks.unwrap_or(app.lead_time_weeks),
                            source,
                        )
                    }
                    None => {
                        earliest =
                            calendar::earliest_start(app, req, meta.period_start, meta.period_end);
                        (&app.start_dates, app.lead_time_weeks, app_source)
                    }
                };
                lead_weeks = lead;
                let text = if lead == 0 {
                    format!("Startdata: {}", schedule_dutch(schedule))
                } else {
                    format!(
                        "Startdata: {}; aanvraag uiterlijk {lead} weken voor de startdatum",
                        schedule_dutch(schedule)
                    )
                };
                let mut s = dynamic_step(
                    cm,
                    &ID_START,
                    text,
                    if earliest.is_some() {
                        StepOutcome::Passed
                    } else {
                        StepOutcome::Failed
                    },
                    source,
                );
                s.inputs.push(Input::RequestDate { date: req });
                s.note = Some(
                    match earliest {
                        Some(d) => format!(
                            "vroegste startdatum {d} (aanvraag uiterlijk {})",
                            calendar::request_deadline(d, lead)
                        ),
                        None => format!(
                            "geen startdatum meer binnen de contractperiode tot {}",
                            meta.period_end
                        ),
                    }
                    .into(),
                );
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
        let earliest_start = if outcome == Outcome::NotEligible {
            None
        } else {
            earliest
        };
        Ok(ModuleDecision {
            module: cm.id.clone(),
            name: cm.name.clone(),
            outcome,
            earliest_start,
            request_deadline: earliest_start.map(|d| calendar::request_deadline(d, lead_weeks)),
            window_opens,
            window_closes,
            missing_facts: {
                missing.sort_unstable();
                missing.dedup();
                missing.into_iter().map(String::from).collect()
            },
            steps,
        })
    }

    /// Truth of a compiled condition or exclusion, with the inputs it read.
    fn rule_truth(
        &mut self,
        rule: &'a CompiledRule,
        missing: &mut Vec<&'a str>,
    ) -> Result<(Truth, Inputs), DecideError> {
        let mut inputs = Inputs::new();
        let mut slots = rule.slots.iter().copied();
        let truth = self.eval(&rule.check, &mut slots, &mut inputs, missing)?;
        Ok((truth, inputs))
    }

    /// The value of a parameter on the parameter date, with the first day of that value
    /// (`None` for an override of the case: it holds on every date).
    fn param(&self, id: &str) -> Option<(Decimal, Option<NaiveDate>)> {
        if let Some(v) = self.overrides.get(id) {
            return Some((v, None));
        }
        let p = self.policy.parameter(id)?;
        p.values
            .iter()
            .rev()
            .find(|v| v.from <= self.param_date)
            .map(|v| (v.value, Some(v.from)))
    }

    /// Truth of `check`; `slots` yields the slot of each fact it reads, in reading order
    /// (`CompiledRule::slots`).
    fn eval(
        &mut self,
        check: &'a Check,
        slots: &mut impl Iterator<Item = usize>,
        inputs: &mut Inputs,
        missing: &mut Vec<&'a str>,
    ) -> Result<Truth, DecideError> {
        Ok(match check {
            Check::All(list) | Check::Any(list) => {
                // Facts missing inside a combination only matter when they decide it: an `all`
                // with a false part is false, an `any` with a true part is true.
                let mut local = Vec::new();
                let decisive = matches!(check, Check::Any(_));
                let (mut seen_decisive, mut seen_none) = (false, false);
                for c in list {
                    match self.eval(c, slots, inputs, &mut local)? {
                        Some(b) if b == decisive => seen_decisive = true,
                        None => seen_none = true,
                        Some(_) => {}
                    }
                }
                let truth = if seen_decisive {
                    Some(decisive)
                } else if seen_none {
                    None
                } else {
                    Some(!decisive)
                };
                if truth.is_none() {
                    missing.extend(local);
                }
                truth
            }
            Check::Not(inner) => self.eval(inner, slots, inputs, missing)?.map(|b| !b),
            Check::Contracted(module) => {
                let how = self.contracted(module)?;
                inputs.push(Input::Contracted {
                    module: module.clone(),
                    how,
                });
                Some(how.is_contracted())
            }
            Check::Compare { fact, op, rhs } => {
                // both slots are taken before any early return, to stay in step
                let slot = slots.next();
                let rhs_slot = match rhs {
                    Operand::Fact(_) => slots.next(),
                    _ => None,
                };
                let (input, left) = self.fact_input(fact, slot);
                inputs.push(input);
                let Some(left) = left else {
                    missing.push(fact);
                    return Ok(None);
                };
                let param;
                let right: &FactValue = match rhs {
                    Operand::Value(v) => v,
                    Operand::Param(p) => match self.param(p) {
                        Some((v, from)) => {
                            inputs.push(Input::Parameter {
                                id: p.clone(),
                                value: Some(v),
                                valid_from: from,
                            });
                            param = FactValue::Number(v);
                            &param
                        }
                        None => {
                            inputs.push(Input::Parameter {
                                id: p.clone(),
                                value: None,
                                valid_from: None,
                            });
                            return Ok(None);
                        }
                    },
                    Operand::Fact(f) => {
                        let (input, v) = self.fact_input(f, rhs_slot);
                        inputs.push(input);
                        match v {
                            Some(v) => v,
                            None => {
                                missing.push(f);
                                return Ok(None);
                            }
                        }
                    }
                };
                compare(left, *op, right)
            }
        })
    }
}

/// Texts are the same when equal trimmed and ignoring ASCII case. A text that begins and ends
/// with a visible ASCII character has nothing to trim, so most comparisons skip the trimming.
fn same_text(x: &str, y: &str) -> bool {
    let bare = |s: &str| {
        let b = s.as_bytes();
        b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic)
    };
    if bare(x) && bare(y) {
        x.eq_ignore_ascii_case(y)
    } else {
        x.trim().eq_ignore_ascii_case(y.trim())
    }
}

/// Compares two values; a type mismatch is "unknown" (the fact needs a correct value).
fn compare(left: &FactValue, op: Op, right: &FactValue) -> Truth {
    let num = |a: &FactValue, b: &FactValue| Some((a.as_decimal()?, b.as_decimal()?));
    // numbers compare as numbers (a text holding a number too, against a number); texts
    // compare trimmed and case-insensitively; anything else must be equal
    let same = |a: &FactValue, b: &FactValue| -> bool {
        match (a, b) {
            (FactValue::Number(x), FactValue::Number(y)) => x == y,
            (FactValue::Number(x), t @ FactValue::Text(_))
            | (t @ FactValue::Text(_), FactValue::Number(x)) => t.as_decimal() == Some(*x),
            (FactValue::Text(x), FactValue::Text(y)) => same_text(x, y),
            _ => a == b,
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

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn texts_compare_trimmed_and_ignoring_case() {
        assert!(same_text("Utrecht", "utrecht"));
        assert!(same_text(" Utrecht\t", "UTRECHT"));
        assert!(same_text("Utrecht", "Utrecht\u{a0}"));
        assert!(same_text("", "  "));
        assert!(!same_text("Utrecht", "Utrecht stad"));
        assert!(!same_text("Zeist", "Utrecht"));
        assert!(!same_text("", "x"));
    }
}
