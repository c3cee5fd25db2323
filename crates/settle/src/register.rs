//! The insured register and the regional scores, read from a context folder of the claims
//! checker (`--context DIR`): `insured.csv` with its optional columns `sex` and `death_date`,
//! and `region_scores.csv` (`postcode4,score`). The efficiency model needs both, the
//! client-per-postcode ratio the register's postcodes.
//!
//! Read in Rust rather than joined in DataFusion SQL: the register is the checker's own file,
//! read by the checker's own reader (same validation, same messages, the 11-check); a person
//! has one period per address, and the address that counts is the one of a given day, a range
//! lookup that is a few lines here and an awkward non-equi join in SQL; and what it is joined
//! with is small (one row per provider and client, aggregated by DataFusion). Only the persons
//! the claims name are kept.

use crate::SettleError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::str::FromStr;
use zorginkoop_claims::context::{InsuredPeriod, read_insured};

/// The register (persons named by the claims) and the regional scores.
#[derive(Debug, Clone, Default)]
pub struct Register {
    persons: HashMap<u32, Vec<InsuredPeriod>>,
    scores: BTreeMap<u16, Decimal>,
}

/// The header of `region_scores.csv`.
pub const REGION_SCORES_HEADER: &str = "postcode4,score";

impl Register {
    /// Reads `insured.csv` and (with `scores`) `region_scores.csv` from `dir`, keeping the
    /// persons in `bsns` (all when `None`).
    pub fn load_dir(
        dir: &Path,
        bsns: Option<&BTreeSet<String>>,
        scores: bool,
    ) -> Result<Register, SettleError> {
        let insured_path = dir.join("insured.csv");
        let mut insured = read_insured(&insured_path).map_err(|e| SettleError::Context {
            file: insured_path.clone(),
            problem: e.to_string(),
        })?;
        if let Some(keep) = bsns {
            let keep: BTreeSet<u32> = keep.iter().filter_map(|b| b.parse().ok()).collect();
            insured.retain(|p| keep.contains(&p.bsn));
        }
        if !scores {
            return Ok(Register::new(insured, BTreeMap::new()));
        }
        let scores_path = dir.join("region_scores.csv");
        let text = std::fs::read_to_string(&scores_path).map_err(|source| SettleError::Io {
            file: scores_path.clone(),
            source,
        })?;
        let scores = parse_scores(&scores_path, &text)?;
        Ok(Register::new(insured, scores))
    }

    /// A register from its parts.
    pub fn new(insured: Vec<InsuredPeriod>, scores: BTreeMap<u16, Decimal>) -> Register {
        let mut persons: HashMap<u32, Vec<InsuredPeriod>> = HashMap::new();
        for p in insured {
            persons.entry(p.bsn).or_default().push(p);
        }
        for v in persons.values_mut() {
            v.sort_by_key(|p| p.from);
        }
        Register { persons, scores }
    }

    /// The register period of `bsn` on `day`: the one covering it, else the last one starting
    /// before it, else the first; `None` when the person is not in the register.
    pub fn on(&self, bsn: &str, day: NaiveDate) -> Option<&InsuredPeriod> {
        let v = self.persons.get(&bsn.parse::<u32>().ok()?)?;
        v.iter()
            .find(|p| p.from <= day && p.to.is_none_or(|t| day <= t))
            .or_else(|| v.iter().rev().find(|p| p.from <= day))
            .or_else(|| v.first())
    }

    /// The regional score of a 4-digit postcode.
    pub fn score(&self, postcode4: u16) -> Option<Decimal> {
        self.scores.get(&postcode4).copied()
    }
}

/// Parses `region_scores.csv`: the header `postcode4,score`, then a 4-digit postcode and a
/// decimal score per line.
pub fn parse_scores(path: &Path, text: &str) -> Result<BTreeMap<u16, Decimal>, SettleError> {
    let bad = |line: usize, problem: String| SettleError::Context {
        file: path.to_path_buf(),
        problem: format!("regel {line}: {problem}"),
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim() == REGION_SCORES_HEADER => {}
        _ => {
            return Err(bad(
                1,
                format!("kopregel moet zijn: {REGION_SCORES_HEADER}"),
            ));
        }
    }
    let mut scores = BTreeMap::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let (pc, score) = line
            .split_once(',')
            .ok_or_else(|| bad(n, "verwacht postcode4,score".into()))?;
        let pc4 = match pc.trim().parse::<u16>() {
            Ok(p @ 1000..=9999) => p,
            _ => return Err(bad(n, format!("`{pc}` is geen 4-cijferige postcode"))),
        };
        let score = Decimal::from_str(score.trim())
            .map_err(|_| bad(n, format!("score `{score}` is geen getal")))?;
        if scores.insert(pc4, score).is_some() {
            return Err(bad(n, format!("postcode {pc4} staat er twee keer in")));
        }
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_parse_and_refuse() {
        let p = Path::new("region_scores.csv");
        let s = parse_scores(p, "postcode4,score\n1011,1.20\n9999,0.85\n").unwrap();
        assert_eq!(s[&1011], Decimal::new(120, 2));
        assert!(parse_scores(p, "pc,score\n").is_err());
        let e = parse_scores(p, "postcode4,score\n101,1\n").unwrap_err();
        assert!(e.to_string().contains("regel 2"), "{e}");
        assert!(parse_scores(p, "postcode4,score\n1011,x\n").is_err());
    }
}
