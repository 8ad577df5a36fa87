//! The search index: pagefind, used as a library, over the pages already rendered.
//!
//! Everything pagefind-specific lives in this file, so that another engine (elasticlunr-rs,
//! say) would replace this one module. Pages opt in through `data-pagefind-body` in the theme
//! (topics, claims, sources), so only what the publish policy put on the site is indexed: a
//! page that was not rendered cannot be found.
//!
//! pagefind's API is async; the rest of evident is not. The index is built on a small
//! current-thread tokio runtime made for this call and dropped after it, so no runtime leaks
//! into the build and the dev server's own runtime is never nested.

use std::collections::BTreeMap;

use anyhow::Context as _;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::write::Output;

/// The folder the index is written to, relative to the output root. `search.js` loads
/// `pagefind/pagefind.js` from here; the slug is reserved so no topic can take it.
pub const FOLDER: &str = "pagefind";

/// The attribute by which a theme marks the part of a page to index; pages without it are
/// not indexed at all.
const OPT_IN: &str = "data-pagefind-body";

/// The files of an index: (output path under [`FOLDER`], bytes).
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// Indexes the HTML pages of `output` and returns pagefind's files as (output path, bytes),
/// every path under [`FOLDER`]. `language` is the site's (`<html lang>` says the same, but
/// forcing it keeps one index whatever a page declares). With `keep_index_url`, result links
/// end in `index.html`, like every other link of a site that works opened from disk.
pub fn index(
    output: &Output,
    language: &str,
    keep_index_url: bool,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    // Pages in path order (the output is a BTreeMap): pagefind numbers pages in the order
    // they are added, and that order reaches its files. Each is copied only as it is handed
    // over.
    let pages = output
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.clone(), String::from_utf8_lossy(bytes).into_owned()));
    Ok(index_pages(pages, language, keep_index_url, &|| false)?.unwrap_or_default())
}

/// [`index`] over pages given as (output path, HTML) in path order. Between two pages it
/// asks `cancelled`, and gives up with None when it says so: `serve` drops an index that a
/// newer edit made stale, rather than finish seconds of work for nothing.
pub fn index_pages(
    pages: impl IntoIterator<Item = (String, String)>,
    language: &str,
    keep_index_url: bool,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> anyhow::Result<Option<IndexFiles>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the search indexer")?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .keep_index_url(keep_index_url)
            .force_language(language.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config))?;
        for (path, html) in pages {
            if cancelled() {
                return Ok(None);
            }
            // Pagefind would parse a page that does not opt in only to leave it out (the
            // dashboard alone is megabytes at scale).
            if !html.contains(OPT_IN) {
                continue;
            }
            index
                .add_html_file(Some(path.clone()), None, html)
                .await
                .with_context(|| format!("indexing {path} for search"))?;
        }
        index.get_files().await.map(Some)
    })?;
    let Some(files) = files else {
        return Ok(None);
    };
    let mut out = BTreeMap::new();
    for file in files {
        let name = file
            .filename
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.insert(format!("{FOLDER}/{name}"), file.contents);
    }
    Ok(Some(out.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Vec<u8> {
        format!("<!doctype html><html lang=\"en\"><head><title>t</title></head><body>{body}</body></html>").into_bytes()
    }

    #[test]
    fn indexes_only_pages_that_opt_in_and_is_deterministic() {
        let mut output = Output::new();
        output.insert(
            "claims/a/index.html",
            page("<main data-pagefind-body><h1>Domperidone increases milk volume</h1><span data-pagefind-filter=\"grade:Low\"></span></main>"),
        );
        output.insert(
            "review/index.html",
            page("<main><h1>Editor dashboard</h1><p>unpublished draft</p></main>"),
        );
        output.insert("static/style.css", b"body{}".to_vec());
        let first = index(&output, "en", true).unwrap();
        let second = index(&output, "en", true).unwrap();
        assert_eq!(first, second, "two runs give the same files");
        let names: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("pagefind/")));
        let entry = first
            .iter()
            .find(|(p, _)| p == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.1).unwrap();
        // One page: the dashboard has no data-pagefind-body, so it is left out.
        assert_eq!(entry["languages"]["en"]["page_count"], 1, "{entry}");
    }
}
