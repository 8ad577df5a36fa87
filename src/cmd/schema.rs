//! `evident schema`: JSON Schemas of the file formats, for editors.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::SchemaArgs;
use crate::cmd::Context;

pub fn run(ctx: &Context, args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    let schemas = evident::load::schema::all();
    let Some(out) = &args.out else {
        // One JSON document, so that the output can be piped into a JSON tool whole.
        let combined: serde_json::Map<String, serde_json::Value> = schemas
            .into_iter()
            .map(|(name, schema)| (name.to_string(), schema))
            .collect();
        let text = serde_json::to_string_pretty(&combined)?;
        return match writeln!(std::io::stdout().lock(), "{text}") {
            // Piped into `head`: the reader has what it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            result => result.map(|()| ExitCode::SUCCESS).map_err(Into::into),
        };
    };
    let dir = ctx.arg_path(out);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, schema) in &schemas {
        let path = dir.join(name);
        let mut text = serde_json::to_string_pretty(schema)?;
        text.push('\n');
        // Replaced, not written through: a link at the name is replaced, its target untouched.
        evident::edit::file::replace_atomically(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    ctx.say(format!(
        "wrote {} schemas into {}",
        schemas.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
