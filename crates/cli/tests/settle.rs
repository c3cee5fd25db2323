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

/// A generated year, checked: `claims generate --lines LINES --seed SEED` and `claims check`
/// into `d`. Returns the generated file names, the context folder and the results.parquet.
fn generated_and_checked(d: &Path, lines: &str, seed: &str) -> (Vec<String>, String, String) {
    let s = |p: &str| d.join(p).to_str().unwrap().to_string();
    let (ok, _, err) = zorginkoop(&[
        "claims",
        "generate",
        "--lines",
        lines,
        "--seed",
        seed,
        "--out",
        &s("gen"),
    ]);
    assert!(ok, "{err}");
    let files: Vec<String> = std::fs::read_dir(d.join("gen/claims"))
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    let (ctx, out) = (s("gen/context"), s("out"));
    let mut args = vec!["claims", "check", "--no-history", "-q", "--context"];
    args.extend([ctx.as_str(), "--out", out.as_str()]);
    args.extend(files.iter().map(String::as_str));
    let (_, _, err) = zorginkoop(&args);
    let results = s("out/results.parquet");
    assert!(Path::new(&results).exists(), "{err}");
    (files, ctx, results)
}

#[test]
fn settles_the_checked_claims_of_a_generated_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = |p: &str| d.join(p).to_str().unwrap().to_string();
    let (_, ctx, results) = generated_and_checked(d, "3000", "7");

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
        let step = |id: &str| {
            st["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["step"] == id)
                .cloned()
        };
        if st["category"] == "new" {
            // no claims in the reference period and no budget offered in the terms: nothing
            // to compute a budget from, and the statement says so
            assert!(st["total"].is_null(), "{st}");
            assert!(
                st["missing"][0]
                    .as_str()
                    .unwrap()
                    .contains("new_budget_cents"),
                "{st}"
            );
        } else {
            assert!(!st["total"].is_null(), "{st}");
            // with the register: Zorg in de Wijk left out, and the ratio at the end
            assert!(step("reference_zorg_in_de_wijk").is_some(), "{st}");
            assert!(step("client_postcode_ratio").is_some(), "{st}");
        }
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
    // the mirror information of that run compares what the register added: the efficiency
    // model's ratio and the client-per-postcode ratio
    {
        use zorginkoop_app::accounts::{Actor, Role};
        use zorginkoop_app::settlement;
        let store = zorginkoop_app::store::Db::open(&db).unwrap();
        let purchaser = Actor {
            user_id: 0,
            name: "inkoper".into(),
            email: "inkoper@zk.example".into(),
            role: Role::Purchaser,
            organisation_id: 0,
            organisation_name: "Zilveren Kruis".into(),
            organisation_kind: "insurer".into(),
            ip: None,
        };
        let list = settlement::statements(&store, &purchaser, Some(2)).unwrap();
        let regular = list
            .iter()
            .find(|s| s.category == "reguliere zorgaanbieder")
            .expect("a regular provider in run 2");
        let series = settlement::mirror_of_domain(&store, &purchaser, regular.id).unwrap();
        let steps: Vec<&str> = series.iter().map(|s| s.step.as_str()).collect();
        for step in ["efficiency_ratio", "client_postcode_ratio", "production"] {
            assert!(steps.contains(&step), "{step} not in {steps:?}");
        }
    }
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

/// `zorginkoop settle labs` after `claims generate` and `claims check`: the generated year has
/// laboratories (regular and preferred contracts) and a thrombosis service with 2018 and 2020
/// claims, and their terms in `context/lab_terms.csv`.
#[test]
fn settles_the_labs_of_a_generated_year_and_records_them_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = |p: &str| d.join(p).to_str().unwrap().to_string();
    let (files, _, results) = generated_and_checked(d, "20000", "7");
    assert!(
        files.iter().any(|f| f.contains("_2018Q")),
        "laboratories have 2018 claims"
    );
    let terms = s("gen/context/lab_terms.csv");

    let (ok, json, err) = zorginkoop(&[
        "settle",
        "labs",
        "--results",
        &results,
        "--terms",
        &terms,
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let all = v.as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|s| s["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["lab-preferred", "lab-regular", "thrombosis"],
        "{json}"
    );
    let line = |st: &serde_json::Value, step: &str| {
        st["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["step"] == step)
            .cloned()
    };
    let mut grew = false;
    for st in all {
        assert_eq!(st["schema"], "zorginkoop.settlement.diagnostics/1");
        assert_eq!(st["policy"]["id"], "diagnostics-2020");
        assert!(!st["total"].is_null(), "{st}");
        for step in [
            "production",
            "ceiling",
            "orders_per_patient",
            "analyses_per_order",
        ] {
            assert!(line(st, step).is_some(), "{step}: {st}");
        }
        if st["category"] == "lab-preferred" {
            let g = line(st, "orders_per_patient_growth").unwrap();
            let g: f64 = g["amount"]["value"].as_str().unwrap().parse().unwrap();
            grew |= g > 0.025;
            assert!(line(st, "overproduction_condition").is_some(), "{st}");
        }
    }
    assert!(grew, "a preferred laboratory grew more than 2.5 %: {json}");

    let agb = all[0]["provider_agb"].as_str().unwrap().to_string();
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "labs",
        "--results",
        &results,
        "--terms",
        &terms,
        "--provider",
        &agb,
    ]);
    assert!(ok, "{err}");
    assert!(
        text.starts_with(&format!(
            "Afrekening eerstelijnsdiagnostiek en trombosezorg 2020 - zorgaanbieder {agb}"
        )),
        "{text}"
    );
    assert!(text.contains("bron: 003_1002b85ce44c7f66.txt"), "{text}");
    assert!(text.contains("Afgerekend bedrag 2020"), "{text}");

    // recorded for the portal once, in the domain eerstelijnsdiagnostiek
    let db = s("portal.db");
    let settle_db = |by: Option<&str>| {
        let mut a = vec![
            "settle",
            "labs",
            "--results",
            results.as_str(),
            "--terms",
            terms.as_str(),
            "--db",
            db.as_str(),
        ];
        if let Some(by) = by {
            a.extend(["--by", by]);
        }
        zorginkoop(&a)
    };
    let (ok, _, err) = settle_db(Some("afdeling zorginkoop"));
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!(
            "Afrekenrun 1 vastgelegd: {} afrekeningen eerstelijnsdiagnostiek en trombosezorg 2020",
            all.len()
        )),
        "{err}"
    );
    let (ok, _, err) = settle_db(None);
    assert!(ok, "{err}");
    assert!(
        err.contains("al vastgelegd als afrekenrun 1"),
        "the same inputs are not settled twice: {err}"
    );
    let conn = zorginkoop_app::store::Db::open(&db).unwrap();
    let runs = conn
        .read(|tx| tx.query("SELECT domain, year FROM settlement_runs", &[]))
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].text("domain").unwrap(), "eerstelijnsdiagnostiek");
    assert_eq!(runs[0].int("year").unwrap(), 2020);
}

/// The "done when": after `claims generate` and `claims check`, `zorginkoop settle
/// --year 2021 ...` gives statements for every district nursing provider and laboratory, and
/// with `--db` records one run per domain.
#[test]
fn settle_year_2021_settles_every_domain_of_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = |p: &str| d.join(p).to_str().unwrap().to_string();
    let (_, ctx, results) = generated_and_checked(d, "3000", "11");

    let (ok, json, err) = zorginkoop(&[
        "settle",
        "--year",
        "2021",
        "--results",
        &results,
        "--context",
        &ctx,
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let schemas: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["schema"].as_str().unwrap())
        .collect();
    assert_eq!(
        schemas.into_iter().collect::<Vec<_>>(),
        [
            "zorginkoop.settlement.diagnostics/1",
            "zorginkoop.settlement.district-nursing/1"
        ],
        "{json}"
    );
    assert!(v.as_array().unwrap().iter().all(|s| s["year"] == 2021));
    // the context's nursing_terms.csv (written by `claims generate`) offers the new provider a
    // budget: every district nursing provider gets a total, the new one capped at EUR 250,000
    let nursing: Vec<&serde_json::Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["schema"] == "zorginkoop.settlement.district-nursing/1")
        .collect();
    assert!(nursing.iter().any(|s| s["category"] == "new"), "{json}");
    for st in &nursing {
        assert!(!st["total"].is_null(), "{st}");
        assert!(
            st["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["step"] == "post_calculation"),
            "{st}"
        );
    }

    let db = s("portal.db");
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "--year",
        "2021",
        "--results",
        &results,
        "--context",
        &ctx,
        "--db",
        &db,
    ]);
    assert!(ok, "{err}");
    assert!(text.contains("== Wijkverpleging 2021:"), "{text}");
    assert!(
        text.contains("== Eerstelijnsdiagnostiek en trombosezorg 2021:"),
        "{text}"
    );
    assert!(err.contains("Afrekenrun 1 vastgelegd"), "{err}");
    assert!(err.contains("Afrekenrun 2 vastgelegd"), "{err}");

    // the control term of the same claims (chapter 7): claim year 2021 open until 31-12-2023
    let (ok, text, err) = zorginkoop(&[
        "settle",
        "control",
        "--results",
        &results,
        "--on",
        "2023-12-31",
    ]);
    assert!(ok, "{err}");
    assert!(text.contains("Controletermijn wijkverpleging"), "{text}");
    assert!(
        text.contains("materiële controle uiterlijk te starten op 31-12-2023: nog mogelijk"),
        "{text}"
    );

    // a year no policy settles, and no year at all, are refused in Dutch
    let (ok, _, err) = zorginkoop(&["settle", "--year", "2019", "--results", &results]);
    assert!(!ok);
    assert!(err.contains("geen afrekening voor 2019"), "{err}");
    let (ok, _, err) = zorginkoop(&["settle"]);
    assert!(!ok);
    assert!(err.contains("noem een soort afrekening"), "{err}");
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
