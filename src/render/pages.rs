//! The pages that stand for one topic, claim or source: each rendered on its own (what `serve`
//! re-renders after an edit) or all of them on every core, into a [`PageSink`].

use minijinja::Value;
use minijinja::value::Serde;
use rayon::prelude::*;

use crate::model::PageKind;
use crate::model::config::Dashboard;
use crate::render::body::render_body;
use crate::render::discovery;
use crate::render::frame::{Nav, page_view, site_view};
use crate::render::jsonld::{json_ld_claim, json_ld_source};
use crate::render::options::{RenderOptions, Search};
use crate::render::sink::PageSink;
use crate::render::theme::Theme;
use crate::render::urls::{Links, PagePath};
use crate::render::view::{self, PageView, SiteView};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedSource, ResolvedTopic};
use crate::text::markdown;

/// A page of the site that stands for one topic, claim or source, by its id (a topic's slug).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    /// A topic or plain page (`<slug>/`), by its slug.
    Topic(String),
    /// A claim's page (`claims/<id>/`), by the claim's id; the site shows it only when the
    /// claim is published.
    Claim(String),
    /// A source's page (`sources/<source slug>/`), by the source's id as claims cite it (not
    /// by its slug).
    Source(String),
}

impl Page {
    /// The output file of the page; None for an id the site does not have.
    pub fn file(&self, kb: &KnowledgeBase) -> Option<String> {
        Some(match self {
            Page::Topic(slug) => PagePath::topic(slug).file(),
            Page::Claim(id) => PagePath::claim(id).file(),
            Page::Source(id) => PagePath::source(&kb.sources.get(id)?.source.slug).file(),
        })
    }
}

/// What the site-wide pages need of each topic, claim and source page: its sitemap entry and
/// the search filter values it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub(crate) entry: discovery::SitemapEntry,
    pub(crate) facets: Vec<view::FacetView>,
}

/// The [`Listed`] facts of every topic, claim and source page, by output file.
pub type Listing = std::collections::BTreeMap<String, Listed>;

/// One topic, claim or source page, rendered.
pub struct RenderedPage {
    /// Its output path, '/'-separated: `<folder>/index.html`.
    pub file: String,
    /// The page, rendered through its theme template.
    pub html: String,
    /// What the site-wide pages need of it (sitemap entry, search filters).
    pub listed: Listed,
}

/// Renders the pages of one site with one theme: each page on its own (what `serve`
/// re-renders after an edit), every page, and the pages made from the whole site
/// (`render::site`).
pub struct Renderer<'a> {
    pub(crate) kb: &'a KnowledgeBase,
    pub(crate) theme: &'a Theme,
    options: RenderOptions,
    pub(crate) site: SiteView,
    pub(crate) nav: Nav,
}

impl<'a> Renderer<'a> {
    /// A renderer of `kb` with `theme`. The dashboard is linked on the preview, and on the
    /// public face when `review.dashboard` in evident.yaml is `public`; search when `options`
    /// leave it on. `kb` must have been resolved for `options.face`.
    pub fn new(kb: &'a KnowledgeBase, theme: &'a Theme, options: &'a RenderOptions) -> Self {
        debug_assert_eq!(kb.face, options.face, "render a face with its own resolve");
        let with_dashboard =
            !options.face.is_public() || kb.config.review.dashboard == Dashboard::Public;
        Renderer {
            kb,
            theme,
            options: options.clone(),
            site: site_view(kb),
            nav: Nav {
                dashboard: with_dashboard,
                search: options.search == Search::On,
                feed: true,
            },
        }
    }

    /// Whether the site has a search page (and so a search index).
    pub fn has_search(&self) -> bool {
        self.nav.search
    }

    pub(crate) fn render_page(
        &self,
        path: &PagePath,
        template: &str,
        page: PageView,
        extra: (&str, Value),
    ) -> anyhow::Result<(String, String)> {
        let context: std::collections::BTreeMap<&str, Value> = [
            ("site", Value::from(Serde(&self.site))),
            ("page", Value::from(Serde(&page))),
            extra,
        ]
        .into_iter()
        .collect();
        let context = Value::from(context);
        Ok((path.file(), self.theme.render(template, context)?))
    }

    fn render_listed(
        &self,
        path: &PagePath,
        template: &str,
        page: PageView,
        extra: (&str, Value),
    ) -> anyhow::Result<RenderedPage> {
        let listed = Listed {
            entry: discovery::SitemapEntry {
                url: page.canonical.clone(),
                lastmod: page.last_reviewed.clone(),
            },
            facets: page.facets.clone(),
        };
        let (file, html) = self.render_page(path, template, page, extra)?;
        Ok(RenderedPage { file, html, listed })
    }

    /// Every topic, claim and source page, into `sink`, with what the site-wide pages need of
    /// them. The pages are independent: each is rendered on any core and handed to the sink
    /// as soon as it is made, so a streaming sink never holds the whole site. The listing is
    /// keyed by file, so it does not depend on which thread finished first.
    pub fn pages(&self, sink: &dyn PageSink) -> anyhow::Result<Listing> {
        let kb = self.kb;
        let topics: Vec<&ResolvedTopic> = kb.topics.values().filter(|t| t.published).collect();
        let claims: Vec<&ResolvedClaim> = kb.claims.values().filter(|c| c.published).collect();
        let sources: Vec<&ResolvedSource> = kb.sources.values().collect();
        let mut listing = Listing::new();
        listing.extend(put_each(&topics, |topic| self.topic(topic), sink)?);
        listing.extend(put_each(&claims, |claim| self.claim(claim), sink)?);
        listing.extend(put_each(&sources, |source| self.source(source), sink)?);
        Ok(listing)
    }

    /// One page; None when the site does not show it (an unknown id, an unpublished claim).
    pub fn page(&self, page: &Page) -> anyhow::Result<Option<RenderedPage>> {
        let kb = self.kb;
        Ok(match page {
            Page::Topic(slug) => kb
                .topics
                .get(slug)
                .filter(|t| t.published)
                .map(|t| self.topic(t))
                .transpose()?,
            Page::Claim(id) => kb
                .claims
                .get(id)
                .filter(|c| c.published)
                .map(|c| self.claim(c))
                .transpose()?,
            Page::Source(id) => kb.sources.get(id).map(|s| self.source(s)).transpose()?,
        })
    }

    /// A topic's page (`topic.html`), or a plain page's (`page.html`, for `kind: page`), with
    /// links to its handouts (topics only; the PDF only when PDF handouts are written).
    pub fn topic(&self, topic: &ResolvedTopic) -> anyhow::Result<RenderedPage> {
        let (kb, options) = (self.kb, &self.options);
        let path = PagePath::topic(&topic.topic.slug.value);
        let links = Links::new(&path, kb.config.pretty_urls, &kb.config.base_url);
        let body = render_body(kb, topic, self.theme, &self.site, &links)?;
        let mut topic_view = view::topic_view(kb, topic, &links, body);
        if topic.topic.page_kind == PageKind::Topic {
            let slug = &topic.topic.slug.value;
            topic_view.handout = Some(view::HandoutLinks {
                html: links.file(&crate::render::handout::output_path(slug, "html")),
                pdf: options
                    .handouts
                    .with_pdf()
                    .then(|| links.file(&crate::render::handout::output_path(slug, "pdf"))),
            });
        }
        let description = topic
            .topic
            .summary
            .clone()
            .or_else(|| topic.topic.question.clone())
            .unwrap_or_default();
        let kind = if topic.topic.page_kind == PageKind::Page {
            "page"
        } else {
            "topic"
        };
        let mut page = page_view(
            kb,
            &path,
            kind,
            &topic.topic.title,
            &description,
            self.nav,
            Some(topic),
        );
        page.last_reviewed = topic_view.last_reviewed.as_ref().map(|s| s.date.clone());
        page.review_line = view::review_line(&kb.config, &topic.topic.review, topic.due);
        page.indexed = true;
        page.facets = view::topic_facets(kb, topic);
        let template = if topic.topic.page_kind == PageKind::Page {
            "page.html"
        } else {
            "topic.html"
        };
        self.render_listed(
            &path,
            template,
            page,
            ("topic", Value::from(Serde(&topic_view))),
        )
    }

    /// A claim's page (`claim.html`). It does not check that the claim is published: callers
    /// do ([`Renderer::page`], [`Renderer::pages`]).
    pub fn claim(&self, claim: &ResolvedClaim) -> anyhow::Result<RenderedPage> {
        let kb = self.kb;
        let path = PagePath::claim(&claim.claim.id);
        let links = Links::new(&path, kb.config.pretty_urls, &kb.config.base_url);
        let claim_view = view::claim_page(kb, claim, &links);
        let title = markdown::plain_text(&claim.claim.statement.value);
        let mut page = page_view(kb, &path, "claim", &title, &title, self.nav, None);
        page.last_reviewed = claim
            .claim
            .review
            .last_approval()
            .map(|e| view::date(e.date));
        page.review_line = view::review_line(&kb.config, &claim.claim.review, claim.due);
        page.json_ld = json_ld_claim(kb, claim, &page);
        page.indexed = true;
        page.facets = view::claim_facets(kb, claim);
        page.search_titles = view::claim_search_titles(kb, claim);
        self.render_listed(
            &path,
            "claim.html",
            page,
            ("claim", Value::from(Serde(&claim_view))),
        )
    }

    /// A source's page (`source.html`).
    pub fn source(&self, source: &ResolvedSource) -> anyhow::Result<RenderedPage> {
        let kb = self.kb;
        let path = PagePath::source(&source.source.slug);
        let links = Links::new(&path, kb.config.pretty_urls, &kb.config.base_url);
        let source_view = view::source_page(kb, source, &links);
        let mut page = page_view(
            kb,
            &path,
            "source",
            &source_view.title,
            &source_view.reference,
            self.nav,
            None,
        );
        page.json_ld = json_ld_source(kb, source, &page);
        page.indexed = true;
        page.facets = view::source_facets();
        self.render_listed(
            &path,
            "source.html",
            page,
            ("source", Value::from(Serde(&source_view))),
        )
    }
}

/// Pages rendered on every core at a time before they are put into the sink.
const BATCH: usize = 1024;

/// Renders `items` on every core, [`BATCH`] at a time, then puts the batch's pages into `sink`
/// on every core too; returns what the site-wide pages need of them, in `items`' order.
/// Rendering a whole batch before putting any keeps two threads from creating files in the
/// same folders at once, which makes both wait in the kernel; putting the batch from one
/// thread instead leaves the other cores idle while it writes (benches/compare.sh: 20% more
/// wall time at 10,000 claims, on tmpfs as on disk). Memory holds one batch, not the site.
fn put_each<T: Sync>(
    items: &[T],
    render: impl Fn(&T) -> anyhow::Result<RenderedPage> + Sync,
    sink: &dyn PageSink,
) -> anyhow::Result<Vec<(String, Listed)>> {
    let mut listed = Vec::with_capacity(items.len());
    for batch in items.chunks(BATCH) {
        let pages: Vec<RenderedPage> = batch
            .par_iter()
            .map(&render)
            .collect::<anyhow::Result<_>>()?;
        let batch_listed: Vec<(String, Listed)> = pages
            .into_par_iter()
            .map(|page| {
                sink.put(page.file.clone(), page.html.into_bytes())?;
                Ok((page.file, page.listed))
            })
            .collect::<anyhow::Result<_>>()?;
        listed.extend(batch_listed);
    }
    Ok(listed)
}
