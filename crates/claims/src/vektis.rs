//! Reading and writing Vektis EI claim files (AW319, HA304) and their return messages (AW320,
//! HA305), byte by byte.
//!
//! Records are split on CR LF and read by the positions of [`crate::layout`]. Text fields are
//! kept as raw bytes (names may carry ISO 8859-1 letters) and echoed unchanged. A fault in the
//! header (01) or trailer (99) — or in the file's overall structure — makes [`parse_claim_file`]
//! return a [`FileError`] (the file is rejected with return code 0001); a fault in a detail
//! record becomes a [`LineFault`] on that record only.

use crate::ident::{
    Code, agb_valid, bsn_valid, parse_date, parse_u64, uzovi_valid, write_an, write_date, write_num,
};
use crate::layout::{self, Layout, Pos};
use chrono::NaiveDate;
use std::sync::OnceLock;

/// The two claim standards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standard {
    /// District nursing (wijkverpleging), answered with AW320.
    Aw319,
    /// GP care (huisartsenhulp), answered with HA305.
    Ha304,
}

impl Standard {
    pub fn claim_layout(self) -> &'static Layout {
        match self {
            Standard::Aw319 => layout::aw319(),
            Standard::Ha304 => layout::ha304(),
        }
    }
    pub fn return_layout(self) -> &'static Layout {
        match self {
            Standard::Aw319 => layout::aw320(),
            Standard::Ha304 => layout::ha305(),
        }
    }
    pub fn name(self) -> &'static str {
        self.claim_layout().name
    }
    pub fn return_name(self) -> &'static str {
        self.return_layout().name
    }
    /// The standard whose claim message code (COD002) is `code`.
    pub fn from_message_code(code: u64) -> Option<Standard> {
        match code {
            187 => Some(Standard::Aw319),
            112 => Some(Standard::Ha304),
            _ => None,
        }
    }
    /// Recognises a claim file from the first bytes of its 01 record.
    pub fn sniff(bytes: &[u8]) -> Option<Standard> {
        if bytes.len() < 5 || &bytes[..2] != b"01" {
            return None;
        }
        Standard::from_message_code(parse_u64(&bytes[2..5])?)
    }
    pub fn positions(self) -> &'static ClaimPositions {
        static AW: OnceLock<ClaimPositions> = OnceLock::new();
        static HA: OnceLock<ClaimPositions> = OnceLock::new();
        match self {
            Standard::Aw319 => AW.get_or_init(|| ClaimPositions::new(layout::aw319())),
            Standard::Ha304 => HA.get_or_init(|| ClaimPositions::new(layout::ha304())),
        }
    }
    pub fn return_positions(self) -> &'static ReturnPositions {
        static AW: OnceLock<ReturnPositions> = OnceLock::new();
        static HA: OnceLock<ReturnPositions> = OnceLock::new();
        match self {
            Standard::Aw319 => AW.get_or_init(|| ReturnPositions::new(Standard::Aw319)),
            Standard::Ha304 => HA.get_or_init(|| ReturnPositions::new(Standard::Ha304)),
        }
    }
}

/// Field positions of a claim standard, resolved once from the layout tables.
#[derive(Debug)]
pub struct ClaimPositions {
    pub record_len: usize,
    pub h_message: Pos,
    pub h_version: Pos,
    pub h_subversion: Pos,
    pub h_uzovi: Pos,
    pub h_provider: Pos,
    pub h_practice: Pos,
    pub h_institution: Pos,
    pub h_period_start: Pos,
    pub h_period_end: Pos,
    pub h_invoice: Pos,
    pub h_invoice_date: Pos,
    pub i_id: Pos,
    pub i_bsn: Pos,
    pub i_uzovi: Pos,
    pub i_insured_number: Pos,
    pub i_birth: Pos,
    pub i_gender: Pos,
    pub i_name: Pos,
    pub i_postcode: Pos,
    pub d_id: Pos,
    pub c_id: Pos,
    pub c_line: Pos,
    pub c_text: Pos,
    pub l_id: Pos,
    pub l_bsn: Pos,
    pub l_uzovi: Pos,
    pub l_insured_number: Pos,
    pub l_start: Pos,
    pub l_end: Pos,
    pub l_code_list: Pos,
    pub l_code: Pos,
    pub l_count: Pos,
    pub l_performer: Pos,
    pub l_tariff: Pos,
    pub l_calculated: Pos,
    pub l_dc1: Pos,
    pub l_vat: Pos,
    pub l_amount: Pos,
    pub l_dc2: Pos,
    pub l_reference: Pos,
    pub l_prev_reference: Pos,
    pub t_n02: Pos,
    pub t_n03: Pos,
    pub t_n04: Pos,
    pub t_n98: Pos,
    pub t_total_records: Pos,
    pub t_total: Pos,
    pub t_dc: Pos,
    /// Element ids for error reports: (position, element) of the line fields.
    pub layout: &'static Layout,
}

impl ClaimPositions {
    fn new(l: &'static Layout) -> ClaimPositions {
        ClaimPositions {
            record_len: l.record_len,
            h_message: l.pos("01", "COD002"),
            h_version: l.pos("01", "NUM001"),
            h_subversion: l.pos("01", "NUM309"),
            h_uzovi: l.pos("01", "COD061"),
            h_provider: l.pos("01", "COD009"),
            h_practice: l.pos("01", "COD181"),
            h_institution: l.pos("01", "COD031"),
            h_period_start: l.pos("01", "DAT043"),
            h_period_end: l.pos("01", "DAT044"),
            h_invoice: l.pos("01", "NUM029"),
            h_invoice_date: l.pos("01", "DAT031"),
            i_id: l.pos("02", "NUM040"),
            i_bsn: l.pos("02", "NUM313"),
            i_uzovi: l.pos("02", "COD061"),
            i_insured_number: l.pos("02", "NUM003"),
            i_birth: l.pos("02", "DAT006"),
            i_gender: l.pos("02", "COD134"),
            i_name: l.pos("02", "NAM193"),
            i_postcode: l.pos("02", "COD083"),
            d_id: l.pos("03", "NUM040"),
            c_id: l.pos("98", "NUM040"),
            c_line: l.pos("98", "NUM109"),
            c_text: l.pos("98", "OMS016"),
            l_id: l.pos("04", "NUM040"),
            l_bsn: l.pos("04", "NUM313"),
            l_uzovi: l.pos("04", "COD061"),
            l_insured_number: l.pos("04", "NUM003"),
            l_start: l.pos("04", "DAT001"),
            l_end: l.pos("04", "DAT003"),
            l_code_list: l.pos("04", "COD367"),
            l_code: l.pos("04", "COD388"),
            l_count: l.pos("04", "ANT054"),
            l_performer: l.pos("04", "COD089"),
            l_tariff: l.pos("04", "BED160"),
            l_calculated: l.pos("04", "BED153"),
            l_dc1: l.pos("04", "COD668"),
            l_vat: l.pos("04", "NUM352"),
            l_amount: l.pos("04", "BED161"),
            l_dc2: l.pos("04", "COD665"),
            l_reference: l.pos("04", "NUM362"),
            l_prev_reference: l.pos("04", "NUM363"),
            t_n02: l.pos("99", "ANT085"),
            t_n03: l.pos("99", "ANT086"),
            t_n04: l.pos("99", "ANT087"),
            t_n98: l.pos("99", "ANT089"),
            t_total_records: l.pos("99", "ANT265"),
            t_total: l.pos("99", "BED025"),
            t_dc: l.pos("99", "COD043"),
            layout: l,
        }
    }

    fn element(&self, record: &str, p: Pos) -> String {
        let r = record.as_bytes();
        self.layout
            .element_at([r[0], r[1]], p.start)
            .map(|f| f.element.clone())
            .unwrap_or_default()
    }
}

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
        write!(f, "line {}", self.line)?;
        if !self.element.is_empty() {
            write!(f, ", field {}", self.element)?;
        }
        write!(
            f,
            ": {} (return code {:04})",
            self.message, self.return_code
        )
    }
}

/// A fault that rejects the whole file (return code 0001).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", if field.is_empty() { String::new() } else { format!(", field {field}") })]
pub struct FileError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

fn file_err(line: usize, field: &str, message: impl Into<String>) -> FileError {
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

/// Splits `bytes` into records on CR LF. Each item: (1-based line, byte offset, record without
/// CR LF). Fails on a record that does not end with CR LF (a truncated file).
pub fn records(bytes: &[u8]) -> impl Iterator<Item = Result<(usize, usize, &[u8]), FileError>> {
    let mut pos = 0usize;
    let mut line = 0usize;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        line += 1;
        let rest = &bytes[pos..];
        match memchr::memchr(b'\n', rest) {
            Some(i) if i > 0 && rest[i - 1] == b'\r' => {
                let start = pos;
                pos += i + 1;
                Some(Ok((line, start, &rest[..i - 1])))
            }
            Some(_) => {
                pos = bytes.len();
                Some(Err(file_err(
                    line,
                    "",
                    "record does not end with CR LF (LF alone)",
                )))
            }
            None => {
                pos = bytes.len();
                Some(Err(file_err(
                    line,
                    "",
                    format!(
                        "truncated file: last record has {} bytes and no CR LF",
                        rest.len()
                    ),
                )))
            }
        }
    })
}

fn num(p: &ClaimPositions, rec: &[u8], pos: Pos) -> Option<u64> {
    let _ = p;
    parse_u64(pos.get(rec))
}

fn trim_end(b: &[u8]) -> Vec<u8> {
    let end = b.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
    b[..end].to_vec()
}

/// Parses and validates the 01 header record.
pub fn parse_header(rec: &[u8], line: usize) -> Result<Header, FileError> {
    let standard = Standard::sniff(rec).ok_or_else(|| {
        file_err(
            line,
            "0101/0102",
            "not an AW319 (187) or HA304 (112) header record",
        )
    })?;
    let p = standard.positions();
    if rec.len() != p.record_len {
        return Err(file_err(
            line,
            "",
            format!(
                "header record has {} bytes, expected {}",
                rec.len(),
                p.record_len
            ),
        ));
    }
    let uzovi = num(p, rec, p.h_uzovi)
        .map(|v| v as u16)
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| file_err(line, "0108", "UZOVI number invalid"))?;
    let provider = num(p, rec, p.h_provider)
        .map(|v| v as u32)
        .filter(|&a| agb_valid(a))
        .ok_or_else(|| {
            file_err(
                line,
                "0110",
                "provider AGB code (zorgverlenerscode) invalid",
            )
        })?;
    let practice = num(p, rec, p.h_practice)
        .ok_or_else(|| file_err(line, "0111", "practice code not numeric"))?
        as u32;
    let institution = num(p, rec, p.h_institution)
        .ok_or_else(|| file_err(line, "0112", "institution code not numeric"))?
        as u32;
    let period_start = parse_date(p.h_period_start.get(rec))
        .ok_or_else(|| file_err(line, "0114", "claim period start is not a date"))?;
    let period_end = parse_date(p.h_period_end.get(rec))
        .ok_or_else(|| file_err(line, "0115", "claim period end is not a date"))?;
    if period_end < period_start {
        return Err(file_err(line, "0115", "claim period ends before it starts"));
    }
    let invoice_date = parse_date(p.h_invoice_date.get(rec))
        .ok_or_else(|| file_err(line, "0117", "invoice date is not a date"))?;
    Ok(Header {
        standard,
        uzovi,
        provider,
        practice,
        institution,
        period_start,
        period_end,
        invoice_number: trim_end(p.h_invoice.get(rec)),
        invoice_date,
    })
}

fn fault(p: &ClaimPositions, rec: &str, line: usize, pos: Pos, code: u16, msg: &str) -> LineFault {
    LineFault {
        line,
        element: p.element(rec, pos),
        return_code: code,
        message: msg.to_string(),
    }
}

/// Parses a 02 insured record (already known to have the right length).
pub fn parse_insured(p: &ClaimPositions, rec: &[u8], line: usize) -> Result<Insured, LineFault> {
    let id = num(p, rec, p.i_id)
        .ok_or_else(|| fault(p, "02", line, p.i_id, 801, "record id not numeric"))?;
    let bsn = num(p, rec, p.i_bsn)
        .map(|v| v as u32)
        .filter(|&b| bsn_valid(b))
        .ok_or_else(|| fault(p, "02", line, p.i_bsn, 435, "BSN fails the 11-check"))?;
    let uzovi = num(p, rec, p.i_uzovi)
        .map(|v| v as u16)
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| fault(p, "02", line, p.i_uzovi, 18, "UZOVI number invalid"))?;
    let birth_date = parse_date(p.i_birth.get(rec))
        .ok_or_else(|| fault(p, "02", line, p.i_birth, 801, "birth date is not a date"))?;
    let gender = num(p, rec, p.i_gender).unwrap_or(0) as u8;
    Ok(Insured {
        id,
        bsn,
        uzovi,
        insured_number: trim_end(p.i_insured_number.get(rec)),
        birth_date,
        gender,
        name: trim_end(p.i_name.get(rec)),
        postcode: trim_end(p.i_postcode.get(rec)),
    })
}

fn dc_sign(b: u8) -> Option<i64> {
    match b {
        b'D' => Some(1),
        b'C' => Some(-1),
        _ => None,
    }
}

/// Parses a 04 prestatie record (already known to have the right length).
pub fn parse_line(
    p: &ClaimPositions,
    rec: &[u8],
    line: usize,
    header: &Header,
) -> Result<Line, LineFault> {
    let f = |pos: Pos, code: u16, msg: &str| fault(p, "04", line, pos, code, msg);
    let id = num(p, rec, p.l_id).ok_or_else(|| f(p.l_id, 801, "record id not numeric"))?;
    let bsn = num(p, rec, p.l_bsn)
        .map(|v| v as u32)
        .filter(|&b| bsn_valid(b))
        .ok_or_else(|| f(p.l_bsn, 435, "BSN fails the 11-check"))?;
    let uzovi = num(p, rec, p.l_uzovi)
        .map(|v| v as u16)
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| f(p.l_uzovi, 18, "UZOVI number invalid"))?;
    let start = parse_date(p.l_start.get(rec))
        .ok_or_else(|| f(p.l_start, 20, "start date is not a date"))?;
    if start < header.period_start || start > header.period_end {
        return Err(f(
            p.l_start,
            20,
            "start date outside the claim period of the header",
        ));
    }
    let end = parse_date(p.l_end.get(rec))
        .filter(|&e| e >= start)
        .ok_or_else(|| f(p.l_end, 21, "end date invalid or before the start date"))?;
    let code_list = num(p, rec, p.l_code_list)
        .ok_or_else(|| f(p.l_code_list, 581, "prestatie code list not numeric"))?
        as u16;
    let code_bytes = p.l_code.get(rec);
    let code = Code::from_field(code_bytes)
        .filter(|_| p.l_code.ty == crate::layout::FieldType::An || parse_u64(code_bytes).is_some())
        .ok_or_else(|| f(p.l_code, 582, "prestatie code invalid"))?;
    let count = num(p, rec, p.l_count)
        .ok_or_else(|| f(p.l_count, 611, "number of prestaties not numeric"))?
        as u16;
    let performer = num(p, rec, p.l_performer)
        .ok_or_else(|| f(p.l_performer, 14, "performer AGB code not numeric"))?
        as u32;
    let tariff =
        num(p, rec, p.l_tariff).ok_or_else(|| f(p.l_tariff, 611, "tariff not numeric"))? as i64;
    num(p, rec, p.l_calculated)
        .ok_or_else(|| f(p.l_calculated, 611, "calculated amount not numeric"))?;
    dc_sign(p.l_dc1.get(rec)[0])
        .ok_or_else(|| f(p.l_dc1, 631, "debit/credit indicator not D or C"))?;
    let amount = num(p, rec, p.l_amount)
        .ok_or_else(|| f(p.l_amount, 611, "claimed amount not numeric"))? as i64;
    let sign = dc_sign(p.l_dc2.get(rec)[0])
        .ok_or_else(|| f(p.l_dc2, 631, "debit/credit indicator not D or C"))?;
    Ok(Line {
        id,
        bsn,
        uzovi,
        insured_number: trim_end(p.l_insured_number.get(rec)),
        start,
        end,
        code_list,
        code,
        count,
        performer,
        tariff,
        amount: sign * amount,
        reference: trim_end(p.l_reference.get(rec)),
        previous_reference: trim_end(p.l_prev_reference.get(rec)),
    })
}

/// Reads the claimed amount of a 04 record for the trailer total, without validating the rest.
fn raw_amount(p: &ClaimPositions, rec: &[u8]) -> Option<i64> {
    if rec.len() != p.record_len {
        return None;
    }
    let a = parse_u64(p.l_amount.get(rec))? as i64;
    Some(a * dc_sign(p.l_dc2.get(rec)[0])?)
}

/// Parses and validates a whole claim file. Header and trailer faults, a truncated file, records
/// out of order and wrong counts or totals in the 99 record are a [`FileError`]; faults in
/// detail records are returned per record.
pub fn parse_claim_file(bytes: &[u8]) -> Result<ClaimFile, FileError> {
    let mut it = records(bytes);
    let (line1, _, first) = it.next().ok_or_else(|| file_err(1, "", "empty file"))??;
    let header = parse_header(first, line1)?;
    let p = header.standard.positions();
    let mut details = Vec::new();
    let mut counts = [0u64; 4]; // 02, 03, 04, 98
    let mut sum: i64 = 0;
    let mut trailer: Option<(usize, &[u8])> = None;
    let mut current_insured: Option<Result<(), LineFault>> = None;
    for r in it {
        let (line, offset, rec) = r?;
        if let Some((tl, _)) = trailer {
            return Err(file_err(
                line,
                "",
                format!("record after the 99 trailer record (line {tl})"),
            ));
        }
        let kind: &[u8] = rec.get(..2).unwrap_or(rec);
        if kind == b"99" {
            trailer = Some((line, rec));
            continue;
        }
        if kind == b"01" {
            return Err(file_err(line, "", "second 01 header record"));
        }
        let len_fault = (rec.len() != p.record_len).then(|| LineFault {
            line,
            element: String::new(),
            return_code: 804,
            message: format!(
                "record length {} bytes, expected {}",
                rec.len(),
                p.record_len
            ),
        });
        let detail = match kind {
            b"02" => {
                counts[0] += 1;
                let r = match len_fault {
                    Some(f) => Err(f),
                    None => parse_insured(p, rec, line),
                };
                current_insured = Some(r.as_ref().map(|_| ()).map_err(|e| e.clone()));
                Detail::Insured(r)
            }
            b"03" => {
                counts[1] += 1;
                Detail::Debtor { line }
            }
            b"98" => {
                counts[3] += 1;
                Detail::Comment { line }
            }
            b"04" => {
                counts[2] += 1;
                sum += raw_amount(p, rec).unwrap_or(0);
                let r = if let Some(f) = len_fault {
                    Err(f)
                } else {
                    match &current_insured {
                        None => Err(LineFault {
                            line,
                            element: "0401".into(),
                            return_code: 801,
                            message: "prestatie record before any 02 insured record".into(),
                        }),
                        Some(Err(e)) => Err(LineFault {
                            line,
                            element: e.element.clone(),
                            return_code: e.return_code,
                            message: format!("its insured record (line {}) is invalid", e.line),
                        }),
                        Some(Ok(())) => parse_line(p, rec, line, &header),
                    }
                };
                Detail::Line(Box::new(r))
            }
            _ => {
                return Err(file_err(
                    line,
                    "",
                    format!(
                        "unknown record type {:?}",
                        String::from_utf8_lossy(kind).into_owned()
                    ),
                ));
            }
        };
        details.push(DetailAt {
            line,
            offset,
            len: rec.len(),
            detail,
        });
    }
    let (tline, trec) = trailer.ok_or_else(|| {
        file_err(
            details.last().map_or(1, |d| d.line) + 1,
            "",
            "no 99 trailer record (truncated file?)",
        )
    })?;
    if trec.len() != p.record_len {
        return Err(file_err(
            tline,
            "",
            format!(
                "trailer record has {} bytes, expected {}",
                trec.len(),
                p.record_len
            ),
        ));
    }
    let checks = [
        (p.t_n02, counts[0], "9902", "number of 02 insured records"),
        (p.t_n03, counts[1], "9903", "number of 03 debtor records"),
        (p.t_n04, counts[2], "9904", "number of 04 prestatie records"),
        (p.t_n98, counts[3], "9905", "number of 98 comment records"),
        (
            p.t_total_records,
            counts.iter().sum(),
            "9906",
            "total number of detail records",
        ),
    ];
    for (pos, actual, el, what) in checks {
        let stated = parse_u64(pos.get(trec))
            .ok_or_else(|| file_err(tline, el, format!("{what} not numeric")))?;
        if stated != actual {
            return Err(file_err(
                tline,
                el,
                format!("{what}: trailer says {stated}, file has {actual}"),
            ));
        }
    }
    let total = parse_u64(p.t_total.get(trec))
        .ok_or_else(|| file_err(tline, "9907", "total amount not numeric"))? as i64;
    let sign = dc_sign(p.t_dc.get(trec)[0])
        .ok_or_else(|| file_err(tline, "9908", "debit/credit indicator not D or C"))?;
    let total = sign * total;
    if total != sum {
        return Err(file_err(
            tline,
            "9907",
            format!(
                "total claimed: trailer says {} cents, the prestatie records add up to {sum}",
                total
            ),
        ));
    }
    Ok(ClaimFile {
        header,
        details,
        total,
    })
}

// ---------------------------------------------------------------------------------------------
// Writing claim files
// ---------------------------------------------------------------------------------------------

/// Streams a claim file: header, then insured records and their lines, then [`finish`] writes
/// the 99 trailer with counts and total.
///
/// [`finish`]: ClaimWriter::finish
pub struct ClaimWriter<W: std::io::Write> {
    out: W,
    p: &'static ClaimPositions,
    buf: Vec<u8>,
    counts: [u64; 4],
    total: i64,
}

impl<W: std::io::Write> ClaimWriter<W> {
    pub fn new(mut out: W, h: &Header) -> std::io::Result<Self> {
        let p = h.standard.positions();
        let mut buf = vec![b' '; p.record_len + 2];
        buf[..2].copy_from_slice(b"01");
        zero_numeric(&mut buf, p.layout, "01");
        write_num(
            &mut buf[p.h_message.start..][..p.h_message.len],
            h.standard.claim_layout().message_code as u64,
        );
        let (v, s) = match h.standard {
            Standard::Aw319 => (1, 3),
            Standard::Ha304 => (4, 2),
        };
        put_num(&mut buf, p.h_version, v);
        put_num(&mut buf, p.h_subversion, s);
        put_num(&mut buf, p.h_uzovi, h.uzovi as u64);
        put_num(&mut buf, p.h_provider, h.provider as u64);
        put_num(&mut buf, p.h_practice, h.practice as u64);
        put_num(&mut buf, p.h_institution, h.institution as u64);
        put_date(&mut buf, p.h_period_start, h.period_start);
        put_date(&mut buf, p.h_period_end, h.period_end);
        put_an(&mut buf, p.h_invoice, &h.invoice_number);
        put_date(&mut buf, p.h_invoice_date, h.invoice_date);
        buf[p.record_len..].copy_from_slice(b"\r\n");
        out.write_all(&buf)?;
        Ok(ClaimWriter {
            out,
            p,
            buf,
            counts: [0; 4],
            total: 0,
        })
    }

    fn blank(&mut self, kind: &str) {
        self.buf[..self.p.record_len].fill(b' ');
        self.buf[..2].copy_from_slice(kind.as_bytes());
        zero_numeric(&mut self.buf, self.p.layout, kind);
    }

    pub fn insured(&mut self, i: &Insured) -> std::io::Result<()> {
        let p = self.p;
        self.blank("02");
        let b = &mut self.buf;
        put_num(b, p.i_id, i.id);
        put_num(b, p.i_bsn, i.bsn as u64);
        put_num(b, p.i_uzovi, i.uzovi as u64);
        put_an(b, p.i_insured_number, &i.insured_number);
        put_date(b, p.i_birth, i.birth_date);
        put_num(b, p.i_gender, i.gender as u64);
        put_an(b, p.i_name, &i.name);
        put_an(b, p.i_postcode, &i.postcode);
        self.counts[0] += 1;
        self.out.write_all(&self.buf)
    }

    pub fn line(&mut self, l: &Line) -> std::io::Result<()> {
        let p = self.p;
        self.blank("04");
        let b = &mut self.buf;
        put_num(b, p.l_id, l.id);
        put_num(b, p.l_bsn, l.bsn as u64);
        put_num(b, p.l_uzovi, l.uzovi as u64);
        put_an(b, p.l_insured_number, &l.insured_number);
        put_date(b, p.l_start, l.start);
        put_date(b, p.l_end, l.end);
        put_num(b, p.l_code_list, l.code_list as u64);
        match p.l_code.ty {
            crate::layout::FieldType::An => put_an(b, p.l_code, l.code.as_bytes()),
            crate::layout::FieldType::N => {
                put_num(b, p.l_code, parse_u64(l.code.as_bytes()).unwrap_or(0))
            }
        }
        put_num(b, p.l_count, l.count as u64);
        put_num(b, p.l_performer, l.performer as u64);
        put_num(b, p.l_tariff, l.tariff as u64);
        put_num(b, p.l_calculated, l.amount.unsigned_abs());
        let dc = if l.amount < 0 { b"C" } else { b"D" };
        put_an(b, p.l_dc1, dc);
        put_num(b, p.l_amount, l.amount.unsigned_abs());
        put_an(b, p.l_dc2, dc);
        put_an(b, p.l_reference, &l.reference);
        put_an(b, p.l_prev_reference, &l.previous_reference);
        self.counts[2] += 1;
        self.total += l.amount;
        self.out.write_all(&self.buf)
    }

    /// Writes a 98 comment record.
    pub fn comment(&mut self, id: u64, line_no: u64, text: &[u8]) -> std::io::Result<()> {
        let p = self.p;
        self.blank("98");
        put_num(&mut self.buf, p.c_id, id);
        put_num(&mut self.buf, p.c_line, line_no);
        put_an(&mut self.buf, p.c_text, text);
        self.counts[3] += 1;
        self.out.write_all(&self.buf)
    }

    /// Writes the 99 trailer and returns the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let p = self.p;
        self.blank("99");
        let b = &mut self.buf;
        put_num(b, p.t_n02, self.counts[0]);
        put_num(b, p.t_n03, self.counts[1]);
        put_num(b, p.t_n04, self.counts[2]);
        put_num(b, p.t_n98, self.counts[3]);
        put_num(b, p.t_total_records, self.counts.iter().sum());
        put_num(b, p.t_total, self.total.unsigned_abs());
        put_an(b, p.t_dc, if self.total < 0 { b"C" } else { b"D" });
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn put_num(buf: &mut [u8], p: Pos, v: u64) {
    write_num(&mut buf[p.start..p.start + p.len], v);
}
fn put_an(buf: &mut [u8], p: Pos, v: &[u8]) {
    write_an(&mut buf[p.start..p.start + p.len], v);
}
fn put_date(buf: &mut [u8], p: Pos, d: NaiveDate) {
    write_date(&mut buf[p.start..p.start + p.len], d);
}
/// Fills every N field of a record with zeros (the rest stays spaces).
fn zero_numeric(buf: &mut [u8], l: &Layout, record: &str) {
    for f in l.record_fields(record).skip(1) {
        if f.ty == crate::layout::FieldType::N {
            buf[f.start..f.start + f.len].fill(b'0');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Return messages (AW320, HA305)
// ---------------------------------------------------------------------------------------------

/// Positions of the fields a return message adds to the echoed claim records.
#[derive(Debug)]
pub struct ReturnPositions {
    pub standard: Standard,
    pub record_len: usize,
    pub claim_len: usize,
    pub h_reference: Pos,
    pub h_date: Pos,
    /// Per record type 01, 02, 03, 04, 98: where the (up to three) codes go.
    pub codes: [CodeSlots; 5],
    pub l_calculated_insurer: Option<(Pos, Pos)>,
    pub l_granted: Pos,
    pub l_granted_dc: Pos,
    pub t_claimed: Pos,
    pub t_claimed_dc: Pos,
    pub t_granted: Pos,
    pub t_granted_dc: Pos,
}

/// Where a record's return codes go: AW320 has three RETOURCODE fields; HA305 has a CODE
/// VERWERKING and three (FOUT RUBRIEKNUMMER, FOUTCODE, INDICATIE RUBRIEK GEWIJZIGD) triplets.
#[derive(Debug, Clone)]
pub enum CodeSlots {
    Aw([Pos; 3]),
    Ha {
        processing: Pos,
        slots: [(Pos, Pos, Pos); 3],
    },
}

impl ReturnPositions {
    fn new(standard: Standard) -> ReturnPositions {
        let l = standard.return_layout();
        let slots = |rec: &str| match standard {
            Standard::Aw319 => CodeSlots::Aw([
                l.pos(rec, "COD954"),
                l.pos(rec, "COD955"),
                l.pos(rec, "COD956"),
            ]),
            Standard::Ha304 => CodeSlots::Ha {
                processing: l.pos(rec, "COD027"),
                slots: [
                    (
                        l.pos(rec, "NUM240"),
                        l.pos(rec, "COD957"),
                        l.pos(rec, "COD133"),
                    ),
                    (
                        l.pos(rec, "NUM238"),
                        l.pos(rec, "COD958"),
                        l.pos(rec, "COD685"),
                    ),
                    (
                        l.pos(rec, "NUM239"),
                        l.pos(rec, "COD959"),
                        l.pos(rec, "COD686"),
                    ),
                ],
            },
        };
        ReturnPositions {
            standard,
            record_len: l.record_len,
            claim_len: standard.claim_layout().record_len,
            h_reference: l.pos("01", "NUM370"),
            h_date: l.pos("01", "DAT277"),
            codes: [
                slots("01"),
                slots("02"),
                slots("03"),
                slots("04"),
                slots("98"),
            ],
            l_calculated_insurer: match standard {
                Standard::Aw319 => Some((l.pos("04", "BED165"), l.pos("04", "COD672"))),
                Standard::Ha304 => None,
            },
            l_granted: l.pos("04", "BED166"),
            l_granted_dc: match standard {
                Standard::Aw319 => l.pos("04", "COD673"),
                Standard::Ha304 => l.pos("04", "COD672"),
            },
            t_claimed: l.pos("99", "BED168"),
            t_claimed_dc: l.pos("99", "COD668"),
            t_granted: l.pos("99", "BED167"),
            t_granted_dc: l.pos("99", "COD665"),
        }
    }
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
    fn processing_code(self) -> u64 {
        match self {
            Decision::Granted => 1,
            Decision::Reduced => 2,
            Decision::Rejected => 3,
        }
    }
    fn from_processing_code(c: u64) -> Option<Decision> {
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

/// Builds return message records by echoing claim records and filling in the return fields.
pub struct ReturnBuilder {
    pub p: &'static ReturnPositions,
    buf: Vec<u8>,
    /// Per record kind (01, 02, 03, 04, 98, 99, other): the blank return part, numeric fields
    /// as zeros, spaces elsewhere.
    tails: [Vec<u8>; 7],
}

const KINDS: [&[u8; 2]; 6] = [b"01", b"02", b"03", b"04", b"98", b"99"];

impl ReturnBuilder {
    pub fn new(standard: Standard) -> ReturnBuilder {
        let p = standard.return_positions();
        let l = standard.return_layout();
        let tails = std::array::from_fn(|k| {
            let mut t = vec![b' '; p.record_len - p.claim_len];
            if let Some(kind) = KINDS.get(k) {
                for f in &l.fields {
                    if &f.record == *kind
                        && f.start >= p.claim_len
                        && f.ty == crate::layout::FieldType::N
                    {
                        t[f.start - p.claim_len..f.start - p.claim_len + f.len].fill(b'0');
                    }
                }
            }
            t
        });
        ReturnBuilder {
            p,
            buf: vec![b' '; p.record_len + 2],
            tails,
        }
    }

    fn echo(&mut self, rec: &[u8]) {
        let p = self.p;
        let n = rec.len().min(p.claim_len);
        self.buf[..n].copy_from_slice(&rec[..n]);
        self.buf[n..p.claim_len].fill(b' ');
        // numeric fields of the return part start as zeros
        let kind = [self.buf[0], self.buf[1]];
        let k = KINDS.iter().position(|k| **k == kind).unwrap_or(6);
        self.buf[p.claim_len..p.record_len].copy_from_slice(&self.tails[k]);
        let len = p.record_len;
        self.buf[len..len + 2].copy_from_slice(b"\r\n");
    }

    fn set_codes(&mut self, slot: usize, decision: Decision, codes: &[ReturnCode]) {
        match &self.p.codes[slot] {
            CodeSlots::Aw(pos) => {
                for (i, p) in pos.iter().enumerate() {
                    match codes.get(i) {
                        Some(c) => put_num(&mut self.buf, *p, c.code as u64),
                        None => put_an(&mut self.buf, *p, b""),
                    }
                }
            }
            CodeSlots::Ha { processing, slots } => {
                put_num(&mut self.buf, *processing, decision.processing_code());
                for (i, (el, code, changed)) in slots.iter().enumerate() {
                    if let Some(c) = codes.get(i) {
                        put_num(&mut self.buf, *el, c.element as u64);
                        put_num(&mut self.buf, *code, (c.code % 1000) as u64);
                        put_an(&mut self.buf, *changed, b"N");
                    }
                }
            }
        }
    }

    /// The 01 record: echo of the claim header plus our reference, date and codes.
    pub fn header(
        &mut self,
        rec: &[u8],
        reference: &[u8],
        date: NaiveDate,
        codes: &[ReturnCode],
    ) -> &[u8] {
        self.echo(rec);
        self.buf[..2].copy_from_slice(b"01");
        let code = self.p.standard.return_layout().message_code as u64;
        let l = self.p.standard.claim_layout();
        let mpos = l.pos("01", "COD002");
        put_num(&mut self.buf, mpos, code);
        put_an(&mut self.buf, self.p.h_reference, reference);
        put_date(&mut self.buf, self.p.h_date, date);
        let decision = if codes.is_empty() {
            Decision::Granted
        } else {
            Decision::Rejected
        };
        self.set_codes(0, decision, codes);
        &self.buf
    }

    /// A 02, 03 or 98 record.
    pub fn other(&mut self, rec: &[u8], codes: &[ReturnCode]) -> &[u8] {
        self.echo(rec);
        let slot = match &rec[..2.min(rec.len())] {
            b"02" => 1,
            b"03" => 2,
            _ => 4,
        };
        let decision = if codes.is_empty() {
            Decision::Granted
        } else {
            Decision::Rejected
        };
        self.set_codes(slot, decision, codes);
        &self.buf
    }

    /// A 04 record with the granted amount (signed cents) and codes.
    pub fn line(
        &mut self,
        rec: &[u8],
        granted: i64,
        decision: Decision,
        codes: &[ReturnCode],
    ) -> &[u8] {
        self.echo(rec);
        self.buf[..2].copy_from_slice(b"04");
        let dc: &[u8] = if granted < 0 { b"C" } else { b"D" };
        if let Some((amt, dcp)) = self.p.l_calculated_insurer {
            put_num(&mut self.buf, amt, granted.unsigned_abs());
            put_an(&mut self.buf, dcp, dc);
        }
        put_num(&mut self.buf, self.p.l_granted, granted.unsigned_abs());
        put_an(&mut self.buf, self.p.l_granted_dc, dc);
        self.set_codes(3, decision, codes);
        &self.buf
    }

    /// The 99 record: echo of the counts plus total claimed and total granted.
    pub fn trailer(&mut self, rec: &[u8], claimed: i64, granted: i64) -> &[u8] {
        self.echo(rec);
        self.buf[..2].copy_from_slice(b"99");
        let p = self.p;
        put_num(&mut self.buf, p.t_claimed, claimed.unsigned_abs());
        put_an(
            &mut self.buf,
            p.t_claimed_dc,
            if claimed < 0 { b"C" } else { b"D" },
        );
        put_num(&mut self.buf, p.t_granted, granted.unsigned_abs());
        put_an(
            &mut self.buf,
            p.t_granted_dc,
            if granted < 0 { b"C" } else { b"D" },
        );
        &self.buf
    }
}

/// One 04 line of a parsed return message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnLine {
    pub line: usize,
    pub id: u64,
    pub granted: i64,
    /// Return codes (4 digits; for HA305 the 3-digit FOUTCODE as a number).
    pub codes: Vec<u16>,
    /// HA305 only: the CODE VERWERKING.
    pub decision: Option<Decision>,
}

/// A parsed return message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnFile {
    pub standard: Standard,
    pub header_codes: Vec<u16>,
    pub lines: Vec<ReturnLine>,
    pub total_claimed: i64,
    pub total_granted: i64,
}

fn read_codes(slots: &CodeSlots, rec: &[u8]) -> (Vec<u16>, Option<Decision>) {
    match slots {
        CodeSlots::Aw(pos) => (
            pos.iter()
                .filter_map(|p| parse_u64(p.get(rec)).map(|v| v as u16))
                .collect(),
            None,
        ),
        CodeSlots::Ha { processing, slots } => (
            slots
                .iter()
                .filter_map(|(el, c, _)| {
                    let e = parse_u64(el.get(rec))?;
                    let c = parse_u64(c.get(rec))?;
                    (e != 0 || c != 0).then_some(c as u16)
                })
                .collect(),
            parse_u64(processing.get(rec)).and_then(Decision::from_processing_code),
        ),
    }
}

/// Parses and checks a return message (AW320 or HA305): record lengths, order, the counts and
/// the totals of the 99 record.
pub fn parse_return_file(bytes: &[u8]) -> Result<ReturnFile, FileError> {
    let mut it = records(bytes);
    let (l1, _, first) = it.next().ok_or_else(|| file_err(1, "", "empty file"))??;
    let standard = match (first.get(..2), first.get(2..5).and_then(parse_u64)) {
        (Some(b"01"), Some(188)) => Standard::Aw319,
        (Some(b"01"), Some(113)) => Standard::Ha304,
        _ => {
            return Err(file_err(
                l1,
                "0101/0102",
                "not an AW320 (188) or HA305 (113) header",
            ));
        }
    };
    let p = standard.return_positions();
    let check_len = |line: usize, rec: &[u8]| {
        if rec.len() != p.record_len {
            Err(file_err(
                line,
                "",
                format!(
                    "record length {} bytes, expected {}",
                    rec.len(),
                    p.record_len
                ),
            ))
        } else {
            Ok(())
        }
    };
    check_len(l1, first)?;
    let (header_codes, _) = read_codes(&p.codes[0], first);
    let cp = standard.positions();
    let mut lines = Vec::new();
    let mut counts = [0u64; 4];
    let mut sum_claimed = 0i64;
    let mut sum_granted = 0i64;
    let mut done = None;
    for r in it {
        let (line, _, rec) = r?;
        if done.is_some() {
            return Err(file_err(line, "", "record after the 99 trailer record"));
        }
        check_len(line, rec)?;
        let amount = |pos: Pos, dc: Pos, what: &str| -> Result<i64, FileError> {
            let v = parse_u64(pos.get(rec))
                .ok_or_else(|| file_err(line, "", format!("{what} not numeric")))?
                as i64;
            let s = dc_sign(dc.get(rec)[0]).ok_or_else(|| {
                file_err(
                    line,
                    "",
                    format!("{what}: debit/credit indicator not D or C"),
                )
            })?;
            Ok(v * s)
        };
        match &rec[..2] {
            b"02" => counts[0] += 1,
            b"03" => counts[1] += 1,
            b"98" => counts[3] += 1,
            b"04" => {
                counts[2] += 1;
                let granted = amount(p.l_granted, p.l_granted_dc, "granted amount")?;
                sum_claimed += amount(cp.l_amount, cp.l_dc2, "claimed amount")?;
                sum_granted += granted;
                let (codes, decision) = read_codes(&p.codes[3], rec);
                lines.push(ReturnLine {
                    line,
                    id: parse_u64(cp.l_id.get(rec))
                        .ok_or_else(|| file_err(line, "0402", "record id not numeric"))?,
                    granted,
                    codes,
                    decision,
                });
            }
            b"99" => {
                let claimed = amount(p.t_claimed, p.t_claimed_dc, "total claimed")?;
                let granted = amount(p.t_granted, p.t_granted_dc, "total granted")?;
                let n04 = parse_u64(cp.t_n04.get(rec));
                if n04 != Some(counts[2]) {
                    return Err(file_err(
                        line,
                        "9904",
                        format!(
                            "number of 04 records: trailer says {n04:?}, file has {}",
                            counts[2]
                        ),
                    ));
                }
                if granted != sum_granted || claimed != sum_claimed {
                    return Err(file_err(
                        line,
                        "9909",
                        format!(
                            "totals: trailer says claimed {claimed} granted {granted}, lines add up to {sum_claimed} and {sum_granted}"
                        ),
                    ));
                }
                done = Some((claimed, granted));
            }
            other => {
                return Err(file_err(
                    line,
                    "",
                    format!("unknown record type {:?}", String::from_utf8_lossy(other)),
                ));
            }
        }
    }
    let (total_claimed, total_granted) =
        done.ok_or_else(|| file_err(0, "", "no 99 trailer record (truncated file?)"))?;
    Ok(ReturnFile {
        standard,
        header_codes,
        lines,
        total_claimed,
        total_granted,
    })
}
