//! `handout:` in evident.yaml: settings of the PDF handouts, so far `fonts:`, font files of the
//! site that a handout falls back to for the characters the fonts built into evident lack
//! (Japanese, Arabic, emoji…). Fonts of the site travel with it: a PDF made with them is the
//! same on every machine, which a PDF made with the machine's fonts is not. Reading the files
//! is the load stage's (through [`attach_fonts`]), this module only checks what is written.

use std::sync::Arc;

use serde::Serialize;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::text::fields::Fields;
use crate::text::yaml::Node;

/// The top-level key of evident.yaml this block is read from.
pub const KEY: &str = "handout";

/// The keys of the block, in the order they are documented.
pub const FIELDS: &[&str] = &["fonts"];

/// A font file larger than this is refused (the largest CJK collections are about 30 MiB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// The extensions a font file may have: OpenType and TrueType fonts and collections.
pub const EXTENSIONS: &[&str] = &["otf", "ttf", "otc", "ttc"];

/// `handout:` as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HandoutSettings {
    /// `fonts`: font files of the site, in the order written (the order they are tried in).
    pub fonts: Vec<FontFile>,
}

/// One entry of `handout.fonts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FontFile {
    /// The file's path relative to the site root, '/'-separated, as written.
    pub path: String,
    /// Where evident.yaml names it, for the diagnostics about the file.
    pub location: Location,
    /// The file's bytes, once the load stage has read and checked them; None before, or when
    /// the file is missing or not a font (which is reported).
    #[serde(skip)]
    pub bytes: Option<Arc<[u8]>>,
}

/// Reads `handout:`, a mapping with `fonts` (a list of paths).
pub fn read(node: &Node, parent: &mut Fields<'_>) -> HandoutSettings {
    let (path, offset) = (parent.path(), parent.line_offset());
    let what = format!("`{KEY}`");
    let Some(mut fields) = Fields::of(node, path, offset, &what, parent.diagnostics) else {
        return HandoutSettings::default();
    };
    let mut fonts = Vec::new();
    for entry in fields.text_list("fonts") {
        let location = fields.location(entry.pos);
        let file = entry.value.trim().to_string();
        match font_problem(&file) {
            Some((message, hint)) => fields.push(
                Diagnostic::error(Code::InvalidValue, location, message)
                    .width(file.chars().count())
                    .hint(hint),
            ),
            None => fonts.push(FontFile {
                path: file,
                location,
                bytes: None,
            }),
        }
    }
    fields.finish(FIELDS, &what);
    HandoutSettings { fonts }
}

/// What is wrong with a font path, before the file is looked at.
fn font_problem(path: &str) -> Option<(String, &'static str)> {
    let outside = path.is_empty()
        || path.starts_with('/')
        || path.starts_with('\\')
        || path.contains(':')
        || path.split(['/', '\\']).any(|part| part == "..");
    if outside {
        return Some((
            format!("the font `{path}` is not a path inside the site"),
            "write the path from the site's folder, e.g. fonts/NotoSansJP-Regular.otf",
        ));
    }
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&extension.as_str()) {
        return Some((
            format!("the font `{path}` is not an OpenType or TrueType file"),
            "name a .otf, .ttf, .otc or .ttc file",
        ));
    }
    None
}

/// Whether `bytes` start like an OpenType or TrueType font or collection.
pub fn looks_like_font(bytes: &[u8]) -> bool {
    [&b"\x00\x01\x00\x00"[..], b"OTTO", b"true", b"ttcf"]
        .iter()
        .any(|magic| bytes.starts_with(magic))
}

/// Reads each font's bytes with `read` (given the path relative to the site root; it refuses
/// a file outside the site) and keeps them when they are a font; a missing, unreadable,
/// oversized or mistyped file is an error at its line of evident.yaml, and the handouts go
/// without it.
pub fn attach_fonts(
    settings: &mut HandoutSettings,
    read: impl Fn(&str) -> std::io::Result<Vec<u8>>,
    diagnostics: &mut Diagnostics,
) {
    for font in &mut settings.fonts {
        let problem = match read(&font.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some((
                Code::InvalidValue,
                format!("the font `{}` does not exist", font.path),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => Some((
                Code::FileTooLarge,
                format!(
                    "the font `{}` is larger than {} MiB",
                    font.path,
                    MAX_FONT_BYTES / 1024 / 1024
                ),
            )),
            Err(e) => Some((
                Code::UnreadableFile,
                format!("the font `{}` cannot be read: {e}", font.path),
            )),
            Ok(bytes) if !looks_like_font(&bytes) => Some((
                Code::InvalidValue,
                format!(
                    "the font `{}` is not an OpenType or TrueType font",
                    font.path
                ),
            )),
            Ok(bytes) => {
                font.bytes = Some(Arc::from(bytes));
                None
            }
        };
        if let Some((code, message)) = problem {
            diagnostics.push(
                Diagnostic::error(code, font.location.clone(), message)
                    .width(font.path.chars().count())
                    .hint("put the font file (.otf, .ttf, .otc or .ttc) at that path inside the site, e.g. under fonts/, or correct the path"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Config;

    fn parse(text: &str) -> (Config, Vec<String>) {
        let mut d = Diagnostics::default();
        let config = Config::parse(text, "evident.yaml", &mut d);
        let found = d
            .sorted()
            .iter()
            .map(|d| format!("{} {} {}", d.location, d.code, d.message))
            .collect();
        (config, found)
    }

    #[test]
    fn reads_the_list() {
        let (config, found) =
            parse("handout:\n  fonts:\n    - fonts/TeaSans.otf\n    - fonts/Cups.ttc\n");
        assert!(found.is_empty(), "{found:?}");
        let paths: Vec<_> = config
            .handout
            .fonts
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(paths, ["fonts/TeaSans.otf", "fonts/Cups.ttc"]);
        assert_eq!(
            config.handout.fonts[1].location.to_string(),
            "evident.yaml:4:7"
        );
        assert_eq!(Config::default().handout, HandoutSettings::default());
    }

    #[test]
    fn problems_are_reported_where_written() {
        let (config, found) = parse(
            "handout:\n  fonts: [../outside.otf, /etc/x.ttf, fonts/tea.woff2]\n  colour: red\n",
        );
        assert!(config.handout.fonts.is_empty());
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].contains("not a path inside the site"), "{found:?}");
        assert!(found[1].contains("not a path inside the site"), "{found:?}");
        assert!(
            found[2].contains("not an OpenType or TrueType file"),
            "{found:?}"
        );
        assert!(
            found[3].starts_with("evident.yaml:3:3 unknown-field"),
            "{found:?}"
        );
    }

    #[test]
    fn the_files_are_checked() {
        let (config, _) = parse("handout:\n  fonts: [fonts/a.otf]\n");
        let run = |bytes: std::io::Result<Vec<u8>>| {
            let mut settings = config.handout.clone();
            let mut d = Diagnostics::default();
            attach_fonts(
                &mut settings,
                |_| {
                    bytes
                        .as_ref()
                        .map(Vec::clone)
                        .map_err(|e| std::io::Error::new(e.kind(), e.to_string()))
                },
                &mut d,
            );
            let found: Vec<String> = d
                .sorted()
                .iter()
                .map(|d| format!("{} {} {}", d.location, d.code, d.message))
                .collect();
            (settings.fonts[0].bytes.is_some(), found)
        };
        let (kept, found) = run(Err(std::io::ErrorKind::NotFound.into()));
        assert!(!kept);
        assert_eq!(
            found,
            ["evident.yaml:2:11 invalid-value the font `fonts/a.otf` does not exist"]
        );
        let (kept, found) = run(Ok(b"GIF89a".to_vec()));
        assert!(
            !kept && found[0].contains("is not an OpenType"),
            "{found:?}"
        );
        let (kept, found) = run(Ok(b"OTTO rest".to_vec()));
        assert!(kept && found.is_empty(), "{found:?}");
    }
}
