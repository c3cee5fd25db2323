//! `zorginkoop claims ...` and `zorginkoop contracts ...`: arguments in, `zorginkoop_app::claims`
//! and `zorginkoop_app::contracts` called, results printed.
//!
//! `claims check` checks Vektis claim files (AW319, HA304) and CSV claim lines against the
//! contracts, care-chain enrolments and insured register of a context directory and the claim
//! rules of the policies; `claims generate` writes synthetic files; `contracts export` writes the
//! portal database's contracts as the checker's `contracts.csv`; `contracts seed-demo` fills a
//! database with demo contracts.

use crate::PolicyDir;
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use zorginkoop_app as app;

#[derive(Subcommand)]
pub enum ClaimsCommand {
    /// Check claim files: writes per file the return message (AW320 for AW319, HA305 for HA304),
    /// results.csv and results.parquet (one row per claim line) and summary.json / summary.txt
    /// in --out.
    Check {
        /// Claim files: Vektis AW319/HA304, CSV or Parquet claim lines (the format is read from the
        /// content, not the name), in the order they were received (duplicates are judged in
        /// this order). A folder stands for the files in it (not its subfolders, not hidden
        /// files), in the order of their names.
        #[arg(required = true, value_name = "FILES")]
        files: Vec<PathBuf>,
        /// Context directory with contracts.csv, chains.csv and insured.csv.
        #[arg(long, value_name = "DIR")]
        context: PathBuf,
        /// Output directory (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Claims history: the lines granted by earlier checks, for duplicates and
        /// once-per-period rules across runs. Updated only when the check succeeds, together
        /// with the outputs; one check at a time (lock <FILE>.lock).
        #[arg(long, value_name = "FILE", default_value = "claims-history.bin")]
        history: PathBuf,
        /// No claims history: judge these files on their own (nothing is read or kept).
        #[arg(long)]
        no_history: bool,
        /// When another check uses the same history or output folder, wait for it instead of
        /// refusing.
        #[arg(long)]
        wait: bool,
        /// Date of the return messages (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
        date: Option<NaiveDate>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Do not write results.parquet (results.csv is always written).
        #[arg(long)]
        no_parquet: bool,
        #[command(flatten)]
        dir: PolicyDir,
    },
    /// Write reproducible synthetic claim files (<out>/claims) and context (<out>/context).
    Generate {
        /// Number of claim lines.
        #[arg(long, default_value_t = 10_000)]
        lines: u64,
        /// Random seed: the same seed gives the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        dir: PolicyDir,
    },
}

#[derive(Subcommand)]
pub enum ContractsCommand {
    /// Write the contracts of the portal database as contracts.csv for `claims check --context`.
    Export {
        /// The portal's database: a SQLite file or postgres://user@host/db
        #[arg(long, visible_alias = "database-url", value_name = "FILE|URL")]
        db: String,
        /// Output file (contracts.csv).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Create the database (schema migrations) and add a few demo contracts.
    SeedDemo {
        /// The SQLite database (created when missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
}

pub fn run_claims(cmd: ClaimsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ClaimsCommand::Check {
            files,
            context,
            out,
            history,
            no_history,
            wait,
            date,
            quiet,
            no_parquet,
            dir,
        } => {
            let history = (!no_history).then_some(history);
            let files = expand_folders(files)?;
            let summary = app::claims::check_from(
                &dir.source(),
                app::claims::CheckRequest {
                    files,
                    context,
                    out: out.clone(),
                    history,
                    wait,
                    date: date.unwrap_or_else(crate::today),
                    progress: !quiet,
                    parquet: !no_parquet,
                },
            )?;
            print!("{}", app::claims::summary_head(&summary));
            println!(
                "\nGeschreven naar {}: returns/ (retourberichten), results.csv,{} summary.json, summary.txt (per zorgaanbieder)",
                out.display(),
                if no_parquet { "" } else { " results.parquet," }
            );
            match &summary.history {
                Some(h) => {
                    println!(
                        "Claimgeschiedenis: {} ({} sleutels vóór deze run, {} erbij)",
                        h.path.display(),
                        h.keys_before,
                        h.keys_added
                    );
                    if h.repeat {
                        println!(
                            "Deze run herhaalt de vorige run op deze geschiedenis (dezelfde bestanden, uitvoermap en datum): beoordeeld tegen de geschiedenis van vóór die run, en die vervangen."
                        );
                    }
                }
                None => println!(
                    "Geen claimgeschiedenis (--no-history): deze bestanden zijn op zichzelf beoordeeld."
                ),
            }
            let rejected = summary.files.iter().any(|f| f.status == "rejected");
            Ok(if rejected {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        ClaimsCommand::Generate {
            lines,
            seed,
            out,
            dir,
        } => {
            let g = app::claims::generate_from(&dir.source(), lines, seed, &out)?;
            println!(
                "{} declaratieregels in {} bestanden ({} zorgaanbieders, {} verzekerden, {} contracten) in {}/claims, context in {}/context",
                g.lines,
                g.files,
                g.providers,
                g.insured,
                g.contracts,
                out.display(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_contracts(cmd: ContractsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ContractsCommand::Export { db, out } => {
            let n = app::contracts::export(&db, &out)?;
            println!("{n} contracten geschreven naar {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        ContractsCommand::SeedDemo { db } => {
            let s = app::contracts::seed_demo_db(&db)?;
            println!(
                "{} democontracten toegevoegd aan {} (ids {:?}); {} waren er al",
                s.added.len(),
                db.display(),
                s.added,
                s.present
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The claim files named: a folder stands for the regular, not hidden files directly in it,
/// sorted by name (byte order, as a shell's `*` in the C locale); files stay where they are in
/// the list.
fn expand_folders(paths: Vec<PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        if !p.is_dir() {
            out.push(p);
            continue;
        }
        let entries =
            std::fs::read_dir(&p).map_err(|e| anyhow::anyhow!("map {} lezen: {e}", p.display()))?;
        let mut inside = Vec::new();
        for e in entries {
            let e = e.map_err(|e| anyhow::anyhow!("map {} lezen: {e}", p.display()))?;
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if !hidden && e.path().is_file() {
                inside.push(e.path());
            }
        }
        if inside.is_empty() {
            anyhow::bail!("map {} bevat geen declaratiebestanden", p.display());
        }
        inside.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        out.extend(inside);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::expand_folders;

    #[test]
    fn a_folder_stands_for_its_files_in_name_order_without_hidden_files_or_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("claims");
        std::fs::create_dir_all(claims.join("old")).unwrap();
        for name in ["b.asc", "a.asc", ".hidden", "old/c.asc", "10.asc"] {
            std::fs::write(claims.join(name), "x").unwrap();
        }
        let single = dir.path().join("single.csv");
        std::fs::write(&single, "x").unwrap();
        let files = expand_folders(vec![single.clone(), claims.clone()]).unwrap();
        assert_eq!(
            files,
            vec![
                single,
                claims.join("10.asc"),
                claims.join("a.asc"),
                claims.join("b.asc")
            ]
        );
        let empty = dir.path().join("leeg");
        std::fs::create_dir(&empty).unwrap();
        let e = expand_folders(vec![empty]).unwrap_err().to_string();
        assert!(e.contains("bevat geen declaratiebestanden"), "{e}");
    }
}
