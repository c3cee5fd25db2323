//! `zorginkoop decide` and `zorginkoop calc`.

use crate::{PolicyDir, parse_date, read_json_or_toml, today};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;
use zorginkoop_app::engine::explain::render_decision;

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
    /// Override an example parameter value for this calculation (repeatable), e.g.
    /// `--param poh-s.hourly-cost=65`; only parameters marked `example = true` in the policy
    #[arg(long = "param", value_name = "ID=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,
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
    let case = app::decisions::read_case(&args.case)?;
    let name = args.case.display().to_string();
    let request = app::decisions::DecideRequest {
        name: &name,
        case: &case,
        policy: args.policy.as_deref(),
        date: args.date,
        today: today(),
    };
    let decision = app::decisions::decide_from(&args.dir.source(), &request)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&decision)?);
    } else {
        print!("{}", render_decision(&decision, args.explain));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn calc(args: CalcArgs) -> Result<ExitCode> {
    if args.list {
        let all = app::calculators::list();
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
    app::calculators::find(&name)?;
    let input = read_json_or_toml(&args.input.expect("clap requires --input"))?;
    let result = app::calculators::run_from(
        &args.dir.source(),
        app::calculators::CalcRequest {
            name: &name,
            input,
            policy: args.policy.as_deref(),
            date: args.date,
            parameters: args
                .params
                .into_iter()
                .map(|(id, v)| (id, serde_json::Value::String(v)))
                .collect(),
        },
    )?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(ExitCode::SUCCESS)
}

/// `id=value` of `--param`.
fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((id, v)) if !id.trim().is_empty() && !v.trim().is_empty() => {
            Ok((id.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!("verwacht `id=waarde`, niet `{s}`")),
    }
}
