//! The regio-organisatie's year figures: the number of 75-plussers per year with the budget
//! Kwetsbare ouderen computed from it, and the Praktijkspiegel figures with the KBZ monitor. The
//! RO enters and sees its own; the purchaser sees them for every RO.

use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::pages::provider::require_provider;
use crate::pages::purchaser::insurer_only;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use zorginkoop_app::AppError;
use zorginkoop_app::frail_elderly::FrailElderlyYear;
use zorginkoop_app::kbz_monitor::KbzMonitor;
use zorginkoop_app::policy::dutch;
use zorginkoop_app::regional_plan::{self, year_figures};

struct View {
    figures: year_figures::Figures,
    budgets: Vec<FrailElderlyYear>,
    monitors: Vec<KbzMonitor>,
    years: Vec<i32>,
}

async fn load(state: &AppState, user: &CurrentUser, org: i64) -> Result<View, AppError> {
    let actor = user.actor.clone();
    state
        .run(move |s| {
            let policy = year_figures::policy(&s.policies)?;
            let figures = year_figures::of_organisation(&s.db, &actor, org)?;
            Ok(View {
                budgets: year_figures::budgets(policy, &figures)?,
                monitors: year_figures::monitors(policy, &figures)?,
                years: regional_plan::years(policy),
                figures,
            })
        })
        .await
}

fn figures_view(state: &AppState, v: &View) -> Markup {
    html! {
        section aria-labelledby="kwetsbare-ouderen" {
            h2 id="kwetsbare-ouderen" { "Budget Kwetsbare ouderen" }
            @if v.budgets.is_empty() {
                p { "Nog geen aantal 75-plussers opgegeven." }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { "Jaar" } th scope="col" { "75-plussers" } th scope="col" { "Aandeel kwetsbaar" }
                        th scope="col" { "Kwetsbare ouderen" } th scope="col" { "Tarief per kwetsbare oudere" } th scope="col" { "Budget" }
                        th scope="col" { "Opgegeven" }
                    } }
                    tbody {
                        @for b in &v.budgets {
                            @for r in &b.rows {
                                tr {
                                    td { (b.year) }
                                    td { (dutch::number(r.persons_75_plus.into(), 0)) }
                                    td { (dutch::percent(b.frail_share)) }
                                    td { (dutch::number(r.frail_elderly, 2)) }
                                    td { (dutch::euro(r.tariff_per_frail_person)) @if b.tariff_is_example { " (VOORBEELDWAARDE)" } }
                                    td { strong { (dutch::euro(r.budget)) } }
                                    td { @if let Some(e) = v.figures.persons_75_plus.get(&b.year) { (e.entered_by) ", " (html::timestamp_nl(&e.entered_at)) } }
                                }
                            }
                        }
                    }
                } }
                @if let Some(b) = v.budgets.first() {
                    @for s in &b.sources { (html::citation(state, s)) }
                }
            }
        }
        section aria-labelledby="kbz" {
            h2 id="kbz" { "KBZ-monitor" }
            @if v.monitors.is_empty() {
                p { "Nog geen Praktijkspiegel-cijfers opgegeven." }
            }
            @for m in &v.monitors {
                h3 { "Monitor " (m.monitor_year) " (jaren " (m.years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")) ")" }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Praktijk (AGB)" } th scope="col" { "Jaar" } th scope="col" { "Domein" }
                        th scope="col" { "Werkelijk" } th scope="col" { "Verwacht" } th scope="col" { "Verschil" } } }
                    tbody {
                        @for p in &m.practices {
                            @for y in &p.years {
                                @for c in &y.domains {
                                    tr {
                                        td { (p.practice_agb) } td { (y.year) } td { (c.domain.label()) }
                                        @if c.missing {
                                            td colspan="3" { "ontbreekt" }
                                        } @else {
                                            td { (c.actual.map(|a| dutch::number(a, 2)).unwrap_or_default()) }
                                            td { (c.expected.map(|a| dutch::number(a, 2)).unwrap_or_default()) }
                                            td { (c.difference.map(|a| dutch::number(a, 2)).unwrap_or_default())
                                                @if let Some(p) = c.difference_percentage { " (" (dutch::number(p, 1)) " %)" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                } }
                @for n in &m.notes { p.hint { (n) } }
                @for s in &m.sources { (html::citation(state, s)) }
            }
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let v = load(&state, &user, user.actor.organisation_id).await?;
    Ok(render(&state, &user, &v, None).into_response())
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    v: &View,
    problem: Option<&str>,
) -> axum::response::Html<String> {
    let body = html! {
        p { "Het budget Kwetsbare ouderen volgt uit het aantal 75-plussers dat u per jaar opgeeft; de KBZ-monitor uit de "
            "Praktijkspiegel-cijfers van uw praktijken. De zorginkoper ziet dezelfde cijfers." }
        @if let Some(p) = problem { p.error role="alert" { (p) } }
        (figures_view(state, v))
        section aria-labelledby="opgeven" {
            h2 id="opgeven" { "Opgeven" }
            @for y in &v.years {
                form.inline method="post" action="/regioplan/jaarcijfers" {
                    (html::csrf_field(user))
                    input type="hidden" name="soort" value=(year_figures::PERSONS_75_PLUS);
                    input type="hidden" name="jaar" value=(y);
                    label for={"p75-" (y)} { "Aantal 75-plussers " (y) }
                    input type="text" inputmode="numeric" id={"p75-" (y)} name="waarde"
                        value=(v.figures.persons_75_plus.get(y).map(|e| e.content.as_str()).unwrap_or(""));
                    button.secondary type="submit" { "Opslaan" }
                }
            }
            @for y in &v.years {
                form method="post" action="/regioplan/jaarcijfers" {
                    (html::csrf_field(user))
                    input type="hidden" name="soort" value=(year_figures::KBZ_PRAKTIJKSPIEGEL);
                    input type="hidden" name="jaar" value=(y);
                    label for={"kbz-" (y)} { "Praktijkspiegel-cijfers voor de monitor " (y) " (CSV: practice_agb,year,domain,actual,expected)" }
                    textarea id={"kbz-" (y)} name="waarde" rows="4" {
                        (v.figures.praktijkspiegel.get(y).map(|e| e.content.as_str()).unwrap_or(""))
                    }
                    p { button.secondary type="submit" { "Cijfers opslaan" } }
                }
            }
        }
    };
    html::page(state, Some(user), "Jaarcijfers regio-organisatie", body)
}

pub async fn record(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (kind, value) = (get("soort"), get("waarde"));
    let year = get("jaar").trim().parse::<i32>();
    let actor = user.actor.clone();
    let now = state.now_for(actor.organisation_id);
    let result = match year {
        Ok(year) => {
            state
                .run(move |s| {
                    let policy = year_figures::policy(&s.policies)?;
                    year_figures::record(&s.db, policy, &actor, &kind, year, &value, now)
                })
                .await
        }
        Err(_) => Err(AppError::Invalid {
            field: "jaar".into(),
            problem: "kies een jaar".into(),
        }),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/regioplan/jaarcijfers").into_response()),
        Err(e) => {
            let code = crate::error::status(&e);
            if !matches!(
                code,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
            ) {
                return Err(e.into());
            }
            let v = load(&state, &user, user.actor.organisation_id).await?;
            Ok((code, render(&state, &user, &v, Some(&e.to_string()))).into_response())
        }
    }
}

pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let rows = state
        .run(move |s| {
            let policy = year_figures::policy(&s.policies)?;
            year_figures::all(&s.db, &actor)?
                .into_iter()
                .map(|f| Ok((year_figures::budgets(policy, &f)?, f)))
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    let body = html! {
        p { "Per regio-organisatie het opgegeven aantal 75-plussers met het budget Kwetsbare ouderen, en of er Praktijkspiegel-cijfers voor de KBZ-monitor zijn." }
        div.table-wrap { table {
            thead { tr { th scope="col" { "Regio-organisatie" } th scope="col" { "Budget Kwetsbare ouderen" } th scope="col" { "KBZ-monitor" } } }
            tbody {
                @for (budgets, f) in &rows {
                    tr {
                        td { a href={"/inkoop/regioplannen/jaarcijfers/" (f.organisation_id)} { (f.organisation_name) } }
                        td {
                            @if budgets.is_empty() { "nog niet opgegeven" }
                            @for b in budgets { @for r in &b.rows { (b.year) ": " (dutch::euro(r.budget)) " (" (dutch::number(r.persons_75_plus.into(), 0)) " 75-plussers) " } }
                        }
                        td {
                            @if f.praktijkspiegel.is_empty() { "geen cijfers" }
                            @for y in f.praktijkspiegel.keys() { "monitor " (y) " " }
                        }
                    }
                }
            }
        } }
    };
    Ok(html::page(&state, Some(&user), "Jaarcijfers regio-organisaties", body).into_response())
}

pub async fn of_ro(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let v = load(&state, &user, id).await?;
    let title = format!("Jaarcijfers {}", v.figures.organisation_name);
    let body = figures_view(&state, &v);
    Ok(html::page(&state, Some(&user), &title, body).into_response())
}
