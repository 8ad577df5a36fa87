//! evident: an evidence-graded knowledge base and static site generator.
//!
//! Editors keep claims (small YAML files) linked to sources; topic pages embed the claims.
//! A build runs four stages, each a module and a type:
//!
//! ```text
//! load     files            → Corpus          (parse each file, report its problems)
//! resolve  Corpus           → KnowledgeBase   (link ids both ways, review state, numbering)
//! render   KnowledgeBase    → PageSink        (every file, through the theme, as it is made)
//! write    PageSink         → disk            (staged, manifest-owned, all or nothing)
//! ```

#![warn(missing_docs)]

// The pipeline, in its order (one module a group, so rustfmt keeps the order):
// 1. files → Corpus
pub mod load;

// 2. Corpus → KnowledgeBase
pub mod resolve;

// 3. KnowledgeBase → files, into a PageSink
pub mod render;

// 4. the files → the output folder, all or nothing
pub mod write;

// Around the pipeline: editing the user's files, and the live preview.
pub mod edit;
pub mod serve;

// `check --external`: the site's external URLs asked over the network (never in a build).
pub mod external;

// Leaves the stages share; none of them knows a stage.
pub mod cite;
pub mod diag;
pub mod model;
pub mod project;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::project::Project;
use crate::render::sink::CountingPages;
use crate::render::{Collected, Face, Handouts, RenderOptions, Search, Themes};
use crate::resolve::KnowledgeBase;
use crate::write::WriteReport;

/// Loads and resolves a site: everything `check` needs, nothing written. Resolved for the
/// editors' preview (the diagnostics are the same on both faces).
pub fn check(project: &Project, today: Date) -> anyhow::Result<KnowledgeBase> {
    check_face(project, today, Face::Preview)
}

/// Loads and resolves a site for one of its faces. The public face under `publish:
/// approved` shows each claim and topic in its approved version ([`resolve::public`]), with
/// the problems of the approved versions kept in `reviewed/` added to the site's own.
pub fn check_face(project: &Project, today: Date, face: Face) -> anyhow::Result<KnowledgeBase> {
    let corpus = load::load(project)?;
    Ok(resolve_face(project, corpus, today, face))
}

/// [`check_face`] for the public face: what `evident build` publishes and reports.
pub fn public(project: &Project, today: Date) -> anyhow::Result<KnowledgeBase> {
    check_face(project, today, Face::Public)
}

fn resolve_face(project: &Project, corpus: load::Corpus, today: Date, face: Face) -> KnowledgeBase {
    let (kb, mut resolution) = resolve::Resolution::new(corpus, today, face);
    if !face.is_public() || kb.config.review.publish != model::config::Publish::Approved {
        return kb;
    }
    let reviewed = load::reviewed::reviewed(project, &kb.config);
    resolve::public(kb, &mut resolution, reviewed)
}

/// Loads and resolves a site, keeping the [`resolve::Resolution`] beside the knowledge base,
/// from which one edited item can be resolved again (the review gate does).
pub fn check_resolution(
    project: &Project,
    today: Date,
) -> anyhow::Result<(KnowledgeBase, resolve::Resolution)> {
    let corpus = load::load(project)?;
    Ok(resolve::Resolution::new(corpus, today, Face::Preview))
}

/// Renders a resolved site in memory with its themes, search index included: every output
/// path with its bytes, as a build would write them.
pub fn render_site(
    project: &Project,
    kb: &KnowledgeBase,
    options: &RenderOptions,
) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let themes = Themes::load(&project.themes_dir(), &kb.config.theme)?;
    let files = Collected::new();
    render::site_with_index(kb, &themes, options, &files)?;
    Ok(files.into_files())
}

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The output folder (`--out`); when None, the project's default for the face
    /// (`public/`, or `preview/` for the preview). Relative paths are taken from the site's
    /// root.
    pub out: Option<PathBuf>,
    /// The public site (the default) or the editors' preview (`--preview`).
    pub face: Face,
    /// Warnings count as errors (`--strict`): the build stops before writing anything.
    pub strict: bool,
    /// A folder of its own for the editor dashboard (`--dashboard DIR`), apart from the site.
    pub dashboard_dir: Option<PathBuf>,
    /// Skip PDF handouts (`--no-pdf`); HTML handouts are always written.
    pub no_pdf: bool,
    /// Leave out the search page and its index (`--no-search`).
    pub no_search: bool,
    /// Told as each stage starts; the library prints nothing itself.
    pub progress: Option<Arc<dyn Progress>>,
}

/// The stages of a build, in order, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing every file.
    Load,
    /// Linking claims, topics and sources.
    Resolve,
    /// Rendering every page (and writing it to the staging folder as it is made).
    Render,
    /// Putting the staged site in place.
    Write,
}

impl Stage {
    /// Every stage, in the order a build runs them.
    pub const ALL: [Stage; 4] = [Stage::Load, Stage::Resolve, Stage::Render, Stage::Write];

    /// 0-based position among [`Stage::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// What the stage does, as a progress bar shows it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "reading files",
            Stage::Resolve => "linking claims and sources",
            Stage::Render => "rendering and writing pages",
            Stage::Write => "putting the site in place",
        }
    }
}

/// Receives a build's progress (the binary draws a bar with it). Called from the building
/// thread; a stage stops when the next starts or the build returns.
pub trait Progress: std::fmt::Debug + Send + Sync {
    /// `stage` has started.
    fn stage(&self, stage: Stage);
}

/// The outcome of a build: its diagnostics, and what was written when it could be.
#[derive(Debug)]
pub struct Built {
    /// The resolved site, with every diagnostic of the build.
    pub kb: KnowledgeBase,
    /// None when content errors stopped the build (nothing was written).
    pub report: Option<WriteReport>,
    /// What was written into the dashboard folder, when one was asked for.
    pub dashboard_report: Option<WriteReport>,
    /// The HTML pages of the site (handouts included).
    pub pages: usize,
    /// The handouts written, per format (topic slugs), as render put them out.
    pub handouts: render::Written,
}

/// load → resolve → render → write. Content errors stop the build before anything is
/// written, so the previous output stays as it was.
pub fn build(project: &Project, today: Date, options: &BuildOptions) -> anyhow::Result<Built> {
    let stage = |stage| {
        if let Some(progress) = &options.progress {
            progress.stage(stage);
        }
    };
    let folders = Folders::of(project, options)?;
    // A build killed part way is finished (or its staging removed) first, even when this
    // build stops at content errors: the folder then holds one whole site, never a mix.
    for dir in std::iter::once(&folders.site).chain(&folders.dashboard) {
        write::recover(dir, &project.root, &project.inputs())?;
    }
    stage(Stage::Load);
    let corpus = load::load(project)?;
    stage(Stage::Resolve);
    let mut kb = resolve_face(project, corpus, today, options.face);
    if options.strict {
        kb.diagnostics.promote_warnings();
    }
    if kb.diagnostics.has_errors() {
        return Ok(Built::stopped(kb));
    }
    let themes = Themes::load(&project.themes_dir(), &kb.config.theme)?;
    if options.render_options().handouts.with_pdf() {
        // Characters of the PDF handouts that no font has, found before anything is laid out
        // and reported at the files that write them (whose texts are still held here).
        let mut missing = render::handout::site_glyph_warnings(&kb, &themes.handout);
        if options.strict {
            missing.promote_warnings();
        }
        let stop = missing.has_errors();
        kb.diagnostics.extend(missing);
        if stop {
            return Ok(Built::stopped(kb));
        }
    }
    keep_texts_shown(&mut kb);
    stage(Stage::Render);
    // Pages go to disk as they are rendered (a 10,000-claim site is 200 MB of HTML), but
    // nothing is put in place until the sink finishes: a failed render changes nothing.
    let sink = write::Sink::open(&folders.site, &project.root, &project.inputs())?;
    // The dashboard's folder is checked as the site's is, before either changes.
    let dashboard_sink = folders
        .dashboard
        .as_deref()
        .map(|dir| write::Sink::open(dir, &project.root, &project.inputs()))
        .transpose()?;
    let counted = CountingPages::new(&sink);
    let rendered = render::site_with_index(&kb, &themes, &options.render_options(), &counted)?;
    let pages = counted.pages();
    if let Some(dashboard_sink) = &dashboard_sink {
        for (path, bytes) in dashboard_files(&kb, &themes)? {
            dashboard_sink.accept(&path, &bytes);
        }
    }
    stage(Stage::Write);
    // Both folders pass every check before either changes: a refused dashboard folder leaves
    // the site as it was.
    let site = sink.prepare()?;
    let dashboard = dashboard_sink.map(write::Sink::prepare).transpose()?;
    let report = site.commit()?;
    let dashboard_report = dashboard.map(write::Prepared::commit).transpose()?;
    Ok(Built {
        kb,
        report: Some(report),
        dashboard_report,
        pages,
        handouts: rendered.handouts,
    })
}

impl BuildOptions {
    /// What the site's render builds: the dashboard as configured, PDFs when asked for and
    /// available.
    fn render_options(&self) -> RenderOptions {
        RenderOptions {
            face: self.face,
            search: if self.no_search {
                Search::Off
            } else {
                Search::On
            },
            handouts: Handouts::for_build(self.no_pdf),
        }
    }
}

impl Built {
    /// A build that content errors stopped before anything was written.
    fn stopped(kb: KnowledgeBase) -> Built {
        Built {
            kb,
            report: None,
            dashboard_report: None,
            pages: 0,
            handouts: render::Written::default(),
        }
    }
}

/// The dashboard folder's files (`--dashboard DIR`): a page and the theme's static files,
/// held until the site is in place.
fn dashboard_files(
    kb: &KnowledgeBase,
    themes: &Themes,
) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let files = Collected::new();
    render::dashboard_apart(kb, &themes.site, &files)?;
    Ok(files.into_files())
}

/// Drops the texts of files no diagnostic shows: from here on a file's text is read only to
/// show the lines of its diagnostics, and the others would be held through rendering (about
/// 300 MB at 100,000 claims).
fn keep_texts_shown(kb: &mut KnowledgeBase) {
    let shown: BTreeSet<&str> = kb
        .diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(&d.location)
                .chain(d.related.iter().map(|r| &r.location))
                .map(|l| l.path.as_str())
        })
        .collect();
    kb.texts.retain(|path, _| shown.contains(path.as_str()));
}

/// Where a build writes: the site's output folder and, when asked, the dashboard's.
struct Folders {
    site: PathBuf,
    dashboard: Option<PathBuf>,
}

impl Folders {
    /// Refuses a dashboard folder nested with the output folder, before anything is written,
    /// so that a bad `--dashboard` leaves the site as it was.
    fn of(project: &Project, options: &BuildOptions) -> anyhow::Result<Folders> {
        let site = match &options.out {
            Some(out) => absolute(&project.root, out),
            None if options.face.is_public() => project.default_output(),
            None => project.default_preview_output(),
        };
        if !options.face.is_public() && site == project.default_output() {
            anyhow::bail!(
                "the preview is never written into {}, the public site's folder: \
                 drop --out (the preview goes into ./preview) or choose another folder",
                site.display()
            );
        }
        let dashboard = options
            .dashboard_dir
            .as_deref()
            .map(|dir| absolute(&project.root, dir));
        if let Some(dir) = &dashboard
            && (dir.starts_with(&site) || site.starts_with(dir))
        {
            anyhow::bail!(
                "the dashboard folder {} must be apart from the site's output folder {}",
                dir.display(),
                site.display()
            );
        }
        Ok(Folders { site, dashboard })
    }
}

fn absolute(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

/// Diagnostics sorted for printing, with `--strict` applied.
pub fn finish_diagnostics(mut diagnostics: Diagnostics, strict: bool) -> Vec<diag::Diagnostic> {
    if strict {
        diagnostics.promote_warnings();
    }
    diagnostics.sorted()
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<Stage>>);

    impl Progress for Recorder {
        fn stage(&self, stage: Stage) {
            self.0.lock().unwrap().push(stage);
        }
    }

    #[test]
    fn build_reports_its_stages_in_order() {
        let out = tempfile::tempdir().unwrap();
        let recorder = Arc::new(Recorder::default());
        let options = BuildOptions {
            out: Some(out.path().join("public")),
            progress: Some(recorder.clone()),
            ..BuildOptions::default()
        };
        let project = Project::new(env!("CARGO_MANIFEST_DIR"));
        let built = build(&project, "2026-11-29".parse().unwrap(), &options).unwrap();
        assert!(built.report.is_some());
        assert_eq!(*recorder.0.lock().unwrap(), Stage::ALL);
    }
}
