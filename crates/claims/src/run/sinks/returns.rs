//! The return-message sink: one AW320/HA305 file per Vektis input in `returns/`, built record by
//! record from the input (header, insured and trailer records echoed with their codes, each claim
//! line with its decision, granted amount and return codes). Lines under a revenue ceiling that
//! the ceiling rejects at the end of the run are patched in place, and the trailer's total fixed.

use super::{Part, ResultBatch, ResultSink};
use crate::checker::Outcome;
use crate::ident::parse_u64;
use crate::row::Row;
use crate::run::load::split_any;
use crate::run::{RunError, io};
use crate::vektis::{self, Decision, Detail, ReturnBuilder, Standard};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Writes the return messages into a directory.
pub struct ReturnMessages {
    dir: PathBuf,
    date: NaiveDate,
    /// Per input file seen: its return message (path, standard), if it has one.
    written: Vec<Option<(PathBuf, Standard)>>,
}

impl ReturnMessages {
    /// Return messages dated `date` go into `dir` (which must exist).
    pub fn new(dir: &Path, date: NaiveDate) -> ReturnMessages {
        ReturnMessages {
            dir: dir.to_path_buf(),
            date,
            written: Vec::new(),
        }
    }
}

impl ResultSink for ReturnMessages {
    fn write(&mut self, batch: &ResultBatch<'_>) -> Result<(), RunError> {
        match &batch.part {
            Part::File(f) => {
                let (Some(name), Some(standard)) = (&f.report.return_message, f.standard) else {
                    self.written.push(None);
                    return Ok(());
                };
                let path = self.dir.join(name);
                let bytes = build_return(f.bytes, f.parsed, f.all_rows, standard, self.date);
                std::fs::write(&path, bytes).map_err(io(&path))?;
                self.written.push(Some((path, standard)));
            }
            Part::Ceilings { granted_before } => {
                let mut patches: BTreeMap<u32, Vec<(u32, i64, Outcome)>> = BTreeMap::new();
                for (row, before) in batch.rows().zip(granted_before.iter()) {
                    if row.outcome.decision == Decision::Rejected {
                        patches
                            .entry(row.file)
                            .or_default()
                            .push((row.line, *before, row.outcome));
                    }
                }
                for (file, lines) in patches {
                    if let Some(Some((path, standard))) = self.written.get(file as usize) {
                        patch_return(path, *standard, &lines)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), RunError> {
        Ok(())
    }
}

fn build_return(
    bytes: &[u8],
    parsed: Option<&vektis::ClaimFile>,
    rows: &[Row],
    standard: Standard,
    date: NaiveDate,
) -> Vec<u8> {
    let mut b = ReturnBuilder::new(standard);
    let rlen = b.p.record_len + 2;
    let n_records = split_any(bytes).count();
    let mut out = Vec::with_capacity(n_records * rlen + rlen);
    let reference = format!("ZK{:016X}", xxhash_rust::xxh3::xxh3_64(bytes));
    let file_ok = parsed.is_some();
    let reject = [vektis::ReturnCode {
        code: 1,
        element: 0,
    }];
    let mut rows = rows.iter().peekable();
    let mut claimed = 0i64;
    let mut granted = 0i64;
    let mut counts = [0u64; 4];
    let mut saw_trailer = false;
    let mut insured_fault: Option<vektis::ReturnCode> = None;
    let faults: std::collections::HashMap<usize, &vektis::LineFault> = match parsed {
        Some(f) => f
            .details
            .iter()
            .filter_map(|d| match &d.detail {
                Detail::Insured(Err(e)) => Some((d.line, e)),
                _ => None,
            })
            .collect(),
        None => Default::default(),
    };
    for (i, rec) in split_any(bytes).enumerate() {
        let line = i + 1;
        let kind = rec.get(..2).unwrap_or(b"");
        match kind {
            b"01" if i == 0 => {
                out.extend_from_slice(b.header(
                    rec,
                    reference.as_bytes(),
                    date,
                    if file_ok { &[] } else { &reject },
                ));
            }
            b"04" => {
                counts[2] += 1;
                let row = rows.next_if(|r| r.line as usize == line);
                match row {
                    Some(r) => {
                        claimed += r.claimed;
                        granted += r.outcome.granted;
                        let codes = r.outcome.return_codes();
                        out.extend_from_slice(b.line(
                            rec,
                            r.outcome.granted,
                            r.outcome.decision,
                            &codes,
                        ));
                    }
                    None => out.extend_from_slice(b.line(rec, 0, Decision::Rejected, &reject)),
                }
            }
            b"99" => {
                saw_trailer = true;
                out.extend_from_slice(b.trailer(rec, claimed, granted));
            }
            _ => {
                let codes: Vec<vektis::ReturnCode> = if !file_ok {
                    reject.to_vec()
                } else if let Some(f) = faults.get(&line) {
                    let c = vektis::ReturnCode {
                        code: f.return_code,
                        element: f.element.parse().unwrap_or(0),
                    };
                    insured_fault = Some(c);
                    vec![c]
                } else {
                    vec![]
                };
                match kind {
                    b"02" => counts[0] += 1,
                    b"03" => counts[1] += 1,
                    b"98" => counts[3] += 1,
                    _ => {}
                }
                out.extend_from_slice(b.other(rec, &codes));
            }
        }
    }
    let _ = insured_fault;
    if !saw_trailer {
        // truncated or broken file: close the return message with a trailer of our own
        let mut t = vec![b'0'; standard.claim_layout().record_len];
        t[..2].copy_from_slice(b"99");
        let p = standard.positions();
        let put = |t: &mut Vec<u8>, pos: crate::layout::Pos, v: u64| {
            crate::ident::write_num(&mut t[pos.start..pos.start + pos.len], v)
        };
        put(&mut t, p.t_n02, counts[0]);
        put(&mut t, p.t_n03, counts[1]);
        put(&mut t, p.t_n04, counts[2]);
        put(&mut t, p.t_n98, counts[3]);
        put(&mut t, p.t_total_records, counts.iter().sum());
        out.extend_from_slice(b.trailer(&t, claimed, granted));
    }
    out
}

/// Sets the ceiling-rejected lines of a return message to granted 0 and fixes the trailer.
fn patch_return(
    path: &Path,
    standard: Standard,
    lines: &[(u32, i64, Outcome)],
) -> Result<(), RunError> {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io(path))?;
    let mut b = ReturnBuilder::new(standard);
    let rlen = (b.p.record_len + 2) as u64;
    let claim_len = b.p.claim_len;
    let mut rec = vec![0u8; rlen as usize];
    let mut removed = 0i64;
    use std::io::Read;
    for (line, before, outcome) in lines {
        let (line, before) = (*line, *before);
        let codes = outcome.return_codes();
        let off = (line as u64 - 1) * rlen;
        f.seek(SeekFrom::Start(off)).map_err(io(path))?;
        f.read_exact(&mut rec).map_err(io(path))?;
        let new = b
            .line(&rec[..claim_len], 0, Decision::Rejected, &codes)
            .to_vec();
        f.seek(SeekFrom::Start(off)).map_err(io(path))?;
        f.write_all(&new).map_err(io(path))?;
        removed += before;
    }
    let len = f.metadata().map_err(io(path))?.len();
    f.seek(SeekFrom::Start(len - rlen)).map_err(io(path))?;
    f.read_exact(&mut rec).map_err(io(path))?;
    let p = b.p;
    let claimed = parse_u64(p.t_claimed.get(&rec)).unwrap_or(0) as i64
        * if p.t_claimed_dc.get(&rec) == b"C" {
            -1
        } else {
            1
        };
    let granted = parse_u64(p.t_granted.get(&rec)).unwrap_or(0) as i64
        * if p.t_granted_dc.get(&rec) == b"C" {
            -1
        } else {
            1
        };
    let new = b
        .trailer(&rec[..claim_len], claimed, granted - removed)
        .to_vec();
    f.seek(SeekFrom::Start(len - rlen)).map_err(io(path))?;
    f.write_all(&new).map_err(io(path))?;
    Ok(())
}
