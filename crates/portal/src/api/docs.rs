//! The OpenAPI document of `/api/v1`, generated from the handlers' `#[utoipa::path]`
//! attributes and the types of [`super::schema`] (nothing is downloaded, no Swagger UI), and
//! `/api`: a Dutch page that lists every operation of that document (method, path, summary,
//! parameters, body, answers) and says how to get a token.

use super::{MAX_JSON_BYTES, account, applications, decide, proposals, settlements};
use crate::auth::CurrentUser;
use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde_json::Value;
use std::sync::LazyLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/api/openapi.json",
            Access::Public,
            "de OpenAPI-beschrijving van /api/v1",
            get(openapi_json),
        ),
        Route::new(
            "GET",
            "/api",
            Access::Public,
            "de API: elke bewerking, en hoe u een token krijgt",
            get(api_page),
        ),
    ]
}

/// The OpenAPI document's definition: every `/api/v1` handler.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "zorginkoop API",
        description = "De functies van het contracteerportaal als JSON: beslissen en rekenen \
            (in de stijl van OpenFisca's /calculate), aanvragen, voorstellen en contracten, het \
            auditlog. Dezelfde autorisatie als de pagina's. Fouten zijn JSON {\"fout\": ..., \
            \"status\": ...}. Beslissingen hebben de vorm zorginkoop.decision/2 \
            (crates/engine/DECISION-JSON.md)."
    ),
    paths(
        account::me,
        account::list_policies,
        account::audit_log,
        decide::decide,
        decide::list,
        decide::calc,
        applications::list,
        applications::start,
        applications::detail,
        applications::save_facts,
        applications::submit,
        applications::review,
        applications::message,
        applications::attach,
        applications::attachment,
        proposals::list,
        proposals::detail,
        proposals::answer,
        proposals::propose,
        proposals::list_contracts,
        proposals::administrative,
        settlements::list,
        settlements::detail,
        crate::processes::regioplan::api::list,
        crate::processes::regioplan::api::detail,
        crate::processes::regioplan::api::save,
        crate::processes::regioplan::api::submit,
        crate::processes::regioplan::api::answer,
        crate::processes::labs::api::list,
        crate::processes::labs::api::detail,
        crate::processes::labs::api::compare,
        crate::processes::labs::api::choose,
        crate::processes::nursing::api::list,
        crate::processes::nursing::api::detail,
        crate::processes::nursing::api::submit,
        crate::processes::nursing::api::decide,
        crate::processes::nursing::api::sign,
    ),
    modifiers(&Security, &Descriptions),
    security(("token" = []), ("sessie" = [])),
    tags(
        (name = "account", description = "Wie u bent en wat er gebeurde"),
        (name = "beleid", description = "De beleidsdocumenten"),
        (name = "beslissen", description = "Beslissen en rekenen, zonder iets op te slaan"),
        (name = "aanvragen", description = "Aanvragen voor een module: van concept tot toekenning"),
        (name = "contracten", description = "Voorstellen, ondertekening en contracten"),
        (name = "afrekening", description = "Afrekeningen na afloop van het jaar, met spiegelinformatie"),
        (name = "wijkverpleging", description = "Wijkverpleging 2021: aanvragen van bestaande en nieuwe aanbieders, Wijkgericht Werken, beschikbaarheidsfunctie; termijn in werkdagen, besluit, tekenen"),
        (name = "regioplan", description = "Het regioplan van een regio-organisatie (O&I): indienen, reactie binnen de termijn, rondes"),
        (name = "labs", description = "Laboratoria en trombosediensten (eerstelijnsdiagnostiek en trombosezorg 2020): de vergelijking, de keuze, het omzetplafond, verzoeken productie uitbreiden of verplaatsen"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some(
            "Een API-token (maak er een op /account/tokens): Authorization: Bearer zk_...".into(),
        );
        components.add_security_scheme("token", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "sessie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "De sessiecookie van de browser; bij alles behalve GET ook het CSRF-token van de \
                 sessie in de header X-CSRF-Token.",
            ))),
        );
    }
}

/// Every answer has a description (OpenAPI requires one): a Dutch default by status where the
/// handler gives none.
struct Descriptions;

fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "gelukt",
        "201" => "aangemaakt",
        "401" => "niet ingelogd: stuur een API-token (of de sessiecookie)",
        "403" => "niet toegestaan voor uw rol (of CSRF-token ontbreekt)",
        "404" => "bestaat niet of u mag het niet zien",
        "409" => "kan nu niet in deze status",
        "422" => "de invoer past niet",
        _ => "antwoord",
    }
}

impl Modify for Descriptions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                for (status, r) in op.responses.responses.iter_mut() {
                    if let utoipa::openapi::RefOr::T(r) = r
                        && r.description.is_empty()
                    {
                        r.description = default_description(status).to_string();
                    }
                }
            }
        }
    }
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::to_value(openapi()).expect("the OpenAPI document serialises"));

async fn openapi_json() -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(&*DOCUMENT),
    )
        .into_response()
}

/// An operation of the document, in the order of the page.
struct Operation<'a> {
    method: String,
    path: &'a str,
    op: &'a Value,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every operation of an OpenAPI document, by path and then method.
fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut ops = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    ops.push(Operation {
                        method: m.to_uppercase(),
                        path,
                        op,
                    });
                }
            }
        }
    }
    ops
}

/// The name of a `$ref`'d schema, or the type of an inline one.
fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    match schema["type"].as_str() {
        Some("array") => format!("lijst van {}", schema_name(&schema["items"])),
        Some(t) => t.to_string(),
        None => match schema["type"].as_array() {
            Some(types) => types
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" of "),
            None if schema.get("oneOf").is_some() => schema["oneOf"]
                .as_array()
                .map(|v| v.iter().map(schema_name).collect::<Vec<_>>().join(" of "))
                .unwrap_or_default(),
            None => "object".into(),
        },
    }
}

/// The fields of a request body's schema (when it is a named object schema).
fn body_fields(doc: &Value, schema: &Value) -> Markup {
    let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) else {
        return html! {};
    };
    let s = &doc["components"]["schemas"][name];
    let Some(props) = s["properties"].as_object() else {
        if let Some(d) = s["description"].as_str() {
            return html! { p { (d) } };
        }
        return html! {};
    };
    let required: Vec<&str> = s["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    html! {
        table {
            caption { "Velden van " code { (name) } }
            thead { tr { th scope="col" { "Veld" } th scope="col" { "Type" } th scope="col" { "Verplicht" } th scope="col" { "Omschrijving" } } }
            tbody {
                @for (field, p) in props {
                    tr {
                        th scope="row" { code { (field) } }
                        td { (schema_name(p)) @if let Some(e) = p["enum"].as_array() {
                            ": " (e.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
                        } }
                        td { @if required.contains(&field.as_str()) { "ja" } @else { "nee" } }
                        td { (p["description"].as_str().unwrap_or("")) }
                    }
                }
            }
        }
    }
}

fn anchor(o: &Operation) -> String {
    let mut a = format!("{}-{}", o.method.to_lowercase(), o.path);
    a.retain(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
    a.replace('/', "-")
}

fn operation(doc: &Value, o: &Operation) -> Markup {
    let op = o.op;
    let params: Vec<&Value> = op["parameters"]
        .as_array()
        .map(|p| p.iter().collect())
        .unwrap_or_default();
    let body = &op["requestBody"];
    let body_schema = &body["content"]["application/json"]["schema"];
    html! {
        section.operation id=(anchor(o)) {
            h3 { code { (o.method) " " (o.path) } }
            p { (op["summary"].as_str().unwrap_or("")) }
            @if let Some(d) = op["description"].as_str() { p.hint { (d) } }
            @if !params.is_empty() {
                table {
                    caption { "Parameters" }
                    thead { tr { th scope="col" { "Naam" } th scope="col" { "Waar" } th scope="col" { "Type" } th scope="col" { "Verplicht" } th scope="col" { "Omschrijving" } } }
                    tbody {
                        @for p in &params {
                            tr {
                                th scope="row" { code { (p["name"].as_str().unwrap_or("")) } }
                                td { @match p["in"].as_str() { Some("path") => "pad", Some("query") => "query", Some(x) => (x), None => "" } }
                                td { (schema_name(&p["schema"])) }
                                td { @if p["required"].as_bool() == Some(true) { "ja" } @else { "nee" } }
                                td { (p["description"].as_str().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            @if !body.is_null() {
                p { "Body (JSON): " code { (schema_name(body_schema)) }
                    @if let Some(d) = body["description"].as_str() { " · " (d) } }
                (body_fields(doc, body_schema))
            }
            @if let Some(responses) = op["responses"].as_object() {
                p { "Antwoorden: " }
                ul {
                    @for (code, r) in responses {
                        li {
                            strong { (code) }
                            @if let Some(s) = r["content"]["application/json"].get("schema") { " " code { (schema_name(s)) } }
                            @if let Some(d) = r["description"].as_str().filter(|d| !d.is_empty()) { " · " (d) }
                        }
                    }
                }
            }
        }
    }
}

/// The API page: how to authenticate, and every operation of the OpenAPI document.
pub fn page_body(doc: &Value) -> Markup {
    let ops = operations(doc);
    let tags: Vec<(&str, &str)> = doc["tags"]
        .as_array()
        .map(|t| {
            t.iter()
                .map(|t| {
                    (
                        t["name"].as_str().unwrap_or(""),
                        t["description"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let tag_of = |o: &Operation| o.op["tags"][0].as_str().unwrap_or("overig").to_string();
    html! {
        p { (doc["info"]["description"].as_str().unwrap_or("")) }
        p { "De machineleesbare beschrijving (OpenAPI 3.1): " a href="/api/openapi.json" { "/api/openapi.json" } "." }
        h2 { "Zo krijgt u een token" }
        ol {
            li { "Log in op het portaal." }
            li { "Ga naar " a href="/account/tokens" { "Mijn account › API-tokens" } ", geef het token een naam en kies " strong { "Token maken" } "." }
            li { "Kopieer het token meteen: het wordt één keer getoond. U kunt het daar ook weer intrekken." }
            li { "Stuur het mee in elke aanvraag: " code { "Authorization: Bearer zk_…" } ". Het token heeft dezelfde rechten als uw account." }
        }
        pre { code {
            "curl -H \"Authorization: Bearer $TOKEN\" https://portaal.example/api/v1/me\n"
            "curl -H \"Authorization: Bearer $TOKEN\" -H \"Content-Type: application/json\" \\\n"
            "     --data @examples/practice-de-brug-large.json https://portaal.example/api/v1/decide"
        } }
        p { "Vanuit de browser kan het ook met de sessiecookie; dan moet bij alles behalve GET het CSRF-token van de sessie mee in de header " code { "X-CSRF-Token" } ". "
            "Fouten komen als JSON " code { "{\"fout\": \"…\", \"status\": 404}" } ". Een verzoek is hoogstens " (MAX_JSON_BYTES / 1024) " kB." }
        h2 { "Alle bewerkingen" }
        table {
            caption { "Overzicht" }
            thead { tr { th scope="col" { "Methode" } th scope="col" { "Pad" } th scope="col" { "Omschrijving" } } }
            tbody {
                @for o in &ops {
                    tr {
                        td { code { (o.method) } }
                        th scope="row" { a href={"#" (anchor(o))} { code { (o.path) } } }
                        td { (o.op["summary"].as_str().unwrap_or("")) }
                    }
                }
            }
        }
        @for (tag, description) in &tags {
            h2 { (description) }
            @for o in ops.iter().filter(|o| tag_of(o) == *tag) {
                (operation(doc, o))
            }
        }
    }
}

async fn api_page(State(state): State<AppState>, user: Option<CurrentUser>) -> Response {
    html::page(&state, user.as_ref(), "API", page_body(&DOCUMENT)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_is_in_the_openapi_document_and_every_operation_is_a_route() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let mut documented: Vec<(String, String)> = operations(&doc)
            .iter()
            .map(|o| (o.method.clone(), o.path.to_string()))
            .collect();
        let mut routed: Vec<(String, String)> = crate::route_list()
            .iter()
            .filter(|r| r.path.starts_with("/api/v1"))
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        documented.sort();
        routed.sort();
        assert!(routed.len() >= 15, "{routed:?}");
        assert_eq!(routed, documented);
        for o in operations(&doc) {
            for (status, r) in o.op["responses"].as_object().unwrap() {
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{} {} {status}",
                    o.method,
                    o.path
                );
            }
        }
    }

    #[test]
    fn the_summaries_are_the_route_list_descriptions() {
        let doc = serde_json::to_value(openapi()).unwrap();
        for r in crate::route_list()
            .iter()
            .filter(|r| r.path.starts_with("/api/v1"))
        {
            let op = &doc["paths"][r.path][r.method.to_lowercase()];
            assert_eq!(
                op["summary"].as_str(),
                Some(r.about),
                "{} {}",
                r.method,
                r.path
            );
        }
    }

    #[test]
    fn the_page_lists_every_operation_with_its_parameters() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let page = page_body(&doc).into_string();
        for o in operations(&doc) {
            assert!(
                page.contains(&format!("{} {}", o.method, o.path)),
                "{} {}",
                o.method,
                o.path
            );
        }
        assert!(page.contains("/account/tokens"));
        // a path parameter and a query parameter, and a request body's fields
        assert!(page.contains("<code>name</code>"));
        assert!(page.contains("<code>queue</code>"));
        assert!(page.contains("<code>text_sha256</code>"));
    }
}
