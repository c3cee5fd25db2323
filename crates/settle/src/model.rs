//! The efficiency model (doelmatigheidsmodel, document 004 chapter 4): the expected cost per
//! client-month from the client characteristics the text names, fitted on the clients of all
//! regular providers; each regular provider's actual cost against its expected cost, and from
//! that ratio its efficiency group (1 least efficient, 5 most).
//!
//! The text names the characteristics but gives no formula. Our choice, kept transparent:
//!
//! * **The clients.** Per provider, its clients with approved care of bijlage 6's prestaties
//!   (1032-1038, 1062) in the reference period (1 March 2019 - 29 February 2020): the care the
//!   efficiency agreement measures, which can lift the cut the group carries; but without
//!   medical child care (1038): "Voor medische kindzorgaanbieders gelden afwijkende afspraken.
//!   Deze zorg is uitgesloten van het doelmatigheidsmodel." A client with only 1038 is not in
//!   the model; a client with 1038 and other care is in it with the other care only. A
//!   client's *average cost per month* is the approved amount divided by the whole calendar
//!   months with care (1-12, as bijlage 6 b counts months), both without 1038, rounded to
//!   cents.
//! * **The characteristics** (one row per client), from the register on the client's last day
//!   of care in the period: a constant; age bands 65-74, 75-84 and 85 and older (under 65 the
//!   base); female (register column `sex` = `V`; unknown counts as not female); the care
//!   duration "afgeleid van de doelgroepenregistratie": the target-group prestaties say it,
//!   1033 "korter dan 3 maanden", 1034 and 1035 "langer dan 3 maanden", so the duration is 1
//!   for a client with a line of 1034 or 1035 in the period and 0 otherwise (1033, and the
//!   prestaties that name no duration: 1032 short hospital aftercare, 1036, 1037, 1062); death within
//!   `efficiency.death-window-months` (2) months after the last day of care (register column
//!   `death_date`); the regional score of the client's 4-digit postcode (`region_scores.csv`).
//!   A client not in the register, or whose postcode has no score, is left out and counted.
//! * **Outliers.** Per provider, `efficiency.outlier-share` (2.5 %) of its clients, at least
//!   `efficiency.outlier-min-clients` (1), with the highest and as many with the lowest
//!   average cost per month are left out ("niet meegenomen in de analyse": out of the fit and
//!   out of the provider's comparison). The number is the share times the clients, rounded
//!   down; ties are broken by BSN.
//! * **The fit.** Ordinary least squares of the average cost per month on the characteristics,
//!   over the remaining clients of every regular provider (small and new providers are outside
//!   the model). The normal equations are summed exactly in `rust_decimal` and solved by
//!   Gaussian elimination with partial pivoting in `rust_decimal` (28 significant digits); the
//!   coefficients are rounded to 6 decimals and everything after computes with the rounded
//!   coefficients, so a reader can recompute an expected cost from them. A characteristic that
//!   has the same value for every client (e.g. nobody died), or that is a combination of the
//!   others, is left out of the fit (coefficient `None`).
//! * **The comparison.** A client's expected cost is the coefficients times its
//!   characteristics, rounded to cents. A provider's ratio is the sum of its clients' actual
//!   average costs per month over the sum of their expected ones (mean actual over mean
//!   expected), rounded to 4 decimals.
//! * **The groups.** Group 1 when the ratio is at least `efficiency.group-1.min-ratio`, else 2
//!   when at least `...group-2...`, 3, 4, and 5 below `...group-4...`: the boundaries are
//!   parameters of the policy file (our example values: the document publishes none). Groups
//!   1-3 get a cut on the tariff, so group 1 is the least efficient and 5 the most. Providers
//!   are also ranked by ratio (rank 1: the highest).

use crate::SettleError;
use crate::register::Register;
use crate::rules::ModelRules;
use crate::scan::ClientMonths;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use zorginkoop_claims::context::Sex;

/// The characteristics, in the order of a client's row and of the coefficients (Dutch names,
/// as the statement shows them).
pub const FEATURES: [&str; 8] = [
    "constante",
    "leeftijd 65-74",
    "leeftijd 75-84",
    "leeftijd 85+",
    "vrouw",
    "zorgduur langer dan 3 maanden (doelgroep 1034 of 1035)",
    "overleden binnen de termijn na de laatste zorg",
    "regioscore",
];

/// One client of one provider: the average cost per month and the characteristics.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub bsn: String,
    /// Euro per month with care, rounded to cents.
    pub cost_per_month: Decimal,
    /// The characteristics in the order of [`FEATURES`].
    pub x: [Decimal; 8],
}

/// The fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Per characteristic of [`FEATURES`]: its coefficient (euro per client-month), rounded to
    /// 6 decimals; `None` when left out of the fit.
    pub coefficients: Vec<(String, Option<Decimal>)>,
    /// Clients in the fit.
    pub clients: i64,
    /// Regular providers in the fit.
    pub providers: usize,
}

/// One regular provider in the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderEfficiency {
    /// Clients with approved care of the bijlage 6 prestaties in the reference period.
    pub clients: i64,
    /// Left out: not in the register, or no regional score for the postcode.
    pub unknown: i64,
    /// Left out as outliers, at the low and at the high end.
    pub outliers_low: i64,
    pub outliers_high: i64,
    /// The clients compared.
    pub included: i64,
    /// Mean actual and mean expected cost per client-month of the included clients (euro,
    /// rounded to cents).
    pub actual: Decimal,
    pub expected: Decimal,
    /// Actual over expected, rounded to 4 decimals; `None` without a fit or included clients.
    pub ratio: Option<Decimal>,
    pub group: Option<u8>,
    /// Rank by ratio among the providers with one (1: the highest ratio).
    pub rank: Option<usize>,
}

/// The model's outcome.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Efficiency {
    pub fit: Option<Fit>,
    /// Per regular provider (AGB code).
    pub providers: BTreeMap<String, ProviderEfficiency>,
    /// Why there is no fit, in Dutch.
    pub problem: Option<String>,
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a
}

/// A client's row from the register; `None` when the person is not in the register or the
/// postcode has no regional score. Only the client's care in the model counts (`model_cents`
/// over `model_months`); [`estimate`] leaves out a client without any.
pub fn client(
    rules: &ModelRules,
    register: &Register,
    c: &ClientMonths,
) -> Result<Option<Client>, SettleError> {
    let Some(p) = register.on(&c.bsn, c.last_date) else {
        return Ok(None);
    };
    let Some(score) = register.score(p.postcode4()) else {
        return Ok(None);
    };
    let age = age_on(p.birth_date, c.last_date);
    let window = rules
        .death_months
        .value
        .to_u32()
        .ok_or_else(|| SettleError::Model("termijn na overlijden buiten bereik".into()))?;
    let died = p.death_date.is_some_and(|d| {
        d >= c.last_date
            && c.last_date
                .checked_add_months(Months::new(window))
                .is_some_and(|end| d <= end)
    });
    let b = |v: bool| if v { Decimal::ONE } else { Decimal::ZERO };
    let cost = round2(Decimal::new(c.model_cents, 2) / Decimal::from(c.model_months.max(1)));
    Ok(Some(Client {
        bsn: c.bsn.clone(),
        cost_per_month: cost,
        x: [
            Decimal::ONE,
            b((65..75).contains(&age)),
            b((75..85).contains(&age)),
            b(age >= 85),
            b(p.sex == Some(Sex::Female)),
            b(c.long_care),
            b(died),
            score,
        ],
    }))
}

/// How many clients are left out at each end: the share of `n`, rounded down, at least the
/// minimum.
pub fn outliers_per_end(rules: &ModelRules, n: usize) -> usize {
    let share = (rules.outlier_share.value * Decimal::from(n as u64))
        .floor()
        .to_usize()
        .unwrap_or(n);
    let min = rules.outlier_min.value.to_usize().unwrap_or(0);
    share.max(min)
}

/// Splits a provider's clients into (kept, left out low, left out high): sorted by average cost
/// per month (then BSN), the outliers cut off at both ends.
pub fn trim(rules: &ModelRules, clients: &[Client]) -> (Vec<Client>, i64, i64) {
    let mut v = clients.to_vec();
    v.sort_by(|a, b| {
        a.cost_per_month
            .cmp(&b.cost_per_month)
            .then_with(|| a.bsn.cmp(&b.bsn))
    });
    let k = outliers_per_end(rules, v.len());
    if 2 * k >= v.len() {
        let low = v.len().min(k);
        return (Vec::new(), low as i64, (v.len() - low) as i64);
    }
    let kept = v[k..v.len() - k].to_vec();
    (kept, k as i64, k as i64)
}

/// Ordinary least squares: the coefficients `b` minimising the sum of `(y - x·b)²`, from the
/// normal equations `XᵀX b = Xᵀy` summed exactly and solved by Gaussian elimination with partial
/// pivoting, rounded to 6 decimals. Column 0 is the constant. A column that is constant over
/// the rows (other than column 0), or that makes the system singular, is left out (`None`).
pub fn ols(xs: &[Vec<Decimal>], ys: &[Decimal]) -> Result<Vec<Option<Decimal>>, SettleError> {
    let p = xs.first().map_or(0, Vec::len);
    let constant = |j: usize| j > 0 && xs.iter().all(|r| r[j] == xs[0][j]);
    let mut active: Vec<usize> = (0..p).filter(|&j| !constant(j)).collect();
    loop {
        if xs.len() < active.len() || active.is_empty() {
            return Err(SettleError::Model(format!(
                "te weinig cliënten ({}) voor {} kenmerken",
                xs.len(),
                active.len()
            )));
        }
        match solve(xs, ys, &active)? {
            Ok(b) => {
                let mut out = vec![None; p];
                for (k, &j) in active.iter().enumerate() {
                    out[j] = Some(
                        b[k].round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero),
                    );
                }
                return Ok(out);
            }
            Err(k) if active[k] != 0 => {
                active.remove(k);
            }
            Err(_) => {
                return Err(SettleError::Model(
                    "de constante is niet te schatten".into(),
                ));
            }
        }
    }
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, SettleError> {
    a.checked_add(b)
        .ok_or(SettleError::Overflow("doelmatigheidsmodel"))
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, SettleError> {
    a.checked_mul(b)
        .ok_or(SettleError::Overflow("doelmatigheidsmodel"))
}

/// Solves the normal equations over the columns `active`; `Err(k)` when the k-th active column
/// has no usable pivot (a combination of the others).
// matrix indices read as the textbook elimination does
#[allow(clippy::needless_range_loop)]
fn solve(
    xs: &[Vec<Decimal>],
    ys: &[Decimal],
    active: &[usize],
) -> Result<Result<Vec<Decimal>, usize>, SettleError> {
    let m = active.len();
    let mut a = vec![vec![Decimal::ZERO; m + 1]; m];
    for (row, y) in xs.iter().zip(ys) {
        for (i, &ci) in active.iter().enumerate() {
            for (j, &cj) in active.iter().enumerate().skip(i) {
                a[i][j] = add(a[i][j], mul(row[ci], row[cj])?)?;
            }
            a[i][m] = add(a[i][m], mul(row[ci], *y)?)?;
        }
    }
    for i in 0..m {
        for j in 0..i {
            a[i][j] = a[j][i];
        }
    }
    // the column's own scale: a pivot below 1e-12 of its diagonal counts as zero
    let scale: Vec<Decimal> = (0..m).map(|i| a[i][i].abs()).collect();
    let mut order: Vec<usize> = (0..m).collect();
    for col in 0..m {
        let (best, pivot) = (col..m)
            .map(|r| (r, a[r][col].abs()))
            .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
            .expect("col < m");
        if pivot.is_zero() || pivot < scale[col] * Decimal::new(1, 12) {
            return Ok(Err(col));
        }
        a.swap(col, best);
        order.swap(col, best);
        for r in col + 1..m {
            if a[r][col].is_zero() {
                continue;
            }
            let f = a[r][col] / a[col][col];
            for k in col..=m {
                let v = mul(f, a[col][k])?;
                a[r][k] = a[r][k]
                    .checked_sub(v)
                    .ok_or(SettleError::Overflow("doelmatigheidsmodel"))?;
            }
        }
    }
    let mut b = vec![Decimal::ZERO; m];
    for i in (0..m).rev() {
        let mut s = a[i][m];
        for k in i + 1..m {
            s = s
                .checked_sub(mul(a[i][k], b[k])?)
                .ok_or(SettleError::Overflow("doelmatigheidsmodel"))?;
        }
        b[i] = s / a[i][i];
    }
    Ok(Ok(b))
}

/// The expected cost per month of a client: the coefficients times its characteristics,
/// rounded to cents.
pub fn expected(coefficients: &[Option<Decimal>], c: &Client) -> Decimal {
    round2(
        coefficients
            .iter()
            .zip(c.x.iter())
            .map(|(b, x)| b.unwrap_or(Decimal::ZERO) * x)
            .sum(),
    )
}

/// Runs the model over the clients of the regular providers (`regular`), each provider's
/// reference-period clients given in `clients`.
pub fn estimate(
    rules: &ModelRules,
    register: &Register,
    clients: &BTreeMap<String, &[ClientMonths]>,
    regular: &BTreeSet<String>,
) -> Result<Efficiency, SettleError> {
    let mut kept: BTreeMap<&str, Vec<Client>> = BTreeMap::new();
    let mut out = Efficiency::default();
    for agb in regular {
        // a client with only care the model leaves out (medical child care) is not in it
        let all: Vec<&ClientMonths> = clients
            .get(agb)
            .copied()
            .unwrap_or(&[])
            .iter()
            .filter(|c| c.model_months > 0)
            .collect();
        let mut rows = Vec::with_capacity(all.len());
        for c in &all {
            if let Some(r) = client(rules, register, c)? {
                rows.push(r);
            }
        }
        let (k, low, high) = trim(rules, &rows);
        out.providers.insert(
            agb.clone(),
            ProviderEfficiency {
                clients: all.len() as i64,
                unknown: (all.len() - rows.len()) as i64,
                outliers_low: low,
                outliers_high: high,
                included: k.len() as i64,
                actual: Decimal::ZERO,
                expected: Decimal::ZERO,
                ratio: None,
                group: None,
                rank: None,
            },
        );
        kept.insert(agb, k);
    }
    let xs: Vec<Vec<Decimal>> = kept.values().flatten().map(|c| c.x.to_vec()).collect();
    let ys: Vec<Decimal> = kept.values().flatten().map(|c| c.cost_per_month).collect();
    let b = match ols(&xs, &ys) {
        Ok(b) => b,
        Err(SettleError::Model(m)) => {
            out.problem = Some(m);
            return Ok(out);
        }
        Err(e) => return Err(e),
    };
    out.fit = Some(Fit {
        coefficients: FEATURES
            .iter()
            .zip(&b)
            .map(|(f, c)| (f.to_string(), *c))
            .collect(),
        clients: xs.len() as i64,
        providers: kept.values().filter(|v| !v.is_empty()).count(),
    });
    for (agb, cs) in &kept {
        let e = out.providers.get_mut(*agb).expect("inserted above");
        if cs.is_empty() {
            continue;
        }
        let actual: Decimal = cs.iter().map(|c| c.cost_per_month).sum();
        let expect: Decimal = cs.iter().map(|c| expected(&b, c)).sum();
        let n = Decimal::from(cs.len() as u64);
        e.actual = round2(actual / n);
        e.expected = round2(expect / n);
        if expect > Decimal::ZERO {
            let r =
                (actual / expect).round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
            e.ratio = Some(r);
            e.group = Some(rules.group(r));
        }
    }
    let mut ranked: Vec<(Decimal, String)> = out
        .providers
        .iter()
        .filter_map(|(a, e)| e.ratio.map(|r| (r, a.clone())))
        .collect();
    ranked.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
    for (i, (_, a)) in ranked.iter().enumerate() {
        if let Some(e) = out.providers.get_mut(a) {
            e.rank = Some(i + 1);
        }
    }
    Ok(out)
}

impl Efficiency {
    /// The model as Dutch text: the coefficients, then per regular provider its figures.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::from("Doelmatigheidsmodel wijkverpleging (referentieperiode)\n");
        match &self.fit {
            None => {
                let _ = writeln!(
                    s,
                    "Niet geschat: {}",
                    self.problem
                        .as_deref()
                        .unwrap_or("geen reguliere zorgaanbieders")
                );
            }
            Some(f) => {
                let _ = writeln!(
                    s,
                    "Kleinste kwadraten over {} cliënten van {} reguliere zorgaanbieders; coëfficiënten in euro per cliëntmaand:",
                    f.clients, f.providers
                );
                for (name, c) in &f.coefficients {
                    let v = c.map_or(
                        "niet geschat (gelijk voor alle cliënten of afhankelijk van de andere)"
                            .to_string(),
                        |c| c.normalize().to_string().replace('.', ","),
                    );
                    let _ = writeln!(s, "  {name:<48} {v}");
                }
            }
        }
        let _ = writeln!(
            s,
            "\n{:<10} {:>8} {:>10} {:>12} {:>12} {:>10} {:>5} {:>5}",
            "AGB", "cliënten", "vergeleken", "werkelijk", "verwacht", "verhouding", "groep", "rang"
        );
        for (agb, p) in &self.providers {
            let _ = writeln!(
                s,
                "{:<10} {:>8} {:>10} {:>12} {:>12} {:>10} {:>5} {:>5}",
                agb,
                p.clients,
                p.included,
                crate::statement::dutch_number(p.actual, 2),
                crate::statement::dutch_number(p.expected, 2),
                p.ratio
                    .map_or("-".into(), |r| crate::statement::dutch_number(r, 4)),
                p.group.map_or("-".into(), |g| g.to_string()),
                p.rank.map_or("-".into(), |k| k.to_string()),
            );
        }
        s
    }
}
