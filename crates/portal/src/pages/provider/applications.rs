//! Applications: the organisation's list, starting one from the catalogue, and one application
//! with its questions as a form (generated from the policy's fact declarations), the live
//! decision (`<section id="beslissing" aria-live="polite">`, which htmx replaces after every
//! change), submission, and the question-and-answer thread with the purchaser (with its
//! attachments, uploaded through [`crate::pages::attachments`]).
//!
//! Without JavaScript every form is a plain POST followed by a 303 to the page; with htmx a
//! change in the form saves the answers and only the decision comes back.

use super::facts_form::{self, Raw};
use super::{decision, is_htmx, module_name, policy_title, require_provider};
use crate::auth::{CurrentUser, Posted};
use crate::error::{PortalError, status};
use crate::html;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Role};
use zorginkoop_app::applications::{self, Application, Message, State as AppStateKind};
use zorginkoop_app::attachments::{self, Attachment};
use zorginkoop_app::engine::ModuleDecision;
use zorginkoop_app::policy::FactDecl;
use zorginkoop_app::proposals::{self, Proposal};

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let apps = state
        .run(move |s| applications::list_for(&s.db, &actor, actor.organisation_id))
        .await?;
    let body = html! {
        p { "Een aanvraag begint u in de " a href="/catalogus" { "catalogus" } ". Uw antwoorden blijven bewaard tot u indient." }
        (super::dashboard::applications_table(&state, &apps))
    };
    Ok(html::page(&state, Some(&user), "Aanvragen", body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    beleid: String,
    #[serde(default)]
    module: String,
}

pub async fn start(
    State(state): State<AppState>,
    posted: Posted<StartForm>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    let actor = user.actor.clone();
    let now = state.now_for(actor.organisation_id);
    let id = state
        .run(move |s| {
            applications::start(&s.db, &s.policies, &actor, &form.beleid, &form.module, now)
        })
        .await?;
    Ok(Redirect::to(&format!("/aanvragen/{id}")).into_response())
}

/// What one application's page shows.
pub struct View {
    pub app: Application,
    /// The questions of the module.
    pub decls: Vec<FactDecl>,
    /// The engine's decision on the answers so far, as if submitted today (editable states).
    pub live: Option<ModuleDecision>,
    pub messages: Vec<Message>,
    /// The files added to the thread.
    pub attachments: Vec<Attachment>,
    /// The proposals that follow from this application.
    pub proposals: Vec<Proposal>,
}

impl View {
    /// The decision to show: the live one, else the one kept at submission.
    pub fn decision(&self) -> Option<&ModuleDecision> {
        self.live.as_ref().or_else(|| {
            self.app
                .decision
                .as_ref()
                .and_then(|d| d.module(&self.app.module))
        })
    }
}

/// Loads an application with everything its page shows (404 for another organisation's).
pub async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<View, AppError> {
    let actor = user.actor.clone();
    let today = state.today_for(actor.organisation_id);
    state
        .run(move |s| {
            let app = applications::get(&s.db, &actor, id)?;
            let policy = zorginkoop_app::policies::find(&s.policies, &app.policy_id)?;
            let decls = applications::module_facts(policy, &app.module)?;
            let live = if app.state.editable() {
                let org = accounts::organisation(&s.db, &actor, app.organisation_id)?;
                Some(applications::decide_module(
                    &s.db,
                    policy,
                    &org,
                    &app.module,
                    &app.facts,
                    today,
                )?)
            } else {
                None
            };
            let messages = applications::messages(&s.db, &actor, id)?;
            let attachments = attachments::list(&s.db, &actor, id)?;
            let proposals = proposals::list_for(&s.db, &actor, app.organisation_id)?
                .into_iter()
                .filter(|p| p.application_id == Some(id))
                .collect();
            Ok(View {
                app,
                decls,
                live,
                messages,
                attachments,
                proposals,
            })
        })
        .await
}

/// What a page shows beyond the stored application: posted values with their problems, a
/// message at the top, the message being written.
#[derive(Debug, Default)]
pub struct Extra {
    pub raw: Option<Raw>,
    pub problems: BTreeMap<String, String>,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
    pub message_text: String,
    pub message_error: Option<String>,
}

fn problems_list(decls: &[FactDecl], problems: &BTreeMap<String, String>) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error role="alert" {
                p { "Niet opgeslagen: controleer deze antwoorden." }
                ul {
                    @for d in decls.iter().filter(|d| problems.contains_key(&d.id)) {
                        li { a href={"#f-" (d.id)} { (d.label) } ": " (problems[&d.id]) }
                    }
                    @for (field, problem) in problems.iter().filter(|(f, _)| !decls.iter().any(|d| &&d.id == f)) {
                        li { (field) ": " (problem) }
                    }
                }
            }
        }
    }
}

/// The decision section, which htmx replaces after each change.
pub fn decision_section(
    state: &AppState,
    view: &View,
    problems: &BTreeMap<String, String>,
) -> Markup {
    let today = state.today_for(view.app.organisation_id);
    let policy = state.policies.get(&view.app.policy_id);
    html! {
        section id="beslissing" aria-live="polite" aria-labelledby="beslissing-kop" {
            h2 id="beslissing-kop" {
                @if view.live.is_some() { "Beslissing op uw antwoorden" } @else { "Beslissing bij indiening" }
            }
            (problems_list(&view.decls, problems))
            @match (view.decision(), policy) {
                (Some(md), Some(policy)) => {
                    @if view.live.is_some() {
                        p.hint { "Zoals de engine nu beslist, met vandaag (" (html::date_nl(today)) ") als aanvraagdatum." }
                    } @else if let Some(d) = view.app.request_date {
                        p.hint { "Beslist op de aanvraagdatum " (html::date_nl(d)) "." }
                    }
                    (decision::full(state, policy, md, today, view.live.is_some()))
                    @if view.live.is_some() && md.missing_facts.is_empty() && decision::window_refusal(md).is_none() {
                        p { "Alle vragen zijn beantwoord: u kunt indienen." }
                    }
                }
                _ => { p.hint { "Geen beslissing beschikbaar." } }
            }
        }
    }
}

fn answers_table(view: &View) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead { tr { th scope="col" { "Vraag" } th scope="col" { "Antwoord" } } }
                tbody {
                    @for d in &view.decls {
                        tr {
                            th scope="row" { (d.label) }
                            td { (facts_form::answer_text(view.app.facts.get(&d.id))) }
                        }
                    }
                }
            }
        }
    }
}

fn thread(user: &CurrentUser, view: &View, extra: &Extra) -> Markup {
    let id = view.app.id;
    html! {
        section aria-labelledby="berichten" {
            h2 id="berichten" tabindex="-1" { "Berichten" }
            @if view.messages.is_empty() {
                p.hint { "Nog geen berichten. Heeft u een vraag over deze aanvraag? Stel hem hier aan de zorginkoper." }
            } @else {
                ol.thread {
                    @for m in &view.messages {
                        li {
                            p.hint {
                                strong { (m.author) } " ("
                                (Role::parse(&m.author_role).map(|r| r.label()).unwrap_or(&m.author_role))
                                ") · " (html::timestamp_nl(&m.created_at))
                            }
                            p { @for (i, line) in m.body.lines().enumerate() { @if i > 0 { br; } (line) } }
                        }
                    }
                }
            }
            form method="post" action={"/aanvragen/" (id) "/berichten"} {
                (html::csrf_field(user))
                @if let Some(e) = &extra.message_error {
                    p.error role="alert" id="bericht-fout" { (e) }
                }
                label for="bericht" { "Bericht" }
                textarea id="bericht" name="bericht" required
                    aria-describedby=[extra.message_error.as_ref().map(|_| "bericht-fout")] { (extra.message_text) }
                p { button type="submit" { "Versturen" } }
            }
            (crate::pages::attachments::section(user, id, &view.attachments, true))
        }
    }
}

/// The whole page of an application.
pub fn render(state: &AppState, user: &CurrentUser, view: &View, extra: &Extra) -> Markup {
    let app = &view.app;
    let id = app.id;
    let editable = app.state.editable();
    let raw = extra
        .raw
        .clone()
        .unwrap_or_else(|| facts_form::raw_from_facts(&app.facts));
    let action = format!("/aanvragen/{id}/antwoorden");
    html! {
        @if let Some(n) = extra.notice {
            p.notice role="status" { (n) }
        }
        @if let Some(e) = &extra.error {
            p.error role="alert" { (e) }
        }
        dl.kv {
            dt { "Module" } dd { (module_name(state, &app.policy_id, &app.module)) }
            dt { "Beleid" } dd { (policy_title(state, &app.policy_id)) }
            dt { "Status" } dd { strong { (app.state.label()) } }
            @if let Some(d) = app.request_date {
                dt { "Aanvraagdatum" } dd { (html::date_nl(d)) }
            }
            @if let Some(d) = app.earliest_start {
                dt { "Vroegste startdatum" } dd { (html::date_nl(d)) }
            }
            @if let Some(r) = &app.reason {
                dt { @if app.state == AppStateKind::Refused { "Reden van afwijzing" } @else { "Vraag van de zorginkoper" } }
                dd { (r) }
            }
            @for p in &view.proposals {
                dt { "Voorstel" }
                dd { a href={"/voorstellen/" (p.id)} { "Voorstel " (p.id) } " (" (p.state.label()) ")" }
            }
        }
        @if app.state == AppStateKind::InformationRequested {
            p.notice { "De zorginkoper vraagt om meer informatie. Pas uw antwoorden aan of antwoord in de berichten, en dien de aanvraag opnieuw in." }
        }
        div.two-col {
            section aria-labelledby="vragen" {
                h2 id="vragen" { "Vragen" }
                @if editable {
                    form id="antwoorden" method="post" action=(action)
                        hx-post=(action) hx-trigger="change" hx-target="#beslissing" hx-swap="outerHTML" {
                        (html::csrf_field(user))
                        (facts_form::fields(&view.decls, &raw, &extra.problems))
                        p { button type="submit" { "Opslaan" } }
                        p.hint { "Uw antwoorden blijven bewaard; u kunt later verder. Met JavaScript worden ze bij elke wijziging opgeslagen." }
                    }
                } @else {
                    p.hint { "De aanvraag is " (app.state.label()) ": de antwoorden liggen vast." }
                    (answers_table(view))
                }
            }
            (decision_section(state, view, &extra.problems))
        }
        @if editable {
            section aria-labelledby="indienen" {
                h2 id="indienen" { "Indienen" }
                p.hint {
                    "Bij indienen beslist de engine opnieuw, met de dag van indienen (vandaag, "
                    (html::date_nl(state.today_for(view.app.organisation_id))) ") als aanvraagdatum; daaruit volgt de vroegste startdatum. "
                    "Daarna liggen de antwoorden vast, tenzij de zorginkoper om informatie vraagt."
                }
                form method="post" action={"/aanvragen/" (id) "/indienen"} {
                    (html::csrf_field(user))
                    button type="submit" { "Indienen" }
                }
            }
        }
        (thread(user, view, extra))
    }
}

fn page_response(
    state: &AppState,
    user: &CurrentUser,
    view: &View,
    extra: &Extra,
    code: StatusCode,
) -> Response {
    let title = format!(
        "Aanvraag: {}",
        module_name(state, &view.app.policy_id, &view.app.module)
    );
    (
        code,
        html::page(state, Some(user), &title, render(state, user, view, extra)),
    )
        .into_response()
}

/// A piece of a page, for htmx.
fn fragment(m: Markup) -> Response {
    axum::response::Html(m.into_string()).into_response()
}

#[derive(Debug, Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    opgeslagen: Option<String>,
    #[serde(default)]
    ingediend: Option<String>,
    #[serde(default)]
    verstuurd: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let view = load(&state, &user, id).await?;
    if is_htmx(&headers) {
        return Ok(fragment(decision_section(&state, &view, &BTreeMap::new())));
    }
    let notice = if flash.ingediend.is_some() {
        Some(
            "Uw aanvraag is ingediend. De zorginkoper beoordeelt hem; u ziet de status hier en op het overzicht.",
        )
    } else if flash.opgeslagen.is_some() {
        Some("Uw antwoorden zijn opgeslagen.")
    } else if flash.verstuurd.is_some() {
        Some("Uw bericht is verstuurd.")
    } else {
        None
    };
    let extra = Extra {
        notice,
        ..Extra::default()
    };
    Ok(page_response(&state, &user, &view, &extra, StatusCode::OK))
}

/// Saves the answers. htmx gets the decision section back (with the problems, if any); a
/// browser without JavaScript is sent back to the page, or sees the page with the problems.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let htmx = is_htmx(&headers);
    let view = load(&state, &user, id).await?;
    let raw = facts_form::raw_from_pairs(&form);
    let problems = match facts_form::answers(&view.decls, &raw) {
        Ok(answers) => {
            let actor = user.actor.clone();
            let now = state.now_for(actor.organisation_id);
            let saved = state
                .run(move |s| {
                    applications::save_facts(&s.db, &s.policies, &actor, id, &answers, now)
                })
                .await;
            match saved {
                Ok(_) => {
                    if !htmx {
                        return Ok(
                            Redirect::to(&format!("/aanvragen/{id}?opgeslagen=1")).into_response()
                        );
                    }
                    let view = load(&state, &user, id).await?;
                    return Ok(fragment(decision_section(&state, &view, &BTreeMap::new())));
                }
                Err(AppError::CaseRefused { problems, .. }) => problems
                    .into_iter()
                    .map(|p| {
                        let msg = match &p.hint {
                            Some(h) => format!("vul {} in ({h})", p.expected),
                            None => format!("vul {} in", p.expected),
                        };
                        let field = p
                            .field
                            .strip_prefix("feit `")
                            .and_then(|f| f.strip_suffix('`'))
                            .unwrap_or(&p.field)
                            .to_string();
                        (field, msg)
                    })
                    .collect(),
                Err(e) => return Err(e.into()),
            }
        }
        Err(problems) => problems,
    };
    if htmx {
        return Ok(fragment(decision_section(&state, &view, &problems)));
    }
    let extra = Extra {
        raw: Some(raw),
        problems,
        ..Extra::default()
    };
    Ok(page_response(
        &state,
        &user,
        &view,
        &extra,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// Submits the application; when the use case refuses (window closed, answers missing, already
/// submitted) the page shows its message.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Empty>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    require_provider(&user)?;
    let actor = user.actor.clone();
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let result = state
        .run(move |s| applications::submit(&s.db, &s.policies, &actor, id, today, now))
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/aanvragen/{id}?ingediend=1")).into_response()),
        Err(e @ (AppError::Conflict(_) | AppError::Invalid { .. })) => {
            let view = load(&state, &user, id).await?;
            let extra = Extra {
                error: Some(format!("Niet ingediend: {e}")),
                ..Extra::default()
            };
            Ok(page_response(&state, &user, &view, &extra, status(&e)))
        }
        Err(e) => Err(e.into()),
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
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let actor = user.actor.clone();
    let now = state.now_for(actor.organisation_id);
    let text = form.bericht.clone();
    let result = state
        .run(move |s| applications::post_message(&s.db, &actor, id, &text, now))
        .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/aanvragen/{id}?verstuurd=1#berichten")).into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let view = load(&state, &user, id).await?;
            let extra = Extra {
                message_text: form.bericht,
                message_error: Some(e.to_string()),
                ..Extra::default()
            };
            Ok(page_response(&state, &user, &view, &extra, status(&e)))
        }
        Err(e) => Err(e.into()),
    }
}
