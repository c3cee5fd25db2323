//! Helpers shared by the claims checker's integration tests.

use chrono::NaiveDate;
use zorginkoop_claims::vektis::{Header, Standard};

/// The header of a 2022 HA304 claim file of `provider` to UZOVI 3311 (Zilveren Kruis).
pub fn ha304_header_2022(provider: u32) -> Header {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    Header {
        standard: Standard::Ha304,
        uzovi: 3311,
        provider,
        practice: 0,
        institution: 0,
        period_start: d("2022-01-01"),
        period_end: d("2022-12-31"),
        invoice_number: b"F1".to_vec(),
        invoice_date: d("2023-01-02"),
    }
}
