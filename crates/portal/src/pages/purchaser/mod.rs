//! The insurer's side: the queue of submitted applications with their deadlines, the review of
//! one application (the provider's answers beside the engine's trace, grant / refuse / ask for
//! information, the question-and-answer thread), contract proposals with the policy's tariffs,
//! administrative contracts, the overview per provider, and the audit log (which providers see
//! too, for their own organisation).
//!
//! Every page calls the use cases of `zorginkoop-app`; those decide who may do what (only a
//! purchaser acts, an auditor or admin reads). The pages only add the route's own access check
//! (a provider's user gets 403 on the insurer's pages) and show the action forms to purchasers.

mod audit;
mod contracts;
mod providers;
mod queue;
mod review;

use crate::auth::CurrentUser;
use crate::route::{Access, Route};
use axum::routing::{get, post};
use chrono::NaiveDate;
use maud::{Markup, html};
use rust_decimal::Decimal;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::Role;
use zorginkoop_app::policy::Policy;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/inkoop",
            Access::Insurer,
            "werkvoorraad: ingediende aanvragen met hun termijnen",
            get(queue::page),
        ),
        Route::new(
            "GET",
            "/inkoop/aanvragen/{id}",
            Access::Insurer,
            "een aanvraag beoordelen: antwoorden naast de beslissing van het beleid, berichten",
            get(review::page),
        ),
        Route::new(
            "POST",
            "/inkoop/aanvragen/{id}/beoordelen",
            Access::Insurer,
            "in behandeling nemen, toekennen, informatie vragen of afwijzen (zorginkoper)",
            post(review::act),
        ),
        Route::new(
            "POST",
            "/inkoop/aanvragen/{id}/berichten",
            Access::Insurer,
            "een bericht aan de zorgaanbieder plaatsen (zorginkoper)",
            post(review::message),
        ),
        Route::new(
            "GET",
            "/inkoop/aanvragen/{id}/voorstel",
            Access::Insurer,
            "formulier: contract voorstellen met de tarieven uit het beleid",
            get(contracts::proposal_form),
        ),
        Route::new(
            "POST",
            "/inkoop/aanvragen/{id}/voorstel",
            Access::Insurer,
            "een contract voorstellen (zorginkoper)",
            post(contracts::propose),
        ),
        Route::new(
            "GET",
            "/inkoop/voorstellen",
            Access::Insurer,
            "alle voorstellen en contracten met hun status",
            get(contracts::list),
        ),
        Route::new(
            "GET",
            "/inkoop/administratief",
            Access::Insurer,
            "formulier: administratief contract vastleggen",
            get(contracts::administrative_form),
        ),
        Route::new(
            "POST",
            "/inkoop/administratief",
            Access::Insurer,
            "een administratief contract vastleggen (zorginkoper)",
            post(contracts::record_administrative),
        ),
        Route::new(
            "GET",
            "/inkoop/aanbieders",
            Access::Insurer,
            "overzicht van de zorgaanbieders",
            get(providers::list),
        ),
        Route::new(
            "GET",
            "/inkoop/aanbieders/{id}",
            Access::Insurer,
            "een zorgaanbieder: gebruikers, aanvragen, voorstellen en contracten",
            get(providers::one),
        ),
        Route::new(
            "GET",
            "/audit",
            Access::User,
            "auditlog: de zorgverzekeraar ziet alles, een zorgaanbieder de eigen organisatie",
            get(audit::page),
        ),
    ]
}

/// The insurer's staff (purchaser, auditor, admin) may open these pages; a provider's user gets
/// "not allowed" (the route's [`Access::Insurer`]).
pub(crate) fn insurer_only(user: &CurrentUser) -> Result<(), AppError> {
    user.actor.require(
        &[Role::Purchaser, Role::Auditor, Role::Admin],
        "de pagina's van de zorginkoop openen",
    )
}

/// Whether the user may act (the use cases enforce it; this only decides which forms to show).
pub(crate) fn acts(user: &CurrentUser) -> bool {
    user.actor.role == Role::Purchaser
}

/// The note for insurer staff who read but do not act.
fn read_only_note() -> Markup {
    html! {
        p.notice role="note" { "U kunt dit alleen inzien: beoordelen, voorstellen en vastleggen doet een zorginkoper." }
    }
}

/// The module's name in its policy, or its id.
fn module_name(policies: &zorginkoop_app::policy::PolicySet, policy: &str, module: &str) -> String {
    policies
        .get(policy)
        .and_then(|p| p.module(module))
        .map(|m| m.name.clone())
        .unwrap_or_else(|| module.to_string())
}

/// A date from a form field (`2022-01-01`, as a date input sends it); empty is `None`.
fn form_date(field: &str, text: &str) -> Result<Option<NaiveDate>, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| AppError::Invalid {
        field: field.to_string(),
        problem: format!("{t:?} is geen datum (jjjj-mm-dd)"),
    })
}

/// A number as a person types it: a comma or a point as decimal sign; with a comma, points
/// separate thousands (`1.234,56`); for money, `12.500` is twelve thousand five hundred.
fn number_nl(field: &str, text: &str, money: bool) -> Result<Decimal, AppError> {
    let t: String = text
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let thousands_only = money
        && t.split('.').count() > 1
        && t.split('.').skip(1).all(|g| g.len() == 3)
        && !t.contains(',');
    let canonical = if t.contains(',') || thousands_only {
        t.replace('.', "").replace(',', ".")
    } else {
        t.clone()
    };
    canonical.parse::<Decimal>().map_err(|_| AppError::Invalid {
        field: field.to_string(),
        problem: format!("{:?} is geen getal", text.trim()),
    })
}

/// Euros as a person types them to cents (exact; empty is `None`).
fn euro_cents_nl(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let d = number_nl(field, text, true)?;
    zorginkoop_app::proposals::euro_to_cents(field, &d.to_string()).map(Some)
}

/// A decimal the Dutch way: `1,25`.
fn decimal_nl(text: &str) -> String {
    text.replace('.', ",")
}

/// The Dutch name of a tariff unit.
fn unit_nl(unit: &str) -> &'static str {
    match unit {
        "eur" => "euro",
        "ratio" => "fractie",
        "hours" => "uur",
        "minutes" => "minuten",
        "weeks" => "weken",
        "days" => "dagen",
        "count" => "aantal",
        _ => "getal",
    }
}

/// A policy value for people: money as `€ 1,25`, other values with a decimal comma.
fn policy_value_nl(unit: &str, value: Option<&str>) -> String {
    match value {
        None => "geen waarde in het beleid".into(),
        Some(v) if unit == "eur" => zorginkoop_app::proposals::euro_to_cents("", v)
            .map(crate::html::euro)
            .unwrap_or_else(|_| format!("€ {}", decimal_nl(v))),
        Some(v) => format!("{} {}", decimal_nl(v), unit_nl(unit)),
    }
}

/// The policy's contract period, for date defaults.
fn period(policy: &Policy) -> (NaiveDate, NaiveDate) {
    (
        policy.file.policy.period_start,
        policy.file.policy.period_end,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(number_nl("t", "1,25", false).unwrap(), d("1.25"));
        assert_eq!(number_nl("t", "1.25", false).unwrap(), d("1.25"));
        assert_eq!(number_nl("t", "€ 1.234,56", true).unwrap(), d("1234.56"));
        assert_eq!(number_nl("t", "12.500", true).unwrap(), d("12500"));
        assert_eq!(number_nl("t", "0.150", false).unwrap(), d("0.15"));
        assert!(number_nl("t", "twaalf", false).is_err());
        assert_eq!(euro_cents_nl("t", "12.500,00").unwrap(), Some(1_250_000));
        assert_eq!(euro_cents_nl("t", " ").unwrap(), None);
        assert!(
            euro_cents_nl("t", "1,005").is_err(),
            "no fractions of a cent"
        );
    }

    #[test]
    fn policy_values_are_shown_the_dutch_way() {
        assert_eq!(policy_value_nl("eur", Some("1.25")), "€ 1,25");
        assert_eq!(policy_value_nl("ratio", Some("0.15")), "0,15 fractie");
        assert_eq!(policy_value_nl("eur", None), "geen waarde in het beleid");
    }
}
