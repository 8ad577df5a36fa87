//! The public site is built from what reviewers approved: `review approve` keeps the approved
//! version under `reviewed/`; an edit after approval changes the preview, not the public page;
//! a tampered approved version, or one its file does not record, stops the public build.

use evident::edit::review::{Target, write_edit};
use evident::model::ReviewAction;

use crate::harness::{Site, main_of, today};

const CONFIG: &str = "title: Widgets\nbase_url: https://example.org/\nreviewers:\n  - {id: ann, name: Ann Example (fictional), credentials: BSc}\n  - {id: bob, name: Bob Example (fictional), credentials: MSc}\nreview:\n  publish: approved-only\n  forbid_self_approval: true\n";
const SOURCES: &str = "- id: s1\n  type: article-journal\n  title: Lifetimes of blue widgets\n  issued: {date-parts: [[2020]]}\n  design: rct\n  sample_size: 40\n";
const CLAIM: &str = "content/claims/widget-life.yaml";
const DRAFT: &str = "content/claims/widget-colour.yaml";
const TOPIC: &str = "content/widgets/index.md";

fn site() -> Site {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    let site = Site { tmp, root };
    site.write("evident.yaml", CONFIG);
    site.write("citations/sources.yaml", SOURCES);
    site.write(
        CLAIM,
        "statement: Blue widgets lasted 40 days in a trial of 40 widgets.\nkind: finding\ncertainty: moderate\nsources:\n  - id: s1\n    locator: abstract\n    quote: \"the 40 widgets lasted 40 days on average\"\nreview:\n  status: draft\n",
    );
    site.write(
        DRAFT,
        "statement: Green widgets are sturdier.\nkind: finding\nreview:\n  status: draft\n",
    );
    site.write(
        TOPIC,
        "---\ntitle: Widgets\nsummary: How long widgets last.\n---\n\nWhat we know.\n\n- [[widget-life]]\n- [[widget-colour]]\n",
    );
    site
}

#[track_caller]
fn decide_and_write(site: &Site, target: Target, action: ReviewAction, by: &str) {
    let edit = site.decide(&target.name(), action, by).unwrap();
    write_edit(&site.root, &edit).unwrap();
}

#[track_caller]
fn approve(site: &Site, target: Target) {
    decide_and_write(site, target.clone(), ReviewAction::Submit, "ann");
    decide_and_write(site, target.clone(), ReviewAction::Start, "bob");
    decide_and_write(site, target, ReviewAction::Approve, "bob");
}

fn approved_site() -> Site {
    let site = site();
    approve(&site, Target::Claim("widget-life".into()));
    approve(&site, Target::Topic("widgets".into()));
    site
}

#[test]
fn approving_keeps_the_approved_version_with_its_cited_sources() {
    let site = approved_site();
    let copy = site.read("reviewed/content/claims/widget-life.yaml");
    let current = site.read(CLAIM);
    assert!(
        copy.ends_with(&current),
        "the copy holds the approved file whole"
    );
    assert!(copy.contains("\n# cited: [{"), "{copy}");
    assert!(
        copy.contains("\"title\":\"Lifetimes of blue widgets\""),
        "{copy}"
    );
    assert_eq!(
        site.read("reviewed/content/widgets/index.md"),
        site.read(TOPIC)
    );
    assert!(
        !site.path("reviewed/.lock").exists(),
        "the lock is released"
    );
}

#[test]
fn the_public_page_keeps_the_approved_wording_after_an_edit() {
    let site = approved_site();
    let edited = site
        .read(CLAIM)
        .replace("lasted 40 days", "lasted 40 days (edited)");
    site.write(CLAIM, &edited);
    let out = site.build();
    let claim = std::fs::read_to_string(out.join("claims/widget-life/index.html")).unwrap();
    assert!(main_of(&claim).contains("Blue widgets lasted 40 days in a trial"));
    assert!(!claim.contains("(edited)"), "the edit is not public yet");
    let topic = std::fs::read_to_string(out.join("widgets/index.html")).unwrap();
    assert!(main_of(&topic).contains("Blue widgets lasted 40 days in a trial"));
    assert!(!topic.contains("(edited)"));
    // The never-approved draft embedded in the approved page is not there, and leaves no gap.
    assert!(!topic.contains("Green widgets"), "a draft is not public");
    assert!(!topic.contains("Missing claim"));
    assert!(!out.join("claims/widget-colour").exists());
}

#[test]
fn a_page_never_approved_is_not_published() {
    let site = site();
    approve(&site, Target::Claim("widget-life".into()));
    let out = site.build();
    assert!(out.join("claims/widget-life/index.html").exists());
    assert!(
        !out.join("widgets").exists(),
        "the topic was never approved"
    );
}

#[test]
fn a_tampered_approved_version_stops_the_public_build() {
    let site = approved_site();
    let copy = "reviewed/content/claims/widget-life.yaml";
    site.write(
        copy,
        &site.read(copy).replace("lasted 40 days", "lasted 50 days"),
    );
    let out = site.beside("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "previous").unwrap();
    let built = site.build_into(&out).unwrap();
    assert!(built.report.is_none(), "nothing written");
    let error = built
        .kb
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "approved-version")
        .expect("an approved-version diagnostic");
    assert_eq!(error.severity, evident::diag::Severity::Error);
    assert_eq!(error.location.path, copy);
    assert!(
        error.message.contains("changed after its approval"),
        "{}",
        error.message
    );
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "previous"
    );
}

#[test]
fn an_approved_version_its_file_does_not_record_is_an_error() {
    let site = approved_site();
    // The claim's history is rewritten by hand: its approval is gone.
    let current = site.read(CLAIM);
    let cut = current.find("review:").unwrap();
    site.write(
        CLAIM,
        &format!("{}review:\n  status: draft\n", &current[..cut]),
    );
    let kb = evident::public(&site.project(), today()).unwrap();
    let d = kb
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "approved-version")
        .expect("diagnostic");
    assert!(d.message.contains("does not"), "{}", d.message);
    assert!(!kb.claims["widget-life"].published);
}

#[test]
fn a_source_deleted_after_approval_stops_the_public_build() {
    let site = approved_site();
    site.write("citations/sources.yaml", "[]\n");
    let built = site.build_into(&site.beside("out")).unwrap();
    assert!(built.report.is_none());
    let paths: Vec<&str> = built
        .kb
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unknown-source")
        .map(|d| d.location.path.as_str())
        .collect();
    assert!(paths.contains(&CLAIM), "{paths:?}");
}

#[test]
fn a_source_retracted_after_approval_keeps_the_approved_version_verifiable() {
    let site = approved_site();
    let edited = site
        .read(CLAIM)
        .replace("lasted 40 days", "lasted 40 days (edited)");
    site.write(CLAIM, &edited);
    site.write(
        "citations/sources.yaml",
        &format!("{SOURCES}  retracted: {{date: 2026-01-01, notice: Data were wrong.}}\n"),
    );
    let kb = evident::public(&site.project(), today()).unwrap();
    let errors: Vec<String> = kb
        .diagnostics
        .iter()
        .filter(|d| d.severity == evident::diag::Severity::Error)
        .map(|d| format!("{} {} {}", d.location, d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let claim = &kb.claims["widget-life"];
    assert!(claim.published, "still shown, under its retraction");
    assert!(claim.cites_retracted);
    assert!(!claim.claim.statement.value.contains("(edited)"));
}

#[test]
fn the_output_folder_may_not_hold_the_approved_versions() {
    let site = approved_site();
    let inside = site.path("reviewed/site");
    let error = site.build_into(&inside).unwrap_err();
    assert!(format!("{error:#}").contains("reviewed"), "{error:#}");
}

#[test]
fn an_approved_version_of_a_deleted_file_is_reported() {
    let site = approved_site();
    site.remove(CLAIM);
    site.write(TOPIC, &site.read(TOPIC).replace("- [[widget-life]]\n", ""));
    let kb = evident::public(&site.project(), today()).unwrap();
    let d = kb
        .diagnostics
        .iter()
        .find(|d| d.location.path == "reviewed/content/claims/widget-life.yaml")
        .expect("a diagnostic at the orphaned copy");
    assert_eq!(d.code.as_str(), "approved-version");
    assert_eq!(d.severity, evident::diag::Severity::Warning);
    assert!(d.message.contains("no longer has"), "{}", d.message);
}
