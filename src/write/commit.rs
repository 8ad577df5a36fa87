//! Putting a staged site in place, as its [`Journal`] says: stale files of the writer's own
//! that are in the way removed, the staged files renamed into place, the other stale files
//! removed with the folders they leave empty, the new manifest last. Every step can be done
//! again once done, so a commit cut short (a crash, a kill) is finished by applying its
//! journal once more ([`recover`](super::recover)).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::WriteError;
use super::guards::{ancestors, on_disk};
use super::journal::{JOURNAL_FILE, Journal, sync_dir};
use super::manifest::MANIFEST_FILE;

/// Applies `journal` to `out_dir` from `staging`, then removes the staging folder and the
/// journal; returns how many stale files were removed.
pub(super) fn apply(
    out_dir: &Path,
    staging: &Path,
    journal: &Journal,
) -> Result<usize, WriteError> {
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
    for rel in &journal.clear_files {
        step(out_dir)?;
        let path = on_disk(out_dir, rel);
        // Done already when it is gone, or when the new site's folder stands there now.
        if is(&path, fs::FileType::is_file).map_err(fail("inspect", &path))? {
            fs::remove_file(&path).map_err(fail("remove the stale file", &path))?;
            removed += 1;
        }
    }
    for rel in &journal.clear_dirs {
        step(out_dir)?;
        let path = on_disk(out_dir, rel);
        if is(&path, fs::FileType::is_dir).map_err(fail("inspect", &path))? {
            // remove_dir refuses a folder that is not empty, so a file added since planning is
            // kept and stops the build instead.
            fs::remove_dir(&path).map_err(fail("remove the stale folder", &path))?;
        }
    }
    let mut folders = Folders::default();
    for rel in &journal.moves {
        step(out_dir)?;
        let from = on_disk(staging, rel);
        match fs::symlink_metadata(&from) {
            // Moved already, by the run that wrote the journal.
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(fail("inspect", &from)(error)),
            Ok(_) => {}
        }
        let to = on_disk(out_dir, rel);
        folders
            .make_parents(out_dir, rel)
            .map_err(|(path, source)| fail("create the folder", &path)(source))?;
        // Into a folder that held nothing, a name taken since is someone else's.
        if journal.fresh && fs::symlink_metadata(&to).is_ok() {
            return Err(fail("move into place", &to)(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "something was put there since the build started; move it away",
            )));
        }
        fs::rename(&from, &to).map_err(fail("move into place", &to))?;
    }
    removed += remove_stale(out_dir, &journal.stale, &fail)?;
    if journal.manifest {
        step(out_dir)?;
        let from = staging.join(MANIFEST_FILE);
        if fs::symlink_metadata(&from).is_ok() {
            let to = out_dir.join(MANIFEST_FILE);
            fs::rename(&from, &to).map_err(fail("move into place", &to))?;
        }
    }
    // The renames reach the disk before the journal that would redo them is removed.
    for dir in folders.touched(out_dir, &journal.moves) {
        sync_dir(&dir).map_err(fail("flush", &dir))?;
    }
    step(out_dir)?;
    match fs::remove_dir_all(staging) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            return Err(fail("remove the staging folder", staging)(error));
        }
        _ => {}
    }
    step(out_dir)?;
    let journal_path = out_dir.join(JOURNAL_FILE);
    match fs::remove_file(&journal_path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            return Err(fail("remove the journal", &journal_path)(error));
        }
        _ => {}
    }
    sync_dir(out_dir).map_err(fail("flush", out_dir))?;
    Ok(removed)
}

/// Whether `path` is there, not through a link, and of the kind `kind` tells.
fn is(path: &Path, kind: fn(&fs::FileType) -> bool) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(meta) => Ok(kind(&meta.file_type())),
        // A file on the way where the folder was: the new site's file, put there already.
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(false)
        }
        Err(error) => Err(error),
    }
}

/// The folders of the output the moves go into, each checked or created once.
#[derive(Default)]
struct Folders {
    ready: BTreeSet<String>,
}

impl Folders {
    /// Makes the folders above `rel`, refusing a link or a file on the way: a link could lead
    /// the rename out of the output folder.
    fn make_parents(&mut self, out_dir: &Path, rel: &str) -> Result<(), (PathBuf, io::Error)> {
        for dir in ancestors(rel) {
            if self.ready.contains(dir) {
                continue;
            }
            let path = on_disk(out_dir, dir);
            let made = match fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_dir() => Ok(()),
                Ok(_) => Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "a symbolic link or a file evident did not write is in the way",
                )),
                Err(error) if error.kind() == io::ErrorKind::NotFound => fs::create_dir(&path),
                Err(error) => Err(error),
            };
            made.map_err(|error| (path, error))?;
            self.ready.insert(dir.to_owned());
        }
        Ok(())
    }

    /// The folders whose entries the moves changed: the output folder and every parent.
    fn touched(&self, out_dir: &Path, moves: &[String]) -> BTreeSet<PathBuf> {
        let mut dirs: BTreeSet<PathBuf> = moves
            .iter()
            .filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| on_disk(out_dir, dir)))
            .collect();
        dirs.insert(out_dir.to_path_buf());
        dirs
    }
}

/// Deletes the writer's stale files, then the folders that removal left empty.
fn remove_stale<F, E>(out_dir: &Path, stale: &[String], fail: &F) -> Result<usize, WriteError>
where
    F: Fn(&'static str, &Path) -> E,
    E: FnOnce(io::Error) -> WriteError,
{
    let mut removed = 0;
    let mut emptied = BTreeSet::new();
    'files: for rel in stale {
        step(out_dir)?;
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
        emptied.extend(ancestors(rel));
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

/// One change is about to be made. Tests stop a commit here, after a given number of
/// changes, to leave the folder as a kill at that moment would.
fn step(out_dir: &Path) -> Result<(), WriteError> {
    #[cfg(test)]
    if failpoint::hit() {
        return Err(WriteError::Commit {
            action: "go on (a test stopped the commit here)",
            path: out_dir.to_path_buf(),
            out_dir: out_dir.to_path_buf(),
            source: io::Error::other("interrupted"),
        });
    }
    let _ = out_dir;
    Ok(())
}

/// A test's count of the changes a commit may still make on this thread.
#[cfg(test)]
pub(super) mod failpoint {
    use std::cell::Cell;

    thread_local! {
        static LEFT: Cell<Option<usize>> = const { Cell::new(None) };
    }

    /// Lets the next commits on this thread make `steps` changes, then stops them (`None`:
    /// no limit).
    pub(in crate::write) fn stop_after(steps: Option<usize>) {
        LEFT.with(|left| left.set(steps));
    }

    pub(super) fn hit() -> bool {
        LEFT.with(|left| match left.get() {
            Some(0) => true,
            Some(n) => {
                left.set(Some(n - 1));
                false
            }
            None => false,
        })
    }
}
