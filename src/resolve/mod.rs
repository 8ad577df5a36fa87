//! Stage 2: a [`Corpus`] → a [`KnowledgeBase`]: ids checked and linked both ways, review
//! state worked out (fingerprints, effective status, due dates), reference numbers per page.
//! Resolve never fails: every problem is a diagnostic, and what can be built is built.
//!
//! A resolve goes in five steps, each reading only what the steps before it settled:
//!
//! 1. **Sources** ([`sources`]): the records of one id merged into one source.
//! 2. **Ids** ([`index`]): claims and topics with invalid, duplicate or reserved ids left out.
//! 3. **Claims** ([`claims`]): each claim on its own, against the sources it cites.
//! 4. **Topics** ([`topics`]): each topic on its own, against the claims it embeds.
//! 5. **Links** ([`links`]): the back-links, then the checks that read them or span items —
//!    chains of replacements, unused sources, each item's review decisions ([`review`]).
//!
//! A [`Resolution`] is what a resolve keeps beside the knowledge base: the merged sources and
//! each step's diagnostics by item. `serve` hands it the claims, topics and source records an
//! edit changed; [`Resolution::update`] runs the same steps over them and over what reads
//! them, and puts the diagnostics together in a full resolve's order. The review queue
//! ([`queue`]) is read off a resolved knowledge base.

mod approved;
mod claims;
mod index;
mod links;
pub mod queue;
mod review;
pub mod sitelinks;
mod sources;
mod topics;
mod types;
mod wording;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::load::Corpus;
use crate::load::citations::SourceRecord;
use crate::model::face::Face;
use crate::model::idmap::IdMap;
use crate::model::{Claim, Source, Topic};
use crate::text::passage::Normalised;

pub use approved::public;
pub use links::replacement;
pub use types::{KnowledgeBase, ResolvedClaim, ResolvedSource, ResolvedTopic};
pub use wording::{ReadingGrade, reading_grades};

/// Resolves a whole site for one of its faces (what the face shows is settled here, once).
pub fn resolve(corpus: Corpus, today: Date, face: Face) -> KnowledgeBase {
    Resolution::new(corpus, today, face).0
}

/// What a resolve keeps beside the [`KnowledgeBase`] so that it can later be redone for a
/// few claims, topics or sources: the merged source records, and the diagnostics apart by the
/// step (and the item) that produced them.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Every source as merged from its records, before back-links.
    sources: IdMap<Source>,
    /// The abstract of every source whose record carries one, normalised once for the
    /// quote checks of all the claims citing it.
    abstracts: BTreeMap<String, Normalised>,
    /// Of merging the records of one id (duplicates, shared identifiers, slug clashes).
    merge: Diagnostics,
    /// Of indexing claims and topics by id (invalid, duplicate, reserved).
    index: Diagnostics,
    /// Of each claim on its own, by id (these maps hold only items with diagnostics).
    claims: BTreeMap<String, Diagnostics>,
    /// Of the chains of `replaced_by` (they span claims).
    replacements: Diagnostics,
    /// Of each topic on its own, by slug.
    topics: BTreeMap<String, Diagnostics>,
    /// Of the internal links of the topics' bodies (they span pages).
    page_links: Diagnostics,
    /// Of each source once linked (unused, without design), by id.
    source_checks: BTreeMap<String, Diagnostics>,
    /// Of each claim's review decisions (dates, reviewers), by id.
    claim_reviews: BTreeMap<String, Diagnostics>,
    /// Of each topic's review decisions, by slug.
    topic_reviews: BTreeMap<String, Diagnostics>,
}

/// What an edit changed, read again from its files. Ids stay as they were: a claim here has
/// the id of a claim of the knowledge base, a topic its slug, the records their ids.
#[derive(Debug, Clone, Default)]
pub struct Edits {
    /// The changed claim files' claims, parsed again.
    pub claims: Vec<Claim>,
    /// The changed topic files' pages, parsed again.
    pub topics: Vec<Topic>,
    /// Every source record of the site, when a citations file changed (an annotation may
    /// sit in another file than its record, so sources are merged again from all).
    pub records: Option<Vec<SourceRecord>>,
    /// The changed files' texts by path (None when a file could not be read as text).
    pub texts: Vec<(String, Option<String>)>,
}

/// Claims, topics or sources, by id (a topic by its slug).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Claim ids.
    pub claims: BTreeSet<String>,
    /// Topic slugs.
    pub topics: BTreeSet<String>,
    /// Topics whose title changed: claim and source pages name the topics using them.
    pub titles: BTreeSet<String>,
    /// Source ids.
    pub sources: BTreeSet<String>,
}

impl Changed {
    /// Nothing is in any of the sets: there is nothing to render again.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
            && self.topics.is_empty()
            && self.titles.is_empty()
            && self.sources.is_empty()
    }
}

/// What [`Resolution::update`] found different.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    /// The items that came out different when resolved again (their own links with them).
    pub resolved: Changed,
    /// The claims and sources whose back-links alone changed.
    pub relinked: Changed,
}

impl Resolution {
    /// Resolves a whole site, keeping what [`Resolution::update`] starts from.
    pub fn new(corpus: Corpus, today: Date, face: Face) -> (KnowledgeBase, Resolution) {
        let Corpus {
            config,
            claims,
            topics,
            sources: records,
            style,
            texts,
            diagnostics: loaded,
        } = corpus;
        let mut state = Resolution::default();
        state.sources = sources::merge_sources(records, &mut state.merge);
        state.abstracts = claims::abstracts(&state.sources);
        let claims = index::index_claims(claims, &mut state.index);
        let topics = index::index_topics(topics, &mut state.index);

        let mut kb = KnowledgeBase {
            config,
            today,
            face,
            texts,
            style,
            ..KnowledgeBase::default()
        };
        // Claims, topics and the checks after back-links each depend only on what was settled
        // before them, so each is worked out on its own on both cores and collected in id order.
        kb.claims = state
            .resolve_claims(&kb, claims)
            .into_iter()
            .map(|claim| (claim.claim.id.clone(), claim))
            .collect();
        let resolved_sources: Vec<(String, ResolvedSource)> = state
            .sources
            .par_iter()
            .map(|(id, source)| (id.clone(), ResolvedSource::new(source.clone())))
            .collect();
        kb.sources = resolved_sources.into_iter().collect();
        kb.topics = state
            .resolve_topics(&kb, topics.into_values().collect())
            .into_iter()
            .map(|topic| (topic.topic.slug.value.clone(), topic))
            .collect();

        links::BackLinks::of(&kb, &kb.claims, &kb.topics).apply(&mut kb);
        state.check_linked(
            &kb,
            kb.sources.par_iter(),
            kb.claims.par_iter(),
            kb.topics.par_iter(),
        );
        kb.diagnostics = state.diagnostics([loaded]);
        (kb, state)
    }

    /// Whether some claims or topics were left out for their ids: which of two files with
    /// one id is in the site depends on every file, so no edit can be taken in alone.
    pub fn has_id_problems(&self) -> bool {
        !self.index.is_empty()
    }

    /// Takes `edits` into `kb` (built by [`Resolution::new`] with this resolution) as a full
    /// resolve would: the edited items are resolved again with the claims citing a changed
    /// source and the topics embedding a claim that came out different (or a retired claim
    /// whose chain of replacements runs through one), then linked again where their links
    /// were or are. The chains of replacements are checked again over every claim. `loaded`
    /// is the load's diagnostics, which come first.
    pub fn update(
        &mut self,
        kb: &mut KnowledgeBase,
        edits: Edits,
        loaded: impl IntoIterator<Item = Diagnostics>,
    ) -> Update {
        let Edits {
            claims,
            topics,
            records,
            texts,
        } = edits;
        for (path, text) in texts {
            match text {
                Some(text) => kb.texts.insert(path, text),
                None => kb.texts.remove(&path),
            };
        }
        let mut update = Update::default();
        let mut relinking = links::Relinking::default();

        let mut redo_claims: BTreeMap<String, Claim> =
            claims.into_iter().map(|c| (c.id.clone(), c)).collect();
        if let Some(records) = records {
            self.merge = Diagnostics::new();
            let merged = sources::merge_sources(records, &mut self.merge);
            for (id, source) in &merged {
                let Some(resolved) = kb.sources.get_mut(id) else {
                    continue;
                };
                if resolved.source == *source {
                    continue;
                }
                resolved.replace_source(source.clone());
                update.resolved.sources.insert(id.clone());
                for (citing, _) in &resolved.cited_by {
                    if let Some(claim) = kb.claims.get(citing) {
                        redo_claims
                            .entry(citing.clone())
                            .or_insert_with(|| claim.claim.clone());
                    }
                }
            }
            self.abstracts = claims::abstracts(&merged);
            self.sources = merged;
        }

        let redo_claims: Vec<Claim> = redo_claims
            .into_values()
            .filter(|claim| kb.claims.contains_key(&claim.id))
            .collect();
        let redone_claims: BTreeSet<String> = redo_claims.iter().map(|c| c.id.clone()).collect();
        for mut resolved in self.resolve_claims(kb, redo_claims) {
            let id = resolved.claim.id.clone();
            let Some(old) = kb.claims.get(&id) else {
                continue;
            };
            resolved.used_by = old.used_by.clone();
            if resolved != *old {
                relinking.claim(old);
                kb.claims.insert(id.clone(), resolved);
                update.resolved.claims.insert(id);
            }
        }

        // Topics read the status, publication and sources of the claims they embed, and the
        // end of a retired claim's chain of replacements.
        let mut redo_topics: BTreeMap<String, Topic> = topics
            .into_iter()
            .map(|t| (t.slug.value.clone(), t))
            .collect();
        for id in links::replaced_through(&kb.claims, &update.resolved.claims) {
            let Some(claim) = kb.claims.get(&id) else {
                continue;
            };
            for slug in &claim.used_by {
                if let Some(topic) = kb.topics.get(slug) {
                    redo_topics
                        .entry(slug.clone())
                        .or_insert_with(|| topic.topic.clone());
                }
            }
        }
        let redo_topics: Vec<Topic> = redo_topics
            .into_values()
            .filter(|topic| kb.topics.contains_key(&topic.slug.value))
            .collect();
        let redone_topics: BTreeSet<String> =
            redo_topics.iter().map(|t| t.slug.value.clone()).collect();
        for resolved in self.resolve_topics(kb, redo_topics) {
            let slug = resolved.topic.slug.value.clone();
            let Some(old) = kb.topics.get(&slug) else {
                continue;
            };
            if resolved != *old {
                if resolved.topic.title != old.topic.title {
                    update.resolved.titles.insert(slug.clone());
                }
                relinking.topic(old);
                kb.topics.insert(slug.clone(), resolved);
                update.resolved.topics.insert(slug);
            }
        }

        let (relinked_claims, relinked_sources) = links::relink(kb, &relinking);
        update.relinked.claims = relinked_claims;
        update.relinked.sources = relinked_sources;
        let check_sources: BTreeSet<&String> = update
            .resolved
            .sources
            .iter()
            .chain(&update.relinked.sources)
            .collect();
        let kb_ref = &*kb;
        self.check_linked(
            kb_ref,
            check_sources
                .into_par_iter()
                .filter_map(|id| Some((id, kb_ref.sources.get(id)?))),
            redone_claims
                .par_iter()
                .filter_map(|id| Some((id, kb_ref.claims.get(id)?))),
            redone_topics
                .par_iter()
                .filter_map(|slug| Some((slug, kb_ref.topics.get(slug)?))),
        );
        kb.diagnostics = self.diagnostics(loaded);
        update
    }

    /// Step 3: `claims` resolved on both cores, in their order; their diagnostics kept.
    fn resolve_claims(&mut self, kb: &KnowledgeBase, claims: Vec<Claim>) -> Vec<ResolvedClaim> {
        let sources = &self.sources;
        let abstracts = &self.abstracts;
        let resolved: Vec<(ResolvedClaim, Diagnostics)> = claims
            .into_par_iter()
            .map(|claim| {
                let mut diagnostics = Diagnostics::new();
                let resolved = claims::resolve_claim(
                    claim,
                    &kb.config,
                    sources,
                    abstracts,
                    &kb.texts,
                    (kb.today, kb.face),
                    &mut diagnostics,
                );
                (resolved, diagnostics)
            })
            .collect();
        let mut out = Vec::with_capacity(resolved.len());
        for (claim, diagnostics) in resolved {
            keep(&mut self.claims, &claim.claim.id, diagnostics);
            out.push(claim);
        }
        out
    }

    /// Step 4: `topics` resolved on both cores against `kb`'s claims, in their order; their
    /// diagnostics kept.
    fn resolve_topics(&mut self, kb: &KnowledgeBase, topics: Vec<Topic>) -> Vec<ResolvedTopic> {
        let resolved: Vec<(ResolvedTopic, Diagnostics)> = topics
            .into_par_iter()
            .map(|topic| {
                let mut diagnostics = Diagnostics::new();
                let resolved = topics::resolve_topic(topic, kb, &mut diagnostics);
                (resolved, diagnostics)
            })
            .collect();
        let mut out = Vec::with_capacity(resolved.len());
        for (topic, diagnostics) in resolved {
            keep(&mut self.topics, &topic.topic.slug.value, diagnostics);
            out.push(topic);
        }
        out
    }

    /// Step 5's checks, once the back-links are set: the chains of replacements over every
    /// claim, and the checks of the sources, claims and topics given.
    fn check_linked<'a>(
        &mut self,
        kb: &'a KnowledgeBase,
        sources: impl ParallelIterator<Item = (&'a String, &'a ResolvedSource)>,
        claims: impl ParallelIterator<Item = (&'a String, &'a ResolvedClaim)>,
        topics: impl ParallelIterator<Item = (&'a String, &'a ResolvedTopic)>,
    ) {
        self.replacements = Diagnostics::new();
        links::check_replacements(&kb.claims, &mut self.replacements);
        self.page_links = Diagnostics::new();
        sitelinks::check_links(kb, &mut self.page_links);
        let checked = [
            (
                &mut self.source_checks,
                per_item(sources, |source, d| sources::check_source(kb, source, d)),
            ),
            (
                &mut self.claim_reviews,
                per_item(claims, |claim, d| {
                    review::check_review(kb, &claim.claim.path, &claim.claim.review, d)
                }),
            ),
            (
                &mut self.topic_reviews,
                per_item(topics, |topic, d| {
                    review::check_review(kb, &topic.topic.path, &topic.topic.review, d)
                }),
            ),
        ];
        for (kept, found) in checked {
            for (key, diagnostics) in found {
                keep(kept, &key, diagnostics);
            }
        }
    }

    /// The diagnostics of the load (`loaded`) and of every step, in a full resolve's order.
    fn diagnostics(&self, loaded: impl IntoIterator<Item = Diagnostics>) -> Diagnostics {
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
        all.extend(self.page_links.clone());
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

/// Keeps an item's diagnostics, or forgets its earlier ones when it has none: the maps hold
/// only items with something to say, so that putting every diagnostic together after an edit
/// of one item does not walk every item of a large site.
fn keep(kept: &mut BTreeMap<String, Diagnostics>, key: &str, diagnostics: Diagnostics) {
    if diagnostics.is_empty() {
        kept.remove(key);
    } else {
        kept.insert(key.to_owned(), diagnostics);
    }
}

/// Runs `check` on every item (on both cores); its diagnostics, by the item's key.
fn per_item<'a, T: Sync + 'a>(
    items: impl ParallelIterator<Item = (&'a String, &'a T)>,
    check: impl Fn(&T, &mut Diagnostics) + Sync,
) -> Vec<(String, Diagnostics)> {
    items
        .map(|(key, item)| {
            let mut diagnostics = Diagnostics::new();
            check(item, &mut diagnostics);
            (key.clone(), diagnostics)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "reviewers:\n  - {id: author, name: A}\n";
    const SOURCES: &str = "- {id: s1, type: article-journal, title: One, design: rct, sample_size: 40}\n- {id: s2, type: article-journal, title: Two}\n";
    const OLD: &str = "statement: Old advice.\nkind: finding\ncertainty: low\nsources:\n  - {id: s1, quote: \"Old.\"}\nreview:\n  status: retired\n  history:\n    - {date: 2026-01-02, by: author, action: retire}\n  retired:\n    reason: outdated\n    replaced_by: new\n";
    const NEW: &str = "statement: In 40 mothers, advice helped.\nkind: finding\ncertainty: low\nsources:\n  - {id: s1, quote: \"Of 40 mothers, advice helped.\"}\nreview:\n  status: draft\n";
    const NEWER: &str = "statement: Newer advice.\nkind: finding\ncertainty: low\nsources:\n  - {id: s1, quote: \"Newer.\"}\nreview:\n  status: draft\n";
    /// Embeds only the retired claim: it reads the claims replacing it through the chain.
    const TOPIC: &str = "---\ntitle: T\n---\n\nSee [@s2].\n\n- [[old]]\n";

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("evident.yaml", CONFIG),
            ("citations/s.yaml", SOURCES),
            ("content/claims/old.yaml", OLD),
            ("content/claims/new.yaml", NEW),
            ("content/claims/newer.yaml", NEWER),
            ("content/t/index.md", TOPIC),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn today() -> Date {
        "2026-12-03".parse().unwrap()
    }

    /// Rewrites `path` in the site, hands the changed file's items to `update`, and checks
    /// the knowledge base against a full resolve of the site as it now is.
    fn edit_and_compare(
        dir: &tempfile::TempDir,
        state: &mut Resolution,
        kb: &mut KnowledgeBase,
        path: &str,
        text: &str,
    ) -> Update {
        std::fs::write(dir.path().join(path), text).unwrap();
        let corpus = crate::load::load(&crate::project::Project::new(dir.path())).unwrap();
        let edits = Edits {
            claims: (corpus.claims.iter())
                .filter(|c| c.path == path)
                .cloned()
                .collect(),
            topics: (corpus.topics.iter())
                .filter(|t| t.path == path)
                .cloned()
                .collect(),
            records: path
                .starts_with("citations/")
                .then(|| corpus.sources.clone()),
            texts: vec![(path.to_string(), corpus.texts.get(path).cloned())],
        };
        let loaded = corpus.diagnostics.clone();
        let update = state.update(kb, edits, [loaded]);
        let full = resolve(corpus, today(), Face::Public);
        assert_eq!(kb.claims, full.claims, "claims after editing {path}");
        assert_eq!(kb.topics, full.topics, "topics after editing {path}");
        assert_eq!(kb.sources, full.sources, "sources after editing {path}");
        let listed = |kb: &KnowledgeBase| kb.diagnostics.iter().cloned().collect::<Vec<_>>();
        assert_eq!(listed(kb), listed(&full), "diagnostics after {path}");
        update
    }

    #[test]
    fn an_update_resolves_as_a_full_resolve_would() {
        let dir = site();
        let corpus = crate::load::load(&crate::project::Project::new(dir.path())).unwrap();
        let (mut kb, mut state) = Resolution::new(corpus, today(), Face::Public);
        let claim = "content/claims/new.yaml";

        // The claim replacing a retired one was retired in turn: the topic embedding the
        // retired one now points at the end of the longer chain.
        let retired = OLD
            .replace("Old advice", "In 40 mothers, advice helped")
            .replace("replaced_by: new", "replaced_by: newer");
        let update = edit_and_compare(&dir, &mut state, &mut kb, claim, &retired);
        assert_eq!(update.resolved.claims, BTreeSet::from(["new".to_string()]));
        assert!(
            kb.diagnostics
                .iter()
                .any(|d| d.hints.iter().any(|h| h.contains("[[newer]]"))),
            "{:?}",
            kb.diagnostics
        );

        // A source's record changed: the claims citing it are redone.
        let update = edit_and_compare(
            &dir,
            &mut state,
            &mut kb,
            "citations/s.yaml",
            &SOURCES.replace("sample_size: 40", "sample_size: 41"),
        );
        assert_eq!(update.resolved.sources, BTreeSet::from(["s1".to_string()]));
        // `new` says 40 mothers, which only the sample size backed.
        assert!(
            kb.diagnostics
                .iter()
                .any(|d| d.location.path == claim && d.message.contains("figure `40`")),
            "{:?}",
            kb.diagnostics
        );

        // A topic stopped embedding a claim and citing a source: their back-links change.
        let update = edit_and_compare(
            &dir,
            &mut state,
            &mut kb,
            "content/t/index.md",
            &TOPIC.replace("See [@s2].\n", "").replace("- [[old]]\n", ""),
        );
        assert_eq!(update.relinked.claims, BTreeSet::from(["old".to_string()]));
        assert_eq!(update.relinked.sources, BTreeSet::from(["s2".to_string()]));
    }
}
