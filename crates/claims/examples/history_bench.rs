//! What the claims history costs a run at 10 million lines: kept as a file (the run's own
//! format, written to a fsynced temporary file and renamed) against kept in a SQLite table (as
//! the portal's contracts). Run once by hand; the figures are in the crate's README:
//!
//! ```sh
//! CARGO_PROFILE_DEV_OPT_LEVEL=2 cargo run -p zorginkoop-claims --example history_bench -- /tmp/hb
//! ```
//!
//! Keys: 10,000,000 duplicate keys and 1,000,000 once-per-period keys (random 64-bit hashes, as
//! the checker makes them). Measured per store: writing the history after a run that added all
//! of them, reading it back into the hash sets a run starts from, and (SQLite only, where it
//! can) adding the keys of one more run of 100,000 lines to a full history.

use std::path::Path;
use std::time::Instant;
use zorginkoop_claims::checker::State;
use zorginkoop_claims::run::history::{HistoryFile, LastRun, encode, replace_atomically};

const SEEN: usize = 10_000_000;
const ONCE: usize = 1_000_000;

fn keys(n: usize, mut x: u64) -> Vec<u64> {
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .collect()
}

fn state(seen: &[u64], once: &[u64]) -> State {
    let mut st = State::default();
    st.seen.extend(seen);
    st.once.extend(once);
    st.added_seen = seen.to_vec();
    st.added_once = once.to_vec();
    st
}

fn main() {
    let dir = std::env::args().nth(1).expect("a folder for the files");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let seen = keys(SEEN, 0x9e37_79b9_7f4a_7c15);
    let once = keys(ONCE, 0x2545_f491_4f6c_dd1d);
    let last = LastRun {
        id: "bench".into(),
        fingerprint: 1,
        out: dir.join("out"),
        staging: dir.join(".out.zk-staging-bench"),
    };

    // the file
    let path = dir.join("claims-history.bin");
    let st = state(&seen, &once);
    let t = Instant::now();
    let bytes = encode(st, &last);
    let encoded = t.elapsed();
    replace_atomically(&path, &bytes).unwrap();
    let saved = t.elapsed();
    drop(bytes);
    let t = Instant::now();
    let start = HistoryFile::read(&path).unwrap().start(2);
    let loaded = t.elapsed();
    assert_eq!(start.state.seen.len(), SEEN);
    drop(start);
    println!(
        "file: save {:.2} s (encode {:.2} s), load {:.2} s, {} MB",
        saved.as_secs_f64(),
        encoded.as_secs_f64(),
        loaded.as_secs_f64(),
        std::fs::metadata(&path).unwrap().len() / 1_000_000
    );

    // SQLite: one row per key, the key as primary key (a rowid table)
    let db = dir.join("claims-history.db");
    let _ = std::fs::remove_file(&db);
    let mut c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE history_seen (key INTEGER PRIMARY KEY) WITHOUT ROWID;
         CREATE TABLE history_once (key INTEGER PRIMARY KEY) WITHOUT ROWID;
         CREATE TABLE history_runs (id TEXT PRIMARY KEY, fingerprint INTEGER NOT NULL);",
    )
    .unwrap();
    let insert = |c: &mut rusqlite::Connection, seen: &[u64], once: &[u64], run: &str| {
        let tx = c.transaction().unwrap();
        for (table, ks) in [("history_seen", seen), ("history_once", once)] {
            let mut s = tx
                .prepare(&format!("INSERT INTO {table} (key) VALUES (?1)"))
                .unwrap();
            for &k in ks {
                s.execute([k as i64]).unwrap();
            }
        }
        tx.execute(
            "INSERT INTO history_runs (id, fingerprint) VALUES (?1, 1)",
            [run],
        )
        .unwrap();
        tx.commit().unwrap();
    };
    let t = Instant::now();
    insert(&mut c, &seen, &once, "r1");
    let saved = t.elapsed();
    let t = Instant::now();
    let mut st = State::default();
    st.seen.reserve(SEEN);
    st.once.reserve(ONCE);
    for (table, set) in [
        ("history_seen", &mut st.seen),
        ("history_once", &mut st.once),
    ] {
        let mut s = c.prepare(&format!("SELECT key FROM {table}")).unwrap();
        let rows = s.query_map([], |r| r.get::<_, i64>(0)).unwrap();
        for k in rows {
            set.insert(k.unwrap() as u64);
        }
    }
    let loaded = t.elapsed();
    assert_eq!(st.seen.len(), SEEN);
    drop(st);
    let more = keys(100_000, 0x1234_5678_9abc_def1);
    let t = Instant::now();
    insert(&mut c, &more, &[], "r2");
    let added = t.elapsed();
    drop(c);
    let size = std::fs::metadata(&db).unwrap().len()
        + std::fs::metadata(dir.join("claims-history.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "sqlite: save {:.2} s, load {:.2} s, add 100,000 keys to the full table {:.2} s, {} MB",
        saved.as_secs_f64(),
        loaded.as_secs_f64(),
        added.as_secs_f64(),
        size / 1_000_000
    );
    // the file after a run of 100,000 more keys: the whole file is written again
    let mut st = HistoryFile::read(&path).unwrap().start(2).state;
    for &k in &more {
        st.seen.insert(k);
        st.added_seen.push(k);
    }
    let t = Instant::now();
    replace_atomically(&path, &encode(st, &last)).unwrap();
    println!(
        "file: save after 100,000 more keys {:.2} s",
        t.elapsed().as_secs_f64()
    );
}
