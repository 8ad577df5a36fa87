//! JSON Schemas of the file formats, for editors (`evident schema`): completion and checking
//! of claim files, front matter, sources and `evident.yaml` while typing, through
//! yaml-language-server.
//!
//! The loader reads YAML by hand (`fields.rs`), so these types are not what it parses into:
//! they only describe, field for field, what it accepts. The field lists of the loader
//! (`CLAIM_FIELDS`, …) and the enums' `NAMES` are the truth; the tests below compare the
//! schemas with them, so the two cannot drift apart. The schemas are advice to the editor:
//! `evident check` stays the judge (it also knows the site's audiences, reviewers and scales).

#![allow(
    dead_code,
    reason = "the schema types are never built; they exist to be described"
)]

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Code;
use crate::model::config::{EvidenceScale, RecommendationScale};
use crate::model::{Kind, Relation, ReviewAction, ReviewStatus};

/// The schemas `evident schema` writes, by file name.
pub fn all() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("claim.schema.json", schema::<ClaimFile>("claim")),
        ("topic.schema.json", schema::<TopicFrontMatter>("topic")),
        ("source.schema.json", schema::<SourceFile>("source")),
        ("evident.schema.json", schema::<ConfigFile>("evident")),
    ]
}

fn schema<T: JsonSchema>(name: &str) -> serde_json::Value {
    let mut value = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(drop_null))
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "$id".into(),
            format!("https://evident.invalid/schemas/{name}.schema.json").into(),
        );
    }
    value
}

/// Optional fields are `Option`s, which schemars lets be `null`; the loader reads an empty
/// value as a missing one, so the editor should offer no `null`: it is taken out again here.
fn drop_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    // `#[schemars(default)]` (which makes a `schema_with` field optional) documents `None`.
    if object.get("default") == Some(&serde_json::Value::Null) {
        object.remove("default");
    }
    if let Some(serde_json::Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            object.insert("type".into(), only);
        }
    }
    let null = serde_json::json!({ "type": "null" });
    if let Some(serde_json::Value::Array(any)) = object.get_mut("anyOf")
        && any.contains(&null)
    {
        any.retain(|s| *s != null);
        if let [only] = any.as_slice() {
            // `{"$ref"}` with siblings: draft 7 ignores a $ref's siblings, so it goes in allOf.
            let only = only.clone();
            object.remove("anyOf");
            object.insert("allOf".into(), serde_json::json!([only]));
        }
    }
}

/// A claim file: `content/**/*.yaml`, one claim per file, its id the file name.
#[derive(JsonSchema)]
#[schemars(title = "evident claim", deny_unknown_fields)]
pub struct ClaimFile {
    /// The claim in one or two sentences (Markdown), as clinicians read it.
    #[schemars(schema_with = "text")]
    statement: String,
    /// What the claim is. Findings and recommendations are graded.
    #[schemars(schema_with = "kind")]
    kind: String,
    /// The statement reworded for other audiences declared in evident.yaml: `audience-id: wording`.
    audiences: Option<BTreeMap<String, String>>,
    /// Certainty of the evidence, in the scale evident.yaml chooses (GRADE words or Oxford levels).
    #[schemars(default, schema_with = "certainty")]
    certainty: Option<String>,
    /// Why the certainty is what it is (downgrades, upgrades).
    #[schemars(default, schema_with = "text")]
    certainty_reason: Option<String>,
    /// A level of evidence in a named scale.
    level: Option<LevelEntry>,
    /// Strength of a recommendation, in the scale evident.yaml chooses.
    #[schemars(default, schema_with = "strength")]
    strength: Option<String>,
    /// What the claim rests on when it is not a study (e.g. a guideline's consensus).
    #[schemars(default, schema_with = "text")]
    basis: Option<String>,
    /// The sources the claim rests on.
    sources: Option<Vec<SourceLink>>,
    /// Free tags.
    tags: Option<Vec<String>>,
    /// Warnings silenced for this claim, each with its reason.
    allow: Option<Vec<AllowEntry>>,
    /// Figures in the statement computed from the quotes rather than quoted.
    derived: Option<Vec<DerivedEntry>>,
    /// Review state; written by `evident review`, best not edited by hand.
    review: Option<Review>,
}

/// A claim's link to a source.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SourceLink {
    /// The id of a source in citations/.
    id: String,
    /// Where in the source: a page, table or section.
    #[schemars(default, schema_with = "text")]
    locator: Option<String>,
    /// The passage that supports the claim, word for word.
    quote: Option<String>,
    /// How the source bears on the claim (default: supports).
    #[schemars(default, schema_with = "relation")]
    relation: Option<String>,
    /// The certainty the source itself reports for this finding (a guideline's graded
    /// recommendation, a GRADE-rated review), in the site's evidence scale; `locator` says
    /// where. grade-above-design then measures the claim against it, not the design.
    #[schemars(default, schema_with = "text")]
    graded: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct LevelEntry {
    /// The scale's name, e.g. oxford-cebm.
    scale: String,
    /// The kind of clinical question the level answers.
    #[schemars(default, schema_with = "question")]
    question: Option<String>,
    #[schemars(schema_with = "level_number")]
    level: String,
    #[schemars(default, schema_with = "level_number")]
    downgraded_from: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct AllowEntry {
    /// The diagnostic code to silence.
    #[schemars(schema_with = "code")]
    code: String,
    /// Why the warning does not apply; readers of the claim page see it.
    reason: String,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct DerivedEntry {
    /// The figure as written in the statement, e.g. "81.2-96.8%".
    #[schemars(schema_with = "text")]
    figure: String,
    /// How the figure was computed from the quote.
    reason: String,
}

/// The `review:` block of claims and topics.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Review {
    #[schemars(default, schema_with = "review_status")]
    status: Option<String>,
    history: Option<Vec<HistoryEntry>>,
    #[schemars(default, schema_with = "date")]
    next_review: Option<String>,
    retired: Option<RetiredEntry>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct HistoryEntry {
    #[schemars(schema_with = "date")]
    date: String,
    /// A reviewer id from evident.yaml.
    by: String,
    #[schemars(schema_with = "review_action")]
    action: String,
    note: Option<String>,
    fingerprint: Option<String>,
    approved: Option<ApprovedEntry>,
}

/// The wording an approval approved.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ApprovedEntry {
    statement: Option<String>,
    audiences: Option<BTreeMap<String, String>>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RetiredEntry {
    reason: String,
    /// The claim that replaces this one.
    replaced_by: Option<String>,
}

/// The front matter of a page: `content/**/*.md`, between the two `---` lines.
#[derive(JsonSchema)]
#[schemars(title = "evident topic front matter", deny_unknown_fields)]
pub struct TopicFrontMatter {
    #[schemars(schema_with = "text")]
    title: String,
    /// The clinical question the topic answers.
    question: Option<String>,
    summary: Option<String>,
    /// The page's address (default: the file name, or the folder's for index.md).
    slug: Option<String>,
    /// A topic (the default) or a plain page.
    #[schemars(default, schema_with = "page_kind")]
    kind: Option<String>,
    /// When a reader should get help: short lines of Markdown, shown under the heading "When
    /// to get help" after the statements on the page and on the handout.
    when_to_get_help: Option<Vec<String>>,
    /// The same advice under the heading "Contact us if" (give one of the two keys).
    contact_us_if: Option<Vec<String>>,
    review: Option<Review>,
}

/// A CSL-YAML file in citations/: one item or a list of items.
#[derive(JsonSchema)]
#[schemars(title = "evident sources (CSL-YAML)", untagged)]
pub enum SourceFile {
    // No doc comment: schemars would write it into the schema as this variant's description.
    #[allow(missing_docs)]
    Many(Vec<SourceItem>),
    // No doc comment: schemars would write it into the schema as this variant's description.
    #[allow(missing_docs)]
    One(Box<SourceItem>),
}

/// A CSL item (any CSL field is allowed) with evident's evidence fields beside it.
#[derive(JsonSchema)]
pub struct SourceItem {
    /// The source's id, cited as `[@id]` and linked from claims.
    #[schemars(schema_with = "text")]
    id: String,
    /// The CSL item type.
    #[schemars(rename = "type")]
    csl_type: Option<String>,
    title: Option<String>,
    #[schemars(rename = "container-title")]
    container_title: Option<String>,
    #[schemars(rename = "DOI")]
    doi: Option<String>,
    #[schemars(rename = "PMID")]
    #[schemars(default, schema_with = "text")]
    pmid: Option<String>,
    #[schemars(rename = "PMCID")]
    pmcid: Option<String>,
    #[schemars(rename = "URL")]
    url: Option<String>,
    author: Option<Vec<serde_json::Value>>,
    issued: Option<serde_json::Value>,
    /// Study design; bounds the certainty a claim resting on it can carry.
    #[schemars(default, schema_with = "design")]
    design: Option<String>,
    /// Participants (n).
    sample_size: Option<u64>,
    /// A short label shown instead of the formatted reference, e.g. "Seema 1997".
    label: Option<String>,
    /// `true`, or the retraction's date and notice.
    #[schemars(default, schema_with = "retracted")]
    retracted: Option<bool>,
    /// The id of the source that replaces this one.
    superseded_by: Option<String>,
}

/// The CSL fields the source schema names for completion; any other CSL field is allowed too.
pub const CSL_HINTS: &[&str] = &[
    "type",
    "title",
    "container-title",
    "DOI",
    "PMID",
    "PMCID",
    "URL",
    "author",
    "issued",
];

/// `evident.yaml`; every key is optional.
#[derive(JsonSchema)]
#[schemars(title = "evident site configuration", deny_unknown_fields)]
pub struct ConfigFile {
    /// The site's name, in page titles, the header and feeds (default: Knowledge base).
    title: Option<String>,
    /// One sentence about the site, for the home page's description (search engines, link
    /// previews).
    description: Option<String>,
    /// Where the site will live, for canonical URLs and feeds (default: https://example.org/).
    base_url: Option<String>,
    /// The site's language, e.g. en (default en).
    language: Option<String>,
    /// The scales certainty and strength are written in.
    grading: Option<GradingConfig>,
    /// The clinic or publisher a handout names: its name, phone number, web address and logo
    /// (a PNG, SVG or JPEG file of the site).
    contact: Option<ContactConfig>,
    /// Settings of the PDF handouts: `fonts`, font files of the site for the characters the
    /// built-in fonts lack.
    handout: Option<HandoutConfig>,
    /// What each certainty level means to a plain-language reader, by level of the evidence
    /// scale (high, moderate, low, very-low, not-applicable; or 1-5): overrides the default
    /// phrases ("based on limited research; we are not sure").
    certainty_words: Option<std::collections::BTreeMap<String, String>>,
    /// The audiences a claim may be reworded for, in the order their wordings are shown.
    audiences: Option<Vec<AudienceConfig>>,
    /// The reading level plain-language audiences' wordings should stay under.
    plain_language: Option<PlainLanguageConfig>,
    /// Who may appear as `by:` in a review history and as `--by` of `evident review`.
    reviewers: Option<Vec<ReviewerConfig>>,
    /// A CSL style name, e.g. vancouver (default), ama, apa, or the path of a .csl file.
    citation_style: Option<String>,
    /// The review policy: approvals, roles, quotes, what is published.
    review: Option<ReviewPolicyConfig>,
    /// Shown at the foot of every page and on handouts.
    disclaimer: Option<String>,
    /// A note shown on every page.
    notice: Option<String>,
    /// A folder of themes/, or default.
    theme: Option<String>,
    /// Links without the trailing index.html, for sites served by a web server.
    pretty_urls: Option<bool>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ContactConfig {
    /// The clinic's or publisher's name, as printed on handouts.
    name: String,
    /// The phone number to call, as printed.
    phone: Option<String>,
    /// The clinic's web address (http:// or https://).
    url: Option<String>,
    /// The path of a PNG, SVG or JPEG file inside the site, e.g. static/logo.svg.
    logo: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct HandoutConfig {
    /// Font files of the site (.otf, .ttf, .otc, .ttc; paths from the site's folder), tried in
    /// order for characters the fonts built into evident lack, before the machine's fonts.
    fonts: Option<Vec<String>>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct GradingConfig {
    /// The scale of claims' certainty: grade (high, moderate, low, very-low) or oxford-cebm (1-5); default grade.
    #[schemars(default, schema_with = "evidence_scale")]
    evidence: Option<String>,
    /// The scale of recommendations' strength: grade, sort, uspstf or nice; default grade.
    #[schemars(default, schema_with = "recommendation_scale")]
    recommendations: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct AudienceConfig {
    /// The key of a claim's wording under `audiences:`, e.g. patient.
    id: String,
    /// The audience's name as readers see it (default: the id).
    label: Option<String>,
    /// Its wordings are measured for reading level (Flesch–Kincaid grade, English sites
    /// only) against `plain_language.max_grade`; default true for the audience `patient`,
    /// false for any other.
    plain_language: Option<bool>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct PlainLanguageConfig {
    /// The Flesch–Kincaid grade plain-language wordings should not exceed, from 1 to 18
    /// (default 6, a reading age of about 11); above it, the warning `reading-level`.
    #[schemars(range(min = 1, max = 18))]
    max_grade: Option<f64>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ReviewerConfig {
    /// What review histories write as `by:` and `evident review --by` takes.
    id: String,
    /// Shown to readers (default: the id).
    name: Option<String>,
    /// Shown after the name, e.g. IBCLC.
    credentials: Option<String>,
    /// One of `review.roles` (compared ignoring case; default roles: author, clinical
    /// reviewer, editor); it decides the review actions the reviewer may take. Without a
    /// role, every action.
    role: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ReviewPolicyConfig {
    /// Days an approval stays current (default 365).
    max_age_days: Option<u32>,
    /// How many distinct reviewers must approve one version: a number (default 1), or a
    /// map by kind, e.g. {default: 1, recommendation: 2, topic: 1}.
    #[schemars(default, schema_with = "approvals")]
    approvals_required: Option<u32>,
    /// The review actions each role may take, e.g. {author: [submit], editor: [submit,
    /// start, approve, request-changes, retire]}; replaces the default map (author: submit;
    /// clinical reviewer: submit, start, approve, request-changes; editor: all five).
    #[schemars(default, schema_with = "roles")]
    roles: Option<BTreeMap<String, Vec<String>>>,
    /// Approving needs a quote on every source link (default true).
    require_quotes: Option<bool>,
    /// Whoever submitted may not approve (default true).
    forbid_self_approval: Option<bool>,
    /// approved (default; approved-only is read as the same): the public site shows each
    /// claim and topic exactly as it was approved, and nothing never approved;
    /// all-with-banner: everything, the unapproved under a banner (internal sites).
    #[schemars(default, schema_with = "publish")]
    publish: Option<String>,
    /// private (default): the review dashboard is only in the editors' preview; public: it
    /// is in the public site too.
    #[schemars(default, schema_with = "dashboard")]
    dashboard: Option<String>,
    /// private (default): review notes are only in the editors' preview; public: public
    /// pages show them too.
    #[schemars(default, schema_with = "notes")]
    notes: Option<String>,
}

/// The values the loader accepts for `review.publish` in evident.yaml.
pub const PUBLISH_NAMES: &[&str] = crate::model::config::Publish::NAMES;
/// The values the loader accepts for `review.dashboard` in evident.yaml.
pub const DASHBOARD_NAMES: &[&str] = &["private", "public"];
/// The values the loader accepts for `review.notes` in evident.yaml.
pub const NOTES_NAMES: &[&str] = &["private", "public"];
/// The values the loader accepts for `kind` in a page's front matter.
pub const PAGE_KIND_NAMES: &[&str] = &["topic", "page"];
/// The values the loader accepts for `question` in a claim's `level` block.
pub const QUESTION_NAMES: &[&str] = &[
    "treatment",
    "prognosis",
    "harm",
    "diagnosis",
    "prevalence",
    "screening",
];

/// `approvals_required`: a number of at least 1, or such numbers by kind.
fn approvals(_: &mut SchemaGenerator) -> Schema {
    let mut by_kind = serde_json::Map::new();
    for key in crate::model::config::Approvals::KEYS {
        by_kind.insert(
            (*key).to_string(),
            serde_json::json!({"type": "integer", "minimum": 1}),
        );
    }
    json_schema!({
        "anyOf": [
            {"type": "integer", "minimum": 1},
            {"type": "object", "properties": by_kind, "additionalProperties": false}
        ]
    })
}

/// `roles`: role name → the review actions it may take.
fn roles(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string", "enum": ReviewAction::NAMES}}
    })
}

fn names(names: &[&str]) -> Schema {
    json_schema!({ "type": "string", "enum": names })
}

/// Text fields: the loader reads a number or a boolean as its text, so those are fine too.
fn text(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "number", "boolean"] })
}

fn kind(_: &mut SchemaGenerator) -> Schema {
    names(Kind::NAMES)
}

fn relation(_: &mut SchemaGenerator) -> Schema {
    names(Relation::NAMES)
}

fn review_status(_: &mut SchemaGenerator) -> Schema {
    names(ReviewStatus::NAMES)
}

fn review_action(_: &mut SchemaGenerator) -> Schema {
    names(ReviewAction::NAMES)
}

fn question(_: &mut SchemaGenerator) -> Schema {
    names(QUESTION_NAMES)
}

fn page_kind(_: &mut SchemaGenerator) -> Schema {
    names(PAGE_KIND_NAMES)
}

fn evidence_scale(_: &mut SchemaGenerator) -> Schema {
    names(EvidenceScale::NAMES)
}

fn recommendation_scale(_: &mut SchemaGenerator) -> Schema {
    names(RecommendationScale::NAMES)
}

fn publish(_: &mut SchemaGenerator) -> Schema {
    names(PUBLISH_NAMES)
}

fn dashboard(_: &mut SchemaGenerator) -> Schema {
    names(DASHBOARD_NAMES)
}

fn notes(_: &mut SchemaGenerator) -> Schema {
    names(NOTES_NAMES)
}

fn code(_: &mut SchemaGenerator) -> Schema {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    names(&codes)
}

fn design(_: &mut SchemaGenerator) -> Schema {
    names(&crate::model::design_names())
}

/// `1` … `5`, written as numbers or as text.
fn level_number(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "enum": ["1", "2", "3", "4", "5", 1, 2, 3, 4, 5] })
}

/// Every certainty of every scale: the scale in force is evident.yaml's, which the editor
/// does not know; `evident check` holds each claim to it.
fn certainty(_: &mut SchemaGenerator) -> Schema {
    let mut values: Vec<serde_json::Value> = Vec::new();
    for scale in [EvidenceScale::Grade, EvidenceScale::OxfordCebm] {
        for level in scale.levels() {
            push_unique(&mut values, (*level).into());
            if let Ok(n) = level.parse::<u64>() {
                push_unique(&mut values, n.into());
            }
        }
    }
    json_schema!({ "enum": values })
}

/// Every strength of every recommendation scale, for the same reason.
fn strength(_: &mut SchemaGenerator) -> Schema {
    let mut values: Vec<serde_json::Value> = Vec::new();
    for scale in [
        RecommendationScale::Grade,
        RecommendationScale::Sort,
        RecommendationScale::Uspstf,
        RecommendationScale::Nice,
    ] {
        for strength in scale.strengths() {
            push_unique(&mut values, (*strength).into());
        }
    }
    json_schema!({ "type": "string", "enum": values })
}

fn push_unique(values: &mut Vec<serde_json::Value>, value: serde_json::Value) {
    if !values.contains(&value) {
        values.push(value);
    }
}

fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" })
}

fn retracted(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "boolean" },
            {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "date": { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" },
                    "notice": { "type": "string" }
                }
            }
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    fn properties(schema: &serde_json::Value, pointer: &str) -> Vec<String> {
        let mut names: Vec<String> = schema
            .pointer(pointer)
            .and_then(|p| p.as_object())
            .unwrap_or_else(|| panic!("no {pointer} in {schema:#}"))
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| (*s).to_string()).collect();
        names.sort();
        names
    }

    fn by_name(name: &str) -> serde_json::Value {
        all().into_iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn property_names_are_the_loaders_fields() {
        let claim = by_name("claim.schema.json");
        assert_eq!(
            properties(&claim, "/properties"),
            sorted(crate::load::CLAIM_FIELDS)
        );
        assert_eq!(
            properties(&claim, "/definitions/Review/properties"),
            sorted(crate::load::REVIEW_FIELDS)
        );
        let topic = by_name("topic.schema.json");
        assert_eq!(
            properties(&topic, "/properties"),
            sorted(crate::load::TOPIC_FIELDS)
        );
        let source = by_name("source.schema.json");
        let mut expected: Vec<&str> = vec!["id"];
        expected.extend(crate::load::citations::EVIDENCE_FIELDS);
        expected.extend(CSL_HINTS);
        assert_eq!(
            properties(&source, "/definitions/SourceItem/properties"),
            sorted(&expected)
        );
        let config = by_name("evident.schema.json");
        assert_eq!(
            properties(&config, "/properties"),
            sorted(crate::model::config::CONFIG_FIELDS)
        );
    }

    #[test]
    fn enums_are_the_models_names() {
        let claim = by_name("claim.schema.json");
        assert_eq!(
            claim["properties"]["kind"]["enum"],
            serde_json::json!(Kind::NAMES)
        );
        assert_eq!(
            claim["definitions"]["SourceLink"]["properties"]["relation"]["enum"],
            serde_json::json!(Relation::NAMES)
        );
        assert_eq!(
            claim["definitions"]["HistoryEntry"]["properties"]["action"]["enum"],
            serde_json::json!(ReviewAction::NAMES)
        );
        assert_eq!(claim["additionalProperties"], false);
        assert_eq!(claim["required"], serde_json::json!(["statement", "kind"]));
        let source = by_name("source.schema.json");
        assert!(source["definitions"]["SourceItem"]["additionalProperties"] != false);
    }

    /// Every nested property the schemas name is one the loader accepts: a file using them
    /// all gets no `unknown-field` diagnostic. (The top-level lists are compared above.)
    #[test]
    fn the_loader_accepts_every_nested_property() {
        let claim = "statement: x\nkind: finding\nlevel: {scale: s, question: harm, level: 2, downgraded_from: 1}\n\
            sources: [{id: a, locator: p. 1, quote: q, relation: supports, graded: low}]\n\
            allow: [{code: grade-above-design, reason: r}]\nderived: [{figure: '1', reason: r}]\n\
            review:\n  status: retired\n  next_review: 2026-01-01\n  retired: {reason: r, replaced_by: b}\n  history:\n\
            \x20   - {date: 2025-01-01, by: a, action: approve, note: n, fingerprint: f, approved: {statement: s, audiences: {p: w}}}\n";
        let mut d = Diagnostics::new();
        crate::load::parse_claim(
            claim,
            "c.yaml",
            "c",
            &crate::model::config::Config::default(),
            &mut d,
        );
        let unknown: Vec<_> = d
            .sorted()
            .into_iter()
            .filter(|d| d.code == Code::UnknownField)
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
        let schema = by_name("claim.schema.json");
        for (definition, keys) in [
            ("LevelEntry", "downgraded_from level question scale"),
            ("SourceLink", "graded id locator quote relation"),
            ("AllowEntry", "code reason"),
            ("DerivedEntry", "figure reason"),
            ("HistoryEntry", "action approved by date fingerprint note"),
            ("ApprovedEntry", "audiences statement"),
            ("RetiredEntry", "reason replaced_by"),
        ] {
            let pointer = format!("/definitions/{definition}/properties");
            assert_eq!(
                properties(&schema, &pointer).join(" "),
                keys,
                "{definition}"
            );
        }

        let config = "grading: {evidence: grade, recommendations: grade}\naudiences: [{id: a, label: A, plain_language: true}]\n\
            plain_language: {max_grade: 7}\n\
            contact: {name: N, phone: '1', url: 'https://example.org/', logo: l.svg}\n\
            handout: {fonts: [fonts/a.otf]}\n\
            reviewers: [{id: r, name: R, credentials: MD, role: x}]\n\
            review: {max_age_days: 1, approvals_required: {default: 1, topic: 2}, roles: {x: [submit]}, require_quotes: true, forbid_self_approval: true, publish: approved-only, dashboard: public, notes: public}\n";
        let mut d = Diagnostics::new();
        crate::model::config::Config::parse(config, "evident.yaml", &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        let schema = by_name("evident.schema.json");
        for (definition, keys) in [
            ("ContactConfig", "logo name phone url"),
            ("HandoutConfig", "fonts"),
            ("GradingConfig", "evidence recommendations"),
            ("AudienceConfig", "id label plain_language"),
            ("PlainLanguageConfig", "max_grade"),
            ("ReviewerConfig", "credentials id name role"),
            (
                "ReviewPolicyConfig",
                "approvals_required dashboard forbid_self_approval max_age_days notes publish require_quotes roles",
            ),
        ] {
            let pointer = format!("/definitions/{definition}/properties");
            assert_eq!(
                properties(&schema, &pointer).join(" "),
                keys,
                "{definition}"
            );
        }
    }

    /// Every key of evident.yaml, at any depth, says what it is for (`evident init`'s file
    /// points editors here and to the README).
    #[test]
    fn every_config_key_is_described() {
        fn walk(value: &serde_json::Value, at: &str, missing: &mut Vec<String>) {
            if let Some(properties) = value.get("properties").and_then(|p| p.as_object()) {
                for (key, property) in properties {
                    let described = property.get("description").is_some()
                        || property.get("$ref").is_some() && value.get("description").is_some();
                    if !described && property.get("$ref").is_none() {
                        missing.push(format!("{at}.{key}"));
                    }
                }
            }
        }
        let schema = by_name("evident.schema.json");
        let mut missing = Vec::new();
        walk(&schema, "evident.yaml", &mut missing);
        for (name, definition) in schema["definitions"].as_object().unwrap() {
            walk(definition, name, &mut missing);
        }
        // A key whose value is a definition is described by its own doc comment, which
        // schemars puts beside the `$ref`.
        for (key, property) in schema["properties"].as_object().unwrap() {
            if property.get("description").is_none() {
                missing.push(format!("evident.yaml.{key}"));
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "undescribed keys: {missing:?}");
    }

    /// The README's table of evident.yaml names every key (sections by `section.key`).
    #[test]
    fn the_readme_documents_every_config_key() {
        let readme = include_str!("../../README.md");
        let table = &readme[readme.find("### Site configuration").unwrap()..];
        let schema = by_name("evident.schema.json");
        let mut missing = Vec::new();
        for (key, property) in schema["properties"].as_object().unwrap() {
            let reference = property["allOf"][0]["$ref"].as_str().unwrap_or("");
            let nested = reference
                .strip_prefix("#/definitions/")
                .map(|name| properties(&schema, &format!("/definitions/{name}/properties")))
                .unwrap_or_default();
            if nested.is_empty() {
                if !table.contains(&format!("| `{key}` |")) {
                    missing.push(key.clone());
                }
            } else {
                for sub in nested {
                    if !table.contains(&format!("| `{key}.{sub}` |")) {
                        missing.push(format!("{key}.{sub}"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in the README: {missing:?}");
    }

    #[test]
    fn output_is_deterministic() {
        let a = serde_json::to_string(&all()).unwrap();
        let b = serde_json::to_string(&all()).unwrap();
        assert_eq!(a, b);
    }
}
