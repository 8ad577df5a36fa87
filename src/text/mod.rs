//! Text formats and text helpers that know nothing of claims or sources: YAML with spans, typed
//! fields read from it, Markdown, the figures of a sentence, quotes found in a longer text,
//! reading level and the words that hedge or overstate a sentence, word diffs and escaping.

pub mod certainty;
pub mod control;
pub mod diff;
pub mod escape;
pub mod fields;
pub mod figures;
pub mod indent;
pub mod markdown;
pub mod passage;
pub mod readability;
pub mod yaml;

/// 1-based line and column (in characters) of a byte offset; offsets inside a character or
/// past the end are clamped, so a position can always be reported.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// A page path segment from an id: lowercase, anything but `[a-z0-9-]` becomes `-`.
pub fn slugify(id: &str) -> String {
    let mut slug = String::with_capacity(id.len());
    for c in id.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "source".into()
    } else {
        slug
    }
}

/// A label from a kebab-case name: first letter upper case, hyphens as spaces
/// (`very-low` → `Very low`).
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace('-', " "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_and_clamps() {
        assert_eq!(line_column("é\nab", 4), (2, 2));
        assert_eq!(line_column("", 9), (1, 1));
        assert_eq!(line_column("ab\ncé\nd", 6), (2, 3));
        assert_eq!(line_column("ab\ncé", 5), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    #[test]
    fn slugs_are_safe_path_segments() {
        assert_eq!(slugify("Smith2020_Relactation"), "smith2020-relactation");
        assert_eq!(slugify("10.1093/tropej"), "10-1093-tropej");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("///"), "source");
    }

    #[test]
    fn capitalise_makes_labels() {
        assert_eq!(capitalise("very-low"), "Very low");
        assert_eq!(capitalise(""), "");
    }
}
