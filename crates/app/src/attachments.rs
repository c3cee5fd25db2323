//! Attachments to an application's question-and-answer thread: a PDF, a PNG or JPEG image, or
//! plain text, at most [`MAX_BYTES`]. The type is decided by the content (magic bytes), not by
//! the name or the browser's claim; anything else is refused with a message that says what is
//! accepted. Whoever may see the application may add and read its attachments.

use crate::AppError;
use crate::accounts::{Actor, Role, hex};
use crate::applications;
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, Utc};
use zorginkoop_store::{Db, args};

/// The largest attachment accepted (4 MiB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// An attachment as listed (without its content).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    pub id: i64,
    pub application_id: i64,
    pub author: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: String,
}

/// The content type of `bytes` by their first bytes, if it is one the portal accepts.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if std::str::from_utf8(bytes).is_ok_and(|t| {
        !t.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    }) {
        Some("text/plain")
    } else {
        None
    }
}

/// A file name safe to show and to offer for download: the last path component, printable
/// characters only, at most 120 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "bijlage".to_string()
    } else {
        cleaned
    }
}

/// Adds an attachment to an application's thread; returns its id.
pub fn add(
    db: &Db,
    actor: &Actor,
    application_id: i64,
    file_name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    actor.require(
        &[Role::ProviderUser, Role::ProviderSigner, Role::Purchaser],
        "een bijlage toevoegen",
    )?;
    let app = applications::get(db, actor, application_id)?;
    if bytes.is_empty() {
        return Err(AppError::Invalid {
            field: "bijlage".into(),
            problem: "het bestand is leeg".into(),
        });
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::Invalid {
            field: "bijlage".into(),
            problem: format!(
                "het bestand is {} kB; hoogstens {} kB",
                bytes.len() / 1024,
                MAX_BYTES / 1024
            ),
        });
    }
    let content_type = sniff(bytes).ok_or_else(|| AppError::Invalid {
        field: "bijlage".into(),
        problem: "alleen PDF, PNG, JPEG of platte tekst".into(),
    })?;
    let name = clean_name(file_name);
    let sha = hex_sha256(bytes);
    db.write(|tx| {
        let id = tx.insert(
            "INSERT INTO attachments (application_id, author_id, file_name, content_type, size_bytes, sha256, content_hex, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            args![
                application_id,
                actor.user_id,
                &name,
                content_type,
                bytes.len() as i64,
                &sha,
                hex(bytes),
                now.to_rfc3339()
            ],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "bijlage toegevoegd", "application", Some(application_id), now)
                .about(app.organisation_id)
                .change(
                    None,
                    Some(serde_json::json!({"attachment": id, "file": name, "sha256": sha, "bytes": bytes.len()})),
                ),
        )?;
        Ok(id)
    })
}

pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// The attachments of an application the actor may see, oldest first.
pub fn list(db: &Db, actor: &Actor, application_id: i64) -> Result<Vec<Attachment>, AppError> {
    applications::get(db, actor, application_id)?;
    let rows = db.read(|tx| {
        tx.query(
            "SELECT a.id, a.application_id, u.name, a.file_name, a.content_type, a.size_bytes, a.sha256, a.created_at
               FROM attachments a JOIN users u ON u.id = a.author_id
              WHERE a.application_id = ? ORDER BY a.id",
            args![application_id],
        )
    })?;
    rows.iter()
        .map(|r| {
            Ok(Attachment {
                id: r.int("id")?,
                application_id: r.int("application_id")?,
                author: r.text("name")?,
                file_name: r.text("file_name")?,
                content_type: r.text("content_type")?,
                size_bytes: r.int("size_bytes")?,
                sha256: r.text("sha256")?,
                created_at: r.text("created_at")?,
            })
        })
        .collect()
}

/// One attachment with its content, when the actor may see its application.
pub fn get(db: &Db, actor: &Actor, id: i64) -> Result<(Attachment, Vec<u8>), AppError> {
    let row = db
        .read(|tx| {
            tx.query_one(
                "SELECT a.id, a.application_id, u.name, a.file_name, a.content_type, a.size_bytes, a.sha256,
                        a.created_at, a.content_hex
                   FROM attachments a JOIN users u ON u.id = a.author_id WHERE a.id = ?",
                args![id],
            )
        })?
        .ok_or_else(|| AppError::NotFound(format!("bijlage {id}")))?;
    let application_id = row.int("application_id")?;
    applications::get(db, actor, application_id)
        .map_err(|_| AppError::NotFound(format!("bijlage {id}")))?;
    let content = unhex(&row.text("content_hex")?)
        .ok_or_else(|| AppError::BadRecord(format!("bijlage {id}: inhoud onleesbaar")))?;
    let a = Attachment {
        id,
        application_id,
        author: row.text("name")?,
        file_name: row.text("file_name")?,
        content_type: row.text("content_type")?,
        size_bytes: row.int("size_bytes")?,
        sha256: row.text("sha256")?,
        created_at: row.text("created_at")?,
    };
    if hex_sha256(&content) != a.sha256 {
        return Err(AppError::BadRecord(format!(
            "bijlage {id}: de inhoud klopt niet met de opgeslagen SHA-256"
        )));
    }
    Ok((a, content))
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.4\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(sniff("Regioplan Utrecht\n".as_bytes()), Some("text/plain"));
        assert_eq!(
            sniff(b"MZ\x90\x00\x03\x00"),
            None,
            "an executable is refused"
        );
        assert_eq!(
            sniff(b"PK\x03\x04\x14\x00"),
            None,
            "a zip (or xlsx) is refused"
        );
    }

    #[test]
    fn file_names_lose_their_path_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\x\\regioplan.pdf"), "regioplan.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b;\nc.pdf"), "abc.pdf");
        assert_eq!(clean_name(""), "bijlage");
    }

    #[test]
    fn hex_round_trips() {
        let b = [0u8, 1, 254, 255, 16];
        assert_eq!(unhex(&hex(&b)).unwrap(), b);
        assert!(unhex("abc").is_none());
    }
}
