//! The parameters and tables of the diagnostics and thrombosis 2020 policy
//! (`policies/diagnostics-2020.toml`, document 003) that the settlement uses, read from the
//! policy file, each with the passage it comes from.

use crate::SettleError;
use crate::cite::Cite;
use crate::rules::{Param, param, problem, table};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use zorginkoop_policy::{Policy, TableValue};

/// The year the growth of orders per patient and analyses per order is measured against: a
/// year the text names ("ten opzichte van 2018"), not a figure.
pub const BASE_YEAR: i32 = 2018;

/// One tier of the sliding discount (staffelkorting): the part of the overproduction between
/// `from_share` and `to_share` of the revenue ceiling is paid at (1 − `discount`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub tier: u32,
    pub from_share: Decimal,
    /// `None`: no upper bound.
    pub to_share: Option<Decimal>,
    pub discount: Decimal,
}

/// The sliding discount of table `lab-preferred-sliding-discount`.
#[derive(Debug, Clone, PartialEq)]
pub struct SlidingDiscount {
    /// Ascending, contiguous from 0, the last without upper bound.
    pub tiers: Vec<Tier>,
    /// The table holds example values (`example = true`).
    pub example: bool,
    pub cite: Cite,
}

/// What the diagnostics and thrombosis settlement reads from the policy.
#[derive(Debug, Clone)]
pub struct LabRules {
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    /// The year settled (the first year of the policy's contract period, 2020, unless another
    /// is asked for), inclusive.
    pub year: (NaiveDate, NaiveDate),
    /// The first year of the contract period: the only year of a regular lab contract and of a
    /// thrombosis contract (one-year contracts); a preferred contract runs on into the next.
    pub first_year: i32,
    /// The year compared against (2018), inclusive.
    pub base_year: (NaiveDate, NaiveDate),
    /// Every prestatie code of the policy's modules (laboratory and thrombosis care).
    pub prestaties: Vec<String>,
    /// `lab.preferred.max-orders-per-patient-growth` (2.5 %).
    pub max_orders_growth: Param,
    /// `lab.preferred.max-analyses-per-order-growth` (2.5 %).
    pub max_analyses_growth: Param,
    pub discount: SlidingDiscount,
}

/// The table of the sliding discount.
pub const DISCOUNT_TABLE: &str = "lab-preferred-sliding-discount";

impl LabRules {
    /// Reads the rules from the diagnostics policy; a missing item is an error that names it.
    pub fn from_policy(policy: &Policy) -> Result<LabRules, SettleError> {
        Self::for_year(policy, policy.file.policy.period_start.year())
    }

    /// The rules for settling year `y` of the policy's contract period (2020 or 2021).
    pub fn for_year(policy: &Policy, y: i32) -> Result<LabRules, SettleError> {
        let meta = &policy.file.policy;
        let on = meta.period_start;
        if y < meta.period_start.year() || y > meta.period_end.year() {
            return Err(SettleError::Policy {
                policy: meta.id.clone(),
                problem: format!(
                    "jaar {y} valt buiten de looptijd {} t/m {}",
                    meta.period_start.year(),
                    meta.period_end.year()
                ),
            });
        }
        let year = (
            NaiveDate::from_ymd_opt(y, 1, 1).expect("valid"),
            NaiveDate::from_ymd_opt(y, 12, 31).expect("valid"),
        );
        let base_year = (
            NaiveDate::from_ymd_opt(BASE_YEAR, 1, 1).expect("valid"),
            NaiveDate::from_ymd_opt(BASE_YEAR, 12, 31).expect("valid"),
        );
        let mut prestaties: Vec<String> = policy
            .file
            .modules
            .iter()
            .flat_map(|m| m.prestatie_codes.iter().cloned())
            .collect();
        prestaties.sort();
        prestaties.dedup();
        if prestaties.is_empty() {
            return Err(problem(
                policy,
                "geen prestatiecodes in de modules van het beleid",
            ));
        }
        let t = table(policy, DISCOUNT_TABLE)?;
        let (i_tier, o_from, o_to, o_disc) = match (
            t.input_index("tier"),
            t.output_index("from_share"),
            t.output_index("to_share"),
            t.output_index("discount"),
        ) {
            (Some(a), Some(b), Some(c), Some(d)) => (a, b, c, d),
            _ => {
                return Err(problem(
                    policy,
                    format!(
                        "tabel `{DISCOUNT_TABLE}` heeft niet de kolommen tier, from_share, to_share en discount"
                    ),
                ));
            }
        };
        let bad = |p: String| problem(policy, format!("tabel `{DISCOUNT_TABLE}`: {p}"));
        let mut tiers = Vec::new();
        for (i, r) in t.rows.iter().enumerate() {
            let tier = match &r.inputs[i_tier] {
                zorginkoop_policy::Cell::Is(TableValue::Number(d)) => d
                    .to_string()
                    .parse::<u32>()
                    .map_err(|_| bad(format!("regel {}: tier is geen geheel getal", i + 1)))?,
                _ => return Err(bad(format!("regel {}: tier is geen getal", i + 1))),
            };
            let from_share = r.outputs[o_from]
                .as_decimal()
                .ok_or_else(|| bad(format!("regel {}: from_share is geen getal", i + 1)))?;
            let to_share = match &r.outputs[o_to] {
                TableValue::Unlimited => None,
                v => Some(
                    v.as_decimal()
                        .ok_or_else(|| bad(format!("regel {}: to_share is geen getal", i + 1)))?,
                ),
            };
            let discount = r.outputs[o_disc]
                .as_decimal()
                .ok_or_else(|| bad(format!("regel {}: discount is geen getal", i + 1)))?;
            if discount < Decimal::ZERO || discount > Decimal::ONE {
                return Err(bad(format!(
                    "regel {}: discount moet tussen 0 en 1 liggen",
                    i + 1
                )));
            }
            tiers.push(Tier {
                tier,
                from_share,
                to_share,
                discount,
            });
        }
        // contiguous from 0, ascending, only the last without an upper bound
        let mut at = Decimal::ZERO;
        for (i, t) in tiers.iter().enumerate() {
            let last = i + 1 == tiers.len();
            match t.to_share {
                _ if t.from_share != at => {
                    return Err(bad(format!(
                        "trede {} begint bij {} maar de vorige eindigt bij {}",
                        t.tier, t.from_share, at
                    )));
                }
                Some(to) if to > t.from_share && !last => at = to,
                None if last => {}
                _ => {
                    return Err(bad(
                        "de treden moeten oplopen en alleen de laatste is onbegrensd (unlimited)"
                            .into(),
                    ));
                }
            }
        }
        if tiers.is_empty() {
            return Err(bad("geen treden".into()));
        }
        Ok(LabRules {
            policy_id: meta.id.clone(),
            policy_version: meta.version.clone(),
            policy_sha256: policy.sha256.clone(),
            year,
            first_year: meta.period_start.year(),
            base_year,
            prestaties,
            max_orders_growth: param(policy, "lab.preferred.max-orders-per-patient-growth", on)?,
            max_analyses_growth: param(policy, "lab.preferred.max-analyses-per-order-growth", on)?,
            discount: SlidingDiscount {
                tiers,
                example: t.example,
                cite: Cite::from(&*t.source),
            },
        })
    }
}
