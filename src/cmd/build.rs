//! `evident build`: check, then write the site (nothing is written when content has errors).

use std::process::ExitCode;
use std::time::Instant;

use evident::BuildOptions;

use crate::cli::BuildArgs;
use crate::cmd::{Context, print_diagnostics};

pub fn run(ctx: &Context, args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = BuildOptions {
        out: args.out.as_deref().map(|p| ctx.arg_path(p)),
        strict: args.strict,
        dashboard_dir: args.dashboard.as_deref().map(|p| ctx.arg_path(p)),
        no_search: args.no_search,
    };
    let built = evident::build(&ctx.project, ctx.today, &options)?;
    let diagnostics = built.kb.diagnostics.clone().sorted();
    print_diagnostics(ctx, &diagnostics, args.format, &built.kb.texts);
    let Some(report) = built.report else {
        eprintln!("build stopped: fix the errors above; the previous output was left as it was");
        return Ok(ExitCode::from(1));
    };
    let out = options.out.unwrap_or_else(|| ctx.project.default_output());
    ctx.say(format!(
        "built {} pages ({} claims, {} sources) into {} in {:.2?}: {} written, {} unchanged, {} removed",
        built.pages,
        built.kb.claims.len(),
        built.kb.sources.len(),
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
