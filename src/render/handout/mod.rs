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

use rayon::prelude::*;

use crate::resolve::KnowledgeBase;
use crate::write::Output;

/// Whether this binary can write PDF handouts (the `pdf` cargo feature).
pub const PDF_AVAILABLE: bool = cfg!(feature = "pdf");

/// Handouts made in parallel per batch (see [`add_to_output`]).
const HANDOUT_BATCH: usize = 256;

/// Stack size of the threads that lay out handouts (see [`add_to_output`]).
const TYPST_STACK: usize = 64 * 1024 * 1024;

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

/// Which handouts a build wrote (see [`add_to_output`]), so pages can link only to what exists.
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
) -> anyhow::Result<()> {
    let options = HandoutOptions::site_default(&kb.config);
    let topics: Vec<&str> = kb
        .topic_pages()
        .map(|t| t.topic.slug.value.as_str())
        .collect();
    // Handouts are independent of each other (a PDF is a whole Typst compilation): made on
    // every core, then added in topic order. Typst lays out recursively and overflowed the
    // 2 MiB stacks of rayon's worker threads on long handouts; these threads get the room a
    // main thread has, and more.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(TYPST_STACK)
        .thread_name(|i| format!("evident-handout-{i}"))
        .build()?;
    // In batches, so that a streaming output writes each batch before the next is made: a
    // site's PDFs are gigabytes at 100,000 claims.
    for batch in topics.chunks(HANDOUT_BATCH) {
        let files = pool.install(|| {
            batch
                .par_iter()
                .map(|slug| -> anyhow::Result<Vec<(String, Vec<u8>)>> {
                    let handout = handout(kb, slug, &options)?;
                    let mut files = vec![(
                        site_html_path(slug),
                        render_html(theme, &handout)?.into_bytes(),
                    )];
                    #[cfg(feature = "pdf")]
                    if with_pdf {
                        files.push((output_path(slug, "pdf"), render_pdf(theme, &handout)?));
                    }
                    Ok(files)
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
        output.insert_all(files.into_iter().flatten().collect());
    }
    #[cfg(not(feature = "pdf"))]
    let _ = with_pdf;
    Ok(())
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
