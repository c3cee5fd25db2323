//! The rule evaluation for one claim line: stateless rules (insured, contract, tariff, chain,
//! postcode, age, agreement, claimant, claim window, lapsed prestatie) in parallel, then the
//! order-dependent ones (duplicate, once-per-period) in input order, and the revenue ceiling at
//! the end of a run. Which rules a line meets is decided by [`crate::scope`]; a line carries
//! each reason code at most once (rules sharing a reason code share one reason).

use crate::context::Context;
use crate::ident::{Code, agb_prefix, age_on};
use crate::rules::{Kind, RuleSet, module_code_sets};
use crate::scope::{ScopeRules, Scopes};
use crate::vektis::{Decision, Line, ReturnCode};
use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

/// One reason on a line: an index into [`Checker::reasons`], its return code and element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reason {
    pub reason: u16,
    pub return_code: u16,
    pub element: u16,
}

/// A reason's names.
#[derive(Debug, Clone)]
pub struct ReasonDef {
    /// Our stable reason code, e.g. `ZK-DUPLICATE`.
    pub code: String,
    /// The rule id (or a fixed name for format faults).
    pub rule: String,
    pub policy: String,
    /// The rule's default return code (format faults carry their own).
    pub return_code: u16,
}

pub const MAX_REASONS: usize = 6;
const NONE: u32 = u32::MAX;

/// The decision on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub decision: Decision,
    /// Granted amount in signed cents.
    pub granted: i64,
    pub reasons: [Reason; MAX_REASONS],
    pub n_reasons: u8,
    /// Matched contract (index in the context), or none.
    pub contract: u32,
    /// Ceiling rule that applies through the contract, or none.
    pub ceiling_rule: u32,
}

impl Outcome {
    pub fn new(claimed: i64) -> Outcome {
        Outcome {
            decision: Decision::Granted,
            granted: claimed,
            reasons: [Reason::default(); MAX_REASONS],
            n_reasons: 0,
            contract: NONE,
            ceiling_rule: NONE,
        }
    }
    pub fn rejected_with(r: Reason) -> Outcome {
        let mut o = Outcome::new(0);
        o.reject(r);
        o
    }
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons[..self.n_reasons as usize]
    }
    fn push(&mut self, r: Reason) {
        // each reason once on a line, whatever element it names
        if (self.n_reasons as usize) < MAX_REASONS
            && !self.reasons().iter().any(|x| x.reason == r.reason)
        {
            self.reasons[self.n_reasons as usize] = r;
            self.n_reasons += 1;
        }
    }
    pub fn reject(&mut self, r: Reason) {
        self.push(r);
        self.decision = Decision::Rejected;
        self.granted = 0;
    }
    fn reduce(&mut self, r: Reason, to: i64) {
        self.push(r);
        if self.decision != Decision::Rejected {
            self.granted = to;
            self.decision = Decision::Reduced;
        }
    }
    /// Up to three distinct return codes for the return message (no allocation: a small
    /// array that derefs to a slice).
    pub fn return_codes(&self) -> ReturnCodes {
        let mut v = ReturnCodes {
            codes: [ReturnCode {
                code: 0,
                element: 0,
            }; 3],
            len: 0,
        };
        for r in self.reasons() {
            if v.len < 3 && !v.iter().any(|c| c.code == r.return_code) {
                v.codes[v.len] = ReturnCode {
                    code: r.return_code,
                    element: r.element,
                };
                v.len += 1;
            }
        }
        v
    }
}

/// At most three return codes, as a line of a return message carries.
#[derive(Debug, Clone, Copy)]
pub struct ReturnCodes {
    codes: [ReturnCode; 3],
    len: usize,
}

impl std::ops::Deref for ReturnCodes {
    type Target = [ReturnCode];
    fn deref(&self) -> &[ReturnCode] {
        &self.codes[..self.len]
    }
}

/// The state that order-dependent rules carry across lines, files and runs.
#[derive(Debug, Default)]
pub struct State {
    /// Hashes of (provider, BSN, prestatie, date, reference) already claimed.
    pub seen: FxHashSet<u64>,
    /// Hashes of (rule id, BSN, period) already used by a once-per-period rule.
    pub once: FxHashSet<u64>,
    /// Record the keys added in `added_seen` and `added_once` (a run with a claims history).
    pub record_added: bool,
    /// The keys of `seen` added since the state was loaded (in the order added), when
    /// `record_added`: what this run adds to the claims history.
    pub added_seen: Vec<u64>,
    /// The keys of `once` added since the state was loaded.
    pub added_once: Vec<u64>,
}

const STATE_MAGIC: &[u8; 8] = b"ZKSEEN1\n";

impl State {
    /// Loads the state file; a missing file is an empty state.
    pub fn load(path: &Path) -> std::io::Result<State> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(e),
        };
        let bad = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}: geen statusbestand van de claimscontrole",
                    path.display()
                ),
            )
        };
        if bytes.len() < 24 || &bytes[..8] != STATE_MAGIC {
            return Err(bad());
        }
        let rd = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap());
        let n_seen = rd(8) as usize;
        let n_once = rd(16) as usize;
        if bytes.len() != 24 + 8 * (n_seen + n_once) {
            return Err(bad());
        }
        let mut st = State::default();
        st.seen.reserve(n_seen);
        st.once.reserve(n_once);
        for i in 0..n_seen {
            st.seen.insert(rd(24 + 8 * i));
        }
        for i in 0..n_once {
            st.once.insert(rd(24 + 8 * (n_seen + i)));
        }
        Ok(st)
    }

    /// Writes the state file (sorted, so the bytes are reproducible).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut seen: Vec<u64> = self.seen.iter().copied().collect();
        let mut once: Vec<u64> = self.once.iter().copied().collect();
        seen.sort_unstable();
        once.sort_unstable();
        let mut out = Vec::with_capacity(24 + 8 * (seen.len() + once.len()));
        out.extend_from_slice(STATE_MAGIC);
        out.extend_from_slice(&(seen.len() as u64).to_le_bytes());
        out.extend_from_slice(&(once.len() as u64).to_le_bytes());
        for v in seen.iter().chain(&once) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, out)?;
        std::fs::rename(tmp, path)
    }
}

/// Rules and context, indexed for checking.
pub struct Checker {
    pub rules: RuleSet,
    pub ctx: Context,
    pub reasons: Vec<ReasonDef>,
    contract_index: FxHashMap<(u32, Code), Vec<(u32, bool)>>,
    /// Per contract: the revenue-ceiling rule that applies, or NONE.
    contract_ceiling: Vec<u32>,
    /// The rules per policy, and which policy governs a line.
    pub scopes: Scopes,
    /// Per rule: the reason it reports (rules with the same reason code share one).
    canon: Vec<u16>,
    /// Per `requires-contract` rule: the codes that need no contract.
    no_contract_codes: Vec<FxHashSet<Code>>,
    /// Per `requires-contract` rule: the module a contract is required for as well.
    required_module: Vec<Option<u16>>,
    /// (provider, module) → contracts of that module.
    module_contracts: FxHashMap<(u32, u16), Vec<u32>>,
    /// Per chain rule: the chains as a bit set (bit = chain id).
    chain_mask: Vec<u64>,
    /// Per enrolment: its chain id (chains compared case-insensitively), or none.
    enrol_chain: Vec<u8>,
    /// Per `not-during` rule: the consult codes it refuses while a programme runs.
    consult_codes: Vec<FxHashSet<Code>>,
    rule_hash: Vec<u64>,
}

/// Fixed reasons after the rules.
pub const R_FORMAT: &str = "ZK-FORMAT";
pub const R_FILE: &str = "ZK-FILE-REJECTED";
pub const R_OUTSIDE: &str = "ZK-OUTSIDE-CONTRACT";
pub const R_RATE: &str = "ZK-NO-CONTRACT-RATE";

impl Checker {
    pub fn new(rules: RuleSet, ctx: Context) -> Checker {
        let mut reasons: Vec<ReasonDef> = rules
            .rules
            .iter()
            .map(|r| ReasonDef {
                code: r.reason_code.clone(),
                rule: r.id.clone(),
                policy: r.policy.clone(),
                return_code: r.return_code,
            })
            .collect();
        let fixed = |code: &str, rule: &str, ret: u16| ReasonDef {
            code: code.into(),
            rule: rule.into(),
            policy: "built-in".into(),
            return_code: ret,
        };
        reasons.push(fixed(R_FORMAT, "record-format", 804));
        reasons.push(fixed(R_FILE, "file-structure", 1));
        reasons.push(fixed(R_OUTSIDE, "requires-contract", 613));
        reasons.push(fixed(R_RATE, "requires-contract", 611));
        let modules = module_code_sets(&rules);
        let mut contract_index: FxHashMap<(u32, Code), Vec<(u32, bool)>> = FxHashMap::default();
        for (i, c) in ctx.contracts.iter().enumerate() {
            if c.codes.is_empty() {
                for code in modules.get(&c.module).into_iter().flatten() {
                    contract_index
                        .entry((c.provider, *code))
                        .or_default()
                        .push((i as u32, false));
                }
            } else {
                for code in &c.codes {
                    contract_index
                        .entry((c.provider, *code))
                        .or_default()
                        .push((i as u32, true));
                }
            }
        }
        let contract_ceiling = ctx
            .contracts
            .iter()
            .map(|c| {
                if c.ceiling.is_none() {
                    return NONE;
                }
                rules
                    .rules
                    .iter()
                    .position(|r| {
                        matches!(r.kind, Kind::RevenueCeiling { not_paid: true })
                            && (r.applies_all || r.modules.contains(&c.module))
                    })
                    .map_or(NONE, |i| i as u32)
            })
            .collect();
        let mut chain_ids: FxHashMap<String, u8> = FxHashMap::default();
        let mut module_ids: FxHashMap<String, u16> = FxHashMap::default();
        let mut module_id = |m: &str| {
            let n = module_ids.len() as u16;
            *module_ids.entry(m.to_string()).or_insert(n)
        };
        // a contract counts for a module when it is a contract of that module or an explicit
        // agreement on one of the module's codes
        let mut code_modules: FxHashMap<Code, Vec<u16>> = FxHashMap::default();
        for (m, codes) in &modules {
            let id = module_id(m);
            for c in codes {
                code_modules.entry(*c).or_default().push(id);
            }
        }
        let mut module_contracts: FxHashMap<(u32, u16), Vec<u32>> = FxHashMap::default();
        for (i, c) in ctx.contracts.iter().enumerate() {
            let mut ids = vec![module_id(&c.module)];
            for code in &c.codes {
                ids.extend(code_modules.get(code).into_iter().flatten().copied());
            }
            ids.sort_unstable();
            ids.dedup();
            for m in ids {
                module_contracts
                    .entry((c.provider, m))
                    .or_default()
                    .push(i as u32);
            }
        }
        let n = rules.rules.len();
        let mut no_contract_codes = vec![FxHashSet::default(); n];
        let mut required_module = vec![None; n];
        let mut chain_mask = vec![0u64; n];
        let mut consult_codes = vec![FxHashSet::default(); n];
        for (i, r) in rules.rules.iter().enumerate() {
            match &r.kind {
                Kind::NotDuring { consults, .. } => {
                    consult_codes[i].extend(consults.iter().filter_map(|c| Code::parse(c)));
                }
                Kind::RequiresContract {
                    module,
                    no_contract_codes: nc,
                    ..
                } => {
                    for c in nc {
                        match modules.get(c) {
                            Some(set) => no_contract_codes[i].extend(set.iter().copied()),
                            None => no_contract_codes[i].extend(Code::parse(c)),
                        }
                    }
                    required_module[i] = module.as_deref().map(&mut module_id);
                }
                Kind::NotInCareChain { chains } | Kind::InCareChain { chains } => {
                    for c in chains {
                        let next = chain_ids.len().min(63) as u8;
                        let id = *chain_ids.entry(c.to_ascii_uppercase()).or_insert(next);
                        chain_mask[i] |= 1 << id;
                    }
                }
                _ => {}
            }
        }
        let enrol_chain = ctx
            .enrolments
            .iter()
            .map(|e| {
                chain_ids
                    .get(&e.chain.to_ascii_uppercase())
                    .copied()
                    .unwrap_or(u8::MAX)
            })
            .collect();
        let rule_hash = rules
            .rules
            .iter()
            .map(|r| xxhash_rust::xxh3::xxh3_64(format!("{}/{}", r.policy, r.id).as_bytes()))
            .collect();
        let canon = (0..n)
            .map(|i| {
                let r = &rules.rules[i];
                rules
                    .rules
                    .iter()
                    .position(|o| o.reason_code == r.reason_code && o.return_code == r.return_code)
                    .unwrap_or(i) as u16
            })
            .collect();
        let scopes = Scopes::new(&rules);
        Checker {
            rules,
            ctx,
            reasons,
            contract_index,
            contract_ceiling,
            scopes,
            canon,
            no_contract_codes,
            required_module,
            module_contracts,
            chain_mask,
            enrol_chain,
            consult_codes,
            rule_hash,
        }
    }

    fn first_applying(&self, rules: &[u16], code: &Code) -> Option<u16> {
        rules
            .iter()
            .copied()
            .find(|&i| self.rules.rules[i as usize].applies(code))
    }

    /// Index of a fixed reason.
    pub fn fixed(&self, code: &str) -> u16 {
        self.reasons.iter().rposition(|r| r.code == code).unwrap() as u16
    }

    fn reason(&self, rule: u16, element: u16) -> Reason {
        let rule = if (rule as usize) < self.canon.len() {
            self.canon[rule as usize]
        } else {
            rule
        };
        Reason {
            reason: rule,
            return_code: self.reasons[rule as usize].return_code,
            element,
        }
    }

    /// The stateless part: everything that depends on the line and the context only.
    pub fn eval(&self, provider: u32, l: &Line) -> Outcome {
        self.eval_submitted(provider, l, None)
    }

    /// [`Checker::eval`] for a line submitted on `submitted` (a Vektis file's invoice date):
    /// a `submission-deadline` rule judges it; without a date that rule does not apply.
    pub fn eval_submitted(&self, provider: u32, l: &Line, submitted: Option<NaiveDate>) -> Outcome {
        let mut o = Outcome::new(l.amount);
        let d = l.start;
        let sc: &ScopeRules = self.scopes.rules_for(&l.code, d);
        // insured on the date, with one of the labels
        let periods = self.ctx.periods(l.bsn);
        if let Some(ri) = self.first_applying(&sc.insured, &l.code)
            && let Kind::InsuredOnDate { labels } = &self.rules.rules[ri as usize].kind
            && !periods
                .iter()
                .any(|p| labels.contains(&p.uzovi) && p.from <= d && p.to.is_none_or(|t| d <= t))
        {
            o.reject(self.reason(ri, 403));
        }
        // contract
        let cands = self.contract_index.get(&(provider, l.code));
        // an explicit agreement on the code wins over a module-wide contract, then file order
        let matched = cands.and_then(|v| {
            v.iter()
                .filter(|(i, _)| self.ctx.contracts[*i as usize].covers(d))
                .min_by_key(|(i, explicit)| (!explicit, *i))
        });
        let contract_rule = self.first_applying(&sc.contract, &l.code);
        match matched {
            Some(&(ci, _)) => {
                o.contract = ci;
                o.ceiling_rule = self.contract_ceiling[ci as usize];
            }
            None => {
                if let Some(rule) = contract_rule {
                    if self.no_contract_codes[rule as usize].contains(&l.code) {
                        let rate: &[(NaiveDate, i64)] = match &self.rules.rules[rule as usize].kind
                        {
                            Kind::RequiresContract {
                                no_contract_rate, ..
                            } => no_contract_rate,
                            _ => &[],
                        };
                        let bp = rate
                            .iter()
                            .rev()
                            .find(|(from, _)| *from <= d)
                            .or(rate.first())
                            .map_or(10_000, |x| x.1);
                        let g = (l.amount * bp).div_euclid(10_000);
                        if g != l.amount {
                            o.reduce(self.reason(self.fixed(R_RATE), 411), g);
                        }
                    } else if cands.is_some_and(|v| !v.is_empty()) {
                        o.reject(self.reason(self.fixed(R_OUTSIDE), 408));
                    } else {
                        o.reject(self.reason(rule, 411));
                    }
                }
            }
        }
        // a contract for another module required as well (e.g. the basiszorg agreement)
        if let Some(rule) = contract_rule
            && let Some(m) = self.required_module[rule as usize]
            && !self.module_contracts.get(&(provider, m)).is_some_and(|v| {
                v.iter()
                    .any(|&ci| self.ctx.contracts[ci as usize].covers(d))
            })
        {
            o.reject(self.reason(rule, 411));
        }
        // contracted tariff
        if let (Some(rule), Some(&(ci, _))) = (self.first_applying(&sc.tariff, &l.code), matched) {
            let c = &self.ctx.contracts[ci as usize];
            let allowed = c.tariff * l.count as i64;
            if l.amount > 0 && (l.tariff > c.tariff || l.amount > allowed) {
                o.reduce(self.reason(rule, 414), l.amount.min(allowed));
            }
        }
        // per-code rules
        let person = periods.first();
        // the address on the service date (the register keeps one period per address)
        let living = periods
            .iter()
            .find(|p| p.from <= d && p.to.is_none_or(|t| d <= t));
        for &ri in &sc.line {
            let r = &self.rules.rules[ri as usize];
            if !r.applies(&l.code) {
                continue;
            }
            let fail = match &r.kind {
                Kind::NotInCareChain { .. } => self.enrolled(ri, l.bsn, d),
                Kind::InCareChain { .. } => !self.enrolled(ri, l.bsn, d),
                Kind::PostcodeOnly { postcodes, .. } => {
                    !living.is_some_and(|p| postcodes.contains(&p.postcode4()))
                }
                Kind::MinAge { age } => person.is_some_and(|p| age_on(p.birth_date, d) < *age),
                Kind::RequiresAgreement => !matched.is_some_and(|(_, explicit)| *explicit),
                Kind::ClaimantKind { agb_prefixes } => {
                    !agb_prefixes.contains(&agb_prefix(provider))
                }
                Kind::ClaimWindow { quarter } => (d.month0() / 3 + 1) as u8 != *quarter,
                Kind::Lapsed { from } => d >= *from,
                Kind::SubmissionDeadline { deadline } => submitted.is_some_and(|s| s > *deadline),
                _ => false,
            };
            if fail {
                o.reject(self.reason(ri, 411));
            }
        }
        if o.decision != Decision::Rejected && l.amount >= 0 {
            o.granted = o.granted.clamp(0, l.amount);
        }
        o
    }

    /// Whether `bsn` is enrolled on `d` in one of the chains of chain rule `ri`.
    fn enrolled(&self, ri: u16, bsn: u32, d: NaiveDate) -> bool {
        let mask = self.chain_mask[ri as usize];
        self.ctx.enrolment_index.get(&bsn).is_some_and(|ix| {
            ix.iter().any(|&ei| {
                let e = &self.ctx.enrolments[ei as usize];
                let ch = self.enrol_chain[ei as usize];
                ch != u8::MAX && mask & (1 << ch) != 0 && e.from <= d && e.to.is_none_or(|t| d <= t)
            })
        })
    }

    /// The order-dependent part, called in input order for every line that was parsed.
    pub fn eval_stateful(&self, st: &mut State, provider: u32, l: &Line, o: &mut Outcome) {
        self.eval_stateful_key(st, &StateKey::of(provider, l), o);
    }

    /// [`Checker::eval_stateful`] on a line's [`StateKey`] (computed beforehand, in parallel).
    pub fn eval_stateful_key(&self, st: &mut State, k: &StateKey, o: &mut Outcome) {
        if o.decision == Decision::Rejected {
            return;
        }
        let sc = self.scopes.rules_for(&k.code, k.start);
        if let Some(rule) = self.first_applying(&sc.duplicate, &k.code) {
            if !st.seen.insert(k.dup) {
                o.reject(self.reason(rule, 420));
                return;
            }
            if st.record_added {
                st.added_seen.push(k.dup);
            }
        }
        for &ri in &sc.line {
            let r = &self.rules.rules[ri as usize];
            if let Kind::NotDuring { months, .. } = r.kind {
                let month = |d: NaiveDate| d.year() as u32 * 12 + d.month0();
                let key = |m: u32| {
                    once_key(
                        self.rule_hash[ri as usize] ^ u64::from(k.provider),
                        k.bsn,
                        m,
                    )
                };
                if self.consult_codes[ri as usize].contains(&k.code)
                    && st.once.contains(&key(month(k.start)))
                {
                    o.reject(self.reason(ri, 408));
                    return;
                }
                if r.applies(&k.code) {
                    for m in month(k.start)..month(k.start) + months {
                        if st.once.insert(key(m)) && st.record_added {
                            st.added_once.push(key(m));
                        }
                    }
                }
                continue;
            }
            if let Kind::OncePerPeriod { period } = r.kind
                && r.applies(&k.code)
            {
                let key = once_key(self.rule_hash[ri as usize], k.bsn, period.index(k.start));
                if !st.once.insert(key) {
                    o.reject(self.reason(ri, 408));
                    return;
                }
                if st.record_added {
                    st.added_once.push(key);
                }
            }
        }
    }
}

/// What the order-dependent rules need of a line: its duplicate key (see [`dup_key`]), BSN,
/// code and date. Small and `Copy`, so the parallel stage can hand it over instead of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateKey {
    pub dup: u64,
    pub provider: u32,
    pub bsn: u32,
    pub code: Code,
    pub start: NaiveDate,
}

impl StateKey {
    pub fn of(provider: u32, l: &Line) -> StateKey {
        StateKey {
            dup: dup_key(provider, l),
            provider,
            bsn: l.bsn,
            code: l.code,
            start: l.start,
        }
    }
}

/// The duplicate key of a line: provider, BSN, prestatie, date and reference.
pub fn dup_key(provider: u32, l: &Line) -> u64 {
    let mut buf = [0u8; 64];
    buf[..4].copy_from_slice(&provider.to_le_bytes());
    buf[4..8].copy_from_slice(&l.bsn.to_le_bytes());
    buf[8..16].copy_from_slice(&{
        let mut c = [0u8; 8];
        c[..l.code.as_bytes().len()].copy_from_slice(l.code.as_bytes());
        c
    });
    buf[16..20].copy_from_slice(&l.start.num_days_from_ce().to_le_bytes());
    let n = l.reference.len().min(40);
    buf[20..20 + n].copy_from_slice(&l.reference[..n]);
    xxhash_rust::xxh3::xxh3_64(&buf[..20 + n])
}

fn once_key(rule: u64, bsn: u32, period: u32) -> u64 {
    let mut buf = [0u8; 16];
    buf[..8].copy_from_slice(&rule.to_le_bytes());
    buf[8..12].copy_from_slice(&bsn.to_le_bytes());
    buf[12..16].copy_from_slice(&period.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&buf)
}

/// A candidate for the revenue ceiling: decided after all files are read.
#[derive(Debug, Clone)]
pub struct CeilingCandidate {
    pub contract: u32,
    pub date: NaiveDate,
    /// Input order: (file index, line).
    pub order: (u32, u32),
    pub granted: i64,
    /// Where it is in the deferred rows.
    pub slot: usize,
}

/// Applies the revenue ceilings: per contract, lines taken in order of service date (then input
/// order) are paid while the running total of granted amounts stays within the ceiling; the
/// rest is not paid. Returns the slots of the rejected candidates.
pub fn apply_ceilings(ctx: &Context, cands: &mut [CeilingCandidate]) -> Vec<usize> {
    cands.sort_by_key(|c| (c.contract, c.date, c.order));
    let mut rejected = Vec::new();
    let mut i = 0;
    while i < cands.len() {
        let contract = cands[i].contract;
        let ceiling = ctx.contracts[contract as usize].ceiling.unwrap_or(i64::MAX);
        let mut sum = 0i64;
        while i < cands.len() && cands[i].contract == contract {
            sum += cands[i].granted;
            if sum > ceiling {
                rejected.push(cands[i].slot);
            }
            i += 1;
        }
    }
    rejected
}
