//! The client-per-postcode ratio (klant-werkgebied-ratio, document 004 bijlage 3): per
//! provider, its clients within the core area over the 4-digit postcode areas within the core
//! area in which it gave care, from approved claims in the ratio's period, Zorg in de Wijk
//! municipalities left out; not applied to a provider with one client; compared with the
//! minimum. Each step a line citing its passage.
//!
//! Readings chosen (also on the lines they affect):
//!
//! * **The period.** "tussen 1 maart 2019 en 1 maart 2020": from 1 March 2019 up to, not
//!   including, 1 March 2020 (timeline `client-postcode-ratio-period`), the twelve months of the
//!   reference period; "op 1 juli 2020 goedgekeurde": the results given are taken as that
//!   state.
//! * **The claims.** Approved lines (`granted`/`reduced`) of every district nursing prestatie
//!   (table `prestatie-codes`); approved lines are for the insurer's labels (claim rule
//!   `zk-labels-insured`).
//! * **A client's postcode area** is the 4-digit postcode of the client's address in the
//!   register on the client's last day with approved care in the period: each client counts
//!   in one area. A client not in the register (or without a postcode) is left out and counted.
//! * **Zorg in de Wijk.** The municipalities the text names (Amsterdam, Almere, Hoogeveen with
//!   Hollandscheveld, De Wolden, Ommen, Hardenberg, Utrecht, Zwolle) as ranges of 4-digit
//!   postcodes in table `zorg-in-de-wijk-postcodes` of the policy file: a postcode is in one or
//!   not, which the claims and register can tell (a list of municipality names would need a
//!   postcode-to-municipality table the project does not have). The ranges follow the
//!   municipalities' postcodes as public encyclopaedias list them (whole municipalities:
//!   Hollandscheveld 7913 lies in Hoogeveen), not an official postcode table.
//! * **The core area** ("ons kernwerkgebied") is not listed in the document: every postcode
//!   outside the Zorg in de Wijk municipalities counts.
//! * **The comparison** is exact: clients ≥ minimum × postcode areas; the ratio shown is
//!   rounded to 2 decimals.

use crate::cite::{self, Cite};
use crate::register::Register;
use crate::rules::NursingRules;
use crate::scan::ClientPlace;
use crate::statement::{Amount, Line, PolicyRef, dutch_number};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The version of the JSON shape of a [`RatioReport`].
pub const RATIO_SCHEMA: &str = "zorginkoop.client-postcode-ratio/1";

/// A provider's client-per-postcode ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatioReport {
    pub schema: &'static str,
    pub policy: PolicyRef,
    pub provider_agb: String,
    pub lines: Vec<Line>,
    /// Clients over postcode areas within the core area, rounded to 2 decimals; `None` without
    /// clients.
    pub ratio: Option<Decimal>,
    /// Whether the minimum applies (not with one client or fewer).
    pub applies: bool,
    /// Whether the provider meets the ratio (`true` when it does not apply); `None` without
    /// clients.
    pub meets: Option<bool>,
}

fn d_m_y(d: chrono::NaiveDate) -> String {
    d.format("%-d-%-m-%Y").to_string()
}

/// The ratio of one provider from its clients of the ratio's period.
pub fn ratio_for(
    rules: &NursingRules,
    agb: &str,
    clients: &[ClientPlace],
    register: &Register,
) -> RatioReport {
    let r = &rules.ratio;
    let mut lines = Vec::new();
    let mut push = |step: &'static str,
                    label: String,
                    amount: Amount,
                    calculation: String,
                    source: Cite,
                    choice: Option<String>| {
        lines.push(Line {
            step,
            label,
            amount,
            calculation,
            source,
            choice,
        })
    };
    let (from, until) = r.period;
    push(
        "ratio_clients_all",
        format!("Klanten met goedgekeurde declaraties {} t/m {}", d_m_y(from), d_m_y(until)),
        Amount::Count(clients.len() as i64),
        format!(
            "verschillende BSN's op goedgekeurde declaratieregels wijkverpleging (prestaties {}) met een begindatum in de periode",
            rules.prestaties.join(", ")
        ),
        r.period_cite.clone(),
        Some("‘Tussen 1 maart 2019 en 1 maart 2020’ gelezen als tot 1 maart 2020 (niet tot en met): dezelfde twaalf maanden als de referentieperiode. De opgegeven resultaten gelden als de op 1 juli 2020 goedgekeurde declaraties.".into()),
    );
    let mut unknown = 0i64;
    let mut zidw: BTreeMap<String, i64> = BTreeMap::new();
    let mut areas: BTreeSet<u16> = BTreeSet::new();
    let mut core = 0i64;
    for c in clients {
        let pc4 = register
            .on(&c.bsn, c.last_date)
            .map(|p| p.postcode4())
            .filter(|&p| p >= 1000);
        let Some(pc4) = pc4 else {
            unknown += 1;
            continue;
        };
        match r.zorg_in_de_wijk(pc4) {
            Some(m) => *zidw.entry(m).or_default() += 1,
            None => {
                core += 1;
                areas.insert(pc4);
            }
        }
    }
    if unknown > 0 {
        push(
            "ratio_clients_unknown",
            "Klanten zonder postcode in het verzekerdenbestand (niet meegenomen)".into(),
            Amount::Count(unknown),
            format!(
                "{unknown} van de {} klanten staan niet (met een postcode) in insured.csv",
                clients.len()
            ),
            cite::RATIO_CLIENTS.cite(),
            None,
        );
    }
    let left: i64 = zidw.values().sum();
    push(
        "ratio_clients_zorg_in_de_wijk",
        "Klanten in gemeenten onder Zorg in de Wijk (niet meegenomen)".into(),
        Amount::Count(left),
        if zidw.is_empty() {
            "geen klant woonde op de laatste zorgdag in een postcodegebied van tabel zorg-in-de-wijk-postcodes".into()
        } else {
            format!(
                "postcode op de laatste zorgdag in tabel zorg-in-de-wijk-postcodes: {}",
                zidw.iter()
                    .map(|(m, n)| format!("{m} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        r.excluded_cite(),
        Some("De gemeenten zijn als reeksen 4-cijferige postcodes opgenomen in het beleidsbestand (onze keuze, niet offline gecontroleerd tegen een postcodetabel). Het postcodegebied van een klant is dat van het adres in het verzekerdenbestand op de laatste dag met goedgekeurde zorg in de periode.".into()),
    );
    push(
        "ratio_clients",
        "Klanten binnen het kernwerkgebied".into(),
        Amount::Count(core),
        format!("{} − {unknown} − {left}", clients.len()),
        cite::RATIO_CLIENTS.cite(),
        Some("Het document noemt de postcodes van het kernwerkgebied niet: elke postcode buiten de Zorg in de Wijk-gemeenten telt mee.".into()),
    );
    let n_areas = areas.len() as i64;
    push(
        "ratio_postcodes",
        "4-cijferige postcodegebieden binnen het kernwerkgebied".into(),
        Amount::Count(n_areas),
        if areas.len() <= 12 {
            format!(
                "verschillende postcodes van die klanten: {}",
                areas
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            "verschillende 4-cijferige postcodes van die klanten".into()
        },
        cite::RATIO_POSTCODES.cite(),
        None,
    );
    let minimum = r.minimum.value;
    let exempt = r.exempt_max_clients.value;
    let (ratio, applies, meets) = if core == 0 {
        push(
            "client_postcode_ratio",
            "Klant-werkgebied-ratio".into(),
            Amount::Text("niet te bepalen".into()),
            "geen klanten binnen het kernwerkgebied".into(),
            cite::RATIO_DEFINITION.cite(),
            None,
        );
        (None, false, None)
    } else {
        let exact = Decimal::from(core) / Decimal::from(n_areas);
        let shown = exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        push(
            "client_postcode_ratio",
            "Klant-werkgebied-ratio".into(),
            Amount::Number(shown),
            format!("{core} / {n_areas} = {}", dutch_number(shown, 2)),
            cite::RATIO_DEFINITION.cite(),
            None,
        );
        let applies = Decimal::from(core) > exempt;
        let meets = !applies || Decimal::from(core) >= minimum * Decimal::from(n_areas);
        if applies {
            push(
                "ratio_verdict",
                "Voldoet aan de minimale klant-werkgebied-ratio".into(),
                Amount::Text(if meets { "ja" } else { "nee" }.into()),
                format!(
                    "{} {} {}",
                    dutch_number(shown, 2),
                    if meets { "≥" } else { "<" },
                    dutch_number(minimum, 2)
                ),
                r.minimum.cite.clone(),
                Some("Exact vergeleken (klanten ≥ minimum × postcodegebieden), niet de afgeronde ratio.".into()),
            );
        } else {
            push(
                "ratio_verdict",
                "Voldoet aan de minimale klant-werkgebied-ratio".into(),
                Amount::Text("niet van toepassing".into()),
                format!(
                    "{core} klant binnen het kernwerkgebied: de minimale ratio geldt niet bij {} klant of minder",
                    exempt.normalize()
                ),
                r.exempt_max_clients.cite.clone(),
                None,
            );
        }
        (Some(shown), applies, Some(meets))
    };
    RatioReport {
        schema: RATIO_SCHEMA,
        policy: PolicyRef::of(rules),
        provider_agb: agb.to_string(),
        lines,
        ratio,
        applies,
        meets,
    }
}

/// Reads the claim results and the register of `context` (the claims checker's context folder)
/// and gives the ratio of every provider with approved district nursing claims in the period,
/// or only of `provider`.
pub fn client_postcode_ratios(
    rules: &NursingRules,
    results: &[std::path::PathBuf],
    context: &std::path::Path,
    provider: Option<&str>,
) -> Result<Vec<RatioReport>, crate::SettleError> {
    let figures = crate::scan::scan_with(rules, results, provider, true)?;
    let bsns: BTreeSet<String> = figures
        .places
        .values()
        .flatten()
        .map(|c| c.bsn.clone())
        .collect();
    let register = Register::load_dir(context, Some(&bsns), false)?;
    Ok(ratios(rules, &figures.places, &register, provider))
}

/// The ratio of every provider with clients in the period (or only `provider`), in AGB order.
pub fn ratios(
    rules: &NursingRules,
    places: &BTreeMap<String, Vec<ClientPlace>>,
    register: &Register,
    provider: Option<&str>,
) -> Vec<RatioReport> {
    let none = Vec::new();
    let mut agbs: Vec<&str> = places.keys().map(String::as_str).collect();
    if let Some(p) = provider {
        agbs = vec![p];
    }
    agbs.into_iter()
        .map(|a| ratio_for(rules, a, places.get(a).unwrap_or(&none), register))
        .collect()
}

impl RatioReport {
    /// The report as Dutch text.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Klant-werkgebied-ratio - zorgaanbieder {}",
            self.provider_agb
        );
        let _ = writeln!(
            s,
            "Beleid {} versie {} (sha256 {})",
            self.policy.id, self.policy.version, self.policy.sha256
        );
        crate::statement::write_lines(&mut s, &self.lines);
        s.push('\n');
        let _ = writeln!(
            s,
            "Uitkomst: {}",
            match (self.meets, self.applies) {
                (None, _) => "geen klanten binnen het kernwerkgebied",
                (Some(true), false) => "de minimale ratio geldt niet (1 klant)",
                (Some(true), true) => "voldoet",
                (Some(false), _) => "voldoet niet",
            }
        );
        s
    }
}
