//! The certainty of evidence in words a reader without research training understands: what
//! plain-language audiences (parents, patients) see beside a statement instead of the scale's
//! own terms, from a short table that `certainty_words:` in evident.yaml may override level by
//! level.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::{Code, Diagnostic};
use crate::model::config::EvidenceScale;
use crate::text::fields::Fields;
use crate::text::yaml::Node;

/// The top-level key of evident.yaml this table is read from.
pub const KEY: &str = "certainty_words";

/// What each level of the evidence scale means, for a plain-language reader. Levels the site
/// does not override keep [`CertaintyWords::default_phrase`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertaintyWords {
    /// The site's own phrases, by certainty value as claims write it (`low`, `2`,
    /// `not-applicable`).
    pub overrides: BTreeMap<String, String>,
}

impl CertaintyWords {
    /// The phrase for `level` of `scale`: the site's, else the default for its rank.
    pub fn phrase(&self, scale: EvidenceScale, level: &str) -> String {
        match self.overrides.get(level) {
            Some(phrase) => phrase.clone(),
            None => Self::default_phrase(scale.rank(level)).to_string(),
        }
    }

    /// The default phrase for a rank of the common ladder (4 = high … 1 = very low; None for
    /// a statement that is not graded). Worded after GRADE's plain-language guidance: say how
    /// sure we are, and what the research is like, never a symbol or a technical term.
    pub fn default_phrase(rank: Option<u8>) -> &'static str {
        match rank {
            Some(4) => "based on strong research; we are confident",
            Some(3) => "based on good research; we are fairly sure",
            Some(2) => "based on limited research; we are not sure",
            Some(_) => "based on very little research; we are very unsure",
            None => "not rated: a definition or practical advice, not a research finding",
        }
    }
}

/// Reads `certainty_words:`, a mapping of certainty level → phrase; keys must be levels of
/// `scale` (read before it).
pub fn read(node: &Node, parent: &mut Fields<'_>, scale: EvidenceScale) -> CertaintyWords {
    let (path, offset) = (parent.path(), parent.line_offset());
    let what = format!("`{KEY}`");
    let Some(mut fields) = Fields::of(node, path, offset, &what, parent.diagnostics) else {
        return CertaintyWords::default();
    };
    let mut words = CertaintyWords::default();
    for level in scale.levels() {
        let Some(phrase) = fields.text(level) else {
            continue;
        };
        let text = phrase.value.trim();
        if text.is_empty() {
            let loc = fields.location(phrase.pos);
            fields.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    loc,
                    format!("the phrase for `{level}` is empty"),
                )
                .hint("write what this certainty means to a reader, e.g. `we are not sure`"),
            );
            continue;
        }
        words
            .overrides
            .insert((*level).to_string(), text.to_string());
    }
    fields.finish(
        scale.levels(),
        &format!("{what} (the levels of the `{}` scale)", scale.name()),
    );
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::model::config::Config;

    #[test]
    fn defaults_speak_plainly_and_the_site_overrides_a_level() {
        let mut d = Diagnostics::default();
        let config = Config::parse(
            "certainty_words:\n  low: only a little research; we are unsure\n",
            "evident.yaml",
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        let words = &config.certainty_words;
        assert_eq!(
            words.phrase(EvidenceScale::Grade, "low"),
            "only a little research; we are unsure"
        );
        assert_eq!(
            words.phrase(EvidenceScale::Grade, "very-low"),
            "based on very little research; we are very unsure"
        );
        assert!(
            words
                .phrase(EvidenceScale::Grade, "not-applicable")
                .starts_with("not rated")
        );
        assert_eq!(
            words.phrase(EvidenceScale::OxfordCebm, "1"),
            "based on strong research; we are confident"
        );
    }

    #[test]
    fn a_level_of_another_scale_is_an_unknown_field_at_its_line() {
        let mut d = Diagnostics::default();
        let config = Config::parse(
            "grading: {evidence: oxford-cebm}\ncertainty_words:\n  \"2\": fairly sure\n  low: unsure\n  \"3\": \"  \"\n",
            "evident.yaml",
            &mut d,
        );
        let found: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.code, d.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|f| f.starts_with("4:unknown-field")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| f.starts_with("5:invalid-value")),
            "{found:?}"
        );
        assert_eq!(
            config
                .certainty_words
                .phrase(EvidenceScale::OxfordCebm, "2"),
            "fairly sure"
        );
    }
}
