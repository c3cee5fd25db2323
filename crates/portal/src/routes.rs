//! Every route of the portal in one list, with who may use it. The router is built from this
//! list, and the tenant-isolation test walks it: a route that is not in the list does not exist,
//! so no route can escape the test.

use crate::state::AppState;
use axum::Router;
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

fn all_routes() -> Vec<Route> {
    let mut routes = crate::pages::routes();
    routes.extend(crate::api::routes());
    routes
}

/// Every route, as documented.
pub fn route_list() -> Vec<RouteInfo> {
    all_routes().into_iter().map(|r| r.info).collect()
}

/// The portal's router: every route of the list, the security headers and the body limit.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for r in all_routes() {
        router = router.route(r.info.path, r.handler);
    }
    router
        .fallback(crate::pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::auth::MAX_FORM_BYTES,
        ))
        .layer(axum::middleware::from_fn(crate::security::headers))
        .with_state(state)
}
