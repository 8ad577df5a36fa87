//! The review queue (`evident review list`, the dashboard): every claim and topic with its
//! review state and the problems an editor should see.

use std::collections::BTreeMap;

use super::types::KnowledgeBase;
use crate::model::{Review, ReviewAction};

/// One row of the review queue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueRow {
    /// What `evident review` takes: a claim's id, or `topic:` + a topic's slug.
    pub id: String,
    /// `"claim"` or `"topic"`.
    pub kind: &'static str,
    /// The effective status's kebab-case name (`changed-since-approval`…); for a topic its
    /// own status, not the lowest of its claims'.
    pub status: &'static str,
    /// The status recorded in the file's `review:` block, kebab-case.
    pub recorded: &'static str,
    /// Slugs of the topics embedding the claim, in slug order; empty for a topic.
    pub topics: Vec<String>,
    /// Ids of everyone who started, approved or requested changes in the history, sorted,
    /// each once.
    pub reviewers: Vec<String>,
    /// The date (`YYYY-MM-DD`) of the latest-dated history entry; None when the history is
    /// empty.
    pub last_review: Option<String>,
    /// When the next review is due (`YYYY-MM-DD`); None unless the item is recorded as
    /// approved.
    pub next_due: Option<String>,
    /// The due date has passed.
    pub overdue: bool,
    /// Problems to show an editor, such as `"missing quote"`, each once; `"review
    /// overdue"` comes first when it applies. A topic gets only that one.
    pub flags: Vec<String>,
    /// The current fingerprint (what an approval now would record).
    pub fingerprint: String,
}

/// Every claim and topic with its review state and the problems an editor should see.
pub fn queue(kb: &KnowledgeBase) -> Vec<QueueRow> {
    let mut flags_by_path: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
    for d in kb.diagnostics.iter() {
        let flag = match d.code {
            crate::diag::Code::UnsupportedFigure => "figure not in quote",
            crate::diag::Code::GradeAboveDesign => "grade above design",
            crate::diag::Code::MissingQuote => "missing quote",
            crate::diag::Code::SourceNeeded | crate::diag::Code::MissingSource => "source needed",
            crate::diag::Code::CitesRetracted => "cites retracted source",
            crate::diag::Code::WordingOverstatesCertainty => "wording overstates certainty",
            crate::diag::Code::ReadingLevel => "reading level above target",
            _ => continue,
        };
        let flags = flags_by_path.entry(d.location.path.as_str()).or_default();
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    let reviewers = |review: &Review| {
        let mut names: Vec<String> = review
            .history
            .iter()
            .filter(|e| {
                matches!(
                    e.action,
                    ReviewAction::Approve | ReviewAction::Start | ReviewAction::RequestChanges
                )
            })
            .map(|e| e.by.value.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let mut rows = Vec::with_capacity(kb.claims.len() + kb.topics.len());
    for claim in kb.claims.values() {
        let c = &claim.claim;
        let mut flags: Vec<String> = flags_by_path
            .get(c.path.as_str())
            .map(|f| f.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        if claim.overdue {
            flags.insert(0, "review overdue".into());
        }
        rows.push(QueueRow {
            id: c.id.clone(),
            kind: "claim",
            status: claim.status.name(),
            recorded: c.review.status.name(),
            topics: claim.used_by.clone(),
            reviewers: reviewers(&c.review),
            last_review: c.review.last_entry().map(|e| e.date.to_string()),
            next_due: claim.due.map(|d| d.to_string()),
            overdue: claim.overdue,
            flags,
            fingerprint: claim.fingerprint_shown().to_string(),
        });
    }
    for topic in kb.topics.values() {
        let t = &topic.topic;
        rows.push(QueueRow {
            id: format!("topic:{}", t.slug.value),
            kind: "topic",
            status: topic.own_status.name(),
            recorded: t.review.status.name(),
            topics: Vec::new(),
            reviewers: reviewers(&t.review),
            last_review: t.review.last_entry().map(|e| e.date.to_string()),
            next_due: topic.due.map(|d| d.to_string()),
            overdue: topic.overdue,
            flags: if topic.overdue {
                vec!["review overdue".into()]
            } else {
                Vec::new()
            },
            fingerprint: topic.fingerprint.clone(),
        });
    }
    rows
}
