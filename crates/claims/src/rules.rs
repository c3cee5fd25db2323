//! The claim rules, read from the policies' `[[claim_rules]]` entries and resolved for fast use.
//!
//! The `kind` vocabulary (agreed with the policy authors) is:
//! `once-per-period`, `not-in-care-chain`, `in-care-chain`, `postcode-only`, `min-age`,
//! `requires-agreement`, `claimant-kind`, `revenue-ceiling`, `claim-window`, `lapsed`,
//! `submission-deadline`, `not-during`, and the
//! generic `requires-contract`, `max-tariff`, `duplicate` and `insured-on-date`. The four generic
//! rules are also built in, each citing the passage it rests on; they are used for a line whose
//! policy has no rule of that kind for its code (see [`crate::scope`]). `applies_to` lists module
//! ids of the rule's own policy or prestatie codes; module ids are resolved to prestatie codes
//! through that policy's modules only. An empty `applies_to` means every line of the policy.
//!
//! `params` are kind-specific; a key a kind does not know is a load error (see [`PARAM_KEYS`]).

use crate::ident::Code;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde_json::Value;
use zorginkoop_policy::{ClaimRule, PolicySet, Source};

/// A rule could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("claimregel `{rule}` ({policy}): {message}")]
pub struct RuleError {
    pub policy: String,
    pub rule: String,
    pub message: String,
}

/// The period of a `once-per-period` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    Year,
    Quarter,
}

impl Period {
    /// A number identifying the period that contains `d`.
    pub fn index(self, d: NaiveDate) -> u32 {
        match self {
            Period::Year => d.year() as u32,
            Period::Quarter => d.year() as u32 * 4 + (d.month0() / 3),
        }
    }
}

/// What a rule checks, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Kind {
    OncePerPeriod {
        period: Period,
    },
    NotInCareChain {
        chains: Vec<String>,
    },
    /// The insured must be enrolled in one of these chains on the service date.
    InCareChain {
        chains: Vec<String>,
    },
    /// The line's date must lie in this quarter (1-4) of a year: a prestatie claimed in a
    /// fixed window, e.g. FGV in the second quarter after the measured year.
    ClaimWindow {
        quarter: u8,
    },
    /// The prestatie lapses: not claimable for service dates from `from` on.
    Lapsed {
        from: NaiveDate,
    },
    /// While a programme runs, the same practice claims no consults for the same insured: a
    /// line of the rule's codes (`applies_to`) starts a programme that runs `months` calendar
    /// months from the month of its service date; a line of one of `consults` by that provider
    /// for that insured in one of those months is not paid. Judged in the order the lines are
    /// received (a consult received before its programme's line is not caught).
    NotDuring {
        consults: Vec<String>,
        months: u32,
    },
    /// Claims must be submitted by `deadline`: a line of a file whose invoice date
    /// (DAGTEKENING FACTUUR of the Vektis header, the day the provider submits it) is later is
    /// not paid. Lines without a submission date (CSV, Parquet) are not judged by it.
    SubmissionDeadline {
        deadline: NaiveDate,
    },
    PostcodeOnly {
        places: Vec<String>,
        postcodes: Vec<u16>,
    },
    MinAge {
        age: i32,
    },
    RequiresAgreement,
    ClaimantKind {
        agb_prefixes: Vec<u32>,
    },
    RevenueCeiling {
        /// False for `excess = "post-calculation"`: settled afterwards, not per line.
        not_paid: bool,
    },
    RequiresContract {
        /// A contract for this module (of the provider, on the date) is required as well.
        module: Option<String>,
        /// Codes that need no contract; paid at `no_contract_rate` without one.
        no_contract_codes: Vec<String>,
        /// Rate as (valid from, basis points of the claimed amount), ascending.
        no_contract_rate: Vec<(NaiveDate, i64)>,
    },
    MaxTariff,
    Duplicate,
    InsuredOnDate {
        labels: Vec<u16>,
    },
}

/// A resolved rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    /// Policy id, or `built-in`.
    pub policy: String,
    pub text: String,
    #[serde(flatten)]
    pub kind: Kind,
    /// Module ids and codes as written.
    pub applies_to: Vec<String>,
    /// Resolved codes; empty with `applies_all` = every line.
    pub codes: Vec<String>,
    /// Module ids among `applies_to` (for `revenue-ceiling`: contracts of these modules).
    pub modules: Vec<String>,
    pub applies_all: bool,
    pub reason_code: String,
    pub return_code: u16,
    pub source: Source,
    #[serde(skip)]
    pub code_set: FxHashSet<Code>,
    /// Index of the rule's policy in the [`PolicySet`] (and in [`RuleSet::policies`]); `None`
    /// for a built-in rule.
    pub policy_index: Option<u16>,
}

impl Rule {
    pub fn applies(&self, code: &Code) -> bool {
        self.applies_all || self.code_set.contains(code)
    }
}

/// All rules of a run plus the module → codes map of the policies.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Module id → prestatie codes (from all policies).
    pub module_codes: std::collections::BTreeMap<String, Vec<String>>,
    /// The policies' domains and contract periods, for choosing a line's rules (in
    /// `rules.json` too, so other implementations can scope the rules the same way).
    pub policies: Vec<PolicyScope>,
    /// The policies the rules come from, in load order (not in `rules.json`, which lists each
    /// rule's policy id).
    #[serde(skip)]
    pub policy_refs: Vec<PolicyRef>,
}

/// Which policy, exactly: id, version and the SHA-256 of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRef {
    pub id: String,
    pub version: String,
    pub sha256: String,
}

/// What the checker needs of a policy to know which lines it governs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyScope {
    pub id: String,
    /// Care domain as in `[policy] domain`, e.g. `huisartsenzorg`.
    pub domain: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Prestatie codes of the policy: its modules' codes and codes named in its claim rules.
    pub codes: Vec<String>,
}

/// The `params` keys per kind: one list, kept by the policy crate that loads the rules.
pub use zorginkoop_policy::CLAIM_RULE_PARAMS as PARAM_KEYS;

/// The fields a `duplicate` key may name (the checker's duplicate key is all of them).
pub const DUPLICATE_KEY_FIELDS: [&str; 5] = [
    "provider",
    "insured",
    "prestatie_code",
    "treatment_date",
    "reference",
];

/// The insurer's labels (UZOVI codes), wijkverpleging policy bijlage 6.
pub const LABELS: [u16; 7] = [3311, 3313, 3314, 3329, 3351, 3358, 8971];

fn src(document: &str, section: &str, quote: &str) -> Source {
    Source {
        document: document.into(),
        section: section.into(),
        quote: quote.into(),
    }
}

/// The generic rules used when no policy carries a rule of that kind.
pub fn builtin_rules() -> Vec<ClaimRule> {
    let naleving = src(
        "000_5d0b5048e118886b.txt",
        "7. Hoe gaan we om met naleving en controle?",
        "het beoordelen of de zorg die vergoed wordt, aan de wettelijke eisen voldoet en feitelijk en terecht geleverd is",
    );
    let rule = |id: &str,
                kind: &str,
                text: &str,
                reason: &str,
                ret: &str,
                source: Source,
                params: Value| ClaimRule {
        id: id.into(),
        text: text.into(),
        kind: kind.into(),
        applies_to: vec![],
        params: match params {
            Value::Object(m) => m.into_iter().collect(),
            _ => Default::default(),
        },
        reason_code: reason.into(),
        return_code: ret.into(),
        interpretation: Some("built-in generic rule of the claims checker".into()),
        toelichting: Some("ingebouwde algemene regel van de declaratiecontrole".into()),
        source,
    };
    vec![
        rule(
            "insured-on-date",
            "insured-on-date",
            "De verzekerde is op de prestatiedatum verzekerd bij een label van Zilveren Kruis.",
            "ZK-NOT-INSURED",
            "0320",
            src(
                "004_ff397b22ce59c05b.txt",
                "Bijlage 6",
                "Zilveren Kruis (3311), Interpolis (3313), OZF (3314), Avéro Achmea (3329), FBTO (3351), De Friesland (3358) en One Underwriting Health (8971)",
            ),
            serde_json::json!({}),
        ),
        rule(
            "requires-contract",
            "requires-contract",
            "Zorg wordt vergoed op basis van de overeenkomst met de zorgaanbieder; buiten de looptijd of zonder overeenkomst niet.",
            "ZK-NO-CONTRACT",
            "0613",
            naleving.clone(),
            serde_json::json!({}),
        ),
        rule(
            "max-tariff",
            "max-tariff",
            "Gedeclareerd wordt ten hoogste het overeengekomen tarief.",
            "ZK-TARIFF-ABOVE",
            "0611",
            naleving.clone(),
            serde_json::json!({}),
        ),
        rule(
            "duplicate",
            "duplicate",
            "Een prestatie wordt één keer vergoed (dubbele declaratie).",
            "ZK-DUPLICATE",
            "0587",
            naleving,
            serde_json::json!({}),
        ),
    ]
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => vec![],
    }
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

impl RuleSet {
    /// Resolves the claim rules of all policies, then the built-in generic rules.
    pub fn from_policies(set: &PolicySet) -> Result<RuleSet, RuleError> {
        let mut module_codes: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for p in &set.policies {
            for m in &p.file.modules {
                if !m.prestatie_codes.is_empty() {
                    module_codes
                        .entry(m.id.clone())
                        .or_default()
                        .extend(m.prestatie_codes.iter().cloned());
                }
            }
        }
        let mut rules = Vec::new();
        for (pi, p) in set.policies.iter().enumerate() {
            for r in &p.file.claim_rules {
                rules.push(resolve(set, Some(pi), p.id(), r.clone())?);
            }
        }
        for b in builtin_rules() {
            rules.push(resolve(set, None, "built-in", b)?);
        }
        let policies = set
            .policies
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                let mut codes: Vec<String> = p
                    .file
                    .modules
                    .iter()
                    .flat_map(|m| m.prestatie_codes.iter().cloned())
                    .collect();
                for r in rules.iter().filter(|r| r.policy_index == Some(pi as u16)) {
                    codes.extend(r.codes.iter().cloned());
                    if let Kind::RequiresContract {
                        no_contract_codes, ..
                    } = &r.kind
                    {
                        codes.extend(
                            no_contract_codes
                                .iter()
                                .filter(|c| Code::parse(c).is_some())
                                .cloned(),
                        );
                    }
                }
                codes.sort();
                codes.dedup();
                PolicyScope {
                    id: p.id().to_string(),
                    domain: p.file.policy.domain.clone(),
                    start: p.file.policy.period_start,
                    end: p.file.policy.period_end,
                    codes,
                }
            })
            .collect();
        Ok(RuleSet {
            rules,
            module_codes,
            policies,
            policy_refs: set
                .policies
                .iter()
                .map(|p| PolicyRef {
                    id: p.id().to_string(),
                    version: p.file.policy.version.clone(),
                    sha256: p.sha256.clone(),
                })
                .collect(),
        })
    }

    /// The policy receipt of a run with these rules: `id@version sha256:<hex>` for each policy,
    /// `;`-separated, in load order (plus `built-in` when built-in rules were added).
    pub fn receipt(&self) -> String {
        let mut parts: Vec<String> = self
            .policy_refs
            .iter()
            .map(|p| format!("{}@{} sha256:{}", p.id, p.version, p.sha256))
            .collect();
        if self.rules.iter().any(|r| r.policy == "built-in") {
            parts.push("built-in".into());
        }
        parts.join(";")
    }

    /// Rules of one kind name.
    pub fn of_kind<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (usize, &'a Rule)> {
        self.rules
            .iter()
            .enumerate()
            .filter(move |(_, r)| kind_name(&r.kind) == name)
    }
}

/// The kind name as written in policy files.
pub fn kind_name(k: &Kind) -> &'static str {
    match k {
        Kind::OncePerPeriod { .. } => "once-per-period",
        Kind::NotInCareChain { .. } => "not-in-care-chain",
        Kind::InCareChain { .. } => "in-care-chain",
        Kind::ClaimWindow { .. } => "claim-window",
        Kind::Lapsed { .. } => "lapsed",
        Kind::SubmissionDeadline { .. } => "submission-deadline",
        Kind::NotDuring { .. } => "not-during",
        Kind::PostcodeOnly { .. } => "postcode-only",
        Kind::MinAge { .. } => "min-age",
        Kind::RequiresAgreement => "requires-agreement",
        Kind::ClaimantKind { .. } => "claimant-kind",
        Kind::RevenueCeiling { .. } => "revenue-ceiling",
        Kind::RequiresContract { .. } => "requires-contract",
        Kind::MaxTariff => "max-tariff",
        Kind::Duplicate => "duplicate",
        Kind::InsuredOnDate { .. } => "insured-on-date",
    }
}

fn resolve(
    set: &PolicySet,
    policy_index: Option<usize>,
    policy: &str,
    r: ClaimRule,
) -> Result<Rule, RuleError> {
    let err = |m: String| RuleError {
        policy: policy.to_string(),
        rule: r.id.clone(),
        message: m,
    };
    let p = &r.params;
    if let Some((_, known)) = PARAM_KEYS.iter().find(|(k, _)| *k == r.kind)
        && let Some(key) = p.keys().find(|k| !known.contains(&k.as_str()))
    {
        return Err(err(format!(
            "onbekende parameter `{key}` voor soort `{}` (bekend: {})",
            r.kind,
            if known.is_empty() {
                "geen".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    let chains = |name: &str| -> Result<Vec<String>, RuleError> {
        let c = strings(p.get("chains"));
        if c.is_empty() {
            return Err(err(format!("{name}: params.chains is leeg")));
        }
        Ok(c)
    };
    let kind = match r.kind.as_str() {
        "once-per-period" => Kind::OncePerPeriod {
            period: match p.get("period").and_then(Value::as_str) {
                Some("year") => Period::Year,
                Some("quarter") => Period::Quarter,
                other => {
                    return Err(err(format!(
                        "params.period moet \"year\" of \"quarter\" zijn, niet {other:?}"
                    )));
                }
            },
        },
        "not-in-care-chain" => Kind::NotInCareChain {
            chains: chains("not-in-care-chain")?,
        },
        "in-care-chain" => Kind::InCareChain {
            chains: chains("in-care-chain")?,
        },
        "claim-window" => Kind::ClaimWindow {
            quarter: p
                .get("quarter")
                .and_then(decimal)
                .and_then(|d| d.to_u8())
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| err("params.quarter moet 1, 2, 3 of 4 zijn".into()))?,
        },
        "lapsed" => Kind::Lapsed {
            from: p
                .get("from")
                .and_then(Value::as_str)
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(|| err("params.from moet een datum JJJJ-MM-DD zijn".into()))?,
        },
        "not-during" => Kind::NotDuring {
            consults: {
                let c = strings(p.get("consults"));
                if c.is_empty() {
                    return Err(err("params.consults is leeg".into()));
                }
                if let Some(bad) = c.iter().find(|x| Code::parse(x).is_none()) {
                    return Err(err(format!(
                        "params.consults: {bad:?} is geen prestatiecode"
                    )));
                }
                c
            },
            months: p
                .get("months")
                .and_then(decimal)
                .and_then(|d| d.to_u32())
                .filter(|m| (1..=24).contains(m))
                .ok_or_else(|| {
                    err("params.months moet een heel aantal maanden zijn (1-24)".into())
                })?,
        },
        "submission-deadline" => Kind::SubmissionDeadline {
            deadline: p
                .get("deadline")
                .and_then(Value::as_str)
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(|| err("params.deadline moet een datum JJJJ-MM-DD zijn".into()))?,
        },
        "postcode-only" => Kind::PostcodeOnly {
            places: strings(p.get("places")),
            postcodes: strings(p.get("postcodes"))
                .iter()
                .map(|s| {
                    s.get(..4)
                        .and_then(|x| x.parse().ok())
                        .ok_or_else(|| err(format!("postcode {s:?} is geen begin van 4 cijfers")))
                })
                .collect::<Result<_, _>>()?,
        },
        "min-age" => Kind::MinAge {
            age: p
                .get("age")
                .and_then(decimal)
                .and_then(|d| d.to_i32())
                .ok_or_else(|| err("params.age moet een geheel getal zijn".into()))?,
        },
        "requires-agreement" => Kind::RequiresAgreement,
        "claimant-kind" => Kind::ClaimantKind {
            agb_prefixes: strings(p.get("agb_prefixes"))
                .iter()
                .map(|s| {
                    s.parse()
                        .map_err(|_| err(format!("AGB-prefix {s:?} is geen getal")))
                })
                .collect::<Result<_, _>>()?,
        },
        "revenue-ceiling" => Kind::RevenueCeiling {
            not_paid: p.get("excess").and_then(Value::as_str) != Some("post-calculation"),
        },
        "requires-contract" => {
            let mut rate = Vec::new();
            if let Some(v) = p.get("no_contract_rate") {
                if let Some(d) = decimal(v) {
                    rate.push((
                        NaiveDate::MIN,
                        (d * Decimal::from(10_000)).trunc().to_i64().unwrap_or(0),
                    ));
                } else if let Some(id) = v.as_str() {
                    let param = set
                        .policies
                        .iter()
                        .find_map(|pol| pol.parameter(id))
                        .ok_or_else(|| {
                            err(format!(
                                "no_contract_rate: geen parameter `{id}` in de beleidsdocumenten"
                            ))
                        })?;
                    for dv in &param.values {
                        rate.push((
                            dv.from,
                            (dv.value * Decimal::from(10_000))
                                .trunc()
                                .to_i64()
                                .unwrap_or(0),
                        ));
                    }
                    rate.sort();
                }
            }
            let module = match p.get("module") {
                None => None,
                Some(Value::String(m)) if set.policies.iter().any(|p| p.module(m).is_some()) => {
                    Some(m.clone())
                }
                Some(other) => {
                    return Err(err(format!(
                        "params.module {other} is geen module van de beleidsdocumenten"
                    )));
                }
            };
            Kind::RequiresContract {
                module,
                no_contract_codes: strings(p.get("no_contract_codes")),
                no_contract_rate: rate,
            }
        }
        "max-tariff" => Kind::MaxTariff,
        "duplicate" => {
            if let Some(f) = strings(p.get("key"))
                .into_iter()
                .find(|f| !DUPLICATE_KEY_FIELDS.contains(&f.as_str()))
            {
                return Err(err(format!(
                    "params.key: onbekend veld `{f}` (bekend: {})",
                    DUPLICATE_KEY_FIELDS.join(", ")
                )));
            }
            Kind::Duplicate
        }
        "insured-on-date" => Kind::InsuredOnDate {
            labels: {
                let l: Vec<u16> = strings(p.get("labels"))
                    .iter()
                    .map(|s| {
                        s.parse()
                            .map_err(|_| err(format!("label {s:?} is geen UZOVI-nummer")))
                    })
                    .collect::<Result<_, _>>()?;
                if l.is_empty() { LABELS.to_vec() } else { l }
            },
        },
        other => return Err(err(format!("onbekende soort `{other}`"))),
    };
    let return_code: u16 = r.return_code.parse().map_err(|_| {
        err(format!(
            "return_code {:?} is geen code van 4 cijfers",
            r.return_code
        ))
    })?;
    let mut codes = Vec::new();
    let mut modules = Vec::new();
    // module ids are those of the rule's own policy: a module of the same name in another
    // policy (`basiszorg` in both GP policies) has other codes and another period
    let own = policy_index.map(|i| &set.policies[i]);
    for a in &r.applies_to {
        if let Some(m) = own.and_then(|p| p.module(a)) {
            // a module without codes applies to its contracts (revenue ceiling) only
            modules.push(a.clone());
            codes.extend(m.prestatie_codes.iter().cloned());
        } else if Code::parse(a).is_some() {
            codes.push(a.clone());
        } else {
            return Err(err(format!(
                "applies_to `{a}` is geen module van dit beleid en geen prestatiecode"
            )));
        }
    }
    let code_set = codes.iter().filter_map(|c| Code::parse(c)).collect();
    Ok(Rule {
        applies_all: r.applies_to.is_empty(),
        id: r.id,
        policy: policy.to_string(),
        text: r.text,
        kind,
        applies_to: r.applies_to,
        codes,
        modules,
        reason_code: r.reason_code,
        return_code,
        source: r.source,
        code_set,
        policy_index: policy_index.map(|i| i as u16),
    })
}

/// Module id → resolved codes, for contract matching.
pub fn module_code_sets(rs: &RuleSet) -> FxHashMap<String, FxHashSet<Code>> {
    rs.module_codes
        .iter()
        .map(|(m, cs)| {
            (
                m.clone(),
                cs.iter().filter_map(|c| Code::parse(c)).collect(),
            )
        })
        .collect()
}
