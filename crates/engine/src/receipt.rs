//! The receipt: the provenance of every result (which policy exactly, which engine, which
//! reference date), so that a decision or calculation can be reproduced and audited.

use crate::overrides::{Override, Overrides};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zorginkoop_policy::Policy;

/// Provenance of a result: which policy (exactly) and which engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub policy_id: String,
    pub policy_version: String,
    /// SHA-256 of the policy file's bytes, lower-case hex.
    pub policy_sha256: String,
    pub engine_version: String,
    /// The reference date (peildatum) of the result.
    pub reference_date: NaiveDate,
    /// The date on which the policy's parameters were read: the reference date, but not before
    /// the contract period starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_date: Option<NaiveDate>,
    /// Parameters whose (example) value the request replaced, with the policy's own value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

impl Receipt {
    pub fn new(policy: &Policy, date: NaiveDate) -> Receipt {
        Receipt {
            policy_id: policy.id().to_string(),
            policy_version: policy.file.policy.version.clone(),
            policy_sha256: policy.sha256.clone(),
            engine_version: crate::ENGINE_VERSION.to_string(),
            reference_date: date,
            parameter_date: None,
            overrides: Vec::new(),
        }
    }

    /// The receipt of a decision: parameters read on `parameter_date`.
    pub fn with_parameter_date(mut self, d: NaiveDate) -> Receipt {
        self.parameter_date = Some(d);
        self
    }

    /// The receipt of a result computed with `overrides`.
    pub fn with_overrides(mut self, overrides: &Overrides) -> Receipt {
        self.overrides = overrides.list().to_vec();
        self
    }
}
