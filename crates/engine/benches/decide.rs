//! `decide` throughput with the full trace, in module decisions per second: one example case
//! per policy (`examples/*.json` name their policy; of a policy's examples the one deciding the
//! most modules is used, e.g. every module of gp-2022-2023 for the De Linde practice).
//!
//! `cargo bench -p zorginkoop-engine -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use zorginkoop_engine::{Case, decide};
use zorginkoop_policy::PolicySet;

fn bench(c: &mut Criterion) {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let set = PolicySet::load_dir(&root.join("policies")).expect("policies load");
    let mut examples: Vec<_> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort();
    let mut group = c.benchmark_group("decide");
    for policy in &set.policies {
        let mut best: Option<(std::path::PathBuf, Case, usize)> = None;
        for p in &examples {
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            let Ok(case) = serde_json::from_str::<Case>(&text) else {
                continue;
            };
            if case.policy.as_deref() != Some(policy.id()) {
                continue;
            }
            let date = case.request_date.expect("examples name their request date");
            let n = decide(policy, &case, date)
                .expect("example decides")
                .modules
                .len();
            if best.as_ref().is_none_or(|b| n > b.2) {
                best = Some((p.clone(), case, n));
            }
        }
        let Some((path, case, n)) = best else {
            continue;
        };
        let date = case.request_date.expect("examples name their request date");
        let name = format!(
            "{}/{}",
            policy.id(),
            path.file_stem().unwrap().to_string_lossy()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(name, |b| {
            b.iter(|| decide(black_box(policy), black_box(&case), black_box(date)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
