//! Incremental rebuilds (`serve`): after each kind of edit, taken in through
//! [`Session::update`], the site served is byte for byte a clean build of the same files with
//! the same options, and the diagnostics are a full check's. The edits must take the
//! incremental path and re-render only a few pages, so these tests cannot pass by falling
//! back to a full rebuild every time.

use std::collections::BTreeMap;

use evident::diag::Diagnostic;
use evident::render::{Face, Handouts, RenderOptions};
use evident::serve::session::{Mode, Session};

use crate::harness::{Site, today};

/// What `serve` renders of `face` (`serve` the preview, `serve --public` the public face):
/// HTML handouts only, search on.
fn serve_options(face: Face) -> RenderOptions {
    RenderOptions {
        face,
        handouts: Handouts::HtmlOnly,
        ..RenderOptions::default()
    }
}

/// A clean check and render of `face` of the site as it is on disk.
#[track_caller]
fn clean(site: &Site, face: Face) -> (BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let kb = evident::check_face(&site.project(), today(), face).unwrap();
    let files = evident::render_site(&site.project(), &kb, &serve_options(face)).unwrap();
    (files, kb.diagnostics.sorted())
}

#[track_caller]
fn served(session: &Session) -> BTreeMap<String, Vec<u8>> {
    session
        .served()
        .expect("a site is served")
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect()
}

fn without_index(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&str, &[u8]> {
    files
        .iter()
        .filter(|(path, _)| !path.starts_with("pagefind/"))
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
        .collect()
}

/// Fails naming the files that differ, rather than printing megabytes.
#[track_caller]
fn assert_same_files(served: BTreeMap<&str, &[u8]>, clean: BTreeMap<&str, &[u8]>, after: &str) {
    let mut differing: Vec<&str> = clean
        .iter()
        .filter(|(path, bytes)| served.get(*path) != Some(*bytes))
        .map(|(path, _)| *path)
        .collect();
    differing.extend(served.keys().filter(|p| !clean.contains_key(*p)));
    assert!(
        differing.is_empty(),
        "after {after}, the served site differs from a clean build in {differing:?}"
    );
}

/// Renders both phases, then compares everything but the search index with a clean build.
#[track_caller]
fn render_and_compare(session: &mut Session, site: &Site, after: &str) -> usize {
    let face = session.kb().face;
    let rendered = session
        .render_pages()
        .unwrap()
        .unwrap_or_else(|| panic!("after {after}: content errors {:#?}", errors(session)));
    session.render_aggregates().unwrap();
    let (files, diagnostics) = clean(site, face);
    assert_same_files(
        without_index(&served(session)),
        without_index(&files),
        after,
    );
    assert_eq!(
        session.kb().diagnostics.clone().sorted(),
        diagnostics,
        "after {after}, the diagnostics differ from a full check's"
    );
    rendered.rendered
}

fn errors(session: &Session) -> Vec<String> {
    session
        .kb()
        .diagnostics
        .iter()
        .filter(|d| d.severity == evident::diag::Severity::Error)
        .map(|d| format!("{} {} {}", d.location, d.code, d.message))
        .collect()
}

/// Replaces `from` by `to` in the file at `rel`, which must contain it.
#[track_caller]
fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

const CLAIM: &str = "content/claims/relactation/relactation-success-seema-trial.yaml";
const TOPIC: &str = "content/relactation/index.md";
const EVIDENCE: &str = "citations/evidence.yaml";

#[test]
fn each_kind_of_edit_is_incremental_and_gives_a_clean_build_s_bytes() {
    edits_are_incremental(Face::Preview);
}

#[test]
fn on_the_public_face_too() {
    edits_are_incremental(Face::Public);
}

#[track_caller]
fn edits_are_incremental(face: Face) {
    // On the public face of a site under `publish: approved` an edit is taken in whole (the
    // approved versions stand in for the files): this is the incremental path of both faces.
    let site = Site::bundled_internal();
    let mut session = Session::load(site.project(), today(), serve_options(face)).unwrap();
    let everything = render_and_compare(&mut session, &site, "the first build");

    let edits: [(&str, &str, &str, &str); 7] = [
        (
            "a claim's statement",
            CLAIM,
            "statement: In a trial of 50 mothers of hospitalised infants,",
            "statement: In a trial of 50 mothers of infants in hospital,",
        ),
        (
            "a figure of a claim",
            CLAIM,
            "98% relactated and 92% relactated completely.\nkind",
            "98% relactated and 93% relactated completely.\nkind",
        ),
        (
            "a claim's sources",
            CLAIM,
            "    relation: supports\ntags",
            "    relation: supports\n  - id: pmid7354969\n    locator: abstract\n    relation: qualifies\ntags",
        ),
        (
            "a claim's review status",
            CLAIM,
            "review:\n  status: approved",
            "review:\n  status: in-review",
        ),
        (
            "a topic's body",
            TOPIC,
            "What is known about it comes from small studies",
            "What is known about it comes from a few small studies",
        ),
        (
            "a source's sample size",
            EVIDENCE,
            "- id: pmid9283123\n  design: rct\n  sample_size: 50",
            "- id: pmid9283123\n  design: rct\n  sample_size: 51",
        ),
        (
            "a source's design",
            EVIDENCE,
            "- id: pmid7354969\n  design: survey",
            "- id: pmid7354969\n  design: cohort",
        ),
    ];
    for (what, rel, from, to) in edits {
        edit(&site, rel, from, to);
        let mode = session.update(&[rel.to_string()]).unwrap();
        assert_eq!(mode, Mode::Incremental, "{what}");
        let rendered = render_and_compare(&mut session, &site, what);
        assert!(
            rendered * 4 < everything,
            "{what}: {rendered} of {everything} pages re-rendered"
        );
    }

    // A made-up abstract without the claim's quote: the quote check warns as in a full
    // check. Every page listing the source's reference is rendered again (its CSL record
    // changed), so this edit is not held to the page count above.
    let json = "citations/relactation.json";
    edit(
        &site,
        json,
        "\"title\": \"Relactation: an effective intervention to promote exclusive breastfeeding\",",
        "\"title\": \"Relactation: an effective intervention to promote exclusive breastfeeding\",\n    \"abstract\": \"A made-up abstract for this test, without the quoted sentence.\",",
    );
    assert_eq!(
        session.update(&[json.to_string()]).unwrap(),
        Mode::Incremental
    );
    render_and_compare(&mut session, &site, "a source's abstract");
    assert!(
        session
            .kb()
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "quote-not-in-source" && d.location.path == CLAIM),
        "the quote check ran on the edit"
    );

    // The search index, once built from the served pages, is the clean build's too.
    let input = session.search_input().unwrap();
    let index = evident::render::search::index_pages(
        input.pages(),
        &input.language,
        input.keep_index_url,
        &|| false,
    )
    .unwrap()
    .unwrap();
    session.install_search_index(index);
    let (files, _) = clean(&site, face);
    let served = served(&session);
    assert!(served.keys().any(|p| p.starts_with("pagefind/")));
    assert_same_files(
        served
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect(),
        files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect(),
        "the search index",
    );
}

#[test]
fn a_save_that_changes_nothing_renders_nothing() {
    let site = Site::bundled();
    let mut session = Session::load(site.project(), today(), serve_options(Face::Preview)).unwrap();
    session.render_pages().unwrap().unwrap();
    let text = site.read(CLAIM);
    site.write(CLAIM, &text);
    assert_eq!(
        session.update(&[CLAIM.to_string()]).unwrap(),
        Mode::Unchanged
    );
    // A file that came and went within one burst (an editor's temporary file) is no change.
    assert_eq!(
        session
            .update(&["content/claims/.tmp-1234".to_string()])
            .unwrap(),
        Mode::Unchanged
    );
}

#[test]
fn a_content_error_keeps_the_last_good_site_until_it_is_fixed() {
    let site = Site::bundled();
    let mut session = Session::load(site.project(), today(), serve_options(Face::Preview)).unwrap();
    render_and_compare(&mut session, &site, "the first build");
    let good = served(&session);

    edit(&site, CLAIM, "  - id: pmid9283123", "  - id: pmid9283124");
    assert_eq!(
        session.update(&[CLAIM.to_string()]).unwrap(),
        Mode::Incremental
    );
    assert!(session.render_pages().unwrap().is_none());
    assert_eq!(served(&session), good, "the last good site is still served");
    assert!(
        errors(&session)
            .iter()
            .any(|e| e.contains("unknown-source")),
        "{:?}",
        errors(&session)
    );
    assert_eq!(
        session.kb().diagnostics.clone().sorted(),
        clean(&site, Face::Preview).1,
        "the errors are a full check's"
    );

    // The fix is incremental too, and renders what the broken edit left unrendered.
    edit(&site, CLAIM, "  - id: pmid9283124", "  - id: pmid9283123");
    edit(
        &site,
        CLAIM,
        "98% relactated and 92%",
        "98% relactated, and 92%",
    );
    assert_eq!(
        session.update(&[CLAIM.to_string()]).unwrap(),
        Mode::Incremental
    );
    render_and_compare(&mut session, &site, "the fix");
}

#[test]
fn changes_it_cannot_classify_take_the_full_path() {
    let site = Site::bundled();
    let mut session = Session::load(site.project(), today(), serve_options(Face::Preview)).unwrap();
    render_and_compare(&mut session, &site, "the first build");

    let new_claim = "content/claims/relactation/a-new-claim.yaml";
    site.write(
        new_claim,
        "statement: Support helps.\nkind: practice-point\nbasis: Common sense.\n",
    );
    let mode = session.update(&[new_claim.to_string()]).unwrap();
    assert!(
        matches!(&mode, Mode::Full(why) if why.contains("created")),
        "{mode:?}"
    );
    render_and_compare(&mut session, &site, "a new claim file");

    site.remove(new_claim);
    let mode = session.update(&[new_claim.to_string()]).unwrap();
    assert!(
        matches!(&mode, Mode::Full(why) if why.contains("deleted")),
        "{mode:?}"
    );
    render_and_compare(&mut session, &site, "a deleted claim file");

    edit(
        &site,
        "evident.yaml",
        "max_age_days: 365",
        "max_age_days: 300",
    );
    let mode = session.update(&["evident.yaml".to_string()]).unwrap();
    assert!(
        matches!(&mode, Mode::Full(why) if why.contains("evident.yaml")),
        "{mode:?}"
    );
    render_and_compare(&mut session, &site, "a configuration change");

    // A topic's title is in every page's header on a site of a few topics.
    edit(
        &site,
        TOPIC,
        "title: Procedure for relactation",
        "title: How to relactate",
    );
    let mode = session.update(&[TOPIC.to_string()]).unwrap();
    assert!(
        matches!(&mode, Mode::Full(why) if why.contains("title")),
        "{mode:?}"
    );
    render_and_compare(&mut session, &site, "a topic's title");
}

#[test]
fn on_the_public_face_approving_or_editing_what_it_shows_gives_a_clean_build_s_bytes() {
    let site = Site::bundled();
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved");
    site.write("evident.yaml", &config);
    let mut session = Session::load(site.project(), today(), serve_options(Face::Public)).unwrap();
    render_and_compare(&mut session, &site, "the first build");

    // The topic is approved: it appears on the public face, in every page's header.
    site.approve_relactation_topic();
    session.update(&[TOPIC.to_string()]).unwrap();
    render_and_compare(&mut session, &site, "approving a topic");

    // An approved claim is edited: it leaves the public face until it is approved again.
    edit(
        &site,
        CLAIM,
        "statement: In a trial of 50 mothers of hospitalised infants,",
        "statement: In a trial of 50 mothers of infants in hospital,",
    );
    session.update(&[CLAIM.to_string()]).unwrap();
    render_and_compare(&mut session, &site, "editing an approved claim");

    // The topic goes back to review: it leaves the public face.
    edit(
        &site,
        TOPIC,
        "  status: approved\n",
        "  status: in-review\n",
    );
    session.update(&[TOPIC.to_string()]).unwrap();
    render_and_compare(&mut session, &site, "a topic back in review");
}
