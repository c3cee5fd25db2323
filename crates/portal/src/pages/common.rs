//! What every visitor shares: the stylesheet and the vendored htmx, and the policy documents'
//! passages that every decision links to (the document text with the quoted passage marked).

use crate::auth::{CurrentUser, Posted};
use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/static/portal.css",
            Access::Public,
            "stijlblad",
            get(css),
        ),
        Route::new(
            "GET",
            "/static/htmx.min.js",
            Access::Public,
            "htmx (meegeleverd)",
            get(htmx),
        ),
        Route::new(
            "GET",
            "/account",
            Access::User,
            "mijn account: naam, rol, organisatie",
            get(account),
        ),
        Route::new(
            "GET",
            "/bron/{document}",
            Access::User,
            "de tekst van een beleidsdocument met de geciteerde passage gemarkeerd",
            get(passage),
        ),
        Route::new(
            "GET",
            "/account/tokens",
            Access::User,
            "mijn API-tokens: maken en intrekken",
            get(tokens),
        ),
        Route::new(
            "POST",
            "/account/tokens",
            Access::User,
            "een API-token maken (het wordt één keer getoond)",
            post(create_token),
        ),
        Route::new(
            "POST",
            "/account/tokens/{id}/intrekken",
            Access::User,
            "een eigen API-token intrekken",
            post(revoke_token),
        ),
    ]
}

const CACHE: &str = "public, max-age=3600";

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        include_str!("../../static/portal.css"),
    )
        .into_response()
}

async fn htmx() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        include_str!("../../static/htmx.min.js"),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct Quote {
    #[serde(default)]
    citaat: Option<String>,
}

/// Where `quote` occurs in `text`, ignoring differences in whitespace: the byte range in `text`.
pub fn find_passage(text: &str, quote: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = quote.split_whitespace().collect();
    let first = *words.first()?;
    let mut from = 0;
    while let Some(pos) = text[from..].find(first) {
        let start = from + pos;
        let mut at = start;
        let mut ok = true;
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                let rest = &text[at..];
                let trimmed = rest.trim_start();
                if trimmed.len() == rest.len() {
                    ok = false;
                    break;
                }
                at += rest.len() - trimmed.len();
            }
            if text[at..].starts_with(w) {
                at += w.len();
            } else {
                ok = false;
                break;
            }
        }
        if ok {
            return Some((start, at));
        }
        from = start + first.len();
    }
    None
}

async fn passage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(document): Path<String>,
    Query(q): Query<Quote>,
) -> Result<Response, crate::error::PortalError> {
    let text = state
        .policies
        .texts
        .get(&document)
        .ok_or_else(|| AppError::NotFound(format!("document {document}")))?;
    let title = zorginkoop_app::policies::document_title(&state.policies, &document);
    let found = q.citaat.as_deref().and_then(|c| find_passage(text, c));
    let body = html! {
        @if q.citaat.is_some() && found.is_none() {
            p.error role="alert" { "De geciteerde passage staat niet letterlijk in dit document." }
        }
        p { "Brondocument " code { (document) } "." }
        pre.document {
            @match found {
                Some((a, b)) => {
                    (&text[..a]) mark id="passage" tabindex="-1" { (&text[a..b]) } (&text[b..])
                }
                None => { (text) }
            }
        }
    };
    Ok(html::page(&state, Some(&user), &title, body).into_response())
}

async fn account(State(state): State<AppState>, user: CurrentUser) -> Response {
    let a = &user.actor;
    let body = html! {
        dl.kv {
            dt { "Naam" } dd { (a.name) }
            dt { "E-mailadres" } dd { (a.email) }
            dt { "Rol" } dd { (a.role.label()) }
            dt { "Organisatie" } dd { (a.organisation_name) }
        }
        p { a href="/account/tokens" { "API-tokens beheren" } " · " a href="/api" { "Over de API" } }
    };
    html::page(&state, Some(&user), "Mijn account", body).into_response()
}

/// The longest label of an API token.
const MAX_TOKEN_LABEL: usize = 100;

fn tokens_page(
    state: &AppState,
    user: &CurrentUser,
    new_token: Option<(&str, &str)>,
    list: Vec<accounts::ApiToken>,
) -> Response {
    let body = html! {
        @if let Some((label, token)) = new_token {
            section.notice role="status" aria-live="polite" {
                h2 { "Nieuw token: " (label) }
                p { "Kopieer het token nu: het wordt maar één keer getoond." }
                p { label for="nieuw-token" { "Token" } }
                p { input id="nieuw-token" type="text" readonly value=(token) size="60"; }
            }
        }
        p { "Met een API-token gebruikt een programma de " a href="/api" { "API" } " met uw rechten: stuur het mee als "
            code { "Authorization: Bearer <token>" } ". Trek een token in als u het niet meer gebruikt of als het is uitgelekt." }
        h2 { "Token maken" }
        form method="post" action="/account/tokens" {
            (html::csrf_field(user))
            p {
                label for="label" { "Naam van het token" }
                input id="label" name="label" type="text" required maxlength=(MAX_TOKEN_LABEL) placeholder="bijvoorbeeld: boekhouding";
            }
            p { button type="submit" { "Token maken" } }
        }
        h2 { "Mijn tokens" }
        @if list.is_empty() {
            p { "U heeft nog geen API-tokens." }
        } @else {
            table {
                thead { tr { th scope="col" { "Naam" } th scope="col" { "Gemaakt" } th scope="col" { "Status" } th scope="col" { "Actie" } } }
                tbody {
                    @for t in &list {
                        tr {
                            th scope="row" { (t.label) }
                            td { (html::timestamp_nl(&t.created_at)) }
                            td { @match &t.revoked_at { Some(r) => { "ingetrokken op " (html::timestamp_nl(r)) }, None => "actief" } }
                            td {
                                @if t.revoked_at.is_none() {
                                    form method="post" action={"/account/tokens/" (t.id) "/intrekken"} {
                                        (html::csrf_field(user))
                                        button type="submit" aria-label={"Token " (t.label) " intrekken"} { "Intrekken" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    html::page(state, Some(user), "API-tokens", body).into_response()
}

async fn tokens(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, crate::error::PortalError> {
    let actor = user.actor.clone();
    let list = state
        .run(move |s| accounts::api_tokens(&s.db, &actor))
        .await?;
    Ok(tokens_page(&state, &user, None, list))
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

async fn create_token(
    State(state): State<AppState>,
    posted: Posted<TokenForm>,
) -> Result<Response, crate::error::PortalError> {
    let user = posted.user;
    let label = posted.form.label.trim().to_string();
    if label.is_empty() || label.chars().count() > MAX_TOKEN_LABEL {
        return Err(AppError::Invalid {
            field: "naam van het token".into(),
            problem: format!("vul een naam in van hoogstens {MAX_TOKEN_LABEL} tekens"),
        }
        .into());
    }
    let (actor, now) = (user.actor.clone(), state.now());
    let l = label.clone();
    let (token, list) = state
        .run(move |s| {
            let token = accounts::create_api_token(&s.db, &actor, &l, now)?;
            Ok((token, accounts::api_tokens(&s.db, &actor)?))
        })
        .await?;
    Ok(tokens_page(&state, &user, Some((&label, &token)), list))
}

async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<crate::pages::login::Empty>,
) -> Result<Response, crate::error::PortalError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("API-token {id}")))?;
    let (actor, now) = (posted.user.actor, state.now());
    state
        .run(move |s| accounts::revoke_api_token(&s.db, &actor, id, now))
        .await?;
    Ok(Redirect::to("/account/tokens").into_response())
}

#[cfg(test)]
mod tests {
    use super::find_passage;

    #[test]
    fn a_passage_is_found_whatever_the_whitespace() {
        let text = "Eerste zin.\nAlle in Nederland\n  geregistreerde huisartsen kunnen meedoen.";
        let (a, b) = find_passage(text, "in Nederland geregistreerde huisartsen").unwrap();
        assert_eq!(&text[a..b], "in Nederland\n  geregistreerde huisartsen");
        assert!(find_passage(text, "niet aanwezig").is_none());
    }
}
