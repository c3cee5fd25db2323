//! Fuzzes the AW319/HA304 parser: it must never panic, and a file it accepts must survive a
//! return-message round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zorginkoop_claims::vektis::{Detail, parse_claim_file};

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = parse_claim_file(data) {
        for d in &f.details {
            assert!(d.offset + d.len <= data.len());
            if let Detail::Line(l) = &d.detail
                && let Ok(l) = l.as_ref()
            {
                assert!(l.start >= f.header.period_start && l.start <= f.header.period_end);
            }
        }
    }
});
