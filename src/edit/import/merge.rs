//! `evident import --update`: the fields an imported record adds to a work the site already
//! holds in a CSL-YAML file. Fields the file lacks are added after the item's last line, under
//! a comment saying where they came from; every byte already written (comments, quoting,
//! order) stays as it was. The new text is read back before it is written: when it does not
//! give exactly the old record plus the new fields, nothing is written.

use std::path::Path;

use serde_json::Value;

use crate::diag::Diagnostics;
use crate::load::citations::{EVIDENCE_FIELDS, SourceRecord, read_csl_yaml};
use crate::model::EvidenceFields;
use crate::text::yaml::{self, Node};

use super::csl_yaml::{evidence_entries, sorted_keys, write_entry};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// These keys were added to the file.
    Added(Vec<String>),
    /// The file already has every field the record brings.
    NothingNew,
}

/// Adds `record`'s fields that the item `id` of the CSL-YAML file at `path` lacks. `from` is
/// the export's name, for the comment; `rel` the file's path for messages. Err says why the
/// file could not be merged into (it is then left untouched).
pub fn merge_into(
    path: &Path,
    rel: &str,
    id: &str,
    record: &SourceRecord,
    from: &str,
) -> Result<Merged, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {rel}: {e}"))?;
    let (new_text, added) = merged_text(&text, rel, id, record, from)?;
    if added.is_empty() {
        return Ok(Merged::NothingNew);
    }
    crate::edit::file::replace_atomically(path, new_text.as_bytes())
        .map_err(|e| format!("cannot write {rel}: {e}"))?;
    Ok(Merged::Added(added))
}

/// The file's text with the new fields added, and their keys (none: the text unchanged).
pub fn merged_text(
    text: &str,
    rel: &str,
    id: &str,
    record: &SourceRecord,
    from: &str,
) -> Result<(String, Vec<String>), String> {
    let root = yaml::parse(text).map_err(|e| format!("{rel} does not parse: {}", e.message))?;
    let item = find_item(&root, id).ok_or_else(|| format!("{rel} has no item `{id}`"))?;
    let written: Vec<&str> = item
        .as_map()
        .unwrap_or_default()
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();
    let mut additions: Vec<(String, Value)> = sorted_keys(&record.csl)
        .into_iter()
        .filter(|k| *k != "id" && !EVIDENCE_FIELDS.contains(k) && !written.contains(k))
        .filter(|k| !is_empty(&record.csl[*k]))
        .map(|k| (k.to_string(), record.csl[k].clone()))
        .collect();
    additions.extend(
        evidence_entries(&record.evidence)
            .into_iter()
            .filter(|(k, _)| !written.contains(&k.as_str())),
    );
    if additions.is_empty() {
        return Ok((text.to_string(), Vec::new()));
    }

    let indent = item
        .as_map()
        .and_then(|entries| entries.first())
        .map_or(0, |(key, _)| key.pos.column.saturating_sub(1) as usize);
    let mut block = format!(
        "{}# Added from {from} by `evident import --update`.\n",
        " ".repeat(indent)
    );
    for (key, value) in &additions {
        write_entry(&mut block, indent, key, value);
    }
    if text.contains("\r\n") {
        block = block.replace('\n', "\r\n");
    }
    let unplaced = || format!("{rel}: the item `{id}` has no position to add fields after");
    let end = item
        .end_offset()
        .filter(|&end| text.is_char_boundary(end))
        .ok_or_else(unplaced)?;
    let last_start = last_value_start(item).ok_or_else(unplaced)?;
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let keys: Vec<String> = additions.iter().map(|(k, _)| k.clone()).collect();
    // Blank and comment lines after the item's last value belong to what follows (a comment
    // over the next item), so the fields go before them when the file still reads the same.
    let mut refusal = String::new();
    for at in [
        before_trailing_comments(text, line_end, last_start),
        line_end,
    ] {
        let out = insert_at(text, at, &block);
        match verify(text, &out, rel, id, &additions) {
            Ok(()) => return Ok((out, keys)),
            Err(why) => refusal = why,
        }
    }
    Err(refusal)
}

/// `text` with `block` inserted at byte `at` (a line start, or the end of the text).
fn insert_at(text: &str, at: usize, block: &str) -> String {
    let mut out = String::with_capacity(text.len() + block.len() + 2);
    out.push_str(&text[..at]);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(if text.contains("\r\n") { "\r\n" } else { "\n" });
    }
    out.push_str(block);
    out.push_str(&text[at..]);
    out
}

/// The start of the run of blank and comment lines that ends at `line_end`, not reaching
/// back to the line where the item's last value starts.
fn before_trailing_comments(text: &str, line_end: usize, last_start: usize) -> usize {
    let mut at = line_end;
    while at > 0 {
        let head = &text[..at];
        let previous = head
            .strip_suffix('\n')
            .unwrap_or(head)
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = text[previous..at].trim();
        if previous <= last_start || !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        at = previous;
    }
    at
}

/// Where the last scalar written in the item starts.
fn last_value_start(node: &Node) -> Option<usize> {
    let inner = match &node.value {
        yaml::Value::Seq(items) => items.iter().filter_map(last_value_start).max(),
        yaml::Value::Map(entries) => entries
            .iter()
            .flat_map(|(k, v)| [k.pos.offset, last_value_start(v)])
            .flatten()
            .max(),
        _ => None,
    };
    node.pos.offset.into_iter().chain(inner).max()
}

/// The item of that id: the file's one item, or the first full item of its list.
fn find_item<'a>(root: &'a Node, id: &str) -> Option<&'a Node> {
    let is_it = |node: &Node| {
        node.get("id")
            .and_then(Node::as_text)
            .is_some_and(|i| i.trim() == id)
    };
    match root.as_seq() {
        Some(items) => items.iter().find(|n| is_it(n)),
        None => Some(root).filter(|n| is_it(n)),
    }
}

/// The edited text reads back as the old record plus exactly the added fields, and nothing
/// else in the file changed meaning.
fn verify(
    old: &str,
    new: &str,
    rel: &str,
    id: &str,
    additions: &[(String, Value)],
) -> Result<(), String> {
    let mut before_problems = Diagnostics::new();
    let before = read_csl_yaml(old, rel, &mut before_problems);
    let mut after_problems = Diagnostics::new();
    let after = read_csl_yaml(new, rel, &mut after_problems);
    let refuse =
        || format!("{rel} cannot be merged into as written (the item `{id}` may be in flow style)");
    if after.len() != before.len() || after_problems.errors() > before_problems.errors() {
        return Err(refuse());
    }
    // The item edited is the first of that id, as [`find_item`] found it.
    let target_index = before.iter().position(|r| r.id == id);
    for (index, (old_record, new_record)) in before.iter().zip(&after).enumerate() {
        let target = Some(index) == target_index;
        let mut expected = old_record.clone();
        if target {
            for (key, value) in additions {
                if !EVIDENCE_FIELDS.contains(&key.as_str()) {
                    expected.csl.insert(key.clone(), value.clone());
                }
            }
            expected.evidence = with_evidence(&old_record.evidence, additions);
        }
        if new_record.csl != expected.csl || new_record.evidence != expected.evidence {
            return Err(refuse());
        }
    }
    Ok(())
}

/// An empty text, list or map, or null: nothing to add.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// The evidence fields after the additions, as the reader will see them.
fn with_evidence(old: &EvidenceFields, additions: &[(String, Value)]) -> EvidenceFields {
    let mut doc = String::new();
    doc.push_str("id: x\n");
    for (key, value) in additions {
        if EVIDENCE_FIELDS.contains(&key.as_str()) {
            write_entry(&mut doc, 0, key, value);
        }
    }
    let mut ignored = Diagnostics::new();
    let added = read_csl_yaml(&doc, "x.yaml", &mut ignored)
        .pop()
        .map(|r| r.evidence)
        .unwrap_or_default();
    EvidenceFields {
        design: old.design.clone().or(added.design),
        sample_size: old.sample_size.or(added.sample_size),
        label: old.label.clone().or(added.label),
        retracted: old.retracted.clone().or(added.retracted),
        superseded_by: old.superseded_by.clone().or(added.superseded_by),
    }
}
