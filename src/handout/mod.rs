//! Printable handouts: one topic on one or two sheets of paper, for a clinician to hand a patient.
//!
//! A handout is worked out once as [`Handout`] — plain data, serialisable — and then laid out
//! twice: as print HTML through the theme's `handout/handout.html` (minijinja), and as PDF
//! through the theme's `handout/handout.typ` (Typst, behind the `pdf` feature), which reads the
//! same data as JSON. Nothing from the content is ever spliced into template code.
//!
//! Only effectively approved claims are included unless the handout is a draft: a leaflet
//! handed to a patient must not carry statements nobody has checked.

mod data;
#[cfg(feature = "pdf")]
mod pdf;
mod qr;
mod theme;
mod write;

pub use data::{
    DRAFT_MARK, Handout, HandoutClaim, HandoutError, HandoutOptions, HandoutReference,
    HandoutSection, Paper, Span, handout,
};
pub use theme::HandoutTheme;
pub use write::{Format, Target, WrittenFile, file_stem, paper_label, write_standalone};

use crate::resolve::KnowledgeBase;
use crate::write::Output;

/// Whether this binary can write PDF handouts (the `pdf` cargo feature).
pub const PDF_AVAILABLE: bool = cfg!(feature = "pdf");

/// Output path of a topic's handout, relative to the site root: `handouts/<slug>.<ext>`.
pub fn output_path(slug: &str, extension: &str) -> String {
    format!("handouts/{slug}.{extension}")
}

/// The print HTML of a handout.
pub fn render_html(theme: &HandoutTheme, handout: &Handout) -> anyhow::Result<String> {
    theme.render_html(handout)
}

/// The PDF of a handout: deterministic bytes for the same handout and template.
#[cfg(feature = "pdf")]
pub fn render_pdf(theme: &HandoutTheme, handout: &Handout) -> anyhow::Result<Vec<u8>> {
    pdf::compile(theme.typst_source(), handout)
}

/// What [`add_to_output`] wrote, so pages can link only to what exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Slugs of topics with an HTML handout.
    pub html: Vec<String>,
    /// Slugs of topics with a PDF handout.
    pub pdf: Vec<String>,
}

/// Adds `handouts/<slug>.html` (and `.pdf` when `with_pdf` and the feature is on) for every
/// topic page (not `kind: page` pages) to a build's output, with the site's defaults: the
/// first audience, the paper of the site's language, approved claims only.
pub fn add_to_output(
    kb: &KnowledgeBase,
    theme: &HandoutTheme,
    output: &mut Output,
    with_pdf: bool,
) -> anyhow::Result<Written> {
    let mut written = Written::default();
    let options = HandoutOptions::site_default(&kb.config);
    for topic in kb.topic_pages() {
        let slug = &topic.topic.slug.value;
        let handout = handout(kb, slug, &options)?;
        output.insert(site_html_path(slug), render_html(theme, &handout)?);
        written.html.push(slug.clone());
        #[cfg(feature = "pdf")]
        if with_pdf {
            output.insert(output_path(slug, "pdf"), render_pdf(theme, &handout)?);
            written.pdf.push(slug.clone());
        }
    }
    #[cfg(not(feature = "pdf"))]
    let _ = with_pdf;
    Ok(written)
}

/// Where a topic's HTML handout goes in a site's output.
pub fn site_html_path(slug: &str) -> String {
    output_path(slug, "html")
}

/// The HTML handout of one topic as [`add_to_output`] writes it, with the site's defaults;
/// None for a slug that is not a topic page (plain pages have no handout).
pub fn site_html(
    kb: &KnowledgeBase,
    theme: &HandoutTheme,
    slug: &str,
) -> anyhow::Result<Option<String>> {
    let is_topic = kb
        .topics
        .get(slug)
        .is_some_and(|t| t.topic.page_kind == crate::model::PageKind::Topic);
    if !is_topic {
        return Ok(None);
    }
    let handout = handout(kb, slug, &HandoutOptions::site_default(&kb.config))?;
    Ok(Some(render_html(theme, &handout)?))
}
