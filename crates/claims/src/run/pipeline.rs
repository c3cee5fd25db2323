//! The run itself: three threads (read and evaluate, order-dependent rules, sinks) joined by
//! bounded channels, then the revenue ceilings over the spilled lines and the sinks' finish.

use super::load::{FileWork, load_and_eval};
use super::sinks::csv::CsvResults;
use super::sinks::parquet::ParquetResults;
use super::sinks::returns::ReturnMessages;
use super::sinks::summary::SummaryTallies;
use super::sinks::{InputFile, ResultBatch, ResultSink, RunInfo};
use super::spill::{SPILL_NAME, Spill};
use super::{FileReport, RunError, RunOptions, Summary, io};
use crate::checker::{CeilingCandidate, Checker, Reason, State, apply_ceilings};
use crate::row::Row;
use crate::vektis::{Decision, Detail};
use rayon::prelude::*;
use std::path::PathBuf;

/// The sinks of a run.
struct Sinks<'a, 'e, 'x> {
    csv: CsvResults,
    parquet: Option<ParquetResults>,
    returns: ReturnMessages,
    summary: SummaryTallies<'a>,
    extra: &'e mut [&'x mut dyn ResultSink],
}

impl Sinks<'_, '_, '_> {
    fn all(&mut self) -> Vec<&mut (dyn ResultSink + '_)> {
        let mut v: Vec<&mut (dyn ResultSink + '_)> =
            vec![&mut self.csv, &mut self.returns, &mut self.summary];
        if let Some(p) = &mut self.parquet {
            v.push(p);
        }
        for s in self.extra.iter_mut() {
            v.push(&mut **s);
        }
        v
    }

    /// Hands the batches to every sink (the sinks side by side, each in batch order).
    fn write(&mut self, batches: &[ResultBatch<'_>]) -> Result<(), RunError> {
        self.all()
            .into_par_iter()
            .try_for_each(|s| batches.iter().try_for_each(|b| s.write(b)))
    }

    fn finish(&mut self) -> Result<(), RunError> {
        self.all().into_par_iter().try_for_each(|s| s.finish())
    }
}

/// Rows of ceiling lines per batch at the end of the run.
const CEILING_BATCH: usize = 1 << 16;

/// The run into the folder `out` (the staging folder), judged against `state` (which it
/// updates). A failed run may leave files in `out`.
pub(crate) fn run_inner(
    checker: &Checker,
    opts: &RunOptions,
    out: &std::path::Path,
    extra: &mut [&mut dyn ResultSink],
    state: &mut State,
) -> Result<Summary, RunError> {
    let returns_dir = out.join("returns");
    std::fs::create_dir_all(&returns_dir).map_err(io(out))?;
    let spill_path = &out.join(SPILL_NAME);
    let reason_names: Vec<String> = checker.reasons.iter().map(|r| r.code.clone()).collect();
    let receipt = checker.rules.receipt();
    let info = RunInfo {
        inputs: &opts.inputs,
        reasons: &checker.reasons,
        receipt: &receipt,
    };
    let sinks = Sinks {
        csv: CsvResults::create(&out.join("results.csv"), reason_names.clone())?,
        parquet: if opts.parquet {
            Some(ParquetResults::create(
                &out.join("results.parquet"),
                reason_names,
                &receipt,
            )?)
        } else {
            None
        },
        returns: ReturnMessages::new(&returns_dir, opts.date),
        summary: SummaryTallies::new(checker, out),
        extra,
    };
    let names = return_names(&opts.inputs);
    let total_bytes: u64 = opts
        .inputs
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(total_bytes);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {bytes}/{total_bytes} {msg}",
            )
            .unwrap(),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let batch = (rayon::current_num_threads() * 4).max(4);
    // A pipeline of three threads, so that both cores stay busy and memory stays bounded:
    // - the producer parses and evaluates batches of files (in parallel, on the rayon pool);
    // - this thread applies the order-dependent rules (duplicates, once per period) in input
    //   order;
    // - the writer hands the decided lines to the sinks (the sinks side by side, on the pool),
    //   in input order, and spills the lines under a revenue ceiling.
    // At most `QUEUE` batches wait between two stages.
    const QUEUE: usize = 2;
    let inputs = &opts.inputs;
    let (mut sinks, deferred, mut cands) = std::thread::scope(|scope| {
        let (to_state, parsed) = std::sync::mpsc::sync_channel::<Vec<FileWork>>(QUEUE);
        let (to_writer, decided) = std::sync::mpsc::sync_channel::<Vec<FileWork>>(QUEUE);
        scope.spawn(move || {
            for chunk_start in (0..inputs.len()).step_by(batch) {
                let chunk_end = (chunk_start + batch).min(inputs.len());
                // 1. parse and stateless rules, in parallel
                let works: Vec<FileWork> = (chunk_start..chunk_end)
                    .into_par_iter()
                    .map(|i| load_and_eval(checker, i as u32, &inputs[i]))
                    .collect();
                if to_state.send(works).is_err() {
                    return; // a later stage stopped on an error
                }
            }
        });
        let (names, bar, info) = (&names, &bar, &info);
        let mut sinks = sinks;
        let writer = scope.spawn(move || -> Result<_, RunError> {
            let mut deferred = Spill::create(spill_path)?;
            let mut cands: Vec<CeilingCandidate> = Vec::new();
            for works in decided {
                // 3. the sinks, in input order
                let reports: Vec<FileReport> = works
                    .iter()
                    .map(|w| report(w, &opts.inputs[w.idx as usize], &names[w.idx as usize]))
                    .collect();
                let batches: Vec<ResultBatch> = works
                    .iter()
                    .zip(&reports)
                    .map(|(w, report)| {
                        ResultBatch::file(
                            info,
                            InputFile {
                                index: w.idx,
                                bytes: &w.bytes,
                                standard: w.standard,
                                parsed: match (&w.table, &w.parsed) {
                                    (None, Ok(f)) => Some(f),
                                    _ => None,
                                },
                                report,
                                all_rows: &w.rows,
                            },
                            is_ceiling_candidate,
                        )
                    })
                    .collect();
                sinks.write(&batches)?;
                // the lines under a ceiling wait in the spill file
                for w in &works {
                    for row in w.rows.iter().filter(|r| is_ceiling_candidate(r)) {
                        cands.push(CeilingCandidate {
                            contract: row.outcome.contract,
                            date: row.date.unwrap_or_default(),
                            order: (row.file, row.line),
                            granted: row.outcome.granted,
                            slot: deferred.len,
                        });
                        deferred.push(row)?;
                    }
                    bar.inc(w.bytes.len() as u64);
                }
            }
            Ok((sinks, deferred, cands))
        });
        // 2. order-dependent rules, in input order
        for mut works in parsed {
            for w in &mut works {
                for (row, key) in w.rows.iter_mut().zip(&w.keys) {
                    if let Some(k) = key {
                        checker.eval_stateful_key(state, k, &mut row.outcome);
                    }
                }
            }
            if to_writer.send(works).is_err() {
                break; // the writer stopped on an error
            }
        }
        drop(to_writer);
        writer.join().expect("writer thread panicked")
    })?;
    // 4. revenue ceilings: decided on the candidates (32 bytes each in memory); their rows
    // come back from the spill file in order, the rejected ones changed on the way
    let rejected_slots = apply_ceilings(&checker.ctx, &mut cands);
    drop(cands);
    let mut rejected = vec![false; deferred.len];
    for slot in rejected_slots {
        rejected[slot] = true;
    }
    let mut rows: Vec<Row> = Vec::with_capacity(CEILING_BATCH.min(deferred.len));
    let mut before: Vec<i64> = Vec::with_capacity(rows.capacity());
    let flush = |sinks: &mut Sinks, rows: &mut Vec<Row>, before: &mut Vec<i64>| {
        let r = sinks.write(&[ResultBatch::ceilings(&info, rows, before)]);
        rows.clear();
        before.clear();
        r
    };
    for (slot, row) in deferred.finish()?.enumerate() {
        let mut row = row?;
        before.push(row.outcome.granted);
        if rejected[slot] {
            let rule = row.outcome.ceiling_rule as u16;
            row.outcome.reject(Reason {
                reason: rule,
                return_code: checker.reasons[rule as usize].return_code,
                element: 418,
            });
        }
        rows.push(row);
        if rows.len() >= CEILING_BATCH {
            flush(&mut sinks, &mut rows, &mut before)?;
        }
    }
    flush(&mut sinks, &mut rows, &mut before)?;
    let _ = std::fs::remove_file(spill_path);
    bar.finish_and_clear();
    sinks.finish()?;
    Ok(std::mem::take(&mut sinks.summary.summary))
}

fn is_ceiling_candidate(row: &Row) -> bool {
    row.outcome.ceiling_rule != u32::MAX
        && row.outcome.decision != Decision::Rejected
        && row.outcome.granted > 0
}

/// What happened to one input file (the return message named `name` plus the standard's
/// suffix, for a Vektis file).
fn report(w: &FileWork, path: &std::path::Path, name: &str) -> FileReport {
    let mut report = FileReport {
        file: path.display().to_string(),
        standard: match &w.table {
            Some(t) => t.format.into(),
            None => w.standard.map_or("unknown".into(), |s| s.name().into()),
        },
        lines: w.rows.len() as u64,
        status: "accepted".into(),
        error: None,
        return_message: None,
        record_faults: vec![],
    };
    if let Some(t) = &w.table {
        report.record_faults = t.faults.clone();
        if let Some(e) = &t.error {
            report.status = "rejected".into();
            report.error = Some(e.clone());
        }
        return report;
    }
    if let Some(e) = &w.read_error {
        report.status = "rejected".into();
        report.error = Some(e.clone());
        return report;
    }
    match &w.parsed {
        Err(e) => {
            report.status = "rejected".into();
            report.error = Some(e.to_string());
        }
        Ok(f) => {
            for d in &f.details {
                let fault = match &d.detail {
                    Detail::Insured(Err(f)) => Some(f),
                    Detail::Line(r) => r.as_ref().as_ref().err(),
                    _ => None,
                };
                if let Some(f) = fault
                    && report.record_faults.len() < 100
                {
                    report.record_faults.push(f.to_string());
                }
            }
        }
    }
    if let Some(standard) = w.standard {
        report.return_message = Some(format!("{name}.{}", standard.return_name()));
    }
    report
}

/// Return-message file names: the input's file name plus `.AW320`/`.HA305` (prefixed with the
/// input's position when two inputs share a name).
fn return_names(inputs: &[PathBuf]) -> Vec<String> {
    let base: Vec<String> = inputs
        .iter()
        .map(|p| {
            p.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    base.iter()
        .enumerate()
        .map(|(i, b)| {
            if base.iter().filter(|x| *x == b).count() > 1 {
                format!("{i:05}_{b}")
            } else {
                b.clone()
            }
        })
        .collect()
}
