//! The `zorginkoop` binary as a user runs it, on the shipped policies and examples.

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
fn policy_list_shows_both_gp_documents() {
    let (ok, out, err) = zorginkoop(&["policy", "list"]);
    assert!(ok, "{err}");
    assert!(out.contains("gp-2020-2021"), "{out}");
    assert!(out.contains("gp-2022-2023"), "{out}");
}

#[test]
fn policy_validate_finds_every_quote() {
    let (ok, out, err) = zorginkoop(&["policy", "validate"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("elk citaat gevonden"), "{out}");
}

#[test]
fn policy_diff_between_the_two_gp_documents_lists_changes() {
    let (ok, out, err) = zorginkoop(&["policy", "diff", "gp-2020-2021", "gp-2022-2023", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes = v["changes"].as_array().unwrap();
    // 001 introduces the POH-S supplement module, which 000 does not have
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "added" && c["item"].as_str().unwrap().contains("poh-s")),
        "{out}"
    );
}

#[test]
fn decide_explains_with_citations() {
    let examples = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"));
    let mut n = 0;
    for e in std::fs::read_dir(examples).unwrap().flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let (ok, out, err) = zorginkoop(&["decide", "--case", path.to_str().unwrap(), "--explain"]);
        assert!(ok, "{}: {err}", path.display());
        assert!(out.contains("Beslissing voor"), "{out}");
        assert!(out.contains(".txt · "), "no citation in {out}");
        let (ok, json, err) = zorginkoop(&["decide", "--case", path.to_str().unwrap(), "--json"]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["receipt"]["policy_sha256"].as_str().unwrap().len(), 64);
        n += 1;
    }
    assert!(n >= 3, "expected example cases, found {n}");
}

#[test]
fn calc_list_names_every_calculator_and_calc_answers_json() {
    let (ok, out, err) = zorginkoop(&["calc", "--list", "--json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for want in [
        "poh-ggz-hours",
        "oaw-hours",
        "poh-s-supplement",
        "fgv-score",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let input = std::env::temp_dir().join(format!("zk-calc-{}.json", std::process::id()));
    std::fs::write(&input, r#"{"registered_patients": 4700}"#).unwrap();
    let (ok, out, err) = zorginkoop(&["calc", "poh-ggz-hours", "--input", input.to_str().unwrap()]);
    std::fs::remove_file(&input).ok();
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 12 hours per 2,350 patients: twice the norm practice gets 24 hours
    let hours: rust_decimal::Decimal = v["output"]["max_hours_per_week"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(hours, rust_decimal::Decimal::from(24));
}

#[test]
fn errors_name_the_file_line_and_problem() {
    let bad = std::env::temp_dir().join(format!("zk-bad-{}.json", std::process::id()));
    std::fs::write(&bad, "{\n \"provider\": \n").unwrap();
    let (ok, _, err) = zorginkoop(&[
        "decide",
        "--policy",
        "gp-2022-2023",
        "--case",
        bad.to_str().unwrap(),
    ]);
    std::fs::remove_file(&bad).ok();
    assert!(!ok);
    assert!(err.contains("zk-bad-") && err.contains(":3:"), "{err}");
    let (ok, _, err) = zorginkoop(&["calc", "no-such-calculator", "--input", "-"]);
    assert!(!ok);
    assert!(
        err.contains("onbekende rekentool `no-such-calculator`"),
        "{err}"
    );
}

#[test]
fn a_bad_context_file_is_reported_once_in_dutch_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = dir.path().join("context");
    std::fs::create_dir(&ctx).unwrap();
    std::fs::write(
        ctx.join("contracts.csv"),
        "provider_agb,module,prestatie_codes,start,end,tariff_cents,ceiling_cents,contract_type\n\
         01012181,smr,,2022-13-01,,2500,,regular\n",
    )
    .unwrap();
    std::fs::write(ctx.join("chains.csv"), "bsn,chain,from,to\n").unwrap();
    std::fs::write(
        ctx.join("insured.csv"),
        "bsn,uzovi,birth_date,postcode,from,to\n",
    )
    .unwrap();
    let claims = dir.path().join("lines.csv");
    std::fs::write(
        &claims,
        "provider_agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference\n",
    )
    .unwrap();
    let (ok, _, err) = zorginkoop(&[
        "claims",
        "check",
        "--no-history",
        "-q",
        "--context",
        ctx.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
        claims.to_str().unwrap(),
    ]);
    assert!(!ok);
    let want =
        "contracts.csv, regel 2, kolom `start`: \"2022-13-01\" is geen geldige datum JJJJ-MM-DD";
    assert!(err.contains(want), "{err}");
    assert_eq!(err.matches("regel 2").count(), 1, "shown once: {err}");
}

#[test]
fn demo_starts_on_sqlite_with_demo_contracts_and_keeps_its_decisions() {
    let db = std::env::temp_dir().join(format!("zk-demo-{}.db", std::process::id()));
    std::fs::remove_file(&db).ok();
    let (ok, out, err) = zorginkoop(&["demo", "--no-serve", "--db", db.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("(SQLite): 5 contracten"), "{out}");
    assert!(out.contains("Beslissingen in"), "{out}");
    // a second run adds its decisions to the same database, contracts are not seeded twice
    let (ok, out2, err) = zorginkoop(&["demo", "--no-serve", "--db", db.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out2.contains("(SQLite): 5 contracten"), "{out2}");
    let count = |s: &str| -> u64 {
        let line = s
            .lines()
            .find(|l| l.starts_with("Beslissingen in"))
            .unwrap();
        line.split(": ")
            .skip(1)
            .flat_map(|part| part.split(", "))
            .filter_map(|kv| kv.rsplit(' ').next().and_then(|n| n.parse::<u64>().ok()))
            .sum()
    };
    assert_eq!(count(&out2), 2 * count(&out), "{out}\n{out2}");
    std::fs::remove_file(&db).ok();
}

/// `zorginkoop ... | head` ends quietly when the reader goes away (as other command-line tools
/// do), without a panic on the broken pipe.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    // more than a pipe buffer (64 KiB), so the writer meets the closed pipe
    let mut child = Command::new(env!("CARGO_BIN_EXE_zorginkoop"))
        .args(["policy", "show", "gp-2022-2023", "--json"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        out.status.signal(),
        Some(libc_sigpipe()),
        "{:?}",
        out.status
    );
}

#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13 // SIGPIPE on Linux and the BSDs
}

/// Several processes creating and seeding one new database at once all succeed, and each demo
/// contract is stored once.
#[test]
fn concurrent_seeding_of_a_new_database_succeeds_and_adds_each_contract_once() {
    let dir = std::env::temp_dir().join(format!("zk-race-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("race.db");
    let procs: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_zorginkoop"))
                .args(["contracts", "seed-demo", "--db", db.to_str().unwrap()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for p in procs {
        let out = p.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let csv = dir.join("contracts.csv");
    let (ok, out, err) = zorginkoop(&[
        "contracts",
        "export",
        "--db",
        db.to_str().unwrap(),
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("5 contracten geschreven"),
        "the 5 demo contracts once: {out}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("01000001,")),
        "the GP's AGB keeps its leading zero: {text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn policy_show_lists_the_duties_during_the_contract() {
    let (ok, out, err) = zorginkoop(&["policy", "show", "district-nursing-2021"]);
    assert!(ok, "{err}");
    assert!(out.contains("Plichten tijdens de overeenkomst:"), "{out}");
    assert!(out.contains("subcontractor-list"), "{out}");
    assert!(!out.contains("Quarterly"), "start dates in Dutch: {out}");
}

#[test]
fn example_parameters_are_overridden_per_request_and_shown() {
    let tmp = std::env::temp_dir();
    let input = tmp.join(format!("zk-param-{}.json", std::process::id()));
    std::fs::write(
        &input,
        r#"{"registered_patients": 2000, "total_hours_per_week": 10}"#,
    )
    .unwrap();
    let (ok, out, err) = zorginkoop(&[
        "calc",
        "poh-s-supplement",
        "--input",
        input.to_str().unwrap(),
        "--param",
        "poh-s.hourly-cost=60",
        "--param",
        "poh-s.weeks-per-year=40",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 10 hours a week at 60 euro for 40 weeks
    assert_eq!(v["output"]["total_cost_per_year"], "24000");
    assert_eq!(v["receipt"]["overrides"][0]["id"], "poh-s.hourly-cost");
    assert_eq!(v["receipt"]["overrides"][0]["policy_value"], "50.00");
    let (ok, _, err) = zorginkoop(&[
        "calc",
        "poh-s-supplement",
        "--input",
        input.to_str().unwrap(),
        "--param",
        "poh-s.supplement-ratio=0.5",
    ]);
    std::fs::remove_file(&input).ok();
    assert!(!ok);
    assert!(err.contains("`poh-s.supplement-ratio`"), "{err}");

    let case = tmp.join(format!("zk-param-case-{}.json", std::process::id()));
    std::fs::write(
        &case,
        r#"{"policy": "gp-2022-2023", "modules": ["poh-ggz"],
            "provider": {"name": "P", "kind": "practice"},
            "parameters": {"poh-ggz.tariff-per-patient": "7.25"}}"#,
    )
    .unwrap();
    let (ok, out, err) = zorginkoop(&["decide", "--case", case.to_str().unwrap(), "--explain"]);
    std::fs::remove_file(&case).ok();
    assert!(ok, "{err}");
    assert!(out.contains("Aangepaste parameters"), "{out}");
    assert!(
        out.contains("poh-ggz.tariff-per-patient = 7.25 (beleid: "),
        "{out}"
    );
}
