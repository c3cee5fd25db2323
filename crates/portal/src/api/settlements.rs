//! Settlement statements as JSON: the statements the user may see (the insurer's staff every
//! provider's of the current runs, a provider its own), and one statement with its mirror
//! information. Recorded by `zorginkoop settle ... --db`; the API only reads.

use super::schema::{ApiError, MirrorSeriesView, SettlementDetailView, SettlementView};
use super::{ApiResult, ok, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use zorginkoop_app::settlement;

pub const LIST: &str =
    "afrekeningen: de zorgverzekeraar die van de actuele afrekenruns, een zorgaanbieder de eigen";
pub const DETAIL: &str =
    "een afrekening: elke regel met berekening en bron, en de spiegelinformatie";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/api/v1/settlements", Access::User, LIST, get(list)),
        Route::new(
            "GET",
            "/api/v1/settlements/{id}",
            Access::User,
            DETAIL,
            get(detail),
        ),
    ]
}

#[utoipa::path(get, path = "/api/v1/settlements", tag = "afrekening", summary = LIST,
    responses((status = 200, body = Vec<SettlementView>), (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    let list = run(&state, move |s| {
        settlement::statements(&s.db, &user.actor, None)
    })
    .await?;
    ok(&list
        .into_iter()
        .map(SettlementView::from)
        .collect::<Vec<_>>())
}

#[utoipa::path(get, path = "/api/v1/settlements/{id}", tag = "afrekening", summary = DETAIL,
    params(("id" = i64, Path, description = "het nummer van de afrekening")),
    responses((status = 200, body = SettlementDetailView), (status = 401, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult {
    let (detail, mirror) = run(&state, move |s| {
        Ok((
            settlement::statement(&s.db, &user.actor, id)?,
            settlement::mirror_of_domain(&s.db, &user.actor, id)?,
        ))
    })
    .await?;
    ok(&SettlementDetailView {
        settlement: SettlementView::from(detail.summary),
        statement: detail.statement,
        mirror: mirror.into_iter().map(MirrorSeriesView::from).collect(),
    })
}
