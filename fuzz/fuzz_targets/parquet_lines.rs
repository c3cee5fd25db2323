//! Fuzzes the Parquet claim-line reader: it must never panic out of `read_records` (panics
//! inside the `parquet` crate are caught there and become an error), and every row it returns
//! has the ten documented columns.
//!
//! libfuzzer-sys installs a panic hook that aborts on every panic, caught or not; it is replaced
//! by a silent one, so only a panic that escapes `read_records` (and reaches libfuzzer-sys's own
//! `catch_unwind`, which aborts) counts as a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zorginkoop_claims::columnar::read_records;
use zorginkoop_claims::tabular::COLUMNS;

fuzz_target!(|data: &[u8]| {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    if let Ok(rows) = read_records(data) {
        for r in &rows {
            assert_eq!(r.len(), COLUMNS.len());
        }
    }
});
