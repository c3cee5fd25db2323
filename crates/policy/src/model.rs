//! The typed policy model: what one policy file holds.
//!
//! A policy file (`policies/*.toml`) is the machine-readable form of one purchasing policy
//! document ("inkoopbeleid"). Every item that carries a rule also carries a [`Source`]: the
//! document, the section heading and a short verbatim quote, so that a decision can cite the
//! passage it rests on. The file format is TOML; see `policies/README.md` for the authoring guide.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a rule comes from: the document, the section and a short verbatim quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// File name of the policy document, e.g. `001_336eaf566bd5c9f1.txt`.
    pub document: String,
    /// Section heading as printed in the document.
    pub section: String,
    /// A short quote, verbatim from the document (whitespace may differ).
    pub quote: String,
}

/// Top level of a policy file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub policy: PolicyMeta,
    /// Contracting timeline: publication, portal opens, portal closes, ...
    #[serde(default)]
    pub timeline: Vec<Milestone>,
    /// Dated parameters (amounts, ratios, counts) used by conditions and calculators.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Modules, prestaties, contract types and the base contract.
    #[serde(default)]
    pub modules: Vec<Module>,
    /// Questionnaires (e.g. wijkverpleging bijlage 1) referenced by modules.
    #[serde(default)]
    pub questionnaires: Vec<Questionnaire>,
    /// Decision tables (e.g. the overproduction table of wijkverpleging).
    #[serde(default)]
    pub tables: Vec<DecisionTable>,
    /// Rules the claims checker applies to claim lines.
    #[serde(default)]
    pub claim_rules: Vec<ClaimRule>,
    /// Choices made where the document is ambiguous, policy-wide.
    #[serde(default)]
    pub interpretations: Vec<Interpretation>,
    /// Duties of a contracted provider during the contract.
    #[serde(default)]
    pub obligations: Vec<Obligation>,
    /// The facts the rules read: type, unit, range (see [`crate::facts`]).
    #[serde(default)]
    pub facts: Vec<crate::facts::FactDecl>,
}

/// Identification of the policy and its contract period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    /// Stable identifier, e.g. `gp-2022-2023`.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Version of the document, e.g. `2.1`.
    pub version: String,
    /// Care domain, e.g. `huisartsenzorg`, `wijkverpleging`.
    pub domain: String,
    /// The insurer that published the policy.
    pub insurer: String,
    /// The source document's file name.
    pub document: String,
    /// First day of the contract period.
    pub period_start: NaiveDate,
    /// Last day of the contract period (inclusive).
    pub period_end: NaiveDate,
    /// One-paragraph summary for listings.
    #[serde(default)]
    pub summary: String,
    pub source: Source,
}

/// A dated event in the contracting timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: String,
    /// The day of the event (for a window: its first day).
    pub date: NaiveDate,
    /// For windows: the last day (inclusive).
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// What happens, in Dutch as in the document.
    pub label: String,
    /// Who it applies to when not everyone (e.g. `nieuwe-aanbieders`).
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// Unit of a parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Euro amount.
    Eur,
    /// A ratio (15 % is stored as 0.15).
    Ratio,
    /// Hours.
    Hours,
    /// Minutes.
    Minutes,
    /// Weeks.
    Weeks,
    /// Days.
    Days,
    /// A count of patients, inhabitants, ...
    Count,
    /// A plain number without unit.
    Number,
}

/// A parameter with values that change over time ("dated series").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub id: String,
    pub label: String,
    pub unit: Unit,
    /// True when the document leaves the figure to a later publication and the value is an
    /// example, not a published figure.
    #[serde(default)]
    pub example: bool,
    /// The values, each valid from its date until the next one.
    pub values: Vec<DatedValue>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// One value of a dated series.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedValue {
    pub from: NaiveDate,
    pub value: Decimal,
}

/// What sort of thing a module is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModuleKind {
    /// The base contract (e.g. basiszorg) that fee modules build on.
    BaseContract,
    /// A fee module (vergoeding, module of a prestatie).
    Module,
    /// A prestatie (service item) contracted on its own.
    Prestatie,
    /// A kind of contract a provider chooses (e.g. regular versus preferred lab contract).
    ContractType,
    /// A function or arrangement (e.g. regionale beschikbaarheidsfunctie).
    Function,
}

/// Who may contract a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    /// A GP practice (huisartsenpraktijk).
    Practice,
    /// A group practice of GPs (groepspraktijk), where the text names it next to the
    /// huisartsenpraktijk; a module open to `practice` only is not open to it.
    GroupPractice,
    /// A zorggroep (care group of GPs).
    Zorggroep,
    /// A regio-organisatie (O&I).
    RegioOrganisatie,
    /// A first-line diagnostics laboratory.
    Laboratory,
    /// A thrombosis service (trombosedienst).
    ThrombosisService,
    /// A district-nursing organisation.
    DistrictNursing,
    /// A self-employed district nurse.
    SelfEmployedNurse,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 8] = [
        ProviderKind::Practice,
        ProviderKind::GroupPractice,
        ProviderKind::Zorggroep,
        ProviderKind::RegioOrganisatie,
        ProviderKind::Laboratory,
        ProviderKind::ThrombosisService,
        ProviderKind::DistrictNursing,
        ProviderKind::SelfEmployedNurse,
    ];

    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Practice => "practice",
            ProviderKind::GroupPractice => "group-practice",
            ProviderKind::Zorggroep => "zorggroep",
            ProviderKind::RegioOrganisatie => "regio-organisatie",
            ProviderKind::Laboratory => "laboratory",
            ProviderKind::ThrombosisService => "thrombosis-service",
            ProviderKind::DistrictNursing => "district-nursing",
            ProviderKind::SelfEmployedNurse => "self-employed-nurse",
        }
    }

    /// The Dutch term, for people.
    pub fn dutch(self) -> &'static str {
        match self {
            ProviderKind::Practice => "huisartsenpraktijk",
            ProviderKind::GroupPractice => "groepspraktijk",
            ProviderKind::Zorggroep => "zorggroep",
            ProviderKind::RegioOrganisatie => "regio-organisatie",
            ProviderKind::Laboratory => "laboratorium",
            ProviderKind::ThrombosisService => "trombosedienst",
            ProviderKind::DistrictNursing => "wijkverpleging-organisatie",
            ProviderKind::SelfEmployedNurse => "zelfstandig wijkverpleegkundige",
        }
    }
}

/// A module, prestatie, contract type or the base contract.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub id: String,
    pub name: String,
    pub kind: ModuleKind,
    /// Who may contract it.
    pub contracting_levels: Vec<ProviderKind>,
    /// Modules that must be contracted (or granted in the same decision) first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// False for items present in the catalogue that cannot be contracted (yet).
    #[serde(default = "yes")]
    pub contractable: bool,
    /// Why the item cannot be contracted, and when it might be.
    #[serde(default)]
    pub not_contractable_reason: Option<String>,
    /// Vektis prestatie codes claimed under this module, if known.
    #[serde(default)]
    pub prestatie_codes: Vec<String>,
    /// Short description for the catalogue.
    #[serde(default)]
    pub summary: String,
    /// When and how an application may start.
    #[serde(default)]
    pub application: Option<Application>,
    /// How the tariff or budget is determined.
    #[serde(default)]
    pub tariff: Option<TariffMethod>,
    /// Facts computed by calculators before conditions are checked.
    #[serde(default)]
    pub derive: Vec<Derivation>,
    /// Conditions that must hold (voorwaarden, instapvoorwaarden).
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Exclusion criteria: explicit exceptions that override the conditions.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Questionnaires whose questions are conditions and exclusions of this module.
    #[serde(default)]
    pub questionnaires: Vec<String>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

impl Module {
    /// The module's conditions and exclusions as (Dutch kind, id, check), in file order:
    /// conditions first.
    pub fn rules(&self) -> impl Iterator<Item = (&'static str, &String, &Option<CheckSpec>)> {
        self.conditions
            .iter()
            .map(|c| ("voorwaarde", &c.id, &c.check))
            .chain(
                self.exclusions
                    .iter()
                    .map(|x| ("uitsluiting", &x.id, &x.check)),
            )
    }
}

fn yes() -> bool {
    true
}

/// Start-date schedule of a module.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StartDates {
    /// 1 January, 1 April, 1 July, 1 October.
    Quarterly,
    /// 1 January and 1 July.
    HalfYearly,
    /// 1 January only.
    Yearly,
    /// Only the start of the contract period.
    PeriodStart,
    /// The first day of any month.
    Monthly,
}

/// When and how an application for a module may start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub start_dates: StartDates,
    /// The request must be in at least this many weeks before the start date.
    #[serde(default)]
    pub lead_time_weeks: u32,
    /// First day applications are accepted (e.g. portal opens).
    #[serde(default)]
    pub opens: Option<NaiveDate>,
    /// Last day applications are accepted (inclusive).
    #[serde(default)]
    pub closes: Option<NaiveDate>,
    /// What a request after `closes` gets. Without it, a late request is not eligible.
    #[serde(default)]
    pub late: Option<LateApplication>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// The route for a request made after the application window closed (e.g. a new GP who
/// starts a practice after the portal closed, a regioplan handed in after the deadline).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateApplication {
    /// `review`: the purchaser assesses a late request individually; `not-eligible`: refused
    /// (the same as having no late route, but written down as a choice).
    pub on_fail: OnFail,
    /// Start dates for a late request; default the application's own schedule.
    #[serde(default)]
    pub start_dates: Option<StartDates>,
    /// Lead time for a late request; default the application's own.
    #[serde(default)]
    pub lead_time_weeks: Option<u32>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// How the tariff or budget of a module is determined.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffMethod {
    /// What the document says, in short.
    pub description: String,
    /// Parameters that hold the figures (ids in this file).
    #[serde(default)]
    pub parameters: Vec<String>,
    /// Calculator that computes it (a name from `zorginkoop calc --list`).
    #[serde(default)]
    pub calculator: Option<String>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// A fact computed by a calculator from other facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derivation {
    /// Name of the fact that receives the result.
    pub fact: String,
    /// Calculator name.
    pub calculator: String,
    /// Calculator input field → fact name.
    pub inputs: BTreeMap<String, String>,
    /// Field of the calculator's output that becomes the fact.
    pub output: String,
}

/// What a failed condition means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnFail {
    /// Not eligible.
    #[default]
    NotEligible,
    /// The purchaser assesses the case individually.
    Review,
}

/// A condition (voorwaarde) of a module.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: String,
    /// The condition as the document states it (Dutch).
    pub text: String,
    /// The machine check; a condition without a check is a declaration the provider answers
    /// with the fact named by `id` (true = meets it).
    #[serde(default)]
    pub check: Option<CheckSpec>,
    #[serde(default)]
    pub on_fail: OnFail,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// An exclusion criterion (uitsluitingscriterium): when its check holds, the module is not
/// available, whatever the conditions say.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub id: String,
    pub text: String,
    /// When this check is true the exclusion applies. Without a check, the fact named by `id`
    /// is the answer (true = the exclusion applies).
    #[serde(default)]
    pub check: Option<CheckSpec>,
    /// An escape the purchaser may grant (e.g. "tenzij disproportioneel"): the outcome is then
    /// individual review instead of not eligible.
    #[serde(default)]
    pub escape: Option<String>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// A comparison operator in a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "is")]
    Is,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "in")]
    In,
    #[serde(rename = "not-in")]
    NotIn,
    #[serde(rename = "contains")]
    Contains,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Is => "is",
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::In => "in",
            Op::NotIn => "not-in",
            Op::Contains => "contains",
        }
    }
}

/// A check as written in a policy file. Exactly one form is used:
///
/// * `{ fact = "gp_registered", op = "is", value = true }`
/// * `{ fact = "inhabitants", op = ">=", param = "ro.min-inhabitants" }`
/// * `{ fact = "requested_hours", op = "<=", other_fact = "norm_hours" }`
/// * `{ fact = "city", op = "in", value = ["Amsterdam", "Rotterdam"] }`
/// * `{ all = [ ... ] }`, `{ any = [ ... ] }`, `{ not = { ... } }`
/// * `{ contracted = "basiszorg" }`: the provider has (or is granted) that module.
///
/// [`crate::Check`] is the validated form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<Op>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_fact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<CheckSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<CheckSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<CheckSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracted: Option<String>,
}

/// A questionnaire: questions to answer yes and exclusion criteria to answer no.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub id: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub source: Source,
}

/// What a question is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Must be answered yes (a knock-out when answered no).
    KnockOut,
    /// An exclusion criterion: must be answered no.
    Exclusion,
    /// Information only: asked, but the answer does not decide.
    Information,
}

/// One question of a questionnaire. The answer is the fact `<questionnaire id>.<question id>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub kind: QuestionKind,
    /// For exclusions: an escape the purchaser may grant (outcome review).
    #[serde(default)]
    pub escape: Option<String>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// A decision table: typed columns, rows of input cells and output values, and a hit policy.
/// The validated form is [`crate::Table`]; the evaluator lives in `zorginkoop-engine`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTable {
    pub id: String,
    pub title: String,
    /// Input column names.
    pub inputs: Vec<String>,
    /// Output column names.
    pub outputs: Vec<String>,
    /// The type of every input and output column: `text`, `number`, `integer`, `bool`,
    /// `money` or `ratio`.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnType>,
    /// `first` (default): the first matching row; `collect`: every matching row.
    #[serde(default)]
    pub hit: HitPolicy,
    /// Each row maps column name → cell. An input cell is a value (matched by equality), `"-"`
    /// (matches anything) or, in a numeric column, a range: `">= 100000"`, `"< 100000"` or
    /// `"[0, 100000)"`. An output cell is a value; numeric outputs may be `"unlimited"`.
    pub rows: Vec<BTreeMap<String, serde_json::Value>>,
    /// True when the document leaves the figures to a later publication or an agreement and
    /// the rows are example values, not published figures (as `example` of a parameter).
    #[serde(default)]
    pub example: bool,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for the people who read decisions (shown with the
    /// interpretation).
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// The type of a decision-table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnType {
    Text,
    /// An exact decimal.
    Number,
    /// A whole number.
    Integer,
    Bool,
    /// A euro amount.
    Money,
    /// A ratio (15 % is 0.15).
    Ratio,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Number => "number",
            ColumnType::Integer => "integer",
            ColumnType::Bool => "bool",
            ColumnType::Money => "money",
            ColumnType::Ratio => "ratio",
        }
    }

    /// Number, integer, money and ratio columns hold decimals and accept ranges.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ColumnType::Number | ColumnType::Integer | ColumnType::Money | ColumnType::Ratio
        )
    }
}

/// Which rows a decision table returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitPolicy {
    /// The first matching row (in file order).
    #[default]
    First,
    /// Every matching row, in file order.
    Collect,
}

/// A rule the claims checker applies to claim lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRule {
    pub id: String,
    /// The rule as the document states it.
    pub text: String,
    /// The kind of rule, interpreted by the claims checker (e.g. `once-per-year`,
    /// `not-in-care-chain`, `postcode-only`, `min-age`, `revenue-ceiling`).
    pub kind: String,
    /// Module ids or prestatie codes it applies to.
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Kind-specific settings.
    #[serde(default)]
    pub params: BTreeMap<String, serde_json::Value>,
    /// Our stable reason code (e.g. `ZK-SMR-ONCE-YEAR`).
    pub reason_code: String,
    /// The Vektis return code (COD954) reported in the return message.
    pub return_code: String,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch, for people.
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// A choice made where the document is ambiguous.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interpretation {
    pub id: String,
    pub text: String,
    /// The same choice in Dutch.
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}

/// Who carries an obligation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    /// The contracted provider (the default).
    #[default]
    Provider,
    /// The insurer (Zilveren Kruis, or De Friesland where the document says so).
    Insurer,
}

impl Party {
    /// Dutch, as a reader sees it.
    pub fn dutch(self) -> &'static str {
        match self {
            Party::Provider => "zorgaanbieder",
            Party::Insurer => "zorgverzekeraar",
        }
    }
}

/// A duty during the contract of either party: of the contracted provider (report changes in
/// POH hours, notify when nearing the revenue ceiling) or of the insurer (report the efficiency
/// progress twice a year, announce a control). Not a condition for eligibility: the portal
/// shows the obligations with a contract. Each has a deadline (`due`) or a rhythm or moment
/// (`when`), or both.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    /// The duty as the document states it (Dutch).
    pub text: String,
    /// Who carries it; the provider when not given.
    #[serde(default)]
    pub party: Party,
    /// Module ids it belongs to; empty means every contract under this policy.
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// When or how often it applies (Dutch), e.g. "bij elke wijziging", "jaarlijks".
    #[serde(default)]
    pub when: Option<String>,
    /// The last day, where the document gives a date.
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub interpretation: Option<String>,
    /// The same choice in Dutch.
    #[serde(default)]
    pub toelichting: Option<String>,
    pub source: Source,
}
