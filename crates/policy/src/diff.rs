//! What changed between two policies (or two versions of one): items added, removed and
//! changed, field by field. Sources are left out of the comparison, since two documents always
//! cite different passages.

use crate::load::Policy;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    Added {
        item: String,
        name: String,
    },
    Removed {
        item: String,
        name: String,
    },
    Changed {
        item: String,
        field: String,
        old: Value,
        new: Value,
    },
}

/// The differences between two policies.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDiff {
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
}

/// Compares two policies item by item (timeline, parameters, modules with their conditions and
/// exclusions, questionnaire questions, tables, claim rules).
pub fn diff(old: &Policy, new: &Policy) -> PolicyDiff {
    let a = items(old);
    let b = items(new);
    let mut changes = Vec::new();
    for (key, (name, va)) in &a {
        match b.get(key) {
            None => changes.push(Change::Removed {
                item: key.clone(),
                name: name.clone(),
            }),
            Some((_, vb)) => {
                let (Value::Object(fa), Value::Object(fb)) = (va, vb) else {
                    continue;
                };
                let mut fields: Vec<&String> = fa.keys().chain(fb.keys()).collect();
                fields.sort();
                fields.dedup();
                for field in fields {
                    let x = fa.get(field).unwrap_or(&Value::Null);
                    let y = fb.get(field).unwrap_or(&Value::Null);
                    if x != y {
                        changes.push(Change::Changed {
                            item: key.clone(),
                            field: field.clone(),
                            old: x.clone(),
                            new: y.clone(),
                        });
                    }
                }
            }
        }
    }
    for (key, (name, _)) in &b {
        if !a.contains_key(key) {
            changes.push(Change::Added {
                item: key.clone(),
                name: name.clone(),
            });
        }
    }
    PolicyDiff {
        old: format!("{} {}", old.id(), old.file.policy.version),
        new: format!("{} {}", new.id(), new.file.policy.version),
        changes,
    }
}

/// Flattens a policy into comparable items: key → (display name, fields without sources).
fn items(p: &Policy) -> BTreeMap<String, (String, Value)> {
    let mut out = BTreeMap::new();
    let mut put = |key: String, name: &str, v: Value, drop: &[&str]| {
        let mut v = v;
        if let Value::Object(map) = &mut v {
            map.remove("source");
            for d in drop {
                map.remove(*d);
            }
        }
        out.insert(key, (name.to_string(), v));
    };
    let json = |x: &dyn erased::Ser| x.to_value();
    let f = &p.file;
    let mut meta = json(&f.policy);
    if let Value::Object(m) = &mut meta {
        for k in ["id", "title", "version", "document", "source", "summary"] {
            m.remove(k);
        }
    }
    put("policy".into(), &f.policy.title, meta, &[]);
    for m in &f.timeline {
        put(format!("milestone {}", m.id), &m.label, json(m), &[]);
    }
    for x in &f.parameters {
        put(format!("parameter {}", x.id), &x.label, json(x), &[]);
    }
    for m in &f.modules {
        put(
            format!("module {}", m.id),
            &m.name,
            json(m),
            &["conditions", "exclusions"],
        );
        for c in &m.conditions {
            put(
                format!("module {} / condition {}", m.id, c.id),
                &c.text,
                json(c),
                &[],
            );
        }
        for c in &m.exclusions {
            put(
                format!("module {} / exclusion {}", m.id, c.id),
                &c.text,
                json(c),
                &[],
            );
        }
    }
    for q in &f.questionnaires {
        for qq in &q.questions {
            put(
                format!("questionnaire {} / question {}", q.id, qq.id),
                &qq.text,
                json(qq),
                &[],
            );
        }
    }
    for t in &f.tables {
        put(format!("table {}", t.id), &t.title, json(t), &[]);
    }
    for r in &f.claim_rules {
        put(format!("claim rule {}", r.id), &r.text, json(r), &[]);
    }
    for o in &f.obligations {
        put(format!("obligation {}", o.id), &o.text, json(o), &[]);
    }
    for x in &f.facts {
        put(format!("fact {}", x.id), &x.label, json(x), &[]);
    }
    out
}

mod erased {
    /// Serializes any model item to JSON (all model types serialize infallibly).
    pub trait Ser {
        fn to_value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const BASE: &str = r#"
[policy]
id = "p"
title = "P"
version = "1.0"
domain = "huisartsenzorg"
insurer = "Z"
document = "d.txt"
period_start = "2022-01-01"
period_end = "2022-12-31"
source = { document = "d.txt", section = "S", quote = "the policy text" }

[[parameters]]
id = "hours"
label = "Uren"
unit = "hours"
values = [ { from = "2022-01-01", value = "12" } ]
source = { document = "d.txt", section = "S", quote = "twelve hours a week" }

[[modules]]
id = "a"
name = "A"
kind = "module"
contracting_levels = ["practice"]
source = { document = "d.txt", section = "S", quote = "module a exists" }
[[modules.conditions]]
id = "c1"
text = "Voorwaarde een"
source = { document = "d.txt", section = "S", quote = "condition one holds" }

[[facts]]
id = 'c1'
label = "Voorwaarde een"
type = "yes-no"

[[facts]]
id = 'c2'
label = "Voorwaarde een"
type = "yes-no"
"#;

    fn load(text: &str) -> Policy {
        Policy::from_bytes(Path::new("p.toml"), text.as_bytes()).unwrap()
    }

    #[test]
    fn diff_reports_added_removed_and_changed_items_but_not_sources() {
        let old = load(BASE);
        let new_text = BASE
            .replace("value = \"12\"", "value = \"13\"")
            .replace("id = \"c1\"", "id = \"c2\"")
            .replace(
                "quote = \"module a exists\"",
                "quote = \"module a still exists\"",
            );
        let new = load(&new_text);
        let d = diff(&old, &new);
        assert!(d.changes.contains(&Change::Removed {
            item: "module a / condition c1".into(),
            name: "Voorwaarde een".into()
        }));
        assert!(d.changes.contains(&Change::Added {
            item: "module a / condition c2".into(),
            name: "Voorwaarde een".into()
        }));
        assert!(
            d.changes.iter().any(|c| matches!(c,
            Change::Changed { item, field, .. } if item == "parameter hours" && field == "values"))
        );
        // the changed quote of module a is not a change of the rule
        assert!(
            !d.changes
                .iter()
                .any(|c| matches!(c, Change::Changed { item, .. } if item == "module a"))
        );
        assert_eq!(d.changes.len(), 3, "{:#?}", d.changes);
    }
}
