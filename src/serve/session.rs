//! Incremental rebuilds for `serve`: a [`Session`] keeps what the last build read, resolved
//! and rendered, and redoes only what an edit can change.
//!
//! An edit goes through three steps, each reusing the previous build's state:
//!
//! 1. **Load**: only the changed files are read and parsed again ([`LoadedFile`] per file).
//! 2. **Resolve**: the claims, topics and source records the changed files hold are handed
//!    to the [`Resolution`] kept from the last resolve; [`Resolution::update`] resolves them
//!    and what reads them again with the functions a full resolve uses, and says what came
//!    out different. Load diagnostics are kept per file, resolve's per item, so the list is
//!    exactly a full build's.
//! 3. **Render**: the [`DepGraph`] names the pages that show anything that changed; those are
//!    rendered ([`Session::render_pages`]), then the pages made from the whole site
//!    ([`Session::render_aggregates`]), then, in the background, the search index. A page
//!    that appears on or leaves the face served (a topic approved on the public face, or
//!    sent back to review) is in other pages' navigation and links: every page is rendered.
//!
//! Anything it cannot classify safely falls back to the full path, with the reason: the
//! configuration or the theme changed, a file was created, deleted or renamed, a file no
//! longer parses, records were added to or removed from a source file, or a topic's title
//! changed on a site whose every page lists the topics.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::load::{LoadedFile, Parsed};
use crate::project::Project;
use crate::render::search;
use crate::render::{Listing, Page, PageSink, RenderOptions, Renderer, Search, Themes};
use crate::resolve::{self, KnowledgeBase, Resolution};
use crate::serve::depgraph::DepGraph;

/// The files of a rendered site, shared between the versions `serve` swaps in: a new
/// version copies the map (tens of thousands of entries with the search index), not the
/// paths or the bytes.
pub type Files = BTreeMap<Arc<str>, Arc<Vec<u8>>>;

/// Why an edit took the full path.
pub type Reason = String;

/// How the last [`Session::update`] went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Only what the edit can change was redone.
    Incremental,
    /// Everything was read, resolved and rendered again, for this reason.
    Full(Reason),
    /// The files read the same as before: nothing to do.
    Unchanged,
}

/// One input file as the session keeps it (its text is in the knowledge base's `texts`).
#[derive(Debug, Clone)]
struct FileState {
    rel: String,
    parsed: Parsed,
    diagnostics: Diagnostics,
}

/// The pages the served site lacks next to the knowledge base: what an edit with content
/// errors left unrendered, to render with the next good one.
#[derive(Debug, Clone, PartialEq)]
enum Stale {
    Pages(BTreeSet<Page>),
    Everything,
}

/// A site kept in memory between builds.
pub struct Session {
    project: Project,
    today: Date,
    options: RenderOptions,
    /// Diagnostics of `evident.yaml` and the citation style, reported before any file's.
    head: Diagnostics,
    files: Vec<FileState>,
    by_path: HashMap<String, usize>,
    resolution: Resolution,
    kb: KnowledgeBase,
    graph: DepGraph,
    themes: Option<Arc<Themes>>,
    /// Of the pages in `served`.
    listing: Listing,
    /// The last site rendered without errors.
    served: Option<Arc<Files>>,
    stale: Stale,
    /// The pages made from the whole site are as fresh as the rest (after a full render).
    aggregates_fresh: bool,
    /// A full reload failed (the site folder vanished, say): the next update reloads again.
    broken: bool,
}

/// What a phase of rendering changed.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The site to serve from now on.
    pub files: Option<Arc<Files>>,
    /// How many pages (and handouts) were rendered.
    pub rendered: usize,
    /// The output files whose bytes changed, or None when everything was rendered.
    pub changed: Option<BTreeSet<String>>,
}

/// What the search index is built from: a version of the served site.
pub struct SearchInput {
    /// The served site at the time of asking; later builds swap in another version and leave
    /// this one as it is.
    pub files: Arc<Files>,
    /// The site's language tag (`language` in evident.yaml), which the index is built for.
    pub language: String,
    /// Whether result links keep `index.html`: true unless `pretty_urls` is set in
    /// evident.yaml.
    pub keep_index_url: bool,
}

impl SearchInput {
    /// The pages a build indexes, in path order: every HTML file but the handouts (a build
    /// adds them after the index) and the index itself. Borrowed, not copied.
    pub fn pages(&self) -> Vec<(&str, Cow<'_, str>)> {
        self.files
            .iter()
            .filter(|(path, _)| search::indexes(path))
            .map(|(path, bytes)| (&**path, String::from_utf8_lossy(bytes)))
            .collect()
    }
}

impl Session {
    /// Reads and resolves the whole site; nothing is rendered until [`Session::render_pages`].
    pub fn load(project: Project, today: Date, options: RenderOptions) -> anyhow::Result<Session> {
        let (mut corpus, loaded) = crate::load::load_by_file(&project)?;
        let head = corpus.diagnostics.clone();
        let mut files = Vec::with_capacity(loaded.len());
        for file in loaded {
            files.push(FileState {
                rel: file.rel.clone(),
                parsed: file.parsed.clone(),
                diagnostics: file.diagnostics.clone(),
            });
            corpus.add(file);
        }
        let by_path = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.rel.clone(), i))
            .collect();
        let (mut kb, mut resolution) = Resolution::new(corpus, today, options.face);
        if shows_approved_versions(&kb, &options) {
            let reviewed = crate::load::reviewed::reviewed(&project, &kb.config);
            kb = crate::resolve::public(kb, &mut resolution, reviewed);
        }
        let graph = DepGraph::of(&kb);
        Ok(Session {
            project,
            today,
            options,
            head,
            files,
            by_path,
            resolution,
            kb,
            graph,
            themes: None,
            listing: Listing::new(),
            served: None,
            stale: Stale::Everything,
            aggregates_fresh: false,
            broken: false,
        })
    }

    /// The knowledge base of the last update, as resolved, even when it had content errors
    /// (and so differs from what is served).
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The last site rendered without errors.
    pub fn served(&self) -> Option<Arc<Files>> {
        self.served.clone()
    }

    /// Takes in changed files (relative to the site root): incrementally when every change
    /// can be classified, else by reading the whole site again.
    pub fn update(&mut self, changed: &[String]) -> anyhow::Result<Mode> {
        let plan = if self.broken {
            Err("the last build could not read the site".to_string())
        } else {
            self.plan(changed)
        };
        // The approved versions stand in for the files they copy: an edit changes what the
        // public face shows only through them, so it is read again whole.
        let plan = match plan {
            Ok(edits) if !edits.is_empty() && shows_approved_versions(&self.kb, &self.options) => {
                Err("the public face shows the approved versions: read again whole".to_string())
            }
            plan => plan,
        };
        match plan {
            Ok(edits) if edits.is_empty() => Ok(Mode::Unchanged),
            Ok(edits) => {
                let pages = self.apply(edits);
                if let Stale::Pages(stale) = &mut self.stale {
                    stale.extend(pages);
                }
                Ok(Mode::Incremental)
            }
            Err(reason) => {
                let fresh = Session::load(self.project.clone(), self.today, self.options.clone());
                self.broken = fresh.is_err();
                let mut fresh = fresh?;
                fresh.served = self.served.take();
                fresh.listing = std::mem::take(&mut self.listing);
                *self = fresh;
                Ok(Mode::Full(reason))
            }
        }
    }

    /// Reads the changed files and decides whether they can be taken in one by one; changes
    /// nothing. Err says why not.
    fn plan(&self, changed: &[String]) -> Result<Vec<Edit>, Reason> {
        if self.resolution.has_id_problems() {
            return Err("the site has invalid or duplicate ids".to_string());
        }
        let mut edits = Vec::new();
        let mut seen = BTreeSet::new();
        for rel in changed {
            if !seen.insert(rel) {
                continue;
            }
            let kind = classify(rel);
            if kind == Kind::Other {
                return Err(match rel.split('/').next() {
                    Some("themes") => format!("the theme changed ({rel})"),
                    _ if rel == crate::model::config::CONFIG_FILE => {
                        "evident.yaml changed".to_string()
                    }
                    _ => format!("{rel} is not a content or citations file"),
                });
            }
            let path = self.project.root.join(rel);
            let Some(&index) = self.by_path.get(rel) else {
                if path.exists() {
                    return Err(format!("{rel} was created"));
                }
                let folder = format!("{rel}/");
                if self.by_path.keys().any(|known| known.starts_with(&folder)) {
                    return Err(format!("{rel} was deleted or renamed"));
                }
                // A file that came and went within one burst (an editor's temporary file):
                // the site never saw it.
                continue;
            };
            // A file turned into a symbolic link is no longer read: the full build says so.
            if !path.is_file() || path.is_symlink() {
                return Err(format!("{rel} was deleted or renamed"));
            }
            let file = match kind {
                Kind::Content => {
                    match crate::load::load_content_file(&self.project, &path, &self.kb.config) {
                        Some(file) => file,
                        None => return Err(format!("{rel} is not a claim or a topic")),
                    }
                }
                _ => crate::load::load_citation_file(&self.project, &path),
            };
            let old = &self.files[index];
            if file.parsed == old.parsed
                && file.text.as_ref() == self.kb.texts.get(rel)
                && diagnostics_equal(&file.diagnostics, &old.diagnostics)
            {
                continue;
            }
            self.compatible(&old.parsed, &file, rel)?;
            edits.push(Edit { index, file });
        }
        Ok(edits)
    }

    /// Whether `file` can replace what `old` held without the site's set of ids changing.
    fn compatible(&self, old: &Parsed, file: &LoadedFile, rel: &str) -> Result<(), Reason> {
        match (old, &file.parsed) {
            (Parsed::Claim(_), Parsed::Claim(new)) => {
                if self
                    .kb
                    .claims
                    .get(&new.id)
                    .is_none_or(|c| c.claim.path != rel)
                {
                    return Err(format!(
                        "{rel} is not a claim of the site (invalid or duplicate id)"
                    ));
                }
                Ok(())
            }
            (Parsed::Topic(old), Parsed::Topic(new)) => {
                if old.slug.value != new.slug.value {
                    return Err(format!("{rel}: the page's slug changed"));
                }
                if old.page_kind != new.page_kind {
                    return Err(format!("{rel}: the page's kind changed"));
                }
                if self
                    .kb
                    .topics
                    .get(&new.slug.value)
                    .is_none_or(|t| t.topic.path != rel)
                {
                    return Err(format!(
                        "{rel} is not a page of the site (invalid or duplicate slug)"
                    ));
                }
                if old.title != new.title && crate::render::nav_lists_topics(&self.kb) {
                    return Err(format!(
                        "{rel}: a topic's title changed, and every page's navigation lists the topics"
                    ));
                }
                Ok(())
            }
            (Parsed::Sources(old), Parsed::Sources(new)) => {
                let ids = |records: &[crate::load::citations::SourceRecord]| {
                    let mut ids: Vec<(String, bool)> = records
                        .iter()
                        .map(|r| (r.id.clone(), r.annotation_only))
                        .collect();
                    ids.sort();
                    ids
                };
                if ids(old) != ids(new) {
                    return Err(format!(
                        "{rel}: source records were added, removed or renamed"
                    ));
                }
                Ok(())
            }
            (_, Parsed::Nothing) => Err(format!("{rel} could not be read or parsed")),
            _ => Err(format!("{rel} changed what it holds")),
        }
    }

    /// Takes in the planned edits: hands resolve the claims, topics and source records they
    /// hold, and returns the pages that may now differ.
    fn apply(&mut self, edits: Vec<Edit>) -> BTreeSet<Page> {
        let mut items = resolve::Edits::default();
        let mut sources_edited = false;
        for Edit { index, file } in edits {
            match &file.parsed {
                Parsed::Claim(claim) => items.claims.push((**claim).clone()),
                Parsed::Topic(topic) => items.topics.push((**topic).clone()),
                Parsed::Sources(_) => sources_edited = true,
                Parsed::Nothing => {}
            }
            items.texts.push((file.rel.clone(), file.text));
            self.files[index] = FileState {
                rel: file.rel,
                parsed: file.parsed,
                diagnostics: file.diagnostics,
            };
        }
        if sources_edited {
            items.records = Some(
                self.files
                    .iter()
                    .filter_map(|f| match &f.parsed {
                        Parsed::Sources(records) => Some(records.iter().cloned()),
                        _ => None,
                    })
                    .flatten()
                    .collect(),
            );
        }
        let loaded = std::iter::once(self.head.clone()).chain(
            self.files
                .iter()
                .filter(|f| !f.diagnostics.is_empty())
                .map(|f| f.diagnostics.clone()),
        );
        // Whether each edited page is published on this face, before the edit: a page that
        // appears or goes is in the navigation, the home page and links of other pages.
        let published_before: Vec<(String, bool)> = items
            .topics
            .iter()
            .filter_map(|t| {
                let slug = &t.slug.value;
                Some((slug.clone(), self.kb.topics.get(slug)?.published))
            })
            .collect();
        let update = self.resolution.update(&mut self.kb, items, loaded);
        if published_before
            .iter()
            .any(|(slug, before)| self.kb.topics.get(slug).map(|t| t.published) != Some(*before))
        {
            self.stale = Stale::Everything;
        }

        // Pages that read what changed, through the relations before the edit; then the
        // relations of the changed items are replaced by their new ones.
        let mut pages = self.graph.readers(&update.resolved);
        for id in &update.resolved.claims {
            self.graph.remove_claim(id);
            self.graph.add_claim(&self.kb.claims[id]);
        }
        for slug in &update.resolved.topics {
            self.graph.remove_topic(slug);
            self.graph.add_topic(&self.kb.topics[slug]);
        }
        for id in &update.resolved.sources {
            self.graph.remove_source(id);
            self.graph.add_source(&self.kb.sources[id]);
        }
        let mut changed = update.resolved;
        changed.claims.extend(update.relinked.claims);
        changed.sources.extend(update.relinked.sources);
        pages.extend(self.graph.readers(&changed));
        pages
    }

    fn themes(&mut self) -> anyhow::Result<Arc<Themes>> {
        if let Some(themes) = &self.themes {
            return Ok(themes.clone());
        }
        let themes = Arc::new(Themes::load(
            &self.project.themes_dir(),
            &self.kb.config.theme,
        )?);
        self.themes = Some(themes.clone());
        Ok(themes)
    }

    /// Phase 1: renders the pages that may differ from the served site (every page after a
    /// full reload). None when the site has content errors: the served site stays.
    pub fn render_pages(&mut self) -> anyhow::Result<Option<Rendered>> {
        if self.kb.diagnostics.has_errors() {
            return Ok(None);
        }
        let themes = self.themes()?;
        let handout_theme = &themes.handout;
        let renderer = Renderer::new(&self.kb, &themes.site, &self.options);
        let (Some(served), Stale::Pages(stale)) = (self.served.clone(), self.stale.clone()) else {
            // A full render has no page of the old site to keep showing until phase 2: the
            // pages made from the whole site come with it.
            let fresh = Serving::default();
            let site = crate::render::site(&self.kb, &themes, &self.options, &fresh)?;
            let rendered = site.listing.len() + site.aggregates;
            let listing = site.listing;
            let mut files = fresh.into_files();
            // The search index of the previous site stays until the new one is built.
            if let Some(served) = &self.served {
                files.extend(
                    served
                        .iter()
                        .filter(|(path, _)| is_search_index(path))
                        .map(|(p, b)| (p.clone(), b.clone())),
                );
            }
            self.listing = listing;
            let files = Arc::new(files);
            self.served = Some(files.clone());
            self.stale = Stale::Pages(BTreeSet::new());
            self.aggregates_fresh = true;
            return Ok(Some(Rendered {
                files: Some(files),
                rendered,
                changed: None,
            }));
        };
        let kb = &self.kb;
        let stale: Vec<&Page> = stale.iter().collect();
        let results = stale
            .par_iter()
            .map(|page| -> anyhow::Result<_> {
                let rendered = renderer.page(page)?;
                let handout = match page {
                    Page::Topic(slug) => Some((
                        crate::render::handout::site_html_path(slug),
                        crate::render::handout::site_html(kb, handout_theme, slug)?,
                    )),
                    _ => None,
                };
                Ok((page.file(kb), rendered, handout))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut files: Files = (*served).clone();
        let mut changed = BTreeSet::new();
        let mut rendered = 0;
        for (file, page, handout) in results {
            let Some(file) = file else { continue };
            match page {
                Some(page) => {
                    rendered += 1;
                    self.listing.insert(file.clone(), page.listed);
                    put(&mut files, &mut changed, file, Some(page.html.into_bytes()));
                }
                None => {
                    self.listing.remove(&file);
                    put(&mut files, &mut changed, file, None);
                }
            }
            if let Some((path, html)) = handout {
                rendered += usize::from(html.is_some());
                put(&mut files, &mut changed, path, html.map(String::into_bytes));
            }
        }
        let files = Arc::new(files);
        self.served = Some(files.clone());
        self.stale = Stale::Pages(BTreeSet::new());
        Ok(Some(Rendered {
            files: Some(files),
            rendered,
            changed: Some(changed),
        }))
    }

    /// Phase 2: the pages made from the whole site (home, dashboard, API, sitemap, feed,
    /// search page). Only after [`Session::render_pages`] succeeded.
    pub fn render_aggregates(&mut self) -> anyhow::Result<Rendered> {
        let Some(served) = self.served.clone() else {
            return Ok(Rendered::default());
        };
        if std::mem::take(&mut self.aggregates_fresh) {
            return Ok(Rendered {
                files: Some(served.clone()),
                rendered: 0,
                changed: Some(BTreeSet::new()),
            });
        }
        let themes = self.themes()?;
        let renderer = Renderer::new(&self.kb, &themes.site, &self.options);
        let updating = Updating(std::sync::Mutex::new(((*served).clone(), BTreeSet::new())));
        let rendered = renderer.aggregates(&self.listing, &updating)?;
        let (files, changed) = updating.0.into_inner().unwrap_or_else(|e| e.into_inner());
        let files = Arc::new(files);
        self.served = Some(files.clone());
        Ok(Rendered {
            files: Some(files),
            rendered,
            changed: Some(changed),
        })
    }

    /// What the search index of the served site is built from; None when the site has no
    /// search (or nothing is served yet).
    pub fn search_input(&self) -> Option<SearchInput> {
        if self.options.search == Search::Off {
            return None;
        }
        Some(SearchInput {
            files: self.served.clone()?,
            language: self.kb.config.language.clone(),
            keep_index_url: !self.kb.config.pretty_urls,
        })
    }

    /// Puts a search index built from [`Session::search_input`] into the served site, in
    /// place of the previous one.
    pub fn install_search_index(&mut self, index: Vec<(String, Vec<u8>)>) -> Option<Arc<Files>> {
        let served = self.served.as_ref()?;
        let mut files: Files = served
            .iter()
            .filter(|(path, _)| !is_search_index(path))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect();
        files.extend(index.into_iter().map(|(p, b)| (Arc::from(p), Arc::new(b))));
        let files = Arc::new(files);
        self.served = Some(files.clone());
        Some(files)
    }
}

/// One changed file, read again, and where it sits among the session's files.
struct Edit {
    index: usize,
    file: LoadedFile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Content,
    Citations,
    Other,
}

/// Whether the site is served as its public face under `publish: approved`, which shows
/// each claim and topic in its approved version ([`crate::resolve::public`]).
fn shows_approved_versions(kb: &KnowledgeBase, options: &RenderOptions) -> bool {
    options.face.is_public() && kb.config.review.publish == crate::model::config::Publish::Approved
}

fn classify(rel: &str) -> Kind {
    let first = Path::new(rel)
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    match first.as_deref() {
        Some("content") => Kind::Content,
        Some("citations") => Kind::Citations,
        _ => Kind::Other,
    }
}

fn is_search_index(path: &str) -> bool {
    search::in_index(path)
}

/// A full render's files, put straight into the map that will be served.
#[derive(Default)]
struct Serving(std::sync::Mutex<Files>);

impl Serving {
    fn into_files(self) -> Files {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl PageSink for Serving {
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(Arc::from(path), Arc::new(bytes));
        Ok(())
    }
}

/// The served files as a render updates them, noting the paths whose bytes changed.
struct Updating(std::sync::Mutex<(Files, BTreeSet<String>)>);

impl PageSink for Updating {
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (files, changed) = &mut *guard;
        put(files, changed, path, Some(bytes));
        Ok(())
    }
}

fn diagnostics_equal(a: &Diagnostics, b: &Diagnostics) -> bool {
    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x == y)
}

/// Puts `bytes` at `path` (None removes it), noting the path when its bytes changed.
fn put(files: &mut Files, changed: &mut BTreeSet<String>, path: String, bytes: Option<Vec<u8>>) {
    match bytes {
        Some(bytes) => {
            if files.get(path.as_str()).is_none_or(|old| **old != bytes) {
                files.insert(Arc::from(path.as_str()), Arc::new(bytes));
                changed.insert(path);
            }
        }
        None => {
            if files.remove(path.as_str()).is_some() {
                changed.insert(path);
            }
        }
    }
}
