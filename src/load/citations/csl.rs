//! CSL-YAML and CSL-JSON: the native formats. A file holds a list of items or one item.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{EvidenceFields, Retraction, design_names};
use crate::text::fields::Fields;
use crate::text::yaml::{self, Node, Pos, Value};

use super::SourceRecord;

/// Keys evident keeps beside the CSL fields.
pub const EVIDENCE_FIELDS: &[&str] = &[
    "design",
    "sample_size",
    "label",
    "retracted",
    "superseded_by",
];

/// Reads a CSL-YAML file.
pub fn read_csl_yaml(text: &str, path: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRecord> {
    match yaml::parse(text) {
        Ok(mut node) => {
            crate::text::control::take_escaped(&mut node, path, 0, diagnostics);
            read_items(&node, path, diagnostics)
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::MalformedYaml,
                    Location::new(path, e.line, e.column),
                    e.message,
                )
                .hints(e.hint)
                .hint("a CSL-YAML file is a list of items (`- id: …`) or one item"),
            );
            Vec::new()
        }
    }
}

/// Reads a CSL-JSON file. JSON is checked by a JSON parser (so its errors and semantics are
/// JSON's); positions come from reading the same text as YAML, of which JSON is a subset.
pub fn read_csl_json(text: &str, path: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRecord> {
    // Windows tools save JSON with a byte-order mark, which JSON parsers refuse and editors
    // do not show; the YAML reader skips it itself, so positions stay the file's.
    let json = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
        diagnostics.push(
            Diagnostic::error(
                Code::MalformedYaml,
                Location::new(path, u32::try_from(e.line()).unwrap_or(1), u32::try_from(e.column()).unwrap_or(1)),
                format!("invalid JSON: {e}"),
            )
            .hint("a CSL-JSON file is an array of items, as exported by Zotero (\"CSL JSON\") or citation.js"),
        );
        return Vec::new();
    }
    match yaml::parse(text) {
        Ok(mut node) => {
            crate::text::control::take_escaped(&mut node, path, 0, diagnostics);
            read_items(&node, path, diagnostics)
        }
        Err(e) => {
            // JSON readers take a key written twice and keep its last value; so does evident,
            // and says where.
            if e.is_duplicate_key() {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateField,
                        Location::new(path, e.line, e.column),
                        format!("{}; the last value is kept, as JSON readers do", e.message),
                    )
                    .hint("delete one of the two, keeping the right value"),
                );
            }
            // Valid JSON that the YAML reader refuses (a duplicate key, say): read it without positions.
            let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
            read_items(&json_to_node(&value), path, diagnostics)
        }
    }
}

fn json_to_node(value: &serde_json::Value) -> Node {
    let value = match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(items) => Value::Seq(items.iter().map(json_to_node).collect()),
        serde_json::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        yaml::Key {
                            name: k.clone(),
                            pos: Pos::default(),
                        },
                        json_to_node(v),
                    )
                })
                .collect(),
        ),
    };
    Node {
        value,
        pos: Pos {
            line: 1,
            column: 1,
            offset: None,
            len: 0,
        },
        raw: None,
    }
}

fn read_items(node: &Node, path: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRecord> {
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Map(_) => vec![node],
        Value::Null => Vec::new(),
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    Location::new(path, node.pos.line, node.pos.column),
                    format!("expected a list of CSL items, found {}", node.kind_name()),
                )
                .hint("write each source as an item with at least `id`, `type` and `title`"),
            );
            return Vec::new();
        }
    };
    items
        .into_iter()
        .filter_map(|item| read_item(item, path, diagnostics))
        .collect()
}

fn read_item(node: &Node, path: &str, diagnostics: &mut Diagnostics) -> Option<SourceRecord> {
    let mut fields = Fields::of(node, path, 0, "a source", diagnostics)?;
    let id = fields.required_text("id", "the source's id, e.g. pmid9283123", node.pos)?;
    let id_value = id.value.trim().to_string();
    let mut evidence = EvidenceFields::default();
    let designs = design_names();
    evidence.design = fields.choice("design", &designs).map(|d| d.value);
    evidence.sample_size = fields.count("sample_size").map(|n| n.value);
    evidence.label = fields.text("label").map(|l| l.value);
    evidence.superseded_by = fields
        .text("superseded_by")
        .map(|s| s.value.trim().to_string());
    if let Some(retracted) = fields.node("retracted") {
        evidence.retracted = read_retraction(retracted, &mut fields);
    }
    if let Some(issued) = node.get("issued") {
        check_issued(issued, path, fields.diagnostics);
    }
    let mut csl = serde_json::Map::new();
    let mut annotation_only = true;
    let mut left_out: Vec<&str> = Vec::new();
    for (key, value) in node.as_map().unwrap_or_default() {
        if EVIDENCE_FIELDS.contains(&key.name.as_str()) {
            continue;
        }
        if !plausible_field_name(&key.name) {
            // Debris of a broken file (a pasted abstract as a key) cannot be written back as
            // CSL-YAML, whose keys stop at 1024 characters: it is reported and left out.
            let shown: String = key.name.chars().take(40).collect();
            fields.diagnostics.push(
                Diagnostic::warning(
                    Code::UnknownField,
                    Location::new(path, key.pos.line, key.pos.column),
                    format!("`{shown}…` is not a field name; it is left out"),
                )
                .hint(format!(
                    "CSL field names are short words such as `title` or `container-title` (at most {MAX_FIELD_NAME} characters, on one line); fix the key or delete it"
                )),
            );
            left_out.push(key.name.as_str());
            continue;
        }
        if key.name != "id" {
            annotation_only = false;
        }
        csl.insert(key.name.clone(), value.to_json());
    }
    csl.insert("id".into(), serde_json::Value::String(id_value.clone()));
    // Without `design:`, a genre that names one for sure ("Systematic Review") gives it.
    if evidence.design.is_none() {
        let genre = csl.get("genre").and_then(serde_json::Value::as_str);
        evidence.design = super::design::design_from_types(genre);
    }
    // CSL has hundreds of fields; they are kept as they are, not checked one by one.
    let csl_keys: Vec<String> = csl.keys().cloned().collect();
    fields.skip(&csl_keys.iter().map(String::as_str).collect::<Vec<_>>());
    fields.skip(&left_out);
    fields.finish(EVIDENCE_FIELDS, "a source");
    Some(SourceRecord {
        id: id_value,
        path: path.to_string(),
        pos: node.pos,
        csl,
        evidence,
        annotation_only,
    })
}

/// Warns at an `issued` date that cannot be right: `date-parts` with a year outside
/// [`super::item::YEARS`], a month outside 1 to 16 (13 to 16 are CSL's seasons, as citeproc-js
/// reads them) or a day its month does not have. The record keeps its date as written.
fn check_issued(issued: &Node, path: &str, diagnostics: &mut Diagnostics) {
    let Some(parts) = issued
        .get("date-parts")
        .and_then(Node::as_seq)
        .and_then(|ranges| ranges.first())
        .and_then(Node::as_seq)
    else {
        return;
    };
    let number = |node: &Node| -> Option<i64> {
        match &node.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let numbers: Vec<Option<i64>> = parts.iter().take(3).map(number).collect();
    let (year, month, day) = (
        numbers.first().copied().flatten(),
        numbers.get(1).copied().flatten(),
        numbers.get(2).copied().flatten(),
    );
    let Some(year) = year else { return };
    use super::item::DatePart;
    let problem = if !(i64::from(*super::item::YEARS.start())
        ..=i64::from(*super::item::YEARS.end()))
        .contains(&year)
    {
        Some((
            0,
            DatePart::Year,
            format!(
                "the year {year} is not a possible publication year (four digits, {}–{})",
                super::item::YEARS.start(),
                super::item::YEARS.end()
            ),
        ))
    } else {
        match month {
            Some(m) if !(1..=16).contains(&m) => {
                Some((1, DatePart::Month, format!("month {m} does not exist")))
            }
            Some(m @ 1..=12) => day
                .filter(|&d| {
                    let last = super::item::days_in_month(year as i32, m as u8);
                    d < 1 || d > i64::from(last)
                })
                .map(|d| {
                    let month = super::item::month_name(year as i32, m as u8);
                    (2, DatePart::Day, format!("{month} has no day {d}"))
                }),
            _ => None,
        }
    };
    if let Some((index, _, why)) = problem {
        let at = &parts[index];
        diagnostics.push(
            Diagnostic::warning(
                Code::ImpossibleDate,
                Location::new(path, at.pos.line, at.pos.column),
                format!("impossible date in `issued`: {why}; the record keeps it as written"),
            )
            .width(at.as_text().map_or(1, |t| t.chars().count()))
            .hint("correct the date (`date-parts: [[year, month, day]]`) in the reference manager and export the record again, or fix it in this file"),
        );
    }
}

/// The longest field name kept: CSL's own are under 30 characters.
const MAX_FIELD_NAME: usize = 64;

fn plausible_field_name(name: &str) -> bool {
    name.chars().count() <= MAX_FIELD_NAME && !name.chars().any(char::is_control)
}

fn read_retraction(node: &Node, parent: &mut Fields<'_>) -> Option<Retraction> {
    if let Value::Bool(b) = node.value {
        return b.then_some(Retraction {
            date: None,
            notice: None,
        });
    }
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "`retracted`", parent.diagnostics)?;
    let date = fields.date("date").map(|d| d.value.to_string());
    let notice = fields.text("notice").map(|n| n.value);
    fields.finish(&["date", "notice"], "`retracted`");
    Some(Retraction { date, notice })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_that_is_no_field_name_is_left_out_with_a_warning() {
        let long = "x".repeat(1100);
        let text = format!(
            "[{{\"id\": \"tea\", \"title\": \"Tea\", \"{long}\": \"v\", \"bad\\u0007key\": 1}}]"
        );
        let mut d = Diagnostics::new();
        let records = read_csl_json(&text, "citations/t.json", &mut d);
        let d = d.sorted();
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d.iter()
                .all(|d| d.code == Code::UnknownField && d.message.contains("left out"))
        );
        assert_eq!(records[0].csl.keys().collect::<Vec<_>>(), ["id", "title"]);
    }

    #[test]
    fn reads_csl_json_with_positions() {
        let text = "[\n  {\n    \"id\": \"pmid1\",\n    \"type\": \"article-journal\",\n    \"title\": \"T\",\n    \"issued\": {\"date-parts\": [[1997, 8]]}\n  }\n]\n";
        let mut d = Diagnostics::new();
        let records = read_csl_json(text, "citations/a.json", &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].pos.line, 2);
        assert!(!records[0].annotation_only);
        assert_eq!(records[0].csl["issued"]["date-parts"][0][0], 1997);
    }

    #[test]
    fn annotations_carry_only_evidence() {
        let text =
            "- id: pmid1\n  design: rct\n  sample_size: 50\n- id: pmid2\n  design: anecdote\n";
        let mut d = Diagnostics::new();
        let records = read_csl_yaml(text, "citations/e.yaml", &mut d);
        assert!(records[0].annotation_only);
        assert_eq!(records[0].evidence.sample_size, Some(50));
        let d = d.sorted();
        assert_eq!(
            (d[0].code, d[0].location.line, d[0].location.column),
            (Code::InvalidValue, 5, 11)
        );
    }

    #[test]
    fn impossible_issued_dates_are_warnings_at_the_part() {
        let text = "- {id: a, title: Tea, issued: {date-parts: [[2019, 2, 30]]}}\n- {id: b, title: Cups, issued: {date-parts: [[99999]]}}\n- {id: c, title: Pots, issued: {date-parts: [[2019, 17]]}}\n- {id: d, title: Urns, issued: {date-parts: [[\"2020\", \"2\", \"29\"]]}}\n- {id: e, title: Jugs, issued: {date-parts: [[2019, 13]]}}\n";
        let mut d = Diagnostics::new();
        let r = read_csl_yaml(text, "citations/d.yaml", &mut d);
        let d = d.sorted();
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.line, d.location.column))
            .collect();
        assert_eq!(
            at,
            vec![
                (Code::ImpossibleDate, 1, 55),
                (Code::ImpossibleDate, 2, 47),
                (Code::ImpossibleDate, 3, 53)
            ],
            "{d:?}"
        );
        assert!(
            d[0].message.contains("February 2019 has no day 30"),
            "{}",
            d[0].message
        );
        // The record keeps its date as written.
        assert_eq!(r[0].csl["issued"]["date-parts"][0][2], 30);
    }

    #[test]
    fn csl_json_with_a_byte_order_mark() {
        let text = "\u{feff}[{\"id\": \"tea\", \"title\": \"Tea\"}]";
        let mut d = Diagnostics::new();
        let r = read_csl_json(text, "citations/t.json", &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(r[0].id, "tea");
        assert_eq!((r[0].pos.line, r[0].pos.column), (1, 2));
    }

    #[test]
    fn json_errors_have_positions() {
        let mut d = Diagnostics::new();
        read_csl_json("[\n {\"id\": }\n]", "a.json", &mut d);
        let d = d.sorted();
        assert_eq!((d[0].location.line, d[0].code), (2, Code::MalformedYaml));
    }

    #[test]
    fn a_sure_genre_gives_the_design_unless_one_is_written() {
        let text = "- {id: a, type: article-journal, title: Tea, genre: Systematic Review}\n- {id: b, type: article-journal, title: Kettles, genre: Review}\n- {id: c, type: article-journal, title: Cups, genre: Meta-Analysis, design: rct}\n";
        let mut d = Diagnostics::new();
        let r = read_csl_yaml(text, "citations/g.yaml", &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        let designs: Vec<Option<&str>> = r.iter().map(|r| r.evidence.design.as_deref()).collect();
        assert_eq!(designs, vec![Some("systematic-review"), None, Some("rct")]);
    }
}
