//! Applications over the API: a care provider lists its own, starts one, saves answers and
//! submits; the insurer's staff list all (or the queue) and a purchaser reviews. Every call is
//! the `applications` use case the pages use; it decides who may see and do what.

use super::schema::{
    Answers, ApiError, ApplicationDetail, ApplicationFilter, ApplicationSummary, AttachmentName,
    AttachmentView, Created, MessageView, NewMessage, ReviewAction, ReviewRequest,
    StartApplication,
};
use super::{ApiJson, ApiResult, Changing, ok, parse_id, query, reply, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, Query, State, rejection::QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use chrono::NaiveDate;
use zorginkoop_app::accounts::{self, Actor};
use zorginkoop_app::applications::{self, Application, Review};
use zorginkoop_app::{AppError, attachments, policies};

pub const LIST: &str =
    "aanvragen: een zorgaanbieder de eigen, de zorgverzekeraar alle (of de werkvoorraad)";
pub const START: &str =
    "een aanvraag starten voor een module uit de catalogus (of de open aanvraag)";
pub const GET: &str = "een aanvraag: antwoorden, beslissing, live beslissing en berichten";
pub const FACTS: &str = "antwoorden opslaan (null wist een antwoord)";
pub const SUBMIT: &str = "een aanvraag indienen: de indiendatum bepaalt de vroegste startdatum";
pub const REVIEW: &str = "een aanvraag beoordelen (zorginkoper): in behandeling nemen, toekennen, informatie vragen of afwijzen";
pub const MESSAGE: &str = "een bericht plaatsen bij een aanvraag";
pub const ATTACH: &str = "een bijlage toevoegen aan een aanvraag (PDF, PNG, JPEG of platte tekst, hoogstens 4 MiB; de body is het bestand)";
pub const ATTACHMENT: &str = "een bijlage downloaden";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/api/v1/applications", Access::User, LIST, get(list)),
        Route::new(
            "POST",
            "/api/v1/applications",
            Access::Provider,
            START,
            post(start),
        ),
        Route::new(
            "GET",
            "/api/v1/applications/{id}",
            Access::User,
            GET,
            get(detail),
        ),
        Route::new(
            "PUT",
            "/api/v1/applications/{id}/facts",
            Access::Provider,
            FACTS,
            put(save_facts),
        ),
        Route::new(
            "POST",
            "/api/v1/applications/{id}/submit",
            Access::Provider,
            SUBMIT,
            post(submit),
        ),
        Route::new(
            "POST",
            "/api/v1/applications/{id}/review",
            Access::Insurer,
            REVIEW,
            post(review),
        ),
        Route::new(
            "POST",
            "/api/v1/applications/{id}/messages",
            Access::User,
            MESSAGE,
            post(message),
        ),
        Route::new(
            "POST",
            "/api/v1/applications/{id}/attachments",
            Access::User,
            ATTACH,
            post(attach),
        ),
        Route::new(
            "GET",
            "/api/v1/attachments/{id}",
            Access::User,
            ATTACHMENT,
            get(attachment),
        ),
    ]
}

/// An application with its live decision (while its answers can change) and its thread.
fn detail_of(
    s: &AppState,
    actor: &Actor,
    app: Application,
    today: NaiveDate,
) -> Result<ApplicationDetail, AppError> {
    let live = if app.state.editable() {
        let policy = policies::find(&s.policies, &app.policy_id)?;
        let org = accounts::organisation(&s.db, actor, app.organisation_id)?;
        let d = applications::decide_module(&s.db, policy, &org, &app.module, &app.facts, today)?;
        Some(serde_json::to_value(&d).expect("a decision serialises"))
    } else {
        None
    };
    let messages = applications::messages(&s.db, actor, app.id)?
        .into_iter()
        .map(MessageView::from)
        .collect();
    let attachments = attachments::list(&s.db, actor, app.id)?
        .into_iter()
        .map(AttachmentView::from)
        .collect();
    Ok(ApplicationDetail {
        summary: ApplicationSummary::from(&app),
        facts: app.facts.clone(),
        reason: app.reason.clone(),
        created_at: app.created_at.clone(),
        decision: app
            .decision
            .as_ref()
            .map(|d| serde_json::to_value(d).expect("a decision serialises")),
        live_decision: live,
        messages,
        attachments,
    })
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "aanvragen", summary = LIST,
    params(ApplicationFilter),
    responses((status = 200, body = Vec<ApplicationSummary>),
        (status = 401, body = ApiError),
        (status = 404, description = "een organisatie die u niet mag zien", body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<ApplicationFilter>, QueryRejection>,
) -> ApiResult {
    let f = query(q)?;
    let wanted = f
        .state
        .as_deref()
        .map(|s| {
            applications::State::parse(s).ok_or_else(|| AppError::Invalid {
                field: "state".into(),
                problem: format!("{s:?} is geen status van een aanvraag"),
            })
        })
        .transpose()
        .map_err(crate::error::PortalError::api)?;
    let apps = run(&state, move |s| {
        let actor = &user.actor;
        let mut apps = if f.queue == Some(true) {
            applications::queue(&s.db, actor)?
        } else if let Some(org) = f.organisation {
            applications::list_for(&s.db, actor, org)?
        } else if actor.role.is_insurer() {
            let mut all = Vec::new();
            for org in accounts::organisations(&s.db, actor)? {
                all.extend(applications::list_for(&s.db, actor, org.id)?);
            }
            all.sort_by_key(|a| std::cmp::Reverse(a.id));
            all
        } else {
            applications::list_for(&s.db, actor, actor.organisation_id)?
        };
        if let Some(w) = wanted {
            apps.retain(|a| a.state == w);
        }
        Ok(apps)
    })
    .await?;
    ok(&apps
        .iter()
        .map(ApplicationSummary::from)
        .collect::<Vec<_>>())
}

#[utoipa::path(post, path = "/api/v1/applications", tag = "aanvragen", summary = START,
    request_body = StartApplication,
    responses((status = 201, body = ApplicationDetail),
        (status = 401, body = ApiError),
        (status = 403, description = "alleen een zorgaanbieder", body = ApiError),
        (status = 404, description = "geen module van de catalogus", body = ApiError)))]
pub async fn start(State(state): State<AppState>, req: ApiJson<StartApplication>) -> ApiResult {
    let actor = req.user.actor;
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let StartApplication { policy, module } = req.body;
    let detail = run(&state, move |s| {
        let id = applications::start(&s.db, &s.policies, &actor, &policy, &module, now)?;
        let app = applications::get(&s.db, &actor, id)?;
        detail_of(s, &actor, app, today)
    })
    .await?;
    let location = format!("/api/v1/applications/{}", detail.summary.id);
    Ok((
        [(header::LOCATION, location)],
        reply(StatusCode::CREATED, &detail),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "aanvragen", summary = GET,
    params(("id" = i64, Path, description = "de aanvraag")),
    responses((status = 200, body = ApplicationDetail),
        (status = 401, body = ApiError),
        (status = 404, description = "bestaat niet of u mag haar niet zien", body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;
    let detail = run(&state, move |s| {
        let app = applications::get(&s.db, &user.actor, id)?;
        let today = s.today_for(app.organisation_id);
        detail_of(s, &user.actor, app, today)
    })
    .await?;
    ok(&detail)
}

#[utoipa::path(put, path = "/api/v1/applications/{id}/facts", tag = "aanvragen", summary = FACTS,
    params(("id" = i64, Path, description = "de aanvraag")),
    request_body(content = Object,
        description = "Antwoorden: feitnaam met waarde (ja/nee, een getal, een tekst); null wist een antwoord; niet genoemde antwoorden blijven staan.",
        example = json!({"gp_big_registered": true, "registered_patients": 2350, "th_goal": null})),
    responses((status = 200, body = ApplicationDetail),
        (status = 401, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "de aanvraag kan niet meer worden gewijzigd", body = ApiError),
        (status = 422, description = "een antwoord past niet bij de vraag", body = ApiError)))]
pub async fn save_facts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<Answers>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;
    let actor = req.user.actor;
    let (today, now) = (
        state.today_for(actor.organisation_id),
        state.now_for(actor.organisation_id),
    );
    let answers = req.body.0;
    let detail = run(&state, move |s| {
        let app = applications::save_facts(&s.db, &s.policies, &actor, id, &answers, now)?;
        detail_of(s, &actor, app, today)
    })
    .await?;
    ok(&detail)
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "aanvragen", summary = SUBMIT,
    params(("id" = i64, Path, description = "de aanvraag")),
    responses((status = 200, body = ApplicationDetail),
        (status = 401, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "de aanvraagperiode is gesloten (met de passage), of er ontbreken antwoorden", body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Changing(user): Changing,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;
    let (today, now) = (
        state.today_for(user.actor.organisation_id),
        state.now_for(user.actor.organisation_id),
    );
    let detail = run(&state, move |s| {
        let app = applications::submit(&s.db, &s.policies, &user.actor, id, today, now)?;
        detail_of(s, &user.actor, app, today)
    })
    .await?;
    ok(&detail)
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/review", tag = "aanvragen", summary = REVIEW,
    params(("id" = i64, Path, description = "de aanvraag")),
    request_body = ReviewRequest,
    responses((status = 200, body = ApplicationDetail),
        (status = 401, body = ApiError),
        (status = 403, description = "alleen een zorginkoper", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "kan niet in deze status", body = ApiError),
        (status = 422, description = "vraag of reden ontbreekt", body = ApiError)))]
pub async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<ReviewRequest>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;

    let actor = req.user.actor;
    let text = req.body.text.unwrap_or_default();
    let step = match req.body.action {
        ReviewAction::Start => Review::Start,
        ReviewAction::Grant => Review::Grant,
        ReviewAction::RequestInformation => Review::RequestInformation(text),
        ReviewAction::Refuse => Review::Refuse(text),
    };
    let detail = run(&state, move |s| {
        let org = applications::get(&s.db, &actor, id)?.organisation_id;
        let (today, now) = (s.today_for(org), s.now_for(org));
        let app = applications::review(&s.db, &actor, id, &step, now)?;
        detail_of(s, &actor, app, today)
    })
    .await?;
    ok(&detail)
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/messages", tag = "aanvragen", summary = MESSAGE,
    params(("id" = i64, Path, description = "de aanvraag")),
    request_body = NewMessage,
    responses((status = 201, body = Created),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 422, description = "leeg bericht", body = ApiError)))]
pub async fn message(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: ApiJson<NewMessage>,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;
    let now = state.now();
    let actor = req.user.actor;
    let body = req.body.body;
    let mid = run(&state, move |s| {
        applications::post_message(&s.db, &actor, id, &body, now)
    })
    .await?;
    Ok(reply(StatusCode::CREATED, &Created { id: mid }))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/attachments", tag = "aanvragen", summary = ATTACH,
    description = "Stuur het bestand zelf als body (elk Content-Type); het soort bestand wordt aan \
        de inhoud bepaald, niet aan de naam.",
    params(("id" = i64, Path, description = "de aanvraag"), AttachmentName),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "het bestand"),
    responses((status = 201, body = AttachmentView),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 413, description = "groter dan 4 MiB", body = ApiError),
        (status = 422, description = "leeg, of geen PDF, PNG, JPEG of platte tekst", body = ApiError)))]
pub async fn attach(
    State(state): State<AppState>,
    Changing(user): Changing,
    Path(id): Path<String>,
    q: Result<Query<AttachmentName>, QueryRejection>,
    body: axum::body::Body,
) -> ApiResult {
    let id = parse_id(&id, "aanvraag")?;
    let name = query(q)?.name.unwrap_or_else(|| "bijlage".into());
    let bytes = axum::body::to_bytes(body, attachments::MAX_BYTES)
        .await
        .map_err(|_| {
            super::error_reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "de bijlage is te groot (hoogstens {} kB)",
                    attachments::MAX_BYTES / 1024
                ),
            )
        });
    let bytes = match bytes {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let now = state.now();
    let a = run(&state, move |s| {
        let aid = attachments::add(&s.db, &user.actor, id, &name, &bytes, now)?;
        Ok(attachments::get(&s.db, &user.actor, aid)?.0)
    })
    .await?;
    Ok(reply(StatusCode::CREATED, &AttachmentView::from(a)))
}

#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "aanvragen", summary = ATTACHMENT,
    params(("id" = i64, Path, description = "de bijlage")),
    responses((status = 200, description = "het bestand, met zijn Content-Type", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, body = ApiError),
        (status = 404, description = "bestaat niet of u mag haar niet zien", body = ApiError)))]
pub async fn attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "bijlage")?;
    let (a, content) = run(&state, move |s| attachments::get(&s.db, &user.actor, id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    a.file_name
                        .chars()
                        .map(|c| if c.is_ascii_graphic() || c == ' ' {
                            c
                        } else {
                            '_'
                        })
                        .collect::<String>()
                ),
            ),
        ],
        content,
    )
        .into_response())
}
