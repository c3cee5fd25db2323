//! One settlement through Ballista, DataFusion's distributed engine, in its standalone mode (a
//! scheduler and an executor in this process) against the local DataFusion result: the worked
//! example of tests/nursing.rs (document 004, chapter 4, tables 1 and 2, bijlage 6; the sums are
//! worked out there), its rows split over three Parquet files so that providers and clients
//! straddle files and Ballista reads several partitions.
//!
//! The same for the diagnostics and thrombosis settlement, over the worked example of
//! tests/labs.rs (document 003, 5.1 and 5.2).
//!
//! Only with the feature: `cargo test -p zorginkoop-settle --features ballista --test ballista`
//! (CI runs it, `.ci/run`).
#![cfg(feature = "ballista")]

use std::path::{Path, PathBuf};
use zorginkoop_settle::scan::scan_labs_on;
use zorginkoop_settle::scan::{Engine, scan_on};
use zorginkoop_settle::{settle_labs, settle_labs_on};
use zorginkoop_settle::{settle_nursing, settle_nursing_from_figures, settle_nursing_on};

mod lab_example;
mod results_file;

mod worked_example;
use worked_example::*;

/// The worked example's rows over three files, row i in file i mod 3.
fn split(dir: &Path) -> Vec<PathBuf> {
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| dir.join(format!("part-{i}.parquet")))
        .collect();
    let mut chunks: [Vec<L>; 3] = Default::default();
    for (i, r) in lines().into_iter().enumerate() {
        chunks[i % 3].push(r);
    }
    for (p, c) in parts.iter().zip(&chunks) {
        write(p, c);
    }
    parts
}

#[test]
fn a_settlement_through_ballista_standalone_equals_the_local_one() {
    let dir = tempfile::tempdir().unwrap();
    let parts = split(dir.path());
    let r = rules();

    // every query of the scan (with the clients of the ratio and the reference period too),
    // once on each engine: the same figures
    let local = scan_on(Engine::Local, &r, &parts, None, true).unwrap();
    let remote = scan_on(Engine::Ballista, &r, &parts, None, true).unwrap();
    assert_eq!(remote, local);
    assert_eq!(
        local.providers.keys().collect::<Vec<_>>(),
        ["00000001", "00000002", "00000003", "00000004"]
    );
    assert!(!local.places.is_empty() && !local.reference_places.is_empty());

    // the statements, compared whole
    let expected = settle_nursing(&r, &parts, &terms(), None).unwrap();
    let through = settle_nursing_from_figures(&r, &remote, &terms(), None).unwrap();
    assert_eq!(through, expected);
    // the known totals of the worked example
    assert_eq!(by_agb(&through, "00000001").total, Some(eur("72100.00")));
    assert_eq!(by_agb(&through, "00000002").total, Some(eur("116569.12")));
    assert_eq!(by_agb(&through, "00000003").total, Some(eur("350000.00")));
    assert_eq!(by_agb(&through, "00000004").total, None);
}

#[test]
fn the_public_entry_point_settles_one_provider_and_a_folder_through_ballista() {
    let dir = tempfile::tempdir().unwrap();
    split(dir.path());
    let folder = [dir.path().to_path_buf()];
    let r = rules();
    let local = settle_nursing(&r, &folder, &terms(), Some("00000002")).unwrap();
    let remote =
        settle_nursing_on(Engine::Ballista, &r, &folder, &terms(), Some("00000002")).unwrap();
    assert_eq!(remote, local);
    assert_eq!(remote.len(), 1);
    assert_eq!(remote[0].total, Some(eur("116569.12")));
}

#[test]
fn the_lab_settlement_through_ballista_standalone_equals_the_local_one() {
    let dir = tempfile::tempdir().unwrap();
    let rows = lab_example::lines();
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("labs-{i}.parquet")))
        .collect();
    for (k, p) in parts.iter().enumerate() {
        let part: Vec<lab_example::L> = rows
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 == k)
            .map(|(_, r)| r.clone())
            .collect();
        lab_example::write(p, &part);
    }
    let r = lab_example::rules();
    let local = scan_labs_on(Engine::Local, &r, &parts, None).unwrap();
    let remote = scan_labs_on(Engine::Ballista, &r, &parts, None).unwrap();
    assert_eq!(remote, local);
    // 50000001: 500 patients, 512 orders, 1,024 analyses in 2020 (tests/labs.rs)
    let (year, base) = remote.providers["50000001"];
    assert_eq!(
        (year.patients, year.orders, year.analyses),
        (500, 512, 1024)
    );
    assert_eq!(
        (base.patients, base.orders, base.analyses),
        (500, 500, 1000)
    );

    let terms = lab_example::terms();
    let expected = settle_labs(&r, &parts, &terms, None).unwrap();
    let through = settle_labs_on(Engine::Ballista, &r, &parts, &terms, None).unwrap();
    assert_eq!(through, expected);
    let total = |agb: &str| {
        through
            .iter()
            .find(|s| s.provider_agb == agb)
            .unwrap()
            .total
    };
    assert_eq!(total("50000001"), Some(lab_example::eur("91600.00")));
    assert_eq!(total("50000003"), Some(lab_example::eur("7500.00")));
    assert_eq!(total("34000001"), Some(lab_example::eur("1000.00")));
}

/// A Ballista cluster as one runs it: a scheduler listening on a port and an executor that
/// registers with it, here on a runtime of their own in this process (on a real cluster they
/// are the `ballista-scheduler` and `ballista-executor` programs). Returns the scheduler's
/// `df://` URL; the cluster lives as long as the test process.
fn cluster() -> String {
    use ballista_core::serde::BallistaCodec;
    use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("ballista-cluster".into())
        .stack_size(64 << 20)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_stack_size(64 << 20)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let addr = ballista_scheduler::standalone::new_standalone_scheduler()
                    .await
                    .unwrap();
                let grpc = format!("http://localhost:{}", addr.port());
                let scheduler = loop {
                    match SchedulerGrpcClient::connect(grpc.clone()).await {
                        Ok(s) => break s,
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                    }
                };
                ballista_executor::new_standalone_executor(scheduler, 2, BallistaCodec::default())
                    .await
                    .unwrap();
                tx.send(format!("df://localhost:{}", addr.port())).unwrap();
                std::future::pending::<()>().await;
            });
        })
        .unwrap();
    rx.recv().unwrap()
}

#[test]
fn a_settlement_on_a_ballista_cluster_through_its_scheduler_equals_the_local_one() {
    let url = cluster();
    let dir = tempfile::tempdir().unwrap();
    let parts = split(dir.path());
    let r = rules();
    let expected = settle_nursing(&r, &parts, &terms(), None).unwrap();
    let remote = settle_nursing_on(
        Engine::BallistaRemote(url.clone()),
        &r,
        &parts,
        &terms(),
        None,
    )
    .unwrap();
    assert_eq!(remote, expected);
    assert_eq!(by_agb(&remote, "00000002").total, Some(eur("116569.12")));

    // a scheduler that is not there: a Dutch error naming it
    let e = settle_nursing_on(
        Engine::BallistaRemote("df://localhost:1".into()),
        &r,
        &parts,
        &terms(),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("Ballista-scheduler df://localhost:1: niet bereikbaar"),
        "{e}"
    );
}
