//! Which pages show what: the dependency graph `serve` uses to re-render only the pages an
//! edit can change.
//!
//! A page is made from its own topic, claim or source and from what it shows of others:
//!
//! - a **claim page** shows the sources it cites (title, reference, design, retraction, the
//!   title of a superseding source), the titles of the topics that embed it, and, when it is
//!   retired, the statement of the claim that replaces it (at the end of the chain);
//! - a **topic page** and its **handout** show every claim it embeds or links to (wordings,
//!   grade, status, sources; a retired claim's replacement) and every source it numbers;
//! - a **source page** shows the claims citing it (statement, status), the titles of the
//!   topics citing it, and the title of the source superseding it.
//!
//! The graph keeps those relations both ways. When a resolve says which claims, topics and
//! sources came out different, [`DepGraph::readers`] names every page that reads one of them.
//! The relations of an edited item change with it, so the caller asks both before and after
//! updating the graph and re-renders the union: a claim moved from one topic to another
//! changes both pages. What is made from the whole site (home page, dashboard, API, sitemap,
//! feed, search page) is not here: those pages are always re-rendered after an edit.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::PageRefKind;
use crate::render::Page;
use crate::resolve::{Changed, KnowledgeBase, ResolvedClaim, ResolvedSource, ResolvedTopic};

/// A relation between ids, kept both ways so that either side can be asked.
#[derive(Debug, Default, Clone, PartialEq)]
struct Relation {
    forward: BTreeMap<String, BTreeSet<String>>,
    backward: BTreeMap<String, BTreeSet<String>>,
}

impl Relation {
    fn add(&mut self, from: &str, to: &str) {
        self.forward
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string());
        self.backward
            .entry(to.to_string())
            .or_default()
            .insert(from.to_string());
    }

    /// Drops every pair starting at `from`.
    fn remove_from(&mut self, from: &str) {
        for to in self.forward.remove(from).unwrap_or_default() {
            if let Some(back) = self.backward.get_mut(&to) {
                back.remove(from);
                if back.is_empty() {
                    self.backward.remove(&to);
                }
            }
        }
    }

    fn of<'a>(&'a self, from: &str) -> impl Iterator<Item = &'a String> {
        self.forward.get(from).into_iter().flatten()
    }

    fn to<'a>(&'a self, to: &str) -> impl Iterator<Item = &'a String> {
        self.backward.get(to).into_iter().flatten()
    }
}

/// The relations between a site's claims, topics and sources that decide what pages show.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DepGraph {
    /// Claim → the sources it cites.
    cites: Relation,
    /// Topic → the claims it embeds or links to.
    refers: Relation,
    /// Topic → the sources it numbers (its reference list) or cites in prose.
    numbers: Relation,
    /// Source → the source named by its `superseded_by`.
    superseded_by: Relation,
    /// Retired claim → the claim named by its `replaced_by`.
    replaced_by: Relation,
}

impl DepGraph {
    /// The graph of every claim, topic and source in `kb`, whatever its status (an
    /// unpublished claim's relations are kept too, so publishing it finds its readers).
    pub fn of(kb: &KnowledgeBase) -> DepGraph {
        let mut graph = DepGraph::default();
        for claim in kb.claims.values() {
            graph.add_claim(claim);
        }
        for topic in kb.topics.values() {
            graph.add_topic(topic);
        }
        for source in kb.sources.values() {
            graph.add_source(source);
        }
        graph
    }

    /// Adds the relations of `claim`: the sources it cites and, when it is retired, the claim
    /// its `replaced_by` names. It only adds: to record an edited claim, call
    /// [`DepGraph::remove_claim`] first.
    pub fn add_claim(&mut self, claim: &ResolvedClaim) {
        let id = &claim.claim.id;
        for link in &claim.claim.sources {
            self.cites.add(id, &link.id.value);
        }
        if let Some(next) = claim
            .claim
            .review
            .retired
            .as_ref()
            .and_then(|r| r.replaced_by.as_ref())
        {
            self.replaced_by.add(id, &next.value);
        }
    }

    /// Drops every relation starting at claim `id` (its citations and its `replaced_by`);
    /// what others say of it stays, so a topic embedding it still finds it.
    pub fn remove_claim(&mut self, id: &str) {
        self.cites.remove_from(id);
        self.replaced_by.remove_from(id);
    }

    /// Adds the relations of `topic` (a topic or plain page): the claims it embeds or links to,
    /// and the sources it cites in prose or numbers in its reference list. It only adds: call
    /// [`DepGraph::remove_topic`] first for an edited topic.
    pub fn add_topic(&mut self, topic: &ResolvedTopic) {
        let slug = &topic.topic.slug.value;
        for r in &topic.topic.references {
            match r.kind {
                PageRefKind::Embed | PageRefKind::ClaimLink | PageRefKind::InlineClaim => {
                    self.refers.add(slug, &r.id)
                }
                PageRefKind::Cite { .. } => self.numbers.add(slug, &r.id),
            }
        }
        for id in &topic.references {
            self.numbers.add(slug, id);
        }
    }

    /// Drops every relation starting at the topic `slug`: the claims and sources it refers to.
    pub fn remove_topic(&mut self, slug: &str) {
        self.refers.remove_from(slug);
        self.numbers.remove_from(slug);
    }

    /// Adds the relation of `source`: the source its `superseded_by` names, when it has one.
    /// It only adds: call [`DepGraph::remove_source`] first for an edited source.
    pub fn add_source(&mut self, source: &ResolvedSource) {
        if let Some(next) = &source.source.evidence.superseded_by {
            self.superseded_by.add(&source.source.id, next);
        }
    }

    /// Drops the relation starting at source `id`: its `superseded_by`.
    pub fn remove_source(&mut self, id: &str) {
        self.superseded_by.remove_from(id);
    }

    /// The claims citing source `id`.
    pub fn citing(&self, id: &str) -> impl Iterator<Item = &String> {
        self.cites.to(id)
    }

    /// The topics numbering source `id` or citing it in prose.
    pub fn numbering(&self, id: &str) -> impl Iterator<Item = &String> {
        self.numbers.to(id)
    }

    /// The topics embedding or linking to claim `id`.
    pub fn referring(&self, id: &str) -> impl Iterator<Item = &String> {
        self.refers.to(id)
    }

    /// `id` and every retired claim whose chain of `replaced_by` leads to it: their pages and
    /// embeds show the end of the chain.
    pub fn replaced_by_chain_to(&self, id: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::from([id.to_string()]);
        let mut todo = vec![id.to_string()];
        while let Some(next) = todo.pop() {
            for earlier in self.replaced_by.to(&next) {
                if found.insert(earlier.clone()) {
                    todo.push(earlier.clone());
                }
            }
        }
        found
    }

    /// Every topic, claim and source page that shows something of what `changed` names.
    pub fn readers(&self, changed: &Changed) -> BTreeSet<Page> {
        let mut pages = BTreeSet::new();
        for id in &changed.claims {
            pages.insert(Page::Claim(id.clone()));
            for source in self.cites.of(id) {
                pages.insert(Page::Source(source.clone()));
            }
            for claim in self.replaced_by_chain_to(id) {
                pages.insert(Page::Claim(claim.clone()));
                for topic in self.refers.to(&claim) {
                    pages.insert(Page::Topic(topic.clone()));
                }
            }
        }
        for slug in &changed.topics {
            pages.insert(Page::Topic(slug.clone()));
        }
        // Which topics a claim or source page lists is its own back-link (a change to it
        // marks the claim or source); what it shows of each topic is the title.
        for slug in &changed.titles {
            pages.insert(Page::Topic(slug.clone()));
            for claim in self.refers.of(slug) {
                pages.insert(Page::Claim(claim.clone()));
            }
            for source in self.numbers.of(slug) {
                pages.insert(Page::Source(source.clone()));
            }
        }
        for id in &changed.sources {
            let superseded: Vec<&String> = self.superseded_by.to(id).collect();
            for source in std::iter::once(id).chain(superseded) {
                pages.insert(Page::Source(source.clone()));
                for claim in self.cites.to(source) {
                    pages.insert(Page::Claim(claim.clone()));
                }
                for topic in self.numbers.to(source) {
                    pages.insert(Page::Topic(topic.clone()));
                }
            }
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Corpus, parse_claim, parse_topic};

    /// A small site: `a` and `b` cite `s1`, `c` cites `s2` (superseded by `s1`); topic `t`
    /// embeds `a` and links to `c`, topic `u` embeds `b` and cites `s2` in prose; `r` is
    /// retired and replaced by `a`.
    fn site() -> KnowledgeBase {
        let mut corpus = Corpus::default();
        let mut d = crate::diag::Diagnostics::new();
        for (id, source, extra) in [
            ("a", "s1", ""),
            ("b", "s1", ""),
            ("c", "s2", ""),
            (
                "r",
                "s1",
                "review:\n  status: retired\n  retired:\n    reason: old\n    replaced_by: a\n",
            ),
        ] {
            let text = format!(
                "statement: Claim {id}.\nkind: finding\ncertainty: low\nsources:\n  - id: {source}\n{extra}"
            );
            let path = format!("content/{id}.yaml");
            corpus
                .claims
                .push(parse_claim(&text, &path, id, &corpus.config, &mut d).unwrap());
        }
        for (slug, body) in [
            ("t", "[[a]]\n\nSee [[c]] too.\n"),
            ("u", "[[b]]\n\nProse [@s2].\n"),
        ] {
            let text = format!("---\ntitle: {slug}\n---\n\n{body}");
            let path = format!("content/{slug}.md");
            corpus
                .topics
                .push(parse_topic(&text, &path, slug, &mut d).unwrap());
        }
        corpus.sources = crate::load::citations::read_file(
            "yaml",
            "- {id: s1, type: article-journal, title: One}\n- {id: s2, type: article-journal, title: Two, superseded_by: s1}\n",
            "citations/s.yaml",
            &mut d,
        )
        .unwrap();
        crate::resolve::resolve(
            corpus,
            "2026-11-29".parse().unwrap(),
            crate::model::face::Face::Preview,
        )
    }

    fn changed(claims: &[&str], topics: &[&str], sources: &[&str]) -> Changed {
        let set = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect();
        Changed {
            claims: set(claims),
            topics: set(topics),
            titles: BTreeSet::new(),
            sources: set(sources),
        }
    }

    fn names(pages: BTreeSet<Page>) -> Vec<String> {
        pages
            .into_iter()
            .map(|p| match p {
                Page::Topic(s) => format!("topic:{s}"),
                Page::Claim(s) => format!("claim:{s}"),
                Page::Source(s) => format!("source:{s}"),
            })
            .collect()
    }

    #[test]
    fn a_claim_reaches_its_topics_sources_and_the_claims_it_replaces() {
        let graph = DepGraph::of(&site());
        assert_eq!(
            names(graph.readers(&changed(&["a"], &[], &[]))),
            ["topic:t", "claim:a", "claim:r", "source:s1"]
        );
        // Linked to, not embedded: the link depends on whether the claim is published.
        assert_eq!(
            names(graph.readers(&changed(&["c"], &[], &[]))),
            ["topic:t", "claim:c", "source:s2"]
        );
    }

    #[test]
    fn a_topic_s_title_reaches_the_claims_and_sources_that_list_it() {
        let graph = DepGraph::of(&site());
        assert_eq!(
            names(graph.readers(&changed(&[], &["u"], &[]))),
            ["topic:u"]
        );
        let mut retitled = changed(&[], &["u"], &[]);
        retitled.titles.insert("u".into());
        assert_eq!(
            names(graph.readers(&retitled)),
            ["topic:u", "claim:b", "source:s1", "source:s2"]
        );
    }

    #[test]
    fn a_source_reaches_its_claims_topics_and_the_sources_it_supersedes() {
        let graph = DepGraph::of(&site());
        // s1's title shows on s2's page and wherever s2 is shown as superseded.
        assert_eq!(
            names(graph.readers(&changed(&[], &[], &["s1"]))),
            [
                "topic:t",
                "topic:u",
                "claim:a",
                "claim:b",
                "claim:c",
                "claim:r",
                "source:s1",
                "source:s2"
            ]
        );
    }

    #[test]
    fn edges_follow_an_item_through_removal_and_addition() {
        let kb = site();
        let full = DepGraph::of(&kb);
        let mut graph = full.clone();
        graph.remove_claim("r");
        assert!(graph.replaced_by_chain_to("a").len() == 1);
        graph.remove_topic("t");
        assert_eq!(graph.referring("a").count(), 0);
        graph.add_claim(&kb.claims["r"]);
        graph.add_topic(&kb.topics["t"]);
        assert_eq!(graph, full);
        assert_eq!(graph.citing("s1").count(), 3);
    }
}
