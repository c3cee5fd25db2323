//! The what-if calculators (rekentools): the list, a form generated from a calculator's declared
//! inputs, and the result with its receipt (which policy exactly, which reference date).
//!
//! | input type | field | sent as |
//! |---|---|---|
//! | integer | number input | a whole JSON number |
//! | decimal | text input (decimal comma or point) | an exact JSON number |
//! | bool | radios "Ja"/"Nee" | `true` / `false` |
//! | text, date | text or date input | text |
//! | object with parts | a fieldset, an input per part (`name.part`) | an object |
//! | list of objects | a table, a row per object (`name[i].part`), empty rows left out | a list |
//! | list of values | a text area, a value per line | a list |
//! | list, object without parts | textarea with JSON | the JSON |
//!
//! A table shows the rows filled in plus two empty ones (at least three): without JavaScript,
//! compute once to get more rows. Parts are typed like fields, plus `weekday` (a choice of
//! maandag..zondag) and `time` (a time input, `HH:MM`).
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
                    h2 id={"r-" (c.name)} { (c.title) }
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

fn input_field(f: &Field, raw: &BTreeMap<String, String>) -> Markup {
    let value = raw.get(f.name).map(String::as_str).unwrap_or("");
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
                "object" if !f.items.is_empty() => {
                    fieldset aria-describedby=(hint_id) {
                        legend { (f.doc) }
                        @for part in f.items {
                            @let name = format!("{}.{}", f.name, part.name);
                            @let pid = format!("{id}-{}", part.name);
                            div.field {
                                label for=(pid) { (part.doc) }
                                (part_input(part, &pid, &name, raw.get(&name).map(String::as_str).unwrap_or("")))
                            }
                        }
                    }
                }
                "list" if f.items.len() == 1 && f.items[0].name.is_empty() => {
                    label for=(id) { (f.doc) }
                    textarea id=(id) name=(f.name) rows="4" aria-describedby=(hint_id) { (value) }
                }
                "list" if !f.items.is_empty() => {
                    fieldset aria-describedby=(hint_id) {
                        legend { (f.doc) }
                        div.table-wrap {
                            table {
                                thead { tr {
                                    th scope="col" { "Rij" }
                                    @for part in f.items { th scope="col" { (part.doc) } }
                                } }
                                tbody {
                                    @for i in 0..rows(f, raw) {
                                        tr {
                                            th scope="row" { (i + 1) }
                                            @for part in f.items {
                                                @let name = format!("{}[{i}].{}", f.name, part.name);
                                                @let pid = format!("{id}-{i}-{}", part.name);
                                                td {
                                                    label.visually-hidden for=(pid) { (part.doc) ", rij " (i + 1) }
                                                    (part_input(part, &pid, &name, raw.get(&name).map(String::as_str).unwrap_or("")))
                                                }
                                            }
                                        }
                                    }
                                }
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
                    "list" if f.items.len() == 1 && f.items[0].name.is_empty() => "één waarde per regel",
                    "list" if !f.items.is_empty() => "een rij per regel; lege rijen tellen niet mee (meer rijen na Berekenen)",
                    "object" if !f.items.is_empty() => "vul de delen in, of laat ze alle leeg",
                    "list" => "een lijst in JSON",
                    "object" => "een object in JSON",
                    _ => "tekst",
                })
                "."
            }
        }
    }
}

/// The days a `weekday` part offers, as the calculators read them.
const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// The input of one part of a list or object.
fn part_input(part: &Field, id: &str, name: &str, value: &str) -> Markup {
    html! {
        @match part.ty {
            "weekday" => {
                select id=(id) name=(name) {
                    option value="" selected[value.is_empty()] { "—" }
                    @for d in WEEKDAYS {
                        option value=(d) selected[value == d] { (d) }
                    }
                }
            }
            "time" => { input type="time" id=(id) name=(name) value=(value); }
            "integer" => { input type="number" id=(id) name=(name) value=(value) min="0" step="1" inputmode="numeric"; }
            "decimal" => { input type="text" id=(id) name=(name) value=(value) inputmode="decimal" size="8"; }
            _ => { input type="text" id=(id) name=(name) value=(value); }
        }
    }
}

/// The rows a list of objects shows: those filled in, plus two empty ones, at least three.
fn rows(f: &Field, raw: &BTreeMap<String, String>) -> usize {
    let filled = list_rows(f, raw).keys().next_back().map_or(0, |i| i + 1);
    (filled + 2).max(3)
}

/// The posted rows of a list of objects by index: `name[i].part` -> text, rows with every part
/// empty left out.
fn list_rows<'a>(
    f: &Field,
    raw: &'a BTreeMap<String, String>,
) -> BTreeMap<usize, BTreeMap<&'a str, &'a str>> {
    let prefix = format!("{}[", f.name);
    let mut rows: BTreeMap<usize, BTreeMap<&str, &str>> = BTreeMap::new();
    for (k, v) in raw.range(prefix.clone()..) {
        let Some(rest) = k.strip_prefix(&prefix) else {
            break;
        };
        let Some((i, part)) = rest.split_once("].") else {
            continue;
        };
        let (Ok(i), v) = (i.parse::<usize>(), v.trim()) else {
            continue;
        };
        if i < 1000 && !v.is_empty() && f.items.iter().any(|p| p.name == part) {
            rows.entry(i).or_default().insert(part, v);
        }
    }
    rows
}

/// One typed value from its text: numbers (decimal comma or point), ja/nee, else text.
fn scalar(ty: &str, text: &str, what: &str) -> Result<Value, AppError> {
    let bad = |problem: &str| AppError::Invalid {
        field: what.to_string(),
        problem: format!("{text:?} is {problem}"),
    };
    Ok(match ty {
        "integer" | "decimal" => {
            let d = Decimal::from_str(&text.replace([' ', '\u{a0}'], "").replace(',', "."))
                .map_err(|_| bad("geen getal"))?;
            if ty == "integer" && !d.fract().is_zero() {
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
        "list" | "object" => serde_json::from_str(text).map_err(|_| bad("geen geldige JSON"))?,
        _ => Value::String(text.to_string()),
    })
}

/// The value of a list or object field with parts, from its form fields; `None` when nothing
/// was filled in.
fn structured(f: &Field, raw: &BTreeMap<String, String>) -> Result<Option<Value>, AppError> {
    if f.ty == "object" {
        let mut m = serde_json::Map::new();
        for part in f.items {
            let key = format!("{}.{}", f.name, part.name);
            if let Some(text) = raw.get(&key).map(|t| t.trim()).filter(|t| !t.is_empty()) {
                let what = format!("{}: {}", f.doc, part.doc);
                m.insert(part.name.to_string(), scalar(part.ty, text, &what)?);
            }
        }
        return Ok((!m.is_empty()).then_some(Value::Object(m)));
    }
    if let [only] = f.items
        && only.name.is_empty()
    {
        let Some(text) = raw.get(f.name).map(|t| t.trim()).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.starts_with('[') {
            return scalar("list", text, f.doc).map(Some);
        }
        let values = text
            .split(['\n', ';'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .enumerate()
            .map(|(i, v)| scalar(only.ty, v, &format!("{}, regel {}", only.doc, i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Some(Value::Array(values)));
    }
    let rows = list_rows(f, raw);
    if rows.is_empty() {
        return Ok(None);
    }
    let mut list = Vec::new();
    for (n, (_, row)) in rows.iter().enumerate() {
        let mut m = serde_json::Map::new();
        for part in f.items {
            if let Some(text) = row.get(part.name) {
                let what = format!("{}, rij {}: {}", f.doc, n + 1, part.doc);
                m.insert(part.name.to_string(), scalar(part.ty, text, &what)?);
            }
        }
        list.push(Value::Object(m));
    }
    Ok(Some(Value::Array(list)))
}

/// The calculator's input from the posted texts: typed per the declared field types; empty
/// fields are left out. `Err` names the field that cannot be read.
pub fn input(c: &Calculator, raw: &BTreeMap<String, String>) -> Result<Value, AppError> {
    let mut map = serde_json::Map::new();
    for f in c.inputs {
        if !f.items.is_empty() && matches!(f.ty, "list" | "object") {
            if let Some(v) = structured(f, raw)? {
                map.insert(f.name.to_string(), v);
            }
            continue;
        }
        let Some(text) = raw.get(f.name).map(|t| t.trim()).filter(|t| !t.is_empty()) else {
            continue;
        };
        map.insert(f.name.to_string(), scalar(f.ty, text, f.doc)?);
    }
    Ok(Value::Object(map))
}

/// An output value for people: yes/no in Dutch, numbers (also decimals written as text) with a
/// decimal comma, a list of objects as a table, an object as a list of its parts, other lists
/// one value after another.
fn output_text(v: &Value, ty: &str) -> Markup {
    let numeric = matches!(ty, "decimal" | "integer");
    html! {
        @match v {
            Value::Bool(true) => "ja",
            Value::Bool(false) => "nee",
            Value::Number(n) => (decimal_nl(&n.to_string())),
            Value::String(s) if numeric && Decimal::from_str(s).is_ok() => (decimal_nl(s)),
            Value::String(s) if Decimal::from_str(s).is_ok() => (decimal_nl(s)),
            Value::String(s) => (s),
            Value::Null => "—",
            Value::Array(items) if items.is_empty() => "geen",
            Value::Array(items) if items.iter().all(Value::is_object) => {
                @let columns = columns(items);
                table.values {
                    thead { tr { @for c in &columns { th scope="col" { code { (c) } } } } }
                    tbody {
                        @for item in items {
                            tr { @for c in &columns {
                                td { @match item.get(c.as_str()) { Some(x) => (output_text(x, "")), None => "—" } }
                            } }
                        }
                    }
                }
            }
            Value::Array(items) => {
                @for (i, x) in items.iter().enumerate() {
                    @if i > 0 { "; " }
                    (output_text(x, ty))
                }
            }
            Value::Object(m) => {
                dl.kv {
                    @for (k, x) in m {
                        dt { code { (k) } } dd { (output_text(x, "")) }
                    }
                }
            }
        }
    }
}

/// The keys of a list of objects, in the order they first appear.
fn columns(items: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if let Value::Object(m) = item {
            for k in m.keys() {
                if !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
    }
    out
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
                (input_field(f, raw))
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
    Ok(html::page(
        &state,
        Some(&user),
        &format!("Rekentool: {}", c.title),
        body,
    )
    .into_response())
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
        html::page(
            &state,
            Some(&user),
            &format!("Rekentool: {}", c.title),
            body,
        ),
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
    fn a_weekly_schedule_is_a_table_of_rows_and_empty_rows_are_left_out() {
        let c = find("oaw-hours").unwrap();
        let v = input(
            &c,
            &raw(&[
                ("registered_patients", "3000"),
                ("sessions[0].day", "maandag"),
                ("sessions[0].start", "17:00"),
                ("sessions[0].end", "19:00"),
                ("sessions[0].gps", "2"),
                ("sessions[1].day", ""),
                ("sessions[1].start", ""),
                ("sessions[2].day", "zaterdag"),
                ("sessions[2].start", "09:00"),
                ("sessions[2].end", "10:30"),
            ]),
        )
        .unwrap();
        assert_eq!(
            v["sessions"].to_string(),
            r#"[{"day":"maandag","start":"17:00","end":"19:00","gps":2},{"day":"zaterdag","start":"09:00","end":"10:30"}]"#
        );
        // the form shows the rows filled in plus two empty ones
        let posted = raw(&[("sessions[4].day", "dinsdag")]);
        assert_eq!(rows(&c.inputs[1], &posted), 7);
        assert_eq!(rows(&c.inputs[1], &BTreeMap::new()), 3);
        let e = input(&c, &raw(&[("sessions[0].gps", "twee")])).unwrap_err();
        assert!(e.to_string().contains("rij 1"), "{e}");
    }

    #[test]
    fn an_object_is_its_parts_and_a_list_of_values_is_a_value_per_line() {
        let c = find("fgv-score").unwrap();
        let mut posted = raw(&[
            ("thresholds.x", "40"),
            ("thresholds.y", "52,5"),
            ("thresholds.z", "60"),
            ("group_results", "41,2\n55\n\n63,75"),
        ]);
        let v = input(&c, &posted).unwrap();
        assert_eq!(v["thresholds"].to_string(), r#"{"x":40,"y":52.5,"z":60}"#);
        assert_eq!(v["group_results"].to_string(), "[41.2,55,63.75]");
        posted.insert("thresholds.x".into(), String::new());
        posted.insert("thresholds.y".into(), String::new());
        posted.insert("thresholds.z".into(), String::new());
        assert!(input(&c, &posted).unwrap().get("thresholds").is_none());
    }

    #[test]
    fn every_calculator_has_a_dutch_title_of_its_own() {
        let all = calculators::list();
        for c in &all {
            assert!(!c.title.is_empty() && c.title != c.name, "{}", c.name);
            assert_eq!(all.iter().filter(|o| o.title == c.title).count(), 1);
        }
    }

    #[test]
    fn an_unknown_calculator_is_not_found() {
        assert!(matches!(find("bestaat-niet"), Err(AppError::NotFound(_))));
    }
}
