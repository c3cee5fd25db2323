//! The audit log as a page: who did what when, the state before and after, and the policy
//! receipt the change rests on. The insurer's staff see every entry, a provider's users only
//! their own organisation's (the use case filters).

use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use zorginkoop_app::audit::{self, AuditRecord};

/// How many of the latest entries the page shows.
const LIMIT: i64 = 200;

/// A stored JSON object as `key: value` lines (a text shown as it is).
fn json_lines(text: &str) -> Vec<String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                serde_json::Value::Null => format!("{k}: —"),
                other => format!("{k}: {other}"),
            })
            .collect(),
        _ => vec![text.to_string()],
    }
}

fn json_cell(text: Option<&str>) -> Markup {
    html! {
        @match text {
            Some(t) => ul { @for l in json_lines(t) { li { code { (l) } } } },
            None => "—",
        }
    }
}

fn object_nl(object_type: &str) -> &str {
    match object_type {
        "application" => "aanvraag",
        "proposal" => "voorstel",
        "user" => "gebruiker",
        "organisation" => "organisatie",
        "session" => "sessie",
        other => other,
    }
}

/// The page of the object an entry is about, for this user.
fn object_href(user: &CurrentUser, e: &AuditRecord) -> Option<String> {
    let id = e.object_id?;
    match e.object_type.as_str() {
        "application" if user.actor.role.is_insurer() => Some(format!("/inkoop/aanvragen/{id}")),
        "application" => Some(format!("/aanvragen/{id}")),
        "proposal" => Some(format!("/voorstellen/{id}")),
        _ => None,
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let entries = state
        .run(move |s| audit::list(&s.db, &actor, LIMIT))
        .await?;
    let body = html! {
        p {
            @if user.actor.role.is_insurer() {
                "Alle wijzigingen in het portaal, de nieuwste eerst (de laatste " (LIMIT) "). "
            } @else {
                "De wijzigingen aan de gegevens van " (user.actor.organisation_name) ", de nieuwste eerst (de laatste " (LIMIT) "). "
            }
            "Het log kan niet worden gewijzigd of verwijderd."
        }
        @if entries.is_empty() {
            p.notice role="status" { "Nog geen wijzigingen." }
        } @else {
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Wanneer" }
                            th scope="col" { "Wie" }
                            th scope="col" { "Organisatie" }
                            th scope="col" { "Wat" }
                            th scope="col" { "Voor" }
                            th scope="col" { "Na" }
                            th scope="col" { "Ontvangstbewijs" }
                        }
                    }
                    tbody {
                        @for e in &entries {
                            tr {
                                th scope="row" { (html::timestamp_nl(&e.at)) }
                                td {
                                    (e.user.as_deref().unwrap_or("—"))
                                    @if let Some(ip) = &e.ip { br; span.hint { "vanaf " (ip) } }
                                }
                                td { (e.organisation.as_deref().unwrap_or("—")) }
                                td {
                                    (e.action)
                                    @if let Some(id) = e.object_id {
                                        br;
                                        @match object_href(&user, e) {
                                            Some(h) => a href=(h) { (object_nl(&e.object_type)) " " (id) },
                                            None => span.hint { (object_nl(&e.object_type)) " " (id) },
                                        }
                                    }
                                }
                                td { (json_cell(e.before.as_deref())) }
                                td { (json_cell(e.after.as_deref())) }
                                td { (json_cell(e.receipt.as_deref())) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), "Auditlog", body).into_response())
}

#[cfg(test)]
mod tests {
    use super::json_lines;

    #[test]
    fn a_change_is_shown_as_its_fields() {
        let mut lines = json_lines(r#"{"state":"granted","reason":null}"#);
        lines.sort();
        assert_eq!(lines, vec!["reason: —", "state: granted"]);
        assert_eq!(json_lines("geen json"), vec!["geen json"]);
    }
}
