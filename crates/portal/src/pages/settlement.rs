//! Settlement statements (issue 14): the list of the statements a user may see, one statement
//! line by line with the passage of each step, the mirror information against the other
//! providers of the same run as SVG charts, and the statement as xlsx and as JSON.
//!
//! The statements are recorded by `zorginkoop settle ... --db` (the portal computes nothing);
//! who sees which is decided by `zorginkoop_app::settlement`: the insurer's staff every
//! provider's, a provider only its own, with the other providers in the mirror information
//! without name or code.

use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::route::{Access, Route};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value as Json;
use std::str::FromStr;
use zorginkoop_app::settlement::{self, MirrorSeries, StatementSummary};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "GET",
            "/afrekeningen",
            Access::User,
            "afrekeningen: de zorginkoper alle zorgaanbieders, een zorgaanbieder de eigen",
            get(list),
        ),
        Route::new(
            "GET",
            "/afrekeningen/{id}",
            Access::User,
            "een afrekening regel voor regel met de bron van elke stap, en spiegelinformatie",
            get(show),
        ),
        Route::new(
            "GET",
            "/afrekeningen/{id}/xlsx",
            Access::User,
            "een afrekening als Excel-bestand (xlsx), met de spiegelinformatie",
            get(xlsx),
        ),
        Route::new(
            "GET",
            "/afrekeningen/{id}/json",
            Access::User,
            "een afrekening als JSON (de vorm die `schema` noemt)",
            get(json),
        ),
    ]
}

use zorginkoop_app::policy::dutch::number as dutch;

fn euro_text(d: Decimal) -> String {
    let s = dutch(d.abs(), 2);
    if d.is_sign_negative() && !d.is_zero() {
        format!("-€ {s}")
    } else {
        format!("€ {s}")
    }
}

/// A figure of the statement JSON (`{"kind": ..., "value": ...}`) as Dutch text.
fn amount_text(amount: &Json) -> String {
    let kind = amount.get("kind").and_then(Json::as_str).unwrap_or("");
    let value = amount.get("value").cloned().unwrap_or(Json::Null);
    let dec = match &value {
        Json::String(s) => Decimal::from_str(s).ok(),
        Json::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    };
    match (kind, dec) {
        ("euro", Some(d)) => euro_text(d),
        ("ratio", Some(d)) => format!(
            "{} %",
            (d * Decimal::ONE_HUNDRED)
                .normalize()
                .to_string()
                .replace('.', ",")
        ),
        ("hours", Some(d)) => format!("{} uur", d.normalize().to_string().replace('.', ",")),
        ("count", Some(d)) => dutch(d, 0),
        ("mean", Some(d)) => dutch(d, 4),
        _ => value.as_str().map(str::to_string).unwrap_or_default(),
    }
}

fn total_text(total: Option<&str>) -> String {
    match total.and_then(|t| Decimal::from_str(t).ok()) {
        Some(t) => euro_text(t),
        None => "nog niet af te rekenen".into(),
    }
}

fn provider_text(s: &StatementSummary) -> String {
    match &s.provider_name {
        Some(n) => format!("{} ({})", n, s.provider_agb),
        None => s.provider_agb.clone(),
    }
}

fn domain_text(domain: &str) -> &str {
    match domain {
        settlement::DOMAIN_NURSING => "Wijkverpleging",
        settlement::DOMAIN_LABS => "Eerstelijnsdiagnostiek en trombosezorg",
        other => other,
    }
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let (runs, statements) = state
        .run(move |s| {
            Ok((
                settlement::runs(&s.db, &actor)?,
                settlement::statements(&s.db, &actor, None)?,
            ))
        })
        .await?;
    let insurer = user.actor.role.is_insurer();
    let body = html! {
        p {
            @if insurer {
                "De afrekeningen van de laatste afrekenrun per domein en jaar, per zorgaanbieder. "
                "Een afrekenrun wordt vastgelegd met "
                code { "zorginkoop settle ... --db" }
                " en is daarna niet meer te wijzigen; een nieuwe berekening is een nieuwe run."
            } @else {
                "De afrekeningen van " (user.actor.organisation_name)
                ": per jaar wat is afgerekend, regel voor regel met de beleidstekst waarop elke stap rust."
            }
        }
        @if statements.is_empty() {
            p.notice role="status" { "Er zijn nog geen afrekeningen vastgelegd." }
        } @else {
            div.table-wrap {
                table {
                    caption { "Afrekeningen" }
                    thead {
                        tr {
                            th scope="col" { "Zorgaanbieder" }
                            th scope="col" { "Domein en jaar" }
                            th scope="col" { "Categorie" }
                            th scope="col" { "Afgerekend bedrag" }
                            th scope="col" { "Afrekenrun" }
                        }
                    }
                    tbody {
                        @for s in &statements {
                            tr {
                                th scope="row" {
                                    a href={ "/afrekeningen/" (s.id) } { (provider_text(s)) }
                                }
                                td { (domain_text(&s.run.domain)) " " (s.run.year) }
                                td { (s.category) }
                                td.num { (total_text(s.total.as_deref())) }
                                td {
                                    (s.run.id) ", " (html::timestamp_nl(&s.run.recorded_at))
                                    @if !s.run.current { br; span.hint { "vervangen door een nieuwere run" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if insurer && !runs.is_empty() {
            h2 { "Afrekenruns" }
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Run" }
                            th scope="col" { "Domein en jaar" }
                            th scope="col" { "Beleid" }
                            th scope="col" { "Vastgelegd" }
                            th scope="col" { "Invoer" }
                        }
                    }
                    tbody {
                        @for r in &runs {
                            tr {
                                th scope="row" {
                                    (r.id)
                                    @if r.current { " (actueel)" }
                                }
                                td { (domain_text(&r.domain)) " " (r.year) }
                                td { (r.policy_id) " versie " (r.policy_version) }
                                td { (html::timestamp_nl(&r.recorded_at)) " door " (r.recorded_by) }
                                td { span.hint { (r.inputs_note) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), "Afrekeningen", body).into_response())
}

/// Width and bar area of the mirror charts, in SVG units.
const CHART_W: i64 = 640;
const CHART_H: i64 = 180;

/// `v` scaled from `0..=max` to `0..=px`, rounded (decimal arithmetic: no floats).
fn scale(v: Decimal, max: Decimal, px: i64) -> i64 {
    if max <= Decimal::ZERO || v <= Decimal::ZERO {
        return 0;
    }
    let r = (v * Decimal::from(px) / max)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(r).unwrap_or(px).clamp(0, px)
}

fn figure_text(series: &MirrorSeries, v: Decimal) -> String {
    match series.unit.as_str() {
        "euro" => euro_text(v),
        "uur" => format!("{} uur", dutch(v, 2)),
        "" => dutch(v, if v.fract().is_zero() { 0 } else { 2 }),
        u => format!("{} {u}", dutch(v, 2)),
    }
}

/// A mirror figure as an SVG column chart (the providers sorted by the figure, the own column
/// marked, the median as a line), with the same figures as a table beside it for screen readers
/// and for reading the exact values.
fn mirror_chart(i: usize, series: &MirrorSeries) -> Markup {
    let n = series.points.len() as i64;
    let max = series
        .points
        .iter()
        .map(|p| p.value)
        .max()
        .unwrap_or(Decimal::ZERO);
    let gap = if n > 60 { 0 } else { 2 };
    let bar_w = ((CHART_W - gap * n) / n).max(1);
    let own = series.points.iter().position(|p| p.own);
    let median_y = CHART_H - scale(series.median, max, CHART_H);
    let title_id = format!("spiegel-{i}-titel");
    let desc_id = format!("spiegel-{i}-uitleg");
    let own_text = own.map(|k| {
        format!(
            "U: {} (plaats {} van {}, van laag naar hoog)",
            figure_text(series, series.points[k].value),
            k + 1,
            n
        )
    });
    html! {
        section.mirror aria-labelledby=(title_id) {
            h3 id=(title_id) { (series.label) }
            p id=(desc_id) {
                @if let Some(t) = &own_text { (t) "; " }
                "mediaan " (figure_text(series, series.median)) " over " (n) " zorgaanbieders."
            }
            svg.chart viewBox={ "0 0 " (CHART_W) " " (CHART_H + 20) } role="img"
                aria-labelledby=(title_id) aria-describedby=(desc_id)
                xmlns="http://www.w3.org/2000/svg" {
                @for (k, p) in series.points.iter().enumerate() {
                    @let h = scale(p.value, max, CHART_H).max(1);
                    rect x=((k as i64) * (bar_w + gap)) y=(CHART_H - h) width=(bar_w) height=(h)
                        fill=(if p.own { "#b35900" } else { "#7a9cc6" }) {
                        title { (p.label) ": " (figure_text(series, p.value)) }
                    }
                }
                line x1="0" x2=(CHART_W) y1=(median_y) y2=(median_y) stroke="#222" stroke-dasharray="6 4" {}
                text x="4" y=(CHART_H + 16) font-size="12" fill="#222" { "mediaan (streepjeslijn) " (figure_text(series, series.median)) }
                @if let Some(k) = own {
                    text x=(((k as i64) * (bar_w + gap)).min(CHART_W - 40)) y=(CHART_H + 16 - 16 - scale(series.points[k].value, max, CHART_H).min(CHART_H - 16)) font-size="12" fill="#b35900" { "u" }
                }
            }
            details {
                summary { "De cijfers" }
                div.table-wrap {
                    table {
                        thead { tr { th scope="col" { "Zorgaanbieder" } th scope="col" { (series.label) } } }
                        tbody {
                            @for p in &series.points {
                                tr {
                                    th scope="row" { (p.label) @if p.own { " (u)" } }
                                    td.num { (figure_text(series, p.value)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let (detail, mirror) = state
        .run(move |s| {
            Ok((
                settlement::statement(&s.db, &actor, id)?,
                settlement::mirror_of_domain(&s.db, &actor, id)?,
            ))
        })
        .await?;
    let s = &detail.summary;
    let st = &detail.statement;
    let lines = st
        .get("lines")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let missing: Vec<String> = st
        .get("missing")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    let title = format!(
        "Afrekening {} {}",
        domain_text(&s.run.domain).to_lowercase(),
        s.run.year
    );
    let body = html! {
        dl.facts {
            dt { "Zorgaanbieder" } dd { (provider_text(s)) }
            dt { "Categorie" } dd { (s.category) }
            dt { "Beleid" } dd { (s.run.policy_id) " versie " (s.run.policy_version) " " span.hint { "(sha256 " (s.run.policy_sha256) ")" } }
            dt { "Afrekenrun" } dd {
                (s.run.id) ", vastgelegd " (html::timestamp_nl(&s.run.recorded_at)) " door " (s.run.recorded_by)
                @if !s.run.current { " — " strong { "vervangen door een nieuwere run" } }
            }
            dt { "Afgerekend bedrag" } dd { strong { (total_text(s.total.as_deref())) } }
        }
        p {
            a href={ "/afrekeningen/" (s.id) "/xlsx" } download { "Download als Excel (xlsx)" }
            " · "
            a href={ "/afrekeningen/" (s.id) "/json" } { "als JSON" }
        }
        h2 { "De afrekening, stap voor stap" }
        ol.statement {
            @for l in &lines {
                li {
                    h3 {
                        (l.get("label").and_then(Json::as_str).unwrap_or(""))
                        ": "
                        strong { (amount_text(l.get("amount").unwrap_or(&Json::Null))) }
                    }
                    p { span.hint { "Berekening: " } (l.get("calculation").and_then(Json::as_str).unwrap_or("")) }
                    @if let Some(src) = l.get("source") {
                        (source_cite(&state, src))
                    }
                    @if let Some(c) = l.get("choice").and_then(Json::as_str) {
                        p.choice { strong { "Gekozen lezing: " } (c) }
                    }
                }
            }
        }
        @if !missing.is_empty() {
            div.notice role="status" {
                p { strong { "Nog niet af te rekenen, want:" } }
                ul { @for m in &missing { li { (m) } } }
            }
        }
        h2 { "Spiegelinformatie" }
        @if mirror.is_empty() {
            p { "Er zijn in deze afrekenrun te weinig zorgaanbieders met dezelfde cijfers om te vergelijken." }
        } @else {
            p {
                "Uw cijfers naast die van de andere zorgaanbieders in dezelfde afrekenrun ("
                (domain_text(&s.run.domain).to_lowercase()) " " (s.run.year) ")."
                @if !user.actor.role.is_insurer() { " De andere zorgaanbieders staan er zonder naam of AGB-code in." }
            }
            @for (i, series) in mirror.iter().enumerate() {
                (mirror_chart(i, series))
            }
        }
    };
    Ok(html::page(&state, Some(&user), &title, body).into_response())
}

/// A line's passage (`{"document", "section", "quote"}`) as a citation with its link.
fn source_cite(state: &AppState, src: &Json) -> Markup {
    let get = |k: &str| src.get(k).and_then(Json::as_str).unwrap_or("").to_string();
    let source = zorginkoop_app::policy::Source {
        document: get("document"),
        section: get("section"),
        quote: get("quote"),
    };
    html::citation(state, &source)
}

async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let (bytes, name) = state
        .run(move |s| {
            let detail = settlement::statement(&s.db, &actor, id)?;
            let mirror = settlement::mirror(
                &s.db,
                &actor,
                id,
                settlement::mirror_metrics(&detail.summary.run.domain),
            )?;
            let name = format!(
                "afrekening-{}-{}-{}.xlsx",
                detail.summary.run.domain, detail.summary.run.year, detail.summary.provider_agb
            );
            Ok((settlement::xlsx::statement_xlsx(&detail, &mirror)?, name))
        })
        .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

async fn json(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let actor = user.actor.clone();
    let detail = state
        .run(move |s| settlement::statement(&s.db, &actor, id))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        serde_json::to_string_pretty(&detail.statement).unwrap_or_default(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_dutch() {
        assert_eq!(
            amount_text(&serde_json::json!({"kind": "euro", "value": "116569.12"})),
            "€ 116.569,12"
        );
        assert_eq!(
            amount_text(&serde_json::json!({"kind": "ratio", "value": "0.025"})),
            "2,5 %"
        );
        assert_eq!(
            amount_text(&serde_json::json!({"kind": "hours", "value": "7.5000"})),
            "7,5 uur"
        );
        assert_eq!(
            amount_text(&serde_json::json!({"kind": "count", "value": 1234})),
            "1.234"
        );
        assert_eq!(
            amount_text(&serde_json::json!({"kind": "text", "value": "vrij volume"})),
            "vrij volume"
        );
        assert_eq!(total_text(None), "nog niet af te rekenen");
    }

    #[test]
    fn a_chart_scales_without_floats() {
        assert_eq!(scale(Decimal::new(50, 0), Decimal::new(200, 0), 180), 45);
        assert_eq!(scale(Decimal::new(200, 0), Decimal::new(200, 0), 180), 180);
        assert_eq!(scale(Decimal::new(-5, 0), Decimal::new(200, 0), 180), 0);
        assert_eq!(scale(Decimal::ONE, Decimal::ZERO, 180), 0);
    }
}
