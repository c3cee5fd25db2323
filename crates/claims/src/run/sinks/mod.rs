//! Where a run's results go. The pipeline hands every decided line to each sink, in input order
//! and in batches (one input file at a time, then the lines held back for the revenue ceilings),
//! as [`ResultBatch`]es; a sink reads them as typed [`ClaimResult`]s or, where speed counts, as
//! the compact [`Row`]s behind them. The sinks of a run:
//!
//! * [`csv::CsvResults`] writes `results.csv`;
//! * [`parquet::ParquetResults`] writes `results.parquet` (schema in the crate's README);
//! * [`returns::ReturnMessages`] writes one AW320/HA305 return message per Vektis input file;
//! * [`summary::SummaryTallies`] keeps the tallies and file reports of `summary.json`/`summary.txt`.
//!
//! Every line reaches every sink exactly once, with its final decision.

pub mod csv;
pub mod parquet;
pub mod returns;
pub mod summary;

use super::{FileReport, RunError};
use crate::checker::{ReasonDef, ReturnCodes};
use crate::ident::Code;
use crate::row::Row;
use crate::vektis::Decision;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// A destination for a run's results.
pub trait ResultSink: Send {
    /// Takes one batch of decided lines (in input order across calls).
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError>;
    /// The run is over: write what is left and close.
    fn finish(&mut self) -> Result<(), RunError>;
}

/// What is the same for every batch of a run.
pub struct RunInfo<'a> {
    /// The input files as given on the command line (a row's `file` indexes these).
    pub inputs: &'a [PathBuf],
    /// The reasons a row's outcome points into ([`crate::checker::Checker::reasons`]).
    pub reasons: &'a [ReasonDef],
    /// The policies whose claim rules were applied: `id@version sha256:…`, `;`-separated.
    pub receipt: &'a str,
}

/// One input file, as it reaches the sinks with its lines.
pub struct InputFile<'a> {
    pub index: u32,
    /// The file's bytes (for the return message).
    pub bytes: &'a [u8],
    /// The Vektis standard the file was recognised as, if any.
    pub standard: Option<crate::vektis::Standard>,
    /// The parsed Vektis file (None for CSV and Parquet claim lines and unreadable files).
    pub parsed: Option<&'a crate::vektis::ClaimFile>,
    /// What the report says about the file (the return message's name included).
    pub report: &'a FileReport,
    /// Every row of the file in line order, those still waiting for the ceilings included
    /// (their decision can still change; see [`ResultBatch::rows`]).
    pub all_rows: &'a [Row],
}

/// Which part of the run a batch comes from.
pub enum Part<'a> {
    /// One input file: its lines not under a revenue ceiling.
    File(InputFile<'a>),
    /// Lines under a revenue ceiling, settled at the end of the run (from any files, in input
    /// order), with for each the granted amount before the ceiling was applied.
    Ceilings { granted_before: &'a [i64] },
}

/// A batch of decided lines.
pub struct ResultBatch<'a> {
    pub run: &'a RunInfo<'a>,
    pub part: Part<'a>,
    /// The decided rows (final).
    rows: &'a [Row],
    /// For a file batch: which rows are final (the others wait for the ceilings).
    held_back: Option<fn(&Row) -> bool>,
}

impl<'a> ResultBatch<'a> {
    pub(crate) fn file(
        run: &'a RunInfo<'a>,
        input: InputFile<'a>,
        held_back: fn(&Row) -> bool,
    ) -> Self {
        let rows = input.all_rows;
        ResultBatch {
            run,
            part: Part::File(input),
            rows,
            held_back: Some(held_back),
        }
    }

    pub(crate) fn ceilings(
        run: &'a RunInfo<'a>,
        rows: &'a [Row],
        granted_before: &'a [i64],
    ) -> Self {
        ResultBatch {
            run,
            part: Part::Ceilings { granted_before },
            rows,
            held_back: None,
        }
    }

    /// The decided rows of the batch, in input order.
    pub fn rows(&self) -> impl Iterator<Item = &'a Row> + '_ {
        let held_back = self.held_back;
        self.rows
            .iter()
            .filter(move |r| held_back.is_none_or(|h| !h(r)))
    }

    /// The decided lines of the batch as typed results, in input order.
    pub fn results(&self) -> impl Iterator<Item = ClaimResult<'a>> + '_ {
        let run = self.run;
        self.rows().map(move |row| ClaimResult::of(run, row))
    }
}

/// The result of one claim line, typed.
#[derive(Debug, Clone)]
pub struct ClaimResult<'a> {
    /// The input file as given on the command line.
    pub file: &'a Path,
    /// The line (Vektis record, CSV line) or row (Parquet) in its file, from 1.
    pub line: u32,
    /// The record's own id (Vektis IDENTIFICATIE DETAILRECORD; the line for CSV and Parquet).
    pub record_id: u64,
    /// The provider's AGB code: 8 digits, leading zeros kept (`00000000` when unreadable).
    pub provider_agb: String,
    /// The insured's BSN: 9 digits, leading zeros kept (`000000000` when unreadable).
    pub bsn: String,
    /// The prestatie code, as written (leading zeros kept).
    pub prestatie: Option<Code>,
    /// The start date of the service.
    pub service_date: Option<NaiveDate>,
    pub claimed_cents: i64,
    pub granted_cents: i64,
    pub decision: Decision,
    /// Up to three return codes, as in the return message.
    pub return_codes: ReturnCodes,
    /// Our reason codes (e.g. `ZK-DUPLICATE`), in the order found.
    pub reason_codes: Vec<&'a str>,
    /// The policies whose rules were applied (see [`RunInfo::receipt`]).
    pub policy_receipt: &'a str,
}

impl<'a> ClaimResult<'a> {
    pub fn of(run: &'a RunInfo<'a>, row: &Row) -> ClaimResult<'a> {
        let o = &row.outcome;
        ClaimResult {
            file: &run.inputs[row.file as usize],
            line: row.line,
            record_id: row.record_id,
            provider_agb: format!("{:08}", row.provider),
            bsn: format!("{:09}", row.bsn),
            prestatie: row.code,
            service_date: row.date,
            claimed_cents: row.claimed,
            granted_cents: o.granted,
            decision: o.decision,
            return_codes: o.return_codes(),
            reason_codes: o
                .reasons()
                .iter()
                .map(|r| run.reasons[r.reason as usize].code.as_str())
                .collect(),
            policy_receipt: run.receipt,
        }
    }
}
