//! Stage 4 of the pipeline: the rendered site goes to disk, page by page as it is rendered
//! (through a [`Sink`]) or from an [`Output`] held in memory.
//!
//! One writer owns the output folder, and it owns only the files it lists in
//! `<out>/.evident-manifest.json`. Everything else in the folder (a `CNAME`, a `.git/`, the
//! user's notes) is never modified or deleted. The output is never wiped: on the machines
//! evident runs on, creating many files right after deleting many is several times slower
//! than leaving unchanged files alone, so a build rewrites only what changed and removes only
//! its own stale files.
//!
//! A build either replaces the previous site or leaves it as it was. New and changed files are
//! first written under `<out>/.evident-staging/` (inside the output folder, so the final
//! renames stay on one file system and are atomic); only when every file is staged are they
//! renamed into place. Every check that could refuse the build — the output folder's place,
//! the output paths, files the writer does not own — runs before anything in the site
//! changes. (Into an empty folder there is nothing to protect: files go straight into place,
//! and are removed again if the build fails.)

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The manifest's file name, directly inside the output folder.
pub const MANIFEST_FILE: &str = ".evident-manifest.json";
/// The staging folder's name, directly inside the output folder.
pub const STAGING_DIR: &str = ".evident-staging";
/// Top-level names starting with this (in any letter case, for case-insensitive file systems)
/// are the writer's own and can never be output paths.
const RESERVED_PREFIX: &str = ".evident-";
const MANIFEST_VERSION: u32 = 1;
/// Written before the renames when they will give the writer new files; see [`commit`].
const INTERIM_MANIFEST: &str = ".evident-manifest-interim.json";
/// The most conflicts spelled out in one error; the rest are counted.
const CONFLICTS_SHOWN: usize = 20;

/// Everything a build produced, in memory: relative output paths ('/'-separated, e.g.
/// "claims/x/index.html") → bytes.
///
/// An output can instead stream into a [`Sink`]: each file is handed to it as it is added,
/// and only its path is kept (and its bytes too, when asked: the search indexer reads every
/// page once the site is rendered).
#[derive(Debug, Default, Clone)]
pub struct Output {
    /// Output path → file contents; a `BTreeMap` so that every walk over it is in one order.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Paths handed to the sink whose bytes were not kept.
    streamed: BTreeSet<String>,
    sink: Option<std::sync::Arc<Sink>>,
    keep: bool,
}

impl Output {
    /// An empty output.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty output whose files go to `sink` as they are added; `keep` also keeps their
    /// bytes in [`Output::files`].
    pub fn streaming(sink: std::sync::Arc<Sink>, keep: bool) -> Self {
        Output {
            sink: Some(sink),
            keep,
            ..Output::default()
        }
    }

    /// Adds (or replaces) the file at `path`. Paths are checked by [`write_site`] or the sink,
    /// not here, so that every bad path is reported with the same error.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let (path, bytes) = (path.into(), bytes.into());
        if let Some(sink) = &self.sink {
            sink.put(&path, &bytes);
            if !self.keep {
                self.streamed.insert(path);
                return;
            }
        }
        self.files.insert(path, bytes);
    }

    /// Adds many files at once; a streaming output writes them on every core.
    pub fn insert_all(&mut self, files: Vec<(String, Vec<u8>)>) {
        if let Some(sink) = &self.sink {
            files
                .par_iter()
                .for_each(|(path, bytes)| sink.put(path, bytes));
            if !self.keep {
                self.streamed
                    .extend(files.into_iter().map(|(path, _)| path));
                return;
            }
        }
        self.files.extend(files);
    }

    /// Every path in the output, streamed or held, in order.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        let mut all: Vec<&String> = self.files.keys().chain(&self.streamed).collect();
        all.sort();
        all.into_iter()
    }
}

/// What [`write_site`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: usize,
    /// Files already on disk with the right bytes, left alone (including adopted ones).
    pub unchanged: usize,
    /// Stale files of the writer's own that were deleted.
    pub removed: usize,
}

/// Something in the output folder that the writer does not own and will not destroy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A file the writer did not write, where the build wants different bytes.
    ForeignFile {
        /// The file.
        path: PathBuf,
    },
    /// A file, link or special file the writer did not write, where the build needs a folder.
    InTheWay {
        /// The entry in the way.
        path: PathBuf,
        /// The output path that needs the folder.
        needed_for: String,
    },
    /// A folder where the build wants a file, holding something the writer did not write.
    ForeignInFolder {
        /// The folder.
        folder: PathBuf,
        /// The first foreign entry found in it.
        entry: PathBuf,
    },
    /// A symbolic link or special file where the build wants a file. The writer never creates
    /// links, so one is always the user's, and following it could write outside the folder.
    NotAFile {
        /// The link or special file.
        path: PathBuf,
    },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::ForeignFile { path } => write!(
                f,
                "{}: not written by evident (not in its manifest), and the build would replace \
                 it with different content",
                path.display()
            ),
            Conflict::InTheWay { path, needed_for } => write!(
                f,
                "{}: not written by evident, and the build needs a folder there for {needed_for}",
                path.display()
            ),
            Conflict::ForeignInFolder { folder, entry } => write!(
                f,
                "{}: the build wants a file here, but this folder holds {}, which evident did \
                 not write",
                folder.display(),
                entry.display()
            ),
            Conflict::NotAFile { path } => write!(
                f,
                "{}: a symbolic link or special file, where the build wants to write a file",
                path.display()
            ),
        }
    }
}

/// Why [`write_site`] refused or failed. Each message names the path(s) and what to do.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder is the site folder.
    #[error(
        "refusing to build into {}: it is the site folder itself, where the build could \
         overwrite its sources; choose an output folder inside it, such as {}",
        out_dir.display(),
        site_root.join("public").display()
    )]
    OutDirIsSiteRoot {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The site folder as given.
        site_root: PathBuf,
    },
    /// The output folder contains the site folder.
    #[error(
        "refusing to build into {}: it contains the site folder {}, whose sources the build \
         could overwrite; choose an output folder inside the site, such as {}",
        out_dir.display(),
        site_root.display(),
        site_root.join("public").display()
    )]
    OutDirContainsSiteRoot {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The site folder as given.
        site_root: PathBuf,
    },
    /// The output folder is, or contains, one of the site's sources.
    #[error(
        "refusing to build into {}: it holds the site source {}, which the build could \
         overwrite or delete; choose an output folder that holds none of the sources",
        out_dir.display(),
        source_path.display()
    )]
    OutDirHoldsSource {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The source as given.
        source_path: PathBuf,
    },
    /// The output folder lies inside one of the site's sources.
    #[error(
        "refusing to build into {}: it lies inside the site source {}, so the next build \
         would read its own output; choose an output folder outside the sources",
        out_dir.display(),
        source_path.display()
    )]
    OutDirInsideSource {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The source as given.
        source_path: PathBuf,
    },
    /// The output folder exists and is a file.
    #[error(
        "cannot build into {}: it exists and is not a folder; move it away or choose another \
         output folder",
        out_dir.display()
    )]
    OutDirNotAFolder {
        /// The output folder as given.
        out_dir: PathBuf,
    },
    /// The build produced a path that could leave the output folder or hit the writer's own
    /// files.
    #[error(
        "the build produced the output path {path:?}, which is not allowed: {reason}. Nothing \
         was written. The path comes from a file or id in the site (a theme file, a topic, a \
         claim or source id): rename it; if it does not, this is a bug in evident"
    )]
    InvalidOutputPath {
        /// The offending path.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The build produced a file and another file inside it.
    #[error(
        "the build produced both the file {file:?} and the file {nested:?} inside it; a path \
         cannot be a file and a folder at once. Nothing was written. Rename the topic, id or \
         theme file behind one of them"
    )]
    OutputPathClash {
        /// The path the build wants as a file.
        file: String,
        /// A path the build wants inside it.
        nested: String,
    },
    /// The manifest exists but cannot be trusted.
    #[error(
        "the output manifest {} cannot be used: {reason}. evident relies on it to know which \
         files in {} it wrote, and will not guess. To recover: check that folder and move out \
         any file you want to keep, then delete {} and build again (files identical to the \
         build's output are then adopted; any other is reported, never overwritten)",
        manifest.display(),
        out_dir.display(),
        manifest.display()
    )]
    CorruptManifest {
        /// The manifest file.
        manifest: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Files the writer does not own are where the build wants to write.
    #[error("{}", describe_conflicts(out_dir, conflicts))]
    Conflicts {
        /// The output folder as given.
        out_dir: PathBuf,
        /// Every conflict found, in path order.
        conflicts: Vec<Conflict>,
    },
    /// Reading or inspecting failed before anything was written.
    #[error("could not {action} {}: {source}. The previous output was not changed", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Staging failed; the previous output is as it was.
    #[error(
        "could not stage the output file {rel:?} (at {}): {source}. The build was abandoned \
         and the previous output in {} is untouched",
        path.display(),
        out_dir.display()
    )]
    Stage {
        /// The output path being staged.
        rel: String,
        /// Where it was being written.
        path: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Putting the staged files in place failed part way.
    #[error(
        "could not {action} {} while putting the new output in place: {source}. {} is partly \
         updated (files evident does not own were not touched); fix the cause and build again \
         to finish",
        path.display(),
        out_dir.display()
    )]
    Commit {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

fn describe_conflicts(out_dir: &Path, conflicts: &[Conflict]) -> String {
    let mut text = format!(
        "cannot write the site into {}: {} path(s) there hold things evident did not write, and \
         the build would lose them. Nothing was written.",
        out_dir.display(),
        conflicts.len()
    );
    for conflict in conflicts.iter().take(CONFLICTS_SHOWN) {
        text.push_str("\n  - ");
        text.push_str(&conflict.to_string());
    }
    if conflicts.len() > CONFLICTS_SHOWN {
        text.push_str(&format!(
            "\n  - and {} more",
            conflicts.len() - CONFLICTS_SHOWN
        ));
    }
    text.push_str(&format!(
        "\nMove each of them out of {} (or delete it if it is left over from an old build), \
         then build again.",
        out_dir.display()
    ));
    text
}

/// Writes `output` into `out_dir`, owning only the files listed in its manifest.
/// `site_root` is the site's folder; `sources` are the site's input folders/files (content/,
/// citations/, themes/, evident.yaml) that must never be inside out_dir.
pub fn write_site(
    out_dir: &Path,
    site_root: &Path,
    sources: &[PathBuf],
    output: &Output,
) -> Result<WriteReport, WriteError> {
    check_out_dir(out_dir, site_root, sources)?;
    for path in output.files.keys() {
        check_output_path(path).map_err(|reason| WriteError::InvalidOutputPath {
            path: path.clone(),
            reason,
        })?;
    }
    check_no_clash(output.files.keys())?;
    let sink = Sink::open(out_dir, site_root, sources)?;
    output
        .files
        .par_iter()
        .for_each(|(path, bytes)| sink.put(path, bytes));
    sink.finish()
}

/// Takes a build's files as they are rendered, so that a large site never has to be held in
/// memory whole, and puts them in place when [`Sink::finish`] is called: the same rules as
/// [`write_site`] (which is built on it), the same all-or-nothing result.
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

/// What the sink knows of a file it was given.
#[derive(Debug, Clone)]
struct Entry {
    hash: String,
    /// Already on disk with exactly these bytes.
    unchanged: bool,
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
    pub fn put(&self, rel: &str, bytes: &[u8]) {
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

/// Refuses an output folder where a build could overwrite or delete the site's own files.
fn check_out_dir(out_dir: &Path, site_root: &Path, sources: &[PathBuf]) -> Result<(), WriteError> {
    match fs::metadata(out_dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(WriteError::OutDirNotAFolder {
                out_dir: out_dir.to_path_buf(),
            });
        }
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(io_error("inspect", out_dir)(error)),
    }
    let out = resolve(out_dir)?;
    let root = resolve(site_root)?;
    if out == root {
        return Err(WriteError::OutDirIsSiteRoot {
            out_dir: out_dir.to_path_buf(),
            site_root: site_root.to_path_buf(),
        });
    }
    if root.starts_with(&out) {
        return Err(WriteError::OutDirContainsSiteRoot {
            out_dir: out_dir.to_path_buf(),
            site_root: site_root.to_path_buf(),
        });
    }
    for source in sources {
        let resolved = resolve(source)?;
        if resolved.starts_with(&out) {
            return Err(WriteError::OutDirHoldsSource {
                out_dir: out_dir.to_path_buf(),
                source_path: source.clone(),
            });
        }
        if out.starts_with(&resolved) {
            return Err(WriteError::OutDirInsideSource {
                out_dir: out_dir.to_path_buf(),
                source_path: source.clone(),
            });
        }
    }
    Ok(())
}

/// The real location of `path`, which need not exist yet: its nearest existing ancestor is
/// canonicalised (resolving links and `..`) and the rest appended, so that two spellings of
/// one folder compare equal.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    let fail = io_error("find the real location of", path);
    let absolute = std::path::absolute(path).map_err(&fail)?;
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(mut real) => {
                real.extend(missing.iter().rev());
                return Ok(real);
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                // `..` after a folder that does not exist cannot be resolved honestly.
                let (Some(name), Some(parent)) = (existing.file_name(), existing.parent()) else {
                    return Err(fail(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "it has a '..' after a folder that does not exist",
                    )));
                };
                missing.push(name.to_os_string());
                existing = parent;
            }
            Err(error) => return Err(fail(error)),
        }
    }
}

/// Why `path` may not be an output path, if it may not. The same rule guards the manifest's
/// entries, since they decide what gets deleted.
fn check_output_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    if path.contains('\0') {
        return Err("it contains a NUL character");
    }
    if path.contains('\\') {
        return Err("it contains a backslash (output paths are separated by '/')");
    }
    if path.starts_with('/') {
        return Err("it is absolute");
    }
    for part in path.split('/') {
        match part {
            "" => return Err("it has an empty component (a doubled, leading or trailing '/')"),
            "." | ".." => return Err("it has a '.' or '..' component"),
            _ => {}
        }
    }
    // Catches what is special on this platform only, such as a drive prefix on Windows.
    if !Path::new(path)
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
    {
        return Err("it is not a plain relative path on this platform");
    }
    let first = path.split('/').next().unwrap_or(path);
    if first.to_ascii_lowercase().starts_with(RESERVED_PREFIX) {
        return Err(
            "it starts with '.evident-', a name evident keeps for its manifest and staging",
        );
    }
    Ok(())
}

/// Refuses an output that needs one path to be both a file and a folder.
fn check_no_clash<'a>(paths: impl Iterator<Item = &'a String> + Clone) -> Result<(), WriteError> {
    let all: BTreeSet<&str> = paths.clone().map(String::as_str).collect();
    for path in paths {
        if let Some(file) = ancestors(path).find(|dir| all.contains(*dir)) {
            return Err(WriteError::OutputPathClash {
                file: file.to_owned(),
                nested: path.clone(),
            });
        }
    }
    Ok(())
}

/// The proper ancestors of a '/'-separated relative path, shallowest first.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

/// `base` joined with a checked '/'-separated relative path.
fn on_disk(base: &Path, rel: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    path.extend(rel.split('/'));
    path
}

fn io_error(action: &'static str, path: &Path) -> impl Fn(io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |source| WriteError::Io {
        action,
        path: path.clone(),
        source,
    }
}

#[derive(Serialize)]
struct ManifestOut<'a> {
    evident_manifest: u32,
    files: &'a BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ManifestIn {
    evident_manifest: u32,
    files: BTreeMap<String, String>,
}

/// The manifest's bytes: sorted keys, fixed layout, so one output always gives one manifest.
fn encode_manifest(
    out_dir: &Path,
    files: &BTreeMap<String, String>,
) -> Result<Vec<u8>, WriteError> {
    let manifest = ManifestOut {
        evident_manifest: MANIFEST_VERSION,
        files,
    };
    // Cannot fail for string maps; reported rather than replaced by an empty manifest, which
    // would make the next build treat every file as foreign.
    let mut bytes = serde_json::to_vec_pretty(&manifest)
        .map_err(|error| io_error("encode the manifest for", out_dir)(io::Error::other(error)))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The previous manifest: which files the writer owns, and its exact bytes.
#[derive(Debug, Default)]
struct Previous {
    files: BTreeMap<String, String>,
    raw: Option<Vec<u8>>,
}

fn read_manifest(out_dir: &Path) -> Result<Previous, WriteError> {
    let manifest = out_dir.join(MANIFEST_FILE);
    let corrupt = |reason: String| WriteError::CorruptManifest {
        manifest: manifest.clone(),
        out_dir: out_dir.to_path_buf(),
        reason,
    };
    match fs::symlink_metadata(&manifest) {
        // No manifest: the writer owns nothing yet, and every file there is someone else's.
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Previous::default()),
        Err(error) => return Err(corrupt(format!("it cannot be inspected ({error})"))),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(corrupt("it is not a regular file".to_owned()));
        }
        Ok(_) => {}
    }
    let raw =
        fs::read(&manifest).map_err(|error| corrupt(format!("it cannot be read ({error})")))?;
    let parsed: ManifestIn = serde_json::from_slice(&raw)
        .map_err(|error| corrupt(format!("it is not a valid manifest ({error})")))?;
    if parsed.evident_manifest != MANIFEST_VERSION {
        return Err(corrupt(format!(
            "it has format version {}, and this evident reads version {MANIFEST_VERSION} (was it \
             written by another version of evident?)",
            parsed.evident_manifest
        )));
    }
    for (path, hash) in &parsed.files {
        check_output_path(path)
            .map_err(|reason| corrupt(format!("it lists the path {path:?}, and {reason}")))?;
        let is_hash = hash.len() == 64
            && hash
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        if !is_hash {
            return Err(corrupt(format!(
                "the hash of {path:?} is not a blake3 hex digest"
            )));
        }
    }
    Ok(Previous {
        files: parsed.files,
        raw: Some(raw),
    })
}

/// What is at a path, without following a symbolic link there.
enum Disk {
    Missing,
    File,
    Dir,
    Other,
}

fn probe(path: &Path) -> Result<Disk, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Ok(Disk::File),
        Ok(meta) if meta.file_type().is_dir() => Ok(Disk::Dir),
        Ok(_) => Ok(Disk::Other),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Disk::Missing),
        Err(error) => Err(io_error("inspect", path)(error)),
    }
}

/// What the write will do, decided before anything is written.
#[derive(Default)]
struct Plan<'a> {
    /// New and changed files, in path order.
    to_write: Vec<&'a str>,
    unchanged: usize,
    /// Stale files of the writer's own where the new output needs a folder or a file.
    clear_files: BTreeSet<String>,
    /// Folders holding only such files, where the new output needs a file; deepest first.
    clear_dirs: Vec<String>,
}

#[derive(Clone, Copy)]
enum Ancestor {
    Dir,
    /// Missing, or an owned stale file that will be removed: everything below is new.
    Absent,
    /// A conflict, already recorded.
    Blocked,
}

fn plan<'a>(
    out_dir: &Path,
    owned: &BTreeMap<String, String>,
    files: &'a BTreeMap<String, Entry>,
) -> Result<Plan<'a>, WriteError> {
    let mut plan = Plan::default();
    let mut conflicts = Vec::new();
    // Many output paths share folders; each folder is inspected once.
    let mut seen: BTreeMap<&'a str, Ancestor> = BTreeMap::new();
    'paths: for (rel, entry) in files {
        for dir in ancestors(rel) {
            let state = match seen.get(dir) {
                Some(state) => *state,
                None => {
                    let state = match probe(&on_disk(out_dir, dir))? {
                        Disk::Dir => Ancestor::Dir,
                        Disk::Missing => Ancestor::Absent,
                        Disk::File if owned.contains_key(dir) => {
                            plan.clear_files.insert(dir.to_owned());
                            Ancestor::Absent
                        }
                        Disk::File | Disk::Other => {
                            conflicts.push(Conflict::InTheWay {
                                path: on_disk(out_dir, dir),
                                needed_for: rel.clone(),
                            });
                            Ancestor::Blocked
                        }
                    };
                    seen.insert(dir, state);
                    state
                }
            };
            match state {
                Ancestor::Dir => {}
                Ancestor::Absent => {
                    plan.to_write.push(rel);
                    continue 'paths;
                }
                Ancestor::Blocked => continue 'paths,
            }
        }
        let path = on_disk(out_dir, rel);
        match probe(&path)? {
            Disk::Missing => plan.to_write.push(rel),
            Disk::File => {
                if entry.unchanged {
                    plan.unchanged += 1;
                } else if owned.contains_key(rel.as_str()) {
                    plan.to_write.push(rel);
                } else {
                    conflicts.push(Conflict::ForeignFile { path });
                }
            }
            Disk::Dir => match plan_clear_dir(out_dir, rel, owned, &mut plan)? {
                None => plan.to_write.push(rel),
                Some(conflict) => conflicts.push(conflict),
            },
            Disk::Other => conflicts.push(Conflict::NotAFile { path }),
        }
    }
    if conflicts.is_empty() {
        Ok(plan)
    } else {
        Err(WriteError::Conflicts {
            out_dir: out_dir.to_path_buf(),
            conflicts,
        })
    }
}

/// Plans the removal of the folder at `rel`, where the build wants a file, if it holds only
/// the writer's own files; otherwise returns the first entry that is not.
fn plan_clear_dir(
    out_dir: &Path,
    rel: &str,
    owned: &BTreeMap<String, String>,
    plan: &mut Plan<'_>,
) -> Result<Option<Conflict>, WriteError> {
    let folder = on_disk(out_dir, rel);
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let walk = walkdir::WalkDir::new(&folder)
        .contents_first(true)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(&folder).to_path_buf();
            io_error("inspect", &path)(io::Error::from(error))
        })?;
        let Some(entry_rel) = relative(out_dir, entry.path()) else {
            return Ok(Some(Conflict::ForeignInFolder {
                folder,
                entry: entry.path().to_path_buf(),
            }));
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            dirs.push(entry_rel);
        } else if kind.is_file() && owned.contains_key(&entry_rel) {
            files.push(entry_rel);
        } else {
            return Ok(Some(Conflict::ForeignInFolder {
                folder,
                entry: entry.path().to_path_buf(),
            }));
        }
    }
    plan.clear_files.extend(files);
    plan.clear_dirs.extend(dirs);
    Ok(None)
}

/// `path` below `base` as a '/'-separated string; `None` when it is not valid UTF-8, since
/// such a name can be neither an output path nor in the manifest.
fn relative(base: &Path, path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path
        .strip_prefix(base)
        .ok()?
        .components()
        .map(|part| part.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
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

/// Where the staged files go and which manifests to write.
struct Staged<'a> {
    out_dir: &'a Path,
    staging: &'a Path,
    /// The interim manifest (previous ∪ next), when the renames give the writer new files.
    interim: Option<&'a [u8]>,
    /// The next manifest, when it differs from the one on disk.
    manifest: Option<&'a [u8]>,
}

/// Writes the manifests into the staging folder (the files are there already).
fn stage_manifests(staged: &Staged<'_>) -> Result<(), WriteError> {
    let fail = |rel: &str, path: &Path| {
        let (rel, path) = (rel.to_owned(), path.to_path_buf());
        move |source| WriteError::Stage {
            rel,
            path,
            out_dir: staged.out_dir.to_path_buf(),
            source,
        }
    };
    // Both names start with the reserved prefix, so no output file can be staged there.
    for (name, bytes) in [
        (INTERIM_MANIFEST, staged.interim),
        (MANIFEST_FILE, staged.manifest),
    ] {
        if let Some(bytes) = bytes {
            let path = staged.staging.join(name);
            fs::write(&path, bytes).map_err(fail(name, &path))?;
        }
    }
    // Nothing has changed yet; the interim manifest goes in now so that, if the renames stop
    // half way, every file already moved is one the manifest says the writer owns.
    if staged.interim.is_some() {
        let path = staged.staging.join(INTERIM_MANIFEST);
        fs::rename(&path, staged.out_dir.join(MANIFEST_FILE))
            .map_err(fail(MANIFEST_FILE, &path))?;
    }
    Ok(())
}

/// Puts the staged files in place and removes stale ones; returns how many were removed.
fn commit(staged: &Staged<'_>, plan: &Plan<'_>, stale: &[&str]) -> Result<usize, WriteError> {
    let out_dir = staged.out_dir;
    let fail = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Commit {
            action,
            path,
            out_dir: out_dir.to_path_buf(),
            source,
        }
    };
    let mut removed = 0;
    for rel in &plan.clear_files {
        let path = on_disk(out_dir, rel);
        fs::remove_file(&path).map_err(fail("remove the stale file", &path))?;
        removed += 1;
    }
    for rel in &plan.clear_dirs {
        let path = on_disk(out_dir, rel);
        // remove_dir refuses a folder that is not empty, so a file added since planning is
        // kept and stops the build instead.
        fs::remove_dir(&path).map_err(fail("remove the stale folder", &path))?;
    }
    for rel in &plan.to_write {
        let to = on_disk(out_dir, rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(fail("create the folder", parent))?;
        }
        fs::rename(on_disk(staged.staging, rel), &to).map_err(fail("move into place", &to))?;
    }
    removed += remove_stale(out_dir, stale, &fail)?;
    if staged.manifest.is_some() {
        let to = out_dir.join(MANIFEST_FILE);
        fs::rename(staged.staging.join(MANIFEST_FILE), &to)
            .map_err(fail("move into place", &to))?;
    }
    fs::remove_dir_all(staged.staging)
        .map_err(fail("remove the staging folder", staged.staging))?;
    Ok(removed)
}

/// Deletes the writer's stale files, then the folders that removal left empty.
fn remove_stale<F, E>(out_dir: &Path, stale: &[&str], fail: &F) -> Result<usize, WriteError>
where
    F: Fn(&'static str, &Path) -> E,
    E: FnOnce(io::Error) -> WriteError,
{
    let mut removed = 0;
    let mut emptied = BTreeSet::new();
    'files: for rel in stale {
        // A folder on the way that is now a link would lead outside the output folder, and one
        // that is now a file or gone means the file is not there: either way, nothing to do.
        for dir in ancestors(rel) {
            let path = on_disk(out_dir, dir);
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_dir() => {}
                Ok(_) => continue 'files,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue 'files,
                Err(error) => return Err(fail("inspect", &path)(error)),
            }
        }
        let path = on_disk(out_dir, rel);
        match fs::symlink_metadata(&path) {
            // Anything but a regular file was put there by someone else since; it is theirs.
            Ok(meta) if !meta.file_type().is_file() => continue,
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(fail("inspect", &path)(error)),
        }
        match fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(fail("remove the stale file", &path)(error)),
        }
        emptied.extend(ancestors(rel));
    }
    let mut dirs: Vec<&str> = emptied.into_iter().collect();
    dirs.sort_by_key(|dir| std::cmp::Reverse(dir.matches('/').count()));
    for dir in dirs {
        // remove_dir refuses a folder that still holds anything — new output, the user's
        // files — which is exactly the rule, so its refusal is an answer, not a failure.
        let _ = fs::remove_dir(on_disk(out_dir, dir));
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tempfile::TempDir;

    /// A site folder with its sources; the output folder is `public/` (not created).
    struct Site {
        _tmp: TempDir,
        root: PathBuf,
        out: PathBuf,
        sources: Vec<PathBuf>,
    }

    fn site() -> Site {
        let tmp = TempDir::new().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join("citations")).unwrap();
        fs::write(root.join("evident.yaml"), "title: t\n").unwrap();
        let sources = vec![
            root.join("content"),
            root.join("citations"),
            root.join("themes"),
            root.join("evident.yaml"),
        ];
        Site {
            out: root.join("public"),
            root,
            sources,
            _tmp: tmp,
        }
    }

    impl Site {
        fn write(&self, output: &Output) -> Result<WriteReport, WriteError> {
            write_site(&self.out, &self.root, &self.sources, output)
        }
    }

    fn output(files: &[(&str, &str)]) -> Output {
        let mut output = Output::new();
        for (path, bytes) in files {
            output.insert(*path, *bytes);
        }
        output
    }

    /// Every entry under `dir`: files with their bytes, folders as `None`.
    fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|entry| {
                let entry = entry.unwrap();
                let rel = relative(dir, entry.path()).unwrap();
                let bytes = entry
                    .file_type()
                    .is_file()
                    .then(|| fs::read(entry.path()).unwrap());
                (rel, bytes)
            })
            .collect()
    }

    fn manifest_of(out: &Path) -> BTreeMap<String, String> {
        let raw = fs::read(out.join(MANIFEST_FILE)).unwrap();
        serde_json::from_slice::<ManifestIn>(&raw).unwrap().files
    }

    fn report(written: usize, unchanged: usize, removed: usize) -> WriteReport {
        WriteReport {
            written,
            unchanged,
            removed,
        }
    }

    #[test]
    fn refuses_the_site_root_and_its_ancestors() {
        let site = site();
        let out = output(&[("index.html", "x")]);
        let before = tree(site.root.parent().unwrap());
        let error = write_site(&site.root, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirIsSiteRoot { .. }),
            "{error}"
        );
        assert!(error.to_string().contains(&site.root.display().to_string()));
        let parent = site.root.parent().unwrap();
        let error = write_site(parent, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirContainsSiteRoot { .. }),
            "{error}"
        );
        assert_eq!(tree(site.root.parent().unwrap()), before);
    }

    #[test]
    fn refuses_a_folder_holding_or_inside_a_source() {
        let site = site();
        let out = output(&[("index.html", "x")]);
        let content = site.root.join("content");
        let error = write_site(&content, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirHoldsSource { .. }),
            "{error}"
        );
        assert!(error.to_string().contains(&content.display().to_string()));

        // A source nested deeper than the output folder.
        let sources = vec![site.root.join("src/content")];
        let error = write_site(&site.root.join("src"), &site.root, &sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirHoldsSource { .. }),
            "{error}"
        );

        // Output inside a source, not created yet.
        let inside = content.join("build/html");
        let error = write_site(&inside, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirInsideSource { .. }),
            "{error}"
        );
        assert!(!content.join("build").exists());
    }

    #[test]
    fn compares_real_locations_not_spellings() {
        let site = site();
        let out = output(&[("index.html", "x")]);
        fs::create_dir_all(&site.out).unwrap();
        let dotted = site.out.join("..");
        let error = write_site(&dotted, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirIsSiteRoot { .. }),
            "{error}"
        );
        #[cfg(unix)]
        {
            let link = site.root.parent().unwrap().join("link");
            std::os::unix::fs::symlink(site.root.join("content"), &link).unwrap();
            let error = write_site(&link, &site.root, &site.sources, &out).unwrap_err();
            assert!(
                matches!(error, WriteError::OutDirHoldsSource { .. }),
                "{error}"
            );
            // Does not exist yet: resolved through its nearest existing ancestor.
            let below = link.join("new/deeper");
            let error = write_site(&below, &site.root, &site.sources, &out).unwrap_err();
            assert!(
                matches!(error, WriteError::OutDirInsideSource { .. }),
                "{error}"
            );
        }
        let nowhere = site.root.join("missing/../public");
        let error = write_site(&nowhere, &site.root, &site.sources, &out).unwrap_err();
        assert!(matches!(error, WriteError::Io { .. }), "{error}");
    }

    #[test]
    fn refuses_an_output_folder_that_is_a_file() {
        let site = site();
        fs::write(&site.out, "not a folder").unwrap();
        let error = site.write(&output(&[("a", "x")])).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirNotAFolder { .. }),
            "{error}"
        );
        assert_eq!(fs::read(&site.out).unwrap(), b"not a folder");
    }

    #[test]
    fn creates_a_missing_output_folder_and_its_parents() {
        let site = site();
        let out_dir = site.root.join("build/site/public");
        let out = output(&[("index.html", "i"), ("claims/x/index.html", "c")]);
        let got = write_site(&out_dir, &site.root, &site.sources, &out).unwrap();
        assert_eq!(got, report(2, 0, 0));
        assert_eq!(fs::read(out_dir.join("claims/x/index.html")).unwrap(), b"c");
    }

    #[test]
    fn refuses_paths_that_could_leave_the_output_folder() {
        let bad = [
            "",
            "/etc/passwd",
            "a//b",
            "a/",
            "/",
            "./a",
            "a/./b",
            "../a",
            "a/../../b",
            "..",
            "a\\b",
            "a\0b",
            ".evident-staging/x",
            ".evident-staging",
            ".evident-manifest.json",
            ".Evident-Manifest.JSON",
            ".evident-manifest.json/x",
        ];
        let site = site();
        for path in bad {
            let error = site
                .write(&output(&[("ok.html", "x"), (path, "y")]))
                .unwrap_err();
            assert!(
                matches!(&error, WriteError::InvalidOutputPath { path: p, .. } if p == path),
                "{path:?}: {error}"
            );
            assert!(!site.out.exists(), "{path:?} wrote something");
        }
        // Names that merely look special are fine.
        let fine = output(&[("..a/b", "1"), ("a../.b", "2"), ("x/.evident-staging", "3")]);
        assert_eq!(site.write(&fine).unwrap(), report(3, 0, 0));
    }

    #[test]
    fn refuses_an_output_path_that_is_both_file_and_folder() {
        let site = site();
        let error = site
            .write(&output(&[("a", "1"), ("a/b/c", "2")]))
            .unwrap_err();
        assert!(
            matches!(&error, WriteError::OutputPathClash { file, nested } if file == "a" && nested == "a/b/c"),
            "{error}"
        );
        assert!(!site.out.exists());
    }

    #[test]
    fn manifest_lists_every_owned_file_sorted_with_its_hash() {
        let site = site();
        let out = output(&[("z.html", "zz"), ("a/b.html", "ab"), ("index.html", "")]);
        site.write(&out).unwrap();
        let hash = |s: &str| blake3::hash(s.as_bytes()).to_hex().to_string();
        let expected = format!(
            "{{\n  \"evident_manifest\": 1,\n  \"files\": {{\n    \"a/b.html\": \"{}\",\n    \
             \"index.html\": \"{}\",\n    \"z.html\": \"{}\"\n  }}\n}}\n",
            hash("ab"),
            hash(""),
            hash("zz")
        );
        let raw = fs::read_to_string(site.out.join(MANIFEST_FILE)).unwrap();
        assert_eq!(raw, expected);

        // The same output into another folder gives the same bytes.
        let other = site.root.join("other");
        write_site(&other, &site.root, &site.sources, &out).unwrap();
        assert_eq!(fs::read_to_string(other.join(MANIFEST_FILE)).unwrap(), raw);
    }

    #[test]
    fn a_staging_failure_leaves_the_previous_output_untouched() {
        let site = site();
        let first = output(&[
            ("index.html", "old"),
            ("a/b.html", "old b"),
            ("gone.html", "g"),
        ]);
        site.write(&first).unwrap();
        fs::write(site.out.join("CNAME"), "example.org").unwrap();
        let before = tree(&site.out);

        // A file name longer than any file system allows, in a folder that does not exist
        // yet: nothing checks it before staging, and staging it fails.
        let too_long = format!("fresh/{}", "x".repeat(1000));
        let second = output(&[
            ("a/b.html", "new b"),
            ("c.html", "new"),
            ("index.html", "new"),
            (too_long.as_str(), "y"),
        ]);
        let error = site.write(&second).unwrap_err();
        assert!(matches!(error, WriteError::Stage { .. }), "{error}");
        assert!(error.to_string().contains("untouched"), "{error}");
        assert_eq!(tree(&site.out), before);
    }

    #[test]
    fn a_failed_first_build_leaves_nothing_behind() {
        let too_long = format!("fresh/{}", "x".repeat(1000));
        let broken = output(&[
            ("a/b.html", "b"),
            ("index.html", "i"),
            (too_long.as_str(), "y"),
        ]);
        // Into a folder that does not exist yet: it does not exist afterwards either.
        let site = site();
        assert!(matches!(
            site.write(&broken).unwrap_err(),
            WriteError::Stage { .. }
        ));
        assert!(!site.out.exists());
        // Into an empty folder: it is empty again.
        fs::create_dir_all(&site.out).unwrap();
        assert!(site.write(&broken).is_err());
        assert_eq!(fs::read_dir(&site.out).unwrap().count(), 0);
        // And a good first build writes every file and its manifest, with no staging left.
        let good = output(&[("a/b.html", "b"), ("index.html", "i")]);
        let report = site.write(&good).unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        assert!(site.out.join(MANIFEST_FILE).is_file());
        assert!(!site.out.join(STAGING_DIR).exists());
        assert_eq!(
            site.write(&good).unwrap().written,
            0,
            "a second build rewrites nothing"
        );
    }

    #[test]
    fn a_refused_build_changes_nothing() {
        let site = site();
        site.write(&output(&[("index.html", "old"), ("a/b.html", "old b")]))
            .unwrap();
        fs::write(site.out.join("notes"), "mine").unwrap();
        let before = tree(&site.out);
        // `notes` is the user's file where the new output needs a folder; the other changes
        // come first in path order and must not be applied either.
        let error = site
            .write(&output(&[
                ("a/b.html", "new"),
                ("index.html", "new"),
                ("notes/x.html", "x"),
            ]))
            .unwrap_err();
        let WriteError::Conflicts { conflicts, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(
            conflicts,
            &[Conflict::InTheWay {
                path: site.out.join("notes"),
                needed_for: "notes/x.html".to_owned()
            }]
        );
        assert_eq!(tree(&site.out), before);
    }

    #[test]
    fn a_leftover_staging_folder_is_removed() {
        let site = site();
        site.write(&output(&[("index.html", "i")])).unwrap();
        fs::create_dir_all(site.out.join(STAGING_DIR).join("half/way")).unwrap();
        fs::write(site.out.join(STAGING_DIR).join("half/way/x.html"), "x").unwrap();
        let got = site.write(&output(&[("index.html", "i"), ("half/way/x.html", "y")]));
        assert_eq!(got.unwrap(), report(1, 1, 0));
        assert!(!site.out.join(STAGING_DIR).exists());
        assert_eq!(fs::read(site.out.join("half/way/x.html")).unwrap(), b"y");
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let site = site();
        let out = output(&[("index.html", "i"), ("a/b.html", "b"), ("c.html", "c")]);
        assert_eq!(site.write(&out).unwrap(), report(3, 0, 0));
        let first = tree(&site.out);
        #[cfg(unix)]
        let inode = |rel: &str| {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(on_disk(&site.out, rel)).unwrap().ino()
        };
        #[cfg(unix)]
        let inodes: Vec<u64> = ["index.html", "a/b.html", "c.html", MANIFEST_FILE]
            .into_iter()
            .map(inode)
            .collect();

        // Twice the same output: identical tree, nothing written.
        assert_eq!(site.write(&out).unwrap(), report(0, 3, 0));
        assert_eq!(tree(&site.out), first);

        // One changed file: only it is replaced.
        let changed = output(&[("index.html", "i"), ("a/b.html", "B"), ("c.html", "c")]);
        assert_eq!(site.write(&changed).unwrap(), report(1, 2, 0));
        assert_eq!(fs::read(site.out.join("a/b.html")).unwrap(), b"B");
        #[cfg(unix)]
        {
            assert_eq!(inode("index.html"), inodes[0]);
            assert_ne!(inode("a/b.html"), inodes[1]);
            assert_eq!(inode("c.html"), inodes[2]);
        }
    }

    #[test]
    fn stale_files_and_the_folders_they_leave_empty_are_removed() {
        let site = site();
        let first = output(&[
            ("index.html", "i"),
            ("old/deep/x.html", "x"),
            ("shared/a.html", "a"),
            ("shared/b.html", "b"),
            ("kept/y.html", "y"),
        ]);
        site.write(&first).unwrap();
        fs::write(site.out.join("CNAME"), "example.org").unwrap();
        fs::create_dir_all(site.out.join(".git/objects")).unwrap();
        fs::write(site.out.join(".git/HEAD"), "ref").unwrap();
        fs::write(site.out.join("kept/notes.txt"), "mine").unwrap();
        fs::create_dir_all(site.out.join("empty-of-mine")).unwrap();

        let second = output(&[("index.html", "i"), ("shared/a.html", "a")]);
        assert_eq!(site.write(&second).unwrap(), report(0, 2, 3));
        let got = tree(&site.out);
        let names: Vec<&str> = got.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                ".evident-manifest.json",
                ".git",
                ".git/HEAD",
                ".git/objects",
                "CNAME",
                "empty-of-mine",
                "index.html",
                "kept",
                "kept/notes.txt",
                "shared",
                "shared/a.html",
            ]
        );
        assert_eq!(got["CNAME"].as_deref(), Some(&b"example.org"[..]));
        assert_eq!(got["kept/notes.txt"].as_deref(), Some(&b"mine"[..]));
        let owned: Vec<String> = manifest_of(&site.out).into_keys().collect();
        assert_eq!(owned, ["index.html", "shared/a.html"]);
    }

    #[test]
    fn refuses_to_overwrite_a_file_it_does_not_own() {
        let site = site();
        site.write(&output(&[("index.html", "i")])).unwrap();
        fs::write(site.out.join("about.html"), "hand written").unwrap();
        fs::write(site.out.join("feed.xml"), "old feed").unwrap();
        let before = tree(&site.out);
        let error = site
            .write(&output(&[
                ("about.html", "generated"),
                ("feed.xml", "new feed"),
                ("index.html", "changed"),
            ]))
            .unwrap_err();
        let WriteError::Conflicts { conflicts, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(
            conflicts,
            &[
                Conflict::ForeignFile {
                    path: site.out.join("about.html")
                },
                Conflict::ForeignFile {
                    path: site.out.join("feed.xml")
                },
            ]
        );
        let message = error.to_string();
        assert!(message.contains(&site.out.join("about.html").display().to_string()));
        assert!(message.contains("Move"), "{message}");
        assert_eq!(tree(&site.out), before);
    }

    #[test]
    fn adopts_a_foreign_file_that_is_already_identical() {
        let site = site();
        fs::create_dir_all(&site.out).unwrap();
        fs::write(site.out.join("index.html"), "same").unwrap();
        #[cfg(unix)]
        let inode = || {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(site.out.join("index.html")).unwrap().ino()
        };
        #[cfg(unix)]
        let before = inode();
        let got = site.write(&output(&[("index.html", "same"), ("new.html", "n")]));
        assert_eq!(got.unwrap(), report(1, 1, 0));
        #[cfg(unix)]
        assert_eq!(inode(), before);
        assert!(manifest_of(&site.out).contains_key("index.html"));
        // Owned now: it is replaced and, later, removed like any other file of the writer's.
        assert_eq!(
            site.write(&output(&[("index.html", "other")])).unwrap(),
            report(1, 0, 1)
        );
        assert_eq!(site.write(&output(&[])).unwrap(), report(0, 0, 1));
        assert_eq!(tree(&site.out).len(), 1);
    }

    #[test]
    fn an_owned_file_gives_way_to_a_folder_and_back() {
        let site = site();
        site.write(&output(&[("topic", "a file"), ("x.html", "x")]))
            .unwrap();
        let got = site.write(&output(&[("topic/index.html", "page"), ("x.html", "x")]));
        assert_eq!(got.unwrap(), report(1, 1, 1));
        assert_eq!(
            fs::read(site.out.join("topic/index.html")).unwrap(),
            b"page"
        );

        let got = site.write(&output(&[("topic", "a file again"), ("x.html", "x")]));
        assert_eq!(got.unwrap(), report(1, 1, 1));
        assert_eq!(fs::read(site.out.join("topic")).unwrap(), b"a file again");
        let owned: Vec<String> = manifest_of(&site.out).into_keys().collect();
        assert_eq!(owned, ["topic", "x.html"]);
    }

    #[test]
    fn a_folder_holding_foreign_files_does_not_give_way() {
        let site = site();
        site.write(&output(&[("topic/index.html", "page")]))
            .unwrap();
        fs::create_dir_all(site.out.join("topic/drafts")).unwrap();
        fs::write(site.out.join("topic/drafts/mine.md"), "mine").unwrap();
        let before = tree(&site.out);
        let error = site.write(&output(&[("topic", "a file")])).unwrap_err();
        let WriteError::Conflicts { conflicts, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(
            conflicts,
            &[Conflict::ForeignInFolder {
                folder: site.out.join("topic"),
                entry: site.out.join("topic/drafts/mine.md"),
            }]
        );
        assert_eq!(tree(&site.out), before);
    }

    #[test]
    fn a_corrupt_manifest_stops_the_build_and_says_how_to_recover() {
        let site = site();
        site.write(&output(&[("index.html", "i"), ("a.html", "a")]))
            .unwrap();
        let manifest = site.out.join(MANIFEST_FILE);
        let hash = blake3::hash(b"x").to_hex().to_string();
        let cases = [
            "{ not json".to_owned(),
            "{\"evident_manifest\": 2, \"files\": {}}".to_owned(),
            format!("{{\"evident_manifest\": 1, \"files\": {{\"../../etc/passwd\": \"{hash}\"}}}}"),
            "{\"evident_manifest\": 1, \"files\": {\"a.html\": \"nope\"}}".to_owned(),
        ];
        for case in cases {
            fs::write(&manifest, &case).unwrap();
            let before = tree(&site.out);
            let error = site.write(&output(&[("b.html", "b")])).unwrap_err();
            assert!(
                matches!(error, WriteError::CorruptManifest { .. }),
                "{error}"
            );
            let message = error.to_string();
            assert!(message.contains("delete"), "{message}");
            assert!(
                message.contains(&manifest.display().to_string()),
                "{message}"
            );
            assert_eq!(tree(&site.out), before, "{case}");
        }
        fs::remove_file(&manifest).unwrap();
        fs::create_dir(&manifest).unwrap();
        let error = site.write(&output(&[("b.html", "b")])).unwrap_err();
        assert!(
            matches!(error, WriteError::CorruptManifest { .. }),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn never_follows_a_link_out_of_the_output_folder() {
        let site = site();
        let elsewhere = site.root.parent().unwrap().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("x.html"), "precious").unwrap();
        site.write(&output(&[("a/x.html", "mine"), ("b.html", "b")]))
            .unwrap();
        // The user replaces the owned folder `a` with a link to somewhere else.
        fs::remove_dir_all(site.out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, site.out.join("a")).unwrap();

        let error = site.write(&output(&[("a/x.html", "new")])).unwrap_err();
        assert!(matches!(error, WriteError::Conflicts { .. }), "{error}");
        // Stale removal does not reach through the link either.
        assert_eq!(
            site.write(&output(&[("b.html", "b")])).unwrap(),
            report(0, 1, 0)
        );
        assert_eq!(fs::read(elsewhere.join("x.html")).unwrap(), b"precious");
        assert!(
            fs::symlink_metadata(site.out.join("a"))
                .unwrap()
                .is_symlink()
        );
    }

    /// Paths from a tiny alphabet, so that successive outputs overlap, clash and nest.
    fn arb_output() -> impl Strategy<Value = Output> {
        let part = prop::sample::select(vec!["a", "b", "index.html"]);
        let path = prop::collection::vec(part, 1..4).prop_map(|parts| parts.join("/"));
        let bytes = prop::sample::select(vec!["", "x", "yy"]);
        prop::collection::vec((path, bytes), 0..8).prop_map(|files| {
            let mut output = Output::new();
            for (path, bytes) in files {
                output.insert(path.clone(), bytes);
                if check_no_clash(output.files.keys()).is_err() {
                    output.files.remove(&path);
                }
            }
            output
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn any_sequence_of_builds_leaves_exactly_the_last_output(
            outputs in prop::collection::vec(arb_output(), 1..5)
        ) {
            let site = site();
            fs::create_dir_all(&site.out).unwrap();
            fs::write(site.out.join("CNAME"), "example.org").unwrap();
            for out in &outputs {
                site.write(out).unwrap();
                let got = tree(&site.out);
                let mut files: BTreeMap<String, Vec<u8>> = got
                    .iter()
                    .filter_map(|(path, bytes)| Some((path.clone(), bytes.clone()?)))
                    .collect();
                prop_assert_eq!(files.remove("CNAME"), Some(b"example.org".to_vec()));
                prop_assert!(files.remove(MANIFEST_FILE).is_some());
                prop_assert_eq!(&files, &out.files);
                // No folder is left empty.
                for (path, bytes) in &got {
                    if bytes.is_none() {
                        let prefix = format!("{path}/");
                        prop_assert!(got.keys().any(|p| p.starts_with(&prefix)), "empty folder {}", path);
                    }
                }
                prop_assert_eq!(
                    site.write(out).unwrap(),
                    WriteReport { written: 0, unchanged: out.files.len(), removed: 0 }
                );
                prop_assert_eq!(tree(&site.out), got);
            }
        }
    }
}
