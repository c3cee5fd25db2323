//! The append-only audit log: every state change in the portal, with who, when, what, the state
//! before and after, and the policy receipt the change rests on. Entries are written in the same
//! transaction as the change they record (so a change without its entry cannot exist), and the
//! database refuses updates and deletes of the log (triggers in the schema).

use crate::AppError;
use crate::accounts::Actor;
use chrono::{DateTime, Utc};
use zorginkoop_store::{Db, Tx, args};

/// One audit log entry to append.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub organisation_id: Option<i64>,
    /// What happened, in Dutch ("aanvraag ingediend").
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// The policy receipt (id, version, SHA-256, engine) of a decision the change rests on.
    pub receipt: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl AuditEntry {
    /// An entry by `actor` about its own organisation's object.
    pub fn new(
        actor: &Actor,
        action: &str,
        object_type: &str,
        object_id: Option<i64>,
        at: DateTime<Utc>,
    ) -> AuditEntry {
        AuditEntry {
            at,
            user_id: Some(actor.user_id),
            organisation_id: Some(actor.organisation_id),
            action: action.to_string(),
            object_type: object_type.to_string(),
            object_id,
            before: None,
            after: None,
            receipt: None,
            ip: actor.ip.clone(),
        }
    }

    /// The organisation whose record changed (when not the actor's own).
    pub fn about(mut self, organisation_id: i64) -> AuditEntry {
        self.organisation_id = Some(organisation_id);
        self
    }

    pub fn change(
        mut self,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> AuditEntry {
        self.before = before;
        self.after = after;
        self
    }

    pub fn receipt(mut self, receipt: Option<serde_json::Value>) -> AuditEntry {
        self.receipt = receipt;
        self
    }
}

/// Appends an entry inside the caller's transaction; returns its id.
pub fn append(tx: &mut Tx<'_>, e: &AuditEntry) -> Result<i64, AppError> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    Ok(tx.insert(
        "INSERT INTO audit_log (at, user_id, organisation_id, action, object_type, object_id,
           before_json, after_json, receipt_json, ip)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        args![
            e.at.to_rfc3339(),
            e.user_id,
            e.organisation_id,
            &e.action,
            &e.object_type,
            e.object_id,
            json(&e.before),
            json(&e.after),
            json(&e.receipt),
            e.ip.as_deref()
        ],
    )?)
}

/// An entry as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub user: Option<String>,
    pub organisation: Option<String>,
    pub organisation_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub receipt: Option<String>,
    pub ip: Option<String>,
}

/// The latest entries the actor may see (the insurer's staff: all; a provider: its own
/// organisation's), newest first, at most `limit`.
pub fn list(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<AuditRecord>, AppError> {
    let base = "SELECT a.id, a.at, u.name AS user_name, o.name AS organisation_name, a.organisation_id,
                a.action, a.object_type, a.object_id, a.before_json, a.after_json, a.receipt_json, a.ip
           FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
                LEFT JOIN organisations o ON o.id = a.organisation_id";
    let rows = db.read(|tx| {
        if actor.role.is_insurer() {
            tx.query(&format!("{base} ORDER BY a.id DESC LIMIT ?"), args![limit])
        } else {
            tx.query(
                &format!("{base} WHERE a.organisation_id = ? ORDER BY a.id DESC LIMIT ?"),
                args![actor.organisation_id, limit],
            )
        }
    })?;
    rows.iter()
        .map(|r| {
            Ok(AuditRecord {
                id: r.int("id")?,
                at: r.text("at")?,
                user: r.opt_text("user_name")?,
                organisation: r.opt_text("organisation_name")?,
                organisation_id: r.opt_int("organisation_id")?,
                action: r.text("action")?,
                object_type: r.text("object_type")?,
                object_id: r.opt_int("object_id")?,
                before: r.opt_text("before_json")?,
                after: r.opt_text("after_json")?,
                receipt: r.opt_text("receipt_json")?,
                ip: r.opt_text("ip")?,
            })
        })
        .collect()
}
