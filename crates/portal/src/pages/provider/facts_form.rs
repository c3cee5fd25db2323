//! The application form generated from the policy's fact declarations, and the way back: form
//! values (text) to typed JSON answers for `applications::save_facts`.
//!
//! | fact type | field | answer |
//! |---|---|---|
//! | yes-no | radios "Ja"/"Nee" in a fieldset | `true` / `false` |
//! | count | number input (whole) | a JSON number |
//! | number, money, ratio | text input (decimal comma or point; `24%` for a ratio) | an exact JSON number |
//! | date | date input | `"YYYY-MM-DD"` |
//! | text with values | select | the chosen text |
//! | text | text input | the text |
//! | list with values | checkboxes in a fieldset | a list of texts |
//! | list | textarea, one item per line | a list of texts |
//!
//! An empty field is no answer (the engine then asks for it). Each value is checked with the
//! engine's own check of the declaration, so that a problem is named at its field.

use maud::{Markup, html};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;
use zorginkoop_app::engine::facts::{check_value, expected};
use zorginkoop_app::policy::{FactDecl, FactType};

/// What a form shows in its fields: the texts per field name (several for checkboxes).
pub type Raw = BTreeMap<String, Vec<String>>;

/// The stored answers as form texts.
pub fn raw_from_facts(facts: &BTreeMap<String, Value>) -> Raw {
    facts
        .iter()
        .map(|(k, v)| {
            let texts = match v {
                Value::Bool(true) => vec!["ja".to_string()],
                Value::Bool(false) => vec!["nee".to_string()],
                Value::String(s) => vec![s.clone()],
                Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
                Value::Null => Vec::new(),
                other => vec![other.to_string()],
            };
            (k.clone(), texts)
        })
        .collect()
}

/// The posted pairs as form texts (the `csrf` field left out).
pub fn raw_from_pairs(pairs: &[(String, String)]) -> Raw {
    let mut raw = Raw::new();
    for (k, v) in pairs.iter().filter(|(k, _)| k != "csrf") {
        raw.entry(k.clone()).or_default().push(v.clone());
    }
    raw
}

fn exact_number(d: Decimal) -> Value {
    Value::Number(
        serde_json::Number::from_str(&d.normalize().to_string()).expect("a decimal is a number"),
    )
}

fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim().replace([' ', '\u{a0}'], "").replace(',', ".");
    Decimal::from_str(&t).ok()
}

/// One field's texts as the typed answer: `Ok(None)` for no answer, `Err` with what is wrong.
pub fn to_json(decl: &FactDecl, texts: &[String]) -> Result<Option<Value>, String> {
    let texts: Vec<&str> = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let Some(first) = texts.first().copied() else {
        return Ok(None);
    };
    let value = match decl.ty {
        FactType::YesNo => match first.to_lowercase().as_str() {
            "ja" => Value::Bool(true),
            "nee" => Value::Bool(false),
            _ => return Err("kies Ja of Nee".into()),
        },
        FactType::Count => match parse_decimal(first) {
            Some(d) if d.fract().is_zero() => exact_number(d),
            _ => return Err(format!("vul {} in", expected(decl))),
        },
        FactType::Number | FactType::Money => match parse_decimal(first) {
            Some(d) => exact_number(d),
            None => return Err(format!("vul {} in", expected(decl))),
        },
        FactType::Ratio => {
            let (text, percent) = match first.strip_suffix('%') {
                Some(t) => (t, true),
                None => (first, false),
            };
            match parse_decimal(text) {
                Some(d) if percent => exact_number(d / Decimal::ONE_HUNDRED),
                Some(d) => exact_number(d),
                None => return Err(format!("vul {} in", expected(decl))),
            }
        }
        FactType::Date | FactType::Text => Value::String(first.to_string()),
        FactType::List => {
            let items: Vec<Value> = texts
                .iter()
                .flat_map(|t| t.lines())
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.to_string()))
                .collect();
            Value::Array(items)
        }
    };
    match check_value(decl, &value) {
        Ok(()) => Ok(Some(value)),
        Err((expected, hint)) => Err(match hint {
            Some(h) => format!("vul {expected} in ({h})"),
            None => format!("vul {expected} in"),
        }),
    }
}

/// The typed answers of a posted form for the declared facts (each fact: an answer, or `None`
/// to clear it), or the problems by fact.
#[allow(clippy::type_complexity)]
pub fn answers(
    decls: &[FactDecl],
    raw: &Raw,
) -> Result<BTreeMap<String, Option<Value>>, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut problems = BTreeMap::new();
    for d in decls {
        let texts = raw.get(&d.id).map(Vec::as_slice).unwrap_or(&[]);
        match to_json(d, texts) {
            Ok(v) => {
                out.insert(d.id.clone(), v);
            }
            Err(p) => {
                problems.insert(d.id.clone(), p);
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn field_id(decl: &FactDecl) -> String {
    format!("f-{}", decl.id)
}

fn hint(decl: &FactDecl) -> Option<String> {
    match decl.ty {
        FactType::YesNo => None,
        FactType::Text if !decl.values.is_empty() => None,
        FactType::List if !decl.values.is_empty() => Some("Kies wat van toepassing is.".into()),
        FactType::List => Some("Eén per regel.".into()),
        FactType::Ratio => Some(format!(
            "Vul {} in; u mag ook een percentage schrijven, zoals 24%.",
            expected(decl)
        )),
        _ => Some(format!("Vul {} in.", expected(decl))),
    }
}

fn bound(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.normalize().to_string())
}

/// The field for one fact, with its current texts and its problem (if any).
pub fn field(decl: &FactDecl, texts: &[String], problem: Option<&str>) -> Markup {
    let id = field_id(decl);
    let hint_id = format!("{id}-uitleg");
    let err_id = format!("{id}-fout");
    let hint = hint(decl);
    let described: Vec<&str> = [
        hint.as_ref().map(|_| hint_id.as_str()),
        problem.map(|_| err_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    let first = texts.first().map(String::as_str).unwrap_or("");
    let invalid = problem.map(|_| "true");
    let unit = decl.unit.as_deref();
    html! {
        div.field id={"veld-" (decl.id)} {
            @match decl.ty {
                FactType::YesNo => {
                    fieldset.yesno id=(id) aria-describedby=[described.as_deref()] {
                        legend { (decl.label) }
                        @for (value, label) in [("ja", "Ja"), ("nee", "Nee")] {
                            @let rid = format!("{id}-{value}");
                            span.choice {
                                input type="radio" id=(rid) name=(decl.id) value=(value) checked[first == value];
                                label for=(rid) { (label) }
                            }
                        }
                    }
                }
                FactType::List if !decl.values.is_empty() => {
                    fieldset id=(id) aria-describedby=[described.as_deref()] {
                        legend { (decl.label) }
                        @for (i, v) in decl.values.iter().enumerate() {
                            @let cid = format!("{id}-{i}");
                            span.choice {
                                input type="checkbox" id=(cid) name=(decl.id) value=(v) checked[texts.contains(v)];
                                label for=(cid) { (v) }
                            }
                        }
                    }
                }
                FactType::List => {
                    label for=(id) { (decl.label) }
                    textarea id=(id) name=(decl.id) aria-describedby=[described.as_deref()] aria-invalid=[invalid] { (texts.join("\n")) }
                }
                FactType::Text if !decl.values.is_empty() => {
                    label for=(id) { (decl.label) }
                    select id=(id) name=(decl.id) aria-describedby=[described.as_deref()] aria-invalid=[invalid] {
                        option value="" selected[first.is_empty()] { "— kies —" }
                        @for v in &decl.values {
                            option value=(v) selected[first == v] { (v) }
                        }
                    }
                }
                FactType::Text => {
                    label for=(id) { (decl.label) }
                    input type="text" id=(id) name=(decl.id) value=(first) aria-describedby=[described.as_deref()] aria-invalid=[invalid];
                }
                FactType::Date => {
                    label for=(id) { (decl.label) }
                    input type="date" id=(id) name=(decl.id) value=(first) aria-describedby=[described.as_deref()] aria-invalid=[invalid];
                }
                FactType::Count => {
                    label for=(id) { (decl.label) @if let Some(u) = unit { " (" (u) ")" } }
                    input type="number" id=(id) name=(decl.id) value=(first) step="1" inputmode="numeric"
                        min=[bound(decl.lower_bound())] max=[bound(decl.upper_bound())]
                        aria-describedby=[described.as_deref()] aria-invalid=[invalid];
                }
                FactType::Number | FactType::Money | FactType::Ratio => {
                    label for=(id) { (decl.label) @if let Some(u) = unit { " (" (u) ")" } }
                    input type="text" id=(id) name=(decl.id) value=(first) inputmode="decimal"
                        aria-describedby=[described.as_deref()] aria-invalid=[invalid];
                }
            }
            @if let Some(h) = &hint {
                p.hint id=(hint_id) { (h) }
            }
            @if let Some(p) = problem {
                p.error id=(err_id) { (p) }
            }
        }
    }
}

/// Every field of a module's form.
pub fn fields(decls: &[FactDecl], raw: &Raw, problems: &BTreeMap<String, String>) -> Markup {
    html! {
        @for d in decls {
            (field(d, raw.get(&d.id).map(Vec::as_slice).unwrap_or(&[]), problems.get(&d.id).map(String::as_str)))
        }
    }
}

/// The answers as text for a read-only view: `Ja`, `Nee`, numbers with a decimal comma, lists
/// joined.
pub fn answer_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(niet beantwoord)".into(),
        Some(Value::Bool(true)) => "Ja".into(),
        Some(Value::Bool(false)) => "Nee".into(),
        Some(Value::Number(n)) => super::decimal_nl(&n.to_string()),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(ty: FactType) -> FactDecl {
        FactDecl::of("x", ty)
    }

    fn one(s: &str) -> Vec<String> {
        vec![s.to_string()]
    }

    #[test]
    fn ja_and_nee_become_booleans_and_empty_is_no_answer() {
        let d = decl(FactType::YesNo);
        assert_eq!(to_json(&d, &one("ja")).unwrap(), Some(Value::Bool(true)));
        assert_eq!(to_json(&d, &one("nee")).unwrap(), Some(Value::Bool(false)));
        assert_eq!(to_json(&d, &one("  ")).unwrap(), None);
        assert_eq!(to_json(&d, &[]).unwrap(), None);
        assert!(to_json(&d, &one("misschien")).is_err());
    }

    #[test]
    fn numbers_are_exact_and_take_a_decimal_comma() {
        let money = decl(FactType::Money);
        assert_eq!(
            to_json(&money, &one("1234,56"))
                .unwrap()
                .unwrap()
                .to_string(),
            "1234.56"
        );
        let count = decl(FactType::Count);
        assert_eq!(
            to_json(&count, &one("2350")).unwrap().unwrap().to_string(),
            "2350"
        );
        assert!(to_json(&count, &one("2,5")).is_err(), "a count is whole");
        assert!(
            to_json(&count, &one("-5")).is_err(),
            "a count is not negative"
        );
        assert!(to_json(&count, &one("veel")).is_err());
    }

    #[test]
    fn a_ratio_may_be_written_as_a_percentage_but_not_as_24() {
        let r = decl(FactType::Ratio);
        assert_eq!(
            to_json(&r, &one("24%")).unwrap().unwrap().to_string(),
            "0.24"
        );
        assert_eq!(
            to_json(&r, &one("0,24")).unwrap().unwrap().to_string(),
            "0.24"
        );
        let e = to_json(&r, &one("24")).unwrap_err();
        assert!(e.contains("0.24"), "the engine's hint: {e}");
    }

    #[test]
    fn a_choice_must_be_one_of_the_values_and_lists_are_split_by_line() {
        let mut t = decl(FactType::Text);
        t.values = vec!["A".into(), "B".into()];
        assert_eq!(
            to_json(&t, &one("B")).unwrap(),
            Some(Value::String("B".into()))
        );
        assert!(to_json(&t, &one("Z")).is_err());
        let l = decl(FactType::List);
        assert_eq!(
            to_json(&l, &one("Utrecht\n\n Zeist \n")).unwrap(),
            Some(serde_json::json!(["Utrecht", "Zeist"]))
        );
        let mut checked = decl(FactType::List);
        checked.values = vec!["a".into(), "b".into()];
        assert_eq!(
            to_json(&checked, &["a".to_string(), "b".to_string()]).unwrap(),
            Some(serde_json::json!(["a", "b"]))
        );
    }

    #[test]
    fn stored_answers_come_back_as_the_forms_texts() {
        let mut facts = BTreeMap::new();
        facts.insert("a".to_string(), Value::Bool(true));
        facts.insert("b".to_string(), serde_json::json!(2350));
        facts.insert("c".to_string(), serde_json::json!(["x", "y"]));
        let raw = raw_from_facts(&facts);
        assert_eq!(raw["a"], vec!["ja"]);
        assert_eq!(raw["b"], vec!["2350"]);
        assert_eq!(raw["c"], vec!["x", "y"]);
    }

    #[test]
    fn a_yes_no_fact_is_a_radio_group_with_its_label() {
        let mut d = decl(FactType::YesNo);
        d.label = "Werkt u in het HIS?".into();
        let out = field(&d, &one("nee"), None).into_string();
        assert!(
            out.contains("<legend>Werkt u in het HIS?</legend>"),
            "{out}"
        );
        assert!(out.contains(r#"<label for="f-x-ja">Ja</label>"#), "{out}");
        assert!(
            out.contains(r#"id="f-x-nee" name="x" value="nee" checked"#),
            "{out}"
        );
        assert!(!out.contains(r#"value="ja" checked"#), "{out}");
    }
}
