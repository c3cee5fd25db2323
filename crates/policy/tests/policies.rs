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
