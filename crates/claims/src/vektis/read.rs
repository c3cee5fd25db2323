//! Reading claim files: records split on CR LF, each read by its positions and validated. A
//! fault in the header, the trailer or the file's structure rejects the file ([`FileError`]); a
//! fault in a detail record rejects that record ([`LineFault`]).

use super::record::{
    ClaimFile, Detail, DetailAt, FileError, Header, Insured, Line, LineFault, file_err,
};
use super::standard::{ClaimPositions, Standard};
use crate::ident::{Code, agb_valid, bsn_valid, parse_date, parse_u64, uzovi_valid};
use crate::layout::Pos;

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
                    "record eindigt niet op CR LF (alleen LF)",
                )))
            }
            None => {
                pos = bytes.len();
                Some(Err(file_err(
                    line,
                    "",
                    format!(
                        "afgebroken bestand: laatste record heeft {} bytes en geen CR LF",
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
            "geen voorlooprecord van AW319 (187) of HA304 (112)",
        )
    })?;
    let p = standard.positions();
    if rec.len() != p.record_len {
        return Err(file_err(
            line,
            "",
            format!(
                "voorlooprecord heeft {} bytes, verwacht {}",
                rec.len(),
                p.record_len
            ),
        ));
    }
    let uzovi = num(p, rec, p.h_uzovi)
        .map(|v| v as u16)
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| file_err(line, "0108", "UZOVI-nummer ongeldig"))?;
    let provider = num(p, rec, p.h_provider)
        .map(|v| v as u32)
        .filter(|&a| agb_valid(a))
        .ok_or_else(|| {
            file_err(
                line,
                "0110",
                "AGB-code van de zorgverlener (zorgverlenerscode) ongeldig",
            )
        })?;
    let practice = num(p, rec, p.h_practice)
        .ok_or_else(|| file_err(line, "0111", "praktijkcode niet numeriek"))?
        as u32;
    let institution = num(p, rec, p.h_institution)
        .ok_or_else(|| file_err(line, "0112", "instellingscode niet numeriek"))?
        as u32;
    let period_start = parse_date(p.h_period_start.get(rec))
        .ok_or_else(|| file_err(line, "0114", "begindatum declaratieperiode is geen datum"))?;
    let period_end = parse_date(p.h_period_end.get(rec))
        .ok_or_else(|| file_err(line, "0115", "einddatum declaratieperiode is geen datum"))?;
    if period_end < period_start {
        return Err(file_err(
            line,
            "0115",
            "declaratieperiode eindigt vóór de begindatum",
        ));
    }
    let invoice_date = parse_date(p.h_invoice_date.get(rec))
        .ok_or_else(|| file_err(line, "0117", "factuurdatum is geen datum"))?;
    // fields the standard requires (layouts/*.tsv, column `required`)
    if p.h_kind.get(rec) == b" " {
        return Err(file_err(
            line,
            "0105",
            "SOORT BERICHT is leeg (verplicht veld)",
        ));
    }
    if num(p, rec, p.h_pay_to).is_none_or(|v| v == 0) {
        return Err(file_err(
            line,
            "0113",
            "IDENTIFICATIECODE BETALING AAN is leeg of geen code (verplicht veld)",
        ));
    }
    if p.h_currency.get(rec) != b"EUR" {
        return Err(file_err(
            line,
            "0119",
            "VALUTACODE is niet EUR (verplicht veld)",
        ));
    }
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
    let id = num(p, rec, p.i_id).ok_or_else(|| {
        fault(
            p,
            "02",
            line,
            p.i_id,
            801,
            "identificatie detailrecord niet numeriek",
        )
    })?;
    let bsn = num(p, rec, p.i_bsn)
        .map(|v| v as u32)
        .filter(|&b| bsn_valid(b))
        .ok_or_else(|| {
            fault(
                p,
                "02",
                line,
                p.i_bsn,
                435,
                "BSN voldoet niet aan de elfproef",
            )
        })?;
    let uzovi = num(p, rec, p.i_uzovi)
        .map(|v| v as u16)
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| fault(p, "02", line, p.i_uzovi, 18, "UZOVI-nummer ongeldig"))?;
    let birth_date = parse_date(p.i_birth.get(rec))
        .ok_or_else(|| fault(p, "02", line, p.i_birth, 801, "geboortedatum is geen datum"))?;
    let gender = num(p, rec, p.i_gender).unwrap_or(0) as u8;
    // fields the standard requires (layouts/*.tsv, column `required`). Return codes of the
    // Vektis return-code list (COD954), as in the copy of that list in OpenEMR
    // (github.com/openemr/openemr, sql/DBC_sql_statements/cl_vektis_retcodes.sql, commit
    // d334715): 0310 "Voorletters ontbreken of zijn onjuist (verzekerde)", 8030 "Indicatie
    // cliënt overleden ontbreekt of is onjuist". A fault here rejects the lines under this
    // 02 record with the same code; the rest of the file goes on.
    if p.i_initials.get(rec).iter().all(|&c| c == b' ') {
        return Err(fault(
            p,
            "02",
            line,
            p.i_initials,
            310,
            "VOORLETTERS VERZEKERDE is leeg (verplicht veld)",
        ));
    }
    // COD841 has two codes, 1 and 2 (one for deceased, one for not deceased); 0, 9 or a
    // blank is no code
    let deceased = p.i_deceased.get(rec);
    if !matches!(deceased, b"1" | b"2") {
        let msg = if deceased.iter().all(|&c| c == b' ') {
            "INDICATIE CLIENT OVERLEDEN is leeg (verplicht veld)".to_string()
        } else {
            format!(
                "INDICATIE CLIENT OVERLEDEN is `{}`, geen geldige code (verplicht veld: 1 of 2)",
                String::from_utf8_lossy(deceased)
            )
        };
        return Err(fault(p, "02", line, p.i_deceased, 8030, &msg));
    }
    Ok(Insured {
        id,
        bsn,
        uzovi,
        insured_number: trim_end(p.i_insured_number.get(rec)),
        birth_date,
        gender,
        name: trim_end(p.i_name.get(rec)),
        initials: trim_end(p.i_initials.get(rec)),
        postcode: trim_end(p.i_postcode.get(rec)),
    })
}

pub(super) fn dc_sign(b: u8) -> Option<i64> {
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
    let id = num(p, rec, p.l_id)
        .ok_or_else(|| f(p.l_id, 801, "identificatie detailrecord niet numeriek"))?;
    let bsn = num(p, rec, p.l_bsn)
        .map(|v| v as u32)
        .filter(|&b| bsn_valid(b))
        .ok_or_else(|| f(p.l_bsn, 435, "BSN voldoet niet aan de elfproef"))?;
    let uzovi = num(p, rec, p.l_uzovi)
        .map(|v| v as u16)
        .filter(|&u| uzovi_valid(u))
        .ok_or_else(|| f(p.l_uzovi, 18, "UZOVI-nummer ongeldig"))?;
    let start = parse_date(p.l_start.get(rec))
        .ok_or_else(|| f(p.l_start, 20, "begindatum prestatie is geen datum"))?;
    if start < header.period_start || start > header.period_end {
        return Err(f(
            p.l_start,
            20,
            "begindatum prestatie valt buiten de declaratieperiode van het voorlooprecord",
        ));
    }
    let end = parse_date(p.l_end.get(rec))
        .filter(|&e| e >= start)
        .ok_or_else(|| {
            f(
                p.l_end,
                21,
                "einddatum prestatie ongeldig of vóór de begindatum",
            )
        })?;
    let code_list = num(p, rec, p.l_code_list)
        .ok_or_else(|| f(p.l_code_list, 581, "prestatiecodelijst niet numeriek"))?
        as u16;
    let code_bytes = p.l_code.get(rec);
    let code = Code::from_field(code_bytes)
        .filter(|_| p.l_code.ty == crate::layout::FieldType::An || parse_u64(code_bytes).is_some())
        .ok_or_else(|| f(p.l_code, 582, "prestatiecode ongeldig"))?;
    let count = num(p, rec, p.l_count)
        .ok_or_else(|| f(p.l_count, 611, "aantal prestaties niet numeriek"))?
        as u16;
    let performer = num(p, rec, p.l_performer)
        .ok_or_else(|| f(p.l_performer, 14, "AGB-code uitvoerder niet numeriek"))?
        as u32;
    let tariff =
        num(p, rec, p.l_tariff).ok_or_else(|| f(p.l_tariff, 611, "tarief niet numeriek"))? as i64;
    num(p, rec, p.l_calculated)
        .ok_or_else(|| f(p.l_calculated, 611, "berekend bedrag niet numeriek"))?;
    dc_sign(p.l_dc1.get(rec)[0])
        .ok_or_else(|| f(p.l_dc1, 631, "indicatie debet/credit is niet D of C"))?;
    let amount = num(p, rec, p.l_amount)
        .ok_or_else(|| f(p.l_amount, 611, "declaratiebedrag niet numeriek"))?
        as i64;
    let sign = dc_sign(p.l_dc2.get(rec)[0])
        .ok_or_else(|| f(p.l_dc2, 631, "indicatie debet/credit is niet D of C"))?;
    if let Some(fw) = p.l_forward
        && fw.get(rec) != b"1"
    {
        // Vektis return code 8179: DOORSTUREN TOEGESTAAN must be 1 when the UZOVI is filled
        return Err(f(
            fw,
            8179,
            "DOORSTUREN TOEGESTAAN moet 1 zijn (UZOVI-nummer is gevuld)",
        ));
    }
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

/// The claimed amount of a 04 record as it stands in the file, for the trailer total, whether
/// or not the record has other faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RawAmount {
    /// Amount and sign readable.
    Signed(i64),
    /// Amount readable, but the debit/credit indicator is neither D nor C.
    Unsigned(i64),
    /// The amount cannot be read (record too short, or not digits).
    Unreadable,
}

/// Reads the claimed amount of a 04 record for the trailer total, without validating the rest.
/// The positions are read as they stand: a record of the wrong length is read where its amount
/// would be, when that part of it is there and holds digits.
fn raw_amount(p: &ClaimPositions, rec: &[u8]) -> RawAmount {
    let field = |pos: Pos| rec.get(pos.start..pos.start + pos.len);
    let Some(a) = field(p.l_amount).and_then(parse_u64) else {
        return RawAmount::Unreadable;
    };
    let Ok(a) = i64::try_from(a) else {
        return RawAmount::Unreadable;
    };
    match field(p.l_dc2).and_then(|b| dc_sign(b[0])) {
        Some(s) => RawAmount::Signed(s * a),
        None => RawAmount::Unsigned(a),
    }
}

/// The sum of the prestatie records' amounts, as far as it can be read.
#[derive(Debug, Default)]
struct TrailerSum {
    /// Sum of the amounts with a readable sign (i128: no overflow for any number of records).
    signed: i128,
    /// Amounts whose D/C indicator is neither D nor C (at most 16 kept; more count as unreadable).
    unsigned: Vec<i64>,
    /// Records whose amount cannot be read.
    unreadable: usize,
}

impl TrailerSum {
    fn add(&mut self, a: RawAmount) {
        match a {
            RawAmount::Signed(v) => self.signed += i128::from(v),
            RawAmount::Unsigned(v) if self.unsigned.len() < 16 => self.unsigned.push(v),
            RawAmount::Unsigned(_) | RawAmount::Unreadable => self.unreadable += 1,
        }
    }

    /// Whether the records can add up to `total`: exactly, when every amount and sign could be
    /// read; for some sign of each amount without a valid D/C; always, when an amount cannot be
    /// read (then the trailer cannot be shown to be wrong).
    /// The sum for a message: `2000`, or `2000 ± 150 ± 30` with amounts of unknown sign.
    fn describe(&self) -> String {
        let mut s = self.signed.to_string();
        for v in &self.unsigned {
            s.push_str(&format!(" ± {v}"));
        }
        s
    }

    fn can_match(&self, total: i128) -> bool {
        if self.unreadable > 0 {
            return true;
        }
        let n = self.unsigned.len();
        (0u32..1 << n).any(|signs| {
            let s: i128 = self
                .unsigned
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    if signs >> i & 1 == 1 {
                        -i128::from(v)
                    } else {
                        i128::from(v)
                    }
                })
                .sum();
            self.signed + s == total
        })
    }
}

/// Parses and validates a whole claim file. Header and trailer faults, a truncated file, records
/// out of order and wrong counts or totals in the 99 record are a [`FileError`]; faults in
/// detail records are returned per record.
pub fn parse_claim_file(bytes: &[u8]) -> Result<ClaimFile, FileError> {
    let mut it = records(bytes);
    let (line1, _, first) = it.next().ok_or_else(|| file_err(1, "", "leeg bestand"))??;
    let header = parse_header(first, line1)?;
    let p = header.standard.positions();
    let mut details = Vec::new();
    let mut counts = [0u64; 4]; // 02, 03, 04, 98
    let mut sum = TrailerSum::default();
    let mut trailer: Option<(usize, &[u8])> = None;
    let mut current_insured: Option<Result<(), LineFault>> = None;
    for r in it {
        let (line, offset, rec) = r?;
        if let Some((tl, _)) = trailer {
            return Err(file_err(
                line,
                "",
                format!("record na het 99-sluitrecord (regel {tl})"),
            ));
        }
        let kind: &[u8] = rec.get(..2).unwrap_or(rec);
        if kind == b"99" {
            trailer = Some((line, rec));
            continue;
        }
        if kind == b"01" {
            return Err(file_err(line, "", "tweede 01-voorlooprecord"));
        }
        let len_fault = (rec.len() != p.record_len).then(|| LineFault {
            line,
            element: String::new(),
            return_code: 804,
            message: format!(
                "recordlengte {} bytes, verwacht {}",
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
                sum.add(raw_amount(p, rec));
                let r = if let Some(f) = len_fault {
                    Err(f)
                } else {
                    match &current_insured {
                        None => Err(LineFault {
                            line,
                            element: "0401".into(),
                            return_code: 801,
                            message: "prestatierecord vóór het eerste 02-verzekerdenrecord".into(),
                        }),
                        Some(Err(e)) => Err(LineFault {
                            line,
                            element: e.element.clone(),
                            return_code: e.return_code,
                            message: format!(
                                "het bijbehorende verzekerdenrecord (regel {}) is ongeldig",
                                e.line
                            ),
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
                        "onbekende recordsoort {:?}",
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
            "geen 99-sluitrecord (afgebroken bestand?)",
        )
    })?;
    if trec.len() != p.record_len {
        return Err(file_err(
            tline,
            "",
            format!(
                "sluitrecord heeft {} bytes, verwacht {}",
                trec.len(),
                p.record_len
            ),
        ));
    }
    let checks = [
        (p.t_n02, counts[0], "9902", "aantal 02-verzekerdenrecords"),
        (p.t_n03, counts[1], "9903", "aantal 03-debiteurrecords"),
        (p.t_n04, counts[2], "9904", "aantal 04-prestatierecords"),
        (p.t_n98, counts[3], "9905", "aantal 98-commentaarrecords"),
        (
            p.t_total_records,
            counts.iter().sum(),
            "9906",
            "totaal aantal detailrecords",
        ),
    ];
    for (pos, actual, el, what) in checks {
        let stated = parse_u64(pos.get(trec))
            .ok_or_else(|| file_err(tline, el, format!("{what} niet numeriek")))?;
        if stated != actual {
            return Err(file_err(
                tline,
                el,
                format!("{what}: sluitrecord meldt {stated}, bestand bevat {actual}"),
            ));
        }
    }
    let total = parse_u64(p.t_total.get(trec))
        .ok_or_else(|| file_err(tline, "9907", "totaalbedrag niet numeriek"))?
        as i64;
    let sign = dc_sign(p.t_dc.get(trec)[0])
        .ok_or_else(|| file_err(tline, "9908", "indicatie debet/credit is niet D of C"))?;
    let total = sign * total;
    if !sum.can_match(i128::from(total)) {
        return Err(file_err(
            tline,
            "9907",
            format!(
                "totaal gedeclareerd: sluitrecord meldt {} cent, de prestatierecords tellen op tot {}",
                total,
                sum.describe()
            ),
        ));
    }
    Ok(ClaimFile {
        header,
        details,
        total,
    })
}
