//! District nursing's pages and API, on SQLite and PostgreSQL, with the demo's own day per
//! organisation (Thuiszorg De Wijk on 1 October 2020, inside the existing providers' portal
//! window; Wijkzorg Nieuw B.V. on 18 May 2020, inside the new providers' registration window):
//! the existing provider answers bijlage 1 with an exclusion criterion applying and the escape,
//! the purchaser grants it from the queue, the proposal shows category and basisbudget, the
//! signer signs; a new provider below the revenue threshold is refused with the cited reason;
//! the 5-working-day term across Ascension Day; the other nursing provider sees nothing.

mod common;

use axum::http::StatusCode;
use common::demo_portals;
use zorginkoop_app::nursing::{self, Ask, Procedure};

const PLANNER: &str = "planner@dewijk.example";
const DIRECTOR: &str = "directeur@dewijk.example";
const NEW_PLANNER: &str = "planner@wijkzorgnieuw.example";
const NEW_DIRECTOR: &str = "directeur@wijkzorgnieuw.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
const PRACTICE: &str = "medewerker@delinde.example";

/// The form of a procedure with every question answered as the conditions want.
fn good_form(procedure: Procedure) -> Vec<(String, String)> {
    let set = common::policy_set();
    let mut f = Vec::new();
    for q in nursing::questions(&set, procedure).unwrap() {
        match q.ask {
            Ask::Number(n) if n.at_least => {
                f.push((format!("getal.{}", q.key), "2.500.000".into()))
            }
            Ask::Number(_) => f.push((format!("getal.{}", q.key), "30".into())),
            Ask::Exclusion { .. } => f.push((q.key, "nee".into())),
            _ => f.push((q.key, "ja".into())),
        }
    }
    f
}

fn set(f: &mut Vec<(String, String)>, key: &str, value: &str) {
    f.retain(|(k, _)| k != key);
    f.push((key.into(), value.into()));
}

async fn post_pairs(c: &mut common::Client, path: &str, pairs: &[(String, String)]) -> common::Res {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    c.post(path, &refs).await
}

fn id_from(location: Option<&str>, prefix: &str) -> i64 {
    location
        .and_then(|l| l.strip_prefix(prefix))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to {prefix}…: {location:?}"))
}

#[tokio::test]
async fn existing_provider_escape_granted_on_review_proposal_signed() {
    for p in demo_portals() {
        let b = p.backend();
        let mut planner = p.login(PLANNER).await;
        let page = planner.get("/wijkverpleging").await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(
            page.body
                .contains("/wijkverpleging/aanvragen/nieuw/bestaand"),
            "{b}"
        );
        assert!(
            page.body.contains("de aanvraagperiode is gesloten"),
            "{b}: the new providers' window"
        );
        let form = planner
            .get("/wijkverpleging/aanvragen/nieuw/bestaand")
            .await;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(
            form.body.contains("name=\"getal.q.q14\""),
            "{b}: the insured amount asked as a number"
        );
        assert!(
            form.body.contains("name=\"uitzondering.q.x2\""),
            "{b}: the escape"
        );
        assert!(
            form.body
                .contains("uiterlijk <strong>8 oktober 2020</strong>"),
            "{b}: {}",
            form.body
        );

        // an unanswered question is named, and the answers stay
        let mut f = good_form(Procedure::Existing);
        f.retain(|(k, _)| k != "q.q1");
        set(&mut f, "omzet_referentie", "1.180.000,00");
        let res = post_pairs(&mut planner, "/wijkverpleging/aanvragen/nieuw/bestaand", &f).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("vraag 1:"), "{b}: {}", res.body);
        assert!(res.body.contains("value=\"1.180.000,00\""), "{b}");

        // x2 applies, with an appeal to the escape
        let mut f = good_form(Procedure::Existing);
        set(&mut f, "omzet_referentie", "1.180.000,00");
        set(&mut f, "q.x2", "ja");
        set(
            &mut f,
            "uitzondering.q.x2",
            "Surseance opgeheven; akkoord met de schuldeisers.",
        );
        let res = post_pairs(&mut planner, "/wijkverpleging/aanvragen/nieuw/bestaand", &f).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let id = id_from(res.location(), "/wijkverpleging/aanvragen/");
        let page = planner
            .get(&format!("/wijkverpleging/aanvragen/{id}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("8 oktober 2020"), "{b}");
        assert!(page.body.contains("5 werkdagen over"), "{b}");
        assert!(page.body.contains("individuele beoordeling"), "{b}");
        assert!(page.body.contains("Surseance opgeheven"), "{b}");

        // the other nursing provider: nothing
        let mut other = p.login(NEW_PLANNER).await;
        for path in [
            format!("/wijkverpleging/aanvragen/{id}"),
            format!("/api/v1/wijkverpleging/aanvragen/{id}"),
        ] {
            let res = other.get(&path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}: {path}");
            assert!(!res.body.contains("Surseance"), "{b}: {path}");
        }
        let list = other.get("/api/v1/wijkverpleging/aanvragen").await;
        assert!(
            !list.body.contains("Surseance") && !list.body.contains("De Wijk"),
            "{b}"
        );
        let mut other_signer = p.login(NEW_DIRECTOR).await;
        let res = other_signer
            .post(&format!("/wijkverpleging/aanvragen/{id}/tekenen"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        // a provider does not decide
        let res = planner
            .post(
                &format!("/inkoop/wijkverpleging/{id}/besluit"),
                &[("actie", "toekennen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");

        // the purchaser's queue with the term, the decision page with the figures
        let mut purchaser = p.login(PURCHASER).await;
        let queue = purchaser.get("/inkoop/wijkverpleging").await;
        assert_eq!(queue.status, StatusCode::OK, "{b}");
        assert!(
            queue.body.contains("Thuiszorg De Wijk") && queue.body.contains("8 oktober 2020"),
            "{b}"
        );
        let signed_only = purchaser.get("/inkoop/wijkverpleging?status=signed").await;
        assert!(
            !signed_only.body.contains("Thuiszorg De Wijk"),
            "{b}: filtered by status"
        );
        let show = purchaser.get(&format!("/inkoop/wijkverpleging/{id}")).await;
        assert_eq!(show.status, StatusCode::OK, "{b}");
        // € 1,180,000 ≥ € 100,000: regular; 1,180,000 × 1.03 (OVA, example) = 1,215,400.00
        assert!(show.body.contains("reguliere zorgaanbieder"), "{b}");
        assert!(show.body.contains("€ 1.215.400,00"), "{b}");
        assert!(show.body.contains("opgegeven door de zorgaanbieder"), "{b}");
        assert!(show.body.contains("Tabel 2"), "{b}");
        assert!(
            show.body.contains("name=\"uitzondering\" value=\"q.x2\""),
            "{b}"
        );
        // granting without the escape is refused, naming the criterion
        let res = purchaser
            .post(
                &format!("/inkoop/wijkverpleging/{id}/besluit"),
                &[("actie", "toekennen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("x2"), "{b}");
        let res = purchaser
            .post(
                &format!("/inkoop/wijkverpleging/{id}/besluit"),
                &[("uitzondering", "q.x2"), ("actie", "toekennen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);

        // the planner reads the proposal; only the signer signs
        let page = planner
            .get(&format!("/wijkverpleging/aanvragen/{id}"))
            .await;
        assert!(page.body.contains("voorstel klaar om te tekenen"), "{b}");
        assert!(page.body.contains("uitzondering toegekend"), "{b}");
        assert!(!page.body.contains("Overeenkomst tekenen"), "{b}");
        let res = planner
            .post(&format!("/wijkverpleging/aanvragen/{id}/tekenen"), &[])
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let mut director = p.login(DIRECTOR).await;
        let page = director
            .get(&format!("/wijkverpleging/aanvragen/{id}"))
            .await;
        assert!(page.body.contains("Overeenkomst tekenen"), "{b}");
        let res = director
            .post(&format!("/wijkverpleging/aanvragen/{id}/tekenen"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let page = director
            .get(&format!("/wijkverpleging/aanvragen/{id}"))
            .await;
        assert!(page.body.contains("Getekend door"), "{b}");
        let signed_only = purchaser.get("/inkoop/wijkverpleging?status=signed").await;
        assert!(signed_only.body.contains("Thuiszorg De Wijk"), "{b}");
        // the API says the same
        let api = director
            .get(&format!("/api/v1/wijkverpleging/aanvragen/{id}"))
            .await
            .json();
        assert_eq!(api["application"]["state"], "signed", "{b}");
        assert_eq!(api["application"]["budget"]["category"], "regular", "{b}");
    }
}

#[tokio::test]
async fn new_provider_below_the_revenue_threshold_refused_then_a_term_across_ascension_day() {
    for p in demo_portals() {
        let b = p.backend();
        let mut planner = p.login(NEW_PLANNER).await;
        let page = planner.get("/wijkverpleging").await;
        assert!(
            page.body.contains("/wijkverpleging/aanvragen/nieuw/nieuw"),
            "{b}"
        );
        let mut f = good_form(Procedure::New);
        set(&mut f, "omzet_2019", "80.000,00");
        set(&mut f, "klanten", "40");
        set(&mut f, "postcodegebieden", "10");
        set(&mut f, "budget", "200.000");
        let res = post_pairs(&mut planner, "/wijkverpleging/aanvragen/nieuw/nieuw", &f).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let id = id_from(res.location(), "/wijkverpleging/aanvragen/");
        let page = planner
            .get(&format!("/wijkverpleging/aanvragen/{id}"))
            .await;
        assert!(page.body.contains("afgewezen"), "{b}");
        assert!(
            page.body
                .contains("lager dan de omzetgrens voor nieuwe zorgaanbieders van € 100.000,00"),
            "{b}"
        );
        // the cited passage of the threshold
        assert!(
            page.body
                .contains("omzetgrens voor nieuwe zorgaanbieders van minimaal €100.000,-"),
            "{b}"
        );

        // at € 150,000 it goes to the purchaser, due 26 May 2020 (Ascension Day 21 May skipped)
        set(&mut f, "omzet_2019", "150.000,00");
        let res = post_pairs(&mut planner, "/wijkverpleging/aanvragen/nieuw/nieuw", &f).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let id = id_from(res.location(), "/wijkverpleging/aanvragen/");
        let page = planner
            .get(&format!("/wijkverpleging/aanvragen/{id}"))
            .await;
        assert!(page.body.contains("26 mei 2020"), "{b}");
        assert!(page.body.contains("Hemelvaartsdag (21 mei 2020)"), "{b}");
        assert!(page.body.contains("5 werkdagen over"), "{b}");
        let mut purchaser = p.login(PURCHASER).await;
        let show = purchaser.get(&format!("/inkoop/wijkverpleging/{id}")).await;
        assert!(show.body.contains("Hemelvaartsdag (21 mei 2020)"), "{b}");
        assert!(show.body.contains("nieuwe zorgaanbieder"), "{b}");
        assert!(show.body.contains("Klant-werkgebied-ratio 4,00"), "{b}");
        assert!(show.body.contains("€ 200.000,00"), "{b}");

        // the existing providers' procedure is closed on the new provider's day, and the other
        // way round
        let res = post_pairs(
            &mut planner,
            "/wijkverpleging/aanvragen/nieuw/bestaand",
            &good_form(Procedure::Existing),
        )
        .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(res.body.contains("gesloten"), "{b}");
        let mut wijk = p.login(PLANNER).await;
        let form = wijk.get("/wijkverpleging/aanvragen/nieuw/nieuw").await;
        assert!(form.body.contains("De aanvraagperiode is gesloten"), "{b}");
        assert!(!form.body.contains("Aanvraag indienen"), "{b}");
    }
}

#[tokio::test]
async fn the_nursing_pages_are_for_nursing_providers_and_the_api_submits() {
    for p in demo_portals() {
        let b = p.backend();
        let mut practice = p.login(PRACTICE).await;
        assert_eq!(
            practice.get("/wijkverpleging").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let mut purchaser = p.login(PURCHASER).await;
        assert_eq!(
            purchaser.get("/wijkverpleging").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let mut planner = p.login(PLANNER).await;
        assert_eq!(
            planner
                .get("/wijkverpleging/aanvragen/nieuw/onbekend")
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            planner.get("/inkoop/wijkverpleging").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        // Wijkgericht Werken through the API: 12,000 inhabitants 65+ × € 3.50 = € 42,000.00
        let set = common::policy_set();
        let mut answers = serde_json::Map::new();
        for q in nursing::questions(&set, Procedure::Neighbourhood).unwrap() {
            answers.insert(q.key, "ja".into());
        }
        let body = serde_json::json!({
            "procedure": "neighbourhood",
            "answers": {"answers": answers, "figures": {"municipality": "Utrecht", "inhabitants_65_plus": 12000}},
        });
        let res = planner
            .json("POST", "/api/v1/wijkverpleging/aanvragen", &body, None)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{b}: {}", res.body);
        let v = res.json();
        assert_eq!(v["proposal_preview"]["budget"], "42000.00", "{b}");
        assert_eq!(v["working_days_left"], 5, "{b}");
        let id = v["application"]["id"].as_i64().unwrap();
        let res = purchaser
            .json(
                "POST",
                &format!("/api/v1/wijkverpleging/aanvragen/{id}/besluit"),
                &serde_json::json!({"decision": "afwijzen", "reason": ""}),
                None,
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            res.body
        );
        let res = purchaser
            .json("POST", &format!("/api/v1/wijkverpleging/aanvragen/{id}/besluit"), &serde_json::json!({"decision": "afwijzen", "reason": "Gemeente valt onder Zorg in de Wijk."}), None)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert_eq!(res.json()["application"]["state"], "refused", "{b}");
    }
}
