//! Control characters in content (BEL, ESC, form feed, the C1 range…): invisible, meaningless on
//! a web page or on paper, refused by YAML when written raw, and a PDF cannot show them. They
//! come with text pasted from a PDF, a terminal or an old export.
//!
//! evident reports each one where it is written and builds as if it were a space: the readers
//! are given the file with every control character blanked to spaces of the same byte length
//! ([`blanked`]), so every other position in the file (diagnostics, the byte ranges edits use)
//! stays what it is in the file as written. A control character that a YAML escape writes
//! (`"\a"`) is left out of the value ([`strip`]).

use std::borrow::Cow;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::text::yaml::{Node, Pos, Value};

/// At most this many control characters of one file are reported one by one; a file with more
/// (a binary pasted into an export) gets one more diagnostic saying how many there are.
const REPORTED_PER_FILE: usize = 10;

/// Whether `c` is a control character evident does not carry: U+0000–U+001F except tab, line
/// feed and carriage return, U+007F (DEL) and the C1 controls U+0080–U+009F.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The control characters of `text` with their byte offsets, in order.
pub fn find(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices().filter(|(_, c)| is_control(*c))
}

/// `text` with every control character replaced by as many spaces as it has bytes (one for
/// U+0000–U+007F, two for the C1 range), so byte offsets into it are offsets into `text`.
pub fn blanked(text: &str) -> Cow<'_, str> {
    if find(text).next().is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_control(c) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` without its control characters.
pub fn strip(text: &str) -> Cow<'_, str> {
    if find(text).next().is_none() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| !is_control(*c)).collect())
    }
}

/// A control character as a message names it: `U+0007 (BEL)`.
pub fn describe(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
        "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
        "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let code = u32::from(c);
    let name = match code {
        0..=31 => C0[code as usize],
        0x7f => "DEL",
        0x85 => "NEL",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{code:04X}")
    } else {
        format!("U+{code:04X} ({name})")
    }
}

/// Reports every control character written in the file `path` (its text as read) at its line
/// and column: a warning, the file is read with it blanked ([`blanked`]).
pub fn report_written(text: &str, path: &str, diagnostics: &mut Diagnostics) {
    let mut found = find(text);
    for (offset, c) in found.by_ref().take(REPORTED_PER_FILE) {
        let (line, column) = crate::text::line_column(text, offset);
        diagnostics.push(warning(Location::new(path, line, column), c));
    }
    let more = found.count();
    if more > 0 {
        diagnostics.push(
            Diagnostic::warning(
                Code::ControlCharacter,
                Location::file(path),
                format!("{more} more control characters are in this file"),
            )
            .hint("the file may not be text: open it in an editor that shows invisible characters"),
        );
    }
}

/// Leaves the control characters that YAML escapes wrote (`"\a"`, `"\x1b"`) out of every
/// text value and key of `node`, reporting each value at its position (`line_offset` shifts it
/// for front matter).
pub fn take_escaped(node: &mut Node, path: &str, line_offset: u32, diagnostics: &mut Diagnostics) {
    let mut found: Vec<(Pos, char)> = Vec::new();
    take(node, &mut found);
    for (pos, c) in found {
        let at = crate::text::fields::location(path, line_offset, pos);
        diagnostics.push(warning(at, c));
    }
}

fn take(node: &mut Node, found: &mut Vec<(Pos, char)>) {
    let pos = node.pos;
    match &mut node.value {
        Value::Str(s) => take_from(s, pos, found),
        Value::Seq(items) => items.iter_mut().for_each(|n| take(n, found)),
        Value::Map(entries) => {
            for (key, value) in entries {
                take_from(&mut key.name, key.pos, found);
                take(value, found);
            }
        }
        _ => {}
    }
}

fn take_from(text: &mut String, pos: Pos, found: &mut Vec<(Pos, char)>) {
    let first = find(text).next();
    if let Some((_, c)) = first {
        found.push((pos, c));
        *text = strip(text).into_owned();
    }
}

fn warning(at: Location, c: char) -> Diagnostic {
    Diagnostic::warning(
        Code::ControlCharacter,
        at,
        format!(
            "the control character {} is in the text; it is invisible and is left out of what evident builds",
            describe(c)
        ),
    )
    .hint("delete it: it usually comes with text pasted from a PDF, a terminal or an old export (an editor that shows invisible characters finds it)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_line_ends_are_not_controls() {
        assert!(!is_control('\t') && !is_control('\n') && !is_control('\r'));
        assert!(is_control('\u{7}') && is_control('\u{1b}') && is_control('\u{0}'));
        assert!(is_control('\u{7f}') && is_control('\u{85}') && is_control('\u{9f}'));
        assert!(!is_control('\u{a0}') && !is_control('é') && !is_control('茶'));
    }

    #[test]
    fn blanking_keeps_byte_offsets() {
        let text = "tea\u{7}: cup\u{85}s\n";
        let blank = blanked(text);
        assert_eq!(blank, "tea : cup  s\n");
        assert_eq!(blank.len(), text.len());
        assert!(matches!(blanked("plain"), Cow::Borrowed(_)));
        assert_eq!(
            find(text).collect::<Vec<_>>(),
            [(3, '\u{7}'), (9, '\u{85}')]
        );
    }

    #[test]
    fn stripping_and_names() {
        assert_eq!(strip("a\u{1b}[1mb"), "a[1mb");
        assert_eq!(describe('\u{7}'), "U+0007 (BEL)");
        assert_eq!(describe('\u{1b}'), "U+001B (ESC)");
        assert_eq!(describe('\u{90}'), "U+0090");
    }
}
