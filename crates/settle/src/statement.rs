//! The settlement statement: per provider, lines a person can follow one by one, each with its
//! figure, how it was computed, the passage it rests on and, where the text left a choice, the
//! choice made. As JSON (shape versioned by [`SCHEMA`]) and as Dutch text.

use crate::cite::Cite;
use crate::rules::Category;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
use std::fmt::Write as _;

/// The version of the JSON shape; a change that breaks readers changes it.
pub const SCHEMA: &str = "zorginkoop.settlement.district-nursing/1";

/// The version of the JSON shape of a diagnostics and thrombosis statement.
pub const LABS_SCHEMA: &str = "zorginkoop.settlement.diagnostics/1";

/// What kind of provider a statement is for: a stable code (the JSON value, e.g. `small`,
/// `lab-preferred`) and its Dutch name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderKind {
    pub code: &'static str,
    pub dutch: &'static str,
}

impl ProviderKind {
    /// The stable code, as in the JSON.
    pub fn as_str(&self) -> &'static str {
        self.code
    }
    /// The Dutch name.
    pub fn dutch(&self) -> &'static str {
        self.dutch
    }
}

impl From<Category> for ProviderKind {
    fn from(c: Category) -> Self {
        ProviderKind {
            code: c.as_str(),
            dutch: c.dutch(),
        }
    }
}

impl Serialize for ProviderKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

/// A figure of a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Amount {
    /// Euro, rounded to cents (a string in JSON: exact).
    Euro(Decimal),
    /// A ratio (0.05 = 5 %).
    Ratio(Decimal),
    /// Hours.
    Hours(Decimal),
    /// A whole number.
    Count(i64),
    /// A number that is no euro amount, ratio or hours (the client-per-postcode ratio).
    Number(Decimal),
    /// A mean, shown with 4 decimals (orders per patient, analyses per order).
    Mean(Decimal),
    /// Text (a category, "vrij volume").
    Text(String),
}

/// One step of the statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// Stable id of the step (e.g. `basisbudget`).
    pub step: &'static str,
    /// What the line is, in Dutch.
    pub label: String,
    pub amount: Amount,
    /// How it was computed, with the figures, in Dutch.
    pub calculation: String,
    pub source: Cite,
    /// The reading chosen where the text is ambiguous or silent, in Dutch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
}

/// The policy the statement was computed under.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyRef {
    pub id: String,
    pub version: String,
    pub sha256: String,
}

impl PolicyRef {
    /// The policy the rules were read from.
    pub fn of(rules: &crate::rules::NursingRules) -> PolicyRef {
        PolicyRef {
            id: rules.policy_id.clone(),
            version: rules.policy_version.clone(),
            sha256: rules.policy_sha256.clone(),
        }
    }
}

/// Writes numbered lines as Dutch text: figure, calculation, passage, choice.
pub fn write_lines(s: &mut String, lines: &[Line]) {
    for (i, l) in lines.iter().enumerate() {
        let _ = writeln!(s, "\n{:>2}. {}: {}", i + 1, l.label, show(&l.amount));
        let _ = writeln!(s, "    berekening: {}", l.calculation);
        let _ = writeln!(
            s,
            "    bron: {}, {}: \"{}\"",
            l.source.document, l.source.section, l.source.quote
        );
        if let Some(c) = &l.choice {
            let _ = writeln!(s, "    keuze: {c}");
        }
    }
}

/// A provider's settlement statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub schema: &'static str,
    pub policy: PolicyRef,
    pub provider_agb: String,
    /// The year settled.
    pub year: i32,
    pub category: ProviderKind,
    pub lines: Vec<Line>,
    /// What cannot be computed yet, in Dutch; empty when the statement is complete.
    pub missing: Vec<String>,
    /// The amount settled for the year; `None` while something is missing.
    pub total: Option<Decimal>,
}

impl Statement {
    /// The line of a step.
    pub fn line(&self, step: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.step == step)
    }

    /// The euro amount of a step.
    pub fn euro(&self, step: &str) -> Option<Decimal> {
        match self.line(step)?.amount {
            Amount::Euro(d) => Some(d),
            _ => None,
        }
    }

    /// The statement as Dutch text.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let year = self.year;
        let domain = if self.schema == LABS_SCHEMA {
            "eerstelijnsdiagnostiek en trombosezorg"
        } else {
            "wijkverpleging"
        };
        let _ = writeln!(
            s,
            "Afrekening {domain} {year} - zorgaanbieder {} ({})",
            self.provider_agb,
            self.category.dutch()
        );
        let _ = writeln!(
            s,
            "Beleid {} versie {} (sha256 {})",
            self.policy.id, self.policy.version, self.policy.sha256
        );
        write_lines(&mut s, &self.lines);
        s.push('\n');
        match self.total {
            Some(t) => {
                let _ = writeln!(s, "Afgerekend bedrag {year}: {}", euro(t));
            }
            None => {
                let _ = writeln!(s, "Nog niet af te rekenen, want:");
                for m in &self.missing {
                    let _ = writeln!(s, "  - {m}");
                }
            }
        }
        s
    }
}

/// A figure as Dutch text.
pub fn show(a: &Amount) -> String {
    match a {
        Amount::Euro(d) => euro(*d),
        Amount::Ratio(r) => percent(*r),
        Amount::Hours(h) => format!("{} uur", h.normalize().to_string().replace('.', ",")),
        Amount::Count(n) => n.to_string(),
        Amount::Number(d) => dutch_number(*d, 2),
        Amount::Mean(d) => dutch_number(*d, 4),
        Amount::Text(t) => t.clone(),
    }
}

pub use zorginkoop_policy::dutch::{euro, number as dutch_number, percent};

/// Cents as euro.
pub(crate) fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

/// Rounded to cents, half away from zero.
pub(crate) fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounded to 4 decimals, half away from zero.
pub(crate) fn round4(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

/// `a × b`, or an overflow error naming `what`.
pub(crate) fn mul(
    a: Decimal,
    b: Decimal,
    what: &'static str,
) -> Result<Decimal, crate::SettleError> {
    a.checked_mul(b).ok_or(crate::SettleError::Overflow(what))
}

/// The lines of a statement as they are written, step by step.
pub(crate) struct Builder {
    pub lines: Vec<Line>,
}

impl Builder {
    /// Adds a line (without a choice; set `.choice` on the line returned).
    pub fn push(
        &mut self,
        step: &'static str,
        label: impl Into<String>,
        amount: Amount,
        calculation: impl Into<String>,
        source: Cite,
    ) -> &mut Line {
        self.lines.push(Line {
            step,
            label: label.into(),
            amount,
            calculation: calculation.into(),
            source,
            choice: None,
        });
        self.lines.last_mut().expect("just pushed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_figures() {
        assert_eq!(euro(Decimal::new(12345678, 2)), "€ 123.456,78");
        assert_eq!(euro(Decimal::new(-5, 1)), "-€ 0,50");
        assert_eq!(euro(Decimal::new(100000, 0)), "€ 100.000,00");
        assert_eq!(percent(Decimal::new(25, 3)), "2,5 %");
        assert_eq!(percent(Decimal::new(5, 2)), "5 %");
        assert_eq!(dutch_number(Decimal::new(1234565, 4), 2), "123,46");
    }
}
