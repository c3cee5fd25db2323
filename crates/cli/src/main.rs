//! The `zorginkoop` command line: policies, decisions, calculators and claims.
//!
//! A thin adapter over `zorginkoop-app`, the use cases every front end shares: this crate parses
//! arguments, calls one use case and prints its result. Output is for people by default (Dutch);
//! `--json` gives the same content for machines. Policies are read from `--policies DIR` (default: `$ZORGINKOOP_POLICIES`, else
//! `./policies`, else the policies built into the binary).

mod claims_cmd;
mod decide_cmd;
mod demo;
mod demo_settlement;
mod policy_cmd;
mod serve_cmd;
mod settle_cmd;
mod year_figures_cmd;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zorginkoop_app as app;
use zorginkoop_app::policy::{Policy, PolicySet};

#[derive(Parser)]
#[command(
    name = "zorginkoop",
    version,
    about = "Zorginkoop: inkoopbeleid als data, beslissingen met bronvermelding, rekentools en declaratiecontrole",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by the commands that read policies.
#[derive(Args, Clone)]
pub struct PolicyDir {
    /// Directory with the policy files (default: $ZORGINKOOP_POLICIES, ./policies, or the policies built into the binary)
    #[arg(long, global = true, value_name = "DIR")]
    pub policies: Option<PathBuf>,
}

impl PolicyDir {
    /// Where the policies are read from: the folder, or the embedded set.
    pub fn source(&self) -> app::policies::Source {
        app::policies::source(self.policies.as_deref())
    }

    /// Loads every policy; all problems are reported at once.
    pub fn load(&self) -> Result<PolicySet> {
        Ok(self.source().load()?)
    }

    /// Finds a policy by id, or loads a file when given a path.
    pub fn policy(&self, id_or_path: &str) -> Result<Policy> {
        Ok(self.source().open(id_or_path)?)
    }
}

#[derive(Subcommand)]
enum Command {
    /// List, show, validate and compare the policy files.
    Policy {
        #[command(subcommand)]
        cmd: policy_cmd::PolicyCommand,
        #[command(flatten)]
        dir: PolicyDir,
    },
    /// Decide per module whether a provider may contract it, from when, and why (not).
    Decide(decide_cmd::DecideArgs),
    /// Run a calculator (rekentool): JSON in, JSON out. `calc --list` lists them.
    Calc(decide_cmd::CalcArgs),
    /// A tour of the product on demo data: decisions for the example providers and calculators.
    Demo(demo::DemoArgs),
    /// Check claim files (Vektis AW319/HA304, CSV, Parquet) against contracts and policy claim rules.
    Claims {
        #[command(subcommand)]
        cmd: claims_cmd::ClaimsCommand,
    },
    /// Start the contracting portal (web pages and the JSON API).
    Serve(serve_cmd::ServeArgs),
    /// Settle a contract year from the claims checker's results: `settle --year 2021 --results
    /// ...` settles every domain of the year, or one kind with a subcommand.
    Settle(Box<settle_cmd::SettleArgs>),
    /// Contracts: export them for the claims checker.
    Contracts {
        #[command(subcommand)]
        cmd: claims_cmd::ContractsCommand,
    },
}

fn main() -> ExitCode {
    // `zorginkoop ... | head` must end quietly when the reader goes away, as other command-line
    // tools do, not panic on the broken pipe (Rust ignores SIGPIPE by default)
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread is started; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Policy { cmd, dir } => policy_cmd::run(cmd, &dir),
        Command::Decide(args) => decide_cmd::decide(args),
        Command::Calc(args) => decide_cmd::calc(args),
        Command::Demo(args) => demo::run(args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Claims { cmd } => claims_cmd::run_claims(cmd),
        Command::Contracts { cmd } => claims_cmd::run_contracts(cmd),
        Command::Settle(a) => settle_cmd::run_args(*a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fout: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Parses a civil date `YYYY-MM-DD` (for clap).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is geen datum (JJJJ-MM-DD)"))
}

/// Today's date on this machine (the engine itself has no clock).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Reads a JSON or TOML file (or `-` for standard input) into a JSON value.
pub fn read_json_or_toml(path: &Path) -> Result<serde_json::Value> {
    Ok(app::decisions::read_document(path)?)
}
