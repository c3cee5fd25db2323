//! Return messages (AW320, HA305): built by echoing the claim records with the return fields
//! filled in (decision, granted amount, return codes), and read back with their counts and totals
//! checked.

use super::read::{dc_sign, records};
use super::record::{Decision, FileError, ReturnCode, file_err};
use super::standard::Standard;
use super::write::{put_an, put_date, put_num};
use crate::ident::parse_u64;
use crate::layout::Pos;
use chrono::NaiveDate;

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
    pub(super) fn new(standard: Standard) -> ReturnPositions {
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
    let (l1, _, first) = it.next().ok_or_else(|| file_err(1, "", "leeg bestand"))??;
    let standard = match (first.get(..2), first.get(2..5).and_then(parse_u64)) {
        (Some(b"01"), Some(188)) => Standard::Aw319,
        (Some(b"01"), Some(113)) => Standard::Ha304,
        _ => {
            return Err(file_err(
                l1,
                "0101/0102",
                "geen voorlooprecord van AW320 (188) of HA305 (113)",
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
                    "recordlengte {} bytes, verwacht {}",
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
            return Err(file_err(line, "", "record na het 99-sluitrecord"));
        }
        check_len(line, rec)?;
        let amount = |pos: Pos, dc: Pos, what: &str| -> Result<i64, FileError> {
            let v = parse_u64(pos.get(rec))
                .ok_or_else(|| file_err(line, "", format!("{what} niet numeriek")))?
                as i64;
            let s = dc_sign(dc.get(rec)[0]).ok_or_else(|| {
                file_err(
                    line,
                    "",
                    format!("{what}: indicatie debet/credit is niet D of C"),
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
                let granted = amount(p.l_granted, p.l_granted_dc, "toegekend bedrag")?;
                sum_claimed += amount(cp.l_amount, cp.l_dc2, "declaratiebedrag")?;
                sum_granted += granted;
                let (codes, decision) = read_codes(&p.codes[3], rec);
                lines.push(ReturnLine {
                    line,
                    id: parse_u64(cp.l_id.get(rec)).ok_or_else(|| {
                        file_err(line, "0402", "identificatie detailrecord niet numeriek")
                    })?,
                    granted,
                    codes,
                    decision,
                });
            }
            b"99" => {
                let claimed = amount(p.t_claimed, p.t_claimed_dc, "totaal gedeclareerd")?;
                let granted = amount(p.t_granted, p.t_granted_dc, "totaal toegekend")?;
                let n04 = parse_u64(cp.t_n04.get(rec));
                if n04 != Some(counts[2]) {
                    return Err(file_err(
                        line,
                        "9904",
                        format!(
                            "aantal 04-records: sluitrecord meldt {n04:?}, bestand bevat {}",
                            counts[2]
                        ),
                    ));
                }
                if granted != sum_granted || claimed != sum_claimed {
                    return Err(file_err(
                        line,
                        "9909",
                        format!(
                            "totalen: sluitrecord meldt gedeclareerd {claimed} toegekend {granted}, de regels tellen op tot {sum_claimed} en {sum_granted}"
                        ),
                    ));
                }
                done = Some((claimed, granted));
            }
            other => {
                return Err(file_err(
                    line,
                    "",
                    format!("onbekende recordsoort {:?}", String::from_utf8_lossy(other)),
                ));
            }
        }
    }
    let (total_claimed, total_granted) =
        done.ok_or_else(|| file_err(0, "", "geen 99-sluitrecord (afgebroken bestand?)"))?;
    Ok(ReturnFile {
        standard,
        header_codes,
        lines,
        total_claimed,
        total_granted,
    })
}
