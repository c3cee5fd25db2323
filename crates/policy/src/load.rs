//! Loading and validating policy files.

use crate::check::Check;
use crate::compile::Compiled;
use crate::facts::{self, FactDecl, FactType};
use crate::model::*;
use crate::table::Table;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// A loaded, validated policy with its provenance.
#[derive(Debug, Clone)]
pub struct Policy {
    pub file: PolicyFile,
    /// Where it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// The rules in the form `decide` evaluates, compiled once on load.
    pub compiled: Compiled,
}

/// One problem found while validating a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub file: PathBuf,
    /// The item, e.g. ``module `poh-ggz`, condition `norm-hours` ``.
    pub item: String,
    pub problem: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.item,
            self.problem
        )
    }
}

/// Why a policy file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: kan niet worden gelezen: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ValidationError>),
    /// A policies folder without a single policy file.
    #[error("{0}: geen beleidsbestanden (*.toml) in deze map")]
    Empty(PathBuf),
}

/// Collapses every run of whitespace to one space, and trims.
pub fn normalize_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Policy {
    /// Reads and validates one policy file.
    pub fn load(path: &Path) -> Result<Policy, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, &bytes)
    }

    /// Parses and validates policy text (the path is used in messages).
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Policy, LoadError> {
        let text = std::str::from_utf8(bytes).map_err(|e| LoadError::Parse {
            path: path.to_path_buf(),
            message: format!("geen UTF-8: {e}"),
        })?;
        let file: PolicyFile = toml::from_str(text).map_err(|e| LoadError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        Self::from_file(file, path, hex(&Sha256::digest(bytes)))
    }

    /// Validates and compiles a parsed file (the path is used in messages, the hash is the
    /// file's SHA-256 recorded in receipts).
    pub fn from_file(file: PolicyFile, path: &Path, sha256: String) -> Result<Policy, LoadError> {
        let mut policy = Policy {
            file,
            path: path.to_path_buf(),
            sha256,
            compiled: Compiled::default(),
        };
        let errors = policy.validate();
        if !errors.is_empty() {
            return Err(LoadError::Invalid(errors));
        }
        policy.compiled = Compiled::build(&policy.file).map_err(|errs| {
            LoadError::Invalid(
                errs.into_iter()
                    .map(|(item, problem)| ValidationError {
                        file: path.to_path_buf(),
                        item,
                        problem,
                    })
                    .collect(),
            )
        })?;
        Ok(policy)
    }

    pub fn id(&self) -> &str {
        &self.file.policy.id
    }

    pub fn module(&self, id: &str) -> Option<&Module> {
        match self.compiled.module_index(id) {
            Some(i) => self.file.modules.get(i),
            // not compiled (yet): search the file
            None => self.file.modules.iter().find(|m| m.id == id),
        }
    }

    pub fn parameter(&self, id: &str) -> Option<&Parameter> {
        self.file.parameters.iter().find(|p| p.id == id)
    }

    pub fn questionnaire(&self, id: &str) -> Option<&Questionnaire> {
        self.file.questionnaires.iter().find(|q| q.id == id)
    }

    pub fn table(&self, id: &str) -> Option<&DecisionTable> {
        self.file.tables.iter().find(|t| t.id == id)
    }

    /// The declaration of a fact a case may give: a `[[facts]]` entry, or a questionnaire
    /// answer `<questionnaire>.<question>` (yes/no, labelled with the question).
    pub fn fact(&self, id: &str) -> Option<FactDecl> {
        if let Some(d) = self.file.facts.iter().find(|f| f.id == id) {
            return Some(d.clone());
        }
        let (qid, question) = id.split_once('.')?;
        let q = self
            .questionnaire(qid)?
            .questions
            .iter()
            .find(|q| q.id == question)?;
        Some(FactDecl {
            id: id.to_string(),
            label: q.text.clone(),
            ty: FactType::YesNo,
            unit: None,
            min: None,
            max: None,
            values: Vec::new(),
        })
    }

    /// The names of every fact a case may give: declared facts and questionnaire answers.
    pub fn fact_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.file.facts.iter().map(|f| f.id.clone()).collect();
        for q in &self.file.questionnaires {
            names.extend(q.questions.iter().map(|qq| format!("{}.{}", q.id, qq.id)));
        }
        names
    }

    /// The derivation that computes a fact, with its module, if the fact is derived.
    pub fn derivation(&self, fact: &str) -> Option<(&Module, &Derivation)> {
        self.file
            .modules
            .iter()
            .find_map(|m| m.derive.iter().find(|d| d.fact == fact).map(|d| (m, d)))
    }

    /// The value of a parameter on a date: the last value whose `from` is on or before it.
    pub fn param_on(&self, id: &str, date: NaiveDate) -> Option<(Decimal, &Parameter)> {
        let p = self.parameter(id)?;
        p.values
            .iter()
            .rev()
            .find(|v| v.from <= date)
            .map(|v| (v.value, p))
    }

    /// Every source in the file, with the item it belongs to.
    pub fn sources(&self) -> Vec<(String, &Source)> {
        let f = &self.file;
        let mut out = vec![("beleid".to_string(), &f.policy.source)];
        for m in &f.timeline {
            out.push((format!("mijlpaal `{}`", m.id), &m.source));
        }
        for p in &f.parameters {
            out.push((format!("parameter `{}`", p.id), &p.source));
        }
        for m in &f.modules {
            out.push((format!("module `{}`", m.id), &m.source));
            if let Some(a) = &m.application {
                out.push((format!("module `{}`, aanvraag", m.id), &a.source));
                if let Some(l) = &a.late {
                    out.push((format!("module `{}`, late aanvraag", m.id), &l.source));
                }
            }
            if let Some(t) = &m.tariff {
                out.push((format!("module `{}`, tarief", m.id), &t.source));
            }
            for c in &m.conditions {
                out.push((
                    format!("module `{}`, voorwaarde `{}`", m.id, c.id),
                    &c.source,
                ));
            }
            for x in &m.exclusions {
                out.push((
                    format!("module `{}`, uitsluiting `{}`", m.id, x.id),
                    &x.source,
                ));
            }
        }
        for q in &f.questionnaires {
            out.push((format!("vragenlijst `{}`", q.id), &q.source));
            for qq in &q.questions {
                out.push((
                    format!("vragenlijst `{}`, vraag `{}`", q.id, qq.id),
                    &qq.source,
                ));
            }
        }
        for t in &f.tables {
            out.push((format!("tabel `{}`", t.id), &t.source));
        }
        for r in &f.claim_rules {
            out.push((format!("declaratieregel `{}`", r.id), &r.source));
        }
        for i in &f.interpretations {
            out.push((format!("interpretatie `{}`", i.id), &i.source));
        }
        for o in &f.obligations {
            out.push((format!("verplichting `{}`", o.id), &o.source));
        }
        out
    }

    /// Checks the file's internal consistency. Returns every problem found.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errs = Vec::new();
        let mut err = |item: String, problem: String| {
            errs.push(ValidationError {
                file: self.path.clone(),
                item,
                problem,
            })
        };
        let f = &self.file;
        let meta = &f.policy;
        if !is_id(&meta.id) {
            err(
                "beleid".into(),
                format!("id `{}` moet kebab-case in kleine letters zijn", meta.id),
            );
        }
        if meta.period_start > meta.period_end {
            err("beleid".into(), "period_start ligt na period_end".into());
        }
        for (item, s) in self.sources() {
            if s.document.trim().is_empty() || s.section.trim().is_empty() {
                err(
                    item.clone(),
                    "source heeft een document en een sectie nodig".into(),
                );
            }
            if s.quote.trim().len() < 8 {
                err(
                    item.clone(),
                    "het citaat (quote) van de bron ontbreekt of is te kort om de passage te vinden".into(),
                );
            }
        }
        let module_ids: HashSet<&str> = f.modules.iter().map(|m| m.id.as_str()).collect();
        let param_ids: HashSet<&str> = f.parameters.iter().map(|p| p.id.as_str()).collect();
        let questionnaire_ids: HashSet<&str> =
            f.questionnaires.iter().map(|q| q.id.as_str()).collect();
        let prestatie_codes: HashSet<&str> = f
            .modules
            .iter()
            .flat_map(|m| m.prestatie_codes.iter().map(String::as_str))
            .collect();
        for (what, ids) in [
            (
                "mijlpaal",
                f.timeline.iter().map(|x| &x.id).collect::<Vec<_>>(),
            ),
            ("parameter", f.parameters.iter().map(|x| &x.id).collect()),
            ("module", f.modules.iter().map(|x| &x.id).collect()),
            (
                "vragenlijst",
                f.questionnaires.iter().map(|x| &x.id).collect(),
            ),
            ("tabel", f.tables.iter().map(|x| &x.id).collect()),
            (
                "declaratieregel",
                f.claim_rules.iter().map(|x| &x.id).collect(),
            ),
            (
                "interpretatie",
                f.interpretations.iter().map(|x| &x.id).collect(),
            ),
            (
                "verplichting",
                f.obligations.iter().map(|x| &x.id).collect(),
            ),
        ] {
            let mut seen = HashSet::new();
            for id in ids {
                if !is_id(id) {
                    err(
                        format!("{what} `{id}`"),
                        "id moet kebab-case in kleine letters zijn (letters, cijfers, '-', '.')"
                            .into(),
                    );
                }
                if !seen.insert(id) {
                    err(
                        format!("{what} `{id}`"),
                        "id wordt twee keer gebruikt".into(),
                    );
                }
            }
        }
        for m in &f.timeline {
            if let Some(until) = m.until
                && until < m.date
            {
                err(
                    format!("mijlpaal `{}`", m.id),
                    "until ligt voor date".into(),
                );
            }
        }
        for p in &f.parameters {
            let item = format!("parameter `{}`", p.id);
            if p.values.is_empty() {
                err(item.clone(), "heeft geen waarden".into());
            }
            for v in &p.values {
                if let Some(problem) = unit_range_problem(p.unit, v.value) {
                    err(
                        item.clone(),
                        format!("waarde {} vanaf {}: {problem}", v.value, v.from),
                    );
                }
            }
            for w in p.values.windows(2) {
                if w[0].from >= w[1].from {
                    err(
                        item.clone(),
                        format!(
                            "waarden moeten op oplopende `from` staan ({} en daarna {})",
                            w[0].from, w[1].from
                        ),
                    );
                }
            }
        }
        for m in &f.modules {
            let item = format!("module `{}`", m.id);
            if m.contracting_levels.is_empty() {
                err(item.clone(), "contracting_levels is leeg".into());
            }
            if !m.contractable && m.not_contractable_reason.is_none() {
                err(
                    item.clone(),
                    "een module die niet te contracteren is heeft een not_contractable_reason nodig".into(),
                );
            }
            for r in &m.requires {
                if !module_ids.contains(r.as_str()) {
                    err(item.clone(), format!("vereist onbekende module `{r}`"));
                }
                if r == &m.id {
                    err(item.clone(), "vereist zichzelf".into());
                }
            }
            for q in &m.questionnaires {
                if !questionnaire_ids.contains(q.as_str()) {
                    err(item.clone(), format!("onbekende vragenlijst `{q}`"));
                }
            }
            if let Some(a) = &m.application
                && let (Some(o), Some(c)) = (a.opens, a.closes)
                && o > c
            {
                err(format!("{item}, aanvraag"), "opens ligt na closes".into());
            }
            if let Some(a) = &m.application
                && a.late.is_some()
                && a.closes.is_none()
            {
                err(
                    format!("{item}, aanvraag"),
                    "een route voor latere aanvragen (late) heeft een `closes`-datum nodig".into(),
                );
            }
            if let Some(t) = &m.tariff {
                for p in &t.parameters {
                    if !param_ids.contains(p.as_str()) {
                        err(
                            format!("{item}, tarief"),
                            format!("onbekende parameter `{p}`"),
                        );
                    }
                }
            }
            let mut seen = HashSet::new();
            for (what, id, check) in m.rules() {
                let item = format!("{item}, {what} `{id}`");
                if !seen.insert(id) {
                    err(
                        item.clone(),
                        "id wordt twee keer gebruikt in deze module".into(),
                    );
                }
                if let Some(spec) = check {
                    match Check::from_spec(spec) {
                        Ok(c) => {
                            let mut ps = Vec::new();
                            c.params(&mut ps);
                            for p in ps {
                                if !param_ids.contains(p.as_str()) {
                                    err(item.clone(), format!("onbekende parameter `{p}`"));
                                }
                            }
                            let mut ms = Vec::new();
                            c.modules(&mut ms);
                            for mm in ms {
                                if !module_ids.contains(mm.as_str()) {
                                    err(item.clone(), format!("onbekende module `{mm}`"));
                                }
                            }
                        }
                        Err(problem) => err(item.clone(), problem),
                    }
                }
            }
        }
        for q in &f.questionnaires {
            let mut seen = HashSet::new();
            for qq in &q.questions {
                if !seen.insert(&qq.id) {
                    err(
                        format!("vragenlijst `{}`, vraag `{}`", q.id, qq.id),
                        "id wordt twee keer gebruikt".into(),
                    );
                }
            }
        }
        for t in &f.tables {
            if let Err(problems) = Table::compile(t) {
                for (item, problem) in problems {
                    err(item, problem);
                }
            }
        }
        for r in &f.claim_rules {
            for a in &r.applies_to {
                if !module_ids.contains(a.as_str())
                    && !prestatie_codes.contains(a.as_str())
                    && !a.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    err(
                        format!("declaratieregel `{}`", r.id),
                        format!("applies_to `{a}` is geen module-id en geen prestatiecode"),
                    );
                }
            }
            if r.return_code.len() != 4 || !r.return_code.chars().all(|c| c.is_ascii_digit()) {
                err(
                    format!("declaratieregel `{}`", r.id),
                    "return_code moet een Vektis-code van vier cijfers zijn (COD954)".into(),
                );
            }
            if let Some(allowed) = claim_rule_params(&r.kind) {
                for key in r.params.keys() {
                    if !allowed.contains(&key.as_str()) {
                        err(
                            format!("declaratieregel `{}`", r.id),
                            format!(
                                "onbekende sleutel `{key}` in params voor soort `{}` (bekend: {})",
                                r.kind,
                                if allowed.is_empty() {
                                    "geen".to_string()
                                } else {
                                    allowed.join(", ")
                                }
                            ),
                        );
                    }
                }
            }
        }
        for o in &f.obligations {
            if o.when.is_none() && o.due.is_none() {
                err(
                    format!("verplichting `{}`", o.id),
                    "noemt geen termijn (due) en geen moment of ritme (when)".into(),
                );
            }
            for a in &o.applies_to {
                if !module_ids.contains(a.as_str()) {
                    err(
                        format!("verplichting `{}`", o.id),
                        format!("applies_to noemt onbekende module `{a}`"),
                    );
                }
            }
        }
        self.validate_facts(&mut err);
        errs
    }

    /// Fact declarations: well-formed, and every fact a rule reads is declared with a type
    /// that fits its use.
    fn validate_facts(&self, err: &mut impl FnMut(String, String)) {
        let f = &self.file;
        let mut seen = HashSet::new();
        for d in &f.facts {
            let item = format!("feit `{}`", d.id);
            if d.id.trim().is_empty() || d.id.chars().any(char::is_whitespace) {
                err(item.clone(), "id moet een naam zonder spaties zijn".into());
            }
            if !seen.insert(d.id.as_str()) {
                err(item.clone(), "id wordt twee keer gebruikt".into());
            }
            if d.label.trim().is_empty() {
                err(item.clone(), "heeft een (Nederlands) label nodig".into());
            }
            if (d.min.is_some() || d.max.is_some()) && !d.ty.is_numeric() {
                err(
                    item.clone(),
                    format!(
                        "min/max gelden alleen voor getallen, niet voor {}",
                        d.ty.as_str()
                    ),
                );
            }
            if let (Some(lo), Some(hi)) = (d.lower_bound(), d.upper_bound())
                && lo > hi
            {
                err(item.clone(), format!("het bereik {lo}..{hi} is leeg"));
            }
            if !d.values.is_empty() && !matches!(d.ty, FactType::Text | FactType::List) {
                err(
                    item.clone(),
                    format!(
                        "values gelden alleen voor text en list, niet voor {}",
                        d.ty.as_str()
                    ),
                );
            }
            if self.derivation(&d.id).is_some() {
                err(
                    item.clone(),
                    "wordt berekend door een afleiding (derive); het is niet als feit te declareren".into(),
                );
            }
        }
        for (fact, uses) in facts::used_facts(f) {
            if self.derivation(&fact).is_some() {
                continue;
            }
            match self.fact(&fact) {
                None => {
                    let (item, _) = &uses[0];
                    err(
                        item.clone(),
                        format!(
                            "feit `{fact}` is niet gedeclareerd (voeg een [[facts]]-regel toe)"
                        ),
                    );
                }
                Some(d) => {
                    for (item, how) in &uses {
                        if let Err(problem) = facts::fits(d.ty, how) {
                            err(item.clone(), format!("feit `{fact}` {problem}"));
                        }
                    }
                }
            }
        }
    }

    /// Checks that every source quote occurs in its document (whitespace-insensitive).
    /// `texts` maps a document file name to its text.
    pub fn validate_quotes(&self, texts: &BTreeMap<String, String>) -> Vec<ValidationError> {
        let normalized: BTreeMap<&str, String> = texts
            .iter()
            .map(|(k, v)| (k.as_str(), normalize_whitespace(v)))
            .collect();
        let mut errs = Vec::new();
        for (item, s) in self.sources() {
            match normalized.get(s.document.as_str()) {
                None => errs.push(ValidationError {
                    file: self.path.clone(),
                    item,
                    problem: format!("brondocument `{}` is onbekend", s.document),
                }),
                Some(text) => {
                    if !text.contains(&normalize_whitespace(&s.quote)) {
                        errs.push(ValidationError {
                            file: self.path.clone(),
                            item,
                            problem: format!(
                                "citaat niet gevonden in {}: {:?}",
                                s.document, s.quote
                            ),
                        });
                    }
                }
            }
        }
        errs
    }
}

/// All policies of a directory.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    /// Source document texts (`<dir>/texts/*.txt` for a folder), by file name.
    pub texts: BTreeMap<String, String>,
}

impl PolicySet {
    /// Loads every `*.toml` in `dir` (sorted by name) and the document texts in `dir/texts`.
    /// Collects the problems of all files instead of stopping at the first.
    pub fn load_dir(dir: &Path) -> Result<PolicySet, Vec<LoadError>> {
        let entries = std::fs::read_dir(dir).map_err(|source| {
            vec![LoadError::Io {
                path: dir.to_path_buf(),
                source,
            }]
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(vec![LoadError::Empty(dir.to_path_buf())]);
        }
        let mut texts = BTreeMap::new();
        if let Ok(entries) = std::fs::read_dir(dir.join("texts")) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "txt")
                    && let Ok(t) = std::fs::read_to_string(&p)
                {
                    texts.insert(e.file_name().to_string_lossy().into_owned(), t);
                }
            }
        }
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for path in paths {
            match std::fs::read(&path) {
                Ok(bytes) => files.push((path, bytes)),
                Err(source) => errors.push(LoadError::Io { path, source }),
            }
        }
        let loaded = Self::from_files(files.iter().map(|(p, b)| (p.clone(), b.as_slice())), texts);
        match loaded {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }

    /// Builds a set from policy files already in memory: `(name, bytes)` in the order given,
    /// where the name is what messages call the file (a path, or a label such as
    /// `(ingebouwd) gp-2022-2023.toml`), and the document texts by file name. The hash of a
    /// policy is that of its bytes, so the same file gives the same receipts wherever it was
    /// read from. Collects the problems of all files instead of stopping at the first.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (PathBuf, &'a [u8])>,
        texts: BTreeMap<String, String>,
    ) -> Result<PolicySet, Vec<LoadError>> {
        let mut set = PolicySet {
            policies: Vec::new(),
            texts,
        };
        let mut errors = Vec::new();
        for (path, bytes) in files {
            match Policy::from_bytes(&path, bytes) {
                Ok(policy) => set.policies.push(policy),
                Err(e) => errors.push(e),
            }
        }
        let mut seen = BTreeSet::new();
        for p in &set.policies {
            if !seen.insert(p.id().to_string()) {
                errors.push(LoadError::Invalid(vec![ValidationError {
                    file: p.path.clone(),
                    item: "beleid".into(),
                    problem: format!(
                        "beleids-id `{}` wordt ook door een ander bestand gebruikt",
                        p.id()
                    ),
                }]));
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id() == id)
    }

    /// Quote problems of all policies (empty when there are no texts to check against).
    pub fn validate_quotes(&self) -> Vec<ValidationError> {
        if self.texts.is_empty() {
            return Vec::new();
        }
        self.policies
            .iter()
            .flat_map(|p| p.validate_quotes(&self.texts))
            .collect()
    }
}

/// The `params` keys a claim-rule kind knows, or `None` for a kind this crate does not know
/// (the claims checker refuses unknown kinds when it resolves the rules).
pub fn claim_rule_params(kind: &str) -> Option<&'static [&'static str]> {
    CLAIM_RULE_PARAMS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, keys)| *keys)
}

/// The `params` keys each claim-rule kind takes: the one list that both loading (here) and the
/// claims checker (which interprets the kinds) go by.
pub const CLAIM_RULE_PARAMS: &[(&str, &[&str])] = &[
    ("once-per-period", &["period"]),
    ("not-in-care-chain", &["chains"]),
    ("in-care-chain", &["chains"]),
    ("postcode-only", &["places", "postcodes"]),
    ("min-age", &["age"]),
    ("requires-agreement", &[]),
    ("claimant-kind", &["agb_prefixes"]),
    ("revenue-ceiling", &["scope", "excess", "calculator"]),
    ("claim-window", &["quarter"]),
    ("lapsed", &["from"]),
    (
        "requires-contract",
        &["module", "no_contract_codes", "no_contract_rate"],
    ),
    (
        "max-tariff",
        &[
            "price_list",
            "unit_minutes",
            "tariff",
            "basis",
            "parameter",
            "parameters",
        ],
    ),
    ("duplicate", &["key"]),
    ("insured-on-date", &["labels"]),
    ("submission-deadline", &["deadline"]),
    ("not-during", &["consults", "months"]),
];

/// Why a parameter value does not fit its unit: amounts, durations and counts are never
/// negative, and a ratio lies between 0 and 1 (15 % is 0.15).
pub fn unit_range_problem(unit: Unit, value: Decimal) -> Option<String> {
    match unit {
        Unit::Number => None,
        Unit::Ratio if value > Decimal::ONE => Some(format!(
            "een verhouding ligt tussen 0 en 1 (schrijf {} voor {value} %)",
            (value / Decimal::ONE_HUNDRED).normalize()
        )),
        _ if value.is_sign_negative() && !value.is_zero() => {
            Some("is negatief, wat de eenheid niet toestaat".into())
        }
        _ => None,
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[policy]
id = "test-2022"
title = "Test"
version = "1.0"
domain = "huisartsenzorg"
insurer = "Zilveren Kruis"
document = "doc.txt"
period_start = "2022-01-01"
period_end = "2022-12-31"
source = { document = "doc.txt", section = "Intro", quote = "this is the policy" }

[[parameters]]
id = "hours"
label = "Uren"
unit = "hours"
values = [ { from = "2022-01-01", value = "12" }, { from = "2023-01-01", value = "13" } ]
source = { document = "doc.txt", section = "Tarief", quote = "twelve hours a week" }

[[modules]]
id = "m"
name = "Module"
kind = "module"
contracting_levels = ["practice"]
requires = ["base"]
source = { document = "doc.txt", section = "M", quote = "the module m exists" }
"#;

    #[test]
    fn validation_names_file_item_and_problem() {
        let err = Policy::from_bytes(Path::new("policies/test.toml"), MINIMAL.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "policies/test.toml: module `m`: vereist onbekende module `base`"
        );
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err = Policy::from_bytes(Path::new("p.toml"), b"[policy]\nid = \n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("p.toml: "), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn parameters_are_dated_series() {
        let text = MINIMAL.replace("requires = [\"base\"]", "");
        let p = Policy::from_bytes(Path::new("t.toml"), text.as_bytes()).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            p.param_on("hours", d("2022-06-30")).unwrap().0,
            Decimal::new(12, 0)
        );
        assert_eq!(
            p.param_on("hours", d("2023-01-01")).unwrap().0,
            Decimal::new(13, 0)
        );
        assert!(p.param_on("hours", d("2021-12-31")).is_none());
        assert_eq!(p.sha256.len(), 64);
    }

    #[test]
    fn unknown_keys_are_a_load_error() {
        let text = MINIMAL
            .replace("requires = [\"base\"]", "")
            .replace("kind = \"module\"", "kind = \"module\"\nlevel = \"regio\"");
        let err = Policy::from_bytes(Path::new("t.toml"), text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `level`"), "{err}");
    }

    #[test]
    fn unknown_claim_rule_params_are_a_load_error() {
        let rule = |params: &str| {
            format!(
                "{}\n[[claim_rules]]\nid = \"r\"\ntext = \"t\"\nkind = \"insured-on-date\"\n\
                 params = {params}\nreason_code = \"ZK-X\"\nreturn_code = \"0001\"\n\
                 source = {{ document = \"doc.txt\", section = \"S\", quote = \"a long enough quote\" }}\n",
                MINIMAL.replace("requires = [\"base\"]", "")
            )
        };
        let err = Policy::from_bytes(
            Path::new("t.toml"),
            rule("{ uzovi = [\"3311\"] }").as_bytes(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains(
                "onbekende sleutel `uzovi` in params voor soort `insured-on-date` (bekend: labels)"
            ),
            "{err}"
        );
        assert!(
            Policy::from_bytes(
                Path::new("t.toml"),
                rule("{ labels = [\"3311\"] }").as_bytes()
            )
            .is_ok()
        );
    }

    #[test]
    fn obligations_are_sources_and_name_known_modules() {
        let text = format!(
            "{}\n[[obligations]]\nid = \"report\"\ntext = \"Meld wijzigingen\"\napplies_to = [\"x\"]\nwhen = \"bij elke wijziging\"\n\
             source = {{ document = \"doc.txt\", section = \"S\", quote = \"report every change\" }}\n",
            MINIMAL.replace("requires = [\"base\"]", "")
        );
        let err = Policy::from_bytes(Path::new("t.toml"), text.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "t.toml: verplichting `report`: applies_to noemt onbekende module `x`"
        );
        let p = Policy::from_bytes(
            Path::new("t.toml"),
            text.replace("[\"x\"]", "[\"m\"]").as_bytes(),
        )
        .unwrap();
        assert!(
            p.sources()
                .iter()
                .any(|(item, _)| item == "verplichting `report`")
        );
    }

    #[test]
    fn quotes_are_checked_against_the_document() {
        let text = MINIMAL.replace("requires = [\"base\"]", "");
        let p = Policy::from_bytes(Path::new("t.toml"), text.as_bytes()).unwrap();
        let mut texts = BTreeMap::new();
        texts.insert(
            "doc.txt".to_string(),
            "Intro: this is  the\npolicy. We pay twelve hours a week.".to_string(),
        );
        let errs = p.validate_quotes(&texts);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].item, "module `m`");
    }

    #[test]
    fn an_empty_policies_folder_is_refused() {
        let dir = std::env::temp_dir().join(format!("zorginkoop-empty-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("texts")).unwrap();
        let errs = PolicySet::load_dir(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(errs.len(), 1);
        let msg = errs[0].to_string();
        assert!(msg.contains("geen beleidsbestanden"), "{msg}");
        assert!(msg.contains("zorginkoop-empty-"), "{msg}");
    }

    #[test]
    fn files_in_memory_load_under_their_label_with_the_hash_of_their_bytes() {
        let good = MINIMAL.replace("requires = [\"base\"]", "");
        let from_disk = Policy::from_bytes(Path::new("policies/a.toml"), good.as_bytes()).unwrap();
        let texts = BTreeMap::from([("doc.txt".to_string(), "this is the policy".to_string())]);
        let set = PolicySet::from_files(
            [(PathBuf::from("(ingebouwd) a.toml"), good.as_bytes())],
            texts.clone(),
        )
        .unwrap();
        assert_eq!(set.policies[0].sha256, from_disk.sha256);
        assert_eq!(set.texts, texts);
        assert_eq!(set.policies[0].path, Path::new("(ingebouwd) a.toml"));

        // every file's problems, each under its own label; a duplicate id is one more
        let errs = PolicySet::from_files(
            [
                (PathBuf::from("(ingebouwd) a.toml"), good.as_bytes()),
                (PathBuf::from("(ingebouwd) b.toml"), MINIMAL.as_bytes()),
                (PathBuf::from("(ingebouwd) c.toml"), good.as_bytes()),
            ],
            BTreeMap::new(),
        )
        .unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "(ingebouwd) b.toml: module `m`: vereist onbekende module `base`",
                "(ingebouwd) c.toml: beleid: beleids-id `test-2022` wordt ook door een ander bestand gebruikt",
            ]
        );
    }

    #[test]
    fn a_fact_a_rule_reads_must_be_declared() {
        let text = MINIMAL.replace("requires = [\"base\"]", "")
            + r#"
[[modules.conditions]]
id = "enough"
text = "Genoeg patiënten."
check = { fact = "patients", op = ">=", value = 2350 }
source = { document = "doc.txt", section = "M", quote = "enough patients" }
"#;
        let err = Policy::from_bytes(Path::new("t.toml"), text.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "t.toml: module `m`, voorwaarde `enough`: feit `patients` is niet gedeclareerd (voeg een [[facts]]-regel toe)"
        );
        let declared =
            text + "\n[[facts]]\nid = \"patients\"\nlabel = \"Patiënten\"\ntype = \"count\"\n";
        let p = Policy::from_bytes(Path::new("t.toml"), declared.as_bytes()).unwrap();
        assert_eq!(p.fact("patients").unwrap().ty, FactType::Count);
    }

    #[test]
    fn questionnaire_answers_are_yes_no_facts() {
        let p = Policy::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policies/district-nursing-2021.toml"
        )))
        .unwrap();
        let q1 = p.fact("purchase-conditions.q1").unwrap();
        assert_eq!(q1.ty, FactType::YesNo);
        assert!(p.fact("purchase-conditions.q999").is_none());
        assert!(
            p.fact_names()
                .contains(&"purchase-conditions.x8".to_string())
        );
    }
}
