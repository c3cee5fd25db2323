//! Year figures of O&I (issue 14 part 5): the budget Kwetsbare ouderen of every regio-organisatie
//! for a contract year (document 002, "Bijlage 3: Prestatie Kwetsbare ouderen").
//!
//! "Het tarief wordt berekend op basis van het aantal 75-plussers. Daarbij nemen we aan dat
//! gemiddeld 28% van de 75-plussers kwetsbaar is (bron Vektis)." and "Vervolgens vult u in het
//! Zorginkoopportaal van VECOZO het aantal 75-plussers, zodat we het budget kunnen bepalen." So:
//!
//! * the input is what every regio-organisatie entered, as CSV `ro_agb,persons_75_plus` (one row
//!   per RO; the AGB code is 8 digits and kept as text, leading zeros included);
//! * per RO the frail elderly and the budget come from the engine's calculator
//!   `frail-elderly-budget` with the parameters of 1 January of the year (the same code as the
//!   what-if page and the API), so 2027 gets the 2027 tariff;
//! * the total is the sum of the ROs' budgets, each already rounded to cents by the calculator.
//!
//! The tariff per frail person is an EXAMPLE value in the policy file (the document names no
//! amount); the report says so, in the text and in the JSON (`tariff_is_example`).

use crate::AppError;
use crate::calculators::{self, CalcRequest};
use crate::year_figures::{agb, bad, check_year, decimal, dutch_number, euro, rows};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use zorginkoop_policy::{Policy, Source};

/// The calculator that computes one RO's budget.
pub const CALCULATOR: &str = "frail-elderly-budget";
/// The parameter with the tariff per frail person (an example value in oi-2026-2027).
pub const TARIFF_PARAM: &str = "frail-elderly.tariff-per-frail-person";
/// The parameter with the share of frail persons among the 75-plussers.
pub const SHARE_PARAM: &str = "frail-elderly.frail-share";

/// The version of the JSON shape of [`FrailElderlyYear`].
pub const FRAIL_ELDERLY_SCHEMA: &str = "zorginkoop.frail-elderly-year/1";

/// The number of 75-plussers one regio-organisatie entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoCount {
    /// 8 digits.
    pub ro_agb: String,
    pub persons_75_plus: u32,
}

/// One regio-organisatie's budget of the year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrailElderlyRow {
    pub ro_agb: String,
    pub persons_75_plus: u32,
    /// 75-plussers × the frail share; not rounded to whole persons (the calculator's choice).
    pub frail_elderly: Decimal,
    pub tariff_per_frail_person: Decimal,
    /// In euro, rounded to cents.
    pub budget: Decimal,
}

/// The budgets Kwetsbare ouderen of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrailElderlyYear {
    pub schema: &'static str,
    pub policy_id: String,
    pub policy_version: String,
    pub year: i32,
    /// The date whose parameters apply: 1 January of the year.
    pub parameter_date: chrono::NaiveDate,
    pub frail_share: Decimal,
    pub tariff_per_frail_person: Decimal,
    /// True when the policy file marks the tariff as an example value, not a published one.
    pub tariff_is_example: bool,
    /// The policy file's explanation of the tariff (Dutch), if any.
    pub tariff_note: Option<String>,
    pub rows: Vec<FrailElderlyRow>,
    pub total_persons_75_plus: u64,
    pub total_frail_elderly: Decimal,
    pub total_budget: Decimal,
    /// The passages the figures rest on.
    pub sources: Vec<Source>,
}

/// Reads the counts the ROs entered (`ro_agb,persons_75_plus`). Errors name the file, the line
/// and the field: an AGB code that is not 8 digits, a count that is negative, fractional or too
/// large, an RO that is in the file twice.
pub fn parse_counts(path: &Path, text: &str) -> Result<Vec<RoCount>, AppError> {
    let header = ["ro_agb", "persons_75_plus"];
    let mut out: Vec<RoCount> = Vec::new();
    for (n, f) in rows(path, text, &header)? {
        agb(path, n, header[0], f[0])?;
        let persons_75_plus = f[1].parse::<u32>().map_err(|_| {
            bad(
                path,
                n,
                header[1],
                format!(
                    "`{}` is geen geheel aantal 75-plussers van 0 of meer (hoogstens {})",
                    f[1],
                    u32::MAX
                ),
            )
        })?;
        if out.iter().any(|c| c.ro_agb == f[0]) {
            return Err(bad(
                path,
                n,
                header[0],
                format!("regio-organisatie {} staat er twee keer in", f[0]),
            ));
        }
        out.push(RoCount {
            ro_agb: f[0].to_string(),
            persons_75_plus,
        });
    }
    Ok(out)
}

/// The budget Kwetsbare ouderen of `year` for every RO, with the O&I policy's parameters of that
/// year. A year outside the policy's period is refused.
pub fn frail_elderly_year(
    policy: &Policy,
    year: i32,
    counts: &[RoCount],
) -> Result<FrailElderlyYear, AppError> {
    check_year(policy, year, "jaar")?;
    let date = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::Invalid {
        field: "jaar".into(),
        problem: format!("{year} is geen jaar"),
    })?;
    let missing = |id: &str| AppError::Invalid {
        field: "beleid".into(),
        problem: format!(
            "{} heeft geen parameter {id}; kies het O&I-beleid",
            policy.file.policy.id
        ),
    };
    let (share, _) = policy
        .param_on(SHARE_PARAM, date)
        .ok_or_else(|| missing(SHARE_PARAM))?;
    let (tariff, tariff_param) = policy
        .param_on(TARIFF_PARAM, date)
        .ok_or_else(|| missing(TARIFF_PARAM))?;

    let mut out = Vec::with_capacity(counts.len());
    for c in counts {
        let r = calculators::run_with(
            policy,
            CalcRequest {
                name: CALCULATOR,
                input: serde_json::json!({ "persons_75_plus": c.persons_75_plus }),
                policy: None,
                date: Some(date),
                parameters: BTreeMap::new(),
            },
        )?;
        let get = |k: &str| {
            r.output.get(k).and_then(decimal).ok_or_else(|| {
                AppError::BadRecord(format!("{CALCULATOR} gaf geen {k} voor {}", c.ro_agb))
            })
        };
        out.push(FrailElderlyRow {
            ro_agb: c.ro_agb.clone(),
            persons_75_plus: c.persons_75_plus,
            frail_elderly: get("frail_elderly")?,
            tariff_per_frail_person: get("tariff_per_frail_person")?,
            budget: get("budget")?,
        });
    }
    out.sort_by(|a, b| a.ro_agb.cmp(&b.ro_agb));

    let mut sources: Vec<Source> = Vec::new();
    let mut cite = |s: &Source| {
        if !sources.contains(s) {
            sources.push(s.clone());
        }
    };
    if let Some(t) = policy
        .module("frail-elderly")
        .and_then(|m| m.tariff.as_ref())
    {
        cite(&t.source);
    }
    cite(&tariff_param.source);
    cite(&Source {
        document: policy.file.policy.document.clone(),
        section: "Bijlage 3: Prestatie Kwetsbare ouderen".into(),
        quote: "Vervolgens vult u in het Zorginkoopportaal van VECOZO het aantal 75-plussers, zodat we het budget kunnen bepalen.".into(),
    });

    Ok(FrailElderlyYear {
        schema: FRAIL_ELDERLY_SCHEMA,
        policy_id: policy.file.policy.id.clone(),
        policy_version: policy.file.policy.version.clone(),
        year,
        parameter_date: date,
        frail_share: share,
        tariff_per_frail_person: tariff,
        tariff_is_example: tariff_param.example,
        tariff_note: tariff_param.toelichting.clone(),
        total_persons_75_plus: out.iter().map(|r| u64::from(r.persons_75_plus)).sum(),
        total_frail_elderly: out.iter().map(|r| r.frail_elderly).sum(),
        total_budget: out.iter().map(|r| r.budget).sum(),
        rows: out,
        sources,
    })
}

/// A count of persons the Dutch way: `280`, `280,28`, `1.234,5`.
fn persons(d: Decimal) -> String {
    let d = d.normalize();
    dutch_number(d, d.scale())
}

impl FrailElderlyYear {
    /// The budgets as Dutch text: a line per RO, the total, the example-value warning and the
    /// passages.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Budget Kwetsbare ouderen {}, per regio-organisatie, beleid {} versie {}",
            self.year, self.policy_id, self.policy_version
        );
        let _ = writeln!(
            s,
            "Kwetsbaar aandeel van de 75-plussers {} %, tarief per kwetsbare oudere {}{}; parameters van {}",
            persons(self.frail_share * Decimal::ONE_HUNDRED),
            euro(self.tariff_per_frail_person),
            if self.tariff_is_example {
                " (VOORBEELDWAARDE)"
            } else {
                ""
            },
            self.parameter_date.format("%-d-%-m-%Y"),
        );
        if self.tariff_is_example {
            let _ = writeln!(
                s,
                "Let op: het tarief per kwetsbare oudere is een voorbeeldwaarde, geen gepubliceerd bedrag; de budgetten zijn dus voorbeelden.{}",
                self.tariff_note
                    .as_deref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "  {:<10}{:>14}{:>18}{:>20}",
            "RO (AGB)", "75-plussers", "kwetsbaar", "budget"
        );
        for r in &self.rows {
            let _ = writeln!(
                s,
                "  {:<10}{:>14}{:>18}{:>20}",
                r.ro_agb,
                dutch_number(Decimal::from(r.persons_75_plus), 0),
                persons(r.frail_elderly),
                euro(r.budget)
            );
        }
        let _ = writeln!(
            s,
            "  {:<10}{:>14}{:>18}{:>20}",
            "totaal",
            dutch_number(Decimal::from(self.total_persons_75_plus), 0),
            persons(self.total_frail_elderly),
            euro(self.total_budget)
        );
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
