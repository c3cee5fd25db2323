//! What the claims cannot tell about a provider: whether it had a 2020 contract (table 1), its
//! efficiency group (the efficiency model, part 2 of the issue, not built yet), its integral
//! tariff per 5 minutes in the reference period (to turn amounts into hours), and its
//! efficiency agreement (bijlage 6).
//!
//! Read from a CSV file with the header
//! `provider_agb,contract_2020,efficiency_group,tariff_ref_cents,agreement_improvement`
//! (after `provider_agb` the columns may come in any order or be left out; a sixth,
//! `new_budget_cents`, is the budget offered to a new provider):
//! `contract_2020` is `ja`/`nee`; `efficiency_group` 1-5 or empty; `tariff_ref_cents` whole
//! cents or empty; `agreement_improvement` the improvement agreed as a ratio (`0.05` = 5 %)
//! or empty when no agreement was made. A provider not in the file is taken as one with a 2020
//! contract when it has approved claims in the reference period, as new otherwise, without a
//! group or agreement.

use crate::SettleError;
use crate::error::is_agb;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// An efficiency agreement (bijlage 6).
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// The improvement of hours per client-month agreed, as a ratio (0.05 = 5 % fewer hours).
    pub required_improvement: Decimal,
}

/// One provider's terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderTerms {
    /// `None`: not known (derived from the claims, see the module docs).
    pub contract_2020: Option<bool>,
    pub efficiency_group: Option<u8>,
    /// Integral tariff per 5 minutes in the reference period, cents.
    pub tariff_ref_cents: Option<i64>,
    pub agreement: Option<Agreement>,
    /// The budget offered to a new provider for 2021, cents ("bieden wij nieuwe
    /// zorgaanbieders in 2021 een budget en tarief aan"); capped by the policy's maximum.
    pub new_budget_cents: Option<i64>,
}

/// The terms of every provider named, by AGB code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermsSet {
    pub providers: BTreeMap<String, ProviderTerms>,
}

/// The columns a terms file may have; `provider_agb` first, the others in any order and each
/// optional (a column left out is empty for every provider).
const COLUMNS: &[&str] = &[
    "provider_agb",
    "contract_2020",
    "efficiency_group",
    "tariff_ref_cents",
    "agreement_improvement",
    "new_budget_cents",
];

impl TermsSet {
    /// Reads a terms file.
    pub fn load(path: &Path) -> Result<TermsSet, SettleError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettleError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses the text of a terms file (`path` only names it in errors).
    pub fn parse(path: &Path, text: &str) -> Result<TermsSet, SettleError> {
        let bad = |line: usize, problem: String| SettleError::Terms {
            file: path.to_path_buf(),
            line,
            problem,
        };
        let mut lines = text.lines().enumerate();
        let header: Vec<&str> = match lines.next() {
            Some((_, h)) => h.split(',').map(str::trim).collect(),
            None => Vec::new(),
        };
        if header.first() != Some(&"provider_agb")
            || header.iter().any(|c| !COLUMNS.contains(c))
            || (1..header.len()).any(|i| header[..i].contains(&header[i]))
        {
            return Err(bad(
                1,
                format!(
                    "kopregel moet beginnen met provider_agb, gevolgd door kolommen uit: {}",
                    COLUMNS[1..].join(", ")
                ),
            ));
        }
        let mut set = TermsSet::default();
        for (i, line) in lines {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() != header.len() {
                return Err(bad(
                    n,
                    format!("{} velden, verwacht {}", fields.len(), header.len()),
                ));
            }
            let col = |name: &str| {
                header
                    .iter()
                    .position(|c| *c == name)
                    .map_or("", |i| fields[i])
            };
            let agb = col("provider_agb");
            if !is_agb(agb) {
                return Err(bad(n, format!("AGB-code `{agb}` is geen 8 cijfers")));
            }
            let contract_2020 = match col("contract_2020") {
                "ja" => Some(true),
                "nee" => Some(false),
                "" => None,
                o => return Err(bad(n, format!("contract_2020 `{o}`: verwacht ja of nee"))),
            };
            let efficiency_group = match col("efficiency_group") {
                "" => None,
                g => match g.parse::<u8>() {
                    Ok(g @ 1..=5) => Some(g),
                    _ => {
                        return Err(bad(
                            n,
                            format!("efficiency_group `{g}`: verwacht 1 tot en met 5"),
                        ));
                    }
                },
            };
            let positive_cents = |name: &str| match col(name) {
                "" => Ok(None),
                t => match t.parse::<i64>() {
                    Ok(t) if t > 0 => Ok(Some(t)),
                    _ => Err(bad(
                        n,
                        format!("{name} `{t}`: verwacht hele centen, groter dan 0"),
                    )),
                },
            };
            let tariff_ref_cents = positive_cents("tariff_ref_cents")?;
            let new_budget_cents = positive_cents("new_budget_cents")?;
            let agreement = match col("agreement_improvement") {
                "" => None,
                a => match Decimal::from_str(a) {
                    Ok(r) if r > Decimal::ZERO && r <= Decimal::ONE => Some(Agreement {
                        required_improvement: r,
                    }),
                    _ => {
                        return Err(bad(
                            n,
                            format!(
                                "agreement_improvement `{a}`: verwacht een verhouding groter dan 0 en ten hoogste 1"
                            ),
                        ));
                    }
                },
            };
            let terms = ProviderTerms {
                contract_2020,
                efficiency_group,
                tariff_ref_cents,
                agreement,
                new_budget_cents,
            };
            if set.providers.insert(agb.to_string(), terms).is_some() {
                return Err(bad(n, format!("AGB-code {agb} staat er twee keer in")));
            }
        }
        Ok(set)
    }
}

/// The contract of a laboratory or thrombosis service (document 003, 3.1 and 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabContract {
    /// `regulier`: a regular lab contract (lab-regular): the excess over the ceiling is not
    /// paid.
    Regular,
    /// `voorkeur`: a preferred lab contract (lab-preferred): ceiling with post-calculation.
    Preferred,
    /// `trombose`: the thrombosis contract (thrombosis-care): the excess is not paid.
    Thrombosis,
}

impl LabContract {
    /// The value in the terms file.
    pub fn as_str(self) -> &'static str {
        match self {
            LabContract::Regular => "regulier",
            LabContract::Preferred => "voorkeur",
            LabContract::Thrombosis => "trombose",
        }
    }
}

/// One laboratory's or thrombosis service's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabTerms {
    pub contract: LabContract,
    /// The revenue ceiling for the year, all locations together, in cents.
    pub ceiling_cents: i64,
}

/// The terms of every laboratory and thrombosis service named, by AGB code.
///
/// Read from a CSV file with the header `provider_agb,contract,ceiling_cents`: `contract` is
/// `regulier`, `voorkeur` or `trombose`; `ceiling_cents` the revenue ceiling of the year in
/// whole cents (0 or more), for all the provider's locations together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabTermsSet {
    pub providers: BTreeMap<String, LabTerms>,
}

/// The header of a lab terms file.
pub const LAB_HEADER: &str = "provider_agb,contract,ceiling_cents";

impl LabTermsSet {
    /// Reads a terms file.
    pub fn load(path: &Path) -> Result<LabTermsSet, SettleError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettleError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses the text of a lab terms file (`path` only names it in errors).
    pub fn parse(path: &Path, text: &str) -> Result<LabTermsSet, SettleError> {
        let bad = |line: usize, problem: String| SettleError::Terms {
            file: path.to_path_buf(),
            line,
            problem,
        };
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, h)) if h.trim() == LAB_HEADER => {}
            _ => return Err(bad(1, format!("kopregel moet zijn: {LAB_HEADER}"))),
        }
        let mut set = LabTermsSet::default();
        for (i, line) in lines {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            if f.len() != 3 {
                return Err(bad(n, format!("{} velden, verwacht 3", f.len())));
            }
            if !is_agb(f[0]) {
                return Err(bad(n, format!("AGB-code `{}` is geen 8 cijfers", f[0])));
            }
            let contract = match f[1] {
                "regulier" => LabContract::Regular,
                "voorkeur" => LabContract::Preferred,
                "trombose" => LabContract::Thrombosis,
                o => {
                    return Err(bad(
                        n,
                        format!("contract `{o}`: verwacht regulier, voorkeur of trombose"),
                    ));
                }
            };
            let ceiling_cents = match f[2].parse::<i64>() {
                Ok(c) if c >= 0 => c,
                _ => {
                    return Err(bad(
                        n,
                        format!("ceiling_cents `{}`: verwacht hele centen, 0 of meer", f[2]),
                    ));
                }
            };
            let terms = LabTerms {
                contract,
                ceiling_cents,
            };
            if set.providers.insert(f[0].to_string(), terms).is_some() {
                return Err(bad(n, format!("AGB-code {} staat er twee keer in", f[0])));
            }
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "provider_agb,contract_2020,efficiency_group,tariff_ref_cents,agreement_improvement";

    #[test]
    fn parses_and_refuses() {
        let p = Path::new("t.csv");
        let s = TermsSet::parse(
            p,
            &format!("{HEADER}\n01234567,ja,2,650,0.05\n07654321,nee,,,\n"),
        )
        .unwrap();
        let a = &s.providers["01234567"];
        assert_eq!(a.efficiency_group, Some(2));
        assert_eq!(a.tariff_ref_cents, Some(650));
        assert_eq!(
            a.agreement.as_ref().unwrap().required_improvement,
            Decimal::new(5, 2)
        );
        assert_eq!(s.providers["07654321"].contract_2020, Some(false));
        let e = TermsSet::parse(p, &format!("{HEADER}\n01234567,ja,6,,\n")).unwrap_err();
        assert!(e.to_string().contains("regel 2"), "{e}");
        assert!(TermsSet::parse(p, "agb\n").is_err());
        assert!(TermsSet::parse(p, &format!("{HEADER}\n1234567,ja,,,\n")).is_err());
    }

    #[test]
    fn columns_come_by_name_and_a_new_provider_may_have_an_offered_budget() {
        let p = Path::new("t.csv");
        let s = TermsSet::parse(
            p,
            "provider_agb,new_budget_cents,contract_2020\n07654321,20000000,nee\n",
        )
        .unwrap();
        let t = &s.providers["07654321"];
        assert_eq!(t.new_budget_cents, Some(20_000_000));
        assert_eq!(t.contract_2020, Some(false));
        assert_eq!(t.efficiency_group, None);
        for bad in [
            "contract_2020,provider_agb\n",
            "provider_agb,budget\n",
            "provider_agb,contract_2020,contract_2020\n",
        ] {
            let e = TermsSet::parse(p, bad).unwrap_err();
            assert!(e.to_string().contains("kopregel"), "{bad}: {e}");
        }
        let e = TermsSet::parse(p, "provider_agb,new_budget_cents\n07654321,-5\n").unwrap_err();
        assert!(e.to_string().contains("new_budget_cents"), "{e}");
    }

    #[test]
    fn lab_terms_parse_and_refuse() {
        let p = Path::new("labs.csv");
        let s = LabTermsSet::parse(
            p,
            &format!("{LAB_HEADER}\n50000001,voorkeur,8000000\n34000001,trombose,0\n"),
        )
        .unwrap();
        assert_eq!(
            s.providers["50000001"],
            LabTerms {
                contract: LabContract::Preferred,
                ceiling_cents: 8_000_000
            }
        );
        assert_eq!(s.providers["34000001"].contract, LabContract::Thrombosis);
        let e = LabTermsSet::parse(p, &format!("{LAB_HEADER}\n50000001,plus,1\n")).unwrap_err();
        assert!(e.to_string().contains("regel 2"), "{e}");
        assert!(LabTermsSet::parse(p, &format!("{LAB_HEADER}\n50000001,regulier,-1\n")).is_err());
        assert!(LabTermsSet::parse(p, "agb\n").is_err());
    }
}
