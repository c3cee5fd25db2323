//! Labs and thrombosis (document 003) through the router, on SQLite and PostgreSQL with the
//! demo's own day per organisation (the lab and the thrombosis service on 1 October 2019): the
//! lab compares both contracts on entered figures, chooses the preferred one, the purchaser
//! grants it from the queue and proposes it with the ceiling, the lab's signer signs; the
//! thrombosis service gets its contract with the ceiling computed per product; a production
//! change request lands in the purchaser's own list. Another laboratory sees and changes
//! nothing. Figures worked by hand (see crates/app/tests/labs.rs).

mod common;

use axum::http::StatusCode;
use common::{Client, Portal, Res, demo_portals};
use zorginkoop_app::accounts::{self, NewOrganisation, NewUser, Role};
use zorginkoop_app::portal_demo;

const LAB: &str = "analist@labmidden.example";
const SIGNER: &str = "directeur@labmidden.example";
const THROMBOSIS: &str = "medewerker@trombose.example";
const PURCHASER: &str = "inkoper@zorgverzekeraar.example";
const PRACTICE: &str = "medewerker@delinde.example";
const OTHER_LAB: &str = "analist@labwest.example";

async fn post(c: &mut Client, path: &str, pairs: &[(String, String)]) -> Res {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    c.post(path, &refs).await
}

/// The lab's figures as entered (see `midden()` in the app test) and the preferred contract's
/// answers.
fn choice_form(action: &str, contract: &str) -> Vec<(String, String)> {
    [
        ("bron", "ingevoerd"),
        ("product.1.naam", "Bloedonderzoek"),
        ("product.1.volume", "300000"),
        ("product.1.prijs", "3,00"),
        ("product.2.naam", "Overige diagnostiek"),
        ("product.2.volume", "50000"),
        ("product.2.prijs", "6.00"),
        ("productie", "1296000"),
        ("patienten-2018", "10000"),
        ("orders-2018", "14000"),
        ("analyses-2018", "42000"),
        ("patienten", "10400"),
        ("orders", "14820"),
        ("analyses", "45000"),
        ("overeenkomst", contract),
        ("meets_contract_conditions", "ja"),
        ("is_new_provider", "nee"),
        ("cckl_certified", "ja"),
        ("iso_certified", "nee"),
        ("mirror_reports_per_year", "2"),
        ("accepts_reference_prices", "ja"),
        ("accepts_market_prices", "ja"),
        ("consents_to_price_publication", "ja"),
        ("actie", action),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

fn other_lab(p: &Portal) {
    p.blocking(|s| {
        s.db.write(|tx| {
            let id = accounts::create_organisation(
                tx,
                &NewOrganisation {
                    name: "Laboratorium West",
                    agb: Some("50007777"),
                    kvk: None,
                    kind: "laboratory",
                    region: None,
                },
                chrono::Utc::now(),
            )?;
            accounts::create_user(
                tx,
                &NewUser {
                    organisation_id: id,
                    email: OTHER_LAB,
                    name: "Willem West",
                    role: Role::ProviderSigner,
                    password: portal_demo::DEMO_PASSWORD,
                },
                chrono::Utc::now(),
            )?;
            Ok::<_, zorginkoop_app::AppError>(())
        })
        .unwrap()
    });
}

fn id_after(res: &Res, prefix: &str) -> i64 {
    res.location()
        .and_then(|l| l.strip_prefix(prefix))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to {prefix}…: {:?} {}", res.status, res.body))
}

#[tokio::test]
async fn a_lab_compares_chooses_the_preferred_contract_and_its_signer_signs() {
    for p in demo_portals() {
        let b = p.backend();
        other_lab(&p);
        let mut lab = p.login(LAB).await;
        let page = lab.get("/labs").await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(page.body.contains("vandaag = 1 oktober 2019"), "{b}");
        assert!(page.body.contains("href=\"/labs\""), "{b}: nav item");
        assert!(
            page.body.contains("zelf in"),
            "{b}: no statement, figures entered"
        );

        // compare: both contracts' figures, with the source of the figures
        let cmp = post(&mut lab, "/labs/keuze", &choice_form("vergelijken", "")).await;
        assert_eq!(cmp.status, StatusCode::OK, "{b}: {}", cmp.body);
        for text in [
            "ingevoerd door het laboratorium",
            "€ 1.200.000,00", // ceiling: 900,000 + 300,000
            "€ 96.000,00",    // excess
            "€ 72.000,00",    // tier 1 at 75 %
            "€ 1.272.000,00", // preferred total
            "1,79 %",
            "1,21 %",
            "Reguliere overeenkomst eerstelijnsdiagnostiek",
            "Voorkeursovereenkomst eerstelijnsdiagnostiek",
            "ongeacht het aantal locaties",
        ] {
            assert!(cmp.body.contains(text), "{b}: {text} missing");
        }
        // a wrong figure is named
        let mut wrong = choice_form("vergelijken", "");
        wrong.retain(|(k, _)| k != "product.2.prijs");
        wrong.push(("product.2.prijs".into(), "zes".into()));
        let res = post(&mut lab, "/labs/keuze", &wrong).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("product 2 (Overige diagnostiek): prijs"),
            "{b}"
        );

        // choose the preferred contract
        let res = post(
            &mut lab,
            "/labs/keuze",
            &choice_form("kiezen", "lab-preferred"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let id = id_after(&res, "/labs/verzoeken/");
        let detail = lab.get(&format!("/labs/verzoeken/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "{b}");
        assert!(detail.body.contains("ingediend"), "{b}");
        assert!(detail.body.contains("€ 1.272.000,00"), "{b}");
        // a second choice is refused
        let again = post(
            &mut lab,
            "/labs/keuze",
            &choice_form("kiezen", "lab-regular"),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{b}");
        assert!(again.body.contains("u heeft al gekozen"), "{b}");

        // another laboratory sees nothing and changes nothing
        let mut west = p.login(OTHER_LAB).await;
        for path in [
            format!("/labs/verzoeken/{id}"),
            format!("/api/v1/labs/{id}"),
        ] {
            let res = west.get(&path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}: {path}");
            assert!(!res.body.contains("1.272.000"), "{b}: {path}");
        }
        let own = west.get("/labs").await;
        assert!(!own.body.contains("Huisartsenlaboratorium Midden"), "{b}");
        assert!(
            !west.get("/api/v1/labs").await.body.contains("50001234"),
            "{b}"
        );
        for path in [format!("/inkoop/labs/{id}"), "/inkoop/labs".to_string()] {
            let res = west.get(&path).await;
            assert!(
                matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{b}: {path} {:?}",
                res.status
            );
            assert!(!res.body.contains("Midden"), "{b}: {path}");
        }
        let res = west
            .post(
                &format!("/inkoop/labs/{id}/besluit"),
                &[("besluit", "toekennen")],
            )
            .await;
        assert!(
            matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{b}"
        );
        // a GP practice has no labs page
        let mut gp = p.login(PRACTICE).await;
        assert_eq!(gp.get("/labs").await.status, StatusCode::FORBIDDEN, "{b}");

        // the purchaser: the queue, filtered, the decision page with figures, citations, trace
        let mut zk = p.login(PURCHASER).await;
        let queue = zk.get("/inkoop/labs?status=submitted").await;
        assert_eq!(queue.status, StatusCode::OK, "{b}");
        assert!(queue.body.contains("Huisartsenlaboratorium Midden"), "{b}");
        assert!(queue.body.contains("€ 1.200.000,00"), "{b}");
        let none = zk.get("/inkoop/labs?status=signed").await;
        assert!(!none.body.contains("Huisartsenlaboratorium Midden"), "{b}");
        let page = zk.get(&format!("/inkoop/labs/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for text in [
            "€ 1.272.000,00",
            "lees de passage",
            "Beslissing van de engine",
            "class=\"trace\"",
            "Toekennen",
        ] {
            assert!(page.body.contains(text), "{b}: {text} missing");
        }
        let res = zk
            .post(
                &format!("/inkoop/labs/{id}/besluit"),
                &[("besluit", "toekennen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let res = zk.post(&format!("/inkoop/labs/{id}/voorstel"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let again = zk.post(&format!("/inkoop/labs/{id}/voorstel"), &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{b}");

        // the signer finds the proposal with the ceiling and two years, and signs
        let mut signer = p.login(SIGNER).await;
        let detail = signer.get(&format!("/labs/verzoeken/{id}")).await;
        let pid: i64 = detail
            .body
            .split("href=\"/voorstellen/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("a link to the proposal");
        let proposal = signer.get(&format!("/voorstellen/{pid}")).await;
        assert!(
            proposal.body.contains("Omzetplafond: € 1.200.000,00"),
            "{b}"
        );
        assert!(proposal.body.contains("2021-12-31"), "{b}: two years");
        let sha = proposal.hidden("text_sha256").expect("the text's hash");
        let res = signer
            .post(
                &format!("/voorstellen/{pid}/ondertekenen"),
                &[("text_sha256", &sha)],
            )
            .await;
        assert!(
            res.status.is_redirection(),
            "{b}: {} {}",
            res.status,
            res.body
        );
        let detail = lab.get(&format!("/labs/verzoeken/{id}")).await;
        assert!(detail.body.contains("geaccepteerd"), "{b}");
        let signed = zk.get("/inkoop/labs?status=signed").await;
        assert!(signed.body.contains("Huisartsenlaboratorium Midden"), "{b}");
    }
}

#[tokio::test]
async fn thrombosis_contract_with_its_ceiling_and_a_production_change_request() {
    for p in demo_portals() {
        let b = p.backend();
        let mut service = p.login(THROMBOSIS).await;
        let page = service.get("/labs").await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(page.body.contains("Overeenkomst trombosezorg"), "{b}");
        let form: Vec<(String, String)> = [
            ("product.1.naam", "Trombosezorg"),
            ("product.1.volume", "9000"),
            ("product.1.prijs", "44,44"),
            ("product.2.naam", "Zelfmeten"),
            ("product.2.volume", "100"),
            ("product.2.prijs", "0,40"),
            ("meets_contract_conditions", "ja"),
            ("is_new_provider", "nee"),
        ]
        .into_iter()
        .map(|(a, c)| (a.to_string(), c.to_string()))
        .collect();
        let mut calc = form.clone();
        calc.push(("actie".into(), "berekenen".into()));
        let res = post(&mut service, "/labs/trombose", &calc).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        // 9,000 × € 44.44 = € 399,960 + 100 × € 0.40 = € 40: € 400,000
        for text in [
            "€ 399.960,00",
            "€ 400.000,00",
            "volume- en prijsafspraken per product",
            "1 jaar",
        ] {
            assert!(res.body.contains(text), "{b}: {text}");
        }
        let mut apply = form.clone();
        apply.push(("actie".into(), "aanvragen".into()));
        let res = post(&mut service, "/labs/trombose", &apply).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let tid = id_after(&res, "/labs/verzoeken/");
        // the lab does not see the thrombosis service's ceiling
        let mut lab = p.login(LAB).await;
        let res = lab.get(&format!("/labs/verzoeken/{tid}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!res.body.contains("400.000"), "{b}");
        // a lab cannot post to the thrombosis form, nor the service to the lab's
        assert_eq!(
            post(&mut lab, "/labs/trombose", &apply).await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );

        // a production change request: its own list, no term
        let change: Vec<(String, String)> = [
            ("soort", "verplaatsen"),
            ("locatie", "Prikpost Zeist"),
            ("ingangsdatum", "2020-03-01"),
            ("toelichting", "De prikpost verhuist."),
        ]
        .into_iter()
        .map(|(a, c)| (a.to_string(), c.to_string()))
        .collect();
        let res = post(&mut lab, "/labs/verzoek", &change).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let cid = id_after(&res, "/labs/verzoeken/");
        let mut bad = change.clone();
        bad[2].1 = "2020-03-15".into();
        let res = post(&mut lab, "/labs/verzoek", &bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("ingangsdatum"), "{b}");

        let mut zk = p.login(PURCHASER).await;
        let queue = zk.get("/inkoop/labs").await;
        let changes = queue
            .body
            .split("id=\"productieverzoeken\"")
            .nth(1)
            .expect("the production change list");
        assert!(changes.contains("Prikpost Zeist"), "{b}");
        assert!(changes.contains(&format!("/inkoop/labs/{cid}")), "{b}");
        assert!(!changes.contains(&format!("/inkoop/labs/{tid}\"")), "{b}");
        let page = zk.get(&format!("/inkoop/labs/{tid}")).await;
        assert!(page.body.contains("€ 400.000,00"), "{b}");
        zk.post(
            &format!("/inkoop/labs/{tid}/besluit"),
            &[("besluit", "toekennen")],
        )
        .await;
        let res = zk.post(&format!("/inkoop/labs/{tid}/voorstel"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        // refusing needs a reason, named
        let res = zk
            .post(
                &format!("/inkoop/labs/{cid}/besluit"),
                &[("besluit", "afwijzen")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("toelichting"), "{b}");

        // the API: the service sees its request with the ceiling, the lab its two
        let api = service.get(&format!("/api/v1/labs/{tid}")).await.json();
        assert_eq!(api["ceiling"]["ceiling"], "400000.00", "{b}: {api}");
        assert_eq!(api["status"], "proposed", "{b}");
        let list = lab.get("/api/v1/labs").await.json();
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{b}: {list}");
        assert_eq!(list[0]["kind"], "production-change", "{b}");
    }
}
