//! Crash test of the portal (issue 13): the real `zorginkoop serve` on a SQLite file, many draft
//! applications made ready over HTTP by several organisations' users, concurrent submissions,
//! and a SIGKILL of the server at a random moment during them. After a restart every
//! application is either fully submitted (state `submitted`, decision, request date and
//! submission time set, one audit row "aanvraag ingediend") or still a draft with none of
//! those; the drafts that are left can still be submitted. A few rounds, each bounded in time.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};
use zorginkoop_app::store::{Db, args};

const PASSWORD: &str = "demo-wachtwoord";
const POLICY: &str = "gp-2022-2023";
/// Two GP organisations (the kinds the GP policy's modules are for), each with its user and
/// its signer: four sessions submitting at once.
const USERS: &[(&str, &str)] = &[
    ("delinde", "medewerker@delinde.example"),
    ("delinde", "huisarts@delinde.example"),
    ("hetplein", "medewerker@hetplein.example"),
    ("hetplein", "huisarts@hetplein.example"),
];
const ROUNDS: usize = 3;

// --- the server ------------------------------------------------------------------------------

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut child = Command::new(env!("CARGO_BIN_EXE_zorginkoop"))
            .env("ZORGINKOOP_POLICIES", root.join("policies"))
            .args([
                "serve",
                "--demo-data",
                "--today",
                "2021-11-01",
                "--port",
                "0",
            ])
            .arg("--database-url")
            .arg(db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start zorginkoop serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server prints its address");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// SIGKILL: no shutdown, no flush, no chance to finish a transaction.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- a small HTTP/1.1 client (std only; one connection per request) ---------------------------

struct Res {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Res {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn form_body(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    form: Option<&[(String, String)]>,
) -> std::io::Result<Res> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = form.map(form_body).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: crash-test\r\nConnection: close\r\n"
    );
    if !cookie.is_empty() {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if form.is_some() {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no complete response")
    })?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Ok(Res {
        status,
        headers,
        body,
    })
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// The value of attribute `name` in one tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let at = tag.find(&needle)? + needle.len();
    let end = tag[at..].find('"')?;
    Some(
        tag[at..at + end]
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'"),
    )
}

/// The tags `<name ...>` in `html`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        out.push(&rest[at..end]);
        rest = &rest[end..];
    }
    out
}

/// The inner HTML of the form whose action is `action`.
fn form_with_action<'a>(html: &'a str, action: &str) -> Option<&'a str> {
    let at = html.find(&format!("action=\"{action}\""))?;
    let start = html[..at].rfind("<form")?;
    let end = html[at..].find("</form>").map_or(html.len(), |e| at + e);
    Some(&html[start..end])
}

/// A logged-in user: the session cookie and the session's CSRF token.
struct Session {
    addr: String,
    cookie: String,
    csrf: String,
}

fn cookie_of(res: &Res, name: &str) -> Option<String> {
    res.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
}

fn hidden(html: &str, name: &str) -> Option<String> {
    tags(html, "input")
        .into_iter()
        .find(|t| attr(t, "name").as_deref() == Some(name))
        .and_then(|t| attr(t, "value"))
}

impl Session {
    fn login(addr: &str, email: &str) -> Session {
        let page = request(addr, "GET", "/login", "", None).expect("GET /login");
        let login_cookie = cookie_of(&page, "zk_login").expect("login cookie");
        let token = hidden(&page.body, "csrf").expect("csrf field");
        let res = request(
            addr,
            "POST",
            "/login",
            &login_cookie,
            Some(&[
                ("csrf".into(), token),
                ("email".into(), email.into()),
                ("wachtwoord".into(), PASSWORD.into()),
            ]),
        )
        .expect("POST /login");
        assert_eq!(res.status, 303, "login {email}: {}", gist(&res.body));
        let cookie = cookie_of(&res, "zk_sessie").expect("session cookie");
        let account = request(addr, "GET", "/account", &cookie, None).expect("GET /account");
        let csrf = hidden(&account.body, "csrf").expect("session csrf");
        Session {
            addr: addr.to_string(),
            cookie,
            csrf,
        }
    }

    fn get(&self, path: &str) -> Res {
        let res = request(&self.addr, "GET", path, &self.cookie, None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!(res.status, 200, "GET {path}: {}", gist(&res.body));
        res
    }

    fn post(&self, path: &str, pairs: &[(String, String)]) -> std::io::Result<Res> {
        let mut all = vec![("csrf".to_string(), self.csrf.clone())];
        all.extend(pairs.iter().filter(|(k, _)| k != "csrf").cloned());
        request(&self.addr, "POST", path, &self.cookie, Some(&all))
    }
}

// --- making drafts ready -----------------------------------------------------------------------

/// Every module the catalogue offers an application for.
fn catalogue_modules(s: &Session) -> Vec<String> {
    let page = s.get(&format!("/catalogus?beleid={POLICY}"));
    let mut modules = Vec::new();
    let mut rest = page.body.as_str();
    while let Some(form) = form_with_action(rest, "/aanvragen") {
        if let Some(m) = hidden(form, "module") {
            modules.push(m);
        }
        let at = rest.find(form).expect("form in page") + form.len();
        rest = &rest[at..];
    }
    modules
}

/// Answers the application's form as a browser user would who says yes to everything: each
/// radio group its "Ja" (or true) value, each checkbox checked, each number a figure, each
/// select its first option. Returns whether the answers were accepted.
fn answer_everything(s: &Session, id: i64) -> bool {
    let action = format!("/aanvragen/{id}/antwoorden");
    let page = s.get(&format!("/aanvragen/{id}"));
    let form = form_with_action(&page.body, &action)
        .unwrap_or_else(|| panic!("no answers form on /aanvragen/{id}"));
    let mut answers: BTreeMap<String, String> = BTreeMap::new();
    for t in tags(form, "input") {
        let (Some(name), kind) = (attr(t, "name"), attr(t, "type").unwrap_or_default()) else {
            continue;
        };
        let value = attr(t, "value").unwrap_or_default();
        match kind.as_str() {
            "radio" => {
                let yes = ["ja", "true", "yes"].contains(&value.to_lowercase().as_str());
                if yes || !answers.contains_key(&name) {
                    answers.insert(name, value);
                }
            }
            "checkbox" => {
                answers.insert(name, if value.is_empty() { "on".into() } else { value });
            }
            "number" => {
                // a practice of 2,350 patients, or the largest figure the field allows
                answers.insert(name, attr(t, "max").unwrap_or_else(|| "2350".into()));
            }
            "text" if attr(t, "inputmode").as_deref() == Some("decimal") => {
                answers.insert(name, "10".into());
            }
            "hidden" | "text" | "date" => {
                answers.entry(name).or_insert(value);
            }
            _ => {}
        }
    }
    for t in tags(form, "select") {
        if let Some(name) = attr(t, "name") {
            let after = &form[form.find(t).expect("select in form")..];
            let first = tags(after, "option")
                .into_iter()
                .filter_map(|o| attr(o, "value"))
                .find(|v| !v.is_empty());
            if let Some(v) = first {
                answers.insert(name, v);
            }
        }
    }
    let pairs: Vec<(String, String)> = answers.into_iter().collect();
    let res = s.post(&action, &pairs).expect("POST answers");
    assert!(
        [200, 303, 422].contains(&res.status),
        "saving answers of {id}: {} {}",
        res.status,
        gist(&res.body)
    );
    // ready when the decision lists no missing answers any more
    res.status != 422
        && !s
            .get(&format!("/aanvragen/{id}"))
            .body
            .contains("class=\"missing\"")
}

/// What a page says went wrong (its alerts), or its start: for assertion messages.
fn gist(body: &str) -> String {
    let alerts: Vec<&str> = body
        .split("role=\"alert\">")
        .skip(1)
        .filter_map(|rest| rest.split("</").next())
        .collect();
    if alerts.is_empty() {
        body.chars().take(300).collect()
    } else {
        alerts.join(" | ")
    }
}

/// Starts a draft for `module` over HTTP; returns its id.
fn start_draft(s: &Session, module: &str) -> Option<i64> {
    let res = s
        .post(
            "/aanvragen",
            &[
                ("beleid".into(), POLICY.into()),
                ("module".into(), module.into()),
            ],
        )
        .expect("POST /aanvragen");
    if res.status != 303 {
        return None;
    }
    res.header("location")?
        .strip_prefix("/aanvragen/")?
        .parse()
        .ok()
}

// --- checking the database --------------------------------------------------------------------

#[derive(Debug)]
struct AppRow {
    state: String,
    decision: bool,
    request_date: bool,
    submitted_at: bool,
    submitted_audit: i64,
}

fn applications(db_path: &Path) -> BTreeMap<i64, AppRow> {
    let db = Db::open_sqlite(db_path).expect("the database opens after the crash");
    db.read(|tx| {
        let rows = tx.query(
            "SELECT a.id, a.state, a.decision_json, a.request_date, a.submitted_at,
                    (SELECT COUNT(*) FROM audit_log l WHERE l.object_type = 'application'
                       AND l.object_id = a.id AND l.action = 'aanvraag ingediend') AS audits
               FROM applications a ORDER BY a.id",
            args![],
        )?;
        let mut out = BTreeMap::new();
        for r in rows {
            out.insert(
                r.int("id")?,
                AppRow {
                    state: r.text("state")?,
                    decision: r.opt_text("decision_json")?.is_some(),
                    request_date: r.opt_text("request_date")?.is_some(),
                    submitted_at: r.opt_text("submitted_at")?.is_some(),
                    submitted_audit: r.int("audits")?,
                },
            );
        }
        Ok::<_, zorginkoop_app::store::StoreError>(out)
    })
    .expect("read applications")
}

/// Either fully submitted or still a draft; never anything in between.
fn assert_whole(round: usize, apps: &BTreeMap<i64, AppRow>) -> (usize, usize) {
    let (mut submitted, mut drafts) = (0, 0);
    for (id, a) in apps {
        match a.state.as_str() {
            "submitted" => {
                assert!(
                    a.decision && a.request_date && a.submitted_at && a.submitted_audit == 1,
                    "round {round}: application {id} is submitted but incomplete: {a:?}"
                );
                submitted += 1;
            }
            "draft" => {
                assert!(
                    !a.decision && !a.request_date && !a.submitted_at && a.submitted_audit == 0,
                    "round {round}: application {id} is a draft with traces of a submission: {a:?}"
                );
                drafts += 1;
            }
            other => panic!("round {round}: application {id} is in state {other}"),
        }
    }
    (submitted, drafts)
}

/// A small xorshift generator seeded from the clock (the seed is printed to replay a failure).
fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        })
}

fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn a_killed_server_leaves_every_application_submitted_or_a_draft() {
    let started = Instant::now();
    let seed = seed();
    eprintln!("crash test: seed {seed} (CRASH_SEED={seed} repeats the random choices)");
    let mut rng = seed;
    let dir = tempfile::tempdir().expect("temporary folder");
    let (mut total_submitted, mut total_left) = (0, 0);
    for round in 1..=ROUNDS {
        let db_path: PathBuf = dir.path().join(format!("crash-{round}.db"));
        let server = Server::start(&db_path);
        let sessions: Vec<(String, Session)> = USERS
            .iter()
            .map(|(org, email)| (org.to_string(), Session::login(&server.addr, email)))
            .collect();

        // drafts, made ready by each organisation's first user
        let mut ready: Vec<(String, i64)> = Vec::new();
        for (org, s) in &sessions {
            if ready.iter().any(|(o, _)| o == org) {
                continue;
            }
            for module in catalogue_modules(s) {
                if let Some(id) = start_draft(s, &module)
                    && answer_everything(s, id)
                {
                    ready.push((org.clone(), id));
                }
            }
        }
        assert!(
            ready.len() >= 10,
            "round {round}: only {} drafts could be made ready",
            ready.len()
        );
        let before = applications(&db_path);
        assert!(before.values().all(|a| a.state == "draft"));

        // every session submits its organisation's drafts at once (each twice over: the
        // second attempt races the first); the server is killed after a random delay counted
        // from the first submission answered
        let answered = Arc::new(AtomicUsize::new(0));
        let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
        let barrier = Arc::new(Barrier::new(sessions.len() + 1));
        let mut workers = Vec::new();
        for (i, (org, s)) in sessions.into_iter().enumerate() {
            let mut ids: Vec<i64> = ready
                .iter()
                .filter(|(o, _)| *o == org)
                .map(|(_, id)| *id)
                .collect();
            if i % 2 == 1 {
                ids.reverse();
            }
            let (answered, acknowledged, barrier) =
                (answered.clone(), acknowledged.clone(), barrier.clone());
            workers.push(std::thread::spawn(move || {
                barrier.wait();
                for id in ids {
                    match s.post(&format!("/aanvragen/{id}/indienen"), &[]) {
                        Ok(res) => {
                            if res.status == 303 {
                                acknowledged.lock().expect("lock").insert(id);
                            }
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(_) => break, // the server is gone
                    }
                }
            }));
        }
        barrier.wait();
        let wait_for = 1 + (next(&mut rng) % 3) as usize;
        let deadline = Instant::now() + Duration::from_secs(20);
        while answered.load(Ordering::SeqCst) < wait_for && Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_micros(next(&mut rng) % 30_000));
        server.kill();
        for w in workers {
            w.join().expect("worker");
        }

        // restart on the same file: the server comes back and serves
        let server = Server::start(&db_path);
        let s = Session::login(&server.addr, "medewerker@delinde.example");
        s.get("/aanvragen");
        let after = applications(&db_path);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "round {round}: the same applications"
        );
        let (submitted, drafts) = assert_whole(round, &after);
        // a submission the server confirmed (303) was committed before it answered
        for id in acknowledged.lock().expect("lock").iter() {
            assert_eq!(
                after[id].state, "submitted",
                "round {round}: application {id} was confirmed as submitted, then lost"
            );
        }
        let ready_left = ready
            .iter()
            .filter(|(_, id)| after[id].state == "draft")
            .count();
        eprintln!(
            "round {round}: {} drafts ready to submit; after the kill {submitted} submitted, \
             {ready_left} of the ready ones still drafts ({drafts} drafts in all)",
            ready.len()
        );
        total_submitted += submitted;
        total_left += ready_left;

        // a draft the crash left behind is a normal draft: it can be submitted now
        let left = ready
            .iter()
            .find(|(_, id)| after[id].state == "draft")
            .cloned();
        if let Some((owner, id)) = left {
            let id = &id;
            let email = USERS.iter().find(|(o, _)| *o == owner).expect("user").1;
            let s = Session::login(&server.addr, email);
            let res = s
                .post(&format!("/aanvragen/{id}/indienen"), &[])
                .expect("submit after restart");
            assert_eq!(
                res.status,
                303,
                "submit {id} after restart: {}",
                gist(&res.body)
            );
            let row = &applications(&db_path)[id];
            assert!(
                row.state == "submitted" && row.decision && row.submitted_audit == 1,
                "{row:?}"
            );
        }
        drop(server);
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the crash test is bounded in time"
        );
    }
    // the kills fell during the submissions, not before or after all of them
    assert!(
        total_submitted > 0,
        "some submissions were done before a kill"
    );
    assert!(total_left > 0, "some drafts were left by a kill");
}
