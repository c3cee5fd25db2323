//! Claim lines as CSV, for insurers' internal batches. Columns (header required, in order):
//!
//! `provider_agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference`
//!
//! Dates `YYYY-MM-DD`; amounts in signed cents (negative = credit). A row with a bad field is
//! rejected with the matching return code (0435 for a BSN failing the 11-check, 0014 for a bad
//! AGB code, ...) and the run goes on; the fault names the row and the column.
//!
//! Rows are numbered from 1 after the header (the `line` of the result table; 0 stands for
//! the header when a file is rejected as a whole without any row). A file whose header holds
//! `;` and no `,` (Dutch Excel's default) is read with `;` as the separator. A row longer than
//! [`MAX_ROW_BYTES`] is rejected (0804); a header that long rejects the file. Amounts and
//! tariffs beyond [`MAX_CENTS`] are a fault on the row (0611), so no sum over rows overflows.

use crate::checker::{Checker, Outcome, R_FILE, R_FORMAT, Reason};
use crate::ident::{Code, agb_valid, bsn_valid, uzovi_valid};
use crate::row::Row;
use crate::vektis::Line;
use chrono::NaiveDate;
use std::io::Write;

pub const COLUMNS: [&str; 10] = [
    "provider_agb",
    "bsn",
    "uzovi",
    "prestatie",
    "start_date",
    "end_date",
    "count",
    "tariff_cents",
    "amount_cents",
    "reference",
];

/// The longest CSV row (and header) accepted, in bytes.
pub const MAX_ROW_BYTES: usize = 4096;

/// The largest amount or tariff accepted, in cents: 11 digits, the widest amount field of the
/// Vektis standards (TOTAAL DECLARATIEBEDRAG).
pub const MAX_CENTS: i64 = 99_999_999_999;

/// A fault in one CSV row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFault {
    pub line: u64,
    pub column: &'static str,
    pub return_code: u16,
    pub message: String,
}

impl std::fmt::Display for RowFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rij {}, kolom `{}`: {} (retourcode {:04})",
            self.line, self.column, self.message, self.return_code
        )
    }
}

/// Parses one CSV record into (provider, line).
pub fn parse_row(line_no: u64, r: &csv::ByteRecord) -> Result<(u32, Line), RowFault> {
    let fault = |column: &'static str, code: u16, message: &str| RowFault {
        line: line_no,
        column,
        return_code: code,
        message: message.to_string(),
    };
    if r.as_slice().len() > MAX_ROW_BYTES {
        return Err(fault(
            "",
            804,
            &format!("rij langer dan {MAX_ROW_BYTES} bytes"),
        ));
    }
    if r.len() != COLUMNS.len() {
        return Err(fault(
            "",
            804,
            &format!("{} kolommen, verwacht {}", r.len(), COLUMNS.len()),
        ));
    }
    let s = |i: usize| std::str::from_utf8(&r[i]).unwrap_or("").trim();
    let n = |i: usize| s(i).parse::<i64>().ok();
    // try_from, not `as`: 4296967297 must not wrap round to the valid AGB 1000001
    let provider = n(0)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&a| agb_valid(a))
        .ok_or_else(|| fault("provider_agb", 14, "AGB-code ongeldig"))?;
    let bsn = n(1)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&b| bsn_valid(b))
        .ok_or_else(|| fault("bsn", 435, "BSN voldoet niet aan de elfproef"))?;
    let uzovi = n(2)
        .and_then(|v| u16::try_from(v).ok())
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| fault("uzovi", 18, "UZOVI-nummer ongeldig"))?;
    let code =
        Code::parse(s(3)).ok_or_else(|| fault("prestatie", 582, "prestatiecode ongeldig"))?;
    let date = |i: usize, col: &'static str, code: u16| {
        NaiveDate::parse_from_str(s(i), "%Y-%m-%d")
            .map_err(|_| fault(col, code, "geen datum JJJJ-MM-DD"))
    };
    let start = date(4, "start_date", 20)?;
    let end = date(5, "end_date", 21)?;
    if end < start {
        return Err(fault("end_date", 21, "einddatum vóór begindatum"));
    }
    let count = n(6)
        .filter(|&c| (0..=9999).contains(&c))
        .ok_or_else(|| fault("count", 611, "geen geldig aantal"))? as u16;
    let tariff = n(7)
        .filter(|&t| (0..=MAX_CENTS).contains(&t))
        .ok_or_else(|| {
            fault(
                "tariff_cents",
                611,
                "geen bedrag in centen van hoogstens 11 cijfers",
            )
        })?;
    let amount = n(8)
        .filter(|a| a.unsigned_abs() <= MAX_CENTS as u64)
        .ok_or_else(|| {
            fault(
                "amount_cents",
                611,
                "geen bedrag in centen van hoogstens 11 cijfers",
            )
        })?;
    Ok((
        provider,
        Line {
            id: line_no,
            bsn,
            uzovi,
            insured_number: vec![],
            start,
            end,
            code_list: 0,
            code,
            count,
            performer: 0,
            tariff,
            amount,
            reference: r[9].to_vec(),
            previous_reference: vec![],
        },
    ))
}

/// The separator of a CSV file: `;` when its first line holds `;` and no `,`, else `,`.
pub fn separator(bytes: &[u8]) -> u8 {
    let first = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())];
    if memchr::memchr(b';', first).is_some() && memchr::memchr(b',', first).is_none() {
        b';'
    } else {
        b','
    }
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(separator(bytes))
        .from_reader(bytes)
}

fn header_ok(h: &csv::ByteRecord) -> bool {
    h.as_slice().len() <= MAX_ROW_BYTES && h.iter().eq(COLUMNS.iter().map(|c| c.as_bytes()))
}

/// Evaluates the stateless rules for every row of a CSV file.
pub fn eval_csv(checker: &Checker, idx: u32, bytes: &[u8]) -> (Vec<Row>, Vec<Option<Line>>) {
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut rdr = reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let header_ok = rdr.byte_headers().map(header_ok).unwrap_or(false);
    let mut line_no = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                line_no += 1;
                let (row, line) = if header_ok {
                    eval_record(checker, idx, line_no, &rec)
                } else {
                    rejected_row(checker, idx, line_no, &rec, R_FILE, 1)
                };
                rows.push(row);
                lines.push(line);
            }
            Err(_) => break,
        }
    }
    if !header_ok && rows.is_empty() {
        // rejected as a whole without a single row: the file is still in the results
        let (row, line) = rejected_row(checker, idx, 0, &csv::ByteRecord::new(), R_FILE, 1);
        rows.push(row);
        lines.push(line);
    }
    (rows, lines)
}

/// Evaluates one record of the documented columns (CSV or Parquet): the stateless rules for a
/// valid row, or a rejection with the return code of the first bad field.
pub(crate) fn eval_record(
    checker: &Checker,
    idx: u32,
    line_no: u64,
    rec: &csv::ByteRecord,
) -> (Row, Option<Line>) {
    match parse_row(line_no, rec) {
        Ok((provider, l)) => (
            Row {
                file: idx,
                line: line_no as u32,
                record_id: line_no,
                provider,
                bsn: l.bsn,
                code: Some(l.code),
                date: Some(l.start),
                claimed: l.amount,
                outcome: checker.eval(provider, &l),
            },
            Some(l),
        ),
        Err(f) => rejected_row(checker, idx, line_no, rec, R_FORMAT, f.return_code),
    }
}

/// A rejected row with the fields that can still be read (for the result table).
pub(crate) fn rejected_row(
    checker: &Checker,
    idx: u32,
    line_no: u64,
    rec: &csv::ByteRecord,
    reason: &str,
    return_code: u16,
) -> (Row, Option<Line>) {
    fn num<T: std::str::FromStr>(rec: &csv::ByteRecord, i: usize) -> Option<T> {
        std::str::from_utf8(rec.get(i).unwrap_or(b""))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }
    (
        Row {
            file: idx,
            line: line_no as u32,
            record_id: line_no,
            provider: num(rec, 0).unwrap_or(0),
            bsn: num(rec, 1).unwrap_or(0),
            code: rec.get(3).and_then(Code::from_field),
            date: None,
            claimed: num(rec, 8).unwrap_or(0),
            outcome: Outcome::rejected_with(Reason {
                reason: checker.fixed(reason),
                return_code,
                element: 0,
            }),
        },
        None,
    )
}

/// Why a CSV file is rejected as a whole (its header is not [`COLUMNS`]), if it is.
pub fn header_error(bytes: &[u8]) -> Option<String> {
    let mut rdr = reader(bytes);
    let got = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Some(format!("regel 1: kan de kopregel niet lezen: {e}")),
    };
    if header_ok(&got) {
        return None;
    }
    if got.as_slice().len() > MAX_ROW_BYTES {
        return Some(format!(
            "regel 1: kopregel langer dan {MAX_ROW_BYTES} bytes, verwacht {:?}",
            COLUMNS.join(",")
        ));
    }
    let got: Vec<String> = got
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let sep = separator(bytes) as char;
    let hint = if sep == ';' {
        " (gelezen met `;` als scheidingsteken)"
    } else {
        ""
    };
    Some(format!(
        "regel 1: kopregel is {:?}{hint}, verwacht {:?}",
        got.join(&sep.to_string()),
        COLUMNS.join(",")
    ))
}

/// The faults of a CSV file, for the report (at most 100; none when the header is wrong, as
/// then every row is rejected with 0001 whatever it holds).
pub fn faults(bytes: &[u8]) -> Vec<String> {
    if header_error(bytes).is_some() {
        return vec![];
    }
    let mut out = Vec::new();
    let mut rdr = reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut line_no = 0u64;
    while out.len() < 100 {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                line_no += 1;
                if let Err(f) = parse_row(line_no, &rec) {
                    out.push(f.to_string());
                }
            }
            Ok(false) => break,
            Err(e) => {
                out.push(format!("ongeldige CSV: {e}"));
                break;
            }
        }
    }
    out
}

/// Writes claim lines as CSV (used by the generator and the tests).
pub fn write_csv<W: Write>(mut w: W, lines: &[(u32, Line)]) -> std::io::Result<()> {
    writeln!(w, "{}", COLUMNS.join(","))?;
    for (provider, l) in lines {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{}",
            provider,
            l.bsn,
            l.uzovi,
            l.code,
            l.start,
            l.end,
            l.count,
            l.tariff,
            l.amount,
            crate::context::csv_field(&String::from_utf8_lossy(&l.reference))
        )?;
    }
    w.flush()
}
