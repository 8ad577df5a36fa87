//! Line numbers of a text, found in logarithmic time.
//!
//! Readers report positions for every record of a file, and the human report prints the line
//! of every diagnostic. Counting line breaks from the start of the file each time makes a file
//! of n records cost n² (250,000 BibTeX entries took minutes); a [`LineIndex`] holds where
//! each line starts, built once per file, and a lookup is a binary search.

/// Where each line of one text starts.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first character; `starts[0]` is 0. A line ends at `\n`
    /// (a `\r` before it stays part of the line, as [`str::lines`] would not keep it: callers
    /// that print a line trim it).
    starts: Vec<usize>,
    /// The last lookup (offset, line index, column): lookups that move forward on one line
    /// count characters from there, so many positions on one long line stay linear.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` (one pass over its bytes).
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// 1-based line and column (in characters) of a byte offset; an offset inside a
    /// character or past the end is clamped, as `text::line_column` does.
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let (last_offset, last_line, last_column) = self.last.get();
        let column = if last_line == line - 1 && last_offset <= offset {
            last_column + self.text[last_offset..offset].chars().count()
        } else {
            self.text[self.starts[line - 1]..offset].chars().count() + 1
        };
        self.last.set((offset, line - 1, column));
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    /// The text of 1-based line `number` without its line break (`\n`, or `\r\n`); None past
    /// the last line. A text ending in `\n` has no empty line after it, as with [`str::lines`].
    pub fn line(&self, number: u32) -> Option<&'a str> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        if start == self.text.len() && (index > 0 || self.text.is_empty()) {
            return None;
        }
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = &self.text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_counting_from_the_start() {
        let text = "é\nab\r\ncé\n\nd";
        let index = LineIndex::new(text);
        let counted = |offset: usize| {
            let mut offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (
                before.matches('\n').count() as u32 + 1,
                before[line_start..].chars().count() as u32 + 1,
            )
        };
        for offset in (0..=text.len() + 2).chain((0..=text.len()).rev()) {
            assert_eq!(
                index.line_column(offset),
                counted(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn lines_as_str_lines_gives_them() {
        for text in ["a\nb\r\n\nc", "a\n", "", "\n\n", "x\r\ny\r\n"] {
            let index = LineIndex::new(text);
            let expected: Vec<&str> = text.lines().collect();
            let got: Vec<&str> = (1..).map_while(|n| index.line(n)).collect();
            assert_eq!(got, expected, "{text:?}");
            assert_eq!(index.line(0), None);
        }
    }
}
