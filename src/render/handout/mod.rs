//! Printable handouts: one topic on one or two sheets of paper, for a clinician to hand a patient.
//!
//! A handout is worked out once as [`Handout`] — plain data, serialisable — and then laid out
//! twice: as print HTML through the theme's `handout/handout.html` (minijinja), and as PDF
//! through the theme's `handout/handout.typ` (Typst, behind the `pdf` feature), which reads the
//! same data as JSON. Nothing from the content is ever spliced into template code.
//!
//! Only effectively approved claims are included unless the handout is a draft: a leaflet
//! handed to a patient must not carry statements nobody has checked.

mod clinic;
mod data;
#[cfg(feature = "pdf")]
mod fonts;
#[cfg(feature = "pdf")]
mod glyphs;
#[cfg(feature = "pdf")]
mod pdf;
mod qr;
mod runs;
mod site;
mod theme;
mod words;

pub use clinic::{HandoutContact, HandoutHelp};
pub use data::{
    DRAFT_MARK, Handout, HandoutClaim, HandoutError, HandoutOptions, HandoutReference,
    HandoutSection, Paper, handout,
};
pub use runs::Span;
pub use site::{Written, put_site_handouts, site_glyph_warnings, site_html, site_html_path};
pub use theme::HandoutTheme;

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

/// The PDF of a handout: deterministic bytes for the same handout, template and site fonts
/// (`handout.fonts`), unless it needs the machine's fonts (see [`fonts`]). Characters no font
/// has are left out ([`glyph_warnings`] says which).
#[cfg(feature = "pdf")]
pub fn render_pdf(
    theme: &HandoutTheme,
    site_fonts: &[crate::model::fonts::FontFile],
    handout: &Handout,
) -> anyhow::Result<Vec<u8>> {
    pdf::compile(
        theme.typst_source(),
        &fonts::HandoutFonts::new(site_fonts),
        handout,
    )
}

/// The `missing-glyph` warnings of a handout's PDF: each character no font has (built-in, the
/// site's, the machine's), at the first place the handout's files write it. The knowledge base
/// must still hold the files' texts (as `check` returns it). None without the `pdf` feature.
pub fn glyph_warnings(
    kb: &crate::resolve::KnowledgeBase,
    theme: &HandoutTheme,
    handout: &Handout,
) -> crate::diag::Diagnostics {
    #[cfg(feature = "pdf")]
    {
        let fonts = fonts::HandoutFonts::new(&kb.config.handout.fonts);
        let missing = glyphs::missing_in(handout, theme, &fonts);
        glyphs::warnings(kb, handout, theme, &missing)
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (kb, theme, handout);
        crate::diag::Diagnostics::new()
    }
}
