//! Why a settlement could not be made, in Dutch.

use std::path::PathBuf;

/// Why a settlement could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    /// The policy lacks a parameter, table or timeline entry the settlement needs.
    #[error("beleid {policy}: {problem}")]
    Policy { policy: String, problem: String },
    /// The claim results could not be read or queried.
    #[error("declaratieresultaten lezen mislukt: {0}")]
    Query(String),
    /// The provider terms file is not valid.
    #[error("{file}, regel {line}: {problem}")]
    Terms {
        file: PathBuf,
        line: usize,
        problem: String,
    },
    /// A context file (register, regional scores) is not valid.
    #[error("{}: {problem}", file.display())]
    Context { file: PathBuf, problem: String },
    /// The efficiency model cannot be estimated.
    #[error("doelmatigheidsmodel: {0}")]
    Model(String),
    /// A file could not be read.
    #[error("{file}: kan niet worden gelezen: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    /// An AGB code that is not 8 digits.
    #[error("AGB-code `{0}` is ongeldig: verwacht 8 cijfers")]
    BadAgb(String),
    /// A computation overflowed (amounts beyond what rust_decimal holds).
    #[error("bedrag buiten bereik bij {0}")]
    Overflow(&'static str),
}

impl From<datafusion::error::DataFusionError> for SettleError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        SettleError::Query(e.to_string())
    }
}

/// Whether `s` is an AGB code: exactly 8 ASCII digits.
pub fn is_agb(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}
