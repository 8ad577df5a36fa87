//! Topics: each topic page resolved against the claims it embeds (which are resolved
//! first) — unknown ids (and claim files that could not be read), embeds of retired
//! claims, its reference numbering, its own review state and the status it shows.

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
            PageRefKind::InlineClaim => diagnostics.push(inline_claim(&r.id, at)),
            PageRefKind::ClaimLink => {
                if !kb.claims.contains_key(&r.id) {
                    diagnostics.push(unknown_claim(kb, &r.id, at, Syntax::Link));
                }
            }
            PageRefKind::Embed => {
                let Some(claim) = kb.claims.get(&r.id) else {
                    diagnostics.push(unknown_claim(kb, &r.id, at, Syntax::Embed));
                    continue;
                };
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
                    d = if let Some(claim) = kb.claims.get(&r.id) {
                        let cited: Vec<String> = claim
                            .claim
                            .sources
                            .iter()
                            .filter(|l| kb.sources.contains_key(&l.id.value))
                            .map(|l| format!("`[@{}]`", l.id.value))
                            .collect();
                        let its = match cited.as_slice() {
                            [] => String::new(),
                            _ => format!(", or cite its source: {}", cited.join(", ")),
                        };
                        d.hint(format!(
                            "`{0}` is a claim, not a source: embed it with `[[{0}]]` alone on its line{its}",
                            r.id
                        ))
                    } else {
                        match closest(&r.id, kb.sources.keys().map(String::as_str)) {
                            Some(c) => d.hint(format!("did you mean `[@{c}]`?")),
                            None => d.hint("add the source's record to citations/, or fix the id"),
                        }
                    };
                    diagnostics.push(d);
                }
            }
        }
    }
    let fingerprint = fingerprint::topic(&topic);
    let changed = is_changed(&topic.review, |recorded| recorded == fingerprint);
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
                "have it reviewed again: `evident review submit topic:{} --by REVIEWER`, then `start` and `approve` with `--by` a reviewer",
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

/// `[[id]]` inside a sentence: an embed is a block of its own, and a link to a claim's page
/// is written as a link. The hint shows both.
fn inline_claim(id: &str, at: Location) -> Diagnostic {
    Diagnostic::error(
        Code::InlineClaim,
        at,
        format!("`[[{id}]]` inside a sentence: a claim is embedded only on a line of its own"),
    )
    .width(id.chars().count() + 4)
    .hint(format!(
        "to show the statement, put `[[{id}]]` alone on its own line or list item; to link to its page, write `[text](@{id})`"
    ))
}

/// How a page refers to a claim: `[[id]]` embeds it, `[text](@id)` links to its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Embed,
    Link,
}

/// The error for `[[id]]` or `[text](@id)` naming no claim of the site: a source's id is
/// said to be one; a claim file of that name that could not be read points at its first
/// error, since the fix is there (creating the claim, the usual hint, would clash with that
/// file).
fn unknown_claim(kb: &KnowledgeBase, id: &str, at: Location, syntax: Syntax) -> Diagnostic {
    let width = match syntax {
        Syntax::Embed => id.chars().count() + 4,
        Syntax::Link => 1,
    };
    if let Some(error) = unreadable_claim(kb, id) {
        return Diagnostic::error(
            Code::UnknownClaim,
            at,
            format!("claim `{id}` could not be read (see {error})"),
        )
        .width(width)
        .hint("fix the problem reported in that file; this page shows the claim once it reads");
    }
    let d = Diagnostic::error(Code::UnknownClaim, at, format!("unknown claim `{id}`")).width(width);
    if kb.sources.contains_key(id) {
        return d.hint(format!(
            "`{id}` is a source, not a claim: cite it in prose with `[@{id}]`, or embed a claim that cites it"
        ));
    }
    match closest(id, kb.claims.keys().map(String::as_str)) {
        Some(c) if syntax == Syntax::Embed => d.hint(format!("did you mean `[[{c}]]`?")),
        Some(c) => d.hint(format!("did you mean `(@{c})`?")),
        None => d.hint(format!(
            "create it with `evident new claim {id}` or fix the id"
        )),
    }
}

/// Where the claim file named `id` (`content/**/<id>.yaml` or `.yml`) first goes wrong,
/// when there is one that does not read as a claim. Only reached for an unknown id, so the
/// file is parsed again here rather than its problems kept for every claim.
fn unreadable_claim(kb: &KnowledgeBase, id: &str) -> Option<Location> {
    let (path, text) = kb.texts.iter().find(|(path, _)| {
        path.starts_with("content/")
            && [".yaml", ".yml"].iter().any(|ext| {
                path.strip_suffix(ext)
                    .and_then(|p| p.rsplit('/').next())
                    .is_some_and(|stem| stem == id)
            })
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Some(Location::file(path));
    }
    let mut found = Diagnostics::new();
    if crate::load::parse_claim(text, path, id, &kb.config, &mut found).is_some() {
        return None;
    }
    let first = found
        .sorted()
        .into_iter()
        .find(|d| d.severity == crate::diag::Severity::Error)
        .map_or_else(|| Location::file(path), |d| d.location);
    Some(first)
}
