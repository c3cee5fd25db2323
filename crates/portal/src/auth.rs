//! Who is asking: the session cookie (browsers) or a bearer token (machine clients), the CSRF
//! token every form must carry, and the client's address and user agent for the audit log.
//!
//! * The session cookie `zk_sessie` is a random token (HttpOnly, SameSite=Strict, Path=/); the
//!   database keeps only its SHA-256. A session lasts [`SESSION_HOURS`] hours.
//! * Every POST from a page carries the session's CSRF token in the form field `csrf`
//!   ([`Posted`]); the login form, which has no session yet, uses a double-submit cookie.
//! * `/api/v1` accepts `Authorization: Bearer <token>` (no cookie, so no CSRF), or the session
//!   cookie with the CSRF token in the `X-CSRF-Token` header.
//!
//! [`SESSION_HOURS`]: zorginkoop_app::accounts::SESSION_HOURS

use crate::error::PortalError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Actor};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "zk_sessie";
/// The login form's double-submit CSRF cookie.
pub const LOGIN_COOKIE: &str = "zk_login";

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the portal's flags.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Where the request comes from.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

impl ClientInfo {
    pub fn from_parts(parts: &Parts) -> ClientInfo {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "onbekend".into());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(300)
            .collect();
        ClientInfo { ip, user_agent }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo::from_parts(parts))
    }
}

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub actor: Actor,
    /// The session's CSRF token (empty for bearer tokens, which need none).
    pub csrf: String,
    pub client: ClientInfo,
    /// Authenticated by an API token rather than a session cookie.
    pub via_token: bool,
}

/// No (valid) session: a page sends the browser to the login page, the API answers 401.
#[derive(Debug)]
pub enum AuthRejection {
    Login { back_to: String },
    Api,
    Error(PortalError),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login { back_to } => Redirect::to(&format!(
                "/login?terug={}",
                crate::html::url_encode(&back_to)
            ))
            .into_response(),
            AuthRejection::Api => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                axum::Json(serde_json::json!({
                    "fout": "niet ingelogd: stuur een API-token als Authorization: Bearer <token>",
                    "status": 401
                })),
            )
                .into_response(),
            AuthRejection::Error(e) => e.into_response(),
        }
    }
}

fn is_api(parts: &Parts) -> bool {
    parts.uri.path().starts_with("/api/")
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        let api = is_api(parts);
        let client = ClientInfo::from_parts(parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        let session = cookie(&parts.headers, SESSION_COOKIE);
        let reject = |e: AppError| {
            if api {
                AuthRejection::Error(PortalError::api(e))
            } else {
                AuthRejection::Error(PortalError::page(e))
            }
        };
        let ip = client.ip.clone();
        let user = if let Some(token) = bearer.filter(|_| api) {
            state
                .run(move |s| accounts::api_actor(&s.db, &token, Some(&ip)))
                .await
                .map_err(reject)?
                .map(|actor| CurrentUser {
                    actor,
                    csrf: String::new(),
                    client: client.clone(),
                    via_token: true,
                })
        } else if let Some(token) = session {
            let now = chrono::Utc::now();
            state
                .run(move |s| accounts::session(&s.db, &token, Some(&ip), now))
                .await
                .map_err(reject)?
                .map(|(actor, csrf)| CurrentUser {
                    actor,
                    csrf,
                    client: client.clone(),
                    via_token: false,
                })
        } else {
            None
        };
        match user {
            Some(u) => {
                parts.extensions.insert(u.clone());
                Ok(u)
            }
            None if api => Err(AuthRejection::Api),
            None => Err(AuthRejection::Login {
                back_to: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "/".into()),
            }),
        }
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(u) => Ok(Some(u)),
            Err(AuthRejection::Login { .. } | AuthRejection::Api) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A form posted by a logged-in user, with its CSRF token checked. `T` is the form without the
/// `csrf` field (unknown fields are ignored).
#[derive(Debug)]
pub struct Posted<T> {
    pub user: CurrentUser,
    pub form: T,
}

/// The largest form the portal accepts.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                PortalError::page(AppError::Invalid {
                    field: "formulier".into(),
                    problem: format!("te groot (hoogstens {} kB)", MAX_FORM_BYTES / 1024),
                })
                .into_response()
            })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            PortalError::page(AppError::Invalid {
                field: "formulier".into(),
                problem: e.to_string(),
            })
            .into_response()
        })?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .or_else(|| {
                parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
            })
            .unwrap_or("");
        if !user.via_token && !same_token(sent, &user.csrf) {
            return Err(PortalError::page(AppError::Forbidden(
                "het formulier is verlopen of niet van deze site (CSRF-controle); laad de pagina opnieuw en probeer het nog eens".into(),
            ))
            .into_response());
        }
        let form: T = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            PortalError::page(AppError::Invalid {
                field: "formulier".into(),
                problem: e.to_string(),
            })
            .into_response()
        })?;
        Ok(Posted { user, form })
    }
}
