//! The regio-organisatie's side of the regioplan: the plan as a form (usable without
//! JavaScript: the network and the budget show the rows filled in plus two empty ones, saving
//! gives more), the check beside it, the plan document, submitting, and the rounds with the
//! purchaser's feedback.

use super::{check_view, content_view, rounds_view, term, term_citation};
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::pages::provider::require_provider;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts;
use zorginkoop_app::regional_plan::{
    self, BudgetLine, Check, Content, NetworkMember, Plan, PlanState, Requirement, Round, spec,
};

/// Everything the RO's page shows.
struct View {
    plan: Option<Plan>,
    rounds: Vec<Round>,
    check: Option<Check>,
    years: Vec<i32>,
    oi_application: Option<i64>,
}

async fn load(state: &AppState, user: &CurrentUser) -> Result<View, AppError> {
    let actor = user.actor.clone();
    let today = state.today_for(actor.organisation_id);
    state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, actor.organisation_id)?;
            if org.kind != "regio-organisatie" {
                return Err(AppError::Forbidden(format!(
                    "het regioplan is voor regio-organisaties; {} is een {}",
                    org.name, org.kind
                )));
            }
            let policy = zorginkoop_app::policies::find(&s.policies, regional_plan::POLICY)?;
            let plan = regional_plan::of_organisation(&s.db, &actor, org.id)?;
            let (rounds, check) = match &plan {
                Some(p) => (
                    regional_plan::rounds(&s.db, &actor, p.id)?,
                    Some(regional_plan::check(
                        policy,
                        &org,
                        &p.content,
                        p.state != PlanState::Draft,
                        today,
                    )?),
                ),
                None => (Vec::new(), None),
            };
            let oi_application = zorginkoop_app::applications::list_for(&s.db, &actor, org.id)?
                .into_iter()
                .filter(|a| a.policy_id == regional_plan::POLICY && a.module == "o-and-i")
                .map(|a| a.id)
                .next_back();
            Ok(View {
                plan,
                rounds,
                check,
                years: regional_plan::years(policy),
                oi_application,
            })
        })
        .await
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let view = load(&state, &user).await?;
    Ok(render(&state, &user, &view, None, None).into_response())
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    view: &View,
    problem: Option<&str>,
    entered: Option<&Content>,
) -> axum::response::Html<String> {
    let today = state.today_for(user.actor.organisation_id);
    let body = html! {
        p { "Het regioplan met begroting is de basis van de O&I-overeenkomst 2026-2027. Uiterlijk 6 september 2025 dient u het in; "
            "de zorginkoper reageert uiterlijk 3 weken na indiening. Voldoet het plan niet (volledig), dan krijgt u het terug met feedback per onderdeel." }
        (term_citation(state))
        @if let Some(p) = problem {
            p.error role="alert" { (p) }
        }
        @match &view.plan {
            None => {
                form method="post" action="/regioplan" {
                    (html::csrf_field(user))
                    button type="submit" { "Regioplan opstellen" }
                }
            }
            Some(plan) => {
                p { "Status: " strong { (plan.state.label()) } }
                @if let Some(r) = view.rounds.last().filter(|r| r.outcome.is_none()) {
                    p.notice role="status" { "Ingediend op " (html::date_nl(r.submitted_on)) ". " (term(r, today)) }
                }
                @if plan.state == PlanState::Approved {
                    p.notice role="status" {
                        "Uw regioplan is goedgekeurd. De antwoorden uit het plan staan in uw aanvraag voor de O&I-overeenkomst. "
                        @if let Some(id) = view.oi_application { a href={"/aanvragen/" (id)} { "Naar de aanvraag O&I-overeenkomst" } }
                        " Daarna contracteert u de modules voor uw praktijken (chronische zorg, Kwetsbare ouderen, ...) via de " a href="/catalogus" { "catalogus" } "."
                    }
                }
                (rounds_view(&view.rounds, today))
                @if let Some(check) = &view.check { (check_view(state, check)) }
                @if plan.state.editable() {
                    (form(user, plan, entered.unwrap_or(&plan.content), &view.years))
                    (document_form(user, plan))
                } @else {
                    (content_view(state, &plan.content))
                }
            }
        }
    };
    html::page(state, Some(user), "Regioplan O&I 2026-2027", body)
}

fn document_form(user: &CurrentUser, plan: &Plan) -> Markup {
    html! {
        section aria-labelledby="plandocument" {
            h2 id="plandocument" { "Plandocument" }
            @if let Some(d) = &plan.document {
                p { "Huidig document: " a href={"/regioplan/documenten/" (d.id)} { (d.file_name) } " (" (d.size_bytes / 1024 + 1) " kB, SHA-256 " code { (&d.sha256[..12]) } "…)" }
            }
            form method="post" action={"/regioplan/" (plan.id) "/document"} enctype="multipart/form-data" {
                (html::csrf_field(user))
                label for="bestand" { "Het regioplan als document (PDF, PNG, JPEG of tekst, hoogstens " (regional_plan::MAX_DOCUMENT_BYTES / 1024 / 1024) " MB)" }
                input id="bestand" name="bestand" type="file" accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain" required;
                p { button.secondary type="submit" { "Document toevoegen" } }
            }
        }
    }
}

fn amount_text(d: Option<&Decimal>) -> String {
    d.map(|d| zorginkoop_app::policy::dutch::number(*d, 2))
        .unwrap_or_default()
}

fn form(user: &CurrentUser, plan: &Plan, c: &Content, years: &[i32]) -> Markup {
    let network_rows = c.network.len() + 2;
    let budget_rows = c.budget.len() + 2;
    html! {
        form method="post" action={"/regioplan/" (plan.id)} {
            (html::csrf_field(user))
            section aria-labelledby="f-onderwerpen" {
                h2 id="f-onderwerpen" { "Onderwerpen (bijlage 1)" }
                @for t in spec::TOPICS {
                    div.field {
                        label for={"onderwerp-" (t.id)} { (t.label) }
                        p.hint id={"onderwerp-" (t.id) "-hint"} { (t.asks) }
                        textarea id={"onderwerp-" (t.id)} name={"onderwerp." (t.id)} rows="4" aria-describedby={"onderwerp-" (t.id) "-hint"} {
                            (c.topics.get(t.id).map(String::as_str).unwrap_or(""))
                        }
                    }
                }
            }
            section aria-labelledby="f-netwerk" {
                h2 id="f-netwerk" { (spec::NETWORK.label) }
                p.hint { (spec::NETWORK.asks) }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Discipline" } th scope="col" { "Wie (organisatie)" } th scope="col" { "Hoe betrokken, welke inbreng" } } }
                    tbody {
                        @for i in 0..network_rows {
                            @let m = c.network.get(i);
                            tr {
                                td {
                                    select name={"netwerk." (i) ".discipline"} aria-label={"Discipline, rij " (i + 1)} {
                                        option value="" { "—" }
                                        @for (id, label) in spec::DISCIPLINES {
                                            option value=(id) selected[m.is_some_and(|m| m.discipline == *id)] { (label) }
                                        }
                                    }
                                }
                                td { input type="text" name={"netwerk." (i) ".organisatie"} aria-label={"Wie, rij " (i + 1)} value=(m.map(|m| m.organisation.as_str()).unwrap_or("")); }
                                td { input type="text" name={"netwerk." (i) ".inbreng"} aria-label={"Inbreng, rij " (i + 1)} value=(m.map(|m| m.involvement.as_str()).unwrap_or("")); }
                            }
                        }
                    }
                } }
            }
            section aria-labelledby="f-is" {
                h2 id="f-is" { (spec::INFORMATION_SYSTEM_PART.label) }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Eis (bijlage 2)" } th scope="col" { "Voldoet" } th scope="col" { "Toelichting" } } }
                    tbody {
                        @for p in spec::INFORMATION_SYSTEM {
                            @let a = c.information_system.get(p.id);
                            tr {
                                td { (p.label) }
                                td {
                                    select name={"is." (p.id)} aria-label={"Voldoet: " (p.label)} {
                                        option value="" { "—" }
                                        option value="ja" selected[a.is_some_and(|a| a.meets)] { "Ja" }
                                        option value="nee" selected[a.is_some_and(|a| !a.meets)] { "Nee" }
                                    }
                                }
                                td { input type="text" name={"is." (p.id) ".toelichting"} aria-label={"Toelichting: " (p.label)} value=(a.map(|a| a.explanation.as_str()).unwrap_or("")); }
                            }
                        }
                    }
                } }
            }
            section aria-labelledby="f-begroting" {
                h2 id="f-begroting" { "Begroting" }
                p.hint { (spec::BUDGET.asks) " Bedragen in euro per jaar, bijvoorbeeld 125.000,00." }
                div.field {
                    label for="ingeschreven" { "Aantal ingeschreven verzekerden bij de aangesloten huisartsen" }
                    input id="ingeschreven" name="ingeschreven" type="text" inputmode="numeric" value=(c.registered_insured.map(|n| n.to_string()).unwrap_or_default());
                }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Soort kosten" } th scope="col" { "Omschrijving" } @for y in years { th scope="col" { "Bedrag " (y) } } } }
                    tbody {
                        @for i in 0..budget_rows {
                            @let l = c.budget.get(i);
                            tr {
                                td {
                                    select name={"begroting." (i) ".soort"} aria-label={"Soort kosten, regel " (i + 1)} {
                                        option value="" { "—" }
                                        @for (id, label) in spec::COST_KINDS {
                                            option value=(id) selected[l.is_some_and(|l| l.kind == *id)] { (label) }
                                        }
                                    }
                                }
                                td { input type="text" name={"begroting." (i) ".omschrijving"} aria-label={"Omschrijving, regel " (i + 1)} value=(l.map(|l| l.description.as_str()).unwrap_or("")); }
                                @for y in years {
                                    td { input type="text" inputmode="decimal" name={"begroting." (i) "." (y)} aria-label={"Bedrag " (y) ", regel " (i + 1)} value=(amount_text(l.and_then(|l| l.amounts.get(y)))); }
                                }
                            }
                        }
                    }
                } }
            }
            p {
                button type="submit" name="actie" value="opslaan" { "Opslaan" } " "
                button.secondary type="submit" name="actie" value="indienen" { "Opslaan en indienen" }
            }
            p.hint { "Na indienen ligt het plan vast tot de zorginkoper reageert." }
        }
    }
}

/// An amount as typed: `125000`, `125000,50`, `125.000,50` or `125000.50`.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let t: String = text
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1
        || t.split_once('.')
            .is_some_and(|(a, b)| b.len() == 3 && !a.is_empty() && a.len() <= 3)
    {
        // thousands separators: 125.000 or 1.250.000
        t.replace('.', "")
    } else {
        t
    };
    Decimal::from_str(&normal).ok()
}

/// The form as a plan's content; every problem names its field.
pub fn content_from_form(pairs: &[(String, String)], years: &[i32]) -> Result<Content, AppError> {
    match read_form(pairs, years) {
        (c, None) => Ok(c),
        (_, Some(e)) => Err(e),
    }
}

/// The form as far as it reads, and the first problem: a page that shows the problem keeps
/// everything else that was entered.
pub fn read_form(pairs: &[(String, String)], years: &[i32]) -> (Content, Option<AppError>) {
    let mut problem: Option<AppError> = None;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let invalid = |field: String, problem: &str| AppError::Invalid {
        field,
        problem: problem.to_string(),
    };
    let mut c = Content::default();
    for t in spec::TOPICS {
        let text = get(&format!("onderwerp.{}", t.id));
        if !text.is_empty() {
            c.topics.insert(t.id.to_string(), text);
        }
    }
    let rows = |prefix: &str| -> usize {
        pairs
            .iter()
            .filter_map(|(n, _)| n.strip_prefix(prefix))
            .filter_map(|rest| rest.split('.').next()?.parse::<usize>().ok())
            .max()
            .map_or(0, |m| m + 1)
            .min(200)
    };
    for i in 0..rows("netwerk.") {
        let d = get(&format!("netwerk.{i}.discipline"));
        let o = get(&format!("netwerk.{i}.organisatie"));
        let inv = get(&format!("netwerk.{i}.inbreng"));
        if d.is_empty() && o.is_empty() && inv.is_empty() {
            continue;
        }
        if d.is_empty() {
            problem.get_or_insert(invalid(
                format!("netwerk, rij {}: discipline", i + 1),
                "kies een discipline",
            ));
        }
        c.network.push(NetworkMember {
            discipline: d,
            organisation: o,
            involvement: inv,
        });
    }
    for p in spec::INFORMATION_SYSTEM {
        let meets = match get(&format!("is.{}", p.id)).as_str() {
            "ja" => true,
            "nee" => false,
            _ => continue,
        };
        c.information_system.insert(
            p.id.to_string(),
            Requirement {
                meets,
                explanation: get(&format!("is.{}.toelichting", p.id)),
            },
        );
    }
    for i in 0..rows("begroting.") {
        let kind = get(&format!("begroting.{i}.soort"));
        let description = get(&format!("begroting.{i}.omschrijving"));
        let mut amounts = BTreeMap::new();
        for y in years {
            let text = get(&format!("begroting.{i}.{y}"));
            if text.is_empty() {
                continue;
            }
            match parse_amount(&text) {
                Some(a) => {
                    amounts.insert(*y, a);
                }
                None => {
                    problem.get_or_insert(invalid(
                        format!("begroting, regel {}: bedrag {y}", i + 1),
                        "een bedrag in euro, bijvoorbeeld 125.000,00",
                    ));
                }
            }
        }
        if kind.is_empty() && description.is_empty() && amounts.is_empty() {
            continue;
        }
        if kind.is_empty() {
            problem.get_or_insert(invalid(
                format!("begroting, regel {}: soort kosten", i + 1),
                "kies een soort kosten",
            ));
        }
        c.budget.push(BudgetLine {
            kind,
            description,
            amounts,
        });
    }
    let n = get("ingeschreven").replace(['.', ' '], "");
    if !n.is_empty() {
        match n.parse() {
            Ok(n) => c.registered_insured = Some(n),
            Err(_) => {
                problem.get_or_insert(invalid(
                    "aantal ingeschreven verzekerden".into(),
                    "een heel aantal, bijvoorbeeld 120000",
                ));
            }
        }
    }
    (c, problem)
}

pub async fn start(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    require_provider(&user)?;
    let actor = user.actor.clone();
    let now = state.now_for(actor.organisation_id);
    state
        .run(move |s| regional_plan::start(&s.db, &s.policies, &actor, now))
        .await?;
    Ok(Redirect::to("/regioplan").into_response())
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let actor = user.actor.clone();
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let submit = form.iter().any(|(k, v)| k == "actie" && v == "indienen");
    let years = state
        .policies
        .get(regional_plan::POLICY)
        .map(regional_plan::years)
        .unwrap_or_default();
    let entered = match read_form(&form, &years) {
        (c, None) => c,
        (c, Some(e)) => return with_problem(&state, &user, e, Some(&c)).await,
    };
    let content = entered.clone();
    let result = state
        .run(move |s| {
            regional_plan::save(&s.db, &s.policies, &actor, id, &content, now)?;
            if submit {
                regional_plan::submit(&s.db, &s.policies, &actor, id, today, now)?;
            }
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(Redirect::to(if submit {
            "/regioplan#rondes"
        } else {
            "/regioplan#controle"
        })
        .into_response()),
        Err(e) => with_problem(&state, &user, e, Some(&entered)).await,
    }
}

async fn with_problem(
    state: &AppState,
    user: &CurrentUser,
    e: AppError,
    entered: Option<&Content>,
) -> Result<Response, PortalError> {
    let code = crate::error::status(&e);
    if !matches!(
        code,
        StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
    ) {
        return Err(e.into());
    }
    let view = load(state, user).await?;
    Ok((
        code,
        render(state, user, &view, Some(&e.to_string()), entered),
    )
        .into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let (name, bytes) = crate::pages::attachments::read_upload(
        form,
        &headers,
        &user,
        "plandocument",
        "regioplan",
        regional_plan::MAX_DOCUMENT_BYTES,
    )
    .await?;
    let actor = user.actor.clone();
    let now = state.now_for(actor.organisation_id);
    state
        .run(move |s| regional_plan::add_document(&s.db, &actor, id, &name, &bytes, now))
        .await?;
    Ok(Redirect::to("/regioplan#plandocument").into_response())
}

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let (d, bytes) = state
        .run(move |s| regional_plan::document(&s.db, &actor, id))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, d.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", d.file_name),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_the_dutch_way() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(parse_amount("125.000,50"), Some(d("125000.50")));
        assert_eq!(parse_amount("125000,5"), Some(d("125000.5")));
        assert_eq!(parse_amount("€ 1.250.000"), Some(d("1250000")));
        assert_eq!(
            parse_amount("125.000"),
            Some(d("125000")),
            "a dot before three digits separates thousands"
        );
        assert_eq!(parse_amount("125000.50"), Some(d("125000.50")));
        assert_eq!(parse_amount("12,5 euro"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn the_form_becomes_the_plan_and_empty_rows_are_left_out() {
        let pairs: Vec<(String, String)> = [
            ("onderwerp.gli", "GLI via de RO"),
            ("onderwerp.mtvp", "  "),
            ("netwerk.0.discipline", "pharmacists"),
            ("netwerk.0.organisatie", "Apotheek Centrum"),
            ("netwerk.1.discipline", ""),
            ("netwerk.1.organisatie", ""),
            ("is.comorbidity", "nee"),
            ("is.comorbidity.toelichting", "volgt in 2026"),
            ("begroting.0.soort", "personnel"),
            ("begroting.0.omschrijving", "Praktijkondersteuning"),
            ("begroting.0.2026", "100.000,00"),
            ("begroting.2.soort", ""),
            ("ingeschreven", "120.000"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let c = content_from_form(&pairs, &[2026, 2027]).unwrap();
        assert_eq!(c.topics.len(), 1);
        assert_eq!(c.network.len(), 1);
        assert!(!c.information_system["comorbidity"].meets);
        assert_eq!(c.budget[0].amounts[&2026], Decimal::from(100_000));
        assert!(!c.budget[0].amounts.contains_key(&2027));
        assert_eq!(c.registered_insured, Some(120_000));
        let bad: Vec<(String, String)> = vec![
            ("begroting.0.soort".into(), "ict".into()),
            ("begroting.0.2027".into(), "veel".into()),
        ];
        let e = content_from_form(&bad, &[2026, 2027])
            .unwrap_err()
            .to_string();
        assert!(e.contains("begroting, regel 1: bedrag 2027"), "{e}");
    }
}
