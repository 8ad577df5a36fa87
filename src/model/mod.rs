//! The domain: claims, topics, sources and their review state, as read from the files.
//! These types never reach templates (they see `render::view`), so they can change freely.

pub mod certainty;
pub mod config;
pub mod contact;
pub mod face;
pub mod fingerprint;
pub mod fonts;
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
    /// `finding`: what studies found; graded, needs a source.
    Finding,
    /// `recommendation`: what to do; graded, needs a source and a `strength`.
    Recommendation,
    /// `definition`: what a term means; not graded, needs a source.
    Definition,
    /// `practice-point`: advice from practice; needs a `basis` instead of a source.
    PracticePoint,
}

impl Kind {
    /// The spellings of `kind:` in a claim file, in the order of the variants.
    pub const NAMES: &'static [&'static str] =
        &["finding", "recommendation", "definition", "practice-point"];

    /// The kind spelled `name` in a claim file, or None.
    pub fn from_name(name: &str) -> Option<Kind> {
        match name {
            "finding" => Some(Kind::Finding),
            "recommendation" => Some(Kind::Recommendation),
            "definition" => Some(Kind::Definition),
            "practice-point" => Some(Kind::PracticePoint),
            _ => None,
        }
    }

    /// The spelling in a claim file (`practice-point`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The name shown to readers (`Practice point`).
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

    /// Whether a claim of this kind must cite a source (all but practice points): a draft
    /// without one is shown as "source needed", a claim past draft without one is an error.
    pub fn needs_source(self) -> bool {
        !matches!(self, Kind::PracticePoint)
    }
}

/// How a source bears on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// `supports` (the default when a link gives no `relation`): the source backs the claim.
    #[default]
    Supports,
    /// `qualifies`: the source limits the claim or adds conditions to it.
    Qualifies,
    /// `disputes`: the source contradicts the claim.
    Disputes,
}

impl Relation {
    /// The spellings of `relation:` in a source link, in the order of the variants.
    pub const NAMES: &'static [&'static str] = &["supports", "qualifies", "disputes"];

    /// The relation spelled `name` in a source link, or None.
    pub fn from_name(name: &str) -> Option<Relation> {
        match name {
            "supports" => Some(Relation::Supports),
            "qualifies" => Some(Relation::Qualifies),
            "disputes" => Some(Relation::Disputes),
            _ => None,
        }
    }

    /// The spelling in a source link (`qualifies`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// The recorded review state of a claim or topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    /// `draft` (the default, also without a `review:` block): being written.
    #[default]
    Draft,
    /// `submitted`: handed in for review, no reviewer has started.
    Submitted,
    /// `in-review`: a reviewer started, or approvals are still short of the required number.
    InReview,
    /// `changes-requested`: a reviewer asked for changes; the author submits again.
    ChangesRequested,
    /// `approved`: approved by as many reviewers as the review policy requires.
    Approved,
    /// `retired`: withdrawn, with a reason (and perhaps a replacement) under `retired:`.
    Retired,
}

impl ReviewStatus {
    /// The spellings of `status:` in a `review:` block, in the order of the variants.
    pub const NAMES: &'static [&'static str] = &[
        "draft",
        "submitted",
        "in-review",
        "changes-requested",
        "approved",
        "retired",
    ];

    /// The status spelled `name` in a `review:` block, or None.
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

    /// The spelling in a `review:` block (`in-review`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A decision recorded in a review history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewAction {
    /// `submit`: the author hands the content in for review.
    Submit,
    /// `start`: a reviewer starts reviewing.
    Start,
    /// `approve`: a reviewer approves the current wording (recorded with its fingerprint).
    Approve,
    /// `request-changes`: a reviewer asks for changes, saying which in the note.
    RequestChanges,
    /// `retire`: the content is withdrawn, with a reason.
    Retire,
}

impl ReviewAction {
    /// The spellings of `action:` in a history entry (and of `evident review`'s
    /// subcommands), in the order of the variants.
    pub const NAMES: &'static [&'static str] =
        &["submit", "start", "approve", "request-changes", "retire"];

    /// The action spelled `name` in a history entry, or None.
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

    /// The spelling in a history entry (`request-changes`).
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
    /// `retired`: the recorded status is retired (this wins over everything else).
    Retired,
    /// `cites-retracted`: the claim cites a retracted source, whatever its recorded status.
    CitesRetracted,
    /// `changed-since-approval`: recorded as approved, but the content no longer matches
    /// the fingerprint of its last approval.
    ChangedSinceApproval,
    /// `draft`: recorded as draft.
    Draft,
    /// `submitted`: recorded as submitted.
    Submitted,
    /// `in-review`: recorded as in review.
    InReview,
    /// `changes-requested`: recorded as changes requested.
    ChangesRequested,
    /// `approved`: recorded as approved, and unchanged since.
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

    /// The kebab-case name (`cites-retracted`), as templates and CSS classes (`status-…`) see it.
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

    /// The words shown to readers (`Cites a retracted source`).
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

    /// Whether this is `approved` (not merely recorded as approved: a change since or a
    /// retracted source is not).
    pub fn is_approved(self) -> bool {
        self == EffectiveStatus::Approved
    }
}

/// One claim file.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim's id: its file name without `.yaml`/`.yml` (resolve checks it is a valid
    /// id and unique in the site).
    pub id: String,
    /// Path relative to the site root, '/'-separated.
    pub path: String,
    /// `kind:`; `finding` when it is missing or wrong (which is reported).
    pub kind: Kind,
    /// `statement:`, the claim in Markdown as clinicians read it; empty (placed at the
    /// file's first key) when missing, which is reported.
    pub statement: Spanned<String>,
    /// Wording per audience id, in the order written.
    pub audiences: Vec<(Spanned<String>, Spanned<String>)>,
    /// `certainty:`, one of the levels of the site's evidence scale (`low`, `2`,
    /// `not-applicable`); None when absent or not one of them.
    pub certainty: Option<Spanned<String>>,
    /// `certainty_reason:`: why the certainty is what it is.
    pub certainty_reason: Option<String>,
    /// `level:`, a rating in a second scale; None when absent or without `scale` or `level`.
    pub level: Option<Level>,
    /// `strength:` of a recommendation, one of the site's recommendation scale's strengths.
    pub strength: Option<Spanned<String>>,
    /// `basis:`, what a practice point rests on; None when absent or blank.
    pub basis: Option<String>,
    /// `sources:`, the links to the sources it rests on, in the order written (links without
    /// an `id` are left out, and reported).
    pub sources: Vec<SourceLink>,
    /// `tags:`, free words, as written.
    pub tags: Vec<String>,
    /// `allow:`, the warnings silenced for this claim.
    pub allow: Vec<Allow>,
    /// `derived:`, figures of the statement computed from the quotes rather than quoted.
    pub derived: Vec<Derived>,
    /// `review:`; the default (draft, no history) when the file has none.
    pub review: Review,
}

impl Claim {
    /// The wording for `audience`: its entry under `audiences:`, else the statement.
    pub fn wording(&self, audience: &str) -> &str {
        self.audiences
            .iter()
            .find(|(a, _)| a.value == audience)
            .map_or(&self.statement.value, |(_, w)| &w.value)
    }

    /// Whether an `allow:` entry with a reason (not blank) silences `code` for this claim; an
    /// entry without one silences nothing (it is an error of its own).
    pub fn allows(&self, code: crate::diag::Code) -> bool {
        self.allow
            .iter()
            .any(|a| a.code == code.as_str() && !a.reason.trim().is_empty())
    }
}

/// A second scale's rating (Oxford CEBM levels, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level {
    /// `scale:`, the scale's name as written (`oxford-cebm`); not checked against a list.
    pub scale: String,
    /// `question:`, the kind of clinical question: `treatment`, `prognosis`, `harm`,
    /// `diagnosis`, `prevalence` or `screening`.
    pub question: Option<String>,
    /// `level:`, `1` (best) to `5`, as text.
    pub level: String,
    /// `downgraded_from:`, the level (`1` to `5`) before a downgrade, as text.
    pub downgraded_from: Option<String>,
}

/// One entry of a claim's `sources:`: a source it rests on, and where in it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLink {
    /// `id:`, the id of a source in `citations/`, trimmed (resolve reports an unknown one).
    pub id: Spanned<String>,
    /// `locator:`, where in the source (a page, table or section), as written.
    pub locator: Option<String>,
    /// `quote:`, the passage word for word, against which the claim's figures are checked;
    /// None when absent or blank.
    pub quote: Option<Spanned<String>>,
    /// `relation:`; `supports` when absent or wrong.
    pub relation: Relation,
    /// `graded:`, the certainty the source itself reports for this finding (a guideline's
    /// graded recommendation, a GRADE-rated review), in the site's evidence scale; the
    /// link's `locator` says where. `grade-above-design` measures the claim against it
    /// instead of the source's design.
    pub graded: Option<Spanned<String>>,
    /// Where the link's list item starts (for diagnostics about the link as a whole).
    pub pos: Pos,
}

/// One entry of a claim's `allow:`: a diagnostic silenced for this claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// `code:`, a diagnostic code as written (an unknown one is reported, and matches none).
    pub code: String,
    /// `reason:`, shown to readers on the claim page; empty when missing, which is reported.
    pub reason: String,
    /// Where the entry's list item starts.
    pub pos: Pos,
}

/// One entry of a claim's `derived:`: a figure computed rather than quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// `figure:`, the figure as written in the statement (`81.2-96.8%`).
    pub figure: String,
    /// `reason:`, how it was computed from the quote.
    pub reason: String,
}

/// A review block, on a claim or a topic.
///
/// Its positions ([`Pos`], not `span`) are in the YAML that was parsed: for a page, the
/// front matter, whose line 1 is the file's line 2 (after the opening `---`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Review {
    /// `status:`; `draft` when absent or wrong.
    pub status: ReviewStatus,
    /// Where `status:`'s value is written; the start of the block when it has none, and the
    /// default (0:0, shown as 1:1) when there is no `review:` at all.
    pub status_pos: Pos,
    /// `history:`, the decisions in the order written (entries without a valid date, `by`
    /// or action are left out, and reported).
    pub history: Vec<HistoryEntry>,
    /// `next_review:`, the day the content is due for review again.
    pub next_review: Option<Date>,
    /// `retired:`, present when the content was retired.
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

/// One decision of a review's `history:`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// `date:`, the day of the decision (resolve reports one after today).
    pub date: Date,
    /// `by:`, the id of a reviewer declared in evident.yaml (resolve reports an unknown one).
    pub by: Spanned<String>,
    /// `action:`, what was decided.
    pub action: ReviewAction,
    /// `note:`, what the reviewer said (the changes asked for, say).
    pub note: Option<String>,
    /// `fingerprint:`, the content's fingerprint when it was approved (`v1:…`, see
    /// [`fingerprint`]); set by `evident review approve`.
    pub fingerprint: Option<String>,
    /// The wording approved, kept for the diff when it changes later.
    pub approved: Option<ApprovedWording>,
    /// Where the entry's list item starts.
    pub pos: Pos,
}

/// The wording an approval approved (`approved:` in a history entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovedWording {
    /// The statement as approved; None when the entry does not record it.
    pub statement: Option<String>,
    /// Each audience's wording as approved, by audience id.
    pub audiences: BTreeMap<String, String>,
}

/// The `retired:` block of a retired claim or page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    /// `reason:`, shown to readers; empty when missing, which is reported.
    pub reason: String,
    /// `replaced_by:`, the id of the claim that replaces this one, trimmed.
    pub replaced_by: Option<Spanned<String>>,
}

/// A topic's advice on when to get help: short lines of Markdown inline text under a heading.
/// Part of the topic's prose, so its review covers them (they are in the front matter its
/// fingerprint is made of).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpAdvice {
    /// The heading the key names: "When to get help" for `when_to_get_help:`, "Contact us
    /// if" for `contact_us_if:`.
    pub heading: String,
    /// The lines, in order, each as written (Markdown inline text), never blank.
    pub lines: Vec<String>,
}

/// A topic page (or a plain page such as an editorial policy).
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// The page's address segment: `slug:` trimmed, else the file stem (the folder's name
    /// for `index.md`). A given slug's position is in the file (already shifted past the
    /// `---` line); a default one is placed at 1:1.
    pub slug: Spanned<String>,
    /// Path relative to the site root, '/'-separated.
    pub path: String,
    /// `kind:`, a topic (the default) or a plain page.
    pub page_kind: PageKind,
    /// `title:`; the default slug when missing (which is reported).
    pub title: String,
    /// `question:`, the clinical question a topic answers.
    pub question: Option<String>,
    /// `summary:`, a short answer shown under the title, in listings and as the page's
    /// description.
    pub summary: Option<String>,
    /// `when_to_get_help:` or `contact_us_if:`: when a reader should seek help, shown
    /// after the statements on the page and on the handout; None when not given or empty.
    pub help: Option<HelpAdvice>,
    /// `review:`; the default (draft, no history) when the front matter has none.
    pub review: Review,
    /// The front matter as JSON without `review` (for the fingerprint).
    pub front_matter: serde_json::Value,
    /// The Markdown after the closing fence (`---` or `...`), as written.
    pub body: String,
    /// Lines before the body in the file (front matter and its fences).
    pub body_line: u32,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// Embeds, claim links and citations, in document order.
    pub references: Vec<PageRef>,
    /// Every other link and image of the body, in document order (checked when internal).
    pub links: Vec<BodyLink>,
    /// The ids of the body's headings, as rendered, in document order.
    pub anchors: Vec<String>,
}

/// A link or image in a page body other than a claim link or citation, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// The destination as written.
    pub url: String,
    /// 1-based line in the file (not in the body).
    pub line: u32,
    /// 1-based column of the link's `[` (or `<`, or `!`), in characters.
    pub column: u32,
    /// The link's source in characters, up to the end of its first line (for the underline).
    pub width: u32,
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

/// What a page is (`kind:` in its front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    /// `topic` (the default): a topic page, listed with the topics and given a handout.
    Topic,
    /// `page`: a plain page such as an editorial policy, listed apart from the topics and
    /// rendered with `page.html`.
    Page,
}

/// What a reference in a page body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRefKind {
    /// `[[claim-id]]` alone in its paragraph or list item.
    Embed,
    /// `[text](@claim-id)`: a link to the claim page.
    ClaimLink,
    /// `[[claim-id]]` inside a sentence: an error (`inline-claim`), rendered as its text.
    InlineClaim,
    /// `[@id]` or `[@id, locator]` in prose; `[@a; @b]` gives one per key.
    Cite {
        /// What follows the id, its comma and spaces dropped (`p. 3` in `[@id, p. 3]`); None
        /// without one.
        locator: Option<String>,
    },
}

/// A claim or source referred to from a page body, with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    /// An embed, a link to a claim, or a citation of a source.
    pub kind: PageRefKind,
    /// The claim's id for embeds and claim links, the source's id for citations, as written.
    pub id: String,
    /// 1-based line in the file (not in the body).
    pub line: u32,
    /// 1-based column, in characters: of the `[[` of an embed or claim link, of the `@` of a
    /// cited id.
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

/// The design names of [`DESIGNS`], in its order: the values `design:` accepts.
pub fn design_names() -> Vec<&'static str> {
    DESIGNS.iter().map(|(n, _)| *n).collect()
}

/// Highest certainty rank (4 high … 1 very low) a design can carry.
pub fn design_ceiling(design: &str) -> Option<u8> {
    DESIGNS.iter().find(|(n, _)| *n == design).map(|(_, r)| *r)
}

/// A design's name as readers see it (`rct` → `Randomised controlled trial`,
/// `case-series` → `Case series`).
pub fn design_label(design: &str) -> String {
    match design {
        "rct" => "Randomised controlled trial".into(),
        other => crate::text::capitalise(other),
    }
}

/// Evidence fields kept beside a source's CSL record.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceFields {
    /// `design:`, one of the names of [`DESIGNS`]; bounds the certainty of claims citing it.
    pub design: Option<String>,
    /// `sample_size:`, the number of participants.
    pub sample_size: Option<u64>,
    /// `label:`, the editor's reference-list label, used instead of one derived from the
    /// design (see [`Source::label`]).
    pub label: Option<String>,
    /// `retracted:`, present when the source was retracted (`retracted: true` or a mapping);
    /// None also for `retracted: false`.
    pub retracted: Option<Retraction>,
    /// `superseded_by:`, the id of the source that replaces this one, trimmed.
    pub superseded_by: Option<String>,
}

/// A retraction of a source, as far as the record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retraction {
    /// `date:`, the day of the retraction as `YYYY-MM-DD`; None for `retracted: true`.
    pub date: Option<String>,
    /// `notice:`, the retraction notice (a citation or URL, as written).
    pub notice: Option<String>,
}

/// A bibliographic record: CSL-JSON as the truth, plus evidence fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The id claims and pages cite it by (`[@id]`, a link's `id:`), unique in the site.
    pub id: String,
    /// The id made a path segment ([`crate::text::slugify`]): the page is `sources/<slug>/`.
    pub slug: String,
    /// Where the record was defined.
    pub path: String,
    /// Where the full record starts in `path` (annotations merged into it are not kept).
    pub pos: Pos,
    /// The CSL-JSON item (with `id`), evidence fields removed.
    pub csl: serde_json::Map<String, serde_json::Value>,
    /// The evidence fields: the record's own, overridden field by field by those of
    /// annotations (items with only `id` and evidence fields) for its id.
    pub evidence: EvidenceFields,
}

impl Source {
    /// The CSL field `key` if it is text and not blank (a number or a list gives None).
    pub fn csl_str(&self, key: &str) -> Option<&str> {
        self.csl
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty())
    }

    /// The CSL `title`, or the id when it has none: for page titles and links, which need
    /// some text. A formatted reference uses [`Source::csl_title`] instead.
    pub fn title(&self) -> &str {
        self.csl_title().unwrap_or(&self.id)
    }

    /// The CSL `title` as the record gives it; None when it has none (`check` warns
    /// `source-incomplete`), so that a reference prints what exists and never the id.
    pub fn csl_title(&self) -> Option<&str> {
        self.csl_str("title")
    }

    /// Whether the record names anyone responsible for the work: an author or editor, a
    /// person or an organisation (CSL `literal`), in any of CSL's name lists that a
    /// reference prints in the author's place.
    pub fn has_creator(&self) -> bool {
        [
            "author",
            "editor",
            "collection-editor",
            "container-author",
            "translator",
        ]
        .iter()
        .filter_map(|role| self.csl.get(*role).and_then(|v| v.as_array()))
        .flatten()
        .any(|name| {
            ["family", "given", "literal"].iter().any(|part| {
                name.get(*part)
                    .and_then(|v| v.as_str())
                    .is_some_and(|s| !s.trim().is_empty())
            })
        })
    }

    /// The CSL `DOI` as the record holds it (a bare DOI, not a URL, when an export was
    /// read; as written in a CSL file).
    pub fn doi(&self) -> Option<&str> {
        self.csl_str("DOI")
    }

    /// The CSL `PMID`, the PubMed id, when it is text: an unquoted `PMID: 9283123` in a
    /// CSL-YAML file is a number, and gives None.
    pub fn pmid(&self) -> Option<&str> {
        self.csl_str("PMID")
    }

    /// The CSL `PMCID`, the PubMed Central id (`PMC…`), when it is text.
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

/// Why `slug` cannot be a topic's, or None when it can: evident's own pages use it, or it is
/// a language tag (`es`, `ar`, `pt-br`, `zh-hant`), the folder a site's translated pages are
/// written to. A language tag is an ISO 639-1 code, alone or with a region (`br`, `419`) or a
/// common script (`hant`, `latn`).
pub fn reserved_slug(slug: &str) -> Option<String> {
    if RESERVED_SLUGS.contains(&slug) {
        return Some(format!(
            "evident uses it for its own pages ({})",
            RESERVED_SLUGS.join(", ")
        ));
    }
    let mut parts = slug.split('-');
    let language = parts.next()?;
    let subtag = parts.next();
    let is_subtag = |t: &str| match t.len() {
        2 => t.bytes().all(|b| b.is_ascii_lowercase()),
        3 => t.bytes().all(|b| b.is_ascii_digit()),
        // Scripts a site may well publish in; another four letters is a word (`my-baby`).
        4 => ["hans", "hant", "latn", "cyrl", "arab", "deva"].contains(&t),
        _ => false,
    };
    let tag = language.len() == 2
        && isolang::Language::from_639_1(language).is_some()
        && parts.next().is_none()
        && subtag.is_none_or(is_subtag);
    tag.then(|| {
        format!("it is a language code, kept for the folder of a site's pages in that language (`/{slug}/`)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_reserved_and_ordinary_slugs_are_not() {
        for slug in ["es", "ar", "pt-br", "zh-hant", "es-419", "search", "claims"] {
            assert!(reserved_slug(slug).is_some(), "{slug}");
        }
        for slug in [
            "relactation",
            "my-baby",
            "xx",
            "es-abcde",
            "pt-br-x",
            "e",
            "domperidone",
        ] {
            assert!(reserved_slug(slug).is_none(), "{slug}");
        }
    }

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
