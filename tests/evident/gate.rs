//! The approval gate and roles: `submit`, `start` and `approve` refuse an item that, at its
//! new status, has an error or an evidence-integrity warning without an `allow:` reason,
//! leaving the file byte for byte as it was; roles limit who may take which action;
//! approvals recorded as `v1:` still verify, and `v2:` covers the `allow:` reasons.

use evident::edit::gate::Refusal;
use evident::edit::review::{Edit, write_edit};
use evident::model::idmap::IdMap;
use evident::model::{EffectiveStatus, ReviewAction, Source};

use crate::harness::Site;

const CLAIM: &str = "content/claims/claim-a.yaml";

const CONFIG: &str = "title: Gate fixture\nreviewers:\n  - {id: author, name: An Author, role: author}\n  - {id: reviewer, name: A Reviewer, role: clinical reviewer}\n  - {id: second, name: A Second Reviewer, role: Clinical Reviewer}\n  - {id: editor, name: An Editor, role: editor}\n  - {id: anyone, name: Someone Without A Role}\n";

const SOURCES: &str = "- {id: src-a, type: article-journal, title: A cohort study, issued: {date-parts: [[2020]]}, design: cohort, sample_size: 10}\n- {id: src-b, type: article-journal, title: A newer trial, issued: {date-parts: [[2024]]}, design: rct, sample_size: 80}\n- {id: src-old, type: article-journal, title: An older trial, issued: {date-parts: [[2001]]}, design: rct, superseded_by: src-b}\n- {id: src-gone, type: article-journal, title: A withdrawn trial, issued: {date-parts: [[2010]]}, design: rct, retracted: {date: 2025-01-01, notice: Data could not be verified.}}\n- {id: src-guide, type: report, title: A graded guideline, issued: {date-parts: [[2023]]}, design: guideline}\n";

/// A claim in review: submitted by the author, started by the reviewer.
const IN_REVIEW: &str = "statement: Something may be true.\nkind: finding\ncertainty: low\ncertainty_reason: One cohort study.\nsources:\n  - id: src-a\n    locator: abstract\n    quote: \"Something is true.\"\nreview:\n  status: in-review\n  history:\n    - {date: 2026-11-01, by: author, action: submit}\n    - {date: 2026-11-02, by: reviewer, action: start}\n";

/// The minimal fixture with the gate's reviewers and sources, and `claim` as claim-a.
#[track_caller]
fn site(claim: &str) -> Site {
    let site = Site::fixture("minimal");
    site.write("evident.yaml", CONFIG);
    site.write("citations/sources.yaml", SOURCES);
    site.write(CLAIM, claim);
    site
}

/// Decides on claim-a through the library, writing the edit when it is not refused.
#[track_caller]
fn act(site: &Site, action: ReviewAction, by: &str) -> Result<Edit, Refusal> {
    let edit = site.decide("claim-a", action, by)?;
    write_edit(&site.root, &edit).unwrap();
    Ok(edit)
}

/// The action is refused with a diagnostic of `code`, and the claim file is unchanged.
#[track_caller]
fn refused(site: &Site, action: ReviewAction, by: &str, code: &str) -> Refusal {
    let before = std::fs::read(site.path(CLAIM)).unwrap();
    let refusal = act(site, action, by).expect_err("the gate let it through");
    assert!(
        refusal.diagnostics.iter().any(|d| d.code.as_str() == code),
        "no {code} in {refusal}"
    );
    assert_eq!(
        std::fs::read(site.path(CLAIM)).unwrap(),
        before,
        "a refused decision changed the file"
    );
    refusal
}

#[track_caller]
fn status(site: &Site) -> EffectiveStatus {
    site.check().claims["claim-a"].status
}

/// Each evidence-integrity warning, as the claim with it, and the line that allows it.
fn warning_cases() -> Vec<(&'static str, String)> {
    vec![
        (
            "unsupported-figure",
            IN_REVIEW.replace(
                "statement: Something may be true.",
                "statement: Something may be true in 47% of cases.",
            ),
        ),
        (
            "missing-quote",
            IN_REVIEW.replace("    quote: \"Something is true.\"\n", ""),
        ),
        (
            "grade-above-design",
            IN_REVIEW.replace("certainty: low", "certainty: high"),
        ),
        (
            "cites-retracted",
            IN_REVIEW.replace("  - id: src-a\n", "  - id: src-gone\n"),
        ),
        (
            "cites-superseded",
            IN_REVIEW.replace("  - id: src-a\n", "  - id: src-old\n"),
        ),
    ]
}

#[test]
fn every_evidence_integrity_warning_stops_approval_until_allowed_with_a_reason() {
    for (code, claim) in warning_cases() {
        let site = site(&claim);
        refused(&site, ReviewAction::Approve, "reviewer", code);
        // A blank reason does not count: it is an error of its own.
        site.write(
            CLAIM,
            &format!("{claim}allow:\n  - {{code: {code}, reason: \" \"}}\n"),
        );
        refused(
            &site,
            ReviewAction::Approve,
            "reviewer",
            "allow-without-reason",
        );
        site.write(
            CLAIM,
            &format!("{claim}allow:\n  - {{code: {code}, reason: \"Checked by hand for this fixture.\"}}\n"),
        );
        let edit = act(&site, ReviewAction::Approve, "reviewer")
            .unwrap_or_else(|r| panic!("{code} allowed with a reason: {r}"));
        assert!(edit.text.contains("fingerprint: \"v2:"), "{code}");
        let kb = site.check();
        assert!(
            !kb.diagnostics.iter().any(|d| d.code.as_str() == code),
            "{code}: an allowed warning is still reported"
        );
        let expected = if code == "cites-retracted" {
            EffectiveStatus::CitesRetracted
        } else {
            EffectiveStatus::Approved
        };
        assert_eq!(kb.claims["claim-a"].status, expected, "{code}");
    }
}

#[test]
fn submit_and_start_pass_the_gate_too() {
    let (_, claim) = &warning_cases()[0];
    let draft = claim.replace(
        "review:\n  status: in-review\n  history:\n    - {date: 2026-11-01, by: author, action: submit}\n    - {date: 2026-11-02, by: reviewer, action: start}\n",
        "review:\n  status: draft\n",
    );
    let site = site(&draft);
    refused(&site, ReviewAction::Submit, "author", "unsupported-figure");
    // A draft may lack certainty and sources; a submitted claim may not.
    let site = self::site(
        &IN_REVIEW
            .replace("status: in-review", "status: changes-requested")
            .replace("certainty: low\n", ""),
    );
    refused(&site, ReviewAction::Submit, "author", "missing-certainty");
    let bare = "statement: Something may be true.\nkind: finding\nreview:\n  status: draft\n";
    let site = self::site(bare);
    assert!(
        site.check()
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "source-needed")
    );
    refused(&site, ReviewAction::Submit, "author", "missing-source");
    let submitted = IN_REVIEW
        .replace("status: in-review", "status: submitted")
        .replace(
            "    - {date: 2026-11-02, by: reviewer, action: start}\n",
            "",
        )
        .replace("certainty: low", "certainty: high");
    let site = self::site(&submitted);
    refused(&site, ReviewAction::Start, "reviewer", "grade-above-design");
}

#[test]
fn missing_quotes_pass_when_the_policy_does_not_require_them() {
    let (_, claim) = &warning_cases()[1];
    let site = site(claim);
    site.write(
        "evident.yaml",
        &format!("{CONFIG}review:\n  require_quotes: false\n"),
    );
    act(&site, ReviewAction::Approve, "reviewer").unwrap();
}

#[test]
fn a_graded_source_carries_its_own_certainty() {
    let graded = IN_REVIEW
        .replace("certainty: low", "certainty: moderate")
        .replace("  - id: src-a\n    locator: abstract\n", "  - id: src-guide\n    locator: recommendation 3, GRADE table 2\n    graded: moderate\n");
    let site = site(&graded.replace("    graded: moderate\n", ""));
    refused(
        &site,
        ReviewAction::Approve,
        "reviewer",
        "grade-above-design",
    );
    site.write(CLAIM, &graded);
    assert!(
        site.check()
            .diagnostics
            .iter()
            .all(|d| d.code.as_str() != "grade-above-design")
    );
    act(&site, ReviewAction::Approve, "reviewer").unwrap();
    // Above what the guideline itself reports, the warning is back.
    let site = self::site(&graded.replace("certainty: moderate", "certainty: high"));
    refused(
        &site,
        ReviewAction::Approve,
        "reviewer",
        "grade-above-design",
    );
    // The grade must say where the source states it.
    let site = self::site(&graded.replace("    locator: recommendation 3, GRADE table 2\n", ""));
    refused(&site, ReviewAction::Approve, "reviewer", "missing-field");
}

#[test]
fn roles_limit_the_actions_and_a_refusal_names_the_role_needed() {
    let submitted = IN_REVIEW
        .replace("status: in-review", "status: submitted")
        .replace(
            "    - {date: 2026-11-02, by: reviewer, action: start}\n",
            "",
        );
    let site = site(&submitted);
    let refusal = act(&site, ReviewAction::Start, "author").unwrap_err();
    assert!(
        refusal.message.contains("author is `author`, which may not start; that needs the role `clinical reviewer` or `editor`"),
        "{refusal}"
    );
    act(&site, ReviewAction::Start, "second").unwrap();
    let refusal = act(&site, ReviewAction::Approve, "author").unwrap_err();
    assert!(refusal.message.contains("may not approve"), "{refusal}");
    let refusal = act(&site, ReviewAction::Retire, "reviewer").unwrap_err();
    assert!(
        refusal.message.contains("that needs the role `editor`"),
        "{refusal}"
    );
    // Without a role, every action: sites without roles keep working.
    act(&site, ReviewAction::Approve, "anyone").unwrap();
    act(&site, ReviewAction::Retire, "editor").unwrap();
    assert_eq!(status(&site), EffectiveStatus::Retired);
}

#[test]
fn roles_and_approvals_by_kind_come_from_evident_yaml() {
    let site = site(IN_REVIEW);
    site.write(
        "evident.yaml",
        &format!("{CONFIG}review:\n  approvals_required: {{default: 1, finding: 2}}\n  roles:\n    Author: [submit, start, approve, request-changes]\n    clinical reviewer: [submit]\n    editor: [retire]\n"),
    );
    assert!(
        act(&site, ReviewAction::Approve, "reviewer")
            .unwrap_err()
            .message
            .contains("`Author`")
    );
    let first = act(&site, ReviewAction::Approve, "anyone").unwrap();
    assert!(first.summary.contains("1 of 2 needed"), "{}", first.summary);
    // The author submitted it, so self-approval still stops them; roles add to the policy.
    assert!(
        act(&site, ReviewAction::Approve, "author")
            .unwrap_err()
            .message
            .contains("own submission")
    );
    site.write(
        "evident.yaml",
        &CONFIG.replace("role: editor}", "role: chief editor}"),
    );
    let kb = site.check();
    let unknown: Vec<_> = kb
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unknown-role")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        (unknown[0].location.path.as_str(), unknown[0].location.line),
        ("evident.yaml", 6)
    );
}

/// `v1:` as the fingerprint of claim-a as it now is, in the v1 field list.
#[track_caller]
fn v1_fingerprint(site: &Site) -> String {
    let kb = site.check();
    let sources: IdMap<Source> = kb
        .sources
        .iter()
        .map(|(id, s)| (id.clone(), s.source.clone()))
        .collect();
    evident::model::fingerprint::claim_as(&kb.claims["claim-a"].claim, &sources, "v1").unwrap()
}

#[test]
fn v1_approvals_still_verify_and_v2_covers_the_allow_reasons() {
    let allowed = format!(
        "{}allow:\n  - {{code: grade-above-design, reason: Large effect.}}\n",
        IN_REVIEW.replace("certainty: low", "certainty: high")
    );
    let site = site(&allowed);
    let v1 = v1_fingerprint(&site);
    assert!(v1.starts_with("v1:"));
    let approved = allowed.replace("status: in-review", "status: approved").replace(
        "action: start}\n",
        &format!("action: start}}\n    - {{date: 2026-11-03, by: reviewer, action: approve, fingerprint: \"{v1}\"}}\n"),
    );
    site.write(CLAIM, &approved);
    assert_eq!(
        status(&site),
        EffectiveStatus::Approved,
        "a v1 approval verifies"
    );
    let kb = site.check();
    assert_eq!(kb.claims["claim-a"].fingerprint_shown(), v1);
    site.write(
        CLAIM,
        &approved.replace(
            "Something may be true.\nkind",
            "Something else may be true.\nkind",
        ),
    );
    assert_eq!(status(&site), EffectiveStatus::ChangedSinceApproval);

    // Approved now, the fingerprint is v2 and covers the reason given for the warning.
    let site = self::site(&allowed);
    act(&site, ReviewAction::Approve, "reviewer").unwrap();
    assert_eq!(status(&site), EffectiveStatus::Approved);
    let text = site.read(CLAIM);
    site.write(
        CLAIM,
        &text.replace("reason: Large effect.", "reason: Dose response."),
    );
    assert_eq!(status(&site), EffectiveStatus::ChangedSinceApproval);
}

#[test]
fn the_bundled_sites_v1_approvals_still_verify() {
    let kb = Site::bundled().check();
    let v1_approved = kb
        .claims
        .values()
        .filter(|c| c.status == EffectiveStatus::Approved)
        .filter(|c| c.fingerprint_shown().starts_with("v1:"))
        .count();
    assert!(v1_approved > 0, "the bundled site has v1 approvals");
    assert!(
        kb.diagnostics
            .iter()
            .all(|d| d.code.as_str() != "changed-since-approval"),
        "a v1 approval reads as changed"
    );
}

#[test]
fn the_binary_prints_every_diagnostic_exits_1_and_leaves_the_file_as_it_was() {
    // The statement comes after the review block, so its line moves in the would-be text:
    // the printed place must be the line on disk.
    let (_, claim) = &warning_cases()[0];
    let (head, statement) = claim.split_once('\n').unwrap();
    let reordered = format!("{statement}{head}\ntags: [fixture]\n");
    let site = site(&reordered);
    let before = std::fs::read(site.path(CLAIM)).unwrap();
    let line = reordered
        .lines()
        .position(|l| l.starts_with("statement:"))
        .unwrap()
        + 1;
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_evident"))
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .args(["--color", "never", "--today", crate::harness::TODAY])
        .args(["review", "approve", "claim-a", "--by", "reviewer"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning[unsupported-figure]"), "{stderr}");
    assert!(
        stderr.contains(&format!("--> {CLAIM}:{line}:")),
        "not at line {line} on disk:\n{stderr}"
    );
    assert!(stderr.contains("= hint:"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(std::fs::read(site.path(CLAIM)).unwrap(), before);
}

#[test]
fn the_claim_page_shows_the_allow_reasons_and_what_a_source_graded() {
    let graded = IN_REVIEW
        .replace("certainty: low", "certainty: moderate")
        .replace(
            "  - id: src-a\n    locator: abstract\n",
            "  - id: src-guide\n    locator: recommendation 3\n    graded: moderate\n",
        );
    let claim = format!(
        "{}allow:\n  - {{code: unsupported-figure, reason: \"The 47% is the fixture's own.\"}}\n",
        graded.replace(
            "Something may be true.\nkind",
            "Something may be true in 47% of cases.\nkind"
        )
    );
    let site = site(&claim);
    act(&site, ReviewAction::Approve, "reviewer").unwrap();
    let out = site.build();
    let page = std::fs::read_to_string(out.join("claims/claim-a/index.html")).unwrap();
    let main = crate::harness::main_of(&page);
    assert!(
        main.contains("Reviewed exception: A number in a claim is not found in any quote of its cited sources <code>unsupported-figure</code>"),
        "{main}"
    );
    assert!(
        main.contains("The 47% is the fixture&#x27;s own.")
            || main.contains("The 47% is the fixture's own."),
        "{main}"
    );
    assert!(
        main.contains("Certainty as graded by the source: Moderate (recommendation 3)"),
        "{main}"
    );
    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("api/claims.json")).unwrap())
            .unwrap();
    assert_eq!(
        api[0]["allow"],
        serde_json::json!([{"code": "unsupported-figure", "reason": "The 47% is the fixture's own."}])
    );
    assert_eq!(api[0]["sources"][0]["graded"], "moderate");
}

#[test]
fn a_v1_approval_counts_towards_the_approvals_required() {
    let site = site(IN_REVIEW);
    site.write(
        "evident.yaml",
        &format!("{CONFIG}review:\n  approvals_required: 2\n"),
    );
    let v1 = v1_fingerprint(&site);
    site.write(
        CLAIM,
        &IN_REVIEW.replace(
            "action: start}\n",
            &format!("action: start}}\n    - {{date: 2026-11-03, by: second, action: approve, fingerprint: \"{v1}\"}}\n"),
        ),
    );
    let edit = act(&site, ReviewAction::Approve, "reviewer").unwrap();
    assert_eq!(edit.status.name(), "approved", "{}", edit.summary);
}

#[test]
fn topics_pass_the_gate_too() {
    let site = site(IN_REVIEW);
    site.write(
        "content/topic.md",
        "---\ntitle: A topic\nquestion: What is known?\nreview:\n  status: draft\n---\n\nProse cites a source [@src-a].\n\n- [[claim-b]]\n",
    );
    let refusal = site
        .decide("topic:topic", ReviewAction::Submit, "author")
        .unwrap_err();
    assert!(
        refusal
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "unknown-claim"),
        "{refusal}"
    );
}

#[test]
fn a_site_with_id_problems_is_refused_rather_than_checked_in_part() {
    let site = Site::fixture("invalid/duplicate-id--claims");
    let refusal = site
        .decide("claim-a", ReviewAction::Submit, "author")
        .unwrap_err();
    assert!(
        refusal
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "duplicate-id"),
        "{refusal}"
    );
}
