//! O&I year figures (document 002): the budget Kwetsbare ouderen per regio-organisatie and the
//! Krachtige Basiszorg monitor per practice.
//!
//! Worked by hand (tariff per frail person: the policy file's EXAMPLE values, € 40,00 in 2026
//! and € 41,20 in 2027; 28 % of the 75-plussers is frail):
//! * 1.000 persons 75+ × 28 % = 280 frail elderly × € 40,00 = € 11.200,00 (2026);
//!   in 2027 280 × € 41,20 = € 11.536,00.
//! * 1.001 persons 75+ × 28 % = 280,28 frail elderly (not rounded to whole persons) × € 40,00 =
//!   € 11.211,20; in 2027 280,28 × € 41,20 = € 11.547,536, rounded € 11.547,54.
//! * An RO with 0 persons 75+ gets € 0,00. Total 2026: 2.001 persons, 560,28 frail, € 22.411,20.
//!
//! KBZ monitor shared in Q2 2026: the 3 years before, 2023-2025.
//! * msz 2025 actual 1.250.000 expected 1.300.000: −50.000,00, −50.000 / 1.300.000 = −3,846 %
//!   → −3,8 % (lower than expected: favourable).
//! * ggz 2025 actual 210.000,50 expected 200.000: +10.000,50, 5,00025 % → 5,0 %.
//! * farmacie 2025 expected 0: difference 300.000, no percentage.
//! * anw 2025 412,5 against 400: 12,5, 3,125 % → 3,1 %; anw 101,25 against 100: 1,25 % → 1,3 %,
//!   98,75 against 100: −1,25 % → −1,3 % (half away from zero).
//! * 2023 has no figures for the first practice: every domain "ontbreekt", never 0.
//! * rows of 2022 and 2026 fall outside 2023-2025: 2 rows ignored.

use rust_decimal::Decimal;
use std::path::Path;
use zorginkoop_app::frail_elderly::{frail_elderly_year, parse_counts};
use zorginkoop_app::kbz_monitor::{Domain, kbz_monitor, parse_figures};
use zorginkoop_app::policies;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn oi() -> zorginkoop_app::policy::Policy {
    policies::Source::Embedded.open("oi-2026-2027").unwrap()
}

const COUNTS: &str = "ro_agb,persons_75_plus
02000002,1001
02000001,1000
02000003,0
";

#[test]
fn a_thousand_persons_75_plus_are_280_frail_elderly_at_the_tariff_of_the_year() {
    let c = parse_counts(Path::new("aantallen.csv"), COUNTS).unwrap();
    let y = frail_elderly_year(&oi(), 2026, &c).unwrap();
    assert_eq!(y.schema, "zorginkoop.frail-elderly-year/1");
    let row = |agb: &str| y.rows.iter().find(|r| r.ro_agb == agb).unwrap();

    assert_eq!(row("02000001").frail_elderly, d("280"));
    assert_eq!(row("02000001").budget, d("11200.00"));
    assert_eq!(row("02000002").frail_elderly, d("280.28"));
    assert_eq!(row("02000002").budget, d("11211.20"));
    assert_eq!(row("02000003").budget, d("0"));
    assert_eq!(y.total_persons_75_plus, 2001);
    assert_eq!(y.total_frail_elderly, d("560.28"));
    assert_eq!(y.total_budget, d("22411.20"));
    assert!(y.tariff_is_example, "the document names no tariff");
    assert_eq!(y.rows[0].ro_agb, "02000001", "sorted by AGB code");

    let y27 = frail_elderly_year(&oi(), 2027, &c).unwrap();
    assert_eq!(y27.tariff_per_frail_person, d("41.20"));
    let row = |agb: &str| y27.rows.iter().find(|r| r.ro_agb == agb).unwrap();
    assert_eq!(row("02000001").budget, d("11536.00"));
    assert_eq!(row("02000002").budget, d("11547.54"));
    assert_eq!(y27.total_budget, d("23083.54"));

    let text = y.to_text();
    assert!(text.contains("Budget Kwetsbare ouderen 2026"), "{text}");
    assert!(
        text.contains("tarief per kwetsbare oudere € 40,00 (VOORBEELDWAARDE)"),
        "{text}"
    );
    assert!(
        text.contains("voorbeeldwaarde, geen gepubliceerd bedrag"),
        "{text}"
    );
    let line = |start: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("02000001"), "02000001 1.000 280 € 11.200,00");
    assert_eq!(line("02000002"), "02000002 1.001 280,28 € 11.211,20");
    assert_eq!(line("totaal"), "totaal 2.001 560,28 € 22.411,20");
    assert!(
        text.contains("gemiddeld 28% van de 75-plussers kwetsbaar is"),
        "cites the passage: {text}"
    );
    assert!(text.contains("Zorginkoopportaal van VECOZO"), "{text}");
}

#[test]
fn a_year_outside_the_o_and_i_period_is_refused() {
    let c = parse_counts(Path::new("aantallen.csv"), COUNTS).unwrap();
    let e = frail_elderly_year(&oi(), 2025, &c).unwrap_err().to_string();
    assert!(
        e.contains("2025 valt buiten de looptijd van oi-2026-2027"),
        "{e}"
    );
}

#[test]
fn bad_counts_name_the_file_line_and_field() {
    let p = Path::new("aantallen.csv");
    let head = "ro_agb,persons_75_plus\n";
    for (body, line, field) in [
        ("2000001,100\n", 2, "ro_agb"),
        ("0200000A,100\n", 2, "ro_agb"),
        ("02000001,-5\n", 2, "persons_75_plus"),
        ("02000001,12.5\n", 2, "persons_75_plus"),
        ("02000001,1\n02000001,2\n", 3, "ro_agb"),
    ] {
        let e = parse_counts(p, &format!("{head}{body}"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!("aantallen.csv, regel {line}, veld {field}")),
            "{body}: {e}"
        );
    }
    // leading zeros are kept: the AGB code is text
    let c = parse_counts(p, "ro_agb,persons_75_plus\n00000042,1\n").unwrap();
    assert_eq!(c[0].ro_agb, "00000042");
}

const PRAKTIJKSPIEGEL: &str = "practice_agb,year,domain,actual,expected
01000001,2025,msz,1250000,1300000
01000001,2025,ggz,210000.50,200000
01000001,2025,farmacie,300000,0
01000001,2025,anw,412.5,400
01000001,2024,msz,1000000,1000000
01000001,2022,msz,900000,800000
01000001,2026,msz,1,1
01000002,2024,anw,101.25,100
01000002,2023,anw,98.75,100
";

#[test]
fn the_kbz_monitor_shows_actual_against_expected_over_the_three_years_before() {
    let f = parse_figures(Path::new("spiegel.csv"), PRAKTIJKSPIEGEL).unwrap();
    let m = kbz_monitor(&oi(), 2026, &f).unwrap();
    assert_eq!(m.schema, "zorginkoop.kbz-monitor/1");
    assert_eq!(m.years, vec![2023, 2024, 2025]);
    assert_eq!(m.shared_from.to_string(), "2026-04-01");
    assert_eq!(
        m.shared_until.map(|d| d.to_string()).as_deref(),
        Some("2026-06-30")
    );
    assert_eq!(
        (m.ignored_rows, m.ignored_years.clone()),
        (2, vec![2022, 2026])
    );
    assert_eq!(m.practices.len(), 2);

    let cell = |agb: &str, year: i32, dom: Domain| {
        m.practices
            .iter()
            .find(|p| p.practice_agb == agb)
            .unwrap()
            .years
            .iter()
            .find(|y| y.year == year)
            .unwrap()
            .domains
            .iter()
            .find(|c| c.domain == dom)
            .unwrap()
            .clone()
    };
    let msz = cell("01000001", 2025, Domain::Msz);
    assert_eq!(msz.difference, Some(d("-50000")));
    assert_eq!(msz.difference_percentage, Some(d("-3.8")));
    let ggz = cell("01000001", 2025, Domain::Ggz);
    assert_eq!(ggz.difference, Some(d("10000.50")));
    assert_eq!(ggz.difference_percentage, Some(d("5.0")));
    let farm = cell("01000001", 2025, Domain::Farmacie);
    assert_eq!(farm.difference, Some(d("300000")));
    assert_eq!(
        farm.difference_percentage, None,
        "expected 0: no percentage"
    );
    let anw = cell("01000001", 2025, Domain::Anw);
    assert_eq!(
        (anw.unit, anw.difference_percentage),
        ("count", Some(d("3.1")))
    );
    assert_eq!(
        cell("01000001", 2024, Domain::Msz).difference_percentage,
        Some(d("0"))
    );
    assert_eq!(
        cell("01000002", 2024, Domain::Anw).difference_percentage,
        Some(d("1.3"))
    );
    assert_eq!(
        cell("01000002", 2023, Domain::Anw).difference_percentage,
        Some(d("-1.3"))
    );

    let missing = cell("01000001", 2023, Domain::Msz);
    assert!(missing.missing);
    assert_eq!(
        (missing.actual, missing.difference),
        (None, None),
        "never zero"
    );
    assert!(cell("01000001", 2024, Domain::Ggz).missing);

    let text = m.to_text();
    let lines = |agb: &str| -> Vec<String> {
        text.split("\nPraktijk ")
            .find(|b| b.starts_with(agb))
            .unwrap_or_else(|| panic!("{agb}: {text}"))
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let p1 = lines("01000001");
    let has = |ls: &[String], want: &str| assert!(ls.iter().any(|l| l == want), "{want}: {text}");
    has(
        &p1,
        "2025 MSZ-kosten € 1.250.000,00 € 1.300.000,00 -€ 50.000,00 -3,8 %",
    );
    has(
        &p1,
        "2025 GGZ-kosten € 210.000,50 € 200.000,00 € 10.000,50 5,0 %",
    );
    has(
        &p1,
        "2025 Farmacie zorgkosten € 300.000,00 € 0,00 € 300.000,00 -",
    );
    has(
        &p1,
        "2025 ANW/HAP/HDS consulten en visites 412,50 400,00 12,50 3,1 %",
    );
    has(&p1, "2023 MSZ-kosten ontbreekt");
    has(&p1, "2024 GGZ-kosten ontbreekt");
    assert!(
        text.contains(
            "KBZ-monitor 2026 (delen en bespreken 1-4-2026 t/m 30-6-2026), jaren 2023-2025"
        ),
        "{text}"
    );
    assert!(
        text.contains("2 regels met een jaar buiten 2023-2025 genegeerd (2022, 2026)"),
        "{text}"
    );
    assert!(
        text.contains("negatief verschil betekent lagere kosten"),
        "{text}"
    );
    assert!(
        text.contains("exclusief de hoge kosten patiënten"),
        "cites the passage: {text}"
    );

    // 2027 shows 2024-2026: the 2026 row now counts, 2022 and 2023 are ignored
    let m27 = kbz_monitor(&oi(), 2027, &f).unwrap();
    assert_eq!(m27.years, vec![2024, 2025, 2026]);
    assert_eq!((m27.ignored_rows, m27.ignored_years), (2, vec![2022, 2023]));
}

#[test]
fn bad_praktijkspiegel_rows_name_the_file_line_and_field() {
    let p = Path::new("spiegel.csv");
    let head = "practice_agb,year,domain,actual,expected\n";
    for (body, line, field) in [
        ("1000001,2025,msz,1,1\n", 2, "practice_agb"),
        ("01000001,twintig,msz,1,1\n", 2, "year"),
        ("01000001,2025,hap,1,1\n", 2, "domain"),
        ("01000001,2025,msz,-1,1\n", 2, "actual"),
        ("01000001,2025,msz,1,1e3\n", 2, "expected"),
        (
            "01000001,2025,msz,1,1\n01000001,2025,msz,2,2\n",
            3,
            "domain",
        ),
    ] {
        let e = parse_figures(p, &format!("{head}{body}"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!("spiegel.csv, regel {line}, veld {field}")),
            "{body}: {e}"
        );
    }
    let e = kbz_monitor(&oi(), 2028, &[]).unwrap_err().to_string();
    assert!(e.contains("2028 valt buiten de looptijd"), "{e}");
}
