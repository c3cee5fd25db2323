//! District nursing (document 004, Inkoopbeleid Wijkverpleging 2021), its pages and its API:
//!
//! * the provider ([`provider`]): the procedures with their windows (existing providers:
//!   bijlage 1 and 2 with the budget proposal; new providers: bijlage 3; Wijkgericht Werken; the
//!   regional availability function), the application form, an application with its processing
//!   term in working days, the proposal to sign, the settlement statement of the year;
//! * the purchaser ([`purchaser`]): the queue with the 5-working-day term (due date, working
//!   days left, overdue flagged), filters by status, the decision page with category,
//!   basisbudget and ratio and their citations, granting the disproportionality escape;
//! * the API ([`api`]): the same as JSON.
//!
//! The use cases are `zorginkoop_app::nursing`.

pub mod api;
pub mod provider;
pub mod purchaser;

use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::routing::{get, post};
use maud::{Markup, html};
use zorginkoop_app::nursing::{
    self, Application, Basis, Budget, Finding, Procedure, Severity, State, spec,
};

/// The process's routes: pages and API.
pub fn routes() -> Vec<Route> {
    let mut r = vec![
        Route::new(
            "GET",
            "/wijkverpleging",
            Access::Provider,
            "wijkverpleging 2021: de procedures met hun aanvraagperiode, de eigen aanvragen, de afrekening",
            get(provider::overview),
        ),
        Route::new(
            "GET",
            "/wijkverpleging/aanvragen/nieuw/{procedure}",
            Access::Provider,
            "het aanvraagformulier van een procedure (bijlage 1 en 2, bijlage 3, Wijkgericht Werken, beschikbaarheidsfunctie)",
            get(provider::form_page),
        ),
        Route::new(
            "POST",
            "/wijkverpleging/aanvragen/nieuw/{procedure}",
            Access::Provider,
            "een aanvraag wijkverpleging indienen",
            post(provider::submit),
        ),
        Route::new(
            "GET",
            "/wijkverpleging/aanvragen/{id}",
            Access::Provider,
            "een aanvraag wijkverpleging: verwerkingstermijn, beoordeling, voorstel met budget",
            get(provider::show),
        ),
        Route::new(
            "POST",
            "/wijkverpleging/aanvragen/{id}/tekenen",
            Access::Provider,
            "het voorstel wijkverpleging tekenen (tekenbevoegde)",
            post(provider::sign),
        ),
        Route::new(
            "GET",
            "/inkoop/wijkverpleging",
            Access::Insurer,
            "de aanvragen wijkverpleging met hun verwerkingstermijn van 5 werkdagen, te filteren op status",
            get(purchaser::queue),
        ),
        Route::new(
            "GET",
            "/inkoop/wijkverpleging/{id}",
            Access::Insurer,
            "een aanvraag wijkverpleging beoordelen: categorie, basisbudget, ratio met bronnen",
            get(purchaser::show),
        ),
        Route::new(
            "POST",
            "/inkoop/wijkverpleging/{id}/besluit",
            Access::Insurer,
            "een aanvraag wijkverpleging toekennen met voorstel, of afwijzen",
            post(purchaser::decide),
        ),
    ];
    r.extend(api::routes());
    r
}

/// The Dutch path segment of a procedure.
pub fn slug(p: Procedure) -> &'static str {
    match p {
        Procedure::Existing => "bestaand",
        Procedure::New => "nieuw",
        Procedure::Neighbourhood => "wijkgericht-werken",
        Procedure::Availability => "beschikbaarheidsfunctie",
    }
}

pub fn from_slug(s: &str) -> Option<Procedure> {
    Procedure::ALL.into_iter().find(|p| slug(*p) == s)
}

/// The processing term: due date, working days left (or overdue), the holidays it skips, how
/// working days are counted, the passage.
pub fn term(state: &AppState, a: &Application, today: chrono::NaiveDate) -> Markup {
    let holidays = a.holidays_in_term();
    html! {
        div.term {
            p {
                "Verwerkingstermijn: ingediend op " (html::date_nl(a.submitted_on)) ", uiterlijk "
                strong { (html::date_nl(a.due_on)) } ". "
                @match a.working_days_left(today) {
                    Some(_) if a.overdue(today) => {
                        span.badge.no { "te laat" } " de termijn is verstreken"
                    }
                    Some(0) => span.badge.info { "vandaag de laatste werkdag" },
                    Some(n) => span.badge.info { (n) (if n == 1 { " werkdag" } else { " werkdagen" }) " over" },
                    None => {
                        "Besloten op " (a.decided_on.map(html::date_nl).unwrap_or_default()) "."
                    }
                }
            }
            @if !holidays.is_empty() {
                p.hint { "Telt niet mee als werkdag: "
                    @for (i, (d, name)) in holidays.iter().enumerate() {
                        @if i > 0 { ", " }
                        (name) " (" (html::date_nl(*d)) ")"
                    }
                    "."
                }
            }
            details.explanation {
                summary { "Hoe de werkdagen worden geteld" }
                p { (nursing::CALENDAR.explanation()) }
                (html::citation(state, &spec::PROCESSING_TERM.source()))
            }
        }
    }
}

pub fn state_badge(s: State) -> Markup {
    let class = match s {
        State::Submitted => "info",
        State::Refused => "no",
        State::Proposed => "review",
        State::Signed => "ok",
    };
    html! { span class={"badge " (class)} { (s.label()) } }
}

/// The findings of the assessment, each cited.
pub fn findings_view(state: &AppState, findings: &[Finding], granted: &[String]) -> Markup {
    html! {
        section aria-labelledby="beoordeling" {
            h2 id="beoordeling" { "Beoordeling van de antwoorden" }
            @if findings.is_empty() {
                p { span.badge.ok { "in orde" } " Alle vragen zijn beantwoord zoals de voorwaarden vragen." }
            }
            ul.findings {
                @for f in findings {
                    li {
                        @match f.severity {
                            Severity::Refuse => span.badge.no { "afwijzing" },
                            Severity::Review => span.badge.review { "individuele beoordeling" },
                            Severity::Note => span.badge.ok { "getoetst" },
                        }
                        @if granted.contains(&f.key) { " " span.badge.ok { "uitzondering toegekend (disproportioneel)" } }
                        " " (f.text)
                        (html::citation(state, &f.source))
                    }
                }
            }
        }
    }
}

/// The budget proposal: category, basisbudget and the lines with where each figure comes from,
/// and table 2's terms.
pub fn budget_view(state: &AppState, b: &Budget, heading: &str) -> Markup {
    html! {
        section aria-labelledby="budget" {
            h2 id="budget" { (heading) }
            dl.figures {
                @if let Some(c) = &b.category_label { dt { "Categorie" } dd { strong.category { (c) } } }
                dt { "Budget" } dd { strong.basisbudget { (nursing::euro(b.budget)) } }
            }
            div.table-wrap { table {
                caption { "Hoe het voorstel is berekend" }
                thead { tr { th scope="col" { "Onderdeel" } th scope="col" { "Waarde" } th scope="col" { "Berekening" } th scope="col" { "Herkomst" } } }
                tbody {
                    @for l in &b.lines {
                        tr {
                            th scope="row" { (l.label) }
                            td { (l.value) }
                            td { (l.how) details.explanation { summary { "Bron" } (html::citation(state, &l.source)) } }
                            td {
                                @match l.basis {
                                    Basis::Entered => span.badge.review { (l.basis.label()) },
                                    Basis::Claims => span.badge.ok { (l.basis.label()) },
                                    Basis::Computed => span { (l.basis.label()) },
                                }
                            }
                        }
                    }
                }
            } }
            @if let Some(id) = b.statement_id {
                p { "De cijfers uit de declaraties komen uit " a href={"/afrekeningen/" (id)} { "de afrekening wijkverpleging 2021" } "." }
            }
            @if !b.table2.is_empty() {
                div.table-wrap { table {
                    caption { "Tabel 2: vergoeding van productie boven het basisbudget" }
                    thead { tr { th scope="col" { "Groep" } th scope="col" { "Vergoeding boven het basisbudget" } th scope="col" { "Maximaal vergoede overproductie" } } }
                    tbody {
                        @for t in &b.table2 { tr { th scope="row" { (t.group) } td { (t.paid) } td { (t.max_volume) } } }
                    }
                } }
                @if let Some(s) = &b.table2_source { (html::citation(state, s)) }
            }
        }
    }
}

/// The answers as given, question by question.
pub fn answers_view(state: &AppState, a: &Application) -> Markup {
    let questions = nursing::questions(&state.policies, a.procedure).unwrap_or_default();
    let f = &a.answers.figures;
    html! {
        details.answers {
            summary { "De antwoorden van de zorgaanbieder" }
            dl {
                @for q in &questions {
                    dt { @if !q.number.is_empty() { "Vraag " (q.number) ": " } (q.text) }
                    dd {
                        @if let Some(n) = a.answers.numbers.get(&q.key) { (zorginkoop_app::policy::dutch::number(*n, 0)) }
                        @else { (a.answers.answers.get(&q.key).map(String::as_str).unwrap_or("—")) }
                        @if let Some(e) = a.answers.escapes.get(&q.key) { " · beroep op de uitzondering: " (e) }
                    }
                }
                @if !a.answers.forms.is_empty() {
                    dt { "Bijzondere zorgvormen (bijlage 2)" } dd { (a.answers.forms.join(", ")) }
                }
                @if let Some(v) = f.reference_revenue { dt { "Omzet referentieperiode (opgegeven)" } dd { (nursing::euro(v)) } }
                @if let Some(v) = f.revenue_2019 { dt { "Omzet Zvw-wijkverpleging 2019" } dd { (nursing::euro(v)) } }
                @if let Some(v) = f.clients { dt { "Klanten in het kernwerkgebied (opgegeven)" } dd { (v) } }
                @if let Some(v) = f.postcode_areas { dt { "Postcodegebieden (opgegeven)" } dd { (v) } }
                @if let Some(v) = f.requested_budget { dt { "Gevraagd bedrag" } dd { (nursing::euro(v)) } }
                @if let Some(v) = &f.municipality { dt { "Gemeente" } dd { (v) } }
                @if let Some(v) = f.inhabitants_65_plus { dt { "Inwoners van 65 jaar en ouder" } dd { (v) } }
            }
        }
    }
}
