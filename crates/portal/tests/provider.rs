//! The care provider's pages, on SQLite and PostgreSQL: dashboard, catalogue with decisions and
//! citations, applications (form, saved answers, the htmx fragment, submission, closed windows,
//! the thread), proposals (only the signer signs; the contract lands in the store), the PDFs,
//! the calculators, and that another organisation sees none of it.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use common::{Client, Portal, Res, portals};
use zorginkoop_app::accounts::{self, Actor};
use zorginkoop_app::applications::{self, Review, State};
use zorginkoop_app::proposals::{self, NewProposal};
use zorginkoop_app::{policies, portal_demo};
use zorginkoop_portal::{AppState, Clock};
use zorginkoop_store::Store;

const EMPLOYEE: &str = "medewerker@delinde.example";
const SIGNER: &str = "huisarts@delinde.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
const OTHER: &str = "medewerker@hetplein.example";
const OTHER_SIGNER: &str = "huisarts@hetplein.example";
const LAB: &str = "analist@labmidden.example";

/// The four yes/no declarations of the POH-S supplement.
const POH_S: [&str; 4] = [
    "pohs_employed_or_seconded",
    "pohs_works_in_his_adepd",
    "pohs_meets_lhv_competence_profile",
    "pohs_funded_hours_declared",
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn actor(p: &Portal, email: &str) -> Actor {
    let email = email.to_string();
    p.blocking(move |s| {
        accounts::login(
            &s.db,
            &email,
            portal_demo::DEMO_PASSWORD,
            &accounts::Client {
                ip: "192.0.2.1",
                user_agent: "test",
            },
            chrono::Utc::now(),
        )
        .unwrap()
        .actor
    })
}

/// The id at the end of a redirect such as `/aanvragen/7`.
fn id_from(res: &Res) -> i64 {
    let loc = res
        .location()
        .unwrap_or_else(|| panic!("a redirect: {res:?}"));
    let path = loc.split(['?', '#']).next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

/// Starts an application from the catalogue's button.
async fn start(c: &mut Client, policy: &str, module: &str) -> i64 {
    let res = c
        .post("/aanvragen", &[("beleid", policy), ("module", module)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id_from(&res)
}

/// A POH-S application with every answer "ja", not yet submitted.
async fn answered_poh_s(c: &mut Client) -> i64 {
    let id = start(c, "gp-2022-2023", "poh-s-supplement").await;
    let pairs: Vec<(&str, &str)> = POH_S.iter().map(|f| (*f, "ja")).collect();
    let res = c.post(&format!("/aanvragen/{id}/antwoorden"), &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id
}

/// A submitted, granted application with a proposal from the purchaser: the proposal's id.
async fn proposal(p: &Portal, c: &mut Client) -> (i64, i64) {
    let id = answered_poh_s(c).await;
    let res = c.post(&format!("/aanvragen/{id}/indienen"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let purchaser = actor(p, PURCHASER);
    let pid = p.blocking(move |s| {
        let now = s.now();
        applications::review(&s.db, &purchaser, id, &Review::Grant, now).unwrap();
        let policy = policies::find(&s.policies, "gp-2022-2023").unwrap();
        proposals::propose(
            &s.db,
            &s.policies,
            &purchaser,
            &NewProposal {
                application_id: Some(id),
                organisation_id: 0,
                policy_id: String::new(),
                module: String::new(),
                terms: proposals::tariff_terms(policy, "poh-s-supplement", d(2022, 1, 1)),
                start: d(2022, 1, 1),
                end: Some(d(2023, 12, 31)),
                ceiling_cents: Some(1_000_000),
            },
            now,
        )
        .unwrap()
    });
    (id, pid)
}

/// A request as htmx sends it (the `HX-Request` header).
async fn htmx_post(c: &mut Client, path: &str, pairs: &[(&str, &str)]) -> Res {
    let csrf = c.csrf.clone();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(pairs);
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::COOKIE, &c.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
        .unwrap();
    c.send(req).await
}

fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!(
        "zorginkoop-portal-pdf-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

#[tokio::test]
async fn the_dashboard_shows_what_is_due_with_days_left_and_the_status_of_applications() {
    for p in portals() {
        let b = p.backend();
        let mut c = p.login(EMPLOYEE).await;
        let empty = c.get("/dashboard").await;
        assert_eq!(empty.status, StatusCode::OK, "{b}: {}", empty.body);
        assert!(empty.body.contains("<h2>Wat komt eraan</h2>"), "{b}");
        // on 1 November 2021 the GP 2022-2023 contract period starts in 61 days
        assert!(
            empty
                .body
                .contains("Looptijd Huisartsenovereenkomst 2022-2023"),
            "{b}"
        );
        assert!(empty.body.contains("nog 61 dagen"), "{b}");
        // a policy shows from the day it is published: O&I 2026-2027 (published 1 April 2025)
        // is only named as announced on 1 November 2021
        assert!(!empty.body.contains("<h3>Inkoopbeleid Organisatie"), "{b}");
        assert!(
            empty.body.contains("Nog niet gepubliceerd: Inkoopbeleid Organisatie &amp; Infrastructuur 2026-2027 (verwacht op 1 april 2025)"),
            "{b}: {}",
            empty.body
        );
        // POH-S starts quarterly with 4 weeks' lead time: apply by 4 December 2021 for 1 January
        assert!(empty.body.contains("<h2>Aanvraagperiodes</h2>"), "{b}");
        assert!(empty.body.contains("4 december 2021"), "{b}");
        assert!(empty.body.contains("nog 33 dagen"), "{b}");
        assert!(empty.body.contains("Nog geen aanvragen"), "{b}");

        let id = answered_poh_s(&mut c).await;
        let page = c.get("/dashboard").await;
        assert!(
            page.body.contains(&format!("href=\"/aanvragen/{id}\"")),
            "{b}"
        );
        assert!(page.body.contains("concept"), "{b}: the draft's status");

        let mut purchaser = p.login(PURCHASER).await;
        let res = purchaser.get("/dashboard").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}: a provider's page");
    }
}

#[tokio::test]
async fn the_catalogue_shows_the_modules_with_decisions_and_citation_links() {
    for p in portals() {
        let b = p.backend();
        let mut c = p.login(EMPLOYEE).await;
        let res = c.get("/catalogus").await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        // the default for a GP practice is the 2022-2023 policy: one h2 per module
        assert!(
            res.body.contains(
                r#"<h2 id="m-basiszorg">Huisartsenovereenkomst 2022-2023 (basiszorg)</h2>"#
            ),
            "{b}"
        );
        assert!(res.body.contains(r#"<h2 id="m-poh-ggz">"#), "{b}");
        assert!(
            !res.body
                .contains(r#"id="m-toekomstbestendige-huisartsenzorg-regio""#),
            "{b}: a module for regio-organisaties only is not in a practice's catalogue"
        );
        // without answers the engine needs information; every decision names the passage it
        // rests on (for basiszorg the first question without an answer) and links to it
        assert!(res.body.contains("informatie nodig"), "{b}");
        let cards: Vec<&str> = res
            .body
            .split("<section class=\"card module\"")
            .skip(1)
            .collect();
        assert_eq!(
            cards.len(),
            17,
            "{b}: the 17 modules a practice can contract"
        );
        for card in &cards {
            assert!(
                card.contains("href=\"/bron/") && card.contains("lees de passage"),
                "{b}: a decision without its passage: {card}"
            );
        }
        let basis = cards[0];
        assert!(
            basis.contains("Rust op: Alle in Nederland geregistreerde huisartsen kunnen een overeenkomst krijgen"),
            "{b}: {basis}"
        );
        let cite = "href=\"/bron/001_336eaf566bd5c9f1.txt?citaat=";
        assert!(res.body.contains(cite), "{b}");
        assert!(
            res.body.contains(r#"name="beleid" value="gp-2022-2023""#),
            "{b}"
        );
        assert!(res.body.contains(">Aanvragen</button>"), "{b}");
        // a citation link opens the passage, marked
        let at = res.body.find(cite).unwrap() + "href=\"".len();
        let href = &res.body[at..at + res.body[at..].find('"').unwrap()];
        let passage = c.get(&href.replace("&amp;", "&")).await;
        assert_eq!(passage.status, StatusCode::OK, "{b}: {href}");
        assert!(
            passage.body.contains(r#"<mark id="passage""#),
            "{b}: {href}"
        );

        // the explanation step by step is a page per module, linked from the card and loaded
        // into it by htmx when opened: every step with its outcome and its citation
        let explanation = "/catalogus/gp-2022-2023/basiszorg";
        assert!(basis.contains(&format!("href=\"{explanation}\"")), "{b}");
        assert!(
            basis.contains(&format!(
                "hx-get=\"{explanation}\" hx-trigger=\"toggle once\""
            )),
            "{b}"
        );
        let page = c.get(explanation).await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(
            page.body
                .contains("<h1>Huisartsenovereenkomst 2022-2023 (basiszorg)</h1>"),
            "{b}"
        );
        assert!(page.body.contains("informatie nodig"), "{b}");
        let steps = page.body.matches("<figure class=\"citation\">").count();
        assert_eq!(steps, 3, "{b}: three steps, each with its citation");
        assert!(page.body.contains("antwoord ontbreekt"), "{b}");
        assert!(page.body.contains("lees de passage"), "{b}");
        let fragment = c.get_htmx(explanation).await;
        assert_eq!(fragment.status, StatusCode::OK, "{b}");
        assert!(
            fragment.body.starts_with("<ol class=\"trace\">"),
            "{b}: {}",
            fragment.body
        );
        assert_eq!(
            fragment.body.matches("<figure class=\"citation\">").count(),
            3,
            "{b}"
        );
        // a module the organisation's kind cannot contract, or of no policy, is not found
        for missing in [
            "/catalogus/gp-2022-2023/toekomstbestendige-huisartsenzorg-regio",
            "/catalogus/gp-2022-2023/bestaat-niet",
            "/catalogus/bestaat-niet/basiszorg",
        ] {
            let res = c.get(missing).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}: {missing}");
        }

        // another policy on request; an unknown one is not found
        let older = c.get("/catalogus?beleid=gp-2020-2021").await;
        assert!(
            older
                .body
                .contains("Huisartsenovereenkomst 2020-2021 (basiszorg)"),
            "{b}"
        );
        let none = c.get("/catalogus?beleid=bestaat-niet").await;
        assert_eq!(none.status, StatusCode::NOT_FOUND, "{b}");

        // an open application: a link instead of the button
        let id = start(&mut c, "gp-2022-2023", "basiszorg").await;
        let again = c.get("/catalogus").await;
        assert!(
            again.body.contains(&format!("href=\"/aanvragen/{id}\"")),
            "{b}"
        );
        assert!(again.body.contains("Naar de aanvraag"), "{b}");
        // the catalogue's button gives the open application, not a second one
        assert_eq!(start(&mut c, "gp-2022-2023", "basiszorg").await, id, "{b}");

        // the decisions are kept, but new answers show at once, in the catalogue and the
        // explanation
        let res = c
            .post(
                &format!("/aanvragen/{id}/antwoorden"),
                &[("gp_big_registered", "ja"), ("contracts_full_scope", "ja")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let answered = c.get("/catalogus").await;
        let basis = answered
            .body
            .split("<section class=\"card module\"")
            .nth(1)
            .unwrap();
        assert!(basis.contains("komt in aanmerking"), "{b}: {basis}");
        let page = c.get(explanation).await;
        assert!(page.body.contains("komt in aanmerking"), "{b}");
        assert!(!page.body.contains("antwoord ontbreekt"), "{b}");
    }
}

#[tokio::test]
async fn a_drafts_answers_are_typed_saved_and_there_after_a_new_login() {
    for p in portals() {
        let b = p.backend();
        let mut c = p.login(EMPLOYEE).await;
        let id = start(&mut c, "gp-2022-2023", "praktijkmanagement").await;
        let page = c.get(&format!("/aanvragen/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        for needle in [
            r#"<section id="beslissing" aria-live="polite""#,
            r#"<label for="f-registered_patients">"#,
            r#"<label for="f-pm_works_for_collaboration-ja">Ja</label>"#,
            ">Opslaan</button>",
            ">Indienen</button>",
            r#"<label for="bericht">Bericht</label>"#,
            ">Versturen</button>",
            "Nog te beantwoorden",
        ] {
            assert!(page.body.contains(needle), "{b}: {needle}");
        }

        let res = c
            .post(
                &format!("/aanvragen/{id}/antwoorden"),
                &[
                    ("registered_patients", "2350"),
                    ("pm_works_for_collaboration", "ja"),
                    ("pm_education_started", "nee"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let employee = actor(&p, EMPLOYEE);
        let stored = p.blocking(move |s| applications::get(&s.db, &employee, id).unwrap());
        assert_eq!(
            stored.facts["registered_patients"],
            serde_json::json!(2350),
            "{b}"
        );
        assert_eq!(
            stored.facts["pm_works_for_collaboration"],
            serde_json::json!(true),
            "{b}"
        );
        assert_eq!(
            stored.facts["pm_education_started"],
            serde_json::json!(false),
            "{b}"
        );

        // a closed browser: a new session shows the answers
        let mut later = p.login(EMPLOYEE).await;
        let page = later.get(&format!("/aanvragen/{id}")).await;
        assert!(
            page.body
                .contains(r#"id="f-registered_patients" name="registered_patients" value="2350""#),
            "{b}"
        );
        assert!(
            page.body.contains(r#"id="f-pm_works_for_collaboration-ja" name="pm_works_for_collaboration" value="ja" checked"#),
            "{b}"
        );

        // a wrong value is refused at its field and nothing is stored
        let bad = later
            .post(
                &format!("/aanvragen/{id}/antwoorden"),
                &[
                    ("registered_patients", "-5"),
                    ("pm_works_for_collaboration", "ja"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(bad.body.contains(r#"role="alert""#), "{b}");
        assert!(
            bad.body.contains(r#"value="-5""#),
            "{b}: the typed value is kept"
        );
        let employee = actor(&p, EMPLOYEE);
        let stored = p.blocking(move |s| applications::get(&s.db, &employee, id).unwrap());
        assert_eq!(
            stored.facts["registered_patients"],
            serde_json::json!(2350),
            "{b}"
        );
    }
}

#[tokio::test]
async fn htmx_gets_only_the_live_decision_which_says_what_is_missing() {
    for p in portals() {
        let b = p.backend();
        let mut c = p.login(EMPLOYEE).await;
        let id = start(&mut c, "gp-2022-2023", "poh-s-supplement").await;
        let path = format!("/aanvragen/{id}/antwoorden");
        let res = htmx_post(&mut c, &path, &[(POH_S[0], "ja"), (POH_S[1], "ja")]).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert!(
            res.body
                .starts_with(r#"<section id="beslissing" aria-live="polite""#),
            "{b}: {}",
            res.body
        );
        assert!(!res.body.contains("<html"), "{b}: a fragment, not a page");
        assert!(
            res.body.contains("Nog te beantwoorden (2)"),
            "{b}: {}",
            res.body
        );
        assert!(
            res.body.contains(&format!("href=\"#f-{}\"", POH_S[2])),
            "{b}"
        );
        // saved as well
        let employee = actor(&p, EMPLOYEE);
        let stored = p.blocking(move |s| applications::get(&s.db, &employee, id).unwrap());
        assert_eq!(stored.facts.len(), 2, "{b}");

        // all answered: nothing missing any more
        let all: Vec<(&str, &str)> = POH_S.iter().map(|f| (*f, "ja")).collect();
        let res = htmx_post(&mut c, &path, &all).await;
        assert!(
            !res.body.contains("Nog te beantwoorden"),
            "{b}: {}",
            res.body
        );
        assert!(res.body.contains("Vroegste startdatum"), "{b}");
        assert!(res.body.contains("1 januari 2022"), "{b}");
        assert!(
            res.body.contains(
                "Alleen met een overeenkomst Huisartsenovereenkomst 2022-2023 (basiszorg)"
            ),
            "{b}: what still stands in the way"
        );

        // a problem comes back inside the fragment
        let res = htmx_post(&mut c, &path, &[(POH_S[0], "misschien")]).await;
        assert_eq!(res.status, StatusCode::OK, "{b}");
        assert!(res.body.contains(r#"role="alert""#), "{b}: {}", res.body);

        // GET with the header gives the fragment too
        let req = Request::builder()
            .uri(format!("/aanvragen/{id}"))
            .header(header::COOKIE, &c.cookie)
            .header("hx-request", "true")
            .body(Body::empty())
            .unwrap();
        let res = c.send(req).await;
        assert!(res.body.starts_with(r#"<section id="beslissing""#), "{b}");
    }
}

#[tokio::test]
async fn submission_sets_the_earliest_start_from_the_date_of_submission() {
    for p in portals() {
        let b = p.backend();
        // submitted on the demo date, 1 November 2021: the quarter start 1 January 2022 is more
        // than 4 weeks away
        let mut plein = p.login(OTHER).await;
        let early = answered_poh_s(&mut plein).await;
        let res = plein
            .post(&format!("/aanvragen/{early}/indienen"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let other = actor(&p, OTHER);
        let a = p.blocking(move |s| applications::get(&s.db, &other, early).unwrap());
        assert_eq!(a.state, State::Submitted, "{b}");
        assert_eq!(a.request_date, Some(d(2021, 11, 1)), "{b}");
        assert_eq!(a.earliest_start, Some(d(2022, 1, 1)), "{b}");

        // submitted on 15 January 2022: 1 April 2022 is the first start date 4 weeks ahead
        let mut c = p.login(EMPLOYEE).await;
        let late = answered_poh_s(&mut c).await;
        let later = AppState {
            clock: Clock::Fixed(d(2022, 1, 15)),
            ..p.state.clone()
        };
        let mut c_later = c.clone();
        c_later.router = zorginkoop_portal::router(later);
        let res = c_later
            .post(&format!("/aanvragen/{late}/indienen"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let employee = actor(&p, EMPLOYEE);
        let a = p.blocking(move |s| applications::get(&s.db, &employee, late).unwrap());
        assert_eq!(a.request_date, Some(d(2022, 1, 15)), "{b}");
        assert_eq!(a.earliest_start, Some(d(2022, 4, 1)), "{b}");
        let page = c.get(res.location().unwrap()).await;
        assert!(page.body.contains("Uw aanvraag is ingediend"), "{b}");
        assert!(page.body.contains("1 april 2022"), "{b}");
        assert!(page.body.contains("Beslissing bij indiening"), "{b}");
        assert!(
            !page.body.contains(">Indienen</button>"),
            "{b}: submitted once"
        );

        // an application with answers missing is not submitted, and says why
        let open = start(&mut c, "gp-2022-2023", "praktijkmanagement").await;
        let res = c.post(&format!("/aanvragen/{open}/indienen"), &[]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(
            res.body.contains("nog niet alle vragen zijn beantwoord"),
            "{b}"
        );
        assert!(res.body.contains(r#"role="alert""#), "{b}");
    }
}

#[tokio::test]
async fn a_closed_window_is_shown_with_its_passage_and_submission_is_refused() {
    for p in portals() {
        let b = p.backend();
        let mut lab = p.login(LAB).await;
        let catalogue = lab.get("/catalogus").await;
        assert_eq!(catalogue.status, StatusCode::OK, "{b}: {}", catalogue.body);
        assert!(catalogue.body.contains(r#"<h2 id="m-lab-regular">"#), "{b}");
        assert!(
            catalogue.body.contains(
                "De aanvraagperiode is gesloten: aanvragen kon tot en met 31 december 2019."
            ),
            "{b}"
        );
        let id = start(&mut lab, "diagnostics-2020", "lab-regular").await;
        let page = lab.get(&format!("/aanvragen/{id}")).await;
        assert!(page.body.contains("De aanvraagperiode is gesloten"), "{b}");
        assert!(
            page.body
                .contains("31 december 2019 Getekende overeenkomst 2020"),
            "{b}: the passage is quoted"
        );
        assert!(
            page.body
                .contains("href=\"/bron/003_1002b85ce44c7f66.txt?citaat="),
            "{b}"
        );
        let res = lab.post(&format!("/aanvragen/{id}/indienen"), &[]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(
            res.body.contains("de aanvraagperiode is gesloten"),
            "{b}: {}",
            res.body
        );
        assert!(
            res.body
                .contains("31 december 2019 Getekende overeenkomst 2020"),
            "{b}"
        );
        let analyst = actor(&p, LAB);
        let a = p.blocking(move |s| applications::get(&s.db, &analyst, id).unwrap());
        assert_eq!(a.state, State::Draft, "{b}: still a draft");
    }
}

#[tokio::test]
async fn the_lists_and_the_thread_with_the_purchaser() {
    for p in portals() {
        let b = p.backend();
        let mut c = p.login(EMPLOYEE).await;
        let id = start(&mut c, "gp-2022-2023", "poh-ggz").await;
        let list = c.get("/aanvragen").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert!(
            list.body.contains(&format!("href=\"/aanvragen/{id}\"")),
            "{b}"
        );
        assert!(
            list.body.contains("Vergoeding Praktijkondersteuning GGZ"),
            "{b}"
        );

        let res = c
            .post(
                &format!("/aanvragen/{id}/berichten"),
                &[("bericht", "Telt de eHealth-tijd mee?")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let purchaser = actor(&p, PURCHASER);
        p.blocking(move |s| {
            applications::post_message(&s.db, &purchaser, id, "Ja, 1 uur per week.", s.now())
                .unwrap()
        });
        let page = c.get(&format!("/aanvragen/{id}")).await;
        assert!(page.body.contains("Telt de eHealth-tijd mee?"), "{b}");
        assert!(page.body.contains("Mila Medewerker"), "{b}");
        assert!(page.body.contains("Ja, 1 uur per week."), "{b}");
        assert!(page.body.contains("zorginkoper"), "{b}: the author's role");
        // files in the thread are listed, with the upload form
        let employee_actor = actor(&p, EMPLOYEE);
        let file = p.blocking(move |s| {
            zorginkoop_app::attachments::add(
                &s.db,
                &employee_actor,
                id,
                "rooster.txt",
                b"ma 17-19 uur",
                s.now(),
            )
            .unwrap()
        });
        let page = c.get(&format!("/aanvragen/{id}")).await;
        assert!(
            page.body.contains(&format!("href=\"/bijlagen/{file}\"")),
            "{b}"
        );
        assert!(page.body.contains("rooster.txt"), "{b}");
        assert!(page.body.contains(">Bijlage toevoegen</button>"), "{b}");
        let empty = c
            .post(&format!("/aanvragen/{id}/berichten"), &[("bericht", "  ")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(empty.body.contains(r#"role="alert""#), "{b}");

        let contracts = c.get("/contracten").await;
        assert_eq!(contracts.status, StatusCode::OK, "{b}");
        assert!(contracts.body.contains("Nog geen voorstellen"), "{b}");
        let (_, pid) = proposal(&p, &mut c).await;
        let contracts = c.get("/contracten").await;
        assert!(
            contracts
                .body
                .contains(&format!("href=\"/voorstellen/{pid}\"")),
            "{b}"
        );
        assert!(contracts.body.contains("wacht op ondertekening"), "{b}");
    }
}

#[tokio::test]
async fn only_the_signer_signs_and_the_contract_is_then_in_the_store() {
    for p in portals() {
        let b = p.backend();
        let mut employee = p.login(EMPLOYEE).await;
        let (_, pid) = proposal(&p, &mut employee).await;
        let path = format!("/voorstellen/{pid}");

        // a provider user reads the exact text and the tariffs, and the note instead of the forms
        let page = employee.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        let signer_actor = actor(&p, SIGNER);
        let stored = p.blocking(move |s| proposals::get(&s.db, &signer_actor, pid).unwrap());
        assert!(page.body.contains("Voorstel tot overeenkomst"), "{b}");
        assert!(page.body.contains(&stored.text_sha256), "{b}");
        assert!(page.body.contains("Waarde in het beleid"), "{b}");
        assert!(
            page.body
                .contains("<h2 id=\"samenvatting-kop\">Samenvatting</h2>"),
            "{b}"
        );
        assert!(page.body.contains("Samenvatting (PDF)"), "{b}");
        assert!(page.body.contains("€ 10.000,00"), "{b}: the ceiling");
        assert!(
            page.body
                .contains("Alleen een tekenbevoegde kan dit voorstel ondertekenen of weigeren."),
            "{b}"
        );
        assert!(!page.body.contains(">Ondertekenen</button>"), "{b}");
        assert!(
            !page.body.contains("Ontvangstbewijs (PDF)"),
            "{b}: not signed yet"
        );

        // the non-signer's POST is refused and changes nothing
        let res = employee
            .post(
                &format!("{path}/ondertekenen"),
                &[("text_sha256", &stored.text_sha256)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}: {}", res.body);
        let res = employee
            .post(
                &format!("{path}/weigeren"),
                &[("text_sha256", &stored.text_sha256), ("reden", "te laag")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let signer_actor = actor(&p, SIGNER);
        let (after, contracts) = p.blocking(move |s| {
            (
                proposals::get(&s.db, &signer_actor, pid).unwrap(),
                Store { db: s.db.clone() }.contracts().unwrap(),
            )
        });
        assert_eq!(after.state, proposals::State::Proposed, "{b}");
        assert!(
            contracts.iter().all(|c| c.module != "poh-s-supplement"),
            "{b}"
        );

        // the purchaser views it too, and cannot sign
        let mut purchaser = p.login(PURCHASER).await;
        let seen = purchaser.get(&path).await;
        assert_eq!(seen.status, StatusCode::OK, "{b}");
        assert!(seen.body.contains("Alleen een tekenbevoegde"), "{b}");
        let res = purchaser
            .post(
                &format!("{path}/ondertekenen"),
                &[("text_sha256", &stored.text_sha256)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");

        // no receipt before signing
        let none = employee.get(&format!("{path}/ontvangstbewijs.pdf")).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND, "{b}");

        // the signer signs with the hash of the text shown
        let mut signer = p.login(SIGNER).await;
        let page = signer.get(&path).await;
        assert!(page.body.contains(">Ondertekenen</button>"), "{b}");
        assert!(page.body.contains(">Weigeren</button>"), "{b}");
        assert!(
            page.body.contains(r#"<label for="reden">Reden</label>"#),
            "{b}"
        );
        let sha = page
            .hidden("text_sha256")
            .expect("the form carries the text's hash");
        assert_eq!(sha, stored.text_sha256, "{b}");
        let res = signer
            .post(&format!("{path}/ondertekenen"), &[("text_sha256", &sha)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let signer_actor = actor(&p, SIGNER);
        let (signed, contracts) = p.blocking(move |s| {
            (
                proposals::get(&s.db, &signer_actor, pid).unwrap(),
                Store { db: s.db.clone() }.contracts().unwrap(),
            )
        });
        assert_eq!(signed.state, proposals::State::Accepted, "{b}");
        assert_eq!(
            signed.answered_user_agent.as_deref(),
            Some("portal-test"),
            "{b}"
        );
        assert_eq!(
            signed.answered_by.as_deref(),
            Some("Dr. Hanna de Linde"),
            "{b}"
        );
        let contract = contracts
            .iter()
            .find(|c| c.id == signed.contract_id)
            .expect("the signed contract is in the store");
        assert_eq!(contract.provider_agb, "01012345", "{b}");
        assert_eq!(contract.module, "poh-s-supplement", "{b}");
        assert_eq!(contract.start, d(2022, 1, 1), "{b}");
        assert_eq!(contract.ceiling_cents, Some(1_000_000), "{b}");

        let page = signer.get(res.location().unwrap()).await;
        assert!(
            page.body.contains("U heeft het voorstel ondertekend"),
            "{b}"
        );
        assert!(page.body.contains("Ontvangstbewijs (PDF)"), "{b}");
        assert!(
            !page.body.contains(">Ondertekenen</button>"),
            "{b}: signed once"
        );
        let twice = signer
            .post(&format!("{path}/ondertekenen"), &[("text_sha256", &sha)])
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "{b}");
    }
}

#[tokio::test]
async fn the_signer_refuses_with_a_reason_and_a_wrong_hash_is_refused() {
    for p in portals() {
        let b = p.backend();
        let mut employee = p.login(EMPLOYEE).await;
        let (_, pid) = proposal(&p, &mut employee).await;
        let path = format!("/voorstellen/{pid}");
        let mut signer = p.login(SIGNER).await;
        let sha = signer.get(&path).await.hidden("text_sha256").unwrap();

        let wrong = signer
            .post(
                &format!("{path}/ondertekenen"),
                &[("text_sha256", &"0".repeat(64))],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::CONFLICT, "{b}");
        assert!(wrong.body.contains("niet de tekst die u las"), "{b}");

        let no_reason = signer
            .post(
                &format!("{path}/weigeren"),
                &[("text_sha256", &sha), ("reden", " ")],
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(no_reason.body.contains(r#"role="alert""#), "{b}");

        let res = signer
            .post(
                &format!("{path}/weigeren"),
                &[("text_sha256", &sha), ("reden", "Het plafond is te laag.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = signer.get(&path).await;
        assert!(page.body.contains("geweigerd"), "{b}");
        assert!(page.body.contains("Het plafond is te laag."), "{b}");
        let signer_actor = actor(&p, SIGNER);
        let (refused, contracts) = p.blocking(move |s| {
            (
                proposals::get(&s.db, &signer_actor, pid).unwrap(),
                Store { db: s.db.clone() }.contracts().unwrap(),
            )
        });
        assert_eq!(refused.state, proposals::State::Refused, "{b}");
        assert!(
            contracts.iter().all(|c| c.module != "poh-s-supplement"),
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_summary_and_the_receipt_are_pdfs_naming_the_module() {
    let has_pdftotext = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    for p in portals() {
        let b = p.backend();
        let mut employee = p.login(EMPLOYEE).await;
        let (_, pid) = proposal(&p, &mut employee).await;
        let path = format!("/voorstellen/{pid}");

        let summary = employee.get(&format!("{path}/samenvatting.pdf")).await;
        assert_eq!(summary.status, StatusCode::OK, "{b}");
        assert_eq!(
            summary.headers[header::CONTENT_TYPE],
            "application/pdf",
            "{b}"
        );
        assert_eq!(
            summary.headers[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"samenvatting-voorstel-{pid}.pdf\""),
            "{b}"
        );
        assert!(summary.bytes.starts_with(b"%PDF-"), "{b}");

        let mut signer = p.login(SIGNER).await;
        let sha = signer.get(&path).await.hidden("text_sha256").unwrap();
        signer
            .post(&format!("{path}/ondertekenen"), &[("text_sha256", &sha)])
            .await;
        let receipt = employee.get(&format!("{path}/ontvangstbewijs.pdf")).await;
        assert_eq!(receipt.status, StatusCode::OK, "{b}");
        assert_eq!(
            receipt.headers[header::CONTENT_TYPE],
            "application/pdf",
            "{b}"
        );
        assert!(
            receipt.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename="),
            "{b}"
        );
        assert!(receipt.bytes.starts_with(b"%PDF-"), "{b}");

        if has_pdftotext {
            let text = pdf_text(&summary.bytes).expect("pdftotext reads the summary");
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains("Vergoeding POH-S"), "{b}: {flat}");
            assert!(flat.contains("Huisartsenpraktijk De Linde"), "{b}: {flat}");
            let text = pdf_text(&receipt.bytes).expect("pdftotext reads the receipt");
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains("Vergoeding POH-S"), "{b}: {flat}");
            assert!(flat.contains("Dr. Hanna de Linde"), "{b}: {flat}");
            assert!(flat.contains(&sha), "{b}: the signed text's hash: {flat}");
        } else {
            eprintln!("pdftotext is not installed: the PDFs' text is not checked");
        }
    }
}

#[tokio::test]
async fn another_organisation_gets_404_on_every_id_route_and_changes_nothing() {
    for p in portals() {
        let b = p.backend();
        let mut employee = p.login(EMPLOYEE).await;
        let (app, pid) = proposal(&p, &mut employee).await;
        let draft = answered_poh_s(&mut employee).await;
        let signer_actor = actor(&p, SIGNER);
        let sha = p.blocking(move |s| {
            proposals::get(&s.db, &signer_actor, pid)
                .unwrap()
                .text_sha256
        });

        for who in [OTHER, OTHER_SIGNER] {
            let mut other = p.login(who).await;
            for path in [
                format!("/aanvragen/{app}"),
                format!("/aanvragen/{draft}"),
                format!("/voorstellen/{pid}"),
                format!("/voorstellen/{pid}/samenvatting.pdf"),
                format!("/voorstellen/{pid}/ontvangstbewijs.pdf"),
            ] {
                let res = other.get(&path).await;
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}: {who} GET {path}");
                assert!(!res.body.contains("De Linde"), "{b}: {who} GET {path}");
            }
            let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
                (
                    format!("/aanvragen/{draft}/antwoorden"),
                    vec![(POH_S[0], "nee")],
                ),
                (format!("/aanvragen/{draft}/indienen"), vec![]),
                (
                    format!("/aanvragen/{draft}/berichten"),
                    vec![("bericht", "hallo")],
                ),
                (
                    format!("/voorstellen/{pid}/ondertekenen"),
                    vec![("text_sha256", sha.as_str())],
                ),
                (
                    format!("/voorstellen/{pid}/weigeren"),
                    vec![("text_sha256", sha.as_str()), ("reden", "nee")],
                ),
            ];
            for (path, form) in &posts {
                let res = other.post(path, form).await;
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}: {who} POST {path}");
            }
        }
        let employee_actor = actor(&p, EMPLOYEE);
        let (a, msgs, prop) = p.blocking(move |s| {
            (
                applications::get(&s.db, &employee_actor, draft).unwrap(),
                applications::messages(&s.db, &employee_actor, draft).unwrap(),
                proposals::get(&s.db, &employee_actor, pid).unwrap(),
            )
        });
        assert_eq!(a.state, State::Draft, "{b}");
        assert_eq!(a.facts[POH_S[0]], serde_json::json!(true), "{b}");
        assert!(msgs.is_empty(), "{b}");
        assert_eq!(prop.state, proposals::State::Proposed, "{b}");
    }
}

#[tokio::test]
async fn the_insurers_staff_are_sent_to_their_own_pages() {
    for p in portals() {
        let b = p.backend();
        let mut purchaser = p.login(PURCHASER).await;
        for path in ["/dashboard", "/catalogus", "/aanvragen", "/contracten"] {
            let res = purchaser.get(path).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}: {path}");
            assert!(res.body.contains("werkvoorraad"), "{b}: {path}");
        }
        let res = purchaser
            .post(
                "/aanvragen",
                &[("beleid", "gp-2022-2023"), ("module", "basiszorg")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
    }
}

#[tokio::test]
async fn a_calculator_has_a_form_from_its_inputs_and_answers_with_a_receipt() {
    for p in portals() {
        let b = p.backend();
        let mut c = p.login(EMPLOYEE).await;
        let list = c.get("/rekentools").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert!(
            list.body.contains(r#"href="/rekentools/poh-ggz-hours""#),
            "{b}"
        );
        assert!(
            list.body
                .contains(r#"href="/rekentools/client-postcode-ratio""#),
            "{b}"
        );

        // a calculator is named as people call it, not by its id
        assert!(list.body.contains(">Uren POH-GGZ</h2>"), "{b}");
        let form = c.get("/rekentools/poh-ggz-hours").await;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(form.body.contains("Rekentool: Uren POH-GGZ"), "{b}");
        assert!(
            form.body
                .contains(r#"<label for="in-registered_patients">ingeschreven patiënten</label>"#),
            "{b}"
        );
        assert!(form.body.contains(">Berekenen</button>"), "{b}");

        // 12 hours per 2,350 patients: 4,700 patients give 24 hours, of which 20 patient contact
        let res = c
            .post(
                "/rekentools/poh-ggz-hours",
                &[
                    ("registered_patients", "4700"),
                    ("requested_hours_per_week", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        let outcome = &res.body[res.body.find(r#"id="uitkomst""#).unwrap()..];
        assert!(outcome.contains("<td>24</td>"), "{b}: {outcome}");
        assert!(outcome.contains("<td>20</td>"), "{b}: {outcome}");
        assert!(outcome.contains("Ontvangstbewijs"), "{b}");
        let sha = p.state.policies.get("gp-2022-2023").unwrap().sha256.clone();
        assert!(
            outcome.contains(&sha),
            "{b}: the receipt names the policy's hash"
        );
        assert!(
            res.body.contains(r#"value="4700""#),
            "{b}: the input is kept"
        );

        let bad = c
            .post(
                "/rekentools/poh-ggz-hours",
                &[("registered_patients", "veel")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(bad.body.contains(r#"role="alert""#), "{b}");
        let unknown = c.get("/rekentools/bestaat-niet").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{b}");

        // the purchaser uses the same calculators
        let mut purchaser = p.login(PURCHASER).await;
        let res = purchaser
            .post(
                "/rekentools/client-postcode-ratio",
                &[("clients", "10"), ("postcode_areas", "4")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert!(
            res.body.contains("<td>2,50</td>"),
            "{b}: 10 clients in 4 areas: {}",
            res.body
        );
    }
}
