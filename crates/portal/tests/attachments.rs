//! Attachments over HTTP, on SQLite and PostgreSQL: a provider uploads a PDF to its
//! application's thread (multipart, with the CSRF token), the purchaser downloads the same bytes
//! as an attachment, another organisation gets 404, and a file that is not PDF, PNG, JPEG or
//! text is refused.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Client, Res, portals};
use zorginkoop_app::{accounts, applications, portal_demo};

fn start_application(p: &common::Portal) -> i64 {
    p.blocking(|s| {
        let a = accounts::login(
            &s.db,
            "medewerker@delinde.example",
            portal_demo::DEMO_PASSWORD,
            &accounts::Client::default(),
            s.now(),
        )
        .unwrap()
        .actor;
        applications::start(&s.db, &s.policies, &a, "gp-2022-2023", "basiszorg", s.now()).unwrap()
    })
}

async fn upload(c: &mut Client, id: i64, name: &str, bytes: &[u8], csrf: &str) -> Res {
    let boundary = "zk-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method("POST")
        .uri(format!("/aanvragen/{id}/bijlagen"))
        .header(header::COOKIE, &c.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    c.send(req).await
}

#[tokio::test]
async fn a_provider_uploads_and_the_purchaser_downloads_the_same_bytes() {
    for p in portals() {
        let b = p.backend();
        let id = start_application(&p);
        let mut provider = p.login("medewerker@delinde.example").await;
        let pdf = b"%PDF-1.4\n% regioplan\n%%EOF\n";
        let csrf = provider.csrf.clone();
        let res = upload(&mut provider, id, "regioplan.pdf", pdf, &csrf).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);

        let mut purchaser = p.login("inkoper@zorgverzekeraar.example").await;
        let page = purchaser.get(&format!("/inkoop/aanvragen/{id}")).await;
        assert!(
            page.body.contains("regioplan.pdf"),
            "{b}: listed on the review page"
        );
        let at = page.body.find("/bijlagen/").expect("a download link");
        let link: String = page.body[at..].chars().take_while(|c| *c != '"').collect();
        let file = purchaser.get(&link).await;
        assert_eq!(file.status, StatusCode::OK, "{b}");
        assert_eq!(file.bytes, pdf.to_vec(), "{b}: the same bytes");
        assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
        assert!(
            file.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );

        let mut other = p.login("medewerker@hetplein.example").await;
        assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND, "{b}");
        let csrf = other.csrf.clone();
        let res = upload(&mut other, id, "x.pdf", pdf, &csrf).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{b}: not another's application"
        );

        let csrf = provider.csrf.clone();
        let res = upload(&mut provider, id, "rapport.pdf", b"MZ\x90\x00binary", &csrf).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("alleen PDF, PNG, JPEG of platte tekst"),
            "{b}"
        );
        let res = upload(&mut provider, id, "x.pdf", pdf, "vervalst").await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{b}: the CSRF token is checked"
        );
    }
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_without_storing_it() {
    let p = common::Portal::on(zorginkoop_store::testing::sqlite());
    let id = start_application(&p);
    let mut provider = p.login("medewerker@delinde.example").await;
    let big = vec![b'a'; zorginkoop_app::attachments::MAX_BYTES + 200 * 1024];
    let csrf = provider.csrf.clone();
    let res = upload(&mut provider, id, "groot.txt", &big, &csrf).await;
    assert!(
        res.status == StatusCode::UNPROCESSABLE_ENTITY
            || res.status == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        res.status
    );
    let n = p.blocking(|s| {
        s.db.read(|tx| tx.query_one("SELECT count(*) AS n FROM attachments", &[]))
            .unwrap()
            .unwrap()
            .int("n")
            .unwrap()
    });
    assert_eq!(n, 0);
}
