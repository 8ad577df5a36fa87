//! What a caller of `serve` gives it and hears back: the options, and a report of each build
//! and of each search index put in place.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::model::face::Face;
use crate::serve::session::Mode;

/// Called once the address is bound, before the first build, with the address bound.
pub type OnListening = Arc<dyn Fn(SocketAddr) + Send + Sync>;
/// Called after every build, the first one included, on a worker thread.
pub type OnRebuild = Arc<dyn Fn(&Rebuild) + Send + Sync>;
/// Called when a search index is in place, on the indexing thread.
pub type OnSearchIndex = Arc<dyn Fn(&SearchIndexed) + Send + Sync>;

/// What to serve and how.
#[derive(Clone)]
pub struct ServeOptions {
    /// Where to listen; `127.0.0.1:0` lets the system pick a free port.
    pub addr: SocketAddr,
    /// The date builds use for due dates.
    pub today: Date,
    /// The editors' preview (`serve`) or the public face (`serve --public`).
    pub face: Face,
    /// Watch the site's files and rebuild on change (tests of the server alone may turn it off).
    pub watch: bool,
    /// How long a client may take to send a request's head before its connection is closed
    /// (`HEADER_TIMEOUT`, 10 s, in `ServeOptions::local`; tests shorten it).
    pub header_timeout: Duration,
    /// Told the address once it is bound, before the first build's diagnostics.
    pub on_listening: Option<OnListening>,
    /// Told about every build.
    pub on_rebuild: Option<OnRebuild>,
    /// Told when the search index of a build is in place.
    pub on_search_index: Option<OnSearchIndex>,
}

impl ServeOptions {
    /// Listening on 127.0.0.1 at `port`, watching.
    pub fn local(port: u16, today: Date) -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            today,
            face: Face::Preview,
            watch: true,
            header_timeout: crate::serve::conn::HEADER_TIMEOUT,
            on_listening: None,
            on_rebuild: None,
            on_search_index: None,
        }
    }
}

/// One build's outcome, for the terminal.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// The files whose change started it, relative to the site root (empty for the first).
    pub changed: Vec<String>,
    /// Incremental, full (and why), or nothing to do.
    pub mode: Mode,
    /// How many pages and handouts phase 1 rendered (every one after a full build).
    pub rendered: usize,
    /// Wall time from the start of the build (after the debounce) to the new pages being
    /// served and the reload sent: load → resolve → render of what changed.
    pub elapsed: Duration,
    /// From the first file event the watcher saw (the debounce included) to the reload sent
    /// for the re-rendered pages; None for the first build and when nothing was served.
    pub event_to_reload: Option<Duration>,
    /// From the same file event (or the start of the first build) to the pages made from
    /// the whole site (home, dashboard, API, sitemap, feed, search page) being served.
    pub event_to_aggregates: Option<Duration>,
    /// Every diagnostic of this build, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics of this build that the build told before it did not have (all of
    /// them for the first build), sorted. A problem is the same when its severity, code, file
    /// and message are: one that only moved because lines were added above it is not new.
    pub new: Vec<Diagnostic>,
    /// The diagnostics of the build told before that this one no longer has (the problems
    /// fixed), as they were reported then.
    pub gone: Vec<Diagnostic>,
    /// The text of every file read, to show the lines diagnostics point at.
    pub texts: Arc<BTreeMap<String, String>>,
    /// Whether the new site went up, and if not, why.
    pub outcome: Outcome,
    /// Whether a site is being served after this build: its own, or the last good one when
    /// it could not go up; false until a build has succeeded.
    pub serving: bool,
}

/// How a build ended, for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new site is being served.
    Served {
        /// How many HTML files the served site holds, handouts included.
        pages: usize,
        /// How many claims the knowledge base holds, published or not.
        claims: usize,
        /// How many sources the knowledge base holds.
        sources: usize,
    },
    /// Content errors: the last good site, if any, stays up.
    ContentErrors,
    /// The build could not run (an unreadable theme, a missing site folder): the last good
    /// site, if any, stays up and the message is shown like a diagnostic.
    Failed(String),
}

/// A search index put in place, for the terminal.
#[derive(Debug, Clone)]
pub struct SearchIndexed {
    /// The pages indexed.
    pub pages: usize,
    /// Of them, those read again (the others had not changed since the last index).
    pub read: usize,
    /// From the file event of the edit it follows (or the start of the first build).
    pub since_event: Duration,
    /// Building the index alone.
    pub elapsed: Duration,
}
