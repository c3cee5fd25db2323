//! The spill file: the rows of lines under a revenue ceiling wait here, in the output directory,
//! until the ceilings are settled at the end of the run (so memory does not grow with them).
//! Fixed-size little-endian binary records, written and read back in order.

use super::{RunError, io};
use crate::checker::{Outcome, Reason};
use crate::ident::Code;
use crate::row::Row;
use crate::vektis::Decision;
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the spill file of ceiling lines in the output directory (gone when a run ends).
pub(crate) const SPILL_NAME: &str = ".ceiling-lines.tmp";

/// The ceiling candidates' rows, kept in a file in the output directory until the end of the
/// run (so memory does not grow with them): fixed-size binary records, see [`to_bytes`].
pub(crate) struct Spill {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    pub(crate) len: usize,
}

impl Spill {
    pub(crate) fn create(path: &Path) -> Result<Spill, RunError> {
        Ok(Spill {
            path: path.to_path_buf(),
            file: std::io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(path).map_err(io(path))?,
            ),
            len: 0,
        })
    }
    pub(crate) fn push(&mut self, row: &Row) -> Result<(), RunError> {
        self.file
            .write_all(&to_bytes(row))
            .map_err(io(&self.path))?;
        self.len += 1;
        Ok(())
    }
    /// The rows, in the order they were pushed.
    pub(crate) fn finish(self) -> Result<impl Iterator<Item = Result<Row, RunError>>, RunError> {
        let path = self.path;
        self.file.into_inner().map_err(|e| RunError::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        let mut r = std::io::BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(&path).map_err(io(&path))?,
        );
        Ok((0..self.len).map(move |_| {
            let mut b = [0u8; ROW_BYTES];
            std::io::Read::read_exact(&mut r, &mut b).map_err(io(&path))?;
            Ok(from_bytes(&b))
        }))
    }
}

/// Size of a [`Row`] as bytes.
const ROW_BYTES: usize = 99;

/// Fixed-size little-endian bytes (for the spill file; read back by [`from_bytes`]).
fn to_bytes(row: &Row) -> [u8; ROW_BYTES] {
    let mut b = [0u8; ROW_BYTES];
    let mut at = 0;
    let mut put = |v: &[u8]| {
        b[at..at + v.len()].copy_from_slice(v);
        at += v.len();
    };
    put(&row.file.to_le_bytes());
    put(&row.line.to_le_bytes());
    put(&row.record_id.to_le_bytes());
    put(&row.provider.to_le_bytes());
    put(&row.bsn.to_le_bytes());
    let code = row.code.as_ref().map_or(&[][..], |c| c.as_bytes());
    let mut cb = [0u8; 9];
    cb[0] = if row.code.is_some() {
        1 + code.len() as u8
    } else {
        0
    };
    cb[1..1 + code.len()].copy_from_slice(code);
    put(&cb);
    put(&row
        .date
        .map_or(i32::MIN, |d| chrono::Datelike::num_days_from_ce(&d))
        .to_le_bytes());
    put(&row.claimed.to_le_bytes());
    let o = &row.outcome;
    put(&[o.decision as u8]);
    put(&o.granted.to_le_bytes());
    put(&[o.n_reasons]);
    for r in &o.reasons {
        put(&r.reason.to_le_bytes());
        put(&r.return_code.to_le_bytes());
        put(&r.element.to_le_bytes());
    }
    put(&o.contract.to_le_bytes());
    put(&o.ceiling_rule.to_le_bytes());
    debug_assert_eq!(at, ROW_BYTES);
    b
}

fn from_bytes(b: &[u8; ROW_BYTES]) -> Row {
    let mut at = 0;
    let mut take = |n: usize| {
        let v = &b[at..at + n];
        at += n;
        v
    };
    let u16_ = |v: &[u8]| u16::from_le_bytes(v.try_into().unwrap());
    let u32_ = |v: &[u8]| u32::from_le_bytes(v.try_into().unwrap());
    let u64_ = |v: &[u8]| u64::from_le_bytes(v.try_into().unwrap());
    let file = u32_(take(4));
    let line = u32_(take(4));
    let record_id = u64_(take(8));
    let provider = u32_(take(4));
    let bsn = u32_(take(4));
    let cb = take(9);
    let code = match cb[0] {
        0 => None,
        n => Code::from_field(&cb[1..n as usize]),
    };
    let days = u32_(take(4)) as i32;
    let date = (days != i32::MIN)
        .then(|| NaiveDate::from_num_days_from_ce_opt(days))
        .flatten();
    let claimed = u64_(take(8)) as i64;
    let decision = match take(1)[0] {
        0 => Decision::Granted,
        1 => Decision::Reduced,
        _ => Decision::Rejected,
    };
    let granted = u64_(take(8)) as i64;
    let n_reasons = take(1)[0];
    let mut reasons = [Reason::default(); crate::checker::MAX_REASONS];
    for r in &mut reasons {
        *r = Reason {
            reason: u16_(take(2)),
            return_code: u16_(take(2)),
            element: u16_(take(2)),
        };
    }
    let contract = u32_(take(4));
    let ceiling_rule = u32_(take(4));
    Row {
        file,
        line,
        record_id,
        provider,
        bsn,
        code,
        date,
        claimed,
        outcome: Outcome {
            decision,
            granted,
            reasons,
            n_reasons,
            contract,
            ceiling_rule,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row survives the spill file unchanged, with and without code and date, credit amounts
    /// and a full set of reasons.
    #[test]
    fn a_row_round_trips_through_its_spill_bytes() {
        let mut o = Outcome::new(-12_345);
        for i in 0..crate::checker::MAX_REASONS as u16 {
            o.reject(Reason {
                reason: i,
                return_code: 600 + i,
                element: 400 + i,
            });
        }
        o.contract = 77;
        o.ceiling_rule = 3;
        let full = Row {
            file: 14_759,
            line: 4_000_000,
            record_id: 999_999_999_999,
            provider: 75_997_279,
            bsn: 123_456_782,
            code: Code::parse("190031"),
            date: NaiveDate::from_ymd_opt(2022, 12, 31),
            claimed: -12_345,
            outcome: o,
        };
        let back = from_bytes(&to_bytes(&full));
        assert_eq!(format!("{back:?}"), format!("{full:?}"));
        let bare = Row {
            code: None,
            date: None,
            outcome: Outcome::new(500),
            ..full
        };
        let back = from_bytes(&to_bytes(&bare));
        assert_eq!(format!("{back:?}"), format!("{bare:?}"));
        assert_eq!(back.outcome.decision, Decision::Granted);
    }
}
