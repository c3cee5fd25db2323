//! The regioplan's pages and API, on SQLite and PostgreSQL, with the demo's own day per
//! organisation (the RO on 2 June 2025, inside the O&I window): the RO writes and submits its
//! plan, both sides see the answer term, the purchaser gives feedback per part, the RO
//! resubmits, the purchaser approves, the O&I application has the plan's facts. An overdue
//! answer is flagged in the purchaser's queue. Another RO sees nothing of the plan.

mod common;

use axum::http::StatusCode;
use common::{Portal, demo_portals};
use std::collections::HashMap;
use zorginkoop_app::accounts::{self, NewOrganisation, NewUser, Role};
use zorginkoop_app::portal_demo;

const RO: &str = "medewerker@ro-utrecht.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
const PRACTICE: &str = "medewerker@delinde.example";
const OTHER_RO: &str = "medewerker@ro-elders.example";

fn plan_form(with_pharmacists: bool, action: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: &str| f.push((k.to_string(), v.to_string()));
    for t in zorginkoop_app::regional_plan::spec::TOPICS {
        add(
            &format!("onderwerp.{}", t.id),
            &format!("Tekst over {}", t.label),
        );
    }
    add("netwerk.0.discipline", "district_nurses");
    add("netwerk.0.organisatie", "Thuiszorg Utrecht");
    add("netwerk.0.inbreng", "wijkteams");
    add("netwerk.1.discipline", "physiotherapists");
    add("netwerk.1.organisatie", "Fysio Utrecht");
    add("netwerk.1.inbreng", "COPD-keten");
    if with_pharmacists {
        add("netwerk.2.discipline", "pharmacists");
        add("netwerk.2.organisatie", "Apothekers Utrecht");
        add("netwerk.2.inbreng", "medicatiereview");
    }
    for p in zorginkoop_app::regional_plan::spec::INFORMATION_SYSTEM {
        add(&format!("is.{}", p.id), "ja");
    }
    add("ingeschreven", "100.000");
    add("begroting.0.soort", "personnel");
    add("begroting.0.omschrijving", "Programmamanagement");
    add("begroting.0.2026", "1.000.000,00");
    add("begroting.0.2027", "1.030.000,00");
    add("begroting.1.soort", "ict");
    add("begroting.1.omschrijving", "Ketenzorg-informatiesysteem");
    add("begroting.1.2026", "200.000,00");
    add("begroting.1.2027", "206.000,00");
    add("actie", action);
    f
}

async fn post_pairs(c: &mut common::Client, path: &str, pairs: &[(String, String)]) -> common::Res {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    c.post(path, &refs).await
}

fn answers(feedback_on: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = Vec::new();
    for p in zorginkoop_app::regional_plan::spec::answerable_parts() {
        match feedback_on.iter().find(|(id, _)| *id == p.id) {
            Some((_, text)) => {
                f.push((format!("oordeel.{}", p.id), "feedback".to_string()));
                f.push((format!("feedback.{}", p.id), text.to_string()));
            }
            None => f.push((format!("oordeel.{}", p.id), "goed".to_string())),
        }
    }
    f
}

/// A second regio-organisatie with a user.
fn other_ro(p: &Portal) {
    p.blocking(|s| {
        s.db.write(|tx| {
            let id = accounts::create_organisation(
                tx,
                &NewOrganisation {
                    name: "Regio-organisatie Elders",
                    agb: Some("53099999"),
                    kvk: Some("99887766"),
                    kind: "regio-organisatie",
                    region: Some("Elders"),
                },
                chrono::Utc::now(),
            )?;
            accounts::create_user(
                tx,
                &NewUser {
                    organisation_id: id,
                    email: OTHER_RO,
                    name: "Eva Elders",
                    role: Role::ProviderUser,
                    password: portal_demo::DEMO_PASSWORD,
                },
                chrono::Utc::now(),
            )?;
            Ok::<_, zorginkoop_app::AppError>(())
        })
        .unwrap()
    });
}

#[tokio::test]
async fn regioplan_from_draft_to_approved_in_the_portal() {
    for p in demo_portals() {
        let b = p.backend();
        let mut ro = p.login(RO).await;
        let page = ro.get("/regioplan").await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(
            page.body.contains("vandaag = 2 juni 2025"),
            "{b}: the RO's own demo day"
        );
        assert!(page.body.contains("Regioplan opstellen"));
        let start = ro.post("/regioplan", &[]).await;
        assert_eq!(start.status, StatusCode::SEE_OTHER, "{b}: {}", start.body);
        let page = ro.get("/regioplan").await;
        let id: i64 = page
            .body
            .split("action=\"/regioplan/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("the plan's form");

        // a wrong amount is named with its row and year, and nothing is lost
        let mut wrong = plan_form(false, "opslaan");
        wrong.retain(|(k, _)| k != "begroting.1.2027");
        wrong.push(("begroting.1.2027".into(), "veel".into()));
        let res = post_pairs(&mut ro, &format!("/regioplan/{id}"), &wrong).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("begroting, regel 2: bedrag 2027"),
            "{b}: {}",
            res.body
        );
        assert!(
            res.body.contains("Ketenzorg-informatiesysteem"),
            "{b}: the entered form is kept"
        );

        // round 1, without the pharmacists: the check says so before submitting
        let res = post_pairs(
            &mut ro,
            &format!("/regioplan/{id}"),
            &plan_form(false, "opslaan"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = ro.get("/regioplan").await;
        assert!(
            page.body
                .contains("Ontbreekt in het netwerk (minimaal vereist): </strong>Apothekers"),
            "{b}"
        );
        assert!(
            page.body.contains("€ 1.200.000,00"),
            "{b}: the maximum of 2026 (100.000 × € 12,00)"
        );
        assert!(page.body.contains("binnen het maximum"), "{b}");
        let res = post_pairs(
            &mut ro,
            &format!("/regioplan/{id}"),
            &plan_form(false, "indienen"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = ro.get("/regioplan").await;
        assert!(page.body.contains("Ronde 1"), "{b}");
        assert!(page.body.contains("21 dagen over"), "{b}: {}", page.body);
        assert!(page.body.contains("reactie uiterlijk 23 juni 2025"), "{b}");

        // the purchaser: the queue with the term, the plan with its check
        let mut purchaser = p.login(PURCHASER).await;
        let queue = purchaser.get("/inkoop/regioplannen").await;
        assert_eq!(queue.status, StatusCode::OK, "{b}: {}", queue.body);
        assert!(queue.body.contains("Regio-organisatie Utrecht Stad"), "{b}");
        assert!(queue.body.contains("21 dagen over"), "{b}");
        let show = purchaser.get(&format!("/inkoop/regioplannen/{id}")).await;
        assert_eq!(show.status, StatusCode::OK, "{b}: {}", show.body);
        assert!(show.body.contains("Apothekers"), "{b}");
        assert!(
            show.body
                .contains("Uiterlijk 3 weken na indiening krijgt u een reactie van ons."),
            "{b}: the term is cited"
        );

        // a part without a choice is named
        let mut incomplete = answers(&[]);
        incomplete.retain(|(k, _)| k != "oordeel.budget");
        let res = post_pairs(
            &mut purchaser,
            &format!("/inkoop/regioplannen/{id}/reactie"),
            &incomplete,
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("Begroting: kies Goed of Feedback"),
            "{b}: {}",
            res.body
        );
        // feedback on the network
        let res = post_pairs(
            &mut purchaser,
            &format!("/inkoop/regioplannen/{id}/reactie"),
            &answers(&[("network", "Betrek de apothekers-7781.")]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);

        // the RO reads the feedback and resubmits
        let page = ro.get("/regioplan").await;
        assert!(page.body.contains("teruggegeven met feedback"), "{b}");
        assert!(page.body.contains("Betrek de apothekers-7781."), "{b}");
        let res = post_pairs(
            &mut ro,
            &format!("/regioplan/{id}"),
            &plan_form(true, "indienen"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = ro.get("/regioplan").await;
        assert!(page.body.contains("Ronde 2"), "{b}");

        // approved: the O&I application has the plan's answers
        let res = post_pairs(
            &mut purchaser,
            &format!("/inkoop/regioplannen/{id}/reactie"),
            &answers(&[]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = ro.get("/regioplan").await;
        assert!(page.body.contains("Uw regioplan is goedgekeurd"), "{b}");
        let app_href = page
            .body
            .split("href=\"/aanvragen/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a link to the O&I application");
        let app = ro.get(&format!("/aanvragen/{app_href}")).await;
        assert_eq!(app.status, StatusCode::OK, "{b}");
        assert!(app.body.contains("Overeenkomst Organisatie"), "{b}");
        // both rounds stay visible to the purchaser, in order
        let show = purchaser.get(&format!("/inkoop/regioplannen/{id}")).await;
        let (one, two) = (
            show.body.find("Ronde 1").unwrap(),
            show.body.find("Ronde 2").unwrap(),
        );
        assert!(one < two, "{b}");

        // the API says the same
        let api = ro.get(&format!("/api/v1/regioplannen/{id}")).await;
        assert_eq!(api.status, StatusCode::OK, "{b}: {}", api.body);
        let j = api.json();
        assert_eq!(j["plan"]["state"], "approved");
        assert_eq!(j["rounds"].as_array().unwrap().len(), 2);
        assert_eq!(j["rounds"][0]["due_on"], "2025-06-23");
    }
}

#[tokio::test]
async fn an_answer_past_the_term_is_flagged_in_the_queue() {
    for mut p in demo_portals() {
        let b = p.backend();
        let mut ro = p.login(RO).await;
        ro.post("/regioplan", &[]).await;
        let id = p.blocking(|s| {
            s.db.read(|tx| {
                tx.query_one("SELECT id FROM regional_plans", &[])?
                    .unwrap()
                    .int("id")
            })
            .unwrap()
        });
        let res = post_pairs(
            &mut ro,
            &format!("/regioplan/{id}"),
            &plan_form(true, "indienen"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        // the RO's day moves on: 23 June is the last day, 24 June is late
        let org = p.blocking(|s| {
            s.db.read(|tx| {
                tx.query_one("SELECT organisation_id FROM regional_plans", &[])?
                    .unwrap()
                    .int("organisation_id")
            })
            .unwrap()
        });
        for (day, late) in [((2025, 6, 23), false), ((2025, 6, 24), true)] {
            let d = chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
            p.state = p
                .state
                .clone()
                .with_organisation_days(HashMap::from([(org, d)]));
            p.router = zorginkoop_portal::router(p.state.clone());
            let mut purchaser = p.login(PURCHASER).await;
            let q = purchaser.get("/inkoop/regioplannen").await;
            assert_eq!(
                q.body.contains("<span class=\"badge no\">te laat</span>"),
                late,
                "{b} on {d}: {}",
                q.body
            );
            // the purchaser's queue names the plans per process, the overdue one flagged
            let queue = purchaser.get("/inkoop").await;
            assert!(
                queue.body.contains("1 wachten op een reactie"),
                "{b}: {}",
                queue.body
            );
            assert_eq!(queue.body.contains("1 te laat"), late, "{b} on {d}");
            let filtered = purchaser
                .get("/inkoop?proces=o-en-i&status=submitted")
                .await;
            assert_eq!(filtered.status, StatusCode::OK, "{b}");
            assert!(
                filtered.body.contains("<option value=\"o-en-i\" selected>"),
                "{b}: the filter is kept"
            );
            let only_late = purchaser.get("/inkoop/regioplannen?status=te-laat").await;
            assert_eq!(
                only_late.body.contains("Regio-organisatie Utrecht Stad"),
                late,
                "{b} on {d}: the filter"
            );
        }
    }
}

#[tokio::test]
async fn another_ro_and_a_practice_see_nothing_of_the_plan() {
    for p in demo_portals() {
        let b = p.backend();
        other_ro(&p);
        let mut ro = p.login(RO).await;
        ro.post("/regioplan", &[]).await;
        let id = p.blocking(|s| {
            s.db.read(|tx| {
                tx.query_one("SELECT id FROM regional_plans", &[])?
                    .unwrap()
                    .int("id")
            })
            .unwrap()
        });
        let mut form = plan_form(true, "opslaan");
        form.push(("onderwerp.mission".into(), "Geheim-plan-5512".into()));
        form.retain(|(k, v)| k != "onderwerp.mission" || v == "Geheim-plan-5512");
        post_pairs(&mut ro, &format!("/regioplan/{id}"), &form).await;
        let doc = p.blocking(move |s| {
            let actor = accounts::login(
                &s.db,
                RO,
                portal_demo::DEMO_PASSWORD,
                &accounts::Client {
                    ip: "192.0.2.1",
                    user_agent: "t",
                },
                chrono::Utc::now(),
            )
            .unwrap()
            .actor;
            zorginkoop_app::regional_plan::add_document(
                &s.db,
                &actor,
                id,
                "plan.txt",
                b"Geheim-plan-5512",
                chrono::Utc::now(),
            )
            .unwrap()
            .id
        });
        for email in [OTHER_RO, PRACTICE] {
            let mut c = p.login(email).await;
            for path in [
                format!("/regioplan/documenten/{doc}"),
                format!("/api/v1/regioplannen/{id}"),
                format!("/inkoop/regioplannen/{id}"),
            ] {
                let res = c.get(&path).await;
                assert!(
                    !res.body.contains("Geheim-plan-5512"),
                    "{b}: {email} {path}"
                );
                assert!(
                    matches!(res.status.as_u16(), 403 | 404),
                    "{b}: {email} {path}: {}",
                    res.status
                );
            }
            for path in ["/api/v1/regioplannen", "/regioplan"] {
                let res = c.get(path).await;
                assert!(
                    !res.body.contains("Geheim-plan-5512"),
                    "{b}: {email} {path}"
                );
                assert!(!res.body.contains("Utrecht Stad"), "{b}: {email} {path}");
            }
            let res = post_pairs(
                &mut c,
                &format!("/regioplan/{id}"),
                &plan_form(true, "indienen"),
            )
            .await;
            assert!(
                matches!(res.status.as_u16(), 403 | 404),
                "{b}: {email} cannot change the plan: {}",
                res.status
            );
        }
        // the plan is unchanged: still a draft with its own text
        let state = p.blocking(|s| {
            s.db.read(|tx| {
                tx.query_one("SELECT state, content_json FROM regional_plans", &[])?
                    .unwrap()
                    .text("content_json")
            })
            .unwrap()
        });
        assert!(state.contains("Geheim-plan-5512"), "{b}");
    }
}

#[tokio::test]
async fn year_figures_the_ro_enters_and_the_purchaser_sees() {
    for p in demo_portals() {
        let b = p.backend();
        other_ro(&p);
        let mut ro = p.login(RO).await;
        let page = ro.get("/regioplan/jaarcijfers").await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(
            page.body.contains("Nog geen aantal 75-plussers opgegeven."),
            "{b}"
        );
        let res = ro
            .post(
                "/regioplan/jaarcijfers",
                &[
                    ("soort", "persons-75-plus"),
                    ("jaar", "2026"),
                    ("waarde", "1.000"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let res = ro
            .post(
                "/regioplan/jaarcijfers",
                &[
                    ("soort", "persons-75-plus"),
                    ("jaar", "2026"),
                    ("waarde", "duizend"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("aantal 75-plussers 2026"),
            "{b}: the field is named"
        );
        let page = ro.get("/regioplan/jaarcijfers").await;
        assert!(
            page.body.contains("€ 11.200,00"),
            "{b}: 1.000 × 28 % × € 40,00: {}",
            page.body
        );
        assert!(
            page.body.contains("VOORBEELDWAARDE"),
            "{b}: the tariff is an example value"
        );
        let mut purchaser = p.login(PURCHASER).await;
        let overview = purchaser.get("/inkoop/regioplannen/jaarcijfers").await;
        assert_eq!(overview.status, StatusCode::OK, "{b}");
        assert!(
            overview.body.contains("2026: € 11.200,00"),
            "{b}: {}",
            overview.body
        );
        assert!(
            overview.body.contains("Regio-organisatie Elders"),
            "{b}: every RO is listed"
        );
        // another RO sees its own (empty) figures, a practice is refused
        let mut other = p.login(OTHER_RO).await;
        let own = other.get("/regioplan/jaarcijfers").await;
        assert!(!own.body.contains("11.200"), "{b}");
        let mut practice = p.login(PRACTICE).await;
        let res = practice
            .post(
                "/regioplan/jaarcijfers",
                &[
                    ("soort", "persons-75-plus"),
                    ("jaar", "2026"),
                    ("waarde", "5"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let res = practice.get("/inkoop/regioplannen/jaarcijfers").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
    }
}
