//! One imported record as a CSL-YAML file, and single fields in the same style for `--update`.
//! What is written reads back to the same record: scalars are plain only when YAML reads them
//! back as the same text, double-quoted otherwise.

use serde_json::Value;

use crate::load::citations::{EVIDENCE_FIELDS, SourceRecord};
use crate::model::EvidenceFields;
use crate::text::yaml;

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
    for key in sorted_keys(&record.csl) {
        if EVIDENCE_FIELDS.contains(&key) {
            continue;
        }
        write_entry(&mut out, 0, key, &record.csl[key]);
    }
    for (key, value) in evidence_entries(&record.evidence) {
        write_entry(&mut out, 0, &key, &value);
    }
    out
}

/// The keys of a CSL item in writing order: [`KEY_ORDER`] first, the rest alphabetically.
pub fn sorted_keys(csl: &serde_json::Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = csl.keys().map(String::as_str).collect();
    keys.sort_by_key(|k| {
        (
            KEY_ORDER
                .iter()
                .position(|o| o == k)
                .unwrap_or(KEY_ORDER.len()),
            *k,
        )
    });
    keys
}

/// The evidence fields that are set, as CSL-YAML keys and values, in writing order.
pub fn evidence_entries(e: &EvidenceFields) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(design) = &e.design {
        out.push(("design".into(), Value::String(design.clone())));
    }
    if let Some(n) = e.sample_size {
        out.push(("sample_size".into(), Value::from(n)));
    }
    if let Some(label) = &e.label {
        out.push(("label".into(), Value::String(label.clone())));
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
        out.push(("retracted".into(), value));
    }
    if let Some(s) = &e.superseded_by {
        out.push(("superseded_by".into(), Value::String(s.clone())));
    }
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `key: value` at `indent` spaces, block style for maps and lists of maps.
pub fn write_entry(out: &mut String, indent: usize, key: &str, value: &Value) {
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
