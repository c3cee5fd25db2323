//! Calculators of the GP-care policies (huisartsenzorg 2022-2023, document 001):
//!
//! * `poh-ggz-hours`: POH-GGZ hours a week for a practice size;
//! * `oaw-hours`: Service en bereikbaarheid module C, the minimum extra (OAW) consulting hours
//!   and the check of a weekly OAW schedule against the morning, evening and weekend windows;
//! * `poh-s-supplement`: the POH-S rekentool (15 % of the cost of the POH-S hours not yet funded);
//! * `fgv-score`: Formulariumgericht voorschrijven, FGV1 and the A-D score.
//!
//! Every figure comes from the policy's parameters on the reference date; the doc comment of
//! each calculator quotes the sentence it implements and names its rounding point.

use super::{CalcContext, CalcError, Calculator, Checked, Field, field, round_cents};
use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

const POH_GGZ_INPUTS: &[Field] = &[
    field("registered_patients", "integer", "ingeschreven patiënten"),
    field(
        "requested_hours_per_week",
        "decimal",
        "optioneel: aangevraagde uren POH-GGZ per week",
    ),
];
const POH_GGZ_OUTPUTS: &[Field] = &[
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
        "true als de aanvraag meer dan 12 uur per week is (individuele beoordeling)",
    ),
];

const OAW_INPUTS: &[Field] = &[
    field("registered_patients", "integer", "ingeschreven patiënten"),
    field(
        "sessions",
        "list",
        "optioneel: weekrooster van OAW-spreekuren, per spreekuur de dag, begin en einde (UU:MM) en het aantal huisartsen",
    )
    .with_items(&[
        field("day", "weekday", "dag"),
        field("start", "time", "begin (UU:MM)"),
        field("end", "time", "einde (UU:MM)"),
        field("gps", "integer", "aantal huisartsen tegelijk"),
    ]),
    field(
        "weeks_per_year",
        "integer",
        "optioneel: aantal weken per jaar waarin de extra spreekuren worden geleverd",
    ),
];
const OAW_OUTPUTS: &[Field] = &[
    field(
        "min_hours_per_week",
        "decimal",
        "minimum OAW-spreekuur per week",
    ),
    field(
        "extra_blocks",
        "integer",
        "aantal blokken van 600 extra patiënten boven 2.400",
    ),
    field(
        "min_weeks_per_year",
        "integer",
        "minimum aantal weken per jaar (45)",
    ),
    field(
        "counted_hours_per_week",
        "decimal",
        "uren OAW-spreekuur in het rooster die meetellen (uren × huisartsen, 2 decimalen); null zonder rooster",
    ),
    field(
        "sessions",
        "list",
        "per spreekuur: getelde uren en de delen buiten de OAW-vensters",
    ),
    field(
        "outside_windows",
        "list",
        "alle delen van spreekuren buiten de OAW-vensters",
    ),
    field(
        "meets_minimum_hours",
        "bool",
        "het rooster haalt het minimum per week; null zonder rooster",
    ),
    field(
        "meets_minimum_weeks",
        "bool",
        "weeks_per_year haalt het minimum; null zonder weeks_per_year",
    ),
];

const POH_S_INPUTS: &[Field] = &[
    field("registered_patients", "integer", "ingeschreven patiënten"),
    field(
        "total_hours_per_week",
        "decimal",
        "totale POH-S inzet voor uw praktijk in uren per week (bij gedeelde POH-S alleen de uren voor uw praktijk)",
    ),
    field(
        "hourly_cost",
        "decimal",
        "optioneel: kosten per uur POH-S in euro (standaard de parameter poh-s.hourly-cost)",
    ),
    field(
        "frail_elderly_hours",
        "decimal",
        "uren al bekostigd via Samenwerking rondom kwetsbare ouderen",
    ),
    field(
        "future_proof_hours",
        "decimal",
        "uren al bekostigd via Toekomstbestendige huisartsenzorg",
    ),
    field(
        "other_arrangement_hours",
        "decimal",
        "uren al bekostigd via andere afspraken",
    ),
    field(
        "care_chain_hours",
        "decimal",
        "uren al bekostigd via de ketenzorg (integraal tarief)",
    ),
];
const POH_S_OUTPUTS: &[Field] = &[
    field(
        "total_hours_per_week",
        "decimal",
        "totale POH-S uren per week",
    ),
    field(
        "funded_hours_per_week",
        "decimal",
        "uren die al worden bekostigd",
    ),
    field(
        "remaining_hours_per_week",
        "decimal",
        "overige uren, nog niet bekostigd (nooit negatief)",
    ),
    field(
        "funded_exceeds_total",
        "bool",
        "true als de al bekostigde uren de totale inzet overschrijden",
    ),
    field("hourly_cost", "decimal", "kosten per uur"),
    field("weeks_per_year", "decimal", "weken per jaar"),
    field(
        "total_cost_per_year",
        "decimal",
        "kosten POH-S per jaar (euro)",
    ),
    field(
        "remaining_cost_per_year",
        "decimal",
        "kosten van de overige uren per jaar (euro)",
    ),
    field(
        "supplement_ratio",
        "decimal",
        "percentage aanvulling als ratio (0.15)",
    ),
    field(
        "supplement_per_year",
        "decimal",
        "aanvullende vergoeding POH-S per jaar (euro)",
    ),
    field(
        "tariff_per_patient_per_year",
        "decimal",
        "tarief per ingeschreven patiënt per jaar",
    ),
    field(
        "tariff_per_patient_per_quarter",
        "decimal",
        "tarief per ingeschreven patiënt per kwartaal",
    ),
];

const FGV_COUNTS: [Field; 2] = [
    field(
        "conform",
        "integer",
        "eerste voorschriften die aan de indicator voldoen",
    ),
    field(
        "total",
        "integer",
        "alle eerste voorschriften van de indicator",
    ),
];
const FGV_INPUTS: &[Field] = &[
    field(
        "conform_first_prescriptions",
        "integer",
        "aantal eerste voorschriften conform NHG, Health Base of combinatietoets",
    ),
    field(
        "total_first_prescriptions",
        "integer",
        "totaal aantal eerste voorschriften binnen de huisartsenpraktijk",
    ),
    field(
        "thresholds",
        "object",
        "optioneel: grenswaarden {x, y, z} in procenten zoals Zilveren Kruis ze na de meting bekendmaakt",
    )
    .with_items(&[
        field("x", "decimal", "grenswaarde x (%)"),
        field("y", "decimal", "grenswaarde y (%)"),
        field("z", "decimal", "grenswaarde z (%)"),
    ]),
    field(
        "group_results",
        "list",
        "optioneel: FGV1-uitkomsten (procenten) van de praktijken met hetzelfde formularium; hun kwartielen geven alleen een indicatie, geen score",
    )
    .with_items(&[field("", "decimal", "uitkomst (%) van een praktijk")]),
    field(
        "fgv2",
        "object",
        "optioneel, vanaf meetjaar 2021: FGV2-diagnose {conform, total}: eerste voorschriften die passen bij de diagnose, van het totaal",
    )
    .with_items(&FGV_COUNTS),
    field(
        "fgv3",
        "object",
        "optioneel, vanaf meetjaar 2021 en alleen met een longformularium: FGV3-long {conform, total}: eerste voorschriften van longmedicatie met een toedieningsvorm uit het formularium, van het totaal",
    )
    .with_items(&FGV_COUNTS),
    field(
        "measurement_year",
        "integer",
        "optioneel: meetjaar (standaard het jaar van de peildatum)",
    ),
];
const FGV_OUTPUTS: &[Field] = &[
    field(
        "fgv1_percentage",
        "decimal",
        "FGV1 in procenten (2 decimalen)",
    ),
    field(
        "fgv2_percentage",
        "decimal",
        "FGV2-diagnose in procenten (2 decimalen); null zonder fgv2",
    ),
    field(
        "fgv3_percentage",
        "decimal",
        "FGV3-long in procenten (2 decimalen); null zonder fgv3",
    ),
    field(
        "scored_percentage",
        "decimal",
        "het getal waarop de score wordt bepaald: het gemiddelde van de gemeten indicatoren (2 decimalen); alleen FGV1: gelijk aan FGV1",
    ),
    field(
        "score",
        "text",
        "A, B, C of D; null zolang Zilveren Kruis de grenswaarden niet heeft gepubliceerd",
    ),
    field(
        "thresholds",
        "object",
        "gepubliceerde grenswaarden {x, y, z} in procenten (null zonder publicatie)",
    ),
    field(
        "threshold_method",
        "text",
        "given | indication-group-quartiles | none",
    ),
    field(
        "indicative_score",
        "text",
        "INDICATIE, geen score: A-D volgens de kwartielen van de groep (alleen met group_results en zonder gepubliceerde grenswaarden)",
    ),
    field(
        "indicative_thresholds",
        "object",
        "INDICATIE: kwartielen {x, y, z} van de groep in procenten",
    ),
    field(
        "measurement_period",
        "object",
        "meetperiode {from, to, quarters}",
    ),
    field(
        "claim_period",
        "object",
        "declaratieperiode: tweede kwartaal van het jaar na het meetjaar {from, to}",
    ),
];

/// The calculators of this domain.
pub fn calculators() -> Vec<Calculator> {
    vec![
        Calculator {
            name: "poh-ggz-hours",
            title: "Uren POH-GGZ",
            summary: "POH-GGZ: uren per week voor een praktijkgrootte (12 uur per normpraktijk van 2.350 patiënten: 10 patiëntcontact, 1 externe consultatie, 1 eHealth); aanvragen boven de norm worden individueel beoordeeld",
            policy: "gp-2022-2023",
            inputs: POH_GGZ_INPUTS,
            outputs: POH_GGZ_OUTPUTS,
            run: |ctx, v| super::json(ctx, v, poh_ggz_hours),
        },
        Calculator {
            name: "oaw-hours",
            title: "OAW-spreekuren (Service en bereikbaarheid C)",
            summary: "Service en bereikbaarheid module C: minimum OAW-spreekuur per week (2 uur tot 2.400 patiënten, plus een half uur per 600 extra patiënten; minimaal 45 weken per jaar) en toets van een weekrooster aan de vensters ochtend 07-08, avond 17-22 (doordeweeks), weekend 09-16; een uur met 2 huisartsen telt als 2 uur",
            policy: "gp-2022-2023",
            inputs: OAW_INPUTS,
            outputs: OAW_OUTPUTS,
            run: |ctx, v| super::json(ctx, v, oaw_hours),
        },
        Calculator {
            name: "poh-s-supplement",
            title: "Aanvullende vergoeding POH-S",
            summary: "Rekentool aanvullende vergoeding POH-S: totale uren en kosten, al bekostigde uren (kwetsbare ouderen, toekomstbestendige huisartsenzorg, andere afspraken, ketenzorg), aanvulling = 15% van de kosten van de overige uren, en als tarief per ingeschreven patiënt",
            policy: "gp-2022-2023",
            inputs: POH_S_INPUTS,
            outputs: POH_S_OUTPUTS,
            run: |ctx, v| super::json(ctx, v, poh_s_supplement),
        },
        Calculator {
            name: "fgv-score",
            title: "Score formulariumgericht voorschrijven (FGV)",
            summary: "Formulariumgericht voorschrijven: FGV1 als percentage van de eerste voorschriften en de score A-D uit de grenswaarden die Zilveren Kruis na de meting publiceert (zonder publicatie geen score; de kwartielen van de groep geven alleen een indicatie); meetperiode en declaratieperiode per jaar",
            policy: "gp-2022-2023",
            inputs: FGV_INPUTS,
            outputs: FGV_OUTPUTS,
            run: |ctx, v| super::json(ctx, v, fgv_score),
        },
    ]
}

/// Rounds hours (or percentages) to two decimals, half away from zero.
fn two_dp(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

// ---------------------------------------------------------------------------------------------
// POH-GGZ
// ---------------------------------------------------------------------------------------------

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

/// "Wij kennen 12 uur POH-GGZ per week toe per praktijk van 2350 patiënten. Voor de inzet van
/// de uren gaan wij uit van 10 uur patiëntcontact, 1 uur externe consultatie en 1 uur voor
/// eHealth toepassingen." (001, POH-GGZ, 4. Hoe dient u uw aanvraag in?)
///
/// The hours are those the tariff per registered patient pays for: pro rata with the practice
/// size (a practice of 4,700 patients: 24 hours), each output rounded once to two decimals, half
/// away from zero, from the exact pro-rata figure. The review flag is the text's threshold as
/// written, not pro rata: "Aanvragen voor meer dan 12 uur POH-GGZ per week beoordelen wij
/// individueel" (a request above `poh-ggz.hours-per-norm-practice`, whatever the practice size).
pub fn poh_ggz_hours(ctx: &CalcContext, input: PohGgzInput) -> Result<PohGgzOutput, CalcError> {
    let norm_patients = ctx.param("norm-practice.patients")?;
    if norm_patients <= Decimal::ZERO {
        return Err(CalcError::Domain(
            "norm-practice.patients moet positief zijn".into(),
        ));
    }
    if input
        .requested_hours_per_week
        .is_some_and(|r| r < Decimal::ZERO)
    {
        return Err(CalcError::InvalidInput(
            "requested_hours_per_week mag niet negatief zijn".into(),
        ));
    }
    let share = Decimal::from(input.registered_patients) / norm_patients;
    let per = |id: &str| -> Result<Decimal, CalcError> { Ok(two_dp(ctx.param(id)? * share)) };
    let threshold = ctx.param("poh-ggz.hours-per-norm-practice")?;
    let max = per("poh-ggz.hours-per-norm-practice")?;
    Ok(PohGgzOutput {
        max_hours_per_week: max,
        patient_contact_hours: per("poh-ggz.patient-contact-hours")?,
        external_consultation_hours: per("poh-ggz.external-consultation-hours")?,
        ehealth_hours: per("poh-ggz.ehealth-hours")?,
        individual_review: input
            .requested_hours_per_week
            .is_some_and(|r| r > threshold),
    })
}

// ---------------------------------------------------------------------------------------------
// OAW (Service en bereikbaarheid module C)
// ---------------------------------------------------------------------------------------------

/// One OAW consulting session in the weekly schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OawSession {
    /// Day of the week: `monday`..`sunday` or `maandag`..`zondag` (case-insensitive).
    pub day: String,
    /// Start time, `HH:MM`.
    pub start: String,
    /// End time, `HH:MM` (after the start; a session does not cross midnight).
    pub end: String,
    /// Number of GPs holding the consulting hour at the same time (default 1).
    #[serde(default = "one")]
    pub gps: u32,
}

fn one() -> u32 {
    1
}

/// Input of [`oaw_hours`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OawInput {
    pub registered_patients: u32,
    #[serde(default)]
    pub sessions: Option<Vec<OawSession>>,
    #[serde(default)]
    pub weeks_per_year: Option<u32>,
}

/// A part of a session, e.g. the part outside the OAW windows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OawSegment {
    pub day: String,
    pub start: String,
    pub end: String,
    pub minutes: u32,
}

/// What one session contributes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OawSessionResult {
    pub day: String,
    pub start: String,
    pub end: String,
    pub gps: u32,
    /// Minutes inside the windows (before multiplying by the number of GPs).
    pub minutes_inside_windows: u32,
    /// Hours that count: minutes inside the windows × GPs / 60, two decimals.
    pub counted_hours: Decimal,
    pub outside_windows: Vec<OawSegment>,
}

/// Output of [`oaw_hours`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OawOutput {
    pub min_hours_per_week: Decimal,
    pub extra_blocks: u32,
    pub min_weeks_per_year: u32,
    pub counted_hours_per_week: Option<Decimal>,
    pub sessions: Vec<OawSessionResult>,
    pub outside_windows: Vec<OawSegment>,
    pub meets_minimum_hours: Option<bool>,
    pub meets_minimum_weeks: Option<bool>,
}

/// The weekly minimum of extra consulting hours for a practice size, with the number of
/// 600-patient blocks above 2,400 that count.
fn oaw_minimum(ctx: &CalcContext, patients: u32) -> Result<(Decimal, u32), CalcError> {
    let base_hours = ctx.param("oaw.base-hours")?;
    let base_patients = ctx.param("oaw.base-max-patients")?;
    let block_patients = ctx.param("oaw.extra-block-patients")?;
    let block_hours = ctx.param("oaw.extra-block-hours")?;
    let count_started = ctx.param("oaw.count-started-block")? != Decimal::ZERO;
    if block_patients <= Decimal::ZERO {
        return Err(CalcError::Domain(
            "oaw.extra-block-patients moet positief zijn".into(),
        ));
    }
    let extra = (Decimal::from(patients) - base_patients).max(Decimal::ZERO);
    let blocks = extra / block_patients;
    let blocks = if count_started {
        blocks.ceil()
    } else {
        blocks.floor()
    };
    let blocks = blocks
        .to_u32()
        .ok_or_else(|| CalcError::Domain("te veel patiënten".into()))?;
    Ok((base_hours + Decimal::from(blocks) * block_hours, blocks))
}

/// Parses `HH:MM` into minutes after midnight (00:00 to 24:00).
fn parse_time(s: &str) -> Result<u32, CalcError> {
    let bad =
        || CalcError::InvalidInput(format!("tijd `{s}` is geen UU:MM (00:00 tot en met 24:00)"));
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn format_time(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses a day name; returns (canonical English name, is weekend).
fn parse_day(s: &str) -> Result<(&'static str, bool), CalcError> {
    let day = match s.trim().to_lowercase().as_str() {
        "monday" | "maandag" => "monday",
        "tuesday" | "dinsdag" => "tuesday",
        "wednesday" | "woensdag" => "wednesday",
        "thursday" | "donderdag" => "thursday",
        "friday" | "vrijdag" => "friday",
        "saturday" | "zaterdag" => "saturday",
        "sunday" | "zondag" => "sunday",
        _ => {
            return Err(CalcError::InvalidInput(format!(
                "dag `{s}` is geen dag van de week (maandag..zondag of monday..sunday)"
            )));
        }
    };
    Ok((day, matches!(day, "saturday" | "sunday")))
}

/// A window bound given in hours (e.g. 7, 17.5) as minutes after midnight.
fn window_minutes(ctx: &CalcContext, id: &str) -> Result<u32, CalcError> {
    let h = ctx.param(id)?;
    let m = (h * Decimal::from(60)).round();
    if m < Decimal::ZERO || m > Decimal::from(24 * 60) {
        return Err(CalcError::Domain(format!("{id} is geen tijdstip in uren")));
    }
    Ok(m.to_u32().expect("between 0 and 1440"))
}

/// "Als uw praktijk kleiner is dan 2.400 ingeschreven patiënten, dan organiseert u minimaal één
/// keer per week 2 uren OAW-spreekuur. De extra spreekuren levert u minimaal 45 weken per jaar" /
/// "Als uw praktijk groter is dan 2.400 ingeschreven patiënten, dan organiseert u bovenop de
/// hierboven genoemde 2 uren minimaal een half uur extra OAW-spreekuur per 600 extra
/// ingeschreven patiënten" / "Een OAW-spreekuur van één uur aaneengesloten waarbij u met 2
/// huisartsen spreekuur houdt, geldt als 2 uur OAW-spreekuur" / "Ochtendspreekuren biedt u
/// doordeweeks aan tussen 07.00 en 08.00 uur" / "Avondspreekuren biedt u doordeweeks aan tussen
/// 17.00 en 22.00 uur" / "Weekendspreekuren biedt u aan tussen 09.00 en 16.00 uur"
/// (001, Prestatie Service en bereikbaarheid, Module C).
///
/// Choices (parameters in the policy file):
/// * A practice of exactly 2,400 patients is neither "kleiner" nor "groter": it needs 2 hours.
/// * Only completed blocks of 600 extra patients count (`oaw.count-started-block` = 0): 2,999
///   patients need 2 hours, 3,000 need 2.5. Set the parameter to 1 to count a started block.
/// * Only the minutes of a session inside a window count; each counts once per GP holding the
///   consulting hour (one hour with 2 GPs is 2 hours, and pro rata for other durations and
///   numbers of GPs).
/// * Counted hours are summed in whole minutes and rounded once to two decimals (half away from
///   zero); the minimum is compared with the exact minutes.
pub fn oaw_hours(ctx: &CalcContext, input: OawInput) -> Result<OawOutput, CalcError> {
    let (min_hours, extra_blocks) = oaw_minimum(ctx, input.registered_patients)?;
    let min_weeks_dec = ctx.param("oaw.min-weeks-per-year")?;
    let min_weeks = min_weeks_dec
        .ceil()
        .to_u32()
        .ok_or_else(|| CalcError::Domain("oaw.min-weeks-per-year is geen aantal weken".into()))?;
    let weekday_windows = [
        (
            window_minutes(ctx, "oaw.weekday-morning-from")?,
            window_minutes(ctx, "oaw.weekday-morning-until")?,
        ),
        (
            window_minutes(ctx, "oaw.weekday-evening-from")?,
            window_minutes(ctx, "oaw.weekday-evening-until")?,
        ),
    ];
    let weekend_windows = [(
        window_minutes(ctx, "oaw.weekend-from")?,
        window_minutes(ctx, "oaw.weekend-until")?,
    )];

    let mut results = Vec::new();
    let mut outside_all = Vec::new();
    let mut counted_minutes: u64 = 0;
    if let Some(sessions) = &input.sessions {
        for s in sessions {
            let (day, weekend) = parse_day(&s.day)?;
            let start = parse_time(&s.start)?;
            let end = parse_time(&s.end)?;
            if end <= start {
                return Err(CalcError::InvalidInput(format!(
                    "spreekuur op {} van {} tot {}: het einde moet na het begin liggen (een spreekuur gaat niet over middernacht)",
                    s.day, s.start, s.end
                )));
            }
            if s.gps == 0 {
                return Err(CalcError::InvalidInput(format!(
                    "spreekuur op {} van {} tot {}: gps moet minstens 1 zijn",
                    s.day, s.start, s.end
                )));
            }
            let windows: &[(u32, u32)] = if weekend {
                &weekend_windows
            } else {
                &weekday_windows
            };
            // Inside: the overlap with each window (windows do not overlap each other).
            let mut inside = 0;
            let mut covered: Vec<(u32, u32)> = Vec::new();
            for &(wf, wu) in windows {
                let (a, b) = (start.max(wf), end.min(wu));
                if a < b {
                    inside += b - a;
                    covered.push((a, b));
                }
            }
            covered.sort_unstable();
            // Outside: the session minus the covered parts.
            let mut outside = Vec::new();
            let mut cursor = start;
            for (a, b) in covered.into_iter().chain(std::iter::once((end, end))) {
                if a > cursor {
                    outside.push(OawSegment {
                        day: day.to_string(),
                        start: format_time(cursor),
                        end: format_time(a),
                        minutes: a - cursor,
                    });
                }
                cursor = cursor.max(b);
            }
            let minutes = u64::from(inside) * u64::from(s.gps);
            counted_minutes += minutes;
            outside_all.extend(outside.iter().cloned());
            results.push(OawSessionResult {
                day: day.to_string(),
                start: format_time(start),
                end: format_time(end),
                gps: s.gps,
                minutes_inside_windows: inside,
                counted_hours: two_dp(Decimal::from(minutes) / Decimal::from(60)),
                outside_windows: outside,
            });
        }
    }
    let counted = input
        .sessions
        .as_ref()
        .map(|_| two_dp(Decimal::from(counted_minutes) / Decimal::from(60)));
    let meets_hours = input
        .sessions
        .as_ref()
        .map(|_| Decimal::from(counted_minutes) >= min_hours * Decimal::from(60));
    Ok(OawOutput {
        min_hours_per_week: min_hours.normalize(),
        extra_blocks,
        min_weeks_per_year: min_weeks,
        counted_hours_per_week: counted,
        sessions: results,
        outside_windows: outside_all,
        meets_minimum_hours: meets_hours,
        meets_minimum_weeks: input.weeks_per_year.map(|w| w >= min_weeks),
    })
}

// ---------------------------------------------------------------------------------------------
// POH-S supplement (rekentool)
// ---------------------------------------------------------------------------------------------

/// Input of [`poh_s_supplement`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PohSInput {
    pub registered_patients: u32,
    pub total_hours_per_week: Decimal,
    #[serde(default)]
    pub hourly_cost: Option<Decimal>,
    #[serde(default)]
    pub frail_elderly_hours: Decimal,
    #[serde(default)]
    pub future_proof_hours: Decimal,
    #[serde(default)]
    pub other_arrangement_hours: Decimal,
    #[serde(default)]
    pub care_chain_hours: Decimal,
}

/// Output of [`poh_s_supplement`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PohSOutput {
    pub total_hours_per_week: Decimal,
    pub funded_hours_per_week: Decimal,
    pub remaining_hours_per_week: Decimal,
    pub funded_exceeds_total: bool,
    pub hourly_cost: Decimal,
    pub weeks_per_year: Decimal,
    pub total_cost_per_year: Decimal,
    pub remaining_cost_per_year: Decimal,
    pub supplement_ratio: Decimal,
    pub supplement_per_year: Decimal,
    pub tariff_per_patient_per_year: Decimal,
    pub tariff_per_patient_per_quarter: Decimal,
}

/// "Eerst kijken we naar de vergoeding die u mogelijk al ontvangt voor uw POH-S. Daarbij gaat
/// het om de module ‘Samenwerking rondom kwetsbare ouderen’, de module ‘Toekomstbestendige
/// huisartsenzorg’ en eventuele andere afspraken. Daarna wordt gecorrigeerd voor de vergoeding
/// die u ontvangt vanuit de ketenzorg." ... "Vervolgens blijft de overige tijd van de totale
/// POH-S formatie over, die nog niet wordt bekostigd." ... "De tariefstelling van deze aanvulling
/// is gebaseerd op 15% van de kosten voor uw POH-S" (001, Vergoeding POH-S, 3. Hoe bepalen wij
/// onze tarieven?).
///
/// Choices: the cost of an hour POH-S is an input, defaulting to the example parameter
/// `poh-s.hourly-cost` (the document leaves the figures to its rekentool); a year has
/// `poh-s.weeks-per-year` weeks of cost; the remaining hours are never negative (funded hours
/// above the total are flagged). The tariff per patient divides the yearly supplement by the
/// registered patients (per year, and per quarter as GP registration tariffs are claimed per
/// quarter). Every euro output is computed exactly and rounded once to cents (half away from
/// zero), so four quarterly tariffs may differ by a cent from the yearly one.
pub fn poh_s_supplement(ctx: &CalcContext, input: PohSInput) -> Result<PohSOutput, CalcError> {
    let hours = [
        ("total_hours_per_week", input.total_hours_per_week),
        ("frail_elderly_hours", input.frail_elderly_hours),
        ("future_proof_hours", input.future_proof_hours),
        ("other_arrangement_hours", input.other_arrangement_hours),
        ("care_chain_hours", input.care_chain_hours),
    ];
    for (name, h) in hours {
        if h < Decimal::ZERO {
            return Err(CalcError::InvalidInput(format!(
                "{name} mag niet negatief zijn"
            )));
        }
    }
    if input.registered_patients == 0 {
        return Err(CalcError::InvalidInput(
            "registered_patients moet minstens 1 zijn".into(),
        ));
    }
    let hourly_cost = match input.hourly_cost {
        Some(c) if c < Decimal::ZERO => {
            return Err(CalcError::InvalidInput(
                "hourly_cost mag niet negatief zijn".into(),
            ));
        }
        Some(c) => c,
        None => ctx.param("poh-s.hourly-cost")?,
    };
    let weeks = ctx.param("poh-s.weeks-per-year")?;
    let ratio = ctx.param("poh-s.supplement-ratio")?;
    let funded = input
        .frail_elderly_hours
        .add_or(input.future_proof_hours, "future_proof_hours")?
        .add_or(input.other_arrangement_hours, "other_arrangement_hours")?
        .add_or(input.care_chain_hours, "care_chain_hours")?;
    // both are not negative, so the difference cannot overflow
    let remaining = (input.total_hours_per_week - funded).max(Decimal::ZERO);
    let cost_input = if input.hourly_cost.is_some() {
        "hourly_cost"
    } else {
        "total_hours_per_week"
    };
    let total_cost = input
        .total_hours_per_week
        .mul_or(hourly_cost, cost_input)?
        .mul_or(weeks, "total_hours_per_week")?;
    let remaining_cost = remaining
        .mul_or(hourly_cost, cost_input)?
        .mul_or(weeks, "total_hours_per_week")?;
    let supplement = remaining_cost.mul_or(ratio, "total_hours_per_week")?;
    let patients = Decimal::from(input.registered_patients);
    Ok(PohSOutput {
        total_hours_per_week: input.total_hours_per_week,
        funded_hours_per_week: funded,
        remaining_hours_per_week: remaining,
        funded_exceeds_total: funded > input.total_hours_per_week,
        hourly_cost,
        weeks_per_year: weeks,
        total_cost_per_year: round_cents(total_cost),
        remaining_cost_per_year: round_cents(remaining_cost),
        supplement_ratio: ratio,
        supplement_per_year: round_cents(supplement),
        tariff_per_patient_per_year: round_cents(supplement / patients),
        tariff_per_patient_per_quarter: round_cents(supplement / patients / Decimal::from(4)),
    })
}

// ---------------------------------------------------------------------------------------------
// FGV
// ---------------------------------------------------------------------------------------------

/// The FGV threshold values X, Y and Z, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FgvThresholds {
    pub x: Decimal,
    pub y: Decimal,
    pub z: Decimal,
}

/// Input of [`fgv_score`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FgvInput {
    pub conform_first_prescriptions: u64,
    pub total_first_prescriptions: u64,
    #[serde(default)]
    pub thresholds: Option<FgvThresholds>,
    #[serde(default)]
    pub group_results: Option<Vec<Decimal>>,
    #[serde(default)]
    pub measurement_year: Option<i32>,
    /// FGV2-diagnose (from measurement year 2021).
    #[serde(default)]
    pub fgv2: Option<FgvCounts>,
    /// FGV3-long (from 2021, only with a lung formulary).
    #[serde(default)]
    pub fgv3: Option<FgvCounts>,
}

/// The first prescriptions of an indicator: those that meet it, of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FgvCounts {
    pub conform: u64,
    pub total: u64,
}

/// A period of days (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The measurement period of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasurementPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub quarters: u32,
}

/// Output of [`fgv_score`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FgvOutput {
    pub fgv1_percentage: Decimal,
    pub fgv2_percentage: Option<Decimal>,
    pub fgv3_percentage: Option<Decimal>,
    /// What is scored: the mean of the indicators measured (FGV1 alone: FGV1).
    pub scored_percentage: Decimal,
    /// The score A-D; only with thresholds the insurer has published.
    pub score: Option<String>,
    /// The published thresholds the score was read from.
    pub thresholds: Option<FgvThresholds>,
    pub threshold_method: String,
    /// An indication only (never a score): the band by the group's quartiles, when group
    /// results are given and no thresholds are published.
    pub indicative_score: Option<String>,
    /// The group's quartiles behind `indicative_score`.
    pub indicative_thresholds: Option<FgvThresholds>,
    pub measurement_period: MeasurementPeriod,
    pub claim_period: Period,
}

/// Smallest group for which quartiles are taken as thresholds (one practice per score).
pub const FGV_MIN_GROUP: usize = 4;

/// The quantile `p` (0..1) of sorted values, linear interpolation between closest ranks
/// (`(n - 1)·p`, as Excel's QUARTILE.INC), exact in decimals.
fn quantile(sorted: &[Decimal], p: Decimal) -> Decimal {
    let h = Decimal::from(sorted.len() - 1) * p;
    let lo = h.floor();
    let i = lo.to_usize().expect("index fits");
    if i + 1 >= sorted.len() {
        return sorted[sorted.len() - 1];
    }
    sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i])
}

/// The score for a percentage: "0 t/m X% A", "> X t/m Y% B", "> Y t/m Z% C", "> Z t/m 100% D".
pub fn fgv_band(percentage: Decimal, t: &FgvThresholds) -> &'static str {
    if percentage <= t.x {
        "A"
    } else if percentage <= t.y {
        "B"
    } else if percentage <= t.z {
        "C"
    } else {
        "D"
    }
}

/// "𝐹𝐺𝑉1 = Aantal eerste voorschriften conform NHG, Health Base of combinatietoets / Totaal
/// aantal eerste voorschriften binnen de huisartsenpraktijk ∗ 100%" and the method
/// "0 t/m X% A; \> X t/m Y% B; \> Y t/m Z% C; \> Z t/m 100% D" where "Huisartsen worden altijd vergeleken met
/// huisartsen die hetzelfde formularium gebruiken. Om die reden bepalen we de grenswaarden pas
/// nadat de meetresultaten zijn aangeleverd." "De indicator wordt voor 2020 gemeten over de eerste
/// 3 kwartalen (1 januari 2020 t/m 30 september 2020). Voor 2021 hanteren we 4 kwartalen"
/// (001, Prestatie Formulariumgericht voorschrijven, 3. Hoe bepalen wij onze tarieven?).
///
/// Choices: FGV1 is computed per practice (AGB) and rounded once to two decimals (half away
/// from zero); the score is read from the rounded percentage, so the practice sees the figure
/// that was scored. The score exists only with the X, Y, Z the insurer publishes after the
/// measurement ("bepalen we de grenswaarden pas nadat de meetresultaten zijn aangeleverd"):
/// without them there is no score. When the FGV1 results of the practices using the same
/// formulary are given, their quartiles (Q1 = X, median = Y, Q3 = Z, QUARTILE.INC, two
/// decimals, at least [`FGV_MIN_GROUP`] practices) give an explicitly labelled indication
/// (`indicative_score`), never the score.
/// The measurement period is the first `fgv.measurement-quarters` quarters of the year (2022
/// and 2023 follow the 2021 rule of four quarters); claims are made in the second quarter of the
/// following year ("In het tweede kwartaal van het jaar na het jaar waarover wordt gemeten, kunt
/// u declareren").
///
/// FGV2 and FGV3: "Vanaf 2021 meten we ook op FGV2 en FGV3." "FGV2-diagnose toetst of een
/// eerste voorschrift past bij de diagnose. FGV3-long wordt alleen getoetst als de huisarts
/// gebruik maakt van een specifiek longformularium ..." Each is a share of first prescriptions
/// like FGV1 (rounded once to two decimals). How the three make one score the text says only
/// as "Wij berekenen uw gemiddelde en daaruit volgt uw score": our reading, the score is read
/// from the mean of the indicators measured (FGV1, FGV2 when given, FGV3 when given: the
/// practice has a lung formulary), of the rounded percentages, rounded to two decimals. Given
/// for a measurement year before 2021 they are refused.
pub fn fgv_score(ctx: &CalcContext, input: FgvInput) -> Result<FgvOutput, CalcError> {
    if input.total_first_prescriptions == 0 {
        return Err(CalcError::InvalidInput(
            "total_first_prescriptions moet minstens 1 zijn".into(),
        ));
    }
    if input.conform_first_prescriptions > input.total_first_prescriptions {
        return Err(CalcError::InvalidInput(
            "conform_first_prescriptions kan niet groter zijn dan total_first_prescriptions".into(),
        ));
    }
    let year = input.measurement_year.unwrap_or(ctx.date.year());
    // a civil year with a following year (the claim period), so no date arithmetic fails
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)
        .filter(|_| (1900..=9998).contains(&year))
        .ok_or_else(|| {
            CalcError::InvalidInput(format!(
                "measurement_year {year} valt buiten het bereik (1900 tot en met 9998)"
            ))
        })?;
    let year_ctx = CalcContext { date: jan1, ..*ctx };
    let q = year_ctx.param("fgv.measurement-quarters")?;
    let quarters = match q.to_u32() {
        Some(n @ 1..=4) if q.fract().is_zero() => n,
        _ => {
            return Err(CalcError::Domain(format!(
                "fgv.measurement-quarters is {q}; verwacht 1 tot en met 4"
            )));
        }
    };
    let last_day = |y: i32, month_after: u32| -> NaiveDate {
        let first_next = if month_after > 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, month_after, 1)
        }
        .expect("valid date");
        first_next.pred_opt().expect("valid date")
    };
    let measurement_period = MeasurementPeriod {
        from: jan1,
        to: last_day(year, quarters * 3 + 1),
        quarters,
    };
    let claim_period = Period {
        from: NaiveDate::from_ymd_opt(year + 1, 4, 1).expect("valid date"),
        to: NaiveDate::from_ymd_opt(year + 1, 6, 30).expect("valid date"),
    };

    let pct = two_dp(
        Decimal::from(input.conform_first_prescriptions) * Decimal::from(100)
            / Decimal::from(input.total_first_prescriptions),
    );
    let indicator = |name: &str, c: Option<FgvCounts>| -> Result<Option<Decimal>, CalcError> {
        let Some(c) = c else { return Ok(None) };
        if year < 2021 {
            return Err(CalcError::InvalidInput(format!(
                "{name} wordt pas vanaf meetjaar 2021 gemeten, niet over {year}"
            )));
        }
        if c.total == 0 || c.conform > c.total {
            return Err(CalcError::InvalidInput(format!(
                "{name}: total moet minstens 1 zijn en conform niet groter dan total"
            )));
        }
        Ok(Some(two_dp(
            Decimal::from(c.conform) * Decimal::from(100) / Decimal::from(c.total),
        )))
    };
    let fgv2 = indicator("fgv2", input.fgv2)?;
    let fgv3 = indicator("fgv3", input.fgv3)?;
    let measured: Vec<Decimal> = [Some(pct), fgv2, fgv3].into_iter().flatten().collect();
    let scored =
        two_dp(measured.iter().copied().sum::<Decimal>() / Decimal::from(measured.len() as u64));
    let (thresholds, method, indicative) = match (&input.thresholds, &input.group_results) {
        (Some(t), _) => {
            let hundred = Decimal::from(100);
            if !(Decimal::ZERO <= t.x && t.x <= t.y && t.y <= t.z && t.z <= hundred) {
                return Err(CalcError::InvalidInput(
                    "de drempels moeten voldoen aan 0 <= x <= y <= z <= 100".into(),
                ));
            }
            (Some(*t), "given", None)
        }
        (None, Some(group)) => {
            if group.len() < FGV_MIN_GROUP {
                return Err(CalcError::InvalidInput(format!(
                    "group_results heeft minstens {FGV_MIN_GROUP} praktijken nodig om kwartielen te bepalen"
                )));
            }
            if group
                .iter()
                .any(|v| *v < Decimal::ZERO || *v > Decimal::from(100))
            {
                return Err(CalcError::InvalidInput(
                    "group_results zijn percentages tussen 0 en 100".into(),
                ));
            }
            let mut sorted = group.clone();
            sorted.sort();
            let quarter = Decimal::new(25, 2);
            let t = FgvThresholds {
                x: two_dp(quantile(&sorted, quarter)).normalize(),
                y: two_dp(quantile(&sorted, quarter * Decimal::from(2))).normalize(),
                z: two_dp(quantile(&sorted, quarter * Decimal::from(3))).normalize(),
            };
            (None, "indication-group-quartiles", Some(t))
        }
        (None, None) => (None, "none", None),
    };
    Ok(FgvOutput {
        fgv1_percentage: pct,
        fgv2_percentage: fgv2,
        fgv3_percentage: fgv3,
        scored_percentage: scored,
        score: thresholds.as_ref().map(|t| fgv_band(scored, t).to_string()),
        thresholds,
        threshold_method: method.to_string(),
        indicative_score: indicative.as_ref().map(|t| fgv_band(scored, t).to_string()),
        indicative_thresholds: indicative,
        measurement_period,
        claim_period,
    })
}

#[cfg(test)]
mod tests {
    //! Expected numbers are worked out by hand from the text of document 001, not recomputed
    //! like the code.
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use zorginkoop_policy::Policy;

    fn policy() -> Policy {
        crate::calc::shipped_policy("gp-2022-2023")
    }

    fn ctx(p: &Policy) -> CalcContext<'_> {
        CalcContext::new(p, NaiveDate::from_ymd_opt(2022, 1, 1).unwrap())
    }

    fn session(day: &str, start: &str, end: &str, gps: u32) -> OawSession {
        OawSession {
            day: day.into(),
            start: start.into(),
            end: end.into(),
            gps,
        }
    }

    // --- POH-GGZ: "Wij kennen 12 uur POH-GGZ per week toe per praktijk van 2350 patiënten."

    #[test]
    fn normpraktijk_gets_12_hours_10_contact_1_consultation_1_ehealth() {
        let p = policy();
        let out = poh_ggz_hours(
            &ctx(&p),
            PohGgzInput {
                registered_patients: 2350,
                requested_hours_per_week: Some(dec!(12)),
            },
        )
        .unwrap();
        assert_eq!(out.max_hours_per_week, dec!(12));
        assert_eq!(out.patient_contact_hours, dec!(10));
        assert_eq!(out.external_consultation_hours, dec!(1));
        assert_eq!(out.ehealth_hours, dec!(1));
        assert!(!out.individual_review);
    }

    #[test]
    fn double_normpraktijk_asking_30_hours_is_reviewed_individually() {
        // 4,700 = 2 × 2,350 → paid for 24 hours; 30 > 12: "beoordelen wij individueel".
        let p = policy();
        let out = poh_ggz_hours(
            &ctx(&p),
            PohGgzInput {
                registered_patients: 4700,
                requested_hours_per_week: Some(dec!(30)),
            },
        )
        .unwrap();
        assert_eq!(out.max_hours_per_week, dec!(24));
        assert_eq!(out.patient_contact_hours, dec!(20));
        assert!(out.individual_review);
    }

    #[test]
    fn a_request_for_more_than_12_hours_is_reviewed_whatever_the_practice_size() {
        // "Aanvragen voor meer dan 12 uur POH-GGZ per week beoordelen wij individueel": 4,700
        // patients are paid for 24 hours, yet 12 hours is the threshold; 12 is not "meer dan 12".
        let p = policy();
        let review = |patients: u32, hours: Decimal| {
            poh_ggz_hours(
                &ctx(&p),
                PohGgzInput {
                    registered_patients: patients,
                    requested_hours_per_week: Some(hours),
                },
            )
            .unwrap()
            .individual_review
        };
        assert!(!review(4700, dec!(12)));
        assert!(review(4700, dec!(12.01)));
        assert!(review(4700, dec!(24)));
        // a half normpraktijk is paid for 6 hours, but 12 is still not more than 12
        assert!(!review(1175, dec!(12)));
        assert!(review(1175, dec!(12.01)));
    }

    #[test]
    fn small_practice_gets_pro_rata_hours() {
        // 1,000 / 2,350 × 12 = 5.106... → 5.11; × 10 = 4.255... → 4.26; × 1 = 0.4255... → 0.43
        let p = policy();
        let out = poh_ggz_hours(
            &ctx(&p),
            PohGgzInput {
                registered_patients: 1000,
                requested_hours_per_week: None,
            },
        )
        .unwrap();
        assert_eq!(out.max_hours_per_week, dec!(5.11));
        assert_eq!(out.patient_contact_hours, dec!(4.26));
        assert_eq!(out.external_consultation_hours, dec!(0.43));
        assert_eq!(out.ehealth_hours, dec!(0.43));
    }

    // --- OAW: "minimaal één keer per week 2 uren OAW-spreekuur", "een half uur extra
    //     OAW-spreekuur per 600 extra ingeschreven patiënten"

    fn oaw_min(patients: u32) -> (Decimal, u32) {
        let p = policy();
        let out = oaw_hours(
            &ctx(&p),
            OawInput {
                registered_patients: patients,
                sessions: None,
                weeks_per_year: None,
            },
        )
        .unwrap();
        (out.min_hours_per_week, out.extra_blocks)
    }

    #[test]
    fn oaw_minimum_is_two_hours_up_to_2400_patients() {
        assert_eq!(oaw_min(1200), (dec!(2), 0));
        assert_eq!(oaw_min(2350), (dec!(2), 0));
        assert_eq!(oaw_min(2400), (dec!(2), 0));
    }

    #[test]
    fn oaw_minimum_adds_half_an_hour_per_completed_600_patients() {
        // 2,401-2,999: no completed block of 600 → 2 hours
        assert_eq!(oaw_min(2401), (dec!(2), 0));
        assert_eq!(oaw_min(2999), (dec!(2), 0));
        // 3,000 = 2,400 + 600 → 2.5 hours
        assert_eq!(oaw_min(3000), (dec!(2.5), 1));
        // 4,800 = 2,400 + 4 × 600 → 2 + 2 = 4 hours
        assert_eq!(oaw_min(4800), (dec!(4), 4));
        // 5,999 = 2,400 + 3,599 → 5 completed blocks → 4.5 hours
        assert_eq!(oaw_min(5999), (dec!(4.5), 5));
    }

    #[test]
    fn oaw_schedule_counts_windows_and_two_gps_double() {
        // Practice of 3,000 patients: minimum 2.5 hours.
        // Tuesday 07:00-08:00 with 2 GPs = 2 hours; Thursday 17:30-18:00 with 1 GP = 0.5 hour.
        let p = policy();
        let out = oaw_hours(
            &ctx(&p),
            OawInput {
                registered_patients: 3000,
                sessions: Some(vec![
                    session("tuesday", "07:00", "08:00", 2),
                    session("donderdag", "17:30", "18:00", 1),
                ]),
                weeks_per_year: Some(45),
            },
        )
        .unwrap();
        assert_eq!(out.counted_hours_per_week, Some(dec!(2.5)));
        assert_eq!(out.meets_minimum_hours, Some(true));
        assert_eq!(out.meets_minimum_weeks, Some(true));
        assert!(out.outside_windows.is_empty());
    }

    #[test]
    fn oaw_schedule_reports_the_parts_outside_the_windows() {
        // Monday 16:00-18:00: 16:00-17:00 is regular opening time (outside), 17:00-18:00 counts.
        // Saturday 08:00-10:00: 08:00-09:00 is outside, 09:00-10:00 counts.
        // Wednesday 06:30-08:30: 06:30-07:00 and 08:00-08:30 outside, 07:00-08:00 counts.
        // Counted: 1 + 1 + 1 = 3 hours; minimum for 2,350 patients is 2 → met.
        let p = policy();
        let out = oaw_hours(
            &ctx(&p),
            OawInput {
                registered_patients: 2350,
                sessions: Some(vec![
                    session("Monday", "16:00", "18:00", 1),
                    session("zaterdag", "08:00", "10:00", 1),
                    session("wednesday", "06:30", "08:30", 1),
                ]),
                weeks_per_year: Some(44),
            },
        )
        .unwrap();
        assert_eq!(out.counted_hours_per_week, Some(dec!(3)));
        assert_eq!(out.meets_minimum_hours, Some(true));
        assert_eq!(out.meets_minimum_weeks, Some(false), "44 < 45 weeks");
        let outside: Vec<(&str, &str, &str)> = out
            .outside_windows
            .iter()
            .map(|s| (s.day.as_str(), s.start.as_str(), s.end.as_str()))
            .collect();
        assert_eq!(
            outside,
            vec![
                ("monday", "16:00", "17:00"),
                ("saturday", "08:00", "09:00"),
                ("wednesday", "06:30", "07:00"),
                ("wednesday", "08:00", "08:30"),
            ]
        );
    }

    #[test]
    fn oaw_weekday_daytime_session_does_not_count() {
        // Friday 10:00-12:00 is during regular opening hours: 0 hours, minimum 2 not met.
        let p = policy();
        let out = oaw_hours(
            &ctx(&p),
            OawInput {
                registered_patients: 2000,
                sessions: Some(vec![session("friday", "10:00", "12:00", 3)]),
                weeks_per_year: None,
            },
        )
        .unwrap();
        assert_eq!(out.counted_hours_per_week, Some(dec!(0)));
        assert_eq!(out.meets_minimum_hours, Some(false));
        assert_eq!(out.meets_minimum_weeks, None);
        assert_eq!(out.outside_windows.len(), 1);
        assert_eq!(out.outside_windows[0].minutes, 120);
    }

    #[test]
    fn oaw_rejects_sessions_crossing_midnight_and_bad_times() {
        let p = policy();
        for s in [
            session("monday", "21:00", "01:00", 1),
            session("monday", "7:0", "8:00", 1),
            session("funday", "07:00", "08:00", 1),
            session("monday", "07:00", "08:00", 0),
        ] {
            let r = oaw_hours(
                &ctx(&p),
                OawInput {
                    registered_patients: 2000,
                    sessions: Some(vec![s]),
                    weeks_per_year: None,
                },
            );
            assert!(matches!(r, Err(CalcError::InvalidInput(_))), "{r:?}");
        }
    }

    // --- POH-S: "De tariefstelling van deze aanvulling is gebaseerd op 15% van de kosten voor
    //     uw POH-S"

    fn pohs_input(total: Decimal, cost: Option<Decimal>, funded: Decimal) -> PohSInput {
        PohSInput {
            registered_patients: 2350,
            total_hours_per_week: total,
            hourly_cost: cost,
            frail_elderly_hours: funded,
            future_proof_hours: funded,
            other_arrangement_hours: Decimal::ZERO,
            care_chain_hours: Decimal::ZERO,
        }
    }

    #[test]
    fn poh_s_with_enormous_inputs_is_an_error_naming_the_input_not_a_panic() {
        let p = policy();
        let overflow = |input: &str| {
            Err::<PohSOutput, _>(CalcError::Overflow {
                input: input.to_string(),
            })
        };
        // hours × €60 × 52 weeks does not fit
        let r = poh_s_supplement(&ctx(&p), pohs_input(Decimal::MAX, None, dec!(0)));
        assert_eq!(r, overflow("total_hours_per_week"));
        // 10 hours at an enormous hourly cost
        let r = poh_s_supplement(&ctx(&p), pohs_input(dec!(10), Some(Decimal::MAX), dec!(0)));
        assert_eq!(r, overflow("hourly_cost"));
        // funded hours that add up beyond the largest decimal
        let r = poh_s_supplement(&ctx(&p), pohs_input(dec!(10), None, Decimal::MAX));
        assert_eq!(r, overflow("future_proof_hours"));
    }

    #[test]
    fn fgv_measurement_year_outside_the_calendar_is_refused_not_a_panic() {
        let p = policy();
        let r = fgv_score(
            &ctx(&p),
            FgvInput {
                conform_first_prescriptions: 1,
                total_first_prescriptions: 2,
                thresholds: None,
                group_results: None,
                measurement_year: Some(262_143),
                fgv2: None,
                fgv3: None,
            },
        );
        assert!(
            matches!(&r, Err(CalcError::InvalidInput(m)) if m.contains("measurement_year 262143")),
            "{r:?}"
        );
    }

    /// The POH-S rekentool for a practice; `funded` = [kwetsbare ouderen, toekomstbestendig,
    /// other arrangements, ketenzorg] hours a week.
    fn pohs(patients: u32, total: Decimal, cost: Decimal, funded: [Decimal; 4]) -> PohSOutput {
        let p = policy();
        poh_s_supplement(
            &ctx(&p),
            PohSInput {
                registered_patients: patients,
                total_hours_per_week: total,
                hourly_cost: Some(cost),
                frail_elderly_hours: funded[0],
                future_proof_hours: funded[1],
                other_arrangement_hours: funded[2],
                care_chain_hours: funded[3],
            },
        )
        .unwrap()
    }

    #[test]
    fn poh_s_supplement_is_15_percent_of_the_cost_of_the_remaining_hours() {
        // 10 hours a week; already funded 1 (kwetsbare ouderen) + 2 (toekomstbestendig)
        // + 0 (other) + 3 (ketenzorg) = 6 → 4 hours remain.
        // Cost €50/hour, 52 weeks: total 10 × 50 × 52 = 26,000; remaining 4 × 50 × 52 = 10,400.
        // Supplement 15 % × 10,400 = 1,560.00.
        // Per patient (2,350): 1,560 / 2,350 = 0.66382... → 0.66 a year;
        // 0.66382... / 4 = 0.16595... → 0.17 a quarter.
        let out = pohs(
            2350,
            dec!(10),
            dec!(50),
            [dec!(1), dec!(2), dec!(0), dec!(3)],
        );
        assert_eq!(out.funded_hours_per_week, dec!(6));
        assert_eq!(out.remaining_hours_per_week, dec!(4));
        assert_eq!(out.total_cost_per_year, dec!(26000.00));
        assert_eq!(out.remaining_cost_per_year, dec!(10400.00));
        assert_eq!(out.supplement_ratio, dec!(0.15));
        assert_eq!(out.supplement_per_year, dec!(1560.00));
        assert_eq!(out.tariff_per_patient_per_year, dec!(0.66));
        assert_eq!(out.tariff_per_patient_per_quarter, dec!(0.17));
        assert!(!out.funded_exceeds_total);
    }

    #[test]
    fn poh_s_fully_funded_hours_give_no_supplement() {
        let out = pohs(
            3000,
            dec!(8),
            dec!(45.50),
            [dec!(0), dec!(0), dec!(2), dec!(7)],
        );
        assert_eq!(out.remaining_hours_per_week, dec!(0));
        assert!(out.funded_exceeds_total);
        assert_eq!(out.supplement_per_year, dec!(0));
        assert_eq!(out.tariff_per_patient_per_quarter, dec!(0));
        // 8 × 45.50 × 52 = 18,928.00
        assert_eq!(out.total_cost_per_year, dec!(18928.00));
    }

    #[test]
    fn poh_s_rounds_half_away_from_zero_once() {
        // 1 remaining hour at €33.33, 52 weeks: 1,733.16 a year; × 0.15 = 259.974 → 259.97.
        // Per patient (1,000): 0.259974 → 0.26; per quarter 0.0649935 → 0.06.
        let out = pohs(
            1000,
            dec!(1),
            dec!(33.33),
            [dec!(0), dec!(0), dec!(0), dec!(0)],
        );
        assert_eq!(out.remaining_cost_per_year, dec!(1733.16));
        assert_eq!(out.supplement_per_year, dec!(259.97));
        assert_eq!(out.tariff_per_patient_per_year, dec!(0.26));
        assert_eq!(out.tariff_per_patient_per_quarter, dec!(0.06));
    }

    // --- FGV: "0 t/m X% A, > X t/m Y% B, > Y t/m Z% C, > Z t/m 100% D"

    fn fgv(
        conform: u64,
        total: u64,
        t: Option<FgvThresholds>,
        g: Option<Vec<Decimal>>,
    ) -> FgvOutput {
        let p = policy();
        fgv_score(
            &ctx(&p),
            FgvInput {
                conform_first_prescriptions: conform,
                total_first_prescriptions: total,
                thresholds: t,
                group_results: g,
                measurement_year: None,
                fgv2: None,
                fgv3: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn fgv1_is_the_share_of_first_prescriptions_conform_the_formulary() {
        // 1,234 of 1,600 = 77.125 % → 77.13
        let out = fgv(1234, 1600, None, None);
        assert_eq!(out.fgv1_percentage, dec!(77.13));
        assert_eq!(out.score, None, "no thresholds yet: the score is not known");
        assert_eq!(out.threshold_method, "none");
    }

    #[test]
    fn fgv_score_bands_include_their_upper_threshold() {
        let t = Some(FgvThresholds {
            x: dec!(70),
            y: dec!(80),
            z: dec!(90),
        });
        assert_eq!(
            fgv(70, 100, t, None).score.as_deref(),
            Some("A"),
            "70 t/m 70 → A"
        );
        assert_eq!(fgv(71, 100, t, None).score.as_deref(), Some("B"));
        assert_eq!(fgv(80, 100, t, None).score.as_deref(), Some("B"));
        assert_eq!(fgv(85, 100, t, None).score.as_deref(), Some("C"));
        assert_eq!(fgv(90, 100, t, None).score.as_deref(), Some("C"));
        assert_eq!(fgv(91, 100, t, None).score.as_deref(), Some("D"));
        assert_eq!(fgv(100, 100, t, None).score.as_deref(), Some("D"));
        assert_eq!(fgv(0, 100, t, None).score.as_deref(), Some("A"));
    }

    #[test]
    fn fgv_group_quartiles_are_an_indication_never_a_score() {
        // "bepalen we de grenswaarden pas nadat de meetresultaten zijn aangeleverd": without
        // published thresholds there is no score. Group 60, 70, 80, 90, 100: Q1 at rank 1 =
        // 70, median 80, Q3 90. Practice 75 % → indication B.
        let out = fgv(
            75,
            100,
            None,
            Some(vec![dec!(100), dec!(60), dec!(80), dec!(70), dec!(90)]),
        );
        assert_eq!(out.threshold_method, "indication-group-quartiles");
        assert_eq!(out.score, None);
        assert_eq!(out.thresholds, None);
        assert_eq!(
            out.indicative_thresholds,
            Some(FgvThresholds {
                x: dec!(70),
                y: dec!(80),
                z: dec!(90)
            })
        );
        assert_eq!(out.indicative_score.as_deref(), Some("B"));
        // Group 50, 60, 70, 80: Q1 = 50 + 0.75 × 10 = 57.5; median 65; Q3 = 70 + 0.25 × 10 = 72.5.
        let out = fgv(
            73,
            100,
            None,
            Some(vec![dec!(50), dec!(60), dec!(70), dec!(80)]),
        );
        let t = out.indicative_thresholds.unwrap();
        assert_eq!((t.x, t.y, t.z), (dec!(57.5), dec!(65), dec!(72.5)));
        assert_eq!(out.indicative_score.as_deref(), Some("D"));
        assert_eq!(out.score, None);
    }

    #[test]
    fn fgv_given_thresholds_override_the_group() {
        let out = fgv(
            75,
            100,
            Some(FgvThresholds {
                x: dec!(76),
                y: dec!(85),
                z: dec!(95),
            }),
            Some(vec![dec!(50), dec!(60), dec!(70), dec!(80)]),
        );
        assert_eq!(out.threshold_method, "given");
        assert_eq!(out.score.as_deref(), Some("A"));
        assert_eq!(out.indicative_score, None);
    }

    #[test]
    fn fgv_measurement_period_2020_is_three_quarters_and_2021_onwards_four() {
        let p = policy();
        let run = |year| {
            fgv_score(
                &ctx(&p),
                FgvInput {
                    conform_first_prescriptions: 1,
                    total_first_prescriptions: 2,
                    thresholds: None,
                    group_results: None,
                    measurement_year: Some(year),
                    fgv2: None,
                    fgv3: None,
                },
            )
            .unwrap()
        };
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // "1 januari 2020 t/m 30 september 2020"
        let r = run(2020);
        assert_eq!(r.measurement_period.from, d(2020, 1, 1));
        assert_eq!(r.measurement_period.to, d(2020, 9, 30));
        assert_eq!(r.measurement_period.quarters, 3);
        // "1 januari 2021 t/m 31 december 2021"
        let r = run(2021);
        assert_eq!(r.measurement_period.to, d(2021, 12, 31));
        // 2022: full year; claimed in the second quarter of 2023.
        let r = run(2022);
        assert_eq!(r.measurement_period.to, d(2022, 12, 31));
        assert_eq!(r.claim_period.from, d(2023, 4, 1));
        assert_eq!(r.claim_period.to, d(2023, 6, 30));
    }

    #[test]
    fn from_2021_fgv2_and_fgv3_are_measured_too_and_the_score_follows_the_average() {
        // "Vanaf 2021 meten we ook op FGV2 en FGV3" and "Wij berekenen uw gemiddelde en daaruit
        // volgt uw score". FGV1 = 70 of 100 = 70.00 %; FGV2 = 90 of 100 = 90.00 %; FGV3 = 41 of
        // 50 = 82.00 %. Thresholds X 75, Y 80, Z 85.
        // FGV1 alone: 70.00 → A. FGV1 and FGV2: (70 + 90) / 2 = 80.00 → B (80 is "t/m Y").
        // All three: (70 + 90 + 82) / 3 = 80.666… → 80.67 → C.
        let p = policy();
        let t = Some(FgvThresholds {
            x: dec!(75),
            y: dec!(80),
            z: dec!(85),
        });
        let run = |fgv2: Option<FgvCounts>, fgv3: Option<FgvCounts>, year: i32| {
            fgv_score(
                &ctx(&p),
                FgvInput {
                    conform_first_prescriptions: 70,
                    total_first_prescriptions: 100,
                    thresholds: t,
                    group_results: None,
                    measurement_year: Some(year),
                    fgv2,
                    fgv3,
                },
            )
        };
        let c = |conform, total| Some(FgvCounts { conform, total });
        let one = run(None, None, 2022).unwrap();
        assert_eq!(
            (one.scored_percentage, one.score.as_deref()),
            (dec!(70.00), Some("A"))
        );
        let two = run(c(90, 100), None, 2022).unwrap();
        assert_eq!(two.fgv2_percentage, Some(dec!(90.00)));
        assert_eq!(
            (two.scored_percentage, two.score.as_deref()),
            (dec!(80.00), Some("B"))
        );
        let three = run(c(90, 100), c(41, 50), 2022).unwrap();
        assert_eq!(three.fgv3_percentage, Some(dec!(82.00)));
        assert_eq!(
            (three.scored_percentage, three.score.as_deref()),
            (dec!(80.67), Some("C"))
        );
        // measured from 2021, not over 2020
        assert!(run(c(90, 100), None, 2021).is_ok());
        assert!(matches!(
            run(c(90, 100), None, 2020),
            Err(CalcError::InvalidInput(m)) if m.contains("2021")
        ));
        assert!(run(c(101, 100), None, 2022).is_err());
    }

    #[test]
    fn fgv_rejects_impossible_counts_and_small_groups() {
        let p = policy();
        let bad = [
            FgvInput {
                conform_first_prescriptions: 5,
                total_first_prescriptions: 4,
                thresholds: None,
                group_results: None,
                measurement_year: None,
                fgv2: None,
                fgv3: None,
            },
            FgvInput {
                conform_first_prescriptions: 0,
                total_first_prescriptions: 0,
                thresholds: None,
                group_results: None,
                measurement_year: None,
                fgv2: None,
                fgv3: None,
            },
            FgvInput {
                conform_first_prescriptions: 1,
                total_first_prescriptions: 2,
                thresholds: None,
                group_results: Some(vec![dec!(50), dec!(60), dec!(70)]),
                measurement_year: None,
                fgv2: None,
                fgv3: None,
            },
        ];
        for input in bad {
            assert!(matches!(
                fgv_score(&ctx(&p), input),
                Err(CalcError::InvalidInput(_))
            ));
        }
    }

    #[test]
    fn every_calculator_answers_json() {
        let p = policy();
        let c = ctx(&p);
        let cases = [
            (
                "poh-ggz-hours",
                serde_json::json!({ "registered_patients": 2350 }),
            ),
            (
                "oaw-hours",
                serde_json::json!({ "registered_patients": 2350,
                    "sessions": [{ "day": "saturday", "start": "09:00", "end": "11:00" }] }),
            ),
            (
                "poh-s-supplement",
                serde_json::json!({ "registered_patients": 2350, "total_hours_per_week": "10" }),
            ),
            (
                "fgv-score",
                serde_json::json!({ "conform_first_prescriptions": 8, "total_first_prescriptions": 10 }),
            ),
        ];
        for (name, input) in cases {
            let calc = calculators().into_iter().find(|k| k.name == name).unwrap();
            let out = (calc.run)(&c, input).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(out.is_object(), "{name}");
        }
    }

    fn scale_at_most_two(d: Decimal) -> bool {
        d.scale() <= 2
    }

    proptest! {
        #[test]
        fn poh_s_never_panics(
            total in any::<i128>(), cost in any::<i128>(), funded in any::<i128>(),
            scale in 0u32..28, patients in any::<u32>()
        ) {
            let p = policy();
            let d = |x: i128| Decimal::try_from_i128_with_scale(x % 10i128.pow(28), scale).unwrap();
            let mut input = pohs_input(d(total), Some(d(cost)), d(funded));
            input.registered_patients = patients;
            match poh_s_supplement(&ctx(&p), input) {
                Ok(out) => prop_assert!(out.supplement_per_year >= Decimal::ZERO),
                Err(CalcError::InvalidInput(_) | CalcError::Overflow { .. }) => {}
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }

        #[test]
        fn poh_ggz_norm_is_monotone_in_patients_and_exact(a in 0u32..200_000, b in 0u32..200_000) {
            let p = policy();
            let run = |n| poh_ggz_hours(&ctx(&p), PohGgzInput { registered_patients: n, requested_hours_per_week: None }).unwrap();
            let (lo, hi) = (a.min(b), a.max(b));
            let (ol, oh) = (run(lo), run(hi));
            prop_assert!(ol.max_hours_per_week <= oh.max_hours_per_week);
            prop_assert!(scale_at_most_two(oh.max_hours_per_week));
            // the exact norm is 12 × n / 2,350; rounding moves it by at most half a cent-hour
            let exact = dec!(12) * Decimal::from(hi) / dec!(2350);
            prop_assert!((oh.max_hours_per_week - exact).abs() <= dec!(0.005));
        }

        #[test]
        fn oaw_minimum_is_monotone_in_patients_in_half_hours(a in 0u32..100_000, b in 0u32..100_000) {
            let (lo, hi) = (a.min(b), a.max(b));
            let (ml, _) = oaw_min(lo);
            let (mh, _) = oaw_min(hi);
            prop_assert!(ml <= mh);
            prop_assert!(mh >= dec!(2));
            prop_assert_eq!((mh * dec!(2)).fract(), Decimal::ZERO);
        }

        #[test]
        fn oaw_counted_hours_grow_with_gps_and_never_exceed_the_session(
            start in 0u32..(24 * 60 - 1), len in 1u32..600, gps in 1u32..5, day in 0usize..7
        ) {
            let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
            let end = (start + len).min(24 * 60);
            let p = policy();
            let run = |g| oaw_hours(&ctx(&p), OawInput {
                registered_patients: 2000,
                sessions: Some(vec![session(days[day], &format_time(start), &format_time(end), g)]),
                weeks_per_year: None,
            }).unwrap();
            let one_gp = run(1);
            let more = run(gps);
            let c1 = one_gp.counted_hours_per_week.unwrap();
            let cg = more.counted_hours_per_week.unwrap();
            prop_assert!(c1 <= cg);
            prop_assert!(scale_at_most_two(cg));
            let r = &one_gp.sessions[0];
            let outside: u32 = r.outside_windows.iter().map(|s| s.minutes).sum();
            prop_assert_eq!(r.minutes_inside_windows + outside, end - start);
        }

        #[test]
        fn poh_s_supplement_grows_with_hours_and_tariff_falls_with_patients(
            hours in 0u32..4000, funded in 0u32..4000, cost in 0u32..10_000,
            a in 1u32..50_000, b in 1u32..50_000
        ) {
            let p = policy();
            let run = |h: u32, n: u32| poh_s_supplement(&ctx(&p), PohSInput {
                registered_patients: n,
                total_hours_per_week: Decimal::new(i64::from(h), 1),
                hourly_cost: Some(Decimal::new(i64::from(cost), 2)),
                frail_elderly_hours: Decimal::ZERO,
                future_proof_hours: Decimal::ZERO,
                other_arrangement_hours: Decimal::new(i64::from(funded), 1),
                care_chain_hours: Decimal::ZERO,
            }).unwrap();
            let (lo, hi) = (a.min(b), a.max(b));
            let small = run(hours, lo);
            let large = run(hours, hi);
            prop_assert!(large.tariff_per_patient_per_year <= small.tariff_per_patient_per_year);
            prop_assert!(large.tariff_per_patient_per_quarter <= small.tariff_per_patient_per_quarter);
            prop_assert_eq!(small.supplement_per_year, large.supplement_per_year);
            let more = run(hours + 10, lo);
            prop_assert!(more.supplement_per_year >= small.supplement_per_year);
            for d in [small.supplement_per_year, small.tariff_per_patient_per_year,
                      small.tariff_per_patient_per_quarter, small.total_cost_per_year] {
                prop_assert!(scale_at_most_two(d));
            }
            // exactly 15 % of the remaining cost, to the cent
            let exact = small.remaining_hours_per_week * small.hourly_cost * dec!(52) * dec!(0.15);
            prop_assert!((small.supplement_per_year - exact).abs() <= dec!(0.005));
        }

        #[test]
        fn fgv_score_is_monotone_in_conform_prescriptions(total in 1u64..100_000, a in 0u64..100_000, b in 0u64..100_000) {
            let (lo, hi) = (a.min(b).min(total), a.max(b).min(total));
            let t = Some(FgvThresholds { x: dec!(60), y: dec!(70.5), z: dec!(85) });
            let sl = fgv(lo, total, t, None);
            let sh = fgv(hi, total, t, None);
            prop_assert!(sl.fgv1_percentage <= sh.fgv1_percentage);
            prop_assert!(sl.score <= sh.score);
            prop_assert!(scale_at_most_two(sh.fgv1_percentage));
            prop_assert!(sh.fgv1_percentage <= dec!(100));
        }
    }
}
