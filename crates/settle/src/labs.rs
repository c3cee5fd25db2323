//! Diagnostics and thrombosis 2020 settlement per provider (document 003, sections 3.1, 3.2, 5.1
//! and 5.2), in exact decimals from the figures of [`crate::scan::scan_labs`], the rules of the
//! policy file (`diagnostics-2020`) and the provider's terms ([`LabTermsSet`]). Every step
//! becomes a line of the [`Statement`] (JSON shape [`LABS_SCHEMA`]).
//!
//! * **Production 2020**: approved lines (`granted`/`reduced`, at the granted amount) of every
//!   prestatie code of the policy's modules, dated in 2020, all the provider's locations
//!   together (one AGB code: "Het omzetplafond is gekoppeld aan de zorgaanbieder, ongeacht het
//!   aantal locaties").
//! * **Regular lab contract and thrombosis**: paid = min(production, ceiling); the excess is not
//!   paid (5.1 and 5.2).
//! * **Preferred lab contract**: within the ceiling as produced; the excess over the ceiling
//!   (plafondafspraak met nacalculatie) is paid with the sliding discount (table
//!   `lab-preferred-sliding-discount`, example values) only when both the mean orders per
//!   patient and the mean analyses per order of 2020 grew at most 2.5 % against 2018 (3.1).
//!
//! Readings chosen where the text is silent (each is also written on its line):
//!
//! * **Order and analysis.** The claims hold no order number. One *order* is one patient's
//!   approved lines at one provider (AGB code) on one date; one *analysis* is one approved
//!   line. Orders per patient = orders / distinct patients; analyses per order = lines / orders.
//! * **Growth** = (mean 2020 − mean 2018) / mean 2018, compared exactly (with the unrounded
//!   means, in fractions of whole counts); shown rounded to 4 decimals. Exactly 2.5 % still
//!   meets the condition ("niet meer dan").
//! * **No 2018 claims**: the growth cannot be computed, so the condition is not shown to be met
//!   and the excess is not paid; the statement says so. A provider that needs no post-
//!   calculation (production within the ceiling) is settled all the same.
//! * **Contract period**: the text speaks of the contract period 2020-2021; each year is
//!   settled on its own (`settle labs --year 2020|2021`, default 2020), its means against
//!   2018's, with the ceiling of that year from the terms. A regular lab contract and a
//!   thrombosis contract are one-year contracts: in 2021 their statement says there is no
//!   contract under this policy, without a total.
//! * **Sliding discount**: the part of the excess in each tier (a share of the ceiling) is paid
//!   at (1 − discount), each tier rounded to cents.
//! * **Ceiling already applied by the claims checker**: for regular contracts and thrombosis
//!   the checker rejects lines above the contract's ceiling (claim rules
//!   `lab-regular-revenue-ceiling`, `thrombosis-revenue-ceiling`); those lines are not
//!   approved and so not in the production. The settlement applies the ceiling of the terms
//!   again, which is what counts for the year.

use crate::SettleError;
use crate::cite::{self, Cite};
use crate::labs_rules::{BASE_YEAR, LabRules};
use crate::scan::{self, LabFigures, LabYear};
use crate::statement::{
    Amount, LABS_SCHEMA, PolicyRef, ProviderKind, Statement, dutch_number, euro, percent,
};
use crate::statement::{Builder, cents, mul, round2, round4};
use crate::terms::{LabContract, LabTerms, LabTermsSet};
use chrono::Datelike;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A laboratory with a regular contract.
pub const LAB_REGULAR: ProviderKind = ProviderKind {
    code: "lab-regular",
    dutch: "laboratorium, reguliere overeenkomst",
};
/// A laboratory with a preferred contract.
pub const LAB_PREFERRED: ProviderKind = ProviderKind {
    code: "lab-preferred",
    dutch: "laboratorium, voorkeursovereenkomst",
};
/// A thrombosis service.
pub const THROMBOSIS: ProviderKind = ProviderKind {
    code: "thrombosis",
    dutch: "trombosedienst",
};
/// A provider whose contract is not given.
pub const UNKNOWN: ProviderKind = ProviderKind {
    code: "unknown",
    dutch: "soort overeenkomst onbekend",
};

/// How an order is read (written on the lines that count orders).
pub const ORDER_CHOICE: &str = "De declaraties bevatten geen ordernummer. Onze keuze: één order = de goedgekeurde declaratieregels van één patiënt (BSN) bij deze zorgaanbieder (AGB-code, alle locaties) op één datum; één analyse = één goedgekeurde declaratieregel.";

/// Settles every laboratory and thrombosis service found in `results` (or in `terms`), or only
/// `provider`.
pub fn settle_labs(
    rules: &LabRules,
    results: &[PathBuf],
    terms: &LabTermsSet,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    settle_labs_on(scan::Engine::Local, rules, results, terms, provider)
}

/// [`settle_labs`] with the queries on the given engine: the same statements.
pub fn settle_labs_on(
    engine: scan::Engine,
    rules: &LabRules,
    results: &[PathBuf],
    terms: &LabTermsSet,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    let figures = scan::scan_labs_on(engine, rules, results, provider)?;
    settle_labs_from_figures(rules, &figures, terms, provider)
}

/// Settles from figures already read (see [`scan::scan_labs`]).
pub fn settle_labs_from_figures(
    rules: &LabRules,
    figures: &LabFigures,
    terms: &LabTermsSet,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    let mut agbs: BTreeSet<&str> = figures.providers.keys().map(String::as_str).collect();
    agbs.extend(terms.providers.keys().map(String::as_str));
    if let Some(p) = provider {
        if !crate::error::is_agb(p) {
            return Err(SettleError::BadAgb(p.to_string()));
        }
        agbs.retain(|a| *a == p);
        agbs.insert(p);
    }
    let zero = (LabYear::default(), LabYear::default());
    agbs.into_iter()
        .map(|agb| {
            let (year, base) = figures.providers.get(agb).unwrap_or(&zero);
            settle_one(rules, agb, year, base, terms.providers.get(agb))
        })
        .collect()
}

/// A mean of whole counts, `None` without a denominator.
fn mean(num: i64, den: i64) -> Option<Decimal> {
    (den > 0).then(|| Decimal::from(num) / Decimal::from(den))
}

/// The growth of one measure between the base year and the year settled.
struct Growth {
    /// Rounded to 4 decimals, for the statement.
    shown: Decimal,
    /// Compared exactly against the maximum.
    within: bool,
}

/// Growth of `a/b` (year) against `c/d` (base year), compared exactly with `max`:
/// a/b ≤ (1 + max) × c/d ⇔ a × d ≤ (1 + max) × c × b.
fn growth(
    (a, b): (i64, i64),
    (c, d): (i64, i64),
    max: Decimal,
) -> Result<Option<Growth>, SettleError> {
    if b == 0 || c == 0 || d == 0 {
        return Ok(None);
    }
    let lhs = mul(Decimal::from(a), Decimal::from(d), "groei")?;
    let rhs = mul(
        Decimal::ONE + max,
        mul(Decimal::from(c), Decimal::from(b), "groei")?,
        "groei",
    )?;
    let ratio = (Decimal::from(a) / Decimal::from(b)) / (Decimal::from(c) / Decimal::from(d));
    Ok(Some(Growth {
        shown: round4(ratio - Decimal::ONE),
        within: lhs <= rhs,
    }))
}

fn mean_text(num: i64, den: i64, what: (&str, &str), year: i32) -> String {
    match mean(num, den) {
        Some(m) => format!(
            "{num} {} / {den} {} in {year} = {}",
            what.0,
            what.1,
            dutch_number(round4(m), 4)
        ),
        None => format!("geen {} in {year}", what.1),
    }
}

fn mean_amount(num: i64, den: i64) -> Amount {
    match mean(num, den) {
        Some(m) => Amount::Mean(round4(m)),
        None => Amount::Text("niet te berekenen".into()),
    }
}

fn settle_one(
    rules: &LabRules,
    agb: &str,
    year: &LabYear,
    base: &LabYear,
    terms: Option<&LabTerms>,
) -> Result<Statement, SettleError> {
    let mut b = Builder { lines: Vec::new() };
    let mut missing = Vec::new();
    let y = rules.year.0.year();
    let contract = terms.map(|t| t.contract);
    let kind = match contract {
        Some(LabContract::Regular) => LAB_REGULAR,
        Some(LabContract::Preferred) => LAB_PREFERRED,
        Some(LabContract::Thrombosis) => THROMBOSIS,
        None => UNKNOWN,
    };

    // 1. the contract
    b.push(
        "contract",
        "Overeenkomst",
        Amount::Text(
            match contract {
                Some(LabContract::Regular) => "reguliere overeenkomst eerstelijnsdiagnostiek",
                Some(LabContract::Preferred) => "voorkeursovereenkomst eerstelijnsdiagnostiek",
                Some(LabContract::Thrombosis) => "overeenkomst trombosezorg",
                None => "niet opgegeven",
            }
            .into(),
        ),
        match contract {
            Some(c) => format!(
                "opgegeven in de afspraken van de zorgaanbieder (contract = {})",
                c.as_str()
            ),
            None => "niet opgegeven in de afspraken (--terms)".to_string(),
        },
        match contract {
            Some(LabContract::Thrombosis) => cite::THROMBOSIS_CONTRACT.cite(),
            _ => cite::LAB_CONTRACTS.cite(),
        },
    );
    if contract.is_none() {
        missing.push(
            "de soort overeenkomst en het omzetplafond zijn niet opgegeven in de afspraken (provider_agb,contract,ceiling_cents)"
                .to_string(),
        );
    }
    // a regular lab contract and a thrombosis contract are one-year contracts: in the policy's
    // second year only a preferred contract runs
    if y > rules.first_year
        && matches!(
            contract,
            Some(LabContract::Regular | LabContract::Thrombosis)
        )
    {
        b.push(
            "contract_year",
            format!("Overeenkomst in {y}"),
            Amount::Text("geen".into()),
            format!(
                "een eenjarige overeenkomst ({}); alleen een voorkeursovereenkomst loopt door in {y}",
                rules.first_year
            ),
            if contract == Some(LabContract::Thrombosis) {
                cite::THROMBOSIS_CONTRACT.cite()
            } else {
                cite::LAB_REGULAR_ONE_YEAR.cite()
            },
        );
        missing.push(format!(
            "geen overeenkomst onder dit beleid in {y}: de overeenkomst was eenjarig ({}); een afrekening {y} volgt uit het beleid van {y}",
            rules.first_year
        ));
        return Ok(finish(rules, agb, kind, b, missing, None));
    }

    // 2. production in the year
    let production = cents(year.cents);
    b.push(
        "production",
        format!("Productie {y}"),
        Amount::Euro(production),
        format!(
            "som van de toegekende bedragen van {} goedgekeurde declaratieregels (prestaties {}) met een begindatum in {y}, alle locaties van AGB-code {agb} samen",
            year.analyses,
            rules.prestaties.join(", ")
        ),
        cite::ALL_LOCATIONS.cite(),
    )
    .choice = Some("Goedgekeurd = toegekend of verlaagd toegekend door de declaratiecontrole, geteld tegen het toegekende bedrag. Regels die de declaratiecontrole al boven het plafond van de overeenkomst afwees (reguliere overeenkomst, trombosezorg) tellen niet mee. Het omzetplafond geldt per zorgaanbieder: alle locaties onder de AGB-code samen.".into());

    // 3. the ceiling
    let ceiling = terms.map(|t| cents(t.ceiling_cents));
    match ceiling {
        Some(c) => {
            b.push(
                "ceiling",
                format!("Omzetplafond {y}"),
                Amount::Euro(c),
                "opgegeven in de afspraken van de zorgaanbieder (volume- en prijsafspraken per product)",
                match contract {
                    Some(LabContract::Thrombosis) => cite::THROMBOSIS_CEILING.cite(),
                    _ => cite::LAB_CEILING.cite(),
                },
            );
        }
        None => {
            b.push(
                "ceiling",
                format!("Omzetplafond {y}"),
                Amount::Text("niet opgegeven".into()),
                "niet opgegeven in de afspraken (--terms)",
                cite::LAB_CEILING.cite(),
            );
        }
    }

    // 4. orders per patient and analyses per order
    let preferred = contract == Some(LabContract::Preferred);
    let orders_cite = rules.max_orders_growth.cite.clone();
    let analyses_cite = rules.max_analyses_growth.cite.clone();
    let mut condition: Option<bool> = None; // None: cannot be checked
    if preferred {
        let max_o = rules.max_orders_growth.value;
        let max_a = rules.max_analyses_growth.value;
        b.push(
            "orders_per_patient_2018",
            format!("Gemiddeld aantal orders per patiënt {BASE_YEAR}"),
            mean_amount(base.orders, base.patients),
            mean_text(
                base.orders,
                base.patients,
                ("orders", "patiënten"),
                BASE_YEAR,
            ),
            orders_cite.clone(),
        )
        .choice = Some(ORDER_CHOICE.into());
        b.push(
            "orders_per_patient",
            format!("Gemiddeld aantal orders per patiënt {y}"),
            mean_amount(year.orders, year.patients),
            mean_text(year.orders, year.patients, ("orders", "patiënten"), y),
            orders_cite.clone(),
        )
        .choice = Some(ORDER_CHOICE.into());
        let g_o = growth(
            (year.orders, year.patients),
            (base.orders, base.patients),
            max_o,
        )?;
        growth_line(
            &mut b,
            "orders_per_patient_growth",
            "Toename orders per patiënt",
            g_o.as_ref(),
            max_o,
            y,
            orders_cite.clone(),
        );
        b.push(
            "analyses_per_order_2018",
            format!("Gemiddeld aantal analyses per order {BASE_YEAR}"),
            mean_amount(base.analyses, base.orders),
            mean_text(
                base.analyses,
                base.orders,
                ("analyses", "orders"),
                BASE_YEAR,
            ),
            analyses_cite.clone(),
        )
        .choice = Some(ORDER_CHOICE.into());
        b.push(
            "analyses_per_order",
            format!("Gemiddeld aantal analyses per order {y}"),
            mean_amount(year.analyses, year.orders),
            mean_text(year.analyses, year.orders, ("analyses", "orders"), y),
            analyses_cite.clone(),
        )
        .choice = Some(ORDER_CHOICE.into());
        let g_a = growth(
            (year.analyses, year.orders),
            (base.analyses, base.orders),
            max_a,
        )?;
        growth_line(
            &mut b,
            "analyses_per_order_growth",
            "Toename analyses per order",
            g_a.as_ref(),
            max_a,
            y,
            analyses_cite.clone(),
        );
        condition = match (&g_o, &g_a) {
            (Some(o), Some(a)) => Some(o.within && a.within),
            _ => None,
        };
    } else {
        let note = "ter informatie (spiegelinformatie): bij deze overeenkomst is dit geen voorwaarde voor betaling";
        b.push(
            "orders_per_patient",
            format!("Gemiddeld aantal orders per patiënt {y}"),
            mean_amount(year.orders, year.patients),
            format!(
                "{}; {note}",
                mean_text(year.orders, year.patients, ("orders", "patiënten"), y)
            ),
            orders_cite,
        )
        .choice = Some(ORDER_CHOICE.into());
        b.push(
            "analyses_per_order",
            format!("Gemiddeld aantal analyses per order {y}"),
            mean_amount(year.analyses, year.orders),
            format!(
                "{}; {note}",
                mean_text(year.analyses, year.orders, ("analyses", "orders"), y)
            ),
            analyses_cite,
        )
        .choice = Some(ORDER_CHOICE.into());
    }

    let (Some(contract), Some(ceiling)) = (contract, ceiling) else {
        return Ok(finish(rules, agb, kind, b, missing, None));
    };

    // 5. within the ceiling and the excess
    let within = production.min(ceiling);
    b.push(
        "within_ceiling",
        "Vergoed binnen het omzetplafond",
        Amount::Euro(within),
        format!(
            "het laagste van productie {} en omzetplafond {}",
            euro(production),
            euro(ceiling)
        ),
        match contract {
            LabContract::Thrombosis => cite::THROMBOSIS_CEILING.cite(),
            _ => cite::LAB_CEILING.cite(),
        },
    );
    let over = (production - ceiling).max(Decimal::ZERO);
    b.push(
        "overproduction",
        "Overschrijding van het omzetplafond (overproductie)",
        Amount::Euro(over),
        format!(
            "{} − {}, niet minder dan € 0",
            euro(production),
            euro(ceiling)
        ),
        match contract {
            LabContract::Regular => cite::LAB_REGULAR_EXCESS.cite(),
            LabContract::Preferred => cite::LAB_PREFERRED_POST_CALCULATION.cite(),
            LabContract::Thrombosis => cite::THROMBOSIS_EXCESS.cite(),
        },
    );

    // 6. what of the excess is paid
    let paid = match contract {
        LabContract::Regular | LabContract::Thrombosis => {
            b.push(
                "overproduction_paid",
                "Vergoede overproductie",
                Amount::Euro(Decimal::ZERO),
                if over.is_zero() {
                    "geen overschrijding".to_string()
                } else {
                    format!("de overschrijding van {} wordt niet betaald", euro(over))
                },
                if contract == LabContract::Regular {
                    cite::LAB_REGULAR_EXCESS.cite()
                } else {
                    cite::THROMBOSIS_EXCESS.cite()
                },
            );
            Decimal::ZERO
        }
        LabContract::Preferred => {
            let (verdict, calc) = match condition {
                Some(true) => (
                    "voldaan",
                    "orders per patiënt en analyses per order zijn elk niet meer dan toegestaan toegenomen ten opzichte van 2018".to_string(),
                ),
                Some(false) => (
                    "niet voldaan",
                    "orders per patiënt of analyses per order is meer dan toegestaan toegenomen ten opzichte van 2018".to_string(),
                ),
                None => (
                    "niet aangetoond",
                    format!(
                        "zonder goedgekeurde declaraties in {BASE_YEAR} (of in {y}) is de toename niet te berekenen"
                    ),
                ),
            };
            let line = b.push(
                "overproduction_condition",
                "Voorwaarden voor betaling van overproductie",
                Amount::Text(verdict.into()),
                calc,
                cite::LAB_PREFERRED_CONDITIONS.cite(),
            );
            if condition.is_none() {
                line.choice = Some(format!(
                    "Zonder declaraties in {BASE_YEAR} is niet vast te stellen dat de voorwaarden gelden: de overschrijding wordt dan niet betaald (de voorwaarde is niet aangetoond). Binnen het plafond wordt gewoon betaald."
                ));
            }
            if condition == Some(true) {
                let (paid, calc) = sliding(rules, over, ceiling)?;
                let mut note = String::new();
                if rules.discount.example {
                    note.push_str("VOORBEELDWAARDEN uit het beleidsbestand (tabel lab-preferred-sliding-discount): het document noemt de staffel niet. ");
                }
                note.push_str("Onze keuze: een trede is een deel van de overschrijding, gemeten als deel van het omzetplafond; het deel in een trede wordt betaald tegen (1 − korting), per trede afgerond op centen.");
                b.push(
                    "overproduction_paid",
                    "Vergoede overproductie (staffelkorting)",
                    Amount::Euro(paid),
                    calc,
                    rules.discount.cite.clone(),
                )
                .choice = Some(note);
                paid
            } else {
                b.push(
                    "overproduction_paid",
                    "Vergoede overproductie",
                    Amount::Euro(Decimal::ZERO),
                    if over.is_zero() {
                        "geen overschrijding".to_string()
                    } else {
                        format!(
                            "voorwaarden {verdict}: de overschrijding van {} wordt niet betaald",
                            euro(over)
                        )
                    },
                    cite::LAB_MARGINAL_COST.cite(),
                );
                Decimal::ZERO
            }
        }
    };

    let total = within + paid;
    b.push(
        "total",
        format!("Afgerekend bedrag {y}"),
        Amount::Euro(total),
        format!("{} + {}", euro(within), euro(paid)),
        match contract {
            LabContract::Regular => cite::LAB_REGULAR_EXCESS.cite(),
            LabContract::Preferred => cite::LAB_MARGINAL_COST.cite(),
            LabContract::Thrombosis => cite::THROMBOSIS_EXCESS.cite(),
        },
    );
    Ok(finish(rules, agb, kind, b, missing, Some(total)))
}

fn growth_line(
    b: &mut Builder,
    step: &'static str,
    label: &str,
    g: Option<&Growth>,
    max: Decimal,
    y: i32,
    source: Cite,
) {
    match g {
        Some(g) => {
            b.push(
                step,
                format!("{label} ten opzichte van {BASE_YEAR}"),
                Amount::Ratio(g.shown),
                format!(
                    "(gemiddelde {y} − gemiddelde {BASE_YEAR}) / gemiddelde {BASE_YEAR}, exact vergeleken met de niet-afgeronde gemiddelden, getoond op 4 decimalen: {} {} {}",
                    percent(g.shown),
                    if g.within { "≤" } else { ">" },
                    percent(max)
                ),
                source,
            )
            .choice = Some("Precies het maximum voldoet nog (‘niet meer dan’).".into());
        }
        None => {
            b.push(
                step,
                format!("{label} ten opzichte van {BASE_YEAR}"),
                Amount::Text("niet te berekenen".into()),
                format!("geen goedgekeurde declaraties om het gemiddelde van {BASE_YEAR} of {y} te berekenen"),
                source,
            );
        }
    }
}

/// The excess paid with the sliding discount: per tier, the part of `over` between the tier's
/// bounds (shares of `ceiling`, rounded to cents) at (1 − discount), each rounded to cents.
fn sliding(
    rules: &LabRules,
    over: Decimal,
    ceiling: Decimal,
) -> Result<(Decimal, String), SettleError> {
    let mut paid = Decimal::ZERO;
    let mut parts = Vec::new();
    for t in &rules.discount.tiers {
        let lo = round2(mul(t.from_share, ceiling, "staffel")?);
        let hi = match t.to_share {
            Some(s) => round2(mul(s, ceiling, "staffel")?),
            None => over.max(lo),
        };
        let part = (over.min(hi) - lo).max(Decimal::ZERO);
        if part.is_zero() {
            continue;
        }
        let p = round2(mul(part, Decimal::ONE - t.discount, "staffel")?);
        paid += p;
        parts.push(format!(
            "trede {} ({} tot {} van het plafond, korting {}): {} × {} = {}",
            t.tier,
            percent(t.from_share),
            t.to_share
                .map(percent)
                .unwrap_or_else(|| "onbeperkt".into()),
            percent(t.discount),
            euro(part),
            percent(Decimal::ONE - t.discount),
            euro(p)
        ));
    }
    let calc = if parts.is_empty() {
        "geen overschrijding".to_string()
    } else {
        format!("{}; samen {}", parts.join("; "), euro(paid))
    };
    Ok((paid, calc))
}

fn finish(
    rules: &LabRules,
    agb: &str,
    kind: ProviderKind,
    b: Builder,
    missing: Vec<String>,
    total: Option<Decimal>,
) -> Statement {
    Statement {
        schema: LABS_SCHEMA,
        policy: PolicyRef {
            id: rules.policy_id.clone(),
            version: rules.policy_version.clone(),
            sha256: rules.policy_sha256.clone(),
        },
        provider_agb: agb.to_string(),
        year: rules.year.0.year(),
        category: kind,
        lines: b.lines,
        missing,
        total,
    }
}
