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
