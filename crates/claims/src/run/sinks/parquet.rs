//! The `results.parquet` sink: the results as typed columns ([`schema`]), for settlement to query
//! (with DataFusion or DuckDB). Rows are gathered in column builders and written in record
//! batches of [`BATCH_ROWS`] rows as they come, snappy-compressed, in row groups of up to
//! [`ROW_GROUP_ROWS`] rows: memory stays bounded whatever the size of the run. The schema is
//! documented in the crate's README (keep the two in step).

use super::{ResultBatch, ResultSink};
use crate::row::Row;
use crate::run::{RunError, io};
use arrow_array::builder::{
    Date32Builder, Int64Builder, ListBuilder, StringBuilder, UInt64Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per record batch handed to the Parquet writer.
pub const BATCH_ROWS: usize = 1 << 16;
/// Rows per row group (at most).
pub const ROW_GROUP_ROWS: usize = 1 << 20;

/// The item of the list columns: a non-null text.
fn item() -> Field {
    Field::new("item", DataType::Utf8, false)
}

/// The Arrow schema of `results.parquet`.
pub fn schema() -> SchemaRef {
    let list = DataType::List(Arc::new(item()));
    Arc::new(Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("line", DataType::Int64, false),
        Field::new("record_id", DataType::UInt64, false),
        Field::new("provider_agb", DataType::Utf8, false),
        Field::new("bsn", DataType::Utf8, false),
        Field::new("prestatie", DataType::Utf8, true),
        Field::new("start_date", DataType::Date32, true),
        Field::new("claimed_cents", DataType::Int64, false),
        Field::new("granted_cents", DataType::Int64, false),
        Field::new("decision", DataType::Utf8, false),
        Field::new("return_codes", list.clone(), false),
        Field::new("reason_codes", list, false),
        Field::new(
            "policy_receipt",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
    ]))
}

/// Writes `results.parquet`.
pub struct ParquetResults {
    path: PathBuf,
    writer: Option<ArrowWriter<std::io::BufWriter<std::fs::File>>>,
    schema: SchemaRef,
    cols: Columns,
    /// The reason codes by index, and the policy receipt.
    names: Vec<String>,
    receipt: String,
    /// The `file` column of the last input seen (index, text).
    last_file: (u32, String),
}

/// The column builders of the rows not yet written.
struct Columns {
    rows: usize,
    file: StringBuilder,
    line: Int64Builder,
    record_id: UInt64Builder,
    provider: StringBuilder,
    bsn: StringBuilder,
    prestatie: StringBuilder,
    date: Date32Builder,
    claimed: Int64Builder,
    granted: Int64Builder,
    decision: StringBuilder,
    return_codes: ListBuilder<StringBuilder>,
    reason_codes: ListBuilder<StringBuilder>,
}

impl Columns {
    fn new() -> Columns {
        let list = || ListBuilder::new(StringBuilder::new()).with_field(item());
        Columns {
            rows: 0,
            file: StringBuilder::new(),
            line: Int64Builder::new(),
            record_id: UInt64Builder::new(),
            provider: StringBuilder::new(),
            bsn: StringBuilder::new(),
            prestatie: StringBuilder::new(),
            date: Date32Builder::new(),
            claimed: Int64Builder::new(),
            granted: Int64Builder::new(),
            decision: StringBuilder::new(),
            return_codes: list(),
            reason_codes: list(),
        }
    }
}

/// Days from 1970-01-01 (Arrow's Date32).
fn date32(d: NaiveDate) -> i32 {
    const EPOCH_FROM_CE: i32 = 719_163;
    chrono::Datelike::num_days_from_ce(&d) - EPOCH_FROM_CE
}

/// `v` as `N` decimal digits, leading zeros kept (the digits above `N` are cut).
fn digits<const N: usize>(mut v: u64) -> [u8; N] {
    let mut out = [b'0'; N];
    for b in out.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out
}

fn ascii(b: &[u8]) -> &str {
    std::str::from_utf8(b).expect("digits are ASCII")
}

impl ParquetResults {
    /// Creates the file; `reason_names` are the reason codes by index, `receipt` the policy
    /// receipt of the run.
    pub fn create(
        path: &Path,
        reason_names: Vec<String>,
        receipt: &str,
    ) -> Result<ParquetResults, RunError> {
        let file = std::fs::File::create(path).map_err(io(path))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("zorginkoop {}", env!("CARGO_PKG_VERSION")))
            .build();
        let schema = schema();
        let writer = ArrowWriter::try_new(
            std::io::BufWriter::with_capacity(1 << 20, file),
            schema.clone(),
            Some(props),
        )
        .map_err(|e| parquet_err(path, e))?;
        Ok(ParquetResults {
            path: path.to_path_buf(),
            writer: Some(writer),
            schema,
            cols: Columns::new(),
            names: reason_names,
            receipt: receipt.to_string(),
            last_file: (u32::MAX, String::new()),
        })
    }

    fn push(&mut self, row: &Row, inputs: &[PathBuf]) {
        if self.last_file.0 != row.file {
            self.last_file = (row.file, inputs[row.file as usize].display().to_string());
        }
        let c = &mut self.cols;
        let o = &row.outcome;
        c.file.append_value(&self.last_file.1);
        c.line.append_value(i64::from(row.line));
        c.record_id.append_value(row.record_id);
        c.provider
            .append_value(ascii(&digits::<8>(u64::from(row.provider))));
        c.bsn.append_value(ascii(&digits::<9>(u64::from(row.bsn))));
        match &row.code {
            // codes from a damaged record may hold any byte
            Some(code) => c
                .prestatie
                .append_value(String::from_utf8_lossy(code.as_bytes())),
            None => c.prestatie.append_null(),
        }
        c.date.append_option(row.date.map(date32));
        c.claimed.append_value(row.claimed);
        c.granted.append_value(o.granted);
        c.decision.append_value(o.decision.as_str());
        for rc in o.return_codes().iter() {
            c.return_codes
                .values()
                .append_value(ascii(&digits::<4>(u64::from(rc.code.min(9999)))));
        }
        c.return_codes.append(true);
        for r in o.reasons() {
            c.reason_codes
                .values()
                .append_value(&self.names[r.reason as usize]);
        }
        c.reason_codes.append(true);
        c.rows += 1;
    }

    /// Writes the gathered rows as one record batch.
    fn flush(&mut self) -> Result<(), RunError> {
        let c = &mut self.cols;
        if c.rows == 0 {
            return Ok(());
        }
        let receipt = DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(vec![0; c.rows]),
            Arc::new(StringArray::from(vec![self.receipt.as_str()])),
        )
        .expect("key 0 is in the dictionary");
        let columns: Vec<ArrayRef> = vec![
            Arc::new(c.file.finish()),
            Arc::new(c.line.finish()),
            Arc::new(c.record_id.finish()),
            Arc::new(c.provider.finish()),
            Arc::new(c.bsn.finish()),
            Arc::new(c.prestatie.finish()),
            Arc::new(c.date.finish()),
            Arc::new(c.claimed.finish()),
            Arc::new(c.granted.finish()),
            Arc::new(c.decision.finish()),
            Arc::new(c.return_codes.finish()),
            Arc::new(c.reason_codes.finish()),
            Arc::new(receipt),
        ];
        c.rows = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .expect("the builders follow the schema");
        let path = &self.path;
        self.writer
            .as_mut()
            .expect("not finished")
            .write(&batch)
            .map_err(|e| parquet_err(path, e))
    }
}

fn parquet_err(path: &Path, e: parquet::errors::ParquetError) -> RunError {
    match e {
        parquet::errors::ParquetError::External(e) => match e.downcast::<std::io::Error>() {
            Ok(e) => io(path)(*e),
            Err(e) => io(path)(std::io::Error::other(e)),
        },
        e => io(path)(std::io::Error::other(e)),
    }
}

impl ResultSink for ParquetResults {
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError> {
        for row in batch.rows() {
            self.push(row, batch.run.inputs);
            if self.cols.rows >= BATCH_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), RunError> {
        self.flush()?;
        if let Some(w) = self.writer.take() {
            let path = &self.path;
            let inner = w.into_inner().map_err(|e| parquet_err(path, e))?;
            inner.into_inner().map_err(|e| io(path)(e.into_error()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(date32(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(date32(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
        // 2022-03-01: 52 years with 13 leap days (1972..=2020) plus Jan and Feb 2022
        assert_eq!(
            date32(NaiveDate::from_ymd_opt(2022, 3, 1).unwrap()),
            52 * 365 + 13 + 31 + 28
        );
        assert_eq!(date32(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()), -1);
    }

    #[test]
    fn codes_keep_their_leading_zeros() {
        assert_eq!(&digits::<8>(1_000_001), b"01000001");
        assert_eq!(&digits::<9>(12_345_672), b"012345672");
        assert_eq!(&digits::<4>(14), b"0014");
        assert_eq!(&digits::<8>(0), b"00000000");
    }
}
