//! The first stage of a run: read one input file, recognise its kind (Vektis claim file, CSV or
//! Parquet claim lines), parse it with its reader and evaluate the stateless rules on every line.

use crate::checker::{Checker, Outcome, R_FILE, R_FORMAT, Reason, StateKey};
use crate::ident::{Code, parse_date, parse_u64};
use crate::row::Row;
use crate::vektis::{self, Detail, Line, Standard};
use crate::{columnar, tabular};
use rayon::prelude::*;
use std::path::Path;

/// One input file, read and evaluated.
pub(crate) struct FileWork {
    pub(crate) idx: u32,
    pub(crate) bytes: Vec<u8>,
    pub(crate) standard: Option<Standard>,
    pub(crate) parsed: Result<vektis::ClaimFile, vektis::FileError>,
    /// For CSV and Parquet claim lines (not Vektis files).
    pub(crate) table: Option<TableInput>,
    pub(crate) rows: Vec<Row>,
    /// For each row of a parsed line: what the order-dependent rules need of it.
    pub(crate) keys: Vec<Option<StateKey>>,
    pub(crate) read_error: Option<String>,
}

/// What the report says about a CSV or Parquet input.
pub(crate) struct TableInput {
    pub(crate) format: &'static str,
    /// Row faults (at most 100).
    pub(crate) faults: Vec<String>,
    /// Set when the file is rejected as a whole.
    pub(crate) error: Option<String>,
}

/// The longest line kept of any input: the rest of a longer line is skipped while reading, so
/// memory stays bounded for a file of one endless line. Any line this long is a fault in every
/// format (Vektis records have 310 bytes, a CSV row at most [`tabular::MAX_ROW_BYTES`]).
pub(crate) const LINE_LIMIT: usize = 64 * 1024;

/// The kind of an input file, from its content (never its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Starts with a 01 header record of AW319 or HA304.
    Vektis,
    /// Starts with the Parquet magic bytes `PAR1`.
    Parquet,
    /// Anything else.
    Csv,
}

impl Kind {
    pub(crate) fn of(bytes: &[u8]) -> Kind {
        if bytes.starts_with(b"PAR1") {
            Kind::Parquet
        } else if Standard::sniff(bytes).is_some() {
            Kind::Vektis
        } else {
            Kind::Csv
        }
    }
}

/// Reads a file, keeping at most [`LINE_LIMIT`] bytes of each line (a Parquet file is read
/// whole: it has no lines).
pub(crate) fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let size = f.metadata().map_or(0, |m| m.len());
    let mut out = Vec::with_capacity(usize::try_from(size.min(1 << 30)).unwrap_or(0));
    let mut chunk = vec![0u8; 1 << 20];
    // bytes of the current line seen so far (kept or not)
    let mut line_len = 0usize;
    let mut first = true;
    loop {
        let n = f.read(&mut chunk)?;
        if n == 0 {
            return Ok(out);
        }
        let mut data = &chunk[..n];
        if first {
            first = false;
            if data.starts_with(b"PAR1") {
                out.extend_from_slice(data);
                f.read_to_end(&mut out)?;
                return Ok(out);
            }
        }
        while !data.is_empty() {
            let (part, ends_line) = match memchr::memchr(b'\n', data) {
                Some(i) => (&data[..=i], true),
                None => (data, false),
            };
            let room = LINE_LIMIT.saturating_sub(line_len);
            out.extend_from_slice(&part[..part.len().min(room)]);
            if ends_line && part.len() > room {
                out.push(b'\n');
            }
            line_len = if ends_line { 0 } else { line_len + part.len() };
            data = &data[part.len()..];
        }
    }
}

pub(crate) fn load_and_eval(checker: &Checker, idx: u32, path: &Path) -> FileWork {
    let read = if path.is_dir() {
        Err(std::io::Error::other(
            "is een map, geen bestand: geef de bestanden erin op (bijv. map/*)",
        ))
    } else {
        read_bounded(path)
    };
    let bytes = match read {
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
                read_error: Some(format!("kan niet lezen: {e}")),
            };
        }
    };
    let table = match Kind::of(&bytes) {
        Kind::Csv => {
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
        Kind::Parquet => {
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
        Kind::Vektis => None,
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
                                outcome: checker.eval_submitted(
                                    f.header.provider,
                                    l,
                                    Some(f.header.invoice_date),
                                ),
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
            let reject = |row: &mut Row| {
                row.outcome = Outcome::rejected_with(Reason {
                    reason: checker.fixed(R_FILE),
                    return_code: 1,
                    element: 0,
                })
            };
            // records as lines; a file without any line break is cut into records of the
            // standard's length
            let records: Vec<&[u8]> = if memchr::memchr(b'\n', &bytes).is_some() {
                split_any(&bytes).collect()
            } else {
                bytes.chunks(p.record_len).collect()
            };
            for (i, rec) in records.iter().enumerate() {
                if rec.starts_with(b"04") {
                    let mut row = raw_row(p, idx, i + 1, rec, provider);
                    reject(&mut row);
                    rows.push(row);
                    keys.push(None);
                }
            }
            // a file rejected whole is in the results even without a readable claim line
            if rows.is_empty() {
                let mut row = raw_row(p, idx, 1, b"", provider);
                reject(&mut row);
                rows.push(row);
                keys.push(None);
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
pub(crate) fn split_any(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
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
