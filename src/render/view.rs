//! View structs: what templates see. Built from the knowledge base, already worked out
//! (links relative to the page, dates formatted, Markdown rendered and sanitised), so themes
//! hold no logic and never see the model. Fields ending in `_html` are safe HTML; everything
//! else is text that templates escape.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::config::{Config, EvidenceScale};
use crate::model::{
    EffectiveStatus, HistoryEntry, Kind, PageKind, Relation, ReviewAction, ReviewStatus, Source,
};
use crate::render::urls::{Links, PagePath};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedSource, ResolvedTopic, replacement};
use crate::text::markdown;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub language: String,
    pub disclaimer: String,
    pub notice: Option<String>,
    pub audiences: Vec<AudienceView>,
    pub scale: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AudienceView {
    pub id: String,
    /// The id reduced to `[a-z0-9-]`, safe in HTML ids, class names and CSS selectors.
    pub key: String,
    pub label: String,
    pub checked: bool,
}

/// An audience id reduced to `[a-z0-9-]`, for HTML ids, class names and CSS selectors.
pub fn audience_key(id: &str) -> String {
    let key: String = id
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    if key.is_empty() {
        "audience".into()
    } else {
        key
    }
}

/// Navigation and page-level facts for the layout.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub root: String,
    pub stylesheet: String,
    pub script: String,
    pub home_url: String,
    pub grading_url: String,
    pub review_url: Option<String>,
    pub policy_url: Option<String>,
    /// The topics, for the header navigation (a handful; never every claim).
    pub topics: Vec<LinkView>,
    pub json_ld: String,
    pub last_reviewed: Option<String>,
    /// The search page, for the search box in the header; None when the site has no search.
    pub search_url: Option<String>,
    /// The Atom feed of review events, for `<link rel="alternate">`.
    pub feed_url: Option<String>,
    /// Whether the page's main content is indexed for search (topics, claims, sources).
    pub indexed: bool,
    /// The search filters this page is found under (see [`FacetView`]).
    pub facets: Vec<FacetView>,
}

/// One search filter value of a page: `name` is the filter (type, grade, status, audience),
/// `value` the label a reader sees and picks. Labels rather than ids, because the search
/// page shows the values as they were indexed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FacetView {
    pub name: &'static str,
    pub value: String,
}

/// The search page: the query form with one list of choices per filter.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPageView {
    pub filters: Vec<SearchFilterView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchFilterView {
    pub name: &'static str,
    pub label: &'static str,
    /// The values some page carries, in the order of their scale (never alphabetical:
    /// "High" before "Low").
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub name: &'static str,
    pub label: &'static str,
    pub approved: bool,
    /// ok | pending | warn | danger | retired: the colour family, always beside text and icon.
    pub tone: &'static str,
    /// "✓", "!", "×", "…": shown beside the label, so status never rests on colour.
    pub icon: &'static str,
    /// Position in the "lowest status" order (0 is worst), for sorting tables.
    pub rank: usize,
    /// Short explanation for a tooltip or screen readers.
    pub help: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradeView {
    pub value: String,
    pub label: String,
    /// "High certainty", "Level 2": the text shown on the badge.
    pub badge: String,
    /// GRADE's symbols (⊕⊕⊕◯ for moderate), when the scale is GRADE and the level is graded.
    pub symbols: Option<String>,
    pub plain: String,
    pub url: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WordingView {
    pub audience: String,
    /// [`audience_key`] of the audience.
    pub key: String,
    pub label: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefNumberView {
    pub number: usize,
    pub url: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetiredView {
    pub reason: String,
    pub replacement: Option<LinkView>,
}

/// A claim as embedded in a topic page.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimEmbedView {
    pub id: String,
    pub anchor: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub statement_html: String,
    pub wordings: Vec<WordingView>,
    pub refs: Vec<RefNumberView>,
    pub grade: Option<GradeView>,
    pub strength: Option<String>,
    pub status: StatusView,
    pub source_needed: bool,
    pub practice_point: bool,
    pub retired: Option<RetiredView>,
    pub cites_retracted: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    pub number: usize,
    pub anchor: String,
    pub label: String,
    pub text: String,
    pub url: String,
    pub links: Vec<LinkView>,
    pub retracted: bool,
    pub superseded_by: Option<LinkView>,
    pub locators: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackerStep {
    pub label: &'static str,
    /// done | current | todo
    pub state: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewStamp {
    pub date: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    /// Links to the printable handout, when the build writes one for this page.
    pub handout: Option<HandoutLinks>,
    pub slug: String,
    pub title: String,
    pub question: Option<String>,
    pub summary: Option<String>,
    pub is_page: bool,
    pub body_html: String,
    pub status: StatusView,
    pub own_status: StatusView,
    pub pending: bool,
    pub pending_count: usize,
    pub tracker: Vec<TrackerStep>,
    /// A state beside the tracker's line: changes requested or changed since approval.
    pub tracker_note: Option<StatusView>,
    pub references: Vec<ReferenceView>,
    /// The last approval of the page's own text ("Last reviewed").
    pub last_reviewed: Option<ReviewStamp>,
    /// The last dated review event of any kind, for pages not yet approved.
    pub last_activity: Option<HistoryView>,
    pub next_review: Option<String>,
    pub overdue: bool,
    pub retracted: Vec<LinkView>,
    pub retired_embeds: Vec<LinkView>,
    pub claim_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimSourceView {
    pub id: String,
    pub url: Option<String>,
    pub title: String,
    pub reference: String,
    pub label: String,
    pub design: Option<String>,
    pub sample_size: Option<u64>,
    pub locator: Option<String>,
    pub quote: Option<String>,
    pub relation: &'static str,
    pub relation_label: &'static str,
    pub retracted: bool,
    /// The newer source that supersedes this one, when the editors recorded it.
    pub superseded_by: Option<LinkView>,
    pub links: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub date: String,
    pub by: String,
    pub action: &'static str,
    pub action_label: &'static str,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimPageView {
    pub embed: ClaimEmbedView,
    pub certainty_reason: Option<String>,
    pub level: Option<String>,
    pub basis: Option<String>,
    pub sources: Vec<ClaimSourceView>,
    pub history: Vec<HistoryView>,
    pub used_by: Vec<LinkView>,
    pub recorded_status: &'static str,
    pub fingerprint: String,
    pub next_review: Option<String>,
    pub tags: Vec<String>,
    pub allowed: Vec<AllowView>,
    pub derived: Vec<AllowView>,
    pub changed_since_approval: bool,
    /// For a claim changed since approval: each wording that differs from the approved one,
    /// word by word. Empty when only sources, quotes or grading changed.
    pub changes: Vec<WordingChangeView>,
}

/// The printable handout of a topic, per format written.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutLinks {
    pub html: String,
    pub pdf: Option<String>,
}

/// One wording (the statement, or an audience's) as approved and as it is now.
#[derive(Debug, Clone, Serialize)]
pub struct WordingChangeView {
    pub label: String,
    pub approved_on: String,
    pub approved_by: String,
    pub parts: Vec<crate::text::diff::Part>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AllowView {
    pub code: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CitingClaimView {
    pub title: String,
    pub url: Option<String>,
    pub status: StatusView,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationGroupView {
    pub relation: &'static str,
    pub label: &'static str,
    pub claims: Vec<CitingClaimView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourcePageView {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub label: String,
    pub kind: Option<String>,
    pub design: Option<String>,
    pub sample_size: Option<u64>,
    pub year: Option<i32>,
    pub links: Vec<LinkView>,
    pub groups: Vec<RelationGroupView>,
    pub cited_in: Vec<LinkView>,
    pub retracted: Option<RetractionView>,
    pub superseded_by: Option<LinkView>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetractionView {
    pub date: Option<String>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountView {
    pub name: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicCardView {
    pub title: String,
    pub question: Option<String>,
    pub summary: Option<String>,
    pub url: String,
    pub status: StatusView,
    pub claim_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    pub topics: Vec<TopicCardView>,
    pub pages: Vec<LinkView>,
    pub by_status: Vec<CountView>,
    pub by_grade: Vec<CountView>,
    pub claim_count: usize,
    pub source_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradingView {
    pub scale: String,
    pub levels: Vec<LevelView>,
    pub strengths: Vec<CountView>,
    pub designs: Vec<DesignView>,
    pub statuses: Vec<StatusView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    pub anchor: String,
    pub label: String,
    pub plain: String,
    pub meaning: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DesignView {
    pub design: String,
    pub ceiling: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardRow {
    pub id: String,
    pub url: Option<String>,
    pub statement: String,
    pub topics: Vec<String>,
    pub status: StatusView,
    pub reviewers: Vec<String>,
    pub last_review: Option<String>,
    pub next_due: Option<String>,
    pub overdue: bool,
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueView {
    pub name: &'static str,
    pub label: &'static str,
    pub rows: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardView {
    pub by_status: Vec<CountView>,
    pub queues: Vec<QueueView>,
    pub rows: Vec<DashboardRow>,
    pub topics: Vec<DashboardTopicRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardTopicRow {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub status: StatusView,
    pub own_status: StatusView,
    pub last_review: Option<String>,
    pub next_due: Option<String>,
}

pub fn status_view(status: EffectiveStatus) -> StatusView {
    let tone = match status {
        EffectiveStatus::Approved => "ok",
        EffectiveStatus::Draft | EffectiveStatus::Submitted | EffectiveStatus::InReview => {
            "pending"
        }
        EffectiveStatus::ChangesRequested | EffectiveStatus::ChangedSinceApproval => "warn",
        EffectiveStatus::CitesRetracted => "danger",
        EffectiveStatus::Retired => "retired",
    };
    StatusView {
        name: status.name(),
        label: status.label(),
        approved: status.is_approved(),
        tone,
        icon: match tone {
            "ok" => "✓",
            "pending" => "…",
            "retired" => "×",
            _ => "!",
        },
        rank: EffectiveStatus::ORDERED
            .iter()
            .position(|s| *s == status)
            .unwrap_or(0),
        help: match status {
            EffectiveStatus::Approved => {
                "A named reviewer checked this against its sources and approved it."
            }
            EffectiveStatus::InReview => "A reviewer is checking this against its sources.",
            EffectiveStatus::Submitted => "Written and waiting for a reviewer.",
            EffectiveStatus::ChangesRequested => {
                "A reviewer asked for changes before approving it."
            }
            EffectiveStatus::Draft => "Not yet submitted for review.",
            EffectiveStatus::ChangedSinceApproval => {
                "Edited after it was approved; the change has not been reviewed."
            }
            EffectiveStatus::CitesRetracted => "Cites a source that has been retracted.",
            EffectiveStatus::Retired => "No longer current; kept for the record.",
        },
    }
}

/// Plain-language confidence for a certainty (used in handouts and tooltips).
pub fn plain_certainty(scale: EvidenceScale, value: &str) -> String {
    match scale.rank(value) {
        Some(4) => "high confidence".into(),
        Some(3) => "moderate confidence".into(),
        Some(2) => "low confidence".into(),
        Some(_) => "very low confidence".into(),
        None => "not graded".into(),
    }
}

pub fn grade_view(config: &Config, claim: &ResolvedClaim, links: &Links) -> Option<GradeView> {
    let certainty = claim.claim.certainty.as_ref()?;
    let scale = config.grading.evidence;
    let label = scale.label(&certainty.value);
    let badge = match scale {
        EvidenceScale::Grade if certainty.value != "not-applicable" => format!("{label} certainty"),
        _ => label.clone(),
    };
    let symbols = match (scale, scale.rank(&certainty.value)) {
        (EvidenceScale::Grade, Some(rank)) => {
            let rank = usize::from(rank);
            Some(format!(
                "{}{}",
                "⊕".repeat(rank),
                "◯".repeat(4 - rank.min(4))
            ))
        }
        _ => None,
    };
    Some(GradeView {
        value: certainty.value.clone(),
        label,
        badge,
        symbols,
        plain: plain_certainty(scale, &certainty.value),
        url: format!(
            "{}#grade-{}",
            links.page(&PagePath::named("grading")),
            certainty.value
        ),
        reason: claim.claim.certainty_reason.clone(),
    })
}

pub fn date(d: jiff::civil::Date) -> String {
    d.to_string()
}

pub fn reviewer_name(config: &Config, id: &str) -> String {
    match config.reviewer(id) {
        Some(r) => match &r.credentials {
            Some(c) => format!("{}, {c}", r.name),
            None => r.name.clone(),
        },
        None => id.to_string(),
    }
}

fn action_label(action: ReviewAction) -> &'static str {
    match action {
        ReviewAction::Submit => "Submitted for review",
        ReviewAction::Start => "Review started",
        ReviewAction::Approve => "Approved",
        ReviewAction::RequestChanges => "Changes requested",
        ReviewAction::Retire => "Retired",
    }
}

pub fn history_view(config: &Config, entries: &[HistoryEntry]) -> Vec<HistoryView> {
    entries
        .iter()
        .map(|e| HistoryView {
            date: date(e.date),
            by: reviewer_name(config, &e.by.value),
            action: e.action.name(),
            action_label: action_label(e.action),
            note: e.note.clone(),
        })
        .collect()
}

/// A link to the source that supersedes `source`, if any.
fn superseding(kb: &KnowledgeBase, source: &Source, links: &Links) -> Option<LinkView> {
    let next = kb.sources.get(source.evidence.superseded_by.as_deref()?)?;
    Some(LinkView {
        title: next.source.title().to_string(),
        url: links.page(&PagePath::source(&next.source.slug)),
    })
}

pub fn source_links(source: &Source) -> Vec<LinkView> {
    let mut out = Vec::new();
    if let Some(doi) = source.doi() {
        let doi = doi.trim().trim_start_matches("https://doi.org/");
        out.push(LinkView {
            title: format!("doi:{doi}"),
            url: format!("https://doi.org/{doi}"),
        });
    }
    if let Some(pmid) = source.pmid() {
        out.push(LinkView {
            title: format!("PubMed {pmid}"),
            url: format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/"),
        });
    }
    if let Some(pmcid) = source.pmcid() {
        out.push(LinkView {
            title: pmcid.to_string(),
            url: format!("https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"),
        });
    }
    if let Some(url) = source.csl_str("URL")
        && (url.starts_with("https://") || url.starts_with("http://"))
    {
        out.push(LinkView {
            title: "Online".into(),
            url: url.to_string(),
        });
    }
    out
}

/// A claim for embedding, with reference numbers from `topic` (None on the claim's own page,
/// where numbers follow the claim's own source order).
pub fn claim_embed(
    kb: &KnowledgeBase,
    claim: &ResolvedClaim,
    topic: Option<&ResolvedTopic>,
    links: &Links,
) -> ClaimEmbedView {
    let config = &kb.config;
    let c = &claim.claim;
    let wordings = config
        .audiences
        .iter()
        .map(|a| WordingView {
            audience: a.id.clone(),
            key: audience_key(&a.id),
            label: a.label.clone(),
            html: markdown::render_inline(c.wording(&a.id)),
        })
        .collect();
    let mut refs: Vec<RefNumberView> = Vec::new();
    for (i, link) in c.sources.iter().enumerate() {
        let Some(source) = kb.sources.get(&link.id.value) else {
            continue;
        };
        let (number, url) = match topic {
            Some(t) => match t.number(&link.id.value) {
                Some(n) => (n, format!("#ref-{n}")),
                None => continue,
            },
            None => (i + 1, format!("#source-{}", i + 1)),
        };
        if refs.iter().any(|r| r.number == number) {
            continue;
        }
        refs.push(RefNumberView {
            number,
            url,
            title: source.source.title().to_string(),
        });
    }
    refs.sort_by_key(|r| r.number);
    let retired = c
        .review
        .retired
        .as_ref()
        .filter(|_| claim.status == EffectiveStatus::Retired)
        .map(|r| RetiredView {
            reason: r.reason.clone(),
            replacement: replacement(&kb.claims, &c.id).map(|next| LinkView {
                title: markdown::plain_text(&next.claim.statement.value),
                url: links.page(&PagePath::claim(&next.claim.id)),
            }),
        });
    ClaimEmbedView {
        id: c.id.clone(),
        anchor: format!("claim-{}", c.id),
        url: links.page(&PagePath::claim(&c.id)),
        kind: c.kind.name(),
        kind_label: c.kind.label(),
        statement_html: markdown::render_inline(&c.statement.value),
        wordings,
        refs,
        grade: grade_view(config, claim, links),
        strength: c
            .strength
            .as_ref()
            .map(|s| config.grading.recommendations.label(&s.value)),
        status: status_view(claim.status),
        source_needed: c.kind.needs_source() && c.sources.is_empty(),
        practice_point: c.kind == Kind::PracticePoint,
        retired,
        cites_retracted: claim.cites_retracted,
        overdue: claim.overdue,
    }
}

pub fn claim_page(kb: &KnowledgeBase, claim: &ResolvedClaim, links: &Links) -> ClaimPageView {
    let config = &kb.config;
    let c = &claim.claim;
    let sources = c
        .sources
        .iter()
        .map(|link| {
            let resolved = kb.sources.get(&link.id.value);
            ClaimSourceView {
                id: link.id.value.clone(),
                url: resolved.map(|s| links.page(&PagePath::source(&s.source.slug))),
                title: resolved
                    .map_or_else(|| link.id.value.clone(), |s| s.source.title().to_string()),
                reference: resolved.map(|s| s.reference.clone()).unwrap_or_default(),
                label: resolved.map(|s| s.source.label()).unwrap_or_default(),
                design: resolved
                    .and_then(|s| s.source.evidence.design.as_deref())
                    .map(crate::model::design_label),
                sample_size: resolved.and_then(|s| s.source.evidence.sample_size),
                locator: link.locator.clone(),
                quote: link.quote.as_ref().map(|q| q.value.clone()),
                relation: link.relation.name(),
                relation_label: relation_label(link.relation),
                retracted: resolved.is_some_and(|s| s.source.evidence.retracted.is_some()),
                superseded_by: resolved.and_then(|s| superseding(kb, &s.source, links)),
                links: resolved
                    .map(|s| source_links(&s.source))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let level = c.level.as_ref().map(|l| {
        let mut text = format!("{} level {}", scale_name(&l.scale), l.level);
        if let Some(q) = &l.question {
            text.push_str(&format!(" ({q})"));
        }
        if let Some(from) = &l.downgraded_from {
            text.push_str(&format!(", downgraded from level {from}"));
        }
        text
    });
    ClaimPageView {
        embed: claim_embed(kb, claim, None, links),
        certainty_reason: c.certainty_reason.clone(),
        level,
        basis: c.basis.clone(),
        sources,
        history: history_view(config, &c.review.history),
        used_by: claim
            .used_by
            .iter()
            .filter_map(|slug| kb.topics.get(slug))
            .map(|t| LinkView {
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
            })
            .collect(),
        recorded_status: c.review.status.name(),
        fingerprint: claim.fingerprint.clone(),
        next_review: claim.due.map(date),
        tags: c.tags.clone(),
        allowed: c
            .allow
            .iter()
            .map(|a| AllowView {
                code: a.code.clone(),
                reason: a.reason.clone(),
            })
            .collect(),
        derived: c
            .derived
            .iter()
            .map(|d| AllowView {
                code: d.figure.clone(),
                reason: d.reason.clone(),
            })
            .collect(),
        changed_since_approval: claim.changed_since_approval,
        changes: if claim.changed_since_approval {
            wording_changes(config, c)
        } else {
            Vec::new()
        },
    }
}

/// Each wording that differs from the one recorded with the last approval.
fn wording_changes(config: &Config, c: &crate::model::Claim) -> Vec<WordingChangeView> {
    let Some(approval) = c.review.last_approval() else {
        return Vec::new();
    };
    let Some(approved) = &approval.approved else {
        return Vec::new();
    };
    let change = |label: String, then: &str, now: &str| {
        (then != now).then(|| WordingChangeView {
            label,
            approved_on: date(approval.date),
            approved_by: reviewer_name(config, &approval.by.value),
            parts: crate::text::diff::words(then, now),
        })
    };
    let mut out = Vec::new();
    if let Some(then) = &approved.statement {
        out.extend(change("Statement".into(), then, &c.statement.value));
    }
    for audience in &config.audiences {
        let then = approved
            .audiences
            .get(&audience.id)
            .map_or(approved.statement.as_deref().unwrap_or(""), String::as_str);
        out.extend(change(
            audience.label.clone(),
            then,
            c.wording(&audience.id),
        ));
    }
    out
}

fn scale_name(scale: &str) -> String {
    match scale {
        "oxford-cebm" => "Oxford CEBM".into(),
        "grade" => "GRADE".into(),
        other => other.to_string(),
    }
}

pub fn relation_label(relation: Relation) -> &'static str {
    match relation {
        Relation::Supports => "Supports",
        Relation::Qualifies => "Qualifies",
        Relation::Disputes => "Disputes",
    }
}

pub fn reference_list(
    kb: &KnowledgeBase,
    topic: &ResolvedTopic,
    links: &Links,
) -> Vec<ReferenceView> {
    topic
        .references
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let resolved = kb.sources.get(id)?;
            let source = &resolved.source;
            let number = i + 1;
            let mut locators: Vec<String> = topic
                .topic
                .references
                .iter()
                .filter(|r| r.id == *id)
                .filter_map(|r| match &r.kind {
                    crate::model::PageRefKind::Cite { locator } => locator.clone(),
                    _ => None,
                })
                .collect();
            locators.dedup();
            Some(ReferenceView {
                number,
                anchor: format!("ref-{number}"),
                label: source.label(),
                text: resolved.reference.clone(),
                url: links.page(&PagePath::source(&source.slug)),
                links: source_links(source),
                retracted: source.evidence.retracted.is_some(),
                superseded_by: superseding(kb, source, links),
                locators,
            })
        })
        .collect()
}

fn tracker(own: ReviewStatus, status: EffectiveStatus) -> (Vec<TrackerStep>, Option<StatusView>) {
    let steps = ["Draft", "Submitted", "In review", "Approved"];
    let position = match status {
        EffectiveStatus::Draft | EffectiveStatus::CitesRetracted => 0,
        EffectiveStatus::Submitted | EffectiveStatus::ChangesRequested => 1,
        EffectiveStatus::InReview | EffectiveStatus::ChangedSinceApproval => 2,
        EffectiveStatus::Approved => 3,
        EffectiveStatus::Retired => {
            if own == ReviewStatus::Approved {
                3
            } else {
                0
            }
        }
    };
    let note = matches!(
        status,
        EffectiveStatus::ChangesRequested
            | EffectiveStatus::ChangedSinceApproval
            | EffectiveStatus::CitesRetracted
    )
    .then(|| status_view(status));
    let steps = steps
        .iter()
        .enumerate()
        .map(|(i, label)| TrackerStep {
            label,
            state: match i.cmp(&position) {
                std::cmp::Ordering::Less => "done",
                std::cmp::Ordering::Equal if position == 3 => "done",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "todo",
            },
        })
        .collect();
    (steps, note)
}

pub fn topic_view(
    kb: &KnowledgeBase,
    topic: &ResolvedTopic,
    links: &Links,
    body_html: String,
) -> TopicView {
    let t = &topic.topic;
    let claims: Vec<&ResolvedClaim> = topic
        .claims
        .iter()
        .filter_map(|id| kb.claims.get(id))
        .filter(|c| c.published)
        .collect();
    let pending_count = claims
        .iter()
        .filter(|c| !c.status.is_approved() && c.status != EffectiveStatus::Retired)
        .count();
    let (tracker, tracker_note) = tracker(t.review.status, topic.status);
    let last = t.review.last_approval();
    let mut retracted: Vec<LinkView> = topic
        .references
        .iter()
        .filter_map(|id| kb.sources.get(id))
        .filter(|s| s.source.evidence.retracted.is_some())
        .map(|s| LinkView {
            title: s.source.title().to_string(),
            url: links.page(&PagePath::source(&s.source.slug)),
        })
        .collect();
    retracted.dedup_by(|a, b| a.url == b.url);
    TopicView {
        slug: t.slug.value.clone(),
        title: t.title.clone(),
        question: t.question.clone(),
        summary: t.summary.clone(),
        is_page: t.page_kind == PageKind::Page,
        body_html,
        status: status_view(topic.status),
        own_status: status_view(topic.own_status),
        pending: !topic.status.is_approved(),
        pending_count,
        tracker,
        tracker_note,
        references: reference_list(kb, topic, links),
        last_reviewed: last.map(|e| ReviewStamp {
            date: date(e.date),
            by: reviewer_name(&kb.config, &e.by.value),
        }),
        last_activity: t
            .review
            .last_entry()
            .and_then(|e| history_view(&kb.config, std::slice::from_ref(e)).pop()),
        next_review: topic.due.map(date),
        overdue: topic.overdue,
        retracted,
        retired_embeds: claims
            .iter()
            .filter(|c| c.status == EffectiveStatus::Retired)
            .map(|c| LinkView {
                title: markdown::plain_text(&c.claim.statement.value),
                url: links.page(&PagePath::claim(&c.claim.id)),
            })
            .collect(),
        claim_count: claims.len(),
        handout: None,
    }
}

pub fn source_page(kb: &KnowledgeBase, resolved: &ResolvedSource, links: &Links) -> SourcePageView {
    let s = &resolved.source;
    let groups = [Relation::Supports, Relation::Qualifies, Relation::Disputes]
        .into_iter()
        .map(|relation| RelationGroupView {
            relation: relation.name(),
            label: relation_label(relation),
            claims: resolved
                .cited_by
                .iter()
                .filter(|(_, r)| *r == relation)
                .filter_map(|(id, _)| kb.claims.get(id))
                .filter(|c| c.published)
                .map(|c| CitingClaimView {
                    title: markdown::plain_text(&c.claim.statement.value),
                    url: Some(links.page(&PagePath::claim(&c.claim.id))),
                    status: status_view(c.status),
                })
                .collect(),
        })
        .filter(|g| !g.claims.is_empty())
        .collect();
    SourcePageView {
        id: s.id.clone(),
        title: s.title().to_string(),
        reference: resolved.reference.clone(),
        label: s.label(),
        kind: s.csl_str("type").map(str::to_string),
        design: s.evidence.design.as_deref().map(crate::model::design_label),
        sample_size: s.evidence.sample_size,
        year: s.year(),
        links: source_links(s),
        groups,
        cited_in: resolved
            .cited_in
            .iter()
            .filter_map(|slug| kb.topics.get(slug))
            .map(|t| LinkView {
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
            })
            .collect(),
        retracted: s.evidence.retracted.as_ref().map(|r| RetractionView {
            date: r.date.clone(),
            notice: r.notice.clone(),
        }),
        superseded_by: s
            .evidence
            .superseded_by
            .as_ref()
            .and_then(|id| kb.sources.get(id))
            .map(|n| LinkView {
                title: n.source.title().to_string(),
                url: links.page(&PagePath::source(&n.source.slug)),
            }),
        note: s.csl_str("note").map(str::to_string),
    }
}

pub fn counts_by_status<'a>(
    statuses: impl Iterator<Item = EffectiveStatus> + 'a,
) -> Vec<CountView> {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for s in statuses {
        let i = EffectiveStatus::ORDERED
            .iter()
            .position(|o| *o == s)
            .unwrap_or(0);
        *counts.entry(i).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(i, count)| {
            let s = EffectiveStatus::ORDERED[i];
            CountView {
                name: s.name().into(),
                label: s.label().into(),
                count,
            }
        })
        .collect()
}

pub fn index_view(kb: &KnowledgeBase, links: &Links) -> IndexView {
    let published: Vec<&ResolvedClaim> = kb.claims.values().filter(|c| c.published).collect();
    let scale = kb.config.grading.evidence;
    let by_grade = scale
        .levels()
        .iter()
        .map(|level| CountView {
            name: (*level).to_string(),
            label: scale.label(level),
            count: published
                .iter()
                .filter(|c| {
                    c.claim
                        .certainty
                        .as_ref()
                        .is_some_and(|x| x.value == *level)
                })
                .count(),
        })
        .chain(std::iter::once(CountView {
            name: "ungraded".into(),
            label: "No certainty yet".into(),
            count: published
                .iter()
                .filter(|c| c.claim.certainty.is_none())
                .count(),
        }))
        .filter(|c| c.count > 0)
        .collect();
    IndexView {
        topics: kb
            .topic_pages()
            .map(|t| TopicCardView {
                title: t.topic.title.clone(),
                question: t.topic.question.clone(),
                summary: t.topic.summary.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
                status: status_view(t.status),
                claim_count: t
                    .claims
                    .iter()
                    .filter(|id| kb.claims.get(*id).is_some_and(|c| c.published))
                    .count(),
            })
            .collect(),
        pages: kb
            .topics
            .values()
            .filter(|t| t.topic.page_kind == PageKind::Page)
            .map(|t| LinkView {
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
            })
            .collect(),
        by_status: counts_by_status(published.iter().map(|c| c.status)),
        by_grade,
        claim_count: published.len(),
        source_count: kb.sources.len(),
    }
}

pub fn grading_view(kb: &KnowledgeBase) -> GradingView {
    let scale = kb.config.grading.evidence;
    let meanings: &[&str] = match scale {
        EvidenceScale::Grade => &[
            "We are very confident that the true effect lies close to the estimate.",
            "We are moderately confident: the true effect is likely close to the estimate, but may be substantially different.",
            "Our confidence is limited: the true effect may be substantially different.",
            "We have very little confidence: the true effect is likely to be substantially different.",
            "Not graded: a definition or a statement that does not estimate an effect.",
        ],
        EvidenceScale::OxfordCebm => &[
            "Level 1: systematic reviews of randomised trials (or the best design for the question).",
            "Level 2: randomised trials or observational studies with dramatic effects.",
            "Level 3: non-randomised controlled cohort or follow-up studies.",
            "Level 4: case series, case-control or historically controlled studies.",
            "Level 5: mechanism-based reasoning.",
            "Not graded.",
        ],
    };
    let levels = scale
        .levels()
        .iter()
        .zip(meanings)
        .map(|(level, meaning)| LevelView {
            anchor: format!("grade-{level}"),
            label: scale.label(level),
            plain: plain_certainty(scale, level),
            meaning,
        })
        .collect();
    let recs = kb.config.grading.recommendations;
    GradingView {
        scale: match scale {
            EvidenceScale::Grade => "GRADE".into(),
            EvidenceScale::OxfordCebm => "Oxford CEBM levels of evidence".into(),
        },
        levels,
        strengths: recs
            .strengths()
            .iter()
            .map(|s| CountView {
                name: (*s).to_string(),
                label: recs.label(s),
                count: 0,
            })
            .collect(),
        designs: crate::model::DESIGNS
            .iter()
            .map(|(design, ceiling)| DesignView {
                design: crate::model::design_label(design),
                ceiling: ["", "Very low", "Low", "Moderate", "High"][usize::from(*ceiling)]
                    .to_string(),
            })
            .collect(),
        statuses: EffectiveStatus::ORDERED
            .iter()
            .map(|s| status_view(*s))
            .collect(),
    }
}

pub fn dashboard_view(kb: &KnowledgeBase, links: &Links, public: bool) -> DashboardView {
    // The same queue `evident review list` prints, so terminal and dashboard always agree.
    let review_rows = crate::resolve::queue::queue(kb);
    // Sized up front: at 100,000 claims, growing the list by doubling copied it into fresh
    // memory again and again.
    let mut rows: Vec<DashboardRow> = Vec::with_capacity(review_rows.len());
    rows.extend(
        review_rows
            .into_iter()
            .filter(|row| row.kind == "claim")
            .filter_map(|row| {
                let claim = kb.claims.get(&row.id)?;
                Some(DashboardRow {
                    url: (claim.published || !public)
                        .then(|| links.page(&PagePath::claim(&row.id))),
                    statement: markdown::plain_text(&claim.claim.statement.value),
                    status: status_view(claim.status),
                    reviewers: row
                        .reviewers
                        .iter()
                        .map(|id| reviewer_name(&kb.config, id))
                        .collect(),
                    id: row.id,
                    topics: row.topics,
                    last_review: row.last_review,
                    next_due: row.next_due,
                    overdue: row.overdue,
                    flags: row.flags,
                })
            }),
    );
    let queue =
        |name: &'static str, label: &'static str, pick: &dyn Fn(&DashboardRow) -> bool| QueueView {
            name,
            label,
            rows: rows
                .iter()
                .enumerate()
                .filter(|(_, r)| pick(r))
                .map(|(i, _)| i)
                .collect(),
        };
    let queues = vec![
        queue("submitted", "Submitted, waiting for a reviewer", &|r| {
            r.status.name == "submitted"
        }),
        queue("in-review", "In review", &|r| r.status.name == "in-review"),
        queue("changes-requested", "Changes requested", &|r| {
            r.status.name == "changes-requested"
        }),
        queue("changed-since-approval", "Changed since approval", &|r| {
            r.status.name == "changed-since-approval"
        }),
        queue("cites-retracted", "Cites a retracted source", &|r| {
            r.status.name == "cites-retracted"
        }),
        queue("overdue", "Review overdue", &|r| r.overdue),
        queue("missing-quote", "Missing quote", &|r| {
            r.flags.iter().any(|f| f == "missing quote")
        }),
        queue("figure-or-grade", "Figure or grade warnings", &|r| {
            r.flags
                .iter()
                .any(|f| f == "figure not in quote" || f == "grade above design")
        }),
    ];
    DashboardView {
        by_status: counts_by_status(kb.claims.values().map(|c| c.status)),
        queues,
        rows,
        topics: kb
            .topics
            .values()
            .map(|t| DashboardTopicRow {
                slug: t.topic.slug.value.clone(),
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
                status: status_view(t.status),
                own_status: status_view(t.own_status),
                last_review: t.topic.review.last_entry().map(|e| date(e.date)),
                next_due: t.due.map(date),
            })
            .collect(),
    }
}

fn facet(name: &'static str, value: impl Into<String>) -> FacetView {
    FacetView {
        name,
        value: value.into(),
    }
}

/// What a claim page is found under: its kind of page, grade, effective status, and the
/// audiences it has wording for (every audience when one statement serves them all).
pub fn claim_facets(kb: &KnowledgeBase, claim: &ResolvedClaim) -> Vec<FacetView> {
    let scale = kb.config.grading.evidence;
    let grade = match &claim.claim.certainty {
        Some(c) => scale.label(&c.value),
        None => scale.label("not-applicable"),
    };
    let mut facets = vec![
        facet("type", "Statement"),
        facet("grade", grade),
        facet("status", claim.status.label()),
    ];
    let own: Vec<_> = kb
        .config
        .audiences
        .iter()
        .filter(|a| claim.claim.audiences.iter().any(|(id, _)| id.value == a.id))
        .collect();
    let audiences = if own.is_empty() {
        kb.config.audiences.iter().collect()
    } else {
        own
    };
    facets.extend(audiences.into_iter().map(|a| facet("audience", &a.label)));
    facets
}

/// What a topic page is found under: its kind, its shown status and, for a topic with
/// claims, every audience (its audience switch shows each one its wording).
pub fn topic_facets(kb: &KnowledgeBase, topic: &ResolvedTopic) -> Vec<FacetView> {
    let is_page = topic.topic.page_kind == PageKind::Page;
    let mut facets = vec![
        facet("type", if is_page { "Page" } else { "Topic" }),
        facet("status", topic.status.label()),
    ];
    if !topic.claims.is_empty() {
        facets.extend(
            kb.config
                .audiences
                .iter()
                .map(|a| facet("audience", &a.label)),
        );
    }
    facets
}

pub fn source_facets() -> Vec<FacetView> {
    vec![facet("type", "Source")]
}

/// The search form's choices: every value some indexed page carries, in scale order.
pub fn search_view(
    kb: &KnowledgeBase,
    seen: &std::collections::BTreeSet<FacetView>,
) -> SearchPageView {
    let scale = kb.config.grading.evidence;
    let candidates: [(&'static str, &'static str, Vec<String>); 4] = [
        (
            "type",
            "Kind of page",
            ["Topic", "Statement", "Source", "Page"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "grade",
            "Certainty of evidence",
            scale.levels().iter().map(|l| scale.label(l)).collect(),
        ),
        (
            "status",
            "Review status",
            EffectiveStatus::ORDERED
                .iter()
                .rev()
                .map(|s| s.label().to_string())
                .collect(),
        ),
        (
            "audience",
            "Written for",
            kb.config
                .audiences
                .iter()
                .map(|a| a.label.clone())
                .collect(),
        ),
    ];
    let filters = candidates
        .into_iter()
        .map(|(name, label, values)| {
            let mut options: Vec<String> = Vec::new();
            for value in values {
                if !options.contains(&value) && seen.contains(&facet(name, value.clone())) {
                    options.push(value);
                }
            }
            SearchFilterView {
                name,
                label,
                options,
            }
        })
        .filter(|f| !f.options.is_empty())
        .collect();
    SearchPageView { filters }
}
