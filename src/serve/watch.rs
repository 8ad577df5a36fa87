//! Watching a site's inputs: `evident.yaml`, `content/`, `citations/` and `themes/`.
//!
//! Events are debounced (one save is often a write, a rename and a delete) and filtered:
//! editors' swap, backup and lock files never start a build, and neither does anything outside
//! the inputs (the output folder, `.git`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc::UnboundedSender;

use crate::project::Project;

/// How long a file event waits for more of the same save before the rebuild starts: an
/// editor's write-rename-delete takes well under a millisecond, and a rebuild after an
/// edit takes a few, so the wait is most of the time from a save to the reload. A save
/// that still arrives in two bursts costs a second, quick, rebuild; a file caught between
/// an editor's rename and its write is waited for ([`REAPPEAR`](super::REAPPEAR)).
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the watcher looks for events whose wait is over: a save waits between
/// [`DEBOUNCE`] and [`DEBOUNCE`] + this.
pub const WATCH_TICK: Duration = Duration::from_millis(5);

/// A burst of file events from the watcher: the files (relative to the root) and when the
/// first event was seen.
#[derive(Debug)]
pub(crate) struct Trigger {
    pub changed: Vec<String>,
    pub seen: Instant,
}

/// Keeps the watch alive; dropping it stops watching.
pub(super) struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    /// Sends the changed files (relative to the root) to `triggers` after each burst.
    pub(super) fn start(
        project: &Project,
        triggers: UnboundedSender<Trigger>,
    ) -> anyhow::Result<Watcher> {
        let root = project.root.clone();
        let inputs = Inputs {
            config: project.config_file(),
            folders: vec![
                project.content_dir(),
                project.citations_dir(),
                project.themes_dir(),
            ],
        };
        let relative = project.clone();
        let watched = inputs.clone();
        let mut debouncer = new_debouncer(
            DEBOUNCE,
            Some(WATCH_TICK),
            move |result: DebounceEventResult| {
                let Ok(events) = result else {
                    return;
                };
                let events: Vec<_> = events
                    .iter()
                    .filter(|e| !e.kind.is_access())
                    .filter(|e| e.paths.iter().any(|p| watched.concerns(p)))
                    .collect();
                let mut changed: Vec<String> = events
                    .iter()
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| watched.concerns(p))
                    .map(|p| relative.relative(p))
                    .collect();
                changed.sort();
                changed.dedup();
                // When the watcher first saw the burst: the time a save waited is part of
                // what `serve --verbose` reports.
                if let Some(seen) = events.iter().map(|e| e.time).min() {
                    let _ = triggers.send(Trigger { changed, seen });
                }
            },
        )?;
        // The root itself, not recursively: that sees evident.yaml and folders being created,
        // without the events of the output folder.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        for folder in &inputs.folders {
            if folder.is_dir() {
                debouncer.watch(folder, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

#[derive(Clone)]
struct Inputs {
    config: PathBuf,
    folders: Vec<PathBuf>,
}

impl Inputs {
    /// Whether a change to `path` can change the site.
    fn concerns(&self, path: &Path) -> bool {
        if path == self.config {
            return true;
        }
        self.folders
            .iter()
            .any(|folder| match path.strip_prefix(folder) {
                Ok(rest) => {
                    let mut names = rest.components().map(|c| c.as_os_str().to_string_lossy());
                    names.all(|name| !is_editor_file(&name))
                }
                Err(_) => false,
            })
    }
}

/// Names editors and tools write beside the real file: hidden files and folders (`.x.swp`,
/// `.#lock`, `.git`), Emacs autosaves (`#x#`), backups (`x~`, `x.bak`, `x.orig`), temporary
/// files (`x.tmp`, `x.part`) and Vim's write test (`4913`).
pub(super) fn is_editor_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with('.')
        || lower.starts_with('#')
        || lower.ends_with('~')
        || lower == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".bak",
            ".orig",
            ".tmp",
            ".temp",
            ".part",
            ".crdownload",
        ]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".claim.yaml.swp",
            "#claim.yaml#",
            ".#claim.yaml",
            "claim.yaml~",
            "claim.yaml.bak",
            "4913",
            "claim.yaml.tmp",
            ".git",
        ] {
            assert!(is_editor_file(name), "{name}");
        }
        assert!(!is_editor_file("claim.yaml"));
        assert!(!is_editor_file("index.md"));
    }

    #[test]
    fn only_inputs_concern_the_build() {
        let root = Path::new("/site");
        let inputs = Inputs {
            config: root.join("evident.yaml"),
            folders: vec![root.join("content"), root.join("themes")],
        };
        assert!(inputs.concerns(&root.join("evident.yaml")));
        assert!(inputs.concerns(&root.join("content/a/claim.yaml")));
        assert!(inputs.concerns(&root.join("themes/default/page.html")));
        assert!(!inputs.concerns(&root.join("public/index.html")));
        assert!(!inputs.concerns(&root.join("content/.claim.yaml.swp")));
        assert!(!inputs.concerns(&root.join("content/.git/index")));
        assert!(!inputs.concerns(&root.join("README.md")));
    }
}
