//! Labs and thrombosis services (document 003, diagnostics and thrombosis 2020), their pages and
//! their API:
//!
//! * the laboratory ([`provider`]): the regular and the preferred contract side by side on its
//!   own figures (from its settlement statement when the insurer has one, else as entered),
//!   the choice with the contract's conditions, a request to expand or move production;
//! * the thrombosis service ([`provider`]): the contract with its ceiling from volume and price
//!   per product;
//! * the purchaser ([`purchaser`]): the queue of choices and contracts, and the production
//!   change requests in a list of their own (no term), filtered by status; the decision page
//!   with the figures, their citations and the engine's trace; grant, refuse, propose;
//! * the API ([`api`]): the same as JSON.
//!
//! The use cases are `zorginkoop_app::labs`; the signer signs the proposal on the common
//! proposal page.

pub mod api;
pub mod provider;
pub mod purchaser;

use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::routing::{get, post};
use maud::{Markup, html};
use rust_decimal::Decimal;
use std::str::FromStr;
use zorginkoop_app::AppError;
use zorginkoop_app::labs::{self, Comparison, ContractColumn, Counts, Figure, ProductLine};

/// The labs' routes: pages and API.
pub fn routes() -> Vec<Route> {
    let mut r = vec![
        Route::new(
            "GET",
            "/labs",
            Access::Provider,
            "laboratorium: de reguliere en de voorkeursovereenkomst naast elkaar op de eigen cijfers, kiezen en aanvragen; trombosedienst: de overeenkomst met het omzetplafond",
            get(provider::page),
        ),
        Route::new(
            "POST",
            "/labs/keuze",
            Access::Provider,
            "laboratorium: vergelijken op de ingevoerde cijfers, of een overeenkomst kiezen en aanvragen",
            post(provider::choose),
        ),
        Route::new(
            "POST",
            "/labs/trombose",
            Access::Provider,
            "trombosedienst: het omzetplafond berekenen, of de overeenkomst trombosezorg aanvragen",
            post(provider::thrombosis),
        ),
        Route::new(
            "POST",
            "/labs/verzoek",
            Access::Provider,
            "laboratorium: een verzoek om productie uit te breiden of te verplaatsen indienen",
            post(provider::change),
        ),
        Route::new(
            "GET",
            "/labs/verzoeken/{id}",
            Access::User,
            "een keuze of verzoek met de cijfers, de status en het voorstel",
            get(provider::show),
        ),
        Route::new(
            "GET",
            "/inkoop/labs",
            Access::Insurer,
            "de keuzes van laboratoria, de overeenkomsten trombosezorg en de verzoeken productie uitbreiden of verplaatsen, te filteren op status",
            get(purchaser::queue),
        ),
        Route::new(
            "GET",
            "/inkoop/labs/{id}",
            Access::Insurer,
            "een keuze of verzoek: de cijfers met hun bron, de trace van de engine, besluiten en voorstellen",
            get(purchaser::show),
        ),
        Route::new(
            "POST",
            "/inkoop/labs/{id}/besluit",
            Access::Insurer,
            "een keuze of verzoek toekennen of afwijzen",
            post(purchaser::decide),
        ),
        Route::new(
            "POST",
            "/inkoop/labs/{id}/voorstel",
            Access::Insurer,
            "het contract voorstellen met de cijfers van de gekozen overeenkomst (looptijd, omzetplafond)",
            post(purchaser::propose),
        ),
    ];
    r.extend(api::routes());
    r
}

/// A table of figures: what, the amount, how it is computed, and the passage.
pub fn figures_table(state: &AppState, caption: &str, figures: &[Figure]) -> Markup {
    html! {
        div.table-wrap { table.values {
            caption { (caption) }
            thead { tr { th scope="col" { "Onderdeel" } th scope="col" { "Bedrag" } th scope="col" { "Berekening en bron" } } }
            tbody {
                @for f in figures {
                    tr data-step=(f.step) {
                        th scope="row" { (f.label) }
                        td { (f.amount.text()) }
                        td {
                            @if !f.calculation.is_empty() { (f.calculation) }
                            details.explanation { summary { "Bron" } (html::citation(state, &f.source)) }
                        }
                    }
                }
            }
        } }
    }
}

fn column(state: &AppState, c: &ContractColumn) -> Markup {
    html! {
        section.card aria-labelledby={"kolom-" (c.module)} data-module=(c.module) {
            h3 id={"kolom-" (c.module)} { (c.name) }
            p { "Totaal betaald: " strong.total { (zorginkoop_app::policy::dutch::euro(c.paid)) } }
            (figures_table(state, &c.name, &c.figures))
            details.explanation {
                summary { "Voorwaarden van deze overeenkomst" }
                ul { @for (text, source) in &c.conditions { li { (text) (html::citation(state, source)) } } }
            }
        }
    }
}

/// The comparison: the shared figures, then both contracts side by side.
pub fn comparison_view(state: &AppState, c: &Comparison) -> Markup {
    html! {
        section aria-labelledby="vergelijking" {
            h2 id="vergelijking" { "Vergelijking" }
            p.notice role="status" { "Cijfers: " (c.source.label()) "." }
            (figures_table(state, "Plafond, productie en overproductie", &c.shared))
            div.two-col {
                (column(state, &c.regular))
                (column(state, &c.preferred))
            }
            @if c.example_tiers {
                p.hint { "De staffelkorting is een voorbeeldstaffel uit het beleidsbestand: het document noemt geen treden. De staffel in de overeenkomst gaat voor." }
            }
        }
    }
}

/// The request's figures as stored: the comparison, the thrombosis ceiling, or the change.
pub fn request_figures(state: &AppState, r: &labs::Request) -> Result<Markup, AppError> {
    let policy = zorginkoop_app::policies::find(&state.policies, &r.policy_id)?;
    Ok(match r.kind {
        labs::Kind::Choice => {
            let inputs = r
                .inputs
                .as_ref()
                .ok_or_else(|| AppError::BadRecord(format!("verzoek {}: geen cijfers", r.id)))?;
            let c = labs::compare(policy, inputs)?;
            html! {
                p { "Gekozen: " strong { (provider::module_name(state, &r.module)) } }
                (comparison_view(state, &c))
            }
        }
        labs::Kind::Thrombosis => {
            let t = labs::thrombosis_ceiling(policy, &r.products)?;
            html! {
                section aria-labelledby="plafond" {
                    h2 id="plafond" { "Omzetplafond" }
                    p { "Omzetplafond: " strong.total { (zorginkoop_app::policy::dutch::euro(t.ceiling)) } }
                    (figures_table(state, "Hoe het plafond is berekend", &t.figures))
                }
            }
        }
        labs::Kind::ProductionChange => {
            let ch = r.change.as_ref();
            html! {
                section aria-labelledby="verzoek" {
                    h2 id="verzoek" { "Verzoek" }
                    @if let Some(ch) = ch {
                        dl.kv {
                            dt { "Soort" } dd { (ch.change) }
                            dt { "Locatie" } dd { (ch.location) }
                            dt { "Met ingang van" } dd { (html::date_nl(ch.from)) }
                            dt { "Toelichting" } dd { (ch.motivation) }
                        }
                    }
                    p { "Dit verzoek heeft geen termijn: het beleid noemt er geen." }
                    (html::citation(state, &labs::spec::PRODUCTION_CHANGE.source()))
                    (html::citation(state, &labs::spec::PRODUCTION_CHANGE_ASSESSED.source()))
                }
            }
        }
    })
}

/// The value of form field `name` (trimmed; empty when absent).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

/// A euro amount as typed: `1296000`, `3,00` or `3.00` (no thousands separators).
pub fn euro_field(text: &str, label: &str) -> Result<Decimal, AppError> {
    let t = text.trim().replace(['€', ' '], "").replace(',', ".");
    Decimal::from_str(&t)
        .ok()
        .filter(|d| !d.is_sign_negative())
        .ok_or_else(|| AppError::Invalid {
            field: label.to_string(),
            problem: format!("{text:?} is geen bedrag in euro (bijvoorbeeld 3,00)"),
        })
}

/// A whole number as typed.
pub fn count_field(text: &str, label: &str) -> Result<u64, AppError> {
    text.trim().parse::<u64>().map_err(|_| AppError::Invalid {
        field: label.to_string(),
        problem: format!("{text:?} is geen geheel getal"),
    })
}

/// The product rows shown in a form.
pub const PRODUCT_ROWS: usize = 4;

/// The filled product rows of a form (`product.N.naam`, `.volume`, `.prijs`); an empty row is
/// skipped.
pub fn products_from(pairs: &[(String, String)]) -> Result<Vec<ProductLine>, AppError> {
    let mut out = Vec::new();
    for i in 1..=labs::MAX_PRODUCTS {
        let name = field(pairs, &format!("product.{i}.naam"));
        let volume = field(pairs, &format!("product.{i}.volume"));
        let price = field(pairs, &format!("product.{i}.prijs"));
        if name.is_empty() && volume.is_empty() && price.is_empty() {
            continue;
        }
        let label = if name.is_empty() {
            format!("product {i}")
        } else {
            format!("product {i} ({name})")
        };
        out.push(ProductLine {
            product: name.to_string(),
            volume: count_field(volume, &format!("{label}: volume"))?,
            price: euro_field(price, &format!("{label}: prijs"))?,
        });
    }
    Ok(out)
}

/// The product rows as form fields (the filled ones plus empty rows up to [`PRODUCT_ROWS`]).
pub fn products_fields(pairs: &[(String, String)], defaults: &[&str]) -> Markup {
    html! {
        div.table-wrap { table {
            caption { "Volume- en prijsafspraken per product" }
            thead { tr { th scope="col" { "Product" } th scope="col" { "Volume" } th scope="col" { "Prijs per stuk (euro)" } } }
            tbody {
                @for i in 1..=PRODUCT_ROWS {
                    @let name = format!("product.{i}.naam");
                    @let typed = field(pairs, &name);
                    @let shown = if typed.is_empty() && pairs.is_empty() { defaults.get(i - 1).copied().unwrap_or("") } else { typed };
                    tr {
                        td { label.visually-hidden for={"p" (i) "-naam"} { "Product " (i) }
                             input id={"p" (i) "-naam"} name=(name) value=(shown); }
                        td { label.visually-hidden for={"p" (i) "-volume"} { "Volume product " (i) }
                             input id={"p" (i) "-volume"} name={"product." (i) ".volume"} inputmode="numeric" value=(field(pairs, &format!("product.{i}.volume"))); }
                        td { label.visually-hidden for={"p" (i) "-prijs"} { "Prijs product " (i) }
                             input id={"p" (i) "-prijs"} name={"product." (i) ".prijs"} inputmode="decimal" value=(field(pairs, &format!("product.{i}.prijs"))); }
                    }
                }
            }
        } }
    }
}

/// Patients, orders and analyses of a form (`<prefix>patienten`, ...); `None` when all three
/// are empty.
pub fn counts_from(
    pairs: &[(String, String)],
    suffix: &str,
    year: &str,
) -> Result<Option<Counts>, AppError> {
    let p = field(pairs, &format!("patienten{suffix}"));
    let o = field(pairs, &format!("orders{suffix}"));
    let a = field(pairs, &format!("analyses{suffix}"));
    if p.is_empty() && o.is_empty() && a.is_empty() {
        return Ok(None);
    }
    Ok(Some(Counts {
        patients: count_field(p, &format!("patiënten {year}"))?,
        orders: count_field(o, &format!("orders {year}"))?,
        analyses: count_field(a, &format!("analyses {year}"))?,
    }))
}
