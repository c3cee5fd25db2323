//! The purchaser's queue: the submitted applications (also those in review or waiting for
//! information), oldest submission first, with the deadlines that matter for each: the
//! earliest start the engine gave at submission, the last day a request for that start could be
//! made, and how many days the provider has been waiting.

use super::{insurer_only, module_name};
use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use zorginkoop_app::applications::{self, Application};

/// What the queue shows of one application's deadlines.
pub(super) struct Deadlines {
    pub earliest_start: Option<chrono::NaiveDate>,
    pub request_deadline: Option<chrono::NaiveDate>,
    pub days_waiting: Option<i64>,
}

/// The deadlines of an application as decided at submission, seen from `today`.
pub(super) fn deadlines(app: &Application, today: chrono::NaiveDate) -> Deadlines {
    let module = app.decision.as_ref().and_then(|d| d.module(&app.module));
    Deadlines {
        earliest_start: app
            .earliest_start
            .or_else(|| module.and_then(|m| m.earliest_start)),
        request_deadline: module.and_then(|m| m.request_deadline),
        days_waiting: app.request_date.map(|d| (today - d).num_days()),
    }
}

/// The processes of the queue's filter: the policy documents by domain.
pub const PROCESSES: &[(&str, &str, &str)] = &[
    ("huisartsenzorg", "Huisartsenzorg (001)", "gp-"),
    ("o-en-i", "Organisatie & Infrastructuur (002)", "oi-"),
    (
        "diagnostiek",
        "Eerstelijnsdiagnostiek en trombosezorg (003)",
        "diagnostics-",
    ),
    (
        "wijkverpleging",
        "Wijkverpleging (004)",
        "district-nursing-",
    ),
];

/// The queue's filters: `proces` (one of [`PROCESSES`]), `status` (an application state) and
/// `volgorde` (`ingediend`, the default: oldest submission first; `start`: the nearest
/// earliest start first).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub proces: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub volgorde: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(filter): axum::extract::Query<Filter>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let actor2 = user.actor.clone();
    let (all, plans) = state
        .run(move |s| {
            Ok((
                applications::queue(&s.db, &actor)?,
                zorginkoop_app::regional_plan::queue(&s.db, &actor2)?,
            ))
        })
        .await?;
    let prefix = PROCESSES
        .iter()
        .find(|(id, _, _)| *id == filter.proces)
        .map(|(_, _, p)| *p);
    let mut apps: Vec<&Application> = all
        .iter()
        .filter(|a| prefix.is_none_or(|p| a.policy_id.starts_with(p)))
        .filter(|a| filter.status.is_empty() || a.state.as_str() == filter.status)
        .collect();
    if filter.volgorde == "start" {
        apps.sort_by_key(|a| {
            let d = deadlines(a, state.today_for(a.organisation_id));
            (d.earliest_start.is_none(), d.earliest_start, a.id)
        });
    }
    let waiting_plans = plans
        .iter()
        .filter(|p| p.plan.state == zorginkoop_app::regional_plan::PlanState::Submitted)
        .count();
    let late_plans = plans
        .iter()
        .filter(|p| {
            p.latest
                .as_ref()
                .is_some_and(|r| r.overdue(state.today_for(p.plan.organisation_id)))
        })
        .count();
    let count = |prefix: &str| {
        all.iter()
            .filter(|a| a.policy_id.starts_with(prefix))
            .count()
    };
    let overview = html! {
        section aria-labelledby="per-proces" {
            h2 id="per-proces" { "Per proces" }
            ul {
                @for (id, label, prefix) in PROCESSES {
                    li { a href={"/inkoop?proces=" (id)} { (label) } ": " (count(prefix)) " aanvragen" }
                }
                li {
                    a href="/inkoop/regioplannen" { "Regioplannen" } ": " (waiting_plans) " wachten op een reactie"
                    @if late_plans > 0 { ", " a href="/inkoop/regioplannen?status=te-laat" { span.badge.no { (late_plans) " te laat" } } }
                }
                li { a href="/inkoop/labs" { "Keuzes en verzoeken van laboratoria en trombosediensten" } }
            }
        }
        form.inline method="get" action="/inkoop" {
            label for="proces" { "Proces" }
            select id="proces" name="proces" {
                option value="" selected[prefix.is_none()] { "alle processen" }
                @for (id, label, _) in PROCESSES {
                    option value=(id) selected[filter.proces == *id] { (label) }
                }
            }
            label for="status" { "Status" }
            select id="status" name="status" {
                option value="" selected[filter.status.is_empty()] { "alle" }
                @for st in [applications::State::Submitted, applications::State::UnderReview, applications::State::InformationRequested] {
                    option value=(st.as_str()) selected[filter.status == st.as_str()] { (st.label()) }
                }
            }
            label for="volgorde" { "Volgorde" }
            select id="volgorde" name="volgorde" {
                option value="ingediend" selected[filter.volgorde != "start"] { "oudste indiening eerst" }
                option value="start" selected[filter.volgorde == "start"] { "vroegste startdatum eerst" }
            }
            button.secondary type="submit" { "Filter" }
        }
    };
    let body = html! {
        (overview)
        p { "Ingediende aanvragen die op een beoordeling wachten, de oudste eerst. "
            "De vroegste startdatum en de uiterste aanvraagdatum volgen uit de beslissing van het beleid bij indiening." }
        @if apps.is_empty() {
            p.notice role="status" { "Er wachten geen aanvragen." }
        } @else {
            div.table-wrap {
                table {
                    caption { (apps.len()) " aanvragen in de werkvoorraad" }
                    thead {
                        tr {
                            th scope="col" { "Nr." }
                            th scope="col" { "Zorgaanbieder" }
                            th scope="col" { "Module" }
                            th scope="col" { "Status" }
                            th scope="col" { "Beslissing beleid" }
                            th scope="col" { "Ingediend" }
                            th scope="col" { "Wachtdagen" }
                            th scope="col" { "Vroegste start" }
                            th scope="col" { "Uiterste aanvraagdatum" }
                            th scope="col" { "Actie" }
                        }
                    }
                    tbody {
                        @for a in &apps {
                            @let d = deadlines(a, state.today_for(a.organisation_id));
                            tr {
                                th scope="row" { (a.id) }
                                td { (a.organisation_name) }
                                td { (module_name(&state.policies, &a.policy_id, &a.module)) br; span.hint { (a.policy_id) } }
                                td { (a.state.label()) }
                                td {
                                    @match a.decision.as_ref().and_then(|x| x.module(&a.module)) {
                                        Some(m) => (html::outcome_badge(m.outcome)),
                                        None => "—",
                                    }
                                }
                                td { (a.request_date.map(html::date_nl).unwrap_or_else(|| "—".into())) }
                                td { (d.days_waiting.map(|n| n.to_string()).unwrap_or_else(|| "—".into())) }
                                td { (d.earliest_start.map(html::date_nl).unwrap_or_else(|| "—".into())) }
                                td { (d.request_deadline.map(html::date_nl).unwrap_or_else(|| "—".into())) }
                                td { a href={"/inkoop/aanvragen/" (a.id)} { "Bekijken" } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), "Werkvoorraad", body).into_response())
}
