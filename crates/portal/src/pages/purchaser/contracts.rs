//! Contracts from the insurer's side: proposing a contract for a granted application (the
//! tariffs prefilled with the policy's values, which stay visible beside each input), the list
//! of every proposal and contract with its status, and recording an administrative contract (an
//! agreement made elsewhere: in force at once, unchangeable afterwards).

use super::{
    acts, euro_cents_nl, form_date, insurer_only, module_name, number_nl, period, policy_value_nl,
    read_only_note, unit_nl,
};
use crate::auth::{CurrentUser, Posted};
use crate::error::{PortalError, status};
use crate::html;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Organisation};
use zorginkoop_app::applications::{self, Application, State as Stage};
use zorginkoop_app::policy::Policy;
use zorginkoop_app::proposals::{self, NewProposal, TariffTerm};

/// The prefix of a tariff input's name: `tarief:<parameter id>`.
const TERM: &str = "tarief:";

/// What a contract form holds, as typed (or prefilled).
#[derive(Debug, Clone, Default)]
struct Entered {
    start: String,
    end: String,
    ceiling: String,
    /// Parameter id -> value as typed.
    terms: BTreeMap<String, String>,
    organisation: String,
    confirmed: bool,
}

impl Entered {
    fn from_pairs(pairs: &[(String, String)]) -> Entered {
        let mut e = Entered::default();
        for (k, v) in pairs {
            match k.as_str() {
                "startdatum" => e.start = v.clone(),
                "einddatum" => e.end = v.clone(),
                "omzetplafond" => e.ceiling = v.clone(),
                "organisatie" => e.organisation = v.clone(),
                "bevestigd" => e.confirmed = v == "ja",
                _ => {
                    if let Some(param) = k.strip_prefix(TERM) {
                        e.terms.insert(param.to_string(), v.clone());
                    }
                }
            }
        }
        e
    }

    /// Prefilled: the dates, and every tariff at its policy value (decimal comma).
    fn prefilled(start: NaiveDate, end: NaiveDate, terms: &[TariffTerm]) -> Entered {
        Entered {
            start: start.to_string(),
            end: end.to_string(),
            terms: terms
                .iter()
                .map(|t| {
                    (
                        t.parameter.clone(),
                        super::decimal_nl(t.policy_value.as_deref().unwrap_or("")),
                    )
                })
                .collect(),
            ..Entered::default()
        }
    }

    fn start_date(&self) -> Result<NaiveDate, AppError> {
        form_date("Startdatum", &self.start)?.ok_or_else(|| AppError::Invalid {
            field: "Startdatum".into(),
            problem: "vul de startdatum in".into(),
        })
    }

    /// The proposal's terms: the policy's terms on the start date, with the proposed values
    /// as entered (read the Dutch way, stored exactly).
    fn proposal(
        &self,
        policy: &Policy,
        module: &str,
        application_id: Option<i64>,
        organisation_id: i64,
    ) -> Result<NewProposal, AppError> {
        let start = self.start_date()?;
        let end = form_date("Einddatum", &self.end)?;
        let mut terms = proposals::tariff_terms(policy, module, start);
        for t in &mut terms {
            let typed = self
                .terms
                .get(&t.parameter)
                .map(String::as_str)
                .unwrap_or("");
            if typed.trim().is_empty() {
                return Err(AppError::Invalid {
                    field: t.label.clone(),
                    problem: "vul een waarde in (de beleidswaarde staat ernaast)".into(),
                });
            }
            t.proposed_value = number_nl(&t.label, typed, t.unit == "eur")?
                .normalize()
                .to_string();
        }
        Ok(NewProposal {
            application_id,
            organisation_id,
            policy_id: policy.id().to_string(),
            module: module.to_string(),
            terms,
            start,
            end,
            ceiling_cents: euro_cents_nl("Omzetplafond", &self.ceiling)?,
        })
    }
}

/// The inputs shared by both contract forms: dates, one input per tariff with the policy value
/// beside it, and the turnover ceiling.
fn contract_fields(terms: &[TariffTerm], e: &Entered) -> Markup {
    html! {
        p {
            label for="startdatum" { "Startdatum" }
            input id="startdatum" name="startdatum" type="date" required value=(e.start);
        }
        p {
            label for="einddatum" { "Einddatum" }
            input id="einddatum" name="einddatum" type="date" value=(e.end) aria-describedby="einddatum-hint";
            span.hint id="einddatum-hint" { "Leeg: voor onbepaalde tijd." }
        }
        @if terms.is_empty() {
            p.hint { "Het beleid noemt voor deze module geen tariefparameters." }
        } @else {
            fieldset {
                legend { "Tarieven (de beleidswaarde op de startdatum staat bij elk tarief)" }
                @for (i, t) in terms.iter().enumerate() {
                    p {
                        label for={"tarief-" (i)} { (t.label) " (" (unit_nl(&t.unit)) ")" }
                        input id={"tarief-" (i)} name={(TERM) (t.parameter)} type="text" inputmode="decimal" required
                            value=(e.terms.get(&t.parameter).cloned().unwrap_or_default())
                            aria-describedby={"tarief-" (i) "-beleid"};
                        span.hint id={"tarief-" (i) "-beleid"} {
                            "Beleidswaarde: " strong { (policy_value_nl(&t.unit, t.policy_value.as_deref())) }
                            " · " code { (t.parameter) }
                        }
                    }
                }
            }
        }
        p {
            label for="omzetplafond" { "Omzetplafond" }
            input id="omzetplafond" name="omzetplafond" type="text" inputmode="decimal" value=(e.ceiling) aria-describedby="omzetplafond-hint";
            span.hint id="omzetplafond-hint" { "In euro, niet verplicht; bijvoorbeeld 12.500,00." }
        }
    }
}

/// The policy values of the terms, for staff who read but do not act.
fn terms_read_only(terms: &[TariffTerm]) -> Markup {
    html! {
        @if !terms.is_empty() {
            table {
                thead { tr { th scope="col" { "Tarief" } th scope="col" { "Beleidswaarde" } } }
                tbody {
                    @for t in terms {
                        tr { th scope="row" { (t.label) } td { (policy_value_nl(&t.unit, t.policy_value.as_deref())) } }
                    }
                }
            }
        }
    }
}

fn problem_markup(problem: Option<&str>) -> Markup {
    html! {
        @if let Some(p) = problem {
            p.error role="alert" id="probleem" { (p) }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A proposal for a granted application
// ---------------------------------------------------------------------------------------------

async fn granted_application(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<Application, AppError> {
    let actor = user.actor.clone();
    let app = state
        .run(move |s| applications::get(&s.db, &actor, id))
        .await?;
    if app.state != Stage::Granted {
        return Err(AppError::Conflict(format!(
            "aanvraag {id} is {}: een contract wordt pas voorgesteld na toekenning",
            app.state.label()
        )));
    }
    Ok(app)
}

fn proposal_page(
    state: &AppState,
    user: &CurrentUser,
    app: &Application,
    policy: &Policy,
    e: &Entered,
    problem: Option<&str>,
) -> axum::response::Html<String> {
    let start = e.start_date().unwrap_or_else(|_| period(policy).0);
    let terms = proposals::tariff_terms(policy, &app.module, start);
    let body = html! {
        (problem_markup(problem))
        dl.kv {
            dt { "Zorgaanbieder" } dd { (app.organisation_name) }
            dt { "Module" } dd { (module_name(&state.policies, &app.policy_id, &app.module)) }
            dt { "Beleid" } dd { (policy.file.policy.title) " (" (policy.id()) ", versie " (policy.file.policy.version) ")" }
            dt { "Aanvraag" } dd { a href={"/inkoop/aanvragen/" (app.id)} { "Aanvraag " (app.id) } }
        }
        @if acts(user) {
            form method="post" action={"/inkoop/aanvragen/" (app.id) "/voorstel"} {
                (html::csrf_field(user))
                (contract_fields(&terms, e))
                p.hint { "De zorgaanbieder ziet de voorgestelde tarieven naast die van het beleid; alleen een tekenbevoegde kan het voorstel ondertekenen of weigeren." }
                p { button type="submit" { "Voorstel versturen" } }
            }
        } @else {
            (read_only_note())
            (terms_read_only(&terms))
        }
    };
    html::page(
        state,
        Some(user),
        &format!("Contract voorstellen · aanvraag {}", app.id),
        body,
    )
}

pub async fn proposal_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let app = granted_application(&state, &user, id).await?;
    let policy = zorginkoop_app::policies::find(&state.policies, &app.policy_id)?;
    let (period_start, period_end) = period(policy);
    let start = app.earliest_start.unwrap_or(period_start);
    let terms = proposals::tariff_terms(policy, &app.module, start);
    let e = Entered::prefilled(start, period_end, &terms);
    Ok(proposal_page(&state, &user, &app, policy, &e, None).into_response())
}

pub async fn propose(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    insurer_only(&user)?;
    let e = Entered::from_pairs(&posted.form);
    let app = granted_application(&state, &user, id).await?;
    let policy = zorginkoop_app::policies::find(&state.policies, &app.policy_id)?;
    let result = match e.proposal(policy, &app.module, Some(app.id), app.organisation_id) {
        Ok(p) => {
            let actor = user.actor.clone();
            let now = state.now_for(app.organisation_id);
            state
                .run(move |s| proposals::propose(&s.db, &s.policies, &actor, &p, now))
                .await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(pid) => Ok(Redirect::to(&format!("/voorstellen/{pid}")).into_response()),
        Err(err) => {
            let code = status(&err);
            if !matches!(
                code,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return Err(err.into());
            }
            Ok((
                code,
                proposal_page(&state, &user, &app, policy, &e, Some(&err.to_string())),
            )
                .into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every proposal and contract
// ---------------------------------------------------------------------------------------------

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let actor = user.actor.clone();
    let all = state
        .run(move |s| proposals::list_all(&s.db, &actor))
        .await?;
    let today = state.today();
    let body = html! {
        @if acts(&user) {
            p { a href="/inkoop/administratief" { "Administratief contract vastleggen" } }
        }
        @if all.is_empty() {
            p.notice role="status" { "Er zijn nog geen voorstellen of contracten." }
        } @else {
            div.table-wrap {
                table {
                    caption { (all.len()) " voorstellen en contracten, de nieuwste eerst" }
                    thead {
                        tr {
                            th scope="col" { "Nr." }
                            th scope="col" { "Zorgaanbieder" }
                            th scope="col" { "Module" }
                            th scope="col" { "Status" }
                            th scope="col" { "Contract" }
                            th scope="col" { "Looptijd" }
                            th scope="col" { "Tarief" }
                            th scope="col" { "Aanvraag" }
                        }
                    }
                    tbody {
                        @for p in &all {
                            tr {
                                th scope="row" { a href={"/voorstellen/" (p.id)} { "Voorstel " (p.id) } }
                                td { a href={"/inkoop/aanbieders/" (p.organisation_id)} { (p.organisation_name) } }
                                td { (module_name(&state.policies, &p.policy_id, &p.module)) }
                                td { (p.state.label()) }
                                td { (p.contract_status(today).unwrap_or("—")) }
                                td { (html::date_nl(p.start)) " – " (p.end.map(html::date_nl).unwrap_or_else(|| "onbepaalde tijd".into())) }
                                td { (html::euro(p.tariff_cents)) }
                                td {
                                    @match p.application_id {
                                        Some(a) => a href={"/inkoop/aanvragen/" (a)} { "Aanvraag " (a) },
                                        None => "—",
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), "Voorstellen en contracten", body).into_response())
}

// ---------------------------------------------------------------------------------------------
// Administrative contracts
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct Choice {
    /// `<policy id>/<module id>`.
    #[serde(default)]
    module: Option<String>,
}

/// The policy and module of a `<policy>/<module>` choice.
fn chosen<'a>(
    state: &'a AppState,
    choice: &str,
) -> Result<(&'a Policy, &'a zorginkoop_app::policy::Module), AppError> {
    let (pid, mid) = choice.split_once('/').ok_or_else(|| AppError::Invalid {
        field: "module".into(),
        problem: format!("{choice:?} is geen keuze van beleid en module"),
    })?;
    let policy = zorginkoop_app::policies::find(&state.policies, pid)?;
    let module = policy
        .module(mid)
        .ok_or_else(|| AppError::NotFound(format!("module {mid} in {pid}")))?;
    Ok((policy, module))
}

/// The providers whose kind may contract the module (per the catalogue).
async fn eligible_organisations(
    state: &AppState,
    user: &CurrentUser,
    policy_id: &str,
    module: &str,
) -> Result<Vec<Organisation>, AppError> {
    let actor = user.actor.clone();
    let (pid, mid) = (policy_id.to_string(), module.to_string());
    state
        .run(move |s| {
            let policy = zorginkoop_app::policies::find(&s.policies, &pid)?;
            Ok(accounts::organisations(&s.db, &actor)?
                .into_iter()
                .filter(|o| {
                    applications::catalogue(policy, o)
                        .iter()
                        .any(|m| m.id == mid)
                })
                .collect())
        })
        .await
}

#[allow(clippy::too_many_arguments)]
fn administrative_page(
    state: &AppState,
    user: &CurrentUser,
    choice: Option<&str>,
    selected: Option<(&Policy, &zorginkoop_app::policy::Module)>,
    orgs: &[Organisation],
    e: &Entered,
    problem: Option<&str>,
) -> axum::response::Html<String> {
    let body = html! {
        (problem_markup(problem))
        p.notice role="note" {
            strong { "Let op: " }
            "een administratief contract legt een elders gemaakte afspraak vast. Het geldt meteen, zonder ondertekening door de zorgaanbieder, en kan achteraf niet worden gewijzigd."
        }
        @if !acts(user) { (read_only_note()) }
        form method="get" action="/inkoop/administratief" {
            p {
                label for="keuze" { "Beleid en module" }
                select id="keuze" name="module" required {
                    option value="" { "Kies een module" }
                    @for p in &state.policies.policies {
                        optgroup label={(p.file.policy.title) " (" (p.id()) ")"} {
                            @for m in &p.file.modules {
                                @let v = format!("{}/{}", p.id(), m.id);
                                option value=(v) selected[choice == Some(v.as_str())] { (m.name) }
                            }
                        }
                    }
                }
            }
            p { button.secondary type="submit" { "Kiezen" } }
        }
        @if let Some((policy, module)) = selected {
            @let start = e.start_date().unwrap_or(period(policy).0);
            @let terms = proposals::tariff_terms(policy, &module.id, start);
            h2 { (module.name) }
            @if orgs.is_empty() {
                p { "Geen zorgaanbieder in het portaal kan deze module contracteren." }
            } @else if acts(user) {
                form method="post" action="/inkoop/administratief" {
                    (html::csrf_field(user))
                    input type="hidden" name="module" value={(policy.id()) "/" (module.id)};
                    p {
                        label for="organisatie" { "Zorgaanbieder" }
                        select id="organisatie" name="organisatie" required {
                            option value="" { "Kies een zorgaanbieder" }
                            @for o in orgs {
                                @let v = o.id.to_string();
                                option value=(v) selected[e.organisation == v] {
                                    (o.name) " (AGB " (o.agb.as_deref().unwrap_or("-")) ")"
                                }
                            }
                        }
                    }
                    (contract_fields(&terms, e))
                    p {
                        input id="bevestigd" name="bevestigd" type="checkbox" value="ja" required checked[e.confirmed];
                        label for="bevestigd" { "Ik begrijp dat dit contract na het vastleggen niet meer kan worden gewijzigd." }
                    }
                    p { button type="submit" { "Vastleggen" } }
                }
            } @else {
                (terms_read_only(&terms))
            }
        }
    };
    html::page(
        state,
        Some(user),
        "Administratief contract vastleggen",
        body,
    )
}

pub async fn administrative_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<Choice>,
) -> Result<Response, PortalError> {
    insurer_only(&user)?;
    let choice = q.module.filter(|c| !c.is_empty());
    let Some(choice) = choice else {
        return Ok(
            administrative_page(&state, &user, None, None, &[], &Entered::default(), None)
                .into_response(),
        );
    };
    let (policy, module) = chosen(&state, &choice)?;
    let orgs = eligible_organisations(&state, &user, policy.id(), &module.id).await?;
    let (start, end) = period(policy);
    let e = Entered::prefilled(
        start,
        end,
        &proposals::tariff_terms(policy, &module.id, start),
    );
    Ok(administrative_page(
        &state,
        &user,
        Some(&choice),
        Some((policy, module)),
        &orgs,
        &e,
        None,
    )
    .into_response())
}

pub async fn record_administrative(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let user = posted.user;
    insurer_only(&user)?;
    let choice = posted
        .form
        .iter()
        .find(|(k, _)| k == "module")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let e = Entered::from_pairs(&posted.form);
    let (policy, module) = chosen(&state, &choice)?;
    let orgs = eligible_organisations(&state, &user, policy.id(), &module.id).await?;
    let result = (|| {
        let org: i64 = e
            .organisation
            .trim()
            .parse()
            .map_err(|_| AppError::Invalid {
                field: "Zorgaanbieder".into(),
                problem: "kies een zorgaanbieder".into(),
            })?;
        if !orgs.iter().any(|o| o.id == org) {
            return Err(AppError::Invalid {
                field: "Zorgaanbieder".into(),
                problem: format!("deze zorgaanbieder kan {} niet contracteren", module.name),
            });
        }
        if !e.confirmed {
            return Err(AppError::Invalid {
                field: "Bevestiging".into(),
                problem:
                    "bevestig dat het contract na het vastleggen niet meer kan worden gewijzigd"
                        .into(),
            });
        }
        e.proposal(policy, &module.id, None, org)
    })();
    let result = match result {
        Ok(p) => {
            let actor = user.actor.clone();
            let now = state.now_for(p.organisation_id);
            state
                .run(move |s| proposals::record_administrative(&s.db, &s.policies, &actor, &p, now))
                .await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(pid) => Ok(Redirect::to(&format!("/voorstellen/{pid}")).into_response()),
        Err(err) => {
            let code = status(&err);
            if !matches!(
                code,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return Err(err.into());
            }
            Ok((
                code,
                administrative_page(
                    &state,
                    &user,
                    Some(&choice),
                    Some((policy, module)),
                    &orgs,
                    &e,
                    Some(&err.to_string()),
                ),
            )
                .into_response())
        }
    }
}
