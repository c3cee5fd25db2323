//! The catalogue: the modules of a policy that the organisation's kind may contract, each with
//! the engine's current decision (on the answers of its open application, if any), the passage
//! the decision rests on, and a button to apply (or a link to the open application). The
//! explanation step by step, every step with its citation, is a page per module
//! ([`module`]), which the catalogue loads into the module's "Uitleg per stap" when it is opened
//! (htmx; without JavaScript a link): the catalogue stays small enough to serve quickly.

use super::{decision, is_htmx, require_provider};
use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::state::{AppState, DecisionCache};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use maud::html;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Actor, Organisation};
use zorginkoop_app::applications::{self, Application};
use zorginkoop_app::engine::ModuleDecision;
use zorginkoop_app::policy::{Policy, PolicySet};

/// The policy the catalogue shows by default for GP practices.
pub const GP_DEFAULT: &str = "gp-2022-2023";

/// The provider kinds that are GP practices (their default policy is [`GP_DEFAULT`]).
const GP_KINDS: [&str; 2] = ["practice", "group-practice"];

#[derive(Debug, Deserialize)]
pub struct Which {
    #[serde(default)]
    beleid: Option<String>,
}

/// The policies with modules for this organisation's kind, in the set's order.
pub fn policies_for<'a>(set: &'a PolicySet, org: &Organisation) -> Vec<&'a Policy> {
    set.policies
        .iter()
        .filter(|p| !applications::catalogue(p, org).is_empty())
        .collect()
}

/// The policy to show: the one asked for, else the GP 2022-2023 policy for GP practices, else
/// the first policy with modules for the organisation's kind.
pub fn choose<'a>(
    set: &'a PolicySet,
    org: &Organisation,
    asked: Option<&str>,
) -> Result<&'a Policy, AppError> {
    let offered = policies_for(set, org);
    if let Some(id) = asked.filter(|a| !a.is_empty()) {
        zorginkoop_app::policies::find(set, id)?;
        return offered.into_iter().find(|p| p.id() == id).ok_or_else(|| {
            AppError::NotFound(format!("modules voor uw soort organisatie in beleid {id}"))
        });
    }
    let gp = GP_KINDS
        .contains(&org.kind.as_str())
        .then(|| offered.iter().find(|p| p.id() == GP_DEFAULT).copied())
        .flatten();
    gp.or_else(|| offered.first().copied()).ok_or_else(|| {
        AppError::NotFound("een beleid met modules voor uw soort organisatie".into())
    })
}

/// The open (not granted or refused) application per module of a policy, newest first.
pub fn open_applications<'a>(
    apps: &'a [Application],
    policy_id: &str,
) -> BTreeMap<&'a str, &'a Application> {
    let mut out = BTreeMap::new();
    for a in apps.iter().filter(|a| a.policy_id == policy_id) {
        if !matches!(
            a.state,
            applications::State::Granted | applications::State::Refused
        ) {
            out.entry(a.module.as_str()).or_insert(a);
        }
    }
    out
}

/// What the catalogue reads from the store for the organisation of `actor`: the organisation,
/// the policy to show (its id), the organisation's applications and its contracted modules on
/// `today`, in one read transaction.
fn read_catalogue(
    s: &AppState,
    actor: &Actor,
    asked: Option<&str>,
    today: NaiveDate,
) -> Result<(Organisation, String, Vec<Application>, Vec<String>), AppError> {
    let org = accounts::organisation(&s.db, actor, actor.organisation_id)?;
    let policy_id = choose(&s.policies, &org, asked)?.id().to_string();
    let apps = applications::list_for(&s.db, actor, org.id)?;
    let contracted =
        s.db.read(|tx| applications::contracted_modules(tx, &org, today))?;
    Ok((org, policy_id, apps, contracted))
}

/// The engine's decision on one module of the catalogue: on the answers of the module's open
/// application, else on none. Kept in the state's [`DecisionCache`] under every input of the
/// case, so a page shown again with nothing changed is not decided again.
///
/// [`DecisionCache`]: crate::state::DecisionCache
fn decide(
    s: &AppState,
    policy: &Policy,
    org: &Organisation,
    module: &str,
    open: &BTreeMap<&str, &Application>,
    contracted: &[String],
    today: NaiveDate,
) -> Result<Arc<ModuleDecision>, AppError> {
    let empty = BTreeMap::new();
    let facts = open.get(module).map_or(&empty, |a| &a.facts);
    let kind = applications::provider_kind(org)?;
    let today_text = today.to_string();
    let mut parts = vec![
        policy.id(),
        &policy.sha256,
        &org.name,
        org.agb.as_deref().unwrap_or("\u{0}"),
        kind.as_str(),
        module,
        &today_text,
    ];
    parts.extend(contracted.iter().map(String::as_str));
    let key = DecisionCache::key(&parts, facts);
    s.decisions.get_or_decide(key, || {
        applications::decide_module_with(policy, org, module, facts, contracted, today)
    })
}

/// The address of a module's explanation page.
pub fn explanation_href(policy_id: &str, module: &str) -> String {
    format!(
        "/catalogus/{}/{}",
        html::url_encode(policy_id),
        html::url_encode(module)
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(which): Query<Which>,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let today = state.today_for(actor.organisation_id);
    let (org, policy_id, apps, decisions) = state
        .run(move |s| {
            let (org, policy_id, apps, contracted) =
                read_catalogue(s, &actor, which.beleid.as_deref(), today)?;
            let policy = super::policy(s, &policy_id)?;
            let open = open_applications(&apps, &policy_id);
            let decisions = applications::catalogue(policy, &org)
                .iter()
                .map(|m| decide(s, policy, &org, &m.id, &open, &contracted, today))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((org, policy_id, apps, decisions))
        })
        .await?;
    let policy = super::policy(&state, &policy_id)?;
    let open = open_applications(&apps, &policy_id);
    let offered = policies_for(&state.policies, &org);
    let modules = applications::catalogue(policy, &org);
    let body = html! {
        form.inline method="get" action="/catalogus" {
            label for="beleid" { "Beleid" }
            select id="beleid" name="beleid" {
                @for p in &offered {
                    option value=(p.id()) selected[p.id() == policy_id] {
                        (p.file.policy.title) " (" (p.file.policy.period_start.format("%Y")) "–" (p.file.policy.period_end.format("%Y")) ")"
                    }
                }
            }
            " " button.secondary type="submit" { "Tonen" }
        }
        p {
            (policy.file.policy.summary)
        }
        p.hint {
            "De modules die een " (org_kind(&org)) " kan contracteren, met de beslissing zoals die vandaag ("
            (html::date_nl(today)) ") uitvalt op de antwoorden van uw open aanvraag (zonder aanvraag: zonder antwoorden). "
            "Elke beslissing noemt de passage waarop ze rust; de uitleg per stap, elke stap met zijn bron, opent u per module."
        }
        @for (m, md) in modules.iter().zip(&decisions) {
            @let hid = format!("m-{}", m.id);
            @let explanation = explanation_href(&policy_id, &m.id);
            section.card.module aria-labelledby=(hid) {
                h2 id=(hid) { (m.name) }
                @if !m.summary.is_empty() { p { (m.summary) } }
                p { "Beslissing: " (html::outcome_badge(md.outcome)) }
                @if let Some(w) = decision::window_notice(&state, md, today) { (w) }
                @if !md.missing_facts.is_empty() {
                    p.hint { "Nog " (md.missing_facts.len()) " antwoord(en) nodig; die geeft u in de aanvraag." }
                }
                (decision::obstacles(md))
                (decision::start_dates(md))
                (decision::grounds(&state, md))
                details.explanation hx-get=(explanation) hx-trigger="toggle once" hx-target="find .uitleg" hx-swap="innerHTML" {
                    summary { "Uitleg per stap, met de bron" }
                    div.uitleg {
                        p { a href=(explanation) { "De uitleg per stap van " (m.name) ", met de passages" } }
                    }
                }
                @if let Some(a) = open.get(m.id.as_str()) {
                    p {
                        a.button href={"/aanvragen/" (a.id)} { "Naar de aanvraag" }
                        " (" (a.state.label()) ")"
                    }
                } @else if !m.contractable {
                    p.hint { "Deze module is (nog) niet te contracteren"
                        @if let Some(r) = &m.not_contractable_reason { ": " (r) } "." }
                } @else {
                    form method="post" action="/aanvragen" {
                        (html::csrf_field(&user))
                        input type="hidden" name="beleid" value=(policy_id);
                        input type="hidden" name="module" value=(m.id);
                        button type="submit" aria-describedby=(hid) { "Aanvragen" }
                    }
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), "Catalogus", body).into_response())
}

/// One module of the catalogue with its decision explained step by step, every step with the
/// passage it rests on. For htmx (the catalogue's "Uitleg per stap" opened) only the steps.
pub async fn module(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((policy_id, module)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let today = state.today_for(actor.organisation_id);
    let (policy_id, md, open) = state
        .run(move |s| {
            let (org, policy_id, apps, contracted) =
                read_catalogue(s, &actor, Some(&policy_id), today)?;
            let policy = super::policy(s, &policy_id)?;
            if !applications::catalogue(policy, &org)
                .iter()
                .any(|m| m.id == module)
            {
                return Err(AppError::NotFound(format!(
                    "module {module} voor uw soort organisatie in beleid {policy_id}"
                )));
            }
            let open = open_applications(&apps, &policy_id);
            let md = decide(s, policy, &org, &module, &open, &contracted, today)?;
            let open = open.get(module.as_str()).map(|a| (a.id, a.state.label()));
            Ok((policy_id, md, open))
        })
        .await?;
    if is_htmx(&headers) {
        return Ok(Html(decision::steps(&state, &md.steps).into_string()).into_response());
    }
    let policy = super::policy(&state, &policy_id)?;
    let m = policy
        .module(&md.module)
        .ok_or_else(|| AppError::NotFound(format!("module {}", md.module)))?;
    let body = html! {
        p {
            a href={"/catalogus?beleid=" (html::url_encode(&policy_id))} { "Terug naar de catalogus" }
            " · " (policy.file.policy.title)
        }
        @if !m.summary.is_empty() { p { (m.summary) } }
        p.hint {
            "De beslissing zoals die vandaag (" (html::date_nl(today)) ") uitvalt op de antwoorden van uw open aanvraag "
            "(zonder aanvraag: zonder antwoorden), met elke stap en de passage waarop hij rust."
        }
        section.card.module {
            (decision::full(&state, policy, &md, today, false))
            @if let Some((id, label)) = open {
                p {
                    a.button href={"/aanvragen/" (id)} { "Naar de aanvraag" }
                    " (" (label) ")"
                }
            }
        }
    };
    Ok(html::page(&state, Some(&user), &m.name, body).into_response())
}

fn org_kind(org: &Organisation) -> String {
    applications::provider_kind(org)
        .map(|k| k.dutch().to_string())
        .unwrap_or_else(|_| org.kind.clone())
}
