//! Why a YAML text the parser refused is wrongly indented, in words: a tab in the indentation,
//! a key or list item indented differently from its siblings, a key indented under a line that
//! opens no block. The parser's own messages ("mapping values are not allowed in this
//! context") name its grammar, not the editor's mistake.
//!
//! This is a heuristic over the lines, used only once the parser has refused the text: it
//! follows the indentation of the block lines (skipping blank lines, comments, block scalars'
//! text and plain-text continuation lines) and reports the first line, up to the one after
//! the line the parser stopped at, that no block of the lines above can hold.

/// An indentation mistake: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: u32,
    /// 1-based column of the line's first character that is not indentation.
    pub column: u32,
    /// What is wrong, in words.
    pub message: String,
    /// How to indent it.
    pub hint: String,
}

/// The first indentation mistake of `text` up to the line after `stopped_at` (where the
/// parser reported its error), if one is recognised.
pub fn problem(text: &str, stopped_at: u32) -> Option<Problem> {
    // The indentations of the blocks open at the current line, innermost last.
    let mut levels: Vec<usize> = Vec::new();
    // The line before opened a block (`key:` with no value, or a bare `-`).
    let mut opens = true;
    // Inside a block scalar (`|`, `>`) whose key is at this indentation.
    let mut scalar_of: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let number = u32::try_from(n + 1).unwrap_or(u32::MAX);
        // The parser may stop at the end of the line before the mistake.
        if number > stopped_at.saturating_add(1) {
            break;
        }
        let content = line.trim_start_matches([' ', '\t']);
        let lead = &line[..line.len() - content.len()];
        let indent = lead.chars().count();
        if content.is_empty() {
            continue;
        }
        if let Some(parent) = scalar_of {
            if indent > parent {
                continue;
            }
            scalar_of = None;
        }
        if content.starts_with('#') || content.starts_with("---") || content.starts_with("...") {
            continue;
        }
        let at = |column: usize| u32::try_from(column + 1).unwrap_or(u32::MAX);
        if let Some(tab) = lead.find('\t') {
            return Some(Problem {
                line: number,
                column: at(lead[..tab].chars().count()),
                message: format!("line {number} is indented with a tab; YAML indents with spaces only"),
                hint: "replace the tab with spaces (most editors: insert spaces for Tab in YAML files)".into(),
            });
        }
        let what = name_of(content);
        while levels.last().is_some_and(|&l| l > indent) {
            let closed = levels.pop().unwrap_or(0);
            if levels.last().is_none_or(|&l| l < indent) {
                // Between two levels: neither a sibling of the lines above nor of their parent.
                let Some(what) = what else {
                    break;
                };
                let outer = levels.last().copied().unwrap_or(0);
                return Some(Problem {
                    line: number,
                    column: at(indent),
                    message: format!(
                        "{what} is indented by {}, which matches neither the lines above it ({}) nor the block around them ({}); YAML reads which block a line belongs to from its indentation",
                        spaces(indent),
                        spaces(closed),
                        spaces(outer),
                    ),
                    hint: format!(
                        "{} to keep it with the lines above, or {} to end their block",
                        indent_by(closed),
                        indent_by(outer)
                    ),
                });
            }
        }
        match levels.last() {
            Some(&l) if l == indent => {}
            _ if opens || levels.is_empty() => levels.push(indent),
            Some(&l) => match what {
                // More indented than a line with a value: a plain-text continuation, unless it
                // is a key or a list item.
                Some(what) => {
                    return Some(Problem {
                        line: number,
                        column: at(indent),
                        message: format!(
                            "{what} is indented more than the line above, which already has a value: only a key ending in `:` opens a block"
                        ),
                        hint: format!(
                            "{} like the lines beside it, or, if the line above should hold it, end that line's key with `:` and move its value down",
                            indent_by(l)
                        ),
                    });
                }
                None => continue,
            },
            None => levels.push(indent),
        }
        // What this line opens: a list item holds a block at its content's indentation.
        let mut rest = content;
        let mut inner = indent;
        while let Some(after) = rest
            .strip_prefix('-')
            .filter(|a| a.is_empty() || a.starts_with(' '))
        {
            let trimmed = after.trim_start_matches(' ');
            inner += 1 + after.len() - trimmed.len();
            rest = trimmed;
            if rest.is_empty() {
                break;
            }
            levels.push(inner);
        }
        let value = value_of(rest);
        opens = rest.is_empty() || value.is_some_and(str::is_empty);
        if value.is_some_and(|v| v.starts_with(['|', '>'])) {
            scalar_of = Some(inner);
        }
    }
    None
}

/// "`key`" for a `key: …` line, "the list item" for a `- …` line, None for plain text.
fn name_of(content: &str) -> Option<String> {
    if content == "-" || content.starts_with("- ") {
        return Some("the list item".into());
    }
    value_of(content)?;
    let key = content.split(':').next()?.trim();
    Some(format!("`{}`", key.trim_matches(['"', '\''])))
}

/// The value after a block key (`key: value` or `key:`), trimmed and without a comment; None
/// when the line is not a key (plain text, a flow collection, a quoted scalar).
fn value_of(content: &str) -> Option<&str> {
    if content.starts_with(['"', '\'', '[', '{', '&', '*', '!', '|', '>']) {
        return None;
    }
    let colon = content
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| content[i + 1..].is_empty() || content[i + 1..].starts_with([' ', '\t']))?;
    let key = &content[..colon];
    if key.is_empty() || key.contains(" #") {
        return None;
    }
    let value = content[colon + 1..].trim();
    let value = match value.find(" #") {
        Some(i) => value[..i].trim_end(),
        None if value.starts_with('#') => "",
        None => value,
    };
    Some(value)
}

/// "no spaces", "1 space", "4 spaces".
fn spaces(n: usize) -> String {
    match n {
        0 => "no spaces".into(),
        1 => "1 space".into(),
        n => format!("{n} spaces"),
    }
}

/// "indent it by 4 spaces", or "remove its indentation" for none.
fn indent_by(n: usize) -> String {
    match n {
        0 => "remove its indentation".into(),
        n => format!("indent it by {}", spaces(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(u32, u32, String)> {
        problem(text, u32::MAX).map(|p| (p.line, p.column, p.message))
    }

    #[test]
    fn a_key_between_two_levels() {
        let text = "colour: red\nparts:\n  - name: wheel\n   size: 3\n";
        let (line, column, message) = found(text).unwrap();
        assert_eq!((line, column), (4, 4));
        assert_eq!(
            message,
            "`size` is indented by 3 spaces, which matches neither the lines above it (4 spaces) nor the block around them (2 spaces); YAML reads which block a line belongs to from its indentation"
        );
    }

    #[test]
    fn an_under_indented_list_item() {
        let text = "tags:\n  - red\n  - blue\n - green\n";
        let (line, column, message) = found(text).unwrap();
        assert_eq!((line, column), (4, 2));
        assert!(message.starts_with("the list item is indented by 1 space, which matches neither the lines above it (2 spaces) nor the block around them (no spaces)"), "{message}");
    }

    #[test]
    fn a_key_indented_under_a_line_with_a_value() {
        let text = "statement: Kites fly.\n  kind: finding\n";
        let (line, column, message) = found(text).unwrap();
        assert_eq!((line, column), (2, 3));
        assert!(
            message.starts_with("`kind` is indented more than the line above"),
            "{message}"
        );
    }

    #[test]
    fn a_tab() {
        let text = "parts:\n\t- wheel\n";
        assert_eq!(found(text).unwrap().0, 2);
        assert!(found(text).unwrap().2.contains("tab"));
    }

    #[test]
    fn valid_shapes_are_not_flagged() {
        for text in [
            "a: 1\nb:\n  c: 2\n  d:\n    - x\n    - y: 1\n      z: 2\ne: 3\n",
            "statement: A long line\n  that goes on.\nkind: finding\n",
            "note: |\n  text\n     indented oddly\n\tand a tab\nnext: 1\n",
            "list:\n- a\n- b\nother: 2\n",
            "# comment\n\nkey: value # comment\n  # indented comment\nk2: v\n",
            "- id: a\n  title: T\n- id: b\n  author:\n    - {family: F}\n",
            "url: http://example.org/a:b\nx: 1\n",
        ] {
            assert_eq!(found(text), None, "{text}");
        }
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            "-",
            "- -",
            "\t",
            ":",
            "a:\n\t",
            " - - x\n-\n",
            "é: ü\n  ö: 1\n",
            "-\t-",
        ] {
            let _ = problem(text, u32::MAX);
        }
    }
}
