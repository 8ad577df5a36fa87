//! The view pieces every page shares: the site and the page around the content, links, review
//! status and certainty badges, dates, reviewer names, review history and source links.

use std::collections::BTreeMap;

use serde::Serialize;

use super::search::FacetView;
use crate::model::config::{Config, EvidenceScale};
use crate::model::{EffectiveStatus, HistoryEntry, Relation, ReviewAction, Source};
use crate::render::urls::{Links, PagePath};
use crate::resolve::{KnowledgeBase, ResolvedClaim};

/// The site as a whole, the same on every page (template variable `site`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The site's name (`title` in evident.yaml).
    pub title: String,
    /// The site's language tag (`en`, `en-GB`), for `<html lang>`.
    pub language: String,
    /// The disclaimer printed in every footer.
    pub disclaimer: String,
    /// A notice shown at the top of every page, when the site sets one.
    pub notice: Option<String>,
    /// The readers the site writes for, in the order of evident.yaml; the first is chosen when
    /// a page opens.
    pub audiences: Vec<AudienceView>,
    /// The evidence scale: `grade` or `oxford-cebm`.
    pub scale: String,
    /// Which face of the site this is: `public` (what readers see) or `preview` (the
    /// editors' view). Fingerprints are shown on the preview only.
    pub face: &'static str,
    /// Whether pages show the review workflow: status badges, "pending review" banners, the
    /// review tracker and history. On the preview, and on a public site under
    /// `publish: all-with-banner`.
    pub workflow: bool,
    /// Whether pages show the notes recorded with review decisions: on the preview, and on
    /// the public site under `review.notes: public`.
    pub notes: bool,
}

/// One audience of the site: a kind of reader a claim can have its own wording for.
#[derive(Debug, Clone, Serialize)]
pub struct AudienceView {
    /// The audience's id as written in evident.yaml and the claim files (`patient`).
    pub id: String,
    /// The id reduced to `[a-z0-9-]`, safe in HTML ids, class names and CSS selectors.
    pub key: String,
    /// The name a reader sees ("Parents and carers").
    pub label: String,
    /// Whether this audience is the one chosen when a page opens (the first one).
    pub checked: bool,
    /// Whether it reads plain language (`plain_language` in evident.yaml: parents,
    /// patients): it sees the certainty of evidence in words (`certainty_words`) rather than
    /// the scale's terms and symbols.
    pub plain: bool,
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

/// Navigation and page-level facts for the layout (template variable `page`, on every page).
/// Every URL is relative to the page unless it says otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// What the page is: `home`, `topic`, `page`, `claim`, `source`, `grading`, `search`,
    /// `review` (the editor dashboard) or `not-found` (`404.html`).
    pub kind: &'static str,
    /// The page's title, as plain text.
    pub title: String,
    /// A one-line description for `<meta name="description">`, as plain text; may be empty.
    pub description: String,
    /// The page's absolute URL on the published site, for `<link rel="canonical">`.
    pub canonical: String,
    /// The way back to the site root from this page: "", "../", "../../".
    pub root: String,
    /// The theme's `static/style.css`.
    pub stylesheet: String,
    /// The theme's `static/evident.js`.
    pub script: String,
    /// The home page.
    pub home_url: String,
    /// The page explaining the evidence scale and the review statuses.
    pub grading_url: String,
    /// The editor dashboard; None when the site does not show it.
    pub review_url: Option<String>,
    /// The editorial policy page (the topic `editorial-policy`), when the site has one.
    pub policy_url: Option<String>,
    /// The topics, for the header navigation (a handful; never every claim). Empty on a site
    /// with more than eight topics, which lists them on its home page only.
    pub topics: Vec<LinkView>,
    /// schema.org JSON-LD describing the page, already safe inside `<script>`: write it with
    /// `|safe`.
    pub json_ld: String,
    /// The date (YYYY-MM-DD) a reviewer last approved the page's text, when one has.
    pub last_reviewed: Option<String>,
    /// The page's one quiet review line ("Reviewed by NAME, CREDENTIALS on DATE · Next review
    /// due DATE"), for topic and claim pages a reviewer approved.
    pub review_line: Option<ReviewLineView>,
    /// The search page, for the search box in the header; None when the site has no search.
    pub search_url: Option<String>,
    /// The Atom feed of review events, for `<link rel="alternate">`.
    pub feed_url: Option<String>,
    /// Whether the page's main content is indexed for search (topics, claims, sources).
    pub indexed: bool,
    /// The search filters this page is found under (see [`FacetView`]).
    pub facets: Vec<FacetView>,
    /// The page's title in each audience's wording, for search results in the searcher's
    /// wording (pagefind metadata `title_<audience key>`); empty but on claim pages.
    pub search_titles: Vec<SearchTitleView>,
}

/// A page's title in one audience's wording, for search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchTitleView {
    /// The pagefind metadata key: `title_` and the audience's key (`title_patient`).
    pub meta: String,
    /// The title in that audience's wording, as plain text.
    pub title: String,
}

/// A claim's statement in each audience's wording, for search result titles.
pub fn claim_search_titles(kb: &KnowledgeBase, claim: &ResolvedClaim) -> Vec<SearchTitleView> {
    kb.config
        .audiences
        .iter()
        .map(|a| SearchTitleView {
            meta: format!("title_{}", audience_key(&a.id)),
            title: crate::text::markdown::plain_text(claim.claim.wording(&a.id)),
        })
        .collect()
}

/// Who last approved a page's text, when, and when it is due for review again.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewLineView {
    /// The reviewer, by name and credentials from evident.yaml ("A. Reviewer, IBCLC").
    pub by: String,
    /// The day of the approval (YYYY-MM-DD).
    pub date: String,
    /// The day the next review is due (YYYY-MM-DD), when there is one.
    pub next_review: Option<String>,
}

/// The review line of content whose review is `review`, due again on `due`; None when no
/// reviewer approved it.
pub fn review_line(
    config: &Config,
    review: &crate::model::Review,
    due: Option<jiff::civil::Date>,
) -> Option<ReviewLineView> {
    let approval = review.last_approval()?;
    Some(ReviewLineView {
        by: reviewer_name(config, &approval.by.value),
        date: date(approval.date),
        next_review: due.or(review.next_review).map(date),
    })
}

/// A link: the text to show and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// The link's text, as plain text.
    pub title: String,
    /// Where it goes: relative to the page for the site's own pages, absolute elsewhere.
    pub url: String,
}

/// A review status, with everything a badge needs so that status never rests on colour alone.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// The status's id: approved, in-review, submitted, changes-requested, draft,
    /// changed-since-approval, cites-retracted or retired.
    pub name: &'static str,
    /// The status in words ("In review").
    pub label: &'static str,
    /// Whether the status counts as approved by a reviewer.
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

/// The certainty of the evidence behind a claim, for its badge.
#[derive(Debug, Clone, Serialize)]
pub struct GradeView {
    /// The certainty as written in the claim file (`moderate`, `2`, `not-applicable`), for
    /// class names and the grading page's anchors.
    pub value: String,
    /// The certainty in the scale's words ("Moderate", "Level 2", "Not graded").
    pub label: String,
    /// "High certainty", "Level 2": the text shown on the badge.
    pub badge: String,
    /// GRADE's symbols (⊕⊕⊕◯ for moderate), when the scale is GRADE and the level is graded.
    pub symbols: Option<String>,
    /// The certainty in plain words for readers ("based on good research; we are fairly
    /// sure"), from the site's `certainty_words`.
    pub plain: String,
    /// The level's explanation on the grading page.
    pub url: String,
    /// Why the editors gave this certainty, when they recorded it.
    pub reason: Option<String>,
}

/// One decision of a review history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    /// Its place in the whole history, from 1: the anchor `review-N` of its row, which the
    /// feed links to (a face may leave some decisions out).
    pub position: usize,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// The reviewer or editor, by name and credentials ("Dr A. Reviewer, IBCLC").
    pub by: String,
    /// The decision's id: submit, start, approve, request-changes or retire.
    pub action: &'static str,
    /// The decision in words ("Approved").
    pub action_label: &'static str,
    /// The note recorded with the decision, if any.
    pub note: Option<String>,
}

/// How many claims are in one state or grade.
#[derive(Debug, Clone, Serialize)]
pub struct CountView {
    /// The state's or grade's id (a status name, a certainty value, `ungraded`), for class
    /// names.
    pub name: String,
    /// The state or grade in words.
    pub label: String,
    /// How many claims.
    pub count: usize,
}

/// The badge facts of a review status.
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

/// A certainty in words a plain-language reader understands ("based on limited research; we
/// are not sure"): the site's `certainty_words`, else the default for the level's rank.
pub fn plain_certainty(config: &Config, value: &str) -> String {
    let rank = config.grading.evidence.rank(value);
    config.certainty_words.phrase(value, rank)
}

/// GRADE's symbols for a level (⊕⊕⊕◯ for moderate); None on another scale or for a level
/// that is not graded.
pub fn grade_symbols(scale: EvidenceScale, level: &str) -> Option<String> {
    match (scale, scale.rank(level)) {
        (EvidenceScale::Grade, Some(rank)) => {
            let rank = usize::from(rank.min(4));
            Some(format!("{}{}", "⊕".repeat(rank), "◯".repeat(4 - rank)))
        }
        _ => None,
    }
}

/// The certainty badge of a claim; None for a claim not graded yet.
pub fn grade_view(config: &Config, claim: &ResolvedClaim, links: &Links) -> Option<GradeView> {
    let certainty = claim.claim.certainty.as_ref()?;
    let scale = config.grading.evidence;
    let label = scale.label(&certainty.value);
    let badge = match scale {
        EvidenceScale::Grade if certainty.value != "not-applicable" => format!("{label} certainty"),
        _ => label.clone(),
    };
    let symbols = grade_symbols(scale, &certainty.value);
    Some(GradeView {
        value: certainty.value.clone(),
        label,
        badge,
        symbols,
        plain: plain_certainty(config, &certainty.value),
        url: format!(
            "{}#grade-{}",
            links.page(&PagePath::named("grading")),
            certainty.value
        ),
        reason: claim.claim.certainty_reason.clone(),
    })
}

/// A date as pages show it: YYYY-MM-DD.
pub fn date(d: jiff::civil::Date) -> String {
    d.to_string()
}

/// A reviewer by name and credentials from evident.yaml; the id itself for one it does not list.
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

/// A review history, in the order it was recorded.
pub fn history_view(config: &Config, entries: &[HistoryEntry]) -> Vec<HistoryView> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| HistoryView {
            position: i + 1,
            date: date(e.date),
            by: reviewer_name(config, &e.by.value),
            action: e.action.name(),
            action_label: action_label(e.action),
            note: e.note.clone(),
        })
        .collect()
}

/// A link to the source that supersedes `source`, if any.
pub(super) fn superseding(kb: &KnowledgeBase, source: &Source, links: &Links) -> Option<LinkView> {
    let next = kb.sources.get(source.evidence.superseded_by.as_deref()?)?;
    Some(LinkView {
        title: next.source.title().to_string(),
        url: links.page(&PagePath::source(&next.source.slug)),
    })
}

/// Where a source can be read: its DOI, PubMed and PubMed Central records, and its web
/// address, in that order.
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

/// How a source bears on a claim, in words.
pub fn relation_label(relation: Relation) -> &'static str {
    match relation {
        Relation::Supports => "Supports",
        Relation::Qualifies => "Qualifies",
        Relation::Disputes => "Disputes",
    }
}

/// How many of `statuses` are in each state, worst first; states no one is in are left out.
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
