//! The resolved knowledge base: each claim, topic and source with everything resolve worked
//! out about it (review state, back-links, reference numbers), and the site around them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::model::config::Config;
use crate::model::face::Face;
use crate::model::idmap::IdMap;
use crate::model::{Claim, EffectiveStatus, PageKind, Relation, Source, Topic};

/// A claim with everything worked out about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedClaim {
    /// The claim as loaded from its file.
    pub claim: Claim,
    /// The approval fingerprint of the claim as it now is (`v2:` + 64 hex digits, see
    /// [`crate::model::fingerprint::claim`]); covers the identity of the sources it cites.
    pub fingerprint: String,
    /// The claim as it now is fingerprinted in each older version its review history
    /// records (`v1:`), so that approvals recorded before `v2:` still verify; usually empty.
    pub older_fingerprints: Vec<String>,
    /// The status pages show: the recorded one, unless the claim is retired, cites a
    /// retracted source or changed since its approval ([`EffectiveStatus::of`]).
    pub status: EffectiveStatus,
    /// Recorded as approved, but the text differs from what was approved.
    pub changed_since_approval: bool,
    /// At least one cited source (among those that exist) is marked retracted.
    pub cites_retracted: bool,
    /// When the next review is due (the earlier of `next_review` and last approval + max age).
    /// None unless the recorded status is approved.
    pub due: Option<Date>,
    /// The due date is before the knowledge base's `today` (false when there is none).
    pub overdue: bool,
    /// Shown on the knowledge base's face: on the preview always, on the public face as
    /// [`Face::shows_claim`] says under the site's publish policy.
    pub published: bool,
    /// Slugs of the topics that embed it, in topic order.
    pub used_by: Vec<String>,
}

impl ResolvedClaim {
    /// Whether an approval that recorded `fingerprint` approved the claim as it now is,
    /// in whichever version the fingerprint was written.
    pub fn is_current(&self, fingerprint: &str) -> bool {
        self.fingerprint == fingerprint || self.older_fingerprints.iter().any(|f| f == fingerprint)
    }

    /// The fingerprint to show beside the claim: the one its last approval recorded while
    /// that approval still holds (a `v1:` approval shows its v1 fingerprint, so the two can
    /// be compared), else the current one.
    pub fn fingerprint_shown(&self) -> &str {
        self.claim
            .review
            .last_approval()
            .and_then(|a| a.fingerprint.as_deref())
            .filter(|f| self.is_current(f))
            .unwrap_or(&self.fingerprint)
    }
}

/// A topic page with its own review state and its reference numbering.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedTopic {
    /// The topic page as loaded from its Markdown file.
    pub topic: Topic,
    /// The approval fingerprint of the page's own content: front matter without `review`,
    /// body and the list of embedded claims, not their content
    /// ([`crate::model::fingerprint::topic`]).
    pub fingerprint: String,
    /// The status of the page's own review (recorded, or changed since approval), ignoring
    /// its claims. The review queue shows this one.
    pub own_status: EffectiveStatus,
    /// The lowest of its own status and its embedded claims' (retired ones do not count).
    pub status: EffectiveStatus,
    /// Recorded as approved, but the page's own content differs from what was approved.
    pub changed_since_approval: bool,
    /// When the page's next review is due, as for a claim: None unless its recorded
    /// status is approved.
    pub due: Option<Date>,
    /// The due date is before the knowledge base's `today` (false when there is none).
    pub overdue: bool,
    /// Source ids in the order of their reference numbers (1-based: index + 1).
    pub references: Vec<String>,
    /// Embedded claim ids that exist, in order.
    pub claims: Vec<String>,
    /// Shown on the knowledge base's face: on the preview always, on the public face as
    /// [`Face::shows_topic`] says under the site's publish policy (and, under `publish:
    /// approved`, as `resolve::public` decides from the approved versions).
    pub published: bool,
}

impl ResolvedTopic {
    /// The page's reference number of `source` (1-based), or None when the page does not
    /// cite it (in prose or through a published embedded claim).
    pub fn number(&self, source: &str) -> Option<usize> {
        self.references
            .iter()
            .position(|s| s == source)
            .map(|i| i + 1)
    }
}

/// A source with its back-links.
#[derive(Debug, Clone)]
pub struct ResolvedSource {
    /// The source as merged from its records in `citations/`.
    pub source: Source,
    /// The reference in the site's citation style, formatted the first time a page asks for
    /// it and kept: pages show it many times, and `check`, which renders nothing, never
    /// formats 250,000 references it does not show.
    reference: OnceLock<String>,
    /// Ids of the claims citing it, in id order, each once with the relation of its first
    /// link to this source (supports, disputes…).
    pub cited_by: Vec<(String, Relation)>,
    /// Slugs of the topics citing it in prose (`[@id]`), each once, in topic order.
    pub cited_in: Vec<String>,
}

impl ResolvedSource {
    /// A source with no back-links yet.
    pub fn new(source: Source) -> Self {
        ResolvedSource {
            source,
            reference: OnceLock::new(),
            cited_by: Vec::new(),
            cited_in: Vec::new(),
        }
    }

    /// The reference in `style`, the site's (a knowledge base has one style for its life).
    pub fn reference(&self, style: &crate::cite::Style) -> &str {
        self.reference
            .get_or_init(|| crate::cite::format_reference(&self.source, style))
    }

    /// Puts an edited source in place; its reference is formatted again when next asked for.
    pub fn replace_source(&mut self, source: Source) {
        self.source = source;
        self.reference = OnceLock::new();
    }
}

// The reference is made from the source and the site's style alone, so whether it has been
// formatted yet says nothing about the source: an incremental resolve equals a full one.
impl PartialEq for ResolvedSource {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
            && self.cited_by == other.cited_by
            && self.cited_in == other.cited_in
    }
}

/// The whole site, resolved. Cloned by the review gate, which resolves one edited item
/// again without changing the site it was given.
#[derive(Debug, Default, Clone)]
pub struct KnowledgeBase {
    /// The site's configuration, from `evident.yaml`.
    pub config: Config,
    /// The day the site was resolved as of (`--today`, else the current date): due dates
    /// and overdue reviews are measured against it.
    pub today: Date,
    /// The face it was resolved for: what its claims' and topics' `published` say.
    pub face: Face,
    /// Every claim kept after the id checks, by id.
    pub claims: IdMap<ResolvedClaim>,
    /// Every topic and other page kept after the id checks, by slug (see
    /// [`KnowledgeBase::topic_pages`] for topic pages alone).
    pub topics: IdMap<ResolvedTopic>,
    /// Every source, merged from its records, by id.
    pub sources: IdMap<ResolvedSource>,
    /// How references are formatted: `citations::format_reference(&source, &kb.style)`.
    pub style: crate::cite::Style,
    /// Every file's text, for diagnostics that quote the line, by path relative to the
    /// site root ('/'-separated).
    pub texts: BTreeMap<String, String>,
    /// Every diagnostic of the load and of resolve, in a full resolve's order.
    pub diagnostics: Diagnostics,
}

impl KnowledgeBase {
    /// The pages of kind topic the site shows (not the other kinds of page in `topics`, nor
    /// those a public site leaves out), in slug order.
    pub fn topic_pages(&self) -> impl Iterator<Item = &ResolvedTopic> {
        self.topics
            .values()
            .filter(|t| t.published && t.topic.page_kind == PageKind::Topic)
    }
}
