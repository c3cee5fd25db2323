//! Year figures of O&I (issue 14 part 5): the Krachtige Basiszorg monitor per participating
//! practice (document 002, "Bijlage 4: Krachtige Basiszorg", Monitoring en rapportage).
//!
//! "De monitor is gebaseerd op de Vektis Praktijkspiegel (Totale zorgkosten regionaal, exclusief
//! de hoge kosten patiënten). De monitor bevat de 3 voorgaande jaren en bevat de volgende data per
//! praktijk: Het verschil tussen werkelijke en verwachte MSZ kosten, ... GGZ kosten, ... Farmacie
//! zorgkosten, ... ANW/HAP/HDS consulten en visites." and "In Q2 2026 en Q2 2027 deelt en
//! bespreekt de regio-organisatie de monitor met de regionale zorginkoper."
//!
//! The input is the Praktijkspiegel's figures as CSV, one row per practice, year and domain:
//! `practice_agb,year,domain,actual,expected`, domain one of `msz`, `ggz`, `farmacie` (costs in
//! euro) or `anw` (ANW/HAP/HDS consultations and visits), decimals with a point. Choices:
//!
//! * the figures are taken as the Praktijkspiegel gives them: high-cost patients are already
//!   left out there, this module does not filter anything;
//! * `anw` is a number of consultations and visits in whatever measure the Praktijkspiegel
//!   uses (an absolute count or a figure per 1,000 normed patients); decimals are allowed, it is
//!   never converted and never shown as euro, actual and expected must be in the same measure;
//! * the monitor year is the year in which it is shared (2026 or 2027, timelines
//!   `kbz-monitor-2026`/`kbz-monitor-2027`); it shows the `kbz.monitor-years` years before it
//!   (2023-2025 for 2026). Rows of other years are ignored and counted in a note;
//! * per practice, year and domain: actual, expected, the difference actual − expected and that
//!   difference as a percentage of expected (1 decimal, half away from zero) when expected > 0.
//!   A negative difference means less cost (or fewer consultations) than expected: favourable;
//! * a year or domain missing for a practice is shown as missing ("ontbreekt"), never as zero.
//!
//! All figures are exact decimals.

use crate::AppError;
use crate::year_figures::{agb, bad, check_year, dutch_number, euro, rows};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;
use zorginkoop_policy::{Policy, Source};

/// The parameter with the number of years before the monitor year.
pub const YEARS_PARAM: &str = "kbz.monitor-years";

/// The version of the JSON shape of [`KbzMonitor`].
pub const KBZ_MONITOR_SCHEMA: &str = "zorginkoop.kbz-monitor/1";

/// The four domains of the monitor, in the document's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Domain {
    Msz,
    Ggz,
    Farmacie,
    Anw,
}

impl Domain {
    pub const ALL: [Domain; 4] = [Domain::Msz, Domain::Ggz, Domain::Farmacie, Domain::Anw];

    /// The code in the CSV.
    pub fn code(self) -> &'static str {
        match self {
            Domain::Msz => "msz",
            Domain::Ggz => "ggz",
            Domain::Farmacie => "farmacie",
            Domain::Anw => "anw",
        }
    }

    /// The Dutch label, as in the document.
    pub fn label(self) -> &'static str {
        match self {
            Domain::Msz => "MSZ-kosten",
            Domain::Ggz => "GGZ-kosten",
            Domain::Farmacie => "Farmacie zorgkosten",
            Domain::Anw => "ANW/HAP/HDS consulten en visites",
        }
    }

    /// `eur` for the cost domains, `count` for ANW.
    pub fn unit(self) -> &'static str {
        match self {
            Domain::Anw => "count",
            _ => "eur",
        }
    }

    fn parse(s: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.code() == s)
    }
}

/// One row of the Praktijkspiegel figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbzFigure {
    /// 8 digits.
    pub practice_agb: String,
    pub year: i32,
    pub domain: Domain,
    pub actual: Decimal,
    pub expected: Decimal,
}

/// One domain of one year of a practice: the figures, or missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbzCell {
    pub domain: Domain,
    /// `eur` or `count`.
    pub unit: &'static str,
    /// True when the input has no figures for it (never shown as zero).
    pub missing: bool,
    pub actual: Option<Decimal>,
    pub expected: Option<Decimal>,
    /// actual − expected; negative is favourable.
    pub difference: Option<Decimal>,
    /// The difference as a percentage of expected, 1 decimal; only when expected > 0.
    pub difference_percentage: Option<Decimal>,
}

/// One year of a practice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbzYear {
    pub year: i32,
    pub domains: Vec<KbzCell>,
}

/// One participating practice in the monitor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbzPractice {
    pub practice_agb: String,
    pub years: Vec<KbzYear>,
}

/// The KBZ monitor of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbzMonitor {
    pub schema: &'static str,
    pub policy_id: String,
    pub policy_version: String,
    /// The year in which the monitor is shared.
    pub monitor_year: i32,
    /// The window in which it is shared and discussed (the timeline `kbz-monitor-<year>`).
    pub shared_from: chrono::NaiveDate,
    pub shared_until: Option<chrono::NaiveDate>,
    /// The years shown, oldest first.
    pub years: Vec<i32>,
    pub practices: Vec<KbzPractice>,
    /// Input rows of years outside the window, left out.
    pub ignored_rows: usize,
    pub ignored_years: Vec<i32>,
    /// The choices this report rests on, in Dutch.
    pub notes: Vec<String>,
    /// The passages the monitor rests on.
    pub sources: Vec<Source>,
}

/// Reads the Praktijkspiegel figures (see the module docs for the columns). Errors name the
/// file, the line and the field.
pub fn parse_figures(path: &Path, text: &str) -> Result<Vec<KbzFigure>, AppError> {
    let header = ["practice_agb", "year", "domain", "actual", "expected"];
    let mut out: Vec<KbzFigure> = Vec::new();
    for (n, f) in rows(path, text, &header)? {
        agb(path, n, header[0], f[0])?;
        let year = f[1]
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or_else(|| bad(path, n, header[1], format!("`{}` is geen jaartal", f[1])))?;
        let domain = Domain::parse(f[2]).ok_or_else(|| {
            bad(
                path,
                n,
                header[2],
                format!("`{}` is geen domein; kies msz, ggz, farmacie of anw", f[2]),
            )
        })?;
        let amount = |i: usize| {
            // plain decimals only: no sign, no exponent, no thousands separator
            Some(f[i])
                .filter(|t| t.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
                .and_then(|t| Decimal::from_str(t).ok())
                .ok_or_else(|| {
                    bad(
                        path,
                        n,
                        header[i],
                        format!(
                            "`{}` is geen getal van 0 of meer (decimalen met een punt)",
                            f[i]
                        ),
                    )
                })
        };
        let (actual, expected) = (amount(3)?, amount(4)?);
        if out
            .iter()
            .any(|x| x.practice_agb == f[0] && x.year == year && x.domain == domain)
        {
            return Err(bad(
                path,
                n,
                header[2],
                format!(
                    "praktijk {} heeft voor {year} al een regel {}",
                    f[0],
                    domain.code()
                ),
            ));
        }
        out.push(KbzFigure {
            practice_agb: f[0].to_string(),
            year,
            domain,
            actual,
            expected,
        });
    }
    Ok(out)
}

/// The KBZ monitor shared in `monitor_year` (2026 or 2027): per practice in the figures, the
/// `kbz.monitor-years` years before it, every domain.
pub fn kbz_monitor(
    policy: &Policy,
    monitor_year: i32,
    figures: &[KbzFigure],
) -> Result<KbzMonitor, AppError> {
    check_year(policy, monitor_year, "monitorjaar")?;
    let timeline_id = format!("kbz-monitor-{monitor_year}");
    let milestone = policy
        .file
        .timeline
        .iter()
        .find(|m| m.id == timeline_id)
        .ok_or_else(|| AppError::Invalid {
            field: "monitorjaar".into(),
            problem: format!(
                "{} noemt geen KBZ-monitor in {monitor_year} (mijlpaal {timeline_id} ontbreekt)",
                policy.file.policy.id
            ),
        })?;
    let (n_years, years_param) = policy
        .param_on(YEARS_PARAM, milestone.date)
        .ok_or_else(|| AppError::Invalid {
            field: "beleid".into(),
            problem: format!(
                "{} heeft geen parameter {YEARS_PARAM}; kies het O&I-beleid",
                policy.file.policy.id
            ),
        })?;
    let n_years = rust_decimal::prelude::ToPrimitive::to_i32(&n_years)
        .filter(|_| n_years.fract().is_zero())
        .filter(|n| (1..=50).contains(n))
        .ok_or_else(|| AppError::Invalid {
            field: YEARS_PARAM.into(),
            problem: format!("{n_years} is geen bruikbaar aantal jaren"),
        })?;
    let years: Vec<i32> = (monitor_year - n_years..monitor_year).collect();

    let mut by_key: BTreeMap<(&str, i32, Domain), &KbzFigure> = BTreeMap::new();
    let mut agbs: BTreeSet<&str> = BTreeSet::new();
    let mut ignored_rows = 0;
    let mut ignored_years: BTreeSet<i32> = BTreeSet::new();
    for f in figures {
        agbs.insert(&f.practice_agb);
        if years.contains(&f.year) {
            by_key.insert((&f.practice_agb, f.year, f.domain), f);
        } else {
            ignored_rows += 1;
            ignored_years.insert(f.year);
        }
    }
    let practices = agbs
        .into_iter()
        .map(|agb| KbzPractice {
            practice_agb: agb.to_string(),
            years: years
                .iter()
                .map(|&year| KbzYear {
                    year,
                    domains: Domain::ALL
                        .into_iter()
                        .map(|d| cell(d, by_key.get(&(agb, year, d)).copied()))
                        .collect(),
                })
                .collect(),
        })
        .collect();

    let mut notes = vec![
        "De cijfers komen uit de Vektis Praktijkspiegel (totale zorgkosten regionaal), waarin de hoge kosten patiënten al zijn weggelaten; deze monitor filtert niets.".to_string(),
        "Verschil = werkelijk − verwacht. Een negatief verschil betekent lagere kosten (of minder consulten en visites) dan verwacht: gunstig. Het percentage is het verschil gedeeld door verwacht, op 1 decimaal; zonder verwacht groter dan 0 geen percentage.".to_string(),
        "ANW/HAP/HDS consulten en visites staan in de maat van de Praktijkspiegel (aantal, of per 1.000 patiënten); geen bedragen.".to_string(),
        "Een ontbrekend jaar of domein staat er als ‘ontbreekt’, nooit als 0.".to_string(),
    ];
    if ignored_rows > 0 {
        notes.push(format!(
            "{ignored_rows} {} met een jaar buiten {}-{} genegeerd ({}).",
            if ignored_rows == 1 { "regel" } else { "regels" },
            years[0],
            years[years.len() - 1],
            ignored_years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    let document = policy.file.policy.document.clone();
    let mut sources = vec![Source {
        document: document.clone(),
        section: "Bijlage 4: Krachtige Basiszorg".into(),
        quote: "De monitor is gebaseerd op de Vektis Praktijkspiegel (Totale zorgkosten regionaal, exclusief de hoge kosten patiënten). De monitor bevat de 3 voorgaande jaren en bevat de volgende data per praktijk".into(),
    }];
    for s in [&years_param.source, &milestone.source] {
        // a passage the ones before already quote is not cited twice
        if !sources.iter().any(|c| c.quote.contains(s.quote.as_str())) {
            sources.push(s.clone());
        }
    }

    Ok(KbzMonitor {
        schema: KBZ_MONITOR_SCHEMA,
        policy_id: policy.file.policy.id.clone(),
        policy_version: policy.file.policy.version.clone(),
        monitor_year,
        shared_from: milestone.date,
        shared_until: milestone.until,
        years,
        practices,
        ignored_rows,
        ignored_years: ignored_years.into_iter().collect(),
        notes,
        sources,
    })
}

fn cell(domain: Domain, f: Option<&KbzFigure>) -> KbzCell {
    match f {
        None => KbzCell {
            domain,
            unit: domain.unit(),
            missing: true,
            actual: None,
            expected: None,
            difference: None,
            difference_percentage: None,
        },
        Some(f) => {
            let difference = f.actual - f.expected;
            let difference_percentage = (f.expected > Decimal::ZERO).then(|| {
                (difference * Decimal::ONE_HUNDRED / f.expected)
                    .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
            });
            KbzCell {
                domain,
                unit: domain.unit(),
                missing: false,
                actual: Some(f.actual),
                expected: Some(f.expected),
                difference: Some(difference),
                difference_percentage,
            }
        }
    }
}

impl KbzMonitor {
    /// The monitor as Dutch text: a table per practice, then the notes and the passages.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let first = self.years.first().copied().unwrap_or(self.monitor_year);
        let last = self.years.last().copied().unwrap_or(self.monitor_year);
        let _ = writeln!(
            s,
            "KBZ-monitor {} (delen en bespreken {}{}), jaren {first}-{last}, beleid {} versie {}",
            self.monitor_year,
            self.shared_from.format("%-d-%-m-%Y"),
            self.shared_until
                .map(|u| format!(" t/m {}", u.format("%-d-%-m-%Y")))
                .unwrap_or_default(),
            self.policy_id,
            self.policy_version
        );
        let amount = |unit: &str, d: Decimal| {
            if unit == "eur" {
                euro(d)
            } else {
                // at least 2 decimals, more when the Praktijkspiegel gives them
                dutch_number(d, d.normalize().scale().max(2))
            }
        };
        for p in &self.practices {
            let _ = writeln!(s, "\nPraktijk {}", p.practice_agb);
            let _ = writeln!(
                s,
                "  {:<6}{:<34}{:>18}{:>18}{:>18}{:>10}",
                "jaar", "domein", "werkelijk", "verwacht", "verschil", "in %"
            );
            for y in &p.years {
                for c in &y.domains {
                    match (c.actual, c.expected, c.difference) {
                        (Some(a), Some(e), Some(d)) => {
                            let _ = writeln!(
                                s,
                                "  {:<6}{:<34}{:>18}{:>18}{:>18}{:>10}",
                                y.year,
                                c.domain.label(),
                                amount(c.unit, a),
                                amount(c.unit, e),
                                amount(c.unit, d),
                                c.difference_percentage
                                    .map(|p| format!("{} %", dutch_number(p, 1)))
                                    .unwrap_or_else(|| "-".into())
                            );
                        }
                        _ => {
                            let _ = writeln!(
                                s,
                                "  {:<6}{:<34}{:>18}",
                                y.year,
                                c.domain.label(),
                                "ontbreekt"
                            );
                        }
                    }
                }
            }
        }
        if self.practices.is_empty() {
            let _ = writeln!(s, "\nGeen praktijken in de invoer.");
        }
        let _ = writeln!(s, "\nToelichting:");
        for n in &self.notes {
            let _ = writeln!(s, "  {n}");
        }
        let _ = writeln!(s, "\nBronnen:");
        for src in &self.sources {
            let _ = writeln!(
                s,
                "  {}, {}: \u{201c}{}\u{201d}",
                src.document, src.section, src.quote
            );
        }
        s
    }
}
