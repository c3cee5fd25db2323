//! The regioplan as JSON under `/api/v1/regioplannen`: the plans (the insurer's staff every RO's,
//! an RO its own), one plan with its rounds and check, saving and submitting (the RO), and the
//! answer per part (the purchaser). The same use cases and authorisation as the pages.

use crate::api::schema::ApiError;
use crate::api::{ApiJson, ApiResult, Changing, ok, parse_id, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use zorginkoop_app::accounts;
use zorginkoop_app::regional_plan::{self, Check, Content, PartAnswer, Plan, Round};

pub const LIST: &str = "regioplannen: de zorgverzekeraar die van alle regio-organisaties, een regio-organisatie het eigen";
pub const DETAIL: &str =
    "een regioplan: de inhoud, elke ronde met de reactie, de reactietermijn en de controle";
pub const SAVE: &str = "het regioplan opslaan (de regio-organisatie; concept of na feedback)";
pub const SUBMIT: &str =
    "het regioplan indienen: een nieuwe ronde met de reactietermijn (regional-plan.response-weeks)";
pub const ANSWER: &str =
    "reageren op de ingediende ronde: elk onderdeel goedgekeurd of met feedback (de zorginkoper)";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/api/v1/regioplannen", Access::User, LIST, get(list)),
        Route::new(
            "GET",
            "/api/v1/regioplannen/{id}",
            Access::User,
            DETAIL,
            get(detail),
        ),
        Route::new(
            "PUT",
            "/api/v1/regioplannen/{id}",
            Access::Provider,
            SAVE,
            put(save),
        ),
        Route::new(
            "POST",
            "/api/v1/regioplannen/{id}/indienen",
            Access::Provider,
            SUBMIT,
            post(submit),
        ),
        Route::new(
            "POST",
            "/api/v1/regioplannen/{id}/reactie",
            Access::Insurer,
            ANSWER,
            post(answer),
        ),
    ]
}

/// Een regioplan met zijn rondes, de reactietermijn van de laatste ronde en de controle.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegioplanDetail {
    /// Het plan zoals de regio-organisatie het nu heeft (status, inhoud, plandocument).
    #[schema(value_type = Object)]
    pub plan: Plan,
    /// Elke indiening met de reactie, oudste eerst.
    #[schema(value_type = Vec<Object>)]
    pub rounds: Vec<Round>,
    /// Dagen tot de reactietermijn van de openstaande ronde (negatief: te laat); leeg als er
    /// geen ronde op een reactie wacht.
    pub days_left: Option<i64>,
    /// De controle: ontbrekende onderwerpen en disciplines, de eisen aan het informatiesysteem,
    /// de begroting per jaar naast het maximum van de regio, en de stappen van de engine.
    #[schema(value_type = Object)]
    pub check: Check,
}

/// De reactie op een ronde: per onderdeel (`mission`, `oi_levels`, ..., `network`,
/// `information-system`, `budget`) goedgekeurd of niet, met feedback.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegioplanAnswerRequest {
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, PartAnswer>,
}

fn detail_of(
    s: &AppState,
    actor: &accounts::Actor,
    id: i64,
) -> Result<RegioplanDetail, zorginkoop_app::AppError> {
    let plan = regional_plan::get(&s.db, actor, id)?;
    let today = s.today_for(plan.organisation_id);
    let org = accounts::organisation(&s.db, actor, plan.organisation_id)?;
    let policy = zorginkoop_app::policies::find(&s.policies, &plan.policy_id)?;
    let rounds = regional_plan::rounds(&s.db, actor, id)?;
    let content = rounds.last().map_or(&plan.content, |r| &r.content);
    let check = regional_plan::check(policy, &org, content, !rounds.is_empty(), today)?;
    Ok(RegioplanDetail {
        days_left: rounds.last().and_then(|r| r.days_left(today)),
        plan,
        rounds,
        check,
    })
}

#[utoipa::path(get, path = "/api/v1/regioplannen", tag = "regioplan", summary = LIST,
    operation_id = "regioplannen_lijst",
    responses((status = 200, body = Vec<Object>, description = "de plannen met hun laatste ronde"),
        (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    let list = run(&state, move |s| {
        let actor = &user.actor;
        if actor.role.is_insurer() {
            regional_plan::queue(&s.db, actor)
        } else {
            Ok(
                regional_plan::of_organisation(&s.db, actor, actor.organisation_id)?
                    .map(|plan| {
                        let latest = regional_plan::rounds(&s.db, actor, plan.id)?.pop();
                        Ok::<_, zorginkoop_app::AppError>(regional_plan::Summary { plan, latest })
                    })
                    .transpose()?
                    .into_iter()
                    .collect(),
            )
        }
    })
    .await?;
    ok(&list)
}

#[utoipa::path(get, path = "/api/v1/regioplannen/{id}", tag = "regioplan", summary = DETAIL,
    operation_id = "regioplan_detail",
    params(("id" = i64, Path, description = "het regioplan")),
    responses((status = 200, body = RegioplanDetail), (status = 401, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "regioplan")?;
    let d = run(&state, move |s| detail_of(s, &user.actor, id)).await?;
    ok(&d)
}

#[utoipa::path(put, path = "/api/v1/regioplannen/{id}", tag = "regioplan", summary = SAVE,
    operation_id = "regioplan_opslaan",
    params(("id" = i64, Path, description = "het regioplan")),
    request_body(content = Object, description = "de inhoud: topics, network, information_system, budget, registered_insured"),
    responses((status = 200, body = RegioplanDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen de regio-organisatie zelf", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "het plan is ingediend of goedgekeurd", body = ApiError),
        (status = 422, description = "een veld klopt niet (het veld staat in de melding)", body = ApiError)))]
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<Content>,
) -> ApiResult {
    let id = parse_id(&id, "regioplan")?;
    let actor = req.user.actor;
    let now = state.now_for(actor.organisation_id);
    let content = req.body;
    let d = run(&state, move |s| {
        regional_plan::save(&s.db, &s.policies, &actor, id, &content, now)?;
        detail_of(s, &actor, id)
    })
    .await?;
    ok(&d)
}

#[utoipa::path(post, path = "/api/v1/regioplannen/{id}/indienen", tag = "regioplan", summary = SUBMIT,
    operation_id = "regioplan_indienen",
    params(("id" = i64, Path, description = "het regioplan")),
    responses((status = 200, body = RegioplanDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen de regio-organisatie zelf", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "het plan is al ingediend of goedgekeurd", body = ApiError),
        (status = 422, description = "het plan is leeg", body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Changing(user): Changing,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "regioplan")?;
    let actor = user.actor;
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let d = run(&state, move |s| {
        regional_plan::submit(&s.db, &s.policies, &actor, id, today, now)?;
        detail_of(s, &actor, id)
    })
    .await?;
    ok(&d)
}

#[utoipa::path(post, path = "/api/v1/regioplannen/{id}/reactie", tag = "regioplan", summary = ANSWER,
    operation_id = "regioplan_reactie",
    params(("id" = i64, Path, description = "het regioplan")),
    request_body = RegioplanAnswerRequest,
    responses((status = 200, body = RegioplanDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen een zorginkoper", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "er wacht geen ronde op een reactie", body = ApiError),
        (status = 422, description = "een onderdeel zonder oordeel of feedback", body = ApiError)))]
pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<RegioplanAnswerRequest>,
) -> ApiResult {
    let id = parse_id(&id, "regioplan")?;
    let actor = req.user.actor;
    let answers = req.body.answers;
    let d = run(&state, move |s| {
        let plan = regional_plan::get(&s.db, &actor, id)?;
        let (today, now) = (
            s.today_for(plan.organisation_id),
            s.now_for(plan.organisation_id),
        );
        regional_plan::answer(&s.db, &s.policies, &actor, id, &answers, today, now)?;
        detail_of(s, &actor, id)
    })
    .await?;
    ok(&d)
}
