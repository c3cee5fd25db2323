//! `zorginkoop decide` and `zorginkoop calc`.

use crate::{PolicyDir, parse_date, read_json_or_toml, today};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;
use zorginkoop_app::engine::{Decision, Outcome, StepOutcome, TraceStep};
use zorginkoop_app::policy::Source;

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
    let case = app::decisions::read_case(&args.case)?;
    let name = args.case.display().to_string();
    let request = app::decisions::DecideRequest {
        name: &name,
        case: &case,
        policy: args.policy.as_deref(),
        date: args.date,
        today: today(),
    };
    let decision = app::decisions::decide_in(&args.dir.dir(), &request)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&decision)?);
    } else {
        print!("{}", render_decision(&decision, args.explain));
    }
    Ok(ExitCode::SUCCESS)
}

fn mark(o: Outcome) -> &'static str {
    match o {
        Outcome::Eligible => "✓",
        Outcome::NotEligible => "✗",
        Outcome::NeedsInformation => "?",
        Outcome::NeedsReview => "~",
    }
}

fn step_mark(o: StepOutcome) -> &'static str {
    match o {
        StepOutcome::Passed => "✓",
        StepOutcome::Failed => "✗",
        StepOutcome::Unknown => "?",
        StepOutcome::Review => "~",
        StepOutcome::Info => "·",
    }
}

fn cite(s: &Source) -> String {
    format!(
        "[{} · {} · “{}”]",
        s.document,
        s.section.trim(),
        s.quote.trim()
    )
}

fn render_step(out: &mut String, s: &TraceStep, indent: &str) {
    let _ = writeln!(out, "{indent}{} {}", step_mark(s.outcome), s.text.trim());
    if let Some(c) = &s.check {
        let inputs: Vec<String> = s
            .inputs
            .iter()
            .map(|(k, v)| match v {
                Some(v) => format!("{k} = {v}"),
                None => format!("{k} = (ontbreekt)"),
            })
            .collect();
        let _ = writeln!(out, "{indent}    toets: {c}   [{}]", inputs.join("; "));
    }
    if let Some(n) = &s.note {
        let _ = writeln!(out, "{indent}    {n}");
    }
    let _ = writeln!(out, "{indent}    {}", cite(&s.source));
}

/// The decision for people: one line per module, the reasons under the ones that are not
/// simply eligible, and with `explain` every step with its citation.
pub fn render_decision(d: &Decision, explain: bool) -> String {
    let mut out = String::new();
    let r = &d.receipt;
    let _ = writeln!(
        out,
        "Beslissing voor {} ({}), aanvraagdatum {}",
        d.provider.name,
        d.provider.kind.dutch(),
        d.request_date
    );
    let _ = writeln!(
        out,
        "Beleid {} versie {} (sha256 {}…), engine {}, peildatum {}\n",
        r.policy_id,
        r.policy_version,
        &r.policy_sha256[..12.min(r.policy_sha256.len())],
        r.engine_version,
        r.reference_date
    );
    let width = d
        .modules
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(10);
    for m in &d.modules {
        let mut line = format!(
            "{} {:<width$}  {}",
            mark(m.outcome),
            m.name,
            m.outcome.dutch(),
            width = width
        );
        if let Some(s) = m.earliest_start {
            let _ = write!(line, ", vanaf {s}");
        }
        if !m.missing_facts.is_empty() {
            let _ = write!(line, ": nodig: {}", m.missing_facts.join(", "));
        }
        let _ = writeln!(out, "{line}");
        if explain {
            for s in &m.steps {
                render_step(&mut out, s, "    ");
            }
        } else if m.outcome != Outcome::Eligible {
            for s in m.steps.iter().filter(|s| {
                matches!(
                    s.outcome,
                    StepOutcome::Failed | StepOutcome::Review | StepOutcome::Unknown
                )
            }) {
                render_step(&mut out, s, "    ");
            }
        }
    }
    if !explain {
        let _ = writeln!(
            out,
            "\n(--explain toont elke stap met bronvermelding; --json voor machines)"
        );
    }
    out
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
    let result = app::calculators::run_in(
        &args.dir.dir(),
        app::calculators::CalcRequest {
            name: &name,
            input,
            policy: args.policy.as_deref(),
            date: args.date,
        },
    )?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(ExitCode::SUCCESS)
}
