//! Finding, loading, listing, validating and comparing the policy files.
//!
//! Where the policies are ([`source`]): an explicit folder, else `$ZORGINKOOP_POLICIES`, else
//! `./policies`, else the policies built into the binary ([`Source::Embedded`]: the repository's
//! `policies/*.toml` and `policies/texts/*.txt` as they were when it was compiled), so that an
//! installed binary works in any folder. An embedded policy has the same bytes, so the same
//! SHA-256 and the same receipts, as the file it was built from.

use crate::{AppError, embedded};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use zorginkoop_policy::{Policy, PolicyDiff, PolicySet};

/// Where a set of policies is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder with `*.toml` policy files and their document texts in `texts/`.
    Dir(PathBuf),
    /// The policies and texts built into the binary.
    Embedded,
}

impl fmt::Display for Source {
    /// The folder, or `(ingebouwd)` for the embedded set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Dir(d) => write!(f, "{}", d.display()),
            Source::Embedded => f.write_str(embedded::LABEL),
        }
    }
}

impl Source {
    /// Loads every policy; all problems are reported at once.
    pub fn load(&self) -> Result<PolicySet, AppError> {
        let loaded = match self {
            Source::Dir(dir) => PolicySet::load_dir(dir),
            Source::Embedded => PolicySet::from_files(
                embedded::POLICIES
                    .iter()
                    .map(|(name, bytes)| (PathBuf::from(embedded::label(name)), *bytes)),
                embedded_texts(),
            ),
        };
        loaded.map_err(|errors| AppError::PolicyLoad {
            dir: PathBuf::from(self.to_string()),
            problems: errors.iter().map(|e| e.to_string()).collect(),
        })
    }

    /// A policy by id from this source, or the policy file itself when `id_or_path` is a path
    /// to an existing `.toml` file (to try a draft policy before it is published).
    pub fn open(&self, id_or_path: &str) -> Result<Policy, AppError> {
        let p = Path::new(id_or_path);
        if id_or_path.ends_with(".toml") && p.exists() {
            return Policy::load(p).map_err(|e| AppError::PolicyLoad {
                dir: p.to_path_buf(),
                problems: vec![e.to_string()],
            });
        }
        let set = self.load()?;
        find(&set, id_or_path).cloned()
    }
}

/// Where the policies are: `explicit`, else `$ZORGINKOOP_POLICIES`, else `./policies` (when it
/// holds a `README.md` or `texts/`), else the embedded set.
pub fn source(explicit: Option<&Path>) -> Source {
    if let Some(d) = explicit {
        return Source::Dir(d.to_path_buf());
    }
    if let Some(d) = std::env::var_os("ZORGINKOOP_POLICIES") {
        return Source::Dir(PathBuf::from(d));
    }
    let local = PathBuf::from("policies");
    if local.join("README.md").exists() || local.join("texts").exists() {
        return Source::Dir(local);
    }
    Source::Embedded
}

/// The policies a front end without a `--policies` option uses: those of [`source`]`(None)`.
pub fn load_default() -> Result<PolicySet, AppError> {
    source(None).load()
}

/// The policies built into the binary.
pub fn load_embedded() -> Result<PolicySet, AppError> {
    Source::Embedded.load()
}

/// The embedded policy files as `(file name, contents)`, sorted by name.
pub fn embedded_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::POLICIES
}

/// The embedded document texts (`policies/texts/*.txt`) by file name.
pub fn embedded_texts() -> BTreeMap<String, String> {
    embedded::TEXTS
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect()
}

/// The folder the policies are read from: `explicit`, else `$ZORGINKOOP_POLICIES`, else
/// `./policies`. Only folders: [`source`] also falls back to the embedded policies, and is
/// what a front end should use.
pub fn policy_dir(explicit: Option<&Path>) -> PathBuf {
    match source(explicit) {
        Source::Dir(d) => d,
        Source::Embedded => PathBuf::from("policies"),
    }
}

/// Loads every policy of `dir`; all problems are reported at once.
pub fn load(dir: &Path) -> Result<PolicySet, AppError> {
    Source::Dir(dir.to_path_buf()).load()
}

/// Finds a policy by id in `set`.
pub fn find<'a>(set: &'a PolicySet, id: &str) -> Result<&'a Policy, AppError> {
    set.get(id).ok_or_else(|| AppError::UnknownPolicy {
        id: id.to_string(),
        known: set.policies.iter().map(|p| p.id().to_string()).collect(),
    })
}

/// A policy by id from the folder `dir`, or the policy file itself when `id_or_path` is a path
/// to a `.toml` file (see [`Source::open`]).
pub fn open(dir: &Path, id_or_path: &str) -> Result<Policy, AppError> {
    Source::Dir(dir.to_path_buf()).open(id_or_path)
}

/// One line of the policy list.
#[derive(Debug, Clone, Serialize)]
pub struct PolicySummary {
    pub id: String,
    pub title: String,
    pub version: String,
    pub domain: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub document: String,
    pub modules: usize,
    pub sha256: String,
}

/// The policies of a set, in the set's order.
pub fn list(set: &PolicySet) -> Vec<PolicySummary> {
    set.policies
        .iter()
        .map(|p| {
            let m = &p.file.policy;
            PolicySummary {
                id: p.id().to_string(),
                title: m.title.clone(),
                version: m.version.clone(),
                domain: m.domain.clone(),
                period_start: m.period_start,
                period_end: m.period_end,
                document: m.document.clone(),
                modules: p.file.modules.len(),
                sha256: p.sha256.clone(),
            }
        })
        .collect()
}

/// The outcome of validating every policy: structure and references (checked on load),
/// calculator references, and every quote found in its document.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub policies: usize,
    /// Items that carry a source (document, section, quote).
    pub sourced_rules: usize,
    /// Source documents found (0: quotes could not be checked).
    pub documents: usize,
    /// Every problem, one per line, naming file and item.
    pub problems: Vec<String>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Validates a loaded set.
pub fn validate(set: &PolicySet) -> Validation {
    let mut problems: Vec<String> = set
        .validate_quotes()
        .iter()
        .map(|e| e.to_string())
        .collect();
    for p in &set.policies {
        problems.extend(
            zorginkoop_engine::calc::check_references(p)
                .iter()
                .map(|e| e.to_string()),
        );
    }
    Validation {
        policies: set.policies.len(),
        sourced_rules: set.policies.iter().map(|p| p.sources().len()).sum(),
        documents: set.texts.len(),
        problems,
    }
}

/// What changed between two policies (or two versions of one).
pub fn diff(old: &Policy, new: &Policy) -> PolicyDiff {
    zorginkoop_policy::diff(old, new)
}

/// One line of a readable diff: an item added (`+`), removed (`-`) or a field changed (`~`),
/// named in Dutch, with values as text instead of JSON. Nested fields are expanded to the
/// field that changed (`aanvraag.sluit`), lists are joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeLine {
    pub sign: char,
    /// The item in Dutch, e.g. `module poh-ggz / voorwaarde hours`.
    pub item: String,
    /// For `~`: the field that changed (Dutch name, dotted path for nested fields).
    pub field: Option<String>,
    /// For `+` and `-`: the item's name; for `~`: the old value.
    pub old: Option<String>,
    /// For `~`: the new value.
    pub new: Option<String>,
}

/// The changes of a diff as lines for people (Dutch names, values as text).
pub fn readable(diff: &PolicyDiff) -> Vec<ChangeLine> {
    use zorginkoop_policy::Change;
    let mut out = Vec::new();
    for c in &diff.changes {
        match c {
            Change::Added { item, name } | Change::Removed { item, name } => out.push(ChangeLine {
                sign: if matches!(c, Change::Added { .. }) {
                    '+'
                } else {
                    '-'
                },
                item: dutch_item(item),
                field: None,
                old: Some(name.trim().to_string()),
                new: None,
            }),
            Change::Changed {
                item,
                field,
                old,
                new,
            } => expand(&dutch_item(item), &dutch_field(field), old, new, &mut out),
        }
    }
    out
}

fn expand(
    item: &str,
    path: &str,
    old: &serde_json::Value,
    new: &serde_json::Value,
    out: &mut Vec<ChangeLine>,
) {
    use serde_json::Value;
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                if x != y && k != "source" {
                    expand(item, &format!("{path}.{}", dutch_field(k)), x, y, out);
                }
            }
        }
        _ => out.push(ChangeLine {
            sign: '~',
            item: item.to_string(),
            field: Some(path.to_string()),
            old: Some(text(old)),
            new: Some(text(new)),
        }),
    }
}

/// A JSON value as text for people: strings as they are, lists joined, objects as
/// `naam: waarde` pairs, nothing as `(geen)`.
fn text(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "(geen)".into(),
        Value::Bool(true) => "ja".into(),
        Value::Bool(false) => "nee".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match s.as_str() {
            "quarterly" => "elk kwartaal".into(),
            "half-yearly" => "elk halfjaar".into(),
            "yearly" => "jaarlijks".into(),
            "monthly" => "maandelijks".into(),
            "period-start" => "begin van de contractperiode".into(),
            other => zorginkoop_policy::ProviderKind::ALL
                .iter()
                .find(|k| k.as_str() == other)
                .map_or_else(|| other.trim().to_string(), |k| k.dutch().to_string()),
        },
        Value::Array(items) if items.is_empty() => "(geen)".into(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        Value::Object(map) => {
            // a dated parameter value reads as "12 vanaf 2022-01-01"
            if let (Some(value), Some(from)) = (map.get("value"), map.get("from"))
                && map.len() == 2
            {
                return format!("{} vanaf {}", text(value), text(from));
            }
            map.iter()
                .filter(|(k, v)| k.as_str() != "source" && !v.is_null())
                .map(|(k, v)| format!("{}: {}", dutch_field(k), text(v)))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

fn dutch_item(item: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("claim rule ", "declaratieregel "),
        ("milestone ", "termijn "),
        ("questionnaire ", "vragenlijst "),
        ("question ", "vraag "),
        ("condition ", "voorwaarde "),
        ("exclusion ", "uitsluiting "),
        ("table ", "tabel "),
    ];
    let mut s = item.to_string();
    for (en, nl) in WORDS {
        s = s.replace(en, nl);
    }
    s
}

fn dutch_field(field: &str) -> String {
    let nl = match field {
        "name" => "naam",
        "title" => "titel",
        "label" => "omschrijving",
        "summary" => "samenvatting",
        "text" => "tekst",
        "interpretation" => "interpretatie",
        "application" => "aanvraag",
        "start_dates" => "startdata",
        "lead_time_weeks" => "weken vooraf",
        "opens" => "opent",
        "closes" => "sluit",
        "tariff" => "tarief",
        "description" => "omschrijving",
        "prestatie_codes" => "prestatiecodes",
        "contracting_levels" => "contracteerniveaus",
        "contractable" => "te contracteren",
        "not_contractable_reason" => "reden niet te contracteren",
        "requires" => "vereist",
        "derive" => "afgeleide feiten",
        "questionnaires" => "vragenlijsten",
        "values" => "waarden",
        "value" => "waarde",
        "from" => "vanaf",
        "unit" => "eenheid",
        "example" => "voorbeeldwaarde",
        "date" => "datum",
        "until" => "tot en met",
        "kind" => "soort",
        "check" => "toets",
        "on_fail" => "bij niet voldoen",
        "escape" => "uitzondering",
        "applies_to" => "geldt voor",
        "params" => "instellingen",
        "reason_code" => "redencode",
        "return_code" => "retourcode",
        "rows" => "rijen",
        "inputs" => "invoer",
        "outputs" => "uitvoer",
        other => other,
    };
    nl.to_string()
}

/// The title of the policy whose source document is `document` (a file name under
/// `policies/texts/`), for citations shown to users; the file name when no policy names it.
pub fn document_title(set: &PolicySet, document: &str) -> String {
    set.policies
        .iter()
        .find(|p| p.file.policy.document == document)
        .map(|p| p.file.policy.title.clone())
        .unwrap_or_else(|| document.to_string())
}
