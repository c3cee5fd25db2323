//! Calculators of the O&I policy 2026-2027 (document 002): the frail-elderly budget, the AF
//! tariff and the maximum O&I budget per region.

use super::{CalcContext, CalcError, Calculator, field, round_cents};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The calculators of this domain.
pub fn calculators() -> Vec<Calculator> {
    vec![
        Calculator {
            name: "frail-elderly-budget",
            summary: "Kwetsbare ouderen: budget = aantal 75-plussers × 28 % (aandeel kwetsbaren) × tarief per kwetsbare oudere",
            policy: "oi-2026-2027",
            inputs: const {
                &[field(
                    "persons_75_plus",
                    "integer",
                    "aantal 75-plussers (ingevuld in het Zorginkoopportaal)",
                )]
            },
            outputs: const {
                &[
                    field(
                        "frail_elderly",
                        "decimal",
                        "aantal kwetsbare ouderen (75-plussers × 28 %, niet afgerond)",
                    ),
                    field(
                        "tariff_per_frail_person",
                        "decimal",
                        "tarief per kwetsbare oudere op de peildatum",
                    ),
                    field("budget", "decimal", "budget in euro (afgerond op centen)"),
                ]
            },
            run: |ctx, v| super::json(ctx, v, frail_elderly_budget),
        },
        Calculator {
            name: "af-tariff",
            summary: "Atriumfibrilleren: vast tarief per patiënt per jaar = 30 minuten POH-tijd + 10 minuten overlegtijd huisarts, tegen de uurkosten",
            policy: "oi-2026-2027",
            inputs: const {
                &[
                    field("poh_hourly_cost", "decimal", "uurkosten POH in euro"),
                    field("gp_hourly_cost", "decimal", "uurkosten huisarts in euro"),
                    field(
                        "patients",
                        "integer",
                        "optioneel: aantal geïncludeerde AF-patiënten",
                    ),
                ]
            },
            outputs: const {
                &[
                    field(
                        "tariff_per_patient",
                        "decimal",
                        "tarief per AF-patiënt per jaar (afgerond op centen)",
                    ),
                    field(
                        "total",
                        "decimal",
                        "tarief × patiënten (alleen met patients)",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, af_tariff),
        },
        Calculator {
            name: "ro-max-budget",
            summary: "O&I: maximumbedrag per regio = ingeschreven verzekerden bij de aangesloten huisartsen × maximumbedrag per ingeschreven verzekerde",
            policy: "oi-2026-2027",
            inputs: const {
                &[field(
                    "registered_insured",
                    "integer",
                    "ingeschreven verzekerden bij de aangesloten huisartsen",
                )]
            },
            outputs: const {
                &[field(
                    "max_budget",
                    "decimal",
                    "maximumbedrag per regio per jaar in euro (afgerond op centen)",
                )]
            },
            run: |ctx, v| super::json(ctx, v, ro_max_budget),
        },
    ]
}

/// Input of [`frail_elderly_budget`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrailElderlyInput {
    pub persons_75_plus: u32,
}

/// Output of [`frail_elderly_budget`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrailElderlyOutput {
    pub frail_elderly: Decimal,
    pub tariff_per_frail_person: Decimal,
    pub budget: Decimal,
}

/// "Het tarief wordt berekend op basis van het aantal 75-plussers. Daarbij nemen we aan dat
/// gemiddeld 28% van de 75-plussers kwetsbaar is (bron Vektis)." and "Het tarief is een vast
/// bedrag per kwetsbare oudere." (002, Bijlage 3, 3. Hoe bepalen wij onze tarieven?)
///
/// Choice: the number of frail elderly is not rounded to whole persons (28 % of 1,001 is
/// 280.28); the budget is rounded once, to cents, half away from zero.
pub fn frail_elderly_budget(
    ctx: &CalcContext,
    input: FrailElderlyInput,
) -> Result<FrailElderlyOutput, CalcError> {
    let share = ctx.param("frail-elderly.frail-share")?;
    let tariff = ctx.param("frail-elderly.tariff-per-frail-person")?;
    let frail = Decimal::from(input.persons_75_plus) * share;
    Ok(FrailElderlyOutput {
        frail_elderly: frail.normalize(),
        tariff_per_frail_person: tariff,
        budget: round_cents(frail * tariff),
    })
}

/// Input of [`af_tariff`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfTariffInput {
    pub poh_hourly_cost: Decimal,
    pub gp_hourly_cost: Decimal,
    #[serde(default)]
    pub patients: Option<u32>,
}

/// Output of [`af_tariff`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AfTariffOutput {
    pub tariff_per_patient: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
}

/// "Deze aanvullende afspraak is gebaseerd op een gemiddelde extra tijdsinvestering van de POH
/// per patiënt van 30 minuten per jaar. Daarnaast wordt uitgegaan van 10 minuten extra
/// overlegtijd met de huisarts per jaar." (002, Bijlage 2, Specifieke voorwaarden AF)
///
/// tariff = 30/60 × POH hourly cost + 10/60 × GP hourly cost, rounded once to cents (half away
/// from zero); the total for a number of patients is the rounded tariff × patients, because the
/// tariff per patient is what is claimed.
pub fn af_tariff(ctx: &CalcContext, input: AfTariffInput) -> Result<AfTariffOutput, CalcError> {
    if input.poh_hourly_cost < Decimal::ZERO || input.gp_hourly_cost < Decimal::ZERO {
        return Err(CalcError::InvalidInput(
            "hourly costs cannot be negative".into(),
        ));
    }
    let sixty = Decimal::from(60);
    let poh = ctx.param("af.poh-minutes-per-patient-year")? * input.poh_hourly_cost;
    let gp = ctx.param("af.gp-minutes-per-patient-year")? * input.gp_hourly_cost;
    let tariff = round_cents((poh + gp) / sixty);
    Ok(AfTariffOutput {
        tariff_per_patient: tariff,
        total: input.patients.map(|p| tariff * Decimal::from(p)),
    })
}

/// Input of [`ro_max_budget`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoMaxBudgetInput {
    pub registered_insured: u32,
}

/// Output of [`ro_max_budget`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoMaxBudgetOutput {
    pub max_budget: Decimal,
}

/// "Per regio is er een maximumbedrag beschikbaar, gebaseerd op het aantal ingeschreven
/// verzekerden bij de aangesloten huisartsen." (002, Tarieven en volume)
///
/// The amount per registered insured is an example parameter (the document publishes none).
pub fn ro_max_budget(
    ctx: &CalcContext,
    input: RoMaxBudgetInput,
) -> Result<RoMaxBudgetOutput, CalcError> {
    let per = ctx.param("ro.max-budget-per-registered-insured")?;
    Ok(RoMaxBudgetOutput {
        max_budget: round_cents(Decimal::from(input.registered_insured) * per),
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
        crate::calc::shipped_policy("oi-2026-2027")
    }

    fn ctx(p: &Policy, y: i32) -> CalcContext<'_> {
        CalcContext::new(p, NaiveDate::from_ymd_opt(y, 1, 1).unwrap())
    }

    #[test]
    fn frail_elderly_budget_is_75_plus_times_28_percent_times_tariff() {
        // 10,000 × 0.28 = 2,800 frail elderly × €40.00 (example 2026) = €112,000.00
        let p = policy();
        let out = frail_elderly_budget(
            &ctx(&p, 2026),
            FrailElderlyInput {
                persons_75_plus: 10_000,
            },
        )
        .unwrap();
        assert_eq!(out.frail_elderly, dec!(2800));
        assert_eq!(out.budget, dec!(112000.00));
        // 2027: × €41.20 = €115,360.00
        let out = frail_elderly_budget(
            &ctx(&p, 2027),
            FrailElderlyInput {
                persons_75_plus: 10_000,
            },
        )
        .unwrap();
        assert_eq!(out.budget, dec!(115360.00));
        // 1,001 × 0.28 = 280.28 × 40 = 11,211.20 (persons not rounded)
        let out = frail_elderly_budget(
            &ctx(&p, 2026),
            FrailElderlyInput {
                persons_75_plus: 1_001,
            },
        )
        .unwrap();
        assert_eq!(out.frail_elderly, dec!(280.28));
        assert_eq!(out.budget, dec!(11211.20));
    }

    #[test]
    fn af_tariff_is_30_minutes_poh_and_10_minutes_gp() {
        // 0.5 × €60 + 10/60 × €90 = 30 + 15 = €45.00; 200 patients = €9,000.00
        let p = policy();
        let out = af_tariff(
            &ctx(&p, 2026),
            AfTariffInput {
                poh_hourly_cost: dec!(60),
                gp_hourly_cost: dec!(90),
                patients: Some(200),
            },
        )
        .unwrap();
        assert_eq!(out.tariff_per_patient, dec!(45.00));
        assert_eq!(out.total, Some(dec!(9000.00)));
        // 0.5 × 55.55 + 10/60 × 100 = 27.775 + 16.6666.. = 44.44166.. → €44.44
        let out = af_tariff(
            &ctx(&p, 2026),
            AfTariffInput {
                poh_hourly_cost: dec!(55.55),
                gp_hourly_cost: dec!(100),
                patients: None,
            },
        )
        .unwrap();
        assert_eq!(out.tariff_per_patient, dec!(44.44));
        assert_eq!(out.total, None);
    }

    #[test]
    fn af_tariff_rejects_negative_costs() {
        let p = policy();
        let r = af_tariff(
            &ctx(&p, 2026),
            AfTariffInput {
                poh_hourly_cost: dec!(-1),
                gp_hourly_cost: dec!(90),
                patients: None,
            },
        );
        assert!(matches!(r, Err(CalcError::InvalidInput(_))));
    }

    #[test]
    fn ro_max_budget_is_registered_insured_times_amount() {
        // 250,000 × €12.00 (example) = €3,000,000.00
        let p = policy();
        let out = ro_max_budget(
            &ctx(&p, 2026),
            RoMaxBudgetInput {
                registered_insured: 250_000,
            },
        )
        .unwrap();
        assert_eq!(out.max_budget, dec!(3000000.00));
    }

    proptest! {
        #[test]
        fn frail_budget_is_monotone_and_in_cents(a in 0u32..2_000_000, b in 0u32..2_000_000) {
            let p = policy();
            let c = ctx(&p, 2026);
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let x = frail_elderly_budget(&c, FrailElderlyInput { persons_75_plus: lo }).unwrap();
            let y = frail_elderly_budget(&c, FrailElderlyInput { persons_75_plus: hi }).unwrap();
            prop_assert!(x.budget <= y.budget);
            prop_assert!(x.budget.scale() <= 2);
            // exact: 0.28 × 40 = 11.20 per person
            prop_assert_eq!(x.budget, Decimal::from(lo) * dec!(11.20));
        }

        #[test]
        fn af_tariff_is_monotone_in_costs(poh in 0u32..20_000, gp in 0u32..30_000, extra in 0u32..1_000) {
            let p = policy();
            let c = ctx(&p, 2026);
            let t = |poh: u32, gp: u32| af_tariff(&c, AfTariffInput {
                poh_hourly_cost: Decimal::new(poh.into(), 2),
                gp_hourly_cost: Decimal::new(gp.into(), 2),
                patients: None,
            }).unwrap().tariff_per_patient;
            prop_assert!(t(poh, gp) <= t(poh + extra, gp));
            prop_assert!(t(poh, gp) <= t(poh, gp + extra));
            prop_assert!(t(poh, gp).scale() <= 2);
        }
    }
}
