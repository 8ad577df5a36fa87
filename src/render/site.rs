//! The files made from the whole site rather than one page: the home page, the grading
//! legend, the search page, the dashboard, the API, the sitemap, the feed, robots.txt and the
//! theme's static files.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use minijinja::Value;
use minijinja::value::Serde;

use crate::render::api;
use crate::render::dashboard::render_dashboard;
use crate::render::discovery;
use crate::render::frame::{page_view, page_view_with};
use crate::render::pages::{Listing, Renderer};
use crate::render::sink::PageSink;
use crate::render::theme::Theme;
use crate::render::urls::{Links, PagePath};
use crate::render::view::{self, PageView};

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

impl Renderer<'_> {
    /// The files made from the whole site rather than one topic, claim or source: the home
    /// page, the grading legend, the search page, the dashboard, the API, the sitemap, the
    /// feed, robots.txt and the theme's static files, into `sink`; returns how many files
    /// were put. `listing` is of every other page.
    pub fn aggregates(&self, listing: &Listing, sink: &dyn PageSink) -> anyhow::Result<usize> {
        let (kb, nav) = (self.kb, self.nav);
        let put = AtomicUsize::new(0);
        let put_file = |path: String, bytes: Vec<u8>| {
            put.fetch_add(1, Ordering::Relaxed);
            sink.put(path, bytes)
        };
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
        let description = kb.config.description.clone().unwrap_or_else(|| {
            format!(
                "{}: each statement with its sources, the certainty of its evidence and its review.",
                kb.config.title
            )
        });
        let page = page_view(kb, &home, "home", &kb.config.title, &description, nav, None);
        listed(&page, &mut sitemap, &mut facets_seen);
        let (file, html) = self.render_page(
            &home,
            "index.html",
            page,
            ("index", Value::from(Serde(view::index_view(kb, &links)))),
        )?;
        put_file(file, html.into_bytes())?;

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
        put_file(file, html.into_bytes())?;

        // The not-found page, served for every unknown URL: links from the site root.
        let not_found = PagePath::named("404");
        let links = Links::absolute(kb.config.pretty_urls, &kb.config.base_url);
        let page = page_view_with(
            kb,
            &not_found,
            &links,
            (
                "not-found",
                "Page not found",
                "There is no page at this address.",
            ),
            nav,
            None,
        );
        // Not a page of its own folder: its canonical address is the file's.
        let page = PageView {
            canonical: format!("{}404.html", kb.config.base_url),
            ..page
        };
        let (_, html) = self.render_page(
            &not_found,
            "404.html",
            page,
            (
                "not_found",
                Value::from(Serde(view::NotFoundView {
                    home_url: links.page(&PagePath::home()),
                    search_url: nav.search.then(|| links.page(&PagePath::named("search"))),
                    grading_url: links.page(&PagePath::named("grading")),
                })),
            ),
        )?;
        put_file("404.html".to_string(), html.into_bytes())?;

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
            put_file(file, html.into_bytes())?;
        }
        // The dashboard and the API are each a pass over every claim, independent of each
        // other and of the small files: rendered side by side.
        let (dashboard_done, (api_files, discovery_files)) = rayon::join(
            || {
                if nav.dashboard {
                    let (file, html) = render_dashboard(kb, self.theme, &self.site, nav, false)?;
                    put_file(file, html)?;
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
                            ("robots.txt", discovery::robots(kb)),
                        ]
                    },
                )
            },
        );
        dashboard_done?;
        for (path, bytes) in static_files(self.theme) {
            put_file(path, bytes)?;
        }
        for (path, bytes) in api_files {
            put_file(path, bytes)?;
        }
        for (path, bytes) in discovery_files {
            put_file(path.to_owned(), bytes.into())?;
        }
        Ok(put.into_inner())
    }
}

/// The theme's static files (stylesheet, script, fonts) as they go into a site.
pub(crate) fn static_files(theme: &Theme) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
    theme
        .static_files
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), bytes.clone()))
}
