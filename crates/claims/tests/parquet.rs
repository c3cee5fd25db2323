//! Parquet claim lines: a Parquet file written here (with the `parquet` crate) gives the same
//! decisions, granted amounts and codes as the equivalent CSV; files that cannot be read as a
//! whole reject every row with 0001 and name the column.

use chrono::NaiveDate;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zorginkoop_claims::checker::Checker;
use zorginkoop_claims::columnar::{ParquetError, eval_parquet};
use zorginkoop_claims::context::Context;
use zorginkoop_claims::rules::RuleSet;
use zorginkoop_claims::run::{RunOptions, run};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn checker() -> Checker {
    let set = zorginkoop_policy::PolicySet::load_dir(&fixtures().join("policies")).unwrap();
    let rules = RuleSet::from_policies(&set).unwrap();
    let ctx = Context::load_dir(&fixtures().join("context")).unwrap();
    Checker::new(rules, ctx)
}

/// One column of a test Parquet file.
enum Col {
    I32(Vec<i32>),
    I64(Vec<i64>),
    Date(Vec<NaiveDate>),
    /// Optional strings (None = null).
    Str(Vec<Option<&'static str>>),
    F64(Vec<f64>),
    /// INT64 with an annotation, e.g. `(DECIMAL(18,2))`.
    I64As(&'static str, Vec<i64>),
}

/// Writes a snappy-compressed Parquet file with the given columns, in order.
fn write_parquet(path: &Path, cols: &[(&str, Col)]) {
    write_parquet_with(path, cols, Compression::SNAPPY)
}

/// Writes a Parquet file with the given columns, in order, and codec.
fn write_parquet_with(path: &Path, cols: &[(&str, Col)], codec: Compression) {
    let fields: Vec<String> = cols
        .iter()
        .map(|(name, c)| match c {
            Col::I32(_) => format!("required int32 {name};"),
            Col::I64(_) => format!("required int64 {name};"),
            Col::Date(_) => format!("required int32 {name} (DATE);"),
            Col::Str(_) => format!("optional binary {name} (STRING);"),
            Col::F64(_) => format!("required double {name};"),
            Col::I64As(a, _) => format!("required int64 {name} {a};"),
        })
        .collect();
    let schema = Arc::new(
        parse_message_type(&format!("message claims {{ {} }}", fields.join(" "))).unwrap(),
    );
    let props = Arc::new(WriterProperties::builder().set_compression(codec).build());
    let file = std::fs::File::create(path).unwrap();
    let mut w = SerializedFileWriter::new(file, schema, props).unwrap();
    let mut rg = w.next_row_group().unwrap();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    for (_, c) in cols {
        let mut cw = rg.next_column().unwrap().unwrap();
        match c {
            Col::I32(v) => {
                cw.typed::<Int32Type>().write_batch(v, None, None).unwrap();
            }
            Col::I64(v) | Col::I64As(_, v) => {
                cw.typed::<Int64Type>().write_batch(v, None, None).unwrap();
            }
            Col::Date(v) => {
                let days: Vec<i32> = v.iter().map(|d| (*d - epoch).num_days() as i32).collect();
                cw.typed::<Int32Type>()
                    .write_batch(&days, None, None)
                    .unwrap();
            }
            Col::Str(v) => {
                let values: Vec<ByteArray> = v.iter().flatten().map(|s| (*s).into()).collect();
                let def: Vec<i16> = v.iter().map(|s| i16::from(s.is_some())).collect();
                cw.typed::<ByteArrayType>()
                    .write_batch(&values, Some(&def), None)
                    .unwrap();
            }
            Col::F64(v) => {
                cw.typed::<DoubleType>().write_batch(v, None, None).unwrap();
            }
        }
        cw.close().unwrap();
    }
    rg.close().unwrap();
    w.close().unwrap();
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The test batch: (provider, bsn, uzovi, prestatie, start, end, count, tariff, amount, reference).
type Batch = [(
    i32,
    i64,
    i32,
    &'static str,
    &'static str,
    &'static str,
    i32,
    i64,
    i64,
    Option<&'static str>,
); 8];

const BATCH: Batch = [
    // granted in full
    (
        1_000_001,
        123_456_782,
        3313,
        "13001",
        "2022-02-01",
        "2022-02-01",
        1,
        2500,
        2500,
        Some("R1"),
    ),
    // the same line again: duplicate (0587)
    (
        1_000_001,
        123_456_782,
        3313,
        "13001",
        "2022-02-01",
        "2022-02-01",
        1,
        2500,
        2500,
        Some("R1"),
    ),
    // BSN fails the 11-check (0435)
    (
        1_000_001,
        123_456_781,
        3313,
        "13001",
        "2022-03-01",
        "2022-03-01",
        1,
        2500,
        2500,
        Some("R2"),
    ),
    // not insured with one of the labels (0320)
    (
        1_000_001,
        100_000_010,
        7095,
        "13005",
        "2022-02-01",
        "2022-02-01",
        1,
        1000,
        1000,
        Some("R3"),
    ),
    // above the contracted tariff: granted at 1000 (0611)
    (
        1_000_001,
        111_222_333,
        3311,
        "13005",
        "2022-02-01",
        "2022-02-01",
        1,
        1500,
        1500,
        None,
    ),
    // end date not a date (0021): a string column in the Parquet file
    (
        1_000_001,
        111_222_333,
        3311,
        "13005",
        "2022-02-01",
        "2022-02-30",
        1,
        1000,
        1000,
        Some("R5"),
    ),
    // outside the contract (ends 2022-03-31)
    (
        1_000_001,
        111_222_333,
        3311,
        "13005",
        "2022-06-01",
        "2022-06-01",
        1,
        1000,
        1000,
        Some("R6"),
    ),
    // a credit line
    (
        1_000_001,
        111_222_333,
        3311,
        "13005",
        "2022-03-01",
        "2022-03-01",
        1,
        1000,
        -1000,
        Some("R7"),
    ),
];

fn write_csv(path: &Path) {
    let mut s = String::from(
        "provider_agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference\n",
    );
    for (p, b, u, c, st, en, n, t, a, r) in BATCH {
        s += &format!(
            "{p},{b},{u},{c},{st},{en},{n},{t},{a},{}\n",
            r.unwrap_or("")
        );
    }
    std::fs::write(path, s).unwrap();
}

/// The batch as Parquet, columns in another order than the CSV's, an extra column, dates as
/// DATE (start) and as strings (end), numbers as INT32 and INT64.
fn write_batch_parquet(path: &Path) {
    write_batch_parquet_with(path, Compression::SNAPPY)
}

fn write_batch_parquet_with(path: &Path, codec: Compression) {
    write_parquet_with(
        path,
        &[
            ("reference", Col::Str(BATCH.iter().map(|r| r.9).collect())),
            ("bsn", Col::I64(BATCH.iter().map(|r| r.1).collect())),
            (
                "provider_agb",
                Col::I32(BATCH.iter().map(|r| r.0).collect()),
            ),
            ("uzovi", Col::I32(BATCH.iter().map(|r| r.2).collect())),
            (
                "prestatie",
                Col::Str(BATCH.iter().map(|r| Some(r.3)).collect()),
            ),
            (
                "start_date",
                Col::Date(BATCH.iter().map(|r| d(r.4)).collect()),
            ),
            (
                "end_date",
                Col::Str(BATCH.iter().map(|r| Some(r.5)).collect()),
            ),
            ("count", Col::I32(BATCH.iter().map(|r| r.6).collect())),
            (
                "tariff_cents",
                Col::I64(BATCH.iter().map(|r| r.7).collect()),
            ),
            (
                "amount_cents",
                Col::I64(BATCH.iter().map(|r| r.8).collect()),
            ),
            (
                "batch_note",
                Col::Str(BATCH.iter().map(|_| Some("x")).collect()),
            ),
        ],
        codec,
    );
}

fn run_one(input: &Path, out: &Path) -> (zorginkoop_claims::run::Summary, Vec<Vec<String>>) {
    let opts = RunOptions {
        inputs: vec![input.to_path_buf()],
        out_dir: out.to_path_buf(),
        history: None,
        wait: false,
        date: d("2022-04-01"),
        progress: false,
        parquet: true,
    };
    let summary = run(&checker(), &opts).unwrap();
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let rows = results
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (summary, rows)
}

#[test]
fn parquet_gives_the_same_decisions_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("batch.csv");
    let pq = dir.path().join("batch.parquet");
    write_csv(&csv);
    write_batch_parquet(&pq);
    let (s_csv, r_csv) = run_one(&csv, &dir.path().join("out-csv"));
    let (s_pq, r_pq) = run_one(&pq, &dir.path().join("out-parquet"));

    assert_eq!(r_csv.len(), BATCH.len());
    assert_eq!(r_pq.len(), BATCH.len());
    // file,line,record_id differ (CSV line vs Parquet row); everything from provider_agb on
    // (prestatie, date, claimed, granted, decision, codes) is the same
    for (c, p) in r_csv.iter().zip(&r_pq) {
        assert_eq!(c[3..], p[3..], "csv {c:?} parquet {p:?}");
    }
    // Parquet rows are numbered from 1 (no header line)
    let lines: Vec<&str> = r_pq.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(lines, ["1", "2", "3", "4", "5", "6", "7", "8"]);

    // the decisions themselves: granted_cents, decision, return_codes
    let got: Vec<(&str, &str, &str)> = r_pq
        .iter()
        .map(|r| (r[8].as_str(), r[9].as_str(), r[10].as_str()))
        .collect();
    assert_eq!(got[0], ("2500", "granted", ""));
    assert_eq!(got[1], ("0", "rejected", "0587"));
    assert_eq!(got[2], ("0", "rejected", "0435"));
    assert_eq!(got[3], ("0", "rejected", "0320"));
    assert_eq!(got[4], ("1000", "reduced", "0611"));
    assert_eq!(got[5], ("0", "rejected", "0021"));
    assert_eq!(got[6], ("0", "rejected", "0613"));
    assert_eq!(got[7].1, "granted");
    assert_eq!(got[7].0, "-1000");

    assert_eq!(s_csv.total.granted_cents, s_pq.total.granted_cents);
    assert_eq!(s_csv.by_decision.len(), s_pq.by_decision.len());
    let report = &s_pq.files[0];
    assert_eq!(report.standard, "Parquet");
    assert_eq!(report.status, "accepted");
    assert_eq!(report.lines, 8);
    assert_eq!(
        report.record_faults,
        [
            "rij 3, kolom `bsn`: BSN voldoet niet aan de elfproef (retourcode 0435)",
            "rij 6, kolom `end_date`: geen datum JJJJ-MM-DD (retourcode 0021)",
        ]
    );
    assert!(report.return_message.is_none());
}

#[test]
fn missing_column_rejects_every_row_with_0001() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("no-reference.parquet");
    write_parquet(
        &pq,
        &[
            ("provider_agb", Col::I32(vec![1_000_001; 3])),
            ("bsn", Col::I64(vec![123_456_782; 3])),
        ],
    );
    let (summary, rows) = run_one(&pq, &dir.path().join("out"));
    assert_eq!(rows.len(), 3, "every row appears once: {rows:?}");
    for r in &rows {
        assert_eq!((r[9].as_str(), r[10].as_str()), ("rejected", "0001"));
    }
    let report = &summary.files[0];
    assert_eq!(report.status, "rejected");
    assert_eq!(
        report.error.as_deref(),
        Some("kolom `uzovi` ontbreekt (het bestand heeft: provider_agb, bsn)")
    );
}

/// A valid two-row batch with `amount_cents` and `start_date` replaced.
fn two_rows(path: &Path, amount: Col, start: Col) {
    let n = 2;
    write_parquet(
        path,
        &[
            ("provider_agb", Col::I32(vec![1_000_001; n])),
            ("bsn", Col::I64(vec![123_456_782; n])),
            ("uzovi", Col::I32(vec![3313; n])),
            ("prestatie", Col::Str(vec![Some("13001"); n])),
            ("start_date", start),
            ("end_date", Col::Date(vec![d("2022-02-01"); n])),
            ("count", Col::I32(vec![1; n])),
            ("tariff_cents", Col::I64(vec![2500; n])),
            ("amount_cents", amount),
            ("reference", Col::Str(vec![None; n])),
        ],
    );
}

#[test]
fn float_decimal_and_timestamp_columns_are_refused_naming_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("typed.parquet");
    let c = checker();
    let integer = "INT32, INT64 of tekst (gehele centen, geen breuken)";
    let cases = [
        (
            Col::F64(vec![25.0; 2]),
            Col::Date(vec![d("2022-02-01"); 2]),
            ("amount_cents", "DOUBLE", integer),
        ),
        (
            Col::I64As("(DECIMAL(18,2))", vec![2500; 2]),
            Col::Date(vec![d("2022-02-01"); 2]),
            ("amount_cents", "INT64 DECIMAL(18, 2)", integer),
        ),
        (
            Col::I64(vec![2500; 2]),
            Col::I64As("(TIMESTAMP(MILLIS,true))", vec![1_643_673_600_000; 2]),
            (
                "start_date",
                "INT64 TIMESTAMP_MILLIS",
                "DATE of tekst JJJJ-MM-DD",
            ),
        ),
        (
            Col::I64(vec![2500; 2]),
            Col::I32(vec![20_220_201; 2]),
            ("start_date", "INT32", "DATE of tekst JJJJ-MM-DD"),
        ),
    ];
    for (amount, start, (column, found, expected)) in cases {
        two_rows(&pq, amount, start);
        let out = eval_parquet(&c, 0, &std::fs::read(&pq).unwrap());
        assert_eq!(
            out.error,
            Some(ParquetError::ColumnType {
                column,
                found: found.into(),
                expected,
            })
        );
        assert_eq!(out.rows.len(), 2);
        assert!(out.lines.iter().all(Option::is_none));
        assert!(
            out.rows
                .iter()
                .all(|r| r.outcome.reasons().iter().all(|x| x.return_code == 1))
        );
    }
    // the same batch with integer cents and a DATE is read and granted
    two_rows(
        &pq,
        Col::I64(vec![2500; 2]),
        Col::Date(vec![d("2022-02-01"); 2]),
    );
    let out = eval_parquet(&c, 0, &std::fs::read(&pq).unwrap());
    assert_eq!(out.error, None);
    assert_eq!(out.rows[0].outcome.granted, 2500);
}

#[test]
fn a_csv_named_parquet_is_read_as_csv() {
    // the content decides the format: no Parquet magic bytes, so this is a CSV (with a header
    // that is not ours: rejected as a whole, its one row gets 0001)
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("batch.parquet");
    std::fs::write(&pq, b"provider_agb,bsn\n1000001,123456782\n").unwrap();
    let (summary, rows) = run_one(&pq, &dir.path().join("out"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][10], "0001", "{:?}", rows[0]);
    let report = &summary.files[0];
    assert_eq!(
        (report.standard.as_str(), report.status.as_str()),
        ("CSV", "rejected")
    );
    let err = report.error.as_deref().unwrap();
    assert!(err.starts_with("regel 1: kopregel is "), "{err}");
}

#[test]
fn out_of_range_numbers_do_not_wrap_into_valid_codes() {
    // 2^32 + 1000001 and 2^16 + 3311 used to be cast (`as`) into the valid AGB 1000001 and
    // UZOVI 3311; -62225 as u16 is 3311 too
    let rec = |provider: &str, uzovi: &str| {
        csv::ByteRecord::from(vec![
            provider,
            "123456782",
            uzovi,
            "13001",
            "2022-02-01",
            "2022-02-01",
            "1",
            "2500",
            "2500",
            "R1",
        ])
    };
    use zorginkoop_claims::tabular::parse_row;
    assert!(parse_row(2, &rec("1000001", "3311")).is_ok());
    let f = parse_row(2, &rec("4296967297", "3311")).unwrap_err();
    assert_eq!((f.column, f.return_code), ("provider_agb", 14));
    let f = parse_row(2, &rec("1000001", "68847")).unwrap_err();
    assert_eq!((f.column, f.return_code), ("uzovi", 18));
    let f = parse_row(2, &rec("1000001", "-62225")).unwrap_err();
    assert_eq!((f.column, f.return_code), ("uzovi", 18));
}

#[test]
fn corrupted_parquet_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("batch.parquet");
    write_batch_parquet(&pq);
    let good = std::fs::read(&pq).unwrap();
    let c = checker();
    assert!(eval_parquet(&c, 0, &good).error.is_none());
    let mut rejected = 0;
    for i in 0..good.len() {
        for v in [0x00u8, 0xFF, good[i] ^ 0x01] {
            let mut bad = good.clone();
            bad[i] = v;
            let out = eval_parquet(&c, 0, &bad);
            // every row appears once, or none when even the footer is unreadable
            assert!(out.rows.len() == BATCH.len() || out.rows.is_empty());
            assert_eq!(out.rows.len(), out.lines.len());
            rejected += usize::from(out.error.is_some());
        }
    }
    assert!(rejected > 0);
    // truncated files
    for n in 0..good.len() {
        let out = eval_parquet(&c, 0, &good[..n]);
        assert!(out.error.is_some(), "truncated at {n}");
    }
}

/// Found by `cargo fuzz run parquet_lines` (seeded with DuckDB-written files): the `parquet`
/// crate panics with "Decoder for dict should have been set" on this file. Such panics are
/// caught (see `corrupted_parquet_never_panics`); this one is now refused earlier, by the
/// page-header check, and every row is rejected with 0001.
#[test]
fn fuzz_regression_dict_decoder_panic() {
    let bytes = std::fs::read(fixtures().join("fuzz/parquet-dict-decoder-panic.parquet")).unwrap();
    let out = eval_parquet(&checker(), 0, &bytes);
    let e = out.error.expect("refused").to_string();
    assert!(
        e.starts_with("geen leesbaar Parquet-bestand: beschadigd bestand"),
        "{e}"
    );
    assert!(!out.rows.is_empty());
    assert!(out.lines.iter().all(Option::is_none));
    assert!(
        out.rows
            .iter()
            .all(|r| r.outcome.reasons().iter().all(|x| x.return_code == 1))
    );
}

/// Found by `cargo fuzz run parquet_lines`: a 1,273-byte file with corrupt page headers kept the
/// `parquet` crate's header reader busy skipping Thrift fields past the end of the data (3 s in
/// a release build, 43-72 s under the fuzzer) before failing. The page headers are now walked by
/// our own strict reader first, which finds the first page claiming more bytes than its column
/// chunk holds and refuses the file (every row rejected with 0001).
#[test]
fn fuzz_regression_corrupt_page_header_is_refused_before_the_crate_reads_it() {
    let bytes = std::fs::read(fixtures().join("fuzz/parquet-slow-unit.parquet")).unwrap();
    let out = eval_parquet(&checker(), 0, &bytes);
    let e = out.error.expect("refused").to_string();
    assert!(
        e.contains("beschadigd bestand: kolom `provider_agb`, rijgroep 0: pagina op byte 4 meldt"),
        "{e}"
    );
    assert_eq!(out.rows.len(), 4, "the 4 rows of the footer, each rejected");
    assert!(
        out.rows
            .iter()
            .all(|r| r.outcome.reasons().iter().all(|x| x.return_code == 1))
    );
}

/// Files written by a real writer pass the page check.
#[test]
fn valid_files_pass_the_page_check() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("batch.parquet");
    write_batch_parquet(&p);
    let out = eval_parquet(&checker(), 0, &std::fs::read(&p).unwrap());
    assert_eq!(out.error, None);
    assert_eq!(out.rows.len(), BATCH.len());
}

/// Files compressed with the other codecs writers use (zstd is Polars' default, gzip and lz4
/// are common elsewhere) are read and give the same results as the snappy file.
#[test]
fn zstd_gzip_and_lz4_files_give_the_same_results_as_snappy() {
    use parquet::basic::{GzipLevel, ZstdLevel};
    let dir = tempfile::tempdir().unwrap();
    let snappy = dir.path().join("snappy.parquet");
    write_batch_parquet(&snappy);
    let (_, expected) = run_one(&snappy, &dir.path().join("out-snappy"));
    assert_eq!(expected.len(), BATCH.len());
    for (name, codec) in [
        ("zstd", Compression::ZSTD(ZstdLevel::default())),
        ("gzip", Compression::GZIP(GzipLevel::default())),
        ("lz4", Compression::LZ4_RAW),
        ("none", Compression::UNCOMPRESSED),
    ] {
        let p = dir.path().join(format!("{name}.parquet"));
        write_batch_parquet_with(&p, codec);
        let (s, rows) = run_one(&p, &dir.path().join(format!("out-{name}")));
        assert_eq!(
            s.files[0].status, "accepted",
            "{name}: {:?}",
            s.files[0].error
        );
        // the same rows but for the file name in the first column
        let strip = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
            rows.iter().map(|r| r[1..].to_vec()).collect()
        };
        assert_eq!(strip(&rows), strip(&expected), "{name}");
    }
}
