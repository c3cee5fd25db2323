//! Labs and thrombosis services (document 003, diagnostics and thrombosis 2020), the use cases of
//! their process:
//!
//! * a laboratory compares the regular contract (one year, a revenue ceiling; the excess is not
//!   paid) with the preferred contract (two years, reference prices; the excess paid with the
//!   sliding discount when orders per patient and analyses per order each grew at most 2.5 %
//!   against 2018) on its own production figures: from its settlement statement when the
//!   insurer has one (`settlement`, domain `eerstelijnsdiagnostiek`), else as entered; then it
//!   chooses one and applies for it ([`choose`]);
//! * a thrombosis service applies for its one-year contract with the ceiling computed from its
//!   volume and price per product ([`request_thrombosis`]);
//! * a laboratory asks to expand or move production ([`request_change`]): a request of its own,
//!   without a term;
//! * the purchaser sees every request ([`list`]), grants or refuses it ([`review`]) and proposes
//!   the contract with the chosen contract's figures ([`propose`]); the signer signs on the
//!   common proposal page.
//!
//! Each request is carried by an application of the common path (`applications`): the engine
//! decides it on submission (its trace is the application's decision), its state is the
//! application's. The figures used are kept with the request, so the purchaser sees the
//! comparison the lab saw. The sliding discount is computed here from the policy's table
//! `lab-preferred-sliding-discount`, with the same reading as the settlement (`settle::labs`):
//! per tier, the part of the excess between the tier's bounds (shares of the ceiling, rounded to
//! cents) paid at (1 − discount), each rounded to cents.

pub mod spec;

use crate::AppError;
use crate::accounts::{self, Actor, Role};
use crate::applications::{self, Application, Review};
use crate::audit::{self, AuditEntry};
use crate::proposals::{self, NewProposal, Proposal};
use crate::settlement;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use zorginkoop_policy::dutch;
use zorginkoop_policy::{Policy, PolicySet, Source, TableValue};
use zorginkoop_store::{Db, Row, args};

pub use spec::POLICY;

/// The regular contract's module.
pub const REGULAR: &str = "lab-regular";
/// The preferred contract's module.
pub const PREFERRED: &str = "lab-preferred";
/// The thrombosis contract's module.
pub const THROMBOSIS: &str = "thrombosis-care";
/// The request to expand or move production.
pub const PRODUCTION_CHANGE: &str = "production-change-request";
/// The sliding discount's table.
pub const DISCOUNT_TABLE: &str = "lab-preferred-sliding-discount";
/// The most product lines a ceiling is made of.
pub const MAX_PRODUCTS: usize = 8;
/// The longest motivation of a production change (characters).
pub const MAX_TEXT: usize = 5_000;

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

/// One product of a volume and price agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductLine {
    pub product: String,
    pub volume: u64,
    /// Euro per unit.
    pub price: Decimal,
}

/// Patients, orders and analyses in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub patients: u64,
    pub orders: u64,
    pub analyses: u64,
}

/// The mean orders per patient and analyses per order of 2018 and of the year judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Means {
    pub orders_per_patient_2018: Decimal,
    pub orders_per_patient: Decimal,
    pub analyses_per_order_2018: Decimal,
    pub analyses_per_order: Decimal,
}

/// Where the figures come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FigureSource {
    /// Entered by the laboratory.
    Entered,
    /// Read from the laboratory's settlement statement (its claims).
    Statement { statement_id: i64, year: i64 },
}

impl FigureSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            FigureSource::Entered => "entered",
            FigureSource::Statement { .. } => "statement",
        }
    }

    /// In Dutch, for the reader.
    pub fn label(&self) -> String {
        match self {
            FigureSource::Entered => "ingevoerd door het laboratorium".to_string(),
            FigureSource::Statement { statement_id, year } => format!(
                "uit de declaraties: afrekening {statement_id} over {year} van Zilveren Kruis"
            ),
        }
    }
}

/// A laboratory's production figures: the ceiling (from its products, or from its statement),
/// the production of the year, and what the growth conditions are measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub source: FigureSource,
    /// The volume and price per product (entered); empty when the ceiling is given.
    #[serde(default)]
    pub products: Vec<ProductLine>,
    /// The ceiling as the statement has it.
    #[serde(default)]
    pub ceiling: Option<Decimal>,
    /// The production of the year (euro).
    pub production: Decimal,
    /// Entered counts: 2018 and the year judged.
    #[serde(default)]
    pub counts_2018: Option<Counts>,
    #[serde(default)]
    pub counts: Option<Counts>,
    /// The statement's means (4 decimals), when the counts are not known.
    #[serde(default)]
    pub means: Option<Means>,
}

impl Inputs {
    /// The means the growth is measured on: exact from the counts, else the statement's.
    pub fn means(&self) -> Option<Means> {
        match (self.counts_2018, self.counts) {
            (Some(b), Some(c))
                if b.patients > 0 && b.orders > 0 && c.patients > 0 && c.orders > 0 =>
            {
                let q = |n: u64, d: u64| Decimal::from(n) / Decimal::from(d);
                Some(Means {
                    orders_per_patient_2018: q(b.orders, b.patients),
                    orders_per_patient: q(c.orders, c.patients),
                    analyses_per_order_2018: q(b.analyses, b.orders),
                    analyses_per_order: q(c.analyses, c.orders),
                })
            }
            _ => self.means,
        }
    }
}

/// What a figure is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", content = "value", rename_all = "kebab-case")]
pub enum Amount {
    Euro(Decimal),
    Ratio(Decimal),
    /// A mean (orders per patient, analyses per order).
    Mean(Decimal),
    Years(Decimal),
    Text(String),
}

impl Amount {
    /// In Dutch.
    pub fn text(&self) -> String {
        match self {
            Amount::Euro(d) => dutch::euro(*d),
            Amount::Ratio(r) => dutch::percent(*r),
            Amount::Mean(m) => dutch::number(round(*m, 4), 4),
            Amount::Years(y) => {
                let y = y.normalize();
                if y == Decimal::ONE {
                    "1 jaar".to_string()
                } else {
                    format!("{y} jaar")
                }
            }
            Amount::Text(t) => t.clone(),
        }
    }
}

/// One figure with how it is computed and the passage it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub step: String,
    pub label: String,
    pub amount: Amount,
    pub calculation: String,
    pub source: Source,
}

fn figure(
    step: &str,
    label: impl Into<String>,
    amount: Amount,
    calculation: impl Into<String>,
    source: Source,
) -> Figure {
    Figure {
        step: step.to_string(),
        label: label.into(),
        amount,
        calculation: calculation.into(),
        source,
    }
}

/// One contract's column of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractColumn {
    pub module: String,
    pub name: String,
    pub figures: Vec<Figure>,
    /// What would be paid for the year's production.
    pub paid: Decimal,
    /// The conditions the contract asks (text and passage), from the policy's module.
    pub conditions: Vec<(String, Source)>,
}

/// The growth conditions of the preferred contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Growth {
    pub orders_per_patient_growth: Decimal,
    pub analyses_per_order_growth: Decimal,
    pub max_orders_growth: Decimal,
    pub max_analyses_growth: Decimal,
    pub eligible: bool,
}

/// The comparison of the two contracts on one laboratory's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub source: FigureSource,
    /// The figures both contracts share: the ceiling, the production, the excess.
    pub shared: Vec<Figure>,
    pub ceiling: Decimal,
    pub production: Decimal,
    pub excess: Decimal,
    /// `None` when the growth cannot be measured (no means).
    pub growth: Option<Growth>,
    pub regular: ContractColumn,
    pub preferred: ContractColumn,
    /// The sliding discount's tiers are the policy's example values.
    pub example_tiers: bool,
}

fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

fn overflow(field: &str) -> AppError {
    AppError::Invalid {
        field: field.to_string(),
        problem: "het bedrag is te groot".into(),
    }
}

fn mul(a: Decimal, b: Decimal, field: &str) -> Result<Decimal, AppError> {
    a.checked_mul(b).ok_or_else(|| overflow(field))
}

fn add(a: Decimal, b: Decimal, field: &str) -> Result<Decimal, AppError> {
    a.checked_add(b).ok_or_else(|| overflow(field))
}

fn param(policy: &Policy, id: &str, on: NaiveDate) -> Result<(Decimal, Source), AppError> {
    let (v, p) = policy
        .param_on(id, on)
        .ok_or_else(|| AppError::NotFound(format!("parameter {id} in {} op {on}", policy.id())))?;
    Ok((v, p.source.clone()))
}

/// The date the policy's figures are read on: the contract period's start.
fn on(policy: &Policy) -> NaiveDate {
    policy.file.policy.period_start
}

fn module_conditions(policy: &Policy, module: &str) -> Vec<(String, Source)> {
    policy
        .module(module)
        .map(|m| {
            m.conditions
                .iter()
                .map(|c| (c.text.clone(), c.source.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn module_name(policy: &Policy, module: &str) -> String {
    policy
        .module(module)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| module.to_string())
}

/// Checks product lines: a name, at most [`MAX_PRODUCTS`], prices in whole cents, not negative.
pub fn check_products(products: &[ProductLine]) -> Result<(), AppError> {
    if products.is_empty() {
        return Err(AppError::Invalid {
            field: "producten".into(),
            problem: "vul ten minste één product in met volume en prijs".into(),
        });
    }
    if products.len() > MAX_PRODUCTS {
        return Err(AppError::Invalid {
            field: "producten".into(),
            problem: format!("hoogstens {MAX_PRODUCTS} producten"),
        });
    }
    for (i, p) in products.iter().enumerate() {
        let field = format!("product {} ({})", i + 1, p.product.trim());
        if p.product.trim().is_empty() {
            return Err(AppError::Invalid {
                field: format!("product {}", i + 1),
                problem: "geef het product een naam".into(),
            });
        }
        if p.price.is_sign_negative() || round(p.price, 2) != p.price {
            return Err(AppError::Invalid {
                field: format!("{field}: prijs"),
                problem: "een prijs in euro en hele centen, niet negatief".into(),
            });
        }
    }
    Ok(())
}

/// The ceiling as the sum of volume × price per product, each line a figure.
pub fn ceiling_of_products(
    products: &[ProductLine],
    passage: spec::Passage,
) -> Result<(Decimal, Vec<Figure>), AppError> {
    check_products(products)?;
    let mut total = Decimal::ZERO;
    let mut figures = Vec::new();
    for (i, p) in products.iter().enumerate() {
        let amount = mul(Decimal::from(p.volume), p.price, "prijs")?;
        total = add(total, amount, "omzetplafond")?;
        figures.push(figure(
            &format!("product-{}", i + 1),
            format!("{}: volume × prijs", p.product.trim()),
            Amount::Euro(amount),
            format!(
                "{} × {} = {}",
                dutch::number(Decimal::from(p.volume), 0),
                dutch::euro(p.price),
                dutch::euro(amount)
            ),
            passage.source(),
        ));
    }
    figures.push(figure(
        "ceiling",
        "Omzetplafond (alle locaties samen)",
        Amount::Euro(total),
        format!(
            "som van volume × prijs over {} product{}: {}",
            products.len(),
            if products.len() == 1 { "" } else { "en" },
            dutch::euro(total)
        ),
        passage.source(),
    ));
    Ok((total, figures))
}

/// One tier of the sliding discount as the policy's table has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tier {
    pub tier: u32,
    pub from_share: Decimal,
    /// `None`: no upper bound.
    pub to_share: Option<Decimal>,
    pub discount: Decimal,
}

/// The tiers of table [`DISCOUNT_TABLE`], in order, with the table's passage and whether they are
/// example values.
pub fn tiers(policy: &Policy) -> Result<(Vec<Tier>, Source, bool), AppError> {
    let bad = |p: String| AppError::BadRecord(format!("tabel {DISCOUNT_TABLE}: {p}"));
    let t = policy
        .compiled
        .table(DISCOUNT_TABLE)
        .ok_or_else(|| AppError::NotFound(format!("tabel {DISCOUNT_TABLE} in {}", policy.id())))?;
    let (i_tier, o_from, o_to, o_disc) = match (
        t.input_index("tier"),
        t.output_index("from_share"),
        t.output_index("to_share"),
        t.output_index("discount"),
    ) {
        (Some(a), Some(b), Some(c), Some(d)) => (a, b, c, d),
        _ => {
            return Err(bad(
                "kolommen tier, from_share, to_share, discount ontbreken".into(),
            ));
        }
    };
    let mut out = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        let tier = match &r.inputs[i_tier] {
            zorginkoop_policy::Cell::Is(TableValue::Number(d)) => d
                .to_string()
                .parse::<u32>()
                .map_err(|_| bad(format!("regel {}: tier", i + 1)))?,
            _ => return Err(bad(format!("regel {}: tier", i + 1))),
        };
        let from_share = r.outputs[o_from]
            .as_decimal()
            .ok_or_else(|| bad(format!("regel {}: from_share", i + 1)))?;
        let to_share = match &r.outputs[o_to] {
            TableValue::Unlimited => None,
            v => Some(
                v.as_decimal()
                    .ok_or_else(|| bad(format!("regel {}: to_share", i + 1)))?,
            ),
        };
        let discount = r.outputs[o_disc]
            .as_decimal()
            .ok_or_else(|| bad(format!("regel {}: discount", i + 1)))?;
        out.push(Tier {
            tier,
            from_share,
            to_share,
            discount,
        });
    }
    Ok((out, (*t.source).clone(), t.example))
}

/// The excess paid with the sliding discount, and a figure per tier used.
pub fn sliding(
    tiers: &[Tier],
    source: &Source,
    excess: Decimal,
    ceiling: Decimal,
) -> Result<(Decimal, Vec<Figure>), AppError> {
    let mut paid = Decimal::ZERO;
    let mut figures = Vec::new();
    for t in tiers {
        let lo = round(mul(t.from_share, ceiling, "staffel")?, 2);
        let hi = match t.to_share {
            Some(s) => round(mul(s, ceiling, "staffel")?, 2),
            None => excess.max(lo),
        };
        let part = (excess.min(hi) - lo).max(Decimal::ZERO);
        if part.is_zero() {
            continue;
        }
        let p = round(mul(part, Decimal::ONE - t.discount, "staffel")?, 2);
        paid = add(paid, p, "staffel")?;
        figures.push(figure(
            &format!("tier-{}", t.tier),
            format!(
                "Staffel trede {} ({} tot {} van het plafond, korting {})",
                t.tier,
                dutch::percent(t.from_share),
                t.to_share
                    .map(dutch::percent)
                    .unwrap_or_else(|| "onbeperkt".into()),
                dutch::percent(t.discount)
            ),
            Amount::Euro(p),
            format!(
                "{} × {} = {}",
                dutch::euro(part),
                dutch::percent(Decimal::ONE - t.discount),
                dutch::euro(p)
            ),
            source.clone(),
        ));
    }
    Ok((paid, figures))
}

fn growth_figures(policy: &Policy, m: &Means) -> Result<(Growth, Vec<Figure>), AppError> {
    let (max_o, src_o) = param(
        policy,
        "lab.preferred.max-orders-per-patient-growth",
        on(policy),
    )?;
    let (max_a, src_a) = param(
        policy,
        "lab.preferred.max-analyses-per-order-growth",
        on(policy),
    )?;
    if m.orders_per_patient_2018 <= Decimal::ZERO || m.analyses_per_order_2018 <= Decimal::ZERO {
        return Err(AppError::Invalid {
            field: "cijfers 2018".into(),
            problem: "de gemiddelden van 2018 moeten positief zijn om de groei te meten".into(),
        });
    }
    let g_o = m.orders_per_patient / m.orders_per_patient_2018 - Decimal::ONE;
    let g_a = m.analyses_per_order / m.analyses_per_order_2018 - Decimal::ONE;
    // growth ≤ max  ⇔  now ≤ base × (1 + max): compared exactly, as the engine's calculator
    let ok_o =
        m.orders_per_patient <= mul(m.orders_per_patient_2018, Decimal::ONE + max_o, "groei")?;
    let ok_a =
        m.analyses_per_order <= mul(m.analyses_per_order_2018, Decimal::ONE + max_a, "groei")?;
    let verdict = |ok: bool| if ok { "voldoet" } else { "voldoet niet" };
    let figures = vec![
        figure(
            "orders_per_patient_growth",
            "Toename orders per patiënt ten opzichte van 2018",
            Amount::Ratio(round(g_o, 4)),
            format!(
                "{} / {} − 1 = {}; ten hoogste {}: {}",
                dutch::number(round(m.orders_per_patient, 4), 4),
                dutch::number(round(m.orders_per_patient_2018, 4), 4),
                dutch::percent(round(g_o, 4)),
                dutch::percent(max_o),
                verdict(ok_o)
            ),
            src_o,
        ),
        figure(
            "analyses_per_order_growth",
            "Toename analyses per order ten opzichte van 2018",
            Amount::Ratio(round(g_a, 4)),
            format!(
                "{} / {} − 1 = {}; ten hoogste {}: {}",
                dutch::number(round(m.analyses_per_order, 4), 4),
                dutch::number(round(m.analyses_per_order_2018, 4), 4),
                dutch::percent(round(g_a, 4)),
                dutch::percent(max_a),
                verdict(ok_a)
            ),
            src_a,
        ),
    ];
    Ok((
        Growth {
            orders_per_patient_growth: round(g_o, 4),
            analyses_per_order_growth: round(g_a, 4),
            max_orders_growth: max_o,
            max_analyses_growth: max_a,
            eligible: ok_o && ok_a,
        },
        figures,
    ))
}

/// Both contracts side by side on the laboratory's figures: the ceiling, the production, the
/// excess; what the regular contract pays (the ceiling at most) and what the preferred contract
/// pays (the excess with the sliding discount when both growth conditions hold).
pub fn compare(policy: &Policy, inputs: &Inputs) -> Result<Comparison, AppError> {
    if inputs.production.is_sign_negative() {
        return Err(AppError::Invalid {
            field: "productie".into(),
            problem: "mag niet negatief zijn".into(),
        });
    }
    let mut shared = Vec::new();
    let ceiling = if inputs.products.is_empty() {
        let c = inputs.ceiling.ok_or_else(|| AppError::Invalid {
            field: "producten".into(),
            problem: "vul ten minste één product in met volume en prijs".into(),
        })?;
        shared.push(figure(
            "ceiling",
            "Omzetplafond (alle locaties samen)",
            Amount::Euro(c),
            inputs.source.label(),
            spec::LAB_CEILING.source(),
        ));
        c
    } else {
        let (c, lines) = ceiling_of_products(&inputs.products, spec::LAB_CEILING)?;
        shared.extend(lines);
        c
    };
    shared.push(figure(
        "production",
        "Productie van het jaar (alle locaties samen)",
        Amount::Euro(inputs.production),
        inputs.source.label(),
        spec::ALL_LOCATIONS.source(),
    ));
    let excess = (inputs.production - ceiling).max(Decimal::ZERO);
    shared.push(figure(
        "excess",
        "Overproductie (boven het plafond)",
        Amount::Euro(excess),
        format!(
            "{} − {} = {}",
            dutch::euro(inputs.production),
            dutch::euro(ceiling),
            dutch::euro(excess)
        ),
        spec::LAB_CEILING.source(),
    ));
    let within = inputs.production.min(ceiling);

    // the regular contract
    let (years_r, src_r) = param(policy, "lab.regular.contract-years", on(policy))?;
    let regular = ContractColumn {
        module: REGULAR.into(),
        name: module_name(policy, REGULAR),
        figures: vec![
            figure("years", "Looptijd", Amount::Years(years_r), "", src_r),
            figure(
                "within",
                "Betaald binnen het plafond",
                Amount::Euro(within),
                format!(
                    "het kleinste van productie en plafond: {}",
                    dutch::euro(within)
                ),
                spec::LAB_CEILING.source(),
            ),
            figure(
                "excess_paid",
                "Betaald van de overproductie",
                Amount::Euro(Decimal::ZERO),
                format!(
                    "{} boven het plafond wordt niet betaald",
                    dutch::euro(excess)
                ),
                spec::REGULAR_EXCESS.source(),
            ),
            figure(
                "paid",
                "Totaal betaald",
                Amount::Euro(within),
                dutch::euro(within),
                spec::REGULAR_EXCESS.source(),
            ),
        ],
        paid: within,
        conditions: module_conditions(policy, REGULAR),
    };

    // the preferred contract
    let (years_p, src_p) = param(policy, "lab.preferred.contract-years", on(policy))?;
    let (tiers, tier_source, example) = tiers(policy)?;
    let mut figures = vec![
        figure("years", "Looptijd", Amount::Years(years_p), "", src_p),
        figure(
            "within",
            "Betaald binnen het plafond",
            Amount::Euro(within),
            format!(
                "het kleinste van productie en plafond: {}",
                dutch::euro(within)
            ),
            spec::PREFERRED_CEILING.source(),
        ),
    ];
    let growth = match inputs.means() {
        Some(m) => {
            let (g, lines) = growth_figures(policy, &m)?;
            figures.extend(lines);
            Some(g)
        }
        None => {
            figures.push(figure(
                "growth",
                "Groei orders per patiënt en analyses per order",
                Amount::Text("niet te berekenen".into()),
                "geen aantallen patiënten, orders en analyses van 2018 en van het jaar",
                spec::PREFERRED_EXCESS.source(),
            ));
            None
        }
    };
    let eligible = growth.as_ref().is_some_and(|g| g.eligible);
    let excess_paid = if excess.is_zero() {
        figures.push(figure(
            "excess_paid",
            "Betaald van de overproductie",
            Amount::Euro(Decimal::ZERO),
            "geen overproductie",
            spec::PREFERRED_EXCESS.source(),
        ));
        Decimal::ZERO
    } else if eligible {
        let (paid, lines) = sliding(&tiers, &tier_source, excess, ceiling)?;
        figures.extend(lines);
        figures.push(figure(
            "excess_paid",
            "Betaald van de overproductie (staffelkorting)",
            Amount::Euro(paid),
            format!(
                "beide toenames ten hoogste toegestaan: {} van {} betaald",
                dutch::euro(paid),
                dutch::euro(excess)
            ),
            spec::PREFERRED_EXCESS.source(),
        ));
        paid
    } else {
        figures.push(figure(
            "excess_paid",
            "Betaald van de overproductie",
            Amount::Euro(Decimal::ZERO),
            if growth.is_some() {
                "een toename is groter dan toegestaan: de overproductie wordt niet betaald"
            } else {
                "de groei is niet te meten: de overproductie wordt niet betaald"
            },
            spec::PREFERRED_EXCESS.source(),
        ));
        Decimal::ZERO
    };
    let paid = add(within, excess_paid, "totaal")?;
    figures.push(figure(
        "paid",
        "Totaal betaald",
        Amount::Euro(paid),
        format!(
            "{} + {} = {}",
            dutch::euro(within),
            dutch::euro(excess_paid),
            dutch::euro(paid)
        ),
        spec::PREFERRED_EXCESS.source(),
    ));
    let preferred = ContractColumn {
        module: PREFERRED.into(),
        name: module_name(policy, PREFERRED),
        figures,
        paid,
        conditions: module_conditions(policy, PREFERRED),
    };
    Ok(Comparison {
        source: inputs.source.clone(),
        shared,
        ceiling,
        production: inputs.production,
        excess,
        growth,
        regular,
        preferred,
        example_tiers: example,
    })
}

/// A thrombosis service's ceiling: volume × price per product, the contract's years, and that
/// the excess is not paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThrombosisCeiling {
    pub ceiling: Decimal,
    pub figures: Vec<Figure>,
}

/// The thrombosis contract's ceiling from the service's products.
pub fn thrombosis_ceiling(
    policy: &Policy,
    products: &[ProductLine],
) -> Result<ThrombosisCeiling, AppError> {
    let (years, src) = param(policy, "thrombosis.contract-years", on(policy))?;
    let mut figures = vec![figure("years", "Looptijd", Amount::Years(years), "", src)];
    figures.push(figure(
        "volume",
        "Volumeafspraak",
        Amount::Text("realisatie 2018 en prognose 2019/2020".into()),
        "het volume per product hieronder",
        spec::THROMBOSIS_VOLUME.source(),
    ));
    let (ceiling, lines) = ceiling_of_products(products, spec::THROMBOSIS_CEILING)?;
    figures.extend(lines);
    figures.push(figure(
        "excess_paid",
        "Boven het plafond",
        Amount::Text("niet betaald".into()),
        "overschrijdingen van het plafond worden niet betaald",
        spec::THROMBOSIS_EXCESS.source(),
    ));
    Ok(ThrombosisCeiling { ceiling, figures })
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// What a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A laboratory's choice of contract.
    Choice,
    /// A thrombosis service's contract.
    Thrombosis,
    /// A request to expand or move production.
    ProductionChange,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Choice => "choice",
            Kind::Thrombosis => "thrombosis",
            Kind::ProductionChange => "production-change",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Choice, Kind::Thrombosis, Kind::ProductionChange]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// In Dutch.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Choice => "keuze overeenkomst laboratorium",
            Kind::Thrombosis => "overeenkomst trombosezorg",
            Kind::ProductionChange => "verzoek productie uitbreiden of verplaatsen",
        }
    }
}

/// A request to expand or move production.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    /// `uitbreiden` or `verplaatsen`.
    pub change: String,
    /// Where (the location or locations concerned).
    pub location: String,
    /// From when (the first of a month).
    pub from: NaiveDate,
    pub motivation: String,
}

impl ChangeRequest {
    fn check(&self) -> Result<(), AppError> {
        if !matches!(self.change.as_str(), "uitbreiden" | "verplaatsen") {
            return Err(AppError::Invalid {
                field: "soort verzoek".into(),
                problem: "kies uitbreiden of verplaatsen".into(),
            });
        }
        if self.location.trim().is_empty() {
            return Err(AppError::Invalid {
                field: "locatie".into(),
                problem: "vul de locatie in".into(),
            });
        }
        if self.from.day() != 1 {
            return Err(AppError::Invalid {
                field: "ingangsdatum".into(),
                problem: "een verzoek gaat in op de eerste van een maand".into(),
            });
        }
        if self.motivation.trim().is_empty() || self.motivation.chars().count() > MAX_TEXT {
            return Err(AppError::Invalid {
                field: "toelichting".into(),
                problem: format!("vul de toelichting in (hoogstens {MAX_TEXT} tekens)"),
            });
        }
        Ok(())
    }
}

/// A request as stored, with its application and the proposal that followed.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub policy_id: String,
    pub kind: Kind,
    pub module: String,
    pub application_id: i64,
    pub inputs: Option<Inputs>,
    pub products: Vec<ProductLine>,
    pub ceiling: Option<Decimal>,
    pub change: Option<ChangeRequest>,
    pub created_at: String,
    pub application: Application,
    pub proposal: Option<Proposal>,
}

impl Request {
    /// The status in Dutch: the proposal's when there is one, else the application's.
    pub fn status_label(&self) -> String {
        match &self.proposal {
            Some(p) => p.state.label().to_string(),
            None => self.application.state.label().to_string(),
        }
    }

    /// The status as a filter value: the application's state, or `proposed` / `accepted` /
    /// `refused-proposal` once a proposal follows.
    pub fn status(&self) -> &'static str {
        match &self.proposal {
            Some(p) => match p.state {
                proposals::State::Proposed => "proposed",
                proposals::State::Accepted | proposals::State::Administrative => "signed",
                proposals::State::Refused => "proposal-refused",
            },
            None => self.application.state.as_str(),
        }
    }
}

/// The status filter values with their Dutch names.
pub const STATUSES: &[(&str, &str)] = &[
    ("submitted", "ingediend"),
    ("under-review", "in behandeling"),
    ("information-requested", "informatie gevraagd"),
    ("granted", "toegekend, nog geen voorstel"),
    ("refused", "afgewezen"),
    ("proposed", "voorstel, wacht op ondertekening"),
    ("signed", "ondertekend"),
    ("proposal-refused", "voorstel geweigerd"),
];

const SELECT: &str = "SELECT r.id, r.organisation_id, o.name AS organisation_name, r.policy_id, r.kind,
        r.module, r.application_id, r.figures_source, r.figures_json, r.ceiling_cents, r.change_json,
        r.created_at
   FROM lab_requests r JOIN organisations o ON o.id = r.organisation_id";

fn from_row(db: &Db, actor: &Actor, r: &Row) -> Result<Request, AppError> {
    let bad = |e: serde_json::Error| AppError::BadRecord(e.to_string());
    let kind = r.text("kind")?;
    let kind =
        Kind::parse(&kind).ok_or_else(|| AppError::BadRecord(format!("soort verzoek {kind:?}")))?;
    let figures: Json = serde_json::from_str(&r.text("figures_json")?).map_err(bad)?;
    let (inputs, products) = match kind {
        Kind::Choice => (
            Some(serde_json::from_value::<Inputs>(figures).map_err(bad)?),
            Vec::new(),
        ),
        Kind::Thrombosis => (
            None,
            serde_json::from_value::<Vec<ProductLine>>(figures).map_err(bad)?,
        ),
        Kind::ProductionChange => (None, Vec::new()),
    };
    let change = r
        .opt_text("change_json")?
        .map(|c| serde_json::from_str::<ChangeRequest>(&c))
        .transpose()
        .map_err(bad)?;
    let application_id = r.int("application_id")?;
    let application = applications::get(db, actor, application_id)?;
    let organisation_id = r.int("organisation_id")?;
    let proposal = proposals::list_for(db, actor, organisation_id)?
        .into_iter()
        .filter(|p| p.application_id == Some(application_id))
        .max_by_key(|p| p.id);
    Ok(Request {
        id: r.int("id")?,
        organisation_id,
        organisation_name: r.text("organisation_name")?,
        policy_id: r.text("policy_id")?,
        kind,
        module: r.text("module")?,
        application_id,
        inputs,
        products,
        ceiling: r.opt_int("ceiling_cents")?.map(|c| Decimal::new(c, 2)),
        change,
        created_at: r.text("created_at")?,
        application,
        proposal,
    })
}

/// One request, when the actor may see it (another organisation's answers as a missing one).
pub fn get(db: &Db, actor: &Actor, id: i64) -> Result<Request, AppError> {
    let missing = || AppError::NotFound(format!("verzoek {id}"));
    let row = db
        .read(|tx| tx.query_one(&format!("{SELECT} WHERE r.id = ?"), args![id]))?
        .ok_or_else(missing)?;
    let org = row.int("organisation_id")?;
    if !actor.may_see(org) {
        return Err(missing());
    }
    from_row(db, actor, &row)
}

/// The requests the actor may see, newest first: every organisation's for the insurer's staff,
/// the own organisation's for a provider.
pub fn list(db: &Db, actor: &Actor) -> Result<Vec<Request>, AppError> {
    let rows = db.read(|tx| {
        if actor.role.is_insurer() {
            tx.query(&format!("{SELECT} ORDER BY r.id DESC"), &[])
        } else {
            tx.query(
                &format!("{SELECT} WHERE r.organisation_id = ? ORDER BY r.id DESC"),
                args![actor.organisation_id],
            )
        }
    })?;
    rows.iter().map(|r| from_row(db, actor, r)).collect()
}

fn require_kind(
    db: &Db,
    actor: &Actor,
    kind: &str,
    what: &str,
) -> Result<accounts::Organisation, AppError> {
    actor.require(&[Role::ProviderUser, Role::ProviderSigner], what)?;
    let org = accounts::organisation(db, actor, actor.organisation_id)?;
    if org.kind != kind {
        return Err(AppError::Forbidden(format!(
            "{what} kan alleen een {}",
            if kind == "laboratory" {
                "laboratorium"
            } else {
                "trombosedienst"
            }
        )));
    }
    Ok(org)
}

/// The laboratory's figures from its newest settlement statement of the labs' domain, when the
/// insurer has one: the ceiling and production of the year and the means of 2018 and the year.
pub fn statement_inputs(db: &Db, actor: &Actor) -> Result<Option<Inputs>, AppError> {
    let org = accounts::organisation(db, actor, actor.organisation_id)?;
    let Some(agb) = org.agb else {
        return Ok(None);
    };
    let mut own: Vec<_> = settlement::statements(db, actor, None)?
        .into_iter()
        .filter(|s| s.run.domain == settlement::DOMAIN_LABS && s.provider_agb == agb)
        .collect();
    own.sort_by_key(|s| (s.run.year, s.run.id));
    let Some(s) = own.pop() else {
        return Ok(None);
    };
    let detail = settlement::statement(db, actor, s.id)?;
    let f = |step: &str| settlement::figure(&detail.statement, step);
    let (Some(ceiling), Some(production)) = (f("ceiling"), f("production")) else {
        return Ok(None);
    };
    let means = match (
        f("orders_per_patient_2018"),
        f("orders_per_patient"),
        f("analyses_per_order_2018"),
        f("analyses_per_order"),
    ) {
        (Some(a), Some(b), Some(c), Some(d)) => Some(Means {
            orders_per_patient_2018: a,
            orders_per_patient: b,
            analyses_per_order_2018: c,
            analyses_per_order: d,
        }),
        _ => None,
    };
    Ok(Some(Inputs {
        source: FigureSource::Statement {
            statement_id: s.id,
            year: s.run.year,
        },
        products: Vec::new(),
        ceiling: Some(ceiling),
        production,
        counts_2018: None,
        counts: None,
        means,
    }))
}

fn cents(d: Decimal, field: &str) -> Result<i64, AppError> {
    let c = round(d, 2) * Decimal::ONE_HUNDRED;
    i64::try_from(c).map_err(|_| overflow(field))
}

/// Starts, fills and submits the application for `module` (the common path), returning it.
#[allow(clippy::too_many_arguments)]
fn apply(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    module: &str,
    answers: &BTreeMap<String, Option<Json>>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    let app_id = applications::start(db, set, actor, POLICY, module, now)?;
    applications::save_facts(db, set, actor, app_id, answers, now)?;
    applications::submit(db, set, actor, app_id, today, now)
}

fn open_request(
    db: &Db,
    actor: &Actor,
    org: i64,
    kinds: &[Kind],
) -> Result<Option<Request>, AppError> {
    Ok(list(db, actor)?.into_iter().find(|r| {
        r.organisation_id == org
            && kinds.contains(&r.kind)
            && !matches!(r.status(), "refused" | "proposal-refused")
    }))
}

#[allow(clippy::too_many_arguments)]
fn record(
    db: &Db,
    actor: &Actor,
    app: &Application,
    kind: Kind,
    source: &str,
    figures: Json,
    ceiling: Option<Decimal>,
    change: Option<&ChangeRequest>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let ceiling_cents = ceiling.map(|c| cents(c, "omzetplafond")).transpose()?;
    let figures_json = serde_json::to_string(&figures).expect("figures serialise");
    let change_json = change.map(|c| serde_json::to_string(c).expect("change serialises"));
    db.write(|tx| {
        // the application must still be the submitted one it was a moment ago
        let still = tx.query_one(
            "SELECT 1 AS one FROM applications WHERE id = ? AND organisation_id = ? AND state = 'submitted'",
            args![app.id, app.organisation_id],
        )?;
        if still.is_none() {
            return Err(AppError::Conflict(format!(
                "aanvraag {} is intussen gewijzigd; laad de pagina opnieuw",
                app.id
            )));
        }
        let id = tx.insert(
            "INSERT INTO lab_requests (organisation_id, policy_id, kind, module, application_id,
                figures_source, figures_json, ceiling_cents, change_json, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            args![
                app.organisation_id,
                POLICY,
                kind.as_str(),
                &app.module,
                app.id,
                source,
                &figures_json,
                ceiling_cents,
                change_json.clone(),
                actor.user_id,
                now.to_rfc3339()
            ],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, kind.label(), "lab_request", Some(id), now)
                .about(app.organisation_id)
                .change(
                    None,
                    Some(serde_json::json!({
                        "kind": kind.as_str(),
                        "module": &app.module,
                        "application": app.id,
                        "figures_source": source,
                        "ceiling_cents": ceiling_cents,
                    })),
                ),
        )?;
        Ok(id)
    })
}

/// A laboratory chooses the regular or the preferred contract and applies for it, with the
/// figures of its comparison and its answers to the contract's conditions. Refused while an
/// earlier choice is open or contracted.
#[allow(clippy::too_many_arguments)]
pub fn choose(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    module: &str,
    inputs: &Inputs,
    answers: &BTreeMap<String, Option<Json>>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let org = require_kind(db, actor, "laboratory", "een overeenkomst kiezen")?;
    if module != REGULAR && module != PREFERRED {
        return Err(AppError::Invalid {
            field: "overeenkomst".into(),
            problem: "kies de reguliere overeenkomst of de voorkeursovereenkomst".into(),
        });
    }
    let policy = crate::policies::find(set, POLICY)?;
    let comparison = compare(policy, inputs)?;
    if let Some(open) = open_request(db, actor, org.id, &[Kind::Choice])? {
        return Err(AppError::Conflict(format!(
            "u heeft al gekozen: {} ({})",
            module_name(policy, &open.module),
            open.status_label()
        )));
    }
    let app = apply(db, set, actor, module, answers, today, now)?;
    let figures = serde_json::to_value(inputs).expect("inputs serialise");
    record(
        db,
        actor,
        &app,
        Kind::Choice,
        inputs.source.as_str(),
        figures,
        Some(comparison.ceiling),
        None,
        now,
    )
}

/// A thrombosis service applies for its contract with the ceiling from its products.
pub fn request_thrombosis(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    products: &[ProductLine],
    answers: &BTreeMap<String, Option<Json>>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let org = require_kind(
        db,
        actor,
        "thrombosis-service",
        "een overeenkomst trombosezorg aanvragen",
    )?;
    let policy = crate::policies::find(set, POLICY)?;
    let ceiling = thrombosis_ceiling(policy, products)?;
    if let Some(open) = open_request(db, actor, org.id, &[Kind::Thrombosis])? {
        return Err(AppError::Conflict(format!(
            "u heeft de overeenkomst trombosezorg al aangevraagd ({})",
            open.status_label()
        )));
    }
    let app = apply(db, set, actor, THROMBOSIS, answers, today, now)?;
    record(
        db,
        actor,
        &app,
        Kind::Thrombosis,
        "entered",
        serde_json::to_value(products).expect("products serialise"),
        Some(ceiling.ceiling),
        None,
        now,
    )
}

/// A laboratory asks to expand or move production: its own request to the purchaser, without a
/// term; the engine decides it as the policy's `production-change-request` (not yet assessed by
/// Zilveren Kruis: individual review).
pub fn request_change(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    change: &ChangeRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    require_kind(
        db,
        actor,
        "laboratory",
        "een verzoek om productie uit te breiden of te verplaatsen indienen",
    )?;
    change.check()?;
    let answers: BTreeMap<String, Option<Json>> = [
        (
            "requests_production_expansion_or_relocation".to_string(),
            Some(Json::Bool(true)),
        ),
        ("assessed_by_zk".to_string(), Some(Json::Bool(false))),
    ]
    .into();
    let app = apply(db, set, actor, PRODUCTION_CHANGE, &answers, today, now)?;
    record(
        db,
        actor,
        &app,
        Kind::ProductionChange,
        "none",
        serde_json::json!({}),
        None,
        Some(change),
        now,
    )
}

/// The purchaser's step on a request's application (take into review, grant, refuse, ask).
pub fn review(
    db: &Db,
    actor: &Actor,
    id: i64,
    step: &Review,
    now: DateTime<Utc>,
) -> Result<Request, AppError> {
    actor.require(&[Role::Purchaser], "een verzoek beoordelen")?;
    let r = get(db, actor, id)?;
    applications::review(db, actor, r.application_id, step, now)?;
    get(db, actor, id)
}

/// The contract period of `module`: from the policy's period start for its contract years.
pub fn contract_period(
    policy: &Policy,
    module: &str,
    from: NaiveDate,
) -> Result<(NaiveDate, Option<NaiveDate>), AppError> {
    let years = match module {
        REGULAR => Some("lab.regular.contract-years"),
        PREFERRED => Some("lab.preferred.contract-years"),
        THROMBOSIS => Some("thrombosis.contract-years"),
        _ => None,
    };
    let Some(id) = years else {
        return Ok((from, None));
    };
    let (y, _) = param(policy, id, on(policy))?;
    let months = u32::try_from(y * Decimal::from(12))
        .map_err(|_| AppError::BadRecord(format!("parameter {id}: {y}")))?;
    let end = from
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| AppError::BadRecord(format!("looptijd vanaf {from}")))?;
    Ok((from, Some(end)))
}

/// The purchaser proposes the contract of a granted request: the module's tariff terms (the
/// contract years, the growth caps of the preferred contract), the contract period from the
/// policy's years, and the ceiling of the chosen contract's figures.
pub fn propose(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    actor.require(&[Role::Purchaser], "een contract voorstellen")?;
    let r = get(db, actor, id)?;
    if r.proposal
        .as_ref()
        .is_some_and(|p| p.state != proposals::State::Refused)
    {
        return Err(AppError::Conflict(format!(
            "verzoek {id} heeft al een voorstel"
        )));
    }
    let policy = crate::policies::find(set, &r.policy_id)?;
    let start = r
        .application
        .earliest_start
        .unwrap_or(policy.file.policy.period_start);
    let (start, end) = contract_period(policy, &r.module, start)?;
    let p = NewProposal {
        application_id: Some(r.application_id),
        organisation_id: r.organisation_id,
        policy_id: r.policy_id.clone(),
        module: r.module.clone(),
        terms: proposals::tariff_terms(policy, &r.module, start),
        start,
        end,
        ceiling_cents: r.ceiling.map(|c| cents(c, "omzetplafond")).transpose()?,
    };
    proposals::propose(db, set, actor, &p, now)
}
