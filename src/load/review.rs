//! The `review:` block shared by claims and topics.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{ApprovedWording, HistoryEntry, Retired, Review, ReviewAction, ReviewStatus};
use crate::text::fields::Fields;
use crate::text::yaml::Node;
use crate::text::yaml::Spanned;

/// The keys of a `review:` block (of a claim or a page); any other is reported as
/// `unknown-field`.
pub const REVIEW_FIELDS: &[&str] = &["status", "history", "next_review", "retired"];
const ENTRY_FIELDS: &[&str] = &["date", "by", "action", "note", "fingerprint", "approved"];

/// Reads the node under `review:`; `key_offset` is the byte offset of the `review` key in the
/// parsed text and `text` that text, so the block's byte range can be recorded for in-place edits.
pub fn read_review(
    node: &Node,
    parent: &mut Fields<'_>,
    text: &str,
    key_offset: Option<usize>,
) -> Review {
    let mut review = Review {
        status_pos: node.pos,
        ..Review::default()
    };
    review.span = key_offset.and_then(|start| {
        let end = node.end_offset()?;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        Some((line_start, line_end))
    });
    let (path, offset) = (parent.path(), parent.line_offset());
    let Some(mut fields) = Fields::of(node, path, offset, "`review`", parent.diagnostics) else {
        return review;
    };
    if let Some(status) = fields.choice("status", ReviewStatus::NAMES) {
        review.status = ReviewStatus::from_name(&status.value).unwrap_or_default();
        review.status_pos = status.pos;
    }
    if let Some(items) = fields.list("history") {
        for item in items {
            if let Some(entry) = read_entry(item, &mut fields) {
                review.history.push(entry);
            }
        }
    }
    review.next_review = fields.date("next_review").map(|d| d.value);
    if let Some(retired) = fields.node("retired") {
        review.retired = read_retired(retired, &mut fields);
    }
    check_consistency(&review, &mut fields, node);
    fields.finish(REVIEW_FIELDS, "`review`");
    review
}

fn read_entry(node: &Node, parent: &mut Fields<'_>) -> Option<HistoryEntry> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "a history entry", parent.diagnostics)?;
    let date = fields.date("date");
    if date.is_none() && fields.node("date").is_none() {
        let loc = fields.location(node.pos);
        fields.push(
            Diagnostic::error(Code::MissingField, loc, "history entry without `date`")
                .hint("add `date: YYYY-MM-DD` (the day of the decision)"),
        );
    }
    let by = fields.required_text("by", "the id of a reviewer from evident.yaml", node.pos);
    let action = match fields.node("action") {
        Some(n) => fields.choice_of(n, "action", ReviewAction::NAMES),
        None => {
            let loc = fields.location(node.pos);
            fields.push(
                Diagnostic::error(Code::MissingField, loc, "history entry without `action`").hint(
                    format!(
                        "add `action:` with one of {}",
                        ReviewAction::NAMES.join(", ")
                    ),
                ),
            );
            None
        }
    };
    let note = fields.text("note").map(|n| n.value);
    let fingerprint = fields.text("fingerprint").map(|f| f.value);
    let approved = fields
        .node("approved")
        .and_then(|n| read_approved(n, &mut fields));
    fields.finish(ENTRY_FIELDS, "a history entry");
    Some(HistoryEntry {
        date: date?.value,
        by: by?,
        action: ReviewAction::from_name(&action?.value)?,
        note,
        fingerprint,
        approved,
        pos: node.pos,
    })
}

fn read_approved(node: &Node, parent: &mut Fields<'_>) -> Option<ApprovedWording> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "`approved`", parent.diagnostics)?;
    let statement = fields.text("statement").map(|s| s.value);
    let mut audiences = BTreeMap::new();
    if let Some(map) = fields.node("audiences")
        && let Some(mut inner) = Fields::of(map, path, offset, "`audiences`", fields.diagnostics)
    {
        for (key, value) in map.as_map().unwrap_or_default() {
            if let Some(text) = inner.text_of(value, &key.name) {
                audiences.insert(key.name.clone(), text.value);
            }
        }
    }
    fields.finish(&["statement", "audiences"], "`approved`");
    Some(ApprovedWording {
        statement,
        audiences,
    })
}

fn read_retired(node: &Node, parent: &mut Fields<'_>) -> Option<Retired> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "`retired`", parent.diagnostics)?;
    let reason = fields.required_text("reason", "why the claim was retired", node.pos);
    let replaced_by = fields.text("replaced_by");
    fields.finish(&["reason", "replaced_by"], "`retired`");
    Some(Retired {
        reason: reason.map(|r| r.value).unwrap_or_default(),
        replaced_by: replaced_by.map(|r| Spanned::new(r.value.trim().to_string(), r.pos)),
    })
}

fn check_consistency(review: &Review, fields: &mut Fields<'_>, node: &Node) {
    let status_loc = fields.location(review.status_pos);
    match review.status {
        ReviewStatus::Approved if review.last_approval().is_none() => fields.push(
            Diagnostic::error(
                Code::ApprovedWithoutHistory,
                status_loc,
                "status is `approved` but the history records no approval",
            )
            .hint("record approvals with `evident review approve ID --by REVIEWER` rather than by editing the status"),
        ),
        ReviewStatus::Retired if review.retired.is_none() => fields.push(
            Diagnostic::error(Code::InvalidReview, status_loc, "a retired claim needs a `retired:` block with its reason")
                .hint("add `retired: {reason: \"…\"}` under `review:`, or use `evident review retire ID --by REVIEWER --reason \"…\"`"),
        ),
        status if status != ReviewStatus::Retired && review.retired.is_some() => {
            let loc = fields.key_pos("retired").map_or(fields.location(node.pos), |p| fields.location(p));
            fields.push(
                Diagnostic::error(
                    Code::InvalidReview,
                    loc,
                    format!("`retired:` is given but the status is `{}`", status.name()),
                )
                .hint("remove `retired:` or set `status: retired`"),
            );
        }
        _ => {}
    }
}
