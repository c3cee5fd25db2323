//! The portal's pages, by audience: logging in ([`login`]), what every user shares
//! ([`common`]: static files, the policy passages; [`attachments`]: files in a thread), the care provider's side ([`provider`]) and
//! the insurer's side ([`purchaser`]), and the settlement statements both see ([`settlement`]).

pub mod attachments;
pub mod common;
pub mod login;
pub mod provider;
pub mod purchaser;
pub mod settlement;

use crate::error::PortalError;
use crate::route::Route;
use axum::response::Response;
use zorginkoop_app::AppError;

/// Every page route.
pub fn routes() -> Vec<Route> {
    let mut r = login::routes();
    r.extend(common::routes());
    r.extend(attachments::routes());
    r.extend(provider::routes());
    r.extend(purchaser::routes());
    r.extend(settlement::routes());
    r
}

/// The page for an address that does not exist (JSON under `/api/`).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return PortalError::api(AppError::NotFound("dit adres van de API".into())).into_response();
    }
    PortalError::page(AppError::NotFound("deze pagina".into())).into_response()
}
