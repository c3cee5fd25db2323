//! # zorginkoop-engine
//!
//! Decisions, traces, calculators and calendar rules: pure functions over the policy model.
//! No clock, no files, no database: the reference date and every fact come in as arguments.
//!
//! * [`decide`] answers, per module, eligible / not eligible / needs information / needs
//!   individual review, with a trace ([`TraceStep`]s with typed [`Input`]s) citing the policy
//!   passage of every step and a [`Receipt`]. The JSON shape of a [`Decision`] is versioned
//!   ([`DECISION_SCHEMA`]) and documented field by field in `crates/engine/DECISION-JSON.md`
//!   (included below).
//! * [`explain`] renders a decision in Dutch for people (CLI and portal alike).
//! * [`table`] evaluates the policies' decision tables.
//! * [`calc`] holds the calculators (rekentools) in exact decimals.
//! * [`overrides`] checks per-request parameter overrides (example values only).
//! * [`calendar`] computes start dates, request deadlines and the contracting timeline.
//! * [`workdays`] counts working days (Dutch public holidays) for terms such as "5 werkdagen".

pub mod calc;
pub mod calendar;
mod decide;
pub mod explain;
pub mod facts;
pub mod overrides;
mod receipt;
pub mod scenario;
pub mod table;
mod trace;
pub mod workdays;

pub use decide::*;
pub use receipt::Receipt;
pub use trace::*;

#[doc = include_str!("../DECISION-JSON.md")]
pub mod decision_json {}

/// The engine's version, recorded in every receipt.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
