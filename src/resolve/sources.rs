//! Sources: the records of one id merged into one source (annotations adding evidence
//! fields), works entered twice under two ids, and the checks of a source once linked.

use std::collections::BTreeMap;

use super::types::{KnowledgeBase, ResolvedSource};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::load::citations::SourceRecord;
use crate::model::Source;
use crate::model::idmap::IdMap;
use crate::text::fields::closest;

/// Records of one id from several files become one source: full records must be unique,
/// annotations (id + evidence fields only) add their fields to the full record.
pub(super) fn merge_sources(
    records: Vec<SourceRecord>,
    diagnostics: &mut Diagnostics,
) -> IdMap<Source> {
    let mut full: BTreeMap<String, Source> = BTreeMap::new();
    let mut annotations: Vec<SourceRecord> = Vec::new();
    for record in records {
        if record.annotation_only {
            annotations.push(record);
            continue;
        }
        if let Some(first) = full.get(&record.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    Location::new(&record.path, record.pos.line, record.pos.column),
                    format!("source `{}` is defined twice", record.id),
                )
                .hint("keep one record and delete the other; to add evidence fields to a record, write an item with only `id` and those fields")
                .related(Location::new(&first.path, first.pos.line, first.pos.column), "first defined here"),
            );
            continue;
        }
        full.insert(record.id.clone(), Source::from(record));
    }
    for note in annotations {
        let Some(source) = full.get_mut(&note.id) else {
            let close = closest(&note.id, full.keys().map(String::as_str));
            let mut d = Diagnostic::error(
                Code::UnknownSource,
                Location::new(&note.path, note.pos.line, note.pos.column),
                format!(
                    "evidence fields for `{}`, but no source has that id",
                    note.id
                ),
            );
            d = match close {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint(
                    "add the bibliographic record (with type and title) to a file in citations/",
                ),
            };
            diagnostics.push(d);
            continue;
        };
        let e = note.evidence;
        let target = &mut source.evidence;
        target.design = e.design.or(target.design.take());
        target.sample_size = e.sample_size.or(target.sample_size);
        target.label = e.label.or(target.label.take());
        target.retracted = e.retracted.or(target.retracted.take());
        target.superseded_by = e.superseded_by.or(target.superseded_by.take());
    }
    report_shared_identifiers(&full, diagnostics);
    // Two ids with one slug would write one page over the other.
    let mut by_slug: BTreeMap<String, &Source> = BTreeMap::new();
    for source in full.values() {
        if let Some(other) = by_slug.get(&source.slug) {
            diagnostics.push(
                Diagnostic::error(
                    Code::SlugClash,
                    Location::new(&source.path, source.pos.line, source.pos.column),
                    format!("sources `{}` and `{}` would both be written to sources/{}/", other.id, source.id, source.slug),
                )
                .hint("rename one of the ids (ids differing only in case or punctuation share a page path)")
                .related(Location::new(&other.path, other.pos.line, other.pos.column), format!("`{}` is defined here", other.id)),
            );
        } else {
            by_slug.insert(source.slug.clone(), source);
        }
    }
    full.into_iter().collect()
}

/// The same DOI or PMID under two ids is one work entered twice (an export and a hand-written
/// record, say): claims citing either would number it as two references. A warning, since
/// both records may be intended (an erratum sharing its article's PMID is not), naming both.
fn report_shared_identifiers(sources: &BTreeMap<String, Source>, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<(&str, String), &Source> = BTreeMap::new();
    // One warning per pair of records, however many identifiers they share.
    let mut reported: std::collections::BTreeSet<(String, String)> = Default::default();
    // In file order, so the warning lands on the later record and points back to the earlier.
    let mut in_file_order: Vec<&Source> = sources.values().collect();
    in_file_order.sort_by(|a, b| (&a.path, a.pos.line, &a.id).cmp(&(&b.path, b.pos.line, &b.id)));
    for source in in_file_order {
        let identifiers = [
            ("DOI", source.doi().map(|d| d.trim().to_ascii_lowercase())),
            ("PMID", source.pmid().map(|p| p.trim().to_string())),
            (
                "PMCID",
                source.pmcid().map(|p| p.trim().to_ascii_uppercase()),
            ),
        ];
        for (kind, value) in identifiers {
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                continue;
            };
            match seen.get(&(kind, value.clone())) {
                Some(first) if !reported.insert((first.id.clone(), source.id.clone())) => {}
                Some(first) => diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateIdentifier,
                        Location::new(&source.path, source.pos.line, source.pos.column),
                        format!(
                            "sources `{}` and `{}` have the same {kind} {value}",
                            first.id, source.id
                        ),
                    )
                    .hint(format!(
                        "keep one record and cite it by one id (`{}`); to add evidence fields, write an item with only `id` and those fields",
                        first.id
                    ))
                    .related(
                        Location::new(&first.path, first.pos.line, first.pos.column),
                        format!("`{}` is defined here", first.id),
                    ),
                ),
                None => {
                    seen.insert((kind, value), source);
                }
            }
        }
    }
}

/// Whether a source is cited at all, has a design, and names an existing superseding source
/// other than itself.
pub(super) fn check_source(
    kb: &KnowledgeBase,
    resolved: &ResolvedSource,
    diagnostics: &mut Diagnostics,
) {
    {
        let source = &resolved.source;
        let at = Location::new(&source.path, source.pos.line, source.pos.column);
        if resolved.cited_by.is_empty() && resolved.cited_in.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceUnused,
                    at.clone(),
                    format!("source `{}` is never cited", source.id),
                )
                .hint("cite it from a claim or a page, or remove it from citations/"),
            );
        }
        if source.evidence.design.is_none() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceWithoutDesign,
                    at.clone(),
                    format!("source `{}` has no study design", source.id),
                )
                .hint(design_hint(source)),
            );
        }
        report_incomplete(source, &at, diagnostics);
        if source.evidence.superseded_by.as_ref() == Some(&source.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::SupersededByItself,
                    at,
                    format!("source `{}` is superseded by itself", source.id),
                )
                .hint(
                    "name the id of the newer source that replaces it, or remove `superseded_by`",
                ),
            );
        } else if let Some(next) = &source.evidence.superseded_by
            && !kb.sources.contains_key(next)
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownReplacement,
                    at,
                    format!("`superseded_by: {next}` names no source"),
                )
                .hint("name the id of the source that supersedes this one"),
            );
        }
    }
}

/// How to give a source a design: in its own record when it is CSL-YAML, else in an
/// annotation item (an export is kept as it was exported).
fn design_hint(source: &Source) -> String {
    let designs = crate::model::design_names().join(", ");
    let native = [".yaml", ".yml"].iter().any(|e| source.path.ends_with(e));
    if native {
        format!("add `design:` ({designs}) to this record")
    } else {
        format!(
            "add an annotation item `- {{id: {}, design: …}}` ({designs}) to a CSL-YAML file in citations/, e.g. citations/evidence.yaml; the export itself stays as exported",
            source.id
        )
    }
}

/// A record without a title, without anyone responsible for it, or without a year: its
/// reference would print with a gap (and never the id in the title's place), so `check`
/// says which fields to add, in the words of the file's format.
fn report_incomplete(source: &Source, at: &Location, diagnostics: &mut Diagnostics) {
    let extension = source.path.rsplit('.').next().unwrap_or("");
    let field = |what: &str| -> &'static str {
        match (extension, what) {
            ("bib", "title") => "`title = {…}`",
            ("bib", "author") => "`author = {…}` (an organisation in double braces)",
            ("bib", "year") => "`year = {…}`",
            ("ris", "title") => "a `TI  - ` line",
            ("ris", "author") => "an `AU  - ` line (Family, Given; or the organisation)",
            ("ris", "year") => "a `PY  - ` line",
            ("nbib", "title") => "a `TI  - ` line",
            ("nbib", "author") => "an `FAU - ` or `CN  - ` line",
            ("nbib", "year") => "a `DP  - ` line",
            (_, "title") => "`title:`",
            (_, "author") => "`author:` (people as family/given, an organisation as `literal:`)",
            _ => "`issued: {date-parts: [[YEAR]]}`",
        }
    };
    let missing: Vec<(&str, &str)> = [
        ("title", source.csl_title().is_none()),
        ("author", !source.has_creator()),
        ("year", source.year().is_none()),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(what, _)| (what, field(what)))
    .collect();
    if missing.is_empty() {
        return;
    }
    let names: Vec<&str> = missing
        .iter()
        .map(|(what, _)| match *what {
            "author" => "author or editor",
            other => other,
        })
        .collect();
    let adds: Vec<&str> = missing.iter().map(|(_, add)| *add).collect();
    diagnostics.push(
        Diagnostic::warning(
            Code::SourceIncomplete,
            at.clone(),
            format!("source `{}` has no {}", source.id, names.join(", no ")),
        )
        .hint(format!(
            "add {} to the record in {}; its reference prints only what the record has",
            adds.join(", "),
            source.path
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::load::citations;

    fn records(files: &[(&str, &str)]) -> (Vec<SourceRecord>, Diagnostics) {
        let mut d = Diagnostics::new();
        let mut out = Vec::new();
        for (path, text) in files {
            let ext = path.rsplit('.').next().unwrap_or("");
            out.extend(citations::read_file(ext, text, path, &mut d).unwrap());
        }
        (out, d)
    }

    #[test]
    fn annotations_reach_records_of_every_format() {
        let (r, mut d) = records(&[
            (
                "citations/a.bib",
                "@article{seema1997, title = {T}, pmid = {9283123}}\n",
            ),
            (
                "citations/b.ris",
                "TY  - JOUR\nTI  - U\nAN  - 7354969\nDB  - PubMed\nER  - \n",
            ),
            ("citations/c.nbib", "PMID- 6789296\nTI  - V.\n"),
            (
                "citations/evidence.yaml",
                "- {id: seema1997, design: rct, sample_size: 50}\n- {id: pmid7354969, design: survey}\n- {id: pmid6789296, design: case-series, label: Research}\n",
            ),
        ]);
        let sources = merge_sources(r, &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(sources["seema1997"].evidence.sample_size, Some(50));
        assert_eq!(
            sources["pmid7354969"].evidence.design.as_deref(),
            Some("survey")
        );
        assert_eq!(
            sources["pmid6789296"].evidence.label.as_deref(),
            Some("Research")
        );
    }

    #[test]
    fn one_work_under_two_ids_is_a_warning_naming_both() {
        let (r, mut d) = records(&[
            (
                "citations/a.bib",
                "@article{seema1997, title = {T}, doi = {10.1093/TROPEJ/43.4.213}, pmid = {9283123}}\n",
            ),
            (
                "citations/b.nbib",
                "PMID- 9283123\nTI  - T.\nAID - 10.1093/tropej/43.4.213 [doi]\n",
            ),
        ]);
        merge_sources(r, &mut d);
        let d = d.sorted();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::DuplicateIdentifier);
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        assert_eq!(d[0].location.path, "citations/b.nbib");
        assert!(d[0].message.contains("`pmid9283123`") && d[0].message.contains("`seema1997`"));
        assert_eq!(d[0].related[0].location.path, "citations/a.bib");
    }

    #[test]
    fn two_full_records_with_one_id_are_an_error() {
        let (r, mut d) = records(&[
            ("citations/a.nbib", "PMID- 1\nTI  - T.\n"),
            (
                "citations/b.yaml",
                "- {id: pmid1, type: article-journal, title: T}\n",
            ),
        ]);
        merge_sources(r, &mut d);
        let d = d.sorted();
        assert_eq!(d[0].code, Code::DuplicateId);
        assert_eq!(d[0].related[0].location.path, "citations/a.nbib");
    }

    fn source(path: &str, csl: serde_json::Value) -> Source {
        Source {
            id: "shed".into(),
            slug: "shed".into(),
            path: path.into(),
            pos: crate::text::yaml::Pos::default(),
            csl: csl.as_object().cloned().unwrap_or_default(),
            evidence: Default::default(),
        }
    }

    #[test]
    fn incomplete_records_name_the_fields_to_add_in_their_format() {
        let at = Location::new("citations/a.ris", 3, 1);
        let mut d = Diagnostics::new();
        report_incomplete(
            &source(
                "citations/a.ris",
                serde_json::json!({"container-title": "Sheds"}),
            ),
            &at,
            &mut d,
        );
        let d = d.sorted();
        assert_eq!((d[0].code, d[0].location.line), (Code::SourceIncomplete, 3));
        assert_eq!(
            d[0].message,
            "source `shed` has no title, no author or editor, no year"
        );
        assert!(d[0].hints[0].contains("a `TI  - ` line") && d[0].hints[0].contains("`PY  - `"));
        // An organisation as author, or an editor alone, is someone responsible.
        for names in [
            serde_json::json!({"author": [{"literal": "Garden Sheds Council"}]}),
            serde_json::json!({"editor": [{"family": "Best", "given": "A"}]}),
        ] {
            let mut csl = names;
            csl["title"] = "Sheds".into();
            csl["issued"] = serde_json::json!({"date-parts": [[2019]]});
            let mut d = Diagnostics::new();
            report_incomplete(&source("citations/a.yaml", csl), &at, &mut d);
            assert!(d.is_empty(), "{:?}", d.sorted());
        }
        let mut d = Diagnostics::new();
        report_incomplete(
            &source(
                "citations/a.bib",
                serde_json::json!({"title": "Sheds", "author": [{"family": "Lund"}]}),
            ),
            &at,
            &mut d,
        );
        let d = d.sorted();
        assert_eq!(d[0].message, "source `shed` has no year");
        assert!(d[0].hints[0].contains("`year = {…}`"));
    }
}
