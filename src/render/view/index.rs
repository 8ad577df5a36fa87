//! The home page's view (`index.html`): a card per topic, the plain pages, and the numbers of
//! claims by review status and by certainty.

use serde::Serialize;

use super::common::{CountView, LinkView, StatusView, counts_by_status, status_view};
use crate::model::PageKind;
use crate::render::urls::{Links, PagePath};
use crate::resolve::{KnowledgeBase, ResolvedClaim};

/// A topic on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct TopicCardView {
    /// The topic's title.
    pub title: String,
    /// The question it answers, when it has one (the card's heading, the title above).
    pub question: Option<String>,
    /// Its summary, when written.
    pub summary: Option<String>,
    /// The topic's page.
    pub url: String,
    /// The status the topic shows: the lowest of its own text's and its claims'.
    pub status: StatusView,
    /// How many published claims it embeds.
    pub claim_count: usize,
}

/// The home page (template variable `index` of `index.html`).
#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    /// Every topic, in slug order.
    pub topics: Vec<TopicCardView>,
    /// The plain pages (`kind: page`: about, editorial policy), in slug order.
    pub pages: Vec<LinkView>,
    /// Published claims by review status, worst first; a status no claim has is left out.
    pub by_status: Vec<CountView>,
    /// Published claims by certainty, best first, then "No certainty yet"; a level no claim
    /// has is left out.
    pub by_grade: Vec<CountView>,
    /// How many claims are published.
    pub claim_count: usize,
    /// How many sources the site has.
    pub source_count: usize,
}

/// The home page.
pub fn index_view(kb: &KnowledgeBase, links: &Links) -> IndexView {
    let published: Vec<&ResolvedClaim> = kb.claims.values().filter(|c| c.published).collect();
    let scale = kb.config.grading.evidence;
    let by_grade = scale
        .levels()
        .iter()
        .map(|level| CountView {
            name: (*level).to_string(),
            label: scale.label(level),
            count: published
                .iter()
                .filter(|c| {
                    c.claim
                        .certainty
                        .as_ref()
                        .is_some_and(|x| x.value == *level)
                })
                .count(),
        })
        .chain(std::iter::once(CountView {
            name: "ungraded".into(),
            label: "No certainty yet".into(),
            count: published
                .iter()
                .filter(|c| c.claim.certainty.is_none())
                .count(),
        }))
        .filter(|c| c.count > 0)
        .collect();
    IndexView {
        topics: kb
            .topic_pages()
            .filter(|t| t.published)
            .map(|t| TopicCardView {
                title: t.topic.title.clone(),
                question: t.topic.question.clone(),
                summary: t.topic.summary.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
                status: status_view(t.status),
                claim_count: t
                    .claims
                    .iter()
                    .filter(|id| kb.claims.get(*id).is_some_and(|c| c.published))
                    .count(),
            })
            .collect(),
        pages: kb
            .topics
            .values()
            .filter(|t| t.topic.page_kind == PageKind::Page && t.published)
            .map(|t| LinkView {
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
            })
            .collect(),
        by_status: counts_by_status(published.iter().map(|c| c.status)),
        by_grade,
        claim_count: published.len(),
        source_count: kb.sources.len(),
    }
}
