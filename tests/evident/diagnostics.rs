//! Invalid fixture sites: one folder per diagnostic case under `tests/fixtures/invalid/`,
//! named by the code it must report (`<code>` or `<code>--<variant>`). Each is checked, must
//! report that code and nothing else, and its exact diagnostics text (path:line:column, the
//! source line and the caret) is compared with a snapshot.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use evident::diag::Code;

use crate::harness::{Site, diagnostics_text, fixtures};

/// Every case folder, sorted.
fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// The code a case folder is named after.
fn code_of(case: &str) -> &str {
    case.split_once("--").map_or(case, |(code, _)| code)
}

/// Cases about what one file says of another file's problem: besides their own code they
/// must report that cause, once, and nothing else.
const CAUSED_BY: &[(&str, &str)] = &[("unknown-claim--unreadable", "malformed-yaml")];

fn run_case(case: &str) {
    let expected = Code::parse(code_of(case))
        .unwrap_or_else(|| panic!("folder `{case}` is not named after a diagnostic code"));
    let cause = CAUSED_BY
        .iter()
        .find(|(c, _)| *c == case)
        .map(|(_, cause)| *cause);
    let site = Site::fixture(&format!("invalid/{case}"));
    let kb = site.check();
    let (diagnostics, text) = diagnostics_text(&kb);
    assert!(
        diagnostics.iter().any(|d| d.code == expected),
        "`{case}` does not report `{expected}`:\n{text}"
    );
    let others: BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .filter(|c| *c != expected.as_str() && Some(*c) != cause)
        .collect();
    if let Some(cause) = cause {
        let times = diagnostics
            .iter()
            .filter(|d| d.code.as_str() == cause)
            .count();
        assert_eq!(
            times, 1,
            "`{case}` must report its cause `{cause}` once:\n{text}"
        );
    }
    assert!(
        others.is_empty(),
        "`{case}` should show only its own problem, but also reports {others:?}:\n{text}"
    );
    insta::assert_snapshot!(case.to_string(), text);
}

#[test]
fn every_invalid_fixture_reports_its_code_exactly() {
    let cases = cases();
    assert!(!cases.is_empty());
    let mut failed = Vec::new();
    for case in &cases {
        // One failing case must not hide the others; a panic in evident is a failure too.
        if catch_unwind(AssertUnwindSafe(|| run_case(case))).is_err() {
            failed.push(case.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "failing cases (see the panics above): {failed:?}"
    );
}

#[test]
fn the_required_cases_have_fixtures() {
    let have: BTreeSet<String> = cases().iter().map(|c| code_of(c).to_string()).collect();
    let required = [
        "unknown-source",
        "unknown-claim",
        "unknown-citation",
        "duplicate-id",
        "malformed-yaml",
        "unknown-field",
        "unknown-reviewer",
        "reserved-slug",
        "slug-clash",
        "missing-front-matter",
        "unclosed-front-matter",
        "invalid-value",
        "invalid-date",
        "empty-file",
        "not-utf8",
        "unsupported-figure",
        "grade-above-design",
        "embeds-retired",
        "replaced-by-cycle",
        "missing-quote",
        "source-unused",
    ];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !have.contains(*c))
        .collect();
    assert!(missing.is_empty(), "no fixture for {missing:?}");
    for case in ["duplicate-id--claims", "duplicate-id--sources"] {
        assert!(cases().iter().any(|c| c == case), "no fixture {case}");
    }
}

/// A duplicate claim names both files: one as the location, the other as related.
#[test]
fn duplicate_claim_names_both_files() {
    let kb = Site::fixture("invalid/duplicate-id--claims").check();
    let (diagnostics, _) = diagnostics_text(&kb);
    let [d] = diagnostics.as_slice() else {
        panic!("{diagnostics:?}")
    };
    let mut paths = vec![
        d.location.path.as_str(),
        d.related[0].location.path.as_str(),
    ];
    paths.sort();
    assert_eq!(
        paths,
        [
            "content/claims/first/claim-a.yaml",
            "content/claims/second/claim-a.yaml"
        ]
    );
}

/// The invalid cases are tiny variations of `tests/fixtures/minimal`; it and the other valid
/// fixture must be clean, or every case would carry their problems.
#[test]
fn the_valid_fixtures_are_clean() {
    for name in ["minimal", "crosslinks"] {
        let kb = Site::fixture(name).check();
        let (diagnostics, text) = diagnostics_text(&kb);
        assert!(diagnostics.is_empty(), "{name}:\n{text}");
    }
}
