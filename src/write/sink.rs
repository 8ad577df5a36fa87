//! The site writer's [`Sink`]: takes a build's files as they are rendered and puts them in
//! place all at once when told to finish, or leaves the folder as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::commit::{Staged, commit, stage_manifests};
use super::error::{WriteError, io_error};
use super::guards::{check_no_clash, check_out_dir, check_output_path, on_disk};
use super::manifest::{MANIFEST_FILE, Previous, encode_manifest, read_manifest};
use super::plan::{Entry, plan};
use crate::render::sink::PageSink;

/// The staging folder's name, directly inside the output folder.
pub const STAGING_DIR: &str = ".evident-staging";

/// What a write did ([`Sink::finish`], [`write_site`](super::write_site)).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: usize,
    /// Files already on disk with the right bytes, left alone (including adopted ones).
    pub unchanged: usize,
    /// Stale files of the writer's own that were deleted.
    pub removed: usize,
}

/// Takes a build's files as they are rendered, so that a large site never has to be held in
/// memory whole, and puts them in place when [`Sink::finish`] is called: the same rules as
/// [`write_site`](super::write_site) (which is built on it), the same all-or-nothing result.
///
/// Into an empty (or missing) folder, files go straight into place: there is no previous
/// site to protect, and staging would only create every folder twice and delete a whole tree
/// afterwards (a third of a 10,000-page build on these disks). Otherwise each file is compared
/// with what is on disk as it arrives; only new and changed ones are written, into the staging
/// folder, and moved into place by `finish` once every check has passed.
///
/// A sink dropped without `finish` (a failed render) removes what it wrote: the folder is as
/// it was before.
#[derive(Debug)]
pub struct Sink {
    out_dir: PathBuf,
    mode: Mode,
    previous: Previous,
    state: std::sync::Mutex<SinkState>,
    finished: bool,
}

#[derive(Debug)]
enum Mode {
    /// Writing in place into an empty folder; `existed` says whether to remove it or only
    /// empty it on failure.
    Fresh {
        existed: bool,
    },
    Staged {
        staging: PathBuf,
    },
}

#[derive(Debug, Default)]
struct SinkState {
    files: BTreeMap<String, Entry>,
    /// Folders already created, so that each costs one system call.
    made: BTreeSet<PathBuf>,
    /// The first failure; later files are not written, and `finish` reports it.
    error: Option<WriteError>,
}

impl Sink {
    /// Checks the output folder and reads its manifest; creates the folder (and the staging
    /// folder when there is a previous site).
    pub fn open(out_dir: &Path, site_root: &Path, sources: &[PathBuf]) -> Result<Sink, WriteError> {
        check_out_dir(out_dir, site_root, sources)?;
        let previous = read_manifest(out_dir)?;
        let mode = if previous.raw.is_none() && is_empty_or_missing(out_dir) {
            Mode::Fresh {
                existed: out_dir.exists(),
            }
        } else {
            let staging = out_dir.join(STAGING_DIR);
            remove_leftover_staging(&staging)?;
            Mode::Staged { staging }
        };
        fs::create_dir_all(out_dir).map_err(io_error("create the output folder", out_dir))?;
        if let Mode::Staged { staging } = &mode {
            fs::create_dir(staging).map_err(|source| WriteError::Stage {
                rel: STAGING_DIR.to_owned(),
                path: staging.clone(),
                out_dir: out_dir.to_path_buf(),
                source,
            })?;
        }
        Ok(Sink {
            out_dir: out_dir.to_path_buf(),
            mode,
            previous,
            state: std::sync::Mutex::new(SinkState::default()),
            finished: false,
        })
    }

    /// Takes one file (called from any thread). A failure is kept and reported by `finish`.
    pub fn accept(&self, rel: &str, bytes: &[u8]) {
        if self.lock().error.is_some() {
            return;
        }
        let result = self.store(rel, bytes);
        let mut state = self.lock();
        match result {
            Ok(entry) => {
                state.files.insert(rel.to_owned(), entry);
            }
            Err(error) => {
                state.error.get_or_insert(error);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SinkState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn store(&self, rel: &str, bytes: &[u8]) -> Result<Entry, WriteError> {
        check_output_path(rel).map_err(|reason| WriteError::InvalidOutputPath {
            path: rel.to_owned(),
            reason,
        })?;
        let hash = blake3::hash(bytes).to_hex().to_string();
        let (base, unchanged) = match &self.mode {
            Mode::Fresh { .. } => (&self.out_dir, false),
            Mode::Staged { staging } => (staging, self.same_on_disk(rel, bytes)),
        };
        if !unchanged {
            let path = on_disk(base, rel);
            let fail = |source| WriteError::Stage {
                rel: rel.to_owned(),
                path: path.clone(),
                out_dir: self.out_dir.clone(),
                source,
            };
            if let Some(parent) = path.parent() {
                let made = self.lock().made.contains(parent);
                if !made {
                    fs::create_dir_all(parent).map_err(fail)?;
                    self.lock().made.insert(parent.to_path_buf());
                }
            }
            fs::write(&path, bytes).map_err(fail)?;
        }
        Ok(Entry { hash, unchanged })
    }

    /// Whether the file at `rel` already holds exactly `bytes`. Also how a foreign file is
    /// adopted: it is already exactly what the build would write, so owning it loses nothing.
    ///
    /// Anything unusual on the way (a file where a folder should be, a link, an unreadable
    /// file) counts as "not the same": the file is staged, and `finish` inspects the folder
    /// properly and reports what is in the way.
    fn same_on_disk(&self, rel: &str, bytes: &[u8]) -> bool {
        let path = on_disk(&self.out_dir, rel);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() && meta.len() == bytes.len() as u64 => {
                fs::read(&path).is_ok_and(|on_disk| on_disk == bytes)
            }
            _ => false,
        }
    }

    /// Checks everything it was given against what is in the folder, then puts the new site in
    /// place (moving staged files, removing the writer's stale ones, writing the manifest), or
    /// leaves the folder as it was and says why.
    pub fn finish(mut self) -> Result<WriteReport, WriteError> {
        let state = std::mem::take(&mut *self.lock());
        if let Some(error) = state.error {
            return Err(error);
        }
        check_no_clash(state.files.keys())?;
        let next: BTreeMap<String, String> = state
            .files
            .iter()
            .map(|(path, entry)| (path.clone(), entry.hash.clone()))
            .collect();
        let next_bytes = encode_manifest(&self.out_dir, &next)?;
        let report = match &self.mode {
            Mode::Fresh { .. } => {
                let path = self.out_dir.join(MANIFEST_FILE);
                fs::write(&path, &next_bytes).map_err(|source| WriteError::Stage {
                    rel: MANIFEST_FILE.to_owned(),
                    path: path.clone(),
                    out_dir: self.out_dir.clone(),
                    source,
                })?;
                WriteReport {
                    written: state.files.len(),
                    unchanged: 0,
                    removed: 0,
                }
            }
            Mode::Staged { staging } => {
                self.commit_staged(staging, &state.files, &next, &next_bytes)?
            }
        };
        self.finished = true;
        Ok(report)
    }

    fn commit_staged(
        &self,
        staging: &Path,
        files: &BTreeMap<String, Entry>,
        next: &BTreeMap<String, String>,
        next_bytes: &[u8],
    ) -> Result<WriteReport, WriteError> {
        let out_dir = &self.out_dir;
        let previous = &self.previous;
        let plan = plan(out_dir, &previous.files, files)?;
        // Only paths the previous manifest does not list can become orphans if the renames
        // stop half way; rewriting the manifest for them alone keeps an unchanged build a
        // no-op.
        let interim = if plan
            .to_write
            .iter()
            .any(|path| !previous.files.contains_key(*path))
        {
            let mut union = previous.files.clone();
            union.extend(next.iter().map(|(k, v)| (k.clone(), v.clone())));
            Some(encode_manifest(out_dir, &union)?)
        } else {
            None
        };
        let manifest_changes = previous.raw.as_deref() != Some(next_bytes);
        let staged = Staged {
            out_dir,
            staging,
            interim: interim.as_deref(),
            manifest: manifest_changes.then_some(next_bytes),
        };
        stage_manifests(&staged)?;
        let stale: Vec<&str> = previous
            .files
            .keys()
            .map(String::as_str)
            .filter(|path| !files.contains_key(*path) && !plan.clear_files.contains(*path))
            .collect();
        let removed = commit(&staged, &plan, &stale)?;
        Ok(WriteReport {
            written: plan.to_write.len(),
            unchanged: plan.unchanged,
            removed,
        })
    }
}

impl Drop for Sink {
    /// Best effort: the error that stopped the build is the one worth reporting, and a
    /// leftover staging folder is removed by the next run anyway.
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        match &self.mode {
            Mode::Staged { staging } => {
                let _ = fs::remove_dir_all(staging);
            }
            Mode::Fresh { existed: true } => {
                if let Ok(entries) = fs::read_dir(&self.out_dir) {
                    for entry in entries.flatten() {
                        let path = entry.path();
                        let _ = if path.is_dir() {
                            fs::remove_dir_all(&path)
                        } else {
                            fs::remove_file(&path)
                        };
                    }
                }
            }
            Mode::Fresh { existed: false } => {
                let _ = fs::remove_dir_all(&self.out_dir);
            }
        }
    }
}

fn is_empty_or_missing(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) => error.kind() == std::io::ErrorKind::NotFound,
    }
}

fn remove_leftover_staging(staging: &Path) -> Result<(), WriteError> {
    // The name is reserved, so whatever is there is a crashed run's leftover.
    let removed = match fs::symlink_metadata(staging) {
        Ok(meta) if meta.file_type().is_dir() => fs::remove_dir_all(staging),
        Ok(_) => fs::remove_file(staging),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    };
    removed.map_err(io_error("remove the leftover staging folder", staging))
}

impl PageSink for Sink {
    /// Never refuses a file: a failure is kept for [`Sink::finish`] to report (and later files
    /// are not written), as it was when a build wrote its pages through the sink directly.
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.accept(&path, &bytes);
        Ok(())
    }
}
