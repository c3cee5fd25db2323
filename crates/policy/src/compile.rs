//! The compiled form of a policy: what `decide` evaluates, built once when the policy loads.
//!
//! Every condition and exclusion becomes a validated [`Check`] with its rendering (a rule
//! without a check becomes "fact `<id>` is ja"), questionnaire questions are flattened per
//! module, decision tables become typed [`Table`]s, and texts and sources are shared (`Arc`) so
//! that a trace step costs reference counts instead of string copies.

use crate::check::Check;
use crate::model::{PolicyFile, QuestionKind, Source};
use crate::table::Table;
use std::collections::HashMap;
use std::sync::Arc;

/// A condition or exclusion, validated.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub id: Arc<str>,
    /// The rule as the document states it.
    pub text: Arc<str>,
    pub check: Check,
    /// `check`, rendered for people.
    pub rendered: Arc<str>,
    /// The interpretation chosen where the text is ambiguous.
    pub interpretation: Option<Arc<str>>,
    /// For exclusions: the escape the purchaser may grant.
    pub escape: Option<Arc<str>>,
    pub source: Arc<Source>,
}

/// A required module as a trace step shows it.
#[derive(Debug, Clone)]
pub struct CompiledRequirement {
    pub module: Arc<str>,
    /// `Alleen met een overeenkomst <name>`.
    pub text: Arc<str>,
    /// The required module's name (its id when unknown).
    pub name: Arc<str>,
}

/// A derivation as a trace step shows it.
#[derive(Debug, Clone)]
pub struct CompiledDerivation {
    pub fact: Arc<str>,
    pub calculator: Arc<str>,
    /// `<fact> berekend met <calculator>`.
    pub text: Arc<str>,
    /// The input facts, in the order of the calculator's fields.
    pub inputs: Vec<(String, Arc<str>)>,
}

/// A questionnaire question as a module asks it.
#[derive(Debug, Clone)]
pub struct CompiledQuestion {
    /// The fact holding the answer: `<questionnaire>.<question>`.
    pub fact: Arc<str>,
    pub text: Arc<str>,
    pub kind: QuestionKind,
    pub escape: Option<Arc<str>>,
    /// The rendered check: `<fact> is ja`, `<fact> is nee` or `<fact> (informatie)`.
    pub rendered: Arc<str>,
    pub source: Arc<Source>,
}

/// One module, compiled.
#[derive(Debug, Clone)]
pub struct CompiledModule {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub source: Arc<Source>,
    pub application_source: Option<Arc<Source>>,
    pub tariff_source: Option<Arc<Source>>,
    /// `Te contracteren door: <levels in Dutch>`.
    pub level_text: Arc<str>,
    pub not_contractable_reason: Option<Arc<str>>,
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
}

impl Compiled {
    /// Compiles a file. Each problem is `(item, problem)`.
    pub fn build(f: &PolicyFile) -> Result<Compiled, Vec<(String, String)>> {
        let mut errs = Vec::new();
        let mut modules = Vec::with_capacity(f.modules.len());
        for m in &f.modules {
            let mut rule = |what: &str,
                            id: &str,
                            text: &str,
                            spec: Option<&crate::model::CheckSpec>,
                            interpretation: Option<&String>,
                            escape: Option<&String>,
                            source: &Source|
             -> Option<CompiledRule> {
                let check = match spec {
                    None => Check::fact_is_true(id),
                    Some(spec) => match Check::from_spec(spec) {
                        Ok(c) => c,
                        Err(p) => {
                            errs.push((format!("module `{}`, {what} `{id}`", m.id), p));
                            return None;
                        }
                    },
                };
                Some(CompiledRule {
                    id: id.into(),
                    text: text.into(),
                    rendered: check.to_string().into(),
                    check,
                    interpretation: interpretation.map(|s| s.as_str().into()),
                    escape: escape.map(|s| s.as_str().into()),
                    source: Arc::new(source.clone()),
                })
            };
            let exclusions = m
                .exclusions
                .iter()
                .filter_map(|x| {
                    rule(
                        "exclusion",
                        &x.id,
                        &x.text,
                        x.check.as_ref(),
                        x.interpretation.as_ref(),
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
                        "condition",
                        &c.id,
                        &c.text,
                        c.check.as_ref(),
                        c.interpretation.as_ref(),
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
                    let fact = format!("{}.{}", q.id, question.id);
                    let rendered = match question.kind {
                        QuestionKind::KnockOut => format!("{fact} is ja"),
                        QuestionKind::Exclusion => format!("{fact} is nee"),
                        QuestionKind::Information => format!("{fact} (informatie)"),
                    };
                    questions.push(CompiledQuestion {
                        fact: fact.into(),
                        text: question.text.as_str().into(),
                        kind: question.kind,
                        escape: question.escape.as_deref().map(Arc::from),
                        rendered: rendered.into(),
                        source: Arc::new(question.source.clone()),
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
                    CompiledRequirement {
                        module: r.as_str().into(),
                        text: format!("Alleen met een overeenkomst {name}").into(),
                        name: name.into(),
                    }
                })
                .collect();
            let derive = m
                .derive
                .iter()
                .map(|d| CompiledDerivation {
                    fact: d.fact.as_str().into(),
                    calculator: d.calculator.as_str().into(),
                    text: format!("{} berekend met {}", d.fact, d.calculator).into(),
                    inputs: d
                        .inputs
                        .iter()
                        .map(|(field, fact)| (field.clone(), fact.as_str().into()))
                        .collect(),
                })
                .collect();
            modules.push(CompiledModule {
                level_text: format!("Te contracteren door: {}", levels.join(", ")).into(),
                not_contractable_reason: m.not_contractable_reason.as_deref().map(Arc::from),
                requires,
                derive,
                id: m.id.as_str().into(),
                name: m.name.as_str().into(),
                source: Arc::new(m.source.clone()),
                application_source: m.application.as_ref().map(|a| Arc::new(a.source.clone())),
                tariff_source: m.tariff.as_ref().map(|t| Arc::new(t.source.clone())),
                exclusions,
                conditions,
                questions,
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
        Ok(Compiled {
            modules,
            tables,
            module_index,
        })
    }

    /// The position of a module in the file (and in `modules`).
    pub fn module_index(&self, id: &str) -> Option<usize> {
        self.module_index.get(id).copied()
    }

    /// A compiled table by id.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| &*t.id == id)
    }
}
