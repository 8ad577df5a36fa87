//! Discovery files: `sitemap.xml`, `feed.xml` (Atom, the dated review events) and
//! `robots.txt`. Absolute URLs from `base_url`; dates only from the content (review history),
//! never from the clock, so the same input gives the same bytes.

use std::fmt::Write as _;

use crate::model::{HistoryEntry, ReviewAction};
use crate::render::urls::PagePath;
use crate::render::view;
use crate::resolve::KnowledgeBase;
use crate::text::escape;
use crate::text::markdown;

/// One page of the sitemap: its canonical URL and, when it has one, its last review date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapEntry {
    /// The page's canonical URL (`base_url` and the page's folder), not yet escaped.
    pub url: String,
    /// The date (YYYY-MM-DD) a reviewer last approved the page's text, the sitemap's
    /// `<lastmod>`; None when there is none (a source page, a page never approved), and then
    /// no `<lastmod>` is written.
    pub lastmod: Option<String>,
}

/// `sitemap.xml`: every page given, sorted by URL so the order never depends on how the
/// pages were rendered.
pub fn sitemap(entries: &[SitemapEntry]) -> String {
    let mut entries = entries.to_vec();
    entries.sort();
    entries.dedup_by(|a, b| a.url == b.url);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in &entries {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape::xml(&e.url));
        if let Some(date) = &e.lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", escape::xml(date));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: on the public site everything may be crawled and the sitemap is named by
/// its absolute URL; the editors' preview, should it be put online, asks crawlers to stay out.
pub fn robots(kb: &KnowledgeBase) -> String {
    if !kb.face.is_public() {
        return "User-agent: *\nDisallow: /\n".to_string();
    }
    let base_url = &kb.config.base_url;
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

/// A review event in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    date: jiff::civil::Date,
    /// The page's canonical URL; the entry id adds the position of the event in its history.
    url: String,
    /// 1-based position in the page's review history: stable, because history only grows.
    position: usize,
    action: ReviewAction,
    subject: String,
    by: String,
    note: Option<String>,
}

/// The newest events first; at most this many, so a long-lived site keeps a small feed.
const FEED_LIMIT: usize = 200;

/// `feed.xml`: the dated review events (submitted, approved, retired) of the published
/// claims and of the topic pages, newest first; on the public face approvals only, with
/// their notes only under `review.notes: public`. Entry ids are the page's canonical URL with
/// `#review-N`, N the event's place in the page's history (the claim page has that anchor).
/// The feed's `updated` is its newest event's date; a site without events gets the Unix
/// epoch, a fixed date, because the clock would make two builds differ.
pub fn feed(kb: &KnowledgeBase) -> String {
    let base = &kb.config.base_url;
    let public = kb.face.is_public();
    let notes = kb.face.shows_notes(kb.config.review.notes);
    let listed = |action: ReviewAction| match action {
        ReviewAction::Approve => true,
        ReviewAction::Submit | ReviewAction::Retire => !public,
        ReviewAction::Start | ReviewAction::RequestChanges => false,
    };
    let mut events: Vec<Event> = Vec::new();
    let mut push = |url: String, subject: String, history: &[HistoryEntry]| {
        for (i, entry) in history.iter().enumerate() {
            if listed(entry.action) {
                events.push(Event {
                    date: entry.date,
                    url: url.clone(),
                    position: i + 1,
                    action: entry.action,
                    subject: subject.clone(),
                    by: view::reviewer_name(&kb.config, &entry.by.value),
                    note: entry.note.clone().filter(|_| notes),
                });
            }
        }
    };
    for claim in kb.claims.values().filter(|c| c.published) {
        push(
            format!("{base}{}", PagePath::claim(&claim.claim.id).0),
            markdown::plain_text(&claim.claim.statement.value),
            &claim.claim.review.history,
        );
    }
    for topic in kb.topics.values().filter(|t| t.published) {
        push(
            format!("{base}{}", PagePath::topic(&topic.topic.slug.value).0),
            topic.topic.title.clone(),
            &topic.topic.review.history,
        );
    }
    // Newest first; within a day, by page and then latest in its history first, so the
    // order is total and never depends on map iteration.
    events.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.url.cmp(&b.url))
            .then_with(|| b.position.cmp(&a.position))
    });
    events.truncate(FEED_LIMIT);
    let updated = events
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| timestamp(e.date));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(
        xml,
        "  <title>{}: review activity</title>",
        escape::xml(&kb.config.title)
    );
    let subtitle = if public {
        "Statements and pages approved by a reviewer."
    } else {
        "Statements and pages submitted for review, approved or retired."
    };
    let _ = writeln!(xml, "  <subtitle>{subtitle}</subtitle>");
    let _ = writeln!(
        xml,
        "  <id>{}</id>",
        escape::xml(&format!("{base}feed.xml"))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape::xml(&format!("{base}feed.xml"))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" href=\"{}\"/>",
        escape::xml(base)
    );
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        escape::xml(&kb.config.title)
    );
    let _ = writeln!(xml, "  <generator>evident</generator>");
    for e in &events {
        let verb = match e.action {
            ReviewAction::Submit => "Submitted for review",
            ReviewAction::Approve => "Approved",
            ReviewAction::Retire => "Retired",
            ReviewAction::Start | ReviewAction::RequestChanges => unreachable!("filtered above"),
        };
        let mut summary = format!("{verb} on {} by {}.", e.date, e.by);
        if let Some(note) = &e.note {
            summary.push(' ');
            summary.push_str(note);
        }
        xml.push_str("  <entry>\n");
        let _ = writeln!(
            xml,
            "    <title>{}</title>",
            escape::xml(&format!("{verb}: {}", e.subject))
        );
        let _ = writeln!(
            xml,
            "    <id>{}</id>",
            escape::xml(&format!("{}#review-{}", e.url, e.position))
        );
        let _ = writeln!(xml, "    <link href=\"{}\"/>", escape::xml(&e.url));
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(e.date));
        let _ = writeln!(
            xml,
            "    <author><name>{}</name></author>",
            escape::xml(&e.by)
        );
        let _ = writeln!(xml, "    <summary>{}</summary>", escape::xml(&summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// A review date as an Atom timestamp (RFC 3339): the start of that day in UTC.
fn timestamp(date: jiff::civil::Date) -> String {
    format!("{date}T00:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_is_sorted_with_lastmod_only_when_known() {
        let xml = sitemap(&[
            SitemapEntry {
                url: "https://x.org/b/".into(),
                lastmod: None,
            },
            SitemapEntry {
                url: "https://x.org/a/?q=1&r=2".into(),
                lastmod: Some("2025-10-29".into()),
            },
        ]);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <url><loc>https://x.org/a/?q=1&amp;r=2</loc><lastmod>2025-10-29</lastmod></url>\n\
             \x20 <url><loc>https://x.org/b/</loc></url>\n\
             </urlset>\n"
        );
    }

    #[test]
    fn robots_points_to_the_sitemap() {
        let mut kb = KnowledgeBase::default();
        kb.config.base_url = "https://x.org/".into();
        assert!(robots(&kb).ends_with("Sitemap: https://x.org/sitemap.xml\n"));
        kb.face = crate::model::face::Face::Preview;
        assert_eq!(robots(&kb), "User-agent: *\nDisallow: /\n");
    }

    #[test]
    fn an_empty_site_has_a_feed_with_a_fixed_date() {
        let kb = KnowledgeBase::default();
        let xml = feed(&kb);
        assert!(xml.contains("<updated>1970-01-01T00:00:00Z</updated>"));
        assert!(!xml.contains("<entry>"));
        assert_eq!(xml, feed(&kb));
    }
}
