//! The decision and its trace as data: which rule (a [`RuleRef`]), what it read (typed
//! [`Input`]s that say where each value came from), its outcome and the passage it cites.
//!
//! This is the stable, versioned JSON shape of a decision ([`DECISION_SCHEMA`]); every field is
//! documented in `crates/engine/DECISION-JSON.md`. The Dutch rendering is in [`crate::explain`].

use crate::receipt::Receipt;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::collections::BTreeMap;
use std::sync::Arc;
use zorginkoop_policy::{FactValue, ProviderKind, Source};
pub use zorginkoop_policy::{RuleRef, StepKind, StepRule};

/// The schema of the decision JSON; bumped on every incompatible change.
pub const DECISION_SCHEMA: &str = "zorginkoop.decision/2";

/// A provider's identity as it asked.
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

/// How a module another rule depends on is (not) in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractedHow {
    /// The provider already has a contract for it.
    Existing,
    /// Not contracted, but eligible in the same request.
    EligibleInRequest,
    /// Not contracted and, in this request, not eligible.
    NotEligible,
    /// Not contracted and, in this request, waiting for information.
    NeedsInformation,
    /// Not contracted and, in this request, up for individual review.
    NeedsReview,
}

impl ContractedHow {
    /// From the outcome of the module in this request (for a module not contracted).
    pub fn from_outcome(o: Outcome) -> ContractedHow {
        match o {
            Outcome::Eligible => ContractedHow::EligibleInRequest,
            Outcome::NotEligible => ContractedHow::NotEligible,
            Outcome::NeedsInformation => ContractedHow::NeedsInformation,
            Outcome::NeedsReview => ContractedHow::NeedsReview,
        }
    }

    /// Whether the module counts as contracted.
    pub fn is_contracted(self) -> bool {
        matches!(
            self,
            ContractedHow::Existing | ContractedHow::EligibleInRequest
        )
    }
}

/// The value of a fact as a step read it. Scalars (yes/no, numbers) are kept inline, so that
/// recording them costs no reference count; texts and lists are shared with the decision's
/// other steps. Serialises exactly as the [`FactValue`] it holds.
#[derive(Debug, Clone)]
pub enum TracedValue {
    /// A yes/no or a number, by value.
    Scalar(FactValue),
    /// A text or a list, shared.
    Shared(Arc<FactValue>),
}

impl TracedValue {
    /// Wraps a value: scalars inline, the rest behind an [`Arc`].
    pub fn new(v: FactValue) -> TracedValue {
        match v {
            FactValue::Bool(_) | FactValue::Number(_) => TracedValue::Scalar(v),
            other => TracedValue::Shared(Arc::new(other)),
        }
    }

    /// The value.
    pub fn get(&self) -> &FactValue {
        match self {
            TracedValue::Scalar(v) => v,
            TracedValue::Shared(v) => v,
        }
    }
}

impl From<FactValue> for TracedValue {
    fn from(v: FactValue) -> TracedValue {
        TracedValue::new(v)
    }
}

impl std::ops::Deref for TracedValue {
    type Target = FactValue;
    fn deref(&self) -> &FactValue {
        self.get()
    }
}

impl PartialEq for TracedValue {
    fn eq(&self, other: &TracedValue) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Display for TracedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for TracedValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for TracedValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TracedValue, D::Error> {
        FactValue::deserialize(d).map(TracedValue::new)
    }
}

/// A value a step read, with where it came from. A missing value is `None` (JSON `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum Input {
    /// A fact of the case (or a questionnaire answer).
    Fact {
        name: Arc<str>,
        value: Option<TracedValue>,
    },
    /// The kind of provider asking.
    ProviderKind { value: ProviderKind },
    /// A parameter of the policy, with the first day of the dated value used.
    Parameter {
        id: Arc<str>,
        value: Option<Decimal>,
        valid_from: Option<NaiveDate>,
    },
    /// Another module: contracted already, eligible in the same request, or not.
    Contracted {
        module: Arc<str>,
        how: ContractedHow,
    },
    /// A fact computed by a calculator earlier in this decision.
    Derived {
        fact: Arc<str>,
        calculator: Arc<str>,
        value: Option<TracedValue>,
    },
    /// The row of a decision table a calculator used (`row` counts from 0); the cells of the
    /// row by column (inputs as written, outputs as values).
    TableRow {
        table: Arc<str>,
        row: usize,
        cells: BTreeMap<String, serde_json::Value>,
    },
    /// The day the request is made.
    RequestDate { date: NaiveDate },
}

/// What one step read: inline up to one input (a question reads one fact), so that most steps
/// need no allocation of their own.
pub type Inputs = SmallVec<[Input; 1]>;

/// One step of the trace: the rule with its text, check and source passage (shared by every
/// decision that applies it), what it read, and its outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TraceStep {
    /// The rule: `rule`, `text`, `check` and `source` in JSON.
    #[serde(flatten)]
    pub about: Arc<StepRule>,
    /// What the step read, in reading order.
    #[serde(default, skip_serializing_if = "SmallVec::is_empty")]
    pub inputs: Inputs,
    pub outcome: StepOutcome,
    /// Explanation, interpretation or computed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Arc<str>>,
}

impl TraceStep {
    /// Which rule.
    pub fn rule(&self) -> &RuleRef {
        &self.about.rule
    }

    /// The rule as the document states it.
    pub fn text(&self) -> &str {
        &self.about.text
    }

    /// The machine check, rendered.
    pub fn check(&self) -> Option<&str> {
        self.about.check.as_deref()
    }

    /// The passage the rule rests on.
    pub fn source(&self) -> &Source {
        &self.about.source
    }
}

/// The decision for one module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModuleDecision {
    pub module: Arc<str>,
    pub name: Arc<str>,
    pub outcome: Outcome,
    /// The earliest start date for a request made on the request date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_start: Option<NaiveDate>,
    /// The last day a request for `earliest_start` can be made (lead time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_deadline: Option<NaiveDate>,
    /// The first day applications are accepted, when the policy says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_opens: Option<NaiveDate>,
    /// The last day applications are accepted, when the policy says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_closes: Option<NaiveDate>,
    /// Facts that must be supplied before a decision can be made.
    #[serde(default)]
    pub missing_facts: Vec<String>,
    pub steps: Vec<TraceStep>,
}

impl ModuleDecision {
    /// The rules that failed or went to review (the "why not").
    pub fn failed_steps(&self) -> impl Iterator<Item = &RuleRef> {
        self.steps
            .iter()
            .filter(|s| matches!(s.outcome, StepOutcome::Failed | StepOutcome::Review))
            .map(|s| s.rule())
    }

    /// Ids of the rules that failed or went to review.
    pub fn failed_rules(&self) -> Vec<&str> {
        self.failed_steps().map(|r| &*r.id).collect()
    }
}

fn schema() -> String {
    DECISION_SCHEMA.to_string()
}

/// The decision for a case: one entry per module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decision {
    /// Always [`DECISION_SCHEMA`] when produced by this engine.
    #[serde(default = "schema")]
    pub schema: String,
    pub receipt: Receipt,
    pub provider: ProviderInfo,
    pub request_date: NaiveDate,
    pub modules: Vec<ModuleDecision>,
}

impl Decision {
    pub fn module(&self, id: &str) -> Option<&ModuleDecision> {
        self.modules.iter().find(|m| &*m.module == id)
    }
}
