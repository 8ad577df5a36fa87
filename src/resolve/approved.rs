//! The public site's knowledge base under `publish: approved` (DESIGN §5a): every claim and
//! topic in the version its reviewers approved — the current file when it has not changed
//! since, else the approved version kept under `reviewed/`, checked against the approval it
//! records — and what was never approved (or was retired) kept out of sight.
//!
//! The approved versions are resolved by the same functions as every other item
//! ([`Resolution::update`]): a version that no longer holds up against the site (it cites a
//! source since deleted) is an error at its own line, and the public build stops.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Edits, KnowledgeBase, Resolution};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::load::Parsed;
use crate::load::reviewed::{ApprovedVersion, Reviewed};
use crate::model::idmap::IdMap;
use crate::model::{
    Claim, EffectiveStatus, Review, ReviewAction, ReviewStatus, Source, Topic, fingerprint,
};

/// What the public site shows of one claim or topic.
enum Shown<T> {
    /// The current file: approved, and unchanged since.
    Current,
    /// The approved version from `reviewed/`.
    Approved(T),
    /// Nothing: never approved, retired, or changed without an approved version kept.
    Hidden,
}

/// `kb` (a whole site, resolved by `resolution`) as the public site shows it: approved
/// versions in place of what changed since, `published` false for what it does not show.
/// The diagnostics are `kb`'s, then the problems of the approved versions.
pub fn public(
    mut kb: KnowledgeBase,
    resolution: &mut Resolution,
    reviewed: Reviewed,
) -> KnowledgeBase {
    let mut problems = reviewed.diagnostics;
    let versions: BTreeMap<String, ApprovedVersion> = reviewed
        .versions
        .into_iter()
        .map(|v| (v.of.clone(), v))
        .collect();

    let mut edits = Edits::default();
    let mut shown_claims: BTreeSet<String> = BTreeSet::new();
    for (id, claim) in kb.claims.iter() {
        let current = &claim.claim;
        let version = versions.get(&current.path);
        // Every approved version is checked, also one the current file stands in for.
        let checked = version.map(|v| approved_claim(current, v, resolution, &mut problems));
        let stands = current.review.status == ReviewStatus::Approved
            && (!claim.changed_since_approval
                || changed_only_by_a_retraction(current, &resolution.sources));
        let shown = choose(
            &current.review,
            stands,
            checked,
            claim.changed_since_approval,
            || not_kept(&current.path, current.review.status_pos.line, id),
            &mut problems,
        );
        if let Some(claim) = settle(id, shown, version, &mut shown_claims, &mut edits.texts) {
            edits.claims.push(claim);
        }
    }
    let mut shown_topics: BTreeSet<String> = BTreeSet::new();
    for (slug, topic) in kb.topics.iter() {
        let current = &topic.topic;
        let version = versions.get(&current.path);
        let checked = version.map(|v| approved_topic(current, v, &mut problems));
        // A page with neither claims nor a review block is published as it is.
        let stands = (topic.claims.is_empty() && current.review.span.is_none())
            || (current.review.status == ReviewStatus::Approved && !topic.changed_since_approval);
        let shown = choose(
            &current.review,
            stands,
            checked,
            topic.changed_since_approval,
            || not_kept(&current.path, current.review.status_pos.line, slug),
            &mut problems,
        );
        if let Some(topic) = settle(slug, shown, version, &mut shown_topics, &mut edits.texts) {
            edits.topics.push(topic);
        }
    }

    // An approved version of a file that is gone stands for nothing the site has.
    let paths: BTreeSet<&str> = kb
        .claims
        .values()
        .map(|c| c.claim.path.as_str())
        .chain(kb.topics.values().map(|t| t.topic.path.as_str()))
        .collect();
    for version in versions.values() {
        if !paths.contains(version.of.as_str()) {
            problems.push(
                Diagnostic::warning(
                    Code::ApprovedVersion,
                    Location::file(&version.rel),
                    format!("this is the approved version of {}, which the site no longer has; nothing is published from it", version.of),
                )
                .hint(format!("delete it, or restore {} (to withdraw a claim, retire it: `evident review retire ID --by REVIEWER --reason \"…\"`)", version.of)),
            );
        }
    }

    let before = kb.diagnostics.clone();
    let replaced: BTreeSet<String> = edits.claims.iter().map(|c| c.id.clone()).collect();
    resolution.update(&mut kb, edits, []);
    let mut found = kb.diagnostics.clone();

    // The approved versions stand as approved: checked against what the reviewer saw, a
    // later change to a cited source's identity is not a change of the claim (a retraction
    // still shows, through `cites_retracted`).
    for id in &replaced {
        if let Some(claim) = kb.claims.get_mut(id) {
            claim.changed_since_approval = false;
            claim.status =
                EffectiveStatus::of(claim.claim.review.status, claim.cites_retracted, false);
        }
    }
    // Which claims show decides which sources a topic numbers: the topics embedding a claim
    // whose visibility changed are resolved again.
    let mut regather: BTreeSet<String> = BTreeSet::new();
    for (id, claim) in kb.claims.iter_mut() {
        let published = shown_claims.contains(id);
        if claim.published != published {
            claim.published = published;
            regather.extend(claim.used_by.iter().cloned());
        }
    }
    if !regather.is_empty() {
        let topics: Vec<Topic> = regather
            .iter()
            .filter_map(|slug| kb.topics.get(slug).map(|t| t.topic.clone()))
            .collect();
        resolution.update(
            &mut kb,
            Edits {
                topics,
                ..Edits::default()
            },
            [],
        );
        found.extend(kb.diagnostics.clone());
    }
    for (slug, topic) in kb.topics.iter_mut() {
        topic.published = shown_topics.contains(slug);
    }

    // The site's own diagnostics stand; of the approved versions', the errors are new (their
    // warnings repeat the current files').
    let mut diagnostics = before.clone();
    let mut added: Vec<&Diagnostic> = Vec::new();
    for d in found.iter() {
        if d.severity == crate::diag::Severity::Error
            && !before.iter().any(|b| b == d)
            && !added.contains(&d)
        {
            added.push(d);
        }
    }
    for d in added {
        diagnostics.push(d.clone());
    }
    diagnostics.extend(problems);
    // Links are checked again against what the public site finally shows.
    let mut checked = Diagnostics::new();
    for d in diagnostics.iter() {
        if !super::sitelinks::is_link_code(d.code) {
            checked.push(d.clone());
        }
    }
    resolution.page_links = Diagnostics::new();
    super::sitelinks::check_links(&kb, &mut resolution.page_links);
    checked.extend(resolution.page_links.clone());
    kb.diagnostics = checked;
    kb
}

/// Whether an approved claim's fingerprint changed only because a source it cites was since
/// retracted or superseded (both part of a cited source's identity): its own content is what
/// was approved, and the public site shows it under the retraction's notice.
fn changed_only_by_a_retraction(claim: &Claim, sources: &IdMap<Source>) -> bool {
    let Some(approved) = claim
        .review
        .last_approval()
        .and_then(|e| e.fingerprint.as_deref())
    else {
        return false;
    };
    let mut cited = fingerprint::cited(claim, |id| sources.get(id));
    if let Value::Array(items) = &mut cited {
        for item in items {
            if let Value::Object(identity) = item {
                identity.insert("retracted".into(), Value::Bool(false));
                identity.insert("superseded_by".into(), Value::Null);
            }
        }
    }
    fingerprint::claim_with_cited(claim, cited, fingerprint::version_of(approved)).as_deref()
        == Some(approved)
}

/// What the public site shows of a claim or topic whose review is `review`: nothing when it
/// is retired; the current file when it `stands` (approved as it is); else its checked
/// approved version, if one is kept — and when none is and the item `changed` since its
/// approval, the `not_kept` warning.
fn choose<T>(
    review: &Review,
    stands: bool,
    checked: Option<Shown<T>>,
    changed: bool,
    not_kept: impl FnOnce() -> Diagnostic,
    problems: &mut Diagnostics,
) -> Shown<T> {
    if review.status == ReviewStatus::Retired {
        return Shown::Hidden;
    }
    if stands {
        return Shown::Current;
    }
    checked.unwrap_or_else(|| {
        if changed {
            problems.push(not_kept());
        }
        Shown::Hidden
    })
}

/// Records what is shown of the item `id`: whether it is, and for an approved version the
/// text it is read from; returns that version's item, for `Resolution::update`.
fn settle<T>(
    id: &str,
    shown: Shown<T>,
    version: Option<&ApprovedVersion>,
    shown_ids: &mut BTreeSet<String>,
    texts: &mut Vec<(String, Option<String>)>,
) -> Option<T> {
    match shown {
        Shown::Hidden => None,
        Shown::Current => {
            shown_ids.insert(id.to_owned());
            None
        }
        Shown::Approved(item) => {
            shown_ids.insert(id.to_owned());
            if let Some(version) = version {
                texts.push((version.rel.clone(), Some(version.text.clone())));
            }
            Some(item)
        }
    }
}

/// The claim of an approved version, when it is the approved version of `current`.
fn approved_claim(
    current: &Claim,
    version: &ApprovedVersion,
    resolution: &Resolution,
    problems: &mut Diagnostics,
) -> Shown<Claim> {
    let Parsed::Claim(claim) = &version.parsed else {
        // Its reading reported why.
        return Shown::Hidden;
    };
    let recompute = |in_version: &str| match &version.cited {
        Some(cited) => fingerprint::claim_with_cited(claim, cited.clone(), in_version),
        None => fingerprint::claim_as(claim, &resolution.sources, in_version),
    };
    let problem = check_version(
        &version.rel,
        &claim.review,
        &current.review,
        recompute,
        &current.path,
    );
    verified(claim, problem, problems)
}

/// The page of an approved version, when it is the approved version of `current`.
fn approved_topic(
    current: &Topic,
    version: &ApprovedVersion,
    problems: &mut Diagnostics,
) -> Shown<Topic> {
    let Parsed::Topic(topic) = &version.parsed else {
        return Shown::Hidden;
    };
    let recompute = |_: &str| Some(fingerprint::topic(topic));
    let problem = check_version(
        &version.rel,
        &topic.review,
        &current.review,
        recompute,
        &current.path,
    );
    verified(topic, problem, problems)
}

/// The approved version's item when [`check_version`] found no `problem`, else nothing (and
/// the problem reported).
fn verified<T: Clone>(
    item: &T,
    problem: Option<Diagnostic>,
    problems: &mut Diagnostics,
) -> Shown<T> {
    match problem {
        Some(problem) => {
            problems.push(problem);
            Shown::Hidden
        }
        None => Shown::Approved(item.clone()),
    }
}

/// Why an approved version cannot stand for its content file: it records no approval, one
/// its content file's history does not, or content other than what was approved (its
/// fingerprint recomputed by `recompute` in the approval's version). None when it holds.
fn check_version(
    rel: &str,
    version: &Review,
    current: &Review,
    recompute: impl Fn(&str) -> Option<String>,
    of: &str,
) -> Option<Diagnostic> {
    let at = Location::new(rel, version.status_pos.line, version.status_pos.column);
    let approved = version
        .status
        .eq(&ReviewStatus::Approved)
        .then(|| version.last_approval().and_then(|e| e.fingerprint.clone()))
        .flatten();
    let Some(approved) = approved else {
        return Some(
            Diagnostic::error(Code::ApprovedVersion, at, format!("this approved version of {of} records no approval"))
                .hint("reviewed/ holds only what `evident review approve` writes: restore the file from version control, or delete it and approve again"),
        );
    };
    let recorded = current.history.iter().any(|e| {
        e.action == ReviewAction::Approve && e.fingerprint.as_deref() == Some(approved.as_str())
    });
    if !recorded {
        return Some(
            Diagnostic::error(
                Code::ApprovedVersion,
                at,
                format!("this approved version records an approval ({}) that {of} does not", short(&approved)),
            )
            .hint(format!("restore {of} or this file from version control, so that both record the same approval")),
        );
    }
    let recomputed = recompute(fingerprint::version_of(&approved)).unwrap_or_default();
    if recomputed != approved {
        return Some(
            Diagnostic::error(
                Code::ApprovedVersion,
                at,
                format!(
                    "this approved version of {of} was changed after its approval: its content's fingerprint is {}, the approval's {}",
                    short(&recomputed),
                    short(&approved)
                ),
            )
            .hint("restore it from version control; to publish new wording, have the content file approved again"),
        );
    }
    None
}

/// A claim or topic that changed after its approval, with no approved version kept to show
/// instead: the public site leaves it out.
fn not_kept(path: &str, line: u32, id: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::ApprovedVersion,
        Location::new(path, line, 1),
        format!("`{id}` changed after its approval and reviewed/ keeps no approved version of it: the public site leaves it out"),
    )
    .hint(format!("have it approved again: `evident review submit {id} --by REVIEWER`, then start and approve"))
}

/// The version and the first 12 hex digits of a fingerprint, for messages.
fn short(fingerprint: &str) -> &str {
    let end = fingerprint.find(':').map_or(0, |i| i + 1) + 12;
    fingerprint.get(..end).unwrap_or(fingerprint)
}
