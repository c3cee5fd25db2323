//! The district-nursing provider's side: the procedures with their windows, the application
//! form (usable without JavaScript: radio buttons, numbers as text fields that accept Dutch
//! notation), an application with its processing term, the proposal to sign, and the
//! settlement statement of the year.

use super::{answers_view, budget_view, findings_view, from_slug, slug, state_badge, term};
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::pages::provider::require_provider;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_decimal::Decimal;
use std::str::FromStr;
use zorginkoop_app::accounts::{self, Role};
use zorginkoop_app::nursing::{self, Answers, Application, Ask, Procedure, Question, State as St};
use zorginkoop_app::settlement::{self, StatementSummary};
use zorginkoop_app::{AppError, policy::Source};

fn not_nursing(org: &accounts::Organisation) -> AppError {
    AppError::Forbidden(format!(
        "wijkverpleging is voor aanbieders van wijkverpleging; {} is een {}",
        org.name, org.kind
    ))
}

struct Overview {
    windows: Vec<(
        Procedure,
        chrono::NaiveDate,
        chrono::NaiveDate,
        Source,
        bool,
    )>,
    applications: Vec<Application>,
    statements: Vec<StatementSummary>,
}

pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let today = state.today_for(actor.organisation_id);
    let view = state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, actor.organisation_id)?;
            if org.kind != "district-nursing" {
                return Err(not_nursing(&org));
            }
            let mut windows = Vec::new();
            for p in Procedure::ALL {
                let (from, to, source) = nursing::window(&s.policies, p)?;
                windows.push((p, from, to, source, from <= today && today <= to));
            }
            Ok(Overview {
                windows,
                applications: nursing::list_for(&s.db, &actor, org.id)?,
                statements: settlement::statements(&s.db, &actor, None)?
                    .into_iter()
                    .filter(|st| st.run.domain == settlement::DOMAIN_NURSING)
                    .collect(),
            })
        })
        .await?;
    let body = html! {
        p { "Wijkverpleging 2021 (Inkoopbeleid Wijkverpleging 2021): bestaande zorgaanbieders beantwoorden de inkoopvoorwaarden van bijlage 1 en kiezen de bijzondere zorgvormen van bijlage 2; "
            "nieuwe zorgaanbieders volgen bijlage 3. Wijkgericht Werken en de regionale beschikbaarheidsfunctie vraagt u apart aan, elk met een eigen budget. "
            "Het verwerken van een aanvraag kost maximaal 5 werkdagen." }
        section aria-labelledby="procedures" {
            h2 id="procedures" { "Aanvragen" }
            div.table-wrap { table {
                thead { tr { th scope="col" { "Procedure" } th scope="col" { "Aanvraagperiode" } th scope="col" { "" } } }
                tbody {
                    @for (p, from, to, _, open) in &view.windows {
                        tr {
                            th scope="row" { (p.label()) }
                            td { (html::date_nl(*from)) " tot en met " (html::date_nl(*to)) }
                            td {
                                @if *open {
                                    a href={"/wijkverpleging/aanvragen/nieuw/" (slug(*p))} { "Aanvragen" }
                                } @else {
                                    span.badge.no { "de aanvraagperiode is gesloten" }
                                }
                            }
                        }
                    }
                }
            } }
            details.explanation { summary { "Bronnen van de aanvraagperioden" }
                @for (_, _, _, source, _) in &view.windows { (html::citation(&state, source)) }
            }
        }
        section aria-labelledby="mijn-aanvragen" {
            h2 id="mijn-aanvragen" { "Uw aanvragen" }
            @if view.applications.is_empty() {
                p { "U heeft nog geen aanvraag wijkverpleging ingediend." }
            } @else {
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Aanvraag" } th scope="col" { "Status" } th scope="col" { "Ingediend" } th scope="col" { "Uiterlijk" } } }
                    tbody {
                        @for a in &view.applications {
                            tr {
                                th scope="row" { a href={"/wijkverpleging/aanvragen/" (a.id)} { (a.procedure.label()) } }
                                td { (state_badge(a.state)) }
                                td { (html::date_nl(a.submitted_on)) }
                                td { (html::date_nl(a.due_on))
                                    @if let Some(n) = a.working_days_left(today) { " (" (n) (if n == 1 { " werkdag" } else { " werkdagen" }) " over)" } }
                            }
                        }
                    }
                } }
            }
        }
        (statements_view(&view.statements))
    };
    Ok(html::page(&state, Some(&user), "Wijkverpleging 2021", body).into_response())
}

fn statements_view(statements: &[StatementSummary]) -> Markup {
    html! {
        section aria-labelledby="afrekening" {
            h2 id="afrekening" { "Afrekening" }
            @if statements.is_empty() {
                p { "Er is nog geen afrekening wijkverpleging van uw organisatie." }
            } @else {
                ul {
                    @for s in statements {
                        li { a href={"/afrekeningen/" (s.id)} { "Afrekening wijkverpleging " (s.run.year) } " (" (s.category) ")" }
                    }
                }
            }
        }
    }
}

struct FormView {
    procedure: Procedure,
    questions: Vec<Question>,
    forms: Vec<nursing::SpecialForm>,
    claims: nursing::ClaimFigures,
    open: bool,
    window: (chrono::NaiveDate, chrono::NaiveDate, Source),
    due: (u32, chrono::NaiveDate),
}

async fn load_form(
    state: &AppState,
    user: &CurrentUser,
    procedure: Procedure,
) -> Result<FormView, AppError> {
    let actor = user.actor.clone();
    let today = state.today_for(actor.organisation_id);
    state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, actor.organisation_id)?;
            if org.kind != "district-nursing" {
                return Err(not_nursing(&org));
            }
            Ok(FormView {
                procedure,
                questions: nursing::questions(&s.policies, procedure)?,
                forms: if procedure == Procedure::Existing {
                    nursing::special_forms(&s.policies)?
                } else {
                    Vec::new()
                },
                claims: nursing::claim_figures(&s.db, &actor, &org)?,
                open: nursing::is_open(&s.policies, procedure, today)?,
                window: nursing::window(&s.policies, procedure)?,
                due: nursing::due_date(&s.policies, today)?,
            })
        })
        .await
}

fn procedure_of(raw: &str) -> Result<Procedure, AppError> {
    from_slug(raw).ok_or_else(|| AppError::NotFound(format!("procedure {raw}")))
}

pub async fn form_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let procedure = procedure_of(&raw)?;
    let view = load_form(&state, &user, procedure).await?;
    Ok(render_form(&state, &user, &view, None, &Answers::default()).into_response())
}

fn radio(name: &str, value: &str, label: &str, checked: bool, id: &str) -> Markup {
    html! {
        label.choice for=(id) {
            input type="radio" id=(id) name=(name) value=(value) checked[checked] required;
            " " (label)
        }
    }
}

fn amount_text(d: Option<Decimal>) -> String {
    d.map(|d| zorginkoop_app::policy::dutch::number(d, 2))
        .unwrap_or_default()
}

fn question_field(state: &AppState, q: &Question, a: &Answers) -> Markup {
    let id = q.key.replace('.', "-");
    let given = a.answers.get(&q.key).map(String::as_str);
    html! {
        fieldset.question id={"vraag-" (id)} {
            legend { @if !q.number.is_empty() { "Vraag " (q.number) ". " } (q.text) }
            @match &q.ask {
                Ask::Number(n) => {
                    label for={"getal-" (id)} { (n.label) " (" (n.unit) "; het beleid vraagt " (if n.at_least { "minimaal " } else { "hoogstens " }) (zorginkoop_app::policy::dutch::number(n.limit, 0)) ")" }
                    input id={"getal-" (id)} name={"getal." (q.key)} type="text" inputmode="decimal" required
                        value=(a.numbers.get(&q.key).map(|d| zorginkoop_app::policy::dutch::number(*d, 0)).unwrap_or_default());
                }
                Ask::Exclusion { escape } => {
                    (radio(&q.key, "nee", "Nee, dit is niet op ons van toepassing", given == Some("nee"), &format!("{id}-nee")))
                    (radio(&q.key, "ja", "Ja, dit is op ons van toepassing", given == Some("ja"), &format!("{id}-ja")))
                    label for={"uitzondering-" (id)} { "Alleen bij ‘ja’: beroep op de uitzondering (" (escape) "), met uw toelichting" }
                    textarea id={"uitzondering-" (id)} name={"uitzondering." (q.key)} rows="2" {
                        (a.escapes.get(&q.key).map(String::as_str).unwrap_or(""))
                    }
                }
                _ => {
                    (radio(&q.key, "ja", "Ja", given == Some("ja"), &format!("{id}-ja")))
                    (radio(&q.key, "nee", "Nee", given == Some("nee"), &format!("{id}-nee")))
                }
            }
            details.explanation { summary { "Bron" } (html::citation(state, &q.source)) }
        }
    }
}

fn render_form(
    state: &AppState,
    user: &CurrentUser,
    view: &FormView,
    problem: Option<&str>,
    a: &Answers,
) -> axum::response::Html<String> {
    let p = view.procedure;
    let f = &a.figures;
    let body = html! {
        p { a href="/wijkverpleging" { "← Wijkverpleging 2021" } }
        @if let Some(problem) = problem { p.error role="alert" { (problem) } }
        @if !view.open {
            p.error role="alert" { "De aanvraagperiode is gesloten: aanvragen kan van " (html::date_nl(view.window.0)) " tot en met " (html::date_nl(view.window.1)) "." }
            (html::citation(state, &view.window.2))
        } @else {
            p { "Dient u vandaag in, dan besluit Zilveren Kruis uiterlijk " strong { (html::date_nl(view.due.1)) } " (" (view.due.0) " werkdagen)." }
            form method="post" action={"/wijkverpleging/aanvragen/nieuw/" (slug(p))} {
                (html::csrf_field(user))
                section aria-labelledby="vragen" {
                    h2 id="vragen" { "Vragen" }
                    @for q in &view.questions { (question_field(state, q, a)) }
                }
                @if !view.forms.is_empty() {
                    section aria-labelledby="zorgvormen" {
                        h2 id="zorgvormen" { "Bijzondere zorgvormen (bijlage 2)" }
                        p.hint { "Kies de zorgvormen die u levert en beantwoord hun voorwaarden." }
                        @for form in &view.forms {
                            fieldset.special-form {
                                legend { (form.name) }
                                label.choice for={"zorgvorm-" (form.module)} {
                                    input type="checkbox" id={"zorgvorm-" (form.module)} name="zorgvorm" value=(form.module) checked[a.forms.contains(&form.module)];
                                    " Ik lever deze zorgvorm"
                                }
                                @for q in &form.questions {
                                    @let id = q.key.replace('.', "-");
                                    @let given = a.answers.get(&q.key).map(String::as_str);
                                    div.question {
                                        p { (q.text) }
                                        label.choice for={(id) "-ja"} { input type="radio" id={(id) "-ja"} name=(q.key) value="ja" checked[given == Some("ja")]; " Ja" }
                                        label.choice for={(id) "-nee"} { input type="radio" id={(id) "-nee"} name=(q.key) value="nee" checked[given == Some("nee")]; " Nee" }
                                    }
                                }
                                details.explanation { summary { "Bron" } (html::citation(state, &form.source)) }
                            }
                        }
                    }
                }
                section aria-labelledby="cijfers" {
                    h2 id="cijfers" { "Cijfers" }
                    @match p {
                        Procedure::Existing => {
                            @if let Some(r) = view.claims.reference_revenue {
                                p { "Uw omzet in de referentieperiode (1 maart 2019 tot en met 29 februari 2020) volgt uit uw declaraties: " strong { (nursing::euro(r)) } ". Het basisbudget en de categorie worden daaruit berekend." }
                            } @else {
                                p.hint { "Zilveren Kruis heeft geen declaraties van u over de referentieperiode; vul uw omzet in. Het voorstel vermeldt dat dit cijfer door u is opgegeven." }
                                label for="omzet_referentie" { "Omzet Zvw-wijkverpleging voor Zilveren Kruis-verzekerden, 1 maart 2019 tot en met 29 februari 2020 (euro)" }
                                input id="omzet_referentie" name="omzet_referentie" type="text" inputmode="decimal" required value=(amount_text(f.reference_revenue));
                            }
                        }
                        Procedure::New => {
                            label for="omzet_2019" { "Omzet Zvw-wijkverpleging 2019, verzekerden van alle zorgverzekeraars (euro, uit de jaarrekening 2019)" }
                            input id="omzet_2019" name="omzet_2019" type="text" inputmode="decimal" required value=(amount_text(f.revenue_2019));
                            @if let (Some(c), Some(pc)) = (view.claims.clients, view.claims.postcode_areas) {
                                p { "Uw klant-werkgebied-ratio volgt uit uw declaraties: " (c) " klanten in " (pc) " postcodegebieden." }
                            } @else {
                                label for="klanten" { "Aantal klanten van Zilveren Kruis in het kernwerkgebied (1 maart 2019 tot 1 maart 2020)" }
                                input id="klanten" name="klanten" type="text" inputmode="numeric" required value=(f.clients.map(|c| c.to_string()).unwrap_or_default());
                                label for="postcodegebieden" { "Aantal 4-cijferige postcodegebieden waarin u deze klanten zorg leverde" }
                                input id="postcodegebieden" name="postcodegebieden" type="text" inputmode="numeric" required value=(f.postcode_areas.map(|c| c.to_string()).unwrap_or_default());
                            }
                            label for="budget" { "Gevraagd budget 2021 (euro)" }
                            input id="budget" name="budget" type="text" inputmode="decimal" required value=(amount_text(f.requested_budget));
                        }
                        Procedure::Neighbourhood => {
                            label for="gemeente" { "Gemeente" }
                            input id="gemeente" name="gemeente" type="text" required value=(f.municipality.clone().unwrap_or_default());
                            label for="inwoners_65" { "Aantal inwoners van 65 jaar en ouder in de gemeente" }
                            input id="inwoners_65" name="inwoners_65" type="text" inputmode="numeric" required value=(f.inhabitants_65_plus.map(|c| c.to_string()).unwrap_or_default());
                        }
                        Procedure::Availability => {
                            label for="budget" { "Bedrag regionale beschikbaarheidsfunctie 2021 volgens de afspraak uit 2020 (euro)" }
                            input id="budget" name="budget" type="text" inputmode="decimal" required value=(amount_text(f.requested_budget));
                        }
                    }
                }
                p { button type="submit" { "Aanvraag indienen" } }
            }
        }
    };
    html::page(state, Some(user), p.label(), body)
}

/// An amount in Dutch or plain notation: `125.000,50`, `125000,50`, `125000.50`, `€ 125.000`.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    if t.is_empty() {
        return None;
    }
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1
        || t.rsplit_once('.').is_some_and(|(_, tail)| tail.len() == 3)
    {
        t.replace('.', "")
    } else {
        t
    };
    Decimal::from_str(&normal).ok()
}

fn invalid(field: &str, problem: &str) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

/// The answers from a posted form; numbers that do not parse name their field.
pub fn answers_from_form(form: &[(String, String)]) -> Result<Answers, AppError> {
    let mut a = Answers::default();
    for (k, v) in form {
        let v = v.trim();
        if let Some(key) = k.strip_prefix("getal.") {
            if v.is_empty() {
                continue;
            }
            let n = parse_amount(v).ok_or_else(|| {
                invalid(
                    &format!("vraag {}", key.trim_start_matches("q.q")),
                    "een getal, bijvoorbeeld 2.500.000",
                )
            })?;
            a.numbers.insert(key.to_string(), n);
        } else if let Some(key) = k.strip_prefix("uitzondering.") {
            if !v.is_empty() {
                a.escapes.insert(key.to_string(), v.to_string());
            }
        } else if k == "zorgvorm" {
            a.forms.push(v.to_string());
        } else if k.starts_with("q.") || k.starts_with("c.") || k.starts_with("f.") {
            a.answers.insert(k.clone(), v.to_string());
        } else {
            let amount = |field: &str| {
                parse_amount(v)
                    .ok_or_else(|| invalid(field, "een bedrag in euro, bijvoorbeeld 125.000,00"))
            };
            let count = |field: &str| {
                v.replace('.', "")
                    .parse::<u64>()
                    .map_err(|_| invalid(field, "een heel aantal, bijvoorbeeld 1200"))
            };
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "omzet_referentie" => {
                    a.figures.reference_revenue = Some(amount("omzet referentieperiode")?)
                }
                "omzet_2019" => {
                    a.figures.revenue_2019 = Some(amount("omzet Zvw-wijkverpleging 2019")?)
                }
                "budget" => a.figures.requested_budget = Some(amount("bedrag")?),
                "klanten" => {
                    a.figures.clients = Some(count("aantal klanten in het kernwerkgebied")?)
                }
                "postcodegebieden" => {
                    a.figures.postcode_areas = Some(count("aantal 4-cijferige postcodegebieden")?)
                }
                "inwoners_65" => {
                    a.figures.inhabitants_65_plus = Some(count("inwoners van 65 jaar en ouder")?)
                }
                "gemeente" => a.figures.municipality = Some(v.to_string()),
                _ => {}
            }
        }
    }
    Ok(a)
}

pub async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let procedure = procedure_of(&raw)?;
    let actor = user.actor.clone();
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let (answers, parsed) = match answers_from_form(&form) {
        Ok(a) => (a.clone(), Ok(a)),
        Err(e) => (Answers::default(), Err(e)),
    };
    let result = match parsed {
        Ok(a) => {
            state
                .run(move |s| nursing::submit(&s.db, &s.policies, &actor, procedure, a, today, now))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(app) => {
            Ok(Redirect::to(&format!("/wijkverpleging/aanvragen/{}", app.id)).into_response())
        }
        Err(e) => {
            let code = crate::error::status(&e);
            if !matches!(
                code,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return Err(e.into());
            }
            let view = load_form(&state, &user, procedure).await?;
            Ok((
                code,
                render_form(&state, &user, &view, Some(&e.to_string()), &answers),
            )
                .into_response())
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("aanvraag wijkverpleging {id}")))?;
    let actor = user.actor.clone();
    let (app, preview, statements) = state
        .run(move |s| {
            let app = nursing::get(&s.db, &actor, id)?;
            let preview = match app.state {
                St::Submitted => nursing::proposal_preview(&s.db, &s.policies, &actor, &app).ok(),
                _ => None,
            };
            let statements: Vec<StatementSummary> = settlement::statements(&s.db, &actor, None)?
                .into_iter()
                .filter(|st| st.run.domain == settlement::DOMAIN_NURSING)
                .collect();
            Ok((app, preview, statements))
        })
        .await?;
    let today = state.today_for(app.organisation_id);
    let body = html! {
        p { a href="/wijkverpleging" { "← Wijkverpleging 2021" } }
        p { "Status: " (state_badge(app.state)) }
        (term(&state, &app, today))
        @if let Some(r) = &app.reason {
            section aria-labelledby="reden" {
                h2 id="reden" { "Reden van de afwijzing" }
                p.error { (r) }
            }
        }
        (findings_view(&state, &app.findings, &app.escapes_granted))
        @if let Some(b) = &app.budget {
            (budget_view(&state, b, "Voorstel"))
            @if app.state == St::Proposed {
                @if user.actor.role == Role::ProviderSigner {
                    form method="post" action={"/wijkverpleging/aanvragen/" (app.id) "/tekenen"} {
                        (html::csrf_field(&user))
                        p { "Met tekenen gaat u akkoord met de " (app.procedure.label()) " en het budget van " strong { (nursing::euro(b.budget)) } "." }
                        button type="submit" { "Overeenkomst tekenen" }
                    }
                } @else {
                    p.notice role="note" { "Het voorstel wacht op de handtekening van een tekenbevoegde van uw organisatie." }
                }
            }
            @if app.state == St::Signed {
                p.notice role="status" { "Getekend door " (app.signed_by.clone().unwrap_or_default()) " op " (app.signed_on.map(html::date_nl).unwrap_or_default()) "." }
            }
        } @else if let Some(b) = &preview {
            (budget_view(&state, b, "Verwacht voorstel (nog niet besloten)"))
        }
        (answers_view(&state, &app))
        (statements_view(&statements))
    };
    Ok(html::page(&state, Some(&user), app.procedure.label(), body).into_response())
}

pub async fn sign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    require_provider(&user)?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("aanvraag wijkverpleging {id}")))?;
    let actor = user.actor.clone();
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    state
        .run(move |s| nursing::sign(&s.db, &actor, id, today, now))
        .await?;
    Ok(Redirect::to(&format!("/wijkverpleging/aanvragen/{id}")).into_response())
}
