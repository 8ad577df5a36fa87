//! evident: an evidence-graded knowledge base and static site generator.
//!
//! Editors keep claims (small YAML files) linked to sources; topic pages embed the claims.
//! A build runs four stages, each a module and a type:
//!
//! ```text
//! load     files            → Corpus          (parse each file, report its problems)
//! resolve  Corpus           → KnowledgeBase   (link ids both ways, review state, numbering)
//! render   KnowledgeBase    → Output          (every page in memory, through the theme)
//! write    Output           → disk            (staged, manifest-owned, all or nothing)
//! ```

// The pipeline, in its order:
pub mod load;
pub mod render;
pub mod resolve;
pub mod write;
// What `serve` and the editing commands add around it:
pub mod edit;
pub mod serve;
// Leaves the stages share:
pub mod cite;
pub mod diag;
pub mod model;
pub mod project;
pub mod text;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::project::Project;
use crate::render::RenderOptions;
use crate::render::handout::{self, HandoutTheme};
use crate::render::theme::Theme;
use crate::resolve::KnowledgeBase;
use crate::write::{Output, WriteReport};

/// Loads and resolves a site: everything `check` needs, nothing written.
pub fn check(project: &Project, today: Date) -> anyhow::Result<KnowledgeBase> {
    let corpus = load::load(project)?;
    Ok(resolve::resolve(corpus, today))
}

/// Renders a resolved site with its theme.
pub fn render_site(
    project: &Project,
    kb: &KnowledgeBase,
    options: &RenderOptions,
) -> anyhow::Result<Output> {
    render_site_into(project, kb, options, Output::new())
}

/// [`render_site`] into a given output (a streaming one writes pages as they are rendered).
pub fn render_site_into(
    project: &Project,
    kb: &KnowledgeBase,
    options: &RenderOptions,
    output: Output,
) -> anyhow::Result<Output> {
    let theme = Theme::load(&project.themes_dir(), &kb.config.theme)?;
    let mut output = render::render_into(kb, &theme, options, output)?;
    if options.handouts.html && !options.dashboard_only {
        let handout_theme = HandoutTheme::load(&project.themes_dir(), &kb.config.theme)?;
        handout::add_to_output(kb, &handout_theme, &mut output, options.handouts.pdf)?;
    }
    Ok(output)
}

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub out: Option<PathBuf>,
    pub strict: bool,
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
    Load,
    Resolve,
    Render,
    Write,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Load, Stage::Resolve, Stage::Render, Stage::Write];

    /// 0-based position among [`Stage::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

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
    fn stage(&self, stage: Stage);
}

/// The outcome of a build: its diagnostics, and what was written when it could be.
#[derive(Debug)]
pub struct Built {
    pub kb: KnowledgeBase,
    /// None when content errors stopped the build (nothing was written).
    pub report: Option<WriteReport>,
    pub dashboard_report: Option<WriteReport>,
    pub pages: usize,
    /// The handouts written, per format (topic slugs).
    pub handouts: handout::Written,
}

/// load → resolve → render → write. Content errors stop the build before anything is
/// written, so the previous output stays as it was.
pub fn build(project: &Project, today: Date, options: &BuildOptions) -> anyhow::Result<Built> {
    let report = |stage| {
        if let Some(progress) = &options.progress {
            progress.stage(stage);
        }
    };
    report(Stage::Load);
    let corpus = load::load(project)?;
    report(Stage::Resolve);
    let mut kb = resolve::resolve(corpus, today);
    if options.strict {
        kb.diagnostics.promote_warnings();
    }
    if kb.diagnostics.has_errors() {
        return Ok(Built {
            kb,
            report: None,
            dashboard_report: None,
            pages: 0,
            handouts: handout::Written::default(),
        });
    }
    // From here on a file's text is read only to show the lines of its diagnostics; the
    // others would be held through rendering (about 300 MB at 100,000 claims).
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
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| project.default_output());
    let out = absolute(&project.root, &out);
    // Refused before anything is written, so a bad `--dashboard` leaves the site as it was.
    let dashboard_dir = options
        .dashboard_dir
        .as_deref()
        .map(|dir| absolute(&project.root, dir));
    if let Some(dir) = &dashboard_dir
        && (dir.starts_with(&out) || out.starts_with(dir))
    {
        anyhow::bail!(
            "the dashboard folder {} must be apart from the site's output folder {}",
            dir.display(),
            out.display()
        );
    }
    report(Stage::Render);
    let handouts = render::Handouts {
        html: true,
        pdf: !options.no_pdf && handout::PDF_AVAILABLE,
    };
    // Pages are written as they are rendered (a 10,000-claim site is 200 MB of HTML); they
    // are also kept when the search indexer must read them afterwards. Nothing is put in
    // place until the sink finishes, and a failed render leaves the folder as it was.
    let sink = Arc::new(write::Sink::open(&out, &project.root, &project.inputs())?);
    let output = render_site_into(
        project,
        &kb,
        &RenderOptions {
            no_search: options.no_search,
            handouts,
            ..RenderOptions::default()
        },
        Output::streaming(sink.clone(), !options.no_search),
    )?;
    let pages = output.paths().filter(|f| f.ends_with(".html")).count();
    drop(output);
    let slugs: Vec<String> = kb
        .topic_pages()
        .map(|t| t.topic.slug.value.clone())
        .collect();
    let handouts = handout::Written {
        pdf: if handouts.pdf {
            slugs.clone()
        } else {
            Vec::new()
        },
        html: slugs,
    };
    let dashboard = match &options.dashboard_dir {
        Some(_) => Some(render_site(
            project,
            &kb,
            &RenderOptions {
                dashboard: Some(true),
                dashboard_only: true,
                no_search: true,
                ..RenderOptions::default()
            },
        )?),
        None => None,
    };
    report(Stage::Write);
    let sink = Arc::into_inner(sink)
        .ok_or_else(|| anyhow::anyhow!("the site's output was still in use after rendering"))?;
    let written = sink.finish()?;
    let dashboard_report = match (&dashboard_dir, dashboard) {
        (Some(dir), Some(dashboard)) => Some(write::write_site(
            dir,
            &project.root,
            &project.inputs(),
            &dashboard,
        )?),
        _ => None,
    };
    Ok(Built {
        kb,
        report: Some(written),
        dashboard_report,
        pages,
        handouts,
    })
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
