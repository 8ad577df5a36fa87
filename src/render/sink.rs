//! Where rendered files go: [`PageSink`], the one interface between rendering and whatever
//! keeps or writes the files, with the small sinks render itself needs.
//!
//! The site writer (`write::Sink`, streaming into a staging folder) implements it, and so do
//! `serve`'s files in memory and [`Collected`]. Render never learns which it was given.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Takes the files of a site as they are rendered. `Sync`, because pages are rendered on
/// every core and each is handed over by the thread that made it.
pub trait PageSink: Sync {
    /// Takes one file: its '/'-separated output path (e.g. "claims/x/index.html") and bytes.
    /// Paths are checked by the writer, not here, so that every bad path is reported alike.
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()>;
}

/// Files kept in memory, in path order: for `build --dashboard DIR`, tests and tools.
#[derive(Debug, Default)]
pub struct Collected(Mutex<BTreeMap<String, Vec<u8>>>);

impl Collected {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every file put, by output path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl PageSink for Collected {
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path, bytes);
        Ok(())
    }
}

/// Passes every file on, and keeps a copy of those `keeps` selects: how the search index
/// gets the pages it reads without asking the writer for them back.
pub struct Tee<'a> {
    next: &'a dyn PageSink,
    keeps: fn(&str) -> bool,
    kept: Collected,
}

impl<'a> Tee<'a> {
    /// Passes every file on to `next`; keeps a copy of each whose output path `keeps` accepts.
    pub fn new(next: &'a dyn PageSink, keeps: fn(&str) -> bool) -> Self {
        Tee {
            next,
            keeps,
            kept: Collected::new(),
        }
    }

    /// The files kept, by output path.
    pub fn into_kept(self) -> BTreeMap<String, Vec<u8>> {
        self.kept.into_files()
    }
}

impl PageSink for Tee<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        if (self.keeps)(&path) {
            self.kept.put(path.clone(), bytes.clone())?;
        }
        self.next.put(path, bytes)
    }
}

/// Passes every file on, counting the HTML pages among them (for the build's report).
pub struct CountingPages<'a> {
    next: &'a dyn PageSink,
    pages: AtomicUsize,
}

impl<'a> CountingPages<'a> {
    /// Passes every file on to `next`, from a count of 0.
    pub fn new(next: &'a dyn PageSink) -> Self {
        CountingPages {
            next,
            pages: AtomicUsize::new(0),
        }
    }

    /// How many HTML files went through.
    pub fn pages(&self) -> usize {
        self.pages.load(Ordering::Relaxed)
    }
}

impl PageSink for CountingPages<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.next.put(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tee_keeps_what_it_selects_and_passes_everything_on() {
        let all = Collected::new();
        let tee = Tee::new(&all, |path| path.ends_with(".html"));
        tee.put("a.html".into(), b"a".to_vec()).unwrap();
        tee.put("b.css".into(), b"b".to_vec()).unwrap();
        let kept: Vec<String> = tee.into_kept().into_keys().collect();
        assert_eq!(kept, ["a.html"]);
        let passed: Vec<String> = all.into_files().into_keys().collect();
        assert_eq!(passed, ["a.html", "b.css"]);
    }

    #[test]
    fn counts_html_pages_only() {
        let all = Collected::new();
        let counting = CountingPages::new(&all);
        for path in ["index.html", "feed.xml", "claims/x.html"] {
            counting.put(path.into(), Vec::new()).unwrap();
        }
        assert_eq!(counting.pages(), 2);
    }
}
