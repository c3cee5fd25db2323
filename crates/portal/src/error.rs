//! How a use case's error reaches the user: a Dutch page (or JSON under `/api`) with the HTTP
//! status that says what kind of problem it is.

use crate::html;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use zorginkoop_app::AppError;

/// An error on its way out: for a page, or for the API.
#[derive(Debug)]
pub struct PortalError {
    pub error: AppError,
    pub json: bool,
}

impl PortalError {
    pub fn page(error: AppError) -> PortalError {
        PortalError { error, json: false }
    }

    pub fn api(error: AppError) -> PortalError {
        PortalError { error, json: true }
    }
}

impl From<AppError> for PortalError {
    fn from(error: AppError) -> PortalError {
        PortalError::page(error)
    }
}

/// The HTTP status for an error.
pub fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound(_) | AppError::UnknownPolicy { .. } => StatusCode::NOT_FOUND,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Invalid { .. }
        | AppError::CaseRefused { .. }
        | AppError::BadCase { .. }
        | AppError::BadDocument { .. }
        | AppError::Calc { .. }
        | AppError::Decide { .. }
        | AppError::NoPolicy { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::LoginFailed => StatusCode::UNAUTHORIZED,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The Dutch title of an error page.
fn title(code: StatusCode) -> &'static str {
    match code {
        StatusCode::NOT_FOUND => "Niet gevonden",
        StatusCode::FORBIDDEN => "Niet toegestaan",
        StatusCode::CONFLICT => "Dit kan nu niet",
        StatusCode::UNPROCESSABLE_ENTITY => "Controleer de invoer",
        StatusCode::UNAUTHORIZED => "Inloggen mislukt",
        StatusCode::TOO_MANY_REQUESTS => "Even geduld",
        _ => "Er ging iets mis",
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let code = status(&self.error);
        let message = if code == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("fout: {}", self.error);
            "Er ging iets mis aan onze kant. Probeer het later opnieuw; blijft het misgaan, neem dan contact op met de zorgverzekeraar.".to_string()
        } else {
            self.error.to_string()
        };
        if self.json {
            return (
                code,
                axum::Json(serde_json::json!({"fout": message, "status": code.as_u16()})),
            )
                .into_response();
        }
        (code, html::error_page(title(code), &message)).into_response()
    }
}

pub type PageResult<T> = Result<T, PortalError>;
