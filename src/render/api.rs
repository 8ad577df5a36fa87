//! `api/claims.json` and `api/sources.json`: the published knowledge base as data, for other
//! tools. Only what the face shows; deterministic (sorted by id). On the public face each
//! claim's fingerprint is its approval's, so anyone can verify the approved version.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::resolve::{KnowledgeBase, ResolvedClaim, ResolvedSource};

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
    /// Evidence-integrity warnings the editors gave a reason for (approved with the claim).
    allow: Vec<AllowRecord<'a>>,
    tags: &'a [String],
    topics: Vec<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct LinkRecord<'a> {
    id: &'a str,
    locator: Option<&'a str>,
    quote: Option<&'a str>,
    relation: &'static str,
    /// The certainty the source itself reports for this evidence (`graded:`).
    graded: Option<&'a str>,
}

#[derive(Serialize)]
struct AllowRecord<'a> {
    code: &'a str,
    reason: &'a str,
}

/// Records serialized together, on every core; the pieces are then joined into one buffer
/// of exactly the file's size. One growing buffer (128 MB of claims at 100,000) was copied
/// at every doubling into fresh memory, and took 36 times as long as at 10,000 claims.
const CHUNK: usize = 1024;

/// The two API files, as (path, bytes).
pub fn render(kb: &KnowledgeBase) -> Vec<(String, Vec<u8>)> {
    let claims: Vec<&ResolvedClaim> = kb.claims.values().filter(|c| c.published).collect();
    let sources: Vec<&ResolvedSource> = kb.sources.values().collect();
    let (claims, sources) = rayon::join(
        || pretty_array(&claims, |claim| claim_record(kb, claim)),
        || pretty_array(&sources, |source| source_record(source)),
    );
    vec![
        ("api/claims.json".to_string(), claims),
        ("api/sources.json".to_string(), sources),
    ]
}

fn claim_record<'a>(kb: &'a KnowledgeBase, resolved: &'a ResolvedClaim) -> ClaimRecord<'a> {
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
                graded: l.graded.as_ref().map(|g| g.value.as_str()),
            })
            .collect(),
        recorded_status: c.review.status.name(),
        effective_status: resolved.status.name(),
        last_review: c.review.last_entry().map(|e| e.date.to_string()),
        next_review: resolved.due.map(|d| d.to_string()),
        // Under its approval's fingerprint on the public face, so that anyone can verify it.
        fingerprint: if kb.face.is_public() {
            c.review
                .last_approval()
                .and_then(|a| a.fingerprint.as_deref())
                .unwrap_or(resolved.fingerprint_shown())
        } else {
            resolved.fingerprint_shown()
        },
        allow: c
            .allow
            .iter()
            .map(|a| AllowRecord {
                code: &a.code,
                reason: &a.reason,
            })
            .collect(),
        tags: &c.tags,
        topics: resolved
            .used_by
            .iter()
            .filter(|slug| kb.topics.get(slug.as_str()).is_some_and(|t| t.published))
            .map(String::as_str)
            .collect(),
        url: format!("{}claims/{}/", kb.config.base_url, c.id),
    }
}

/// A source's CSL-JSON item with its evidence fields beside the CSL ones.
fn source_record(resolved: &ResolvedSource) -> serde_json::Value {
    let mut item = serde_json::Value::Object(resolved.source.csl.clone());
    let evidence = serde_json::to_value(&resolved.source.evidence).unwrap_or_default();
    if let (Some(map), serde_json::Value::Object(fields)) = (item.as_object_mut(), evidence) {
        for (key, value) in fields {
            if !value.is_null() {
                map.insert(key, value);
            }
        }
    }
    item
}

/// `items` as a pretty-printed JSON array and a final newline: byte for byte what
/// `serde_json::to_vec_pretty` writes for the whole list, made [`CHUNK`] records at a time.
fn pretty_array<T: Sync, R: Serialize>(items: &[T], record: impl Fn(&T) -> R + Sync) -> Vec<u8> {
    if items.is_empty() {
        return b"[]\n".to_vec();
    }
    let pieces: Result<Vec<Vec<u8>>, serde_json::Error> = items
        .par_chunks(CHUNK)
        .map(|chunk| serde_json::to_vec_pretty(&chunk.iter().map(&record).collect::<Vec<R>>()))
        .collect();
    let Ok(pieces) = pieces else {
        return b"[]\n".to_vec();
    };
    // Each piece is "[\n" + its records, indented as inside the whole array + "\n]".
    let inner = |piece: &[u8]| -> std::ops::Range<usize> { 2..piece.len() - 2 };
    let size = pieces.iter().map(|p| inner(p).len() + 2).sum::<usize>() + 3;
    let mut bytes = Vec::with_capacity(size);
    bytes.extend_from_slice(b"[\n");
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(b",\n");
        }
        bytes.extend_from_slice(&piece[inner(piece)]);
    }
    bytes.extend_from_slice(b"\n]\n");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_made_in_pieces_is_the_array_made_whole() {
        #[derive(Serialize)]
        struct Record {
            id: usize,
            text: String,
            tags: Vec<&'static str>,
            nested: BTreeMap<&'static str, Option<usize>>,
        }
        let record = |&id: &usize| Record {
            id,
            text: format!("line {id}\nwith a newline, \"quotes\" and ünicode"),
            tags: if id % 3 == 0 { vec![] } else { vec!["a", "b"] },
            nested: BTreeMap::from([("none", None), ("some", Some(id))]),
        };
        for n in [0, 1, 2, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7] {
            let ids: Vec<usize> = (0..n).collect();
            let mut whole =
                serde_json::to_vec_pretty(&ids.iter().map(record).collect::<Vec<_>>()).unwrap();
            whole.push(b'\n');
            let pieces = pretty_array(&ids, record);
            assert_eq!(
                String::from_utf8(pieces).unwrap(),
                String::from_utf8(whole).unwrap(),
                "{n} records"
            );
        }
    }
}
