//! Approval fingerprints (DESIGN §5): a version, `:`, and blake3 of the canonical JSON (sorted
//! keys, no whitespace) of exactly what a reviewer approved. Formatting the YAML differently
//! never changes a fingerprint; changing a word, a number, a quote, a relation or a cited
//! source's identity always does.
//!
//! Versions: a claim's `v2:` covers `v1:`'s fields plus its `allow:` entries (code and
//! reason: the reviewer approves the reason too) and each source link's `graded:`. New
//! approvals record `v2:`; an approval recorded as `v1:` is still verified against the v1
//! document ([`claim_as`]), so sites approved before v2 keep their approvals. A topic's
//! fingerprint covers what it did and stays `v1:`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::idmap::IdMap;
use crate::model::{Claim, Source, Topic};

/// The version of what a new claim fingerprint covers and how it is written: the part
/// before the `:` (`v2:` + 64 hex digits). Fingerprints are compared as whole strings, so
/// one is verified by computing the current content's fingerprint in its own version.
pub const VERSION: &str = "v2";

/// The version of topic fingerprints (what they cover did not change with claims' v2).
pub const TOPIC_VERSION: &str = "v1";

/// The claim fingerprint versions evident can verify, oldest first.
pub const CLAIM_VERSIONS: &[&str] = &["v1", "v2"];

/// The fingerprint of a claim, given the sources it may cite (by id), in [`VERSION`].
pub fn claim(claim: &Claim, sources: &IdMap<Source>) -> String {
    digest_as(VERSION, &claim_document(claim, sources))
}

/// The claim's fingerprint in `version` (one of [`CLAIM_VERSIONS`]), to verify an approval
/// recorded in that version; None for a version evident does not know.
pub fn claim_as(claim: &Claim, sources: &IdMap<Source>, version: &str) -> Option<String> {
    let doc = match version {
        "v1" => v1_document(claim, sources),
        "v2" => claim_document(claim, sources),
        _ => return None,
    };
    Some(digest_as(version, &doc))
}

/// The version a recorded fingerprint was written in (the text before its `:`).
pub fn version_of(fingerprint: &str) -> &str {
    fingerprint.split_once(':').map_or("", |(v, _)| v)
}

/// What a claim's current (v2) fingerprint covers, as JSON: the v1 document, each source
/// link with its `graded`, and the `allow` entries (code and reason), sorted.
pub fn claim_document(claim: &Claim, sources: &IdMap<Source>) -> Value {
    let mut doc = v1_document(claim, sources);
    if let Value::Object(map) = &mut doc {
        if let Some(Value::Array(links)) = map.get_mut("sources") {
            for (value, link) in links.iter_mut().zip(&claim.sources) {
                if let Value::Object(fields) = value {
                    fields.insert(
                        "graded".into(),
                        json!(link.graded.as_ref().map(|g| g.value.as_str())),
                    );
                }
            }
        }
        let mut allow: Vec<(&str, &str)> = claim
            .allow
            .iter()
            .map(|a| (a.code.trim(), a.reason.trim()))
            .collect();
        allow.sort_unstable();
        let allow: Vec<Value> = allow
            .into_iter()
            .map(|(code, reason)| json!({"code": code, "reason": reason}))
            .collect();
        map.insert("allow".into(), Value::Array(allow));
    }
    doc
}

/// What a `v1:` fingerprint covers (DESIGN §5's field list).
fn v1_document(claim: &Claim, sources: &IdMap<Source>) -> Value {
    let mut doc = Map::new();
    doc.insert("kind".into(), json!(claim.kind.name()));
    doc.insert("statement".into(), text(&claim.statement.value));
    let audiences: Map<String, Value> = claim
        .audiences
        .iter()
        .map(|(a, w)| (a.value.clone(), text(&w.value)))
        .collect();
    doc.insert("audiences".into(), Value::Object(audiences));
    insert_opt(
        &mut doc,
        "certainty",
        claim.certainty.as_ref().map(|c| c.value.as_str()),
    );
    insert_opt(
        &mut doc,
        "certainty_reason",
        claim.certainty_reason.as_deref(),
    );
    if let Some(level) = &claim.level {
        doc.insert(
            "level".into(),
            json!({"scale": level.scale, "question": level.question, "level": level.level, "downgraded_from": level.downgraded_from}),
        );
    }
    insert_opt(
        &mut doc,
        "strength",
        claim.strength.as_ref().map(|s| s.value.as_str()),
    );
    insert_opt(&mut doc, "basis", claim.basis.as_deref());
    let links: Vec<Value> = claim
        .sources
        .iter()
        .map(|link| {
            json!({
                "id": link.id.value,
                "locator": link.locator.as_deref().map(str::trim),
                "quote": link.quote.as_ref().map(|q| q.value.trim()),
                "relation": link.relation.name(),
            })
        })
        .collect();
    doc.insert("sources".into(), Value::Array(links));
    doc.insert("cited".into(), cited(claim, |id| sources.get(id)));
    Value::Object(doc)
}

/// The identities of the sources a claim cites, as its fingerprint covers them, in id order.
/// An approved version keeps them beside it (`reviewed/`): its sources may change later (a
/// retraction), and the approval must still be verifiable against what the reviewer saw.
pub fn cited<'a>(claim: &Claim, source: impl Fn(&str) -> Option<&'a Source>) -> Value {
    let mut cited: BTreeMap<&str, Value> = BTreeMap::new();
    for link in &claim.sources {
        let id = link.id.value.as_str();
        let identity = match source(id) {
            Some(source) => source_identity(source),
            None => json!({"id": id}),
        };
        cited.insert(id, identity);
    }
    Value::Array(cited.into_values().collect())
}

/// The claim's fingerprint in `version` (as [`claim_as`]) with its cited sources' identities
/// given as [`cited`] wrote them, rather than looked up: how an approved version is checked
/// against its approval. None for a version evident does not know.
pub fn claim_with_cited(claim: &Claim, cited: Value, version: &str) -> Option<String> {
    let no_sources = IdMap::new();
    let mut doc = match version {
        "v1" => v1_document(claim, &no_sources),
        "v2" => claim_document(claim, &no_sources),
        _ => return None,
    };
    if let Value::Object(map) = &mut doc {
        map.insert("cited".into(), cited);
    }
    Some(digest_as(version, &doc))
}

/// A source's identity: what makes a citation point at this work and not another.
fn source_identity(source: &Source) -> Value {
    json!({
        "id": source.id,
        "DOI": source.doi().map(|d| d.trim().to_ascii_lowercase()),
        "PMID": source.pmid().map(str::trim),
        "PMCID": source.pmcid().map(str::trim),
        "title": source.csl_str("title").map(str::trim),
        "year": source.year(),
        "retracted": source.evidence.retracted.is_some(),
        "superseded_by": source.evidence.superseded_by,
    })
}

/// The fingerprint of a topic's own content: front matter without `review`, the body and the
/// list of claims it embeds (not their content: claims have their own reviews).
pub fn topic(topic: &Topic) -> String {
    let body = topic.body.replace("\r\n", "\n");
    let embeds: Vec<&str> = topic.embedded_claims();
    digest_as(
        TOPIC_VERSION,
        &json!({
            "front_matter": topic.front_matter,
            "body": body.trim_end(),
            "embeds": embeds,
        }),
    )
}

fn text(value: &str) -> Value {
    Value::String(value.trim().to_string())
}

fn insert_opt(doc: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        doc.insert(key.into(), text(v));
    }
}

/// `version` + `:` + blake3 hex of the canonical JSON.
pub fn digest_as(version: &str, value: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(value, &mut canonical);
    format!("{version}:{}", blake3::hash(canonical.as_bytes()).to_hex())
}

/// JSON with object keys sorted and no whitespace, written by hand so that no serde_json
/// feature (such as `preserve_order`, which another crate may switch on) can change it.
pub fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::load::parse_claim;
    use crate::model::config::Config;

    fn fp(text: &str) -> String {
        let mut d = Diagnostics::new();
        let claim = parse_claim(text, "c.yaml", "c", &Config::default(), &mut d).unwrap();
        claim_fp(&claim)
    }

    fn claim_fp(claim: &Claim) -> String {
        claim_with(claim, &IdMap::new())
    }

    fn claim_with(claim: &Claim, sources: &IdMap<Source>) -> String {
        super::claim(claim, sources)
    }

    const BASE: &str = "statement: 98% relactated.\nkind: finding\ncertainty: low\nsources:\n  - id: s1\n    quote: \"98 per cent\"\n";

    #[test]
    fn is_versioned_and_stable() {
        let a = fp(BASE);
        assert!(a.starts_with("v2:"));
        assert_eq!(a.len(), 3 + 64);
        assert_eq!(a, fp(BASE));
    }

    #[test]
    fn reformatting_does_not_change_it() {
        let reordered = "# a comment\nkind: finding\nsources:\n  - quote: '98 per cent'\n    id: s1\n    relation: supports\ncertainty: low\nstatement: >\n  98% relactated.\nreview:\n  status: draft\ntags: [x]\n";
        assert_eq!(fp(BASE), fp(reordered));
    }

    #[test]
    fn content_changes_change_it() {
        let base = fp(BASE);
        for changed in [
            BASE.replace("98% relactated", "97% relactated"),
            BASE.replace("98 per cent", "97 per cent"),
            BASE.replace("certainty: low", "certainty: moderate"),
            BASE.replace("kind: finding", "kind: recommendation"),
            format!("{BASE}    relation: disputes\n"),
            format!("{BASE}    locator: abstract\n"),
            format!("{BASE}audiences:\n  patient: Most did.\n"),
        ] {
            assert_ne!(fp(&changed), base, "{changed}");
        }
    }

    #[test]
    fn v2_covers_allow_reasons_and_graded_and_v1_does_not() {
        let v1 = |text: &str| {
            let mut d = Diagnostics::new();
            let claim = parse_claim(text, "c.yaml", "c", &Config::default(), &mut d).unwrap();
            claim_as(&claim, &IdMap::new(), "v1").unwrap()
        };
        let allowed =
            format!("{BASE}allow:\n  - {{code: grade-above-design, reason: Large effect.}}\n");
        let other_reason = allowed.replace("Large effect.", "Dose response.");
        let graded = BASE.replace(
            "    quote:",
            "    locator: rec 2\n    graded: moderate\n    quote:",
        );
        let located = BASE.replace("    quote:", "    locator: rec 2\n    quote:");
        assert_ne!(fp(BASE), fp(&allowed));
        assert_ne!(fp(&allowed), fp(&other_reason));
        assert_ne!(fp(&located), fp(&graded));
        assert_eq!(v1(BASE), v1(&allowed));
        assert_eq!(v1(&allowed), v1(&other_reason));
        assert_eq!(v1(&located), v1(&graded));
        assert!(v1(BASE).starts_with("v1:"));
        // The v1 document is DESIGN §5's list, unchanged: this digest was recorded by v1.
        assert_eq!(version_of(&v1(BASE)), "v1");
        let mut d = Diagnostics::new();
        let claim = parse_claim(BASE, "c.yaml", "c", &Config::default(), &mut d).unwrap();
        assert_eq!(claim_as(&claim, &IdMap::new(), "v9"), None);
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let mut out = String::new();
        write_canonical(&json!({"b": 1, "a": [true, null, "x"]}), &mut out);
        assert_eq!(out, r#"{"a":[true,null,"x"],"b":1}"#);
    }

    /// Fields of a generated claim.
    #[derive(Debug, Clone)]
    struct Fields {
        statement: String,
        patient: String,
        quote: String,
        locator: String,
        certainty: &'static str,
        relation: &'static str,
    }

    fn fields() -> impl proptest::strategy::Strategy<Value = Fields> {
        use proptest::prelude::*;
        let text = "[A-Za-z0-9 %.,()éü-]{1,40}";
        (
            text,
            text,
            text,
            text,
            prop::sample::select(vec!["high", "moderate", "low", "very-low"]),
            prop::sample::select(vec!["supports", "qualifies", "disputes"]),
        )
            .prop_map(
                |(statement, patient, quote, locator, certainty, relation)| Fields {
                    statement: statement.trim().to_string() + "x",
                    patient: patient.trim().to_string() + "y",
                    quote: quote.trim().to_string() + "z",
                    locator: locator.trim().to_string() + "p",
                    certainty,
                    relation,
                },
            )
    }

    fn q(text: &str) -> String {
        serde_json::to_string(text).unwrap()
    }

    /// Block style, one key order.
    fn block(f: &Fields) -> String {
        format!(
            "statement: {}\nkind: finding\naudiences:\n  patient: {}\ncertainty: {}\nsources:\n  - id: s1\n    locator: {}\n    quote: {}\n    relation: {}\n",
            q(&f.statement),
            q(&f.patient),
            f.certainty,
            q(&f.locator),
            q(&f.quote),
            f.relation
        )
    }

    /// Flow style, another key order, single quotes, comments and a review block.
    fn flow(f: &Fields) -> String {
        let sq = |t: &str| format!("'{}'", t.replace('\'', "''"));
        format!(
            "# reformatted\nsources: [{{relation: {}, quote: {}, id: s1, locator: {}}}]\ncertainty: {}   # grade\naudiences: {{patient: {}}}\nkind: finding\nstatement: {}\nreview: {{status: draft}}\n",
            f.relation,
            sq(&f.quote),
            sq(&f.locator),
            f.certainty,
            sq(&f.patient),
            sq(&f.statement)
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn reformatting_never_changes_it_and_any_covered_change_does(f in fields(), which in 0usize..6) {
            let base = fp(&block(&f));
            proptest::prop_assert_eq!(&base, &fp(&flow(&f)));
            let mut g = f.clone();
            match which {
                0 => g.statement.push('!'),
                1 => g.patient.push('!'),
                2 => g.quote.push('!'),
                3 => g.locator.push('!'),
                4 => g.certainty = if f.certainty == "low" { "moderate" } else { "low" },
                _ => g.relation = if f.relation == "supports" { "disputes" } else { "supports" },
            }
            proptest::prop_assert_ne!(&base, &fp(&block(&g)));
        }
    }

    #[test]
    fn a_cited_source_identity_or_retraction_changes_it() {
        let mut d = Diagnostics::new();
        let claim = parse_claim(BASE, "c.yaml", "c", &Config::default(), &mut d).unwrap();
        let source = |extra: &str| {
            let text =
                format!("- id: s1\n  type: article-journal\n  title: T\n  DOI: 10.1/x\n{extra}");
            let records =
                crate::load::citations::read_csl_yaml(&text, "s.yaml", &mut Diagnostics::new());
            let r = records.into_iter().next().unwrap();
            let s = Source {
                id: r.id.clone(),
                slug: r.id.clone(),
                path: r.path,
                pos: r.pos,
                csl: r.csl,
                evidence: r.evidence,
            };
            IdMap::from_iter([(s.id.clone(), s)])
        };
        let base = claim_with(&claim, &source(""));
        assert_eq!(base, claim_with(&claim, &source("  note: not identity\n")));
        assert_ne!(
            base,
            claim_with(
                &claim,
                &source("  retracted: {date: 2026-01-01, notice: x}\n")
            )
        );
        assert_ne!(base, claim_with(&claim, &source("  PMID: \"123\"\n")));
        assert_ne!(base, claim_with(&claim, &source("  superseded_by: s2\n")));
    }
}
