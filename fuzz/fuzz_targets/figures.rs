//! Figure extraction: never panics, ranges are char boundaries and match the figure text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, &str)| {
    let (statement, quote) = data;
    for figure in evident::text::figures::extract(statement) {
        assert_eq!(&statement[figure.start..figure.end], figure.text);
    }
    let evidence = evident::text::figures::Evidence { quotes: vec![quote], numbers: vec![50.0, 1997.0], derived: vec![] };
    let _ = evident::text::figures::unsupported(statement, &evidence);
    // A text always supports its own figures.
    let own = evident::text::figures::Evidence { quotes: vec![statement], numbers: vec![], derived: vec![] };
    assert!(evident::text::figures::unsupported(statement, &own).is_empty());
});
