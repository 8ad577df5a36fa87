//! The grading page's view (`grading.html`): what each level of the site's evidence scale
//! means, the strengths of recommendation, the highest certainty each study design can carry,
//! and the review statuses.

use serde::Serialize;

use super::common::{CountView, StatusView, grade_symbols, plain_certainty, status_view};
use crate::model::EffectiveStatus;
use crate::model::config::EvidenceScale;
use crate::resolve::KnowledgeBase;

/// The grading page (template variable `grading` of `grading.html`).
#[derive(Debug, Clone, Serialize)]
pub struct GradingView {
    /// The evidence scale's name: "GRADE" or "Oxford CEBM levels of evidence".
    pub scale: String,
    /// The scale's levels, best first, "Not graded" last.
    pub levels: Vec<LevelView>,
    /// The strengths of recommendation of the site's scale (`name` and `label`; `count` is
    /// always 0 here).
    pub strengths: Vec<CountView>,
    /// Each study design with the highest certainty it can carry.
    pub designs: Vec<DesignView>,
    /// Every review status, worst first.
    pub statuses: Vec<StatusView>,
}

/// One level of the evidence scale.
#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    /// Its HTML id, `grade-<value>`, which every certainty badge links to.
    pub anchor: String,
    /// The level in the scale's words ("Moderate", "Level 2").
    pub label: String,
    /// GRADE's symbols for the level (⊕⊕⊕◯), when the scale is GRADE and the level graded.
    pub symbols: Option<String>,
    /// The level in the words plain-language readers see ("based on good research; we are
    /// fairly sure"), from the site's `certainty_words`.
    pub plain: String,
    /// What the level means, in a sentence.
    pub meaning: &'static str,
}

/// A study design and the highest certainty it can carry.
#[derive(Debug, Clone, Serialize)]
pub struct DesignView {
    /// The design in words ("Randomised controlled trial").
    pub design: String,
    /// The highest certainty: "High", "Moderate", "Low" or "Very low".
    pub ceiling: String,
}

/// The grading page of the site's scales.
pub fn grading_view(kb: &KnowledgeBase) -> GradingView {
    let scale = kb.config.grading.evidence;
    let meanings: &[&str] = match scale {
        EvidenceScale::Grade => &[
            "We are very confident that the true effect lies close to the estimate.",
            "We are moderately confident: the true effect is likely close to the estimate, but may be substantially different.",
            "Our confidence is limited: the true effect may be substantially different.",
            "We have very little confidence: the true effect is likely to be substantially different.",
            "A definition, or a statement that does not estimate an effect.",
        ],
        EvidenceScale::OxfordCebm => &[
            "Systematic reviews of randomised trials (or the best design for the question).",
            "Randomised trials, or observational studies with dramatic effects.",
            "Non-randomised controlled cohort or follow-up studies.",
            "Case series, case-control or historically controlled studies.",
            "Mechanism-based reasoning.",
            "A definition, or a statement that does not estimate an effect.",
        ],
    };
    let levels = scale
        .levels()
        .iter()
        .zip(meanings)
        .map(|(level, meaning)| LevelView {
            anchor: format!("grade-{level}"),
            label: scale.label(level),
            symbols: grade_symbols(scale, level),
            plain: plain_certainty(&kb.config, level),
            meaning,
        })
        .collect();
    let recs = kb.config.grading.recommendations;
    GradingView {
        scale: match scale {
            EvidenceScale::Grade => "GRADE".into(),
            EvidenceScale::OxfordCebm => "Oxford CEBM levels of evidence".into(),
        },
        levels,
        strengths: recs
            .strengths()
            .iter()
            .map(|s| CountView {
                name: (*s).to_string(),
                label: recs.label(s),
                count: 0,
            })
            .collect(),
        designs: crate::model::DESIGNS
            .iter()
            .map(|(design, ceiling)| DesignView {
                design: crate::model::design_label(design),
                ceiling: ["", "Very low", "Low", "Moderate", "High"][usize::from(*ceiling)]
                    .to_string(),
            })
            .collect(),
        statuses: EffectiveStatus::ORDERED
            .iter()
            .map(|s| status_view(*s))
            .collect(),
    }
}
