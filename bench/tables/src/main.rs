//! Table 2 of the district-nursing policy ("vergoeding van productie boven het basisbudget per
//! doelmatigheidsgroep") evaluated in the same run by
//!
//! * zorginkoop's decision-table evaluator (`zorginkoop_engine::table::evaluate`), and
//! * GoRules' zen-engine, the table written as a JDM decision table (`decisionTableNode`, hit
//!   policy `first`) generated from the same policy rows, evaluated with a precompiled decision,
//!
//! first checking that both give the same row for every input, then timing both over the same
//! input sequence and printing evaluations per second and the ratio. Run from the repository:
//!
//! ```sh
//! cargo run --release --manifest-path bench/tables/Cargo.toml
//! ```
//!
//! Outside the workspace: CI does not build zen-engine.

use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use zen_engine::model::GraphContent;
use zen_engine::{Decision, EvaluationOptions};
use zorginkoop_engine::table::evaluate;
use zorginkoop_policy::{Policy, TableValue};

const TABLE: &str = "overproduction";

/// The inputs: every category and efficiency group, and a group outside the table.
fn inputs() -> Vec<(&'static str, i64)> {
    let mut v = Vec::new();
    for g in 0..=6 {
        v.push(("regular", g));
    }
    v.push(("small", 3));
    v.push(("new", 1));
    v
}

/// The JDM graph: input node -> decision table -> output node, from the policy's table rows.
fn jdm(policy: &Policy) -> GraphContent {
    let table = policy.file.tables.iter().find(|t| t.id == TABLE).unwrap();
    let cell = |v: &Value, numeric: bool| -> String {
        match v {
            Value::String(s) if s == "-" => String::new(),
            Value::String(s) if numeric => s.clone(),
            Value::String(s) => format!("{s:?}"),
            other => other.to_string(),
        }
    };
    let rules: Vec<Value> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let out = |c: &str| match &row[c] {
                Value::String(s) if s == "unlimited" => "\"unlimited\"".to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            json!({
                "_id": format!("r{i}"),
                "c": cell(&row["category"], false),
                "g": cell(&row["efficiency_group"], true),
                "p": out("paid_ratio"),
                "m": out("max_overproduction_ratio"),
                "i": i.to_string(),
            })
        })
        .collect();
    serde_json::from_value(json!({
        "nodes": [
            { "id": "in", "name": "request", "type": "inputNode", "content": {} },
            { "id": "dt", "name": "tabel2", "type": "decisionTableNode", "content": {
                "hitPolicy": "first",
                "inputs": [
                    { "id": "c", "name": "Categorie", "field": "category" },
                    { "id": "g", "name": "Doelmatigheidsgroep", "field": "efficiency_group" }
                ],
                "outputs": [
                    { "id": "p", "name": "paid", "field": "paid_ratio" },
                    { "id": "m", "name": "max", "field": "max_overproduction_ratio" },
                    { "id": "i", "name": "row", "field": "row" }
                ],
                "rules": rules,
                "passThrough": false
            } },
            { "id": "out", "name": "out", "type": "outputNode", "content": {} }
        ],
        "edges": [
            { "id": "e1", "sourceId": "in", "targetId": "dt" },
            { "id": "e2", "sourceId": "dt", "targetId": "out" }
        ]
    }))
    .expect("a valid JDM graph")
}

fn ours(policy: &Policy, category: &str, group: i64) -> Option<usize> {
    let table = policy.compiled.table(TABLE).expect("table 2");
    let m = evaluate(
        table,
        &[
            ("category", TableValue::Text(category.to_string())),
            ("efficiency_group", TableValue::Number(group.into())),
        ],
    )
    .expect("inputs of the right type");
    m.first().map(|r| r.index)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let policy = Policy::load(&root.join("district-nursing-2021.toml")).expect("policy loads");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut decision = Decision::from(Arc::new(jdm(&policy)));
    decision.compile();
    let zen = |category: &str, group: i64| -> Option<usize> {
        let ctx = json!({ "category": category, "efficiency_group": group });
        let r = rt
            .block_on(decision.evaluate_with_opts(ctx.into(), EvaluationOptions::default()))
            .expect("zen evaluates");
        let v: Value = serde_json::to_value(&r.result).expect("JSON");
        v.get("row")
            .and_then(|x| x.as_str().map(str::to_string).or_else(|| Some(x.to_string())))
            .and_then(|s| s.parse().ok())
    };

    // 1. the same answer for every input
    let cases = inputs();
    for &(c, g) in &cases {
        let (a, b) = (ours(&policy, c, g), zen(c, g));
        assert_eq!(a, b, "category {c}, group {g}: zorginkoop {a:?}, zen {b:?}");
        println!("  {c:<8} groep {g}: rij {a:?} (beide)");
    }

    // 2. the same sequence, timed
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let time = |f: &dyn Fn(&str, i64) -> Option<usize>| {
        let t = Instant::now();
        let mut hits = 0usize;
        for i in 0..n {
            let (c, g) = cases[i % cases.len()];
            hits += f(c, g).map_or(0, |r| r + 1);
        }
        (t.elapsed().as_secs_f64(), hits)
    };
    let (t_ours, h1) = time(&|c, g| ours(&policy, c, g));
    let (t_zen, h2) = time(&zen);
    assert_eq!(h1, h2, "same rows over the whole sequence");
    let rate = |t: f64| n as f64 / t;
    println!(
        "\n{n} evaluaties van tabel 2 (district-nursing-2021), één kern:\n  zorginkoop table::evaluate  {:>12.0} /s\n  zen-engine (JDM, compiled)  {:>12.0} /s\n  verhouding: zorginkoop is {:.1}x zo snel",
        rate(t_ours),
        rate(t_zen),
        t_zen / t_ours
    );
}
