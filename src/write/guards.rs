//! The checks that run before anything is written: where the output folder may be, which
//! output paths are allowed, and the '/'-separated path helpers they share.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::error::{WriteError, io_error};

/// Top-level names starting with this (in any letter case, for case-insensitive file systems)
/// are the writer's own and can never be output paths.
const RESERVED_PREFIX: &str = ".evident-";

/// Refuses an output folder where a build could overwrite or delete the site's own files.
pub(super) fn check_out_dir(
    out_dir: &Path,
    site_root: &Path,
    sources: &[PathBuf],
) -> Result<(), WriteError> {
    check_no_link_on_the_way(out_dir, site_root)?;
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

/// Refuses an output folder that is a symbolic link, or lies below one inside the site (a
/// committed `public -> ../elsewhere` would send every build outside the site). Above the
/// site, and above an output folder given outside it, links are the machine's business (a
/// home folder on another disk) and are followed.
fn check_no_link_on_the_way(out_dir: &Path, site_root: &Path) -> Result<(), WriteError> {
    let mut on_the_way = Vec::new();
    if let Ok(below) = out_dir.strip_prefix(site_root)
        && below
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
    {
        let mut path = site_root.to_path_buf();
        for part in below.components() {
            path.push(part);
            on_the_way.push(path.clone());
        }
    } else {
        on_the_way.push(out_dir.to_path_buf());
    }
    for path in on_the_way {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(WriteError::OutDirThroughLink {
                    out_dir: out_dir.to_path_buf(),
                    target: fs::read_link(&path).unwrap_or_default(),
                    link: path,
                });
            }
            Ok(_) => {}
            // Nothing below a missing folder exists yet: it will be made as real folders.
            Err(error) if error.kind() == io::ErrorKind::NotFound => break,
            Err(error) => return Err(io_error("inspect", &path)(error)),
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
pub(super) fn check_output_path(path: &str) -> Result<(), &'static str> {
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
pub(super) fn check_no_clash<'a>(
    paths: impl Iterator<Item = &'a String> + Clone,
) -> Result<(), WriteError> {
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
pub(super) fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

/// `base` joined with a checked '/'-separated relative path.
pub(super) fn on_disk(base: &Path, rel: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    path.extend(rel.split('/'));
    path
}
