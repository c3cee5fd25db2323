//! Walking every route of `zorginkoop_portal::route_list()` (never a list of our own, so that a
//! route added later is walked too): organisation A's records set up through the use cases,
//! each route's path with its parameters filled in (every `{…}` parameter with each of A's ids,
//! `{document}` with a policy document, `{name}` with a calculator), and requests with the
//! route's method and a body that carries every field a page or the API reads.
#![allow(dead_code)]

use crate::common::{Client, Portal, Res};
use axum::body::Body;
use axum::http::{Request, header};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use zorginkoop_app::accounts::{self, Actor, Client as LoginClient};
use zorginkoop_app::applications::{self, Review};
use zorginkoop_app::proposals::{self, NewProposal, Signature};
use zorginkoop_app::{attachments, policies, portal_demo};
use zorginkoop_portal::RouteInfo;

/// Organisation A (De Linde) and its users.
pub const A_EMPLOYEE: &str = "medewerker@delinde.example";
pub const A_SIGNER: &str = "huisarts@delinde.example";
pub const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
/// Organisation B (Het Plein): the users who must see nothing of A.
pub const B_USERS: [&str; 2] = ["medewerker@hetplein.example", "huisarts@hetplein.example"];

/// A value of A's answers found nowhere else (the registered patients).
pub const A_PATIENTS: i64 = 2987;
/// A's message in an application's thread.
pub const A_MESSAGE: &str = "Bericht-van-De-Linde-7731";
/// The purchaser's question to A.
pub const A_QUESTION: &str = "Vraag-aan-De-Linde-4410";
/// The content and the file name of A's attachment.
pub const A_ATTACHMENT: &str = "Bijlage-van-De-Linde-5521";
pub const A_ATTACHMENT_NAME: &str = "begroting-linde-8812.txt";
/// The regio-organisatie's plan text and document (another provider's records, which B must not
/// see either).
pub const RO_PLAN_TEXT: &str = "Regioplan-Utrecht-6631";
pub const RO_PLAN_FILE: &str = "regioplan-utrecht-4471.txt";
pub const RO_EMPLOYEE: &str = "medewerker@ro-utrecht.example";

/// What A has: a draft, a submitted application, two granted ones with a proposal each (one
/// waiting for the signer, one signed, with its contract), messages and an API token.
#[derive(Debug, Clone)]
pub struct World {
    pub org_a: i64,
    pub draft: i64,
    pub submitted: i64,
    pub granted: i64,
    pub signed_app: i64,
    pub proposal: i64,
    pub signed_proposal: i64,
    pub contract: i64,
    pub token_a: i64,
    pub attachment: i64,
    /// A's settlement statement (a run with A and a provider without an account).
    pub statement: i64,
    /// The regio-organisatie's submitted regioplan and its document.
    pub plan: i64,
    pub plan_document: i64,
    pub shas: Vec<String>,
    pub modules: Vec<String>,
}

impl World {
    /// Every id of A's records: each `{…}` parameter of a route is tried with each.
    pub fn ids(&self) -> Vec<i64> {
        let mut ids = vec![
            self.org_a,
            self.draft,
            self.submitted,
            self.granted,
            self.signed_app,
            self.proposal,
            self.signed_proposal,
            self.contract,
            self.token_a,
            self.attachment,
            self.statement,
            self.plan,
            self.plan_document,
        ];
        ids.sort();
        ids.dedup();
        ids
    }

    /// Strings of A's that must not reach a user of another organisation.
    pub fn markers(&self) -> Vec<String> {
        let mut m = vec![
            "de linde".to_string(),
            "01012345".to_string(),
            "delinde.example".to_string(),
            "mila medewerker".to_string(),
            A_PATIENTS.to_string(),
            // as a Dutch page writes it
            format!("{}.{:03}", A_PATIENTS / 1000, A_PATIENTS % 1000),
            A_MESSAGE.to_lowercase(),
            A_QUESTION.to_lowercase(),
            A_ATTACHMENT.to_lowercase(),
            A_ATTACHMENT_NAME.to_lowercase(),
            RO_PLAN_TEXT.to_lowercase(),
            RO_PLAN_FILE.to_lowercase(),
        ];
        m.extend(self.shas.iter().cloned());
        m
    }
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    "2021-11-01T09:00:00Z".parse().unwrap()
}

pub fn actor(db: &zorginkoop_store::Db, email: &str) -> Actor {
    accounts::login(
        db,
        email,
        portal_demo::DEMO_PASSWORD,
        &LoginClient {
            ip: "192.0.2.1",
            user_agent: "set-up",
        },
        now(),
    )
    .expect("demo login")
    .actor
}

/// A's answers: the example practice's, with a number found nowhere else.
pub fn a_facts() -> BTreeMap<String, Option<serde_json::Value>> {
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/practice-de-linde.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut facts: BTreeMap<String, Option<serde_json::Value>> = case["facts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), Some(v.clone())))
        .collect();
    facts.insert("registered_patients".into(), Some(A_PATIENTS.into()));
    facts
}

/// Sets up A's records through the use cases.
pub fn set_up(p: &Portal) -> World {
    p.blocking(|s| {
        let db = &s.db;
        let set = &s.policies;
        let today = s.today();
        let employee = actor(db, A_EMPLOYEE);
        let signer = actor(db, A_SIGNER);
        let purchaser = actor(db, PURCHASER);
        accounts::create_api_token(db, &employee, "van De Linde", now()).unwrap();
        let token_a = accounts::api_tokens(db, &employee).unwrap()[0].id;
        // A's ids apart from B's own (its organisation, users and tokens), so that a route that
        // answers for B's own record is not taken for one that answers for A's
        let auditor = actor(db, "auditor@zorgverzekeraar.example");
        for _ in 0..30 {
            accounts::create_api_token(db, &auditor, "opvulling", now()).unwrap();
        }
        db.write(|tx| {
            let other = tx
                .query_one(
                    "SELECT id FROM organisations WHERE name = 'Zorggroep Waterland'",
                    &[],
                )?
                .unwrap()
                .int("id")?;
            for _ in 0..12 {
                tx.insert(
                    "INSERT INTO applications (organisation_id, policy_id, module, state, facts_json, created_by, created_at, updated_at)
                     VALUES (?, 'gp-2022-2023', 'poh-ggz', 'refused', '{}', ?, ?, ?)",
                    zorginkoop_store::args![other, auditor.user_id, now().to_rfc3339(), now().to_rfc3339()],
                )?;
            }
            Ok::<_, zorginkoop_store::StoreError>(())
        })
        .unwrap();
        let policy_id = "gp-2022-2023";
        let policy = policies::find(set, policy_id).unwrap();
        let facts = a_facts();
        let apply = |module: &str| {
            let id = applications::start(db, set, &employee, policy_id, module, now()).unwrap();
            applications::save_facts(db, set, &employee, id, &facts, now()).unwrap();
            id
        };
        let submit = |id: i64| {
            applications::submit(db, set, &employee, id, today, now()).unwrap();
        };
        let propose = |app: i64, module: &str| {
            proposals::propose(
                db,
                set,
                &purchaser,
                &NewProposal {
                    application_id: Some(app),
                    organisation_id: 0,
                    policy_id: String::new(),
                    module: String::new(),
                    terms: proposals::tariff_terms(policy, module, NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()),
                    start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
                    end: Some(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
                    ceiling_cents: Some(1_234_500),
                },
                now(),
            )
            .unwrap()
        };
        let modules = [
            "praktijkmanagement",
            "poh-ggz",
            "basiszorg",
            "service-bereikbaarheid-a",
        ];
        let draft = apply(modules[0]);
        let submitted = apply(modules[1]);
        submit(submitted);
        applications::post_message(db, &purchaser, submitted, A_QUESTION, now()).unwrap();
        applications::post_message(db, &employee, submitted, A_MESSAGE, now()).unwrap();
        let attachment = attachments::add(
            db,
            &employee,
            submitted,
            A_ATTACHMENT_NAME,
            A_ATTACHMENT.as_bytes(),
            now(),
        )
        .unwrap();
        let granted = apply(modules[2]);
        submit(granted);
        applications::review(db, &purchaser, granted, &Review::Grant, now()).unwrap();
        let proposal = propose(granted, modules[2]);
        let signed_app = apply(modules[3]);
        submit(signed_app);
        applications::review(db, &purchaser, signed_app, &Review::Grant, now()).unwrap();
        let signed_proposal = propose(signed_app, modules[3]);
        let sha = proposals::get(db, &signer, signed_proposal)
            .unwrap()
            .text_sha256;
        let signed = proposals::answer(
            db,
            &signer,
            signed_proposal,
            true,
            None,
            &Signature {
                ip: "192.0.2.1",
                user_agent: "set-up",
                text_sha256: &sha,
            },
            now(),
        )
        .unwrap();
        let open_sha = proposals::get(db, &signer, proposal).unwrap().text_sha256;
        let statement = record_settlement(db, &employee);
        let (plan, plan_document) = ro_plan(db, set);
        World {
            org_a: employee.organisation_id,
            draft,
            submitted,
            granted,
            signed_app,
            proposal,
            signed_proposal,
            contract: signed.contract_id.unwrap(),
            token_a,
            attachment,
            statement,
            plan,
            plan_document,
            shas: vec![open_sha, sha],
            modules: modules.iter().map(|m| m.to_string()).collect(),
        }
    })
}

/// The regio-organisatie's regioplan, submitted with its document: (plan, document).
fn ro_plan(db: &zorginkoop_store::Db, set: &zorginkoop_app::policy::PolicySet) -> (i64, i64) {
    use zorginkoop_app::regional_plan::{self, Content};
    let ro = actor(db, RO_EMPLOYEE);
    let plan = regional_plan::start(db, set, &ro, now()).unwrap();
    let mut c = Content::default();
    c.topics.insert("mission".into(), RO_PLAN_TEXT.into());
    regional_plan::save(db, set, &ro, plan.id, &c, now()).unwrap();
    let doc = regional_plan::add_document(
        db,
        &ro,
        plan.id,
        RO_PLAN_FILE,
        RO_PLAN_TEXT.as_bytes(),
        now(),
    )
    .unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
    regional_plan::submit(db, set, &ro, plan.id, today, now()).unwrap();
    (plan.id, doc.id)
}

/// A settlement run with a statement for A (its AGB code) and one for a provider without an
/// account; the statement id of A's.
fn record_settlement(db: &zorginkoop_store::Db, employee: &Actor) -> i64 {
    use zorginkoop_app::settlement::{self, NewRun, NewStatement};
    let statement = |agb: &str, production: &str| NewStatement {
        provider_agb: agb.into(),
        category: "reguliere zorgaanbieder".into(),
        total: Some(production.parse().unwrap()),
        json: serde_json::json!({
            "schema": "zorginkoop.settlement.district-nursing/1",
            "provider_agb": agb,
            "lines": [{"step": "production", "label": "Productie", "amount": {"kind": "euro", "value": production},
                       "calculation": "som", "source": {"document": "004_ff397b22ce59c05b.txt", "section": "4", "quote": "basisbudget"}}],
            "missing": [],
            "total": production,
        }),
    };
    settlement::record_run(
        db,
        &NewRun {
            domain: settlement::DOMAIN_NURSING.into(),
            year: 2021,
            policy_id: "district-nursing-2021".into(),
            policy_version: "1".into(),
            policy_sha256: "ab".into(),
            inputs_sha256: settlement::inputs_sha256(&[("walk", b"A")]),
            inputs_note: "test".into(),
            statements: vec![
                statement("01012345", "123456.78"),
                statement("75111111", "99000.00"),
            ],
        },
        "test",
        now(),
    )
    .unwrap();
    settlement::statements(db, employee, None).unwrap()[0].id
}

/// The state of A's records (and the number of contracts): a user of another organisation
/// must not change any of it.
pub fn snapshot(p: &Portal, w: &World) -> String {
    let org = w.org_a;
    p.blocking(|s| {
        s.db.read(|tx| {
            let mut out = String::new();
            for r in tx.query(
                "SELECT id, state, facts_json, updated_at, reason FROM applications WHERE organisation_id = ? ORDER BY id",
                zorginkoop_store::args![org],
            )? {
                out += &format!(
                    "application {} {} {} {} {:?}\n",
                    r.int("id")?,
                    r.text("state")?,
                    r.text("facts_json")?,
                    r.text("updated_at")?,
                    r.opt_text("reason")?
                );
            }
            for r in tx.query(
                "SELECT id, state, answered_at, contract_id FROM proposals WHERE organisation_id = ? ORDER BY id",
                zorginkoop_store::args![org],
            )? {
                out += &format!(
                    "proposal {} {} {:?} {:?}\n",
                    r.int("id")?,
                    r.text("state")?,
                    r.opt_text("answered_at")?,
                    r.opt_int("contract_id")?
                );
            }
            let mut count = |sql: &str, args: &[zorginkoop_store::Value]| -> Result<i64, zorginkoop_store::StoreError> {
                tx.query_one(sql, args)?
                    .map(|r| r.int("n"))
                    .transpose()
                    .map(|n| n.unwrap_or(0))
            };
            let contracts = count("SELECT count(*) AS n FROM contracts", &[])?;
            let messages = count(
                "SELECT count(*) AS n FROM application_messages m JOIN applications a ON a.id = m.application_id WHERE a.organisation_id = ?",
                zorginkoop_store::args![org],
            )?;
            let revoked = count(
                "SELECT count(*) AS n FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.organisation_id = ? AND t.revoked_at IS NOT NULL",
                zorginkoop_store::args![org],
            )?;
            let attached = count(
                "SELECT count(*) AS n FROM attachments f JOIN applications a ON a.id = f.application_id WHERE a.organisation_id = ?",
                zorginkoop_store::args![org],
            )?;
            out += &format!(
                "contracts {contracts}\nmessages {messages}\ntokens revoked {revoked}\nattachments {attached}\n"
            );
            // the regio-organisatie's plan and its rounds
            for r in tx.query(
                "SELECT p.id, p.state, p.content_json, p.updated_at, count(r.id) AS rounds, max(r.answered_at) AS answered
                   FROM regional_plans p LEFT JOIN regional_plan_rounds r ON r.plan_id = p.id
                  GROUP BY p.id, p.state, p.content_json, p.updated_at ORDER BY p.id",
                &[],
            )? {
                out += &format!(
                    "regioplan {} {} {} {} {} {:?}\n",
                    r.int("id")?,
                    r.text("state")?,
                    r.text("content_json")?,
                    r.text("updated_at")?,
                    r.int("rounds")?,
                    r.opt_text("answered")?
                );
            }
            Ok::<_, zorginkoop_store::StoreError>(out)
        })
        .expect("snapshot")
    })
}

/// The ids of a user's own records (its organisation, users, tokens, applications,
/// proposals): a route may answer differently for these than for a record that does not exist.
pub fn own_ids(p: &Portal, email: &str) -> Vec<i64> {
    let email = email.to_string();
    p.blocking(move |s| {
        s.db.read(|tx| {
            let org = tx
                .query_one("SELECT organisation_id AS n FROM users WHERE email = ?", zorginkoop_store::args![&email])?
                .unwrap()
                .int("n")?;
            let mut ids = vec![org];
            for sql in [
                "SELECT id AS n FROM users WHERE organisation_id = ?",
                "SELECT t.id AS n FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.organisation_id = ?",
                "SELECT id AS n FROM applications WHERE organisation_id = ?",
                "SELECT id AS n FROM proposals WHERE organisation_id = ?",
                "SELECT m.id AS n FROM application_messages m JOIN applications a ON a.id = m.application_id WHERE a.organisation_id = ?",
                "SELECT f.id AS n FROM attachments f JOIN applications a ON a.id = f.application_id WHERE a.organisation_id = ?",
            ] {
                for r in tx.query(sql, zorginkoop_store::args![org])? {
                    ids.push(r.int("n")?);
                }
            }
            Ok::<_, zorginkoop_store::StoreError>(ids)
        })
        .expect("own ids")
    })
}

/// The parameter names of a route pattern (`{id}`, `{*rest}`).
pub fn params(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(a) = rest.find('{') {
        let Some(b) = rest[a..].find('}') else { break };
        out.push(rest[a + 1..a + b].trim_start_matches('*').to_string());
        rest = &rest[a + b + 1..];
    }
    out
}

/// The values to try for a parameter: a policy document for `{document}`, a calculator for
/// `{name}`, else each of A's ids (and A's modules and policy, for a parameter that names one).
pub fn values(name: &str, w: &World, p: &Portal) -> Vec<String> {
    match name {
        "document" => p.state.policies.texts.keys().take(1).cloned().collect(),
        "name" | "calculator" => vec!["poh-ggz-hours".into()],
        _ => {
            let mut v: Vec<String> = w.ids().iter().map(|i| i.to_string()).collect();
            if name.contains("module") || name.contains("beleid") || name.contains("policy") {
                v.extend(w.modules.iter().cloned());
                v.push("gp-2022-2023".into());
            }
            v
        }
    }
}

/// Fills in a pattern's parameters with every combination of values.
pub fn fill(pattern: &str, value: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let names = params(pattern);
    let mut paths = vec![pattern.to_string()];
    for n in names {
        let vals = value(&n);
        let mut next = Vec::new();
        for p in &paths {
            let at = p.find('{').expect("a parameter");
            let end = at + p[at..].find('}').unwrap();
            for v in &vals {
                next.push(format!("{}{}{}", &p[..at], v, &p[end + 1..]));
            }
        }
        paths = next;
    }
    paths
}

/// Path parameters that name public things, not an organisation's records: a policy document,
/// a calculator, a policy and one of its modules (every organisation of a kind has the same
/// catalogue; what a page shows for them is the asker's own, which `problems` checks).
pub fn is_public_param(name: &str) -> bool {
    matches!(
        name,
        "document" | "name" | "calculator" | "beleid" | "module"
    )
}

/// The same pattern with every id-like parameter replaced by an id that does not exist.
pub fn with_missing_ids(pattern: &str, value: &dyn Fn(&str) -> Vec<String>) -> Option<String> {
    let names = params(pattern);
    if names.iter().all(|n| is_public_param(n)) {
        return None;
    }
    fill(pattern, &|n| match n {
        n if is_public_param(n) => value(n).into_iter().take(1).collect(),
        _ => vec!["987654".to_string()],
    })
    .into_iter()
    .next()
}

/// Query strings that name one of A's records in every way a page or the API might read.
pub fn queries(id: i64) -> String {
    format!(
        "?organisation={id}&organisatie={id}&aanbieder={id}&aanvraag={id}&voorstel={id}&id={id}&beleid=gp-2022-2023"
    )
}

/// Form bodies for a page's POST: every field the pages read, once to accept or grant and
/// once to refuse.
pub fn forms(w: &World) -> Vec<Vec<(String, String)>> {
    let common = |actie: &str| {
        let mut f: Vec<(String, String)> = vec![
            ("beleid", "gp-2022-2023"),
            ("module", w.modules[0].as_str()),
            ("actie", actie),
            ("vraag", "Vraag van B"),
            ("reden", "Reden van B"),
            ("bericht", "Bericht van B"),
            ("label", "van B"),
            ("startdatum", "2022-01-01"),
            ("einddatum", "2022-12-31"),
            ("omzetplafond", "1000"),
            ("registered_patients", "1"),
            ("gp_big_registered", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        f.push(("text_sha256".into(), w.shas[0].clone()));
        f.push(("organisatie".into(), w.org_a.to_string()));
        f.push(("aanvraag".into(), w.granted.to_string()));
        f
    };
    vec![common("toekennen"), common("afwijzen")]
}

/// JSON bodies for the API: every field the API reads, to accept or grant, to refuse, and a
/// set of answers.
pub fn json_bodies(w: &World) -> Vec<serde_json::Value> {
    let body = |action: &str, answer: &str| {
        serde_json::json!({
            "policy": "gp-2022-2023",
            "module": w.modules[0],
            "action": action,
            "answer": answer,
            "text": "Tekst van B",
            "reason": "Reden van B",
            "body": "Bericht van B",
            "text_sha256": w.shas[0],
            "organisation": w.org_a,
            "application_id": w.granted,
            "label": "van B",
            "start": "2022-01-01",
            "end": "2022-12-31",
            "ceiling": "1000",
            "tariffs": {},
        })
    };
    vec![
        body("grant", "accept"),
        body("refuse", "refuse"),
        serde_json::json!({"registered_patients": 1, "gp_big_registered": false}),
    ]
}

fn with_cookie(c: &Client, b: axum::http::request::Builder) -> axum::http::request::Builder {
    let b = b.header(header::USER_AGENT, "walk");
    if c.cookie.is_empty() {
        b
    } else {
        b.header(header::COOKIE, &c.cookie)
    }
}

/// A form with the session's CSRF token, with any method.
pub async fn send_form(c: &mut Client, method: &str, path: &str, form: &[(String, String)]) -> Res {
    let mut all = vec![("csrf".to_string(), c.csrf.clone())];
    all.extend_from_slice(form);
    let body = serde_urlencoded::to_string(&all).unwrap();
    let req = with_cookie(c, Request::builder().method(method).uri(path))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-csrf-token", &c.csrf)
        .body(Body::from(body))
        .unwrap();
    c.send(req).await
}

/// A request with only a bearer token (no cookie).
pub async fn send_bearer(
    c: &mut Client,
    method: &str,
    path: &str,
    token: &str,
    body: &serde_json::Value,
) -> Res {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::USER_AGENT, "walk")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let mut anon = Client {
        router: c.router.clone(),
        cookie: String::new(),
        csrf: String::new(),
    };
    anon.send(req).await
}

/// Every request of one concrete path for one route: a GET, and the route's method with each
/// body (forms for pages; JSON with the session and with a bearer token for the API).
pub async fn requests(
    c: &mut Client,
    token: &str,
    route: &RouteInfo,
    path: &str,
    w: &World,
) -> Vec<(String, Res)> {
    let mut out = vec![(format!("GET {path}"), c.get(path).await)];
    if route.method == "GET" {
        return out;
    }
    let m = route.method;
    if path.starts_with("/api/") {
        for b in json_bodies(w) {
            out.push((
                format!("{m} {path} (sessie) {b}"),
                c.json(m, path, &b, None).await,
            ));
            out.push((
                format!("{m} {path} (token) {b}"),
                send_bearer(c, m, path, token, &b).await,
            ));
        }
    } else {
        for f in forms(w) {
            out.push((format!("{m} {path} {f:?}"), send_form(c, m, path, &f).await));
        }
    }
    out
}

/// A new API token of `email`'s.
pub fn new_token(p: &Portal, email: &str) -> String {
    let email = email.to_string();
    p.blocking(move |s| {
        let a = actor(&s.db, &email);
        accounts::create_api_token(&s.db, &a, "walk", now()).unwrap()
    })
}

/// A client logged in as `email`, with an API token of its own.
pub async fn user(p: &Portal, email: &str) -> (Client, String) {
    let c = p.login(email).await;
    (c, new_token(p, email))
}

/// Logs in again when a route ended the session (logout), and makes a new token when one was
/// revoked, so that the next route is requested as a logged-in user again.
pub async fn keep_logged_in(p: &Portal, email: &str, c: &mut Client, token: &mut String) {
    if !c.cookie.contains("zk_sessie=") || c.get("/account").await.status != 200 {
        *c = p.login(email).await;
    }
    let me = send_bearer(c, "GET", "/api/v1/me", token, &serde_json::Value::Null).await;
    if me.status != 200 {
        *token = new_token(p, email);
    }
}
