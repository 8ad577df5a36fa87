//! `evident import`: an export (.bib, .ris, .nbib, CSL-JSON) becomes CSL-YAML files, one per
//! record, named by the id's slug. Nothing is overwritten: an id already defined in the site,
//! or a file already there, is a conflict reported with both places, and the rest is written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::project::Project;
use crate::text::slugify;
use crate::text::yaml;

use crate::load::citations::{self, EVIDENCE_FIELDS, SourceRecord};

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files written, in record order.
    pub written: Vec<PathBuf>,
    /// Conflicts (records not written) and problems reading the export.
    pub diagnostics: Diagnostics,
    /// The export could not be read as a whole (a syntax error): nothing was written.
    pub unreadable: bool,
}

impl ImportReport {
    /// How many records were not written because their id, slug or file was taken (the
    /// errors among the diagnostics); 0 when the export was unreadable, since then no
    /// record was tried.
    pub fn conflicts(&self) -> usize {
        if self.unreadable {
            0
        } else {
            self.diagnostics.errors()
        }
    }
}

/// Imports `file` (as given, absolute or relative to the current folder: the caller resolves
/// it) into `into` (default: the site's citations/), which must lie inside the site root.
/// Errors are what stops the command: an unreadable file, an unknown format, a target
/// outside the site, I/O.
pub fn import(project: &Project, file: &Path, into: Option<&Path>) -> anyhow::Result<ImportReport> {
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

    let existing = site_ids(project);
    let mut taken: std::collections::BTreeMap<String, (String, Location)> =
        std::collections::BTreeMap::new();
    std::fs::create_dir_all(&target)?;
    for record in records {
        let slug = slugify(&record.id);
        let at = Location::new(&shown, record.pos.line, record.pos.column);
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
                    .hint("the site's record is kept; to replace it, delete it first and import again, or give the exported record another id")
                    .related(place, why),
            );
            continue;
        }
        let yaml = to_csl_yaml(&record, &shown);
        // Never overwrites, even a file created since the check above.
        match super::file::create_new(&path, yaml.as_bytes()) {
            Ok(()) => {
                taken.insert(slug, (record.id.clone(), at));
                report.written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                report.diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        at,
                        format!("source `{}` not imported: {} already exists", record.id, project.relative(&path)),
                    )
                    .hint("evident never overwrites a file; move the existing file away or rename the record's id"),
                );
            }
            Err(e) => return Err(anyhow::anyhow!("cannot write {}: {e}", path.display())),
        }
    }
    Ok(report)
}

/// The folder to write into: `into` or citations/, which must be inside the site root
/// (checked on the real paths, so `..` and symbolic links cannot lead out).
fn target_dir(project: &Project, into: Option<&Path>) -> anyhow::Result<PathBuf> {
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
    Ok(real)
}

/// Ids of full records in the site's citations/, with where each is defined. An annotation
/// (id and evidence fields only) does not take its id: it waits for exactly this record.
fn site_ids(project: &Project) -> Vec<(String, Location)> {
    let mut out = Vec::new();
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
            out.push((
                record.id.clone(),
                Location::new(&rel, record.pos.line, record.pos.column),
            ));
        }
    }
    out
}

/// Keys first in this order, as an editor reads a reference; the rest alphabetically.
const KEY_ORDER: &[&str] = &[
    "id",
    "type",
    "title",
    "author",
    "editor",
    "container-title",
    "container-title-short",
    "journalAbbreviation",
    "issued",
    "volume",
    "issue",
    "page",
    "number",
    "publisher",
    "publisher-place",
    "edition",
    "DOI",
    "PMID",
    "PMCID",
    "ISSN",
    "ISBN",
    "URL",
];

/// One record as a CSL-YAML file (one item, evidence fields after the CSL fields). It reads
/// back to the same record: scalars are plain only when YAML reads them back as the same
/// text, double-quoted otherwise.
pub fn to_csl_yaml(record: &SourceRecord, from: &str) -> String {
    let mut out = format!("# Imported from {} by `evident import`.\n", file_name(from));
    let mut keys: Vec<&String> = record.csl.keys().collect();
    keys.sort_by_key(|k| {
        (
            KEY_ORDER
                .iter()
                .position(|o| o == k)
                .unwrap_or(KEY_ORDER.len()),
            k.as_str(),
        )
    });
    for key in keys {
        if EVIDENCE_FIELDS.contains(&key.as_str()) {
            continue;
        }
        write_entry(&mut out, 0, key, &record.csl[key]);
    }
    let e = &record.evidence;
    if let Some(design) = &e.design {
        write_entry(&mut out, 0, "design", &Value::String(design.clone()));
    }
    if let Some(n) = e.sample_size {
        write_entry(&mut out, 0, "sample_size", &Value::from(n));
    }
    if let Some(label) = &e.label {
        write_entry(&mut out, 0, "label", &Value::String(label.clone()));
    }
    if let Some(r) = &e.retracted {
        let mut map = serde_json::Map::new();
        if let Some(date) = &r.date {
            map.insert("date".into(), Value::String(date.clone()));
        }
        if let Some(notice) = &r.notice {
            map.insert("notice".into(), Value::String(notice.clone()));
        }
        let value = if map.is_empty() {
            Value::Bool(true)
        } else {
            Value::Object(map)
        };
        write_entry(&mut out, 0, "retracted", &value);
    }
    if let Some(s) = &e.superseded_by {
        write_entry(&mut out, 0, "superseded_by", &Value::String(s.clone()));
    }
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn write_entry(out: &mut String, indent: usize, key: &str, value: &Value) {
    let pad = " ".repeat(indent);
    let key = scalar(key);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str(&format!("{pad}{key}:\n"));
            for (k, v) in map {
                write_entry(out, indent + 2, k, v);
            }
        }
        Value::Array(items) if !items.is_empty() && !is_flat(value) => {
            out.push_str(&format!("{pad}{key}:\n"));
            for item in items {
                write_item(out, indent + 2, item);
            }
        }
        other => out.push_str(&format!("{pad}{key}: {}\n", inline(other))),
    }
}

/// A list item; a map item puts its first key on the dash line.
fn write_item(out: &mut String, indent: usize, value: &Value) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut first = true;
            for (k, v) in map {
                let mut entry = String::new();
                write_entry(&mut entry, indent + 2, k, v);
                if first {
                    // Replace the indentation of the first line by the dash.
                    out.push_str(&format!("{pad}- {}", &entry[indent + 2..]));
                    first = false;
                } else {
                    out.push_str(&entry);
                }
            }
        }
        Value::Array(_) if !is_flat(value) => {
            // A list in a list: block style under a bare dash.
            out.push_str(&format!("{pad}-\n"));
            if let Value::Array(items) = value {
                for item in items {
                    write_item(out, indent + 2, item);
                }
            }
        }
        other => out.push_str(&format!("{pad}- {}\n", inline(other))),
    }
}

/// Lists of scalars (and lists of those, as `date-parts`) are written inline: `[[1997, 8]]`.
fn is_flat(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().all(|i| match i {
            Value::Array(inner) => inner.iter().all(|v| !v.is_array() && !v.is_object()),
            Value::Object(_) => false,
            _ => true,
        }),
        Value::Object(map) => map.is_empty(),
        _ => true,
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => "{}".into(),
    }
}

/// A string as a YAML scalar: plain when YAML reads it back as the same string (so `43`,
/// `yes`, `a: b` or `#x` are quoted), double-quoted otherwise (JSON escapes are valid YAML).
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.contains(['\n', '\r', '\t', '"', '\'', '\\'])
        && matches!(
            yaml::parse(&format!("k: {text}\n")).map(|n| n.get("k").map(|v| v.value.clone())),
            Ok(Some(yaml::Value::Str(s))) if s == text
        );
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A YAML double-quoted scalar. Characters YAML does not allow raw in a file (controls,
/// DEL, U+FFFE/U+FFFF) are escaped, as are quotes and backslashes.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::citations::read_file;

    const JSON: &str = include_str!("../load/citations/fixtures/relactation.json");
    const BIB: &str = include_str!("../load/citations/fixtures/relactation.bib");
    const RIS: &str = include_str!("../load/citations/fixtures/relactation.ris");
    const NBIB: &str = include_str!("../load/citations/fixtures/relactation.nbib");

    #[test]
    fn written_yaml_reads_back_to_the_same_record() {
        for (ext, text) in [("json", JSON), ("bib", BIB), ("ris", RIS), ("nbib", NBIB)] {
            let mut d = Diagnostics::new();
            let records = read_file(ext, text, "x", &mut d).unwrap();
            for record in records {
                let yaml = to_csl_yaml(&record, "export.x");
                let mut d = Diagnostics::new();
                let back = crate::load::citations::read_csl_yaml(&yaml, "y.yaml", &mut d);
                assert!(d.is_empty(), "{yaml}\n{:?}", d.sorted());
                assert_eq!(back.len(), 1);
                assert_eq!(back[0].csl, record.csl, "{ext}:\n{yaml}");
                assert_eq!(back[0].evidence, record.evidence);
            }
        }
    }

    /// The abstract an export carries is written, for the quote check (`quote-not-in-source`).
    #[test]
    fn the_abstract_is_written() {
        let text = "TY  - JOUR\nID  - kites\nTI  - Kites\nPY  - 2020\nAB  - Forty kites: 31 stayed up,\n      for an hour.\nER  - \n";
        let mut d = Diagnostics::new();
        let record = read_file("ris", text, "k.ris", &mut d).unwrap().remove(0);
        let yaml = to_csl_yaml(&record, "k.ris");
        assert!(
            yaml.contains("\nabstract: \"Forty kites: 31 stayed up, for an hour.\"\n"),
            "{yaml}"
        );
    }

    #[test]
    fn awkward_values_round_trip() {
        let json = r##"[{"id": "x", "type": "book", "title": "yes", "note": "a: b #c\nline", "volume": "43",
            "keyword": "'quoted' \u0001\u007f\u0085 \\ \"", "number": "-", "page": "1", "edition": "", "custom": {"a": [1, {"b": null}], "c": []},
            "author": [{"literal": "Null"}], "issued": {"date-parts": [[2001, 2, 3]]}, "design": "rct", "sample_size": 5,
            "retracted": {"date": "2020-01-02", "notice": "Fraud: see notice"}}]"##;
        let mut d = Diagnostics::new();
        let record = crate::load::citations::read_csl_json(json, "x.json", &mut d).remove(0);
        let yaml = to_csl_yaml(&record, "x.json");
        let back = crate::load::citations::read_csl_yaml(&yaml, "y.yaml", &mut d).remove(0);
        assert!(d.is_empty(), "{yaml}\n{:?}", d.sorted());
        assert_eq!(back.csl, record.csl, "{yaml}");
        assert_eq!(back.evidence, record.evidence, "{yaml}");
    }

    #[test]
    fn imports_without_overwriting_and_stays_inside_the_site() {
        let site = tempfile::tempdir().unwrap();
        let project = Project::new(site.path().canonicalize().unwrap());
        let citations = project.citations_dir();
        std::fs::create_dir_all(&citations).unwrap();
        // The site already defines one of the records, in another format.
        std::fs::write(citations.join("mine.nbib"), "PMID- 7354969\nTI  - Mine.\n").unwrap();
        // And a file is in the way of another.
        std::fs::write(citations.join("pmid6789296.yaml"), "# in the way\n").unwrap();
        let export = site.path().join("export.ris");
        std::fs::write(&export, RIS).unwrap();

        let report = import(&project, &export, None).unwrap();
        let names: Vec<String> = report.written.iter().map(|p| project.relative(p)).collect();
        assert_eq!(names.len(), 6, "{names:?}");
        assert_eq!(names[0], "citations/pmid9283123.yaml");
        assert!(names.contains(&"citations/who1998relactation.yaml".to_string()));
        assert_eq!(report.conflicts(), 2);
        let d = report.diagnostics.clone().sorted();
        assert_eq!(d[0].related[0].location.path, "citations/mine.nbib");
        assert!(d[1].message.contains("already exists"), "{d:?}");
        assert_eq!(
            std::fs::read_to_string(citations.join("pmid6789296.yaml")).unwrap(),
            "# in the way\n"
        );
        // The site now reads without duplicates, and a second import conflicts on everything.
        let again = import(&project, &export, None).unwrap();
        assert!(again.written.is_empty());
        assert_eq!(again.conflicts(), 8);

        assert!(import(&project, &export, Some(&site.path().join("../elsewhere"))).is_err());
        assert!(import(&project, &export, Some(Path::new("/tmp"))).is_err());
        let into = site.path().join("citations/imported");
        let report = import(&project, &site.path().join("export.ris"), Some(&into)).unwrap();
        // Ids are checked site-wide: only the record whose file was in the way goes in.
        assert_eq!(report.conflicts(), 7);
        assert_eq!(
            project.relative(&report.written[0]),
            "citations/imported/pmid6789296.yaml"
        );

        std::fs::write(site.path().join("broken.bib"), "@article{a, title = {T}").unwrap();
        let report = import(&project, &site.path().join("broken.bib"), None).unwrap();
        assert!(report.unreadable && report.written.is_empty());
        assert!(import(&project, &site.path().join("missing.bib"), None).is_err());
        assert!(import(&project, &site.path().join("export.txt"), None).is_err());
    }
}
