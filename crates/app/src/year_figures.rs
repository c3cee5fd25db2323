//! Year figures of GP care (issue 14 part 5): the FGV score of every practice of a measurement
//! year, per formulary group, from the measurement results (document 001, "Prestatie
//! Formulariumgericht voorschrijven").
//!
//! "Huisartsen worden altijd vergeleken met huisartsen die hetzelfde formularium gebruiken. Om
//! die reden bepalen we de grenswaarden pas nadat de meetresultaten zijn aangeleverd." So:
//!
//! * per practice FGV1 = conform first prescriptions / all first prescriptions × 100 %, by the
//!   engine's calculator `fgv-score` (the same code as the what-if page and the API);
//! * with the thresholds the insurer published for a formulary (`--thresholds`), the score A-D;
//! * without them, no score: the band by the quartiles of the group's FGV1 results as an
//!   INDICATION (the calculator's `indicative_score`), when the group has at least
//!   [`FGV_MIN_GROUP`] practices.
//!
//! The measurement data come as CSV (what Nivel delivers, one row per practice):
//! `practice_agb,formulary,conform_first_prescriptions,total_first_prescriptions`; thresholds as
//! `formulary,x,y,z` (percentages). Errors name the file, the line and the field.

use crate::AppError;
use crate::calculators::{self, CalcRequest};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use zorginkoop_engine::calc::gp::FGV_MIN_GROUP;
use zorginkoop_policy::Policy;

/// One practice's measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FgvMeasurement {
    /// 8 digits.
    pub practice_agb: String,
    pub formulary: String,
    pub conform: u64,
    pub total: u64,
}

/// The thresholds x, y, z (percentages) published for a formulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    pub x: Decimal,
    pub y: Decimal,
    pub z: Decimal,
}

/// One practice's FGV figures of the year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FgvRow {
    pub practice_agb: String,
    pub formulary: String,
    /// Practices measured with the same formulary.
    pub group_size: usize,
    pub fgv1_percentage: Decimal,
    /// A-D; only with published thresholds.
    pub score: Option<String>,
    /// An indication by the group's quartiles, never a score.
    pub indicative_score: Option<String>,
    /// The thresholds the score or indication was read from.
    pub thresholds: Option<Thresholds>,
    /// `given`, `indication-group-quartiles` or `none`.
    pub threshold_method: String,
}

/// The version of the JSON shape of [`FgvYear`].
pub const FGV_SCHEMA: &str = "zorginkoop.fgv-year/1";

/// The FGV figures of a measurement year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FgvYear {
    pub schema: &'static str,
    pub policy_id: String,
    pub policy_version: String,
    pub measurement_year: i32,
    /// From the calculator: the first and last day measured.
    pub measured_from: chrono::NaiveDate,
    pub measured_to: chrono::NaiveDate,
    pub rows: Vec<FgvRow>,
}

/// An AGB code of 8 digits (kept as text: leading zeros stay), or the error naming file, line
/// and field.
pub(crate) fn agb(path: &Path, line: usize, field: &str, text: &str) -> Result<(), AppError> {
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(bad(
            path,
            line,
            field,
            format!("`{text}` is geen AGB-code van 8 cijfers"),
        ))
    }
}

pub(crate) fn bad(path: &Path, line: usize, field: &str, problem: String) -> AppError {
    AppError::Invalid {
        field: format!("{}, regel {line}, veld {field}", path.display()),
        problem,
    }
}

/// Splits a CSV file into its rows (after checking the header), with their line numbers.
pub(crate) fn rows<'t>(
    path: &Path,
    text: &'t str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'t str>)>, AppError> {
    let mut lines = text.lines().enumerate();
    let head: Vec<&str> = lines
        .next()
        .map(|(_, h)| {
            h.trim_start_matches('\u{feff}')
                .split(',')
                .map(str::trim)
                .collect()
        })
        .unwrap_or_default();
    if head != header {
        return Err(bad(
            path,
            1,
            "kopregel",
            format!("verwacht `{}`", header.join(",")),
        ));
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != header.len() {
            return Err(bad(
                path,
                i + 1,
                "aantal velden",
                format!("{} velden, verwacht {}", f.len(), header.len()),
            ));
        }
        out.push((i + 1, f));
    }
    Ok(out)
}

/// Reads measurement results (see the module docs for the columns).
pub fn parse_measurements(path: &Path, text: &str) -> Result<Vec<FgvMeasurement>, AppError> {
    let header = [
        "practice_agb",
        "formulary",
        "conform_first_prescriptions",
        "total_first_prescriptions",
    ];
    let mut out: Vec<FgvMeasurement> = Vec::new();
    for (n, f) in rows(path, text, &header)? {
        agb(path, n, header[0], f[0])?;
        if f[1].is_empty() {
            return Err(bad(path, n, header[1], "leeg".into()));
        }
        let count = |i: usize| {
            f[i].parse::<u64>().map_err(|_| {
                bad(
                    path,
                    n,
                    header[i],
                    format!("`{}` is geen geheel getal van 0 of meer", f[i]),
                )
            })
        };
        let (conform, total) = (count(2)?, count(3)?);
        if total == 0 || conform > total {
            return Err(bad(
                path,
                n,
                header[2],
                format!(
                    "{conform} van {total} eerste voorschriften: verwacht 0 ≤ conform ≤ totaal en totaal ≥ 1"
                ),
            ));
        }
        if out.iter().any(|m| m.practice_agb == f[0]) {
            return Err(bad(
                path,
                n,
                header[0],
                format!("praktijk {} staat er twee keer in", f[0]),
            ));
        }
        out.push(FgvMeasurement {
            practice_agb: f[0].to_string(),
            formulary: f[1].to_string(),
            conform,
            total,
        });
    }
    Ok(out)
}

/// Reads published thresholds per formulary (`formulary,x,y,z`).
pub fn parse_thresholds(path: &Path, text: &str) -> Result<BTreeMap<String, Thresholds>, AppError> {
    let header = ["formulary", "x", "y", "z"];
    let mut out = BTreeMap::new();
    for (n, f) in rows(path, text, &header)? {
        let pct = |i: usize| {
            Decimal::from_str(&f[i].replace(',', "."))
                .ok()
                .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
                .ok_or_else(|| {
                    bad(
                        path,
                        n,
                        header[i],
                        format!("`{}` is geen percentage tussen 0 en 100", f[i]),
                    )
                })
        };
        let t = Thresholds {
            x: pct(1)?,
            y: pct(2)?,
            z: pct(3)?,
        };
        if !(t.x <= t.y && t.y <= t.z) {
            return Err(bad(path, n, "x, y, z", "verwacht x ≤ y ≤ z".into()));
        }
        if out.insert(f[0].to_string(), t).is_some() {
            return Err(bad(
                path,
                n,
                header[0],
                format!("formularium {} staat er twee keer in", f[0]),
            ));
        }
    }
    Ok(out)
}

pub(crate) fn decimal(v: &serde_json::Value) -> Option<Decimal> {
    match v {
        serde_json::Value::String(s) => Decimal::from_str(s).ok(),
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

fn thresholds_of(v: &serde_json::Value) -> Option<Thresholds> {
    Some(Thresholds {
        x: decimal(v.get("x")?)?,
        y: decimal(v.get("y")?)?,
        z: decimal(v.get("z")?)?,
    })
}

/// The FGV figures of `year` for every practice measured, with the GP policy's parameters.
pub fn fgv_year(
    policy: &Policy,
    year: i32,
    measurements: &[FgvMeasurement],
    published: &BTreeMap<String, Thresholds>,
) -> Result<FgvYear, AppError> {
    let run = |m: &FgvMeasurement, extra: serde_json::Value| {
        let mut input = serde_json::json!({
            "conform_first_prescriptions": m.conform,
            "total_first_prescriptions": m.total,
            "measurement_year": year,
        });
        if let (Some(o), serde_json::Value::Object(e)) = (input.as_object_mut(), extra) {
            o.extend(e);
        }
        calculators::run_with(
            policy,
            CalcRequest {
                name: "fgv-score",
                input,
                policy: None,
                date: None,
                parameters: BTreeMap::new(),
            },
        )
    };
    // first each practice's FGV1 alone, then per group with the thresholds or the quartiles
    let mut pct: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut groups: BTreeMap<&str, Vec<Decimal>> = BTreeMap::new();
    let mut period = None;
    for m in measurements {
        let r = run(m, serde_json::json!({}))?;
        let p = r
            .output
            .get("fgv1_percentage")
            .and_then(decimal)
            .ok_or_else(|| AppError::BadRecord("fgv-score gaf geen fgv1_percentage".into()))?;
        if period.is_none() {
            let mp = r.output.get("measurement_period");
            let day = |k: &str| {
                mp.and_then(|v| v.get(k))
                    .and_then(|v| v.as_str())
                    .and_then(|s| s.parse::<chrono::NaiveDate>().ok())
            };
            period = day("from").zip(day("to"));
        }
        pct.insert(&m.practice_agb, p);
        groups.entry(&m.formulary).or_default().push(p);
    }
    let mut out = Vec::with_capacity(measurements.len());
    for m in measurements {
        let group = &groups[m.formulary.as_str()];
        let extra = match published.get(&m.formulary) {
            Some(t) => {
                serde_json::json!({ "thresholds": { "x": t.x.to_string(), "y": t.y.to_string(), "z": t.z.to_string() } })
            }
            None if group.len() >= FGV_MIN_GROUP => serde_json::json!({
                "group_results": group.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            }),
            None => serde_json::json!({}),
        };
        let r = run(m, extra)?.output;
        let text = |k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_string);
        out.push(FgvRow {
            practice_agb: m.practice_agb.clone(),
            formulary: m.formulary.clone(),
            group_size: group.len(),
            fgv1_percentage: pct[m.practice_agb.as_str()],
            score: text("score"),
            indicative_score: text("indicative_score"),
            thresholds: r
                .get("thresholds")
                .and_then(thresholds_of)
                .or_else(|| r.get("indicative_thresholds").and_then(thresholds_of)),
            threshold_method: text("threshold_method").unwrap_or_else(|| "none".into()),
        });
    }
    out.sort_by(|a, b| {
        (a.formulary.as_str(), a.practice_agb.as_str())
            .cmp(&(b.formulary.as_str(), b.practice_agb.as_str()))
    });
    let (measured_from, measured_to) = period.unwrap_or((
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    ));
    Ok(FgvYear {
        schema: FGV_SCHEMA,
        policy_id: policy.file.policy.id.clone(),
        policy_version: policy.file.policy.version.clone(),
        measurement_year: year,
        measured_from,
        measured_to,
        rows: out,
    })
}

/// Refuses a year outside the policy's period, in Dutch (`what` names the year, e.g. `jaar`).
pub(crate) fn check_year(policy: &Policy, year: i32, what: &str) -> Result<(), AppError> {
    use chrono::Datelike;
    let (start, end) = (
        policy.file.policy.period_start.year(),
        policy.file.policy.period_end.year(),
    );
    if year < start || year > end {
        return Err(AppError::Invalid {
            field: what.into(),
            problem: format!(
                "{year} valt buiten de looptijd van {} ({start} t/m {end}); kies een ander beleid",
                policy.file.policy.id
            ),
        });
    }
    Ok(())
}

pub(crate) use zorginkoop_policy::dutch::{euro, number as dutch_number};

impl FgvYear {
    /// The figures as Dutch text, a block per formulary.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Formulariumgericht voorschrijven (FGV1), meetjaar {} ({} t/m {}), beleid {} versie {}",
            self.measurement_year,
            self.measured_from.format("%-d-%-m-%Y"),
            self.measured_to.format("%-d-%-m-%Y"),
            self.policy_id,
            self.policy_version
        );
        let nl = |d: Decimal| d.normalize().to_string().replace('.', ",");
        let mut last: Option<&str> = None;
        for r in &self.rows {
            if last != Some(r.formulary.as_str()) {
                let how = match (r.threshold_method.as_str(), r.thresholds) {
                    ("given", Some(t)) => format!(
                        "gepubliceerde grenswaarden x {} %, y {} %, z {} %",
                        nl(t.x),
                        nl(t.y),
                        nl(t.z)
                    ),
                    ("indication-group-quartiles", Some(t)) => format!(
                        "geen grenswaarden gepubliceerd; INDICATIE volgens de kwartielen van de groep: {} %, {} %, {} %",
                        nl(t.x),
                        nl(t.y),
                        nl(t.z)
                    ),
                    _ => format!(
                        "geen grenswaarden gepubliceerd en minder dan {FGV_MIN_GROUP} praktijken: geen score en geen indicatie"
                    ),
                };
                let _ = writeln!(
                    s,
                    "\nFormularium {} ({} praktijken): {how}",
                    r.formulary, r.group_size
                );
                last = Some(&r.formulary);
            }
            let verdict = match (&r.score, &r.indicative_score) {
                (Some(sc), _) => format!("score {sc}"),
                (None, Some(i)) => format!("indicatie {i} (geen score)"),
                _ => "geen score".into(),
            };
            let _ = writeln!(
                s,
                "  {}  FGV1 {} %  {verdict}",
                r.practice_agb,
                nl(r.fgv1_percentage)
            );
        }
        s
    }
}
