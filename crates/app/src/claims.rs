//! Checking claim files, and writing synthetic ones.
//!
//! A check loads the claim rules of every policy, the context (contracts, care-chain
//! enrolments, insured register) and runs the claims checker over the files in the order given.

use crate::AppError;
use crate::policies::Source;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::context::Context;
use zorginkoop_claims::generate::Generated;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::run::RunOptions;
pub use zorginkoop_claims::run::{HistoryReport, Summary, summary_head, summary_text};

/// The claim rules of every policy of `source`.
pub fn rules_from(source: &Source) -> Result<RuleSet, AppError> {
    let set = source.load()?;
    RuleSet::from_policies(&set).map_err(|e| AppError::ClaimRules(e.to_string()))
}

/// The claim rules of every policy in `dir`.
pub fn rules(dir: &Path) -> Result<RuleSet, AppError> {
    rules_from(&Source::Dir(dir.to_path_buf()))
}

/// What a front end asks of a claims check.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// Claim files, in the order they were received.
    pub files: Vec<PathBuf>,
    /// Folder with contracts.csv, chains.csv and insured.csv.
    pub context: PathBuf,
    /// Output folder (created when missing).
    pub out: PathBuf,
    /// The claims history for duplicates and once-per-period rules (None: judge these files
    /// on their own). Changed only when the check succeeds, together with the outputs.
    pub history: Option<PathBuf>,
    /// When another check holds the history or the output folder: wait for it (else the
    /// check is refused with a message naming the lock).
    pub wait: bool,
    /// Date of the return messages.
    pub date: NaiveDate,
    pub progress: bool,
    /// Also write `results.parquet` (the typed result rows) next to `results.csv`.
    pub parquet: bool,
}

/// Checks claim files with the claim rules of the policies in `policy_dir`.
pub fn check(policy_dir: &Path, req: CheckRequest) -> Result<Summary, AppError> {
    check_from(&Source::Dir(policy_dir.to_path_buf()), req)
}

/// Checks claim files with the claim rules of the policies of `source`.
pub fn check_from(source: &Source, req: CheckRequest) -> Result<Summary, AppError> {
    for f in &req.files {
        if !f.exists() {
            return Err(AppError::Io {
                path: f.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "bestand bestaat niet"),
            });
        }
    }
    let rules = rules_from(source)?;
    let ctx = Context::load_dir(&req.context).map_err(|error| AppError::ClaimsContext {
        dir: req.context.clone(),
        error,
    })?;
    let checker = Checker::new(rules, ctx);
    let opts = RunOptions {
        inputs: req.files,
        out_dir: req.out,
        history: req.history,
        wait: req.wait,
        date: req.date,
        progress: req.progress,
        parquet: req.parquet,
    };
    zorginkoop_claims::run::run(&checker, &opts).map_err(|e| AppError::ClaimsRun(e.to_string()))
}

/// Writes `lines` reproducible synthetic claim lines (`<out>/claims`) and their context
/// (`<out>/context`) from the claim rules of the policies in `policy_dir`.
pub fn generate(
    policy_dir: &Path,
    lines: u64,
    seed: u64,
    out: &Path,
) -> Result<Generated, AppError> {
    generate_from(&Source::Dir(policy_dir.to_path_buf()), lines, seed, out)
}

/// Writes `lines` reproducible synthetic claim lines (`<out>/claims`) and their context
/// (`<out>/context`) from the claim rules of the policies of `source`.
pub fn generate_from(
    source: &Source,
    lines: u64,
    seed: u64,
    out: &Path,
) -> Result<Generated, AppError> {
    let rules = rules_from(source)?;
    zorginkoop_claims::generate::generate(&rules, lines, seed, out).map_err(AppError::io(out))
}
