//! The JSON API on SQLite and PostgreSQL: tokens made on the account page, CSRF for the session
//! cookie, JSON errors, decide and calc in the style of OpenFisca, and the path from
//! application to signed contract over the API with the same authorisation as the pages.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Client, Portal, portals};
use serde_json::json;
use zorginkoop_app::accounts;

/// Makes a token on the account page and reads it from the page (shown once).
async fn token_of(c: &mut Client) -> String {
    let res = c.post("/account/tokens", &[("label", "test")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let at = res.body.find("zk_").expect("the token is shown");
    res.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// A request with only a bearer token (no cookie).
async fn bearer(
    p: &Portal,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> common::Res {
    let mut c = p.anonymous();
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    let req = b
        .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
        .unwrap();
    c.send(req).await
}

#[tokio::test]
async fn a_token_made_on_the_account_page_works_until_revoked() {
    for p in portals() {
        let mut c = p.login("medewerker@delinde.example").await;
        let token = token_of(&mut c).await;
        assert!(token.len() > 20, "{token}");

        let me = bearer(&p, "GET", "/api/v1/me", &token, None).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        let me = me.json();
        assert_eq!(me["email"], "medewerker@delinde.example");
        assert_eq!(me["role"], "provider-user");
        assert_eq!(me["organisation"]["name"], "Huisartsenpraktijk De Linde");
        assert_eq!(me["via_token"], true);

        // the token is listed (not shown again) and can be revoked
        let page = c.get("/account/tokens").await;
        assert!(page.body.contains("test"));
        assert!(!page.body.contains(&token), "shown only once");
        let id = p.blocking(|s| {
            let actor = accounts::api_actor(&s.db, &token, None).unwrap().unwrap();
            accounts::api_tokens(&s.db, &actor).unwrap()[0].id
        });
        let res = c
            .post(&format!("/account/tokens/{id}/intrekken"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let me = bearer(&p, "GET", "/api/v1/me", &token, None).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        assert_eq!(me.json()["status"], 401);

        // another user cannot revoke mine
        let mut c = p.login("medewerker@delinde.example").await;
        let token = token_of(&mut c).await;
        let id = p.blocking(|s| {
            let actor = accounts::api_actor(&s.db, &token, None).unwrap().unwrap();
            accounts::api_tokens(&s.db, &actor).unwrap()[0].id
        });
        let mut other = p.login("medewerker@hetplein.example").await;
        let res = other
            .post(&format!("/account/tokens/{id}/intrekken"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(
            bearer(&p, "GET", "/api/v1/me", &token, None).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn without_login_the_api_answers_401_json_and_errors_are_json() {
    for p in portals() {
        let mut anon = p.anonymous();
        let res = anon.get("/api/v1/applications").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json()["status"], 401);
        let res = bearer(&p, "GET", "/api/v1/me", "zk_onzin", None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        let mut c = p.login("medewerker@delinde.example").await;
        let res = c.get("/api/v1/bestaat-niet").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.json()["status"], 404);
        let res = c.get("/api/v1/applications/abc").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(res.json()["fout"].as_str().unwrap().contains("aanvraag"));
        let res = c.get("/api/v1/applications?state=onzin").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json()["status"], 422);
    }
}

#[tokio::test]
async fn with_the_session_cookie_a_post_needs_the_csrf_header() {
    let p = Portal::on(zorginkoop_store::testing::sqlite());
    let mut c = p.login("medewerker@delinde.example").await;
    let start = json!({"policy": "gp-2022-2023", "module": "basiszorg"});
    let mut no_csrf = c.clone();
    no_csrf.csrf = String::new();
    let res = no_csrf
        .json("POST", "/api/v1/applications", &start, None)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert!(
        res.json()["fout"]
            .as_str()
            .unwrap()
            .contains("X-CSRF-Token")
    );
    let mut wrong = c.clone();
    wrong.csrf = "verkeerd".into();
    let res = wrong
        .json("POST", "/api/v1/applications/1/submit", &json!({}), None)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let n = p.blocking(|s| {
        s.db.read(|tx| tx.query_one("SELECT count(*) AS n FROM applications", &[]))
            .unwrap()
            .unwrap()
            .int("n")
            .unwrap()
    });
    assert_eq!(n, 0, "nothing was started without the token");

    let res = c.json("POST", "/api/v1/applications", &start, None).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.json()["state"], "draft");
    assert!(res.location().unwrap().starts_with("/api/v1/applications/"));
}

#[tokio::test]
async fn bodies_are_bounded_and_must_be_json() {
    let p = Portal::on(zorginkoop_store::testing::sqlite());
    let mut c = p.login("medewerker@delinde.example").await;
    let token = token_of(&mut c).await;
    let big = json!({"facts": {"x": "a".repeat(zorginkoop_portal::api::MAX_JSON_BYTES)}});
    let res = bearer(&p, "POST", "/api/v1/decide", &token, Some(big)).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.json()["status"], 413);

    let mut anon = p.anonymous();
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/decide")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        anon.send(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let res = c
        .json("POST", "/api/v1/decide", &json!("geen aanvraag"), None)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
}

#[tokio::test]
async fn decide_gives_the_situation_back_with_outcome_trace_and_receipt() {
    for p in portals() {
        let mut c = p.login("medewerker@hetplein.example").await;
        let case: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../examples/practice-de-linde.json"
            ))
            .unwrap(),
        )
        .unwrap();
        let res = c.json("POST", "/api/v1/decide", &case, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            res.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let v = res.json();
        assert_eq!(v["case"], case, "the situation comes back as sent");
        // the answer, written straight from the decision, is byte for byte the JSON of
        // {case, decision} as the use case decides it
        let decided = {
            let case = zorginkoop_app::decisions::parse_case("aanvraag", case.clone()).unwrap();
            let r = zorginkoop_app::decisions::DecideRequest {
                name: "aanvraag",
                case: &case,
                policy: None,
                date: None,
                today: p.state.today(),
            };
            zorginkoop_app::decisions::decide_in_set(&p.state.policies, &r).unwrap()
        };
        let expected = json!({
            "case": case,
            "decision": serde_json::to_value(&decided).unwrap(),
        });
        assert_eq!(res.body, serde_json::to_string(&expected).unwrap());
        let d = &v["decision"];
        assert_eq!(d["schema"], "zorginkoop.decision/2");
        assert_eq!(d["receipt"]["policy_id"], "gp-2022-2023");
        assert_eq!(d["receipt"]["policy_sha256"].as_str().unwrap().len(), 64);
        let poh = d["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["module"] == "poh-ggz")
            .expect("every module is decided");
        assert_eq!(poh["outcome"], "eligible");
        let step = &poh["steps"][0];
        assert!(
            step["source"]["quote"]
                .as_str()
                .is_some_and(|q| !q.is_empty())
        );

        // a reference date asked for wins over the case's request date
        let res = c
            .json("POST", "/api/v1/decide?date=2021-11-01", &case, None)
            .await;
        assert_eq!(
            res.json()["decision"]["receipt"]["reference_date"],
            "2021-11-01"
        );

        // an unknown fact is refused, naming it
        let mut bad = case.clone();
        bad["facts"]["bestaat_niet"] = json!(true);
        let res = c.json("POST", "/api/v1/decide", &bad, None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.json()["fout"]
                .as_str()
                .unwrap()
                .contains("bestaat_niet")
        );
        // a policy file path is not opened: only loaded policies count
        let res = c
            .json(
                "POST",
                "/api/v1/decide?policy=/etc/passwd.toml",
                &case,
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    }
}

#[tokio::test]
async fn calc_gives_the_input_back_with_output_and_receipt() {
    for p in portals() {
        let mut c = p.login("medewerker@delinde.example").await;
        let list = c.get("/api/v1/calc").await.json();
        assert!(list.as_array().unwrap().iter().any(
            |k| k["name"] == "poh-ggz-hours" && k["inputs"][0]["name"] == "registered_patients"
        ));
        let input = json!({"registered_patients": 4700});
        let res = c
            .json("POST", "/api/v1/calc/poh-ggz-hours", &input, None)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let v = res.json();
        assert_eq!(v["input"], input);
        assert_eq!(v["calculator"], "poh-ggz-hours");
        // two norm practices of 2,350 patients: twice 12 hours
        let hours: rust_decimal::Decimal = v["output"]["max_hours_per_week"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(hours, rust_decimal::Decimal::from(24));
        assert_eq!(v["receipt"]["policy_id"], "gp-2022-2023");

        let res = c
            .json("POST", "/api/v1/calc/bestaat-niet", &input, None)
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = c
            .json(
                "POST",
                "/api/v1/calc/poh-ggz-hours",
                &json!({"registered_patients": -1}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.json()["fout"]
                .as_str()
                .unwrap()
                .contains("registered_patients")
        );
    }
}

fn linde_facts() -> serde_json::Value {
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/practice-de-linde.json"
        ))
        .unwrap(),
    )
    .unwrap();
    case["facts"].clone()
}

#[tokio::test]
async fn from_application_to_signed_contract_over_the_api() {
    for p in portals() {
        let mut employee = p.login("medewerker@delinde.example").await;
        let mut signer = p.login("huisarts@delinde.example").await;
        let mut purchaser = p.login("inkoper@zorgverzekeraar.example").await;
        let mut other = p.login("huisarts@hetplein.example").await;

        // start: a draft with a live decision that names the missing answers
        let res = employee
            .json(
                "POST",
                "/api/v1/applications",
                &json!({"policy": "gp-2022-2023", "module": "poh-ggz"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let app = res.json();
        let id = app["id"].as_i64().unwrap();
        assert_eq!(app["live_decision"]["outcome"], "needs-information");
        assert!(
            !app["live_decision"]["missing_facts"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // a provider cannot review; a purchaser cannot start or answer
        let res = purchaser
            .json(
                "POST",
                "/api/v1/applications",
                &json!({"policy": "gp-2022-2023", "module": "poh-ggz"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);

        // answers: a wrong type is refused, the right ones are kept
        let res = employee
            .json(
                "PUT",
                &format!("/api/v1/applications/{id}/facts"),
                &json!({"registered_patients": "veel"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let res = employee
            .json(
                "PUT",
                &format!("/api/v1/applications/{id}/facts"),
                &linde_facts(),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let app = res.json();
        assert_eq!(app["facts"]["registered_patients"], 2350);
        assert_eq!(app["live_decision"]["outcome"], "eligible");

        // another organisation sees nothing of it and cannot change it
        let res = other.get(&format!("/api/v1/applications/{id}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(!res.body.contains("De Linde"));
        let res = other
            .json(
                "PUT",
                &format!("/api/v1/applications/{id}/facts"),
                &json!({"registered_patients": 1}),
                None,
            )
            .await;
        assert!(
            matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}",
            res.status
        );
        let listed = other.get("/api/v1/applications").await.json();
        assert!(listed.as_array().unwrap().is_empty(), "{listed}");

        // submit: the request date is the demo date, the earliest start follows from it
        let res = employee
            .json(
                "POST",
                &format!("/api/v1/applications/{id}/submit"),
                &json!({}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let app = res.json();
        assert_eq!(app["state"], "submitted");
        assert_eq!(app["request_date"], "2021-11-01");
        assert_eq!(app["earliest_start"], "2022-01-01");
        assert_eq!(app["decision"]["schema"], "zorginkoop.decision/2");
        assert!(app["live_decision"].is_null());

        // the purchaser's queue has it; the provider's review is refused
        let queue = purchaser
            .get("/api/v1/applications?queue=true")
            .await
            .json();
        assert!(queue.as_array().unwrap().iter().any(|a| a["id"] == id));
        let res = employee
            .json(
                "POST",
                &format!("/api/v1/applications/{id}/review"),
                &json!({"action": "grant"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = purchaser
            .json(
                "POST",
                &format!("/api/v1/applications/{id}/review"),
                &json!({"action": "refuse"}),
                None,
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a refusal needs a reason"
        );
        let res = purchaser
            .json(
                "POST",
                &format!("/api/v1/applications/{id}/review"),
                &json!({"action": "grant"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["state"], "granted");

        // a message in the thread
        let res = employee
            .json(
                "POST",
                &format!("/api/v1/applications/{id}/messages"),
                &json!({"body": "Dank u wel"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let app = purchaser
            .get(&format!("/api/v1/applications/{id}"))
            .await
            .json();
        assert_eq!(app["messages"][0]["body"], "Dank u wel");

        // an attachment: the type by its content, for whoever may see the application
        let mut req = axum::http::Request::builder()
            .method("POST")
            .uri(format!(
                "/api/v1/applications/{id}/attachments?name=begroting.pdf"
            ))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header("x-csrf-token", &employee.csrf);
        req = req.header(header::COOKIE, &employee.cookie);
        let res = employee
            .send(req.body(Body::from("%PDF-1.4 begroting")).unwrap())
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let att = res.json();
        assert_eq!(att["content_type"], "application/pdf");
        let aid = att["id"].as_i64().unwrap();
        let file = purchaser.get(&format!("/api/v1/attachments/{aid}")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.bytes, b"%PDF-1.4 begroting");
        assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(
            other
                .get(&format!("/api/v1/attachments/{aid}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let app = employee
            .get(&format!("/api/v1/applications/{id}"))
            .await
            .json();
        assert_eq!(app["attachments"][0]["file_name"], "begroting.pdf");

        // the purchaser proposes: the tariffs from the policy, one replaced
        let propose = format!("/api/v1/applications/{id}/proposal");
        let body = json!({"start": "2022-01-01", "ceiling": "12.500,00", "tariffs": {}});
        assert_eq!(
            employee.json("POST", &propose, &body, None).await.status,
            StatusCode::FORBIDDEN
        );
        let res = purchaser
            .json(
                "POST",
                &propose,
                &json!({"start": "2022-01-01", "tariffs": {"bestaat-niet": "1"}}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let res = purchaser
            .json(
                "POST",
                &propose,
                &json!({"start": "2022-01-01", "ceiling": "12500,00"}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let proposed = res.json();
        let pid = proposed["id"].as_i64().unwrap();
        assert_eq!(proposed["state"], "proposed");
        assert_eq!(proposed["ceiling_cents"], 1_250_000);
        let term = &proposed["terms"][0];
        assert_eq!(term["proposed_value"], term["policy_value"], "{proposed}");
        assert_eq!(
            purchaser
                .json("POST", &propose, &json!({"start": "2022-01-01"}), None)
                .await
                .status,
            StatusCode::CONFLICT,
            "one open proposal per application"
        );

        let list = employee.get("/api/v1/proposals").await.json();
        assert_eq!(list[0]["id"], pid);
        assert_eq!(list[0]["state"], "proposed");
        let prop = employee
            .get(&format!("/api/v1/proposals/{pid}"))
            .await
            .json();
        let sha = prop["text_sha256"].as_str().unwrap().to_string();
        assert!(
            prop["text"]
                .as_str()
                .unwrap()
                .contains("Huisartsenpraktijk De Linde")
        );
        assert_eq!(
            other.get(&format!("/api/v1/proposals/{pid}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            other
                .get("/api/v1/proposals")
                .await
                .json()
                .as_array()
                .unwrap()
                .is_empty()
        );

        // only the signer answers, and only for the text read
        let accept = json!({"answer": "accept", "text_sha256": sha});
        let path = format!("/api/v1/proposals/{pid}/answer");
        assert_eq!(
            employee.json("POST", &path, &accept, None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            other.json("POST", &path, &accept, None).await.status,
            StatusCode::NOT_FOUND
        );
        let res = signer
            .json(
                "POST",
                &path,
                &json!({"answer": "accept", "text_sha256": "0".repeat(64)}),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let res = signer.json("POST", &path, &accept, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let signed = res.json();
        assert_eq!(signed["state"], "accepted");
        assert_eq!(signed["answered_user_agent"], "portal-test");
        assert!(signed["receipt"].as_str().unwrap().contains(&sha));
        assert_eq!(signed["contract_status"], "getekend, start later");

        // the contract: the signer's organisation and the insurer see it, the other does not
        let contracts = signer.get("/api/v1/contracts").await.json();
        assert_eq!(contracts.as_array().unwrap().len(), 1);
        assert_eq!(contracts[0]["provider_agb"], "01012345");
        assert_eq!(contracts[0]["module"], "poh-ggz");
        assert!(
            other
                .get("/api/v1/contracts")
                .await
                .json()
                .as_array()
                .unwrap()
                .is_empty()
        );
        let all = purchaser.get("/api/v1/contracts").await.json();
        assert_eq!(all.as_array().unwrap().len(), 1);

        // an administrative contract: at once a contract, for the purchaser only
        let org = other.get("/api/v1/me").await.json()["organisation"]["id"].clone();
        let admin = json!({"organisation": org, "policy": "gp-2022-2023", "module": "poh-ggz",
            "start": "2022-01-01", "end": "2022-12-31"});
        assert_eq!(
            other
                .json("POST", "/api/v1/contracts", &admin, None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let res = purchaser
            .json("POST", "/api/v1/contracts", &admin, None)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        assert_eq!(res.json()["state"], "administrative");
        let theirs = other.get("/api/v1/contracts").await.json();
        assert_eq!(theirs[0]["provider_agb"], "01056789");
        assert_eq!(
            signer
                .get("/api/v1/contracts")
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // the audit log: the provider's own organisation, with the signature
        let log = signer.get("/api/v1/audit").await.json();
        assert!(
            log.as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "voorstel ondertekend" && e["after"]["text_sha256"] == sha)
        );
        let other_log = other.get("/api/v1/audit").await.json();
        assert!(!other_log.to_string().contains("De Linde"));
    }
}

#[tokio::test]
async fn the_openapi_document_and_the_api_page_are_public() {
    let p = Portal::on(zorginkoop_store::testing::sqlite());
    let mut anon = p.anonymous();
    let doc = anon.get("/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/decide"]["post"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    let page = anon.get("/api").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("POST /api/v1/proposals/{id}/answer"));
    assert!(page.body.contains("Zo krijgt u een token"));
}
