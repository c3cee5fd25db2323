//! Proposals and contracts over the API: a care provider reads its own proposals and its
//! signer accepts or refuses one (with the SHA-256 of the text read); the insurer's staff see
//! every proposal and contract. Every call is the `proposals` or `contracts` use case.

use super::schema::{
    Answer, AnswerRequest, ApiError, ContractView, OrganisationFilter, ProposalDetail,
    ProposalSummary,
};
use super::{ApiJson, ApiResult, ok, parse_id, query, run};
use crate::auth::CurrentUser;
use crate::routes::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, Query, State, rejection::QueryRejection};
use axum::routing::{get, post};
use zorginkoop_app::contracts;
use zorginkoop_app::proposals::{self, Signature};

pub const LIST: &str =
    "voorstellen en contracten: een zorgaanbieder de eigen, de zorgverzekeraar alle";
pub const GET: &str = "een voorstel: de exacte tekst met SHA-256, de tarieven en wie antwoordde";
pub const ANSWER: &str = "een voorstel ondertekenen of weigeren (alleen de tekenbevoegde, met de SHA-256 van de gelezen tekst)";
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
            "GET",
            "/api/v1/contracts",
            Access::User,
            CONTRACTS,
            get(list_contracts),
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
