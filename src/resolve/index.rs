//! Ids: the claims and topics a site can be built from — valid ids and slugs, none used
//! twice, none reserved for evident's own pages. The others are left out, each with an error.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{Claim, Topic, is_valid_id, reserved_slug};

/// The claims with valid, unique ids, in id order. A claim is large: they are moved once,
/// into a list sorted at the end, not shifted about in a tree (a seventh of linking at 100,000).
pub(super) fn index_claims(claims: Vec<Claim>, diagnostics: &mut Diagnostics) -> Vec<Claim> {
    // Id → where its first claim is in `out`.
    let mut first: HashMap<String, usize> = HashMap::with_capacity(claims.len());
    let mut out: Vec<Claim> = Vec::with_capacity(claims.len());
    for claim in claims {
        if !is_valid_id(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidId,
                    Location::file(&claim.path),
                    format!("`{}` is not a valid claim id", claim.id),
                )
                .hint(format!(
                    "rename the file to lowercase letters, digits and hyphens, e.g. `{}.yaml`",
                    crate::text::slugify(&claim.id)
                )),
            );
            continue;
        }
        if let Some(&at) = first.get(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    Location::file(&claim.path),
                    format!("claim id `{}` is used by two files", claim.id),
                )
                .hint("a claim's id is its file name: rename one of the files")
                .related(Location::file(&out[at].path), "the other file"),
            );
            continue;
        }
        first.insert(claim.id.clone(), out.len());
        out.push(claim);
    }
    // Files come in path order, which is nearly id order: the sort mostly confirms it.
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

pub(super) fn index_topics(
    topics: Vec<Topic>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Topic> {
    let mut out: BTreeMap<String, Topic> = BTreeMap::new();
    for topic in topics {
        let slug = &topic.slug;
        let at = Location::new(&topic.path, slug.pos.line, slug.pos.column);
        if !is_valid_id(&slug.value) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidId,
                    at,
                    format!("`{}` is not a valid page slug", slug.value),
                )
                .hint(format!(
                    "use lowercase letters, digits and hyphens, e.g. `slug: {}`",
                    crate::text::slugify(&slug.value)
                )),
            );
            continue;
        }
        if let Some(why) = reserved_slug(&slug.value) {
            diagnostics.push(
                Diagnostic::error(
                    Code::ReservedSlug,
                    at,
                    format!("`{}` is a reserved slug: {why}", slug.value),
                )
                .hint("set another `slug:` in the front matter"),
            );
            continue;
        }
        if let Some(first) = out.get(&slug.value) {
            diagnostics.push(
                Diagnostic::error(
                    Code::SlugClash,
                    at,
                    format!("two pages have the slug `{}`", slug.value),
                )
                .hint("set a different `slug:` in one of them")
                .related(
                    Location::new(&first.path, first.slug.pos.line, first.slug.pos.column),
                    "the other page",
                ),
            );
            continue;
        }
        out.insert(slug.value.clone(), topic);
    }
    out
}
