//! The compiled form of a policy: what `decide` evaluates, built once when the policy loads.
//!
//! Every condition and exclusion becomes a validated [`Check`] with its rendering (a rule
//! without a check becomes "fact `<id>` is ja"), questionnaire questions are flattened per
//! module, decision tables become typed [`Table`]s, and texts and sources are shared (`Arc`) so
//! that a trace step costs reference counts instead of string copies.

use crate::check::Check;
use crate::model::{CheckSpec, PolicyFile, QuestionKind, Source};
use crate::table::Table;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

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

impl StepKind {
    /// The kebab-case name used in JSON and in rendered rule references.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Contractable => "contractable",
            StepKind::ContractingLevel => "contracting-level",
            StepKind::Requires => "requires",
            StepKind::Calculation => "calculation",
            StepKind::Exclusion => "exclusion",
            StepKind::Question => "question",
            StepKind::Condition => "condition",
            StepKind::Calendar => "calendar",
        }
    }
}

/// Which rule a step applies: the module, the kind of step and the rule's id within it
/// (condition id, exclusion id, question fact, required module, derived fact, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    pub module: Arc<str>,
    pub kind: StepKind,
    pub id: Arc<str>,
}

impl fmt::Display for RuleRef {
    /// `<module>/<kind>/<id>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.module, self.kind.as_str(), self.id)
    }
}

/// The fixed part of a trace step: the rule, its text as the document states it, the rendered
/// machine check and the passage it rests on. Compiled once per rule and shared (`Arc`) by every
/// decision that applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRule {
    pub rule: RuleRef,
    pub text: Arc<str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Arc<str>>,
    pub source: Arc<Source>,
}

impl StepRule {
    pub fn new(
        module: &Arc<str>,
        kind: StepKind,
        id: &Arc<str>,
        text: Arc<str>,
        check: Option<Arc<str>>,
        source: &Arc<Source>,
    ) -> Arc<StepRule> {
        Arc::new(StepRule {
            rule: RuleRef {
                module: module.clone(),
                kind,
                id: id.clone(),
            },
            text,
            check,
            source: source.clone(),
        })
    }
}

/// A condition or exclusion, validated.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub id: Arc<str>,
    pub check: Check,
    /// The choice made where the text is ambiguous, as people read it in a decision: the
    /// Dutch `toelichting` (the English `interpretation` when an item has no toelichting).
    pub interpretation: Option<Arc<str>>,
    /// For exclusions: the escape the purchaser may grant.
    pub escape: Option<Arc<str>>,
    /// The rule as a trace step shows it (text, rendered check, source).
    pub step: Arc<StepRule>,
    /// The slot of every fact the check reads, in reading order ([`Check::facts`]).
    pub slots: Vec<usize>,
}

/// A required module.
#[derive(Debug, Clone)]
pub struct CompiledRequirement {
    pub module: Arc<str>,
    /// The required module's name (its id when unknown).
    pub name: Arc<str>,
    /// `Alleen met een overeenkomst <name>`.
    pub step: Arc<StepRule>,
}

/// A derivation (a fact computed by a calculator).
#[derive(Debug, Clone)]
pub struct CompiledDerivation {
    pub fact: Arc<str>,
    pub calculator: Arc<str>,
    /// Calculator input field → fact.
    pub inputs: Vec<(String, Arc<str>)>,
    /// `<fact> berekend met <calculator>`.
    pub step: Arc<StepRule>,
    /// The slot of `fact` (see [`Compiled::fact_slot`]).
    pub slot: usize,
    /// The slot of each input fact, parallel to `inputs`.
    pub input_slots: Vec<usize>,
}

/// A questionnaire question as a module asks it.
#[derive(Debug, Clone)]
pub struct CompiledQuestion {
    /// The fact holding the answer: `<questionnaire>.<question>`.
    pub fact: Arc<str>,
    pub kind: QuestionKind,
    pub escape: Option<Arc<str>>,
    /// Checked as `<fact> is ja`, `<fact> is nee` or `<fact> (informatie)`.
    pub step: Arc<StepRule>,
    /// The slot of `fact` (see [`Compiled::fact_slot`]).
    pub slot: usize,
}

/// One module, compiled.
#[derive(Debug, Clone)]
pub struct CompiledModule {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub source: Arc<Source>,
    pub application_source: Option<Arc<Source>>,
    pub tariff_source: Option<Arc<Source>>,
    /// `<name> is (nog) niet te contracteren`, for modules that are not contractable.
    pub not_contractable: Option<Arc<StepRule>>,
    pub not_contractable_reason: Option<Arc<str>>,
    /// `Te contracteren door: <levels in Dutch>`.
    pub level: Arc<StepRule>,
    pub requires: Vec<CompiledRequirement>,
    pub derive: Vec<CompiledDerivation>,
    pub exclusions: Vec<CompiledRule>,
    pub conditions: Vec<CompiledRule>,
    pub questions: Vec<CompiledQuestion>,
}

/// The compiled rules of a policy; `modules` is parallel to the file's modules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    pub modules: Vec<CompiledModule>,
    pub tables: Vec<Table>,
    module_index: HashMap<String, usize>,
    /// Every fact name a module reads or derives, numbered: a decision keeps its facts in a
    /// vector by slot instead of hashing names on every read.
    fact_slots: HashMap<Arc<str>, usize, FastHash>,
    fact_names: Vec<Arc<str>>,
}

/// A fast, non-cryptographic hash for fact names (the Fx hash of rustc): the names come from
/// the policy and a case, so flooding is no concern.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastHash;

/// The hasher of [`FastHash`].
#[derive(Debug, Default)]
pub struct FxHasher(u64);

impl std::hash::BuildHasher for FastHash {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Numbers fact names in the order they are first seen.
#[derive(Default)]
struct Interner {
    slots: HashMap<Arc<str>, usize, FastHash>,
    names: Vec<Arc<str>>,
}

impl Interner {
    fn slot(&mut self, name: &Arc<str>) -> usize {
        if let Some(&i) = self.slots.get(&**name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.clone());
        self.slots.insert(name.clone(), i);
        i
    }

    /// The slots of the facts `check` reads, in reading order.
    fn check(&mut self, check: &Check) -> Vec<usize> {
        let mut facts = Vec::new();
        check.facts(&mut facts);
        facts
            .iter()
            .map(|f| self.slot(&Arc::from(f.as_str())))
            .collect()
    }
}

impl Compiled {
    /// Compiles a file. Each problem is `(item, problem)`.
    pub fn build(f: &PolicyFile) -> Result<Compiled, Vec<(String, String)>> {
        let mut errs = Vec::new();
        let mut modules = Vec::with_capacity(f.modules.len());
        for m in &f.modules {
            let id: Arc<str> = m.id.as_str().into();
            let source = Arc::new(m.source.clone());
            let mut rule = |kind: StepKind,
                            rule_id: &str,
                            text: &str,
                            spec: Option<&CheckSpec>,
                            interpretation: Option<&String>,
                            escape: Option<&String>,
                            src: &Source|
             -> Option<CompiledRule> {
                let check = match spec {
                    None => Check::fact_is_true(rule_id),
                    Some(spec) => match Check::from_spec(spec) {
                        Ok(c) => c,
                        Err(p) => {
                            let what = match kind {
                                StepKind::Condition => "voorwaarde",
                                StepKind::Exclusion => "uitsluiting",
                                other => other.as_str(),
                            };
                            errs.push((format!("module `{}`, {what} `{rule_id}`", m.id), p));
                            return None;
                        }
                    },
                };
                let rule_id: Arc<str> = rule_id.into();
                Some(CompiledRule {
                    step: StepRule::new(
                        &id,
                        kind,
                        &rule_id,
                        text.into(),
                        Some(check.to_string().into()),
                        &Arc::new(src.clone()),
                    ),
                    id: rule_id,
                    check,
                    interpretation: interpretation.map(|s| s.as_str().into()),
                    escape: escape.map(|s| s.as_str().into()),
                    slots: Vec::new(),
                })
            };
            let exclusions = m
                .exclusions
                .iter()
                .filter_map(|x| {
                    rule(
                        StepKind::Exclusion,
                        &x.id,
                        &x.text,
                        x.check.as_ref(),
                        x.toelichting.as_ref().or(x.interpretation.as_ref()),
                        x.escape.as_ref(),
                        &x.source,
                    )
                })
                .collect();
            let conditions = m
                .conditions
                .iter()
                .filter_map(|c| {
                    rule(
                        StepKind::Condition,
                        &c.id,
                        &c.text,
                        c.check.as_ref(),
                        c.toelichting.as_ref().or(c.interpretation.as_ref()),
                        None,
                        &c.source,
                    )
                })
                .collect();
            let mut questions = Vec::new();
            for qid in &m.questionnaires {
                let Some(q) = f.questionnaires.iter().find(|q| &q.id == qid) else {
                    continue;
                };
                for question in &q.questions {
                    let fact: Arc<str> = format!("{}.{}", q.id, question.id).into();
                    let rendered = match question.kind {
                        QuestionKind::KnockOut => format!("{fact} is ja"),
                        QuestionKind::Exclusion => format!("{fact} is nee"),
                        QuestionKind::Information => format!("{fact} (informatie)"),
                    };
                    questions.push(CompiledQuestion {
                        step: StepRule::new(
                            &id,
                            StepKind::Question,
                            &fact,
                            question.text.as_str().into(),
                            Some(rendered.into()),
                            &Arc::new(question.source.clone()),
                        ),
                        fact,
                        slot: 0,
                        kind: question.kind,
                        escape: question.escape.as_deref().map(Arc::from),
                    });
                }
            }
            let levels: Vec<&str> = m.contracting_levels.iter().map(|k| k.dutch()).collect();
            let requires = m
                .requires
                .iter()
                .map(|r| {
                    let name = f
                        .modules
                        .iter()
                        .find(|x| &x.id == r)
                        .map_or(r.as_str(), |x| x.name.as_str());
                    let module: Arc<str> = r.as_str().into();
                    CompiledRequirement {
                        step: StepRule::new(
                            &id,
                            StepKind::Requires,
                            &module,
                            format!("Alleen met een overeenkomst {name}").into(),
                            None,
                            &source,
                        ),
                        module,
                        name: name.into(),
                    }
                })
                .collect();
            let tariff_source = m.tariff.as_ref().map(|t| Arc::new(t.source.clone()));
            let derive = m
                .derive
                .iter()
                .map(|d| {
                    let fact: Arc<str> = d.fact.as_str().into();
                    CompiledDerivation {
                        step: StepRule::new(
                            &id,
                            StepKind::Calculation,
                            &fact,
                            format!("{} berekend met {}", d.fact, d.calculator).into(),
                            None,
                            tariff_source.as_ref().unwrap_or(&source),
                        ),
                        fact,
                        calculator: d.calculator.as_str().into(),
                        inputs: d
                            .inputs
                            .iter()
                            .map(|(field, fact)| (field.clone(), fact.as_str().into()))
                            .collect(),
                        slot: 0,
                        input_slots: Vec::new(),
                    }
                })
                .collect();
            modules.push(CompiledModule {
                not_contractable: (!m.contractable).then(|| {
                    StepRule::new(
                        &id,
                        StepKind::Contractable,
                        &"contractable".into(),
                        format!("{} is (nog) niet te contracteren", m.name).into(),
                        None,
                        &source,
                    )
                }),
                not_contractable_reason: m.not_contractable_reason.as_deref().map(Arc::from),
                level: StepRule::new(
                    &id,
                    StepKind::ContractingLevel,
                    &"level".into(),
                    format!("Te contracteren door: {}", levels.join(", ")).into(),
                    None,
                    &source,
                ),
                requires,
                derive,
                name: m.name.as_str().into(),
                application_source: m.application.as_ref().map(|a| Arc::new(a.source.clone())),
                tariff_source,
                exclusions,
                conditions,
                questions,
                source,
                id,
            });
        }
        let mut tables = Vec::new();
        for t in &f.tables {
            match Table::compile(t) {
                Ok(t) => tables.push(t),
                Err(e) => errs.extend(e),
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let module_index = f
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let mut interner = Interner::default();
        for cm in &mut modules {
            for d in &mut cm.derive {
                d.input_slots = d.inputs.iter().map(|(_, f)| interner.slot(f)).collect();
                d.slot = interner.slot(&d.fact);
            }
            for r in cm.exclusions.iter_mut().chain(&mut cm.conditions) {
                r.slots = interner.check(&r.check);
            }
            for q in &mut cm.questions {
                q.slot = interner.slot(&q.fact);
            }
        }
        Ok(Compiled {
            modules,
            tables,
            module_index,
            fact_slots: interner.slots,
            fact_names: interner.names,
        })
    }

    /// The position of a module in the file (and in `modules`).
    pub fn module_index(&self, id: &str) -> Option<usize> {
        self.module_index.get(id).copied()
    }

    /// The slot of a fact any module reads or derives; `None` for a fact no module uses.
    pub fn fact_slot(&self, name: &str) -> Option<usize> {
        self.fact_slots.get(name).copied()
    }

    /// How many fact slots there are (slots count from 0).
    pub fn fact_slot_count(&self) -> usize {
        self.fact_names.len()
    }

    /// A compiled table by id.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| &*t.id == id)
    }
}
