//! One module per command, each a thin function over the library.

pub mod build;
pub mod check;
pub mod explain;
pub mod handout;
pub mod import;
pub mod init;
pub mod new;
pub mod review;
pub mod schema;
pub mod serve;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use evident::diag::{self, Diagnostic};
use evident::project::Project;

use crate::cli::{ColorChoice, DiagnosticFormat, Global};

/// Settings every command shares, worked out once from the global flags.
pub struct Context {
    pub project: Project,
    pub cwd: PathBuf,
    pub today: jiff::civil::Date,
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

impl Context {
    pub fn new(global: &Global, today: jiff::civil::Date) -> anyhow::Result<Context> {
        let cwd = std::env::current_dir()?;
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        };
        Ok(Context {
            project: Project::locate(global.root.as_deref(), &cwd),
            cwd,
            today,
            quiet: global.quiet,
            verbose: global.verbose,
            color,
        })
    }

    /// A path given on the command line, relative to where the command was run.
    pub fn arg_path(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        }
    }

    pub fn say(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }
}

/// Prints diagnostics (JSON and GitHub formats on stdout, text on stderr) and the summary line.
pub fn print_diagnostics(
    ctx: &Context,
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
    texts: &std::collections::BTreeMap<String, String>,
) {
    let format = match format {
        DiagnosticFormat::Human => evident::diag::report::Format::Human,
        DiagnosticFormat::Json => evident::diag::report::Format::Json,
        DiagnosticFormat::Github => evident::diag::report::Format::Github,
    };
    let text = evident::diag::report::render(diagnostics, format, texts, ctx.color);
    if format == evident::diag::report::Format::Human {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if !ctx.quiet || errors > 0 {
        eprintln!("{}", diag::summary(errors, warnings));
    }
}
