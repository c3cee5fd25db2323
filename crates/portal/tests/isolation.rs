//! Tenant isolation, generated from `zorginkoop_portal::route_list()`: organisation A (De Linde)
//! has a draft, a submitted application, a proposal waiting for its signer and a signed one
//! with its contract; then EVERY route of the list is requested by both users of organisation B
//! (Het Plein) with A's ids filled in: a GET and the route's own method with a valid CSRF token
//! (or API token) and a body carrying every field the pages and the API read. Each answer must
//! be a refusal (401/403/404/405/422, 400/413/415 for a body it cannot read), a redirect, or a
//! success that shows nothing of A; a record of A must answer as a record that does not exist;
//! and none of A's records may have changed. A route added later is walked too: the list is
//! the router's own.

mod common;
mod walk;

use axum::http::StatusCode;
use common::portals;
use walk::{B_USERS, World};

fn allowed(status: StatusCode) -> bool {
    status.is_success()
        || status.is_redirection()
        || matches!(
            status.as_u16(),
            400 | 401 | 403 | 404 | 405 | 413 | 415 | 422
        )
}

fn class(status: StatusCode) -> u16 {
    status.as_u16() / 100
}

/// Every problem with one answer to a user of B.
fn problems(w: &World, what: &str, status: StatusCode, body: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !allowed(status) {
        out.push(format!("{what}: status {status}"));
    }
    let lower = body.to_lowercase();
    // what B sent itself (a proposal's SHA-256 in a body) may come back
    let sent = what.to_lowercase();
    for m in w.markers() {
        if contains_word(&lower, &m) && !sent.contains(&m) {
            out.push(format!("{what}: status {status}, shows A's {m:?}"));
        }
    }
    out
}

/// Whether `needle` stands in `hay` as a whole word: not inside a longer run of letters or
/// digits. A's patient count (4 digits) turns up by chance inside the random hex of a CSRF token
/// about once in a thousand pages; as a word it does not.
fn contains_word(hay: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    hay.match_indices(needle).any(|(i, _)| {
        !word(hay[..i].chars().next_back()) && !word(hay[i + needle.len()..].chars().next())
    })
}

#[test]
fn a_marker_counts_as_a_word_not_inside_a_token() {
    assert!(contains_word("patiënten: 2987.", "2987"));
    assert!(contains_word("2987", "2987"));
    assert!(!contains_word("csrf 9af2987c0d", "2987"));
    assert!(!contains_word("12987", "2987"));
    assert!(contains_word("bij de linde, utrecht", "de linde"));
}

#[tokio::test]
async fn no_route_shows_or_changes_anything_of_another_organisation() {
    for p in portals() {
        let w = walk::set_up(&p);
        let mut before = walk::snapshot(&p, &w);
        let routes = zorginkoop_portal::route_list();
        assert!(routes.len() >= 20, "{} routes", routes.len());
        let mut failures: Vec<String> = Vec::new();
        let mut requests = 0usize;
        for email in B_USERS {
            let (mut c, mut token) = walk::user(&p, email).await;
            for route in &routes {
                let value = |n: &str| walk::values(n, &w, &p);
                let own = walk::own_ids(&p, email);
                let mut paths = walk::fill(route.path, &value);
                if route.method == "GET" {
                    // a filter that names A's organisation or records
                    let first = paths[0].clone();
                    paths.extend(
                        w.ids()
                            .iter()
                            .map(|id| format!("{first}{}", walk::queries(*id))),
                    );
                }
                // what a record that does not exist gets
                let missing = match walk::with_missing_ids(route.path, &value) {
                    Some(path) => walk::requests(&mut c, &token, route, &path, &w)
                        .await
                        .into_iter()
                        .map(|(_, r)| r.status)
                        .collect::<Vec<_>>(),
                    None => Vec::new(),
                };
                for path in &paths {
                    let answers = walk::requests(&mut c, &token, route, path, &w).await;
                    requests += answers.len();
                    let names_own_record = own
                        .iter()
                        .any(|id| path.split('/').any(|seg| seg == id.to_string()));
                    for (i, (what, res)) in answers.iter().enumerate() {
                        let what = format!("{email}: {what}");
                        // B's own record (an id of B's that is also one of A's) may be in a
                        // state that refuses the change
                        let status = if names_own_record && res.status == StatusCode::CONFLICT {
                            StatusCode::UNPROCESSABLE_ENTITY
                        } else {
                            res.status
                        };
                        failures.extend(problems(&w, &what, status, &res.body));
                        // A's record must answer as one that does not exist
                        if let Some(m) = missing.get(i)
                            && !path.contains('?')
                            && !names_own_record
                            && class(res.status) != class(*m)
                        {
                            failures.push(format!(
                                "{what}: status {} for A's record, {m} for a record that does not exist",
                                res.status
                            ));
                        }
                    }
                }
                let after = walk::snapshot(&p, &w);
                if after != before {
                    failures.push(format!(
                        "{email}: {} {} changed A's records:\nvoor:\n{before}na:\n{after}",
                        route.method, route.path
                    ));
                    before = after;
                }
                walk::keep_logged_in(&p, email, &mut c, &mut token).await;
            }
        }
        eprintln!(
            "{}: {} routes, {requests} requests as organisation B",
            p.backend(),
            routes.len()
        );
        assert!(
            failures.is_empty(),
            "{}: {} of {requests} requests leak or fail:\n{}",
            p.backend(),
            failures.len(),
            failures.join("\n")
        );
        assert!(requests > 100, "{requests} requests");
    }
}

#[tokio::test]
async fn the_walk_sees_a_leak_when_there_is_one() {
    // the checks of the isolation test, on answers that do show A's data: a page with A's name,
    // A's answers, a proposal's SHA-256
    let p = common::Portal::on(zorginkoop_store::testing::sqlite());
    let w = walk::set_up(&p);
    let mut c = p.login("medewerker@delinde.example").await;
    for path in [
        format!("/api/v1/applications/{}", w.submitted),
        format!("/api/v1/proposals/{}", w.proposal),
    ] {
        let res = c.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(
            !problems(&w, &path, res.status, &res.body).is_empty(),
            "A's own view of {path} counts as a leak when B would get it"
        );
    }
    assert!(!problems(&w, "x", StatusCode::INTERNAL_SERVER_ERROR, "").is_empty());
    assert!(!problems(&w, "x", StatusCode::CONFLICT, "").is_empty());
    assert!(
        problems(
            &w,
            "x",
            StatusCode::NOT_FOUND,
            "{\"fout\": \"aanvraag 3 bestaat niet\"}"
        )
        .is_empty()
    );
}
