//! The resolved knowledge base: each claim, topic and source with everything resolve worked
//! out about it (review state, back-links, reference numbers), and the site around them.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::model::config::Config;
use crate::model::idmap::IdMap;
use crate::model::{Claim, EffectiveStatus, PageKind, Relation, Source, Topic};

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
