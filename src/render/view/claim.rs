//! Claim views: a claim as embedded in a topic page (`partials/claim-embed.html`) and a
//! claim's own page (`claim.html`), with its sources, review history and changes since
//! approval.

use serde::Serialize;

use super::common::{
    GradeView, HistoryView, LinkView, StatusView, audience_key, date, grade_view, history_view,
    relation_label, reviewer_name, source_links, status_view, superseding,
};
use crate::model::config::Config;
use crate::model::{Claim, EffectiveStatus, Kind};
use crate::render::urls::{Links, PagePath};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedTopic, replacement};
use crate::text::diff::{self, Part};
use crate::text::markdown;

/// A claim's wording for one audience.
#[derive(Debug, Clone, Serialize)]
pub struct WordingView {
    /// The audience's id, as in evident.yaml.
    pub audience: String,
    /// The audience's id reduced to `[a-z0-9-]` ([`audience_key`]): the audience switch shows
    /// the wording of class `wording-<key>`.
    pub key: String,
    /// The audience's name ("Parents and carers").
    pub label: String,
    /// The wording as safe HTML (inline Markdown); the plain statement where the claim has no
    /// wording of its own for this audience.
    pub html: String,
}

/// One reference number after a claim's text, linking to the reference it stands for.
#[derive(Debug, Clone, Serialize)]
pub struct RefNumberView {
    /// The number shown.
    pub number: usize,
    /// The reference on this page: `#ref-N` in a topic's reference list, `#source-N` among a
    /// claim page's sources.
    pub url: String,
    /// The source's title, for a tooltip.
    pub title: String,
}

/// Why a claim was retired, and what replaces it.
#[derive(Debug, Clone, Serialize)]
pub struct RetiredView {
    /// The reason the editors recorded.
    pub reason: String,
    /// The claim that replaces it, when there is one.
    pub replacement: Option<LinkView>,
}

/// A claim as embedded in a topic page (template variable `claim` of
/// `partials/claim-embed.html`), and the head of a claim's own page.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimEmbedView {
    /// The claim's id (its file name without `.yaml`).
    pub id: String,
    /// The HTML id of the claim on a topic page: `claim-<id>`; embedded again on the same
    /// page, `claim-<id>_2`, `claim-<id>_3`… (see `render::body`).
    pub anchor: String,
    /// The claim's own page, with its sources and review.
    pub url: String,
    /// The kind of claim: finding, recommendation, definition or practice-point.
    pub kind: &'static str,
    /// The kind in words ("Practice point").
    pub kind_label: &'static str,
    /// The statement as safe HTML (inline Markdown).
    pub statement_html: String,
    /// The claim's wording for each of the site's audiences, in the site's order; empty on a
    /// site without audiences.
    pub wordings: Vec<WordingView>,
    /// The reference numbers of its sources, in number order.
    pub refs: Vec<RefNumberView>,
    /// The certainty of its evidence; None when not graded yet.
    pub grade: Option<GradeView>,
    /// The strength of a recommendation in words ("Strong", "Grade B"), when given.
    pub strength: Option<String>,
    /// Its review status, as shown (the effective status).
    pub status: StatusView,
    /// Whether it needs a source and has none: shown as "Source needed", not advice.
    pub source_needed: bool,
    /// Whether it is a practice point (not graded, by design).
    pub practice_point: bool,
    /// Why it was retired, when it is.
    pub retired: Option<RetiredView>,
    /// Whether one of its sources has been retracted.
    pub cites_retracted: bool,
    /// Whether its next review is past due.
    pub overdue: bool,
}

/// One source of a claim, on the claim's page.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimSourceView {
    /// The source's id as the claim cites it.
    pub id: String,
    /// The source's page; None when the id names no known source.
    pub url: Option<String>,
    /// The source's title (the id itself for an unknown source).
    pub title: String,
    /// The formatted reference (Vancouver); empty for an unknown source.
    pub reference: String,
    /// What kind of source it is ("Guideline", "Review", "Research"); empty for an unknown
    /// source.
    pub label: String,
    /// The study design in words ("Randomised controlled trial"), when recorded.
    pub design: Option<String>,
    /// The number of participants, when recorded.
    pub sample_size: Option<u64>,
    /// Where in the source the claim's evidence is (a page, a table), when recorded.
    pub locator: Option<String>,
    /// The sentence of the source quoted as the claim's evidence, when recorded.
    pub quote: Option<String>,
    /// The certainty the source itself reports for this evidence (a guideline's graded
    /// recommendation), in words ("Moderate"), when the claim records it (`graded:`).
    pub graded: Option<String>,
    /// How the source bears on the claim: supports, qualifies or disputes.
    pub relation: &'static str,
    /// The relation in words ("Supports").
    pub relation_label: &'static str,
    /// Whether the source has been retracted.
    pub retracted: bool,
    /// The newer source that supersedes this one, when the editors recorded it.
    pub superseded_by: Option<LinkView>,
    /// Where the source can be read (DOI, PubMed, web address).
    pub links: Vec<LinkView>,
}

/// A claim's own page (template variable `claim` of `claim.html`).
#[derive(Debug, Clone, Serialize)]
pub struct ClaimPageView {
    /// The claim as it is embedded, with its statement, badges and status; its reference
    /// numbers point to the page's own list of sources.
    pub embed: ClaimEmbedView,
    /// Why the editors gave this certainty, when they recorded it.
    pub certainty_reason: Option<String>,
    /// A level of evidence in words ("Oxford CEBM level 2 (therapy), downgraded from level
    /// 1"), when the claim records one.
    pub level: Option<String>,
    /// What the claim rests on besides its sources, when recorded.
    pub basis: Option<String>,
    /// Its sources, in the order the claim lists them (numbered from 1 as `#source-N`).
    pub sources: Vec<ClaimSourceView>,
    /// Its review history, in the order recorded.
    pub history: Vec<HistoryView>,
    /// The topic pages that embed it.
    pub used_by: Vec<LinkView>,
    /// The status recorded in the claim file (draft, submitted, in-review,
    /// changes-requested, approved, retired), which the shown status may override.
    pub recorded_status: &'static str,
    /// The claim's fingerprint, what an approval records: the one its last approval
    /// recorded while that approval holds (a `v1:` one for an approval made before `v2:`),
    /// else its current (`v2:`) one.
    pub fingerprint: String,
    /// When its next review is due (YYYY-MM-DD): the earlier of its `next_review` and its
    /// last approval plus `review.max_age_days`; None until it is approved.
    pub next_review: Option<String>,
    /// The editors' tags.
    pub tags: Vec<String>,
    /// Checks the editors switched off for this claim: `code` is the check, `reason` why.
    pub allowed: Vec<AllowView>,
    /// Figures computed from the sources rather than quoted: `code` is the figure, `reason`
    /// how it was computed.
    pub derived: Vec<AllowView>,
    /// Whether the claim was edited after its last approval.
    pub changed_since_approval: bool,
    /// For a claim changed since approval: each wording that differs from the approved one,
    /// word by word. Empty when only sources, quotes or grading changed.
    pub changes: Vec<WordingChangeView>,
}

/// One wording (the statement, or an audience's) as approved and as it is now.
#[derive(Debug, Clone, Serialize)]
pub struct WordingChangeView {
    /// Which wording: "Statement" or the audience's name.
    pub label: String,
    /// The date of the approval compared with (YYYY-MM-DD).
    pub approved_on: String,
    /// Who approved it, by name and credentials.
    pub approved_by: String,
    /// The difference, as runs of words: each a [`Part`] (same, added or removed).
    pub parts: Vec<Part>,
}

/// A note the editors recorded on a claim: a check switched off, or a derived figure.
#[derive(Debug, Clone, Serialize)]
pub struct AllowView {
    /// The check's code (`unsupported-figure`) or the figure ("92%").
    pub code: String,
    /// For a check switched off, what it checks, in words; empty for a derived figure.
    pub label: String,
    /// The editors' reason or explanation (a reviewer approved it with the claim).
    pub reason: String,
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

/// A claim's own page.
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
                reference: resolved
                    .map(|s| s.reference(&kb.style).to_owned())
                    .unwrap_or_default(),
                label: resolved.map(|s| s.source.label()).unwrap_or_default(),
                design: resolved
                    .and_then(|s| s.source.evidence.design.as_deref())
                    .map(crate::model::design_label),
                sample_size: resolved.and_then(|s| s.source.evidence.sample_size),
                locator: link.locator.clone(),
                quote: link.quote.as_ref().map(|q| q.value.clone()),
                graded: link
                    .graded
                    .as_ref()
                    .map(|g| kb.config.grading.evidence.label(&g.value)),
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
        history: public_history(kb, history_view(config, &c.review.history)),
        used_by: claim
            .used_by
            .iter()
            .filter_map(|slug| kb.topics.get(slug))
            .filter(|t| t.published)
            .map(|t| LinkView {
                title: t.topic.title.clone(),
                url: links.page(&PagePath::topic(&t.topic.slug.value)),
            })
            .collect(),
        recorded_status: c.review.status.name(),
        // The public face's HTML carries no fingerprint (api/claims.json has them).
        fingerprint: if kb.face.is_public() {
            String::new()
        } else {
            claim.fingerprint_shown().to_string()
        },
        next_review: claim.due.map(date),
        tags: c.tags.clone(),
        allowed: c
            .allow
            .iter()
            .map(|a| AllowView {
                code: a.code.clone(),
                label: crate::diag::Code::parse(&a.code)
                    .map(|c| c.summary().trim_end_matches('.').to_string())
                    .unwrap_or_default(),
                reason: a.reason.clone(),
            })
            .collect(),
        derived: c
            .derived
            .iter()
            .map(|d| AllowView {
                code: d.figure.clone(),
                label: String::new(),
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
fn wording_changes(config: &Config, c: &Claim) -> Vec<WordingChangeView> {
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
            parts: diff::words(then, now),
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

/// A review history as the face shows it: without the workflow's steps (submitted, review
/// started, changes requested) where pages do not show the workflow, so approvals and
/// retirements; without its notes unless the face shows them.
fn public_history(kb: &KnowledgeBase, mut history: Vec<HistoryView>) -> Vec<HistoryView> {
    if !kb.face.shows_workflow(kb.config.review.publish) {
        history.retain(|entry| matches!(entry.action, "approve" | "retire"));
    }
    if !kb.face.shows_notes(kb.config.review.notes) {
        for entry in &mut history {
            entry.note = None;
        }
    }
    history
}
