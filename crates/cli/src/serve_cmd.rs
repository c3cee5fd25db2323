//! `zorginkoop serve`: the contracting portal on a database (SQLite file by default, or
//! PostgreSQL with `--database-url postgres://...`).

use crate::{PolicyDir, parse_date};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use zorginkoop_app as app;
use zorginkoop_portal::{AppState, Clock};

#[derive(Args)]
pub struct ServeArgs {
    /// Database: a SQLite file (created on first start) or postgres://user@host/db
    #[arg(
        long,
        value_name = "URL",
        default_value = "zorginkoop.db",
        env = "ZORGINKOOP_DATABASE_URL"
    )]
    pub database_url: String,
    /// Port to listen on
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Act as if today is this date (demo, training); default: the real date
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// Add the demo organisations and accounts when the database has none
    #[arg(long)]
    pub demo_data: bool,
    /// Set the Secure flag on cookies (when served behind HTTPS)
    #[arg(long)]
    pub secure_cookies: bool,
    #[command(flatten)]
    pub dir: PolicyDir,
    /// Give each demo organisation its own day inside its process's window (with `--today`,
    /// for the others; `demo` does this unless given `--today`)
    #[arg(long, requires = "today")]
    pub demo_days: bool,
}

/// Opens the database, optionally seeds the demo accounts, and serves until stopped.
pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let set = args.dir.load()?;
    let db = app::store::Db::open(&args.database_url)
        .with_context(|| format!("database {}", args.database_url))?;
    if args.demo_data {
        app::portal_demo::seed(&db, chrono::Utc::now())?;
        crate::demo_settlement::seed(&db, &args.dir.source())?;
        crate::demo_settlement::seed_labs(&db, &args.dir.source())?;
    }
    let clock = args.today.map_or(Clock::System, Clock::Fixed);
    let mut state = AppState::new(db.clone(), set, clock);
    if args.demo_days {
        state = state.with_organisation_days(app::portal_demo::organisation_days(&db)?);
    }
    state.secure_cookies = args.secure_cookies;
    let backend = db.backend().name();
    zorginkoop_portal::run(state, SocketAddr::new(args.bind, args.port), |addr| {
        println!("zorginkoop-portaal op http://{addr}/ ({backend}); stoppen met Ctrl-C");
    })
    .context("portaal")?;
    Ok(ExitCode::SUCCESS)
}
