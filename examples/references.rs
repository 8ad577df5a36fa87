//! Prints evident's reading and formatting of bibliographic exports, one JSON object a line:
//! the file, the record's line and id, the CSL-JSON item evident keeps, and the reference as
//! each shipped style formats it. `scripts/check-references` hands the same items to
//! citeproc-js with the official styles and compares.
//!
//! ```sh
//! cargo run --example references -- [--style=RELATIVE/PATH.csl]... FILE...
//! ```

use std::path::Path;

use evident::cite::{Style, format_reference};
use evident::diag::Diagnostics;
use evident::load::citations::read_file;
use evident::model::Source;

fn main() {
    let (extra, files): (Vec<String>, Vec<String>) = std::env::args()
        .skip(1)
        .partition(|a| a.starts_with("--style="));
    let styles: Vec<Style> = evident::cite::SHIPPED
        .iter()
        .map(|name| Style::by_name(name, Path::new(".")).expect("a shipped style loads"))
        .chain(extra.iter().map(|a| {
            Style::by_name(&a["--style=".len()..], Path::new("."))
                .unwrap_or_else(|e| panic!("{a}: {e}"))
        }))
        .collect();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let extension = Path::new(&file)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let mut diagnostics = Diagnostics::new();
        let records = read_file(&extension, &text, &file, &mut diagnostics).unwrap_or_default();
        for d in diagnostics.sorted() {
            eprintln!("{file}:{}: {}", d.location.line, d.message);
        }
        for record in records {
            let source = Source::from(record);
            let formatted: serde_json::Map<String, serde_json::Value> = styles
                .iter()
                .map(|style| {
                    (
                        style.name().to_string(),
                        format_reference(&source, style).into(),
                    )
                })
                .collect();
            let line = serde_json::json!({
                "file": file,
                "line": source.pos.line,
                "id": source.id,
                "csl": source.csl,
                "formatted": formatted,
            });
            println!("{line}");
        }
    }
}
