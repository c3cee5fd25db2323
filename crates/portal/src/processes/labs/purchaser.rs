//! The purchaser's side of labs and thrombosis: the laboratories' choices and the thrombosis
//! contracts in one list, the requests to expand or move production in a list of their own (no
//! term), both filtered by status; the decision page with the figures and their citations, the
//! engine's trace, granting or refusing, and proposing the contract with the chosen contract's
//! figures. A provider's dates are its own (the demo's day per organisation).

use super::provider::module_name;
use super::request_figures;
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::pages::provider::decision;
use crate::pages::purchaser::{acts, insurer_only};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zorginkoop_app::AppError;
use zorginkoop_app::applications::{Review, State as AppState_};
use zorginkoop_app::labs::{self, Kind, Request};
use zorginkoop_app::policy::dutch;

/// Filters of the queue.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    /// A value of `labs::STATUSES`, or empty for all.
    #[serde(default)]
    pub status: String,
}

fn table(state: &AppState, caption: &str, rows: &[&Request], change: bool) -> Markup {
    html! {
        @if rows.is_empty() {
            p { "Geen." }
        } @else {
            div.table-wrap { table {
                caption { (caption) " (" (rows.len()) ")" }
                thead { tr {
                    th scope="col" { "Zorgaanbieder" } th scope="col" { "Wat" }
                    @if change { th scope="col" { "Verzoek" } } @else { th scope="col" { "Omzetplafond" } }
                    th scope="col" { "Status" } th scope="col" { "Ingediend" }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { a href={"/inkoop/labs/" (r.id)} { (r.organisation_name) } }
                            td { (module_name(state, &r.module)) }
                            @if change {
                                td { @if let Some(c) = &r.change { (c.change) ", " (c.location) ", met ingang van " (html::date_nl(c.from)) } }
                            } @else {
                                td { (r.ceiling.map(dutch::euro).unwrap_or_else(|| "—".into())) }
                            }
                            td.status { (r.status_label()) }
                            td { (html::timestamp_nl(&r.created_at)) }
                        }
                    }
                }
            } }
        }
    }
}

pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(filter): Query<Filter>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let all = state.run(move |s| labs::list(&s.db, &actor)).await?;
    let rows: Vec<&Request> = all
        .iter()
        .filter(|r| filter.status.is_empty() || r.status() == filter.status)
        .collect();
    let contracts: Vec<&Request> = rows
        .iter()
        .copied()
        .filter(|r| r.kind != Kind::ProductionChange)
        .collect();
    let changes: Vec<&Request> = rows
        .iter()
        .copied()
        .filter(|r| r.kind == Kind::ProductionChange)
        .collect();
    let body = html! {
        p { "De keuzes van de laboratoria (reguliere of voorkeursovereenkomst), de overeenkomsten trombosezorg en, apart, "
            "de verzoeken om productie uit te breiden of te verplaatsen. De aanvraag sluit op 31 december 2019 (getekende overeenkomst 2020); "
            "een verzoek om productie uit te breiden of te verplaatsen heeft geen termijn." }
        form.inline method="get" action="/inkoop/labs" {
            label for="status" { "Status" }
            select id="status" name="status" {
                option value="" selected[filter.status.is_empty()] { "alle" }
                @for (v, l) in labs::STATUSES {
                    option value=(v) selected[filter.status == *v] { (l) }
                }
            }
            button.secondary type="submit" { "Filter" }
        }
        section aria-labelledby="keuzes" {
            h2 id="keuzes" { "Keuzes en overeenkomsten" }
            (table(&state, "Keuzes en overeenkomsten", &contracts, false))
        }
        section aria-labelledby="productieverzoeken" {
            h2 id="productieverzoeken" { "Verzoeken productie uitbreiden of verplaatsen" }
            p.hint { "Zonder termijn: het beleid noemt er geen. Zilveren Kruis beoordeelt ze als de aanvraag van een nieuwe zorgaanbieder." }
            (html::citation(&state, &labs::spec::PRODUCTION_CHANGE_ASSESSED.source()))
            (table(&state, "Verzoeken productie uitbreiden of verplaatsen", &changes, true))
        }
    };
    Ok(html::page(&state, Some(&user), "Labs en trombose", body).into_response())
}

fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse::<i64>()
        .map_err(|_| AppError::NotFound(format!("verzoek {id}")))
}

async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Request, AppError> {
    let actor = user.actor.clone();
    state.run(move |s| labs::get(&s.db, &actor, id)).await
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    r: &Request,
    problem: Option<&str>,
) -> Result<axum::response::Html<String>, AppError> {
    let figures = request_figures(state, r)?;
    let open = matches!(
        r.application.state,
        AppState_::Submitted | AppState_::UnderReview
    );
    let can_propose = r.application.state == AppState_::Granted
        && r.kind != Kind::ProductionChange
        && r.proposal
            .as_ref()
            .is_none_or(|p| p.state == zorginkoop_app::proposals::State::Refused);
    let module_decision = r
        .application
        .decision
        .as_ref()
        .and_then(|d| d.module(&r.module));
    let policy = zorginkoop_app::policies::find(&state.policies, &r.policy_id)?;
    let period = labs::contract_period(
        policy,
        &r.module,
        r.application
            .earliest_start
            .unwrap_or(policy.file.policy.period_start),
    )?;
    let body = html! {
        dl.kv {
            dt { "Zorgaanbieder" } dd { (r.organisation_name) }
            dt { "Wat" } dd { (r.kind.label()) }
            dt { "Overeenkomst" } dd { (module_name(state, &r.module)) }
            dt { "Status" } dd.status { (r.status_label()) }
            dt { "Ingediend" } dd { (html::timestamp_nl(&r.created_at)) " (demodatum van deze zorgaanbieder: " (html::date_nl(state.today_for(r.organisation_id))) ")" }
            dt { "Aanvraag" } dd { a href={"/inkoop/aanvragen/" (r.application_id)} { "aanvraag " (r.application_id) } }
            @if let Some(p) = &r.proposal { dt { "Voorstel" } dd { "voorstel " (p.id) " (" (p.state.label()) ")" } }
        }
        @if let Some(p) = problem { p.error role="alert" { (p) } }
        (figures)
        section aria-labelledby="trace" {
            h2 id="trace" { "Beslissing van de engine" }
            @match module_decision {
                Some(md) => {
                    p { "Uitkomst: " (html::outcome_badge(md.outcome)) }
                    details.explanation open { summary { "Trace: elke regel met wat hij las en de tekst waarop hij rust" }
                        (decision::steps(state, &md.steps)) }
                }
                None => p { "Nog geen beslissing." },
            }
        }
        @if acts(user) && open {
            section aria-labelledby="besluit" {
                h2 id="besluit" { "Besluit" }
                form method="post" action={"/inkoop/labs/" (r.id) "/besluit"} {
                    (html::csrf_field(user))
                    div.field {
                        label for="toelichting" { "Toelichting (verplicht bij afwijzen; de zorgaanbieder leest dit)" }
                        textarea id="toelichting" name="toelichting" rows="2" {}
                    }
                    p {
                        button type="submit" name="besluit" value="toekennen" { "Toekennen" } " "
                        button.danger type="submit" name="besluit" value="afwijzen" { "Afwijzen" }
                    }
                }
            }
        }
        @if acts(user) && can_propose {
            section aria-labelledby="voorstel" {
                h2 id="voorstel" { "Voorstel" }
                p { "Het voorstel krijgt de cijfers van de gekozen overeenkomst: looptijd "
                    (html::date_nl(period.0)) " tot en met " (period.1.map(html::date_nl).unwrap_or_else(|| "onbepaalde tijd".into()))
                    @if let Some(c) = r.ceiling { ", omzetplafond " strong { (dutch::euro(c)) } }
                    ", en de tariefparameters van de module uit het beleid." }
                form method="post" action={"/inkoop/labs/" (r.id) "/voorstel"} {
                    (html::csrf_field(user))
                    button type="submit" { "Voorstel doen" }
                }
            }
        }
        p { a href="/inkoop/labs" { "Terug naar de lijst" } }
    };
    Ok(html::page(
        state,
        Some(user),
        &format!("{}: {}", r.organisation_name, r.kind.label()),
        body,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let id = parse_id(&id)?;
    let r = load(&state, &user, id).await?;
    Ok(render(&state, &user, &r, None)?.into_response())
}

async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<(), AppError>,
) -> Result<Response, PortalError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/inkoop/labs/{id}")).into_response()),
        Err(e) => {
            let code = crate::error::status(&e);
            if !matches!(
                code,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return Err(e.into());
            }
            let r = load(state, user, id).await?;
            Ok((code, render(state, user, &r, Some(&e.to_string()))?).into_response())
        }
    }
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    insurer_only(&user)?;
    let id = parse_id(&id)?;
    let r = load(&state, &user, id).await?;
    let get = |k: &str| super::field(&form, k).to_string();
    let step = match get("besluit").as_str() {
        "toekennen" => Ok(Review::Grant),
        "afwijzen" => Ok(Review::Refuse(get("toelichting"))),
        other => Err(AppError::Invalid {
            field: "besluit".into(),
            problem: format!("{other:?} is geen besluit (toekennen of afwijzen)"),
        }),
    };
    let now = state.now_for(r.organisation_id);
    let result = match step {
        Ok(step) => {
            let actor = user.actor.clone();
            state
                .run(move |s| labs::review(&s.db, &actor, id, &step, now))
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    after(&state, &user, id, result).await
}

pub async fn propose(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, .. } = posted;
    insurer_only(&user)?;
    let id = parse_id(&id)?;
    let r = load(&state, &user, id).await?;
    let now = state.now_for(r.organisation_id);
    let actor = user.actor.clone();
    let result = state
        .run(move |s| labs::propose(&s.db, &s.policies, &actor, id, now))
        .await
        .map(|_| ());
    after(&state, &user, id, result).await
}
