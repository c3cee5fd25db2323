//! Proposals and contracts: the organisation's list, and one proposal with its exact text, the
//! tariffs (policy value beside the proposed one), the agreement summary ("samenvatting") as a
//! section and as a PDF, and for the signer the forms to sign or refuse. Others read the note
//! that only a signer can; the use case refuses them anyway (403). Signing sends the SHA-256 of
//! the text shown, the client's address and user agent. Once signed, the receipt is a PDF.

use super::{decimal_nl, module_name, pdf, policy_title, require_provider};
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::str::FromStr;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::Role;
use zorginkoop_app::proposals::{self, Proposal, Signature, State as ProposalState, TariffTerm};

/// The note shown to everyone who may not sign.
pub const ONLY_SIGNER: &str = "Alleen een tekenbevoegde kan dit voorstel ondertekenen of weigeren.";

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let props = state
        .run(move |s| proposals::list_for(&s.db, &actor, actor.organisation_id))
        .await?;
    let body = html! {
        p { "De voorstellen van de zorgverzekeraar en uw contracten. Een voorstel ondertekent of weigert de tekenbevoegde van uw organisatie." }
        (super::dashboard::proposals_table(&state, &props, state.today_for(user.actor.organisation_id)))
    };
    Ok(html::page(&state, Some(&user), "Voorstellen en contracten", body).into_response())
}

/// A tariff value for people: euros as `€ 12,50`, ratios with their percentage, hours and the
/// like with their unit.
pub fn term_value(unit: &str, value: &str) -> String {
    let plain = decimal_nl(value.trim());
    match unit {
        "eur" => proposals::euro_to_cents("tarief", value)
            .map(html::euro)
            .unwrap_or(plain),
        "ratio" => match Decimal::from_str(value.trim()) {
            Ok(d) => format!(
                "{plain} ({} %)",
                decimal_nl(&(d * Decimal::ONE_HUNDRED).normalize().to_string())
            ),
            Err(_) => plain,
        },
        "hours" => format!("{plain} uur"),
        "minutes" => format!("{plain} minuten"),
        "weeks" => format!("{plain} weken"),
        "days" => format!("{plain} dagen"),
        _ => plain,
    }
}

fn term_summary(t: &TariffTerm) -> String {
    let proposed = term_value(&t.unit, &t.proposed_value);
    match &t.policy_value {
        Some(pv) if pv.trim() == t.proposed_value.trim() => {
            format!("{proposed} (gelijk aan het beleid)")
        }
        Some(pv) => format!("{proposed} (beleid: {})", term_value(&t.unit, pv)),
        None => format!("{proposed} (het beleid geeft geen waarde)"),
    }
}

fn period(p: &Proposal) -> String {
    format!(
        "{} tot en met {}",
        html::date_nl(p.start),
        p.end
            .map(html::date_nl)
            .unwrap_or_else(|| "onbepaalde tijd".into())
    )
}

fn status(p: &Proposal, today: chrono::NaiveDate) -> String {
    match p.contract_status(today) {
        Some(c) => format!("{} · {c}", p.state.label()),
        None => p.state.label().to_string(),
    }
}

/// The agreement summary as (key, value) rows: the page's section and the PDF show the same.
pub fn summary_rows(state: &AppState, p: &Proposal) -> Vec<(String, String)> {
    let policy = state.policies.get(&p.policy_id);
    let mut rows = vec![
        (
            "Zorgverzekeraar".to_string(),
            policy
                .map(|x| x.file.policy.insurer.clone())
                .unwrap_or_else(|| "-".into()),
        ),
        ("Zorgaanbieder".to_string(), p.organisation_name.clone()),
        (
            "Module".to_string(),
            format!(
                "{} ({})",
                module_name(state, &p.policy_id, &p.module),
                p.module
            ),
        ),
        (
            "Beleid".to_string(),
            match policy {
                Some(x) => format!("{}, versie {}", x.file.policy.title, x.file.policy.version),
                None => p.policy_id.clone(),
            },
        ),
        ("Looptijd".to_string(), period(p)),
    ];
    for t in &p.terms {
        rows.push((t.label.clone(), term_summary(t)));
    }
    if let Some(c) = p.ceiling_cents {
        rows.push(("Omzetplafond".into(), html::euro(c)));
    }
    rows.push((
        "Status".into(),
        status(p, state.today_for(p.organisation_id)),
    ));
    rows.push((
        "Voorgesteld".into(),
        format!("{}, {}", p.proposed_by, html::timestamp_nl(&p.proposed_at)),
    ));
    if let (Some(by), Some(at)) = (&p.answered_by, &p.answered_at) {
        let what = if p.state == ProposalState::Refused {
            "Geweigerd"
        } else {
            "Ondertekend"
        };
        rows.push((what.into(), format!("{by}, {}", html::timestamp_nl(at))));
    }
    if let Some(r) = &p.refusal_reason {
        rows.push(("Reden van weigering".into(), r.clone()));
    }
    rows.push((super::pdf::SHA_ROW.into(), p.text_sha256.clone()));
    rows
}

fn tariffs_table(p: &Proposal) -> Markup {
    html! {
        @if p.terms.is_empty() {
            p.hint { "Dit voorstel noemt geen tarieven uit het beleid." }
        } @else {
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th scope="col" { "Tarief" }
                            th scope="col" { "Waarde in het beleid" }
                            th scope="col" { "Voorgesteld" }
                        }
                    }
                    tbody {
                        @for t in &p.terms {
                            tr {
                                th scope="row" { (t.label) br; span.hint { (t.parameter) } }
                                td { @match &t.policy_value { Some(v) => (term_value(&t.unit, v)), None => "—" } }
                                td {
                                    (term_value(&t.unit, &t.proposed_value))
                                    @if t.policy_value.as_deref().map(str::trim) != Some(t.proposed_value.trim()) {
                                        " " strong { "(afwijkend van het beleid)" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(c) = p.ceiling_cents {
            p { "Omzetplafond: " (html::euro(c)) }
        }
    }
}

fn signing(user: &CurrentUser, p: &Proposal, reason: &str, error: Option<&str>) -> Markup {
    let signer =
        user.actor.role == Role::ProviderSigner && user.actor.organisation_id == p.organisation_id;
    html! {
        section aria-labelledby="beantwoorden" {
            h2 id="beantwoorden" { "Ondertekenen of weigeren" }
            @if let Some(e) = error {
                p.error role="alert" { (e) }
            }
            @if signer {
                p { "U bent tekenbevoegd voor " (p.organisation_name) ". Met ondertekenen gaat u akkoord met de tekst hierboven; "
                    "vastgelegd worden wie, wanneer, vanaf welk adres en met welke browser, en de SHA-256 van de tekst." }
                form method="post" action={"/voorstellen/" (p.id) "/ondertekenen"} {
                    (html::csrf_field(user))
                    input type="hidden" name="text_sha256" value=(p.text_sha256);
                    button type="submit" { "Ondertekenen" }
                }
                form method="post" action={"/voorstellen/" (p.id) "/weigeren"} {
                    (html::csrf_field(user))
                    input type="hidden" name="text_sha256" value=(p.text_sha256);
                    label for="reden" { "Reden" }
                    textarea id="reden" name="reden" required { (reason) }
                    p { button.danger type="submit" { "Weigeren" } }
                }
            } @else {
                p.notice role="note" { (ONLY_SIGNER) }
            }
        }
    }
}

fn render(state: &AppState, user: &CurrentUser, p: &Proposal, extra: &Extra) -> Markup {
    html! {
        @if let Some(n) = extra.notice {
            p.notice role="status" { (n) }
        }
        dl.kv {
            dt { "Zorgaanbieder" } dd { (p.organisation_name) }
            dt { "Module" } dd { (module_name(state, &p.policy_id, &p.module)) }
            dt { "Beleid" } dd { (policy_title(state, &p.policy_id)) }
            dt { "Status" } dd { strong { (status(p, state.today_for(p.organisation_id))) } }
            dt { "Looptijd" } dd { (period(p)) }
            @if let Some(a) = p.application_id {
                @if user.actor.role.is_provider() {
                    dt { "Aanvraag" } dd { a href={"/aanvragen/" (a)} { "Aanvraag " (a) } }
                }
            }
        }
        h2 { "Tarieven" }
        (tariffs_table(p))
        h2 { "Tekst van het voorstel" }
        p.hint { "Dit is de exacte tekst die de tekenbevoegde ondertekent (SHA-256 " code { (p.text_sha256) } ")." }
        pre.document { (p.text) }
        section id="samenvatting" aria-labelledby="samenvatting-kop" {
            h2 id="samenvatting-kop" { "Samenvatting" }
            dl.kv {
                @for (k, v) in summary_rows(state, p) {
                    dt { (k) } dd { (v) }
                }
            }
            p {
                a href={"/voorstellen/" (p.id) "/samenvatting.pdf"} { "Samenvatting (PDF)" }
                @if p.state == ProposalState::Accepted {
                    " · " a href={"/voorstellen/" (p.id) "/ontvangstbewijs.pdf"} { "Ontvangstbewijs (PDF)" }
                }
            }
        }
        @if p.state == ProposalState::Proposed {
            (signing(user, p, &extra.reason, extra.error.as_deref()))
        }
    }
}

#[derive(Debug, Default)]
struct Extra {
    notice: Option<&'static str>,
    error: Option<String>,
    reason: String,
}

fn title(state: &AppState, p: &Proposal) -> String {
    let what = if p.state == ProposalState::Administrative {
        "Contract"
    } else {
        "Voorstel"
    };
    format!(
        "{what} {}: {}",
        p.id,
        module_name(state, &p.policy_id, &p.module)
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    ondertekend: Option<String>,
    #[serde(default)]
    geweigerd: Option<String>,
}

async fn get(state: &AppState, user: &CurrentUser, id: i64) -> Result<Proposal, AppError> {
    let actor = user.actor.clone();
    state.run(move |s| proposals::get(&s.db, &actor, id)).await
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, PortalError> {
    let p = get(&state, &user, id).await?;
    let notice = if flash.ondertekend.is_some() {
        Some(
            "U heeft het voorstel ondertekend. Het contract is vastgelegd; het ontvangstbewijs staat hieronder.",
        )
    } else if flash.geweigerd.is_some() {
        Some("U heeft het voorstel geweigerd. De zorginkoper leest uw reden.")
    } else {
        None
    };
    let extra = Extra {
        notice,
        ..Extra::default()
    };
    let body = render(&state, &user, &p, &extra);
    Ok(html::page(&state, Some(&user), &title(&state, &p), body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Answer {
    #[serde(default)]
    text_sha256: String,
    #[serde(default)]
    reden: String,
}

async fn answer(
    state: AppState,
    id: i64,
    posted: Posted<Answer>,
    accept: bool,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    let actor = user.actor.clone();
    let client = user.client.clone();
    let now = state.now_for(actor.organisation_id);
    let reason = form.reden.clone();
    let result = state
        .run(move |s| {
            let sig = Signature {
                ip: &client.ip,
                user_agent: &client.user_agent,
                text_sha256: &form.text_sha256,
            };
            let reason = (!accept).then_some(form.reden.as_str());
            proposals::answer(&s.db, &actor, id, accept, reason, &sig, now)
        })
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/voorstellen/{id}?{}=1",
            if accept { "ondertekend" } else { "geweigerd" }
        ))
        .into_response()),
        Err(e @ (AppError::Conflict(_) | AppError::Invalid { .. })) => {
            let p = get(&state, &user, id).await?;
            let extra = Extra {
                error: Some(e.to_string()),
                reason,
                ..Extra::default()
            };
            let body = render(&state, &user, &p, &extra);
            Ok((
                crate::error::status(&e),
                html::page(&state, Some(&user), &title(&state, &p), body),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn sign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Answer>,
) -> Result<Response, PortalError> {
    answer(state, id, posted, true).await
}

pub async fn refuse(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted<Answer>,
) -> Result<Response, PortalError> {
    answer(state, id, posted, false).await
}

pub async fn summary_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let p = get(&state, &user, id).await?;
    let doc = pdf::summary(&state, &p);
    Ok(pdf::response(
        zorginkoop_pdf::render(&doc),
        &format!("samenvatting-voorstel-{id}.pdf"),
    ))
}

pub async fn receipt_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PortalError> {
    let p = get(&state, &user, id).await?;
    let doc = pdf::receipt(&state, &p).ok_or_else(|| {
        AppError::NotFound(format!(
            "een ontvangstbewijs van voorstel {id}: het is (nog) niet ondertekend"
        ))
    })?;
    Ok(pdf::response(
        zorginkoop_pdf::render(&doc),
        &format!("ontvangstbewijs-voorstel-{id}.pdf"),
    ))
}

#[cfg(test)]
mod tests {
    use super::term_value;

    #[test]
    fn tariffs_are_written_with_their_unit() {
        assert_eq!(term_value("eur", "12.50"), "€ 12,50");
        assert_eq!(term_value("ratio", "0.15"), "0,15 (15 %)");
        assert_eq!(term_value("hours", "12"), "12 uur");
        assert_eq!(term_value("eur", "geen bedrag"), "geen bedrag");
    }
}
