//! `zorginkoop demo`: prints what `zorginkoop_app::demo` did — the policies, the demo database,
//! a decision for every example provider (kept in the audit trail), and every timeline's next due.

use crate::{PolicyDir, parse_date};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;

#[derive(Args)]
pub struct DemoArgs {
    /// Directory with example case files (default: ./examples, or the examples built into the binary)
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
    /// Only prepare the demo database and print the tour; do not start the portal
    #[arg(long)]
    no_serve: bool,
    /// Port for the portal
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The date the portal acts on (default 2021-11-01: the GP 2022-2023 application window is open)
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
    #[command(flatten)]
    dir: PolicyDir,
}

pub fn run(args: DemoArgs) -> Result<ExitCode> {
    let set = args.dir.load()?;
    println!("zorginkoop {} — demo\n", env!("CARGO_PKG_VERSION"));
    let from = match args.dir.source() {
        app::policies::Source::Dir(d) => d.display().to_string(),
        app::policies::Source::Embedded => "ingebouwd".into(),
    };
    println!("Beleidsdocumenten ({from}):");
    for p in app::policies::list(&set) {
        println!(
            "  {:<24} {} – {}  {} modules  {}",
            p.id, p.period_start, p.period_end, p.modules, p.title
        );
    }
    let examples = app::demo::examples(args.examples.as_deref());
    let report = app::demo::run(
        &set,
        &app::demo::DemoRequest {
            db: args.db.clone(),
            examples: examples.clone(),
            date: args.date,
            decided_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        },
    )?;
    println!(
        "\nDatabase {} (SQLite): {} contracten ({} demo-contracten toegevoegd)",
        args.db.display(),
        report.contracts,
        report.seeded.added.len()
    );
    let from = match &examples {
        app::demo::Examples::Dir(d) => d.display().to_string(),
        app::demo::Examples::Embedded => "ingebouwd".into(),
    };
    println!("\nVoorbeeldaanvragen ({from}):\n");
    for d in &report.decisions {
        println!("── {} ──", d.file.display());
        print!(
            "{}",
            app::engine::explain::render_decision(&d.decision, args.explain)
        );
        println!();
    }
    for f in &report.skipped {
        println!("(overgeslagen: {}: beleid niet gevonden)", f.display());
    }
    println!("Tijdpaden:");
    for t in &report.timelines {
        match &t.due {
            Some((d, label)) => {
                println!("  {:<24} op {}: eerstvolgend {d} {label}", t.policy, t.date)
            }
            None => println!("  {:<24} op {}: geen termijnen meer", t.policy, t.date),
        }
    }
    let counts: Vec<String> = report
        .decision_counts
        .iter()
        .map(|(o, n)| {
            // the store keeps the outcome's machine name; people read it in Dutch
            let label = serde_json::from_value::<app::engine::Outcome>(serde_json::json!(o))
                .map_or_else(|_| o.clone(), |x| x.dutch().to_string());
            format!("{label}: {n}")
        })
        .collect();
    println!(
        "\nBeslissingen in {} (audit met bon en trace): {}",
        args.db.display(),
        counts.join(", ")
    );
    println!(
        "\n{} aanvragen beslist. Verder: `zorginkoop policy list`, `zorginkoop decide --case FILE --explain`, `zorginkoop calc --list`.",
        report.decisions.len()
    );
    let db = app::store::Db::open_sqlite(&args.db)?;
    app::portal_demo::seed(&db, chrono::Utc::now())?;
    let (settled, _) = crate::demo_settlement::seed(&db, &args.dir.source())?;
    println!(
        "\nAfrekening wijkverpleging 2021: {settled} afrekeningen vastgelegd (demogegevens), te zien onder Afrekeningen."
    );
    let (labs, _) = crate::demo_settlement::seed_labs(&db, &args.dir.source())?;
    println!(
        "Afrekening eerstelijnsdiagnostiek en trombosezorg 2020: {labs} afrekeningen vastgelegd (demogegevens)."
    );
    println!(
        "\nDemo-accounts (wachtwoord voor allemaal: {}):",
        app::portal_demo::DEMO_PASSWORD
    );
    for a in app::portal_demo::accounts() {
        println!(
            "  {:<36} {:<28} {}",
            a.email,
            a.role.label(),
            a.organisation
        );
    }
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let demo_days = args.today.is_none();
    let today = args.today.unwrap_or_else(app::portal_demo::demo_today);
    if demo_days {
        println!("\nEigen demodatum per proces (met --today rekent iedereen met die dag):");
        for (agb, (y, m, d), why) in app::portal_demo::DEMO_DAYS {
            println!("  AGB {agb}: {d:02}-{m:02}-{y} ({why})");
        }
    }
    crate::serve_cmd::run(crate::serve_cmd::ServeArgs {
        database_url: args.db.display().to_string(),
        port: args.port,
        bind: std::net::IpAddr::from([127, 0, 0, 1]),
        today: Some(today),
        demo_data: false,
        secure_cookies: false,
        dir: args.dir,
        demo_days,
    })
}
