//! # zorginkoop-portal
//!
//! The contracting portal: Dutch, server-rendered pages (maud templates, progressive enhancement
//! with a vendored htmx, usable without JavaScript) and a JSON API under `/api/v1`, for care
//! providers and the insurer's purchasers. It is a front end: every decision, calculation and
//! state change is a call into `zorginkoop-app`; the portal parses requests, checks the session
//! and CSRF token, and presents the result. It never decides by itself.
//!
//! | module | what |
//! |---|---|
//! | [`state`] | the shared state: database, policies, clock |
//! | [`route`] | the route type every page, API and process module builds its routes with |
//! | [`routes`] | every route in one list (the tenant-isolation test walks it) |
//! | [`auth`] | sessions (cookie), CSRF, API tokens, login and logout |
//! | [`security`] | security headers and body limits |
//! | [`html`] | the page layout and shared fragments (decisions, citations, dates, money) |
//! | [`pages`] | the pages, by audience |
//! | [`processes`] | each document's own process (regioplan, ...): its pages and API together |
//! | [`api`] | `/api/v1` and its OpenAPI document |
//! | [`error`] | how an `AppError` becomes a page or a JSON error with the right status |

pub mod api;
pub mod auth;
pub mod error;
pub mod html;
pub mod pages;
pub mod processes;
pub mod route;
pub mod routes;
pub mod security;
pub mod state;

pub use routes::{Access, RouteInfo, route_list, router};
pub use state::{AppState, Clock};

use std::net::SocketAddr;

/// Serves the portal on `addr` until Ctrl-C (or SIGTERM).
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

/// Binds first (so the caller can print the real address, e.g. with port 0), then serves.
pub async fn serve_listener(
    state: AppState,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// How many threads run blocking work (database, engine: [`AppState::run`]) at once; more
/// requests wait for one in order of arrival. As many as the database pool keeps idle
/// connections, so that a burst of requests does not open (and close again) a connection each,
/// and the two cores are not shared by hundreds of threads (the tokio default is 512).
pub const BLOCKING_THREADS: usize = 16;

/// Binds `addr` and serves on a new multi-threaded runtime until Ctrl-C or SIGTERM; `ready` is
/// called with the bound address (the real port when `addr` has port 0) before serving.
pub fn run(
    state: AppState,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            std::io::Error::new(e.kind(), format!("kan niet luisteren op {addr}: {e}"))
        })?;
        ready(listener.local_addr()?);
        serve_listener(state, listener).await
    })
}
