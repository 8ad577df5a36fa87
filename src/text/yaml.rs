//! YAML as a tree of nodes that remember where they were written.
//!
//! Every YAML file of a site (claims, front matter, CSL-YAML, evident.yaml) is parsed here
//! into [`Node`]s, and the model is built from the tree by hand rather than by serde derive:
//! derive stops at the first problem, and an editor wants every problem of a file at its
//! exact line. serde-saphyr stays behind this one module (its duplicate-key errors and its
//! budget against alias bombs are why it was chosen).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned as Located;

/// Where a node starts: 1-based line and column (in characters), and its byte range in the
/// parsed text when the parser knows it (it does for scalars; for maps and lists only the start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line in the parsed text (for front matter: counted from the front matter's
    /// first line, not the file's; see [`Pos::shifted`]).
    pub line: u32,
    /// 1-based column, counted in characters, not bytes.
    pub column: u32,
    /// Byte offset of the node's first character in the parsed text; None when the parser
    /// does not report one.
    pub offset: Option<usize>,
    /// Length in bytes of the node's text as written from `offset` (known for scalars);
    /// 0 when `offset` is None.
    pub len: usize,
}

impl Pos {
    fn from_location(location: serde_saphyr::Location) -> Self {
        let span = location.span();
        let offset = span
            .byte_offset()
            .filter(|&b| b != u64::from(u32::MAX))
            .and_then(|b| usize::try_from(b).ok());
        let len = span
            .byte_len()
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(0);
        Pos {
            line: u32::try_from(location.line()).unwrap_or(u32::MAX),
            column: u32::try_from(location.column()).unwrap_or(u32::MAX),
            offset,
            len: if offset.is_some() { len } else { 0 },
        }
    }

    /// The same place seen from a file in which the parsed text starts `lines` lines down
    /// (front matter after its `---` line).
    pub fn shifted(self, lines: u32) -> Pos {
        Pos {
            line: self.line.saturating_add(lines),
            ..self
        }
    }
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key as text, whatever YAML typed it as (`2025:` gives "2025", a null key "").
    pub name: String,
    /// Where the key is written.
    pub pos: Pos,
}

/// What a node holds, as YAML typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty value, `~` or `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number that fits an `i64`.
    Int(i64),
    /// Any other number, including whole numbers too large for an `i64`.
    Float(f64),
    /// Text (dates such as `2025-10-29` stay text here).
    Str(String),
    /// A list, in the order written.
    Seq(Vec<Node>),
    /// A mapping, its entries in the order written (duplicate keys are refused by [`parse`]).
    Map(Vec<(Key, Node)>),
}

/// One value of a YAML document with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value, with its children for lists and mappings.
    pub value: Value,
    /// Where the value starts.
    pub pos: Pos,
    /// For scalars that YAML typed as numbers or booleans: the text as written, so `0012` or
    /// `1.10` reach the model as the editor typed them when text is expected.
    pub raw: Option<String>,
}

impl Node {
    /// What this node is, in words for a message ("a list", "text").
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The node as text if it is a scalar (numbers and booleans as written).
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(self.raw.clone().unwrap_or_else(|| i.to_string())),
            Value::Float(f) => Some(self.raw.clone().unwrap_or_else(|| f.to_string())),
            Value::Bool(b) => Some(self.raw.clone().unwrap_or_else(|| b.to_string())),
            _ => None,
        }
    }

    /// The entries if the node is a mapping, else None.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items if the node is a list, else None.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` if the node is a mapping holding it (a null value is returned
    /// as a `Null` node, not as None).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// Whether the node is an empty value (`key:` with nothing after it, `~`, `null`).
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The furthest byte this node's text reaches, from the scalars inside it.
    pub fn end_offset(&self) -> Option<usize> {
        let own = self.pos.offset.map(|o| o + self.pos.len);
        let inner = match &self.value {
            Value::Seq(items) => items.iter().filter_map(Node::end_offset).max(),
            Value::Map(entries) => entries
                .iter()
                .flat_map(|(k, v)| [k.pos.offset.map(|o| o + k.pos.len), v.end_offset()])
                .flatten()
                .max(),
            _ => None,
        };
        own.into_iter().chain(inner).max()
    }

    /// The node as plain JSON (for CSL records and fingerprints).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A YAML syntax error (or a refused file: duplicate key, alias bomb) with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong, in words, without the parser's own "line N column M" (never empty).
    pub message: String,
    /// 1-based line in the parsed text (the caller shifts it for front matter).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// How to fix it, when evident recognised the mistake (an indentation error); the caller
    /// adds its own hint about the file's shape after it.
    pub hint: Option<String>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// How many values aliases may replay in one file: what an alias bomb multiplies. Plain
/// values are not counted (a file's size limit bounds them), so any file without aliases
/// loads whatever its number of records; a real file that uses aliases replays a few.
const MAX_REPLAYED_EVENTS: usize = 250_000;

/// How deep lists and mappings may nest. evident's files nest a few levels; the parser and
/// the tree recurse per level, and files are read on worker threads of 2 MB stacks, on which
/// serde-saphyr's default of 64 levels overflowed the stack in a debug build.
const MAX_DEPTH: usize = 32;

/// Parses one YAML document into a node tree.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    // serde-saphyr's budget counts every event and node, replayed or not, with defaults
    // (250,000 nodes) that refuse a plain 2 MB file of 7,600 CSL records as if it were an
    // alias bomb. The counts of plain values are lifted; aliases, anchors and the values
    // they replay keep their limits.
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_events: usize::MAX,
            max_nodes: usize::MAX,
            max_depth: MAX_DEPTH,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
    };
    let spanned: Located<RawValue> =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let error = to_yaml_error(&e);
            match super::indent::problem(text, error.line) {
                Some(p) => YamlError {
                    message: p.message,
                    line: p.line,
                    column: p.column,
                    hint: Some(p.hint),
                },
                None => error,
            }
        })?;
    let mut node = from_spanned(spanned);
    fill_raw(&mut node, text);
    Ok(node)
}

fn to_yaml_error(error: &serde_saphyr::Error) -> YamlError {
    let (line, column) = error
        .location()
        .map(|l| {
            (
                u32::try_from(l.line()).unwrap_or(1),
                u32::try_from(l.column()).unwrap_or(1),
            )
        })
        .unwrap_or((1, 1));
    let full = error.without_snippet().to_string();
    // The crate prefixes "error: line N column M: "; we print the place ourselves.
    let message = full
        .trim_start_matches("error: ")
        .split_once(": ")
        .filter(|(head, _)| head.starts_with("line "))
        .map_or(full.as_str(), |(_, rest)| rest)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let message = without_trailing_place(&message).to_string();
    // The parser's message for a repeated key ends with advice to its programmers (", set
    // DuplicateKeyPolicy in Options if acceptable"); an editor is told what to do instead.
    let message = match message.strip_prefix("duplicate mapping key") {
        Some(rest) => {
            let key = rest
                .trim_start_matches(':')
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or("")
                .trim();
            if key.is_empty() {
                DUPLICATE_KEY.to_string()
            } else {
                format!("`{key}` {DUPLICATE_KEY}")
            }
        }
        None => message,
    };
    // serde-saphyr's budget and alias limits stop alias bombs; say so in words.
    let message = if message.starts_with("budget breached: Depth")
        || message.starts_with("recursion limit exceeded")
    {
        format!("lists and mappings nest more than {MAX_DEPTH} levels deep")
    } else if message.starts_with("budget breached")
        || message.starts_with("alias replay")
        || message.starts_with("alias expansion")
    {
        "file refused: it expands to more values than evident reads (a YAML alias bomb?)"
            .to_string()
    } else {
        message
    };
    YamlError {
        message: if message.is_empty() {
            "invalid YAML".into()
        } else {
            message
        },
        line: line.max(1),
        column: column.max(1),
        hint: None,
    }
}

/// What a repeated key's message says after the key: [`YamlError::is_duplicate_key`] knows
/// it by this.
const DUPLICATE_KEY: &str = "is written twice in this mapping (each key once)";

impl YamlError {
    /// Whether the error is a key written twice in one mapping (which a JSON reader would
    /// take, keeping the last value).
    pub fn is_duplicate_key(&self) -> bool {
        self.message.ends_with(DUPLICATE_KEY)
    }
}

/// The scanner ends some messages with its own " at line N, column M", counted in the text it
/// parsed. For front matter that is not the file's line, and the diagnostic prints the right
/// place anyway, so the suffix is dropped rather than left to contradict it.
fn without_trailing_place(message: &str) -> &str {
    let Some((head, place)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let is_place = place.split_once(", column ").is_some_and(|(line, column)| {
        !line.is_empty()
            && !column.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && column.bytes().all(|b| b.is_ascii_digit())
    });
    if is_place { head } else { message }
}

fn fill_raw(node: &mut Node, text: &str) {
    match &mut node.value {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            if let Some(offset) = node.pos.offset {
                node.raw = text.get(offset..offset + node.pos.len).map(str::to_string);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|n| fill_raw(n, text)),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, n)| fill_raw(n, text)),
        _ => {}
    }
}

/// What serde-saphyr hands us: every value wrapped with its location.
enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Located<RawValue>>),
    Map(Vec<(Located<RawKey>, Located<RawValue>)>),
}

/// Keys are read as text whatever YAML made of them (`2025: x` gives the key "2025").
struct RawKey(String);

fn from_spanned(spanned: Located<RawValue>) -> Node {
    let pos = Pos::from_location(spanned.referenced);
    let value = match spanned.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Int(i) => Value::Int(i),
        RawValue::Float(f) => Value::Float(f),
        RawValue::Str(s) => Value::Str(s),
        RawValue::Seq(items) => Value::Seq(items.into_iter().map(from_spanned).collect()),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.value.0,
                            pos: Pos::from_location(k.referenced),
                        },
                        from_spanned(v),
                    )
                })
                .collect(),
        ),
    };
    Node {
        value,
        pos,
        raw: None,
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Str(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawValue, E> {
                Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RawValue::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key()? {
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(RawValue::Map(entries))
            }
        }
        deserializer.deserialize_any(RawVisitor)
    }
}

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let node = RawValue::deserialize(deserializer)?;
        Ok(RawKey(match node {
            RawValue::Str(s) => s,
            RawValue::Int(i) => i.to_string(),
            RawValue::Float(f) => f.to_string(),
            RawValue::Bool(b) => b.to_string(),
            RawValue::Null => String::new(),
            RawValue::Seq(_) | RawValue::Map(_) => {
                return Err(de::Error::custom("a mapping key must be plain text"));
            }
        }))
    }
}

/// A value read from a file, with the position it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value as read (text trimmed only where the reader says so).
    pub value: T,
    /// Where the value is written, in the text that was parsed.
    pub pos: Pos,
}

impl<T> Spanned<T> {
    /// Pairs a value with its position.
    pub fn new(value: T, pos: Pos) -> Self {
        Spanned { value, pos }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let text = "# comment\nstatement: \"héllo 98%\"\nsources:\n  - id: pmid1\n";
        let node = parse(text).unwrap();
        let statement = node.get("statement").unwrap();
        assert_eq!(statement.as_text().as_deref(), Some("héllo 98%"));
        assert_eq!((statement.pos.line, statement.pos.column), (2, 12));
        let id = node.get("sources").unwrap().as_seq().unwrap()[0]
            .get("id")
            .unwrap();
        assert_eq!((id.pos.line, id.pos.column), (4, 9));
    }

    #[test]
    fn numbers_keep_their_written_text() {
        let node = parse("a: 0012\nb: 1.10\n").unwrap();
        assert_eq!(node.get("a").unwrap().as_text().as_deref(), Some("0012"));
        assert_eq!(node.get("b").unwrap().as_text().as_deref(), Some("1.10"));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert_eq!(
            err.message,
            "`a` is written twice in this mapping (each key once)"
        );
        assert!(err.is_duplicate_key());
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1\nb: 2\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn messages_do_not_repeat_the_parsers_own_place() {
        // The caller shifts the line for front matter; a place left in the message would
        // then contradict the diagnostic's location.
        let err = parse("title: x\ntags: [a, b\nreview: y\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 7));
        assert!(!err.message.contains("line"), "{}", err.message);
        let err = parse("title: \"x\n").unwrap_err();
        assert!(!err.message.contains("line"), "{}", err.message);
        assert_eq!(without_trailing_place("bad at line 3"), "bad at line 3");
        assert_eq!(without_trailing_place("bad at line 3, column 7"), "bad");
    }

    #[test]
    fn alias_bombs_are_refused_by_the_budget() {
        let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(",");
            text.push_str(&format!("{}: &{} [{}]\n", pair[1], pair[1], refs));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    /// Plain values are not counted against the budget: a CSL-YAML file of 7,600 records
    /// (2 MB, no aliases) loads; a real alias bomb stays refused (above).
    #[test]
    fn a_large_file_without_aliases_loads() {
        let mut text = String::new();
        for i in 0..7_600 {
            text.push_str(&format!(
                "- id: tea{i}\n  type: article-journal\n  title: Steeping green tea number {i} in warm cups\n  author:\n    - {{family: Leaf, given: Ada}}\n    - {{family: Pot, given: Ben}}\n  container-title: Journal of Tea Studies\n  issued: {{date-parts: [[2019, 2, 3]]}}\n  volume: '12'\n  page: 1-9\n  DOI: 10.5555/tea.{i}\n  abstract: Cups of tea were steeped for three to five minutes in a warm pot.\n"
            ));
        }
        assert!(text.len() > 2_000_000, "{}", text.len());
        let node = parse(&text).unwrap();
        let items = node.as_seq().unwrap();
        assert_eq!(items.len(), 7_600);
        let last = items[7_599].get("id").unwrap();
        assert_eq!(last.as_text().as_deref(), Some("tea7599"));
        assert_eq!(last.pos.line, 7_599 * 12 + 1);
    }

    /// Runs on the test's thread, whose stack is as small as a worker's.
    #[test]
    fn deep_nesting_is_refused_in_words() {
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        for depth in [MAX_DEPTH + 1, 100, 100_000] {
            let err = parse(&nested(depth)).unwrap_err();
            assert!(err.message.contains("nest"), "{depth}: {}", err.message);
        }
    }

    #[test]
    fn end_offset_covers_nested_values() {
        let text = "review:\n  status: approved\n  history:\n    - by: x\nnext: 1\n";
        let node = parse(text).unwrap();
        let review = node.get("review").unwrap();
        assert_eq!(review.end_offset(), Some(text.find("x\nnext").unwrap() + 1));
    }
}
