//! Logging in and out. The login form carries a double-submit CSRF token (a cookie and a hidden
//! field with the same random value), since there is no session yet; failed logins are
//! throttled per address and per IP by the accounts use case.

use crate::auth::{self, ClientInfo, CurrentUser, LOGIN_COOKIE, Posted, SESSION_COOKIE};
use crate::error::PortalError;
use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Client};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/",
            Access::Public,
            "naar het overzicht of het inloggen",
            get(home),
        ),
        Route::new(
            "GET",
            "/login",
            Access::Public,
            "inlogformulier",
            get(login_form),
        ),
        Route::new("POST", "/login", Access::Public, "inloggen", post(login)),
        Route::new("POST", "/logout", Access::User, "uitloggen", post(logout)),
    ]
}

async fn home(user: Option<CurrentUser>) -> Redirect {
    match user {
        Some(u) if u.actor.role.is_insurer() => Redirect::to("/inkoop"),
        Some(_) => Redirect::to("/dashboard"),
        None => Redirect::to("/login"),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    terug: Option<String>,
}

/// Only local paths are followed after login (no open redirect).
fn safe_back(back: Option<&str>) -> &str {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b,
        _ => "/",
    }
}

fn form(state: &AppState, token: &str, back: &str, email: &str, error: Option<&str>) -> Response {
    let body = html! {
        @if let Some(e) = error {
            p.error role="alert" id="login-fout" { (e) }
        }
        form.login method="post" action="/login" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="terug" value=(back);
            p {
                label for="email" { "E-mailadres" }
                input id="email" name="email" type="email" autocomplete="username" required value=(email)
                    aria-describedby=[error.map(|_| "login-fout")];
            }
            p {
                label for="wachtwoord" { "Wachtwoord" }
                input id="wachtwoord" name="wachtwoord" type="password" autocomplete="current-password" required;
            }
            p { button type="submit" { "Inloggen" } }
        }
        p.hint { "Voor zorgaanbieders en zorginkopers. Na vijf mislukte pogingen wacht u een kwartier." }
    };
    let cookie = auth::set_cookie(LOGIN_COOKIE, token, 3600, state.secure_cookies);
    let code = if error.is_some() {
        axum::http::StatusCode::UNAUTHORIZED
    } else {
        axum::http::StatusCode::OK
    };
    (
        code,
        [(header::SET_COOKIE, cookie)],
        html::page(state, None, "Inloggen", body),
    )
        .into_response()
}

async fn login_form(State(state): State<AppState>, Query(back): Query<Back>) -> Response {
    let token = accounts::random_token();
    form(&state, &token, safe_back(back.terug.as_deref()), "", None)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    wachtwoord: String,
    #[serde(default)]
    terug: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let back = safe_back(f.terug.as_deref()).to_string();
    let cookie_token = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let fresh = accounts::random_token();
    if !auth::same_token(&cookie_token, &f.csrf) {
        return form(
            &state,
            &fresh,
            &back,
            &f.email,
            Some("Het formulier is verlopen (CSRF-controle). Probeer het opnieuw."),
        );
    }
    // the throttle and the session run on the real clock; the audit entry on the portal's
    let (now, audit_at) = (chrono::Utc::now(), state.now());
    let (email, password) = (f.email.clone(), f.wachtwoord.clone());
    let result = state
        .run(move |s| {
            accounts::login_at(
                &s.db,
                &email,
                &password,
                &Client {
                    ip: &client.ip,
                    user_agent: &client.user_agent,
                },
                now,
                audit_at,
            )
        })
        .await;
    match result {
        Ok(session) => {
            let target = if back == "/" {
                if session.actor.role.is_insurer() {
                    "/inkoop".to_string()
                } else {
                    "/dashboard".to_string()
                }
            } else {
                back
            };
            let max_age = accounts::SESSION_HOURS * 3600;
            (
                AppendHeaders([
                    (
                        header::SET_COOKIE,
                        auth::set_cookie(
                            SESSION_COOKIE,
                            &session.token,
                            max_age,
                            state.secure_cookies,
                        ),
                    ),
                    (
                        header::SET_COOKIE,
                        auth::set_cookie(LOGIN_COOKIE, "", 0, state.secure_cookies),
                    ),
                ]),
                Redirect::to(&target),
            )
                .into_response()
        }
        Err(e @ (AppError::LoginFailed | AppError::Throttled { .. })) => {
            form(&state, &fresh, &back, &f.email, Some(&e.to_string()))
        }
        Err(e) => PortalError::page(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    posted: Posted<Empty>,
) -> Response {
    let _ = posted.user;
    if let Some(token) = auth::cookie(&headers, SESSION_COOKIE) {
        let _ = state.run(move |s| accounts::logout(&s.db, &token)).await;
    }
    (
        [(
            header::SET_COOKIE,
            auth::set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies),
        )],
        Redirect::to("/login"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_back(Some("/aanvragen/3")), "/aanvragen/3");
        assert_eq!(safe_back(Some("//evil.example/x")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(None), "/");
    }
}
