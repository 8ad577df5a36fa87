//! The two faces of one site: the public site (`evident build`) never carries a wording no
//! reviewer approved, a review note, a fingerprint or the dashboard; the editors' preview
//! (`evident build --preview`, `serve`) shows statuses, notes, the dashboard and what changed
//! since an approval. A retraction after approval is shown, not hidden, on the public pages,
//! and withdrawn from the handouts.

use std::fs;

use assert_cmd::Command;
use evident::render::Face;
use predicates::prelude::*;

use crate::harness::{Site, TODAY, html_files, main_of};

const CLAIM: &str = "content/claims/relactation/relactation-success-seema-trial.yaml";
const TRIAL_ID: &str = "relactation-success-seema-trial";

/// The bundled site publishing approved versions only, its dashboard private, and its
/// relactation topic approved (the domperidone topic stays submitted).
#[track_caller]
fn approved_site() -> Site {
    let site = Site::bundled();
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved")
        .replace("dashboard: public", "dashboard: private");
    site.write("evident.yaml", &config);
    site.approve_relactation_topic();
    site
}

/// The start of `text` up to its first character HTML escaping might change, when that start
/// is long enough to be told apart from other text; None otherwise.
fn plain_prefix(text: &str) -> Option<String> {
    let prefix: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ' ')
        .take(40)
        .collect();
    (prefix.len() >= 20).then_some(prefix)
}

/// Whether a wording is written into HTML as it is (no character the escaper or Markdown
/// would change).
fn verbatim(text: &str) -> bool {
    !text.contains(['<', '>', '&', '"', '\'', '/', '*', '_', '[', '`', '\\'])
}

#[test]
fn the_public_site_never_shows_an_unapproved_wording_a_note_a_fingerprint_or_the_dashboard() {
    let site = approved_site();
    let out = site.build();
    let kb = site.check();

    assert!(!out.join("review").exists(), "the dashboard is private");
    assert!(out.join("relactation/index.html").exists());
    assert!(
        !out.join("domperidone/index.html").exists(),
        "a topic never approved is not published"
    );
    assert!(out.join("editorial-policy/index.html").exists());

    let never_approved: Vec<_> = kb
        .claims
        .values()
        .filter(|c| c.claim.review.last_approval().is_none())
        .collect();
    assert!(!never_approved.is_empty());
    let notes: Vec<String> = kb
        .claims
        .values()
        .map(|c| &c.claim.review)
        .chain(kb.topics.values().map(|t| &t.topic.review))
        .flat_map(|r| r.history.iter().filter_map(|e| e.note.as_deref()))
        .filter_map(plain_prefix)
        .collect();
    assert!(!notes.is_empty());

    let pages = html_files(&out);
    assert!(pages.len() > 20);
    for (path, html) in &pages {
        assert!(!html.contains("v1:"), "{path} carries a fingerprint");
        // The not-found page alone is kept out of search indexes (it is no page of its own).
        assert!(
            !html.contains("noindex") || (path == "404.html" && !html.contains("nofollow")),
            "{path} is hidden from search engines"
        );
        assert!(!html.contains("badge status"), "{path} has a status badge");
        assert!(!html.contains("banner-pending"), "{path} has a banner");
        assert!(
            !html.contains("data-pagefind-filter=\"status:"),
            "{path} is filtered by status"
        );
        assert!(
            !html.contains("review/index.html"),
            "{path} links the dashboard"
        );
        for note in &notes {
            assert!(
                !html.contains(note.as_str()),
                "{path} shows the note {note:?}"
            );
        }
        for claim in &never_approved {
            let id = &claim.claim.id;
            assert!(
                !html.contains(&format!("claims/{id}/")),
                "{path} links {id}"
            );
            assert!(
                !html.contains(&format!("id=\"claim-{id}\"")),
                "{path} embeds {id}"
            );
            for wording in std::iter::once(&claim.claim.statement.value)
                .chain(claim.claim.audiences.iter().map(|(_, w)| &w.value))
            {
                if verbatim(wording) {
                    assert!(
                        !html.contains(wording.as_str()),
                        "{path} shows {id}'s wording"
                    );
                }
            }
        }
    }

    assert!(
        !pages["search/index.html"].contains("Review status"),
        "no status filter"
    );

    // One quiet review line, with the reviewer's name and credentials.
    let topic = &pages["relactation/index.html"];
    assert!(
        topic.contains("Reviewed by Example Reviewer (fictional), IBCLC on 2026-11-29"),
        "{topic}"
    );
    assert!(!topic.contains("Not yet approved"));
    let claim = &pages[&format!("claims/{TRIAL_ID}/index.html")];
    assert!(
        claim.contains("<td>Approved</td>"),
        "the approval in the history"
    );
    assert!(
        !claim.contains("Review started") && !claim.contains("Submitted for review"),
        "no workflow steps in the history"
    );
    assert!(!claim.contains("Editors' preview"));
    assert!(claim.contains(
        "Reviewed by Example Reviewer (fictional), IBCLC on 2026-06-19<span class=\"sep\" aria-hidden=\"true\"> · </span>Next review due 2027-06-19"
    ));

    // The API holds the approved versions with their approvals' fingerprints.
    let api: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("api/claims.json")).unwrap()).unwrap();
    let records = api.as_array().unwrap();
    assert!(!records.is_empty());
    for record in records {
        let claim = &kb.claims[record["id"].as_str().unwrap()];
        let approval = claim.claim.review.last_approval().expect("approved");
        assert_eq!(
            record["fingerprint"].as_str(),
            approval.fingerprint.as_deref()
        );
        for slug in record["topics"].as_array().unwrap() {
            assert_ne!(slug, "domperidone", "an unpublished topic in the API");
        }
    }

    // The feed lists approvals only, without their notes.
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<title>Approved: "));
    assert!(!feed.contains("Submitted for review"));
    assert!(!feed.contains("Retired"));

    // The handouts are the public site's: no draft mark, only what it shows.
    let handout = &pages["handouts/relactation.html"];
    assert!(!handout.contains("class=\"draft-stamp\""));
    assert!(!out.join("handouts/domperidone.html").exists());
}

#[test]
fn the_preview_shows_statuses_notes_the_dashboard_and_what_changed_since_approval() {
    let site = approved_site();
    let text = site.read(CLAIM);
    let (from, to) = (
        "statement: In a trial of 50 mothers of hospitalised infants,",
        "statement: In a trial of 50 mothers of infants cared for in hospital,",
    );
    assert!(text.contains(from));
    site.write(CLAIM, &text.replacen(from, to, 1));

    let preview = site.build_preview();
    let pages = html_files(&preview);
    assert!(preview.join("review/index.html").exists(), "the dashboard");
    assert!(pages["index.html"].contains("Editors' preview"));
    let claim = main_of(&pages[&format!("claims/{TRIAL_ID}/index.html")]).to_string();
    assert!(
        claim.contains("infants cared for in hospital"),
        "the new wording"
    );
    assert!(claim.contains("Changed since approval"), "{claim}");
    assert!(
        claim.contains("<ins>") && claim.contains("<del>"),
        "the diff"
    );
    assert!(claim.contains("Corrected attribution"), "the review note");
    assert!(
        claim.contains("Fingerprint <code>v2:"),
        "the current fingerprint"
    );
    assert!(claim.contains("badge status"), "the status badge");
    assert!(
        pages["index.html"].contains("<meta name=\"robots\" content=\"noindex, nofollow\">"),
        "the preview asks not to be indexed"
    );
    assert_eq!(
        fs::read_to_string(preview.join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /\n"
    );
    let domperidone = &pages["domperidone/index.html"];
    assert!(
        domperidone.contains("Pending review"),
        "a topic not approved"
    );
    assert!(
        pages["handouts/relactation.html"].contains("class=\"draft-stamp\""),
        "the preview's handouts are drafts"
    );

    // The public site never shows the edited wording, which no reviewer saw.
    let public = site.build();
    for (path, html) in html_files(&public) {
        assert!(
            !html.contains("infants cared for in hospital"),
            "{path} shows an unapproved wording"
        );
    }
}

#[test]
fn a_source_retracted_after_approval_is_shown_under_a_notice_and_withdrawn_from_handouts() {
    let site = approved_site();
    let evidence = site.read("citations/evidence.yaml");
    let retracted = evidence.replacen(
        "- id: pmid9283123\n",
        "- id: pmid9283123\n  retracted: {date: 2026-11-01, notice: Retracted for a test.}\n",
        1,
    );
    assert_ne!(evidence, retracted);
    site.write("citations/evidence.yaml", &retracted);

    let out = site.build();
    let claim = fs::read_to_string(out.join(format!("claims/{TRIAL_ID}/index.html"))).unwrap();
    let main = main_of(&claim);
    assert!(main.contains("98% relactated and 92% relactated completely"));
    assert!(
        main.contains("A source of this statement has been retracted"),
        "{main}"
    );
    let topic = fs::read_to_string(out.join("relactation/index.html")).unwrap();
    assert!(topic.contains(&format!("id=\"claim-{TRIAL_ID}\"")));
    assert!(main_of(&topic).contains("Retracted source:"));

    let handout = fs::read_to_string(out.join("handouts/relactation.html")).unwrap();
    assert!(
        handout.contains("withdrawn pending review"),
        "the handout says so"
    );
    assert!(
        !handout.contains("Almost all mothers in one study"),
        "the withdrawn statement is left out"
    );

    // The dashboard lists it first.
    let preview = site.build_preview();
    let dashboard = fs::read_to_string(preview.join("review/index.html")).unwrap();
    let queues = &dashboard[dashboard.find("<div class=\"queues\">").unwrap()..];
    let first = &queues[..queues.find("</details>").unwrap()];
    assert!(first.contains("Cites a retracted source"), "{first}");
    assert!(first.contains(TRIAL_ID), "{first}");
}

#[test]
fn under_all_with_banner_the_public_face_keeps_the_banners_but_no_fingerprint() {
    let site = Site::bundled_internal();
    let out = site.build();
    let topic = fs::read_to_string(out.join("relactation/index.html")).unwrap();
    assert!(topic.contains("Pending review"));
    assert!(topic.contains("badge status"));
    for (path, html) in html_files(&out) {
        assert!(!html.contains("v1:"), "{path} carries a fingerprint");
    }
}

#[test]
fn the_preview_goes_into_preview_never_into_public() {
    let site = Site::bundled();
    let options = evident::BuildOptions {
        face: Face::Preview,
        ..evident::BuildOptions::default()
    };
    let built = evident::build(&site.project(), crate::harness::today(), &options).unwrap();
    assert!(built.report.is_some());
    assert!(site.path("preview/review/index.html").exists());
    assert!(!site.path("public").exists());

    let refused = evident::build(
        &site.project(),
        crate::harness::today(),
        &evident::BuildOptions {
            out: Some("public".into()),
            ..options
        },
    );
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("never written into"), "{message}");
    assert!(!site.path("public").exists());

    Command::new(env!("CARGO_BIN_EXE_evident"))
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .args(["--today", TODAY, "build", "--preview", "--out", "./public"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the preview is never written into",
        ));
    assert!(!site.path("public").exists());
}
