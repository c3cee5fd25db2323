//! The worked example of diagnostics and thrombosis 2020 (tests/labs.rs explains its sums):
//! the claim result rows, the providers' terms, a writer of `results.parquet` files with the
//! checker's schema, and the policy's rules. Shared by tests/labs.rs and tests/ballista.rs.
#![allow(dead_code)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::path::Path;
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
    let rows: Vec<crate::results_file::Row> = rows
        .iter()
        .map(|r| crate::results_file::Row {
            agb: r.agb,
            bsn: &r.bsn,
            prestatie: r.prestatie,
            date: r.date,
            claimed: r.granted.max(5_000),
            granted: r.granted,
            decision: r.decision,
        })
        .collect();
    crate::results_file::write(
        path,
        &rows,
        ("0613", "ZK-THROMBOSIS-CEILING-EXCEEDED"),
        "diagnostics-2020@2020 sha256:00",
    );
}

pub fn rules() -> LabRules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/diagnostics-2020.toml");
    let policy = zorginkoop_policy::Policy::load(&path).unwrap();
    LabRules::from_policy(&policy).unwrap()
}

pub fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}
