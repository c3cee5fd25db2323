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
