//! # zorginkoop-claims
//!
//! Claim files and the claims checker (see ARCHITECTURE.md and this crate's README.md).
//!
//! * [`layout`]: the Vektis field tables, embedded from `layouts/*.tsv`;
//! * [`ident`]: BSN 11-check, AGB, UZOVI, dates, prestatie codes;
//! * [`vektis`]: reading and writing AW319/HA304 claim files and AW320/HA305 return messages;
//! * [`context`]: contracts, care-chain enrolments and the insured register (CSV files);
//! * [`rules`]: the claim rules from the policies, resolved;
//! * [`scope`]: which rules apply to a line (policy by domain and contract period);
//! * [`checker`]: the evaluation of one line;
//! * [`row`]: the result of one line, as the readers produce it and the run passes it on;
//! * [`run`]: a whole run over many files, its pipeline and its sinks (return messages, result
//!   tables as CSV and Parquet, summary);
//! * [`tabular`]: claim lines as CSV;
//! * [`columnar`]: claim lines as Parquet (same columns);
//! * [`generate`]: reproducible synthetic claim files and context.

pub mod checker;
pub mod columnar;
pub mod context;
pub mod generate;
pub mod ident;
pub mod layout;
pub mod row;
pub mod rules;
pub mod run;
pub mod scope;
pub mod tabular;
pub mod vektis;
