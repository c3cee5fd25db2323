//! `zorginkoop settle fgv`: the FGV score of every practice of a measurement year, per
//! formulary group (issue 14 part 5; the use case is `zorginkoop_app::year_figures`).

use crate::PolicyDir;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;

/// The GP policy whose FGV parameters apply.
const GP_POLICY: &str = "gp-2022-2023";

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
    if a.json {
        println!("{}", serde_json::to_string_pretty(&year)?);
    } else {
        print!("{}", year.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
