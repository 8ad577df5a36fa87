//! `api/claims.json` and `api/sources.json`: the published knowledge base as data, for other
//! tools. Only what the publish policy publishes; deterministic (sorted by id).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::resolve::KnowledgeBase;

#[derive(Serialize)]
struct ClaimRecord<'a> {
    id: &'a str,
    kind: &'static str,
    statement: &'a str,
    /// Wording per declared audience (the statement where a claim has none of its own).
    wordings: BTreeMap<&'a str, &'a str>,
    certainty: Option<&'a str>,
    certainty_reason: Option<&'a str>,
    strength: Option<&'a str>,
    basis: Option<&'a str>,
    sources: Vec<LinkRecord<'a>>,
    recorded_status: &'static str,
    effective_status: &'static str,
    last_review: Option<String>,
    next_review: Option<String>,
    fingerprint: &'a str,
    tags: &'a [String],
    topics: &'a [String],
    url: String,
}

#[derive(Serialize)]
struct LinkRecord<'a> {
    id: &'a str,
    locator: Option<&'a str>,
    quote: Option<&'a str>,
    relation: &'static str,
}

/// The two API files, as (path, bytes).
pub fn render(kb: &KnowledgeBase) -> Vec<(String, Vec<u8>)> {
    let claims: Vec<ClaimRecord<'_>> = kb
        .claims
        .values()
        .filter(|c| c.published)
        .map(|resolved| {
            let c = &resolved.claim;
            ClaimRecord {
                id: &c.id,
                kind: c.kind.name(),
                statement: &c.statement.value,
                wordings: kb
                    .config
                    .audiences
                    .iter()
                    .map(|a| (a.id.as_str(), c.wording(&a.id)))
                    .collect(),
                certainty: c.certainty.as_ref().map(|x| x.value.as_str()),
                certainty_reason: c.certainty_reason.as_deref(),
                strength: c.strength.as_ref().map(|x| x.value.as_str()),
                basis: c.basis.as_deref(),
                sources: c
                    .sources
                    .iter()
                    .map(|l| LinkRecord {
                        id: &l.id.value,
                        locator: l.locator.as_deref(),
                        quote: l.quote.as_ref().map(|q| q.value.as_str()),
                        relation: l.relation.name(),
                    })
                    .collect(),
                recorded_status: c.review.status.name(),
                effective_status: resolved.status.name(),
                last_review: c.review.last_entry().map(|e| e.date.to_string()),
                next_review: resolved.due.map(|d| d.to_string()),
                fingerprint: &resolved.fingerprint,
                tags: &c.tags,
                topics: &resolved.used_by,
                url: format!("{}claims/{}/", kb.config.base_url, c.id),
            }
        })
        .collect();
    let sources: Vec<serde_json::Value> = kb
        .sources
        .values()
        .map(|s| {
            let mut item = serde_json::Value::Object(s.source.csl.clone());
            let evidence = serde_json::to_value(&s.source.evidence).unwrap_or_default();
            if let (Some(map), serde_json::Value::Object(fields)) = (item.as_object_mut(), evidence)
            {
                for (key, value) in fields {
                    if !value.is_null() {
                        map.insert(key, value);
                    }
                }
            }
            item
        })
        .collect();
    vec![
        ("api/claims.json".to_string(), pretty(&claims)),
        ("api/sources.json".to_string(), pretty(&sources)),
    ]
}

fn pretty(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_else(|_| b"[]".to_vec());
    bytes.push(b'\n');
    bytes
}
