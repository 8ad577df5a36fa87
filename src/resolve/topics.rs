//! Topics: each topic page resolved against the claims it embeds (which are resolved
//! first) — unknown ids, embeds of retired claims, its reference numbering, its own review
//! state and the status it shows.

use super::links::replacement;
use super::review::{due_date, is_changed};
use super::types::{KnowledgeBase, ResolvedTopic};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::fingerprint;
use crate::model::{EffectiveStatus, PageRefKind, Topic};
use crate::text::fields::closest;

/// Everything about one topic: its reference numbering, review state and status from the
/// claims it embeds (which must be resolved already). Back-links are worked out after.
pub(super) fn resolve_topic(
    topic: Topic,
    kb: &KnowledgeBase,
    diagnostics: &mut Diagnostics,
) -> ResolvedTopic {
    let path = topic.path.clone();
    let mut references: Vec<String> = Vec::new();
    let mut claims: Vec<String> = Vec::new();
    let number = |id: &str, references: &mut Vec<String>| {
        if !references.iter().any(|r| r == id) {
            references.push(id.to_string());
        }
    };
    for r in &topic.references {
        let at = Location::new(&path, r.line, r.column);
        match &r.kind {
            PageRefKind::Embed | PageRefKind::ClaimLink => {
                let Some(claim) = kb.claims.get(&r.id) else {
                    let mut d = Diagnostic::error(
                        Code::UnknownClaim,
                        at,
                        format!("unknown claim `{}`", r.id),
                    )
                    .width(r.id.chars().count() + 4);
                    d = match closest(&r.id, kb.claims.keys().map(String::as_str)) {
                        Some(c) => d.hint(format!("did you mean `[[{c}]]`?")),
                        None => d.hint(format!(
                            "create it with `evident new claim {}` or fix the id",
                            r.id
                        )),
                    };
                    diagnostics.push(d);
                    continue;
                };
                if r.kind != PageRefKind::Embed {
                    continue;
                }
                if claim.status == EffectiveStatus::Retired {
                    let mut d = Diagnostic::warning(
                        Code::EmbedsRetired,
                        at,
                        format!("embeds the retired claim `{}`", r.id),
                    )
                    .width(r.id.chars().count() + 4);
                    d = match replacement(&kb.claims, &r.id) {
                        Some(next) => d.hint(format!(
                            "embed its replacement instead: `[[{}]]`",
                            next.claim.id
                        )),
                        None => d.hint(
                            "remove the embed; the page shows the claim as retired until then",
                        ),
                    };
                    diagnostics.push(d);
                }
                if !claims.contains(&r.id) {
                    claims.push(r.id.clone());
                }
                if claim.published {
                    for link in &claim.claim.sources {
                        if kb.sources.contains_key(&link.id.value) {
                            number(&link.id.value, &mut references);
                        }
                    }
                }
            }
            PageRefKind::Cite { .. } => {
                if kb.sources.contains_key(&r.id) {
                    number(&r.id, &mut references);
                } else {
                    let mut d = Diagnostic::error(
                        Code::UnknownCitation,
                        at,
                        format!("unknown source `{}` cited in prose", r.id),
                    )
                    .width(r.id.chars().count() + 1);
                    d = match closest(&r.id, kb.sources.keys().map(String::as_str)) {
                        Some(c) => d.hint(format!("did you mean `[@{c}]`?")),
                        None => d.hint("add the source's record to citations/, or fix the id"),
                    };
                    diagnostics.push(d);
                }
            }
        }
    }
    let fingerprint = fingerprint::topic(&topic);
    let changed = is_changed(&topic.review, &fingerprint);
    let own_status = EffectiveStatus::of(topic.review.status, false, changed);
    let status = EffectiveStatus::lowest(
        std::iter::once(own_status).chain(
            claims
                .iter()
                .filter_map(|id| kb.claims.get(id))
                .filter(|c| c.published)
                .map(|c| c.status),
        ),
    )
    .unwrap_or(own_status);
    let (due, overdue) = due_date(&topic.review, &kb.config, kb.today);
    if changed {
        diagnostics.push(
            Diagnostic::warning(
                Code::ChangedSinceApproval,
                Location::new(
                    &path,
                    topic.review.status_pos.line,
                    topic.review.status_pos.column,
                ),
                format!("page `{}` changed after it was approved", topic.slug.value),
            )
            .hint(format!(
                "have it reviewed again: `evident review submit topic:{}`",
                topic.slug.value
            )),
        );
    }
    let published = kb
        .face
        .shows_topic(kb.config.review.publish, &topic, own_status);
    ResolvedTopic {
        published,
        topic,
        fingerprint,
        own_status,
        status,
        changed_since_approval: changed,
        due,
        overdue,
        references,
        claims,
    }
}
