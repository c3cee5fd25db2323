//! Calculators never panic: every calculator, with every number field at its largest, its
//! smallest and zero, answers with an output or an error, never a panic.

use std::path::Path;
use zorginkoop_engine::calc::{self, CalcContext, CalcError};
use zorginkoop_policy::PolicySet;

fn inputs(fields: &[calc::Field]) -> Vec<serde_json::Value> {
    let huge_decimal = "79228162514264337593543950335";
    let mut out = Vec::new();
    for (integer, decimal) in [
        (serde_json::json!(u32::MAX), serde_json::json!(huge_decimal)),
        (serde_json::json!(0), serde_json::json!("0")),
        (
            serde_json::json!(1),
            serde_json::json!("-79228162514264337593543950335"),
        ),
        (
            serde_json::json!(1),
            serde_json::json!("0.0000000000000000000000000001"),
        ),
    ] {
        let mut map = serde_json::Map::new();
        for f in fields {
            let v = match f.ty {
                "integer" => integer.clone(),
                "decimal" => decimal.clone(),
                "bool" => serde_json::json!(true),
                _ => continue,
            };
            map.insert(f.name.to_string(), v);
        }
        out.push(serde_json::Value::Object(map));
    }
    out
}

#[test]
fn every_calculator_answers_extreme_numbers_without_a_panic() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies"));
    let set = PolicySet::load_dir(dir).unwrap_or_else(|e| panic!("{e:?}"));
    let mut overflows = 0;
    for c in calc::calculators() {
        let policy = set.get(c.policy).expect("the calculator's policy ships");
        let ctx = CalcContext::new(policy, policy.file.policy.period_start);
        for input in inputs(c.inputs) {
            let shown = input.to_string();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.call(&ctx, input)));
            match r {
                Err(_) => panic!("{} panicked on {shown}", c.name),
                Ok(Err(CalcError::Overflow { input })) => {
                    assert!(
                        c.inputs.iter().any(|f| f.name == input),
                        "{}: overflow names `{input}`, which is not an input",
                        c.name
                    );
                    overflows += 1;
                }
                Ok(_) => {}
            }
        }
    }
    assert!(
        overflows >= 2,
        "af-tariff and poh-s-supplement overflow on huge input"
    );
}
