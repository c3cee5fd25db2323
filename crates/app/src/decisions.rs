//! Deciding a case, and recording the decision with its receipt and trace.
//!
//! Which policy: the one the front end names, else the case's own `policy`. Which reference
//! date: the one the front end names, else the case's request date, else today (the front end
//! passes today: this crate has no clock).

use crate::{AppError, policies};
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;
use zorginkoop_engine::{Case, Decision};
use zorginkoop_policy::{Policy, PolicySet};
use zorginkoop_store::{DecisionRow, Store};

/// Reads a case from its JSON form; `name` names it in errors (a file name, "formulier").
pub fn parse_case(name: &str, value: serde_json::Value) -> Result<Case, AppError> {
    parse_case_in(name, &value)
}

/// [`parse_case`] of a JSON value the caller keeps (an API answer gives the situation back).
pub fn parse_case_in(name: &str, value: &serde_json::Value) -> Result<Case, AppError> {
    Case::deserialize(value).map_err(|e| AppError::BadCase {
        case: name.to_string(),
        problem: e.to_string(),
    })
}

/// What a front end asks: a case, and optionally the policy and reference date to use.
#[derive(Debug, Clone)]
pub struct DecideRequest<'a> {
    /// Names the case in errors (file name, form).
    pub name: &'a str,
    pub case: &'a Case,
    /// Policy id, or a path to a policy file; wins over the case's `policy`.
    pub policy: Option<&'a str>,
    /// Reference date; default the case's request date, else `today`.
    pub date: Option<NaiveDate>,
    pub today: NaiveDate,
}

impl DecideRequest<'_> {
    /// The policy id (or file) this request is decided under.
    pub fn policy_id(&self) -> Result<&str, AppError> {
        self.policy
            .or(self.case.policy.as_deref())
            .ok_or_else(|| AppError::NoPolicy {
                case: self.name.to_string(),
            })
    }

    /// The reference date: the one asked for, else the request date, else today.
    pub fn reference_date(&self) -> NaiveDate {
        self.date.or(self.case.request_date).unwrap_or(self.today)
    }
}

/// Decides a request under a policy from `source` (or a policy file).
pub fn decide_from(source: &policies::Source, req: &DecideRequest) -> Result<Decision, AppError> {
    let policy = source.open(req.policy_id()?)?;
    decide_with(&policy, req)
}

/// Decides a request under a policy from the folder `dir` (or a policy file).
pub fn decide_in(dir: &Path, req: &DecideRequest) -> Result<Decision, AppError> {
    decide_from(&policies::Source::Dir(dir.to_path_buf()), req)
}

/// Decides a request under a policy from a loaded set.
pub fn decide_in_set(set: &PolicySet, req: &DecideRequest) -> Result<Decision, AppError> {
    let policy = policies::find(set, req.policy_id()?)?;
    decide_with(policy, req)
}

/// Decides a request under the given policy. The case is checked against the policy's fact
/// declarations first and refused, listing every problem, when a fact or module name is
/// unknown or a value does not fit its type and range. A case written for another policy
/// (its `policy` names a different one) is a what-if: facts and contracted modules this
/// policy does not know are left out instead of refused.
pub fn decide_with(policy: &Policy, req: &DecideRequest) -> Result<Decision, AppError> {
    let written_for_other = req
        .case
        .policy
        .as_deref()
        .is_some_and(|own| own != policy.id());
    let checked = if written_for_other {
        zorginkoop_engine::facts::check_known_facts(policy, req.case)
    } else {
        zorginkoop_engine::facts::check_facts(policy, req.case)
    };
    checked.map_err(|problems| AppError::CaseRefused {
        case: req.name.to_string(),
        problems,
    })?;
    zorginkoop_engine::decide(policy, req.case, req.reference_date()).map_err(|error| {
        AppError::Decide {
            case: req.name.to_string(),
            error,
        }
    })
}

/// Records every module decision with its receipt and trace in the store's append-only
/// decisions table; `decided_at` is the moment (RFC 3339) the front end decided it.
pub fn record(
    store: &mut Store,
    db: &Path,
    decision: &Decision,
    decided_at: &str,
) -> Result<usize, AppError> {
    let rows = audit_rows(decision, decided_at)?;
    store.record_decisions(&rows).map_err(AppError::store(db))
}

/// One audit row per module decision.
pub fn audit_rows(d: &Decision, decided_at: &str) -> Result<Vec<DecisionRow>, AppError> {
    let r = &d.receipt;
    d.modules
        .iter()
        .map(|m| {
            let outcome = serde_json::to_value(m.outcome)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let trace_json = serde_json::to_string(&m.steps)
                .map_err(|e| AppError::BadRecord(format!("trace van {}: {e}", m.module)))?;
            Ok(DecisionRow {
                decided_at: decided_at.to_string(),
                provider_name: d.provider.name.clone(),
                provider_agb: d.provider.agb.clone(),
                provider_kind: d.provider.kind.as_str().to_string(),
                policy_id: r.policy_id.clone(),
                policy_version: r.policy_version.clone(),
                policy_sha256: r.policy_sha256.clone(),
                engine_version: r.engine_version.clone(),
                reference_date: r.reference_date.to_string(),
                module: m.module.to_string(),
                outcome,
                earliest_start: m.earliest_start.map(|s| s.to_string()),
                trace_json,
            })
        })
        .collect()
}

/// Reads a JSON or TOML document (a case, a calculator input) from `path`, or from standard
/// input when `path` is `-`.
pub fn read_document(path: &Path) -> Result<serde_json::Value, AppError> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(AppError::io("standaardinvoer"))?
    } else {
        std::fs::read_to_string(path).map_err(AppError::io(path))?
    };
    parse_document(path, &text)
}

/// Parses a JSON or TOML document (TOML when `path` ends in `.toml`).
pub fn parse_document(path: &Path, text: &str) -> Result<serde_json::Value, AppError> {
    let name = path.display().to_string();
    if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(text).map_err(|e| AppError::BadDocument {
            name,
            problem: format!("ongeldige TOML: {e}"),
        })
    } else {
        serde_json::from_str(text).map_err(|e| AppError::BadDocument {
            name: format!("{name}:{}:{}", e.line(), e.column()),
            problem: format!("ongeldige JSON: {e}"),
        })
    }
}

/// Reads and parses a case file.
pub fn read_case(path: &Path) -> Result<Case, AppError> {
    parse_case(&path.display().to_string(), read_document(path)?)
}
