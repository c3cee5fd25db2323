//! The page layout and the fragments every page shares: navigation by role, the CSRF field,
//! Dutch dates and money, a decision's outcome, and citations that link to the passage.

use crate::auth::CurrentUser;
use crate::state::{AppState, Clock};
use axum::response::Html;
use chrono::{Datelike, NaiveDate};
use maud::{DOCTYPE, Markup, html};
use zorginkoop_app::engine::Outcome;
use zorginkoop_app::policy::Source;

/// A full page: header with navigation for the user's role, the main content, and a footer.
pub fn page(
    state: &AppState,
    user: Option<&CurrentUser>,
    title: &str,
    body: Markup,
) -> Html<String> {
    Html(layout(state, user, title, body).into_string())
}

fn layout(state: &AppState, user: Option<&CurrentUser>, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="nl" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=r#"{"includeIndicatorStyles":false,"allowEval":false}"#;
                title { (title) " · zorginkoop" }
                link rel="stylesheet" href="/static/portal.css";
                script src="/static/htmx.min.js" defer {}
            }
            body {
                a.skip href="#inhoud" { "Naar de inhoud" }
                header.site {
                    a.brand href="/" { "zorginkoop" }
                    @if let Some(u) = user {
                        nav aria-label="Hoofdmenu" {
                            ul {
                                @for (href, label) in nav_items(u) {
                                    li { a href=(href) { (label) } }
                                }
                            }
                        }
                        div.who {
                            span { (u.actor.name) " · " (u.actor.organisation_name) " · " (u.actor.role.label()) }
                            form method="post" action="/logout" {
                                (csrf_field(u))
                                button.link type="submit" { "Uitloggen" }
                            }
                        }
                    }
                }
                @if let Clock::Fixed(d) = state.clock {
                    @let own = user.filter(|u| !u.actor.role.is_insurer())
                        .map(|u| state.today_for(u.actor.organisation_id));
                    @if let Some(day) = own {
                        p.banner role="note" { "Demodatum: het portaal rekent voor uw organisatie met vandaag = " (date_nl(day)) "." }
                    } @else if state.organisation_days.is_empty() {
                        p.banner role="note" { "Demodatum: het portaal rekent met vandaag = " (date_nl(d)) "." }
                    } @else {
                        p.banner role="note" { "Demodatum: het portaal rekent met vandaag = " (date_nl(d))
                            "; zaken van een zorgaanbieder met een eigen demodatum rekenen met die dag (zie de werkvoorraad)." }
                    }
                }
                main id="inhoud" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
                footer.site {
                    p { "zorginkoop · inkoopbeleid als data, elke beslissing met de tekst waarop ze rust · "
                        a href="/api" { "API" } }
                }
            }
        }
    }
}

/// The navigation for a user's role.
pub fn nav_items(u: &CurrentUser) -> Vec<(&'static str, &'static str)> {
    if u.actor.role.is_insurer() {
        vec![
            ("/inkoop", "Werkvoorraad"),
            ("/inkoop/regioplannen", "Regioplannen"),
            ("/inkoop/labs", "Labs en trombose"),
            ("/inkoop/wijkverpleging", "Wijkverpleging"),
            ("/inkoop/aanbieders", "Zorgaanbieders"),
            ("/inkoop/voorstellen", "Voorstellen en contracten"),
            ("/afrekeningen", "Afrekeningen"),
            ("/audit", "Auditlog"),
            ("/rekentools", "Rekentools"),
        ]
    } else {
        let mut items = vec![("/dashboard", "Overzicht")];
        // the document's own process first, for the kinds that have one
        if u.actor.organisation_kind == "regio-organisatie" {
            items.push(("/regioplan", "Regioplan"));
            items.push(("/regioplan/jaarcijfers", "Jaarcijfers"));
        }
        if u.actor.organisation_kind == "laboratory" {
            items.push(("/labs", "Keuze overeenkomst"));
        }
        if u.actor.organisation_kind == "thrombosis-service" {
            items.push(("/labs", "Overeenkomst trombosezorg"));
        }
        if u.actor.organisation_kind == "district-nursing" {
            items.push(("/wijkverpleging", "Wijkverpleging 2021"));
        }
        items.extend([
            ("/catalogus", "Catalogus"),
            ("/aanvragen", "Aanvragen"),
            ("/contracten", "Voorstellen en contracten"),
            ("/afrekeningen", "Afrekeningen"),
            ("/rekentools", "Rekentools"),
            ("/audit", "Auditlog"),
        ]);
        items
    }
}

/// A page for errors (no navigation needed).
pub fn error_page(title: &str, message: &str) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="nl" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · zorginkoop" }
                    link rel="stylesheet" href="/static/portal.css";
                }
                body {
                    main id="inhoud" {
                        h1 { (title) }
                        p.error role="alert" { (message) }
                        p { a href="/" { "Naar het overzicht" } " · " a href="javascript:history.back()" { "Terug" } }
                    }
                }
            }
        }
        .into_string(),
    )
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(u: &CurrentUser) -> Markup {
    html! { input type="hidden" name="csrf" value=(u.csrf); }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `1 november 2021`.
pub fn date_nl(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// An RFC 3339 timestamp as `1 november 2021 09:30` (UTC), or as given when it does not parse.
pub fn timestamp_nl(ts: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(ts) {
        Ok(t) => format!("{} {}", date_nl(t.date_naive()), t.format("%H:%M")),
        Err(_) => ts.to_string(),
    }
}

/// Cents as `€ 1.234,56`.
pub fn euro(cents: i64) -> String {
    zorginkoop_app::proposals::cents_to_euro(cents)
}

/// The Dutch label of an outcome and its CSS class.
pub fn outcome_label(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Eligible => ("komt in aanmerking", "ok"),
        Outcome::NotEligible => ("komt niet in aanmerking", "no"),
        Outcome::NeedsInformation => ("informatie nodig", "info"),
        Outcome::NeedsReview => ("individuele beoordeling", "review"),
    }
}

/// An outcome as a badge.
pub fn outcome_badge(o: Outcome) -> Markup {
    let (label, class) = outcome_label(o);
    html! { span class={"badge " (class)} { (label) } }
}

/// A citation: the quote, the document's title and section, and a link to the passage in the
/// document text.
pub fn citation(state: &AppState, source: &Source) -> Markup {
    let title = zorginkoop_app::policies::document_title(&state.policies, &source.document);
    html! {
        figure.citation {
            blockquote { "\u{201c}" (source.quote) "\u{201d}" }
            figcaption {
                (title) ", " (source.section) " · "
                a href=(passage_href(source)) { "lees de passage" }
            }
        }
    }
}

/// The link to a passage: the document text with the quote marked.
pub fn passage_href(source: &Source) -> String {
    let mut out = String::with_capacity(
        "/bron/?citaat=#passage".len() + source.document.len() + 3 * source.quote.len(),
    );
    out.push_str("/bron/");
    push_url_encoded(&mut out, &source.document);
    out.push_str("?citaat=");
    push_url_encoded(&mut out, &source.quote);
    out.push_str("#passage");
    out
}

/// Percent-encodes a query or path component.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_url_encoded(&mut out, s);
    out
}

/// Appends `s` percent-encoded (unreserved characters as they are, every other byte as `%XX`).
fn push_url_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_dutch_way() {
        assert_eq!(
            date_nl(NaiveDate::from_ymd_opt(2021, 11, 1).unwrap()),
            "1 november 2021"
        );
        assert_eq!(
            timestamp_nl("2021-11-01T09:30:00+00:00"),
            "1 november 2021 09:30"
        );
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(url_encode("a b/ë"), "a%20b%2F%C3%AB");
    }
}
