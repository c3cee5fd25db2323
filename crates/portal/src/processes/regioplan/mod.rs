//! The regio-organisatie's regioplan (document 002, O&I 2026-2027), its pages and its API:
//!
//! * the RO ([`ro`]): writes the plan (topics of bijlage 1, the local network, the information
//!   system's seven requirements, the budget per year beside the region's maximum, the plan
//!   document), sees the engine's check, submits, reads the feedback per part, resubmits;
//! * the purchaser ([`purchaser`]): the plans with their answer term (due date, days left,
//!   overdue flagged), a plan with its check and its rounds, the answer per part;
//! * the year figures ([`year_figures`]): the RO's 75-plussers with its budget Kwetsbare ouderen
//!   and its Praktijkspiegel figures with the KBZ monitor; the purchaser sees every RO's;
//! * the API ([`api`]): the same as JSON.
//!
//! The use cases are `zorginkoop_app::regional_plan`; an approved plan gives the RO's O&I
//! application its facts, after which the common apply-review-sign path follows.

pub mod api;
pub mod purchaser;
pub mod ro;
pub mod year_figures;

use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use maud::{Markup, html};
use zorginkoop_app::regional_plan::{self, Check, Content, Round, spec};

/// The regioplan's routes: pages and API.
pub fn routes() -> Vec<Route> {
    let mut r = vec![
        Route::new(
            "GET",
            "/regioplan",
            Access::Provider,
            "het regioplan van de regio-organisatie: opstellen, controle, indienen, rondes met feedback",
            get(ro::page),
        ),
        Route::new(
            "POST",
            "/regioplan",
            Access::Provider,
            "het regioplan starten (een leeg concept)",
            post(ro::start),
        ),
        Route::new(
            "POST",
            "/regioplan/{id}",
            Access::Provider,
            "het regioplan opslaan, of opslaan en indienen",
            post(ro::save),
        ),
        Route::new(
            "POST",
            "/regioplan/{id}/document",
            Access::Provider,
            "het plandocument toevoegen (PDF, afbeelding of tekst, hoogstens 4 MB)",
            post(ro::upload).layer(DefaultBodyLimit::max(
                regional_plan::MAX_DOCUMENT_BYTES + 64 * 1024,
            )),
        ),
        Route::new(
            "GET",
            "/regioplan/documenten/{id}",
            Access::User,
            "een plandocument downloaden",
            get(ro::download),
        ),
        Route::new(
            "GET",
            "/inkoop/regioplannen",
            Access::Insurer,
            "de regioplannen met hun reactietermijn: vervaldatum, dagen over, te laat gemarkeerd",
            get(purchaser::queue),
        ),
        Route::new(
            "GET",
            "/inkoop/regioplannen/{id}",
            Access::Insurer,
            "een regioplan: de ingediende ronde met controle, de eerdere rondes, de reactie per onderdeel",
            get(purchaser::show),
        ),
        Route::new(
            "POST",
            "/inkoop/regioplannen/{id}/reactie",
            Access::Insurer,
            "reageren op een regioplan: goedkeuren of feedback per onderdeel",
            post(purchaser::answer),
        ),
        Route::new(
            "GET",
            "/regioplan/jaarcijfers",
            Access::Provider,
            "jaarcijfers van de regio-organisatie: 75-plussers met het budget Kwetsbare ouderen, Praktijkspiegel met de KBZ-monitor",
            get(year_figures::page),
        ),
        Route::new(
            "POST",
            "/regioplan/jaarcijfers",
            Access::Provider,
            "een jaarcijfer opgeven (aantal 75-plussers of Praktijkspiegel-cijfers)",
            post(year_figures::record),
        ),
        Route::new(
            "GET",
            "/inkoop/regioplannen/jaarcijfers",
            Access::Insurer,
            "de jaarcijfers van alle regio-organisaties: budget Kwetsbare ouderen en KBZ-monitor",
            get(year_figures::overview),
        ),
        Route::new(
            "GET",
            "/inkoop/regioplannen/jaarcijfers/{id}",
            Access::Insurer,
            "de jaarcijfers van een regio-organisatie",
            get(year_figures::of_ro),
        ),
    ];
    r.extend(api::routes());
    r
}

/// The answer term: due date and days left (or overdue) on `today`.
pub fn term(round: &Round, today: chrono::NaiveDate) -> Markup {
    html! {
        @match round.days_left(today) {
            Some(d) if d < 0 => {
                span.badge.no { "te laat" } " reactie was uiterlijk " (html::date_nl(round.due_on)) " verwacht ("
                (-d) (if d == -1 { " dag" } else { " dagen" }) " geleden)"
            }
            Some(d) => {
                span.badge.info { (d) (if d == 1 { " dag" } else { " dagen" }) " over" }
                " reactie uiterlijk " (html::date_nl(round.due_on))
            }
            None => {
                "beantwoord op " (round.answered_on.map(html::date_nl).unwrap_or_default())
                " (termijn tot en met " (html::date_nl(round.due_on)) ")"
            }
        }
    }
}

/// The source of the answer term, cited.
pub fn term_citation(state: &AppState) -> Markup {
    let source = zorginkoop_app::policy::Source {
        document: spec::DOCUMENT.to_string(),
        section: "Contracteerprocedure".to_string(),
        quote: "Uiterlijk 3 weken na indiening krijgt u een reactie van ons.".to_string(),
    };
    html::citation(state, &source)
}

/// The plan's content as read (a submitted round, or the plan for the purchaser).
pub fn content_view(state: &AppState, c: &Content) -> Markup {
    html! {
        section aria-labelledby="onderwerpen" {
            h2 id="onderwerpen" { "Onderwerpen" }
            @for t in spec::TOPICS {
                h3 { (t.label) }
                @match c.topics.get(t.id).filter(|s| !s.trim().is_empty()) {
                    Some(text) => p.plantext { (text) },
                    None => p { span.badge.no { "ontbreekt" } },
                }
                details.explanation { summary { "Wat het beleid vraagt" } p { (t.asks) } (html::citation(state, &t.source())) }
            }
        }
        section aria-labelledby="netwerk" {
            h2 id="netwerk" { (spec::NETWORK.label) }
            @if c.network.is_empty() {
                p { span.badge.no { "ontbreekt" } }
            } @else {
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Discipline" } th scope="col" { "Wie" } th scope="col" { "Hoe betrokken, welke inbreng" } } }
                    tbody {
                        @for m in &c.network {
                            tr { td { (spec::discipline_label(&m.discipline)) } td { (m.organisation) } td { (m.involvement) } }
                        }
                    }
                } }
            }
            (html::citation(state, &spec::NETWORK.source()))
        }
        section aria-labelledby="informatiesysteem" {
            h2 id="informatiesysteem" { (spec::INFORMATION_SYSTEM_PART.label) }
            div.table-wrap { table {
                thead { tr { th scope="col" { "Eis (bijlage 2)" } th scope="col" { "Voldoet" } th scope="col" { "Toelichting" } } }
                tbody {
                    @for p in spec::INFORMATION_SYSTEM {
                        @let a = c.information_system.get(p.id);
                        tr {
                            td { (p.label) }
                            td { @match a { Some(r) if r.meets => span.badge.ok { "ja" }, Some(_) => span.badge.no { "nee" }, None => span.badge.info { "niet beantwoord" } } }
                            td { (a.map(|r| r.explanation.as_str()).unwrap_or("")) }
                        }
                    }
                }
            } }
        }
        section aria-labelledby="begroting" {
            h2 id="begroting" { "Begroting" }
            @if c.budget.is_empty() {
                p { span.badge.no { "ontbreekt" } }
            } @else {
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Soort" } th scope="col" { "Omschrijving" }
                        @for y in budget_years(c) { th scope="col" { (y) } } } }
                    tbody {
                        @for l in &c.budget {
                            tr {
                                td { (cost_label(&l.kind)) } td { (l.description) }
                                @for y in budget_years(c) { td { (l.amounts.get(&y).map(|a| zorginkoop_app::policy::dutch::euro(*a)).unwrap_or_default()) } }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn budget_years(c: &Content) -> Vec<i32> {
    let mut y: Vec<i32> = c
        .budget
        .iter()
        .flat_map(|l| l.amounts.keys().copied())
        .collect();
    y.sort_unstable();
    y.dedup();
    y
}

/// The Dutch label of a kind of cost.
pub fn cost_label(kind: &str) -> &str {
    spec::COST_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, l)| l)
}

/// The check: the budget per year beside the region's maximum, what the plan misses, and the
/// engine's steps on the plan's conditions, each with its passage.
pub fn check_view(state: &AppState, check: &Check) -> Markup {
    use zorginkoop_app::policy::dutch::euro;
    html! {
        section aria-labelledby="controle" {
            h2 id="controle" { "Controle van het plan" }
            @if check.complete() {
                p.notice role="status" { "Het plan is volledig: alle onderwerpen, de minimale disciplines, de zeven eisen en een begroting binnen het maximum. De zorginkoper beoordeelt de inhoud." }
            }
            div.table-wrap { table {
                caption { "Begroting per jaar naast het maximumbedrag van de regio" }
                thead { tr { th scope="col" { "Jaar" } th scope="col" { "Begroting" } th scope="col" { "Maximum van de regio" } th scope="col" { "Berekening" } th scope="col" { "" } } }
                tbody {
                    @for b in &check.budget {
                        tr {
                            td { (b.year) }
                            td { (euro(b.total)) }
                            td { (b.maximum.map(euro).unwrap_or_else(|| "vul het aantal ingeschreven verzekerden in".into())) }
                            td { @if let Some(per) = b.per_insured { "ingeschreven verzekerden × " (euro(per)) @if b.example { " (VOORBEELDWAARDE: het beleid noemt geen bedrag)" } } }
                            td { @match b.within { Some(true) => span.badge.ok { "binnen het maximum" }, Some(false) => span.badge.review { "boven het maximum" }, None => "" } }
                        }
                    }
                }
            } }
            @if !check.missing_topics.is_empty() {
                p { strong { "Onderwerpen zonder tekst: " } (check.missing_topics.join(", ")) }
            }
            @if !check.missing_disciplines.is_empty() {
                p { strong { "Ontbreekt in het netwerk (minimaal vereist): " } (check.missing_disciplines.join(", ")) }
            }
            @if !check.requirements_not_met.is_empty() {
                p { strong { "Eisen aan het informatiesysteem waaraan niet wordt voldaan: " } (check.requirements_not_met.join("; ")) }
            }
            @if !check.requirements_unanswered.is_empty() {
                p { strong { "Eisen aan het informatiesysteem nog niet beantwoord: " } (check.requirements_unanswered.len()) " van " (spec::INFORMATION_SYSTEM.len()) }
            }
            details.explanation open {
                summary { "De voorwaarden van het beleid over het plan, zoals de engine ze nu beoordeelt" }
                (crate::pages::provider::decision::steps(state, &check.steps))
            }
        }
    }
}

/// Every round, oldest first, with its answer per part.
pub fn rounds_view(rounds: &[Round], today: chrono::NaiveDate) -> Markup {
    html! {
        section aria-labelledby="rondes" {
            h2 id="rondes" { "Rondes" }
            @if rounds.is_empty() {
                p { "Nog niet ingediend." }
            } @else {
                ol.thread {
                    @for r in rounds {
                        li {
                            strong { "Ronde " (r.round) } ": ingediend op " (html::date_nl(r.submitted_on)) " door " (r.submitted_by)
                            @if let Some(d) = &r.document { " (plandocument " a href={"/regioplan/documenten/" (d.id)} { (d.file_name) } ")" }
                            ". " (term(r, today))
                            @match r.outcome.as_deref() {
                                Some("approved") => p { span.badge.ok { "goedgekeurd" } " door " (r.answered_by.as_deref().unwrap_or("")) }
                                Some(_) => {
                                    p { span.badge.review { "teruggegeven met feedback" } " door " (r.answered_by.as_deref().unwrap_or("")) }
                                    ul {
                                        @for p in spec::answerable_parts() {
                                            @if let Some(a) = r.answers.get(p.id).filter(|a| !a.approved) {
                                                li { strong { (p.label) } ": " (a.feedback) }
                                            }
                                        }
                                    }
                                }
                                None => {}
                            }
                        }
                    }
                }
            }
        }
    }
}
