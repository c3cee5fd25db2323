//! Labs and thrombosis as JSON under `/api/v1/labs`: the requests (the insurer's staff every
//! organisation's, a provider its own), one request with its figures, the comparison of the two
//! lab contracts on given figures, and a laboratory's choice. The same use cases and
//! authorisation as the pages.

use crate::api::schema::ApiError;
use crate::api::{ApiJson, ApiResult, ok, parse_id, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use zorginkoop_app::labs::{self, Comparison, Inputs, Request, ThrombosisCeiling};

pub const LIST: &str = "labs en trombose: keuzes, overeenkomsten trombosezorg en verzoeken productie uitbreiden of verplaatsen; de zorgverzekeraar ziet die van iedereen, een zorgaanbieder de eigen";
pub const DETAIL: &str = "een keuze of verzoek met de status, de aanvraag, het voorstel en de cijfers (vergelijking of omzetplafond) met hun bron";
pub const COMPARE: &str =
    "de reguliere en de voorkeursovereenkomst naast elkaar op gegeven cijfers (verandert niets)";
pub const CHOOSE: &str = "een laboratorium kiest een overeenkomst en vraagt die aan, met de cijfers en de antwoorden op de voorwaarden";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/api/v1/labs", Access::User, LIST, get(list)),
        Route::new(
            "GET",
            "/api/v1/labs/{id}",
            Access::User,
            DETAIL,
            get(detail),
        ),
        Route::new(
            "POST",
            "/api/v1/labs/vergelijking",
            Access::User,
            COMPARE,
            post(compare),
        ),
        Route::new(
            "POST",
            "/api/v1/labs/keuze",
            Access::Provider,
            CHOOSE,
            post(choose),
        ),
    ]
}

/// Een keuze of verzoek met de cijfers waarop het rust.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDetail {
    /// Het verzoek: soort, module, aanvraag met de beslissing van de engine, voorstel.
    #[schema(value_type = Object)]
    pub request: Request,
    /// De status als filterwaarde (`submitted`, `granted`, `proposed`, `signed`, ...).
    pub status: String,
    /// Bij een keuze: de vergelijking van beide overeenkomsten.
    #[schema(value_type = Object)]
    pub comparison: Option<Comparison>,
    /// Bij trombosezorg: het omzetplafond met de berekening.
    #[schema(value_type = Object)]
    pub ceiling: Option<ThrombosisCeiling>,
}

/// De keuze van een laboratorium.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChooseRequest {
    /// `lab-regular` of `lab-preferred`.
    pub module: String,
    /// De cijfers; zonder: die uit de afrekening van het laboratorium.
    #[schema(value_type = Object)]
    pub figures: Option<Inputs>,
    /// De antwoorden op de voorwaarden (feit → waarde).
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, serde_json::Value>,
}

fn detail_of(
    s: &AppState,
    actor: &zorginkoop_app::accounts::Actor,
    id: i64,
) -> Result<RequestDetail, zorginkoop_app::AppError> {
    let request = labs::get(&s.db, actor, id)?;
    let policy = zorginkoop_app::policies::find(&s.policies, &request.policy_id)?;
    let comparison = request
        .inputs
        .as_ref()
        .map(|i| labs::compare(policy, i))
        .transpose()?;
    let ceiling = match request.kind {
        labs::Kind::Thrombosis => Some(labs::thrombosis_ceiling(policy, &request.products)?),
        _ => None,
    };
    Ok(RequestDetail {
        status: request.status().to_string(),
        request,
        comparison,
        ceiling,
    })
}

#[utoipa::path(get, path = "/api/v1/labs", tag = "labs", summary = LIST,
    operation_id = "labs_lijst",
    responses((status = 200, body = Vec<Object>, description = "de keuzes en verzoeken, nieuwste eerst"),
        (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    let list = run(&state, move |s| labs::list(&s.db, &user.actor)).await?;
    ok(&list)
}

#[utoipa::path(get, path = "/api/v1/labs/{id}", tag = "labs", summary = DETAIL,
    operation_id = "labs_detail",
    params(("id" = i64, Path, description = "de keuze of het verzoek")),
    responses((status = 200, body = RequestDetail), (status = 401, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "verzoek")?;
    let d = run(&state, move |s| detail_of(s, &user.actor, id)).await?;
    ok(&d)
}

#[utoipa::path(post, path = "/api/v1/labs/vergelijking", tag = "labs", summary = COMPARE,
    operation_id = "labs_vergelijking",
    request_body(content = Object, description = "de cijfers: source, products, production, counts_2018, counts (of ceiling en means)"),
    responses((status = 200, body = Object, description = "de vergelijking met elke berekening en bron"),
        (status = 401, body = ApiError),
        (status = 422, description = "een veld klopt niet (het veld staat in de melding)", body = ApiError)))]
pub async fn compare(State(state): State<AppState>, req: ApiJson<Inputs>) -> ApiResult {
    let inputs = req.body;
    let c = run(&state, move |s| {
        let policy = zorginkoop_app::policies::find(&s.policies, labs::POLICY)?;
        labs::compare(policy, &inputs)
    })
    .await?;
    ok(&c)
}

#[utoipa::path(post, path = "/api/v1/labs/keuze", tag = "labs", summary = CHOOSE,
    operation_id = "labs_keuze",
    request_body = ChooseRequest,
    responses((status = 200, body = RequestDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen een laboratorium", body = ApiError),
        (status = 409, description = "er is al een keuze, of de aanvraagperiode is gesloten", body = ApiError),
        (status = 422, description = "een veld klopt niet (het veld staat in de melding)", body = ApiError)))]
pub async fn choose(State(state): State<AppState>, req: ApiJson<ChooseRequest>) -> ApiResult {
    let actor = req.user.actor;
    let body = req.body;
    let org = actor.organisation_id;
    let (today, now) = (state.today_for(org), state.now_for(org));
    let d = run(&state, move |s| {
        let inputs = match body.figures {
            Some(i) => i,
            None => labs::statement_inputs(&s.db, &actor)?.ok_or_else(|| {
                zorginkoop_app::AppError::Invalid {
                    field: "figures".into(),
                    problem: "er is geen afrekening met uw cijfers; geef de cijfers mee".into(),
                }
            })?,
        };
        let answers = body
            .answers
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        let id = labs::choose(
            &s.db,
            &s.policies,
            &actor,
            &body.module,
            &inputs,
            &answers,
            today,
            now,
        )?;
        detail_of(s, &actor, id)
    })
    .await?;
    ok(&d)
}
