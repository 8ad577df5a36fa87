//! What a writer finds of an earlier run that was killed: a journal (a commit under way,
//! finished now from the staging folder it names) or a staging folder alone (a build stopped
//! before it changed anything, removed). Both bear the writer's reserved names, so nothing
//! else in the folder is looked at, and the user's files are never touched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::commit::apply;
use super::error::{WriteError, io_error};
use super::guards::check_out_dir;
use super::journal::{JOURNAL_FILE, STAGING_DIR, read_journal};

/// Finishes or clears what a killed run left in `out_dir`; says whether there was anything.
/// The output folder's place is checked first, as for a build, but only when something is
/// left over: a folder without leftovers is not looked at.
pub fn recover(out_dir: &Path, site_root: &Path, sources: &[PathBuf]) -> Result<bool, WriteError> {
    let left_over = [JOURNAL_FILE, STAGING_DIR]
        .iter()
        .any(|name| fs::symlink_metadata(out_dir.join(name)).is_ok());
    if !left_over {
        return Ok(false);
    }
    check_out_dir(out_dir, site_root, sources)?;
    recover_checked(out_dir)
}

/// [`recover`] in a folder already checked.
pub(super) fn recover_checked(out_dir: &Path) -> Result<bool, WriteError> {
    let staging = out_dir.join(STAGING_DIR);
    match read_journal(out_dir)? {
        Some(journal) => {
            if fs::symlink_metadata(&staging).is_ok_and(|meta| !meta.file_type().is_dir()) {
                return Err(WriteError::CorruptJournal {
                    journal: out_dir.join(JOURNAL_FILE),
                    out_dir: out_dir.to_path_buf(),
                    reason: format!(
                        "the staging folder it finishes from, {}, is not a folder",
                        staging.display()
                    ),
                });
            }
            apply(out_dir, &staging, &journal)?;
            Ok(true)
        }
        None => remove_leftover_staging(&staging),
    }
}

/// Removes a staging folder without a journal: its run stopped before changing anything.
fn remove_leftover_staging(staging: &Path) -> Result<bool, WriteError> {
    // The name is reserved, so whatever is there is a killed run's leftover; a link is
    // removed itself, never followed.
    let removed = match fs::symlink_metadata(staging) {
        Ok(meta) if meta.file_type().is_dir() => fs::remove_dir_all(staging),
        Ok(_) => fs::remove_file(staging),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => Err(error),
    };
    removed.map_err(io_error("remove the leftover staging folder", staging))?;
    Ok(true)
}
