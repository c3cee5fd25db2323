//! The calculators (rekentools): list them, run one with the parameters of its policy on a
//! reference date, and return the output with its receipt.

use crate::{AppError, policies};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use zorginkoop_engine::Receipt;
use zorginkoop_engine::calc::{self, CalcContext, CalcError, Calculator};
use zorginkoop_engine::overrides;
use zorginkoop_policy::Policy;

/// Every calculator with its inputs and outputs.
pub fn list() -> Vec<Calculator> {
    calc::calculators()
}

/// What a front end asks of a calculator.
#[derive(Debug, Clone)]
pub struct CalcRequest<'a> {
    pub name: &'a str,
    pub input: serde_json::Value,
    /// Policy whose parameters are used (default: the calculator's own policy).
    pub policy: Option<&'a str>,
    /// Reference date for the parameters (default: the policy's period start).
    pub date: Option<NaiveDate>,
    /// Parameter overrides (`id` to a decimal as text or number): only parameters with an
    /// example value; the receipt records them.
    pub parameters: BTreeMap<String, serde_json::Value>,
}

/// A calculator's answer: its output and the receipt (which policy, which date).
#[derive(Debug, Clone, Serialize)]
pub struct CalcResult {
    pub calculator: String,
    pub output: serde_json::Value,
    pub receipt: Receipt,
}

/// Runs a calculator with a policy from `source` (or a policy file).
pub fn run_from(source: &policies::Source, req: CalcRequest) -> Result<CalcResult, AppError> {
    let calculator = find(req.name)?;
    let policy = source.open(req.policy.unwrap_or(calculator.policy))?;
    run_with(&policy, req)
}

/// Runs a calculator with a policy from the folder `dir` (or a policy file).
pub fn run_in(dir: &Path, req: CalcRequest) -> Result<CalcResult, AppError> {
    run_from(&policies::Source::Dir(dir.to_path_buf()), req)
}

/// Runs a calculator with the given policy's parameters; the input is checked against the
/// calculator's field descriptions first (unknown fields, negative or fractional counts,
/// numbers too large are refused naming the field), and an overflow is an error, not a panic.
pub fn run_with(policy: &Policy, req: CalcRequest) -> Result<CalcResult, AppError> {
    let calculator = find(req.name)?;
    let date = req.date.unwrap_or(policy.file.policy.period_start);
    let overrides =
        overrides::check(policy, &req.parameters, date).map_err(|e| AppError::Calc {
            name: req.name.to_string(),
            error: CalcError::Parameter(e),
        })?;
    let ctx = CalcContext::new(policy, date).with_overrides(&overrides);
    let output = calculator
        .call(&ctx, req.input)
        .map_err(|error| AppError::Calc {
            name: req.name.to_string(),
            error,
        })?;
    Ok(CalcResult {
        calculator: calculator.name.to_string(),
        output,
        receipt: Receipt::new(policy, date).with_overrides(&overrides),
    })
}

/// The calculator called `name`.
pub fn find(name: &str) -> Result<Calculator, AppError> {
    calc::find(name).map_err(|error| AppError::Calc {
        name: name.to_string(),
        error,
    })
}
