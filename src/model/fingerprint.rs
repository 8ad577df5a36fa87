//! Approval fingerprints (DESIGN §5): `v1:` + blake3 of the canonical JSON (sorted keys, no
//! whitespace) of exactly what a reviewer approved. Formatting the YAML differently never
//! changes a fingerprint; changing a word, a number, a quote, a relation or a cited source's
//! identity always does.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::idmap::IdMap;
use crate::model::{Claim, Source, Topic};

/// The version of what a fingerprint covers and how it is written: the part before the `:`
/// of every fingerprint (`v1:` + 64 hex digits). Fingerprints are compared as whole
/// strings, so those of another version never match.
pub const VERSION: &str = "v1";

/// The fingerprint of a claim, given the sources it may cite (by id).
pub fn claim(claim: &Claim, sources: &IdMap<Source>) -> String {
    digest(&claim_document(claim, sources))
}

/// What a claim's fingerprint covers, as JSON (shown by `evident review` when it refuses).
pub fn claim_document(claim: &Claim, sources: &IdMap<Source>) -> Value {
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

/// The fingerprint of a claim whose cited sources' identities are given as [`cited`] wrote
/// them, rather than looked up: how an approved version is checked against its approval.
pub fn claim_with_cited(claim: &Claim, cited: Value) -> String {
    let mut doc = claim_document(claim, &IdMap::new());
    if let Value::Object(map) = &mut doc {
        map.insert("cited".into(), cited);
    }
    digest(&doc)
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
    digest(&json!({
        "front_matter": topic.front_matter,
        "body": body.trim_end(),
        "embeds": embeds,
    }))
}

fn text(value: &str) -> Value {
    Value::String(value.trim().to_string())
}

fn insert_opt(doc: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        doc.insert(key.into(), text(v));
    }
}

/// `v1:` + blake3 hex of the canonical JSON.
pub fn digest(value: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(value, &mut canonical);
    format!("{VERSION}:{}", blake3::hash(canonical.as_bytes()).to_hex())
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
        assert!(a.starts_with("v1:"));
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
