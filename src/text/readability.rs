//! Reading level: the Flesch–Kincaid grade of English text, and the word, sentence and
//! syllable counts it is built on.
//!
//! The grade is `0.39 × words/sentences + 11.8 × syllables/words − 15.59` (Kincaid et al.,
//! 1975): roughly the US school grade that can read the text, so grade 6 is a reading age of
//! about 11. It measures only sentence length and word length, so it is a prompt to look again,
//! never a judge of clarity.
//!
//! # Counting
//!
//! The text is plain text (Markdown already stripped; see [`crate::text::markdown::plain_text`]).
//! Pandoc citations `[@id, p. 3]` are left out before counting.
//!
//! - **Words** are runs of letters and digits; an apostrophe, hyphen or dot between two of them
//!   stays inside the word (`don't`, `lact-aid`, `2.6`, `U.S`). A word with no letter (a number)
//!   counts as one syllable.
//! - **Sentences** end at `.`, `!`, `?` or `…` (a run of them counts once) outside a word, except
//!   the dot after a one-letter word or one of [`ABBREVIATIONS`] (`e.g.`, `Dr.`). Text after
//!   the last end is a sentence of its own; text with words and no end is one sentence.
//!   Colons and semicolons do not end sentences, as in Kincaid's counts.
//! - **Syllables** come from [`syllables`], a rule-based estimate for English words (vowel
//!   groups, silent endings, a few vowel pairs that are two syllables) with a short table of
//!   common words the rules miss ([`EXCEPTIONS`]). Like every such counter it is sometimes one
//!   off on a word; over a sentence the errors mostly cancel.
//!
//! Why our own counter: on crates.io in December 2026 the syllable and readability crates
//! (`textstat` 0.1, `syllable` 0.1, `kincaid` 0.2, `flesh-reading-ease` 0.1) were each a
//! single early release by one author, and `rust_readability` is GPL; the rules fit in this
//! file and are tested below.

/// Words whose trailing dot does not end a sentence (lowercase, without the dot).
pub const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "a.m", "p.m", "eg", "ie", "cf", "vs", "dr", "mr", "mrs", "ms", "prof", "approx",
    "fig", "no", "st",
];

/// Common words the rules of [`syllables`] count wrongly, with their syllables.
pub const EXCEPTIONS: &[(&str, usize)] = &[
    ("area", 3),
    ("being", 2),
    ("breastfed", 2),
    ("business", 2),
    ("create", 2),
    ("evening", 2),
    ("every", 2),
    ("everyone", 3),
    ("everything", 3),
    ("created", 3),
    ("creates", 2),
    ("idea", 3),
    ("ideas", 3),
    ("maybe", 2),
    ("people", 2),
    ("poem", 2),
    ("quiet", 2),
    ("science", 2),
];

/// Pairs of adjacent vowels that are two syllables (`tri-al`, `vid-e-o` is left out: `people`
/// is commoner), unless in one of [`ONE_SYLLABLE_ENDINGS`].
const SPLIT_PAIRS: &[&str] = &["ia", "io", "iu", "ii", "ua", "uo"];

/// Endings in which a pair of [`SPLIT_PAIRS`] is one syllable (`na-tion`, `so-cial`).
const ONE_SYLLABLE_ENDINGS: &[&str] = &[
    "tion", "sion", "cion", "xion", "tial", "cial", "sial", "tian", "cian", "sian", "tious",
    "cious", "xious", "gion", "gious", "tia", "cia",
];

/// Word, sentence and syllable counts of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Words (see the module documentation).
    pub words: usize,
    /// Sentences; at least 1 when there is a word.
    pub sentences: usize,
    /// Syllables of all the words.
    pub syllables: usize,
}

impl Counts {
    /// Counts the words, sentences and syllables of `text`.
    pub fn of(text: &str) -> Counts {
        let text = without_citations(text);
        let mut counts = Counts::default();
        let mut words_in_sentence = 0;
        for token in tokens(&text) {
            match token {
                Token::Word(word) => {
                    counts.words += 1;
                    counts.syllables += word_syllables(word);
                    words_in_sentence += 1;
                }
                Token::End => {
                    if words_in_sentence > 0 {
                        counts.sentences += 1;
                        words_in_sentence = 0;
                    }
                }
            }
        }
        if words_in_sentence > 0 {
            counts.sentences += 1;
        }
        counts
    }

    /// The Flesch–Kincaid grade; None without words.
    pub fn grade(&self) -> Option<f64> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        let words = self.words as f64;
        Some(
            0.39 * (words / self.sentences as f64) + 11.8 * (self.syllables as f64 / words) - 15.59,
        )
    }

    /// Words a sentence, on average (0 without sentences).
    pub fn words_per_sentence(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.words as f64 / self.sentences as f64
        }
    }

    /// Syllables a word, on average (0 without words).
    pub fn syllables_per_word(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.syllables as f64 / self.words as f64
        }
    }
}

/// The Flesch–Kincaid grade of `text`; None when it has no words.
pub fn grade(text: &str) -> Option<f64> {
    Counts::of(text).grade()
}

/// A score rounded to one decimal, as messages show it (`9.3`).
pub fn rounded(score: f64) -> f64 {
    (score * 10.0).round() / 10.0
}

/// Whether a language tag is English: `en`, `en-GB`, `EN_us` (what the grade is made for).
pub fn is_english(tag: &str) -> bool {
    let tag = tag.trim().to_ascii_lowercase();
    tag == "en" || tag.starts_with("en-") || tag.starts_with("en_")
}

/// The sentences of `text` with the byte offset each starts at (leading spaces skipped), cut
/// where [`Counts::of`] counts a sentence end; the end marks stay with their sentence.
pub fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_word = false;
    let mut chars = text.char_indices().peekable();
    let mut word_start: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        if c.is_alphanumeric()
            || (inner_joiner(c) && word_start.is_some() && next.is_some_and(char::is_alphanumeric))
        {
            word_start.get_or_insert(i);
            has_word = true;
            continue;
        }
        let word = word_start.take().map(|w| &text[w..i]);
        if is_end(c, word) && has_word {
            let mut end = i + c.len_utf8();
            while let Some((j, n)) = chars.peek().copied() {
                if !matches!(n, '.' | '!' | '?' | '…' | '"' | '\'' | ')' | '”' | '’') {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            push_sentence(&mut out, text, start, end);
            start = end;
            has_word = false;
        }
    }
    if has_word {
        push_sentence(&mut out, text, start, text.len());
    }
    out
}

fn push_sentence<'t>(out: &mut Vec<(usize, &'t str)>, text: &'t str, start: usize, end: usize) {
    let piece = &text[start..end];
    let skipped = piece.len() - piece.trim_start().len();
    out.push((start + skipped, piece[skipped..].trim_end()));
}

/// The syllables of one English word (0 for a word with neither letters nor digits; 1 for a
/// number). Hyphenated words and words with apostrophes are counted part by part.
pub fn syllables(word: &str) -> usize {
    word_syllables(word)
}

fn word_syllables(word: &str) -> usize {
    if !word.chars().any(char::is_alphanumeric) {
        return 0;
    }
    if !word.chars().any(char::is_alphabetic) {
        return 1;
    }
    let total: usize = word
        .split(['-', '‐', '‑'])
        .filter(|part| part.chars().any(char::is_alphabetic))
        .map(|part| {
            let letters: String = part
                .chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect();
            part_syllables(&letters)
        })
        .sum();
    total.max(1)
}

/// The syllables of a lowercase run of letters.
fn part_syllables(word: &str) -> usize {
    if let Some((_, n)) = EXCEPTIONS.iter().find(|(w, _)| *w == word) {
        return *n;
    }
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n <= 3 {
        return 1;
    }
    let vowel = |i: usize| -> bool {
        let c = chars[i];
        match c {
            'y' => i > 0 && !(i + 1 < n && is_vowel(chars[i + 1]) && is_vowel(chars[i - 1])),
            // The u of `qu` is a consonant sound (`qua-li-ty`).
            'u' => !(i > 0 && chars[i - 1] == 'q'),
            _ => is_vowel(c),
        }
    };
    let mut count = 0;
    let mut i = 0;
    while i < n {
        if !vowel(i) {
            i += 1;
            continue;
        }
        count += 1;
        let mut j = i + 1;
        while j < n && vowel(j) {
            if splits(word, &chars, j) {
                count += 1;
            }
            j += 1;
        }
        i = j;
    }
    // Silent endings: a lone final `e` (`make`, not `table`, `free`), `-es` (`makes`, not
    // `boxes`, `tables`) and `-ed` (`walked`, not `wanted`).
    let lone_e = |at: usize| at >= 1 && chars[at] == 'e' && !vowel(at - 1);
    let before = |k: usize| chars[n - k];
    // `-le` after a consonant is a syllable of its own (`ta-ble`, `ta-bles`).
    let consonant_le = |l_at: usize| chars[l_at] == 'l' && l_at >= 1 && !vowel(l_at - 1);
    let silent_e = chars[n - 1] == 'e' && lone_e(n - 1) && !consonant_le(n - 2);
    let silent_es = word.ends_with("es")
        && lone_e(n - 2)
        && !matches!(before(3), 's' | 'x' | 'z' | 'c' | 'g')
        && !word.ends_with("shes")
        && !consonant_le(n - 3);
    let silent_ed = word.ends_with("ed") && lone_e(n - 2) && !matches!(before(3), 't' | 'd');
    if count > 1 && (silent_e || silent_es || silent_ed) {
        count -= 1;
    }
    count.max(1)
}

/// Whether the vowel at `j`, which follows a vowel, starts a syllable of its own.
fn splits(word: &str, chars: &[char], j: usize) -> bool {
    let n = chars.len();
    let pair: String = chars[j - 1..=j].iter().collect();
    // `go-ing`, `be-ing`, `cry-ing`: the `i` of a final `-ing` after a vowel.
    if j == n - 3 && word.ends_with("ing") {
        return true;
    }
    // `eas-i-er`, `hap-pi-est`.
    if pair == "ie"
        && n > 5
        && (j == n - 2 && word.ends_with("ier") || j == n - 3 && word.ends_with("iest"))
    {
        return true;
    }
    if !SPLIT_PAIRS.contains(&pair.as_str()) {
        return false;
    }
    if pair == "ua" && j >= 2 && chars[j - 2] == 'g' {
        return false;
    }
    // The consonant before the pair and what follows: `tion` in `na-tion`, `cial` in `so-cial`.
    let tail: String = chars[j.saturating_sub(2)..].iter().collect();
    !ONE_SYLLABLE_ENDINGS.iter().any(|e| tail.starts_with(e))
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'á'
            | 'à'
            | 'â'
            | 'ä'
            | 'é'
            | 'è'
            | 'ê'
            | 'ë'
            | 'í'
            | 'ì'
            | 'î'
            | 'ï'
            | 'ó'
            | 'ò'
            | 'ô'
            | 'ö'
            | 'ú'
            | 'ù'
            | 'û'
            | 'ü'
    )
}

/// A character that stays inside a word between two letters or digits.
fn inner_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '‑' | '.')
}

/// Whether `c` after the word `word` (None: not right after a word) ends a sentence.
fn is_end(c: char, word: Option<&str>) -> bool {
    match c {
        '!' | '?' | '…' => true,
        '.' => !word.is_some_and(|w| {
            let lower = w.to_lowercase();
            w.chars().count() == 1 || ABBREVIATIONS.contains(&lower.as_str())
        }),
        _ => false,
    }
}

enum Token<'t> {
    Word(&'t str),
    End,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut word_start: Option<usize> = None;
    let mut ended = false;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        if c.is_alphanumeric()
            || (inner_joiner(c) && word_start.is_some() && next.is_some_and(char::is_alphanumeric))
        {
            word_start.get_or_insert(i);
            ended = false;
            continue;
        }
        let word = word_start.take().map(|w| &text[w..i]);
        if let Some(word) = word {
            out.push(Token::Word(word));
        }
        if is_end(c, word) && !ended {
            out.push(Token::End);
            ended = true;
        }
    }
    if let Some(w) = word_start {
        out.push(Token::Word(&text[w..]));
    }
    out
}

/// `text` without Pandoc citations (`[@id]`, `[@a; @b, p. 3]`).
fn without_citations(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("[@") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[@") {
        out.push_str(&rest[..at]);
        match rest[at..].find(']') {
            Some(close) => rest = &rest[at + close + 1..],
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_known_words() {
        // Counts as in a pronouncing dictionary (CMUdict).
        for (word, expected) in [
            ("cat", 1),
            ("the", 1),
            ("make", 1),
            ("makes", 1),
            ("table", 2),
            ("tables", 2),
            ("little", 2),
            ("walked", 1),
            ("wanted", 2),
            ("needed", 2),
            ("boxes", 2),
            ("changes", 2),
            ("places", 2),
            ("nation", 2),
            ("precious", 2),
            ("ratio", 3),
            ("period", 3),
            ("trial", 2),
            ("usual", 3),
            ("quality", 3),
            ("language", 2),
            ("medium", 3),
            ("going", 2),
            ("crying", 2),
            ("easier", 3),
            ("beyond", 2),
            ("yes", 1),
            ("babies", 2),
            ("hybrid", 2),
            ("platypus", 3),
            ("seemingly", 3),
            ("australian", 4),
            ("reptilian", 4),
            ("creature", 2),
            ("mammal", 2),
            ("kettle", 2),
            ("gardening", 3),
            ("watering", 3),
            ("people", 2),
            ("maybe", 2),
            ("don't", 1),
            ("lact-aid", 2),
            ("50", 1),
            ("2.6", 1),
            ("%", 0),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn published_examples() {
        // Wikipedia's "Flesch–Kincaid readability tests": the platypus sentence has 13 words
        // and 26 syllables (reading ease 24.4, so grade 13.1), "The cat sat on the mat."
        // has reading ease 116 (grade −1.4).
        let platypus = Counts::of(
            "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.",
        );
        assert_eq!(
            platypus,
            Counts {
                words: 13,
                sentences: 1,
                syllables: 26
            }
        );
        assert_eq!(rounded(platypus.grade().unwrap()), 13.1);
        let cat = Counts::of("The cat sat on the mat.");
        assert_eq!((cat.words, cat.sentences, cat.syllables), (6, 1, 6));
        let ease: f64 = 206.835 - 1.015 * 6.0 - 84.6 * 1.0;
        assert_eq!(ease.round(), 116.0);
        assert_eq!(rounded(cat.grade().unwrap()), -1.4);
    }

    #[test]
    fn sentences_end_outside_words_and_abbreviations() {
        let c = Counts::of("Water the roses at 6.30 p.m. daily, e.g. with a can! Is it dry? Yes…");
        assert_eq!(c.sentences, 3, "{c:?}");
        assert_eq!(Counts::of("No end mark here").sentences, 1);
        assert_eq!(Counts::of("Two. Ends...").sentences, 2);
        assert_eq!(Counts::of("...").sentences, 0);
        assert_eq!(grade(""), None);
        assert_eq!(grade("!!"), None);
        let found: Vec<&str> = sentences("Fill the kettle. Boil it (twice.) Pour")
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(found, ["Fill the kettle.", "Boil it (twice.)", "Pour"]);
        let (at, s) = sentences("One.  Two.")[1];
        assert_eq!((at, s), (6, "Two."));
    }

    #[test]
    fn citations_are_not_counted() {
        assert_eq!(
            Counts::of("Kettles boil [@smith2020, p. 3]."),
            Counts::of("Kettles boil.")
        );
        assert_eq!(Counts::of("Open [@x").words, 2);
    }

    #[test]
    fn english_tags() {
        assert!(is_english("en") && is_english("en-GB") && is_english("EN_us"));
        assert!(!is_english("fr") && !is_english("eng") && !is_english("de-en"));
    }

    #[test]
    fn longer_words_and_sentences_raise_the_grade() {
        let easy = grade("Fill the kettle. Boil the water. Pour it on the tea.").unwrap();
        let hard = grade("Horticultural practitioners recommend establishing perennial herbaceous borders, considering microclimatic variability and soil composition.").unwrap();
        assert!(easy < 2.0, "{easy}");
        assert!(hard > 16.0, "{hard}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}") {
            let c = Counts::of(&text);
            proptest::prop_assert!(c.sentences <= c.words.max(1));
            for (at, s) in sentences(&text) {
                proptest::prop_assert!(text[at..].starts_with(s));
            }
        }
    }
}
