//! Contract proposals and their signature, administrative contracts, and the contracts that
//! follow from them.
//!
//! A purchaser proposes a contract for a granted application, with the tariffs taken from the
//! policy's parameters (editable; the policy value stays beside the proposed one). The proposal's
//! exact text is fixed when it is made and its SHA-256 kept. Only the organisation's signer
//! (tekenbevoegd) accepts or refuses it; acceptance records who, when, from which address and
//! user agent, and writes the row in `contracts` that the claims checker reads (one source of
//! truth). An administrative contract records an agreement made elsewhere: no acceptance, and
//! unchangeable once recorded. States: proposed -> accepted | refused; administrative.
//! Whether a contract is active or ended follows from its dates.

use crate::AppError;
use crate::accounts::{self, Actor, Organisation, Role, sha256_hex};
use crate::applications::{self, State as AppState};
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use zorginkoop_policy::{Policy, PolicySet, Unit};
use zorginkoop_store::{ContractRow, Db, Row, Tx, args};

/// Where a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Proposed,
    Accepted,
    Refused,
    /// Recorded as agreed elsewhere (no acceptance needed).
    Administrative,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Proposed => "proposed",
            State::Accepted => "accepted",
            State::Refused => "refused",
            State::Administrative => "administrative",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [
            State::Proposed,
            State::Accepted,
            State::Refused,
            State::Administrative,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Proposed => "voorstel, wacht op ondertekening",
            State::Accepted => "geaccepteerd",
            State::Refused => "geweigerd",
            State::Administrative => "administratief contract",
        }
    }
}

/// One tariff item of a proposal: the policy's value and the proposed one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TariffTerm {
    pub parameter: String,
    pub label: String,
    /// `eur`, `ratio`, `hours`, ...
    pub unit: String,
    /// The value the policy gives on the contract's start date (as text, exact).
    pub policy_value: Option<String>,
    pub proposed_value: String,
}

/// The tariff items a proposal for `module` starts from: the parameters of the module's tariff
/// method, with their policy value on `on`.
pub fn tariff_terms(policy: &Policy, module: &str, on: NaiveDate) -> Vec<TariffTerm> {
    let Some(m) = policy.module(module) else {
        return Vec::new();
    };
    let Some(tariff) = &m.tariff else {
        return Vec::new();
    };
    tariff
        .parameters
        .iter()
        .filter_map(|id| {
            let p = policy.parameter(id)?;
            let value = policy
                .param_on(id, on)
                .map(|(v, _)| v.normalize().to_string());
            Some(TariffTerm {
                parameter: id.clone(),
                label: p.label.clone(),
                unit: unit_name(p.unit).to_string(),
                policy_value: value.clone(),
                proposed_value: value.unwrap_or_default(),
            })
        })
        .collect()
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Eur => "eur",
        Unit::Ratio => "ratio",
        Unit::Hours => "hours",
        Unit::Minutes => "minutes",
        Unit::Weeks => "weeks",
        Unit::Days => "days",
        Unit::Count => "count",
        Unit::Number => "number",
    }
}

/// A proposal as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Proposal {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub application_id: Option<i64>,
    pub policy_id: String,
    pub module: String,
    pub state: State,
    pub terms: Vec<TariffTerm>,
    /// The exact text the signer reads and signs.
    pub text: String,
    pub text_sha256: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub tariff_cents: i64,
    pub ceiling_cents: Option<i64>,
    pub proposed_by: String,
    pub proposed_at: String,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub answered_ip: Option<String>,
    pub answered_user_agent: Option<String>,
    pub refusal_reason: Option<String>,
    pub contract_id: Option<i64>,
}

impl Proposal {
    /// Whether the contract that follows from it runs on `on` (`None`: no contract).
    pub fn contract_status(&self, on: NaiveDate) -> Option<&'static str> {
        if !matches!(self.state, State::Accepted | State::Administrative) {
            return None;
        }
        Some(if on < self.start {
            "getekend, start later"
        } else if self.end.is_some_and(|e| on > e) {
            "beëindigd"
        } else {
            "actief"
        })
    }
}

const SELECT: &str = "SELECT p.*, o.name AS organisation_name, pu.name AS proposer_name,
        au.name AS answerer_name
   FROM proposals p JOIN organisations o ON o.id = p.organisation_id
        JOIN users pu ON pu.id = p.proposed_by LEFT JOIN users au ON au.id = p.answered_by";

fn from_row(r: &Row) -> Result<Proposal, AppError> {
    let state = r.text("state")?;
    let d = |s: String| {
        s.parse::<NaiveDate>()
            .map_err(|_| AppError::BadRecord(format!("{s:?} is geen datum")))
    };
    Ok(Proposal {
        id: r.int("id")?,
        organisation_id: r.int("organisation_id")?,
        organisation_name: r.text("organisation_name")?,
        application_id: r.opt_int("application_id")?,
        policy_id: r.text("policy_id")?,
        module: r.text("module")?,
        state: State::parse(&state)
            .ok_or_else(|| AppError::BadRecord(format!("onbekende status {state:?}")))?,
        terms: serde_json::from_str(&r.text("terms_json")?)
            .map_err(|e| AppError::BadRecord(format!("voorstel: {e}")))?,
        text: r.text("text")?,
        text_sha256: r.text("text_sha256")?,
        start: d(r.text("start_date")?)?,
        end: r.opt_text("end_date")?.map(d).transpose()?,
        tariff_cents: r.int("tariff_cents")?,
        ceiling_cents: r.opt_int("ceiling_cents")?,
        proposed_by: r.text("proposer_name")?,
        proposed_at: r.text("proposed_at")?,
        answered_by: r.opt_text("answerer_name")?,
        answered_at: r.opt_text("answered_at")?,
        answered_ip: r.opt_text("answered_ip")?,
        answered_user_agent: r.opt_text("answered_user_agent")?,
        refusal_reason: r.opt_text("refusal_reason")?,
        contract_id: r.opt_int("contract_id")?,
    })
}

/// What a purchaser proposes (or records as an administrative contract).
#[derive(Debug, Clone)]
pub struct NewProposal {
    /// The granted application it follows from (required for a proposal; optional for an
    /// administrative contract).
    pub application_id: Option<i64>,
    /// For an administrative contract without application: the organisation and module.
    pub organisation_id: i64,
    pub policy_id: String,
    pub module: String,
    pub terms: Vec<TariffTerm>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub ceiling_cents: Option<i64>,
}

/// Euros as text ("12.50", "12,50") to cents, exactly; refuses fractions of a cent.
pub fn euro_to_cents(field: &str, text: &str) -> Result<i64, AppError> {
    let t = text.trim().replace(' ', "").replace(',', ".");
    let v: Decimal = t.parse().map_err(|_| AppError::Invalid {
        field: field.to_string(),
        problem: format!("{text:?} is geen bedrag"),
    })?;
    let cents = v
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or_else(|| AppError::Invalid {
            field: field.to_string(),
            problem: "bedrag te groot".into(),
        })?;
    if cents.fract() != Decimal::ZERO || cents < Decimal::ZERO {
        return Err(AppError::Invalid {
            field: field.to_string(),
            problem: format!("{text:?} is geen bedrag in hele centen van 0 of meer"),
        });
    }
    i64::try_from(cents).map_err(|_| AppError::Invalid {
        field: field.to_string(),
        problem: "bedrag te groot".into(),
    })
}

/// Cents as Dutch euros: `€ 1.234,56`.
pub fn cents_to_euro(cents: i64) -> String {
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let whole = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{}€ {grouped},{:02}", if neg { "-" } else { "" }, c % 100)
}

/// The contract's main tariff: the first euro term (0 when the module has none).
fn main_tariff_cents(terms: &[TariffTerm]) -> Result<i64, AppError> {
    terms
        .iter()
        .find(|t| t.unit == "eur")
        .map(|t| euro_to_cents(&t.label, &t.proposed_value))
        .transpose()
        .map(|c| c.unwrap_or(0))
}

/// The exact text of a proposal, as the signer reads it and as its hash is taken.
fn proposal_text(
    policy: &Policy,
    org: &Organisation,
    p: &NewProposal,
    administrative: bool,
) -> String {
    let module_name = policy
        .module(&p.module)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| p.module.clone());
    let mut t = String::new();
    t.push_str(if administrative {
        "Administratief contract (elders overeengekomen)\n"
    } else {
        "Voorstel tot overeenkomst\n"
    });
    t.push_str(&format!(
        "Zorgverzekeraar: {}\n",
        policy.file.policy.insurer
    ));
    t.push_str(&format!(
        "Zorgaanbieder: {} (AGB {}, KvK {})\n",
        org.name,
        org.agb.as_deref().unwrap_or("-"),
        org.kvk.as_deref().unwrap_or("-")
    ));
    t.push_str(&format!(
        "Beleid: {} (versie {}, SHA-256 {})\n",
        policy.file.policy.title, policy.file.policy.version, policy.sha256
    ));
    if module_name.contains(&format!("({})", p.module)) {
        t.push_str(&format!("Module: {module_name}\n"));
    } else {
        t.push_str(&format!("Module: {module_name} ({})\n", p.module));
    }
    t.push_str(&format!(
        "Looptijd: {} tot en met {}\n",
        p.start,
        p.end
            .map(|e| e.to_string())
            .unwrap_or_else(|| "onbepaalde tijd".into())
    ));
    if p.terms.is_empty() {
        t.push_str("Tarieven: het beleid noemt voor deze module geen tariefparameters\n");
    } else {
        t.push_str("Tarieven:\n");
    }
    for term in &p.terms {
        t.push_str(&format!(
            "- {} ({}): {} (beleid: {})\n",
            term.label,
            term.parameter,
            term.proposed_value,
            term.policy_value
                .as_deref()
                .unwrap_or("geen waarde in het beleid")
        ));
    }
    if let Some(c) = p.ceiling_cents {
        t.push_str(&format!("Omzetplafond: {}\n", cents_to_euro(c)));
    }
    t
}

fn check_new(policy: &Policy, p: &NewProposal) -> Result<(), AppError> {
    if policy.module(&p.module).is_none() {
        return Err(AppError::NotFound(format!("module {}", p.module)));
    }
    if p.end.is_some_and(|e| e < p.start) {
        return Err(AppError::Invalid {
            field: "einddatum".into(),
            problem: "ligt voor de startdatum".into(),
        });
    }
    for t in &p.terms {
        t.proposed_value
            .trim()
            .replace(',', ".")
            .parse::<Decimal>()
            .map_err(|_| AppError::Invalid {
                field: t.label.clone(),
                problem: format!("{:?} is geen getal", t.proposed_value),
            })?;
    }
    main_tariff_cents(&p.terms)?;
    Ok(())
}

/// A purchaser proposes a contract for a granted application.
pub fn propose(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    p: &NewProposal,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    actor.require(&[Role::Purchaser], "een contract voorstellen")?;
    let app_id = p.application_id.ok_or_else(|| AppError::Invalid {
        field: "aanvraag".into(),
        problem: "een voorstel volgt op een toegekende aanvraag".into(),
    })?;
    let app = applications::get(db, actor, app_id)?;
    if app.state != AppState::Granted {
        return Err(AppError::Conflict(format!(
            "aanvraag {app_id} is {}: een voorstel volgt pas op toekenning",
            app.state.label()
        )));
    }
    let p = NewProposal {
        organisation_id: app.organisation_id,
        policy_id: app.policy_id.clone(),
        module: app.module.clone(),
        ..p.clone()
    };
    insert(db, set, actor, &p, false, now)
}

/// A purchaser records an agreement made elsewhere: no acceptance, written to `contracts` at
/// once, unchangeable afterwards.
pub fn record_administrative(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    p: &NewProposal,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    actor.require(&[Role::Purchaser], "een administratief contract vastleggen")?;
    let policy = crate::policies::find(set, &p.policy_id)?;
    let org = db.read(|tx| accounts::organisation_in(tx, p.organisation_id))?;
    if !applications::catalogue(policy, &org)
        .iter()
        .any(|m| m.id == p.module)
    {
        return Err(AppError::Invalid {
            field: "module".into(),
            problem: format!(
                "{} ({}) kan module {} van {} niet contracteren",
                org.name, org.kind, p.module, p.policy_id
            ),
        });
    }
    insert(db, set, actor, p, true, now)
}

fn insert(
    db: &Db,
    set: &PolicySet,
    actor: &Actor,
    p: &NewProposal,
    administrative: bool,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let policy = crate::policies::find(set, &p.policy_id)?;
    check_new(policy, p)?;
    let org = db.read(|tx| accounts::organisation_in(tx, p.organisation_id))?;
    let agb = org.agb.clone().ok_or_else(|| AppError::Invalid {
        field: "organisatie".into(),
        problem: format!("{} heeft geen AGB-code", org.name),
    })?;
    let text = proposal_text(policy, &org, p, administrative);
    let sha = sha256_hex(&text);
    let tariff = main_tariff_cents(&p.terms)?;
    let terms = serde_json::to_string(&p.terms).expect("terms serialise");
    db.write(|tx| {
        if let Some(app_id) = p.application_id
            && !administrative
            && tx
                .query_one(
                    "SELECT id FROM proposals WHERE application_id = ? AND state IN ('proposed', 'accepted')",
                    args![app_id],
                )?
                .is_some()
        {
            return Err(AppError::Conflict(format!(
                "voor aanvraag {app_id} staat al een voorstel open of is er al een contract"
            )));
        }
        let state = if administrative { "administrative" } else { "proposed" };
        let id = tx.insert(
            "INSERT INTO proposals (organisation_id, application_id, policy_id, module, state, terms_json,
               text, text_sha256, start_date, end_date, tariff_cents, ceiling_cents, proposed_by, proposed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            args![
                org.id,
                p.application_id,
                &p.policy_id,
                &p.module,
                state,
                &terms,
                &text,
                &sha,
                p.start.to_string(),
                p.end.map(|e| e.to_string()),
                tariff,
                p.ceiling_cents,
                actor.user_id,
                now.to_rfc3339()
            ],
        )?;
        let mut after = serde_json::json!({"state": state, "text_sha256": sha});
        if administrative {
            let contract = write_contract(tx, &agb, p, tariff)?;
            tx.execute(
                "UPDATE proposals SET contract_id = ? WHERE id = ?",
                args![contract, id],
            )?;
            after["contract_id"] = contract.into();
        }
        audit::append(
            tx,
            &AuditEntry::new(
                actor,
                if administrative {
                    "administratief contract vastgelegd"
                } else {
                    "contract voorgesteld"
                },
                "proposal",
                Some(id),
                now,
            )
            .about(org.id)
            .change(None, Some(after))
            .receipt(Some(serde_json::json!({
                "policy": policy.id(), "version": policy.file.policy.version, "sha256": policy.sha256
            }))),
        )?;
        Ok(id)
    })
}

fn write_contract(
    tx: &mut Tx<'_>,
    agb: &str,
    p: &NewProposal,
    tariff_cents: i64,
) -> Result<i64, AppError> {
    Ok(zorginkoop_store::insert_contract(
        tx,
        &ContractRow {
            id: None,
            provider_agb: agb.to_string(),
            module: p.module.clone(),
            prestatie_codes: Vec::new(),
            start: p.start,
            end: p.end,
            tariff_cents,
            ceiling_cents: p.ceiling_cents,
            contract_type: "regular".into(),
        },
    )?)
}

/// One proposal, when the actor may see it.
pub fn get(db: &Db, actor: &Actor, id: i64) -> Result<Proposal, AppError> {
    let row = db
        .read(|tx| tx.query_one(&format!("{SELECT} WHERE p.id = ?"), args![id]))?
        .ok_or_else(|| AppError::NotFound(format!("voorstel {id}")))?;
    let p = from_row(&row)?;
    actor.check_sees(p.organisation_id, &format!("voorstel {id}"))?;
    Ok(p)
}

/// The proposals and contracts of an organisation, newest first.
pub fn list_for(db: &Db, actor: &Actor, organisation_id: i64) -> Result<Vec<Proposal>, AppError> {
    actor.check_sees(organisation_id, &format!("organisatie {organisation_id}"))?;
    let rows = db.read(|tx| {
        tx.query(
            &format!("{SELECT} WHERE p.organisation_id = ? ORDER BY p.id DESC"),
            args![organisation_id],
        )
    })?;
    rows.iter().map(from_row).collect()
}

/// Every proposal (the insurer's staff), newest first.
pub fn list_all(db: &Db, actor: &Actor) -> Result<Vec<Proposal>, AppError> {
    actor.require(
        &[Role::Purchaser, Role::Auditor, Role::Admin],
        "alle voorstellen bekijken",
    )?;
    let rows = db.read(|tx| tx.query(&format!("{SELECT} ORDER BY p.id DESC"), &[]))?;
    rows.iter().map(from_row).collect()
}

/// Where a signature comes from.
#[derive(Debug, Clone)]
pub struct Signature<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
    /// The SHA-256 of the text the signer was shown: the signature holds only if it is the text
    /// stored (nothing changed between reading and signing).
    pub text_sha256: &'a str,
}

/// The signer accepts (`Ok(None)` as refusal reason) or refuses (with a reason) a proposal.
/// Acceptance writes the contract the claims checker reads.
pub fn answer(
    db: &Db,
    actor: &Actor,
    id: i64,
    accept: bool,
    refusal_reason: Option<&str>,
    sig: &Signature,
    now: DateTime<Utc>,
) -> Result<Proposal, AppError> {
    let p = get(db, actor, id)?;
    actor.require(
        &[Role::ProviderSigner],
        if accept {
            "een voorstel ondertekenen"
        } else {
            "een voorstel weigeren"
        },
    )?;
    if actor.organisation_id != p.organisation_id {
        return Err(AppError::NotFound(format!("voorstel {id}")));
    }
    if p.state != State::Proposed {
        return Err(AppError::Conflict(format!(
            "voorstel {id} is {}: het kan niet (meer) worden beantwoord",
            p.state.label()
        )));
    }
    if sig.text_sha256 != p.text_sha256 {
        return Err(AppError::Conflict(format!(
            "de tekst van voorstel {id} is niet de tekst die u las; laad de pagina opnieuw"
        )));
    }
    let reason = refusal_reason.map(str::trim).filter(|r| !r.is_empty());
    if !accept && reason.is_none() {
        return Err(AppError::Invalid {
            field: "reden".into(),
            problem: "vul in waarom u het voorstel weigert".into(),
        });
    }
    let org = db.read(|tx| accounts::organisation_in(tx, p.organisation_id))?;
    db.write(|tx| {
        let state = if accept { "accepted" } else { "refused" };
        let changed = tx.execute(
            "UPDATE proposals SET state = ?, answered_by = ?, answered_at = ?, answered_ip = ?,
               answered_user_agent = ?, refusal_reason = ? WHERE id = ? AND state = 'proposed'",
            args![
                state,
                actor.user_id,
                now.to_rfc3339(),
                sig.ip,
                sig.user_agent,
                reason,
                id
            ],
        )?;
        if changed == 0 {
            return Err(AppError::Conflict(format!(
                "voorstel {id} is intussen beantwoord"
            )));
        }
        let mut after = serde_json::json!({
            "state": state, "text_sha256": p.text_sha256, "ip": sig.ip, "user_agent": sig.user_agent
        });
        if accept {
            let agb = org.agb.clone().ok_or_else(|| AppError::Invalid {
                field: "organisatie".into(),
                problem: format!("{} heeft geen AGB-code", org.name),
            })?;
            let np = NewProposal {
                application_id: p.application_id,
                organisation_id: p.organisation_id,
                policy_id: p.policy_id.clone(),
                module: p.module.clone(),
                terms: p.terms.clone(),
                start: p.start,
                end: p.end,
                ceiling_cents: p.ceiling_cents,
            };
            let contract = write_contract(tx, &agb, &np, p.tariff_cents)?;
            tx.execute(
                "UPDATE proposals SET contract_id = ? WHERE id = ?",
                args![contract, id],
            )?;
            after["contract_id"] = contract.into();
        }
        audit::append(
            tx,
            &AuditEntry::new(
                actor,
                if accept {
                    "voorstel ondertekend"
                } else {
                    "voorstel geweigerd"
                },
                "proposal",
                Some(id),
                now,
            )
            .change(Some(serde_json::json!({"state": "proposed"})), Some(after)),
        )?;
        Ok::<_, AppError>(())
    })?;
    get(db, actor, id)
}

/// The signing receipt a provider downloads: the proposal's exact text and who signed it when,
/// from where, with the text's SHA-256.
pub fn receipt_text(p: &Proposal) -> Option<String> {
    if p.state != State::Accepted {
        return None;
    }
    Some(format!(
        "Ontvangstbewijs ondertekening\n\
         Voorstel: {}\n\
         Ondertekend door: {}\n\
         Op: {}\n\
         Vanaf adres: {}\n\
         Browser: {}\n\
         SHA-256 van de getekende tekst: {}\n\
         \n--- getekende tekst ---\n{}",
        p.id,
        p.answered_by.as_deref().unwrap_or("-"),
        p.answered_at
            .as_deref()
            .map(|t| chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| d.format("%d-%m-%Y %H:%M:%S UTC").to_string())
                .unwrap_or_else(|_| t.to_string()))
            .unwrap_or_else(|| "-".into()),
        p.answered_ip.as_deref().unwrap_or("-"),
        p.answered_user_agent.as_deref().unwrap_or("-"),
        p.text_sha256,
        p.text
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_become_exact_cents_and_back() {
        assert_eq!(euro_to_cents("t", "12,50").unwrap(), 1250);
        assert_eq!(euro_to_cents("t", " 1234.56 ").unwrap(), 123_456);
        assert!(
            euro_to_cents("t", "0,005").is_err(),
            "no fractions of a cent"
        );
        assert!(euro_to_cents("t", "-1").is_err());
        assert!(euro_to_cents("t", "twaalf").is_err());
        assert_eq!(cents_to_euro(123_456), "€ 1.234,56");
        assert_eq!(cents_to_euro(5), "€ 0,05");
        assert_eq!(cents_to_euro(100_000_000), "€ 1.000.000,00");
    }
}
