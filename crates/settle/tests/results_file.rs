//! A writer of `results.parquet` files with the claims checker's schema, for the worked
//! examples of the settlement tests (tests/worked_example, tests/lab_example).
#![allow(dead_code)]

use arrow_array::builder::{
    Date32Builder, Int64Builder, ListBuilder, StringBuilder, UInt64Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use std::path::Path;
use std::sync::Arc;

/// One claim line's result.
pub struct Row<'a> {
    pub agb: &'a str,
    pub bsn: &'a str,
    pub prestatie: &'a str,
    pub date: NaiveDate,
    pub claimed: i64,
    pub granted: i64,
    pub decision: &'a str,
}

/// Writes `rows` as a `results.parquet` of the claims checker's schema: every line of file
/// `claims.csv`; a rejected line carries `rejection` (return code, reason); every line the
/// policy receipt `receipt`.
pub fn write(path: &Path, rows: &[Row], rejection: (&str, &str), receipt: &str) {
    let schema = zorginkoop_claims::run::sinks::parquet::schema();
    let mut file = StringBuilder::new();
    let mut line = Int64Builder::new();
    let mut record = UInt64Builder::new();
    let mut agb = StringBuilder::new();
    let mut bsn = StringBuilder::new();
    let mut prestatie = StringBuilder::new();
    let mut date = Date32Builder::new();
    let mut claimed = Int64Builder::new();
    let mut granted = Int64Builder::new();
    let mut decision = StringBuilder::new();
    let item = Arc::new(arrow_schema::Field::new(
        "item",
        arrow_schema::DataType::Utf8,
        false,
    ));
    let mut ret = ListBuilder::new(StringBuilder::new()).with_field(item.clone());
    let mut reason = ListBuilder::new(StringBuilder::new()).with_field(item);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    for (i, r) in rows.iter().enumerate() {
        file.append_value("claims.csv");
        line.append_value(i as i64 + 1);
        record.append_value(i as u64 + 1);
        agb.append_value(r.agb);
        bsn.append_value(r.bsn);
        prestatie.append_value(r.prestatie);
        date.append_value((r.date - epoch).num_days() as i32);
        claimed.append_value(r.claimed);
        granted.append_value(r.granted);
        decision.append_value(r.decision);
        if r.decision == "rejected" {
            ret.values().append_value(rejection.0);
            reason.values().append_value(rejection.1);
        }
        ret.append(true);
        reason.append(true);
    }
    let receipt = DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(vec![0; rows.len()]),
        Arc::new(StringArray::from(vec![receipt])),
    )
    .unwrap();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(file.finish()),
        Arc::new(line.finish()),
        Arc::new(record.finish()),
        Arc::new(agb.finish()),
        Arc::new(bsn.finish()),
        Arc::new(prestatie.finish()),
        Arc::new(date.finish()),
        Arc::new(claimed.finish()),
        Arc::new(granted.finish()),
        Arc::new(decision.finish()),
        Arc::new(ret.finish()),
        Arc::new(reason.finish()),
        Arc::new(receipt),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let mut w = ArrowWriter::try_new(std::fs::File::create(path).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}
