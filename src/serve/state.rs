//! What the HTTP handlers, the rebuild loop and the indexing thread share: the site being
//! served, its recent generations, and the build and search state behind it.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Instant;

use jiff::civil::Date;
use tokio::sync::watch as signal;

use crate::diag::Diagnostic;
use crate::project::Project;
use crate::serve::options::{OnRebuild, OnSearchIndex};
use crate::serve::session::{Files, Session};

/// How many builds back a browser tab can have missed and still be told precisely whether
/// its page changed (older than that, it simply reloads).
const CHANGE_LOG: usize = 64;

/// Recent generations of the site, each with the output files it changed (None: any).
pub(super) type ChangeLog = VecDeque<(u64, Option<Arc<BTreeSet<String>>>)>;

/// What the server answers from; replaced whole after each build.
#[derive(Debug, Default)]
pub(super) struct Site {
    /// The last good site; None until a build succeeds.
    pub(super) output: Option<Arc<Files>>,
    /// Counts the versions of the site served, so browsers know when to reload.
    pub(super) generation: u64,
    /// The output files each recent generation changed (None: every file), oldest first.
    pub(super) log: Arc<ChangeLog>,
    /// Errors of the latest build (empty when it succeeded), as plain text and as JSON.
    pub(super) errors: usize,
    pub(super) warnings: usize,
    pub(super) text: String,
    pub(super) json: Vec<serde_json::Value>,
}

/// Shared by the HTTP handlers and the rebuild loop.
pub(super) struct State {
    pub(super) project: Project,
    pub(super) today: Date,
    /// The face served: the editors' preview, or the public site (`serve --public`).
    pub(super) face: crate::model::face::Face,
    /// What the last build read, resolved and rendered; None until a build could read the site.
    pub(super) session: Mutex<Option<Session>>,
    pub(super) site: RwLock<Arc<Site>>,
    /// Bumped whenever the pages change; a search index of older pages is dropped.
    pub(super) content: AtomicU64,
    /// The latest search index wanted, for the indexing thread.
    pub(super) search: (Mutex<Option<SearchRequest>>, Condvar),
    pub(super) on_search_index: Option<OnSearchIndex>,
    /// Bumped after each build; the SSE streams wait on it.
    pub(super) changed: signal::Sender<u64>,
    /// Set once when the server stops, so endless SSE streams end and shutdown can finish.
    pub(super) stopping: signal::Sender<bool>,
    pub(super) on_rebuild: Option<OnRebuild>,
    /// The diagnostics of the last build told (see [`super::Rebuild::new`]).
    pub(super) told: Mutex<Vec<Diagnostic>>,
}

impl State {
    pub(super) fn current(&self) -> Arc<Site> {
        self.site
            .read()
            .map_or_else(|e| e.into_inner().clone(), |s| s.clone())
    }

    /// Serves `files` as a new generation and tells the browsers; `changed` names the files
    /// that differ from the previous generation (None: any may).
    pub(super) fn install(&self, files: Arc<Files>, changed: Option<BTreeSet<String>>) {
        {
            let mut current = self.site.write().unwrap_or_else(|e| e.into_inner());
            let generation = current.generation + 1;
            let mut log = (*current.log).clone();
            log.push_back((generation, changed.map(Arc::new)));
            while log.len() > CHANGE_LOG {
                log.pop_front();
            }
            *current = Arc::new(Site {
                output: Some(files),
                generation,
                log: Arc::new(log),
                errors: current.errors,
                warnings: current.warnings,
                text: current.text.clone(),
                json: current.json.clone(),
            });
        }
        self.changed.send_modify(|n| *n += 1);
    }
}

/// A search index to build: of the pages of content version `content`.
pub(super) struct SearchRequest {
    pub(super) content: u64,
    pub(super) since: Instant,
}
