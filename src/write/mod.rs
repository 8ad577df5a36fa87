//! Stage 4 of the pipeline: the rendered site goes to disk, page by page as it is rendered
//! (through a [`Sink`], the writer's [`PageSink`](crate::render::PageSink)) or from files held
//! in memory ([`write_site`]).
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
//!
//! ```text
//! guards.rs    the output folder's place, the output paths          (before anything)
//! manifest.rs  which files the writer owns                          (read first, written last)
//! sink.rs      files taken as rendered, staged or written in place
//! plan.rs      what the write will do, and what in the folder stops it
//! commit.rs    the staged files put in place, stale ones removed
//! error.rs     why a write refused or failed
//! ```

mod commit;
mod error;
mod guards;
mod manifest;
mod plan;
mod sink;

pub use error::{Conflict, WriteError};
pub use manifest::MANIFEST_FILE;
pub use sink::{STAGING_DIR, Sink, WriteReport};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Writes `files` (output path → bytes) into `out_dir`, owning only the files listed in its
/// manifest. `site_root` is the site's folder; `sources` are the site's input folders/files
/// (content/, citations/, themes/, evident.yaml) that must never be inside out_dir.
pub fn write_site(
    out_dir: &Path,
    site_root: &Path,
    sources: &[PathBuf],
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<WriteReport, WriteError> {
    guards::check_out_dir(out_dir, site_root, sources)?;
    for path in files.keys() {
        guards::check_output_path(path).map_err(|reason| WriteError::InvalidOutputPath {
            path: path.clone(),
            reason,
        })?;
    }
    guards::check_no_clash(files.keys())?;
    let sink = Sink::open(out_dir, site_root, sources)?;
    files
        .par_iter()
        .for_each(|(path, bytes)| sink.accept(path, bytes));
    sink.finish()
}

#[cfg(test)]
mod tests;
