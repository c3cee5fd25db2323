//! District nursing as JSON under `/api/v1/wijkverpleging/aanvragen`: the applications (the
//! insurer's staff every provider's, a provider its own), one with its processing term and
//! budget proposal, submitting (the provider), the decision (the purchaser) and signing (the
//! signer). The same use cases and authorisation as the pages.

use crate::api::schema::ApiError;
use crate::api::{ApiJson, ApiResult, Changing, ok, parse_id, reply, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zorginkoop_app::nursing::{self, Answers, Application, Budget, Procedure, Review};

pub const LIST: &str = "aanvragen wijkverpleging: de zorgverzekeraar die van alle aanbieders (de eerst vervallende eerst), een aanbieder de eigen";
pub const DETAIL: &str = "een aanvraag wijkverpleging: antwoorden, beoordeling, verwerkingstermijn in werkdagen, (verwacht) voorstel met categorie en basisbudget";
pub const SUBMIT: &str =
    "een aanvraag wijkverpleging indienen (de aanbieder, binnen de aanvraagperiode)";
pub const DECIDE: &str =
    "een aanvraag wijkverpleging toekennen met voorstel of afwijzen (de zorginkoper)";
pub const SIGN: &str = "het voorstel wijkverpleging tekenen (de tekenbevoegde van de aanbieder)";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/api/v1/wijkverpleging/aanvragen",
            Access::User,
            LIST,
            get(list),
        ),
        Route::new(
            "POST",
            "/api/v1/wijkverpleging/aanvragen",
            Access::Provider,
            SUBMIT,
            post(submit),
        ),
        Route::new(
            "GET",
            "/api/v1/wijkverpleging/aanvragen/{id}",
            Access::User,
            DETAIL,
            get(detail),
        ),
        Route::new(
            "POST",
            "/api/v1/wijkverpleging/aanvragen/{id}/besluit",
            Access::Insurer,
            DECIDE,
            post(decide),
        ),
        Route::new(
            "POST",
            "/api/v1/wijkverpleging/aanvragen/{id}/tekenen",
            Access::Provider,
            SIGN,
            post(sign),
        ),
    ]
}

/// Een aanvraag met haar termijn en (verwacht) voorstel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetail {
    /// De aanvraag: procedure, status, antwoorden, beoordeling, data, besluit, voorstel.
    #[schema(value_type = Object)]
    pub application: Application,
    /// Werkdagen tot de uiterste datum (0 op die dag); leeg als er besloten is.
    pub working_days_left: Option<u32>,
    /// Na de uiterste datum en nog niet besloten.
    pub overdue: bool,
    /// Feestdagen binnen de termijn die niet meetellen (datum, naam).
    #[schema(value_type = Vec<Object>)]
    pub holidays_in_term: Vec<(chrono::NaiveDate, String)>,
    /// Het voorstel zoals het bij toekennen nu zou worden (alleen zolang de aanvraag wacht).
    #[schema(value_type = Option<Object>)]
    pub proposal_preview: Option<Budget>,
}

/// Een nieuwe aanvraag.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// `existing`, `new`, `neighbourhood` of `availability`.
    pub procedure: String,
    /// `answers` (vraagsleutel `q.<id>`/`c.<id>`/`f.<module>.<id>` → `ja`/`nee`), `escapes`,
    /// `numbers`, `forms`, `figures`.
    #[schema(value_type = Object)]
    pub answers: Answers,
}

/// Het besluit van de zorginkoper.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideRequest {
    /// `toekennen` of `afwijzen`.
    pub decision: String,
    /// Bij toekennen: de uitsluitingscriteria (`q.x1`, ...) waarvoor de uitzondering geldt.
    #[serde(default)]
    pub escapes_granted: Vec<String>,
    /// Bij afwijzen: de reden.
    #[serde(default)]
    pub reason: String,
}

fn detail_of(
    s: &AppState,
    actor: &zorginkoop_app::accounts::Actor,
    id: i64,
) -> Result<ApplicationDetail, zorginkoop_app::AppError> {
    let app = nursing::get(&s.db, actor, id)?;
    let today = s.today_for(app.organisation_id);
    let preview = match app.state {
        nursing::State::Submitted => {
            nursing::proposal_preview(&s.db, &s.policies, actor, &app).ok()
        }
        _ => None,
    };
    Ok(ApplicationDetail {
        working_days_left: app.working_days_left(today),
        overdue: app.overdue(today),
        holidays_in_term: app
            .holidays_in_term()
            .into_iter()
            .map(|(d, n)| (d, n.to_string()))
            .collect(),
        proposal_preview: preview,
        application: app,
    })
}

#[utoipa::path(get, path = "/api/v1/wijkverpleging/aanvragen", tag = "wijkverpleging", summary = LIST,
    operation_id = "wijkverpleging_aanvragen_lijst",
    responses((status = 200, body = Vec<Object>, description = "de aanvragen"), (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    let list = run(&state, move |s| {
        let actor = &user.actor;
        if actor.role.is_insurer() {
            nursing::queue(&s.db, actor, None)
        } else {
            nursing::list_for(&s.db, actor, actor.organisation_id)
        }
    })
    .await?;
    ok(&list)
}

#[utoipa::path(get, path = "/api/v1/wijkverpleging/aanvragen/{id}", tag = "wijkverpleging", summary = DETAIL,
    operation_id = "wijkverpleging_aanvraag_detail",
    params(("id" = i64, Path, description = "de aanvraag")),
    responses((status = 200, body = ApplicationDetail), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag wijkverpleging")?;
    let d = run(&state, move |s| detail_of(s, &user.actor, id)).await?;
    ok(&d)
}

#[utoipa::path(post, path = "/api/v1/wijkverpleging/aanvragen", tag = "wijkverpleging", summary = SUBMIT,
    operation_id = "wijkverpleging_aanvraag_indienen",
    request_body = SubmitRequest,
    responses((status = 201, body = ApplicationDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen een aanbieder van wijkverpleging", body = ApiError),
        (status = 409, description = "de aanvraagperiode is gesloten, of er is al een aanvraag", body = ApiError),
        (status = 422, description = "een vraag of veld ontbreekt of klopt niet (het veld staat in de melding)", body = ApiError)))]
pub async fn submit(State(state): State<AppState>, req: ApiJson<SubmitRequest>) -> ApiResult {
    let actor = req.user.actor;
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let body = req.body;
    let d = run(&state, move |s| {
        let procedure =
            Procedure::parse(&body.procedure).ok_or_else(|| zorginkoop_app::AppError::Invalid {
                field: "procedure".into(),
                problem: "existing, new, neighbourhood of availability".into(),
            })?;
        let app = nursing::submit(
            &s.db,
            &s.policies,
            &actor,
            procedure,
            body.answers,
            today,
            now,
        )?;
        detail_of(s, &actor, app.id)
    })
    .await?;
    Ok(reply(StatusCode::CREATED, &d))
}

#[utoipa::path(post, path = "/api/v1/wijkverpleging/aanvragen/{id}/besluit", tag = "wijkverpleging", summary = DECIDE,
    operation_id = "wijkverpleging_aanvraag_besluit",
    params(("id" = i64, Path, description = "de aanvraag")),
    request_body = DecideRequest,
    responses((status = 200, body = ApplicationDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen een zorginkoper", body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "de aanvraag is al beoordeeld", body = ApiError),
        (status = 422, description = "een beroep op de uitzondering niet toegekend, of een afwijzing zonder reden", body = ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<DecideRequest>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag wijkverpleging")?;
    let actor = req.user.actor;
    let body = req.body;
    let d = run(&state, move |s| {
        let decision = match body.decision.as_str() {
            "toekennen" => Review::Grant {
                escapes_granted: body.escapes_granted,
            },
            "afwijzen" => Review::Refuse {
                reason: body.reason,
            },
            _ => {
                return Err(zorginkoop_app::AppError::Invalid {
                    field: "decision".into(),
                    problem: "toekennen of afwijzen".into(),
                });
            }
        };
        let app = nursing::get(&s.db, &actor, id)?;
        let (today, now) = (
            s.today_for(app.organisation_id),
            s.now_for(app.organisation_id),
        );
        nursing::review(&s.db, &s.policies, &actor, id, decision, today, now)?;
        detail_of(s, &actor, id)
    })
    .await?;
    ok(&d)
}

#[utoipa::path(post, path = "/api/v1/wijkverpleging/aanvragen/{id}/tekenen", tag = "wijkverpleging", summary = SIGN,
    operation_id = "wijkverpleging_aanvraag_tekenen",
    params(("id" = i64, Path, description = "de aanvraag")),
    responses((status = 200, body = ApplicationDetail), (status = 401, body = ApiError),
        (status = 403, description = "alleen een tekenbevoegde van de aanbieder", body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "er is geen voorstel om te tekenen", body = ApiError)))]
pub async fn sign(
    State(state): State<AppState>,
    Changing(user): Changing,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag wijkverpleging")?;
    let actor = user.actor;
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let d = run(&state, move |s| {
        nursing::sign(&s.db, &actor, id, today, now)?;
        detail_of(s, &actor, id)
    })
    .await?;
    ok(&d)
}
