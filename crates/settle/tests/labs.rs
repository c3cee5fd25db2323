//! Diagnostics and thrombosis 2020 settlement, worked by hand from document 003 (3.1, 3.2, 5.1,
//! 5.2), over Parquet files with the schema of the claims checker's `results.parquet`.
//!
//! Policy values used (policies/diagnostics-2020.toml): prestaties 30001, 30002 (laboratory)
//! and 30101 (thrombosis); maximum growth of orders per patient and of analyses per order 2.5 %
//! against 2018; sliding discount (table `lab-preferred-sliding-discount`, EXAMPLE values):
//! the excess up to 10 % of the ceiling at 25 % discount, 10-20 % at 50 %, above 20 % at 75 %.
//!
//! One order = one patient's approved lines at the provider on one date; one analysis = one
//! approved line.
//!
//! **50000001, preferred, ceiling EUR 80,000.00.** 2018: 500 patients, one order each of two
//! analyses: 1.0000 orders per patient, 2.0000 analyses per order. 2020: the same 500 patients,
//! 12 of them with a second order: 512 orders of two analyses at EUR 100.00 each = production
//! EUR 102,400.00; 512 / 500 = 1.0240 orders per patient (+2.4 % ≤ 2.5 %), 2.0000 analyses per
//! order (+0 %): the conditions are met. Excess 22,400.00: tier 1 8,000.00 × 75 % = 6,000.00,
//! tier 2 8,000.00 × 50 % = 4,000.00, tier 3 6,400.00 × 25 % = 1,600.00; paid 11,600.00.
//! Total = 80,000.00 + 11,600.00 = **91,600.00**.
//!
//! **50000002, preferred, ceiling EUR 80,000.00.** As 50000001 but 13 second orders: 513 / 500
//! = 1.0260 orders per patient (+2.6 % > 2.5 %): the excess of 22,600.00 is not paid. Total
//! **80,000.00**.
//!
//! **50000005, preferred, ceiling EUR 80,000.00.** 500 orders of 500 patients in both years;
//! 2018 1,000 analyses (2.0000 per order), 2020 1,026 analyses at EUR 100.00 (2.0520 per order,
//! +2.6 %): production 102,600.00, the excess is not paid. Total **80,000.00**.
//!
//! **50000004, preferred, ceiling EUR 1,000.00**, no 2018 claims: 4 lines of EUR 500.00 in
//! 2020, production 2,000.00; the growth cannot be computed, the condition is not shown to be
//! met, the excess of 1,000.00 is not paid. Total **1,000.00**.
//!
//! **50000003, regular, ceiling EUR 7,500.00.** 20 lines of EUR 500.00 in 2020 (10 patients,
//! one order of two analyses each): production 10,000.00, the excess of 2,500.00 is not paid.
//! Total **7,500.00**.
//!
//! **34000001, thrombosis, ceiling EUR 1,000.00.** 30 lines of 30101 of EUR 50.00 in 2020 (and a
//! rejected line, a 2019 line and a line of a code outside the policy, all ignored): production
//! 1,500.00, the excess of 500.00 is not paid. Total **1,000.00**.
//!
//! **50000009**, not in the terms: a statement with its production but without a total.

use std::path::{Path, PathBuf};
use zorginkoop_settle::{Amount, LabRules, Statement, settle_labs};

mod lab_example;
mod results_file;
use lab_example::*;

fn settled() -> (tempfile::TempDir, Vec<Statement>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    let all = settle_labs(&rules(), &[path], &terms(), None).unwrap();
    (dir, all)
}

fn by_agb<'a>(all: &'a [Statement], agb: &str) -> &'a Statement {
    all.iter().find(|s| s.provider_agb == agb).unwrap()
}

fn amount<'a>(s: &'a Statement, step: &str) -> &'a Amount {
    &s.line(step)
        .unwrap_or_else(|| panic!("no line {step}"))
        .amount
}

fn text(s: &Statement, step: &str) -> String {
    match amount(s, step) {
        Amount::Text(t) => t.clone(),
        o => panic!("{step}: {o:?}"),
    }
}

/// 5.1: "Zilveren Kruis betaalt overschrijdingen van het plafond niet uit bij zorgaanbieders
/// met een reguliere overeenkomst."
#[test]
fn regular_contract_excess_over_the_ceiling_is_not_paid() {
    let (_d, all) = settled();
    let s = by_agb(&all, "50000003");
    assert_eq!(s.category.as_str(), "lab-regular");
    assert_eq!(s.euro("production"), Some(eur("10000.00")));
    assert_eq!(s.euro("ceiling"), Some(eur("7500.00")));
    assert_eq!(s.euro("overproduction"), Some(eur("2500.00")));
    assert_eq!(s.euro("overproduction_paid"), Some(eur("0")));
    assert_eq!(s.total, Some(eur("7500.00")));
    // orders per patient are shown (mirror information), but are no condition here
    assert_eq!(
        amount(s, "orders_per_patient"),
        &Amount::Mean(eur("1.0000"))
    );
    assert_eq!(
        amount(s, "analyses_per_order"),
        &Amount::Mean(eur("2.0000"))
    );
    assert!(s.line("orders_per_patient_growth").is_none());
    assert_eq!(
        s.line("total").unwrap().source.quote,
        "Zilveren Kruis betaalt overschrijdingen van het plafond niet uit bij zorgaanbieders met een reguliere overeenkomst."
    );
}

/// 3.1 and 5.1: with a preferred contract the marginal cost of the overproduction is paid,
/// with the sliding discount, when the mean orders per patient and the mean analyses per order
/// each grew at most 2.5 % against 2018. Orders per patient grew 2.4 %: paid.
#[test]
fn preferred_contract_excess_paid_with_sliding_discount_when_orders_per_patient_grew_2_4_percent() {
    let (_d, all) = settled();
    let s = by_agb(&all, "50000001");
    assert_eq!(s.category.as_str(), "lab-preferred");
    assert_eq!(s.euro("production"), Some(eur("102400.00")));
    assert_eq!(
        amount(s, "orders_per_patient_2018"),
        &Amount::Mean(eur("1.0000"))
    );
    assert_eq!(
        amount(s, "orders_per_patient"),
        &Amount::Mean(eur("1.0240"))
    );
    assert_eq!(
        amount(s, "orders_per_patient_growth"),
        &Amount::Ratio(eur("0.024"))
    );
    assert_eq!(
        amount(s, "analyses_per_order"),
        &Amount::Mean(eur("2.0000"))
    );
    assert_eq!(
        amount(s, "analyses_per_order_growth"),
        &Amount::Ratio(eur("0"))
    );
    assert_eq!(text(s, "overproduction_condition"), "voldaan");
    assert_eq!(s.euro("within_ceiling"), Some(eur("80000.00")));
    assert_eq!(s.euro("overproduction"), Some(eur("22400.00")));
    assert_eq!(s.euro("overproduction_paid"), Some(eur("11600.00")));
    assert_eq!(s.total, Some(eur("91600.00")));
    let paid = s.line("overproduction_paid").unwrap();
    assert!(
        paid.calculation.contains("trede 3") && paid.calculation.contains("€ 1.600,00"),
        "{}",
        paid.calculation
    );
    assert!(
        paid.choice.as_deref().unwrap().contains("VOORBEELDWAARDEN"),
        "the sliding discount is an example"
    );
    // the order reading is visible on the lines that count orders
    assert!(
        s.line("orders_per_patient")
            .unwrap()
            .choice
            .as_deref()
            .unwrap()
            .contains("één order")
    );
}

/// 3.1: "Het gemiddeld aantal orders per patiënt is ... niet meer dan 2,5% toegenomen ten
/// opzichte van 2018". Grown 2.6 %: the excess is not paid.
#[test]
fn preferred_contract_excess_not_paid_when_orders_per_patient_grew_2_6_percent() {
    let (_d, all) = settled();
    let s = by_agb(&all, "50000002");
    assert_eq!(
        amount(s, "orders_per_patient"),
        &Amount::Mean(eur("1.0260"))
    );
    assert_eq!(
        amount(s, "orders_per_patient_growth"),
        &Amount::Ratio(eur("0.026"))
    );
    assert_eq!(text(s, "overproduction_condition"), "niet voldaan");
    assert_eq!(s.euro("overproduction"), Some(eur("22600.00")));
    assert_eq!(s.euro("overproduction_paid"), Some(eur("0")));
    assert_eq!(s.total, Some(eur("80000.00")));
}

/// 3.1: "Het gemiddeld aantal analyses per order is ... niet meer dan 2,5% toegenomen ten
/// opzichte van 2018". Grown 2.6 %: the excess is not paid, whatever the orders did.
#[test]
fn preferred_contract_excess_not_paid_when_analyses_per_order_grew_2_6_percent() {
    let (_d, all) = settled();
    let s = by_agb(&all, "50000005");
    assert_eq!(
        amount(s, "orders_per_patient_growth"),
        &Amount::Ratio(eur("0"))
    );
    assert_eq!(
        amount(s, "analyses_per_order"),
        &Amount::Mean(eur("2.0520"))
    );
    assert_eq!(
        amount(s, "analyses_per_order_growth"),
        &Amount::Ratio(eur("0.026"))
    );
    assert_eq!(text(s, "overproduction_condition"), "niet voldaan");
    assert_eq!(s.total, Some(eur("80000.00")));
}

/// Without 2018 claims the growth cannot be computed: the conditions are not shown to be met,
/// the excess is not paid, and the statement says why.
#[test]
fn preferred_contract_without_2018_claims_excess_not_paid_and_said_so() {
    let (_d, all) = settled();
    let s = by_agb(&all, "50000004");
    assert_eq!(text(s, "orders_per_patient_2018"), "niet te berekenen");
    assert_eq!(text(s, "orders_per_patient_growth"), "niet te berekenen");
    assert_eq!(text(s, "overproduction_condition"), "niet aangetoond");
    assert!(
        s.line("overproduction_condition")
            .unwrap()
            .choice
            .as_deref()
            .unwrap()
            .contains("Zonder declaraties in 2018")
    );
    assert_eq!(s.euro("production"), Some(eur("2000.00")));
    assert_eq!(s.total, Some(eur("1000.00")));
}

/// 5.2: "Op basis van volume- en prijsafspraken per product wordt een omzetplafond afgesproken.
/// Overschrijdingen van het plafond betalen wij niet uit."
#[test]
fn thrombosis_excess_over_the_ceiling_is_not_paid() {
    let (_d, all) = settled();
    let s = by_agb(&all, "34000001");
    assert_eq!(s.category.as_str(), "thrombosis");
    assert_eq!(s.euro("production"), Some(eur("1500.00")));
    assert_eq!(s.euro("overproduction"), Some(eur("500.00")));
    assert_eq!(s.euro("overproduction_paid"), Some(eur("0")));
    assert_eq!(s.total, Some(eur("1000.00")));
    assert_eq!(
        s.line("total").unwrap().source.quote,
        "Overschrijdingen van het plafond betalen wij niet uit."
    );
}

#[test]
fn a_provider_without_terms_gets_its_figures_but_no_total() {
    let (_d, all) = settled();
    let agbs: Vec<&str> = all.iter().map(|s| s.provider_agb.as_str()).collect();
    assert_eq!(
        agbs,
        [
            "34000001", "50000001", "50000002", "50000003", "50000004", "50000005", "50000009"
        ]
    );
    let s = by_agb(&all, "50000009");
    assert_eq!(s.category.as_str(), "unknown");
    assert_eq!(s.euro("production"), Some(eur("123.45")));
    assert_eq!(s.total, None);
    assert_eq!(s.missing.len(), 1, "{:?}", s.missing);
}

#[test]
fn the_statement_reads_in_dutch_and_every_line_cites_document_003() {
    let (_d, all) = settled();
    let s = by_agb(&all, "50000001");
    for l in &s.lines {
        assert_eq!(l.source.document, "003_1002b85ce44c7f66.txt", "{}", l.step);
        assert!(!l.source.quote.is_empty(), "{}", l.step);
    }
    let steps: Vec<&str> = s.lines.iter().map(|l| l.step).collect();
    for step in [
        "production",
        "ceiling",
        "orders_per_patient",
        "analyses_per_order",
        "overproduction",
        "total",
    ] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }
    let text = s.to_text();
    assert!(
        text.starts_with(
            "Afrekening eerstelijnsdiagnostiek en trombosezorg 2020 - zorgaanbieder 50000001 (laboratorium, voorkeursovereenkomst)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Afgerekend bedrag 2020: € 91.600,00"),
        "{text}"
    );
    assert!(text.contains("1,0240"), "{text}");
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["schema"], "zorginkoop.settlement.diagnostics/1");
    assert_eq!(json["category"], "lab-preferred");
    assert_eq!(json["total"], "91600.00");
}

#[test]
fn one_provider_only_and_the_same_when_split_over_files() {
    let (_d, whole) = settled();
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("part-{i}.parquet")))
        .collect();
    let mut chunks: [Vec<L>; 3] = Default::default();
    for (i, r) in lines().into_iter().enumerate() {
        chunks[i % 3].push(r);
    }
    for (p, c) in parts.iter().zip(&chunks) {
        write(p, c);
    }
    let split = settle_labs(&rules(), &parts, &terms(), None).unwrap();
    assert_eq!(split, whole);
    let one = settle_labs(&rules(), &parts, &terms(), Some("50000002")).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0], *by_agb(&whole, "50000002"));
    assert!(settle_labs(&rules(), &parts, &terms(), Some("5")).is_err());
}

#[test]
fn passages_in_the_code_are_verbatim_in_document_003() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/texts/003_1002b85ce44c7f66.txt"),
    )
    .unwrap();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = norm(&text);
    for p in zorginkoop_settle::cite::LABS {
        assert_eq!(p.document, "003_1002b85ce44c7f66.txt");
        assert!(
            text.contains(&norm(p.quote)),
            "not in the document: {}",
            p.quote
        );
        assert!(text.contains(&norm(p.section)), "no section {}", p.section);
    }
}

/// 3.1: "Voorkeursovereenkomst: dit is een tweejarige overeenkomst" and "Reguliere
/// overeenkomst: dit is een eenjarige overeenkomst"; 3.2 (thrombosis): "Dit is een eenjarige
/// overeenkomst". Settling 2021 with the 2020 lines moved a year on: the preferred lab 50000001
/// is settled as in 2020 (its 2021 means against 2018's: +2.4 %, the excess paid with the
/// discount, **91,600.00**); the regular lab and the thrombosis service have no contract in 2021
/// under this policy: no total, and the statement says why.
#[test]
fn in_2021_only_the_two_year_preferred_contract_is_settled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    let moved: Vec<L> = lines()
        .into_iter()
        .map(|mut l| {
            if chrono::Datelike::year(&l.date) == 2020 {
                // a day-for-day shift (2020 is a leap year: 29 February has no 2021 twin)
                l.date = plus(l.date, 365);
            }
            l
        })
        .collect();
    write(&path, &moved);
    let policy = zorginkoop_policy::Policy::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/diagnostics-2020.toml"),
    )
    .unwrap();
    let rules = LabRules::for_year(&policy, 2021).unwrap();
    let all = settle_labs(&rules, &[path], &terms(), None).unwrap();

    let preferred = by_agb(&all, "50000001");
    assert_eq!(preferred.year, 2021);
    assert_eq!(preferred.total, Some(eur("91600.00")));
    assert!(preferred.to_text().contains("Afgerekend bedrag 2021"));

    for agb in ["50000003", "34000001"] {
        let s = by_agb(&all, agb);
        assert_eq!(s.total, None, "{agb}");
        assert_eq!(text(s, "contract_year"), "geen", "{agb}");
        assert!(s.missing[0].contains("eenjarig"), "{agb}: {:?}", s.missing);
    }
    assert!(LabRules::for_year(&policy, 2022).is_err());
}
