//! The regioplan of a regio-organisatie (document 002, O&I 2026-2027), the use cases of its
//! process: the RO writes its plan (the topics of bijlage 1 with its text per topic, the local
//! network, the information system's seven requirements one by one, the budget lines per year
//! beside the region's maximum, the plan document), submits it; the purchaser answers within
//! `regional-plan.response-weeks` of the submission, approving or giving feedback per part; the
//! RO resubmits; every round is kept. An approved plan becomes the facts of the RO's O&I
//! application, which then follows the common apply-review-sign path.
//!
//! States: draft -> submitted -> (feedback -> submitted)* -> approved. Every change runs in one
//! transaction with its audit log entry and is conditional on the state it starts from.

pub mod spec;
pub mod year_figures;

use crate::AppError;
use crate::accounts::{self, Actor, Organisation, Role, hex};
use crate::attachments::{clean_name, hex_sha256, sniff, unhex};
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zorginkoop_engine::calc::CalcContext;
use zorginkoop_engine::calc::oi::{RoMaxBudgetInput, ro_max_budget};
use zorginkoop_engine::{ModuleDecision, TraceStep};
use zorginkoop_policy::{Policy, PolicySet};
use zorginkoop_store::{Db, Row, Tx, args};

pub use spec::POLICY;

/// The largest plan document accepted (the attachments' bound, 4 MiB).
pub const MAX_DOCUMENT_BYTES: usize = crate::attachments::MAX_BYTES;

/// The longest text per part (characters).
pub const MAX_TEXT: usize = 20_000;

/// Where a plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanState {
    Draft,
    Submitted,
    Feedback,
    Approved,
}

impl PlanState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Submitted => "submitted",
            PlanState::Feedback => "feedback",
            PlanState::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<PlanState> {
        [
            PlanState::Draft,
            PlanState::Submitted,
            PlanState::Feedback,
            PlanState::Approved,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// The Dutch name shown.
    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "concept",
            PlanState::Submitted => "ingediend, wacht op reactie",
            PlanState::Feedback => "teruggegeven met feedback",
            PlanState::Approved => "goedgekeurd",
        }
    }

    /// The RO can change the plan.
    pub fn editable(self) -> bool {
        matches!(self, PlanState::Draft | PlanState::Feedback)
    }
}

/// One member of the local network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NetworkMember {
    /// A discipline of [`spec::DISCIPLINES`].
    pub discipline: String,
    /// Who (organisation or person).
    pub organisation: String,
    /// How the involvement is organised and what their input is.
    pub involvement: String,
}

/// The answer to one requirement of the information system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Requirement {
    pub meets: bool,
    pub explanation: String,
}

/// One budget line: a kind of cost, what it is, the amount per year of the contract period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BudgetLine {
    /// A kind of [`spec::COST_KINDS`].
    pub kind: String,
    pub description: String,
    /// Year -> amount in euro.
    pub amounts: BTreeMap<i32, Decimal>,
}

/// The plan's content as the RO writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Content {
    /// Topic id -> the RO's text.
    #[serde(default)]
    pub topics: BTreeMap<String, String>,
    #[serde(default)]
    pub network: Vec<NetworkMember>,
    /// Requirement id -> answer.
    #[serde(default)]
    pub information_system: BTreeMap<String, Requirement>,
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    /// Registered insured at the practices of the RO (the basis of the region's maximum).
    #[serde(default)]
    pub registered_insured: Option<u32>,
}

/// The plan document as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub plan_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: String,
}

/// A regioplan as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub policy_id: String,
    pub state: PlanState,
    pub content: Content,
    pub document: Option<Document>,
    pub created_at: String,
    pub updated_at: String,
}

/// The purchaser's answer on one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PartAnswer {
    pub approved: bool,
    #[serde(default)]
    pub feedback: String,
}

/// A submission and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub round: i64,
    pub content: Content,
    pub document: Option<Document>,
    pub submitted_by: String,
    pub submitted_at: String,
    pub submitted_on: NaiveDate,
    /// The last day of the purchaser's answer term.
    pub due_on: NaiveDate,
    pub answered_by: Option<String>,
    pub answered_on: Option<NaiveDate>,
    /// `approved` or `feedback`, once answered.
    pub outcome: Option<String>,
    /// Part id -> answer.
    pub answers: BTreeMap<String, PartAnswer>,
}

impl Round {
    /// Days left of the answer term on `today` (negative when overdue); None once answered.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.outcome
            .is_none()
            .then(|| (self.due_on - today).num_days())
    }

    /// Not answered and past the term.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.days_left(today).is_some_and(|d| d < 0)
    }
}

/// A plan in the purchaser's queue: the plan and its latest round.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub plan: Plan,
    pub latest: Option<Round>,
}

const SELECT: &str = "SELECT p.id, p.organisation_id, o.name AS organisation_name, p.policy_id,
        p.state, p.content_json, p.document_id, p.created_at, p.updated_at
   FROM regional_plans p JOIN organisations o ON o.id = p.organisation_id";

fn bad(what: &str) -> impl Fn(serde_json::Error) -> AppError + '_ {
    move |e| AppError::BadRecord(format!("{what}: {e}"))
}

fn document_in(tx: &mut Tx<'_>, id: Option<i64>) -> Result<Option<Document>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let r = tx.query_one(
        "SELECT id, plan_id, file_name, content_type, size_bytes, sha256, created_at
           FROM regional_plan_documents WHERE id = ?",
        args![id],
    )?;
    r.map(|r| {
        Ok(Document {
            id: r.int("id")?,
            plan_id: r.int("plan_id")?,
            file_name: r.text("file_name")?,
            content_type: r.text("content_type")?,
            size_bytes: r.int("size_bytes")?,
            sha256: r.text("sha256")?,
            created_at: r.text("created_at")?,
        })
    })
    .transpose()
}

fn plan_from(tx: &mut Tx<'_>, r: &Row) -> Result<Plan, AppError> {
    let state = r.text("state")?;
    Ok(Plan {
        id: r.int("id")?,
        organisation_id: r.int("organisation_id")?,
        organisation_name: r.text("organisation_name")?,
        policy_id: r.text("policy_id")?,
        state: PlanState::parse(&state)
            .ok_or_else(|| AppError::BadRecord(format!("regioplan: status {state:?}")))?,
        content: serde_json::from_str(&r.text("content_json")?).map_err(bad("regioplan"))?,
        document: document_in(tx, r.opt_int("document_id")?)?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
    })
}

fn plan_in(tx: &mut Tx<'_>, id: i64) -> Result<Option<Plan>, AppError> {
    let Some(r) = tx.query_one(&format!("{SELECT} WHERE p.id = ?"), args![id])? else {
        return Ok(None);
    };
    Ok(Some(plan_from(tx, &r)?))
}

/// A plan, when the actor may see it (another organisation's plan does not exist for it).
pub fn get(db: &Db, actor: &Actor, id: i64) -> Result<Plan, AppError> {
    let plan = db
        .read(|tx| plan_in(tx, id))?
        .ok_or_else(|| AppError::NotFound(format!("regioplan {id}")))?;
    actor.check_sees(plan.organisation_id, &format!("regioplan {id}"))?;
    Ok(plan)
}

/// The plan of an organisation for the policy, if it has one.
pub fn of_organisation(
    db: &Db,
    actor: &Actor,
    organisation_id: i64,
) -> Result<Option<Plan>, AppError> {
    actor.check_sees(organisation_id, "regioplan")?;
    db.read(|tx| {
        let Some(r) = tx.query_one(
            &format!("{SELECT} WHERE p.organisation_id = ? AND p.policy_id = ?"),
            args![organisation_id, POLICY],
        )?
        else {
            return Ok(None);
        };
        Ok(Some(plan_from(tx, &r)?))
    })
}

pub(crate) fn require_ro(actor: &Actor, org: &Organisation, action: &str) -> Result<(), AppError> {
    actor.require(&[Role::ProviderUser, Role::ProviderSigner], action)?;
    if org.kind != "regio-organisatie" {
        return Err(AppError::Forbidden(format!(
            "{action} kan alleen een regio-organisatie; {} is een {}",
            org.name, org.kind
        )));
    }
    Ok(())
}

/// The RO's plan, started as an empty draft when it has none.
pub fn start(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Plan, AppError> {
    crate::policies::find(set, POLICY)?;
    let org = accounts::organisation(db, actor, actor.organisation_id)?;
    require_ro(actor, &org, "een regioplan opstellen")?;
    if let Some(plan) = of_organisation(db, actor, org.id)? {
        return Ok(plan);
    }
    let id = db.write(|tx| {
        if let Some(r) = tx.query_one(
            "SELECT id FROM regional_plans WHERE organisation_id = ? AND policy_id = ?",
            args![org.id, POLICY],
        )? {
            return Ok(r.int("id")?);
        }
        let ts = now.to_rfc3339();
        let id = tx.insert(
            "INSERT INTO regional_plans (organisation_id, policy_id, state, content_json, created_by, created_at, updated_at)
             VALUES (?, ?, 'draft', '{}', ?, ?, ?)",
            args![org.id, POLICY, actor.user_id, &ts, &ts],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "regioplan gestart", "regional_plan", Some(id), now)
                .change(None, Some(serde_json::json!({"state": "draft", "policy": POLICY}))),
        )?;
        Ok::<_, AppError>(id)
    })?;
    get(db, actor, id)
}

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

/// The years of the policy's contract period (2026 and 2027).
pub fn years(policy: &Policy) -> Vec<i32> {
    let f = &policy.file.policy;
    (f.period_start.year()..=f.period_end.year()).collect()
}

/// Checks a content's names, lengths and amounts (every problem names its field).
pub fn validate(policy: &Policy, c: &Content) -> Result<(), AppError> {
    for (id, text) in &c.topics {
        let Some(t) = spec::TOPICS.iter().find(|t| t.id == id) else {
            return Err(invalid(
                format!("onderwerp {id}"),
                "geen onderwerp van het regioplan",
            ));
        };
        if text.chars().count() > MAX_TEXT {
            return Err(invalid(t.label, format!("hoogstens {MAX_TEXT} tekens")));
        }
    }
    for (i, m) in c.network.iter().enumerate() {
        let row = format!("netwerk, rij {}", i + 1);
        if !spec::DISCIPLINES.iter().any(|(d, _)| *d == m.discipline) {
            return Err(invalid(
                format!("{row}: discipline"),
                format!("{:?} is geen discipline van de lijst", m.discipline),
            ));
        }
        if m.organisation.trim().is_empty() {
            return Err(invalid(
                format!("{row}: organisatie"),
                "vul in wie betrokken is",
            ));
        }
        if m.organisation.chars().count() > 300 || m.involvement.chars().count() > MAX_TEXT {
            return Err(invalid(row, "te lange tekst"));
        }
    }
    for (id, r) in &c.information_system {
        if !spec::INFORMATION_SYSTEM.iter().any(|p| p.id == id) {
            return Err(invalid(
                format!("informatiesysteem {id}"),
                "geen eis van bijlage 2",
            ));
        }
        if r.explanation.chars().count() > MAX_TEXT {
            return Err(invalid(
                format!("informatiesysteem {id}"),
                "te lange toelichting",
            ));
        }
    }
    let years = years(policy);
    for (i, l) in c.budget.iter().enumerate() {
        let row = format!("begroting, regel {}", i + 1);
        if !spec::COST_KINDS.iter().any(|(k, _)| *k == l.kind) {
            return Err(invalid(
                format!("{row}: soort kosten"),
                format!("{:?} is geen soort kosten van de lijst", l.kind),
            ));
        }
        if l.description.trim().is_empty() {
            return Err(invalid(
                format!("{row}: omschrijving"),
                "beschrijf de kosten",
            ));
        }
        for (y, a) in &l.amounts {
            if !years.contains(y) {
                return Err(invalid(
                    format!("{row}: {y}"),
                    "geen jaar van de overeenkomst",
                ));
            }
            if a.is_sign_negative() || a.scale() > 2 {
                return Err(invalid(
                    format!("{row}: bedrag {y}"),
                    "een bedrag in euro van 0 of meer, hoogstens in centen",
                ));
            }
        }
    }
    Ok(())
}

/// Saves the RO's content (draft, or a plan back with feedback).
pub fn save(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    content: &Content,
    now: DateTime<Utc>,
) -> Result<Plan, AppError> {
    let plan = get(db, actor, id)?;
    let org = accounts::organisation(db, actor, plan.organisation_id)?;
    require_ro(actor, &org, "het regioplan wijzigen")?;
    if !plan.state.editable() {
        return Err(AppError::Conflict(format!(
            "het regioplan is {}: het kan nu niet worden gewijzigd",
            plan.state.label()
        )));
    }
    let policy = crate::policies::find(set, &plan.policy_id)?;
    validate(policy, content)?;
    db.write(|tx| {
        let n = tx.execute(
            "UPDATE regional_plans SET content_json = ?, updated_at = ? WHERE id = ? AND state = ?",
            args![
                serde_json::to_string(content).expect("content serialises"),
                now.to_rfc3339(),
                id,
                plan.state.as_str()
            ],
        )?;
        if n == 0 {
            return Err(AppError::Conflict(
                "het regioplan is intussen gewijzigd; laad de pagina opnieuw".into(),
            ));
        }
        Ok(())
    })?;
    get(db, actor, id)
}

/// Adds the plan document (replacing the current one for the next submission; earlier rounds
/// keep theirs): PDF, PNG, JPEG or plain text, at most [`MAX_DOCUMENT_BYTES`].
pub fn add_document(
    db: &Db,
    actor: &Actor,
    id: i64,
    file_name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Document, AppError> {
    let plan = get(db, actor, id)?;
    let org = accounts::organisation(db, actor, plan.organisation_id)?;
    require_ro(actor, &org, "het plandocument toevoegen")?;
    if !plan.state.editable() {
        return Err(AppError::Conflict(format!(
            "het regioplan is {}: het document kan nu niet worden vervangen",
            plan.state.label()
        )));
    }
    if bytes.is_empty() {
        return Err(invalid("plandocument", "het bestand is leeg"));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(invalid(
            "plandocument",
            format!(
                "het bestand is {} kB; hoogstens {} kB",
                bytes.len() / 1024,
                MAX_DOCUMENT_BYTES / 1024
            ),
        ));
    }
    let content_type = sniff(bytes)
        .ok_or_else(|| invalid("plandocument", "alleen PDF, PNG, JPEG of platte tekst"))?;
    let name = clean_name(file_name);
    let sha = hex_sha256(bytes);
    let doc = db.write(|tx| {
        let doc = tx.insert(
            "INSERT INTO regional_plan_documents (plan_id, author_id, file_name, content_type, size_bytes, sha256, content_hex, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            args![id, actor.user_id, &name, content_type, bytes.len() as i64, &sha, hex(bytes), now.to_rfc3339()],
        )?;
        let n = tx.execute(
            "UPDATE regional_plans SET document_id = ?, updated_at = ? WHERE id = ? AND state = ?",
            args![doc, now.to_rfc3339(), id, plan.state.as_str()],
        )?;
        if n == 0 {
            return Err(AppError::Conflict("het regioplan is intussen gewijzigd; laad de pagina opnieuw".into()));
        }
        audit::append(
            tx,
            &AuditEntry::new(actor, "plandocument toegevoegd", "regional_plan", Some(id), now)
                .about(plan.organisation_id)
                .change(None, Some(serde_json::json!({"document": doc, "file": name, "sha256": sha, "bytes": bytes.len()}))),
        )?;
        Ok(doc)
    })?;
    db.read(|tx| document_in(tx, Some(doc)))?
        .ok_or_else(|| AppError::NotFound(format!("plandocument {doc}")))
}

/// A plan document with its content, when the actor may see its plan.
pub fn document(db: &Db, actor: &Actor, id: i64) -> Result<(Document, Vec<u8>), AppError> {
    let missing = || AppError::NotFound(format!("plandocument {id}"));
    let (doc, hex_content) = db.read(|tx| {
        let doc = document_in(tx, Some(id))?;
        let content = tx
            .query_one(
                "SELECT content_hex FROM regional_plan_documents WHERE id = ?",
                args![id],
            )?
            .map(|r| r.text("content_hex"))
            .transpose()?;
        Ok::<_, AppError>((doc, content))
    })?;
    let doc = doc.ok_or_else(missing)?;
    get(db, actor, doc.plan_id).map_err(|_| missing())?;
    let bytes = hex_content
        .and_then(|h| unhex(&h))
        .ok_or_else(|| AppError::BadRecord(format!("plandocument {id}: inhoud onleesbaar")))?;
    if hex_sha256(&bytes) != doc.sha256 {
        return Err(AppError::BadRecord(format!(
            "plandocument {id}: de inhoud klopt niet met de opgeslagen SHA-256"
        )));
    }
    Ok((doc, bytes))
}

/// The answer term of a plan submitted on `submitted_on`: `regional-plan.response-weeks`
/// weeks later ("Uiterlijk 3 weken na indiening krijgt u een reactie van ons.").
pub fn due_on(policy: &Policy, submitted_on: NaiveDate) -> Result<NaiveDate, AppError> {
    let weeks = response_weeks(policy, submitted_on)?;
    Ok(submitted_on + chrono::Duration::weeks(weeks))
}

/// The parameter `regional-plan.response-weeks` on a day.
pub fn response_weeks(policy: &Policy, on: NaiveDate) -> Result<i64, AppError> {
    let (weeks, _) = policy
        .param_on("regional-plan.response-weeks", on)
        .ok_or_else(|| {
            AppError::BadRecord(format!(
                "{}: parameter regional-plan.response-weeks ontbreekt op {on}",
                policy.id()
            ))
        })?;
    i64::try_from(weeks.trunc().mantissa())
        .ok()
        .filter(|w| (0..=52).contains(w) && weeks.fract().is_zero())
        .ok_or_else(|| {
            AppError::BadRecord(format!(
                "regional-plan.response-weeks: {weeks} is geen aantal weken"
            ))
        })
}

fn rounds_in(tx: &mut Tx<'_>, plan_id: i64) -> Result<Vec<Round>, AppError> {
    let rows = tx.query(
        "SELECT r.round, r.content_json, r.document_id, s.name AS submitted_by, r.submitted_at,
                r.submitted_on, r.due_on, a.name AS answered_by, r.answered_on, r.outcome, r.feedback_json
           FROM regional_plan_rounds r JOIN users s ON s.id = r.submitted_by
           LEFT JOIN users a ON a.id = r.answered_by
          WHERE r.plan_id = ? ORDER BY r.round",
        args![plan_id],
    )?;
    let date = |s: String| -> Result<NaiveDate, AppError> {
        s.parse()
            .map_err(|_| AppError::BadRecord(format!("regioplan: {s:?} is geen datum")))
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(Round {
            round: r.int("round")?,
            content: serde_json::from_str(&r.text("content_json")?).map_err(bad("ronde"))?,
            document: document_in(tx, r.opt_int("document_id")?)?,
            submitted_by: r.text("submitted_by")?,
            submitted_at: r.text("submitted_at")?,
            submitted_on: date(r.text("submitted_on")?)?,
            due_on: date(r.text("due_on")?)?,
            answered_by: r.opt_text("answered_by")?,
            answered_on: r.opt_text("answered_on")?.map(date).transpose()?,
            outcome: r.opt_text("outcome")?,
            answers: r
                .opt_text("feedback_json")?
                .map(|j| serde_json::from_str(&j))
                .transpose()
                .map_err(bad("ronde"))?
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Every round of a plan, in order.
pub fn rounds(db: &Db, actor: &Actor, plan_id: i64) -> Result<Vec<Round>, AppError> {
    get(db, actor, plan_id)?;
    db.read(|tx| rounds_in(tx, plan_id))
}

/// Submits the plan: a new round, frozen as submitted, with the purchaser's answer term.
pub fn submit(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Round, AppError> {
    let plan = get(db, actor, id)?;
    let org = accounts::organisation(db, actor, plan.organisation_id)?;
    require_ro(actor, &org, "het regioplan indienen")?;
    if !plan.state.editable() {
        return Err(AppError::Conflict(format!(
            "het regioplan is {}: het kan nu niet worden ingediend",
            plan.state.label()
        )));
    }
    let policy = crate::policies::find(set, &plan.policy_id)?;
    validate(policy, &plan.content)?;
    if plan.content.topics.values().all(|t| t.trim().is_empty()) && plan.document.is_none() {
        return Err(invalid(
            "regioplan",
            "het plan is leeg: schrijf de onderwerpen of voeg het plandocument toe",
        ));
    }
    let due = due_on(policy, today)?;
    let round = db.write(|tx| {
        let n = tx.execute(
            "UPDATE regional_plans SET state = 'submitted', updated_at = ? WHERE id = ? AND state = ?",
            args![now.to_rfc3339(), id, plan.state.as_str()],
        )?;
        if n == 0 {
            return Err(AppError::Conflict("het regioplan is intussen gewijzigd; laad de pagina opnieuw".into()));
        }
        let last = tx
            .query_one("SELECT max(round) AS n FROM regional_plan_rounds WHERE plan_id = ?", args![id])?
            .map(|r| r.opt_int("n"))
            .transpose()?
            .flatten()
            .unwrap_or(0);
        let round = last + 1;
        tx.insert(
            "INSERT INTO regional_plan_rounds (plan_id, round, content_json, document_id, submitted_by, submitted_at, submitted_on, due_on)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            args![
                id,
                round,
                serde_json::to_string(&plan.content).expect("content serialises"),
                plan.document.as_ref().map(|d| d.id),
                actor.user_id,
                now.to_rfc3339(),
                today.to_string(),
                due.to_string()
            ],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "regioplan ingediend", "regional_plan", Some(id), now)
                .change(
                    Some(serde_json::json!({"state": plan.state.as_str()})),
                    Some(serde_json::json!({"state": "submitted", "round": round, "due_on": due.to_string()})),
                )
                .receipt(Some(serde_json::json!({"policy": policy.id(), "version": policy.file.policy.version, "sha256": policy.sha256}))),
        )?;
        Ok(round)
    })?;
    rounds(db, actor, id)?
        .into_iter()
        .find(|r| r.round == round)
        .ok_or_else(|| AppError::NotFound(format!("ronde {round}")))
}

/// The purchaser's answer on the latest round: approved when every part is approved, else the
/// plan goes back with the feedback (each part not approved needs its feedback). An approved
/// plan gives the RO's O&I application its facts (a draft is started when it has none).
pub fn answer(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    answers: &BTreeMap<String, PartAnswer>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Round, AppError> {
    actor.require(&[Role::Purchaser], "op een regioplan reageren")?;
    let plan = get(db, actor, id)?;
    if plan.state != PlanState::Submitted {
        return Err(AppError::Conflict(format!(
            "het regioplan is {}: er is geen ingediende ronde om op te reageren",
            plan.state.label()
        )));
    }
    let parts = spec::answerable_parts();
    for key in answers.keys() {
        if !parts.iter().any(|p| p.id == key) {
            return Err(invalid(
                format!("onderdeel {key}"),
                "geen onderdeel van het regioplan",
            ));
        }
    }
    let mut all = BTreeMap::new();
    for p in &parts {
        let a = answers.get(p.id).cloned().unwrap_or_default();
        if !a.approved && a.feedback.trim().is_empty() {
            return Err(invalid(
                p.label,
                "keur dit onderdeel goed of geef feedback: wat moet er anders",
            ));
        }
        if a.feedback.chars().count() > MAX_TEXT {
            return Err(invalid(p.label, "te lange feedback"));
        }
        all.insert(p.id.to_string(), a);
    }
    let approved = all.values().all(|a| a.approved);
    let outcome = if approved { "approved" } else { "feedback" };
    let next = if approved {
        PlanState::Approved
    } else {
        PlanState::Feedback
    };
    let policy = crate::policies::find(set, &plan.policy_id)?;
    let facts = facts(&plan.content, true);
    db.write(|tx| {
        let round = tx
            .query_one(
                "SELECT round, due_on FROM regional_plan_rounds WHERE plan_id = ? AND answered_at IS NULL ORDER BY round DESC LIMIT 1",
                args![id],
            )?
            .ok_or_else(|| AppError::Conflict("deze ronde is al beantwoord".into()))?;
        let (n, due) = (round.int("round")?, round.text("due_on")?);
        let changed = tx.execute(
            "UPDATE regional_plan_rounds SET answered_by = ?, answered_at = ?, answered_on = ?, outcome = ?, feedback_json = ?
              WHERE plan_id = ? AND round = ? AND answered_at IS NULL",
            args![actor.user_id, now.to_rfc3339(), today.to_string(), outcome, serde_json::to_string(&all).expect("answers serialise"), id, n],
        )?;
        let moved = tx.execute(
            "UPDATE regional_plans SET state = ?, updated_at = ? WHERE id = ? AND state = 'submitted'",
            args![next.as_str(), now.to_rfc3339(), id],
        )?;
        if changed == 0 || moved == 0 {
            return Err(AppError::Conflict("het regioplan is intussen gewijzigd; laad de pagina opnieuw".into()));
        }
        let late = today.to_string() > due;
        audit::append(
            tx,
            &AuditEntry::new(
                actor,
                if approved { "regioplan goedgekeurd" } else { "regioplan teruggegeven met feedback" },
                "regional_plan",
                Some(id),
                now,
            )
            .about(plan.organisation_id)
            .change(
                Some(serde_json::json!({"state": "submitted", "round": n})),
                Some(serde_json::json!({"state": next.as_str(), "round": n, "due_on": due, "answered_after_term": late, "answers": &all})),
            ),
        )?;
        if approved {
            oi_application(tx, policy, &plan, &facts, now)?;
        }
        Ok::<_, AppError>(())
    })?;
    rounds(db, actor, id)?
        .into_iter()
        .rev()
        .find(|r| r.outcome.is_some())
        .ok_or_else(|| AppError::NotFound("ronde".into()))
}

/// Gives the RO's O&I application the facts of its approved plan: its open application's
/// answers are completed, or a draft is started (in the name of the plan's author).
fn oi_application(
    tx: &mut Tx<'_>,
    policy: &Policy,
    plan: &Plan,
    facts: &BTreeMap<String, serde_json::Value>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let module = "o-and-i";
    if policy.module(module).is_none() {
        return Ok(());
    }
    let ts = now.to_rfc3339();
    let open = tx.query_one(
        "SELECT id, facts_json, state FROM applications WHERE organisation_id = ? AND policy_id = ? AND module = ?
           AND state IN ('draft', 'information-requested') ORDER BY id LIMIT 1",
        args![plan.organisation_id, policy.id(), module],
    )?;
    let author = tx
        .query_one(
            "SELECT created_by FROM regional_plans WHERE id = ?",
            args![plan.id],
        )?
        .map(|r| r.int("created_by"))
        .transpose()?
        .ok_or_else(|| AppError::NotFound(format!("regioplan {}", plan.id)))?;
    let (app_id, action) = match open {
        Some(r) => {
            let id = r.int("id")?;
            let mut merged: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(&r.text("facts_json")?).map_err(bad("aanvraag"))?;
            merged.extend(facts.clone());
            tx.execute(
                "UPDATE applications SET facts_json = ?, updated_at = ? WHERE id = ? AND state = ?",
                args![
                    serde_json::to_string(&merged).expect("facts serialise"),
                    &ts,
                    id,
                    r.text("state")?
                ],
            )?;
            (id, "aanvraag aangevuld met het goedgekeurde regioplan")
        }
        None => {
            let id = tx.insert(
                "INSERT INTO applications (organisation_id, policy_id, module, state, facts_json, created_by, created_at, updated_at)
                 VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)",
                args![plan.organisation_id, policy.id(), module, serde_json::to_string(facts).expect("facts serialise"), author, &ts, &ts],
            )?;
            (id, "aanvraag gestart met het goedgekeurde regioplan")
        }
    };
    audit::append(
        tx,
        &AuditEntry {
            at: now,
            user_id: None,
            organisation_id: Some(plan.organisation_id),
            action: action.to_string(),
            object_type: "application".into(),
            object_id: Some(app_id),
            before: None,
            after: Some(serde_json::json!({"regional_plan": plan.id, "facts": facts})),
            receipt: None,
            ip: None,
        },
    )?;
    Ok(())
}

/// The plans for the purchaser: every plan with its latest round, those waiting for an answer
/// first (the nearest term first), then the others.
pub fn queue(db: &Db, actor: &Actor) -> Result<Vec<Summary>, AppError> {
    if !actor.role.is_insurer() {
        return Err(AppError::Forbidden(
            "de regioplannen van alle regio's ziet alleen de zorgverzekeraar".into(),
        ));
    }
    let mut out = db.read(|tx| {
        let rows = tx.query(&format!("{SELECT} ORDER BY p.id"), &[])?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let plan = plan_from(tx, r)?;
            let latest = rounds_in(tx, plan.id)?.pop();
            out.push(Summary { plan, latest });
        }
        Ok::<_, AppError>(out)
    })?;
    out.sort_by_key(|s| {
        let waiting = s.plan.state == PlanState::Submitted;
        (!waiting, s.latest.as_ref().map(|r| r.due_on), s.plan.id)
    });
    Ok(out)
}

/// The facts the plan gives the policy's conditions: the topics with text, the disciplines of
/// the network, the budget of the first year, the registered insured, the information system
/// (all seven met: yes; one not met: no; not all answered: left out) and, once submitted, that
/// the plan with its budget was submitted.
pub fn facts(c: &Content, submitted: bool) -> BTreeMap<String, serde_json::Value> {
    use serde_json::Value;
    let mut f = BTreeMap::new();
    let topics: Vec<Value> = spec::TOPICS
        .iter()
        .filter(|t| t.id != "mission")
        .filter(|t| c.topics.get(t.id).is_some_and(|s| !s.trim().is_empty()))
        .map(|t| Value::String(t.id.to_string()))
        .collect();
    f.insert("regional_plan_topics".to_string(), Value::Array(topics));
    let mut disciplines: Vec<String> = c.network.iter().map(|m| m.discipline.clone()).collect();
    disciplines.sort();
    disciplines.dedup();
    f.insert(
        "involved_disciplines".to_string(),
        Value::Array(disciplines.into_iter().map(Value::String).collect()),
    );
    if let Some(first) = c
        .budget
        .iter()
        .flat_map(|l| l.amounts.keys())
        .min()
        .copied()
    {
        f.insert(
            "regional_plan_budget".to_string(),
            Value::String(budget_total(c, first).to_string()),
        );
    }
    if let Some(n) = c.registered_insured {
        f.insert("registered_insured".to_string(), Value::from(n));
    }
    let answered = spec::INFORMATION_SYSTEM
        .iter()
        .filter_map(|p| c.information_system.get(p.id))
        .collect::<Vec<_>>();
    if answered.iter().any(|r| !r.meets) {
        f.insert(
            "information_system_meets_requirements".to_string(),
            Value::Bool(false),
        );
    } else if answered.len() == spec::INFORMATION_SYSTEM.len() {
        f.insert(
            "information_system_meets_requirements".to_string(),
            Value::Bool(true),
        );
    }
    if submitted {
        f.insert(
            "regional_plan_with_budget_submitted".to_string(),
            Value::Bool(!c.budget.is_empty()),
        );
    }
    f
}

/// The budget's total of one year.
pub fn budget_total(c: &Content, year: i32) -> Decimal {
    c.budget
        .iter()
        .filter_map(|l| l.amounts.get(&year))
        .fold(Decimal::ZERO, |a, b| {
            a.checked_add(*b).unwrap_or(Decimal::MAX)
        })
}

/// One year of the budget beside the region's maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetYear {
    pub year: i32,
    pub total: Decimal,
    /// Registered insured × the maximum per registered insured of that year; None without the
    /// registered insured.
    pub maximum: Option<Decimal>,
    /// The amount per registered insured used, and whether it is an example value.
    pub per_insured: Option<Decimal>,
    pub example: bool,
    pub within: Option<bool>,
}

/// The budget per year of the contract period beside the region's maximum, computed with the
/// engine's calculator `ro-max-budget` on 1 January of each year.
pub fn budget_years(policy: &Policy, c: &Content) -> Result<Vec<BudgetYear>, AppError> {
    years(policy)
        .into_iter()
        .map(|year| {
            let total = budget_total(c, year);
            let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
            let (maximum, per, example) = match c.registered_insured {
                Some(n) => {
                    let ctx = CalcContext::new(policy, jan1);
                    let out = ro_max_budget(
                        &ctx,
                        RoMaxBudgetInput {
                            registered_insured: n,
                        },
                    )
                    .map_err(|error| AppError::Calc {
                        name: "ro-max-budget".into(),
                        error,
                    })?;
                    let (per, p) = policy
                        .param_on("ro.max-budget-per-registered-insured", jan1)
                        .ok_or_else(|| {
                            AppError::BadRecord(
                                "ro.max-budget-per-registered-insured ontbreekt".into(),
                            )
                        })?;
                    (Some(out.max_budget), Some(per), p.example)
                }
                None => (None, None, false),
            };
            Ok(BudgetYear {
                year,
                total,
                maximum,
                per_insured: per,
                example,
                within: maximum.map(|m| total <= m),
            })
        })
        .collect()
}

/// What the engine and the plan's own checks say of a plan: the parts without text, the
/// network's missing disciplines, the requirements not met or not answered, the budget per
/// year, and the engine's decision on the O&I contract (the steps on the plan: topics,
/// disciplines, budget) and on the chronic-care module (the information system).
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub missing_topics: Vec<&'static str>,
    pub missing_disciplines: Vec<&'static str>,
    pub requirements_not_met: Vec<&'static str>,
    pub requirements_unanswered: Vec<&'static str>,
    pub budget: Vec<BudgetYear>,
    /// The engine's steps on the plan's conditions.
    pub steps: Vec<TraceStep>,
}

impl Check {
    /// Nothing the plan's own checks miss (the purchaser still judges the content).
    pub fn complete(&self) -> bool {
        self.missing_topics.is_empty()
            && self.missing_disciplines.is_empty()
            && self.requirements_not_met.is_empty()
            && self.requirements_unanswered.is_empty()
            && self
                .budget
                .iter()
                .all(|b| b.within == Some(true) && !b.total.is_zero())
    }
}

/// The conditions of the policy that the plan's content decides.
pub const PLAN_CONDITIONS: &[&str] = &[
    "regional-plan",
    "regional-plan-topics",
    "budget-within-region-maximum",
    "other-disciplines",
    "information-system",
];

/// Checks a plan's content as of `today` (see [`Check`]).
pub fn check(
    policy: &Policy,
    org: &Organisation,
    c: &Content,
    submitted: bool,
    today: NaiveDate,
) -> Result<Check, AppError> {
    let missing_topics = spec::TOPICS
        .iter()
        .filter(|t| c.topics.get(t.id).is_none_or(|s| s.trim().is_empty()))
        .map(|t| t.label)
        .collect();
    let missing_disciplines = spec::DISCIPLINES
        .iter()
        .filter(|(d, _)| spec::REQUIRED_DISCIPLINES.contains(d))
        .filter(|(d, _)| !c.network.iter().any(|m| m.discipline == *d))
        .map(|(_, label)| *label)
        .collect();
    let requirements_not_met = spec::INFORMATION_SYSTEM
        .iter()
        .filter(|p| c.information_system.get(p.id).is_some_and(|r| !r.meets))
        .map(|p| p.label)
        .collect();
    let requirements_unanswered = spec::INFORMATION_SYSTEM
        .iter()
        .filter(|p| !c.information_system.contains_key(p.id))
        .map(|p| p.label)
        .collect();
    let facts = facts(c, submitted);
    let mut steps = Vec::new();
    for module in ["o-and-i", "chronic-care"] {
        if policy.module(module).is_none() {
            continue;
        }
        let md: ModuleDecision =
            crate::applications::decide_module_with(policy, org, module, &facts, &[], today)?;
        steps.extend(
            md.steps
                .into_iter()
                .filter(|s| PLAN_CONDITIONS.contains(&s.rule().id.as_ref())),
        );
    }
    Ok(Check {
        missing_topics,
        missing_disciplines,
        requirements_not_met,
        requirements_unanswered,
        budget: budget_years(policy, c)?,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: &str, y26: &str, y27: &str) -> BudgetLine {
        BudgetLine {
            kind: kind.into(),
            description: "x".into(),
            amounts: BTreeMap::from([(2026, y26.parse().unwrap()), (2027, y27.parse().unwrap())]),
        }
    }

    #[test]
    fn the_budget_total_is_per_year() {
        let c = Content {
            budget: vec![
                line("personnel", "100000.50", "103000"),
                line("ict", "20000", "0"),
            ],
            ..Content::default()
        };
        assert_eq!(
            budget_total(&c, 2026),
            "120000.50".parse::<Decimal>().unwrap()
        );
        assert_eq!(budget_total(&c, 2027), "103000".parse::<Decimal>().unwrap());
    }

    #[test]
    fn facts_follow_the_plan() {
        let mut c = Content::default();
        c.topics.insert("accessibility".into(), "actieplan".into());
        c.topics.insert("gli".into(), "  ".into());
        c.topics.insert("mission".into(), "missie".into());
        c.network.push(NetworkMember {
            discipline: "pharmacists".into(),
            organisation: "Apotheek".into(),
            involvement: String::new(),
        });
        let f = facts(&c, false);
        assert_eq!(
            f["regional_plan_topics"],
            serde_json::json!(["accessibility"]),
            "a blank text is not a topic treated; mission is no fact value"
        );
        assert_eq!(
            f["involved_disciplines"],
            serde_json::json!(["pharmacists"])
        );
        assert!(
            !f.contains_key("information_system_meets_requirements"),
            "not all seven answered"
        );
        assert!(!f.contains_key("regional_plan_with_budget_submitted"));
        for p in spec::INFORMATION_SYSTEM {
            c.information_system.insert(
                p.id.into(),
                Requirement {
                    meets: true,
                    explanation: String::new(),
                },
            );
        }
        assert_eq!(
            facts(&c, true)["information_system_meets_requirements"],
            serde_json::json!(true)
        );
        c.information_system.get_mut("comorbidity").unwrap().meets = false;
        assert_eq!(
            facts(&c, true)["information_system_meets_requirements"],
            serde_json::json!(false)
        );
    }
}
