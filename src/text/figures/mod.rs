//! Figures: the numbers in a claim, and whether its cited quotes back them.
//!
//! The safety rule (DESIGN §2, **Figures**): every figure in a statement or audience wording must
//! appear in the quote of a cited source, or equal a cited source's `sample_size` or issued year,
//! or be declared in `derived:`. This module finds figures ([`extract`]) and reports the ones the
//! evidence does not back ([`unsupported`]). It never panics, allocates little and runs in time
//! linear in the text; no regex.
//!
//! # What is a figure
//!
//! Text is scanned as Markdown inline text, so the target of a link `[text](url)` is skipped, as
//! are bare URLs (`http://`, `https://`, `www.`, `doi:`, up to the next whitespace), Pandoc
//! citations `[@id, p. 3]`, footnote marks `[^1]` and numeric reference marks `[1]`, `[1, 2]`,
//! `[1-3]`. Only ASCII digits are numerals.
//!
//! - **Number** — an integer or decimal: `46`, `0.012`, `.5` (= 0.5).
//!   - A comma followed by exactly three digits is a thousands separator (`1,000`, `10,000`,
//!     `1,234.5`), unless the integer part is `0` or longer than three digits; any other comma
//!     between digits is a decimal comma (`0,35` = 0.35, `0,012` = 0.012, `12,5` = 12.5),
//!     except in a list like `1,2,3` (three numbers). So `1,234` always means one thousand two
//!     hundred and thirty-four, even in European text, and `49,46` is 49.46.
//!   - A non-breaking, thin or narrow no-break space followed by exactly three digits also groups
//!     thousands (`10 000` written with U+2009); an ordinary space never does.
//!   - A dot is always a decimal point (`1.000` is one).
//!   - Number words, case-insensitive and only as whole words: `one`…`twenty`, the tens
//!     `thirty`…`ninety`, and compounds `twenty-five` / `twenty five`. "often", "weight",
//!     "someone" contain none.
//!   - A sign is not part of a figure: `−2` is the figure `2`.
//!   - A unit glued after a number is not part of it: `30mg` is the figure `30`.
//! - **Percent** — a number followed (optionally after any space, including U+00A0 and U+2009)
//!   by `%`, `％`, `percent`, `per cent` or `per-cent`. `98 percentage points` is a number.
//!   A confidence level (`95% CI`, `95% confidence interval`) is not a figure.
//! - **Range** — `A to B`, `A–B` with any dash (`-` `‐` `‑` `‒` `–` `—` `―` `−`), spaced or
//!   not, and `between A and B`; either end may carry a percent sign, which then applies to
//!   the range (`0.01-0.35%` = `0.01%–0.35%` = `0.01 to 0.35 per cent`). Only when `A < B`:
//!   "fell from 50 to 25" is two numbers, as is a page range like `213-6`.
//! - **Ratio** — `A in B`, `A of B`, `A out of B`, and `A/B`, `A:B` written without spaces.
//! - **Sample size** — `n=366`, `N = 50` (the letter `n` standing alone).
//!
//! Not figures, because they name something rather than count it:
//! - numbers inside identifiers: digits glued to a preceding letter (`H2`, `B12`,
//!   `pmid9283123`) or to a following letter-then-digit (`CYP2D6`), and digits joined by `-`,
//!   `/`, `.` or `_` to a code, before or after (`COVID-19`, `SARS-CoV-2`, `IL-6`,
//!   `WHO/CHS/CAH/98.14`, `5-HT3`). A code is an alphanumeric run with a letter and also a
//!   digit, two capitals, or one capital alone (`A-1`); a word is not a code, so `mid-2020`,
//!   `Day-3`, `mg/5`, `10-fold` keep their figures. `covid-19` in lowercase is a figure.
//! - dotted chains `1.2.3`, `29.10.2025`, and chains of three or more numbers joined without
//!   spaces by the same `-`, `/` or `:` (`2025-10-29`, `29/10/2025`, `10:30:00`): dates,
//!   versions, section numbers.
//! - ordinals written with digits (`3rd`, `21st`): positions, rarely stated with digits in a
//!   quote, and a common source of false alarms ("1st-line", "3rd trimester").
//! - a list marker: at most three digits at the start of a line followed by `.` or `)` and a
//!   space.
//! - superscripts/exponents after `^`.
//!
//! `day 3`, `Type 2`, `1997` *are* figures: they state facts that a source must back.
//!
//! # What supports a figure
//!
//! Values compare as exact decimals after normalising (`92.0` = `92`, `1,000` = `1000`; "one
//! thousand" is not read as 1000), never by rounding: `92.4%` does not match `92%`. Because
//! whole numbers are compared, a figure never matches inside a longer one: `4%` does not match
//! "74 per cent", `8` does not match `58`, `8.5` or `1980`, `0.35%` does not match `0.012%`.
//! Every quote of every cited source is searched.
//!
//! - A **number** is supported by the same number anywhere in a quote — as a number, a range
//!   end (not a percent one), a side of a ratio or a sample size — or by a value in
//!   [`Evidence::numbers`] (sample sizes and issued years).
//! - A **percent** is supported by the same percentage in a quote, or by an end of a percent
//!   range. A plain number never supports a percentage, nor the reverse.
//! - A **range** is supported by a range in a quote with the same ends and the same unit
//!   (percent or not), in any of the written forms. Its ends found separately do not support
//!   it: "8 mothers … 58 days" says nothing about a span of 8 to 58.
//! - A **ratio** `49 of 50` is supported by the same ratio in a quote, or when each side is a
//!   supported number on its own: "49 mothers (98 per cent)" plus a `sample_size` of 50.
//! - A **sample size** `n=50` is supported like a number: `n=50` or "50 mothers" in a quote, or
//!   a `sample_size` of 50.
//! - Any figure is supported when a figure in a `derived` entry normalises to the very same
//!   figure (`81.2-96.8%` declared supports `81.2–96.8 %`, but not `96.8%` alone).
//! - The word `one` standing alone in the checked text is never flagged: it is nearly always a
//!   determiner ("in one study", "one of the"). It still counts in ratios and ranges
//!   ("one in ten"), and in quotes.

use std::collections::HashSet;

use serde::Serialize;

/// One figure as written in a text, with its byte range in that text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Exactly `&source[start..end]`.
    pub text: String,
    /// Byte offset of the figure's first byte in the text scanned (0-based).
    pub start: usize,
    /// Byte offset just past the figure's last byte (exclusive).
    pub end: usize,
    /// What the figure states, which decides what can support it.
    pub kind: FigureKind,
}

/// The kinds of figure (see the module documentation for how each is written and what
/// supports it). Serialized in snake_case (`sample_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// An integer, a decimal or a number word: `46`, `0.012`, `twenty-five`.
    Number,
    /// A number with a percent sign or word: `98%`, `12 per cent`.
    Percent,
    /// Two numbers, the first the smaller: `8–58`, `between 8 and 58`, `0.01-0.35%`.
    Range,
    /// `A of B`, `A in B`, `A out of B`, `A/B`, `A:B`.
    Ratio,
    /// `n=366`, `N = 50`.
    SampleSize,
}

impl Figure {
    /// The figure in normal form, e.g. `98%`, `8–58`, `0.01–0.35%`, `49/50`, `n=50`, `1000`:
    /// two figures with the same normal form support each other.
    pub fn normalized(&self) -> String {
        parse(&self.text)
            .into_iter()
            .next()
            .map_or_else(|| self.text.clone(), |f| f.key.to_string())
    }
}

/// What a claim's figures may be checked against.
#[derive(Debug, Clone, Default)]
pub struct Evidence<'a> {
    /// The quotes of all the claim's source links.
    pub quotes: Vec<&'a str>,
    /// Sample sizes and issued years of the cited sources.
    pub numbers: Vec<f64>,
    /// The `figure` of each `derived:` entry.
    pub derived: Vec<&'a str>,
}

/// Finds every figure in a statement or quote, in order of position.
pub fn extract(text: &str) -> Vec<Figure> {
    parse(text).into_iter().map(|f| f.figure).collect()
}

/// The figures of `text` that the evidence does not support, in order.
pub fn unsupported(text: &str, evidence: &Evidence) -> Vec<Figure> {
    let found = parse(text);
    if found.is_empty() {
        return Vec::new();
    }
    let index = Index::new(evidence);
    found
        .into_iter()
        .filter(|f| !f.bare_one && !index.supports(&f.key))
        .map(|f| f.figure)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Normal forms

/// A figure reduced to what is compared; decimals are canonical strings (no leading zeros in
/// the integer part, no trailing zeros in the fraction) so equality is exact, not floating.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Number(String),
    Percent(String),
    Range {
        lo: String,
        hi: String,
        percent: bool,
    },
    Ratio(String, String),
    SampleSize(String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Number(v) => write!(f, "{v}"),
            Key::Percent(v) => write!(f, "{v}%"),
            Key::Range { lo, hi, percent } => {
                write!(f, "{lo}–{hi}{}", if *percent { "%" } else { "" })
            }
            Key::Ratio(a, b) => write!(f, "{a}/{b}"),
            Key::SampleSize(v) => write!(f, "n={v}"),
        }
    }
}

impl Key {
    fn kind(&self) -> FigureKind {
        match self {
            Key::Number(_) => FigureKind::Number,
            Key::Percent(_) => FigureKind::Percent,
            Key::Range { .. } => FigureKind::Range,
            Key::Ratio(..) => FigureKind::Ratio,
            Key::SampleSize(_) => FigureKind::SampleSize,
        }
    }
}

struct Found {
    figure: Figure,
    key: Key,
    /// The word "one" on its own, which is almost never a quantity claim.
    bare_one: bool,
}

/// Everything the quotes, numbers and derived figures of one claim can support.
struct Index<'e> {
    quoted: HashSet<Key>,
    derived: HashSet<Key>,
    numbers: &'e [f64],
}

impl<'e> Index<'e> {
    fn new(evidence: &'e Evidence) -> Self {
        let mut quoted = HashSet::new();
        for quote in &evidence.quotes {
            for found in parse(quote) {
                // A figure also vouches for the plain values it is made of, so that "8 to 58
                // days" backs "up to 58 days" and "49 of 50" backs "49 mothers".
                match &found.key {
                    Key::Range { lo, hi, percent } => {
                        let part = if *percent { Key::Percent } else { Key::Number };
                        quoted.insert(part(lo.clone()));
                        quoted.insert(part(hi.clone()));
                    }
                    Key::Ratio(a, b) => {
                        quoted.insert(Key::Number(a.clone()));
                        quoted.insert(Key::Number(b.clone()));
                    }
                    Key::SampleSize(v) => {
                        quoted.insert(Key::Number(v.clone()));
                    }
                    Key::Number(_) | Key::Percent(_) => {}
                }
                quoted.insert(found.key);
            }
        }
        let derived = evidence
            .derived
            .iter()
            .flat_map(|d| parse(d))
            .map(|f| f.key)
            .collect();
        Index {
            quoted,
            derived,
            numbers: &evidence.numbers,
        }
    }

    fn supports(&self, key: &Key) -> bool {
        if self.derived.contains(key) || self.quoted.contains(key) {
            return true;
        }
        match key {
            Key::Number(v) | Key::SampleSize(v) => self.number(v),
            Key::Ratio(a, b) => self.number(a) && self.number(b),
            Key::Percent(_) | Key::Range { .. } => false,
        }
    }

    fn number(&self, canon: &str) -> bool {
        if self.quoted.contains(&Key::Number(canon.to_owned())) {
            return true;
        }
        let Ok(v) = canon.parse::<f64>() else {
            return false;
        };
        self.numbers
            .iter()
            .any(|&n| (n - v).abs() <= 1e-9 * n.abs().max(v.abs()).max(1.0))
    }
}

// ---------------------------------------------------------------------------------------------
// Lexing

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Num,
    Word,
    Percent,
    Dash,
    Eq,
    Slash,
    Colon,
    /// Anything that breaks a pattern: brackets, commas, full stops, skipped URLs…
    Other,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: TokKind,
    start: usize,
    end: usize,
    /// Whitespace between this token and the previous one.
    space: bool,
    /// For `Num` only.
    num: Option<Val>,
}

#[derive(Debug, Clone)]
struct Val {
    canon: String,
    value: f64,
    word: bool,
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
    )
}

/// Characters that glue a number into a code such as `COVID-19` or `WHO/CHS/CAH/98.14`.
fn is_connector(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '/' | '.' | '_')
}

/// Spaces used between thousands groups (SI style); unlike a plain space, prose hardly ever puts
/// them between two separate numbers.
fn is_group_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{2009}' | '\u{202f}')
}

fn number_word(w: &str) -> Option<u32> {
    // Longest number word is "seventeen": anything longer cannot match, so skip the lowercasing.
    if w.len() > 9 || !w.is_ascii() {
        return None;
    }
    let v = match w.to_ascii_lowercase().as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    };
    Some(v)
}

fn canonical(int: &str, frac: &str) -> String {
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    }
}

struct Lexer<'t> {
    text: &'t str,
    chars: Vec<(usize, char)>,
    toks: Vec<Tok>,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            text,
            chars: text.char_indices().collect(),
            toks: Vec::new(),
        }
    }

    fn ch(&self, k: usize) -> Option<char> {
        self.chars.get(k).map(|&(_, c)| c)
    }

    fn is_digit(&self, k: usize) -> bool {
        self.ch(k).is_some_and(|c| c.is_ascii_digit())
    }

    /// Byte offset of char `k` (the text's length past the end), always a char boundary.
    fn off(&self, k: usize) -> usize {
        self.chars.get(k).map_or(self.text.len(), |&(o, _)| o)
    }

    fn push(&mut self, kind: TokKind, from: usize, to: usize, space: bool, num: Option<Val>) {
        let (start, end) = (self.off(from), self.off(to));
        self.toks.push(Tok {
            kind,
            start,
            end,
            space,
            num,
        });
    }

    fn run(mut self) -> Vec<Tok> {
        let mut k = 0;
        let mut space = false;
        let mut line_start = true;
        while let Some(c) = self.ch(k) {
            if c.is_whitespace() {
                space = true;
                line_start |= c == '\n';
                k += 1;
                continue;
            }
            let at_line_start = std::mem::replace(&mut line_start, false);
            let prev_alnum = k > 0 && self.ch(k - 1).is_some_and(char::is_alphanumeric);
            let next = k;
            k = if c == ']' && self.ch(k + 1) == Some('(') {
                self.link_target(k)
            } else if c == '[' && self.ch(k + 1) == Some('@') {
                self.citation(k)
            } else if !prev_alnum && self.starts_url(k) {
                self.url(k)
            } else if c.is_ascii_digit() || (c == '.' && self.is_digit(k + 1) && !prev_alnum) {
                self.number(k, space, at_line_start)
            } else if c.is_alphabetic() {
                self.word(k, space)
            } else {
                let kind = match c {
                    '%' | '\u{ff05}' => TokKind::Percent,
                    '=' => TokKind::Eq,
                    '/' => TokKind::Slash,
                    ':' => TokKind::Colon,
                    c if is_dash(c) => TokKind::Dash,
                    _ => TokKind::Other,
                };
                self.push(kind, k, k + 1, space, None);
                k + 1
            };
            debug_assert!(k > next, "the lexer must always advance");
            space = false;
        }
        self.toks
    }

    /// `](url)`: the destination of a Markdown link. It ends at its closing parenthesis or at
    /// whitespace (a title follows), which keeps the scan bounded by the URL itself.
    fn link_target(&mut self, k: usize) -> usize {
        let mut j = k + 2;
        let mut depth = 0usize;
        while let Some(c) = self.ch(j) {
            if c.is_whitespace() {
                break;
            }
            j += 1;
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
        }
        self.push(TokKind::Other, k, j, false, None);
        j
    }

    /// `[@id, p. 3]`: a Pandoc citation; its locator is not a claim. Stopping at `[` or a line
    /// end keeps stray `[@` from making the scan quadratic.
    fn citation(&mut self, k: usize) -> usize {
        let mut j = k + 2;
        while let Some(c) = self.ch(j) {
            if c == '[' || c == '\n' {
                break;
            }
            j += 1;
            if c == ']' {
                break;
            }
        }
        self.push(TokKind::Other, k, j, false, None);
        j
    }

    fn starts_url(&self, k: usize) -> bool {
        let rest = &self.text.as_bytes()[self.off(k)..];
        let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        starts(b"http://") || starts(b"https://") || starts(b"www.") || starts(b"doi:")
    }

    fn url(&mut self, k: usize) -> usize {
        let mut j = k;
        while self.ch(j).is_some_and(|c| !c.is_whitespace()) {
            j += 1;
        }
        self.push(TokKind::Other, k, j, false, None);
        j
    }

    fn digits(&self, mut k: usize, into: &mut String) -> usize {
        while let Some(c) = self.ch(k).filter(char::is_ascii_digit) {
            into.push(c);
            k += 1;
        }
        k
    }

    /// Exactly three digits at `k`, then no further digit: a thousands group.
    fn group_at(&self, k: usize) -> bool {
        self.is_digit(k) && self.is_digit(k + 1) && self.is_digit(k + 2) && !self.is_digit(k + 3)
    }

    /// Skips the rest of a code (`-related` in `COVID-19-related`, `D6` in `CYP2D6`) so none of
    /// its digits turn into figures.
    fn rest_of_code(&self, mut k: usize) -> usize {
        loop {
            match self.ch(k) {
                Some(c) if c.is_alphanumeric() => k += 1,
                Some(c) if is_connector(c) && self.ch(k + 1).is_some_and(char::is_alphanumeric) => {
                    k += 1
                }
                _ => return k,
            }
        }
    }

    /// Whether the alphanumeric run ending just before char `end` is a code.
    fn code_before(&self, end: usize) -> bool {
        // Codes are short; the cap keeps a pathological run from being rescanned.
        let from = (end.saturating_sub(64)..end)
            .rev()
            .take_while(|&k| self.ch(k).is_some_and(char::is_alphanumeric))
            .last()
            .unwrap_or(end);
        self.is_code(from, end)
    }

    /// Whether the alphanumeric run starting at char `from` is a code.
    fn code_after(&self, from: usize) -> bool {
        let end = (from..from + 64)
            .find(|&k| !self.ch(k).is_some_and(char::is_alphanumeric))
            .unwrap_or(from + 64);
        self.is_code(from, end)
    }

    /// A code holds a letter and also a digit, two capitals, or is one capital alone (`CAH`,
    /// `CoV`, `A1c`, `HT3`, `B`), unlike a word (`mid`, `day`, `Day`, `mg`).
    fn is_code(&self, from: usize, end: usize) -> bool {
        let (mut letters, mut upper, mut digit) = (0, 0, false);
        for c in (from..end).filter_map(|k| self.ch(k)) {
            letters += usize::from(c.is_alphabetic());
            upper += usize::from(c.is_uppercase());
            digit |= c.is_ascii_digit();
        }
        letters > 0 && (digit || upper >= 2 || (letters == 1 && upper == 1))
    }

    fn number(&mut self, start: usize, space: bool, at_line_start: bool) -> usize {
        let prev = start.checked_sub(1).and_then(|p| self.ch(p));

        if prev == Some('[') {
            // `[1]`, `[1, 2]`, `[1-3]`: reference marks.
            let mut j = start;
            while self
                .ch(j)
                .is_some_and(|c| c.is_ascii_digit() || c == ',' || c == ' ' || is_dash(c))
            {
                j += 1;
            }
            if self.ch(j) == Some(']') {
                self.push(TokKind::Other, start, j, space, None);
                return j;
            }
        }

        let mut k = start;
        let mut int = String::new();
        let mut frac = String::new();
        let mut has_frac = false;
        if self.ch(k) == Some('.') {
            has_frac = true;
            k = self.digits(k + 1, &mut frac);
        } else {
            k = self.digits(k, &mut int);
            if int.len() <= 3 && !int.trim_start_matches('0').is_empty() {
                while self.ch(k).is_some_and(|c| c == ',' || is_group_space(c))
                    && self.group_at(k + 1)
                {
                    k = self.digits(k + 1, &mut int);
                }
            }
            if matches!(self.ch(k), Some('.' | ',')) && self.is_digit(k + 1) {
                let mut f = String::new();
                let after = self.digits(k + 1, &mut f);
                // `1,2,3` is a list of numbers, not 1.2 followed by 3 or 1 followed by 2.3.
                let list = self.ch(k) == Some(',')
                    && ((self.ch(after) == Some(',') && self.is_digit(after + 1))
                        || (prev == Some(',') && start >= 2 && self.is_digit(start - 2)));
                if !list {
                    has_frac = true;
                    frac = f;
                    k = after;
                }
            }
        }

        let mut skip = false;
        // `1.2.3`, `29.10.2025`: versions, sections, dates.
        while has_frac && self.ch(k) == Some('.') && self.is_digit(k + 1) {
            skip = true;
            k += 1;
            while self.is_digit(k) {
                k += 1;
            }
        }
        match prev {
            Some(p) if p.is_alphabetic() || p == '^' => skip = true,
            Some(p) if is_connector(p) && self.code_before(start - 1) => skip = true,
            _ => {}
        }
        // `5-HT3`, `2-PAM`: a number heading a code.
        if self.ch(k).is_some_and(is_connector)
            && self.ch(k + 1).is_some_and(char::is_alphabetic)
            && self.code_after(k + 1)
        {
            skip = true;
        }
        let mut letters_end = k;
        while self.ch(letters_end).is_some_and(char::is_alphabetic) {
            letters_end += 1;
        }
        if letters_end > k {
            let suffix = &self.text[self.off(k)..self.off(letters_end)];
            let ordinal = ["st", "nd", "rd", "th"]
                .iter()
                .any(|o| suffix.eq_ignore_ascii_case(o));
            if self.is_digit(letters_end) || (ordinal && !has_frac) {
                skip = true;
            }
        }
        if skip {
            let end = self.rest_of_code(k);
            self.push(TokKind::Other, start, end, space, None);
            return end;
        }

        let list_marker = at_line_start
            && !has_frac
            && int.len() <= 3
            && matches!(self.ch(k), Some('.' | ')'))
            && self.ch(k + 1).is_some_and(char::is_whitespace);
        if list_marker {
            self.push(TokKind::Other, start, k, space, None);
            return k;
        }

        let canon = canonical(&int, &frac);
        let value = canon.parse().unwrap_or(f64::NAN);
        let val = Val {
            canon,
            value,
            word: false,
        };
        self.push(TokKind::Num, start, k, space, Some(val));
        k
    }

    fn word(&mut self, start: usize, space: bool) -> usize {
        let mut k = start;
        while self.ch(k).is_some_and(char::is_alphabetic) {
            k += 1;
        }
        let w = &self.text[self.off(start)..self.off(k)];
        // A word glued to digits is a unit (`30mg`) or a code (`H2`), never a number word.
        let glued = (start > 0 && self.is_digit(start - 1)) || self.is_digit(k);
        let Some(mut value) = number_word(w).filter(|_| !glued) else {
            self.push(TokKind::Word, start, k, space, None);
            return k;
        };
        let mut end = k;
        if value >= 20 && matches!(self.ch(k), Some('-' | '\u{2010}' | '\u{2011}' | ' ')) {
            let mut e = k + 1;
            while self.ch(e).is_some_and(char::is_alphabetic) {
                e += 1;
            }
            let unit = number_word(&self.text[self.off(k + 1)..self.off(e)]);
            if let Some(u) = unit.filter(|u| (1..=9).contains(u))
                && !self.is_digit(e)
            {
                value += u;
                end = e;
            }
        }
        let val = Val {
            canon: value.to_string(),
            value: f64::from(value),
            word: true,
        };
        self.push(TokKind::Num, start, end, space, Some(val));
        end
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns over tokens

fn parse(text: &str) -> Vec<Found> {
    let toks = Lexer::new(text).run();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        i = match toks[i].kind {
            TokKind::Word => sample_size(text, &toks, i, &mut out),
            TokKind::Num => figure(text, &toks, i, &mut out),
            _ => i + 1,
        };
    }
    out
}

fn is_word(text: &str, tok: Option<&Tok>, word: &str) -> bool {
    tok.is_some_and(|t| t.kind == TokKind::Word && text[t.start..t.end].eq_ignore_ascii_case(word))
}

fn num(tok: Option<&Tok>) -> Option<&Val> {
    tok.filter(|t| t.kind == TokKind::Num)
        .and_then(|t| t.num.as_ref())
}

fn push(text: &str, out: &mut Vec<Found>, start: usize, end: usize, key: Key, bare_one: bool) {
    out.push(Found {
        figure: Figure {
            text: text[start..end].to_owned(),
            start,
            end,
            kind: key.kind(),
        },
        key,
        bare_one,
    });
}

/// `n=50`, `N = 50`.
fn sample_size(text: &str, toks: &[Tok], i: usize, out: &mut Vec<Found>) -> usize {
    let eq = toks.get(i + 1).is_some_and(|t| t.kind == TokKind::Eq);
    match num(toks.get(i + 2)) {
        Some(v) if eq && !v.word && is_word(text, toks.get(i), "n") => {
            let key = Key::SampleSize(v.canon.clone());
            push(text, out, toks[i].start, toks[i + 2].end, key, false);
            i + 3
        }
        _ => i + 1,
    }
}

/// The index after a percent suffix starting at `j`, if there is one.
fn percent_suffix(text: &str, toks: &[Tok], j: usize) -> Option<usize> {
    let t = toks.get(j)?;
    if t.kind == TokKind::Percent || is_word(text, Some(t), "percent") {
        return Some(j + 1);
    }
    if !is_word(text, Some(t), "per") {
        return None;
    }
    if is_word(text, toks.get(j + 1), "cent") {
        return Some(j + 2);
    }
    let hyphen = toks
        .get(j + 1)
        .is_some_and(|d| d.kind == TokKind::Dash && !d.space);
    let cent = toks.get(j + 2).filter(|c| !c.space);
    (hyphen && is_word(text, cent, "cent")).then_some(j + 3)
}

/// How many `sep number` pairs follow the number at `i` with no space at all and the same
/// separator: two or more make a date or code (`2025-10-29`), not a range or ratio.
fn chain_len(toks: &[Tok], i: usize) -> usize {
    let sep_kind = match toks.get(i + 1) {
        Some(t) if matches!(t.kind, TokKind::Dash | TokKind::Slash | TokKind::Colon) => t.kind,
        _ => return 0,
    };
    let mut n = 0;
    let mut j = i + 1;
    while let (Some(sep), Some(next)) = (toks.get(j), toks.get(j + 1)) {
        let tight = !sep.space && !next.space;
        let plain = next.num.as_ref().is_some_and(|v| !v.word);
        if sep.kind != sep_kind || next.kind != TokKind::Num || !tight || !plain {
            break;
        }
        n += 1;
        j += 2;
    }
    n
}

/// The number at `i` and what it heads: a range, a ratio, a percentage or a plain number.
fn figure(text: &str, toks: &[Tok], i: usize, out: &mut Vec<Found>) -> usize {
    let chain = chain_len(toks, i);
    if chain >= 2 {
        return i + 2 * chain + 1;
    }
    let Some(left) = num(toks.get(i)) else {
        return i + 1;
    };
    let start = toks[i].start;
    let left_pct = percent_suffix(text, toks, i + 1);
    let j = left_pct.unwrap_or(i + 1);

    if left_pct.is_some()
        && (is_word(text, toks.get(j), "ci") || is_word(text, toks.get(j), "confidence"))
    {
        return j;
    }

    let between = i > 0 && is_word(text, toks.get(i - 1), "between");
    let sep = toks.get(j);
    let range_sep = sep.is_some_and(|s| s.kind == TokKind::Dash)
        || is_word(text, sep, "to")
        || (between && is_word(text, sep, "and"));
    if range_sep
        && let Some(right) = num(toks.get(j + 1))
        && chain_len(toks, j + 1) < 2
        && left.value < right.value
    {
        let right_pct = percent_suffix(text, toks, j + 2);
        let next = right_pct.unwrap_or(j + 2);
        let key = Key::Range {
            lo: left.canon.clone(),
            hi: right.canon.clone(),
            percent: left_pct.is_some() || right_pct.is_some(),
        };
        let start = if between { toks[i - 1].start } else { start };
        push(text, out, start, toks[next - 1].end, key, false);
        return next;
    }

    if left_pct.is_none()
        && let Some(r) = ratio_right(text, toks, i + 1)
        && let Some(right) = num(toks.get(r))
        && percent_suffix(text, toks, r + 1).is_none()
    {
        let key = Key::Ratio(left.canon.clone(), right.canon.clone());
        push(text, out, start, toks[r].end, key, false);
        return r + 1;
    }

    let (key, bare_one) = match left_pct {
        Some(_) => (Key::Percent(left.canon.clone()), false),
        None => (
            Key::Number(left.canon.clone()),
            left.word && left.canon == "1",
        ),
    };
    push(text, out, start, toks[j - 1].end, key, bare_one);
    j
}

/// Where the second number of a ratio would be, after `in`, `of`, `out of`, or a tight `/` `:`.
fn ratio_right(text: &str, toks: &[Tok], j: usize) -> Option<usize> {
    let sep = toks.get(j)?;
    if is_word(text, Some(sep), "in") || is_word(text, Some(sep), "of") {
        return Some(j + 1);
    }
    if is_word(text, Some(sep), "out") && is_word(text, toks.get(j + 1), "of") {
        return Some(j + 2);
    }
    let tight = matches!(sep.kind, TokKind::Slash | TokKind::Colon)
        && !sep.space
        && toks.get(j + 1).is_some_and(|t| !t.space);
    tight.then_some(j + 1)
}

#[cfg(test)]
mod tests;
