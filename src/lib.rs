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

pub mod citations;
pub mod config;
pub mod diag;
pub mod diff;
pub mod explain;
pub mod fields;
pub mod figures;
pub mod fingerprint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod project;
pub mod render;
pub mod report;
pub mod resolve;
pub mod review;
pub mod scaffold;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::project::Project;
use crate::render::RenderOptions;
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
    let theme = Theme::load(&project.themes_dir(), &kb.config.theme)?;
    render::render(kb, &theme, options)
}

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub out: Option<PathBuf>,
    pub strict: bool,
    pub dashboard_dir: Option<PathBuf>,
    /// Leave out the search page and its index (`--no-search`).
    pub no_search: bool,
}

/// The outcome of a build: its diagnostics, and what was written when it could be.
#[derive(Debug)]
pub struct Built {
    pub kb: KnowledgeBase,
    /// None when content errors stopped the build (nothing was written).
    pub report: Option<WriteReport>,
    pub dashboard_report: Option<WriteReport>,
    pub pages: usize,
}

/// load → resolve → render → write. Content errors stop the build before anything is
/// written, so the previous output stays as it was.
pub fn build(project: &Project, today: Date, options: &BuildOptions) -> anyhow::Result<Built> {
    let mut kb = check(project, today)?;
    if options.strict {
        kb.diagnostics.promote_warnings();
    }
    if kb.diagnostics.has_errors() {
        return Ok(Built {
            kb,
            report: None,
            dashboard_report: None,
            pages: 0,
        });
    }
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| project.default_output());
    let out = absolute(&project.root, &out);
    let output = render_site(
        project,
        &kb,
        &RenderOptions {
            no_search: options.no_search,
            ..RenderOptions::default()
        },
    )?;
    let dashboard = match &options.dashboard_dir {
        Some(_) => Some(render_site(
            project,
            &kb,
            &RenderOptions {
                dashboard: Some(true),
                dashboard_only: true,
                no_search: true,
            },
        )?),
        None => None,
    };
    let pages = output.files.keys().filter(|f| f.ends_with(".html")).count();
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
    let report = write::write_site(&out, &project.root, &project.inputs(), &output)?;
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
        report: Some(report),
        dashboard_report,
        pages,
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
