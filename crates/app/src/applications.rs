//! Applications for a module: the provider's draft (its answers, kept between visits), the live
//! decision while answers come in, submission (the earliest start follows from the date of
//! submission), the purchaser's review (grant, refuse with a reason, ask for more information)
//! and the question-and-answer thread between them.
//!
//! States: draft -> submitted -> under-review -> (information-requested -> submitted) ->
//! granted | refused. Every change runs in one transaction with its audit log entry, and is
//! conditional on the state it starts from, so two people acting at once cannot both move it.
//! The engine decides; this module never decides by itself: it stores what the engine said.

use crate::AppError;
use crate::accounts::{self, Actor, Organisation, Role};
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;
use zorginkoop_engine::{Case, Decision, ModuleDecision, ProviderInfo, StepOutcome};
use zorginkoop_policy::{Policy, PolicySet, ProviderKind};
use zorginkoop_store::{Db, Row, Tx, args};

/// Where an application is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Draft,
    Submitted,
    UnderReview,
    InformationRequested,
    Granted,
    Refused,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Draft,
        State::Submitted,
        State::UnderReview,
        State::InformationRequested,
        State::Granted,
        State::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::UnderReview => "under-review",
            State::InformationRequested => "information-requested",
            State::Granted => "granted",
            State::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The Dutch name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "concept",
            State::Submitted => "ingediend",
            State::UnderReview => "in behandeling",
            State::InformationRequested => "informatie gevraagd",
            State::Granted => "toegekend",
            State::Refused => "afgewezen",
        }
    }

    /// The provider can still change its answers.
    pub fn editable(self) -> bool {
        matches!(self, State::Draft | State::InformationRequested)
    }
}

/// An application as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub policy_id: String,
    pub module: String,
    pub state: State,
    /// The answers so far: fact name -> value.
    pub facts: BTreeMap<String, serde_json::Value>,
    /// The engine's decision at submission (with receipt and trace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    pub submitted_at: Option<String>,
    pub request_date: Option<NaiveDate>,
    pub earliest_start: Option<NaiveDate>,
    /// Why refused, or what information is asked.
    pub reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT a.id, a.organisation_id, o.name AS organisation_name, a.policy_id,
        a.module, a.state, a.facts_json, a.decision_json, a.submitted_at, a.request_date,
        a.earliest_start, a.reason, a.created_at, a.updated_at
   FROM applications a JOIN organisations o ON o.id = a.organisation_id";

fn date(s: Option<String>) -> Result<Option<NaiveDate>, AppError> {
    s.map(|s| {
        s.parse()
            .map_err(|_| AppError::BadRecord(format!("{s:?} is geen datum")))
    })
    .transpose()
}

fn from_row(r: &Row) -> Result<Application, AppError> {
    let state = r.text("state")?;
    let bad = |e: serde_json::Error| AppError::BadRecord(format!("aanvraag: {e}"));
    Ok(Application {
        id: r.int("id")?,
        organisation_id: r.int("organisation_id")?,
        organisation_name: r.text("organisation_name")?,
        policy_id: r.text("policy_id")?,
        module: r.text("module")?,
        state: State::parse(&state)
            .ok_or_else(|| AppError::BadRecord(format!("onbekende status {state:?}")))?,
        facts: serde_json::from_str(&r.text("facts_json")?).map_err(bad)?,
        decision: r
            .opt_text("decision_json")?
            .map(|d| serde_json::from_str(&d))
            .transpose()
            .map_err(bad)?,
        submitted_at: r.opt_text("submitted_at")?,
        request_date: date(r.opt_text("request_date")?)?,
        earliest_start: date(r.opt_text("earliest_start")?)?,
        reason: r.opt_text("reason")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
    })
}

/// The provider kind of an organisation, as the policies name it.
pub fn provider_kind(org: &Organisation) -> Result<ProviderKind, AppError> {
    serde_json::from_value(serde_json::Value::String(org.kind.clone())).map_err(|_| {
        AppError::BadRecord(format!(
            "organisatie {}: {:?} is geen soort zorgaanbieder",
            org.name, org.kind
        ))
    })
}

/// The modules of a policy that this organisation's kind may contract (the catalogue).
pub fn catalogue<'p>(policy: &'p Policy, org: &Organisation) -> Vec<&'p zorginkoop_policy::Module> {
    let Ok(kind) = provider_kind(org) else {
        return Vec::new();
    };
    policy
        .file
        .modules
        .iter()
        .filter(|m| m.contracting_levels.contains(&kind))
        .collect()
}

/// The modules an organisation has a signed (or administrative) contract for that has not ended
/// by `on`: a contract signed now that starts later counts (the base contract for next year is
/// what a module for next year requires).
pub fn contracted_modules(
    tx: &mut Tx<'_>,
    org: &Organisation,
    on: NaiveDate,
) -> Result<Vec<String>, AppError> {
    let Some(agb) = &org.agb else {
        return Ok(Vec::new());
    };
    let on = on.to_string();
    Ok(tx
        .query(
            "SELECT DISTINCT module FROM contracts WHERE provider_agb = ?
               AND (end_date IS NULL OR end_date >= ?) ORDER BY module",
            args![agb, &on],
        )?
        .iter()
        .map(|r| r.text("module"))
        .collect::<Result<_, _>>()?)
}

/// The case the engine decides for an organisation: its name, AGB and kind, the answers, its
/// contracted modules, and the modules asked about.
pub fn case_for(
    policy: &Policy,
    org: &Organisation,
    facts: &BTreeMap<String, serde_json::Value>,
    contracted: Vec<String>,
    modules: Vec<String>,
    request_date: NaiveDate,
) -> Result<Case, AppError> {
    Ok(Case {
        policy: Some(policy.id().to_string()),
        provider: ProviderInfo {
            name: org.name.clone(),
            agb: org.agb.clone(),
            kind: provider_kind(org)?,
        },
        request_date: Some(request_date),
        facts: facts.clone(),
        contracted,
        modules,
        parameters: BTreeMap::new(),
    })
}

/// The engine's decision on one module for an organisation with these answers, as if requested
/// on `request_date`. Facts this policy does not declare are left out (a draft may hold answers
/// of an earlier form).
pub fn decide_module(
    db: &Db,
    policy: &Policy,
    org: &Organisation,
    module: &str,
    facts: &BTreeMap<String, serde_json::Value>,
    request_date: NaiveDate,
) -> Result<ModuleDecision, AppError> {
    let contracted = db.read(|tx| contracted_modules(tx, org, request_date))?;
    decide_module_with(policy, org, module, facts, &contracted, request_date)
}

/// [`decide_module`] with the organisation's contracted modules already read (a page that
/// decides every module of the catalogue reads them once).
pub fn decide_module_with(
    policy: &Policy,
    org: &Organisation,
    module: &str,
    facts: &BTreeMap<String, serde_json::Value>,
    contracted: &[String],
    request_date: NaiveDate,
) -> Result<ModuleDecision, AppError> {
    let case = case_for(
        policy,
        org,
        facts,
        contracted.to_vec(),
        vec![module.to_string()],
        request_date,
    )?;
    let decision = decide_case(policy, &case, request_date)?;
    decision
        .modules
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound(format!("module {module}")))
}

fn decide_case(policy: &Policy, case: &Case, date: NaiveDate) -> Result<Decision, AppError> {
    let req = crate::decisions::DecideRequest {
        name: "aanvraag",
        case,
        policy: None,
        date: Some(date),
        today: date,
    };
    crate::decisions::decide_with(policy, &req)
}

/// One application, when the actor may see it.
pub fn get(db: &Db, actor: &Actor, id: i64) -> Result<Application, AppError> {
    let app = db.read(|tx| get_in(tx, id))?;
    actor.check_sees(app.organisation_id, &format!("aanvraag {id}"))?;
    Ok(app)
}

fn get_in(tx: &mut Tx<'_>, id: i64) -> Result<Application, AppError> {
    let row = tx
        .query_one(&format!("{SELECT} WHERE a.id = ?"), args![id])?
        .ok_or_else(|| AppError::NotFound(format!("aanvraag {id}")))?;
    from_row(&row)
}

/// The applications of an organisation (newest first).
pub fn list_for(
    db: &Db,
    actor: &Actor,
    organisation_id: i64,
) -> Result<Vec<Application>, AppError> {
    actor.check_sees(organisation_id, &format!("organisatie {organisation_id}"))?;
    let rows = db.read(|tx| {
        tx.query(
            &format!("{SELECT} WHERE a.organisation_id = ? ORDER BY a.id DESC"),
            args![organisation_id],
        )
    })?;
    rows.iter().map(from_row).collect()
}

/// The purchaser's queue: submitted, under review and waiting-for-information applications,
/// oldest submission first.
pub fn queue(db: &Db, actor: &Actor) -> Result<Vec<Application>, AppError> {
    actor.require(
        &[Role::Purchaser, Role::Auditor, Role::Admin],
        "de werkvoorraad bekijken",
    )?;
    let rows = db.read(|tx| {
        tx.query(
            &format!(
                "{SELECT} WHERE a.state IN ('submitted', 'under-review', 'information-requested')
                 ORDER BY a.submitted_at, a.id"
            ),
            &[],
        )
    })?;
    rows.iter().map(from_row).collect()
}

/// Starts a draft application for a module of the catalogue (or returns the open one).
pub fn start(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    policy_id: &str,
    module: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    actor.require(
        &[Role::ProviderUser, Role::ProviderSigner],
        "een aanvraag starten",
    )?;
    let policy = crate::policies::find(set, policy_id)?;
    let org = accounts::organisation(db, actor, actor.organisation_id)?;
    if !catalogue(policy, &org).iter().any(|m| m.id == module) {
        return Err(AppError::NotFound(format!(
            "module {module} in {policy_id} voor uw soort organisatie"
        )));
    }
    db.write(|tx| {
        if let Some(open) = tx.query_one(
            "SELECT id FROM applications WHERE organisation_id = ? AND policy_id = ? AND module = ?
               AND state NOT IN ('granted', 'refused') ORDER BY id LIMIT 1",
            args![org.id, policy_id, module],
        )? {
            return Ok(open.int("id")?);
        }
        let ts = now.to_rfc3339();
        let id = tx.insert(
            "INSERT INTO applications (organisation_id, policy_id, module, state, facts_json, created_by, created_at, updated_at)
             VALUES (?, ?, ?, 'draft', '{}', ?, ?, ?)",
            args![org.id, policy_id, module, actor.user_id, &ts, &ts],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "aanvraag gestart", "application", Some(id), now).change(
                None,
                Some(serde_json::json!({"state": "draft", "policy": policy_id, "module": module})),
            ),
        )?;
        Ok(id)
    })
}

/// Saves answers to a draft (or to an application waiting for information). Values are checked
/// against the policy's fact declarations; `None` removes an answer.
pub fn save_facts(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    answers: &BTreeMap<String, Option<serde_json::Value>>,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    actor.require(
        &[Role::ProviderUser, Role::ProviderSigner],
        "antwoorden opslaan",
    )?;
    let app = get(db, actor, id)?;
    if !app.state.editable() {
        return Err(AppError::Conflict(format!(
            "aanvraag {id} is {}: de antwoorden kunnen niet meer worden gewijzigd",
            app.state.label()
        )));
    }
    let policy = crate::policies::find(set, &app.policy_id)?;
    let mut facts = app.facts.clone();
    for (name, value) in answers {
        match value {
            Some(v) => facts.insert(name.clone(), v.clone()),
            None => facts.remove(name),
        };
    }
    // the engine's own check of names, types and ranges
    let org = accounts::organisation(db, actor, app.organisation_id)?;
    let probe = case_for(
        policy,
        &org,
        &facts,
        Vec::new(),
        vec![app.module.clone()],
        now.date_naive(),
    )?;
    zorginkoop_engine::facts::check_facts(policy, &probe).map_err(|problems| {
        AppError::CaseRefused {
            case: format!("aanvraag {id}"),
            problems,
        }
    })?;
    db.write(|tx| {
        let changed = tx.execute(
            "UPDATE applications SET facts_json = ?, updated_at = ? WHERE id = ? AND state = ?",
            args![
                serde_json::to_string(&facts).expect("facts serialise"),
                now.to_rfc3339(),
                id,
                app.state.as_str()
            ],
        )?;
        if changed == 0 {
            return Err(AppError::Conflict(format!(
                "aanvraag {id} is intussen gewijzigd; laad de pagina opnieuw"
            )));
        }
        Ok(())
    })?;
    get(db, actor, id)
}

/// Submits an application: the engine decides it with the date of submission as request date
/// (so the earliest start follows from it), and the decision is kept with its receipt. Refused
/// when the application window is closed (the message cites the passage) or when the engine
/// still misses answers.
pub fn submit(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    actor.require(
        &[Role::ProviderUser, Role::ProviderSigner],
        "een aanvraag indienen",
    )?;
    let app = get(db, actor, id)?;
    if !app.state.editable() {
        return Err(AppError::Conflict(format!(
            "aanvraag {id} is al {}",
            app.state.label()
        )));
    }
    let policy = crate::policies::find(set, &app.policy_id)?;
    let org = accounts::organisation(db, actor, app.organisation_id)?;
    let contracted = db.read(|tx| contracted_modules(tx, &org, today))?;
    let case = case_for(
        policy,
        &org,
        &app.facts,
        contracted,
        vec![app.module.clone()],
        today,
    )?;
    let decision = decide_case(policy, &case, today)?;
    let module = decision
        .module(&app.module)
        .ok_or_else(|| AppError::NotFound(format!("module {}", app.module)))?;
    if let Some(step) = module
        .steps
        .iter()
        .find(|s| &*s.rule().id == "window" && s.outcome == StepOutcome::Failed)
    {
        let src = step.source();
        return Err(AppError::Conflict(format!(
            "de aanvraagperiode is gesloten: {} ({}, {}: \u{201c}{}\u{201d})",
            step.text(),
            crate::policies::document_title(set, &src.document),
            src.section,
            src.quote
        )));
    }
    if !module.missing_facts.is_empty() {
        return Err(AppError::Conflict(format!(
            "nog niet alle vragen zijn beantwoord: {}",
            module.missing_facts.join(", ")
        )));
    }
    let earliest = module.earliest_start;
    let receipt = serde_json::to_value(&decision.receipt).ok();
    let decision_json = serde_json::to_string(&decision).expect("decision serialises");
    db.write(|tx| {
        let changed = tx.execute(
            "UPDATE applications SET state = 'submitted', decision_json = ?, submitted_at = ?,
               request_date = ?, earliest_start = ?, reason = NULL, updated_at = ?
             WHERE id = ? AND state = ?",
            args![
                &decision_json,
                now.to_rfc3339(),
                today.to_string(),
                earliest.map(|d| d.to_string()),
                now.to_rfc3339(),
                id,
                app.state.as_str()
            ],
        )?;
        if changed == 0 {
            return Err(AppError::Conflict(format!(
                "aanvraag {id} is intussen gewijzigd; laad de pagina opnieuw"
            )));
        }
        audit::append(
            tx,
            &AuditEntry::new(actor, "aanvraag ingediend", "application", Some(id), now)
                .about(app.organisation_id)
                .change(
                    Some(serde_json::json!({"state": app.state.as_str()})),
                    Some(serde_json::json!({
                        "state": "submitted",
                        "request_date": today,
                        "earliest_start": earliest,
                        "outcome": module.outcome,
                    })),
                )
                .receipt(receipt.clone()),
        )?;
        Ok::<_, AppError>(())
    })?;
    get(db, actor, id)
}

/// What a purchaser decides on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// Take it into review.
    Start,
    /// Ask the provider for more information (the question goes into the thread too).
    RequestInformation(String),
    Grant,
    /// Refuse, with the reason the provider reads.
    Refuse(String),
}

/// A purchaser's step on a submitted application.
pub fn review(
    db: &Db,
    actor: &Actor,
    id: i64,
    step: &Review,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    actor.require(&[Role::Purchaser], "een aanvraag beoordelen")?;
    let app = get(db, actor, id)?;
    let (from, to, action, reason): (&[State], State, &str, Option<&str>) = match step {
        Review::Start => (
            &[State::Submitted],
            State::UnderReview,
            "aanvraag in behandeling genomen",
            None,
        ),
        Review::RequestInformation(q) => (
            &[State::Submitted, State::UnderReview],
            State::InformationRequested,
            "informatie gevraagd",
            Some(q.as_str()),
        ),
        Review::Grant => (
            &[State::Submitted, State::UnderReview],
            State::Granted,
            "aanvraag toegekend",
            None,
        ),
        Review::Refuse(r) => (
            &[State::Submitted, State::UnderReview],
            State::Refused,
            "aanvraag afgewezen",
            Some(r.as_str()),
        ),
    };
    if let Some(r) = reason
        && r.trim().is_empty()
    {
        return Err(AppError::Invalid {
            field: "toelichting".into(),
            problem: "vul in waarom (de zorgaanbieder leest dit)".into(),
        });
    }
    if !from.contains(&app.state) {
        return Err(AppError::Conflict(format!(
            "aanvraag {id} is {}: {action} kan nu niet",
            app.state.label()
        )));
    }
    let receipt = app
        .decision
        .as_ref()
        .and_then(|d| serde_json::to_value(&d.receipt).ok());
    db.write(|tx| {
        let changed = tx.execute(
            "UPDATE applications SET state = ?, reason = COALESCE(?, reason), updated_at = ? WHERE id = ? AND state = ?",
            args![to.as_str(), reason, now.to_rfc3339(), id, app.state.as_str()],
        )?;
        if changed == 0 {
            return Err(AppError::Conflict(format!(
                "aanvraag {id} is intussen gewijzigd; laad de pagina opnieuw"
            )));
        }
        if let (Review::RequestInformation(q), Some(_)) = (step, reason) {
            add_message(tx, id, actor, q, now)?;
        }
        audit::append(
            tx,
            &AuditEntry::new(actor, action, "application", Some(id), now)
                .about(app.organisation_id)
                .change(
                    Some(serde_json::json!({"state": app.state.as_str()})),
                    Some(serde_json::json!({"state": to.as_str(), "reason": reason})),
                )
                .receipt(receipt.clone()),
        )?;
        Ok::<_, AppError>(())
    })?;
    get(db, actor, id)
}

/// A message in an application's thread.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub id: i64,
    pub author: String,
    pub author_role: String,
    pub body: String,
    pub created_at: String,
}

fn add_message(
    tx: &mut Tx<'_>,
    id: i64,
    actor: &Actor,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(tx.insert(
        "INSERT INTO application_messages (application_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
        args![id, actor.user_id, body, now.to_rfc3339()],
    )?)
}

/// Posts a message in an application's thread (the provider's users and purchasers).
pub fn post_message(
    db: &Db,
    actor: &Actor,
    id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    actor.require(
        &[Role::ProviderUser, Role::ProviderSigner, Role::Purchaser],
        "een bericht plaatsen",
    )?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::Invalid {
            field: "bericht".into(),
            problem: "het bericht is leeg".into(),
        });
    }
    let app = get(db, actor, id)?;
    db.write(|tx| {
        let mid = add_message(tx, id, actor, body, now)?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "bericht geplaatst", "application", Some(id), now)
                .about(app.organisation_id),
        )?;
        Ok(mid)
    })
}

/// The thread of an application, oldest first.
pub fn messages(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Message>, AppError> {
    get(db, actor, id)?;
    let rows = db.read(|tx| {
        tx.query(
            "SELECT m.id, u.name, u.role, m.body, m.created_at FROM application_messages m
               JOIN users u ON u.id = m.author_id WHERE m.application_id = ? ORDER BY m.id",
            args![id],
        )
    })?;
    rows.iter()
        .map(|r| {
            Ok(Message {
                id: r.int("id")?,
                author: r.text("name")?,
                author_role: r.text("role")?,
                body: r.text("body")?,
                created_at: r.text("created_at")?,
            })
        })
        .collect()
}

/// The facts a provider answers for a module, in the order the form asks them: the inputs of
/// the module's calculations, then what its exclusions, questionnaires and conditions read
/// (the engine's order of evaluation), each once, with its declaration (label = the fact's
/// description or the question's text). Facts the engine computes itself (derived facts) are
/// not asked.
pub fn module_facts(
    policy: &Policy,
    module: &str,
) -> Result<Vec<zorginkoop_policy::FactDecl>, AppError> {
    let i = policy
        .compiled
        .module_index(module)
        .ok_or_else(|| AppError::NotFound(format!("module {module} in {}", policy.id())))?;
    let cm = &policy.compiled.modules[i];
    let mut names: Vec<String> = Vec::new();
    for d in &cm.derive {
        names.extend(d.inputs.iter().map(|(_, fact)| fact.to_string()));
    }
    for rule in &cm.exclusions {
        rule.check.facts(&mut names);
    }
    names.extend(cm.questions.iter().map(|q| q.fact.to_string()));
    for rule in &cm.conditions {
        rule.check.facts(&mut names);
    }
    let mut seen = std::collections::BTreeSet::new();
    Ok(names
        .into_iter()
        .filter(|n| policy.derivation(n).is_none())
        .filter(|n| seen.insert(n.clone()))
        .filter_map(|n| policy.fact(&n))
        .collect())
}

#[cfg(test)]
mod module_facts_tests {
    use super::*;
    use zorginkoop_policy::FactType;

    fn gp() -> zorginkoop_policy::Policy {
        let set = crate::policies::load_default().unwrap();
        crate::policies::find(&set, "gp-2022-2023").unwrap().clone()
    }

    #[test]
    fn a_module_asks_the_facts_its_rules_read_but_not_the_ones_it_computes() {
        let policy = gp();
        let facts = module_facts(&policy, "poh-ggz").unwrap();
        let ids: Vec<&str> = facts.iter().map(|f| f.id.as_str()).collect();
        // the calculation's input comes first, then the conditions in file order
        assert_eq!(ids[0], "registered_patients", "{ids:?}");
        assert!(ids.contains(&"poh_ggz_requested_hours"), "{ids:?}");
        assert!(ids.contains(&"poh_ggz_room_in_practice"), "{ids:?}");
        assert!(
            !ids.contains(&"poh_ggz_norm_hours"),
            "derived by the engine, not asked: {ids:?}"
        );
        let patients = &facts[0];
        assert_eq!(patients.ty, FactType::Count);
        let room = facts
            .iter()
            .find(|f| f.id == "poh_ggz_room_in_practice")
            .unwrap();
        assert_eq!(room.ty, FactType::YesNo);
        assert!(room.label.contains("werkruimte"), "{}", room.label);
    }

    #[test]
    fn each_fact_is_asked_once_and_an_unknown_module_is_not_found() {
        let policy = gp();
        let facts = module_facts(&policy, "praktijkmanagement").unwrap();
        let mut ids: Vec<&str> = facts.iter().map(|f| f.id.as_str()).collect();
        assert!(ids.contains(&"pm_works_for_collaboration"));
        assert!(ids.contains(&"pm_hours_are_doctors_assistant_hours"));
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "no fact twice");
        assert!(matches!(
            module_facts(&policy, "bestaat-niet"),
            Err(AppError::NotFound(_))
        ));
    }

    #[test]
    fn questionnaire_answers_are_asked_with_the_question_text() {
        let set = crate::policies::load_default().unwrap();
        let policy = set
            .policies
            .iter()
            .find(|p| !p.file.questionnaires.is_empty())
            .expect("a policy with a questionnaire");
        let module = policy
            .file
            .modules
            .iter()
            .find(|m| !m.questionnaires.is_empty())
            .unwrap();
        let q = policy.questionnaire(&module.questionnaires[0]).unwrap();
        let facts = module_facts(policy, &module.id).unwrap();
        let first = format!("{}.{}", q.id, q.questions[0].id);
        let asked = facts.iter().find(|f| f.id == first).expect("asked");
        assert_eq!(asked.label, q.questions[0].text);
        assert_eq!(asked.ty, FactType::YesNo);
    }
}
