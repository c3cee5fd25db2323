//! The worked example of district nursing 2021 (tests/nursing.rs explains its sums): the claim
//! result rows, the providers' terms, a writer of `results.parquet` files with the checker's
//! schema, and the policy's rules. Shared by tests/nursing.rs and tests/ballista.rs.
#![allow(dead_code)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::path::Path;
use zorginkoop_settle::{NursingRules, Statement, TermsSet};

pub struct L {
    pub agb: &'static str,
    pub bsn: &'static str,
    pub prestatie: &'static str,
    pub date: (i32, u32, u32),
    pub claimed: i64,
    pub granted: i64,
    pub decision: &'static str,
}

pub fn l(
    agb: &'static str,
    bsn: &'static str,
    prestatie: &'static str,
    date: (i32, u32, u32),
    cents: i64,
) -> L {
    L {
        agb,
        bsn,
        prestatie,
        date,
        claimed: cents,
        granted: cents,
        decision: "granted",
    }
}

pub fn lines() -> Vec<L> {
    let (p1, p2, p3, p4) = ("00000001", "00000002", "00000003", "00000004");
    vec![
        // small provider
        l(p1, "200000001", "1034", (2019, 6, 1), 5_000_000),
        L {
            claimed: 40_000,
            granted: 0,
            decision: "rejected",
            ..l(p1, "200000001", "1034", (2019, 7, 1), 0)
        },
        l(p1, "200000001", "1034", (2021, 5, 1), 9_000_000),
        // a line outside both periods is ignored
        l(p1, "200000001", "1034", (2020, 6, 1), 123_456),
        // regular provider, reference period
        l(p2, "100000001", "1033", (2019, 3, 5), 72_000),
        l(p2, "100000001", "1033", (2019, 4, 5), 72_000),
        l(p2, "100000001", "1033", (2019, 5, 5), 72_000),
        l(p2, "100000002", "1034", (2019, 12, 30), 28_800),
        l(p2, "100000002", "1034", (2019, 12, 31), 28_800),
        L {
            claimed: 30_000,
            granted: 28_800,
            decision: "reduced",
            ..l(p2, "100000002", "1034", (2020, 1, 2), 0)
        },
        l(p2, "100000003", "1035", (2019, 6, 10), 720_000),
        l(p2, "100000005", "1039", (2019, 9, 1), 8_977_600),
        // regular provider, 2021
        l(p2, "100000001", "1033", (2021, 2, 1), 59_328),
        l(p2, "100000001", "1033", (2021, 3, 1), 59_328),
        l(p2, "100000004", "1062", (2021, 7, 15), 51_912),
        l(p2, "100000005", "1039", (2021, 9, 1), 11_829_432),
        // a code that is not district nursing is ignored
        l(p2, "100000001", "13000", (2021, 9, 1), 99_999),
        // new provider
        l(p3, "300000001", "1034", (2019, 10, 1), 30_000_000),
        l(p3, "300000001", "1034", (2021, 10, 1), 40_000_000),
        // regular provider without terms
        l(p4, "400000001", "1034", (2019, 10, 1), 15_000_000),
    ]
}

pub fn terms() -> TermsSet {
    TermsSet::parse(
        Path::new("terms.csv"),
        "provider_agb,contract_2020,efficiency_group,tariff_ref_cents,agreement_improvement\n\
         00000001,ja,,,\n\
         00000002,ja,2,600,0.10\n\
         00000003,nee,,,\n",
    )
    .unwrap()
}

pub fn write(path: &Path, rows: &[L]) {
    let rows: Vec<crate::results_file::Row> = rows
        .iter()
        .map(|r| crate::results_file::Row {
            agb: r.agb,
            bsn: r.bsn,
            prestatie: r.prestatie,
            date: NaiveDate::from_ymd_opt(r.date.0, r.date.1, r.date.2).unwrap(),
            claimed: r.claimed,
            granted: r.granted,
            decision: r.decision,
        })
        .collect();
    crate::results_file::write(
        path,
        &rows,
        ("0611", "ZK-WV-ABOVE-INTEGRAL-TARIFF"),
        "district-nursing-2021@2.0 sha256:00",
    );
}

pub fn rules() -> NursingRules {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/district-nursing-2021.toml");
    let policy = zorginkoop_policy::Policy::load(&path).unwrap();
    NursingRules::from_policy(&policy).unwrap()
}

pub fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn by_agb<'a>(all: &'a [Statement], agb: &str) -> &'a Statement {
    all.iter().find(|s| s.provider_agb == agb).unwrap()
}
