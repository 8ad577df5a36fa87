//! `evident check`: validate only, write nothing (with `--external`, nothing but the cache of
//! external URL results in `.evident/cache/`).

use std::process::ExitCode;
use std::time::Duration;

use crate::cli::CheckArgs;
use crate::cmd::{Context, print_diagnostics};

pub fn run(ctx: &Context, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if let Some(why) = ctx.project.not_a_site() {
        anyhow::bail!(why);
    }
    // What the public build would report: the site's problems and its approved versions'.
    let kb = evident::public(&ctx.project, ctx.today)?;
    let mut found = kb.diagnostics.clone();
    if args.external {
        let options = evident::external::ExternalOptions {
            concurrency: usize::from(args.external_concurrency),
            timeout: Duration::from_secs(args.external_timeout),
            deadline: Duration::from_secs(args.external_deadline),
            max_age_days: args.external_max_age_days,
        };
        let urls = evident::external::collect(&kb);
        let checked = evident::external::check(&urls, &ctx.project.root, ctx.today, &options)?;
        if !ctx.quiet {
            eprintln!(
                "external: {} URLs, {} asked, {} from the cache",
                urls.len(),
                checked.asked,
                checked.cached
            );
        }
        found.extend(checked.diagnostics);
    }
    let diagnostics = evident::finish_diagnostics(found, args.strict);
    print_diagnostics(ctx, &diagnostics, args.format, &kb.texts);
    let failed = diagnostics
        .iter()
        .any(|d| d.severity == evident::diag::Severity::Error);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
