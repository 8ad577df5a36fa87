//! The two ways evident writes a single file outside a build: replacing one whole and
//! atomically, or creating one that must not exist yet; and the lock held while files that
//! change together are written. (A build's output goes through
//! [`crate::write`], which owns the output folder.)
//!
//! A replacement is written to a temporary file beside the target (`.<name>.evident-tmp`, so
//! the rename stays on one file system), flushed to disk, given the old file's permissions,
//! and renamed over the target: a reader sees the old bytes or the new, never half of them.
//! The temporary file is created fresh, so a symbolic link planted at its name is never
//! followed.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes` atomically. The caller decides whether `path` may be
/// replaced at all; a failed write leaves it as it was and removes the temporary file.
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temporary_path(path)?;
    let mut file = match open_new(&temp) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            // Left by a run that stopped half-way; removing it removes a link, not its target.
            fs::remove_file(&temp)?;
            open_new(&temp)?
        }
        opened => opened?,
    };
    let written = write_and_sync(&mut file, bytes)
        .and_then(|()| keep_permissions(path, &temp))
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Creates `path` holding `bytes`; fails with [`io::ErrorKind::AlreadyExists`] if anything
/// is there, even a file that appeared since the caller looked.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_new(path)?;
    file.write_all(bytes)
}

/// A lock held while one command edits files that must change together (a review decision
/// and the approved version it writes): the file `path`, created fresh, removed on drop.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock at `path` (creating its folder), or fails with
    /// [`io::ErrorKind::AlreadyExists`] while another command holds it.
    pub fn take(path: &Path) -> io::Result<Lock> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = open_new(path)?;
        file.write_all(format!("{}\n", std::process::id()).as_bytes())?;
        Ok(Lock {
            path: path.to_path_buf(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// `dir/.name.evident-tmp` for `dir/name`.
fn temporary_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    let mut temp_name = OsString::from(".");
    temp_name.push(name);
    temp_name.push(".evident-tmp");
    Ok(path.with_file_name(temp_name))
}

fn open_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

fn write_and_sync(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// A replaced file keeps its mode (an executable bit, a file kept private).
fn keep_permissions(path: &Path, temp: &Path) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(meta) => fs::set_permissions(temp, meta.permissions()),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<OsString> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_whole_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.yaml");
        replace_atomically(&file, b"one").expect("create");
        replace_atomically(&file, b"two").expect("replace");
        assert_eq!(fs::read(&file).expect("read"), b"two");
        assert_eq!(names(dir.path()), vec![OsString::from("a.yaml")]);
    }

    #[test]
    fn a_lock_is_held_once_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reviewed/.lock");
        let lock = Lock::take(&path).expect("first");
        let again = Lock::take(&path).expect_err("second");
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        drop(lock);
        assert!(!path.exists());
        Lock::take(&path).expect("after release");
    }

    #[test]
    fn a_leftover_temporary_file_is_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.yaml");
        fs::write(dir.path().join(".a.yaml.evident-tmp"), "stale").expect("write");
        replace_atomically(&file, b"new").expect("replace");
        assert_eq!(fs::read(&file).expect("read"), b"new");
        assert_eq!(names(dir.path()), vec![OsString::from("a.yaml")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = dir.path().join("outside");
        fs::write(&outside, "mine").expect("write");
        std::os::unix::fs::symlink(&outside, dir.path().join(".a.yaml.evident-tmp"))
            .expect("symlink");
        replace_atomically(&dir.path().join("a.yaml"), b"new").expect("replace");
        assert_eq!(fs::read(&outside).expect("read"), b"mine");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.yaml");
        fs::write(&file, "old").expect("write");
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).expect("chmod");
        replace_atomically(&file, b"new").expect("replace");
        let mode = fs::metadata(&file).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn create_new_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.yaml");
        create_new(&file, b"one").expect("create");
        let again = create_new(&file, b"two").expect_err("exists");
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&file).expect("read"), b"one");
    }
}
