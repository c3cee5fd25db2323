//! # zorginkoop-policy
//!
//! The policy model: one typed [`Policy`] per purchasing policy document, loaded from a TOML
//! file under `policies/` and validated on load. Validation errors name the file, the item and
//! the problem. This crate does no I/O beyond reading the files it is asked to read; the
//! decisions themselves live in `zorginkoop-engine`.

mod check;
mod compile;
mod diff;
pub mod dutch;
pub mod facts;
mod load;
pub mod model;
mod table;

pub use check::{Check, FactValue, Operand};
pub use compile::{
    Compiled, CompiledDerivation, CompiledModule, CompiledQuestion, CompiledRequirement,
    CompiledRule, FastHash, FxHasher, RuleRef, StepKind, StepRule,
};
pub use diff::{Change, PolicyDiff, diff};
pub use facts::{FactDecl, FactType};
pub use load::{
    CLAIM_RULE_PARAMS, LoadError, Policy, PolicySet, ValidationError, claim_rule_params,
    normalize_whitespace, unit_range_problem,
};
pub use model::*;
pub use table::{Bound, Cell, Column, Row, Table, TableValue, typed_value};
