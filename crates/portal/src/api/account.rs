//! Who am I, the policies, and the audit log (the insurer's staff see all of it, a care
//! provider its own organisation's).

use super::schema::{ApiError, AuditEntryView, AuditFilter, Me, OrganisationRef, PolicyInfo};
use super::{ApiResult, ok, query, run};
use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Query, State, rejection::QueryRejection};
use axum::routing::get;
use zorginkoop_app::{audit, policies};

pub const ME: &str = "wie ben ik: naam, rol en organisatie";
pub const POLICIES: &str = "de beleidsdocumenten met versie en SHA-256";
pub const AUDIT: &str = "het auditlog, nieuwste eerst (de zorgverzekeraar alles, een zorgaanbieder de eigen organisatie)";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/api/v1/me", Access::User, ME, get(me)),
        Route::new(
            "GET",
            "/api/v1/policies",
            Access::User,
            POLICIES,
            get(list_policies),
        ),
        Route::new("GET", "/api/v1/audit", Access::User, AUDIT, get(audit_log)),
    ]
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account", summary = ME,
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(user: CurrentUser) -> ApiResult {
    let a = &user.actor;
    ok(&Me {
        user_id: a.user_id,
        name: a.name.clone(),
        email: a.email.clone(),
        role: a.role.as_str().into(),
        role_label: a.role.label().into(),
        organisation: OrganisationRef {
            id: a.organisation_id,
            name: a.organisation_name.clone(),
            kind: a.organisation_kind.clone(),
        },
        via_token: user.via_token,
    })
}

#[utoipa::path(get, path = "/api/v1/policies", tag = "beleid", summary = POLICIES,
    responses((status = 200, body = Vec<PolicyInfo>), (status = 401, body = ApiError)))]
pub async fn list_policies(State(state): State<AppState>, _user: CurrentUser) -> ApiResult {
    let list: Vec<PolicyInfo> = policies::list(&state.policies)
        .into_iter()
        .map(|p| PolicyInfo {
            id: p.id,
            title: p.title,
            version: p.version,
            domain: p.domain,
            period_start: p.period_start,
            period_end: p.period_end,
            document: p.document,
            modules: p.modules,
            sha256: p.sha256,
        })
        .collect();
    ok(&list)
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "account", summary = AUDIT,
    params(AuditFilter),
    responses((status = 200, body = Vec<AuditEntryView>), (status = 401, body = ApiError)))]
pub async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<AuditFilter>, QueryRejection>,
) -> ApiResult {
    let limit = query(q)?.limit.unwrap_or(100).clamp(1, 1000);
    let entries = run(&state, move |s| audit::list(&s.db, &user.actor, limit)).await?;
    ok(&entries
        .into_iter()
        .map(AuditEntryView::from)
        .collect::<Vec<_>>())
}
