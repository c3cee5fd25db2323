//! Settling a contract year from the claims checker's results (`results.parquet`): for now
//! district nursing 2021, per provider, as statements that cite their passages
//! (`zorginkoop-settle` does the work; this is the use case front ends call).

use crate::AppError;
use crate::policies::Source;
use std::path::PathBuf;
pub use zorginkoop_settle::statement::{SCHEMA, euro};
pub use zorginkoop_settle::{Amount, Line, Statement};
use zorginkoop_settle::{NursingRules, TermsSet};

/// The policy district nursing settlement runs under.
pub const NURSING_POLICY: &str = "district-nursing-2021";

/// What a front end asks of a district nursing settlement.
#[derive(Debug, Clone, Default)]
pub struct NursingRequest {
    /// `results.parquet` files of the claims checker, or folders of them.
    pub results: Vec<PathBuf>,
    /// The providers' terms (CSV; see `zorginkoop_settle::terms`): 2020 contract, efficiency
    /// group, tariff, efficiency agreement. None: derived from the claims where possible.
    pub terms: Option<PathBuf>,
    /// Only this provider (AGB code, 8 digits).
    pub provider: Option<String>,
}

/// Settles district nursing 2021 per provider, in AGB order.
pub fn settle_nursing(source: &Source, req: &NursingRequest) -> Result<Vec<Statement>, AppError> {
    let policy = source.open(NURSING_POLICY)?;
    let rules = NursingRules::from_policy(&policy)?;
    let terms = match &req.terms {
        Some(p) => TermsSet::load(p)?,
        None => TermsSet::default(),
    };
    Ok(zorginkoop_settle::settle_nursing(
        &rules,
        &req.results,
        &terms,
        req.provider.as_deref(),
    )?)
}
