//! The catalogue: the modules of a policy that the organisation's kind may contract, each with
//! the engine's current decision (on the answers of its open application, if any) and the
//! explanation with citations, and a button to apply (or a link to the open application).

use super::{decision, require_provider};
use crate::auth::CurrentUser;
use crate::error::PortalError;
use crate::html;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use std::collections::BTreeMap;
use zorginkoop_app::AppError;
use zorginkoop_app::accounts::{self, Organisation};
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

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(which): Query<Which>,
) -> Result<Response, PortalError> {
    require_provider(&user)?;
    let actor = user.actor.clone();
    let today = state.today();
    let (org, policy_id, apps, decisions) = state
        .run(move |s| {
            let org = accounts::organisation(&s.db, &actor, actor.organisation_id)?;
            let policy = choose(&s.policies, &org, which.beleid.as_deref())?;
            let apps = applications::list_for(&s.db, &actor, org.id)?;
            let open = open_applications(&apps, policy.id());
            let empty = BTreeMap::new();
            let contracted =
                s.db.read(|tx| applications::contracted_modules(tx, &org, today))?;
            let mut decisions: Vec<ModuleDecision> = Vec::new();
            for m in applications::catalogue(policy, &org) {
                let facts = open.get(m.id.as_str()).map_or(&empty, |a| &a.facts);
                decisions.push(applications::decide_module_with(
                    policy,
                    &org,
                    &m.id,
                    facts,
                    &contracted,
                    today,
                )?);
            }
            let id = policy.id().to_string();
            Ok((org, id, apps, decisions))
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
            "Elke stap noemt de passage waarop hij rust."
        }
        @for (m, md) in modules.iter().zip(&decisions) {
            @let hid = format!("m-{}", m.id);
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
                details.explanation {
                    summary { "Uitleg per stap, met de bron" }
                    (decision::steps(&state, &md.steps))
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

fn org_kind(org: &Organisation) -> String {
    applications::provider_kind(org)
        .map(|k| k.dutch().to_string())
        .unwrap_or_else(|_| org.kind.clone())
}
