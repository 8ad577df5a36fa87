//! Stage 3: a [`KnowledgeBase`] and its themes → every file of the site, each put into a
//! [`PageSink`] as it is rendered. Render does not know where the files go: the writer, the
//! dev server's memory and a test's map are all sinks.
//!
//! A site is rendered in one order, assembled here once for `build` and `serve` alike:
//!
//! ```text
//! pages       topic, claim and source pages, on every core        (pages.rs)
//! aggregates  made from all of them: home, search, dashboard, API  (site.rs)
//! handouts    a printable handout per topic                        (handout/)
//! index       the search index, over the pages above               (search.rs, build only)
//! ```

pub mod api;
mod body;
mod dashboard;
pub mod discovery;
mod frame;
pub mod handout;
mod jsonld;
pub mod options;
pub mod pages;
pub mod search;
pub mod sink;
mod site;
pub mod theme;
pub mod urls;
pub mod view;

pub use frame::nav_lists_topics;
pub use handout::Written;
pub use options::{Face, Handouts, RenderOptions, Search};
pub use pages::{Listed, Listing, Page, RenderedPage, Renderer};
pub use sink::{Collected, PageSink};

use std::path::Path;

use rayon::prelude::*;

use crate::resolve::KnowledgeBase;
use handout::HandoutTheme;
use theme::Theme;

/// The themes a site is rendered with: its pages' and its handouts'.
pub struct Themes {
    /// The page templates and static files (`templates/`, `static/`).
    pub site: Theme,
    /// The handout templates (`handout/handout.html`, `handout/handout.typ`).
    pub handout: HandoutTheme,
}

impl Themes {
    /// Loads the theme `name` from `themes_dir` (or the built-in one).
    pub fn load(themes_dir: &Path, name: &str) -> anyhow::Result<Themes> {
        Ok(Themes {
            site: Theme::load(themes_dir, name)?,
            handout: HandoutTheme::load(themes_dir, name)?,
        })
    }
}

/// What rendering a site put out.
#[derive(Debug)]
pub struct SiteRendered {
    /// The topic, claim and source pages, with what the site-wide pages took of them.
    pub listing: Listing,
    /// How many files the site-wide pages are.
    pub aggregates: usize,
    /// The topics whose handouts were put, by format: what topic pages may link to.
    pub handouts: Written,
}

/// Every file of the site but its search index, into `sink`: the pages, then the pages made
/// from all of them, then the handouts. Fails only when a theme fails or the sink refuses a
/// file; content problems were diagnosed before.
pub fn site(
    kb: &KnowledgeBase,
    themes: &Themes,
    options: &RenderOptions,
    sink: &dyn PageSink,
) -> anyhow::Result<SiteRendered> {
    // Every reference is formatted once, all at once across the cores, before the pages
    // that show them are rendered.
    kb.sources.par_iter().for_each(|(_, source)| {
        source.reference(&kb.style);
    });
    let renderer = Renderer::new(kb, &themes.site, options);
    let listing = renderer.pages(sink)?;
    let aggregates = renderer.aggregates(&listing, sink)?;
    let handouts = handout::put_site_handouts(kb, &themes.handout, options.handouts, sink)?;
    Ok(SiteRendered {
        listing,
        aggregates,
        handouts,
    })
}

/// [`site`] and, when the site has search, its index, built last over the pages it put out
/// (the handouts aside), so the index holds exactly what the site shows.
pub fn site_with_index(
    kb: &KnowledgeBase,
    themes: &Themes,
    options: &RenderOptions,
    sink: &dyn PageSink,
) -> anyhow::Result<SiteRendered> {
    if options.search == Search::Off {
        return site(kb, themes, options, sink);
    }
    let indexed = sink::Tee::new(sink, search::indexes);
    let rendered = site(kb, themes, options, &indexed)?;
    let pages = indexed.into_kept();
    for (path, bytes) in search::index(&pages, &kb.config.language, !kb.config.pretty_urls)? {
        sink.put(path, bytes)?;
    }
    Ok(rendered)
}

/// The dashboard alone, for a folder of its own (`build --dashboard DIR`): its page, linking
/// to the published site through `base_url`, and the theme's static files.
pub fn dashboard_apart(
    kb: &KnowledgeBase,
    theme: &Theme,
    sink: &dyn PageSink,
) -> anyhow::Result<()> {
    // A dashboard in a folder of its own has no search page or feed beside it.
    let nav = frame::Nav {
        dashboard: true,
        search: false,
        feed: false,
    };
    let (file, html) = dashboard::render_dashboard(kb, theme, &frame::site_view(kb), nav, true)?;
    sink.put(file, html)?;
    for (path, bytes) in site::static_files(theme) {
        sink.put(path, bytes)?;
    }
    Ok(())
}
