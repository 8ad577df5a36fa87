//! The published answer page this project grew from, encoded as it was published
//! (tests/fixtures/original-page): check must flag its dangling references 5 and 6 and the
//! figures it pinned on the 366-case study.

use evident::diag::{Diagnostic, Severity};

use crate::harness::Site;

fn found<'a>(
    diagnostics: &'a [Diagnostic],
    code: &str,
    file: &str,
    needle: &str,
) -> Option<&'a Diagnostic> {
    diagnostics.iter().find(|d| {
        d.code.as_str() == code && d.location.path.ends_with(file) && d.message.contains(needle)
    })
}

#[test]
fn check_flags_the_dangling_references_and_the_misattributed_figures() {
    let site = Site::fixture("original-page");
    let kb = site.check();
    let diagnostics = kb.diagnostics.clone().sorted();
    for (file, reference) in [
        ("c20-time-to-maximum.yaml", "ref5"),
        ("c22-domperidone-rid.yaml", "ref6"),
    ] {
        let d = found(
            &diagnostics,
            "unknown-source",
            file,
            &format!("`{reference}`"),
        )
        .unwrap_or_else(|| panic!("reference {reference} not flagged"));
        assert_eq!(d.severity, Severity::Error);
        assert_eq!((d.location.line, d.location.column), (4, 9));
    }
    for (file, figure) in [
        ("c18-success-rates.yaml", "`98%`"),
        ("c18-success-rates.yaml", "`92%`"),
        ("c15-small-retracted-nipples.yaml", "`8%`"),
        ("c16-sore-fissured-nipples.yaml", "`4%`"),
    ] {
        let d = found(&diagnostics, "unsupported-figure", file, figure)
            .unwrap_or_else(|| panic!("{figure} in {file} not flagged"));
        assert!(
            d.message.contains("`ref1`"),
            "{figure}: the message names the 366-case study: {}",
            d.message
        );
        assert_eq!(d.location.line, 1);
    }
    // The 366-case study's own sample size is not mistaken for support.
    assert!(
        found(
            &diagnostics,
            "unsupported-figure",
            "c18-success-rates.yaml",
            "366"
        )
        .is_none()
    );
    assert!(
        kb.diagnostics.has_errors(),
        "the page as published must not build"
    );
}
