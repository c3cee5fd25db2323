//! Settlement of a contract year from the claims checker's results, as DataFusion plans over
//! `results.parquet`, and statements a person can follow line by line.
//!
//! This first slice settles district nursing 2021 (policy `district-nursing-2021`, document
//! 004, chapter 4 and bijlage 6) per provider:
//!
//! * [`scan`]: the aggregations over the Parquet claim results (DataFusion SQL): revenue in the
//!   reference period, production in the contract year, and per client the amount and the number
//!   of months with care; on DataFusion here or (feature `ballista`) on Ballista ([`Engine`]);
//! * [`rules`]: the parameters and tables of the policy file the settlement uses, each with its
//!   passage (nothing is hard-coded but the passages themselves);
//! * [`terms`]: what the claims cannot tell: a 2020 contract, the efficiency group, the tariff
//!   and the efficiency agreement of each provider;
//! * [`nursing`]: the settlement itself in exact decimals;
//! * [`statement`]: the statement (versioned JSON and Dutch text), each line citing its passage;
//! * [`register`]: the insured register and regional scores of a context folder;
//! * [`model`]: the efficiency model (chapter 4): expected cost per client-month, each regular
//!   provider's ratio of actual to expected cost, its efficiency group;
//! * [`ratio`]: the client-per-postcode ratio (bijlage 3);
//! * [`control`]: the control term of district nursing (chapter 7: t + 2 claim years);
//! * [`labs`] (with [`labs_rules`] and [`scan::scan_labs`]): diagnostics and thrombosis 2020
//!   (document 003): revenue ceilings, and for preferred lab contracts the post-calculation
//!   with the sliding discount when orders per patient and analyses per order grew at most
//!   2.5 % against 2018.

pub mod cite;
pub mod control;
pub mod error;
pub mod labs;
pub mod labs_rules;
pub mod model;
pub mod nursing;
pub mod ratio;
pub mod register;
pub mod rules;
pub mod scan;
pub mod statement;
pub mod terms;

pub use error::SettleError;
pub use labs::{settle_labs, settle_labs_from_figures, settle_labs_on};
pub use labs_rules::LabRules;
pub use model::Efficiency;
pub use nursing::{
    settle_nursing, settle_nursing_from_figures, settle_nursing_on, settle_nursing_with_context,
    settle_nursing_with_context_on, settle_nursing_with_model,
};
pub use ratio::{RatioReport, client_postcode_ratios};
pub use register::Register;
pub use rules::NursingRules;
pub use scan::Engine;
pub use statement::{Amount, Line, Statement};
pub use terms::{Agreement, LabContract, LabTerms, LabTermsSet, ProviderTerms, TermsSet};
