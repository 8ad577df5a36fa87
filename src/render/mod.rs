//! Stage 3: a [`KnowledgeBase`] and a theme → every page of the site, in memory.

pub mod api;
pub mod discovery;
pub mod handout;
pub mod search;
pub mod theme;
pub mod urls;
pub mod view;

use std::collections::BTreeSet;

use minijinja::Value;
use minijinja::value::Serde;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::PageKind;
use crate::model::config::{Dashboard, Publish};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedSource, ResolvedTopic};
use crate::text::escape;
use crate::text::markdown::{self, CiteKey, Hooks};
use crate::write::Output;
use theme::Theme;
use urls::{Links, PagePath};
use view::{LinkView, PageView, SiteView};

/// Lists a page rendered on its own in the sitemap and the search filters.
fn listed(
    page: &PageView,
    sitemap: &mut Vec<discovery::SitemapEntry>,
    facets: &mut BTreeSet<view::FacetView>,
) {
    sitemap.push(discovery::SitemapEntry {
        url: page.canonical.clone(),
        lastmod: page.last_reviewed.clone(),
    });
    facets.extend(page.facets.iter().cloned());
}

/// The page linked from every footer as the editorial policy.
const POLICY_SLUG: &str = "editorial-policy";
/// Sites with more topics than this list them on the home page, not in every header.
const MAX_NAV_TOPICS: usize = 8;
/// Pages rendered in parallel per batch: a streaming output writes each batch before the next
/// is rendered, so memory holds a batch of pages, not the whole site.
const BATCH: usize = 1024;

/// Renders `items` on every core, [`BATCH`] at a time, handing each batch to `add` in order.
fn in_batches<T: Sync>(
    items: &[T],
    render: impl Fn(&T) -> anyhow::Result<RenderedPage> + Sync,
    add: &mut impl FnMut(Vec<RenderedPage>),
) -> anyhow::Result<()> {
    for batch in items.chunks(BATCH) {
        add(batch
            .par_iter()
            .map(&render)
            .collect::<anyhow::Result<_>>()?);
    }
    Ok(())
}

/// What to render beyond the defaults of the site's configuration.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Put the editor dashboard into this output (always for `serve`, and for the separate
    /// folder of `build --dashboard DIR`); otherwise `dashboard: public` decides.
    pub dashboard: Option<bool>,
    /// Only the dashboard (for `build --dashboard DIR`), linking to the site through `base_url`.
    pub dashboard_only: bool,
    /// Leave out the search page, the search box and the index (`build --no-search`).
    /// Negative so that the default, for `build` and `serve` alike, is a site with search.
    pub no_search: bool,
    /// Which printable handouts the site carries; topic pages link only what is written.
    pub handouts: Handouts,
}

/// The handout formats written beside the pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Handouts {
    pub html: bool,
    pub pdf: bool,
}

/// What every page's navigation offers, decided once per render.
#[derive(Debug, Clone, Copy)]
struct Nav {
    dashboard: bool,
    search: bool,
    feed: bool,
}

/// Renders every page. Fails only when the theme fails; content problems were diagnosed before.
pub fn render(
    kb: &KnowledgeBase,
    theme: &Theme,
    options: &RenderOptions,
) -> anyhow::Result<Output> {
    render_into(kb, theme, options, Output::new())
}

/// [`render`] into a given output (a streaming one writes pages as they are rendered).
pub fn render_into(
    kb: &KnowledgeBase,
    theme: &Theme,
    options: &RenderOptions,
    mut output: Output,
) -> anyhow::Result<Output> {
    if options.dashboard_only {
        render_dashboard(
            kb,
            theme,
            &site_view(kb),
            &mut output,
            // A dashboard in a folder of its own has no search page or feed beside it.
            Nav {
                dashboard: true,
                search: false,
                feed: false,
            },
            true,
        )?;
        for (name, bytes) in &theme.static_files {
            output.insert(format!("static/{name}"), bytes.clone());
        }
        return Ok(output);
    }
    let renderer = Renderer::new(kb, theme, options);
    let listing = renderer.pages_into(&mut output)?;
    output.insert_all(renderer.aggregates(&listing)?);
    // Last, over the finished pages: the index holds exactly what the site shows.
    if renderer.has_search() {
        for (path, bytes) in search_index(kb, &output)? {
            output.insert(path, bytes);
        }
    }
    Ok(output)
}

/// The search index of a site's rendered pages (`output` without the index itself).
pub fn search_index(kb: &KnowledgeBase, output: &Output) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    search::index(output, &kb.config.language, !kb.config.pretty_urls)
}

/// A page of the site that stands for one topic, claim or source, by its id (a topic's slug).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    Topic(String),
    Claim(String),
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
    entry: discovery::SitemapEntry,
    facets: Vec<view::FacetView>,
}

/// The [`Listed`] facts of every topic, claim and source page, by output file.
pub type Listing = std::collections::BTreeMap<String, Listed>;

/// One topic, claim or source page, rendered.
pub struct RenderedPage {
    pub file: String,
    pub html: String,
    pub listed: Listed,
}

/// Renders the pages of one site with one theme: each page on its own (what `serve`
/// re-renders after an edit), every page, and the pages made from the whole site.
pub struct Renderer<'a> {
    kb: &'a KnowledgeBase,
    theme: &'a Theme,
    options: &'a RenderOptions,
    site: SiteView,
    nav: Nav,
}

impl<'a> Renderer<'a> {
    pub fn new(kb: &'a KnowledgeBase, theme: &'a Theme, options: &'a RenderOptions) -> Self {
        let with_dashboard = options
            .dashboard
            .unwrap_or(kb.config.review.dashboard == Dashboard::Public);
        Renderer {
            kb,
            theme,
            options,
            site: site_view(kb),
            nav: Nav {
                dashboard: with_dashboard,
                search: !options.no_search,
                feed: true,
            },
        }
    }

    /// Whether the site has a search page (and so a search index).
    pub fn has_search(&self) -> bool {
        self.nav.search
    }

    fn render_page(
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

    /// Every topic, claim and source page, with what the site-wide pages need of them.
    pub fn pages(&self) -> anyhow::Result<(Output, Listing)> {
        let mut output = Output::new();
        let listing = self.pages_into(&mut output)?;
        Ok((output, listing))
    }

    /// [`Renderer::pages`] into a given output. Topic, claim and source pages are
    /// independent: rendered on every core in batches, each batch added in a fixed order, so
    /// the bytes do not depend on which thread finished first, and a streaming output holds
    /// one batch at a time, never the whole site.
    pub fn pages_into(&self, output: &mut Output) -> anyhow::Result<Listing> {
        let kb = self.kb;
        let mut listing = Listing::new();
        let mut add = |pages: Vec<RenderedPage>| {
            let mut files = Vec::with_capacity(pages.len());
            for page in pages {
                listing.insert(page.file.clone(), page.listed);
                files.push((page.file, page.html.into_bytes()));
            }
            output.insert_all(files);
        };
        let topics: Vec<&ResolvedTopic> = kb.topics.values().collect();
        in_batches(&topics, |topic| self.topic(topic), &mut add)?;
        let claims: Vec<&ResolvedClaim> = kb.claims.values().filter(|c| c.published).collect();
        in_batches(&claims, |claim| self.claim(claim), &mut add)?;
        let sources: Vec<&ResolvedSource> = kb.sources.values().collect();
        in_batches(&sources, |source| self.source(source), &mut add)?;
        Ok(listing)
    }

    /// One page; None when the site does not show it (an unknown id, an unpublished claim).
    pub fn page(&self, page: &Page) -> anyhow::Result<Option<RenderedPage>> {
        let kb = self.kb;
        Ok(match page {
            Page::Topic(slug) => kb.topics.get(slug).map(|t| self.topic(t)).transpose()?,
            Page::Claim(id) => kb
                .claims
                .get(id)
                .filter(|c| c.published)
                .map(|c| self.claim(c))
                .transpose()?,
            Page::Source(id) => kb.sources.get(id).map(|s| self.source(s)).transpose()?,
        })
    }

    pub fn topic(&self, topic: &ResolvedTopic) -> anyhow::Result<RenderedPage> {
        let (kb, options) = (self.kb, self.options);
        let path = PagePath::topic(&topic.topic.slug.value);
        let links = Links::new(&path, kb.config.pretty_urls, &kb.config.base_url);
        let body = render_body(kb, topic, self.theme, &self.site, &links)?;
        let mut topic_view = view::topic_view(kb, topic, &links, body);
        if options.handouts.html && topic.topic.page_kind == PageKind::Topic {
            let slug = &topic.topic.slug.value;
            topic_view.handout = Some(view::HandoutLinks {
                html: links.file(&crate::render::handout::output_path(slug, "html")),
                pdf: options
                    .handouts
                    .pdf
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
        page.json_ld = json_ld_claim(kb, claim, &page);
        page.indexed = true;
        page.facets = view::claim_facets(kb, claim);
        self.render_listed(
            &path,
            "claim.html",
            page,
            ("claim", Value::from(Serde(&claim_view))),
        )
    }

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

    /// The files made from the whole site rather than one topic, claim or source: the home
    /// page, the grading legend, the search page, the dashboard, the API, the sitemap, the
    /// feed, robots.txt and the theme's static files. `listing` is of every other page.
    pub fn aggregates(&self, listing: &Listing) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        let (kb, nav) = (self.kb, self.nav);
        let mut output = Output::new();
        // Every page rendered that a search engine should know of, with its last review date.
        let mut sitemap: Vec<discovery::SitemapEntry> = Vec::new();
        // Every search filter value some page carries, for the search form's choices.
        let mut facets_seen: BTreeSet<view::FacetView> = BTreeSet::new();
        for listed in listing.values() {
            sitemap.push(listed.entry.clone());
            facets_seen.extend(listed.facets.iter().cloned());
        }

        let home = PagePath::home();
        let links = Links::new(&home, kb.config.pretty_urls, &kb.config.base_url);
        let page = page_view(kb, &home, "home", &kb.config.title, "", nav, None);
        listed(&page, &mut sitemap, &mut facets_seen);
        let (file, html) = self.render_page(
            &home,
            "index.html",
            page,
            ("index", Value::from(Serde(view::index_view(kb, &links)))),
        )?;
        output.insert(file, html);

        let grading = PagePath::named("grading");
        let page = page_view(
            kb,
            &grading,
            "grading",
            "How we grade evidence",
            "The evidence scale, review states and what they mean.",
            nav,
            None,
        );
        listed(&page, &mut sitemap, &mut facets_seen);
        let (file, html) = self.render_page(
            &grading,
            "grading.html",
            page,
            ("grading", Value::from(Serde(view::grading_view(kb)))),
        )?;
        output.insert(file, html);

        if nav.search {
            let path = PagePath::named("search");
            let page = page_view(
                kb,
                &path,
                "search",
                "Search",
                "Search the topics, statements and sources of this site.",
                nav,
                None,
            );
            let search = view::search_view(kb, &facets_seen);
            let (file, html) = self.render_page(
                &path,
                "search.html",
                page,
                ("search", Value::from(Serde(&search))),
            )?;
            output.insert(file, html);
        }
        // The dashboard and the API are each a pass over every claim, independent of each
        // other and of the small files: rendered side by side.
        let mut dashboard = Output::new();
        let (dashboard_done, (api_files, discovery_files)) = rayon::join(
            || {
                if nav.dashboard {
                    render_dashboard(kb, self.theme, &self.site, &mut dashboard, nav, false)?;
                }
                anyhow::Ok(())
            },
            || {
                rayon::join(
                    || api::render(kb),
                    || {
                        [
                            ("sitemap.xml", discovery::sitemap(&sitemap)),
                            ("feed.xml", discovery::feed(kb)),
                            ("robots.txt", discovery::robots(&kb.config.base_url)),
                        ]
                    },
                )
            },
        );
        dashboard_done?;
        output.insert_all(dashboard.files.into_iter().collect());
        for (name, bytes) in &self.theme.static_files {
            output.insert(format!("static/{name}"), bytes.clone());
        }
        output.insert_all(api_files);
        for (path, bytes) in discovery_files {
            output.insert(path, bytes);
        }
        Ok(output.files.into_iter().collect())
    }
}

fn render_dashboard(
    kb: &KnowledgeBase,
    theme: &Theme,
    site: &SiteView,
    output: &mut Output,
    nav: Nav,
    apart: bool,
) -> anyhow::Result<()> {
    let path = PagePath::named("review");
    let mut links = Links::new(&path, kb.config.pretty_urls, &kb.config.base_url);
    let mut page = page_view(
        kb,
        &path,
        "review",
        "Editor dashboard",
        "Review queue and status of every claim.",
        nav,
        None,
    );
    if apart {
        // A dashboard in a folder of its own links to the published site by absolute URL.
        links = Links::new(
            &PagePath::home(),
            kb.config.pretty_urls,
            &kb.config.base_url,
        );
        let absolute =
            |url: &str| format!("{}{}", kb.config.base_url, url.trim_start_matches("../"));
        page.home_url = absolute(&page.home_url);
        page.grading_url = absolute(&page.grading_url);
        page.policy_url = page.policy_url.as_deref().map(absolute);
        page.topics
            .iter_mut()
            .for_each(|t| t.url = absolute(&t.url));
    }
    let mut dashboard = view::dashboard_view(
        kb,
        &links,
        kb.config.review.publish == Publish::ApprovedOnly && !apart,
    );
    if apart {
        for row in &mut dashboard.rows {
            row.url = row
                .url
                .as_deref()
                .map(|u| format!("{}{}", kb.config.base_url, u));
        }
        for topic in &mut dashboard.topics {
            topic.url = format!("{}{}", kb.config.base_url, topic.url);
        }
        page.stylesheet = "../static/style.css".into();
        page.script = "../static/evident.js".into();
    }
    // About 750 bytes a statement in the default theme; a longer row only makes the buffer
    // grow once.
    let capacity = 64 * 1024 + dashboard.rows.len() * 1024;
    let context = minijinja::context! { site => Serde(site), page => Serde(&page), dashboard => Serde(&dashboard) };
    output.insert(
        path.file(),
        theme.render_with_capacity("review.html", context, capacity)?,
    );
    Ok(())
}

fn site_view(kb: &KnowledgeBase) -> SiteView {
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
            })
            .collect(),
        scale: c.grading.evidence.name().into(),
    }
}

/// Whether every page's header lists the topics, so that a topic's title is on every page.
pub fn nav_lists_topics(kb: &KnowledgeBase) -> bool {
    kb.topic_pages().nth(MAX_NAV_TOPICS).is_none()
}

fn page_view(
    kb: &KnowledgeBase,
    path: &PagePath,
    kind: &'static str,
    title: &str,
    description: &str,
    nav: Nav,
    topic: Option<&ResolvedTopic>,
) -> PageView {
    let links = Links::new(path, kb.config.pretty_urls, &kb.config.base_url);
    let policy = kb
        .topics
        .get(POLICY_SLUG)
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
                .map(|t| LinkView {
                    title: t.topic.title.clone(),
                    url: links.page(&PagePath::topic(&t.topic.slug.value)),
                })
                .collect()
        },
        json_ld,
        last_reviewed: None,
        search_url: nav.search.then(|| links.page(&PagePath::named("search"))),
        feed_url: nav.feed.then(|| links.file("feed.xml")),
        indexed: false,
        facets: Vec::new(),
    }
}

/// schema.org JSON-LD, safe inside `<script>`: `<`, `>` and `&` are written as JSON escapes.
fn script_json(value: &impl Serialize) -> String {
    escape::script_json(&serde_json::to_string(value).unwrap_or_else(|_| "{}".into()))
}

/// schema.org JSON-LD of a page. Topic pages are `MedicalWebPage`s with the facts a reader
/// and a search engine look for: when and by whom the text was last reviewed, for whom it is
/// written and what it cites. Other pages are plain `WebPage`s of the site.
fn json_ld_page(
    kb: &KnowledgeBase,
    kind: &str,
    title: &str,
    description: &str,
    url: &str,
    topic: Option<&ResolvedTopic>,
) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if kind == "topic" { "MedicalWebPage" } else { "WebPage" },
        "name": markdown::plain_text(title),
        "url": url,
        "inLanguage": kb.config.language,
        "isPartOf": {"@type": "WebSite", "name": kb.config.title, "url": kb.config.base_url},
    });
    if !description.is_empty() {
        doc["description"] = markdown::plain_text(description).into();
    }
    if let Some(topic) = topic {
        if let Some(approval) = topic.topic.review.last_approval() {
            doc["lastReviewed"] = approval.date.to_string().into();
            doc["reviewedBy"] = person_ld(kb, &approval.by.value);
        }
        if !topic.claims.is_empty() {
            add_audiences(kb, &mut doc);
        }
        let citations: Vec<_> = topic
            .references
            .iter()
            .filter_map(|id| kb.sources.get(id))
            .map(|s| citation_ld(kb, s))
            .collect();
        if !citations.is_empty() {
            doc["citation"] = citations.into();
        }
    }
    script_json(&doc)
}

/// A reviewer as a schema.org `Person`, with credentials when the configuration gives them.
fn person_ld(kb: &KnowledgeBase, id: &str) -> serde_json::Value {
    let mut person =
        serde_json::json!({"@type": "Person", "name": view::reviewer_name(&kb.config, id)});
    if let Some(reviewer) = kb.config.reviewer(id) {
        person["name"] = reviewer.name.clone().into();
        if let Some(credentials) = &reviewer.credentials {
            person["hasCredential"] = credentials.clone().into();
        }
    }
    person
}

/// The site's audiences (the wordings a reader can choose between).
fn add_audiences(kb: &KnowledgeBase, doc: &mut serde_json::Value) {
    let audiences: Vec<_> = kb
        .config
        .audiences
        .iter()
        .map(|a| serde_json::json!({"@type": "Audience", "audienceType": a.label}))
        .collect();
    if !audiences.is_empty() {
        doc["audience"] = audiences.into();
    }
}

/// A source as schema.org: a `ScholarlyArticle` for journal articles, a `CreativeWork`
/// otherwise, with its DOI, PubMed id and year when known.
fn citation_ld(kb: &KnowledgeBase, source: &crate::resolve::ResolvedSource) -> serde_json::Value {
    let s = &source.source;
    let kind = match s.csl_str("type") {
        Some("article-journal" | "article") => "ScholarlyArticle",
        _ => "CreativeWork",
    };
    let mut c = serde_json::json!({
        "@type": kind,
        "name": s.title(),
        "url": format!("{}{}", kb.config.base_url, PagePath::source(&s.slug).0),
    });
    if let Some(doi) = s.doi() {
        c["sameAs"] = format!("https://doi.org/{doi}").into();
    }
    if let Some(pmid) = s.pmid() {
        c["identifier"] =
            serde_json::json!({"@type": "PropertyValue", "propertyID": "PMID", "value": pmid});
    }
    if let Some(year) = s.year() {
        c["datePublished"] = year.to_string().into();
    }
    c
}

/// A claim page: a `MedicalWebPage` whose main entity is the `Claim`, with its certainty of
/// evidence. schema.org has no evidence property on `Claim`; `evidenceLevel` is borrowed from
/// `MedicalGuideline`, and `evidenceLevel`'s text is the site's scale label ("Low").
fn json_ld_claim(
    kb: &KnowledgeBase,
    claim: &crate::resolve::ResolvedClaim,
    page: &PageView,
) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "url": page.canonical,
        "inLanguage": kb.config.language,
        "isPartOf": {"@type": "WebSite", "name": kb.config.title, "url": kb.config.base_url},
        "mainEntity": {
            "@type": "Claim",
            "text": markdown::plain_text(&claim.claim.statement.value),
            "additionalType": claim.claim.kind.name(),
        },
    });
    if let Some(certainty) = &claim.claim.certainty {
        doc["mainEntity"]["evidenceLevel"] =
            kb.config.grading.evidence.label(&certainty.value).into();
    }
    if let Some(strength) = &claim.claim.strength {
        doc["mainEntity"]["recommendationStrength"] = kb
            .config
            .grading
            .recommendations
            .label(&strength.value)
            .into();
    }
    let citations: Vec<_> = claim
        .claim
        .sources
        .iter()
        .filter_map(|l| kb.sources.get(&l.id.value))
        .map(|s| citation_ld(kb, s))
        .collect();
    if !citations.is_empty() {
        doc["mainEntity"]["citation"] = citations.clone().into();
        doc["citation"] = citations.into();
    }
    add_audiences(kb, &mut doc);
    if let Some(approval) = claim.claim.review.last_approval() {
        doc["lastReviewed"] = approval.date.to_string().into();
        doc["reviewedBy"] = person_ld(kb, &approval.by.value);
    }
    script_json(&doc)
}

/// A source page: a `WebPage` about the work it describes.
fn json_ld_source(
    kb: &KnowledgeBase,
    source: &crate::resolve::ResolvedSource,
    page: &PageView,
) -> String {
    let mut about = citation_ld(kb, source);
    if let Some(map) = about.as_object_mut() {
        // The page is the work's record here; the work itself lives at its DOI.
        map.remove("url");
    }
    let doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": page.title,
        "url": page.canonical,
        "inLanguage": kb.config.language,
        "isPartOf": {"@type": "WebSite", "name": kb.config.title, "url": kb.config.base_url},
        "about": about,
    });
    script_json(&doc)
}

/// Renders a topic body: embedded claims through the `partials/claim-embed.html` template,
/// prose citations as superscript reference numbers.
fn render_body(
    kb: &KnowledgeBase,
    topic: &ResolvedTopic,
    theme: &Theme,
    site: &SiteView,
    links: &Links,
) -> anyhow::Result<String> {
    struct TopicHooks<'a> {
        kb: &'a KnowledgeBase,
        topic: &'a ResolvedTopic,
        theme: &'a Theme,
        site: &'a SiteView,
        links: &'a Links,
        error: Option<anyhow::Error>,
    }
    impl Hooks for TopicHooks<'_> {
        fn embed(&mut self, id: &str) -> String {
            let Some(claim) = self.kb.claims.get(id) else {
                return format!(
                    "<p class=\"missing-claim\">Missing claim <code>{}</code></p>\n",
                    escape::html(id)
                );
            };
            if !claim.published {
                return String::new();
            }
            let embed = view::claim_embed(self.kb, claim, Some(self.topic), self.links);
            let context = minijinja::context! { site => Serde(self.site), claim => Serde(&embed) };
            match self.theme.render("partials/claim-embed.html", context) {
                Ok(html) => html,
                Err(e) => {
                    self.error.get_or_insert(e);
                    String::new()
                }
            }
        }
        fn claim_link(&mut self, id: &str, text: &str) -> String {
            match self.kb.claims.get(id).filter(|c| c.published) {
                Some(_) => format!(
                    "<a href=\"{}\">{}</a>",
                    escape::html(&self.links.page(&PagePath::claim(id))),
                    escape::html(text)
                ),
                None => escape::html(text),
            }
        }
        fn cite(&mut self, keys: &[CiteKey]) -> String {
            let mut numbers: Vec<(usize, Option<&str>)> = keys
                .iter()
                .filter_map(|k| self.topic.number(&k.id).map(|n| (n, k.locator.as_deref())))
                .collect();
            numbers.dedup();
            if numbers.is_empty() {
                return String::new();
            }
            let inner: Vec<String> = numbers
                .iter()
                .map(|(n, locator)| {
                    let label = match locator {
                        Some(l) => format!("Reference {n}, {l}"),
                        None => format!("Reference {n}"),
                    };
                    format!(
                        "<a href=\"#ref-{n}\" aria-label=\"{}\">{n}</a>",
                        escape::html(&label)
                    )
                })
                .collect();
            format!("<sup class=\"cite\">{}</sup>", inner.join(","))
        }
    }
    let mut hooks = TopicHooks {
        kb,
        topic,
        theme,
        site,
        links,
        error: None,
    };
    let html = markdown::render(&topic.topic.body, &mut hooks);
    match hooks.error {
        Some(e) => Err(e),
        None => Ok(tighten_citations(&html)),
    }
}

/// Vancouver superscripts sit right after the word they follow: "relactation¹", not
/// "relactation ¹" (the Markdown has a space before `[@id]`).
fn tighten_citations(html: &str) -> String {
    html.replace(" <sup class=\"cite\">", "<sup class=\"cite\">")
        .replace("\n<sup class=\"cite\">", "<sup class=\"cite\">")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_follow_their_word() {
        let html =
            "<p>a study <sup class=\"cite\">1</sup>, a trial\n<sup class=\"cite\">2</sup></p>";
        assert_eq!(
            tighten_citations(html),
            "<p>a study<sup class=\"cite\">1</sup>, a trial<sup class=\"cite\">2</sup></p>"
        );
    }
}
