//! The care provider's side: the dashboard ([`dashboard`]), the catalogue with live decisions
//! ([`catalogue`]), applications with their form, live decision and thread ([`applications`]),
//! proposals and contracts with signing and the PDFs ([`proposals`]), and the what-if
//! calculators ([`calculators`]). How a decision is shown is in [`decision`], how a form becomes
//! typed answers in [`facts_form`], and the PDF documents in [`pdf`].
//!
//! Every page calls the use cases of `zorginkoop-app`, which decide who may see and do what;
//! the pages only choose what to show (a signer gets the signing form, others a note).

pub mod applications;
pub mod calculators;
pub mod catalogue;
pub mod dashboard;
pub mod decision;
pub mod facts_form;
pub mod pdf;
pub mod proposals;

use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use zorginkoop_app::AppError;
use zorginkoop_app::policy::Policy;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/dashboard",
            Access::Provider,
            "overzicht: wat komt eraan (tijdlijnen, aanvraagperiodes met dagen), aanvragen en contracten",
            get(dashboard::page),
        ),
        Route::new(
            "GET",
            "/catalogus",
            Access::Provider,
            "de modules voor de soort organisatie, elk met de actuele beslissing en de passage waarop ze rust",
            get(catalogue::page),
        ),
        Route::new(
            "GET",
            "/catalogus/{beleid}/{module}",
            Access::Provider,
            "een module van de catalogus: de actuele beslissing met de uitleg per stap, elke stap met zijn bron",
            get(catalogue::module),
        ),
        Route::new(
            "GET",
            "/aanvragen",
            Access::Provider,
            "de aanvragen van de organisatie",
            get(applications::list),
        ),
        Route::new(
            "POST",
            "/aanvragen",
            Access::Provider,
            "een aanvraag starten (of de open aanvraag openen)",
            post(applications::start),
        ),
        Route::new(
            "GET",
            "/aanvragen/{id}",
            Access::Provider,
            "een aanvraag: vragen, live beslissing, indienen, berichten",
            get(applications::show),
        ),
        Route::new(
            "POST",
            "/aanvragen/{id}/antwoorden",
            Access::Provider,
            "antwoorden opslaan (htmx: alleen de beslissing terug)",
            post(applications::save),
        ),
        Route::new(
            "POST",
            "/aanvragen/{id}/indienen",
            Access::Provider,
            "een aanvraag indienen",
            post(applications::submit),
        ),
        Route::new(
            "POST",
            "/aanvragen/{id}/berichten",
            Access::Provider,
            "een bericht plaatsen bij een aanvraag",
            post(applications::message),
        ),
        Route::new(
            "GET",
            "/contracten",
            Access::Provider,
            "de voorstellen en contracten van de organisatie",
            get(proposals::list),
        ),
        Route::new(
            "GET",
            "/voorstellen/{id}",
            Access::User,
            "een voorstel: tekst, tarieven, samenvatting, ondertekenen of weigeren",
            get(proposals::show),
        ),
        Route::new(
            "POST",
            "/voorstellen/{id}/ondertekenen",
            Access::Provider,
            "een voorstel ondertekenen (alleen de tekenbevoegde)",
            post(proposals::sign),
        ),
        Route::new(
            "POST",
            "/voorstellen/{id}/weigeren",
            Access::Provider,
            "een voorstel weigeren met reden (alleen de tekenbevoegde)",
            post(proposals::refuse),
        ),
        Route::new(
            "GET",
            "/voorstellen/{id}/samenvatting.pdf",
            Access::User,
            "de samenvatting van de overeenkomst als PDF",
            get(proposals::summary_pdf),
        ),
        Route::new(
            "GET",
            "/voorstellen/{id}/ontvangstbewijs.pdf",
            Access::User,
            "het ontvangstbewijs van de ondertekening als PDF",
            get(proposals::receipt_pdf),
        ),
        Route::new(
            "GET",
            "/rekentools",
            Access::User,
            "de rekentools",
            get(calculators::list),
        ),
        Route::new(
            "GET",
            "/rekentools/{name}",
            Access::User,
            "een rekentool: formulier met de invoervelden",
            get(calculators::form),
        ),
        Route::new(
            "POST",
            "/rekentools/{name}",
            Access::User,
            "een rekentool uitvoeren: uitkomst met ontvangstbewijs",
            post(calculators::run),
        ),
    ]
}

/// Refuses the insurer's staff on pages that show one provider's own work.
pub fn require_provider(user: &CurrentUser) -> Result<(), AppError> {
    if user.actor.role.is_provider() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "deze pagina is voor zorgaanbieders; als zorginkoper gebruikt u de werkvoorraad".into(),
        ))
    }
}

/// Whether a request comes from htmx (it then wants a fragment, not a page).
pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers
        .get("hx-request")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "true")
}

/// A module's name in a policy (its id when the policy or module is unknown).
pub fn module_name(state: &AppState, policy_id: &str, module: &str) -> String {
    state
        .policies
        .get(policy_id)
        .and_then(|p| p.module(module))
        .map(|m| m.name.clone())
        .unwrap_or_else(|| module.to_string())
}

/// A policy's title (its id when unknown).
pub fn policy_title(state: &AppState, policy_id: &str) -> String {
    state
        .policies
        .get(policy_id)
        .map(|p| p.file.policy.title.clone())
        .unwrap_or_else(|| policy_id.to_string())
}

/// A policy by id, as a use-case error when unknown.
pub fn policy<'a>(state: &'a AppState, id: &str) -> Result<&'a Policy, AppError> {
    zorginkoop_app::policies::find(&state.policies, id)
}

/// `nog 3 dagen`, `vandaag`, `morgen`, `3 dagen geleden`.
pub fn days_nl(days: i64) -> String {
    match days {
        0 => "vandaag".into(),
        1 => "morgen (nog 1 dag)".into(),
        d if d > 1 => format!("nog {d} dagen"),
        -1 => "gisteren".into(),
        d => format!("{} dagen geleden", -d),
    }
}

/// A decimal written the Dutch way: `12.5` as `12,5`.
pub fn decimal_nl(text: &str) -> String {
    text.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_dutch() {
        assert_eq!(days_nl(0), "vandaag");
        assert_eq!(days_nl(1), "morgen (nog 1 dag)");
        assert_eq!(days_nl(12), "nog 12 dagen");
        assert_eq!(days_nl(-3), "3 dagen geleden");
    }

    #[test]
    fn htmx_requests_are_recognised_by_their_header() {
        let mut h = HeaderMap::new();
        assert!(!is_htmx(&h));
        h.insert("hx-request", "true".parse().unwrap());
        assert!(is_htmx(&h));
    }
}
