//! `evident init DIR [--example]`.

use std::process::ExitCode;

use crate::cli::InitArgs;
use crate::cmd::Context;

pub fn run(ctx: &Context, args: &InitArgs) -> anyhow::Result<ExitCode> {
    let dir = ctx.arg_path(&args.dir);
    let written = evident::edit::scaffold::init(&dir, args.example)?;
    for path in &written {
        if ctx.verbose {
            ctx.say(format!("  wrote {}", path.display()));
        }
    }
    ctx.say(format!(
        "created {} with {} files; build it with `evident --root {} build`",
        dir.display(),
        written.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
