//! Fuzzes the Parquet claim-line reader: it must never panic (panics inside the `parquet` crate
//! are caught and become an error), and every row it returns has the ten documented columns.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zorginkoop_claims::columnar::read_records;
use zorginkoop_claims::tabular::COLUMNS;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = read_records(data) {
        for r in &rows {
            assert_eq!(r.len(), COLUMNS.len());
        }
    }
});
