//! Writing one handout for `evident handout`, outside a build.
//!
//! A build puts handouts into its page sink and the site writer owns them through its manifest.
//! The standalone command cannot go through that writer: the writer owns the whole output
//! folder, and a one-file "build" would remove every other page as stale. So this module
//! writes files itself, under three rules:
//!
//! - it writes exactly the `--out` file, or files named `handouts/<slug>[-<audience>]
//!   [-<paper>][-large-print][-draft].<ext>` inside the site's output folder — nowhere else (a symbolic
//!   link on the way is refused, never followed);
//! - a handout made with other options than a build's gets a suffixed name, so a draft or a
//!   clinician's version never takes the place of the published handout a build wrote;
//! - an existing file with the same bytes is left untouched; a folder, link or special file
//!   where a handout should go is an error, not something to replace.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::handout::{Handout, HandoutOptions, HandoutTheme, Paper, handout, render_html};
use crate::resolve::KnowledgeBase;

/// The two formats a handout comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Print HTML, from the theme's `handout/handout.html`.
    Html,
    /// PDF, from the theme's `handout/handout.typ`; only with the `pdf` cargo feature.
    Pdf,
}

impl Format {
    /// The file extension written for the format, without the dot: `html` or `pdf`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The format of an `--out` path, from its extension.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// Where `evident handout` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Exactly this file; the format follows its extension.
    File(PathBuf),
    /// `<output folder>/handouts/`, both formats (PDF when the feature is on).
    OutputFolder(PathBuf),
}

/// One file the command dealt with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// The file's path: the `--out` path as given, or `<output folder>/handouts/<stem>.<ext>`.
    pub path: PathBuf,
    /// False when the file already held these bytes.
    pub changed: bool,
}

/// Makes the handout of `slug` and writes it to `target`.
pub fn write_standalone(
    kb: &KnowledgeBase,
    theme: &HandoutTheme,
    slug: &str,
    options: &HandoutOptions,
    target: &Target,
) -> anyhow::Result<Vec<WrittenFile>> {
    let handout = handout(kb, slug, options)?;
    match target {
        Target::File(path) => {
            let format = Format::of_path(path).ok_or_else(|| {
                anyhow::anyhow!(
                    "--out {}: the file name must end in .pdf or .html (the format follows it)",
                    path.display()
                )
            })?;
            check_out_file(path)?;
            let bytes = render(kb, theme, &handout, format)?;
            Ok(vec![put(path, &bytes)?])
        }
        Target::OutputFolder(out) => {
            let dir = handouts_folder(out)?;
            let stem = file_stem(kb, &handout, options);
            let mut formats = vec![Format::Html];
            if crate::render::handout::PDF_AVAILABLE {
                formats.push(Format::Pdf);
            }
            let owned = crate::write::owned_files(out)?;
            let mut written = Vec::new();
            for format in formats {
                let bytes = render(kb, theme, &handout, format)?;
                let name = format!("{stem}.{}", format.extension());
                let path = dir.join(&name);
                if owned.contains(&format!("handouts/{name}"))
                    && fs::read(&path).is_ok_and(|old| old != bytes)
                {
                    anyhow::bail!(
                        "{} was written by `evident build`, and this handout differs from it: run \
                         `evident build` to update the site's handouts, or pass --out FILE",
                        path.display()
                    );
                }
                written.push(put(&path, &bytes)?);
            }
            Ok(written)
        }
    }
}

/// Refuses an `--out` file inside a build's output folder where it would replace a file (the
/// build's own, or one the user keeps there, such as a CNAME) or take a name the build
/// keeps for itself. A new file there is left to the build, which never overwrites it.
fn check_out_file(path: &Path) -> anyhow::Result<()> {
    let absolute = std::path::absolute(path)
        .map_err(|e| anyhow::anyhow!("cannot locate {}: {e}", path.display()))?;
    let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
        return Ok(());
    };
    // A missing folder holds no build; writing the file reports it.
    let Ok(real_parent) = parent.canonicalize() else {
        return Ok(());
    };
    let real = real_parent.join(name);
    let Some(folder) = real_parent
        .ancestors()
        .find(|dir| crate::write::is_output_folder(dir))
    else {
        return Ok(());
    };
    let rel: Vec<String> = real
        .strip_prefix(folder)
        .unwrap_or(&real)
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    let rel = rel.join("/");
    let why = if rel.to_ascii_lowercase().starts_with(".evident-") {
        Some("the name is one evident keeps for its own files")
    } else if crate::write::owned_files(folder)?.contains(&rel) {
        Some("`evident build` wrote that file, and owns it")
    } else if fs::symlink_metadata(&real).is_ok() {
        Some("a file is there already")
    } else {
        None
    };
    match why {
        Some(why) => anyhow::bail!(
            "--out {}: it is inside the build's output folder {}, and {why}; a standalone \
             handout never replaces a file there. Choose a file outside that folder, or leave \
             out --out to write into its handouts/ under a name of its own",
            path.display(),
            folder.display()
        ),
        None => Ok(()),
    }
}

fn render(
    kb: &KnowledgeBase,
    theme: &HandoutTheme,
    handout: &Handout,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    #[cfg(not(feature = "pdf"))]
    let _ = kb;
    match format {
        Format::Html => Ok(render_html(theme, handout)?.into_bytes()),
        #[cfg(feature = "pdf")]
        Format::Pdf => crate::render::handout::render_pdf(theme, &kb.config.handout.fonts, handout),
        #[cfg(not(feature = "pdf"))]
        Format::Pdf => anyhow::bail!(
            "this evident was built without PDF support (the `pdf` cargo feature); write an \
             .html handout instead"
        ),
    }
}

/// `<slug>` for what a build writes, with a suffix for each option that differs from it.
pub fn file_stem(kb: &KnowledgeBase, handout: &Handout, options: &HandoutOptions) -> String {
    let defaults = HandoutOptions::site_default(&kb.config);
    let mut stem = handout.slug.clone();
    if let Some(audience) = &handout.audience
        && defaults.audience.as_ref() != Some(audience)
    {
        stem.push('-');
        stem.push_str(audience);
    }
    if Some(handout.paper) != defaults.paper {
        stem.push('-');
        stem.push_str(handout.paper.name());
    }
    if options.large_print {
        stem.push_str("-large-print");
    }
    if options.draft {
        stem.push_str("-draft");
    }
    stem
}

/// `<out>/handouts/`, created when missing; refused when a link or a file is on the way.
fn handouts_folder(out: &Path) -> anyhow::Result<PathBuf> {
    let dir = out.join("handouts");
    for folder in [out, dir.as_path()] {
        match fs::symlink_metadata(folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => anyhow::bail!(
                "{} is not a folder (a file or symbolic link is in the way); move it, or pass --out FILE",
                folder.display()
            ),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(folder)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", folder.display()))?;
            }
            Err(e) => anyhow::bail!("cannot inspect {}: {e}", folder.display()),
        }
    }
    Ok(dir)
}

/// Writes `bytes` to `path` unless it already holds them; refuses to replace anything but a
/// regular file. Replaced atomically, so a reader never sees half a PDF.
fn put(path: &Path, bytes: &[u8]) -> anyhow::Result<WrittenFile> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => {
            if fs::read(path).is_ok_and(|old| old == bytes) {
                return Ok(WrittenFile {
                    path: path.to_path_buf(),
                    changed: false,
                });
            }
        }
        Ok(_) => anyhow::bail!(
            "{} is a folder, symbolic link or special file; a handout is written only over a regular file",
            path.display()
        ),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => anyhow::bail!("cannot inspect {}: {e}", path.display()),
    }
    super::file::replace_atomically(path, bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(WrittenFile {
        path: path.to_path_buf(),
        changed: true,
    })
}

/// For messages: the paper's name as people say it.
pub fn paper_label(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "A4",
        Paper::Letter => "US Letter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of_path(Path::new("a/b.PDF")), Some(Format::Pdf));
        assert_eq!(Format::of_path(Path::new("b.html")), Some(Format::Html));
        assert_eq!(Format::of_path(Path::new("b.txt")), None);
        assert_eq!(Format::of_path(Path::new("b")), None);
    }

    #[test]
    fn put_leaves_equal_files_and_refuses_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("h.html");
        assert!(put(&file, b"one").expect("write").changed);
        assert!(!put(&file, b"one").expect("same").changed);
        assert!(put(&file, b"two").expect("replace").changed);
        assert_eq!(fs::read(&file).expect("read"), b"two");
        let folder = dir.path().join("f.pdf");
        fs::create_dir(&folder).expect("mkdir");
        assert!(put(&folder, b"x").is_err());
        // Nothing but the file itself was left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_refused_not_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = dir.path().join("outside.html");
        fs::write(&outside, "mine").expect("write");
        let link = dir.path().join("h.html");
        std::os::unix::fs::symlink(&outside, &link).expect("symlink");
        assert!(put(&link, b"handout").is_err());
        assert_eq!(fs::read(&outside).expect("read"), b"mine");
    }
}
