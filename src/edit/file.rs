//! The ways evident writes a single file of the site outside a build: replacing one whole and
//! atomically, or creating one that must not exist yet; the check that no symbolic link
//! lies on the way to a file written; and the lock held while files that change together are
//! read and written. (A build's output goes through [`crate::write`], which owns the output
//! folder.)
//!
//! A replacement is written to a temporary file beside the target
//! (`.<name>.<pid>-<n>.evident-tmp`: beside it so the rename stays on one file system, named
//! by process and counter so two commands writing one file at once never share one), flushed
//! to disk, given the old file's permissions, and renamed over the target: a reader sees the
//! old bytes or the new, never half of them. The temporary file is created exclusively, so a
//! symbolic link planted at its name is never followed: another name is taken.
//!
//! The [`Lock`] is an advisory lock (`flock`) on a file: the kernel releases it when its
//! holder exits, however it exits, so a killed command never leaves a lock that blocks the
//! next one.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Replaces `path` with `bytes` atomically. The caller decides whether `path` may be
/// replaced at all; a failed write leaves it as it was and removes the temporary file.
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (temp, mut file) = open_temporary(path)?;
    let written = write_and_sync(&mut file, bytes)
        .and_then(|()| keep_permissions(path, &temp))
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// [`replace_atomically`] for a file of the site at `root`, refused when `path` or a folder
/// between `root` and it is a symbolic link ([`refuse_links`]).
pub fn replace_in_site(root: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    refuse_links(root, path)?;
    replace_atomically(path, bytes)
}

/// Creates `path` holding `bytes`; fails with [`io::ErrorKind::AlreadyExists`] if anything
/// is there, even a file that appeared since the caller looked, or a symbolic link.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_new(path)?;
    file.write_all(bytes)
}

/// [`create_new`] for a file of the site at `root`, with the folders it needs; refused when
/// `path` or a folder between `root` and it is a symbolic link ([`refuse_links`]).
pub fn create_new_in_site(root: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    refuse_links(root, path)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    // A link made between the check and here is refused by the exclusive creation; a
    // folder swapped for a link in that moment is beyond what a check can see.
    create_new(path, bytes)
}

/// Refuses a path evident would write through a symbolic link: `path` itself or any folder
/// between `root` (which may be a link: it is where the user put the site) and `path`. The
/// path must be `root` joined with names (no `..`); parts that do not exist yet are fine,
/// they will be created as real folders. The error names the link.
pub fn refuse_links(root: &Path, path: &Path) -> io::Result<()> {
    let inside = path.strip_prefix(root).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not inside {}", path.display(), root.display()),
        )
    })?;
    let mut at = root.to_path_buf();
    for component in inside.components() {
        match component {
            Component::Normal(name) => at.push(name),
            Component::CurDir => continue,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} leads out of {}", path.display(), root.display()),
                ));
            }
        }
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = fs::read_link(&at)
                    .map(|to| format!(" (to {})", to.display()))
                    .unwrap_or_default();
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is a symbolic link{to}; evident never writes through a link: make it a real folder or file of the site",
                        at.display()
                    ),
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// An advisory lock held while one command reads and edits files that must change together
/// (a review decision and the approved version it writes): an exclusive `flock` on the file
/// `path`, which is removed when the lock is dropped. The kernel releases the lock when the
/// process ends, so a lock file left by a killed command is taken at once by the next.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    // Held open: closing it releases the lock.
    _file: File,
}

impl Lock {
    /// Takes the lock at `path` (creating it and its folder), waiting while another process
    /// holds it; `waiting` is called once, before waiting, so the caller can say why nothing
    /// happens. A symbolic link or anything but a regular file at `path` is refused.
    pub fn take(path: &Path, waiting: impl FnOnce()) -> io::Result<Lock> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut waiting = Some(waiting);
        loop {
            let file = open_lock_file(path)?;
            if !file.metadata()?.is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} is not a regular file", path.display()),
                ));
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if let Some(waiting) = waiting.take() {
                        waiting();
                    }
                    file.lock()?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
            // The holder before us removes the file before releasing it: a lock on a file
            // no longer at `path` locks nothing another command would see, so open again.
            if is_at(&file, path)? {
                return Ok(Lock {
                    path: path.to_path_buf(),
                    _file: file,
                });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no one can lock it at `path` in between.
        let _ = fs::remove_file(&self.path);
    }
}

/// Opens (creating if absent) the lock file, never through a symbolic link, and without
/// waiting for a reader if a FIFO was planted there.
fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    options.open(path).map_err(|e| {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is a symbolic link; evident never locks or writes through a link",
                    path.display()
                ),
            )
        } else {
            e
        }
    })
}

/// Whether the open `file` is the one at `path` now.
fn is_at(file: &File, path: &Path) -> io::Result<bool> {
    let here = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let open = file.metadata()?;
        Ok(here.dev() == open.dev() && here.ino() == open.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(here.is_file())
    }
}

/// Numbers the temporary files of this process, so that no two share a name.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// A new temporary file beside `path`, created exclusively: a name taken by anything (a
/// file left by a killed run, another command's file, a planted link) is skipped.
fn open_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..100 {
        let temp = temporary_path(path, TEMPORARY.fetch_add(1, Ordering::Relaxed))?;
        match open_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary file could be created")))
}

/// `dir/.name.<pid>-<n>.evident-tmp` for `dir/name`.
fn temporary_path(path: &Path, n: u64) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    let mut temp_name = OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}-{n}.evident-tmp", std::process::id()));
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
        let lock = Lock::take(&path, || panic!("nothing holds it")).expect("first");
        let (told, heard) = std::sync::mpsc::channel();
        let second = {
            let path = path.clone();
            std::thread::spawn(move || {
                let lock = Lock::take(&path, move || told.send(()).expect("send")).expect("second");
                drop(lock);
            })
        };
        // The second waits until the first is dropped.
        heard.recv().expect("the second waited");
        drop(lock);
        second.join().expect("second thread");
        assert!(!path.exists());
        Lock::take(&path, || panic!("released")).expect("after release");
    }

    #[test]
    fn a_lock_file_left_by_a_killed_command_does_not_block() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(".lock");
        fs::write(&path, "4242\n").expect("write");
        let lock = Lock::take(&path, || panic!("a stale file blocked")).expect("take");
        drop(lock);
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_is_not_taken_through_a_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = dir.path().join("outside");
        let path = dir.path().join(".lock");
        std::os::unix::fs::symlink(&outside, &path).expect("symlink");
        let refused = Lock::take(&path, || {}).expect_err("through a link");
        assert!(refused.to_string().contains("symbolic link"), "{refused}");
        assert!(!outside.exists());
        assert!(fs::symlink_metadata(&path).is_ok(), "the link was removed");
    }

    #[test]
    fn a_leftover_temporary_file_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.yaml");
        let leftover = temporary_path(&file, TEMPORARY.load(Ordering::Relaxed)).expect("name");
        fs::write(&leftover, "stale").expect("write");
        replace_atomically(&file, b"new").expect("replace");
        assert_eq!(fs::read(&file).expect("read"), b"new");
        assert_eq!(fs::read(&leftover).expect("read"), b"stale");
        assert_eq!(names(dir.path()).len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = dir.path().join("outside");
        fs::write(&outside, "mine").expect("write");
        let file = dir.path().join("a.yaml");
        // Links at the next names this process would take, and at the names of older
        // versions of evident.
        let next = TEMPORARY.load(Ordering::Relaxed);
        let mut planted: Vec<PathBuf> = (next..next + 8)
            .map(|n| temporary_path(&file, n).expect("name"))
            .collect();
        planted.push(dir.path().join(".a.yaml.evident-tmp"));
        planted.push(dir.path().join("a.yaml.evident-tmp"));
        for link in &planted {
            std::os::unix::fs::symlink(&outside, link).expect("symlink");
        }
        replace_atomically(&file, b"new").expect("replace");
        assert_eq!(fs::read(&outside).expect("read"), b"mine");
        assert_eq!(fs::read(&file).expect("read"), b"new");
        for link in &planted {
            assert!(
                fs::symlink_metadata(link)
                    .expect("still there")
                    .is_symlink()
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_on_the_way_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(root.join("content")).expect("mkdir");
        fs::create_dir_all(&elsewhere).expect("mkdir");
        std::os::unix::fs::symlink(&elsewhere, root.join("citations")).expect("symlink");
        std::os::unix::fs::symlink(elsewhere.join("c.yaml"), root.join("content/c.yaml"))
            .expect("symlink");
        refuse_links(&root, &root.join("content/new/b.yaml")).expect("a real folder");
        for (path, link) in [
            ("citations/a.yaml", "citations"),
            ("citations/deep/a.yaml", "citations"),
            ("content/c.yaml", "content/c.yaml"),
        ] {
            let refused = refuse_links(&root, &root.join(path)).expect_err(path);
            assert!(
                refused
                    .to_string()
                    .starts_with(&format!("{} is a symbolic link", root.join(link).display())),
                "{refused}"
            );
        }
        let refused = create_new_in_site(&root, &root.join("citations/a.yaml"), b"x")
            .expect_err("through a link");
        assert!(refused.to_string().contains("symbolic link"), "{refused}");
        replace_in_site(&root, &root.join("content/c.yaml"), b"x").expect_err("a link");
        assert!(names(&elsewhere).is_empty(), "written outside the site");
        assert!(refuse_links(&root, &root.join("../elsewhere/a")).is_err());
        assert!(refuse_links(&root, &elsewhere.join("a")).is_err());
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
