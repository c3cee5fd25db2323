//! Reproducible synthetic claim files and context for demos, tests and benchmarks.
//!
//! The same `(lines, seed, rules)` always give the same bytes. The population scales with the
//! number of lines (up to 3 million insured, 3,000 GP practices, 600 district-nursing providers,
//! 40 regio-organisaties, 30 laboratories, 20 thrombosis services). Every rule fires on a
//! share of the lines: people outside the labels, missing and expired contracts, tariffs above
//! the contract, duplicates, repeated once-per-period items, enrolled chain patients, young
//! patients, postcodes outside Marken/Broek in Waterland, claims by the wrong kind of provider,
//! revenue ceilings that are exceeded. Names sometimes carry ISO 8859-1 letters.
//!
//! Each line is dated within the contract period of the policy its prestatie code belongs to
//! (so it meets that policy's claim rules), one file per provider, year and quarter; contracts,
//! insured periods and chain enrolments span the same years.
//!
//! Laboratories and thrombosis services also have lines in 2018, the base year of the
//! diagnostics settlement (`zorginkoop settle labs`): one laboratory in three has a preferred
//! contract and three times as many lines in 2020 as in 2018 (its orders per patient grow),
//! one in three a regular one, the rest a preferred one without that growth; a quarter of a
//! laboratory's lines are a further analysis of the same order (same patient and day). Their
//! contract and ceiling are written to `context/lab_terms.csv` for `settle labs --terms`; the
//! district nursing providers' 2020 contract and a new provider's offered budget to
//! `context/nursing_terms.csv` for `settle nursing --terms`.
//!
//! District nursing also has lines in the reference period of its settlement (1 March 2019 -
//! 29 February 2020, files `<agb>_2019R1..4`, with a 2019-2020 contract): of every eight
//! nursing providers one is new (no reference claims, no 2020 contract), two are small (a
//! reference revenue aimed at EUR 15,000-70,000) and five regular (EUR 180,000-1,200,000). The
//! number of units on a nursing line is scaled to reach that revenue whatever the number of
//! lines, and grows with the client's age, female sex, a death within two months and the
//! regional score, times a per-provider efficiency factor, so the efficiency model of
//! `zorginkoop-settle` has something to find. The register (`insured.csv`) carries `sex` and
//! `death_date` (3 % of the insured die between March 2019 and 2022), and
//! `context/region_scores.csv` a regional score per 4-digit postcode (`postcode4,score`,
//! 0.80-1.30, a function of the postcode alone).
//!
//! The insured live in about 20 per 4-digit postcode area (the areas spread evenly over
//! 1000-9999; at 3 million insured every area of that range), and a district nursing provider
//! works in a neighbourhood: its clients are drawn from [`NEIGHBOURHOOD`] insured living next
//! to each other (in postcode order), so it has several clients per area and meets the
//! client-per-postcode ratio of 2. One nursing provider in eight (the fourth) is scattered:
//! one client per area, a ratio of about 1, which fails it.

use crate::context::{Contract, Enrolment, InsuredPeriod, Sex, write_contracts, write_insured};
use crate::ident::{Code, bsn_valid};
use crate::rules::{Kind, RuleSet};
use crate::vektis::{ClaimWriter, Header, Insured, Line, Standard};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// A small deterministic PRNG (SplitMix64).
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    /// True with probability `p` per mille.
    pub fn permille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }
}

/// What was generated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Generated {
    pub files: usize,
    pub lines: u64,
    pub insured: usize,
    pub providers: usize,
    pub contracts: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PType {
    Practice,
    Nursing,
    Regio,
    Lab,
    Thrombosis,
}

struct Provider {
    agb: u32,
    ty: PType,
    /// The provider's codes by the year their lines are dated in (see [`year_of`]).
    groups: Vec<Group>,
    lines: u64,
    /// District nursing: the provider's efficiency factor, per mille (1000 = as expected).
    efficiency_permille: u64,
}

/// A span of dates the lines of one group of codes fall in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Span {
    /// A calendar year, in quarters.
    Year(i32),
    /// The district nursing reference period (1 March 2019 - 29 February 2020), in four
    /// three-month parts.
    Reference,
}

struct Group {
    span: Span,
    codes: Vec<Code>,
    /// District nursing: the mean number of units on a line, in thousandths (0: 1-4 units).
    units_milli: u64,
    /// The group's lines; `None`: the provider's lines split evenly over its groups.
    lines: Option<u64>,
}

/// The reference period of the district nursing settlement (timeline `reference-period` of
/// `district-nursing-2021`).
const REFERENCE_START: (i32, u32) = (2019, 3);

/// The base year of the diagnostics settlement (growth of orders per patient and analyses per
/// order "ten opzichte van 2018").
const LAB_BASE_YEAR: i32 = 2018;

/// The terms file of the laboratories and thrombosis services in the context folder
/// (`provider_agb,contract,ceiling_cents`, for `zorginkoop settle labs --terms`).
pub const LAB_TERMS: &str = "lab_terms.csv";

/// The terms file of the district nursing providers in the context folder
/// (`provider_agb,contract_2020,new_budget_cents`, for `zorginkoop settle nursing --terms`): who
/// had a 2020 contract, and the budget offered to a new provider.
pub const NURSING_TERMS: &str = "nursing_terms.csv";

/// What kind of laboratory or thrombosis service.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LabKind {
    Regular,
    /// Preferred contract, with three times as many lines in the contract year as in 2018.
    PreferredGrowing,
    Preferred,
    Thrombosis,
}

/// What kind of district nursing provider, for its reference-period revenue.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Profile {
    New,
    Small,
    Regular,
}

/// How many insured, living next to each other, a district nursing provider draws its clients
/// from.
const NEIGHBOURHOOD: usize = 60;

/// About this many insured live in one 4-digit postcode area.
const PER_AREA: usize = 20;

/// The year of lines whose code no policy names (only the built-in rules apply to them).
const YEAR: i32 = 2022;

/// The year a code's lines are dated in: the first year of the contract period of a policy
/// naming the code (chosen by the code's hash when several do), so that the line meets that
/// policy's claim rules; [`YEAR`] for a code no policy names.
fn year_of(rules: &RuleSet, c: &Code) -> i32 {
    let named: Vec<i32> = rules
        .policies
        .iter()
        .filter(|p| p.codes.iter().any(|x| Code::parse(x) == Some(*c)))
        .map(|p| p.start.year())
        .collect();
    if named.is_empty() {
        return YEAR;
    }
    named[(xxhash_rust::xxh3::xxh3_64(c.as_bytes()) % named.len() as u64) as usize]
}

/// `codes` grouped by [`year_of`], years ascending.
fn by_year(rules: &RuleSet, codes: &[Code]) -> Vec<Group> {
    let mut m: std::collections::BTreeMap<i32, Vec<Code>> = Default::default();
    for c in codes {
        m.entry(year_of(rules, c)).or_default().push(*c);
    }
    m.into_iter()
        .map(|(y, codes)| Group {
            span: Span::Year(y),
            codes,
            units_milli: 0,
            lines: None,
        })
        .collect()
}

/// The regional score of a 4-digit postcode in hundredths (80-130), a function of the postcode
/// alone.
pub fn region_score(pc4: u16) -> u32 {
    80 + (xxhash_rust::xxh3::xxh3_64(&pc4.to_le_bytes()) % 51) as u32
}

/// Whole years from `birth` to `on`.
fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a
}

/// How much care a client needs on a line dated `on`, per mille (the efficiency model's
/// characteristics: age, sex, death within two months, regional score).
fn client_permille(p: &InsuredPeriod, on: NaiveDate) -> u64 {
    let age: u64 = match age_on(p.birth_date, on) {
        ..65 => 700,
        65..75 => 1000,
        75..85 => 1300,
        _ => 1600,
    };
    let sex = if p.sex == Some(Sex::Female) {
        1050
    } else {
        1000
    };
    let dying = match p.death_date {
        Some(d) if d >= on && (d - on).num_days() <= 61 => 1600,
        _ => 1000,
    };
    age * sex / 1000 * dying / 1000 * u64::from(region_score(p.postcode4())) / 100
}
const OTHER_UZOVI: u16 = 7095;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Base tariff of a code in cents, derived from the code so it is stable.
fn base_tariff(c: &Code) -> i64 {
    let h = xxhash_rust::xxh3::xxh3_64(c.as_bytes());
    500 + (h % 146) as i64 * 100
}

/// Generates claim files under `out/claims/` and the context under `out/context/`.
pub fn generate(rules: &RuleSet, lines: u64, seed: u64, out: &Path) -> std::io::Result<Generated> {
    let claims_dir = out.join("claims");
    let ctx_dir = out.join("context");
    std::fs::create_dir_all(&claims_dir)?;
    std::fs::create_dir_all(&ctx_dir)?;
    let mut rng = Rng::new(seed);

    // --- code pools from the rules and modules
    let code = |s: &str| Code::parse(s).unwrap();
    let dn: Vec<Code> = [
        "1008", "1032", "1033", "1034", "1035", "1036", "1037", "1038", "1039", "1040", "1062",
    ]
    .iter()
    .map(|s| code(s))
    .collect();
    let mut claimant: BTreeSet<Code> = BTreeSet::new();
    let mut ceiling_modules: BTreeSet<String> = BTreeSet::new();
    let mut no_contract: BTreeSet<Code> = BTreeSet::new();
    for r in &rules.rules {
        match &r.kind {
            Kind::ClaimantKind { .. } => claimant.extend(r.code_set.iter().copied()),
            Kind::RevenueCeiling { not_paid: true } => {
                ceiling_modules.extend(r.modules.iter().cloned())
            }
            Kind::RequiresContract {
                no_contract_codes, ..
            } => {
                for c in no_contract_codes {
                    match rules.module_codes.get(c) {
                        Some(cs) => no_contract.extend(cs.iter().filter_map(|x| Code::parse(x))),
                        None => no_contract.extend(Code::parse(c)),
                    }
                }
            }
            _ => {}
        }
    }
    // laboratories claim the codes a claimant-kind rule lets laboratories (AGB prefix 50)
    // claim; thrombosis services (and laboratories when there are none) the codes of the
    // revenue-ceiling modules
    let mut lab_own: BTreeSet<Code> = BTreeSet::new();
    for r in &rules.rules {
        if let Kind::ClaimantKind { agb_prefixes } = &r.kind
            && agb_prefixes.contains(&50)
        {
            lab_own.extend(r.code_set.iter().copied());
        }
    }
    // the contract modules of laboratories with a ceiling paid with post-calculation
    // (preferred contract) and of thrombosis care
    let preferred_module: Option<String> = rules
        .rules
        .iter()
        .find(|r| matches!(r.kind, Kind::RevenueCeiling { not_paid: false }))
        .and_then(|r| r.modules.first().cloned());
    let mut lab: BTreeSet<Code> = BTreeSet::new();
    for m in &ceiling_modules {
        lab.extend(
            rules
                .module_codes
                .get(m)
                .into_iter()
                .flatten()
                .filter_map(|c| Code::parse(c)),
        );
    }
    if lab.is_empty() {
        lab.insert(code("93001"));
    }
    let mut gp: BTreeSet<Code> = rules
        .module_codes
        .values()
        .flatten()
        .filter_map(|c| Code::parse(c))
        .filter(|c| !dn.contains(c) && !claimant.contains(c) && !lab.contains(c))
        .collect();
    gp.extend(no_contract.iter().copied());
    if gp.is_empty() {
        gp.insert(code("13001"));
    }
    let gp: Vec<Code> = gp.into_iter().collect();
    // the module of the ceiling of each pool: the one naming the pool's codes, else the first
    let module_of = |codes: &[Code]| {
        ceiling_modules
            .iter()
            .find(|m| {
                rules.module_codes.get(*m).is_some_and(|cs| {
                    cs.iter()
                        .any(|c| Code::parse(c).is_some_and(|c| codes.contains(&c)))
                })
            })
            .or_else(|| ceiling_modules.iter().next())
            .cloned()
            .unwrap_or_else(|| "lab".into())
    };
    let lab: Vec<Code> = lab.into_iter().collect();
    let lab_own: Vec<Code> = if lab_own.is_empty() {
        lab.clone()
    } else {
        lab_own.into_iter().collect()
    };
    let claimant_v: Vec<Code> = if claimant.is_empty() {
        vec![code("50001")]
    } else {
        claimant.iter().copied().collect()
    };
    // modules whose codes a DN contract may cover module-wide
    let dn_module = rules
        .module_codes
        .iter()
        .find(|(_, cs)| cs.iter().any(|c| c == "1032"))
        .map(|(m, _)| m.clone());
    let agreement_codes: BTreeSet<Code> = rules
        .rules
        .iter()
        .filter(|r| matches!(r.kind, Kind::RequiresAgreement))
        .flat_map(|r| r.code_set.iter().copied())
        .collect();

    // --- population
    let n_insured = (lines / 3).clamp(2_000, 3_000_000) as usize;
    let scale =
        |per_million: u64, min: u64, max: u64| (lines * per_million / 1_000_000).clamp(min, max);
    let counts = [
        (PType::Practice, scale(300, 10, 3000), 600u64),
        (PType::Nursing, scale(60, 4, 600), 250),
        (PType::Regio, scale(4, 2, 40), 50),
        (PType::Lab, scale(3, 2, 30), 70),
        (PType::Thrombosis, scale(2, 1, 20), 30),
    ];
    let mut providers = Vec::new();
    let mut used_agb = BTreeSet::new();
    for (ty, n, weight) in counts {
        let prefix: u32 = match ty {
            PType::Practice => 1,
            PType::Nursing => {
                if rng.permille(500) {
                    75
                } else {
                    41
                }
            }
            PType::Regio => 53,
            PType::Lab => 50,
            PType::Thrombosis => 34,
        };
        let type_lines = lines * weight / 1000;
        for i in 0..n {
            let prefix = if ty == PType::Nursing {
                if i % 3 == 0 { 41 } else { 75 }
            } else {
                prefix
            };
            let mut agb;
            loop {
                agb = prefix * 1_000_000 + rng.below(1_000_000) as u32;
                if used_agb.insert(agb) {
                    break;
                }
            }
            let codes = match ty {
                PType::Practice => gp.clone(),
                PType::Nursing => dn.clone(),
                PType::Regio => claimant_v.clone(),
                PType::Lab => lab_own.clone(),
                PType::Thrombosis => lab.clone(),
            };
            let share = type_lines / n + u64::from(i < type_lines % n);
            providers.push(Provider {
                agb,
                ty,
                groups: by_year(rules, &codes),
                lines: share,
                efficiency_permille: 1000,
            });
        }
    }
    // make the line total exact
    let assigned: u64 = providers.iter().map(|p| p.lines).sum();
    if let Some(p) = providers.first_mut() {
        p.lines += lines - assigned.min(lines);
    }
    // district nursing: reference-period claims and amounts scaled to the provider's size (a
    // stream of its own, so the other providers' files and the register stay as they were)
    let dn_avg_tariff = dn.iter().map(base_tariff).sum::<i64>() as u64 / dn.len() as u64;
    let mut nrng = Rng::new(seed ^ 0x5E77_1E00_D0E1_0021);
    let mut nursing_terms = Vec::new();
    for (k, p) in providers
        .iter_mut()
        .filter(|p| p.ty == PType::Nursing)
        .enumerate()
    {
        let profile = match k % 8 {
            0 => Profile::New,
            1 | 4 => Profile::Small,
            _ => Profile::Regular,
        };
        let target_cents: u64 = match profile {
            Profile::New => 5_000_000 + nrng.below(35_000_000),
            Profile::Small => 1_500_000 + nrng.below(5_500_000),
            Profile::Regular => 18_000_000 + nrng.below(102_000_000),
        };
        nursing_terms.push(match profile {
            // a new provider is offered a budget of about the revenue it aims at
            Profile::New => format!("{:08},nee,{target_cents}", p.agb),
            _ => format!("{:08},ja,", p.agb),
        });
        p.efficiency_permille = 750 + nrng.below(600);
        let growth = 900 + nrng.below(400);
        let n_groups = p.groups.len() as u64 + u64::from(profile != Profile::New);
        let mut per_group = (p.lines / n_groups).max(1);
        // a small provider's revenue must stay small however many lines it has (a line has at
        // least one unit): few reference lines, the rest in 2021
        let mut ref_lines = None;
        if profile == Profile::Small && p.groups.len() == 1 {
            let few = (target_cents / (dn_avg_tariff * 2)).clamp(1, per_group);
            ref_lines = Some(few);
            let rest = p.lines.saturating_sub(few).max(1);
            p.groups[0].lines = Some(p.lines - few);
            p.groups[0].units_milli = (target_cents * growth / (rest * dn_avg_tariff)).max(1000);
            per_group = few;
        }
        // mean units so that per_group lines of the average tariff reach the target
        let units_milli = (target_cents * 1000 / (per_group * dn_avg_tariff)).max(1000);
        if ref_lines.is_none() {
            for g in &mut p.groups {
                g.units_milli = match profile {
                    Profile::New => units_milli,
                    _ => units_milli * growth / 1000,
                };
            }
        }
        if profile != Profile::New {
            let codes = p
                .groups
                .first()
                .map(|g| g.codes.clone())
                .unwrap_or_default();
            p.groups.push(Group {
                span: Span::Reference,
                codes,
                units_milli,
                lines: ref_lines,
            });
        }
    }

    // laboratories and thrombosis services: lines in 2018 too (the base year of the
    // diagnostics settlement's growth conditions), split over 2018 and the contract year; one
    // laboratory in three is preferred and has three times as many lines in the contract year
    // as in 2018 (more repeat patients: its orders per patient grow), one in three is regular,
    // the rest preferred without that growth. No draws from `rng`: the rest stays as it was.
    let mut lab_kind = std::collections::BTreeMap::new();
    for (k, p) in providers
        .iter_mut()
        .filter(|p| matches!(p.ty, PType::Lab | PType::Thrombosis))
        .enumerate()
    {
        let kind = match (p.ty, k % 3) {
            (PType::Thrombosis, _) => LabKind::Thrombosis,
            (_, 0) => LabKind::PreferredGrowing,
            (_, 1) => LabKind::Regular,
            _ => LabKind::Preferred,
        };
        lab_kind.insert(p.agb, kind);
        let Some(first) = p.groups.first() else {
            continue;
        };
        let codes = first.codes.clone();
        let n_year = p.groups.len() as u64;
        let base = match kind {
            LabKind::PreferredGrowing => p.lines / 4,
            _ => p.lines / 2,
        };
        let rest = p.lines - base;
        for (i, g) in p.groups.iter_mut().enumerate() {
            g.lines = Some(rest / n_year + u64::from((i as u64) < rest % n_year));
        }
        p.groups.insert(
            0,
            Group {
                span: Span::Year(LAB_BASE_YEAR),
                codes,
                units_milli: 0,
                lines: Some(base),
            },
        );
    }

    // --- contracts
    let mut contracts = Vec::new();
    let mut lab_terms = Vec::new();
    for (p, g) in providers
        .iter()
        .flat_map(|p| p.groups.iter().map(move |g| (p, g)))
    {
        let group = &g.codes;
        let year = match g.span {
            Span::Year(y) => y,
            Span::Reference => {
                // the 2019 and 2020 contract, naming every code it covers (no policy governs
                // those years: only the built-in rules apply); no draw from `rng`, so the rest
                // stays as it was
                contracts.push(Contract {
                    provider: p.agb,
                    module: dn_module.clone().unwrap_or_else(|| "wijkverpleging".into()),
                    codes: dn.clone(),
                    start: date(REFERENCE_START.0, 1, 1),
                    end: Some(date(REFERENCE_START.0 + 1, 12, 31)),
                    tariff: 7_500,
                    ceiling: None,
                    contract_type: "regular".into(),
                });
                continue;
            }
        };
        let start = date(year, 1, 1);
        let end = Some(date(year, 12, 31));
        let group_lines = p.lines / p.groups.len() as u64;
        match p.ty {
            PType::Nursing => {
                let with_agreement = rng.permille(500);
                if let Some(m) = &dn_module {
                    contracts.push(Contract {
                        provider: p.agb,
                        module: m.clone(),
                        codes: vec![],
                        start,
                        end,
                        tariff: 7_500,
                        ceiling: None,
                        contract_type: "regular".into(),
                    });
                    for c in &agreement_codes {
                        if with_agreement {
                            contracts.push(Contract {
                                provider: p.agb,
                                module: m.clone(),
                                codes: vec![*c],
                                start,
                                end,
                                tariff: 7_500,
                                ceiling: None,
                                contract_type: "regular".into(),
                            });
                        }
                    }
                } else {
                    let codes: Vec<Code> = dn
                        .iter()
                        .filter(|c| with_agreement || !agreement_codes.contains(c))
                        .copied()
                        .collect();
                    contracts.push(Contract {
                        provider: p.agb,
                        module: "wijkverpleging".into(),
                        codes,
                        start,
                        end,
                        tariff: 7_500,
                        ceiling: None,
                        contract_type: "regular".into(),
                    });
                }
            }
            PType::Lab | PType::Thrombosis => {
                let kind = lab_kind.get(&p.agb).copied().unwrap_or(LabKind::Regular);
                let avg: i64 = group.iter().map(base_tariff).sum::<i64>() / group.len() as i64;
                let group_lines = g.lines.unwrap_or(group_lines);
                if year == LAB_BASE_YEAR {
                    // the 2018 contract: no policy governs that year, no ceiling
                    contracts.push(Contract {
                        provider: p.agb,
                        module: module_of(group.as_slice()),
                        codes: group.clone(),
                        start,
                        end,
                        tariff: avg * 2,
                        ceiling: None,
                        contract_type: "regular".into(),
                    });
                    continue;
                }
                let ceiling = (group_lines as i64 * avg * 85 / 100).max(avg);
                let (module, contract_type, terms) = match (kind, &preferred_module) {
                    (LabKind::Thrombosis, _) => {
                        (module_of(group.as_slice()), "regular", "trombose")
                    }
                    (LabKind::Preferred | LabKind::PreferredGrowing, Some(m)) => {
                        (m.clone(), "preferred", "voorkeur")
                    }
                    _ => (module_of(group.as_slice()), "regular", "regulier"),
                };
                contracts.push(Contract {
                    provider: p.agb,
                    module,
                    codes: group.clone(),
                    start,
                    end,
                    tariff: avg * 2,
                    ceiling: Some(ceiling),
                    contract_type: contract_type.into(),
                });
                lab_terms.push(format!("{:08},{terms},{ceiling}", p.agb));
            }
            _ => {
                for c in group {
                    if no_contract.contains(c) || rng.permille(20) {
                        continue; // no contract for this code
                    }
                    let end = if rng.permille(20) {
                        Some(date(year, 6, 30))
                    } else {
                        end
                    };
                    contracts.push(Contract {
                        provider: p.agb,
                        module: format!("code-{c}"),
                        codes: vec![*c],
                        start,
                        end,
                        tariff: base_tariff(c),
                        ceiling: None,
                        contract_type: "regular".into(),
                    });
                }
            }
        }
    }
    write_contracts(&ctx_dir.join("contracts.csv"), &contracts)?;
    // the laboratories' and thrombosis services' terms for `zorginkoop settle labs --terms`
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(ctx_dir.join(LAB_TERMS))?);
        writeln!(w, "provider_agb,contract,ceiling_cents")?;
        for l in &lab_terms {
            writeln!(w, "{l}")?;
        }
        w.flush()?;
    }
    // the district nursing providers' terms for `zorginkoop settle nursing --terms`
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(ctx_dir.join(NURSING_TERMS))?);
        writeln!(w, "provider_agb,contract_2020,new_budget_cents")?;
        for l in &nursing_terms {
            writeln!(w, "{l}")?;
        }
        w.flush()?;
    }

    // --- insured register
    let mut insured = Vec::with_capacity(n_insured);
    let n_areas = (n_insured / PER_AREA).clamp(100, 9000) as u64;
    let mut bsn = 100_000_000 + rng.below(50_000_000) as u32;
    while insured.len() < n_insured {
        bsn += 1 + rng.below(20) as u32;
        if !bsn_valid(bsn) {
            continue;
        }
        let uzovi = if rng.permille(40) {
            OTHER_UZOVI
        } else {
            [3311, 3313, 3314, 3329, 3351, 3358, 8971][rng.below(7) as usize]
        };
        let birth = date(
            1930 + rng.below(92) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        );
        let pc4 = if rng.permille(10) {
            [1156, 1151][rng.below(2) as usize]
        } else {
            1000 + rng.below(n_areas) as u32 * 9000 / n_areas as u32
        };
        let postcode = format!(
            "{pc4}{}{}",
            (b'A' + rng.below(26) as u8) as char,
            (b'A' + rng.below(26) as u8) as char
        );
        let to = if rng.permille(15) {
            Some(date(
                2020 + rng.below(8) as i32,
                1 + rng.below(12) as u32,
                1,
            ))
        } else {
            None
        };
        insured.push(InsuredPeriod {
            bsn,
            uzovi,
            birth_date: birth,
            postcode: crate::context::Postcode::new(&postcode).expect("6 characters"),
            from: date(2000, 1, 1),
            to,
            // as the claim files' gender code (1 + bsn % 2: 1 man, 2 vrouw)
            sex: Some(if bsn.is_multiple_of(2) {
                Sex::Male
            } else {
                Sex::Female
            }),
            death_date: None,
        });
    }
    // deaths: a stream of its own, so the rest of the register stays as it was
    let mut drng = Rng::new(seed ^ 0x0DEA_7400_0000_2019);
    let first_death = date(REFERENCE_START.0, REFERENCE_START.1, 1);
    let death_days = (date(2022, 12, 31) - first_death).num_days() as u64 + 1;
    for p in &mut insured {
        if drng.permille(30) {
            p.death_date =
                Some(first_death + chrono::Duration::days(drng.below(death_days) as i64));
        }
    }
    write_insured(&ctx_dir.join("insured.csv"), &insured)?;
    let catchments = catchments(&providers, &insured);
    {
        let mut w =
            std::io::BufWriter::new(std::fs::File::create(ctx_dir.join("region_scores.csv"))?);
        writeln!(w, "postcode4,score")?;
        for pc4 in 1000..=9999u16 {
            let s = region_score(pc4);
            writeln!(w, "{pc4},{}.{:02}", s / 100, s % 100)?;
        }
        w.flush()?;
    }
    // --- chains
    let mut enrol = Vec::new();
    for p in &insured {
        if rng.permille(60) {
            let chain = ["DM2", "CVRM", "COPD"][rng.below(3) as usize];
            let from = if rng.permille(300) {
                date(2020 + rng.below(8) as i32, 7, 1)
            } else {
                date(2020, 1, 1)
            };
            enrol.push(Enrolment {
                bsn: p.bsn,
                chain: chain.into(),
                from,
                to: None,
            });
        }
    }
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(ctx_dir.join("chains.csv"))?);
        writeln!(w, "bsn,chain,from,to")?;
        for e in &enrol {
            writeln!(
                w,
                "{},{},{},{}",
                e.bsn,
                e.chain,
                e.from,
                e.to.map(|d| d.to_string()).unwrap_or_default()
            )?;
        }
        w.flush()?;
    }

    // --- claim files: one per provider per quarter, generated in parallel
    let tariffs: rustc_hash::FxHashMap<(u32, Code), i64> = contracts
        .iter()
        .flat_map(|c| {
            c.codes
                .iter()
                .map(move |code| ((c.provider, *code), c.tariff))
        })
        .collect();
    // one file per provider, year of its codes and quarter
    let jobs: Vec<(usize, usize, u32)> = providers
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| {
            (0..p.groups.len()).flat_map(move |gi| (0..4u32).map(move |q| (pi, gi, q)))
        })
        .collect();
    let written: Vec<u64> = jobs
        .par_iter()
        .map(|&(pi, gi, q)| {
            let p = &providers[pi];
            // the provider's lines spread over its years, then over the quarters
            let ng = p.groups.len() as u64;
            let in_group = p.groups[gi]
                .lines
                .unwrap_or(p.lines / ng + u64::from((gi as u64) < p.lines % ng));
            let n = in_group / 4 + u64::from((q as u64) < in_group % 4);
            if n == 0 {
                return Ok(0);
            }
            let mut rng = Rng::new(
                seed ^ ((pi as u64) << 16 | (gi as u64) << 8 | q as u64)
                    .wrapping_mul(0x2545_F491_4F6C_DD1D),
            );
            let g = &p.groups[gi];
            let file = FileSpec {
                span: g.span,
                codes: &g.codes,
                units_milli: g.units_milli,
                efficiency_permille: p.efficiency_permille,
                q,
                n,
                clients: catchments[pi].as_deref(),
            };
            write_file(&claims_dir, p, &file, &insured, &tariffs, &mut rng).map(|_| n)
        })
        .collect::<std::io::Result<_>>()?;
    Ok(Generated {
        files: written.iter().filter(|&&n| n > 0).count(),
        lines: written.iter().sum(),
        insured: insured.len(),
        providers: providers.len(),
        contracts: contracts.len(),
    })
}

const NAMES: [&[u8]; 8] = [
    b"Jansen",
    b"de Vries",
    b"Bakker",
    b"Visser",
    b"M\xfcller",
    b"\xd6zt\xfcrk",
    b"Smit",
    b"Hendriks",
];

/// One claim file to write: `n` lines of `codes` in quarter `q` (0-3) of `span`.
struct FileSpec<'a> {
    span: Span,
    codes: &'a [Code],
    /// Mean units on a line in thousandths (0: 1-4 units).
    units_milli: u64,
    efficiency_permille: u64,
    q: u32,
    n: u64,
    /// The insured (indices into the register) the lines are for; `None`: anybody.
    clients: Option<&'a [usize]>,
}

/// Where each provider's clients live (indices into `insured`), by provider index: for the
/// district nursing providers a neighbourhood of [`NEIGHBOURHOOD`] insured next to each other in
/// postcode order, every eighth from the fourth on scattered (the first insured of every
/// postcode area: one client per area); `None` for the other providers (anybody).
fn catchments(providers: &[Provider], insured: &[InsuredPeriod]) -> Vec<Option<Vec<usize>>> {
    let mut by_area: Vec<usize> = (0..insured.len()).collect();
    by_area.sort_by_key(|&i| (insured[i].postcode4(), insured[i].bsn));
    let mut one_per_area = by_area.clone();
    one_per_area.dedup_by_key(|i| insured[*i].postcode4());
    let width = NEIGHBOURHOOD.min(by_area.len());
    let starts = by_area.len() - width + 1;
    let mut k = 0usize;
    providers
        .iter()
        .map(|p| {
            if p.ty != PType::Nursing {
                return None;
            }
            let kth = k;
            k += 1;
            if kth % 8 == 3 {
                return Some(one_per_area.clone());
            }
            // neighbourhoods spread over the register, a function of the provider's place
            let start = (p.agb as usize).wrapping_mul(2_654_435_761) % starts;
            Some(by_area[start..start + width].to_vec())
        })
        .collect()
}

fn write_file(
    dir: &Path,
    p: &Provider,
    spec: &FileSpec<'_>,
    insured: &[InsuredPeriod],
    tariffs: &rustc_hash::FxHashMap<(u32, Code), i64>,
    rng: &mut Rng,
) -> std::io::Result<()> {
    let standard = if p.ty == PType::Nursing {
        Standard::Aw319
    } else {
        Standard::Ha304
    };
    let (q, n) = (spec.q, spec.n);
    let (year, first_month, label) = match spec.span {
        Span::Year(y) => (y, 1, 'Q'),
        Span::Reference => (REFERENCE_START.0, REFERENCE_START.1, 'R'),
    };
    // the first day of the month `k` months after the span's first month
    let month = |k: u32| {
        let m0 = first_month - 1 + k;
        date(year + (m0 / 12) as i32, m0 % 12 + 1, 1)
    };
    let qstart = month(q * 3);
    let qend = month(q * 3 + 3).pred_opt().unwrap();
    let days = (qend - qstart).num_days() as u64 + 1;
    // lines grouped by insured: draw (insured, line) pairs, then sort by insured
    let mut lines: Vec<(usize, Line)> = Vec::with_capacity(n as usize);
    // a small pool of regulars so that once-per-period items repeat
    let anybody = |rng: &mut Rng| match spec.clients {
        Some(c) => c[rng.below(c.len() as u64) as usize],
        None => rng.below(insured.len() as u64) as usize,
    };
    let pool: Vec<usize> = (0..32).map(|_| anybody(rng)).collect();
    for i in 0..n {
        if i > 0 && rng.permille(8) {
            // a duplicate of an earlier line of this file
            let j = rng.below(lines.len() as u64) as usize;
            let (who, l) = lines[j].clone();
            lines.push((who, Line { id: 0, ..l }));
            continue;
        }
        if p.ty == PType::Lab
            && spec.codes.len() > 1
            && let Some((who, prev)) = lines.last().cloned()
            && rng.permille(250)
        {
            // another analysis of the same order: the same patient and day, the next code
            let at = spec.codes.iter().position(|c| *c == prev.code).unwrap_or(0);
            let code = spec.codes[(at + 1) % spec.codes.len()];
            let tariff = tariffs
                .get(&(p.agb, code))
                .copied()
                .unwrap_or_else(|| base_tariff(&code));
            lines.push((
                who,
                Line {
                    id: 0,
                    code,
                    tariff,
                    amount: tariff * prev.count as i64,
                    reference: format!("{:08}{:02}{:08}", p.agb, q, i).into_bytes(),
                    ..prev
                },
            ));
            continue;
        }
        let who = if rng.permille(300) {
            pool[rng.below(32) as usize]
        } else {
            anybody(rng)
        };
        let person = &insured[who];
        let code = spec.codes[rng.below(spec.codes.len() as u64) as usize];
        let mut start = qstart + chrono::Duration::days(rng.below(days) as i64);
        let contract = tariffs
            .get(&(p.agb, code))
            .copied()
            .unwrap_or_else(|| base_tariff(&code));
        let count = if p.ty == PType::Nursing {
            let j = rng.below(4);
            if spec.units_milli == 0 {
                1 + j as u16
            } else {
                // no care after death: the line moves to the day of death
                if let Some(d) = person.death_date
                    && d >= qstart
                    && d < start
                {
                    start = d;
                }
                // 0.55, 0.85, 1.15 or 1.45 times the mean, times client and provider
                let jitter = 550 + 300 * j;
                let units = spec.units_milli * jitter / 1000 * client_permille(person, start)
                    / 1000
                    * spec.efficiency_permille
                    / 1000;
                let max = (99_999_999 / (contract.max(1) as u64 + 600)).min(9_999);
                ((units + 500) / 1000).clamp(1, max) as u16
            }
        } else {
            1
        };
        let tariff = if rng.permille(30) {
            contract + 100 + rng.below(500) as i64
        } else {
            contract
        };
        let uzovi = if person.uzovi == OTHER_UZOVI {
            OTHER_UZOVI
        } else {
            person.uzovi
        };
        lines.push((
            who,
            Line {
                id: 0,
                bsn: person.bsn,
                uzovi,
                insured_number: format!("{:09}", who).into_bytes(),
                start,
                end: start,
                code_list: if p.ty == PType::Nursing { 45 } else { 3 },
                code,
                count,
                performer: p.agb,
                tariff,
                amount: tariff * count as i64,
                reference: format!("{:08}{:02}{:08}", p.agb, q, i).into_bytes(),
                previous_reference: vec![],
            },
        ));
    }
    lines.sort_by_key(|(who, _)| *who);
    let header = Header {
        standard,
        uzovi: 3311,
        provider: p.agb,
        practice: if p.ty == PType::Practice { p.agb } else { 0 },
        institution: 0,
        period_start: qstart,
        period_end: qend,
        // 12 characters: F (or R for the reference period), year, quarter, 6 digits of the AGB
        invoice_number: format!(
            "{}{year}{q}{:06}",
            if label == 'R' { 'R' } else { 'F' },
            p.agb % 1_000_000
        )
        .into_bytes(),
        invoice_date: qend,
    };
    let ext = if standard == Standard::Aw319 {
        "aw319"
    } else {
        "ha304"
    };
    let path = dir.join(format!("{:08}_{year}{label}{}.{ext}", p.agb, q + 1));
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut w = ClaimWriter::new(file, &header)?;
    let mut id = 0u64;
    let mut last: Option<usize> = None;
    for (who, mut l) in lines {
        if last != Some(who) {
            id += 1;
            let person = &insured[who];
            let name = NAMES[(person.bsn % NAMES.len() as u32) as usize];
            w.insured(&Insured {
                id,
                bsn: person.bsn,
                uzovi: l.uzovi,
                insured_number: l.insured_number.clone(),
                birth_date: person.birth_date,
                gender: 1 + (person.bsn % 2) as u8,
                name: name.to_vec(),
                initials: vec![b'A' + (person.bsn / 7 % 26) as u8],
                postcode: person.postcode.as_str().as_bytes().to_vec(),
            })?;
            last = Some(who);
        }
        id += 1;
        l.id = id;
        w.line(&l)?;
    }
    w.finish()?;
    Ok(())
}
