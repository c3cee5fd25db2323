//! The `results.csv` sink: one row per claim line, in input order, with the columns of
//! [`HEADER`]. Amounts in signed cents; reasons and return codes `;`-separated.

use super::{ResultBatch, ResultSink};
use crate::row::Row;
use crate::run::{RunError, io};
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The header line of `results.csv`.
pub const HEADER: &[u8] = b"file,line,record_id,provider_agb,bsn,prestatie,start_date,claimed_cents,granted_cents,decision,return_codes,reason_codes\n";

/// Writes `results.csv`.
pub struct CsvResults {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    buf: Vec<u8>,
    /// The `file` column of the last input seen (index, field).
    last_file: (u32, String),
    names: Vec<String>,
}

impl CsvResults {
    /// Creates the file and writes its header; `reason_names` are the reason codes by index.
    pub fn create(path: &Path, reason_names: Vec<String>) -> Result<CsvResults, RunError> {
        let mut file = std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path).map_err(io(path))?,
        );
        file.write_all(HEADER).map_err(io(path))?;
        Ok(CsvResults {
            path: path.to_path_buf(),
            file,
            buf: Vec::with_capacity(1 << 20),
            last_file: (u32::MAX, String::new()),
            names: reason_names,
        })
    }
}

impl ResultSink for CsvResults {
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError> {
        for row in batch.rows() {
            if self.last_file.0 != row.file {
                self.last_file = (row.file, file_field(&batch.run.inputs[row.file as usize]));
            }
            format_row(&mut self.buf, row, &self.last_file.1, &self.names);
            if self.buf.len() > (1 << 20) {
                self.file.write_all(&self.buf).map_err(io(&self.path))?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), RunError> {
        self.file.write_all(&self.buf).map_err(io(&self.path))?;
        self.buf.clear();
        self.file.flush().map_err(io(&self.path))
    }
}

/// The `file` column of a result row: the input as given on the command line (so that two
/// inputs of the same name stay apart), CSV-quoted when needed.
pub(crate) fn file_field(path: &Path) -> String {
    crate::context::csv_field(&path.to_string_lossy())
}

/// `v` as exactly `N` digits with leading zeros (AGB codes 8, BSNs 9).
fn push_digits<const N: usize>(buf: &mut Vec<u8>, mut v: u64) {
    let mut d = [b'0'; N];
    for c in d.iter_mut().rev() {
        *c = b'0' + (v % 10) as u8;
        v /= 10;
    }
    buf.extend_from_slice(&d);
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
    push_digits::<8>(buf, u64::from(row.provider));
    buf.push(b',');
    push_digits::<9>(buf, u64::from(row.bsn));
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
