//! The bundled relactation knowledge base: it checks without errors, its figures agree with
//! their quotes, and its main pages are snapshotted.

use evident::diag::Severity;

use crate::harness::{Site, main_of};

#[test]
fn the_bundled_site_has_no_errors_and_only_deserved_warnings() {
    let kb = Site::bundled().check();
    let errors: Vec<String> = kb
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.location, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Every warning is one an editor should see: a draft without a source, a link without a
    // quote, a figure that cannot be checked because its claim has no quote yet, or a parent's
    // wording above the reading target (which informs: verified wordings are not reworded for
    // it), or a record without authors (their names could not be verified, so they were left
    // out rather than guessed; LactMed has none). No verified wording is flagged as
    // overstating its certainty.
    for d in kb.diagnostics.iter() {
        let deserved = match d.code.as_str() {
            "source-needed" | "missing-quote" => true,
            "reading-level" => d.message.contains("for the patient audience"),
            "source-incomplete" => d.message.ends_with("has no author or editor"),
            "unsupported-figure" => d
                .message
                .contains("cannot be checked: no cited source has a quote"),
            _ => false,
        };
        assert!(
            deserved,
            "undeserved warning: {} [{}] {}",
            d.location, d.code, d.message
        );
    }
}

#[test]
fn every_figure_on_the_bundled_site_is_in_a_quote_or_awaits_one() {
    let kb = Site::bundled().check();
    for claim in kb.claims.values() {
        let figures_flagged = kb
            .diagnostics
            .iter()
            .filter(|d| {
                d.code.as_str() == "unsupported-figure" && d.location.path == claim.claim.path
            })
            .count();
        if figures_flagged == 0 {
            continue;
        }
        // A flagged figure never contradicts a quote: its claim has no quote at all, and it is
        // not published as approved.
        assert!(
            claim.claim.sources.iter().all(|l| l.quote.is_none()),
            "{}: a figure is not in its quote",
            claim.claim.id
        );
        assert!(
            !claim.status.is_approved(),
            "{}: approved with an unchecked figure",
            claim.claim.id
        );
    }
    // The headline figures of the trial are checked against its quote.
    let trial = &kb.claims["relactation-success-seema-trial"];
    assert!(trial.status.is_approved());
    assert!(
        trial.claim.statement.value.contains("98%") && trial.claim.statement.value.contains("92%")
    );
}

#[test]
fn bundled_topic_claim_and_source_pages() {
    let site = Site::bundled();
    let out = site.build();
    for (name, page) in [
        ("relactation_topic", "relactation/index.html"),
        (
            "relactation_success_claim",
            "claims/relactation-success-seema-trial/index.html",
        ),
        ("seema_trial_source", "sources/pmid9283123/index.html"),
    ] {
        let html =
            std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        insta::assert_snapshot!(name, main_of(&html));
    }
}

#[test]
fn one_bad_file_never_hides_the_problems_of_the_others() {
    let site = Site::fixture("minimal");
    site.write("content/claims/broken.yaml", "statement: [unclosed\n");
    site.write(
        "content/claims/other.yaml",
        "statement: Fine.\nkind: findng\n",
    );
    site.write("citations/broken.json", "[{\"id\": }]");
    site.write("content/page.md", "---\ntitle: x\n");
    let kb = site.check();
    let codes: Vec<(String, &str)> = kb
        .diagnostics
        .clone()
        .sorted()
        .iter()
        .map(|d| (d.location.path.clone(), d.code.as_str()))
        .collect();
    for (path, code) in [
        ("citations/broken.json", "malformed-yaml"),
        ("content/claims/broken.yaml", "malformed-yaml"),
        ("content/claims/other.yaml", "invalid-value"),
        ("content/page.md", "unclosed-front-matter"),
    ] {
        assert!(
            codes.iter().any(|(p, c)| p == path && *c == code),
            "{path} {code} missing from {codes:?}"
        );
    }
}

#[test]
fn files_over_the_size_limit_are_refused_with_a_diagnostic() {
    let site = Site::fixture("minimal");
    let big = format!(
        "statement: {}\nkind: finding\n",
        "x".repeat(evident::load::MAX_CONTENT_BYTES as usize)
    );
    site.write("content/claims/huge.yaml", &big);
    let kb = site.check();
    let d = kb
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "file-too-large")
        .expect("file-too-large");
    assert_eq!(d.location.path, "content/claims/huge.yaml");
}

#[test]
fn the_dashboard_can_be_written_apart_from_the_site() {
    let site = Site::bundled();
    let config = site
        .read("evident.yaml")
        .replace("dashboard: public", "dashboard: private");
    site.write("evident.yaml", &config);
    let out = site.beside("out");
    let dashboard = site.beside("dashboard");
    let options = evident::BuildOptions {
        out: Some(out.clone()),
        dashboard_dir: Some(dashboard.clone()),
        ..Default::default()
    };
    let built = evident::build(&site.project(), crate::harness::today(), &options).unwrap();
    assert!(built.dashboard_report.is_some());
    assert!(
        !out.join("review/index.html").exists(),
        "a private dashboard is not in the public site"
    );
    let html = std::fs::read_to_string(dashboard.join("review/index.html")).unwrap();
    // It links to the published site by absolute URL.
    assert!(
        html.contains(
            "https:&#x2f;&#x2f;example.org&#x2f;claims&#x2f;relactation-success-seema-trial"
        ),
        "absolute links"
    );
    assert!(dashboard.join("static/style.css").exists());
}
