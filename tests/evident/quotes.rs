//! A quote located in the abstract must be in the abstract its source's record carries,
//! whatever export the record was read from; the abstract itself never reaches a page.

use evident::diag::{Code, Diagnostic};

use crate::harness::{Site, diagnostics_text, html_files};

/// A made-up abstract, the same in every export format below.
const ABSTRACT: &str = "Forty kites were flown on a windy hill. Of these, 31 (78 per cent) stayed up for an hour; the longest flight took three hours.";

/// `(file, text, source id)`: one record carrying [`ABSTRACT`], per format.
fn exports() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "kites.nbib",
            format!(
                "PMID- 1000001\nTI  - Kites on a hill.\nDP  - 2020\nAB  - {ABSTRACT}\nFAU - Flyer, Ann\nAU  - Flyer A\n"
            ),
            "pmid1000001",
        ),
        (
            "kites.ris",
            format!(
                "TY  - JOUR\nID  - kites-ris\nTI  - Kites on a hill\nPY  - 2020\nN2  - {ABSTRACT}\nER  - \n"
            ),
            "kites-ris",
        ),
        (
            "kites.bib",
            format!(
                "@article{{kites-bib,\n  title = {{Kites on a hill}},\n  year = {{2020}},\n  abstract = {{{ABSTRACT}}}\n}}\n"
            ),
            "kites-bib",
        ),
        (
            "kites.json",
            format!(
                "[{{\"id\": \"kites-json\", \"type\": \"article-journal\", \"title\": \"Kites on a hill\", \"abstract\": \"{ABSTRACT}\"}}]\n"
            ),
            "kites-json",
        ),
    ]
}

fn claim(id: &str, locator: &str, quote: &str, extra: &str) -> String {
    format!(
        "statement: Most kites stayed up.\nkind: finding\ncertainty: low\ncertainty_reason: One study.\nsources:\n  - id: {id}\n    locator: {locator}\n    quote: \"{quote}\"\n{extra}review:\n  status: draft\n"
    )
}

/// The `quote-not-in-source` warnings of the site, sorted.
fn quote_warnings(site: &Site) -> Vec<Diagnostic> {
    let (diagnostics, _) = diagnostics_text(&site.check());
    diagnostics
        .into_iter()
        .filter(|d| d.code == Code::QuoteNotInSource)
        .collect()
}

#[test]
fn every_export_format_keeps_the_abstract_for_the_quote_check() {
    for (file, text, id) in exports() {
        let site = Site::fixture("minimal");
        site.write(&format!("citations/{file}"), &text);
        let copied = "of these, 31 (78 per cent) stayed up … the longest flight took three hours.";
        site.write(
            "content/claims/kites.yaml",
            &claim(id, "abstract", copied, ""),
        );
        assert_eq!(quote_warnings(&site), [], "{file}");

        site.write(
            "content/claims/kites.yaml",
            &claim(id, "Abstract", "Of these, 31 (80 per cent) stayed up", ""),
        );
        let warnings = quote_warnings(&site);
        let [d] = warnings.as_slice() else {
            panic!("{file}: {warnings:?}")
        };
        assert_eq!(d.location.to_string(), "content/claims/kites.yaml:8:12");
        assert!(
            d.hints[0].contains("\"Of these, 31 (78 per cent) stayed up"),
            "{file}: {:?}",
            d.hints
        );
    }
}

#[test]
fn only_quotes_located_in_an_abstract_the_record_carries_are_checked() {
    let (file, text, id) = exports().remove(0);
    let site = Site::fixture("minimal");
    site.write(&format!("citations/{file}"), &text);
    let wrong = "Of these, 30 stayed up";
    // Elsewhere in the source: the record does not carry that text.
    site.write("content/claims/kites.yaml", &claim(id, "p. 3", wrong, ""));
    assert_eq!(quote_warnings(&site), []);
    // A source without an abstract (the fixture's own `src-a`).
    site.write(
        "content/claims/kites.yaml",
        &claim("src-a", "abstract", wrong, ""),
    );
    assert_eq!(quote_warnings(&site), []);
    // Silenced with a reason.
    let allow = "allow:\n  - {code: quote-not-in-source, reason: Translated from the French.}\n";
    site.write(
        "content/claims/kites.yaml",
        &claim(id, "abstract", wrong, allow),
    );
    assert_eq!(quote_warnings(&site), []);
    site.write(
        "content/claims/kites.yaml",
        &claim(id, "abstract", wrong, ""),
    );
    assert_eq!(quote_warnings(&site).len(), 1);
}

#[test]
fn the_abstract_is_on_no_page() {
    let (file, text, id) = exports().remove(0);
    let site = Site::fixture("minimal");
    site.write(&format!("citations/{file}"), &text);
    site.write(
        "content/claims/kites.yaml",
        &claim(id, "abstract", "Of these, 31 (78 per cent) stayed up", ""),
    );
    let out = site.build();
    for (page, html) in html_files(&out) {
        assert!(!html.contains("windy hill"), "{page} shows the abstract");
    }
}
