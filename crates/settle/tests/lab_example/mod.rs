//! The worked example of diagnostics and thrombosis 2020 (tests/labs.rs explains its sums):
//! the claim result rows, the providers' terms, a writer of `results.parquet` files with the
//! checker's schema, and the policy's rules. Shared by tests/labs.rs and tests/ballista.rs.
#![allow(dead_code)]

use arrow_array::builder::{
    Date32Builder, Int64Builder, ListBuilder, StringBuilder, UInt64Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;
use zorginkoop_settle::{LabRules, LabTermsSet};

#[derive(Clone)]
pub struct L {
    pub agb: &'static str,
    pub bsn: String,
    pub prestatie: &'static str,
    pub date: NaiveDate,
    pub granted: i64,
    pub decision: &'static str,
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// `n` days after `d`.
pub fn plus(d: NaiveDate, n: u64) -> NaiveDate {
    d + chrono::Duration::days(n as i64)
}

pub fn l(agb: &'static str, bsn: u32, prestatie: &'static str, date: NaiveDate, cents: i64) -> L {
    L {
        agb,
        bsn: format!("{bsn:09}"),
        prestatie,
        date,
        granted: cents,
        decision: "granted",
    }
}

/// One order: `analyses` lines of one patient on one date, alternating 30001 and 30002.
pub fn order(
    agb: &'static str,
    bsn: u32,
    date: NaiveDate,
    analyses: usize,
    cents: i64,
    out: &mut Vec<L>,
) {
    for k in 0..analyses {
        let code = if k % 2 == 0 { "30001" } else { "30002" };
        out.push(l(agb, bsn, code, date, cents));
    }
}

/// A preferred lab: 500 patients; in 2018 one order of two analyses each; in 2020 one order
/// each, `second_orders` of them a second one, and `extra_analyses` orders with a third line.
pub fn preferred_lab(agb: &'static str, first_bsn: u32, second_orders: u32, extra: u32) -> Vec<L> {
    let mut v = Vec::new();
    for i in 0..500u32 {
        let bsn = first_bsn + i;
        order(
            agb,
            bsn,
            plus(day(2018, 1, 2), u64::from(i % 300)),
            2,
            4_000,
            &mut v,
        );
        let n = if i < extra { 3 } else { 2 };
        order(
            agb,
            bsn,
            plus(day(2020, 1, 2), u64::from(i % 300)),
            n,
            10_000,
            &mut v,
        );
        if i < second_orders {
            order(
                agb,
                bsn,
                plus(day(2020, 11, 2), u64::from(i % 20)),
                2,
                10_000,
                &mut v,
            );
        }
    }
    v
}

pub fn lines() -> Vec<L> {
    let mut v = Vec::new();
    v.extend(preferred_lab("50000001", 100_000_000, 12, 0));
    v.extend(preferred_lab("50000002", 110_000_000, 13, 0));
    v.extend(preferred_lab("50000005", 120_000_000, 0, 26));
    // preferred, no 2018 claims
    for i in 0..4 {
        v.push(l(
            "50000004",
            130_000_000 + i,
            "30001",
            day(2020, 3, 1),
            50_000,
        ));
    }
    // regular
    for i in 0..10 {
        order(
            "50000003",
            140_000_000 + i,
            day(2020, 5, 1 + i),
            2,
            50_000,
            &mut v,
        );
    }
    // thrombosis
    for i in 0..30 {
        v.push(l(
            "34000001",
            150_000_000 + i,
            "30101",
            day(2020, 6, 1 + i % 28),
            5_000,
        ));
    }
    v.push(L {
        granted: 0,
        decision: "rejected",
        ..l("34000001", 150_000_000, "30101", day(2020, 7, 1), 0)
    });
    v.push(l("34000001", 150_000_000, "30101", day(2019, 7, 1), 5_000));
    v.push(l("34000001", 150_000_000, "13000", day(2020, 7, 1), 5_000));
    // not in the terms
    v.push(l("50000009", 160_000_000, "30002", day(2020, 8, 1), 12_345));
    v
}

pub fn terms() -> LabTermsSet {
    LabTermsSet::parse(
        Path::new("labs.csv"),
        "provider_agb,contract,ceiling_cents\n\
         50000001,voorkeur,8000000\n\
         50000002,voorkeur,8000000\n\
         50000003,regulier,750000\n\
         50000004,voorkeur,100000\n\
         50000005,voorkeur,8000000\n\
         34000001,trombose,100000\n",
    )
    .unwrap()
}

pub fn write(path: &Path, rows: &[L]) {
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
        bsn.append_value(&r.bsn);
        prestatie.append_value(r.prestatie);
        date.append_value((r.date - epoch).num_days() as i32);
        claimed.append_value(r.granted.max(5_000));
        granted.append_value(r.granted);
        decision.append_value(r.decision);
        if r.decision == "rejected" {
            ret.values().append_value("0613");
            reason
                .values()
                .append_value("ZK-THROMBOSIS-CEILING-EXCEEDED");
        }
        ret.append(true);
        reason.append(true);
    }
    let receipt = DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(vec![0; rows.len()]),
        Arc::new(StringArray::from(vec!["diagnostics-2020@2020 sha256:00"])),
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

pub fn rules() -> LabRules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/diagnostics-2020.toml");
    let policy = zorginkoop_policy::Policy::load(&path).unwrap();
    LabRules::from_policy(&policy).unwrap()
}

pub fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}
