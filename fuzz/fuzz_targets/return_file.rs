//! Fuzzes the AW320/HA305 parser: it must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zorginkoop_claims::vektis::parse_return_file(data);
});
