//! The checking context: contracts, care-chain enrolments and the insured register, read from
//! (and written to) the documented CSV files of a context directory.
//!
//! | file | columns |
//! |---|---|
//! | `contracts.csv` | `provider_agb,module,prestatie_codes,start,end,tariff_cents,ceiling_cents,contract_type` |
//! | `chains.csv` | `bsn,chain,from,to` |
//! | `insured.csv` | `bsn,uzovi,birth_date,postcode,from,to` and optionally `sex`, `death_date` |
//!
//! `insured.csv` may carry two more columns after `to`, both or one of them, in this order:
//! `sex` (`M` man, `V` vrouw, empty unknown) and `death_date` (empty: alive). The checker does
//! not use them; settlement's efficiency model does. Dates are `YYYY-MM-DD`; an empty `end`/`to` means open-ended. `prestatie_codes` is a
//! `;`-separated list; empty means "every code of the module" (the module's `prestatie_codes`
//! in the policies). `ceiling_cents` is empty when the contract has no revenue ceiling.

use crate::ident::{Code, bsn_valid};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A context file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("{path}: kan niet lezen: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}, regel {line}{}: {message}", path.display(), if column.is_empty() { String::new() } else { format!(", kolom `{column}`") })]
    Field {
        path: PathBuf,
        line: u64,
        column: String,
        message: String,
    },
    #[error("{path}: {message}")]
    Csv { path: PathBuf, message: String },
}

/// One contract row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub provider: u32,
    pub module: String,
    /// Codes agreed explicitly; empty = all codes of the module.
    pub codes: Vec<Code>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Contracted unit tariff in cents.
    pub tariff: i64,
    /// Revenue ceiling in cents.
    pub ceiling: Option<i64>,
    pub contract_type: String,
}

impl Contract {
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }
}

/// One care-chain enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub bsn: u32,
    pub chain: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// One insurance period in the insured register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsuredPeriod {
    pub bsn: u32,
    pub uzovi: u16,
    pub birth_date: NaiveDate,
    /// Postcode as written (e.g. `1156AB`).
    pub postcode: Postcode,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// Optional column `sex`.
    pub sex: Option<Sex>,
    /// Optional column `death_date`.
    pub death_date: Option<NaiveDate>,
}

/// Sex as the register writes it (`M`/`V`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// `M` or `V` (man, vrouw), as in `insured.csv`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "V",
        }
    }
}

/// A postcode as written, up to 10 bytes, kept inline (the register holds millions: no heap
/// allocation per person).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Postcode {
    bytes: [u8; Postcode::MAX],
    len: u8,
}

impl Postcode {
    pub const MAX: usize = 10;

    /// `None` when longer than [`Postcode::MAX`] bytes.
    pub fn new(s: &str) -> Option<Postcode> {
        let mut bytes = [0u8; Postcode::MAX];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Postcode {
            bytes,
            len: s.len() as u8,
        })
    }

    pub fn as_str(&self) -> &str {
        // built from a &str, so always valid UTF-8
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

impl std::fmt::Display for Postcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Postcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl InsuredPeriod {
    /// The 4-digit numeric part of the postcode, 0 when absent.
    pub fn postcode4(&self) -> u16 {
        self.postcode
            .as_str()
            .get(..4)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
}

/// Everything the checker looks up, indexed.
#[derive(Debug, Default)]
pub struct Context {
    pub contracts: Vec<Contract>,
    pub enrolments: Vec<Enrolment>,
    pub insured: Vec<InsuredPeriod>,
    /// bsn → (first index in `insured`, count), `insured` sorted by bsn.
    pub insured_index: FxHashMap<u32, (u32, u32)>,
    /// bsn → indexes in `enrolments`.
    pub enrolment_index: FxHashMap<u32, Vec<u32>>,
}

fn parse_date_field(
    path: &Path,
    line: u64,
    column: &str,
    s: &str,
) -> Result<NaiveDate, ContextError> {
    // the common form without chrono's format parser (a third of the load time otherwise)
    if let Some(d) = iso_date(s) {
        return Ok(d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ContextError::Field {
        path: path.into(),
        line,
        column: column.into(),
        message: format!("{s:?} is geen geldige datum JJJJ-MM-DD"),
    })
}

/// `YYYY-MM-DD` exactly (other spellings go through chrono).
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

fn opt_date(
    path: &Path,
    line: u64,
    column: &str,
    s: &str,
) -> Result<Option<NaiveDate>, ContextError> {
    if s.is_empty() {
        Ok(None)
    } else {
        parse_date_field(path, line, column, s).map(Some)
    }
}

fn int<T: std::str::FromStr>(
    path: &Path,
    line: u64,
    column: &str,
    s: &str,
) -> Result<T, ContextError> {
    s.trim().parse().map_err(|_| ContextError::Field {
        path: path.into(),
        line,
        column: column.into(),
        message: format!("{s:?} is geen geheel getal"),
    })
}

/// Reads a CSV file with the expected header, turning each record into a `T` with `row`
/// (which gets the 1-based line number and, per column of `optional`, its index in the record
/// when the header has it). The header is `expected` followed by any of `optional`, in that
/// order. Large files are split at line ends and read in
/// parallel, unless they contain quotes (a quoted field may span lines); the first error in
/// file order is returned.
fn read_csv<T: Send>(
    path: &Path,
    expected: &[&str],
    optional: &[&str],
    row: impl Fn(u64, &csv::StringRecord, &[Option<usize>]) -> Result<T, ContextError> + Sync,
) -> Result<Vec<T>, ContextError> {
    let bytes = std::fs::read(path).map_err(|source| ContextError::Io {
        path: path.into(),
        source,
    })?;
    let csv_err = |message: String| ContextError::Csv {
        path: path.into(),
        message,
    };
    let header_end = memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1);
    let mut got = csv::StringRecord::new();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[..header_end])
        .read_record(&mut got)
        .map_err(|e| csv_err(format!("ongeldige CSV: {e}")))?;
    let names: Vec<&str> = got.iter().collect();
    // the optional columns present, in order, each at most once
    let mut at: Vec<Option<usize>> = vec![None; optional.len()];
    let mut next = 0;
    let header_ok = names.len() >= expected.len()
        && names[..expected.len()] == *expected
        && names[expected.len()..].iter().enumerate().all(|(k, n)| {
            match optional[next..].iter().position(|o| o == n) {
                Some(j) => {
                    at[next + j] = Some(expected.len() + k);
                    next += j + 1;
                    true
                }
                None => false,
            }
        });
    if !header_ok {
        let want = if optional.is_empty() {
            format!("{:?}", expected.join(","))
        } else {
            format!(
                "{:?}, eventueel gevolgd door {:?} (in die volgorde)",
                expected.join(","),
                optional.join(",")
            )
        };
        return Err(csv_err(format!(
            "kopregel is {:?}, verwacht {want}",
            names.join(",")
        )));
    }
    let width = names.len();
    let body = &bytes[header_end..];
    // chunks of whole lines: (first line number, bytes)
    let mut chunks: Vec<(u64, &[u8])> = Vec::new();
    let parts = if body.len() < (1 << 20) || memchr::memchr(b'"', body).is_some() {
        1
    } else {
        rayon::current_num_threads() * 4
    };
    let mut start = 0;
    let mut line = 2u64;
    for k in 1..=parts {
        let end = if k == parts {
            body.len()
        } else {
            let at = (body.len() * k / parts).max(start);
            memchr::memchr(b'\n', &body[at..]).map_or(body.len(), |i| at + i + 1)
        };
        if end > start {
            chunks.push((line, &body[start..end]));
            line += memchr::memchr_iter(b'\n', &body[start..end]).count() as u64;
            start = end;
        }
    }
    use rayon::prelude::*;
    let parsed: Vec<Result<Vec<T>, ContextError>> = chunks
        .par_iter()
        .map(|&(first_line, chunk)| {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(chunk);
            let mut out = Vec::new();
            let mut rec = csv::StringRecord::new();
            loop {
                let field_err = |line: u64, message: String| ContextError::Field {
                    path: path.into(),
                    line,
                    column: String::new(),
                    message,
                };
                match rdr.read_record(&mut rec) {
                    Ok(false) => return Ok(out),
                    Ok(true) => {
                        let line = first_line + rec.position().map_or(1, |p| p.line()) - 1;
                        if rec.len() != width {
                            return Err(field_err(
                                line,
                                format!(
                                    "{} velden, verwacht {} ({})",
                                    rec.len(),
                                    width,
                                    names.join(",")
                                ),
                            ));
                        }
                        out.push(row(line, &rec, &at)?);
                    }
                    Err(e) => {
                        let line = first_line + e.position().map_or(1, |p| p.line()) - 1;
                        return Err(match e.kind() {
                            csv::ErrorKind::Utf8 { err, .. } => field_err(
                                line,
                                format!("veld {} is geen geldige UTF-8", err.field() + 1),
                            ),
                            _ => field_err(line, format!("ongeldige CSV: {e}")),
                        });
                    }
                }
            }
        })
        .collect();
    let mut all = Vec::new();
    for p in parsed {
        all.extend(p?);
    }
    Ok(all)
}

pub const CONTRACT_COLUMNS: [&str; 8] = [
    "provider_agb",
    "module",
    "prestatie_codes",
    "start",
    "end",
    "tariff_cents",
    "ceiling_cents",
    "contract_type",
];
pub const CHAIN_COLUMNS: [&str; 4] = ["bsn", "chain", "from", "to"];
pub const INSURED_COLUMNS: [&str; 6] = ["bsn", "uzovi", "birth_date", "postcode", "from", "to"];
/// Columns `insured.csv` may add after [`INSURED_COLUMNS`] (either or both, in this order).
pub const INSURED_OPTIONAL_COLUMNS: [&str; 2] = ["sex", "death_date"];

/// Reads `contracts.csv`.
pub fn read_contracts(path: &Path) -> Result<Vec<Contract>, ContextError> {
    read_csv(path, &CONTRACT_COLUMNS, &[], |line, r, _| {
        let codes = r[2]
            .split(';')
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                Code::parse(s).ok_or_else(|| ContextError::Field {
                    path: path.into(),
                    line,
                    column: "prestatie_codes".into(),
                    message: format!("{s:?} is geen prestatiecode"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Contract {
            provider: int(path, line, "provider_agb", &r[0])?,
            module: r[1].to_string(),
            codes,
            start: parse_date_field(path, line, "start", &r[3])?,
            end: opt_date(path, line, "end", &r[4])?,
            tariff: int(path, line, "tariff_cents", &r[5])?,
            ceiling: if r[6].is_empty() {
                None
            } else {
                Some(int(path, line, "ceiling_cents", &r[6])?)
            },
            contract_type: r[7].to_string(),
        })
    })
}

/// Writes `contracts.csv`.
pub fn write_contracts(path: &Path, contracts: &[Contract]) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "{}", CONTRACT_COLUMNS.join(","))?;
    for c in contracts {
        let codes: Vec<String> = c.codes.iter().map(|c| c.to_string()).collect();
        writeln!(
            w,
            "{:08},{},{},{},{},{},{},{}",
            c.provider,
            csv_field(&c.module),
            codes.join(";"),
            c.start,
            c.end.map(|d| d.to_string()).unwrap_or_default(),
            c.tariff,
            c.ceiling.map(|v| v.to_string()).unwrap_or_default(),
            csv_field(&c.contract_type)
        )?;
    }
    w.flush()
}

/// Quotes a CSV field when needed.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Reads `chains.csv`.
pub fn read_enrolments(path: &Path) -> Result<Vec<Enrolment>, ContextError> {
    read_csv(path, &CHAIN_COLUMNS, &[], |line, r, _| {
        Ok(Enrolment {
            bsn: int(path, line, "bsn", &r[0])?,
            chain: r[1].to_string(),
            from: parse_date_field(path, line, "from", &r[2])?,
            to: opt_date(path, line, "to", &r[3])?,
        })
    })
}

/// Reads `insured.csv`. Every BSN must pass the 11-check.
pub fn read_insured(path: &Path) -> Result<Vec<InsuredPeriod>, ContextError> {
    read_csv(
        path,
        &INSURED_COLUMNS,
        &INSURED_OPTIONAL_COLUMNS,
        |line, r, opt| {
            let bsn: u32 = int(path, line, "bsn", &r[0])?;
            if !bsn_valid(bsn) {
                return Err(ContextError::Field {
                    path: path.into(),
                    line,
                    column: "bsn".into(),
                    message: format!("{bsn} voldoet niet aan de elfproef"),
                });
            }
            Ok(InsuredPeriod {
                bsn,
                uzovi: int(path, line, "uzovi", &r[1])?,
                birth_date: parse_date_field(path, line, "birth_date", &r[2])?,
                postcode: Postcode::new(&r[3]).ok_or_else(|| ContextError::Field {
                    path: path.into(),
                    line,
                    column: "postcode".into(),
                    message: format!("{:?} is langer dan {} tekens", &r[3], Postcode::MAX),
                })?,
                from: parse_date_field(path, line, "from", &r[4])?,
                to: opt_date(path, line, "to", &r[5])?,
                sex: match opt[0].map(|i| &r[i]) {
                    None | Some("") => None,
                    Some("M") => Some(Sex::Male),
                    Some("V") => Some(Sex::Female),
                    Some(o) => {
                        return Err(ContextError::Field {
                            path: path.into(),
                            line,
                            column: "sex".into(),
                            message: format!("{o:?} is geen geslacht: M (man), V (vrouw) of leeg"),
                        });
                    }
                },
                death_date: match opt[1] {
                    None => None,
                    Some(i) => opt_date(path, line, "death_date", &r[i])?,
                },
            })
        },
    )
}

/// Writes `insured.csv`; the optional columns only when some period has a value for them.
pub fn write_insured(path: &Path, insured: &[InsuredPeriod]) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let sex = insured.iter().any(|p| p.sex.is_some());
    let death = insured.iter().any(|p| p.death_date.is_some());
    let mut header = INSURED_COLUMNS.join(",");
    if sex {
        header.push_str(",sex");
    }
    if death {
        header.push_str(",death_date");
    }
    writeln!(w, "{header}")?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for p in insured {
        write!(
            w,
            "{},{},{},{},{},{}",
            p.bsn,
            p.uzovi,
            p.birth_date,
            p.postcode,
            p.from,
            date(p.to)
        )?;
        if sex {
            write!(w, ",{}", p.sex.map_or("", Sex::code))?;
        }
        if death {
            write!(w, ",{}", date(p.death_date))?;
        }
        writeln!(w)?;
    }
    w.flush()
}

impl Context {
    /// Builds the indexes.
    pub fn new(
        contracts: Vec<Contract>,
        enrolments: Vec<Enrolment>,
        mut insured: Vec<InsuredPeriod>,
    ) -> Context {
        insured.sort_by_key(|p| p.bsn);
        let mut insured_index = FxHashMap::default();
        insured_index.reserve(insured.len());
        let mut i = 0;
        while i < insured.len() {
            let mut j = i + 1;
            while j < insured.len() && insured[j].bsn == insured[i].bsn {
                j += 1;
            }
            insured_index.insert(insured[i].bsn, (i as u32, (j - i) as u32));
            i = j;
        }
        let mut enrolment_index: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, e) in enrolments.iter().enumerate() {
            enrolment_index.entry(e.bsn).or_default().push(i as u32);
        }
        Context {
            contracts,
            enrolments,
            insured,
            insured_index,
            enrolment_index,
        }
    }

    /// Loads `contracts.csv`, `chains.csv` and `insured.csv` from `dir`.
    pub fn load_dir(dir: &Path) -> Result<Context, ContextError> {
        let ((contracts, enrolments), insured) = rayon::join(
            || {
                (
                    read_contracts(&dir.join("contracts.csv")),
                    read_enrolments(&dir.join("chains.csv")),
                )
            },
            || read_insured(&dir.join("insured.csv")),
        );
        Ok(Context::new(contracts?, enrolments?, insured?))
    }

    /// The insurance periods of `bsn` (empty when not in the register).
    pub fn periods(&self, bsn: u32) -> &[InsuredPeriod] {
        match self.insured_index.get(&bsn) {
            Some(&(i, n)) => &self.insured[i as usize..(i + n) as usize],
            None => &[],
        }
    }

    /// The enrolments of `bsn`.
    pub fn enrolments_of(&self, bsn: u32) -> impl Iterator<Item = &Enrolment> {
        self.enrolment_index
            .get(&bsn)
            .into_iter()
            .flatten()
            .map(|&i| &self.enrolments[i as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contracts_round_trip_and_errors_name_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("contracts.csv");
        let c = vec![
            Contract {
                provider: 1_234_567,
                module: "smr".into(),
                codes: vec![Code::parse("13001").unwrap()],
                start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(),
                end: Some(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
                tariff: 2500,
                ceiling: None,
                contract_type: "regular, 1 jaar".into(),
            },
            Contract {
                provider: 50_000_001,
                module: "lab".into(),
                codes: vec![],
                start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                end: None,
                tariff: 900,
                ceiling: Some(1_000_000),
                contract_type: "regular".into(),
            },
        ];
        write_contracts(&p, &c).unwrap();
        assert_eq!(read_contracts(&p).unwrap(), c);

        std::fs::write(
            &p,
            "provider_agb,module,prestatie_codes,start,end,tariff_cents,ceiling_cents,contract_type\n\
             1234567,smr,13001,2022-13-01,,100,,x\n",
        )
        .unwrap();
        let e = read_contracts(&p).unwrap_err().to_string();
        assert!(e.contains("regel 2") && e.contains("`start`"), "{e}");
    }

    /// A register large enough to be read in parallel chunks: every row is read, in file
    /// order, and an error deep in the file names its own line.
    #[test]
    fn large_insured_register_is_read_whole_and_in_order_with_exact_error_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("insured.csv");
        let bsns: Vec<u32> = (100_000_000u32..)
            .filter(|&b| bsn_valid(b))
            .take(40_000)
            .collect();
        let mut text = String::from("bsn,uzovi,birth_date,postcode,from,to\n");
        for b in &bsns {
            text.push_str(&format!("{b},3311,1970-01-01,1156AB,2020-01-01,\n"));
        }
        assert!(
            text.len() > 1 << 20,
            "the file must be large enough to be split"
        );
        std::fs::write(&p, &text).unwrap();
        let got = read_insured(&p).unwrap();
        assert_eq!(got.len(), 40_000);
        assert!(got.iter().zip(&bsns).all(|(g, b)| g.bsn == *b));

        // line 30,001 of the file is row 30,000 (after the header)
        let bad = text.replacen(
            &format!("{},3311,1970-01-01", bsns[29_999]),
            &format!("{},3311,1970-13-01", bsns[29_999]),
            1,
        );
        std::fs::write(&p, bad).unwrap();
        let e = read_insured(&p).unwrap_err().to_string();
        assert!(
            e.contains("regel 30001") && e.contains("`birth_date`"),
            "{e}"
        );

        let mut bytes = text.into_bytes();
        let at = bytes.len() - 10;
        bytes[at] = 0xff;
        std::fs::write(&p, bytes).unwrap();
        let e = read_insured(&p).unwrap_err().to_string();
        assert!(e.contains("regel 40001") && e.contains("UTF-8"), "{e}");
        // a fault of the whole line names no column
        assert!(
            e.contains("regel 40001: veld ") && !e.contains("kolom"),
            "{e}"
        );
    }

    /// The register may carry `sex` and `death_date` after the six columns (either or both, in
    /// that order); a register without them reads as before.
    #[test]
    fn insured_register_with_and_without_the_optional_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("insured.csv");
        std::fs::write(
            &p,
            "bsn,uzovi,birth_date,postcode,from,to\n111222333,3311,1940-05-01,1156AB,2000-01-01,\n",
        )
        .unwrap();
        let plain = read_insured(&p).unwrap();
        assert_eq!((plain[0].sex, plain[0].death_date), (None, None));

        std::fs::write(
            &p,
            "bsn,uzovi,birth_date,postcode,from,to,sex,death_date\n\
             111222333,3311,1940-05-01,1156AB,2000-01-01,,V,2020-01-15\n\
             123456782,3311,1950-05-01,1156AB,2000-01-01,,M,\n",
        )
        .unwrap();
        let both = read_insured(&p).unwrap();
        assert_eq!(both[0].sex, Some(Sex::Female));
        assert_eq!(both[0].death_date, NaiveDate::from_ymd_opt(2020, 1, 15));
        assert_eq!((both[1].sex, both[1].death_date), (Some(Sex::Male), None));
        // written back as read
        let again = dir.path().join("again.csv");
        write_insured(&again, &both).unwrap();
        assert_eq!(read_insured(&again).unwrap(), both);

        std::fs::write(
            &p,
            "bsn,uzovi,birth_date,postcode,from,to,death_date\n111222333,3311,1940-05-01,1156AB,2000-01-01,,2020-01-15\n",
        )
        .unwrap();
        assert_eq!(read_insured(&p).unwrap()[0].sex, None);

        std::fs::write(
            &p,
            "bsn,uzovi,birth_date,postcode,from,to,death_date,sex\n111222333,3311,1940-05-01,1156AB,2000-01-01,,,V\n",
        )
        .unwrap();
        let e = read_insured(&p).unwrap_err().to_string();
        assert!(e.contains("in die volgorde"), "{e}");
        std::fs::write(
            &p,
            "bsn,uzovi,birth_date,postcode,from,to,sex\n111222333,3311,1940-05-01,1156AB,2000-01-01,,X\n",
        )
        .unwrap();
        let e = read_insured(&p).unwrap_err().to_string();
        assert!(e.contains("regel 2") && e.contains("`sex`"), "{e}");
    }
}
