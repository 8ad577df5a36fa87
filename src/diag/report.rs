//! Showing diagnostics: rustc-like text for people, one JSON object per line for tools, and
//! GitHub Actions annotations for CI.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diag::lines::LineIndex;
use crate::diag::{Diagnostic, Severity};

/// How [`render`] shows diagnostics (the `--format` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `human`: rustc-like blocks with the offending line, a caret, hints and notes.
    Human,
    /// `json`: one JSON object per line (see [`json`]).
    Json,
    /// `github`: GitHub Actions `::error`/`::warning` workflow commands, hints folded into
    /// the message.
    Github,
}

/// Renders sorted diagnostics. `texts` holds each file's text (to show the offending line).
/// Each file's lines are indexed once, so printing n diagnostics costs n lookups, not n scans
/// of the file from its start.
pub fn render(
    diagnostics: &[Diagnostic],
    format: Format,
    texts: &BTreeMap<String, String>,
    color: bool,
) -> String {
    let mut out = String::new();
    let mut indexes: BTreeMap<&str, LineIndex<'_>> = BTreeMap::new();
    for d in diagnostics {
        match format {
            Format::Human => {
                let line = texts
                    .get_key_value(&d.location.path)
                    .and_then(|(path, text)| {
                        indexes
                            .entry(path.as_str())
                            .or_insert_with(|| LineIndex::new(text))
                            .line(d.location.line)
                    });
                human(d, line, color, &mut out);
            }
            Format::Json => {
                out.push_str(&json(d).to_string());
                out.push('\n');
            }
            Format::Github => github(d, &mut out),
        }
    }
    out
}

/// One diagnostic as the JSON object of `--format json`: `severity`, `code`, `path`, `line`,
/// `column`, `message`, `hint` (the hints joined by newlines, null when there are none) and
/// `related` (a list of `path`, `line`, `column`, `message`).
pub fn json(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "severity": d.severity,
        "code": d.code.as_str(),
        "path": d.location.path,
        "line": d.location.line,
        "column": d.location.column,
        "message": d.message,
        "hint": if d.hints.is_empty() { serde_json::Value::Null } else { d.hints.join("\n").into() },
        "related": d.related.iter().map(|r| serde_json::json!({
            "path": r.location.path, "line": r.location.line, "column": r.location.column, "message": r.message,
        })).collect::<Vec<_>>(),
    })
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The widest line shown whole; a longer one (a minified export, a 10 MB line) is shown as an
/// excerpt of this many characters around the column, cut ends marked with `…`.
const MAX_SHOWN_CHARS: usize = 240;

/// How many characters of a long line are shown before the column.
const CONTEXT_BEFORE: usize = 80;

/// The part of `line` shown for a diagnostic at 0-based character `column`, tabs as spaces,
/// the caret's 0-based column in it and how many of the line's characters it shows from the
/// caret on (at least 1, so a caret is always drawn). Costs the characters up to the window's end, not the
/// line's length.
fn excerpt(line: &str, column: usize) -> (String, usize, usize) {
    // A control character is shown as its picture (␇ for BEL): printed as it is, an ESC
    // would drive the terminal.
    let tabs_as_spaces = |text: &str| -> String {
        text.chars()
            .map(|c| match c {
                '\t' => ' ',
                c => control_picture(c).unwrap_or(c),
            })
            .collect()
    };
    if line.chars().nth(MAX_SHOWN_CHARS).is_none() {
        let shown = tabs_as_spaces(line);
        let available = shown.chars().count().saturating_sub(column).max(1);
        return (shown, column, available);
    }
    let mut start = column.saturating_sub(CONTEXT_BEFORE);
    let window = |start: usize| -> (usize, usize, bool) {
        let mut chars = line.char_indices().skip(start);
        let from = chars.next().map_or(line.len(), |(i, _)| i);
        let mut chars = line[from..].char_indices();
        let to = chars
            .nth(MAX_SHOWN_CHARS)
            .map_or(line.len(), |(i, _)| from + i);
        (from, to, to < line.len())
    };
    let (mut from, mut to, mut cut_end) = window(start);
    let mut shown_chars = line[from..to].chars().count();
    if shown_chars < MAX_SHOWN_CHARS {
        // Near or past the end: show the line's last characters.
        let total = if from == line.len() {
            line.chars().count()
        } else {
            start + shown_chars
        };
        start = total.saturating_sub(MAX_SHOWN_CHARS);
        (from, to, cut_end) = window(start);
        shown_chars = line[from..to].chars().count();
    }
    let mut shown = String::new();
    let mut caret = column.saturating_sub(start).min(shown_chars);
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.push_str(&tabs_as_spaces(&line[from..to]));
    let available = shown.chars().count().saturating_sub(caret).max(1);
    if cut_end {
        shown.push('…');
    }
    (shown, caret, available)
}

fn human(d: &Diagnostic, line_text: Option<&str>, color: bool, out: &mut String) {
    let p = Paint { on: color };
    let (label, tint) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let _ = writeln!(
        out,
        "{}{} {}",
        p.wrap(tint, &format!("{label}[{}]", d.code)),
        p.wrap("1", ":"),
        p.wrap("1", &d.message)
    );
    let gutter = d.location.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}{} {}", p.wrap("1;34", "-->"), d.location);
    if let Some(text) = line_text {
        let text = text.trim_end_matches('\r');
        let column = (d.location.column.saturating_sub(1)) as usize;
        let (shown, col, available) = excerpt(text, column);
        let width = (d.width as usize).clamp(1, available);
        let _ = writeln!(out, "{pad} {}", p.wrap("1;34", "|"));
        let _ = writeln!(
            out,
            "{} {} {}",
            p.wrap("1;34", &d.location.line.to_string()),
            p.wrap("1;34", "|"),
            shown
        );
        let _ = writeln!(
            out,
            "{pad} {} {}{}",
            p.wrap("1;34", "|"),
            " ".repeat(col),
            p.wrap(tint, &"^".repeat(width))
        );
    }
    for hint in &d.hints {
        let _ = writeln!(
            out,
            "{pad} {} {}",
            p.wrap("1;34", "="),
            format_args!("{} {hint}", p.wrap("1", "hint:"))
        );
    }
    for related in &d.related {
        let _ = writeln!(
            out,
            "{pad} {} {} {}: {}",
            p.wrap("1;34", "="),
            p.wrap("1", "note:"),
            related.location,
            related.message
        );
    }
    out.push('\n');
}

/// `::error file=…,line=…,col=…,title=…::message` (GitHub's workflow command escaping).
fn github(d: &Diagnostic, out: &mut String) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    for hint in &d.hints {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    let _ = writeln!(
        out,
        "::{level} file={},line={},col={},title={}::{}",
        workflow_command_property(&d.location.path),
        d.location.line,
        d.location.column,
        workflow_command_property(d.code.as_str()),
        workflow_command_data(&message)
    );
}

/// The message of a GitHub Actions workflow command (`::error …::message`).
fn workflow_command_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property of a GitHub Actions workflow command (`file=`, `title=`): also `:` and `,`.
fn workflow_command_property(text: &str) -> String {
    workflow_command_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// The visible stand-in of a control character in a printed line: its Unicode control
/// picture (␇ for BEL, ␡ for DEL), `�` for the C1 range, which has none; None for any other
/// character (tab and line ends are not shown through here).
fn control_picture(c: char) -> Option<char> {
    match u32::from(c) {
        code @ 0..=31 => char::from_u32(0x2400 + code),
        0x7f => Some('\u{2421}'),
        0x80..=0x9f => Some('\u{fffd}'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Location};

    fn sample() -> Diagnostic {
        Diagnostic::error(
            Code::UnknownSource,
            Location::new("content/c.yaml", 2, 9),
            "unknown source `pmid1`",
        )
        .width(5)
        .hint("did you mean `pmid2`?")
        .related(Location::new("citations/a.yaml", 1, 3), "similar id here")
    }

    #[test]
    fn human_shows_the_line_and_a_caret() {
        let texts = BTreeMap::from([(
            "content/c.yaml".to_string(),
            "sources:\n  - id: pmid1\n".to_string(),
        )]);
        let text = render(&[sample()], Format::Human, &texts, false);
        assert_eq!(
            text,
            "error[unknown-source]: unknown source `pmid1`\n --> content/c.yaml:2:9\n  |\n2 |   - id: pmid1\n  |         ^^^^^\n  = hint: did you mean `pmid2`?\n  = note: citations/a.yaml:1:3: similar id here\n\n"
        );
    }

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_around_the_column() {
        let line = format!("{}ERROR{}", "a".repeat(10_000), "b".repeat(10_000));
        let (shown, caret, available) = excerpt(&line, 10_000);
        assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(
            shown.chars().skip(caret).take(5).collect::<String>(),
            "ERROR"
        );
        assert_eq!(available, MAX_SHOWN_CHARS - CONTEXT_BEFORE);
        // Near the start: no cut before; near or past the end: the line's last characters.
        let (shown, caret, _) = excerpt(&line, 3);
        assert!(shown.starts_with("aaa") && shown.ends_with('…'));
        assert_eq!(caret, 3);
        let (shown, caret, available) = excerpt(&line, 30_000);
        assert!(shown.starts_with('…') && shown.ends_with('b'), "{shown}");
        assert_eq!((caret, available), (shown.chars().count(), 1));
        let (shown, caret, available) = excerpt("\tshort", 1);
        assert_eq!((shown.as_str(), caret, available), (" short", 1, 5));
    }

    #[test]
    fn each_of_many_diagnostics_shows_its_own_line() {
        let text: String = (1..=3_000).map(|i| format!("line {i}\n")).collect();
        let texts = BTreeMap::from([("a.yaml".to_string(), text)]);
        let diagnostics: Vec<Diagnostic> = (1..=3_000)
            .map(|i| {
                Diagnostic::error(
                    Code::UnknownSource,
                    Location::new("a.yaml", i, 6),
                    "unknown",
                )
            })
            .collect();
        let out = render(&diagnostics, Format::Human, &texts, false);
        assert!(out.contains("\n2999 | line 2999\n"));
        assert!(
            out.ends_with("3000 | line 3000\n     |      ^\n\n"),
            "{}",
            &out[out.len() - 200..]
        );
    }

    #[test]
    fn json_has_the_documented_keys() {
        let line = render(&[sample()], Format::Json, &BTreeMap::new(), false);
        let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "unknown-source");
        assert_eq!(v["line"], 2);
        assert_eq!(v["hint"], "did you mean `pmid2`?");
        assert_eq!(v["related"][0]["path"], "citations/a.yaml");
    }

    #[test]
    fn github_annotations_escape_newlines() {
        let text = render(&[sample()], Format::Github, &BTreeMap::new(), false);
        assert_eq!(
            text,
            "::error file=content/c.yaml,line=2,col=9,title=unknown-source::unknown source `pmid1`%0Ahint: did you mean `pmid2`?\n"
        );
    }

    #[test]
    fn workflow_command_values_escape_their_delimiters() {
        assert_eq!(workflow_command_data("50%\r\nx:y,z"), "50%25%0D%0Ax:y,z");
        assert_eq!(
            workflow_command_property("50%\r\nx:y,z"),
            "50%25%0D%0Ax%3Ay%2Cz"
        );
    }
}
