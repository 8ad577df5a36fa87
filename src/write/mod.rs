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
//! A build either replaces the previous site or leaves it as it was, even when it is killed.
//! New and changed files are first written under `<out>/.evident-staging/` (inside the output
//! folder, so the final renames stay on one file system and are atomic) and flushed to disk.
//! Every check that could refuse the build — the output folder's place, a link on the way,
//! the output paths, files the writer does not own — runs before anything in the site
//! changes. Then `<out>/.evident-journal` lists every change the commit will make, and is
//! flushed to disk before the first. A build killed before the journal left only a staging
//! folder, which the next writer removes (the old site); one killed after it left a journal,
//! which the next writer carries out to the end (the new site). The folder never stays a mix
//! of the two, nothing is written beside it, and only the writer's own names are touched.
//!
//! ```text
//! guards.rs    the output folder's place, the output paths          (before anything)
//! recover.rs   what a killed run left: finished or cleared          (before anything)
//! manifest.rs  which files the writer owns                          (read first, written last)
//! sink.rs      files taken as rendered, staged and flushed
//! plan.rs      what the write will do, and what in the folder stops it
//! journal.rs   the commit's changes, on disk before the first
//! commit.rs    the journal carried out: staged files in place, stale ones removed
//! error.rs     why a write refused or failed
//! ```

mod commit;
mod error;
mod guards;
mod journal;
mod manifest;
mod plan;
mod recover;
mod sink;

pub use error::{Conflict, WriteError};
pub use journal::{JOURNAL_FILE, STAGING_DIR};
pub use manifest::MANIFEST_FILE;
pub use recover::recover;
pub use sink::{Prepared, Sink, WriteReport};

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

/// The output paths the build that wrote `out_dir` owns (its manifest), none when no build
/// wrote there: for commands that add a file beside a build's and must not replace one of
/// the build's.
pub fn owned_files(out_dir: &Path) -> Result<std::collections::BTreeSet<String>, WriteError> {
    Ok(manifest::read_manifest(out_dir)?
        .files
        .into_keys()
        .collect())
}

/// Whether `dir` holds the writer's own bookkeeping (a manifest, a journal or a staging
/// folder): it is, or was being made, a build's output folder.
pub fn is_output_folder(dir: &Path) -> bool {
    [MANIFEST_FILE, JOURNAL_FILE, STAGING_DIR]
        .iter()
        .any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_recovery;
