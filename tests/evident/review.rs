//! Review workflow end to end: an approved claim edited afterwards is "changed since approval"
//! on every surface; the publish policy keeps unapproved claims off public pages; the
//! dashboard's tables.

use crate::harness::{Site, main_of};

const CLAIM: &str = "content/claims/relactation/relactation-success-seema-trial.yaml";

#[test]
fn an_edited_approved_claim_shows_changed_since_approval_everywhere() {
    let site = Site::bundled_internal();
    let before = site.check();
    assert_eq!(
        before.claims["relactation-success-seema-trial"]
            .status
            .name(),
        "approved"
    );
    // Edit only the statement (line 1), not the approved wording kept in the history.
    let text = site.read(CLAIM);
    let (first, rest) = text.split_once('\n').unwrap();
    site.write(
        CLAIM,
        &format!(
            "{}\n{rest}",
            first.replace("98% relactated", "97% relactated")
        ),
    );
    let out = site.build();

    let claim_page =
        std::fs::read_to_string(out.join("claims/relactation-success-seema-trial/index.html"))
            .unwrap();
    let main = main_of(&claim_page);
    assert!(main.contains("Changed since approval"), "claim page");
    assert!(
        main.contains("<del><span class=\"visually-hidden\">[removed: </span>98%"),
        "claim page diff"
    );
    assert!(
        main.contains("<ins><span class=\"visually-hidden\">[added: </span>97%"),
        "claim page diff"
    );

    let topic = std::fs::read_to_string(out.join("relactation/index.html")).unwrap();
    let embed_at = topic
        .find("id=\"claim-relactation-success-seema-trial\"")
        .expect("embedded");
    let embed = &topic[embed_at..embed_at + topic[embed_at..].find("</div>").unwrap()];
    assert!(
        embed.contains("Changed since approval"),
        "topic embed: {embed}"
    );
    assert!(
        !embed.contains("status-approved"),
        "topic embed still approved"
    );
    assert!(main_of(&topic).contains("Pending review"), "topic banner");

    let dashboard = std::fs::read_to_string(out.join("review/index.html")).unwrap();
    // The table row (the id also appears in the queue lists above the table).
    let id_at = dashboard
        .rfind("<code>relactation-success-seema-trial</code>")
        .expect("dashboard row");
    let row_at = dashboard[..id_at].rfind("<tr").unwrap();
    let row = &dashboard[row_at..id_at + dashboard[id_at..].find("</tr>").unwrap()];
    assert!(
        row.contains("Changed since approval"),
        "dashboard row: {row}"
    );
    let queue_at = dashboard
        .find("<span class=\"queue-label\">Changed since approval</span>")
        .expect("the queue");
    let queue = &dashboard[queue_at..queue_at + dashboard[queue_at..].find("</details>").unwrap()];
    assert!(
        queue.contains("relactation-success-seema-trial"),
        "changed-since-approval queue: {queue}"
    );

    let api: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("api/claims.json")).unwrap()).unwrap();
    let record = api
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "relactation-success-seema-trial")
        .unwrap();
    assert_eq!(record["effective_status"], "changed-since-approval");
    assert_eq!(record["recorded_status"], "approved");

    let kb = site.check();
    assert!(
        kb.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "changed-since-approval" && d.location.path == CLAIM)
    );
}

#[test]
fn approved_only_keeps_unapproved_claims_off_public_pages() {
    let site = Site::bundled();
    // `approved-only` is read as `approved`.
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved-only");
    site.write("evident.yaml", &config);
    // A topic never approved is not published; nor is its handout.
    let out = site.build();
    assert!(!out.join("domperidone/index.html").exists());
    assert!(!out.join("handouts/domperidone.html").exists());
    // Pages without claims and without a review block are published as they are.
    assert!(out.join("editorial-policy/index.html").exists());

    site.approve_relactation_topic();
    let out = site.build();
    let kb = site.check();
    let (approved, pending): (Vec<_>, Vec<_>) =
        kb.claims.values().partition(|c| c.status.is_approved());
    assert!(!approved.is_empty() && !pending.is_empty());
    let topic = std::fs::read_to_string(out.join("relactation/index.html")).unwrap();
    let api = std::fs::read_to_string(out.join("api/claims.json")).unwrap();
    for claim in &pending {
        let id = &claim.claim.id;
        assert!(
            !out.join(format!("claims/{id}/index.html")).exists(),
            "{id} has a public page"
        );
        assert!(
            !topic.contains(&format!("id=\"claim-{id}\"")),
            "{id} embedded"
        );
        assert!(
            !api.contains(&format!("\"id\": \"{id}\"")),
            "{id} in the API"
        );
    }
    for claim in approved
        .iter()
        .filter(|c| c.used_by.contains(&"relactation".to_string()))
    {
        assert!(
            topic.contains(&format!("id=\"claim-{}\"", claim.claim.id)),
            "{} missing",
            claim.claim.id
        );
    }
    // The dashboard lists every claim: it is in the preview, not in the public site.
    assert!(!out.join("review/index.html").exists());
    let preview = site.build_preview();
    let dashboard = std::fs::read_to_string(preview.join("review/index.html")).unwrap();
    for claim in &pending {
        assert!(
            dashboard.contains(&claim.claim.id),
            "{} not on the dashboard",
            claim.claim.id
        );
    }
}

#[test]
fn dashboard_main_snapshot() {
    let site = Site::bundled_internal();
    let out = site.build();
    let html = std::fs::read_to_string(out.join("review/index.html")).unwrap();
    insta::assert_snapshot!(main_of(&html));
}

#[test]
fn a_retraction_reaches_every_page_that_relies_on_the_source() {
    let site = Site::bundled_internal();
    let evidence = site.read("citations/evidence.yaml");
    let retracted = evidence.replacen(
        "- id: pmid9283123\n",
        "- id: pmid9283123\n  retracted: {date: 2026-11-01, notice: Retracted for a test.}\n",
        1,
    );
    assert_ne!(
        evidence, retracted,
        "the annotation item is where the test expects it"
    );
    site.write("citations/evidence.yaml", &retracted);
    // The build still publishes, with the banners.
    let out = site.build();
    let kb = site.check();
    let trial = &kb.claims["relactation-success-seema-trial"];
    assert_eq!(trial.status.name(), "cites-retracted");
    assert!(
        kb.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "cites-retracted" && d.location.path == CLAIM)
    );

    let source = std::fs::read_to_string(out.join("sources/pmid9283123/index.html")).unwrap();
    assert!(
        main_of(&source).contains("Retracted on 2026-11-01"),
        "source page"
    );
    let claim =
        std::fs::read_to_string(out.join("claims/relactation-success-seema-trial/index.html"))
            .unwrap();
    assert!(
        main_of(&claim).contains("Cites a retracted source"),
        "claim page"
    );
    let topic = std::fs::read_to_string(out.join("relactation/index.html")).unwrap();
    assert!(
        main_of(&topic).contains("Retracted source:"),
        "topic banner"
    );
    let api: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("api/claims.json")).unwrap()).unwrap();
    let record = api
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "relactation-success-seema-trial")
        .unwrap();
    assert_eq!(record["effective_status"], "cites-retracted");

    // Under --strict the warning is an error: nothing is published.
    let strict = evident::build(
        &site.project(),
        crate::harness::today(),
        &evident::BuildOptions {
            out: Some(site.beside("strict")),
            strict: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(strict.report.is_none());
}

#[test]
fn a_superseded_source_is_marked_where_it_is_cited() {
    let site = Site::bundled();
    let evidence = site.read("citations/evidence.yaml");
    site.write(
        "citations/evidence.yaml",
        &evidence.replacen(
            "- id: pmid7354969\n",
            "- id: pmid7354969\n  superseded_by: pmid9283123\n",
            1,
        ),
    );
    let out = site.build();
    let claim =
        std::fs::read_to_string(out.join("claims/relactation-definition/index.html")).unwrap();
    assert!(main_of(&claim).contains("Superseded by"), "claim page");
    let topic = std::fs::read_to_string(out.join("relactation/index.html")).unwrap();
    assert!(main_of(&topic).contains("Superseded by"), "reference list");
    let source = std::fs::read_to_string(out.join("sources/pmid7354969/index.html")).unwrap();
    assert!(main_of(&source).contains("Superseded"), "source page");
}

#[test]
fn overdue_approvals_are_flagged_on_their_pages_and_the_dashboard() {
    let site = Site::bundled_internal();
    let out = site.beside("later");
    // A year and a half later every approval of 2026 is past its next review date.
    let later: jiff::civil::Date = "2027-12-01".parse().unwrap();
    let built = evident::build(
        &site.project(),
        later,
        &evident::BuildOptions {
            out: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(built.report.is_some());
    let trial = &built.kb.claims["relactation-success-seema-trial"];
    assert!(trial.overdue, "approved 2026-06-19, due 2027-06-19");
    let claim =
        std::fs::read_to_string(out.join("claims/relactation-success-seema-trial/index.html"))
            .unwrap();
    assert!(main_of(&claim).contains("Review overdue"), "claim page");
    let dashboard = std::fs::read_to_string(out.join("review/index.html")).unwrap();
    let queue_at = dashboard
        .find("<span class=\"queue-label\">Review overdue</span>")
        .expect("the overdue queue");
    let queue = &dashboard[queue_at..queue_at + dashboard[queue_at..].find("</details>").unwrap()];
    assert!(
        queue.contains("relactation-success-seema-trial"),
        "overdue queue: {queue}"
    );
}
