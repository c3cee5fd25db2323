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

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let apps = state
        .run(move |s| applications::queue(&s.db, &actor))
        .await?;
    let today = state.today();
    let body = html! {
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
                            @let d = deadlines(a, today);
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
