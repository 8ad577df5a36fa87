//! `evident serve`: a live-reloading preview on 127.0.0.1 until Ctrl-C.

use std::net::SocketAddr;
use std::process::{ExitCode, Stdio};
use std::sync::Arc;

use evident::render::Face;
use evident::serve::session::Mode;
use evident::serve::{self, BindError, Outcome, Rebuild, SearchIndexed, ServeOptions};

use crate::cli::ServeArgs;
use crate::cmd::Context;

pub fn run(ctx: &Context, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let (quiet, verbose, color) = (ctx.quiet, ctx.verbose, ctx.color);
    let options = ServeOptions {
        addr: SocketAddr::new(args.bind, args.port),
        today: ctx.today,
        face: if args.public {
            Face::Public
        } else {
            Face::Preview
        },
        watch: true,
        header_timeout: serve::HEADER_TIMEOUT,
        // Before the first build, whose diagnostics may run to hundreds of lines.
        on_listening: (!args.public).then(|| -> serve::OnListening {
            Arc::new(|addr: SocketAddr| {
                if !addr.ip().is_loopback() {
                    eprintln!(
                        "warning: listening on {}: the preview, drafts and the editor dashboard \
                         are reachable from other machines",
                        addr.ip()
                    );
                }
            })
        }),
        on_rebuild: Some(Arc::new(move |rebuild: &Rebuild| {
            report(rebuild, quiet, verbose, color);
        })),
        on_search_index: verbose.then(|| -> serve::OnSearchIndex {
            Arc::new(|indexed: &SearchIndexed| {
                eprintln!(
                    "search index of {} pages ({} read again) built in {} ({} after the file event)",
                    indexed.pages,
                    indexed.read,
                    duration(indexed.elapsed),
                    duration(indexed.since_event)
                );
            })
        }),
    };
    let handle = match serve::start(ctx.project.clone(), options) {
        Ok(handle) => handle,
        Err(e) => {
            if let Some(bind) = e.downcast_ref::<BindError>() {
                if bind.source.kind() == std::io::ErrorKind::AddrInUse {
                    eprintln!(
                        "error: port {} on {} is already in use (another `evident serve`?); \
                         choose another with --port",
                        bind.addr.port(),
                        bind.addr.ip()
                    );
                } else {
                    eprintln!("error: {bind}");
                }
                return Ok(ExitCode::from(2));
            }
            return Err(e);
        }
    };
    let url = format!("http://{}/", handle.addr);
    ctx.say(format!("serving {url} (Ctrl-C to stop)"));
    if args.open {
        open_browser(&url);
    }
    handle.run_until_ctrl_c()?;
    ctx.say("stopped");
    Ok(ExitCode::SUCCESS)
}

/// One build, in the terminal: its diagnostics, then one line.
fn report(rebuild: &Rebuild, quiet: bool, verbose: bool, color: bool) {
    // Every diagnostic in full at the first build; after a change, those the change brought
    // in full and those it fixed one line each, or every save would scroll the same problems
    // past again. The summary line counts them all.
    let first = rebuild.changed.is_empty();
    let shown = if first {
        &rebuild.diagnostics
    } else {
        &rebuild.new
    };
    let text = evident::diag::report::render(
        shown,
        evident::diag::report::Format::Human,
        &rebuild.texts,
        color,
    );
    eprint!("{text}");
    for d in &rebuild.gone {
        eprintln!(
            "fixed: {}[{}] {} ({})",
            d.severity, d.code, d.message, d.location
        );
    }
    let cause = match rebuild.changed.as_slice() {
        [] => String::new(),
        [one] => format!(" after a change to {one}"),
        [one, rest @ ..] => format!(" after changes to {one} and {} more", rest.len()),
    };
    let time = if verbose {
        format!(" in {}", duration(rebuild.elapsed))
    } else {
        String::new()
    };
    let warnings = rebuild
        .diagnostics
        .iter()
        .filter(|d| d.severity == evident::diag::Severity::Warning)
        .count();
    match &rebuild.outcome {
        Outcome::Served {
            pages,
            claims,
            sources,
        } => {
            if verbose && !first {
                eprintln!("{}", timings(rebuild));
            } else if !quiet {
                eprintln!(
                    "built {pages} pages ({claims} claims, {sources} sources, {warnings} \
                     warnings){cause}{time}"
                );
            }
        }
        Outcome::ContentErrors => {
            let errors = rebuild.diagnostics.len() - warnings;
            eprintln!(
                "{}{cause}{time}: {}; the browser shows the errors",
                evident::diag::summary(errors, warnings),
                still_serving(rebuild.serving)
            );
        }
        Outcome::Failed(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "build failed{cause}{time}: {}",
                still_serving(rebuild.serving)
            );
        }
    }
}

/// What the browser shows after a build that could not go up.
fn still_serving(serving: bool) -> &'static str {
    if serving {
        "still serving the last good site"
    } else {
        "no site built yet"
    }
}

/// `serve --verbose` after a change: what changed, how it was rebuilt, and the times from
/// the file event (the debounce included) to the reload and to the site-wide pages.
fn timings(rebuild: &Rebuild) -> String {
    let files = match rebuild.changed.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [one, rest @ ..] => format!("{one} and {} more", rest.len()),
    };
    let how = match &rebuild.mode {
        Mode::Unchanged => {
            return format!("{files} changed: the site is the same, nothing re-rendered");
        }
        Mode::Incremental => format!("incremental, {} pages re-rendered", rebuild.rendered),
        Mode::Full(reason) => format!(
            "full rebuild ({reason}), {} pages rendered",
            rebuild.rendered
        ),
    };
    let reload = match rebuild.event_to_reload {
        Some(t) => format!(
            "reload sent {} after the file event (rebuild {})",
            duration(t),
            duration(rebuild.elapsed)
        ),
        None => format!("rebuild {}", duration(rebuild.elapsed)),
    };
    let aggregates = rebuild
        .event_to_aggregates
        .map(|t| format!("; aggregates {} after it", duration(t)))
        .unwrap_or_default();
    format!("{files} changed: {how}; {reload}{aggregates}")
}

/// Milliseconds with one decimal below ten seconds, else seconds: what a person compares.
fn duration(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10_000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// Best effort: a missing opener or a headless machine is no reason to stop serving.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        // Reaped on a thread of its own, so that it leaves no zombie behind.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("note: could not open a browser ({e}); open {url} yourself"),
    }
}
