//! The purchaser's side of district nursing: the queue with the processing term of 5 working
//! days (due date, working days left, overdue flagged; the earliest due first), filters by
//! status, and the decision page with the assessment, the budget proposal (category,
//! basisbudget, the ratio of a new provider) with their citations, granting the
//! disproportionality escape, granting or refusing. Each provider's dates are its own.

use super::{answers_view, budget_view, findings_view, state_badge, term};
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::pages::purchaser::{acts, insurer_only};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use zorginkoop_app::AppError;
use zorginkoop_app::nursing::{self, Application, Budget, Review, State as St, spec};

/// Filters of the queue.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    /// A state (`submitted`, `refused`, `proposed`, `signed`), `te-laat` (overdue), or empty.
    #[serde(default)]
    pub status: String,
}

pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(filter): Query<Filter>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let wanted = St::parse(&filter.status);
    let list = state
        .run(move |s| nursing::queue(&s.db, &actor, wanted))
        .await?;
    let rows: Vec<(&Application, chrono::NaiveDate)> = list
        .iter()
        .map(|a| (a, state.today_for(a.organisation_id)))
        .filter(|(a, today)| filter.status != "te-laat" || a.overdue(*today))
        .collect();
    let overdue = list
        .iter()
        .filter(|a| a.overdue(state.today_for(a.organisation_id)))
        .count();
    let body = html! {
        p { "De aanvragen wijkverpleging 2021. Het verwerken van een aanvraag kost maximaal 5 werkdagen (weekenden en feestdagen tellen niet mee); de eerst vervallende staat bovenaan." }
        (html::citation(&state, &spec::PROCESSING_TERM.source()))
        form.inline method="get" action="/inkoop/wijkverpleging" {
            label for="status" { "Toon" }
            select id="status" name="status" {
                option value="" selected[filter.status.is_empty()] { "alle aanvragen" }
                @for s in St::ALL { option value=(s.as_str()) selected[filter.status == s.as_str()] { (s.label()) } }
                option value="te-laat" selected[filter.status == "te-laat"] { "termijn verstreken" }
            }
            button.secondary type="submit" { "Filter" }
        }
        @if overdue > 0 {
            p.error role="alert" { (overdue) (if overdue == 1 { " aanvraag wacht" } else { " aanvragen wachten" }) " langer dan 5 werkdagen op een besluit." }
        }
        @if rows.is_empty() {
            p.notice role="status" { "Geen aanvragen." }
        } @else {
            div.table-wrap { table {
                caption { (rows.len()) " aanvragen wijkverpleging" }
                thead { tr {
                    th scope="col" { "Zorgaanbieder" } th scope="col" { "Procedure" } th scope="col" { "Status" }
                    th scope="col" { "Ingediend" } th scope="col" { "Uiterlijk" } th scope="col" { "Werkdagen over" }
                } }
                tbody {
                    @for (a, today) in &rows {
                        tr {
                            th scope="row" { a href={"/inkoop/wijkverpleging/" (a.id)} { (a.organisation_name) } }
                            td { (a.procedure.label()) }
                            td { (state_badge(a.state)) }
                            td { (html::date_nl(a.submitted_on)) }
                            td { (html::date_nl(a.due_on)) }
                            td {
                                @if a.overdue(*today) { span.badge.no { "te laat" } }
                                @else if let Some(n) = a.working_days_left(*today) { (n) }
                                @else { "—" }
                            }
                        }
                    }
                }
            } }
        }
    };
    Ok(html::page(&state, Some(&user), "Aanvragen wijkverpleging", body).into_response())
}

fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("aanvraag wijkverpleging {raw}")))
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(Application, Option<Budget>, Option<String>), AppError> {
    let actor = user.actor.clone();
    state
        .run(move |s| {
            let app = nursing::get(&s.db, &actor, id)?;
            let (preview, problem) = match app.state {
                St::Submitted => {
                    match nursing::proposal_preview(&s.db, &s.policies, &actor, &app) {
                        Ok(b) => (Some(b), None),
                        Err(e) => (None, Some(e.to_string())),
                    }
                }
                _ => (None, None),
            };
            Ok((app, preview, problem))
        })
        .await
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let id = parse_id(&id)?;
    let loaded = load(&state, &user, id).await?;
    Ok(render(&state, &user, loaded, None).into_response())
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    (app, preview, budget_problem): (Application, Option<Budget>, Option<String>),
    problem: Option<&str>,
) -> axum::response::Html<String> {
    let today = state.today_for(app.organisation_id);
    let escapes = app.escapes();
    let body = html! {
        p { a href="/inkoop/wijkverpleging" { "← Aanvragen wijkverpleging" } }
        @if let Some(p) = problem { p.error role="alert" { (p) } }
        dl.figures {
            dt { "Zorgaanbieder" } dd { (app.organisation_name) @if let Some(agb) = &app.organisation_agb { " (AGB " (agb) ")" } }
            dt { "Procedure" } dd { (app.procedure.label()) }
            dt { "Status" } dd { (state_badge(app.state)) }
        }
        (term(state, &app, today))
        @if let Some(r) = &app.reason {
            section aria-labelledby="reden" { h2 id="reden" { "Reden van de afwijzing" } p.error { (r) } }
        }
        (findings_view(state, &app.findings, &app.escapes_granted))
        @if let Some(b) = app.budget.as_ref().or(preview.as_ref()) {
            (budget_view(state, b, if app.budget.is_some() { "Voorstel" } else { "Voorstel bij toekennen" }))
        }
        @if let Some(p) = &budget_problem { p.error { "Het voorstel kan niet worden berekend: " (p) } }
        (answers_view(state, &app))
        @if app.state == St::Submitted && acts(user) {
            section aria-labelledby="besluit" {
                h2 id="besluit" { "Besluit" }
                form method="post" action={"/inkoop/wijkverpleging/" (app.id) "/besluit"} {
                    (html::csrf_field(user))
                    @if !escapes.is_empty() {
                        fieldset {
                            legend { "Beroep op de uitzondering bij een uitsluitingscriterium" }
                            @for f in &escapes {
                                @let id = f.key.replace('.', "-");
                                label.choice for={"uitzondering-" (id)} {
                                    input type="checkbox" id={"uitzondering-" (id)} name="uitzondering" value=(f.key);
                                    " Uitzondering toekennen voor vraag " (f.key.trim_start_matches("q.")) ": Zilveren Kruis acht uitsluiting disproportioneel"
                                }
                            }
                            (html::citation(state, &spec::ESCAPE.source()))
                        }
                    }
                    p { button type="submit" name="actie" value="toekennen" { "Toekennen met voorstel" } }
                    label for="reden-tekst" { "Reden bij afwijzen" }
                    textarea id="reden-tekst" name="reden" rows="3" {}
                    p { button.secondary type="submit" name="actie" value="afwijzen" { "Afwijzen" } }
                }
            }
        }
    };
    html::page(
        state,
        Some(user),
        &format!("Aanvraag wijkverpleging {}", app.organisation_name),
        body,
    )
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    insurer_only(&user)?;
    let id = parse_id(&id)?;
    let action = form
        .iter()
        .find(|(k, _)| k == "actie")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let decision = match action {
        "toekennen" => Review::Grant {
            escapes_granted: form
                .iter()
                .filter(|(k, _)| k == "uitzondering")
                .map(|(_, v)| v.clone())
                .collect(),
        },
        "afwijzen" => Review::Refuse {
            reason: form
                .iter()
                .find(|(k, _)| k == "reden")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        },
        _ => {
            return Err(AppError::Invalid {
                field: "besluit".into(),
                problem: "kies toekennen of afwijzen".into(),
            }
            .into());
        }
    };
    let actor = user.actor.clone();
    let result = state
        .run(move |s| {
            let app = nursing::get(&s.db, &actor, id)?;
            let (today, now) = (
                s.today_for(app.organisation_id),
                s.now_for(app.organisation_id),
            );
            nursing::review(&s.db, &s.policies, &actor, id, decision, today, now)
        })
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/inkoop/wijkverpleging/{id}")).into_response()),
        Err(e) => {
            let code = crate::error::status(&e);
            if !matches!(
                code,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return Err(e.into());
            }
            let loaded = load(&state, &user, id).await?;
            Ok((code, render(&state, &user, loaded, Some(&e.to_string()))).into_response())
        }
    }
}
