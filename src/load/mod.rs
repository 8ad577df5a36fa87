//! Stage 1: the files of a site → raw records (a [`Corpus`]). Each file is read and parsed on
//! its own; problems that need more than one file (unknown ids, duplicates) are `resolve`'s.

pub mod citations;
mod claim;
mod review;
pub mod reviewed;
pub mod schema;
mod topic;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use claim::{CLAIM_FIELDS, parse_claim};
pub use review::{REVIEW_FIELDS, read_review};
pub use topic::{TOPIC_FIELDS, parse_topic};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use citations::SourceRecord;

use crate::cite::Style;
use crate::model::config::Config;
use crate::model::{Claim, Topic};
use crate::project::Project;
use rayon::prelude::*;

/// Claim files and front matter are small; anything this big is a mistake (a data dump in
/// the wrong folder) and would slow every build.
pub const MAX_CONTENT_BYTES: u64 = 1024 * 1024;
/// Exports of whole libraries are legitimately large.
pub const MAX_SOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// Everything read from a site's files.
#[derive(Debug, Default)]
pub struct Corpus {
    /// `evident.yaml` as read, or the defaults where it is missing or wrong.
    pub config: Config,
    /// Every claim file that could be read as a claim, in the order the files were added
    /// (walk order for [`load`]); ids may repeat (one file name in two folders): resolve
    /// reports that.
    pub claims: Vec<Claim>,
    /// Every page of `content/` that could be read, in the order the files were added.
    pub topics: Vec<Topic>,
    /// Every record of every file of `citations/`, in file order then record order, not yet
    /// merged by id (see [`SourceRecord`]).
    pub sources: Vec<SourceRecord>,
    /// The citation style named by `citation_style` (a `.csl` file is read here, as a file
    /// of the site).
    pub style: Style,
    /// The text of every file read, by relative path, for diagnostics that show the line.
    pub texts: BTreeMap<String, String>,
    /// Every problem found while reading the files one by one (unsorted).
    pub diagnostics: Diagnostics,
}

/// Reads a whole site. I/O failures on individual files are diagnostics; only a missing or
/// unreadable root stops the run.
pub fn load(project: &Project) -> anyhow::Result<Corpus> {
    let (mut corpus, files) = load_by_file(project)?;
    for file in files {
        corpus.add(file);
    }
    Ok(corpus)
}

/// Reads a whole site, keeping each input file apart: a corpus holding only the
/// configuration and the citation style (with their diagnostics), and every file of
/// `content/` and `citations/` in the order [`load`] adds them.
pub fn load_by_file(project: &Project) -> anyhow::Result<(Corpus, Vec<LoadedFile>)> {
    if !project.root.is_dir() {
        anyhow::bail!("site folder {} does not exist", project.root.display());
    }
    let mut corpus = Corpus::default();
    let config_path = project.config_file();
    if let Some(problem) = not_a_regular_file(&config_path) {
        // Opening a FIFO would wait for a writer for ever; a folder cannot be read.
        corpus.diagnostics.push(
            Diagnostic::error(
                Code::UnreadableFile,
                Location::file(crate::model::config::CONFIG_FILE),
                format!("cannot read evident.yaml: it is {problem}, not a file"),
            )
            .hint("evident.yaml must be a plain text file: move what is there aside and write the site's settings into a file of that name (or delete it: every setting has a default)"),
        );
    } else if config_path.is_file() {
        let rel = project.relative(&config_path);
        if let Some(text) = read_text(
            &config_path,
            &rel,
            MAX_CONTENT_BYTES,
            &mut corpus.diagnostics,
        ) {
            let readable = crate::text::control::blanked(&text);
            corpus.config = Config::parse(&readable, &rel, &mut corpus.diagnostics);
            corpus.texts.insert(rel, text);
        }
    }
    // The handouts' fonts are files of the site, read once here like the logo.
    crate::model::fonts::attach_fonts(
        &mut corpus.config.handout,
        |rel| read_site_file(&project.root, rel, crate::model::fonts::MAX_FONT_BYTES),
        &mut corpus.diagnostics,
    );
    check_theme(project, &mut corpus);
    // The handouts' logo is a file of the site, read once here like a `.csl` style.
    crate::model::contact::attach_logo(
        &mut corpus.config.contact,
        |rel| std::fs::read(project.root.join(rel)),
        &mut corpus.diagnostics,
    );
    corpus.style = Style::for_site(
        &corpus.config,
        &project.root,
        corpus
            .texts
            .get(crate::model::config::CONFIG_FILE)
            .map(String::as_str),
        &mut corpus.diagnostics,
    );
    // Every file is read and parsed on its own, on every core; collected in walk order so
    // the corpus does not depend on which thread finished first.
    let content = walk_inputs(&project.content_dir());
    let citations = walk_inputs(&project.citations_dir());
    for link in content.links.iter().chain(&citations.links) {
        corpus.diagnostics.push(symlink_skipped(project, link));
    }
    let mut files: Vec<LoadedFile> = content
        .files
        .par_iter()
        .filter_map(|path| load_content_file(project, path, &corpus.config))
        .collect();
    files.par_extend(
        citations
            .files
            .par_iter()
            .map(|path| load_citation_file(project, path)),
    );
    Ok((corpus, files))
}

/// What `path` is when it exists and is not a regular file (a folder, a FIFO…), following
/// symbolic links; None when it is a file or does not exist.
fn not_a_regular_file(path: &Path) -> Option<&'static str> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// The warning for a symbolic link among the inputs, at the link's own path.
pub fn symlink_skipped(project: &Project, link: &Path) -> Diagnostic {
    let rel = project.relative(link);
    Diagnostic::warning(
        Code::SymlinkSkipped,
        Location::file(&rel),
        format!("`{rel}` is a symbolic link, which evident does not follow: what it points to is not read"),
    )
    .hint("copy the file or folder into the site in place of the link, or delete the link")
}

/// A theme that is not a folder of themes/ inside the site is an error at its line in
/// evident.yaml, so that nothing from elsewhere on the machine is published.
fn check_theme(project: &Project, corpus: &mut Corpus) {
    let config = &corpus.config;
    if let Err(why) = crate::project::theme_folder(&project.themes_dir(), &config.theme) {
        let at = config
            .theme_at
            .clone()
            .unwrap_or_else(|| Location::file(crate::model::config::CONFIG_FILE));
        corpus.diagnostics.push(
            Diagnostic::error(Code::ThemeOutsideSite, at, why)
                .width(config.theme.chars().count())
                .hint("copy the theme into themes/<name>/ as a real folder, and write `theme: <name>`"),
        );
    }
}

/// One input file, read and parsed on its own: its text, what it holds and its own
/// diagnostics. `serve` keeps these between builds, so that a save re-reads one file.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// Path relative to the site root.
    pub rel: String,
    /// None when the file could not be read as text (its diagnostics say why).
    pub text: Option<String>,
    /// What the file holds as records.
    pub parsed: Parsed,
    /// The problems of this file alone.
    pub diagnostics: Diagnostics,
}

/// What a file of `content/` or `citations/` turned out to hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A `.yaml` or `.yml` file of `content/`, read as a claim (perhaps with problems).
    Claim(Box<Claim>),
    /// A `.md` file of `content/`, read as a page (perhaps with problems).
    Topic(Box<Topic>),
    /// A source file of `citations/`: the records it holds, possibly none.
    Sources(Vec<SourceRecord>),
    /// Unreadable, empty, unparseable, or not a format evident reads.
    Nothing,
}

impl Corpus {
    /// Adds one file's records, text and diagnostics, in the order files are read.
    pub fn add(&mut self, file: LoadedFile) {
        self.diagnostics.extend(file.diagnostics);
        match file.parsed {
            Parsed::Claim(claim) => self.claims.push(*claim),
            Parsed::Topic(topic) => self.topics.push(*topic),
            Parsed::Sources(records) => self.sources.extend(records),
            Parsed::Nothing => {}
        }
        if let Some(text) = file.text {
            self.texts.insert(file.rel, text);
        }
    }
}

/// Reads one file of `content/`: a claim (`.yaml`, `.yml`) or a topic (`.md`). None for
/// any other file, which is not an input.
pub fn load_content_file(project: &Project, path: &Path, config: &Config) -> Option<LoadedFile> {
    let rel = project.relative(path);
    let extension = extension(path);
    if !matches!(extension.as_str(), "yaml" | "yml" | "md") {
        return None;
    }
    let mut diagnostics = Diagnostics::new();
    let Some(text) = read_text(path, &rel, MAX_CONTENT_BYTES, &mut diagnostics) else {
        return Some(LoadedFile {
            rel,
            text: None,
            parsed: Parsed::Nothing,
            diagnostics,
        });
    };
    let mut parsed = Parsed::Nothing;
    let readable = crate::text::control::blanked(&text);
    if is_blank(&text) {
        diagnostics.push(
            Diagnostic::error(Code::EmptyFile, Location::file(&rel), "file is empty")
                .hint(if extension == "md" {
                    "write front matter and a body, or delete the file (`evident new topic ID` scaffolds one)"
                } else {
                    "write the claim, or delete the file (`evident new claim ID` scaffolds one)"
                }),
        );
    } else {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if extension == "md" {
            let default_slug = if stem == "index" {
                path.parent()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or(stem)
            } else {
                stem
            };
            if let Some(topic) = parse_topic(&readable, &rel, &default_slug, &mut diagnostics) {
                parsed = Parsed::Topic(Box::new(topic));
            }
        } else if let Some(claim) = parse_claim(&readable, &rel, &stem, config, &mut diagnostics) {
            parsed = Parsed::Claim(Box::new(claim));
        }
    }
    Some(LoadedFile {
        rel,
        text: Some(text),
        parsed,
        diagnostics,
    })
}

/// Reads one file of `citations/`: the records of a source format, or a warning about a
/// file that is neither a source format nor a note.
pub fn load_citation_file(project: &Project, path: &Path) -> LoadedFile {
    let rel = project.relative(path);
    let extension = extension(path);
    let mut diagnostics = Diagnostics::new();
    let mut file = LoadedFile {
        rel,
        text: None,
        parsed: Parsed::Nothing,
        diagnostics: Diagnostics::new(),
    };
    if !citations::is_source_file(&extension) {
        // Notes beside the sources are fine; any other file is most likely an export in
        // a format evident does not read, whose records would silently be missing.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if extension != "md" && !name.starts_with("readme") {
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnsupportedFormat,
                    Location::file(&file.rel),
                    format!("`{name}` is not read: evident reads .yaml, .json, .bib, .ris and .nbib files here"),
                )
                .hint("export the records as CSL-JSON, BibTeX, RIS or PubMed (.nbib), or move the file out of citations/"),
            );
        }
        file.diagnostics = diagnostics;
        return file;
    }
    let Some(text) = read_text(path, &file.rel, MAX_SOURCE_BYTES, &mut diagnostics) else {
        file.diagnostics = diagnostics;
        return file;
    };
    if is_blank(&text) {
        diagnostics.push(
            Diagnostic::warning(
                Code::EmptyFile,
                Location::file(&file.rel),
                "source file holds no records",
            )
            .hint("export records into it or delete it"),
        );
    } else {
        let readable = crate::text::control::blanked(&text);
        let records = citations::read_file(&extension, &readable, &file.rel, &mut diagnostics)
            .unwrap_or_default();
        file.parsed = Parsed::Sources(records);
    }
    file.text = Some(text);
    file.diagnostics = diagnostics;
    file
}

/// Files under `dir`, sorted by name for deterministic output; hidden files and folders and
/// editor backups are skipped. Symbolic links are not followed out of the folder.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    walk_inputs(dir).files
}

/// What [`walk_inputs`] found under a folder, each list sorted by path.
#[derive(Debug, Default)]
pub struct Walked {
    /// The regular files.
    pub files: Vec<PathBuf>,
    /// The symbolic links, to files or folders, which are not followed: a link could make a
    /// build read (and `serve` show) anything on the machine.
    pub links: Vec<PathBuf>,
}

/// The files under `dir` as [`walk`] finds them, and the symbolic links it passes by, so
/// that they can be reported rather than silently missing.
pub fn walk_inputs(dir: &Path) -> Walked {
    let mut walked = Walked::default();
    if !dir.is_dir() {
        return walked;
    }
    let entries = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok);
    for entry in entries {
        let kind = entry.file_type();
        if kind.is_file() {
            walked.files.push(entry.into_path());
        } else if kind.is_symlink() && entry.depth() > 0 {
            walked.links.push(entry.into_path());
        }
    }
    walked
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".bak")
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// Reads the file `rel` of the site at `root` (a font named in evident.yaml), refusing one that
/// lies outside the site (through a link) or is larger than `limit` bytes.
fn read_site_file(root: &Path, rel: &str, limit: u64) -> std::io::Result<Vec<u8>> {
    let path = root.join(rel).canonicalize()?;
    if !path.starts_with(root.canonicalize()?) {
        return Err(std::io::Error::other("it lies outside the site's folder"));
    }
    if std::fs::metadata(&path)?.len() > limit {
        return Err(std::io::ErrorKind::FileTooLarge.into());
    }
    std::fs::read(path)
}

/// Reads a file as UTF-8 text, reporting size, encoding and I/O problems as diagnostics.
pub fn read_text(
    path: &Path,
    rel: &str,
    limit: u64,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let unreadable = |e: std::io::Error, diagnostics: &mut Diagnostics| {
        diagnostics.push(
            Diagnostic::error(
                Code::UnreadableFile,
                Location::file(rel),
                format!("cannot read file: {e}"),
            )
            .hint("check the file's permissions"),
        );
    };
    // One open per file, its size from the open file: a second lookup by path was a sixth
    // of the time spent reading 100,000 claims.
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            unreadable(e, diagnostics);
            return None;
        }
    };
    let size = match file.metadata() {
        Ok(meta) => meta.len(),
        Err(e) => {
            unreadable(e, diagnostics);
            return None;
        }
    };
    let too_large = |size: u64, diagnostics: &mut Diagnostics| {
        diagnostics.push(
            Diagnostic::error(
                Code::FileTooLarge,
                Location::file(rel),
                format!("file is {} KiB; the limit for this kind of file is {} KiB", size / 1024, limit / 1024),
            )
            .hint("split it into smaller files, or move data that is not content out of the site's folders"),
        );
    };
    if size > limit {
        too_large(size, diagnostics);
        return None;
    }
    // Never more than the limit, even from a file that grew since its size was read.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    if let Err(e) =
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, limit + 1), &mut bytes)
    {
        unreadable(e, diagnostics);
        return None;
    }
    if bytes.len() as u64 > limit {
        too_large(bytes.len() as u64, diagnostics);
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            crate::text::control::report_written(&text, rel, diagnostics);
            Some(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = crate::text::line_column(&prefix, prefix.len());
            diagnostics.push(
                Diagnostic::error(
                    Code::NotUtf8,
                    Location::new(rel, line, column),
                    format!(
                        "file is not UTF-8 text (invalid byte 0x{:02x})",
                        bytes[valid]
                    ),
                )
                .hint("save the file as UTF-8 (most editors: File → Save with encoding → UTF-8)"),
            );
            None
        }
    }
}
