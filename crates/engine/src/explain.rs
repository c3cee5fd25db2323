//! The Dutch rendering of a decision: one line per module, the reasons under the ones that are
//! not simply eligible, and with `explain` every step with its inputs and citation. The CLI
//! (`zorginkoop decide`, `zorginkoop demo`) and the portal render the same text from here.

use crate::trace::{ContractedHow, Decision, Input, Outcome, StepKind, StepOutcome, TraceStep};
use std::fmt::Write as _;
use zorginkoop_policy::Source;

/// The mark of a module's outcome: ✓ ✗ ? ~.
pub fn mark(o: Outcome) -> &'static str {
    match o {
        Outcome::Eligible => "✓",
        Outcome::NotEligible => "✗",
        Outcome::NeedsInformation => "?",
        Outcome::NeedsReview => "~",
    }
}

/// The mark of a step's outcome: ✓ ✗ ? ~ ·.
pub fn step_mark(o: StepOutcome) -> &'static str {
    match o {
        StepOutcome::Passed => "✓",
        StepOutcome::Failed => "✗",
        StepOutcome::Unknown => "?",
        StepOutcome::Review => "~",
        StepOutcome::Info => "·",
    }
}

/// A citation: `[document · section · “quote”]`.
pub fn cite(s: &Source) -> String {
    format!(
        "[{} · {} · “{}”]",
        s.document,
        s.section.trim(),
        s.quote.trim()
    )
}

/// Dutch wording of how a module is (not) in place.
pub fn contracted_dutch(how: ContractedHow) -> &'static str {
    match how {
        ContractedHow::Existing => "heeft al een overeenkomst",
        ContractedHow::EligibleInRequest => "komt in dezelfde aanvraag in aanmerking",
        ContractedHow::NotEligible => "geen overeenkomst, komt niet in aanmerking",
        ContractedHow::NeedsInformation => "geen overeenkomst, informatie nodig",
        ContractedHow::NeedsReview => "geen overeenkomst, individuele beoordeling",
    }
}

/// One input, for people: `name = value` with where it came from.
pub fn input_dutch(i: &Input) -> String {
    let value = |v: Option<String>| v.unwrap_or_else(|| "(ontbreekt)".to_string());
    match i {
        Input::Fact { name, value: v } => {
            format!("{name} = {}", value(v.as_ref().map(|v| v.to_string())))
        }
        Input::ProviderKind { value } => format!("soort aanbieder = {}", value.dutch()),
        Input::Parameter {
            id,
            value: v,
            valid_from,
        } => match (v, valid_from) {
            (Some(v), Some(from)) => {
                format!("parameter {id} = {} (geldig vanaf {from})", v.normalize())
            }
            // an override of the request holds on every date (see the receipt)
            (Some(v), None) => {
                format!(
                    "parameter {id} = {} (aangepast in de aanvraag)",
                    v.normalize()
                )
            }
            _ => format!("parameter {id} = (geen waarde op de peildatum)"),
        },
        Input::Contracted { module, how } => {
            format!("overeenkomst {module}: {}", contracted_dutch(*how))
        }
        Input::Derived {
            fact,
            calculator,
            value: v,
        } => format!(
            "{fact} = {} (berekend met {calculator})",
            value(v.as_ref().map(|v| v.to_string()))
        ),
        Input::TableRow { table, row, cells } => {
            let cells: Vec<String> = cells
                .iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => format!("{k} = {s}"),
                    serde_json::Value::Bool(true) => format!("{k} = ja"),
                    serde_json::Value::Bool(false) => format!("{k} = nee"),
                    other => format!("{k} = {other}"),
                })
                .collect();
            format!("tabel {table}, rij {}: {}", row + 1, cells.join(", "))
        }
        Input::RequestDate { date } => format!("aanvraagdatum = {date}"),
    }
}

/// One step: mark and text, the check with its inputs (or the inputs alone), the note and the
/// citation.
pub fn render_step(out: &mut String, s: &TraceStep, indent: &str) {
    let _ = writeln!(out, "{indent}{} {}", step_mark(s.outcome), s.text().trim());
    let inputs: Vec<String> = s.inputs.iter().map(input_dutch).collect();
    match s.check() {
        Some(c) => {
            let _ = writeln!(out, "{indent}    toets: {c}   [{}]", inputs.join("; "));
        }
        // a requirement's note says the same as its input
        None if !inputs.is_empty() && s.rule().kind != StepKind::Requires => {
            let _ = writeln!(out, "{indent}    invoer: {}", inputs.join("; "));
        }
        None => {}
    }
    if let Some(n) = &s.note {
        let _ = writeln!(out, "{indent}    {n}");
    }
    let _ = writeln!(out, "{indent}    {}", cite(s.source()));
}

/// The decision for people: one line per module, the reasons under the ones that are not
/// simply eligible, and with `explain` every step with its citation.
pub fn render_decision(d: &Decision, explain: bool) -> String {
    let mut out = String::new();
    let r = &d.receipt;
    let _ = writeln!(
        out,
        "Beslissing voor {} ({}), aanvraagdatum {}",
        d.provider.name,
        d.provider.kind.dutch(),
        d.request_date
    );
    let _ = writeln!(
        out,
        "Beleid {} versie {} (sha256 {}…), engine {}, peildatum {}\n",
        r.policy_id,
        r.policy_version,
        &r.policy_sha256[..12.min(r.policy_sha256.len())],
        r.engine_version,
        r.reference_date
    );
    if !r.overrides.is_empty() {
        let _ = writeln!(
            out,
            "Aangepaste parameters (voorbeeldwaarden, per aanvraag):"
        );
        for o in &r.overrides {
            let _ = match o.policy_value {
                Some(p) => writeln!(out, "  {} = {} (beleid: {p})", o.id, o.value),
                None => writeln!(out, "  {} = {} (beleid: geen waarde)", o.id, o.value),
            };
        }
        let _ = writeln!(out);
    }
    let width = d
        .modules
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(10);
    for m in &d.modules {
        let mut line = format!(
            "{} {:<width$}  {}",
            mark(m.outcome),
            m.name,
            m.outcome.dutch(),
            width = width
        );
        if let Some(s) = m.earliest_start {
            let _ = write!(line, ", vanaf {s}");
            if let Some(dl) = m.request_deadline
                && dl != s
            {
                let _ = write!(line, " (aanvraag uiterlijk {dl})");
            }
        }
        if !m.missing_facts.is_empty() {
            // "informatie nodig: a, b"; after another outcome the facts that would also be needed
            let lead = if m.outcome == Outcome::NeedsInformation {
                ": "
            } else {
                "; ook nodig: "
            };
            let _ = write!(line, "{lead}{}", m.missing_facts.join(", "));
        }
        let _ = writeln!(out, "{line}");
        if explain {
            for s in &m.steps {
                render_step(&mut out, s, "    ");
            }
        } else if m.outcome != Outcome::Eligible {
            for s in m.steps.iter().filter(|s| {
                matches!(
                    s.outcome,
                    StepOutcome::Failed | StepOutcome::Review | StepOutcome::Unknown
                )
            }) {
                render_step(&mut out, s, "    ");
            }
        }
    }
    if !explain {
        let _ = writeln!(
            out,
            "\n(--explain toont elke stap met bronvermelding; --json voor machines)"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;
    use zorginkoop_policy::FactValue;

    #[test]
    fn inputs_say_in_dutch_where_they_came_from() {
        let date = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        let param = Input::Parameter {
            id: "ro.min-inhabitants".into(),
            value: Some(Decimal::new(100_000, 0)),
            valid_from: Some(date),
        };
        assert_eq!(
            input_dutch(&param),
            "parameter ro.min-inhabitants = 100000 (geldig vanaf 2022-01-01)"
        );
        let overridden = Input::Parameter {
            id: "ro.min-inhabitants".into(),
            value: Some(Decimal::new(90_000, 0)),
            valid_from: None,
        };
        assert_eq!(
            input_dutch(&overridden),
            "parameter ro.min-inhabitants = 90000 (aangepast in de aanvraag)"
        );
        let missing = Input::Fact {
            name: "patients".into(),
            value: None,
        };
        assert_eq!(input_dutch(&missing), "patients = (ontbreekt)");
        let derived = Input::Derived {
            fact: "norm_hours".into(),
            calculator: "poh-ggz-hours".into(),
            value: Some(FactValue::Number(Decimal::new(24, 0)).into()),
        };
        assert_eq!(
            input_dutch(&derived),
            "norm_hours = 24 (berekend met poh-ggz-hours)"
        );
        let contracted = Input::Contracted {
            module: "basiszorg".into(),
            how: ContractedHow::EligibleInRequest,
        };
        assert_eq!(
            input_dutch(&contracted),
            "overeenkomst basiszorg: komt in dezelfde aanvraag in aanmerking"
        );
        let mut cells = BTreeMap::new();
        cells.insert("category".to_string(), serde_json::json!("small"));
        cells.insert("paid_ratio".to_string(), serde_json::json!("0.8"));
        let row = Input::TableRow {
            table: "overproduction".into(),
            row: 5,
            cells,
        };
        assert_eq!(
            input_dutch(&row),
            "tabel overproduction, rij 6: category = small, paid_ratio = 0.8"
        );
    }
}
