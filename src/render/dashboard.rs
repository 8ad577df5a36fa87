//! The editor dashboard (`review/`): the review queue and the state of every claim, as a page
//! of the site or in a folder of its own (`build --dashboard DIR`).

use minijinja::value::Serde;

use crate::render::frame::{Nav, page_view};
use crate::render::theme::Theme;
use crate::render::urls::{Links, PagePath};
use crate::render::view::{self, SiteView};
use crate::resolve::KnowledgeBase;

/// The dashboard page: (output file, HTML bytes). `apart` is for a folder of its own, which links to
/// the published site by absolute URL.
pub(crate) fn render_dashboard(
    kb: &KnowledgeBase,
    theme: &Theme,
    site: &SiteView,
    nav: Nav,
    apart: bool,
) -> anyhow::Result<(String, Vec<u8>)> {
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
    let mut dashboard = view::dashboard_view(kb, &links, kb.face.is_public());
    if apart {
        for row in &mut dashboard.rows {
            row.url = row
                .url
                .as_deref()
                .map(|u| format!("{}{}", kb.config.base_url, u));
        }
        for topic in &mut dashboard.topics {
            topic.url = topic
                .url
                .as_deref()
                .map(|u| format!("{}{}", kb.config.base_url, u));
        }
        page.stylesheet = "../static/style.css".into();
        page.script = "../static/evident.js".into();
    }
    // About 750 bytes a statement in the default theme; a longer row only makes the buffer
    // grow once.
    let capacity = 64 * 1024 + dashboard.rows.len() * 1024;
    let context = minijinja::context! { site => Serde(site), page => Serde(&page), dashboard => Serde(&dashboard) };
    Ok((
        path.file(),
        theme.render_with_capacity("review.html", context, capacity)?,
    ))
}
