//! Internal links: relative, ending in `index.html` so the site works opened from disk
//! (`pretty_urls: true` drops it for servers), and canonical URLs from `base_url`.
//!
//! The output map: the home page `index.html`; topics and plain pages `<slug>/index.html`;
//! claims `claims/<id>/index.html`; sources `sources/<slug>/index.html`; `grading/`,
//! `search/` and `review/`; the not-found page `404.html` at the root, whose links are
//! root-absolute ([`Links::absolute`]) because a server answers it at any address; and the
//! files `static/…`, `handouts/…`, `api/…`, `sitemap.xml`, `feed.xml`, `robots.txt`.
//! `resolve::sitelinks` reads links in topic bodies against this same map.

/// Where a page lives in the output, as a folder path ("" for the home page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePath(pub String);

impl PagePath {
    /// The home page: the site root, "".
    pub fn home() -> Self {
        PagePath(String::new())
    }
    /// A topic or plain page: `<slug>/`.
    pub fn topic(slug: &str) -> Self {
        PagePath(format!("{slug}/"))
    }
    /// A claim's page: `claims/<id>/`.
    pub fn claim(id: &str) -> Self {
        PagePath(format!("claims/{id}/"))
    }
    /// A source's page: `sources/<slug>/`, by the source's slug, not its id.
    pub fn source(slug: &str) -> Self {
        PagePath(format!("sources/{slug}/"))
    }
    /// A site-wide page in a folder of its own: `<folder>/` (`grading`, `search`, `review`).
    pub fn named(folder: &str) -> Self {
        PagePath(format!("{folder}/"))
    }

    /// The file this page is written to.
    pub fn file(&self) -> String {
        format!("{}index.html", self.0)
    }

    /// How many folders deep the page is, for its relative prefix.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }
}

/// Builds links as seen from one page.
#[derive(Debug, Clone)]
pub struct Links {
    root: String,
    pretty: bool,
    base_url: String,
}

impl Links {
    /// Links as seen from the page `from`. `pretty` is `pretty_urls` in evident.yaml (links to
    /// pages end at their folder instead of `index.html`); `base_url` is evident.yaml's, which
    /// always ends in '/', for canonical URLs.
    pub fn new(from: &PagePath, pretty: bool, base_url: &str) -> Self {
        Links {
            root: "../".repeat(from.depth()),
            pretty,
            base_url: base_url.to_string(),
        }
    }

    /// Links from a page served at any path (`404.html`, which a server answers for every
    /// unknown URL): root-absolute, from the path of `base_url` (`/` for
    /// `https://example.org/`, `/kb/` for `https://example.org/kb/`).
    pub fn absolute(pretty: bool, base_url: &str) -> Self {
        let path = match base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => base_url,
        };
        let mut root = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        if !root.ends_with('/') {
            root.push('/');
        }
        Links {
            root,
            pretty,
            base_url: base_url.to_string(),
        }
    }

    /// The prefix to the site root: relative ("", "../", "../../"), or root-absolute for
    /// [`Links::absolute`].
    pub fn root(&self) -> &str {
        &self.root
    }

    /// A relative link to the page `to`: ending in `index.html`, or with pretty URLs at the
    /// folder (`./` for the home page seen from itself).
    pub fn page(&self, to: &PagePath) -> String {
        if self.pretty {
            let target = if to.0.is_empty() {
                "./".to_string()
            } else {
                to.0.clone()
            };
            if self.root.is_empty() {
                target
            } else {
                format!("{}{}", self.root, to.0)
            }
        } else {
            format!("{}{}", self.root, to.file())
        }
    }

    /// A file that is not a page (stylesheet, handout).
    pub fn file(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    /// The absolute URL of `to` on the published site: `base_url` and the folder path, never
    /// `index.html`, whatever `pretty_urls` says.
    pub fn canonical(&self, to: &PagePath) -> String {
        format!("{}{}", self.base_url, to.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_end_in_index_html() {
        let from = PagePath::claim("c1");
        let links = Links::new(&from, false, "https://example.org/");
        assert_eq!(
            links.page(&PagePath::topic("relactation")),
            "../../relactation/index.html"
        );
        assert_eq!(links.page(&PagePath::home()), "../../index.html");
        assert_eq!(links.file("static/style.css"), "../../static/style.css");
        assert_eq!(links.canonical(&from), "https://example.org/claims/c1/");
        let pretty = Links::new(&from, true, "https://example.org/");
        assert_eq!(
            pretty.page(&PagePath::topic("relactation")),
            "../../relactation/"
        );
        let home = Links::new(&PagePath::home(), true, "/");
        assert_eq!(home.page(&PagePath::home()), "./");
        let anywhere = Links::absolute(false, "https://example.org/kb/");
        assert_eq!(anywhere.root(), "/kb/");
        assert_eq!(anywhere.file("static/style.css"), "/kb/static/style.css");
        assert_eq!(anywhere.page(&PagePath::topic("a")), "/kb/a/index.html");
        assert_eq!(Links::absolute(true, "https://example.org").root(), "/");
        assert_eq!(
            Links::absolute(true, "https://example.org/").page(&PagePath::home()),
            "/"
        );
    }
}
