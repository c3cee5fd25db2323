//! Validated checks and fact values.
//!
//! A [`CheckSpec`](crate::CheckSpec) as written in a file becomes a [`Check`] once validated:
//! exactly one form, the operator fitting the operand. Facts are [`FactValue`]s: booleans,
//! exact decimals, text and lists.

use crate::model::{CheckSpec, Op};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// A fact about a provider, or a literal in a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactValue {
    Bool(bool),
    Number(Decimal),
    Text(String),
    List(Vec<FactValue>),
}

impl FactValue {
    /// Converts a JSON value. `null` is no value (`Ok(None)`); objects are not facts.
    pub fn from_json(value: &serde_json::Value) -> Result<Option<FactValue>, String> {
        Ok(Some(match value {
            serde_json::Value::Null => return Ok(None),
            serde_json::Value::Bool(b) => FactValue::Bool(*b),
            serde_json::Value::Number(n) => FactValue::Number(parse_decimal(n.as_str())?),
            serde_json::Value::String(s) => FactValue::Text(s.clone()),
            serde_json::Value::Array(items) => FactValue::List(
                items
                    .iter()
                    .map(|v| {
                        FactValue::from_json(v)?
                            .ok_or_else(|| "een lijst bevat een null".to_string())
                    })
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(_) => {
                return Err(
                    "een object is geen feitwaarde (gebruik true/false, een getal, tekst of een lijst)"
                        .into(),
                );
            }
        }))
    }

    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            FactValue::Number(d) => Some(*d),
            FactValue::Text(s) => Decimal::from_str(s.trim()).ok(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            FactValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A short name of the type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            FactValue::Bool(_) => "true/false",
            FactValue::Number(_) => "number",
            FactValue::Text(_) => "text",
            FactValue::List(_) => "list",
        }
    }
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Bool(true) => f.write_str("ja"),
            FactValue::Bool(false) => f.write_str("nee"),
            FactValue::Number(d) => write!(f, "{}", d.normalize()),
            FactValue::Text(s) => write!(f, "{s:?}"),
            FactValue::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Parses a decimal written plainly (`12.5`) or in scientific notation (`1e5`).
pub(crate) fn parse_decimal(s: &str) -> Result<Decimal, String> {
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .map_err(|e| format!("{s:?} is geen exact decimaal getal ({e})"))
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operand {
    /// A literal.
    Value(FactValue),
    /// A parameter of the policy, valued on the reference date.
    Param(Arc<str>),
    /// Another fact of the case.
    Fact(Arc<str>),
}

/// A validated check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Compare {
        fact: Arc<str>,
        op: Op,
        rhs: Operand,
    },
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
    Contracted(Arc<str>),
}

impl Check {
    /// The check of a rule written without one: the fact named by the rule's id is `ja`.
    pub fn fact_is_true(id: &str) -> Check {
        Check::Compare {
            fact: id.into(),
            op: Op::Is,
            rhs: Operand::Value(FactValue::Bool(true)),
        }
    }

    /// Validates a check as written in a file.
    pub fn from_spec(spec: &CheckSpec) -> Result<Check, String> {
        let forms = [
            spec.fact.is_some(),
            spec.all.is_some(),
            spec.any.is_some(),
            spec.not.is_some(),
            spec.contracted.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if forms != 1 {
            return Err(
                "een check heeft precies een van `fact`, `all`, `any`, `not`, `contracted` nodig"
                    .into(),
            );
        }
        if let Some(list) = &spec.all {
            return Ok(Check::All(Self::list(list)?));
        }
        if let Some(list) = &spec.any {
            return Ok(Check::Any(Self::list(list)?));
        }
        if let Some(inner) = &spec.not {
            return Ok(Check::Not(Box::new(Self::from_spec(inner)?)));
        }
        if let Some(module) = &spec.contracted {
            return Ok(Check::Contracted(module.as_str().into()));
        }
        let fact = spec.fact.clone().expect("counted above");
        let op = spec
            .op
            .ok_or_else(|| format!("check op feit `{fact}` heeft geen `op`"))?;
        let operands = [
            spec.value.is_some(),
            spec.param.is_some(),
            spec.other_fact.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if operands != 1 {
            return Err(format!(
                "check op feit `{fact}` heeft precies een van `value`, `param`, `other_fact` nodig"
            ));
        }
        let rhs = if let Some(v) = &spec.value {
            let value = FactValue::from_json(v)
                .map_err(|e| format!("check op feit `{fact}`: {e}"))?
                .ok_or_else(|| format!("check op feit `{fact}`: value is leeg"))?;
            match (op, &value) {
                (Op::Is, FactValue::Bool(_)) => {}
                (Op::Is, _) => {
                    return Err(format!(
                        "check op feit `{fact}`: `is` vergelijkt met true of false"
                    ));
                }
                (Op::In | Op::NotIn, FactValue::List(_)) => {}
                (Op::In | Op::NotIn, _) => {
                    return Err(format!(
                        "check op feit `{fact}`: `{}` heeft een lijst als waarde nodig",
                        op.as_str()
                    ));
                }
                (Op::Ge | Op::Gt | Op::Le | Op::Lt, FactValue::Number(_)) => {}
                (Op::Ge | Op::Gt | Op::Le | Op::Lt, _) => {
                    return Err(format!(
                        "check op feit `{fact}`: `{}` heeft een getal als waarde nodig",
                        op.as_str()
                    ));
                }
                _ => {}
            }
            Operand::Value(value)
        } else if let Some(p) = &spec.param {
            if matches!(op, Op::Is | Op::In | Op::NotIn) {
                return Err(format!(
                    "check op feit `{fact}`: `{}` kan niet met een parameter vergelijken",
                    op.as_str()
                ));
            }
            Operand::Param(p.as_str().into())
        } else {
            Operand::Fact(spec.other_fact.as_deref().expect("counted above").into())
        };
        Ok(Check::Compare {
            fact: fact.into(),
            op,
            rhs,
        })
    }

    fn list(list: &[CheckSpec]) -> Result<Vec<Check>, String> {
        if list.is_empty() {
            return Err("`all`/`any` heeft minstens een check nodig".into());
        }
        list.iter().map(Self::from_spec).collect()
    }

    /// Facts this check reads.
    pub fn facts(&self, out: &mut Vec<String>) {
        match self {
            Check::Compare { fact, rhs, .. } => {
                out.push(fact.to_string());
                if let Operand::Fact(f) = rhs {
                    out.push(f.to_string());
                }
            }
            Check::All(list) | Check::Any(list) => list.iter().for_each(|c| c.facts(out)),
            Check::Not(inner) => inner.facts(out),
            Check::Contracted(_) => {}
        }
    }

    /// Parameters this check reads.
    pub fn params(&self, out: &mut Vec<String>) {
        match self {
            Check::Compare {
                rhs: Operand::Param(p),
                ..
            } => out.push(p.to_string()),
            Check::Compare { .. } | Check::Contracted(_) => {}
            Check::All(list) | Check::Any(list) => list.iter().for_each(|c| c.params(out)),
            Check::Not(inner) => inner.params(out),
        }
    }

    /// Modules this check refers to.
    pub fn modules(&self, out: &mut Vec<String>) {
        match self {
            Check::Contracted(m) => out.push(m.to_string()),
            Check::Compare { .. } => {}
            Check::All(list) | Check::Any(list) => list.iter().for_each(|c| c.modules(out)),
            Check::Not(inner) => inner.modules(out),
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Check::Compare { fact, op, rhs } => {
                write!(f, "{fact} {} ", op.as_str())?;
                match rhs {
                    Operand::Value(v) => write!(f, "{v}"),
                    Operand::Param(p) => write!(f, "parameter {p}"),
                    Operand::Fact(o) => write!(f, "{o}"),
                }
            }
            Check::All(list) | Check::Any(list) => {
                let joiner = if matches!(self, Check::All(_)) {
                    " en "
                } else {
                    " of "
                };
                f.write_str("(")?;
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(joiner)?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str(")")
            }
            Check::Not(inner) => write!(f, "niet {inner}"),
            Check::Contracted(m) => write!(f, "gecontracteerd: {m}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(toml_text: &str) -> CheckSpec {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn a_check_must_use_exactly_one_form() {
        let err = Check::from_spec(&spec(
            "fact = \"a\"\nop = \"is\"\nvalue = true\ncontracted = \"x\"",
        ))
        .unwrap_err();
        assert!(err.contains("precies een"), "{err}");
    }

    #[test]
    fn comparisons_need_a_fitting_value() {
        let err = Check::from_spec(&spec("fact = \"patients\"\nop = \">=\"\nvalue = \"many\""))
            .unwrap_err();
        assert!(err.contains("heeft een getal"), "{err}");
        let ok = Check::from_spec(&spec("fact = \"patients\"\nop = \">=\"\nvalue = 2350")).unwrap();
        assert_eq!(ok.to_string(), "patients >= 2350");
    }

    #[test]
    fn decimals_from_json_are_exact() {
        let v: serde_json::Value = serde_json::from_str("0.1").unwrap();
        assert_eq!(
            FactValue::from_json(&v).unwrap(),
            Some(FactValue::Number(Decimal::new(1, 1)))
        );
    }
}
