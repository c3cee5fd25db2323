//! Calculators of the O&I policy 2026-2027 (document 002): the frail-elderly budget, the AF
//! tariff, the maximum O&I budget per region and the Krachtige Basiszorg tariff per ION.

use super::{CalcContext, CalcError, Calculator, Checked, Field, field, round_cents};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The parts of one practice of the KBZ calculator's input.
const KBZ_PRACTICE: &[Field] = &[
    field("ion", "integer", "ION (inschrijvingen op naam)"),
    field("surcharge_insured", "integer", "NZa-opslagverzekerden"),
];

/// The calculators of this domain.
pub fn calculators() -> Vec<Calculator> {
    vec![
        Calculator {
            name: "frail-elderly-budget",
            title: "Budget kwetsbare ouderen",
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
            title: "Tarief atriumfibrilleren",
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
            title: "Maximumbedrag regio-organisatie",
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
        Calculator {
            name: "kbz-tariff-per-ion",
            title: "Tarief Krachtige Basiszorg per ION",
            summary: "Krachtige Basiszorg: budget = vast bedrag per NZa-opslagverzekerde × opslagverzekerden van de praktijken met 25 % of meer opslagverzekerden; tarief per ION = budget / ION van de deelnemende praktijken; 2027 = tarief 2026 geïndexeerd",
            policy: "oi-2026-2027",
            inputs: const {
                &[field(
                    "practices",
                    "list",
                    "deelnemende praktijken, elk met ION (inschrijvingen op naam) en NZa-opslagverzekerden, uit de uitvraag in Q2 2025",
                )
                .with_items(KBZ_PRACTICE)]
            },
            outputs: const {
                &[
                    field(
                        "qualifying_practices",
                        "integer",
                        "praktijken met 25 % of meer opslagverzekerden",
                    ),
                    field(
                        "surcharge_insured_counted",
                        "integer",
                        "opslagverzekerden van die praktijken",
                    ),
                    field(
                        "ion_total",
                        "integer",
                        "ION van alle deelnemende praktijken",
                    ),
                    field(
                        "budget_2026",
                        "decimal",
                        "vast bedrag × opslagverzekerden (afgerond op centen)",
                    ),
                    field(
                        "tariff_per_ion_2026",
                        "decimal",
                        "budget 2026 / ION (afgerond op centen)",
                    ),
                    field(
                        "tariff_per_ion",
                        "decimal",
                        "tarief per ION op de peildatum: 2026, of 2026 geïndexeerd voor 2027",
                    ),
                ]
            },
            run: |ctx, v| super::json(ctx, v, kbz_tariff_per_ion),
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
            "uurkosten kunnen niet negatief zijn".into(),
        ));
    }
    let sixty = Decimal::from(60);
    let poh = ctx
        .param("af.poh-minutes-per-patient-year")?
        .mul_or(input.poh_hourly_cost, "poh_hourly_cost")?;
    let gp = ctx
        .param("af.gp-minutes-per-patient-year")?
        .mul_or(input.gp_hourly_cost, "gp_hourly_cost")?;
    let tariff = round_cents(poh.add_or(gp, "gp_hourly_cost")? / sixty);
    let total = match input.patients {
        Some(p) => Some(tariff.mul_or(Decimal::from(p), "patients")?),
        None => None,
    };
    Ok(AfTariffOutput {
        tariff_per_patient: tariff,
        total,
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

/// One participating practice in the KBZ data collection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbzPractice {
    /// Registrations by name (inschrijvingen op naam).
    pub ion: u32,
    /// NZa surcharge insured (opslagverzekerden).
    pub surcharge_insured: u32,
}

/// Input of [`kbz_tariff_per_ion`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbzInput {
    pub practices: Vec<KbzPractice>,
}

/// Output of [`kbz_tariff_per_ion`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbzOutput {
    pub qualifying_practices: u32,
    pub surcharge_insured_counted: u64,
    pub ion_total: u64,
    pub budget_2026: Decimal,
    pub tariff_per_ion_2026: Decimal,
    pub tariff_per_ion: Decimal,
}

/// "Berekeningswijze: het tarief wordt vastgesteld op basis van een vast bedrag per NZa
/// opslagverzekerde, specifiek voor praktijken waar 25% of meer van de verzekerden
/// opslagverzekerden zijn." "Tariefbepaling voor 2026: op basis van de verzamelde gegevens
/// stellen we het tarief per ION voor het jaar 2026 vast." "Indexering voor 2027: voor het jaar
/// 2027 wordt het tarief per ION niet opnieuw vastgesteld, maar wordt het tarief wel
/// geïndexeerd." (002, Bijlage 4, 3. Hoe bepalen wij onze tarieven?)
///
/// Choices: a practice qualifies when surcharge insured / ION >= `kbz.min-surcharge-insured-share`
/// (its registered insured are its ION); the budget counts the surcharge insured of the
/// qualifying practices only; the tariff spreads that budget over the ION of all participating
/// practices given, so that tariff × ION pays the budget. Rounded once to cents (half away from
/// zero); 2027 = the rounded 2026 tariff × (1 + `tariff.indexation` on the reference date),
/// rounded again. Overflow is an input error, never a panic.
pub fn kbz_tariff_per_ion(ctx: &CalcContext, input: KbzInput) -> Result<KbzOutput, CalcError> {
    if input.practices.is_empty() {
        return Err(CalcError::InvalidInput(
            "practices: minstens een deelnemende praktijk".into(),
        ));
    }
    let amount = ctx.param("kbz.amount-per-surcharge-insured")?;
    let min_share = ctx.param("kbz.min-surcharge-insured-share")?;
    let (mut qualifying, mut surcharge, mut ion) = (0u32, 0u64, 0u64);
    for (i, p) in input.practices.iter().enumerate() {
        if p.ion == 0 {
            return Err(CalcError::InvalidInput(format!(
                "practices[{i}].ion moet minstens 1 zijn"
            )));
        }
        if p.surcharge_insured > p.ion {
            return Err(CalcError::InvalidInput(format!(
                "practices[{i}].surcharge_insured kan niet groter zijn dan zijn ion"
            )));
        }
        ion += u64::from(p.ion);
        if Decimal::from(p.surcharge_insured) >= min_share * Decimal::from(p.ion) {
            qualifying += 1;
            surcharge += u64::from(p.surcharge_insured);
        }
    }
    let budget = amount
        .checked_mul(Decimal::from(surcharge))
        .map(round_cents)
        .ok_or_else(|| CalcError::InvalidInput("practices: budget te groot".into()))?;
    let tariff_2026 = round_cents(budget / Decimal::from(ion));
    let tariff = if ctx.date.year() >= 2027 {
        let index = ctx.param("tariff.indexation")?;
        round_cents(tariff_2026 * (Decimal::ONE + index))
    } else {
        tariff_2026
    };
    Ok(KbzOutput {
        qualifying_practices: qualifying,
        surcharge_insured_counted: surcharge,
        ion_total: ion,
        budget_2026: budget,
        tariff_per_ion_2026: tariff_2026,
        tariff_per_ion: tariff,
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
    fn af_tariff_with_an_enormous_hourly_cost_is_an_error_naming_it_not_a_panic() {
        let p = policy();
        let huge = Decimal::MAX;
        let r = af_tariff(
            &ctx(&p, 2026),
            AfTariffInput {
                poh_hourly_cost: huge,
                gp_hourly_cost: dec!(90),
                patients: None,
            },
        );
        assert_eq!(
            r,
            Err(CalcError::Overflow {
                input: "poh_hourly_cost".into()
            })
        );
        // a large but representable tariff times many patients overflows at `patients`
        let r = af_tariff(
            &ctx(&p, 2026),
            AfTariffInput {
                poh_hourly_cost: Decimal::MAX / dec!(30),
                gp_hourly_cost: dec!(0),
                patients: Some(u32::MAX),
            },
        );
        assert_eq!(
            r,
            Err(CalcError::Overflow {
                input: "patients".into()
            })
        );
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
        fn af_tariff_never_panics(poh in any::<i128>(), scale in 0u32..28, gp in any::<u64>(), patients in any::<Option<u32>>()) {
            let p = policy();
            let c = ctx(&p, 2026);
            let poh = Decimal::try_from_i128_with_scale(poh % 10i128.pow(28), scale).unwrap();
            let r = af_tariff(&c, AfTariffInput {
                poh_hourly_cost: poh,
                gp_hourly_cost: Decimal::from(gp),
                patients,
            });
            match r {
                Ok(out) => prop_assert!(out.tariff_per_patient >= Decimal::ZERO),
                Err(CalcError::InvalidInput(_)) => prop_assert!(poh < Decimal::ZERO),
                Err(CalcError::Overflow { .. }) => {}
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
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

    fn kbz(practices: &[(u32, u32)], year: i32) -> Result<KbzOutput, CalcError> {
        let p = policy();
        kbz_tariff_per_ion(
            &ctx(&p, year),
            KbzInput {
                practices: practices
                    .iter()
                    .map(|&(ion, surcharge_insured)| KbzPractice {
                        ion,
                        surcharge_insured,
                    })
                    .collect(),
            },
        )
    }

    #[test]
    fn kbz_budget_counts_surcharge_insured_of_practices_at_25_percent_or_more() {
        // Practice 1: 2,000 ION, 600 surcharge (30 %) qualifies; practice 2: 3,000 ION, 600
        // surcharge (20 %) does not; practice 3: 1,000 ION, 250 (exactly 25 %) qualifies.
        // Budget = €100.00 (example) × (600 + 250) = €85,000.00; ION = 6,000;
        // tariff = 85,000 / 6,000 = 14.1666… → €14.17.
        let out = kbz(&[(2000, 600), (3000, 600), (1000, 250)], 2026).unwrap();
        assert_eq!(out.qualifying_practices, 2);
        assert_eq!(out.surcharge_insured_counted, 850);
        assert_eq!(out.ion_total, 6000);
        assert_eq!(out.budget_2026, dec!(85000.00));
        assert_eq!(out.tariff_per_ion_2026, dec!(14.17));
        assert_eq!(out.tariff_per_ion, dec!(14.17));
    }

    #[test]
    fn kbz_2027_indexes_the_2026_tariff() {
        // 14.17 × 1.03 (example index) = 14.5951 → €14.60
        let out = kbz(&[(2000, 600), (3000, 600), (1000, 250)], 2027).unwrap();
        assert_eq!(out.tariff_per_ion_2026, dec!(14.17));
        assert_eq!(out.tariff_per_ion, dec!(14.60));
    }

    #[test]
    fn kbz_refuses_impossible_practices() {
        assert!(kbz(&[], 2026).is_err());
        assert!(kbz(&[(0, 0)], 2026).is_err());
        let err = kbz(&[(100, 101)], 2026).unwrap_err().to_string();
        assert!(err.contains("practices[0].surcharge_insured"), "{err}");
        // The largest inputs do not overflow or panic.
        assert!(kbz(&[(u32::MAX, u32::MAX); 3], 2026).is_ok());
    }
}
