//! The search index: pagefind, used as a library, over the pages already rendered.
//!
//! Everything pagefind-specific lives in this file, so that another engine (elasticlunr-rs,
//! say) would replace this one module. Pages opt in through `data-pagefind-body` in the theme
//! (topics, claims, sources), so only what the publish policy put on the site is indexed: a
//! page that was not rendered cannot be found.
//!
//! pagefind's API is async; the rest of evident is not. The index is built on a small
//! current-thread tokio runtime owned by the caller, so no runtime leaks into the build and
//! the dev server's own runtime is never nested. `serve` keeps a [`LiveIndex`] between edits.

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
    let runtime = runtime()?;
    runtime.block_on(async {
        let mut index = new_index(language, keep_index_url)?;
        for (path, html) in pages {
            if cancelled() {
                return Ok(None);
            }
            // Pagefind would parse a page that does not opt in only to leave it out (the
            // dashboard alone is megabytes at scale).
            if opts_in(&html) {
                add(&mut index, &path, html).await?;
            }
        }
        files(&mut index).await.map(Some)
    })
}

/// A search index kept from one version of a site to the next, for `serve`: a page is read
/// again only when its HTML changed since it was indexed. pagefind replaces a page added
/// again under the same path where it was, so the index equals [`index_pages`] over the same
/// pages; when the set of pages changed, it starts over. Writing the index out still goes
/// over every page (pagefind has no partial build).
pub struct LiveIndex {
    language: String,
    keep_index_url: bool,
    runtime: tokio::runtime::Runtime,
    index: Option<PagefindIndex>,
    /// The pages in the index, in the order they were added, with the hash of the HTML each
    /// was indexed from.
    pages: Vec<(String, blake3::Hash)>,
}

impl LiveIndex {
    pub fn new(language: &str, keep_index_url: bool) -> anyhow::Result<Self> {
        Ok(LiveIndex {
            language: language.to_owned(),
            keep_index_url,
            runtime: runtime()?,
            index: None,
            pages: Vec::new(),
        })
    }

    /// Whether this index is for a site of this language and kind of URLs.
    pub fn is_for(&self, language: &str, keep_index_url: bool) -> bool {
        self.language == language && self.keep_index_url == keep_index_url
    }

    /// The index of `pages` (output path, HTML, in path order), or None when `cancelled`
    /// said so between two pages; what was indexed before it did is kept for next time.
    /// Returns how many pages were read again beside the files.
    pub fn update(
        &mut self,
        pages: &[(String, String)],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> anyhow::Result<Option<(IndexFiles, usize)>> {
        let pages: Vec<(&str, &str, blake3::Hash)> = pages
            .iter()
            .filter(|(_, html)| opts_in(html))
            .map(|(path, html)| (path.as_str(), html.as_str(), blake3::hash(html.as_bytes())))
            .collect();
        let same_pages = self.index.is_some()
            && self.pages.len() == pages.len()
            && self
                .pages
                .iter()
                .zip(&pages)
                .all(|((a, _), (b, _, _))| a == b);
        if !same_pages {
            self.index = Some(new_index(&self.language, self.keep_index_url)?);
            self.pages = pages
                .iter()
                .map(|(path, _, _)| ((*path).to_owned(), blake3::Hash::from_bytes([0; 32])))
                .collect();
        }
        let LiveIndex {
            runtime,
            index,
            pages: indexed,
            ..
        } = self;
        let Some(index) = index.as_mut() else {
            return Ok(None);
        };
        runtime.block_on(async {
            let mut read = 0;
            for ((path, html, hash), (_, indexed)) in pages.iter().zip(indexed.iter_mut()) {
                if hash == indexed {
                    continue;
                }
                if cancelled() {
                    return Ok(None);
                }
                add(index, path, (*html).to_owned()).await?;
                *indexed = *hash;
                read += 1;
            }
            Ok(Some((files(index).await?, read)))
        })
    }
}

/// pagefind's API is async; it runs on a small current-thread runtime made for the caller,
/// so no runtime leaks into the build and the dev server's own runtime is never nested.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the search indexer")
}

fn new_index(language: &str, keep_index_url: bool) -> anyhow::Result<PagefindIndex> {
    let config = PagefindServiceConfig::builder()
        .keep_index_url(keep_index_url)
        .force_language(language.to_string())
        .build();
    PagefindIndex::new(Some(config))
}

fn opts_in(html: &str) -> bool {
    html.contains(OPT_IN)
}

async fn add(index: &mut PagefindIndex, path: &str, html: String) -> anyhow::Result<()> {
    index
        .add_html_file(Some(path.to_owned()), None, html)
        .await
        .with_context(|| format!("indexing {path} for search"))?;
    Ok(())
}

/// The index's files, each under [`FOLDER`], in path order.
async fn files(index: &mut PagefindIndex) -> anyhow::Result<IndexFiles> {
    let mut out = BTreeMap::new();
    for file in index.get_files().await? {
        let name = file
            .filename
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.insert(format!("{FOLDER}/{name}"), file.contents);
    }
    Ok(out.into_iter().collect())
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

    fn pages(statements: &[&str]) -> Vec<(String, String)> {
        statements
            .iter()
            .enumerate()
            .map(|(i, statement)| {
                let html = page(&format!(
                    "<main data-pagefind-body><h1>Claim {i}</h1><p>{statement}</p></main>"
                ));
                (
                    format!("claims/c{i}/index.html"),
                    String::from_utf8(html).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn a_live_index_reads_only_changed_pages_and_equals_a_fresh_one() {
        let never = || false;
        let before = pages(&["Milk volume rose", "Most relactated", "Supplements helped"]);
        let mut live = LiveIndex::new("en", true).unwrap();
        let (first, read) = live.update(&before, &never).unwrap().unwrap();
        assert_eq!(read, 3);
        assert_eq!(
            first,
            index_pages(before.clone(), "en", true, &never)
                .unwrap()
                .unwrap()
        );

        let after = pages(&[
            "Milk volume rose",
            "Most relactated fully",
            "Supplements helped",
        ]);
        let (second, read) = live.update(&after, &never).unwrap().unwrap();
        assert_eq!(read, 1, "only the edited page is read again");
        assert_ne!(first, second);
        assert_eq!(
            second,
            index_pages(after.clone(), "en", true, &never)
                .unwrap()
                .unwrap()
        );

        // A new page changes the set of pages: the index starts over, and is still right.
        let more = pages(&[
            "Milk volume rose",
            "Most relactated fully",
            "Supplements helped",
            "Domperidone",
        ]);
        let (third, read) = live.update(&more, &never).unwrap().unwrap();
        assert_eq!(read, 4);
        assert_eq!(
            third,
            index_pages(more, "en", true, &never).unwrap().unwrap()
        );
    }

    #[test]
    fn a_cancelled_live_index_resumes_where_it_stopped() {
        let before = pages(&["one", "two", "three", "four"]);
        let mut live = LiveIndex::new("en", true).unwrap();
        let asked = std::sync::atomic::AtomicUsize::new(0);
        // Cancelled before the third page.
        let cancel_third = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2;
        assert!(live.update(&before, &cancel_third).unwrap().is_none());
        let after = pages(&["one changed", "two", "three", "four"]);
        let never = || false;
        let (files, read) = live.update(&after, &never).unwrap().unwrap();
        assert_eq!(read, 3, "the changed first page and the two never indexed");
        assert_eq!(
            files,
            index_pages(after, "en", true, &never).unwrap().unwrap()
        );
    }
}
