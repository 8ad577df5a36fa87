//! The search index: pagefind, used as a library, over the pages already rendered.
//!
//! Everything pagefind-specific lives in this file, so that another engine (elasticlunr-rs,
//! say) would replace this one module. Pages opt in through `data-pagefind-body` in the theme
//! (topics, claims, sources), so only what the publish policy put on the site is indexed: a
//! page that was not rendered cannot be found.
//!
//! A large site's index is split into shards of about [`SHARD_PAGES`] pages, each page in the
//! shard its path hashes to: the first shard is `pagefind/`, the others
//! `pagefind/shard-N/`, listed in `pagefind/shards.json`, and `search.js` has pagefind search
//! them together (`mergeIndex`). Shards are built side by side on both cores, and `serve`
//! writes out again only the shards whose pages changed (pagefind cannot write out part of
//! one index, and at 10,000 claims writing one index out takes seconds).
//!
//! pagefind's API is async; the rest of evident is not. Each index is built on a small
//! current-thread tokio runtime of its own, so no runtime leaks into the build and
//! the dev server's own runtime is never nested. `serve` keeps a [`LiveIndex`] between edits.

use std::borrow::Cow;
use std::collections::BTreeMap;

use anyhow::Context as _;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

/// Output files (path → bytes), from which the index takes its pages.
pub type Pages = BTreeMap<String, Vec<u8>>;

/// The folder the index is written to, relative to the output root. `search.js` loads
/// `pagefind/pagefind.js` from here; the slug is reserved so no topic can take it.
pub const FOLDER: &str = "pagefind";

/// The attribute by which a theme marks the part of a page to index; pages without it are
/// not indexed at all.
const OPT_IN: &str = "data-pagefind-body";

/// About how many pages a shard holds, and the most shards a site gets (a search fetches a
/// little of every shard). Writing out a shard of 500 pages takes about 0.1 s here, so an
/// edit that changes a few pages is searchable within a second at 10,000 claims.
pub const SHARD_PAGES: usize = 500;
const MAX_SHARDS: usize = 32;

/// The files of an index: (output path under [`FOLDER`], bytes).
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// Whether the index reads the file at `path`: every HTML page of the site but the handouts
/// (paper, with no search box) and the index itself. Which of them it indexes is up to each
/// page (the theme's opt-in attribute).
pub fn indexes(path: &str) -> bool {
    path.ends_with(".html") && !path.starts_with("handouts/") && !in_index(path)
}

/// Whether `path` is one of the index's own files.
pub fn in_index(path: &str) -> bool {
    path.strip_prefix(FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Indexes the HTML pages of `output` and returns pagefind's files as (output path, bytes),
/// every path under [`FOLDER`]. `language` is the site's (`<html lang>` says the same, but
/// forcing it keeps one index whatever a page declares). With `keep_index_url`, result links
/// end in `index.html`, like every other link of a site that works opened from disk.
pub fn index(output: &Pages, language: &str, keep_index_url: bool) -> anyhow::Result<IndexFiles> {
    index_output(output, language, keep_index_url, Sharding::SITE)
}

/// [`index`] in shards of about `shard_pages` pages: for tests of shards searched together,
/// on a site too small to be split.
#[doc(hidden)]
pub fn index_in_shards(
    output: &Pages,
    language: &str,
    keep_index_url: bool,
    shard_pages: usize,
) -> anyhow::Result<IndexFiles> {
    let sharding = Sharding {
        pages: shard_pages.max(1),
        max: MAX_SHARDS,
    };
    index_output(output, language, keep_index_url, sharding)
}

fn index_output(
    output: &Pages,
    language: &str,
    keep_index_url: bool,
    sharding: Sharding,
) -> anyhow::Result<IndexFiles> {
    // Borrowed from the output: each page is copied only as it is handed to pagefind.
    let pages: Vec<(&str, Cow<'_, str>)> = output
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), String::from_utf8_lossy(bytes)))
        .filter(|(_, html)| opts_in(html))
        .collect();
    build_shards(&pages, language, keep_index_url, sharding)
}

/// [`index`] over pages given as (output path, HTML), through a fresh [`LiveIndex`]. Between
/// two pages it asks `cancelled`, and gives up with None when it says so.
pub fn index_pages<P: AsRef<str>, H: AsRef<str>>(
    pages: impl IntoIterator<Item = (P, H)>,
    language: &str,
    keep_index_url: bool,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> anyhow::Result<Option<IndexFiles>> {
    let pages: Vec<(P, H)> = pages.into_iter().collect();
    let mut live = LiveIndex::new(language, keep_index_url);
    Ok(live.update(&pages, cancelled)?.map(|(files, _)| files))
}

/// How pages are split into shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sharding {
    pages: usize,
    max: usize,
}

impl Sharding {
    const SITE: Sharding = Sharding {
        pages: SHARD_PAGES,
        max: MAX_SHARDS,
    };

    /// The pages (already those that opt in, in path order) of each shard, each in path
    /// order. No shard is empty: should hashing leave one so, there is one shard fewer.
    fn split<'a, T: Copy>(self, pages: &[(&'a str, T)]) -> Vec<Vec<(&'a str, T)>> {
        let mut count = pages.len().div_ceil(self.pages).clamp(1, self.max);
        loop {
            let mut shards: Vec<Vec<(&'a str, T)>> = vec![Vec::new(); count];
            for &(path, html) in pages {
                shards[shard_of(path, count)].push((path, html));
            }
            if count == 1 || shards.iter().all(|s| !s.is_empty()) {
                return shards;
            }
            count -= 1;
        }
    }
}

/// The shard of a page: its path's hash, so a page stays in its shard while the set of pages
/// does, and every shard mixes topics, claims and sources (pagefind scores each shard on its
/// own statistics, so alike shards keep scores comparable).
fn shard_of(path: &str, count: usize) -> usize {
    if count <= 1 {
        return 0;
    }
    let hash = blake3::hash(path.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    (u64::from_le_bytes(first) % count as u64) as usize
}

/// Where shard `number`'s files go.
fn shard_folder(number: usize) -> String {
    if number == 0 {
        FOLDER.to_owned()
    } else {
        format!("{FOLDER}/shard-{number}")
    }
}

/// `pagefind/shards.json`: the shards beside the first, relative to [`FOLDER`].
fn shard_list(count: usize) -> (String, Vec<u8>) {
    let names: Vec<String> = (1..count).map(|n| format!("shard-{n}/")).collect();
    let json = serde_json::to_vec(&names).unwrap_or_else(|_| b"[]".to_vec());
    (format!("{FOLDER}/shards.json"), json)
}

/// Every shard built from scratch, side by side; the files in path order.
fn build_shards<T: AsRef<str> + Sync>(
    pages: &[(&str, T)],
    language: &str,
    keep_index_url: bool,
    sharding: Sharding,
) -> anyhow::Result<IndexFiles> {
    let refs: Vec<(&str, &T)> = pages.iter().map(|(path, html)| (*path, html)).collect();
    let shards = sharding.split(&refs);
    let count = shards.len();
    let built: Vec<IndexFiles> = shards
        .into_par_iter()
        .enumerate()
        .map(|(number, pages)| {
            let runtime = runtime()?;
            runtime.block_on(async {
                let mut index = new_index(language, keep_index_url)?;
                for (path, html) in pages {
                    add(&mut index, path, html.as_ref().to_owned()).await?;
                }
                files(&mut index, &shard_folder(number)).await
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let mut out: IndexFiles = built.into_iter().flatten().collect();
    out.push(shard_list(count));
    out.sort();
    Ok(out)
}

/// A search index kept from one version of a site to the next, for `serve`: a page is read
/// again only when its HTML changed since it was indexed, and a shard is written out again
/// only when one of its pages was. pagefind replaces a page added again under the same path
/// where it was, so each shard equals one built from scratch over the same pages; a shard
/// whose set of pages changed starts over, and so does everything when the number of shards
/// changes.
pub struct LiveIndex {
    language: String,
    keep_index_url: bool,
    sharding: Sharding,
    shards: Vec<LiveShard>,
}

#[derive(Default)]
struct LiveShard {
    index: Option<PagefindIndex>,
    /// The pages in the index, in the order they were added, with the hash of the HTML each
    /// was indexed from.
    pages: Vec<(String, blake3::Hash)>,
    /// The files written out after the last page was read, None until it is written again.
    files: Option<IndexFiles>,
}

impl LiveIndex {
    /// An empty index for a site of `language` (its `language` in evident.yaml); with
    /// `keep_index_url`, result links end in `index.html`, as in [`index`]. Nothing is read
    /// until [`LiveIndex::update`].
    pub fn new(language: &str, keep_index_url: bool) -> Self {
        Self::with_sharding(language, keep_index_url, Sharding::SITE)
    }

    fn with_sharding(language: &str, keep_index_url: bool, sharding: Sharding) -> Self {
        LiveIndex {
            language: language.to_owned(),
            keep_index_url,
            sharding,
            shards: Vec::new(),
        }
    }

    /// Whether this index is for a site of this language and kind of URLs.
    pub fn is_for(&self, language: &str, keep_index_url: bool) -> bool {
        self.language == language && self.keep_index_url == keep_index_url
    }

    /// The index of `pages` (output path, HTML, in path order), or None when `cancelled`
    /// said so between two pages; what was indexed before it did is kept for next time.
    /// Returns how many pages were read again beside the files.
    pub fn update<P: AsRef<str>, H: AsRef<str>>(
        &mut self,
        pages: &[(P, H)],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> anyhow::Result<Option<(IndexFiles, usize)>> {
        let pages: Vec<(&str, &str)> = pages
            .iter()
            .map(|(path, html)| (path.as_ref(), html.as_ref()))
            .filter(|(_, html)| opts_in(html))
            .collect();
        let split = self.sharding.split(&pages);
        if split.len() != self.shards.len() {
            self.shards = split.iter().map(|_| LiveShard::default()).collect();
        }
        let site = (self.language.as_str(), self.keep_index_url);
        // Shards are brought up to date side by side: an edit usually touches a few.
        let reads: Vec<Option<usize>> = self
            .shards
            .par_iter_mut()
            .zip(&split)
            .enumerate()
            .map(|(number, (shard, pages))| shard.update(site, number, pages, cancelled))
            .collect::<anyhow::Result<_>>()?;
        let Some(read) = reads.into_iter().sum::<Option<usize>>() else {
            return Ok(None);
        };
        let mut out: IndexFiles = self
            .shards
            .iter()
            .flat_map(|shard| shard.files.iter().flatten().cloned())
            .collect();
        out.push(shard_list(split.len()));
        out.sort();
        Ok(Some((out, read)))
    }
}

impl LiveShard {
    /// Brings this shard up to date with `pages`; how many were read again, or None if
    /// cancelled.
    fn update(
        &mut self,
        (language, keep_index_url): (&str, bool),
        number: usize,
        pages: &[(&str, &str)],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> anyhow::Result<Option<usize>> {
        let same_pages = self.index.is_some()
            && self.pages.len() == pages.len()
            && self.pages.iter().zip(pages).all(|((a, _), (b, _))| a == b);
        if !same_pages {
            self.index = Some(new_index(language, keep_index_url)?);
            // A hash no HTML has: every page is read.
            let unread = blake3::Hash::from_bytes([0; 32]);
            self.pages = pages
                .iter()
                .map(|(path, _)| ((*path).to_owned(), unread))
                .collect();
            self.files = None;
        }
        let LiveShard {
            index,
            pages: indexed,
            files: written,
        } = self;
        let Some(index) = index.as_mut() else {
            return Ok(Some(0));
        };
        runtime()?.block_on(async {
            let mut read = 0;
            for ((path, html), (_, hash)) in pages.iter().zip(indexed.iter_mut()) {
                let now = blake3::hash(html.as_bytes());
                if now == *hash {
                    continue;
                }
                if cancelled() {
                    return Ok(None);
                }
                add(index, path, (*html).to_owned()).await?;
                *hash = now;
                *written = None;
                read += 1;
            }
            if written.is_none() {
                *written = Some(files(index, &shard_folder(number)).await?);
            }
            Ok(Some(read))
        })
    }
}

/// pagefind's API is async; each index is built on a small current-thread runtime of its
/// own, so no runtime leaks into the build and the dev server's own runtime is never nested.
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

/// Pagefind would parse a page that does not opt in only to leave it out (the dashboard
/// alone is megabytes at scale).
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

/// The index's files, each under `folder`. Shards beside the first keep only their index
/// data: pagefind searches them with the first shard's script and WebAssembly.
async fn files(index: &mut PagefindIndex, folder: &str) -> anyhow::Result<IndexFiles> {
    let first = folder == FOLDER;
    Ok(index
        .get_files()
        .await?
        .into_iter()
        .map(|file| {
            let name = file
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, file.contents)
        })
        .filter(|(name, _)| first || is_index_data(name))
        .map(|(name, bytes)| (format!("{folder}/{name}"), bytes))
        .collect())
}

/// Whether a file of pagefind's is index data (entry, metadata, word index, fragments,
/// filters) rather than a script, style or WebAssembly module every shard would repeat.
fn is_index_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"]
            .iter()
            .any(|folder| name.starts_with(folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Vec<u8> {
        format!("<!doctype html><html lang=\"en\"><head><title>t</title></head><body>{body}</body></html>").into_bytes()
    }

    #[test]
    fn indexes_only_pages_that_opt_in_and_is_deterministic() {
        let mut output = Pages::new();
        output.insert(
            "claims/a/index.html".into(),
            page("<main data-pagefind-body><h1>Domperidone increases milk volume</h1><span data-pagefind-filter=\"grade:Low\"></span></main>"),
        );
        output.insert(
            "review/index.html".into(),
            page("<main><h1>Editor dashboard</h1><p>unpublished draft</p></main>"),
        );
        output.insert("static/style.css".into(), b"body{}".to_vec());
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
        let mut live = LiveIndex::new("en", true);
        let (first, read) = live.update(&before, &never).unwrap().unwrap();
        assert_eq!(read, 3);
        assert_eq!(first, built(&before, Sharding::SITE));

        let after = pages(&[
            "Milk volume rose",
            "Most relactated fully",
            "Supplements helped",
        ]);
        let (second, read) = live.update(&after, &never).unwrap().unwrap();
        assert_eq!(read, 1, "only the edited page is read again");
        assert_ne!(first, second);
        assert_eq!(second, built(&after, Sharding::SITE));

        // A new page changes the set of pages: the index starts over, and is still right.
        let more = pages(&[
            "Milk volume rose",
            "Most relactated fully",
            "Supplements helped",
            "Domperidone",
        ]);
        let (third, read) = live.update(&more, &never).unwrap().unwrap();
        assert_eq!(read, 4);
        assert_eq!(third, built(&more, Sharding::SITE));
    }

    #[test]
    fn a_cancelled_live_index_resumes_where_it_stopped() {
        let before = pages(&["one", "two", "three", "four"]);
        let mut live = LiveIndex::new("en", true);
        let asked = std::sync::atomic::AtomicUsize::new(0);
        // Cancelled before the third page.
        let cancel_third = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2;
        assert!(live.update(&before, &cancel_third).unwrap().is_none());
        let after = pages(&["one changed", "two", "three", "four"]);
        let never = || false;
        let (files, read) = live.update(&after, &never).unwrap().unwrap();
        assert_eq!(read, 3, "the changed first page and the two never indexed");
        assert_eq!(files, built(&after, Sharding::SITE));
    }

    fn as_refs(pages: &[(String, String)]) -> Vec<(&str, &str)> {
        pages
            .iter()
            .map(|(p, h)| (p.as_str(), h.as_str()))
            .collect()
    }

    const SMALL: Sharding = Sharding { pages: 2, max: 16 };

    /// What `build` indexes from these pages.
    fn built(pages: &[(String, String)], sharding: Sharding) -> IndexFiles {
        build_shards(&as_refs(pages), "en", true, sharding).unwrap()
    }

    #[test]
    fn shards_hold_every_page_once_in_path_order_and_none_is_empty() {
        let paths: Vec<String> = (0..25)
            .map(|i| format!("claims/c{i:02}/index.html"))
            .collect();
        let pages: Vec<(&str, ())> = paths.iter().map(|p| (p.as_str(), ())).collect();
        let shards = SMALL.split(&pages);
        assert!(shards.len() > 1 && shards.len() <= 13, "{}", shards.len());
        assert!(shards.iter().all(|s| !s.is_empty()));
        let mut all: Vec<&str> = shards.iter().flatten().map(|(p, _)| *p).collect();
        assert!(shards.iter().all(|s| s.windows(2).all(|w| w[0].0 < w[1].0)));
        all.sort();
        assert_eq!(all, paths.iter().map(String::as_str).collect::<Vec<_>>());
        // The same pages, the same shards; at most MAX_SHARDS however many pages.
        assert_eq!(SMALL.split(&pages), shards);
        let many = Sharding { pages: 1, max: 4 };
        assert_eq!(many.split(&pages).len(), 4);
        assert_eq!(Sharding::SITE.split(&pages).len(), 1);
    }

    #[test]
    fn a_sharded_index_writes_out_only_the_edited_shard_and_equals_a_fresh_build() {
        let never = || false;
        let before = pages(&["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]);
        let before_build = built(&before, SMALL);
        let list = before_build
            .iter()
            .find(|(p, _)| p == "pagefind/shards.json")
            .unwrap();
        let list: Vec<String> = serde_json::from_slice(&list.1).unwrap();
        assert!(
            !list.is_empty(),
            "seven pages in shards of two make several shards"
        );
        for shard in &list {
            let entry = format!("pagefind/{shard}pagefind-entry.json");
            assert!(before_build.iter().any(|(p, _)| *p == entry), "{entry}");
        }
        assert!(
            before_build
                .iter()
                .any(|(p, _)| p == "pagefind/pagefind-entry.json")
        );

        let mut live = LiveIndex::with_sharding("en", true, SMALL);
        let (files, read) = live.update(&before, &never).unwrap().unwrap();
        assert_eq!(read, 7);
        assert_eq!(files, before_build, "a live index equals the build's");

        let after = pages(&[
            "alpha",
            "beta",
            "gamma",
            "delta changed",
            "epsilon",
            "zeta",
            "eta",
        ]);
        let (files, read) = live.update(&after, &never).unwrap().unwrap();
        assert_eq!(read, 1);
        assert_eq!(files, built(&after, SMALL));
        // Only the edited page's shard was written out again.
        let count = list.len() + 1;
        let edited = shard_of("claims/c3/index.html", count);
        for number in 0..count {
            let same = shard_files(&files, number) == shard_files(&before_build, number);
            assert_eq!(same, number != edited, "shard {number} (edited: {edited})");
        }
    }

    /// The files of shard `number` (the first shard's are those in no shard-N folder).
    fn shard_files(files: &IndexFiles, number: usize) -> IndexFiles {
        let folder = format!("{}/", shard_folder(number));
        files
            .iter()
            .filter(|(p, _)| p.starts_with(&folder) && !p.ends_with("/shards.json"))
            .filter(|(p, _)| number > 0 || !p.starts_with("pagefind/shard-"))
            .cloned()
            .collect()
    }
}
