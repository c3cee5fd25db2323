//! Claim-file records and what is decided about them, as types: the 01 header, 02 insured and
//! 04 line records, faults in a record or in the whole file, a line's decision and return codes.

use super::standard::Standard;
use crate::ident::Code;
use chrono::NaiveDate;

/// The 01 header record of a claim file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub standard: Standard,
    pub uzovi: u16,
    /// ZORGVERLENERSCODE: the claiming provider's AGB code.
    pub provider: u32,
    pub practice: u32,
    pub institution: u32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// FACTUURNUMMER DECLARANT, as raw bytes (trailing spaces removed).
    pub invoice_number: Vec<u8>,
    pub invoice_date: NaiveDate,
}

/// A 02 insured record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insured {
    pub id: u64,
    pub bsn: u32,
    pub uzovi: u16,
    pub insured_number: Vec<u8>,
    pub birth_date: NaiveDate,
    /// 1 male, 2 female, 0 unknown.
    pub gender: u8,
    /// NAAM VERZEKERDE (01), raw bytes (ISO 8859-1 allowed), trailing spaces removed.
    pub name: Vec<u8>,
    /// VOORLETTERS VERZEKERDE, raw bytes, trailing spaces removed (required by the standard).
    pub initials: Vec<u8>,
    pub postcode: Vec<u8>,
}

/// A 04 prestatie record: one claim line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: u64,
    pub bsn: u32,
    pub uzovi: u16,
    pub insured_number: Vec<u8>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// AANDUIDING PRESTATIECODELIJST.
    pub code_list: u16,
    pub code: Code,
    pub count: u16,
    /// ZORGVERLENERSCODE BEHANDELAAR/UITVOERDER (0 when not given).
    pub performer: u32,
    /// Unit tariff in cents.
    pub tariff: i64,
    /// DECLARATIEBEDRAG in cents, negative for credit (C).
    pub amount: i64,
    pub reference: Vec<u8>,
    pub previous_reference: Vec<u8>,
}

/// A fault in one detail record: the record (and, for a 02, its lines) is rejected with
/// `return_code`; the file goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFault {
    /// 1-based line number in the file.
    pub line: usize,
    /// Element id of the field at fault (e.g. `0403`), empty for the whole record.
    pub element: String,
    /// Vektis return code (COD954), e.g. `0435`.
    pub return_code: u16,
    pub message: String,
}

impl std::fmt::Display for LineFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "regel {}", self.line)?;
        if !self.element.is_empty() {
            write!(f, ", veld {}", self.element)?;
        }
        write!(f, ": {} (retourcode {:04})", self.message, self.return_code)
    }
}

/// A fault that rejects the whole file (return code 0001).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", where_(*line, field))]
pub struct FileError {
    /// 1-based line number; 0 when the fault is not on a line (e.g. the file cannot be read).
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// `regel 7, veld 9907: ` for a file error's place, empty when it has no line.
fn where_(line: usize, field: &str) -> String {
    match (line, field.is_empty()) {
        (0, true) => String::new(),
        (0, false) => format!("veld {field}: "),
        (_, true) => format!("regel {line}: "),
        (_, false) => format!("regel {line}, veld {field}: "),
    }
}

pub(super) fn file_err(line: usize, field: &str, message: impl Into<String>) -> FileError {
    FileError {
        line,
        field: field.to_string(),
        message: message.into(),
    }
}

/// A detail record of a parsed file, in file order.
#[derive(Debug, Clone)]
pub enum Detail {
    Insured(Result<Insured, LineFault>),
    Debtor { line: usize },
    Comment { line: usize },
    Line(Box<Result<Line, LineFault>>),
}

/// A whole parsed claim file.
#[derive(Debug, Clone)]
pub struct ClaimFile {
    pub header: Header,
    pub details: Vec<DetailAt>,
    /// Total claimed per the 99 record, signed cents.
    pub total: i64,
}

/// A detail record with its 1-based line number and byte range in the input.
#[derive(Debug, Clone)]
pub struct DetailAt {
    pub line: usize,
    pub offset: usize,
    pub len: usize,
    pub detail: Detail,
}

/// How a line or record was processed, for HA305's CODE VERWERKING (our interpretation:
/// 001 granted in full, 002 granted in part, 003 rejected).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    Granted,
    Reduced,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Granted => "granted",
            Decision::Reduced => "reduced",
            Decision::Rejected => "rejected",
        }
    }
    pub(super) fn processing_code(self) -> u64 {
        match self {
            Decision::Granted => 1,
            Decision::Reduced => 2,
            Decision::Rejected => 3,
        }
    }
    pub(super) fn from_processing_code(c: u64) -> Option<Decision> {
        match c {
            1 => Some(Decision::Granted),
            2 => Some(Decision::Reduced),
            3 => Some(Decision::Rejected),
            _ => None,
        }
    }
}

/// A return code with the element it concerns (for HA305's FOUT RUBRIEKNUMMER).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReturnCode {
    pub code: u16,
    /// Element id as a number (e.g. 403 for 0403); 0 when not tied to a field.
    pub element: u16,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_read_in_dutch_with_line_field_and_return_code() {
        let f = LineFault {
            line: 5,
            element: "0403".into(),
            return_code: 435,
            message: "BSN voldoet niet aan de elfproef".into(),
        };
        assert_eq!(
            f.to_string(),
            "regel 5, veld 0403: BSN voldoet niet aan de elfproef (retourcode 0435)"
        );
        assert_eq!(
            file_err(7, "9907", "totaal").to_string(),
            "regel 7, veld 9907: totaal"
        );
        assert_eq!(file_err(3, "", "leeg").to_string(), "regel 3: leeg");
        // no line: no "regel 0"
        assert_eq!(
            file_err(0, "", "geen 99-sluitrecord").to_string(),
            "geen 99-sluitrecord"
        );
    }
}
