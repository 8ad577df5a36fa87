//! Internal links of topic bodies: which page of the output (the map `render::urls` writes:
//! topics at `<slug>/`, claims at `claims/<id>/`, sources at `sources/<slug>/`, …) and which
//! anchor a relative URL names, read from the topic's own folder; and the checks of them:
//! `broken-link` for a page or topic anchor the site does not have, `unpublished-link` for a
//! page the knowledge base's face does not publish (the renderer then writes the link's text
//! only, so the public site never links to a page it does not write).
//!
//! Only what is known without rendering is checked: a topic's anchors are its headings' ids,
//! its embedded claims' `claim-<id>`, its references' `ref-N` and the default theme's fixed
//! ids; the anchors of other pages (claim, source, site-wide pages) are taken on trust.

use std::collections::BTreeSet;

use super::types::KnowledgeBase;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::config::Dashboard;
use crate::text::fields::closest;

/// The ids the default theme's topic page always has besides its body's (`topic.html`,
/// `base.html`, `partials/references.html`).
const THEME_TOPIC_IDS: &[&str] = &[
    "main",
    "references-heading",
    "review-status-heading",
    "handout-heading",
    "retired-heading",
];

/// Files of the output that are not pages, by their path from the site root.
const SITE_FILES: &[&str] = &[
    "404.html",
    "api/claims.json",
    "api/sources.json",
    "feed.xml",
    "robots.txt",
    "sitemap.xml",
];

/// A page (or file) of the output that a relative link names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The home page, the site root.
    Home,
    /// A topic or plain page, by slug.
    Topic(String),
    /// A claim's page, by id.
    Claim(String),
    /// A source's page, by the source's slug.
    Source(String),
    /// A site-wide page in a folder of its own: `grading`, `search` or `review`.
    Named(&'static str),
    /// A file that is not a page (`static/…`, `handouts/…`, `api/…`, `feed.xml`, …), by its
    /// path from the site root.
    File(String),
}

/// What a link's URL is, read from a topic's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// `https://…`, `mailto:…`, `//host/…` and every URL with a scheme: not checked here.
    External,
    /// A page of the output, with the fragment after `#` (None without one).
    Page(Target, Option<String>),
    /// A relative path to nothing the site writes, as a path from the site root (or None
    /// when the path climbs out of the site).
    Unknown(Option<String>),
}

/// Reads `url` as written in the body of the topic `from` (published at `<from>/`).
pub fn classify(from: &str, url: &str) -> Classified {
    let url = url.trim();
    if has_scheme(url) || url.starts_with("//") {
        return Classified::External;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment.to_string())),
        None => (url, None),
    };
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    if path.is_empty() {
        return Classified::Page(Target::Topic(from.to_string()), fragment);
    }
    let Some(joined) = join(from, path) else {
        return Classified::Unknown(None);
    };
    match target(&joined) {
        Some(target) => Classified::Page(target, fragment),
        None => Classified::Unknown(Some(joined)),
    }
}

/// `scheme:` at the start (a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The path from the site root of `path` seen from `<from>/` (a leading `/` starts at the
/// root); a folder keeps its trailing `/`. None when it climbs above the root.
fn join(from: &str, path: &str) -> Option<String> {
    let (mut parts, rest): (Vec<&str>, &str) = match path.strip_prefix('/') {
        Some(rest) => (Vec::new(), rest),
        None => (vec![from], path),
    };
    let folder = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let folder = folder || path == "." || path == "..";
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if folder && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The page or file at `path` from the site root, when it has the shape of one the site
/// writes (whether it exists is checked apart).
fn target(path: &str) -> Option<Target> {
    let page = path.strip_suffix("index.html").unwrap_or(path);
    if page.is_empty() {
        return Some(Target::Home);
    }
    if let Some(folder) = page.strip_suffix('/') {
        let parts: Vec<&str> = folder.split('/').collect();
        return match parts.as_slice() {
            ["claims", id] => Some(Target::Claim(id.to_string())),
            ["sources", slug] => Some(Target::Source(slug.to_string())),
            ["grading"] => Some(Target::Named("grading")),
            ["search"] => Some(Target::Named("search")),
            ["review"] => Some(Target::Named("review")),
            [slug] => Some(Target::Topic(slug.to_string())),
            _ => None,
        };
    }
    let file = SITE_FILES.contains(&path)
        || path.starts_with("static/")
        || path.starts_with("handouts/")
        || path.starts_with("pagefind/");
    file.then(|| Target::File(path.to_string()))
}

/// Whether `target` is a page of the site, and whether this face publishes it.
fn exists(kb: &KnowledgeBase, target: &Target) -> (bool, bool) {
    match target {
        Target::Home | Target::File(_) => (true, true),
        Target::Named("review") => (
            true,
            !kb.face.is_public() || kb.config.review.dashboard == Dashboard::Public,
        ),
        Target::Named(_) => (true, true),
        Target::Topic(slug) => kb
            .topics
            .get(slug)
            .map_or((false, false), |t| (true, t.published)),
        Target::Claim(id) => kb
            .claims
            .get(id)
            .map_or((false, false), |c| (true, c.published)),
        Target::Source(slug) => {
            let found = kb.sources.values().any(|s| s.source.slug == *slug);
            (found, found)
        }
    }
}

/// Whether the face publishes the page `target` names (a page that does not exist is not
/// published either): the renderer links to it only then.
pub fn published(kb: &KnowledgeBase, target: &Target) -> bool {
    exists(kb, target).1
}

/// The anchors of the topic `slug`'s page that are known without rendering it.
fn topic_anchors(kb: &KnowledgeBase, slug: &str) -> Option<BTreeSet<String>> {
    let topic = kb.topics.get(slug)?;
    let mut anchors: BTreeSet<String> = topic.topic.anchors.iter().cloned().collect();
    anchors.extend(THEME_TOPIC_IDS.iter().map(|s| s.to_string()));
    anchors.extend((1..=topic.references.len()).map(|n| format!("ref-{n}")));
    anchors.extend(
        topic
            .claims
            .iter()
            .filter(|id| kb.claims.get(*id).is_some_and(|c| c.published))
            .map(|id| format!("claim-{id}")),
    );
    Some(anchors)
}

/// The codes [`check_links`] reports.
pub(super) fn is_link_code(code: Code) -> bool {
    matches!(code, Code::BrokenLink | Code::UnpublishedLink)
}

/// Checks the internal links of every topic of `kb`.
pub(super) fn check_links(kb: &KnowledgeBase, diagnostics: &mut Diagnostics) {
    for (slug, topic) in &kb.topics {
        for link in &topic.topic.links {
            let at = Location::new(&topic.topic.path, link.line, link.column);
            let url = link.url.trim();
            let width = usize::try_from(link.width).unwrap_or(1).max(1);
            let d = match classify(slug, url) {
                Classified::External => continue,
                Classified::Unknown(None) => Diagnostic::error(
                    Code::BrokenLink,
                    at,
                    format!("link `{url}` climbs out of the site"),
                )
                .hint(page_hint(kb, slug, "")),
                Classified::Unknown(Some(path)) => Diagnostic::error(
                    Code::BrokenLink,
                    at,
                    format!("link `{url}` names no page of the site"),
                )
                .hint(page_hint(kb, slug, &path)),
                Classified::Page(target, fragment) => {
                    match check_target(kb, slug, url, &target, fragment.as_deref(), at) {
                        // A page the face leaves out links to what it likes.
                        Some(d) if d.code == Code::UnpublishedLink && !topic.published => {
                            continue;
                        }
                        Some(d) => d,
                        None => continue,
                    }
                }
            };
            diagnostics.push(d.width(width));
        }
    }
}

fn check_target(
    kb: &KnowledgeBase,
    from: &str,
    url: &str,
    target: &Target,
    fragment: Option<&str>,
    at: Location,
) -> Option<Diagnostic> {
    let (found, published) = exists(kb, target);
    if !found {
        let path = match target {
            Target::Topic(slug) => format!("{slug}/"),
            Target::Claim(id) => format!("claims/{id}/"),
            Target::Source(slug) => format!("sources/{slug}/"),
            _ => String::new(),
        };
        return Some(
            Diagnostic::error(
                Code::BrokenLink,
                at,
                format!("link `{url}` names no page of the site"),
            )
            .hint(page_hint(kb, from, &path)),
        );
    }
    if !published {
        return Some(
            Diagnostic::warning(
                Code::UnpublishedLink,
                at,
                format!("link `{url}` names a page the public site does not publish"),
            )
            .hint("the public site shows the link's text without the link; have the page approved, or remove the link"),
        );
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let Target::Topic(slug) = target else {
        return None;
    };
    let anchors = topic_anchors(kb, slug)?;
    if anchors.contains(fragment) {
        return None;
    }
    let d = Diagnostic::error(
        Code::BrokenLink,
        at,
        format!("link `{url}`: the page `{slug}` has no anchor `#{fragment}`"),
    );
    let headings = kb.topics.get(slug).map(|t| &t.topic.anchors);
    let candidates = headings
        .into_iter()
        .flatten()
        .map(String::as_str)
        .chain(anchors.iter().map(String::as_str));
    Some(match closest(fragment, candidates) {
        Some(c) => d.hint(format!("did you mean `#{c}`?")),
        None => d.hint("link to one of the page's headings: its id is the heading's text in lowercase with `-` between words"),
    })
}

/// The hint for a link to no page: the closest page of the site, as a link from `from`.
fn page_hint(kb: &KnowledgeBase, from: &str, path: &str) -> String {
    let mut pages: Vec<String> = vec!["grading/".into(), "search/".into()];
    pages.extend(
        kb.topics
            .keys()
            .filter(|s| *s != from)
            .map(|s| format!("{s}/")),
    );
    pages.extend(kb.claims.keys().map(|id| format!("claims/{id}/")));
    pages.extend(
        kb.sources
            .values()
            .map(|s| format!("sources/{}/", s.source.slug)),
    );
    match closest(path, pages.iter().map(String::as_str)) {
        Some(c) => match c.strip_prefix("claims/").and_then(|c| c.strip_suffix('/')) {
            Some(id) => format!("did you mean `../{c}`? (or link the claim as `[text](@{id})`)"),
            None => format!("did you mean `../{c}`?"),
        },
        None => "a topic is at `../<slug>/`, a claim at `../claims/<id>/` (or `[text](@id)`), a source at `../sources/<slug>/`".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_read_from_the_topic_folder() {
        let page = |t: Target, f: Option<&str>| Classified::Page(t, f.map(String::from));
        let topic = |s: &str| Target::Topic(s.to_string());
        assert_eq!(classify("a", "https://x.org/"), Classified::External);
        assert_eq!(classify("a", "mailto:x@y.org"), Classified::External);
        assert_eq!(classify("a", "//x.org/"), Classified::External);
        assert_eq!(classify("a", "../b/"), page(topic("b"), None));
        assert_eq!(
            classify("a", "../b/index.html#x"),
            page(topic("b"), Some("x"))
        );
        assert_eq!(classify("a", "#why"), page(topic("a"), Some("why")));
        assert_eq!(classify("a", "./"), page(topic("a"), None));
        assert_eq!(classify("a", "../"), page(Target::Home, None));
        assert_eq!(classify("a", "/b/?q=1"), page(topic("b"), None));
        assert_eq!(
            classify("a", "../claims/c1/"),
            page(Target::Claim("c1".into()), None)
        );
        assert_eq!(
            classify("a", "../sources/s-1/index.html"),
            page(Target::Source("s-1".into()), None)
        );
        assert_eq!(
            classify("a", "../grading/#grade-low"),
            page(Target::Named("grading"), Some("grade-low"))
        );
        assert_eq!(
            classify("a", "../static/style.css"),
            page(Target::File("static/style.css".into()), None)
        );
        assert_eq!(classify("a", "../../x/"), Classified::Unknown(None));
        assert_eq!(classify("a", "../b"), Classified::Unknown(Some("b".into())));
        assert_eq!(
            classify("a", "../b/c/"),
            Classified::Unknown(Some("b/c/".into()))
        );
        assert_eq!(
            classify("a", "pic.png"),
            Classified::Unknown(Some("a/pic.png".into()))
        );
    }
}
