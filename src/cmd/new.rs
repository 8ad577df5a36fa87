//! `evident new claim|topic|source ID`.

use std::process::ExitCode;

use evident::edit::scaffold::{NewKind, new_file};

use crate::cli::{NewArgs, NewKindArg};
use crate::cmd::Context;

pub fn run(ctx: &Context, args: &NewArgs) -> anyhow::Result<ExitCode> {
    let kind = match args.kind {
        NewKindArg::Claim => NewKind::Claim,
        NewKindArg::Topic => NewKind::Topic,
        NewKindArg::Source => NewKind::Source,
    };
    let path = new_file(&ctx.project.root, kind, &args.id)?;
    ctx.say(format!(
        "created {}; fill it in, then run `evident check`",
        path.display()
    ));
    Ok(ExitCode::SUCCESS)
}
