//! `results.parquet`: a run over generated claim files writes it next to `results.csv`, with the
//! schema documented in the README, and every row holds what the same row of `results.csv` says.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int32Type, Int64Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use chrono::NaiveDate;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::context::Context;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::run::{
    ClaimResult, Part, ResultBatch, ResultSink, RunError, RunOptions, run, run_with_sinks,
};

fn policies() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

fn list_of_text() -> DataType {
    DataType::List(std::sync::Arc::new(arrow_schema::Field::new(
        "item",
        DataType::Utf8,
        false,
    )))
}

/// A list cell as `;`-joined text (as in results.csv).
fn joined(a: &dyn Array, i: usize) -> String {
    let l = a.as_list::<i32>().value(i);
    let s = l.as_string::<i32>();
    (0..s.len())
        .map(|j| s.value(j).to_string())
        .collect::<Vec<_>>()
        .join(";")
}

/// A sink of our own: keeps every result as text, in the order received, and counts the batches.
#[derive(Default)]
struct Collect {
    rows: Vec<Vec<String>>,
    files: usize,
    ceiling_batches: usize,
    finished: bool,
}

impl ResultSink for Collect {
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError> {
        match batch.part {
            Part::File(_) => self.files += 1,
            Part::Ceilings { .. } => self.ceiling_batches += 1,
        }
        for r in batch.results() {
            let r: ClaimResult = r;
            self.rows.push(vec![
                r.file.to_string_lossy().into_owned(),
                r.line.to_string(),
                r.record_id.to_string(),
                r.provider_agb,
                r.bsn,
                r.prestatie.map(|c| c.to_string()).unwrap_or_default(),
                r.service_date.map(|d| d.to_string()).unwrap_or_default(),
                r.claimed_cents.to_string(),
                r.granted_cents.to_string(),
                r.decision.as_str().to_string(),
                r.return_codes
                    .iter()
                    .map(|c| format!("{:04}", c.code))
                    .collect::<Vec<_>>()
                    .join(";"),
                r.reason_codes.join(";"),
            ]);
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), RunError> {
        self.finished = true;
        Ok(())
    }
}

/// Generated claim files (`lines`, `seed`) under `dir/gen` with a checker for the shipped
/// policies and the generated context; the files in a stable order.
fn generated_run(dir: &Path, lines: u64, seed: u64) -> (Checker, Vec<PathBuf>) {
    let set = zorginkoop_policy::PolicySet::load_dir(&policies()).unwrap();
    let rules = RuleSet::from_policies(&set).unwrap();
    let generated = dir.join("gen");
    zorginkoop_claims::generate::generate(&rules, lines, seed, &generated).unwrap();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(generated.join("claims"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    let ctx = Context::load_dir(&generated.join("context")).unwrap();
    (Checker::new(rules, ctx), inputs)
}

#[test]
fn a_sink_of_our_own_gets_every_line_once_as_typed_results() {
    let dir = tempfile::tempdir().unwrap();
    let (checker, inputs) = generated_run(dir.path(), 3_000, 5);
    let out = dir.path().join("out");
    let mut sink = Collect::default();
    let opts = RunOptions {
        inputs: inputs.clone(),
        out_dir: out.clone(),
        history: None,
        wait: false,
        date: NaiveDate::from_ymd_opt(2022, 12, 1).unwrap(),
        progress: false,
        parquet: false,
    };
    run_with_sinks(&checker, &opts, &mut [&mut sink]).unwrap();
    assert!(sink.finished);
    assert_eq!(sink.files, inputs.len());
    assert_eq!(sink.ceiling_batches, 1);
    // results.csv keeps the leading zeros of AGB and BSN as the typed results do
    let mut csv = csv::Reader::from_path(out.join("results.csv")).unwrap();
    let records: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    assert_eq!(sink.rows.len(), records.len());
    assert!(records.len() >= 2_000);
    for (mine, r) in sink.rows.iter().zip(&records) {
        let at = format!("{r:?}");
        assert_eq!(mine[3].len(), 8, "{at}");
        assert_eq!(mine[4].len(), 9, "{at}");
        for (i, (a, b)) in mine.iter().zip(r.iter()).enumerate() {
            assert_eq!(a, b, "column {i}: {at}");
        }
    }
}

#[test]
fn a_run_writes_results_parquet_with_the_documented_schema_and_the_csv_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (checker, inputs) = generated_run(dir.path(), 4_000, 11);
    let shipped = zorginkoop_policy::PolicySet::load_dir(&policies()).unwrap();
    let out = dir.path().join("out");
    let opts = RunOptions {
        inputs: inputs.clone(),
        out_dir: out.clone(),
        history: None,
        wait: false,
        date: NaiveDate::from_ymd_opt(2022, 12, 1).unwrap(),
        progress: false,
        parquet: true,
    };
    let summary = run(&checker, &opts).unwrap();

    // the schema: names, types, nullability
    let file = std::fs::File::open(out.join("results.parquet")).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = reader.schema().clone();
    let got: Vec<(String, DataType, bool)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let want: Vec<(String, DataType, bool)> = [
        ("file", DataType::Utf8, false),
        ("line", DataType::Int64, false),
        ("record_id", DataType::UInt64, false),
        ("provider_agb", DataType::Utf8, false),
        ("bsn", DataType::Utf8, false),
        ("prestatie", DataType::Utf8, true),
        ("start_date", DataType::Date32, true),
        ("claimed_cents", DataType::Int64, false),
        ("granted_cents", DataType::Int64, false),
        ("decision", DataType::Utf8, false),
        ("return_codes", list_of_text(), false),
        ("reason_codes", list_of_text(), false),
        ("policy_receipt", dict, false),
    ]
    .into_iter()
    .map(|(n, t, null)| (n.to_string(), t, null))
    .collect();
    assert_eq!(got, want);
    let batches: Vec<RecordBatch> = reader.build().unwrap().map(|b| b.unwrap()).collect();

    // results.csv, row for row
    let mut csv = csv::Reader::from_path(out.join("results.csv")).unwrap();
    let records: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(total, records.len());
    assert_eq!(total as u64, summary.total.lines);
    assert!(total >= 3_000, "{total} rows");
    let mut row = 0;
    let (mut leading_zero_agb, mut rejected, mut reduced, mut with_reasons) = (0, 0, 0, 0);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    for b in &batches {
        let col = |name: &str| b.column_by_name(name).unwrap().clone();
        let (file, line, record_id) = (col("file"), col("line"), col("record_id"));
        let (provider, bsn, prestatie) = (col("provider_agb"), col("bsn"), col("prestatie"));
        let (date, claimed, granted) = (
            col("start_date"),
            col("claimed_cents"),
            col("granted_cents"),
        );
        let (decision, returns, reasons) =
            (col("decision"), col("return_codes"), col("reason_codes"));
        let receipt = col("policy_receipt");
        let receipt = receipt.as_dictionary::<Int32Type>();
        let receipt_values = receipt.values().as_string::<i32>();
        for i in 0..b.num_rows() {
            let r = &records[row];
            let at = format!("row {row}: {r:?}");
            let f = file.as_string::<i32>().value(i);
            assert!(inputs.iter().any(|p| p.to_str() == Some(f)), "{at}: {f}");
            // results.csv names the input as given too
            assert_eq!(f, &r[0], "{at}");
            assert_eq!(
                line.as_primitive::<Int64Type>().value(i).to_string(),
                r[1],
                "{at}"
            );
            assert_eq!(
                record_id.as_primitive::<UInt64Type>().value(i).to_string(),
                r[2],
                "{at}"
            );
            // codes keep their leading zeros: 8-digit AGB, 9-digit BSN
            let agb = provider.as_string::<i32>().value(i);
            assert_eq!(agb.len(), 8, "{at}");
            assert_eq!(
                agb.trim_start_matches('0'),
                r[3].trim_start_matches('0'),
                "{at}"
            );
            if agb.starts_with('0') && agb != "00000000" {
                leading_zero_agb += 1;
            }
            let bsn_ = bsn.as_string::<i32>().value(i);
            assert_eq!(bsn_.len(), 9, "{at}");
            assert_eq!(
                bsn_.trim_start_matches('0'),
                r[4].trim_start_matches('0'),
                "{at}"
            );
            let p = prestatie.as_string::<i32>();
            assert_eq!(if p.is_null(i) { "" } else { p.value(i) }, &r[5], "{at}");
            let d = date.as_primitive::<Date32Type>();
            let d = (!d.is_null(i))
                .then(|| (epoch + chrono::Duration::days(d.value(i).into())).to_string());
            assert_eq!(d.as_deref().unwrap_or(""), &r[6], "{at}");
            assert_eq!(
                claimed.as_primitive::<Int64Type>().value(i).to_string(),
                r[7],
                "{at}"
            );
            assert_eq!(
                granted.as_primitive::<Int64Type>().value(i).to_string(),
                r[8],
                "{at}"
            );
            let dec = decision.as_string::<i32>().value(i);
            assert_eq!(dec, &r[9], "{at}");
            rejected += usize::from(dec == "rejected");
            reduced += usize::from(dec == "reduced");
            assert_eq!(joined(&returns, i), r[10], "{at}");
            assert_eq!(joined(&reasons, i), r[11], "{at}");
            with_reasons += usize::from(!r[11].is_empty());
            let key = receipt.keys().value(i) as usize;
            let text = receipt_values.value(key);
            // one `id@version sha256:<hex>` per policy, with the hash the loader computed
            for p in &shipped.policies {
                let entry = format!("{}@{} sha256:{}", p.id(), p.file.policy.version, p.sha256);
                assert!(
                    text.split(';').any(|e| e == entry),
                    "{at}: {entry} not in {text}"
                );
            }
            row += 1;
        }
    }
    // the generated claims hold GP providers (AGB 01…), rejections, reductions and reasons
    assert!(leading_zero_agb > 0);
    assert!(
        rejected > 0 && reduced > 0 && with_reasons > 0,
        "{rejected} {reduced} {with_reasons}"
    );

    // switched off: no results.parquet
    let out2 = dir.path().join("out2");
    run(
        &checker,
        &RunOptions {
            out_dir: out2.clone(),
            parquet: false,
            ..opts
        },
    )
    .unwrap();
    assert!(out2.join("results.csv").exists());
    assert!(!out2.join("results.parquet").exists());
}
