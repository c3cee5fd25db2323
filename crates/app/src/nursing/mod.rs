//! District nursing (document 004, Inkoopbeleid Wijkverpleging 2021), the use cases of its
//! process:
//!
//! * an **existing provider** answers bijlage 1 (the 21 questions and the 8 exclusion criteria;
//!   the liability insurance and the arrival time asked as numbers), chooses the special care
//!   forms of bijlage 2 and answers their conditions; an exclusion criterion that applies with
//!   an appeal to "tenzij Zilveren Kruis dat disproportioneel acht" goes to the purchaser's
//!   review, who grants it or refuses; the budget proposal has the provider's category (table 1)
//!   and basisbudget from its reference-period claims as the insurer's settlement statement has
//!   them, else from the revenue the provider entered (marked as such), and table 2's terms;
//! * a **new provider** follows bijlage 3: its questions, the revenue 2019 against
//!   `new-provider.min-revenue-2019`, the client-per-postcode ratio (from the statement when the
//!   insurer has the provider's claims, else entered), the budget capped at
//!   `new-provider.max-budget`; only inside the registration window;
//! * **Wijkgericht Werken** and the **regional availability function** are applications of
//!   their own with their budgets (inhabitants 65+ × `neighbourhood.amount-per-65-plus`; the
//!   availability function's amount as agreed, entered);
//! * every application has the processing term "maximaal 5 werkdagen"
//!   (`application.processing-working-days`) counted in working days
//!   ([`zorginkoop_engine::workdays`]), shown to both sides;
//! * the signer signs the proposal.
//!
//! States: submitted -> (refused | proposed -> signed); a submission that fails a knock-out is
//! refused at once with the cited reason. Every change runs in one transaction with its audit
//! log entry and is conditional on the state it starts from.

pub mod spec;

use crate::AppError;
use crate::accounts::{self, Actor, Organisation, Role};
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zorginkoop_engine::calc::CalcContext;
use zorginkoop_engine::calc::nursing::{
    ClientPostcodeInput, NeighbourhoodInput, ProviderCategoryInput, client_postcode_ratio,
    neighbourhood_budget, provider_category,
};
use zorginkoop_engine::workdays::{self, HolidayRules};
use zorginkoop_policy::{OnFail, Policy, PolicySet, QuestionKind, Source};
use zorginkoop_store::{Db, Row, Tx, args};

pub use spec::{POLICY, Procedure};

/// The working-day calendar of the processing term.
pub const CALENDAR: HolidayRules = HolidayRules::TERMIJNENWET;

/// Where an application is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Submitted,
    Refused,
    Proposed,
    Signed,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Submitted,
        State::Refused,
        State::Proposed,
        State::Signed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Submitted => "submitted",
            State::Refused => "refused",
            State::Proposed => "proposed",
            State::Signed => "signed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The Dutch name shown.
    pub fn label(self) -> &'static str {
        match self {
            State::Submitted => "ingediend, in behandeling",
            State::Refused => "afgewezen",
            State::Proposed => "voorstel klaar om te tekenen",
            State::Signed => "getekend",
        }
    }
}

/// What one question asks and how its answer counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Ask {
    /// "ja" needed; "nee" refuses.
    KnockOut,
    /// "nee" needed; "ja" refuses unless the provider appeals to the escape (then review).
    Exclusion { escape: String },
    /// "nee" goes to the purchaser's review.
    Review,
    /// A number measured against a parameter.
    Number(NumberAsk),
}

/// A question answered with a number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberAsk {
    pub label: String,
    pub unit: String,
    pub parameter: String,
    pub limit: Decimal,
    pub at_least: bool,
    pub parameter_source: Source,
}

/// One question of a procedure, as asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The form key: `q.<id>` (questionnaire), `c.<id>` (module condition), `f.<module>.<id>`
    /// (a special care form's condition).
    pub key: String,
    /// The number shown ("1", "21a", "x3"), or the condition id.
    pub number: String,
    pub text: String,
    pub ask: Ask,
    pub source: Source,
}

/// A special care form of bijlage 2 and its conditions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecialForm {
    pub module: String,
    pub name: String,
    pub source: Source,
    pub questions: Vec<Question>,
}

/// The figures a procedure asks besides the questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Figures {
    /// Existing: revenue in the reference period (only when the insurer has no statement).
    #[serde(default)]
    pub reference_revenue: Option<Decimal>,
    /// New: revenue Zvw district nursing 2019, all insurers (audited annual accounts).
    #[serde(default)]
    pub revenue_2019: Option<Decimal>,
    /// New: clients of Zilveren Kruis in the core area and their 4-digit postcode areas
    /// (only when the insurer has no statement with them).
    #[serde(default)]
    pub clients: Option<u64>,
    #[serde(default)]
    pub postcode_areas: Option<u64>,
    /// New: the budget asked; availability function: the amount agreed for 2021.
    #[serde(default)]
    pub requested_budget: Option<Decimal>,
    /// Wijkgericht Werken: the municipality and its inhabitants aged 65 and over.
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub inhabitants_65_plus: Option<u64>,
}

/// A provider's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Answers {
    /// Question key -> "ja" | "nee".
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Exclusion question key -> the provider's appeal to the escape.
    #[serde(default)]
    pub escapes: BTreeMap<String, String>,
    /// Numeric question key -> the number.
    #[serde(default)]
    pub numbers: BTreeMap<String, Decimal>,
    /// The special care forms chosen (module ids).
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub figures: Figures,
}

/// How heavily a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The application is refused.
    Refuse,
    /// The purchaser decides.
    Review,
    /// Shown, no consequence.
    Note,
}

/// One finding of the assessment, cited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub key: String,
    pub severity: Severity,
    pub text: String,
    pub source: Source,
}

/// Where a figure of the budget proposal comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// From the insurer's claims (the settlement statement).
    Claims,
    /// Entered by the provider.
    Entered,
    /// Computed by the policy's rules from the figures above it.
    Computed,
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Basis::Claims => "uit de declaraties (afrekening)",
            Basis::Entered => "opgegeven door de zorgaanbieder",
            Basis::Computed => "berekend",
        }
    }
}

/// One line of the budget proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub step: String,
    pub label: String,
    /// The figure as shown (euro amounts in Dutch notation, a category's name).
    pub value: String,
    pub amount: Option<Decimal>,
    pub how: String,
    pub basis: Basis,
    pub source: Source,
}

/// One row of table 2 for the provider's category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table2Term {
    pub group: String,
    pub paid: String,
    pub max_volume: String,
}

/// The budget proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// Table 1's category (`regular`, `small`, `new`), when the procedure has one.
    pub category: Option<String>,
    pub category_label: Option<String>,
    /// The budget of the application (the basisbudget; Wijkgericht Werken's budget; the
    /// availability function's amount).
    pub budget: Decimal,
    pub lines: Vec<BudgetLine>,
    /// Table 2's terms for the category.
    pub table2: Vec<Table2Term>,
    pub table2_source: Option<Source>,
    /// The settlement statement the figures come from.
    pub statement_id: Option<i64>,
}

/// An application as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_agb: Option<String>,
    pub procedure: Procedure,
    pub state: State,
    pub answers: Answers,
    pub findings: Vec<Finding>,
    pub submitted_by: String,
    pub submitted_on: NaiveDate,
    /// The last day of the processing term.
    pub due_on: NaiveDate,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub reason: Option<String>,
    /// Exclusion question keys whose escape the purchaser granted.
    pub escapes_granted: Vec<String>,
    pub budget: Option<Budget>,
    pub signed_by: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

impl Application {
    /// Working days left of the processing term on `today` (0 on the due date); None once
    /// decided.
    pub fn working_days_left(&self, today: NaiveDate) -> Option<u32> {
        (self.state == State::Submitted)
            .then(|| workdays::working_days_left(today, self.due_on, CALENDAR))
    }

    /// Not decided and past the term.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.state == State::Submitted && workdays::overdue(today, self.due_on)
    }

    /// The public holidays the term skips (besides weekends).
    pub fn holidays_in_term(&self) -> Vec<(NaiveDate, &'static str)> {
        workdays::holidays_between(self.submitted_on, self.due_on, CALENDAR)
    }

    /// The exclusion criteria the provider appealed to the escape on.
    pub fn escapes(&self) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Review && self.answers.escapes.contains_key(&f.key))
            .collect()
    }
}

fn policy(set: &PolicySet) -> Result<&Policy, AppError> {
    crate::policies::find(set, POLICY)
}

fn number_label(id: &str) -> String {
    id.trim_start_matches('q').to_string()
}

/// The questions of a procedure: the module's conditions asked here, then the questionnaire
/// (numbers where [`spec::NUMERIC`] says so).
pub fn questions(set: &PolicySet, procedure: Procedure) -> Result<Vec<Question>, AppError> {
    let policy = policy(set)?;
    let module = policy.module(procedure.module()).ok_or_else(|| {
        AppError::BadRecord(format!(
            "het beleid heeft geen module {}",
            procedure.module()
        ))
    })?;
    let mut out = Vec::new();
    for id in procedure.asked_conditions() {
        let c = module
            .conditions
            .iter()
            .find(|c| c.id == *id)
            .ok_or_else(|| {
                AppError::BadRecord(format!("module {}: geen voorwaarde {id}", module.id))
            })?;
        out.push(Question {
            key: format!("c.{id}"),
            number: String::new(),
            text: c.text.clone(),
            ask: match c.on_fail {
                OnFail::NotEligible => Ask::KnockOut,
                OnFail::Review => Ask::Review,
            },
            source: c.source.clone(),
        });
    }
    if let Some(qid) = procedure.questionnaire() {
        let q = policy.questionnaire(qid).ok_or_else(|| {
            AppError::BadRecord(format!("het beleid heeft geen vragenlijst {qid}"))
        })?;
        for question in &q.questions {
            let numeric = (procedure == Procedure::Existing)
                .then(|| spec::NUMERIC.iter().find(|n| n.question == question.id))
                .flatten();
            let ask = match (numeric, question.kind) {
                (Some(n), _) => {
                    let p = policy.parameter(n.parameter).ok_or_else(|| {
                        AppError::BadRecord(format!(
                            "het beleid heeft geen parameter {}",
                            n.parameter
                        ))
                    })?;
                    let limit = CalcContext::new(policy, policy.file.policy.period_start)
                        .param(n.parameter)
                        .map_err(|error| AppError::Calc {
                            name: n.parameter.into(),
                            error,
                        })?;
                    Ask::Number(NumberAsk {
                        label: n.label.into(),
                        unit: n.unit.into(),
                        parameter: n.parameter.into(),
                        limit,
                        at_least: n.at_least,
                        parameter_source: p.source.clone(),
                    })
                }
                (None, QuestionKind::KnockOut) => Ask::KnockOut,
                (None, QuestionKind::Exclusion) => Ask::Exclusion {
                    escape: question.escape.clone().unwrap_or_default(),
                },
                (None, QuestionKind::Information) => Ask::Review,
            };
            out.push(Question {
                key: format!("q.{}", question.id),
                number: number_label(&question.id),
                text: question.text.clone(),
                ask,
                source: question.source.clone(),
            });
        }
    }
    Ok(out)
}

/// The special care forms of bijlage 2 with their conditions (existing providers).
pub fn special_forms(set: &PolicySet) -> Result<Vec<SpecialForm>, AppError> {
    let policy = policy(set)?;
    Ok(policy
        .file
        .modules
        .iter()
        .filter(|m| m.source.section == spec::SPECIAL_FORMS_SECTION)
        .map(|m| SpecialForm {
            module: m.id.clone(),
            name: m.name.clone(),
            source: m.source.clone(),
            questions: m
                .conditions
                .iter()
                .filter(|c| !spec::SPECIAL_FORMS_SKIP.contains(&c.id.as_str()))
                .map(|c| Question {
                    key: format!("f.{}.{}", m.id, c.id),
                    number: String::new(),
                    text: c.text.clone(),
                    ask: Ask::Review,
                    source: c.source.clone(),
                })
                .collect(),
        })
        .collect())
}

/// The window of a procedure: first and last day, and its passage.
pub fn window(
    set: &PolicySet,
    procedure: Procedure,
) -> Result<(NaiveDate, NaiveDate, Source), AppError> {
    let policy = policy(set)?;
    let m = policy
        .file
        .timeline
        .iter()
        .find(|m| m.id == procedure.window())
        .ok_or_else(|| {
            AppError::BadRecord(format!(
                "het beleid heeft geen termijn {}",
                procedure.window()
            ))
        })?;
    Ok((m.date, m.until.unwrap_or(m.date), m.source.clone()))
}

/// Whether the procedure's window is open on `today`.
pub fn is_open(set: &PolicySet, procedure: Procedure, today: NaiveDate) -> Result<bool, AppError> {
    let (from, to, _) = window(set, procedure)?;
    Ok(from <= today && today <= to)
}

/// The processing term in working days and its due date for a submission on `on`.
pub fn due_date(set: &PolicySet, on: NaiveDate) -> Result<(u32, NaiveDate), AppError> {
    let policy = policy(set)?;
    let n = CalcContext::new(policy, policy.file.policy.period_start)
        .param("application.processing-working-days")
        .map_err(|error| AppError::Calc {
            name: "application.processing-working-days".into(),
            error,
        })?;
    let n: u32 = n
        .try_into()
        .map_err(|_| AppError::BadRecord(format!("verwerkingstermijn {n} is geen aantal dagen")))?;
    Ok((n, workdays::add_working_days(on, n, CALENDAR)))
}

fn param_source(policy: &Policy, id: &str) -> Source {
    policy
        .parameter(id)
        .map(|p| p.source.clone())
        .unwrap_or_else(|| spec::BASISBUDGET.source())
}

fn param(policy: &Policy, id: &str) -> Result<Decimal, AppError> {
    CalcContext::new(policy, policy.file.policy.period_start)
        .param(id)
        .map_err(|error| AppError::Calc {
            name: id.into(),
            error,
        })
}

/// Euro in Dutch notation.
pub fn euro(d: Decimal) -> String {
    format!("€ {}", zorginkoop_policy::dutch::number(d, 2))
}

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

/// The figures from the insurer's claims: the provider's district-nursing statement of 2021
/// (the current run), when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClaimFigures {
    pub statement_id: Option<i64>,
    pub reference_revenue: Option<Decimal>,
    pub basisbudget: Option<Decimal>,
    pub clients: Option<u64>,
    pub postcode_areas: Option<u64>,
}

/// The claims figures of organisation `org` as the actor may see them.
pub fn claim_figures(db: &Db, actor: &Actor, org: &Organisation) -> Result<ClaimFigures, AppError> {
    let Some(agb) = &org.agb else {
        return Ok(ClaimFigures::default());
    };
    let Some(summary) = crate::settlement::statements(db, actor, None)?
        .into_iter()
        .find(|s| {
            &s.provider_agb == agb
                && s.run.domain == crate::settlement::DOMAIN_NURSING
                && s.run.year == 2021
        })
    else {
        return Ok(ClaimFigures::default());
    };
    let detail = crate::settlement::statement(db, actor, summary.id)?;
    let f = |step: &str| crate::settlement::figure(&detail.statement, step);
    let count = |step: &str| f(step).and_then(|d| u64::try_from(d).ok());
    Ok(ClaimFigures {
        statement_id: Some(summary.id),
        reference_revenue: f("reference_revenue"),
        basisbudget: f("basisbudget"),
        clients: count("ratio_clients"),
        postcode_areas: count("ratio_postcodes"),
    })
}

fn answer<'a>(a: &'a Answers, key: &str) -> Option<&'a str> {
    a.answers.get(key).map(String::as_str)
}

/// Checks that every question of the procedure is answered, and the figures it needs are
/// there; the problem names the field.
pub fn validate(
    set: &PolicySet,
    procedure: Procedure,
    a: &Answers,
    claims: &ClaimFigures,
) -> Result<(), AppError> {
    for q in questions(set, procedure)? {
        let field = if q.number.is_empty() {
            q.text.clone()
        } else {
            format!("vraag {}", q.number)
        };
        match &q.ask {
            Ask::Number(n) => {
                let Some(v) = a.numbers.get(&q.key) else {
                    return Err(invalid(
                        format!("{field} ({})", n.label),
                        "vul een getal in",
                    ));
                };
                if *v < Decimal::ZERO {
                    return Err(invalid(
                        format!("{field} ({})", n.label),
                        "het getal kan niet negatief zijn",
                    ));
                }
            }
            Ask::Exclusion { .. } => match answer(a, &q.key) {
                Some("ja" | "nee") => {}
                _ => return Err(invalid(field, "kies ‘nee’ of ‘ja’")),
            },
            _ => match answer(a, &q.key) {
                Some("ja" | "nee") => {}
                _ => return Err(invalid(field, "kies ‘ja’ of ‘nee’")),
            },
        }
    }
    if procedure == Procedure::Existing {
        let forms = special_forms(set)?;
        for chosen in &a.forms {
            let Some(form) = forms.iter().find(|f| &f.module == chosen) else {
                return Err(invalid(
                    "bijzondere zorgvormen",
                    format!("onbekende zorgvorm {chosen}"),
                ));
            };
            for q in &form.questions {
                match answer(a, &q.key) {
                    Some("ja" | "nee") => {}
                    _ => {
                        return Err(invalid(
                            format!("{}: {}", form.name, q.text),
                            "kies ‘ja’ of ‘nee’",
                        ));
                    }
                }
            }
        }
    }
    let f = &a.figures;
    let positive = |field: &str, v: Option<Decimal>| -> Result<Decimal, AppError> {
        match v {
            None => Err(invalid(field, "vul een bedrag in")),
            Some(v) if v < Decimal::ZERO => {
                Err(invalid(field, "het bedrag kan niet negatief zijn"))
            }
            Some(v) => Ok(v),
        }
    };
    match procedure {
        Procedure::Existing => {
            if claims.reference_revenue.is_none() {
                positive("omzet referentieperiode", f.reference_revenue)?;
            }
        }
        Procedure::New => {
            positive("omzet Zvw-wijkverpleging 2019", f.revenue_2019)?;
            positive("gevraagd budget 2021", f.requested_budget)?;
            if claims.clients.is_none() {
                let clients = f.clients.ok_or_else(|| {
                    invalid("aantal klanten in het kernwerkgebied", "vul een aantal in")
                })?;
                let areas = f.postcode_areas.ok_or_else(|| {
                    invalid("aantal 4-cijferige postcodegebieden", "vul een aantal in")
                })?;
                if areas > clients {
                    return Err(invalid(
                        "aantal 4-cijferige postcodegebieden",
                        "er kunnen niet meer postcodegebieden dan klanten zijn: elk gebied telt minstens één klant",
                    ));
                }
            }
        }
        Procedure::Neighbourhood => {
            if f.municipality
                .as_deref()
                .is_none_or(|m| m.trim().is_empty())
            {
                return Err(invalid("gemeente", "vul de gemeente in"));
            }
            if f.inhabitants_65_plus.is_none() {
                return Err(invalid(
                    "inwoners van 65 jaar en ouder",
                    "vul een aantal in",
                ));
            }
        }
        Procedure::Availability => {
            positive(
                "bedrag regionale beschikbaarheidsfunctie 2021",
                f.requested_budget,
            )?;
        }
    }
    Ok(())
}

/// The assessment of a submission: every answer that refuses or goes to review, cited. Pure.
pub fn assess(
    set: &PolicySet,
    procedure: Procedure,
    a: &Answers,
    claims: &ClaimFigures,
) -> Result<Vec<Finding>, AppError> {
    let policy = policy(set)?;
    let mut out = Vec::new();
    let mut push = |key: &str, severity, text: String, source: Source| {
        out.push(Finding {
            key: key.into(),
            severity,
            text,
            source,
        })
    };
    let mut all = questions(set, procedure)?;
    if procedure == Procedure::Existing {
        for form in special_forms(set)? {
            if a.forms.contains(&form.module) {
                all.extend(form.questions.into_iter().map(|mut q| {
                    q.text = format!("{}: {}", form.name, q.text);
                    q
                }));
            }
        }
    }
    for q in &all {
        let name = if q.number.is_empty() {
            q.text.clone()
        } else {
            format!("Vraag {}: {}", q.number, q.text)
        };
        match &q.ask {
            Ask::KnockOut if answer(a, &q.key) == Some("nee") => push(
                &q.key,
                Severity::Refuse,
                format!("{name} Beantwoord met ‘nee’; dit is een voorwaarde voor de overeenkomst."),
                q.source.clone(),
            ),
            Ask::Review if answer(a, &q.key) == Some("nee") => push(
                &q.key,
                Severity::Review,
                format!("{name} Beantwoord met ‘nee’: de zorginkoper beoordeelt dit individueel."),
                q.source.clone(),
            ),
            Ask::Exclusion { escape } if answer(a, &q.key) == Some("ja") => {
                match a.escapes.get(&q.key).filter(|s| !s.trim().is_empty()) {
                    Some(appeal) => push(
                        &q.key,
                        Severity::Review,
                        format!(
                            "{name} Het uitsluitingscriterium is van toepassing; de zorgaanbieder doet een beroep op ‘{escape}’: {appeal}"
                        ),
                        q.source.clone(),
                    ),
                    None => push(
                        &q.key,
                        Severity::Refuse,
                        format!(
                            "{name} Het uitsluitingscriterium is van toepassing (‘ja’), zonder beroep op de uitzondering."
                        ),
                        q.source.clone(),
                    ),
                }
            }
            Ask::Number(n) => {
                if let Some(v) = a.numbers.get(&q.key) {
                    let meets = if n.at_least {
                        *v >= n.limit
                    } else {
                        *v <= n.limit
                    };
                    if !meets {
                        push(
                            &q.key,
                            Severity::Review,
                            format!(
                                "{}: {} {}; het beleid vraagt {} {} {}: de zorginkoper beoordeelt dit individueel.",
                                n.label,
                                zorginkoop_policy::dutch::number(*v, 0),
                                n.unit,
                                if n.at_least { "minimaal" } else { "hoogstens" },
                                zorginkoop_policy::dutch::number(n.limit, 0),
                                n.unit
                            ),
                            n.parameter_source.clone(),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    if procedure == Procedure::New {
        let min = param(policy, "new-provider.min-revenue-2019")?;
        if let Some(rev) = a.figures.revenue_2019
            && rev < min
        {
            push(
                "figures.revenue_2019",
                Severity::Refuse,
                format!(
                    "De omzet Zvw-wijkverpleging 2019 van {} is lager dan de omzetgrens voor nieuwe zorgaanbieders van {}.",
                    euro(rev),
                    euro(min)
                ),
                param_source(policy, "new-provider.min-revenue-2019"),
            );
        }
        let (clients, areas, basis) = match (claims.clients, claims.postcode_areas) {
            (Some(c), Some(p)) => (c, p, Basis::Claims),
            _ => (
                a.figures.clients.unwrap_or(0),
                a.figures.postcode_areas.unwrap_or(0),
                Basis::Entered,
            ),
        };
        let r = client_postcode_ratio(
            &CalcContext::new(policy, policy.file.policy.period_start),
            ClientPostcodeInput {
                clients,
                postcode_areas: areas,
            },
        )
        .map_err(|error| AppError::Calc {
            name: "client-postcode-ratio".into(),
            error,
        })?;
        let min_ratio = param(policy, "client-postcode-ratio.minimum")?;
        let text = format!(
            "Klant-werkgebied-ratio {} ({} klanten in {} postcodegebieden, {}); minimaal {}{}.",
            zorginkoop_policy::dutch::number(r.ratio, 2),
            clients,
            areas,
            basis.label(),
            zorginkoop_policy::dutch::number(min_ratio, 0),
            if r.exempt {
                "; de ratio geldt niet bij 1 klant in het kernwerkgebied"
            } else {
                ""
            }
        );
        push(
            "figures.ratio",
            if r.meets_minimum {
                Severity::Note
            } else {
                Severity::Refuse
            },
            text,
            param_source(policy, "client-postcode-ratio.minimum"),
        );
    }
    Ok(out)
}

fn round_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn category_label(id: &str) -> &'static str {
    match id {
        "regular" => "reguliere zorgaanbieder",
        "small" => "kleine zorgaanbieder",
        "new" => "nieuwe zorgaanbieder",
        _ => "onbekende categorie",
    }
}

fn table2(policy: &Policy, category: &str) -> (Vec<Table2Term>, Option<Source>) {
    let Some(t) = policy.table("overproduction") else {
        return (Vec::new(), None);
    };
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let pct = |s: String| match s.parse::<Decimal>() {
        Ok(d) => format!(
            "{}%",
            zorginkoop_policy::dutch::number(d * Decimal::from(100), 0)
        ),
        Err(_) if s == "unlimited" => "vrij volume".to_string(),
        Err(_) => s,
    };
    let rows = t
        .rows
        .iter()
        .filter(|r| text(r.get("category")) == category)
        .map(|r| Table2Term {
            group: match text(r.get("efficiency_group")).as_str() {
                "-" => category_label(category).to_string(),
                g => format!("doelmatigheidsgroep {g}"),
            },
            paid: format!("{} van het tarief", pct(text(r.get("paid_ratio")))),
            max_volume: match pct(text(r.get("max_overproduction_ratio"))) {
                v if v == "vrij volume" => v,
                v => format!("{v} volume van het basisbudget"),
            },
        })
        .collect();
    (rows, Some(t.source.clone()))
}

/// The budget proposal of an application. Pure over the answers and the claims figures.
pub fn budget(
    set: &PolicySet,
    procedure: Procedure,
    a: &Answers,
    claims: &ClaimFigures,
) -> Result<Budget, AppError> {
    let policy = policy(set)?;
    let ctx = CalcContext::new(policy, policy.file.policy.period_start);
    let calc = |name: &str| {
        let name = name.to_string();
        move |error| AppError::Calc { name, error }
    };
    let mut lines = Vec::new();
    let f = &a.figures;
    let (category, budget) = match procedure {
        Procedure::Existing => {
            let (revenue, basis) = match claims.reference_revenue {
                Some(r) => (r, Basis::Claims),
                None => (
                    f.reference_revenue
                        .ok_or_else(|| invalid("omzet referentieperiode", "ontbreekt"))?,
                    Basis::Entered,
                ),
            };
            lines.push(BudgetLine {
                step: "reference_revenue".into(),
                label: "Omzet referentieperiode 1 maart 2019 t/m 29 februari 2020".into(),
                value: euro(revenue),
                amount: Some(revenue),
                how: match basis {
                    Basis::Claims => "de goedgekeurde declaraties met een begindatum in de referentieperiode, zoals de afrekening ze telt".into(),
                    _ => "opgegeven door de zorgaanbieder: Zilveren Kruis heeft geen declaraties van deze zorgaanbieder over de referentieperiode".into(),
                },
                basis,
                source: spec::REFERENCE_PERIOD.source(),
            });
            let cat = provider_category(
                &ctx,
                ProviderCategoryInput {
                    had_contract_2020: true,
                    revenue: Some(revenue),
                },
            )
            .map_err(calc("provider-category"))?;
            let threshold = param(policy, "category.small-threshold")?;
            lines.push(BudgetLine {
                step: "category".into(),
                label: "Categorie (tabel 1)".into(),
                value: category_label(&cat.category).into(),
                amount: None,
                how: format!(
                    "omzet {} {} de grens van {}",
                    euro(revenue),
                    if revenue < threshold {
                        "ligt onder"
                    } else {
                        "is gelijk aan of hoger dan"
                    },
                    euro(threshold)
                ),
                basis: Basis::Computed,
                source: param_source(policy, "category.small-threshold"),
            });
            let budget = match claims.basisbudget.filter(|_| basis == Basis::Claims) {
                Some(b) => {
                    lines.push(BudgetLine {
                        step: "basisbudget".into(),
                        label: "Basisbudget 2021".into(),
                        value: euro(b),
                        amount: Some(b),
                        how: "zoals de afrekening het vaststelt: volume referentieperiode × tarief 2021 (OVA-indexering, afslag van de doelmatigheidsgroep)".into(),
                        basis: Basis::Claims,
                        source: spec::BASISBUDGET.source(),
                    });
                    b
                }
                None => {
                    let ova = param(policy, "tariff.ova-index")?;
                    let b = round_cents(
                        revenue
                            .checked_mul(Decimal::ONE + ova)
                            .ok_or_else(|| invalid("omzet referentieperiode", "te groot"))?,
                    );
                    lines.push(BudgetLine {
                        step: "basisbudget".into(),
                        label: "Basisbudget 2021".into(),
                        value: euro(b),
                        amount: Some(b),
                        how: format!(
                            "omzet referentieperiode × (1 + OVA-indexering {}) = {} × {}; een afslag van doelmatigheidsgroep 1-3 volgt uit het doelmatigheidsmodel bij de afrekening",
                            zorginkoop_policy::dutch::number(ova * Decimal::from(100), 1) + "%",
                            euro(revenue),
                            zorginkoop_policy::dutch::number(Decimal::ONE + ova, 2)
                        ),
                        basis: Basis::Computed,
                        source: param_source(policy, "tariff.ova-index"),
                    });
                    b
                }
            };
            (Some(cat.category), budget)
        }
        Procedure::New => {
            let asked = f
                .requested_budget
                .ok_or_else(|| invalid("gevraagd budget 2021", "ontbreekt"))?;
            let cap = param(policy, "new-provider.max-budget")?;
            lines.push(BudgetLine {
                step: "requested_budget".into(),
                label: "Gevraagd budget 2021".into(),
                value: euro(asked),
                amount: Some(asked),
                how: "opgegeven door de zorgaanbieder op basis van de ingestuurde plannen".into(),
                basis: Basis::Entered,
                source: param_source(policy, "new-provider.max-budget"),
            });
            let b = asked.min(cap);
            lines.push(BudgetLine {
                step: "basisbudget".into(),
                label: "Budget 2021 (nieuwe zorgaanbieder)".into(),
                value: euro(b),
                amount: Some(b),
                how: format!(
                    "het laagste van het gevraagde budget en het maximum van {}",
                    euro(cap)
                ),
                basis: Basis::Computed,
                source: param_source(policy, "new-provider.max-budget"),
            });
            (Some("new".to_string()), b)
        }
        Procedure::Neighbourhood => {
            let n = f
                .inhabitants_65_plus
                .ok_or_else(|| invalid("inwoners van 65 jaar en ouder", "ontbreekt"))?;
            let out = neighbourhood_budget(
                &ctx,
                NeighbourhoodInput {
                    inhabitants_65_plus: n,
                },
            )
            .map_err(calc("neighbourhood-budget"))?;
            lines.push(BudgetLine {
                step: "neighbourhood_budget".into(),
                label: format!(
                    "Budget Wijkgericht Werken {}",
                    f.municipality.clone().unwrap_or_default()
                ),
                value: euro(out.budget),
                amount: Some(out.budget),
                how: format!(
                    "{n} inwoners van 65 jaar en ouder (opgegeven) × {} per inwoner",
                    euro(out.amount_per_65_plus)
                ),
                basis: Basis::Computed,
                source: param_source(policy, "neighbourhood.amount-per-65-plus"),
            });
            (None, out.budget)
        }
        Procedure::Availability => {
            let b = f.requested_budget.ok_or_else(|| {
                invalid("bedrag regionale beschikbaarheidsfunctie 2021", "ontbreekt")
            })?;
            let module = policy.module("regional-availability-function");
            lines.push(BudgetLine {
                step: "availability_budget".into(),
                label: "Bedrag regionale beschikbaarheidsfunctie 2021".into(),
                value: euro(b),
                amount: Some(b),
                how: "de afspraak uit 2020, voortgezet voor het marktaandeel van Zilveren Kruis (opgegeven door de zorgaanbieder)".into(),
                basis: Basis::Entered,
                source: module
                    .map(|m| m.source.clone())
                    .unwrap_or_else(|| spec::BASISBUDGET.source()),
            });
            (None, b)
        }
    };
    let (table2, table2_source) = match &category {
        Some(c) => table2(policy, c),
        None => (Vec::new(), None),
    };
    Ok(Budget {
        category_label: category.as_deref().map(|c| category_label(c).to_string()),
        category,
        budget,
        lines,
        table2,
        table2_source,
        statement_id: claims.statement_id,
    })
}

const SELECT: &str = "SELECT a.id, a.organisation_id, o.name AS organisation_name, o.agb AS organisation_agb,
        a.kind, a.state, a.answers_json, a.findings_json, su.name AS submitted_by_name, a.submitted_on,
        a.due_on, du.name AS decided_by_name, a.decided_on, a.reason, a.escapes_granted_json,
        a.budget_json, gu.name AS signed_by_name, a.signed_on
   FROM nursing_applications a
   JOIN organisations o ON o.id = a.organisation_id
   JOIN users su ON su.id = a.submitted_by
   LEFT JOIN users du ON du.id = a.decided_by
   LEFT JOIN users gu ON gu.id = a.signed_by";

fn date(s: &str, what: &str) -> Result<NaiveDate, AppError> {
    s.parse()
        .map_err(|_| AppError::BadRecord(format!("{what}: geen datum {s:?}")))
}

fn json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, AppError> {
    serde_json::from_str(s).map_err(|e| AppError::BadRecord(format!("{what}: {e}")))
}

fn from_row(r: &Row) -> Result<Application, AppError> {
    let kind = r.text("kind")?;
    let state = r.text("state")?;
    Ok(Application {
        id: r.int("id")?,
        organisation_id: r.int("organisation_id")?,
        organisation_name: r.text("organisation_name")?,
        organisation_agb: r.opt_text("organisation_agb")?,
        procedure: Procedure::parse(&kind).ok_or_else(|| {
            AppError::BadRecord(format!("aanvraag wijkverpleging: soort {kind:?}"))
        })?,
        state: State::parse(&state).ok_or_else(|| {
            AppError::BadRecord(format!("aanvraag wijkverpleging: status {state:?}"))
        })?,
        answers: json(&r.text("answers_json")?, "antwoorden")?,
        findings: json(&r.text("findings_json")?, "beoordeling")?,
        submitted_by: r.text("submitted_by_name")?,
        submitted_on: date(&r.text("submitted_on")?, "ingediend op")?,
        due_on: date(&r.text("due_on")?, "uiterlijk")?,
        decided_by: r.opt_text("decided_by_name")?,
        decided_on: r
            .opt_text("decided_on")?
            .map(|s| date(&s, "besloten op"))
            .transpose()?,
        reason: r.opt_text("reason")?,
        escapes_granted: match r.opt_text("escapes_granted_json")? {
            Some(s) => json(&s, "uitzonderingen")?,
            None => Vec::new(),
        },
        budget: r
            .opt_text("budget_json")?
            .map(|s| json(&s, "budget"))
            .transpose()?,
        signed_by: r.opt_text("signed_by_name")?,
        signed_on: r
            .opt_text("signed_on")?
            .map(|s| date(&s, "getekend op"))
            .transpose()?,
    })
}

fn get_in(tx: &mut Tx<'_>, id: i64) -> Result<Option<Application>, AppError> {
    tx.query_one(&format!("{SELECT} WHERE a.id = ?"), args![id])?
        .map(|r| from_row(&r))
        .transpose()
}

/// An application, when the actor may see it (another organisation's does not exist for it).
pub fn get(db: &Db, actor: &Actor, id: i64) -> Result<Application, AppError> {
    let what = || format!("aanvraag wijkverpleging {id}");
    let a = db
        .read(|tx| get_in(tx, id))?
        .ok_or_else(|| AppError::NotFound(what()))?;
    actor.check_sees(a.organisation_id, &what())?;
    Ok(a)
}

/// The applications of an organisation, newest first.
pub fn list_for(
    db: &Db,
    actor: &Actor,
    organisation_id: i64,
) -> Result<Vec<Application>, AppError> {
    actor.check_sees(organisation_id, "aanvragen wijkverpleging")?;
    db.read(|tx| {
        tx.query(
            &format!("{SELECT} WHERE a.organisation_id = ? ORDER BY a.id DESC"),
            args![organisation_id],
        )?
        .iter()
        .map(from_row)
        .collect()
    })
}

/// The purchaser's queue: every application (of `state` when given), the earliest due first.
pub fn queue(db: &Db, actor: &Actor, state: Option<State>) -> Result<Vec<Application>, AppError> {
    actor.require(
        &[Role::Purchaser, Role::Auditor, Role::Admin],
        "de aanvragen wijkverpleging bekijken",
    )?;
    db.read(|tx| {
        let rows = match state {
            Some(s) => tx.query(
                &format!("{SELECT} WHERE a.state = ? ORDER BY a.due_on, a.id"),
                args![s.as_str()],
            )?,
            None => tx.query(&format!("{SELECT} ORDER BY a.due_on, a.id"), args![])?,
        };
        rows.iter().map(from_row).collect()
    })
}

fn require_nursing(actor: &Actor, org: &Organisation, action: &str) -> Result<(), AppError> {
    if org.kind != "district-nursing" {
        return Err(AppError::Forbidden(format!(
            "{action} kan alleen een aanbieder van wijkverpleging; {} is een {}",
            org.name, org.kind
        )));
    }
    let _ = actor;
    Ok(())
}

/// The provider submits an application: checked for completeness, inside the procedure's
/// window, assessed; refused at once when a knock-out fails, else in the purchaser's queue with
/// its processing term.
pub fn submit(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    procedure: Procedure,
    answers: Answers,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    actor.require(
        &[Role::ProviderUser, Role::ProviderSigner],
        "een aanvraag wijkverpleging indienen",
    )?;
    let org = accounts::organisation(db, actor, actor.organisation_id)?;
    require_nursing(actor, &org, "een aanvraag wijkverpleging indienen")?;
    let (from, to, _) = window(set, procedure)?;
    if !(from <= today && today <= to) {
        return Err(AppError::Conflict(format!(
            "de aanvraagperiode voor de {} is gesloten: aanvragen kan van {} tot en met {}",
            procedure.label().to_lowercase(),
            from.format("%d-%m-%Y"),
            to.format("%d-%m-%Y")
        )));
    }
    let claims = claim_figures(db, actor, &org)?;
    validate(set, procedure, &answers, &claims)?;
    let findings = assess(set, procedure, &answers, &claims)?;
    let (_, due) = due_date(set, today)?;
    let refusals: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Refuse)
        .collect();
    let state = if refusals.is_empty() {
        State::Submitted
    } else {
        State::Refused
    };
    let reason = (!refusals.is_empty()).then(|| {
        refusals
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let answers_json =
        serde_json::to_string(&answers).map_err(|e| AppError::BadRecord(e.to_string()))?;
    let findings_json =
        serde_json::to_string(&findings).map_err(|e| AppError::BadRecord(e.to_string()))?;
    let id = db.write(|tx| {
        if let Some(r) = tx.query_one(
            "SELECT id FROM nursing_applications WHERE organisation_id = ? AND kind = ? AND state <> 'refused'",
            args![org.id, procedure.as_str()],
        )? {
            return Err(AppError::Conflict(format!(
                "u heeft al een aanvraag voor de {} (aanvraag {})",
                procedure.label().to_lowercase(),
                r.int("id")?
            )));
        }
        let ts = now.to_rfc3339();
        let today_s = today.to_string();
        let id = tx.insert(
            "INSERT INTO nursing_applications (organisation_id, policy_id, kind, state, answers_json, findings_json,
                 submitted_by, submitted_at, submitted_on, due_on, decided_at, decided_on, reason)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            args![
                org.id,
                POLICY,
                procedure.as_str(),
                state.as_str(),
                &answers_json,
                &findings_json,
                actor.user_id,
                &ts,
                &today_s,
                due.to_string(),
                (state == State::Refused).then(|| ts.clone()),
                (state == State::Refused).then(|| today_s.clone()),
                reason.clone()
            ],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "aanvraag wijkverpleging ingediend", "nursing_application", Some(id), now)
                .change(
                    None,
                    Some(serde_json::json!({
                        "kind": procedure.as_str(),
                        "state": state.as_str(),
                        "due_on": due.to_string(),
                        "reason": reason,
                    })),
                ),
        )?;
        Ok::<_, AppError>(id)
    })?;
    get(db, actor, id)
}

/// The purchaser's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// Grant, with the exclusion criteria whose escape is granted (every appeal must be).
    Grant {
        escapes_granted: Vec<String>,
    },
    Refuse {
        reason: String,
    },
}

/// The budget proposal of an application as it would be made now (the purchaser's decision
/// page; the provider's page while it waits).
pub fn proposal_preview(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    app: &Application,
) -> Result<Budget, AppError> {
    let org = accounts::organisation(db, actor, app.organisation_id)?;
    let claims = claim_figures(db, actor, &org)?;
    budget(set, app.procedure, &app.answers, &claims)
}

/// The purchaser grants (with the budget proposal) or refuses a submitted application.
pub fn review(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    decision: Review,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    actor.require(&[Role::Purchaser], "een aanvraag wijkverpleging beoordelen")?;
    let app = get(db, actor, id)?;
    if app.state != State::Submitted {
        return Err(AppError::Conflict(format!(
            "aanvraag {id} is {} en kan niet meer worden beoordeeld",
            app.state.label()
        )));
    }
    let (state, reason, escapes, budget) = match decision {
        Review::Refuse { reason } => {
            if reason.trim().is_empty() {
                return Err(invalid("reden", "geef de reden van de afwijzing"));
            }
            (
                State::Refused,
                Some(reason.trim().to_string()),
                Vec::new(),
                None,
            )
        }
        Review::Grant { escapes_granted } => {
            let missing: Vec<String> = app
                .escapes()
                .iter()
                .filter(|f| !escapes_granted.contains(&f.key))
                .map(|f| f.key.trim_start_matches("q.").to_string())
                .collect();
            if !missing.is_empty() {
                return Err(invalid(
                    "uitsluitingscriteria",
                    format!(
                        "de zorgaanbieder doet een beroep op de uitzondering bij {}; ken die toe (disproportioneel) of wijs de aanvraag af",
                        missing.join(", ")
                    ),
                ));
            }
            let b = proposal_preview(db, set, actor, &app)?;
            (State::Proposed, None, escapes_granted, Some(b))
        }
    };
    let budget_json = budget
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| AppError::BadRecord(e.to_string()))?;
    let escapes_json =
        serde_json::to_string(&escapes).map_err(|e| AppError::BadRecord(e.to_string()))?;
    db.write(|tx| {
        let n = tx.execute(
            "UPDATE nursing_applications
                SET state = ?, decided_by = ?, decided_at = ?, decided_on = ?, reason = ?,
                    escapes_granted_json = ?, budget_json = ?
              WHERE id = ? AND state = 'submitted'",
            args![
                state.as_str(),
                actor.user_id,
                now.to_rfc3339(),
                today.to_string(),
                reason.clone(),
                &escapes_json,
                budget_json.clone(),
                id
            ],
        )?;
        if n != 1 {
            return Err(AppError::Conflict(format!(
                "aanvraag {id} is intussen al beoordeeld"
            )));
        }
        audit::append(
            tx,
            &AuditEntry::new(
                actor,
                if state == State::Refused {
                    "aanvraag wijkverpleging afgewezen"
                } else {
                    "aanvraag wijkverpleging toegekend met voorstel"
                },
                "nursing_application",
                Some(id),
                now,
            )
            .about(app.organisation_id)
            .change(
                Some(serde_json::json!({"state": "submitted"})),
                Some(serde_json::json!({
                    "state": state.as_str(),
                    "reason": reason,
                    "escapes_granted": escapes,
                    "budget": budget.as_ref().map(|b| b.budget.to_string()),
                    "category": budget.as_ref().and_then(|b| b.category.clone()),
                })),
            ),
        )?;
        Ok::<_, AppError>(())
    })?;
    get(db, actor, id)
}

/// The provider's signer signs the proposal.
pub fn sign(
    db: &Db,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    let app = get(db, actor, id)?;
    actor.require(
        &[Role::ProviderSigner],
        "een overeenkomst wijkverpleging tekenen",
    )?;
    if actor.organisation_id != app.organisation_id {
        return Err(AppError::NotFound(format!("aanvraag wijkverpleging {id}")));
    }
    if app.state != State::Proposed {
        return Err(AppError::Conflict(format!(
            "aanvraag {id} is {}; alleen een voorstel kan worden getekend",
            app.state.label()
        )));
    }
    let budget_sha = accounts::sha256_hex(
        &serde_json::to_string(&app.budget).map_err(|e| AppError::BadRecord(e.to_string()))?,
    );
    db.write(|tx| {
        let n = tx.execute(
            "UPDATE nursing_applications SET state = 'signed', signed_by = ?, signed_at = ?, signed_on = ?
              WHERE id = ? AND state = 'proposed'",
            args![actor.user_id, now.to_rfc3339(), today.to_string(), id],
        )?;
        if n != 1 {
            return Err(AppError::Conflict(format!("aanvraag {id} is intussen gewijzigd")));
        }
        audit::append(
            tx,
            &AuditEntry::new(actor, "overeenkomst wijkverpleging getekend", "nursing_application", Some(id), now)
                .change(
                    Some(serde_json::json!({"state": "proposed"})),
                    Some(serde_json::json!({"state": "signed", "budget_sha256": budget_sha})),
                ),
        )?;
        Ok::<_, AppError>(())
    })?;
    get(db, actor, id)
}
