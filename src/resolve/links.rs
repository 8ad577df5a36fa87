//! Links between items: the back-links (claim → the topics embedding it, source → the
//! claims and topics citing it) and the chains of `replaced_by` between retired claims.

use std::collections::{BTreeSet, HashMap};

use super::types::{KnowledgeBase, ResolvedClaim, ResolvedTopic};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::idmap::IdMap;
use crate::model::{EffectiveStatus, PageRefKind, Relation};
use crate::text::fields::closest;

/// The links that run backwards: from claims to the topics embedding them, from sources to
/// the claims and topics citing them, worked out once every claim and topic is resolved.
///
/// Hash maps: they are only filled and emptied by id, never walked (each list is in the order
/// its claims and topics were visited), and at 100,000 claims the tree's string comparisons
/// made this one-core step three times slower per link than at 10,000.
#[derive(Debug, Default, PartialEq)]
pub(super) struct BackLinks {
    used_by: HashMap<String, Vec<String>>,
    cited_by: HashMap<String, Vec<(String, Relation)>>,
    cited_in: HashMap<String, Vec<String>>,
}

impl BackLinks {
    /// The links from `claims` (in id order) and `topics` (in slug order): every item of the
    /// site for a full resolve, every item that can link to the ends being redone for an
    /// incremental one ([`relink`]).
    pub(super) fn of<'a>(
        kb: &KnowledgeBase,
        claims: impl IntoIterator<Item = (&'a String, &'a ResolvedClaim)>,
        topics: impl IntoIterator<Item = (&'a String, &'a ResolvedTopic)>,
    ) -> BackLinks {
        let mut links = BackLinks::default();
        for (id, claim) in claims {
            let mut seen = BTreeSet::new();
            for link in &claim.claim.sources {
                if kb.sources.contains_key(&link.id.value) && seen.insert(&link.id.value) {
                    links
                        .cited_by
                        .entry(link.id.value.clone())
                        .or_default()
                        .push((id.clone(), link.relation));
                }
            }
        }
        for (slug, topic) in topics {
            for id in &topic.claims {
                if kb.claims.contains_key(id) {
                    links
                        .used_by
                        .entry(id.clone())
                        .or_default()
                        .push(slug.clone());
                }
            }
            for id in prose_citations(topic) {
                if kb.sources.contains_key(id) {
                    let cited_in = links.cited_in.entry(id.clone()).or_default();
                    if !cited_in.contains(slug) {
                        cited_in.push(slug.clone());
                    }
                }
            }
        }
        links
    }

    /// Sets every claim's and source's back-links.
    pub(super) fn apply(mut self, kb: &mut KnowledgeBase) {
        for (id, claim) in &mut kb.claims {
            claim.used_by = self.used_by.remove(id).unwrap_or_default();
        }
        for (id, source) in &mut kb.sources {
            source.cited_by = self.cited_by.remove(id).unwrap_or_default();
            source.cited_in = self.cited_in.remove(id).unwrap_or_default();
        }
    }

    /// Sets the back-links of `claims` and `sources` only; the ids of those that changed.
    fn apply_to(
        mut self,
        kb: &mut KnowledgeBase,
        claims: &BTreeSet<String>,
        sources: &BTreeSet<String>,
    ) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut changed_claims = BTreeSet::new();
        for id in claims {
            let Some(claim) = kb.claims.get_mut(id) else {
                continue;
            };
            let used_by = self.used_by.remove(id).unwrap_or_default();
            if claim.used_by != used_by {
                claim.used_by = used_by;
                changed_claims.insert(id.clone());
            }
        }
        let mut changed_sources = BTreeSet::new();
        for id in sources {
            let Some(source) = kb.sources.get_mut(id) else {
                continue;
            };
            let cited_by = self.cited_by.remove(id).unwrap_or_default();
            let cited_in = self.cited_in.remove(id).unwrap_or_default();
            if source.cited_by != cited_by || source.cited_in != cited_in {
                source.cited_by = cited_by;
                source.cited_in = cited_in;
                changed_sources.insert(id.clone());
            }
        }
        (changed_claims, changed_sources)
    }
}

/// The back-links after some claims and topics were resolved again, redone only where they
/// can differ: at the ends of the links the redone items had before (`before`) or have now.
/// Returns the claims and the sources whose back-links changed.
pub(super) fn relink(
    kb: &mut KnowledgeBase,
    before: &Relinking,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut claim_ends = before.claim_ends.clone();
    let mut source_ends = before.source_ends.clone();
    for id in &before.claims {
        if let Some(claim) = kb.claims.get(id) {
            source_ends.extend(claim.claim.sources.iter().map(|l| l.id.value.clone()));
        }
    }
    for slug in &before.topics {
        if let Some(topic) = kb.topics.get(slug) {
            claim_ends.extend(topic.claims.iter().cloned());
            source_ends.extend(prose_citations(topic).cloned());
        }
    }
    // What links to an end is a redone item or was linked to it already: an item not redone
    // links as it did.
    let mut claims = before.claims.clone();
    let mut topics = before.topics.clone();
    for id in &claim_ends {
        if let Some(claim) = kb.claims.get(id) {
            topics.extend(claim.used_by.iter().cloned());
        }
    }
    for id in &source_ends {
        if let Some(source) = kb.sources.get(id) {
            claims.extend(source.cited_by.iter().map(|(claim, _)| claim.clone()));
            topics.extend(source.cited_in.iter().cloned());
        }
    }
    let links = BackLinks::of(
        kb,
        claims
            .iter()
            .filter_map(|id| Some((id, kb.claims.get(id)?))),
        topics
            .iter()
            .filter_map(|slug| Some((slug, kb.topics.get(slug)?))),
    );
    links.apply_to(kb, &claim_ends, &source_ends)
}

/// The claims and topics an incremental resolve redoes whose links may have changed, and the
/// ends of their links before they were redone.
#[derive(Debug, Default)]
pub(super) struct Relinking {
    claims: BTreeSet<String>,
    topics: BTreeSet<String>,
    claim_ends: BTreeSet<String>,
    source_ends: BTreeSet<String>,
}

impl Relinking {
    /// Notes `claim` as it was before it was resolved again.
    pub(super) fn claim(&mut self, claim: &ResolvedClaim) {
        self.claims.insert(claim.claim.id.clone());
        self.source_ends
            .extend(claim.claim.sources.iter().map(|l| l.id.value.clone()));
    }

    /// Notes `topic` as it was before it was resolved again.
    pub(super) fn topic(&mut self, topic: &ResolvedTopic) {
        self.topics.insert(topic.topic.slug.value.clone());
        self.claim_ends.extend(topic.claims.iter().cloned());
        self.source_ends.extend(prose_citations(topic).cloned());
    }
}

/// The sources a topic cites in its prose (`[@id]`), in order, repeats included.
fn prose_citations(topic: &ResolvedTopic) -> impl Iterator<Item = &String> {
    topic
        .topic
        .references
        .iter()
        .filter(|r| matches!(r.kind, PageRefKind::Cite { .. }))
        .map(|r| &r.id)
}

/// The claims whose chain of `replaced_by` passes through one of `through` (those included):
/// a topic embedding one of them shows the end of its chain.
pub(super) fn replaced_through(
    claims: &IdMap<ResolvedClaim>,
    through: &BTreeSet<String>,
) -> BTreeSet<String> {
    if through.is_empty() {
        return BTreeSet::new();
    }
    let mut earlier: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, claim) in claims {
        if let Some(next) = replaced_by(claim) {
            earlier.entry(next).or_default().push(id);
        }
    }
    let mut found = through.clone();
    let mut todo: Vec<&str> = through.iter().map(String::as_str).collect();
    while let Some(next) = todo.pop() {
        for &claim in earlier.get(next).into_iter().flatten() {
            if found.insert(claim.to_string()) {
                todo.push(claim);
            }
        }
    }
    found
}

fn replaced_by(claim: &ResolvedClaim) -> Option<&str> {
    let retired = claim.claim.review.retired.as_ref()?;
    retired.replaced_by.as_ref().map(|next| next.value.as_str())
}

/// `replaced_by` must name a claim, and replacements must not go round in a circle.
pub(super) fn check_replacements(claims: &IdMap<ResolvedClaim>, diagnostics: &mut Diagnostics) {
    for (id, resolved) in claims {
        let Some(retired) = &resolved.claim.review.retired else {
            continue;
        };
        let Some(next) = &retired.replaced_by else {
            continue;
        };
        let at = Location::new(&resolved.claim.path, next.pos.line, next.pos.column);
        if !claims.contains_key(&next.value) {
            let mut d = Diagnostic::error(
                Code::UnknownReplacement,
                at,
                format!("`replaced_by: {}` names no claim", next.value),
            );
            // A claim cannot replace itself, so its own id is never the suggestion.
            let others = claims.keys().map(String::as_str).filter(|k| k != id);
            d = match closest(&next.value, others) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint("name the id of the claim that replaces this one"),
            };
            diagnostics.push(d);
            continue;
        }
        let mut seen = vec![id.as_str()];
        let mut current = next.value.as_str();
        while let Some(step) = claims
            .get(current)
            .and_then(|c| c.claim.review.retired.as_ref())
            .and_then(|r| r.replaced_by.as_ref())
        {
            seen.push(current);
            if step.value == *id {
                seen.push(id);
                diagnostics.push(
                    Diagnostic::error(
                        Code::ReplacedByCycle,
                        at.clone(),
                        format!(
                            "retired claims replace each other in a circle: {}",
                            seen.join(" → ")
                        ),
                    )
                    .hint("point `replaced_by` at a claim that is not retired"),
                );
                break;
            }
            if seen.contains(&step.value.as_str()) {
                break;
            }
            current = &step.value;
        }
    }
}

/// The end of a chain of replacements (the claim readers should see instead).
pub fn replacement<'a>(claims: &'a IdMap<ResolvedClaim>, id: &str) -> Option<&'a ResolvedClaim> {
    let mut current = claims.get(id)?;
    let mut steps = 0;
    while let Some(next) = current
        .claim
        .review
        .retired
        .as_ref()
        .and_then(|r| r.replaced_by.as_ref())
    {
        current = claims.get(&next.value)?;
        steps += 1;
        if steps > claims.len() || current.status != EffectiveStatus::Retired {
            break;
        }
    }
    (current.claim.id != id).then_some(current)
}
