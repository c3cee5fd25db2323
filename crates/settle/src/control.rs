//! The control term of district nursing (document 004, chapter 7): "We hanteren een maximale
//! termijn van 2 jaar (t – 2 in schadejaren) om de materiële controle op te starten ... Dit
//! betekent dat wij uiterlijk december 2023 een materiële controle wijkverpleging zullen starten
//! over schadejaar 2021."
//!
//! Per provider and claim year (schadejaar: the year of the service date) in the claim results:
//! the approved lines and amount, the last day a material control of that year may start (31
//! December of year + `control.max-term-years`), and whether that day has passed on the date
//! asked for. The text adds "mits de zorgaanbieder zich houdt aan de afgesproken
//! declaratieafspraken": when a provider does not, the term does not protect it; that is not
//! in the claims and is said on every report.

use crate::SettleError;
use crate::cite::Cite;
use crate::rules::NursingRules;
use crate::scan;
use crate::statement::{PolicyRef, euro};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::PathBuf;

/// The version of the JSON shape of a [`ControlTerm`].
pub const CONTROL_SCHEMA: &str = "zorginkoop.control-term/1";

/// One claim year of a provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimYear {
    pub claim_year: i32,
    /// Approved district nursing lines with a service date in the year.
    pub lines: i64,
    /// Their approved amount, euro.
    pub approved: Decimal,
    /// The last day a material control of the year may start.
    pub control_until: NaiveDate,
    /// Whether a material control may still start on the date asked for.
    pub open: bool,
}

/// The control term of one provider on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlTerm {
    pub schema: &'static str,
    pub policy: PolicyRef,
    pub provider_agb: String,
    pub on: NaiveDate,
    pub years: Vec<ClaimYear>,
    /// The passage of the term.
    pub source: Cite,
    /// The condition the claims cannot show, in Dutch.
    pub condition: String,
}

/// The last day a material control of claim year `year` may start: 31 December of `year` +
/// `max_years`.
pub fn control_until(year: i32, max_years: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.checked_add(i32::try_from(max_years).ok()?)?, 12, 31)
}

/// The control term of every provider in `results` (or only `provider`) on `on`.
pub fn control_terms(
    rules: &NursingRules,
    results: &[PathBuf],
    provider: Option<&str>,
    on: NaiveDate,
) -> Result<Vec<ControlTerm>, SettleError> {
    let p = &rules.control_max_years;
    let max = rust_decimal::prelude::ToPrimitive::to_u32(&p.value)
        .filter(|_| p.value.fract().is_zero())
        .ok_or_else(|| SettleError::Policy {
            policy: rules.policy_id.clone(),
            problem: format!("{} is {}: verwacht een geheel aantal jaren", p.id, p.value),
        })?;
    let years = scan::scan_claim_years(rules, results, provider)?;
    let mut out: Vec<ControlTerm> = Vec::new();
    for ((agb, year), (lines, cents)) in years {
        let until = control_until(year, max)
            .ok_or_else(|| SettleError::Query(format!("schadejaar {year} buiten bereik")))?;
        let y = ClaimYear {
            claim_year: year,
            lines,
            approved: Decimal::new(cents, 2),
            control_until: until,
            open: on <= until,
        };
        match out.last_mut() {
            Some(t) if t.provider_agb == agb => t.years.push(y),
            _ => out.push(ControlTerm {
                schema: CONTROL_SCHEMA,
                policy: PolicyRef::of(rules),
                provider_agb: agb,
                on,
                years: vec![y],
                source: p.cite.clone(),
                condition: "Alleen als de zorgaanbieder zich houdt aan de afgesproken declaratieafspraken (Uniforme declaratieparagraaf, waaronder de indientermijn); dat blijkt niet uit de declaraties.".into(),
            }),
        }
    }
    Ok(out)
}

impl ControlTerm {
    /// The report as Dutch text.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Controletermijn wijkverpleging - zorgaanbieder {} op {}",
            self.provider_agb,
            self.on.format("%-d-%-m-%Y")
        );
        for y in &self.years {
            let _ = writeln!(
                s,
                "  schadejaar {}: {} goedgekeurde regels, {}; materiële controle uiterlijk te starten op {}: {}",
                y.claim_year,
                y.lines,
                euro(y.approved),
                y.control_until.format("%-d-%-m-%Y"),
                if y.open {
                    "nog mogelijk"
                } else {
                    "termijn verstreken"
                }
            );
        }
        let _ = writeln!(
            s,
            "  bron: {}, {}: \"{}\"",
            self.source.document, self.source.section, self.source.quote
        );
        let _ = writeln!(s, "  voorwaarde: {}", self.condition);
        s
    }
}
