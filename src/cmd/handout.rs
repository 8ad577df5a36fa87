//! `evident handout TOPIC`: one topic's printable handout, as PDF and/or print HTML.

use std::process::ExitCode;

use evident::edit::handout::{Target, write_standalone};
use evident::render::Face;
use evident::render::handout::{HandoutOptions, HandoutTheme, Paper};

use crate::cli::{HandoutArgs, PaperArg};
use crate::cmd::{Context, print_diagnostics};

pub fn run(ctx: &Context, args: &HandoutArgs) -> anyhow::Result<ExitCode> {
    // A handout follows the face: a draft shows the current text of everything (the
    // preview's), a handout for readers only what the public site shows.
    let face = if args.draft {
        Face::Preview
    } else {
        Face::Public
    };
    let kb = evident::check_face(&ctx.project, ctx.today, face)?;
    if kb.diagnostics.has_errors() {
        // Like build: a handout is never made from content that does not check.
        let diagnostics = kb.diagnostics.clone().sorted();
        print_diagnostics(
            ctx,
            &diagnostics,
            crate::cli::DiagnosticFormat::Human,
            &kb.texts,
        );
        eprintln!("handout not written: fix the errors above");
        return Ok(ExitCode::from(1));
    }
    let slug = args.topic.strip_prefix("topic:").unwrap_or(&args.topic);
    let options = HandoutOptions {
        audience: args
            .audience
            .clone()
            .or_else(|| kb.config.audiences.first().map(|a| a.id.clone())),
        paper: args.paper.map(|p| match p {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        }),
        draft: args.draft,
        large_print: args.large_print,
    };
    let target = match &args.out {
        Some(file) => Target::File(ctx.arg_path(file)),
        None => Target::OutputFolder(ctx.project.default_output()),
    };
    let theme = HandoutTheme::load(&ctx.project.themes_dir(), &kb.config.theme)?;
    // Characters of the PDF no font has: warned about at the files that write them.
    if let Ok(made) = evident::render::handout::handout(&kb, slug, &options) {
        let missing = evident::render::handout::glyph_warnings(&kb, &theme, &made);
        if !missing.is_empty() {
            let format = crate::cli::DiagnosticFormat::Human;
            print_diagnostics(ctx, &missing.sorted(), format, &kb.texts);
        }
    }
    let written = match write_standalone(&kb, &theme, slug, &options, &target) {
        Ok(written) => written,
        Err(e) if e.is::<evident::render::handout::HandoutError>() => {
            // An unknown topic or audience is a mistake on the command line.
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e),
    };
    for file in written {
        ctx.say(format!(
            "{} {}",
            if file.changed { "wrote" } else { "unchanged" },
            file.path.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
