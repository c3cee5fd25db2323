//! The insurer's pages on SQLite and PostgreSQL: the queue with its deadlines, the review beside
//! the engine's trace, grant / refuse / ask for information, the thread, proposing a contract
//! with the policy's tariffs, administrative contracts, the overview per provider and the audit
//! log; and that auditors read but cannot act, and providers get nothing of these pages.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{Client, Portal, portals};
use serde_json::json;
use std::collections::BTreeMap;
use zorginkoop_app::accounts::{self, Actor};
use zorginkoop_app::applications::{self, Review, State};
use zorginkoop_app::{portal_demo, proposals};
use zorginkoop_portal::{AppState, Clock};
use zorginkoop_store::Store;

const PROVIDER: &str = "medewerker@delinde.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
const AUDITOR: &str = "auditor@zorgverzekeraar.example";
const OTHER: &str = "medewerker@hetplein.example";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn actor(s: &AppState, email: &str) -> Actor {
    accounts::login(
        &s.db,
        email,
        portal_demo::DEMO_PASSWORD,
        &accounts::Client {
            ip: "192.0.2.1",
            user_agent: "test",
        },
        s.now(),
    )
    .unwrap()
    .actor
}

/// An application of De Linde for `module` of GP 2022-2023 with these answers, submitted today.
fn submitted(p: &Portal, module: &str, facts: &[(&str, serde_json::Value)]) -> i64 {
    let module = module.to_string();
    let answers: BTreeMap<String, Option<serde_json::Value>> = facts
        .iter()
        .map(|(k, v)| (k.to_string(), Some(v.clone())))
        .collect();
    p.blocking(move |s| {
        let a = actor(s, PROVIDER);
        let id =
            applications::start(&s.db, &s.policies, &a, "gp-2022-2023", &module, s.now()).unwrap();
        applications::save_facts(&s.db, &s.policies, &a, id, &answers, s.now()).unwrap();
        applications::submit(&s.db, &s.policies, &a, id, s.today(), s.now()).unwrap();
        id
    })
}

fn basiszorg(p: &Portal) -> i64 {
    submitted(
        p,
        "basiszorg",
        &[
            ("gp_big_registered", json!(true)),
            ("contracts_full_scope", json!(true)),
        ],
    )
}

/// A praktijkmanagement application (a module with a tariff), granted by the purchaser.
fn granted_praktijkmanagement(p: &Portal) -> i64 {
    let id = submitted(
        p,
        "praktijkmanagement",
        &[
            ("registered_patients", json!(2350)),
            ("pm_works_for_collaboration", json!(true)),
            ("pm_takes_over_management_tasks", json!(true)),
            ("pm_promotes_cooperation", json!(true)),
            ("pm_hbo_education_completed", json!(true)),
            ("pm_education_started", json!(false)),
            ("pm_hours_are_doctors_assistant_hours", json!(false)),
        ],
    );
    p.blocking(|s| {
        applications::review(&s.db, &actor(s, PURCHASER), id, &Review::Grant, s.now()).unwrap()
    });
    id
}

fn application(p: &Portal, id: i64) -> applications::Application {
    p.blocking(|s| applications::get(&s.db, &actor(s, PURCHASER), id).unwrap())
}

fn organisation_id(p: &Portal, name: &str) -> i64 {
    p.blocking(|s| {
        accounts::organisations(&s.db, &actor(s, PURCHASER))
            .unwrap()
            .into_iter()
            .find(|o| o.name == name)
            .unwrap()
            .id
    })
}

/// The same session on a portal whose clock says `today` (same database).
fn on_day(p: &Portal, c: &Client, today: NaiveDate) -> Client {
    let mut state = p.state.clone();
    state.clock = Clock::Fixed(today);
    Client {
        router: zorginkoop_portal::router(state),
        cookie: c.cookie.clone(),
        csrf: c.csrf.clone(),
    }
}

#[tokio::test]
async fn the_queue_shows_a_submitted_application_with_its_deadlines() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let app = application(&p, id);
        assert_eq!(app.state, State::Submitted, "{b}");
        let mut c = p.login(PURCHASER).await;
        let res = c.get("/inkoop").await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert!(res.body.contains("Huisartsenpraktijk De Linde"), "{b}");
        assert!(
            res.body
                .contains(&format!("href=\"/inkoop/aanvragen/{id}\">Bekijken</a>")),
            "{b}: {}",
            res.body
        );
        assert!(
            res.body
                .contains("Huisartsenovereenkomst 2022-2023 (basiszorg)"),
            "{b}"
        );
        assert!(res.body.contains("1 november 2021"), "{b}: submitted today");
        // ten days later, the provider has waited ten days
        let mut later = on_day(&p, &c, date(2021, 11, 11));
        let res = later.get("/inkoop").await;
        let row = &res.body[res
            .body
            .find(&format!("<th scope=\"row\">{id}</th>"))
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("<td>10</td>"), "{b}: {row}");

        // a draft is not in the queue
        let draft = p.blocking(|s| {
            applications::start(
                &s.db,
                &s.policies,
                &actor(s, OTHER),
                "gp-2022-2023",
                "basiszorg",
                s.now(),
            )
            .unwrap()
        });
        let res = c.get("/inkoop").await;
        assert!(
            !res.body.contains(&format!("/inkoop/aanvragen/{draft}\"")),
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_queue_shows_the_earliest_start_and_request_deadline_of_a_module_with_lead_time() {
    for p in portals() {
        let b = p.backend();
        let id = submitted(
            &p,
            "poh-s-supplement",
            &[
                ("pohs_employed_or_seconded", json!(true)),
                ("pohs_works_in_his_adepd", json!(true)),
                ("pohs_meets_lhv_competence_profile", json!(true)),
                ("pohs_funded_hours_declared", json!(true)),
            ],
        );
        let app = application(&p, id);
        let mut c = p.login(PURCHASER).await;
        let res = c.get("/inkoop").await;
        let row = &res.body[res
            .body
            .find(&format!("<th scope=\"row\">{id}</th>"))
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        // applied on 1 November 2021, 4 weeks' lead time, quarterly starts: 1 January 2022,
        // for which the last day to apply is 4 December 2021
        assert_eq!(app.earliest_start, Some(date(2022, 1, 1)), "{b}");
        assert!(row.contains("1 januari 2022"), "{b}: {row}");
        assert!(row.contains("4 december 2021"), "{b}: {row}");
    }
}

#[tokio::test]
async fn the_review_page_shows_the_answers_beside_the_engines_trace() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let res = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        let body = &res.body;
        let answers = &body[body.find("Antwoorden van de zorgaanbieder").unwrap()
            ..body
                .find("Beslissing van het beleid bij indiening")
                .unwrap()];
        assert!(
            answers.contains("de huisartsenzorg wordt in haar volledige omvang gecontracteerd"),
            "{b}: the fact's description labels the answer"
        );
        assert!(answers.contains("<td>Ja</td>"), "{b}: {answers}");
        let trace = &body[body
            .find("Beslissing van het beleid bij indiening")
            .unwrap()..];
        assert!(trace.contains("komt in aanmerking"), "{b}");
        assert!(trace.contains("voldaan"), "{b}");
        assert!(
            trace.contains("/bron/000_5d0b5048e118886b.txt?citaat="),
            "{b}: each step links to its passage"
        );
        let sha = p.blocking(|s| s.policies.get("gp-2022-2023").unwrap().sha256.clone());
        assert!(
            trace.contains(&sha),
            "{b}: the receipt names the policy exactly"
        );
        for button in [
            "In behandeling nemen",
            "Toekennen",
            "Informatie vragen",
            "Afwijzen",
            "Versturen",
        ] {
            assert!(
                body.contains(&format!(">{button}</button>")),
                "{b}: {button}"
            );
        }
        assert!(body.contains("<label for=\"reden\">Reden</label>"), "{b}");
        assert!(body.contains("<label for=\"vraag\">Vraag</label>"), "{b}");
        assert!(
            body.contains("<label for=\"bericht\">Bericht</label>"),
            "{b}"
        );

        let res = c.get("/inkoop/aanvragen/999999").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
    }
}

#[tokio::test]
async fn a_purchaser_takes_an_application_into_review_and_grants_it() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let path = format!("/inkoop/aanvragen/{id}/beoordelen");
        let res = c.post(&path, &[("actie", "start")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        assert_eq!(
            res.location(),
            Some(format!("/inkoop/aanvragen/{id}").as_str())
        );
        assert_eq!(application(&p, id).state, State::UnderReview, "{b}");
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert!(
            !page.body.contains(">In behandeling nemen</button>"),
            "{b}: already in review"
        );
        assert!(!page.body.contains("Contract voorstellen"), "{b}");

        let res = c.post(&path, &[("actie", "toekennen")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        assert_eq!(application(&p, id).state, State::Granted, "{b}");
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert!(
            page.body.contains(&format!(
                "href=\"/inkoop/aanvragen/{id}/voorstel\">Contract voorstellen</a>"
            )),
            "{b}: {}",
            page.body
        );
        assert!(!page.body.contains(">Toekennen</button>"), "{b}");

        // granting twice is refused on the page, with the reason
        let res = c.post(&path, &[("actie", "toekennen")]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(res.body.contains("role=\"alert\""), "{b}");
        let res = c.post(&path, &[("actie", "weggooien")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    }
}

#[tokio::test]
async fn a_refusal_needs_a_reason() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let path = format!("/inkoop/aanvragen/{id}/beoordelen");
        let res = c
            .post(&path, &[("actie", "afwijzen"), ("reden", "  ")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("role=\"alert\""), "{b}");
        assert!(res.body.contains("vul in waarom"), "{b}: {}", res.body);
        assert_eq!(
            application(&p, id).state,
            State::Submitted,
            "{b}: nothing changed"
        );

        let reason = "Geen BIG-registratie gevonden";
        let res = c
            .post(&path, &[("actie", "afwijzen"), ("reden", reason)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let app = application(&p, id);
        assert_eq!(app.state, State::Refused, "{b}");
        assert_eq!(app.reason.as_deref(), Some(reason), "{b}");
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert!(page.body.contains(reason), "{b}");
        assert!(!page.body.contains("Contract voorstellen"), "{b}");
    }
}

#[tokio::test]
async fn an_information_request_goes_into_the_thread_and_back_to_the_provider() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let question = "Stuur ons het uittreksel uit het BIG-register.";
        let res = c
            .post(
                &format!("/inkoop/aanvragen/{id}/beoordelen"),
                &[("actie", "informatie"), ("vraag", question)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let app = application(&p, id);
        assert_eq!(app.state, State::InformationRequested, "{b}");
        assert!(
            app.state.editable(),
            "{b}: the provider can change its answers again"
        );
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        let thread = &page.body[page.body.find("Vragen en antwoorden").unwrap()..];
        assert!(thread.contains(question), "{b}");
        assert!(thread.contains("Ingrid Inkoper"), "{b}");
        // the provider reads the question and can submit again
        let seen = p.blocking(|s| {
            let a = actor(s, PROVIDER);
            let messages = applications::messages(&s.db, &a, id).unwrap();
            applications::submit(&s.db, &s.policies, &a, id, s.today(), s.now()).unwrap();
            messages
        });
        assert!(seen.iter().any(|m| m.body == question), "{b}");
        assert_eq!(application(&p, id).state, State::Submitted, "{b}");
        let res = c
            .post(
                &format!("/inkoop/aanvragen/{id}/beoordelen"),
                &[("actie", "informatie"), ("vraag", "")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: a question is needed"
        );
    }
}

#[tokio::test]
async fn a_purchaser_posts_in_the_thread() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let path = format!("/inkoop/aanvragen/{id}/berichten");
        let text = "Per wanneer wilt u starten?";
        let res = c.post(&path, &[("bericht", text)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert!(page.body.contains(text), "{b}");
        let provider_sees =
            p.blocking(|s| applications::messages(&s.db, &actor(s, PROVIDER), id).unwrap());
        assert_eq!(provider_sees.len(), 1, "{b}");
        assert_eq!(provider_sees[0].body, text, "{b}");
        assert_eq!(provider_sees[0].author, "Ingrid Inkoper", "{b}");
        let res = c.post(&path, &[("bericht", "   ")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("het bericht is leeg"), "{b}");
    }
}

#[tokio::test]
async fn a_proposal_starts_from_the_policys_tariffs() {
    for p in portals() {
        let b = p.backend();
        let id = granted_praktijkmanagement(&p);
        let mut c = p.login(PURCHASER).await;
        let path = format!("/inkoop/aanvragen/{id}/voorstel");
        let form = c.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{b}: {}", form.body);
        for label in ["Startdatum", "Einddatum", "Omzetplafond"] {
            assert!(
                form.body.contains(&format!(">{label}</label>")),
                "{b}: {label}"
            );
        }
        assert!(form.body.contains(">Voorstel versturen</button>"), "{b}");
        // dates default to the earliest start and the policy period's end
        assert!(form.body.contains("value=\"2022-01-01\""), "{b}");
        assert!(form.body.contains("value=\"2023-12-31\""), "{b}");
        // the tariff input is prefilled with the policy value, which is shown beside it
        assert!(
            form.body
                .contains("name=\"tarief:praktijkmanagement.tariff-per-patient\""),
            "{b}"
        );
        assert!(form.body.contains("value=\"1,25\""), "{b}: {}", form.body);
        assert!(
            form.body.contains("Beleidswaarde: <strong>€ 1,25</strong>"),
            "{b}"
        );

        // a value that is no number: the form again, with the problem
        let res = c
            .post(
                &path,
                &[
                    ("startdatum", "2022-01-01"),
                    ("einddatum", "2023-12-31"),
                    ("tarief:praktijkmanagement.tariff-per-patient", "veel"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("role=\"alert\""), "{b}");
        assert!(
            res.body.contains("value=\"veel\""),
            "{b}: what was typed is kept"
        );

        // proposed from 2023: the policy value of that date, and a tariff typed with a comma
        let res = c
            .post(
                &path,
                &[
                    ("startdatum", "2023-01-01"),
                    ("einddatum", "2023-12-31"),
                    ("tarief:praktijkmanagement.tariff-per-patient", "1,40"),
                    ("omzetplafond", "12.500,00"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let loc = res.location().unwrap().to_string();
        let pid: i64 = loc.strip_prefix("/voorstellen/").unwrap().parse().unwrap();
        let prop = p.blocking(|s| proposals::get(&s.db, &actor(s, PURCHASER), pid).unwrap());
        assert_eq!(prop.state, proposals::State::Proposed, "{b}");
        assert_eq!(prop.application_id, Some(id), "{b}");
        assert_eq!(prop.start, date(2023, 1, 1), "{b}");
        assert_eq!(prop.end, Some(date(2023, 12, 31)), "{b}");
        assert_eq!(prop.terms.len(), 1, "{b}");
        assert_eq!(
            prop.terms[0].parameter,
            "praktijkmanagement.tariff-per-patient"
        );
        assert_eq!(prop.terms[0].policy_value.as_deref(), Some("1.3"), "{b}");
        assert_eq!(prop.terms[0].proposed_value, "1.4", "{b}");
        assert_eq!(prop.tariff_cents, 140, "{b}");
        assert_eq!(prop.ceiling_cents, Some(1_250_000), "{b}");

        // a second proposal for the same application is refused
        let res = c
            .post(
                &path,
                &[
                    ("startdatum", "2022-01-01"),
                    ("tarief:praktijkmanagement.tariff-per-patient", "1,25"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert!(
            page.body.contains(&format!("href=\"/voorstellen/{pid}\"")),
            "{b}"
        );
        assert!(
            !page.body.contains("Contract voorstellen"),
            "{b}: one at a time"
        );

        // the list of all proposals shows it with its status
        let list = c.get("/inkoop/voorstellen").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert!(
            list.body.contains(&format!("href=\"/voorstellen/{pid}\"")),
            "{b}"
        );
        assert!(
            list.body.contains("voorstel, wacht op ondertekening"),
            "{b}"
        );
    }
}

#[tokio::test]
async fn a_proposal_waits_for_the_grant() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let path = format!("/inkoop/aanvragen/{id}/voorstel");
        assert_eq!(c.get(&path).await.status, StatusCode::CONFLICT, "{b}");
        let res = c.post(&path, &[("startdatum", "2022-01-01")]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
    }
}

#[tokio::test]
async fn an_administrative_contract_is_a_contract_at_once() {
    for p in portals() {
        let b = p.backend();
        let delinde = organisation_id(&p, "Huisartsenpraktijk De Linde");
        let mut c = p.login(PURCHASER).await;
        let res = c.get("/inkoop/administratief").await;
        assert_eq!(res.status, StatusCode::OK, "{b}");
        assert!(
            res.body.contains("kan achteraf niet worden gewijzigd"),
            "{b}"
        );
        let res = c
            .get("/inkoop/administratief?module=gp-2022-2023%2Fpraktijkmanagement")
            .await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert!(res.body.contains("Huisartsenpraktijk De Linde"), "{b}");
        assert!(
            !res.body.contains("Thuiszorg De Wijk"),
            "{b}: only providers that may contract the module"
        );
        assert!(res.body.contains("value=\"1,25\""), "{b}");
        assert!(res.body.contains(">Vastleggen</button>"), "{b}");

        let org = delinde.to_string();
        let mut fields = vec![
            ("module", "gp-2022-2023/praktijkmanagement"),
            ("organisatie", org.as_str()),
            ("startdatum", "2022-01-01"),
            ("einddatum", "2022-12-31"),
            ("tarief:praktijkmanagement.tariff-per-patient", "1,25"),
        ];
        let res = c.post("/inkoop/administratief", &fields).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: not without confirming that it cannot be changed"
        );
        fields.push(("bevestigd", "ja"));
        let contracts_before = p.blocking(|s| Store { db: s.db.clone() }.contracts().unwrap());
        assert!(contracts_before.is_empty(), "{b}");
        let res = c.post("/inkoop/administratief", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let pid: i64 = res
            .location()
            .unwrap()
            .strip_prefix("/voorstellen/")
            .unwrap()
            .parse()
            .unwrap();
        let contracts = p.blocking(|s| Store { db: s.db.clone() }.contracts().unwrap());
        assert_eq!(contracts.len(), 1, "{b}");
        let k = &contracts[0];
        assert_eq!(k.provider_agb, "01012345", "{b}");
        assert_eq!(k.module, "praktijkmanagement", "{b}");
        assert_eq!(k.tariff_cents, 125, "{b}");
        assert_eq!(
            (k.start, k.end),
            (date(2022, 1, 1), Some(date(2022, 12, 31)))
        );
        let prop = p.blocking(|s| proposals::get(&s.db, &actor(s, PURCHASER), pid).unwrap());
        assert_eq!(prop.state, proposals::State::Administrative, "{b}");
        assert_eq!(prop.contract_id, k.id, "{b}");
        let list = c.get("/inkoop/voorstellen").await;
        assert!(list.body.contains("administratief contract"), "{b}");
        assert!(
            list.body.contains("getekend, start later"),
            "{b}: starts on 1 January 2022, after the demo date"
        );

        // a provider whose kind cannot contract the module is refused
        let dewijk = organisation_id(&p, "Thuiszorg De Wijk").to_string();
        let mut wrong = fields.clone();
        wrong[1] = ("organisatie", dewijk.as_str());
        let res = c.post("/inkoop/administratief", &wrong).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let n = p.blocking(|s| Store { db: s.db.clone() }.contracts().unwrap().len());
        assert_eq!(n, 1, "{b}");
    }
}

#[tokio::test]
async fn the_overview_per_provider_shows_its_users_applications_and_contracts() {
    for p in portals() {
        let b = p.backend();
        let id = granted_praktijkmanagement(&p);
        let delinde = organisation_id(&p, "Huisartsenpraktijk De Linde");
        let mut c = p.login(AUDITOR).await;
        let list = c.get("/inkoop/aanbieders").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        for name in [
            "Huisartsenpraktijk De Linde",
            "Groepspraktijk Het Plein",
            "Trombosedienst Midden-Nederland",
        ] {
            assert!(list.body.contains(name), "{b}: {name}");
        }
        assert!(
            list.body.contains("01012345"),
            "{b}: AGB with its leading zero"
        );
        assert!(
            !list.body.contains("Zilveren Kruis (zorginkoop)</a>"),
            "{b}: the insurer is no provider"
        );
        let one = c.get(&format!("/inkoop/aanbieders/{delinde}")).await;
        assert_eq!(one.status, StatusCode::OK, "{b}");
        assert!(one.body.contains("Mila Medewerker"), "{b}");
        assert!(one.body.contains("tekenbevoegde zorgaanbieder"), "{b}");
        assert!(
            one.body
                .contains(&format!("href=\"/inkoop/aanvragen/{id}\"")),
            "{b}"
        );
        assert!(one.body.contains("toegekend"), "{b}");
        assert!(
            !one.body.contains("Pim Plein"),
            "{b}: another practice's user"
        );
        let insurer = p.blocking(|s| actor(s, PURCHASER).organisation_id);
        assert_eq!(
            c.get(&format!("/inkoop/aanbieders/{insurer}")).await.status,
            StatusCode::NOT_FOUND,
            "{b}: the insurer is no provider"
        );
        assert_eq!(
            c.get("/inkoop/aanbieders/999999").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn an_auditor_reads_but_cannot_act() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let granted = granted_praktijkmanagement(&p);
        let delinde = organisation_id(&p, "Huisartsenpraktijk De Linde").to_string();
        let mut c = p.login(AUDITOR).await;
        for path in [
            "/inkoop".to_string(),
            format!("/inkoop/aanvragen/{id}"),
            format!("/inkoop/aanvragen/{granted}/voorstel"),
            "/inkoop/voorstellen".to_string(),
            "/inkoop/administratief?module=gp-2022-2023%2Fbasiszorg".to_string(),
            "/audit".to_string(),
        ] {
            let res = c.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{b}: {path}");
            assert!(
                !res.body.contains("<button type=\"submit\">Vastleggen"),
                "{b}: {path}"
            );
        }
        let page = c.get(&format!("/inkoop/aanvragen/{id}")).await;
        for button in ["Toekennen", "Afwijzen", "Informatie vragen", "Versturen"] {
            assert!(
                !page.body.contains(&format!(">{button}</button>")),
                "{b}: {button}"
            );
        }
        assert!(page.body.contains("U kunt dit alleen inzien"), "{b}");
        let form = c
            .get(&format!("/inkoop/aanvragen/{granted}/voorstel"))
            .await;
        assert!(!form.body.contains("Voorstel versturen"), "{b}");

        let res = c
            .post(
                &format!("/inkoop/aanvragen/{id}/beoordelen"),
                &[("actie", "toekennen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}: {}", res.body);
        let res = c
            .post(
                &format!("/inkoop/aanvragen/{id}/berichten"),
                &[("bericht", "hallo")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let res = c
            .post(
                &format!("/inkoop/aanvragen/{granted}/voorstel"),
                &[
                    ("startdatum", "2022-01-01"),
                    ("tarief:praktijkmanagement.tariff-per-patient", "1,25"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let res = c
            .post(
                "/inkoop/administratief",
                &[
                    ("module", "gp-2022-2023/basiszorg"),
                    ("organisatie", delinde.as_str()),
                    ("startdatum", "2022-01-01"),
                    ("bevestigd", "ja"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(application(&p, id).state, State::Submitted, "{b}");
        let (messages, contracts, props) = p.blocking(|s| {
            let a = actor(s, PURCHASER);
            (
                applications::messages(&s.db, &a, id).unwrap(),
                Store { db: s.db.clone() }.contracts().unwrap(),
                proposals::list_all(&s.db, &a).unwrap(),
            )
        });
        assert!(
            messages.is_empty() && contracts.is_empty() && props.is_empty(),
            "{b}"
        );
    }
}

#[tokio::test]
async fn providers_get_nothing_of_the_insurers_pages() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let delinde = organisation_id(&p, "Huisartsenpraktijk De Linde");
        for who in [PROVIDER, OTHER, "huisarts@delinde.example"] {
            let mut c = p.login(who).await;
            for path in [
                "/inkoop".to_string(),
                format!("/inkoop/aanvragen/{id}"),
                format!("/inkoop/aanvragen/{id}/voorstel"),
                "/inkoop/voorstellen".to_string(),
                "/inkoop/administratief".to_string(),
                "/inkoop/aanbieders".to_string(),
                format!("/inkoop/aanbieders/{delinde}"),
            ] {
                let res = c.get(&path).await;
                assert!(
                    matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                    "{b}: {who} {path}: {}",
                    res.status
                );
                assert!(!res.body.contains("Mila Medewerker"), "{b}: {who} {path}");
                assert!(!res.body.contains("gp_big_registered"), "{b}: {who} {path}");
            }
            for (path, fields) in [
                (
                    format!("/inkoop/aanvragen/{id}/beoordelen"),
                    vec![("actie", "toekennen")],
                ),
                (
                    format!("/inkoop/aanvragen/{id}/berichten"),
                    vec![("bericht", "hallo")],
                ),
                (
                    format!("/inkoop/aanvragen/{id}/voorstel"),
                    vec![("startdatum", "2022-01-01")],
                ),
                (
                    "/inkoop/administratief".to_string(),
                    vec![("module", "gp-2022-2023/basiszorg")],
                ),
            ] {
                let res = c.post(&path, &fields).await;
                assert!(
                    matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                    "{b}: {who} POST {path}: {}",
                    res.status
                );
            }
        }
        assert_eq!(application(&p, id).state, State::Submitted, "{b}");
        let messages =
            p.blocking(|s| applications::messages(&s.db, &actor(s, PURCHASER), id).unwrap());
        assert!(messages.is_empty(), "{b}: no message was posted");
    }
}

#[tokio::test]
async fn the_audit_log_shows_the_entries_to_whom_they_concern() {
    for p in portals() {
        let b = p.backend();
        let id = basiszorg(&p);
        let mut c = p.login(PURCHASER).await;
        let res = c
            .post(
                &format!("/inkoop/aanvragen/{id}/beoordelen"),
                &[("actie", "toekennen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let sha = p.blocking(|s| s.policies.get("gp-2022-2023").unwrap().sha256.clone());

        let log = c.get("/audit").await;
        assert_eq!(log.status, StatusCode::OK, "{b}");
        for text in [
            "aanvraag ingediend",
            "aanvraag toegekend",
            "Mila Medewerker",
            "Ingrid Inkoper",
            "state: granted",
            "state: submitted",
        ] {
            assert!(log.body.contains(text), "{b}: {text}");
        }
        assert!(log.body.contains(&sha), "{b}: the receipt");
        assert!(
            log.body
                .contains(&format!("href=\"/inkoop/aanvragen/{id}\"")),
            "{b}"
        );

        // the provider sees its own organisation's entries, another practice none of them
        let mut own = p.login(PROVIDER).await;
        let res = own.get("/audit").await;
        assert_eq!(res.status, StatusCode::OK, "{b}");
        assert!(res.body.contains("aanvraag toegekend"), "{b}");
        assert!(
            res.body.contains(&format!("href=\"/aanvragen/{id}\"")),
            "{b}"
        );
        let mut other = p.login(OTHER).await;
        let res = other.get("/audit").await;
        assert_eq!(res.status, StatusCode::OK, "{b}");
        assert!(!res.body.contains("aanvraag"), "{b}: {}", res.body);
        assert!(!res.body.contains("De Linde"), "{b}");
    }
}
