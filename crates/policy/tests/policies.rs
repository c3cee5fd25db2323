//! The shipped policy files under `policies/`: all load, all validate, and every rule cites a
//! passage that is really in its document.

use std::path::Path;
use zorginkoop_policy::PolicySet;

fn policies_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies"))
}

fn load() -> PolicySet {
    match PolicySet::load_dir(policies_dir()) {
        Ok(set) => set,
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            panic!("policy files do not load:\n{}", text.join("\n"));
        }
    }
}

#[test]
fn every_policy_file_loads_and_validates() {
    let set = load();
    assert!(!set.policies.is_empty(), "no policy files found");
}

#[test]
fn every_rule_has_a_source_whose_quote_is_in_the_document() {
    let set = load();
    assert!(
        set.texts.len() >= 5,
        "document texts missing from policies/texts"
    );
    let errors = set.validate_quotes();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", text.join("\n"));
    for p in &set.policies {
        let sources = p.sources();
        // the policy itself plus at least one rule
        assert!(sources.len() > 1, "{} has no rules", p.id());
        for (item, s) in sources {
            assert!(
                !s.quote.trim().is_empty(),
                "{}: {item} has no quote",
                p.id()
            );
        }
    }
}

#[test]
fn every_policy_cites_its_own_document_in_its_header() {
    for p in &load().policies {
        assert_eq!(
            p.file.policy.source.document,
            p.file.policy.document,
            "{}",
            p.id()
        );
    }
}

/// Items (paths) that carry an `interpretation` (or are a policy-wide interpretation) but no
/// Dutch `toelichting`.
fn missing_toelichting(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            let interpreted = m.get("interpretation").is_some_and(|x| !x.is_null())
                || path
                    .rsplit('/')
                    .next()
                    .is_some_and(|last| last.starts_with("interpretations["));
            if interpreted && m.get("toelichting").is_none_or(|x| x.is_null()) {
                let id = m.get("id").and_then(|x| x.as_str()).unwrap_or("");
                out.push(format!("{path} {id}"));
            }
            for (k, x) in m {
                missing_toelichting(x, &format!("{path}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                missing_toelichting(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_interpretation_has_a_dutch_toelichting() {
    let set = load();
    let mut missing = Vec::new();
    for p in &set.policies {
        let v = serde_json::to_value(&p.file).unwrap();
        missing_toelichting(&v, p.id(), &mut missing);
    }
    assert!(
        missing.is_empty(),
        "no toelichting:\n{}",
        missing.join("\n")
    );
}

/// Facts are numbered at compile time: one slot per distinct name, and every question, rule
/// and derivation carries the slots of the names it reads, in reading order.
#[test]
fn every_fact_a_module_reads_has_one_slot_per_name() {
    let set = load();
    for p in &set.policies {
        let c = &p.compiled;
        let mut names = std::collections::BTreeSet::new();
        for m in &c.modules {
            for q in &m.questions {
                assert_eq!(c.fact_slot(&q.fact), Some(q.slot), "{}: {}", p.id(), q.fact);
                names.insert(q.fact.to_string());
            }
            for r in m.exclusions.iter().chain(&m.conditions) {
                let mut facts = Vec::new();
                r.check.facts(&mut facts);
                let slots: Vec<usize> = facts
                    .iter()
                    .map(|f| c.fact_slot(f).expect("a slot for every fact a check reads"))
                    .collect();
                assert_eq!(slots, r.slots, "{}: rule {}", p.id(), r.id);
                names.extend(facts);
            }
            for d in &m.derive {
                assert_eq!(c.fact_slot(&d.fact), Some(d.slot), "{}: {}", p.id(), d.fact);
                let inputs: Vec<Option<usize>> =
                    d.inputs.iter().map(|(_, f)| c.fact_slot(f)).collect();
                let expected: Vec<Option<usize>> =
                    d.input_slots.iter().copied().map(Some).collect();
                assert_eq!(inputs, expected, "{}: {}", p.id(), d.fact);
                names.insert(d.fact.to_string());
                names.extend(d.inputs.iter().map(|(_, f)| f.to_string()));
            }
        }
        assert_eq!(c.fact_slot_count(), names.len(), "{}", p.id());
        assert_eq!(c.fact_slot("no such fact"), None);
    }
}
