//! `evident import`: an export (.bib, .ris, .nbib, CSL-JSON) becomes CSL-YAML files, one per
//! record, each named by the id `import` gives it (see [`identity`]): `pmid<PMID>`, else
//! `doi-<DOI slug>`, else a short author–year–title slug, so one work gets one id whatever the
//! format it came in. Nothing is duplicated or overwritten: a record that is a work the site
//! already holds (same PMID, DOI, or title and year), or that an earlier record of the export
//! is, is reported with both places and not written (`--update` adds its new fields to the
//! site's CSL-YAML file instead); an id or file already taken is a conflict too. The rest is
//! written.

mod csl_yaml;
mod identity;
mod merge;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::load::citations::{self, SourceRecord};
use crate::project::Project;
use crate::text::slugify;

pub use csl_yaml::to_csl_yaml;
pub use identity::{MAX_SLUG_ID, import_id};

use identity::{SameBy, WorkKeys};
use merge::Merged;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files written, in record order.
    pub written: Vec<PathBuf>,
    /// Files of the site that `--update` added fields to, in record order, each once.
    pub updated: Vec<PathBuf>,
    /// Records that `--update` found already held with every field they bring.
    pub unchanged: usize,
    /// Conflicts and duplicates (records not written) and problems reading the export.
    pub diagnostics: Diagnostics,
    /// The export could not be read as a whole (a syntax error): nothing was written.
    pub unreadable: bool,
}

impl ImportReport {
    /// How many records were not written because they duplicate a work already held, or
    /// their id, slug or file was taken (the errors among the diagnostics); 0 when the
    /// export was unreadable, since then no record was tried.
    pub fn conflicts(&self) -> usize {
        if self.unreadable {
            0
        } else {
            self.diagnostics.errors()
        }
    }
}

/// A work already held: a full record of the site, or an earlier record of this export.
struct Held {
    id: String,
    keys: WorkKeys,
    /// Where it is written (the site's file, or the export's record).
    place: Location,
    /// Where it is in the site: the file (absolute) and its path relative to the root.
    file: (PathBuf, String),
    /// Whether `--update` can add fields to it: a CSL-YAML file of the site.
    mergeable: bool,
}

/// Imports `file` (as given, absolute or relative to the current folder: the caller resolves
/// it) into `into` (default: the site's citations/), which must lie inside the site root.
/// With `update`, a record that duplicates a work held in a CSL-YAML file of the site adds
/// its new fields to that file instead of being reported. Errors are what stops the
/// command: an unreadable file, an unknown format, a target outside the site, I/O.
pub fn import(
    project: &Project,
    file: &Path,
    into: Option<&Path>,
    update: bool,
) -> anyhow::Result<ImportReport> {
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(
        extension.as_str(),
        "bib" | "ris" | "nbib" | "json" | "yaml" | "yml"
    ) {
        anyhow::bail!(
            "{}: evident imports .bib (BibTeX/BibLaTeX), .ris, .nbib (PubMed) and .json (CSL-JSON) exports",
            file.display()
        );
    }
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text; save the export as UTF-8",
            file.display()
        )
    })?;
    let target = target_dir(project, into)?;
    let shown = file.display().to_string();

    let mut report = ImportReport::default();
    let records = citations::read_file(&extension, &text, &shown, &mut report.diagnostics)
        .unwrap_or_default();
    if report.diagnostics.has_errors() {
        // Half an export is worse than none: the editor fixes the file and imports again.
        report.unreadable = true;
        return Ok(report);
    }

    let (existing, mut held) = site_sources(project);
    let mut taken: std::collections::BTreeMap<String, (String, Location)> =
        std::collections::BTreeMap::new();
    std::fs::create_dir_all(&target)?;
    for mut record in records {
        let at = Location::new(&shown, record.pos.line, record.pos.column);
        // An annotation (id and evidence fields only) keeps its id: it names the record it
        // annotates, and has no title or identifier to be matched by.
        let keys = WorkKeys::of(&record.csl);
        if !record.annotation_only {
            let id = import_id(&record.csl);
            record.csl.insert("id".into(), id.clone().into());
            record.id = id;
            if let Some((index, same)) = held
                .iter()
                .enumerate()
                .find_map(|(i, h)| keys.same_work(&h.keys).map(|same| (i, same)))
            {
                // The work is now known by this record's identifiers too, so a later record
                // carrying only those is caught as well.
                held[index].keys.learn(&keys);
                match duplicate(&held[index], &same, &record, &at, &shown, update) {
                    // Each file is listed once: a file written by this import and then
                    // merged into by a later record of it is a written one.
                    Duplicate::Merged(path)
                        if report.updated.contains(&path) || report.written.contains(&path) => {}
                    Duplicate::Merged(path) => report.updated.push(path),
                    Duplicate::NothingNew => report.unchanged += 1,
                    Duplicate::Reported(diagnostic) => report.diagnostics.push(diagnostic),
                }
                continue;
            }
        }
        let slug = slugify(&record.id);
        let file_name = format!("{slug}.yaml");
        let path = target.join(&file_name);
        let clash = existing
            .iter()
            .find(|(id, _)| *id == record.id || slugify(id) == slug)
            .map(|(id, place)| (format!("`{id}` is already defined here"), place.clone()))
            .or_else(|| {
                taken.get(&slug).map(|(id, place)| {
                    (
                        format!("`{id}` from this export is written to the same file"),
                        place.clone(),
                    )
                })
            });
        if let Some((why, place)) = clash {
            report.diagnostics.push(
                Diagnostic::error(Code::DuplicateId, at, format!("source `{}` not imported: its id is taken", record.id))
                    .hint("no PMID, DOI or title and year says they are one work, and the site's record is kept: if it is this work, add the record's fields to it by hand; if not, write this record by hand under another id")
                    .related(place, why),
            );
            continue;
        }
        let yaml = to_csl_yaml(&record, &shown);
        // Never overwrites, even a file created since the check above.
        match super::file::create_new(&path, yaml.as_bytes()) {
            Ok(()) => {
                taken.insert(slug, (record.id.clone(), at.clone()));
                if !record.annotation_only {
                    let rel = project.relative(&path);
                    held.push(Held {
                        id: record.id.clone(),
                        keys,
                        place: at,
                        file: (path.clone(), rel),
                        mergeable: true,
                    });
                }
                report.written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                report.diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        at,
                        format!("source `{}` not imported: {} already exists", record.id, project.relative(&path)),
                    )
                    .hint("evident never overwrites a file; move the existing file away and import again"),
                );
            }
            Err(e) => return Err(anyhow::anyhow!("cannot write {}: {e}", path.display())),
        }
    }
    Ok(report)
}

/// What became of a record that is a work already held.
enum Duplicate {
    /// `--update` added fields to this file of the site.
    Merged(PathBuf),
    /// `--update` found nothing the file lacks.
    NothingNew,
    /// Not written, and why (`duplicate-import`).
    Reported(Diagnostic),
}

/// A record that is `known`: merged into the site's file with `update` when that file is
/// CSL-YAML, else reported at `at` with both places.
fn duplicate(
    known: &Held,
    same: &SameBy,
    record: &SourceRecord,
    at: &Location,
    export: &str,
    update: bool,
) -> Duplicate {
    let (path, rel) = &known.file;
    let earlier_in_export = known.place.path == export;
    let where_held = if earlier_in_export {
        format!("{} (written to {rel})", known.place)
    } else {
        known.place.to_string()
    };
    let message = format!(
        "source `{}` not imported: the same work ({}) is `{}` at {where_held}",
        record.id,
        same.describe(),
        known.id,
    );
    let note = if earlier_in_export {
        "the same work, earlier in this export"
    } else {
        "the site's record of this work"
    };
    let diagnostic = Diagnostic::error(Code::DuplicateImport, at.clone(), message)
        .related(known.place.clone(), note);
    let hint = if update && known.mergeable {
        let from = export.rsplit(['/', '\\']).next().unwrap_or(export);
        match merge::merge_into(path, rel, &known.id, record, from) {
            Ok(Merged::Added(_)) => return Duplicate::Merged(path.clone()),
            Ok(Merged::NothingNew) => return Duplicate::NothingNew,
            Err(why) => {
                format!("{why}: add the fields there by hand, or delete the record from the export")
            }
        }
    } else if update {
        format!(
            "`--update` adds fields only to CSL-YAML files, and {rel} is not one: add the fields there by hand, or delete the record from the export"
        )
    } else {
        format!(
            "run `evident import --update` to add the record's new fields to {rel}, or delete the record from the export"
        )
    };
    Duplicate::Reported(diagnostic.hint(hint))
}

/// The folder to write into: `into` or citations/, which must be citations/ or a folder
/// inside it (checked on the real paths, so `..` and symbolic links cannot lead out), where
/// citations/ itself is no symbolic link.
fn target_dir(project: &Project, into: Option<&Path>) -> anyhow::Result<PathBuf> {
    // citations/ as a link would send every file, and every merge, elsewhere.
    crate::edit::file::refuse_links(&project.root, &project.citations_dir())?;
    let target = into.map_or_else(|| project.citations_dir(), Path::to_path_buf);
    let root = project
        .root
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("site folder {}: {e}", project.root.display()))?;
    // The nearest existing ancestor decides where the folder really is.
    let mut existing = target.as_path();
    let mut missing: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut real = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in missing.iter().rev() {
        if name == ".." || name == "." {
            anyhow::bail!("{}: give the folder without `.` or `..`", target.display());
        }
        real.push(name);
    }
    if !real.starts_with(&root) {
        anyhow::bail!(
            "{} is outside the site ({}); import writes only inside the site",
            target.display(),
            root.display()
        );
    }
    // The site reads its sources from citations/ only: files written anywhere else would
    // never be read (and in content/ they would be read as claims).
    let citations = project
        .citations_dir()
        .strip_prefix(&project.root)
        .map(|inside| root.join(inside))
        .unwrap_or_else(|_| project.citations_dir());
    if !real.starts_with(&citations) {
        anyhow::bail!(
            "{} is not inside citations/; sources belong in citations/ (or a folder inside it), where the site reads them",
            target.display()
        );
    }
    Ok(real)
}

/// The site's sources: the ids of its full records with where each is defined, and each as a
/// work held. An annotation (id and evidence fields only) does not take its id: it waits for
/// exactly this record.
fn site_sources(project: &Project) -> (Vec<(String, Location)>, Vec<Held>) {
    let mut ids = Vec::new();
    let mut held = Vec::new();
    for path in crate::load::walk(&project.citations_dir()) {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let rel = project.relative(&path);
        // The site's own problems are `check`'s to report, not import's.
        let mut ignored = Diagnostics::new();
        for record in
            citations::read_file(&extension, &text, &rel, &mut ignored).unwrap_or_default()
        {
            if record.annotation_only {
                continue;
            }
            let place = Location::new(&rel, record.pos.line, record.pos.column);
            ids.push((record.id.clone(), place.clone()));
            held.push(Held {
                id: record.id.clone(),
                keys: WorkKeys::of(&record.csl),
                place,
                file: (path.clone(), rel.clone()),
                mergeable: matches!(extension.as_str(), "yaml" | "yml"),
            });
        }
    }
    (ids, held)
}
