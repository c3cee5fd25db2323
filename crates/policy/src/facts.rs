//! Fact declarations: what a fact of a case is (type, unit, range, allowed values).
//!
//! Every fact a policy's rules read — in a check, as a condition or exclusion answered by its
//! own id, or as the input of a derivation — is declared in a `[[facts]]` entry of the policy
//! file, so that a case can be checked before it is decided: "ja" for a yes/no fact, 24 for a
//! ratio or -5 patients are refused instead of guessed. Questionnaire answers
//! (`<questionnaire>.<question>`) are yes/no facts declared by the questionnaire itself, and a
//! derived fact is declared by its `[[modules.derive]]`.

use crate::model::{CheckSpec, Op, PolicyFile};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The type of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactType {
    /// true or false.
    YesNo,
    /// A whole number, 0 or more (patients, inhabitants, reports).
    Count,
    /// A decimal number (hours, a year), within `min`/`max` when given.
    Number,
    /// A euro amount, 0 or more unless `min` says otherwise.
    Money,
    /// A ratio from 0 to 1 (24 % is 0.24).
    Ratio,
    /// A civil date, `YYYY-MM-DD`.
    Date,
    /// Text, one of `values` when given.
    Text,
    /// A list of texts, each one of `values` when given.
    List,
}

impl FactType {
    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            FactType::YesNo => "yes-no",
            FactType::Count => "count",
            FactType::Number => "number",
            FactType::Money => "money",
            FactType::Ratio => "ratio",
            FactType::Date => "date",
            FactType::Text => "text",
            FactType::List => "list",
        }
    }

    /// True for the types compared with `>=`, `<` and the like.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FactType::Count | FactType::Number | FactType::Money | FactType::Ratio
        )
    }
}

/// One declared fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactDecl {
    /// The fact's name as a case writes it, e.g. `registered_patients`.
    pub id: String,
    /// What the fact is, in Dutch, for forms and messages.
    pub label: String,
    #[serde(rename = "type")]
    pub ty: FactType,
    /// Unit for people, e.g. `patiënten`, `uren per week`, `euro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Smallest allowed value (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// Largest allowed value (numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// Allowed values (text, and the items of a list); empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl FactDecl {
    /// A fact of a type, without label, unit or bounds (tests, generated declarations).
    pub fn of(id: &str, ty: FactType) -> FactDecl {
        FactDecl {
            id: id.into(),
            label: id.into(),
            ty,
            unit: None,
            min: None,
            max: None,
            values: vec![],
        }
    }

    /// The smallest value the type and the declaration allow.
    pub fn lower_bound(&self) -> Option<Decimal> {
        let type_min = match self.ty {
            FactType::Count | FactType::Money | FactType::Ratio => Some(Decimal::ZERO),
            _ => None,
        };
        match (self.min, type_min) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// The largest value the type and the declaration allow.
    pub fn upper_bound(&self) -> Option<Decimal> {
        let type_max = match self.ty {
            FactType::Ratio => Some(Decimal::ONE),
            _ => None,
        };
        match (self.max, type_max) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// How a rule uses a fact, for checking the declaration against the use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactUse {
    /// Compared with an operator.
    Compared(Op),
    /// Answers a condition or exclusion by its own id (yes/no).
    Answer,
    /// Input of a calculator in a derivation (a number).
    CalculatorInput,
}

/// Every fact the rules of a policy read, with where and how (`item`, use).
pub fn used_facts(file: &PolicyFile) -> BTreeMap<String, Vec<(String, FactUse)>> {
    let mut out: BTreeMap<String, Vec<(String, FactUse)>> = BTreeMap::new();
    for m in &file.modules {
        for d in &m.derive {
            for fact in d.inputs.values() {
                out.entry(fact.clone()).or_default().push((
                    format!("module `{}`, afleiding `{}`", m.id, d.fact),
                    FactUse::CalculatorInput,
                ));
            }
        }
        for (what, id, check) in m.rules() {
            let item = format!("module `{}`, {what} `{id}`", m.id);
            match check {
                None => out
                    .entry(id.clone())
                    .or_default()
                    .push((item, FactUse::Answer)),
                Some(spec) => spec_facts(spec, &item, &mut out),
            }
        }
    }
    out
}

fn spec_facts(spec: &CheckSpec, item: &str, out: &mut BTreeMap<String, Vec<(String, FactUse)>>) {
    if let (Some(fact), Some(op)) = (&spec.fact, spec.op) {
        out.entry(fact.clone())
            .or_default()
            .push((item.to_string(), FactUse::Compared(op)));
        if let Some(other) = &spec.other_fact {
            out.entry(other.clone())
                .or_default()
                .push((item.to_string(), FactUse::Compared(op)));
        }
    }
    for list in [&spec.all, &spec.any].into_iter().flatten() {
        for s in list {
            spec_facts(s, item, out);
        }
    }
    if let Some(inner) = &spec.not {
        spec_facts(inner, item, out);
    }
}

/// Whether a fact of this type can be used this way; the problem otherwise.
pub fn fits(ty: FactType, how: &FactUse) -> Result<(), String> {
    let ok = match how {
        FactUse::Answer => ty == FactType::YesNo,
        // the calculator's field types live in the engine, which checks them
        // (`zorginkoop_engine::calc::check_references`)
        FactUse::CalculatorInput => true,
        FactUse::Compared(op) => match op {
            Op::Is => ty == FactType::YesNo,
            Op::Ge | Op::Gt | Op::Le | Op::Lt => ty.is_numeric() || ty == FactType::Date,
            Op::Contains => ty == FactType::List,
            Op::In | Op::NotIn => ty != FactType::List && ty != FactType::YesNo,
            Op::Eq | Op::Ne => ty != FactType::List,
        },
    };
    if ok {
        Ok(())
    } else {
        let how = match how {
            FactUse::Answer => "beantwoordt de regel met ja/nee".to_string(),
            FactUse::CalculatorInput => "is invoer van een rekentool (een getal)".to_string(),
            FactUse::Compared(op) => format!("wordt vergeleken met `{}`", op.as_str()),
        };
        Err(format!("is gedeclareerd als {} maar {how}", ty.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(ty: FactType) -> FactDecl {
        FactDecl::of("x", ty)
    }

    #[test]
    fn ratios_are_between_zero_and_one_and_counts_not_negative() {
        let r = decl(FactType::Ratio);
        assert_eq!(r.lower_bound(), Some(Decimal::ZERO));
        assert_eq!(r.upper_bound(), Some(Decimal::ONE));
        let mut c = decl(FactType::Count);
        c.min = Some(Decimal::new(-3, 0));
        assert_eq!(
            c.lower_bound(),
            Some(Decimal::ZERO),
            "a count never below 0"
        );
        assert_eq!(decl(FactType::Number).lower_bound(), None);
    }

    #[test]
    fn a_yes_no_fact_cannot_be_compared_with_greater_than() {
        assert!(fits(FactType::YesNo, &FactUse::Compared(Op::Ge)).is_err());
        assert!(fits(FactType::Count, &FactUse::Compared(Op::Ge)).is_ok());
        assert!(fits(FactType::Count, &FactUse::Answer).is_err());
        assert!(fits(FactType::List, &FactUse::Compared(Op::Contains)).is_ok());
    }
}
