//! A checking run over many files, as a pipeline of three stages that keeps both cores busy
//! ([`pipeline`]):
//!
//! 1. read each file and evaluate the stateless rules, files and lines in parallel (`load.rs`);
//! 2. apply the order-dependent rules (duplicates, once per period) in input order;
//! 3. hand the decided lines, file by file and in input order, to the sinks ([`sinks`]):
//!    `results.csv`, `results.parquet`, the return messages and the summary.
//!
//! Lines under a revenue ceiling wait in a spill file (`spill.rs`); at the end the ceilings are
//! settled and those lines go to the sinks too (the return messages are patched in place), and
//! the sinks finish (`summary.json`, `summary.txt`, ...).
//!
//! A run is all or nothing ([`commit`]): the outputs are written into a staging folder, the
//! claims history ([`RunOptions::history`]) is replaced atomically, then the outputs are
//! published; runs on one history or output folder are serialised by locks.
//!
//! Memory: at most a few batches of files are in flight between the stages. What grows with
//! the run is the duplicate set (8 bytes per distinct line, in a hash set) and 32 bytes per line
//! under a revenue ceiling (the rows themselves wait in the spill file in the output directory);
//! the context (contracts, enrolments, insured register) is held whole.

pub mod commit;
pub mod history;
pub(crate) mod load;
pub mod pipeline;
pub mod sinks;
pub(crate) mod spill;

pub use crate::row::Row;
pub use commit::{RUN_MARKER, run, run_with_sinks};
pub use sinks::summary::{summary_head, summary_text};
pub use sinks::{ClaimResult, InputFile, Part, ResultBatch, ResultSink, RunInfo};

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    /// The claims history: what earlier runs granted, for duplicates and once-per-period rules
    /// across runs (None: these files are judged on their own). Changed only when the run
    /// succeeds, together with the outputs (see [`commit`]).
    pub history: Option<PathBuf>,
    /// When another run holds the history or the output folder: wait for it (else refuse).
    pub wait: bool,
    /// Date written in the return messages.
    pub date: NaiveDate,
    pub progress: bool,
    /// Write `results.parquet` next to `results.csv`.
    pub parquet: bool,
}

/// A run failed as a whole (I/O on the output, for instance).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{path}: lezen of schrijven mislukt: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Another run holds the lock of the history or the output folder.
    #[error("{what} is in gebruik door een andere run (slot {}); probeer het later opnieuw, of wacht erop met --wait", lock.display())]
    Busy { what: String, lock: PathBuf },
    /// The history file cannot be used.
    #[error("claimgeschiedenis {}: {message}", path.display())]
    History { path: PathBuf, message: String },
    /// The output folder cannot be used.
    #[error("uitvoermap {}: {message}", path.display())]
    Out { path: PathBuf, message: String },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What happened to one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub standard: String,
    pub lines: u64,
    /// `accepted` or `rejected` (file level, return code 0001).
    pub status: String,
    pub error: Option<String>,
    pub return_message: Option<String>,
    /// Faults in single records (with line numbers).
    pub record_faults: Vec<String>,
}

/// Totals per provider and reason.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Tally {
    pub lines: u64,
    /// Sums in i128: no number of lines of i64 amounts can overflow them.
    pub claimed_cents: i128,
    pub granted_cents: i128,
}

impl Tally {
    pub(crate) fn add(&mut self, claimed: i64, granted: i64) {
        self.lines += 1;
        self.claimed_cents += i128::from(claimed);
        self.granted_cents += i128::from(granted);
    }
}

/// Serialises a map keyed by AGB code with the codes as 8 digits.
fn agb_keys<S: serde::Serializer>(
    m: &BTreeMap<u32, BTreeMap<String, Tally>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().map(|(k, v)| (format!("{k:08}"), v)))
}

/// The summary of a run.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: Vec<FileReport>,
    pub total: Tally,
    pub by_decision: BTreeMap<String, Tally>,
    /// Reason code → tally (a line with several reasons counts under each).
    pub by_reason: BTreeMap<String, Tally>,
    /// Provider AGB → (reason code or `-` for lines without a reason) → tally. In
    /// `summary.json` the AGB code is written as 8 digits (leading zeros kept).
    #[serde(serialize_with = "agb_keys")]
    pub by_provider: BTreeMap<u32, BTreeMap<String, Tally>>,
    /// The claims history of the run (not in `summary.json`: the outputs do not depend on
    /// where the history is kept).
    #[serde(skip)]
    pub history: Option<HistoryReport>,
}

/// What a run did with its claims history.
#[derive(Debug, Clone)]
pub struct HistoryReport {
    pub path: PathBuf,
    /// Keys (duplicate and once-per-period) the run was judged against.
    pub keys_before: u64,
    /// Keys the run added.
    pub keys_added: u64,
    /// The run repeated the history's last run (same files, output folder and date): it was
    /// judged against the history before that run, and replaced it.
    pub repeat: bool,
}
