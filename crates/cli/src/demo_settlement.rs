//! The demo's district nursing settlement 2021: statements for the two demo district-nursing
//! organisations (Thuiszorg De Wijk, existing; Wijkzorg Nieuw B.V., new) and eight providers
//! without a portal account, so that the portal's settlement pages and mirror information have
//! something to show.
//!
//! The figures per provider (revenue in the reference period, production in 2021, per client the
//! amount and months with care) are made up here, deterministically; they then go through the
//! same settlement as claim results do (`zorginkoop_settle::settle_nursing_from_figures`: the
//! policy's rules, table 2, bijlage 6) and are recorded as one run like `settle --db` records
//! one. The run says that its input is demo figures, not claims.
//!
//! Likewise a diagnostics and thrombosis 2020 run ([`seed_labs`]): the demo laboratory
//! (Huisartsenlaboratorium Midden), the demo thrombosis service and three laboratories without
//! an account, from made-up counts of patients, orders and analyses in 2018 and 2020, settled by
//! `zorginkoop_settle::settle_labs_from_figures`.

use anyhow::Result;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use zorginkoop_app as app;
use zorginkoop_settle::scan::{
    ClaimFigures, ClientMonths, LabFigures, LabYear, Period, ProviderFigures,
};
use zorginkoop_settle::{
    Agreement, LabContract, LabRules, LabTerms, LabTermsSet, NursingRules, ProviderTerms, TermsSet,
};

/// One demo provider: AGB, 2020 contract, reference revenue and 2021 production (euro), the
/// efficiency group, the tariff per 5 minutes (cents), the agreed improvement (per mille) and
/// the mean hours per client-month in the reference period and in 2021 (tenths of hours).
type Demo = (
    &'static str,
    bool,
    i64,
    i64,
    Option<u8>,
    i64,
    Option<i64>,
    i64,
    i64,
);

const PROVIDERS: &[Demo] = &[
    (
        "75001234",
        true,
        1_180_000,
        1_262_500,
        Some(2),
        600,
        Some(50),
        92,
        86,
    ),
    ("75009876", false, 0, 180_000, None, 600, None, 0, 0),
    (
        "75100011",
        true,
        2_400_000,
        2_310_000,
        Some(5),
        610,
        None,
        71,
        70,
    ),
    (
        "75100022",
        true,
        860_000,
        990_000,
        Some(1),
        590,
        Some(80),
        118,
        112,
    ),
    ("75100033", true, 64_000, 81_000, None, 600, None, 0, 0),
    (
        "75100044",
        true,
        1_520_000,
        1_640_000,
        Some(3),
        605,
        Some(40),
        99,
        93,
    ),
    (
        "75100055",
        true,
        3_900_000,
        3_850_000,
        Some(4),
        600,
        None,
        80,
        79,
    ),
    (
        "75100066",
        true,
        480_000,
        512_000,
        Some(2),
        595,
        Some(50),
        104,
        101,
    ),
    ("75100077", true, 92_000, 99_500, None, 600, None, 0, 0),
    (
        "75100088",
        true,
        1_050_000,
        1_125_000,
        Some(3),
        600,
        Some(30),
        97,
        95,
    ),
];

/// Clients whose hours per month average `tenths / 10` over `n` clients, with 1-12 months of
/// care each, as amounts at `tariff` cents per 5 minutes (12 five-minute units an hour).
fn clients(agb: &str, n: i64, tenths: i64, tariff: i64) -> Vec<ClientMonths> {
    (0..n)
        .map(|i| {
            let months = 1 + (i * 5 + 3) % 12;
            // spread around the mean: -2, -1, 0, +1, +2 tenths, evenly, so the mean stays exact
            let h = tenths + (i % 5) - 2;
            let cents = h * months * 12 * tariff / 10;
            ClientMonths {
                bsn: format!("{}{:03}", &agb[2..8], i),
                cents,
                months,
                // only the efficiency model reads these, and the demo gives the groups in its terms
                last_date: chrono::NaiveDate::from_ymd_opt(2019, 12, 31).expect("a date"),
                model_cents: cents,
                model_months: months,
                long_care: months > 3,
            }
        })
        .collect()
}

/// The demo providers' figures and terms.
fn figures() -> (ClaimFigures, TermsSet) {
    let mut f = ClaimFigures::default();
    let mut terms = TermsSet {
        providers: BTreeMap::new(),
    };
    for &(agb, contract, reference, year, group, tariff, agreement, h_ref, h_year) in PROVIDERS {
        f.providers.insert(
            agb.into(),
            ProviderFigures {
                reference_cents: reference * 100,
                reference_lines: reference / 60,
                year_cents: year * 100,
                year_lines: year / 60,
                ..Default::default()
            },
        );
        if agreement.is_some() {
            f.clients.insert(
                (agb.into(), Period::Reference),
                clients(agb, 40, h_ref, tariff),
            );
            // the 2021 tariff is the reference tariff indexed; the amounts follow it closely
            // enough for a demo (the settlement computes hours at its own indexed tariff)
            f.clients.insert(
                (agb.into(), Period::Year),
                clients(agb, 40, h_year, tariff + tariff * 3 / 100),
            );
        }
        terms.providers.insert(
            agb.into(),
            ProviderTerms {
                contract_2020: Some(contract),
                efficiency_group: group,
                tariff_ref_cents: Some(tariff),
                agreement: agreement.map(|pm| Agreement {
                    required_improvement: Decimal::new(pm, 3),
                }),
                // a new provider is offered a budget (chapter 4): EUR 150,000 in the demo
                new_budget_cents: (!contract).then_some(15_000_000),
            },
        );
    }
    (f, terms)
}

/// Settles the demo providers and records the run in `db` (once: the same demo figures again
/// record nothing). Returns the number of statements and whether they were new.
pub fn seed(db: &app::store::Db, source: &app::policies::Source) -> Result<(usize, bool)> {
    let policy = source.open(crate::settle_cmd::NURSING_POLICY)?;
    let rules = NursingRules::from_policy(&policy)?;
    let (figures, terms) = figures();
    let statements =
        zorginkoop_settle::settle_nursing_from_figures(&rules, &figures, &terms, None)?;
    let statements_json = serde_json::to_vec(&statements)?;
    let run = crate::settle_cmd::nursing_run_of(
        &rules,
        &statements,
        app::settlement::inputs_sha256(&[("demo", &statements_json)]),
        "demogegevens: cijfers per zorgaanbieder (geen declaraties), zie crates/cli/src/demo_settlement.rs".into(),
    )?;
    let rec = app::settlement::record_run(db, &run, "demo", chrono::Utc::now())?;
    Ok((rec.statements, rec.new))
}

/// One demo laboratory or thrombosis service: AGB, contract, ceiling (euro), and for 2020 and
/// 2018 (patients, orders, analyses) and for 2020 the production (euro).
type LabDemo = (
    &'static str,
    LabContract,
    i64,
    (i64, i64, i64),
    (i64, i64, i64),
    i64,
);

/// Huisartsenlaboratorium Midden (preferred, grew less than 2.5 %: the excess is paid with the
/// sliding discount), Trombosedienst Midden-Nederland (thrombosis, above its ceiling) and three
/// laboratories without a portal account (regular; preferred grown too much; preferred within
/// its ceiling).
const LABS: &[LabDemo] = &[
    (
        "50001234",
        LabContract::Preferred,
        1_200_000,
        (10_400, 14_820, 45_000),
        (10_000, 14_000, 42_000),
        1_296_000,
    ),
    (
        "50009999",
        LabContract::Thrombosis,
        400_000,
        (3_100, 9_300, 9_300),
        (3_000, 9_000, 9_000),
        412_500,
    ),
    (
        "50100011",
        LabContract::Regular,
        800_000,
        (7_000, 9_800, 27_440),
        (6_800, 9_400, 26_320),
        760_000,
    ),
    (
        "50100022",
        LabContract::Preferred,
        600_000,
        (5_100, 6_400, 17_280),
        (5_000, 6_000, 15_000),
        660_000,
    ),
    (
        "50100033",
        LabContract::Preferred,
        300_000,
        (2_500, 3_250, 8_450),
        (2_400, 3_100, 8_060),
        285_000,
    ),
];

/// The demo laboratories' figures and terms.
fn lab_figures() -> (LabFigures, LabTermsSet) {
    let mut f = LabFigures::default();
    let mut t = LabTermsSet::default();
    for &(agb, contract, ceiling, (p, o, a), (p0, o0, a0), production) in LABS {
        f.providers.insert(
            agb.into(),
            (
                LabYear {
                    patients: p,
                    orders: o,
                    analyses: a,
                    cents: production * 100,
                },
                LabYear {
                    patients: p0,
                    orders: o0,
                    analyses: a0,
                    cents: 0,
                },
            ),
        );
        t.providers.insert(
            agb.into(),
            LabTerms {
                contract,
                ceiling_cents: ceiling * 100,
            },
        );
    }
    (f, t)
}

/// Settles the demo laboratories and thrombosis services (diagnostics 2020) and records the run
/// in `db` (once). Returns the number of statements and whether they were new.
pub fn seed_labs(db: &app::store::Db, source: &app::policies::Source) -> Result<(usize, bool)> {
    let policy = source.open(crate::settle_cmd::LABS_POLICY)?;
    let rules = LabRules::from_policy(&policy)?;
    let (figures, terms) = lab_figures();
    let statements = zorginkoop_settle::settle_labs_from_figures(&rules, &figures, &terms, None)?;
    let statements_json = serde_json::to_vec(&statements)?;
    let run = crate::settle_cmd::labs_run_of(
        &rules,
        &statements,
        app::settlement::inputs_sha256(&[("demo", &statements_json)]),
        "demogegevens: cijfers per laboratorium en trombosedienst (geen declaraties), zie crates/cli/src/demo_settlement.rs".into(),
    )?;
    let rec = app::settlement::record_run(db, &run, "demo", chrono::Utc::now())?;
    Ok((rec.statements, rec.new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_clients_average_the_hours_given() {
        let c = clients("75001234", 40, 92, 600);
        assert_eq!(c.len(), 40);
        assert!(c.iter().all(|c| (1..=12).contains(&c.months)));
        // 40 clients, offsets -2..+2 tenths evenly: the mean of hours per client-month is 9,2
        let sum_tenths: i64 = c.iter().map(|c| c.cents * 10 / (c.months * 12 * 600)).sum();
        assert_eq!(sum_tenths, 92 * 40);
    }

    #[test]
    fn every_demo_provider_gets_a_statement_and_de_wijk_a_total() {
        let source = app::policies::Source::Embedded;
        let policy = source.open(crate::settle_cmd::NURSING_POLICY).unwrap();
        let rules = NursingRules::from_policy(&policy).unwrap();
        let (f, t) = figures();
        let st = zorginkoop_settle::settle_nursing_from_figures(&rules, &f, &t, None).unwrap();
        assert_eq!(st.len(), PROVIDERS.len());
        let wijk = st.iter().find(|s| s.provider_agb == "75001234").unwrap();
        assert!(wijk.total.is_some(), "{:?}", wijk.missing);
        assert!(wijk.line("hours_year").is_some());
        let nieuw = st.iter().find(|s| s.provider_agb == "75009876").unwrap();
        assert_eq!(nieuw.category.dutch(), "nieuwe zorgaanbieder");
    }

    /// Huisartsenlaboratorium Midden: 14,820 / 10,400 = 1.4250 orders per patient against
    /// 1.4000 in 2018 (+1.79 %), 45,000 / 14,820 = 3.0364 analyses per order against 3.0000
    /// (+1.21 %): the excess of EUR 96,000 (8 % of the ceiling, tier 1) is paid at 75 % =
    /// 72,000; total 1,272,000. 50100022 grew 4.6 % in orders per patient: ceiling only.
    #[test]
    fn every_demo_lab_gets_a_statement_and_the_labs_lab_its_discounted_excess() {
        let source = app::policies::Source::Embedded;
        let policy = source.open(crate::settle_cmd::LABS_POLICY).unwrap();
        let rules = LabRules::from_policy(&policy).unwrap();
        let (f, t) = lab_figures();
        let st = zorginkoop_settle::settle_labs_from_figures(&rules, &f, &t, None).unwrap();
        assert_eq!(st.len(), LABS.len());
        assert!(st.iter().all(|s| s.total.is_some()));
        let total = |agb: &str| st.iter().find(|s| s.provider_agb == agb).unwrap().total;
        assert_eq!(total("50001234"), Some(Decimal::new(1_272_000, 0)));
        assert_eq!(total("50009999"), Some(Decimal::new(400_000, 0)));
        assert_eq!(total("50100011"), Some(Decimal::new(760_000, 0)));
        assert_eq!(total("50100022"), Some(Decimal::new(600_000, 0)));
        assert_eq!(total("50100033"), Some(Decimal::new(285_000, 0)));
    }
}
