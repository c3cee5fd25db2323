//! The errors of the use cases, with Dutch messages a front end can show as they are.

use std::path::PathBuf;

/// Why a use case could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The policy files do not load (each problem on its own line).
    #[error("beleid laden uit {dir} mislukt:\n{}", problems.join("\n"))]
    PolicyLoad { dir: PathBuf, problems: Vec<String> },
    /// No policy with this id.
    #[error("geen beleid `{id}`; bekende beleidsdocumenten: {} (zie `zorginkoop policy list`)", known.join(", "))]
    UnknownPolicy { id: String, known: Vec<String> },
    /// A case names no policy.
    #[error("{case}: noem het beleid met --policy ID of met een veld \"policy\" in de aanvraag")]
    NoPolicy { case: String },
    /// A case file is not a valid case.
    #[error("{case}: geen geldige aanvraag: {problem}")]
    BadCase { case: String, problem: String },
    /// A document (case, calculator input) that does not parse.
    #[error("{name}: {problem}")]
    BadDocument { name: String, problem: String },
    /// A case with facts or module names that do not fit the policy's declarations: every
    /// problem, each naming the field, the value and what was expected.
    #[error("{case}: aanvraag geweigerd, {} {}:\n{}", problems.len(), if problems.len() == 1 { "fout" } else { "fouten" }, problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    CaseRefused {
        case: String,
        problems: Vec<zorginkoop_engine::facts::FactError>,
    },
    /// The engine cannot decide the case.
    #[error("{case}: {error}")]
    Decide {
        case: String,
        /// Shown in the message, not as a separate cause (it would print twice).
        error: zorginkoop_engine::DecideError,
    },
    /// A calculator refused its input or failed.
    #[error("rekentool {name}: {error}")]
    Calc {
        name: String,
        /// Shown in the message, not as a separate cause (it would print twice).
        error: zorginkoop_engine::calc::CalcError,
    },
    /// The database.
    #[error("database {db}: {source}")]
    Store {
        db: PathBuf,
        source: zorginkoop_store::StoreError,
    },
    /// A database file that should exist does not.
    #[error(
        "{0}: deze database bestaat niet (maak er een met `zorginkoop contracts seed-demo --db BESTAND`)"
    )]
    NoDatabase(PathBuf),
    /// A stored record that cannot be used as it is.
    #[error("{0}")]
    BadRecord(String),
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The claims checker's context (contracts, enrolments, insured register).
    #[error("contextbestanden in {dir}: {error}")]
    ClaimsContext {
        dir: PathBuf,
        /// Shown in the message, not as a separate cause (it would print twice).
        error: zorginkoop_claims::context::ContextError,
    },
    /// The claim rules of the policies.
    #[error("declaratieregels: {0}")]
    ClaimRules(String),
    /// A claims run failed as a whole.
    #[error("declaratiecontrole: {0}")]
    ClaimsRun(String),
    /// The portal's database.
    #[error("database: {0}")]
    Database(#[from] zorginkoop_store::StoreError),
    /// Something that does not exist, or that this user may not see (the same answer, so that
    /// nothing leaks about other organisations).
    #[error("{0} bestaat niet of u mag het niet zien")]
    NotFound(String),
    /// An action this user's role does not allow.
    #[error("niet toegestaan: {0}")]
    Forbidden(String),
    /// A form field with a value that cannot be used.
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
    /// An action that the record's state does not allow (now).
    #[error("{0}")]
    Conflict(String),
    /// Wrong e-mail address or password (the same message for both).
    #[error("onbekend e-mailadres of verkeerd wachtwoord")]
    LoginFailed,
    /// Too many failed logins.
    #[error(
        "te veel mislukte pogingen om in te loggen; probeer het over {minutes} minuten opnieuw"
    )]
    Throttled { minutes: i64 },
}

impl AppError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> AppError {
        let path = path.into();
        move |source| AppError::Io { path, source }
    }

    pub(crate) fn store(
        db: impl Into<PathBuf>,
    ) -> impl FnOnce(zorginkoop_store::StoreError) -> AppError {
        let db = db.into();
        move |source| AppError::Store { db, source }
    }
}
