//! What a render of the site builds beyond what `evident.yaml` says: the face (public site
//! or editors' preview), search and the handout formats, each said by a type of its own.

pub use crate::model::face::Face;

/// Whether the site has a search page, a search box on every page and a search index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Search {
    /// A search page, a search box on every page, and the index under `pagefind/` (the
    /// default).
    #[default]
    On,
    /// `build --no-search`.
    Off,
}

/// The printable handouts written beside the pages; topic pages link only what is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Handouts {
    /// `serve`, `build --no-pdf`, and a binary built without the `pdf` feature.
    #[default]
    HtmlOnly,
    /// `handouts/<slug>.html` and `handouts/<slug>.pdf` (`build`, with the `pdf` feature).
    HtmlAndPdf,
}

impl Handouts {
    /// What `build` writes: PDFs too unless told not to or this binary cannot make them.
    pub fn for_build(no_pdf: bool) -> Handouts {
        if no_pdf || !cfg!(feature = "pdf") {
            Handouts::HtmlOnly
        } else {
            Handouts::HtmlAndPdf
        }
    }

    /// Whether PDF handouts are written too (and topic pages link to them).
    pub fn with_pdf(self) -> bool {
        self == Handouts::HtmlAndPdf
    }
}

/// What to render of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The public site or the editors' preview; the knowledge base rendered must have been
    /// resolved for the same face (it says what the face shows).
    pub face: Face,
    /// Whether the site has search; off, no search page, box or index.
    pub search: Search,
    /// Which handout formats are written beside the pages.
    pub handouts: Handouts,
}
