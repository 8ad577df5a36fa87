//! Review state: whether an approved item changed since its approval, when its next review
//! is due, and the checks of its recorded decisions (dates, reviewers).

use jiff::civil::Date;

use super::types::KnowledgeBase;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::config::Config;
use crate::model::{Review, ReviewStatus};
use crate::text::fields::closest;

/// Recorded as approved, but the last approval's fingerprint is not the content's as it now
/// is (`current` says whether a recorded fingerprint matches, in its own version).
pub(super) fn is_changed(review: &Review, current: impl Fn(&str) -> bool) -> bool {
    review.status == ReviewStatus::Approved
        && review
            .last_approval()
            .is_some_and(|a| !a.fingerprint.as_deref().is_some_and(&current))
}

/// The earlier of `next_review` and the last approval + `max_age_days`; overdue when today is later.
pub(super) fn due_date(review: &Review, config: &Config, today: Date) -> (Option<Date>, bool) {
    if review.status != ReviewStatus::Approved {
        return (None, false);
    }
    let by_age = review.last_approval().and_then(|a| {
        a.date
            .checked_add(jiff::Span::new().days(i64::from(config.review.max_age_days)))
            .ok()
    });
    let due = match (review.next_review, by_age) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (due, due.is_some_and(|d| today > d))
}

/// Every decision of a claim's or topic's review is dated no later than today and made by a
/// reviewer the configuration declares.
pub(super) fn check_review(
    kb: &KnowledgeBase,
    path: &str,
    review: &Review,
    diagnostics: &mut Diagnostics,
) {
    let declared: Vec<&str> = kb.config.reviewers.iter().map(|r| r.id.as_str()).collect();
    {
        for entry in &review.history {
            if entry.date > kb.today {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        Location::new(path, entry.pos.line, entry.pos.column),
                        format!("review decision dated {}, after today ({})", entry.date, kb.today),
                    )
                    .hint("date decisions on the day they were made; pass `--today` when checking a site as of another day"),
                );
            }
            if declared.contains(&entry.by.value.as_str()) {
                continue;
            }
            let mut d = Diagnostic::error(
                Code::UnknownReviewer,
                Location::new(path, entry.by.pos.line, entry.by.pos.column),
                format!("unknown reviewer `{}`", entry.by.value),
            )
            .width(entry.by.value.chars().count());
            d = match closest(&entry.by.value, declared.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint(
                    "declare reviewers in evident.yaml under `reviewers:` with an id and a name",
                ),
            };
            diagnostics.push(d);
        }
    }
}
