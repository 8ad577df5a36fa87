//! The editor dashboard's view (`review.html`): every claim with its review state and flags,
//! the review queues over those rows, and every page's own review.

use serde::Serialize;

use super::common::{CountView, StatusView, counts_by_status, date, reviewer_name, status_view};
use crate::render::urls::{Links, PagePath};
use crate::resolve::KnowledgeBase;
use crate::text::markdown;

/// One claim in the dashboard's table.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardRow {
    /// The claim's id.
    pub id: String,
    /// The claim's page; None on a public dashboard for a claim the published site does
    /// not show.
    pub url: Option<String>,
    /// The statement, as plain text.
    pub statement: String,
    /// The slugs of the topic pages that embed it.
    pub topics: Vec<String>,
    /// Its review status, as shown.
    pub status: StatusView,
    /// Everyone who started, approved or asked for changes in its review, by name and
    /// credentials.
    pub reviewers: Vec<String>,
    /// The date of its last review event (YYYY-MM-DD).
    pub last_review: Option<String>,
    /// When its next review is due (YYYY-MM-DD); None until it is approved.
    pub next_due: Option<String>,
    /// Whether that review is past due.
    pub overdue: bool,
    /// The problems an editor should see: "review overdue", "missing quote", "figure not in
    /// quote", "grade above design", "source needed", "cites retracted source", "wording
    /// overstates certainty", "reading level above target".
    pub flags: Vec<String>,
    /// The reading grade of each plain-language audience's wording, in the site's order of
    /// audiences; empty on a site not in English or without such audiences.
    pub reading: Vec<ReadingView>,
}

/// The reading grade of one plain-language audience's wording of a claim.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingView {
    /// The audience's id (`patient`).
    pub audience: String,
    /// The audience's label.
    pub label: String,
    /// The Flesch–Kincaid grade, to one decimal (`9.3`).
    pub grade: String,
    /// The grade as a number, for sorting.
    pub score: f64,
    /// Whether it is above the site's target (`dashboard.reading_target`).
    pub above: bool,
    /// Whether the statement was measured, the claim having no wording for the audience.
    pub statement: bool,
}

/// One review queue: the claims waiting for the same thing.
#[derive(Debug, Clone, Serialize)]
pub struct QueueView {
    /// The queue's id: submitted, in-review, changes-requested, changed-since-approval,
    /// cites-retracted, overdue, missing-quote, figure-or-grade, overstates-certainty or
    /// reading-level.
    pub name: &'static str,
    /// The queue in words ("Submitted, waiting for a reviewer").
    pub label: &'static str,
    /// The queue's claims, as positions in the dashboard's `rows` (from 0), so that a claim in
    /// several queues is written once.
    pub rows: Vec<usize>,
}

/// The editor dashboard (template variable `dashboard` of `review.html`).
#[derive(Debug, Clone, Serialize)]
pub struct DashboardView {
    /// Every claim, published or not, by review status, worst first; a status no claim has
    /// is left out.
    pub by_status: Vec<CountView>,
    /// The review queues, in a fixed order, claims citing a retracted source first; a queue
    /// may be empty.
    pub queues: Vec<QueueView>,
    /// Every claim, in id order.
    pub rows: Vec<DashboardRow>,
    /// Every topic and plain page, in slug order.
    pub topics: Vec<DashboardTopicRow>,
    /// The site's `plain_language.max_grade` (`6`), when some audience's wordings are
    /// measured for reading level; None otherwise.
    pub reading_target: Option<String>,
}

/// One topic or plain page in the dashboard's table of pages.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardTopicRow {
    /// The page's slug.
    pub slug: String,
    /// The page's title.
    pub title: String,
    /// The page; None on a public dashboard for a page the published site does not show.
    pub url: Option<String>,
    /// The status the page shows: the lowest of its own text's and its claims'.
    pub status: StatusView,
    /// The review status of the page's own text.
    pub own_status: StatusView,
    /// The date of its last review event (YYYY-MM-DD).
    pub last_review: Option<String>,
    /// When its next review is due (YYYY-MM-DD); None until it is approved.
    pub next_due: Option<String>,
}

/// The editor dashboard. With `public`, a claim the published site does not show has no link.
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
                    reading: crate::resolve::reading_grades(&claim.claim, &kb.config)
                        .into_iter()
                        .map(|g| ReadingView {
                            grade: format!("{:.1}", g.grade),
                            score: g.grade,
                            above: g.above,
                            statement: !g.own_wording,
                            audience: g.audience,
                            label: g.label,
                        })
                        .collect(),
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
    // Claims approved and now citing a retracted source come first: readers may still see
    // their approved version, under a retraction notice, until someone acts.
    let queues = vec![
        queue("cites-retracted", "Cites a retracted source", &|r| {
            r.status.name == "cites-retracted"
        }),
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
        queue("overdue", "Review overdue", &|r| r.overdue),
        queue("missing-quote", "Missing quote", &|r| {
            r.flags.iter().any(|f| f == "missing quote")
        }),
        queue("figure-or-grade", "Figure or grade warnings", &|r| {
            r.flags
                .iter()
                .any(|f| f == "figure not in quote" || f == "grade above design")
        }),
        queue(
            "overstates-certainty",
            "Wording overstates certainty",
            &|r| r.flags.iter().any(|f| f == "wording overstates certainty"),
        ),
        queue(
            "reading-level",
            "Plain-language wording above the reading target (informs, does not block)",
            &|r| r.status.name != "retired" && r.reading.iter().any(|g| g.above),
        ),
    ];
    DashboardView {
        reading_target: (kb.config.plain_language_audiences().next().is_some())
            .then(|| kb.config.plain_language.target()),
        by_status: counts_by_status(kb.claims.values().map(|c| c.status)),
        queues,
        rows,
        topics: kb
            .topics
            .values()
            .map(|t| DashboardTopicRow {
                slug: t.topic.slug.value.clone(),
                title: t.topic.title.clone(),
                url: (t.published || !public)
                    .then(|| links.page(&PagePath::topic(&t.topic.slug.value))),
                status: status_view(t.status),
                own_status: status_view(t.own_status),
                last_review: t.topic.review.last_entry().map(|e| date(e.date)),
                next_due: t.due.map(date),
            })
            .collect(),
    }
}
