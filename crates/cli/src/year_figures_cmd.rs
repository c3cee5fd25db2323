//! The year figures of issue 14 part 5, as subcommands of `zorginkoop settle`:
//!
//! * `settle fgv`: the FGV score of every practice of a measurement year, per formulary group
//!   (GP care; the use case is `zorginkoop_app::year_figures`);
//! * `settle kwetsbare-ouderen`: the budget Kwetsbare ouderen of every regio-organisatie for a
//!   year (O&I; `zorginkoop_app::frail_elderly`);
//! * `settle kbz-monitor`: the Krachtige Basiszorg monitor per participating practice (O&I;
//!   `zorginkoop_app::kbz_monitor`).

use crate::PolicyDir;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;

/// The GP policy whose FGV parameters apply.
const GP_POLICY: &str = "gp-2022-2023";

/// The O&I policy of the frail-elderly budget and the KBZ monitor.
const OI_POLICY: &str = "oi-2026-2027";

#[derive(Args)]
pub struct FgvArgs {
    /// The measurement results, CSV:
    /// practice_agb,formulary,conform_first_prescriptions,total_first_prescriptions.
    #[arg(long, value_name = "FILE.csv")]
    measurements: PathBuf,
    /// The measurement year (the policy's parameters of that year apply).
    #[arg(long, value_name = "YEAR")]
    year: i32,
    /// Thresholds the insurer published per formulary, CSV: formulary,x,y,z (percentages).
    /// A formulary without them gets no score, only an indication by its group's quartiles.
    #[arg(long, value_name = "FILE.csv")]
    thresholds: Option<PathBuf>,
    /// The GP policy (id or file).
    #[arg(long, value_name = "ID", default_value = GP_POLICY)]
    policy: String,
    /// JSON instead of text (shape named by its `schema`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

/// Prints `value` as JSON, or the Dutch text.
fn emit<T: serde::Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print!("{}", text());
    }
    Ok(ExitCode::SUCCESS)
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{} lezen", path.display()))
}

pub fn run(a: FgvArgs) -> anyhow::Result<ExitCode> {
    let policy = a.dir.source().open(&a.policy)?;
    let (start, end) = (
        policy.file.policy.period_start,
        policy.file.policy.period_end,
    );
    use chrono::Datelike;
    if a.year < start.year() || a.year > end.year() {
        anyhow::bail!(
            "meetjaar {} valt buiten de looptijd van {} ({} t/m {}); kies het beleid met --policy",
            a.year,
            policy.file.policy.id,
            start.year(),
            end.year()
        );
    }
    let measurements =
        app::year_figures::parse_measurements(&a.measurements, &read(&a.measurements)?)?;
    let thresholds = match &a.thresholds {
        Some(p) => app::year_figures::parse_thresholds(p, &read(p)?)?,
        None => Default::default(),
    };
    let year = app::year_figures::fgv_year(&policy, a.year, &measurements, &thresholds)?;
    emit(a.json, &year, || year.to_text())
}

#[derive(Args)]
pub struct FrailElderlyArgs {
    /// The number of 75-plussers every regio-organisatie entered, CSV: ro_agb,persons_75_plus
    /// (one row per RO, the AGB code as 8 digits).
    #[arg(long, value_name = "FILE.csv")]
    counts: PathBuf,
    /// The contract year (2026 or 2027 under oi-2026-2027): the tariff of that year applies.
    #[arg(long, value_name = "YEAR")]
    year: i32,
    /// The O&I policy (id or file).
    #[arg(long, value_name = "ID", default_value = OI_POLICY)]
    policy: String,
    /// JSON instead of text (shape named by its `schema`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

/// `zorginkoop settle kwetsbare-ouderen`.
pub fn run_frail_elderly(a: FrailElderlyArgs) -> anyhow::Result<ExitCode> {
    let policy = a.dir.source().open(&a.policy)?;
    let counts = app::frail_elderly::parse_counts(&a.counts, &read(&a.counts)?)?;
    let year = app::frail_elderly::frail_elderly_year(&policy, a.year, &counts)?;
    emit(a.json, &year, || year.to_text())
}

#[derive(Args)]
pub struct KbzMonitorArgs {
    /// The Vektis Praktijkspiegel figures, CSV: practice_agb,year,domain,actual,expected, one
    /// row per practice, year and domain; domain msz, ggz or farmacie (costs in euro) or anw
    /// (ANW/HAP/HDS consultations and visits, in the Praktijkspiegel's measure); decimals with a
    /// point. High-cost patients are left out by the Praktijkspiegel already.
    #[arg(long, value_name = "FILE.csv")]
    praktijkspiegel: PathBuf,
    /// The year in which the monitor is shared (Q2 2026 or Q2 2027); it shows the 3 years
    /// before it. Rows of other years are ignored and counted.
    #[arg(long, value_name = "YEAR")]
    year: i32,
    /// The O&I policy (id or file).
    #[arg(long, value_name = "ID", default_value = OI_POLICY)]
    policy: String,
    /// JSON instead of text (shape named by its `schema`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    dir: PolicyDir,
}

/// `zorginkoop settle kbz-monitor`.
pub fn run_kbz_monitor(a: KbzMonitorArgs) -> anyhow::Result<ExitCode> {
    let policy = a.dir.source().open(&a.policy)?;
    let figures = app::kbz_monitor::parse_figures(&a.praktijkspiegel, &read(&a.praktijkspiegel)?)?;
    let monitor = app::kbz_monitor::kbz_monitor(&policy, a.year, &figures)?;
    emit(a.json, &monitor, || monitor.to_text())
}
