//! The handout's words for what grading and review mean, said the way a patient reads them:
//! certainty in the site's plain phrases (`certainty_words:`), a recommendation's strength as
//! "recommended" or "suggested" rather than a scale's term, and the topic's review in the
//! public face's one line.

use crate::model::config::{Config, RecommendationScale};
use crate::model::{EffectiveStatus, Kind};
use crate::render::view::{self, plain_certainty};
use crate::resolve::{ResolvedClaim, ResolvedTopic};

/// What a claim's grading means, in plain words, printed in brackets after it: the site's
/// certainty phrase ("based on limited research; we are not sure"), after a recommendation's
/// strength in plain words ("suggested, based on …"); never a scale's own term.
pub fn certainty_words(config: &Config, claim: &ResolvedClaim) -> String {
    let c = &claim.claim;
    let certainty = c
        .certainty
        .as_ref()
        .map(|v| plain_certainty(config, &v.value));
    match c.kind {
        Kind::PracticePoint => "practical advice, not a research finding".into(),
        Kind::Definition => {
            certainty.map_or_else(|| "definition".into(), |c| format!("definition, {c}"))
        }
        Kind::Recommendation => {
            let strength = c
                .strength
                .as_ref()
                .map(|s| plain_strength(config.grading.recommendations, &s.value));
            match (strength, certainty) {
                (Some(s), Some(c)) => format!("{s}, {c}"),
                (Some(s), None) => s.to_string(),
                (None, Some(c)) => c,
                (None, None) => "not rated".into(),
            }
        }
        Kind::Finding => certainty.unwrap_or_else(|| "not rated".into()),
    }
}

/// A recommendation's strength as a patient reads it. GRADE's guidance for patient versions
/// says "we recommend" for strong and "we suggest" for conditional recommendations; the other
/// scales map onto the same two words where they mean the same, and say what they mean where
/// they do not (USPSTF's C, D and I).
pub fn plain_strength(scale: RecommendationScale, strength: &str) -> &'static str {
    match (scale, strength) {
        (RecommendationScale::Grade, "strong")
        | (RecommendationScale::Sort, "A")
        | (RecommendationScale::Uspstf, "A" | "B")
        | (RecommendationScale::Nice, "offer") => "recommended",
        (RecommendationScale::Uspstf, "C") => "suggested for some people",
        (RecommendationScale::Uspstf, "D") => "not recommended",
        (RecommendationScale::Uspstf, "I") => "not enough research to say",
        _ => "suggested",
    }
}

/// The topic's own review, in one line. Approved: the public face's line, "Reviewed by NAME,
/// CREDENTIALS on DATE · Next review due DATE"; otherwise what its state is.
pub fn review_line(topic: &ResolvedTopic, config: &Config) -> String {
    let review = &topic.topic.review;
    // The public face's review line, as the pages build it.
    match (
        view::review_line(config, review, topic.due),
        topic.own_status,
    ) {
        (Some(line), EffectiveStatus::Approved) => match line.next_review {
            Some(due) => format!(
                "Reviewed by {} on {} · Next review due {due}",
                line.by, line.date
            ),
            None => format!("Reviewed by {} on {}", line.by, line.date),
        },
        (Some(line), status) => format!(
            "Reviewed by {} on {}; changed since and awaiting review ({})",
            line.by,
            line.date,
            status.label().to_lowercase()
        ),
        (None, status) => format!(
            "This topic has not been approved yet ({})",
            status.label().to_lowercase()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strengths_are_plain_words() {
        use RecommendationScale::*;
        assert_eq!(plain_strength(Grade, "strong"), "recommended");
        assert_eq!(plain_strength(Grade, "conditional"), "suggested");
        assert_eq!(plain_strength(Nice, "consider"), "suggested");
        assert_eq!(plain_strength(Uspstf, "D"), "not recommended");
        for scale in [Grade, Sort, Uspstf, Nice] {
            for strength in scale.strengths() {
                let words = plain_strength(scale, strength);
                assert!(
                    !words.contains("conditional") && !words.contains("grade"),
                    "{words}"
                );
            }
        }
    }
}
