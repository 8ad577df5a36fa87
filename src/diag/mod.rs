//! Diagnostics: every content problem is one of these, with a stable code, an exact
//! `path:line:column`, a message and hints. They are collected, never thrown, so one run
//! reports every problem at once.

pub mod explain;
pub mod lines;
pub mod report;

use std::fmt;

use serde::Serialize;

/// How bad a problem is. `--strict` turns warnings into errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `error`: the build fails and the command exits non-zero.
    Error,
    /// `warning`: reported, the build goes on (an error under `--strict`).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A place in a file of the site: path relative to the site root ('/'-separated),
/// 1-based line and column (the column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// The file, relative to the site root, '/'-separated (`content/claims/x.yaml`).
    pub path: String,
    /// 1-based line; never 0.
    pub line: u32,
    /// 1-based column in characters; never 0.
    pub column: u32,
}

impl Location {
    /// A place in `path`; a line or column of 0 is raised to 1.
    pub fn new(path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The start of a file, for problems that concern the file as a whole.
    pub fn file(path: impl Into<String>) -> Self {
        Location::new(path, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// Another place that explains a diagnostic (the other file of a duplicate, say).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    /// The other place (serialized as its `path`, `line` and `column`).
    #[serde(flatten)]
    pub location: Location,
    /// What is at that place ("first defined here"), printed after it as a note.
    pub message: String,
}

/// One content problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning (every warning becomes an error under `--strict`).
    pub severity: Severity,
    /// The stable code tools and `allow:` lists match on.
    pub code: Code,
    /// Where the problem is written; the caret of the human format points here.
    pub location: Location,
    /// How many characters the caret underlines in the human format (at least 1).
    pub width: u32,
    /// What is wrong, in words (printed after `error[code]:`).
    pub message: String,
    /// How to fix it, one suggestion each, in the order added (printed as `= hint:` lines).
    pub hints: Vec<String>,
    /// Other places that explain the problem (printed as `= note:` lines).
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with no hints or related places and a caret one character wide.
    pub fn new(
        severity: Severity,
        code: Code,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            location,
            width: 1,
            message: message.into(),
            hints: Vec::new(),
            related: Vec::new(),
        }
    }

    /// An error (see [`Diagnostic::new`]).
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, location, message)
    }

    /// A warning (see [`Diagnostic::new`]).
    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, location, message)
    }

    /// Adds a hint after those already given.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds the hints given, after those already given (an optional hint, say).
    pub fn hints(mut self, hints: impl IntoIterator<Item = String>) -> Self {
        self.hints.extend(hints);
        self
    }

    /// Adds another place that explains the problem, with what is there.
    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// Sets how many characters the caret underlines (the length of the offending text,
    /// in characters); 0 counts as 1.
    pub fn width(mut self, chars: usize) -> Self {
        self.width = u32::try_from(chars).unwrap_or(u32::MAX).max(1);
        self
    }

    fn sort_key(&self) -> (&Location, Severity, &'static str, &str) {
        (
            &self.location,
            self.severity,
            self.code.as_str(),
            &self.message,
        )
    }
}

/// The collector every stage reports into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem (duplicates are kept until [`Diagnostics::sorted`]).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Moves every problem of `other` into this collector.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether nothing was reported, not even a warning.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems were reported, duplicates included.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The problems in the order reported (unsorted, duplicates included).
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// How many errors were reported, duplicates included.
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many warnings were reported, duplicates included.
    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Whether at least one error was reported (the build must fail).
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Sorted by path, line, column (then severity, code and message, so the order is total
    /// and the output deterministic); exact duplicates are reported once.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// `--strict`: every warning is reported, and counted, as an error.
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The evidence-integrity warnings, by code name: what `evident review` refuses to submit,
/// start or approve unless the item's `allow:` gives a reason (a missing quote only where
/// the review policy requires quotes). Names rather than [`Code`]s, so a code another part
/// of evident adds later (`quote-not-in-source`) is gated as soon as it exists.
pub const EVIDENCE_INTEGRITY: &[&str] = &[
    "unsupported-figure",
    "missing-quote",
    "grade-above-design",
    "cites-retracted",
    "cites-superseded",
    "source-needed",
    "quote-not-in-source",
    "wording-overstates-certainty",
];

/// Whether `code` is one of the [`EVIDENCE_INTEGRITY`] warnings.
pub fn is_evidence_integrity(code: Code) -> bool {
    EVIDENCE_INTEGRITY.contains(&code.as_str())
}

/// "2 errors, 1 warning".
pub fn summary(errors: usize, warnings: usize) -> String {
    fn plural(n: usize, word: &str) -> String {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    }
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

macro_rules! codes {
    ($($variant:ident = $text:literal: $summary:literal;)*) => {
        /// Stable diagnostic codes. The kebab-case text is part of the interface: tools and
        /// `allow:` lists match on it, so a code is never renamed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(#[doc = concat!("`", $text, "`: ", $summary)] $variant,)* }

        impl Code {
            /// Every code, in the order declared (the order of `evident explain`'s list).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users see and write it, kebab-case (`unknown-source`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The code spelled `text` (exactly, kebab-case), or None when there is none.
            pub fn parse(text: &str) -> Option<Code> {
                match text { $($text => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    MalformedYaml = "malformed-yaml": "A YAML file (claim, front matter, source or evident.yaml) could not be parsed.";
    EmptyFile = "empty-file": "A content or source file holds nothing.";
    NotUtf8 = "not-utf8": "A file is not valid UTF-8 text.";
    FileTooLarge = "file-too-large": "A file is larger than evident accepts for its kind.";
    UnreadableFile = "unreadable-file": "A file could not be read from disk.";
    MissingFrontMatter = "missing-front-matter": "A Markdown page does not start with a `---` front matter block.";
    UnclosedFrontMatter = "unclosed-front-matter": "A Markdown page's front matter is never closed by a `---` line.";
    UnknownField = "unknown-field": "A key that evident does not know (often a typo).";
    WrongType = "wrong-type": "A value has the wrong shape (a list where text was expected, say).";
    MissingField = "missing-field": "A required key is missing.";
    InvalidValue = "invalid-value": "A value is not one of the allowed ones.";
    InvalidDate = "invalid-date": "A date is not a real YYYY-MM-DD date.";
    InvalidId = "invalid-id": "A claim or source id that evident cannot use as written.";
    DuplicateId = "duplicate-id": "Two files or records share one id.";
    UnknownSource = "unknown-source": "A claim cites a source id that no file in citations/ defines.";
    UnknownClaim = "unknown-claim": "A page embeds `[[id]]` but no claim has that id.";
    InlineClaim = "inline-claim": "A page writes `[[id]]` inside a sentence; embeds stand alone, links are `[text](@id)`.";
    BrokenLink = "broken-link": "A link in a page names a page or an anchor the site does not have.";
    UnpublishedLink = "unpublished-link": "A page links to a page the public site does not publish; the link is shown as text.";
    ExternalLink = "external-link": "An external URL or DOI did not answer successfully (`evident check --external`).";
    UnknownCitation = "unknown-citation": "A page cites `[@id]` in prose but no source has that id.";
    UnknownReviewer = "unknown-reviewer": "A review entry names a reviewer not declared in evident.yaml.";
    UnknownAudience = "unknown-audience": "A claim has wording for an audience the site does not declare.";
    ReservedSlug = "reserved-slug": "A page's slug is one evident uses for its own pages.";
    SlugClash = "slug-clash": "Two pages, or two sources, would be written to the same place.";
    SourceNeeded = "source-needed": "A draft claim has no source yet; it is shown as \"source needed\".";
    MissingSource = "missing-source": "A finding, recommendation or definition past draft cites no source.";
    MissingCertainty = "missing-certainty": "A finding or recommendation past draft has no certainty.";
    MissingStrength = "missing-strength": "A recommendation has no strength.";
    MissingBasis = "missing-basis": "A practice point does not say why it is given.";
    MissingQuote = "missing-quote": "A claim-to-source link has no quote to check the claim against.";
    UnsupportedFigure = "unsupported-figure": "A number in a claim is not found in any quote of its cited sources.";
    QuoteNotInSource = "quote-not-in-source": "A quote located in the abstract is not in the abstract its source's record carries.";
    GradeAboveDesign = "grade-above-design": "A certainty higher than the designs of the cited sources can carry.";
    EmbedsRetired = "embeds-retired": "A page embeds a retired claim.";
    ReplacedByCycle = "replaced-by-cycle": "Retired claims replace each other in a circle.";
    UnknownReplacement = "unknown-replacement": "`replaced_by` or `superseded_by` names an id that does not exist.";
    CitesRetracted = "cites-retracted": "A claim cites a retracted source.";
    CitesSuperseded = "cites-superseded": "A claim cites a source that a newer source supersedes.";
    UnknownRole = "unknown-role": "A reviewer's role is not one `review.roles` declares.";
    SourceUnused = "source-unused": "A source is never cited by a claim or a page.";
    SourceWithoutDesign = "source-without-design": "A source has no study design, so its evidence cannot be weighed.";
    ApprovedWithoutHistory = "approved-without-history": "A claim or page says approved but its history records no approval.";
    ChangedSinceApproval = "changed-since-approval": "Approved content changed after it was approved.";
    ApprovedVersion = "approved-version": "An approved version under reviewed/ is missing, unreadable or does not match its approval.";
    InvalidReview = "invalid-review": "A review block that contradicts itself (a retired claim without a reason, say).";
    MalformedSource = "malformed-source": "A BibTeX, RIS or PubMed (nbib) export could not be read as written.";
    UnsupportedFormat = "unsupported-format": "A file in citations/ whose format evident does not read.";
    DuplicateIdentifier = "duplicate-identifier": "One DOI or PMID appears under two source ids.";
    DuplicateImport = "duplicate-import": "An imported record is a work the site, or an earlier record of the export, already holds.";
    DuplicateField = "duplicate-field": "A BibTeX entry or a CSL-JSON item gives one field twice; one value is kept.";
    SourceIncomplete = "source-incomplete": "A source has no title, no author or editor, or no year, so its reference would be incomplete.";
    AllowWithoutReason = "allow-without-reason": "An `allow:` entry silences a warning without saying why.";
    UnknownAllow = "unknown-allow": "An `allow:` entry names a code that does not exist.";
    RawHtml = "raw-html": "Raw HTML in content; it is shown as text, never run.";
    ReadingLevel = "reading-level": "A plain-language audience's wording reads above the site's target grade.";
    WordingOverstatesCertainty = "wording-overstates-certainty": "A wording states low-certainty evidence as certain, or words a recommendation against its strength.";
    SymlinkSkipped = "symlink-skipped": "A symbolic link in content/, citations/ or reviewed/ is not followed, so what it points to is not read.";
    SupersededByItself = "superseded-by-itself": "A source's `superseded_by` names the source itself.";
    ImpossibleDate = "impossible-date": "A source's publication date cannot be right (month 13, February 30, year 0 or 99999).";
    ControlCharacter = "control-character": "A control character (BEL, ESC…) is in a file's text; it is left out of what is built.";
    MissingGlyph = "missing-glyph": "No font evident can use has a character of a PDF handout; the PDF is written without it.";
    ThemeOutsideSite = "theme-outside-site": "evident.yaml's `theme` is not a folder of themes/, or its folder leads outside the site through a link.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kebab_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{text}"
            );
            assert!(seen.insert(text), "duplicate code {text}");
            assert_eq!(Code::parse(text), Some(*code));
        }
    }

    #[test]
    fn sorts_by_place_then_dedups() {
        let mut d = Diagnostics::new();
        let b = Diagnostic::error(Code::UnknownSource, Location::new("b.yaml", 1, 1), "x");
        let a2 = Diagnostic::error(Code::UnknownSource, Location::new("a.yaml", 10, 2), "x");
        let a1 = Diagnostic::warning(Code::MissingQuote, Location::new("a.yaml", 2, 5), "y");
        d.push(b.clone());
        d.push(a2.clone());
        d.push(a1.clone());
        d.push(b.clone());
        assert_eq!(d.sorted(), vec![a1, a2, b]);
    }

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary(2, 1), "2 errors, 1 warning");
        assert_eq!(summary(0, 0), "0 errors, 0 warnings");
    }
}
