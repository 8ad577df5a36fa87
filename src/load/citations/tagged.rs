//! Tagged-line exports (RIS, MEDLINE): lines into records of `(tag, value)` fields, each
//! record with the line it starts on.
//!
//! Both formats write one field per line, `TAG - value`, and let a long value run on over
//! the following lines. They differ in three things, which a [`Shape`] names:
//!
//! - the tag: RIS has two characters and any spaces before the hyphen, MEDLINE up to four
//!   left-justified in four columns;
//! - a continuation: in RIS any line that is not a field, in MEDLINE an indented one;
//! - where records end: RIS opens one at `TY` and closes it at `ER` (blank lines mean
//!   nothing), MEDLINE opens one at its first field and closes it at a blank line.
//!
//! Lines are split at `\n`, a trailing `\r` and a leading byte-order mark are dropped, and a
//! continuation joins its field with one space. Lines that fit nowhere are returned as
//! [`Stray`]s, for the format to report in its own words.

/// One field, its value with the continuations joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub tag: String,
    pub value: String,
    /// The 1-based line the field starts on (its continuations follow).
    pub line: usize,
    /// The 1-based column (in characters) its value starts at on that line.
    pub column: usize,
}

/// One record, with where its first line starts (1-based line, byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub offset: usize,
    pub fields: Vec<Field>,
}

/// A line that belongs to no record's field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stray<'a> {
    /// A field line where no record is open (RIS: before `TY` or after `ER`).
    FieldOutsideRecord { line: usize, tag: &'a str },
    /// A continuation with no field before it to continue; `text` without its line ending.
    Continuation { line: usize, text: &'a str },
    /// A line that is neither a field nor a continuation.
    NotAField { line: usize, text: &'a str },
}

/// Where a format's records begin and end.
#[derive(Debug, Clone, Copy)]
pub enum Boundaries {
    /// A record opens at the field `open` (a second `open` closes the one before) and closes
    /// at the field `close`, which is not kept; blank lines are nothing.
    Tags {
        open: &'static str,
        close: &'static str,
    },
    /// A record opens at its first field and closes at a blank line.
    BlankLines,
}

/// What tells one tagged format's lines apart.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Splits a field line into its tag and its value (trimmed at the end); None for a line
    /// that is not a field.
    pub field: fn(&str) -> Option<(&str, &str)>,
    /// Whether a line that is not a field continues the field before it.
    pub continues: fn(&str) -> bool,
    pub boundaries: Boundaries,
}

/// Every record of `text`, in order, and the lines that fit none, in order.
pub fn read<'a>(text: &'a str, shape: &Shape) -> (Vec<Record>, Vec<Stray<'a>>) {
    let mut records = Vec::new();
    let mut strays = Vec::new();
    let mut current: Option<Record> = None;
    let mut offset = 0;
    for (index, raw_line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line_offset = offset;
        offset += raw_line.len() + 1;
        let line = raw_line.trim_end_matches('\r');
        let line = if index == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() {
            if matches!(shape.boundaries, Boundaries::BlankLines) {
                records.extend(current.take());
            }
            continue;
        }
        if let Some((tag, value)) = (shape.field)(line) {
            let field = Field {
                tag: tag.to_string(),
                value: value.to_string(),
                line: number,
                column: column_of(line, value),
            };
            let opened = |fields| Record {
                line: number,
                offset: line_offset,
                fields,
            };
            match shape.boundaries {
                Boundaries::Tags { open, .. } if tag == open => {
                    records.extend(current.take());
                    current = Some(opened(vec![field]));
                }
                Boundaries::Tags { close, .. } if tag == close && current.is_some() => {
                    records.extend(current.take());
                }
                Boundaries::Tags { .. } => match current.as_mut() {
                    Some(record) => record.fields.push(field),
                    None => strays.push(Stray::FieldOutsideRecord { line: number, tag }),
                },
                Boundaries::BlankLines => current
                    .get_or_insert_with(|| opened(Vec::new()))
                    .fields
                    .push(field),
            }
            continue;
        }
        if !(shape.continues)(line) {
            strays.push(Stray::NotAField {
                line: number,
                text: line,
            });
            continue;
        }
        match current.as_mut().and_then(|r| r.fields.last_mut()) {
            Some(field) => {
                field.value.push(' ');
                field.value.push_str(line.trim());
            }
            None => strays.push(Stray::Continuation {
                line: number,
                text: line,
            }),
        }
    }
    records.extend(current);
    (records, strays)
}

/// The 1-based column at which `part`, a slice of `line`, starts; 1 when it is not one.
fn column_of(line: &str, part: &str) -> usize {
    let start = (part.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
    line.get(..start)
        .filter(|_| start <= line.len())
        .map_or(1, |before| before.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_letters(line: &str) -> Option<(&str, &str)> {
        let (tag, value) = line.split_once(" - ")?;
        (tag.len() == 2).then_some((tag, value.trim_end()))
    }

    const BETWEEN_TAGS: Shape = Shape {
        field: two_letters,
        continues: |_| true,
        boundaries: Boundaries::Tags {
            open: "TY",
            close: "ER",
        },
    };

    const BY_BLANK_LINES: Shape = Shape {
        field: two_letters,
        continues: |line| line.starts_with(' '),
        boundaries: Boundaries::BlankLines,
    };

    fn fields(record: &Record) -> Vec<(&str, &str)> {
        record
            .fields
            .iter()
            .map(|f| (f.tag.as_str(), f.value.as_str()))
            .collect()
    }

    #[test]
    fn records_between_tags_with_continuations() {
        let text = "\u{feff}TY - A\r\nTI - one\r\n  two\r\n\r\nER - \nAU - x\nTY - B\nTY - C\n";
        let (records, strays) = read(text, &BETWEEN_TAGS);
        assert_eq!(
            records.iter().map(fields).collect::<Vec<_>>(),
            vec![
                vec![("TY", "A"), ("TI", "one two")],
                vec![("TY", "B")],
                vec![("TY", "C")]
            ]
        );
        assert_eq!(
            records
                .iter()
                .map(|r| (r.line, r.offset))
                .collect::<Vec<_>>(),
            vec![(1, 0), (7, 43), (8, 50)]
        );
        assert_eq!(
            strays,
            vec![Stray::FieldOutsideRecord { line: 6, tag: "AU" }]
        );
        let title = &records[0].fields[1];
        assert_eq!((title.line, title.column), (2, 6));
    }

    #[test]
    fn records_by_blank_lines_and_what_fits_none() {
        let text = "  orphan\nPM - 1\n  more\nnot a field\n\nPM - 2";
        let (records, strays) = read(text, &BY_BLANK_LINES);
        assert_eq!(
            records.iter().map(fields).collect::<Vec<_>>(),
            vec![vec![("PM", "1 more")], vec![("PM", "2")]]
        );
        assert_eq!(
            strays,
            vec![
                Stray::Continuation {
                    line: 1,
                    text: "  orphan"
                },
                Stray::NotAField {
                    line: 4,
                    text: "not a field"
                }
            ]
        );
    }
}
