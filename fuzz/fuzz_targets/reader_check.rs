//! What every reader's fuzz target asserts of any text: the reader does not panic, every
//! diagnostic points inside the text, and every record it yields survives `evident import`'s
//! CSL-YAML round trip.

// Each target counts lines one of the two ways; the other is unused in its binary.
#![allow(dead_code)]

use evident::diag::Diagnostics;
use evident::edit::import::to_csl_yaml;
use evident::load::citations::{SourceRecord, read_csl_yaml};

/// A reader of one export format, as `evident::load::citations` has them.
pub type Reader = fn(&str, &str, &mut Diagnostics) -> Vec<SourceRecord>;

/// Runs `read` on `text` and checks the three properties; `lines` is how many lines the
/// text has in that format's own reckoning.
pub fn check(read: Reader, text: &str, lines: u32) {
    let mut diagnostics = Diagnostics::new();
    let records = read(text, "citations/fuzz", &mut diagnostics);
    for d in diagnostics.iter() {
        assert!(d.location.line >= 1 && d.location.line <= lines, "{d:?}");
    }
    for record in records {
        let yaml = to_csl_yaml(&record, "fuzz");
        let mut back_diagnostics = Diagnostics::new();
        let back = read_csl_yaml(&yaml, "back.yaml", &mut back_diagnostics);
        assert!(back_diagnostics.is_empty(), "{yaml}");
        assert_eq!(back.len(), 1, "{yaml}");
        assert_eq!(back[0].csl, record.csl, "{yaml}");
    }
}

/// Lines as the line-oriented formats count them: broken at `\n`.
pub fn lines(text: &str) -> u32 {
    text.split('\n').count() as u32
}

/// Lines as YAML counts them: a lone carriage return breaks a line too (YAML 1.2, 5.4), as
/// editors show it.
pub fn yaml_lines(text: &str) -> u32 {
    text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count() as u32
}
