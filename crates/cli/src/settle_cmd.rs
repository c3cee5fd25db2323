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
use zorginkoop_settle::{LabRules, LabTermsSet, NursingRules, Statement, TermsSet};

/// The policy district nursing settlement runs under.
pub const NURSING_POLICY: &str = "district-nursing-2021";

/// The policy diagnostics and thrombosis settlement runs under.
pub const LABS_POLICY: &str = "diagnostics-2020";

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
    /// District nursing: per provider and claim year whether a material control may still
    /// start (chapter 7: at the latest in December of the claim year + 2).
    Control(ControlArgs),
    /// GP care: the FGV score of every practice of a measurement year, per formulary group,
    /// from the measurement results (document 001, Formulariumgericht voorschrijven).
    Fgv(crate::year_figures_cmd::FgvArgs),
    /// O&I: the budget Kwetsbare ouderen of every regio-organisatie for a year, from the number
    /// of 75-plussers each entered (document 002, Bijlage 3: 28 % is frail, times the tariff).
    KwetsbareOuderen(crate::year_figures_cmd::FrailElderlyArgs),
    /// O&I Krachtige Basiszorg: the monitor per participating practice, actual against expected
    /// MSZ, GGZ and pharmacy costs and ANW/HAP/HDS consultations over the 3 years before the
    /// monitor year, from the Vektis Praktijkspiegel figures (document 002, Bijlage 4).
    KbzMonitor(crate::year_figures_cmd::KbzMonitorArgs),
    /// Diagnostics and thrombosis 2020: production against the revenue ceiling per laboratory
    /// and thrombosis service; for preferred lab contracts the excess paid with the sliding
    /// discount when orders per patient and analyses per order grew at most 2.5 % against 2018.
    Labs(LabsArgs),
}

#[derive(Args)]
pub struct LabsArgs {
    /// results.parquet of `zorginkoop claims check` (repeat the option for several files, or
    /// give a folder of Parquet files).
    #[arg(long, value_name = "FILE.parquet", required = true)]
    results: Vec<PathBuf>,
    /// The year settled: 2020, or 2021 (the second year of a preferred contract; regular lab
    /// and thrombosis contracts are one-year contracts).
    #[arg(long, value_name = "YEAR", default_value_t = 2020)]
    year: i32,
    /// The providers' terms: CSV with provider_agb,contract,ceiling_cents (contract regulier,
    /// voorkeur or trombose; the revenue ceiling of 2020 in cents, all locations together).
    #[arg(long, value_name = "FILE.csv")]
    terms: Option<PathBuf>,
    /// Only this provider (AGB code, 8 digits).
    #[arg(long, value_name = "AGB")]
    provider: Option<String>,
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
    #[command(flatten)]
    engine: EngineOpts,
    #[command(flatten)]
    dir: PolicyDir,
}

/// `zorginkoop settle --year YEAR ...`: every settlement of a year, or one kind of settlement.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_required = false)]
pub struct SettleArgs {
    #[command(subcommand)]
    cmd: Option<SettleCommand>,
    #[command(flatten)]
    year: YearArgs,
}

/// Every settlement of a year at once: district nursing (2021) and diagnostics and thrombosis
/// (2020, 2021), each as its own run.
#[derive(Args)]
pub struct YearArgs {
    /// The year to settle: every domain whose policy covers it (district nursing 2021;
    /// diagnostics and thrombosis 2020 and 2021).
    #[arg(long, value_name = "YEAR")]
    year: Option<i32>,
    /// results.parquet of `zorginkoop claims check` (repeatable, or a folder).
    #[arg(long, value_name = "FILE.parquet")]
    results: Vec<PathBuf>,
    /// The context folder of `claims check`: the insured register for district nursing (see
    /// `settle nursing --context`), its nursing_terms.csv when --terms is not given and its
    /// lab_terms.csv when --lab-terms is not given (`claims generate` writes both).
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
    /// The district nursing providers' terms (see `settle nursing --terms`).
    #[arg(long, value_name = "FILE.csv")]
    terms: Option<PathBuf>,
    /// The laboratories' and thrombosis services' terms (see `settle labs --terms`).
    #[arg(long, value_name = "FILE.csv")]
    lab_terms: Option<PathBuf>,
    /// JSON instead of text: one array with the statements of every domain.
    #[arg(long)]
    json: bool,
    /// Record each domain's statements as a run in the portal's database (SQLite file or
    /// postgres:// URL).
    #[arg(long, value_name = "FILE|URL")]
    db: Option<String>,
    /// Who records the runs (default: $USER).
    #[arg(long, value_name = "NAME", requires = "db")]
    by: Option<String>,
    #[command(flatten)]
    engine: EngineOpts,
    #[command(flatten)]
    dir: PolicyDir,
}

#[derive(Args)]
pub struct ControlArgs {
    /// results.parquet of `zorginkoop claims check` (repeatable, or a folder).
    #[arg(long, value_name = "FILE.parquet", required = true)]
    results: Vec<PathBuf>,
    /// The day to judge the term on (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", value_parser = crate::parse_date)]
    on: Option<chrono::NaiveDate>,
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
    #[command(flatten)]
    engine: EngineOpts,
    #[command(flatten)]
    dir: PolicyDir,
}

/// `zorginkoop settle`: a subcommand, or every settlement of `--year`.
pub fn run_args(a: SettleArgs) -> anyhow::Result<ExitCode> {
    match a.cmd {
        Some(cmd) => run(cmd),
        None => run_year(a.year),
    }
}

/// District nursing statements as the arguments ask.
fn nursing(a: &NursingArgs) -> anyhow::Result<(NursingRules, Vec<Statement>)> {
    let policy = a.dir.source().open(NURSING_POLICY)?;
    let engine = engine(&a.engine)?;
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
    Ok((rules, statements))
}

/// Records district nursing statements as a run.
fn record_nursing(
    a: &NursingArgs,
    url: &str,
    rules: &NursingRules,
    statements: &[Statement],
) -> anyhow::Result<()> {
    let run = nursing_run(
        rules,
        &a.results,
        a.terms.as_deref(),
        a.context.as_deref(),
        statements,
    )?;
    record(url, a.by.as_deref(), &run, "wijkverpleging")
}

/// Diagnostics and thrombosis statements as the arguments ask.
fn labs(a: &LabsArgs) -> anyhow::Result<(LabRules, Vec<Statement>)> {
    let policy = a.dir.source().open(LABS_POLICY)?;
    let rules = LabRules::for_year(&policy, a.year)?;
    let terms = match &a.terms {
        Some(p) => LabTermsSet::load(p)?,
        None => LabTermsSet::default(),
    };
    let statements = zorginkoop_settle::settle_labs_on(
        engine(&a.engine)?,
        &rules,
        &a.results,
        &terms,
        a.provider.as_deref(),
    )?;
    Ok((rules, statements))
}

/// Records diagnostics and thrombosis statements as a run.
fn record_labs(
    a: &LabsArgs,
    url: &str,
    rules: &LabRules,
    statements: &[Statement],
) -> anyhow::Result<()> {
    let mut inputs = policy_input(
        &rules.policy_id,
        &rules.policy_version,
        &rules.policy_sha256,
    );
    let mut note = Vec::new();
    hash_inputs(&a.results, a.terms.as_deref(), &mut inputs, &mut note)?;
    let run = labs_run_of(rules, statements, hash(&inputs), note.join(", "))?;
    record(
        url,
        a.by.as_deref(),
        &run,
        "eerstelijnsdiagnostiek en trombosezorg",
    )
}

/// Prints statements as Dutch text or JSON (`empty`: what to say when there are none).
fn print_statements(statements: &[Statement], json: bool, empty: &str) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(statements)?);
    } else if statements.is_empty() {
        println!("{empty}");
    } else {
        let texts: Vec<String> = statements.iter().map(|s| s.to_text()).collect();
        print!("{}", texts.join("\n"));
    }
    Ok(())
}

const NO_NURSING: &str = "Geen declaraties wijkverpleging gevonden in de resultaten.";
const NO_LABS: &str =
    "Geen declaraties eerstelijnsdiagnostiek of trombosezorg gevonden in de resultaten.";

/// Every settlement of a year: each domain whose policy covers it, each as its own run.
fn run_year(a: YearArgs) -> anyhow::Result<ExitCode> {
    let Some(year) = a.year else {
        anyhow::bail!(
            "noem een soort afrekening (zorginkoop settle nursing|labs|efficiency|ratio|fgv|kwetsbare-ouderen|kbz-monitor ...) of een jaar (zorginkoop settle --year 2021 --results ...); zie zorginkoop settle --help"
        );
    };
    if a.results.is_empty() {
        anyhow::bail!("--results ontbreekt: de results.parquet van zorginkoop claims check");
    }
    let covers = |id: &str| -> anyhow::Result<bool> {
        let p = a.dir.source().open(id)?;
        let m = &p.file.policy;
        use chrono::Datelike;
        Ok(m.period_start.year() <= year && year <= m.period_end.year())
    };
    let (do_nursing, do_labs) = (covers(NURSING_POLICY)?, covers(LABS_POLICY)?);
    if !do_nursing && !do_labs {
        anyhow::bail!(
            "geen afrekening voor {year}: wijkverpleging rekent 2021 af, eerstelijnsdiagnostiek en trombosezorg 2020 en 2021"
        );
    }
    let mut all: Vec<Statement> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    if do_nursing {
        let n = NursingArgs {
            results: a.results.clone(),
            terms: a
                .terms
                .clone()
                .or_else(|| in_context(&a.context, "nursing_terms.csv")),
            provider: None,
            context: a.context.clone(),
            engine: a.engine.clone(),
            json: a.json,
            db: a.db.clone(),
            by: a.by.clone(),
            dir: a.dir.clone(),
        };
        let (rules, statements) = nursing(&n)?;
        if let Some(url) = &a.db {
            record_nursing(&n, url, &rules, &statements)?;
        }
        texts.push(format!(
            "== Wijkverpleging {year}: {} afrekeningen\n",
            statements.len()
        ));
        if statements.is_empty() {
            texts.push(format!("{NO_NURSING}\n"));
        }
        texts.extend(statements.iter().map(|s| s.to_text()));
        all.extend(statements);
    }
    if do_labs {
        let lab_terms = a
            .lab_terms
            .clone()
            .or_else(|| in_context(&a.context, "lab_terms.csv"));
        let l = LabsArgs {
            results: a.results.clone(),
            year,
            terms: lab_terms,
            provider: None,
            json: a.json,
            db: a.db.clone(),
            by: a.by.clone(),
            engine: a.engine.clone(),
            dir: a.dir.clone(),
        };
        let (rules, statements) = labs(&l)?;
        if let Some(url) = &a.db {
            record_labs(&l, url, &rules, &statements)?;
        }
        texts.push(format!(
            "== Eerstelijnsdiagnostiek en trombosezorg {year}: {} afrekeningen\n",
            statements.len()
        ));
        if statements.is_empty() {
            texts.push(format!("{NO_LABS}\n"));
        }
        texts.extend(statements.iter().map(|s| s.to_text()));
        all.extend(statements);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&all)?);
    } else {
        print!("{}", texts.join("\n"));
    }
    Ok(ExitCode::SUCCESS)
}

/// `name` in the context folder, when there is one and it has that file.
fn in_context(context: &Option<PathBuf>, name: &str) -> Option<PathBuf> {
    context
        .as_ref()
        .map(|c| c.join(name))
        .filter(|p| p.is_file())
}

/// `--engine`: where the settlement's queries run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// DataFusion in this process.
    Local,
    /// Ballista: standalone (scheduler and executor in this process), or the cluster whose
    /// scheduler --scheduler names.
    Ballista,
}

/// Where the settlement's queries run, as the options say.
#[derive(Args, Clone, Debug)]
pub struct EngineOpts {
    /// Where the DataFusion queries over the results run: `local` (in this process) or
    /// `ballista` (DataFusion's distributed engine; only in a build with `--features
    /// ballista`). The statements are the same.
    #[arg(long, value_enum, default_value_t = EngineArg::Local)]
    engine: EngineArg,
    /// With --engine ballista: the scheduler of a Ballista cluster (df://host:50050); its
    /// executors must read the results files at the same path. Without it, Ballista runs
    /// standalone in this process.
    #[arg(long, value_name = "URL")]
    scheduler: Option<String>,
}

/// The engine the options name, or why this build cannot run it.
pub fn engine(o: &EngineOpts) -> anyhow::Result<zorginkoop_settle::Engine> {
    match (o.engine, &o.scheduler) {
        (EngineArg::Local, None) => Ok(zorginkoop_settle::Engine::Local),
        (EngineArg::Local, Some(_)) => {
            anyhow::bail!("--scheduler hoort bij --engine ballista")
        }
        #[cfg(feature = "ballista")]
        (EngineArg::Ballista, None) => Ok(zorginkoop_settle::Engine::Ballista),
        #[cfg(feature = "ballista")]
        (EngineArg::Ballista, Some(url)) => {
            Ok(zorginkoop_settle::Engine::BallistaRemote(url.clone()))
        }
        #[cfg(not(feature = "ballista"))]
        (EngineArg::Ballista, _) => anyhow::bail!(
            "deze zorginkoop is gebouwd zonder Ballista; bouw met --features ballista"
        ),
    }
}

pub fn run(cmd: SettleCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SettleCommand::Nursing(a) => {
            let (rules, statements) = nursing(&a)?;
            print_statements(&statements, a.json, NO_NURSING)?;
            if let Some(url) = &a.db {
                record_nursing(&a, url, &rules, &statements)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        SettleCommand::Labs(a) => {
            let (rules, statements) = labs(&a)?;
            print_statements(&statements, a.json, NO_LABS)?;
            if let Some(url) = &a.db {
                record_labs(&a, url, &rules, &statements)?;
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
        SettleCommand::Fgv(a) => crate::year_figures_cmd::run(a),
        SettleCommand::KwetsbareOuderen(a) => crate::year_figures_cmd::run_frail_elderly(a),
        SettleCommand::KbzMonitor(a) => crate::year_figures_cmd::run_kbz_monitor(a),
        SettleCommand::Control(a) => {
            let policy = a.dir.source().open(NURSING_POLICY)?;
            let rules = NursingRules::from_policy(&policy)?;
            let on = a.on.unwrap_or_else(crate::today);
            let reports = zorginkoop_settle::control::control_terms(
                &rules,
                &a.results,
                a.provider.as_deref(),
                on,
            )?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&reports)?);
            } else if reports.is_empty() {
                println!("{NO_NURSING}");
            } else {
                let texts: Vec<String> = reports.iter().map(|r| r.to_text()).collect();
                print!("{}", texts.join("\n"));
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

/// Records a run and says what happened on stderr (so that --json stays valid JSON on stdout).
fn record(
    url: &str,
    by: Option<&str>,
    run: &app::settlement::NewRun,
    what: &str,
) -> anyhow::Result<()> {
    let db = app::store::Db::open(url).with_context(|| format!("database {url}"))?;
    let by = by
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "onbekend".into());
    let rec = app::settlement::record_run(&db, run, &by, chrono::Utc::now())?;
    if rec.new {
        eprintln!(
            "Afrekenrun {} vastgelegd: {} afrekeningen {what} {}.",
            rec.run_id, rec.statements, run.year
        );
    } else {
        eprintln!(
            "Deze invoer is al vastgelegd als afrekenrun {} ({} afrekeningen); er is niets opnieuw vastgelegd.",
            rec.run_id, rec.statements
        );
    }
    Ok(())
}

/// The policy as an input of a run.
fn policy_input(id: &str, version: &str, sha256: &str) -> Vec<(String, Vec<u8>)> {
    vec![(
        "policy".into(),
        format!("{id}@{version} {sha256}").into_bytes(),
    )]
}

/// Adds the result files' and the terms file's hashes to a run's inputs.
fn hash_inputs(
    results: &[PathBuf],
    terms: Option<&Path>,
    inputs: &mut Vec<(String, Vec<u8>)>,
    note: &mut Vec<String>,
) -> anyhow::Result<()> {
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
    Ok(())
}

/// The hash of a run's inputs.
fn hash(inputs: &[(String, Vec<u8>)]) -> String {
    let parts: Vec<(&str, &[u8])> = inputs
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    app::settlement::inputs_sha256(&parts)
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
    let mut inputs = policy_input(
        &rules.policy_id,
        &rules.policy_version,
        &rules.policy_sha256,
    );
    let mut note = Vec::new();
    hash_inputs(results, terms, &mut inputs, &mut note)?;
    // with --context the efficiency model reads the register and the regional scores
    if let Some(dir) = context {
        for name in ["insured.csv", "region_scores.csv"] {
            let f = dir.join(name);
            let (sha, _) = app::settlement::file_sha256(&f)?;
            note.push(format!("context {} (sha256 {sha})", f.display()));
            inputs.push((format!("context {name}"), sha.into_bytes()));
        }
    }
    nursing_run_of(rules, statements, hash(&inputs), note.join(", "))
}

/// The run to record for district nursing statements computed under `rules` from inputs with
/// this hash (described by `inputs_note`).
pub fn nursing_run_of(
    rules: &NursingRules,
    statements: &[Statement],
    inputs_sha256: String,
    inputs_note: String,
) -> anyhow::Result<app::settlement::NewRun> {
    run_of(
        app::settlement::DOMAIN_NURSING,
        (
            &rules.policy_id,
            &rules.policy_version,
            &rules.policy_sha256,
        ),
        chrono::Datelike::year(&rules.year.0),
        statements,
        inputs_sha256,
        inputs_note,
    )
}

/// The run to record for diagnostics and thrombosis statements computed under `rules` from
/// inputs with this hash (described by `inputs_note`).
pub fn labs_run_of(
    rules: &LabRules,
    statements: &[Statement],
    inputs_sha256: String,
    inputs_note: String,
) -> anyhow::Result<app::settlement::NewRun> {
    run_of(
        app::settlement::DOMAIN_LABS,
        (
            &rules.policy_id,
            &rules.policy_version,
            &rules.policy_sha256,
        ),
        chrono::Datelike::year(&rules.year.0),
        statements,
        inputs_sha256,
        inputs_note,
    )
}

/// The run to record for statements of `domain` and `year` computed under the policy `(id,
/// version, sha256)` from inputs with this hash.
fn run_of(
    domain: &str,
    (policy_id, policy_version, policy_sha256): (&str, &str, &str),
    year: i32,
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
        domain: domain.into(),
        year,
        policy_id: policy_id.into(),
        policy_version: policy_version.into(),
        policy_sha256: policy_sha256.into(),
        inputs_sha256,
        inputs_note,
        statements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(engine: EngineArg, scheduler: Option<&str>) -> EngineOpts {
        EngineOpts {
            engine,
            scheduler: scheduler.map(str::to_string),
        }
    }

    #[test]
    fn local_is_always_there_and_a_scheduler_belongs_to_ballista() {
        assert_eq!(
            engine(&opts(EngineArg::Local, None)).unwrap(),
            zorginkoop_settle::Engine::Local
        );
        let e = engine(&opts(EngineArg::Local, Some("df://h:50050")))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "--scheduler hoort bij --engine ballista");
    }

    #[cfg(not(feature = "ballista"))]
    #[test]
    fn ballista_without_the_feature_says_how_to_build_it() {
        let e = engine(&opts(EngineArg::Ballista, None))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "deze zorginkoop is gebouwd zonder Ballista; bouw met --features ballista"
        );
    }

    #[cfg(feature = "ballista")]
    #[test]
    fn ballista_with_the_feature_standalone_or_a_cluster() {
        assert_eq!(
            engine(&opts(EngineArg::Ballista, None)).unwrap(),
            zorginkoop_settle::Engine::Ballista
        );
        assert_eq!(
            engine(&opts(EngineArg::Ballista, Some("df://h:50050"))).unwrap(),
            zorginkoop_settle::Engine::BallistaRemote("df://h:50050".into())
        );
    }
}
