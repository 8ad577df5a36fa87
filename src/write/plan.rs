//! What a write into a folder holding a previous site will do, decided before anything is
//! written: which files are new, changed or unchanged, what stale files of the writer's own
//! must give way, and what in the folder is not the writer's and stops the build.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

use super::error::{Conflict, WriteError, io_error};
use super::guards::{ancestors, on_disk};

/// What the sink knows of a file it was given.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) hash: String,
    /// Already on disk with exactly these bytes.
    pub(super) unchanged: bool,
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
pub(super) struct Plan<'a> {
    /// New and changed files, in path order.
    pub(super) to_write: Vec<&'a str>,
    pub(super) unchanged: usize,
    /// Stale files of the writer's own where the new output needs a folder or a file.
    pub(super) clear_files: BTreeSet<String>,
    /// Folders holding only such files, where the new output needs a file; deepest first.
    pub(super) clear_dirs: Vec<String>,
}

#[derive(Clone, Copy)]
enum Ancestor {
    Dir,
    /// Missing, or an owned stale file that will be removed: everything below is new.
    Absent,
    /// A conflict, already recorded.
    Blocked,
}

pub(super) fn plan<'a>(
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
pub(super) fn relative(base: &Path, path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path
        .strip_prefix(base)
        .ok()?
        .components()
        .map(|part| part.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}
