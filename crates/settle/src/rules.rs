//! The parameters and tables of the district nursing 2021 policy that the settlement uses, read
//! from the policy file (never written in the code), each with the passage it comes from.

use crate::SettleError;
use crate::cite::{Cite, EFFICIENCY_PRESTATIES};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use zorginkoop_policy::{Policy, Table, TableValue};

/// A number from the policy with its passage and whether it is an example value.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub id: String,
    pub value: Decimal,
    pub example: bool,
    pub cite: Cite,
}

/// One row of table 2: how production above the basisbudget is paid.
#[derive(Debug, Clone, PartialEq)]
pub struct OverproductionRule {
    /// Share of the tariff paid for production above the basisbudget.
    pub paid_ratio: Decimal,
    /// The paid overproduction volume as a share of the basisbudget; `None`: free volume.
    pub max_ratio: Option<Decimal>,
}

/// A provider category of table 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Small,
    Regular,
    New,
}

impl Category {
    /// The category's value in the policy's tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Small => "small",
            Category::Regular => "regular",
            Category::New => "new",
        }
    }
    /// Dutch, as in table 1.
    pub fn dutch(self) -> &'static str {
        match self {
            Category::Small => "kleine zorgaanbieder",
            Category::Regular => "reguliere zorgaanbieder",
            Category::New => "nieuwe zorgaanbieder",
        }
    }
}

/// What the settlement reads from the policy.
#[derive(Debug, Clone)]
pub struct NursingRules {
    pub policy_id: String,
    pub policy_version: String,
    pub policy_sha256: String,
    /// The reference period (timeline `reference-period`), inclusive.
    pub reference: (NaiveDate, NaiveDate),
    pub reference_cite: Cite,
    /// The contract year (the policy's period), inclusive.
    pub year: (NaiveDate, NaiveDate),
    /// Every district nursing prestatie (table `prestatie-codes`): revenue and production.
    pub prestaties: Vec<String>,
    pub prestaties_cite: Cite,
    pub small_threshold: Param,
    pub new_max_budget: Param,
    pub ova_index: Param,
    /// The tariff cut of efficiency groups 1, 2 and 3.
    pub cuts: [Param; 3],
    pub max_hours: Param,
    /// `control.max-term-years`: the material control of claim year t starts at the latest in
    /// December of t + this (chapter 7).
    pub control_max_years: Param,
    /// The claims deadline (claim rule of kind `submission-deadline`): lines the checker
    /// rejected with its reason code are not settled and are counted on the statement.
    pub deadline: Option<SubmissionDeadline>,
    /// The efficiency model (chapter 4 and bijlage 6).
    pub model: ModelRules,
    /// The client-per-postcode ratio (bijlage 3).
    pub ratio: RatioRules,
    overproduction: Table,
    category: Table,
}

/// The claims deadline of the contract year, from the policy's claim rule.
#[derive(Debug, Clone)]
pub struct SubmissionDeadline {
    pub date: NaiveDate,
    /// The reason code the claims checker gives a line submitted later.
    pub reason_code: String,
    pub cite: Cite,
}

/// What the efficiency model reads from the policy.
#[derive(Debug, Clone)]
pub struct ModelRules {
    /// Share of a provider's clients with the highest, and the same share with the lowest,
    /// average cost per month left out (`efficiency.outlier-share`, 2.5 %).
    pub outlier_share: Param,
    /// At least this many at each end (`efficiency.outlier-min-clients`, 1).
    pub outlier_min: Param,
    /// A death within this many months after the last care counts (`efficiency.death-window-months`).
    pub death_months: Param,
    /// The lowest ratio of actual to expected cost of groups 1, 2, 3 and 4
    /// (`efficiency.group-N.min-ratio`); below the last: group 5.
    pub group_min_ratio: [Param; 4],
}

impl ModelRules {
    /// The group of a ratio of actual to expected cost: 1 (least efficient) to 5.
    pub fn group(&self, ratio: Decimal) -> u8 {
        for (i, p) in self.group_min_ratio.iter().enumerate() {
            if ratio >= p.value {
                return i as u8 + 1;
            }
        }
        5
    }
}

/// What the client-per-postcode ratio reads from the policy.
#[derive(Debug, Clone)]
pub struct RatioRules {
    /// `client-postcode-ratio.minimum` (2 clients per postcode area).
    pub minimum: Param,
    /// `client-postcode-ratio.exempt-max-clients`: with this many clients or fewer the ratio
    /// does not apply.
    pub exempt_max_clients: Param,
    /// Timeline `client-postcode-ratio-period`, inclusive.
    pub period: (NaiveDate, NaiveDate),
    pub period_cite: Cite,
    excluded: Table,
}

impl RatioRules {
    /// The Zorg in de Wijk municipality a 4-digit postcode lies in (table
    /// `zorg-in-de-wijk-postcodes`), `None` when it lies outside them.
    pub fn zorg_in_de_wijk(&self, pc4: u16) -> Option<String> {
        let t = &self.excluded;
        let (i, o) = (t.input_index("postcode4")?, t.output_index("municipality")?);
        let v = TableValue::Number(Decimal::from(pc4));
        t.rows
            .iter()
            .find(|r| r.inputs[i].matches(&v))
            .and_then(|r| r.outputs[o].as_text().map(str::to_string))
    }

    /// The passage of the Zorg in de Wijk table.
    pub fn excluded_cite(&self) -> Cite {
        Cite::from(&*self.excluded.source)
    }
}

pub(crate) fn problem(policy: &Policy, p: impl Into<String>) -> SettleError {
    SettleError::Policy {
        policy: policy.id().to_string(),
        problem: p.into(),
    }
}

pub(crate) fn param(policy: &Policy, id: &str, on: NaiveDate) -> Result<Param, SettleError> {
    let (value, p) = policy.param_on(id, on).ok_or_else(|| {
        problem(
            policy,
            format!("parameter `{id}` ontbreekt of heeft geen waarde op {on}"),
        )
    })?;
    Ok(Param {
        id: id.to_string(),
        value,
        example: p.example,
        cite: Cite::from(&p.source),
    })
}

/// The policy's claim rule of kind `submission-deadline`, if it has one.
fn submission_deadline(policy: &Policy) -> Result<Option<SubmissionDeadline>, SettleError> {
    let Some(r) = policy
        .file
        .claim_rules
        .iter()
        .find(|r| r.kind == "submission-deadline")
    else {
        return Ok(None);
    };
    let date = r
        .params
        .get("deadline")
        .and_then(|v| v.as_str())
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| {
            problem(
                policy,
                format!("declaratieregel `{}`: params.deadline is geen datum", r.id),
            )
        })?;
    Ok(Some(SubmissionDeadline {
        date,
        reason_code: r.reason_code.clone(),
        cite: Cite::from(&r.source),
    }))
}

pub(crate) fn table(policy: &Policy, id: &str) -> Result<Table, SettleError> {
    policy
        .compiled
        .table(id)
        .cloned()
        .ok_or_else(|| problem(policy, format!("tabel `{id}` ontbreekt")))
}

impl NursingRules {
    /// Reads the rules from the district nursing policy; a missing item is an error that names
    /// it.
    pub fn from_policy(policy: &Policy) -> Result<NursingRules, SettleError> {
        let meta = &policy.file.policy;
        let on = meta.period_start;
        let reference = policy
            .file
            .timeline
            .iter()
            .find(|m| m.id == "reference-period")
            .ok_or_else(|| problem(policy, "tijdlijn `reference-period` ontbreekt"))?;
        let reference_until = reference
            .until
            .ok_or_else(|| problem(policy, "tijdlijn `reference-period` heeft geen einddatum"))?;
        let ratio_period = policy
            .file
            .timeline
            .iter()
            .find(|m| m.id == "client-postcode-ratio-period")
            .ok_or_else(|| problem(policy, "tijdlijn `client-postcode-ratio-period` ontbreekt"))?;
        let ratio_until = ratio_period.until.ok_or_else(|| {
            problem(
                policy,
                "tijdlijn `client-postcode-ratio-period` heeft geen einddatum",
            )
        })?;
        let excluded = table(policy, "zorg-in-de-wijk-postcodes")?;
        if excluded.input_index("postcode4").is_none()
            || excluded.output_index("municipality").is_none()
        {
            return Err(problem(
                policy,
                "tabel `zorg-in-de-wijk-postcodes` heeft niet de kolommen postcode4 en municipality",
            ));
        }
        let codes = table(policy, "prestatie-codes")?;
        let code_col = codes.input_index("prestatie_code").ok_or_else(|| {
            problem(
                policy,
                "tabel `prestatie-codes` heeft geen kolom prestatie_code",
            )
        })?;
        let prestaties: Vec<String> = codes
            .rows
            .iter()
            .filter_map(|r| match &r.inputs[code_col] {
                zorginkoop_policy::Cell::Is(TableValue::Text(c)) => Some(c.clone()),
                _ => None,
            })
            .collect();
        for c in EFFICIENCY_PRESTATIES {
            if !prestaties.iter().any(|p| p == c) {
                return Err(problem(
                    policy,
                    format!("prestatie {c} (bijlage 6) staat niet in tabel `prestatie-codes`"),
                ));
            }
        }
        let rules = NursingRules {
            policy_id: meta.id.clone(),
            policy_version: meta.version.clone(),
            policy_sha256: policy.sha256.clone(),
            reference: (reference.date, reference_until),
            reference_cite: Cite::from(&reference.source),
            year: (meta.period_start, meta.period_end),
            prestaties,
            prestaties_cite: Cite::from(&*codes.source),
            small_threshold: param(policy, "category.small-threshold", on)?,
            new_max_budget: param(policy, "new-provider.max-budget", on)?,
            ova_index: param(policy, "tariff.ova-index", on)?,
            cuts: [
                param(policy, "efficiency.tariff-cut.group-1", on)?,
                param(policy, "efficiency.tariff-cut.group-2", on)?,
                param(policy, "efficiency.tariff-cut.group-3", on)?,
            ],
            max_hours: param(policy, "efficiency.max-hours-per-client-month", on)?,
            control_max_years: param(policy, "control.max-term-years", on)?,
            deadline: submission_deadline(policy)?,
            model: ModelRules {
                outlier_share: param(policy, "efficiency.outlier-share", on)?,
                outlier_min: param(policy, "efficiency.outlier-min-clients", on)?,
                death_months: param(policy, "efficiency.death-window-months", on)?,
                group_min_ratio: [
                    param(policy, "efficiency.group-1.min-ratio", on)?,
                    param(policy, "efficiency.group-2.min-ratio", on)?,
                    param(policy, "efficiency.group-3.min-ratio", on)?,
                    param(policy, "efficiency.group-4.min-ratio", on)?,
                ],
            },
            ratio: RatioRules {
                minimum: param(policy, "client-postcode-ratio.minimum", on)?,
                exempt_max_clients: param(policy, "client-postcode-ratio.exempt-max-clients", on)?,
                period: (ratio_period.date, ratio_until),
                period_cite: Cite::from(&ratio_period.source),
                excluded,
            },
            overproduction: table(policy, "overproduction")?,
            category: table(policy, "provider-category")?,
        };
        // fail now rather than per provider
        let b = &rules.model.group_min_ratio;
        if !b.windows(2).all(|w| w[0].value > w[1].value) {
            return Err(problem(
                policy,
                "de grenzen efficiency.group-1..4.min-ratio moeten van hoog naar laag lopen",
            ));
        }
        if !(rules.model.death_months.value.is_integer()
            && rules.model.outlier_min.value.is_integer()
            && rules.model.death_months.value >= Decimal::ZERO
            && rules.model.outlier_min.value >= Decimal::ZERO)
        {
            return Err(problem(
                policy,
                "efficiency.death-window-months en efficiency.outlier-min-clients moeten hele getallen zijn",
            ));
        }
        for g in 1..=5 {
            rules.overproduction(Category::Regular, Some(g))?;
        }
        rules.overproduction(Category::Small, None)?;
        rules.overproduction(Category::New, None)?;
        Ok(rules)
    }

    fn err(&self, p: String) -> SettleError {
        SettleError::Policy {
            policy: self.policy_id.clone(),
            problem: p,
        }
    }

    /// The category of table 1 from a 2020 contract and the reference revenue (euro).
    pub fn category(
        &self,
        had_contract_2020: bool,
        revenue: Decimal,
    ) -> Result<Category, SettleError> {
        let t = &self.category;
        let threshold = self.small_threshold.value.normalize();
        let band = if revenue < self.small_threshold.value {
            format!("below-{threshold}")
        } else {
            format!("from-{threshold}")
        };
        let (i_contract, i_band, o_cat) = match (
            t.input_index("had_contract_2020"),
            t.input_index("revenue_band"),
            t.output_index("category"),
        ) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => return Err(self.err("tabel `provider-category` mist een kolom".into())),
        };
        let row = t
            .rows
            .iter()
            .find(|r| {
                r.inputs[i_contract].matches(&TableValue::Bool(had_contract_2020))
                    && r.inputs[i_band].matches(&TableValue::Text(band.clone()))
            })
            .ok_or_else(|| self.err(format!("tabel `provider-category`: geen rij voor {band}")))?;
        match row.outputs[o_cat].as_text() {
            Some("small") => Ok(Category::Small),
            Some("regular") => Ok(Category::Regular),
            Some("new") => Ok(Category::New),
            other => Err(self.err(format!(
                "tabel `provider-category`: onbekende categorie {other:?}"
            ))),
        }
    }

    /// Table 2's row for a category and (regular providers) an efficiency group.
    pub fn overproduction(
        &self,
        category: Category,
        group: Option<u8>,
    ) -> Result<OverproductionRule, SettleError> {
        let t = &self.overproduction;
        let (i_cat, i_group, o_paid, o_max) = match (
            t.input_index("category"),
            t.input_index("efficiency_group"),
            t.output_index("paid_ratio"),
            t.output_index("max_overproduction_ratio"),
        ) {
            (Some(a), Some(b), Some(c), Some(d)) => (a, b, c, d),
            _ => return Err(self.err("tabel `overproduction` mist een kolom".into())),
        };
        let g = TableValue::Number(Decimal::from(group.unwrap_or(0)));
        let row = t
            .rows
            .iter()
            .find(|r| {
                r.inputs[i_cat].matches(&TableValue::Text(category.as_str().into()))
                    && r.inputs[i_group].matches(&g)
            })
            .ok_or_else(|| {
                self.err(format!(
                    "tabel `overproduction`: geen rij voor {} groep {group:?}",
                    category.as_str()
                ))
            })?;
        let paid_ratio = row.outputs[o_paid]
            .as_decimal()
            .ok_or_else(|| self.err("tabel `overproduction`: paid_ratio is geen getal".into()))?;
        let max_ratio = match &row.outputs[o_max] {
            TableValue::Unlimited => None,
            v => Some(v.as_decimal().ok_or_else(|| {
                self.err("tabel `overproduction`: max_overproduction_ratio is geen getal".into())
            })?),
        };
        Ok(OverproductionRule {
            paid_ratio,
            max_ratio,
        })
    }

    /// Table 2's passage.
    pub fn overproduction_cite(&self) -> Cite {
        Cite::from(&*self.overproduction.source)
    }

    /// Table 1's passage.
    pub fn category_cite(&self) -> Cite {
        Cite::from(&*self.category.source)
    }

    /// The tariff cut of an efficiency group (1-3), `None` for groups 4 and 5.
    pub fn cut(&self, group: u8) -> Option<&Param> {
        match group {
            1..=3 => Some(&self.cuts[usize::from(group - 1)]),
            _ => None,
        }
    }
}
