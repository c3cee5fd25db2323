//! `zorginkoop claims ...` and `zorginkoop contracts ...` (owned by the claims checker work).
//!
//! `claims check` checks Vektis claim files (AW319, HA304) and CSV claim lines against the
//! contracts, care-chain enrolments and insured register of a context directory and the claim
//! rules of the policies; `claims generate` writes synthetic files; `contracts export` writes the
//! portal database's contracts as the checker's `contracts.csv`; `contracts seed-demo` fills a
//! database with demo contracts.

use crate::PolicyDir;
use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::context::{Context, Contract, write_contracts};
use zorginkoop_claims::ident::Code;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_store::{ContractRow, Store};

#[derive(Subcommand)]
pub enum ClaimsCommand {
    /// Check claim files: writes per file the return message (AW320 for AW319, HA305 for HA304),
    /// results.csv and results.parquet (one row per claim line) and summary.json / summary.txt
    /// in --out.
    Check {
        /// Claim files: Vektis AW319/HA304 (any name) or CSV claim lines (*.csv), in the order
        /// they were received (duplicates are judged in this order).
        #[arg(required = true, value_name = "FILES")]
        files: Vec<PathBuf>,
        /// Context directory with contracts.csv, chains.csv and insured.csv.
        #[arg(long, value_name = "DIR")]
        context: PathBuf,
        /// Output directory (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// State file with the lines already claimed, for duplicates and once-per-period rules
        /// across runs (default: <context>/claims-state.bin).
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
        /// Do not read or write a state file: judge these files on their own.
        #[arg(long, conflicts_with = "state")]
        no_state: bool,
        /// Date of the return messages (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
        date: Option<NaiveDate>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Do not write results.parquet (results.csv is always written).
        #[arg(long)]
        no_parquet: bool,
        #[command(flatten)]
        dir: PolicyDir,
    },
    /// Write reproducible synthetic claim files (<out>/claims) and context (<out>/context).
    Generate {
        /// Number of claim lines.
        #[arg(long, default_value_t = 10_000)]
        lines: u64,
        /// Random seed: the same seed gives the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        dir: PolicyDir,
    },
}

#[derive(Subcommand)]
pub enum ContractsCommand {
    /// Write the contracts of the portal database as contracts.csv for `claims check --context`.
    Export {
        /// The portal's SQLite database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Output file (contracts.csv).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Create the database (schema migrations) and add a few demo contracts.
    SeedDemo {
        /// The SQLite database (created when missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
}

fn load_rules(dir: &PolicyDir) -> Result<RuleSet> {
    let set = dir.load()?;
    RuleSet::from_policies(&set).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn run_claims(cmd: ClaimsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ClaimsCommand::Check {
            files,
            context,
            out,
            state,
            no_state,
            date,
            quiet,
            no_parquet,
            dir,
        } => {
            let rules = load_rules(&dir)?;
            let ctx = Context::load_dir(&context)
                .with_context(|| format!("reading the context in {}", context.display()))?;
            for f in &files {
                if !f.is_file() {
                    bail!("{}: no such file", f.display());
                }
            }
            let checker = Checker::new(rules, ctx);
            let opts = zorginkoop_claims::run::RunOptions {
                inputs: files,
                out_dir: out.clone(),
                state: if no_state {
                    None
                } else {
                    Some(state.unwrap_or_else(|| context.join("claims-state.bin")))
                },
                date: date.unwrap_or_else(crate::today),
                progress: !quiet,
                parquet: !no_parquet,
            };
            let summary = zorginkoop_claims::run::run(&checker, &opts)?;
            print!("{}", zorginkoop_claims::run::summary_head(&summary));
            println!(
                "\nWritten to {}: returns/, results.csv,{} summary.json, summary.txt (per provider)",
                out.display(),
                if no_parquet { "" } else { " results.parquet," }
            );
            let rejected = summary.files.iter().any(|f| f.status == "rejected");
            Ok(if rejected {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        ClaimsCommand::Generate {
            lines,
            seed,
            out,
            dir,
        } => {
            let rules = load_rules(&dir)?;
            let g = zorginkoop_claims::generate::generate(&rules, lines, seed, &out)
                .with_context(|| format!("writing to {}", out.display()))?;
            println!(
                "{} lines in {} files ({} providers, {} insured, {} contracts) in {}/claims, context in {}/context",
                g.lines,
                g.files,
                g.providers,
                g.insured,
                g.contracts,
                out.display(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn to_contract(r: ContractRow) -> Result<Contract> {
    let codes = r
        .prestatie_codes
        .iter()
        .map(|c| {
            Code::parse(c)
                .ok_or_else(|| anyhow::anyhow!("contract {:?}: bad prestatie code {c:?}", r.id))
        })
        .collect::<Result<_>>()?;
    Ok(Contract {
        provider: r.provider_agb,
        module: r.module,
        codes,
        start: r.start,
        end: r.end,
        tariff: r.tariff_cents,
        ceiling: r.ceiling_cents,
        contract_type: r.contract_type,
    })
}

pub fn run_contracts(cmd: ContractsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ContractsCommand::Export { db, out } => {
            if !db.is_file() {
                bail!(
                    "{}: no such database (create one with `zorginkoop contracts seed-demo --db FILE`)",
                    db.display()
                );
            }
            let store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
            let rows = store.contracts()?;
            let n = rows.len();
            let contracts = rows
                .into_iter()
                .map(to_contract)
                .collect::<Result<Vec<_>>>()?;
            write_contracts(&out, &contracts)
                .with_context(|| format!("writing {}", out.display()))?;
            println!("{n} contracts written to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        ContractsCommand::SeedDemo { db } => {
            let mut store =
                Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
            let rows = zorginkoop_store::demo_contracts();
            let ids = store.insert_contracts(&rows)?;
            println!(
                "{} demo contracts added to {} (ids {:?})",
                ids.len(),
                db.display(),
                ids
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
