//! Quotes found in a longer text (a source's abstract): the text normalised once, a quote
//! looked up in it with `…` for omitted words, and the passage closest to a quote not found.
//!
//! Both sides are normalised the same way before comparing: runs of whitespace become one
//! space, curly and typographic quotes become `'` and `"`, every dash and the minus sign
//! become `-`, soft hyphens and inline styling tags (`<i>`, `<b>`) are dropped. The first
//! letter of the quote, and of each piece after an ellipsis, may differ in case from the text
//! (a quote starting mid-sentence is often capitalised). `…`, `...`, `[…]` and `[...]` in a
//! quote stand for omitted text: the pieces between them must appear in the text in order,
//! each starting and ending on a word boundary (so "4 per cent" is not found in "74 per
//! cent"). Nothing else is forgiven: a quote is copied, and a changed number in it is exactly
//! what this check is for.
//!
//! The normalised text is made once per source ([`Normalised::new`]), so checking many claims
//! against one abstract costs one search per quote piece.

/// A text normalised for quote lookups (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalised(String);

impl Normalised {
    /// `text` normalised: whitespace collapsed and trimmed, quotes and dashes made plain.
    pub fn new(text: &str) -> Self {
        Normalised(normalise(text))
    }

    /// Whether `quote` appears in the text, its pieces between ellipses in order. A quote
    /// that is only ellipses or blank is not found (it quotes nothing).
    pub fn contains(&self, quote: &str) -> bool {
        let pieces = pieces(quote);
        if pieces.is_empty() {
            return false;
        }
        let mut from = 0;
        for piece in &pieces {
            match find_piece(&self.0[from..], piece) {
                Some(end) => from += end,
                None => return false,
            }
        }
        true
    }
}

/// Inline styling tags that exports put in abstracts and titles (Zotero's CSL-JSON, PubMed's
/// XML turned text): dropped, so that `<i>in vitro</i>` matches a quote of "in vitro".
/// `<sup>` and `<sub>` are kept: dropping them would make `10<sup>3</sup>` read as 103, and
/// let a quote with the wrong number pass.
const TAGS: &[&str] = &["i", "b", "em", "strong", "sc", "span", "u"];

/// The length in bytes of the inline tag `text` starts with (`<i>`, `</sup>`,
/// `<span class="x">`), if it starts with one of [`TAGS`].
fn tag_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('<')?;
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let end = text.find('>')?;
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    let after = &inner[name_end..];
    (TAGS.contains(&name) && (after.starts_with('>') || after.starts_with(' '))).then_some(end + 1)
}

/// `text` with whitespace collapsed and trimmed, typographic quotes and dashes made plain,
/// inline markup tags dropped.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut skip_to = 0;
    for (at, c) in text.char_indices() {
        if at < skip_to {
            continue;
        }
        if c == '<'
            && let Some(len) = tag_len(&text[at..])
        {
            skip_to = at + len;
            continue;
        }
        let c = match c {
            '\u{ad}' => continue,
            '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            c => c,
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// The quote's pieces between ellipses, each normalised; blank pieces dropped.
fn pieces(quote: &str) -> Vec<String> {
    let marked = quote
        .replace("[...]", "…")
        .replace("[…]", "…")
        .replace("...", "…");
    marked
        .split('…')
        .map(normalise)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Where `piece` ends in `text` (a byte offset), its first letter in either case, matched on
/// word boundaries; the earliest match wins.
fn find_piece(text: &str, piece: &str) -> Option<usize> {
    let exact = find_bounded(text, piece);
    let mut chars = piece.chars();
    let Some(first) = chars.next().filter(|c| c.is_alphabetic()) else {
        return exact;
    };
    let rest = chars.as_str();
    let swapped: String = if first.is_uppercase() {
        first.to_lowercase().chain(rest.chars()).collect()
    } else {
        first.to_uppercase().chain(rest.chars()).collect()
    };
    match (exact, find_bounded(text, &swapped)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The end of the first occurrence of `piece` in `text` that does not start or end inside a
/// word or number of the text.
fn find_bounded(text: &str, piece: &str) -> Option<usize> {
    let word = |c: char| c.is_alphanumeric();
    let starts_in_word = piece.chars().next().is_some_and(word);
    let ends_in_word = piece.chars().next_back().is_some_and(word);
    text.match_indices(piece).find_map(|(at, _)| {
        let end = at + piece.len();
        let cut_before = starts_in_word && text[..at].chars().next_back().is_some_and(word);
        let cut_after = ends_in_word && text[end..].chars().next().is_some_and(word);
        (!cut_before && !cut_after).then_some(end)
    })
}

/// The passage of `text` closest to `quote`: the first window of a few more words than the
/// quote has that shares the most words with it, less the words at its ends that the quote
/// does not have, shortened to about `max_chars` characters at a word boundary with `…`. None when no
/// word is shared.
pub fn closest_passage(text: &str, quote: &str, max_chars: usize) -> Option<String> {
    use std::collections::BTreeSet;
    let quoted: Vec<String> = pieces(quote)
        .iter()
        .flat_map(|p| p.split(' ').map(word_key).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    let words: Vec<(usize, usize)> = word_ranges(text);
    if quoted.is_empty() || words.is_empty() {
        return None;
    }
    let wanted: BTreeSet<&str> = quoted.iter().map(String::as_str).collect();
    let pairs: BTreeSet<(&str, &str)> = quoted
        .windows(2)
        .map(|w| (w[0].as_str(), w[1].as_str()))
        .collect();
    let keys: Vec<String> = words.iter().map(|&(a, b)| word_key(&text[a..b])).collect();
    let hit: Vec<usize> = keys
        .iter()
        .map(|k| usize::from(wanted.contains(k.as_str())))
        .collect();
    // Prefix sums of the words the quote has, and of the pairs of neighbours it has in the
    // same order (so that of two windows with as many shared words, the one that reads
    // like the quote wins).
    let mut words_before = vec![0; keys.len() + 1];
    let mut pairs_before = vec![0; keys.len() + 1];
    for i in 0..keys.len() {
        words_before[i + 1] = words_before[i] + hit[i];
        let pair = i > 0 && pairs.contains(&(keys[i - 1].as_str(), keys[i].as_str()));
        pairs_before[i + 1] = pairs_before[i] + usize::from(pair);
    }
    // A little wider than the quote, so that words it left out fit in the window.
    let size = (quoted.len() + quoted.len() / 4 + 1).clamp(1, words.len());
    let score = |s: usize| {
        words_before[s + size] - words_before[s] + pairs_before[s + size] - pairs_before[s + 1]
    };
    let (mut best, mut best_at) = (0, 0);
    for start in 0..=words.len() - size {
        if score(start) > best {
            (best, best_at) = (score(start), start);
        }
    }
    if best == 0 {
        return None;
    }
    // The window without the words at either end that the quote does not have.
    let window = best_at..best_at + size;
    let first = window.clone().find(|&i| hit[i] == 1).unwrap_or(best_at);
    let last = window.rev().find(|&i| hit[i] == 1).unwrap_or(first);
    let passage = &text[words[first].0..words[last].1];
    Some(shorten(&normalise(passage), max_chars))
}

/// The byte ranges of the whitespace-separated words of `text`.
fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                ranges.push((s, at));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        ranges.push((s, text.len()));
    }
    ranges
}

/// A word compared without case or the punctuation around it.
fn word_key(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// `text` cut at the last space before `max_chars` characters, with `…`, when longer.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |space| &head[..space]);
    format!("{}…", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Forty owls were   ringed in the north wood. Of these, 31 (78 per cent)\n\
        returned the next spring, and 12 nested in the “old” boxes — a first for the wood.";

    fn found(quote: &str) -> bool {
        Normalised::new(TEXT).contains(quote)
    }

    #[test]
    fn finds_a_quote_copied_with_other_whitespace_quotes_dashes_and_case() {
        assert!(found("Forty owls were ringed in the north wood."));
        assert!(found("31 (78 per cent) returned the next spring"));
        assert!(found("of these, 31 (78 per cent) returned"));
        assert!(found("nested in the \"old\" boxes - a first"));
        assert!(found("Returned the next spring"));
    }

    #[test]
    fn ellipses_stand_for_omitted_text_in_order() {
        assert!(found("Forty owls were ringed … 31 (78 per cent) returned"));
        assert!(found(
            "Forty owls [...] returned the next spring ... a first for the wood."
        ));
        assert!(found("Forty owls [\u{2026}] 12 nested"));
        assert!(!found("12 nested … Forty owls"));
    }

    #[test]
    fn a_piece_starts_and_ends_on_word_boundaries() {
        assert!(!found("1 (78 per cent)"));
        assert!(!found("31 (8 per cent)"));
        assert!(!found("ringed in the north woo"));
        assert!(found("(78 per cent)"));
    }

    #[test]
    fn a_changed_word_or_number_is_not_found() {
        assert!(!found("31 (79 per cent) returned the next spring"));
        assert!(!found("Forty owls were ringed in the south wood."));
        assert!(!found("fORTY owls"));
        assert!(!found("…"));
        assert!(!found("   "));
    }

    #[test]
    fn the_closest_passage_shares_the_most_words() {
        let passage = closest_passage(TEXT, "31 (79 per cent) returned the next spring", 200);
        assert_eq!(
            passage.as_deref(),
            Some("31 (78 per cent) returned the next spring,")
        );
        assert_eq!(closest_passage(TEXT, "zebra giraffe", 200), None);
        let long = "word ".repeat(100);
        let short = closest_passage(&long, &long, 30).unwrap();
        assert!(
            short.ends_with('…') && short.chars().count() <= 31,
            "{short}"
        );
    }

    #[test]
    fn inline_markup_of_an_export_is_not_part_of_the_text() {
        let text = Normalised::new(
            "Kites rose 10<sup>3</sup> m in <i>still</i> <span class=\"x\">air</span>; 2 < 3 > 1.",
        );
        assert!(text.contains("m in still air; 2 < 3 > 1."));
        assert!(
            !text.contains("Kites rose 103 m"),
            "a power of ten is not 103"
        );
    }

    #[test]
    fn odd_input_never_panics() {
        for quote in [
            "",
            "…",
            "[...]",
            "é",
            "’",
            "a […] [",
            "....",
            "x\u{ad}y",
            "<",
            "</",
            "<i",
            "<é>",
            "<i>",
        ] {
            let _ = Normalised::new(quote).contains(quote);
            let _ = closest_passage(quote, quote, 0);
            let _ = closest_passage(TEXT, quote, 5);
        }
    }
}
