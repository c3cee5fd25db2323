//! Which claim rules apply to a claim line.
//!
//! A line is checked against the rules of one policy: the policy whose domain is the line's
//! domain and whose contract period covers the line's service date (start date). The domain of
//! a line is known from its prestatie code: a code belongs to the domain of the policy whose
//! modules (or claim rules) name it. Both GP policies are domain `huisartsenzorg`, so a GP code
//! dated in 2022 is checked against `gp-2022-2023` and never against `gp-2020-2021`, and a GP
//! line never against a district-nursing rule. A code that no policy names, or a date that no
//! policy of the code's domain covers, has no policy: only the built-in generic rules apply.
//!
//! One exception: a code with a `claim-window` rule is claimed after the year it is about (FGV:
//! in the second quarter after the measured year). When no policy covers its date, the policy
//! whose period includes the year before governs it (the 2022-2023 GP policy lists the FGV claim
//! over 2023 in April-June 2024 in its own timeline).
//!
//! The generic kinds (`insured-on-date`, `requires-contract`, `max-tariff`, `duplicate`) are
//! checked once per line: the policy's first rule of that kind whose `applies_to` covers the
//! code (rules with a narrower `applies_to` first), else the built-in one. The other kinds are
//! all checked, each with its own reason.
//!
//! The rule lists are resolved once per policy (plus one list for lines without a policy) when
//! the checker is built; choosing them for a line is a hash lookup and a scan over the few
//! policies of one domain, without allocation.

use crate::ident::Code;
use crate::rules::{Kind, RuleSet};
use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};

/// The rules one policy brings to a line, by how the checker uses them (indexes into
/// [`RuleSet::rules`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeRules {
    pub insured: Vec<u16>,
    pub contract: Vec<u16>,
    pub tariff: Vec<u16>,
    pub duplicate: Vec<u16>,
    /// Rules of the per-line kinds (chains, postcode, age, agreement, claimant, claim window,
    /// lapsed prestatie, once per period); every one whose `applies_to` covers the code counts.
    pub line: Vec<u16>,
}

/// The rule lists per policy, and the index from (code, date) to a policy.
#[derive(Debug, Clone)]
pub struct Scopes {
    code_domain: FxHashMap<Code, u8>,
    /// Per domain: (period start, period end, scope index).
    domain_policies: Vec<Vec<(NaiveDate, NaiveDate, u16)>>,
    /// One per policy (in [`RuleSet::policies`] order), then one for lines without a policy.
    scopes: Vec<ScopeRules>,
    /// Codes of `claim-window` rules: claimed the year after the year they are about.
    window_codes: FxHashSet<Code>,
}

impl Scopes {
    pub fn new(rs: &RuleSet) -> Scopes {
        let mut domains: Vec<&str> = Vec::new();
        let mut code_domain: FxHashMap<Code, u8> = FxHashMap::default();
        let mut domain_policies: Vec<Vec<(NaiveDate, NaiveDate, u16)>> = Vec::new();
        for (pi, p) in rs.policies.iter().enumerate() {
            let di = match domains.iter().position(|d| *d == p.domain) {
                Some(i) => i,
                None => {
                    domains.push(&p.domain);
                    domain_policies.push(Vec::new());
                    domains.len() - 1
                }
            };
            domain_policies[di].push((p.start, p.end, pi as u16));
            for c in &p.codes {
                if let Some(code) = Code::parse(c) {
                    // the first policy naming a code decides its domain
                    code_domain.entry(code).or_insert(di as u8);
                }
            }
        }
        for v in &mut domain_policies {
            v.sort();
        }
        let mut scopes = Vec::with_capacity(rs.policies.len() + 1);
        for pi in (0..rs.policies.len()).map(Some).chain([None]) {
            let mut s = ScopeRules::default();
            // the policy's own rules first, with a narrower applies_to before a catch-all one
            let mut own: Vec<u16> = (0..rs.rules.len() as u16)
                .filter(|&i| {
                    let r = &rs.rules[i as usize];
                    pi.is_some() && r.policy_index == pi.map(|p| p as u16)
                })
                .collect();
            own.sort_by_key(|&i| rs.rules[i as usize].applies_all);
            let builtins =
                (0..rs.rules.len() as u16).filter(|&i| rs.rules[i as usize].policy_index.is_none());
            for i in own.into_iter().chain(builtins) {
                match rs.rules[i as usize].kind {
                    Kind::InsuredOnDate { .. } => s.insured.push(i),
                    Kind::RequiresContract { .. } => s.contract.push(i),
                    Kind::MaxTariff => s.tariff.push(i),
                    Kind::Duplicate => s.duplicate.push(i),
                    // settled per contract at the end of a run
                    Kind::RevenueCeiling { .. } => {}
                    _ => {
                        if rs.rules[i as usize].policy_index.is_some() {
                            s.line.push(i)
                        }
                    }
                }
            }
            s.line.sort();
            scopes.push(s);
        }
        let window_codes = rs
            .rules
            .iter()
            .filter(|r| matches!(r.kind, Kind::ClaimWindow { .. }))
            .flat_map(|r| r.code_set.iter().copied())
            .collect();
        Scopes {
            code_domain,
            domain_policies,
            scopes,
            window_codes,
        }
    }

    /// The index of the policy that governs a line with this code and service date, if any.
    pub fn policy_of(&self, code: &Code, date: NaiveDate) -> Option<usize> {
        let policies = &self.domain_policies[*self.code_domain.get(code)? as usize];
        let covering = policies
            .iter()
            .find(|(from, to, _)| *from <= date && date <= *to);
        match covering {
            Some(p) => Some(p.2 as usize),
            None if self.window_codes.contains(code) => {
                let year = date.year() - 1;
                policies
                    .iter()
                    .find(|(from, to, _)| from.year() <= year && year <= to.year())
                    .map(|p| p.2 as usize)
            }
            None => None,
        }
    }

    /// The rules that apply to a line with this code and service date.
    pub fn rules_for(&self, code: &Code, date: NaiveDate) -> &ScopeRules {
        let i = self.policy_of(code, date).unwrap_or(self.scopes.len() - 1);
        &self.scopes[i]
    }
}
