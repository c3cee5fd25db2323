//! Calculators of the diagnostics and thrombosis policy 2020 (document 003).

use super::{CalcContext, CalcError, Calculator, field};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The calculators of this domain.
pub fn calculators() -> Vec<Calculator> {
    vec![
        Calculator {
            name: "lab-overproduction-eligible",
            title: "Overproductie bij een voorkeursovereenkomst",
            summary: "Voorkeursovereenkomst: wordt overproductie betaald? Alleen als orders per patiënt en analyses per order elk niet meer dan 2,5 % zijn toegenomen ten opzichte van 2018",
            policy: "diagnostics-2020",
            inputs: const {
                &[
                    field("patients_2018", "integer", "patiënten in 2018"),
                    field("orders_2018", "integer", "orders in 2018"),
                    field("analyses_2018", "integer", "analyses in 2018"),
                    field(
                        "patients_current",
                        "integer",
                        "patiënten in de beoordeelde periode (2020-2021)",
                    ),
                    field(
                        "orders_current",
                        "integer",
                        "orders in de beoordeelde periode",
                    ),
                    field(
                        "analyses_current",
                        "integer",
                        "analyses in de beoordeelde periode",
                    ),
                ]
            },
            outputs: const {
                &[
                    field(
                        "orders_per_patient_2018",
                        "decimal",
                        "gemiddeld aantal orders per patiënt 2018 (4 decimalen, ter informatie)",
                    ),
                    field(
                        "orders_per_patient_current",
                        "decimal",
                        "idem, beoordeelde periode",
                    ),
                    field(
                        "analyses_per_order_2018",
                        "decimal",
                        "gemiddeld aantal analyses per order 2018 (4 decimalen)",
                    ),
                    field(
                        "analyses_per_order_current",
                        "decimal",
                        "idem, beoordeelde periode",
                    ),
                    field(
                        "orders_per_patient_growth",
                        "decimal",
                        "toename als ratio (4 decimalen; 0.025 = 2,5 %)",
                    ),
                    field(
                        "analyses_per_order_growth",
                        "decimal",
                        "toename als ratio (4 decimalen)",
                    ),
                    field(
                        "eligible",
                        "bool",
                        "true als beide toenames ten hoogste 2,5 % zijn (exact vergeleken)",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, lab_overproduction_eligible),
        },
        Calculator {
            name: "lab-reference-price",
            title: "Referentieprijs met het NZa-maximum",
            summary: "De referentieprijs van een bepaling, bijgesteld tot het NZa-maxtarief als zij daarboven komt te liggen",
            policy: "diagnostics-2020",
            inputs: const {
                &[
                    field("reference_price", "decimal", "referentieprijs 2020 in euro"),
                    field(
                        "nza_max_tariff",
                        "decimal",
                        "NZa-maxtarief van dezelfde bepaling in euro",
                    ),
                ]
            },
            outputs: const {
                &[
                    field(
                        "price",
                        "decimal",
                        "de af te spreken maximumprijs: de referentieprijs, ten hoogste het NZa-maxtarief",
                    ),
                    field(
                        "adjusted",
                        "bool",
                        "true als de referentieprijs boven het NZa-maxtarief lag en is bijgesteld",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, lab_reference_price),
        },
    ]
}

/// Input of [`lab_reference_price`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabReferencePriceInput {
    pub reference_price: Decimal,
    pub nza_max_tariff: Decimal,
}

/// Output of [`lab_reference_price`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabReferencePriceOutput {
    pub price: Decimal,
    pub adjusted: bool,
}

/// "De referentieprijzen worden bijgesteld als ze door aanpassingen van de NZa boven de
/// NZa-maxtarieven komen te liggen" (003, 4.1, footnote 3): the price agreed is the reference
/// price, at most the NZa maximum tariff. A reference price equal to the maximum stays as it is
/// ("boven": strictly above). Both are euro amounts, not negative; no rounding (both are already
/// prices).
pub fn lab_reference_price(
    _ctx: &CalcContext,
    input: LabReferencePriceInput,
) -> Result<LabReferencePriceOutput, CalcError> {
    for (name, v) in [
        ("reference_price", input.reference_price),
        ("nza_max_tariff", input.nza_max_tariff),
    ] {
        if v.is_sign_negative() && !v.is_zero() {
            return Err(CalcError::InvalidInput(format!(
                "{name} mag niet negatief zijn"
            )));
        }
    }
    let adjusted = input.reference_price > input.nza_max_tariff;
    Ok(LabReferencePriceOutput {
        price: if adjusted {
            input.nza_max_tariff
        } else {
            input.reference_price
        },
        adjusted,
    })
}

/// Input of [`lab_overproduction_eligible`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabOverproductionInput {
    pub patients_2018: u64,
    pub orders_2018: u64,
    pub analyses_2018: u64,
    pub patients_current: u64,
    pub orders_current: u64,
    pub analyses_current: u64,
}

/// Output of [`lab_overproduction_eligible`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabOverproductionOutput {
    pub orders_per_patient_2018: Decimal,
    pub orders_per_patient_current: Decimal,
    pub analyses_per_order_2018: Decimal,
    pub analyses_per_order_current: Decimal,
    pub orders_per_patient_growth: Decimal,
    pub analyses_per_order_growth: Decimal,
    pub eligible: bool,
}

fn four(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

fn ratio(num: u64, den: u64, what: &str) -> Result<Decimal, CalcError> {
    if den == 0 {
        return Err(CalcError::InvalidInput(format!(
            "{what}: delen door nul kan niet"
        )));
    }
    Ok(Decimal::from(num) / Decimal::from(den))
}

/// "Het gemiddeld aantal orders per patiënt is in de contractperiode 2020 – 2021 niet meer dan
/// 2,5% toegenomen ten opzichte van 2018" and "Het gemiddeld aantal analyses per order is in de
/// contractperiode 2020 – 2021 niet meer dan 2,5% toegenomen ten opzichte van 2018" (003, 3.1,
/// Bij een voorkeursovereenkomst betalen we overproductie onder voorwaarden uit).
///
/// Growth = current average / 2018 average − 1. The test "not more than 2.5 %" is made on the
/// exact quotients (so exactly 2.5 % passes, 2.5001 % does not); the averages and growths are
/// reported rounded to 4 decimals, half away from zero, for reading only.
pub fn lab_overproduction_eligible(
    ctx: &CalcContext,
    input: LabOverproductionInput,
) -> Result<LabOverproductionOutput, CalcError> {
    let max_opp = ctx.param("lab.preferred.max-orders-per-patient-growth")?;
    let max_apo = ctx.param("lab.preferred.max-analyses-per-order-growth")?;
    let opp_2018 = ratio(
        input.orders_2018,
        input.patients_2018,
        "orders per patient 2018",
    )?;
    let opp_now = ratio(
        input.orders_current,
        input.patients_current,
        "orders per patient (current)",
    )?;
    let apo_2018 = ratio(
        input.analyses_2018,
        input.orders_2018,
        "analyses per order 2018",
    )?;
    let apo_now = ratio(
        input.analyses_current,
        input.orders_current,
        "analyses per order (current)",
    )?;
    if opp_2018.is_zero() || apo_2018.is_zero() {
        return Err(CalcError::InvalidInput(
            "de gemiddelden van 2018 moeten positief zijn om groei te meten".into(),
        ));
    }
    // growth ≤ max  ⇔  now ≤ base × (1 + max), compared exactly without a second division
    let opp_ok = opp_now <= opp_2018 * (Decimal::ONE + max_opp);
    let apo_ok = apo_now <= apo_2018 * (Decimal::ONE + max_apo);
    Ok(LabOverproductionOutput {
        orders_per_patient_2018: four(opp_2018),
        orders_per_patient_current: four(opp_now),
        analyses_per_order_2018: four(apo_2018),
        analyses_per_order_current: four(apo_now),
        orders_per_patient_growth: four(opp_now / opp_2018 - Decimal::ONE),
        analyses_per_order_growth: four(apo_now / apo_2018 - Decimal::ONE),
        eligible: opp_ok && apo_ok,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use zorginkoop_policy::Policy;

    fn policy() -> Policy {
        crate::calc::shipped_policy("diagnostics-2020")
    }

    fn run(p: &Policy, i: LabOverproductionInput) -> Result<LabOverproductionOutput, CalcError> {
        let c = CalcContext::new(p, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        lab_overproduction_eligible(&c, i)
    }

    fn input(p18: u64, o18: u64, a18: u64, p: u64, o: u64, a: u64) -> LabOverproductionInput {
        LabOverproductionInput {
            patients_2018: p18,
            orders_2018: o18,
            analyses_2018: a18,
            patients_current: p,
            orders_current: o,
            analyses_current: a,
        }
    }

    #[test]
    fn growth_of_exactly_2_5_percent_is_still_paid() {
        // 2018: 10,000 patients, 20,000 orders (2.0 per patient), 100,000 analyses (5.0 per order)
        // now: 10,000 patients, 20,500 orders (2.05 = +2.5 %), 105,062.5 → use 20,500 × 5.125
        // = 105,062.5 is not whole; take 41,000 orders / 20,000 patients and 210,125 analyses:
        // 2.05 per patient (+2.5 %), 5.125 per order (+2.5 %).
        let p = policy();
        let out = run(&p, input(10_000, 20_000, 100_000, 20_000, 41_000, 210_125)).unwrap();
        assert_eq!(out.orders_per_patient_growth, dec!(0.025));
        assert_eq!(out.analyses_per_order_growth, dec!(0.025));
        assert!(out.eligible);
    }

    #[test]
    fn growth_above_2_5_percent_in_either_measure_is_not_paid() {
        let p = policy();
        // orders per patient 2.06 (+3 %), analyses per order unchanged
        let out = run(&p, input(10_000, 20_000, 100_000, 10_000, 20_600, 103_000)).unwrap();
        assert_eq!(out.orders_per_patient_growth, dec!(0.03));
        assert_eq!(out.analyses_per_order_growth, dec!(0));
        assert!(!out.eligible);
        // orders per patient falls, analyses per order 5.2 (+4 %)
        let out = run(&p, input(10_000, 20_000, 100_000, 10_000, 19_000, 98_800)).unwrap();
        assert_eq!(out.analyses_per_order_growth, dec!(0.04));
        assert!(!out.eligible);
    }

    #[test]
    fn a_reference_price_above_the_nza_maximum_is_brought_down_to_it() {
        // "De referentieprijzen worden bijgesteld als ze door aanpassingen van de NZa boven de
        // NZa-maxtarieven komen te liggen": EUR 3.10 against a maximum of EUR 3.09 becomes 3.09;
        // exactly the maximum (3.09) is not above it and stays; below it (2.50) stays.
        let p = policy();
        let c = CalcContext::new(&p, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        let price = |r: Decimal, m: Decimal| {
            lab_reference_price(
                &c,
                LabReferencePriceInput {
                    reference_price: r,
                    nza_max_tariff: m,
                },
            )
            .unwrap()
        };
        assert_eq!(
            price(dec!(3.10), dec!(3.09)),
            LabReferencePriceOutput {
                price: dec!(3.09),
                adjusted: true
            }
        );
        assert_eq!(
            price(dec!(3.09), dec!(3.09)),
            LabReferencePriceOutput {
                price: dec!(3.09),
                adjusted: false
            }
        );
        assert_eq!(price(dec!(2.50), dec!(3.09)).price, dec!(2.50));
        assert!(
            lab_reference_price(
                &c,
                LabReferencePriceInput {
                    reference_price: dec!(-1),
                    nza_max_tariff: dec!(3)
                }
            )
            .is_err()
        );
    }

    #[test]
    fn zero_denominators_are_refused() {
        let p = policy();
        assert!(run(&p, input(0, 1, 1, 1, 1, 1)).is_err());
        assert!(run(&p, input(1, 0, 0, 1, 1, 1)).is_err());
    }

    proptest! {
        #[test]
        fn more_analyses_never_makes_a_lab_eligible(
            p in 1u64..100_000, o in 1u64..200_000, a in 1u64..1_000_000,
            a_now in 1u64..1_000_000, more in 0u64..100_000,
        ) {
            let pol = policy();
            let x = run(&pol, input(p, o, a, p, o, a_now)).unwrap();
            let y = run(&pol, input(p, o, a, p, o, a_now + more)).unwrap();
            // monotone: if the larger count is eligible, so is the smaller
            prop_assert!(!y.eligible || x.eligible);
            // same volumes as 2018: no growth, always eligible
            let same = run(&pol, input(p, o, a, p, o, a)).unwrap();
            prop_assert!(same.eligible);
            prop_assert_eq!(same.orders_per_patient_growth, Decimal::ZERO);
        }
    }
}
