//! FGV year figures (document 001, "Prestatie Formulariumgericht voorschrijven"): "Huisartsen
//! worden altijd vergeleken met huisartsen die hetzelfde formularium gebruiken. Om die reden
//! bepalen we de grenswaarden pas nadat de meetresultaten zijn aangeleverd."
//!
//! Worked by hand:
//! * NHG, four practices: 80/100 = 80 %, 70/100 = 70 %, 90/120 = 75 %, 170/200 = 85 %. No
//!   thresholds published: the quartiles (QUARTILE.INC over 70, 75, 80, 85) are 73,75 %, 77,5 %
//!   and 81,25 %, an INDICATION only: 70 % A, 75 % B, 80 % C, 85 % D.
//! * Long formulary with published thresholds x 60, y 70, z 80: 65/100 = 65 % is B ("> X t/m
//!   Y%"), 3/4 = 75 % is C.
//! * A regional formulary with two practices and no thresholds: no score and no indication.

use rust_decimal::Decimal;
use std::path::Path;
use zorginkoop_app::policies;
use zorginkoop_app::year_figures::{fgv_year, parse_measurements, parse_thresholds};

const MEASUREMENTS: &str =
    "practice_agb,formulary,conform_first_prescriptions,total_first_prescriptions
01000001,NHG,80,100
01000002,NHG,70,100
01000003,NHG,90,120
01000004,NHG,170,200
01000005,Long,65,100
01000006,Long,3,4
01000007,Regio,50,100
01000008,Regio,60,100
";

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn practices_are_scored_against_their_own_formulary_group() {
    let policy = policies::Source::Embedded.open("gp-2022-2023").unwrap();
    let m = parse_measurements(Path::new("meting.csv"), MEASUREMENTS).unwrap();
    let t = parse_thresholds(Path::new("grenzen.csv"), "formulary,x,y,z\nLong,60,70,80\n").unwrap();
    let y = fgv_year(&policy, 2022, &m, &t).unwrap();
    assert_eq!(y.measured_from.to_string(), "2022-01-01");
    assert_eq!(y.measured_to.to_string(), "2022-12-31");
    let row = |agb: &str| y.rows.iter().find(|r| r.practice_agb == agb).unwrap();

    for (agb, pct, band) in [
        ("01000001", "80", "C"),
        ("01000002", "70", "A"),
        ("01000003", "75", "B"),
        ("01000004", "85", "D"),
    ] {
        let r = row(agb);
        assert_eq!(r.fgv1_percentage, d(pct), "{agb}");
        assert_eq!(r.score, None, "{agb}: no thresholds published, so no score");
        assert_eq!(r.indicative_score.as_deref(), Some(band), "{agb}");
        assert_eq!(r.group_size, 4);
        assert_eq!(r.threshold_method, "indication-group-quartiles");
    }
    let q = row("01000001").thresholds.unwrap();
    assert_eq!((q.x, q.y, q.z), (d("73.75"), d("77.5"), d("81.25")));

    assert_eq!(row("01000005").score.as_deref(), Some("B"));
    assert_eq!(row("01000006").score.as_deref(), Some("C"));
    assert_eq!(row("01000006").fgv1_percentage, d("75"));
    assert_eq!(row("01000006").threshold_method, "given");

    let r = row("01000007");
    assert_eq!(
        (r.score.as_deref(), r.indicative_score.as_deref()),
        (None, None)
    );

    let text = y.to_text();
    assert!(text.contains("Formularium NHG (4 praktijken)"), "{text}");
    assert!(
        text.contains("01000001  FGV1 80 %  indicatie C (geen score)"),
        "{text}"
    );
    assert!(text.contains("01000005  FGV1 65 %  score B"), "{text}");
}

#[test]
fn bad_measurement_rows_name_the_file_line_and_field() {
    let p = Path::new("meting.csv");
    let head = "practice_agb,formulary,conform_first_prescriptions,total_first_prescriptions\n";
    for (body, field) in [
        ("1000001,NHG,1,2\n", "practice_agb"),
        ("01000001,NHG,3,2\n", "conform_first_prescriptions"),
        ("01000001,NHG,x,2\n", "conform_first_prescriptions"),
        ("01000001,,1,2\n", "formulary"),
        ("01000001,NHG,1,2\n01000001,NHG,1,2\n", "practice_agb"),
    ] {
        let e = parse_measurements(p, &format!("{head}{body}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("meting.csv, regel"), "{e}");
        assert!(e.contains(field), "{body}: {e}");
    }
    let e = parse_measurements(p, "agb,formularium\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("regel 1"), "{e}");
    let e = parse_thresholds(Path::new("g.csv"), "formulary,x,y,z\nNHG,70,60,80\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("x ≤ y ≤ z"), "{e}");
}
