//! `zorginkoop settle ...`: settlement statements from the claims checker's results, printed as
//! Dutch text or (`--json`) as JSON, and with `--db` recorded for the portal. Arguments in, the
//! policy opened through `zorginkoop_app`, the DataFusion plans of `zorginkoop_settle` run, the
//! statements recorded through `zorginkoop_app::settlement`, the result printed.
//!
//! The CLI calls `zorginkoop-settle` directly rather than through `app`, so that the portal and
//! the use-case crate do not link DataFusion (see ARCHITECTURE.md).

use crate::PolicyDir;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zorginkoop_app as app;
use zorginkoop_settle::{NursingRules, Statement, TermsSet};

/// The policy district nursing settlement runs under.
pub const NURSING_POLICY: &str = "district-nursing-2021";

#[derive(Subcommand)]
pub enum SettleCommand {
    /// District nursing 2021: basisbudget, overproduction (table 2) and the efficiency
    /// agreement (bijlage 6) per provider, each line citing its passage.
    Nursing(NursingArgs),
    /// The efficiency model of district nursing 2021 (chapter 4): coefficients, and per
    /// regular provider its actual against expected cost per client-month, ratio, group, rank.
    Efficiency(EfficiencyArgs),
    /// The client-per-postcode ratio (klant-werkgebied-ratio, bijlage 3) per provider.
    Ratio(RatioArgs),
}

#[derive(Args)]
pub struct EfficiencyArgs {
    /// results.parquet of `zorginkoop claims check` (repeatable, or a folder).
    #[arg(long, value_name = "FILE.parquet", required = true)]
    results: Vec<PathBuf>,
    /// The context folder of `claims check`: insured.csv (with sex and death_date) and
    /// region_scores.csv.
    #[arg(long, value_name = "DIR")]
    context: PathBuf,
    /// The providers' terms (a 2020 contract decides who is regular).
    #[arg(long, value_name = "FILE.csv")]
    terms: Option<PathBuf>,
    /// JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

#[derive(Args)]
pub struct RatioArgs {
    /// results.parquet of `zorginkoop claims check` (repeatable, or a folder).
    #[arg(long, value_name = "FILE.parquet", required = true)]
    results: Vec<PathBuf>,
    /// The context folder of `claims check` (its insured.csv gives the postcodes).
    #[arg(long, value_name = "DIR")]
    context: PathBuf,
    /// Only this provider (AGB code, 8 digits).
    #[arg(long, value_name = "AGB")]
    provider: Option<String>,
    /// JSON instead of text: an array of reports (shape named by their `schema`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

#[derive(Args)]
pub struct NursingArgs {
    /// results.parquet of `zorginkoop claims check` (repeat the option for several files, or
    /// give a folder of Parquet files).
    #[arg(long, value_name = "FILE.parquet", required = true)]
    results: Vec<PathBuf>,
    /// The providers' terms: CSV with provider_agb first, then any of contract_2020,
    /// efficiency_group, tariff_ref_cents, agreement_improvement, new_budget_cents.
    #[arg(long, value_name = "FILE.csv")]
    terms: Option<PathBuf>,
    /// Only this provider (AGB code, 8 digits).
    #[arg(long, value_name = "AGB")]
    provider: Option<String>,
    /// The context folder of `claims check` (insured.csv with sex and death_date,
    /// region_scores.csv): the reference revenue then leaves out the Zorg in de Wijk
    /// municipalities, the efficiency model computes the group of a regular provider whose
    /// terms give none, and each statement ends with the client-per-postcode ratio.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
    /// JSON instead of text: an array of statements (shape named by their `schema`).
    #[arg(long)]
    json: bool,
    /// Record the statements in the portal's database (a SQLite file or a postgres:// URL), in
    /// one transaction with its audit row; the same inputs recorded again give the run recorded
    /// before. Not with --provider (a run settles every provider).
    #[arg(long, value_name = "FILE|URL", conflicts_with = "provider")]
    db: Option<String>,
    /// Who records the run (the audit log's name for it; default: $USER).
    #[arg(long, value_name = "NAME", requires = "db")]
    by: Option<String>,
    /// Where the DataFusion queries over the results run: `local` (in this process) or
    /// `ballista` (DataFusion's distributed engine, its standalone mode in this process; only in
    /// a build with `--features ballista`). The statements are the same.
    #[arg(long, value_enum, default_value_t = EngineArg::Local)]
    engine: EngineArg,
    #[command(flatten)]
    dir: PolicyDir,
}

/// `--engine`: where the settlement's queries run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// DataFusion in this process.
    Local,
    /// Ballista standalone (scheduler and executor in this process).
    Ballista,
}

/// The engine `--engine` names, or why this build cannot run it.
pub fn engine(e: EngineArg) -> anyhow::Result<zorginkoop_settle::Engine> {
    match e {
        EngineArg::Local => Ok(zorginkoop_settle::Engine::Local),
        #[cfg(feature = "ballista")]
        EngineArg::Ballista => Ok(zorginkoop_settle::Engine::Ballista),
        #[cfg(not(feature = "ballista"))]
        EngineArg::Ballista => anyhow::bail!(
            "deze zorginkoop is gebouwd zonder Ballista; bouw met --features ballista"
        ),
    }
}

pub fn run(cmd: SettleCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SettleCommand::Nursing(a) => {
            let policy = a.dir.source().open(NURSING_POLICY)?;
            let engine = engine(a.engine)?;
            let rules = NursingRules::from_policy(&policy)?;
            let terms = match &a.terms {
                Some(p) => TermsSet::load(p)?,
                None => TermsSet::default(),
            };
            let statements = match &a.context {
                Some(ctx) => {
                    zorginkoop_settle::settle_nursing_with_context_on(
                        engine,
                        &rules,
                        &a.results,
                        &terms,
                        ctx,
                        a.provider.as_deref(),
                    )?
                    .0
                }
                None => zorginkoop_settle::settle_nursing_on(
                    engine,
                    &rules,
                    &a.results,
                    &terms,
                    a.provider.as_deref(),
                )?,
            };
            if a.json {
                println!("{}", serde_json::to_string_pretty(&statements)?);
            } else if statements.is_empty() {
                println!("Geen declaraties wijkverpleging gevonden in de resultaten.");
            } else {
                let texts: Vec<String> = statements.iter().map(|s| s.to_text()).collect();
                print!("{}", texts.join("\n"));
            }
            if let Some(url) = &a.db {
                let run = nursing_run(
                    &rules,
                    &a.results,
                    a.terms.as_deref(),
                    a.context.as_deref(),
                    &statements,
                )?;
                let db = app::store::Db::open(url).with_context(|| format!("database {url}"))?;
                let by =
                    a.by.clone()
                        .or_else(|| std::env::var("USER").ok())
                        .unwrap_or_else(|| "onbekend".into());
                let rec = app::settlement::record_run(&db, &run, &by, chrono::Utc::now())?;
                let say = if rec.new {
                    format!(
                        "Afrekenrun {} vastgelegd: {} afrekeningen wijkverpleging {}.",
                        rec.run_id, rec.statements, run.year
                    )
                } else {
                    format!(
                        "Deze invoer is al vastgelegd als afrekenrun {} ({} afrekeningen); er is niets opnieuw vastgelegd.",
                        rec.run_id, rec.statements
                    )
                };
                // on stderr, so that --json stays valid JSON on stdout
                eprintln!("{say}");
            }
            Ok(ExitCode::SUCCESS)
        }
        SettleCommand::Efficiency(a) => {
            let policy = a.dir.source().open(NURSING_POLICY)?;
            let rules = NursingRules::from_policy(&policy)?;
            let terms = match &a.terms {
                Some(p) => TermsSet::load(p)?,
                None => TermsSet::default(),
            };
            let (_, model) = zorginkoop_settle::settle_nursing_with_context(
                &rules, &a.results, &terms, &a.context, None,
            )?;
            if a.json {
                let v = serde_json::json!({
                    "schema": "zorginkoop.efficiency-model/1",
                    "policy": zorginkoop_settle::statement::PolicyRef::of(&rules),
                    "model": model,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                print!("{}", model.to_text());
            }
            Ok(ExitCode::SUCCESS)
        }
        SettleCommand::Ratio(a) => {
            let policy = a.dir.source().open(NURSING_POLICY)?;
            let rules = NursingRules::from_policy(&policy)?;
            let reports = zorginkoop_settle::client_postcode_ratios(
                &rules,
                &a.results,
                &a.context,
                a.provider.as_deref(),
            )?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&reports)?);
            } else if reports.is_empty() {
                println!("Geen declaraties wijkverpleging gevonden in de periode van de ratio.");
            } else {
                let texts: Vec<String> = reports.iter().map(|r| r.to_text()).collect();
                print!("{}", texts.join("\n"));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The Parquet files a `--results` argument names (a folder: its `.parquet` files, sorted).
fn result_files(results: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for r in results {
        if r.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(r)
                .with_context(|| format!("{}", r.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(r.clone());
        }
    }
    Ok(files)
}

/// The run to record: the statements with the hash of everything they were computed from (the
/// result files' bytes, the terms file, the policy file's hash).
fn nursing_run(
    rules: &NursingRules,
    results: &[PathBuf],
    terms: Option<&Path>,
    context: Option<&Path>,
    statements: &[Statement],
) -> anyhow::Result<app::settlement::NewRun> {
    let mut inputs: Vec<(String, Vec<u8>)> = vec![(
        "policy".into(),
        format!(
            "{}@{} {}",
            rules.policy_id, rules.policy_version, rules.policy_sha256
        )
        .into_bytes(),
    )];
    let mut note = Vec::new();
    for f in result_files(results)? {
        let (sha, len) = app::settlement::file_sha256(&f)?;
        note.push(format!("{} ({len} bytes, sha256 {sha})", f.display()));
        inputs.push(("results".into(), sha.into_bytes()));
    }
    if let Some(t) = terms {
        let (sha, _) = app::settlement::file_sha256(t)?;
        note.push(format!("voorwaarden {} (sha256 {sha})", t.display()));
        inputs.push(("terms".into(), sha.into_bytes()));
    }
    // with --context the efficiency model reads the register and the regional scores
    if let Some(dir) = context {
        for name in ["insured.csv", "region_scores.csv"] {
            let f = dir.join(name);
            let (sha, _) = app::settlement::file_sha256(&f)?;
            note.push(format!("context {} (sha256 {sha})", f.display()));
            inputs.push((format!("context {name}"), sha.into_bytes()));
        }
    }
    let parts: Vec<(&str, &[u8])> = inputs
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    nursing_run_of(
        rules,
        statements,
        app::settlement::inputs_sha256(&parts),
        note.join(", "),
    )
}

/// The run to record for district nursing statements computed under `rules` from inputs with
/// this hash (described by `inputs_note`).
pub fn nursing_run_of(
    rules: &NursingRules,
    statements: &[Statement],
    inputs_sha256: String,
    inputs_note: String,
) -> anyhow::Result<app::settlement::NewRun> {
    let statements = statements
        .iter()
        .map(|s| {
            Ok(app::settlement::NewStatement {
                provider_agb: s.provider_agb.clone(),
                category: s.category.dutch().to_string(),
                total: s.total,
                json: serde_json::to_value(s)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(app::settlement::NewRun {
        domain: app::settlement::DOMAIN_NURSING.into(),
        year: chrono::Datelike::year(&rules.year.0),
        policy_id: rules.policy_id.clone(),
        policy_version: rules.policy_version.clone(),
        policy_sha256: rules.policy_sha256.clone(),
        inputs_sha256,
        inputs_note,
        statements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_is_always_there() {
        assert_eq!(
            engine(EngineArg::Local).unwrap(),
            zorginkoop_settle::Engine::Local
        );
    }

    #[cfg(not(feature = "ballista"))]
    #[test]
    fn ballista_without_the_feature_says_how_to_build_it() {
        let e = engine(EngineArg::Ballista).unwrap_err().to_string();
        assert_eq!(
            e,
            "deze zorginkoop is gebouwd zonder Ballista; bouw met --features ballista"
        );
    }

    #[cfg(feature = "ballista")]
    #[test]
    fn ballista_with_the_feature() {
        assert_eq!(
            engine(EngineArg::Ballista).unwrap(),
            zorginkoop_settle::Engine::Ballista
        );
    }
}
