//! `zorginkoop demo`: the product on its embedded default — a SQLite database with demo
//! contracts, the policies, a decision for every example provider under `examples/` (kept in
//! the database's audit trail with receipt and trace), and the timeline of each policy.

use crate::{PolicyDir, parse_date, read_json_or_toml};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_engine::{Case, Decision, calendar, decide};
use zorginkoop_store::{DecisionRow, Store, demo_contracts};

#[derive(Args)]
pub struct DemoArgs {
    /// Directory with example case files (default: ./examples, or the repository's examples/)
    #[arg(long, value_name = "DIR")]
    examples: Option<PathBuf>,
    /// Show the full trace with citations for every decision
    #[arg(long)]
    explain: bool,
    /// SQLite database (created with demo contracts when new)
    #[arg(long, value_name = "FILE", default_value = "zorginkoop-demo.db")]
    db: PathBuf,
    /// Reference date for the timelines (default: each policy's period start)
    #[arg(long, value_parser = parse_date)]
    date: Option<NaiveDate>,
    #[command(flatten)]
    dir: PolicyDir,
}

fn examples_dir(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let local = PathBuf::from("examples");
        if local.is_dir() {
            local
        } else {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))
        }
    })
}

pub fn run(args: DemoArgs) -> Result<ExitCode> {
    let set = args.dir.load()?;
    println!("zorginkoop {} — demo\n", env!("CARGO_PKG_VERSION"));
    println!("Beleidsdocumenten ({}):", args.dir.dir().display());
    for p in &set.policies {
        let m = &p.file.policy;
        println!(
            "  {:<24} {} – {}  {} modules  {}",
            p.id(),
            m.period_start,
            m.period_end,
            p.file.modules.len(),
            m.title
        );
    }
    let mut store =
        Store::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    if store.contracts()?.is_empty() {
        store.insert_contracts(&demo_contracts())?;
    }
    println!(
        "\nDatabase {} (SQLite): {} contracten",
        args.db.display(),
        store.contracts()?.len()
    );
    let dir = examples_dir(args.examples);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read examples in {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    println!("\nVoorbeeldaanvragen ({}):\n", dir.display());
    let mut shown = 0;
    for f in &files {
        let case: Case = serde_json::from_value(read_json_or_toml(f)?)
            .with_context(|| format!("{}: not a valid case", f.display()))?;
        let Some(policy) = case.policy.as_deref().and_then(|id| set.get(id)) else {
            continue;
        };
        let date = case.request_date.unwrap_or(policy.file.policy.period_start);
        let decision = decide(policy, &case, date).with_context(|| f.display().to_string())?;
        store.record_decisions(&rows(&decision)?)?;
        println!("── {} ──", f.display());
        print!(
            "{}",
            crate::decide_cmd::render_decision(&decision, args.explain)
        );
        println!();
        shown += 1;
    }
    println!("Tijdpaden:");
    for p in &set.policies {
        let date = args.date.unwrap_or(p.file.policy.period_start);
        match calendar::timeline(p, date).next_due() {
            Some((d, m)) => println!("  {:<24} op {date}: eerstvolgend {d} {}", p.id(), m.label),
            None => println!("  {:<24} op {date}: geen termijnen meer", p.id()),
        }
    }
    let counts: Vec<String> = store
        .decision_counts()?
        .iter()
        .map(|(o, n)| format!("{o}: {n}"))
        .collect();
    println!(
        "\nBeslissingen in {} (audit met bon en trace): {}",
        args.db.display(),
        counts.join(", ")
    );
    println!(
        "\n{shown} aanvragen beslist. Verder: `zorginkoop policy list`, `zorginkoop decide --case FILE --explain`, `zorginkoop calc --list`."
    );
    Ok(ExitCode::SUCCESS)
}

/// One audit row per module decision.
fn rows(d: &Decision) -> Result<Vec<DecisionRow>> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let r = &d.receipt;
    d.modules
        .iter()
        .map(|m| {
            Ok(DecisionRow {
                decided_at: now.clone(),
                provider_name: d.provider.name.clone(),
                provider_agb: d.provider.agb.clone(),
                provider_kind: d.provider.kind.as_str().to_string(),
                policy_id: r.policy_id.clone(),
                policy_version: r.policy_version.clone(),
                policy_sha256: r.policy_sha256.clone(),
                engine_version: r.engine_version.clone(),
                reference_date: r.reference_date.to_string(),
                module: m.module.clone(),
                outcome: serde_json::to_value(m.outcome)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                earliest_start: m.earliest_start.map(|s| s.to_string()),
                trace_json: serde_json::to_string(&m.steps)?,
            })
        })
        .collect()
}
