//! The JSON API under `/api/v1`, with the same authorisation as the pages, and its OpenAPI
//! document at `/api/openapi.json` (generated from the code) rendered at `/api`.
//!
//! Like the pages, every handler is a call into `zorginkoop-app`: the use cases decide who may
//! see and do what. Authentication is a bearer token (`Authorization: Bearer <token>`, made on
//! `/account/tokens`) or the browser's session cookie; with the cookie, a request that is not a
//! GET must carry the session's CSRF token in the `X-CSRF-Token` header ([`Changing`],
//! [`ApiJson`]). Errors are JSON `{"fout": "...", "status": 404}` with the status that says what
//! kind of problem it is. Request bodies are at most [`MAX_JSON_BYTES`].
//!
//! | module | what |
//! |---|---|
//! | [`account`] | who am I, the audit log, the policies |
//! | [`decide`] | decide a case and run a calculator, in the style of OpenFisca's `/calculate` |
//! | [`applications`] | applications: list, start, answers, submit, review, messages |
//! | [`proposals`] | proposals, the signer's answer, contracts |
//! | [`settlements`] | settlement statements and their mirror information (read only) |
//! | [`docs`] | the OpenAPI document and the rendered API page |
//! | [`schema`] | the request and response types as the OpenAPI document describes them |

pub mod account;
pub mod applications;
pub mod decide;
pub mod docs;
pub mod proposals;
pub mod schema;
pub mod settlements;

use crate::auth::{CurrentUser, same_token};
use crate::error::PortalError;
use crate::route::Route;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use zorginkoop_app::AppError;

/// The largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

/// The header that carries the session's CSRF token on API calls made with the session cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Every API route (the documentation routes included).
pub fn routes() -> Vec<Route> {
    let mut r = docs::routes();
    r.extend(account::routes());
    r.extend(decide::routes());
    r.extend(applications::routes());
    r.extend(proposals::routes());
    r.extend(settlements::routes());
    r
}

/// A handler's result: JSON, or a JSON error.
pub type ApiResult = Result<Response, PortalError>;

/// A JSON answer with a status.
pub fn reply<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A JSON answer `200 OK`.
pub fn ok<T: Serialize>(body: &T) -> ApiResult {
    Ok(reply(StatusCode::OK, body))
}

/// A JSON answer `200 OK` of about `bytes` bytes (written into a buffer of that size from the
/// start).
pub fn ok_sized<T: Serialize>(body: &T, bytes: usize) -> ApiResult {
    let mut buf = Vec::with_capacity(bytes);
    serde_json::to_writer(&mut buf, body).map_err(|e| {
        PortalError::api(AppError::BadRecord(format!(
            "het antwoord kan niet als JSON: {e}"
        )))
    })?;
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        buf,
    )
        .into_response())
}

/// A JSON error that is no use case's error (body too large, wrong content type), in the same
/// shape as [`PortalError`]'s.
pub fn error_reply(status: StatusCode, message: &str) -> Response {
    reply(
        status,
        &serde_json::json!({"fout": message, "status": status.as_u16()}),
    )
}

/// Runs a use case off the async threads; its error becomes a JSON error.
pub async fn run<T, F>(state: &AppState, f: F) -> Result<T, PortalError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
{
    state.run(f).await.map_err(PortalError::api)
}

/// A numeric id from the path; anything else is "not found" (as JSON).
pub fn parse_id(raw: &str, what: &str) -> Result<i64, PortalError> {
    raw.parse::<i64>()
        .map_err(|_| PortalError::api(AppError::NotFound(format!("{what} {raw}"))))
}

/// The query parameters, or a JSON error naming what does not fit.
pub fn query<T>(
    q: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, PortalError> {
    q.map(|q| q.0).map_err(|e| {
        PortalError::api(AppError::Invalid {
            field: "queryparameters".into(),
            problem: e.body_text(),
        })
    })
}

/// Refuses a request made with the session cookie without the session's CSRF token in the
/// `X-CSRF-Token` header (a bearer token needs none: a browser does not send it by itself).
fn check_csrf(user: &CurrentUser, headers: &HeaderMap) -> Result<(), PortalError> {
    if user.via_token {
        return Ok(());
    }
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if same_token(sent, &user.csrf) {
        Ok(())
    } else {
        Err(PortalError::api(AppError::Forbidden(
            "met de sessiecookie moet het CSRF-token van de sessie mee in de header X-CSRF-Token (of gebruik een API-token)".into(),
        )))
    }
}

async fn api_user(parts: &mut Parts, state: &AppState) -> Result<CurrentUser, Response> {
    CurrentUser::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)
}

/// The user of an API call that changes something (or is not a GET), its CSRF token checked
/// when it comes with the session cookie.
#[derive(Debug, Clone)]
pub struct Changing(pub CurrentUser);

impl FromRequestParts<AppState> for Changing {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = api_user(parts, state).await?;
        check_csrf(&user, &parts.headers).map_err(IntoResponse::into_response)?;
        Ok(Changing(user))
    }
}

/// A JSON request body of at most [`MAX_JSON_BYTES`] from a logged-in user, its CSRF token
/// checked when it comes with the session cookie. `raw` is the body as sent (answers in the
/// style of OpenFisca give the situation back).
#[derive(Debug)]
pub struct ApiJson<T> {
    pub user: CurrentUser,
    pub body: T,
    pub raw: serde_json::Value,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = api_user(&mut parts, state).await?;
        check_csrf(&user, &parts.headers).map_err(IntoResponse::into_response)?;
        if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or("");
            if !ct.starts_with("application/json") {
                return Err(error_reply(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "stuur JSON met Content-Type: application/json",
                ));
            }
        }
        let bytes = axum::body::to_bytes(body, MAX_JSON_BYTES)
            .await
            .map_err(|_| {
                error_reply(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &format!(
                        "het verzoek is te groot (hoogstens {} kB)",
                        MAX_JSON_BYTES / 1024
                    ),
                )
            })?;
        let invalid = |problem: String| {
            PortalError::api(AppError::Invalid {
                field: "JSON".into(),
                problem,
            })
            .into_response()
        };
        let raw: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| invalid(format!("ongeldige JSON: {e}")))?;
        let body = T::deserialize(&raw).map_err(|e| invalid(e.to_string()))?;
        Ok(ApiJson { user, body, raw })
    }
}
