//! `evident explain CODE`: what a diagnostic code means and how to fix it.

use std::process::ExitCode;

use evident::diag::Code;

use crate::cli::ExplainArgs;
use crate::cmd::Context;

pub fn run(_ctx: &Context, args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let Some(text) = &args.code else {
        for code in Code::ALL {
            println!("{:<28} {}", code.as_str(), code.summary());
        }
        return Ok(ExitCode::SUCCESS);
    };
    match Code::parse(text.trim()) {
        Some(code) => {
            print!("{}", evident::diag::explain::render(code));
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let close = evident::text::fields::closest(text, Code::ALL.iter().map(|c| c.as_str()));
            eprintln!(
                "error: `{text}` is not a diagnostic code{}",
                close
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            );
            eprintln!("run `evident explain` for the list");
            Ok(ExitCode::from(2))
        }
    }
}
