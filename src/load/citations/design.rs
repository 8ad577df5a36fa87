//! Study designs from what a record says of itself: PubMed publication types (`PT`), the
//! genre a reference manager wrote (CSL `genre`, BibTeX `type`, RIS `M3`). Only names whose
//! meaning is one of evident's designs for sure are mapped; everything else leaves the record
//! without a design, for the editor to add (docs/sources.md has the table).
//!
//! Unmapped on purpose: "Review" (narrative and systematic reviews both carry it),
//! "Observational Study" (a cohort, case-control or cross-sectional study: which one is not
//! said), "Clinical Trial" and its phases and "Controlled Clinical Trial" (not necessarily
//! randomised), "Comparative Study", "Multicenter Study", letters, comments and editorials.

use crate::model::design_ceiling;

/// Publication types and genres, lowercased with runs of spaces collapsed, and the design
/// each one is for sure.
const SURE: &[(&str, &str)] = &[
    ("systematic review", "systematic-review"),
    ("meta-analysis", "meta-analysis"),
    ("network meta-analysis", "meta-analysis"),
    ("randomized controlled trial", "rct"),
    ("randomised controlled trial", "rct"),
    ("randomized controlled trial, veterinary", "rct"),
    ("practice guideline", "guideline"),
    ("guideline", "guideline"),
    ("clinical practice guideline", "guideline"),
    ("case reports", "case-report"),
    ("case report", "case-report"),
];

/// The design one publication type or genre names for sure.
pub fn design_of(kind: &str) -> Option<&'static str> {
    let kind = kind
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let kind = kind.trim_end_matches('.');
    SURE.iter().find(|(name, _)| *name == kind).map(|(_, d)| *d)
}

/// The design of a record from all its publication types: the mapped design that bounds
/// certainty highest, when only one design does. A systematic review that is also a
/// meta-analysis (PubMed gives Cochrane reviews both types) is a meta-analysis; any other tie
/// at the top ("Randomized Controlled Trial" and "Meta-Analysis" on one record, say) is not
/// sure, and gives None.
pub fn design_from_types<'a>(kinds: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut designs: Vec<&'static str> = kinds.into_iter().filter_map(design_of).collect();
    designs.sort_unstable();
    designs.dedup();
    let top = designs.iter().filter_map(|d| design_ceiling(d)).max()?;
    let highest: Vec<&str> = designs
        .into_iter()
        .filter(|d| design_ceiling(d) == Some(top))
        .collect();
    match highest.as_slice() {
        [one] => Some((*one).to_string()),
        ["meta-analysis", "systematic-review"] => Some("meta-analysis".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sure_types_map_and_others_do_not() {
        assert_eq!(design_of("Randomized Controlled Trial"), Some("rct"));
        assert_eq!(design_of("  case   Reports "), Some("case-report"));
        assert_eq!(design_of("Practice Guideline"), Some("guideline"));
        for unsure in [
            "Review",
            "Observational Study",
            "Clinical Trial",
            "Clinical Trial, Phase III",
            "Journal Article",
            "Letter",
        ] {
            assert_eq!(design_of(unsure), None, "{unsure}");
        }
    }

    #[test]
    fn the_highest_bound_wins_only_when_alone() {
        let of = |types: &[&str]| design_from_types(types.iter().copied());
        assert_eq!(
            of(&[
                "Journal Article",
                "Clinical Trial, Phase III",
                "Randomized Controlled Trial"
            ])
            .as_deref(),
            Some("rct")
        );
        assert_eq!(
            of(&["Case Reports", "Randomized Controlled Trial"]).as_deref(),
            Some("rct")
        );
        assert_eq!(
            of(&["Systematic Review", "Meta-Analysis"]).as_deref(),
            Some("meta-analysis")
        );
        assert_eq!(of(&["Meta-Analysis", "Randomized Controlled Trial"]), None);
        assert_eq!(of(&["Case Reports", "Guideline"]), None);
        assert_eq!(of(&["Review", "Journal Article"]), None);
        assert_eq!(of(&[]), None);
    }
}
