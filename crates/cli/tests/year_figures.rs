//! `zorginkoop settle fgv` as a user runs it: measurement results in, a score (or an
//! indication) per practice out, per formulary group.

use std::path::Path;
use std::process::Command;

fn zorginkoop(args: &[&str]) -> (bool, String, String) {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let out = Command::new(env!("CARGO_BIN_EXE_zorginkoop"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fgv_scores_per_formulary_with_published_thresholds_and_indications_without() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("meting.csv");
    let t = dir.path().join("grenzen.csv");
    std::fs::write(
        &m,
        "practice_agb,formulary,conform_first_prescriptions,total_first_prescriptions\n\
         01000001,NHG,80,100\n01000002,NHG,70,100\n01000003,NHG,90,120\n01000004,NHG,170,200\n\
         01000005,Long,65,100\n",
    )
    .unwrap();
    std::fs::write(&t, "formulary,x,y,z\nLong,60,70,80\n").unwrap();
    let (m, t) = (m.to_str().unwrap(), t.to_str().unwrap());
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "fgv",
        "--measurements",
        m,
        "--thresholds",
        t,
        "--year",
        "2022",
    ]);
    assert!(ok, "{err}");
    assert!(
        text.contains("meetjaar 2022 (1-1-2022 t/m 31-12-2022)"),
        "{text}"
    );
    assert!(text.contains("01000005  FGV1 65 %  score B"), "{text}");
    assert!(
        text.contains("01000004  FGV1 85 %  indicatie D (geen score)"),
        "{text}"
    );

    let (ok, json, err) = zorginkoop(&[
        "settle",
        "fgv",
        "--measurements",
        m,
        "--year",
        "2022",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "zorginkoop.fgv-year/1");
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);

    // a year outside the policy's period is refused, in Dutch
    let (ok, _, err) = zorginkoop(&["settle", "fgv", "--measurements", m, "--year", "2019"]);
    assert!(!ok);
    assert!(
        err.contains("meetjaar 2019 valt buiten de looptijd"),
        "{err}"
    );
}

/// `zorginkoop settle kwetsbare-ouderen`: 1.000 persons 75+ × 28 % = 280 frail elderly ×
/// € 40,00 (the EXAMPLE tariff of 2026) = € 11.200,00; 2.500 × 28 % = 700 × € 40,00 =
/// € 28.000,00; together 980 frail elderly and € 39.200,00.
#[test]
fn frail_elderly_budget_per_regio_organisatie_with_a_total() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("aantallen.csv");
    std::fs::write(&c, "ro_agb,persons_75_plus\n02000001,1000\n02000002,2500\n").unwrap();
    let c = c.to_str().unwrap();
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "kwetsbare-ouderen",
        "--counts",
        c,
        "--year",
        "2026",
    ]);
    assert!(ok, "{err}");
    let squeezed: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for want in [
        "02000001 1.000 280 € 11.200,00",
        "02000002 2.500 700 € 28.000,00",
        "totaal 3.500 980 € 39.200,00",
    ] {
        assert!(squeezed.iter().any(|l| l == want), "{want}: {text}");
    }
    assert!(text.contains("(VOORBEELDWAARDE)"), "{text}");

    let (ok, json, err) = zorginkoop(&[
        "settle",
        "kwetsbare-ouderen",
        "--counts",
        c,
        "--year",
        "2026",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "zorginkoop.frail-elderly-year/1");
    assert_eq!(v["total_budget"], "39200.00");
    assert_eq!(v["tariff_is_example"], true);
    assert_eq!(v["rows"][0]["ro_agb"], "02000001");
    assert!(!v["sources"].as_array().unwrap().is_empty());

    // a year outside oi-2026-2027 is refused, in Dutch
    let (ok, _, err) = zorginkoop(&[
        "settle",
        "kwetsbare-ouderen",
        "--counts",
        c,
        "--year",
        "2028",
    ]);
    assert!(!ok);
    assert!(err.contains("2028 valt buiten de looptijd"), "{err}");
}

/// `zorginkoop settle kbz-monitor` for Q2 2026 shows 2023-2025: msz 2025 actual 1.250.000
/// against expected 1.300.000 is -€ 50.000,00, -50.000 / 1.300.000 = -3,846 % → -3,8 %; the
/// missing years show "ontbreekt"; the 2021 row is ignored.
#[test]
fn kbz_monitor_per_practice_over_the_three_years_before() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("spiegel.csv");
    std::fs::write(
        &f,
        "practice_agb,year,domain,actual,expected\n\
         01000001,2025,msz,1250000,1300000\n\
         01000001,2025,anw,110,100\n\
         01000001,2021,msz,1,1\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "kbz-monitor",
        "--praktijkspiegel",
        f,
        "--year",
        "2026",
    ]);
    assert!(ok, "{err}");
    let squeezed: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for want in [
        "Praktijk 01000001",
        "2025 MSZ-kosten € 1.250.000,00 € 1.300.000,00 -€ 50.000,00 -3,8 %",
        "2025 ANW/HAP/HDS consulten en visites 110,00 100,00 10,00 10,0 %",
        "2023 MSZ-kosten ontbreekt",
        "2025 GGZ-kosten ontbreekt",
    ] {
        assert!(squeezed.iter().any(|l| l == want), "{want}: {text}");
    }
    assert!(
        text.contains("1 regel met een jaar buiten 2023-2025 genegeerd (2021)"),
        "{text}"
    );

    let (ok, json, err) = zorginkoop(&[
        "settle",
        "kbz-monitor",
        "--praktijkspiegel",
        f,
        "--year",
        "2026",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "zorginkoop.kbz-monitor/1");
    assert_eq!(v["years"], serde_json::json!([2023, 2024, 2025]));
    let y2025 = &v["practices"][0]["years"][2];
    assert_eq!(y2025["year"], 2025);
    assert_eq!(y2025["domains"][0]["domain"], "msz");
    assert_eq!(y2025["domains"][0]["difference"], "-50000");
    assert_eq!(y2025["domains"][0]["difference_percentage"], "-3.8");
    assert_eq!(y2025["domains"][1]["missing"], true);
    assert_eq!(y2025["domains"][1]["actual"], serde_json::Value::Null);
    assert_eq!(v["ignored_rows"], 1);
}

#[test]
fn a_bad_praktijkspiegel_row_names_the_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("spiegel.csv");
    std::fs::write(
        &f,
        "practice_agb,year,domain,actual,expected\n01000001,2025,msz,1,1\n01000001,2025,hap,1,1\n",
    )
    .unwrap();
    let (ok, _, err) = zorginkoop(&[
        "settle",
        "kbz-monitor",
        "--praktijkspiegel",
        f.to_str().unwrap(),
        "--year",
        "2026",
    ]);
    assert!(!ok);
    assert!(err.contains("spiegel.csv, regel 3, veld domain"), "{err}");
    assert!(err.contains("`hap` is geen domein"), "{err}");
}
