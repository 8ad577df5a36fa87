//! Any CSL-JSON text read as sources and formatted in every shipped style: neither the reader
//! nor the formatting may panic (a panic inside hayagriva is caught, and the reference is then
//! what the record holds), and a reference stays within reason of the record's size.
#![no_main]

use std::path::Path;

use evident::cite::{SHIPPED, Style, format_reference};
use evident::diag::Diagnostics;
use evident::load::citations::read_csl_json;
use evident::model::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut diagnostics = Diagnostics::new();
    let records = read_csl_json(text, "citations/fuzz.json", &mut diagnostics);
    let styles: Vec<Style> = SHIPPED
        .iter()
        .map(|name| Style::by_name(name, Path::new(".")).unwrap())
        .collect();
    for record in records {
        let source = Source::from(record);
        for style in &styles {
            let reference = format_reference(&source, style);
            assert!(reference.len() <= 4 * text.len() + 1024, "{reference}");
        }
    }
});
