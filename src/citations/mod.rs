//! Sources: readers for the bibliographic formats editors export, into one CSL-JSON-shaped
//! record type with evidence fields beside it.

mod csl;
pub mod format;

pub use csl::{EVIDENCE_FIELDS, read_csl_json, read_csl_yaml};

use crate::model::EvidenceFields;
use crate::yaml::Pos;

/// One record as read from one file, before records of the same id are merged.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub id: String,
    pub path: String,
    pub pos: Pos,
    pub csl: serde_json::Map<String, serde_json::Value>,
    pub evidence: EvidenceFields,
    /// An item carrying only `id` and evidence fields: it annotates a record defined elsewhere.
    pub annotation_only: bool,
}

/// The file extensions read from `citations/`.
pub fn is_source_file(extension: &str) -> bool {
    matches!(extension, "yaml" | "yml" | "json" | "bib" | "ris" | "nbib")
}
