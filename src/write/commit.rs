//! Putting a staged site in place: the interim manifest first, then the renames, the removal
//! of stale files and the folders they leave empty, then the final manifest.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use super::error::WriteError;
use super::guards::{ancestors, on_disk};
use super::manifest::{INTERIM_MANIFEST, MANIFEST_FILE};
use super::plan::Plan;

/// Where the staged files go and which manifests to write.
pub(super) struct Staged<'a> {
    pub(super) out_dir: &'a Path,
    pub(super) staging: &'a Path,
    /// The interim manifest (previous ∪ next), when the renames give the writer new files.
    pub(super) interim: Option<&'a [u8]>,
    /// The next manifest, when it differs from the one on disk.
    pub(super) manifest: Option<&'a [u8]>,
}

/// Writes the manifests into the staging folder (the files are there already).
pub(super) fn stage_manifests(staged: &Staged<'_>) -> Result<(), WriteError> {
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
pub(super) fn commit(
    staged: &Staged<'_>,
    plan: &Plan<'_>,
    stale: &[&str],
) -> Result<usize, WriteError> {
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
