//! PDF handouts through Typst, embedded as a library: an in-memory [`World`] holding the
//! theme's `handout.typ` as the main file, the handout as `data.json`, its QR code as
//! `qr.svg` and the site's logo as `logo.<ext>` (`contact.logo` of the data). The template reads the data with `json("data.json")`: content is never spliced
//! into Typst code, so no wording can break out into markup or code.
//!
//! The PDF is PDF/UA-1 (tagged, titled, with a language) and deterministic: the fonts are
//! chosen before Typst runs ([`super::fonts`]: the machine's only for characters the embedded
//! and site fonts lack), characters no font has are left out ([`super::glyphs`]), the creation
//! date and document id come from the handout, and the world has no clock
//! (`datetime.today()` fails in a template).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::data::Handout;
use super::fonts::{FontChoice, HandoutFonts};
use super::glyphs;

/// The standard library is the same for every handout: built once per process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

struct HandoutWorld {
    fonts: Arc<FontChoice>,
    main: Source,
    data: (FileId, Bytes),
    qr: Option<(FileId, Bytes)>,
    logo: Option<(FileId, Bytes)>,
}

fn file_id(path: &str) -> FileId {
    // The paths are our own constants, always valid; `VirtualPath::new` only refuses paths
    // leaving the root.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("constant path {path}"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for HandoutWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(self.not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data.0 {
            return Ok(self.data.1.clone());
        }
        if let Some((logo, bytes)) = &self.logo
            && *logo == id
        {
            return Ok(bytes.clone());
        }
        match &self.qr {
            Some((qr, bytes)) if *qr == id => Ok(bytes.clone()),
            _ if id == self.main.id() => Ok(Bytes::from_string(self.main.text().to_string())),
            _ => Err(self.not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    /// No clock: a handout's bytes must not depend on the day it is made.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

impl HandoutWorld {
    fn not_found(&self, id: FileId) -> FileError {
        FileError::NotFound(id.vpath().get_without_slash().into())
    }
}

/// Compiles the handout with the theme's Typst template to PDF bytes, with the fonts `fonts`
/// chooses for its characters; characters no font has are left out (the caller warns).
pub fn compile(template: &str, fonts: &HandoutFonts, handout: &Handout) -> anyhow::Result<Vec<u8>> {
    let mut data = serde_json::to_value(handout)?;
    let (fonts, missing) = fonts.choose(&glyphs::printed_chars(&data, template), &handout.lang);
    glyphs::strip_data(&mut data, &missing);
    let template = if missing.is_empty() {
        template.to_string()
    } else {
        glyphs::strip_template(template, &missing)
    };
    let world = HandoutWorld {
        fonts,
        main: Source::new(file_id("/handout.typ"), template),
        data: (
            file_id("/data.json"),
            Bytes::new(serde_json::to_vec(&data)?),
        ),
        qr: handout
            .qr_svg
            .clone()
            .map(|svg| (file_id("/qr.svg"), Bytes::from_string(svg))),
        logo: handout.contact.as_ref().and_then(|c| {
            let name = c.logo.as_ref()?;
            let (_, bytes) = c.logo_image.as_ref()?;
            Some((file_id(&format!("/{name}")), Bytes::new(bytes.to_vec())))
        }),
    };
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| typst_error(&world, "compiling", &errors))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| anyhow::anyhow!("PDF/UA-1: {}", e.message()))?;
    let options = PdfOptions {
        ident: Smart::Custom(handout.document_id.clone()),
        creator: Smart::Custom(Some("evident".to_string())),
        timestamp: timestamp(&handout.date),
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| typst_error(&world, "exporting", &errors));
    // Typst memoises layout across compilations and never forgets on its own: a site's
    // thousand handouts grew it past a gigabyte. What recent handouts used (the fonts, the
    // template) stays; the rest goes. Eviction walks the whole cache, so it runs once per
    // batch of compilations, not after each (after each, it was a sixth of a 10,000-handout
    // build, and grew with it).
    if COMPILED.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
        typst::comemo::evict(CACHE_GENERATIONS);
    }
    pdf
}

/// Compilations between two evictions of Typst's cache.
const EVICT_EVERY: usize = 16;
/// How many evictions a memoised result survives unused.
const CACHE_GENERATIONS: usize = 2;
/// Compilations so far, in this process.
static COMPILED: AtomicUsize = AtomicUsize::new(0);

/// The handout's date (YYYY-MM-DD) at midnight UTC, the PDF's creation date.
fn timestamp(date: &str) -> Option<Timestamp> {
    let date = jiff::civil::Date::strptime("%Y-%m-%d", date).ok()?;
    let datetime = Datetime::from_ymd(
        i32::from(date.year()),
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )?;
    Some(Timestamp::new_utc(datetime))
}

/// Typst's errors as one message: `handout/handout.typ:LINE: message (hint: …)`, so a theme
/// author finds the line.
fn typst_error(world: &HandoutWorld, doing: &str, errors: &[SourceDiagnostic]) -> anyhow::Error {
    let text = errors
        .iter()
        .map(|e| {
            let text = world.main.text();
            let line = (e.span.id() == Some(world.main.id()))
                .then(|| world.range(e.span))
                .flatten()
                .and_then(|r| text.get(..r.start))
                .map(|before| before.matches('\n').count() + 1);
            let mut message = match line {
                Some(line) => format!("handout/handout.typ:{line}: {}", e.message),
                None => e.message.to_string(),
            };
            for hint in &e.hints {
                message.push_str(&format!(" (hint: {})", hint.v));
            }
            message
        })
        .collect::<Vec<_>>()
        .join("\n  ");
    anyhow::anyhow!("{doing} the PDF handout failed:\n  {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_come_from_the_date() {
        assert!(timestamp("2026-11-20").is_some());
        assert!(timestamp("not a date").is_none());
    }
}
