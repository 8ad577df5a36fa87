//! The journal, `<out>/.evident-journal`: what a commit is about to do to the output folder,
//! written (and flushed to disk) before the first change, removed after the last. A build
//! killed part way leaves it behind, and the next writer into the folder finishes the commit
//! from it ([`recover`](super::recover)), so the folder ends up holding exactly the new site.
//!
//! Roll forward, not back: the staged files are complete before the journal exists, so
//! finishing is always possible, and it needs nothing but what the commit had anyway. Rolling
//! back would need a copy of every file the commit replaces or deletes, written before the
//! first rename, which doubles the work of every build for the rare one that is killed.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::WriteError;
use super::guards::check_output_path;

/// The journal's file name, directly inside the output folder.
pub const JOURNAL_FILE: &str = ".evident-journal";

/// The staging folder's name, directly inside the output folder; the journal's moves come
/// from it.
pub const STAGING_DIR: &str = ".evident-staging";

const JOURNAL_VERSION: u32 = 1;

/// Every change a commit makes, in the order it makes them. Each step can be done again
/// after it was done once, so a commit stopped at any point is finished by running them all.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Journal {
    evident_journal: u32,
    /// The folder held nothing of the writer's and nothing else: `moves` are the staged
    /// top-level entries, moved whole, and never replace anything.
    pub(super) fresh: bool,
    /// The writer's stale files where the new site needs a folder (or inside a folder where
    /// it needs a file).
    pub(super) clear_files: Vec<String>,
    /// Folders where the new site needs a file, holding only such files; deepest first.
    pub(super) clear_dirs: Vec<String>,
    /// The staged paths, moved from the staging folder to the same path in the output folder.
    pub(super) moves: Vec<String>,
    /// The writer's files the new site no longer has.
    pub(super) stale: Vec<String>,
    /// The staging folder holds the new manifest.
    pub(super) manifest: bool,
}

impl Journal {
    pub(super) fn new() -> Journal {
        Journal {
            evident_journal: JOURNAL_VERSION,
            ..Journal::default()
        }
    }

    /// Whether the commit changes nothing at all (an unchanged build), and needs no journal.
    pub(super) fn is_empty(&self) -> bool {
        self.clear_files.is_empty()
            && self.clear_dirs.is_empty()
            && self.moves.is_empty()
            && self.stale.is_empty()
            && !self.manifest
    }

    fn paths(&self) -> impl Iterator<Item = &String> {
        self.clear_files
            .iter()
            .chain(&self.clear_dirs)
            .chain(&self.moves)
            .chain(&self.stale)
    }
}

/// Writes the journal into the staging folder, flushes it, moves it into place (so it is
/// either there whole or not at all) and flushes the output folder, so that the journal is on
/// disk before any change it describes.
pub(super) fn write_journal(
    out_dir: &Path,
    staging: &Path,
    journal: &Journal,
) -> Result<(), WriteError> {
    let staged = staging.join(JOURNAL_FILE);
    let fail = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Commit {
            action,
            path,
            out_dir: out_dir.to_path_buf(),
            source,
        }
    };
    let mut bytes = serde_json::to_vec_pretty(journal)
        .map_err(|error| fail("encode", &staged)(io::Error::other(error)))?;
    bytes.push(b'\n');
    let mut file = fs::File::create(&staged).map_err(fail("write", &staged))?;
    file.write_all(&bytes).map_err(fail("write", &staged))?;
    file.sync_all().map_err(fail("flush", &staged))?;
    let to = out_dir.join(JOURNAL_FILE);
    fs::rename(&staged, &to).map_err(fail("move into place", &to))?;
    sync_dir(out_dir).map_err(fail("flush", out_dir))
}

/// The journal left in `out_dir` by a commit that did not finish, if there is one.
pub(super) fn read_journal(out_dir: &Path) -> Result<Option<Journal>, WriteError> {
    let path = out_dir.join(JOURNAL_FILE);
    let corrupt = |reason: String| WriteError::CorruptJournal {
        journal: path.clone(),
        out_dir: out_dir.to_path_buf(),
        reason,
    };
    match fs::symlink_metadata(&path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(corrupt(format!("it cannot be inspected ({error})"))),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(corrupt("it is not a regular file".to_owned()));
        }
        Ok(_) => {}
    }
    let raw = fs::read(&path).map_err(|error| corrupt(format!("it cannot be read ({error})")))?;
    let journal: Journal = serde_json::from_slice(&raw)
        .map_err(|error| corrupt(format!("it is not a valid journal ({error})")))?;
    if journal.evident_journal != JOURNAL_VERSION {
        return Err(corrupt(format!(
            "it has format version {}, and this evident reads version {JOURNAL_VERSION}",
            journal.evident_journal
        )));
    }
    // The journal decides what gets moved and deleted: the same rule as for output paths.
    for path in journal.paths() {
        check_output_path(path)
            .map_err(|reason| corrupt(format!("it lists the path {path:?}, and {reason}")))?;
    }
    Ok(Some(journal))
}

/// Flushes a folder's entries (new names, removed names) to disk.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    // Windows cannot open a folder as a file; its renames are flushed with the file system's
    // own journal.
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
