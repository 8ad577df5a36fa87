//! What a handout says, worked out from the knowledge base: plain data that both the print
//! HTML template and the Typst template read, so the two layouts can never disagree.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::runs::{Span, spans};
use serde::Serialize;

use super::clinic::{HandoutContact, HandoutHelp};
use super::words::{certainty_words, review_line};
use crate::model::config::Config;
use crate::model::{EffectiveStatus, PageKind, Source};
use crate::render::urls::{Links, PagePath};
use crate::render::view::reviewer_name;
use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedTopic};
use crate::text::markdown;

/// The mark printed on every page of a draft handout (and searched for by the tests).
pub const DRAFT_MARK: &str = "DRAFT — not reviewed";

/// Paper sizes a handout is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4 (210 × 297 mm); serialised as `a4`.
    A4,
    /// US Letter (8.5 × 11 in); serialised as `letter`.
    Letter,
}

impl Paper {
    /// The paper a name means, case-insensitively: `a4`, or `letter` / `us-letter`; None for
    /// any other name.
    pub fn from_name(name: &str) -> Option<Paper> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }

    /// The paper's lowercase id, `a4` or `letter`: the value the templates see in
    /// `paper`, and the suffix of a handout's file name when it differs from the site's.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// The paper people print on where the site's language is used: Letter for the regions
    /// that use it (North America and a few others), A4 everywhere else, including a bare
    /// language tag such as `en`, since most of the world prints on A4.
    pub fn for_language(language: &str) -> Paper {
        let region = language
            .split(['-', '_'])
            .nth(1)
            .unwrap_or("")
            .to_ascii_uppercase();
        match region.as_str() {
            "US" | "CA" | "MX" | "PH" | "CL" | "CO" | "VE" | "CR" | "GT" | "DO" | "PR" => {
                Paper::Letter
            }
            _ => Paper::A4,
        }
    }
}

/// How to make a handout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoutOptions {
    /// An audience id from evident.yaml; None: the first audience (or the plain statement).
    pub audience: Option<String>,
    /// None: the paper of the site's language ([`Paper::for_language`]).
    pub paper: Option<Paper>,
    /// Include claims not yet approved, and mark every page as a draft.
    pub draft: bool,
    /// Large print: a 16pt body and every smaller text scaled up to match (it may then take
    /// more than two pages).
    pub large_print: bool,
}

impl HandoutOptions {
    /// What `build` writes: the site's first audience and paper, approved claims only.
    pub fn site_default(config: &Config) -> HandoutOptions {
        HandoutOptions {
            audience: config.audiences.first().map(|a| a.id.clone()),
            paper: Some(Paper::for_language(&config.language)),
            draft: false,
            large_print: false,
        }
    }
}

/// Why a handout cannot be made; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoutError {
    /// No topic file has this slug.
    #[error("no topic `{slug}`{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownTopic {
        /// The slug asked for, as given.
        slug: String,
        /// The closest slug of a topic (never a plain page), when one is near enough to be a
        /// likely typo; None otherwise.
        suggestion: Option<String>,
    },
    /// The slug names a plain page (`kind: page`), which has no handout.
    #[error(
        "`{slug}` is a plain page (kind: page), not a topic; handouts are made for topics only"
    )]
    NotATopic {
        /// The plain page's slug.
        slug: String,
    },
    /// The audience asked for is not declared under `audiences:` in evident.yaml.
    #[error("no audience `{id}` in evident.yaml (audiences: {})", if .known.is_empty() { "none declared".to_string() } else { .known.join(", ") })]
    UnknownAudience {
        /// The audience id asked for, as given.
        id: String,
        /// The ids evident.yaml does declare, in its order; empty when it declares none.
        known: Vec<String>,
    },
}

/// One claim, in the wording for the handout's audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoutClaim {
    /// The claim's id. The default templates do not print it.
    pub id: String,
    /// The wording for the handout's audience, as plain text (the claim's `statement` when it
    /// has no wording for that audience, or the handout has no audience).
    pub text: String,
    /// The same wording as styled runs: what both default templates print as the claim.
    pub spans: Vec<Span>,
    /// Certainty in plain words, the site's `certainty_words:` phrase ("based on limited
    /// research; we are not sure"), "practical advice, not a research finding" for a practice
    /// point; for a recommendation its strength in plain words first ("suggested, based on
    /// …"). Printed in brackets after the claim.
    pub certainty: String,
    /// Reference numbers of this handout's own list ([`HandoutReference::number`]), in
    /// ascending order without repeats; empty when the claim cites no known source. Printed as
    /// "ref. 1, 3".
    pub refs: Vec<usize>,
    /// Whether the claim is effectively approved: always true unless the handout is a draft.
    pub approved: bool,
    /// For a claim not yet approved (drafts only): what its state is, e.g. "Not reviewed: In
    /// review", printed in bold red after the claim; None for an approved claim.
    pub status_note: Option<String>,
}

/// Claims under one of the topic's `##` headings (the first section may have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoutSection {
    /// The `##` heading's text, plain, printed as a level-2 heading; None for claims above the
    /// first heading.
    pub heading: Option<String>,
    /// Its claims, in page order (by where each is first embedded); never empty.
    pub claims: Vec<HandoutClaim>,
}

/// One entry of the handout's reference list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoutReference {
    /// Its number, as the claims' `refs` give it: from 1, in order of first use.
    pub number: usize,
    /// The Vancouver line: the source's formatted reference, plain text.
    pub text: String,
    /// Identifiers printed as text: "doi:10.…", "PMID: 123", the PMCID, or the source's web
    /// address where there is nothing else. Printed after the line, joined by ". "; empty when
    /// the source records none.
    pub identifiers: Vec<String>,
    /// Whether the source has been retracted (its evidence records a retraction); the templates
    /// then print "Retracted." in bold after the entry.
    pub retracted: bool,
}

/// Everything a handout says. Both templates see exactly this (the Typst one as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handout {
    /// The topic's slug. Not printed by the default templates; it names the handout's files.
    pub slug: String,
    /// The site's language tag (`en`, `en-GB`), for `<html lang>`.
    pub language: String,
    /// Its ISO 639 language part, checked, for Typst's `text(lang: …)`: two or three lowercase
    /// letters, `en` when the tag is unusable (Typst refuses anything else).
    pub lang: String,
    /// Its region part, checked (two uppercase letters), for Typst's `text(region: …)`; None
    /// when the tag has none or it is unusable.
    pub region: Option<String>,
    /// The site's name (`title` in evident.yaml): printed above the title and in the PDF
    /// footer, and the PDF's author.
    pub site_title: String,
    /// The question the topic answers (front matter `question:`; its title when it has none or
    /// it is blank): the handout's heading, `<title>` and PDF title.
    pub title: String,
    /// The topic's title (front matter `title:`), whatever the question; the PDF keywords
    /// carry it.
    pub topic_title: String,
    /// The summary (front matter `summary:`) as styled runs, printed under the title, when the
    /// topic's own text is approved (or the handout is a draft); None otherwise, or when the
    /// topic has no summary.
    pub summary: Option<Vec<Span>>,
    /// The same summary as plain text; None exactly when `summary` is. The default templates
    /// do not use it.
    pub summary_text: Option<String>,
    /// Said in place of the summary when it is awaiting review (the topic has a summary, its
    /// own text is not approved and the handout is not a draft); None otherwise.
    pub summary_note: Option<String>,
    /// The id of the audience whose wording the handout carries (the site's first audience by
    /// default); None on a site without audiences, where claims show their `statement`.
    pub audience: Option<String>,
    /// That audience's name (its `label` in evident.yaml), printed as "Written for: …"; None
    /// exactly when `audience` is.
    pub audience_label: Option<String>,
    /// The paper laid out for, serialised as `a4` or `letter` (by default the paper of the
    /// site's language): the page size of both templates.
    pub paper: Paper,
    /// Whether this is a draft handout: claims not yet approved are included, and every page
    /// carries `draft_mark`.
    pub draft: bool,
    /// The mark printed at the top of every page of a draft ([`DRAFT_MARK`]); present, but not
    /// printed, when `draft` is false.
    pub draft_mark: &'static str,
    /// Whether this is the large-print handout (`--large-print`): a 16pt body.
    pub large_print: bool,
    /// The clinic or publisher handing the handout over (`contact:` in evident.yaml), printed
    /// at the top of the first page; None when the site names none.
    pub contact: Option<HandoutContact>,
    /// The topic's advice on when to get help (front matter `when_to_get_help:` or
    /// `contact_us_if:`), printed in a box after the statements, when the topic's own text is
    /// approved (or the handout is a draft); None otherwise, or when the topic gives none — then
    /// there is no such section at all.
    pub help: Option<HandoutHelp>,
    /// Said in place of that advice when it is awaiting review; None otherwise.
    pub help_note: Option<String>,
    /// The claims, in page order, grouped under the topic's `##` headings; retired claims
    /// never show. Empty when no claim is left to show.
    pub sections: Vec<HandoutSection>,
    /// How many claims the handout carries, over all sections; at 0 the templates say that no
    /// statement has been reviewed yet.
    pub claim_count: usize,
    /// Claims left out because they are not approved (0 in drafts).
    pub omitted: usize,
    /// A sentence saying how many were left out ("3 statements awaiting review are not
    /// included."), printed as a note; None when none were.
    pub omitted_note: Option<String>,
    /// Claims left out because a source they cite was retracted after their approval (0 in
    /// drafts, which show them with their status).
    pub withdrawn: usize,
    /// "One statement is withdrawn pending review." (or "N statements are …"), printed as a
    /// prominent note; None when none is.
    pub withdrawn_note: Option<String>,
    /// The handout's own numbered reference list, in order of first use by the claims shown;
    /// only sources the knowledge base knows. Empty: no References section.
    pub references: Vec<HandoutReference>,
    /// The public face's review line, "Reviewed by NAME, CREDENTIALS on 2026-11-20 · Next
    /// review due 2027-11-20", or why there is none: the topic's own review, in one line,
    /// printed above the references.
    pub review_line: String,
    /// The date (YYYY-MM-DD) of the last approval of the topic's own text, even when it has
    /// changed since; None when it was never approved. The HTML handout's JSON-LD
    /// `lastReviewed`.
    pub last_reviewed: Option<String>,
    /// Who gave that approval, by name and credentials ("Ann Lee, IBCLC"; the reviewer id
    /// when evident.yaml does not list them); None exactly when `last_reviewed` is.
    pub reviewed_by: Option<String>,
    /// When the topic's next review is due (YYYY-MM-DD); None unless its recorded status is
    /// approved.
    pub next_review: Option<String>,
    /// The site's disclaimer (`disclaimer` in evident.yaml), printed in bold in the footer.
    pub disclaimer: String,
    /// The site's notice (`notice` in evident.yaml), printed after the disclaimer; None when
    /// it sets none.
    pub notice: Option<String>,
    /// The live topic page, as an absolute URL: `base_url` from evident.yaml followed by the
    /// topic's path. Printed in the footer and encoded in the QR code.
    pub url: String,
    /// The QR code of `url`, an SVG document with its XML declaration (None when the URL is
    /// too long to encode). `handout.html` receives it, inlined and marked safe, as the
    /// separate variable `qr_svg`; `handout.typ` reads it as the image `qr.svg`.
    pub qr_svg: Option<String>,
    /// The handout's date (YYYY-MM-DD): the latest review date of what it shows (the claims'
    /// last approvals and the topic's last review event); `2000-01-01` when there is none. The
    /// PDF's creation date, so the same content gives the same bytes whatever day it is built.
    pub date: String,
    /// A stable identity for the PDF's document id:
    /// `evident-handout/<slug>/<audience or "statement">/<paper>/<draft or "reviewed">`, with
    /// `/large-print` after it for a large-print handout.
    pub document_id: String,
}

/// Works out the handout of topic `slug`.
pub fn handout(
    kb: &KnowledgeBase,
    slug: &str,
    options: &HandoutOptions,
) -> Result<Handout, HandoutError> {
    let topic = kb
        .topics
        .get(slug)
        .ok_or_else(|| HandoutError::UnknownTopic {
            slug: slug.to_string(),
            suggestion: crate::text::fields::closest(
                slug,
                kb.topic_pages().map(|t| t.topic.slug.value.as_str()),
            )
            .map(str::to_string),
        })?;
    if topic.topic.page_kind == PageKind::Page {
        return Err(HandoutError::NotATopic {
            slug: slug.to_string(),
        });
    }
    let config = &kb.config;
    let audience = match &options.audience {
        Some(id) => Some(
            config
                .audiences
                .iter()
                .find(|a| a.id == *id)
                .ok_or_else(|| HandoutError::UnknownAudience {
                    id: id.clone(),
                    known: config.audiences.iter().map(|a| a.id.clone()).collect(),
                })?,
        ),
        None => config.audiences.first(),
    };
    let paper = options
        .paper
        .unwrap_or_else(|| Paper::for_language(&config.language));

    // Claims in page order, grouped under the page's `##` headings; retired ones never show.
    let headings = section_headings(topic);
    let mut sections: Vec<HandoutSection> = Vec::new();
    let mut references: Vec<String> = Vec::new();
    let mut omitted = 0usize;
    let mut withdrawn = 0usize;
    let mut dates = Vec::new();
    for id in &topic.claims {
        let Some(claim) = kb.claims.get(id) else {
            continue;
        };
        if claim.status == EffectiveStatus::Retired {
            continue;
        }
        let approved = claim.status.is_approved();
        if !options.draft && claim.status == EffectiveStatus::CitesRetracted && claim.published {
            withdrawn += 1;
            continue;
        }
        let shown = approved && claim.published;
        if !shown && !options.draft {
            omitted += 1;
            continue;
        }
        if let Some(approval) = claim.claim.review.last_approval() {
            dates.push(approval.date);
        }
        let refs = claim_refs(kb, claim, &mut references);
        let wording = match audience {
            Some(a) => claim.claim.wording(&a.id),
            None => &claim.claim.statement.value,
        };
        let entry = HandoutClaim {
            id: id.clone(),
            text: markdown::plain_text(wording),
            spans: spans(wording),
            certainty: certainty_words(config, claim),
            refs,
            approved,
            status_note: (!approved).then(|| format!("Not reviewed: {}", claim.status.label())),
        };
        let heading = heading_for(topic, id, &headings);
        match sections.last_mut() {
            Some(section) if section.heading == heading => section.claims.push(entry),
            _ => sections.push(HandoutSection {
                heading,
                claims: vec![entry],
            }),
        }
    }
    let claim_count = sections.iter().map(|s| s.claims.len()).sum();

    let t = &topic.topic;
    let own_approved = topic.own_status.is_approved();
    let show_summary = own_approved || options.draft;
    let summary = t.summary.as_deref().filter(|_| show_summary);
    let summary_note = (t.summary.is_some() && !show_summary)
        .then(|| "The summary of this topic is awaiting review and is not included.".to_string());
    let help = t
        .help
        .as_ref()
        .filter(|_| show_summary)
        .map(HandoutHelp::of);
    let help_note = (t.help.is_some() && !show_summary).then(|| {
        "The advice on when to get help is awaiting review and is not included.".to_string()
    });

    let approval = t.review.last_approval();
    if let Some(entry) = t.review.last_entry() {
        dates.push(entry.date);
    }
    let last_reviewed = approval.map(|a| a.date.to_string());
    let reviewed_by = approval.map(|a| reviewer_name(config, &a.by.value));
    let next_review = topic.due.map(|d| d.to_string());
    let review_line = review_line(topic, config);

    let links = Links::new(&PagePath::home(), config.pretty_urls, &config.base_url);
    let url = links.canonical(&PagePath::topic(slug));
    let date = dates
        .iter()
        .max()
        .map_or_else(|| "2000-01-01".to_string(), |d| d.to_string());
    let (lang, region) = language_parts(&config.language);

    Ok(Handout {
        slug: slug.to_string(),
        language: config.language.clone(),
        lang,
        region,
        site_title: config.title.clone(),
        title: t
            .question
            .clone()
            .filter(|q| !q.trim().is_empty())
            .unwrap_or_else(|| t.title.clone()),
        topic_title: t.title.clone(),
        summary: summary.map(spans),
        summary_text: summary.map(markdown::plain_text),
        summary_note,
        audience: audience.map(|a| a.id.clone()),
        audience_label: audience.map(|a| a.label.clone()),
        paper,
        draft: options.draft,
        draft_mark: DRAFT_MARK,
        large_print: options.large_print,
        contact: config.contact.as_ref().map(HandoutContact::of),
        help,
        help_note,
        sections,
        claim_count,
        omitted,
        omitted_note: omitted_note(omitted),
        withdrawn,
        withdrawn_note: withdrawn_note(withdrawn),
        references: references
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                kb.sources
                    .get(id)
                    .map(|s| reference(i + 1, &s.source, s.reference(&kb.style)))
            })
            .collect(),
        review_line,
        last_reviewed,
        reviewed_by,
        next_review,
        disclaimer: config.disclaimer.clone(),
        notice: config.notice.clone(),
        qr_svg: super::qr::svg(&url),
        url,
        date,
        document_id: format!(
            "evident-handout/{slug}/{}/{}/{}{}",
            audience.map_or("statement", |a| a.id.as_str()),
            paper.name(),
            if options.draft { "draft" } else { "reviewed" },
            if options.large_print {
                "/large-print"
            } else {
                ""
            }
        ),
    })
}

fn omitted_note(omitted: usize) -> Option<String> {
    match omitted {
        0 => None,
        1 => Some("1 statement awaiting review is not included.".into()),
        n => Some(format!("{n} statements awaiting review are not included.")),
    }
}

fn withdrawn_note(withdrawn: usize) -> Option<String> {
    match withdrawn {
        0 => None,
        1 => Some(
            "One statement is withdrawn pending review: a source it cites was retracted.".into(),
        ),
        n => Some(format!(
            "{n} statements are withdrawn pending review: a source they cite was retracted."
        )),
    }
}

/// Numbers a claim's sources in the handout's own list (order of first use).
fn claim_refs(
    kb: &KnowledgeBase,
    claim: &ResolvedClaim,
    references: &mut Vec<String>,
) -> Vec<usize> {
    let mut numbers = BTreeSet::new();
    for link in &claim.claim.sources {
        if !kb.sources.contains_key(&link.id.value) {
            continue;
        }
        let number = match references.iter().position(|r| *r == link.id.value) {
            Some(i) => i + 1,
            None => {
                references.push(link.id.value.clone());
                references.len()
            }
        };
        numbers.insert(number);
    }
    numbers.into_iter().collect()
}

fn reference(number: usize, source: &Source, text: &str) -> HandoutReference {
    let mut identifiers = Vec::new();
    if let Some(doi) = source.doi() {
        identifiers.push(format!(
            "doi:{}",
            doi.trim().trim_start_matches("https://doi.org/")
        ));
    }
    if let Some(pmid) = source.pmid() {
        identifiers.push(format!("PMID: {pmid}"));
    }
    if let Some(pmcid) = source.pmcid() {
        identifiers.push(pmcid.to_string());
    }
    if identifiers.is_empty()
        && let Some(url) = source
            .csl_str("URL")
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    {
        identifiers.push(url.to_string());
    }
    HandoutReference {
        number,
        text: text.to_string(),
        identifiers,
        retracted: source.evidence.retracted.is_some(),
    }
}

/// `##` headings of a topic body with the file line each starts on.
fn section_headings(topic: &ResolvedTopic) -> Vec<(u32, String)> {
    let body = &topic.topic.body;
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                let (line, _) = crate::text::line_column(body, range.start);
                current = Some((line + topic.topic.body_line, String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading)) = current.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((line, heading)) = current.take() {
                    out.push((line, heading.trim().to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

/// The `##` heading above a claim's first embed.
fn heading_for(topic: &ResolvedTopic, id: &str, headings: &[(u32, String)]) -> Option<String> {
    let line = topic
        .topic
        .references
        .iter()
        .find(|r| r.id == id && r.kind == crate::model::PageRefKind::Embed)?
        .line;
    headings
        .iter()
        .rev()
        .find(|(at, _)| *at <= line)
        .map(|(_, h)| h.clone())
}

/// Splits a language tag into a checked ISO 639 code and region for Typst, which refuses
/// anything else; an unusable tag falls back to English rather than failing the build.
fn language_parts(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or("").to_ascii_lowercase();
    let lang = if (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase()) {
        lang
    } else {
        "en".to_string()
    };
    let region = parts
        .next()
        .map(str::to_ascii_uppercase)
        .filter(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()));
    (lang, region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_follows_the_region() {
        assert_eq!(Paper::for_language("en"), Paper::A4);
        assert_eq!(Paper::for_language("en-GB"), Paper::A4);
        assert_eq!(Paper::for_language("en-US"), Paper::Letter);
        assert_eq!(Paper::for_language("fr_ca"), Paper::Letter);
        assert_eq!(Paper::from_name("Letter"), Some(Paper::Letter));
        assert_eq!(Paper::from_name("a5"), None);
    }

    #[test]
    fn language_tags_are_checked() {
        assert_eq!(language_parts("en"), ("en".into(), None));
        assert_eq!(language_parts("en-gb"), ("en".into(), Some("GB".into())));
        assert_eq!(language_parts("\"; evil"), ("en".into(), None));
    }

    #[test]
    fn omitted_note_counts() {
        assert_eq!(omitted_note(0), None);
        assert_eq!(
            omitted_note(1).as_deref(),
            Some("1 statement awaiting review is not included.")
        );
        assert_eq!(
            omitted_note(13).as_deref(),
            Some("13 statements awaiting review are not included.")
        );
    }
}
