//! `zorginkoop settle nursing` as a user runs it after `claims generate` and `claims check`.

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
fn settles_the_checked_claims_of_a_generated_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = |p: &str| d.join(p).to_str().unwrap().to_string();
    let (ok, _, err) = zorginkoop(&[
        "claims",
        "generate",
        "--lines",
        "3000",
        "--seed",
        "7",
        "--out",
        &s("gen"),
    ]);
    assert!(ok, "{err}");
    let files: Vec<String> = std::fs::read_dir(d.join("gen/claims"))
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    let mut args = vec!["claims", "check", "--no-history", "-q", "--context"];
    let ctx = s("gen/context");
    let out = s("out");
    args.extend([ctx.as_str(), "--out", out.as_str()]);
    args.extend(files.iter().map(String::as_str));
    let (_, _, err) = zorginkoop(&args);
    let results = s("out/results.parquet");
    assert!(Path::new(&results).exists(), "{err}");

    let (ok, json, err) = zorginkoop(&["settle", "nursing", "--results", &results, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let all = v.as_array().unwrap();
    assert!(
        !all.is_empty(),
        "the generated year has district nursing claims"
    );
    for st in all {
        assert_eq!(st["schema"], "zorginkoop.settlement.district-nursing/1");
        assert_eq!(st["policy"]["id"], "district-nursing-2021");
        assert!(
            st["lines"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| l["source"]["quote"].as_str().is_some_and(|q| !q.is_empty()))
        );
    }
    let agb = all[0]["provider_agb"].as_str().unwrap().to_string();
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        &results,
        "--provider",
        &agb,
    ]);
    assert!(ok, "{err}");
    assert!(
        text.starts_with(&format!(
            "Afrekening wijkverpleging 2021 - zorgaanbieder {agb}"
        )),
        "{text}"
    );
    assert!(text.contains("bron: 004_ff397b22ce59c05b.txt"), "{text}");

    let (ok, _, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        &results,
        "--provider",
        "123",
    ]);
    assert!(!ok);
    assert!(err.contains("AGB-code `123` is ongeldig"), "{err}");

    // recorded for the portal: once, all providers, in one run
    let db = s("portal.db");
    let (ok, _, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        &results,
        "--db",
        &db,
        "--by",
        "afdeling zorginkoop",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("Afrekenrun 1 vastgelegd"), "{err}");
    assert!(
        err.contains(&format!("{} afrekeningen", all.len())),
        "{err}"
    );
    let (ok, _, err) = zorginkoop(&["settle", "nursing", "--results", &results, "--db", &db]);
    assert!(ok, "{err}");
    assert!(
        err.contains("al vastgelegd als afrekenrun 1"),
        "the same inputs are not settled twice: {err}"
    );
    // a run settles every provider: not with --provider
    let (ok, _, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        &results,
        "--db",
        &db,
        "--provider",
        &agb,
    ]);
    assert!(!ok, "{err}");

    // with the register (--context) the efficiency model gives the regular providers a group:
    // the generated year has new, small and regular providers, and every statement is complete
    let (ok, json, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        &results,
        "--context",
        &ctx,
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cats: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        cats.into_iter().collect::<Vec<_>>(),
        ["new", "regular", "small"],
        "{json}"
    );
    for st in v.as_array().unwrap() {
        assert!(!st["total"].is_null(), "{st}");
        if st["category"] == "regular" {
            let group = st["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["step"] == "efficiency_group")
                .unwrap();
            assert!(
                group["calculation"]
                    .as_str()
                    .unwrap()
                    .starts_with("berekend met het doelmatigheidsmodel"),
                "{group}"
            );
        }
    }
    // the same run with --context is another input: recorded as a new run
    let (ok, _, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        &results,
        "--context",
        &ctx,
        "--db",
        &db,
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("Afrekenrun 2 vastgelegd"), "{err}");
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "efficiency",
        "--results",
        &results,
        "--context",
        &ctx,
    ]);
    assert!(ok, "{err}");
    assert!(text.contains("Kleinste kwadraten over"), "{text}");
    let (ok, json, err) = zorginkoop(&[
        "settle",
        "ratio",
        "--results",
        &results,
        "--context",
        &ctx,
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(!v.as_array().unwrap().is_empty());
    for r in v.as_array().unwrap() {
        assert_eq!(r["schema"], "zorginkoop.client-postcode-ratio/1");
        assert!(
            r["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["step"] == "client_postcode_ratio")
        );
    }
}

/// `--engine ballista` in a build without the feature says so, in Dutch, and how to build it.
#[cfg(not(feature = "ballista"))]
#[test]
fn ballista_needs_the_feature() {
    let (ok, out, err) = zorginkoop(&[
        "settle",
        "nursing",
        "--results",
        "no-such-results.parquet",
        "--engine",
        "ballista",
    ]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("deze zorginkoop is gebouwd zonder Ballista; bouw met --features ballista"),
        "{err}"
    );
}
