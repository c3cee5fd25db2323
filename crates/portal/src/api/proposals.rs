//! Proposals and contracts over the API: a care provider reads its own proposals and its
//! signer accepts or refuses one (with the SHA-256 of the text read); the insurer's staff see
//! every proposal and contract. Every call is the `proposals` or `contracts` use case.

use super::schema::{
    AdministrativeRequest, Answer, AnswerRequest, ApiError, ContractView, OrganisationFilter,
    ProposalDetail, ProposalSummary, ProposeRequest,
};
use super::{ApiJson, ApiResult, ok, parse_id, query, reply, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, Query, State, rejection::QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use zorginkoop_app::accounts::Role;
use zorginkoop_app::policy::Policy;
use zorginkoop_app::proposals::{self, NewProposal, Signature, TariffTerm};
use zorginkoop_app::{AppError, applications, contracts, policies};

pub const LIST: &str =
    "voorstellen en contracten: een zorgaanbieder de eigen, de zorgverzekeraar alle";
pub const GET: &str = "een voorstel: de exacte tekst met SHA-256, de tarieven en wie antwoordde";
pub const ANSWER: &str = "een voorstel ondertekenen of weigeren (alleen de tekenbevoegde, met de SHA-256 van de gelezen tekst)";
pub const PROPOSE: &str = "een contract voorstellen voor een toegekende aanvraag (zorginkoper), met de tarieven uit het beleid";
pub const ADMINISTRATIVE: &str =
    "een elders overeengekomen contract vastleggen als administratief contract (zorginkoper)";
pub const CONTRACTS: &str = "de contracten zoals de declaratiecontrole ze leest: van de eigen organisatie, of alle voor de zorgverzekeraar";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/api/v1/proposals", Access::User, LIST, get(list)),
        Route::new(
            "GET",
            "/api/v1/proposals/{id}",
            Access::User,
            GET,
            get(detail),
        ),
        Route::new(
            "POST",
            "/api/v1/proposals/{id}/answer",
            Access::Provider,
            ANSWER,
            post(answer),
        ),
        Route::new(
            "POST",
            "/api/v1/applications/{id}/proposal",
            Access::Insurer,
            PROPOSE,
            post(propose),
        ),
        Route::new(
            "GET",
            "/api/v1/contracts",
            Access::User,
            CONTRACTS,
            get(list_contracts),
        ),
        Route::new(
            "POST",
            "/api/v1/contracts",
            Access::Insurer,
            ADMINISTRATIVE,
            post(administrative),
        ),
    ]
}

#[utoipa::path(get, path = "/api/v1/proposals", tag = "contracten", summary = LIST,
    params(OrganisationFilter),
    responses((status = 200, body = Vec<ProposalSummary>),
        (status = 401, body = ApiError),
        (status = 404, description = "een organisatie die u niet mag zien", body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<OrganisationFilter>, QueryRejection>,
) -> ApiResult {
    let f = query(q)?;
    let today = state.today();
    let list = run(&state, move |s| {
        let actor = &user.actor;
        match f.organisation {
            Some(org) => proposals::list_for(&s.db, actor, org),
            None if actor.role.is_insurer() => proposals::list_all(&s.db, actor),
            None => proposals::list_for(&s.db, actor, actor.organisation_id),
        }
    })
    .await?;
    ok(&list
        .iter()
        .map(|p| ProposalSummary::of(p, today))
        .collect::<Vec<_>>())
}

#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "contracten", summary = GET,
    params(("id" = i64, Path, description = "het voorstel")),
    responses((status = 200, body = ProposalDetail),
        (status = 401, body = ApiError),
        (status = 404, description = "bestaat niet of u mag het niet zien", body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "voorstel")?;
    let today = state.today();
    let p = run(&state, move |s| proposals::get(&s.db, &user.actor, id)).await?;
    ok(&ProposalDetail::of(&p, today))
}

#[utoipa::path(post, path = "/api/v1/proposals/{id}/answer", tag = "contracten", summary = ANSWER,
    description = "Ondertekenen schrijft het contract dat de declaratiecontrole leest, en legt vast \
        wie, wanneer, vanaf welk adres en met welke user agent, met de SHA-256 van de tekst.",
    params(("id" = i64, Path, description = "het voorstel")),
    request_body = AnswerRequest,
    responses((status = 200, body = ProposalDetail),
        (status = 401, body = ApiError),
        (status = 403, description = "alleen de tekenbevoegde", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "al beantwoord, of een andere tekst dan gelezen", body = ApiError),
        (status = 422, description = "reden ontbreekt bij weigeren", body = ApiError)))]
pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<AnswerRequest>,
) -> ApiResult {
    let id = parse_id(&id, "voorstel")?;
    let (today, now) = (state.today(), state.now());
    let user = req.user;
    let a = req.body;
    let p = run(&state, move |s| {
        proposals::answer(
            &s.db,
            &user.actor,
            id,
            matches!(a.answer, Answer::Accept),
            a.reason.as_deref(),
            &Signature {
                ip: &user.client.ip,
                user_agent: &user.client.user_agent,
                text_sha256: &a.text_sha256,
            },
            now,
        )
    })
    .await?;
    ok(&ProposalDetail::of(&p, today))
}

#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracten", summary = CONTRACTS,
    responses((status = 200, body = Vec<ContractView>), (status = 401, body = ApiError)))]
pub async fn list_contracts(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    let rows = run(&state, move |s| contracts::visible(&s.db, &user.actor)).await?;
    ok(&rows.into_iter().map(ContractView::from).collect::<Vec<_>>())
}

/// The module's tariff terms with the policy's values on `start`, some replaced by `given`.
fn terms(
    policy: &Policy,
    module: &str,
    start: NaiveDate,
    given: &BTreeMap<String, serde_json::Value>,
) -> Result<Vec<TariffTerm>, AppError> {
    let mut terms = proposals::tariff_terms(policy, module, start);
    for (id, v) in given {
        let term = terms
            .iter_mut()
            .find(|t| &t.parameter == id)
            .ok_or_else(|| AppError::Invalid {
                field: id.clone(),
                problem: format!("geen tarief van module {module}"),
            })?;
        term.proposed_value = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(AppError::Invalid {
                    field: id.clone(),
                    problem: format!("{other} is geen getal"),
                });
            }
        };
    }
    Ok(terms)
}

fn ceiling(text: Option<&str>) -> Result<Option<i64>, AppError> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| proposals::euro_to_cents("ceiling", t))
        .transpose()
}

fn created(p: &proposals::Proposal, today: NaiveDate) -> axum::response::Response {
    (
        [(header::LOCATION, format!("/api/v1/proposals/{}", p.id))],
        reply(StatusCode::CREATED, &ProposalDetail::of(p, today)),
    )
        .into_response()
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/proposal", tag = "contracten", summary = PROPOSE,
    description = "De exacte tekst van het voorstel wordt bij het maken vastgelegd met haar SHA-256; \
        alleen de tekenbevoegde van de zorgaanbieder kan het accepteren of weigeren.",
    params(("id" = i64, Path, description = "de toegekende aanvraag")),
    request_body = ProposeRequest,
    responses((status = 201, body = ProposalDetail),
        (status = 401, body = ApiError),
        (status = 403, description = "alleen een zorginkoper", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "niet toegekend, of er staat al een voorstel open", body = ApiError),
        (status = 422, description = "een tarief, datum of plafond past niet", body = ApiError)))]
pub async fn propose(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<ProposeRequest>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;
    let (today, now) = (state.today(), state.now());
    let actor = req.user.actor;
    let r = req.body;
    let p = run(&state, move |s| {
        // the role first: the use case checks it again, but after the tariffs are read
        actor.require(&[Role::Purchaser], "een contract voorstellen")?;
        let app = applications::get(&s.db, &actor, id)?;
        let policy = policies::find(&s.policies, &app.policy_id)?;
        let pid = proposals::propose(
            &s.db,
            &s.policies,
            &actor,
            &NewProposal {
                application_id: Some(id),
                organisation_id: app.organisation_id,
                policy_id: app.policy_id.clone(),
                module: app.module.clone(),
                terms: terms(policy, &app.module, r.start, &r.tariffs)?,
                start: r.start,
                end: r.end,
                ceiling_cents: ceiling(r.ceiling.as_deref())?,
            },
            now,
        )?;
        proposals::get(&s.db, &actor, pid)
    })
    .await?;
    Ok(created(&p, today))
}

#[utoipa::path(post, path = "/api/v1/contracts", tag = "contracten", summary = ADMINISTRATIVE,
    description = "Voor een afspraak die buiten het portaal is gemaakt: het contract geldt meteen \
        (geen ondertekening) en kan daarna niet meer worden gewijzigd.",
    request_body = AdministrativeRequest,
    responses((status = 201, body = ProposalDetail),
        (status = 401, body = ApiError),
        (status = 403, description = "alleen een zorginkoper", body = ApiError),
        (status = 404, description = "onbekende organisatie, beleid of module", body = ApiError),
        (status = 422, description = "een tarief, datum of plafond past niet", body = ApiError)))]
pub async fn administrative(
    State(state): State<AppState>,
    req: ApiJson<AdministrativeRequest>,
) -> ApiResult {
    let (today, now) = (state.today(), state.now());
    let actor = req.user.actor;
    let r = req.body;
    let p = run(&state, move |s| {
        actor.require(&[Role::Purchaser], "een administratief contract vastleggen")?;
        let policy = policies::find(&s.policies, &r.policy)?;
        let pid = proposals::record_administrative(
            &s.db,
            &s.policies,
            &actor,
            &NewProposal {
                application_id: None,
                organisation_id: r.organisation,
                policy_id: r.policy.clone(),
                module: r.module.clone(),
                terms: terms(policy, &r.module, r.start, &r.tariffs)?,
                start: r.start,
                end: r.end,
                ceiling_cents: ceiling(r.ceiling.as_deref())?,
            },
            now,
        )?;
        proposals::get(&s.db, &actor, pid)
    })
    .await?;
    Ok(created(&p, today))
}
