//! Checking a case's facts and a calculator's input before anything is decided or computed.
//!
//! A case is checked against the policy's fact declarations (`[[facts]]`, questionnaire
//! answers): every fact is known, of its declared type and in its range, and every contracted
//! or requested module exists. Every problem is reported at once, each naming the field, the
//! value and what was expected, with a "bedoelt u ...?" for a misspelt name and for a ratio
//! written as a percentage. Calculator input is checked the same way against the calculator's
//! field descriptions. Nothing is guessed: "ja" is not read as true, 24 is not read as 0.24.

use crate::Case;
use crate::calc::Field;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;
use zorginkoop_policy::{FactDecl, FactType, Policy};

/// One refused field of a case or a calculator input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError {
    /// The field, e.g. ``feit `registered_patients` `` or `contracted`.
    pub field: String,
    /// The value as given (JSON).
    pub value: String,
    /// What was expected, in Dutch.
    pub expected: String,
    /// A suggestion, e.g. `bedoelt u registered_patients?`.
    pub hint: Option<String>,
}

impl fmt::Display for FactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: waarde {} geweigerd; verwacht {}",
            self.field, self.value, self.expected
        )?;
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// Checks every fact and module name of `case` against `policy`. Returns every problem.
pub fn check_facts(policy: &Policy, case: &Case) -> Result<(), Vec<FactError>> {
    check(policy, case, true)
}

/// Checks a case written for another policy (a what-if under an older or newer policy): the
/// facts this policy declares are checked as in [`check_facts`], and the requested modules
/// must exist, but facts and contracted modules this policy does not know are left out, as
/// they do not count here.
pub fn check_known_facts(policy: &Policy, case: &Case) -> Result<(), Vec<FactError>> {
    check(policy, case, false)
}

fn check(policy: &Policy, case: &Case, strict: bool) -> Result<(), Vec<FactError>> {
    let mut errors = Vec::new();
    for (name, value) in &case.facts {
        if !strict && policy.fact(name).is_none() {
            continue;
        }
        // built only for a problem: a case without problems is checked without allocating
        let field = || format!("feit `{name}`");
        if let Some((_, d)) = policy.derivation(name) {
            let inputs: Vec<&str> = d.inputs.values().map(String::as_str).collect();
            errors.push(FactError {
                field: field(),
                value: value.to_string(),
                expected: format!(
                    "geen waarde: dit feit wordt berekend met rekentool {} uit {}",
                    d.calculator,
                    inputs.join(", ")
                ),
                hint: None,
            });
            continue;
        }
        match policy.fact(name) {
            None => errors.push(FactError {
                field: field(),
                value: value.to_string(),
                expected: format!("een feit dat beleid {} kent", policy.id()),
                hint: did_you_mean(name, policy.fact_names().iter().map(String::as_str))
                    .map(|n| format!("bedoelt u {n}?")),
            }),
            Some(decl) => {
                if let Err((expected, hint)) = check_value(&decl, value) {
                    errors.push(FactError {
                        field: field(),
                        value: value.to_string(),
                        expected,
                        hint,
                    });
                }
            }
        }
    }
    let modules: Vec<&str> = policy.file.modules.iter().map(|m| m.id.as_str()).collect();
    for (what, list) in [("contracted", &case.contracted), ("modules", &case.modules)] {
        if !strict && what == "contracted" {
            continue;
        }
        for id in list {
            if !modules.contains(&id.as_str()) {
                errors.push(FactError {
                    field: what.to_string(),
                    value: Value::String(id.clone()).to_string(),
                    expected: format!("een module van beleid {}", policy.id()),
                    hint: did_you_mean(id, modules.iter().copied())
                        .map(|n| format!("bedoelt u {n}?")),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// What a value of this declaration should look like, in Dutch.
pub fn expected(decl: &FactDecl) -> String {
    let unit = decl
        .unit
        .as_deref()
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    let range = range_text(decl);
    match decl.ty {
        FactType::YesNo => "ja of nee (true/false)".into(),
        FactType::Count => format!("een aantal{unit}: een geheel getal{range}"),
        FactType::Number => format!("een getal{unit}{range}"),
        FactType::Money => format!("een bedrag in euro{range}"),
        FactType::Ratio => format!("een verhouding{range} (24% is 0.24)"),
        FactType::Date => "een bestaande datum JJJJ-MM-DD".into(),
        FactType::Text if decl.values.is_empty() => "tekst".into(),
        FactType::Text => format!("een van: {}", decl.values.join(", ")),
        FactType::List if decl.values.is_empty() => "een lijst van teksten".into(),
        FactType::List => format!("een lijst met waarden uit: {}", decl.values.join(", ")),
    }
}

fn range_text(decl: &FactDecl) -> String {
    match (decl.lower_bound(), decl.upper_bound()) {
        (Some(lo), Some(hi)) => format!(" van {} tot en met {}", lo.normalize(), hi.normalize()),
        (Some(lo), None) => format!(" van {} of meer", lo.normalize()),
        (None, Some(hi)) => format!(" van hooguit {}", hi.normalize()),
        (None, None) => String::new(),
    }
}

/// Checks one value against its declaration: `Err((expected, hint))` when it does not fit.
/// `null` is no answer (the engine asks for it) and always fits.
pub fn check_value(decl: &FactDecl, value: &Value) -> Result<(), (String, Option<String>)> {
    let refuse = |hint: Option<String>| Err((expected(decl), hint));
    match (decl.ty, value) {
        (_, Value::Null) => Ok(()),
        (FactType::YesNo, Value::Bool(_)) => Ok(()),
        (FactType::YesNo, Value::String(s)) => {
            let hint = match s.trim().to_lowercase().as_str() {
                "ja" | "yes" | "true" | "waar" => Some("bedoelt u true?".to_string()),
                "nee" | "no" | "false" | "onwaar" => Some("bedoelt u false?".to_string()),
                _ => None,
            };
            refuse(hint)
        }
        (FactType::YesNo, _) => refuse(None),
        (FactType::Count | FactType::Number | FactType::Money | FactType::Ratio, v) => {
            let Some(d) = number(v) else {
                return refuse(None);
            };
            if decl.ty == FactType::Count && !d.fract().is_zero() {
                return refuse(None);
            }
            let below = decl.lower_bound().is_some_and(|lo| d < lo);
            let above = decl.upper_bound().is_some_and(|hi| d > hi);
            if !below && !above {
                return Ok(());
            }
            let hint = (decl.ty == FactType::Ratio && above && d <= Decimal::ONE_HUNDRED)
                .then(|| format!("bedoelt u {}?", (d / Decimal::ONE_HUNDRED).normalize()));
            refuse(hint)
        }
        (FactType::Date, Value::String(s)) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        {
            Ok(_) => Ok(()),
            Err(_) => refuse(None),
        },
        (FactType::Date, _) => refuse(None),
        (FactType::Text, Value::String(s)) => {
            one_of(decl, s).map_err(|hint| (expected(decl), hint))
        }
        (FactType::Text, _) => refuse(None),
        (FactType::List, Value::Array(items)) => {
            for item in items {
                let Value::String(s) = item else {
                    return refuse(None);
                };
                one_of(decl, s).map_err(|hint| (expected(decl), hint))?;
            }
            Ok(())
        }
        (FactType::List, _) => refuse(None),
    }
}

/// A text that must be one of the declared values (any text when none are declared).
fn one_of(decl: &FactDecl, s: &str) -> Result<(), Option<String>> {
    if decl.values.is_empty() || decl.values.iter().any(|v| v == s) {
        return Ok(());
    }
    Err(did_you_mean(s, decl.values.iter().map(String::as_str)).map(|v| format!("bedoelt u {v}?")))
}

/// An exact decimal from a JSON number or a numeric string; `None` when it is neither or does
/// not fit a decimal (more than 28 significant digits).
pub fn number(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

/// The candidate closest to `name` by edit distance, when close enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// Checks a calculator's JSON input against its field descriptions: an object, no unknown
/// fields (with "bedoelt u ...?"), integers whole and not negative, decimals exact numbers
/// that fit. Missing required fields are left to the calculator.
pub fn check_calc_input(fields: &[Field], input: &Value) -> Result<(), Vec<FactError>> {
    let Value::Object(map) = input else {
        return Err(vec![FactError {
            field: "invoer".into(),
            value: input.to_string(),
            expected: "een object met de invoervelden".into(),
            hint: None,
        }]);
    };
    let mut errors = Vec::new();
    for (name, value) in map {
        let field = format!("invoer `{name}`");
        let Some(f) = fields.iter().find(|f| f.name == name) else {
            errors.push(FactError {
                field,
                value: value.to_string(),
                expected: format!(
                    "een invoerveld van deze rekentool ({})",
                    fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                ),
                hint: did_you_mean(name, fields.iter().map(|f| f.name))
                    .map(|n| format!("bedoelt u {n}?")),
            });
            continue;
        };
        if value.is_null() {
            continue;
        }
        let problem = match f.ty {
            "integer" => match number(value) {
                Some(d) if d.fract().is_zero() && d >= Decimal::ZERO && d <= MAX_INTEGER => None,
                _ => Some(format!(
                    "een geheel getal van 0 tot en met {MAX_INTEGER} ({})",
                    f.doc
                )),
            },
            "decimal" => match number(value) {
                Some(_) => None,
                None => Some(format!("een getal van hooguit 28 cijfers ({})", f.doc)),
            },
            "bool" if !value.is_boolean() => Some("ja of nee (true/false)".into()),
            _ => None,
        };
        if let Some(expected) = problem {
            errors.push(FactError {
                field,
                value: value.to_string(),
                expected,
                hint: None,
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The largest whole number a calculator input takes (the calculators count in `u32`).
const MAX_INTEGER: Decimal = Decimal::from_parts(u32::MAX, 0, 0, false, 0);

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(ty: FactType) -> FactDecl {
        FactDecl::of("x", ty)
    }

    fn json(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(
            edit_distance("registerd_patients", "registered_patients"),
            1
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            did_you_mean("basizorg", ["basiszorg", "poh-ggz"]),
            Some("basiszorg")
        );
        assert_eq!(did_you_mean("xyz", ["basiszorg", "poh-ggz"]), None);
    }

    #[test]
    fn a_count_is_a_whole_number_of_zero_or_more() {
        let d = decl(FactType::Count);
        assert!(check_value(&d, &json("2350")).is_ok());
        assert!(check_value(&d, &json("0")).is_ok());
        assert!(check_value(&d, &json("-5")).is_err());
        assert!(check_value(&d, &json("2.5")).is_err());
        assert!(check_value(&d, &json("\"veel\"")).is_err());
    }

    #[test]
    fn a_ratio_above_one_is_refused_with_the_fraction_as_hint() {
        let d = decl(FactType::Ratio);
        assert!(check_value(&d, &json("0.24")).is_ok());
        assert!(check_value(&d, &json("1")).is_ok());
        let (expected, hint) = check_value(&d, &json("24")).unwrap_err();
        assert_eq!(expected, "een verhouding van 0 tot en met 1 (24% is 0.24)");
        assert_eq!(hint.as_deref(), Some("bedoelt u 0.24?"));
        let (_, hint) = check_value(&d, &json("240")).unwrap_err();
        assert_eq!(hint, None);
    }

    #[test]
    fn an_impossible_date_is_refused() {
        let d = decl(FactType::Date);
        assert!(check_value(&d, &json("\"2024-02-29\"")).is_ok());
        assert!(check_value(&d, &json("\"2023-02-29\"")).is_err());
        assert!(check_value(&d, &json("\"29-02-2024\"")).is_err());
    }

    #[test]
    fn text_and_list_values_come_from_the_declared_values() {
        let mut d = decl(FactType::List);
        d.values = vec!["mdo".into(), "identification".into()];
        assert!(check_value(&d, &json("[\"mdo\"]")).is_ok());
        let (_, hint) = check_value(&d, &json("[\"identifcation\"]")).unwrap_err();
        assert_eq!(hint.as_deref(), Some("bedoelt u identification?"));
        assert!(
            check_value(&d, &json("\"mdo\"")).is_err(),
            "a list, not a text"
        );
    }

    #[test]
    fn a_calculator_input_names_the_field() {
        let fields = [
            crate::calc::field("registered_patients", "integer", "ingeschreven patiënten"),
            crate::calc::field("hourly_cost", "decimal", "uurkosten"),
        ];
        let errs = check_calc_input(
            &fields,
            &json(r#"{"registered_patients": -5, "hourly_cots": 60, "hourly_cost": 1e40}"#),
        )
        .unwrap_err();
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(errs.len(), 3, "{text:?}");
        assert!(
            text.iter()
                .any(|t| t.starts_with("invoer `registered_patients`: waarde -5"))
        );
        assert!(text.iter().any(|t| t.contains("bedoelt u hourly_cost?")));
        assert!(text.iter().any(|t| t.starts_with("invoer `hourly_cost`")));
    }
}
