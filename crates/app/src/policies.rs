//! Finding, loading, listing, validating and comparing the policy files.
//!
//! Where the policies are: an explicit folder, else `$ZORGINKOOP_POLICIES`, else `./policies`,
//! else the repository's `policies/` (for a binary run from a checkout).

use crate::AppError;
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};
use zorginkoop_policy::{Policy, PolicyDiff, PolicySet};

/// The folder the policies are read from.
pub fn policy_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(d) = explicit {
        return d.to_path_buf();
    }
    if let Some(d) = std::env::var_os("ZORGINKOOP_POLICIES") {
        return PathBuf::from(d);
    }
    let local = PathBuf::from("policies");
    if local.join("README.md").exists() || local.join("texts").exists() {
        return local;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies"))
}

/// Loads every policy of `dir`; all problems are reported at once.
pub fn load(dir: &Path) -> Result<PolicySet, AppError> {
    PolicySet::load_dir(dir).map_err(|errors| AppError::PolicyLoad {
        dir: dir.to_path_buf(),
        problems: errors.iter().map(|e| e.to_string()).collect(),
    })
}

/// Finds a policy by id in `set`.
pub fn find<'a>(set: &'a PolicySet, id: &str) -> Result<&'a Policy, AppError> {
    set.get(id).ok_or_else(|| AppError::UnknownPolicy {
        id: id.to_string(),
        known: set.policies.iter().map(|p| p.id().to_string()).collect(),
    })
}

/// A policy by id from the folder `dir`, or the policy file itself when `id_or_path` is a path
/// to a `.toml` file (to try a draft policy before it is published).
pub fn open(dir: &Path, id_or_path: &str) -> Result<Policy, AppError> {
    let p = Path::new(id_or_path);
    if id_or_path.ends_with(".toml") && p.exists() {
        return Policy::load(p).map_err(|e| AppError::PolicyLoad {
            dir: p.to_path_buf(),
            problems: vec![e.to_string()],
        });
    }
    let set = load(dir)?;
    find(&set, id_or_path).cloned()
}

/// One line of the policy list.
#[derive(Debug, Clone, Serialize)]
pub struct PolicySummary {
    pub id: String,
    pub title: String,
    pub version: String,
    pub domain: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub document: String,
    pub modules: usize,
    pub sha256: String,
}

/// The policies of a set, in the set's order.
pub fn list(set: &PolicySet) -> Vec<PolicySummary> {
    set.policies
        .iter()
        .map(|p| {
            let m = &p.file.policy;
            PolicySummary {
                id: p.id().to_string(),
                title: m.title.clone(),
                version: m.version.clone(),
                domain: m.domain.clone(),
                period_start: m.period_start,
                period_end: m.period_end,
                document: m.document.clone(),
                modules: p.file.modules.len(),
                sha256: p.sha256.clone(),
            }
        })
        .collect()
}

/// The outcome of validating every policy: structure and references (checked on load),
/// calculator references, and every quote found in its document.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub policies: usize,
    /// Items that carry a source (document, section, quote).
    pub sourced_rules: usize,
    /// Source documents found (0: quotes could not be checked).
    pub documents: usize,
    /// Every problem, one per line, naming file and item.
    pub problems: Vec<String>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Validates a loaded set.
pub fn validate(set: &PolicySet) -> Validation {
    let mut problems: Vec<String> = set
        .validate_quotes()
        .iter()
        .map(|e| e.to_string())
        .collect();
    for p in &set.policies {
        problems.extend(
            zorginkoop_engine::calc::check_references(p)
                .iter()
                .map(|e| e.to_string()),
        );
    }
    Validation {
        policies: set.policies.len(),
        sourced_rules: set.policies.iter().map(|p| p.sources().len()).sum(),
        documents: set.texts.len(),
        problems,
    }
}

/// What changed between two policies (or two versions of one).
pub fn diff(old: &Policy, new: &Policy) -> PolicyDiff {
    zorginkoop_policy::diff(old, new)
}
