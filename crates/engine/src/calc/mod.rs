//! Calculators: the policies' rekentools as pure functions, JSON in and JSON out.
//!
//! Each calculator has typed input and output structs in its domain module (`gp`, `oi`,
//! `diagnostics`, `nursing`), reads its figures from the policy's dated parameters on the
//! reference date, and computes in exact decimals. The registry ([`calculators`]) describes
//! each one (inputs, outputs, default policy) for `zorginkoop calc --list`, the portal's what-if
//! and policy derivations (`[[modules.derive]]`).

pub mod diagnostics;
pub mod gp;
pub mod nursing;
pub mod oi;

use crate::overrides::Overrides;
use crate::table::{self, Matches};
use crate::trace::Input;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::sync::LazyLock;
use zorginkoop_policy::{Policy, TableValue};

/// What a calculator is given besides its input: the policy and the reference date, and
/// where to record the decision-table rows it uses (for the trace).
#[derive(Debug, Clone, Copy)]
pub struct CalcContext<'a> {
    pub policy: &'a Policy,
    pub date: NaiveDate,
    /// When set, every table row a calculator matches is appended here.
    pub log: Option<&'a TableLog>,
    /// Parameter values the request replaces (example values only; see [`crate::overrides`]).
    pub overrides: Option<&'a Overrides>,
}

/// The table rows a calculation used, as trace inputs.
pub type TableLog = RefCell<Vec<Input>>;

impl<'a> CalcContext<'a> {
    /// A context without a table log.
    pub fn new(policy: &'a Policy, date: NaiveDate) -> CalcContext<'a> {
        CalcContext {
            policy,
            date,
            log: None,
            overrides: None,
        }
    }

    /// The same context reading `overrides` before the policy's parameter values.
    pub fn with_overrides(self, overrides: &'a Overrides) -> CalcContext<'a> {
        CalcContext {
            overrides: Some(overrides),
            ..self
        }
    }

    /// Evaluates a decision table of the policy (see [`crate::table`]) and records the
    /// matched rows in the log.
    pub fn table(&self, id: &str, inputs: &[(&str, TableValue)]) -> Result<Matches<'a>, CalcError> {
        let policy: &'a Policy = self.policy;
        let table = policy
            .compiled
            .table(id)
            .ok_or_else(|| CalcError::Domain(format!("het beleid heeft geen tabel `{id}`")))?;
        let m = table::evaluate(table, inputs).map_err(|e| CalcError::Domain(e.to_string()))?;
        if let Some(log) = self.log {
            log.borrow_mut().extend(m.iter().map(|r| r.to_input()));
        }
        Ok(m)
    }

    /// The value of a policy parameter on the reference date.
    pub fn param(&self, id: &str) -> Result<Decimal, CalcError> {
        if let Some(v) = self.overrides.and_then(|o| o.get(id)) {
            return Ok(v);
        }
        self.policy
            .param_on(id, self.date)
            .map(|(v, _)| v)
            .ok_or_else(|| CalcError::MissingParameter {
                policy: self.policy.id().to_string(),
                id: id.to_string(),
                date: self.date,
            })
    }
}

/// Why a calculation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalcError {
    #[error("onbekende rekentool `{0}` (zie `zorginkoop calc --list`)")]
    Unknown(String),
    #[error("ongeldige invoer: {0}")]
    InvalidInput(String),
    #[error("beleid `{policy}` heeft op {date} geen waarde voor parameter `{id}`")]
    MissingParameter {
        policy: String,
        id: String,
        date: NaiveDate,
    },
    #[error("{0}")]
    Domain(String),
    /// Input fields that do not fit their description (each names the field and the value).
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Refused(Vec<crate::facts::FactError>),
    /// A result too large for an exact decimal; names the input that makes it so.
    #[error("invoer `{input}` is te groot: de uitkomst past niet in een exact decimaal getal")]
    Overflow { input: String },
    /// A parameter override that is refused (unknown, not an example value, or out of range).
    #[error(transparent)]
    Parameter(#[from] crate::overrides::OverrideError),
}

/// Checked decimal arithmetic: an overflow is a [`CalcError::Overflow`] naming `input`, the
/// input that made the number too large, never a panic.
pub trait Checked: Sized {
    fn mul_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError>;
    fn add_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError>;
    fn sub_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError>;
    fn div_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError>;
}

impl Checked for Decimal {
    fn mul_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError> {
        self.checked_mul(other).ok_or_else(|| overflow(input))
    }
    fn add_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError> {
        self.checked_add(other).ok_or_else(|| overflow(input))
    }
    fn sub_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError> {
        self.checked_sub(other).ok_or_else(|| overflow(input))
    }
    /// Division by zero is also reported against `input` (as too large a quotient).
    fn div_or(self, other: Decimal, input: &str) -> Result<Decimal, CalcError> {
        self.checked_div(other).ok_or_else(|| overflow(input))
    }
}

fn overflow(input: &str) -> CalcError {
    CalcError::Overflow {
        input: input.to_string(),
    }
}

/// One input or output field, for help texts and the portal's forms.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Field {
    pub name: &'static str,
    /// `decimal`, `integer`, `bool`, `text`, `date`, `list`, `object`
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub doc: &'static str,
    /// The parts of a `list` or `object`, for forms: an object's fields, the fields of each
    /// object in a list, or for a list of plain values one field with an empty name. Item
    /// types are the scalar ones plus `weekday` (`maandag`..`zondag`) and `time` (`HH:MM`),
    /// both sent as text. Empty for the scalar types.
    #[serde(skip_serializing_if = "<[Field]>::is_empty")]
    pub items: &'static [Field],
}

/// Shorthand for a [`Field`]; wrap lists in `const { &[...] }` so they are static.
pub const fn field(name: &'static str, ty: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        doc,
        items: &[],
    }
}

impl Field {
    /// The same field with the parts of its list or object (see [`Field::items`]).
    pub const fn with_items(self, items: &'static [Field]) -> Field {
        Field { items, ..self }
    }
}

/// A registered calculator.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Calculator {
    pub name: &'static str,
    /// What people call it, in Dutch: the title of its page.
    pub title: &'static str,
    pub summary: &'static str,
    /// The policy whose parameters it uses unless told otherwise.
    pub policy: &'static str,
    pub inputs: &'static [Field],
    pub outputs: &'static [Field],
    #[serde(skip)]
    pub run: fn(&CalcContext, serde_json::Value) -> Result<serde_json::Value, CalcError>,
}

impl Calculator {
    /// Checks the input against the field descriptions (see [`crate::facts::check_calc_input`]),
    /// then runs the calculator.
    pub fn call(
        &self,
        ctx: &CalcContext,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, CalcError> {
        crate::facts::check_calc_input(self.inputs, &input).map_err(CalcError::Refused)?;
        (self.run)(ctx, self.decimals_as_text(input))
    }

    /// Writes the numbers of decimal fields as exact decimal text (`1e27` as
    /// `1000000000000000000000000000`), which every decimal field reads, however large.
    fn decimals_as_text(&self, mut input: serde_json::Value) -> serde_json::Value {
        if let serde_json::Value::Object(map) = &mut input {
            for f in self.inputs.iter().filter(|f| f.ty == "decimal") {
                if let Some(v) = map.get_mut(f.name)
                    && v.is_number()
                    && let Some(d) = crate::facts::number(v)
                {
                    *v = serde_json::Value::String(d.to_string());
                }
            }
        }
        input
    }
}

static CALCULATORS: LazyLock<Vec<Calculator>> = LazyLock::new(|| {
    let mut all = Vec::new();
    all.extend(gp::calculators());
    all.extend(oi::calculators());
    all.extend(diagnostics::calculators());
    all.extend(nursing::calculators());
    all
});

/// Every calculator, by domain.
pub fn calculators() -> Vec<Calculator> {
    CALCULATORS.clone()
}

/// Finds a calculator by name.
pub fn find(name: &str) -> Result<Calculator, CalcError> {
    CALCULATORS
        .iter()
        .find(|c| c.name == name)
        .copied()
        .ok_or_else(|| CalcError::Unknown(name.to_string()))
}

/// Runs a calculator by name.
pub fn run(
    name: &str,
    ctx: &CalcContext,
    input: serde_json::Value,
) -> Result<serde_json::Value, CalcError> {
    find(name)?.call(ctx, input)
}

/// Adapts a typed calculator function to the JSON interface of [`Calculator::run`].
pub fn json<I: DeserializeOwned, O: Serialize>(
    ctx: &CalcContext,
    input: serde_json::Value,
    f: fn(&CalcContext, I) -> Result<O, CalcError>,
) -> Result<serde_json::Value, CalcError> {
    let input: I =
        serde_json::from_value(input).map_err(|e| CalcError::InvalidInput(e.to_string()))?;
    let out = f(ctx, input)?;
    serde_json::to_value(out)
        .map_err(|e| CalcError::Domain(format!("uitvoer kan niet worden geschreven: {e}")))
}

/// Rounds a euro amount to cents, half away from zero (the project's rounding convention).
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Checks a policy's references to calculators (tariff methods and derivations): the
/// calculator exists and has the named input and output fields.
pub fn check_references(policy: &Policy) -> Vec<zorginkoop_policy::ValidationError> {
    let mut errs = Vec::new();
    let mut err = |item: String, problem: String| {
        errs.push(zorginkoop_policy::ValidationError {
            file: policy.path.clone(),
            item,
            problem,
        })
    };
    for m in &policy.file.modules {
        if let Some(t) = &m.tariff
            && let Some(name) = &t.calculator
            && find(name).is_err()
        {
            err(
                format!("module `{}`, tarief", m.id),
                format!("onbekende rekentool `{name}`"),
            );
        }
        for d in &m.derive {
            let item = format!("module `{}`, afleiding `{}`", m.id, d.fact);
            match find(&d.calculator) {
                Err(_) => err(item, format!("onbekende rekentool `{}`", d.calculator)),
                Ok(c) => {
                    if !c.outputs.iter().any(|f| f.name == d.output) {
                        err(
                            item.clone(),
                            format!("rekentool `{}` heeft geen uitvoer `{}`", c.name, d.output),
                        );
                    }
                    for (input, fact) in &d.inputs {
                        match c.inputs.iter().find(|f| f.name == input) {
                            None => err(
                                item.clone(),
                                format!("rekentool `{}` heeft geen invoer `{input}`", c.name),
                            ),
                            Some(f) => {
                                if let Some(problem) = field_fits_fact(f, policy, fact) {
                                    err(item.clone(), problem);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    errs
}

/// Whether the declared type of the fact a derivation feeds into a calculator field fits that
/// field's type; the problem otherwise. Derived facts (declared by their derivation) are not
/// checked here.
fn field_fits_fact(f: &Field, policy: &Policy, fact: &str) -> Option<String> {
    use zorginkoop_policy::FactType as T;
    let decl = policy.fact(fact)?;
    let fits = match f.ty {
        "bool" => decl.ty == T::YesNo,
        "text" => matches!(decl.ty, T::Text),
        "decimal" | "integer" | "ratio" => decl.ty.is_numeric(),
        "list" => decl.ty == T::List,
        _ => true,
    };
    (!fits).then(|| {
        format!(
            "feit `{fact}` is gedeclareerd als {} maar voedt de {}-invoer `{}` van de rekentool",
            decl.ty.as_str(),
            f.ty,
            f.name
        )
    })
}

/// A policy shipped under `policies/`, for the calculators' tests.
#[cfg(test)]
pub(crate) fn shipped_policy(id: &str) -> Policy {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../policies")
        .join(format!("{id}.toml"));
    Policy::load(&path).unwrap_or_else(|e| panic!("{id} loads: {e}"))
}
