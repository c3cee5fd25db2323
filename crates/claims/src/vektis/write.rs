//! Writing claim files (for the generator and the tests): header, insured records and their
//! lines, and a trailer with counts and total.

use super::record::{Header, Insured, Line};
use super::standard::{ClaimPositions, Standard};
use crate::ident::{parse_u64, write_an, write_date, write_num};
use crate::layout::{Layout, Pos};
use chrono::NaiveDate;

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
        // required fields, filled as senders do: a production message (P), paid to the
        // institution, the practice or else the provider (COD833 04, 03, 02), in euros
        put_an(&mut buf, p.h_kind, b"P");
        let pay_to = if h.institution != 0 {
            4
        } else if h.practice != 0 {
            3
        } else {
            2
        };
        put_num(&mut buf, p.h_pay_to, pay_to);
        put_an(&mut buf, p.h_currency, b"EUR");
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
        put_an(b, p.i_initials, &i.initials);
        put_num(b, p.i_deceased, 2); // COD841: 2 = not deceased
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
        if let Some(f) = p.l_forward {
            // DOORSTUREN TOEGESTAAN must be 1 when the UZOVI number is filled (return code 8179)
            put_num(b, f, u64::from(l.uzovi != 0));
        }
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

pub(super) fn put_num(buf: &mut [u8], p: Pos, v: u64) {
    write_num(&mut buf[p.start..p.start + p.len], v);
}
pub(super) fn put_an(buf: &mut [u8], p: Pos, v: &[u8]) {
    write_an(&mut buf[p.start..p.start + p.len], v);
}
pub(super) fn put_date(buf: &mut [u8], p: Pos, d: NaiveDate) {
    write_date(&mut buf[p.start..p.start + p.len], d);
}
/// Fills every N field of a record with zeros (the rest stays spaces).
pub(super) fn zero_numeric(buf: &mut [u8], l: &Layout, record: &str) {
    for f in l.record_fields(record).skip(1) {
        if f.ty == crate::layout::FieldType::N {
            buf[f.start..f.start + f.len].fill(b'0');
        }
    }
}
