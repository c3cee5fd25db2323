//! A run is all or nothing: its outputs and its claims history change together, and runs on one
//! history (or one output folder) are serialised.
//!
//! The protocol:
//!
//! 1. take the lock `<history>.lock` (held for the whole run), then `.<out>.zk-lock` next to the
//!    output folder; another run holding one: wait (`wait`) or refuse ([`RunError::Busy`]);
//! 2. roll forward: when the history's last run has a staging folder left (committed, killed
//!    before it was published), publish it; then remove what uncommitted runs left next to
//!    `--out` (their staging folders);
//! 3. write every output into a fresh staging folder `.<out>.zk-staging-<run id>` next to
//!    `--out` (same file system);
//! 4. commit: the new history (the run id, output and staging folder in it) goes to
//!    `<history>.tmp`, is fsynced and renamed over the history: ONE atomic rename;
//! 5. publish: the old output folder is renamed away (`.<out>.zk-old-<run id>`), the staging
//!    folder renamed to `--out`, the old one removed. Each step can be redone, so a run that finds
//!    a committed staging folder (step 2) finishes the job.
//!
//! A run that fails removes its staging folder; one killed before step 4 leaves a staging folder
//! that the next run on that output folder removes, and the history as it was. Without a history
//! (`--no-history`) steps 1-3 and 5 still hold: the output folder is replaced whole or not at all.
//!
//! The outputs are not fsynced (they are several GB at 10 million lines): the protocol holds
//! against a killed or failed run; after a power loss the history is durable, the published
//! outputs may not be.

use super::history::{HistoryFile, LastRun, RunLock, encode, parent, replace_atomically, sync_dir};
use super::sinks::ResultSink;
use super::{HistoryReport, RunError, RunOptions, Summary, io};
use crate::checker::{Checker, State};
use std::path::{Path, PathBuf};

/// The file in a published output folder naming the run that wrote it.
pub const RUN_MARKER: &str = ".zorginkoop-run";

/// The files and folders a run writes into its output folder: an existing output folder holding
/// nothing else (or [`RUN_MARKER`]) may be replaced.
const OUTPUT_NAMES: &[&str] = &[
    RUN_MARKER,
    "returns",
    "results.csv",
    "results.parquet",
    "summary.json",
    "summary.txt",
    "rules.json",
    super::spill::SPILL_NAME,
];

/// Runs the checker over `opts.inputs`.
pub fn run(checker: &Checker, opts: &RunOptions) -> Result<Summary, RunError> {
    run_with_sinks(checker, opts, &mut [])
}

/// Runs the checker over `opts.inputs`, handing the results to `extra` sinks too (after the
/// run's own: `results.csv`, `results.parquet`, return messages, summary). The extra sinks see
/// the lines before the run is committed: a run that fails after that point leaves no outputs
/// and no history, but the extra sinks have had their lines.
pub fn run_with_sinks(
    checker: &Checker,
    opts: &RunOptions,
    extra: &mut [&mut dyn ResultSink],
) -> Result<Summary, RunError> {
    let out = &opts.out_dir;
    if let Some(h) = &opts.history
        && absolute(h).starts_with(absolute(out))
    {
        return Err(RunError::Out {
            path: out.clone(),
            message: format!(
                "de claimgeschiedenis {} staat erin, maar een run vervangt de hele map: zet de geschiedenis ernaast",
                h.display()
            ),
        });
    }
    let history_lock = match &opts.history {
        Some(h) => Some(RunLock::acquire_in_new_folder(
            &super::history::with_suffix(h, ".lock"),
            opts.wait,
            &format!("De claimgeschiedenis {}", h.display()),
        )?),
        None => None,
    };
    let history = match &opts.history {
        Some(h) => Some(HistoryFile::read(h)?),
        None => None,
    };
    // roll forward a committed run that was not published
    if let Some(last) = history.as_ref().and_then(|h| h.last.as_ref())
        && last.staging.exists()
    {
        let _lock = lock_out(&last.out, opts.wait)?;
        publish(&last.staging, &last.out, &last.id).map_err(io(&last.out))?;
    }
    let _out_lock = lock_out(out, opts.wait)?;
    remove_uncommitted(out)?;
    check_replaceable(out)?;
    let id = run_id();
    let fingerprint = fingerprint(opts);
    let (mut state, repeat, keys_before) = match history {
        Some(h) => {
            let s = h.start(fingerprint);
            (s.state, s.repeat, s.keys_before)
        }
        None => (State::default(), false, 0),
    };
    let staging = sibling(out, "staging", &id)?;
    let result = std::fs::create_dir_all(&staging)
        .map_err(io(&staging))
        .and_then(|()| super::pipeline::run_inner(checker, opts, &staging, extra, &mut state))
        .and_then(|summary| {
            std::fs::write(staging.join(RUN_MARKER), format!("{id}\n")).map_err(io(&staging))?;
            Ok(summary)
        });
    let mut summary = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let keys_added = (state.added_seen.len() + state.added_once.len()) as u64;
    if let Some(h) = &opts.history {
        let last = LastRun {
            id: id.clone(),
            fingerprint,
            out: absolute(out),
            staging: absolute(&staging),
        };
        // the commit point
        if let Err(e) = replace_atomically(h, &encode(state, &last)) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(h)(e));
        }
    }
    publish(&staging, out, &id).map_err(io(out))?;
    drop(history_lock);
    summary.history = opts.history.as_ref().map(|h| HistoryReport {
        path: h.clone(),
        keys_before,
        keys_added,
        repeat,
    });
    Ok(summary)
}

/// The lock of an output folder: `.<name>.zk-lock` next to it.
fn lock_out(out: &Path, wait: bool) -> Result<RunLock, RunError> {
    RunLock::acquire_in_new_folder(
        &sibling(out, "lock", "")?,
        wait,
        &format!("De uitvoermap {}", out.display()),
    )
}

/// `.<name of out>.zk-<kind>[-<id>]` next to `out`.
fn sibling(out: &Path, kind: &str, id: &str) -> Result<PathBuf, RunError> {
    let name = out
        .file_name()
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .ok_or_else(|| RunError::Out {
            path: out.to_path_buf(),
            message: "geef een uitvoermap met een naam (niet `.` of `/`)".into(),
        })?;
    let mut s = std::ffi::OsString::from(".");
    s.push(name);
    s.push(format!(".zk-{kind}"));
    if !id.is_empty() {
        s.push(format!("-{id}"));
    }
    Ok(parent(out).join(s))
}

/// Publishes a staging folder as `out`; every step can be redone after a kill.
fn publish(staging: &Path, out: &Path, id: &str) -> std::io::Result<()> {
    let old = sibling(out, "old", id).map_err(std::io::Error::other)?;
    if staging.exists() {
        if out.exists() {
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
            std::fs::rename(out, &old)?;
        }
        std::fs::rename(staging, out)?;
        sync_dir(parent(out))?;
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Removes the staging and old folders that runs on `out` left (called under the output lock,
/// after the roll forward).
fn remove_uncommitted(out: &Path) -> Result<(), RunError> {
    let name = sibling(out, "", "")?;
    let prefix = name.file_name().expect("has a name").to_string_lossy();
    let dir = parent(out);
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir)(e)),
    };
    for e in entries {
        let e = e.map_err(io(dir))?;
        let n = e.file_name().to_string_lossy().into_owned();
        // ".<name>.zk-staging-<id>" and ".<name>.zk-old-<id>"
        if let Some(rest) = n.strip_prefix(&*prefix)
            && (rest.starts_with("staging-") || rest.starts_with("old-"))
        {
            std::fs::remove_dir_all(e.path()).map_err(io(&e.path()))?;
        }
    }
    Ok(())
}

/// An existing output folder is replaced only when it is empty or holds only what a run writes.
fn check_replaceable(out: &Path) -> Result<(), RunError> {
    let entries = match std::fs::read_dir(out) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(out)(e)),
    };
    for e in entries {
        let n = e.map_err(io(out))?.file_name();
        if !OUTPUT_NAMES.iter().any(|o| n == *o) {
            return Err(RunError::Out {
                path: out.to_path_buf(),
                message: format!(
                    "bevat `{}`, geen uitvoer van een run; een run vervangt de hele map: kies een lege of nieuwe map",
                    n.to_string_lossy()
                ),
            });
        }
    }
    Ok(())
}

/// A run id: time and process, unique on this machine.
fn run_id() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{:x}-{:x}", t.as_nanos(), std::process::id())
}

/// What makes two runs "the same run": the input files (as given, with size and modification
/// time), the output folder and the date of the return messages.
fn fingerprint(opts: &RunOptions) -> u64 {
    let mut b: Vec<u8> = Vec::new();
    for p in &opts.inputs {
        b.extend_from_slice(absolute(p).as_os_str().as_encoded_bytes());
        b.push(0);
        if let Ok(m) = std::fs::metadata(p) {
            b.extend_from_slice(&m.len().to_le_bytes());
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            b.extend_from_slice(&t.as_nanos().to_le_bytes());
        }
    }
    b.extend_from_slice(absolute(&opts.out_dir).as_os_str().as_encoded_bytes());
    b.push(0);
    b.extend_from_slice(opts.date.to_string().as_bytes());
    b.push(opts.parquet as u8);
    xxhash_rust::xxh3::xxh3_64(&b)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
