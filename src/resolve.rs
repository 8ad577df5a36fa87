//! Stage 2: a [`Corpus`] → a [`KnowledgeBase`]: ids checked and linked both ways, review
//! state worked out (fingerprints, effective status, due dates), reference numbers per page.
//! Resolve never fails: every problem is a diagnostic, and what can be built is built.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::load::Corpus;
use crate::load::citations::SourceRecord;
use crate::model::config::{Config, Publish};
use crate::model::fingerprint;
use crate::model::idmap::IdMap;
use crate::model::{
    Claim, EffectiveStatus, Kind, PageKind, PageRefKind, RESERVED_SLUGS, Relation, Review,
    ReviewStatus, Source, Topic, design_ceiling, is_valid_id,
};
use crate::text::fields::closest;
use crate::text::figures;

/// A claim with everything worked out about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedClaim {
    pub claim: Claim,
    pub fingerprint: String,
    pub status: EffectiveStatus,
    /// Recorded as approved, but the text differs from what was approved.
    pub changed_since_approval: bool,
    pub cites_retracted: bool,
    /// When the next review is due (the earlier of `next_review` and last approval + max age).
    pub due: Option<Date>,
    pub overdue: bool,
    /// Shown on public pages under the site's publish policy.
    pub published: bool,
    /// Slugs of the topics that embed it, in topic order.
    pub used_by: Vec<String>,
}

/// A topic page with its own review state and its reference numbering.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedTopic {
    pub topic: Topic,
    pub fingerprint: String,
    pub own_status: EffectiveStatus,
    /// The lowest of its own status and its embedded claims' (retired ones do not count).
    pub status: EffectiveStatus,
    pub changed_since_approval: bool,
    pub due: Option<Date>,
    pub overdue: bool,
    /// Source ids in the order of their reference numbers (1-based: index + 1).
    pub references: Vec<String>,
    /// Embedded claim ids that exist, in order.
    pub claims: Vec<String>,
}

impl ResolvedTopic {
    pub fn number(&self, source: &str) -> Option<usize> {
        self.references
            .iter()
            .position(|s| s == source)
            .map(|i| i + 1)
    }
}

/// A source with its back-links.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedSource {
    pub source: Source,
    /// The reference in the site's citation style, formatted once: pages show it many times.
    pub reference: String,
    /// Claims citing it, with how.
    pub cited_by: Vec<(String, Relation)>,
    /// Topics citing it in prose.
    pub cited_in: Vec<String>,
}

impl ResolvedSource {
    /// A source with no back-links yet, its reference formatted in the site's style.
    pub fn new(source: Source, style: &crate::cite::Style) -> Self {
        ResolvedSource {
            reference: crate::cite::format_reference(&source, style),
            source,
            cited_by: Vec::new(),
            cited_in: Vec::new(),
        }
    }
}

/// The whole site, resolved.
#[derive(Debug, Default)]
pub struct KnowledgeBase {
    pub config: Config,
    pub today: Date,
    pub claims: IdMap<ResolvedClaim>,
    pub topics: IdMap<ResolvedTopic>,
    pub sources: IdMap<ResolvedSource>,
    /// How references are formatted: `citations::format_reference(&source, &kb.style)`.
    pub style: crate::cite::Style,
    /// Every file's text, for diagnostics that quote the line.
    pub texts: BTreeMap<String, String>,
    pub diagnostics: Diagnostics,
}

impl KnowledgeBase {
    pub fn topic_pages(&self) -> impl Iterator<Item = &ResolvedTopic> {
        self.topics
            .values()
            .filter(|t| t.topic.page_kind == PageKind::Topic)
    }
}

pub fn resolve(corpus: Corpus, today: Date) -> KnowledgeBase {
    resolve_in_parts(corpus, today).0
}

/// What a resolve keeps beside the [`KnowledgeBase`] so that it can later be redone for a
/// few claims, topics or sources: the merged source records, and the diagnostics apart by
/// what produced them. [`ResolveParts::diagnostics`] puts them together in the order a full
/// resolve reports them.
#[derive(Debug, Clone, Default)]
pub struct ResolveParts {
    /// Every source as merged from its records, before back-links.
    pub sources: IdMap<Source>,
    /// Of merging the records of one id (duplicates, shared identifiers, slug clashes).
    pub merge: Diagnostics,
    /// Of indexing claims and topics by id (invalid, duplicate, reserved).
    pub index: Diagnostics,
    /// Of each claim on its own, by id.
    pub claims: BTreeMap<String, Diagnostics>,
    /// Of the chains of `replaced_by` (they span claims).
    pub replacements: Diagnostics,
    /// Of each topic on its own, by slug.
    pub topics: BTreeMap<String, Diagnostics>,
    /// Of each source once linked (unused, without design), by id.
    pub source_checks: BTreeMap<String, Diagnostics>,
    /// Of each claim's review decisions (dates, reviewers), by id.
    pub claim_reviews: BTreeMap<String, Diagnostics>,
    /// Of each topic's review decisions, by slug.
    pub topic_reviews: BTreeMap<String, Diagnostics>,
}

impl ResolveParts {
    /// The diagnostics of the load (`loaded`) and of every part, in a full resolve's order.
    pub fn diagnostics(&self, loaded: impl IntoIterator<Item = Diagnostics>) -> Diagnostics {
        let mut all = Diagnostics::new();
        for part in loaded {
            all.extend(part);
        }
        all.extend(self.merge.clone());
        all.extend(self.index.clone());
        for part in self.claims.values() {
            all.extend(part.clone());
        }
        all.extend(self.replacements.clone());
        for part in self.topics.values() {
            all.extend(part.clone());
        }
        for part in self
            .source_checks
            .values()
            .chain(self.claim_reviews.values())
            .chain(self.topic_reviews.values())
        {
            all.extend(part.clone());
        }
        all
    }
}

/// [`resolve`], also returning the parts an incremental resolve starts from.
pub fn resolve_in_parts(corpus: Corpus, today: Date) -> (KnowledgeBase, ResolveParts) {
    let Corpus {
        config,
        claims,
        topics,
        sources,
        style,
        texts,
        diagnostics: loaded,
    } = corpus;
    let mut parts = ResolveParts::default();
    let sources = merge_sources(sources, &mut parts.merge);
    let claims = index_claims(claims, &mut parts.index);
    let topics = index_topics(topics, &mut parts.index);

    let mut kb = KnowledgeBase {
        config,
        today,
        texts,
        style,
        ..KnowledgeBase::default()
    };
    // Claims, topics and the checks after back-links each depend only on what was settled
    // before them, so each is worked out on its own on both cores and collected in id order.
    let resolved_claims: Vec<(ResolvedClaim, Diagnostics)> = claims
        .into_par_iter()
        .map(|claim| {
            let mut diagnostics = Diagnostics::new();
            let resolved = resolve_claim(
                claim,
                &kb.config,
                &sources,
                &kb.texts,
                today,
                &mut diagnostics,
            );
            (resolved, diagnostics)
        })
        .collect();
    let mut claims = Vec::with_capacity(resolved_claims.len());
    for (resolved, diagnostics) in resolved_claims {
        parts.claims.insert(resolved.claim.id.clone(), diagnostics);
        claims.push((resolved.claim.id.clone(), resolved));
    }
    kb.claims = claims.into_iter().collect();
    let style = &kb.style;
    let resolved_sources: Vec<(String, ResolvedSource)> = sources
        .par_iter()
        .map(|(id, source)| (id.clone(), ResolvedSource::new(source.clone(), style)))
        .collect();
    kb.sources = resolved_sources.into_iter().collect();
    parts.sources = sources;

    check_replacements(&kb.claims, &mut parts.replacements);
    let topics: Vec<Topic> = topics.into_values().collect();
    let resolved_topics: Vec<(ResolvedTopic, Diagnostics)> = topics
        .into_par_iter()
        .map(|topic| {
            let mut diagnostics = Diagnostics::new();
            let resolved = resolve_topic(topic, &kb, &mut diagnostics);
            (resolved, diagnostics)
        })
        .collect();
    let mut topics = Vec::with_capacity(resolved_topics.len());
    for (resolved, diagnostics) in resolved_topics {
        let slug = resolved.topic.slug.value.clone();
        parts.topics.insert(slug.clone(), diagnostics);
        topics.push((slug, resolved));
    }
    kb.topics = topics.into_iter().collect();
    BackLinks::of(&kb).apply(&mut kb);
    let kb_ref = &kb;
    parts.source_checks = per_item(&kb.sources, |source, diagnostics| {
        check_source(kb_ref, source, diagnostics)
    });
    parts.claim_reviews = per_item(&kb.claims, |claim, diagnostics| {
        check_review(kb_ref, &claim.claim.path, &claim.claim.review, diagnostics)
    });
    parts.topic_reviews = per_item(&kb.topics, |topic, diagnostics| {
        check_review(kb_ref, &topic.topic.path, &topic.topic.review, diagnostics)
    });
    kb.diagnostics = parts.diagnostics([loaded]);
    (kb, parts)
}

/// Runs `check` on every item of `items` on both cores; its diagnostics, by the item's key.
fn per_item<T: Sync>(
    items: &IdMap<T>,
    check: impl Fn(&T, &mut Diagnostics) + Sync,
) -> BTreeMap<String, Diagnostics> {
    items
        .par_iter()
        .map(|(key, item)| {
            let mut diagnostics = Diagnostics::new();
            check(item, &mut diagnostics);
            (key.clone(), diagnostics)
        })
        .collect()
}

/// Everything about one claim that depends on the claim, the site's configuration and the
/// sources it cites, but on no other claim or topic (its `used_by` is left empty: see
/// the back-links, worked out once every topic is resolved).
pub(crate) fn resolve_claim(
    claim: Claim,
    config: &Config,
    sources: &IdMap<Source>,
    texts: &BTreeMap<String, String>,
    today: Date,
    diagnostics: &mut Diagnostics,
) -> ResolvedClaim {
    check_claim(&claim, config, sources, diagnostics);
    check_figures(
        &claim,
        sources,
        texts.get(&claim.path).map(String::as_str),
        diagnostics,
    );
    let fingerprint = fingerprint::claim(&claim, sources);
    let cites_retracted = claim.sources.iter().any(|l| {
        sources
            .get(&l.id.value)
            .is_some_and(|s| s.evidence.retracted.is_some())
    });
    let changed_since_approval = is_changed(&claim.review, &fingerprint);
    if changed_since_approval {
        diagnostics.push(
            Diagnostic::warning(
                Code::ChangedSinceApproval,
                loc(&claim.path, claim.review.status_pos.line, claim.review.status_pos.column),
                format!("claim `{}` changed after it was approved; it is shown as \"changed since approval\"", claim.id),
            )
            .hint(format!("have it reviewed again: `evident review submit {}` then start/approve", claim.id)),
        );
    }
    let status = EffectiveStatus::of(claim.review.status, cites_retracted, changed_since_approval);
    let (due, overdue) = due_date(&claim.review, config, today);
    let published = match config.review.publish {
        Publish::AllWithBanner => true,
        Publish::ApprovedOnly => status.is_approved(),
    };
    ResolvedClaim {
        claim,
        fingerprint,
        status,
        changed_since_approval,
        cites_retracted,
        due,
        overdue,
        published,
        used_by: Vec::new(),
    }
}

/// The links that run backwards: from claims to the topics embedding them, from sources to
/// the claims and topics citing them, worked out once everything is resolved. (`serve`'s
/// incremental resolve redoes them for the few items an edit touches, in the same order.)
///
/// Hash maps: they are only filled and emptied by id, never walked (each list is in the order
/// its claims and topics were visited), and at 100,000 claims the tree's string comparisons
/// made this one-core step three times slower per link than at 10,000.
#[derive(Debug, Default, PartialEq)]
struct BackLinks {
    used_by: HashMap<String, Vec<String>>,
    cited_by: HashMap<String, Vec<(String, Relation)>>,
    cited_in: HashMap<String, Vec<String>>,
}

impl BackLinks {
    fn of(kb: &KnowledgeBase) -> BackLinks {
        let mut links = BackLinks::default();
        for (id, claim) in &kb.claims {
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
        for (slug, topic) in &kb.topics {
            for id in &topic.claims {
                if kb.claims.contains_key(id) {
                    links
                        .used_by
                        .entry(id.clone())
                        .or_default()
                        .push(slug.clone());
                }
            }
            for r in &topic.topic.references {
                if matches!(r.kind, PageRefKind::Cite { .. }) && kb.sources.contains_key(&r.id) {
                    let cited_in = links.cited_in.entry(r.id.clone()).or_default();
                    if !cited_in.contains(slug) {
                        cited_in.push(slug.clone());
                    }
                }
            }
        }
        links
    }

    fn apply(mut self, kb: &mut KnowledgeBase) {
        for (id, claim) in &mut kb.claims {
            claim.used_by = self.used_by.remove(id).unwrap_or_default();
        }
        for (id, source) in &mut kb.sources {
            source.cited_by = self.cited_by.remove(id).unwrap_or_default();
            source.cited_in = self.cited_in.remove(id).unwrap_or_default();
        }
    }
}

fn loc(path: &str, line: u32, column: u32) -> Location {
    Location::new(path, line, column)
}

/// Records of one id from several files become one source: full records must be unique,
/// annotations (id + evidence fields only) add their fields to the full record.
pub(crate) fn merge_sources(
    records: Vec<SourceRecord>,
    diagnostics: &mut Diagnostics,
) -> IdMap<Source> {
    let mut full: BTreeMap<String, Source> = BTreeMap::new();
    let mut annotations: Vec<SourceRecord> = Vec::new();
    for record in records {
        if record.annotation_only {
            annotations.push(record);
            continue;
        }
        if let Some(first) = full.get(&record.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    loc(&record.path, record.pos.line, record.pos.column),
                    format!("source `{}` is defined twice", record.id),
                )
                .hint("keep one record and delete the other; to add evidence fields to a record, write an item with only `id` and those fields")
                .related(loc(&first.path, first.pos.line, first.pos.column), "first defined here"),
            );
            continue;
        }
        full.insert(
            record.id.clone(),
            Source {
                slug: crate::text::slugify(&record.id),
                id: record.id,
                path: record.path,
                pos: record.pos,
                csl: record.csl,
                evidence: record.evidence,
            },
        );
    }
    for note in annotations {
        let Some(source) = full.get_mut(&note.id) else {
            let close = closest(&note.id, full.keys().map(String::as_str));
            let mut d = Diagnostic::error(
                Code::UnknownSource,
                loc(&note.path, note.pos.line, note.pos.column),
                format!(
                    "evidence fields for `{}`, but no source has that id",
                    note.id
                ),
            );
            d = match close {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint(
                    "add the bibliographic record (with type and title) to a file in citations/",
                ),
            };
            diagnostics.push(d);
            continue;
        };
        let e = note.evidence;
        let target = &mut source.evidence;
        target.design = e.design.or(target.design.take());
        target.sample_size = e.sample_size.or(target.sample_size);
        target.label = e.label.or(target.label.take());
        target.retracted = e.retracted.or(target.retracted.take());
        target.superseded_by = e.superseded_by.or(target.superseded_by.take());
    }
    report_shared_identifiers(&full, diagnostics);
    // Two ids with one slug would write one page over the other.
    let mut by_slug: BTreeMap<String, &Source> = BTreeMap::new();
    for source in full.values() {
        if let Some(other) = by_slug.get(&source.slug) {
            diagnostics.push(
                Diagnostic::error(
                    Code::SlugClash,
                    loc(&source.path, source.pos.line, source.pos.column),
                    format!("sources `{}` and `{}` would both be written to sources/{}/", other.id, source.id, source.slug),
                )
                .hint("rename one of the ids (ids differing only in case or punctuation share a page path)")
                .related(loc(&other.path, other.pos.line, other.pos.column), format!("`{}` is defined here", other.id)),
            );
        } else {
            by_slug.insert(source.slug.clone(), source);
        }
    }
    full.into_iter().collect()
}

/// The same DOI or PMID under two ids is one work entered twice (an export and a hand-written
/// record, say): claims citing either would number it as two references. A warning, since
/// both records may be intended (an erratum sharing its article's PMID is not), naming both.
fn report_shared_identifiers(sources: &BTreeMap<String, Source>, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<(&str, String), &Source> = BTreeMap::new();
    // One warning per pair of records, however many identifiers they share.
    let mut reported: std::collections::BTreeSet<(String, String)> = Default::default();
    // In file order, so the warning lands on the later record and points back to the earlier.
    let mut in_file_order: Vec<&Source> = sources.values().collect();
    in_file_order.sort_by(|a, b| (&a.path, a.pos.line, &a.id).cmp(&(&b.path, b.pos.line, &b.id)));
    for source in in_file_order {
        let identifiers = [
            ("DOI", source.doi().map(|d| d.trim().to_ascii_lowercase())),
            ("PMID", source.pmid().map(|p| p.trim().to_string())),
            (
                "PMCID",
                source.pmcid().map(|p| p.trim().to_ascii_uppercase()),
            ),
        ];
        for (kind, value) in identifiers {
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                continue;
            };
            match seen.get(&(kind, value.clone())) {
                Some(first) if !reported.insert((first.id.clone(), source.id.clone())) => {}
                Some(first) => diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateIdentifier,
                        loc(&source.path, source.pos.line, source.pos.column),
                        format!(
                            "sources `{}` and `{}` have the same {kind} {value}",
                            first.id, source.id
                        ),
                    )
                    .hint(format!(
                        "keep one record and cite it by one id (`{}`); to add evidence fields, write an item with only `id` and those fields",
                        first.id
                    ))
                    .related(
                        loc(&first.path, first.pos.line, first.pos.column),
                        format!("`{}` is defined here", first.id),
                    ),
                ),
                None => {
                    seen.insert((kind, value), source);
                }
            }
        }
    }
}

/// The claims with valid, unique ids, in id order. A claim is large: they are moved once,
/// into a list sorted at the end, not shifted about in a tree (a seventh of linking at 100,000).
fn index_claims(claims: Vec<Claim>, diagnostics: &mut Diagnostics) -> Vec<Claim> {
    // Id → where its first claim is in `out`.
    let mut first: HashMap<String, usize> = HashMap::with_capacity(claims.len());
    let mut out: Vec<Claim> = Vec::with_capacity(claims.len());
    for claim in claims {
        if !is_valid_id(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidId,
                    Location::file(&claim.path),
                    format!("`{}` is not a valid claim id", claim.id),
                )
                .hint(format!(
                    "rename the file to lowercase letters, digits and hyphens, e.g. `{}.yaml`",
                    crate::text::slugify(&claim.id)
                )),
            );
            continue;
        }
        if let Some(&at) = first.get(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    Location::file(&claim.path),
                    format!("claim id `{}` is used by two files", claim.id),
                )
                .hint("a claim's id is its file name: rename one of the files")
                .related(Location::file(&out[at].path), "the other file"),
            );
            continue;
        }
        first.insert(claim.id.clone(), out.len());
        out.push(claim);
    }
    // Files come in path order, which is nearly id order: the sort mostly confirms it.
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn index_topics(topics: Vec<Topic>, diagnostics: &mut Diagnostics) -> BTreeMap<String, Topic> {
    let mut out: BTreeMap<String, Topic> = BTreeMap::new();
    for topic in topics {
        let slug = &topic.slug;
        let at = loc(&topic.path, slug.pos.line, slug.pos.column);
        if !is_valid_id(&slug.value) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidId,
                    at,
                    format!("`{}` is not a valid page slug", slug.value),
                )
                .hint(format!(
                    "use lowercase letters, digits and hyphens, e.g. `slug: {}`",
                    crate::text::slugify(&slug.value)
                )),
            );
            continue;
        }
        if RESERVED_SLUGS.contains(&slug.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::ReservedSlug,
                    at,
                    format!("`{}` is reserved for evident's own pages", slug.value),
                )
                .hint(format!(
                    "set another `slug:` in the front matter (reserved: {})",
                    RESERVED_SLUGS.join(", ")
                )),
            );
            continue;
        }
        if let Some(first) = out.get(&slug.value) {
            diagnostics.push(
                Diagnostic::error(
                    Code::SlugClash,
                    at,
                    format!("two pages have the slug `{}`", slug.value),
                )
                .hint("set a different `slug:` in one of them")
                .related(
                    loc(&first.path, first.slug.pos.line, first.slug.pos.column),
                    "the other page",
                ),
            );
            continue;
        }
        out.insert(slug.value.clone(), topic);
    }
    out
}

fn is_changed(review: &Review, fingerprint: &str) -> bool {
    review.status == ReviewStatus::Approved
        && review
            .last_approval()
            .is_some_and(|a| a.fingerprint.as_deref() != Some(fingerprint))
}

/// The earlier of `next_review` and the last approval + `max_age_days`; overdue when today is later.
fn due_date(review: &Review, config: &Config, today: Date) -> (Option<Date>, bool) {
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

fn check_claim(
    claim: &Claim,
    config: &Config,
    sources: &IdMap<Source>,
    diagnostics: &mut Diagnostics,
) {
    let path = claim.path.as_str();
    let status = claim.review.status;
    let past_draft = !matches!(status, ReviewStatus::Draft | ReviewStatus::Retired);
    let statement_at = loc(path, claim.statement.pos.line, claim.statement.pos.column);

    for link in &claim.sources {
        let id = &link.id.value;
        let at = loc(path, link.id.pos.line, link.id.pos.column);
        match sources.get(id) {
            None => {
                let mut d =
                    Diagnostic::error(Code::UnknownSource, at, format!("unknown source `{id}`"))
                        .width(id.chars().count());
                d = match closest(id, sources.keys().map(String::as_str)) {
                    Some(c) => d.hint(format!("did you mean `{c}`?")),
                    None => d.hint("add the source's record to a file in citations/ (`evident new source ID`), or fix the id"),
                };
                diagnostics.push(d);
            }
            Some(source) => {
                if let Some(retraction) = &source.evidence.retracted {
                    let when = retraction
                        .date
                        .as_deref()
                        .map(|d| format!(" on {d}"))
                        .unwrap_or_default();
                    diagnostics.push(
                        Diagnostic::warning(Code::CitesRetracted, at, format!("cites `{id}`, which was retracted{when}"))
                            .hint("find a replacement source or retire the claim; until then it is not shown as approved"),
                    );
                }
            }
        }
        if link.quote.is_none() && sources.contains_key(id) {
            diagnostics.push(
                Diagnostic::warning(Code::MissingQuote, loc(path, link.pos.line, link.pos.column), format!("no quote from `{id}` supports this claim"))
                    .hint("add `quote:` with the sentence of the source that supports the claim, copied exactly"),
            );
        }
    }

    for (audience, _) in &claim.audiences {
        if config.audience(&audience.value).is_none() {
            let declared: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
            let mut d = Diagnostic::error(
                Code::UnknownAudience,
                loc(path, audience.pos.line, audience.pos.column),
                format!(
                    "wording for audience `{}`, which evident.yaml does not declare",
                    audience.value
                ),
            )
            .width(audience.value.chars().count());
            d = match closest(&audience.value, declared.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None if declared.is_empty() => d.hint(
                    "declare audiences in evident.yaml: `audiences: [{id: patient, label: …}]`",
                ),
                None => d.hint(format!("declared audiences: {}", declared.join(", "))),
            };
            diagnostics.push(d);
        }
    }

    if claim.kind.needs_source() && claim.sources.is_empty() && status != ReviewStatus::Retired {
        if past_draft {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingSource,
                    statement_at.clone(),
                    format!(
                        "a {} must cite a source once submitted",
                        claim.kind.label().to_lowercase()
                    ),
                )
                .hint(
                    "add `sources:` with the id, locator and quote of the source that supports it",
                ),
            );
        } else {
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceNeeded,
                    statement_at.clone(),
                    "draft claim without a source (shown as \"source needed\")",
                )
                .hint("add `sources:` before submitting it for review"),
            );
        }
    }
    if claim.kind.is_graded() && claim.certainty.is_none() && past_draft {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingCertainty,
                statement_at.clone(),
                "a graded claim needs `certainty` once submitted",
            )
            .hint(format!(
                "add `certainty:` ({}) and `certainty_reason:`",
                config.grading.evidence.levels().join(", ")
            )),
        );
    }
    if claim.kind == Kind::Recommendation && claim.strength.is_none() {
        let severity = if past_draft {
            Diagnostic::error
        } else {
            Diagnostic::warning
        };
        diagnostics.push(
            severity(
                Code::MissingStrength,
                statement_at.clone(),
                "a recommendation needs a `strength`",
            )
            .hint(format!(
                "add `strength:` ({})",
                config.grading.recommendations.strengths().join(", ")
            )),
        );
    }
    if claim.kind == Kind::PracticePoint && claim.basis.is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingBasis,
                statement_at.clone(),
                "a practice point must say why it is given",
            )
            .hint(
                "add `basis:` (e.g. \"standard nursing practice; no trial compares alternatives\")",
            ),
        );
    }
    check_grade(claim, config, sources, diagnostics);
}

/// Every figure of the statement and of each audience wording must be backed by a quote of a
/// cited source, a cited source's sample size or year, or a declared `derived` figure; a
/// practice point's figures by its `basis`.
fn check_figures(
    claim: &Claim,
    sources: &IdMap<Source>,
    file: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    let cited: Vec<&Source> = claim
        .sources
        .iter()
        .filter_map(|l| sources.get(&l.id.value))
        .collect();
    let mut quotes: Vec<&str> = claim
        .sources
        .iter()
        .filter(|l| sources.contains_key(&l.id.value))
        .filter_map(|l| l.quote.as_ref().map(|q| q.value.as_str()))
        .collect();
    if let Some(basis) = &claim.basis {
        quotes.push(basis);
    }
    let numbers: Vec<f64> = cited
        .iter()
        .flat_map(|s| {
            let n = s.evidence.sample_size.map(|n| n as f64);
            let y = s.year().map(f64::from);
            n.into_iter().chain(y)
        })
        .collect();
    let evidence = figures::Evidence {
        quotes,
        numbers,
        derived: claim.derived.iter().map(|d| d.figure.as_str()).collect(),
    };
    let wordings = std::iter::once((None, &claim.statement)).chain(
        claim
            .audiences
            .iter()
            .map(|(a, w)| (Some(a.value.as_str()), w)),
    );
    // The sources whose quotes were searched, named in every message.
    let searched: Vec<&str> = claim
        .sources
        .iter()
        .filter(|l| l.quote.is_some() && sources.contains_key(&l.id.value))
        .map(|l| l.id.value.as_str())
        .collect();
    for (audience, wording) in wordings {
        for figure in figures::unsupported(&wording.value, &evidence) {
            let (line, column) =
                crate::text::fields::position_in_value(file, wording, figure.start, &figure.text);
            let whose = audience
                .map(|a| format!(" ({a} wording)"))
                .unwrap_or_default();
            let message = if searched.is_empty() {
                format!(
                    "figure `{}`{whose} cannot be checked: no cited source has a quote",
                    figure.text
                )
            } else {
                let names: Vec<String> = searched.iter().map(|s| format!("`{s}`")).collect();
                format!(
                    "figure `{}`{whose} is not in the quote of {}, nor a cited sample size or year",
                    figure.text,
                    names.join(", ")
                )
            };
            diagnostics.push(
                Diagnostic::warning(Code::UnsupportedFigure, loc(&claim.path, line, column), message)
                .width(figure.text.chars().count())
                .hint("quote the sentence of the source that gives this number, correct the number, or declare it under `derived:` with how it was computed"),
            );
        }
    }
}

/// A certainty above what the best cited design can carry (DESIGN §5's table).
fn check_grade(
    claim: &Claim,
    config: &Config,
    sources: &IdMap<Source>,
    diagnostics: &mut Diagnostics,
) {
    let Some(certainty) = &claim.certainty else {
        return;
    };
    let scale = config.grading.evidence;
    let Some(rank) = scale.rank(&certainty.value) else {
        return;
    };
    let designs: Vec<(&str, u8)> = claim
        .sources
        .iter()
        .filter_map(|l| sources.get(&l.id.value))
        .filter_map(|s| s.evidence.design.as_deref())
        .filter_map(|d| design_ceiling(d).map(|c| (d, c)))
        .collect();
    let Some(ceiling) = designs.iter().map(|(_, c)| *c).max() else {
        return;
    };
    if rank <= ceiling || claim.allows(Code::GradeAboveDesign) {
        return;
    }
    let mut names: Vec<&str> = designs.iter().map(|(d, _)| *d).collect();
    names.sort_unstable();
    names.dedup();
    let highest = ["", "very-low", "low", "moderate", "high"][usize::from(ceiling)];
    diagnostics.push(
        Diagnostic::warning(
            Code::GradeAboveDesign,
            loc(&claim.path, certainty.pos.line, certainty.pos.column),
            format!(
                "certainty `{}` is above what the cited designs ({}) can carry: at most `{}` under GRADE",
                certainty.value,
                names.join(", "),
                scale_level(config, highest)
            ),
        )
        .width(certainty.value.chars().count())
        .hint("lower the certainty, cite stronger evidence, or add `allow: [{code: grade-above-design, reason: \"…\"}]` saying why (e.g. GRADE's upgrading criteria)"),
    );
}

fn scale_level(config: &Config, grade_level: &str) -> String {
    match config.grading.evidence {
        crate::model::config::EvidenceScale::Grade => grade_level.to_string(),
        crate::model::config::EvidenceScale::OxfordCebm => match grade_level {
            "high" => "1".into(),
            "moderate" => "2".into(),
            "low" => "3".into(),
            _ => "4".into(),
        },
    }
}

/// `replaced_by` must name a claim, and replacements must not go round in a circle.
pub(crate) fn check_replacements(claims: &IdMap<ResolvedClaim>, diagnostics: &mut Diagnostics) {
    for (id, resolved) in claims {
        let Some(retired) = &resolved.claim.review.retired else {
            continue;
        };
        let Some(next) = &retired.replaced_by else {
            continue;
        };
        let at = loc(&resolved.claim.path, next.pos.line, next.pos.column);
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

/// Everything about one topic: its reference numbering, review state and status from the
/// claims it embeds (which must be resolved already). Back-links are worked out after.
pub(crate) fn resolve_topic(
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
        let at = loc(&path, r.line, r.column);
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
                loc(
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
    ResolvedTopic {
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

/// Whether a source is cited at all, has a design, and names an existing superseding source.
pub(crate) fn check_source(
    kb: &KnowledgeBase,
    resolved: &ResolvedSource,
    diagnostics: &mut Diagnostics,
) {
    {
        let source = &resolved.source;
        let at = loc(&source.path, source.pos.line, source.pos.column);
        if resolved.cited_by.is_empty() && resolved.cited_in.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceUnused,
                    at.clone(),
                    format!("source `{}` is never cited", source.id),
                )
                .hint("cite it from a claim or a page, or remove it from citations/"),
            );
        }
        if source.evidence.design.is_none() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceWithoutDesign,
                    at.clone(),
                    format!("source `{}` has no study design", source.id),
                )
                .hint(format!(
                    "add `design:` ({}) in an annotation item `- id: {}` in citations/",
                    crate::model::design_names().join(", "),
                    source.id
                )),
            );
        }
        if let Some(next) = &source.evidence.superseded_by
            && !kb.sources.contains_key(next)
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownReplacement,
                    at,
                    format!("`superseded_by: {next}` names no source"),
                )
                .hint("name the id of the source that supersedes this one"),
            );
        }
    }
}

/// Every decision of a claim's or topic's review is dated no later than today and made by a
/// reviewer the configuration declares.
pub(crate) fn check_review(
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
                        loc(path, entry.pos.line, entry.pos.column),
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
                loc(path, entry.by.pos.line, entry.by.pos.column),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::citations;

    fn records(files: &[(&str, &str)]) -> (Vec<SourceRecord>, Diagnostics) {
        let mut d = Diagnostics::new();
        let mut out = Vec::new();
        for (path, text) in files {
            let ext = path.rsplit('.').next().unwrap_or("");
            out.extend(citations::read_file(ext, text, path, &mut d).unwrap());
        }
        (out, d)
    }

    #[test]
    fn annotations_reach_records_of_every_format() {
        let (r, mut d) = records(&[
            (
                "citations/a.bib",
                "@article{seema1997, title = {T}, pmid = {9283123}}\n",
            ),
            (
                "citations/b.ris",
                "TY  - JOUR\nTI  - U\nAN  - 7354969\nDB  - PubMed\nER  - \n",
            ),
            ("citations/c.nbib", "PMID- 6789296\nTI  - V.\n"),
            (
                "citations/evidence.yaml",
                "- {id: seema1997, design: rct, sample_size: 50}\n- {id: pmid7354969, design: survey}\n- {id: pmid6789296, design: case-series, label: Research}\n",
            ),
        ]);
        let sources = merge_sources(r, &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(sources["seema1997"].evidence.sample_size, Some(50));
        assert_eq!(
            sources["pmid7354969"].evidence.design.as_deref(),
            Some("survey")
        );
        assert_eq!(
            sources["pmid6789296"].evidence.label.as_deref(),
            Some("Research")
        );
    }

    #[test]
    fn one_work_under_two_ids_is_a_warning_naming_both() {
        let (r, mut d) = records(&[
            (
                "citations/a.bib",
                "@article{seema1997, title = {T}, doi = {10.1093/TROPEJ/43.4.213}, pmid = {9283123}}\n",
            ),
            (
                "citations/b.nbib",
                "PMID- 9283123\nTI  - T.\nAID - 10.1093/tropej/43.4.213 [doi]\n",
            ),
        ]);
        merge_sources(r, &mut d);
        let d = d.sorted();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::DuplicateIdentifier);
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        assert_eq!(d[0].location.path, "citations/b.nbib");
        assert!(d[0].message.contains("`pmid9283123`") && d[0].message.contains("`seema1997`"));
        assert_eq!(d[0].related[0].location.path, "citations/a.bib");
    }

    #[test]
    fn two_full_records_with_one_id_are_an_error() {
        let (r, mut d) = records(&[
            ("citations/a.nbib", "PMID- 1\nTI  - T.\n"),
            (
                "citations/b.yaml",
                "- {id: pmid1, type: article-journal, title: T}\n",
            ),
        ]);
        merge_sources(r, &mut d);
        let d = d.sorted();
        assert_eq!(d[0].code, Code::DuplicateId);
        assert_eq!(d[0].related[0].location.path, "citations/a.nbib");
    }
}
