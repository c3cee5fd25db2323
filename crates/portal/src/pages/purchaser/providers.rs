//! The overview per provider: every care provider in the portal, and for one of them its
//! details, its users, its applications and its proposals and contracts.

use super::{insurer_only, module_name};
use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Organisation, Role};
use zorginkoop_app::applications;
use zorginkoop_app::proposals;

/// The Dutch name of an organisation's kind.
fn kind_nl(o: &Organisation) -> String {
    applications::provider_kind(o)
        .map(|k| k.dutch().to_string())
        .unwrap_or_else(|_| o.kind.clone())
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let orgs = state
        .run(move |s| accounts::organisations(&s.db, &actor))
        .await?;
    let body = html! {
        div.table-wrap {
            table {
                caption { (orgs.len()) " zorgaanbieders" }
                thead {
                    tr {
                        th scope="col" { "Zorgaanbieder" }
                        th scope="col" { "Soort" }
                        th scope="col" { "AGB-code" }
                        th scope="col" { "KvK-nummer" }
                        th scope="col" { "Regio" }
                    }
                }
                tbody {
                    @for o in &orgs {
                        tr {
                            th scope="row" { a href={"/inkoop/aanbieders/" (o.id)} { (o.name) } }
                            td { (kind_nl(o)) }
                            td { (o.agb.as_deref().unwrap_or("—")) }
                            td { (o.kvk.as_deref().unwrap_or("—")) }
                            td { (o.region.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), "Zorgaanbieders", body).into_response())
}

pub async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let (org, users, apps, props) = state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, id)?;
            if org.kind == "insurer" {
                return Err(AppError::NotFound(format!("zorgaanbieder {id}")));
            }
            Ok((
                org,
                accounts::users_of(&s.db, &actor, id)?,
                applications::list_for(&s.db, &actor, id)?,
                proposals::list_for(&s.db, &actor, id)?,
            ))
        })
        .await?;
    let today = state.today_for(id);
    let dash = || "—".to_string();
    let body = html! {
        dl.kv {
            dt { "Soort" } dd { (kind_nl(&org)) }
            dt { "AGB-code" } dd { (org.agb.as_deref().unwrap_or("—")) }
            dt { "KvK-nummer" } dd { (org.kvk.as_deref().unwrap_or("—")) }
            dt { "Regio" } dd { (org.region.as_deref().unwrap_or("—")) }
        }
        h2 { "Gebruikers" }
        table {
            thead { tr { th scope="col" { "Naam" } th scope="col" { "E-mailadres" } th scope="col" { "Rol" } } }
            tbody {
                @for u in &users {
                    tr {
                        th scope="row" { (u.name) }
                        td { (u.email) }
                        td { (Role::parse(&u.role).map(|r| r.label()).unwrap_or(&u.role)) }
                    }
                }
            }
        }
        h2 { "Aanvragen" }
        @if apps.is_empty() {
            p { "Geen aanvragen." }
        } @else {
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Nr." }
                            th scope="col" { "Module" }
                            th scope="col" { "Status" }
                            th scope="col" { "Ingediend" }
                            th scope="col" { "Vroegste start" }
                        }
                    }
                    tbody {
                        @for a in &apps {
                            tr {
                                th scope="row" { a href={"/inkoop/aanvragen/" (a.id)} { "Aanvraag " (a.id) } }
                                td { (module_name(&state.policies, &a.policy_id, &a.module)) }
                                td { (a.state.label()) }
                                td { (a.request_date.map(html::date_nl).unwrap_or_else(dash)) }
                                td { (a.earliest_start.map(html::date_nl).unwrap_or_else(dash)) }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Voorstellen en contracten" }
        @if props.is_empty() {
            p { "Geen voorstellen of contracten." }
        } @else {
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Nr." }
                            th scope="col" { "Module" }
                            th scope="col" { "Status" }
                            th scope="col" { "Contract" }
                            th scope="col" { "Looptijd" }
                        }
                    }
                    tbody {
                        @for p in &props {
                            tr {
                                th scope="row" { a href={"/voorstellen/" (p.id)} { "Voorstel " (p.id) } }
                                td { (module_name(&state.policies, &p.policy_id, &p.module)) }
                                td { (p.state.label()) }
                                td { (p.contract_status(today).unwrap_or("—")) }
                                td { (html::date_nl(p.start)) " – " (p.end.map(html::date_nl).unwrap_or_else(|| "onbepaalde tijd".into())) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), &org.name, body).into_response())
}
