//! The checker's result for one claim line, as the readers (Vektis files, CSV and Parquet claim
//! lines) produce it and the run passes it on to its sinks: a compact, copyable record (codes as
//! numbers, reasons as indexes into [`crate::checker::Checker::reasons`]). Its typed, readable
//! form is [`crate::run::ClaimResult`].
//!
//! This module sits below both the readers ([`crate::tabular`], [`crate::columnar`]) and the run
//! ([`crate::run`]), so that the run depends on the readers and not the other way round.

use crate::checker::Outcome;
use crate::ident::Code;
use chrono::NaiveDate;

/// One result row: where the line is, what it claims and what was decided.
#[derive(Debug, Clone)]
pub struct Row {
    /// Index of the input file in the run.
    pub file: u32,
    /// Line (Vektis record, CSV line) or row (Parquet, 1-based) in the input file.
    pub line: u32,
    pub record_id: u64,
    /// Provider AGB code (0 when unreadable).
    pub provider: u32,
    /// BSN of the insured (0 when unreadable).
    pub bsn: u32,
    pub code: Option<Code>,
    /// Start date of the service.
    pub date: Option<NaiveDate>,
    /// Claimed amount in signed cents.
    pub claimed: i64,
    pub outcome: Outcome,
}
