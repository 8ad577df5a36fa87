//! The search page's view, and the search filter values each page is indexed under (its
//! facets): the form offers exactly the values some page carries.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{EffectiveStatus, PageKind};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedTopic};

/// One search filter value of a page: `name` is the filter (type, grade, status, audience),
/// `value` the label a reader sees and picks. Labels rather than ids, because the search
/// page shows the values as they were indexed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FacetView {
    /// The filter: `type`, `grade`, `status` or `audience`.
    pub name: &'static str,
    /// The page's value for it, as a reader sees it ("Statement", "Moderate", "In review").
    pub value: String,
}

/// The search page: the query form with one list of choices per filter (template variable
/// `search`).
#[derive(Debug, Clone, Serialize)]
pub struct SearchPageView {
    /// The filters some indexed page has a value for; a filter no page carries is left out.
    pub filters: Vec<SearchFilterView>,
}

/// One filter of the search form, as a drop-down list.
#[derive(Debug, Clone, Serialize)]
pub struct SearchFilterView {
    /// The filter's id (`type`, `grade`, `status`, `audience`), the name of its form field.
    pub name: &'static str,
    /// The filter's label ("Certainty of evidence").
    pub label: &'static str,
    /// The values some page carries, in the order of their scale (never alphabetical:
    /// "High" before "Low").
    pub options: Vec<String>,
}

fn facet(name: &'static str, value: impl Into<String>) -> FacetView {
    FacetView {
        name,
        value: value.into(),
    }
}

/// What a claim page is found under: its kind of page, grade, effective status, and the
/// audiences it has wording for (every audience when one statement serves them all).
pub fn claim_facets(kb: &KnowledgeBase, claim: &ResolvedClaim) -> Vec<FacetView> {
    let scale = kb.config.grading.evidence;
    let grade = match &claim.claim.certainty {
        Some(c) => scale.label(&c.value),
        None => scale.label("not-applicable"),
    };
    let mut facets = vec![facet("type", "Statement"), facet("grade", grade)];
    if kb.face.shows_workflow(kb.config.review.publish) {
        facets.push(facet("status", claim.status.label()));
    }
    let own: Vec<_> = kb
        .config
        .audiences
        .iter()
        .filter(|a| claim.claim.audiences.iter().any(|(id, _)| id.value == a.id))
        .collect();
    let audiences = if own.is_empty() {
        kb.config.audiences.iter().collect()
    } else {
        own
    };
    facets.extend(audiences.into_iter().map(|a| facet("audience", &a.label)));
    facets
}

/// What a topic page is found under: its kind, its shown status and, for a topic with
/// claims, every audience (its audience switch shows each one its wording).
pub fn topic_facets(kb: &KnowledgeBase, topic: &ResolvedTopic) -> Vec<FacetView> {
    let is_page = topic.topic.page_kind == PageKind::Page;
    let mut facets = vec![facet("type", if is_page { "Page" } else { "Topic" })];
    if kb.face.shows_workflow(kb.config.review.publish) {
        facets.push(facet("status", topic.status.label()));
    }
    if !topic.claims.is_empty() {
        facets.extend(
            kb.config
                .audiences
                .iter()
                .map(|a| facet("audience", &a.label)),
        );
    }
    facets
}

/// What a source page is found under: its kind only.
pub fn source_facets() -> Vec<FacetView> {
    vec![facet("type", "Source")]
}

/// The search form's choices: every value some indexed page carries, in scale order.
pub fn search_view(kb: &KnowledgeBase, seen: &BTreeSet<FacetView>) -> SearchPageView {
    let scale = kb.config.grading.evidence;
    let candidates: [(&'static str, &'static str, Vec<String>); 4] = [
        (
            "type",
            "Kind of page",
            ["Topic", "Statement", "Source", "Page"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "grade",
            "Certainty of evidence",
            scale.levels().iter().map(|l| scale.label(l)).collect(),
        ),
        (
            "status",
            "Review status",
            EffectiveStatus::ORDERED
                .iter()
                .rev()
                .map(|s| s.label().to_string())
                .collect(),
        ),
        (
            "audience",
            "Written for",
            kb.config
                .audiences
                .iter()
                .map(|a| a.label.clone())
                .collect(),
        ),
    ];
    let filters = candidates
        .into_iter()
        .map(|(name, label, values)| {
            let mut options: Vec<String> = Vec::new();
            for value in values {
                if !options.contains(&value) && seen.contains(&facet(name, value.clone())) {
                    options.push(value);
                }
            }
            SearchFilterView {
                name,
                label,
                options,
            }
        })
        .filter(|f| !f.options.is_empty())
        .collect();
    SearchPageView { filters }
}

/// The not-found page, `404.html` (template variable `not_found` of `404.html`). A server
/// answers it for any unknown address, so its links are root-absolute (from the path of
/// `base_url`), not relative.
#[derive(Debug, Clone, Serialize)]
pub struct NotFoundView {
    /// The home page.
    pub home_url: String,
    /// The search page, or none when the site is built without search.
    pub search_url: Option<String>,
    /// The grading legend.
    pub grading_url: String,
}
