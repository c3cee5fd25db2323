//! The product on its embedded default: a SQLite database with the demo contracts, a decision
//! for every example provider (kept in the database's audit trail with receipt and trace), and
//! what is due next in every policy's timeline.
//!
//! The example cases come from a folder, else `./examples`, else the ones built into the binary
//! (the repository's `examples/*.json` when it was compiled).

use crate::contracts::{Seeded, seed_demo};
use crate::{AppError, decisions, embedded, timelines};
use chrono::NaiveDate;
use std::fmt;
use std::path::{Path, PathBuf};
use zorginkoop_engine::{Case, Decision};
use zorginkoop_policy::PolicySet;
use zorginkoop_store::Store;

/// Where the example case files are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Examples {
    /// The `*.json` files of a folder.
    Dir(PathBuf),
    /// The examples built into the binary ([`embedded_examples`]).
    Embedded,
}

impl From<PathBuf> for Examples {
    fn from(dir: PathBuf) -> Examples {
        Examples::Dir(dir)
    }
}

impl fmt::Display for Examples {
    /// The folder, or `(ingebouwd)` for the embedded examples.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Examples::Dir(d) => write!(f, "{}", d.display()),
            Examples::Embedded => f.write_str(embedded::LABEL),
        }
    }
}

/// The example case files: an explicit folder, else `./examples`, else the embedded ones.
pub fn examples(explicit: Option<&Path>) -> Examples {
    if let Some(d) = explicit {
        return Examples::Dir(d.to_path_buf());
    }
    let local = PathBuf::from("examples");
    if local.is_dir() {
        Examples::Dir(local)
    } else {
        Examples::Embedded
    }
}

/// The example case folder: an explicit folder, else `./examples`. Only folders: [`examples`]
/// also falls back to the embedded examples.
pub fn examples_dir(explicit: Option<&Path>) -> PathBuf {
    match examples(explicit) {
        Examples::Dir(d) => d,
        Examples::Embedded => PathBuf::from("examples"),
    }
}

/// The example cases built into the binary as `(file name, JSON text)`, sorted by name.
pub fn embedded_examples() -> &'static [(&'static str, &'static str)] {
    embedded::EXAMPLES
}

/// The example cases of `examples`, sorted by file name, each with the name messages use
/// (its path, or `(ingebouwd) <file>`).
pub fn read_examples(examples: &Examples) -> Result<Vec<(PathBuf, Case)>, AppError> {
    match examples {
        Examples::Dir(dir) => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(AppError::io(dir))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            files
                .into_iter()
                .map(|f| decisions::read_case(&f).map(|case| (f, case)))
                .collect()
        }
        Examples::Embedded => embedded::EXAMPLES
            .iter()
            .map(|(name, text)| {
                let label = PathBuf::from(embedded::label(name));
                let value = decisions::parse_document(&label, text)?;
                let case = decisions::parse_case(&label.display().to_string(), value)?;
                Ok((label, case))
            })
            .collect(),
    }
}

/// What the demo is asked to do.
#[derive(Debug, Clone)]
pub struct DemoRequest {
    pub db: PathBuf,
    /// The example cases (a folder converts with `.into()`).
    pub examples: Examples,
    /// Reference date for the timelines (default: each policy's period start).
    pub date: Option<NaiveDate>,
    /// The moment of the decisions (RFC 3339), for the audit trail.
    pub decided_at: String,
}

/// An example case and its decision.
#[derive(Debug, Clone)]
pub struct ExampleDecision {
    pub file: PathBuf,
    pub decision: Decision,
}

/// What is due next in one policy's timeline.
#[derive(Debug, Clone)]
pub struct NextDue {
    pub policy: String,
    pub date: NaiveDate,
    /// The milestone's date and label, or None when nothing is due any more.
    pub due: Option<(NaiveDate, String)>,
}

/// What the demo did.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub seeded: Seeded,
    pub contracts: usize,
    pub decisions: Vec<ExampleDecision>,
    /// Example files whose policy is not among the loaded policies.
    pub skipped: Vec<PathBuf>,
    pub timelines: Vec<NextDue>,
    /// Decisions in the audit trail per outcome.
    pub decision_counts: Vec<(String, i64)>,
}

/// Runs the demo on the database `req.db` (created when new).
pub fn run(set: &PolicySet, req: &DemoRequest) -> Result<DemoReport, AppError> {
    let db = req.db.as_path();
    let mut store = Store::open(db).map_err(AppError::store(db))?;
    let seeded = seed_demo(&mut store, db)?;
    let contracts = store.contracts().map_err(AppError::store(db))?.len();

    let mut decided = Vec::new();
    let mut skipped = Vec::new();
    for (file, case) in read_examples(&req.examples)? {
        let Some(policy) = case.policy.as_deref().and_then(|id| set.get(id)) else {
            skipped.push(file);
            continue;
        };
        let name = file.display().to_string();
        let request = decisions::DecideRequest {
            name: &name,
            case: &case,
            policy: None,
            date: None,
            today: policy.file.policy.period_start,
        };
        let decision = decisions::decide_with(policy, &request)?;
        decisions::record(&mut store, db, &decision, &req.decided_at)?;
        decided.push(ExampleDecision { file, decision });
    }

    let timelines = set
        .policies
        .iter()
        .map(|p| {
            let date = req.date.unwrap_or(p.file.policy.period_start);
            let t = timelines::timeline(p, date);
            NextDue {
                policy: p.id().to_string(),
                date,
                due: t.next_due.map(|d| (d.date, d.milestone.label.clone())),
            }
        })
        .collect();
    let decision_counts = store.decision_counts().map_err(AppError::store(db))?;
    Ok(DemoReport {
        seeded,
        contracts,
        decisions: decided,
        skipped,
        timelines,
        decision_counts,
    })
}
