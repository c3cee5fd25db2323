//! `zorginkoop decide` and `zorginkoop calc`.

use crate::{PolicyDir, parse_date, read_json_or_toml, today};
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_engine::calc::{self, CalcContext};
use zorginkoop_engine::explain::render_decision;
use zorginkoop_engine::{Case, decide as engine_decide};

#[derive(Args)]
pub struct DecideArgs {
    /// Policy id (see `zorginkoop policy list`) or a policy file; default: the case's `policy`
    #[arg(long, value_name = "ID")]
    policy: Option<String>,
    /// Case file (JSON or TOML): provider, facts, contracted modules, modules to decide
    #[arg(long, value_name = "FILE")]
    case: PathBuf,
    /// Reference date YYYY-MM-DD (default: the case's request_date, else today)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    date: Option<NaiveDate>,
    /// Print the full trace with citations for every module
    #[arg(long)]
    explain: bool,
    /// Machine-readable output (the full decision with trace and receipt)
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

#[derive(Args)]
pub struct CalcArgs {
    /// Calculator name (see `--list`)
    #[arg(required_unless_present = "list")]
    name: Option<String>,
    /// Input file (JSON or TOML; `-` for standard input)
    #[arg(long, value_name = "FILE", required_unless_present = "list")]
    input: Option<PathBuf>,
    /// Policy whose parameters are used (default: the calculator's own policy)
    #[arg(long, value_name = "ID")]
    policy: Option<String>,
    /// Reference date for the parameters (default: the policy's period start)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    date: Option<NaiveDate>,
    /// List the calculators with their inputs and outputs
    #[arg(long)]
    list: bool,
    /// With --list: machine-readable list
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

pub fn decide(args: DecideArgs) -> Result<ExitCode> {
    let value = read_json_or_toml(&args.case)?;
    let case: Case = serde_json::from_value(value)
        .with_context(|| format!("{}: not a valid case", args.case.display()))?;
    let policy_id = match (&args.policy, &case.policy) {
        (Some(p), _) | (None, Some(p)) => p.clone(),
        (None, None) => bail!(
            "{}: name the policy with --policy ID or a \"policy\" field in the case",
            args.case.display()
        ),
    };
    let policy = args.dir.policy(&policy_id)?;
    let date = args.date.or(case.request_date).unwrap_or_else(today);
    let decision =
        engine_decide(&policy, &case, date).with_context(|| format!("{}", args.case.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&decision)?);
    } else {
        print!("{}", render_decision(&decision, args.explain));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn calc(args: CalcArgs) -> Result<ExitCode> {
    if args.list {
        let all = calc::calculators();
        if args.json {
            println!("{}", serde_json::to_string_pretty(&all)?);
        } else {
            for c in &all {
                println!("{}  (beleid {})\n    {}", c.name, c.policy, c.summary);
                for (title, fields) in [("invoer", c.inputs), ("uitvoer", c.outputs)] {
                    println!("    {title}:");
                    for f in fields {
                        println!("      {:<34} {:<8} {}", f.name, f.ty, f.doc);
                    }
                }
                println!();
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.name.expect("clap requires a name without --list");
    let calculator = calc::find(&name)?;
    let input = read_json_or_toml(&args.input.expect("clap requires --input"))?;
    let policy = args
        .dir
        .policy(args.policy.as_deref().unwrap_or(calculator.policy))?;
    let date = args.date.unwrap_or(policy.file.policy.period_start);
    let ctx = CalcContext::new(&policy, date);
    let output = (calculator.run)(&ctx, input)?;
    let result = serde_json::json!({
        "calculator": calculator.name,
        "output": output,
        "receipt": zorginkoop_engine::Receipt::new(&policy, date),
    });
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(ExitCode::SUCCESS)
}
