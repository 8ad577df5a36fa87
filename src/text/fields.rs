//! Reading typed fields out of a YAML mapping, reporting every problem where it was written:
//! unknown keys (with the closest known one), wrong shapes, values outside their allowed set,
//! impossible dates. Used by every reader of YAML content, so they all speak alike.

use jiff::civil::Date;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::text::yaml::{Key, Node, Pos, Spanned, Value};

/// Reads the fields of one mapping. `line_offset` shifts positions for YAML embedded in a
/// larger file (front matter).
pub struct Fields<'a> {
    path: &'a str,
    line_offset: u32,
    entries: &'a [(Key, Node)],
    seen: Vec<bool>,
    /// Where every problem found while reading is pushed; nested readers borrow it through
    /// here to report into the same list.
    pub diagnostics: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// Starts reading `node` as a mapping; reports and returns None when it is not one.
    pub fn of(
        node: &'a Node,
        path: &'a str,
        line_offset: u32,
        what: &str,
        diagnostics: &'a mut Diagnostics,
    ) -> Option<Fields<'a>> {
        match &node.value {
            Value::Map(entries) => Some(Fields {
                path,
                line_offset,
                entries,
                seen: vec![false; entries.len()],
                diagnostics,
            }),
            _ => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::WrongType,
                        location(path, line_offset, node.pos),
                        format!(
                            "{what} must be a mapping of `key: value` lines, found {}",
                            node.kind_name()
                        ),
                    )
                    .hint(format!("write {what} as `key: value` lines")),
                );
                None
            }
        }
    }

    /// The file being read, as given to [`Fields::of`] (the path diagnostics name), for
    /// nested readers.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The lines to add to a parsed position to get the file's line (0 for a YAML file, 1
    /// for front matter: its opening `---`), for nested readers.
    pub fn line_offset(&self) -> u32 {
        self.line_offset
    }

    /// The file location of a position in the parsed text, `line_offset` applied.
    pub fn location(&self, pos: Pos) -> Location {
        location(self.path, self.line_offset, pos)
    }

    /// Reports a problem found by the caller.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The node under `key`, marking the key as known. A null value counts as absent.
    pub fn node(&mut self, key: &str) -> Option<&'a Node> {
        let index = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.seen[index] = true;
        let node = &self.entries[index].1;
        (!node.is_null()).then_some(node)
    }

    /// The position of `key` itself, if present.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.pos)
    }

    /// Text under `key` (numbers as written). Reports a list or mapping.
    pub fn text(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        self.text_of(node, key)
    }

    /// `node` as text (numbers and booleans as written); reports `wrong-type` naming `key`
    /// and returns None for a list, a mapping or an empty value. Does not mark `key` as known.
    pub fn text_of(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        match node.as_text() {
            Some(text) => Some(Spanned::new(text, node.pos)),
            None => {
                self.wrong_type(
                    node,
                    key,
                    "text",
                    format!("write `{key}: ` followed by the text on one line"),
                );
                None
            }
        }
    }

    /// Reports a value of the wrong shape at its position, saying what was expected.
    fn wrong_type(&mut self, node: &Node, key: &str, expected: &str, hint: String) {
        let loc = self.location(node.pos);
        self.push(
            Diagnostic::error(
                Code::WrongType,
                loc,
                format!("`{key}` must be {expected}, found {}", node.kind_name()),
            )
            .hint(hint),
        );
    }

    /// Required text: reports `missing-field` at the mapping's first key when absent or empty.
    pub fn required_text(&mut self, key: &str, what: &str, at: Pos) -> Option<Spanned<String>> {
        match self.text(key) {
            Some(text) if !text.value.trim().is_empty() => Some(text),
            Some(text) => {
                let loc = self.location(text.pos);
                self.push(
                    Diagnostic::error(Code::MissingField, loc, format!("`{key}` is empty"))
                        .hint(format!("write {what}")),
                );
                None
            }
            None => {
                if self.node(key).is_none() {
                    let pos = self.key_pos(key).unwrap_or(at);
                    let loc = self.location(pos);
                    self.push(
                        Diagnostic::error(Code::MissingField, loc, format!("missing `{key}`"))
                            .hint(format!("add `{key}:` with {what}")),
                    );
                }
                None
            }
        }
    }

    /// One of `allowed` (kebab-case words), else `invalid-value` listing them.
    pub fn choice(&mut self, key: &str, allowed: &[&str]) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        self.choice_of(node, key, allowed)
    }

    /// [`Fields::choice`] for a node already taken (`key` names it in the message).
    pub fn choice_of(
        &mut self,
        node: &Node,
        key: &str,
        allowed: &[&str],
    ) -> Option<Spanned<String>> {
        let text = self.text_of(node, key)?;
        if allowed.contains(&text.value.as_str()) {
            return Some(text);
        }
        let loc = self.location(text.pos);
        let mut diagnostic = Diagnostic::error(
            Code::InvalidValue,
            loc,
            format!("`{}` is not a valid {key}", text.value),
        )
        .width(text.value.chars().count())
        .hint(format!("allowed: {}", allowed.join(", ")));
        if let Some(close) = closest(&text.value, allowed.iter().copied()) {
            diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
        }
        self.push(diagnostic);
        None
    }

    /// A YYYY-MM-DD date.
    pub fn date(&mut self, key: &str) -> Option<Spanned<Date>> {
        let node = self.node(key)?;
        let text = self.text_of(node, key)?;
        match parse_date(&text.value) {
            Ok(date) => Some(Spanned::new(date, text.pos)),
            Err(why) => {
                let loc = self.location(text.pos);
                self.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        loc,
                        format!("`{}` is not a valid date: {why}", text.value),
                    )
                    .width(text.value.chars().count())
                    .hint("write dates as YYYY-MM-DD, e.g. 2025-10-29"),
                );
                None
            }
        }
    }

    /// A list under `key` (a single scalar is not promoted: lists are written as lists).
    pub fn list(&mut self, key: &str) -> Option<&'a [Node]> {
        let node = self.node(key)?;
        match node.as_seq() {
            Some(items) => Some(items),
            None => {
                self.wrong_type(
                    node,
                    key,
                    "a list",
                    format!("write `{key}:` followed by `- item` lines, or `[a, b]`"),
                );
                None
            }
        }
    }

    /// A list of texts (tags).
    pub fn text_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(items) = self.list(key) else {
            return Vec::new();
        };
        items.iter().filter_map(|n| self.text_of(n, key)).collect()
    }

    /// A non-negative whole number.
    pub fn count(&mut self, key: &str) -> Option<Spanned<u64>> {
        let node = self.node(key)?;
        match &node.value {
            Value::Int(i) if *i >= 0 => Some(Spanned::new(i.unsigned_abs(), node.pos)),
            Value::Str(s) if s.trim().parse::<u64>().is_ok() => {
                s.trim().parse().ok().map(|n| Spanned::new(n, node.pos))
            }
            _ => {
                self.wrong_type(node, key, "a whole number", format!("write `{key}: 50`"));
                None
            }
        }
    }

    /// A YAML boolean under `key` (text such as `"true"` is not accepted); reports
    /// `wrong-type` otherwise.
    pub fn boolean(&mut self, key: &str) -> Option<Spanned<bool>> {
        let node = self.node(key)?;
        match &node.value {
            Value::Bool(b) => Some(Spanned::new(*b, node.pos)),
            _ => {
                self.wrong_type(
                    node,
                    key,
                    "true or false",
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// Marks keys as known without reading them (read elsewhere).
    pub fn skip(&mut self, keys: &[&str]) {
        for key in keys {
            let _ = self.node(key);
        }
    }

    /// Reports every key that was never asked for, with the closest known key as a hint.
    pub fn finish(self, known: &[&str], what: &str) {
        for ((key, _), seen) in self.entries.iter().zip(&self.seen) {
            if *seen {
                continue;
            }
            let mut diagnostic = Diagnostic::error(
                Code::UnknownField,
                location(self.path, self.line_offset, key.pos),
                format!("unknown field `{}` in {what}", key.name),
            )
            .width(key.name.chars().count());
            diagnostic = match closest(&key.name, known.iter().copied()) {
                Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
                None => diagnostic.hint(format!("known fields: {}", known.join(", "))),
            };
            self.diagnostics.push(diagnostic);
        }
    }
}

/// The location in file `path` of a position parsed from YAML that starts `line_offset`
/// lines into the file.
pub fn location(path: &str, line_offset: u32, pos: Pos) -> Location {
    Location::new(path, pos.line.saturating_add(line_offset), pos.column)
}

/// The file position of a piece of a text value (its byte range `start..start + needle.len()`
/// in `value.value`), found in the value as written in the file: quoted and folded scalars
/// shift columns, so the piece is located in the raw text. Falls back to the value's start.
pub fn position_in_value(
    file: Option<&str>,
    value: &Spanned<String>,
    start: usize,
    needle: &str,
) -> (u32, u32) {
    let fallback = (value.pos.line, value.pos.column);
    let (Some(file), Some(offset)) = (file, value.pos.offset) else {
        return fallback;
    };
    let Some(raw) = file.get(offset..offset + value.pos.len) else {
        return fallback;
    };
    let Some(before) = value.value.get(..start) else {
        return fallback;
    };
    // Which occurrence of the piece in the value is meant?
    let nth = before.matches(needle).count();
    match raw.match_indices(needle).nth(nth) {
        Some((at, _)) => crate::text::line_column(file, offset + at),
        None => fallback,
    }
}

/// The most similar candidate, if similar enough to be a likely typo.
pub fn closest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Parses a strict YYYY-MM-DD date, saying why when it is not one.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err("expected YYYY-MM-DD".into());
    }
    text.parse::<Date>()
        .map_err(|_| "no such day in the calendar".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::yaml;

    #[test]
    fn reports_unknown_fields_with_a_suggestion() {
        let node = yaml::parse("statment: x\nkind: finding\n").unwrap();
        let mut diagnostics = Diagnostics::new();
        let mut fields = Fields::of(&node, "c.yaml", 0, "a claim", &mut diagnostics).unwrap();
        let _ = fields.text("kind");
        fields.finish(&["statement", "kind"], "a claim");
        let d = diagnostics.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::UnknownField);
        assert_eq!(d[0].location.to_string(), "c.yaml:1:1");
        assert_eq!(d[0].hints, vec!["did you mean `statement`?"]);
    }

    #[test]
    fn lists_the_allowed_values() {
        let node = yaml::parse("kind: findng\n").unwrap();
        let mut diagnostics = Diagnostics::new();
        let mut fields = Fields::of(&node, "c.yaml", 3, "a claim", &mut diagnostics).unwrap();
        assert!(fields.choice("kind", &["finding", "definition"]).is_none());
        let d = diagnostics.sorted();
        assert_eq!(d[0].location.to_string(), "c.yaml:4:7");
        assert_eq!(d[0].hints[0], "allowed: finding, definition");
        assert_eq!(d[0].hints[1], "did you mean `finding`?");
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2025-10-01").is_ok());
        assert_eq!(
            parse_date("2025-02-30").unwrap_err(),
            "no such day in the calendar"
        );
        assert!(parse_date("2025-1-01").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("２０２５-10-01").is_err());
    }
}
