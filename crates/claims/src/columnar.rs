//! Claim lines as Parquet, for insurers' internal batches: the columns of the CSV claim lines
//! ([`crate::tabular::COLUMNS`]), matched by name (other columns are ignored, order is free).
//!
//! Column types: whole numbers (`provider_agb`, `bsn`, `uzovi`, `count`, `tariff_cents`,
//! `amount_cents`) as INT32/INT64 or as strings; `prestatie` and `reference` as strings or
//! integers; `start_date`/`end_date` as DATE or as `YYYY-MM-DD` strings. Floating-point, DECIMAL,
//! TIMESTAMP/TIME, boolean, nested and repeated columns are refused with a fault naming the column
//! and its type (amounts are integer cents). Uncompressed and snappy-compressed files are read.
//!
//! Each row becomes the same record as a CSV row and goes through the same validation
//! ([`crate::tabular::parse_row`]): a bad field rejects that row with its return code, and the
//! fault names the row (1-based, the `line` of the result table) and the column. A file that
//! cannot be read as a whole (not Parquet, a column missing or of the wrong type, a corrupt page)
//! rejects every one of its rows with return code 0001, so no row goes missing.

use crate::checker::{Checker, R_FILE};
use crate::run::Row;
use crate::tabular::{COLUMNS, eval_record, parse_row, rejected_row};
use crate::vektis::Line;
use chrono::{Duration, NaiveDate};
use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;
use std::sync::Arc;

/// A fault that rejects a whole Parquet file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParquetError {
    #[error("not a readable Parquet file: {0}")]
    Unreadable(String),
    #[error("column `{column}` is missing (the file has: {found})")]
    MissingColumn { column: &'static str, found: String },
    #[error("column `{column}` is {found}: expected {expected}")]
    ColumnType {
        column: &'static str,
        found: String,
        expected: &'static str,
    },
    #[error("row {row}: cannot read: {message}")]
    Read { row: u64, message: String },
}

/// The evaluated rows of one Parquet file.
#[derive(Debug)]
pub struct ParquetLines {
    pub rows: Vec<Row>,
    /// For each row: the parsed line (for the stateful pass), if any.
    pub lines: Vec<Option<Line>>,
    /// Row faults for the report (at most 100), e.g. ``row 3, column `bsn`: …``.
    pub faults: Vec<String>,
    /// Set when the file is rejected as a whole (every row then rejected with 0001).
    pub error: Option<ParquetError>,
}

/// What a column may hold.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Text,
    Date,
}

fn kind(column: &str) -> Kind {
    match column {
        "start_date" | "end_date" => Kind::Date,
        "prestatie" | "reference" => Kind::Text,
        _ => Kind::Integer,
    }
}

/// Checks the type of one column; `Ok` when its values can be turned into the CSV text form.
fn check_type(column: &'static str, t: &Type) -> Result<(), ParquetError> {
    let expected = match kind(column) {
        Kind::Integer => "INT32, INT64 or a string (integer cents, no fractions)",
        Kind::Text => "a string or an integer",
        Kind::Date => "DATE or a YYYY-MM-DD string",
    };
    let bad = |found: String| ParquetError::ColumnType {
        column,
        found,
        expected,
    };
    if t.is_group() {
        return Err(bad("a nested group".into()));
    }
    let info = t.get_basic_info();
    if info.has_repetition() && info.repetition() == Repetition::REPEATED {
        return Err(bad("a repeated (list) column".into()));
    }
    let physical = t.get_physical_type();
    let logical = info.logical_type_ref();
    let converted = info.converted_type();
    let is_date = matches!(logical, Some(LogicalType::Date)) || converted == ConvertedType::DATE;
    // annotations whose values are not plain integers or text (DECIMAL, TIMESTAMP, TIME, ...)
    // are refused: the record reader would hand them over in another form
    let plain = match physical {
        Physical::BYTE_ARRAY => {
            matches!(
                logical,
                None | Some(LogicalType::String | LogicalType::Enum)
            ) && matches!(
                converted,
                ConvertedType::NONE | ConvertedType::UTF8 | ConvertedType::ENUM
            )
        }
        Physical::INT32 | Physical::INT64 => {
            matches!(logical, None | Some(LogicalType::Integer { .. }))
                && !matches!(
                    converted,
                    ConvertedType::DECIMAL
                        | ConvertedType::DATE
                        | ConvertedType::TIME_MILLIS
                        | ConvertedType::TIME_MICROS
                        | ConvertedType::TIMESTAMP_MILLIS
                        | ConvertedType::TIMESTAMP_MICROS
                )
        }
        _ => false,
    };
    let ok = match (physical, kind(column)) {
        (Physical::INT32, Kind::Date) => is_date,
        (Physical::BYTE_ARRAY, _) => plain,
        (Physical::INT32 | Physical::INT64, Kind::Integer | Kind::Text) => plain,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(bad(match logical {
            Some(LogicalType::Decimal(d)) => {
                format!("{physical} DECIMAL({}, {})", d.precision, d.scale)
            }
            _ if converted != ConvertedType::NONE => format!("{physical} {converted}"),
            Some(l) => format!("{physical} {l:?}"),
            None => physical.to_string(),
        }))
    }
}

/// The field in the text form of the CSV claim lines.
fn text(f: &Field) -> Vec<u8> {
    match f {
        Field::Null => vec![],
        Field::Str(s) => s.as_bytes().to_vec(),
        Field::Bytes(b) => b.data().to_vec(),
        Field::Byte(v) => v.to_string().into_bytes(),
        Field::Short(v) => v.to_string().into_bytes(),
        Field::Int(v) => v.to_string().into_bytes(),
        Field::Long(v) => v.to_string().into_bytes(),
        Field::UByte(v) => v.to_string().into_bytes(),
        Field::UShort(v) => v.to_string().into_bytes(),
        Field::UInt(v) => v.to_string().into_bytes(),
        Field::ULong(v) => v.to_string().into_bytes(),
        Field::Date(days) => NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|e| e.checked_add_signed(Duration::days(i64::from(*days))))
            .map(|d| d.format("%Y-%m-%d").to_string().into_bytes())
            .unwrap_or_default(),
        // refused by `check_type`; an empty field fails validation if one slips through
        _ => vec![],
    }
}

/// Opens the file and checks its columns: the reader and, per column of [`COLUMNS`], its
/// schema type.
fn open(bytes: &[u8]) -> Result<(SerializedFileReader<bytes::Bytes>, Type), ParquetError> {
    let reader = SerializedFileReader::new(bytes::Bytes::copy_from_slice(bytes))
        .map_err(|e| ParquetError::Unreadable(e.to_string()))?;
    let root = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema();
    let fields = root.get_fields();
    let mut projection: Vec<Arc<Type>> = Vec::with_capacity(COLUMNS.len());
    for column in COLUMNS {
        let t = fields.iter().find(|f| f.name() == column).ok_or_else(|| {
            ParquetError::MissingColumn {
                column,
                found: fields
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })?;
        check_type(column, t)?;
        projection.push(t.clone());
    }
    let projection = Type::group_type_builder(root.name())
        .with_fields(projection)
        .build()
        .map_err(|e| ParquetError::Unreadable(e.to_string()))?;
    Ok((reader, projection))
}

/// The rows of the file as records of the CSV columns, in file order.
fn read(bytes: &[u8]) -> Result<Vec<csv::ByteRecord>, ParquetError> {
    let (reader, projection) = open(bytes)?;
    let iter = reader
        .get_row_iter(Some(projection))
        .map_err(|e| ParquetError::Unreadable(e.to_string()))?;
    // the footer's row count is not trusted for the allocation (a corrupt one can say 2^62)
    let announced = reader
        .metadata()
        .file_metadata()
        .num_rows()
        .clamp(0, 1 << 20);
    let mut out = Vec::with_capacity(announced as usize);
    for (i, row) in iter.enumerate() {
        let row = row.map_err(|e| ParquetError::Read {
            row: i as u64 + 1,
            message: e.to_string(),
        })?;
        let mut fields: [Vec<u8>; COLUMNS.len()] = Default::default();
        for (name, f) in row.get_column_iter() {
            if let Some(c) = COLUMNS.iter().position(|c| c == name) {
                fields[c] = text(f);
            }
        }
        let mut rec = csv::ByteRecord::new();
        for f in &fields {
            rec.push_field(f);
        }
        out.push(rec);
    }
    Ok(out)
}

/// At most this many rows are accounted for in a file rejected as a whole: a corrupt footer can
/// announce any number (the run would otherwise try to hold 2^62 result rows).
pub const MAX_REJECTED_ROWS: u64 = 10_000_000;

/// The number of rows the footer announces (0 when unreadable), at most [`MAX_REJECTED_ROWS`].
fn announced_rows(bytes: &[u8]) -> u64 {
    std::panic::catch_unwind(|| {
        SerializedFileReader::new(bytes::Bytes::copy_from_slice(bytes))
            .map(|r| r.metadata().file_metadata().num_rows().max(0) as u64)
            .unwrap_or(0)
    })
    .unwrap_or(0)
    .min(MAX_REJECTED_ROWS)
}

/// Reads the rows of a Parquet file as records of the CSV columns, in file order. The
/// `parquet` crate panics on some corrupt pages (e.g. `assertion failed: size <= src.len()` in
/// its bit reader); such a panic is caught here and becomes [`ParquetError::Unreadable`], so one
/// bad file cannot abort a run.
pub fn read_records(bytes: &[u8]) -> Result<Vec<csv::ByteRecord>, ParquetError> {
    std::panic::catch_unwind(|| read(bytes)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ParquetError::Unreadable(format!(
            "corrupt file (the Parquet reader failed: {what})"
        )))
    })
}

/// Reads a Parquet file of claim lines and evaluates the stateless rules for every row.
pub fn eval_parquet(checker: &Checker, idx: u32, bytes: &[u8]) -> ParquetLines {
    match read_records(bytes) {
        Ok(records) => {
            let mut out = ParquetLines {
                rows: Vec::with_capacity(records.len()),
                lines: Vec::with_capacity(records.len()),
                faults: vec![],
                error: None,
            };
            for (i, rec) in records.iter().enumerate() {
                let row_no = i as u64 + 1;
                let (row, line) = eval_record(checker, idx, row_no, rec);
                if line.is_none()
                    && out.faults.len() < 100
                    && let Err(f) = parse_row(row_no, rec)
                {
                    out.faults.push(format!(
                        "row {row_no}, column `{}`: {} (return code {:04})",
                        f.column, f.message, f.return_code
                    ));
                }
                out.rows.push(row);
                out.lines.push(line);
            }
            out
        }
        Err(e) => {
            let n = announced_rows(bytes);
            let empty = csv::ByteRecord::new();
            let (rows, lines) = (1..=n)
                .map(|row_no| rejected_row(checker, idx, row_no, &empty, R_FILE, 1))
                .unzip();
            ParquetLines {
                rows,
                lines,
                faults: vec![],
                error: Some(e),
            }
        }
    }
}
