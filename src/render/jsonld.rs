//! schema.org JSON-LD for the pages of a site: what a search engine reads of a topic, a claim
//! and a source, written safe to sit inside a `<script>` element.

use serde::Serialize;

use crate::render::urls::PagePath;
use crate::render::view::{self, PageView};
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedSource, ResolvedTopic};
use crate::text::markdown;

/// schema.org JSON-LD, safe inside `<script>`: `<`, `>` and `&` are written as JSON escapes.
fn script_json(value: &impl Serialize) -> String {
    crate::text::escape::script_json(&serde_json::to_string(value).unwrap_or_else(|_| "{}".into()))
}

/// schema.org JSON-LD of a page. Topic pages are `MedicalWebPage`s with the facts a reader
/// and a search engine look for: when and by whom the text was last reviewed, for whom it is
/// written and what it cites. Other pages are plain `WebPage`s of the site.
pub(crate) fn json_ld_page(
    kb: &KnowledgeBase,
    kind: &str,
    title: &str,
    description: &str,
    url: &str,
    topic: Option<&ResolvedTopic>,
) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if kind == "topic" { "MedicalWebPage" } else { "WebPage" },
        "name": markdown::plain_text(title),
        "url": url,
        "inLanguage": kb.config.language,
        "isPartOf": {"@type": "WebSite", "name": kb.config.title, "url": kb.config.base_url},
    });
    if !description.is_empty() {
        doc["description"] = markdown::plain_text(description).into();
    }
    if let Some(topic) = topic {
        if let Some(approval) = topic.topic.review.last_approval() {
            doc["lastReviewed"] = approval.date.to_string().into();
            doc["reviewedBy"] = person_ld(kb, &approval.by.value);
        }
        if !topic.claims.is_empty() {
            add_audiences(kb, &mut doc);
        }
        let citations: Vec<_> = topic
            .references
            .iter()
            .filter_map(|id| kb.sources.get(id))
            .map(|s| citation_ld(kb, s))
            .collect();
        if !citations.is_empty() {
            doc["citation"] = citations.into();
        }
    }
    script_json(&doc)
}

/// A reviewer as a schema.org `Person`, with credentials when the configuration gives them.
fn person_ld(kb: &KnowledgeBase, id: &str) -> serde_json::Value {
    let mut person =
        serde_json::json!({"@type": "Person", "name": view::reviewer_name(&kb.config, id)});
    if let Some(reviewer) = kb.config.reviewer(id) {
        person["name"] = reviewer.name.clone().into();
        if let Some(credentials) = &reviewer.credentials {
            person["hasCredential"] = credentials.clone().into();
        }
    }
    person
}

/// The site's audiences (the wordings a reader can choose between).
fn add_audiences(kb: &KnowledgeBase, doc: &mut serde_json::Value) {
    let audiences: Vec<_> = kb
        .config
        .audiences
        .iter()
        .map(|a| serde_json::json!({"@type": "Audience", "audienceType": a.label}))
        .collect();
    if !audiences.is_empty() {
        doc["audience"] = audiences.into();
    }
}

/// A source as schema.org: a `ScholarlyArticle` for journal articles, a `CreativeWork`
/// otherwise, with its DOI, PubMed id and year when known.
fn citation_ld(kb: &KnowledgeBase, source: &ResolvedSource) -> serde_json::Value {
    let s = &source.source;
    let kind = match s.csl_str("type") {
        Some("article-journal" | "article") => "ScholarlyArticle",
        _ => "CreativeWork",
    };
    let mut c = serde_json::json!({
        "@type": kind,
        "name": s.title(),
        "url": format!("{}{}", kb.config.base_url, PagePath::source(&s.slug).0),
    });
    if let Some(doi) = s.doi() {
        c["sameAs"] = format!("https://doi.org/{doi}").into();
    }
    if let Some(pmid) = s.pmid() {
        c["identifier"] =
            serde_json::json!({"@type": "PropertyValue", "propertyID": "PMID", "value": pmid});
    }
    if let Some(year) = s.year() {
        c["datePublished"] = year.to_string().into();
    }
    c
}

/// A claim page: a `MedicalWebPage` whose main entity is the `Claim`, with its certainty of
/// evidence. schema.org has no evidence property on `Claim`; `evidenceLevel` is borrowed from
/// `MedicalGuideline`, and `evidenceLevel`'s text is the site's scale label ("Low").
pub(crate) fn json_ld_claim(kb: &KnowledgeBase, claim: &ResolvedClaim, page: &PageView) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "url": page.canonical,
        "inLanguage": kb.config.language,
        "isPartOf": {"@type": "WebSite", "name": kb.config.title, "url": kb.config.base_url},
        "mainEntity": {
            "@type": "Claim",
            "text": markdown::plain_text(&claim.claim.statement.value),
            "additionalType": claim.claim.kind.name(),
        },
    });
    if let Some(certainty) = &claim.claim.certainty {
        doc["mainEntity"]["evidenceLevel"] =
            kb.config.grading.evidence.label(&certainty.value).into();
    }
    if let Some(strength) = &claim.claim.strength {
        doc["mainEntity"]["recommendationStrength"] = kb
            .config
            .grading
            .recommendations
            .label(&strength.value)
            .into();
    }
    let citations: Vec<_> = claim
        .claim
        .sources
        .iter()
        .filter_map(|l| kb.sources.get(&l.id.value))
        .map(|s| citation_ld(kb, s))
        .collect();
    if !citations.is_empty() {
        doc["mainEntity"]["citation"] = citations.clone().into();
        doc["citation"] = citations.into();
    }
    add_audiences(kb, &mut doc);
    if let Some(approval) = claim.claim.review.last_approval() {
        doc["lastReviewed"] = approval.date.to_string().into();
        doc["reviewedBy"] = person_ld(kb, &approval.by.value);
    }
    script_json(&doc)
}

/// A source page: a `WebPage` about the work it describes.
pub(crate) fn json_ld_source(
    kb: &KnowledgeBase,
    source: &ResolvedSource,
    page: &PageView,
) -> String {
    let mut about = citation_ld(kb, source);
    if let Some(map) = about.as_object_mut() {
        // The page is the work's record here; the work itself lives at its DOI.
        map.remove("url");
    }
    let doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": page.title,
        "url": page.canonical,
        "inLanguage": kb.config.language,
        "isPartOf": {"@type": "WebSite", "name": kb.config.title, "url": kb.config.base_url},
        "about": about,
    });
    script_json(&doc)
}
