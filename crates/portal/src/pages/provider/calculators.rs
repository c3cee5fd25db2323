//! The what-if calculators (rekentools): the list, a form generated from a calculator's declared
//! inputs, and the result with its receipt (which policy exactly, which reference date).
//!
//! | input type | field | sent as |
//! |---|---|---|
//! | integer | number input | a whole JSON number |
//! | decimal | text input (decimal comma or point) | an exact JSON number |
//! | bool | radios "Ja"/"Nee" | `true` / `false` |
//! | text, date | text or date input | text |
//! | list, object | textarea with JSON | the JSON |
//!
//! An empty field is left out (optional inputs). The calculator checks the input itself.

use super::{decimal_nl, policy_title};
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;
use zorginkoop_app::AppError;
use zorginkoop_app::calculators::{self, CalcRequest, CalcResult};
use zorginkoop_app::engine::calc::{Calculator, Field};

/// The form field holding the reference date.
const DATE_FIELD: &str = "peildatum";

fn find(name: &str) -> Result<Calculator, AppError> {
    calculators::list()
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| AppError::NotFound(format!("rekentool {name}")))
}

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Response {
    let all = calculators::list();
    let body = html! {
        p { "Reken vooraf uit wat een module oplevert of vraagt, met de parameters van het beleid. Elke uitkomst komt met een ontvangstbewijs: welk beleid (versie en SHA-256) en welke peildatum." }
        div.cards {
            @for c in &all {
                section.card aria-labelledby={"r-" (c.name)} {
                    h2 id={"r-" (c.name)} { (c.name) }
                    p { (c.summary) }
                    p.hint { "Beleid: " (policy_title(&state, c.policy)) }
                    p { a href={"/rekentools/" (c.name)} aria-describedby={"r-" (c.name)} { "Openen" } }
                }
            }
        }
    };
    html::page(&state, Some(&user), "Rekentools", body).into_response()
}

fn optional(f: &Field) -> bool {
    f.doc.starts_with("optioneel")
}

fn input_field(f: &Field, value: &str) -> Markup {
    let id = format!("in-{}", f.name);
    let hint_id = format!("{id}-uitleg");
    html! {
        div.field {
            @match f.ty {
                "bool" => {
                    fieldset aria-describedby=(hint_id) {
                        legend { (f.doc) }
                        @for (v, label) in [("ja", "Ja"), ("nee", "Nee")] {
                            @let rid = format!("{id}-{v}");
                            span.choice {
                                input type="radio" id=(rid) name=(f.name) value=(v) checked[value == v];
                                label for=(rid) { (label) }
                            }
                        }
                    }
                }
                "list" | "object" => {
                    label for=(id) { (f.doc) }
                    textarea id=(id) name=(f.name) aria-describedby=(hint_id) { (value) }
                }
                "integer" => {
                    label for=(id) { (f.doc) }
                    input type="number" id=(id) name=(f.name) value=(value) min="0" step="1" inputmode="numeric"
                        required[!optional(f)] aria-describedby=(hint_id);
                }
                "date" => {
                    label for=(id) { (f.doc) }
                    input type="date" id=(id) name=(f.name) value=(value) required[!optional(f)] aria-describedby=(hint_id);
                }
                "decimal" => {
                    label for=(id) { (f.doc) }
                    input type="text" id=(id) name=(f.name) value=(value) inputmode="decimal"
                        required[!optional(f)] aria-describedby=(hint_id);
                }
                _ => {
                    label for=(id) { (f.doc) }
                    input type="text" id=(id) name=(f.name) value=(value) required[!optional(f)] aria-describedby=(hint_id);
                }
            }
            p.hint id=(hint_id) {
                "Veld " code { (f.name) } ": "
                (match f.ty {
                    "integer" => "een geheel getal",
                    "decimal" => "een getal (komma of punt)",
                    "bool" => "ja of nee",
                    "date" => "een datum",
                    "list" => "een lijst in JSON, bijvoorbeeld [{\"day\": \"ma\", ...}]",
                    "object" => "een object in JSON",
                    _ => "tekst",
                })
                "."
            }
        }
    }
}

/// The calculator's input from the posted texts: typed per the declared field types; empty
/// fields are left out. `Err` names the field that cannot be read.
pub fn input(c: &Calculator, raw: &BTreeMap<String, String>) -> Result<Value, AppError> {
    let mut map = serde_json::Map::new();
    for f in c.inputs {
        let Some(text) = raw.get(f.name).map(|t| t.trim()).filter(|t| !t.is_empty()) else {
            continue;
        };
        let bad = |problem: &str| AppError::Invalid {
            field: f.doc.to_string(),
            problem: format!("{text:?} is {problem}"),
        };
        let value = match f.ty {
            "integer" | "decimal" => {
                let d = Decimal::from_str(&text.replace([' ', '\u{a0}'], "").replace(',', "."))
                    .map_err(|_| bad("geen getal"))?;
                if f.ty == "integer" && !d.fract().is_zero() {
                    return Err(bad("geen geheel getal"));
                }
                Value::Number(
                    serde_json::Number::from_str(&d.normalize().to_string())
                        .map_err(|_| bad("geen getal"))?,
                )
            }
            "bool" => match text {
                "ja" => Value::Bool(true),
                "nee" => Value::Bool(false),
                _ => return Err(bad("geen ja of nee")),
            },
            "list" | "object" => {
                serde_json::from_str(text).map_err(|_| bad("geen geldige JSON"))?
            }
            _ => Value::String(text.to_string()),
        };
        map.insert(f.name.to_string(), value);
    }
    Ok(Value::Object(map))
}

/// An output value for people: yes/no in Dutch, numbers (also decimals written as text) with a
/// decimal comma, lists and objects as JSON.
fn output_text(v: &Value, ty: &str) -> Markup {
    let numeric = matches!(ty, "decimal" | "integer");
    html! {
        @match v {
            Value::Bool(true) => "ja",
            Value::Bool(false) => "nee",
            Value::Number(n) => (decimal_nl(&n.to_string())),
            Value::String(s) if numeric && Decimal::from_str(s).is_ok() => (decimal_nl(s)),
            Value::String(s) => (s),
            Value::Null => "—",
            other => pre { (serde_json::to_string_pretty(other).unwrap_or_default()) },
        }
    }
}

fn result_section(c: &Calculator, r: &CalcResult) -> Markup {
    let declared: Vec<&str> = c.outputs.iter().map(|f| f.name).collect();
    let rest: Vec<(&String, &Value)> = match &r.output {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !declared.contains(&k.as_str()))
            .collect(),
        _ => Vec::new(),
    };
    let receipt = &r.receipt;
    html! {
        h2 id="uitkomst-kop" { "Uitkomst" }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { "Uitkomst" } th scope="col" { "Waarde" } } }
                tbody {
                    @for f in c.outputs {
                        @if let Some(v) = r.output.get(f.name) {
                            tr { th scope="row" { (f.doc) br; span.hint { code { (f.name) } } } td { (output_text(v, f.ty)) } }
                        }
                    }
                    @for (k, v) in &rest {
                        tr { th scope="row" { code { (k) } } td { (output_text(v, "")) } }
                    }
                }
            }
        }
        h3 { "Ontvangstbewijs" }
        dl.kv {
            dt { "Beleid" } dd { (receipt.policy_id) ", versie " (receipt.policy_version) }
            dt { "SHA-256 van het beleid" } dd { code { (receipt.policy_sha256) } }
            dt { "Peildatum" } dd { (html::date_nl(receipt.reference_date)) }
            @if let Some(d) = receipt.parameter_date {
                dt { "Parameters gelezen op" } dd { (html::date_nl(d)) }
            }
            dt { "Engineversie" } dd { (receipt.engine_version) }
        }
    }
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    c: &Calculator,
    raw: &BTreeMap<String, String>,
    outcome: Option<Result<&CalcResult, String>>,
) -> Result<Markup, AppError> {
    let policy = super::policy(state, c.policy)?;
    let start = policy.file.policy.period_start;
    let action = format!("/rekentools/{}", c.name);
    Ok(html! {
        p { (c.summary) }
        p.hint { "Met de parameters van " (policy.file.policy.title) " (versie " (policy.file.policy.version) ")." }
        form method="post" action=(action) {
            (html::csrf_field(user))
            @for f in c.inputs {
                (input_field(f, raw.get(f.name).map(String::as_str).unwrap_or("")))
            }
            div.field {
                label for="in-peildatum" { "Peildatum (optioneel)" }
                input type="date" id="in-peildatum" name=(DATE_FIELD)
                    value=(raw.get(DATE_FIELD).map(String::as_str).unwrap_or(""))
                    aria-describedby="in-peildatum-uitleg";
                p.hint id="in-peildatum-uitleg" { "De dag waarop de parameters gelden; leeg: de eerste dag van het beleid (" (html::date_nl(start)) ")." }
            }
            p { button type="submit" { "Berekenen" } }
        }
        section id="uitkomst" aria-live="polite" aria-labelledby="uitkomst-kop" {
            @match &outcome {
                Some(Ok(r)) => { (result_section(c, r)) }
                Some(Err(e)) => {
                    h2 id="uitkomst-kop" { "Uitkomst" }
                    p.error role="alert" { (e) }
                }
                None => {
                    h2 id="uitkomst-kop" { "Uitkomst" }
                    p.hint { "Vul de velden in en kies Berekenen." }
                }
            }
        }
    })
}

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Response, PortalError> {
    let c = find(&name)?;
    let body = render(&state, &user, &c, &BTreeMap::new(), None)?;
    Ok(html::page(&state, Some(&user), &format!("Rekentool {}", c.name), body).into_response())
}

pub async fn run(
    State(state): State<AppState>,
    Path(name): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    let c = find(&name)?;
    let raw: BTreeMap<String, String> = form.into_iter().filter(|(k, _)| k != "csrf").collect();
    let date = match raw
        .get(DATE_FIELD)
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
    {
        None => Ok(None),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::Invalid {
                field: "peildatum".into(),
                problem: format!("{d:?} is geen datum (JJJJ-MM-DD)"),
            }),
    };
    let outcome = match (input(&c, &raw), date) {
        (Ok(input), Ok(date)) => {
            let policy_id = c.policy;
            let calc_name = c.name;
            state
                .run(move |s| {
                    let policy = zorginkoop_app::policies::find(&s.policies, policy_id)?;
                    calculators::run_with(
                        policy,
                        CalcRequest {
                            name: calc_name,
                            input,
                            policy: None,
                            date,
                            parameters: BTreeMap::new(),
                        },
                    )
                })
                .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let (code, shown) = match &outcome {
        Ok(r) => (StatusCode::OK, Some(Ok(r))),
        Err(e) => (crate::error::status(e), Some(Err(e.to_string()))),
    };
    let body = render(&state, &user, &c, &raw, shown)?;
    Ok((
        code,
        html::page(&state, Some(&user), &format!("Rekentool {}", c.name), body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_texts_become_typed_input_and_empty_fields_are_left_out() {
        let c = find("poh-ggz-hours").unwrap();
        let v = input(
            &c,
            &raw(&[
                ("registered_patients", "4700"),
                ("requested_hours_per_week", ""),
            ]),
        )
        .unwrap();
        assert_eq!(v.to_string(), r#"{"registered_patients":4700}"#);
        let v = input(
            &c,
            &raw(&[
                ("registered_patients", "2350"),
                ("requested_hours_per_week", "12,5"),
            ]),
        )
        .unwrap();
        assert_eq!(v["requested_hours_per_week"].to_string(), "12.5");
        assert!(input(&c, &raw(&[("registered_patients", "2,5")])).is_err());
        assert!(input(&c, &raw(&[("registered_patients", "veel")])).is_err());
    }

    #[test]
    fn an_unknown_calculator_is_not_found() {
        assert!(matches!(find("bestaat-niet"), Err(AppError::NotFound(_))));
    }
}
