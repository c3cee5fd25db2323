//! Every route of the portal in one list, with who may use it. The router is built from this
//! list, and the tenant-isolation test walks it: a route that is not in the list does not exist,
//! so no route can escape the test.

pub use crate::route::{Access, Route, RouteInfo};
use crate::state::AppState;
use axum::Router;

fn all_routes() -> Vec<Route> {
    let mut routes = crate::pages::routes();
    routes.extend(crate::processes::routes());
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
