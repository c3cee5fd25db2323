//! What every visitor shares: the stylesheet and the vendored htmx, and the policy documents'
//! passages that every decision links to (the document text with the quoted passage marked).

use crate::auth::CurrentUser;
use crate::html;
use crate::routes::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::html;
use serde::Deserialize;
use zorginkoop_app::AppError;

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
    };
    html::page(&state, Some(&user), "Mijn account", body).into_response()
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
