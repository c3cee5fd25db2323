//! The provider's dashboard: what is due next (the policies' timelines and the modules'
//! application windows, with the days left), and the status of each application and contract.

use super::{days_nl, module_name, require_provider};
use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};
use zorginkoop_app::accounts::{self, Organisation};
use zorginkoop_app::applications::{self, Application};
use zorginkoop_app::engine::calendar::{self, Window};
use zorginkoop_app::policy::{Module, Policy};
use zorginkoop_app::proposals::{self, Proposal};
use zorginkoop_app::timelines;

/// The policies for an organisation's kind on a day: those that matter (published, their
/// contract period not ended), and those not yet published.
pub fn policies_on<'a>(
    state: &'a AppState,
    org: &Organisation,
    today: NaiveDate,
) -> (Vec<&'a Policy>, Vec<&'a Policy>) {
    let (published, announced): (Vec<&Policy>, Vec<&Policy>) = state
        .policies
        .policies
        .iter()
        .filter(|p| !applications::catalogue(p, org).is_empty())
        .partition(|p| published_on(p) <= today);
    let current = published
        .into_iter()
        .filter(|p| p.file.policy.period_end >= today)
        .collect();
    (current, announced)
}

/// The day a policy is published: its timeline's `policy-published`, else 1 April of the year
/// before its contract period. That is the latest day the NZa's Regeling transparantie
/// zorginkoopproces Zvw allows, and the day each of the five documents names for itself.
pub fn published_on(p: &Policy) -> NaiveDate {
    p.file
        .timeline
        .iter()
        .find(|m| m.id == "policy-published")
        .map(|m| m.date)
        .unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(p.file.policy.period_start.year() - 1, 4, 1)
                .unwrap_or(p.file.policy.period_start)
        })
}

/// Where a module's application window stands on a day, for people.
pub struct WindowRow {
    pub status: String,
    /// The earliest start for a request made today, and the last day to apply for it.
    pub earliest: Option<(NaiveDate, NaiveDate)>,
    /// Days left to act (to the request deadline or the window's end, whichever comes first);
    /// or, before opening, days until it opens.
    pub days: Option<i64>,
    pub closed: bool,
}

/// The application window of a module on `today`, per the engine's calendar.
pub fn window_row(policy: &Policy, m: &Module, today: NaiveDate) -> Option<WindowRow> {
    let app = m.application.as_ref()?;
    let meta = &policy.file.policy;
    let lead = |late: Option<u32>| late.unwrap_or(app.lead_time_weeks);
    Some(match calendar::window(app, today) {
        Window::BeforeOpening(opens) => WindowRow {
            status: format!("opent op {}", html::date_nl(opens)),
            earliest: None,
            days: Some((opens - today).num_days()),
            closed: false,
        },
        Window::Open => {
            let earliest = calendar::earliest_start(app, today, meta.period_start, meta.period_end)
                .map(|s| (s, calendar::request_deadline(s, lead(None))));
            let status = match app.closes {
                Some(c) => format!("open tot en met {}", html::date_nl(c)),
                None => "doorlopend".to_string(),
            };
            let to_close = app.closes.map(|c| (c - today).num_days());
            let to_deadline = earliest.map(|(_, d)| (d - today).num_days());
            WindowRow {
                status,
                earliest,
                days: [to_close, to_deadline].into_iter().flatten().min(),
                closed: false,
            }
        }
        Window::Closed(closes) => WindowRow {
            status: format!(
                "gesloten (aanvragen kon tot en met {})",
                html::date_nl(closes)
            ),
            earliest: None,
            days: None,
            closed: true,
        },
        Window::LateReview(closes, late) => {
            let earliest =
                calendar::earliest_late_start(app, late, today, meta.period_start, meta.period_end)
                    .map(|s| (s, calendar::request_deadline(s, lead(late.lead_time_weeks))));
            WindowRow {
                status: format!(
                    "gesloten op {}; een latere aanvraag beoordeelt de zorginkoper individueel",
                    html::date_nl(closes)
                ),
                earliest,
                days: earliest.map(|(_, d)| (d - today).num_days()),
                closed: false,
            }
        }
    })
}

fn timeline_section(policy: &Policy, today: NaiveDate) -> Markup {
    let t = timelines::timeline(policy, today);
    html! {
        h3 { (policy.file.policy.title) }
        @if let Some(due) = &t.next_due {
            p.notice {
                "Eerstvolgend: " strong { (due.milestone.label) } " — " (html::date_nl(due.date))
                " (" (days_nl(due.days_left)) ")."
            }
        }
        @if !t.status.open.is_empty() {
            p { "Nu lopend:" }
            ul {
                @for m in &t.status.open {
                    li {
                        (m.label)
                        @if let Some(u) = m.until {
                            ": tot en met " (html::date_nl(u)) " (" (days_nl((u - today).num_days())) ")"
                        }
                        " · " a href=(html::passage_href(&m.source)) { "bron" }
                    }
                }
            }
        }
        @if !t.status.upcoming.is_empty() {
            p { "Komt eraan:" }
            ul {
                @for m in t.status.upcoming.iter().take(5) {
                    li {
                        (html::date_nl(m.date)) ": " (m.label)
                        " (" (days_nl((m.date - today).num_days())) ")"
                        " · " a href=(html::passage_href(&m.source)) { "bron" }
                    }
                }
            }
        }
        @if t.next_due.is_none() && t.status.open.is_empty() {
            p.hint { "Geen mijlpalen meer in deze tijdlijn." }
        }
    }
}

fn windows_table(policies: &[&Policy], org: &Organisation, today: NaiveDate) -> Markup {
    let rows: Vec<(&Policy, &Module, WindowRow)> = policies
        .iter()
        .flat_map(|p| {
            applications::catalogue(p, org)
                .into_iter()
                .filter_map(move |m| window_row(p, m, today).map(|w| (*p, m, w)))
        })
        .collect();
    html! {
        @if rows.is_empty() {
            p.hint { "Geen aanvraagperiodes voor uw soort organisatie." }
        } @else {
            div.table-wrap {
                table {
                    caption.hint { "Per module: of u nu kunt aanvragen, de vroegste startdatum bij een aanvraag vandaag en hoeveel dagen u nog heeft." }
                    thead {
                        tr {
                            th scope="col" { "Module" }
                            th scope="col" { "Aanvraagperiode" }
                            th scope="col" { "Vroegste start" }
                            th scope="col" { "Uiterlijk aanvragen" }
                            th scope="col" { "Dagen" }
                        }
                    }
                    tbody {
                        @for (p, m, w) in &rows {
                            tr {
                                th scope="row" {
                                    (m.name)
                                    br;
                                    span.hint { (p.file.policy.title) }
                                }
                                td {
                                    (w.status)
                                    @if let Some(app) = &m.application {
                                        " · " a href=(html::passage_href(&app.source)) { "bron" }
                                    }
                                }
                                td { @if let Some((s, _)) = w.earliest { (html::date_nl(s)) } @else { "—" } }
                                td { @if let Some((_, d)) = w.earliest { (html::date_nl(d)) } @else { "—" } }
                                td {
                                    @if w.closed { "gesloten" }
                                    @else if let Some(d) = w.days { (days_nl(d)) }
                                    @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The applications as a table (module, status, dates, link).
pub fn applications_table(state: &AppState, apps: &[Application]) -> Markup {
    html! {
        @if apps.is_empty() {
            p.hint { "Nog geen aanvragen. Begin in de " a href="/catalogus" { "catalogus" } "." }
        } @else {
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Module" }
                            th scope="col" { "Status" }
                            th scope="col" { "Ingediend" }
                            th scope="col" { "Vroegste start" }
                            th scope="col" { "Openen" }
                        }
                    }
                    tbody {
                        @for a in apps {
                            tr {
                                th scope="row" {
                                    (module_name(state, &a.policy_id, &a.module))
                                    br;
                                    span.hint { (super::policy_title(state, &a.policy_id)) }
                                }
                                td { (a.state.label()) }
                                td { @if let Some(d) = a.request_date { (html::date_nl(d)) } @else { "—" } }
                                td { @if let Some(d) = a.earliest_start { (html::date_nl(d)) } @else { "—" } }
                                td { a href={"/aanvragen/" (a.id)} { "Bekijken" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The proposals and contracts as a table (module, status, period, link).
pub fn proposals_table(state: &AppState, props: &[Proposal], today: NaiveDate) -> Markup {
    html! {
        @if props.is_empty() {
            p.hint { "Nog geen voorstellen of contracten." }
        } @else {
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Module" }
                            th scope="col" { "Status" }
                            th scope="col" { "Looptijd" }
                            th scope="col" { "Openen" }
                        }
                    }
                    tbody {
                        @for p in props {
                            tr {
                                th scope="row" { (module_name(state, &p.policy_id, &p.module)) }
                                td {
                                    (p.state.label())
                                    @if let Some(c) = p.contract_status(today) { " · " (c) }
                                }
                                td {
                                    (html::date_nl(p.start)) " – "
                                    @if let Some(e) = p.end { (html::date_nl(e)) } @else { "onbepaalde tijd" }
                                }
                                td { a href={"/voorstellen/" (p.id)} { "Bekijken" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let (org, apps, props) = state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, actor.organisation_id)?;
            let apps = applications::list_for(&s.db, &actor, org.id)?;
            let props = proposals::list_for(&s.db, &actor, org.id)?;
            Ok((org, apps, props))
        })
        .await?;
    let today = state.today_for(user.actor.organisation_id);
    let (policies, announced) = policies_on(&state, &org, today);
    let waiting = props
        .iter()
        .filter(|p| p.state == proposals::State::Proposed)
        .count();
    let body = html! {
        p { "Vandaag is het " (html::date_nl(today)) ". " (org.name) }
        @if waiting > 0 {
            p.notice role="status" {
                @if waiting == 1 { "Er wacht 1 voorstel op ondertekening. " }
                @else { "Er wachten " (waiting) " voorstellen op ondertekening. " }
                a href="/contracten" { "Naar de voorstellen" }
            }
        }
        h2 { "Wat komt eraan" }
        @if policies.is_empty() {
            p.hint { "Er is geen lopend beleid met modules voor uw soort organisatie." }
        }
        @for p in &policies {
            (timeline_section(p, today))
        }
        @if !announced.is_empty() {
            p.hint {
                "Nog niet gepubliceerd: "
                @for (i, p) in announced.iter().enumerate() {
                    @if i > 0 { "; " }
                    (p.file.policy.title) " (verwacht op " (html::date_nl(published_on(p))) ")"
                }
                ". Het overzicht toont een beleid vanaf de dag van publicatie."
            }
        }
        h2 { "Aanvraagperiodes" }
        (windows_table(&policies, &org, today))
        h2 { "Aanvragen" }
        (applications_table(&state, &apps))
        h2 { "Voorstellen en contracten" }
        (proposals_table(&state, &props, today))
    };
    Ok(html::page(&state, Some(&user), "Overzicht", body).into_response())
}
