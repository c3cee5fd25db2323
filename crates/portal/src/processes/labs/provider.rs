//! The laboratory's and the thrombosis service's pages: for a laboratory the two contracts side
//! by side on its own figures (its settlement statement's when the insurer has one, else as
//! entered), the choice with the contract's conditions, and the request to expand or move
//! production; for a thrombosis service the contract with its ceiling from volume and price per
//! product. One form each, usable without JavaScript: "Vergelijken" / "Plafond berekenen"
//! recomputes, "Kiezen en aanvragen" / "Aanvragen" applies.

use super::{
    comparison_view, count_field, counts_from, euro_field, field, figures_table, products_fields,
    products_from, request_figures,
};
use crate::auth::{CurrentUser, Posted};
use crate::error::PortalError;
use crate::html;
use crate::pages::provider::facts_form::{self, Raw};
use crate::pages::provider::require_provider;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use std::collections::BTreeMap;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts;
use zorginkoop_app::labs::{
    self, ChangeRequest, Comparison, FigureSource, Inputs, Request, ThrombosisCeiling, spec,
};
use zorginkoop_app::policy::FactDecl;

/// The module's name as the policy has it.
pub fn module_name(state: &AppState, module: &str) -> String {
    crate::pages::provider::module_name(state, labs::POLICY, module)
}

struct View {
    kind: String,
    statement: Option<Inputs>,
    requests: Vec<Request>,
    /// The facts the regular and the preferred contract ask (each once).
    choice_facts: Vec<FactDecl>,
    thrombosis_facts: Vec<FactDecl>,
}

fn decls(state: &AppState, module: &str) -> Result<Vec<FactDecl>, AppError> {
    let policy = zorginkoop_app::policies::find(&state.policies, labs::POLICY)?;
    zorginkoop_app::applications::module_facts(policy, module)
}

async fn load(state: &AppState, user: &CurrentUser) -> Result<View, AppError> {
    let actor = user.actor.clone();
    state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, actor.organisation_id)?;
            if org.kind != "laboratory" && org.kind != "thrombosis-service" {
                return Err(AppError::Forbidden(format!(
                    "deze pagina is voor laboratoria en trombosediensten; {} is een {}",
                    org.name, org.kind
                )));
            }
            let statement = if org.kind == "laboratory" {
                labs::statement_inputs(&s.db, &actor)?
            } else {
                None
            };
            let mut choice_facts = decls(s, labs::PREFERRED)?;
            for d in decls(s, labs::REGULAR)? {
                if !choice_facts.iter().any(|c| c.id == d.id) {
                    choice_facts.push(d);
                }
            }
            Ok(View {
                kind: org.kind,
                statement,
                requests: labs::list(&s.db, &actor)?,
                choice_facts,
                thrombosis_facts: decls(s, labs::THROMBOSIS)?,
            })
        })
        .await
}

/// What the lab page shows beyond the view.
#[derive(Default)]
struct Shown<'a> {
    pairs: &'a [(String, String)],
    comparison: Option<Comparison>,
    ceiling: Option<ThrombosisCeiling>,
    problem: Option<String>,
    fact_problems: BTreeMap<String, String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let view = load(&state, &user).await?;
    let mut shown = Shown::default();
    if let Some(i) = &view.statement {
        let policy = zorginkoop_app::policies::find(&state.policies, labs::POLICY)?;
        shown.comparison = Some(labs::compare(policy, i)?);
    }
    Ok(render(&state, &user, &view, &shown).into_response())
}

fn render(
    state: &AppState,
    user: &CurrentUser,
    view: &View,
    shown: &Shown,
) -> axum::response::Html<String> {
    let (title, body) = if view.kind == "laboratory" {
        (
            "Eerstelijnsdiagnostiek 2020: kies uw overeenkomst",
            lab_body(state, user, view, shown),
        )
    } else {
        (
            "Trombosezorg 2020: overeenkomst en omzetplafond",
            thrombosis_body(state, user, view, shown),
        )
    };
    html::page(state, Some(user), title, body)
}

fn requests_table(state: &AppState, requests: &[Request]) -> Markup {
    html! {
        section aria-labelledby="verzoeken" {
            h2 id="verzoeken" { "Uw keuzes en verzoeken" }
            @if requests.is_empty() {
                p { "Nog geen." }
            } @else {
                div.table-wrap { table {
                    caption { "Uw keuzes en verzoeken" }
                    thead { tr { th scope="col" { "Wat" } th scope="col" { "Overeenkomst" } th scope="col" { "Status" } th scope="col" { "Ingediend" } } }
                    tbody {
                        @for r in requests {
                            tr {
                                td { a href={"/labs/verzoeken/" (r.id)} { (r.kind.label()) } }
                                td { (module_name(state, &r.module)) }
                                td.status { (r.status_label()) }
                                td { (html::timestamp_nl(&r.created_at)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn problem_view(shown: &Shown) -> Markup {
    html! {
        @if let Some(p) = &shown.problem { p.error role="alert" { (p) } }
    }
}

fn raw(shown: &Shown) -> Raw {
    facts_form::raw_from_pairs(shown.pairs)
}

fn lab_body(state: &AppState, user: &CurrentUser, view: &View, shown: &Shown) -> Markup {
    let from_statement = view.statement.is_some() && field(shown.pairs, "bron") != "ingevoerd";
    let pairs = shown.pairs;
    html! {
        p { "Voor eerstelijnsdiagnostiek zijn er twee overeenkomsten: de reguliere overeenkomst (één jaar, omzetplafond; "
            "wat boven het plafond wordt geproduceerd, wordt niet betaald) en de voorkeursovereenkomst (twee jaar, referentieprijzen; "
            "overproductie wordt met een staffelkorting betaald als orders per patiënt en analyses per order elk niet meer dan 2,5 % "
            "zijn gegroeid ten opzichte van 2018). Hieronder ziet u beide op uw eigen cijfers." }
        (html::citation(state, &spec::CHOICE.source()))
        (problem_view(shown))
        (requests_table(state, &view.requests))
        form method="post" action="/labs/keuze" {
            (html::csrf_field(user))
            section aria-labelledby="cijfers" {
                h2 id="cijfers" { "Uw cijfers" }
                @if let Some(FigureSource::Statement { statement_id, year }) = view.statement.as_ref().map(|s| &s.source) {
                    fieldset {
                        legend { "Bron van de cijfers" }
                        div.choice {
                            input type="radio" id="bron-declaraties" name="bron" value="declaraties" checked[from_statement];
                            label for="bron-declaraties" { "Uit uw declaraties (afrekening " (statement_id) " over " (year) ")" }
                            input type="radio" id="bron-ingevoerd" name="bron" value="ingevoerd" checked[!from_statement];
                            label for="bron-ingevoerd" { "Zelf ingevoerd (hieronder)" }
                        }
                    }
                } @else {
                    p.hint { "Zilveren Kruis heeft (nog) geen afrekening met uw productiecijfers: vul ze zelf in. De vergelijking vermeldt dat ze zijn ingevoerd." }
                    input type="hidden" name="bron" value="ingevoerd";
                }
                (products_fields(pairs, &["Bloedonderzoek (referentieprijs)", "Overige diagnostiek (maximumprijs)"]))
                (html::citation(state, &spec::LAB_CEILING.source()))
                (html::citation(state, &spec::LAB_VOLUME.source()))
                div.field {
                    label for="productie" { "Verwachte productie van het jaar, alle locaties samen (euro)" }
                    input id="productie" name="productie" inputmode="decimal" value=(field(pairs, "productie"));
                }
                fieldset {
                    legend { "Patiënten, orders en analyses" }
                    div.table-wrap { table {
                        caption { "Aantallen in 2018 en in het jaar" }
                        thead { tr { th scope="col" { "Aantal" } th scope="col" { "2018" } th scope="col" { "Het jaar (prognose)" } } }
                        tbody {
                            @for (name, label) in [("patienten", "Patiënten"), ("orders", "Orders"), ("analyses", "Analyses")] {
                                tr {
                                    th scope="row" { (label) }
                                    td { label.visually-hidden for={(name) "-2018"} { (label) " 2018" }
                                         input id={(name) "-2018"} name={(name) "-2018"} inputmode="numeric" value=(field(pairs, &format!("{name}-2018"))); }
                                    td { label.visually-hidden for=(name) { (label) " in het jaar" }
                                         input id=(name) name=(name) inputmode="numeric" value=(field(pairs, name)); }
                                }
                            }
                        }
                    } }
                }
                p { button.secondary type="submit" name="actie" value="vergelijken" { "Vergelijken" } }
            }
            @if let Some(c) = &shown.comparison {
                (comparison_view(state, c))
            }
            section aria-labelledby="kiezen" {
                h2 id="kiezen" { "Kiezen en aanvragen" }
                p { "Kies de overeenkomst en beantwoord de voorwaarden. De aanvraag gaat met uw cijfers naar de zorginkoper; "
                    "na toekenning krijgt u een voorstel met het omzetplafond, dat uw tekenbevoegde ondertekent." }
                fieldset {
                    legend { "Overeenkomst" }
                    div.choice {
                        input type="radio" id="keuze-regulier" name="overeenkomst" value=(labs::REGULAR) checked[field(pairs, "overeenkomst") == labs::REGULAR];
                        label for="keuze-regulier" { (module_name(state, labs::REGULAR)) }
                        input type="radio" id="keuze-voorkeur" name="overeenkomst" value=(labs::PREFERRED) checked[field(pairs, "overeenkomst") == labs::PREFERRED];
                        label for="keuze-voorkeur" { (module_name(state, labs::PREFERRED)) }
                    }
                }
                p.hint { "De vragen over referentieprijzen, marktconforme prijzen en prijstransparantie gelden alleen voor de voorkeursovereenkomst." }
                (facts_form::fields(&view.choice_facts, &raw(shown), &shown.fact_problems))
                p { button type="submit" name="actie" value="kiezen" { "Kiezen en aanvragen" } }
            }
        }
        section aria-labelledby="productie-verzoek" {
            h2 id="productie-verzoek" { "Productie uitbreiden of verplaatsen" }
            p { "Een verzoek om productie uit te breiden of te verplaatsen gaat naar uw inkoper; het beleid noemt er geen termijn voor." }
            (html::citation(state, &spec::PRODUCTION_CHANGE.source()))
            form method="post" action="/labs/verzoek" {
                (html::csrf_field(user))
                fieldset {
                    legend { "Wat wilt u" }
                    div.choice {
                        input type="radio" id="soort-uitbreiden" name="soort" value="uitbreiden" checked[field(pairs, "soort") != "verplaatsen"];
                        label for="soort-uitbreiden" { "Uitbreiden" }
                        input type="radio" id="soort-verplaatsen" name="soort" value="verplaatsen" checked[field(pairs, "soort") == "verplaatsen"];
                        label for="soort-verplaatsen" { "Verplaatsen" }
                    }
                }
                div.field { label for="locatie" { "Locatie" } input id="locatie" name="locatie" value=(field(pairs, "locatie")); }
                div.field { label for="ingangsdatum" { "Met ingang van (de eerste van een maand)" } input id="ingangsdatum" type="date" name="ingangsdatum" value=(field(pairs, "ingangsdatum")); }
                div.field { label for="toelichting" { "Toelichting" } textarea id="toelichting" name="toelichting" rows="3" { (field(pairs, "toelichting")) } }
                p { button type="submit" { "Verzoek indienen" } }
            }
        }
    }
}

fn thrombosis_body(state: &AppState, user: &CurrentUser, view: &View, shown: &Shown) -> Markup {
    let pairs = shown.pairs;
    html! {
        p { "Trombosediensten krijgen één overeenkomst: een jaar, met prijs- en volumeafspraken per product en een omzetplafond. "
            "Overschrijdingen van het plafond worden niet betaald." }
        (html::citation(state, &spec::THROMBOSIS_CEILING.source()))
        (problem_view(shown))
        (requests_table(state, &view.requests))
        form method="post" action="/labs/trombose" {
            (html::csrf_field(user))
            section aria-labelledby="producten" {
                h2 id="producten" { "Volume en prijs per product" }
                (products_fields(pairs, &["Trombosezorg", "Zelfmeten"]))
                (html::citation(state, &spec::THROMBOSIS_VOLUME.source()))
                p { button.secondary type="submit" name="actie" value="berekenen" { "Plafond berekenen" } }
            }
            @if let Some(t) = &shown.ceiling {
                section aria-labelledby="plafond" {
                    h2 id="plafond" { "Omzetplafond" }
                    p { "Omzetplafond: " strong.total { (zorginkoop_app::policy::dutch::euro(t.ceiling)) } }
                    (figures_table(state, "Hoe het plafond is berekend", &t.figures))
                }
            }
            section aria-labelledby="aanvragen" {
                h2 id="aanvragen" { "Aanvragen" }
                (facts_form::fields(&view.thrombosis_facts, &raw(shown), &shown.fact_problems))
                p { button type="submit" name="actie" value="aanvragen" { "Overeenkomst aanvragen" } }
            }
        }
    }
}

fn entered_inputs(pairs: &[(String, String)]) -> Result<Inputs, AppError> {
    let production = field(pairs, "productie");
    if production.is_empty() {
        return Err(AppError::Invalid {
            field: "productie".into(),
            problem: "vul de verwachte productie van het jaar in".into(),
        });
    }
    Ok(Inputs {
        source: FigureSource::Entered,
        products: products_from(pairs)?,
        ceiling: None,
        production: euro_field(production, "productie")?,
        counts_2018: counts_from(pairs, "-2018", "2018")?,
        counts: counts_from(pairs, "", "het jaar")?,
        means: None,
    })
}

fn answers_for(
    decls: &[FactDecl],
    pairs: &[(String, String)],
) -> Result<BTreeMap<String, Option<serde_json::Value>>, BTreeMap<String, String>> {
    facts_form::answers(decls, &facts_form::raw_from_pairs(pairs))
}

fn failed(
    state: &AppState,
    user: &CurrentUser,
    view: &View,
    mut shown: Shown,
    e: AppError,
) -> Result<Response, PortalError> {
    let code = crate::error::status(&e);
    if !matches!(
        code,
        StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
    ) {
        return Err(e.into());
    }
    shown.problem = Some(e.to_string());
    Ok((code, render(state, user, view, &shown)).into_response())
}

pub async fn choose(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let view = load(&state, &user).await?;
    if view.kind != "laboratory" {
        return Err(AppError::Forbidden(
            "kiezen tussen de overeenkomsten kan alleen een laboratorium".into(),
        )
        .into());
    }
    let mut shown = Shown {
        pairs: &form,
        ..Shown::default()
    };
    let inputs = match (field(&form, "bron"), &view.statement) {
        ("ingevoerd", _) | (_, None) => entered_inputs(&form),
        (_, Some(s)) => Ok(s.clone()),
    };
    let inputs = match inputs {
        Ok(i) => i,
        Err(e) => return failed(&state, &user, &view, shown, e),
    };
    let policy = zorginkoop_app::policies::find(&state.policies, labs::POLICY)?;
    match labs::compare(policy, &inputs) {
        Ok(c) => shown.comparison = Some(c),
        Err(e) => return failed(&state, &user, &view, shown, e),
    }
    if field(&form, "actie") != "kiezen" {
        return Ok(render(&state, &user, &view, &shown).into_response());
    }
    let module = field(&form, "overeenkomst").to_string();
    if module != labs::REGULAR && module != labs::PREFERRED {
        let e = AppError::Invalid {
            field: "overeenkomst".into(),
            problem: "kies de reguliere overeenkomst of de voorkeursovereenkomst".into(),
        };
        return failed(&state, &user, &view, shown, e);
    }
    let module_decls = decls(&state, &module)?;
    let answers = match answers_for(&module_decls, &form) {
        Ok(a) => a,
        Err(problems) => {
            shown.fact_problems = problems;
            let e = AppError::Invalid {
                field: "voorwaarden".into(),
                problem: "niet alle antwoorden zijn goed; zie de velden".into(),
            };
            return failed(&state, &user, &view, shown, e);
        }
    };
    let actor = user.actor.clone();
    let org = actor.organisation_id;
    let (today, now) = (state.today_for(org), state.now_for(org));
    let result = state
        .run(move |s| {
            labs::choose(
                &s.db,
                &s.policies,
                &actor,
                &module,
                &inputs,
                &answers,
                today,
                now,
            )
        })
        .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/labs/verzoeken/{id}")).into_response()),
        Err(e) => failed(&state, &user, &view, shown, e),
    }
}

pub async fn thrombosis(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let view = load(&state, &user).await?;
    if view.kind != "thrombosis-service" {
        return Err(AppError::Forbidden(
            "de overeenkomst trombosezorg is voor trombosediensten".into(),
        )
        .into());
    }
    let mut shown = Shown {
        pairs: &form,
        ..Shown::default()
    };
    let policy = zorginkoop_app::policies::find(&state.policies, labs::POLICY)?;
    let products = match products_from(&form).and_then(|p| {
        let t = labs::thrombosis_ceiling(policy, &p)?;
        Ok((p, t))
    }) {
        Ok((p, t)) => {
            shown.ceiling = Some(t);
            p
        }
        Err(e) => return failed(&state, &user, &view, shown, e),
    };
    if field(&form, "actie") != "aanvragen" {
        return Ok(render(&state, &user, &view, &shown).into_response());
    }
    let answers = match answers_for(&view.thrombosis_facts, &form) {
        Ok(a) => a,
        Err(problems) => {
            shown.fact_problems = problems;
            let e = AppError::Invalid {
                field: "voorwaarden".into(),
                problem: "niet alle antwoorden zijn goed; zie de velden".into(),
            };
            return failed(&state, &user, &view, shown, e);
        }
    };
    let actor = user.actor.clone();
    let org = actor.organisation_id;
    let (today, now) = (state.today_for(org), state.now_for(org));
    let result = state
        .run(move |s| {
            labs::request_thrombosis(&s.db, &s.policies, &actor, &products, &answers, today, now)
        })
        .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/labs/verzoeken/{id}")).into_response()),
        Err(e) => failed(&state, &user, &view, shown, e),
    }
}

pub async fn change(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, PortalError> {
    let Posted { user, form } = posted;
    require_provider(&user)?;
    let view = load(&state, &user).await?;
    let shown = Shown {
        pairs: &form,
        ..Shown::default()
    };
    let from = field(&form, "ingangsdatum");
    let change = match from.parse() {
        Ok(from) => ChangeRequest {
            change: field(&form, "soort").to_string(),
            location: field(&form, "locatie").to_string(),
            from,
            motivation: field(&form, "toelichting").to_string(),
        },
        Err(_) => {
            let e = AppError::Invalid {
                field: "ingangsdatum".into(),
                problem: format!("{from:?} is geen datum"),
            };
            return failed(&state, &user, &view, shown, e);
        }
    };
    let actor = user.actor.clone();
    let org = actor.organisation_id;
    let (today, now) = (state.today_for(org), state.now_for(org));
    let result = state
        .run(move |s| labs::request_change(&s.db, &s.policies, &actor, &change, today, now))
        .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/labs/verzoeken/{id}")).into_response()),
        Err(e) => failed(&state, &user, &view, shown, e),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    let id = count_field(&id, "verzoek")
        .ok()
        .and_then(|i| i64::try_from(i).ok())
        .ok_or_else(|| AppError::NotFound(format!("verzoek {id}")))?;
    let actor = user.actor.clone();
    let r = state.run(move |s| labs::get(&s.db, &actor, id)).await?;
    let figures = request_figures(&state, &r)?;
    let body = html! {
        dl.kv {
            dt { "Wat" } dd { (r.kind.label()) }
            dt { "Overeenkomst" } dd { (module_name(&state, &r.module)) }
            dt { "Status" } dd.status { (r.status_label()) }
            dt { "Aanvraag" } dd { a href={"/aanvragen/" (r.application_id)} { "aanvraag " (r.application_id) } }
            @if let Some(p) = &r.proposal {
                dt { "Voorstel" } dd { a href={"/voorstellen/" (p.id)} { "voorstel " (p.id) } " (" (p.state.label()) ")" }
            }
            @if let Some(reason) = &r.application.reason {
                dt { "Toelichting van de zorginkoper" } dd { (reason) }
            }
        }
        @if r.proposal.as_ref().is_some_and(|p| p.state == zorginkoop_app::proposals::State::Proposed) {
            p.notice role="status" { "Er ligt een voorstel klaar. " a href={"/voorstellen/" (r.proposal.as_ref().map(|p| p.id).unwrap_or_default())} { "Naar het voorstel" } " (ondertekenen kan alleen uw tekenbevoegde)." }
        }
        (figures)
        p { a href="/labs" { "Terug naar het overzicht" } }
    };
    Ok(html::page(
        &state,
        Some(&user),
        &format!("{} {}", capitalised(r.kind.label()), r.organisation_name),
        body,
    )
    .into_response())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
