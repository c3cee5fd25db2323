//! Round-trip property tests for the Vektis formats: arbitrary valid AW319 and HA304 claim files
//! (random insured, lines, amounts with debit and credit, dates, names with ISO 8859-1 bytes) are
//! written with [`ClaimWriter`], parsed back with [`parse_claim_file`] and compared field by
//! field; the 99 trailer's counts and total are read back from the bytes. The AW320 and HA305
//! return messages built with [`ReturnBuilder`] over the same records are parsed back with
//! [`parse_return_file`] and compared the same way.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use zorginkoop_claims::ident::{Code, parse_u64};
use zorginkoop_claims::vektis::{
    ClaimWriter, Decision, Detail, Header, Insured, Line, ReturnBuilder, ReturnCode, Standard,
    parse_claim_file, parse_return_file, records,
};

/// Bytes allowed in AN fields: printable ASCII and the ISO 8859-1 letters (0xC0..=0xFF, 0xFC
/// `ü` among them). CR and LF are excluded (they delimit records).
fn an_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        4 => prop::sample::select(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,'-/".to_vec()
        ),
        1 => 0xC0u8..=0xFF,
        1 => Just(0xFCu8),
    ]
}

/// An AN field value of at most `max` bytes, as the parser gives it back: trailing spaces
/// removed (a space-padded field cannot tell them from padding).
fn an(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(an_byte(), 0..=max).prop_map(|mut v| {
        while v.last() == Some(&b' ') {
            v.pop();
        }
        v
    })
}

/// A BSN passing the 11-check: eight random digits and the check digit that makes
/// 9·d1 + … + 2·d8 − d9 a multiple of 11.
fn bsn() -> impl Strategy<Value = u32> {
    (1u32..=99_999_999).prop_filter_map("no check digit 0..=9", |first8| {
        let mut digits = [0u32; 8];
        let mut n = first8;
        for d in digits.iter_mut().rev() {
            *d = n % 10;
            n /= 10;
        }
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| (9 - i as u32) * d)
            .sum();
        let check = sum % 11;
        (check <= 9).then_some(first8 * 10 + check)
    })
}

fn date_in(from: NaiveDate, days: i64) -> impl Strategy<Value = NaiveDate> {
    (0..=days).prop_map(move |d| from + Duration::days(d))
}

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
}

fn standard() -> impl Strategy<Value = Standard> {
    prop_oneof![Just(Standard::Aw319), Just(Standard::Ha304)]
}

fn header(standard: Standard) -> impl Strategy<Value = Header> {
    (
        1u16..=9999,
        1_000_000u32..=99_999_999,
        0u32..=99_999_999,
        0u32..=99_999_999,
        date_in(base(), 3000),
        0i64..=400,
        an(12),
        date_in(base(), 4000),
    )
        .prop_map(
            move |(uzovi, provider, practice, institution, start, len, invoice, invoice_date)| {
                Header {
                    standard,
                    uzovi,
                    provider,
                    practice,
                    institution,
                    period_start: start,
                    period_end: start + Duration::days(len),
                    invoice_number: invoice,
                    invoice_date,
                }
            },
        )
}

/// A prestatie code as the standard's field holds it: AN (AW319, letters and digits) or N
/// (HA304, digits only), in canonical form.
fn code(standard: Standard) -> BoxedStrategy<Code> {
    match standard {
        Standard::Aw319 => "[A-Z0-9]{1,5}"
            .prop_map(|s| Code::parse(&s).unwrap())
            .boxed(),
        Standard::Ha304 => (1u32..=99_999)
            .prop_map(|n| Code::parse(&n.to_string()).unwrap())
            .boxed(),
    }
}

/// One insured with its lines (line ids and BSN filled in later).
fn insured_block(h: &Header) -> impl Strategy<Value = (Insured, Vec<Line>, Vec<Vec<u8>>)> + use<> {
    let period = (h.period_end - h.period_start).num_days();
    let start = h.period_start;
    let line = (
        1u16..=9999,
        an(15),
        date_in(start, period),
        0i64..=60,
        0u16..=999,
        code(h.standard),
        0u16..=9999,
        0u32..=99_999_999,
        0i64..=99_999_999,
        -99_999_999i64..=99_999_999,
        (an(20), an(20)),
    )
        .prop_map(
            |(
                uzovi,
                insured_number,
                start,
                extra,
                code_list,
                code,
                count,
                performer,
                tariff,
                amount,
                (reference, previous_reference),
            )| Line {
                id: 0,
                bsn: 0,
                uzovi,
                insured_number,
                start,
                end: start + Duration::days(extra),
                code_list,
                code,
                count,
                performer,
                tariff,
                amount,
                reference,
                previous_reference,
            },
        );
    (
        (
            bsn(),
            1u16..=9999,
            an(15),
            date_in(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(), 45_000),
            0u8..=9,
            an(25),
            an(6),
        ),
        prop::collection::vec(line, 0..5),
        prop::collection::vec(an(140), 0..2),
    )
        .prop_map(
            |(
                (bsn, uzovi, insured_number, birth_date, gender, name, postcode),
                lines,
                comments,
            )| {
                let insured = Insured {
                    id: 0,
                    bsn,
                    uzovi,
                    insured_number,
                    birth_date,
                    gender,
                    name,
                    initials: b"AB".to_vec(),
                    postcode,
                };
                let lines = lines.into_iter().map(|l| Line { bsn, ..l }).collect();
                (insured, lines, comments)
            },
        )
}

/// A whole claim file's content: header and insured blocks, record ids numbered in file order.
type Blocks = Vec<(Insured, Vec<Line>, Vec<Vec<u8>>)>;

fn claim_file() -> impl Strategy<Value = (Header, Blocks)> {
    standard()
        .prop_flat_map(header)
        .prop_flat_map(|h| {
            let blocks = prop::collection::vec(insured_block(&h), 0..6);
            (Just(h), blocks)
        })
        .prop_map(|(h, mut blocks)| {
            let mut id = 0u64;
            for (insured, lines, _) in &mut blocks {
                id += 1;
                insured.id = id;
                for l in lines {
                    id += 1;
                    l.id = id;
                }
            }
            (h, blocks)
        })
}

fn write(h: &Header, blocks: &Blocks) -> Vec<u8> {
    let mut w = ClaimWriter::new(Vec::new(), h).unwrap();
    let mut comment_id = 10_000u64;
    for (insured, lines, comments) in blocks {
        w.insured(insured).unwrap();
        for l in lines {
            w.line(l).unwrap();
        }
        for (n, c) in comments.iter().enumerate() {
            comment_id += 1;
            w.comment(comment_id, n as u64 + 1, c).unwrap();
        }
    }
    w.finish().unwrap()
}

/// Return codes for one line, as the checker would set them (element ids as numbers).
fn return_codes() -> impl Strategy<Value = Vec<ReturnCode>> {
    let code = prop::sample::select(vec![
        14u16, 18, 20, 21, 320, 435, 581, 582, 587, 611, 613, 631, 801, 804,
    ]);
    prop::collection::vec(
        (code, 0u16..=9999).prop_map(|(code, element)| ReturnCode { code, element }),
        0..=3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Write then parse gives the same header, insured and lines, field by field; the 99
    /// record's counts and total agree with what was written.
    #[test]
    fn claim_file_round_trip((h, blocks) in claim_file()) {
        let bytes = write(&h, &blocks);
        let p = h.standard.positions();
        // every record has the standard's length and ends in CR LF
        prop_assert_eq!(bytes.len() % (p.record_len + 2), 0);

        let parsed = parse_claim_file(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&parsed.header, &h);

        let mut insured = Vec::new();
        let mut lines = Vec::new();
        let mut n_comments = 0u64;
        for d in &parsed.details {
            match &d.detail {
                Detail::Insured(i) => insured.push(i.clone().map_err(|e| TestCaseError::fail(e.to_string()))?),
                Detail::Line(l) => lines.push(l.as_ref().clone().map_err(|e| TestCaseError::fail(e.to_string()))?),
                Detail::Comment { .. } => n_comments += 1,
                Detail::Debtor { .. } => prop_assert!(false, "no 03 record was written"),
            }
            prop_assert_eq!(d.len, p.record_len);
            prop_assert_eq!(&bytes[d.offset + d.len..d.offset + d.len + 2], b"\r\n");
        }
        let want_insured: Vec<&Insured> = blocks.iter().map(|b| &b.0).collect();
        let want_lines: Vec<&Line> = blocks.iter().flat_map(|b| &b.1).collect();
        prop_assert_eq!(insured.iter().collect::<Vec<_>>(), want_insured);
        prop_assert_eq!(lines.len(), want_lines.len());
        for (got, want) in lines.iter().zip(&want_lines) {
            prop_assert_eq!(got, *want);
        }

        let total: i64 = want_lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(parsed.total, total);

        // the 99 record, read field by field
        let trailer = &bytes[bytes.len() - p.record_len - 2..bytes.len() - 2];
        prop_assert_eq!(&trailer[..2], b"99");
        let n02 = blocks.len() as u64;
        let n04 = want_lines.len() as u64;
        let want_comments: u64 = blocks.iter().map(|b| b.2.len() as u64).sum();
        prop_assert_eq!(n_comments, want_comments);
        prop_assert_eq!(parse_u64(p.t_n02.get(trailer)), Some(n02));
        prop_assert_eq!(parse_u64(p.t_n03.get(trailer)), Some(0));
        prop_assert_eq!(parse_u64(p.t_n04.get(trailer)), Some(n04));
        prop_assert_eq!(parse_u64(p.t_n98.get(trailer)), Some(want_comments));
        prop_assert_eq!(parse_u64(p.t_total_records.get(trailer)), Some(n02 + n04 + want_comments));
        prop_assert_eq!(parse_u64(p.t_total.get(trailer)), Some(total.unsigned_abs()));
        let dc: &[u8] = if total < 0 { b"C" } else { b"D" };
        prop_assert_eq!(p.t_dc.get(trailer), dc);
    }

    /// An AW320/HA305 return message built over a written claim file parses back with the
    /// granted amounts, decisions, return codes and totals that were put in.
    #[test]
    fn return_message_round_trip(
        (h, blocks) in claim_file(),
        decisions in prop::collection::vec((0u32..=1000, return_codes()), 64),
        header_rejected in any::<bool>(),
        date in date_in(base(), 4000),
    ) {
        let claim = write(&h, &blocks);
        let mut b = ReturnBuilder::new(h.standard);
        let mut out = Vec::new();
        let mut want = Vec::new(); // (id, granted, codes, decision)
        let (mut claimed_total, mut granted_total) = (0i64, 0i64);
        let header_codes = if header_rejected {
            vec![ReturnCode { code: 1, element: 0 }]
        } else {
            vec![]
        };
        let mut lines = blocks.iter().flat_map(|b| &b.1);
        for r in records(&claim) {
            let (_, _, rec) = r.map_err(|e| TestCaseError::fail(e.to_string()))?;
            match &rec[..2] {
                b"01" => out.extend_from_slice(b.header(rec, b"RET-1", date, &header_codes)),
                b"04" => {
                    let l = lines.next().unwrap();
                    let (permille, codes) = &decisions[want.len() % decisions.len()];
                    // granted: a share of the claimed amount, same sign, never more
                    let granted = l.amount * *permille as i64 / 1000;
                    let decision = if codes.is_empty() && granted == l.amount {
                        Decision::Granted
                    } else if granted == 0 {
                        Decision::Rejected
                    } else {
                        Decision::Reduced
                    };
                    out.extend_from_slice(b.line(rec, granted, decision, codes));
                    claimed_total += l.amount;
                    granted_total += granted;
                    want.push((l.id, granted, codes.clone(), decision));
                }
                b"99" => out.extend_from_slice(b.trailer(rec, claimed_total, granted_total)),
                _ => out.extend_from_slice(b.other(rec, &[])),
            }
        }
        let rp = h.standard.return_positions();
        prop_assert_eq!(out.len() % (rp.record_len + 2), 0);

        let ret = parse_return_file(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(ret.standard, h.standard);
        prop_assert_eq!(ret.total_claimed, claimed_total);
        prop_assert_eq!(ret.total_granted, granted_total);
        prop_assert_eq!(ret.header_codes, header_codes.iter().map(|c| c.code).collect::<Vec<_>>());
        prop_assert_eq!(ret.lines.len(), want.len());
        for (got, (id, granted, codes, decision)) in ret.lines.iter().zip(&want) {
            prop_assert_eq!(got.id, *id);
            prop_assert_eq!(got.granted, *granted);
            match h.standard {
                Standard::Aw319 => {
                    prop_assert_eq!(&got.codes, &codes.iter().map(|c| c.code).collect::<Vec<_>>());
                    prop_assert_eq!(got.decision, None);
                }
                Standard::Ha304 => {
                    // HA305 keeps the last three digits of the code in FOUTCODE
                    let want: Vec<u16> = codes
                        .iter()
                        .filter(|c| c.element != 0 || c.code % 1000 != 0)
                        .map(|c| c.code % 1000)
                        .collect();
                    prop_assert_eq!(&got.codes, &want);
                    prop_assert_eq!(got.decision, Some(*decision));
                }
            }
        }
        // every detail record is echoed byte for byte in the return message; the 99 keeps the
        // counts and the claimed total, its reserve holds the granted total
        for (c, r) in records(&claim).zip(records(&out)) {
            let (c, r) = (c.unwrap().2, r.unwrap().2);
            match &c[..2] {
                b"01" => {}
                b"99" => prop_assert_eq!(&r[..rp.t_granted.start], &c[..rp.t_granted.start]),
                _ => prop_assert_eq!(&r[..rp.claim_len], c),
            }
        }
    }
}
