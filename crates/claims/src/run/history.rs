//! The claims history: what earlier runs granted (the duplicate keys and the once-per-period
//! keys), kept in one file across runs, and the locks that serialise runs on it.
//!
//! The history file is the commit point of a run (see [`super::commit`]): it is replaced by one
//! atomic rename of a fsynced temporary file, and it records the id, output folder and staging
//! folder of the run it includes, so that a later run can finish publishing that run's outputs.
//!
//! Layout (little-endian): magic `ZKHIST2\n`; the last run's fingerprint (u64); its id, output
//! folder and staging folder (each a u32 length and the bytes); four u64 counts (base seen,
//! base once, last seen, last once); the keys of each of these four sections, each sorted; the
//! xxh3-64 of all bytes before it. "base" is the history as it was before the last run, "last"
//! what the last run added: the same run repeated (same fingerprint) is judged against the
//! history of before it, so it gives the same result instead of finding itself as duplicates.

use super::RunError;
use crate::checker::State;
use std::fs::File;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"ZKHIST2\n";

/// The run a history file includes as its last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastRun {
    pub id: String,
    pub fingerprint: u64,
    pub out: PathBuf,
    pub staging: PathBuf,
}

/// A history file as read.
#[derive(Debug, Default)]
pub struct HistoryFile {
    pub last: Option<LastRun>,
    base_seen: Vec<u64>,
    base_once: Vec<u64>,
    last_seen: Vec<u64>,
    last_once: Vec<u64>,
}

/// The state a run starts from.
pub struct Start {
    pub state: State,
    /// The run repeats the history's last run: it is judged against the history before it.
    pub repeat: bool,
    /// Keys in the history the run is judged against.
    pub keys_before: u64,
}

fn bad(path: &Path, what: &str) -> RunError {
    RunError::History {
        path: path.to_path_buf(),
        message: what.to_string(),
    }
}

impl HistoryFile {
    /// Reads the history file; a missing file is an empty history.
    pub fn read(path: &Path) -> Result<HistoryFile, RunError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(HistoryFile::default());
            }
            Err(e) => return Err(super::io(path)(e)),
        };
        Self::parse(&bytes).ok_or_else(|| {
            bad(
                path,
                "geen claimgeschiedenis van zorginkoop, of beschadigd (controlegetal klopt niet)",
            )
        })
    }

    fn parse(bytes: &[u8]) -> Option<HistoryFile> {
        if bytes.len() < MAGIC.len() + 8 || &bytes[..8] != MAGIC {
            return None;
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        if xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() != sum {
            return None;
        }
        let mut r = Reader { b: body, at: 8 };
        let fingerprint = r.u64()?;
        let id = String::from_utf8(r.bytes()?.to_vec()).ok()?;
        let out = path_of(r.bytes()?);
        let staging = path_of(r.bytes()?);
        let counts = [r.u64()?, r.u64()?, r.u64()?, r.u64()?];
        let keys_len = counts.iter().try_fold(0u64, |a, &n| a.checked_add(n))?;
        if (body.len() - r.at) as u64 != keys_len.checked_mul(8)? {
            return None;
        }
        let mut sections = counts.iter().map(|&n| {
            (0..n)
                .map(|_| r.u64().expect("length checked"))
                .collect::<Vec<u64>>()
        });
        let mut next = || sections.next().expect("four sections");
        let (base_seen, base_once, last_seen, last_once) = (next(), next(), next(), next());
        Some(HistoryFile {
            last: (!id.is_empty()).then_some(LastRun {
                id,
                fingerprint,
                out,
                staging,
            }),
            base_seen,
            base_once,
            last_seen,
            last_once,
        })
    }

    /// The state a run with this `fingerprint` starts from: the whole history, or, when the
    /// run repeats the last run, the history before that run.
    pub fn start(self, fingerprint: u64) -> Start {
        let repeat = self
            .last
            .as_ref()
            .is_some_and(|l| l.fingerprint == fingerprint);
        let mut state = State {
            record_added: true,
            ..State::default()
        };
        let (last_seen, last_once) = if repeat {
            (vec![], vec![])
        } else {
            (self.last_seen, self.last_once)
        };
        state.seen.reserve(self.base_seen.len() + last_seen.len());
        state.once.reserve(self.base_once.len() + last_once.len());
        state.seen.extend(self.base_seen.iter().chain(&last_seen));
        state.once.extend(self.base_once.iter().chain(&last_once));
        let keys_before = (state.seen.len() + state.once.len()) as u64;
        Start {
            state,
            repeat,
            keys_before,
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u64(&mut self) -> Option<u64> {
        let v = self.b.get(self.at..self.at + 8)?;
        self.at += 8;
        Some(u64::from_le_bytes(v.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = u32::from_le_bytes(self.b.get(self.at..self.at + 4)?.try_into().ok()?) as usize;
        let v = self.b.get(self.at + 4..self.at + 4 + n)?;
        self.at += 4 + n;
        Some(v)
    }
}

#[cfg(unix)]
fn path_of(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}
#[cfg(not(unix))]
fn path_of(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}
#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}
#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().as_bytes().to_vec()
}

/// The history file's bytes after a run: the keys the run was judged against as "base", the
/// keys it added as "last".
pub fn encode(state: State, last: &LastRun) -> Vec<u8> {
    let State {
        seen,
        once,
        mut added_seen,
        mut added_once,
        ..
    } = state;
    let split = |all: rustc_hash::FxHashSet<u64>, added: &mut Vec<u64>| {
        let mut all: Vec<u64> = all.into_iter().collect();
        all.sort_unstable();
        added.sort_unstable();
        // all minus added (added is a subset of all, without repeats)
        let mut base = Vec::with_capacity(all.len() - added.len());
        let mut a = added.iter().peekable();
        for k in all {
            if a.peek() == Some(&&k) {
                a.next();
            } else {
                base.push(k);
            }
        }
        base
    };
    let base_seen = split(seen, &mut added_seen);
    let base_once = split(once, &mut added_once);
    let n = base_seen.len() + base_once.len() + added_seen.len() + added_once.len();
    let mut out = Vec::with_capacity(128 + 8 * n);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&last.fingerprint.to_le_bytes());
    for b in [
        last.id.as_bytes().to_vec(),
        path_bytes(&last.out),
        path_bytes(&last.staging),
    ] {
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(&b);
    }
    for s in [&base_seen, &base_once, &added_seen, &added_once] {
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
    }
    for s in [&base_seen, &base_once, &added_seen, &added_once] {
        for k in s.iter() {
            out.extend_from_slice(&k.to_le_bytes());
        }
    }
    let sum = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Replaces `path` by `bytes` atomically: a temporary file next to it, fsynced, renamed over
/// it, and the folder fsynced (the rename is durable when this returns).
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = with_suffix(path, ".tmp");
    {
        let mut f = File::create(&tmp)?;
        std::io::Write::write_all(&mut f, bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    sync_dir(parent(path))
}

/// Makes the folder's entries (renames, new files) durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The folder of `p` (`.` for a bare name).
pub(crate) fn parent(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `p` with `suffix` appended to its file name.
pub(crate) fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// An exclusive lock on a lock file, held until dropped.
#[derive(Debug)]
pub(crate) struct RunLock {
    _file: File,
}

impl RunLock {
    /// [`RunLock::acquire`], creating the lock file's folder when missing.
    pub(crate) fn acquire_in_new_folder(
        path: &Path,
        wait: bool,
        what: &str,
    ) -> Result<RunLock, RunError> {
        std::fs::create_dir_all(parent(path)).map_err(super::io(parent(path)))?;
        Self::acquire(path, wait, what)
    }

    /// Takes the lock on `path` (created when missing). When another run holds it: with
    /// `wait`, says so on stderr and waits; without, fails with [`RunError::Busy`].
    pub(crate) fn acquire(path: &Path, wait: bool, what: &str) -> Result<RunLock, RunError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(super::io(path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) if wait => {
                eprintln!(
                    "{what} is in gebruik door een andere run (slot {}): wachten tot die klaar is ...",
                    path.display()
                );
                file.lock().map_err(super::io(path))?;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(RunError::Busy {
                    what: what.to_string(),
                    lock: path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(super::io(path)(e)),
        }
        Ok(RunLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last() -> LastRun {
        LastRun {
            id: "r1".into(),
            fingerprint: 42,
            out: "/x/out".into(),
            staging: "/x/.out.zk-staging-r1".into(),
        }
    }

    #[test]
    fn a_history_reads_back_and_a_repeat_starts_from_the_history_before_it() {
        let mut st = State::default();
        st.seen.extend([5, 1]);
        st.once.insert(9);
        // the run adds 3 and 7 (seen) and 4 (once)
        for k in [7, 3] {
            st.seen.insert(k);
            st.added_seen.push(k);
        }
        st.once.insert(4);
        st.added_once.push(4);
        let bytes = encode(st, &last());
        let h = HistoryFile::parse(&bytes).unwrap();
        assert_eq!(h.last, Some(last()));
        assert_eq!(
            (&h.base_seen, &h.base_once, &h.last_seen, &h.last_once),
            (&vec![1, 5], &vec![9], &vec![3, 7], &vec![4])
        );
        let again = HistoryFile::parse(&bytes).unwrap().start(42);
        assert!(again.repeat);
        assert_eq!(again.keys_before, 3);
        assert!(!again.state.seen.contains(&3));
        let next = HistoryFile::parse(&bytes).unwrap().start(43);
        assert!(!next.repeat);
        assert_eq!(next.keys_before, 6);
        assert!(next.state.seen.contains(&3) && next.state.once.contains(&4));
    }

    #[test]
    fn a_damaged_history_is_refused() {
        let mut st = State::default();
        st.seen.insert(1);
        st.added_seen.push(1);
        let bytes = encode(st, &last());
        for cut in [0, 7, 20, bytes.len() - 1] {
            assert!(HistoryFile::parse(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let i = flipped.len() - 12;
        flipped[i] ^= 1;
        assert!(HistoryFile::parse(&flipped).is_none());
    }
}
