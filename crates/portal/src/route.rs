//! The route type: a path, who may use it, what it is for, and its handler. Every page and API
//! module (and every process) builds its routes with [`Route::new`]; the list of all routes
//! ([`crate::routes`]) imports them, never the other way round.

use crate::state::AppState;
use axum::routing::MethodRouter;

/// Who may use a route (checked by the handler through the use cases; stated here so that tests
/// can check every route against it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (login page, static files, the API description).
    Public,
    /// Any logged-in user; what it shows depends on the organisation.
    User,
    /// A care provider's users (provider user and signer).
    Provider,
    /// The insurer's staff (purchaser, auditor, admin).
    Insurer,
}

/// A route as documented: method, path (axum syntax, `{id}` for parameters), who may use it
/// and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub about: &'static str,
}

/// A route with its handler.
pub struct Route {
    pub info: RouteInfo,
    pub handler: MethodRouter<AppState>,
}

impl Route {
    pub fn new(
        method: &'static str,
        path: &'static str,
        access: Access,
        about: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Route {
        Route {
            info: RouteInfo {
                method,
                path,
                access,
                about,
            },
            handler,
        }
    }
}
