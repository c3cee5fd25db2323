//! The product on its embedded default: a SQLite database with the demo contracts, a decision
//! for every example provider (kept in the database's audit trail with receipt and trace), and
//! what is due next in every policy's timeline.

use crate::contracts::{Seeded, seed_demo};
use crate::{AppError, decisions, timelines};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zorginkoop_engine::Decision;
use zorginkoop_policy::PolicySet;
use zorginkoop_store::Store;

/// The example case files: an explicit folder, else `./examples`, else the repository's.
pub fn examples_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(d) = explicit {
        return d.to_path_buf();
    }
    let local = PathBuf::from("examples");
    if local.is_dir() {
        local
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))
    }
}

/// What the demo is asked to do.
#[derive(Debug, Clone)]
pub struct DemoRequest {
    pub db: PathBuf,
    pub examples: PathBuf,
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

    let mut files: Vec<PathBuf> = std::fs::read_dir(&req.examples)
        .map_err(AppError::io(&req.examples))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut decided = Vec::new();
    let mut skipped = Vec::new();
    for file in files {
        let case = decisions::read_case(&file)?;
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
