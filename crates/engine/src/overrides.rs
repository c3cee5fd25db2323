//! Parameter overrides per request (OpenFisca-style): a case or a calculation may replace the
//! value of a parameter whose figure is an example (`example = true`: the document leaves the
//! figure to a later publication). Published figures cannot be overridden. The receipt lists
//! every override with the policy's own value, so that a result can be reproduced.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use zorginkoop_policy::Policy;

/// One overridden parameter, as the receipt records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The parameter id.
    pub id: String,
    /// The value used instead of the policy's.
    pub value: Decimal,
    /// The policy's value on the parameter date (absent when it has none on that date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_value: Option<Decimal>,
}

/// The overrides of one request, checked against the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    list: Vec<Override>,
}

impl Overrides {
    /// The value that replaces parameter `id`, if it is overridden.
    pub fn get(&self, id: &str) -> Option<Decimal> {
        self.list.iter().find(|o| o.id == id).map(|o| o.value)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The overrides in parameter-id order.
    pub fn list(&self) -> &[Override] {
        &self.list
    }
}

/// Why an override is refused (the messages are for users, in Dutch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("parameter `{id}` bestaat niet in beleid `{policy}`")]
    Unknown { policy: String, id: String },
    #[error(
        "parameter `{id}` is een gepubliceerd bedrag of getal en kan niet per aanvraag worden aangepast (alleen voorbeeldwaarden, `example = true`)"
    )]
    NotExample { id: String },
    #[error("parameter `{id}`: waarde {value} {problem}")]
    BadValue {
        id: String,
        value: String,
        problem: String,
    },
}

/// Checks the requested overrides (`id` to a decimal, as text or number) against `policy`:
/// the parameter must exist, be an example value, and the value must fit its unit. `date` is
/// the parameter date, for the policy's own value in the receipt.
pub fn check(
    policy: &Policy,
    requested: &BTreeMap<String, serde_json::Value>,
    date: NaiveDate,
) -> Result<Overrides, OverrideError> {
    let mut list = Vec::with_capacity(requested.len());
    for (id, raw) in requested {
        let Some(p) = policy.parameter(id) else {
            return Err(OverrideError::Unknown {
                policy: policy.id().to_string(),
                id: id.clone(),
            });
        };
        if !p.example {
            return Err(OverrideError::NotExample { id: id.clone() });
        }
        let text = match raw {
            serde_json::Value::String(s) => s.trim().to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        let bad = |problem: &str| OverrideError::BadValue {
            id: id.clone(),
            value: text.clone(),
            problem: problem.to_string(),
        };
        let value = Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map_err(|_| bad("is geen decimaal getal"))?;
        if let Some(problem) = zorginkoop_policy::unit_range_problem(p.unit, value) {
            return Err(bad(&problem));
        }
        list.push(Override {
            id: id.clone(),
            value,
            policy_value: policy.param_on(id, date).map(|(v, _)| v),
        });
    }
    Ok(Overrides { list })
}
