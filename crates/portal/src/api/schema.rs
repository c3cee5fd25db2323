//! The API's request and response types, as the OpenAPI document describes them. Engine types
//! (a case, a decision, a receipt) are free-form objects here: their shape is
//! `zorginkoop.decision/2`, described in `crates/engine/DECISION-JSON.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use zorginkoop_app::applications::{Application, Message};
use zorginkoop_app::audit::AuditRecord;
use zorginkoop_app::proposals::{Proposal, TariffTerm};
use zorginkoop_app::store::ContractRow;

/// Where the decision JSON is described.
pub const DECISION_DOC: &str = "crates/engine/DECISION-JSON.md";

/// An error: the Dutch message and the HTTP status.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// What went wrong, in Dutch.
    pub fout: String,
    pub status: u16,
}

/// An organisation, briefly.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: i64,
    pub name: String,
    /// A provider kind of the policies (`practice`, `zorggroep`, ...) or `insurer`.
    pub kind: String,
}

/// The logged-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// `provider-user`, `provider-signer`, `purchaser`, `auditor` or `admin`.
    pub role: String,
    /// The role in Dutch.
    pub role_label: String,
    pub organisation: OrganisationRef,
    /// Authenticated with an API token (else with the session cookie).
    pub via_token: bool,
}

/// A policy document as loaded.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyInfo {
    pub id: String,
    pub title: String,
    pub version: String,
    pub domain: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The source document's file name.
    pub document: String,
    /// How many modules it has.
    pub modules: usize,
    /// SHA-256 of the policy file (the receipts name it).
    pub sha256: String,
}

/// Which policy and reference date to use (both optional).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolicyDate {
    /// Policy id; default: the case's `policy` (decide) or the calculator's own policy (calc).
    pub policy: Option<String>,
    /// Reference date `YYYY-MM-DD`; default: the case's `request_date`, else today (decide),
    /// or the policy's period start (calc).
    pub date: Option<NaiveDate>,
}

/// The situation sent, with the engine's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecideAnswer {
    /// The case as sent (as in `examples/*.json`).
    #[schema(value_type = Object)]
    pub case: serde_json::Value,
    /// The decision in `zorginkoop.decision/2` form: the receipt (policy id, version, SHA-256,
    /// engine, dates) and per module the outcome, the earliest start, the missing facts and the
    /// trace (`steps`, each with the passage it rests on). See crates/engine/DECISION-JSON.md.
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
}

/// A calculator's input or output field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldInfo {
    pub name: String,
    /// `decimal`, `integer`, `bool`, `text`, `date`, `list` or `object`.
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: String,
}

/// A calculator (rekentool).
#[derive(Debug, Serialize, ToSchema)]
pub struct CalculatorInfo {
    pub name: String,
    pub summary: String,
    /// The policy whose parameters it uses unless told otherwise.
    pub policy: String,
    pub inputs: Vec<FieldInfo>,
    pub outputs: Vec<FieldInfo>,
}

/// The input sent, with the calculator's output and the receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalcAnswer {
    pub calculator: String,
    /// The input as sent.
    #[schema(value_type = Object)]
    pub input: serde_json::Value,
    /// The result, per the calculator's output fields (decimals as exact text).
    #[schema(value_type = Object)]
    pub output: serde_json::Value,
    /// Which policy (id, version, SHA-256), which engine and which date: the receipt of
    /// crates/engine/DECISION-JSON.md.
    #[schema(value_type = Object)]
    pub receipt: serde_json::Value,
}

/// Filters for the list of applications.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationFilter {
    /// Only this organisation's (a care provider sees only its own).
    pub organisation: Option<i64>,
    /// Only in this state: `draft`, `submitted`, `under-review`, `information-requested`,
    /// `granted`, `refused`.
    pub state: Option<String>,
    /// The purchaser's queue (submitted, under review, information asked), oldest first.
    pub queue: Option<bool>,
}

/// An application, briefly.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummary {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub policy_id: String,
    pub module: String,
    /// `draft`, `submitted`, `under-review`, `information-requested`, `granted`, `refused`.
    pub state: String,
    /// The state in Dutch.
    pub state_label: String,
    pub submitted_at: Option<String>,
    pub request_date: Option<NaiveDate>,
    pub earliest_start: Option<NaiveDate>,
    pub updated_at: String,
}

impl From<&Application> for ApplicationSummary {
    fn from(a: &Application) -> Self {
        ApplicationSummary {
            id: a.id,
            organisation_id: a.organisation_id,
            organisation_name: a.organisation_name.clone(),
            policy_id: a.policy_id.clone(),
            module: a.module.clone(),
            state: a.state.as_str().into(),
            state_label: a.state.label().into(),
            submitted_at: a.submitted_at.clone(),
            request_date: a.request_date,
            earliest_start: a.earliest_start,
            updated_at: a.updated_at.clone(),
        }
    }
}

/// A message in an application's thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub author: String,
    pub author_role: String,
    pub body: String,
    pub created_at: String,
}

impl From<Message> for MessageView {
    fn from(m: Message) -> Self {
        MessageView {
            id: m.id,
            author: m.author,
            author_role: m.author_role,
            body: m.body,
            created_at: m.created_at,
        }
    }
}

/// An application in full: the answers, the decision kept at submission, the live decision
/// while it can still be changed, and the thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    /// The answers so far: fact name to value.
    #[schema(value_type = Object)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// Why it was refused, or what information is asked.
    pub reason: Option<String>,
    pub created_at: String,
    /// The engine's decision at submission (`zorginkoop.decision/2`, with receipt and trace;
    /// see crates/engine/DECISION-JSON.md).
    #[schema(value_type = Option<Object>)]
    pub decision: Option<serde_json::Value>,
    /// While the answers can change: the engine's decision on the module now (a
    /// ModuleDecision of crates/engine/DECISION-JSON.md: outcome, missing facts, trace).
    #[schema(value_type = Option<Object>)]
    pub live_decision: Option<serde_json::Value>,
    pub messages: Vec<MessageView>,
}

/// Start an application for a module of the catalogue (or get the open one).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartApplication {
    /// Policy id, e.g. `gp-2022-2023`.
    pub policy: String,
    /// Module id in that policy, e.g. `basiszorg`.
    pub module: String,
}

/// Answers to save: fact name to value (true/false, a number, a text); `null` removes an
/// answer. Answers not named stay as they are.
#[derive(Debug, Deserialize)]
pub struct Answers(pub BTreeMap<String, Option<serde_json::Value>>);

/// What the purchaser decides.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewAction {
    /// Take it into review.
    #[serde(alias = "in-behandeling")]
    Start,
    #[serde(alias = "toekennen")]
    Grant,
    /// Ask the provider for information (`text` is the question).
    #[serde(alias = "informatie")]
    RequestInformation,
    /// Refuse (`text` is the reason the provider reads).
    #[serde(alias = "afwijzen")]
    Refuse,
}

/// A purchaser's step on a submitted application.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub action: ReviewAction,
    /// The question (request-information) or the reason (refuse).
    pub text: Option<String>,
}

/// A message for an application's thread.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    pub body: String,
}

/// A message posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Filter for proposals (the insurer's staff see every organisation's).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    /// Only this organisation's.
    pub organisation: Option<i64>,
}

/// A tariff item of a proposal: the policy's value beside the proposed one.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    pub parameter: String,
    pub label: String,
    /// `eur`, `ratio`, `hours`, ...
    pub unit: String,
    /// The policy's value on the start date (exact decimal text).
    pub policy_value: Option<String>,
    pub proposed_value: String,
}

impl From<&TariffTerm> for TermView {
    fn from(t: &TariffTerm) -> Self {
        TermView {
            parameter: t.parameter.clone(),
            label: t.label.clone(),
            unit: t.unit.clone(),
            policy_value: t.policy_value.clone(),
            proposed_value: t.proposed_value.clone(),
        }
    }
}

/// A proposal or contract, briefly.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummary {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub application_id: Option<i64>,
    pub policy_id: String,
    pub module: String,
    /// `proposed`, `accepted`, `refused` or `administrative`.
    pub state: String,
    pub state_label: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// The main tariff in cents.
    pub tariff_cents: i64,
    pub ceiling_cents: Option<i64>,
    pub proposed_at: String,
    pub contract_id: Option<i64>,
    /// Whether the contract runs today (`actief`, `getekend, start later`, `beëindigd`); absent
    /// when there is no contract.
    pub contract_status: Option<String>,
}

impl ProposalSummary {
    pub fn of(p: &Proposal, today: NaiveDate) -> Self {
        ProposalSummary {
            id: p.id,
            organisation_id: p.organisation_id,
            organisation_name: p.organisation_name.clone(),
            application_id: p.application_id,
            policy_id: p.policy_id.clone(),
            module: p.module.clone(),
            state: p.state.as_str().into(),
            state_label: p.state.label().into(),
            start: p.start,
            end: p.end,
            tariff_cents: p.tariff_cents,
            ceiling_cents: p.ceiling_cents,
            proposed_at: p.proposed_at.clone(),
            contract_id: p.contract_id,
            contract_status: p.contract_status(today).map(String::from),
        }
    }
}

/// A proposal in full: the exact text the signer reads and its SHA-256, the tariffs, and who
/// answered when and from where.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub summary: ProposalSummary,
    pub terms: Vec<TermView>,
    /// The exact text.
    pub text: String,
    /// Send this back to accept or refuse: it proves which text was read.
    pub text_sha256: String,
    pub proposed_by: String,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub answered_ip: Option<String>,
    pub answered_user_agent: Option<String>,
    pub refusal_reason: Option<String>,
    /// Once signed: the signing receipt (the text, who, when, from where, the SHA-256).
    pub receipt: Option<String>,
}

impl ProposalDetail {
    pub fn of(p: &Proposal, today: NaiveDate) -> Self {
        ProposalDetail {
            summary: ProposalSummary::of(p, today),
            terms: p.terms.iter().map(TermView::from).collect(),
            text: p.text.clone(),
            text_sha256: p.text_sha256.clone(),
            proposed_by: p.proposed_by.clone(),
            answered_by: p.answered_by.clone(),
            answered_at: p.answered_at.clone(),
            answered_ip: p.answered_ip.clone(),
            answered_user_agent: p.answered_user_agent.clone(),
            refusal_reason: p.refusal_reason.clone(),
            receipt: zorginkoop_app::proposals::receipt_text(p),
        }
    }
}

/// The signer's answer.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    #[serde(alias = "ondertekenen")]
    Accept,
    #[serde(alias = "weigeren")]
    Refuse,
}

/// Accept or refuse a proposal (only the organisation's signer).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    pub answer: Answer,
    /// The `text_sha256` of the proposal as read: the answer holds only for that text.
    pub text_sha256: String,
    /// Why refused (required to refuse).
    pub reason: Option<String>,
}

/// A contract as the claims checker reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractView {
    pub id: Option<i64>,
    /// 8 digits, leading zeros kept.
    pub provider_agb: String,
    pub module: String,
    /// Prestatie codes agreed explicitly (empty: every code of the module).
    pub prestatie_codes: Vec<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub tariff_cents: i64,
    pub ceiling_cents: Option<i64>,
    pub contract_type: String,
}

impl From<ContractRow> for ContractView {
    fn from(c: ContractRow) -> Self {
        ContractView {
            id: c.id,
            provider_agb: c.provider_agb,
            module: c.module,
            prestatie_codes: c.prestatie_codes,
            start: c.start,
            end: c.end,
            tariff_cents: c.tariff_cents,
            ceiling_cents: c.ceiling_cents,
            contract_type: c.contract_type,
        }
    }
}

/// How many audit entries.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// An audit log entry: who, when, what, the state before and after, the policy receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub user: Option<String>,
    pub organisation: Option<String>,
    pub organisation_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub receipt: Option<serde_json::Value>,
    pub ip: Option<String>,
}

fn json_text(t: Option<String>) -> Option<serde_json::Value> {
    t.map(|t| serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)))
}

impl From<AuditRecord> for AuditEntryView {
    fn from(r: AuditRecord) -> Self {
        AuditEntryView {
            id: r.id,
            at: r.at,
            user: r.user,
            organisation: r.organisation,
            organisation_id: r.organisation_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            before: json_text(r.before),
            after: json_text(r.after),
            receipt: json_text(r.receipt),
            ip: r.ip,
        }
    }
}
