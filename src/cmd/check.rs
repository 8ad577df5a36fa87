//! `evident check`: validate only, write nothing.

use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::cmd::{Context, print_diagnostics};

pub fn run(ctx: &Context, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if let Some(why) = ctx.project.not_a_site() {
        anyhow::bail!(why);
    }
    // What the public build would report: the site's problems and its approved versions'.
    let kb = evident::public(&ctx.project, ctx.today)?;
    let diagnostics = evident::finish_diagnostics(kb.diagnostics.clone(), args.strict);
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
