//! One application under review: the provider's answers beside the engine's trace as decided at
//! submission (each step with its outcome, text and citation, and the receipt), the purchaser's
//! actions (take into review, grant, ask for information, refuse with a reason), the
//! question-and-answer thread, and once granted the way to a contract proposal.

use super::{acts, insurer_only, module_name, queue::deadlines, read_only_note};
use crate::auth::{CurrentUser, Posted};
use crate::error::{PortalError, status};
use crate::html;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::Role;
use zorginkoop_app::applications::{self, Application, Message, Review, State as Stage};
use zorginkoop_app::engine::explain::input_dutch;
use zorginkoop_app::engine::{ModuleDecision, Receipt, StepOutcome};
use zorginkoop_app::proposals::{self, Proposal};

/// Everything the review page shows.
struct Loaded {
    app: Application,
    messages: Vec<Message>,
    attachments: Vec<zorginkoop_app::attachments::Attachment>,
    proposals: Vec<Proposal>,
}

async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Loaded, AppError> {
    let actor = user.actor.clone();
    state
        .run(move |s| {
            let app = applications::get(&s.db, &actor, id)?;
            let messages = applications::messages(&s.db, &actor, id)?;
            let attachments = zorginkoop_app::attachments::list(&s.db, &actor, id)?;
            let proposals = proposals::list_for(&s.db, &actor, app.organisation_id)?
                .into_iter()
                .filter(|p| p.application_id == Some(id))
                .collect();
            Ok(Loaded {
                app,
                messages,
                attachments,
                proposals,
            })
        })
        .await
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let loaded = load(&state, &user, id).await?;
    Ok(render(&state, &user, &loaded, None).into_response())
}

/// The page again with the problem of a refused action (its status: 409 or 422).
async fn with_problem(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    e: AppError,
) -> Result<Response, PortalError> {
    let code = status(&e);
    if !matches!(
        code,
        StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
    ) {
        return Err(e.into());
    }
    let loaded = load(state, user, id).await?;
    Ok((code, render(state, user, &loaded, Some(&e.to_string()))).into_response())
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    l: &Loaded,
    problem: Option<&str>,
) -> axum::response::Html<String> {
    let app = &l.app;
    let today = state.today_for(app.organisation_id);
    let d = deadlines(app, today);
    let policy = state.policies.get(&app.policy_id);
    let module = app.decision.as_ref().and_then(|x| x.module(&app.module));
    let dash = || "—".to_string();
    let body = html! {
        @if let Some(p) = problem {
            p.error role="alert" id="probleem" { (p) }
        }
        dl.kv {
            dt { "Zorgaanbieder" }
            dd { a href={"/inkoop/aanbieders/" (app.organisation_id)} { (app.organisation_name) } }
            dt { "Module" } dd { (module_name(&state.policies, &app.policy_id, &app.module)) }
            dt { "Beleid" } dd { (policy.map(|p| p.file.policy.title.clone()).unwrap_or_else(|| app.policy_id.clone())) " (" (app.policy_id) ")" }
            dt { "Status" } dd { strong { (app.state.label()) } }
            dt { "Ingediend op" } dd { (app.request_date.map(html::date_nl).unwrap_or_else(dash)) }
            dt { "Wachtdagen" } dd { (d.days_waiting.map(|n| n.to_string()).unwrap_or_else(dash)) }
            dt { "Vroegste startdatum" } dd { (d.earliest_start.map(html::date_nl).unwrap_or_else(dash)) }
            dt { "Uiterste aanvraagdatum" } dd { (d.request_deadline.map(html::date_nl).unwrap_or_else(dash)) }
            @if let Some(r) = &app.reason {
                dt { (if app.state == Stage::Refused { "Reden van afwijzing" } else { "Toelichting" }) }
                dd { (r) }
            }
        }
        div.two-col {
            section aria-labelledby="antwoorden" {
                h2 id="antwoorden" { "Antwoorden van de zorgaanbieder" }
                (answers(state, app))
            }
            section aria-labelledby="beslissing" {
                h2 id="beslissing" { "Beslissing van het beleid bij indiening" }
                @match module {
                    Some(m) => {
                        (trace(state, m))
                        @if let Some(dec) = &app.decision { (receipt(&dec.receipt)) }
                    }
                    None => p { "Er is (nog) geen beslissing opgeslagen: de aanvraag is niet ingediend." }
                }
            }
        }
        (actions(user, app, &l.proposals))
        (thread(user, app, &l.messages))
        (crate::pages::attachments::section(user, app.id, &l.attachments, acts(user)))
    };
    html::page(
        state,
        Some(user),
        &format!("Aanvraag {} · {}", app.id, app.organisation_name),
        body,
    )
}

/// The provider's answers: the question (or the fact's description) and the answer.
fn answers(state: &AppState, app: &Application) -> Markup {
    let policy = state.policies.get(&app.policy_id);
    html! {
        @if app.facts.is_empty() {
            p { "Er zijn geen antwoorden gegeven." }
        } @else {
            table {
                thead { tr { th scope="col" { "Vraag" } th scope="col" { "Antwoord" } } }
                tbody {
                    @for (name, value) in &app.facts {
                        @let decl = policy.and_then(|p| p.fact(name));
                        tr {
                            th scope="row" {
                                (decl.as_ref().map(|d| d.label.clone()).unwrap_or_else(|| name.clone()))
                                br; code.hint { (name) }
                            }
                            td {
                                (answer_text(value))
                                @if let Some(u) = decl.as_ref().and_then(|d| d.unit.clone()) { " " (u) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn answer_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Bool(true) => "Ja".into(),
        serde_json::Value::Bool(false) => "Nee".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string().replace('.', ","),
        serde_json::Value::Array(items) => {
            items.iter().map(answer_text).collect::<Vec<_>>().join(", ")
        }
        serde_json::Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// A step's outcome in Dutch, with the badge's CSS class.
fn step_label(o: StepOutcome) -> (&'static str, &'static str) {
    match o {
        StepOutcome::Passed => ("voldaan", "ok"),
        StepOutcome::Failed => ("niet voldaan", "no"),
        StepOutcome::Unknown => ("antwoord ontbreekt", "info"),
        StepOutcome::Review => ("beoordeling door de zorginkoper", "review"),
        StepOutcome::Info => ("ter informatie", "info"),
    }
}

/// The engine's trace: the module's outcome, then every step with its outcome, the rule's text,
/// what it read, its note, and the passage it rests on.
fn trace(state: &AppState, m: &ModuleDecision) -> Markup {
    html! {
        p { "Uitkomst: " (html::outcome_badge(m.outcome)) }
        @if !m.missing_facts.is_empty() {
            p { "Ontbrekende antwoorden: " (m.missing_facts.join(", ")) }
        }
        ol.trace {
            @for s in &m.steps {
                @let (label, class) = step_label(s.outcome);
                li {
                    span class={"badge " (class)} { (label) } " " (s.text().trim())
                    @if !s.inputs.is_empty() {
                        p.hint { "Gelezen: " (s.inputs.iter().map(input_dutch).collect::<Vec<_>>().join("; ")) }
                    }
                    @if let Some(n) = &s.note { p { (n) } }
                    (html::citation(state, s.source()))
                }
            }
        }
    }
}

/// The receipt: which policy exactly, which engine, which reference date.
fn receipt(r: &Receipt) -> Markup {
    html! {
        h3 { "Ontvangstbewijs van de beslissing" }
        dl.kv {
            dt { "Beleid" } dd { (r.policy_id) ", versie " (r.policy_version) }
            dt { "SHA-256 van het beleid" } dd { code { (r.policy_sha256) } }
            dt { "Rekenkern" } dd { (r.engine_version) }
            dt { "Peildatum" } dd { (html::date_nl(r.reference_date)) }
        }
    }
}

/// The purchaser's actions on the application's current state, or what follows from it.
fn actions(user: &CurrentUser, app: &Application, proposals: &[Proposal]) -> Markup {
    let target = format!("/inkoop/aanvragen/{}/beoordelen", app.id);
    let open = matches!(app.state, Stage::Submitted | Stage::UnderReview);
    let has_contract_or_offer = proposals.iter().any(|p| {
        matches!(
            p.state,
            proposals::State::Proposed | proposals::State::Accepted
        )
    });
    html! {
        section aria-labelledby="beoordelen" {
            h2 id="beoordelen" { "Beoordelen" }
            @if !acts(user) { (read_only_note()) }
            @match app.state {
                Stage::Draft => p { "De zorgaanbieder heeft deze aanvraag nog niet ingediend." },
                Stage::InformationRequested => p { "Er is informatie gevraagd; de aanvraag ligt bij de zorgaanbieder tot die haar opnieuw indient." },
                Stage::Refused => p { "Deze aanvraag is afgewezen." },
                Stage::Granted => p { "Deze aanvraag is toegekend." },
                _ => {}
            }
            @if open && acts(user) {
                div.cards {
                    @if app.state == Stage::Submitted {
                        form.card method="post" action=(target) {
                            (html::csrf_field(user))
                            input type="hidden" name="actie" value="start";
                            p.hint { "Laat de zorgaanbieder zien dat u de aanvraag beoordeelt." }
                            button type="submit" { "In behandeling nemen" }
                        }
                    }
                    form.card method="post" action=(target) {
                        (html::csrf_field(user))
                        input type="hidden" name="actie" value="toekennen";
                        p.hint { "Na toekenning kunt u een contract voorstellen." }
                        button type="submit" { "Toekennen" }
                    }
                    form.card method="post" action=(target) {
                        (html::csrf_field(user))
                        input type="hidden" name="actie" value="informatie";
                        label for="vraag" { "Vraag" }
                        textarea id="vraag" name="vraag" required aria-describedby="vraag-hint" {}
                        p.hint id="vraag-hint" { "De vraag komt in de berichten; de aanvraag gaat terug naar de zorgaanbieder." }
                        button.secondary type="submit" { "Informatie vragen" }
                    }
                    form.card method="post" action=(target) {
                        (html::csrf_field(user))
                        input type="hidden" name="actie" value="afwijzen";
                        label for="reden" { "Reden" }
                        textarea id="reden" name="reden" required aria-describedby="reden-hint" {}
                        p.hint id="reden-hint" { "De zorgaanbieder leest deze reden." }
                        button.danger type="submit" { "Afwijzen" }
                    }
                }
            }
            @if app.state == Stage::Granted {
                @if !proposals.is_empty() {
                    h3 { "Voorstellen voor deze aanvraag" }
                    ul {
                        @for p in proposals {
                            li { a href={"/voorstellen/" (p.id)} { "Voorstel " (p.id) } ": " (p.state.label()) }
                        }
                    }
                }
                @if !has_contract_or_offer {
                    p { a.button href={"/inkoop/aanvragen/" (app.id) "/voorstel"} { "Contract voorstellen" } }
                }
            }
        }
    }
}

fn role_label(role: &str) -> &str {
    Role::parse(role).map(|r| r.label()).unwrap_or(role)
}

/// The question-and-answer thread, with the form to post (purchasers).
fn thread(user: &CurrentUser, app: &Application, messages: &[Message]) -> Markup {
    html! {
        section aria-labelledby="berichten" {
            h2 id="berichten" { "Vragen en antwoorden" }
            div id="berichtenlijst" aria-live="polite" {
                @if messages.is_empty() {
                    p { "Nog geen berichten." }
                } @else {
                    ol.thread {
                        @for m in messages {
                            li {
                                p.hint { strong { (m.author) } " (" (role_label(&m.author_role)) "), " (html::timestamp_nl(&m.created_at)) }
                                p { (m.body) }
                            }
                        }
                    }
                }
            }
            @if acts(user) {
                form method="post" action={"/inkoop/aanvragen/" (app.id) "/berichten"} {
                    (html::csrf_field(user))
                    label for="bericht" { "Bericht" }
                    textarea id="bericht" name="bericht" required {}
                    p { button type="submit" { "Versturen" } }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    #[serde(default)]
    actie: String,
    #[serde(default)]
    vraag: String,
    #[serde(default)]
    reden: String,
}

pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<ActForm>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    insurer_only(&user)?;
    let f = posted.form;
    let step = match f.actie.as_str() {
        "start" => Review::Start,
        "toekennen" => Review::Grant,
        "informatie" => Review::RequestInformation(f.vraag.trim().to_string()),
        "afwijzen" => Review::Refuse(f.reden.trim().to_string()),
        other => {
            return Err(AppError::Invalid {
                field: "actie".into(),
                problem: format!(
                    "{other:?} is geen actie (start, toekennen, informatie of afwijzen)"
                ),
            }
            .into());
        }
    };
    let actor = user.actor.clone();
    let now = state.now_for(application_organisation(&state, &user, id).await?);
    match state
        .run(move |s| applications::review(&s.db, &actor, id, &step, now))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/inkoop/aanvragen/{id}")).into_response()),
        Err(e) => with_problem(&state, &user, id, e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    bericht: String,
}

pub async fn message(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<MessageForm>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let now = state.now_for(application_organisation(&state, &user, id).await?);
    let body = posted.form.bericht;
    match state
        .run(move |s| applications::post_message(&s.db, &actor, id, &body, now))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/inkoop/aanvragen/{id}#berichten")).into_response()),
        Err(e) => with_problem(&state, &user, id, e).await,
    }
}

/// The organisation an application belongs to (its demo day is the day of the purchaser's
/// action on it); 404 as for the page when it does not exist.
async fn application_organisation(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<i64, AppError> {
    let actor = user.actor.clone();
    state
        .run(move |s| Ok(applications::get(&s.db, &actor, id)?.organisation_id))
        .await
}
