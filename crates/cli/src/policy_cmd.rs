//! `zorginkoop policy list | show | validate | diff | timeline`.

use crate::{PolicyDir, parse_date, today};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use std::fmt::Write as _;
use std::process::ExitCode;
use zorginkoop_app as app;
use zorginkoop_app::policy::Policy;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// List the policies: id, version, contract period, modules
    List {
        /// Machine-readable output
        #[arg(long)]
        json: bool,
    },
    /// Show one policy: timeline, parameters, modules with their conditions
    Show {
        /// Policy id or file
        id: String,
        /// Machine-readable output (the whole policy)
        #[arg(long)]
        json: bool,
    },
    /// Check every policy file: structure, references, calculators, and that every quote is in its document
    Validate,
    /// What changed between two policies or two versions of one (ids or files)
    Diff {
        old: String,
        new: String,
        /// Machine-readable output
        #[arg(long)]
        json: bool,
    },
    /// The contracting timeline seen from a date, and what is due next
    Timeline {
        /// Policy id or file
        id: String,
        /// Reference date YYYY-MM-DD (default: today)
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Machine-readable output
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: PolicyCommand, dir: &PolicyDir) -> Result<ExitCode> {
    match cmd {
        PolicyCommand::List { json } => {
            let rows = app::policies::list(&dir.load()?);
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!(
                    "{:<24} {:<7} {:<23} {:>7}  titel",
                    "id", "versie", "contractperiode", "modules"
                );
                for p in &rows {
                    println!(
                        "{:<24} {:<7} {} – {} {:>7}  {}",
                        p.id, p.version, p.period_start, p.period_end, p.modules, p.title
                    );
                }
            }
        }
        PolicyCommand::Show { id, json } => {
            let p = dir.policy(&id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&p.file)?);
            } else {
                print!("{}", render_policy(&p));
            }
        }
        PolicyCommand::Validate => {
            let source = dir.source();
            let v = app::policies::validate(&source.load()?);
            if v.is_valid() {
                let from = match &source {
                    app::policies::Source::Dir(d) => format!("in {}", d.display()),
                    app::policies::Source::Embedded => "(ingebouwd)".into(),
                };
                println!(
                    "{} beleidsbestanden {from}, {} regels met bronvermelding: alles geldig (bronteksten: {})",
                    v.policies,
                    v.sourced_rules,
                    if v.documents == 0 {
                        "niet gevonden, citaten niet gecontroleerd".to_string()
                    } else {
                        format!("{} documenten, elk citaat gevonden", v.documents)
                    }
                );
            } else {
                for line in &v.problems {
                    eprintln!("{line}");
                }
                eprintln!("{} problemen", v.problems.len());
                return Ok(ExitCode::from(1));
            }
        }
        PolicyCommand::Diff { old, new, json } => {
            let a = dir.policy(&old)?;
            let b = dir.policy(&new)?;
            let d = app::policies::diff(&a, &b);
            if json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                println!(
                    "Verschillen {} → {}: {} wijzigingen\n",
                    d.old,
                    d.new,
                    d.changes.len()
                );
                for c in app::policies::readable(&d) {
                    match (&c.field, &c.old, &c.new) {
                        (Some(field), Some(old), Some(new)) => {
                            println!("~ {} · {field}: {} → {}", c.item, short(old), short(new))
                        }
                        (_, name, _) => println!(
                            "{} {}: {}",
                            c.sign,
                            c.item,
                            short(name.as_deref().unwrap_or(""))
                        ),
                    }
                }
            }
        }
        PolicyCommand::Timeline { id, date, json } => {
            let p = dir.policy(&id)?;
            let date = date.unwrap_or_else(today);
            let t = app::timelines::timeline(&p, date);
            if json {
                println!("{}", serde_json::to_string_pretty(&t)?);
            } else {
                println!("Tijdpad {} op {date}\n", p.id());
                for m in &t.status.past {
                    println!("  voorbij   {}  {}", span(m), m.label);
                }
                for m in &t.status.open {
                    println!("  NU OPEN   {}  {}", span(m), m.label);
                }
                for m in &t.status.upcoming {
                    println!("  komt      {}  {}", span(m), m.label);
                }
                match &t.next_due {
                    Some(d) => println!(
                        "\nEerstvolgend: {} ({}): {}",
                        d.date,
                        days(d.days_left),
                        d.milestone.label
                    ),
                    None => println!("\nGeen termijnen meer in dit tijdpad."),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn start_dates_dutch(s: &app::policy::StartDates) -> &'static str {
    use app::policy::StartDates::*;
    match s {
        Quarterly => "elk kwartaal (1 januari, 1 april, 1 juli, 1 oktober)",
        HalfYearly => "elk halfjaar (1 januari, 1 juli)",
        Yearly => "jaarlijks (1 januari)",
        PeriodStart => "begin van de contractperiode",
        Monthly => "de eerste van elke maand",
    }
}

fn days(n: i64) -> String {
    match n {
        0 => "vandaag".to_string(),
        1 => "morgen".to_string(),
        n => format!("over {n} dagen"),
    }
}

fn span(m: &app::policy::Milestone) -> String {
    match m.until {
        Some(u) => format!("{} t/m {u}", m.date),
        None => format!("{:<24}", m.date.to_string()),
    }
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 100 {
        format!("{}…", s.chars().take(100).collect::<String>())
    } else {
        s.to_string()
    }
}

fn render_policy(p: &Policy) -> String {
    let mut out = String::new();
    let m = &p.file.policy;
    let _ = writeln!(out, "{} — {} (versie {})", p.id(), m.title, m.version);
    let _ = writeln!(
        out,
        "Contractperiode {} t/m {}, {}, document {}\nsha256 {}\n",
        m.period_start, m.period_end, m.insurer, m.document, p.sha256
    );
    if !m.summary.is_empty() {
        let _ = writeln!(out, "{}\n", m.summary.trim());
    }
    if !p.file.timeline.is_empty() {
        let _ = writeln!(out, "Tijdpad:");
        for t in &p.file.timeline {
            let _ = writeln!(out, "  {}  {}", span(t), t.label);
        }
        let _ = writeln!(out);
    }
    if !p.file.parameters.is_empty() {
        let _ = writeln!(out, "Parameters:");
        for x in &p.file.parameters {
            let values: Vec<String> = x
                .values
                .iter()
                .map(|v| format!("{} vanaf {}", v.value, v.from))
                .collect();
            let _ = writeln!(
                out,
                "  {:<44} {}{}  ({})",
                x.id,
                values.join(", "),
                if x.example { " [voorbeeldwaarde]" } else { "" },
                x.label
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "Modules:");
    for md in &p.file.modules {
        let levels: Vec<&str> = md.contracting_levels.iter().map(|k| k.dutch()).collect();
        let _ = writeln!(out, "  {} — {} ({})", md.id, md.name, levels.join(", "));
        if !md.contractable {
            let _ = writeln!(
                out,
                "      niet te contracteren: {}",
                md.not_contractable_reason.as_deref().unwrap_or("")
            );
        }
        if !md.requires.is_empty() {
            let _ = writeln!(out, "      vereist: {}", md.requires.join(", "));
        }
        if let Some(a) = &md.application {
            let _ = writeln!(
                out,
                "      startdata: {}, aanvraag {} weken vooraf",
                start_dates_dutch(&a.start_dates),
                a.lead_time_weeks
            );
        }
        if let Some(t) = &md.tariff {
            let _ = writeln!(out, "      tarief: {}", t.description.trim());
        }
        for c in &md.conditions {
            let _ = writeln!(out, "      voorwaarde {}: {}", c.id, short(&c.text));
        }
        for x in &md.exclusions {
            let _ = writeln!(out, "      uitsluiting {}: {}", x.id, short(&x.text));
        }
    }
    if !p.file.obligations.is_empty() {
        let _ = writeln!(out, "\nPlichten tijdens de overeenkomst:");
        for o in &p.file.obligations {
            let scope = if o.applies_to.is_empty() {
                "elke overeenkomst".to_string()
            } else {
                o.applies_to.join(", ")
            };
            let _ = writeln!(
                out,
                "  {} ({}; {scope}): {}",
                o.id,
                o.party.dutch(),
                short(&o.text)
            );
            if let Some(due) = o.due {
                let _ = writeln!(out, "      uiterlijk: {}", due.format("%d-%m-%Y"));
            }
            if let Some(when) = &o.when {
                let _ = writeln!(out, "      wanneer: {when}");
            }
        }
    }
    if !p.file.claim_rules.is_empty() {
        let _ = writeln!(out, "\nDeclaratieregels:");
        for r in &p.file.claim_rules {
            let _ = writeln!(
                out,
                "  {} ({}, retourcode {}): {}",
                r.id,
                r.reason_code,
                r.return_code,
                short(&r.text)
            );
        }
    }
    out
}
