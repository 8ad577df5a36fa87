//! Front matter splitting and topic parsing never panic, and offsets stay in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = evident::text::markdown::split_front_matter(text) {
        assert!(split.body_offset <= text.len());
        assert_eq!(&text[split.body_offset..], split.body);
    }
    let mut diagnostics = evident::diag::Diagnostics::new();
    let _ = evident::load::parse_topic(text, "fuzz.md", "fuzz", &mut diagnostics);
});
