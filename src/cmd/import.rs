//! `evident import FILE [--into DIR] [--update]`: an export becomes CSL-YAML files, one per
//! record. Exit 1 when some records were not written (duplicates of works the site holds,
//! conflicts), 2 when the export cannot be read.

use std::process::ExitCode;

use crate::cli::ImportArgs;
use crate::cmd::{Context, print_diagnostics};

pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let file = ctx.arg_path(&args.file);
    let into = args.into.as_deref().map(|p| ctx.arg_path(p));
    let report = evident::edit::import::import(&ctx.project, &file, into.as_deref(), args.update)?;
    for path in report.written.iter().chain(&report.updated) {
        // What was written or updated goes to stdout, one path a line, so it can be piped
        // (git add).
        println!("{}", ctx.project.relative(path));
    }
    let diagnostics = report.diagnostics.clone().sorted();
    if !diagnostics.is_empty() {
        let mut texts = std::collections::BTreeMap::new();
        if let Ok(text) = std::fs::read_to_string(&file) {
            texts.insert(file.display().to_string(), text);
        }
        print_diagnostics(ctx, &diagnostics, args.format, &texts);
    }
    if report.unreadable {
        eprintln!(
            "error: {} could not be read; nothing was imported",
            args.file.display()
        );
        return Ok(ExitCode::from(2));
    }
    ctx.say(format!(
        "imported {} source{}{}{}{}",
        report.written.len(),
        if report.written.len() == 1 { "" } else { "s" },
        match report.updated.len() {
            0 => String::new(),
            n => format!("; updated {n} file{}", if n == 1 { "" } else { "s" }),
        },
        match report.unchanged {
            0 => String::new(),
            n => format!("; {n} already in the site with nothing to add"),
        },
        match report.conflicts() {
            0 => String::new(),
            n => format!("; {n} not imported (see above)"),
        }
    ));
    Ok(if report.conflicts() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
