//! The site writer's [`Sink`]: takes a build's files as they are rendered and puts them in
//! place all at once when told to finish, or leaves the folder as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::commit::apply;
use super::error::{Conflict, WriteError, io_error};
use super::guards::{check_no_clash, check_out_dir, check_output_path, on_disk};
use super::journal::{Journal, STAGING_DIR, write_journal};
use super::manifest::{MANIFEST_FILE, Previous, encode_manifest, read_manifest};
use super::plan::{Entry, plan};
use super::recover::recover_checked;
use crate::render::sink::PageSink;

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
/// Every file is written into the staging folder first, and flushed to disk. Into an empty (or
/// missing) folder, the staged top-level entries are then moved whole, a handful of renames;
/// otherwise each file is compared with what is on disk as it arrives, only new and changed
/// ones are staged, and `finish` moves them one by one once every check has passed. Either
/// way the moves follow a [`Journal`] written before the first, so a build killed part way is
/// finished by the next writer into the folder.
///
/// A sink dropped without `finish` (a failed render) removes what it wrote: the folder is as
/// it was before.
#[derive(Debug)]
pub struct Sink {
    out_dir: PathBuf,
    staging: PathBuf,
    /// The folder held nothing; `existed` says whether it was there at all.
    fresh: Option<Existed>,
    previous: Previous,
    state: std::sync::Mutex<SinkState>,
    /// Set once the journal is written: from then on a failure leaves the staging folder for
    /// the next run to finish from.
    committing: bool,
    finished: bool,
}

#[derive(Debug, Clone, Copy)]
struct Existed(bool);

#[derive(Debug, Default)]
struct SinkState {
    files: BTreeMap<String, Entry>,
    /// Folders already created, so that each costs one system call.
    made: BTreeSet<PathBuf>,
    /// The first failure; later files are not written, and `finish` reports it.
    error: Option<WriteError>,
}

/// A sink whose files all passed every check, ready to be put in place ([`Sink::prepare`]).
#[derive(Debug)]
pub struct Prepared {
    sink: Sink,
    journal: Journal,
    report: WriteReport,
}

impl Sink {
    /// Checks the output folder, finishes or clears what a killed run left there, reads the
    /// manifest, and creates the folder and the staging folder.
    pub fn open(out_dir: &Path, site_root: &Path, sources: &[PathBuf]) -> Result<Sink, WriteError> {
        check_out_dir(out_dir, site_root, sources)?;
        recover_checked(out_dir)?;
        let previous = read_manifest(out_dir)?;
        let fresh = (previous.raw.is_none() && is_empty_or_missing(out_dir))
            .then(|| Existed(out_dir.exists()));
        let staging = out_dir.join(STAGING_DIR);
        fs::create_dir_all(out_dir).map_err(io_error("create the output folder", out_dir))?;
        fs::create_dir(&staging).map_err(|source| WriteError::Stage {
            rel: STAGING_DIR.to_owned(),
            path: staging.clone(),
            out_dir: out_dir.to_path_buf(),
            source,
        })?;
        Ok(Sink {
            out_dir: out_dir.to_path_buf(),
            staging,
            fresh,
            previous,
            state: std::sync::Mutex::new(SinkState::default()),
            committing: false,
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
        let unchanged = self.fresh.is_none() && self.same_on_disk(rel, bytes);
        if !unchanged {
            let path = on_disk(&self.staging, rel);
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
            write_flushed(&path, bytes).map_err(fail)?;
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
    pub fn finish(self) -> Result<WriteReport, WriteError> {
        self.prepare()?.commit()
    }

    /// Every check of [`Sink::finish`], with nothing in the folder changed yet: a build
    /// writing into two folders prepares both before it changes either.
    pub fn prepare(self) -> Result<Prepared, WriteError> {
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
        let mut journal = Journal::new();
        let report = match self.fresh {
            Some(_) => {
                journal.fresh = true;
                journal.moves = top_level_moves(&self.out_dir, &state.files)?;
                WriteReport {
                    written: state.files.len(),
                    unchanged: 0,
                    removed: 0,
                }
            }
            None => {
                let plan = plan(&self.out_dir, &self.previous.files, &state.files)?;
                journal.clear_files = plan.clear_files.iter().cloned().collect();
                journal.clear_dirs = plan.clear_dirs.clone();
                journal.moves = plan.to_write.iter().map(|rel| (*rel).to_owned()).collect();
                journal.stale = self
                    .previous
                    .files
                    .keys()
                    .filter(|path| {
                        !state.files.contains_key(*path) && !plan.clear_files.contains(*path)
                    })
                    .cloned()
                    .collect();
                WriteReport {
                    written: plan.to_write.len(),
                    unchanged: plan.unchanged,
                    removed: 0,
                }
            }
        };
        if self.previous.raw.as_deref() != Some(next_bytes.as_slice()) {
            let path = self.staging.join(MANIFEST_FILE);
            // The name starts with the reserved prefix, so no output file is staged there.
            write_flushed(&path, &next_bytes).map_err(|source| WriteError::Stage {
                rel: MANIFEST_FILE.to_owned(),
                path: path.clone(),
                out_dir: self.out_dir.clone(),
                source,
            })?;
            journal.manifest = true;
        }
        Ok(Prepared {
            sink: self,
            journal,
            report,
        })
    }
}

impl Prepared {
    /// Writes the journal, then makes the changes it lists. A failure from here on leaves the
    /// journal and the staging folder, and the next writer into the folder finishes the commit.
    pub fn commit(mut self) -> Result<WriteReport, WriteError> {
        let sink = &mut self.sink;
        if self.journal.is_empty() {
            // Nothing changes: not even a journal is written, and the staging folder holds
            // nothing but empty folders.
            fs::remove_dir_all(&sink.staging)
                .map_err(io_error("remove the staging folder", &sink.staging))?;
        } else {
            write_journal(&sink.out_dir, &sink.staging, &self.journal)?;
            sink.committing = true;
            self.report.removed = apply(&sink.out_dir, &sink.staging, &self.journal)?;
        }
        sink.finished = true;
        Ok(self.report)
    }
}

/// The top-level names of the staged files, for a folder that holds nothing: refused when
/// something took one of them since the build started.
fn top_level_moves(
    out_dir: &Path,
    files: &BTreeMap<String, Entry>,
) -> Result<Vec<String>, WriteError> {
    let names: BTreeSet<&str> = files
        .keys()
        .map(|rel| rel.split('/').next().unwrap_or(rel))
        .collect();
    let conflicts: Vec<Conflict> = names
        .iter()
        .filter_map(|name| {
            let path = on_disk(out_dir, name);
            fs::symlink_metadata(&path)
                .is_ok()
                .then(|| Conflict::InTheWay {
                    path,
                    needed_for: (*name).to_owned(),
                })
        })
        .collect();
    if !conflicts.is_empty() {
        return Err(WriteError::Conflicts {
            out_dir: out_dir.to_path_buf(),
            conflicts,
        });
    }
    Ok(names.into_iter().map(str::to_owned).collect())
}

/// Writes a file and flushes it to disk: the journal that moves it into place is written only
/// after every staged file is complete on disk, so finishing a killed commit is always safe.
fn write_flushed(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_data()
}

impl Drop for Sink {
    /// Best effort: the error that stopped the build is the one worth reporting, and a
    /// leftover staging folder is removed by the next run anyway. Once the commit has
    /// started, the staging folder is left for the next run to finish from.
    fn drop(&mut self) {
        if self.finished || self.committing {
            return;
        }
        let _ = fs::remove_dir_all(&self.staging);
        if let Some(Existed(false)) = self.fresh {
            // Made by this sink; remove_dir leaves it if anything was put there since.
            let _ = fs::remove_dir(&self.out_dir);
        }
    }
}

fn is_empty_or_missing(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) => error.kind() == std::io::ErrorKind::NotFound,
    }
}

impl PageSink for Sink {
    /// Never refuses a file: a failure is kept for [`Sink::finish`] to report (and later files
    /// are not written), as it was when a build wrote its pages through the sink directly.
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.accept(&path, &bytes);
        Ok(())
    }
}
