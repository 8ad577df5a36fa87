//! `evident build`: check, then write the site (nothing is written when content has errors).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use evident::render::Face;
use evident::{BuildOptions, Progress, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::BuildArgs;
use crate::cmd::{Context, print_diagnostics};

/// Builds quicker than this show no bar: it would only flicker.
const BAR_DELAY: Duration = Duration::from_secs(1);

pub fn run(ctx: &Context, args: &BuildArgs) -> anyhow::Result<ExitCode> {
    if let Some(why) = ctx.project.not_a_site() {
        anyhow::bail!(why);
    }
    let started = Instant::now();
    let bar = (!ctx.quiet && std::io::stderr().is_terminal()).then(Bar::new);
    let timer = Arc::new(StageTimer {
        bar: bar.clone(),
        started: std::sync::Mutex::new(Vec::new()),
    });
    let options = BuildOptions {
        out: args.out.as_deref().map(|p| ctx.arg_path(p)),
        strict: args.strict,
        dashboard_dir: args.dashboard.as_deref().map(|p| ctx.arg_path(p)),
        no_pdf: args.no_pdf,
        progress: Some(timer.clone() as Arc<dyn Progress>),
        no_search: args.no_search,
        face: if args.preview {
            Face::Preview
        } else {
            Face::Public
        },
    };
    let built = evident::build(&ctx.project, ctx.today, &options);
    if let Some(bar) = bar {
        bar.finish();
    }
    if ctx.verbose {
        eprintln!("{}", timer.summary());
    }
    let built = built?;
    let diagnostics = built.kb.diagnostics.clone().sorted();
    print_diagnostics(ctx, &diagnostics, args.format, &built.kb.texts);
    let Some(report) = built.report else {
        eprintln!("build stopped: fix the errors above; the previous output was left as it was");
        return Ok(ExitCode::from(1));
    };
    let out = match options.out {
        Some(out) => out,
        None if args.preview => ctx.project.default_preview_output(),
        None => ctx.project.default_output(),
    };
    let face = if args.preview {
        "the editors' preview"
    } else {
        "the public site"
    };
    ctx.say(format!(
        "built {face}, {} pages ({} claims, {} sources, {} warnings) into {} in {:.2?}: {} written, {} unchanged, {} removed",
        built.pages,
        built.kb.claims.len(),
        built.kb.sources.len(),
        built.kb.diagnostics.warnings(),
        out.display(),
        started.elapsed(),
        report.written,
        report.unchanged,
        report.removed
    ));
    if let (Some(dir), Some(report)) = (&args.dashboard, built.dashboard_report) {
        ctx.say(format!(
            "dashboard written to {} ({} files written)",
            ctx.arg_path(dir).display(),
            report.written
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Times each stage (for `--verbose`) and moves the bar, when there is one.
#[derive(Debug)]
struct StageTimer {
    bar: Option<Bar>,
    started: std::sync::Mutex<Vec<(Stage, Instant)>>,
}

impl StageTimer {
    /// "reading files 0.41 s · linking claims and sources 0.12 s · …", up to now.
    fn summary(&self) -> String {
        let started = self.started.lock().map(|s| s.clone()).unwrap_or_default();
        let ends = started
            .iter()
            .skip(1)
            .map(|(_, at)| *at)
            .chain(std::iter::once(Instant::now()));
        let stages: Vec<String> = started
            .iter()
            .zip(ends)
            .map(|((stage, start), end)| {
                format!("{} {:.2} s", stage.name(), (end - *start).as_secs_f64())
            })
            .collect();
        format!("stages: {}", stages.join(" · "))
    }
}

impl Progress for StageTimer {
    fn stage(&self, stage: Stage) {
        if std::env::var_os("EVIDENT_RSS").is_some() {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let rss = status
                .lines()
                .find(|l| l.starts_with("VmRSS"))
                .unwrap_or("");
            eprintln!("{} {rss}", stage.name());
        }
        if let Ok(mut started) = self.started.lock() {
            started.push((stage, Instant::now()));
        }
        if let Some(bar) = &self.bar {
            bar.stage(stage);
        }
    }
}

/// A progress bar over the build's stages, drawn on stderr only once the build has taken
/// longer than [`BAR_DELAY`].
#[derive(Debug, Clone)]
struct Bar {
    bar: ProgressBar,
    /// Dropped when the build ends, which tells the timer thread not to show the bar.
    done: Arc<std::sync::Mutex<Option<mpsc::Sender<()>>>>,
}

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(
            Some(Stage::ALL.len() as u64),
            ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        std::thread::spawn(move || {
            if wait.recv_timeout(BAR_DELAY) == Err(mpsc::RecvTimeoutError::Timeout)
                && !shown.is_finished()
            {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Bar {
            bar,
            done: Arc::new(std::sync::Mutex::new(Some(done))),
        }
    }

    fn finish(&self) {
        if let Ok(mut done) = self.done.lock() {
            done.take();
        }
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn stage(&self, stage: Stage) {
        self.bar.set_position(stage.index() as u64);
        self.bar.set_message(stage.name());
    }
}
