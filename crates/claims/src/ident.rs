//! Identifiers and small byte-level helpers: BSN 11-check, AGB and UZOVI codes, numeric fields,
//! YYYYMMDD dates and prestatie codes.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The BSN 11-check: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 and not 0.
pub fn bsn_valid(bsn: u32) -> bool {
    if bsn == 0 || bsn > 999_999_999 {
        return false;
    }
    let mut digits = [0i32; 9];
    let mut n = bsn;
    for d in digits.iter_mut().rev() {
        *d = (n % 10) as i32;
        n /= 10;
    }
    let mut sum = 0;
    for (i, d) in digits.iter().enumerate().take(8) {
        sum += (9 - i as i32) * d;
    }
    sum -= digits[8];
    sum != 0 && sum % 11 == 0
}

/// An AGB code is 8 digits, not all zero; its first two digits name the kind of provider.
pub fn agb_valid(agb: u32) -> bool {
    (1_000_000..=99_999_999).contains(&agb)
}

/// The kind prefix of an AGB code (first two of its 8 digits).
pub fn agb_prefix(agb: u32) -> u32 {
    agb / 1_000_000
}

/// A UZOVI code is 4 digits, not zero.
pub fn uzovi_valid(uzovi: u16) -> bool {
    (1..=9999).contains(&uzovi)
}

/// Parses an all-digit field. Returns `None` on anything else (spaces included).
#[inline]
pub fn parse_u64(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 19 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as u64;
    }
    Some(v)
}

/// Parses a YYYYMMDD date.
#[inline]
pub fn parse_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 8 {
        return None;
    }
    let v = parse_u64(b)?;
    let y = (v / 10_000) as i32;
    let m = ((v / 100) % 100) as u32;
    let d = (v % 100) as u32;
    if y < 1800 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Writes `v` right-aligned, zero-padded into `out` (the field). Too large values keep their
/// lowest digits; callers check ranges before writing.
#[inline]
pub fn write_num(out: &mut [u8], mut v: u64) {
    for c in out.iter_mut().rev() {
        *c = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// Writes `s` left-aligned, space-padded into `out` (truncated when longer).
#[inline]
pub fn write_an(out: &mut [u8], s: &[u8]) {
    let n = s.len().min(out.len());
    out[..n].copy_from_slice(&s[..n]);
    out[n..].fill(b' ');
}

/// Writes a YYYYMMDD date.
pub fn write_date(out: &mut [u8], d: NaiveDate) {
    let v = d.year() as u64 * 10_000 + d.month() as u64 * 100 + d.day() as u64;
    write_num(out, v);
}

/// Age in whole years on `on` for someone born on `birth`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// A prestatie (service) code in canonical form: spaces trimmed and, when all digits, leading
/// zeros removed, so that `01035` (an N field) and `1035 ` (an AN field) are the same code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Code {
    bytes: [u8; 8],
    len: u8,
}

impl Code {
    /// Canonical code from field bytes; `None` when empty or longer than 8 bytes.
    pub fn from_field(b: &[u8]) -> Option<Code> {
        let start = b.iter().position(|&c| c != b' ')?;
        let end = b.iter().rposition(|&c| c != b' ')? + 1;
        let mut s = &b[start..end];
        if s.iter().all(u8::is_ascii_digit) {
            while s.len() > 1 && s[0] == b'0' {
                s = &s[1..];
            }
        }
        if s.len() > 8 {
            return None;
        }
        let mut bytes = [0u8; 8];
        bytes[..s.len()].copy_from_slice(s);
        Some(Code {
            bytes,
            len: s.len() as u8,
        })
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::from_field(s.as_bytes())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// True when all bytes are digits.
    pub fn is_numeric(&self) -> bool {
        self.as_bytes().iter().all(u8::is_ascii_digit)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.as_bytes()))
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsn_eleven_check() {
        // 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6·11.
        assert!(bsn_valid(111_222_333));
        // 123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14·11.
        assert!(bsn_valid(123_456_782));
        assert!(!bsn_valid(123_456_789));
        assert!(!bsn_valid(0));
    }

    #[test]
    fn codes_are_canonical() {
        assert_eq!(Code::from_field(b"01035"), Code::from_field(b"1035 "));
        assert_eq!(Code::from_field(b"     "), None);
        assert_eq!(Code::parse("A12").unwrap().to_string(), "A12");
        assert_eq!(Code::from_field(b"00000").unwrap().to_string(), "0");
    }

    #[test]
    fn dates_and_ages() {
        let d = |s: &str| parse_date(s.as_bytes()).unwrap();
        assert_eq!(parse_date(b"20210230"), None);
        assert_eq!(parse_date(b"2021013 "), None);
        assert_eq!(age_on(d("20030315"), d("20210314")), 17);
        assert_eq!(age_on(d("20030315"), d("20210315")), 18);
        let mut f = [0u8; 8];
        write_date(&mut f, d("20210102"));
        assert_eq!(&f, b"20210102");
    }

    #[test]
    fn agb_and_uzovi() {
        assert!(agb_valid(53_000_123));
        assert_eq!(agb_prefix(53_000_123), 53);
        assert!(!agb_valid(123));
        assert!(uzovi_valid(3311));
        assert!(!uzovi_valid(0));
    }
}
