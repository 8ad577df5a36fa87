//! `evident serve`: the site built into memory, served on a local port, rebuilt when its files
//! change, and reloaded in open browsers.
//!
//! The server (tokio) and the build (plain threads, later rayon) are kept apart: every build
//! runs in `spawn_blocking`, and the server keeps answering from the last good site meanwhile.
//! A build with content errors does not replace that site; its diagnostics go to the browser
//! (an overlay, through `/__evident/diagnostics`) and to whoever [`ServeOptions::on_rebuild`]
//! tells. The library prints nothing.

mod http;
pub mod path;
mod watch;

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use tokio::sync::{mpsc, watch as signal};

use crate::diag::{Diagnostic, Severity};
use crate::project::Project;
use crate::render::RenderOptions;
use crate::write::Output;

/// How long to wait for a burst of file events to end before rebuilding: long enough for an
/// editor's write-rename-delete of one save, short enough to feel immediate.
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// The port `serve` tries when none is given.
pub const DEFAULT_PORT: u16 = 4000;

/// Called after every build, the first one included, on a worker thread.
pub type OnRebuild = Arc<dyn Fn(&Rebuild) + Send + Sync>;

/// What to serve and how.
#[derive(Clone)]
pub struct ServeOptions {
    /// Where to listen; `127.0.0.1:0` lets the system pick a free port.
    pub addr: SocketAddr,
    /// The date builds use for due dates.
    pub today: Date,
    /// Watch the site's files and rebuild on change (tests of the server alone may turn it off).
    pub watch: bool,
    /// Told about every build.
    pub on_rebuild: Option<OnRebuild>,
}

impl ServeOptions {
    /// Listening on 127.0.0.1 at `port`, watching.
    pub fn local(port: u16, today: Date) -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            today,
            watch: true,
            on_rebuild: None,
        }
    }
}

/// One build's outcome, for the terminal.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// The files whose change started it, relative to the site root (empty for the first).
    pub changed: Vec<String>,
    /// Wall time of load → resolve → render.
    pub elapsed: Duration,
    /// Every diagnostic of this build, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, to show the lines diagnostics point at.
    pub texts: Arc<BTreeMap<String, String>>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new site is being served.
    Served {
        pages: usize,
        claims: usize,
        sources: usize,
    },
    /// Content errors: the last good site stays up.
    ContentErrors,
    /// The build could not run (an unreadable theme, a missing site folder): the last good
    /// site stays up and the message is shown like a diagnostic.
    Failed(String),
}

/// What the server answers from; replaced whole after each build.
#[derive(Debug, Default)]
struct Site {
    /// The last good site; None until a build succeeds.
    output: Option<Arc<Output>>,
    /// Counts successful builds, so browsers know when to reload.
    generation: u64,
    /// Errors of the latest build (empty when it succeeded), as plain text and as JSON.
    errors: usize,
    warnings: usize,
    text: String,
    json: Vec<serde_json::Value>,
}

/// Shared by the HTTP handlers and the rebuild loop.
struct State {
    project: Project,
    today: Date,
    site: RwLock<Arc<Site>>,
    /// Bumped after each build; the SSE streams wait on it.
    changed: signal::Sender<u64>,
    /// Set once when the server stops, so endless SSE streams end and shutdown can finish.
    stopping: signal::Sender<bool>,
    on_rebuild: Option<OnRebuild>,
}

impl State {
    fn current(&self) -> Arc<Site> {
        self.site
            .read()
            .map_or_else(|e| e.into_inner().clone(), |s| s.clone())
    }
}

/// A running server. Dropping it stops the server too, without waiting.
pub struct Handle {
    /// The address actually bound (the real port when 0 was asked for).
    pub addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    state: Arc<State>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _watcher: Option<watch::Watcher>,
}

/// The port is in use (or the address is not this machine's): the binary turns this into a
/// clear message and exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {addr}: {source}")]
pub struct BindError {
    pub addr: SocketAddr,
    #[source]
    pub source: std::io::Error,
}

/// Binds `options.addr`, builds the site once, and serves it in the background; returns once
/// the first build is in place, so the first request already sees the site.
pub fn start(project: Project, options: ServeOptions) -> anyhow::Result<Handle> {
    // Bound before the first build, so a taken port is reported at once rather than after it.
    let listener = TcpListener::bind(options.addr).map_err(|source| BindError {
        addr: options.addr,
        source,
    })?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("evident-serve")
        .enable_all()
        .build()?;
    let (changed, _) = signal::channel(0);
    let (stopping, _) = signal::channel(false);
    let state = Arc::new(State {
        project,
        today: options.today,
        site: RwLock::new(Arc::new(Site::default())),
        changed,
        stopping,
        on_rebuild: options.on_rebuild,
    });
    rebuild(&state, Vec::new());

    let (triggers, requests) = mpsc::unbounded_channel();
    let watcher = if options.watch {
        Some(watch::Watcher::start(&state.project, triggers)?)
    } else {
        drop(triggers);
        None
    };
    let server = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::spawn(rebuild_loop(state.clone(), requests));
        let app = http::router(state.clone());
        let mut stopping = state.stopping.subscribe();
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopping.wait_for(|s| *s).await;
        });
        anyhow::Ok(tokio::spawn(async move { serve.await }))
    })?;
    Ok(Handle {
        addr,
        runtime: Some(runtime),
        state,
        server: Some(server),
        _watcher: watcher,
    })
}

impl Handle {
    /// Serves until Ctrl-C, then stops cleanly.
    pub fn run_until_ctrl_c(mut self) -> anyhow::Result<()> {
        if let Some(runtime) = &self.runtime {
            runtime.block_on(tokio::signal::ctrl_c())?;
        }
        self.stop()
    }

    /// Stops accepting connections, ends the event streams, and waits (a few seconds at most)
    /// for requests in flight.
    pub fn shutdown(mut self) -> anyhow::Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> anyhow::Result<()> {
        self.state.stopping.send_replace(true);
        let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) else {
            return Ok(());
        };
        let result =
            runtime.block_on(async { tokio::time::timeout(Duration::from_secs(5), server).await });
        // A rebuild still running in spawn_blocking is not waited for beyond this.
        runtime.shutdown_timeout(Duration::from_secs(1));
        match result {
            Ok(Ok(served)) => Ok(served?),
            Ok(Err(join)) => Err(join.into()),
            Err(_) => Ok(()),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.state.stopping.send_replace(true);
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Rebuilds once per burst of changes: requests that arrive during a build are merged into the
/// next one, so a save of ten files costs at most two builds.
async fn rebuild_loop(state: Arc<State>, mut requests: mpsc::UnboundedReceiver<Vec<String>>) {
    while let Some(mut changed) = requests.recv().await {
        while let Ok(more) = requests.try_recv() {
            changed.extend(more);
        }
        changed.sort();
        changed.dedup();
        let state = state.clone();
        if tokio::task::spawn_blocking(move || rebuild(&state, changed))
            .await
            .is_err()
        {
            // The build panicked; the last good site stays up and the next change tries again.
            continue;
        }
    }
}

/// Builds the site, installs it when it has no errors, and tells browsers and the terminal.
fn rebuild(state: &State, changed: Vec<String>) {
    let started = Instant::now();
    let (site, diagnostics, texts, outcome) = build(state);
    let elapsed = started.elapsed();
    {
        let mut current = state.site.write().unwrap_or_else(|e| e.into_inner());
        let mut next = Site {
            output: current.output.clone(),
            generation: current.generation,
            ..Site::default()
        };
        if let Some(output) = site {
            next.output = Some(Arc::new(output));
            next.generation += 1;
        }
        next.errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        next.warnings = diagnostics.len() - next.errors;
        if let Outcome::Failed(message) = &outcome {
            next.errors += 1;
            next.text = format!("error: {message}\n");
            next.json
                .push(serde_json::json!({ "severity": "error", "message": message }));
        }
        if next.errors > 0 {
            // Only the errors: they are why the page is stale. Warnings stay in the terminal.
            let errors: Vec<Diagnostic> = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            next.text.push_str(&crate::report::render(
                &errors,
                crate::report::Format::Human,
                &texts,
                false,
            ));
            next.json.extend(errors.iter().map(crate::report::json));
        }
        *current = Arc::new(next);
    }
    state.changed.send_modify(|n| *n += 1);
    if let Some(on_rebuild) = &state.on_rebuild {
        on_rebuild(&Rebuild {
            changed,
            elapsed,
            diagnostics,
            texts: Arc::new(texts),
            outcome,
        });
    }
}

type Built = (
    Option<Output>,
    Vec<Diagnostic>,
    BTreeMap<String, String>,
    Outcome,
);

/// load → resolve → render, with the editor dashboard always in (serve is for editors).
fn build(state: &State) -> Built {
    let kb = match crate::check(&state.project, state.today) {
        Ok(kb) => kb,
        Err(e) => {
            return (
                None,
                Vec::new(),
                BTreeMap::new(),
                Outcome::Failed(format!("{e:#}")),
            );
        }
    };
    let diagnostics = kb.diagnostics.clone().sorted();
    if kb.diagnostics.has_errors() {
        return (None, diagnostics, kb.texts, Outcome::ContentErrors);
    }
    // PDF handouts are left out of the preview: Typst would add seconds to every reload.
    let options = RenderOptions {
        dashboard: Some(true),
        handouts: crate::render::Handouts {
            html: true,
            pdf: false,
        },
        ..RenderOptions::default()
    };
    match crate::render_site(&state.project, &kb, &options) {
        Ok(output) => {
            let outcome = Outcome::Served {
                pages: output.files.keys().filter(|f| f.ends_with(".html")).count(),
                claims: kb.claims.len(),
                sources: kb.sources.len(),
            };
            (Some(output), diagnostics, kb.texts, outcome)
        }
        Err(e) => (
            None,
            diagnostics,
            kb.texts,
            Outcome::Failed(format!("{e:#}")),
        ),
    }
}
