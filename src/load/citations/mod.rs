//! Sources: readers for the bibliographic formats editors export, into one CSL-JSON-shaped
//! record type with evidence fields beside it.

mod bibtex;
mod csl;
mod design;
mod item;
mod nbib;
mod ris;
mod tagged;
#[cfg(test)]
mod tests;

pub use bibtex::read_bibtex;
pub use csl::{EVIDENCE_FIELDS, read_csl_json, read_csl_yaml};
pub use item::{clean_doi, clean_pmid, fold_accents};
pub use nbib::read_nbib;
pub use ris::read_ris;

use crate::model::EvidenceFields;
use crate::text::yaml::Pos;

/// One record as read from one file, before records of the same id are merged.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    /// The source's id, cited as `[@id]` and linked from claims: a CSL item's `id` (trimmed),
    /// a BibTeX key, a RIS record's `ID` (else `pmid` and its PMID, else
    /// `author-year-titleword`), or `pmid` and the PMID for a PubMed (nbib) record.
    pub id: String,
    /// The file it was read from, relative to the site root.
    pub path: String,
    /// Where the record starts in that file (for duplicate and unknown-id diagnostics).
    pub pos: Pos,
    /// The CSL-JSON item, `id` included and evidence fields left out.
    pub csl: serde_json::Map<String, serde_json::Value>,
    /// The evidence fields written beside a CSL item (empty for BibTeX, RIS and nbib).
    pub evidence: EvidenceFields,
    /// An item carrying only `id` and evidence fields: it annotates a record defined elsewhere.
    pub annotation_only: bool,
}

impl From<SourceRecord> for crate::model::Source {
    /// The record as a source of the site, its page slug made from its id. Annotations are
    /// merged into it beforehand ([`crate::resolve`]); this keeps every field as read.
    fn from(record: SourceRecord) -> Self {
        crate::model::Source {
            slug: crate::text::slugify(&record.id),
            id: record.id,
            path: record.path,
            pos: record.pos,
            csl: record.csl,
            evidence: record.evidence,
        }
    }
}

/// Reads one file of `citations/` by its extension (lowercase, without the dot). None for an
/// extension that is not a source format.
pub fn read_file(
    extension: &str,
    text: &str,
    path: &str,
    diagnostics: &mut crate::diag::Diagnostics,
) -> Option<Vec<SourceRecord>> {
    Some(match extension {
        "yaml" | "yml" => read_csl_yaml(text, path, diagnostics),
        "json" => read_csl_json(text, path, diagnostics),
        "bib" => read_bibtex(text, path, diagnostics),
        "ris" => read_ris(text, path, diagnostics),
        "nbib" => read_nbib(text, path, diagnostics),
        _ => return None,
    })
}

/// The file extensions read from `citations/`.
pub fn is_source_file(extension: &str) -> bool {
    matches!(extension, "yaml" | "yml" | "json" | "bib" | "ris" | "nbib")
}
