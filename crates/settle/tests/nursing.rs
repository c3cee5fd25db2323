//! District nursing 2021 settlement, worked by hand from document 004 (chapter 4, tables 1 and
//! 2, bijlage 6), over Parquet files with the schema of the claims checker's `results.parquet`.
//!
//! Policy values used (policies/district-nursing-2021.toml): OVA index 3 % (example value),
//! small threshold EUR 100,000, cut group 2 = 2 % (example value), new-provider maximum EUR
//! 250,000, 85 hours a month, table 2: small and new 80 % up to 50 % of the basisbudget, group
//! 2 85 % up to 50 %.
//!
//! **Provider 00000001, small** (contract 2020 per terms). Reference revenue: one 1034 line of
//! EUR 50,000.00 (plus a rejected line, ignored) -> EUR 50,000 < 100,000: small.
//! Basisbudget = 50,000 x 1.03 = 51,500.00. Production 2021 = 90,000.00. Overproduction =
//! 38,500.00; maximum = 50 % x 51,500 = 25,750.00; paid = 80 % x 25,750 = 20,600.00.
//! Total = 51,500.00 + 20,600.00 = **72,100.00**.
//!
//! **Provider 00000002, regular, group 2, agreement 10 %**, tariff in the reference period
//! EUR 6.00 per 5 minutes, so one hour = 12 x 6.00 = EUR 72.00. Reference period:
//! * client 100000001: 3 lines of 10 h (EUR 720.00) in March, April, May 2019: 30 h / 3 months
//!   = 10 h a month;
//! * client 100000002: 4 h on 30 and 31 December 2019 (EUR 288.00 each) and 4 h on 2 January
//!   2020 (claimed 300.00, reduced to 288.00): 12 h in 2 whole months (a few days count as a
//!   month) = 6 h a month;
//! * client 100000003: 100 h (EUR 7,200.00) in June 2019: 100 h a month > 85, left out;
//! * a 1039 line (not a bijlage 6 prestatie) of EUR 89,776.00.
//!
//! Revenue = 2,160 + 864 + 7,200 + 89,776 = 100,000.00 >= 100,000: regular.
//! Mean = (10 + 6) / 2 = 8 h per client-month.
//!
//! 2021: tariff 6.00 x 1.03 = 6.18 per 5 minutes (no cut: the agreement), one hour EUR 74.16:
//! * client 100000001: 8 h in February and 8 h in March (EUR 593.28 each): 8 h a month;
//! * client 100000004: 7 h in July (EUR 519.12): 7 h a month;
//! * a 1039 line of EUR 118,294.32.
//!
//! Production = 1,186.56 + 519.12 + 118,294.32 = 120,000.00. Mean = (8 + 7) / 2 = 7.5;
//! improvement = (8 - 7.5) / 8 = 6.25 % < 10 % agreed.
//! Basisbudget = 100,000 x 1.03 x (1 - 0) = 103,000.00 (cut lapses in advance).
//! Overproduction 17,000.00 (maximum 51,500.00 not reached), paid 85 % = 14,450.00. Subtotal =
//! 117,450.00. Surcharge = 2 % x 117,450 = 2,349.00. Share repaid = (10 - 6.25) / 10 =
//! 37.5 %; repayment = 2,349 x 0.375 = 880.875 -> 880.88. Total = 117,450.00 - 880.88 =
//! **116,569.12**.
//!
//! **Provider 00000003, new** (no contract 2020 per terms). Reference revenue 300,000.00;
//! 300,000 x 1.03 = 309,000.00, capped at 250,000.00. Production 400,000.00: overproduction
//! 150,000.00, maximum 50 % x 250,000 = 125,000.00, paid as small 80 % = 100,000.00.
//! Total = **350,000.00**.
//!
//! **Provider 00000004**, not in the terms: approved reference claims of 150,000.00, so taken as
//! existing and regular, but without an efficiency group: no total, one thing missing.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use zorginkoop_settle::{Statement, TermsSet, settle_nursing};

mod results_file;
mod worked_example;
use worked_example::*;

fn settle_one_file() -> (tempfile::TempDir, Vec<Statement>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    let all = settle_nursing(&rules(), &[path], &terms(), None).unwrap();
    (dir, all)
}

#[test]
fn worked_example_small_regular_new() {
    let (_dir, all) = settle_one_file();
    let agbs: Vec<&str> = all.iter().map(|s| s.provider_agb.as_str()).collect();
    assert_eq!(agbs, ["00000001", "00000002", "00000003", "00000004"]);

    let small = by_agb(&all, "00000001");
    assert_eq!(small.category.as_str(), "small");
    assert_eq!(small.euro("reference_revenue"), Some(eur("50000.00")));
    assert_eq!(small.euro("basisbudget"), Some(eur("51500.00")));
    assert_eq!(small.euro("production"), Some(eur("90000.00")));
    assert_eq!(small.euro("overproduction"), Some(eur("38500.00")));
    assert_eq!(small.euro("overproduction_cap"), Some(eur("25750.00")));
    assert_eq!(small.euro("overproduction_paid"), Some(eur("20600.00")));
    assert_eq!(small.total, Some(eur("72100.00")));
    assert!(small.line("efficiency_group").is_none());

    let regular = by_agb(&all, "00000002");
    assert_eq!(regular.category.as_str(), "regular");
    assert_eq!(regular.euro("reference_revenue"), Some(eur("100000.00")));
    assert_eq!(regular.euro("basisbudget"), Some(eur("103000.00")));
    assert_eq!(regular.euro("production"), Some(eur("120000.00")));
    assert_eq!(regular.euro("overproduction_paid"), Some(eur("14450.00")));
    assert_eq!(regular.euro("subtotal"), Some(eur("117450.00")));
    let hours = |step| match regular.line(step).unwrap().amount {
        zorginkoop_settle::Amount::Hours(h) => h,
        ref o => panic!("{o:?}"),
    };
    assert_eq!(hours("hours_reference"), eur("8"));
    assert_eq!(hours("hours_year"), eur("7.5"));
    assert_eq!(
        regular.line("clients_excluded_reference").unwrap().amount,
        zorginkoop_settle::Amount::Count(1)
    );
    assert_eq!(
        regular.line("improvement").unwrap().amount,
        zorginkoop_settle::Amount::Ratio(eur("0.0625"))
    );
    assert_eq!(regular.euro("surcharge"), Some(eur("2349.00")));
    assert_eq!(regular.euro("repayment"), Some(eur("880.88")));
    assert_eq!(regular.total, Some(eur("116569.12")));
    assert!(regular.missing.is_empty());

    let new = by_agb(&all, "00000003");
    assert_eq!(new.category.as_str(), "new");
    assert_eq!(new.euro("basisbudget"), Some(eur("309000.00")));
    assert_eq!(new.euro("new_provider_cap"), Some(eur("250000.00")));
    assert_eq!(new.euro("overproduction_cap"), Some(eur("125000.00")));
    assert_eq!(new.euro("overproduction_paid"), Some(eur("100000.00")));
    assert_eq!(new.total, Some(eur("350000.00")));

    let unknown = by_agb(&all, "00000004");
    assert_eq!(unknown.category.as_str(), "regular");
    assert_eq!(unknown.total, None);
    assert_eq!(unknown.missing.len(), 1, "{:?}", unknown.missing);
}

#[test]
fn every_line_cites_a_passage_and_the_text_reads_in_dutch() {
    let (_dir, all) = settle_one_file();
    let regular = by_agb(&all, "00000002");
    for l in &regular.lines {
        assert!(
            !l.source.quote.is_empty() && l.source.document.ends_with(".txt"),
            "{}",
            l.step
        );
    }
    let text = regular.to_text();
    assert!(
        text.contains("Afgerekend bedrag 2021: € 116.569,12"),
        "{text}"
    );
    assert!(text.contains("naar rato"), "{text}");
    let json = serde_json::to_value(regular).unwrap();
    assert_eq!(json["schema"], "zorginkoop.settlement.district-nursing/1");
    assert_eq!(json["total"], "116569.12");
    assert_eq!(json["lines"][0]["amount"]["kind"], "euro");
}

/// The revenue ceiling of table 2 and the post-calculation, worked by hand:
/// * small 00000001: basisbudget 51,500.00 + 80 % × (50 % × 51,500.00 = 25,750.00) =
///   51,500.00 + 20,600.00 = **72,100.00**, reached at a production of 77,250.00; production
///   90,000.00 fills it 116.50 %; paid in the year 90,000.00, settled 72,100.00: the provider
///   repays **17,900.00**;
/// * regular 00000002, group 2: 103,000.00 + 85 % × 51,500.00 = 103,000.00 + 43,775.00 =
///   **146,775.00**, reached at 154,500.00, filled 120,000 / 154,500 = 77.67 %; settled
///   116,569.12 against 120,000.00 paid: repays **3,430.88**;
/// * new 00000003: 250,000.00 + 80 % × 125,000.00 = **350,000.00**; repays 50,000.00.
#[test]
fn with_a_revenue_ceiling_overproduction_above_it_is_not_paid_and_the_difference_is_settled() {
    let (_dir, all) = settle_one_file();
    let small = by_agb(&all, "00000001");
    assert_eq!(small.euro("revenue_ceiling"), Some(eur("72100.00")));
    assert!(
        small
            .line("revenue_ceiling")
            .unwrap()
            .calculation
            .contains("bereikt bij een productie van € 77.250,00"),
        "{}",
        small.line("revenue_ceiling").unwrap().calculation
    );
    assert_eq!(
        small.line("ceiling_fill").unwrap().amount,
        zorginkoop_settle::Amount::Ratio(eur("1.1650"))
    );
    assert_eq!(small.euro("post_calculation"), Some(eur("-17900.00")));
    assert!(
        small
            .line("post_calculation")
            .unwrap()
            .calculation
            .contains("de zorgaanbieder betaalt € 17.900,00 terug")
    );

    let regular = by_agb(&all, "00000002");
    assert_eq!(regular.euro("revenue_ceiling"), Some(eur("146775.00")));
    assert_eq!(
        regular.line("ceiling_fill").unwrap().amount,
        zorginkoop_settle::Amount::Ratio(eur("0.7767"))
    );
    assert_eq!(regular.euro("post_calculation"), Some(eur("-3430.88")));

    let new = by_agb(&all, "00000003");
    assert_eq!(new.euro("revenue_ceiling"), Some(eur("350000.00")));
    assert_eq!(new.euro("post_calculation"), Some(eur("-50000.00")));

    // no total, no post-calculation
    assert!(by_agb(&all, "00000004").line("post_calculation").is_none());
}

#[test]
fn one_provider_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    let one = settle_nursing(
        &rules(),
        std::slice::from_ref(&path),
        &terms(),
        Some("00000003"),
    )
    .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].total, Some(eur("350000.00")));
    assert!(settle_nursing(&rules(), &[path], &terms(), Some("3")).is_err());
}

#[test]
fn same_result_when_split_over_files() {
    let (_d, whole) = settle_one_file();
    let dir = tempfile::tempdir().unwrap();
    let rows = lines();
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("part-{i}.parquet")))
        .collect();
    // split so that providers and clients straddle files
    let mut chunks: [Vec<L>; 3] = Default::default();
    for (i, r) in rows.into_iter().enumerate() {
        chunks[i % 3].push(r);
    }
    for (p, c) in parts.iter().zip(&chunks) {
        write(p, c);
    }
    let split = settle_nursing(&rules(), &parts, &terms(), None).unwrap();
    assert_eq!(split, whole);
    let folder = settle_nursing(&rules(), &[dir.path().to_path_buf()], &terms(), None).unwrap();
    assert_eq!(folder, whole);
}

#[test]
fn passages_in_the_code_are_verbatim() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/texts/004_ff397b22ce59c05b.txt"),
    )
    .unwrap();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = norm(&text);
    for p in zorginkoop_settle::cite::ALL {
        assert!(
            text.contains(&norm(p.quote)),
            "not in the document: {}",
            p.quote
        );
        assert!(text.contains(&norm(p.section)), "no section {}", p.section);
    }
}

/// The efficiency model over the worked example, with a register in which everybody is under
/// 65, male, alive and lives in postcode 2000 (score 1.00). Regular providers: 00000002 and
/// 00000004 (small 00000001 and new 00000003 are outside the model).
///
/// 00000002 has three clients with bijlage 6 care in the reference period: EUR 720 a month
/// (2,160 over 3 months), EUR 432 (864 over 2) and EUR 7,200 (one month); the lowest and the
/// highest are left out (2.5 % of 3, at least 1), so EUR 720 remains. 00000004 has one client,
/// left out. The fit over that one client is its cost (only the constant can be estimated):
/// expected EUR 720, ratio 1.0000 >= 1.00: group 3.
///
/// The terms give 00000002 group 2: they win, the line says the model computed 3. Without that
/// group in the terms, group 3 is used: cut 1 % (example value) lapses for the agreement,
/// basisbudget 103,000.00, overproduction 17,000.00 paid at 95 % (table 2, group 3, free
/// volume) = 16,150.00, subtotal 119,150.00; surcharge 1 % = 1,191.50, 37.5 % repaid = 446.8125
/// -> 446.81; total **118,703.19**. 00000004 stays without a total: no client to compare.
#[test]
fn the_model_group_is_used_when_the_terms_give_none_and_the_terms_still_win() {
    use zorginkoop_claims::context::{InsuredPeriod, Postcode, Sex};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    let r = rules();
    let figures = zorginkoop_settle::scan::scan(&r, &[path], None).unwrap();
    let people = [100000001u32, 100000002, 100000003, 400000001]
        .map(|bsn| InsuredPeriod {
            bsn,
            uzovi: 3311,
            birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
            postcode: Postcode::new("2000AB").unwrap(),
            from: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
            to: None,
            sex: Some(Sex::Male),
            death_date: None,
        })
        .to_vec();
    let reg = zorginkoop_settle::Register::new(
        people,
        std::collections::BTreeMap::from([(2000u16, eur("1.00"))]),
    );
    let eff = zorginkoop_settle::nursing::efficiency(&r, &figures, &terms(), &reg).unwrap();
    assert_eq!(
        eff.providers.keys().collect::<Vec<_>>(),
        ["00000002", "00000004"]
    );
    let p2 = &eff.providers["00000002"];
    assert_eq!((p2.clients, p2.included), (3, 1));
    assert_eq!((p2.ratio, p2.group), (Some(eur("1.0000")), Some(3)));
    assert_eq!(eff.providers["00000004"].group, None);

    let all =
        zorginkoop_settle::settle_nursing_with_model(&r, &figures, &terms(), Some(&eff), None)
            .unwrap();
    let regular = by_agb(&all, "00000002");
    let group = regular.line("efficiency_group").unwrap();
    assert_eq!(group.amount, zorginkoop_settle::Amount::Count(2));
    assert!(
        group
            .calculation
            .contains("het doelmatigheidsmodel berekende groep 3"),
        "{}",
        group.calculation
    );
    assert_eq!(regular.total, Some(eur("116569.12")));
    assert!(regular.line("efficiency_ratio").is_some());
    let unknown = by_agb(&all, "00000004");
    assert_eq!(unknown.total, None);
    assert!(
        unknown.missing[0].contains("kon niet worden berekend"),
        "{:?}",
        unknown.missing
    );
    let small = by_agb(&all, "00000001");
    assert!(small.line("efficiency_model").is_some());
    assert_eq!(small.total, Some(eur("72100.00")));

    let no_group = TermsSet::parse(
        Path::new("terms.csv"),
        "provider_agb,contract_2020,efficiency_group,tariff_ref_cents,agreement_improvement\n\
         00000001,ja,,,\n\
         00000002,ja,,600,0.10\n\
         00000003,nee,,,\n",
    )
    .unwrap();
    let all =
        zorginkoop_settle::settle_nursing_with_model(&r, &figures, &no_group, Some(&eff), None)
            .unwrap();
    let regular = by_agb(&all, "00000002");
    let group = regular.line("efficiency_group").unwrap();
    assert_eq!(group.amount, zorginkoop_settle::Amount::Count(3));
    // group 3: free volume, no revenue ceiling
    assert_eq!(
        regular.line("revenue_ceiling").unwrap().amount,
        zorginkoop_settle::Amount::Text("geen omzetplafond (vrij volume)".into())
    );
    assert!(regular.line("ceiling_fill").is_none());
    assert!(
        group
            .calculation
            .starts_with("berekend met het doelmatigheidsmodel"),
        "{}",
        group.calculation
    );
    assert!(
        group
            .choice
            .as_deref()
            .unwrap()
            .contains("VOORBEELDWAARDEN")
    );
    assert_eq!(regular.euro("overproduction_paid"), Some(eur("16150.00")));
    assert_eq!(regular.euro("surcharge"), Some(eur("1191.50")));
    assert_eq!(regular.euro("repayment"), Some(eur("446.81")));
    assert_eq!(regular.total, Some(eur("118703.19")));
}

/// Chapter 4, footnote 1: the reference revenue is "exclusief de gemeenten die onder Zorg in de
/// Wijk vallen, op peildatum 1 augustus 2019". Client 100000001 of 00000002 lived in 3511 (Utrecht,
/// table `zorg-in-de-wijk-postcodes`) on 1 August 2019: its 2,160.00 is left out. Revenue =
/// 100,000.00 - 2,160.00 = 97,840.00 < 100,000: 00000002 is a **small** provider now.
/// Basisbudget = 97,840.00 x 1.03 = 100,775.20; production 120,000.00; overproduction 19,224.80
/// (maximum 50 % = 50,387.60 not reached) paid at 80 % = 15,379.84; the agreement does not
/// apply to a small provider. Total = 100,775.20 + 15,379.84 = **116,155.04**.
///
/// Bijlage 3: of its four clients in the ratio's period, 100000001 is in a Zorg in de Wijk
/// municipality; the other three live in 2000 (two) and 2001 (one): 3 / 2 = 1,50, below 2.
#[test]
fn zorg_in_de_wijk_clients_are_left_out_of_the_reference_revenue_and_the_ratio_is_on_the_statement()
{
    use zorginkoop_claims::context::{InsuredPeriod, Postcode, Sex};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    let r = rules();
    let figures = zorginkoop_settle::scan::scan_with(&r, &[path], None, true).unwrap();
    let person = |bsn: u32, postcode: &str| InsuredPeriod {
        bsn,
        uzovi: 3311,
        birth_date: NaiveDate::from_ymd_opt(1940, 1, 1).unwrap(),
        postcode: Postcode::new(postcode).unwrap(),
        from: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        to: None,
        sex: Some(Sex::Female),
        death_date: None,
    };
    let reg = zorginkoop_settle::Register::new(
        vec![
            person(100000001, "3511AB"),
            person(100000002, "2000AB"),
            person(100000003, "2000CD"),
            person(100000005, "2001AB"),
        ],
        std::collections::BTreeMap::from([(2000u16, eur("1.00")), (2001u16, eur("1.00"))]),
    );
    let (all, _) = zorginkoop_settle::nursing::settle_nursing_with_register(
        &r,
        &figures,
        &terms(),
        &reg,
        Some("00000002"),
    )
    .unwrap();
    let s = by_agb(&all, "00000002");
    assert_eq!(s.euro("reference_revenue_all"), Some(eur("100000.00")));
    assert_eq!(s.euro("reference_zorg_in_de_wijk"), Some(eur("2160.00")));
    assert!(
        s.line("reference_zorg_in_de_wijk")
            .unwrap()
            .calculation
            .contains("Utrecht 1"),
        "{:?}",
        s.line("reference_zorg_in_de_wijk")
    );
    assert_eq!(s.euro("reference_revenue"), Some(eur("97840.00")));
    assert_eq!(s.category.as_str(), "small");
    assert_eq!(s.euro("basisbudget"), Some(eur("100775.20")));
    assert_eq!(s.euro("overproduction_paid"), Some(eur("15379.84")));
    assert_eq!(s.total, Some(eur("116155.04")));
    let ratio = s.line("client_postcode_ratio").unwrap();
    assert_eq!(ratio.amount, zorginkoop_settle::Amount::Number(eur("1.50")));
    assert_eq!(
        s.line("ratio_verdict").unwrap().amount,
        zorginkoop_settle::Amount::Text("nee".into())
    );
}

/// "Op basis van geleverde zorg ... en de ingestuurde plannen, bieden wij nieuwe
/// zorgaanbieders in 2021 een budget en tarief aan ... Het budget voor nieuwe zorgaanbieders is
/// maximaal €250.000." 00000003 is offered EUR 120,000.00: production 400,000.00, paid within
/// the budget 120,000.00, overproduction 280,000.00 capped at 50 % x 120,000 = 60,000.00 and
/// paid as a small provider's at 80 % = 48,000.00: total **168,000.00**. Offered 300,000.00, the
/// budget is capped at 250,000.00 and the total is the 350,000.00 of the first example.
#[test]
fn a_new_provider_is_settled_on_the_budget_offered_capped_at_250000() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    for (offered, budget, total) in [
        ("12000000", "120000.00", "168000.00"),
        ("30000000", "250000.00", "350000.00"),
    ] {
        let terms = TermsSet::parse(
            Path::new("terms.csv"),
            &format!("provider_agb,contract_2020,new_budget_cents\n00000003,nee,{offered}\n"),
        )
        .unwrap();
        let all = settle_nursing(
            &rules(),
            std::slice::from_ref(&path),
            &terms,
            Some("00000003"),
        )
        .unwrap();
        let s = by_agb(&all, "00000003");
        assert_eq!(s.category.as_str(), "new");
        assert!(
            s.line("basisbudget").unwrap().label.contains("aangeboden"),
            "{:?}",
            s.line("basisbudget")
        );
        assert_eq!(s.euro("new_provider_cap"), Some(eur(budget)));
        assert_eq!(s.total, Some(eur(total)), "offered {offered}");
    }
}

/// A new provider without claims in the reference period and without a budget offered in its
/// terms has nothing to compute a budget from: its statement says what is missing and has no
/// total (rather than settling it at EUR 0).
#[test]
fn a_new_provider_without_reference_claims_needs_the_budget_offered() {
    let mut figures = zorginkoop_settle::scan::ClaimFigures::default();
    figures.providers.insert(
        "00000009".into(),
        zorginkoop_settle::scan::ProviderFigures {
            year_cents: 5_000_000,
            year_lines: 10,
            ..Default::default()
        },
    );
    let all = zorginkoop_settle::settle_nursing_from_figures(
        &rules(),
        &figures,
        &TermsSet::default(),
        None,
    )
    .unwrap();
    let s = by_agb(&all, "00000009");
    assert_eq!(s.category.as_str(), "new");
    assert_eq!(s.total, None);
    assert!(s.missing[0].contains("new_budget_cents"), "{:?}", s.missing);
}

/// Chapter 7: "We hanteren een maximale termijn van 2 jaar (t – 2 in schadejaren) om de
/// materiële controle op te starten ... Dit betekent dat wij uiterlijk december 2023 een
/// materiële controle wijkverpleging zullen starten over schadejaar 2021." Provider 00000001 has
/// approved lines in 2019 (EUR 50,000.00; its rejected line does not count), 2020 (1,234.56) and
/// 2021 (90,000.00). On 31 December 2023 only 2021 may still be controlled; a day later nothing.
#[test]
fn the_control_term_is_two_claim_years_until_december() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &lines());
    let on = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let r = rules();
    let all = zorginkoop_settle::control::control_terms(
        &r,
        std::slice::from_ref(&path),
        Some("00000001"),
        on("2023-12-31"),
    )
    .unwrap();
    assert_eq!(all.len(), 1);
    let years: Vec<(i32, i64, Decimal, String, bool)> = all[0]
        .years
        .iter()
        .map(|y| {
            (
                y.claim_year,
                y.lines,
                y.approved,
                y.control_until.to_string(),
                y.open,
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (2019, 1, eur("50000.00"), "2021-12-31".to_string(), false),
            (2020, 1, eur("1234.56"), "2022-12-31".to_string(), false),
            (2021, 1, eur("90000.00"), "2023-12-31".to_string(), true),
        ]
    );
    let text = all[0].to_text();
    assert!(
        text.contains("schadejaar 2021: 1 goedgekeurde regels, € 90.000,00; materiële controle uiterlijk te starten op 31-12-2023: nog mogelijk"),
        "{text}"
    );
    let later =
        zorginkoop_settle::control::control_terms(&r, &[path], Some("00000001"), on("2024-01-01"))
            .unwrap();
    assert!(later[0].years.iter().all(|y| !y.open));
}

/// Chapter 2: "Van 2018 tot en met 2020 hebben we in de regio’s Amsterdam, Almere,
/// Hollandscheveld, Hoogeveen en De Wolden Zorg in de Wijk ingekocht. ... Van 2019 tot en met
/// 2021 is dit beleid ook in de regio’s Ommen-Hardenberg, Utrecht en Zwolle van toepassing."
/// Footnote 1 leaves out "de gemeenten die onder Zorg in de Wijk vallen": the village of
/// Hollandscheveld (7913) lies in the municipality of Hoogeveen, Vleuten-De Meern (3451-3455) in
/// that of Utrecht; Coevorden's part of Nieuwlande (7929) and Meppel (7940-7944) do not.
#[test]
fn the_zorg_in_de_wijk_municipalities_are_known_by_their_postcodes() {
    let r = rules();
    let at = |pc4: u16| r.ratio.zorg_in_de_wijk(pc4);
    assert_eq!(at(7913).as_deref(), Some("Hoogeveen"));
    assert_eq!(at(7903).as_deref(), Some("Hoogeveen"));
    assert_eq!(at(3453).as_deref(), Some("Utrecht"));
    assert_eq!(at(3511).as_deref(), Some("Utrecht"));
    assert_eq!(at(1017).as_deref(), Some("Amsterdam"));
    assert_eq!(at(1315).as_deref(), Some("Almere"));
    assert_eq!(at(7921).as_deref(), Some("De Wolden"));
    assert_eq!(at(7731).as_deref(), Some("Ommen"));
    assert_eq!(at(7772).as_deref(), Some("Hardenberg"));
    assert_eq!(at(8011).as_deref(), Some("Zwolle"));
    for outside in [7929, 7941, 1111, 3600, 2000] {
        assert_eq!(at(outside), None, "{outside}");
    }
}

/// The efficiency model's prestaties, read from the claims: "Voor medische kindzorgaanbieders
/// gelden afwijkende afspraken. Deze zorg is uitgesloten van het doelmatigheidsmodel." and the
/// care duration "afgeleid van de doelgroepenregistratie" (1033 "korter dan 3 maanden", 1034
/// and 1035 "langer dan 3 maanden"). Provider 00000009, reference period (1 March 2019 - 29
/// February 2020):
/// * 900000001: 1033 in April 2019 (EUR 100.00) and 1038 in May 2019 (EUR 5,000.00): bijlage 6
///   counts both (EUR 5,100.00 in 2 months); the model only the 1033 (EUR 100.00 in 1 month),
///   not longer than 3 months;
/// * 900000002: only 1038 (EUR 800.00 in June 2019): in bijlage 6, not in the model;
/// * 900000003: 1033 in April and 1035 in August 2019 (EUR 200.00 each): longer than 3 months;
/// * 900000004: 1034 in January 2020 (EUR 300.00): longer than 3 months.
#[test]
fn the_model_leaves_out_medical_child_care_and_takes_the_duration_from_the_target_groups() {
    use zorginkoop_settle::scan::{Period, scan};
    let p = "00000009";
    let rows = vec![
        l(p, "900000001", "1033", (2019, 4, 1), 10_000),
        l(p, "900000001", "1038", (2019, 5, 1), 500_000),
        l(p, "900000002", "1038", (2019, 6, 1), 80_000),
        l(p, "900000003", "1033", (2019, 4, 1), 20_000),
        l(p, "900000003", "1035", (2019, 8, 1), 20_000),
        l(p, "900000004", "1034", (2020, 1, 15), 30_000),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    write(&path, &rows);
    let figures = scan(&rules(), &[path], None).unwrap();
    let clients = &figures.clients[&(p.to_string(), Period::Reference)];
    let got: Vec<(&str, i64, i64, i64, i64, bool)> = clients
        .iter()
        .map(|c| {
            (
                c.bsn.as_str(),
                c.cents,
                c.months,
                c.model_cents,
                c.model_months,
                c.long_care,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("900000001", 510_000, 2, 10_000, 1, false),
            ("900000002", 80_000, 1, 0, 0, false),
            ("900000003", 40_000, 2, 40_000, 2, true),
            ("900000004", 30_000, 1, 30_000, 1, true),
        ]
    );
}

/// Bijlage 6: "Wij vragen u ervoor te zorgen dat alle declaraties wijkverpleging over 2021
/// uiterlijk 31 maart 2022 bij Zilveren Kruis zijn ingediend." The claims checker rejects a line
/// submitted later (reason ZK-WV-SUBMITTED-LATE); settlement leaves it out and says so. The
/// small provider 00000001 of the worked example also claimed EUR 1,500.00 (10 December 2021)
/// and EUR 500.00 (20 December 2021) too late: its production stays EUR 90,000.00 and its total
/// EUR 72,100.00; the statement shows 2 lines, EUR 2,000.00, not settled. Its rejected line of
/// July 2019 (same reason in this file) is not of 2021 and is not counted.
#[test]
fn lines_submitted_after_31_march_2022_are_not_settled_and_the_statement_says_so() {
    let mut rows = lines();
    for (date, cents) in [((2021, 12, 10), 150_000), ((2021, 12, 20), 50_000)] {
        rows.push(L {
            claimed: cents,
            granted: 0,
            decision: "rejected",
            ..l("00000001", "200000001", "1034", date, 0)
        });
    }
    let rows: Vec<results_file::Row> = rows
        .iter()
        .map(|r| results_file::Row {
            agb: r.agb,
            bsn: r.bsn,
            prestatie: r.prestatie,
            date: NaiveDate::from_ymd_opt(r.date.0, r.date.1, r.date.2).unwrap(),
            claimed: r.claimed,
            granted: r.granted,
            decision: r.decision,
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.parquet");
    results_file::write(
        &path,
        &rows,
        ("0613", "ZK-WV-SUBMITTED-LATE"),
        "district-nursing-2021@2.0 sha256:00",
    );
    let all = settle_nursing(&rules(), &[path], &terms(), None).unwrap();
    let small = by_agb(&all, "00000001");
    assert_eq!(small.euro("production"), Some(eur("90000.00")));
    assert_eq!(small.total, Some(eur("72100.00")));
    let late = small
        .line("submitted_late")
        .expect("a line for the late claims");
    assert_eq!(late.amount, zorginkoop_settle::Amount::Euro(eur("2000.00")));
    assert!(late.label.contains("Na 31-3-2022"), "{}", late.label);
    assert!(
        late.calculation.contains("2 declaratieregels"),
        "{}",
        late.calculation
    );
    assert!(late.source.quote.contains("uiterlijk 31 maart 2022"));
    // the others claimed in time: no such line
    assert!(by_agb(&all, "00000002").line("submitted_late").is_none());
}
