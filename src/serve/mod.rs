//! `evident serve`: the site built into memory, served on a local port, rebuilt when its files
//! change, and reloaded in open browsers.
//!
//! The server (tokio) and the build (plain threads, later rayon) are kept apart: every build
//! runs in `spawn_blocking`, and the server keeps answering from the last good site meanwhile.
//!
//! Builds after the first are incremental ([`crate::serve::session`]): an edit re-renders the
//! pages that show what it changed and swaps them in (phase 1, with a reload for the browsers
//! showing one of them), then the pages made from the whole site (phase 2, the same), then,
//! on a thread of its own, the search index, which a newer edit cancels. Each browser tab
//! says which page it shows, and reloads only when that page changed.
//! A build with content errors does not replace that site; its diagnostics go to the browser
//! (an overlay, through `/__evident/diagnostics`) and to whoever [`ServeOptions::on_rebuild`]
//! tells. The library prints nothing.

mod conn;
pub mod depgraph;
mod host;
mod http;
mod options;
pub mod path;
pub mod session;
mod state;
mod watch;

pub use conn::HEADER_TIMEOUT;
pub use options::{
    OnListening, OnRebuild, OnSearchIndex, Outcome, Rebuild, SearchIndexed, ServeOptions,
};
pub use watch::{DEBOUNCE, WATCH_TICK};

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch as signal};

use crate::diag::{Diagnostic, Severity};
use crate::project::Project;
use crate::render::{Handouts, RenderOptions};
use crate::serve::session::{Mode, Session};
use crate::serve::state::{SearchRequest, Site, State};
use crate::serve::watch::Trigger;

/// How long a changed input that has vanished is waited for before it counts as deleted
/// (which takes the full path): editors that save by renaming leave a moment without it.
pub const REAPPEAR: Duration = Duration::from_millis(100);
/// The port `serve` tries when none is given.
pub const DEFAULT_PORT: u16 = 4000;

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
    /// The address asked for (`ServeOptions::addr`), as given.
    pub addr: SocketAddr,
    /// Why binding failed, from the system (address in use, address not available).
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
    if let Some(on_listening) = &options.on_listening {
        on_listening(addr);
    }
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
        face: options.face,
        session: Mutex::new(None),
        site: RwLock::new(Arc::new(Site::default())),
        content: AtomicU64::new(0),
        search: (Mutex::new(None), Condvar::new()),
        on_search_index: options.on_search_index,
        changed,
        stopping,
        on_rebuild: options.on_rebuild,
        told: Mutex::new(Vec::new()),
    });
    let indexer = state.clone();
    std::thread::Builder::new()
        .name("evident-search".into())
        .spawn(move || search_loop(&indexer))?;
    rebuild(&state, Vec::new(), None);

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
        let app = http::router(state.clone(), host::HostPolicy::new(addr));
        let serve = conn::serve(
            listener,
            app,
            options.header_timeout,
            state.stopping.subscribe(),
        );
        anyhow::Ok(tokio::spawn(serve))
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
        self.state.search.1.notify_all();
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
        self.state.search.1.notify_all();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Rebuilds once per burst of changes: requests that arrive during a build are merged into the
/// next one, so a save of ten files costs at most two builds.
async fn rebuild_loop(state: Arc<State>, mut requests: mpsc::UnboundedReceiver<Trigger>) {
    while let Some(first) = requests.recv().await {
        let mut changed = first.changed;
        let mut seen = first.seen;
        while let Ok(more) = requests.try_recv() {
            changed.extend(more.changed);
            seen = seen.min(more.seen);
        }
        changed.sort();
        changed.dedup();
        let state = state.clone();
        if tokio::task::spawn_blocking(move || rebuild(&state, changed, Some(seen)))
            .await
            .is_err()
        {
            // The build panicked; the last good site stays up and the next change tries again.
            continue;
        }
    }
}

/// Builds what changed (everything the first time), serves it when it has no errors, and
/// tells browsers and the terminal.
fn rebuild(state: &State, changed: Vec<String>, seen: Option<Instant>) {
    let started = Instant::now();
    let since = seen.unwrap_or(started);
    wait_for_renamed_files(&state.project, &changed);
    let mut guard = state.session.lock().unwrap_or_else(|e| e.into_inner());
    // PDF handouts are left out of the preview: Typst would add seconds to every reload.
    let options = RenderOptions {
        face: state.face,
        handouts: Handouts::HtmlOnly,
        ..RenderOptions::default()
    };
    let mode = match guard.as_mut() {
        Some(session) => session.update(&changed),
        None => Session::load(state.project.clone(), state.today, options).map(|session| {
            *guard = Some(session);
            Mode::Full("first build".into())
        }),
    };
    let mut report = Rebuild {
        changed,
        mode: mode
            .as_ref()
            .cloned()
            .unwrap_or(Mode::Full("the site could not be read".into())),
        rendered: 0,
        elapsed: Duration::ZERO,
        event_to_reload: None,
        event_to_aggregates: None,
        diagnostics: Vec::new(),
        new: Vec::new(),
        gone: Vec::new(),
        texts: Arc::new(BTreeMap::new()),
        outcome: Outcome::ContentErrors,
        serving: false,
    };
    let session = match (mode, guard.as_mut()) {
        (Ok(_), Some(session)) => session,
        (Err(e), _) => return finish(state, report, Some(format!("{e:#}"))),
        (Ok(_), None) => return finish(state, report, Some("no site loaded".into())),
    };
    if report.mode == Mode::Unchanged {
        report.elapsed = started.elapsed();
        report.outcome = served_outcome(session);
        report.diagnostics = session.kb().diagnostics.clone().sorted();
        return tell(state, report);
    }
    let first = seen.is_none();
    match session.render_pages() {
        Ok(Some(rendered)) => {
            if let Some(files) = rendered.files {
                state.install(files, rendered.changed);
            }
            state.content.fetch_add(1, Ordering::SeqCst);
            report.elapsed = started.elapsed();
            report.event_to_reload = (!first).then(|| since.elapsed());
            report.rendered = rendered.rendered;
        }
        Ok(None) => {
            report.elapsed = started.elapsed();
            report.diagnostics = session.kb().diagnostics.clone().sorted();
            report.texts = Arc::new(texts_of(session, &report.diagnostics));
            return finish(state, report, None);
        }
        Err(e) => return finish(state, report, Some(format!("{e:#}"))),
    }
    match session.render_aggregates() {
        Ok(rendered) => {
            if let Some(files) = rendered.files
                && rendered.changed.as_ref().is_none_or(|c| !c.is_empty())
            {
                state.install(files, rendered.changed);
            }
            report.event_to_aggregates = Some(since.elapsed());
        }
        Err(e) => return finish(state, report, Some(format!("{e:#}"))),
    }
    request_search_index(state, since);
    report.outcome = served_outcome(session);
    report.diagnostics = session.kb().diagnostics.clone().sorted();
    report.texts = Arc::new(texts_of(session, &report.diagnostics));
    drop(guard);
    finish(state, report, None);
}

/// Waits a moment for changed inputs that have vanished: an editor that saves by renaming
/// the old file away before writing the new one leaves a gap that is not a deletion.
fn wait_for_renamed_files(project: &Project, changed: &[String]) {
    let deadline = Instant::now() + REAPPEAR;
    for rel in changed {
        let path = project.root.join(rel);
        while !path.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn served_outcome(session: &Session) -> Outcome {
    let kb = session.kb();
    Outcome::Served {
        pages: session
            .served()
            .map_or(0, |f| f.keys().filter(|f| f.ends_with(".html")).count()),
        claims: kb.claims.len(),
        sources: kb.sources.len(),
    }
}

/// The texts of the files the diagnostics point at (all a report needs, and far less to
/// copy than every file of a large site).
fn texts_of(session: &Session, diagnostics: &[Diagnostic]) -> BTreeMap<String, String> {
    let texts = &session.kb().texts;
    diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(&d.location.path).chain(d.related.iter().map(|r| &r.location.path))
        })
        .filter_map(|path| Some((path.clone(), texts.get(path)?.clone())))
        .collect()
}

/// Records the build's errors for the browsers (the served site stays as it is unless the
/// build installed a new one) and tells the terminal. `failure` is a build that could not run.
fn finish(state: &State, mut report: Rebuild, failure: Option<String>) {
    if let Some(message) = &failure {
        report.outcome = Outcome::Failed(message.clone());
    }
    {
        let mut current = state.site.write().unwrap_or_else(|e| e.into_inner());
        let mut next = Site {
            output: current.output.clone(),
            generation: current.generation,
            log: current.log.clone(),
            ..Site::default()
        };
        next.errors = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        next.warnings = report.diagnostics.len() - next.errors;
        if let Some(message) = &failure {
            next.errors += 1;
            next.text = format!("error: {message}\n");
            next.json
                .push(serde_json::json!({ "severity": "error", "message": message }));
        }
        if next.errors > 0 {
            // Only the errors: they are why the page is stale. Warnings stay in the terminal.
            let errors: Vec<Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            next.text.push_str(&crate::diag::report::render(
                &errors,
                crate::diag::report::Format::Human,
                &report.texts,
                false,
            ));
            next.json
                .extend(errors.iter().map(crate::diag::report::json));
        }
        *current = Arc::new(next);
    }
    state.changed.send_modify(|n| *n += 1);
    tell(state, report);
}

/// Tells the build to whoever asked, with the diagnostics that are new or gone since the
/// build told before. A build that could not run has no diagnostics to compare: it leaves
/// the last ones as they were.
fn tell(state: &State, mut report: Rebuild) {
    report.serving = state.current().output.is_some();
    if !matches!(report.outcome, Outcome::Failed(_)) {
        let mut told = state.told.lock().unwrap_or_else(|e| e.into_inner());
        (report.new, report.gone) = difference(&told, &report.diagnostics);
        told.clone_from(&report.diagnostics);
    }
    if let Some(on_rebuild) = &state.on_rebuild {
        on_rebuild(&report);
    }
}

/// What `now` has that `before` had not, and what `before` had that `now` has not, each in
/// its own order; a diagnostic is matched by severity, code, file and message, as many times
/// as it occurs.
fn difference(before: &[Diagnostic], now: &[Diagnostic]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    (only_in(now, before), only_in(before, now))
}

/// The diagnostics of `list` left once each of `other` has taken away one that matches it.
fn only_in(list: &[Diagnostic], other: &[Diagnostic]) -> Vec<Diagnostic> {
    fn key(d: &Diagnostic) -> (Severity, crate::diag::Code, &str, &str) {
        (d.severity, d.code, &d.location.path, &d.message)
    }
    let mut left: BTreeMap<_, usize> = BTreeMap::new();
    for d in other {
        *left.entry(key(d)).or_default() += 1;
    }
    list.iter()
        .filter(|d| match left.get_mut(&key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Asks the indexing thread for the index of the pages just served, superseding any older
/// request (and cancelling an index being built for older pages).
fn request_search_index(state: &State, since: Instant) {
    let (slot, wake) = &state.search;
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    *slot = Some(SearchRequest {
        content: state.content.load(Ordering::SeqCst),
        since,
    });
    wake.notify_one();
}

/// The indexing thread: builds the latest index asked for, one at a time, until the server
/// stops. A snapshot of the served pages is taken under the session's lock, indexed without
/// it, and the index is put in only if no edit came in meanwhile. The index is kept from one edit to
/// the next, so only pages whose HTML changed are read again.
fn search_loop(state: &State) {
    let mut live: Option<crate::render::search::LiveIndex> = None;
    loop {
        let request = {
            let (slot, wake) = &state.search;
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if *state.stopping.borrow() {
                    return;
                }
                if let Some(request) = slot.take() {
                    break request;
                }
                slot = wake.wait(slot).unwrap_or_else(|e| e.into_inner());
            }
        };
        let current = || state.content.load(Ordering::SeqCst) == request.content;
        let input = {
            let guard = state.session.lock().unwrap_or_else(|e| e.into_inner());
            if !current() {
                continue;
            }
            guard.as_ref().and_then(Session::search_input)
        };
        let Some(input) = input else { continue };
        let started = Instant::now();
        let pages = input.pages();
        let count = pages.len();
        let stale = || !current() || *state.stopping.borrow();
        let kept = live
            .as_ref()
            .is_some_and(|l| l.is_for(&input.language, input.keep_index_url));
        if !kept {
            live = None;
        }
        let live_index = live.get_or_insert_with(|| {
            crate::render::search::LiveIndex::new(&input.language, input.keep_index_url)
        });
        let (index, read) = match live_index.update(&pages, &stale) {
            Ok(Some(updated)) => updated,
            Ok(None) => continue,
            Err(_) => {
                // Whatever pagefind choked on, the next request starts from scratch.
                live = None;
                continue;
            }
        };
        let elapsed = started.elapsed();
        let mut guard = state.session.lock().unwrap_or_else(|e| e.into_inner());
        if !current() {
            continue;
        }
        let Some(files) = guard.as_mut().and_then(|s| s.install_search_index(index)) else {
            continue;
        };
        let changed = files
            .keys()
            .filter(|p| p.starts_with(crate::render::search::FOLDER))
            .map(|p| p.to_string())
            .collect();
        state.install(files, Some(changed));
        drop(guard);
        if let Some(on_search_index) = &state.on_search_index {
            on_search_index(&SearchIndexed {
                pages: count,
                read,
                since_event: request.since.elapsed(),
                elapsed,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Location};

    fn d(code: Code, line: u32, message: &str) -> Diagnostic {
        Diagnostic::error(code, Location::new("content/a.yaml", line, 1), message)
    }

    #[test]
    fn a_problem_that_only_moved_is_neither_new_nor_gone() {
        let before = [
            d(Code::UnknownSource, 3, "x"),
            d(Code::UnknownSource, 5, "x"),
        ];
        let now = [
            d(Code::UnknownSource, 4, "x"),
            d(Code::MissingQuote, 9, "y"),
        ];
        let (new, gone) = difference(&before, &now);
        assert_eq!(new, [d(Code::MissingQuote, 9, "y")]);
        // Two of the same before, one now: one was fixed.
        assert_eq!(gone, [d(Code::UnknownSource, 5, "x")]);
    }
}
