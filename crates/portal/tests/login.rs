//! Logging in and out, on SQLite and PostgreSQL: the session cookie's flags, the CSRF checks,
//! throttling, and the security headers on every page.

mod common;

use axum::http::{StatusCode, header};
use common::portals;

#[tokio::test]
async fn a_provider_logs_in_sees_its_pages_and_logs_out() {
    for p in portals() {
        let mut c = p.login("medewerker@delinde.example").await;
        assert!(c.cookie.contains("zk_sessie="), "{}", p.backend());
        assert!(
            !c.csrf.is_empty(),
            "{}: pages carry the csrf token",
            p.backend()
        );
        let res = c.post("/logout", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(!c.cookie.contains("zk_sessie="), "the cookie is cleared");
        let again = c.get("/account").await;
        assert_eq!(
            again.status,
            StatusCode::SEE_OTHER,
            "logged out: back to login"
        );
        assert!(again.location().unwrap().starts_with("/login"));
    }
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_samesite() {
    let p = common::Portal::on(zorginkoop_store::testing::sqlite());
    let mut c = p.anonymous();
    let page = c.get("/login").await;
    let token = page.hidden("csrf").unwrap();
    let res = c
        .post_form(
            "/login",
            &[
                ("csrf", token.as_str()),
                ("email", "huisarts@delinde.example"),
                ("wachtwoord", zorginkoop_app::portal_demo::DEMO_PASSWORD),
            ],
        )
        .await;
    let cookies: Vec<&str> = res
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("zk_sessie="))
        .unwrap();
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Strict"), "{session}");
}

#[tokio::test]
async fn a_login_without_the_forms_token_is_refused() {
    let p = common::Portal::on(zorginkoop_store::testing::sqlite());
    let mut c = p.anonymous();
    c.get("/login").await;
    let res = c
        .post_form(
            "/login",
            &[
                ("csrf", "vervalst"),
                ("email", "huisarts@delinde.example"),
                ("wachtwoord", zorginkoop_app::portal_demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.body.contains("CSRF"), "{}", res.body);
    assert!(!c.cookie.contains("zk_sessie="));
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused() {
    for p in portals() {
        let mut c = p.login("medewerker@delinde.example").await;
        let res = c.post_form("/logout", &[("csrf", "fout")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", p.backend());
        assert!(res.body.contains("CSRF"));
        assert_eq!(
            c.get("/account").await.status,
            StatusCode::OK,
            "still logged in: nothing happened"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_then_throttled() {
    let p = common::Portal::on(zorginkoop_store::testing::sqlite());
    let mut c = p.anonymous();
    for i in 0..6 {
        let page = c.get("/login").await;
        let token = page.hidden("csrf").unwrap();
        let res = c
            .post_form(
                "/login",
                &[
                    ("csrf", token.as_str()),
                    ("email", "huisarts@delinde.example"),
                    ("wachtwoord", "geraden-wachtwoord"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        if i < 5 {
            assert!(res.body.contains("verkeerd wachtwoord"), "{}", res.body);
        } else {
            assert!(
                res.body.contains("te veel mislukte pogingen"),
                "{}",
                res.body
            );
        }
    }
}

#[tokio::test]
async fn every_page_has_the_security_headers() {
    let p = common::Portal::on(zorginkoop_store::testing::sqlite());
    let mut c = p.anonymous();
    for path in ["/login", "/bestaat-niet", "/static/portal.css"] {
        let res = c.get(path).await;
        let csp = res.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(res.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}
