//! Why a write refused or failed: [`WriteError`], each message naming the path(s) and what
//! to do, and the [`Conflict`]s it lists.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The most conflicts spelled out in one error; the rest are counted.
const CONFLICTS_SHOWN: usize = 20;

/// Something in the output folder that the writer does not own and will not destroy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A file the writer did not write, where the build wants different bytes.
    ForeignFile {
        /// The file.
        path: PathBuf,
    },
    /// A file, link or special file the writer did not write, where the build needs a folder.
    InTheWay {
        /// The entry in the way.
        path: PathBuf,
        /// The output path that needs the folder.
        needed_for: String,
    },
    /// A folder where the build wants a file, holding something the writer did not write.
    ForeignInFolder {
        /// The folder.
        folder: PathBuf,
        /// The first foreign entry found in it.
        entry: PathBuf,
    },
    /// A symbolic link or special file where the build wants a file. The writer never creates
    /// links, so one is always the user's, and following it could write outside the folder.
    NotAFile {
        /// The link or special file.
        path: PathBuf,
    },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::ForeignFile { path } => write!(
                f,
                "{}: not written by evident (not in its manifest), and the build would replace \
                 it with different content",
                path.display()
            ),
            Conflict::InTheWay { path, needed_for } => write!(
                f,
                "{}: not written by evident, and the build needs a folder there for {needed_for}",
                path.display()
            ),
            Conflict::ForeignInFolder { folder, entry } => write!(
                f,
                "{}: the build wants a file here, but this folder holds {}, which evident did \
                 not write",
                folder.display(),
                entry.display()
            ),
            Conflict::NotAFile { path } => write!(
                f,
                "{}: a symbolic link or special file, where the build wants to write a file",
                path.display()
            ),
        }
    }
}

/// Why a write ([`write_site`](super::write_site), a [`Sink`](super::Sink)) refused or failed. Each message names the path(s) and what to do.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder is the site folder.
    #[error(
        "refusing to build into {}: it is the site folder itself, where the build could \
         overwrite its sources; choose an output folder inside it, such as {}",
        out_dir.display(),
        site_root.join("public").display()
    )]
    OutDirIsSiteRoot {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The site folder as given.
        site_root: PathBuf,
    },
    /// The output folder contains the site folder.
    #[error(
        "refusing to build into {}: it contains the site folder {}, whose sources the build \
         could overwrite; choose an output folder inside the site, such as {}",
        out_dir.display(),
        site_root.display(),
        site_root.join("public").display()
    )]
    OutDirContainsSiteRoot {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The site folder as given.
        site_root: PathBuf,
    },
    /// The output folder is, or contains, one of the site's sources.
    #[error(
        "refusing to build into {}: it holds the site source {}, which the build could \
         overwrite or delete; choose an output folder that holds none of the sources",
        out_dir.display(),
        source_path.display()
    )]
    OutDirHoldsSource {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The source as given.
        source_path: PathBuf,
    },
    /// The output folder lies inside one of the site's sources.
    #[error(
        "refusing to build into {}: it lies inside the site source {}, so the next build \
         would read its own output; choose an output folder outside the sources",
        out_dir.display(),
        source_path.display()
    )]
    OutDirInsideSource {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The source as given.
        source_path: PathBuf,
    },
    /// The output folder exists and is a file.
    #[error(
        "cannot build into {}: it exists and is not a folder; move it away or choose another \
         output folder",
        out_dir.display()
    )]
    OutDirNotAFolder {
        /// The output folder as given.
        out_dir: PathBuf,
    },
    /// The build produced a path that could leave the output folder or hit the writer's own
    /// files.
    #[error(
        "the build produced the output path {path:?}, which is not allowed: {reason}. Nothing \
         was written. The path comes from a file or id in the site (a theme file, a topic, a \
         claim or source id): rename it; if it does not, this is a bug in evident"
    )]
    InvalidOutputPath {
        /// The offending path.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The build produced a file and another file inside it.
    #[error(
        "the build produced both the file {file:?} and the file {nested:?} inside it; a path \
         cannot be a file and a folder at once. Nothing was written. Rename the topic, id or \
         theme file behind one of them"
    )]
    OutputPathClash {
        /// The path the build wants as a file.
        file: String,
        /// A path the build wants inside it.
        nested: String,
    },
    /// The manifest exists but cannot be trusted.
    #[error(
        "the output manifest {} cannot be used: {reason}. evident relies on it to know which \
         files in {} it wrote, and will not guess. To recover: check that folder and move out \
         any file you want to keep, then delete {} and build again (files identical to the \
         build's output are then adopted; any other is reported, never overwritten)",
        manifest.display(),
        out_dir.display(),
        manifest.display()
    )]
    CorruptManifest {
        /// The manifest file.
        manifest: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A commit's journal exists but cannot be trusted.
    #[error(
        "the journal {} of an earlier build that did not finish cannot be used: {reason}. \
         evident relies on it to finish putting that build in place in {}. To recover: delete \
         {} and the folder .evident-staging beside it, then check the folder (it may hold a \
         mix of two builds), delete its manifest and build again (files identical to the \
         build's output are then adopted; any other is reported, never overwritten)",
        journal.display(),
        out_dir.display(),
        journal.display()
    )]
    CorruptJournal {
        /// The journal file.
        journal: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The output folder, or a folder on the way to it inside the site, is a symbolic link.
    #[error(
        "refusing to build into {}: {} is a symbolic link (to {}), and a build never writes \
         through one, since it could lead anywhere on the machine. Replace the link with a \
         real folder, or pass the folder it points to with --out",
        out_dir.display(),
        link.display(),
        target.display()
    )]
    OutDirThroughLink {
        /// The output folder as given.
        out_dir: PathBuf,
        /// The link.
        link: PathBuf,
        /// Where the link points, as written in it.
        target: PathBuf,
    },
    /// Files the writer does not own are where the build wants to write.
    #[error("{}", describe_conflicts(out_dir, conflicts))]
    Conflicts {
        /// The output folder as given.
        out_dir: PathBuf,
        /// Every conflict found, in path order.
        conflicts: Vec<Conflict>,
    },
    /// Reading or inspecting failed before anything was written.
    #[error("could not {action} {}: {source}. The previous output was not changed", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Staging failed; the previous output is as it was.
    #[error(
        "could not stage the output file {rel:?} (at {}): {source}. The build was abandoned \
         and the previous output in {} is untouched",
        path.display(),
        out_dir.display()
    )]
    Stage {
        /// The output path being staged.
        rel: String,
        /// Where it was being written.
        path: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Putting the staged files in place failed part way.
    #[error(
        "could not {action} {} while putting the new output in place: {source}. {} is partly \
         updated (files evident does not own were not touched); fix the cause and build again \
         to finish",
        path.display(),
        out_dir.display()
    )]
    Commit {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The output folder as given.
        out_dir: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

fn describe_conflicts(out_dir: &Path, conflicts: &[Conflict]) -> String {
    let mut text = format!(
        "cannot write the site into {}: {} path(s) there hold things evident did not write, and \
         the build would lose them. Nothing was written.",
        out_dir.display(),
        conflicts.len()
    );
    for conflict in conflicts.iter().take(CONFLICTS_SHOWN) {
        text.push_str("\n  - ");
        text.push_str(&conflict.to_string());
    }
    if conflicts.len() > CONFLICTS_SHOWN {
        text.push_str(&format!(
            "\n  - and {} more",
            conflicts.len() - CONFLICTS_SHOWN
        ));
    }
    text.push_str(&format!(
        "\nMove each of them out of {} (or delete it if it is left over from an old build), \
         then build again.",
        out_dir.display()
    ));
    text
}

pub(super) fn io_error(action: &'static str, path: &Path) -> impl Fn(io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |source| WriteError::Io {
        action,
        path: path.clone(),
        source,
    }
}
