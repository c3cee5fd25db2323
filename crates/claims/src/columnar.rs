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
use crate::row::Row;
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
    #[error("geen leesbaar Parquet-bestand: {0}")]
    Unreadable(String),
    #[error("kolom `{column}` ontbreekt (het bestand heeft: {found})")]
    MissingColumn { column: &'static str, found: String },
    #[error("kolom `{column}` is {found}: verwacht {expected}")]
    ColumnType {
        column: &'static str,
        found: String,
        expected: &'static str,
    },
    #[error("rij {row}: kan niet lezen: {message}")]
    Read { row: u64, message: String },
}

/// The evaluated rows of one Parquet file.
#[derive(Debug)]
pub struct ParquetLines {
    pub rows: Vec<Row>,
    /// For each row: the parsed line (for the stateful pass), if any.
    pub lines: Vec<Option<Line>>,
    /// Row faults for the report (at most 100), e.g. ``rij 3, kolom `bsn`: …``.
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
        Kind::Integer => "INT32, INT64 of tekst (gehele centen, geen breuken)",
        Kind::Text => "tekst of een geheel getal",
        Kind::Date => "DATE of tekst JJJJ-MM-DD",
    };
    let bad = |found: String| ParquetError::ColumnType {
        column,
        found,
        expected,
    };
    if t.is_group() {
        return Err(bad("een geneste groep".into()));
    }
    let info = t.get_basic_info();
    if info.has_repetition() && info.repetition() == Repetition::REPEATED {
        return Err(bad("een herhaalde kolom (lijst)".into()));
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
    check_pages(bytes, &reader)?;
    Ok((reader, projection))
}

/// Checks the page headers of the columns read against the row counts, before the `parquet`
/// crate touches a page. A corrupt header can hold a Thrift list of two billion empty
/// elements, which the crate's header reader skips one by one (a 1,273-byte file found by
/// fuzzing kept it busy for 3 s in a release build, 43-72 s under the fuzzer), or announce
/// millions of values in a page of a few bytes. The headers are read here with a strict
/// Thrift reader of our own ([`read_page_header`]: every length checked against the bytes
/// left), so such a file is refused in microseconds.
///
/// For a flat column every row has exactly one value (nulls included), so the values announced
/// by the data pages of a column chunk must add up to the rows of its row group, and the row
/// groups to the rows of the file.
fn check_pages(
    bytes: &[u8],
    reader: &SerializedFileReader<bytes::Bytes>,
) -> Result<(), ParquetError> {
    let corrupt = |m: String| ParquetError::Unreadable(format!("beschadigd bestand: {m}"));
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let leaves: Vec<usize> = COLUMNS
        .iter()
        .filter_map(|c| schema.columns().iter().position(|l| l.name() == *c))
        .collect();
    let mut file_rows = 0i64;
    for g in 0..meta.num_row_groups() {
        let group = meta.row_group(g);
        let rows = group.num_rows();
        if rows < 0 {
            return Err(corrupt(format!("rijgroep {g} heeft {rows} rijen")));
        }
        file_rows = file_rows.saturating_add(rows);
        for &leaf in &leaves {
            let name = schema.column(leaf).name().to_string();
            let bad = |m: String| corrupt(format!("kolom `{name}`, rijgroep {g}: {m}"));
            let (start, len) = group.column(leaf).byte_range();
            let end = start.checked_add(len).filter(|&e| e <= bytes.len() as u64);
            let Some(end) = end else {
                return Err(bad(format!(
                    "bytes {start}+{len} liggen buiten het bestand ({} bytes)",
                    bytes.len()
                )));
            };
            let (mut pos, end) = (start as usize, end as usize);
            let mut values = 0i64;
            while pos < end {
                let head = read_page_header(&bytes[pos..end])
                    .map_err(|m| bad(format!("paginakop op byte {pos}: {m}")))?;
                let size = usize::try_from(head.compressed_size)
                    .ok()
                    .filter(|&n| n <= end - pos - head.header_len)
                    .ok_or_else(|| {
                        bad(format!(
                            "pagina op byte {pos} meldt {} bytes, het kolomblok heeft er nog {}",
                            head.compressed_size,
                            end - pos - head.header_len
                        ))
                    })?;
                if head.data_page {
                    values = values.saturating_add(head.values.max(0));
                    if head.values < 0 || values > rows {
                        return Err(bad(format!(
                            "de pagina's melden meer waarden dan de {rows} rijen"
                        )));
                    }
                }
                pos += head.header_len + size;
            }
            if values != rows {
                return Err(bad(format!("{values} waarden voor {rows} rijen")));
            }
        }
    }
    if file_rows != meta.file_metadata().num_rows() {
        return Err(corrupt(format!(
            "de rijgroepen bevatten {file_rows} rijen, de voettekst meldt {}",
            meta.file_metadata().num_rows()
        )));
    }
    Ok(())
}

/// What [`check_pages`] needs of a page header.
#[derive(Debug, PartialEq, Eq)]
struct PageHead {
    header_len: usize,
    compressed_size: i64,
    /// A data page (v1 or v2), whose values count towards the rows.
    data_page: bool,
    values: i64,
}

/// Reads a Parquet `PageHeader` (Thrift compact protocol) from the start of `b`, strictly:
/// every varint, string, list and map is checked against the bytes left, nesting is limited.
fn read_page_header(b: &[u8]) -> Result<PageHead, String> {
    let mut t = Compact { b, pos: 0 };
    let mut kind = None;
    let mut compressed = None;
    let mut values = None;
    let mut last = 0i16;
    while let Some((id, ty)) = t.field(&mut last)? {
        match (id, ty) {
            (1, 5) => kind = Some(t.zigzag()?),
            (3, 5) => compressed = Some(t.zigzag()?),
            // data_page_header, dictionary_page_header, data_page_header_v2: field 1 is
            // num_values in each
            (5 | 7 | 8, 12) => {
                let mut last = 0i16;
                while let Some((id, ty)) = t.field(&mut last)? {
                    if (id, ty) == (1, 5) && values.is_none() {
                        values = Some(t.zigzag()?);
                    } else {
                        t.skip(ty, 1)?;
                    }
                }
            }
            _ => t.skip(ty, 1)?,
        }
    }
    let kind = kind.ok_or("geen paginatype")?;
    Ok(PageHead {
        header_len: t.pos,
        compressed_size: compressed.ok_or("geen gecomprimeerde paginagrootte")?,
        data_page: kind == 0 || kind == 3,
        values: values.unwrap_or(0),
    })
}

/// A strict reader of the Thrift compact protocol over a slice.
struct Compact<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Compact<'_> {
    fn left(&self) -> usize {
        self.b.len() - self.pos
    }
    fn byte(&mut self) -> Result<u8, String> {
        let v = *self.b.get(self.pos).ok_or("eindigt te vroeg")?;
        self.pos += 1;
        Ok(v)
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint te lang".into())
    }
    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }
    fn take(&mut self, n: u64) -> Result<(), String> {
        if n > self.left() as u64 {
            return Err(format!("{n} bytes aangekondigd, nog {} over", self.left()));
        }
        self.pos += n as usize;
        Ok(())
    }
    /// The next field of a struct: (id, type), None at its end.
    fn field(&mut self, last: &mut i16) -> Result<Option<(i16, u8)>, String> {
        let h = self.byte()?;
        let ty = h & 0x0f;
        if ty == 0 {
            return Ok(None);
        }
        let delta = (h >> 4) as i16;
        let id = if delta == 0 {
            i16::try_from(self.zigzag()?).map_err(|_| "veldnummer buiten bereik")?
        } else {
            last.checked_add(delta).ok_or("veldnummer buiten bereik")?
        };
        *last = id;
        Ok(Some((id, ty)))
    }
    /// Skips a value of type `ty` (a struct field; in lists, booleans take a byte: `elem`).
    fn skip(&mut self, ty: u8, depth: u8) -> Result<(), String> {
        self.skip_value(ty, depth, false)
    }
    fn skip_value(&mut self, ty: u8, depth: u8, elem: bool) -> Result<(), String> {
        if depth > 16 {
            return Err("te diep genest".into());
        }
        match ty {
            1 | 2 if elem => self.take(1),
            1 | 2 => Ok(()),
            3 => self.take(1),
            4..=6 => self.varint().map(drop),
            7 => self.take(8),
            8 => {
                let n = self.varint()?;
                self.take(n)
            }
            9 | 10 => {
                let h = self.byte()?;
                let n = match h >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                // every element takes at least a byte
                if n > self.left() as u64 {
                    return Err(format!(
                        "lijst van {n} elementen, nog {} bytes over",
                        self.left()
                    ));
                }
                for _ in 0..n {
                    self.skip_value(h & 0x0f, depth + 1, true)?;
                }
                Ok(())
            }
            11 => {
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                let kv = self.byte()?;
                if n.saturating_mul(2) > self.left() as u64 {
                    return Err(format!(
                        "map van {n} elementen, nog {} bytes over",
                        self.left()
                    ));
                }
                for _ in 0..n {
                    self.skip_value(kv >> 4, depth + 1, true)?;
                    self.skip_value(kv & 0x0f, depth + 1, true)?;
                }
                Ok(())
            }
            12 => {
                let mut last = 0i16;
                while let Some((_, ty)) = self.field(&mut last)? {
                    self.skip_value(ty, depth + 1, false)?;
                }
                Ok(())
            }
            13 => self.take(16),
            t => Err(format!("onbekend Thrift-type {t}")),
        }
    }
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
            "beschadigd bestand (de Parquet-lezer faalde: {what})"
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
                        "rij {row_no}, kolom `{}`: {} (retourcode {:04})",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// DATA_PAGE, uncompressed 10, compressed 8, data_page_header { num_values 4, encoding 0 }.
    const HEADER: [u8; 13] = [
        0x15, 0x00, 0x15, 0x14, 0x15, 0x10, 0x2c, 0x15, 0x08, 0x15, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn a_page_header_is_read_with_its_length_size_and_values() {
        let mut b = HEADER.to_vec();
        b.extend_from_slice(&[0xAA; 8]); // the page itself
        assert_eq!(
            read_page_header(&b),
            Ok(PageHead {
                header_len: 13,
                compressed_size: 8,
                data_page: true,
                values: 4
            })
        );
    }

    #[test]
    fn a_list_longer_than_the_bytes_left_is_refused_at_once() {
        // field 6 (after 3: delta 3), a list of 2^31 booleans: 0xF1 + varint(2^31)
        let mut b = HEADER[..6].to_vec();
        b.extend_from_slice(&[0x39, 0xF1, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00]);
        let e = read_page_header(&b).unwrap_err();
        assert!(e.contains("lijst van 2147483648 elementen"), "{e}");
    }

    #[test]
    fn a_truncated_header_is_refused() {
        for n in 0..HEADER.len() {
            assert!(read_page_header(&HEADER[..n]).is_err(), "cut at {n}");
        }
    }
}
