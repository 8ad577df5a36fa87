//! The domain: claims, topics, sources and their review state, as read from the files.
//! These types never reach templates (they see `render::view`), so they can change freely.

pub mod config;
pub mod fingerprint;
pub mod idmap;

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::text::yaml::Pos;
use crate::text::yaml::Spanned;

/// What a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Finding,
    Recommendation,
    Definition,
    PracticePoint,
}

impl Kind {
    pub const NAMES: &'static [&'static str] =
        &["finding", "recommendation", "definition", "practice-point"];

    pub fn from_name(name: &str) -> Option<Kind> {
        match name {
            "finding" => Some(Kind::Finding),
            "recommendation" => Some(Kind::Recommendation),
            "definition" => Some(Kind::Definition),
            "practice-point" => Some(Kind::PracticePoint),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Finding => "Finding",
            Kind::Recommendation => "Recommendation",
            Kind::Definition => "Definition",
            Kind::PracticePoint => "Practice point",
        }
    }

    /// Findings and recommendations are graded and need sources from `submitted` on.
    pub fn is_graded(self) -> bool {
        matches!(self, Kind::Finding | Kind::Recommendation)
    }

    pub fn needs_source(self) -> bool {
        !matches!(self, Kind::PracticePoint)
    }
}

/// How a source bears on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    #[default]
    Supports,
    Qualifies,
    Disputes,
}

impl Relation {
    pub const NAMES: &'static [&'static str] = &["supports", "qualifies", "disputes"];

    pub fn from_name(name: &str) -> Option<Relation> {
        match name {
            "supports" => Some(Relation::Supports),
            "qualifies" => Some(Relation::Qualifies),
            "disputes" => Some(Relation::Disputes),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// The recorded review state of a claim or topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    #[default]
    Draft,
    Submitted,
    InReview,
    ChangesRequested,
    Approved,
    Retired,
}

impl ReviewStatus {
    pub const NAMES: &'static [&'static str] = &[
        "draft",
        "submitted",
        "in-review",
        "changes-requested",
        "approved",
        "retired",
    ];

    pub fn from_name(name: &str) -> Option<ReviewStatus> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    const ALL: [ReviewStatus; 6] = [
        ReviewStatus::Draft,
        ReviewStatus::Submitted,
        ReviewStatus::InReview,
        ReviewStatus::ChangesRequested,
        ReviewStatus::Approved,
        ReviewStatus::Retired,
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A decision recorded in a review history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewAction {
    Submit,
    Start,
    Approve,
    RequestChanges,
    Retire,
}

impl ReviewAction {
    pub const NAMES: &'static [&'static str] =
        &["submit", "start", "approve", "request-changes", "retire"];

    pub fn from_name(name: &str) -> Option<ReviewAction> {
        match name {
            "submit" => Some(ReviewAction::Submit),
            "start" => Some(ReviewAction::Start),
            "approve" => Some(ReviewAction::Approve),
            "request-changes" => Some(ReviewAction::RequestChanges),
            "retire" => Some(ReviewAction::Retire),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The transition table of DESIGN §5: the state an action leads to from `from`, or None
    /// when the table does not allow it. (`approve` leads to `approved` only once enough
    /// reviewers approved; the caller decides that.)
    pub fn next(self, from: ReviewStatus) -> Option<ReviewStatus> {
        use ReviewStatus as S;
        match (self, from) {
            (ReviewAction::Submit, S::Draft | S::ChangesRequested | S::Approved | S::Retired) => {
                Some(S::Submitted)
            }
            (ReviewAction::Start, S::Submitted | S::Approved) => Some(S::InReview),
            (ReviewAction::RequestChanges, S::InReview) => Some(S::ChangesRequested),
            (ReviewAction::Approve, S::InReview) => Some(S::Approved),
            (ReviewAction::Retire, from) if from != S::Retired => Some(S::Retired),
            _ => None,
        }
    }
}

/// What every page, the dashboard, the API and the handout show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EffectiveStatus {
    Retired,
    CitesRetracted,
    ChangedSinceApproval,
    Draft,
    Submitted,
    InReview,
    ChangesRequested,
    Approved,
}

impl EffectiveStatus {
    /// Every status, in the order of DESIGN §5's "lowest" ordering (retired last: it does
    /// not count towards a page's status).
    pub const ORDERED: [EffectiveStatus; 8] = [
        EffectiveStatus::CitesRetracted,
        EffectiveStatus::Draft,
        EffectiveStatus::ChangesRequested,
        EffectiveStatus::Submitted,
        EffectiveStatus::ChangedSinceApproval,
        EffectiveStatus::InReview,
        EffectiveStatus::Approved,
        EffectiveStatus::Retired,
    ];

    /// Precedence of §5: retired → cites a retracted source → changed since approval →
    /// the recorded status.
    pub fn of(recorded: ReviewStatus, cites_retracted: bool, changed_since_approval: bool) -> Self {
        if recorded == ReviewStatus::Retired {
            EffectiveStatus::Retired
        } else if cites_retracted {
            EffectiveStatus::CitesRetracted
        } else if changed_since_approval && recorded == ReviewStatus::Approved {
            EffectiveStatus::ChangedSinceApproval
        } else {
            match recorded {
                ReviewStatus::Draft => EffectiveStatus::Draft,
                ReviewStatus::Submitted => EffectiveStatus::Submitted,
                ReviewStatus::InReview => EffectiveStatus::InReview,
                ReviewStatus::ChangesRequested => EffectiveStatus::ChangesRequested,
                ReviewStatus::Approved => EffectiveStatus::Approved,
                ReviewStatus::Retired => EffectiveStatus::Retired,
            }
        }
    }

    /// Position in the "lowest status" order (lower is worse); retired has none.
    pub fn rank(self) -> Option<usize> {
        (self != EffectiveStatus::Retired)
            .then(|| Self::ORDERED.iter().position(|s| *s == self).unwrap_or(0))
    }

    /// The lowest status of a page: its own and its embedded claims'; retired claims do not count.
    pub fn lowest(statuses: impl IntoIterator<Item = EffectiveStatus>) -> Option<EffectiveStatus> {
        statuses
            .into_iter()
            .filter(|s| s.rank().is_some())
            .min_by_key(|s| s.rank())
    }

    pub fn name(self) -> &'static str {
        match self {
            EffectiveStatus::Retired => "retired",
            EffectiveStatus::CitesRetracted => "cites-retracted",
            EffectiveStatus::ChangedSinceApproval => "changed-since-approval",
            EffectiveStatus::Draft => "draft",
            EffectiveStatus::Submitted => "submitted",
            EffectiveStatus::InReview => "in-review",
            EffectiveStatus::ChangesRequested => "changes-requested",
            EffectiveStatus::Approved => "approved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EffectiveStatus::Retired => "Retired",
            EffectiveStatus::CitesRetracted => "Cites a retracted source",
            EffectiveStatus::ChangedSinceApproval => "Changed since approval",
            EffectiveStatus::Draft => "Draft",
            EffectiveStatus::Submitted => "Submitted for review",
            EffectiveStatus::InReview => "In review",
            EffectiveStatus::ChangesRequested => "Changes requested",
            EffectiveStatus::Approved => "Approved",
        }
    }

    pub fn is_approved(self) -> bool {
        self == EffectiveStatus::Approved
    }
}

/// One claim file.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: String,
    /// Path relative to the site root, '/'-separated.
    pub path: String,
    pub kind: Kind,
    pub statement: Spanned<String>,
    /// Wording per audience id, in the order written.
    pub audiences: Vec<(Spanned<String>, Spanned<String>)>,
    pub certainty: Option<Spanned<String>>,
    pub certainty_reason: Option<String>,
    pub level: Option<Level>,
    pub strength: Option<Spanned<String>>,
    pub basis: Option<String>,
    pub sources: Vec<SourceLink>,
    pub tags: Vec<String>,
    pub allow: Vec<Allow>,
    pub derived: Vec<Derived>,
    pub review: Review,
}

impl Claim {
    pub fn wording(&self, audience: &str) -> &str {
        self.audiences
            .iter()
            .find(|(a, _)| a.value == audience)
            .map_or(&self.statement.value, |(_, w)| &w.value)
    }

    pub fn allows(&self, code: crate::diag::Code) -> bool {
        self.allow.iter().any(|a| a.code == code.as_str())
    }
}

/// A second scale's rating (Oxford CEBM levels, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level {
    pub scale: String,
    pub question: Option<String>,
    pub level: String,
    pub downgraded_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceLink {
    pub id: Spanned<String>,
    pub locator: Option<String>,
    pub quote: Option<Spanned<String>>,
    pub relation: Relation,
    /// Where the link's list item starts (for diagnostics about the link as a whole).
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    pub code: String,
    pub reason: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub figure: String,
    pub reason: String,
}

/// A review block, on a claim or a topic.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Review {
    pub status: ReviewStatus,
    pub status_pos: Pos,
    pub history: Vec<HistoryEntry>,
    pub next_review: Option<Date>,
    pub retired: Option<Retired>,
    /// Byte range of the whole `review:` entry (key to the end of its value) in the file,
    /// when the file has one; `review` edits replace exactly this range.
    pub span: Option<(usize, usize)>,
}

impl Review {
    /// The last approval entry, if any.
    pub fn last_approval(&self) -> Option<&HistoryEntry> {
        self.history
            .iter()
            .rev()
            .find(|e| e.action == ReviewAction::Approve)
    }

    /// The last dated entry (for "last reviewed").
    pub fn last_entry(&self) -> Option<&HistoryEntry> {
        self.history.iter().max_by_key(|e| e.date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub date: Date,
    pub by: Spanned<String>,
    pub action: ReviewAction,
    pub note: Option<String>,
    pub fingerprint: Option<String>,
    /// The wording approved, kept for the diff when it changes later.
    pub approved: Option<ApprovedWording>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovedWording {
    pub statement: Option<String>,
    pub audiences: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub reason: String,
    pub replaced_by: Option<Spanned<String>>,
}

/// A topic page (or a plain page such as an editorial policy).
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub slug: Spanned<String>,
    pub path: String,
    pub page_kind: PageKind,
    pub title: String,
    pub question: Option<String>,
    pub summary: Option<String>,
    pub review: Review,
    /// The front matter as JSON without `review` (for the fingerprint).
    pub front_matter: serde_json::Value,
    pub body: String,
    /// Lines before the body in the file (front matter and its fences).
    pub body_line: u32,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// Embeds, claim links and citations, in document order.
    pub references: Vec<PageRef>,
}

impl Topic {
    /// Ids of the claims embedded (not merely linked), in order of first appearance.
    pub fn embedded_claims(&self) -> Vec<&str> {
        let mut seen = std::collections::BTreeSet::new();
        self.references
            .iter()
            .filter(|r| r.kind == PageRefKind::Embed && seen.insert(r.id.as_str()))
            .map(|r| r.id.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    Topic,
    Page,
}

/// What a reference in a page body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRefKind {
    /// `[[claim-id]]` alone in its paragraph or list item.
    Embed,
    /// `[[claim-id]]` inside a sentence: a link to the claim page.
    ClaimLink,
    /// `[@id]` or `[@id, locator]` in prose; `[@a; @b]` gives one per key.
    Cite { locator: Option<String> },
}

/// A claim or source referred to from a page body, with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    pub kind: PageRefKind,
    pub id: String,
    pub line: u32,
    pub column: u32,
}

/// Study designs, with the highest GRADE certainty each can carry (DESIGN §5).
pub const DESIGNS: &[(&str, u8)] = &[
    ("systematic-review", 4),
    ("meta-analysis", 4),
    ("rct", 4),
    ("cohort", 2),
    ("case-control", 2),
    ("cross-sectional", 2),
    ("pharmacokinetic", 2),
    ("case-series", 1),
    ("case-report", 1),
    ("survey", 1),
    ("narrative-review", 1),
    ("expert-opinion", 1),
    ("database", 1),
    ("web-page", 1),
    ("guideline", 1),
];

pub fn design_names() -> Vec<&'static str> {
    DESIGNS.iter().map(|(n, _)| *n).collect()
}

/// Highest certainty rank (4 high … 1 very low) a design can carry.
pub fn design_ceiling(design: &str) -> Option<u8> {
    DESIGNS.iter().find(|(n, _)| *n == design).map(|(_, r)| *r)
}

pub fn design_label(design: &str) -> String {
    match design {
        "rct" => "Randomised controlled trial".into(),
        other => crate::text::capitalise(other),
    }
}

/// Evidence fields kept beside a source's CSL record.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceFields {
    pub design: Option<String>,
    pub sample_size: Option<u64>,
    pub label: Option<String>,
    pub retracted: Option<Retraction>,
    pub superseded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retraction {
    pub date: Option<String>,
    pub notice: Option<String>,
}

/// A bibliographic record: CSL-JSON as the truth, plus evidence fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub slug: String,
    /// Where the record was defined.
    pub path: String,
    pub pos: Pos,
    /// The CSL-JSON item (with `id`), evidence fields removed.
    pub csl: serde_json::Map<String, serde_json::Value>,
    pub evidence: EvidenceFields,
}

impl Source {
    pub fn csl_str(&self, key: &str) -> Option<&str> {
        self.csl
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty())
    }

    pub fn title(&self) -> &str {
        self.csl_str("title").unwrap_or(&self.id)
    }

    pub fn doi(&self) -> Option<&str> {
        self.csl_str("DOI")
    }

    pub fn pmid(&self) -> Option<&str> {
        self.csl_str("PMID")
    }

    pub fn pmcid(&self) -> Option<&str> {
        self.csl_str("PMCID")
    }

    /// The issued year, from CSL `date-parts` or a `raw`/`literal` date.
    pub fn year(&self) -> Option<i32> {
        let issued = self.csl.get("issued")?;
        if let Some(year) = issued
            .get("date-parts")
            .and_then(|p| p.get(0))
            .and_then(|p| p.get(0))
            .and_then(|y| {
                y.as_i64()
                    .or_else(|| y.as_str().and_then(|s| s.trim().parse().ok()))
            })
        {
            return i32::try_from(year).ok();
        }
        let text = issued
            .get("raw")
            .or_else(|| issued.get("literal"))
            .and_then(|v| v.as_str())?;
        text.get(..4)?.parse().ok()
    }

    /// The reference-list label: the editor's `label`, else one from the design or CSL type.
    pub fn label(&self) -> String {
        if let Some(label) = &self.evidence.label {
            return label.clone();
        }
        match self.evidence.design.as_deref() {
            Some("guideline") => "Guideline".into(),
            Some("systematic-review" | "meta-analysis" | "narrative-review") => "Review".into(),
            Some("database") => "Database".into(),
            Some("web-page") => "Web page".into(),
            Some("expert-opinion") => "Expert opinion".into(),
            Some(_) => "Research".into(),
            None => match self.csl_str("type") {
                Some("article-journal") => "Research".into(),
                Some("report") => "Report".into(),
                Some("book" | "chapter") => "Book".into(),
                Some("webpage" | "post-weblog") => "Web page".into(),
                Some("dataset") => "Database".into(),
                _ => "Source".into(),
            },
        }
    }
}

/// Claim ids and slugs: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Slugs evident uses for its own pages.
pub const RESERVED_SLUGS: &[&str] = &[
    "claims", "sources", "review", "grading", "search", "handouts", "api", "static", "pagefind",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_the_table() {
        use ReviewAction as A;
        use ReviewStatus as S;
        assert_eq!(A::Submit.next(S::Draft), Some(S::Submitted));
        assert_eq!(A::Submit.next(S::Retired), Some(S::Submitted));
        assert_eq!(A::Submit.next(S::InReview), None);
        assert_eq!(A::Start.next(S::Approved), Some(S::InReview));
        assert_eq!(A::Start.next(S::Draft), None);
        assert_eq!(A::Approve.next(S::Draft), None);
        assert_eq!(A::Approve.next(S::Submitted), None);
        assert_eq!(A::Approve.next(S::InReview), Some(S::Approved));
        assert_eq!(A::RequestChanges.next(S::Submitted), None);
        assert_eq!(A::Retire.next(S::Retired), None);
        assert_eq!(A::Retire.next(S::Draft), Some(S::Retired));
    }

    #[test]
    fn effective_status_precedence() {
        use EffectiveStatus as E;
        use ReviewStatus as S;
        assert_eq!(E::of(S::Retired, true, true), E::Retired);
        assert_eq!(E::of(S::Approved, true, true), E::CitesRetracted);
        assert_eq!(E::of(S::Approved, false, true), E::ChangedSinceApproval);
        assert_eq!(E::of(S::InReview, false, true), E::InReview);
        assert_eq!(E::of(S::Approved, false, false), E::Approved);
    }

    #[test]
    fn lowest_ignores_retired() {
        use EffectiveStatus as E;
        assert_eq!(E::lowest([E::Approved, E::Retired]), Some(E::Approved));
        assert_eq!(
            E::lowest([E::Approved, E::ChangedSinceApproval, E::InReview]),
            Some(E::ChangedSinceApproval)
        );
        assert_eq!(
            E::lowest([E::Submitted, E::Draft, E::CitesRetracted]),
            Some(E::CitesRetracted)
        );
        assert_eq!(
            E::lowest([E::ChangesRequested, E::Submitted]),
            Some(E::ChangesRequested)
        );
        assert_eq!(E::lowest([E::Retired]), None);
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("c1-x"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("X"));
        assert!(!is_valid_id(""));
    }
}
