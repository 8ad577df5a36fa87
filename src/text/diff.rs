//! Word-level differences between the wording a reviewer approved and the wording now, shown
//! on a claim page that changed since its approval.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// One run of words: unchanged, added since the approval, or removed since it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// same | added | removed
    pub kind: &'static str,
    /// The run's text, whitespace included: the runs that are not `removed` concatenate to
    /// the current wording, those not `added` to the approved one.
    pub text: String,
}

/// The difference from `approved` to `current`, word by word, with neighbouring runs of the
/// same kind merged so the page shows whole phrases.
pub fn words(approved: &str, current: &str) -> Vec<Part> {
    let diff = TextDiff::from_words(approved, current);
    let mut parts: Vec<Part> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Insert => "added",
            ChangeTag::Delete => "removed",
        };
        match parts.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => parts.push(Part {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_changed_number() {
        let parts = words(
            "In a trial of 50 mothers, 98% relactated.",
            "In a trial of 50 mothers, 97% relactated.",
        );
        let changed: Vec<(&str, &str)> = parts
            .iter()
            .filter(|p| p.kind != "same")
            .map(|p| (p.kind, p.text.as_str()))
            .collect();
        assert_eq!(changed, vec![("removed", "98%"), ("added", "97%")]);
        let rebuilt: String = parts
            .iter()
            .filter(|p| p.kind != "removed")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(rebuilt, "In a trial of 50 mothers, 97% relactated.");
    }

    #[test]
    fn identical_text_is_one_run() {
        assert_eq!(
            words("same words", "same words"),
            vec![Part {
                kind: "same",
                text: "same words".into()
            }]
        );
    }
}
