//! A site's handouts: every topic page's, made with the site's defaults (the first audience,
//! the paper of the site's language, approved claims only) and put beside its pages.

use rayon::prelude::*;

use super::{HandoutOptions, HandoutTheme, handout, output_path, render_html};
use crate::model::PageKind;
use crate::render::options::Handouts;
use crate::render::sink::PageSink;
use crate::resolve::KnowledgeBase;

/// Stack size of the threads that lay out handouts (see [`put_site_handouts`]).
const TYPST_STACK: usize = 64 * 1024 * 1024;

/// Which handouts a render put out, so that what is reported is what exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Slugs of topics with an HTML handout.
    pub html: Vec<String>,
    /// Slugs of topics with a PDF handout.
    pub pdf: Vec<String>,
}

/// Puts `handouts/<slug>.html` (and `.pdf` when asked and the `pdf` feature is on) of every
/// topic page (not `kind: page` pages) into `sink`; returns which it put, in topic order.
pub fn put_site_handouts(
    kb: &KnowledgeBase,
    theme: &HandoutTheme,
    formats: Handouts,
    sink: &dyn PageSink,
) -> anyhow::Result<Written> {
    let options = site_options(kb);
    let topics: Vec<&str> = kb
        .topic_pages()
        .filter(|t| t.published)
        .map(|t| t.topic.slug.value.as_str())
        .collect();
    // Handouts are independent of each other (a PDF is a whole Typst compilation): made on
    // every core, each put as soon as it is made (a site's PDFs are gigabytes at 100,000
    // claims). Typst lays out recursively and overflowed the 2 MiB stacks of rayon's worker
    // threads on long handouts; these threads get the room a main thread has, and more.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(TYPST_STACK)
        .thread_name(|i| format!("evident-handout-{i}"))
        .build()?;
    #[cfg(feature = "pdf")]
    let fonts = formats
        .with_pdf()
        .then(|| super::fonts::HandoutFonts::new(&kb.config.handout.fonts));
    let made = pool.install(|| {
        topics
            .par_iter()
            .map(|slug| -> anyhow::Result<bool> {
                let handout = handout(kb, slug, &options)?;
                sink.put(
                    site_html_path(slug),
                    render_html(theme, &handout)?.into_bytes(),
                )?;
                #[cfg(feature = "pdf")]
                if let Some(fonts) = &fonts {
                    let pdf = super::pdf::compile(theme.typst_source(), fonts, &handout)?;
                    sink.put(output_path(slug, "pdf"), pdf)?;
                    return Ok(true);
                }
                Ok(false)
            })
            .collect::<anyhow::Result<Vec<bool>>>()
    })?;
    #[cfg(not(feature = "pdf"))]
    let _ = formats;
    let mut written = Written::default();
    for (slug, with_pdf) in topics.iter().zip(made) {
        written.html.push(slug.to_string());
        if with_pdf {
            written.pdf.push(slug.to_string());
        }
    }
    Ok(written)
}

/// The `missing-glyph` warnings of the PDF handouts [`put_site_handouts`] writes (see
/// [`super::glyph_warnings`]); the knowledge base must still hold the files' texts. Empty
/// without the `pdf` feature.
pub fn site_glyph_warnings(kb: &KnowledgeBase, theme: &HandoutTheme) -> crate::diag::Diagnostics {
    let mut found = crate::diag::Diagnostics::new();
    #[cfg(feature = "pdf")]
    {
        let fonts = super::fonts::HandoutFonts::new(&kb.config.handout.fonts);
        let options = site_options(kb);
        let each: Vec<crate::diag::Diagnostics> = kb
            .topic_pages()
            .filter(|t| t.published)
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|t| handout(kb, &t.topic.slug.value, &options).ok())
            .map(|h| {
                let missing = super::glyphs::missing_in(&h, theme, &fonts);
                super::glyphs::warnings(kb, &h, theme, &missing)
            })
            .collect();
        each.into_iter().for_each(|d| found.extend(d));
    }
    #[cfg(not(feature = "pdf"))]
    let _ = (kb, theme);
    found
}

/// The options of a site's handouts: the site's first audience and paper; on the preview a
/// draft (every statement in its current text, stamped DRAFT), on the public face only what
/// the public site shows.
fn site_options(kb: &KnowledgeBase) -> HandoutOptions {
    HandoutOptions {
        draft: !kb.face.is_public(),
        ..HandoutOptions::site_default(&kb.config)
    }
}

/// Where a topic's HTML handout goes in a site's output.
pub fn site_html_path(slug: &str) -> String {
    output_path(slug, "html")
}

/// The HTML handout of one topic as [`put_site_handouts`] writes it; None for a slug that is
/// not a topic page (plain pages have no handout) or one the face does not publish.
pub fn site_html(
    kb: &KnowledgeBase,
    theme: &HandoutTheme,
    slug: &str,
) -> anyhow::Result<Option<String>> {
    let is_topic = kb
        .topics
        .get(slug)
        .is_some_and(|t| t.topic.page_kind == PageKind::Topic && t.published);
    if !is_topic {
        return Ok(None);
    }
    let handout = handout(kb, slug, &site_options(kb))?;
    Ok(Some(render_html(theme, &handout)?))
}
