//! What every page shares around its content: its frame (title, links home and to the
//! grading legend, the header's topics, navigation, JSON-LD) and the site's own view.

use crate::render::jsonld::json_ld_page;
use crate::render::urls::{Links, PagePath};
use crate::render::view::{self, LinkView, PageView, SiteView};
use crate::resolve::{KnowledgeBase, ResolvedTopic};
use crate::text::markdown;

/// The page linked from every footer as the editorial policy.
const POLICY_SLUG: &str = "editorial-policy";
/// Sites with more topics than this list them on the home page, not in every header.
const MAX_NAV_TOPICS: usize = 8;

/// What every page's navigation offers, decided once per render.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nav {
    pub(crate) dashboard: bool,
    pub(crate) search: bool,
    pub(crate) feed: bool,
}

pub(crate) fn site_view(kb: &KnowledgeBase) -> SiteView {
    let c = &kb.config;
    SiteView {
        title: c.title.clone(),
        language: c.language.clone(),
        disclaimer: c.disclaimer.clone(),
        notice: c.notice.clone(),
        audiences: c
            .audiences
            .iter()
            .enumerate()
            .map(|(i, a)| view::AudienceView {
                id: a.id.clone(),
                key: view::audience_key(&a.id),
                label: a.label.clone(),
                checked: i == 0,
                plain: a.plain_language,
            })
            .collect(),
        scale: c.grading.evidence.name().into(),
        face: kb.face.name(),
        workflow: kb.face.shows_workflow(c.review.publish),
        notes: kb.face.shows_notes(c.review.notes),
    }
}

/// Whether every page's header lists the topics, so that a topic's title is on every page.
pub fn nav_lists_topics(kb: &KnowledgeBase) -> bool {
    kb.topic_pages()
        .filter(|t| t.published)
        .nth(MAX_NAV_TOPICS)
        .is_none()
}

pub(crate) fn page_view(
    kb: &KnowledgeBase,
    path: &PagePath,
    kind: &'static str,
    title: &str,
    description: &str,
    nav: Nav,
    topic: Option<&ResolvedTopic>,
) -> PageView {
    let links = Links::new(path, kb.config.pretty_urls, &kb.config.base_url);
    page_view_with(kb, path, &links, (kind, title, description), nav, topic)
}

/// [`page_view`] with its links made by `links` (root-absolute ones for `404.html`).
/// `text` is the page's kind, title and description.
pub(crate) fn page_view_with(
    kb: &KnowledgeBase,
    path: &PagePath,
    links: &Links,
    text: (&'static str, &str, &str),
    nav: Nav,
    topic: Option<&ResolvedTopic>,
) -> PageView {
    let (kind, title, description) = text;
    let policy = kb
        .topics
        .get(POLICY_SLUG)
        .filter(|t| t.published)
        .map(|t| links.page(&PagePath::topic(&t.topic.slug.value)));
    let canonical = links.canonical(path);
    let json_ld = json_ld_page(kb, kind, title, description, &canonical, topic);
    PageView {
        kind,
        title: title.to_string(),
        description: markdown::plain_text(description),
        canonical,
        root: links.root().to_string(),
        stylesheet: links.file("static/style.css"),
        script: links.file("static/evident.js"),
        home_url: links.page(&PagePath::home()),
        grading_url: links.page(&PagePath::named("grading")),
        review_url: nav
            .dashboard
            .then(|| links.page(&PagePath::named("review"))),
        policy_url: policy,
        // A handful of topics fit in the header; a large site lists them on its home page
        // only, so no page carries a link to every other page (that grows as N²).
        topics: if !nav_lists_topics(kb) {
            Vec::new()
        } else {
            kb.topic_pages()
                .filter(|t| t.published)
                .map(|t| LinkView {
                    title: t.topic.title.clone(),
                    url: links.page(&PagePath::topic(&t.topic.slug.value)),
                })
                .collect()
        },
        json_ld,
        last_reviewed: None,
        review_line: None,
        search_url: nav.search.then(|| links.page(&PagePath::named("search"))),
        feed_url: nav.feed.then(|| links.file("feed.xml")),
        indexed: false,
        facets: Vec::new(),
        search_titles: Vec::new(),
    }
}
