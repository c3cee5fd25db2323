//! Calculators of the GP-care policies (huisartsenzorg 2022-2023, document 001).

use super::{CalcContext, CalcError, Calculator, field};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The calculators of this domain.
pub fn calculators() -> Vec<Calculator> {
    vec![Calculator {
        name: "poh-ggz-hours",
        summary: "POH-GGZ: uren per week voor een praktijkgrootte (12 uur per normpraktijk van 2.350 patiënten: 10 patiëntcontact, 1 externe consultatie, 1 eHealth); aanvragen boven de norm worden individueel beoordeeld",
        policy: "gp-2022-2023",
        inputs: const {
            &[
                field("registered_patients", "integer", "ingeschreven patiënten"),
                field(
                    "requested_hours_per_week",
                    "decimal",
                    "optioneel: aangevraagde uren POH-GGZ per week",
                ),
            ]
        },
        outputs: const {
            &[
                field(
                    "max_hours_per_week",
                    "decimal",
                    "uren per week volgens de norm (2 decimalen)",
                ),
                field("patient_contact_hours", "decimal", "waarvan patiëntcontact"),
                field(
                    "external_consultation_hours",
                    "decimal",
                    "waarvan externe consultatie",
                ),
                field("ehealth_hours", "decimal", "waarvan eHealth"),
                field(
                    "individual_review",
                    "bool",
                    "true als de aanvraag boven de norm ligt",
                ),
            ]
        },
        run: |ctx, v| super::json(ctx, v, poh_ggz_hours),
    }]
}

/// Input of [`poh_ggz_hours`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PohGgzInput {
    pub registered_patients: u32,
    #[serde(default)]
    pub requested_hours_per_week: Option<Decimal>,
}

/// Output of [`poh_ggz_hours`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PohGgzOutput {
    pub max_hours_per_week: Decimal,
    pub patient_contact_hours: Decimal,
    pub external_consultation_hours: Decimal,
    pub ehealth_hours: Decimal,
    pub individual_review: bool,
}

fn hours(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// "Wij kennen 12 uur POH-GGZ per week toe per praktijk van 2350 patiënten. Voor de inzet van
/// de uren gaan wij uit van 10 uur patiëntcontact, 1 uur externe consultatie en 1 uur voor
/// eHealth toepassingen." (001, POH-GGZ, 4. Hoe dient u uw aanvraag in?)
///
/// Choice: the 12 hours scale pro rata with the practice size (a practice of 4,700 patients has
/// a norm of 24 hours); a request above the practice's norm is individually assessed. Hours are
/// rounded to two decimals, half away from zero.
pub fn poh_ggz_hours(ctx: &CalcContext, input: PohGgzInput) -> Result<PohGgzOutput, CalcError> {
    let norm_patients = ctx.param("norm-practice.patients")?;
    if norm_patients <= Decimal::ZERO {
        return Err(CalcError::Domain(
            "norm-practice.patients must be positive".into(),
        ));
    }
    let share = Decimal::from(input.registered_patients) / norm_patients;
    let per = |id: &str| -> Result<Decimal, CalcError> { Ok(hours(ctx.param(id)? * share)) };
    let max = per("poh-ggz.hours-per-norm-practice")?;
    let out = PohGgzOutput {
        max_hours_per_week: max,
        patient_contact_hours: per("poh-ggz.patient-contact-hours")?,
        external_consultation_hours: per("poh-ggz.external-consultation-hours")?,
        ehealth_hours: per("poh-ggz.ehealth-hours")?,
        individual_review: input.requested_hours_per_week.is_some_and(|r| r > max),
    };
    Ok(out)
}
