//! District nursing 2021 settlement per provider (document 004, chapter 4 and bijlage 6), in
//! exact decimals from the claim figures of [`crate::scan`], the rules of the policy file and the
//! provider's terms. Every step becomes a line of the [`Statement`].
//!
//! Readings chosen where the text is ambiguous or silent (each is also written on its line):
//!
//! * **Volume in euro.** "Volume × tarief 2021": the volume is measured as the approved amount
//!   of the reference period at that period's tariffs, and the 2021 tariff is that tariff
//!   indexed with the OVA (parameter `tariff.ova-index`) less the cut of the provider's group;
//!   so the basisbudget is revenue × (1 + OVA) × (1 − cut), rounded to cents.
//! * **Underproduction.** Production below the basisbudget is paid as produced, not the budget.
//! * **Revenue ceiling (omzetplafond).** Table 2 caps the paid overproduction for groups 1-2,
//!   small and new providers; their ceiling is the basisbudget plus that maximum at the
//!   table's tariff, the most the settlement pays. Groups 3-5 have free volume and no ceiling.
//!   The statement also shows how far production filled it (the "volloop" a provider
//!   monitors).
//! * **Post-calculation.** The approved claims were paid during the year at their granted
//!   amounts (the production); the last line settles the difference with the total.
//! * **"Komt te vervallen" and "naar rato".** Chapter 4 says the cut lapses when the agreement
//!   is met; bijlage 6 that the surcharge is repaid pro rata when it is not. Read together: a
//!   provider with an agreement is paid in 2021 at the tariff without the cut (the cut lapses in
//!   advance, which makes the difference a surcharge); when the improvement falls short it
//!   repays the surcharge in proportion to the shortfall, (required − achieved) / required, an
//!   achieved improvement below zero counting as zero. As all amounts scale with the tariff, the
//!   surcharge is cut × (paid within budget + paid overproduction).
//! * **Hours** are the approved amount divided by the integral tariff per 5 minutes (of the
//!   reference period, or that tariff indexed for 2021), times 5/60: the claim results hold
//!   amounts, not quantities. Mean hours and the improvement are rounded to 4 decimals and
//!   the next step computes on the rounded figure, so each line can be checked from the lines
//!   above it.
//! * **Rounding.** Euro amounts to cents, half away from zero, at each line.
//! * **Zorg in de Wijk** (chapter 4, footnote 1: the reference revenue is "exclusief de
//!   gemeenten die onder Zorg in de Wijk vallen, op peildatum 1 augustus 2019"): with the
//!   insured register (`--context`), a client's reference revenue is left out when the client
//!   lived in a postcode of table `zorg-in-de-wijk-postcodes` on 1 August 2019 (the peildatum;
//!   a client without an address that day: on the last day with approved care). The category
//!   and the efficiency model use the revenue without them. Without the register nothing is
//!   left out, and the line says so.

use crate::SettleError;
use crate::cite;
use crate::model::{self, Efficiency};
use crate::register::Register;
use crate::rules::{Category, NursingRules};
use crate::scan::{self, ClaimFigures, ClientMonths, Period, ProviderFigures};
use crate::statement::{Amount, PolicyRef, SCHEMA, Statement, dutch_number, euro, percent};
use crate::statement::{Builder, cents, mul, round2, round4};
use crate::terms::{ProviderTerms, TermsSet};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Settles every district nursing provider found in `results` (or in `terms`), or only
/// `provider`.
pub fn settle_nursing(
    rules: &NursingRules,
    results: &[PathBuf],
    terms: &TermsSet,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    settle_nursing_on(scan::Engine::Local, rules, results, terms, provider)
}

/// [`settle_nursing`] with the claims read on `engine` (DataFusion here, or Ballista).
pub fn settle_nursing_on(
    engine: scan::Engine,
    rules: &NursingRules,
    results: &[PathBuf],
    terms: &TermsSet,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    let figures = scan::scan_on(engine, rules, results, provider, false)?;
    settle_nursing_from_figures(rules, &figures, terms, provider)
}

/// Settles with the efficiency model: reads the insured register and the regional scores from
/// `context` (the claims checker's context folder: `insured.csv` with `sex` and `death_date`,
/// `region_scores.csv`), estimates the model over every regular provider (whichever
/// `provider` is asked for: the fit is over all of them), and settles each regular provider
/// whose terms give no efficiency group with the group the model computed. Returns the
/// statements and the model.
pub fn settle_nursing_with_context(
    rules: &NursingRules,
    results: &[PathBuf],
    terms: &TermsSet,
    context: &Path,
    provider: Option<&str>,
) -> Result<(Vec<Statement>, Efficiency), SettleError> {
    settle_nursing_with_context_on(
        scan::Engine::Local,
        rules,
        results,
        terms,
        context,
        provider,
    )
}

/// [`settle_nursing_with_context`] with the claims read on `engine`.
pub fn settle_nursing_with_context_on(
    engine: scan::Engine,
    rules: &NursingRules,
    results: &[PathBuf],
    terms: &TermsSet,
    context: &Path,
    provider: Option<&str>,
) -> Result<(Vec<Statement>, Efficiency), SettleError> {
    if let Some(p) = provider
        && !crate::error::is_agb(p)
    {
        return Err(SettleError::BadAgb(p.to_string()));
    }
    let figures = scan::scan_on(engine, rules, results, None, true)?;
    let bsns: BTreeSet<String> = figures
        .clients
        .iter()
        .filter(|((_, p), _)| *p == Period::Reference)
        .flat_map(|(_, v)| v.iter().map(|c| c.bsn.clone()))
        .chain(
            figures
                .places
                .values()
                .chain(figures.reference_places.values())
                .flatten()
                .map(|c| c.bsn.clone()),
        )
        .collect();
    let register = Register::load_dir(context, Some(&bsns), true)?;
    settle_nursing_with_register(rules, &figures, terms, &register, provider)
}

/// [`settle_nursing_with_context`] on figures already read (by [`scan::scan_with`] with
/// places) and a register already loaded: the reference revenue without the Zorg in de Wijk
/// municipalities, the efficiency model, and each statement with the provider's
/// client-per-postcode ratio at the end.
pub fn settle_nursing_with_register(
    rules: &NursingRules,
    figures: &ClaimFigures,
    terms: &TermsSet,
    register: &Register,
    provider: Option<&str>,
) -> Result<(Vec<Statement>, Efficiency), SettleError> {
    if let Some(p) = provider
        && !crate::error::is_agb(p)
    {
        return Err(SettleError::BadAgb(p.to_string()));
    }
    let extra = register_figures(rules, figures, register);
    let figures = without_zorg_in_de_wijk(figures, &extra);
    let eff = efficiency(rules, &figures, terms, register)?;
    let mut statements = settle_many(rules, &figures, terms, Some(&eff), Some(&extra), provider)?;
    for s in &mut statements {
        if let Some(r) = extra.ratios.get(&s.provider_agb) {
            s.lines.extend(r.lines.iter().cloned());
        }
    }
    Ok((statements, eff))
}

/// The peildatum of the Zorg in de Wijk municipalities (chapter 4, footnote 1): the date of the
/// passage [`cite::REFERENCE_EXCLUDES_ZORG_IN_DE_WIJK`] itself.
pub fn zorg_in_de_wijk_peildatum() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 8, 1).expect("a date")
}

/// A provider's reference revenue of clients in Zorg in de Wijk municipalities, left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Cents left out.
    pub cents: i64,
    /// Clients left out per municipality.
    pub clients: BTreeMap<String, i64>,
    /// Clients of the reference period not in the register (their revenue stays in).
    pub unknown: i64,
}

/// What the insured register adds to the statements.
#[derive(Debug, Clone, Default)]
pub struct RegisterFigures {
    /// Per provider with reference-period clients.
    pub zorg_in_de_wijk: BTreeMap<String, LeftOut>,
    /// Per provider with clients in the ratio's period: the client-per-postcode ratio
    /// (bijlage 3), the test of an existing provider for a 2022 contract.
    pub ratios: BTreeMap<String, crate::ratio::RatioReport>,
}

/// The Zorg in de Wijk revenue and the ratios from the register (figures of
/// [`scan::scan_with`] with places).
pub fn register_figures(
    rules: &NursingRules,
    figures: &ClaimFigures,
    register: &Register,
) -> RegisterFigures {
    let peildatum = zorg_in_de_wijk_peildatum();
    let mut out = RegisterFigures::default();
    for (agb, clients) in &figures.reference_places {
        let mut left = LeftOut::default();
        for c in clients {
            let on = register
                .on(&c.bsn, peildatum)
                .or_else(|| register.on(&c.bsn, c.last_date));
            let Some(pc4) = on.map(|p| p.postcode4()).filter(|&p| p >= 1000) else {
                left.unknown += 1;
                continue;
            };
            if let Some(m) = rules.ratio.zorg_in_de_wijk(pc4) {
                left.cents += c.cents;
                *left.clients.entry(m).or_default() += 1;
            }
        }
        out.zorg_in_de_wijk.insert(agb.clone(), left);
    }
    out.ratios = crate::ratio::ratios(rules, &figures.places, register, None)
        .into_iter()
        .map(|r| (r.provider_agb.clone(), r))
        .collect();
    out
}

/// The figures with each provider's reference revenue less its Zorg in de Wijk clients.
fn without_zorg_in_de_wijk(figures: &ClaimFigures, extra: &RegisterFigures) -> ClaimFigures {
    let mut f = figures.clone();
    for (agb, fig) in &mut f.providers {
        if let Some(l) = extra.zorg_in_de_wijk.get(agb) {
            fig.reference_cents -= l.cents;
        }
    }
    f
}

/// The category of table 1 of a provider, and whether it had a 2020 contract (from the terms,
/// else from its reference-period claims).
fn category_of(
    rules: &NursingRules,
    fig: &ProviderFigures,
    terms: &ProviderTerms,
) -> Result<(bool, Category), SettleError> {
    let contract_2020 = terms.contract_2020.unwrap_or(fig.reference_lines > 0);
    Ok((
        contract_2020,
        rules.category(contract_2020, cents(fig.reference_cents))?,
    ))
}

/// The efficiency model over the regular providers of `figures` (see [`crate::model`]).
pub fn efficiency(
    rules: &NursingRules,
    figures: &ClaimFigures,
    terms: &TermsSet,
    register: &Register,
) -> Result<Efficiency, SettleError> {
    let none = ProviderTerms::default();
    let mut regular = BTreeSet::new();
    for (agb, fig) in &figures.providers {
        let t = terms.providers.get(agb).unwrap_or(&none);
        if category_of(rules, fig, t)?.1 == Category::Regular {
            regular.insert(agb.clone());
        }
    }
    let clients: BTreeMap<String, &[ClientMonths]> = figures
        .clients
        .iter()
        .filter(|((_, p), _)| *p == Period::Reference)
        .map(|((a, _), v)| (a.clone(), v.as_slice()))
        .collect();
    model::estimate(&rules.model, register, &clients, &regular)
}

/// Settles from figures already read (see [`scan::scan`]).
pub fn settle_nursing_from_figures(
    rules: &NursingRules,
    figures: &ClaimFigures,
    terms: &TermsSet,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    settle_nursing_with_model(rules, figures, terms, None, provider)
}

/// Settles from figures already read, with the efficiency model's outcome when there is one:
/// a regular provider without a group in its terms gets the group the model computed.
pub fn settle_nursing_with_model(
    rules: &NursingRules,
    figures: &ClaimFigures,
    terms: &TermsSet,
    efficiency: Option<&Efficiency>,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    settle_many(rules, figures, terms, efficiency, None, provider)
}

fn settle_many(
    rules: &NursingRules,
    figures: &ClaimFigures,
    terms: &TermsSet,
    efficiency: Option<&Efficiency>,
    register: Option<&RegisterFigures>,
    provider: Option<&str>,
) -> Result<Vec<Statement>, SettleError> {
    let mut agbs: BTreeSet<&str> = figures.providers.keys().map(String::as_str).collect();
    agbs.extend(terms.providers.keys().map(String::as_str));
    if let Some(p) = provider {
        agbs.retain(|a| *a == p);
        agbs.insert(p);
    }
    let zero = ProviderFigures::default();
    let none = ProviderTerms::default();
    let empty: Vec<ClientMonths> = Vec::new();
    agbs.into_iter()
        .map(|agb| {
            let clients = |p: Period| {
                figures
                    .clients
                    .get(&(agb.to_string(), p))
                    .unwrap_or(&empty)
                    .as_slice()
            };
            settle_one(
                rules,
                agb,
                figures.providers.get(agb).unwrap_or(&zero),
                terms.providers.get(agb).unwrap_or(&none),
                Clients {
                    reference: clients(Period::Reference),
                    year: clients(Period::Year),
                },
                Extra {
                    efficiency,
                    left_out: register.map(|r| r.zorg_in_de_wijk.get(agb).unwrap_or(&NONE_LEFT)),
                },
            )
        })
        .collect()
}

fn day(d: NaiveDate) -> String {
    d.format("%-d-%-m-%Y").to_string()
}

fn example_note(p: &crate::rules::Param) -> Option<String> {
    p.example.then(|| {
        format!(
            "VOORBEELDWAARDE uit het beleidsbestand (parameter {}): het document noemt de hoogte niet.",
            p.id
        )
    })
}

/// The mean hours per client-month of one period (bijlage 6 b-d): `(mean, included, excluded)`;
/// `None` when no client is included.
fn mean_hours(
    clients: &[ClientMonths],
    tariff_cents: Decimal,
    max_hours: Decimal,
) -> Result<(Option<Decimal>, i64, i64), SettleError> {
    let per_hour = mul(tariff_cents, Decimal::from(12), "uurtarief")?;
    let (mut sum, mut included, mut excluded) = (Decimal::ZERO, 0i64, 0i64);
    for c in clients {
        // months is 1-12 by construction (distinct months with an approved line)
        let h = Decimal::from(c.cents) / per_hour / Decimal::from(c.months.max(1));
        if h > max_hours {
            excluded += 1;
        } else {
            sum += h;
            included += 1;
        }
    }
    let mean = (included > 0).then(|| round4(sum / Decimal::from(included)));
    Ok((mean, included, excluded))
}

static NONE_LEFT: LeftOut = LeftOut {
    cents: 0,
    clients: BTreeMap::new(),
    unknown: 0,
};

/// A provider's clients (bijlage 6 prestaties) of both periods.
struct Clients<'a> {
    reference: &'a [ClientMonths],
    year: &'a [ClientMonths],
}

/// What the settlement knows beyond the claims and the terms.
struct Extra<'a> {
    efficiency: Option<&'a Efficiency>,
    /// With the register: the reference revenue of Zorg in de Wijk clients (already left out
    /// of the figures).
    left_out: Option<&'a LeftOut>,
}

fn settle_one(
    rules: &NursingRules,
    agb: &str,
    fig: &ProviderFigures,
    terms: &ProviderTerms,
    clients: Clients<'_>,
    extra: Extra<'_>,
) -> Result<Statement, SettleError> {
    let (clients_ref, clients_year) = (clients.reference, clients.year);
    let efficiency = extra.efficiency;
    let mut b = Builder { lines: Vec::new() };
    let mut missing = Vec::new();
    let (rs, re) = rules.reference;

    // 1. revenue in the reference period
    let revenue = cents(fig.reference_cents);
    let summed = format!(
        "som van de toegekende bedragen van {} goedgekeurde declaratieregels wijkverpleging (prestaties {}) met een begindatum in de referentieperiode",
        fig.reference_lines,
        rules.prestaties.join(", ")
    );
    let approved = "Goedgekeurd = toegekend of verlaagd toegekend door de declaratiecontrole, geteld tegen het toegekende bedrag. De labels van Zilveren Kruis zijn al getoetst door de declaratieregel zk-labels-insured.";
    match extra.left_out {
        None => {
            b.push(
                "reference_revenue",
                format!("Omzet referentieperiode {} t/m {}", day(rs), day(re)),
                Amount::Euro(revenue),
                summed,
                cite::REFERENCE_CLAIMS.cite(),
            )
            .choice = Some(format!(
                "{approved} Gemeenten onder Zorg in de Wijk zijn niet uitgesloten: zonder verzekerdenbestand (--context) is de woonplaats van de klanten niet bekend."
            ));
        }
        Some(left) => {
            let all = cents(fig.reference_cents + left.cents);
            b.push(
                "reference_revenue_all",
                format!(
                    "Omzet referentieperiode {} t/m {}, alle klanten",
                    day(rs),
                    day(re)
                ),
                Amount::Euro(all),
                summed,
                cite::REFERENCE_CLAIMS.cite(),
            )
            .choice = Some(approved.into());
            let n: i64 = left.clients.values().sum();
            b.push(
                "reference_zorg_in_de_wijk",
                "Waarvan klanten in gemeenten onder Zorg in de Wijk (niet meegenomen)",
                Amount::Euro(cents(left.cents)),
                if n == 0 {
                    "geen klant woonde op 1-8-2019 in een postcodegebied van tabel zorg-in-de-wijk-postcodes".to_string()
                } else {
                    format!(
                        "{n} klanten met een adres in tabel zorg-in-de-wijk-postcodes: {}",
                        left.clients
                            .iter()
                            .map(|(m, k)| format!("{m} {k}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } + &if left.unknown > 0 {
                    format!(
                        "; {} klanten staan niet in het verzekerdenbestand en tellen mee",
                        left.unknown
                    )
                } else {
                    String::new()
                },
                cite::REFERENCE_EXCLUDES_ZORG_IN_DE_WIJK.cite(),
            )
            .choice = Some("De peildatum 1 augustus 2019 gelezen als de dag van het adres: telt het adres van de klant in het verzekerdenbestand op die dag (zonder adres die dag: op de laatste dag met goedgekeurde zorg in de referentieperiode). De gemeenten staan als reeksen 4-cijferige postcodes in het beleidsbestand (onze keuze, niet offline gecontroleerd tegen een postcodetabel).".into());
            b.push(
                "reference_revenue",
                format!("Omzet referentieperiode {} t/m {}", day(rs), day(re)),
                Amount::Euro(revenue),
                format!("{} − {}", euro(all), euro(cents(left.cents))),
                cite::REFERENCE_EXCLUDES_ZORG_IN_DE_WIJK.cite(),
            );
        }
    }

    // 2. 2020 contract and category (table 1)
    let (contract_2020, category) = category_of(rules, fig, terms)?;
    let line = b.push(
        "contract_2020",
        "Overeenkomst wijkverpleging 2020",
        Amount::Text(if contract_2020 { "ja" } else { "nee" }.into()),
        if terms.contract_2020.is_some() {
            "opgegeven in de afspraken van de zorgaanbieder".to_string()
        } else {
            format!(
                "niet opgegeven; afgeleid uit de declaraties: {} goedgekeurde regels in de referentieperiode",
                fig.reference_lines
            )
        },
        rules.category_cite(),
    );
    if terms.contract_2020.is_none() {
        line.choice = Some("Zonder opgave geldt een zorgaanbieder met goedgekeurde declaraties in de referentieperiode als bestaande zorgaanbieder (overeenkomst 2020), anders als nieuwe.".into());
    }
    let threshold = rules.small_threshold.value;
    b.push(
        "category",
        "Categorie (tabel 1)",
        Amount::Text(category.dutch().into()),
        match category {
            Category::New => "geen overeenkomst wijkverpleging 2020".to_string(),
            Category::Small => format!(
                "overeenkomst 2020; omzet {} is kleiner dan {}",
                euro(revenue),
                euro(threshold)
            ),
            Category::Regular => format!(
                "overeenkomst 2020; omzet {} is groter dan of gelijk aan {}",
                euro(revenue),
                euro(threshold)
            ),
        },
        rules.small_threshold.cite.clone(),
    );

    // 3. the OVA index
    let ova = rules.ova_index.value;
    b.push(
        "ova_index",
        "Indexering tarief 2021 (OVA)",
        Amount::Ratio(ova),
        "het tarief 2021 is het tarief van de referentieperiode, geïndexeerd met de OVA",
        rules.ova_index.cite.clone(),
    )
    .choice = example_note(&rules.ova_index);

    // 4. efficiency group and cut (regular providers only)
    let mut group = None;
    let mut cut = Decimal::ZERO; // the cut the provider's group carries
    let mut agreement = None;
    if category != Category::Regular && efficiency.is_some() {
        b.push(
            "efficiency_model",
            "Doelmatigheidsmodel",
            Amount::Text("niet van toepassing".into()),
            format!(
                "{} vallen buiten het doelmatigheidsmodel",
                match category {
                    Category::New => "nieuwe zorgaanbieders",
                    _ => "kleine zorgaanbieders",
                }
            ),
            match category {
                Category::New => cite::NEW_EXCLUDED.cite(),
                _ => cite::MODEL_EXCLUDES_SMALL.cite(),
            },
        );
    }
    if category == Category::Regular {
        let computed = efficiency.and_then(|e| e.providers.get(agb).map(|p| (e, p)));
        if let Some((e, p)) = computed {
            model_line(rules, &mut b, e, p);
        }
        let model_group = computed.and_then(|(_, p)| p.group);
        let chosen = match (terms.efficiency_group, model_group) {
            (Some(g), _) => Some((g, true)),
            (None, Some(g)) => Some((g, false)),
            (None, None) => None,
        };
        match chosen {
            None => missing.push(match efficiency {
                None => "de doelmatigheidsgroep (uitkomst van het doelmatigheidsmodel) is niet opgegeven in de afspraken; geef het verzekerdenbestand en de regioscores op (--context) om haar te berekenen".to_string(),
                Some(e) => format!(
                    "de doelmatigheidsgroep is niet opgegeven in de afspraken en kon niet worden berekend: {}",
                    e.problem.clone().unwrap_or_else(|| "geen cliënten om mee te vergelijken".into())
                ),
            }),
            Some((g, from_terms)) => {
                group = Some(g);
                let line = b.push(
                    "efficiency_group",
                    "Doelmatigheidsgroep",
                    Amount::Count(i64::from(g)),
                    if from_terms {
                        match model_group {
                            Some(m) if m != g => format!("opgegeven in de afspraken; die gaan voor (het doelmatigheidsmodel berekende groep {m})"),
                            Some(_) => "opgegeven in de afspraken; het doelmatigheidsmodel berekende dezelfde groep".to_string(),
                            None => "opgegeven in de afspraken (uitkomst van het doelmatigheidsmodel)".to_string(),
                        }
                    } else {
                        group_calculation(rules, g, computed.and_then(|(_, p)| p.ratio))
                    },
                    cite::EFFICIENCY_GROUP.cite(),
                );
                if !from_terms {
                    line.choice = Some(boundaries_note(rules));
                }
                if let Some(p) = rules.cut(g) {
                    cut = p.value;
                    agreement = terms.agreement.clone();
                    let line = b.push(
                        "tariff_cut",
                        format!("Afslag op het tarief, groep {g}"),
                        Amount::Ratio(cut),
                        if agreement.is_some() {
                            "vervalt vooraf: er is een doelmatigheidsafspraak gemaakt".to_string()
                        } else {
                            format!("tarief 2021 × (1 − {})", percent(cut))
                        },
                        p.cite.clone(),
                    );
                    let mut note = example_note(p).unwrap_or_default();
                    if agreement.is_some() {
                        note.push_str(if note.is_empty() { "" } else { " " });
                        note.push_str("Met een doelmatigheidsafspraak vervalt de afslag vooraf (‘komt te vervallen’): in 2021 geldt het tarief zonder afslag; wordt de afspraak niet behaald, dan wordt dat verschil (de tariefsopslag) naar rato terugbetaald (bijlage 6).");
                    }
                    line.choice = (!note.is_empty()).then_some(note);
                }
            }
        }
    }
    if terms.agreement.is_some()
        && agreement.is_none()
        && !(category == Category::Regular && group.is_none())
    {
        b.push(
            "agreement",
            "Doelmatigheidsafspraak",
            Amount::Text("niet van toepassing".into()),
            "alleen zorgaanbieders met een afslag (doelmatigheidsgroep 1, 2 of 3) maken een doelmatigheidsafspraak; de opgegeven afspraak telt niet mee",
            cite::CUT_LAPSES.cite(),
        );
    }
    if category == Category::Regular && group.is_none() {
        return Ok(finish(rules, agb, category, b, missing, None));
    }
    let applied_cut = if agreement.is_some() {
        Decimal::ZERO
    } else {
        cut
    };

    // 5. basisbudget (a new provider: the budget offered, when the terms give it)
    let factor = (Decimal::ONE + ova) * (Decimal::ONE - applied_cut);
    let offered = terms
        .new_budget_cents
        .filter(|_| category == Category::New)
        .map(cents);
    if category == Category::New && offered.is_none() && fig.reference_cents <= 0 {
        missing.push("het budget dat de nieuwe zorgaanbieder is aangeboden (kolom new_budget_cents van de afspraken): zonder omzet in de referentieperiode is er niets om het uit te berekenen".to_string());
        return Ok(finish(rules, agb, category, b, missing, None));
    }
    let mut budget = match offered {
        Some(o) => o,
        None => round2(mul(revenue, factor, "basisbudget")?),
    };
    if let Some(o) = offered {
        b.push(
            "basisbudget",
            "Budget 2021 aangeboden aan de nieuwe zorgaanbieder",
            Amount::Euro(o),
            "opgegeven in de afspraken van de zorgaanbieder (new_budget_cents)",
            cite::NEW_BUDGET_OFFERED.cite(),
        )
        .choice = Some("Het budget van een nieuwe zorgaanbieder is het aangeboden budget (op basis van de geleverde zorg in de referentieperiode en de ingestuurde plannen); zonder opgave rekenen we het als bij bestaande zorgaanbieders uit de omzet in de referentieperiode.".into());
    } else {
        b.push(
        "basisbudget",
        "Basisbudget 2021",
        Amount::Euro(budget),
        format!(
            "volume referentieperiode × tarief 2021 = {} × (1 + {}) × (1 − {}) = {}",
            euro(revenue),
            percent(ova),
            percent(applied_cut),
            euro(budget)
        ),
        cite::BASISBUDGET.cite(),
    )
    .choice = Some("Het volume is gemeten in euro tegen de tarieven van de referentieperiode; volume × tarief 2021 is dan de omzet × (1 + OVA) × (1 − afslag). Afgerond op centen.".into());
    }
    if category == Category::New {
        let max = rules.new_max_budget.value;
        let capped = budget.min(max);
        b.push(
            "new_provider_cap",
            "Basisbudget nieuwe zorgaanbieder, gemaximeerd",
            Amount::Euro(capped),
            format!(
                "het laagste van {} en het maximum {}",
                euro(budget),
                euro(max)
            ),
            rules.new_max_budget.cite.clone(),
        );
        budget = capped;
    }

    // 6. production and what is paid within the budget
    let production = cents(fig.year_cents);
    b.push(
        "production",
        format!("Productie {} t/m {}", day(rules.year.0), day(rules.year.1)),
        Amount::Euro(production),
        format!(
            "som van de toegekende bedragen van {} goedgekeurde declaratieregels wijkverpleging met een begindatum in {}",
            fig.year_lines,
            rules.year.0.format("%Y")
        ),
        cite::BALANCE.cite(),
    );
    if let Some(deadline) = &rules.deadline
        && fig.late_lines > 0
    {
        b.push(
            "submitted_late",
            format!(
                "Na {} ingediende declaraties over {}: niet afgerekend",
                day(deadline.date),
                rules.year.0.format("%Y")
            ),
            Amount::Euro(cents(fig.late_claimed_cents)),
            format!(
                "{} declaratieregels met een begindatum in {}, samen {} gedeclareerd, zijn na {} ingediend en door de declaratiecontrole afgewezen (redencode {}); zij tellen niet mee in de productie",
                fig.late_lines,
                rules.year.0.format("%Y"),
                euro(cents(fig.late_claimed_cents)),
                day(deadline.date),
                deadline.reason_code
            ),
            deadline.cite.clone(),
        )
        .choice = Some("De tekst zegt niet wat er met een latere declaratie gebeurt; onze lezing: zij wordt niet vergoed en niet afgerekend. De indiendatum is de factuurdatum van het declaratiebestand.".into());
    }
    let within = production.min(budget);
    b.push(
        "within_budget",
        "Vergoed binnen het basisbudget",
        Amount::Euro(within),
        format!("het laagste van productie {} en basisbudget {}", euro(production), euro(budget)),
        cite::BALANCE.cite(),
    )
    .choice = Some("Bij productie onder het basisbudget wordt de productie vergoed, niet het hele basisbudget.".into());

    // 7. overproduction (table 2); new providers as small ones
    let over = (production - budget).max(Decimal::ZERO);
    b.push(
        "overproduction",
        "Productie boven het basisbudget",
        Amount::Euro(over),
        format!(
            "{} − {}, niet minder dan € 0",
            euro(production),
            euro(budget)
        ),
        cite::ABOVE_BUDGET.cite(),
    );
    let rule = rules.overproduction(category, group)?;
    let row = match (category, group) {
        (Category::Regular, Some(g)) => format!("groep {g}"),
        (Category::New, _) => {
            "nieuwe zorgaanbieder, behandeld als kleine zorgaanbieder".to_string()
        }
        _ => "kleine zorgaanbieder".to_string(),
    };
    let counted = match rule.max_ratio {
        Some(m) => {
            let cap = round2(mul(m, budget, "maximum overproductie")?);
            b.push(
                "overproduction_cap",
                "Maximaal vergoede overproductie (tabel 2)",
                Amount::Euro(cap),
                format!(
                    "{row}: {} van het basisbudget {} (volume tegen hetzelfde tarief)",
                    percent(m),
                    euro(budget)
                ),
                rules.overproduction_cite(),
            );
            over.min(cap)
        }
        None => {
            b.push(
                "overproduction_cap",
                "Maximaal vergoede overproductie (tabel 2)",
                Amount::Text("vrij volume".into()),
                format!("{row}: vrij volume"),
                rules.overproduction_cite(),
            );
            over
        }
    };
    revenue_ceiling(&mut b, rules, &rule, &row, budget, production)?;
    let over_paid = round2(mul(rule.paid_ratio, counted, "vergoede overproductie")?);
    let line = b.push(
        "overproduction_paid",
        "Vergoede overproductie (tabel 2)",
        Amount::Euro(over_paid),
        format!(
            "{row}: {} × {} = {}",
            percent(rule.paid_ratio),
            euro(counted),
            euro(over_paid)
        ),
        rules.overproduction_cite(),
    );
    if category == Category::New {
        line.choice = Some(format!(
            "Nieuwe zorgaanbieder: ‘{}’ (hoofdstuk 4).",
            cite::NEW_PROVIDER.quote
        ));
    }
    let subtotal = within + over_paid;
    b.push(
        "subtotal",
        "Afrekening vóór de doelmatigheidsafspraak",
        Amount::Euro(subtotal),
        format!("{} + {}", euro(within), euro(over_paid)),
        cite::BALANCE.cite(),
    );

    // 8. the efficiency agreement (bijlage 6)
    let mut repayment = Decimal::ZERO;
    if let Some(a) = &agreement {
        match terms.tariff_ref_cents {
            None => missing.push("het integrale tarief per 5 minuten van de referentieperiode (tariff_ref_cents) is niet opgegeven: nodig om uren te berekenen".to_string()),
            Some(t) => {
                let t_ref = Decimal::from(t);
                let t_year = mul(t_ref, Decimal::ONE + ova, "tarief 2021")?
                    .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
                b.push(
                    "tariff_per_5_minutes",
                    "Integraal tarief per 5 minuten (referentieperiode; 2021)",
                    Amount::Text(format!("{}; {}", euro(cents_dec(t_ref)), euro(cents_dec(t_year)))),
                    format!(
                        "opgegeven tarief van de referentieperiode; 2021: {} × (1 + {}), afgerond op centen, zonder afslag (doelmatigheidsafspraak)",
                        euro(cents_dec(t_ref)),
                        percent(ova)
                    ),
                    cite::PER_5_MINUTES.cite(),
                )
                .choice = Some("De resultaten van de declaratiecontrole bevatten bedragen, geen aantallen: uren = toegekend bedrag / tarief per 5 minuten × 5/60.".into());
                let max = rules.max_hours.value;
                let mut means = [None, None];
                for (i, (clients, t, step, label)) in [
                    (clients_ref, t_ref, "hours_reference", format!("Uren per cliënt per maand {} t/m {}", day(rs), day(re))),
                    (clients_year, t_year, "hours_year", format!("Uren per cliënt per maand {} t/m {}", day(rules.year.0), day(rules.year.1))),
                ]
                .into_iter()
                .enumerate()
                {
                    let (mean, included, excluded) = mean_hours(clients, t, max)?;
                    b.push(
                        if i == 0 { "clients_excluded_reference" } else { "clients_excluded_year" },
                        format!("Cliënten buiten beschouwing (meer dan {} uur per maand)", max.normalize()),
                        Amount::Count(excluded),
                        format!("{excluded} van de {} cliënten met prestaties {}", clients.len(), cite::EFFICIENCY_PRESTATIES.join(", ")),
                        rules.max_hours.cite.clone(),
                    );
                    match mean {
                        Some(m) => {
                            b.push(
                                step,
                                label,
                                Amount::Hours(m),
                                format!("gemiddelde over {included} cliënten van (uren van de cliënt / aantal hele maanden met zorg), afgerond op 4 decimalen"),
                                cite::B6_MONTHS.cite(),
                            );
                            means[i] = Some(m);
                        }
                        None => missing.push(format!("geen cliënten om de uren per cliënt per maand te berekenen ({label})")),
                    }
                }
                if let [Some(m_ref), Some(m_year)] = means {
                    if m_ref.is_zero() {
                        missing.push("de uren per cliënt per maand in de referentieperiode zijn 0".to_string());
                    } else {
                        let improvement = round4((m_ref - m_year) / m_ref);
                        b.push(
                            "improvement",
                            "Verbetering in doelmatigheid (minder uren per cliënt per maand)",
                            Amount::Ratio(improvement),
                            format!("({} − {}) / {}, afgerond op 4 decimalen", m_ref.normalize(), m_year.normalize(), m_ref.normalize()),
                            cite::B6_CHANGE.cite(),
                        );
                        let required = a.required_improvement;
                        b.push(
                            "required_improvement",
                            "Overeengekomen verbetering",
                            Amount::Ratio(required),
                            "uit de doelmatigheidsafspraak",
                            cite::B6_PERIODS.cite(),
                        );
                        let surcharge = round2(mul(cut, subtotal, "tariefsopslag")?);
                        b.push(
                            "surcharge",
                            "Tariefsopslag (de vervallen afslag)",
                            Amount::Euro(surcharge),
                            format!("{} × {}", percent(cut), euro(subtotal)),
                            cite::CUT_LAPSES.cite(),
                        )
                        .choice = Some("Alle bedragen zijn volume × tarief; tegen het tarief met afslag was de afrekening (1 − afslag) × zoveel geweest, dus de opslag is afslag × de afrekening.".into());
                        let share = if improvement >= required {
                            Decimal::ZERO
                        } else {
                            round4((required - improvement.max(Decimal::ZERO)) / required)
                        };
                        b.push(
                            "repayment_share",
                            "Deel van de opslag dat wordt terugbetaald",
                            Amount::Ratio(share),
                            if share.is_zero() {
                                format!("verbetering {} ≥ {}: afspraak behaald", percent(improvement), percent(required))
                            } else {
                                format!(
                                    "({} − {}) / {}",
                                    percent(required),
                                    percent(improvement.max(Decimal::ZERO)),
                                    percent(required)
                                )
                            },
                            cite::B6_REPAY.cite(),
                        )
                        .choice = Some("‘Naar rato’ = in verhouding tot het tekort aan verbetering: (vereist − behaald) / vereist; een verslechtering telt als 0 behaald (alles terug); behaald of beter: niets terug.".into());
                        repayment = round2(mul(surcharge, share, "terugbetaling")?);
                        b.push(
                            "repayment",
                            "Terug te betalen tariefsopslag",
                            Amount::Euro(repayment),
                            format!("{} × {}", euro(surcharge), percent(share)),
                            cite::B6_REPAY.cite(),
                        );
                    }
                }
            }
        }
    }
    if !missing.is_empty() {
        return Ok(finish(rules, agb, category, b, missing, None));
    }
    let total = subtotal - repayment;
    b.push(
        "total",
        format!("Afgerekend bedrag {}", rules.year.0.year()),
        Amount::Euro(total),
        format!("{} − {}", euro(subtotal), euro(repayment)),
        cite::BALANCE.cite(),
    );
    post_calculation(&mut b, total, production);
    Ok(finish(rules, agb, category, b, missing, Some(total)))
}

/// The revenue ceiling (omzetplafond) of table 2: the most the settlement pays, the basisbudget
/// plus the most overproduction paid at the table's tariff; with free volume there is none.
/// Also how far production has filled it ("de volloop", which a provider with a ceiling must
/// monitor during the year).
fn revenue_ceiling(
    b: &mut Builder,
    rules: &NursingRules,
    rule: &crate::rules::OverproductionRule,
    row: &str,
    budget: Decimal,
    production: Decimal,
) -> Result<(), SettleError> {
    let Some(m) = rule.max_ratio else {
        b.push(
            "revenue_ceiling",
            "Omzetplafond",
            Amount::Text("geen omzetplafond (vrij volume)".into()),
            format!(
                "{row}: alle productie boven het basisbudget wordt vergoed tegen {} van het tarief",
                percent(rule.paid_ratio)
            ),
            rules.overproduction_cite(),
        )
        .choice = Some(format!(
            "Bij vrij volume heeft de zorgaanbieder geen omzetplafond. ‘{}’",
            cite::CEILING_AFTER_CONTROL.quote
        ));
        return Ok(());
    };
    let volume = round2(mul(m, budget, "omzetplafond")?);
    let paid = round2(mul(rule.paid_ratio, volume, "omzetplafond")?);
    let ceiling = budget + paid;
    let reached_at = budget + volume;
    b.push(
        "revenue_ceiling",
        "Omzetplafond",
        Amount::Euro(ceiling),
        format!(
            "{row}: basisbudget {} + {} × maximaal vergoede overproductie {} = {}; bereikt bij een productie van {}",
            euro(budget),
            percent(rule.paid_ratio),
            euro(volume),
            euro(ceiling),
            euro(reached_at)
        ),
        cite::CEILING.cite(),
    )
    .choice = Some("Het omzetplafond is het hoogste bedrag dat de afrekening betaalt: het basisbudget plus de maximaal vergoede overproductie (tabel 2) tegen het tarief van de tabel. Productie boven het plafond wordt niet vergoed.".into());
    if reached_at > Decimal::ZERO {
        let fill = (production / reached_at)
            .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
        b.push(
            "ceiling_fill",
            "Volloop van het omzetplafond",
            Amount::Ratio(fill),
            format!(
                "productie {} / productie waarbij het plafond bereikt is {} = {}",
                euro(production),
                euro(reached_at),
                percent(fill)
            ),
            cite::CEILING.cite(),
        );
    }
    Ok(())
}

/// The post-calculation (nacalculatie): during the year the approved claims were paid at
/// their granted amounts, the production; the settlement pays the total, so the difference is
/// settled with the provider.
fn post_calculation(b: &mut Builder, total: Decimal, production: Decimal) {
    let difference = total - production;
    let meaning = if difference < Decimal::ZERO {
        format!("de zorgaanbieder betaalt {} terug", euro(-difference))
    } else if difference > Decimal::ZERO {
        format!("Zilveren Kruis betaalt {} bij", euro(difference))
    } else {
        "niets te verrekenen".to_string()
    };
    b.push(
        "post_calculation",
        "Nacalculatie: afgerekend bedrag min al betaald via declaraties",
        Amount::Euro(difference),
        format!("{} − {} = {}: {meaning}", euro(total), euro(production), euro(difference)),
        cite::BALANCE.cite(),
    )
    .choice = Some("De goedgekeurde declaraties zijn in het jaar betaald tegen het toegekende bedrag (de productie); na afloop verrekenen wij het verschil met het afgerekende bedrag. Negatief: terug te betalen door de zorgaanbieder.".into());
}

/// The prestaties of the efficiency model: bijlage 6's without those the model leaves out.
fn model_prestaties() -> Vec<&'static str> {
    cite::EFFICIENCY_PRESTATIES
        .iter()
        .copied()
        .filter(|c| !cite::MODEL_EXCLUDED_PRESTATIES.contains(c))
        .collect()
}

/// The line with the model's ratio for a regular provider.
fn model_line(
    rules: &NursingRules,
    b: &mut Builder,
    e: &Efficiency,
    p: &model::ProviderEfficiency,
) {
    let share = percent(rules.model.outlier_share.value);
    let min = rules.model.outlier_min.value.normalize();
    let counted = format!(
        "van de {} cliënten met prestaties {} in de referentieperiode (medische kindzorg, {}, valt buiten het model): {} niet in het verzekerdenbestand of zonder regioscore, {} met de laagste en {} met de hoogste gemiddelde kosten per maand buiten beschouwing ({share} aan elke kant, minimaal {min})",
        p.clients,
        model_prestaties().join(", "),
        cite::MODEL_EXCLUDED_PRESTATIES.join(", "),
        p.unknown,
        p.outliers_low,
        p.outliers_high
    );
    let (amount, calculation) = match (p.ratio, &e.fit) {
        (Some(r), _) => (
            Amount::Ratio(r),
            format!(
                "werkelijk gemiddeld {} tegen verwacht {} per cliëntmaand over {} cliënten ({counted}){}",
                euro(p.actual),
                euro(p.expected),
                p.included,
                p.rank
                    .map(|k| format!(
                        "; rang {k} van {} (1 = hoogste verhouding)",
                        e.providers.values().filter(|x| x.rank.is_some()).count()
                    ))
                    .unwrap_or_default()
            ),
        ),
        (None, None) => (
            Amount::Text("niet te bepalen".into()),
            format!(
                "het model kon niet worden geschat: {}",
                e.problem.clone().unwrap_or_default()
            ),
        ),
        (None, Some(_)) => (
            Amount::Text("niet te bepalen".into()),
            format!("geen cliënten om te vergelijken ({counted})"),
        ),
    };
    let coefficients = e
        .fit
        .as_ref()
        .map(|f| {
            f.coefficients
                .iter()
                .map(|(n, c)| match c {
                    Some(c) => format!("{n} {}", c.normalize().to_string().replace('.', ",")),
                    None => format!("{n} (niet geschat: gelijk voor alle cliënten of afhankelijk van de andere)"),
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .map(|c| format!(" Coëfficiënten (euro per cliëntmaand), geschat over {} cliënten van {} reguliere zorgaanbieders: {c}.", e.fit.as_ref().map_or(0, |f| f.clients), e.fit.as_ref().map_or(0, |f| f.providers)))
        .unwrap_or_default();
    b.push(
        "efficiency_ratio",
        "Werkelijke ten opzichte van verwachte kosten per cliëntmaand (doelmatigheidsmodel)",
        amount,
        calculation,
        cite::MODEL_CHARACTERISTICS.cite(),
    )
    .choice = Some(format!(
        "Het document geeft geen formule; onze keuze: kleinste-kwadratenregressie van de gemiddelde kosten per maand (toegekend bedrag / hele maanden met zorg, zonder medische kindzorg: ‘Deze zorg is uitgesloten van het doelmatigheidsmodel’) op een constante, leeftijdsklasse (65-74, 75-84, 85+; jonger is de basis), vrouw, zorgduur afgeleid van de doelgroepenregistratie (1 bij een declaratie van doelgroep 1034 of 1035, ‘langer dan 3 maanden’; 0 bij 1033, ‘korter dan 3 maanden’, en bij prestaties zonder duur), overlijden binnen {} maanden na de laatste zorgdag en de regioscore van de postcode, over de cliënten van alle reguliere zorgaanbieders; verwacht = coëfficiënten × kenmerken, afgerond op centen; verhouding = som werkelijk / som verwacht, afgerond op 4 decimalen.{coefficients}",
        rules.model.death_months.value.normalize()
    ));
}

/// How the model's group follows from the ratio.
fn group_calculation(rules: &NursingRules, g: u8, ratio: Option<Decimal>) -> String {
    let r = ratio.map(|r| dutch_number(r, 4)).unwrap_or_default();
    let bound = |i: usize| dutch_number(rules.model.group_min_ratio[i].value, 2);
    match g {
        5 => format!(
            "berekend met het doelmatigheidsmodel: verhouding {r} < {} (ondergrens groep 4)",
            bound(3)
        ),
        g => format!(
            "berekend met het doelmatigheidsmodel: verhouding {r} ≥ {} (ondergrens groep {g}){}",
            bound(usize::from(g) - 1),
            if g > 1 {
                format!(
                    " en < {} (ondergrens groep {})",
                    bound(usize::from(g) - 2),
                    g - 1
                )
            } else {
                String::new()
            }
        ),
    }
}

/// The note on the group boundaries.
fn boundaries_note(rules: &NursingRules) -> String {
    let b: Vec<String> = rules
        .model
        .group_min_ratio
        .iter()
        .enumerate()
        .map(|(i, p)| format!("groep {} vanaf {}", i + 1, dutch_number(p.value, 2)))
        .collect();
    format!(
        "De grenzen tussen de groepen zijn onze keuze (parameters efficiency.group-1..4.min-ratio{}): {}, daaronder groep 5. Groep 1-3 krijgen een afslag, dus groep 1 is de minst doelmatige en groep 5 de meest doelmatige.",
        if rules.model.group_min_ratio.iter().any(|p| p.example) {
            ", VOORBEELDWAARDEN: het document noemt ze niet"
        } else {
            ""
        },
        b.join(", ")
    )
}

fn cents_dec(c: Decimal) -> Decimal {
    c / Decimal::ONE_HUNDRED
}

fn finish(
    rules: &NursingRules,
    agb: &str,
    category: Category,
    b: Builder,
    missing: Vec<String>,
    total: Option<Decimal>,
) -> Statement {
    Statement {
        schema: SCHEMA,
        policy: PolicyRef {
            id: rules.policy_id.clone(),
            version: rules.policy_version.clone(),
            sha256: rules.policy_sha256.clone(),
        },
        provider_agb: agb.to_string(),
        year: rules.year.0.year(),
        category: category.into(),
        lines: b.lines,
        missing,
        total,
    }
}
