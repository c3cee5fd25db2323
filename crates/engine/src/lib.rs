//! # zorginkoop-engine
//!
//! Decisions, traces, calculators and calendar rules: pure functions over the policy model.
//! No clock, no files, no database: the reference date and every fact come in as arguments.
//!
//! * [`decide`] answers, per module, eligible / not eligible / needs information / needs
//!   individual review, with a [`Trace`](TraceStep) citing the policy passage of every step
//!   and a [`Receipt`].
//! * [`calc`] holds the calculators (rekentools) in exact decimals.
//! * [`calendar`] computes start dates, request deadlines and the contracting timeline.

pub mod calc;
pub mod calendar;
mod decide;
pub mod facts;
pub mod scenario;

pub use decide::*;

/// The engine's version, recorded in every receipt.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
