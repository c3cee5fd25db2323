//! The test harness for the portal's routes: a portal on a fresh database (SQLite, and
//! PostgreSQL when reachable: always in CI) with the demo organisations and accounts, the clock
//! fixed on the demo date, and a client that logs in as a browser does (cookie and CSRF token)
//! and sends requests straight to the router (no network).
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use zorginkoop_app::{policies, portal_demo};
use zorginkoop_portal::{AppState, Clock};
use zorginkoop_store::testing::{self, TestDb};

/// A portal on one test database.
pub struct Portal {
    pub state: AppState,
    pub router: Router,
    _db: TestDb,
}

/// The policies, loaded once per test binary.
pub fn policy_set() -> zorginkoop_app::policy::PolicySet {
    policies::load_default().expect("policies load")
}

impl Portal {
    pub fn on(t: TestDb) -> Portal {
        // the synchronous PostgreSQL client must not run on an async test's thread
        std::thread::scope(|s| {
            s.spawn(|| portal_demo::seed(&t.db, chrono::Utc::now()).expect("demo data"))
                .join()
                .expect("seeding")
        });
        let state = AppState::new(
            t.db.clone(),
            policy_set(),
            Clock::Fixed(portal_demo::demo_today()),
        );
        Portal {
            router: zorginkoop_portal::router(state.clone()),
            state,
            _db: t,
        }
    }

    /// [`Portal::on`] with the demo's own day per organisation (`portal_demo::DEMO_DAYS`): every
    /// process inside its window, as `zorginkoop demo` serves it.
    pub fn on_with_demo_days(t: TestDb) -> Portal {
        let mut p = Portal::on(t);
        let days = p.blocking(|s| portal_demo::organisation_days(&s.db).expect("demo days"));
        p.state = p.state.clone().with_organisation_days(days);
        p.router = zorginkoop_portal::router(p.state.clone());
        p
    }

    /// Runs direct database or use-case work for a test (set-up, checks) on a thread of its
    /// own: inside an async test, the synchronous PostgreSQL client must not run on the test's
    /// thread. Use this for every direct call into `zorginkoop_app` or the store.
    pub fn blocking<T: Send>(&self, f: impl FnOnce(&AppState) -> T + Send) -> T {
        std::thread::scope(|s| s.spawn(|| f(&self.state)).join().expect("blocking work"))
    }

    pub fn backend(&self) -> &'static str {
        self.state.db.backend().name()
    }

    /// A client without a session.
    pub fn anonymous(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookie: String::new(),
            csrf: String::new(),
        }
    }

    /// A client logged in as a demo account.
    pub async fn login(&self, email: &str) -> Client {
        let mut c = self.anonymous();
        let page = c.get("/login").await;
        assert_eq!(page.status, StatusCode::OK);
        let token = page.hidden("csrf").expect("login form has a csrf field");
        let res = c
            .post_form(
                "/login",
                &[
                    ("csrf", token.as_str()),
                    ("email", email),
                    ("wachtwoord", portal_demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login as {email}: {}",
            res.body
        );
        assert!(!c.cookie.is_empty(), "a session cookie is set");
        // every page carries the session's csrf token (the logout form)
        let account = c.get("/account").await;
        assert_eq!(account.status, StatusCode::OK, "{}", account.body);
        c.csrf = account
            .hidden("csrf")
            .expect("the logout form's csrf token");
        c
    }
}

/// Every backend's portal.
pub fn portals() -> Vec<Portal> {
    testing::databases().into_iter().map(Portal::on).collect()
}

/// Every backend's portal with the demo's own day per organisation.
pub fn demo_portals() -> Vec<Portal> {
    testing::databases()
        .into_iter()
        .map(Portal::on_with_demo_days)
        .collect()
}

/// A browser-like client: keeps cookies (one jar for the session and login cookies).
#[derive(Clone)]
pub struct Client {
    pub router: Router,
    /// The `Cookie` header to send.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The value of the first hidden input named `name`.
    pub fn hidden(&self, name: &str) -> Option<String> {
        let needle = format!("name=\"{name}\" value=\"");
        let at = self.body.find(&needle)? + needle.len();
        let end = self.body[at..].find('"')?;
        Some(self.body[at..at + end].to_string())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Client {
    fn absorb_cookies(&mut self, headers: &axum::http::HeaderMap) {
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap_or("");
            let pair = v.split(';').next().unwrap_or("");
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let mut jar: Vec<(String, String)> = self
                .cookie
                .split("; ")
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .filter(|(k, _)| k != name)
                .collect();
            let max_age_zero = v.contains("Max-Age=0");
            if !value.is_empty() && !max_age_zero {
                jar.push((name.to_string(), value.to_string()));
            }
            self.cookie = jar
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Res {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        self.absorb_cookies(&headers);
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    fn builder(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::USER_AGENT, "portal-test");
        if !self.cookie.is_empty() {
            b = b.header(header::COOKIE, &self.cookie);
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let req = self.builder("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// A GET as htmx sends it (the `HX-Request` header): the page's fragment.
    pub async fn get_htmx(&mut self, path: &str) -> Res {
        let req = self
            .builder("GET", path)
            .header("hx-request", "true")
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// Posts a form as given (add the csrf field yourself, or use [`Client::post`]).
    pub async fn post_form(&mut self, path: &str, pairs: &[(&str, &str)]) -> Res {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        let req = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Res {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post_form(path, &all).await
    }

    /// Sends JSON (with the session's CSRF token in the header, and an optional bearer token).
    pub async fn json(
        &mut self,
        method: &str,
        path: &str,
        body: &serde_json::Value,
        bearer: Option<&str>,
    ) -> Res {
        let mut b = self
            .builder(method, path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", &self.csrf);
        if let Some(t) = bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = b.body(Body::from(body.to_string())).unwrap();
        self.send(req).await
    }
}
