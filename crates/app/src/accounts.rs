//! Who uses the portal: organisations (care providers with their AGB and KvK codes, and the
//! insurer), their users and roles, passwords (argon2id), browser sessions with their CSRF token,
//! login throttling and API tokens for machine clients.
//!
//! Every other portal use case takes an [`Actor`], the logged-in user, and asks it what it may
//! see ([`Actor::may_see`]) and do: this is where tenant isolation is decided, once.

use crate::AppError;
use crate::audit::{self, AuditEntry};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use zorginkoop_store::{Db, Row, StoreError, Tx, args};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A care provider's employee: applies, answers questions, reads proposals.
    ProviderUser,
    /// A care provider's authorised signatory (tekenbevoegd per the KvK register): all a provider
    /// user may, and the only one who accepts or refuses a proposal.
    ProviderSigner,
    /// The insurer's purchaser (zorginkoper): reviews, grants, refuses, proposes.
    Purchaser,
    /// Reads everything, changes nothing.
    Auditor,
    /// Manages organisations and users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::ProviderUser,
        Role::ProviderSigner,
        Role::Purchaser,
        Role::Auditor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ProviderUser => "provider-user",
            Role::ProviderSigner => "provider-signer",
            Role::Purchaser => "purchaser",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The Dutch name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::ProviderUser => "medewerker zorgaanbieder",
            Role::ProviderSigner => "tekenbevoegde zorgaanbieder",
            Role::Purchaser => "zorginkoper",
            Role::Auditor => "auditor (alleen lezen)",
            Role::Admin => "beheerder",
        }
    }

    /// A role of the insurer's staff (sees every organisation).
    pub fn is_insurer(self) -> bool {
        matches!(self, Role::Purchaser | Role::Auditor | Role::Admin)
    }

    pub fn is_provider(self) -> bool {
        matches!(self, Role::ProviderUser | Role::ProviderSigner)
    }
}

/// The logged-in user on whose behalf a use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The organisation's kind: a provider kind of the policies, or `insurer`.
    pub organisation_kind: String,
    /// The client's address, for the audit log and signatures.
    pub ip: Option<String>,
}

impl Actor {
    /// Whether this user may see the data of organisation `organisation_id`: the insurer's staff
    /// see every organisation, a provider's users only their own.
    pub fn may_see(&self, organisation_id: i64) -> bool {
        self.role.is_insurer() || self.organisation_id == organisation_id
    }

    /// Refuses (as "not found", so that nothing leaks about other organisations' records) when
    /// this user may not see organisation `organisation_id`.
    pub fn check_sees(&self, organisation_id: i64, what: &str) -> Result<(), AppError> {
        if self.may_see(organisation_id) {
            Ok(())
        } else {
            Err(AppError::NotFound(what.to_string()))
        }
    }

    /// Refuses unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role], action: &str) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "{action} mag niet met de rol {}; dat mag alleen een {}",
                self.role.label(),
                roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(" of ")
            )))
        }
    }
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    /// 8 digits, leading zeros kept; None for the insurer.
    pub agb: Option<String>,
    pub kvk: Option<String>,
    pub kind: String,
    pub region: Option<String>,
}

impl Organisation {
    fn from_row(r: &Row) -> Result<Organisation, StoreError> {
        Ok(Organisation {
            id: r.int("id")?,
            name: r.text("name")?,
            agb: r.opt_text("agb")?,
            kvk: r.opt_text("kvk")?,
            kind: r.text("kind")?,
            region: r.opt_text("region")?,
        })
    }
}

/// A new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub agb: Option<&'a str>,
    pub kvk: Option<&'a str>,
    pub kind: &'a str,
    pub region: Option<&'a str>,
}

/// A new user.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password: &'a str,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Failed logins for one e-mail address within [`THROTTLE_WINDOW_MINUTES`] before logins for it
/// are refused until the window has passed.
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed logins from one address within the window before that address is refused.
pub const MAX_FAILURES_PER_IP: i64 = 20;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
/// How long a browser session lasts.
pub const SESSION_HOURS: i64 = 12;

fn checked_code(field: &str, value: Option<&str>) -> Result<(), AppError> {
    match value {
        Some(v) if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) => {
            Err(AppError::Invalid {
                field: field.to_string(),
                problem: format!("{v:?} is geen code van 8 cijfers"),
            })
        }
        _ => Ok(()),
    }
}

/// Adds an organisation; returns its id.
pub fn create_organisation(
    tx: &mut Tx<'_>,
    org: &NewOrganisation,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    checked_code("AGB-code", org.agb)?;
    checked_code("KvK-nummer", org.kvk)?;
    Ok(tx.insert(
        "INSERT INTO organisations (name, agb, kvk, kind, region, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        args![org.name, org.agb, org.kvk, org.kind, org.region, now.to_rfc3339()],
    )?)
}

/// Adds a user with an argon2id hash of the password; returns its id.
pub fn create_user(tx: &mut Tx<'_>, user: &NewUser, now: DateTime<Utc>) -> Result<i64, AppError> {
    if user.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Invalid {
            field: "wachtwoord".into(),
            problem: format!("minstens {MIN_PASSWORD_LEN} tekens"),
        });
    }
    let email = user.email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(AppError::Invalid {
            field: "e-mailadres".into(),
            problem: format!("{email:?} is geen e-mailadres"),
        });
    }
    let org = organisation_in(tx, user.organisation_id)?;
    if user.role.is_insurer() != (org.kind == "insurer") {
        return Err(AppError::Invalid {
            field: "rol".into(),
            problem: format!(
                "de rol {} past niet bij organisatie {}",
                user.role.label(),
                org.name
            ),
        });
    }
    Ok(tx.insert(
        "INSERT INTO users (organisation_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        args![
            user.organisation_id,
            email,
            user.name,
            user.role.as_str(),
            hash_password(user.password)?,
            now.to_rfc3339()
        ],
    )?)
}

/// An argon2id hash (PHC string) of a password, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(internal)?;
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(internal)?
        .to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::BadRecord(format!("interne fout: {e}"))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b
}

/// A random token as 64 hex digits.
pub fn random_token() -> String {
    hex(&random_bytes::<32>())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a text, as 64 hex digits.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// A new browser session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The cookie value (only its SHA-256 is stored).
    pub token: String,
    /// The CSRF token every form of this session must carry.
    pub csrf: String,
    pub actor: Actor,
    pub expires_at: DateTime<Utc>,
}

/// Where a login comes from.
#[derive(Debug, Clone, Default)]
pub struct Client<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
}

const ACTOR_SELECT: &str =
    "SELECT u.id AS user_id, u.name, u.email, u.role, u.password_hash, u.active,
        o.id AS organisation_id, o.name AS organisation_name, o.kind AS organisation_kind
   FROM users u JOIN organisations o ON o.id = u.organisation_id";

fn actor_from_row(r: &Row, ip: Option<&str>) -> Result<Actor, AppError> {
    let role = r.text("role")?;
    Ok(Actor {
        user_id: r.int("user_id")?,
        name: r.text("name")?,
        email: r.text("email")?,
        role: Role::parse(&role)
            .ok_or_else(|| AppError::BadRecord(format!("onbekende rol {role:?}")))?,
        organisation_id: r.int("organisation_id")?,
        organisation_name: r.text("organisation_name")?,
        organisation_kind: r.text("organisation_kind")?,
        ip: ip.map(String::from),
    })
}

/// Logs a user in: checks the throttle, the password and that the account is active, then opens
/// a session. Every failure gives the same message (nothing tells whether the address exists)
/// and is counted for throttling.
pub fn login(
    db: &Db,
    email: &str,
    password: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<Session, AppError> {
    login_at(db, email, password, client, now, now)
}

/// [`login`], with the moment its audit entry carries apart from the real `now` that the
/// throttle and the session's expiry need: a portal on a fixed (demo) date logs its logins on
/// that date, like every other change it records.
pub fn login_at(
    db: &Db,
    email: &str,
    password: &str,
    client: &Client,
    now: DateTime<Utc>,
    audit_at: DateTime<Utc>,
) -> Result<Session, AppError> {
    let email = email.trim().to_lowercase();
    let since = (now - Duration::minutes(THROTTLE_WINDOW_MINUTES)).to_rfc3339();
    let (by_email, by_ip) = db.read(|tx| {
        let count = |tx: &mut Tx<'_>, col: &str, v: &str| -> Result<i64, AppError> {
            Ok(tx
                .query_one(
                    &format!("SELECT count(*) AS n FROM login_failures WHERE {col} = ? AND at > ?"),
                    args![v, &since],
                )?
                .map(|r| r.int("n"))
                .transpose()?
                .unwrap_or(0))
        };
        Ok::<_, AppError>((count(tx, "email", &email)?, count(tx, "ip", client.ip)?))
    })?;
    if by_email >= MAX_FAILURES_PER_EMAIL || by_ip >= MAX_FAILURES_PER_IP {
        return Err(AppError::Throttled {
            minutes: THROTTLE_WINDOW_MINUTES,
        });
    }
    let found =
        db.read(|tx| tx.query_one(&format!("{ACTOR_SELECT} WHERE u.email = ?"), args![&email]))?;
    let ok = found.as_ref().is_some_and(|r| {
        r.int("active").unwrap_or(0) == 1
            && r.text("password_hash")
                .is_ok_and(|h| verify_password(password, &h))
    });
    let Some(row) = found.filter(|_| ok) else {
        db.write(|tx| {
            tx.execute(
                "INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)",
                args![&email, client.ip, now.to_rfc3339()],
            )
        })?;
        return Err(AppError::LoginFailed);
    };
    let actor = actor_from_row(&row, Some(client.ip))?;
    let token = random_token();
    let csrf = random_token();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    db.write(|tx| {
        tx.execute(
            "INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, expires_at, ip, user_agent)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            args![
                sha256_hex(&token),
                actor.user_id,
                &csrf,
                now.to_rfc3339(),
                expires_at.to_rfc3339(),
                client.ip,
                client.user_agent
            ],
        )?;
        tx.execute(
            "DELETE FROM login_failures WHERE email = ?",
            args![&email],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(&actor, "inloggen", "user", Some(actor.user_id), audit_at),
        )?;
        Ok::<_, AppError>(())
    })?;
    Ok(Session {
        token,
        csrf,
        actor,
        expires_at,
    })
}

/// The user and CSRF token of a session cookie, when the session exists and has not expired.
pub fn session(
    db: &Db,
    token: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<(Actor, String)>, AppError> {
    let row = db.read(|tx| {
        tx.query_one(
            &format!(
                "{ACTOR_SELECT} JOIN sessions s ON s.user_id = u.id
                 WHERE s.token_sha256 = ? AND s.expires_at > ? AND u.active = 1"
            )
            .replace(
                "SELECT u.id AS user_id",
                "SELECT s.csrf_token, u.id AS user_id",
            ),
            args![sha256_hex(token), now.to_rfc3339()],
        )
    })?;
    row.map(|r| Ok((actor_from_row(&r, ip)?, r.text("csrf_token")?)))
        .transpose()
}

/// Ends a session.
pub fn logout(db: &Db, token: &str) -> Result<(), AppError> {
    db.write(|tx| {
        tx.execute(
            "DELETE FROM sessions WHERE token_sha256 = ?",
            args![sha256_hex(token)],
        )
    })?;
    Ok(())
}

/// Creates an API token for the actor (shown once; only its SHA-256 is kept).
pub fn create_api_token(
    db: &Db,
    actor: &Actor,
    label: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = format!("zk_{}", random_token());
    db.write(|tx| {
        let id = tx.insert(
            "INSERT INTO api_tokens (user_id, token_sha256, label, created_at) VALUES (?, ?, ?, ?)",
            args![actor.user_id, sha256_hex(&token), label, now.to_rfc3339()],
        )?;
        audit::append(
            tx,
            &AuditEntry::new(actor, "API-token aangemaakt", "api_token", Some(id), now),
        )?;
        Ok::<_, AppError>(())
    })?;
    Ok(token)
}

/// The user of an API token, when it exists and is not revoked.
pub fn api_actor(db: &Db, token: &str, ip: Option<&str>) -> Result<Option<Actor>, AppError> {
    let row = db.read(|tx| {
        tx.query_one(
            &format!(
                "{ACTOR_SELECT} JOIN api_tokens t ON t.user_id = u.id
                 WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND u.active = 1"
            ),
            args![sha256_hex(token)],
        )
    })?;
    row.map(|r| actor_from_row(&r, ip)).transpose()
}

/// One organisation, inside a transaction.
pub fn organisation_in(tx: &mut Tx<'_>, id: i64) -> Result<Organisation, AppError> {
    let row = tx
        .query_one(
            "SELECT id, name, agb, kvk, kind, region FROM organisations WHERE id = ?",
            args![id],
        )?
        .ok_or_else(|| AppError::NotFound(format!("organisatie {id}")))?;
    Ok(Organisation::from_row(&row)?)
}

/// One organisation, when the actor may see it.
pub fn organisation(db: &Db, actor: &Actor, id: i64) -> Result<Organisation, AppError> {
    actor.check_sees(id, &format!("organisatie {id}"))?;
    db.read(|tx| organisation_in(tx, id))
}

/// The organisations the actor may see: all for the insurer's staff, else its own.
pub fn organisations(db: &Db, actor: &Actor) -> Result<Vec<Organisation>, AppError> {
    let rows = db.read(|tx| {
        if actor.role.is_insurer() {
            tx.query(
                "SELECT id, name, agb, kvk, kind, region FROM organisations WHERE kind <> 'insurer' ORDER BY name",
                &[],
            )
        } else {
            tx.query(
                "SELECT id, name, agb, kvk, kind, region FROM organisations WHERE id = ?",
                args![actor.organisation_id],
            )
        }
    })?;
    Ok(rows
        .iter()
        .map(Organisation::from_row)
        .collect::<Result<_, _>>()?)
}

/// A user as listed (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub organisation_id: i64,
}

/// The users of an organisation the actor may see.
pub fn users_of(
    db: &Db,
    actor: &Actor,
    organisation_id: i64,
) -> Result<Vec<UserSummary>, AppError> {
    actor.check_sees(organisation_id, &format!("organisatie {organisation_id}"))?;
    let rows = db.read(|tx| {
        tx.query(
            "SELECT id, name, email, role, organisation_id FROM users WHERE organisation_id = ? ORDER BY name",
            args![organisation_id],
        )
    })?;
    rows.iter()
        .map(|r| {
            Ok(UserSummary {
                id: r.int("id")?,
                name: r.text("name")?,
                email: r.text("email")?,
                role: r.text("role")?,
                organisation_id: r.int("organisation_id")?,
            })
        })
        .collect()
}

/// An API token as listed for its owner (never the token itself: only its SHA-256 is kept).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The actor's own API tokens, newest first.
pub fn api_tokens(db: &Db, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    let rows = db.read(|tx| {
        tx.query(
            "SELECT id, label, created_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
            args![actor.user_id],
        )
    })?;
    rows.iter()
        .map(|r| {
            Ok(ApiToken {
                id: r.int("id")?,
                label: r.text("label")?,
                created_at: r.text("created_at")?,
                revoked_at: r.opt_text("revoked_at")?,
            })
        })
        .collect()
}

/// Revokes one of the actor's own API tokens (another user's token is "not found"); revoking
/// twice is refused as a conflict.
pub fn revoke_api_token(
    db: &Db,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    db.write(|tx| {
        let row = tx
            .query_one(
                "SELECT revoked_at FROM api_tokens WHERE id = ? AND user_id = ?",
                args![id, actor.user_id],
            )?
            .ok_or_else(|| AppError::NotFound(format!("API-token {id}")))?;
        if row.opt_text("revoked_at")?.is_some() {
            return Err(AppError::Conflict(format!(
                "API-token {id} is al ingetrokken"
            )));
        }
        let changed = tx.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
            args![now.to_rfc3339(), id, actor.user_id],
        )?;
        if changed == 0 {
            return Err(AppError::Conflict(format!(
                "API-token {id} is al ingetrokken"
            )));
        }
        audit::append(
            tx,
            &AuditEntry::new(actor, "API-token ingetrokken", "api_token", Some(id), now),
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zorginkoop_store::testing;

    fn now() -> DateTime<Utc> {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn setup(db: &Db) -> (i64, i64) {
        db.write(|tx| {
            let org = create_organisation(
                tx,
                &NewOrganisation {
                    name: "Huisartsenpraktijk De Linde",
                    agb: Some("01012345"),
                    kvk: Some("01234567"),
                    kind: "practice",
                    region: Some("Utrecht"),
                },
                now(),
            )?;
            create_user(
                tx,
                &NewUser {
                    organisation_id: org,
                    email: "Anna@DeLinde.nl",
                    name: "Anna de Vries",
                    role: Role::ProviderSigner,
                    password: "correct paard batterij",
                },
                now(),
            )?;
            Ok::<_, AppError>((org, 0))
        })
        .unwrap()
    }

    #[test]
    fn a_user_logs_in_with_the_right_password_and_the_session_finds_them() {
        for t in testing::databases() {
            let (org, _) = setup(&t.db);
            let client = Client {
                ip: "127.0.0.1",
                user_agent: "test",
            };
            let s = login(
                &t.db,
                "anna@delinde.nl",
                "correct paard batterij",
                &client,
                now(),
            )
            .unwrap();
            assert_eq!(s.actor.organisation_id, org);
            assert_eq!(s.actor.role, Role::ProviderSigner);
            let (actor, csrf) = session(&t.db, &s.token, None, now()).unwrap().unwrap();
            assert_eq!(actor.email, "anna@delinde.nl");
            assert_eq!(csrf, s.csrf);
            assert!(
                session(
                    &t.db,
                    &s.token,
                    None,
                    now() + Duration::hours(SESSION_HOURS + 1)
                )
                .unwrap()
                .is_none(),
                "an expired session is no session"
            );
            logout(&t.db, &s.token).unwrap();
            assert!(session(&t.db, &s.token, None, now()).unwrap().is_none());
        }
    }

    #[test]
    fn a_login_on_a_demo_date_is_logged_on_that_date_and_its_session_runs_on_the_real_clock() {
        for t in testing::databases() {
            setup(&t.db);
            let demo: DateTime<Utc> = "2020-06-15T10:00:00Z".parse().unwrap();
            let s = login_at(
                &t.db,
                "anna@delinde.nl",
                "correct paard batterij",
                &Client::default(),
                now(),
                demo,
            )
            .unwrap();
            let at =
                t.db.read(|tx| {
                    tx.query_one(
                        "SELECT at FROM audit_log WHERE action = 'inloggen' ORDER BY id DESC",
                        &[],
                    )
                })
                .unwrap()
                .unwrap()
                .text("at")
                .unwrap();
            assert!(at.starts_with("2020-06-15"), "{at}");
            assert!(session(&t.db, &s.token, None, now()).unwrap().is_some());
        }
    }

    #[test]
    fn the_password_is_stored_as_an_argon2id_hash() {
        let t = testing::sqlite();
        setup(&t.db);
        let hash =
            t.db.read(|tx| tx.query_one("SELECT password_hash FROM users", &[]))
                .unwrap()
                .unwrap()
                .text("password_hash")
                .unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("batterij"));
    }

    #[test]
    fn after_five_failures_even_the_right_password_is_refused_for_a_while() {
        for t in testing::databases() {
            setup(&t.db);
            let client = Client {
                ip: "10.0.0.1",
                user_agent: "x",
            };
            for _ in 0..MAX_FAILURES_PER_EMAIL {
                let e = login(&t.db, "anna@delinde.nl", "fout", &client, now()).unwrap_err();
                assert!(matches!(e, AppError::LoginFailed), "{e}");
            }
            let e = login(
                &t.db,
                "anna@delinde.nl",
                "correct paard batterij",
                &client,
                now(),
            )
            .unwrap_err();
            assert!(matches!(e, AppError::Throttled { .. }), "{e}");
            let later = now() + Duration::minutes(THROTTLE_WINDOW_MINUTES + 1);
            assert!(
                login(
                    &t.db,
                    "anna@delinde.nl",
                    "correct paard batterij",
                    &client,
                    later
                )
                .is_ok()
            );
        }
    }

    #[test]
    fn an_unknown_address_and_a_wrong_password_give_the_same_message() {
        let t = testing::sqlite();
        setup(&t.db);
        let c = Client::default();
        let a = login(&t.db, "niemand@x.nl", "correct paard batterij", &c, now()).unwrap_err();
        let b = login(&t.db, "anna@delinde.nl", "verkeerd wachtwoord", &c, now()).unwrap_err();
        assert_eq!(a.to_string(), b.to_string());
    }

    #[test]
    fn a_provider_sees_only_its_own_organisation() {
        let p = Actor {
            user_id: 1,
            name: "a".into(),
            email: "a@x".into(),
            role: Role::ProviderUser,
            organisation_id: 7,
            organisation_name: "x".into(),
            organisation_kind: "practice".into(),
            ip: None,
        };
        assert!(p.may_see(7));
        assert!(!p.may_see(8));
        let auditor = Actor {
            role: Role::Auditor,
            ..p
        };
        assert!(auditor.may_see(8));
    }

    #[test]
    fn an_api_token_finds_its_user_until_revoked() {
        let t = testing::sqlite();
        setup(&t.db);
        let s = login(
            &t.db,
            "anna@delinde.nl",
            "correct paard batterij",
            &Client::default(),
            now(),
        )
        .unwrap();
        let token = create_api_token(&t.db, &s.actor, "boekhouding", now()).unwrap();
        assert_eq!(
            api_actor(&t.db, &token, None).unwrap().unwrap().user_id,
            s.actor.user_id
        );
        assert!(api_actor(&t.db, "zk_onzin", None).unwrap().is_none());
    }
}
