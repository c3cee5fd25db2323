//! A checking run over many files, as a pipeline of three stages that keeps both cores busy:
//!
//! 1. parse each file and evaluate the stateless rules (files and lines in parallel);
//! 2. apply the order-dependent rules (duplicates, once per period) in input order;
//! 3. write one return message per Vektis file, the result rows (`results.csv`) and the tallies
//!    (files in parallel, appended in input order).
//!
//! At the end the revenue ceilings are settled, the affected lines patched in place in their
//! return messages, and the summary written (`summary.json`, `summary.txt`).
//!
//! Memory: at most a few batches of files are in flight between the stages. What grows with
//! the run is the duplicate set (8 bytes per distinct line, in a hash set) and 32 bytes per line
//! under a revenue ceiling (the rows themselves wait in a spill file in the output directory);
//! the context (contracts, enrolments, insured register) is held whole.

use crate::checker::{
    CeilingCandidate, Checker, Outcome, R_FILE, R_FORMAT, Reason, State, StateKey, apply_ceilings,
};
use crate::ident::{Code, parse_date, parse_u64};
use crate::vektis::{self, Decision, Detail, Line, ReturnBuilder, Standard};
use crate::{columnar, tabular};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    /// State file for duplicates and once-per-period rules across runs (None: in memory only).
    pub state: Option<PathBuf>,
    /// Date written in the return messages.
    pub date: NaiveDate,
    pub progress: bool,
}

/// A run failed as a whole (I/O on the output, for instance).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What happened to one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub standard: String,
    pub lines: u64,
    /// `accepted` or `rejected` (file level, return code 0001).
    pub status: String,
    pub error: Option<String>,
    pub return_message: Option<String>,
    /// Faults in single records (with line numbers).
    pub record_faults: Vec<String>,
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: u32,
    pub line: u32,
    pub record_id: u64,
    pub provider: u32,
    pub bsn: u32,
    pub code: Option<Code>,
    pub date: Option<NaiveDate>,
    pub claimed: i64,
    pub outcome: Outcome,
}

/// The ceiling candidates' rows, kept in a file in the output directory until the end of the
/// run (so memory does not grow with them): fixed-size binary records, see [`Row::to_bytes`].
struct Spill {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    len: usize,
}

impl Spill {
    fn create(path: &Path) -> Result<Spill, RunError> {
        Ok(Spill {
            path: path.to_path_buf(),
            file: std::io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(path).map_err(io(path))?,
            ),
            len: 0,
        })
    }
    fn push(&mut self, row: &Row) -> Result<(), RunError> {
        self.file
            .write_all(&row.to_bytes())
            .map_err(io(&self.path))?;
        self.len += 1;
        Ok(())
    }
    /// The rows, in the order they were pushed.
    fn finish(self) -> Result<impl Iterator<Item = Result<Row, RunError>>, RunError> {
        let path = self.path;
        self.file.into_inner().map_err(|e| RunError::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        let mut r = std::io::BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(&path).map_err(io(&path))?,
        );
        Ok((0..self.len).map(move |_| {
            let mut b = [0u8; ROW_BYTES];
            std::io::Read::read_exact(&mut r, &mut b).map_err(io(&path))?;
            Ok(Row::from_bytes(&b))
        }))
    }
}

/// Size of a [`Row`] as bytes.
const ROW_BYTES: usize = 99;

impl Row {
    /// Fixed-size little-endian bytes (for the spill file; read back by [`Row::from_bytes`]).
    fn to_bytes(&self) -> [u8; ROW_BYTES] {
        let mut b = [0u8; ROW_BYTES];
        let mut at = 0;
        let mut put = |v: &[u8]| {
            b[at..at + v.len()].copy_from_slice(v);
            at += v.len();
        };
        put(&self.file.to_le_bytes());
        put(&self.line.to_le_bytes());
        put(&self.record_id.to_le_bytes());
        put(&self.provider.to_le_bytes());
        put(&self.bsn.to_le_bytes());
        let code = self.code.as_ref().map_or(&[][..], |c| c.as_bytes());
        let mut cb = [0u8; 9];
        cb[0] = if self.code.is_some() {
            1 + code.len() as u8
        } else {
            0
        };
        cb[1..1 + code.len()].copy_from_slice(code);
        put(&cb);
        put(&self
            .date
            .map_or(i32::MIN, |d| chrono::Datelike::num_days_from_ce(&d))
            .to_le_bytes());
        put(&self.claimed.to_le_bytes());
        let o = &self.outcome;
        put(&[o.decision as u8]);
        put(&o.granted.to_le_bytes());
        put(&[o.n_reasons]);
        for r in &o.reasons {
            put(&r.reason.to_le_bytes());
            put(&r.return_code.to_le_bytes());
            put(&r.element.to_le_bytes());
        }
        put(&o.contract.to_le_bytes());
        put(&o.ceiling_rule.to_le_bytes());
        debug_assert_eq!(at, ROW_BYTES);
        b
    }

    fn from_bytes(b: &[u8; ROW_BYTES]) -> Row {
        let mut at = 0;
        let mut take = |n: usize| {
            let v = &b[at..at + n];
            at += n;
            v
        };
        let u16_ = |v: &[u8]| u16::from_le_bytes(v.try_into().unwrap());
        let u32_ = |v: &[u8]| u32::from_le_bytes(v.try_into().unwrap());
        let u64_ = |v: &[u8]| u64::from_le_bytes(v.try_into().unwrap());
        let file = u32_(take(4));
        let line = u32_(take(4));
        let record_id = u64_(take(8));
        let provider = u32_(take(4));
        let bsn = u32_(take(4));
        let cb = take(9);
        let code = match cb[0] {
            0 => None,
            n => Code::from_field(&cb[1..n as usize]),
        };
        let days = u32_(take(4)) as i32;
        let date = (days != i32::MIN)
            .then(|| NaiveDate::from_num_days_from_ce_opt(days))
            .flatten();
        let claimed = u64_(take(8)) as i64;
        let decision = match take(1)[0] {
            0 => Decision::Granted,
            1 => Decision::Reduced,
            _ => Decision::Rejected,
        };
        let granted = u64_(take(8)) as i64;
        let n_reasons = take(1)[0];
        let mut reasons = [Reason::default(); crate::checker::MAX_REASONS];
        for r in &mut reasons {
            *r = Reason {
                reason: u16_(take(2)),
                return_code: u16_(take(2)),
                element: u16_(take(2)),
            };
        }
        let contract = u32_(take(4));
        let ceiling_rule = u32_(take(4));
        Row {
            file,
            line,
            record_id,
            provider,
            bsn,
            code,
            date,
            claimed,
            outcome: Outcome {
                decision,
                granted,
                reasons,
                n_reasons,
                contract,
                ceiling_rule,
            },
        }
    }
}

struct FileWork {
    idx: u32,
    bytes: Vec<u8>,
    standard: Option<Standard>,
    parsed: Result<vektis::ClaimFile, vektis::FileError>,
    /// For CSV and Parquet claim lines (not Vektis files).
    table: Option<TableInput>,
    rows: Vec<Row>,
    /// For each row of a parsed line: what the order-dependent rules need of it.
    keys: Vec<Option<StateKey>>,
    read_error: Option<String>,
}

/// What the report says about a CSV or Parquet input.
struct TableInput {
    format: &'static str,
    /// Row faults (at most 100).
    faults: Vec<String>,
    /// Set when the file is rejected as a whole.
    error: Option<String>,
}

/// Totals per provider and reason.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Tally {
    pub lines: u64,
    pub claimed_cents: i64,
    pub granted_cents: i64,
}

impl Tally {
    fn add(&mut self, claimed: i64, granted: i64) {
        self.lines += 1;
        self.claimed_cents += claimed;
        self.granted_cents += granted;
    }
    fn merge(&mut self, o: &Tally) {
        self.lines += o.lines;
        self.claimed_cents += o.claimed_cents;
        self.granted_cents += o.granted_cents;
    }
}

/// The summary of a run.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: Vec<FileReport>,
    pub total: Tally,
    pub by_decision: BTreeMap<String, Tally>,
    /// Reason code → tally (a line with several reasons counts under each).
    pub by_reason: BTreeMap<String, Tally>,
    /// Provider AGB → (reason code or `-` for lines without a reason) → tally.
    pub by_provider: BTreeMap<u32, BTreeMap<String, Tally>>,
}

impl Summary {
    /// Adds the tallies of `o` (its file reports are not taken).
    fn merge(&mut self, o: Summary) {
        self.total.merge(&o.total);
        for (k, v) in o.by_decision {
            self.by_decision.entry(k).or_default().merge(&v);
        }
        for (k, v) in o.by_reason {
            self.by_reason.entry(k).or_default().merge(&v);
        }
        for (p, m) in o.by_provider {
            let mine = self.by_provider.entry(p).or_default();
            for (k, v) in m {
                mine.entry(k).or_default().merge(&v);
            }
        }
    }
}

/// Runs the checker over `opts.inputs`.
pub fn run(checker: &Checker, opts: &RunOptions) -> Result<Summary, RunError> {
    let result = run_inner(checker, opts);
    if result.is_err() {
        // a failed run leaves no spill file behind (a finished one removes it itself)
        let _ = std::fs::remove_file(opts.out_dir.join(SPILL_NAME));
    }
    result
}

/// Name of the spill file of ceiling lines in the output directory (gone when a run ends).
const SPILL_NAME: &str = ".ceiling-lines.tmp";

fn run_inner(checker: &Checker, opts: &RunOptions) -> Result<Summary, RunError> {
    let out = &opts.out_dir;
    std::fs::create_dir_all(out.join("returns")).map_err(io(out))?;
    let mut state = match &opts.state {
        Some(p) => State::load(p).map_err(io(p))?,
        None => State::default(),
    };
    let results_path = out.join("results.csv");
    let spill_path = &out.join(SPILL_NAME);
    let mut results_file = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&results_path).map_err(io(&results_path))?,
    );
    results_file
        .write_all(b"file,line,record_id,provider_agb,bsn,prestatie,start_date,claimed_cents,granted_cents,decision,return_codes,reason_codes\n")
        .map_err(io(&results_path))?;
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
    let reason_names: Vec<String> = checker.reasons.iter().map(|r| r.code.clone()).collect();
    // A pipeline of three threads, so that both cores stay busy and memory stays bounded:
    // - the producer parses and evaluates batches of files (in parallel, on the rayon pool);
    // - this thread applies the order-dependent rules (duplicates, once per period) in input
    //   order;
    // - the writer writes return messages and result rows and tallies (in parallel, on the
    //   pool), then appends them in input order.
    // At most `QUEUE` batches wait between two stages.
    const QUEUE: usize = 2;
    let inputs = &opts.inputs;
    let (mut summary, deferred, mut cands, mut results) = std::thread::scope(|scope| {
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
        let (names, reason_names, bar) = (&names, &reason_names, &bar);
        let results_path = &results_path;
        let writer = scope.spawn(move || -> Result<_, RunError> {
            let mut summary = Summary::default();
            let mut deferred = Spill::create(spill_path)?;
            let mut cands: Vec<CeilingCandidate> = Vec::new();
            for works in decided {
                // 3. return messages, result rows and tallies, in parallel
                let written: Vec<Written> = works
                    .par_iter()
                    .map(|w| write_outputs(checker, opts, w, &names[w.idx as usize], reason_names))
                    .collect::<Result<_, _>>()?;
                // 4. in input order: append rows, add tallies, collect ceiling candidates
                for (w, out) in works.iter().zip(written) {
                    results_file.write_all(&out.csv).map_err(io(results_path))?;
                    summary.merge(out.tally);
                    for row in out.ceiling {
                        cands.push(CeilingCandidate {
                            contract: row.outcome.contract,
                            date: row.date.unwrap_or_default(),
                            order: (row.file, row.line),
                            granted: row.outcome.granted,
                            slot: deferred.len,
                        });
                        deferred.push(&row)?;
                    }
                    bar.inc(w.bytes.len() as u64);
                    summary.files.push(out.report);
                }
            }
            Ok((summary, deferred, cands, results_file))
        });
        // 2. order-dependent rules, in input order
        for mut works in parsed {
            for w in &mut works {
                for (row, key) in w.rows.iter_mut().zip(&w.keys) {
                    if let Some(k) = key {
                        checker.eval_stateful_key(&mut state, k, &mut row.outcome);
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
    // 5. revenue ceilings: decided on the candidates (32 bytes each in memory); their rows
    // come back from the spill file in order, the rejected ones changed on the way
    let rejected_slots = apply_ceilings(&checker.ctx, &mut cands);
    drop(cands);
    let mut rejected = vec![false; deferred.len];
    for slot in rejected_slots {
        rejected[slot] = true;
    }
    let mut patches: BTreeMap<u32, Vec<(u32, i64, Outcome)>> = BTreeMap::new();
    let mut buf = Vec::with_capacity(1 << 20);
    let mut last_file = (u32::MAX, String::new());
    for (slot, row) in deferred.finish()?.enumerate() {
        let mut row = row?;
        if rejected[slot] {
            let rule = row.outcome.ceiling_rule as u16;
            let before = row.outcome.granted;
            row.outcome.reject(Reason {
                reason: rule,
                return_code: checker.reasons[rule as usize].return_code,
                element: 418,
            });
            patches
                .entry(row.file)
                .or_default()
                .push((row.line, before, row.outcome));
        }
        if last_file.0 != row.file {
            last_file = (row.file, file_field(&opts.inputs[row.file as usize]));
        }
        format_row(&mut buf, &row, &last_file.1, &reason_names);
        tally(&mut summary, &row, &reason_names);
        if buf.len() > (1 << 20) {
            results.write_all(&buf).map_err(io(&results_path))?;
            buf.clear();
        }
    }
    results.write_all(&buf).map_err(io(&results_path))?;
    results.flush().map_err(io(&results_path))?;
    let _ = std::fs::remove_file(spill_path);
    for (file, lines) in patches {
        let report = &summary.files[file as usize];
        if let Some(name) = &report.return_message {
            let std = if report.standard == "AW319" {
                Standard::Aw319
            } else {
                Standard::Ha304
            };
            patch_return(&out.join("returns").join(name), std, &lines)?;
        }
    }
    if let Some(p) = &opts.state {
        state.save(p).map_err(io(p))?;
    }
    bar.finish_and_clear();
    write_summary(checker, out, &summary)?;
    Ok(summary)
}

fn is_ceiling_candidate(row: &Row) -> bool {
    row.outcome.ceiling_rule != u32::MAX
        && row.outcome.decision != Decision::Rejected
        && row.outcome.granted > 0
}

fn tally(s: &mut Summary, row: &Row, names: &[String]) {
    let o = &row.outcome;
    s.total.add(row.claimed, o.granted);
    s.by_decision
        .entry(o.decision.as_str().to_string())
        .or_default()
        .add(row.claimed, o.granted);
    let prov = s.by_provider.entry(row.provider).or_default();
    if o.reasons().is_empty() {
        prov.entry("-".into())
            .or_default()
            .add(row.claimed, o.granted);
    }
    for r in o.reasons() {
        let name = &names[r.reason as usize];
        s.by_reason
            .entry(name.clone())
            .or_default()
            .add(row.claimed, o.granted);
        prov.entry(name.clone())
            .or_default()
            .add(row.claimed, o.granted);
    }
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

fn load_and_eval(checker: &Checker, idx: u32, path: &Path) -> FileWork {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return FileWork {
                idx,
                bytes: vec![],
                standard: None,
                parsed: Err(vektis::FileError {
                    line: 0,
                    field: String::new(),
                    message: e.to_string(),
                }),
                table: None,
                rows: vec![],
                keys: vec![],
                read_error: Some(format!("cannot read: {e}")),
            };
        }
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let table = match ext.as_deref() {
        Some("csv") => {
            let (rows, lines) = tabular::eval_csv(checker, idx, &bytes);
            let faults = tabular::faults(&bytes);
            Some((
                rows,
                lines,
                TableInput {
                    format: "CSV",
                    faults,
                    error: tabular::header_error(&bytes),
                },
            ))
        }
        Some("parquet") => {
            let p = columnar::eval_parquet(checker, idx, &bytes);
            Some((
                p.rows,
                p.lines,
                TableInput {
                    format: "Parquet",
                    faults: p.faults,
                    error: p.error.map(|e| e.to_string()),
                },
            ))
        }
        _ => None,
    };
    if let Some((rows, lines, table)) = table {
        let keys = rows
            .iter()
            .zip(lines)
            .map(|(r, l): (&Row, Option<Line>)| l.map(|l| StateKey::of(r.provider, &l)))
            .collect();
        return FileWork {
            idx,
            bytes,
            standard: None,
            parsed: Err(vektis::FileError {
                line: 0,
                field: String::new(),
                message: String::new(),
            }),
            table: Some(table),
            rows,
            keys,
            read_error: None,
        };
    }
    let standard = Standard::sniff(&bytes);
    let parsed = vektis::parse_claim_file(&bytes);
    let mut rows = Vec::new();
    let mut keys = Vec::new();
    match &parsed {
        Ok(f) => {
            let p = f.header.standard.positions();
            let evals: Vec<(Row, Option<StateKey>)> = f
                .details
                .par_iter()
                .with_min_len(512)
                .filter_map(|d| match &d.detail {
                    Detail::Line(r) => Some((d, r)),
                    _ => None,
                })
                .map(|(d, r)| {
                    let rec = &bytes[d.offset..d.offset + d.len];
                    match r.as_ref() {
                        Ok(l) => (
                            Row {
                                file: idx,
                                line: d.line as u32,
                                record_id: l.id,
                                provider: f.header.provider,
                                bsn: l.bsn,
                                code: Some(l.code),
                                date: Some(l.start),
                                claimed: l.amount,
                                outcome: checker.eval(f.header.provider, l),
                            },
                            Some(StateKey::of(f.header.provider, l)),
                        ),
                        Err(fault) => {
                            let mut row = raw_row(p, idx, d.line, rec, f.header.provider);
                            row.outcome = Outcome::rejected_with(Reason {
                                reason: checker.fixed(R_FORMAT),
                                return_code: fault.return_code,
                                element: fault.element.parse().unwrap_or(0),
                            });
                            (row, None)
                        }
                    }
                })
                .collect();
            for (r, k) in evals {
                rows.push(r);
                keys.push(k);
            }
        }
        Err(_) => {
            // file rejected: every 04 record still gets a row
            let p = standard.unwrap_or(Standard::Ha304).positions();
            let provider = standard
                .and_then(|_| bytes.get(p.h_provider.start..p.h_provider.start + p.h_provider.len))
                .and_then(parse_u64)
                .unwrap_or(0) as u32;
            for (i, rec) in split_any(&bytes).enumerate() {
                if rec.starts_with(b"04") {
                    let mut row = raw_row(p, idx, i + 1, rec, provider);
                    row.outcome = Outcome::rejected_with(Reason {
                        reason: checker.fixed(R_FILE),
                        return_code: 1,
                        element: 0,
                    });
                    rows.push(row);
                    keys.push(None);
                }
            }
        }
    }
    FileWork {
        idx,
        bytes,
        standard,
        parsed,
        table: None,
        rows,
        keys,
        read_error: None,
    }
}

/// Splits on LF, dropping a CR before it (for files whose structure is broken).
fn split_any(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let trimmed = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    trimmed
        .split(|&b| b == b'\n')
        .filter(move |_| !bytes.is_empty())
        .map(|r| r.strip_suffix(b"\r").unwrap_or(r))
}

/// A row from a record that could not be parsed as a line: best-effort fields.
fn raw_row(p: &vektis::ClaimPositions, idx: u32, line: usize, rec: &[u8], provider: u32) -> Row {
    let get = |pos: crate::layout::Pos| rec.get(pos.start..pos.start + pos.len);
    let amount = get(p.l_amount).and_then(parse_u64).map_or(0, |v| v as i64)
        * if get(p.l_dc2) == Some(b"C") { -1 } else { 1 };
    Row {
        file: idx,
        line: line as u32,
        record_id: get(p.l_id).and_then(parse_u64).unwrap_or(0),
        provider,
        bsn: get(p.l_bsn).and_then(parse_u64).unwrap_or(0) as u32,
        code: get(p.l_code).and_then(Code::from_field),
        date: get(p.l_start).and_then(parse_date),
        claimed: amount,
        outcome: Outcome::new(0),
    }
}

/// The `file` column of a result row: the input's file name, CSV-quoted when needed.
fn file_field(path: &Path) -> String {
    crate::context::csv_field(&path.file_name().unwrap_or_default().to_string_lossy())
}

/// Appends one `results.csv` row (no allocation: this runs once per claim line).
fn format_row(buf: &mut Vec<u8>, row: &Row, file_field: &str, names: &[String]) {
    let mut num = itoa::Buffer::new();
    let o = &row.outcome;
    buf.extend_from_slice(file_field.as_bytes());
    buf.push(b',');
    buf.extend_from_slice(num.format(row.line).as_bytes());
    buf.push(b',');
    buf.extend_from_slice(num.format(row.record_id).as_bytes());
    buf.push(b',');
    buf.extend_from_slice(num.format(row.provider).as_bytes());
    buf.push(b',');
    buf.extend_from_slice(num.format(row.bsn).as_bytes());
    buf.push(b',');
    if let Some(c) = row.code {
        push_csv_bytes(buf, c.as_bytes());
    }
    buf.push(b',');
    if let Some(d) = row.date {
        push_date(buf, d);
    }
    buf.push(b',');
    buf.extend_from_slice(num.format(row.claimed).as_bytes());
    buf.push(b',');
    buf.extend_from_slice(num.format(o.granted).as_bytes());
    buf.push(b',');
    buf.extend_from_slice(o.decision.as_str().as_bytes());
    buf.push(b',');
    for (i, c) in o.return_codes().iter().enumerate() {
        if i > 0 {
            buf.push(b';');
        }
        push_code4(buf, c.code);
    }
    buf.push(b',');
    for (i, r) in o.reasons().iter().enumerate() {
        if i > 0 {
            buf.push(b';');
        }
        buf.extend_from_slice(names[r.reason as usize].as_bytes());
    }
    buf.push(b'\n');
}

/// A field as CSV: quoted (with doubled quotes) when it holds a comma, quote or line break.
fn push_csv_bytes(buf: &mut Vec<u8>, v: &[u8]) {
    if v.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for &b in v {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        // codes from a damaged record may hold any byte: keep the row valid UTF-8
        buf.extend_from_slice(String::from_utf8_lossy(v).as_bytes());
    }
}

/// `YYYY-MM-DD` (years 0..=9999, as the claim files hold).
fn push_date(buf: &mut Vec<u8>, d: NaiveDate) {
    use chrono::Datelike;
    let (y, m, dd) = (d.year().clamp(0, 9999) as u32, d.month(), d.day());
    buf.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (dd / 10) as u8,
        b'0' + (dd % 10) as u8,
    ]);
}

/// A return code as four digits.
fn push_code4(buf: &mut Vec<u8>, c: u16) {
    let c = c.min(9999);
    buf.extend_from_slice(&[
        b'0' + (c / 1000) as u8,
        b'0' + (c / 100 % 10) as u8,
        b'0' + (c / 10 % 10) as u8,
        b'0' + (c % 10) as u8,
    ]);
}

/// What the writer stage made of one file.
struct Written {
    /// Its `results.csv` rows (ceiling candidates excepted: they are written at the end).
    csv: Vec<u8>,
    report: FileReport,
    /// The tallies of its rows (ceiling candidates excepted).
    tally: Summary,
    /// The ceiling candidates, decided at the end of the run.
    ceiling: Vec<Row>,
}

fn write_outputs(
    checker: &Checker,
    opts: &RunOptions,
    w: &FileWork,
    name: &str,
    names: &[String],
) -> Result<Written, RunError> {
    let path = &opts.inputs[w.idx as usize];
    let mut csv = Vec::with_capacity(w.rows.len() * 100);
    let field = file_field(path);
    let mut tally_ = Summary::default();
    let mut ceiling = Vec::new();
    for row in &w.rows {
        if is_ceiling_candidate(row) {
            ceiling.push(row.clone());
        } else {
            format_row(&mut csv, row, &field, names);
            tally(&mut tally_, row, names);
        }
    }
    let done = |csv, report| {
        Ok(Written {
            csv,
            report,
            tally: tally_,
            ceiling,
        })
    };
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
        return done(csv, report);
    }
    if let Some(e) = &w.read_error {
        report.status = "rejected".into();
        report.error = Some(e.clone());
        return done(csv, report);
    }
    if let Err(e) = &w.parsed {
        report.status = "rejected".into();
        report.error = Some(e.to_string());
    }
    if let Ok(f) = &w.parsed {
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
    let Some(standard) = w.standard else {
        return done(csv, report);
    };
    let ret_name = format!("{name}.{}", standard.return_name());
    let ret_path = opts.out_dir.join("returns").join(&ret_name);
    let bytes = build_return(checker, w, standard, opts.date);
    std::fs::write(&ret_path, bytes).map_err(io(&ret_path))?;
    report.return_message = Some(ret_name);
    done(csv, report)
}

fn build_return(checker: &Checker, w: &FileWork, standard: Standard, date: NaiveDate) -> Vec<u8> {
    let _ = checker;
    let mut b = ReturnBuilder::new(standard);
    let rlen = b.p.record_len + 2;
    let n_records = split_any(&w.bytes).count();
    let mut out = Vec::with_capacity(n_records * rlen + rlen);
    let reference = format!("ZK{:016X}", xxhash_rust::xxh3::xxh3_64(&w.bytes));
    let file_ok = w.parsed.is_ok();
    let reject = [vektis::ReturnCode {
        code: 1,
        element: 0,
    }];
    let mut rows = w.rows.iter().peekable();
    let mut claimed = 0i64;
    let mut granted = 0i64;
    let mut counts = [0u64; 4];
    let mut saw_trailer = false;
    let mut insured_fault: Option<vektis::ReturnCode> = None;
    let faults: std::collections::HashMap<usize, &vektis::LineFault> = match &w.parsed {
        Ok(f) => f
            .details
            .iter()
            .filter_map(|d| match &d.detail {
                Detail::Insured(Err(e)) => Some((d.line, e)),
                _ => None,
            })
            .collect(),
        Err(_) => Default::default(),
    };
    for (i, rec) in split_any(&w.bytes).enumerate() {
        let line = i + 1;
        let kind = rec.get(..2).unwrap_or(b"");
        match kind {
            b"01" if i == 0 => {
                out.extend_from_slice(b.header(
                    rec,
                    reference.as_bytes(),
                    date,
                    if file_ok { &[] } else { &reject },
                ));
            }
            b"04" => {
                counts[2] += 1;
                let row = rows.next_if(|r| r.line as usize == line);
                match row {
                    Some(r) => {
                        claimed += r.claimed;
                        granted += r.outcome.granted;
                        let codes = r.outcome.return_codes();
                        out.extend_from_slice(b.line(
                            rec,
                            r.outcome.granted,
                            r.outcome.decision,
                            &codes,
                        ));
                    }
                    None => out.extend_from_slice(b.line(rec, 0, Decision::Rejected, &reject)),
                }
            }
            b"99" => {
                saw_trailer = true;
                out.extend_from_slice(b.trailer(rec, claimed, granted));
            }
            _ => {
                let codes: Vec<vektis::ReturnCode> = if !file_ok {
                    reject.to_vec()
                } else if let Some(f) = faults.get(&line) {
                    let c = vektis::ReturnCode {
                        code: f.return_code,
                        element: f.element.parse().unwrap_or(0),
                    };
                    insured_fault = Some(c);
                    vec![c]
                } else {
                    vec![]
                };
                match kind {
                    b"02" => counts[0] += 1,
                    b"03" => counts[1] += 1,
                    b"98" => counts[3] += 1,
                    _ => {}
                }
                out.extend_from_slice(b.other(rec, &codes));
            }
        }
    }
    let _ = insured_fault;
    if !saw_trailer {
        // truncated or broken file: close the return message with a trailer of our own
        let mut t = vec![b'0'; standard.claim_layout().record_len];
        t[..2].copy_from_slice(b"99");
        let p = standard.positions();
        let put = |t: &mut Vec<u8>, pos: crate::layout::Pos, v: u64| {
            crate::ident::write_num(&mut t[pos.start..pos.start + pos.len], v)
        };
        put(&mut t, p.t_n02, counts[0]);
        put(&mut t, p.t_n03, counts[1]);
        put(&mut t, p.t_n04, counts[2]);
        put(&mut t, p.t_n98, counts[3]);
        put(&mut t, p.t_total_records, counts.iter().sum());
        out.extend_from_slice(b.trailer(&t, claimed, granted));
    }
    out
}

/// Sets the ceiling-rejected lines of a return message to granted 0 and fixes the trailer.
fn patch_return(
    path: &Path,
    standard: Standard,
    lines: &[(u32, i64, Outcome)],
) -> Result<(), RunError> {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io(path))?;
    let mut b = ReturnBuilder::new(standard);
    let rlen = (b.p.record_len + 2) as u64;
    let claim_len = b.p.claim_len;
    let mut rec = vec![0u8; rlen as usize];
    let mut removed = 0i64;
    use std::io::Read;
    for (line, before, outcome) in lines {
        let (line, before) = (*line, *before);
        let codes = outcome.return_codes();
        let off = (line as u64 - 1) * rlen;
        f.seek(SeekFrom::Start(off)).map_err(io(path))?;
        f.read_exact(&mut rec).map_err(io(path))?;
        let new = b
            .line(&rec[..claim_len], 0, Decision::Rejected, &codes)
            .to_vec();
        f.seek(SeekFrom::Start(off)).map_err(io(path))?;
        f.write_all(&new).map_err(io(path))?;
        removed += before;
    }
    let len = f.metadata().map_err(io(path))?.len();
    f.seek(SeekFrom::Start(len - rlen)).map_err(io(path))?;
    f.read_exact(&mut rec).map_err(io(path))?;
    let p = b.p;
    let claimed = parse_u64(p.t_claimed.get(&rec)).unwrap_or(0) as i64
        * if p.t_claimed_dc.get(&rec) == b"C" {
            -1
        } else {
            1
        };
    let granted = parse_u64(p.t_granted.get(&rec)).unwrap_or(0) as i64
        * if p.t_granted_dc.get(&rec) == b"C" {
            -1
        } else {
            1
        };
    let new = b
        .trailer(&rec[..claim_len], claimed, granted - removed)
        .to_vec();
    f.seek(SeekFrom::Start(len - rlen)).map_err(io(path))?;
    f.write_all(&new).map_err(io(path))?;
    Ok(())
}

fn write_summary(checker: &Checker, out: &Path, s: &Summary) -> Result<(), RunError> {
    let p = out.join("summary.json");
    let reasons: Vec<serde_json::Value> = checker
        .rules
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "reason_code": r.reason_code, "rule": r.id, "policy": r.policy,
                "return_code": format!("{:04}", r.return_code), "source": r.source,
            })
        })
        .collect();
    let json = serde_json::json!({ "summary": s, "rules": reasons });
    std::fs::write(&p, serde_json::to_vec_pretty(&json).unwrap()).map_err(io(&p))?;
    let p = out.join("summary.txt");
    std::fs::write(&p, summary_text(s)).map_err(io(&p))?;
    let p = out.join("rules.json");
    std::fs::write(&p, serde_json::to_vec_pretty(&checker.rules).unwrap()).map_err(io(&p))?;
    Ok(())
}

fn eur(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

/// The readable summary table (totals, per decision, per reason, per provider and reason).
pub fn summary_text(s: &Summary) -> String {
    let mut t = summary_head(s);
    t.push_str(&provider_table(s));
    t
}

/// The summary without the per-provider table (for the terminal).
pub fn summary_head(s: &Summary) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let rejected_files = s.files.iter().filter(|f| f.status == "rejected").count();
    let _ = writeln!(
        t,
        "Files: {} ({} rejected as a whole)",
        s.files.len(),
        rejected_files
    );
    for f in s.files.iter().filter(|f| f.error.is_some()).take(20) {
        let _ = writeln!(t, "  {}: {}", f.file, f.error.as_deref().unwrap_or(""));
    }
    let _ = writeln!(
        t,
        "Lines: {}  claimed EUR {}  granted EUR {}",
        s.total.lines,
        eur(s.total.claimed_cents),
        eur(s.total.granted_cents)
    );
    let _ = writeln!(
        t,
        "\n{:<10} {:>12} {:>16} {:>16}",
        "decision", "lines", "claimed EUR", "granted EUR"
    );
    for (k, v) in &s.by_decision {
        let _ = writeln!(
            t,
            "{:<10} {:>12} {:>16} {:>16}",
            k,
            v.lines,
            eur(v.claimed_cents),
            eur(v.granted_cents)
        );
    }
    let _ = writeln!(
        t,
        "\n{:<34} {:>12} {:>16}",
        "reason", "lines", "claimed EUR"
    );
    for (k, v) in &s.by_reason {
        let _ = writeln!(t, "{:<34} {:>12} {:>16}", k, v.lines, eur(v.claimed_cents));
    }
    t
}

fn provider_table(s: &Summary) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\n{:<10} {:<34} {:>10} {:>14} {:>14}",
        "provider", "reason", "lines", "claimed EUR", "granted EUR"
    );
    for (p, m) in &s.by_provider {
        for (k, v) in m {
            let _ = writeln!(
                t,
                "{:<10} {:<34} {:>10} {:>14} {:>14}",
                format!("{p:08}"),
                k,
                v.lines,
                eur(v.claimed_cents),
                eur(v.granted_cents)
            );
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row survives the spill file unchanged, with and without code and date, credit amounts
    /// and a full set of reasons.
    #[test]
    fn a_row_round_trips_through_its_spill_bytes() {
        let mut o = Outcome::new(-12_345);
        for i in 0..crate::checker::MAX_REASONS as u16 {
            o.reject(Reason {
                reason: i,
                return_code: 600 + i,
                element: 400 + i,
            });
        }
        o.contract = 77;
        o.ceiling_rule = 3;
        let full = Row {
            file: 14_759,
            line: 4_000_000,
            record_id: 999_999_999_999,
            provider: 75_997_279,
            bsn: 123_456_782,
            code: Code::parse("190031"),
            date: NaiveDate::from_ymd_opt(2022, 12, 31),
            claimed: -12_345,
            outcome: o,
        };
        let back = Row::from_bytes(&full.to_bytes());
        assert_eq!(format!("{back:?}"), format!("{full:?}"));
        let bare = Row {
            code: None,
            date: None,
            outcome: Outcome::new(500),
            ..full
        };
        let back = Row::from_bytes(&bare.to_bytes());
        assert_eq!(format!("{back:?}"), format!("{bare:?}"));
        assert_eq!(back.outcome.decision, Decision::Granted);
    }
}
