//! The purchaser's side of the regioplan: every plan with its answer term (those waiting first,
//! the nearest due date first; an overdue answer flagged), and a plan with its submitted round,
//! the check, the earlier rounds and the answer per part (approve, or feedback on what must
//! change). Each RO's dates are its own (the demo gives every process a day in its window).

use super::{check_view, content_view, rounds_view, term, term_citation};
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
use std::collections::BTreeMap;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts;
use zorginkoop_app::regional_plan::{self, Check, PartAnswer, Plan, PlanState, Round, spec};

/// Filters of the queue.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    /// `wacht` (waiting for an answer), `te-laat` (overdue), or empty for all.
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
    let plans = state
        .run(move |s| regional_plan::queue(&s.db, &actor))
        .await?;
    let rows: Vec<_> = plans
        .iter()
        .map(|s| (s, state.today_for(s.plan.organisation_id)))
        .filter(|(s, today)| match filter.status.as_str() {
            "wacht" => s.plan.state == PlanState::Submitted,
            "te-laat" => s.latest.as_ref().is_some_and(|r| r.overdue(*today)),
            _ => true,
        })
        .collect();
    let overdue = plans
        .iter()
        .filter(|s| {
            s.latest
                .as_ref()
                .is_some_and(|r| r.overdue(state.today_for(s.plan.organisation_id)))
        })
        .count();
    let body = html! {
        p { "De regioplannen van de regio-organisaties. De zorginkoper reageert uiterlijk "
            (response_weeks(&state)) " weken na indiening; wie het langst wacht op een reactie staat bovenaan." }
        (term_citation(&state))
        p { a href="/inkoop/regioplannen/jaarcijfers" { "Jaarcijfers van de regio-organisaties (Kwetsbare ouderen, KBZ-monitor)" } }
        form.inline method="get" action="/inkoop/regioplannen" {
            label for="status" { "Toon" }
            select id="status" name="status" {
                option value="" selected[filter.status.is_empty()] { "alle regioplannen" }
                option value="wacht" selected[filter.status == "wacht"] { "wacht op reactie" }
                option value="te-laat" selected[filter.status == "te-laat"] { "reactie te laat" }
            }
            button.secondary type="submit" { "Filter" }
        }
        @if overdue > 0 {
            p.error role="alert" { (overdue) (if overdue == 1 { " regioplan wacht" } else { " regioplannen wachten" }) " langer dan de termijn op een reactie." }
        }
        @if rows.is_empty() {
            p.notice role="status" { "Geen regioplannen." }
        } @else {
            div.table-wrap { table {
                caption { (rows.len()) " regioplannen" }
                thead { tr {
                    th scope="col" { "Regio-organisatie" } th scope="col" { "Status" } th scope="col" { "Ronde" }
                    th scope="col" { "Ingediend" } th scope="col" { "Reactietermijn" }
                } }
                tbody {
                    @for (s, today) in &rows {
                        tr {
                            td { a href={"/inkoop/regioplannen/" (s.plan.id)} { (s.plan.organisation_name) } }
                            td { (s.plan.state.label()) }
                            td { (s.latest.as_ref().map(|r| r.round).unwrap_or(0)) }
                            td { (s.latest.as_ref().map(|r| html::date_nl(r.submitted_on)).unwrap_or_else(|| "—".into())) }
                            td { @if let Some(r) = &s.latest { (term(r, *today)) } @else { "—" } }
                        }
                    }
                }
            } }
        }
    };
    Ok(html::page(&state, Some(&user), "Regioplannen", body).into_response())
}

fn response_weeks(state: &AppState) -> i64 {
    state
        .policies
        .get(regional_plan::POLICY)
        .and_then(|p| {
            let start = p.file.policy.period_start;
            regional_plan::response_weeks(p, start).ok()
        })
        .unwrap_or(3)
}

struct Loaded {
    plan: Plan,
    rounds: Vec<Round>,
    check: Check,
}

async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Loaded, AppError> {
    let actor = user.actor.clone();
    let state2 = state.clone();
    state
        .run(move |s| {
            let plan = regional_plan::get(&s.db, &actor, id)?;
            let today = state2.today_for(plan.organisation_id);
            let org = accounts::organisation(&s.db, &actor, plan.organisation_id)?;
            let policy = zorginkoop_app::policies::find(&s.policies, &plan.policy_id)?;
            let rounds = regional_plan::rounds(&s.db, &actor, id)?;
            // the purchaser judges what was submitted: the latest round's content
            let content = rounds.last().map_or(&plan.content, |r| &r.content);
            let check = regional_plan::check(policy, &org, content, !rounds.is_empty(), today)?;
            Ok(Loaded {
                plan,
                rounds,
                check,
            })
        })
        .await
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let l = load(&state, &user, id).await?;
    Ok(render(&state, &user, &l, None).into_response())
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    l: &Loaded,
    problem: Option<&str>,
) -> axum::response::Html<String> {
    let today = state.today_for(l.plan.organisation_id);
    let waiting = l.plan.state == PlanState::Submitted;
    let latest = l.rounds.last();
    let body = html! {
        p { "Status: " strong { (l.plan.state.label()) } " · demodatum of vandaag voor deze regio: " (html::date_nl(today)) }
        @if let Some(r) = latest.filter(|_| waiting) {
            p.notice role="status" { "Ronde " (r.round) " ingediend op " (html::date_nl(r.submitted_on)) ". " (term(r, today)) }
            @if let Some(d) = &r.document {
                p { "Plandocument: " a href={"/regioplan/documenten/" (d.id)} { (d.file_name) } " (SHA-256 " code { (&d.sha256[..12]) } "…)" }
            }
        }
        @if let Some(p) = problem { p.error role="alert" { (p) } }
        (check_view(state, &l.check))
        (content_view(state, latest.map_or(&l.plan.content, |r| &r.content)))
        (rounds_view(&l.rounds, today))
        @if waiting && acts(user) {
            section aria-labelledby="reactie" {
                h2 id="reactie" { "Reactie" }
                p { "Keur elk onderdeel goed of geef feedback. Zijn alle onderdelen goed, dan is het plan goedgekeurd en krijgt de aanvraag "
                    "voor de O&I-overeenkomst de antwoorden uit het plan; anders gaat het plan terug naar de regio-organisatie." }
                (term_citation(state))
                form method="post" action={"/inkoop/regioplannen/" (l.plan.id) "/reactie"} {
                    (html::csrf_field(user))
                    @for p in spec::answerable_parts() {
                        fieldset {
                            legend { (p.label) }
                            div.choice {
                                input type="radio" id={"oordeel-" (p.id) "-goed"} name={"oordeel." (p.id)} value="goed";
                                label for={"oordeel-" (p.id) "-goed"} { "Goed" }
                                input type="radio" id={"oordeel-" (p.id) "-feedback"} name={"oordeel." (p.id)} value="feedback";
                                label for={"oordeel-" (p.id) "-feedback"} { "Feedback" }
                            }
                            label for={"feedback-" (p.id)} { "Feedback: wat moet er anders" }
                            textarea id={"feedback-" (p.id)} name={"feedback." (p.id)} rows="2" {}
                        }
                    }
                    p { button type="submit" { "Reactie versturen" } }
                }
            }
        }
    };
    html::page(
        state,
        Some(user),
        &format!("Regioplan {}", l.plan.organisation_name),
        body,
    )
}

/// The answer form as answers per part: `oordeel.<part>` is `goed` or `feedback`; a part
/// without a choice but with feedback counts as feedback.
pub fn answers_from_form(
    pairs: &[(String, String)],
) -> Result<BTreeMap<String, PartAnswer>, AppError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut out = BTreeMap::new();
    for p in spec::answerable_parts() {
        let choice = get(&format!("oordeel.{}", p.id));
        let feedback = get(&format!("feedback.{}", p.id));
        let approved = match choice.as_str() {
            "goed" => true,
            "feedback" => false,
            "" if !feedback.is_empty() => false,
            "" => {
                return Err(AppError::Invalid {
                    field: p.label.to_string(),
                    problem: "kies Goed of Feedback".into(),
                });
            }
            other => {
                return Err(AppError::Invalid {
                    field: p.label.to_string(),
                    problem: format!("{other:?} is geen keuze (goed of feedback)"),
                });
            }
        };
        out.insert(p.id.to_string(), PartAnswer { approved, feedback });
    }
    Ok(out)
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    insurer_only(&user)?;
    let l = load(&state, &user, id).await?;
    let org = l.plan.organisation_id;
    let (today, now) = (state.today_for(org), state.now_for(org));
    let result = match answers_from_form(&form) {
        Ok(answers) => {
            let actor = user.actor.clone();
            state
                .run(move |s| {
                    regional_plan::answer(&s.db, &s.policies, &actor, id, &answers, today, now)
                })
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/inkoop/regioplannen/{id}#rondes")).into_response()),
        Err(e) => {
            let code = crate::error::status(&e);
            if !matches!(
                code,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return Err(e.into());
            }
            let l = load(&state, &user, id).await?;
            Ok((code, render(&state, &user, &l, Some(&e.to_string()))).into_response())
        }
    }
}
