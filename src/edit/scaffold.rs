//! New sites and new files: `init` and `new`. Nothing here ever overwrites a file.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::model::is_valid_id;

include!(concat!(env!("OUT_DIR"), "/example_site.rs"));

/// A minimal site that builds: configuration, one topic, one claim, one source.
pub const SKELETON: &[(&str, &str)] = &[
    (
        "evident.yaml",
        "# Site configuration; every key is optional. Each key is described in evident's README\n# (section \"Site configuration: evident.yaml\") and in `evident schema` (evident.schema.json,\n# for completion in your editor).\ntitle: My knowledge base\nbase_url: https://example.org/\nlanguage: en\naudiences:\n  - {id: patient, label: Patient or caregiver}\n  - {id: clinician, label: Healthcare professional}\n# A role decides which review actions a reviewer may take (review.roles; by default an\n# author may submit, a clinical reviewer also start, approve and request changes, an editor\n# everything). A reviewer without a role may do everything.\nreviewers:\n  - {id: author, name: The Author, role: author}\n  - {id: reviewer, name: The Reviewer, role: clinical reviewer}\n  - {id: editor, name: The Editor, role: editor}\ndisclaimer: Educational purpose only. Not a substitute for professional advice.\n",
    ),
    (
        "content/example/index.md",
        "---\ntitle: Example topic\nquestion: What does an evident topic page look like?\nsummary: A topic page embeds claims; each shows its sources, grade and review status.\nreview:\n  status: draft\n---\n\nProse can cite a source directly [@example-source].\n\n## Findings\n\n- [[example-claim]]\n",
    ),
    (
        "content/claims/example-claim.yaml",
        "statement: Replace this with the claim. Every number must appear in the quote below.\nkind: finding\ncertainty: low\ncertainty_reason: Say why, in the terms of the evidence scale.\nsources:\n  - id: example-source\n    locator: abstract\n    quote: \"Copy the sentence of the source that supports the claim here.\"\nreview:\n  status: draft\n",
    ),
    (
        "citations/sources.yaml",
        "- id: example-source\n  type: article-journal\n  title: Replace with the article's title\n  author: [{family: Surname, given: Given names}]\n  container-title: Journal name\n  issued: {date-parts: [[2024]]}\n  design: cohort\n  sample_size: 100\n",
    ),
];

/// The `.gitignore` of a new site: the built site, and `.evident/` (the cache of `check
/// --external`, the one thing `check` writes) are never committed.
pub const GITIGNORE: &str = "/public\n/.evident\n";

/// Writes a new site into `dir` (created if needed; must hold no file the site would write).
pub fn init(dir: &Path, example: bool) -> anyhow::Result<Vec<PathBuf>> {
    let files = if example { EXAMPLE_SITE } else { SKELETON };
    let clashes: Vec<String> = files
        .iter()
        .filter(|(p, _)| dir.join(p).exists())
        .map(|(p, _)| p.to_string())
        .collect();
    if !clashes.is_empty() {
        bail!(
            "{} already holds {}; choose an empty folder",
            dir.display(),
            clashes.join(", ")
        );
    }
    // A folder that has a `.gitignore` already (a repository's) keeps its own.
    let ignore = dir.join(".gitignore");
    let write_ignore = std::fs::symlink_metadata(&ignore).is_err();
    // Every path is checked before the first file is written, so a refusal writes nothing.
    for path in files
        .iter()
        .map(|(p, _)| dir.join(p))
        .chain(write_ignore.then(|| ignore.clone()))
    {
        super::file::refuse_links(dir, &path)?;
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        create_in_folder(dir, &path, text)?;
        written.push(path);
    }
    if write_ignore {
        create_in_folder(dir, &ignore, GITIGNORE)?;
        written.push(ignore);
    }
    Ok(written)
}

/// What `new` can scaffold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `content/claims/<id>.yaml`, a draft claim to fill in.
    Claim,
    /// `content/<id>/index.md`, a draft topic page to fill in.
    Topic,
    /// `citations/<slug of id>.yaml`, one CSL-YAML record to fill in.
    Source,
}

/// Scaffolds one file; refuses an existing file or an id that would make a bad path.
pub fn new_file(root: &Path, kind: NewKind, id: &str) -> anyhow::Result<PathBuf> {
    let valid = match kind {
        NewKind::Source => {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
                && !id.starts_with('.')
        }
        _ => is_valid_id(id),
    };
    if !valid {
        bail!(
            "`{id}` is not a valid {} id: use lowercase letters, digits and hyphens (e.g. `{}`)",
            name(kind),
            crate::text::slugify(id)
        );
    }
    match kind {
        NewKind::Topic => refuse_taken_slug(root, id)?,
        NewKind::Claim => refuse_taken_claim_id(root, id)?,
        NewKind::Source => {}
    }
    let (path, text) = match kind {
        NewKind::Claim => (
            root.join("content/claims").join(format!("{id}.yaml")),
            "# One claim. Every number in the wording must appear in a quote of a cited source.\nstatement: \nkind: finding   # finding | recommendation | definition | practice-point\ncertainty:      # high | moderate | low | very-low | not-applicable\ncertainty_reason: \nsources:\n  - id: \n    locator: abstract\n    quote: \"\"\nreview:\n  status: draft\n".to_string(),
        ),
        NewKind::Topic => (
            root.join("content").join(id).join("index.md"),
            "---\ntitle: \nquestion: \nsummary: \nreview:\n  status: draft\n---\n\nIntroductory prose; cite a source with [@source-id].\n\n## Section\n\n- [[claim-id]]\n".to_string(),
        ),
        NewKind::Source => (
            root.join("citations").join(format!("{}.yaml", crate::text::slugify(id))),
            format!("# CSL-YAML: the fields Zotero and Pandoc use, plus evident's evidence fields.\n- id: {id}\n  type: article-journal\n  title: \n  author:\n    - {{family: , given: }}\n  container-title: \n  issued: {{date-parts: [[]]}}\n  DOI: \n  PMID: \n  design:        # rct, cohort, case-series, systematic-review, guideline, …\n  sample_size: \n"),
        ),
    };
    create_in_folder(root, &path, &text)?;
    Ok(path)
}

/// A new topic `content/<id>/index.md` has the slug `id`: refused when evident uses it for
/// its own pages or a page of the site already has it (by `slug:` or by its file name).
fn refuse_taken_slug(root: &Path, id: &str) -> anyhow::Result<()> {
    if let Some(why) = crate::model::reserved_slug(id) {
        bail!("`{id}` is a reserved slug: {why}; choose another topic id");
    }
    let project = crate::project::Project::new(root);
    let config = crate::model::config::Config::default();
    for path in crate::load::walk(&project.content_dir()) {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Some(file) = crate::load::load_content_file(&project, &path, &config) else {
            continue;
        };
        if let crate::load::Parsed::Topic(topic) = file.parsed
            && topic.slug.value == id
        {
            bail!(
                "a page already has the slug `{id}`: {}; choose another topic id",
                file.rel
            );
        }
    }
    Ok(())
}

/// A claim's id is its file stem, in any folder of `content/`: a second file of that name
/// elsewhere would be a duplicate id.
fn refuse_taken_claim_id(root: &Path, id: &str) -> anyhow::Result<()> {
    let project = crate::project::Project::new(root);
    let taken = crate::load::walk(&project.content_dir())
        .into_iter()
        .find(|path| {
            path.file_stem().is_some_and(|s| s == id)
                && path.extension().is_some_and(|e| {
                    // As the loader reads them: `X.YAML` is a claim too.
                    e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")
                })
        });
    if let Some(path) = taken {
        bail!(
            "a claim with the id `{id}` already exists: {}; choose another claim id",
            project.relative(&path)
        );
    }
    Ok(())
}

fn name(kind: NewKind) -> &'static str {
    match kind {
        NewKind::Claim => "claim",
        NewKind::Topic => "topic",
        NewKind::Source => "source",
    }
}

/// Creates a file of the site at `root` that must not exist yet (atomically refused if it
/// does), and its folder; refused when a symbolic link lies on the way.
fn create_in_folder(root: &Path, path: &Path, text: &str) -> anyhow::Result<()> {
    match super::file::create_new_in_site(root, path, text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; evident never overwrites a file",
            path.display()
        ),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}
