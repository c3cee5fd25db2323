//! Every route of `zorginkoop_portal::route_list()` answers, without a server error, for every
//! role (provider user, signer, purchaser, auditor, admin, and a user of another organisation),
//! on SQLite and PostgreSQL: a GET and the route's own method with each body, with the ids of
//! organisation A's records filled in. Generated from the list, so a route added later is
//! requested too.

mod common;
mod walk;

use common::portals;

const ROLES: [&str; 6] = [
    walk::A_EMPLOYEE,
    walk::A_SIGNER,
    walk::PURCHASER,
    "auditor@zorgverzekeraar.example",
    "beheer@zorgverzekeraar.example",
    "medewerker@hetplein.example",
];

#[tokio::test]
async fn every_route_answers_without_a_server_error_for_every_role() {
    for p in portals() {
        let w = walk::set_up(&p);
        let routes = zorginkoop_portal::route_list();
        let mut failures = Vec::new();
        let mut requests = 0usize;
        for email in ROLES {
            let (mut c, mut token) = walk::user(&p, email).await;
            for route in &routes {
                let value = |n: &str| walk::values(n, &w, &p);
                for path in walk::fill(route.path, &value) {
                    for (what, res) in walk::requests(&mut c, &token, route, &path, &w).await {
                        requests += 1;
                        if res.status.is_server_error() {
                            failures.push(format!(
                                "{email}: {what}: {}\n{}",
                                res.status,
                                res.body.chars().take(300).collect::<String>()
                            ));
                        }
                    }
                }
                walk::keep_logged_in(&p, email, &mut c, &mut token).await;
            }
        }
        eprintln!(
            "{}: {} routes, {requests} requests by {} roles",
            p.backend(),
            routes.len(),
            ROLES.len()
        );
        assert!(
            failures.is_empty(),
            "{}: {} of {requests} requests failed:\n{}",
            p.backend(),
            failures.len(),
            failures.join("\n")
        );
    }
}

#[tokio::test]
async fn anonymous_requests_to_non_public_routes_go_to_the_login() {
    for p in portals() {
        let w = walk::set_up(&p);
        let mut anon = p.anonymous();
        for route in zorginkoop_portal::route_list() {
            if route.access == zorginkoop_portal::Access::Public {
                continue;
            }
            let value = |n: &str| walk::values(n, &w, &p);
            let path = walk::fill(route.path, &value).remove(0);
            let res = anon.get(&path).await;
            let api = path.starts_with("/api/");
            if api {
                assert!(
                    matches!(res.status.as_u16(), 401 | 405),
                    "{} {path}: {}",
                    p.backend(),
                    res.status
                );
            } else {
                assert!(
                    res.status.is_redirection() || res.status.as_u16() == 405,
                    "{} {path}: {}",
                    p.backend(),
                    res.status
                );
                if res.status.is_redirection() {
                    assert!(res.location().unwrap().starts_with("/login"), "{path}");
                }
            }
            assert!(!res.body.to_lowercase().contains("de linde"), "{path}");
        }
    }
}
