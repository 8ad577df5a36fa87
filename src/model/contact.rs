//! The site's clinic or publisher block, `contact:` in evident.yaml: the name, phone number,
//! web address and logo a handout prints, so that a patient knows who handed it over and
//! whom to call. The logo is a PNG, SVG or JPEG file inside the site; reading it is the load
//! stage's (through [`attach_logo`]), this module only checks what is written.

use std::sync::Arc;

use serde::Serialize;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::text::fields::Fields;
use crate::text::yaml::Node;

/// The top-level key of evident.yaml this block is read from.
pub const KEY: &str = "contact";

/// The keys of the block, in the order they are documented.
pub const FIELDS: &[&str] = &["name", "phone", "url", "logo"];

/// A logo larger than this is refused: a handout's logo is a small mark, and every PDF
/// embeds it.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// `contact:` as read: who hands the handout over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// `name`: the clinic's or publisher's name, as printed ("Example Clinic (fictional)").
    pub name: String,
    /// `phone`: the number to call, as written ("01632 960 000").
    pub phone: Option<String>,
    /// `url`: the clinic's web address; only `http://` and `https://` addresses are kept.
    pub url: Option<String>,
    /// `logo`: an image file of the site, when one is named.
    pub logo: Option<Logo>,
}

/// The image formats a logo may have; the file's extension says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    /// `.png`.
    Png,
    /// `.svg`.
    Svg,
    /// `.jpg` or `.jpeg`.
    Jpeg,
}

impl ImageKind {
    /// The kind a file name's extension means, case-insensitively; None for any other.
    pub fn of_path(path: &str) -> Option<ImageKind> {
        let (_, extension) = path.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "png" => Some(ImageKind::Png),
            "svg" => Some(ImageKind::Svg),
            "jpg" | "jpeg" => Some(ImageKind::Jpeg),
            _ => None,
        }
    }

    /// The media type, for a `data:` URI.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Svg => "image/svg+xml",
            ImageKind::Jpeg => "image/jpeg",
        }
    }

    /// The extension a handout's own copy of the logo gets (`logo.png` in the PDF's files).
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Svg => "svg",
            ImageKind::Jpeg => "jpg",
        }
    }

    /// Whether `bytes` look like an image of this kind (PNG and JPEG by their signature, SVG
    /// by an `<svg` element near the start).
    pub fn matches(self, bytes: &[u8]) -> bool {
        match self {
            ImageKind::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            ImageKind::Jpeg => bytes.starts_with(b"\xff\xd8\xff"),
            ImageKind::Svg => {
                let head = &bytes[..bytes.len().min(4096)];
                String::from_utf8_lossy(head).contains("<svg")
            }
        }
    }
}

/// The `logo` of [`Contact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Logo {
    /// The file's path relative to the site root, '/'-separated, as written.
    pub path: String,
    /// Its format, from the extension.
    pub kind: ImageKind,
    /// Where evident.yaml names it, for the diagnostics about the file.
    pub location: Location,
    /// The file's bytes, once the load stage has read and checked them; None before, or when
    /// the file is missing or not an image of its kind (which is reported).
    #[serde(skip)]
    pub bytes: Option<Arc<[u8]>>,
}

impl Logo {
    /// The image as a `data:` URI (base64), for an `<img>` that works wherever the HTML file
    /// is opened; None when the bytes were not read.
    pub fn data_uri(&self) -> Option<String> {
        Some(data_uri(self.kind, self.bytes.as_ref()?))
    }
}

/// An image as a `data:` URI (base64).
pub fn data_uri(kind: ImageKind, bytes: &[u8]) -> String {
    format!("data:{};base64,{}", kind.mime(), base64(bytes))
}

/// Reads `contact:`, a mapping with `name` (required), `phone`, `url` and `logo`.
pub fn read(node: &Node, parent: &mut Fields<'_>) -> Option<Contact> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let what = format!("`{KEY}`");
    let mut fields = Fields::of(node, path, offset, &what, parent.diagnostics)?;
    let name = fields.required_text("name", "the clinic's or publisher's name", node.pos);
    let text = |fields: &mut Fields<'_>, key: &str| {
        fields
            .text(key)
            .map(|v| (v.value.trim().to_string(), v.pos))
            .filter(|(v, _)| !v.is_empty())
    };
    let phone = text(&mut fields, "phone").map(|(v, _)| v);
    let url = match text(&mut fields, "url") {
        Some((url, _)) if url.starts_with("https://") || url.starts_with("http://") => Some(url),
        Some((url, pos)) => {
            let loc = fields.location(pos);
            fields.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    loc,
                    format!("`{url}` is not a web address"),
                )
                .width(url.chars().count())
                .hint("write the address in full, e.g. https://example.org/"),
            );
            None
        }
        None => None,
    };
    let logo = text(&mut fields, "logo").and_then(|(logo, pos)| {
        let location = fields.location(pos);
        match logo_problem(&logo) {
            Some((message, hint)) => {
                fields.push(
                    Diagnostic::error(Code::InvalidValue, location, message)
                        .width(logo.chars().count())
                        .hint(hint),
                );
                None
            }
            None => Some(Logo {
                kind: ImageKind::of_path(&logo)?,
                path: logo,
                location,
                bytes: None,
            }),
        }
    });
    fields.finish(FIELDS, &what);
    Some(Contact {
        name: name?.value.trim().to_string(),
        phone,
        url,
        logo,
    })
}

/// What is wrong with a logo path, before the file is looked at.
fn logo_problem(path: &str) -> Option<(String, &'static str)> {
    let outside = path.starts_with('/')
        || path.starts_with('\\')
        || path.contains(':')
        || path.split(['/', '\\']).any(|part| part == "..");
    if outside {
        return Some((
            format!("the logo `{path}` is not a path inside the site"),
            "write the path from the site's folder, e.g. static/logo.svg",
        ));
    }
    if ImageKind::of_path(path).is_none() {
        return Some((
            format!("the logo `{path}` is not a PNG, SVG or JPEG file"),
            "use a .png, .svg, .jpg or .jpeg image",
        ));
    }
    None
}

/// Reads the logo's bytes with `read` (given the path relative to the site root) and keeps
/// them when they are an image of the kind its name says; a missing, unreadable, oversized or
/// mistyped file is an error at the `logo:` line of evident.yaml, and the handouts go without.
pub fn attach_logo(
    contact: &mut Option<Contact>,
    read: impl FnOnce(&str) -> std::io::Result<Vec<u8>>,
    diagnostics: &mut Diagnostics,
) {
    let Some(logo) = contact.as_mut().and_then(|c| c.logo.as_mut()) else {
        return;
    };
    let problem = match read(&logo.path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some((
            Code::InvalidValue,
            format!("the logo `{}` does not exist", logo.path),
        )),
        Err(e) => Some((
            Code::UnreadableFile,
            format!("the logo `{}` cannot be read: {e}", logo.path),
        )),
        Ok(bytes) if bytes.len() > MAX_LOGO_BYTES => Some((
            Code::FileTooLarge,
            format!(
                "the logo `{}` is {} bytes; a logo may have at most {MAX_LOGO_BYTES}",
                logo.path,
                bytes.len()
            ),
        )),
        Ok(bytes) if !logo.kind.matches(&bytes) => Some((
            Code::InvalidValue,
            format!(
                "the logo `{}` is not a {} image",
                logo.path,
                logo.kind.extension().to_uppercase()
            ),
        )),
        Ok(bytes) => {
            logo.bytes = Some(Arc::from(bytes));
            None
        }
    };
    if let Some((code, message)) = problem {
        diagnostics.push(
            Diagnostic::error(code, logo.location.clone(), message)
                .width(logo.path.chars().count())
                .hint("put the image (PNG, SVG or JPEG, at most 1 MiB) at that path inside the site, e.g. under static/, or correct the path"),
        );
    }
}

/// Standard base64 with padding (RFC 4648), for `data:` URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d.location.line, d.location.column, d.code, d.message
                )
            })
            .collect();
        (config, found)
    }

    #[test]
    fn reads_the_block() {
        let (config, found) = parse(
            "contact:\n  name: Kettle Repair Desk (fictional)\n  phone: 01632 960 123\n  url: https://example.org/kettles/\n  logo: static/mark.svg\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let contact = config.contact.expect("contact");
        assert_eq!(contact.name, "Kettle Repair Desk (fictional)");
        assert_eq!(contact.phone.as_deref(), Some("01632 960 123"));
        assert_eq!(contact.url.as_deref(), Some("https://example.org/kettles/"));
        let logo = contact.logo.expect("logo");
        assert_eq!(
            (logo.path.as_str(), logo.kind),
            ("static/mark.svg", ImageKind::Svg)
        );
        assert_eq!((logo.location.line, logo.location.column), (5, 9));
        assert_eq!(Config::default().contact, None);
    }

    #[test]
    fn problems_are_reported_where_written() {
        let (config, found) =
            parse("contact:\n  phone: '1'\n  url: example.org\n  logo: ../outside.png\n  fax: 2\n");
        assert_eq!(config.contact, None, "no name, no block");
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("2:3 missing-field"), "{found:?}");
        assert!(found[1].starts_with("3:8 invalid-value"), "{found:?}");
        assert!(found[2].contains("not a path inside the site"), "{found:?}");
        assert!(found[3].starts_with("5:3 unknown-field"), "{found:?}");
        let (_, found) = parse("contact:\n  name: N\n  logo: static/mark.gif\n");
        assert!(found[0].contains("not a PNG, SVG or JPEG"), "{found:?}");
    }

    #[test]
    fn the_logo_file_is_checked() {
        let (config, _) = parse("contact:\n  name: N\n  logo: static/mark.png\n");
        let run = |bytes: std::io::Result<Vec<u8>>| {
            let mut contact = config.contact.clone();
            let mut d = Diagnostics::default();
            attach_logo(&mut contact, |_| bytes, &mut d);
            let logo = contact.and_then(|c| c.logo).expect("logo");
            let found: Vec<String> = d
                .sorted()
                .iter()
                .map(|d| format!("{} {} {}", d.location, d.code, d.message))
                .collect();
            (logo.bytes.is_some(), found)
        };
        let missing = run(Err(std::io::ErrorKind::NotFound.into()));
        assert_eq!(
            missing,
            (
                false,
                vec![
                    "evident.yaml:3:9 invalid-value the logo `static/mark.png` does not exist"
                        .to_string()
                ]
            )
        );
        let (kept, found) = run(Ok(b"GIF89a".to_vec()));
        assert!(
            !kept && found[0].contains("is not a PNG image"),
            "{found:?}"
        );
        let (kept, found) = run(Ok(b"\x89PNG\r\n\x1a\nrest".to_vec()));
        assert!(kept && found.is_empty(), "{found:?}");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
