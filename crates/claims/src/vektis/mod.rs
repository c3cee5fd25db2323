//! Reading and writing Vektis EI claim files (AW319, HA304) and their return messages (AW320,
//! HA305), byte by byte.
//!
//! Records are split on CR LF and read by the positions of [`crate::layout`]. Text fields are
//! kept as raw bytes (names may carry ISO 8859-1 letters) and echoed unchanged. A fault in the
//! header (01) or trailer (99) — or in the file's overall structure — makes [`parse_claim_file`]
//! return a [`FileError`] (the file is rejected with return code 0001); a fault in a detail
//! record becomes a [`LineFault`] on that record only.
//!
//! * [`standard`]: the two standards and their field positions;
//! * [`record`]: the records and results as types (header, insured, line, faults, decision);
//! * [`read`]: reading and validating claim files;
//! * [`mod@write`]: writing claim files;
//! * [`returns`]: building and reading return messages.

pub mod read;
pub mod record;
pub mod returns;
pub mod standard;
pub mod write;

pub use read::{parse_claim_file, parse_header, parse_insured, parse_line, records};
pub use record::{
    ClaimFile, Decision, Detail, DetailAt, FileError, Header, Insured, Line, LineFault, ReturnCode,
};
pub use returns::{
    CodeSlots, ReturnBuilder, ReturnFile, ReturnLine, ReturnPositions, parse_return_file,
};
pub use standard::{ClaimPositions, Standard};
pub use write::ClaimWriter;
