//! A claim's wordings judged as text: the reading level of what plain-language audiences read
//! (`reading-level`, which informs), and wording that overstates the certainty of the evidence
//! or words a recommendation against its strength (`wording-overstates-certainty`, an
//! evidence-integrity warning that stops approval unless `allow:` gives the reason).
//!
//! **Which certainty is low.** The scale's rank ([`EvidenceScale::rank`]) puts both scales on
//! one ladder: rank 2 is GRADE `low` and Oxford CEBM level 3, rank 1 GRADE `very-low` and
//! Oxford CEBM levels 4 and 5. Those are "low or very low"; `not-applicable` and no certainty
//! are not checked.
//!
//! **Findings and the other kinds** (low or very low): each of the statement and the audience
//! wordings, as plain text, unless it reports what one study found
//! ([`certainty::is_attribution`]: "In a small trial, …"), is flagged at the first word of
//! [`certainty::ABSOLUTES`] or [`certainty::PROOF_WORDS`] not negated ("always", "proven"), else
//! when it has none of [`certainty::HEDGES`]. An attribution anywhere in a wording exempts the
//! whole wording: its other sentences are mostly about that study ("The study does not say
//! which method helped").
//!
//! **Recommendations**: their wording follows their strength, not the certainty (GRADE words
//! strong recommendations plainly even on low certainty), so each sentence or clause (cut at
//! `:` and `;`) that is not an attribution is flagged for words of proof when the certainty is low or very low, for
//! [`certainty::OPTIONAL_WORDS`] when the strength is strong, and for [`certainty::MUST_WORDS`]
//! when it is conditional. Strong: GRADE `strong`, NICE `offer`, USPSTF `A`, `B` and `D`;
//! conditional: GRADE `conditional`, NICE `consider`, USPSTF `C`. SORT grades and USPSTF `I`
//! say how good the evidence is rather than how directive the wording should be: not checked.
//!
//! Retired claims are not checked: nobody will approve them again.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::config::{Config, EvidenceScale, RecommendationScale};
use crate::model::{Claim, Kind, ReviewStatus};
use crate::text::certainty::{self, Hit};
use crate::text::markdown::plain_text;
use crate::text::readability::{Counts, rounded};
use crate::text::yaml::Spanned;

/// The reading grade of what one plain-language audience reads of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingGrade {
    /// The audience's id.
    pub audience: String,
    /// The audience's label.
    pub label: String,
    /// The Flesch–Kincaid grade, rounded to one decimal.
    pub grade: f64,
    /// Whether it is above the site's `plain_language.max_grade`.
    pub above: bool,
    /// Whether the claim has its own wording for the audience (false: the statement was
    /// measured, which the audience reads instead).
    pub own_wording: bool,
}

/// The reading grade of each plain-language audience's wording of `claim` (none on a site
/// not in English), in the site's order of audiences; an empty wording has none.
pub fn reading_grades(claim: &Claim, config: &Config) -> Vec<ReadingGrade> {
    config
        .plain_language_audiences()
        .filter_map(|audience| {
            let own = claim.audiences.iter().find(|(a, _)| a.value == audience.id);
            let text = own.map_or(&claim.statement.value, |(_, w)| &w.value);
            let grade = rounded(Counts::of(&plain_text(text)).grade()?);
            Some(ReadingGrade {
                audience: audience.id.clone(),
                label: audience.label.clone(),
                grade,
                above: grade > config.plain_language.max_grade,
                own_wording: own.is_some(),
            })
        })
        .collect()
}

/// Reports `reading-level` and `wording-overstates-certainty` for `claim`; `file` is the
/// claim file's text, to place a word exactly.
pub(super) fn check_wordings(
    claim: &Claim,
    config: &Config,
    file: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    if claim.review.status == ReviewStatus::Retired {
        return;
    }
    check_reading_level(claim, config, diagnostics);
    check_certainty(claim, config, file, diagnostics);
}

fn check_reading_level(claim: &Claim, config: &Config, diagnostics: &mut Diagnostics) {
    let target = config.plain_language.target();
    for grade in reading_grades(claim, config)
        .into_iter()
        .filter(|g| g.above)
    {
        let wording = claim
            .audiences
            .iter()
            .find(|(a, _)| a.value == grade.audience)
            .map_or(&claim.statement, |(_, w)| w);
        let counts = Counts::of(&plain_text(&wording.value));
        let what = if grade.own_wording {
            String::new()
        } else {
            format!(
                " of the statement, which the {} audience reads (the claim has no `{}` wording),",
                grade.audience, grade.audience
            )
        };
        diagnostics.push(
            Diagnostic::warning(
                Code::ReadingLevel,
                Location::new(&claim.path, wording.pos.line, wording.pos.column),
                format!(
                    "Flesch–Kincaid grade {:.1}{what} is above the site's target of {target} for the {} audience ({})",
                    grade.grade, grade.audience, grade.label
                ),
            )
            .hint(format!(
                "shorter sentences and everyday words with fewer syllables lower the grade: it has {:.1} words a sentence and {:.2} syllables a word; keep the meaning and every figure as verified",
                counts.words_per_sentence(),
                counts.syllables_per_word()
            ))
            .hint("this informs and does not block approval (`plain_language.max_grade` in evident.yaml sets the target)"),
        );
    }
}

/// Strong or conditional, where the scale says (see the module documentation).
fn is_strong(scale: RecommendationScale, strength: &str) -> Option<bool> {
    match (scale, strength) {
        (RecommendationScale::Grade, "strong")
        | (RecommendationScale::Nice, "offer")
        | (RecommendationScale::Uspstf, "A" | "B" | "D") => Some(true),
        (RecommendationScale::Grade, "conditional")
        | (RecommendationScale::Nice, "consider")
        | (RecommendationScale::Uspstf, "C") => Some(false),
        _ => None,
    }
}

fn check_certainty(
    claim: &Claim,
    config: &Config,
    file: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    let scale = config.grading.evidence;
    let certainty = claim
        .certainty
        .as_ref()
        .filter(|c| scale.rank(&c.value).is_some_and(|rank| rank <= 2));
    let level = certainty.map(|c| level_words(scale, &c.value));
    let wordings = std::iter::once(("the statement".to_string(), &claim.statement)).chain(
        claim
            .audiences
            .iter()
            .map(|(a, w)| (format!("the {} wording", a.value), w)),
    );
    let strong = claim
        .strength
        .as_ref()
        .filter(|_| claim.kind == Kind::Recommendation)
        .and_then(|s| is_strong(config.grading.recommendations, &s.value));
    for (whose, wording) in wordings {
        let plain = plain_text(&wording.value);
        let mut report = |hit: Option<&Hit>, message: String, hint: String| {
            let at = place(&claim.path, file, wording, &plain, hit);
            let width = hit.map_or(1, |h| h.text.chars().count());
            diagnostics.push(
                Diagnostic::warning(Code::WordingOverstatesCertainty, at, message)
                    .width(width)
                    .hint(hint)
                    .hint("or, where the wording is right as it is, add `allow: [{code: wording-overstates-certainty, reason: \"…\"}]` saying why"),
            );
        };
        if claim.kind != Kind::Recommendation {
            let (Some(level), Some(certainty)) = (&level, certainty) else {
                continue;
            };
            if plain.trim().is_empty() || certainty::is_attribution(&plain) {
                continue;
            }
            let hint = grade_hint(&certainty.value, scale);
            let overstating: Vec<&'static str> = certainty::ABSOLUTES
                .iter()
                .chain(certainty::PROOF_WORDS)
                .copied()
                .collect();
            if let Some(hit) = certainty::find(&plain, &overstating, true) {
                report(
                    Some(&hit),
                    format!(
                        "{whose} says \"{}\", which states as certain a finding whose certainty is {level}",
                        hit.text
                    ),
                    hint,
                );
            } else if !certainty::is_hedged(&plain) {
                report(
                    None,
                    format!(
                        "{whose} states as certain a finding whose certainty is {level}: it has no hedge such as \"may\", \"probably\" or \"uncertain\""
                    ),
                    hint,
                );
            }
            continue;
        }
        // A recommendation: one report per wording and rule, at the first sentence that has it.
        // Clauses, so that "Water daily: in a trial of 40 gardens, …" judges "Water daily".
        let sentences: Vec<&str> = crate::text::readability::sentences(&plain)
            .into_iter()
            .flat_map(|(_, s)| s.split([':', ';']))
            .filter(|s| !certainty::is_attribution(s))
            .collect();
        let first = |list: &[&'static str], skip_negated: bool| {
            sentences
                .iter()
                .find_map(|s| certainty::find(s, list, skip_negated))
        };
        if let Some(level) = &level
            && let Some(hit) = first(certainty::PROOF_WORDS, true)
        {
            report(
                Some(&hit),
                format!(
                    "{whose} says \"{}\", which states as certain a recommendation whose evidence is of {level} certainty",
                    hit.text
                ),
                "say what the evidence shows, without words of proof".into(),
            );
        }
        match strong {
            Some(true) => {
                if let Some(hit) = first(certainty::OPTIONAL_WORDS, false) {
                    report(
                        Some(&hit),
                        format!("{whose} says \"{}\", which makes a strong recommendation sound optional", hit.text),
                        "word a strong recommendation as a clear action (\"Offer …\", \"Water …\", \"We recommend …\"), or check its strength".into(),
                    );
                }
            }
            Some(false) => {
                if let Some(hit) = first(certainty::MUST_WORDS, true) {
                    report(
                        Some(&hit),
                        format!("{whose} says \"{}\", which makes a conditional recommendation sound like a must", hit.text),
                        "word a conditional recommendation as a suggestion (\"Consider …\", \"We suggest …\", \"… may help\"), or check its strength".into(),
                    );
                }
            }
            None => {}
        }
    }
}

/// A certainty as a message names it: `low`, `very low`, `level 4`.
fn level_words(scale: EvidenceScale, level: &str) -> String {
    scale.label(level).to_lowercase()
}

/// How GRADE words findings of this certainty (rank 2: "may"; rank 1: "very uncertain").
fn grade_hint(level: &str, scale: EvidenceScale) -> String {
    if scale.rank(level) == Some(1) {
        "GRADE words very low certainty as \"The evidence is very uncertain about the effect of X on Y\"; or say which study found it (\"In a small trial, …\")".into()
    } else {
        "GRADE words low certainty with \"may\" (\"X may improve Y\"); or say which study found it (\"In a small trial, …\")".into()
    }
}

/// Where a hit is in the claim file at `path`: the same words in the wording as written
/// (Markdown may differ from its plain text), else the wording's start.
fn place(
    path: &str,
    file: Option<&str>,
    wording: &Spanned<String>,
    plain: &str,
    hit: Option<&Hit>,
) -> Location {
    let start = hit.and_then(|h| {
        if wording.value == plain {
            Some(h.start)
        } else {
            wording.value.find(&h.text)
        }
    });
    let (line, column) = match (hit, start) {
        (Some(h), Some(start)) => {
            crate::text::fields::position_in_value(file, wording, start, &h.text)
        }
        _ => (wording.pos.line, wording.pos.column),
    };
    Location::new(path, line, column)
}
