//! The fonts a PDF handout is laid out with, chosen before Typst runs.
//!
//! Three sources, tried in order: the fonts built into evident (`typst-assets`), the site's font
//! files (`handout.fonts:` in evident.yaml), then the machine's fonts (fontconfig's folders).
//! A handout whose characters the first two cover is laid out with those alone, so its bytes
//! are the same on every machine; the machine's fonts are scanned (once per process) only when
//! some handout has a character they lack, and only the machine faces that have one of those
//! characters join that handout's font book. Typst's own fallback then picks among them.
//!
//! What no font covers is returned as missing: the caller leaves it out of the handout, since a
//! PDF/UA document may not show a missing-glyph box (Typst refuses to export one).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontFlags, FontInfo};
use typst::utils::LazyHash;

use crate::model::fonts::FontFile;

/// A font book and the fonts behind it, in the book's order.
pub struct FontChoice {
    /// What Typst selects from.
    pub book: LazyHash<FontBook>,
    slots: Vec<Slot>,
}

enum Slot {
    /// A font parsed already (embedded or the site's).
    Loaded(Font),
    /// A machine face, loaded when Typst first asks for it.
    Machine(usize),
}

impl FontChoice {
    /// The font at `index` of the book; None when its file cannot be read any more.
    pub fn font(&self, index: usize) -> Option<Font> {
        match self.slots.get(index)? {
            Slot::Loaded(font) => Some(font.clone()),
            Slot::Machine(i) => machine().get(*i)?.load(),
        }
    }

    fn new(fonts: &[Font], machine_faces: &[usize]) -> FontChoice {
        let mut book = FontBook::from_fonts(fonts);
        let mut slots: Vec<Slot> = fonts.iter().cloned().map(Slot::Loaded).collect();
        for &i in machine_faces {
            book.push(machine()[i].info.clone());
            slots.push(Slot::Machine(i));
        }
        FontChoice {
            book: LazyHash::new(book),
            slots,
        }
    }
}

/// A site's handout fonts: the embedded and site fonts, and the choices made for handouts
/// needing machine fonts (shared by handouts needing the same faces).
pub struct HandoutFonts {
    fonts: Vec<Font>,
    base: Arc<FontChoice>,
    with_machine: Mutex<HashMap<Vec<usize>, Arc<FontChoice>>>,
}

impl HandoutFonts {
    /// The embedded fonts followed by the site's `handout.fonts` (those the load stage read;
    /// faces Typst cannot parse, or whose licence forbids embedding, are left out).
    pub fn new(site: &[FontFile]) -> HandoutFonts {
        let mut fonts = embedded().to_vec();
        for file in site {
            if let Some(bytes) = &file.bytes {
                let bytes = Bytes::new(Arc::clone(bytes));
                fonts.extend(Font::iter(bytes).filter(|f| embeddable(f.data(), f.index())));
            }
        }
        HandoutFonts {
            base: Arc::new(FontChoice::new(&fonts, &[])),
            fonts,
            with_machine: Mutex::new(HashMap::new()),
        }
    }

    /// The fonts for a handout printing `chars` in language `lang` (ISO 639), and the
    /// characters no font has.
    ///
    /// A monospaced face (DejaVu Sans Mono, for code) does not count as covering prose: Arabic
    /// set in it would be a typewriter's. Where no other face has a character, it still draws it.
    pub fn choose(&self, chars: &BTreeSet<char>, lang: &str) -> (Arc<FontChoice>, BTreeSet<char>) {
        let prose = |c: char| {
            self.fonts
                .iter()
                .any(|f| !f.info().flags.contains(FontFlags::MONOSPACE) && covers(f.info(), c))
        };
        let uncovered: Vec<char> = chars.iter().copied().filter(|&c| !prose(c)).collect();
        if uncovered.is_empty() {
            return (Arc::clone(&self.base), BTreeSet::new());
        }
        let families: BTreeSet<String> = self
            .fonts
            .iter()
            .map(|f| f.info().family.to_lowercase())
            .collect();
        let faces = machine();
        let mut picked: Vec<usize> = (0..faces.len())
            .filter(|&i| !families.contains(&faces[i].info.family.to_lowercase()))
            .filter(|&i| uncovered.iter().any(|c| covers(&faces[i].info, *c)))
            .collect();
        let missing: BTreeSet<char> = uncovered
            .iter()
            .copied()
            .filter(|&c| !self.fonts.iter().any(|f| covers(f.info(), c)))
            .filter(|&c| !picked.iter().any(|&i| covers(&faces[i].info, c)))
            .collect();
        if picked.is_empty() {
            return (Arc::clone(&self.base), missing);
        }
        // Typst's fallback keeps the first of equally good faces: the faces made for the
        // handout's language come first (a Japanese handout's Han characters in Japanese forms).
        let preferred = region_mark(lang);
        picked.sort_by_key(|&i| {
            let family = &faces[i].info.family;
            (preferred.is_none_or(|p| !family.contains(p)), i)
        });
        let mut cache = self
            .with_machine
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let choice = cache
            .entry(picked.clone())
            .or_insert_with(|| Arc::new(FontChoice::new(&self.fonts, &picked)));
        (Arc::clone(choice), missing)
    }
}

/// Whether a font has a glyph for `c`, by its character map.
fn covers(info: &FontInfo, c: char) -> bool {
    info.coverage.contains(u32::from(c))
}

/// The mark CJK font families carry for a language's forms (`Noto Sans CJK JP`).
fn region_mark(lang: &str) -> Option<&'static str> {
    match lang {
        "ja" => Some(" JP"),
        "ko" => Some(" KR"),
        "zh" => Some(" SC"),
        _ => None,
    }
}

/// The fonts built into evident, parsed once per process.
fn embedded() -> &'static [Font] {
    static EMBEDDED: OnceLock<Vec<Font>> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect()
    })
}

/// One face of the machine's fonts.
struct MachineFace {
    path: PathBuf,
    index: u32,
    info: FontInfo,
    font: OnceLock<Option<Font>>,
}

impl MachineFace {
    fn load(&self) -> Option<Font> {
        self.font
            .get_or_init(|| {
                let bytes = file_bytes(&self.path)?;
                Font::new(bytes, self.index)
            })
            .clone()
    }
}

/// A machine font file's bytes, read once however many of its faces are used.
fn file_bytes(path: &PathBuf) -> Option<Bytes> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, Bytes>>> = OnceLock::new();
    let files = FILES.get_or_init(Default::default);
    let mut files = files
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(bytes) = files.get(path) {
        return Some(bytes.clone());
    }
    let bytes = Bytes::new(std::fs::read(path).ok()?);
    files.insert(path.clone(), bytes.clone());
    Some(bytes)
}

/// The machine's font faces, by file path and index: scanned the first time a handout needs
/// them, once per process.
fn machine() -> &'static [MachineFace] {
    static MACHINE: OnceLock<Vec<MachineFace>> = OnceLock::new();
    MACHINE.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut faces: Vec<MachineFace> = db
            .faces()
            .filter_map(|face| {
                let path = match &face.source {
                    fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => {
                        path.clone()
                    }
                    fontdb::Source::Binary(_) => return None,
                };
                let info = db.with_face_data(face.id, |data, index| {
                    embeddable(data, index)
                        .then(|| FontInfo::new(data, index))
                        .flatten()
                })??;
                Some(MachineFace {
                    path,
                    index: face.index,
                    info,
                    font: OnceLock::new(),
                })
            })
            .collect();
        faces.sort_by(|a, b| (&a.path, a.index).cmp(&(&b.path, b.index)));
        faces
    })
}

/// Whether a face's licence lets a PDF embed it: its OS/2 `fsType` is not "restricted
/// licence" (PDF/UA-1 refuses such a font, as Typst's exporter does). Unreadable tables count as
/// embeddable; the font's own parser decides about those.
fn embeddable(data: &[u8], index: u32) -> bool {
    fs_type(data, index).is_none_or(|t| t & 0xF != 2)
}

/// The OS/2 table's `fsType` of face `index` of an OpenType file or collection.
fn fs_type(data: &[u8], index: u32) -> Option<u16> {
    let u16_at = |at: usize| Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?));
    let face = if data.starts_with(b"ttcf") {
        u32_at(12 + 4 * usize::try_from(index).ok()?)? as usize
    } else {
        0
    };
    let tables = usize::from(u16_at(face + 4)?);
    (0..tables).find_map(|t| {
        let record = face + 12 + 16 * t;
        (data.get(record..record + 4)? == b"OS/2")
            .then(|| u16_at(u32_at(record + 8)? as usize + 8))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-table font file: the table directory and an OS/2 table with `fs_type`.
    fn with_fs_type(fs_type: u16) -> Vec<u8> {
        let mut data = b"\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00".to_vec();
        data.extend_from_slice(b"OS/2\0\0\0\0");
        data.extend_from_slice(&28u32.to_be_bytes());
        data.extend_from_slice(&10u32.to_be_bytes());
        data.extend_from_slice(&[0; 8]);
        data.extend_from_slice(&fs_type.to_be_bytes());
        data
    }

    #[test]
    fn restricted_licences_are_not_embedded() {
        assert_eq!(fs_type(&with_fs_type(2), 0), Some(2));
        assert!(!embeddable(&with_fs_type(2), 0));
        assert!(embeddable(&with_fs_type(0), 0));
        assert!(embeddable(&with_fs_type(8), 0));
        assert!(embeddable(b"not a font", 0));
    }

    #[test]
    fn latin_needs_no_machine_font() {
        let fonts = HandoutFonts::new(&[]);
        let chars: BTreeSet<char> = "Tea for two, café — “cups”".chars().collect();
        let (choice, missing) = fonts.choose(&chars, "en");
        assert!(missing.is_empty(), "{missing:?}");
        assert!(
            Arc::ptr_eq(&choice, &fonts.base),
            "the embedded fonts alone"
        );
        assert_eq!(choice.slots.len(), embedded().len());
    }
}
