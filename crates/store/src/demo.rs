//! Demo contracts: a small, consistent set for `zorginkoop demo` and `contracts seed-demo`,
//! matching the example providers and the generated claim files' codes.

use crate::ContractRow;
use chrono::NaiveDate;

/// The demo contracts (district nursing, lab, thrombosis service, GP stoppen met roken).
pub fn demo_contracts() -> Vec<ContractRow> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let row = |agb: &str, module: &str, codes: &[&str], start, end, tariff, ceiling, ty: &str| {
        ContractRow {
            id: None,
            provider_agb: agb.into(),
            module: module.into(),
            prestatie_codes: codes.iter().map(|s| s.to_string()).collect(),
            start,
            end,
            tariff_cents: tariff,
            ceiling_cents: ceiling,
            contract_type: ty.into(),
        }
    };
    let rows = vec![
        row(
            "75000001",
            "wijkverpleging",
            &[],
            d(2021, 1, 1),
            Some(d(2021, 12, 31)),
            7_500,
            None,
            "regular",
        ),
        row(
            "75000001",
            "wijkverpleging",
            &["1038"],
            d(2021, 1, 1),
            Some(d(2021, 12, 31)),
            9_000,
            None,
            "regular",
        ),
        row(
            "50000001",
            "lab-regular",
            &["30001", "30002"],
            d(2020, 1, 1),
            Some(d(2020, 12, 31)),
            1_250,
            Some(5_000_000),
            "regular",
        ),
        row(
            "34000001",
            "thrombosis-care",
            &["30101"],
            d(2020, 1, 1),
            Some(d(2020, 12, 31)),
            2_000,
            Some(2_000_000),
            "regular",
        ),
        row(
            "01000001",
            "stoppen-met-roken",
            &[],
            d(2022, 1, 1),
            Some(d(2023, 12, 31)),
            4_500,
            None,
            "regular",
        ),
    ];
    rows
}
