//! The source view: a source's own page (`source.html`), with the claims citing it grouped by
//! how the source bears on them, and the pages it is cited on.

use serde::Serialize;

use super::common::{LinkView, StatusView, relation_label, source_links, status_view};
use crate::model::Relation;
use crate::render::urls::{Links, PagePath};
use crate::resolve::{KnowledgeBase, ResolvedSource};
use crate::text::markdown;

/// A claim citing the source.
#[derive(Debug, Clone, Serialize)]
pub struct CitingClaimView {
    /// The claim's statement, as plain text.
    pub title: String,
    /// The claim's page.
    pub url: Option<String>,
    /// The claim's review status.
    pub status: StatusView,
}

/// The claims a source bears on in one way.
#[derive(Debug, Clone, Serialize)]
pub struct RelationGroupView {
    /// How the source bears on them: supports, qualifies or disputes.
    pub relation: &'static str,
    /// The relation in words ("Supports"), the group's heading.
    pub label: &'static str,
    /// The published claims it bears on in this way.
    pub claims: Vec<CitingClaimView>,
}

/// A source's own page (template variable `source` of `source.html`).
#[derive(Debug, Clone, Serialize)]
pub struct SourcePageView {
    /// The source's id, as claims and pages cite it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The formatted reference (Vancouver), as plain text.
    pub reference: String,
    /// What kind of source it is ("Guideline", "Review", "Research").
    pub label: String,
    /// Its CSL type (`article-journal`, `report`, `webpage`), when recorded.
    pub kind: Option<String>,
    /// The study design in words ("Randomised controlled trial"), when recorded.
    pub design: Option<String>,
    /// The number of participants, when recorded.
    pub sample_size: Option<u64>,
    /// The year it was issued, when known.
    pub year: Option<i32>,
    /// Where it can be read (DOI, PubMed, web address).
    pub links: Vec<LinkView>,
    /// The published claims citing it, grouped by relation (supports, qualifies, disputes,
    /// in that order); a relation no claim has is left out.
    pub groups: Vec<RelationGroupView>,
    /// The pages whose text cites it.
    pub cited_in: Vec<LinkView>,
    /// The retraction, when the source has been retracted.
    pub retracted: Option<RetractionView>,
    /// The newer source that supersedes this one, when the editors recorded it.
    pub superseded_by: Option<LinkView>,
    /// The note of its bibliographic record (CSL `note`), when there is one.
    pub note: Option<String>,
}

/// A source's retraction.
#[derive(Debug, Clone, Serialize)]
pub struct RetractionView {
    /// When it was retracted, as recorded.
    pub date: Option<String>,
    /// The retraction notice (a reference or a sentence), as recorded.
    pub notice: Option<String>,
}

/// A source's own page.
pub fn source_page(kb: &KnowledgeBase, resolved: &ResolvedSource, links: &Links) -> SourcePageView {
    let s = &resolved.source;
    let groups = [Relation::Supports, Relation::Qualifies, Relation::Disputes]
        .into_iter()
        .map(|relation| RelationGroupView {
            relation: relation.name(),
            label: relation_label(relation),
            claims: resolved
                .cited_by
                .iter()
                .filter(|(_, r)| *r == relation)
                .filter_map(|(id, _)| kb.claims.get(id))
                .filter(|c| c.published)
                .map(|c| CitingClaimView {
                    title: markdown::plain_text(&c.claim.statement.value),
                    url: Some(links.page(&PagePath::claim(&c.claim.id))),
                    status: status_view(c.status),
                })
                .collect(),
        })
        .filter(|g| !g.claims.is_empty())
        .collect();
    SourcePageView {
        id: s.id.clone(),
        title: s.title().to_string(),
        reference: resolved.reference(&kb.style).to_owned(),
        label: s.label(),
        kind: s.csl_str("type").map(str::to_string),
        design: s.evidence.design.as_deref().map(crate::model::design_label),
        sample_size: s.evidence.sample_size,
        year: s.year(),
        links: source_links(s),
        groups,
        cited_in: resolved
            .cited_in
            .iter()
            .filter_map(|slug| kb.topics.get(slug))
            .filter(|t| t.published)
            .map(|t| LinkView {
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
            })
            .collect(),
        retracted: s.evidence.retracted.as_ref().map(|r| RetractionView {
            date: r.date.clone(),
            notice: r.notice.clone(),
        }),
        superseded_by: s
            .evidence
            .superseded_by
            .as_ref()
            .and_then(|id| kb.sources.get(id))
            .map(|n| LinkView {
                title: n.source.title().to_string(),
                url: links.page(&PagePath::source(&n.source.slug)),
            }),
        note: s.csl_str("note").map(str::to_string),
    }
}
