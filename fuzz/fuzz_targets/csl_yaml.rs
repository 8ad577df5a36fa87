//! Any text given to the CSL-YAML reader: it must not panic, every diagnostic must point inside
//! the text, and every record it yields must survive `evident import`'s CSL-YAML round trip.
#![no_main]

use evident::edit::import::to_csl_yaml;
use evident::load::citations::read_csl_yaml;
use evident::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut diagnostics = Diagnostics::new();
    let records = read_csl_yaml(text, "citations/fuzz", &mut diagnostics);
    // YAML breaks lines at a lone carriage return too (YAML 1.2, 5.4), as editors show it.
    let lines = text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count() as u32;
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
});
