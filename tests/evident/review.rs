//! Review workflow end to end: an approved claim edited afterwards is "changed since approval"
//! on every surface; the publish policy keeps unapproved claims off public pages; the
//! dashboard's tables.

use crate::harness::{Site, main_of};

const CLAIM: &str = "content/claims/relactation/relactation-success-seema-trial.yaml";

#[test]
fn an_edited_approved_claim_shows_changed_since_approval_everywhere() {
    let site = Site::bundled();
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
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved-only");
    site.write("evident.yaml", &config);
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
    // The dashboard still lists every claim (without links for unpublished ones).
    let dashboard = std::fs::read_to_string(out.join("review/index.html")).unwrap();
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
    let site = Site::bundled();
    let out = site.build();
    let html = std::fs::read_to_string(out.join("review/index.html")).unwrap();
    insta::assert_snapshot!(main_of(&html));
}
