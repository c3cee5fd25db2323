//! Fuzzes the CSV claim-line reader: it must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zorginkoop_claims::tabular::faults(data);
});
