//! Plain language measured: the reading grade of plain-language audiences' wordings
//! (`reading-level`, which informs and never blocks), and wording that overstates the
//! certainty of the evidence or a recommendation's strength (`wording-overstates-certainty`,
//! which stops approval until the wording is fixed or `allow:` gives the reason).

use evident::diag::{Diagnostic, Severity};
use evident::model::ReviewAction;

use crate::harness::Site;

const CLAIM: &str = "content/claims/claim-a.yaml";

const CONFIG: &str = "title: Plain fixture\naudiences:\n  - {id: patient, label: Gardener}\n  - {id: expert, label: Horticulturist}\nreviewers:\n  - {id: author, name: An Author, role: author}\n  - {id: reviewer, name: A Reviewer, role: clinical reviewer}\n";

/// A grade-14-or-so wording: long sentence, long words.
const HARD: &str = "Horticultural practitioners recommend establishing perennial herbaceous borders, considering microclimatic variability and soil composition.";

/// A grade-1-or-so wording.
const EASY: &str = "Water the roses. Do it at night.";

/// A claim in review with `statement`, a `patient` wording and `certainty`.
fn claim(statement: &str, patient: &str, certainty: &str) -> String {
    format!(
        "statement: {statement}\nkind: finding\naudiences:\n  patient: {patient}\ncertainty: {certainty}\ncertainty_reason: One small trial.\nsources:\n  - id: src-a\n    locator: abstract\n    quote: \"Something is true.\"\nreview:\n  status: in-review\n  history:\n    - {{date: 2026-11-01, by: author, action: submit}}\n    - {{date: 2026-11-02, by: reviewer, action: start}}\n"
    )
}

#[track_caller]
fn site(config: &str, claim: &str) -> Site {
    let site = Site::fixture("minimal");
    site.write("evident.yaml", config);
    site.write(CLAIM, claim);
    site
}

/// The diagnostics of `code` on the fixture.
#[track_caller]
fn found(site: &Site, code: &str) -> Vec<Diagnostic> {
    site.check()
        .diagnostics
        .into_iter()
        .filter(|d| d.code.as_str() == code)
        .collect()
}

#[test]
fn a_patient_wording_above_the_target_is_a_warning_at_the_wording() {
    let site = site(CONFIG, &claim("Mulch may help.", HARD, "moderate"));
    let warnings = found(&site, "reading-level");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let d = &warnings[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!((d.location.line, d.location.column), (4, 12));
    assert!(
        d.message.starts_with("Flesch–Kincaid grade ")
            && d.message
                .ends_with("is above the site's target of 6 for the patient audience (Gardener)"),
        "{}",
        d.message
    );
    // The score, to one decimal, is the library's.
    let grade = evident::text::readability::grade(HARD).unwrap();
    let shown = format!("grade {:.1} ", evident::text::readability::rounded(grade));
    assert!(d.message.contains(&shown), "{shown} in {}", d.message);
    assert!(d.hints.iter().any(|h| h.contains("shorter sentences")));
    // The expert audience is not plain language: the same hard text there is not measured.
    let site = self::site(
        CONFIG,
        &claim("Mulch may help.", EASY, "moderate")
            .replace("audiences:\n", &format!("audiences:\n  expert: {HARD}\n")),
    );
    assert!(found(&site, "reading-level").is_empty());
}

#[test]
fn no_warning_below_the_target_nor_on_a_site_not_in_english() {
    let site = site(CONFIG, &claim("Mulch may help.", EASY, "moderate"));
    assert!(found(&site, "reading-level").is_empty());
    let french = format!("language: fr\n{CONFIG}");
    let site = self::site(&french, &claim("Mulch may help.", HARD, "moderate"));
    assert!(found(&site, "reading-level").is_empty());
}

#[test]
fn plain_language_false_and_max_grade_override() {
    let off = CONFIG.replace(
        "{id: patient, label: Gardener}",
        "{id: patient, label: Gardener, plain_language: false}",
    );
    let site = site(&off, &claim("Mulch may help.", HARD, "moderate"));
    assert!(found(&site, "reading-level").is_empty());
    // A wording of grade 6.8 is above the default target and below a target of 8.
    let evening = "Gardeners water their roses in the afternoon when the soil is cool.";
    let site = self::site(CONFIG, &claim("Mulch may help.", evening, "moderate"));
    let warnings = found(&site, "reading-level");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("grade 6.8 "),
        "{}",
        warnings[0].message
    );
    let lenient = format!("{CONFIG}plain_language:\n  max_grade: 8\n");
    let site = self::site(&lenient, &claim("Mulch may help.", evening, "moderate"));
    assert!(found(&site, "reading-level").is_empty());
    // One of grade 4.8 is below the default target and above a target of 2.
    let middling = "Gardeners water roses at night when the soil is cool.";
    let site = self::site(CONFIG, &claim("Mulch may help.", middling, "moderate"));
    assert!(found(&site, "reading-level").is_empty());
    let strict = format!("{CONFIG}plain_language: {{max_grade: 2}}\n");
    let site = self::site(&strict, &claim("Mulch may help.", middling, "moderate"));
    let warnings = found(&site, "reading-level");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("target of 2 "),
        "{}",
        warnings[0].message
    );
}

#[test]
fn the_statement_is_measured_when_the_patient_has_no_wording_of_its_own() {
    let text =
        claim(HARD, EASY, "moderate").replace(&format!("audiences:\n  patient: {EASY}\n"), "");
    let site = site(CONFIG, &text);
    let warnings = found(&site, "reading-level");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].location.line, 1);
    assert!(warnings[0].message.contains("no `patient` wording"));
}

#[test]
fn low_certainty_stated_as_certain_is_flagged_and_hedges_or_attributions_are_not() {
    for (statement, patient, certainty, expected) in [
        // No hedge in the statement; the patient wording hedges.
        (
            "Lids make kettles boil faster.",
            "Lids may help.",
            "low",
            vec![1],
        ),
        // An absolute word, at its place.
        (
            "Lids may help.",
            "Lids will always help.",
            "very-low",
            vec![4],
        ),
        (
            "Descaling is proven to help.",
            "It may help.",
            "low",
            vec![1],
        ),
        // Hedged, negated, or attributed: nothing.
        ("Lids probably help.", "Lids can help.", "low", vec![]),
        (
            "Descaling is not proven to help.",
            "It may help.",
            "low",
            vec![],
        ),
        (
            "In a small trial of 12 kettles, lids saved time.",
            "One study found lids saved time.",
            "very-low",
            vec![],
        ),
        // Moderate certainty may be stated plainly.
        (
            "Lids make kettles boil faster.",
            "Lids always help.",
            "moderate",
            vec![],
        ),
    ] {
        let site = site(CONFIG, &claim(statement, patient, certainty));
        let lines: Vec<u32> = found(&site, "wording-overstates-certainty")
            .iter()
            .map(|d| d.location.line)
            .collect();
        assert_eq!(lines, expected, "{statement} / {patient} ({certainty})");
    }
    let site = site(
        CONFIG,
        &claim("Lids may help.", "Lids will always help.", "very-low"),
    );
    let d = &found(&site, "wording-overstates-certainty")[0];
    assert_eq!(d.location.column, 17, "at \"will\"");
    assert_eq!(d.width, 4);
    assert!(
        d.message.contains("\"will\"") && d.message.contains("very low"),
        "{}",
        d.message
    );
    assert!(d.hints.iter().any(|h| h.contains("very uncertain")));
}

#[test]
fn the_oxford_scale_maps_levels_3_to_5_to_low() {
    let config = format!("{CONFIG}grading: {{evidence: oxford-cebm}}\n");
    for (level, flagged) in [("2", false), ("3", true), ("4", true), ("5", true)] {
        let site = site(
            &config,
            &claim("Lids make kettles boil faster.", "Lids may help.", level),
        );
        assert_eq!(
            !found(&site, "wording-overstates-certainty").is_empty(),
            flagged,
            "level {level}"
        );
    }
}

#[test]
fn recommendations_are_worded_by_their_strength() {
    let rec = |statement: &str, strength: &str| {
        claim(statement, "Water roses at night.", "moderate").replace(
            "kind: finding",
            &format!("kind: recommendation\nstrength: {strength}"),
        )
    };
    for (statement, strength, flagged) in [
        ("You might water roses at night.", "strong", true),
        ("Gardeners may consider mulch.", "strong", true),
        ("Water roses at night.", "strong", false),
        ("Gardeners must water roses at night.", "conditional", true),
        ("You need to water roses at night.", "conditional", true),
        ("Consider watering roses at night.", "conditional", false),
        // The directive sentence is judged; the attribution after it is not.
        (
            "Consider mulch: in a trial of 40 gardens, it always kept roots cool.",
            "conditional",
            false,
        ),
    ] {
        let site = site(CONFIG, &rec(statement, strength));
        assert_eq!(
            !found(&site, "wording-overstates-certainty").is_empty(),
            flagged,
            "{statement} ({strength})"
        );
    }
}

#[test]
fn the_lint_stops_approval_until_allowed_with_a_reason_and_reading_level_never_does() {
    let text = claim("Lids make kettles boil faster.", HARD, "low");
    let site = site(CONFIG, &text);
    let before = site.read(CLAIM);
    let refusal = site
        .decide("claim-a", ReviewAction::Approve, "reviewer")
        .expect_err("the gate let an overstating wording through");
    assert!(
        refusal.message.contains("wording-overstates-certainty"),
        "{refusal}"
    );
    assert!(
        !refusal.message.contains("reading-level"),
        "reading-level must not gate: {refusal}"
    );
    assert!(
        refusal
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "reading-level"),
        "the refusal still shows every diagnostic"
    );
    assert_eq!(site.read(CLAIM), before, "a refusal changes nothing");

    site.write(
        CLAIM,
        &format!("{text}allow:\n  - {{code: wording-overstates-certainty, reason: \"The trial measured this directly; stated as the authors did.\"}}\n"),
    );
    let edit = site
        .decide("claim-a", ReviewAction::Approve, "reviewer")
        .unwrap_or_else(|r| panic!("allowed with a reason: {r}"));
    assert!(edit.text.contains("status: approved"));
    // Only reading-level is left: a warning that informs.
    let kb = site.check();
    let codes: Vec<&str> = kb
        .diagnostics
        .iter()
        .filter(|d| d.location.path == CLAIM)
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["reading-level"]);
}
