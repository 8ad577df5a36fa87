//! The topic view: a topic page (`topic.html`) or a plain page (`page.html`), with its
//! review tracker, numbered reference list and handout links.

use serde::Serialize;

use super::common::{
    HistoryView, LinkView, StatusView, date, history_view, reviewer_name, source_links,
    status_view, superseding,
};
use crate::model::{EffectiveStatus, PageKind, PageRefKind, ReviewStatus};
use crate::render::urls::{Links, PagePath};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedTopic};
use crate::text::markdown;

/// One entry of a topic's numbered reference list.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    /// Its number, the one the superscripts in the text show.
    pub number: usize,
    /// Its HTML id, `ref-N`, which the superscripts link to.
    pub anchor: String,
    /// What kind of source it is ("Guideline", "Review", "Research").
    pub label: String,
    /// The formatted reference (Vancouver), as plain text.
    pub text: String,
    /// The source's page on this site.
    pub url: String,
    /// Where the source can be read (DOI, PubMed, web address).
    pub links: Vec<LinkView>,
    /// Whether the source has been retracted.
    pub retracted: bool,
    /// The newer source that supersedes this one, when the editors recorded it.
    pub superseded_by: Option<LinkView>,
    /// Where in the source the page's text cites it ("p. 4", "table 2"), as the citations
    /// give them.
    pub locators: Vec<String>,
}

/// One step of the review tracker: Draft, Submitted, In review, Approved.
#[derive(Debug, Clone, Serialize)]
pub struct TrackerStep {
    /// The step in words.
    pub label: &'static str,
    /// done | current | todo
    pub state: &'static str,
}

/// An approval: when and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewStamp {
    /// When (YYYY-MM-DD).
    pub date: String,
    /// The reviewer, by name and credentials.
    pub by: String,
}

/// A topic page or a plain page (template variable `topic` of `topic.html` and `page.html`).
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    /// Links to the printable handout, when the build writes one for this page.
    pub handout: Option<HandoutLinks>,
    /// The page's slug (its file name without `.md`, and its folder in the site).
    pub slug: String,
    /// The page's title.
    pub title: String,
    /// The question the topic answers, when it has one (shown as the heading, the title above).
    pub question: Option<String>,
    /// A short summary, when written.
    pub summary: Option<String>,
    /// The topic's advice on when to get help (front matter `when_to_get_help:` or
    /// `contact_us_if:`), shown after the body; None when it gives none (then no section).
    pub help: Option<HelpView>,
    /// Whether this is a plain page (`kind: page`) rather than a topic.
    pub is_page: bool,
    /// The page's text as safe HTML: Markdown rendered, claims embedded through
    /// `partials/claim-embed.html`, citations as superscript reference numbers.
    pub body_html: String,
    /// The status the page shows: the lowest of its own text's and its claims'.
    pub status: StatusView,
    /// The review status of the page's own text.
    pub own_status: StatusView,
    /// Whether the page, or something on it, is not approved yet.
    pub pending: bool,
    /// How many of its claims are not approved yet (retired ones not counted).
    pub pending_count: usize,
    /// The review tracker's steps, in order.
    pub tracker: Vec<TrackerStep>,
    /// A state beside the tracker's line: changes requested or changed since approval.
    pub tracker_note: Option<StatusView>,
    /// The numbered reference list.
    pub references: Vec<ReferenceView>,
    /// The last approval of the page's own text ("Last reviewed").
    pub last_reviewed: Option<ReviewStamp>,
    /// The last dated review event of any kind, for pages not yet approved.
    pub last_activity: Option<HistoryView>,
    /// When the page's next review is due (YYYY-MM-DD); None until its text is approved.
    pub next_review: Option<String>,
    /// Whether that review is past due.
    pub overdue: bool,
    /// The retracted sources among its references.
    pub retracted: Vec<LinkView>,
    /// The retired claims it embeds, linked to their pages (which say why).
    pub retired_embeds: Vec<LinkView>,
    /// How many published claims it embeds.
    pub claim_count: usize,
}

/// The printable handout of a topic, per format written.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutLinks {
    /// The print HTML handout.
    pub html: String,
    /// The PDF handout, when the build writes PDFs.
    pub pdf: Option<String>,
}

/// A topic's numbered reference list, in number order.
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
                    PageRefKind::Cite { locator } => locator.clone(),
                    _ => None,
                })
                .collect();
            locators.dedup();
            Some(ReferenceView {
                number,
                anchor: format!("ref-{number}"),
                label: source.label(),
                text: resolved.reference(&kb.style).to_owned(),
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

/// A topic's advice on when to get help, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct HelpView {
    /// The heading: "When to get help", or "Contact us if".
    pub heading: String,
    /// Each line as inline HTML (rendered from its Markdown; raw HTML shown as text): write
    /// with `|safe`.
    pub lines_html: Vec<String>,
}

/// A topic page or plain page around its already rendered `body_html`. The handout links are
/// left for the caller, which knows what the build writes.
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
        help: t.help.as_ref().map(|h| HelpView {
            heading: h.heading.clone(),
            lines_html: h.lines.iter().map(|l| markdown::render_inline(l)).collect(),
        }),
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
