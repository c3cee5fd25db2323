//! `zorginkoop settle ...`: settlement statements from the claims checker's results, printed as
//! Dutch text or (`--json`) as JSON. Arguments in, `zorginkoop_app::settlement` called, result
//! printed.

use crate::PolicyDir;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;

#[derive(Subcommand)]
pub enum SettleCommand {
    /// District nursing 2021: basisbudget, overproduction (table 2) and the efficiency
    /// agreement (bijlage 6) per provider, each line citing its passage.
    Nursing(NursingArgs),
}

#[derive(Args)]
pub struct NursingArgs {
    /// results.parquet of `zorginkoop claims check` (repeat the option for several files, or
    /// give a folder of Parquet files).
    #[arg(long, value_name = "FILE.parquet", required = true)]
    results: Vec<PathBuf>,
    /// The providers' terms: CSV with
    /// provider_agb,contract_2020,efficiency_group,tariff_ref_cents,agreement_improvement.
    #[arg(long, value_name = "FILE.csv")]
    terms: Option<PathBuf>,
    /// Only this provider (AGB code, 8 digits).
    #[arg(long, value_name = "AGB")]
    provider: Option<String>,
    /// JSON instead of text: an array of statements (shape named by their `schema`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

pub fn run(cmd: SettleCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SettleCommand::Nursing(a) => {
            let req = app::settlement::NursingRequest {
                results: a.results,
                terms: a.terms,
                provider: a.provider,
            };
            let statements = app::settlement::settle_nursing(&a.dir.source(), &req)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&statements)?);
            } else if statements.is_empty() {
                println!("Geen declaraties wijkverpleging gevonden in de resultaten.");
            } else {
                let texts: Vec<String> = statements.iter().map(|s| s.to_text()).collect();
                print!("{}", texts.join("\n"));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
