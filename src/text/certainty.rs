//! How sure a sentence sounds: the words that hedge it, the words that state it as certain,
//! the words that make an action optional or a must, and whether it reports what one study
//! found. The lint `wording-overstates-certainty` is built on these (see
//! `crate::resolve` for when it applies).
//!
//! Matching is on plain text, whole words, ignoring case; a phrase (`not sure`) matches its
//! words in a row. Words are runs of letters and digits, with an apostrophe between letters
//! kept inside (`won't`; a curly `’` counts as `'`).
//!
//! GRADE's guidance on informative statements (Santesso et al., J Clin Epidemiol 2020;119:
//! 126–135) words findings of low certainty with "may" ("X may reduce Y") and of very low
//! certainty with "the evidence is very uncertain"; high certainty states the effect plainly.
//! So a low or very-low finding with no hedge, or with a word that states it as always true or
//! proven, overstates its certainty.

/// Words that soften a statement to match uncertain evidence.
pub const HEDGES: &[&str] = &[
    "may",
    "might",
    "can",
    "could",
    "probably",
    "possibly",
    "possible",
    "perhaps",
    "likely",
    "unlikely",
    "suggest",
    "suggests",
    "suggested",
    "appear",
    "appears",
    "appeared",
    "seem",
    "seems",
    "seemed",
    "uncertain",
    "uncertainty",
    "unclear",
    "not sure",
    "not known",
    "not clear",
    "not certain",
    "not proven",
    "not established",
    "unproven",
    "some",
    "estimate",
    "estimates",
    "estimated",
];

/// Words that state a finding as always true: flagged on a low or very-low finding.
pub const ABSOLUTES: &[&str] = &[
    "always",
    "never",
    "will",
    "won't",
    "invariably",
    "every time",
    "in all cases",
];

/// Words that state evidence as proof: flagged on any low or very-low claim, recommendations
/// too.
pub const PROOF_WORDS: &[&str] = &[
    "proven",
    "proves",
    "prove",
    "proved",
    "proof",
    "guarantee",
    "guarantees",
    "guaranteed",
    "definitely",
    "certainly",
    "undoubtedly",
    "unquestionably",
    "conclusively",
    "no doubt",
    "without doubt",
    "cure",
    "cures",
    "cured",
];

/// Words that make an action optional: flagged in a strong recommendation.
pub const OPTIONAL_WORDS: &[&str] = &[
    "may consider",
    "could consider",
    "can consider",
    "might",
    "could",
    "optional",
    "optionally",
    "if you wish",
    "may wish",
    "may want",
    "up to you",
];

/// Words that make an action a must: flagged in a conditional recommendation.
pub const MUST_WORDS: &[&str] = &[
    "must",
    "always",
    "never",
    "have to",
    "has to",
    "need to",
    "needs to",
    "required",
    "mandatory",
];

/// Words just before an absolute or proof word that take its force away (`not proven`, `is
/// not always`): up to [`NEGATION_REACH`] words before it.
pub const NEGATIONS: &[&str] = &[
    "not", "no", "nor", "without", "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't",
    "hadn't", "doesn't", "don't", "didn't", "cannot", "can't",
];

/// How many words before a word a negation may stand (`not a proven limit`).
pub const NEGATION_REACH: usize = 2;

/// Nouns for one study or source: a sentence naming one reports what it found.
pub const STUDY_NOUNS: &[&str] = &[
    "study",
    "trial",
    "rct",
    "report",
    "series",
    "review",
    "survey",
    "analysis",
    "cohort",
    "audit",
    "experiment",
    "database",
    "registry",
];

/// Words that pick out one study (`a`, `one`, `the`…) when they stand up to
/// [`DETERMINER_REACH`] words before a study noun (`in a small 2023 trial`); a year does too.
pub const DETERMINERS: &[&str] = &["a", "an", "one", "this", "that", "the", "each", "single"];

/// How many words may stand between a determiner and its study noun.
pub const DETERMINER_REACH: usize = 4;

/// A word or phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset of its first character in the text.
    pub start: usize,
    /// The words as written in the text.
    pub text: String,
    /// The entry of the list that matched (lowercase).
    pub entry: &'static str,
}

/// The words of `text`: byte range and lowercase spelling.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut start: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let apostrophe =
            matches!(c, '\'' | '’') && start.is_some() && next.is_some_and(char::is_alphabetic);
        if c.is_alphanumeric() || apostrophe {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push((s, i, lower(&text[s..i])));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), lower(&text[s..])));
    }
    out
}

fn lower(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

/// Every place an entry of `list` occurs in `text`, in text order (at each place the longest
/// entry). With `skip_negated`, an occurrence with a [`NEGATIONS`] word up to
/// [`NEGATION_REACH`] words before it is left out.
pub fn find_all(text: &str, list: &[&'static str], skip_negated: bool) -> Vec<Hit> {
    let words = words(text);
    let entries: Vec<(&'static str, Vec<&str>)> = list
        .iter()
        .map(|e| (*e, e.split(' ').collect::<Vec<_>>()))
        .collect();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let matched = entries
            .iter()
            .filter(|(_, parts)| {
                i + parts.len() <= words.len()
                    && parts.iter().enumerate().all(|(k, p)| words[i + k].2 == *p)
            })
            .max_by_key(|(_, parts)| parts.len());
        let Some((entry, parts)) = matched else {
            i += 1;
            continue;
        };
        let negated = skip_negated
            && words[i.saturating_sub(NEGATION_REACH)..i]
                .iter()
                .any(|(_, _, w)| NEGATIONS.contains(&w.as_str()));
        if !negated {
            let (start, end) = (words[i].0, words[i + parts.len() - 1].1);
            hits.push(Hit {
                start,
                text: text[start..end].to_string(),
                entry,
            });
        }
        i += parts.len();
    }
    hits
}

/// The first place an entry of `list` occurs in `text` (see [`find_all`]).
pub fn find(text: &str, list: &[&'static str], skip_negated: bool) -> Option<Hit> {
    find_all(text, list, skip_negated).into_iter().next()
}

/// Whether `text` has any of [`HEDGES`].
pub fn is_hedged(text: &str) -> bool {
    find(text, HEDGES, false).is_some()
}

/// Whether `text` reports what one study found, rather than stating a finding itself: it
/// names one study (a study noun after a determiner or a year: "in a small trial", "one study
/// found", "a 2023 case report"), opens a sentence with a study noun ("Case series, n=7: …",
/// "Pharmacokinetic study (1985): …"), or gives a sample size (`n=50`).
pub fn is_attribution(text: &str) -> bool {
    let words = words(text);
    let is_year = |w: &str| {
        w.len() == 4
            && (w.starts_with("19") || w.starts_with("20"))
            && w.bytes().all(|b| b.is_ascii_digit())
    };
    let named = words.iter().enumerate().any(|(i, (_, _, w))| {
        STUDY_NOUNS.contains(&w.as_str())
            && words[i.saturating_sub(DETERMINER_REACH + 1)..i]
                .iter()
                .any(|(_, _, d)| DETERMINERS.contains(&d.as_str()) || is_year(d))
    });
    if named || has_sample_size(text) {
        return true;
    }
    crate::text::readability::sentences(text)
        .iter()
        .any(|(_, sentence)| {
            words_of(sentence)
                .iter()
                .take(DETERMINER_REACH)
                .any(|w| STUDY_NOUNS.contains(&w.as_str()))
        })
}

fn words_of(text: &str) -> Vec<String> {
    words(text).into_iter().map(|(_, _, w)| w).collect()
}

/// Whether `text` gives a sample size: `n=50`, `N = 6` (the letter standing alone).
fn has_sample_size(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        if !matches!(b, b'n' | b'N') || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            return false;
        }
        let rest = text[i + 1..].trim_start();
        rest.strip_prefix('=')
            .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_ignoring_case() {
        let hit = find("Kettles ALWAYS boil.", ABSOLUTES, true).unwrap();
        assert_eq!(
            (hit.start, hit.text.as_str(), hit.entry),
            (8, "ALWAYS", "always")
        );
        assert_eq!(
            find("Willow grows by water; alwayss.", ABSOLUTES, true),
            None
        );
        assert!(is_hedged("Mulch may keep roots cool."));
        assert!(is_hedged("Watering can help."));
        assert!(!is_hedged("Mulch keeps roots cool. Maybelline."));
        assert!(is_hedged("We are not sure mulch helps."));
        assert!(is_hedged("Descaling is not proven to help."));
        assert!(!is_hedged("Not surely."));
    }

    #[test]
    fn phrases_and_the_longest_entry_win() {
        let hit = find("You may consider a new kettle.", OPTIONAL_WORDS, false).unwrap();
        assert_eq!(hit.entry, "may consider");
        let hit = find("Gardeners need to water daily.", MUST_WORDS, false).unwrap();
        assert_eq!((hit.entry, hit.text.as_str()), ("need to", "need to"));
        assert_eq!(find("Roses need water.", MUST_WORDS, false), None);
        let hits = find_all("It will, it won’t, it will.", ABSOLUTES, true);
        let found: Vec<&str> = hits.iter().map(|h| h.entry).collect();
        assert_eq!(found, ["will", "won't", "will"]);
    }

    #[test]
    fn negated_words_do_not_count() {
        assert_eq!(
            find("Descaling is not proven to help.", PROOF_WORDS, true),
            None
        );
        assert_eq!(find("It is not a proven method.", PROOF_WORDS, true), None);
        assert!(find("It is not a simple, proven method.", PROOF_WORDS, true).is_some());
        assert_eq!(
            find("Frost does not always kill dahlias.", ABSOLUTES, true),
            None
        );
        assert!(find("Frost does not always kill dahlias.", ABSOLUTES, false).is_some());
        assert!(find("Compost cures poor soil.", PROOF_WORDS, true).is_some());
    }

    #[test]
    fn attributions_name_one_study() {
        for text in [
            "In a small trial, kettles boiled faster with lids.",
            "A case series reported that tomatoes ripened early.",
            "One study found that roses grew taller.",
            "In a 2023 report about one allotment, beans grew well.",
            "The authors of a survey of 40 gardeners concluded that mulch works.",
            "In a double-blind randomised crossover study of 6 kettles, lids saved time.",
            "Case series, n=7 (abstract): seedlings grew.",
            "Pharmacokinetic study (1985): the level was 2.6 ng/ml.",
            "Prospective case series of 12 gardens: yields rose.",
            "Double-blind crossover, N = 6 kettles: the mean was 3 minutes.",
            "Lids save energy. The study did not compare kettles.",
        ] {
            assert!(is_attribution(text), "{text}");
        }
        for text in [
            "Kettles boil faster with lids.",
            "Studies prove that mulch always works.",
            "Mulch keeps roots cool, and gardeners like it.",
            "Water the lawn in the evening; a hose is easiest.",
            "Lettuces need no sun at noon.",
        ] {
            assert!(!is_attribution(text), "{text}");
        }
    }

    #[test]
    fn sample_sizes_stand_alone() {
        assert!(has_sample_size("n=50"));
        assert!(has_sample_size("(N = 6)"));
        assert!(!has_sample_size("pan=5"));
        assert!(!has_sample_size("n = many"));
    }
}
